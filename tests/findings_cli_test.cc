// End-to-end: `hearth findings refresh` and `hearth findings` on the sample registry.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/id_number.h"
#include "core/testing/temp_dir.h"
#include "store/testing/test_db.h"
#include "testing/run_hearth.h"

namespace {

namespace fs = std::filesystem;

using hearth::testing::CmdResult;
using hearth::testing::Quote;

class FindingsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
    CmdResult imp = Hearth("import registry " + Quote(std::string(HEARTH_TEST_SRCDIR) + "/data/sample") + Db());
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
  }

  CmdResult Hearth(const std::string& args, const std::string& lang = "zh") {
    return hearth::testing::RunHearth(HEARTH_BIN, args, lang);
  }

  nlohmann::json Json(const std::string& args) {
    CmdResult r = Hearth(args + " --format json" + Db());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  std::string Db() const { return " --db " + Quote(db_.uri()); }

  static void Write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

  hearth::testing::ScopedTempDir tmp_{"hearth_findings_cli_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_, "h"};
};

// The sample's 2024 incomes put five households below the 6,000-yuan line (one of them,
// 6530222022070001, by two fen per person); none has any assistance recorded, and no person is
// registered twice.
constexpr int kSampleBelowLine = 5;

TEST_F(FindingsCliTest, RefreshThenList) {
  CmdResult refresh = Hearth("findings refresh --as-of 2025-06-30" + Db());
  ASSERT_EQ(refresh.exit_code, 0) << refresh.out;
  EXPECT_NE(refresh.out.find("已比对 330 户"), std::string::npos) << refresh.out;
  EXPECT_NE(refresh.out.find("新开 5 条"), std::string::npos) << refresh.out;
  CmdResult again = Hearth("findings refresh --as-of 2025-06-30" + Db(), "en");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("0 opened, 0 updated, 0 closed, 5 unchanged"), std::string::npos) << again.out;

  nlohmann::json all = Json("findings");
  ASSERT_TRUE(all.is_array()) << all;
  ASSERT_EQ(static_cast<int>(all.size()), kSampleBelowLine) << all.dump(2);
  bool edge = false;
  for (const auto& f : all) {
    EXPECT_EQ(f["type"], "below_line_no_assistance");
    EXPECT_EQ(f["severity"], 2);
    EXPECT_EQ(f["opened"], "2025-06-30");
    EXPECT_TRUE(f["closed"].is_null());
    EXPECT_EQ(f["params"]["line_fen"], 600000);
    EXPECT_LT(f["params"]["net_fen"].get<int64_t>(), 600000 * f["params"]["members"].get<int64_t>());
    EXPECT_NE(f["sentence"].get<std::string>().find("低于监测线 6,000.00 元"), std::string::npos) << f["sentence"];
    edge = edge || f["household_code"] == "6530222022070001";
  }
  EXPECT_TRUE(edge) << "two fen below the line per person is below it";

  nlohmann::json kizilsu = Json("findings --area 653000000000");
  ASSERT_TRUE(kizilsu.is_array());
  EXPECT_EQ(kizilsu.size(), 2u) << kizilsu.dump(2);
  EXPECT_EQ(Json("findings --type house_unsafe").size(), 0u);
  EXPECT_EQ(Json("findings --top 2").size(), 2u);

  CmdResult table = Hearth("findings --area 6529" + Db(), "en");
  ASSERT_EQ(table.exit_code, 0) << table.out;
  EXPECT_NE(table.out.find("below the line, unassisted"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("6529242072090001"), std::string::npos) << table.out;

  CmdResult imports = Hearth("imports --kind findings-refresh" + Db());
  ASSERT_EQ(imports.exit_code, 0) << imports.out;
  EXPECT_NE(imports.out.find("findings-refresh"), std::string::npos) << imports.out;
}

// A finding that rests on a grant closes once the grant has ended, at the next import, though
// that file is about another household; its sentence says when the grant ends.
TEST_F(FindingsCliTest, FindingOnAnEndedGrantClosesAtTheNextImport) {
  const fs::path grants = dir_ / "低保.csv", houses = dir_ / "住房.csv";
  Write(grants, "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n652901197712133398,邓刚,低保,2025-01-01,2025-02-28,500\n");
  Write(houses, "户主证件号码,户主姓名,鉴定日期,安全等级\n652901197001054319,库尔班·喀迪尔,2025-03-10,A\n");
  CmdResult first = Hearth("import feed social-assistance " + Quote(grants.string()) + " --received 2025-01-20" + Db());
  ASSERT_EQ(first.exit_code, 0) << first.out;
  nlohmann::json open = Json("findings --type assistance_income_high");
  ASSERT_EQ(open.size(), 1u) << open.dump(2);
  EXPECT_EQ(open[0]["household_code"], "6529011002170001");
  EXPECT_NE(open[0]["sentence"].get<std::string>().find("至 2025-02-28"), std::string::npos) << open[0]["sentence"];

  CmdResult later = Hearth("import feed housing " + Quote(houses.string()) + " --received 2025-03-20" + Db());
  ASSERT_EQ(later.exit_code, 0) << later.out;
  EXPECT_EQ(Json("findings --type assistance_income_high").size(), 0u);
  nlohmann::json all = Json("findings --all --type assistance_income_high");
  ASSERT_EQ(all.size(), 1u) << all.dump(2);
  EXPECT_EQ(all[0]["closed"], "2025-03-20");
  EXPECT_FALSE(all[0]["withdrawn"].get<bool>()) << "resolved by the passing of time, not withdrawn";
  EXPECT_GT(all[0]["closed_import"].get<int64_t>(), 0) << all.dump(2);
  EXPECT_TRUE(open[0]["closed_import"].is_null());
}

// A refresh as of a later day judges with that day (a one-off 临时救助 of March 2025 no longer
// counts in 2026): a file imported afterwards, received earlier, screens as of that day too, so
// it neither closes what the refresh opened nor does the next refresh open it again.
TEST_F(FindingsCliTest, AFileImportedAfterARefreshJudgesAsOfTheRefresh) {
  const fs::path grant = dir_ / "临时救助.csv", houses = dir_ / "住房.csv";
  Write(grant, "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n652924199302192276,艾合买提·艾山,临时救助,2025-03-04,2025-03-04,2000\n");
  Write(houses, "户主证件号码,户主姓名,鉴定日期,安全等级\n652901197001054319,库尔班·喀迪尔,2025-03-10,A\n");
  ASSERT_EQ(Hearth("import feed social-assistance " + Quote(grant.string()) + " --received 2025-03-05" + Db()).exit_code, 0);
  auto below_line = [&] {
    int n = 0;
    for (const auto& f : Json("findings --type below_line_no_assistance")) n += f["household_code"] == "6529242072090001";
    return n;
  };
  EXPECT_EQ(below_line(), 0) << "assisted in March 2025";
  ASSERT_EQ(Hearth("findings refresh --as-of 2026-06-30" + Db()).exit_code, 0);
  EXPECT_EQ(below_line(), 1) << "the one-off grant is more than 12 months old";
  CmdResult later = Hearth("import feed housing " + Quote(houses.string()) + " --received 2025-04-05" + Db());
  ASSERT_EQ(later.exit_code, 0) << later.out;
  EXPECT_EQ(below_line(), 1) << later.out;
  nlohmann::json all = Json("findings --all --type below_line_no_assistance");
  int rows = 0;
  for (const auto& f : all) rows += f["household_code"] == "6529242072090001";
  EXPECT_EQ(rows, 1) << "never closed and opened again: " << all.dump(1);
}

// A person registered in two households (邓立新, also head of a second one) is one person: 公安's
// death report links to the first household, yet both still list him, so both get the finding;
// undoing the report closes both.
TEST_F(FindingsCliTest, DeathOfAPersonInTwoHouseholdsIsFoundInBoth) {
  const fs::path second = dir_ / "second", deaths = dir_ / "死亡.csv";
  fs::create_directories(second);
  Write(second / "家庭.csv", "户编号,村代码,户类型,脱贫年度,易地搬迁安置点,住房安全等级,饮水安全\n"
                            "6529011002170099,652901100217,一般农户,,,A,是\n");
  Write(second / "家庭成员.csv", "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,残疾等级,务工月数\n"
                                "6529011002170099,邓立新,652901195406046350,户主,长期慢性病,弱劳动力或半劳动力,非在校,是,,0\n");
  Write(second / "收入.csv", "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n"
                            "6529011002170099,2024,30000,0,0,0,0\n");
  CmdResult reg = Hearth("import registry " + Quote(second.string()) + Db());
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  Write(deaths, "证件号码,姓名,变动类型,变动日期\n652901195406046350,邓立新,死亡,2025-02-10\n");
  CmdResult died = Hearth("import feed household-registration " + Quote(deaths.string()) + " --received 2025-02-20" + Db());
  ASSERT_EQ(died.exit_code, 0) << died.out;
  nlohmann::json found = Json("findings --type dead_still_member");
  ASSERT_EQ(found.size(), 2u) << found.dump(2);
  std::set<std::string> households;
  for (const auto& f : found) households.insert(f["household_code"].get<std::string>());
  EXPECT_EQ(households, (std::set<std::string>{"6529011002170001", "6529011002170099"}));

  nlohmann::json imports = Json("imports --kind household-registration");
  ASSERT_EQ(imports.size(), 1u) << imports.dump(2);
  CmdResult undo = Hearth("import undo " + std::to_string(imports[0]["import_id"].get<int64_t>()) + Db());
  ASSERT_EQ(undo.exit_code, 0) << undo.out;
  EXPECT_EQ(Json("findings --type dead_still_member").size(), 0u) << Json("findings --type dead_still_member").dump(2);
  // The registry changed after files were compared with it: the import says to compare again.
  Write(second / "收入.csv", "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n"
                            "6529011002170099,2024,31000,0,0,0,0\n");
  CmdResult changed = Hearth("import registry " + Quote(second.string()) + Db());
  ASSERT_EQ(changed.exit_code, 0) << changed.out;
  auto says_compare_again = [](const std::string& out) {
    return out.find("户籍信息有变更") != std::string::npos || out.find("The registry changed") != std::string::npos;
  };
  EXPECT_TRUE(says_compare_again(changed.out)) << changed.out;
  CmdResult unchanged = Hearth("import registry " + Quote(second.string()) + Db());
  EXPECT_FALSE(says_compare_again(unchanged.out)) << unchanged.out;

  // Moving into one of his two households (its 户编号 named): the fact is that one's, and only
  // the other reports him moved out and still registered.
  const fs::path moves = dir_ / "迁入.csv";
  Write(moves, "证件号码,姓名,变动类型,变动日期,户编号\n652901195406046350,邓立新,迁入,2025-03-01,6529011002170099\n");
  CmdResult moved = Hearth("import feed household-registration " + Quote(moves.string()) + " --received 2025-03-05" + Db());
  ASSERT_EQ(moved.exit_code, 0) << moved.out;
  nlohmann::json out = Json("findings --type moved_out_still_member");
  ASSERT_EQ(out.size(), 1u) << out.dump(2);
  EXPECT_EQ(out[0]["household_code"], "6529011002170001");
}

// The office acts on 死亡未减员: a 家庭成员 file whose 成员状态 says 死亡 removes the member (减员)
// and keeps what was registered as an event; the import compares the households with open
// findings again, which closes the finding, and importing the same file again changes nothing.
TEST_F(FindingsCliTest, RemovingADeadMemberClosesTheFinding) {
  const fs::path deaths = dir_ / "死亡.csv", registry = dir_ / "removal";
  Write(deaths, "证件号码,姓名,变动类型,变动日期\n652901197805193680,邱小红,死亡,2025-02-10\n");
  CmdResult died = Hearth("import feed household-registration " + Quote(deaths.string()) + " --received 2025-02-20" + Db());
  ASSERT_EQ(died.exit_code, 0) << died.out;
  nlohmann::json found = Json("findings --type dead_still_member");
  ASSERT_EQ(found.size(), 1u) << found.dump(2);
  EXPECT_EQ(found[0]["household_code"], "6529011002170001");

  fs::create_directories(registry);
  Write(registry / "家庭成员.csv",
        "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,成员状态,减员日期,减员原因\n"
        "6529011002170001,邓刚,652901197712133398,户主,残疾,弱劳动力或半劳动力,非在校,是,正常,,\n"
        "6529011002170001,邱小红,652901197805193680,,,,,,死亡,2025-02-10,公安通报死亡\n");
  CmdResult removed = Hearth("import registry " + Quote(registry.string()) + " --received 2025-03-01" + Db());
  ASSERT_EQ(removed.exit_code, 0) << removed.out;
  EXPECT_NE(removed.out.find("其中减员 1 人"), std::string::npos) << removed.out;
  EXPECT_NE(removed.out.find("户籍信息有变更"), std::string::npos) << removed.out;
  // The households with open findings are compared again at once: the finding closes.
  EXPECT_NE(removed.out.find("重新比对本次有变更或有未关闭比对发现的 1 户（截至 2025-03-01）：关闭 1 条"), std::string::npos)
      << removed.out;
  EXPECT_EQ(Json("findings --type dead_still_member").size(), 0u);

  CmdResult household = Hearth("household show 6529011002170001" + Db());
  ASSERT_EQ(household.exit_code, 0) << household.out;
  EXPECT_EQ(household.out.find("652901197805193680"), std::string::npos) << "masked, and no longer a member";
  EXPECT_NE(household.out.find("减员：邱小红（死亡）：公安通报死亡"), std::string::npos) << household.out;
  EXPECT_NE(household.out.find("2025-02-10"), std::string::npos) << household.out;

  CmdResult refresh = Hearth("findings refresh --as-of 2025-03-01" + Db());
  ASSERT_EQ(refresh.exit_code, 0) << refresh.out;
  EXPECT_EQ(Json("findings --type dead_still_member").size(), 0u) << "closed, and not opened again";
  nlohmann::json all = Json("findings --all --type dead_still_member");
  ASSERT_EQ(all.size(), 1u) << all.dump(2);
  EXPECT_EQ(all[0]["closed"], "2025-03-01");
  EXPECT_FALSE(all[0]["withdrawn"].get<bool>());
  EXPECT_NE(all[0]["sentence"].get<std::string>().find("邱小红（"), std::string::npos)
      << "named as she was registered: " << all[0]["sentence"];

  CmdResult again = Hearth("import registry " + Quote(registry.string()) + " --received 2025-03-01" + Db(), "en");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("accepted 2 (inserted 0, updated 0, unchanged 2)"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("removed"), std::string::npos) << again.out;
}

// A registry file that changes a household compares it again at once, though it had no open
// finding: its income now below the line, with no assistance, opens 低于监测线未享受救助 at the
// import (before, it waited for `hearth findings refresh`). An unchanged household is left alone.
TEST_F(FindingsCliTest, ARegistryChangeComparesTheHouseholdsItChanged) {
  const fs::path deaths = dir_ / "死亡.csv", registry = dir_ / "incomes";
  Write(deaths, "证件号码,姓名,变动类型,变动日期\n652901197805193680,邱小红,死亡,2025-02-10\n");
  ASSERT_EQ(Hearth("import feed household-registration " + Quote(deaths.string()) + " --received 2025-02-20" + Db()).exit_code, 0);
  auto below_line = [&](const std::string& code) {
    int n = 0;
    for (const auto& f : Json("findings --type below_line_no_assistance")) n += f["household_code"] == code;
    return n;
  };
  ASSERT_EQ(below_line("6529011002190001"), 0) << "never compared: no file named it";

  fs::create_directories(registry);
  Write(registry / "收入.csv", "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n"
                              "6529011002190001,2024,0,0,0,0,0\n");
  CmdResult changed = Hearth("import registry " + Quote(registry.string()) + " --received 2025-03-01" + Db());
  ASSERT_EQ(changed.exit_code, 0) << changed.out;
  // The changed household and the one with the open 死亡未减员.
  EXPECT_NE(changed.out.find("重新比对本次有变更或有未关闭比对发现的 2 户（截至 2025-03-01）"), std::string::npos)
      << changed.out;
  EXPECT_EQ(below_line("6529011002190001"), 1) << changed.out;
  EXPECT_EQ(Json("findings --type dead_still_member").size(), 1u) << "compared again, still a member";

  // The same file again changes nothing: no household is compared for it.
  CmdResult again = Hearth("import registry " + Quote(registry.string()) + " --received 2025-03-01" + Db(), "en");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(again.out.find("compared again"), std::string::npos) << again.out;
  EXPECT_EQ(below_line("6529011002190001"), 1);
}

// 公安 reports a registered member moving into another household (迁入, with that 户编号): the
// fact is the new household's, and the household the registry still lists her in gets a finding
// (迁出未减员) until the registry is corrected; undoing the report closes it.
TEST_F(FindingsCliTest, MoveIntoAnotherHouseholdIsFoundWhereSheIsStillRegistered) {
  const fs::path moves = dir_ / "迁入.csv";
  Write(moves, "证件号码,姓名,变动类型,变动日期,户编号,与户主关系\n65290120060211254X,邓梅,迁入,2025-02-10,6529011002190001,儿媳\n");
  CmdResult moved = Hearth("import feed household-registration " + Quote(moves.string()) + " --received 2025-02-20" + Db());
  ASSERT_EQ(moved.exit_code, 0) << moved.out;
  nlohmann::json found = Json("findings --type moved_out_still_member");
  ASSERT_EQ(found.size(), 1u) << found.dump(2) << moved.out;
  EXPECT_EQ(found[0]["household_code"], "6529011002170001");
  EXPECT_NE(found[0]["sentence"].get<std::string>().find("迁入另一户"), std::string::npos) << found[0]["sentence"];
  nlohmann::json imports = Json("imports --kind household-registration");
  ASSERT_EQ(imports.size(), 1u);
  ASSERT_EQ(Hearth("import undo " + std::to_string(imports[0]["import_id"].get<int64_t>()) + Db()).exit_code, 0);
  EXPECT_EQ(Json("findings --type moved_out_still_member").size(), 0u);
  // Listed with --all, it says it was withdrawn with the file (by the undo), not resolved.
  nlohmann::json all = Json("findings --all --type moved_out_still_member");
  ASSERT_EQ(all.size(), 1u) << all.dump(2);
  EXPECT_EQ(all[0]["closed"], "2025-02-20") << all.dump(2);
  EXPECT_TRUE(all[0]["withdrawn"].get<bool>()) << all.dump(2);
  nlohmann::json undos = Json("imports --kind undo");
  ASSERT_EQ(undos.size(), 1u) << undos.dump(2);
  EXPECT_EQ(all[0]["closed_import"], undos[0]["import_id"]) << all.dump(2);
  CmdResult table = Hearth("findings --all --type moved_out_still_member" + Db());
  EXPECT_NE(table.out.find("（已撤销，见 #" + std::to_string(undos[0]["import_id"].get<int64_t>()) + "）"), std::string::npos)
      << table.out;
}

// A household the registry moves to another county takes its open finding along: the new
// county lists it at once, the old one no longer does.
TEST_F(FindingsCliTest, OpenFindingFollowsItsHouseholdToAnotherCounty) {
  const fs::path houses = dir_ / "住房.csv", moved = dir_ / "moved";
  fs::create_directories(moved);
  Write(houses, "户主证件号码,户主姓名,鉴定日期,安全等级\n652901197712133398,邓刚,2025-03-10,D\n");
  ASSERT_EQ(Hearth("import feed housing " + Quote(houses.string()) + " --received 2025-03-20" + Db()).exit_code, 0);
  ASSERT_EQ(Json("findings --type house_unsafe --area 652901").size(), 1u);
  Write(moved / "家庭.csv", "户编号,村代码,户类型,脱贫年度,易地搬迁安置点,住房安全等级,饮水安全\n"
             "6529011002170001,652902106211,一般农户,,,A,是\n");
  CmdResult reg = Hearth("import registry " + Quote(moved.string()) + Db());
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  EXPECT_EQ(Json("findings --type house_unsafe --area 652901").size(), 0u);
  nlohmann::json there = Json("findings --type house_unsafe --area 652902");
  ASSERT_EQ(there.size(), 1u) << there.dump(2);
  EXPECT_EQ(there[0]["village_code"], "652902106211");
}

// A newborn 公安 placed in a household, not yet in the registry, who then has a large hospital
// stay: the warning's explanation names the child as a newborn, with the ID number.
TEST_F(FindingsCliTest, WarningNamesANewbornNotYetRegistered) {
  const std::string first17 = "65290120250105001";
  const std::string baby = first17 + hearth::IdCheckCharacter(first17);
  const fs::path births = dir_ / "出生.csv";
  Write(births, "证件号码,姓名,变动类型,变动日期,户编号,与户主关系\n" + baby + ",邓小宝,出生,2025-01-05,6529011002170001,孙子\n");
  CmdResult born = Hearth("import feed household-registration " + Quote(births.string()) + " --received 2025-01-20" + Db());
  ASSERT_EQ(born.exit_code, 0) << born.out;
  const fs::path claims = dir_ / "住院.csv";
  Write(claims, "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n" + baby +
                    ",邓小宝,住院,2025-02-01,2025-02-10,30000,10000,0,0,20000\n");
  CmdResult stay = Hearth("import feed medical-claims " + Quote(claims.string()) + " --received 2025-03-01" + Db());
  ASSERT_EQ(stay.exit_code, 0) << stay.out;
  nlohmann::json warnings = Json("warnings");
  std::string explanation;
  for (const nlohmann::json& w : warnings) {
    if (w["household_code"] == "6529011002170001") explanation = w["explanation"].get<std::string>();
  }
  ASSERT_FALSE(explanation.empty()) << warnings.dump(2);
  EXPECT_NE(explanation.find("成员 新生儿（652901********" + baby.substr(14) + "）"), std::string::npos) << explanation;
  // The findings name the child the same way.
  const fs::path enrolment = dir_ / "参保.csv";
  Write(enrolment, "证件号码,姓名,参保年度,参保状态,变动日期\n" + baby + ",邓小宝,2025,未参保,2025-03-01\n");
  ASSERT_EQ(Hearth("import feed medical-enrolment " + Quote(enrolment.string()) + " --received 2025-03-05" + Db()).exit_code, 0);
  nlohmann::json uninsured = Json("findings --type member_uninsured");
  ASSERT_EQ(uninsured.size(), 1u) << uninsured.dump(2);
  EXPECT_NE(uninsured[0]["sentence"].get<std::string>().find("新生儿（652901********"), std::string::npos)
      << uninsured[0]["sentence"];
}

// The stored findings hold as of the latest file: a refresh as of an earlier day is refused
// (it would close them before they were opened), and changes nothing.
TEST_F(FindingsCliTest, RefreshBeforeTheLatestFileIsRefused) {
  const fs::path houses = dir_ / "住房.csv";
  Write(houses, "户主证件号码,户主姓名,鉴定日期,安全等级\n652901197712133398,邓刚,2025-03-10,D\n");
  ASSERT_EQ(Hearth("import feed housing " + Quote(houses.string()) + " --received 2025-03-20" + Db()).exit_code, 0);
  CmdResult back = Hearth("findings refresh --as-of 2025-01-31" + Db());
  EXPECT_NE(back.exit_code, 0);
  EXPECT_NE(back.out.find("2025-03-20"), std::string::npos) << back.out;
  nlohmann::json open = Json("findings --type house_unsafe");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["opened"], "2025-03-20");
  EXPECT_EQ(Hearth("findings refresh --as-of 2025-03-20" + Db()).exit_code, 0);
  EXPECT_EQ(Json("findings --type house_unsafe").size(), 1u);
}

