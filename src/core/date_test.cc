#include "core/date.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/messages.h"

namespace hearth {
namespace {

Date D(int y, int m, int d) { return Date::FromCivil(y, m, d); }

TEST(DateTest, DaysSinceEpoch) {
  struct Case {
    int y, m, d;
    int32_t days;
  };
  const Case cases[] = {
      {1970, 1, 1, 0},       {1970, 1, 2, 1},         {1969, 12, 31, -1},     {2000, 3, 1, 11017},
      {2024, 3, 5, 19787},   {1900, 1, 1, -25567},    {1899, 12, 30, -25569}, {2000, 2, 29, 11016},
      {1, 1, 1, -719162},    {9999, 12, 31, 2932896},
  };
  for (const Case& c : cases) {
    const Date date = D(c.y, c.m, c.d);
    EXPECT_EQ(date.days(), c.days) << c.y << "-" << c.m << "-" << c.d;
    EXPECT_EQ(date.year(), c.y);
    EXPECT_EQ(date.month(), c.m);
    EXPECT_EQ(date.day(), c.d);
    EXPECT_EQ(Date::FromDays(c.days), date);
  }
}

TEST(DateTest, RoundTripsEveryDayOfFourCenturies) {
  for (int32_t days = D(1800, 1, 1).days(); days <= D(2200, 12, 31).days(); ++days) {
    const Date date = Date::FromDays(days);
    ASSERT_TRUE(Date::IsValidCivil(date.year(), date.month(), date.day())) << days;
    ASSERT_EQ(D(date.year(), date.month(), date.day()).days(), days);
  }
}

TEST(DateTest, IsValidCivil) {
  struct Case {
    int y, m, d;
    bool valid;
  };
  const Case cases[] = {
      {2024, 2, 29, true},  {2023, 2, 29, false}, {1900, 2, 29, false}, {2000, 2, 29, true},
      {2024, 4, 30, true},  {2024, 4, 31, false}, {2024, 12, 31, true}, {2024, 13, 1, false},
      {2024, 0, 1, false},  {2024, 1, 0, false},  {2024, 1, 32, false}, {0, 1, 1, false},
      {9999, 12, 31, true}, {10000, 1, 1, false}, {2024, -1, 1, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Date::IsValidCivil(c.y, c.m, c.d), c.valid) << c.y << "-" << c.m << "-" << c.d;
  }
}

TEST(DateTest, Formatting) {
  EXPECT_EQ(D(2024, 3, 5).ToIso(), "2024-03-05");
  EXPECT_EQ(D(812, 11, 30).ToIso(), "0812-11-30");
  EXPECT_EQ(D(2024, 3, 5).ToYearMonth(), "2024-03");
  EXPECT_EQ(Date().ToIso(), "1970-01-01");
  EXPECT_EQ(D(9999, 12, 31).ToIso(), "9999-12-31");
  EXPECT_EQ(D(10000, 1, 1).ToIso(), "10000-01-01");
  EXPECT_EQ(D(0, 1, 9).ToIso(), "0000-01-09");
}

TEST(DateTest, Ordering) {
  EXPECT_LT(D(2024, 3, 5), D(2024, 3, 6));
  EXPECT_GT(D(2025, 1, 1), D(2024, 12, 31));
  EXPECT_EQ(D(2024, 3, 5), Date::FromDays(19787));
}

TEST(DateTest, YearsUntil) {
  struct Case {
    Date birth;
    Date on;
    int years;
  };
  const Case cases[] = {
      {D(1949, 12, 31), D(2024, 12, 30), 74},
      {D(1949, 12, 31), D(2024, 12, 31), 75},
      {D(2000, 3, 5), D(2018, 3, 4), 17},
      {D(2000, 3, 5), D(2018, 3, 5), 18},
      {D(2000, 2, 29), D(2018, 2, 28), 17},  // a 29 February birthday comes on 1 March
      {D(2000, 2, 29), D(2018, 3, 1), 18},
      {D(2000, 2, 29), D(2024, 2, 29), 24},
      {D(2024, 1, 1), D(2024, 1, 1), 0},
      {D(2024, 1, 2), D(2024, 1, 1), -1},
  };
  for (const Case& c : cases) EXPECT_EQ(c.birth.YearsUntil(c.on), c.years) << c.birth.ToIso() << " " << c.on.ToIso();
}

TEST(DateTest, AddMonths) {
  struct Case {
    Date from;
    int months;
    Date expected;
  };
  const Case cases[] = {
      {D(2024, 1, 15), 1, D(2024, 2, 15)},   {D(2024, 1, 31), 1, D(2024, 2, 29)},
      {D(2023, 1, 31), 1, D(2023, 2, 28)},   {D(2024, 3, 31), 1, D(2024, 4, 30)},
      {D(2024, 11, 30), 2, D(2025, 1, 30)},  {D(2024, 1, 15), 0, D(2024, 1, 15)},
      {D(2024, 1, 15), -1, D(2023, 12, 15)}, {D(2024, 3, 31), -1, D(2024, 2, 29)},
      {D(2024, 1, 15), -13, D(2022, 12, 15)}, {D(2024, 1, 15), 36, D(2027, 1, 15)},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.from.AddMonths(c.months), c.expected) << c.from.ToIso() << " + " << c.months;
  }
}

TEST(ParseDateTest, AcceptsOfficeForms) {
  struct Case {
    std::string_view input;
    Date expected;
  };
  const Case cases[] = {
      {"2024-03-05", D(2024, 3, 5)},
      {"2024/3/5", D(2024, 3, 5)},
      {"2024/03/05", D(2024, 3, 5)},
      {"2024.03.05", D(2024, 3, 5)},
      {"2024.3.5", D(2024, 3, 5)},
      {"2024-3-15", D(2024, 3, 15)},
      {"20240305", D(2024, 3, 5)},
      {"2024年3月5日", D(2024, 3, 5)},
      {"2024年03月05日", D(2024, 3, 5)},
      {"2024年3月5号", D(2024, 3, 5)},
      {"2024年3月5", D(2024, 3, 5)},
      {"  2024-03-05 ", D(2024, 3, 5)},
      {"\t2024-03-05", D(2024, 3, 5)},
      {"\xE3\x80\x80" "2024-03-05", D(2024, 3, 5)},  // ideographic space
      {"２０２４－０３－０５", D(2024, 3, 5)},             // full width
      {"２０２４年３月５日", D(2024, 3, 5)},
      {"2024-03-05 00:00:00", D(2024, 3, 5)},
      {"2024-03-05T10:00", D(2024, 3, 5)},
      {"2024-03-05T10:00:00+08:00", D(2024, 3, 5)},
      {"2024/3/5 8:30", D(2024, 3, 5)},
      {"2024-03-05  23:59:59.999", D(2024, 3, 5)},
      {"2024年3月5日 10:00", D(2024, 3, 5)},
      {"2000-02-29", D(2000, 2, 29)},
      {"0001-01-01", D(1, 1, 1)},
      {"9999-12-31", D(9999, 12, 31)},
      // Excel serials.
      {"45356", D(2024, 3, 5)},
      {"45356.0", D(2024, 3, 5)},
      {"45356.75", D(2024, 3, 5)},  // a date-time: the time is ignored
      {"４５３５６", D(2024, 3, 5)},
      {"3654", D(1910, 1, 1)},
      {"7427", D(1920, 5, 1)},
      {"7427.5", D(1920, 5, 1)},
      {"18264", D(1950, 1, 1)},
      {"99999", D(2173, 10, 13)},
  };
  for (const Case& c : cases) {
    StatusOr<Date> d = ParseDate(c.input);
    ASSERT_TRUE(d.ok()) << c.input << ": " << d.status().ToString();
    EXPECT_EQ(*d, c.expected) << c.input << " -> " << d->ToIso();
  }
}

// A workbook in the 1904 date system (workbookPr date1904) counts serials from 1904-01-01:
// the same number is 1,462 days later than in the 1900 system; written dates are as they are.
TEST(ParseDateTest, SerialsOfThe1904DateSystem) {
  struct Case {
    std::string_view input;
    Date in_1900, in_1904;
  };
  const Case cases[] = {
      {"43894", D(2020, 3, 4), D(2024, 3, 5)},
      {"43894.0", D(2020, 3, 4), D(2024, 3, 5)},
      {"2024-03-05", D(2024, 3, 5), D(2024, 3, 5)},
      {"20240305", D(2024, 3, 5), D(2024, 3, 5)},
      {"2024年3月5日", D(2024, 3, 5), D(2024, 3, 5)},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseDate(c.input, SerialDates::k1900).value(), c.in_1900) << c.input;
    EXPECT_EQ(ParseDate(c.input).value(), c.in_1900) << c.input;
    EXPECT_EQ(ParseDate(c.input, SerialDates::k1904).value(), c.in_1904) << c.input;
  }
  EXPECT_EQ(ParseDate("2024", SerialDates::k1904).status().kind(), "date_format") << "a year is no serial in either system";
}

