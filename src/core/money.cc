#include "core/money.h"

#include <fmt/format.h>

#include <cassert>
#include <optional>

#include "core/messages.h"
#include "core/text.h"

namespace hearth {
namespace {

constexpr int kMaxDecimalScale = 9;
constexpr size_t kMaxDecimalDigits = 18;  // fits int64
constexpr size_t kMaxYuanDigits = 13;     // Money::kMaxFen is 10^12 yuan

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

__int128 Pow10(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// num / den (den > 0), rounded half away from zero.
int64_t RoundedDivide(__int128 num, __int128 den) {
  __int128 q = num / den;
  __int128 r = num % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += num < 0 ? -1 : 1;
  return static_cast<int64_t>(q);
}

int64_t DigitsValue(std::string_view digits) {
  int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (!s->starts_with(prefix)) return false;
  *s = TrimSpace(s->substr(prefix.size()));
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (!s->ends_with(suffix)) return false;
  *s = TrimSpace(s->substr(0, s->size() - suffix.size()));
  return true;
}

// The yuan written after an amount: "元", or "元整" as on a voucher ("100元整").
bool ConsumeYuan(std::string_view* s) { return ConsumeSuffix(s, "元整") || ConsumeSuffix(s, "元"); }

// Removes "(...)", a '-', a currency sign and a trailing 元. False when signs conflict.
bool StripSignAndCurrency(std::string_view* s, bool* negative) {
  const bool yuan_sign = ConsumeYuan(s);
  *negative = s->starts_with('(') && s->ends_with(')');
  if (*negative) *s = TrimSpace(s->substr(1, s->size() - 2));
  bool minus = ConsumePrefix(s, "-");
  const bool currency = ConsumePrefix(s, "¥") || ConsumePrefix(s, "￥");
  if (currency && !minus) minus = ConsumePrefix(s, "-");
  if (!yuan_sign) ConsumeYuan(s);
  if (minus && *negative) return false;
  *negative = *negative || minus;
  return true;
}

// The length of the thousands separator at s[i], or 0: a comma, or a space as spreadsheets in
// other locales group digits (a space, U+00A0 no-break space, U+2009 thin space, U+202F narrow
// no-break space; U+3000 is a space after FoldWidth).
size_t SeparatorAt(std::string_view s, size_t i) {
  if (s[i] == ',' || s[i] == ' ') return 1;
  const std::string_view rest = s.substr(i);
  if (rest.starts_with("\u00A0")) return 2;
  if (rest.starts_with("\u2009") || rest.starts_with("\u202F")) return 3;
  return 0;
}

// "1234", "1,234,567" or "12 345": digits, or 1 to 3 digits and then groups of exactly 3 digits,
// each after the same separator ("12 34", "1 2345" and "1,234 567" are not numbers).
std::optional<std::string> IntegerDigits(std::string_view s) {
  if (AllDigits(s)) return s.empty() ? std::nullopt : std::optional<std::string>(s);
  size_t first = 0;
  while (IsDigit(s[first])) ++first;  // s holds a non-digit
  if (first == 0 || first > 3) return std::nullopt;
  const size_t separator_size = SeparatorAt(s, first);
  if (separator_size == 0) return std::nullopt;
  const std::string_view separator = s.substr(first, separator_size);
  std::string digits(s.substr(0, first));
  for (size_t i = first; i < s.size(); i += separator_size + 3) {
    if (s.substr(i, separator_size) != separator || s.size() - i < separator_size + 3) return std::nullopt;
    const std::string_view group = s.substr(i + separator_size, 3);
    if (!AllDigits(group)) return std::nullopt;
    digits.append(group);
  }
  return digits;
}

std::string_view StripLeadingZeros(std::string_view digits) {
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  return digits;
}

// Parses the unsigned number of yuan in `s` into fen.
StatusOr<int64_t> ParseYuanDigits(std::string_view s, std::string_view text) {
  const size_t dot = s.find('.');
  const std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  const std::optional<std::string> whole = IntegerDigits(s.substr(0, dot));
  const bool has_fraction = dot != std::string_view::npos;
  if (!whole || (has_fraction && (fraction.empty() || !AllDigits(fraction)))) {
    return Error(StatusCode::kInvalidArgument, Msg::kMoneyFormat, text);
  }
  if (fraction.size() > 2) return Error(StatusCode::kInvalidArgument, Msg::kMoneyPrecision, text);
  const std::string_view yuan = StripLeadingZeros(*whole);
  if (yuan.size() > kMaxYuanDigits) return Error(StatusCode::kInvalidArgument, Msg::kMoneyRange, text);
  const int64_t fen = DigitsValue(yuan) * 100 + DigitsValue(fraction) * (fraction.size() == 1 ? 10 : 1);
  if (fen > Money::kMaxFen) return Error(StatusCode::kInvalidArgument, Msg::kMoneyRange, text);
  return fen;
}

// How many yuan one unit is, for the messages: "10,000".
std::string_view UnitInYuan(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::kYuan: return "1";
    case MoneyUnit::kHundredYuan: return "100";
    case MoneyUnit::kThousandYuan: return "1,000";
    case MoneyUnit::kTenThousandYuan: return "10,000";
    case MoneyUnit::kHundredMillionYuan: return "100,000,000";
  }
  return "1";
}

// Parses the unsigned number in `s` of a unit of 10^k yuan ("1.5", "12.3456" 万元) into fen: up
// to k + 2 decimals, the last of them a fen. `column_unit`: the number is plain in a column of
// that unit, and the errors say so; else it carried its unit (1.5万) and the errors are ParseMoney's.
StatusOr<int64_t> ParseScaledDigits(std::string_view s, std::string_view text, MoneyUnit unit, bool column_unit) {
  const int exponent = static_cast<int>(unit);
  const size_t decimals = static_cast<size_t>(exponent) + 2;
  const size_t dot = s.find('.');
  const std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  const std::optional<std::string> whole = IntegerDigits(s.substr(0, dot));
  if (!whole || (dot != std::string_view::npos && (fraction.empty() || !AllDigits(fraction)))) {
    if (column_unit) return Error(StatusCode::kInvalidArgument, Msg::kMoneyFormatInUnit, text, MoneyUnitName(unit), UnitInYuan(unit));
    return Error(StatusCode::kInvalidArgument, Msg::kMoneyFormat, text);
  }
  if (fraction.size() > decimals) {
    if (column_unit) return Error(StatusCode::kInvalidArgument, Msg::kMoneyPrecisionInUnit, text, MoneyUnitName(unit), decimals);
    return Error(StatusCode::kInvalidArgument, Msg::kMoneyPrecision, text);
  }
  const std::string_view units = StripLeadingZeros(*whole);
  if (units.size() + static_cast<size_t>(exponent) > kMaxYuanDigits) {
    return Error(StatusCode::kInvalidArgument, Msg::kMoneyRange, text);
  }
  const std::string fen_digits = std::string(fraction) + std::string(decimals - fraction.size(), '0');
  const int64_t fen = DigitsValue(units) * static_cast<int64_t>(Pow10(static_cast<int>(decimals))) + DigitsValue(fen_digits);
  if (fen > Money::kMaxFen) return Error(StatusCode::kInvalidArgument, Msg::kMoneyRange, text);
  return fen;
}

std::string GroupThousands(std::string digits) {
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

uint64_t Magnitude(int64_t v) { return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

std::string FormatFen(int64_t fen, bool grouped) {
  const uint64_t magnitude = Magnitude(fen);
  std::string yuan = fmt::format("{}", magnitude / 100);
  if (grouped) yuan = GroupThousands(std::move(yuan));
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", yuan, magnitude % 100);
}

// "1.5" -> {15, 1}; `percent` adds two decimal places.
std::optional<Decimal> DecimalFromParts(std::string_view whole, std::string_view fraction, bool negative,
                                        bool percent) {
  if (whole.empty() || !AllDigits(whole) || !AllDigits(fraction)) return std::nullopt;
  const std::string digits = std::string(StripLeadingZeros(whole)) + std::string(fraction);
  const int scale = static_cast<int>(fraction.size()) + (percent ? 2 : 0);
  if (digits.size() > kMaxDecimalDigits || scale > kMaxDecimalScale) return std::nullopt;
  const int64_t units = DigitsValue(digits);
  return Decimal{negative ? -units : units, scale};
}

std::optional<Decimal> MatchDecimal(std::string_view s) {
  const bool percent = ConsumeSuffix(&s, "%");
  const bool negative = ConsumePrefix(&s, "-");
  if (!negative) ConsumePrefix(&s, "+");
  const size_t dot = s.find('.');
  if (dot == std::string_view::npos) return DecimalFromParts(s, "", negative, percent);
  const std::string_view fraction = s.substr(dot + 1);
  if (fraction.empty()) return std::nullopt;
  return DecimalFromParts(s.substr(0, dot), fraction, negative, percent);
}

}  // namespace

StatusOr<Decimal> ParseDecimal(std::string_view text) {
  const std::string folded = FoldWidth(text);
  std::optional<Decimal> d = MatchDecimal(TrimSpace(folded));
  if (!d) return Error(StatusCode::kInvalidArgument, Msg::kDecimalFormat, text);
  return *d;
}

std::string Money::ToString() const { return FormatFen(fen_, /*grouped=*/true); }

std::string Money::ToPlain() const { return FormatFen(fen_, /*grouped=*/false); }

Money Money::Times(Decimal factor) const {
  const __int128 product = static_cast<__int128>(fen_) * factor.units;
  return FromFen(RoundedDivide(product, Pow10(factor.scale)));
}

Money Money::DividedBy(int64_t n) const {
  assert(n > 0 && "Money::DividedBy needs a positive divisor");
  return FromFen(RoundedDivide(fen_, n));
}

Money Money::DividedByRoundingDown(int64_t n) const {
  assert(n > 0 && "Money::DividedByRoundingDown needs a positive divisor");
  const int64_t q = fen_ / n;
  return FromFen(q * n > fen_ ? q - 1 : q);
}

// Excel's accounting format writes zero as a dash: "-", " -   ", "¥ -", "￥-", also "—" or "–".
// Offices write "无" (none) or "/" (not applicable) in an amount column for nothing paid.
bool IsAccountingZero(std::string_view s) {
  ConsumePrefix(&s, "¥") || ConsumePrefix(&s, "￥");
  ConsumeSuffix(&s, "元");
  s = TrimSpace(s);
  return s == "-" || s == "--" || s == "—" || s == "–" || s == "无" || s == "/";
}

StatusOr<Money> ParseMoney(std::string_view text) {
  const std::string folded = FoldWidth(text);
  std::string_view s = TrimSpace(folded);
  if (IsAccountingZero(s)) return Money::FromFen(0);
  bool negative = false;
  if (!StripSignAndCurrency(&s, &negative)) return Error(StatusCode::kInvalidArgument, Msg::kMoneyFormat, text);
  // "1.5万" or "1.5万元", "1.2亿": ten thousands or hundred millions of yuan, as offices write
  // large amounts.
  std::optional<MoneyUnit> unit;
  if (ConsumeSuffix(&s, "万")) {
    unit = MoneyUnit::kTenThousandYuan;
  } else if (ConsumeSuffix(&s, "亿")) {
    unit = MoneyUnit::kHundredMillionYuan;
  }
  HEARTH_ASSIGN_OR_RETURN(int64_t fen, unit ? ParseScaledDigits(s, text, *unit, /*column_unit=*/false)
                                            : ParseYuanDigits(s, text));
  return Money::FromFen(negative ? -fen : fen);
}

std::string_view MoneyUnitName(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::kYuan: return "元";
    case MoneyUnit::kHundredYuan: return "百元";
    case MoneyUnit::kThousandYuan: return "千元";
    case MoneyUnit::kTenThousandYuan: return "万元";
    case MoneyUnit::kHundredMillionYuan: return "亿元";
  }
  return "元";
}

StatusOr<Money> ParseMoneyInUnit(std::string_view text, MoneyUnit unit) {
  if (unit == MoneyUnit::kYuan) return ParseMoney(text);
  const std::string folded = FoldWidth(text);
  std::string_view s = TrimSpace(folded);
  // A cell that names its unit (8000元, 1.5万, 2亿) says what it is; so does the accounting zero.
  const bool names_unit = s.find("元") != std::string_view::npos || s.find("万") != std::string_view::npos ||
                          s.find("亿") != std::string_view::npos;
  if (names_unit || IsAccountingZero(s)) return ParseMoney(text);
  bool negative = false;
  if (!StripSignAndCurrency(&s, &negative)) {
    return Error(StatusCode::kInvalidArgument, Msg::kMoneyFormatInUnit, text, MoneyUnitName(unit), UnitInYuan(unit));
  }
  HEARTH_ASSIGN_OR_RETURN(int64_t fen, ParseScaledDigits(s, text, unit, /*column_unit=*/true));
  return Money::FromFen(negative ? -fen : fen);
}

}  // namespace hearth
