// The policy's rules compiled against the feature table (parse → bind, src/engine/expr), with
// every problem located in the policy file (line:column), and the explanation templates'
// placeholders checked.
//
//   std::vector<PolicyProblem> problems;
//   std::optional<RuleSet> rules = RuleSet::Compile(policy, &problems);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/expr/expr.h"
#include "engine/features.h"
#include "policy/policy.h"

namespace hearth {

//! One rule ready to evaluate.
struct CompiledRule {
  const RuleDef* def = nullptr;   //!< into the Policy the RuleSet was compiled from
  expr::Program program;
  int category = -1;              //!< index into policy.categories; -1 for a risk marker
  std::vector<std::string> placeholders;  //!< the {names} of its explanation templates
};

//! A policy's rules, compiled. Refers to the Policy it was compiled from: keep that alive.
class RuleSet {
 public:
  //! Compiles every rule of `policy`; appends a problem for each error (expression errors
  //! with the file line and column of the offending text; "policy_placeholder_unknown" for a
  //! template placeholder that is neither a feature nor a witness). nullopt when any rule failed.
  static std::optional<RuleSet> Compile(const Policy& policy, std::vector<PolicyProblem>* problems);

  const Policy& policy() const { return *policy_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }

 private:
  const Policy* policy_ = nullptr;
  std::vector<CompiledRule> rules_;
};

//! The names rules may use: every feature (column index = Feature index) and every trigger as
//! the constant `trigger.NAME`.
expr::Catalog FeatureCatalog(const Policy& policy);

//! The {name} placeholders of a template, in order.
std::vector<std::string> Placeholders(std::string_view text);

}  // namespace hearth
