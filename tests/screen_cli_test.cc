// End-to-end: `hearth screen`, `hearth warnings` and the re-screening of `hearth import feed`
// on generated populations. The property: screening the households each import touched
// (incremental) and screening everything (full) give the same warnings on the same data, for
// several seeds; and --known-at replays what was known before the files arrived.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/testing/temp_dir.h"
#include "store/testing/test_db.h"
#include "testing/run_hearth.h"

namespace {

namespace fs = std::filesystem;
using hearth::testing::CmdResult;
using hearth::testing::Quote;
using json = nlohmann::json;

class ScreenCliTest : public ::testing::TestWithParam<int> {
 protected:
  CmdResult Hearth(const std::string& args, const std::string& lang = "en") {
    return hearth::testing::RunHearth(HEARTH_BIN, args, lang);
  }
  std::string Db() const { return " --db " + Quote(db_.uri()); }

  // The numbers of "opened N, updated N, unchanged N, closed N" in a screen's summary.
  static std::array<int64_t, 4> ScreenCounts(const std::string& out) {
    std::smatch m;
    static const std::regex re("opened (\\d+), updated (\\d+), unchanged (\\d+), closed (\\d+)");
    if (!std::regex_search(out, m, re)) return {-1, -1, -1, -1};
    return {std::stoll(m[1]), std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4])};
  }

  json Warnings() {
    CmdResult r = Hearth("warnings --format json" + Db());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return json::parse(r.out, nullptr, false);
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_screen_cli_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_, "h"};
};

TEST_P(ScreenCliTest, IncrementalEqualsFullAndKnownAtReplays) {
  const fs::path pop = dir_ / "pop";
  ASSERT_EQ(Hearth("generate --households 800 --seed " + std::to_string(GetParam()) + " --months 6 --out " +
                   Quote(pop.string()))
                .exit_code,
            0);
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote((pop / "registry").string()) + Db()).exit_code, 0);
  json manifest = json::parse(std::ifstream(pop / "manifest.json"));
  std::vector<std::pair<std::string, std::string>> files;  // (month + order, kind path)
  std::string last_received;
  for (const json& f : manifest["files"]) {
    if (!f.contains("received")) continue;
    const std::string kind = f["kind"];
    files.push_back({f["month"].get<std::string>() + (kind == "household-registration" ? "0" : "1"),
                     kind + " " + Quote((pop / f["path"].get<std::string>()).string())});
    last_received = std::max(last_received, f["received"].get<std::string>());
  }
  std::sort(files.begin(), files.end());
  const std::string as_of = " --as-of " + last_received;

  // The engine image of the registry: the full screens below start from it and re-read the
  // households the feeds changed.
  CmdResult image = Hearth("engine image" + Db());
  ASSERT_EQ(image.exit_code, 0) << image.out;
  EXPECT_NE(image.out.find("Engine image 1 saved: 800 households"), std::string::npos) << image.out;

  CmdResult first = Hearth("screen" + as_of + Db());
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("Built from engine image 1: 0 imports since, 0 households re-read"), std::string::npos)
      << first.out;
  const int64_t registry_only = static_cast<int64_t>(Warnings().size());
  EXPECT_GT(registry_only, 0) << first.out;

  // Every file arrives on the same day: each import re-screens the households it touched.
  int64_t changed_by_imports = 0;
  static const std::regex re("Warnings re-screened: opened (\\d+), updated (\\d+), closed (\\d+)");
  for (const auto& [order, file] : files) {
    CmdResult imp = Hearth("import feed " + file + " --received " + last_received + Db());
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
    std::smatch m;  // a file identical to an earlier one (e.g. two empty months) writes nothing
    if (std::regex_search(imp.out, m, re)) changed_by_imports += std::stoll(m[1]) + std::stoll(m[2]) + std::stoll(m[3]);
  }
  EXPECT_GT(changed_by_imports, 0) << "the feeds must change some warnings, or the property says nothing";

  // A full screen on the same data and date finds nothing to change: from the image and the
  // households changed since, and from the tables alone.
  for (const std::string how : {"", " --no-image"}) {
    SCOPED_TRACE(how);
    CmdResult full = Hearth("screen" + as_of + how + Db());
    ASSERT_EQ(full.exit_code, 0) << full.out;
    std::array<int64_t, 4> counts = ScreenCounts(full.out);
    EXPECT_EQ(counts[0], 0) << full.out;
    EXPECT_EQ(counts[1], 0) << full.out;
    EXPECT_EQ(counts[3], 0) << full.out;
    EXPECT_GT(counts[2], 0) << full.out;
    EXPECT_EQ(full.out.find("Built from engine image") != std::string::npos, how.empty()) << full.out;
  }

  // Known at the day before the files arrived: only the registry counts again. A replay is
  // shown, not stored over the current queue.
  const size_t queue = Warnings().size();
  CmdResult before = Hearth("screen" + as_of + " --known-at 2000-01-01" + Db());
  ASSERT_EQ(before.exit_code, 0) << before.out;
  static const std::regex replay("Replay: screened [0-9,]+ households .*\\): ([0-9,]+) at risk");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(before.out, m, replay)) << before.out;
  EXPECT_EQ(std::stoll(m[1]), registry_only) << before.out;
  EXPECT_EQ(Warnings().size(), queue) << "a replay leaves the queue as it was";

  // Stored as of an earlier day, the queue would close warnings before they were opened.
  CmdResult back = Hearth("screen --as-of 2000-01-01" + Db());
  EXPECT_NE(back.exit_code, 0) << back.out;
  EXPECT_NE(back.out.find("--known-at"), std::string::npos) << back.out;
  EXPECT_EQ(Warnings().size(), queue);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ScreenCliTest, ::testing::Values(3, 17));