TEST(ParseDateTest, RejectsWithTheRightKind) {
  struct Case {
    std::string_view input;
    std::string_view kind;
  };
  const Case cases[] = {
      {"", "date_format"},
      {"   ", "date_format"},
      {"abc", "date_format"},
      {"2024-03", "date_month_only"},      // a month, where a day is asked for
      {"2025/3", "date_month_only"},
      {"2025.03", "date_month_only"},
      {"２０２５－０３", "date_month_only"},
      {" 2025-12 ", "date_month_only"},
      {"2025-13", "date_format"},          // not a month either
      {"2025-3-", "date_format"},
      {"2025年", "date_format"},
      {"2025年3", "date_format"},
      {"2403-05", "date_format"},          // no year of this century
      {"2024-03-05-01", "date_format"},
      {"2024-03/05", "date_format"},       // mixed separators
      {"24-03-05", "date_format"},         // two-digit year
      {"05/03/2024", "date_format"},       // day first
      {"2024-003-05", "date_format"},
      {"2024-03-005", "date_format"},
      {"2024-03-05abc", "date_format"},
      {"2024-03-05 noon", "date_format"},
      {"2024-03-05T", "date_format"},
      {"2024年3月", "date_month_only"},
      {"2024年13月", "date_format"},
      {"2024年3月5日后", "date_format"},
      {"202403051", "date_format"},        // nine digits
      {"2024", "date_format"},             // a bare year, not the serial of a day in 1905
      {"1950", "date_format"},
      {"2024.0", "date_format"},
      {"202403", "date_month_only"},       // a year and month, not a serial
      {"202413", "date_format"},
      {"240305", "date_format"},
      {"1234567", "date_format"},
      {"45356.", "date_format"},
      {"45356.5.5", "date_format"},
      {"-45356", "date_format"},
      {"3.5", "date_format"},              // March 5th without a year, not serial 3.5
      {"12.25", "date_format"},
      {"4.5356E+4", "date_format"},
      {"2024-02-30", "date_invalid"},
      {"2023-02-29", "date_invalid"},
      {"1900-02-29", "date_invalid"},
      {"2024-13-01", "date_invalid"},
      {"2024-00-10", "date_invalid"},
      {"2024-04-31", "date_invalid"},
      {"2024/4/0", "date_invalid"},
      {"0000-01-01", "date_invalid"},
      {"20241301", "date_invalid"},
      {"20240230", "date_invalid"},
      {"2024年2月30日", "date_invalid"},
      {"2024-02-30 00:00:00", "date_invalid"},
      // As text, a serial before 1910 is a day or month-day typed alone ("13", "0305"), not a date.
      {"1", "date_format"},
      {"13", "date_format"},
      {"59", "date_format"},
      {"61", "date_format"},
      {"0305", "date_format"},
      {"1231", "date_format"},
      {"1899", "date_format"},
      {"2100", "date_format"},
      {"3.0", "date_format"},
      {"13.5", "date_format"},
      {"3653", "date_format"},
      {"0", "date_invalid"},               // Excel's 1900-01-00
      {"60", "date_invalid"},              // Excel's nonexistent 1900-02-29
      {"60.5", "date_invalid"},
  };
  for (const Case& c : cases) {
    StatusOr<Date> d = ParseDate(c.input);
    ASSERT_FALSE(d.ok()) << c.input << " -> " << d->ToIso();
    EXPECT_EQ(d.status().kind(), c.kind) << c.input;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument) << c.input;
    EXPECT_NE(d.status().message().find(std::string(c.input)), std::string::npos) << d.status().message();
  }
}