// A later file's report of a school year outranks an earlier one's, though the earlier gives a
// date within the year and the later none: 在校 on 2025-01-10, then 辍学 received in March.
TEST_F(FindingsCliTest, LaterUndatedReportOutranksAnEarlierDatedOne) {
  const fs::path in_school = dir_ / "在校.csv", dropout = dir_ / "辍学.csv";
  const std::string header = "证件号码,姓名,学段,在校状态,学年,学费及其他费用,登记日期\n";
  Write(in_school, header + "652901201403307808,帕太木·沙比尔,小学,在校,2024-2025,0,2025-01-10\n");
  Write(dropout, header + "652901201403307808,帕太木·沙比尔,小学,辍学,2024-2025,0,\n");
  ASSERT_EQ(Hearth("import feed school " + Quote(in_school.string()) + " --received 2025-01-20" + Db()).exit_code, 0);
  EXPECT_EQ(Json("findings --type child_out_of_school").size(), 0u);
  CmdResult later = Hearth("import feed school " + Quote(dropout.string()) + " --received 2025-03-20" + Db());
  ASSERT_EQ(later.exit_code, 0) << later.out;
  nlohmann::json found = Json("findings --type child_out_of_school");
  ASSERT_EQ(found.size(), 1u) << later.out;
  EXPECT_EQ(found[0]["household_code"], "6529011002230001");
}

