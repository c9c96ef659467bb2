// End-to-end: `hearth import feed` on a generated population's department files, checked
// against the generator's manifest of deliberate faults; `hearth imports`, `hearth findings`
// and the XLSX outputs after the imports; undo and the received date as a user types them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/id_number.h"
#include "core/testing/temp_dir.h"
#include "store/testing/test_db.h"
#include "testing/run_hearth.h"
#include "ingest/table.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using hearth::testing::CmdResult;
using hearth::testing::Quote;

// Rows of the first sheet of a workbook (or a CSV), as read by Hearth's own reader.
std::vector<std::vector<std::string>> ReadTable(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  auto reader = hearth::OpenTable(path, {});
  EXPECT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
  if (!reader.ok()) return rows;
  hearth::TableRow row;
  while (true) {
    auto more = (*reader)->Next(&row);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    rows.push_back(row.cells);
  }
  return rows;
}

class FeedCliTest : public ::testing::Test {
 protected:
  CmdResult Hearth(const std::string& args, const std::string& lang = "en") {
    return hearth::testing::RunHearth(HEARTH_BIN, args, lang);
  }

  std::string Db() const { return " --db " + Quote(db_.uri()); }

  void ImportGenerated(int seed, bool every_fault_kind);

  hearth::testing::ScopedTempDir tmp_{"hearth_feed_cli_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_, "h"};
};

// What a deliberate fault of the generator must come out as: (outcome, kind).
const std::map<std::string, std::pair<std::string, std::string>> kFaultOutcome = {
    {"id_checksum", {"rejected", "id_checksum"}},
    {"name_mismatch", {"flagged", "name_mismatch"}},
    {"unknown_person", {"unmatched", "person_unknown"}},
    {"duplicate_row", {"duplicate", "duplicate_row"}},
};

// The 5th of the month after "YYYY-MM".
std::string FifthOfNextMonth(const std::string& month) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2)) + 1;
  if (m == 13) {
    m = 1;
    ++y;
  }
  return std::to_string(y) + (m < 10 ? "-0" : "-") + std::to_string(m) + "-05";
}