TEST(ParseDateTest, MessagesSayHowToWriteADate) {
  SetLanguage(Lang::kEn);
  EXPECT_EQ(ParseDate("3.5").status().message().find("\"3.5\""), 0u);
  EXPECT_NE(ParseDate("60").status().message().find("1900-02-29"), std::string::npos);
  EXPECT_NE(ParseDate("abc").status().message().find("2024-03-05"), std::string::npos);
  SetLanguage(Lang::kZh);
  EXPECT_NE(ParseDate("abc").status().message().find("2024年3月5日"), std::string::npos);
  EXPECT_NE(ParseDate("2024-02-30").status().message().find("“2024-02-30”"), std::string::npos);
  // A month only: the hint asks for the day from the records, never the 1st for every row.
  const std::string month_only = ParseDate("2025年3月").status().message();
  EXPECT_EQ(month_only.find("“2025年3月”只写了年和月"), 0u) << month_only;
  EXPECT_NE(month_only.find("完整的日期"), std::string::npos) << month_only;
  EXPECT_NE(month_only.find("不要一律补成 1 日"), std::string::npos) << month_only;
  SetLanguage(Lang::kEn);
  EXPECT_NE(ParseDate("202503").status().message().find("needs a full date"), std::string::npos);
  SetLanguage(Lang::kZh);
}

