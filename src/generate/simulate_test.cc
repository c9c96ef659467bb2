#include "generate/simulate.h"

#include <gtest/gtest.h>

#include <vector>

namespace hearth::gen {
namespace {

// Amounts in fen; scale 1 (the anchor year's price level); in-policy share 1 unless stated.
TEST(SettleTest, InsuranceLayersAddUp) {
  struct Case {
    const char* what;
    int64_t total;
    bool inpatient;
    Coverage cover;
    double in_policy;
    Settlement want;
  };
  const std::vector<Case> cases = {
      {"uninsured pays all", 500000, true, Coverage{false}, 0.9, {500000, 0, 0, 0, 500000}},
      // County hospital: (5,000 - 500) x 72% = 3,240 basic; no critical (1,760 < 8,000).
      {"county stay", 500000, true, Coverage{true}, 1.0, {500000, 324000, 0, 0, 176000}},
      // Higher hospital: (50,000 - 1,000) x 60% = 29,400; left 20,600; above 8,000: 12,600 x 60%.
      {"big bill", 5000000, true, Coverage{true}, 1.0, {5000000, 2940000, 756000, 0, 1304000}},
      // 脱贫: 65% basic; (18,150 - 4,000) x 65% critical.
      {"big bill, 脱贫", 5000000, true, Coverage{true, true}, 1.0, {5000000, 3185000, 919750, 0, 895250}},
      // 低保: as 脱贫 for the threshold, then 70% of what is left in policy.
      {"big bill, 低保", 5000000, true, Coverage{true, false, true}, 1.0, {5000000, 2940000, 1079000, 686700, 294300}},
      // Outpatient of a serious illness: 60% of the in-policy part.
      {"outpatient", 100000, false, Coverage{true}, 0.8, {100000, 48000, 0, 0, 52000}},
  };
  for (const Case& c : cases) {
    Coverage cover = c.cover;
    const Settlement s = Settle(c.total, c.inpatient, c.in_policy, 1.0, &cover);
    EXPECT_EQ(s.total, c.want.total) << c.what;
    EXPECT_EQ(s.basic, c.want.basic) << c.what;
    EXPECT_EQ(s.critical, c.want.critical) << c.what;
    EXPECT_EQ(s.assistance, c.want.assistance) << c.what;
    EXPECT_EQ(s.self_pay, c.want.self_pay) << c.what;
    EXPECT_EQ(s.basic + s.critical + s.assistance + s.self_pay, s.total) << c.what;
  }
}

TEST(SettleTest, CriticalIllnessThresholdIsYearly) {
  Coverage cover{true};
  // Two county stays of 20,000 (in policy): each leaves (20,000 - 500) x 28% = 5,460.
  const Settlement first = Settle(1999900, true, 1.0, 1.0, &cover);
  EXPECT_EQ(first.critical, 0);
  const Settlement second = Settle(1999900, true, 1.0, 1.0, &cover);
  // The year's in-policy self-pay passes 8,000 during the second stay.
  EXPECT_GT(second.critical, 0);
  EXPECT_EQ(cover.critical_ytd, 2 * (1999900 - first.basic));
}

}  // namespace
}  // namespace hearth::gen