// Generates 3,000 households over 4 months, imports the registry and every feed file with
// --received and --report, and checks the problem rows against the manifest's faults; then
// `hearth imports`, the XLSX outputs and `hearth findings`.
void FeedCliTest::ImportGenerated(int seed, bool every_fault_kind) {
  const fs::path pop = dir_ / "pop";
  CmdResult gen = Hearth("generate --households 3000 --seed " + std::to_string(seed) + " --months 4 --out " +
                         Quote(pop.string()));
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  CmdResult reg = Hearth("import registry " + Quote((pop / "registry").string()) + Db());
  ASSERT_EQ(reg.exit_code, 0) << reg.out;

  json manifest = json::parse(std::ifstream(pop / "manifest.json"));
  // Feed files in month order; within a month 公安's registration changes first, so that the
  // people they introduce (newborns, people who married in) are known to the other files.
  struct FeedFile {
    std::string path, kind, month, received;
    int64_t rows;
  };
  std::vector<FeedFile> files;
  for (const json& f : manifest["files"]) {
    if (!f.contains("received")) continue;
    files.push_back({f["path"], f["kind"], f["month"], f["received"], f["rows"]});
  }
  ASSERT_EQ(files.size(), 40u);
  std::stable_sort(files.begin(), files.end(), [](const FeedFile& a, const FeedFile& b) {
    return std::make_tuple(a.month, a.kind != "household-registration") <
           std::make_tuple(b.month, b.kind != "household-registration");
  });
  std::map<std::pair<std::string, int64_t>, std::string> faults;  // (file, line) -> kind
  std::set<std::string> fault_kinds;
  for (const json& f : manifest["faults"]) {
    faults[{f["file"].get<std::string>(), f["line"].get<int64_t>()}] = f["kind"];
    fault_kinds.insert(f["kind"]);
  }
  EXPECT_FALSE(faults.empty());
  if (every_fault_kind) {
    EXPECT_EQ(fault_kinds.size(), kFaultOutcome.size()) << manifest["faults"].dump() << ": the run must exercise every fault kind";
  }

  std::map<std::pair<std::string, int64_t>, std::pair<std::string, std::string>> problems;  // (file, line) -> (outcome, kind)
  std::map<std::string, int64_t> import_of;  // file -> import id
  std::string xlsx_report_of;               // the first file with problem rows
  const fs::path xlsx_report = dir_ / "problems.xlsx";
  for (const FeedFile& f : files) {
    SCOPED_TRACE(f.path);
    EXPECT_EQ(f.received, FifthOfNextMonth(f.month));
    fs::path report = dir_ / "report.json";
    std::string args = "import feed " + f.kind + " " + Quote((pop / f.path).string()) + " --received " +
                       FifthOfNextMonth(f.month) + " --report " + Quote(report.string());
    bool want_xlsx = xlsx_report_of.empty() && std::any_of(faults.begin(), faults.end(), [&](const auto& fault) {
                       return fault.first.first == f.path;
                     });
    if (want_xlsx) {
      args += " --xlsx-report " + Quote(xlsx_report.string());
      xlsx_report_of = f.path;
    }
    CmdResult imp = Hearth(args + Db());
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
    json j = json::parse(std::ifstream(report));
    ASSERT_EQ(j["files"].size(), 1u);
    const json& file = j["files"][0];
    EXPECT_FALSE(file["refused"].get<bool>()) << file.dump();
    EXPECT_EQ(file["read"], f.rows) << "every data row is read: title, header and 合计 rows are not";
    import_of[f.path] = file["import_id"];
    EXPECT_GT(file["import_id"].get<int64_t>(), 0);
    for (const json& row : j["rows"]) {
      problems[{f.path, row["line"].get<int64_t>()}] = {row["outcome"], row["kind"]};
    }
  }

  // Every fault is the problem row it must be, at its line ...
  for (const auto& [where, kind] : faults) {
    SCOPED_TRACE(where.first + ":" + std::to_string(where.second) + " " + kind);
    auto it = problems.find(where);
    ASSERT_NE(it, problems.end()) << "the fault did not come out as a problem row";
    EXPECT_EQ(it->second, kFaultOutcome.at(kind));
  }
  // ... and nothing else is a problem: every other row of the generated files imports.
  for (const auto& [where, what] : problems) {
    EXPECT_TRUE(faults.contains(where)) << "unexpected problem row " << where.first << ":" << where.second << " "
                                        << what.first << " " << what.second;
  }

  // `hearth imports`: every file is listed; --area lists the files that concern a county.
  CmdResult all = Hearth("imports --format json" + Db());
  ASSERT_EQ(all.exit_code, 0) << all.out;
  json imports = json::parse(all.out);
  EXPECT_EQ(imports.size(), files.size() + 3) << "three registry files and the feeds";
  std::string county;  // the county of the first registered household
  {
    std::ifstream households(pop / "registry" / "家庭.csv");
    std::string line;
    std::getline(households, line);
    std::getline(households, line);
    county = line.substr(0, 6);
  }
  CmdResult by_area = Hearth("imports --area " + county + " --format json" + Db());
  ASSERT_EQ(by_area.exit_code, 0) << "hearth imports --area " << county << ": " << by_area.out;
  json in_area = json::parse(by_area.out, nullptr, false);
  ASSERT_TRUE(in_area.is_array()) << by_area.out;
  EXPECT_FALSE(in_area.empty());
  EXPECT_LE(in_area.size(), files.size() + 3);
  // The registry's three files list households in the county (the first one, at least).
  EXPECT_EQ(std::count_if(in_area.begin(), in_area.end(),
                          [](const json& i) { return i["kind"].get<std::string>().starts_with("registry-"); }),
            3)
      << by_area.out;

  // The problem rows of an import, as a workbook.
  ASSERT_FALSE(xlsx_report_of.empty());
  int64_t with_problems = import_of[xlsx_report_of];
  size_t problem_rows = static_cast<size_t>(std::count_if(faults.begin(), faults.end(), [&](const auto& fault) {
    return fault.first.first == xlsx_report_of;
  }));
  const fs::path rejects = dir_ / "rejects.xlsx";
  CmdResult exported = Hearth("imports --rejects " + std::to_string(with_problems) + " --format xlsx --output " +
                              Quote(rejects.string()) + Db());
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  ASSERT_TRUE(fs::exists(rejects)) << exported.out;
  EXPECT_EQ(ReadTable(rejects).size(), problem_rows + 1) << "a header and the problem rows";
  CmdResult rejects_json = Hearth("imports --rejects " + std::to_string(with_problems) + " --format json" + Db());
  ASSERT_EQ(rejects_json.exit_code, 0) << rejects_json.out;
  EXPECT_EQ(json::parse(rejects_json.out).size(), problem_rows);
  // Without --reveal, no whole ID number anywhere, in any format: not in the cells, nor in a
  // reason that quotes one ("证件号码 … 不在户籍登记中"); with --reveal, the reasons keep them.
  const std::regex whole_id("(^|[^0-9])[0-9]{17}[0-9X]([^0-9]|$)");
  EXPECT_FALSE(std::regex_search(rejects_json.out, whole_id)) << rejects_json.out;
  for (const std::vector<std::string>& row : ReadTable(rejects)) {
    for (const std::string& cell : row) EXPECT_FALSE(std::regex_search(cell, whole_id)) << cell;
  }
  CmdResult on_screen = Hearth("imports --rejects " + std::to_string(with_problems) + Db());
  ASSERT_EQ(on_screen.exit_code, 0) << on_screen.out;
  EXPECT_FALSE(std::regex_search(on_screen.out, whole_id)) << on_screen.out;
  CmdResult revealed = Hearth("imports --rejects " + std::to_string(with_problems) + " --reveal" + Db());
  EXPECT_TRUE(std::regex_search(revealed.out, whole_id)) << revealed.out;

  // --xlsx-report: the department's rows with what is wrong, for it to correct.
  ASSERT_TRUE(fs::exists(xlsx_report)) << xlsx_report_of;
  std::vector<std::vector<std::string>> sheet = ReadTable(xlsx_report);
  EXPECT_GE(sheet.size(), problem_rows + 1) << xlsx_report_of;

  // Findings after the imports.
  CmdResult findings = Hearth("findings --format json" + Db());
  ASSERT_EQ(findings.exit_code, 0) << findings.out;
  json f = json::parse(findings.out, nullptr, false);
  ASSERT_TRUE(f.is_array()) << findings.out.substr(0, 500);
  for (const json& x : f) {
    EXPECT_TRUE(x.contains("type") && x.contains("household_code")) << x.dump();
  }
}

