#include "core/clock.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace hearth {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kHour = 3600 * kSecond;
constexpr int64_t kDay = 24 * kHour;

// Microseconds of a UTC time of day on a date.
int64_t Utc(int y, int m, int d, int64_t hh = 0, int64_t mm = 0, int64_t ss = 0) {
  return Date::FromCivil(y, m, d).days() * kDay + hh * kHour + mm * 60 * kSecond + ss * kSecond;
}

TEST(FormatTimestampTest, ShowsChinaStandardTime) {
  struct Case {
    int64_t micros;
    std::string_view expected;
  };
  const Case cases[] = {
      {0, "1970-01-01T08:00:00+08:00"},
      {Utc(2025, 4, 5, 2), "2025-04-05T10:00:00+08:00"},
      {Utc(2025, 4, 5, 2) + 999'999, "2025-04-05T10:00:00+08:00"},  // microseconds dropped
      {Utc(2025, 4, 5, 15, 59, 59), "2025-04-05T23:59:59+08:00"},
      {Utc(2025, 4, 5, 16), "2025-04-06T00:00:00+08:00"},            // next day in China
      {Utc(2024, 12, 31, 16), "2025-01-01T00:00:00+08:00"},
      {Utc(2024, 2, 28, 16), "2024-02-29T00:00:00+08:00"},
      {-8 * kHour, "1970-01-01T00:00:00+08:00"},
      {-8 * kHour - 1, "1969-12-31T23:59:59+08:00"},                 // floor, not truncation
      {Utc(1949, 10, 1, 7), "1949-10-01T15:00:00+08:00"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatTimestamp(c.micros), c.expected) << c.micros;
}

TEST(ClockTest, TodayIsTheDateInChina) {
  struct Case {
    int64_t micros;
    Date expected;
  };
  const Case cases[] = {
      {0, Date::FromCivil(1970, 1, 1)},
      {Utc(2025, 4, 5, 0), Date::FromCivil(2025, 4, 5)},
      {Utc(2025, 4, 5, 15, 59, 59), Date::FromCivil(2025, 4, 5)},
      {Utc(2025, 4, 5, 16), Date::FromCivil(2025, 4, 6)},   // 00:00 in Beijing
      {Utc(2025, 4, 4, 23), Date::FromCivil(2025, 4, 5)},   // 07:00 in Beijing
      {Utc(2024, 12, 31, 16), Date::FromCivil(2025, 1, 1)},
      {-8 * kHour - 1, Date::FromCivil(1969, 12, 31)},
      {-8 * kHour, Date::FromCivil(1970, 1, 1)},
  };
  for (const Case& c : cases) {
    const FixedClock clock(c.micros);
    EXPECT_EQ(clock.NowMicros(), c.micros);
    EXPECT_EQ(clock.Today(), c.expected) << FormatTimestamp(c.micros);
  }
}

TEST(ClockTest, SystemClockIsNearNow) {
  const Clock& clock = SystemClock();
  const int64_t now = clock.NowMicros();
  EXPECT_GT(now, Utc(2024, 1, 1));
  EXPECT_LT(now, Utc(2100, 1, 1));
  EXPECT_GE(clock.NowMicros(), now);
  EXPECT_EQ(&SystemClock(), &clock);
  const Date today = clock.Today();
  EXPECT_GE(today, Date::FromDays(static_cast<int32_t>(now / kDay)));  // UTC+8 is never behind UTC
}

TEST(ClockTest, FixedClockIsAClock) {
  const FixedClock fixed(Utc(2025, 4, 5, 2));
  const Clock& clock = fixed;
  EXPECT_EQ(FormatTimestamp(clock.NowMicros()), "2025-04-05T10:00:00+08:00");
  EXPECT_EQ(clock.Today().ToIso(), "2025-04-05");
}

}  // namespace
}  // namespace hearth
