#include "ingest/registry_import.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/area_code.h"
#include "core/id_number.h"
#include "core/text.h"

#include "core/testing/temp_dir.h"
#include "ingest/import_report.h"
#include "store/testing/areas.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

// A valid ID number for a county, birth date and sequence.
std::string Id(std::string_view prefix17) { return std::string(prefix17) + IdCheckCharacter(prefix17); }

const std::string kIdA = Id("65322119800102001");  // male, 1980-01-02
const std::string kIdB = Id("65322119820304002");  // female
const std::string kIdC = Id("65312120100506003");  // child

class RegistryImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "in");
    store_ = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
    ASSERT_TRUE(store_->LoadAreas(testing::HotanAreas()).ok());
    options_.clock = &clock_;
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / "in" / name, std::ios::binary) << text;
  }

  ImportReport Import() {
    auto report = ImportRegistry(*store_, dir_ / "in", options_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ImportReport{};
  }

  static constexpr const char* kHouseholdHeader = "户编号,村代码,户类型,脱贫年度,易地搬迁安置点,住房安全等级,饮水安全\n";
  static constexpr const char* kPersonHeader =
      "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,残疾等级,务工月数\n";
  static constexpr const char* kIncomeHeader =
      "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n";

  hearth::testing::ScopedTempDir tmp_{"hearth_registry_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_};
  std::unique_ptr<Store> store_;
  FixedClock clock_{1'764'000'000'000'000};  // 2025-11-24
  RegistryImportOptions options_;
};

TEST_F(RegistryImportTest, AcceptsGoodRowsAndUpsertsOnReimport) {
  Write("家庭.csv", std::string(kHouseholdHeader) +
                        "H001,653221100201,脱贫户,2019,,B,是\n"
                        "H002, 653221100202 ,一般农户,,和田县安置区,A,否\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉·艾买提," + kIdA +
                            ",户主,健康,普通劳动力,非在校,是,,10\n"
                            "H001,布再乃普 • 吐尔逊," + kIdB + ",配偶,残疾,弱劳动力或半劳动力,非在校,是,二级,\n"
                            "H002,张小明," + kIdC + ",子女,健康,无劳动力,初中,是,,\n");
  Write("收入.csv", std::string(kIncomeHeader) + "H001,2024,\"12,000.00\",3000,0,1500.5,800\n");
  ImportReport first = Import();
  ASSERT_EQ(first.files.size(), 3u);
  for (const FileReport& f : first.files) EXPECT_EQ(f.rejected, 0) << f.file << ": " << (f.rows.empty() ? "" : f.rows[0].hint);
  EXPECT_EQ(first.files[0].inserted, 2);
  auto view = store_->GetHousehold("H001");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->members.size(), 2u);
  EXPECT_EQ(view->incomes[0].Net(), Money::FromFen(1'570'050));
  EXPECT_FALSE(view->events.empty());

  ImportReport again = Import();
  EXPECT_EQ(again.Sum(&FileReport::unchanged), again.Sum(&FileReport::accepted));
  auto view2 = store_->GetHousehold("H001");
  EXPECT_EQ(view2->events.size(), view->events.size()) << "re-import of the same files adds no events";
}

// The first load of the persons builds SQLite's index by ID number after the rows (a refused or
// failed file rolls the drop back); a later load keeps it. Either way the index is there and a
// person is found by it.
TEST_F(RegistryImportTest, FirstPersonsLoadLeavesTheIndexByIdNumber) {
  if (db_.postgres()) GTEST_SKIP() << "SQLite's index";
  auto index_count = [&] {
    return db_.Count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'persons_link'");
  };
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,B,是\n");
  // A persons file refused as a whole (a required column missing) leaves the index as it was.
  Write("家庭成员.csv", "户编号,姓名\nH001,阿卜杜拉·艾买提\n");
  Import();
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM persons"), 0);
  EXPECT_EQ(index_count(), 1);
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,10\n");
  ImportReport first = Import();
  EXPECT_EQ(first.Sum(&FileReport::rejected), 0);
  EXPECT_EQ(index_count(), 1);
  EXPECT_EQ(db_.One("SELECT household_id FROM persons INDEXED BY persons_link WHERE id_number = '" + kIdA + "'"),
            db_.One("SELECT id FROM households WHERE household_code = 'H001'"));
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,10\n" +
                            "H001,布再乃普·吐尔逊," + kIdB + ",配偶,健康,普通劳动力,非在校,是,,\n");
  Import();
  EXPECT_EQ(index_count(), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM persons INDEXED BY persons_link WHERE id_number = '" + kIdB + "'"), 1);
}

TEST_F(RegistryImportTest, HouseholdRejectKinds) {
  const struct {
    const char* row;
    const char* kind;
    const char* column;
  } cases[] = {
      {",653221100201,脱贫户,2019,,,", "household_code_empty", "户编号"},
      {"H 1,653221100201,脱贫户,2019,,,", "household_code_invalid", "户编号"},
      {"H1,653221100299,脱贫户,2019,,,", "village_unknown", "村代码"},
      {"H1,653221100,脱贫户,2019,,,", "village_code_level", "村代码"},
      {"H1,65322110020X,脱贫户,2019,,,", "area_format", "村代码"},
      {"H1,653221100201,贫困户,2019,,,", "value_invalid", "户类型"},
      {"H1,653221100201,,2019,,,", "value_missing", "户类型"},
      {"H1,653221100201,脱贫户,,,,", "exit_year_missing", "脱贫年度"},
      {"H1,653221100201,脱贫户,2021,,,", "exit_year_invalid", "脱贫年度"},
      {"H1,653221100201,一般农户,2018,,,", "exit_year_unexpected", "脱贫年度"},
      {"H1,653221100201,一般农户,,,E,", "housing_grade_invalid", "住房安全等级"},
      {"H1,653221100201,一般农户,,,A,也许", "value_invalid", "饮水安全"},
  };
  for (const auto& c : cases) {
    Write("家庭.csv", std::string(kHouseholdHeader) + c.row + "\n");
    ImportReport r = Import();
    ASSERT_EQ(r.files.size(), 1u);
    ASSERT_EQ(r.files[0].rejected, 1) << c.row;
    EXPECT_EQ(r.files[0].rows[0].kind, c.kind) << c.row;
    EXPECT_EQ(r.files[0].rows[0].column, c.column) << c.row;
    EXPECT_EQ(r.files[0].rows[0].line, 2) << c.row;
    EXPECT_FALSE(r.files[0].rows[0].hint.empty());
    if (std::string_view(c.kind) == "village_code_level") {  // the level named in the user's language
      EXPECT_NE(r.files[0].rows[0].hint.find(AreaLevelLabel(AreaLevel::kTownship)), std::string::npos)
          << r.files[0].rows[0].hint;
    }
  }
}

TEST_F(RegistryImportTest, PersonRejectKinds) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,B,是\n");
  ASSERT_EQ(Import().files[0].accepted, 1);
  fs::remove(dir_ / "in" / "家庭.csv");
  std::string bad_check = kIdA.substr(0, 17) + (kIdA[17] == '1' ? "2" : "1");
  const struct {
    std::string row;
    const char* kind;
  } cases[] = {
      {"H009,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,,", "household_unknown"},
      {"H001,," + kIdA + ",户主,健康,普通劳动力,非在校,是,,", "name_empty"},
      {"H001,张三," + bad_check + ",户主,健康,普通劳动力,非在校,是,,", "id_checksum"},
      {"H001,张三,6.53221E+17,户主,健康,普通劳动力,非在校,是,,", "id_spreadsheet_number"},
      {"H001,张三,65322119800102,户主,健康,普通劳动力,非在校,是,,", "id_length"},
      {"H001,张三," + kIdA + ",邻居,健康,普通劳动力,非在校,是,,", "value_invalid"},
      {"H001,张三," + kIdA + ",户主,很好,普通劳动力,非在校,是,,", "value_invalid"},
      {"H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,5,", "disability_grade_invalid"},
      {"H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,,13", "months_worked_invalid"},
  };
  for (const auto& c : cases) {
    Write("家庭成员.csv", std::string(kPersonHeader) + c.row + "\n");
    ImportReport r = Import();
    ASSERT_EQ(r.files.size(), 1u);
    ASSERT_EQ(r.files[0].rejected, 1) << c.row;
    EXPECT_EQ(r.files[0].rows[0].kind, c.kind) << c.row;
  }
}