class WarningsCliTest : public ::testing::Test {
 protected:
  CmdResult Hearth(const std::string& args, const std::string& lang = "zh") {
    return hearth::testing::RunHearth(HEARTH_BIN, args, lang);
  }
  std::string Db() const { return " --db " + Quote(db_.uri()); }
  hearth::testing::ScopedTempDir tmp_{"hearth_warnings_cli_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_, "h"};
};

// The sample registry: five ordinary households below the 6,000-yuan line (one by two fen per
// person), two of them without working capacity.
TEST_F(WarningsCliTest, RankedQueueWithExplanationsAndExports) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote(std::string(HEARTH_TEST_SRCDIR) + "/data/sample") + Db()).exit_code, 0);
  CmdResult screen = Hearth("screen --as-of 2025-01-31" + Db());
  ASSERT_EQ(screen.exit_code, 0) << screen.out;
  EXPECT_NE(screen.out.find("预警 5 户"), std::string::npos) << screen.out;

  CmdResult table = Hearth("warnings --area 65 --top 2" + Db());
  ASSERT_EQ(table.exit_code, 0) << table.out;
  EXPECT_NE(table.out.find("一般农户近12个月人均纯收入 5,999.98 元，低于监测线 6,000 元"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("缺劳动力"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("6531231012100001"), std::string::npos) << "--top 2 lists two";

  CmdResult listed = Hearth("warnings --format json" + Db());
  json all = json::parse(listed.out, nullptr, false);
  ASSERT_EQ(all.size(), 5u) << listed.out;
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1]["score"], all[i]["score"]) << "ranked by score";
  EXPECT_EQ(all[0]["category"], "edge");
  EXPECT_TRUE(all[0]["policy_digest"].get<std::string>().starts_with("sha256:"));

  const fs::path xlsx = dir_ / "w.xlsx";
  CmdResult exported = Hearth("warnings --format xlsx --output " + Quote(xlsx.string()) + Db());
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  EXPECT_GT(fs::file_size(xlsx), 1000u);

  // Screening again changes nothing; a later date with a higher line (a policy edit) updates.
  CmdResult again = Hearth("screen --as-of 2025-01-31" + Db(), "en");
  EXPECT_NE(again.out.find("opened 0, updated 0, unchanged 5, closed 0"), std::string::npos) << again.out;
  CmdResult bad = Hearth("warnings --area 99" + Db());
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
}

