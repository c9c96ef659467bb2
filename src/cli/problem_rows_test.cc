// Problem-row lists name a feed's own check by its label, never by its code.
#include "cli/problem_rows.h"

#include <gtest/gtest.h>

#include "core/messages.h"

namespace hearth::cli {
namespace {

TEST(CheckKindLabelsTest, ALabelInTheReadersLanguageElseTheOtherElseAGenericOne) {
  FeedSpec spec;
  spec.checks.resize(3);
  spec.checks[0].kind = "both";
  spec.checks[0].label = "结束早于开始";
  spec.checks[0].label_en = "end before start";
  spec.checks[1].kind = "zh_only";
  spec.checks[1].label = "金额不符";
  spec.checks[2].kind = "none";
  const struct {
    Lang lang;
    std::map<std::string, std::string> want;
  } cases[] = {
      {Lang::kZh, {{"both", "结束早于开始"}, {"zh_only", "金额不符"}, {"none", "行内校验未通过"}}},
      {Lang::kEn, {{"both", "end before start"}, {"zh_only", "金额不符"}, {"none", "row check failed"}}},
  };
  for (const auto& c : cases) {
    SetLanguage(c.lang);
    KindLabels labels = CheckKindLabels(spec);
    EXPECT_EQ(labels, (KindLabels(c.want.begin(), c.want.end())));
  }
  SetLanguage(Lang::kZh);
}

// A masked ID number hides the birth date it carries; the masked row must not say it elsewhere.
TEST(MaskedRejectTest, HidesTheIdNumbersAndTheBirthDatesTheyCarry) {
  const struct {
    std::string name;
    RejectRecord row;
    std::string want_hint, want_raw;
  } cases[] = {
      {"date before birth",
       {"f.csv", 3, "入院日期", "1970-01-02", "date_before_birth", "入院日期 1970-01-02 早于出生日期 1977-12-13（证件号码）",
        RowOutcome::kRejected, {"652901197712133398", "邓刚", "1970-01-02"}},
       "入院日期 1970-01-02 早于出生日期 ****-**-**（证件号码）", "1970-01-02"},
      {"birth digits in the hint",
       {"f.csv", 4, "证件号码", "653221 19701332 0117", "id_birth", "出生日期“19701332”不存在", RowOutcome::kRejected,
        {"653221197013320117"}},
       "出生日期“********”不存在", "653221********0117"},
      {"id in the hint", {"f.csv", 5, "", "", "k", "见 652901197712133398", RowOutcome::kRejected, {}},
       "见 652901********3398", ""},
      {"15-digit id", {"f.csv", 6, "", "", "k", "出生 1977-12-13", RowOutcome::kRejected, {"652901771213339"}},
       "出生 ****-**-**", ""},
      {"other dates stay", {"f.csv", 7, "", "", "k", "2025-01-05 晚于 2024-12-31", RowOutcome::kRejected,
                            {"652901197712133398"}},
       "2025-01-05 晚于 2024-12-31", ""},
  };
  for (const auto& c : cases) {
    RejectRecord masked = MaskedReject(c.row);
    EXPECT_EQ(masked.hint, c.want_hint) << c.name;
    EXPECT_EQ(masked.raw, c.want_raw) << c.name;
    for (const std::string& cell : masked.cells) EXPECT_EQ(cell.find("19771213"), std::string::npos) << c.name;
  }
}

}  // namespace
}  // namespace hearth::cli
