// Money as exact integer fen (分). Never binary floating point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth {

//! An exact decimal factor such as 0.5 or 1.5, as `units / 10^scale`. Read from text, never
//! from a double.
struct Decimal {
  int64_t units = 0;
  int scale = 0;  // number of decimal places, 0..9
};

//! Parses "1.5", "0.05", "-2", "150%" (= 1.5). Kind "decimal_format" on failure.
StatusOr<Decimal> ParseDecimal(std::string_view text);

//! An amount of money in fen. Range: |fen| <= kMaxFen (one trillion yuan).
class Money {
 public:
  static constexpr int64_t kMaxFen = 100'000'000'000'000LL;

  constexpr Money() = default;
  static constexpr Money FromFen(int64_t fen) { Money m; m.fen_ = fen; return m; }
  static constexpr Money FromYuan(int64_t yuan) { return FromFen(yuan * 100); }

  constexpr int64_t fen() const { return fen_; }
  //! "1,234.50" (thousands separators, two decimals, leading '-' when negative).
  std::string ToString() const;
  //! "1234.50" (no separators), for CSV and JSON.
  std::string ToPlain() const;

  //! This amount times an exact decimal factor, rounded half away from zero to the fen.
  Money Times(Decimal factor) const;
  //! This amount divided by n (> 0), rounded half away from zero to the fen.
  Money DividedBy(int64_t n) const;
  //! Divided by n > 0, rounded down to the fen (toward negative infinity): a per-person income as
  //! the policy states it (docs/POLICY.md), never shown above what the household has.
  Money DividedByRoundingDown(int64_t n) const;

  constexpr Money operator+(Money o) const { return FromFen(fen_ + o.fen_); }
  constexpr Money operator-(Money o) const { return FromFen(fen_ - o.fen_); }
  constexpr Money operator-() const { return FromFen(-fen_); }
  Money& operator+=(Money o) { fen_ += o.fen_; return *this; }
  Money& operator-=(Money o) { fen_ -= o.fen_; return *this; }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  int64_t fen_ = 0;
};

//! Parses amounts in yuan as offices write them: "1234", "1,234.50", "1234.5元", "¥1,234",
//! a space as the thousands separator ("12 345.50"; also U+00A0, U+2009, U+202F, U+3000, one
//! kind throughout, groups of exactly 3 digits: "12 34" is "money_format"),
//! "￥1,234.00", " 12 ", full-width digits, a leading '-' or a value in parentheses "(12.00)"
//! for negatives, ten thousands with 万 ("1.5万", "1.5万元": up to six decimals), hundred
//! millions with 亿 ("1.2亿", "1.2亿元": up to ten decimals), and nothing written as Excel's
//! accounting zero (a lone dash: "-", "¥ -", "—"), "无" or "/". At most two decimals of yuan
//! (more -> kind "money_precision"); garbage -> kind "money_format"; beyond Money::kMaxFen ->
//! kind "money_range". Messages quote the input.
StatusOr<Money> ParseMoney(std::string_view text);

//! What a plain number in an amount column counts, as its header or the table's title states
//! it (金额（万元）, 单位：千元): yuan or a multiple of it. The value is the power of ten.
enum class MoneyUnit : int8_t {
  kYuan = 0,                //!< 元
  kHundredYuan = 2,         //!< 百元
  kThousandYuan = 3,        //!< 千元
  kTenThousandYuan = 4,     //!< 万元 (also written 万)
  kHundredMillionYuan = 8,  //!< 亿元
};

//! The unit's Chinese name: "元", "百元", "千元", "万元", "亿元".
std::string_view MoneyUnitName(MoneyUnit unit);

//! Parses an amount written in `unit`, exactly to the fen (no floating point): in a 万元 column
//! "1.5" is 15,000 yuan and "0.000001" one fen; a unit of 10^k yuan takes up to k + 2 decimals
//! (more -> "money_precision", naming the unit). A cell that names its own unit ("8000元",
//! "1.5万", "2亿") says what it is and is read as ParseMoney reads it; so are the accounting
//! zero, "无" and "/". An unreadable number -> "money_format" naming the unit; beyond
//! Money::kMaxFen -> "money_range". With kYuan this is ParseMoney.
StatusOr<Money> ParseMoneyInUnit(std::string_view text, MoneyUnit unit);

}  // namespace hearth
