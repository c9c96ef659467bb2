#include "cli/screening.h"

#include <iostream>
#include <memory>
#include <set>

#include "cli/output.h"
#include "cli/policy_loading.h"
#include "core/messages.h"

#include "engine/engine.h"
#include "findings/findings.h"
#include "policy/policy.h"

namespace hearth::cli {
namespace {

// The policy and its compiled rules, shared by the hook's calls.
struct Screening {
  UsablePolicy used;  // the rules point at the policy
};

Status ScreenWarnings(ImportTransaction& tx, const Screening& s, const std::vector<std::string>& codes, Date as_of,
                      ScreenCounts* counts) {
  Engine engine(*s.used.rules, EngineOptions{as_of, std::nullopt, "", {}});
  std::vector<Decision> decisions;
  std::vector<int64_t> refs;
  for (const std::string& code : codes) {
    HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, tx.LoadFacts(code));
    refs.push_back(facts.household_ref);
    Decision d = engine.Update(facts);
    if (d.category >= 0) decisions.push_back(d);
  }
  WarningBatch batch = engine.Warnings(decisions);
  batch.households = std::move(refs);
  if (batch.households.empty()) return Status::Ok();
  HEARTH_ASSIGN_OR_RETURN(WarningCounts done, tx.SaveWarnings(batch));
  counts->warnings_opened += done.opened;
  counts->warnings_updated += done.updated;
  counts->warnings_closed += done.closed;
  return Status::Ok();
}

}  // namespace

ScreenHook MakeScreenHook(const GlobalOptions& global, const std::string& policy_path, ScreenCounts* counts) {
  auto s = std::make_shared<Screening>();
  s->used = LoadPolicyOrFail(global, policy_path);
  return [s, counts](ImportTransaction& tx, const std::vector<std::string>& codes, Date as_of) -> Status {
    HEARTH_ASSIGN_OR_RETURN(RefreshCounts done, RefreshFindings(tx, codes, *s->used.policy, as_of));
    counts->households += done.households;
    counts->opened += done.opened;
    counts->updated += done.updated;
    counts->closed += done.closed;
    return ScreenWarnings(tx, *s, codes, as_of, counts);
  };
}

void PrintScreened(const ScreenCounts& c) {
  std::cout << Tr(Msg::kCliImportScreened, Thousands(c.households), c.opened, c.updated, c.closed) << '\n'
            << Tr(Msg::kCliImportWarned, c.warnings_opened, c.warnings_updated, c.warnings_closed) << '\n';
}

RefreshCounts RefreshAndRecord(Store& store, const std::vector<std::string>& codes, const Policy& policy, Date as_of,
                               const std::string& area_code) {
  ImportRecord record;
  record.kind = "findings-refresh";
  record.file_name = "-";
  record.digest = "-";
  record.received = as_of;
  std::unique_ptr<ImportTransaction> tx = Check(store.BeginImport(record));
  const RefreshCounts counts = Check(RefreshFindings(*tx, codes, policy, as_of));
  ImportTotals totals;
  totals.read = counts.households;
  totals.accepted = counts.households;
  totals.area_code = area_code;
  Check(tx->Commit(totals));
  return counts;
}

void RefreshChangedHouseholds(const GlobalOptions& global, Store& store, Date received,
                              const std::vector<std::string>& changed) {
  std::set<std::string> households(changed.begin(), changed.end());
  for (const FindingRecord& f : Check(store.ListFindings({}))) households.insert(f.household_code);
  if (households.empty()) return;
  const UsablePolicy used = LoadPolicyOrFail(global, "");
  const Date as_of = ScreeningAsOf(store, received, 0);
  const RefreshCounts counts = RefreshAndRecord(store, {households.begin(), households.end()}, *used.policy, as_of,
                                                used.policy->region);
  std::cout << Tr(Msg::kCliRegistryFindingsRefreshed, Thousands(counts.households), as_of.ToIso(), counts.closed,
                  counts.updated, counts.opened)
            << '\n';
}

}  // namespace hearth::cli
