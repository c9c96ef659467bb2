// The backtest's truth file and range: what ReadTruth refuses (with the lines to look at) and the
// months RunBacktest refuses to score (outside the truth's months).
#include "engine/backtest.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/messages.h"
#include "core/testing/temp_dir.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

constexpr std::string_view kHeader = "户编号,月份,人均纯收入_12月_分,人均刚性支出_12月_分\n";

class BacktestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lang_ = CurrentLanguage();
    SetLanguage(Lang::kEn);
  }
  void TearDown() override { SetLanguage(lang_); }
  std::filesystem::path Write(const std::string& text) {
    const std::filesystem::path file = tmp_.path() / ("truth" + std::to_string(++files_) + ".csv");
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  testing::ScopedTempDir tmp_{"hearth_backtest_test"};
  int files_ = 0;
  Lang lang_ = Lang::kZh;
};

TEST_F(BacktestTest, ReadTruthTakesOneRowPerHouseholdAndMonth) {
  struct {
    std::string what;
    std::string text;
    std::string kind;                   // "" when read
    std::vector<std::string> in_message;
  } const cases[] = {
      {"two households, two months", std::string(kHeader) + "H1,2025-01,100,0\nH1,2025-02,90,5\nH2,2025-02,50,0\n", "", {}},
      {"byte-order mark, CRLF, blank line", "\xEF\xBB\xBF" + std::string(kHeader) + "H1,2025-03,100,0\r\n\r\nH1,2025-01,1,1\r\n",
       "", {}},
      {"header only", std::string(kHeader), "truth_empty", {"has no rows"}},
      {"header and blank lines", std::string(kHeader) + "\n\r\n", "truth_empty", {"has no rows"}},
      {"empty file", "", "truth_header", {}},
      {"another header", "code,month,income,rigid\nH1,2025-01,1,1\n", "truth_header", {"code,month"}},
      {"malformed row", std::string(kHeader) + "H1,2025-01,100,0\nH1,2025-13,1,1\n", "truth_row", {"line 3"}},
      {"conflicting copies of a household's month", std::string(kHeader) + "H1,2025-01,100,0\nH2,2025-01,7,0\nH1,2025-01,1,0\n",
       "truth_duplicate", {"line 4", "of line 2", "H1", "2025-01"}},
      {"an identical copy", std::string(kHeader) + "H1,2025-01,100,0\nH1,2025-01,100,0\n", "truth_duplicate",
       {"line 3", "of line 2"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const std::filesystem::path file = Write(c.text);
    StatusOr<Truth> truth = ReadTruth(file);
    if (c.kind.empty()) {
      ASSERT_TRUE(truth.ok()) << truth.status().ToString();
      continue;
    }
    ASSERT_FALSE(truth.ok());
    EXPECT_EQ(truth.status().kind(), c.kind) << truth.status().ToString();
    EXPECT_NE(truth.status().message().find(file.string()), std::string::npos) << truth.status().message();
    for (const std::string& part : c.in_message) {
      EXPECT_NE(truth.status().message().find(part), std::string::npos) << truth.status().message();
    }
  }
  StatusOr<Truth> read = ReadTruth(Write(std::string(kHeader) + "H1,2025-03,100,0\nH1,2025-01,90,5\nH2,2025-02,50,0\n"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->rows, 3);
  EXPECT_EQ(read->first_month, Date::FromCivil(2025, 1, 1));
  EXPECT_EQ(read->last_month, Date::FromCivil(2025, 3, 1));
  EXPECT_EQ(read->households.at("H1").at(Date::FromCivil(2025, 1, 1).days()).line, 3);
  EXPECT_EQ(ReadTruth(tmp_.path() / "none.csv").status().kind(), "truth_missing");
}

// Months without truth would score every warning of them as false: a range reaching beyond the
// truth's first or last month is refused, naming them.
TEST_F(BacktestTest, RangeOutsideTheTruthIsRefused) {
  testing::TestDb db(tmp_.path());
  auto store = OpenStore(db.uri(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto policy = LoadDefaultPolicy(std::string(HEARTH_TEST_SRCDIR) + "/data");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  std::vector<PolicyProblem> problems;
  std::optional<RuleSet> rules = RuleSet::Compile(*policy, &problems);
  ASSERT_TRUE(rules.has_value());
  const std::filesystem::path file =
      Write(std::string(kHeader) + "H1,2025-01,100,0\nH1,2025-02,100,0\nH1,2025-03,100,0\nH2,2025-02,100,0\n");
  StatusOr<Truth> truth = ReadTruth(file);
  ASSERT_TRUE(truth.ok()) << truth.status().ToString();
  auto M = [](int y, int m) { return Date::FromCivil(y, m, 1); };
  struct {
    Date from, to;
    std::string kind;  // "" when it runs
  } const cases[] = {
      {M(2025, 1), M(2025, 3), ""},
      {M(2025, 2), M(2025, 2), ""},
      {M(2025, 1), M(2025, 4), "backtest_outside_truth"},   // one month after
      {M(2024, 12), M(2025, 3), "backtest_outside_truth"},  // one month before
      {M(2025, 1), M(2026, 6), "backtest_outside_truth"},
      {M(2024, 1), M(2024, 6), "backtest_outside_truth"},   // wholly before
      {M(2025, 3), M(2025, 1), "backtest_range"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.from.ToYearMonth() + " " + c.to.ToYearMonth());
    int replayed = 0;
    StatusOr<BacktestResult> r = RunBacktest(**store, *rules, *truth, c.from, c.to, [&](Date) { ++replayed; });
    if (c.kind.empty()) {
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->months, replayed);
      continue;
    }
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), c.kind) << r.status().ToString();
    EXPECT_EQ(replayed, 0);
    if (c.kind == "backtest_outside_truth") {
      for (const std::string& part : {file.string(), std::string("(2025-01 to 2025-03)")}) {
        EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
      }
    }
  }
}

}  // namespace
}  // namespace hearth
