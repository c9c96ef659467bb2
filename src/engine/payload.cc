#include "engine/payload.h"

#include <charconv>

namespace hearth {
namespace {

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// The end of the string starting after an opening quote at `i`: the index of its closing quote.
size_t StringEnd(std::string_view s, size_t i) {
  while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
  return i;
}

}  // namespace

std::string_view PayloadText(std::string_view json, std::string_view key) {
  size_t i = SkipSpace(json, 0);
  if (i >= json.size() || json[i] != '{') return {};
  ++i;
  while (true) {
    i = SkipSpace(json, i);
    if (i >= json.size() || json[i] != '"') return {};
    const size_t key_end = StringEnd(json, i + 1);
    if (key_end >= json.size()) return {};
    const bool match = json.substr(i + 1, key_end - i - 1) == key;
    i = SkipSpace(json, key_end + 1);
    if (i >= json.size() || json[i] != ':') return {};
    i = SkipSpace(json, i + 1);
    if (i >= json.size()) return {};
    size_t value_begin = i, value_end = i;
    if (json[i] == '"') {
      value_begin = i + 1;
      value_end = StringEnd(json, value_begin);
      i = value_end + 1;
    } else {
      while (i < json.size() && json[i] != ',' && json[i] != '}') ++i;
      value_end = i;
      while (value_end > value_begin && json[value_end - 1] == ' ') --value_end;
    }
    if (match) {
      std::string_view v = json.substr(value_begin, value_end - value_begin);
      return v == "null" ? std::string_view() : v;
    }
    i = SkipSpace(json, i);
    if (i >= json.size() || json[i] != ',') return {};
    ++i;
  }
}

std::optional<Date> PayloadDate(std::string_view json, std::string_view key) {
  std::string_view text = PayloadText(json, key);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto num = [&](size_t pos, size_t len, int* out) {
    return std::from_chars(text.data() + pos, text.data() + pos + len, *out).ptr == text.data() + pos + len;
  };
  if (!num(0, 4, &y) || !num(5, 2, &m) || !num(8, 2, &d) || !Date::IsValidCivil(y, m, d)) return std::nullopt;
  return Date::FromCivil(y, m, d);
}

std::optional<int64_t> PayloadInt(std::string_view json, std::string_view key) {
  std::string_view text = PayloadText(json, key);
  int64_t v = 0;
  if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), v).ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return v;
}

}  // namespace hearth
