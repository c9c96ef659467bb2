#include "core/vocab.h"

#include <gtest/gtest.h>

namespace hearth {
namespace {

struct VocabCase {
  const Vocabulary& vocab;
  std::string_view input;
  std::optional<int> expected;
};

TEST(VocabularyTest, ParsesLabelsAliasesAndKeys) {
  const VocabCase cases[] = {
      {HouseholdTypeVocab(), "脱贫户", 1},
      {HouseholdTypeVocab(), " 一般农户 ", 2},
      {HouseholdTypeVocab(), "general", 2},
      {HouseholdTypeVocab(), "贫困户", std::nullopt},
      {RelationVocab(), "户主", 1},
      {RelationVocab(), "之子", 3},
      {RelationVocab(), "外孙女", 5},
      {RelationVocab(), "之孙子", 5},
      {RelationVocab(), "之岳母", 4},
      {SchoolingVocab(), "八年级", 3},
      {SchoolingVocab(), "高职二年级", 6},
      {RelationVocab(), "邻居", std::nullopt},
      {HealthVocab(), "长期慢性病", 2},
      {HealthVocab(), "大病", 3},
      {HealthVocab(), "", std::nullopt},
      {LabourVocab(), "弱劳动力或半劳动力", 3},
      {LabourVocab(), "无劳动力", 5},
      {SchoolingVocab(), "高职/大专", 6},
      {SchoolingVocab(), "辍学", 8},
      {SchoolingVocab(), "非在校", 9},
      {SchoolingVocab(), "中职（中专）", 5},
      {SchoolingVocab(), "中职(中专)", 5},
      {HouseholdTypeVocab(), "脱贫户（含监测户）", 1},
      {MemberStatusVocab(), "正常", 1},
      {MemberStatusVocab(), "已故", 2},
      {MemberStatusVocab(), "户口迁出", 3},
      {MemberStatusVocab(), "出嫁", 4},
      {MemberStatusVocab(), "已减员", 7},
      {MemberStatusVocab(), "moved_out", 3},
      {MemberStatusVocab(), "失踪", std::nullopt},
      {MemberStatusVocab(), "", std::nullopt},
      {YesNoVocab(), "是", 1},
      {YesNoVocab(), "否", 0},
      {YesNoVocab(), "１", 1},  // full-width digit folded
      {YesNoVocab(), "也许", std::nullopt},
  };
  for (const VocabCase& c : cases) {
    EXPECT_EQ(c.vocab.Parse(c.input), c.expected) << c.vocab.name_zh() << " / " << c.input;
  }
}

TEST(VocabularyTest, LabelsRoundTrip) {
  for (const Vocabulary* v : {&HouseholdTypeVocab(), &RelationVocab(), &HealthVocab(), &LabourVocab(),
                              &SchoolingVocab(), &MemberStatusVocab(), &YesNoVocab()}) {
    for (int value = 0; value < 10; ++value) {
      std::string_view label = v->LabelZh(value);
      if (label.empty()) continue;
      EXPECT_EQ(v->Parse(label), value) << label;
      EXPECT_EQ(v->Parse(v->KeyEn(value)), value) << v->KeyEn(value);
    }
  }
  EXPECT_EQ(RelationVocab().LabelsJoined().substr(0, 15), "户主、配偶");
}

}  // namespace
}  // namespace hearth
