#include "core/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

#include "core/messages.h"

namespace hearth {
namespace {

TEST(ParseMoneyTest, AcceptsOfficeForms) {
  struct Case {
    std::string_view input;
    int64_t fen;
  };
  const Case cases[] = {
      {"1234", 123400},
      {"0", 0},
      {"0.01", 1},
      {"1,234.50", 123450},
      {"1,234,567.89", 123456789},
      {"123,456", 12345600},
      {"1234.5元", 123450},
      {"1234.5 元", 123450},
      {"100元整", 10000},
      {"¥1,200.50 元整", 120050},
      {"¥1,234", 123400},
      {"¥ 1,234", 123400},
      {"￥1,234.00", 123400},
      {"￥12元", 1200},
      {" 12 ", 1200},
      {"\t12\t", 1200},
      {"\xE3\x80\x80" "12", 1200},    // ideographic space
      {"１２３４．５", 123450},      // full-width digits and point
      {"１，２３４", 123400},        // full-width comma
      {"007", 700},
      // A space as the thousands separator, as spreadsheets in other locales group digits.
      {"12 345.50", 1234550},
      {"12 345", 1234500},
      {"1 234", 123400},
      {"1 234 567.89", 123456789},
      {"12\u00A0345.50", 1234550},      // no-break space
      {"12\u2009345", 1234500},         // thin space
      {"1\u202F234\u202F567", 123456700},  // narrow no-break space
      {"12\u3000345", 1234500},         // ideographic space
      {"¥12 345.50元", 1234550},
      {"(12 345.50)", -1234550},
      {"-12 345", -1234500},
      {"12.3", 1230},
      {"12.30", 1230},
      {"-12", -1200},
      {"-12.05", -1205},
      {"- 12", -1200},
      {"－１２", -1200},             // full-width minus
      {"(12.00)", -1200},
      {"（12.00）", -1200},          // full-width parentheses
      {"( 12 )", -1200},
      {"(1,234.5元)", -123450},
      {"(12.00)元", -1200},
      {"-¥12", -1200},
      {"¥-12", -1200},
      {"(¥12)", -1200},
      {"-0", 0},
      {"1000000000000", Money::kMaxFen},
      {"-1,000,000,000,000.00", -Money::kMaxFen},
      {"0000000000000000000001", 100},  // leading zeros do not count towards the range
      // Excel's accounting format writes zero as a dash (saved to CSV as it is shown).
      {"-", 0},
      {" -   ", 0},
      {"¥ -", 0},
      {"￥-", 0},
      {"¥ -   ", 0},
      {"—", 0},
      {"–", 0},
      {"- 元", 0},
      // Ten thousands of yuan.
      {"1.5万", 1500000},
      {"1.5万元", 1500000},
      {"¥2万", 2000000},
      {"12.3456万", 12345600},
      {"0.000001万", 1},
      {"1,234万", 1234000000},
      {"(1万)", -1000000},
      // Hundred millions of yuan.
      {"1.2亿", 12000000000},
      {"1.2亿元", 12000000000},
      {"0.0000000001亿", 1},
      {"10000亿", Money::kMaxFen},
      // Nothing paid, as offices write it.
      {"无", 0},
      {"/", 0},
      {"／", 0},  // full-width
  };
  for (const Case& c : cases) {
    StatusOr<Money> m = ParseMoney(c.input);
    ASSERT_TRUE(m.ok()) << c.input << ": " << m.status().ToString();
    EXPECT_EQ(m->fen(), c.fen) << c.input;
  }
}

TEST(ParseMoneyTest, RejectsWithTheRightKind) {
  struct Case {
    std::string_view input;
    std::string_view kind;
  };
  const Case cases[] = {
      {"", "money_format"},
      {"   ", "money_format"},
      {"abc", "money_format"},
      {"十二元", "money_format"},
      {"无12", "money_format"},
      {"万", "money_format"},
      {"1.万", "money_format"},
      {"1.0000001万", "money_precision"},
      {"1万万", "money_format"},
      {"1/2", "money_format"},
      {"12abc", "money_format"},
      {"12 34", "money_format"},
      {"1 2345", "money_format"},        // a space: groups of exactly 3 digits, one separator
      {"12 345 67", "money_format"},
      {"1234 567", "money_format"},
      {"12  345", "money_format"},
      {"1,234 567", "money_format"},
      {"1 234,567", "money_format"},
      {"12\u00A0345\u2009678", "money_format"},
      {"12\u00A034", "money_format"},
      {"12\u202F3456", "money_format"},
      {"12\u300034", "money_format"},
      {"12 345.5 0", "money_format"},
      {"12 345.505", "money_precision"},
      {"1,23", "money_format"},          // misplaced separator
      {"12,34.5", "money_format"},
      {"1234,567", "money_format"},
      {",123", "money_format"},
      {"1,234,", "money_format"},
      {"1,,234", "money_format"},
      {"1.234,50", "money_format"},      // European style
      {"1.2.3", "money_format"},
      {"12.", "money_format"},
      {".5", "money_format"},
      {"12.a", "money_format"},
      {"1e3", "money_format"},
      {"1.5E+04", "money_format"},
      {"--12", "money_format"},
      {"-(12)", "money_format"},
      {"(-12)", "money_format"},
      {"(12", "money_format"},
      {"12)", "money_format"},
      {"()", "money_format"},
      {"¥", "money_format"},
      {"元", "money_format"},
      {"12元元", "money_format"},
      {"¥¥12", "money_format"},
      {"12-", "money_format"},
      {"+12", "money_format"},
      {"$12", "money_format"},
      {"0x10", "money_format"},
      {"NaN", "money_format"},
      {"1.00000000001亿", "money_precision"},
      {"10000.01亿", "money_range"},
      {"亿", "money_format"},
      {"1.234", "money_precision"},
      {"0.001", "money_precision"},
      {"1,234.567", "money_precision"},
      {"1234.500", "money_precision"},
      {"-12.345元", "money_precision"},
      {"1000000000000.01", "money_range"},
      {"1000000000001", "money_range"},
      {"-1000000000000.01", "money_range"},
      {"99999999999999999999999999", "money_range"},
      {"9,223,372,036,854,775,807", "money_range"},
  };
  for (const Case& c : cases) {
    StatusOr<Money> m = ParseMoney(c.input);
    ASSERT_FALSE(m.ok()) << c.input << " -> " << m->fen();
    EXPECT_EQ(m.status().kind(), c.kind) << c.input;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << c.input;
    EXPECT_NE(m.status().message().find(std::string(c.input)), std::string::npos) << m.status().message();
  }
}

TEST(ParseMoneyTest, MessagesQuoteTheInputAndSayWhatToDo) {
  SetLanguage(Lang::kEn);
  EXPECT_EQ(ParseMoney("12x").status().message().find("\"12x\" is not an amount"), 0u);
  EXPECT_NE(ParseMoney("1.234").status().message().find("two decimals"), std::string::npos);
  SetLanguage(Lang::kZh);
  EXPECT_NE(ParseMoney("1.234").status().message().find("“1.234”"), std::string::npos);
  EXPECT_NE(ParseMoney("1.234").status().message().find("两位小数"), std::string::npos);
}

TEST(ParseMoneyInUnitTest, ExactToTheFen) {
  struct Case {
    std::string_view input;
    MoneyUnit unit;
    int64_t fen;
  };
  const Case cases[] = {
      {"1234.5", MoneyUnit::kYuan, 123450},
      {"1.5", MoneyUnit::kTenThousandYuan, 1500000},
      {"0.000001", MoneyUnit::kTenThousandYuan, 1},
      {"12.3456", MoneyUnit::kTenThousandYuan, 12345600},
      {"1,234", MoneyUnit::kTenThousandYuan, 1234000000},
      {"１．５", MoneyUnit::kTenThousandYuan, 1500000},        // full-width
      {"-1.5", MoneyUnit::kTenThousandYuan, -1500000},
      {"(0.5)", MoneyUnit::kTenThousandYuan, -500000},
      {"¥2", MoneyUnit::kTenThousandYuan, 2000000},
      {"0.1", MoneyUnit::kTenThousandYuan, 100000},             // 0.1 is not binary: still exact
      {"2.5", MoneyUnit::kThousandYuan, 250000},
      {"0.00001", MoneyUnit::kThousandYuan, 1},
      {"3.14", MoneyUnit::kHundredYuan, 31400},
      {"0.0001", MoneyUnit::kHundredYuan, 1},
      {"1.23", MoneyUnit::kHundredMillionYuan, 12300000000},
      {"0.0000000001", MoneyUnit::kHundredMillionYuan, 1},
      {"10000", MoneyUnit::kHundredMillionYuan, Money::kMaxFen},
      {"100000000", MoneyUnit::kTenThousandYuan, Money::kMaxFen},
      // A cell naming its own unit says what it is.
      {"8000元", MoneyUnit::kTenThousandYuan, 800000},
      {"1.5万", MoneyUnit::kThousandYuan, 1500000},
      {"2亿", MoneyUnit::kTenThousandYuan, 20000000000},
      // Nothing, as offices write it.
      {"-", MoneyUnit::kTenThousandYuan, 0},
      {"无", MoneyUnit::kThousandYuan, 0},
      {"0", MoneyUnit::kHundredMillionYuan, 0},
  };
  for (const Case& c : cases) {
    StatusOr<Money> m = ParseMoneyInUnit(c.input, c.unit);
    ASSERT_TRUE(m.ok()) << c.input << " " << MoneyUnitName(c.unit) << ": " << m.status().ToString();
    EXPECT_EQ(m->fen(), c.fen) << c.input << " " << MoneyUnitName(c.unit);
  }
}

TEST(ParseMoneyInUnitTest, RejectsNamingTheUnit) {
  struct Case {
    std::string_view input;
    MoneyUnit unit;
    std::string_view kind;
    bool names_unit;  // the message says the column's unit
  };
  const Case cases[] = {
      {"1.0000001", MoneyUnit::kTenThousandYuan, "money_precision", true},
      {"0.000001", MoneyUnit::kThousandYuan, "money_precision", true},
      {"0.00000000001", MoneyUnit::kHundredMillionYuan, "money_precision", true},
      {"1,2", MoneyUnit::kTenThousandYuan, "money_format", true},
      {"1 2345", MoneyUnit::kThousandYuan, "money_format", true},
      {"12 34.5", MoneyUnit::kTenThousandYuan, "money_format", true},
      {"abc", MoneyUnit::kThousandYuan, "money_format", true},
      {"1e3", MoneyUnit::kTenThousandYuan, "money_format", true},
      {"--1", MoneyUnit::kTenThousandYuan, "money_format", true},
      {"100000000.01", MoneyUnit::kTenThousandYuan, "money_range", false},
      {"10000.00000001", MoneyUnit::kHundredMillionYuan, "money_range", false},
      {"1000000001", MoneyUnit::kThousandYuan, "money_range", false},
      {"99999999999999999999", MoneyUnit::kHundredMillionYuan, "money_range", false},
      {"1.5万万", MoneyUnit::kTenThousandYuan, "money_format", false},  // its own unit, as ParseMoney reads it
  };
  for (const Case& c : cases) {
    StatusOr<Money> m = ParseMoneyInUnit(c.input, c.unit);
    ASSERT_FALSE(m.ok()) << c.input << " -> " << m->fen();
    EXPECT_EQ(m.status().kind(), c.kind) << c.input;
    EXPECT_NE(m.status().message().find(std::string(c.input)), std::string::npos) << m.status().message();
    if (c.names_unit) {
      const std::string says = "以" + std::string(MoneyUnitName(c.unit)) + "为单位";
      EXPECT_NE(m.status().message().find(says), std::string::npos) << c.input << ": " << m.status().message();
    }
  }
}

TEST(ParseMoneyInUnitTest, MessagesSayTheUnit) {
  SetLanguage(Lang::kEn);
  const std::string format = ParseMoneyInUnit("1,2", MoneyUnit::kTenThousandYuan).status().message();
  EXPECT_NE(format.find("10,000 yuan (万元)"), std::string::npos) << format;
  const std::string precision = ParseMoneyInUnit("1.0000001", MoneyUnit::kTenThousandYuan).status().message();
  EXPECT_NE(precision.find("at most 6 decimals"), std::string::npos) << precision;
  SetLanguage(Lang::kZh);
  const std::string zh = ParseMoneyInUnit("0.000001", MoneyUnit::kThousandYuan).status().message();
  EXPECT_NE(zh.find("以千元为单位"), std::string::npos) << zh;
  EXPECT_NE(zh.find("至多 5 位小数"), std::string::npos) << zh;
}

TEST(MoneyTest, Formatting) {
  struct Case {
    int64_t fen;
    std::string_view text;
    std::string_view plain;
  };
  const Case cases[] = {
      {0, "0.00", "0.00"},
      {1, "0.01", "0.01"},
      {10, "0.10", "0.10"},
      {123450, "1,234.50", "1234.50"},
      {100000, "1,000.00", "1000.00"},
      {99999, "999.99", "999.99"},
      {123456789, "1,234,567.89", "1234567.89"},
      {-1, "-0.01", "-0.01"},
      {-123450, "-1,234.50", "-1234.50"},
      {Money::kMaxFen, "1,000,000,000,000.00", "1000000000000.00"},
      {std::numeric_limits<int64_t>::min(), "-92,233,720,368,547,758.08", "-92233720368547758.08"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Money::FromFen(c.fen).ToString(), c.text) << c.fen;
    EXPECT_EQ(Money::FromFen(c.fen).ToPlain(), c.plain) << c.fen;
  }
}

TEST(MoneyTest, ToPlainRoundTripsThroughParse) {
  for (int64_t fen : std::initializer_list<int64_t>{0, 1, 99, 123450, -5, -123456789, Money::kMaxFen}) {
    const Money m = Money::FromFen(fen);
    EXPECT_EQ(ParseMoney(m.ToPlain())->fen(), fen);
    EXPECT_EQ(ParseMoney(m.ToString())->fen(), fen);
  }
}

TEST(MoneyTest, Arithmetic) {
  Money a = Money::FromYuan(12);
  EXPECT_EQ(a.fen(), 1200);
  EXPECT_EQ((a + Money::FromFen(5)).fen(), 1205);
  EXPECT_EQ((a - Money::FromFen(5)).fen(), 1195);
  EXPECT_EQ((-a).fen(), -1200);
  a += Money::FromFen(1);
  EXPECT_EQ(a.fen(), 1201);
  a -= Money::FromFen(2);
  EXPECT_EQ(a.fen(), 1199);
  EXPECT_LT(Money::FromFen(-1), Money());
  EXPECT_EQ(Money(), Money::FromFen(0));
}

TEST(MoneyTest, TimesRoundsHalfAwayFromZero) {
  struct Case {
    int64_t fen;
    Decimal factor;
    int64_t expected;
  };
  const Case cases[] = {
      {1000, {5, 1}, 500},                // x 0.5
      {1001, {5, 1}, 501},                // 500.5 -> 501
      {-1001, {5, 1}, -501},              // -500.5 -> -501
      {1003, {5, 1}, 502},                // 501.5 -> 502
      {1000, {15, 1}, 1500},              // x 1.5
      {333, {1, 1}, 33},                  // 33.3 -> 33
      {335, {1, 1}, 34},                  // 33.5 -> 34
      {-335, {1, 1}, -34},
      {-334, {1, 1}, -33},
      {1, {5, 1}, 1},                     // 0.5 fen -> 1
      {1, {4, 1}, 0},
      {-1, {5, 1}, -1},
      {12345, {-2, 0}, -24690},           // x -2
      {12345, {0, 0}, 0},
      {12345, {1, 0}, 12345},
      {100, {333333333, 9}, 33},          // x 0.333333333
      {10000, {5, 2}, 500},               // 5 %
      {Money::kMaxFen, {999999999, 9}, Money::kMaxFen - 100000},
      {Money::kMaxFen, {2, 0}, 2 * Money::kMaxFen},  // no overflow in the product
      {Money::kMaxFen, {123456789, 4}, 1234567890000000000LL},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Money::FromFen(c.fen).Times(c.factor).fen(), c.expected)
        << c.fen << " x " << c.factor.units << "e-" << c.factor.scale;
  }
}

TEST(MoneyTest, DividedByRoundsHalfAwayFromZero) {
  struct Case {
    int64_t fen;
    int64_t n;
    int64_t expected;
  };
  const Case cases[] = {
      {1000, 3, 333}, {1001, 2, 501}, {-1001, 2, -501}, {1000, 6, 167}, {-1000, 6, -167},
      {5, 10, 1},     {4, 10, 0},     {-5, 10, -1},     {0, 7, 0},      {1200, 1, 1200},
      {std::numeric_limits<int64_t>::max(), 1, std::numeric_limits<int64_t>::max()},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Money::FromFen(c.fen).DividedBy(c.n).fen(), c.expected) << c.fen << " / " << c.n;
  }
}

