#include "cli/commands.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace hearth::cli {
namespace {

int64_t At(int y, int m, int d, int hour, int minute, int second = 0) {
  return Clock::StartOfDayMicros(Date::FromCivil(y, m, d)) + ((hour * 60LL + minute) * 60 + second) * 1'000'000LL;
}

TEST(CommandsTest, KnownAtReadsDatesTimesAndZones) {
  const struct {
    std::string text;
    int64_t micros;
  } cases[] = {
      {"2025-04-30", Clock::StartOfDayMicros(Date::FromCivil(2025, 5, 1)) - 1},  // the day's end
      {"2025-04-30T18:00", At(2025, 4, 30, 18, 0)},
      {"2025-04-30 18:00:05", At(2025, 4, 30, 18, 0, 5)},
      {"2025-04-30T10:00Z", At(2025, 4, 30, 18, 0)},
      {"2025-04-30T10:00:00z", At(2025, 4, 30, 18, 0)},
      {"2025-04-30T18:00+08:00", At(2025, 4, 30, 18, 0)},
      {"2025-04-30T18:00+0800", At(2025, 4, 30, 18, 0)},
      {"2025-04-30T05:00-05", At(2025, 4, 30, 18, 0)},
      {"2025-04-30T20:00+10:00", At(2025, 4, 30, 18, 0)},
      {"2025-04-30T23:30Z", At(2025, 5, 1, 7, 30)},  // the next day in Beijing
  };
  for (const auto& c : cases) {
    StatusOr<std::optional<int64_t>> got = ParseKnownAt(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().message();
    ASSERT_TRUE(got->has_value()) << c.text;
    EXPECT_EQ(**got, c.micros) << c.text;
  }
  StatusOr<std::optional<int64_t>> none = ParseKnownAt("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(CommandsTest, KnownAtRefusesWhatItCannotReadExactly) {
  for (std::string text : {"abc", "2025-02-30", "2025-04-30T25:00", "2025-04-30T18", "2025-04-30T18:00+",
                           "2025-04-30T18:00+8", "2025-04-30T18:00 extra", "2025-04-30T18:00+15:00",
                           "2025-04-30T18:61", "2025-04-30T18:00:60", "2025-04-30T"}) {
    StatusOr<std::optional<int64_t>> got = ParseKnownAt(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.status().kind(), "known_at_invalid") << text;
  }
}

TEST(CommandsTest, FormatAndOutputAgree) {
  const struct {
    std::string format, output;
    bool xlsx_allowed;
    std::optional<Format> want;  // nullopt: refused with `kind`
    std::string kind;
  } cases[] = {
      {"table", "", true, Format::kTable, ""},
      {"json", "", true, Format::kJson, ""},
      {"xlsx", "out.xlsx", true, Format::kXlsx, ""},
      {"xlsx", "名单.XLSX", true, Format::kXlsx, ""},
      {"table", "out.xlsx", true, Format::kXlsx, ""},  // --output alone writes the workbook
      {"xlsx", "", true, std::nullopt, "output_missing"},
      {"xlsx", "out.csv", true, std::nullopt, "output_not_xlsx"},
      {"table", "out.txt", true, std::nullopt, "output_not_xlsx"},
      {"table", "out", true, std::nullopt, "output_not_xlsx"},
      {"json", "out.json", true, std::nullopt, "output_with_json"},
      {"json", "out.xlsx", true, std::nullopt, "output_with_json"},
      {"xlsx", "out.xlsx", false, std::nullopt, "format_invalid"},
      {"csv", "", true, std::nullopt, "format_invalid"},
  };
  for (const auto& c : cases) {
    OutputOptions out;
    out.format = c.format;
    out.output = c.output;
    out.xlsx_allowed = c.xlsx_allowed;
    StatusOr<Format> got = ParseFormat(out);
    const std::string label = c.format + " / " + c.output;
    if (c.want) {
      ASSERT_TRUE(got.ok()) << label << ": " << got.status().message();
      EXPECT_EQ(*got, *c.want) << label;
    } else {
      ASSERT_FALSE(got.ok()) << label;
      EXPECT_EQ(got.status().kind(), c.kind) << label;
    }
  }
}

TEST(CommandsTest, BlankOptionValuesAreRefused) {
  CLI::Validator blank = NotBlank();
  for (std::string text : {"", " ", "\t"}) EXPECT_FALSE(blank(text).empty()) << "[" << text << "]";
  std::string given = "2025-04-30";
  EXPECT_TRUE(blank(given).empty());
}

}  // namespace
}  // namespace hearth::cli
