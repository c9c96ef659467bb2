#include "core/area_code.h"

#include <gtest/gtest.h>

#include <string>

#include "core/messages.h"

namespace hearth {
namespace {

AreaCode A(std::string_view text) {
  StatusOr<AreaCode> code = AreaCode::Parse(text);
  EXPECT_TRUE(code.ok()) << text << ": " << code.status().ToString();
  return code.ok() ? *code : AreaCode();
}

TEST(AreaLevelTest, DigitsAndNames) {
  struct Case {
    AreaLevel level;
    int digits;
    std::string_view name;
  };
  const Case cases[] = {
      {AreaLevel::kProvince, 2, "province"},  {AreaLevel::kPrefecture, 4, "prefecture"},
      {AreaLevel::kCounty, 6, "county"},      {AreaLevel::kTownship, 9, "township"},
      {AreaLevel::kVillage, 12, "village"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(AreaLevelDigits(c.level), c.digits);
    EXPECT_EQ(AreaLevelName(c.level), c.name);
  }
}

TEST(AreaCodeTest, ParsesShortAndPaddedForms) {
  struct Case {
    std::string_view input;
    std::string_view short_form;
    AreaLevel level;
  };
  const Case cases[] = {
      {"65", "65", AreaLevel::kProvince},
      {"6532", "6532", AreaLevel::kPrefecture},
      {"653221", "653221", AreaLevel::kCounty},
      {"653221100", "653221100", AreaLevel::kTownship},
      {"653221100201", "653221100201", AreaLevel::kVillage},
      {"650000000000", "65", AreaLevel::kProvince},
      {"653200000000", "6532", AreaLevel::kPrefecture},
      {"653221000000", "653221", AreaLevel::kCounty},
      {"653221100000", "653221100", AreaLevel::kTownship},
      {"650100000000", "6501", AreaLevel::kPrefecture},
      {"650102002005", "650102002005", AreaLevel::kVillage},
      {"653221100010", "653221100010", AreaLevel::kVillage},  // inner zeros stay
      {"653221010000", "653221010", AreaLevel::kTownship},
      {"650000", "65", AreaLevel::kProvince},                  // GB/T 2260 six-digit forms
      {"653200", "6532", AreaLevel::kPrefecture},
      {"6500", "65", AreaLevel::kProvince},
      {"653221000", "653221", AreaLevel::kCounty},
      {" 653221 ", "653221", AreaLevel::kCounty},
      {"\t6532\t", "6532", AreaLevel::kPrefecture},
      {"６５３２２１", "653221", AreaLevel::kCounty},         // full width
      {"\xE3\x80\x80" "65", "65", AreaLevel::kProvince},      // ideographic space
  };
  for (const Case& c : cases) {
    const AreaCode code = A(c.input);
    EXPECT_EQ(code.str(), c.short_form) << c.input;
    EXPECT_EQ(code.level(), c.level) << c.input;
  }
}

TEST(AreaCodeTest, RejectsWhatIsNoCode) {
  struct Case {
    std::string_view input;
    std::string_view quoted_in_message;
  };
  const Case cases[] = {
      {"", "\"\""},
      {"   ", "\"   \""},
      {"6", "\"6\""},
      {"653", "\"653\""},
      {"65322", "\"65322\""},
      {"6532211", "\"6532211\""},
      {"65322110", "\"65322110\""},
      {"6532211002", "\"6532211002\""},
      {"65322110020", "\"65322110020\""},
      {"6532211002011", "\"6532211002011\""},
      {"65a2", "\"65a2\""},
      {"6532-21", "\"6532-21\""},
      {"653221.0", "\"653221.0\""},
      {"6.53221E+11", "\"6.53221E+11\""},
      {"-65", "\"-65\""},
      {"6532 21", "\"6532 21\""},
      {"和田县", "\"和田县\""},
      {"00", "\"00\""},
      {"000000000000", "\"000000000000\""},
      {"0065", "\"0065\""},
  };
  SetLanguage(Lang::kEn);
  for (const Case& c : cases) {
    StatusOr<AreaCode> code = AreaCode::Parse(c.input);
    ASSERT_FALSE(code.ok()) << c.input << " -> " << code->str();
    EXPECT_EQ(code.status().kind(), "area_format") << c.input;
    EXPECT_EQ(code.status().code(), StatusCode::kInvalidArgument) << c.input;
    EXPECT_NE(code.status().message().find(c.quoted_in_message), std::string::npos) << code.status().message();
  }
  SetLanguage(Lang::kZh);
}

TEST(AreaCodeTest, LengthMessageCountsDigits) {
  SetLanguage(Lang::kEn);
  EXPECT_NE(AreaCode::Parse("65322").status().message().find("has 5 digits"), std::string::npos);
  SetLanguage(Lang::kZh);
  EXPECT_NE(AreaCode::Parse("65322").status().message().find("有 5 位"), std::string::npos);
}

TEST(AreaCodeTest, Padded) {
  struct Case {
    std::string_view input;
    std::string_view padded;
  };
  const Case cases[] = {
      {"65", "650000000000"},        {"6532", "653200000000"},        {"653221", "653221000000"},
      {"653221100", "653221100000"}, {"653221100201", "653221100201"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(A(c.input).Padded(), c.padded) << c.input;
    EXPECT_EQ(A(c.padded), A(c.input)) << c.input;  // the padded form parses back
  }
}

TEST(AreaCodeTest, Parent) {
  struct Case {
    std::string_view input;
    std::optional<std::string_view> parent;
  };
  const Case cases[] = {
      {"653221100201", "653221100"}, {"653221100", "653221"}, {"653221", "6532"},
      {"6532", "65"},                {"65", std::nullopt},
  };
  for (const Case& c : cases) {
    const std::optional<AreaCode> parent = A(c.input).Parent();
    ASSERT_EQ(parent.has_value(), c.parent.has_value()) << c.input;
    EXPECT_EQ(parent ? parent->str() : "", c.parent.value_or("")) << c.input;
  }
}

TEST(AreaCodeTest, AncestorAt) {
  struct Case {
    std::string_view input;
    AreaLevel level;
    std::optional<std::string_view> ancestor;
  };
  const Case cases[] = {
      {"653221100201", AreaLevel::kProvince, "65"},
      {"653221100201", AreaLevel::kPrefecture, "6532"},
      {"653221100201", AreaLevel::kCounty, "653221"},
      {"653221100201", AreaLevel::kTownship, "653221100"},
      {"653221100201", AreaLevel::kVillage, "653221100201"},
      {"653221", AreaLevel::kCounty, "653221"},
      {"653221", AreaLevel::kProvince, "65"},
      {"653221", AreaLevel::kTownship, std::nullopt},
      {"65", AreaLevel::kVillage, std::nullopt},
  };
  for (const Case& c : cases) {
    const std::optional<AreaCode> ancestor = A(c.input).AncestorAt(c.level);
    ASSERT_EQ(ancestor.has_value(), c.ancestor.has_value()) << c.input << " " << AreaLevelName(c.level);
    if (ancestor) {
      EXPECT_EQ(ancestor->str(), *c.ancestor) << c.input;
      EXPECT_EQ(ancestor->level(), c.level) << c.input;
    }
  }
}

TEST(AreaCodeTest, Contains) {
  struct Case {
    std::string_view outer;
    std::string_view inner;
    bool contains;
  };
  const Case cases[] = {
      {"65", "653221100201", true},
      {"6532", "653221", true},
      {"653221", "653221", true},
      {"653221", "653221100", true},
      {"653221100", "653221100201", true},
      {"653221", "6532", false},          // the other way round
      {"6532", "6501", false},
      {"653221", "653222100201", false},
      {"653221100", "653221101201", false},
      {"65", "11", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(A(c.outer).Contains(A(c.inner)), c.contains) << c.outer << " / " << c.inner;
  }
}

TEST(AreaCodeTest, ComparesByShortForm) {
  EXPECT_EQ(A("653221"), A("653221000000"));
  EXPECT_NE(A("653221"), A("653222"));
  EXPECT_LT(A("653221"), A("653222"));
}

}  // namespace
}  // namespace hearth
