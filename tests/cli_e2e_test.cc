// End-to-end: runs the real `hearth` binary on real files and checks what a user sees.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ingest/table.h"
#include <sstream>

#include "core/testing/temp_dir.h"
#include "store/testing/test_db.h"
#include "testing/run_hearth.h"

namespace {

namespace fs = std::filesystem;

using hearth::testing::CmdResult;
using hearth::testing::Quote;

// The 户编号 of the first household of data/sample.
std::string FirstSampleHousehold() {
  std::ifstream in(std::string(HEARTH_TEST_SRCDIR) + "/data/sample/家庭.csv");
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  return line.substr(0, line.find(','));
}

class CliTest : public ::testing::Test {
 protected:
  CmdResult Hearth(const std::string& args, const std::string& lang = "zh") {
    return hearth::testing::RunHearth(HEARTH_BIN, args, lang);
  }

  std::string Db() const { return " --db " + Quote(db_.uri()); }
  static std::string Src(const std::string& rel) { return Quote(std::string(HEARTH_TEST_SRCDIR) + "/" + rel); }

  hearth::testing::ScopedTempDir tmp_{"hearth_cli_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_, "h"};
};

TEST_F(CliTest, InitLoadsTheRealDivisions) {
  CmdResult r = Hearth("init" + Db());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("15 个地州市"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("108 个县市区"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("14721 个村"), std::string::npos) << r.out;
  CmdResult again = Hearth("init" + Db(), "en");  // idempotent
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("15 prefectures"), std::string::npos) << again.out;
}

TEST_F(CliTest, AreaLookups) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  CmdResult show = Hearth("area show 653221000000" + Db());
  ASSERT_EQ(show.exit_code, 0) << show.out;
  EXPECT_NE(show.out.find("和田县"), std::string::npos);
  EXPECT_NE(show.out.find("新疆维吾尔自治区"), std::string::npos);
  CmdResult find = Hearth("area find 草湖乡 --format json" + Db());
  ASSERT_EQ(find.exit_code, 0) << find.out;
  auto j = nlohmann::json::parse(find.out);
  bool found = false;
  for (const auto& a : j) found = found || a["code"] == "652822205";
  EXPECT_TRUE(found) << find.out;
  CmdResult list = Hearth("area list --area 6532 --level county --format json" + Db());
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 8u);  // 和田地区 has 8 county-level units
  CmdResult bad = Hearth("area show 6599" + Db());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("area_unknown"), std::string::npos) << bad.out;
  // A list cut short says so; an empty name is refused rather than listing everything.
  CmdResult cut = Hearth("area find 乡 --top 3" + Db(), "en");
  ASSERT_EQ(cut.exit_code, 0) << cut.out;
  EXPECT_NE(cut.out.find("Only the first 3 areas"), std::string::npos) << cut.out;
  CmdResult all = Hearth("area find 草湖乡" + Db(), "en");
  EXPECT_EQ(all.out.find("Only the first"), std::string::npos) << all.out;
  EXPECT_NE(Hearth("area find \"\"" + Db()).exit_code, 0);
  EXPECT_NE(Hearth("area find 乡 --top 0" + Db()).exit_code, 0);
}

TEST_F(CliTest, CommandsOnAMissingDatabaseSayToRunInit) {
  hearth::testing::TestDb absent(dir_, "absent", hearth::testing::TestDb::Fresh::kAbsent);
  CmdResult r = Hearth("summary --db " + Quote(absent.uri()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("hearth init"), std::string::npos) << r.out;
  EXPECT_FALSE(absent.Exists()) << "a read command must not create the database";
}

TEST_F(CliTest, SampleRegistryImportsCleanlyAndSummarises) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  std::string report = (dir_ / "r.json").string();
  CmdResult imp = Hearth("import registry " + Src("data/sample") + Db() + " --report " + Quote(report));
  ASSERT_EQ(imp.exit_code, 0) << imp.out;
  auto j = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(j["counts"]["rejected"], 0) << j["rows"].dump(1);
  EXPECT_GT(j["counts"]["accepted"].get<int>(), 300);
  CmdResult sum = Hearth("summary --format json" + Db());
  ASSERT_EQ(sum.exit_code, 0) << sum.out;
  auto s = nlohmann::json::parse(sum.out);
  EXPECT_GE(s["total"]["households"].get<int>(), 200);
  EXPECT_EQ(s["levels"], nlohmann::json({"prefecture", "county"}));
  for (const auto& p : s["areas"]) {
    std::string code = p["code"];
    EXPECT_TRUE(code == "6529" || code == "6530" || code == "6531" || code == "6532") << code;
  }
  CmdResult table = Hearth("summary --area 6532" + Db());
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("和田地区"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("喀什地区"), std::string::npos) << table.out;
}