// A per-person income never shows above what the household has: 35,999.99 for six persons is
// 5,999.99, not the 6,000.00 that rounding would print beside a 6,000.00 line.
TEST(MoneyTest, DividedByRoundingDownGoesTowardNegativeInfinity) {
  struct Case {
    int64_t fen;
    int64_t n;
    int64_t expected;
  };
  const Case cases[] = {
      {3599999, 6, 599999}, {1000, 3, 333}, {1001, 2, 500}, {-1001, 2, -501}, {-1000, 6, -167},
      {5, 10, 0},           {-5, 10, -1},   {0, 7, 0},      {-6, 3, -2},      {1200, 1, 1200},
      {std::numeric_limits<int64_t>::min(), 1, std::numeric_limits<int64_t>::min()},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Money::FromFen(c.fen).DividedByRoundingDown(c.n).fen(), c.expected) << c.fen << " / " << c.n;
  }
}

TEST(ParseDecimalTest, Accepts) {
  struct Case {
    std::string_view input;
    int64_t units;
    int scale;
  };
  const Case cases[] = {
      {"1.5", 15, 1},       {"0.05", 5, 2},        {"-2", -2, 0},          {"150%", 150, 2},
      {"1.5%", 15, 3},      {"0", 0, 0},           {"1", 1, 0},            {" 0.5 ", 5, 1},
      {"+3", 3, 0},         {"１．５", 15, 1},     {"100 %", 100, 2},      {"-12.5%", -125, 3},
      {"0.123456789", 123456789, 9}, {"007.10", 710, 2}, {"50％", 50, 2},  // full-width percent
      {"123456789012345678", 123456789012345678LL, 0},
  };
  for (const Case& c : cases) {
    StatusOr<Decimal> d = ParseDecimal(c.input);
    ASSERT_TRUE(d.ok()) << c.input << ": " << d.status().ToString();
    EXPECT_EQ(d->units, c.units) << c.input;
    EXPECT_EQ(d->scale, c.scale) << c.input;
  }
}