// The run the issue names. Its files carry a single deliberate fault (a duplicate_row).
TEST_F(FeedCliTest, GeneratedFeedsSeed5ImportWithExactlyTheManifestsFaults) { ImportGenerated(5, false); }

// Seed 37 carries all four kinds of deliberate fault (two id_checksum, two duplicate_row, one
// name_mismatch, one unknown_person), so that every mapping is exercised.
TEST_F(FeedCliTest, GeneratedFeedsSeed37ImportWithExactlyTheManifestsFaults) { ImportGenerated(37, true); }

// Undo, a corrected file, the same file twice, a refused file and --received, as a user types them.
TEST_F(FeedCliTest, UndoSameFileRefusalAndReceived) {
  const std::string fixtures = std::string(HEARTH_TEST_SRCDIR) + "/tests/fixtures/feeds";
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  CmdResult reg = Hearth("import registry " + Quote(fixtures + "/registry") + Db());
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  const std::string claims = Quote(fixtures + "/medical-claims_title_total.csv");

  // A date after --received is rejected; with the right date the file imports.
  fs::path report = dir_ / "r.json";
  CmdResult early = Hearth("import feed medical-claims " + claims + " --no-screen --received 2025-03-10 --report " +
                           Quote(report.string()) + Db());
  ASSERT_EQ(early.exit_code, 0) << early.out;
  json j = json::parse(std::ifstream(report));
  EXPECT_EQ(j["counts"]["rejected_by_kind"]["date_after_received"], 2) << j.dump(1);
  int64_t first = j["files"][0]["import_id"];
  CmdResult undo = Hearth("import undo " + std::to_string(first) + " --no-screen" + Db());
  ASSERT_EQ(undo.exit_code, 0) << undo.out;
  EXPECT_NE(undo.out.find("retracted"), std::string::npos) << undo.out;
  CmdResult again_undo = Hearth("import undo " + std::to_string(first) + " --no-screen" + Db());
  EXPECT_EQ(again_undo.exit_code, 1) << again_undo.out;
  EXPECT_NE(again_undo.out.find("import_retracted"), std::string::npos) << again_undo.out;

  CmdResult ok = Hearth("import feed medical-claims " + claims + " --received 2025-04-05 --report " +
                        Quote(report.string()) + Db());
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  j = json::parse(std::ifstream(report));
  EXPECT_EQ(j["counts"]["accepted"], 3) << j.dump(1);
  EXPECT_EQ(j["counts"]["rejected"], 0) << j.dump(1);
  int64_t second = j["files"][0]["import_id"];
  EXPECT_NE(ok.out.find("hearth import undo " + std::to_string(second)), std::string::npos) << ok.out;
  json listed = json::parse(Hearth("imports --kind medical-claims --format json" + Db()).out);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["received"], "2025-04-05");
  EXPECT_EQ(listed[0]["status"], "committed");
  EXPECT_EQ(listed[1]["status"], "retracted");

  // The same file again: nothing written, and said so.
  CmdResult same = Hearth("import feed medical-claims " + claims + " --received 2025-04-05 --no-screen" + Db());
  ASSERT_EQ(same.exit_code, 0) << same.out;
  EXPECT_NE(same.out.find("identical to import " + std::to_string(second)), std::string::npos) << same.out;
  EXPECT_EQ(json::parse(Hearth("imports --kind medical-claims --format json" + Db()).out).size(), 2u);
  // ... under another date of receipt: how to mend a wrong --received.
  CmdResult redated = Hearth("import feed medical-claims " + claims + " --received 2025-04-06 --no-screen" + Db());
  ASSERT_EQ(redated.exit_code, 0) << redated.out;
  EXPECT_NE(redated.out.find("received 2025-04-05; this time it is 2025-04-06"), std::string::npos) << redated.out;
  EXPECT_NE(redated.out.find("hearth import undo " + std::to_string(second)), std::string::npos) << redated.out;
  EXPECT_EQ(same.out.find("this time it is"), std::string::npos) << same.out;

  // A file without required columns is refused (exit 1) naming them.
  fs::path bad = dir_ / "bad.csv";
  std::ofstream(bad) << "证件号码,姓名,就诊类型\n653221197001010015,阿卜杜拉·艾买提,住院\n";
  const fs::path why = dir_ / "why.xlsx";
  CmdResult refused = Hearth("import feed medical-claims " + Quote(bad.string()) + " --no-screen --xlsx-report " +
                             Quote(why.string()) + Db());
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("个人自付"), std::string::npos) << refused.out;
  // The workbook for the department says why the file was refused.
  std::vector<std::vector<std::string>> why_rows = ReadTable(why);
  ASSERT_EQ(why_rows.size(), 2u);
  EXPECT_NE(why_rows[1][5].find("个人自付"), std::string::npos) << why_rows[1][5];
  CmdResult unknown_kind = Hearth("import feed weather " + Quote(bad.string()) + Db());
  EXPECT_EQ(unknown_kind.exit_code, 1) << unknown_kind.out;
  EXPECT_NE(unknown_kind.out.find("feed_kind_unknown"), std::string::npos) << unknown_kind.out;
  // A header without rows (a blank template) is taken, and said to have brought nothing.
  fs::path blank = dir_ / "blank.csv";
  std::ofstream(blank) << "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n";
  CmdResult empty = Hearth("import feed medical-claims " + Quote(blank.string()) + " --no-screen" + Db(), "zh");
  EXPECT_EQ(empty.exit_code, 0) << empty.out;
  EXPECT_NE(empty.out.find("表头下面没有数据行"), std::string::npos) << empty.out;
  EXPECT_EQ(Hearth("import feed medical-claims " + claims + " --no-screen" + Db(), "zh").out.find("表头下面没有数据行"),
            std::string::npos);

  // The household's record tells the department's facts with the file's headers and yuan, and
  // a retraction as such (the stored payload stays in --format json).
  ASSERT_EQ(Hearth("import undo " + std::to_string(second) + " --no-screen" + Db()).exit_code, 0);
  CmdResult shown = Hearth("household show 6532211002010002" + Db(), "zh");
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_NE(shown.out.find("医保：住院及门诊慢特病结算明细"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("医疗总费用 12,345.60 元"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("撤销导入 #" + std::to_string(second)), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("\"total\""), std::string::npos) << shown.out;
  // The retracted facts say so, naming the retraction; the retraction itself is in force.
  EXPECT_NE(shown.out.find("（已撤销，见 #"), std::string::npos) << shown.out;
  json events = json::parse(Hearth("household show 6532211002010002 --format json" + Db()).out)["events"];
  int retracted = 0, retractions = 0;
  for (const json& e : events) {
    if (e["import_id"] == second) {
      EXPECT_FALSE(e["in_force"].get<bool>()) << e.dump();
      EXPECT_TRUE(e.contains("ended_by")) << e.dump();
      ++retracted;
    }
    if (e["type"] == "retraction") {
      EXPECT_TRUE(e["in_force"].get<bool>()) << e.dump();
      ++retractions;
    }
  }
  EXPECT_GT(retracted, 0) << events.dump(1);
  EXPECT_EQ(retracted, retractions) << events.dump(1);
}

// `hearth imports --area` as a user types it: a file is listed under the areas its rows concern
// (a file spanning two counties under each, not under a third; a county's file not under a
// village it has no row in), and a file none of whose rows linked, under every area, shown as
// linked to none. The registry's files, under the villages of the households they list.
TEST_F(FeedCliTest, ImportsOfAnAreaAreTheFilesWithARowThere) {
  const std::string fixtures = std::string(HEARTH_TEST_SRCDIR) + "/tests/fixtures/feeds";
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote(fixtures + "/registry") + Db()).exit_code, 0);
  auto id = [](std::string_view first17) { return std::string(first17) + hearth::IdCheckCharacter(first17); };
  const std::string tursun = id("65322219800101001");  // 墨玉县 巴什阿特巴什村
  const std::string wang = id("65322119810101002");    // 和田县 英阿瓦提乡 欧亚勒艾日克村
  fs::create_directories(dir_ / "reg2");
  std::ofstream(dir_ / "reg2" / "家庭.csv")
      << "户编号,村代码,户类型,脱贫年度\n6532221002010001,653222100201,一般农户,\n6532212022010001,653221202201,一般农户,\n";
  std::ofstream(dir_ / "reg2" / "家庭成员.csv")
      << "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,残疾等级,务工月数\n"
      << "6532221002010001,吐尔逊·阿力," << tursun << ",户主,健康,普通劳动力,非在校,是,,\n"
      << "6532212022010001,王强," << wang << ",户主,健康,普通劳动力,非在校,是,,\n";
  CmdResult reg = Hearth("import registry " + Quote((dir_ / "reg2").string()) + Db());
  ASSERT_EQ(reg.exit_code, 0) << reg.out;

  const std::string header =
      "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n";
  const std::string tail = ",住院,2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,400.00\n";
  const struct {
    std::string file;
    std::string rows;
  } files[] = {
      {"two-counties.csv", "653221197001010015,阿卜杜拉·艾买提" + tail + tursun + ",吐尔逊·阿力" + tail},
      {"county.csv", "653221197805130020,李秀兰" + tail + wang + ",王强" + tail},  // villages ...100202, ...202201
      {"rejected.csv", "653221197001010016,阿卜杜拉·艾买提" + tail},               // check digit wrong
  };
  for (const auto& f : files) {
    std::ofstream(dir_ / f.file) << header << f.rows;
    CmdResult imp = Hearth("import feed medical-claims " + Quote((dir_ / f.file).string()) +
                           " --received 2025-04-05 --no-screen" + Db());
    ASSERT_EQ(imp.exit_code, 0) << f.file << ": " << imp.out;
  }
  const struct {
    std::string area;
    std::set<std::string> files;
  } cases[] = {
      // The registry's files too (named here with the rows they read: the fixture's 8 households
      // and 24 persons, reg2's 2 and 2), under the villages of the households they list.
      {"653221", {"two-counties.csv", "county.csv", "rejected.csv", "家庭.csv 8", "家庭成员.csv 24", "家庭.csv 2",
                  "家庭成员.csv 2"}},
      {"653222", {"two-counties.csv", "rejected.csv", "家庭.csv 2", "家庭成员.csv 2"}},
      {"653223", {"rejected.csv"}},                       // a third county
      {"653221100201", {"two-counties.csv", "rejected.csv", "家庭.csv 8", "家庭成员.csv 24"}},
      {"653221202201", {"county.csv", "rejected.csv", "家庭.csv 2", "家庭成员.csv 2"}},
  };
  for (const auto& c : cases) {
    CmdResult listed = Hearth("imports --area " + c.area + " --format json" + Db());
    ASSERT_EQ(listed.exit_code, 0) << c.area << ": " << listed.out;
    std::set<std::string> names;
    for (const json& i : json::parse(listed.out)) {
      const bool registry = i["kind"].get<std::string>().starts_with("registry-");
      names.insert(i["file"].get<std::string>() + (registry ? " " + std::to_string(i["read"].get<int64_t>()) : ""));
    }
    EXPECT_EQ(names, c.files) << c.area;
  }
  // Each still shows the smallest area holding its rows; the rejected file, that none linked.
  CmdResult table = Hearth("imports --area 653223" + Db(), "zh");
  ASSERT_EQ(table.exit_code, 0) << table.out;
  EXPECT_NE(table.out.find("（未关联）"), std::string::npos) << table.out;
  const json all = json::parse(Hearth("imports --kind medical-claims --format json" + Db()).out);
  std::map<std::string, std::string> area_of;
  for (const json& i : all) area_of[fs::path(i["file"].get<std::string>()).filename().string()] = i["area"];
  EXPECT_EQ(area_of, (std::map<std::string, std::string>{
                         {"two-counties.csv", "6532"}, {"county.csv", "653221"}, {"rejected.csv", ""}}));
  // A registry file shows the smallest area holding its households.
  std::map<int64_t, std::string> registry_area;  // by the rows read
  for (const json& i : json::parse(Hearth("imports --kind registry-households --format json" + Db()).out)) {
    registry_area[i["read"].get<int64_t>()] = i["area"];
  }
  EXPECT_EQ(registry_area, (std::map<int64_t, std::string>{{8, "653221100"}, {2, "6532"}}));
}