// Options that must fail say what was wrong, and the stored warnings stay as they were.
TEST_F(WarningsCliTest, BadScreenOptionsFailClearly) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote(std::string(HEARTH_TEST_SRCDIR) + "/data/sample") + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("screen --as-of 2025-01-31" + Db()).exit_code, 0);
  // A policy `policy check` refuses (a line for an area the divisions lack) is refused by the
  // commands that take it too.
  const fs::path unknown_area = dir_ / "unknown_area.toml";
  {
    std::ifstream in(std::string(HEARTH_TEST_SRCDIR) + "/data/policy/default.toml");
    std::string text(std::istreambuf_iterator<char>(in), {});
    text.insert(text.find("[[monitoring_line]]"), "[[monitoring_line]]\narea = \"659999\"\nyear = 2025\nyuan = 7000\nsource = \"test\"\n\n");
    std::ofstream(unknown_area) << text;
  }
  struct {
    std::string args, kind;
  } const cases[] = {
      {"screen --known-at yesterday", "[known_at_invalid]"},
      {"screen --known-at 2025-04-30T25:00", "[known_at_invalid]"},
      {"screen --known-at 2025-04-30T18:00+8", "[known_at_invalid]"},
      {"screen --policy " + Quote(unknown_area.string()), "[policy_area_unknown]"},
      {"findings refresh --as-of 2025-01-31 --policy " + Quote(unknown_area.string()), "[policy_area_unknown]"},
      {"warnings --format json --output " + Quote((dir_ / "w.json").string()), "[output_with_json]"},
      {"warnings --output " + Quote((dir_ / "w.txt").string()), "[output_not_xlsx]"},
      {"screen --as-of 2025-02-30", "[as_of_invalid]"},
      {"screen --area 6599", "[area_unknown]"},
      {"screen --policy " + Quote((dir_ / "none.toml").string()), "[policy_missing]"},
  };
  for (const auto& c : cases) {
    CmdResult r = Hearth(c.args + Db());
    EXPECT_EQ(r.exit_code, 1) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.kind), std::string::npos) << c.args << "\n" << r.out;
  }
  EXPECT_FALSE(fs::exists(dir_ / "w.txt")) << "nothing written under a refused name";
  for (std::string blank : {"screen --as-of \"\"", "screen --known-at \"\"", "findings refresh --as-of \"\""}) {
    CmdResult r = Hearth(blank + Db());
    EXPECT_NE(r.exit_code, 0) << blank << "\n" << r.out;
  }
  CmdResult listed = Hearth("warnings --format json" + Db());
  EXPECT_EQ(json::parse(listed.out, nullptr, false).size(), 5u) << listed.out;

  // A truth file with a broken row names its line.
  const fs::path truth = dir_ / "truth.csv";
  std::ofstream(truth) << "户编号,月份,人均纯收入_12月_分,人均刚性支出_12月_分\n6529011002170001,2025-01,100,0\nX,2025-13,1,1\n";
  CmdResult broken = Hearth("backtest --truth " + Quote(truth.string()) + Db());
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_NE(broken.out.find("[truth_row]"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find(" 3 "), std::string::npos) << "names line 3: " << broken.out;
}