TEST_F(FindingsCliTest, LaterYearsLineAndAllFlag) {
  // A policy whose 2024 line is lower: the households below it stay (updated: the line in their
  // params changed); the one between the two lines closes.
  fs::path policy = dir_ / "p.toml";
  Write(policy, "[[monitoring_line]]\narea = \"65\"\nyear = 2024\nyuan = \"5800.00\"\nsource = \"test line\"\n"
             "[findings]\nassistance_income_factor = \"1.5\"\nsource = \"test\"\n"
             "[[category]]\nid = \"edge\"\nlabel = \"边缘易致贫户\"\n"
             "[[rule]]\nid = \"low\"\nwhen = \"income_pc_12m < line\"\ncategory = \"edge\"\nseverity = 2\n"
             "explain = \"x\"\nsource = \"test\"\n");
  ASSERT_EQ(Hearth("findings refresh --as-of 2025-06-30" + Db()).exit_code, 0);
  CmdResult lower = Hearth("findings refresh --as-of 2025-07-01 --policy " + Quote(policy.string()) + Db(), "en");
  ASSERT_EQ(lower.exit_code, 0) << lower.out;
  EXPECT_NE(lower.out.find("0 opened, 4 updated, 1 closed, 0 unchanged"), std::string::npos) << lower.out;
  EXPECT_EQ(Json("findings").size(), 4u);
  nlohmann::json all = Json("findings --all");
  ASSERT_EQ(all.size(), 5u);
  int closed = 0;
  for (const auto& x : all) closed += x["closed"] == "2025-07-01";
  EXPECT_EQ(closed, 1);
}