// ---- Workbooks as offices make them: several sheets, rows hidden by a filter, IDs as numbers ----

struct Sheet {
  std::string name;
  std::vector<std::vector<std::string>> rows;  // from row 1; a cell "#…" is written as a number
  std::vector<int> hidden_rows;                // 1-based
};

void WriteWorkbook(const fs::path& path, const std::vector<Sheet>& sheets) {
  lxw_workbook* book = workbook_new(path.c_str());
  for (const Sheet& s : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(book, s.name.c_str());
    for (size_t r = 0; r < s.rows.size(); ++r) {
      for (size_t c = 0; c < s.rows[r].size(); ++c) {
        const std::string& cell = s.rows[r][c];
        const auto row = static_cast<lxw_row_t>(r);
        const auto col = static_cast<lxw_col_t>(c);
        if (cell.starts_with('#')) {
          worksheet_write_number(ws, row, col, std::stod(cell.substr(1)), nullptr);
        } else if (!cell.empty()) {
          worksheet_write_string(ws, row, col, cell.c_str(), nullptr);
        }
      }
    }
    lxw_row_col_options hidden = {};
    hidden.hidden = LXW_TRUE;
    for (int r : s.hidden_rows) worksheet_set_row_opt(ws, static_cast<lxw_row_t>(r - 1), LXW_DEF_ROW_HEIGHT, nullptr, &hidden);
  }
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
}