TEST_F(WarningsCliTest, PolicyCheckReportsEveryErrorWithItsPosition) {
  std::string text;
  {
    std::ifstream in(std::string(HEARTH_TEST_SRCDIR) + "/data/policy/default.toml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text += R"toml(
[[rule]]
id = "bad_name"
when = "is_tuopin && incme_pc_12m < line"
category = "unstable"
severity = 1
explain = "x"
source = "test"

[[rule]]
id = "bad_type"
when = "income_pc_12m < 6000"
category = "nowhere"
risks = ["因穷"]
severity = 1
weigth = 5
explain = "{no_such_feature}"
source = "test"

[[rule]]
id = "bad_triggers"
when = "income_pc_12m < line"
severity = 3
explain = "{trigger.no_such} {trigger.medical_selfpay_tuopin%} {trigger.medical_selfpay_tuopin} {trigger.rigid_share%}"
source = "test"

[[monitoring_line]]
area = "6599"
year = 2025
yuan = 7000
source = "test"
)toml";
  const fs::path file = dir_ / "bad.toml";
  std::ofstream(file) << text;
  CmdResult r = Hearth("policy check " + Quote(file.string()), "en");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  // The rule expression's error points at the unknown name: its line and its column.
  int when_line = 0, explain_line = 0, weigth_line = 0, area_line = 0;
  {
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line == "when = \"is_tuopin && incme_pc_12m < line\"") when_line = n;
      if (line == "explain = \"{no_such_feature}\"") explain_line = n;
      if (line == "weigth = 5") weigth_line = n;
      if (line == "area = \"6599\"") area_line = n;
    }
  }
  ASSERT_GT(when_line, 0);
  ASSERT_GT(explain_line, 0);
  ASSERT_GT(weigth_line, 0);
  ASSERT_GT(area_line, 0);
  // The placeholder at its brace, the area at its value, a misspelt key at the key.
  EXPECT_NE(r.out.find(":" + std::to_string(explain_line) + ":12: [policy_placeholder_unknown]"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(":" + std::to_string(area_line) + ":8: [policy_area_unknown]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(":" + std::to_string(weigth_line) + ":1: [policy_key_unknown]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Did you mean weight?"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(":" + std::to_string(when_line) + ":22: [expr_unknown_name]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("income_pc_12m"), std::string::npos) << "suggests the right name: " << r.out;
  EXPECT_NE(r.out.find("[expr_type_mismatch]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[policy_category_unknown]"), std::string::npos) << r.out;
  // A trigger placeholder names a trigger of the file; % only of a share.
  EXPECT_NE(r.out.find("{trigger.no_such}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{trigger.medical_selfpay_tuopin%}"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("{trigger.medical_selfpay_tuopin}"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("{trigger.rigid_share%}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[policy_risk_unknown]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[policy_area_unknown]"), std::string::npos) << r.out;

  CmdResult ok = Hearth("policy check " + Quote(std::string(HEARTH_TEST_SRCDIR) + "/data/policy/default.toml"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  CmdResult features = Hearth("policy features --format json");
  EXPECT_EQ(features.exit_code, 0) << features.out;
}

}  // namespace

namespace {

class BacktestCliTest : public ::testing::Test {
 protected:
  CmdResult Hearth(const std::string& args, const std::string& lang = "en") {
    return hearth::testing::RunHearth(HEARTH_BIN, args, lang);
  }
  std::string Db() const { return " --db " + Quote(db_.uri()); }
  hearth::testing::ScopedTempDir tmp_{"hearth_backtest_cli_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_, "h"};
};

// A generated population replayed month by month, each file on the day it was received.
TEST_F(BacktestCliTest, ScoresTheRulesBesideTheBareLineAndStoresNothing) {
  const fs::path pop = dir_ / "pop";
  ASSERT_EQ(Hearth("generate --households 1500 --seed 9 --months 5 --out " + Quote(pop.string())).exit_code, 0);
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote((pop / "registry").string()) + Db()).exit_code, 0);
  json manifest = json::parse(std::ifstream(pop / "manifest.json"));
  std::vector<std::tuple<std::string, bool, std::string, std::string, std::string>> files;
  for (const json& f : manifest["files"]) {
    if (!f.contains("received")) continue;
    files.emplace_back(f["month"], f["kind"] != "household-registration", f["kind"], f["path"], f["received"]);
  }
  std::sort(files.begin(), files.end());
  for (const auto& [month, order, kind, path, received] : files) {
    CmdResult imp = Hearth("import feed " + kind + " " + Quote((pop / path).string()) + " --received " + received +
                           " --no-screen" + Db());
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
  }
  const std::string truth = " --truth " + Quote((pop / "truth.csv").string());
  CmdResult run = Hearth("backtest --format json" + truth + Db());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  json r = json::parse(run.out.substr(run.out.find('{')), nullptr, false);
  ASSERT_TRUE(r.is_object()) << run.out;
  EXPECT_EQ(r["months"], 5);
  EXPECT_EQ(r["from"], "2025-01");
  EXPECT_GT(r["true_cases"].get<int64_t>(), 0);
  for (const char* way : {"rules", "bare_rule"}) {
    SCOPED_TRACE(way);
    const json& s = r[way];
    EXPECT_GT(s["flagged_households"].get<int64_t>(), 0);
    EXPECT_LE(s["real_flagged"].get<int64_t>(), s["flagged_households"].get<int64_t>());
    EXPECT_LE(s["caught_ahead"].get<int64_t>(), s["caught_in_time"].get<int64_t>());
    EXPECT_LE(s["caught_in_time"].get<int64_t>(), r["true_cases"].get<int64_t>());
    for (const char* f : {"recall_in_time", "precision", "top10_precision", "top50_precision"}) {
      EXPECT_GE(s[f].get<double>(), 0.0);
      EXPECT_LE(s[f].get<double>(), 1.0);
    }
  }
  // The rules include the bare rule's households (below-line rules) and more.
  EXPECT_GE(r["rules"]["flagged_households"].get<int64_t>(), r["bare_rule"]["flagged_households"].get<int64_t>());
  // Nothing stored: no warnings appear.
  CmdResult listed = Hearth("warnings --format json" + Db());
  EXPECT_EQ(json::parse(listed.out, nullptr, false).size(), 0u) << listed.out;
  // The same replay gives the same figures.
  EXPECT_EQ(Hearth("backtest --format json" + truth + Db()).out, run.out);

  // Bad input: a months range backwards, a file that is not the truth.
  CmdResult backwards = Hearth("backtest --from 2025-05 --to 2025-01" + truth + Db());
  EXPECT_EQ(backwards.exit_code, 1);
  EXPECT_NE(backwards.out.find("[backtest_range]"), std::string::npos) << backwards.out;
  CmdResult not_truth = Hearth("backtest --truth " + Quote((pop / "manifest.json").string()) + Db());
  EXPECT_EQ(not_truth.exit_code, 1);
  EXPECT_NE(not_truth.out.find("[truth_header]"), std::string::npos) << not_truth.out;
  // Months outside the truth's (2025-01 … 2025-05), partly or wholly, are refused, naming them.
  for (const std::string& range : std::vector<std::string>{"--to 2025-06", "--from 2024-12", "--from 2024-01 --to 2024-06"}) {
    CmdResult outside = Hearth("backtest " + range + truth + Db());
    EXPECT_EQ(outside.exit_code, 1) << range;
    EXPECT_NE(outside.out.find("[backtest_outside_truth]"), std::string::npos) << outside.out;
    EXPECT_NE(outside.out.find("(2025-01 to 2025-05)"), std::string::npos) << outside.out;
  }
  // A truth file of the header only; one that gives a household's month twice.
  std::string header, first, second;
  {
    std::ifstream in(pop / "truth.csv");
    std::getline(in, header);
    std::getline(in, first);
    std::getline(in, second);
  }
  const fs::path header_only = dir_ / "header_only.csv", twice = dir_ / "twice.csv";
  std::ofstream(header_only) << header << '\n';
  std::ofstream(twice) << header << '\n' << first << '\n' << second << '\n' << first << '\n';
  CmdResult empty = Hearth("backtest --truth " + Quote(header_only.string()) + Db());
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.out.find("[truth_empty]"), std::string::npos) << empty.out;
  CmdResult repeated = Hearth("backtest --truth " + Quote(twice.string()) + Db());
  EXPECT_EQ(repeated.exit_code, 1);
  EXPECT_NE(repeated.out.find("[truth_duplicate]"), std::string::npos) << repeated.out;
  EXPECT_NE(repeated.out.find("line 4 repeats"), std::string::npos) << repeated.out;
  EXPECT_NE(repeated.out.find("of line 2"), std::string::npos) << repeated.out;
}

}  // namespace