TEST_F(FindingsCliTest, RefusesBadInput) {
  struct Case {
    std::string args;
    std::string kind;
  } const cases[] = {
      {"findings --type no_such_type", "finding_type_unknown"},
      {"findings --area 6x", "area_format"},
      {"findings --area 659999", "area_unknown"},
      {"findings refresh --as-of someday", "as_of_invalid"},
      {"findings refresh --policy /nonexistent/p.toml", "policy_missing"},
      {"findings --format csv", "format_invalid"},
  };
  for (const Case& c : cases) {
    CmdResult r = Hearth(c.args + Db());
    EXPECT_EQ(r.exit_code, 1) << c.args << ": " << r.out;
    EXPECT_NE(r.out.find("[" + c.kind + "]"), std::string::npos) << c.args << ": " << r.out;
  }
}

// A count that is not one is refused by the option parser, in the user's language.
TEST_F(FindingsCliTest, TopMustBeAPositiveWholeNumber) {
  for (const char* top : {"0", "-3", "x", "2.5"}) {
    CmdResult r = Hearth(std::string("findings --top ") + top + Db());
    EXPECT_NE(r.exit_code, 0) << top;
    EXPECT_NE(r.out.find(std::string("“") + top + "”不是正整数"), std::string::npos) << top << ": " << r.out;
  }
  EXPECT_EQ(Hearth("findings --top 1" + Db()).exit_code, 0);
}

}  // namespace
