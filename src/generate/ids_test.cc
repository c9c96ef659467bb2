#include "generate/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/id_number.h"

namespace hearth::gen {
namespace {

std::filesystem::path DataDir() { return std::filesystem::path(HEARTH_TEST_SRCDIR) / "data"; }

TEST(IdsTest, MakeIdNumberIsValid) {
  struct Case {
    const char* county;
    Date birth;
    int sequence;
    Sex sex;
  };
  for (const Case& c : {Case{"653221", Date::FromCivil(1978, 10, 29), 899, Sex::kMale},
                        Case{"652901", Date::FromCivil(2025, 2, 28), 2, Sex::kFemale},
                        Case{"650102", Date::FromCivil(1950, 1, 1), 1, Sex::kMale}}) {
    const std::string id = MakeIdNumber(c.county, c.birth, c.sequence);
    auto parsed = ParseResidentId(id, Date::FromCivil(2100, 1, 1));
    ASSERT_TRUE(parsed.ok()) << id << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->number.substr(0, 6), c.county);
    EXPECT_EQ(parsed->birth_date, c.birth);
    EXPECT_EQ(parsed->sex, c.sex);
  }
}

// Many people of one county born on one day get distinct numbers, odd for men and even for
// women; when the day is full, the birth date moves to a day with room.
TEST(IdsTest, NumberingIsUniqueAndOverflowsToNearbyDays) {
  auto geo = Geography::Load(DataDir(), "653221");
  ASSERT_TRUE(geo.ok());
  const Date day = Date::FromCivil(1990, 6, 15);
  IdNumbering numbering(*geo, Date::FromCivil(1900, 1, 1), Date::FromCivil(2030, 1, 1));
  Block block;
  for (int i = 0; i < 1200; ++i) {
    Person p;
    p.birth_days = day.days();
    p.female = i % 2 == 1;
    block.persons.push_back(p);
  }
  ASSERT_TRUE(numbering.Assign(&block).ok());
  std::set<std::string> ids;
  int moved = 0;
  for (const Person& p : block.persons) {
    const std::string id = IdNumberOf(*geo, p);
    auto parsed = ParseResidentId(id, Date::FromCivil(2100, 1, 1));
    ASSERT_TRUE(parsed.ok()) << id;
    EXPECT_EQ(parsed->sex, p.female ? Sex::kFemale : Sex::kMale) << id;
    EXPECT_TRUE(ids.insert(id).second) << id;
    moved += p.birth_days != day.days() ? 1 : 0;
    EXPECT_LE(std::abs(p.birth_days - day.days()), 1);
  }
  EXPECT_EQ(moved, 1200 - 500 - 499);
}

TEST(IdsTest, HouseholdCodeIsVillageAndSequence) {
  auto geo = Geography::Load(DataDir(), "653221");
  ASSERT_TRUE(geo.ok());
  Household h;
  h.slot = {0, 17};
  const std::string code = HouseholdCodeOf(*geo, h);
  EXPECT_EQ(code, geo->villages()[0].code + "0017");
  EXPECT_EQ(code.size(), 16u);
}

TEST(IdsTest, UnknownPeopleComeFromOutsideTheRegion) {
  auto geo = Geography::Load(DataDir(), "");
  ASSERT_TRUE(geo.ok());
  Rng rng(5, Stream::kFaults, 0);
  for (int i = 0; i < 100; ++i) {
    const std::string id = UnknownIdNumber(*geo, rng);
    ASSERT_TRUE(ParseResidentId(id, Date::FromCivil(2100, 1, 1)).ok()) << id;
    for (const County& c : geo->counties()) EXPECT_NE(id.substr(0, 6), c.code);
  }
}

}  // namespace
}  // namespace hearth::gen
