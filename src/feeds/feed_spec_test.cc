// Feed definitions: every shipped data/feeds/*.toml loads, and a broken definition is refused
// naming the file, line and column of the problem.
#include "feeds/feed_spec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/messages.h"
#include "core/testing/temp_dir.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

const fs::path kDataDir = fs::path(HEARTH_TEST_SRCDIR) / "data";

TEST(FeedSpecTest, EveryShippedDefinitionLoads) {
  std::vector<std::string> kinds = FeedKinds(kDataDir);
  EXPECT_EQ(kinds, (std::vector<std::string>{"disability", "disaster", "employment", "household-registration", "housing",
                                             "medical-claims", "medical-enrolment", "school", "social-assistance",
                                             "water"}));
  for (const std::string& kind : kinds) {
    SCOPED_TRACE(kind);
    auto spec = LoadFeedSpecForKind(kDataDir, kind);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    EXPECT_EQ(spec->kind, kind);
    EXPECT_FALSE(spec->department.empty());
    EXPECT_FALSE(spec->label.empty());
    EXPECT_FALSE(spec->event_type.empty());
    EXPECT_TRUE(spec->digest.starts_with("sha256:")) << spec->digest;
    ASSERT_FALSE(spec->fields.empty());
    ASSERT_FALSE(spec->key.empty());
    for (int k : spec->key) EXPECT_GE(k, 0);
    ASSERT_GE(spec->link.person, 0);
    EXPECT_EQ(spec->fields[static_cast<size_t>(spec->link.person)].type, FieldType::kId);
    EXPECT_EQ(spec->Columns().size(), spec->fields.size());
    for (const FieldSpec& f : spec->fields) {
      EXPECT_FALSE(f.column.name.empty()) << f.name;
      if (f.type == FieldType::kEnum) {
        EXPECT_FALSE(f.values.empty()) << f.name;
      }
    }
    for (const CheckSpec& c : spec->checks) {
      EXPECT_FALSE(c.kind.empty());
      EXPECT_FALSE(c.zh.empty());
      EXPECT_FALSE(c.en.empty());
    }
  }
  auto claims = LoadFeedSpecForKind(kDataDir, "medical-claims");
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->amount, claims->FieldIndex("selfpay"));
  EXPECT_EQ(claims->effective, (std::vector<int>{claims->FieldIndex("discharged"), claims->FieldIndex("admitted")}));
  EXPECT_EQ(claims->FieldIndex("nope"), -1);
  // Housing and water name households by their head; feeds about persons do not.
  for (const std::string& kind : kinds) {
    auto spec = LoadFeedSpecForKind(kDataDir, kind);
    ASSERT_TRUE(spec.ok());
    EXPECT_EQ(spec->link.head, kind == "housing" || kind == "water") << kind;
  }
}

TEST(FeedSpecTest, UnknownKindNamesTheDefinedKinds) {
  auto spec = LoadFeedSpecForKind(kDataDir, "weather");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().kind(), "feed_kind_unknown");
  EXPECT_NE(spec.status().message().find("medical-claims"), std::string::npos) << spec.status().message();
}

// A valid definition; each case below breaks one thing in it.
constexpr std::string_view kValid = R"(kind = "t"
department = "医保"
label = "test"
event = "t.event"
key = ["id_number", "when"]
effective = ["when"]
amount = "paid"

[link]
person = "id_number"
name = "name"

[[field]]
name = "id_number"
header = "证件号码"
type = "id"

[[field]]
name = "name"
header = "姓名"
type = "name"

[[field]]
name = "when"
header = "日期"
type = "date"

[[field]]
name = "paid"
header = "金额"
type = "money"

[[field]]
name = "grade"
header = "等级"
type = "enum"
values = ["一级", "二级"]
synonyms = { "1" = "一级", "2" = "二级" }

[[check]]
kind = "paid_check"
left = "paid"
op = "<="
right = "paid"
zh = "错"
en = "wrong"
)";

class FeedSpecFileTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLanguage(Lang::kEn); }
  void TearDown() override { SetLanguage(Lang::kZh); }

  fs::path Write(std::string_view text, const std::string& name = "t.toml") {
    fs::create_directories(tmp_.path() / "feeds");
    fs::path p = tmp_.path() / "feeds" / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_feed_spec_test"};
};

TEST_F(FeedSpecFileTest, TheBaseDefinitionIsValid) {
  auto spec = LoadFeedSpec(Write(kValid));
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->fields.size(), 5u);
  EXPECT_EQ(spec->fields[4].synonyms.size(), 2u);
  EXPECT_EQ(spec->checks.size(), 1u);
  EXPECT_EQ(spec->checks[0].op, "<=");
  auto by_kind = LoadFeedSpecForKind(tmp_.path(), "t");
  EXPECT_TRUE(by_kind.ok()) << by_kind.status().ToString();
}

// 1-based line and column of the first occurrence of `marker` (ASCII before it on its line).
std::pair<int, int> PositionOf(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  EXPECT_NE(at, std::string_view::npos) << marker;
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(at - line_start) + 1};
}

