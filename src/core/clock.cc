#include "core/clock.h"

#include <fmt/format.h>

#include <chrono>

namespace hearth {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;
constexpr int64_t kChinaOffsetMicros = 8LL * 3'600'000'000LL;

class SystemClockImpl : public Clock {
 public:
  int64_t NowMicros() const override {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  }
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Date Clock::Today() const { return DayOf(NowMicros()); }

Date Clock::DayOf(int64_t micros) {
  return Date::FromDays(static_cast<int32_t>(FloorDiv(micros + kChinaOffsetMicros, kMicrosPerDay)));
}

int64_t Clock::StartOfDayMicros(Date day) {
  return static_cast<int64_t>(day.days()) * kMicrosPerDay - kChinaOffsetMicros;
}

const Clock& SystemClock() {
  static const SystemClockImpl clock;
  return clock;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t local = micros + kChinaOffsetMicros;
  int64_t day = FloorDiv(local, kMicrosPerDay);
  int64_t secs = (local - day * kMicrosPerDay) / 1'000'000;
  Date d = Date::FromDays(static_cast<int32_t>(day));
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", d.ToIso(), secs / 3600, secs / 60 % 60, secs % 60);
}

}  // namespace hearth
