#include "generate/names.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"

namespace hearth::gen {
namespace {

TEST(NamesTest, StylesRenderAsOfficesWriteThem) {
  Rng rng(1, Stream::kHouseholds, 0);
  for (int i = 0; i < 200; ++i) {
    const std::string han = NameText(RandomName(rng, NameStyle::kHan, i % 2 == 0));
    EXPECT_EQ(han.find("·"), std::string::npos) << han;
    EXPECT_GE(han.size(), 6u) << han;  // two or three characters
    EXPECT_LE(han.size(), 9u) << han;
    for (NameStyle style : {NameStyle::kUyghur, NameStyle::kKyrgyz}) {
      const std::string name = NameText(RandomName(rng, style, i % 2 == 0));
      EXPECT_NE(name.find("·"), std::string::npos) << name;
      EXPECT_TRUE(IsValidUtf8(name)) << name;
    }
  }
}

TEST(NamesTest, FamiliesShareNames) {
  Rng rng(2, Stream::kHouseholds, 0);
  const NameCode father = RandomName(rng, NameStyle::kUyghur, false);
  const std::string father_text = NameText(father);
  const std::string given = father_text.substr(0, father_text.find("·"));
  const std::string child = NameText(ChildOf(rng, father, true));
  EXPECT_EQ(child.substr(child.find("·") + std::string("·").size()), given) << child;
  const NameCode han = RandomName(rng, NameStyle::kHan, false);
  EXPECT_EQ(NameText(ChildOf(rng, han, false)).substr(0, 3), NameText(han).substr(0, 3));
  // A grandfather's given name is the father's second name.
  const std::string grandfather = NameText(FatherOf(rng, father));
  EXPECT_EQ(grandfather.substr(0, grandfather.find("·")), father_text.substr(father_text.find("·") + 2));
}

TEST(NamesTest, MisspellingAlwaysChangesTheName) {
  Rng rng(3, Stream::kFaults, 0);
  const std::vector<std::string> names = {"阿卜杜拉·艾买提", "王建华", "古丽",           "某",
                                          "托合提·吐尔逊",   "张伟",   "阿依努拉·玛纳斯"};
  for (const std::string& name : names) {
    for (int i = 0; i < 20; ++i) {
      const std::string typo = MisspellName(name, rng);
      EXPECT_FALSE(SameName(typo, name)) << name << " -> " << typo;
      EXPECT_TRUE(IsValidUtf8(typo)) << typo;
    }
  }
}

TEST(NamesTest, DotVariantsStayTheSameName) {
  for (int variant = 0; variant < 4; ++variant) {
    const std::string name = WithDotVariant("阿卜杜拉·艾买提", variant);
    EXPECT_TRUE(SameName(name, "阿卜杜拉·艾买提")) << name;
    EXPECT_EQ(name == "阿卜杜拉·艾买提", variant == 0);
  }
  EXPECT_EQ(WithDotVariant("王建华", 1), "王建华");
}

TEST(NamesTest, SouthernPrefecturesAreMostlyTransliteratedNames) {
  Rng rng(4, Stream::kHouseholds, 0);
  struct Case {
    const char* prefecture;
    double han_low, han_high;
    bool kyrgyz;
  };
  for (const Case& c :
       std::vector<Case>{{"6531", 0.05, 0.11, false}, {"6530", 0.02, 0.08, true}, {"6501", 0.55, 0.65, false}}) {
    int han = 0, kyrgyz = 0;
    for (int i = 0; i < 10000; ++i) {
      const NameStyle s = PickNameStyle(rng, c.prefecture);
      han += s == NameStyle::kHan ? 1 : 0;
      kyrgyz += s == NameStyle::kKyrgyz ? 1 : 0;
    }
    EXPECT_GE(han / 10000.0, c.han_low) << c.prefecture;
    EXPECT_LE(han / 10000.0, c.han_high) << c.prefecture;
    EXPECT_EQ(kyrgyz > 0, c.kyrgyz) << c.prefecture;
  }
}

}  // namespace
}  // namespace hearth::gen
