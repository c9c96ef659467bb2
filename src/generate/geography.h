// The places of the synthetic population: the real counties, townships and rural villages of
// a region (data/admin-divisions, NBS 2023), and how many households each village gets.
//
//   HEARTH_ASSIGN_OR_RETURN(Geography geo, Geography::Load(data_dir, "6532"));
//   HEARTH_ASSIGN_OR_RETURN(HouseholdLayout layout, HouseholdLayout::Make(geo, n, seed));
//   VillageSlot slot = layout.At(12345);  // village index and sequence within the village
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::gen {

struct County {
  std::string code;  //!< 6 digits
  std::string name;
};

struct Township {
  std::string code;  //!< 9 digits
  std::string name;
  int county = 0;  //!< index into Geography::counties()
};

struct Village {
  std::string code;  //!< 12 digits
  std::string name;
  int township = 0;  //!< index into Geography::townships()
};

//! The rural villages of a region and their townships and counties. Immutable once loaded;
//! safe to share between threads.
class Geography {
 public:
  //! The default region: the four prefectures of southern Xinjiang.
  static constexpr std::string_view kSouthernPrefectures[] = {"6529", "6530", "6531", "6532"};

  //! Loads <data_dir>/admin-divisions/{counties,townships,villages}.csv and keeps the rural
  //! villages (村委会, codes 200-599 within a township) inside `region` (an area-code prefix;
  //! empty = the four southern prefectures). Errors: kind "gen_admin_data" (a file missing or
  //! malformed), "gen_region" (not an area code of Xinjiang, or no rural village inside).
  static StatusOr<Geography> Load(const std::filesystem::path& data_dir, std::string_view region);

  const std::vector<County>& counties() const { return counties_; }
  const std::vector<Township>& townships() const { return townships_; }
  const std::vector<Village>& villages() const { return villages_; }
  const County& CountyOfVillage(int village) const { return counties_[townships_[villages_[village].township].county]; }

  //! A real county code of Xinjiang outside the region (for people nobody registered), or a
  //! county of Gansu when the region covers all of Xinjiang.
  const std::string& outside_county() const { return outside_county_; }
  //! The region as given, or "6529-6532" for the default (for messages).
  const std::string& label() const { return label_; }

 private:
  std::vector<County> counties_;
  std::vector<Township> townships_;
  std::vector<Village> villages_;
  std::string outside_county_;
  std::string label_;
};

//! Where a household lives.
struct VillageSlot {
  int village = 0;   //!< index into Geography::villages()
  int sequence = 0;  //!< 1..9999 within the village (the last 4 digits of 户编号)
};

//! The households of a run, laid out village by village: household g lives in the village
//! whose range holds g. Village sizes are drawn from the seed (log-normal weights).
class HouseholdLayout {
 public:
  static constexpr int64_t kMaxPerVillage = 9999;

  //! Spreads `households` over the villages of `geo`. Error kind "gen_region_too_small" when
  //! the villages cannot hold them (at most 9,999 households per village).
  static StatusOr<HouseholdLayout> Make(const Geography& geo, int64_t households, uint64_t seed);

  //! The village and sequence of household g (0 <= g < households).
  VillageSlot At(int64_t g) const;
  int64_t households() const { return first_.back(); }
  int64_t VillageSize(int village) const { return first_[village + 1] - first_[village]; }

 private:
  std::vector<int64_t> first_;  //!< first household of each village; back() = total
};

//! Counts per village for `total` households with integer weights: largest remainders, each
//! at most `cap`. Exposed for tests. Precondition: total <= cap * weights.size().
std::vector<int64_t> ApportionWithCap(int64_t total, const std::vector<int64_t>& weights, int64_t cap);

}  // namespace hearth::gen