TEST_F(RegistryImportTest, DuplicatesInOneFileAreRejectedNamingTheFirstLine) {
  Write("家庭.csv", std::string(kHouseholdHeader) +
                        "H001,653221100201,脱贫户,2019,,B,是\n"
                        "H001,653221100202,脱贫户,2019,,B,是\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files[0].rejected, 1);
  EXPECT_EQ(r.files[0].rows[0].kind, "duplicate_key");
  EXPECT_EQ(r.files[0].rows[0].line, 3);
  EXPECT_NE(r.files[0].rows[0].hint.find('2'), std::string::npos);
}

TEST_F(RegistryImportTest, ARejectedRowDoesNotMakeTheNextOneADuplicate) {
  Write("家庭.csv", std::string(kHouseholdHeader) +
                        "H001,653221100299,脱贫户,2019,,B,是\n"   // unknown village: rejected
                        "H001,653221100201,脱贫户,2019,,B,是\n");  // the corrected line is accepted
  ImportReport r = Import();
  EXPECT_EQ(r.files[0].accepted, 1);
  ASSERT_EQ(r.files[0].rejected, 1);
  EXPECT_EQ(r.files[0].rows[0].kind, "village_unknown");
}

TEST_F(RegistryImportTest, MissingColumnRefusesTheFileAndWritesNothing) {
  Write("家庭.csv", "户编号,户类型,脱贫年度\nH001,脱贫户,2019\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_FALSE(r.files[0].refusal.ok());
  EXPECT_EQ(r.files[0].refusal.kind(), "missing_columns");
  EXPECT_NE(r.files[0].refusal.message().find("村代码"), std::string::npos);
  EXPECT_TRUE(store_->ListImports({})->empty());
}

TEST_F(RegistryImportTest, TitleRowAliasesGbkAndTotalRow) {
  std::string text = "2025年和田县脱贫户家庭信息表,,,,\n"
                     "户码,行政村代码,户属性,脱贫年份,住房等级\n"
                     "H001,653221100201,脱贫户,2016,C\n"
                     "合计,1户,,,\n";
  Write("家庭.csv", GbkToUtf8(Utf8ToGbk(text).value()).ok() ? Utf8ToGbk(text).value() : text);
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 1u);
  ASSERT_TRUE(r.files[0].refusal.ok()) << r.files[0].refusal.ToString();
  EXPECT_EQ(r.files[0].accepted, 1);
  EXPECT_EQ(r.files[0].total_rows_skipped, 1);
  EXPECT_EQ(store_->GetHousehold("H001")->household.housing_grade, 'C');
}

// The three files under other header names offices' systems use: every row taken.
TEST_F(RegistryImportTest, OtherHeaderNamesOfTheThreeFiles) {
  Write("家庭.csv", "序号,户编码,所属村代码,农户属性,脱贫年\n1,H001,653221100201,脱贫户,2019\n");
  Write("家庭成员.csv",
        "序号,家庭户号,人员姓名,居民身份证号码,户主关系,身体状况,劳动技能状况,就学状况,是否参加城乡居民医保,务工时长\n"
        "1,H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,6\n");
  Write("收入.csv", "农户编号,统计年度,工资性收入,生产经营性收入,财产性收入,转移性收入合计,生产经营费用支出\n"
                    "H001,2024,12000,3000,0,1500,800\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 3u);
  for (const FileReport& f : r.files) {
    ASSERT_TRUE(f.refusal.ok()) << f.file << ": " << f.refusal.ToString();
    EXPECT_EQ(f.accepted, 1) << f.file << ": " << (f.rows.empty() ? "" : f.rows[0].hint);
    EXPECT_EQ(f.rejected, 0) << f.file;
  }
  auto h = store_->GetHousehold("H001");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(h->members.size(), 1u);
  EXPECT_EQ(h->members[0].months_worked, 6);
  ASSERT_EQ(h->incomes.size(), 1u);
  EXPECT_EQ(h->incomes[0].business_cost.fen(), 80000);
}

// Files an office named otherwise (家庭基本信息, 家庭成员信息, 2024年家庭收入) are found by the
// words of their names; Excel's lock file (~$…) is not one of them. Two that could be one file
// are named, and nothing is imported.
TEST_F(RegistryImportTest, FilesNamedOtherwiseAreFoundByTheirWords) {
  Write("家庭基本信息.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,B,是\n");
  Write("~$家庭基本信息.csv", "not a table");
  Write("家庭成员信息.csv", std::string(kPersonHeader) + "H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n");
  Write("2024年家庭收入.csv", "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\nH001,2024,1,2,3,4,5\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 3u);
  const char* names[] = {"家庭基本信息.csv", "家庭成员信息.csv", "2024年家庭收入.csv"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(fs::path(r.files[i].file).filename(), names[i]);
    EXPECT_EQ(r.files[i].accepted, 1) << r.files[i].file;
  }

  Write("农户信息.csv", std::string(kHouseholdHeader) + "H002,653221100201,脱贫户,2019,,B,是\n");
  auto both = ImportRegistry(*store_, dir_ / "in", options_);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().kind(), "registry_file_ambiguous");
  EXPECT_NE(both.status().message().find("农户信息.csv"), std::string::npos) << both.status().message();
  EXPECT_NE(both.status().message().find("家庭基本信息.csv"), std::string::npos) << both.status().message();
  // The exact name wins over the others.
  Write("家庭.csv", std::string(kHouseholdHeader) + "H003,653221100201,脱贫户,2019,,B,是\n");
  ImportReport exact = Import();
  ASSERT_EQ(exact.files.size(), 3u);
  EXPECT_EQ(fs::path(exact.files[0].file).filename(), "家庭.csv");
}

TEST_F(RegistryImportTest, PersonInTwoHouseholdsIsKeptAndReported) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\nH002,653221100202,一般农户,,,,\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n" +
                            "H002,张三," + kIdA + ",子女,健康,普通劳动力,非在校,是,,\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[1].accepted, 2);
  ASSERT_EQ(r.files[1].shared_persons.size(), 1u);
  EXPECT_EQ(r.files[1].shared_persons[0].household_codes, (std::vector<std::string>{"H001", "H002"}));
}

// A second 户主 in one household is taken (the registry may be right and the first row wrong),
// and flagged naming the first one's line.
TEST_F(RegistryImportTest, ASecondHeadInAHouseholdIsFlagged) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n" +
                            "H001,李四," + kIdB + ",户主,健康,普通劳动力,非在校,是,,\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[1].accepted, 2);
  EXPECT_EQ(r.files[1].flagged, 1);
  ASSERT_EQ(r.files[1].rows.size(), 1u);
  EXPECT_EQ(r.files[1].rows[0].kind, "second_head");
  EXPECT_EQ(r.files[1].rows[0].line, 3);
  EXPECT_NE(r.files[1].rows[0].hint.find("2"), std::string::npos) << r.files[1].rows[0].hint;
}

