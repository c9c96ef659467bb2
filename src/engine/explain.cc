#include "engine/explain.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/money.h"
#include "engine/features.h"

namespace hearth {
namespace {

std::string Yuan(int64_t fen) {
  std::string text = Money::FromFen(fen).ToString();
  if (text.ends_with(".00")) text.resize(text.size() - 3);
  return text;
}

// A number stored with `scale` decimals, e.g. -352 at scale 1 -> "-35.2".
std::string Scaled(int64_t units, int scale) {
  if (scale == 0) return std::to_string(units);
  int64_t pow10 = 1;
  for (int i = 0; i < scale; ++i) pow10 *= 10;
  const uint64_t magnitude = units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  return fmt::format("{}{}.{:0{}}", units < 0 ? "-" : "", magnitude / static_cast<uint64_t>(pow10),
                     magnitude % static_cast<uint64_t>(pow10), scale);
}

std::string ValueText(const std::string& name, const nlohmann::json& value, const PersonRefLabeler& person) {
  if (value.is_object() && value.contains("person")) {
    const int64_t ref = value["person"].get<int64_t>();
    return ref == 0 ? "?" : person(ref);
  }
  if (value.is_string()) return value.get<std::string>();
  const FeatureDef* f = FindFeature(name);
  if (f == nullptr || !value.is_number_integer()) return value.dump();
  const int64_t v = value.get<int64_t>();
  if (f->kind == FeatureKind::kMoney) return Yuan(v);
  if (f->kind == FeatureKind::kBool) return v != 0 ? "是" : "否";
  return Scaled(v, f->scale);
}

// "0.50" -> "0.5", "5000.00" -> "5000".
std::string WithoutTrailingZeros(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.ends_with('0')) text.pop_back();
  if (text.ends_with('.')) text.pop_back();
  return text;
}

}  // namespace

std::optional<std::string> TriggerText(const Policy& policy, std::string_view placeholder) {
  if (!placeholder.starts_with("trigger.")) return std::nullopt;
  std::string_view name = placeholder.substr(8);
  const bool percent = name.ends_with('%');
  if (percent) name.remove_suffix(1);
  for (const Trigger& t : policy.triggers) {
    if (t.name != name) continue;
    if (percent) {  // a share: 0.5 -> "50"
      if (t.is_money) return std::nullopt;
      return WithoutTrailingZeros(Scaled(t.value.units * 100, t.value.scale));
    }
    if (!t.is_money) return WithoutTrailingZeros(Scaled(t.value.units, t.value.scale));
    int64_t fen = t.value.units;
    for (int scale = t.value.scale; scale < 2; ++scale) fen *= 10;
    return Yuan(fen);
  }
  return std::nullopt;
}

namespace {

std::string Fill(std::string_view text, const nlohmann::json& params, const PersonRefLabeler& person,
                 const Policy& policy) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i), close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string name(text.substr(open + 1, close - open - 1));
    if (std::optional<std::string> value = TriggerText(policy, name)) {
      out += *value;  // the policy's value, as the warning was decided under it
    } else {
      out += params.contains(name) ? ValueText(name, params[name], person) : "{" + name + "}";
    }
    i = close + 1;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

const RuleDef* FindRule(const Policy& policy, const std::string& id) {
  for (const RuleDef& r : policy.rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace

std::string RenderExplanation(const WarningRecord& w, const Policy& policy, const PersonRefLabeler& person) {
  const nlohmann::json items = nlohmann::json::parse(w.explanation, nullptr, false);
  if (!items.is_array()) return w.explanation;
  std::string out;
  for (const nlohmann::json& item : items) {
    const std::string id = item.value("rule", "");
    const nlohmann::json params = item.value("params", nlohmann::json::object());
    const RuleDef* rule = FindRule(policy, id);
    std::string sentence = rule == nullptr ? id + " " + params.dump()
                                           : Fill(CurrentLanguage() == Lang::kEn ? rule->explain_en : rule->explain_zh,
                                                  params, person, policy);
    out += (out.empty() ? "" : (CurrentLanguage() == Lang::kEn ? "; " : "；")) + sentence;
  }
  return out;
}

std::string CategoryLabel(const Policy& policy, std::string_view id) {
  for (const CategoryDef& c : policy.categories) {
    if (c.id == id) return CurrentLanguage() == Lang::kEn ? c.label_en : c.label_zh;
  }
  return std::string(id);
}

std::string RiskLabel(std::string_view key) {
  const RiskType* r = FindRiskType(key);
  if (r == nullptr) return std::string(key);
  return std::string(CurrentLanguage() == Lang::kEn ? r->key : r->label_zh);
}

}  // namespace hearth