TEST(DateFromExcelSerialTest, Converts) {
  struct Case {
    double serial;
    Date expected;
  };
  const Case cases[] = {
      {1, D(1900, 1, 1)},         {2, D(1900, 1, 2)},         {59, D(1900, 2, 28)},
      {61, D(1900, 3, 1)},        {25569, D(1970, 1, 1)},     {45356, D(2024, 3, 5)},
      {45356.999, D(2024, 3, 5)}, {2024, D(1905, 7, 16)},     {2958465, D(9999, 12, 31)},
      {2958465.5, D(9999, 12, 31)},
  };
  for (const Case& c : cases) {
    StatusOr<Date> d = DateFromExcelSerial(c.serial);
    ASSERT_TRUE(d.ok()) << c.serial << ": " << d.status().ToString();
    EXPECT_EQ(*d, c.expected) << c.serial << " -> " << d->ToIso();
  }
}

TEST(DateFromExcelSerialTest, RejectsSerialsThatAreNoDate) {
  const double cases[] = {0,       0.5, -1, 60, 60.25, 2958466, 1e12, std::numeric_limits<double>::quiet_NaN(),
                          INFINITY};
  for (double serial : cases) {
    StatusOr<Date> d = DateFromExcelSerial(serial);
    ASSERT_FALSE(d.ok()) << serial;
    EXPECT_EQ(d.status().kind(), "date_invalid") << serial;
  }
}

TEST(ParseYearMonthTest, Accepts) {
  struct Case {
    std::string_view input;
    Date expected;
  };
  const Case cases[] = {
      {"2025-03", D(2025, 3, 1)}, {"2025/3", D(2025, 3, 1)},       {"2025.03", D(2025, 3, 1)},
      {"202503", D(2025, 3, 1)},  {"2025年3月", D(2025, 3, 1)},    {" 2025-12 ", D(2025, 12, 1)},
      {"２０２５－０３", D(2025, 3, 1)},
  };
  for (const Case& c : cases) {
    StatusOr<Date> d = ParseYearMonth(c.input);
    ASSERT_TRUE(d.ok()) << c.input << ": " << d.status().ToString();
    EXPECT_EQ(*d, c.expected) << c.input;
  }
}

TEST(ParseYearMonthTest, Rejects) {
  struct Case {
    std::string_view input;
    std::string_view kind;
  };
  const Case cases[] = {
      {"", "date_format"},         {"2025", "date_format"},     {"20253", "date_format"},
      {"2025-03-05", "date_format"}, {"2025-003", "date_format"}, {"25-03", "date_format"},
      {"2025年3", "date_format"},  {"March 2025", "date_format"}, {"2025-13", "date_invalid"},
      {"2025-0", "date_invalid"},  {"202500", "date_invalid"},   {"0000-01", "date_invalid"},
  };
  for (const Case& c : cases) {
    StatusOr<Date> d = ParseYearMonth(c.input);
    ASSERT_FALSE(d.ok()) << c.input << " -> " << d->ToIso();
    EXPECT_EQ(d.status().kind(), c.kind) << c.input;
    EXPECT_NE(d.status().message().find(std::string(c.input)), std::string::npos) << d.status().message();
  }
}

}  // namespace
}  // namespace hearth
