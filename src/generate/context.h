// What every household block of a run shares: the calendar of the run, the places, and the
// events that hit many households at once (township disasters, the epidemic-like episode),
// drawn once from the seed. Immutable after MakeRunContext; safe to share between threads.
#pragma once

#include <cstdint>
#include <vector>

#include "core/date.h"
#include "generate/geography.h"

namespace hearth::gen {

//! Disaster types, in the order of params::kDisasterMonthly.
enum class DisasterType : uint8_t { kFlood = 0, kHail, kWindSand, kFrost, kDrought, kEarthquake };
inline constexpr int kDisasterTypes = 6;

//! A disaster that hits one township in one month of the run.
struct Disaster {
  int32_t township = 0;
  int16_t month = 0;  //!< index of the month in the run
  int16_t day = 1;
  DisasterType type = DisasterType::kFlood;
  double affected_share = 0;  //!< chance that a household of the township is hit
};

//! The epidemic-like episode: months [first, last] of the run, in the marked counties.
struct Epidemic {
  int first = 0, last = -1;
  std::vector<bool> county;  //!< per Geography county
  bool Hits(int county_index, int month) const {
    return month >= first && month <= last && county[static_cast<size_t>(county_index)];
  }
};

struct RunContext {
  const Geography* geo = nullptr;
  const HouseholdLayout* layout = nullptr;
  uint64_t seed = 0;
  Date start;  //!< first day of the first month of the run
  int months = 12;
  int income_year = 2024;   //!< the registry's 年度: the year before the start
  double income_scale = 1;  //!< price level of income_year against params::kIncomeAnchorYear
  std::vector<Disaster> disasters;
  std::vector<std::vector<int32_t>> township_disasters;  //!< per township: indices, by month
  Epidemic epidemic;

  //! First day of month m of the run, for -12 <= m <= months.
  int32_t FirstDay(int m) const { return first_day[static_cast<size_t>(m + 12)]; }
  Date MonthStart(int m) const { return Date::FromDays(FirstDay(m)); }
  int DaysInMonth(int m) const { return FirstDay(m + 1) - FirstDay(m); }
  //! Calendar month 1..12 and year of month m of the run.
  int CalendarMonth(int m) const { return calendar_month[static_cast<size_t>(m + 12)]; }
  int Year(int m) const { return year[static_cast<size_t>(m + 12)]; }

  std::vector<int32_t> first_day;      //!< index m + 12, for -12 <= m <= months
  std::vector<int8_t> calendar_month;  //!< index m + 12
  std::vector<int16_t> year;           //!< index m + 12
};

//! Builds the context of a run: the calendar, disasters per township and month, the episode.
RunContext MakeRunContext(const Geography& geo, const HouseholdLayout& layout, uint64_t seed, Date start, int months);

}  // namespace hearth::gen
