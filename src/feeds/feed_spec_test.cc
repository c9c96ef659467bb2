// Feed definitions: every shipped data/feeds/*.toml loads, and a broken definition is refused
// naming the file, line and column of the problem.
#include "feeds/feed_spec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/messages.h"
#include "core/text.h"
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
  // 公安's deaths and births are one fact per person, whatever the date.
  auto registration = LoadFeedSpecForKind(kDataDir, "household-registration");
  ASSERT_TRUE(registration.ok()) << registration.status().ToString();
  ASSERT_EQ(registration->key_when.size(), 1u);
  EXPECT_EQ(registration->key_when[0].values, (std::vector<std::string>{"死亡", "出生"}));
  EXPECT_EQ(registration->key_when[0].key,
            (std::vector<int>{registration->FieldIndex("id_number"), registration->FieldIndex("change")}));
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

// 1-based line and column (in characters, as toml++ counts) of the first occurrence of `marker`.
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
  return {line, static_cast<int>(CountUtf8Chars(text.substr(line_start, at - line_start))) + 1};
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
      {"key_when on a field that is no enum", "amount = \"paid\"\n",
       "amount = \"paid\"\n\n[[key_when]]\nfield = \"when\"\nvalues = [\"x\"]\nkey = [\"id_number\"]\n", "\"when\"\nvalues",
       "key_when.field must be an enum field"},
      {"key_when value not among the field's", "amount = \"paid\"\n",
       "amount = \"paid\"\n\n[[key_when]]\nfield = \"grade\"\nvalues = [\"三级\"]\nkey = [\"id_number\"]\n", "\"三级\"",
       "key_when value \"三级\" is not a value of field grade"},
      {"key_when key without the person", "amount = \"paid\"\n",
       "amount = \"paid\"\n\n[[key_when]]\nfield = \"grade\"\nvalues = [\"一级\"]\nkey = [\"grade\"]\n", "[\"grade\"]",
       "key_when's key lacks the person field id_number"},
      {"key naming no field", "key = [\"id_number\", \"when\"]", "key = [\"id_number\", \"nope\"]", "\"nope\"]",
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
      {"unknown key", "label = \"test\"", "label = \"test\"\ncolour = \"red\"", "colour", "unknown key colour"},
      {"unknown key in a field", "type = \"date\"", "type = \"date\"\nformat = \"yyyy\"", "format", "unknown key format"},
      {"max not an integer", "type = \"money\"", "type = \"money\"\nmax = \"0\"", "\"0\"", "max must be an integer"},
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


// kValid with `from` replaced by `to` (which must be there).
std::string Replaced(std::string_view from, std::string_view to) {
  std::string text(kValid);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The last line of kValid, to append after.
const std::string kEnd = "en = \"wrong\"\n";
// An integer field, added before the [[check]].
std::string WithCount(std::string_view bounds) {
  return "[[field]]\nname = \"count\"\nheader = \"数量\"\ntype = \"integer\"\n" + std::string(bounds) + "\n\n[[check]]";
}
// A village field and the village fallback of [[link]].
const std::string kVillageField = "[[field]]\nname = \"village\"\nheader = \"村代码\"\ntype = \"village\"\nrequired = false\n\n[[check]]";

// Definitions that must be refused, each at the line and column of what is wrong (the key or
// value at fault), with a message that says what and how to put it right.
TEST_F(FeedSpecFileTest, RefusedDefinitions) {
  const struct {
    const char* label;
    std::string from, to;
    std::string at;     // the problem is where this text (in the broken file) starts ...
    int skip = 0;       // ... and this many characters on
    std::string says;   // part of the explanation
  } cases[] = {
      // 1: an any_of of no field passed, and every import of the kind then crashed.
      {"any_of of no field", kEnd, kEnd + "\n[[check]]\nkind = \"c2\"\nany_of = []\nzh = \"x\"\nen = \"x\"\n", "[]", 0,
       "any_of must name at least one field"},
      // 2: the kind is the file's name.
      {"kind not the file name", "kind = \"t\"", "kind = \"other\"", "\"other\"", 0,
       "kind = \"other\" does not match the file name t.toml"},
      {"kind not the file name: how to fix", "kind = \"t\"", "kind = \"other\"", "\"other\"", 0,
       "Rename the file to other.toml, or set kind = \"t\""},
      // 3: names the system uses.
      {"kind undo", "kind = \"t\"", "kind = \"undo\"", "\"undo\"", 0, "feed kind undo is reserved"},
      {"kind registry-…", "kind = \"t\"", "kind = \"registry-land\"", "\"registry-land\"", 0, "feed kind registry-land is reserved"},
      {"kind findings-refresh", "kind = \"t\"", "kind = \"findings-refresh\"", "\"findings", 0, "is reserved"},
      {"empty event", "event = \"t.event\"", "event = \"\"", "\"\"", 0, "event is empty"},
      {"registry event", "event = \"t.event\"", "event = \"registry.person\"", "\"registry.person\"", 0,
       "event type registry.person is written by the system itself"},
      {"retraction event", "event = \"t.event\"", "event = \"retraction\"", "\"retraction\"", 0,
       "event type retraction is written by the system itself"},
      // 5: one header for two columns, as a file's header is compared.
      {"a header twice", "header = \"姓名\"", "header = \"证件 号码\"", "\"证件 号码\"", 0,
       "header or alias \"证件 号码\" is the same as the header \"证件号码\" of field id_number"},
      {"an alias that is a later header", "header = \"日期\"", "header = \"日期\"\naliases = [\"变动日期\", \"金额（元）\"]",
       "header = \"金额\"", 9, "header or alias \"金额\" is the same as the alias \"金额（元）\" of field when"},
      {"an alias of a column's header", "header = \"金额\"", "header = \"金额\"\naliases = [\"*日期\"]\n", "\"*日期\"", 0,
       "header or alias \"*日期\" is the same as the header \"日期\" of field when"},
      // 6: a row without an ID number would link to nothing.
      {"optional person, no village", "header = \"证件号码\"", "header = \"证件号码\"\nrequired = false",
       "person = \"id_number\"", 9, "the link.person field id_number may be missing or empty"},
      {"nullable person, no village", "header = \"证件号码\"", "header = \"证件号码\"\nnullable = true",
       "person = \"id_number\"", 9, "add village = "},
      // 8: contradictions and settings that mean nothing.
      {"min above max", "[[check]]", WithCount("min = 10\nmax = 1"), "min = 10", 6, "min (10) is above max (1)"},
      {"money max below 0", "type = \"money\"", "type = \"money\"\nmax = -1", "-1", 0,
       "the max of a money field is the most this item can be, in yuan, from 1 to"},
      {"money max beyond any amount", "type = \"money\"", "type = \"money\"\nmax = 9000000000000000000", "9000", 0,
       "the max of a money field"},
      {"money min", "type = \"money\"", "type = \"money\"\nmin = 0", "min = 0", 6, "a money field takes only max"},
      {"comparing names", "left = \"paid\"\nop = \"<=\"\nright = \"paid\"", "left = \"name\"\nop = \"<=\"\nright = \"paid\"",
       "left = \"name\"", 7, "field name is type = \"name\" and has no order"},
      {"comparing an enum", "left = \"paid\"\nop = \"<=\"\nright = \"paid\"", "left = \"paid\"\nop = \"<=\"\nright = \"grade\"",
       "right = \"grade\"", 8, "field grade is type = \"enum\" and has no order"},
      {"empty header", "header = \"日期\"", "header = \"\"", "\"\"", 0, "header is empty"},
      {"empty kind", "kind = \"t\"", "kind = \"\"", "\"\"", 0, "kind is empty"},
      {"empty field name", "name = \"grade\"", "name = \"\"", "\"\"", 0, "name is empty"},
      {"blank field name", "name = \"grade\"", "name = \"  \"", "\"  \"", 0, "name is empty"},
      {"empty value", "values = [\"一级\", \"二级\"]", "values = [\"一级\", \"二级\", \"\"]", "\"\"]", 0,
       "values holds an empty string \"\"; remove it"},
      {"empty alias", "header = \"日期\"", "header = \"日期\"\naliases = [\"\"]", "\"\"]", 0, "aliases holds an empty string"},
      {"empty check kind", "kind = \"paid_check\"", "kind = \"\"", "kind = \"\"", 7, "kind is empty"},
      {"values on a name", "type = \"name\"", "type = \"name\"\nvalues = [\"张三\"]", "[\"张三\"]", 0,
       "values applies only to fields of type = \"enum\", and this field is type = \"name\""},
      {"synonyms on a date", "type = \"date\"", "type = \"date\"\nsynonyms = { \"今天\" = \"x\" }", "{ \"今天\"", 0,
       "synonyms applies only to fields of type = \"enum\""},
      {"min and max on a date", "type = \"date\"", "type = \"date\"\nmin = 1\nmax = 5", "1\nmax", 0,
       "min applies only to fields of type = \"integer\""},
      {"max on an enum", "type = \"enum\"", "type = \"enum\"\nmax = 5", "5\nvalues", 0,
       "max applies only to fields of type = \"integer\" / \"money\""},
      {"not_after_received on money", "type = \"money\"", "type = \"money\"\nnot_after_received = true", "true", 0,
       "not_after_received applies only to fields of type = \"date\""},
      {"allow_negative on a date", "type = \"date\"", "type = \"date\"\nallow_negative = true", "true", 0,
       "allow_negative applies only to fields of type = \"money\""},
      {"a key field twice", "key = [\"id_number\", \"when\"]", "key = [\"id_number\", \"when\", \"when\"]", "\"when\"]", 0,
       "key names field when twice"},
      {"a synonym that is another value", "synonyms = { \"1\" = \"一级\", \"2\" = \"二级\" }",
       "synonyms = { \"1\" = \"一级\", \"二 级\" = \"一级\" }", "\"二 级\"", 0, "synonym 二 级 is the value 二级"},
      {"one spelling for two values", "synonyms = { \"1\" = \"一级\", \"2\" = \"二级\" }",
       "synonyms = { \"b\" = \"一级\", \"Ｂ\" = \"二级\" }", "\"Ｂ\"", 0, "are one spelling"},
      {"a value twice", "values = [\"一级\", \"二级\"]", "values = [\"一级\", \"二级\", \"一 级\"]", "\"一 级\"", 0,
       "\"一 级\" and \"一级\" in values are the same value"},
      {"a value repeated", "values = [\"一级\", \"二级\"]", "values = [\"一级\", \"二级\", \"一级\"]", "\"一级\"]", 0,
       "一级 is in values twice"},
      {"household_when value not a value", "name = \"name\"\n\n[[field]]",
       "name = \"name\"\nhousehold = \"when\"\nhousehold_when = { field = \"grade\", values = [\"三级\"] }\n\n[[field]]",
       "\"三级\"", 0, "household_when value 三级 is not a value of field grade"},
      {"household_when on a name", "name = \"name\"\n\n[[field]]",
       "name = \"name\"\nhousehold = \"when\"\nhousehold_when = { field = \"name\", values = [\"x\"] }\n\n[[field]]",
       "\"name\", values", 0, "household_when.field must name an enum field"},
      {"household_when without household", "name = \"name\"\n\n[[field]]",
       "name = \"name\"\nhousehold_when = { field = \"grade\", values = [\"一级\"] }\n\n[[field]]", "{ field", 0,
       "household_when applies only with household"},
      {"household_when key misspelt", "name = \"name\"\n\n[[field]]",
       "name = \"name\"\nhousehold = \"when\"\nhousehold_when = { fiedl = \"grade\", values = [\"一级\"] }\n\n[[field]]", "fiedl", 0,
       "unknown key fiedl; it would not be read. Did you mean field?"},
      {"a check of both forms", "right = \"paid\"", "right = \"paid\"\nany_of = [\"paid\"]", "[[check]]", 0,
       "either any_of or left/op/right"},
      {"a check kind of the system's", "kind = \"paid_check\"", "kind = \"id_checksum\"", "\"id_checksum\"", 0,
       "problem kind id_checksum is one of the system's own"},
      // 9: the type meant, the types there are; synonyms to text.
      {"a misspelt type", "type = \"money\"", "type = \"monney\"", "\"monney\"", 0,
       "unknown type monney. Did you mean money? The types: id, name, text, enum, date, money, integer, school_year, "
       "village, household_code."},
      {"a misspelt key", "type = \"date\"", "type = \"date\"\nrequird = false", "requird", 0, "Did you mean required?"},
      {"a synonym to a number", "\"2\" = \"二级\"", "\"2\" = 2", "2 }", 0, "synonym 2 must map to text in quotes"},
      {"a header for a field name", "key = [\"id_number\", \"when\"]", "key = [\"证件号码\", \"when\"]", "\"证件号码\"", 0,
       "证件号码 is the header of field id_number; write the field's name, id_number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string text = Replaced(c.from, c.to);
    const fs::path file = Write(text);
    auto spec = LoadFeedSpec(file);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().kind(), "feed_spec_invalid") << spec.status().message();
    auto [line, column] = PositionOf(text, c.at);
    const std::string m = spec.status().message();
    const std::string where = file.string() + ", line " + std::to_string(line) + " column " + std::to_string(column + c.skip) + ": ";
    const size_t found = m.find(where);
    ASSERT_NE(found, std::string::npos) << "expected " << where << "\n" << m;
    const size_t end = m.find('\n', found);
    EXPECT_NE(m.substr(found, end == std::string::npos ? end : end - found).find(c.says), std::string::npos)
        << "at " << where << " expected: " << c.says << "\n" << m;
  }
}

// A misspelt type is told once: the amount, key or check naming the field is not blamed for it.
TEST_F(FeedSpecFileTest, AnUnknownTypeIsToldOnce) {
  auto spec = LoadFeedSpec(Write(Replaced("type = \"money\"", "type = \"monney\"")));
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message().find('\n'), std::string::npos) << spec.status().message();
}

// Definitions close to the refused ones that must pass.
TEST_F(FeedSpecFileTest, AcceptedDefinitions) {
  const struct {
    const char* label;
    std::string from, to;
  } cases[] = {
      {"a synonym that is its own value", "synonyms = { \"1\" = \"一级\", \"2\" = \"二级\" }",
       "synonyms = { \"1\" = \"一级\", \"一 级\" = \"一级\" }"},
      {"an alias as its own header is written", "header = \"日期\"", "header = \"日期\"\naliases = [\"日 期\", \"日期（年月日）\", \"日 期\"]"},
      {"household_when on values of the field", "name = \"name\"\n\n[[field]]",
       "name = \"name\"\nhousehold = \"when\"\nhousehold_when = { field = \"grade\", values = [\"二级\"] }\n\n[[field]]"},
      {"any_of of two fields", kEnd, kEnd + "\n[[check]]\nkind = \"c2\"\nany_of = [\"paid\", \"when\"]\nzh = \"x\"\nen = \"x\"\n"},
      {"integer bounds", "[[check]]", WithCount("min = 1\nmax = 1")},
      {"comparing dates", "left = \"paid\"\nop = \"<=\"\nright = \"paid\"", "left = \"when\"\nop = \"<=\"\nright = \"when\""},
      {"money with a max and negatives", "type = \"money\"", "type = \"money\"\nmax = 500000\nallow_negative = true"},
      {"a check without a label", "kind = \"paid_check\"", "kind = \"paid_check\"\nlabel = \"金额不对\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string text = Replaced(c.from, c.to);
    auto spec = LoadFeedSpec(Write(text));
    EXPECT_TRUE(spec.ok()) << spec.status().message() << "\n" << text;
  }
  // An optional person with a village fallback, as water.toml's head or village.
  std::string text = Replaced("header = \"证件号码\"", "header = \"证件号码\"\nrequired = false");
  text.replace(text.find("[[check]]"), 9, kVillageField);
  text.replace(text.find("[[field]]"), 9, "village = \"village\"\n\n[[field]]");
  auto water = LoadFeedSpec(Write(text));
  ASSERT_TRUE(water.ok()) << water.status().message() << "\n" << text;
  EXPECT_EQ(water->link.village, water->FieldIndex("village"));
}

// Enumeration values are compared as cells are: "红枣(骏枣)" and "红枣 （骏枣）" are "红枣（骏枣）".
TEST_F(FeedSpecFileTest, ValuesAreFoldedAsSynonymsAre) {
  auto spec = LoadFeedSpec(Write(Replaced("values = [\"一级\", \"二级\"]", "values = [\"一级\", \"二级\", \"红枣（骏枣）\", \"Ａ级\"]")));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const FieldSpec& grade = spec->fields[4];
  ASSERT_EQ(grade.folded_values.size(), grade.values.size());
  EXPECT_EQ(grade.folded_values[2], FoldEnumSpelling("红枣(骏枣)"));
  EXPECT_EQ(grade.folded_values[2], FoldEnumSpelling("红枣 （骏枣）"));
  EXPECT_EQ(grade.folded_values[3], FoldEnumSpelling("a 级"));
  EXPECT_EQ(grade.synonyms[0].first, FoldEnumSpelling("１"));
}

// Files a Chinese editor saves: the cause and the fix, not the parser's English alone.
TEST_F(FeedSpecFileTest, SyntaxAndEncodingSayHowToFixThem) {
  const struct {
    const char* label;
    std::string text;
    Lang lang;
    std::string kind;
    std::vector<std::string> says;
  } cases[] = {
      // 医 in GBK (D2 BD) happens to be a valid UTF-8 sequence; 保 (B1 A3) is not.
      {"GBK", Utf8ToGbk(std::string(kValid)).value(), Lang::kZh, "feed_spec_encoding",
       {"不是 UTF-8 编码", "第 2 行第 16 列", "GBK", "UTF-16", "另存为"}},
      {"UTF-16", std::string("\xFF\xFE") + std::string("k\0i\0n\0d\0", 8), Lang::kEn, "feed_spec_encoding",
       {"is not UTF-8", "line 1, column 1", "Save it as UTF-8"}},
      {"full-width equals", Replaced("type = \"name\"", "type ＝ \"name\""), Lang::kZh, "feed_spec_syntax",
       {"全角", "＝→ =", "半角"}},
      {"full-width colon", Replaced("type = \"name\"", "type：\"name\""), Lang::kEn, "feed_spec_syntax", {"：→ ="}},
      {"full-width comma", Replaced("values = [\"一级\", \"二级\"]", "values = [\"一级\"，\"二级\"]"), Lang::kEn,
       "feed_spec_syntax", {"，→ ,", "full-width (Chinese) punctuation"}},
      {"full-width quotes", Replaced("department = \"医保\"", "department = “医保”"), Lang::kZh, "feed_spec_syntax",
       {"“→ \"  ”→ \"", "第 2 行"}},
      {"a plain syntax error", Replaced("type = \"id\"", "type = \"id"), Lang::kZh, "feed_spec_syntax", {"语法错误", "请改正"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    SetLanguage(c.lang);
    auto spec = LoadFeedSpec(Write(c.text));
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().kind(), c.kind);
    for (const std::string& part : c.says) EXPECT_NE(spec.status().message().find(part), std::string::npos) << part << " in\n" << spec.status().message();
  }
  SetLanguage(Lang::kZh);
  auto missing = LoadFeedSpec(tmp_.path() / "feeds" / "absent.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "feed_spec_missing");
  EXPECT_NE(missing.status().message().find("找不到部门数据定义文件"), std::string::npos) << missing.status().message();
}

// In Chinese, as offices read it: where, what and how.
TEST_F(FeedSpecFileTest, ProblemsAreToldInChinese) {
  SetLanguage(Lang::kZh);
  const std::string text = Replaced("kind = \"t\"", "kind = \"welfare\"");
  auto spec = LoadFeedSpec(Write(text));
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("第 1 行第 8 列：kind = \"welfare\" 与文件名 t.toml 不一致"), std::string::npos)
      << spec.status().message();
  EXPECT_NE(spec.status().message().find("请把文件改名为 welfare.toml，或把 kind 改为 \"t\""), std::string::npos);
  SetLanguage(Lang::kEn);
}

// Two kinds of one directory with one event type would correct each other's facts: both are
// refused, naming each other; the other kinds still load. A definition that is broken on its
// own (a copy whose kind is not its name) is refused for that, and leaves the kind it copied alone.
TEST_F(FeedSpecFileTest, DirectoryRules) {
  Write(kValid, "t.toml");
  Write(Replaced("kind = \"t\"", "kind = \"u\""), "u.toml");
  Write(Replaced("kind = \"t\"\ndepartment = \"医保\"\nlabel = \"test\"\nevent = \"t.event\"",
                 "kind = \"v\"\ndepartment = \"医保\"\nlabel = \"test\"\nevent = \"v.event\""),
        "v.toml");
  Write(Replaced("kind = \"t\"\ndepartment = \"医保\"\nlabel = \"test\"\nevent = \"t.event\"",
                 "kind = \"v\"\ndepartment = \"医保\"\nlabel = \"test\"\nevent = \"v.event\""),
        "w.toml");  // a copy of v.toml, its kind unchanged
  const fs::path dir = tmp_.path() / "feeds";
  for (const auto& [kind, other] : {std::pair<std::string, std::string>{"t", "u"}, {"u", "t"}}) {
    SCOPED_TRACE(kind);
    auto spec = LoadFeedSpecForKind(tmp_.path(), kind);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().kind(), "feed_spec_invalid");
    const std::string m = spec.status().message();
    EXPECT_NE(m.find((dir / (kind + ".toml")).string() + ", line 4 column 9: event type t.event is used by " +
                     (dir / (other + ".toml")).string() + " too (kind " + other + ", line 4)"),
              std::string::npos)
        << m;
  }
  auto v = LoadFeedSpecForKind(tmp_.path(), "v");
  EXPECT_TRUE(v.ok()) << v.status().message();
  auto w = LoadFeedSpecForKind(tmp_.path(), "w");
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("line 1 column 8: kind = \"v\" does not match the file name w.toml"), std::string::npos)
      << w.status().message();
  EXPECT_NE(w.status().message().find("event type v.event is used by"), std::string::npos) << w.status().message();

  std::vector<FeedDefinition> all = LoadFeedSpecs(tmp_.path());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].kind, "t");
  EXPECT_FALSE(all[0].spec.ok());
  EXPECT_FALSE(all[1].spec.ok());
  EXPECT_TRUE(all[2].spec.ok());
  EXPECT_EQ(all[2].spec->kind, "v");
  EXPECT_FALSE(all[3].spec.ok());

  // A draft elsewhere is checked against the kinds it would join, not against its own kind's file.
  hearth::testing::ScopedTempDir drafts{"hearth_feed_spec_drafts"};
  const fs::path draft = drafts.path() / "v.toml";
  fs::copy_file(dir / "v.toml", draft);
  EXPECT_TRUE(CheckAgainstOtherKinds(draft, dir).ok());
  const fs::path joining = drafts.path() / "x.toml";
  std::ofstream(joining, std::ios::binary) << Replaced("kind = \"t\"\ndepartment = \"医保\"\nlabel = \"test\"\nevent = \"t.event\"",
                                                       "kind = \"x\"\ndepartment = \"医保\"\nlabel = \"test\"\nevent = \"v.event\"");
  Status shared = CheckAgainstOtherKinds(joining, dir);
  EXPECT_NE(shared.message().find("used by " + (dir / "v.toml").string()), std::string::npos) << shared.message();
}

}  // namespace
}  // namespace hearth