// A head registered in a later file while the former one stays (the file did not list the
// former head under a new relation), and a household whose members name no head: both kept,
// and reported with the heads each household has.
TEST_F(RegistryImportTest, HouseholdsWithoutExactlyOneHeadAreReported) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\nH002,653221100202,一般农户,,,,\n" +
                        "H003,653221100202,一般农户,,,,\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,张三," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n" +
                            "H002,王五," + kIdC + ",户主,健康,普通劳动力,非在校,是,,\n");
  ImportReport first = Import();
  ASSERT_EQ(first.files.size(), 2u);
  EXPECT_TRUE(first.files[1].households_without_one_head.empty());
  fs::remove(dir_ / "in" / "家庭.csv");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,李四," + kIdB + ",户主,健康,普通劳动力,非在校,是,,\n" +
                            "H002,王五," + kIdC + ",配偶,健康,普通劳动力,非在校,是,,\n");
  ImportReport second = Import();
  ASSERT_EQ(second.files.size(), 1u);
  EXPECT_EQ(second.files[0].accepted, 2);
  const std::vector<HouseholdHeads>& heads = second.files[0].households_without_one_head;
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0].household_code, "H001");
  EXPECT_EQ(heads[0].id_numbers.size(), 2u);
  EXPECT_EQ(heads[0].names.size(), 2u);
  EXPECT_EQ(heads[1].household_code, "H002");
  EXPECT_TRUE(heads[1].id_numbers.empty());
  // H003 has no members at all: not a household without a head, only not yet listed.
  nlohmann::json j = ReportToJson(second);
  ASSERT_EQ(j["households_without_one_head"].size(), 2u) << j.dump(1);
  EXPECT_EQ(j["households_without_one_head"][0]["heads"].size(), 2u) << j.dump(1);
}

