#include "generate/generator.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/id_number.h"
#include "core/messages.h"
#include "core/money.h"
#include "core/paths.h"
#include "core/testing/temp_dir.h"
#include "core/text.h"
#include "ingest/table.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

fs::path DataDir() { return fs::path(HEARTH_TEST_SRCDIR) / "data"; }

fs::path TempOut(std::string_view name) {
  static const hearth::testing::ProcessTempDir root("hearth_generate_test");
  fs::path dir = root.path() / name;
  fs::remove_all(dir);
  return dir;
}

GenerateOptions Options(int64_t households, uint64_t seed, fs::path out) {
  GenerateOptions o;
  o.households = households;
  o.seed = seed;
  o.out = std::move(out);
  o.data_dir = DataDir();
  return o;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file under `dir` (relative path -> bytes).
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), dir).string()] = ReadBytes(entry.path());
  }
  return files;
}

nlohmann::json ReadManifest(const fs::path& dir) { return nlohmann::json::parse(ReadBytes(dir / "manifest.json")); }

// Reads every data row of a table (title rows, blank rows and 合计 rows skipped).
struct Table {
  HeaderMatch header;
  std::vector<TableRow> rows;
};

Table ReadTable(const fs::path& path, const std::vector<ColumnSpec>& columns) {
  Table t;
  auto reader = OpenTable(path, {});
  EXPECT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
  if (!reader.ok()) return t;
  auto header = FindHeader(**reader, columns);
  EXPECT_TRUE(header.ok()) << path << ": " << header.status().ToString();
  if (!header.ok()) return t;
  t.header = *header;
  TableRow row;
  while (true) {
    auto more = (*reader)->Next(&row);
    EXPECT_TRUE(more.ok()) << path << ": " << more.status().ToString();
    if (!more.ok() || !*more) break;
    if (IsBlankRow(row) || IsTotalRow(row)) continue;
    t.rows.push_back(row);
  }
  return t;
}

std::vector<ColumnSpec> Columns(std::initializer_list<const char*> names) {
  std::vector<ColumnSpec> specs;
  for (const char* n : names) specs.push_back({n, {}, true});
  return specs;
}

const Date kFarFuture = Date::FromCivil(2100, 1, 1);

// One run of 20,000 households shared by the tests that only read.
class GeneratedPopulation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempOut("population"));
    summary_ = new GenerateSummary();
    GenerateOptions o = Options(20000, 20250101, *dir_);
    o.threads = 2;
    Status s = Generate(o, nullptr, summary_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
  }
  static fs::path* dir_;
  static GenerateSummary* summary_;
};
fs::path* GeneratedPopulation::dir_ = nullptr;
GenerateSummary* GeneratedPopulation::summary_ = nullptr;

TEST_F(GeneratedPopulation, RegistryFilesHaveTheFoundationHeaders) {
  struct Case {
    const char* file;
    std::vector<ColumnSpec> columns;
    int64_t rows;
  };
  const std::vector<Case> cases = {
      {"家庭.csv", Columns({"户编号", "村代码", "户类型", "脱贫年度", "易地搬迁安置点", "住房安全等级", "饮水安全"}),
       summary_->households},
      {"家庭成员.csv",
       Columns({"户编号", "姓名", "证件号码", "与户主关系", "健康状况", "劳动技能", "在校生状况",
                "是否参加基本医疗保险", "残疾等级", "务工月数"}),
       summary_->persons},
      {"收入.csv",
       Columns({"户编号", "年度", "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出"}),
       summary_->households},
  };
  for (const Case& c : cases) {
    Table t = ReadTable(*dir_ / "registry" / c.file, c.columns);
    EXPECT_EQ(t.header.line, 1) << c.file;
    for (size_t i = 0; i < c.columns.size(); ++i) EXPECT_EQ(t.header.index[i], static_cast<int>(i)) << c.file;
    EXPECT_EQ(static_cast<int64_t>(t.rows.size()), c.rows) << c.file;
  }
}

