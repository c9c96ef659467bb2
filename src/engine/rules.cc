#include "engine/rules.h"

#include "engine/explain.h"

#include <algorithm>

#include "core/messages.h"

namespace hearth {
namespace {

expr::Type ExprType(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kMoney:
      return expr::Type::kMoney;
    case FeatureKind::kBool:
      return expr::Type::kBool;
    case FeatureKind::kNumber:
      break;
  }
  return expr::Type::kNumber;
}

// The file position of byte `offset` of `text`, whose first character is at `line`:`column`.
std::pair<int, int> PositionIn(std::string_view text, int line, int column, size_t offset) {
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // one column per character, not per byte
    }
  }
  return {line, column};
}

// The file position of byte `offset` of a rule's expression.
std::pair<int, int> PositionOf(const RuleDef& rule, int offset) {
  return PositionIn(rule.when, rule.when_line, rule.when_column, static_cast<size_t>(std::max(offset, 0)));
}

// Checks the placeholders of a rule's templates, adding the known ones to `names` once each.
bool CheckPlaceholders(const Policy& policy, const RuleDef& rule, std::vector<std::string>* names,
                       std::vector<PolicyProblem>* problems) {
  struct Template {
    std::string_view text;
    int line, column;
  };
  const Template templates[] = {{rule.explain_zh, rule.explain_line, rule.explain_column},
                                {rule.explain_en, rule.explain_en_line, rule.explain_en_column}};
  bool ok = true;
  for (const Template& t : templates) {
    if (&t != &templates[0] && t.text == templates[0].text) break;  // the default: the Chinese one
    for (size_t open = t.text.find('{'); open != std::string_view::npos; open = t.text.find('{', open + 1)) {
      const size_t close = t.text.find('}', open);
      if (close == std::string_view::npos) break;
      std::string name(t.text.substr(open + 1, close - open - 1));
      if (TriggerText(policy, name)) continue;  // the policy's value, filled in when shown
      if (FindFeature(name) == nullptr && !FindWitness(name)) {
        // The position of the brace, where the template is in the file; else the rule's.
        auto [line, column] = t.line > 0 ? PositionIn(t.text, t.line, t.column, open) : std::pair{rule.line, 0};
        problems->push_back({line, column, "policy_placeholder_unknown",
                             Tr(Msg::kPolicyPlaceholderUnknown, policy.file, line, rule.id, name)});
        ok = false;
        continue;
      }
      if (std::find(names->begin(), names->end(), name) == names->end()) names->push_back(std::move(name));
    }
  }
  return ok;
}

int CategoryIndex(const Policy& policy, const std::string& id) {
  for (size_t i = 0; i < policy.categories.size(); ++i) {
    if (policy.categories[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

expr::Catalog FeatureCatalog(const Policy& policy) {
  expr::Catalog catalog;
  for (const FeatureDef& f : FeatureDefs()) {
    catalog.AddColumn(std::string(f.name), ExprType(f.kind), f.scale, static_cast<int>(f.id));
  }
  for (const Trigger& t : policy.triggers) {
    const bool money = t.is_money;
    // Money constants are in fen (scale 2); a yuan value with fewer decimals is scaled up.
    int64_t units = t.value.units;
    int scale = t.value.scale;
    for (; money && scale < 2; ++scale) units *= 10;
    catalog.AddConstant("trigger." + t.name, money ? expr::Type::kMoney : expr::Type::kNumber, units, scale);
  }
  return catalog;
}

std::vector<std::string> Placeholders(std::string_view text) {
  std::vector<std::string> out;
  for (size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.emplace_back(text.substr(open + 1, close - open - 1));
  }
  return out;
}

std::optional<RuleSet> RuleSet::Compile(const Policy& policy, std::vector<PolicyProblem>* problems) {
  const expr::Catalog catalog = FeatureCatalog(policy);
  RuleSet set;
  set.policy_ = &policy;
  bool ok = true;
  for (const RuleDef& rule : policy.rules) {
    auto compiled = expr::Compile(rule.when, catalog);
    if (auto* errors = std::get_if<std::vector<expr::Problem>>(&compiled)) {
      for (const expr::Problem& p : *errors) {
        auto [line, column] = PositionOf(rule, p.offset);
        problems->push_back({line, column, p.kind,
                             Tr(Msg::kPolicyRuleExpression, policy.file, line, column, rule.id, p.message)});
      }
      std::vector<std::string> unused;
      CheckPlaceholders(policy, rule, &unused, problems);  // its templates' errors are told too
      ok = false;
      continue;
    }
    CompiledRule r{&rule, std::get<expr::Program>(std::move(compiled)), CategoryIndex(policy, rule.category), {}};
    ok = CheckPlaceholders(policy, rule, &r.placeholders, problems) && ok;
    set.rules_.push_back(std::move(r));
  }
  if (set.rules_.size() > 32) {
    problems->push_back({0, 0, "policy_too_many_rules", Tr(Msg::kPolicyTooManyRules, policy.file, set.rules_.size())});
    ok = false;
  }
  if (!ok) return std::nullopt;
  return set;
}

}  // namespace hearth
