// Comparison findings (比对发现): inconsistencies between a department's facts and the registry
// (or between departments) that a county office must act on.
//
// A finding is derived state. DeriveFindings says which findings should be open for one
// household on a date (a pure function of its facts and the policy); RefreshFindings brings
// the stored findings in line with that: new ones opened, changed ones updated, vanished ones
// closed. Running it twice changes nothing the second time.
//
//   HEARTH_ASSIGN_OR_RETURN(RefreshCounts n, RefreshFindings(*tx, codes, policy, as_of));
//   std::string text = RenderFinding(f, [&](const std::string& id) { return name + MaskIdNumber(id); });
//
// Finding types (severity 1 high, 2 medium, 3 low; thresholds from Policy):
//   dead_still_member (1)          公安 death of a person still registered as a member
//   dead_receiving_assistance (1)  a 民政 grant running past its holder's death
//   moved_out_still_member (2)     公安 move out (or into another household) of a person still
//                                  registered as a member
//   child_out_of_school (1)        教育 reports 辍学 for a child of compulsory-school age whom the
//                                  registry records as in school
//   member_uninsured (2)           医保 enrolment 未参保/停保 for a living member
//   house_unsafe (1)               住建 appraisal grade C or D
//   assistance_income_high (2)     active 低保/特困 while registered income per person is above
//                                  factor x the line
//   below_line_no_assistance (2)   registered income per person below the line and no 低保/特困
//                                  nor recent 临时救助
//   person_in_two_households (2)   a member also registered in another household
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "policy/policy.h"
#include "store/records.h"
#include "store/store.h"

namespace hearth {

//! Every finding type, in the order findings of one household are listed.
const std::vector<std::string_view>& FindingTypes();
//! True for a type of FindingTypes().
bool IsFindingType(std::string_view type);

//! The findings that should be open for the household on `as_of`, each with type, severity,
//! household and village code, person, subject, params (a JSON object with both sources'
//! values) and opened = as_of. Events effective after `as_of` are ignored. Ordered by type (as
//! FindingTypes), person, subject; at most one per (type, person_id_number, subject).
std::vector<FindingRecord> DeriveFindings(const HouseholdFacts& facts, const Policy& policy, Date as_of);

//! What a refresh did.
struct RefreshCounts {
  int64_t households = 0;
  int64_t opened = 0;
  int64_t updated = 0;    //!< open findings whose params or severity changed
  int64_t closed = 0;
  int64_t unchanged = 0;  //!< open findings left as they were
};

//! Derives the findings of each household (in the order given) and reconciles them with the
//! household's open findings by (type, person_id_number, subject): a new one is inserted, one
//! still there is updated only when its params or severity changed, one no longer derived is
//! closed on `as_of`. Fails with the store's status (e.g. "household_unknown"); the caller
//! then drops the transaction, so nothing is written.
StatusOr<RefreshCounts> RefreshFindings(ImportTransaction& tx, const std::vector<std::string>& household_codes,
                                        const Policy& policy, Date as_of);

//! Names a person for a sentence, given the ID number: e.g. "张三（653221********123X）". The
//! caller decides whether to mask.
using PersonLabeler = std::function<std::string(const std::string& id_number)>;

//! One readable sentence in the current language stating both sources' facts and what to do,
//! e.g. "公安户籍变动：张三（…）于 2025-03-12 死亡，但仍登记为户 … 的家庭成员（户主）。请核实后办理减员。".
//! Amounts are shown in yuan with thousands separators. A type this build does not know, or
//! params it cannot read, gives the type and the raw params.
std::string RenderFinding(const FindingRecord& f, const PersonLabeler& person_label);

//! A short label of a type for tables ("死亡未减员" / "dead, still a member"); the type itself
//! when unknown.
std::string FindingTypeLabel(std::string_view type);

//! "高"/"中"/"低" ("high"/"medium"/"low").
std::string SeverityLabel(int severity);

}  // namespace hearth