TEST_F(RegistryImportTest, IncomeRejectKinds) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  ASSERT_EQ(Import().files[0].accepted, 1);
  fs::remove(dir_ / "in" / "家庭.csv");
  const struct {
    const char* row;
    const char* kind;
  } cases[] = {
      {"H001,1999,1,1,1,1,1", "year_invalid"},
      {"H001,2030,1,1,1,1,1", "year_invalid"},
      {"H001,2024,abc,1,1,1,1", "money_format"},
      {"H001,2024,-5,1,1,1,1", "money_negative"},
      {"H001,2024,1.005,1,1,1,1", "money_precision"},
      {"H404,2024,1,1,1,1,1", "household_unknown"},
      {"H001,2024,,,,,", "income_amounts_empty"},
      {"H001,2024, ,　, ,,", "income_amounts_empty"},  // spaces, a full-width one too
  };
  for (const auto& c : cases) {
    Write("收入.csv", std::string(kIncomeHeader) + c.row + "\n");
    ImportReport r = Import();
    ASSERT_EQ(r.files[0].rejected, 1) << c.row;
    EXPECT_EQ(r.files[0].rows[0].kind, c.kind) << c.row;
  }
  // One amount written, even 0, is a statement: the others empty are zero.
  Write("收入.csv", std::string(kIncomeHeader) + "H001,2024,0,,,,\n");
  ImportReport zero = Import();
  EXPECT_EQ(zero.files[0].rejected, 0);
  EXPECT_EQ(zero.files[0].accepted, 1);
}