const std::vector<std::string> kAssistanceHeader = {"证件号码", "姓名", "救助类型", "开始日期", "月金额"};

// 民政's roster with a household's monthly amount merged over its two members' rows: counted
// once, in the row that holds it; the other row is taken with 0 and flagged, not refused as empty.
TEST_F(FeedCliTest, AmountMergedOverAHouseholdsRowsCountsOnce) {
  const std::string fixtures = std::string(HEARTH_TEST_SRCDIR) + "/tests/fixtures/feeds";
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote(fixtures + "/registry") + Db()).exit_code, 0);
  const fs::path path = dir_ / "低保名单.xlsx";
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(book, "名单");
  const std::vector<std::vector<std::string>> rows = {
      kAssistanceHeader,
      {"653221197001010015", "阿卜杜拉·艾买提", "低保", "2025-03-01", ""},
      {"65322119720204019X", "买买提·吐尔逊", "低保", "2025-03-01", ""},
      {"653221197403070010", "张建国", "低保", "2025-03-01", "700"}};
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (!rows[r][c].empty()) worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), rows[r][c].c_str(), nullptr);
    }
  }
  worksheet_merge_range(ws, 1, 4, 2, 4, "", nullptr);
  worksheet_write_number(ws, 1, 4, 600, nullptr);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);

  const fs::path report = dir_ / "merged.json";
  CmdResult imp = Hearth("import feed social-assistance " + Quote(path.string()) + " --received 2025-04-05 --no-screen --report " +
                         Quote(report.string()) + Db());
  ASSERT_EQ(imp.exit_code, 0) << imp.out;
  const json j = json::parse(std::ifstream(report));
  const json& file = j["files"][0];
  EXPECT_EQ(file["accepted"], 3) << j.dump(1);
  EXPECT_EQ(file["rejected"], 0) << j.dump(1);
  ASSERT_EQ(j["rows"].size(), 1u) << j.dump(1);
  const json& row = j["rows"][0];
  EXPECT_EQ(row["line"], 3);
  EXPECT_EQ(row["kind"], "merged_amount");
  EXPECT_EQ(row["outcome"], "flagged");
  EXPECT_NE(row["hint"].get<std::string>().find("line 2"), std::string::npos) << row.dump();
  EXPECT_EQ(db_.Rows("SELECT source_line, amount_fen FROM events WHERE type LIKE 'assistance%' ORDER BY source_line"),
            (std::vector<std::string>{"2|60000", "3|0", "4|70000"}));
}