TEST_F(CliTest, HouseholdShowMasksAndAudits) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Src("data/sample") + Db()).exit_code, 0);
  std::string code = FirstSampleHousehold();
  CmdResult show = Hearth("household show " + code + Db());
  ASSERT_EQ(show.exit_code, 0) << show.out;
  EXPECT_NE(show.out.find(code), std::string::npos);
  EXPECT_NE(show.out.find("********"), std::string::npos) << "ID numbers are masked by default";
  CmdResult json = Hearth("household show " + code + " --format json --reveal" + Db());
  ASSERT_EQ(json.exit_code, 0) << json.out;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["household_code"], code);
  ASSERT_FALSE(j["members"].empty());
  EXPECT_EQ(j["members"][0]["id_number"].get<std::string>().size(), 18u);
  EXPECT_FALSE(j["events"].empty());
  // Masked, the birth dates the masks hide are not shown elsewhere: the age instead.
  const std::string birth = j["members"][0]["birth_date"];
  EXPECT_EQ(show.out.find(birth), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("年龄"), std::string::npos) << show.out;
  CmdResult masked_json = Hearth("household show " + code + " --format json" + Db());
  auto m = nlohmann::json::parse(masked_json.out);
  EXPECT_FALSE(m["members"][0].contains("birth_date")) << masked_json.out;
  EXPECT_EQ(m["members"][0]["age"], j["members"][0]["age"]);
  EXPECT_EQ(masked_json.out.find(birth), std::string::npos);
  CmdResult missing = Hearth("household show NOPE" + Db());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("household_unknown"), std::string::npos);
  // The audit names the household as stored, however it was typed (spaces, a leading quote).
  ASSERT_EQ(Hearth("household show " + Quote(" '" + code + " ") + Db()).exit_code, 0);
  EXPECT_EQ(db_.One("SELECT subject FROM audit_log ORDER BY id DESC LIMIT 1"), "household:" + code);
}

TEST_F(CliTest, RefusedFileExitsNonZeroWithTheMissingColumns) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  fs::create_directories(dir_ / "in");
  std::ofstream(dir_ / "in" / "家庭.csv") << "户编号,户类型\nH1,脱贫户\n";
  CmdResult r = Hearth("import registry " + Quote((dir_ / "in").string()) + Db());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("村代码"), std::string::npos) << r.out;
  CmdResult en = Hearth("import registry " + Quote((dir_ / "in").string()) + Db(), "en");
  EXPECT_NE(en.out.find("refused"), std::string::npos) << en.out;
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Hearth("import").exit_code, 2);
  EXPECT_EQ(Hearth("summary --format yaml" + Db()).exit_code, 1);
  EXPECT_EQ(Hearth("--help").exit_code, 0);
  for (const char* received : {"45000", "2099-12-31", "昨天", "1999-12-31"}) {
    CmdResult r = Hearth(std::string("import registry ") + Src("data/sample") + " --received " + received + Db());
    EXPECT_EQ(r.exit_code, 1) << received;
    EXPECT_NE(r.out.find("received_invalid"), std::string::npos) << received << ": " << r.out;
  }
}

TEST_F(CliTest, GeneratedRegistryImportsWithZeroRejects) {
  std::string out = (dir_ / "pop").string();
  CmdResult gen = Hearth("generate --households 3000 --seed 11 --months 2 --out " + Quote(out));
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  std::string report = (dir_ / "r.json").string();
  CmdResult imp = Hearth("import registry " + Quote(out + "/registry") + Db() + " --report " + Quote(report));
  ASSERT_EQ(imp.exit_code, 0) << imp.out;
  auto j = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(j["counts"]["rejected"], 0) << j["rows"].dump(1);
  EXPECT_EQ(j["files"][0]["accepted"], 3000);
  auto sum = nlohmann::json::parse(Hearth("summary --format json" + Db()).out);
  EXPECT_EQ(sum["total"]["households"], 3000);
  // Same seed, same bytes.
  std::string again = (dir_ / "pop2").string();
  ASSERT_EQ(Hearth("generate --households 3000 --seed 11 --months 2 --threads 1 --out " + Quote(again)).exit_code, 0);
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(slurp(out + "/registry/家庭成员.csv"), slurp(again + "/registry/家庭成员.csv"));
  EXPECT_EQ(slurp(out + "/truth.csv"), slurp(again + "/truth.csv"));
}