// A file replayed with --received is checked against the day it arrived, not today: it cannot
// hold an income year or a birth after it.
TEST_F(RegistryImportTest, DatesAreCheckedAgainstTheDayTheFileArrived) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  ASSERT_EQ(Import().files[0].accepted, 1);
  fs::remove(dir_ / "in" / "家庭.csv");
  options_.received = Date::FromCivil(2024, 5, 1);
  const std::string born_after = Id("65322120240601001");  // 2024-06-01: before today, after the file
  const struct {
    std::string file, text, kind;
  } cases[] = {
      {"收入.csv", std::string(kIncomeHeader) + "H001,2025,1,1,1,1,1\n", "year_invalid"},
      {"家庭成员.csv", std::string(kPersonHeader) + "H001,阿依古丽," + born_after + ",户主,健康,普通劳动力,非在校,是,,10\n",
       "id_future_birth"},
  };
  for (const auto& c : cases) {
    fs::remove(dir_ / "in" / "收入.csv");
    fs::remove(dir_ / "in" / "家庭成员.csv");
    Write(c.file, c.text);
    ImportReport r = Import();
    ASSERT_EQ(r.files.size(), 1u) << c.file;
    ASSERT_EQ(r.files[0].rejected, 1) << c.file;
    EXPECT_EQ(r.files[0].rows[0].kind, c.kind) << c.file;
  }
  fs::remove(dir_ / "in" / "家庭成员.csv");
  Write("收入.csv", std::string(kIncomeHeader) + "H001,2024,1,1,1,1,1\n");
  EXPECT_EQ(Import().files[0].accepted, 1) << "the year it arrived is fine";
}

// Income amounts in the unit their header names (工资性收入（万元）) or the table states
// (单位：千元), exact to the fen; an amount in another currency refuses the file.
TEST_F(RegistryImportTest, IncomeAmountsInTheirUnits) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\nH002,653221100201,脱贫户,2019,,,\n");
  ASSERT_EQ(Import().files[0].accepted, 2);
  fs::remove(dir_ / "in" / "家庭.csv");
  const std::string wages =
      "SELECT h.household_code, i.year, i.wage_fen, i.business_fen, i.transfer_fen, i.business_cost_fen FROM incomes i "
      "JOIN households h ON h.id = i.household_id ORDER BY h.household_code, i.year";
  Write("收入.csv",
        "户编号,年度,工资性收入（万元）,生产经营性收入,财产性收入,转移性收入（元）,生产经营性支出\n"
        "H001,2024,1.2345,3000,0,1500.5,0\n"
        "H002,2024,0.000001,0,0,0,0\n");
  ImportReport wan = Import();
  ASSERT_EQ(wan.files[0].accepted, 2) << (wan.files[0].rows.empty() ? "" : wan.files[0].rows[0].hint);
  EXPECT_EQ(db_.Rows(wages), (std::vector<std::string>{"H001|2024|1234500|300000|150050|0", "H002|2024|1|0|0|0"}));

  Write("收入.csv",
        "2024年收入汇总表\n（单位：千元）\n"
        "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入（元）,生产经营性支出\n"
        "H001,2023,12.5,3,0,800,1.25\n");
  ImportReport thousands = Import();
  ASSERT_EQ(thousands.files[0].accepted, 1) << (thousands.files[0].rows.empty() ? "" : thousands.files[0].rows[0].hint);
  EXPECT_EQ(db_.Rows(wages), (std::vector<std::string>{"H001|2023|1250000|300000|80000|125000",
                                                        "H001|2024|1234500|300000|150050|0", "H002|2024|1|0|0|0"}));

  Write("收入.csv", "户编号,年度,工资性收入（港币）,生产经营性收入,财产性收入,转移性收入,生产经营性支出\nH001,2022,1,1,1,1,1\n");
  ImportReport hkd = Import();
  EXPECT_EQ(hkd.files[0].refusal.kind(), "money_unit_unsupported");
  EXPECT_NE(hkd.files[0].refusal.message().find("港币"), std::string::npos) << hkd.files[0].refusal.message();
  EXPECT_EQ(db_.Rows(wages).size(), 3u) << "nothing of the refused file";
}

