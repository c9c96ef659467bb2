// Calendar dates (a date is not a time) and the parsing of dates as offices write them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth {

//! A civil (proleptic Gregorian) date, stored as days since 1970-01-01. Trivially copyable.
class Date {
 public:
  constexpr Date() = default;
  //! From days since 1970-01-01.
  static constexpr Date FromDays(int32_t days) { Date d; d.days_ = days; return d; }
  //! From a valid year/month/day; call IsValidCivil first for untrusted input.
  static Date FromCivil(int year, int month, int day);
  static bool IsValidCivil(int year, int month, int day);

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  //! "2024-03-05".
  std::string ToIso() const;
  //! "2024-03".
  std::string ToYearMonth() const;
  //! Whole years between this birth date and `on` (age on a date).
  int YearsUntil(Date on) const;
  //! The same day `months` later (clamped to the month's last day).
  Date AddMonths(int months) const;

  constexpr auto operator<=>(const Date&) const = default;

 private:
  int32_t days_ = 0;
};

//! Parses the forms offices use: 2024-03-05, 2024/3/5, 2024.03.05, 20240305, 2024年3月5日
//! (surrounding spaces ignored; full-width digits accepted), and Excel serial numbers
//! (1900 date system, e.g. "45356" or "45356.0"; serials 1..2958465, the fake 1900-02-29
//! handled as Excel does). Failures: kind "date_format" (unrecognised text) or
//! "date_invalid" (e.g. 2024-02-30), with a message that quotes the input.
StatusOr<Date> ParseDate(std::string_view text);

//! Converts an Excel serial day number (1900 system) to a date.
StatusOr<Date> DateFromExcelSerial(double serial);

//! Parses "2025-03" or "2025/3" or "202503" into the first day of that month.
StatusOr<Date> ParseYearMonth(std::string_view text);

}  // namespace hearth
