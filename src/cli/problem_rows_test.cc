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

}  // namespace
}  // namespace hearth::cli