TEST_F(FeedSpecFileTest, ErrorsNameLineAndColumn) {
  const struct {
    const char* label;
    std::string from, to;  // replace `from` by `to` in kValid
    std::string at;        // the problem is where this text (in the broken file) starts
    std::string says;      // part of the explanation
    std::string kind = "feed_spec_invalid";
  } cases[] = {
      {"unknown type", "type = \"money\"", "type = \"float\"", "\"float\"", "unknown type float"},
      {"key naming no field", "key = [\"id_number\", \"when\"]", "key = [\"id_number\", \"nope\"]", "[\"id_number\", \"nope\"]",
       "key names nope, which is not a field"},
      {"synonym to a value not in values", "synonyms = { \"1\" = \"一级\", \"2\" = \"二级\" }",
       "synonyms = { \"2\" = \"三级\", \"1\" = \"一级\" }", "\"三级\"", "synonym 2 maps to 三级, which is not among the values"},
      {"bad op", "op = \"<=\"", "op = \"==\"", "\"==\"", "op must be one of"},
      {"check naming no field", "left = \"paid\"", "left = \"spent\"", "\"spent\"", "left names spent"},
      {"link.person not an id", "person = \"id_number\"", "person = \"name\"", "\"name\"\nname", "link.person must be a field of type id"},
      {"link naming no field", "name = \"name\"\n\n[[field]]", "name = \"nobody\"\n\n[[field]]", "\"nobody\"", "name names nobody"},
      {"amount not money", "amount = \"paid\"", "amount = \"when\"", "\"when\"\n", "amount must name a money field"},
      {"effective naming a text field", "effective = [\"when\"]", "effective = [\"name\"]", "[\"name\"]",
       "effective may only name date"},
      {"unknown key", "label = \"test\"", "label = \"test\"\ncolour = \"red\"", "\"red\"", "unknown key colour"},
      {"unknown key in a field", "type = \"date\"", "type = \"date\"\nformat = \"yyyy\"", "\"yyyy\"", "unknown key format"},
      {"min not an integer", "type = \"money\"", "type = \"money\"\nmin = \"0\"", "\"0\"", "min must be an integer"},
      {"link.head not a boolean", "name = \"name\"\n\n[[field]]", "name = \"name\"\nhead = \"yes\"\n\n[[field]]", "\"yes\"",
       "head must be true or false"},
      {"syntax", "type = \"id\"", "type = \"id", "type = \"id", "", "feed_spec_syntax"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    std::string text(kValid);
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, c.from.size(), c.to);
    fs::path file = Write(text);
    auto spec = LoadFeedSpec(file);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().kind(), c.kind) << spec.status().message();
    auto [line, column] = PositionOf(text, c.at);
    const std::string m = spec.status().message();
    EXPECT_NE(m.find(file.string()), std::string::npos) << m;
    if (c.kind == "feed_spec_syntax") {
      EXPECT_NE(m.find("line " + std::to_string(line) + " "), std::string::npos) << m;
    } else {
      EXPECT_NE(m.find("line " + std::to_string(line) + " column " + std::to_string(column) + ":"), std::string::npos)
          << "expected line " << line << " column " << column << ": " << m;
    }
    EXPECT_NE(m.find(c.says), std::string::npos) << m;
  }
}

TEST_F(FeedSpecFileTest, ProblemsWithoutAPreciseSpot) {
  const struct {
    const char* label;
    std::string from, to;
    std::string says;
  } cases[] = {
      {"enum without values", "values = [\"一级\", \"二级\"]\nsynonyms = { \"1\" = \"一级\", \"2\" = \"二级\" }", "",
       "an enum field needs values"},
      {"no link", "[link]\nperson = \"id_number\"\nname = \"name\"\n", "", "[link] is missing"},
      {"field defined twice", "name = \"paid\"\nheader = \"金额\"", "name = \"when\"\nheader = \"金额\"", "field when is defined twice"},
      {"comparing different types", "right = \"paid\"", "right = \"when\"", "different types"},
      {"missing kind", "kind = \"t\"\n", "", "kind is missing"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    std::string text(kValid);
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, c.from.size(), c.to);
    auto spec = LoadFeedSpec(Write(text));
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().kind(), "feed_spec_invalid");
    EXPECT_NE(spec.status().message().find(c.says), std::string::npos) << spec.status().message();
    EXPECT_NE(spec.status().message().find(" column "), std::string::npos) << spec.status().message();
  }
}

TEST_F(FeedSpecFileTest, LinkHeadIsOptionalAndFalseByDefault) {
  auto plain = LoadFeedSpec(Write(kValid));
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_FALSE(plain->link.head);
  std::string text(kValid);
  const std::string from = "name = \"name\"\n\n[[field]]";
  text.replace(text.find(from), from.size(), "name = \"name\"\nhead = true\n\n[[field]]");
  auto by_heads = LoadFeedSpec(Write(text));
  ASSERT_TRUE(by_heads.ok()) << by_heads.status().ToString();
  EXPECT_TRUE(by_heads->link.head);
}

TEST_F(FeedSpecFileTest, KindMustMatchTheFileName) {
  Write(kValid, "other.toml");
  auto spec = LoadFeedSpecForKind(tmp_.path(), "other");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().kind(), "feed_spec_invalid");
  auto missing = LoadFeedSpec(tmp_.path() / "feeds" / "absent.toml");
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace hearth
