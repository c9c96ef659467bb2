#include "cli/screening.h"

#include <memory>

#include "findings/findings.h"
#include "policy/policy.h"

namespace hearth::cli {

ScreenHook MakeScreenHook(const GlobalOptions& global, const std::string& policy_path, ScreenCounts* counts) {
  auto policy = std::make_shared<Policy>(
      Check(policy_path.empty() ? LoadDefaultPolicy(global.data_dir) : LoadPolicy(policy_path)));
  return [policy, counts](ImportTransaction& tx, const std::vector<std::string>& codes, Date as_of) -> Status {
    HEARTH_ASSIGN_OR_RETURN(RefreshCounts done, RefreshFindings(tx, codes, *policy, as_of));
    counts->households += done.households;
    counts->opened += done.opened;
    counts->updated += done.updated;
    counts->closed += done.closed;
    return Status::Ok();
  };
}

}  // namespace hearth::cli