TEST_F(GeneratedPopulation, IdNumbersAreValidUniqueAndFromTheHouseholdsCounty) {
  Table t = ReadTable(*dir_ / "registry" / "家庭成员.csv", Columns({"户编号", "证件号码"}));
  std::unordered_set<std::string> seen;
  for (const TableRow& row : t.rows) {
    const std::string code(t.header.Cell(row, 0));
    auto id = ParseResidentId(t.header.Cell(row, 1), kFarFuture);
    ASSERT_TRUE(id.ok()) << row.line << ": " << id.status().ToString();
    EXPECT_EQ(id->number.substr(0, 6), code.substr(0, 6)) << row.line;
    EXPECT_TRUE(seen.insert(id->number).second) << "duplicate " << id->number;
    EXPECT_LT(id->birth_date, Date::FromCivil(2025, 1, 1));
  }
}

TEST_F(GeneratedPopulation, HouseholdsLiveInRealRuralVillagesOfTheSouth) {
  std::unordered_set<std::string> villages;
  std::ifstream in(DataDir() / "admin-divisions" / "villages.csv");
  for (std::string line; std::getline(in, line);) villages.insert(line.substr(0, 12));
  Table t = ReadTable(*dir_ / "registry" / "家庭.csv", Columns({"户编号", "村代码"}));
  std::set<std::string> prefectures;
  for (const TableRow& row : t.rows) {
    const std::string village(t.header.Cell(row, 1));
    EXPECT_TRUE(villages.contains(village)) << village;
    EXPECT_EQ(std::string(t.header.Cell(row, 0)).substr(0, 12), village);
    EXPECT_EQ(t.header.Cell(row, 0).size(), 16u);
    EXPECT_GE(std::stoi(village.substr(9)), 200) << "a rural village code";
    prefectures.insert(village.substr(0, 4));
  }
  EXPECT_EQ(prefectures, (std::set<std::string>{"6529", "6530", "6531", "6532"}));
}

// The stated distributions of docs/GENERATOR.md, on 20,000 households.
TEST_F(GeneratedPopulation, DistributionsWithinStatedTolerances) {
  const gen::PopulationStats& s = summary_->stats;
  const double persons = static_cast<double>(s.persons);
  const double person_years = static_cast<double>(s.person_months) / 12.0;
  struct Case {
    const char* what;
    double value, low, high;
  };
  const std::vector<Case> cases = {
      {"mean household size", persons / static_cast<double>(s.households), 3.85, 4.10},
      {"share of 脱贫户", static_cast<double>(s.tuopin) / static_cast<double>(s.households), 0.245, 0.275},
      {"net income per person (yuan)", static_cast<double>(s.net_income_fen) / persons / 100.0, 16500, 19000},
      {"脱贫户 net income per person (yuan)",
       static_cast<double>(s.tuopin_net_income_fen) / static_cast<double>(s.tuopin_persons) / 100.0, 14800, 17300},
      {"wage share of net income", static_cast<double>(s.wage_fen) / static_cast<double>(s.net_income_fen), 0.30, 0.50},
      {"farm and business share", static_cast<double>(s.business_net_fen) / static_cast<double>(s.net_income_fen), 0.30,
       0.50},
      {"transfer share", static_cast<double>(s.transfer_fen) / static_cast<double>(s.net_income_fen), 0.10, 0.25},
      {"property share", static_cast<double>(s.property_fen) / static_cast<double>(s.net_income_fen), 0.01, 0.05},
      {"hospital admissions per person-year", static_cast<double>(s.admissions) / person_years, 0.155, 0.195},
      {"disability prevalence", static_cast<double>(s.disabled) / persons, 0.05, 0.075},
      {"insured share", static_cast<double>(s.insured) / persons, 0.97, 0.99},
      {"deaths per person-year", static_cast<double>(s.deaths) / person_years, 0.003, 0.008},
      {"births per person-year", static_cast<double>(s.births) / person_years, 0.006, 0.014},
      {"households under 6,000 per person at the start",
       static_cast<double>(s.below_6000_start) / static_cast<double>(s.households), 0.005, 0.06},
      {"households under 8,000 per person at the end",
       static_cast<double>(s.below_8000_end) / static_cast<double>(s.households), 0.02, 0.15},
  };
  for (const Case& c : cases) {
    std::printf("%-50s %10.4f  [%g, %g]\n", c.what, c.value, c.low, c.high);
    EXPECT_GE(c.value, c.low) << c.what;
    EXPECT_LE(c.value, c.high) << c.what;
  }
}

