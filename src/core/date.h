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
//! (surrounding spaces ignored; full-width digits accepted; a time part such as
//! " 00:00:00" or "T10:00" ignored), and Excel serial numbers (1900 date system, e.g.
//! "45356" or "45356.0"; the fake 1900-02-29, serial 60, is "date_invalid"). As text, a serial
//! has at most five digits, is not 1900..2099, is not like "3.5" (month.day) and is at least
//! 3654 (1910-01-01): "2024", "240305", "3.5", "13" or "0305" are "date_format" ("202403" is a month)
//! rather than silently a day in 1900 or 1905 or in a later century.
//! Failures: kind "date_format" (unrecognised text), "date_month_only" (a year 1900..2099 and a month only,
//! as ParseYearMonth reads them: "2025-03", "2025/3", "2025年3月", "202503"; no day is guessed)
//! or "date_invalid" (e.g. 2024-02-30, serial 0 or 60), with a message that quotes the input.
StatusOr<Date> ParseDate(std::string_view text);

//! Which day an Excel serial number counts from: 1900 (Windows Excel, LibreOffice, WPS) or
//! 1904 (a workbook saved with workbookPr date1904, as older Mac Excel did; serial 0 is
//! 1904-01-01, 1,462 days after the 1900 system's).
enum class SerialDates : int { k1900 = 0, k1904 = 1 };
//! ParseDate, with a serial number counted in `system`.
StatusOr<Date> ParseDate(std::string_view text, SerialDates system);

//! Converts an Excel serial day number (1900 system, 1..2958465; a fraction, the time of day,
//! is ignored) to a date. Serials 1..59 count from 1899-12-31, serials above 60 from
//! 1899-12-30; 60 (the fake 1900-02-29) and out-of-range values are "date_invalid".
StatusOr<Date> DateFromExcelSerial(double serial);

//! Parses "2025-03", "2025/3", "2025.3", "2025年3月" or "202503" into the first day of that
//! month. Failures: "date_format" (unrecognised), "date_invalid" (month not 1..12).
StatusOr<Date> ParseYearMonth(std::string_view text);

}  // namespace hearth