// A 家庭 sheet with its header and household H001 (row 2).
lxw_worksheet* WriteHouseholdSheet(lxw_workbook* wb) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "家庭");
  const char* headers[] = {"户编号", "村代码", "户类型", "脱贫年度"};
  for (int c = 0; c < 4; ++c) worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), headers[c], nullptr);
  worksheet_write_string(ws, 1, 0, "H001", nullptr);
  worksheet_write_string(ws, 1, 1, "653221100201", nullptr);
  worksheet_write_string(ws, 1, 2, "脱贫户", nullptr);
  worksheet_write_number(ws, 1, 3, 2018, nullptr);
  return ws;
}

TEST_F(RegistryImportTest, XlsxRegistryImportsLikeCsv) {
  lxw_workbook* wb = workbook_new((dir_ / "in" / "家庭.xlsx").c_str());
  lxw_worksheet* ws = WriteHouseholdSheet(wb);
  worksheet_write_string(ws, 2, 0, "H002", nullptr);
  worksheet_write_number(ws, 2, 1, 653221100202.0, nullptr);
  worksheet_write_string(ws, 2, 2, "一般农户", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 1u);
  ASSERT_TRUE(r.files[0].refusal.ok()) << r.files[0].refusal.ToString();
  EXPECT_EQ(r.files[0].accepted, 2) << (r.files[0].rows.empty() ? "" : r.files[0].rows[0].hint);
  EXPECT_EQ(store_->GetHousehold("H001")->household.exit_year, 2018);
}

// A workbook whose first sheet is a 填表说明 (instructions): the table is found on the next.
TEST_F(RegistryImportTest, XlsxTableOnALaterSheetIsFound) {
  lxw_workbook* wb = workbook_new((dir_ / "in" / "家庭.xlsx").c_str());
  lxw_worksheet* notes = workbook_add_worksheet(wb, "填表说明");
  worksheet_write_string(notes, 0, 0, "1. 户编号填写 16 位编号；2. 村代码填写 12 位代码。", nullptr);
  WriteHouseholdSheet(wb);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 1u);
  ASSERT_TRUE(r.files[0].refusal.ok()) << r.files[0].refusal.ToString();
  EXPECT_EQ(r.files[0].accepted, 1);
}

TEST_F(RegistryImportTest, EmptyDirectoryIsAnError) {
  auto r = ImportRegistry(*store_, dir_ / "in", options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), "registry_files_missing");
}

TEST_F(RegistryImportTest, SpreadsheetNumbersAreRejectedNeverGuessed) {
  const struct {
    const char* row;
    const char* kind;
    const char* column;
  } cases[] = {
      {"6.52925E+15,653221100201,脱贫户,2019,,,", "code_spreadsheet_number", "户编号"},
      {"H1,6.53221E+11,脱贫户,2019,,,", "code_spreadsheet_number", "村代码"},
      {"H1,653221100201.0,脱贫户,2019,,,", "code_spreadsheet_number", "村代码"},
  };
  for (const auto& c : cases) {
    Write("家庭.csv", std::string(kHouseholdHeader) + c.row + "\n");
    ImportReport r = Import();
    ASSERT_EQ(r.files[0].rejected, 1) << c.row;
    EXPECT_EQ(r.files[0].rows[0].kind, c.kind) << c.row;
    EXPECT_EQ(r.files[0].rows[0].column, c.column) << c.row;
  }
}

