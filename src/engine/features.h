// Household features (家庭特征): the numbers and flags the early-warning rules are written over.
//
// FeatureDefs() is the one table of features (name, type, unit, window, Chinese label, one-line
// definition) that the policy language binds names against, `hearth policy features` prints
// and docs/POLICY.md describes. ComputeFeatures() computes one household's features from its
// facts as of a date; the engine's full build and its per-household update both call it, so full
// and incremental screening agree.
//
//   FeatureRow row = ComputeFeatures(facts, policy, Date::FromCivil(2025, 3, 31));
//   int64_t fen = row.Get(Feature::kIncomePc12m);
//
// Income semantics (DOMAIN.md section 3; written out in docs/POLICY.md):
//  - The window is the 12 calendar months ending with the as-of date's month (events effective
//    after the as-of date are ignored); the previous window is the 12 months before it.
//  - Registry incomes are yearly: a year's net income (components minus 生产经营性支出) is
//    spread evenly over its months; a month with no registered year uses the latest earlier
//    year (before the first registered year: the first year).
//  - Events in a window adjust it: a member's job loss (人社 失业) removes the job's monthly
//    wage pro rata from the day it was lost until the member's next job starts, over the days
//    whose registered year the job was part of only (a job started after that year's end added
//    nothing to it); a death removes the member's share of the registered wage income pro rata
//    from the day of death; job losses and deaths together remove at most the registered wage
//    income of the window; disaster
//    losses are subtracted; 低保/特困 are added pro rata over the days they run, 临时救助 once,
//    public-welfare posts' (公益性岗位) wages pro rata.
//  - Pro rata: monthly amount x days x 12 / 365, rounded down to the fen.
//  - Per-person figures divide by the members living at the as-of date (registered members,
//    less those dead or moved out by then, plus those born or moved in), rounded down to the
//    fen: for a line L in whole fen, floor(I / n) < L exactly when I < L x n, so comparisons
//    with the line stay exact.
//  - Rigid spending (medical self-pay, schooling) is its own feature, never netted into income.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/date.h"
#include "policy/policy.h"
#include "store/records.h"

namespace hearth {

//! How a feature's values are held: money in fen (scale 2 of yuan), a number at `scale`
//! decimal places, or a flag 0/1.
enum class FeatureKind : uint8_t { kMoney = 0, kNumber = 1, kBool = 2 };

//! The features, by index into FeatureRow and the engine's columns. Append only.
enum class Feature : int {
  kIncome12m, kIncomePrev12m, kIncomePc12m, kIncomePcPrev12m, kIncomeChangePct,
  kMedicalSelfpay12m, kMaxStaySelfpay, kSchoolingCost12m, kDisasterLoss12m, kAssistance12m, kRigid12m, kLine,
  kMembers, kMembersLabour, kMembersWeakLabour, kMembersNoLabour, kMembersIll, kMembersDisabled,
  kDependencyRatio, kMonthsWorked, kJoblessMembers, kDropouts, kUninsuredMembers,
  kIsTuopin, kIsRelocated, kHasAssistance, kLacksSchool, kLacksMedical, kLacksHousing, kLacksWater,
  kCount
};
inline constexpr int kFeatureCount = static_cast<int>(Feature::kCount);

struct FeatureDef {
  Feature id;
  std::string_view name;       //!< as rules write it: "income_pc_12m"
  FeatureKind kind;
  int scale;                   //!< decimal places of the stored integer (money: 2)
  std::string_view unit;       //!< "元", "人", "月", "%", "" for flags
  std::string_view window;     //!< "12 个月", "前 12 个月", "评估日" ...
  std::string_view label_zh;
  std::string_view label_en;
  std::string_view definition; //!< one line, English
};

//! Every feature, in Feature order.
const std::array<FeatureDef, kFeatureCount>& FeatureDefs();
//! The feature named so, or nullptr.
const FeatureDef* FindFeature(std::string_view name);

//! Values that explanations name but rules do not compute with: who and when.
enum class Witness : int { kMaxStayPerson, kMaxStayMonth, kCount };
//! "max_stay_person", "max_stay_month"; nullopt for other names.
std::optional<Witness> FindWitness(std::string_view name);

//! One household's features.
struct FeatureRow {
  std::array<int64_t, kFeatureCount> values{};
  //! Person ref (PersonRecord::ref) of the largest stay; for a person 公安 placed in the household
  //! and not yet registered (a newborn), minus the id of that registration event; 0 when none.
  int64_t max_stay_person = 0;
  Date max_stay_date;           //!< discharge date of the largest stay

  int64_t Get(Feature f) const { return values[static_cast<size_t>(f)]; }
  void Set(Feature f, int64_t v) { values[static_cast<size_t>(f)] = v; }
  bool operator==(const FeatureRow&) const = default;
};

//! The household's features as of `as_of` from its facts (events are those in force, as the
//! store's LoadFacts/ScanFacts give them; events effective after `as_of` are ignored). Pure:
//! the same facts, policy and date give the same row.
FeatureRow ComputeFeatures(const HouseholdFacts& facts, const Policy& policy, Date as_of);

}  // namespace hearth
