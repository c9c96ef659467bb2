#include "core/messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hearth {
namespace {

// The positional placeholders ({0}, {1:>4} ...) of a fmt template; nullopt when it has an
// automatic "{}" placeholder or unbalanced braces.
std::optional<std::set<int>> Placeholders(std::string_view tmpl) {
  std::set<int> found;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl.substr(i).starts_with("{{") || tmpl.substr(i).starts_with("}}")) {
      ++i;
      continue;
    }
    if (tmpl[i] == '}') return std::nullopt;
    if (tmpl[i] != '{') continue;
    const size_t close = tmpl.find('}', i);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view inside = tmpl.substr(i + 1, close - i - 1);
    const std::string_view index = inside.substr(0, inside.find(':'));
    if (index.empty() || index.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    found.insert(std::stoi(std::string(index)));
    i = close;
  }
  return found;
}

Msg MsgAt(int i) { return static_cast<Msg>(i); }
constexpr int kCount = static_cast<int>(Msg::kMessageCount);

TEST(PlaceholdersTest, ParsesPositionalArguments) {
  EXPECT_EQ(Placeholders("plain"), std::set<int>{});
  EXPECT_EQ(Placeholders("{1} and {0}"), (std::set<int>{0, 1}));
  EXPECT_EQ(Placeholders("{0:>4} {{literal}}"), std::set<int>{0});
  EXPECT_EQ(Placeholders("{}"), std::nullopt);
  EXPECT_EQ(Placeholders("{0"), std::nullopt);
  EXPECT_EQ(Placeholders("0}"), std::nullopt);
}

TEST(MessageCatalogueTest, EveryMessageHasBothLanguagesAndAKind) {
  for (int i = 0; i < kCount; ++i) {
    EXPECT_FALSE(MessageKind(MsgAt(i)).empty()) << i;
    EXPECT_FALSE(MessageTemplate(MsgAt(i), Lang::kZh).empty()) << MessageKind(MsgAt(i));
    EXPECT_FALSE(MessageTemplate(MsgAt(i), Lang::kEn).empty()) << MessageKind(MsgAt(i));
  }
}

TEST(MessageCatalogueTest, KindsAreSnakeCase) {
  for (int i = 0; i < kCount; ++i) {
    const std::string_view kind = MessageKind(MsgAt(i));
    EXPECT_EQ(kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string_view::npos) << kind;
    EXPECT_FALSE(kind.starts_with('_') || kind.ends_with('_')) << kind;
  }
}

TEST(MessageCatalogueTest, BothLanguagesUseTheSamePlaceholders) {
  for (int i = 0; i < kCount; ++i) {
    const std::string_view zh = MessageTemplate(MsgAt(i), Lang::kZh);
    const std::string_view en = MessageTemplate(MsgAt(i), Lang::kEn);
    const std::optional<std::set<int>> zh_args = Placeholders(zh);
    ASSERT_TRUE(zh_args.has_value()) << "bad template: " << zh;
    ASSERT_TRUE(Placeholders(en).has_value()) << "bad template: " << en;
    EXPECT_EQ(*zh_args, *Placeholders(en)) << MessageKind(MsgAt(i)) << "\n" << zh << "\n" << en;
  }
}

TEST(MessageCatalogueTest, PlaceholdersAreNumberedWithoutGaps) {
  for (int i = 0; i < kCount; ++i) {
    const std::optional<std::set<int>> args = Placeholders(MessageTemplate(MsgAt(i), Lang::kEn));
    ASSERT_TRUE(args.has_value());
    const int highest = args->empty() ? -1 : *args->rbegin();
    EXPECT_EQ(highest, static_cast<int>(args->size()) - 1) << MessageKind(MsgAt(i));
  }
}

TEST(MessageCatalogueTest, ChineseTemplatesAreChinese) {
  for (int i = 0; i < kCount; ++i) {
    const std::string_view zh = MessageTemplate(MsgAt(i), Lang::kZh);
    const bool has_non_ascii = std::any_of(zh.begin(), zh.end(), [](char c) { return (c & 0x80) != 0; });
    EXPECT_TRUE(has_non_ascii) << MessageKind(MsgAt(i)) << ": " << zh;
  }
}

class LanguageTest : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = CurrentLanguage(); }
  void TearDown() override { SetLanguage(saved_); }

 private:
  Lang saved_ = Lang::kZh;
};

TEST_F(LanguageTest, TrUsesTheCurrentLanguage) {
  SetLanguage(Lang::kEn);
  EXPECT_EQ(CurrentLanguage(), Lang::kEn);
  EXPECT_EQ(Tr(Msg::kInternalError, "x"), "internal error: x");
  SetLanguage(Lang::kZh);
  EXPECT_EQ(Tr(Msg::kInternalError, "x"), "内部错误：x");
  EXPECT_EQ(TrIn(Lang::kEn, Msg::kInternalError, 5), "internal error: 5");
}

