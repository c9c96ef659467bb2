// The default policy file parses and every monitoring line is complete: a year, a positive
// amount, a known area, and the source of its value.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <toml++/toml.h>

#include "core/area_code.h"

namespace {

TEST(DefaultPolicyTest, MonitoringLinesAreCompleteAndSourced) {
  toml::table policy;
  try {
    policy = toml::parse_file(std::string(HEARTH_TEST_SRCDIR) + "/data/policy/default.toml");
  } catch (const toml::parse_error& e) {
    FAIL() << e.description() << " at line " << e.source().begin.line;
  }
  const toml::array* lines = policy["monitoring_line"].as_array();
  ASSERT_NE(lines, nullptr);
  std::set<std::pair<std::string, int64_t>> seen;
  for (const toml::node& node : *lines) {
    const toml::table& line = *node.as_table();
    std::string area = line["area"].value_or(std::string());
    int64_t year = line["year"].value_or(int64_t{0});
    EXPECT_TRUE(hearth::AreaCode::Parse(area).ok()) << area;
    EXPECT_GE(year, 2021);
    EXPECT_GT(line["yuan"].value_or(int64_t{0}), 0) << year;
    EXPECT_GT(line["source"].value_or(std::string()).size(), 20u) << "every line says where its value comes from";
    EXPECT_TRUE(seen.emplace(area, year).second) << "one line per area and year: " << area << " " << year;
  }
  EXPECT_TRUE(seen.count({"65", 2021})) << "the national 2021 line is configured";
}

}  // namespace