TEST_F(CliTest, GenerateRefusesBadOptions) {
  CmdResult r = Hearth("generate --households 0 --seed 1 --out " + Quote((dir_ / "x").string()));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("gen_households"), std::string::npos) << r.out;
  EXPECT_EQ(Hearth("generate --households 10 --out " + Quote((dir_ / "x").string())).exit_code, 2) << "--seed is required";
}

TEST_F(CliTest, ImportsListsFilesAndTheirRejectedRows) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  fs::create_directories(dir_ / "in");
  std::ofstream(dir_ / "in" / "家庭.csv") << "户编号,村代码,户类型,脱贫年度\nH1,653221100299,脱贫户,2019\nH2,653221100201,一般农户,\n";
  ASSERT_EQ(Hearth("import registry " + Quote((dir_ / "in").string()) + Db()).exit_code, 0);
  auto list = nlohmann::json::parse(Hearth("imports --format json" + Db()).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["kind"], "registry-households");
  EXPECT_EQ(list[0]["accepted"], 1);
  EXPECT_EQ(list[0]["rejected"], 1);
  EXPECT_EQ(list[0]["digest"].get<std::string>().rfind("sha256:", 0), 0u);
  auto rejects = nlohmann::json::parse(Hearth("imports --format json --rejects " + list[0]["import_id"].dump() + Db()).out);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0]["line"], 2);
  EXPECT_EQ(rejects[0]["kind"], "village_unknown");
  EXPECT_EQ(rejects[0]["raw"], "653221100299");
}

TEST_F(CliTest, ListsExportToExcel) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Src("data/sample") + Db()).exit_code, 0);
  std::string xlsx = (dir_ / "汇总.xlsx").string();
  CmdResult r = Hearth("summary --format xlsx --output " + Quote(xlsx) + Db());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto reader = hearth::OpenTable(xlsx, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  hearth::TableRow row;
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row.cells[0], "代码");
  EXPECT_EQ(row.cells[2], "户数");
  int64_t total = 0;
  while (*(*reader)->Next(&row)) {
    if (row.cells[1] == "合计") total = std::stoll(row.cells[2]);
  }
  EXPECT_EQ(total, 330) << "the total row holds a number";
  EXPECT_EQ(Hearth("summary --format xlsx" + Db()).exit_code, 1) << "xlsx needs --output";
  EXPECT_EQ(Hearth("household show X --format xlsx" + Db()).exit_code, 1);
}

TEST_F(CliTest, SummaryOfAVillageAndOtherLookupsAsUsersTypeThem) {
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  ASSERT_EQ(Hearth("import registry " + Src("data/sample") + Db()).exit_code, 0);
  std::string code = FirstSampleHousehold();
  std::string village = code.substr(0, 12);
  auto j = nlohmann::json::parse(Hearth("summary --format json --area " + village + Db()).out);
  ASSERT_EQ(j["areas"].size(), 1u);
  EXPECT_EQ(j["areas"][0]["code"], village) << "a village's summary is the village itself";
  EXPECT_TRUE(j["areas"][0]["children"].empty());
  EXPECT_EQ(Hearth("household show ' " + code + " '" + Db()).exit_code, 0) << "spaces around the code are ignored";
  CmdResult unknown = Hearth("imports --rejects 999" + Db());
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.out.find("import_unknown"), std::string::npos) << unknown.out;
  std::string xlsx = (dir_ / "areas.xlsx").string();
  ASSERT_EQ(Hearth("area list --area 6532 --level county --output " + Quote(xlsx) + Db()).exit_code, 0);
  EXPECT_TRUE(fs::exists(xlsx)) << "--output alone writes the workbook";
}

}  // namespace
