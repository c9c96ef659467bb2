#include "generate/context.h"

#include <cmath>

#include "generate/params.h"
#include "generate/rng.h"

namespace hearth::gen {
namespace {

// Whether a disaster type occurs in a calendar month (1..12): floods and hail in May-August,
// wind and sand in March-June, frost in March-April, drought in June-August, earthquakes
// all year.
bool InSeason(DisasterType type, int calendar_month) {
  switch (type) {
    case DisasterType::kFlood:
    case DisasterType::kHail:
      return calendar_month >= 5 && calendar_month <= 8;
    case DisasterType::kWindSand:
      return calendar_month >= 3 && calendar_month <= 6;
    case DisasterType::kFrost:
      return calendar_month >= 3 && calendar_month <= 4;
    case DisasterType::kDrought:
      return calendar_month >= 6 && calendar_month <= 8;
    case DisasterType::kEarthquake:
      return true;
  }
  return false;
}

void DrawDisasters(RunContext& ctx) {
  Rng rng(ctx.seed, Stream::kDisasters, 0);
  const int townships = static_cast<int>(ctx.geo->townships().size());
  ctx.township_disasters.assign(static_cast<size_t>(townships), {});
  for (int m = 0; m < ctx.months; ++m) {
    const int calendar_month = ctx.CalendarMonth(m);
    for (int t = 0; t < townships; ++t) {
      for (int k = 0; k < kDisasterTypes; ++k) {
        const auto type = static_cast<DisasterType>(k);
        const bool hit = rng.Bernoulli(params::kDisasterMonthly[static_cast<size_t>(k)]);
        if (!hit || !InSeason(type, calendar_month)) continue;
        Disaster d;
        d.township = t;
        d.month = static_cast<int16_t>(m);
        d.day = static_cast<int16_t>(rng.UniformInt(1, ctx.DaysInMonth(m)));
        d.type = type;
        const double low = type == DisasterType::kEarthquake ? 0.3 : params::kAffectedLow;
        const double high = type == DisasterType::kEarthquake ? 0.9 : params::kAffectedHigh;
        d.affected_share = rng.Uniform(low, high);
        ctx.township_disasters[static_cast<size_t>(t)].push_back(static_cast<int32_t>(ctx.disasters.size()));
        ctx.disasters.push_back(d);
      }
    }
  }
}

void DrawEpidemic(RunContext& ctx) {
  Rng rng(ctx.seed, Stream::kEpidemic, 0);
  const int length = static_cast<int>(rng.UniformInt(params::kEpidemicMonthsLow, params::kEpidemicMonthsHigh));
  ctx.epidemic.first = static_cast<int>(rng.UniformInt(0, ctx.months - 1));
  ctx.epidemic.last = std::min(ctx.months - 1, ctx.epidemic.first + length - 1);
  ctx.epidemic.county.assign(ctx.geo->counties().size(), false);
  for (size_t c = 0; c < ctx.epidemic.county.size(); ++c) {
    ctx.epidemic.county[c] = rng.Bernoulli(params::kEpidemicCountyShare);
  }
}

}  // namespace

RunContext MakeRunContext(const Geography& geo, const HouseholdLayout& layout, uint64_t seed, Date start, int months) {
  RunContext ctx;
  ctx.geo = &geo;
  ctx.layout = &layout;
  ctx.seed = seed;
  ctx.start = Date::FromCivil(start.year(), start.month(), 1);
  ctx.months = months;
  for (int m = -12; m <= months; ++m) {
    const Date d = ctx.start.AddMonths(m);
    ctx.first_day.push_back(d.days());
    ctx.calendar_month.push_back(static_cast<int8_t>(d.month()));
    ctx.year.push_back(static_cast<int16_t>(d.year()));
  }
  ctx.income_year = ctx.start.year() - 1;
  ctx.income_scale = std::pow(1.0 + params::kNominalGrowth, ctx.income_year - params::kIncomeAnchorYear);
  DrawDisasters(ctx);
  DrawEpidemic(ctx);
  return ctx;
}

}  // namespace hearth::gen
