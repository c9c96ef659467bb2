#include "core/toml_syntax.h"

#include <algorithm>
#include <utility>

#include "core/messages.h"
#include "core/text.h"

namespace hearth {
namespace {

// Full-width (Chinese input method) punctuation that TOML does not read, and what to write.
constexpr std::pair<std::string_view, std::string_view> kFullWidth[] = {
    {"，", ","}, {"、", ","}, {"“", "\""}, {"”", "\""}, {"＂", "\""}, {"‘", "'"}, {"’", "'"}, {"＇", "'"},
    {"［", "["}, {"］", "]"}, {"【", "["}, {"】", "]"}, {"｛", "{"}, {"｝", "}"}, {"＝", "="}, {"：", "="},
    {"＃", "#"}, {"\u3000", " "},
};

}  // namespace

std::string_view LineAt(std::string_view text, int line) {
  size_t begin = 0;
  for (int i = 1; i < line && begin != std::string_view::npos; ++i) {
    begin = text.find('\n', begin);
    if (begin != std::string_view::npos) ++begin;
  }
  if (begin == std::string_view::npos) return {};
  size_t end = text.find('\n', begin);
  std::string_view out = text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
  if (out.ends_with('\r')) out.remove_suffix(1);
  return out;
}

std::string FullWidthOutsideStrings(std::string_view line) {
  std::string found;
  char quote = 0;  // the quote of the string we are in, if any
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '#') break;
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    for (const auto& [wide, narrow] : kFullWidth) {
      if (!line.substr(i).starts_with(wide)) continue;
      const std::string pair = std::string(wide) + "→ " + std::string(narrow);
      if (found.find(pair) == std::string::npos) found += (found.empty() ? "" : "  ") + pair;
      i += wide.size() - 1;
      break;
    }
  }
  return found;
}

TomlSyntaxCause ExplainTomlSyntaxError(std::string_view bytes, int64_t line, int64_t column) {
  TomlSyntaxCause cause;
  const size_t valid = Utf8ValidPrefix(bytes);
  if (valid < bytes.size()) {
    // The position of the first byte that is not UTF-8, in characters as toml++ counts.
    const std::string_view before = bytes.substr(0, valid);
    const size_t newline = before.rfind('\n');
    const size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    cause.kind = TomlSyntaxCause::kNotUtf8;
    cause.line = 1 + std::count(before.begin(), before.end(), '\n');
    cause.column = 1 + static_cast<int64_t>(CountUtf8Chars(before.substr(line_start)));
    return cause;
  }
  cause.line = line;
  cause.column = column;
  cause.full_width = FullWidthOutsideStrings(LineAt(bytes, static_cast<int>(line)));
  if (!cause.full_width.empty()) cause.kind = TomlSyntaxCause::kFullWidth;
  return cause;
}

std::string TomlErrorInWords(std::string_view description) {
  const std::string words(description);
  if (CurrentLanguage() != Lang::kZh) return words;
  // The first reading whose text toml++'s words contain (more specific ones first).
  static constexpr std::pair<std::string_view, Msg> kReadings[] = {
      {"encountered end-of-file", Msg::kTomlEndOfFile},
      {"cannot redefine existing table", Msg::kTomlTableTwice},
      {"cannot redefine existing", Msg::kTomlKeyTwice},
      {"expected '=', saw", Msg::kTomlExpectEquals},
      {"could not determine value type", Msg::kTomlValueUnknown},
      {"expected value, saw", Msg::kTomlValueUnknown},
      {"expected value-terminator", Msg::kTomlAfterValue},
      {"expected a comment or whitespace", Msg::kTomlAfterValue},
      {"expected comma or closing ']'", Msg::kTomlArray},
      {"expected value or closing ']'", Msg::kTomlArray},
      {"expected bare key starting character", Msg::kTomlKeyExpected},
      {"expected keys, tables, whitespace or comments", Msg::kTomlKeyExpected},
      {"unknown escape sequence", Msg::kTomlEscape},
      {"expected ']'", Msg::kTomlHeaderBracket},
      {"month between", Msg::kTomlDate},
      {"day between", Msg::kTomlDate},
      {"-digit", Msg::kTomlDate},
  };
  for (const auto& [text, msg] : kReadings) {
    if (description.find(text) != std::string_view::npos) return Tr(msg, words);
  }
  return words;
}

}  // namespace hearth