// 民政's list with its months on two sheets after a 填表说明 whose sample names a registered
// person; in March a row the filter hides; in April an ID stored as a number, and 张建国 again
// with another amount: a conflict across the sheets, found as across rows.
TEST_F(FeedCliTest, WorkbookSheetsHiddenRowsAndIdsStoredAsNumbers) {
  const std::string fixtures = std::string(HEARTH_TEST_SRCDIR) + "/tests/fixtures/feeds";
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Quote(fixtures + "/registry") + Db()).exit_code, 0);
  const fs::path book = dir_ / "救助名单.xlsx";
  WriteWorkbook(book, {
      {"填表说明", {{"填表说明：每人一行，证件号码设为文本格式"}, kAssistanceHeader,
                    {"653221197001010015", "阿卜杜拉·艾买提", "低保", "2025-01-01", "500"}}},
      {"3月", {{"2025年3月社会救助对象名单"}, kAssistanceHeader,
               {"653221197001010015", "阿卜杜拉·艾买提", "低保", "2025-03-01", "600"},
               {"65322119720204019X", "买买提·吐尔逊", "特困", "2025-03-01", "800"},
               {"653221197403070010", "张建国", "低保", "2025-03-01", "600"}},
       {4}},
      {"4月", {kAssistanceHeader,
               {"653221197805130020", "李秀兰", "临时救助", "2025-04-01", "1000"},
               {"#653221197611150023", "刘芳", "低保", "2025-04-01", "600"},
               {"653221197403070010", "张建国", "低保", "2025-03-01", "700"}}},
  });
  const fs::path report = dir_ / "sheets.json", xlsx_report = dir_ / "sheets_problems.xlsx";
  CmdResult imp = Hearth("import feed social-assistance " + Quote(book.string()) + " --received 2025-04-05 --no-screen --report " +
                         Quote(report.string()) + " --xlsx-report " + Quote(xlsx_report.string()) + Db());
  ASSERT_EQ(imp.exit_code, 0) << imp.out;
  const json j = json::parse(std::ifstream(report));
  const json& file = j["files"][0];
  EXPECT_EQ(file["sheets"], json::parse(R"(["3月", "4月"])")) << file.dump(1);
  EXPECT_EQ(file["sheets_skipped"], json::parse(R"([{"sheet": "填表说明", "reason": "instructions_or_sample"}])"));
  EXPECT_EQ(file["hidden_rows_skipped"], 1);
  EXPECT_EQ(file["hidden_rows"], json::parse(R"([{"sheet": "3月", "line": 4}])"));
  EXPECT_EQ(file["read"], 5) << "the sample and the hidden row are not read";
  EXPECT_EQ(file["accepted"], 2) << j.dump(1);
  EXPECT_EQ(file["rejected_by_kind"], json::parse(R"({"key_conflict": 2, "id_spreadsheet_number": 1})")) << j.dump(1);
  std::set<std::tuple<std::string, int64_t, std::string>> rows;  // (sheet, line, kind)
  for (const json& row : j["rows"]) {
    rows.insert({row.value("sheet", ""), row["line"].get<int64_t>(), row["kind"].get<std::string>()});
  }
  EXPECT_EQ(rows, (std::set<std::tuple<std::string, int64_t, std::string>>{
                      {"3月", 5, "key_conflict"}, {"4月", 3, "id_spreadsheet_number"}, {"4月", 4, "key_conflict"}}));
  for (const json& row : j["rows"]) {
    if (row["kind"] == "id_spreadsheet_number") {
      EXPECT_EQ(row["raw"], "6.5322119761115E+17") << "as Excel shows it in a General cell: " << row.dump();
    }
  }
  // The summary says which sheets were read, which not, and which rows Excel hides.
  EXPECT_NE(imp.out.find("sheets read: \"3月\", \"4月\""), std::string::npos) << imp.out;
  EXPECT_NE(imp.out.find("sheets not read: \"填表说明\" (its name says instructions"), std::string::npos) << imp.out;
  EXPECT_NE(imp.out.find("1 data row(s) hidden in Excel"), std::string::npos) << imp.out;
  EXPECT_NE(imp.out.find("sheet \"3月\" line 4"), std::string::npos) << imp.out;
  EXPECT_NE(imp.out.find("sheet \"4月\" line 3 ["), std::string::npos) << imp.out;
  // The department's workbook: the line within its sheet, and the sheet beside its cells.
  std::vector<std::vector<std::string>> problems = ReadTable(xlsx_report);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0][6], "sheet");
  EXPECT_EQ(problems[0][7], "证件号码");
  std::set<std::pair<std::string, std::string>> where;  // (sheet, line)
  for (size_t i = 1; i < problems.size(); ++i) where.insert({problems[i][6], problems[i][0]});
  EXPECT_EQ(where, (std::set<std::pair<std::string, std::string>>{{"3月", "5"}, {"4月", "3"}, {"4月", "4"}}));
  const json imports = json::parse(Hearth("imports --kind social-assistance --format json" + Db()).out);
  ASSERT_EQ(imports.size(), 1u) << "one workbook, one import";
  // Listed again later, each problem row names its sheet by name.
  const json again = json::parse(
      Hearth("imports --rejects " + std::to_string(imports[0]["import_id"].get<int64_t>()) + " --format json" + Db()).out);
  std::set<std::pair<std::string, int64_t>> named;
  for (const json& row : again) named.insert({row.value("sheet", ""), row["line"].get<int64_t>()});
  EXPECT_EQ(named, (std::set<std::pair<std::string, int64_t>>{{"3月", 5}, {"4月", 3}, {"4月", 4}}));
  CmdResult table = Hearth("imports --rejects " + std::to_string(imports[0]["import_id"].get<int64_t>()) + Db(), "zh");
  EXPECT_NE(table.out.find("工作表“4月”第 3 行"), std::string::npos) << table.out;
}

