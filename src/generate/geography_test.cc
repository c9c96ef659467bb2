#include "generate/geography.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>

namespace hearth::gen {
namespace {

std::filesystem::path DataDir() { return std::filesystem::path(HEARTH_TEST_SRCDIR) / "data"; }

TEST(GeographyTest, RegionsKeepTheirRuralVillages) {
  struct Case {
    const char* region;
    size_t counties;
    const char* prefix;
  };
  for (const Case& c :
       {Case{"", 33, "65"}, Case{"6532", 8, "6532"}, Case{"653221", 1, "653221"}, Case{"653221100", 1, "653221100"}}) {
    auto geo = Geography::Load(DataDir(), c.region);
    ASSERT_TRUE(geo.ok()) << c.region << ": " << geo.status().ToString();
    EXPECT_EQ(geo->counties().size(), c.counties) << c.region;
    for (const Village& v : geo->villages()) {
      EXPECT_TRUE(v.code.starts_with(c.prefix)) << v.code;
      EXPECT_GE(std::stoi(v.code.substr(9)), 200) << v.code;
      EXPECT_NE(v.name.find("村"), std::string::npos) << v.name;
    }
    for (const County& county : geo->counties()) EXPECT_NE(county.code, geo->outside_county());
  }
}

TEST(GeographyTest, DefaultRegionIsTheFourSouthernPrefectures) {
  auto geo = Geography::Load(DataDir(), "");
  ASSERT_TRUE(geo.ok());
  std::set<std::string> prefectures;
  for (const County& c : geo->counties()) prefectures.insert(c.code.substr(0, 4));
  EXPECT_EQ(prefectures, (std::set<std::string>{"6529", "6530", "6531", "6532"}));
  EXPECT_GT(geo->villages().size(), 5000u);
}

TEST(GeographyTest, BadRegionsAndDataAreRefused) {
  struct Case {
    const char* region;
    std::filesystem::path data;
    const char* kind;
  };
  for (const Case& c : {Case{"xyz", DataDir(), "gen_region"}, Case{"1101", DataDir(), "gen_region"},
                        Case{"650103", DataDir(), "gen_region"}, Case{"", "/nonexistent", "gen_admin_data"}}) {
    auto geo = Geography::Load(c.data, c.region);
    ASSERT_FALSE(geo.ok()) << c.region;
    EXPECT_EQ(geo.status().kind(), c.kind) << c.region;
  }
}

TEST(GeographyTest, ApportionKeepsTheTotalAndTheCap) {
  struct Case {
    int64_t total;
    std::vector<int64_t> weights;
    int64_t cap;
    std::vector<int64_t> want;
  };
  const std::vector<Case> cases = {
      {10, {1, 1}, 100, {5, 5}}, {10, {1, 2, 1}, 100, {3, 5, 2}}, {10, {1, 100}, 6, {4, 6}},
      {0, {3, 4}, 10, {0, 0}},   {20, {1, 1}, 10, {10, 10}},      {7, {5, 5, 5}, 100, {3, 2, 2}},
  };
  for (const Case& c : cases) {
    const std::vector<int64_t> got = ApportionWithCap(c.total, c.weights, c.cap);
    EXPECT_EQ(got, c.want) << c.total;
    EXPECT_EQ(std::accumulate(got.begin(), got.end(), int64_t{0}), c.total);
  }
}

TEST(GeographyTest, LayoutNumbersHouseholdsWithinVillages) {
  auto geo = Geography::Load(DataDir(), "653221");
  ASSERT_TRUE(geo.ok());
  auto layout = HouseholdLayout::Make(*geo, 5000, 1);
  ASSERT_TRUE(layout.ok());
  VillageSlot previous = layout->At(0);
  EXPECT_EQ(previous.sequence, 1);
  for (int64_t g = 1; g < 5000; ++g) {
    const VillageSlot slot = layout->At(g);
    if (slot.village == previous.village) {
      EXPECT_EQ(slot.sequence, previous.sequence + 1);
    } else {
      EXPECT_GT(slot.village, previous.village);
      EXPECT_EQ(slot.sequence, 1);
    }
    previous = slot;
  }
  auto too_many = HouseholdLayout::Make(*geo, 9999 * static_cast<int64_t>(geo->villages().size()) + 1, 1);
  EXPECT_EQ(too_many.status().kind(), "gen_region_too_small");
}

}  // namespace
}  // namespace hearth::gen