TEST(ParseDecimalTest, Rejects) {
  const std::string_view cases[] = {
      "",     "abc", "1.",     ".5",  "1.2.3", "1,5",         "%",      "1%%",
      "--1",  "+-1", "1e3",    "1 5", "half",  "0.1234567890", "0.00000001%", "1234567890123456789",
      "1.5x", "¥1",
  };
  for (std::string_view input : cases) {
    StatusOr<Decimal> d = ParseDecimal(input);
    ASSERT_FALSE(d.ok()) << input << " -> " << d->units << "e-" << d->scale;
    EXPECT_EQ(d.status().kind(), "decimal_format") << input;
    EXPECT_NE(d.status().message().find(std::string(input)), std::string::npos) << d.status().message();
  }
}

TEST(MoneyTest, ParsedFactorTimesParsedAmount) {
  const Money fee = *ParseMoney("1,234.50");
  EXPECT_EQ(fee.Times(*ParseDecimal("150%")).ToString(), "1,851.75");
  EXPECT_EQ(fee.Times(*ParseDecimal("0.333")).ToString(), "411.09");  // 411.0885 -> 411.09
  EXPECT_EQ(fee.DividedBy(12).ToString(), "102.88");                // 102.875 -> 102.88
}

}  // namespace
}  // namespace hearth
