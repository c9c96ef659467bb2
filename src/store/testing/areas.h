// Test support: a small real slice of the divisions (和田县, two villages of 巴格其镇).
#pragma once

#include <vector>

#include "store/records.h"

namespace hearth::testing {

inline std::vector<Area> HotanAreas() {
  return {
      {"65", "新疆维吾尔自治区", AreaLevel::kProvince, ""},
      {"6532", "和田地区", AreaLevel::kPrefecture, "65"},
      {"653221", "和田县", AreaLevel::kCounty, "6532"},
      {"653221100", "巴格其镇", AreaLevel::kTownship, "653221"},
      {"653221100201", "阿恰勒村", AreaLevel::kVillage, "653221100"},
      {"653221100202", "喀拉墩村", AreaLevel::kVillage, "653221100"},
  };
}

}  // namespace hearth::testing