TEST_F(GeneratedPopulation, TruthHasOneLinePerHouseholdAndMonth) {
  std::ifstream in(*dir_ / "truth.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "户编号,月份,人均纯收入_12月_分,人均刚性支出_12月_分");
  std::map<std::string, int64_t> per_month;
  int64_t rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 4u) << line;
    per_month[cells[1]] += 1;
    EXPECT_GE(std::stoll(cells[3]), 0) << line;
    ++rows;
  }
  EXPECT_EQ(rows, summary_->truth_rows);
  ASSERT_EQ(per_month.size(), 12u);
  EXPECT_EQ(per_month.begin()->first, "2025-01");
  EXPECT_GE(per_month["2025-01"], summary_->households * 999 / 1000);
  EXPECT_GE(per_month["2025-12"], summary_->households * 99 / 100);  // a few households die out
}

TEST_F(GeneratedPopulation, ManifestListsEveryFeedFileWithItsReceivedDate) {
  nlohmann::json m = ReadManifest(*dir_);
  int feeds = 0;
  std::set<std::string> formats;
  for (const auto& f : m["files"]) {
    if (!f.contains("month")) continue;
    ++feeds;
    const std::string month = f["month"];
    EXPECT_TRUE(fs::exists(*dir_ / f["path"].get<std::string>())) << f["path"];
    const Date received = *ParseDate(f["received"].get<std::string>());
    EXPECT_EQ(received.day(), 5);
    EXPECT_EQ(received, Date::FromCivil(ParseYearMonth(month)->AddMonths(1).year(),
                                        ParseYearMonth(month)->AddMonths(1).month(), 5));
    formats.insert(f["encoding"].get<std::string>());
  }
  EXPECT_EQ(feeds, 12 * 10);
  EXPECT_EQ(formats, (std::set<std::string>{"utf-8", "utf-8-bom", "gbk", "xlsx"}));
}

// Who the registry and the feeds that introduce people (births, marriages) know.
std::unordered_map<std::string, std::string> KnownPeople(const fs::path& dir, const nlohmann::json& manifest) {
  std::unordered_map<std::string, std::string> known;
  Table members = ReadTable(dir / "registry" / "家庭成员.csv", Columns({"证件号码", "姓名"}));
  for (const TableRow& row : members.rows)
    known[std::string(members.header.Cell(row, 0))] = members.header.Cell(row, 1);
  for (const auto& f : manifest["files"]) {
    if (f["kind"] != "household-registration") continue;
    Table t = ReadTable(dir / f["path"].get<std::string>(), Columns({"证件号码", "姓名", "变动类型"}));
    for (const TableRow& row : t.rows) {
      const std::string_view change = t.header.Cell(row, 2);
      if (change != "出生" && change != "迁入") continue;
      known[NormalizeIdText(t.header.Cell(row, 0))] = t.header.Cell(row, 1);
    }
  }
  return known;
}

// The fault a row shows to an importer, or "" for a good row.
std::string FaultOf(const Table& t, const TableRow& row, const std::unordered_map<std::string, std::string>& known,
                    std::set<std::vector<std::string>>* seen) {
  if (!seen->insert(row.cells).second) return "duplicate_row";
  auto id = ParseResidentId(t.header.Cell(row, 0), kFarFuture);
  if (!id.ok()) return std::string(id.status().kind());
  auto it = known.find(id->number);
  if (it == known.end()) return "unknown_person";
  if (!SameName(t.header.Cell(row, 1), it->second)) return "name_mismatch";
  return "";
}