TEST_F(RegistryImportTest, ColumnTruncatedToFifteenDigitsRejectsEveryDamagedId) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  // Four IDs cut to 15 significant digits. One of them happens to pass the check digit
  // (about 1 in 11 do); it must be rejected like the others, not stored as a wrong person.
  std::string persons = kPersonHeader;
  int passing = 0;
  for (int day = 10; day <= 28 && passing < 1; ++day) {
    for (int digit = 1; digit <= 9 && passing < 1; ++digit) {
      std::string body = "65322119800" + std::to_string(day) + "1" + std::to_string(digit) + "00";  // 17 chars
      if (IdCheckCharacter(body) != '0') continue;
      persons += "H001,甲," + body + "0,子女,健康,普通劳动力,非在校,是,,\n";  // ends in 000, check fits
      ++passing;
    }
  }
  ASSERT_EQ(passing, 1);
  for (const char* id : {"653221198001011000", "653221198002021000", "653221198003031000"}) {
    persons += std::string("H001,乙,") + id + ",子女,健康,普通劳动力,非在校,是,,\n";
  }
  persons += "H001,丙," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n";
  Write("家庭成员.csv", persons);
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(r.files[1].accepted, 1) << "only the sound ID";
  EXPECT_EQ(r.files[1].rejected, 4);
  EXPECT_EQ(r.files[1].rejected_by_kind["id_spreadsheet_number"], 4);
}

TEST_F(RegistryImportTest, UnreadableFormatIsRefusedNotSkipped) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  Write("家庭成员.xls", "\xD0\xCF\x11\xE0 legacy workbook");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_TRUE(r.files[0].refusal.ok());
  EXPECT_EQ(r.files[1].refusal.kind(), "format_xls");
  Write("家庭成员.csv", kPersonHeader);
  auto both = ImportRegistry(*store_, dir_ / "in", options_);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().kind(), "registry_file_ambiguous");
}

TEST_F(RegistryImportTest, OverlongNameAndRunawayCellsAreCapped) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  std::string huge(100000, 'A');
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001," + huge + "," + kIdA +
                            ",户主,健康,普通劳动力,非在校,是,,\n" + "H001,张三," + huge + ",户主,健康,普通劳动力,非在校,是,,\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files[1].rejected, 2);
  EXPECT_EQ(r.files[1].rows[0].kind, "name_too_long");
  for (const RejectRecord& row : r.files[1].rows) {
    EXPECT_LE(row.raw.size(), 300u);
    EXPECT_LE(row.hint.size(), 1100u);
  }
}

TEST_F(RegistryImportTest, ReimportWithAnotherMiddleDotChangesNothing) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,,\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n");
  Import();
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉 • 艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n");
  ImportReport r = Import();
  EXPECT_EQ(r.files[1].unchanged, 1);
}

TEST_F(RegistryImportTest, AbsentOptionalColumnKeepsStoredValuesEmptyCellClearsThem) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,和田县安置区,C,否\n");
  Import();
  Write("家庭.csv", "户编号,村代码,户类型,脱贫年度\nH001,653221100201,脱贫户,2019\n");
  EXPECT_EQ(Import().files[0].unchanged, 1) << "a file without the optional columns changes nothing";
  auto kept = store_->GetHousehold("H001");
  EXPECT_EQ(kept->household.relocation_site, "和田县安置区");
  EXPECT_EQ(kept->household.housing_grade, 'C');
  EXPECT_EQ(kept->household.water_safe, false);
  Write("家庭.csv", "户编号,村代码,户类型,脱贫年度,住房安全等级\nH001,653221100201,脱贫户,2019,\n");
  EXPECT_EQ(Import().files[0].updated, 1);
  auto cleared = store_->GetHousehold("H001");
  EXPECT_FALSE(cleared->household.housing_grade.has_value()) << "an empty cell clears the field";
  EXPECT_EQ(cleared->household.relocation_site, "和田县安置区");
  bool found = false;
  for (const EventRecord& e : cleared->events) {
    if (e.payload.find("\"after\":{\"housing_grade\":null}") != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << "the history says the grade was cleared";
}

// 成员状态 other than 正常 removes the member (减员): the row is deleted, an event keeps what was
// registered, the household's other members stay; the same file again changes nothing, and a
// later row with 正常 registers the person again.
TEST_F(RegistryImportTest, MemberStatusRemovesAMemberAndKeepsTheEvent) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,B,是\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,10\n" +
                            "H001,布再乃普·吐尔逊," + kIdB + ",配偶,残疾,弱劳动力或半劳动力,非在校,是,二级,\n" +
                            "H001,张小明," + kIdC + ",子女,健康,无劳动力,初中,是,,\n");
  Import();
  fs::remove(dir_ / "in" / "家庭.csv");
  // The removed rows' other cells may be blank; 人员状态 and 减员时间 are the headers' aliases.
  Write("家庭成员.csv", "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,人员状态,减员时间\n"
                        "H001,布再乃普·吐尔逊," + kIdB + ",,,,,,已故,2025年3月2日\n" +
                        "H001,张小明," + kIdC + ",子女,健康,无劳动力,初中,是,迁出,\n" +
                        "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,正常,\n");
  ImportReport r = Import();
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].rejected, 0) << (r.files[0].rows.empty() ? "" : r.files[0].rows[0].hint);
  EXPECT_EQ(r.files[0].removed, 2);
  EXPECT_EQ(r.files[0].updated, 2);
  EXPECT_EQ(r.files[0].unchanged, 1);
  auto view = store_->GetHousehold("H001");
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->members.size(), 1u);
  EXPECT_EQ(view->members[0].id_number, kIdA);
  std::map<std::string, const EventRecord*> removals;
  for (const EventRecord& e : view->events) {
    if (e.type == "registry.person_removed") removals[e.person_id_number] = &e;
  }
  ASSERT_EQ(removals.size(), 2u);
  EXPECT_EQ(removals[kIdB]->effective, Date::FromCivil(2025, 3, 2));
  EXPECT_NE(removals[kIdB]->payload.find("\"status\":\"died\""), std::string::npos) << removals[kIdB]->payload;
  EXPECT_NE(removals[kIdB]->payload.find("\"disability_grade\":2"), std::string::npos) << "what was registered is kept";
  EXPECT_EQ(removals[kIdC]->effective, clock_.Today()) << "no date given: the day the file arrived";
  EXPECT_NE(removals[kIdC]->payload.find("\"status\":\"moved_out\""), std::string::npos);

  ImportReport again = Import();
  EXPECT_EQ(again.files[0].removed, 0);
  EXPECT_EQ(again.files[0].unchanged, 3);
  EXPECT_EQ(store_->GetHousehold("H001")->events.size(), view->events.size()) << "nothing more to record";

  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,张小明," + kIdC + ",子女,健康,无劳动力,初中,是,,\n");
  EXPECT_EQ(Import().files[0].inserted, 1) << "registered again";
  EXPECT_EQ(store_->GetHousehold("H001")->members.size(), 2u);
}

