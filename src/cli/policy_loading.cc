#include "cli/policy_loading.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/messages.h"
#include "core/paths.h"

namespace hearth::cli {

std::set<std::string> KnownAreaCodes(const GlobalOptions& global) {
  std::set<std::string> codes;
  StatusOr<std::filesystem::path> dir = FindDataDir(global.data_dir);
  if (!dir.ok()) return codes;
  for (const char* file : {"provinces.csv", "prefectures.csv", "counties.csv"}) {
    std::ifstream in(*dir / "admin-divisions" / file);
    std::string line;
    while (std::getline(in, line)) codes.insert(line.substr(0, line.find(',')));
  }
  return codes;
}

std::optional<RuleSet> CheckPolicyUse(const GlobalOptions& global, const Policy& policy,
                                      std::vector<PolicyProblem>* problems) {
  const std::set<std::string> areas = KnownAreaCodes(global);
  if (!areas.empty()) {
    for (const MonitoringLine& l : policy.lines) {
      if (!areas.contains(l.area)) {
        problems->push_back({l.area_line, l.area_column, "policy_area_unknown",
                             Tr(Msg::kPolicyAreaUnknown, policy.file, l.area_line, l.area)});
      }
    }
  }
  return RuleSet::Compile(policy, problems);
}

UsablePolicy LoadPolicyOrFail(const GlobalOptions& global, const std::string& path) {
  std::filesystem::path file = path;
  if (file.empty()) file = Check(FindDataDir(global.data_dir)) / "policy" / "default.toml";
  std::vector<PolicyProblem> problems;
  auto policy = std::make_unique<const Policy>(Check(ReadPolicy(file, &problems)));
  std::optional<RuleSet> rules;
  if (problems.empty()) rules = CheckPolicyUse(global, *policy, &problems);
  if (!problems.empty() || !rules) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const PolicyProblem& a, const PolicyProblem& b) { return a.line < b.line; });
    if (problems.empty()) problems.push_back({0, 0, "policy_rules", Tr(Msg::kCliPolicyProblems, file.string(), 1)});
    std::string message = problems.front().message;
    if (problems.size() > 1) message += Tr(Msg::kCliPolicyMoreProblems, problems.size() - 1, file.string());
    Fail(Status(StatusCode::kInvalidArgument, problems.front().kind, message));
  }
  return {std::move(policy), std::make_unique<const RuleSet>(std::move(*rules))};
}

}  // namespace hearth::cli