TEST_F(GeneratedPopulation, EveryFeedRowImportsExceptTheListedFaults) {
  nlohmann::json m = ReadManifest(*dir_);
  const auto known = KnownPeople(*dir_, m);
  std::set<std::tuple<std::string, int64_t, std::string>> listed, found;
  for (const auto& f : m["faults"]) {
    listed.insert({f["file"].get<std::string>(), f["line"].get<int64_t>(), f["kind"].get<std::string>()});
  }
  std::map<std::string, int> kinds;
  for (const auto& f : m["files"]) {
    if (!f.contains("month")) continue;
    const std::string path = f["path"];
    std::vector<ColumnSpec> columns = {{"证件号码", {"户主证件号码"}, true}, {"姓名", {"户主姓名"}, true}};
    Table t = ReadTable(*dir_ / path, columns);
    EXPECT_EQ(t.header.line, f["header_line"].get<int64_t>()) << path;
    std::set<std::vector<std::string>> seen;
    int64_t rows = 0;
    for (const TableRow& row : t.rows) {
      ++rows;
      const std::string fault = FaultOf(t, row, known, &seen);
      if (!fault.empty()) found.insert({path, row.line, fault});
    }
    EXPECT_EQ(rows, f["rows"].get<int64_t>()) << path;
  }
  for (const auto& [file, line, kind] : listed) kinds[kind] += 1;
  std::vector<std::tuple<std::string, int64_t, std::string>> missing, unexpected;
  std::set_difference(listed.begin(), listed.end(), found.begin(), found.end(), std::back_inserter(missing));
  std::set_difference(found.begin(), found.end(), listed.begin(), listed.end(), std::back_inserter(unexpected));
  for (const auto& [file, line, kind] : missing)
    ADD_FAILURE() << "listed but not seen: " << file << ":" << line << " " << kind;
  for (const auto& [file, line, kind] : unexpected)
    ADD_FAILURE() << "not listed: " << file << ":" << line << " " << kind;
  EXPECT_EQ(kinds.size(), 4u) << "every kind of fault appears in 20,000 households x 12 months";
  EXPECT_EQ(static_cast<int64_t>(listed.size()), summary_->faults);
}

TEST_F(GeneratedPopulation, SomeFilesHaveTitleAndTotalRows) {
  nlohmann::json m = ReadManifest(*dir_);
  int titles = 0, totals = 0;
  for (const auto& f : m["files"]) {
    if (!f.contains("month")) continue;
    titles += f["title_row"].get<bool>() ? 1 : 0;
    totals += f["total_row"].get<bool>() ? 1 : 0;
    if (!f["total_row"].get<bool>() || f["format"] != "csv") continue;
    const std::string bytes = ReadBytes(*dir_ / f["path"].get<std::string>());
    const std::string text = f["encoding"] == "gbk" ? *GbkToUtf8(bytes) : bytes;
    EXPECT_NE(text.rfind("\n合计,"), std::string::npos) << f["path"];
  }
  EXPECT_GT(titles, 10);
  EXPECT_GT(totals, 10);
}

// ---- determinism ----------------------------------------------------------------------------

TEST(GenerateTest, SameSeedSameBytesWhateverTheThreads) {
  GenerateOptions a = Options(3000, 42, TempOut("det_a"));
  a.months = 6;
  a.threads = 1;
  GenerateOptions b = a;
  b.out = TempOut("det_b");
  b.threads = 2;
  ASSERT_TRUE(Generate(a, nullptr).ok());
  ASSERT_TRUE(Generate(b, nullptr).ok());
  const auto files_a = Snapshot(a.out), files_b = Snapshot(b.out);
  ASSERT_EQ(files_a.size(), files_b.size());
  for (const auto& [name, bytes] : files_a) {
    ASSERT_TRUE(files_b.contains(name)) << name;
    const std::string& other = files_b.at(name);
    size_t at = 0;
    while (at < bytes.size() && at < other.size() && bytes[at] == other[at]) ++at;
    EXPECT_TRUE(bytes == other) << name << " differs from byte " << at << " (sizes " << bytes.size() << ", "
                                << other.size() << ")";
  }
  // Again into the same directory (an earlier output is replaced).
  ASSERT_TRUE(Generate(b, nullptr).ok());
  EXPECT_TRUE(Snapshot(b.out) == files_a);
}