TEST_F(RegistryImportTest, MemberRemovalRejectKinds) {
  Write("家庭.csv", std::string(kHouseholdHeader) + "H001,653221100201,脱贫户,2019,,B,是\n");
  Write("家庭成员.csv", std::string(kPersonHeader) + "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,10\n");
  Import();
  fs::remove(dir_ / "in" / "家庭.csv");
  const std::string header = "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,成员状态,减员日期\n";
  const struct {
    std::string row;
    const char* kind;
  } cases[] = {
      {"H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,失踪,", "value_invalid"},
      {"H001,阿卜杜拉·艾买提," + kIdA + ",,,,,,死亡,2025-13-01", "date_invalid"},
      {"H001,阿卜杜拉·艾买提," + kIdA + ",,,,,,死亡,上个月", "date_format"},
      {"H001,阿卜杜拉·艾买提," + kIdA + ",,,,,,死亡,2025-12-01", "date_after_received"},
      {"H009,阿卜杜拉·艾买提," + kIdA + ",,,,,,死亡,", "household_unknown"},
      {"H001,阿卜杜拉·艾买提,6.53221E+17,,,,,,死亡,", "id_spreadsheet_number"},
  };
  for (const auto& c : cases) {
    Write("家庭成员.csv", header + c.row + "\n");
    ImportReport r = Import();
    ASSERT_EQ(r.files.size(), 1u);
    ASSERT_EQ(r.files[0].rejected, 1) << c.row;
    EXPECT_EQ(r.files[0].rows[0].kind, c.kind) << c.row << ": " << r.files[0].rows[0].hint;
  }
  EXPECT_EQ(store_->GetHousehold("H001")->members.size(), 1u) << "no rejected row removed anyone";
  // The same person twice in one file, once removed: the second row is a duplicate.
  Write("家庭成员.csv", header + "H001,阿卜杜拉·艾买提," + kIdA + ",户主,健康,普通劳动力,非在校,是,,\n" +
                            "H001,阿卜杜拉·艾买提," + kIdA + ",,,,,,死亡,\n");
  ImportReport dup = Import();
  ASSERT_EQ(dup.files[0].rejected, 1);
  EXPECT_EQ(dup.files[0].rows[0].kind, "duplicate_key");
  EXPECT_EQ(store_->GetHousehold("H001")->members.size(), 1u);
}

}  // namespace
}  // namespace hearth