TEST_F(FeedCliTest, WorkbookWithoutAHeaderOnAnySheetIsRefusedNamingThem) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  const fs::path book = dir_ / "名单.xlsx";
  WriteWorkbook(book, {{"Sheet1", {{"姓名", "电话"}, {"张三", "1"}}}, {"Sheet2", {{"备注"}}}});
  CmdResult zh = Hearth("import feed social-assistance " + Quote(book.string()) + " --no-screen" + Db(), "zh");
  EXPECT_EQ(zh.exit_code, 1) << zh.out;
  EXPECT_NE(zh.out.find("查看过的工作表：“Sheet1”、“Sheet2”"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("证件号码"), std::string::npos) << zh.out;
  EXPECT_EQ(json::parse(Hearth("imports --format json" + Db()).out).size(), 0u);
}

// A folder given where a file belongs says so, rather than a read error.
TEST_F(FeedCliTest, AFolderIsNotAFileAndAnUnknownKindIsNamed) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  const fs::path folder = dir_ / "三月";
  fs::create_directories(folder);
  CmdResult r = Hearth("import feed housing " + Quote(folder.string()) + " --no-screen" + Db(), "zh");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("是一个文件夹，不是文件"), std::string::npos) << r.out;
  CmdResult kind = Hearth("imports --kind nonsense" + Db(), "zh");
  EXPECT_EQ(kind.exit_code, 1) << kind.out;
  EXPECT_NE(kind.out.find("没有名为 nonsense 的导入类型"), std::string::npos) << kind.out;
  EXPECT_NE(kind.out.find("medical-claims"), std::string::npos) << kind.out;
  EXPECT_EQ(Hearth("imports --kind medical" + Db(), "zh").exit_code, 0) << "a prefix of kinds is a filter";
}