TEST(GenerateTest, DifferentSeedDifferentPopulation) {
  GenerateOptions a = Options(500, 1, TempOut("seed_1"));
  a.months = 2;
  GenerateOptions b = a;
  b.seed = 2;
  b.out = TempOut("seed_2");
  ASSERT_TRUE(Generate(a, nullptr).ok());
  ASSERT_TRUE(Generate(b, nullptr).ok());
  EXPECT_NE(ReadBytes(a.out / "registry" / "家庭成员.csv"), ReadBytes(b.out / "registry" / "家庭成员.csv"));
  EXPECT_NE(ReadBytes(a.out / "truth.csv"), ReadBytes(b.out / "truth.csv"));
}

TEST(GenerateTest, RegionAndStartAreHonoured) {
  GenerateOptions o = Options(300, 5, TempOut("region"));
  o.region = "653221";
  o.months = 3;
  o.start = Date::FromCivil(2024, 7, 1);
  int64_t last_done = 0;
  ASSERT_TRUE(Generate(o, [&](int64_t done, int64_t total) {
                EXPECT_EQ(total, 300);
                EXPECT_GT(done, last_done);
                last_done = done;
              }).ok());
  EXPECT_EQ(last_done, 300);
  Table t = ReadTable(o.out / "registry" / "家庭.csv", Columns({"村代码"}));
  for (const TableRow& row : t.rows) EXPECT_EQ(t.header.Cell(row, 0).substr(0, 6), "653221");
  Table income = ReadTable(o.out / "registry" / "收入.csv", Columns({"年度"}));
  EXPECT_EQ(income.header.Cell(income.rows.at(0), 0), "2023");
  EXPECT_TRUE(fs::exists(o.out / "feeds" / "2024-09"));
  EXPECT_FALSE(fs::exists(o.out / "feeds" / "2024-10"));
}

TEST(GenerateTest, BadOptionsAreRefusedWithTheirKind) {
  fs::path occupied = TempOut("occupied");
  fs::create_directories(occupied);
  std::ofstream(occupied / "notes.txt") << "mine";
  struct Case {
    const char* what;
    std::function<void(GenerateOptions&)> change;
    const char* kind;
  };
  const std::vector<Case> cases = {
      {"no households", [](GenerateOptions& o) { o.households = 0; }, "gen_households"},
      {"too many households", [](GenerateOptions& o) { o.households = GenerateOptions::kMaxHouseholds + 1; },
       "gen_households"},
      {"no months", [](GenerateOptions& o) { o.months = 0; }, "gen_months"},
      {"too many months", [](GenerateOptions& o) { o.months = 121; }, "gen_months"},
      {"start before 2021", [](GenerateOptions& o) { o.start = Date::FromCivil(2019, 1, 1); }, "gen_start"},
      {"negative threads", [](GenerateOptions& o) { o.threads = -1; }, "gen_threads"},
      {"not an area code", [](GenerateOptions& o) { o.region = "abc"; }, "gen_region"},
      {"outside Xinjiang", [](GenerateOptions& o) { o.region = "6201"; }, "gen_region"},
      {"urban district without villages", [](GenerateOptions& o) { o.region = "650103"; }, "gen_region"},
      {"too small for the households",
       [](GenerateOptions& o) {
         o.region = "653221100";
         o.households = 5'000'000;
       },
       "gen_region_too_small"},
      {"a directory holding other files", [&](GenerateOptions& o) { o.out = occupied; }, "gen_out_dir"},
      {"no output directory", [](GenerateOptions& o) { o.out.clear(); }, "gen_out_dir"},
      {"a file, not a directory", [&](GenerateOptions& o) { o.out = occupied / "notes.txt"; }, "gen_out_dir"},
  };
  for (const Case& c : cases) {
    GenerateOptions o = Options(10, 1, TempOut("bad"));
    c.change(o);
    Status s = Generate(o, nullptr);
    EXPECT_EQ(s.kind(), c.kind) << c.what << ": " << s.ToString();
  }
  EXPECT_TRUE(fs::exists(occupied / "notes.txt"));
}

}  // namespace
}  // namespace hearth
