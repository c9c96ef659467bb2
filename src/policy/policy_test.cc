#include "policy/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/messages.h"
#include "core/testing/temp_dir.h"

namespace hearth {
namespace {

constexpr const char* kFindings = "[findings]\nassistance_income_factor = \"1.5\"\nsource = \"test\"\n";

std::string Line(std::string_view area, int year, std::string_view yuan) {
  return "[[monitoring_line]]\narea = \"" + std::string(area) + "\"\nyear = " + std::to_string(year) +
         "\nyuan = " + std::string(yuan) + "\nsource = \"test value\"\n";
}

class PolicyTest : public ::testing::Test {
 protected:
  // `text`, with a category and a warning rule after it when it has none (a policy without
  // them is refused: APolicyWithoutWarningRulesIsRefused).
  StatusOr<Policy> Load(const std::string& text) {
    std::ofstream out(file_, std::ios::binary);
    out << text;
    if (text.find("[[rule]]") == std::string::npos) {
      out << "\n[[category]]\nid = \"edge\"\nlabel = \"边缘易致贫户\"\n"
             "[[rule]]\nid = \"low\"\nwhen = \"income_pc_12m < line\"\ncategory = \"edge\"\nseverity = 2\n"
             "explain = \"x\"\nsource = \"s\"\n";
    }
    out.close();
    return LoadPolicy(file_);
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_policy_test"};
  const std::filesystem::path file_ = tmp_.path() / "p.toml";
};

TEST_F(PolicyTest, LoadsTheDefaultPolicy) {
  auto policy = LoadDefaultPolicy(std::string(HEARTH_TEST_SRCDIR) + "/data");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_FALSE(policy->name.empty());
  EXPECT_EQ(policy->region, "65");
  EXPECT_TRUE(policy->digest.starts_with("sha256:")) << policy->digest;
  EXPECT_EQ(policy->digest.size(), 7u + 64u);
  EXPECT_EQ(policy->LineFor("653221100201", 2021), Money::FromYuan(6000));
  EXPECT_EQ(policy->findings.assistance_income_factor.units, 15);
  EXPECT_EQ(policy->findings.assistance_income_factor.scale, 1);
  EXPECT_EQ(policy->findings.temporary_assistance_months, 12);
  EXPECT_EQ(policy->findings.school_age_from, 6);
  EXPECT_EQ(policy->findings.school_age_to, 15);
  EXPECT_GT(policy->findings.source.size(), 20u);
}

TEST_F(PolicyTest, DigestIsOfTheBytes) {
  std::string text = Line("65", 2021, "6000") + kFindings;
  auto a = Load(text);
  auto b = Load(text + "# a comment\n");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->digest, b->digest);
  EXPECT_EQ(a->digest, Load(text)->digest);
}

TEST_F(PolicyTest, LineForPrefersTheMostSpecificAreaOfTheLatestYear) {
  auto policy = Load(Line("65", 2021, "6000") + Line("65", 2023, "7000") + Line("6532", 2023, "7200") +
                     Line("653221", 2023, "\"7500.50\"") + Line("6531", 2024, "8000") + kFindings);
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  struct Case {
    std::string area;
    int year;
    std::optional<Money> want;
  } const cases[] = {
      {"65", 2021, Money::FromYuan(6000)},
      {"653221100201", 2021, Money::FromYuan(6000)},     // only the province has 2021
      {"653221100201", 2022, Money::FromYuan(6000)},     // no 2022 line: the latest earlier year
      {"653221100201", 2023, Money::FromFen(750050)},    // county over prefecture over province
      {"653222100201", 2023, Money::FromYuan(7200)},     // another county: the prefecture's
      {"652901100217", 2023, Money::FromYuan(7000)},     // another prefecture: the province's
      {"653221", 2030, Money::FromFen(750050)},          // years after the last line keep it
      {"653121100201", 2024, Money::FromYuan(8000)},
      {"653121100201", 2023, Money::FromYuan(7000)},
      {"653221100201", 2020, std::nullopt},              // before every line
      {"640101", 2023, std::nullopt},                    // outside every line
      {"653221000000", 2023, Money::FromFen(750050)},    // padded form
  };
  for (const Case& c : cases) EXPECT_EQ(policy->LineFor(c.area, c.year), c.want) << c.area << " " << c.year;
}

TEST_F(PolicyTest, ReadsFindingsSettings) {
  auto policy = Load(Line("65", 2021, "6000") +
                     "[findings]\nassistance_income_factor = 2\ntemporary_assistance_months = 6\n"
                     "school_age_from = 7\nschool_age_to = 16\nsource = \"x\"\n");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(policy->findings.assistance_income_factor.units, 2);
  EXPECT_EQ(policy->findings.assistance_income_factor.scale, 0);
  EXPECT_EQ(policy->findings.temporary_assistance_months, 6);
  EXPECT_EQ(policy->findings.school_age_from, 7);
  EXPECT_EQ(policy->findings.school_age_to, 16);
}

TEST_F(PolicyTest, BadFilesFailWithTheirKind) {
  SetLanguage(Lang::kEn);
  const std::string ok_line = Line("65", 2021, "6000");
  struct Case {
    std::string name;
    std::string text;
    std::string kind;
    std::string in_message;
  } const cases[] = {
      {"syntax", ok_line + "[findings\n", "policy_syntax", "line 6"},
      {"syntax_value", "[policy]\nname = \"x\ny = 1\n", "policy_syntax", "line 2"},
      {"zero_line", Line("65", 2021, "0") + kFindings, "policy_line_amount", "line 4"},
      {"negative_line", Line("65", 2021, "-1") + kFindings, "policy_line_amount", "-1.00"},
      {"float_line", Line("65", 2021, "6000.5") + kFindings, "policy_field", "yuan"},
      {"bad_area", Line("6x", 2021, "6000") + kFindings, "policy_field", "area"},
      {"village_area", Line("653221100201", 2021, "6000") + kFindings, "policy_field", "area"},
      {"bad_year", Line("65", 1999, "6000") + kFindings, "policy_field", "year"},
      {"no_source", "[[monitoring_line]]\narea = \"65\"\nyear = 2021\nyuan = 6000\n" + std::string(kFindings),
       "policy_field", "source"},
      {"duplicate", ok_line + ok_line + kFindings, "policy_line_duplicate", "line 1"},
      {"no_lines", std::string("[policy]\nname = \"x\"\n") + kFindings, "policy_no_lines", ""},
      {"name_not_text", "[policy]\nname = 2025\n" + ok_line + kFindings, "policy_field", "[policy] lacks field name"},
      {"region_not_text", "[policy]\nregion = [\"65\"]\n" + ok_line + kFindings, "policy_field", "a quoted string"},
      {"no_findings", ok_line, "policy_findings_missing", "assistance_income_factor"},
      {"unknown_key", ok_line + kFindings + "assistance_income_facter = \"2\"\n", "policy_key_unknown",
       "Did you mean assistance_income_factor?"},
      {"float_factor", ok_line + "[findings]\nassistance_income_factor = 1.5\n", "policy_findings_value",
       "assistance_income_factor"},
      {"zero_factor", ok_line + "[findings]\nassistance_income_factor = \"0\"\n", "policy_findings_value", ""},
      {"text_factor", ok_line + "[findings]\nassistance_income_factor = \"x1.5\"\n", "policy_findings_value", ""},
      {"bad_months", ok_line + kFindings + "temporary_assistance_months = 0\n", "policy_findings_value", "months"},
      {"ages_reversed", ok_line + kFindings + "school_age_from = 16\nschool_age_to = 6\n", "policy_findings_value",
       ""},
  };
  for (const Case& c : cases) {
    auto policy = Load(c.text);
    ASSERT_FALSE(policy.ok()) << c.name;
    EXPECT_EQ(policy.status().kind(), c.kind) << c.name << ": " << policy.status().message();
    EXPECT_NE(policy.status().message().find(c.in_message), std::string::npos) << c.name << ": "
                                                                               << policy.status().message();
  }
  SetLanguage(Lang::kZh);
}

// A small valid policy; the cases below edit it.
constexpr std::string_view kValid = R"toml([policy]
name = "t"

[[monitoring_line]]
area = "65"
year = 2021
yuan = 6000
source = "s"

[findings]
assistance_income_factor = "1.5"
source = "s"

[triggers.cost]
yuan = 100
source = "s"

[[category]]
id = "edge"
label = "边缘易致贫户"

[score]
shortfall_points = 100

[[rule]]
id = "low"
when = "income_pc_12m < line"
category = "edge"
severity = 2
explain = "收入 {income_pc_12m} 元"
source = "s"
)toml";

// Line and column (in characters, 1-based) where `marker` first occurs in `text`.
std::pair<int, int> PositionOf(std::string_view text, std::string_view marker) {
  const size_t at = text.find(marker);
  if (at == std::string_view::npos) return {-1, -1};
  const std::string_view before = text.substr(0, at);
  const size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  int column = 1;
  for (size_t i = line_start; i < at; ++i) column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return {1 + static_cast<int>(std::count(before.begin(), before.end(), '\n')), column};
}

TEST(PolicyProblemsTest, TheValidPolicyHasNoProblems) {
  std::vector<PolicyProblem> problems;
  auto policy = ParsePolicy(kValid, "p.toml", &problems);
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  for (const PolicyProblem& p : problems) ADD_FAILURE() << p.line << ":" << p.column << " " << p.message;
  ASSERT_EQ(policy->rules.size(), 1u);
  EXPECT_EQ(policy->rules[0].category, "edge");
  EXPECT_EQ(PositionOf(kValid, "收入"), std::make_pair(policy->rules[0].explain_line, policy->rules[0].explain_column));
  EXPECT_EQ(policy->rules[0].explain_en_line, policy->rules[0].explain_line) << "explain_en defaults to explain";
  EXPECT_EQ(PositionOf(kValid, "\"65\""), std::make_pair(policy->lines[0].area_line, policy->lines[0].area_column));
}

// Every problem of a file is reported where it is: at the offending key or value, or at its
// table's header when a key is missing. Unknown keys and sections name the key meant.
TEST(PolicyProblemsTest, EveryProblemPointsAtItsPlace) {
  SetLanguage(Lang::kEn);
  struct Case {
    std::string name;
    std::string from, to;  // replaced in kValid (first occurrence); `from` empty: `to` appended; "^": prepended
    std::string at;        // where the problem must be: the first occurrence of this text
    std::string kind;
    std::string in_message;
  } const cases[] = {
      // Misspelt keys and sections, anywhere.
      {"rule_key", "category = \"edge\"", "catagory = \"edge\"", "catagory", "policy_key_unknown",
       "[[rule]] has no key catagory; it would not be read. Did you mean category?"},
      {"rule_weight", "severity = 2", "severity = 2\nweigth = 5", "weigth", "policy_key_unknown",
       "Did you mean weight?"},
      {"rule_far", "severity = 2", "severity = 2\nwhen_en = \"x\"", "when_en", "policy_key_unknown",
       "Allowed: id, when, category, risks, severity, weight, explain, explain_en, source."},
      {"rules_section", "[[rule]]", "[[rules]]", "rules]]", "policy_section_unknown",
       "there is no section [[rules]]; it would not be read. Did you mean [[rule]]?"},
      {"rule_single", "[[rule]]", "[rule]", "rule]", "policy_section_shape", "[rule] must be written as [[rule]]"},
      {"score_key", "shortfall_points", "shortfal_points", "shortfal_points", "policy_key_unknown",
       "[score] has no key shortfal_points; it would not be read. Did you mean shortfall_points?"},
      {"trigger_key", "yuan = 100", "yaun = 100", "yaun", "policy_key_unknown",
       "[triggers.cost] has no key yaun; it would not be read. Did you mean yuan?"},
      {"category_key", "label = ", "lable = ", "lable", "policy_key_unknown", "Did you mean label?"},
      {"policy_key", "name = \"t\"", "nmae = \"t\"", "nmae", "policy_key_unknown", "Did you mean name?"},
      {"line_key", "source = \"s\"", "source = \"s\"\nsauce = \"x\"", "sauce", "policy_key_unknown",
       "Did you mean source?"},
      {"findings_key", "assistance_income_factor = \"1.5\"", "assistance_income_factor = \"1.5\"\nschool_age = 6",
       "school_age =", "policy_key_unknown", "Did you mean school_age_to?"},
      {"top_level", "^", "threshold = 5\n", "threshold", "policy_section_unknown",
       "Allowed: [policy], [[monitoring_line]], [findings], [triggers], [[category]], [[rule]], [score]."},
      {"findings_single_key", "[findings]", "[finding]", "finding]", "policy_section_unknown",
       "Did you mean [findings]?"},
      // Monitoring lines: the value, or the table when the key is missing.
      {"line_duplicate", "", "\n[[monitoring_line]]\narea = \"65\"\nyear =  2021\nyuan = 7000\nsource = \"s\"\n",
       "2021\nyuan = 7000", "policy_line_duplicate", "already has a monitoring line for 2021 at line 4"},
      {"line_negative", "yuan = 6000", "yuan = -6000", "-6000", "policy_line_amount", "-6,000.00 yuan, is not positive"},
      {"line_text", "yuan = 6000", "yuan = \"六千\"", "\"六千\"", "policy_field", "yuan"},
      {"line_no_year", "year = 2021\n", "", "[[monitoring_line]]", "policy_field", "year"},
      {"line_area_number", "area = \"65\"", "area = 653224", "653224", "policy_field", "area"},
      {"findings_value", "assistance_income_factor = \"1.5\"", "assistance_income_factor = 1.5", "1.5\n",
       "policy_findings_value", "assistance_income_factor"},
      // Rules.
      {"severity", "severity = 2", "severity = 4", "4\nexplain", "policy_rule_field", "severity"},
      {"no_severity", "severity = 2\n", "", "[[rule]]", "policy_rule_field", "severity"},
      {"no_id", "id = \"low\"\n", "", "[[rule]]", "policy_rule_field",
       "rule #1 (the [[rule]] at line 25) lacks field id"},
      {"bad_id", "id = \"low\"", "id = \"Low-1\"", "\"Low-1\"", "policy_rule_field", "rule Low-1 lacks field id"},
      {"duplicate_id", "", "\n[[rule]]\nid = \"low\"\nwhen = \"true\"\nseverity = 3\nexplain = \"x\"\nsource = \"s\"\n",
       "\"low\"\nwhen = \"true\"", "policy_rule_duplicate", "already used at line 25"},
      {"explain_en", "", "explain_en = 5\n", "5\n", "policy_rule_field", "explain_en"},
  };
  for (const Case& c : cases) {
    std::string text(kValid);
    if (c.from.empty()) {
      text += c.to;
    } else if (c.from == "^") {
      text = c.to + text;
    } else {
      const size_t at = text.find(c.from);
      ASSERT_NE(at, std::string::npos) << c.name;
      text.replace(at, c.from.size(), c.to);
    }
    const auto [line, column] = PositionOf(text, c.at);
    ASSERT_GT(line, 0) << c.name;
    std::vector<PolicyProblem> problems;
    auto policy = ParsePolicy(text, "p.toml", &problems);
    ASSERT_TRUE(policy.ok()) << c.name << ": " << policy.status().ToString();
    bool found = false;
    for (const PolicyProblem& p : problems) {
      if (p.kind == c.kind && p.line == line && p.column == column) {
        found = true;
        EXPECT_NE(p.message.find(c.in_message), std::string::npos) << c.name << ": " << p.message;
      }
    }
    std::string all;
    for (const PolicyProblem& p : problems) {
      all += std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.kind + " " + p.message + "\n";
    }
    EXPECT_TRUE(found) << c.name << ": wanted " << c.kind << " at " << line << ":" << column << ", got\n" << all;
  }
  SetLanguage(Lang::kZh);
}

// A policy a screen would open no warning under is refused as a whole (no position: 0:0).
TEST(PolicyProblemsTest, APolicyWithoutWarningRulesIsRefused) {
  SetLanguage(Lang::kEn);
  const std::string valid(kValid);
  const std::string rule = valid.substr(valid.find("[[rule]]"));
  const struct {
    std::string name, text, kind;
  } cases[] = {
      {"no_rules", valid.substr(0, valid.find("[[rule]]")), "policy_no_rules"},
      {"markers_only", valid.substr(0, valid.find("category = \"edge\"\nseverity")) +
                           valid.substr(valid.find("severity = 2")),
       "policy_no_warning_rules"},
  };
  for (const auto& c : cases) {
    std::vector<PolicyProblem> problems;
    auto policy = ParsePolicy(c.text, "p.toml", &problems);
    ASSERT_TRUE(policy.ok()) << c.name << ": " << policy.status().ToString();
    ASSERT_EQ(problems.size(), 1u) << c.name << ": " << (problems.empty() ? "" : problems[0].message);
    EXPECT_EQ(problems[0].kind, c.kind) << c.name;
    EXPECT_EQ(problems[0].line, 0) << c.name;
    EXPECT_NE(problems[0].message.find("p.toml"), std::string::npos) << c.name;
  }
  // A rule with a category beside markers is enough.
  std::vector<PolicyProblem> problems;
  auto two = ParsePolicy(valid + "\n[[rule]]\nid = \"mark\"\nwhen = \"true\"\nseverity = 3\nexplain = \"x\"\nsource = \"s\"\n",
                         "p.toml", &problems);
  ASSERT_TRUE(two.ok());
  EXPECT_TRUE(problems.empty()) << problems[0].message;
  SetLanguage(Lang::kZh);
}

// TOML syntax errors a Chinese editor causes say so: full-width punctuation outside quotes
// on the error's line, or a file that is not UTF-8 (saved as GBK).
TEST(PolicyProblemsTest, SyntaxErrorsFromChinesePunctuationOrGbkSayHowToFixThem) {
  struct Case {
    std::string name;
    std::string text;
    Lang lang;
    std::string kind;
    std::vector<std::string> in_message;
  } const cases[] = {
      {"comma", "[[rule]]\nrisks = [\"因学\"，\"因病\"]\n", Lang::kZh, "policy_syntax",
       {"第 2 行第 14 列", "全角", "，→ ,", "半角", "expected comma"}},
      {"quotes", "[[rule]]\nwhen = “members_ill > 0”\n", Lang::kEn, "policy_syntax",
       {"line 2, column 8", "“→ \"  ”→ \"", "could not determine value type"}},
      {"bracket", "【policy】\nname = \"x\"\n", Lang::kEn, "policy_syntax", {"【→ [  】→ ]"}},
      {"equals", "[policy]\nname ＝ \"x\"\n", Lang::kEn, "policy_syntax", {"＝→ ="}},
      {"gbk", "[policy]\nname = \"\xD5\xFE\xB2\xDF\"\n", Lang::kZh, "policy_encoding",
       {"不是 UTF-8", "第 2 行第 9 列", "另存为", "utf-8"}},
      // Full-width punctuation inside a string is not the cause: the plain syntax message.
      {"inside_string", "[policy]\nname = \"甲，乙\" x\n", Lang::kEn, "policy_syntax", {"line 2, column"}},
      {"plain", "[policy\n", Lang::kEn, "policy_syntax", {"line 1"}},
      // The common mistakes told in Chinese, toml++'s words kept after them.
      {"zh_unquoted_text", "[policy]\nname = 南疆\n", Lang::kZh, "policy_syntax", {"第 2 行", "英文双引号", "（Error while parsing"}},
      {"zh_no_equals", "[policy]\nname \"x\"\n", Lang::kZh, "policy_syntax", {"第 2 行", "等号"}},
      {"zh_open_string", "[policy]\nname = \"x\n", Lang::kZh, "policy_syntax", {"第 2 行"}},
      {"zh_table_twice", "[policy]\nname = \"x\"\n[policy]\nregion = \"65\"\n", Lang::kZh, "policy_syntax",
       {"第 3 行", "写了两次"}},
      {"zh_array", "[[rule]]\nrisks = [\"因学\" \"因病\"]\n", Lang::kZh, "policy_syntax", {"逗号"}},
      {"zh_after_value", "[policy]\nname = \"x\" y\n", Lang::kZh, "policy_syntax", {"一行只写一个"}},
  };
  for (const Case& c : cases) {
    SetLanguage(c.lang);
    std::vector<PolicyProblem> problems;
    auto policy = ParsePolicy(c.text, "p.toml", &problems);
    ASSERT_FALSE(policy.ok()) << c.name;
    EXPECT_EQ(policy.status().kind(), c.kind) << c.name << ": " << policy.status().message();
    for (const std::string& part : c.in_message) {
      EXPECT_NE(policy.status().message().find(part), std::string::npos) << c.name << ": " << part << " in "
                                                                         << policy.status().message();
    }
    if (c.name == "inside_string" || c.name == "plain") {
      EXPECT_EQ(policy.status().message().find("→"), std::string::npos) << c.name << ": "
                                                                        << policy.status().message();
    }
  }
  SetLanguage(Lang::kZh);
}

TEST_F(PolicyTest, MissingFileAndDataDir) {
  auto missing = LoadPolicy(tmp_.path() / "none.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "policy_missing");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto no_dir = LoadDefaultPolicy((tmp_.path() / "nodata").string());
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(no_dir.status().kind(), "data_dir_missing");
}

}  // namespace
}  // namespace hearth