// `hearth import registry`: a 家庭成员 workbook with a sheet per village is read whole.
TEST_F(FeedCliTest, RegistryWorkbookWithASheetPerVillage) {
  const std::string fixtures = std::string(HEARTH_TEST_SRCDIR) + "/tests/fixtures/feeds/registry";
  const fs::path registry = dir_ / "registry";
  fs::create_directories(registry);
  fs::copy_file(fixtures + "/家庭.csv", registry / "家庭.csv");
  std::vector<std::vector<std::string>> persons = ReadTable(fixtures + "/家庭成员.csv");
  ASSERT_EQ(persons.size(), 25u);
  Sheet first{"阿恰勒村", {persons[0]}, {}}, second{"喀拉墩村", {{"2025年家庭成员"}, persons[0]}, {}};
  for (size_t i = 1; i < persons.size(); ++i) {
    (persons[i][0].starts_with("65322110020100") ? first : second).rows.push_back(persons[i]);
  }
  second.hidden_rows = {3};  // a member the office filtered out
  WriteWorkbook(registry / "家庭成员.xlsx", {first, second});
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  const fs::path report = dir_ / "registry.json";
  CmdResult imp = Hearth("import registry " + Quote(registry.string()) + " --report " + Quote(report.string()) + Db());
  ASSERT_EQ(imp.exit_code, 0) << imp.out;
  const json j = json::parse(std::ifstream(report));
  const json& members = j["files"][1];
  EXPECT_EQ(members["sheets"], json::parse(R"(["阿恰勒村", "喀拉墩村"])")) << members.dump(1);
  EXPECT_EQ(members["accepted"], 23) << members.dump(1);
  EXPECT_EQ(members["hidden_rows"], json::parse(R"([{"sheet": "喀拉墩村", "line": 3}])"));
  EXPECT_NE(imp.out.find("sheets read: \"阿恰勒村\", \"喀拉墩村\""), std::string::npos) << imp.out;
}

}  // namespace
