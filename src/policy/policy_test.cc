#include "policy/policy.h"

#include <gtest/gtest.h>

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
  StatusOr<Policy> Load(const std::string& text) {
    std::ofstream(file_, std::ios::binary) << text;
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
      {"zero_line", Line("65", 2021, "0") + kFindings, "policy_line_amount", "line 1"},
      {"negative_line", Line("65", 2021, "-1") + kFindings, "policy_line_amount", "-1.00"},
      {"float_line", Line("65", 2021, "6000.5") + kFindings, "policy_field", "yuan"},
      {"bad_area", Line("6x", 2021, "6000") + kFindings, "policy_field", "area"},
      {"village_area", Line("653221100201", 2021, "6000") + kFindings, "policy_field", "area"},
      {"bad_year", Line("65", 1999, "6000") + kFindings, "policy_field", "year"},
      {"no_source", "[[monitoring_line]]\narea = \"65\"\nyear = 2021\nyuan = 6000\n" + std::string(kFindings),
       "policy_field", "source"},
      {"duplicate", ok_line + ok_line + kFindings, "policy_line_duplicate", "line 1"},
      {"no_lines", std::string("[policy]\nname = \"x\"\n") + kFindings, "policy_no_lines", ""},
      {"no_findings", ok_line, "policy_findings_missing", "assistance_income_factor"},
      {"unknown_key", ok_line + kFindings + "assistance_income_facter = \"2\"\n", "policy_findings_key_unknown",
       "assistance_income_facter"},
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
