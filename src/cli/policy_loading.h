// The policy a command runs under. Every command that takes --policy (screen, import feed,
// findings refresh, backtest) refuses exactly what `hearth policy check` refuses: the file's
// own problems (ReadPolicy), a monitoring line for an area the divisions do not know, and a
// rule that does not compile.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "engine/rules.h"
#include "policy/policy.h"

namespace hearth::cli {

//! The codes of the provinces, prefectures and counties of the data directory's divisions
//! (empty when the data directory is not found: then no line's area is checked).
std::set<std::string> KnownAreaCodes(const GlobalOptions& global);

//! The problems `policy check` adds to ReadPolicy's: lines of unknown areas and rules that do
//! not compile (appended to `problems`). Returns the compiled rules when they compile.
std::optional<RuleSet> CheckPolicyUse(const GlobalOptions& global, const Policy& policy,
                                      std::vector<PolicyProblem>* problems);

//! The rules point at the policy they were compiled from: both are held where they stay put.
struct UsablePolicy {
  std::unique_ptr<const Policy> policy;
  std::unique_ptr<const RuleSet> rules;
};

//! The policy file `path` (empty: the data directory's default.toml), checked as `policy check`
//! checks it, with its rules compiled. Fails (exit 1) naming the first problem by line and column
//! and pointing to `hearth policy check FILE` for the rest.
UsablePolicy LoadPolicyOrFail(const GlobalOptions& global, const std::string& path);

}  // namespace hearth::cli
