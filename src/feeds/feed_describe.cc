#include "feeds/feed_describe.h"

#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/money.h"

namespace hearth {
namespace {

// A stored value as the department wrote it: yuan for money (stored in fen), "2025-2026" for a
// school year (stored as its first year), text and dates as they are.
std::string ValueText(const FieldSpec* f, const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_number_integer()) return v.dump();
  const int64_t n = v.get<int64_t>();
  if (f != nullptr && f->type == FieldType::kMoney) {
    return Money::FromFen(n).ToString() + (CurrentLanguage() == Lang::kZh ? " 元" : " yuan");
  }
  if (f != nullptr && f->type == FieldType::kSchoolYear) return std::to_string(n) + "-" + std::to_string(n + 1);
  return std::to_string(n);
}

}  // namespace

std::string DescribeFeedPayload(const FeedSpec& spec, std::string_view payload) {
  nlohmann::json p = nlohmann::json::parse(payload, nullptr, false);
  if (!p.is_object()) return std::string(payload);
  const std::string_view separator = CurrentLanguage() == Lang::kZh ? "，" : ", ";
  std::string out;
  auto add = [&](const std::string& label, const FieldSpec* f, const nlohmann::json& v) {
    if (!out.empty()) out += separator;
    out += label + " " + ValueText(f, v);
  };
  for (const FieldSpec& f : spec.fields) {
    if (auto it = p.find(f.name); it != p.end()) add(f.column.name, &f, *it);
  }
  for (const auto& [name, value] : p.items()) {
    if (spec.FieldIndex(name) < 0) add(name, nullptr, value);
  }
  return out;
}

std::string FeedEventLabel(const FeedSpec& spec) {
  if (spec.department.empty()) return spec.label.empty() ? spec.kind : spec.label;
  return spec.department + (CurrentLanguage() == Lang::kZh ? "：" : ": ") + (spec.label.empty() ? spec.kind : spec.label);
}

std::map<std::string, FeedSpec> FeedSpecsByEventType(const std::filesystem::path& data_dir) {
  std::map<std::string, FeedSpec> out;
  for (const std::string& kind : FeedKinds(data_dir)) {
    if (StatusOr<FeedSpec> spec = LoadFeedSpecForKind(data_dir, kind); spec.ok()) {
      std::string type = spec->event_type;
      out.emplace(std::move(type), std::move(*spec));
    }
  }
  return out;
}

}  // namespace hearth