TEST_F(LanguageTest, ErrorCarriesKindAndRenderedMessage) {
  SetLanguage(Lang::kEn);
  const Status s = Error(StatusCode::kInvalidArgument, Msg::kIdLength, "123", 3);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.kind(), "id_length");
  EXPECT_NE(s.message().find("\"123\" has 3 characters"), std::string::npos) << s.message();
}

TEST_F(LanguageTest, KindLabelsInTheCurrentLanguage) {
  const struct {
    Lang lang;
    std::string_view kind;
    std::string_view label;
  } cases[] = {
      {Lang::kZh, "id_checksum", "证件号码校验位不对"},
      {Lang::kEn, "id_checksum", "ID number check digit wrong"},
      {Lang::kZh, "money_format", "金额无法识别"},
      {Lang::kZh, "selfpay_exceeds_total", "selfpay_exceeds_total"},  // no label: the code
      {Lang::kEn, "", ""},
  };
  for (const auto& c : cases) {
    SetLanguage(c.lang);
    EXPECT_EQ(KindLabel(c.kind), c.label) << c.kind;
  }
}

// Every labelled kind is the kind of some message: a typo would leave a kind unlabelled.
TEST(KindLabelTest, LabelsNameKindsThatExist) {
  std::set<std::string_view> kinds;
  for (int i = 0; i < kCount; ++i) kinds.insert(MessageKind(MsgAt(i)));
  const std::string_view labelled[] = {
#define HEARTH_KIND(kind, zh, en) kind,
#include "core/messages/kinds.inc"
#undef HEARTH_KIND
  };
  for (std::string_view k : labelled) EXPECT_TRUE(kinds.contains(k)) << k;
}

TEST(ParseLanguageTest, EnglishOnlyWhenItSaysSo) {
  struct Case {
    std::string_view name;
    Lang expected;
  };
  const Case cases[] = {
      {"en", Lang::kEn},    {"EN", Lang::kEn},         {"en_US.UTF-8", Lang::kEn}, {"en-GB", Lang::kEn},
      {"zh", Lang::kZh},    {"zh_CN.UTF-8", Lang::kZh}, {"zh-CN", Lang::kZh},       {"", Lang::kZh},
      {"e", Lang::kZh},     {"fr_FR", Lang::kZh},      {"ug_CN", Lang::kZh},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseLanguage(c.name), c.expected) << c.name;
}

// Sets LC_ALL, LC_MESSAGES and LANG for one test and restores them afterwards.
class EnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* var : kVars) {
      const char* value = std::getenv(var);
      saved_.emplace_back(var, value ? std::optional<std::string>(value) : std::nullopt);
      unsetenv(var);
    }
  }
  void TearDown() override {
    for (const auto& [var, value] : saved_) {
      if (value) {
        setenv(var, value->c_str(), 1);
      } else {
        unsetenv(var);
      }
    }
  }
  static constexpr const char* kVars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

 private:
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

TEST_F(EnvironmentTest, LanguageFromEnvironment) {
  struct Case {
    const char* lc_all;
    const char* lc_messages;
    const char* lang;
    Lang expected;
  };
  const Case cases[] = {
      {nullptr, nullptr, nullptr, Lang::kZh},            // nothing set: zh-CN first
      {nullptr, nullptr, "en_US.UTF-8", Lang::kEn},
      {nullptr, nullptr, "zh_CN.UTF-8", Lang::kZh},
      {nullptr, nullptr, "C", Lang::kZh},
      {nullptr, nullptr, "POSIX", Lang::kZh},
      {nullptr, nullptr, "C.UTF-8", Lang::kZh},
      {nullptr, "en_GB", "zh_CN", Lang::kEn},           // LC_MESSAGES before LANG
      {"zh_CN", "en_GB", "en_US", Lang::kZh},            // LC_ALL first
      {"", nullptr, "en_US", Lang::kEn},                 // empty values are skipped
      {"C", nullptr, "en_US", Lang::kZh},
  };
  for (const Case& c : cases) {
    const char* values[] = {c.lc_all, c.lc_messages, c.lang};
    for (size_t i = 0; i < 3; ++i) {
      if (values[i]) {
        setenv(kVars[i], values[i], 1);
      } else {
        unsetenv(kVars[i]);
      }
    }
    EXPECT_EQ(LanguageFromEnvironment(), c.expected)
        << (c.lc_all ? c.lc_all : "-") << " / " << (c.lc_messages ? c.lc_messages : "-") << " / "
        << (c.lang ? c.lang : "-");
  }
}

}  // namespace
}  // namespace hearth
