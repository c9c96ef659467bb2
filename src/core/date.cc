#include "core/date.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "core/messages.h"
#include "core/text.h"

namespace hearth {
namespace {

struct Civil {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Howard Hinnant's civil_from_days.
Civil CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{yoe + era * 400 + (m <= 2), m, d};
}

bool IsLeapYear(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Excel's 1900 date system: serial 1 is 1900-01-01, serial 60 the nonexistent 1900-02-29.
constexpr int64_t kMaxExcelSerial = 2958465;  // 9999-12-31
constexpr int32_t kExcelEpochAfterLeapBug = -25569;  // 1899-12-30
constexpr int32_t kExcelEpochBeforeLeapBug = -25568;  // 1899-12-31

bool IsValidExcelSerial(int64_t serial) { return serial >= 1 && serial <= kMaxExcelSerial && serial != 60; }

Date DateFromValidSerial(int64_t serial) {
  const int32_t epoch = serial > 60 ? kExcelEpochAfterLeapBug : kExcelEpochBeforeLeapBug;
  return Date::FromDays(epoch + static_cast<int32_t>(serial));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A left-to-right reader over the text of a date.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  // Reads min..max digits (as many as there are, up to max) into *value.
  bool Digits(size_t min, size_t max, int64_t* value) {
    size_t n = 0;
    int64_t v = 0;
    while (n < max && pos_ + n < s_.size() && IsDigit(s_[pos_ + n])) v = v * 10 + (s_[pos_ + n++] - '0');
    if (n < min) return false;
    pos_ += n;
    *value = v;
    return true;
  }
  bool Literal(std::string_view lit) {
    if (!s_.substr(pos_).starts_with(lit)) return false;
    pos_ += lit.size();
    return true;
  }
  size_t SkipDigits() {
    const size_t start = pos_;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    return pos_ - start;
  }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  std::string_view Rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// A time of day after the date ("00:00:00", "T10:00", " 8:30:00.000+08:00"), which is ignored.
bool IsTimePartOrEnd(std::string_view rest) {
  if (rest.empty()) return true;
  if (rest[0] != ' ' && rest[0] != 'T') return false;
  rest = TrimSpace(rest.substr(1));
  if (rest.empty() || !IsDigit(rest[0])) return false;
  return rest.find_first_not_of("0123456789:.+-Z") == std::string_view::npos;
}

bool ReadYear(Cursor* c, Civil* out) {
  int64_t y = 0;
  if (!c->Digits(4, 4, &y)) return false;
  out->year = static_cast<int>(y);
  return true;
}

bool ReadMonthDay(Cursor* c, std::string_view month_mark, int* out) {
  int64_t v = 0;
  if (!c->Digits(1, 2, &v) || !c->Literal(month_mark)) return false;
  *out = static_cast<int>(v);
  return true;
}

// 2024-03-05, 2024/3/5, 2024.03.05 (one separator throughout).
std::optional<Civil> MatchSeparated(std::string_view s) {
  Cursor c(s);
  Civil civil;
  if (!ReadYear(&c, &civil)) return std::nullopt;
  const char sep = c.Peek();
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  const std::string_view sep_text(&sep, 1);
  if (!c.Literal(sep_text) || !ReadMonthDay(&c, sep_text, &civil.month)) return std::nullopt;
  if (!ReadMonthDay(&c, "", &civil.day) || !IsTimePartOrEnd(c.Rest())) return std::nullopt;
  return civil;
}

// 2024年3月5日 (the final 日 or 号 may be left out).
std::optional<Civil> MatchChinese(std::string_view s) {
  Cursor c(s);
  Civil civil;
  if (!ReadYear(&c, &civil) || !c.Literal("年") || !ReadMonthDay(&c, "月", &civil.month)) return std::nullopt;
  if (!ReadMonthDay(&c, "", &civil.day)) return std::nullopt;
  if (!c.Literal("日")) c.Literal("号");
  if (!IsTimePartOrEnd(c.Rest())) return std::nullopt;
  return civil;
}

// 20240305.
std::optional<Civil> MatchCompact(std::string_view s) {
  Cursor c(s);
  int64_t v = 0;
  if (!c.Digits(8, 8, &v) || !IsTimePartOrEnd(c.Rest())) return std::nullopt;
  return Civil{static_cast<int>(v / 10000), static_cast<int>(v / 100 % 100), static_cast<int>(v % 100)};
}

// A bare year such as "2024" is not read as an Excel serial (which would be a day in 1905).
bool LooksLikeYear(int64_t serial) { return serial >= 1900 && serial <= 2099; }

// "3.5" or "12.25" is a month and day without a year, not the serial of a day in January 1900.
bool LooksLikeMonthDay(int64_t serial, std::string_view fraction) {
  return serial >= 1 && serial <= 12 && fraction.size() <= 2 && fraction.find_first_not_of('0') != fraction.npos;
}

// A serial below 3654 (1910-01-01) written as text is a day ("13") or a month and day ("0305",
// "1231") typed alone, not a date of the 1900s' first decade.
constexpr int64_t kFirstTextSerial = 3654;

// An Excel serial as text: "45356", "45356.0" or "45356.4166" (the fraction, a time, ignored).
// At most five digits (up to 2173-10-13), so that "202403" or "240305" are not read as
// serials of dates centuries away.
std::optional<int64_t> MatchSerial(std::string_view s) {
  Cursor c(s);
  int64_t serial = 0;
  if (!c.Digits(1, 5, &serial)) return std::nullopt;
  const size_t dot = s.find('.');
  const std::string_view fraction = dot == s.npos ? "" : s.substr(dot + 1);
  if (c.Literal(".") && c.SkipDigits() == 0) return std::nullopt;
  if (!c.Rest().empty() || LooksLikeYear(serial) || LooksLikeMonthDay(serial, fraction)) return std::nullopt;
  return serial;
}

StatusOr<Date> FromFields(const Civil& c, std::string_view text) {
  if (!Date::IsValidCivil(c.year, c.month, c.day)) {
    return Error(StatusCode::kInvalidArgument, Msg::kDateInvalid, text);
  }
  return Date::FromCivil(c.year, c.month, c.day);
}

StatusOr<Date> FromSerial(int64_t serial, std::string_view text) {
  if (!IsValidExcelSerial(serial)) return Error(StatusCode::kInvalidArgument, Msg::kDateExcelSerial, text);
  return DateFromValidSerial(serial);
}

std::optional<Civil> MatchAnyCivil(std::string_view s) {
  if (auto c = MatchSeparated(s)) return c;
  if (auto c = MatchChinese(s)) return c;
  return MatchCompact(s);
}

// 2025-03, 2025/3, 2025.3, 2025年3月, 202503.
std::optional<Civil> MatchYearMonth(std::string_view s) {
  Cursor c(s);
  Civil civil{0, 0, 1};
  if (!ReadYear(&c, &civil)) return std::nullopt;
  const bool chinese = c.Literal("年");
  if (!chinese && !c.Literal("-") && !c.Literal("/") && !c.Literal(".") && c.Rest().size() != 2) return std::nullopt;
  if (!ReadMonthDay(&c, chinese ? "月" : "", &civil.month) || !c.Rest().empty()) return std::nullopt;
  return civil;
}

}  // namespace

Date Date::FromCivil(int year, int month, int day) { return FromDays(DaysFromCivil(year, month, day)); }

bool Date::IsValidCivil(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

int Date::year() const { return CivilFromDays(days_).year; }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }

std::string Date::ToIso() const {
  const Civil c = CivilFromDays(days_);
  if (c.year < 0 || c.year > 9999) return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
  // Written by hand: a feed writes dates into every event's key and payload (fmt cost 0.7 µs).
  char out[10] = {static_cast<char>('0' + c.year / 1000), static_cast<char>('0' + c.year / 100 % 10),
                  static_cast<char>('0' + c.year / 10 % 10), static_cast<char>('0' + c.year % 10), '-',
                  static_cast<char>('0' + c.month / 10), static_cast<char>('0' + c.month % 10), '-',
                  static_cast<char>('0' + c.day / 10), static_cast<char>('0' + c.day % 10)};
  return std::string(out, sizeof out);
}

std::string Date::ToYearMonth() const {
  const Civil c = CivilFromDays(days_);
  return fmt::format("{:04}-{:02}", c.year, c.month);
}

int Date::YearsUntil(Date on) const {
  const Civil birth = CivilFromDays(days_);
  const Civil then = CivilFromDays(on.days_);
  const bool before_birthday = then.month < birth.month || (then.month == birth.month && then.day < birth.day);
  return then.year - birth.year - (before_birthday ? 1 : 0);
}

Date Date::AddMonths(int months) const {
  const Civil c = CivilFromDays(days_);
  const int total = c.year * 12 + (c.month - 1) + months;
  const int year = total >= 0 ? total / 12 : (total - 11) / 12;
  const int month = total - year * 12 + 1;
  const int day = c.day < DaysInMonth(year, month) ? c.day : DaysInMonth(year, month);
  return FromCivil(year, month, day);
}

StatusOr<Date> ParseDate(std::string_view text) { return ParseDate(text, SerialDates::k1900); }

StatusOr<Date> ParseDate(std::string_view text, SerialDates system) {
  const std::string folded = FoldWidth(text);
  const std::string_view s = TrimSpace(folded);
  if (std::optional<Civil> civil = MatchAnyCivil(s)) return FromFields(*civil, text);
  if (std::optional<int64_t> serial = MatchSerial(s)) {
    if (IsValidExcelSerial(*serial) && *serial < kFirstTextSerial) {
      return Error(StatusCode::kInvalidArgument, Msg::kDateFormat, text);
    }
    // Day 0 of the 1904 system is serial 1462 of the 1900 one.
    return FromSerial(system == SerialDates::k1904 ? *serial + 1462 : *serial, text);
  }
  // "2025-03", "2025年3月", "202503": a month where a day is asked for; which day is never guessed.
  // ("240305" is no month of the year 2403.)
  if (std::optional<Civil> month = MatchYearMonth(s);
      month && LooksLikeYear(month->year) && Date::IsValidCivil(month->year, month->month, 1)) {
    return Error(StatusCode::kInvalidArgument, Msg::kDateMonthOnly, text);
  }
  return Error(StatusCode::kInvalidArgument, Msg::kDateFormat, text);
}

StatusOr<Date> DateFromExcelSerial(double serial) {
  const std::string text = fmt::format("{}", serial);
  if (!std::isfinite(serial) || serial < 1 || serial >= kMaxExcelSerial + 1) {
    return Error(StatusCode::kInvalidArgument, Msg::kDateExcelSerial, text);
  }
  return FromSerial(static_cast<int64_t>(std::floor(serial)), text);
}

StatusOr<Date> ParseYearMonth(std::string_view text) {
  const std::string folded = FoldWidth(text);
  std::optional<Civil> civil = MatchYearMonth(TrimSpace(folded));
  if (!civil) return Error(StatusCode::kInvalidArgument, Msg::kYearMonthFormat, text);
  if (!Date::IsValidCivil(civil->year, civil->month, 1)) {
    return Error(StatusCode::kInvalidArgument, Msg::kYearMonthInvalid, text);
  }
  return Date::FromCivil(civil->year, civil->month, 1);
}

}  // namespace hearth
