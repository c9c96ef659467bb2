// The outside world's time, injected so that tests are exact.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.h"

namespace hearth {

//! A source of the current time. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  //! Microseconds since the Unix epoch (UTC).
  virtual int64_t NowMicros() const = 0;
  //! Today's date (UTC+8, China Standard Time, the offices' calendar).
  Date Today() const;
  //! The first microsecond of `day` in UTC+8, as microseconds since the Unix epoch.
  static int64_t StartOfDayMicros(Date day);
  //! The date (UTC+8) of a time in microseconds since the Unix epoch.
  static Date DayOf(int64_t micros);
};

//! The system clock.
const Clock& SystemClock();

//! A clock that always says the same time; for tests and replays.
class FixedClock : public Clock {
 public:
  explicit FixedClock(int64_t micros) : micros_(micros) {}
  int64_t NowMicros() const override { return micros_; }

 private:
  int64_t micros_;
};

//! "2025-04-05T10:00:00+08:00" for a time in microseconds since the epoch.
std::string FormatTimestamp(int64_t micros);

}  // namespace hearth
