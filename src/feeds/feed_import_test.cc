// The department-feed import (issue 4) on real files: a registry fixture loaded into a fresh
// store (a SQLite file, or a PostgreSQL database under pg.*: store/testing/test_db.h), then every row outcome and every reject kind the importer can produce, the
// correction, idempotence and undo rules, linking (registered person, newborn by 户编号, village),
// effective dates, the received date, and files as departments make them
// (tests/fixtures/feeds/: GBK, BOM, title and 合计 rows, LibreOffice XLSX).
#include "feeds/feed_import.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "core/id_number.h"
#include "core/messages.h"
#include "core/testing/temp_dir.h"
#include "ingest/import_report.h"
#include "ingest/registry_import.h"
#include "store/testing/areas.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

std::string Id(std::string_view prefix17) { return std::string(prefix17) + IdCheckCharacter(prefix17); }

const fs::path kFixtures = fs::path(HEARTH_TEST_SRCDIR) / "tests" / "fixtures" / "feeds";
const fs::path kDataDir = fs::path(HEARTH_TEST_SRCDIR) / "data";

// Persons of tests/fixtures/feeds/registry/家庭成员.csv.
const std::string kAbdulla = "653221197001010015";  // 阿卜杜拉·艾买提, head of 6532211002010001 (village ...201)
const std::string kBuzainap = "653221197201010028";  // 布再乃普·吐尔逊, spouse, same household
const std::string kMamatX = "65322119720204019X";   // 买买提·吐尔逊, head of 6532211002010002
const std::string kZhang = "653221197403070010";    // 张建国, head of 6532211002010003
const std::string kXiaoming = "653221201205011000";  // 张小明: a real ID that ends in 000
const std::string kLi = "653221197805130020";       // 李秀兰, head of 6532211002020001 (village ...202)
// Valid ID numbers of nobody in the registry.
const std::string kStranger = Id("65322119900101123");
const std::string kNewborn = Id("65322120250210002");  // born 2025-02-10
// Valid (check character fits) but ending in 000, like IDs a spreadsheet truncated to 15 digits.
const std::string kZeros[] = {"653221198506015000", "653221198506023000", "653221198506031000"};

constexpr const char* kClaimsHeader =
    "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n";
constexpr const char* kEnrolmentHeader = "证件号码,姓名,参保年度,参保状态,变动日期\n";
constexpr const char* kSchoolHeader = "证件号码,姓名,学段,在校状态,学年,学费及其他费用,登记日期\n";
constexpr const char* kEmploymentHeader = "证件号码,姓名,就业状态,务工地点,月收入,开始日期,结束日期,岗位类型\n";
constexpr const char* kWaterHeader = "户主证件号码,户主姓名,村代码,评估日期,水量,水质,方便程度,供水保证率\n";
constexpr const char* kRegistrationHeader = "证件号码,姓名,变动类型,变动日期,户编号,与户主关系\n";
constexpr const char* kDisabilityHeader = "证件号码,姓名,残疾类别,残疾等级,发证日期,办证类型\n";

std::string Repeat(std::string_view text, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += text;
  return out;
}

// A claim of 阿卜杜拉 that passes every check.
std::string Claim(const std::string& id = kAbdulla, const std::string& name = "阿卜杜拉·艾买提",
                  const std::string& tail = "住院,2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,400.00") {
  return id + "," + name + "," + tail + "\n";
}

// Micros since the epoch of 00:00 (UTC+8) of a date.
int64_t MidnightMicros(Date d) { return (int64_t{d.days()} * 86400 - 8 * 3600) * 1'000'000; }

class FeedImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLanguage(Lang::kEn);
    fs::create_directories(dir_ / "in");
    store_ = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
    ASSERT_TRUE(store_->LoadAreas(testing::HotanAreas()).ok());
    RegistryImportOptions ro;
    ro.clock = &clock_;
    ro.received = Date::FromCivil(2025, 1, 2);
    auto reg = ImportRegistry(*store_, kFixtures / "registry", ro);
    ASSERT_TRUE(reg.ok()) << reg.status().ToString();
    ASSERT_EQ(reg->files.size(), 2u);
    for (const FileReport& f : reg->files) {
      ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
      ASSERT_EQ(f.rejected, 0) << f.file << ": " << (f.rows.empty() ? "" : f.rows[0].hint);
    }
    ASSERT_EQ(reg->files[1].accepted, 24);
    registry_import_ = reg->files[0].import_id;
  }

  void TearDown() override {
    SetLanguage(Lang::kZh);
    // SQLite checks no references while a feed's transaction writes (it resolved them itself):
    // after every test's imports, undos and screenings, none may point nowhere.
    if (!db_.postgres()) {
      EXPECT_EQ(db_.Rows("PRAGMA foreign_key_check").size(), 0u);
    }
  }

  const FeedSpec& Spec(const std::string& kind) {
    auto it = specs_.find(kind);
    if (it == specs_.end()) {
      auto spec = LoadFeedSpecForKind(kDataDir, kind);
      EXPECT_TRUE(spec.ok()) << spec.status().ToString();
      it = specs_.emplace(kind, spec.ok() ? *spec : FeedSpec{}).first;
    }
    return it->second;
  }

  FileReport ImportPath(const std::string& kind, const fs::path& path, std::optional<Date> received) {
    FeedImportOptions options;
    options.clock = &clock_;
    options.received = received;
    return ImportFeed(*store_, Spec(kind), path, options);
  }

  // Writes `text` to in/<name> and imports it as a `kind` file received on `received`.
  FileReport Import(const std::string& kind, const std::string& name, const std::string& text,
                    std::optional<Date> received = Date::FromCivil(2025, 4, 5)) {
    std::ofstream(dir_ / "in" / name, std::ios::binary) << text;
    FileReport r = ImportPath(kind, dir_ / "in" / name, received);
    if (r.refusal.ok()) {
      // Every data row ends as exactly one outcome; flagged rows are accepted rows.
      EXPECT_EQ(r.read, r.accepted + r.rejected + r.unmatched + r.duplicate) << name;
      EXPECT_LE(r.flagged, r.accepted) << name;
      EXPECT_EQ(r.accepted, r.inserted + r.updated + r.unchanged) << name;
    }
    return r;
  }

  // Queries of the database, in SQL both backends accept.
  int64_t Count(const std::string& sql) { return db_.Count(sql); }
  std::vector<std::string> Rows(const std::string& sql) { return db_.Rows(sql); }
  std::string One(const std::string& sql) { return db_.One(sql); }

  // Events, rejects and imports in the database.
  std::array<int64_t, 3> Totals() {
    return {Count("SELECT COUNT(*) FROM events"), Count("SELECT COUNT(*) FROM rejects"),
            Count("SELECT COUNT(*) FROM imports")};
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_feed_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_};
  std::unique_ptr<Store> store_;
  FixedClock clock_{1'764'000'000'000'000};  // 2025-11-24
  int64_t registry_import_ = 0;
  std::map<std::string, FeedSpec> specs_;
};

// ---------------------------------------------------------------------------------------------
// Every reject kind, one row each, with its outcome, column and line.

struct ProblemCase {
  const char* label;
  std::string kind;    // feed kind
  std::string header;
  std::string row;
  std::string reject;  // expected reject kind
  std::string column;  // expected column ("" for the whole row)
  RowOutcome outcome = RowOutcome::kRejected;
};

TEST_F(FeedImportTest, EveryRejectKindNamesItsColumnAndLine) {
  const std::string tail = ",2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,400.00";
  const std::string bad_check = kAbdulla.substr(0, 17) + (kAbdulla[17] == '1' ? "2" : "1");
  const ProblemCase cases[] = {
      // ID numbers
      {"checksum", "medical-claims", kClaimsHeader, Claim(bad_check), "id_checksum", "证件号码"},
      {"length", "medical-claims", kClaimsHeader, Claim("65322119700101"), "id_length", "证件号码"},
      {"spreadsheet number", "medical-claims", kClaimsHeader, Claim("6.53221E+17"), "id_spreadsheet_number", "证件号码"},
      {"spreadsheet decimal, check fails", "medical-claims", kClaimsHeader, Claim(bad_check + ".0"), "id_spreadsheet_number",
       "证件号码"},
      {"character", "medical-claims", kClaimsHeader, Claim("653221197001O10015"), "id_character", "证件号码"},
      {"province", "medical-claims", kClaimsHeader, Claim(Id("99322119700101001")), "id_province", "证件号码"},
      {"birth date", "medical-claims", kClaimsHeader, Claim(Id("65322119701301001")), "id_birth_date", "证件号码"},
      {"future birth", "medical-claims", kClaimsHeader, Claim(Id("65322120300101001")), "id_future_birth", "证件号码"},
      // Born after the file arrived (received 2025-04-05), though before today.
      {"born after the file arrived", "medical-claims", kClaimsHeader, Claim(Id("65322120250501001")), "id_future_birth",
       "证件号码"},
      // Values
      {"enum", "medical-claims", kClaimsHeader, Claim(kAbdulla, "阿卜杜拉·艾买提", "急诊" + tail), "enum_invalid", "就诊类型"},
      // A monthly amount may name its rate, but no other.
      {"yearly rate", "social-assistance", "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n",
       kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-01,,7800元/年\n", "money_format", "月金额"},
      // A qualifier in brackets is dropped only from a known value.
      {"enum qualified", "medical-claims", kClaimsHeader, Claim(kAbdulla, "阿卜杜拉·艾买提", "急诊（住院）" + tail), "enum_invalid",
       "就诊类型"},
      {"enum only a bracket", "medical-claims", kClaimsHeader, Claim(kAbdulla, "阿卜杜拉·艾买提", "（住院）" + tail), "enum_invalid",
       "就诊类型"},
      {"value missing", "medical-claims", kClaimsHeader, Claim(kAbdulla, "阿卜杜拉·艾买提", tail), "value_missing", "就诊类型"},
      {"name empty", "medical-claims", kClaimsHeader, Claim(kAbdulla, "", "住院" + tail), "name_empty", "姓名"},
      {"date format", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,昨天,2025-03-05,1000.00,600.00,0.00,0.00,400.00"), "date_format", "入院日期"},
      {"month only", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025年3月,2025-03-05,1000.00,600.00,0.00,0.00,400.00"), "date_month_only",
       "入院日期"},
      {"space-grouped amount, groups not of 3", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,4 00"), "money_format", "个人自付"},
      {"date invalid", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-02-30,2025-03-05,1000.00,600.00,0.00,0.00,400.00"), "date_invalid", "入院日期"},
      {"serial 60", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,60,1000.00,600.00,0.00,0.00,400.00"), "date_invalid", "出院日期"},
      {"before 1900", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,1899-12-31,2025-03-05,1000.00,600.00,0.00,0.00,400.00"), "date_invalid", "入院日期"},
      {"after received", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-04-06,1000.00,600.00,0.00,0.00,400.00"),
       "date_after_received", "出院日期"},
      {"stay before the patient's birth (1970-01-01)", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,1969-12-20,1970-01-05,1000.00,600.00,0.00,0.00,400.00"),
       "date_before_birth", "入院日期"},
      {"death before birth", "household-registration", kRegistrationHeader,
       kZhang + ",张建国,死亡,1970-05-01,,\n", "date_before_birth", "变动日期"},
      {"basic insurance above the total", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,6000.00,0.00,0.00,400.00"),
       "basic_exceeds_total", "基本医保报销"},
      {"money negative", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,-5"), "money_negative", "个人自付"},
      {"money format", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,一千,600.00,0.00,0.00,400.00"), "money_format", "医疗总费用"},
      {"money precision", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,600.005,0.00,0.00,400.00"), "money_precision",
       "基本医保报销"},
      {"unquoted thousands separator", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,12,345.60,8000.00,0.00,0.00,4345.60"), "extra_cells", ""},
      {"name split at an unquoted comma", "employment", kEmploymentHeader,
       kAbdulla + ",阿卜杜拉,艾买提,就业,县内,2000,2025-03-01,,企业务工\n", "extra_cells", ""},
      {"stray quote before the name", "medical-claims", kClaimsHeader, Claim(kAbdulla, "\"阿卜杜拉·艾买提"), "unbalanced_quote",
       "姓名"},
      {"accounting zero is zero, not a dash", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,100.00, -   ,¥ -,-,400.00"),
       "selfpay_exceeds_total", "个人自付"},
      {"selfpay > total", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,100.00,0.00,0.00,0.00,400.00"),
       "selfpay_exceeds_total", "个人自付"},
      {"discharge before admission", "medical-claims", kClaimsHeader,
       Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-05,2025-03-01,1000.00,600.00,0.00,0.00,400.00"),
       "discharge_before_admission", "出院日期"},
      {"person unknown", "medical-claims", kClaimsHeader, Claim(kStranger, "无名氏"), "person_unknown", "证件号码",
       RowOutcome::kUnmatched},
      {"year below min", "medical-enrolment", kEnrolmentHeader, kAbdulla + ",阿卜杜拉·艾买提,1999,参保,\n", "integer_out_of_range", "参保年度"},
      {"year below min, full width", "medical-enrolment", kEnrolmentHeader, kAbdulla + ",阿卜杜拉·艾买提,１９９９,参保,\n", "integer_out_of_range", "参保年度"},
      {"year not whole", "medical-enrolment", kEnrolmentHeader, kAbdulla + ",阿卜杜拉·艾买提,2025.5,参保,\n", "integer_invalid", "参保年度"},
      {"year in words", "medical-enrolment", kEnrolmentHeader, kAbdulla + ",阿卜杜拉·艾买提,二〇二五,参保,\n", "integer_invalid", "参保年度"},
      {"school year", "school", kSchoolHeader, kXiaoming + ",张小明,小学,在校,2025-2027,,\n", "school_year_invalid", "学年"},
      {"school year text", "school", kSchoolHeader, kXiaoming + ",张小明,小学,在校,今年,,\n", "school_year_invalid", "学年"},
      {"end before start", "employment", kEmploymentHeader,
       kAbdulla + ",阿卜杜拉·艾买提,失业,县内,2000,2025-03-10,2025-03-01,企业务工\n", "end_before_start", "结束日期"},
      {"formula without its result", "employment", kEmploymentHeader,
       kAbdulla + ",阿卜杜拉·艾买提,就业,县内,2000,2025-03-01,\"=DATE(2025,3,31)\",企业务工\n", "formula_not_calculated", "结束日期"},
      {"formula failed", "employment", kEmploymentHeader,
       kAbdulla + ",阿卜杜拉·艾买提,就业,县内,#DIV/0!,2025-03-01,,企业务工\n", "formula_error", "月收入"},
      {"text too long", "employment", kEmploymentHeader,
       kAbdulla + ",阿卜杜拉·艾买提,就业," + Repeat("县", 301) + ",2000,2025-03-01,,企业务工\n", "text_too_long", "务工地点"},
      {"neither household nor village", "water", kWaterHeader, ",,,2025-03-10,达标,达标,达标,达标\n",
       "household_or_village_missing", "户主证件号码"},
      {"village not a village", "water", kWaterHeader, ",,653221100299,2025-03-10,达标,达标,达标,达标\n", "village_unknown",
       "村代码"},
      {"village code short", "water", kWaterHeader, ",,65322110020,2025-03-10,达标,达标,达标,达标\n", "village_code_length",
       "村代码"},
      {"village code long", "water", kWaterHeader, ",,653221100201000,2025-03-10,达标,达标,达标,达标\n",
       "village_code_length", "村代码"},
      {"village as number", "water", kWaterHeader, ",,6.53221E+11,2025-03-10,达标,达标,达标,达标\n",
       "code_spreadsheet_number", "村代码"},
      {"newborn, household unknown", "household-registration", kRegistrationHeader,
       kNewborn + ",阿依达娜,出生,2025-02-10,6532211002019999,子女\n", "household_unknown", "户编号", RowOutcome::kUnmatched},
      {"newborn without a household number", "household-registration", kRegistrationHeader,
       kNewborn + ",阿依达娜,出生,2025-02-10,,子女\n", "household_code_empty", "户编号", RowOutcome::kUnmatched},
      {"death of an unregistered person", "household-registration", kRegistrationHeader,
       kStranger + ",无名氏,死亡,2025-02-10,6532211002010001,户主\n", "person_unknown", "证件号码", RowOutcome::kUnmatched},
      {"household code invalid", "household-registration", kRegistrationHeader,
       kNewborn + ",阿依达娜,出生,2025-02-10,户6532211002010001,子女\n", "household_code_invalid", "户编号"},
  };
  int n = 0;
  for (const ProblemCase& c : cases) {
    SCOPED_TRACE(c.label);
    auto before = Totals();
    FileReport r = Import(c.kind, "case" + std::to_string(n++) + ".csv", c.header + c.row);
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    EXPECT_EQ(r.read, 1);
    EXPECT_EQ(r.accepted, 0);
    ASSERT_EQ(r.rows.size(), 1u);
    const RejectRecord& p = r.rows[0];
    EXPECT_EQ(p.kind, c.reject) << p.hint;
    EXPECT_EQ(p.outcome, c.outcome) << RowOutcomeName(p.outcome);
    EXPECT_EQ(p.column, c.column);
    EXPECT_EQ(p.line, 2);
    EXPECT_FALSE(p.hint.empty());
    EXPECT_FALSE(p.cells.empty()) << "the whole row is kept for re-export";
    EXPECT_EQ(c.outcome == RowOutcome::kRejected ? r.rejected : r.unmatched, 1);
    // The problem row is kept with the import, and no event was written.
    auto after = Totals();
    EXPECT_EQ(after[0], before[0]) << "a problem row adds no event";
    EXPECT_EQ(after[1], before[1] + 1);
    EXPECT_EQ(after[2], before[2] + 1);
    EXPECT_EQ(One("SELECT line, column_name, kind, outcome FROM rejects WHERE import_id = " + std::to_string(r.import_id)),
              "2|" + c.column + "|" + c.reject + "|" + std::string(RowOutcomeName(c.outcome)));
  }
}

// Files as departments' systems export them: other header names (aliases), a 序号 column,
// values in the departments' own words, dates and amounts as offices type them. Every row is
// taken, with nothing to reject.
TEST_F(FeedImportTest, HeadersAsDepartmentsExportThemAreRecognised) {
  struct Case {
    std::string kind, header, row;
  };
  const std::vector<Case> cases = {
      {"medical-claims", "序号,患者姓名,身份证号码,就诊类别,入院时间,出院时间,总费用,统筹支付,大病支付,医疗救助,个人负担\n",
       "1,阿卜杜拉·艾买提," + kAbdulla + ",住院治疗,2025年3月1日,2025.03.05,\"1,000.00元\",600,0,0,400\n"},
      {"medical-claims", "社会保障号码,参保人,医疗类型,就医日期,结算时间,医疗费用合计,统筹基金支出,大病保险赔付,医疗救助支出,自付金额\n",
       kAbdulla + ",阿卜杜拉·艾买提,门诊慢特病,20250302,20250302,￥356.2,200,0,0,156.2\n"},
      {"medical-enrolment", "参保人姓名,社会保障号码,缴费年度,是否参保,变更日期\n", "阿卜杜拉·艾买提," + kAbdulla + ",2025,否,2025-01-01\n"},
      {"school", "学生姓名,学生身份证号码,就读阶段,就读状态,所属学年,学费及杂费,登记日期\n",
       "张小明," + kXiaoming + ",初中,在读,2024-2025,0,2025-03-01\n"},
      {"social-assistance", "序号,户主姓名,户主身份证号码,救助类别,审批日期,停保日期,月保障金额（元）\n",
       "1,阿卜杜拉·艾买提," + kAbdulla + ",农村低保,2024/07/01,,\"1,250\"\n"},
      {"employment", "人员姓名,居民身份证号码,是否就业,务工地,月均工资,上岗日期,离岗日期,岗位类别\n",
       "阿卜杜拉·艾买提," + kAbdulla + ",是,县内,3000,2025-01-01,,公益岗\n"},
      {"household-registration", "人员姓名,公民身份证号码,变动事项,变动时间\n", "买买提·吐尔逊," + kMamatX + ",死亡注销,2025-02-01\n"},
      {"disability", "残疾人姓名,残疾人身份证号,残疾种类,残疾程度,发证时间,业务类型\n",
       "布再乃普·吐尔逊," + kBuzainap + ",肢体残疾,3级,2025-02-01,新办\n"},
      {"housing", "户主姓名,户主身份证,评定时间,鉴定等级\n", "阿卜杜拉·艾买提," + kAbdulla + ",2025-02-01,C级\n"},
      {"water", "户主姓名,户主证件号,村代码,评估时间,供水量,水质是否达标,取水方便程度,保证率\n",
       "阿卜杜拉·艾买提," + kAbdulla + ",653221100201,2025-02-01,是,是,否,是\n"},
      {"disaster", "户主姓名,身份证,灾种,受灾时间,经济损失金额,受灾等级\n", "张建国," + kZhang + ",洪水,2025-02-01,5000,较重\n"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.kind + ": " + c.header);
    FileReport r = Import(c.kind, "export" + std::to_string(n++) + ".csv", c.header + c.row);
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    EXPECT_EQ(r.read, 1);
    EXPECT_EQ(r.accepted, 1) << (r.rows.empty() ? "" : r.rows[0].kind + ": " + r.rows[0].hint);
    EXPECT_EQ(r.flagged, 0) << "no remark (a name that differs, say)";
  }
}

TEST_F(FeedImportTest, ProblemLinesAreFileLinesUnderTitleRows) {
  // A title row and a blank row above the header: the problem's line is the file's line.
  FileReport r = Import("medical-claims", "title.csv",
                        "2025年3月医保高额自付名单,,,,,,,,,\n,,,,,,,,,\n" + std::string(kClaimsHeader) + Claim() +
                            Claim(kStranger, "无名氏"));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 1);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 5);
}

// A header over two rows, as a merged header is saved as CSV (费用情况（元） over the amounts,
// the other columns named above): read as one, the data below it; a beneficiary whose ID number
// is missing is rejected, though its amounts are the sums of the rows above (no total).
TEST_F(FeedImportTest, AHeaderOverTwoRowsAndARowThatOnlyAddsUp) {
  FileReport r = Import("medical-claims", "two-rows.csv",
                        "2025年3月医保高额自付名单,,,,,,,,,,\n"
                        "序号,身份证号,姓名,医疗类别,入院日期,出院日期,费用情况（元）,,,,\n"
                        ",,,,,,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n"
                        "1," + Claim() + "2," + Claim(kLi, "李秀兰", "住院,2025-03-02,2025-03-06,1000.00,600.00,0.00,0.00,400.00") +
                        "3," + Claim("", "张建国", "住院,2025-03-02,2025-03-06,2000.00,1200.00,0.00,0.00,800.00"));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, 3);
  EXPECT_EQ(r.accepted, 2);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 6);
  EXPECT_EQ(r.rows[0].kind, "value_missing");
  EXPECT_EQ(r.total_rows_skipped, 0);
}

// Notes that offices write under the table are neither data nor problems; a CSV row that split
// at an unquoted comma is refused whole (its amounts would sit under the wrong columns).
TEST_F(FeedImportTest, NotesUnderTheTableAreSkippedAndShiftedRowsRefused) {
  FileReport r = Import("medical-claims", "notes.csv",
                        std::string(kClaimsHeader) + Claim() +
                            Claim(kLi, "李秀兰", "住院,2025-03-02,2025-03-06,\"1,800.00\",500.00,0.00,0.00,300.00") +
                            Claim(kZhang, "张建国", "住院,2025-03-02,2025-03-06,1,800.00,500.00,0.00,0.00,300.00") +
                            "合计,,,,,3800.00,,,,\n制表人：张三,,审核人：李四,,,,,,,\n"
                            "注：本表数据截至2025年3月31日。,,,,,,,,,\n填表人：买买提 联系电话：13899999999\n");
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, 3) << "the notes and the total are not data rows";
  EXPECT_EQ(r.accepted, 2) << "a quoted thousands separator is fine";
  EXPECT_EQ(r.total_rows_skipped, 1);
  EXPECT_EQ(r.note_rows_skipped, 3);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 4);
  EXPECT_EQ(r.rows[0].kind, "extra_cells");
  EXPECT_NE(r.rows[0].hint.find("column 11"), std::string::npos) << r.rows[0].hint;
  EXPECT_NE(r.rows[0].hint.find("300.00"), std::string::npos) << r.rows[0].hint;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rejects WHERE raw LIKE '%张三%' OR raw LIKE '%1389%'"), 0)
      << "notes (and the phone number in one) are not kept as rejects";

  // The header repeated (on each printed page, or above a second part of the list) and a
  // section's title are not data rows either.
  FileReport parts = Import("medical-claims", "parts.csv",
                            "一、住院,,,,,,,,,\n" + std::string(kClaimsHeader) + Claim(kBuzainap, "布再乃普·吐尔逊") + "二、门诊,,,,,,,,,\n" +
                                kClaimsHeader + Claim(kLi, "李秀兰", "门诊,2025-03-02,2025-03-02,180.00,100.00,0.00,0.00,80.00"));
  ASSERT_TRUE(parts.refusal.ok()) << parts.refusal.ToString();
  EXPECT_EQ(parts.read, 2);
  EXPECT_EQ(parts.accepted, 2) << (parts.rows.empty() ? "" : parts.rows[0].hint);
  EXPECT_EQ(parts.header_rows_skipped, 1);
  EXPECT_EQ(parts.note_rows_skipped, 1) << "the first title is above the header, the second one counts";
}

// An empty cell's hint says what belongs there in words, not the definition's type names.
TEST_F(FeedImportTest, AnEmptyCellSaysWhatBelongsThere) {
  const struct {
    std::string row;
    std::string column, says;
  } cases[] = {
      {",阿卜杜拉·艾买提,住院,2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,400.00\n", "证件号码", "18-character resident ID"},
      {Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,,2025-03-05,1000.00,600.00,0.00,0.00,400.00"), "入院日期", "such as 2025-03-05"},
      {Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,,600.00,0.00,0.00,400.00"), "医疗总费用", "amount in yuan"},
  };
  int n = 0;
  for (const auto& c : cases) {
    FileReport r = Import("medical-claims", "empty" + std::to_string(n++) + ".csv", kClaimsHeader + c.row);
    ASSERT_EQ(r.rows.size(), 1u) << c.column;
    EXPECT_EQ(r.rows[0].kind, "value_missing");
    EXPECT_EQ(r.rows[0].column, c.column);
    EXPECT_NE(r.rows[0].hint.find(c.says), std::string::npos) << r.rows[0].hint;
    for (const char* type_name : {": id", ": date", ": money"}) EXPECT_EQ(r.rows[0].hint.find(type_name), std::string::npos);
  }
}

TEST_F(FeedImportTest, AWholeNumberMayCarryItsUnit) {
  FileReport r = Import("medical-enrolment", "units.csv",
                        std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2025年,已参保,2025-01-01\n" +
                            kLi + ",李秀兰,2025 年度,已参保,2025-01-01\n" + kZhang + ",张建国,年,已参保,2025-01-01\n");
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 2);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 4) << "a unit alone is no number";
  EXPECT_EQ(r.rows[0].kind, "integer_invalid");
}

// Text files as other programs save them: tab- or semicolon-separated under a .csv name are read
// as such; UTF-16 ("Unicode 文本") and an empty file are refused saying so.
TEST_F(FeedImportTest, TextLayoutsAreRecognisedOrNamed) {
  auto with = [](char sep, std::string text) {
    std::replace(text.begin(), text.end(), ',', sep);
    return text;
  };
  const std::string rows = std::string(kClaimsHeader) + Claim() + Claim(kLi, "李秀兰");
  for (char sep : {'\t', ';'}) {
    FileReport r = Import("medical-claims", std::string("sep") + (sep == ';' ? "semi" : "tab") + ".csv", with(sep, rows));
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    EXPECT_EQ(r.read, 2) << sep;
    EXPECT_EQ(r.accepted + r.duplicate, 2) << sep << (r.rows.empty() ? "" : r.rows[0].kind + " " + r.rows[0].hint);
  }
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("a,b\n")) utf16 += std::string{c, '\0'};
  FileReport u = Import("medical-claims", "unicode.csv", utf16);
  EXPECT_EQ(u.refusal.kind(), "encoding_utf16");
  EXPECT_NE(u.refusal.message().find("UTF-16"), std::string::npos);
  FileReport empty = Import("medical-claims", "empty.csv", "");
  EXPECT_EQ(empty.refusal.kind(), "missing_columns");
  EXPECT_NE(empty.refusal.message().find("is empty"), std::string::npos) << empty.refusal.message();
}

// Every problem of a row is told at once: the first is the row's kind and column, the others
// follow in its hint (a department then corrects the row in one go).
TEST_F(FeedImportTest, EveryProblemOfARowIsToldAtOnce) {
  const std::string bad_check = kAbdulla.substr(0, 17) + (kAbdulla[17] == '1' ? "2" : "1");
  FileReport r = Import("medical-claims", "many.csv",
                        std::string(kClaimsHeader) + Claim(bad_check, "阿卜杜拉·艾买提", "急诊,2025-02-30,2025-03-05,abc,0,0,0,0") +
                            Claim(kLi, "李秀兰", "住院,2025-03-06,2025-03-02,100.00,0.00,0.00,0.00,300.00"));
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].kind, "id_checksum");
  EXPECT_EQ(r.rows[0].column, "证件号码");
  for (const char* also : {"Also in this row", "[就诊类型]", "[入院日期]", "[医疗总费用]"}) {
    EXPECT_NE(r.rows[0].hint.find(also), std::string::npos) << also << ": " << r.rows[0].hint;
  }
  EXPECT_EQ(r.rows[1].kind, "selfpay_exceeds_total");
  EXPECT_NE(r.rows[1].hint.find("[出院日期]"), std::string::npos) << "discharge before admission too: " << r.rows[1].hint;
  EXPECT_EQ(r.rejected, 2);
}

TEST_F(FeedImportTest, EachRowEndsAsExactlyOneOutcome) {
  // Line 2 accepted, 3 flagged (name differs), 4 rejected, 5 unmatched, 6 duplicate of 2.
  FileReport r = Import("medical-claims", "mixed.csv",
                        std::string(kClaimsHeader) + Claim() +
                            Claim(kLi, "李秀英", "住院,2025-03-02,2025-03-06,800.00,500.00,0.00,0.00,300.00") +
                            Claim(kZhang, "张建国", "住院,2025-03-02,2025-03-06,100.00,0.00,0.00,0.00,300.00") +
                            Claim(kStranger, "无名氏") + Claim());
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, 5);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.inserted, 2);
  EXPECT_EQ(r.flagged, 1);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.unmatched, 1);
  EXPECT_EQ(r.duplicate, 1);
  EXPECT_EQ(r.flagged_by_kind["name_mismatch"], 1);
  EXPECT_EQ(r.rejected_by_kind["selfpay_exceeds_total"], 1);
  ASSERT_EQ(r.rows.size(), 4u);
  const struct {
    int64_t line;
    RowOutcome outcome;
    const char* kind;
    const char* column;
  } want[] = {{3, RowOutcome::kFlagged, "name_mismatch", "姓名"},
              {4, RowOutcome::kRejected, "selfpay_exceeds_total", "个人自付"},
              {5, RowOutcome::kUnmatched, "person_unknown", "证件号码"},
              {6, RowOutcome::kDuplicate, "duplicate_row", ""}};
  for (size_t i = 0; i < r.rows.size(); ++i) {
    SCOPED_TRACE(want[i].kind);
    EXPECT_EQ(r.rows[i].line, want[i].line);
    EXPECT_EQ(r.rows[i].outcome, want[i].outcome);
    EXPECT_EQ(r.rows[i].kind, want[i].kind);
    EXPECT_EQ(r.rows[i].column, want[i].column);
  }
  EXPECT_NE(r.rows[0].hint.find("李秀兰"), std::string::npos) << "names the registered name: " << r.rows[0].hint;
  EXPECT_NE(r.rows[3].hint.find("line 2"), std::string::npos) << "names the first line: " << r.rows[3].hint;
  std::string id = std::to_string(r.import_id);
  // Accepted rows (flagged included) are events, linked to their household; nothing else is.
  EXPECT_EQ(Rows("SELECT e.source_line, h.household_code, e.person_id_number FROM events e JOIN households h ON "
                 "h.id = e.household_id WHERE e.import_id = " + id + " ORDER BY e.source_line"),
            (std::vector<std::string>{"2|6532211002010001|" + kAbdulla, "3|6532211002020001|" + kLi}));
  // Problem rows as stored, by outcome, and the import's counts.
  EXPECT_EQ(Rows("SELECT line, outcome FROM rejects WHERE import_id = " + id + " ORDER BY line"),
            (std::vector<std::string>{"3|flagged", "4|rejected", "5|unmatched", "6|duplicate"}));
  EXPECT_EQ(One("SELECT read_rows, accepted, rejected, unmatched, duplicate, flagged FROM imports WHERE id = " + id),
            "5|2|1|1|1|1");
  // The import's area: the smallest area holding both households (two villages of one township).
  auto rec = store_->GetImport(r.import_id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->area_code, "653221100");
  EXPECT_EQ(rec->status, "committed");
}

// `hearth imports --area`: a file is listed under the areas of the villages its linked rows
// concern (accepted, or a duplicate or a conflict found once linked), not under every area
// inside the smallest area holding them all, which it still shows; a file that linked no row,
// under every area.
TEST_F(FeedImportTest, AFileIsListedUnderTheAreasOfItsVillages) {
  std::vector<Area> areas = testing::HotanAreas();
  areas.push_back({"653221202", "英阿瓦提乡", AreaLevel::kTownship, "653221"});
  areas.push_back({"653221202201", "欧亚勒艾日克村委会", AreaLevel::kVillage, "653221202"});
  areas.push_back({"653222", "墨玉县", AreaLevel::kCounty, "6532"});
  areas.push_back({"653222100", "喀拉喀什镇", AreaLevel::kTownship, "653222"});
  areas.push_back({"653222100201", "巴什阿特巴什村委会", AreaLevel::kVillage, "653222100"});
  ASSERT_TRUE(store_->LoadAreas(areas).ok());
  const std::string tursun = Id("65322219800101001");  // head of 6532221002010001, 墨玉县
  const std::string wang = Id("65322119810101002");    // head of 6532212022010001, 和田县 英阿瓦提乡
  fs::create_directories(dir_ / "reg2");
  std::ofstream(dir_ / "reg2" / "家庭.csv", std::ios::binary)
      << "户编号,村代码,户类型,脱贫年度\n6532221002010001,653222100201,一般农户,\n6532212022010001,653221202201,一般农户,\n";
  std::ofstream(dir_ / "reg2" / "家庭成员.csv", std::ios::binary)
      << "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,残疾等级,务工月数\n"
      << "6532221002010001,吐尔逊·阿力," << tursun << ",户主,健康,普通劳动力,非在校,是,,\n"
      << "6532212022010001,王强," << wang << ",户主,健康,普通劳动力,非在校,是,,\n";
  RegistryImportOptions ro;
  ro.clock = &clock_;
  ro.received = Date::FromCivil(2025, 1, 3);
  auto reg = ImportRegistry(*store_, dir_ / "reg2", ro);
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  for (const FileReport& f : reg->files) ASSERT_EQ(f.rejected, 0) << (f.rows.empty() ? "" : f.rows[0].hint);

  const std::string bad_check = kAbdulla.substr(0, 17) + (kAbdulla[17] == '1' ? "2" : "1");
  const struct {
    const char* label;
    std::string rows;
    std::string area;  // shown
    std::vector<std::string> villages;
  } files[] = {
      {"two counties", Claim() + Claim(tursun, "吐尔逊·阿力"), "6532", {"653221100201", "653222100201"}},
      {"a county's file", Claim(kLi, "李秀兰") + Claim(wang, "王强"), "653221", {"653221100202", "653221202201"}},
      {"every row rejected or unmatched", Claim(bad_check) + Claim(kStranger, "无名氏"), "", {}},
      {"every row a duplicate", Claim(), "653221100201", {"653221100201"}},  // its rows' area, not 未关联
      {"both rows in conflict",
       Claim(kZhang, "张建国") + Claim(kZhang, "张建国", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"),
       "653221100201",  // the first row's, taken before the second contradicted it
       {"653221100201"}},
  };
  std::map<int64_t, std::string> label_of;
  for (const auto& f : files) {
    SCOPED_TRACE(f.label);
    FileReport r = Import("medical-claims", std::string(f.label) + ".csv", kClaimsHeader + f.rows);
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    label_of[r.import_id] = f.label;
    auto rec = store_->GetImport(r.import_id);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    EXPECT_EQ(rec->area_code, f.area);
    EXPECT_EQ(Rows("SELECT village_code FROM import_villages WHERE import_id = " + std::to_string(r.import_id) +
                   " ORDER BY village_code"),
              f.villages);
  }
  const struct {
    std::string area;
    std::vector<std::string> listed;  // newest first
  } cases[] = {
      {"653221", {"both rows in conflict", "every row a duplicate", "every row rejected or unmatched", "a county's file",
                  "two counties"}},
      {"653222", {"every row rejected or unmatched", "two counties"}},
      {"653223", {"every row rejected or unmatched"}},  // a third county
      // The county's file has no row in this village, though the village is in its area.
      {"653221100201", {"both rows in conflict", "every row a duplicate", "every row rejected or unmatched",
                        "two counties"}},
      {"653221202201", {"every row rejected or unmatched", "a county's file"}},
      {"653221100", {"both rows in conflict", "every row a duplicate", "every row rejected or unmatched",
                     "a county's file", "two counties"}},
  };
  for (const auto& c : cases) {
    auto imports = store_->ListImports({"medical-claims", c.area});
    ASSERT_TRUE(imports.ok()) << imports.status().ToString();
    std::vector<std::string> listed;
    for (const ImportRecord& i : *imports) listed.push_back(label_of[i.id]);
    EXPECT_EQ(listed, c.listed) << c.area;
  }
}

TEST_F(FeedImportTest, NameMismatchIsAcceptedAndFlagged) {
  FileReport r = Import("disability", "d.csv", std::string(kDisabilityHeader) + kBuzainap + ",布再乃普·吐尔孙,肢体,二级,2025-03-01,新办\n");
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.flagged, 1);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].outcome, RowOutcome::kFlagged);
  EXPECT_EQ(r.rows[0].kind, "name_mismatch");
  EXPECT_EQ(r.rows[0].column, "姓名");
  EXPECT_EQ(r.rows[0].line, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(r.import_id) +
                  " AND person_id_number = '" + kBuzainap + "'"),
            1);
}

TEST_F(FeedImportTest, DamagedIdColumnRejectsEveryIdEndingIn000) {
  // One real ID ending in 000 in a sound file: accepted.
  FileReport sound = Import("medical-claims", "sound.csv",
                            std::string(kClaimsHeader) + Claim(kXiaoming, "张小明") + Claim(kLi, "李秀兰") +
                                Claim(kZhang, "张建国"));
  ASSERT_TRUE(sound.refusal.ok());
  EXPECT_EQ(sound.accepted, 3) << (sound.rows.empty() ? "" : sound.rows[0].hint);
  // Four of seven IDs end in 000: the column was truncated, so every such ID is refused, the
  // registered one and those whose check character happens to fit included.
  std::string text = std::string(kClaimsHeader);
  for (const std::string& z : kZeros) text += Claim(z, "某某", "住院,2025-03-07,2025-03-09,500.00,300.00,0.00,0.00,200.00");
  text += Claim(kXiaoming, "张小明", "住院,2025-03-07,2025-03-09,500.00,300.00,0.00,0.00,200.00");
  text += Claim(kLi, "李秀兰", "住院,2025-03-07,2025-03-09,500.00,300.00,0.00,0.00,200.00");
  text += Claim(kZhang, "张建国", "住院,2025-03-07,2025-03-09,500.00,300.00,0.00,0.00,200.00");
  text += Claim(kMamatX, "买买提·吐尔逊", "住院,2025-03-07,2025-03-09,500.00,300.00,0.00,0.00,200.00");
  FileReport damaged = Import("medical-claims", "damaged.csv", text);
  ASSERT_TRUE(damaged.refusal.ok());
  EXPECT_EQ(damaged.accepted, 3);
  EXPECT_EQ(damaged.rejected, 4);
  ASSERT_EQ(damaged.rows.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(damaged.rows[i].line, static_cast<int64_t>(i) + 2);
    EXPECT_EQ(damaged.rows[i].kind, "id_spreadsheet_number") << damaged.rows[i].hint;
    EXPECT_EQ(damaged.rows[i].column, "证件号码");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(damaged.import_id) +
                  " AND person_id_number LIKE '%000'"),
            0);
}

// A short list whose every ID ends in 000 was cut off too: a registered ID that the cut happens
// to produce (check character included) is refused, not linked to that person.
TEST_F(FeedImportTest, ShortListWhoseEveryIdEndsIn000IsDamaged) {
  const struct {
    std::vector<std::string> ids;
    int64_t accepted, rejected;
  } cases[] = {{{kXiaoming, kZeros[0]}, 0, 2}, {{kXiaoming}, 1, 0}, {{kXiaoming, kLi}, 2, 0}, {{kXiaoming, kXiaoming}, 1, 0}};
  int n = 0;
  for (const auto& c : cases) {
    std::string text = kClaimsHeader;
    const std::string tail = "住院,2025-04-0" + std::to_string(n + 1) + ",2025-04-09,500.00,300.00,0.00,0.00,200.00";
    for (const std::string& id : c.ids) text += Claim(id, "某某", tail);
    FileReport r = Import("medical-claims", "short" + std::to_string(n++) + ".csv", text, Date::FromCivil(2025, 4, 20));
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    EXPECT_EQ(r.accepted, c.accepted) << c.ids.size();
    EXPECT_EQ(r.rejected, c.rejected) << c.ids.size();
    for (const RejectRecord& row : r.rows) {
      if (row.outcome == RowOutcome::kRejected) {
        EXPECT_EQ(row.kind, "id_spreadsheet_number") << row.hint;
      }
    }
  }
}

// An Excel export pads the header with an empty cell above a column of remarks: the remark is
// not a cell the header lacks (as a comma left unquoted would make one).
TEST_F(FeedImportTest, RemarkUnderAnEmptyHeaderCellIsNotAShiftedRow) {
  std::string header = kClaimsHeader;
  header.insert(header.size() - 1, ",");
  FileReport r = Import("medical-claims", "remark.csv",
                        header + Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,600.00,0.00,0.00,400.00,已出院") +
                            Claim(kLi, "李秀兰", "住院,2025-03-02,2025-03-06,800.00,500.00,0.00,0.00,300.00,") +
                            Claim(kZhang, "张建国", "住院,2025-03-02,2025-03-06,1,800.00,500.00,0.00,0.00,300.00"));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 2);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 4);
  EXPECT_EQ(r.rows[0].kind, "extra_cells") << "a cell beyond the padded header still is";
}

// An Excel export pads every row with empty cells: a name split at an unquoted comma shifts text
// under a padded header cell, which only the row's width (one cell more than the rows have)
// tells from a remark there. Rows with trailing empty cells are sound.
TEST_F(FeedImportTest, ARowWiderThanTheRowsIsShiftedEvenUnderAPaddedHeader) {
  std::string header = kEmploymentHeader;
  header.insert(header.size() - 1, ",,");
  FileReport r = Import("employment", "padded.csv",
                        header + kAbdulla + ",阿卜杜拉·艾买提,就业,县内,2000,2025-03-01,,企业务工,,\n" +
                            kLi + ",李秀兰,就业,县内,1800,2025-03-01,,企业务工,已核实,\n" +
                            kZhang + ",张,建国,就业,县内,1500,2025-03-01,,企业务工,,\n" +
                            kBuzainap + ",布再乃普·吐尔逊,就业,县内,1500,2025-03-01,,企业务工,,,,,\n");
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 3);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 4);
  EXPECT_EQ(r.rows[0].kind, "extra_cells");
  EXPECT_NE(r.rows[0].hint.find("This row has 9 cells, but the header has 8 (column 9 holds \"企业务工\")"), std::string::npos)
      << r.rows[0].hint;
}

// A totals row without a label (全县 where the ID number would be) holds the sums of the
// claims above: skipped and counted, as a 合计 row. A row whose figures are not the sums stays a
// data row and is rejected for its missing ID number. A stray quote rejects its own row only.
TEST_F(FeedImportTest, ATotalsRowWithoutALabelIsToldByItsSums) {
  const std::string rows = std::string(kClaimsHeader) + Claim() +
                           Claim(kLi, "李秀兰", "住院,2025-03-02,2025-03-06,800.00,500.00,0.00,0.00,300.00") +
                           Claim(kBuzainap, "\"布再乃普·吐尔逊", "住院,2025-03-02,2025-03-06,999.00,500.00,0.00,0.00,499.00") +
                           Claim(kZhang, "张建国", "门诊,2025-03-02,2025-03-02,180.00,100.00,0.00,0.00,80.00");
  FileReport r = Import("medical-claims", "sums.csv", rows + ",全县,,,,1980.00,1200.00,0.00,0.00,780.00\n");
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, 4);
  EXPECT_EQ(r.accepted, 3);
  EXPECT_EQ(r.total_rows_skipped, 1);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 4);
  EXPECT_EQ(r.rows[0].kind, "unbalanced_quote");

  FileReport off = Import("medical-claims", "not_sums.csv", rows + ",全县,,,,1980.00,1200.00,0.00,0.00,700.00\n");
  ASSERT_TRUE(off.refusal.ok()) << off.refusal.ToString();
  EXPECT_EQ(off.read, 5);
  EXPECT_EQ(off.total_rows_skipped, 0);
  ASSERT_EQ(off.rows.size(), 2u);
  EXPECT_EQ(off.rows[1].line, 6);
  EXPECT_EQ(off.rows[1].column, "证件号码");
}

// The same fact twice in one file is a duplicate; under a name other than the registry's it is
// not called identical: the hint names both names and the likely copied ID number.
TEST_F(FeedImportTest, SameFactTwiceInOneFileUnderAnotherNameSaysSo) {
  FileReport r = Import("medical-claims", "dup.csv",
                        std::string(kClaimsHeader) + Claim() + Claim() + Claim(kAbdulla, "张三"));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.duplicate, 2);
  ASSERT_EQ(r.rows.size(), 2u);
  const struct {
    int64_t line;
    std::vector<std::string> in_hint, not_in_hint;
  } want[] = {{3, {"line 2", "The same as"}, {"张三"}},
              {4, {"line 2", "\"张三\"", "阿卜杜拉·艾买提", "copied"}, {"The same as"}}};
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.rows[i].line, want[i].line);
    EXPECT_EQ(r.rows[i].outcome, RowOutcome::kDuplicate);
    for (const std::string& part : want[i].in_hint) EXPECT_NE(r.rows[i].hint.find(part), std::string::npos) << r.rows[i].hint;
    for (const std::string& part : want[i].not_in_hint) EXPECT_EQ(r.rows[i].hint.find(part), std::string::npos) << r.rows[i].hint;
  }
}

TEST_F(FeedImportTest, SameKeyTwiceInOneFileWithDifferentValuesRejectsBothLines) {
  FileReport r = Import("medical-claims", "conflict.csv",
                        std::string(kClaimsHeader) + Claim() + Claim(kLi, "李秀兰") +
                            Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, 3);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.rejected, 2);
  EXPECT_EQ(r.rejected_by_kind["key_conflict"], 2);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].line, 2);
  EXPECT_EQ(r.rows[1].line, 4);
  for (const RejectRecord& p : r.rows) {
    EXPECT_EQ(p.kind, "key_conflict");
    EXPECT_EQ(p.outcome, RowOutcome::kRejected);
    EXPECT_NE(p.hint.find("line 2 and line 4"), std::string::npos) << "each names both lines: " << p.hint;
  }
  std::string id = std::to_string(r.import_id);
  EXPECT_EQ(Rows("SELECT person_id_number FROM events WHERE import_id = " + id),
            (std::vector<std::string>{kLi}))
      << "neither conflicting row becomes an event";
  EXPECT_EQ(Rows("SELECT line, kind FROM rejects WHERE import_id = " + id + " ORDER BY line"),
            (std::vector<std::string>{"2|key_conflict", "4|key_conflict"}));
  EXPECT_EQ(One("SELECT accepted, rejected FROM imports WHERE id = " + id), "1|2");
}

TEST_F(FeedImportTest, ThirdRowOfAConflictingKeyIsRejectedToo) {
  FileReport r = Import("medical-claims", "conflict3.csv",
                        std::string(kClaimsHeader) + Claim() +
                            Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00") +
                            Claim());
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.rejected, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(r.import_id)), 0);
  // Line 4 repeats line 2, but lines 2 and 3 disagree: line 4's hint names both, not line 2 alone.
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[2].line, 4);
  EXPECT_NE(r.rows[2].hint.find("line 4 is the same record"), std::string::npos) << r.rows[2].hint;
  EXPECT_NE(r.rows[2].hint.find("as line 2, line 3,"), std::string::npos) << r.rows[2].hint;
  // The first row of the conflict, decided once every row was read, names both others.
  EXPECT_EQ(r.rows[0].line, 2);
  EXPECT_NE(r.rows[0].hint.find("line 2 is the same record"), std::string::npos) << r.rows[0].hint;
  EXPECT_NE(r.rows[0].hint.find("as line 3, line 4,"), std::string::npos) << r.rows[0].hint;
}

// Line 3 repeats line 2 exactly, then line 4 contradicts both: line 3 is part of the conflict,
// not a "duplicate" (that would tell the department the fact is in). A repeat with no conflict
// stays a duplicate, listed with its whole row.
TEST_F(FeedImportTest, RepeatOfARowThatALaterRowContradictsIsInTheConflict) {
  const std::string other = "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00";
  FileReport r = Import("medical-claims", "repeat-conflict.csv",
                        std::string(kClaimsHeader) + Claim() + Claim() + Claim(kAbdulla, "阿卜杜拉·艾买提", other) +
                            Claim(kLi, "李秀兰") + Claim(kLi, "李秀兰"));
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.rejected, 3);
  EXPECT_EQ(r.duplicate, 1);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[1].line, 3);
  EXPECT_EQ(r.rows[1].kind, "key_conflict");
  EXPECT_EQ(r.rows[1].outcome, RowOutcome::kRejected);
  EXPECT_NE(r.rows[1].hint.find("line 2, line 4"), std::string::npos) << r.rows[1].hint;
  EXPECT_EQ(r.rows[3].line, 6);
  EXPECT_EQ(r.rows[3].outcome, RowOutcome::kDuplicate);
  EXPECT_FALSE(r.rows[3].cells.empty());
  EXPECT_EQ(Rows("SELECT line || ':' || kind || ':' || outcome FROM rejects WHERE import_id = " + std::to_string(r.import_id) +
                 " ORDER BY line"),
            (std::vector<std::string>{"2:key_conflict:rejected", "3:key_conflict:rejected", "4:key_conflict:rejected",
                                      "6:duplicate_row:duplicate"}));
}

// Rows are looked up a batch at a time (4,096 rows); a file of several batches must come out as
// if each row were taken alone: a key repeated across batches or within one, a conflict whose
// two lines lie in different batches.
TEST_F(FeedImportTest, RowsAcrossBatchesDecideAsIfTakenOneByOne) {
  constexpr int kRows = 9000;
  auto claim = [](int i, int64_t selfpay_fen) {
    // A distinct key per i (the total), 阿卜杜拉 and 李秀兰 in turn.
    int64_t total = 100000 + i;
    return Claim(i % 2 == 0 ? kAbdulla : kLi, i % 2 == 0 ? "阿卜杜拉·艾买提" : "李秀兰",
                 fmt::format("门诊,2025-03-01,2025-03-01,{}.{:02},0.00,0.00,0.00,{}.{:02}", total / 100, total % 100,
                             selfpay_fen / 100, selfpay_fen % 100));
  };
  std::string text = kClaimsHeader;
  for (int i = 0; i < kRows; ++i) text += claim(i, 100000 + i);  // lines 2 .. 9001
  text += claim(0, 5000);        // line 9002: row 0 (line 2, batch 1) with other values: a conflict
  text += claim(5000, 105000);   // line 9003: row 5000 (line 5002, batch 2) again: an in-file duplicate
  text += claim(8999, 108999);   // line 9004: the last row of the same batch again, same values
  FileReport r = Import("medical-claims", "many.csv", text);
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, kRows + 3);
  EXPECT_EQ(r.accepted, kRows - 1);
  EXPECT_EQ(r.rejected_by_kind["key_conflict"], 2);
  EXPECT_EQ(r.duplicate, 2);
  std::vector<int64_t> problem_lines;
  for (const RejectRecord& row : r.rows) problem_lines.push_back(row.line);
  EXPECT_EQ(problem_lines, (std::vector<int64_t>{2, 9002, 9003, 9004}));
  const std::string id = std::to_string(r.import_id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + id), kRows - 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + id + " AND source_line = 2"), 0);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT event_key) FROM events WHERE import_id = " + id), kRows - 1);

  // The same file again under another name (other bytes): every accepted row a known fact.
  FileReport again = Import("medical-claims", "many-again.csv", text + "\n");
  ASSERT_TRUE(again.refusal.ok()) << again.refusal.ToString();
  EXPECT_EQ(again.accepted, 0);
  EXPECT_EQ(again.duplicate, kRows - 1 + 2);
  EXPECT_EQ(again.rejected_by_kind["key_conflict"], 2);
}

// A person dies once: 公安's later file with another date for the death corrects it (one death in
// force); one file giving two dates is a conflict. Moves may repeat, each on its date.
TEST_F(FeedImportTest, ADeathIsOneFactWhateverItsDate) {
  const std::string header(kRegistrationHeader);
  FileReport first = Import("household-registration", "feb.csv", header + kLi + ",李秀兰,死亡,2025-02-10,,\n",
                            Date::FromCivil(2025, 3, 5));
  ASSERT_EQ(first.inserted, 1) << (first.rows.empty() ? "" : first.rows[0].hint);
  FileReport fix = Import("household-registration", "mar.csv", header + kLi + ",李秀兰,死亡注销,2025-02-12,,\n",
                          Date::FromCivil(2025, 4, 5));
  EXPECT_EQ(fix.inserted, 0);
  EXPECT_EQ(fix.updated, 1) << (fix.rows.empty() ? "" : fix.rows[0].hint);
  const std::string in_force = "SELECT e.payload FROM events e WHERE e.type = 'registration.change' AND "
                               "e.person_id_number = '" + kLi +
                               "' AND NOT EXISTS (SELECT 1 FROM events s WHERE s.supersedes = e.id)";
  const std::vector<std::string> deaths = Rows(in_force);
  ASSERT_EQ(deaths.size(), 1u);
  EXPECT_NE(deaths[0].find("2025-02-12"), std::string::npos) << deaths[0];

  FileReport two = Import("household-registration", "two.csv",
                          header + kZhang + ",张建国,死亡,2025-03-01,,\n" + kZhang + ",张建国,死亡,2025-03-02,,\n",
                          Date::FromCivil(2025, 4, 5));
  EXPECT_EQ(two.accepted, 0);
  EXPECT_EQ(two.rejected_by_kind["key_conflict"], 2);

  FileReport moves = Import("household-registration", "moves.csv",
                            header + kAbdulla + ",阿卜杜拉·艾买提,迁出,2025-01-10,,\n" + kAbdulla +
                                ",阿卜杜拉·艾买提,迁出,2025-03-10,,\n",
                            Date::FromCivil(2025, 4, 5));
  EXPECT_EQ(moves.inserted, 2) << (moves.rows.empty() ? "" : moves.rows[0].hint);
}

// A registration change places a person not registered; a later row of the same file about that
// person links through it, even within one batch.
TEST_F(FeedImportTest, RowAboutAPersonPlacedEarlierInTheSameFileLinks) {
  FileReport r = Import("household-registration", "feb.csv",
                        std::string(kRegistrationHeader) + kNewborn + ",阿依达娜·艾尼瓦尔,出生登记,2025-02-10,6532211002010004,子女\n" +
                            kNewborn + ",阿依达娜·艾尼瓦尔,死亡,2025-02-20,,\n",
                        Date::FromCivil(2025, 3, 5));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 2) << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(r.unmatched, 0);
  EXPECT_EQ(Rows("SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id WHERE e.import_id = " +
                 std::to_string(r.import_id) + " ORDER BY e.source_line"),
            (std::vector<std::string>{"6532211002010004", "6532211002010004"}));
}

// A province may define a registration feed whose key does not name the person. Then one row's
// conflict can retract another person's placement that a later row relies on: such a feed is
// decided row by row, and the later row is unmatched, as it must be.
TEST_F(FeedImportTest, RegistrationFeedKeyedWithoutThePersonDecidesRowByRow) {
  FeedSpec spec = Spec("household-registration");
  auto field = [&](std::string_view name) {
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      if (spec.fields[i].name == name) return static_cast<int>(i);
    }
    ADD_FAILURE() << "no field " << name;
    return -1;
  };
  spec.key = {field("change"), field("changed")};
  spec.key_when.clear();
  specs_["household-registration"] = spec;
  FileReport r = Import("household-registration", "feb.csv",
                        std::string(kRegistrationHeader) +
                            kNewborn + ",阿依达娜·艾尼瓦尔,出生登记,2025-02-10,6532211002010004,子女\n" +  // placed
                            kStranger + ",古丽,出生登记,2025-02-10,6532211002020002,子女\n" +  // same key: conflict
                            kNewborn + ",阿依达娜·艾尼瓦尔,死亡,2025-02-20,,\n",  // the placement is gone
                        Date::FromCivil(2025, 3, 5));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.rejected_by_kind["key_conflict"], 2);
  EXPECT_EQ(r.unmatched, 1);
}

TEST_F(FeedImportTest, CorrectionInALaterFileSupersedesAndKeepsTheEarlierEvent) {
  FileReport first = Import("medical-claims", "march.csv", std::string(kClaimsHeader) + Claim() + Claim(kLi, "李秀兰"));
  ASSERT_EQ(first.accepted, 2);
  int64_t old_id = Count("SELECT id FROM events WHERE import_id = " + std::to_string(first.import_id) +
                         " AND person_id_number = '" + kAbdulla + "'");
  std::string old_payload = One("SELECT payload FROM events WHERE id = " + std::to_string(old_id));
  EXPECT_NE(old_payload.find("\"selfpay\":40000"), std::string::npos) << old_payload;

  // Same key (ID, admission, discharge, total), new values; 李秀兰's row repeated as it was.
  FileReport second = Import("medical-claims", "march-corrected.csv",
                             std::string(kClaimsHeader) +
                                 Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00") +
                                 Claim(kLi, "李秀兰"),
                             Date::FromCivil(2025, 5, 5));
  ASSERT_TRUE(second.refusal.ok());
  EXPECT_EQ(second.accepted, 1);
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(second.inserted, 0);
  EXPECT_EQ(second.duplicate, 1);
  EXPECT_TRUE(second.rows.empty()) << "a fact known from an earlier file is counted, not listed: " << second.rows[0].kind;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(second.import_id)), 1)
      << "the repeated fact adds nothing";

  // The old event is kept unchanged; the new one supersedes it and has the same key.
  EXPECT_EQ(One("SELECT payload FROM events WHERE id = " + std::to_string(old_id)), old_payload);
  EXPECT_EQ(One("SELECT supersedes, payload LIKE '%\"selfpay\":30000%', event_key = (SELECT event_key FROM events "
                "WHERE id = " + std::to_string(old_id) + ") FROM events WHERE import_id = " +
                std::to_string(second.import_id)),
            std::to_string(old_id) + "|1|1");
  // The household's facts (what findings read) hold the correction only.
  auto tx = store_->BeginImport({0, "test", "t", "sha256:t", Date::FromCivil(2025, 6, 1)});
  ASSERT_TRUE(tx.ok());
  auto facts = (*tx)->LoadFacts("6532211002010001");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  int claims = 0;
  for (const EventRecord& e : facts->events) {
    if (e.type != "medical.claim") continue;
    ++claims;
    EXPECT_EQ(e.amount, Money::FromFen(30000));
  }
  EXPECT_EQ(claims, 1);
}

TEST_F(FeedImportTest, ConflictingCorrectionsLeaveTheEarlierFactInForce) {
  ASSERT_EQ(Import("medical-claims", "v1.csv", std::string(kClaimsHeader) + Claim()).accepted, 1);
  FileReport r = Import("medical-claims", "v2v3.csv",
                        std::string(kClaimsHeader) +
                            Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00") +
                            Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,800.00,0.00,0.00,200.00"),
                        Date::FromCivil(2025, 5, 5));
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.updated, 0);
  EXPECT_EQ(r.inserted, 0);
  EXPECT_EQ(r.rejected, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(r.import_id)), 0);
  auto tx = store_->BeginImport({0, "test", "t", "sha256:t", Date::FromCivil(2025, 6, 1)});
  ASSERT_TRUE(tx.ok());
  auto facts = (*tx)->LoadFacts("6532211002010001");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->events.size(), 1u);
  EXPECT_EQ(facts->events[0].amount, Money::FromFen(40000)) << "the first file's version stands";
}

// A later file that repeats a known fact and then contradicts it: both of its rows are rejected,
// the known fact stands.
TEST_F(FeedImportTest, RowContradictingAnInFileConfirmationOfAKnownFactIsAConflict) {
  ASSERT_EQ(Import("medical-claims", "v1.csv", std::string(kClaimsHeader) + Claim()).accepted, 1);
  FileReport r = Import("medical-claims", "v1v2.csv",
                        std::string(kClaimsHeader) + Claim() + Claim(kLi, "李秀兰") +
                            Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"),
                        Date::FromCivil(2025, 5, 5));
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.read, 3);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.duplicate, 0);
  EXPECT_EQ(r.rejected, 2);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].line, 2);
  EXPECT_EQ(r.rows[1].line, 4);
  for (const RejectRecord& p : r.rows) {
    EXPECT_EQ(p.kind, "key_conflict");
    EXPECT_NE(p.hint.find("line 2 and line 4"), std::string::npos) << p.hint;
  }
  std::string id = std::to_string(r.import_id);
  EXPECT_EQ(One("SELECT read_rows, accepted, rejected, duplicate FROM imports WHERE id = " + id), "3|1|2|0");
  EXPECT_EQ(Rows("SELECT person_id_number FROM events WHERE import_id = " + id), std::vector<std::string>{kLi});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE type = 'medical.claim' AND person_id_number = '" + kAbdulla + "'"), 1);
}

TEST_F(FeedImportTest, SameFactAgainInALaterFileIsADuplicateThatAddsNothing) {
  ASSERT_EQ(Import("medical-claims", "a.csv", std::string(kClaimsHeader) + Claim()).accepted, 1);
  auto before = Totals();
  // Different bytes (a title row), same fact.
  FileReport again = Import("medical-claims", "b.csv", "医保结算明细,,,,,,,,,\n" + std::string(kClaimsHeader) + Claim());
  ASSERT_TRUE(again.refusal.ok());
  EXPECT_EQ(again.same_as_import, 0);
  EXPECT_NE(again.import_id, 0);
  EXPECT_EQ(again.read, 1);
  EXPECT_EQ(again.accepted, 0);
  EXPECT_EQ(again.duplicate, 1);
  EXPECT_TRUE(again.rows.empty());
  auto after = Totals();
  EXPECT_EQ(after[0], before[0]);
  EXPECT_EQ(after[1], before[1]);
}

TEST_F(FeedImportTest, ImportingTheSameFileTwiceChangesNothing) {
  std::string text = std::string(kClaimsHeader) + Claim() + Claim(kStranger, "无名氏") +
                     Claim(kLi, "李秀英", "住院,2025-03-02,2025-03-06,800.00,500.00,0.00,0.00,300.00") +
                     Claim(kZhang, "张建国", "住院,2025-03-02,2025-03-06,100.00,0.00,0.00,0.00,300.00");
  FileReport first = Import("medical-claims", "same.csv", text);
  ASSERT_TRUE(first.refusal.ok());
  ASSERT_EQ(first.accepted, 2);
  auto before = Totals();
  std::vector<std::string> imports_before = Rows("SELECT * FROM imports ORDER BY id");
  FileReport second = ImportPath("medical-claims", dir_ / "in" / "same.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(second.refusal.ok()) << second.refusal.ToString();
  EXPECT_EQ(second.same_as_import, first.import_id);
  EXPECT_EQ(second.import_id, 0);
  EXPECT_EQ(second.read, 4) << "the report still says what the file holds";
  EXPECT_EQ(Totals(), before);
  EXPECT_EQ(Rows("SELECT * FROM imports ORDER BY id"), imports_before);
  // The same bytes under another name, received another day: still the same file.
  fs::copy_file(dir_ / "in" / "same.csv", dir_ / "in" / "same-copy.csv");
  FileReport third = ImportPath("medical-claims", dir_ / "in" / "same-copy.csv", Date::FromCivil(2025, 4, 20));
  EXPECT_EQ(third.same_as_import, first.import_id);
  EXPECT_EQ(Totals(), before);
}

// The hint of an unmatched row says to import the file again once the person is registered, and
// a file refused row by row for its received date is taken again with the right one: the same
// bytes are then no longer the same in effect, and their new facts are written.
TEST_F(FeedImportTest, TheSameFileAgainIsTakenWhenItWouldNowAddFacts) {
  std::string claims = std::string(kClaimsHeader) + Claim() +
                       Claim(kNewborn, "阿依达娜", "门诊,2025-03-01,2025-03-01,100.00,60.00,0.00,0.00,40.00");
  FileReport first = Import("medical-claims", "claims.csv", claims);
  ASSERT_EQ(first.accepted, 1);
  ASSERT_EQ(first.unmatched, 1);
  FileReport born = Import("household-registration", "births.csv",
                           std::string(kRegistrationHeader) + kNewborn + ",阿依达娜,出生,2025-02-10,6532211002010001,子女\n");
  ASSERT_EQ(born.accepted, 1);
  auto before = Totals();
  FileReport again = ImportPath("medical-claims", dir_ / "in" / "claims.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(again.refusal.ok()) << again.refusal.ToString();
  EXPECT_EQ(again.same_as_import, 0);
  EXPECT_NE(again.import_id, 0);
  EXPECT_EQ(again.inserted, 1);
  EXPECT_EQ(again.duplicate, 1);
  EXPECT_EQ(Totals()[0], before[0] + 1) << "the newborn's claim is written";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE person_id_number = '" + kNewborn + "' AND type = 'medical.claim' "
                  "AND import_id = " + std::to_string(again.import_id)), 1);
  // And now it is the same in effect: nothing more.
  before = Totals();
  FileReport third = ImportPath("medical-claims", dir_ / "in" / "claims.csv", Date::FromCivil(2025, 4, 5));
  EXPECT_NE(third.same_as_import, 0);
  EXPECT_EQ(third.import_id, 0);
  EXPECT_EQ(Totals(), before);

  // Received before the claim's dates: every row refused; with the right date, taken.
  std::string late = std::string(kClaimsHeader) + Claim(kLi, "李秀兰", "住院,2025-05-01,2025-05-03,800.00,500.00,0.00,0.00,300.00");
  FileReport early = Import("medical-claims", "late.csv", late, Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(early.rejected, 1);
  FileReport right = ImportPath("medical-claims", dir_ / "in" / "late.csv", Date::FromCivil(2025, 5, 10));
  EXPECT_EQ(right.same_as_import, 0);
  EXPECT_EQ(right.inserted, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(right.import_id)), 1);
}

// The identical file again after one of its facts was corrected: the correction stands. Taken
// again for a row it can now add (the newborn registered since), the file still does not put
// the corrected fact's old values back; that row is a duplicate naming the correction.
TEST_F(FeedImportTest, TheSameFileAgainDoesNotUndoALaterCorrection) {
  std::string claims = std::string(kClaimsHeader) + Claim() +
                       Claim(kNewborn, "阿依达娜", "门诊,2025-03-01,2025-03-01,100.00,60.00,0.00,0.00,40.00");
  FileReport first = Import("medical-claims", "march.csv", claims, Date::FromCivil(2025, 4, 1));
  ASSERT_EQ(first.accepted, 1);
  FileReport fix = Import("medical-claims", "fix.csv",
                          std::string(kClaimsHeader) + Claim(kAbdulla, "阿卜杜拉·艾买提",
                                                              "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"),
                          Date::FromCivil(2025, 4, 10));
  ASSERT_EQ(fix.updated, 1);
  const std::string in_force = "SELECT e.payload FROM events e WHERE e.type = 'medical.claim' AND e.person_id_number = '" +
                               kAbdulla + "' AND NOT EXISTS (SELECT 1 FROM events s WHERE s.supersedes = e.id)";
  const std::string corrected = One(in_force);
  ASSERT_NE(corrected.find("\"selfpay\":30000"), std::string::npos) << corrected;

  const struct {
    const char* what;
    bool register_newborn;
    int64_t inserted;
  } cases[] = {{"nothing new: a dry run", false, 0}, {"the newborn's row is new: taken again", true, 1}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    if (c.register_newborn) {
      ASSERT_EQ(Import("household-registration", "births.csv",
                       std::string(kRegistrationHeader) + kNewborn + ",阿依达娜,出生,2025-02-10,6532211002010001,子女\n",
                       Date::FromCivil(2025, 4, 12))
                    .accepted,
                1);
    }
    FileReport again = ImportPath("medical-claims", dir_ / "in" / "march.csv", Date::FromCivil(2025, 4, 20));
    ASSERT_TRUE(again.refusal.ok()) << again.refusal.ToString();
    EXPECT_EQ(again.inserted, c.inserted);
    EXPECT_EQ(again.updated, 0) << "no correction back to the old values";
    EXPECT_EQ(One(in_force), corrected);
    ASSERT_FALSE(again.rows.empty());  // the newborn's row is listed too while unmatched
    EXPECT_EQ(again.rows[0].kind, "corrected_since");
    EXPECT_EQ(again.rows[0].outcome, RowOutcome::kDuplicate);
    EXPECT_EQ(again.rows[0].line, 2);
    EXPECT_EQ(again.rows.size(), c.register_newborn ? 1u : 2u);
  }
}

// A list re-sent in March repeats February's fact (a duplicate, no new event) and so confirms it:
// a file received between the two (in late February) and imported after cannot overturn it.
// Once the March file is undone, its confirmation counts no more.
TEST_F(FeedImportTest, AFileReceivedBeforeOneThatConfirmedAFactCannotOverturnIt) {
  const std::string insured = std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2025,参保,2025-01-01\n";
  ASSERT_EQ(Import("medical-enrolment", "feb.csv", insured, Date::FromCivil(2025, 2, 5)).accepted, 1);
  FileReport march = Import("medical-enrolment", "mar.csv", insured + kLi + ",李秀兰,2025,参保,2025-01-01\n",
                            Date::FromCivil(2025, 3, 5));
  ASSERT_EQ(march.duplicate, 1);
  const std::string late = std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2025,未参保,2025-01-01\n";
  FileReport refused = Import("medical-enrolment", "late.csv", late, Date::FromCivil(2025, 2, 20));
  ASSERT_EQ(refused.rejected, 1);
  EXPECT_EQ(refused.rows[0].kind, "older_than_stored");
  EXPECT_NE(refused.rows[0].hint.find("2025-03-05"), std::string::npos) << refused.rows[0].hint;

  ASSERT_TRUE(UndoImport(*store_, march.import_id, {}, clock_).ok());
  FileReport taken = Import("medical-enrolment", "late2.csv", late + kZhang + ",张建国,2025,参保,2025-01-01\n",
                            Date::FromCivil(2025, 2, 20));
  EXPECT_EQ(taken.updated, 1) << (taken.rows.empty() ? "" : taken.rows[0].hint);
}

// The same file again after a late file (received before it) gave the fact while the file's
// first import stood undone in effect: the late file corrected nothing of it, so the newer file's
// values are taken as a correction, not kept out as "corrected since".
TEST_F(FeedImportTest, TheSameFileAgainOutranksALateFileReceivedBeforeIt) {
  const std::string insured = std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2025,参保,2025-01-01\n";
  FileReport feb = Import("medical-enrolment", "feb.csv", insured, Date::FromCivil(2025, 2, 5));
  ASSERT_EQ(feb.accepted, 1);
  FileReport april = Import("medical-enrolment", "apr.csv", insured + kLi + ",李秀兰,2025,参保,2025-01-01\n",
                            Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(april.duplicate, 1);
  ASSERT_TRUE(UndoImport(*store_, feb.import_id, {}, clock_).ok());
  FileReport late = Import("medical-enrolment", "late.csv",
                           std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2025,未参保,2025-01-01\n",
                           Date::FromCivil(2025, 3, 1));
  ASSERT_EQ(late.accepted, 1) << (late.rows.empty() ? "" : late.rows[0].hint);
  FileReport again = ImportPath("medical-enrolment", dir_ / "in" / "apr.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(again.refusal.ok()) << again.refusal.ToString();
  EXPECT_EQ(again.updated, 1) << (again.rows.empty() ? "" : again.rows[0].hint);
  EXPECT_NE(One("SELECT e.payload FROM events e WHERE e.type = 'medical.enrolment' AND e.import_id = " +
                std::to_string(again.import_id) + " AND e.person_id_number = '" + kAbdulla + "'")
                .find("\"status\":\"参保\""),
            std::string::npos);
}

// A file refused as older than a correction that is then undone: the same file again is decided
// against the fact now in force (the row was never taken, so "corrected since" would be false).
TEST_F(FeedImportTest, AFileRefusedAsOlderIsTakenAgainOnceTheNewerFileIsUndone) {
  auto claim = [](const char* selfpay) {
    return std::string(kClaimsHeader) +
           Claim(kAbdulla, "阿卜杜拉·艾买提", std::string("住院,2025-03-01,2025-03-05,1000.00,") + selfpay + ",0.00,0.00," +
                                                 std::to_string(1000 - std::stoi(selfpay)) + ".00");
  };
  ASSERT_EQ(Import("medical-claims", "first.csv", claim("600.00"), Date::FromCivil(2025, 4, 1)).accepted, 1);
  FileReport newer = Import("medical-claims", "newer.csv", claim("700.00"), Date::FromCivil(2025, 4, 10));
  ASSERT_EQ(newer.updated, 1);
  FileReport late = Import("medical-claims", "late.csv", claim("650.00"), Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(late.rejected, 1);
  EXPECT_EQ(late.rows[0].kind, "older_than_stored");
  ASSERT_TRUE(UndoImport(*store_, newer.import_id, {}, clock_).ok());
  FileReport again = ImportPath("medical-claims", dir_ / "in" / "late.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(again.refusal.ok()) << again.refusal.ToString();
  EXPECT_EQ(again.updated, 1) << (again.rows.empty() ? "" : again.rows[0].hint);
  EXPECT_TRUE(again.rows.empty()) << again.rows[0].hint;
  EXPECT_EQ(One("SELECT e.payload FROM events e WHERE e.type = 'medical.claim' AND e.import_id = " +
                std::to_string(again.import_id)).find("\"selfpay\":35000") != std::string::npos,
            true);
}

// A month re-sent whole repeats facts of the first file as duplicates (not written twice). Undoing
// the first file retracts those facts too; the undo names the later file, and importing it again
// writes them back, its correction staying as it was.
TEST_F(FeedImportTest, UndoNamesLaterFilesThatRepeatedItsFactsAndTheyWriteThemBack) {
  const std::string a = Claim(), b = Claim(kLi, "李秀兰");
  const std::string a_corrected =
      Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00");
  FileReport first = Import("medical-claims", "march.csv", std::string(kClaimsHeader) + a + b);
  ASSERT_EQ(first.inserted, 2);
  FileReport resent = Import("medical-claims", "march-resent.csv", std::string(kClaimsHeader) + a_corrected + b);
  ASSERT_EQ(resent.updated, 1);
  ASSERT_EQ(resent.duplicate, 1);
  auto in_force = [&](const std::string& household) {
    auto tx = store_->BeginImport({0, "test", "t", "sha256:t", Date::FromCivil(2025, 6, 1)});
    EXPECT_TRUE(tx.ok());
    auto f = (*tx)->LoadFacts(household);
    EXPECT_TRUE(f.ok());
    std::vector<std::string> payloads;
    if (f.ok()) {
      for (const EventRecord& e : f->events) {
        if (e.type == "medical.claim") payloads.push_back(e.payload);
      }
    }
    return payloads;
  };
  ASSERT_EQ(in_force("6532211002020001").size(), 1u) << "李秀兰's claim";

  auto undo = UndoImport(*store_, first.import_id, {}, clock_);
  ASSERT_TRUE(undo.ok()) << undo.status().ToString();
  ASSERT_EQ(undo->later_with_duplicates.size(), 1u);
  EXPECT_EQ(undo->later_with_duplicates[0].id, resent.import_id);
  EXPECT_EQ(undo->later_with_duplicates[0].duplicate, 1);
  EXPECT_TRUE(in_force("6532211002020001").empty()) << "retracted with the file that first brought it";
  const std::vector<std::string> corrected = in_force("6532211002010001");
  ASSERT_EQ(corrected.size(), 1u) << "the correction stays in force";

  FileReport again = ImportPath("medical-claims", dir_ / "in" / "march-resent.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(again.refusal.ok()) << again.refusal.ToString();
  EXPECT_EQ(again.same_as_import, 0);
  EXPECT_EQ(again.inserted, 1) << "李秀兰's claim written back";
  EXPECT_EQ(again.duplicate, 1) << "the correction is still in force";
  EXPECT_EQ(in_force("6532211002020001").size(), 1u);
  EXPECT_EQ(in_force("6532211002010001"), corrected);
}

TEST_F(FeedImportTest, UndoRetractsWithoutDeletingThenACorrectedFileImports) {
  std::string wrong = std::string(kClaimsHeader) + Claim() + Claim(kLi, "李秀兰") + Claim(kStranger, "无名氏");
  FileReport first = Import("medical-claims", "wrong.csv", wrong);
  ASSERT_EQ(first.accepted, 2);
  std::string id = std::to_string(first.import_id);
  auto before = Totals();
  std::vector<std::string> events_before = Rows("SELECT * FROM events ORDER BY id");
  std::vector<std::string> rejects_before = Rows("SELECT * FROM rejects ORDER BY id");

  auto undo = UndoImport(*store_, first.import_id, {}, clock_);
  ASSERT_TRUE(undo.ok()) << undo.status().ToString();
  EXPECT_NE(undo->undo_import_id, 0);
  EXPECT_EQ(undo->retracted.id, first.import_id);
  EXPECT_EQ(undo->households, 2);
  // Nothing deleted or changed: the old events and rejects are all there, as they were.
  std::vector<std::string> events_after = Rows("SELECT * FROM events ORDER BY id");
  ASSERT_EQ(events_after.size(), events_before.size() + 2);
  EXPECT_EQ(std::vector<std::string>(events_after.begin(), events_after.begin() + static_cast<long>(events_before.size())),
            events_before);
  EXPECT_EQ(Rows("SELECT * FROM rejects ORDER BY id"), rejects_before);
  EXPECT_EQ(Totals()[2], before[2] + 1) << "the undo is an import record of its own";
  // One retraction per event, each superseding it, recorded under the undo.
  EXPECT_EQ(Rows("SELECT r.type, r.import_id, e.import_id FROM events r JOIN events e ON e.id = r.supersedes "
                 "WHERE r.type = 'retraction' ORDER BY r.id"),
            (std::vector<std::string>{"retraction|" + std::to_string(undo->undo_import_id) + "|" + id,
                                      "retraction|" + std::to_string(undo->undo_import_id) + "|" + id}));
  EXPECT_EQ(One("SELECT status FROM imports WHERE id = " + id), "retracted");
  auto facts = [&] {
    auto tx = store_->BeginImport({0, "test", "t", "sha256:t", Date::FromCivil(2025, 6, 1)});
    EXPECT_TRUE(tx.ok());
    auto f = (*tx)->LoadFacts("6532211002010001");
    EXPECT_TRUE(f.ok());
    return f.ok() ? f->events : std::vector<EventRecord>{};
  };
  EXPECT_TRUE(facts().empty()) << "a retracted fact is no longer in force";

  // Undoing twice, an unknown import, a registry import, an undo: refused, nothing written.
  auto totals = Totals();
  EXPECT_EQ(UndoImport(*store_, first.import_id, {}, clock_).status().kind(), "import_retracted");
  EXPECT_EQ(UndoImport(*store_, 9999, {}, clock_).status().kind(), "import_unknown");
  EXPECT_EQ(UndoImport(*store_, registry_import_, {}, clock_).status().kind(), "import_not_feed");
  EXPECT_EQ(UndoImport(*store_, undo->undo_import_id, {}, clock_).status().kind(), "import_not_feed");
  EXPECT_EQ(Totals(), totals);

  // The corrected file (same key, new values) imports as new facts.
  FileReport corrected = Import("medical-claims", "corrected.csv",
                                std::string(kClaimsHeader) +
                                    Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"));
  ASSERT_TRUE(corrected.refusal.ok());
  EXPECT_EQ(corrected.accepted, 1);
  EXPECT_EQ(corrected.rejected, 0);
  EXPECT_EQ(corrected.duplicate, 0);
  std::vector<EventRecord> now = facts();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].amount, Money::FromFen(30000));
  // And the very file that was undone can be imported again: it is no longer "the same file".
  FileReport again = ImportPath("medical-claims", dir_ / "in" / "wrong.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(again.refusal.ok());
  EXPECT_EQ(again.same_as_import, 0);
  EXPECT_NE(again.import_id, 0);
  EXPECT_EQ(again.updated, 1) << "阿卜杜拉's claim corrects the corrected file's version";
  EXPECT_EQ(again.inserted, 1) << "李秀兰's claim is in force again";
}

// Undo of a correction brings the corrected fact back; undo of both files leaves nothing of
// either in force.
TEST_F(FeedImportTest, UndoOfACorrectionAndOfTheFileItCorrected) {
  auto claims_in_force = [&] {
    auto tx = store_->BeginImport({0, "test", "t", "sha256:t", Date::FromCivil(2025, 6, 1)});
    EXPECT_TRUE(tx.ok());
    auto f = (*tx)->LoadFacts("6532211002010001");
    EXPECT_TRUE(f.ok());
    std::vector<int64_t> fen;
    if (f.ok()) {
      for (const EventRecord& e : f->events) fen.push_back(e.amount ? e.amount->fen() : -1);
    }
    return fen;
  };
  FileReport v1 = Import("medical-claims", "v1.csv", std::string(kClaimsHeader) + Claim());
  FileReport v2 = Import("medical-claims", "v2.csv",
                         std::string(kClaimsHeader) +
                             Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"),
                         Date::FromCivil(2025, 5, 5));
  ASSERT_EQ(v2.updated, 1);
  EXPECT_EQ(claims_in_force(), std::vector<int64_t>{30000});

  // Undo the correction: the first file's fact is in force again.
  ASSERT_TRUE(UndoImport(*store_, v2.import_id, {}, clock_).ok());
  EXPECT_EQ(claims_in_force(), std::vector<int64_t>{40000});
  // Undo the first file too: nothing of either is in force.
  ASSERT_TRUE(UndoImport(*store_, v1.import_id, {}, clock_).ok());
  EXPECT_EQ(claims_in_force(), std::vector<int64_t>{});
}

TEST_F(FeedImportTest, UndoInTheOtherOrderLeavesNothingInForce) {
  auto claims_in_force = [&] {
    return Count("SELECT COUNT(*) FROM events e WHERE e.type = 'medical.claim' AND NOT EXISTS (SELECT 1 FROM events s "
                 "WHERE s.supersedes = e.id AND NOT EXISTS (SELECT 1 FROM events r WHERE r.supersedes = s.id AND "
                 "r.type = 'retraction'))");
  };
  FileReport v1 = Import("medical-claims", "v1.csv", std::string(kClaimsHeader) + Claim());
  FileReport v2 = Import("medical-claims", "v2.csv",
                         std::string(kClaimsHeader) +
                             Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,1000.00,700.00,0.00,0.00,300.00"),
                         Date::FromCivil(2025, 5, 5));
  ASSERT_EQ(v2.updated, 1);
  EXPECT_EQ(claims_in_force(), 1);
  // The first file is undone while its fact is superseded: the correction stands.
  auto undo1 = UndoImport(*store_, v1.import_id, {}, clock_);
  ASSERT_TRUE(undo1.ok()) << undo1.status().ToString();
  EXPECT_EQ(claims_in_force(), 1);
  EXPECT_EQ(One("SELECT status FROM imports WHERE id = " + std::to_string(v1.import_id)), "retracted");
  // Then the correction is undone as well: the first file's fact must not come back, since
  // its file was undone.
  ASSERT_TRUE(UndoImport(*store_, v2.import_id, {}, clock_).ok());
  EXPECT_EQ(claims_in_force(), 0) << "in force: "
                                  << ::testing::PrintToString(Rows("SELECT e.id, e.import_id, e.payload FROM events e WHERE "
                                                                   "e.type = 'medical.claim'"));
}

// Re-screening: the hook sees each household an import touched, as of the received date; a
// failing hook refuses the whole file.
TEST_F(FeedImportTest, ScreenHookSeesTouchedHouseholdsAndItsFailureRefusesTheFile) {
  std::vector<std::string> seen;
  Date as_of;
  FeedImportOptions options;
  options.clock = &clock_;
  options.received = Date::FromCivil(2025, 4, 5);
  options.screen = [&](ImportTransaction&, const std::vector<std::string>& codes, Date d) {
    seen.insert(seen.end(), codes.begin(), codes.end());
    as_of = d;
    return Status::Ok();
  };
  std::ofstream(dir_ / "in" / "s.csv") << kClaimsHeader << Claim() << Claim(kBuzainap, "布再乃普·吐尔逊")
                                        << Claim(kLi, "李秀兰") << Claim(kStranger, "无名氏");
  FileReport r = ImportFeed(*store_, Spec("medical-claims"), dir_ / "in" / "s.csv", options);
  ASSERT_TRUE(r.refusal.ok());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"6532211002010001", "6532211002020001"}));
  EXPECT_EQ(as_of, Date::FromCivil(2025, 4, 5));

  // A file that arrives late (received before one already imported) is screened as of the
  // latest date known, so that it cannot close what the later file's facts opened.
  options.received = Date::FromCivil(2025, 3, 1);
  std::ofstream(dir_ / "in" / "late.csv") << kClaimsHeader << Claim(kZhang, "张建国");
  ASSERT_TRUE(ImportFeed(*store_, Spec("medical-claims"), dir_ / "in" / "late.csv", options).refusal.ok());
  EXPECT_EQ(as_of, Date::FromCivil(2025, 4, 5));
  options.received = Date::FromCivil(2025, 4, 5);
  seen.clear();

  // The same file again: nothing to re-screen.
  seen.clear();
  FileReport again = ImportFeed(*store_, Spec("medical-claims"), dir_ / "in" / "s.csv", options);
  EXPECT_NE(again.same_as_import, 0);
  EXPECT_TRUE(seen.empty());

  auto before = Totals();
  options.screen = [](ImportTransaction&, const std::vector<std::string>&, Date) {
    return Status(StatusCode::kInternal, "screen_failed", "the screening failed");
  };
  std::ofstream(dir_ / "in" / "t.csv") << kClaimsHeader << Claim(kZhang, "张建国");
  FileReport failed = ImportFeed(*store_, Spec("medical-claims"), dir_ / "in" / "t.csv", options);
  EXPECT_FALSE(failed.refusal.ok());
  EXPECT_EQ(failed.refusal.kind(), "screen_failed");
  EXPECT_EQ(Totals(), before) << "a file-level fault writes nothing";
}

TEST_F(FeedImportTest, NewbornLinksByHouseholdCodeAndLaterRowsFollow) {
  FileReport birth = Import("household-registration", "feb.csv",
                            std::string(kRegistrationHeader) + kNewborn + ",阿依达娜·艾尼瓦尔,出生登记,2025-02-10,6532211002010004,子女\n" +
                                kStranger + ",古丽,迁入,2025-02-12,6532211002020002,儿媳\n",
                            Date::FromCivil(2025, 3, 5));
  ASSERT_TRUE(birth.refusal.ok());
  EXPECT_EQ(birth.accepted, 2) << (birth.rows.empty() ? "" : birth.rows[0].hint);
  EXPECT_EQ(Rows("SELECT e.person_id_number, h.household_code, e.payload LIKE '%\"change\":\"出生\"%' FROM events e "
                 "JOIN households h ON h.id = e.household_id WHERE e.import_id = " + std::to_string(birth.import_id) +
                 " ORDER BY e.source_line"),
            (std::vector<std::string>{kNewborn + "|6532211002010004|1", kStranger + "|6532211002020002|0"}));
  // The registry is not edited by feeds.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE id_number = '" + kNewborn + "'"), 0);

  // A later enrolment of the newborn links to that household (no registered name to compare).
  FileReport enrol = Import("medical-enrolment", "mar.csv",
                            std::string(kEnrolmentHeader) + kNewborn + ",阿依达娜·艾尼瓦尔,2025,参保,2025-03-01\n" +
                                kStranger + ",古丽,2025,参保,2025-03-02\n",
                            Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(enrol.refusal.ok());
  EXPECT_EQ(enrol.accepted, 2);
  EXPECT_EQ(enrol.unmatched, 0);
  EXPECT_EQ(enrol.flagged, 0);
  EXPECT_EQ(Rows("SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id WHERE e.import_id = " +
                 std::to_string(enrol.import_id) + " ORDER BY e.source_line"),
            (std::vector<std::string>{"6532211002010004", "6532211002020002"}));

  // A registered person moving in to another household: the fact is that household's (the
  // registry, which still lists her in her own, changes only through its own import).
  FileReport moved = Import("household-registration", "apr.csv",
                            std::string(kRegistrationHeader) + kLi + ",李秀兰,迁入,2025-04-01,6532211002010001,其他\n",
                            Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(moved.accepted, 1) << (moved.rows.empty() ? "" : moved.rows[0].hint);
  EXPECT_EQ(One("SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id WHERE e.import_id = " +
                std::to_string(moved.import_id)),
            "6532211002010001");
}

TEST_F(FeedImportTest, WaterRowsLinkToTheHeadsHouseholdOrToTheVillage) {
  FileReport r = Import("water", "water.csv",
                        std::string(kWaterHeader) + ",,653221100202,2025-03-10,达标,不合格,是,达标\n" + kLi +
                            ",李秀兰,,2025-03-11,否,达标,达标,达标\n");
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.accepted, 2) << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(Rows("SELECT COALESCE(CAST(household_id AS TEXT), 'none'), COALESCE(village_code, ''), COALESCE(person_id_number, ''), "
                 "payload LIKE '%\"quality\":\"不达标\"%' FROM events WHERE import_id = " + std::to_string(r.import_id) +
                 " AND source_line = 2"),
            (std::vector<std::string>{"none|653221100202||1"}));
  EXPECT_EQ(One("SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id WHERE e.import_id = " +
                std::to_string(r.import_id) + " AND e.source_line = 3"),
            "6532211002020001");
}

// Housing and water list households by their head ([link] head = true): a row links to the
// household its person heads, even when the registry also lists the person in another household
// (before it, in reference order) as a member; a person who heads none is accepted, linked as in
// any feed, and flagged not_household_head, naming the relation and household. Feeds about
// persons still link to the first household, and a head registered once is unchanged.
TEST_F(FeedImportTest, FeedsByHeadsLinkToTheHouseholdThePersonHeads) {
  const std::string kChen = "653221198009020036";  // 陈刚, spouse in 6532211002020001
  const std::string kLiu = "653221197611150023";   // 刘芳, spouse in 6532211002010003
  // 李秀兰 (head of ...020001) also listed as 其他 in ...010001; 陈刚 also as 子女 in ...010002.
  fs::create_directories(dir_ / "reg2");
  std::ofstream(dir_ / "reg2" / "家庭成员.csv", std::ios::binary)
      << "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,残疾等级,务工月数\n"
      << "6532211002010001,李秀兰," << kLi << ",其他,健康,普通劳动力,非在校,是,,\n"
      << "6532211002010002,陈刚," << kChen << ",子女,健康,普通劳动力,非在校,是,,\n";
  RegistryImportOptions ro;
  ro.clock = &clock_;
  ro.received = Date::FromCivil(2025, 1, 3);
  auto reg = ImportRegistry(*store_, dir_ / "reg2", ro);
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  ASSERT_EQ(reg->files.size(), 1u);
  ASSERT_EQ(reg->files[0].accepted, 2) << (reg->files[0].rows.empty() ? "" : reg->files[0].rows[0].hint);

  const std::string housing = "户主证件号码,户主姓名,鉴定日期,安全等级\n";
  const struct {
    const char* label;
    std::string kind, header, row;
    std::string household;  // linked to
    std::string flag;       // the row's flag kind, "" for none
    std::vector<std::string> hint;  // parts of the flag's hint
  } cases[] = {
      {"a head registered once", "housing", housing, kZhang + ",张建国,2025-03-10,D\n", "6532211002010003", "", {}},
      {"a head also listed in a household before his own", "housing", housing, kLi + ",李秀兰,2025-03-10,D\n",
       "6532211002020001", "", {}},
      {"water: the same", "water", kWaterHeader, kLi + ",李秀兰,,2025-03-11,否,达标,达标,达标\n", "6532211002020001", "", {}},
      {"a spouse registered once", "housing", housing, kBuzainap + ",布再乃普·吐尔逊,2025-03-10,C\n", "6532211002010001",
       "not_household_head",
       {"布再乃普·吐尔逊 (ID number " + kBuzainap + ") is not a head", "registered as spouse in household 6532211002010001",
        "户主证件号码 should hold the head's own ID number", "accepted for household 6532211002010001"}},
      {"heading neither of two households: the first", "water", kWaterHeader,
       kChen + ",陈刚,,2025-03-11,否,达标,达标,达标\n", "6532211002010002", "not_household_head",
       {"registered as child in household 6532211002010002, registered as spouse in household 6532211002020001",
        "accepted for household 6532211002010002"}},
      {"the head's name with a member's ID: both told", "housing", housing, kLiu + ",张建国,2025-03-10,C\n",
       "6532211002010003", "name_mismatch",
       {"Name \"张建国\" differs from the registered \"刘芳\"", "Also in this row: [户主证件号码]",
        "registered as spouse in household 6532211002010003"}},
      {"a feed about persons: the first household, no flag", "medical-claims", kClaimsHeader, Claim(kLi, "李秀兰"),
       "6532211002010001", "", {}},
      {"a feed about persons: a spouse, no flag", "medical-claims", kClaimsHeader, Claim(kBuzainap, "布再乃普·吐尔逊"),
       "6532211002010001", "", {}},
  };
  int file = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    FileReport r = Import(c.kind, "heads" + std::to_string(++file) + ".csv", c.header + c.row);
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    ASSERT_EQ(r.accepted, 1) << (r.rows.empty() ? "" : r.rows[0].hint);
    EXPECT_EQ(One("SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id WHERE e.import_id = " +
                  std::to_string(r.import_id)),
              c.household);
    if (c.flag.empty()) {
      EXPECT_EQ(r.flagged, 0) << (r.rows.empty() ? "" : r.rows[0].hint);
      EXPECT_TRUE(r.rows.empty());
      continue;
    }
    EXPECT_EQ(r.flagged, 1);
    EXPECT_EQ(r.flagged_by_kind[c.flag], 1);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].outcome, RowOutcome::kFlagged);
    EXPECT_EQ(r.rows[0].kind, c.flag);
    EXPECT_EQ(r.rows[0].column, c.flag == "name_mismatch" ? "户主姓名" : "户主证件号码");
    for (const std::string& part : c.hint) EXPECT_NE(r.rows[0].hint.find(part), std::string::npos) << r.rows[0].hint;
    // Stored as a flagged problem row and counted as other flags are; the JSON report counts it.
    const std::string id = std::to_string(r.import_id);
    EXPECT_EQ(Rows("SELECT kind, outcome FROM rejects WHERE import_id = " + id),
              (std::vector<std::string>{c.flag + "|flagged"}));
    EXPECT_EQ(One("SELECT accepted, flagged FROM imports WHERE id = " + id), "1|1");
    ImportReport report;
    report.files.push_back(r);
    const nlohmann::json counts = ReportToJson(report)["counts"];
    EXPECT_EQ(counts[c.flag], 1) << counts.dump();
    EXPECT_EQ(counts["flagged_by_kind"][c.flag], 1) << counts.dump();
  }
}

// The flag's hint in Chinese names the relation as the registry writes it.
TEST_F(FeedImportTest, NotHouseholdHeadHintInChinese) {
  SetLanguage(Lang::kZh);
  FileReport r = Import("housing", "spouse.csv", "户主证件号码,户主姓名,鉴定日期,安全等级\n" + kBuzainap + ",布再乃普·吐尔逊,2025-03-10,C\n");
  SetLanguage(Lang::kEn);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].kind, "not_household_head");
  for (const std::string& part : {"“布再乃普·吐尔逊”（证件号码 " + kBuzainap + "）在户籍中不是户主",
                                 std::string("登记为户 6532211002010001 的“配偶”"), std::string("应填户主本人的证件号码")}) {
    EXPECT_NE(r.rows[0].hint.find(part), std::string::npos) << r.rows[0].hint;
  }
  EXPECT_EQ(KindLabel("not_household_head"), "ID number not the head's");
}

TEST_F(FeedImportTest, EffectiveDateRules) {
  const struct {
    const char* label;
    std::string kind, header, row;
    Date effective;
  } cases[] = {
      {"claim: the discharge date", "medical-claims", kClaimsHeader, Claim(), Date::FromCivil(2025, 3, 5)},
      {"enrolment: the change date", "medical-enrolment", kEnrolmentHeader, kAbdulla + ",阿卜杜拉·艾买提,2025,停保,2025-03-15\n",
       Date::FromCivil(2025, 3, 15)},
      {"enrolment without a date: the day the file arrived", "medical-enrolment", kEnrolmentHeader,
       kBuzainap + ",布再乃普·吐尔逊,2025,未参保,\n", Date::FromCivil(2025, 4, 5)},
      {"enrolment of a year over, without the column: the year's last day", "medical-enrolment",
       "证件号码,姓名,参保年度,参保状态\n", kLi + ",李秀兰,2024,参保\n", Date::FromCivil(2024, 12, 31)},
      {"school: the registration date", "school", kSchoolHeader, kXiaoming + ",张小明,小学,辍学,2024-2025,,2025-03-02\n",
       Date::FromCivil(2025, 3, 2)},
      {"school without a date: the day the file arrived", "school", kSchoolHeader,
       "653221201001010014,艾力·阿卜杜拉,小学,在校,2024/2025学年,\"1,200.00\",\n",
       Date::FromCivil(2025, 4, 5)},
      {"school year over, without a date: its last day", "school", kSchoolHeader,
       "653221201001010014,艾力·阿卜杜拉,小学,在校,2023-2024,,\n", Date::FromCivil(2024, 8, 31)},
      {"housing: the appraisal", "housing", "户主证件号码,户主姓名,鉴定日期,安全等级\n", kZhang + ",张建国,20250320,C级\n",
       Date::FromCivil(2025, 3, 20)},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    FileReport r = Import(c.kind, "eff" + std::to_string(n++) + ".csv", c.header + c.row);
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    ASSERT_EQ(r.accepted, 1) << (r.rows.empty() ? "" : r.rows[0].hint);
    EXPECT_EQ(Count("SELECT effective_date FROM events WHERE import_id = " + std::to_string(r.import_id)),
              c.effective.days())
        << c.effective.ToIso();
  }
}

TEST_F(FeedImportTest, PayloadHoldsCanonicalValues) {
  FileReport r = Import("school", "fees.csv",
                        std::string(kSchoolHeader) + "653221201001010014,艾力·阿卜杜拉,高职/大专,在读,2025-26,\"6,500.50\",2025年9月3日\n",
                        Date::FromCivil(2025, 10, 5));
  ASSERT_EQ(r.accepted, 1) << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(One("SELECT payload, amount_fen FROM events WHERE import_id = " + std::to_string(r.import_id)),
            "{\"stage\":\"高职\",\"status\":\"在校\",\"school_year\":2025,\"fees\":650050,\"registered\":\"2025-09-03\"}|650050");
}

TEST_F(FeedImportTest, ReceivedDateIsRecordedAndBoundsOccurrences) {
  Date received = Date::FromCivil(2025, 4, 5);
  FileReport r = Import("medical-claims", "r.csv",
                        std::string(kClaimsHeader) + Claim() +
                            Claim(kLi, "李秀兰", "住院,2025-03-01,2025-04-05,1000.00,600.00,0.00,0.00,400.00") +
                            Claim(kZhang, "张建国", "住院,2025-03-01,2025-04-06,1000.00,600.00,0.00,0.00,400.00"),
                        received);
  ASSERT_TRUE(r.refusal.ok());
  EXPECT_EQ(r.accepted, 2) << "a discharge on the day the file arrived is fine";
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].kind, "date_after_received");
  EXPECT_EQ(r.rows[0].line, 4);
  EXPECT_NE(r.rows[0].hint.find("2025-04-05"), std::string::npos) << r.rows[0].hint;
  EXPECT_EQ(Count("SELECT received FROM imports WHERE id = " + std::to_string(r.import_id)), received.days());
  // The events' recorded time is the day the file was received (so that a replay of past files
  // knows each fact from when it arrived, DESIGN.md §2), not the day it was imported.
  int64_t from = MidnightMicros(received), to = MidnightMicros(Date::FromDays(received.days() + 1));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(r.import_id) +
                  " AND recorded_at >= " + std::to_string(from) + " AND recorded_at < " + std::to_string(to)),
            2)
      << "recorded_at of the events: "
      << ::testing::PrintToString(Rows("SELECT recorded_at FROM events WHERE import_id = " + std::to_string(r.import_id)))
      << ", expected within [" << from << ", " << to << ")";

  // Without a received date, the file arrived today (the injected clock's).
  FileReport today = Import("medical-claims", "today.csv",
                            std::string(kClaimsHeader) +
                                Claim(kLi, "李秀兰", "住院,2025-11-20,2025-11-24,1000.00,600.00,0.00,0.00,400.00"),
                            std::nullopt);
  ASSERT_EQ(today.accepted, 1) << (today.rows.empty() ? "" : today.rows[0].hint);
  EXPECT_EQ(Count("SELECT received FROM imports WHERE id = " + std::to_string(today.import_id)), clock_.Today().days());
}

TEST_F(FeedImportTest, MissingRequiredColumnsRefuseTheWholeFile) {
  auto before = Totals();
  FileReport r = Import("medical-claims", "short.csv",
                        "证件号码,姓名,就诊类型,入院日期,出院日期,基本医保报销,大病保险报销,医疗救助\n" + kAbdulla +
                            ",阿卜杜拉·艾买提,住院,2025-03-01,2025-03-05,600.00,0.00,0.00\n");
  ASSERT_FALSE(r.refusal.ok());
  EXPECT_EQ(r.refusal.kind(), "missing_columns");
  EXPECT_EQ(r.import_id, 0);
  EXPECT_EQ(r.accepted, 0);
  const std::string& m = r.refusal.message();
  for (const char* missing : {"医疗总费用", "个人自付"}) EXPECT_NE(m.find(missing), std::string::npos) << missing << ": " << m;
  for (const char* found : {"就诊类型", "基本医保报销", "医疗救助"}) EXPECT_NE(m.find(found), std::string::npos) << found << ": " << m;
  EXPECT_EQ(Totals(), before) << "nothing of a refused file is written";
  // An optional column may be missing (disability without 办证类型).
  FileReport optional = Import("disability", "opt.csv", "证件号码,姓名,残疾类别,残疾等级,发证日期\n" + kBuzainap +
                                                            ",布再乃普·吐尔逊,肢体,4,2025-03-01\n");
  ASSERT_TRUE(optional.refusal.ok()) << optional.refusal.ToString();
  EXPECT_EQ(optional.accepted, 1);
  // A tab-separated file named .txt that lacks one column is told so, by its own headers (not
  // as a comma-separated file without any).
  FileReport tabs = Import("housing", "tabs.txt", "户主身份证号\t鉴定时间\t房屋状况\n" + kAbdulla + "\t2025-05-11\tD级\n");
  ASSERT_EQ(tabs.refusal.kind(), "missing_columns");
  const std::string& t = tabs.refusal.message();
  EXPECT_NE(t.find("房屋状况"), std::string::npos) << t;
  EXPECT_NE(t.find("安全等级"), std::string::npos) << t;
  EXPECT_EQ(t.find("鉴定日期"), std::string::npos) << "found under 鉴定时间: " << t;
}

// ---------------------------------------------------------------------------------------------
// Files as departments make them (tests/fixtures/feeds/).

TEST_F(FeedImportTest, TitleRowTotalRowSeparatorsSerialDatesLowerXFullWidth) {
  FileReport r = ImportPath("medical-claims", kFixtures / "medical-claims_title_total.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.read, 3);
  EXPECT_EQ(r.accepted, 3) << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(r.total_rows_skipped, 1);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.header.front(), "证件号码");
  std::string id = std::to_string(r.import_id);
  EXPECT_EQ(Rows("SELECT person_id_number, effective_date, amount_fen, payload FROM events WHERE import_id = " + id +
                 " ORDER BY source_line"),
            (std::vector<std::string>{
                kMamatX + "|" + std::to_string(Date::FromCivil(2025, 3, 11).days()) +
                    "|311110|{\"visit_type\":\"住院\",\"admitted\":\"2025-03-01\",\"discharged\":\"2025-03-11\","
                    "\"total\":1234560,\"basic\":800000,\"critical\":0,\"assistance\":123450,\"selfpay\":311110}",
                kZhang + "|" + std::to_string(Date::FromCivil(2025, 3, 3).days()) +
                    "|30000|{\"visit_type\":\"门诊\",\"admitted\":\"2025-03-03\",\"discharged\":\"2025-03-03\","
                    "\"total\":80000,\"basic\":50000,\"critical\":0,\"assistance\":0,\"selfpay\":30000}",
                kLi + "|" + std::to_string(Date::FromCivil(2025, 3, 15).days()) +
                    "|63450|{\"visit_type\":\"住院\",\"admitted\":\"2025-03-10\",\"discharged\":\"2025-03-15\","
                    "\"total\":123450,\"basic\":60000,\"critical\":0,\"assistance\":0,\"selfpay\":63450}",
            }));
  EXPECT_EQ(Rows("SELECT line FROM rejects WHERE import_id = " + id), std::vector<std::string>{});
}

TEST_F(FeedImportTest, GbkFileReadsAsTheSameFacts) {
  FileReport gbk = ImportPath("medical-claims", kFixtures / "medical-claims_title_total_gbk.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(gbk.refusal.ok()) << gbk.refusal.ToString();
  EXPECT_EQ(gbk.accepted, 3) << (gbk.rows.empty() ? "" : gbk.rows[0].hint);
  EXPECT_EQ(gbk.total_rows_skipped, 1);
  EXPECT_EQ(gbk.flagged, 0) << "names decoded from GBK match the registry";
  // The UTF-8 file with the same text: every row is a fact already known, nothing differs.
  FileReport utf8 = ImportPath("medical-claims", kFixtures / "medical-claims_title_total.csv", Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(utf8.refusal.ok());
  EXPECT_EQ(utf8.same_as_import, 0);
  EXPECT_EQ(utf8.duplicate, 3);
  EXPECT_EQ(utf8.accepted, 0);
}

TEST_F(FeedImportTest, Utf8BomFileWithNameDotVariantsAndSynonyms) {
  FileReport r = ImportPath("disability", kFixtures / "disability_bom.csv", Date::FromCivil(2025, 3, 5));
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 2) << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(r.flagged, 0) << "阿依古丽•艾尼 is 阿依古丽·艾尼: " << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(r.header.front(), "证件号码") << "the BOM is not part of the first header";
  EXPECT_EQ(Rows("SELECT payload FROM events WHERE import_id = " + std::to_string(r.import_id) + " ORDER BY source_line"),
            (std::vector<std::string>{"{\"category\":\"肢体\",\"grade\":\"三级\",\"issued\":\"2025-02-20\",\"certificate_type\":\"新办\"}",
                                      "{\"category\":\"视力\",\"grade\":\"二级\",\"issued\":\"2025-02-21\",\"certificate_type\":\"换领\"}"}));
}

// A file that arrives after a newer one (or is replayed out of order) does not undo the newer
// file's facts: its differing rows are kept as rejects; a later file still corrects.
TEST_F(FeedImportTest, AFileOlderThanTheFactInForceDoesNotReplaceIt) {
  const std::string header = "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n";
  FileReport april = Import("social-assistance", "april.csv",
                            header + kAbdulla + ",阿卜杜拉·艾买提,低保,2025-02-01,2025-03-31,620\n", Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(april.inserted, 1);
  FileReport march = Import("social-assistance", "march.csv",
                            header + kAbdulla + ",阿卜杜拉·艾买提,低保,2025-02-01,,620\n" +
                                kLi + ",李秀兰,特困,2025-02-01,,700\n",
                            Date::FromCivil(2025, 3, 5));
  ASSERT_TRUE(march.refusal.ok()) << march.refusal.ToString();
  EXPECT_EQ(march.inserted, 1) << "a fact the newer file did not give is taken";
  ASSERT_EQ(march.rejected, 1);
  EXPECT_EQ(march.rows[0].kind, "older_than_stored");
  EXPECT_EQ(march.rows[0].line, 2);
  EXPECT_NE(march.rows[0].hint.find("2025-04-05"), std::string::npos) << march.rows[0].hint;
  const std::string in_force = "SELECT e.payload FROM events e WHERE e.type = 'assistance.grant' AND e.person_id_number = '" +
                               kAbdulla + "' AND NOT EXISTS (SELECT 1 FROM events s WHERE s.supersedes = e.id)";
  EXPECT_EQ(Rows(in_force), (std::vector<std::string>{"{\"type\":\"低保\",\"start\":\"2025-02-01\",\"end\":\"2025-03-31\",\"monthly\":62000}"}));

  // A correction received the same day as the fact it corrects, imported the next day with that
  // date: the same day is not older.
  FileReport today = Import("social-assistance", "today.csv", header + kLi + ",李秀兰,特困,2025-03-01,,700\n", std::nullopt);
  ASSERT_EQ(today.inserted, 1);
  std::ofstream(dir_ / "in" / "next_day.csv") << header + kLi + ",李秀兰,特困,2025-03-01,,720\n";
  FixedClock next_day(clock_.NowMicros() + int64_t{86'400} * 1'000'000);
  FeedImportOptions late;
  late.clock = &next_day;
  late.received = clock_.Today();
  FileReport corrected = ImportFeed(*store_, Spec("social-assistance"), dir_ / "in" / "next_day.csv", late);
  EXPECT_EQ(corrected.updated, 1) << (corrected.rows.empty() ? "" : corrected.rows[0].kind);

  FileReport may = Import("social-assistance", "may.csv",
                          header + kAbdulla + ",阿卜杜拉·艾买提,低保,2025-02-01,2025-03-31,650\n", Date::FromCivil(2025, 5, 5));
  EXPECT_EQ(may.updated, 1) << "a newer file corrects as before";
  EXPECT_EQ(Rows(in_force), (std::vector<std::string>{"{\"type\":\"低保\",\"start\":\"2025-02-01\",\"end\":\"2025-03-31\",\"monthly\":65000}"}));
}

// Brackets in headers (ingest/header_unit.h): a column's own unit (医疗总费用（万元）) or the unit
// stated above the header (单位：千元) scales its amounts; a guardian's ID number
// (身份证号（监护人）) beside the person's own is not taken for it; an amount in a unit Hearth does
// not read (美元) refuses the whole file.
TEST_F(FeedImportTest, HeaderBracketsScaleAmountsAndNameOtherPersons) {
  const std::string claim_in = "SELECT payload FROM events WHERE type = 'medical.claim' AND import_id = ";
  // Only the total is in 万元: 0.1 万元 is 1,000 yuan, which the payers' 600 + 400 fill; read as
  // yuan, the total would be 0.10 and every payer above it.
  FileReport wan = Import("medical-claims", "wan.csv",
                          "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用（万元）,基本医保报销,大病保险报销,医疗救助,个人自付\n" +
                              Claim(kAbdulla, "阿卜杜拉·艾买提", "住院,2025-03-01,2025-03-05,0.1,600,0,0,400"));
  ASSERT_TRUE(wan.refusal.ok()) << wan.refusal.ToString();
  ASSERT_EQ(wan.accepted, 1) << (wan.rows.empty() ? "" : wan.rows[0].hint);
  const std::string wan_payload = One(claim_in + std::to_string(wan.import_id));
  EXPECT_NE(wan_payload.find("\"total\":100000,"), std::string::npos) << wan_payload;
  EXPECT_NE(wan_payload.find("\"selfpay\":40000"), std::string::npos) << wan_payload;

  // Every amount in 千元, as the line above the header says.
  FileReport thousands = Import("medical-claims", "thousands.csv",
                                "2025年3月住院结算明细,,,,,,,,,\n单位：千元,,,,,,,,,\n" + std::string(kClaimsHeader) +
                                    Claim(kLi, "李秀兰", "住院,2025-03-02,2025-03-06,2,1.2,0,0.3,0.5"));
  ASSERT_TRUE(thousands.refusal.ok()) << thousands.refusal.ToString();
  ASSERT_EQ(thousands.accepted, 1) << (thousands.rows.empty() ? "" : thousands.rows[0].hint);
  const std::string thousands_payload = One(claim_in + std::to_string(thousands.import_id));
  for (std::string_view amount : {"\"total\":200000,", "\"basic\":120000,", "\"assistance\":30000,", "\"selfpay\":50000"}) {
    EXPECT_NE(thousands_payload.find(amount), std::string::npos) << amount << " in " << thousands_payload;
  }

  // The guardian's ID number stands first; the row is the patient's (买买提·吐尔逊), not the
  // guardian's (张建国), and both columns are there without a "two columns for one field" refusal.
  FileReport guardian = Import("medical-claims", "guardian.csv",
                               "身份证号（监护人）,身份证号,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n" +
                                   kZhang + "," + Claim(kMamatX, "买买提·吐尔逊", "门诊,2025-03-03,2025-03-03,100,60,0,0,40"));
  ASSERT_TRUE(guardian.refusal.ok()) << guardian.refusal.ToString();
  ASSERT_EQ(guardian.accepted, 1) << (guardian.rows.empty() ? "" : guardian.rows[0].hint);
  EXPECT_EQ(guardian.flagged, 0) << "no name mismatch: the patient's own ID number linked the row";
  EXPECT_EQ(One("SELECT person_id_number FROM events WHERE import_id = " + std::to_string(guardian.import_id)), kMamatX);

  // An amount in US dollars is never read as yuan: the file is refused, nothing written.
  const auto before = Totals();
  FileReport dollars = Import("medical-claims", "dollars.csv",
                              "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付（美元）\n" +
                                  Claim(kBuzainap, "布再乃普·吐尔逊"));
  EXPECT_EQ(dollars.refusal.kind(), "money_unit_unsupported");
  EXPECT_NE(dollars.refusal.message().find("column J (\"个人自付（美元）\") is an amount (个人自付), but its unit is \"美元\""),
            std::string::npos)
      << dollars.refusal.message();
  EXPECT_EQ(Totals(), before);
}

// Amounts in a column headed 万元 are stored in yuan; an amount beyond what the item can be is
// rejected; a disaster's type spelled another way is the same fact (a correction).
TEST_F(FeedImportTest, AmountsInTenThousandsAndAmountsThatCannotBe) {
  FileReport wan = Import("disaster", "wan.csv",
                          "证件号码,姓名,灾害类型,发生日期,直接经济损失（万元）,受灾程度\n" + kAbdulla +
                              ",阿卜杜拉·艾买提,洪涝,2025-03-05,1.5,较重\n" + kLi + ",李秀兰,洪涝,2025-03-05,0.1234,一般\n" + kZhang +
                              ",张建国,洪涝,2025-03-05,8000元,轻微\n",
                          Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(wan.accepted, 3) << (wan.rows.empty() ? "" : wan.rows[0].hint);
  EXPECT_EQ(Rows("SELECT amount_fen FROM events WHERE import_id = " + std::to_string(wan.import_id) + " ORDER BY source_line"),
            (std::vector<std::string>{"1500000", "123400", "800000"}))
      << "万元 to the fen; a cell naming its own unit (元) says what it is";
  FileReport again = Import("disaster", "again.csv",
                            "证件号码,姓名,灾害类型,发生日期,直接经济损失,受灾程度\n" + kAbdulla + ",阿卜杜拉·艾买提,洪涝 灾害,2025-03-05,16000,严重\n",
                            Date::FromCivil(2025, 4, 6));
  EXPECT_EQ(again.updated, 1) << "洪涝灾害 is 洪涝: the same flood, corrected";
  // An unreadable amount in a 万元 column is explained in 万元, never as yuan (which would be
  // 10,000 times too much).
  FileReport comma = Import("disaster", "comma.csv",
                            "证件号码,姓名,灾害类型,发生日期,直接经济损失（万元）,受灾程度\n" + kLi + ",李秀兰,冰雹,2025-03-07,\"1,2\",一般\n",
                            Date::FromCivil(2025, 4, 5));
  ASSERT_EQ(comma.rejected, 1);
  EXPECT_EQ(comma.rows[0].kind, "money_format");
  EXPECT_NE(comma.rows[0].hint.find("万元"), std::string::npos) << comma.rows[0].hint;
  EXPECT_EQ(comma.rows[0].hint.find("以元为单位"), std::string::npos) << comma.rows[0].hint;

  FileReport big = Import("social-assistance", "big.csv",
                          "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n" + kAbdulla +
                              ",阿卜杜拉·艾买提,低保,2025-02-01,,5800000\n" + kLi + ",李秀兰,低保,2025-02-01,,20000\n");
  ASSERT_EQ(big.rejected, 1);
  EXPECT_EQ(big.rows[0].kind, "money_out_of_range");
  EXPECT_EQ(big.rows[0].column, "月金额");
  EXPECT_EQ(big.accepted, 1) << "the most it can be is accepted";

  // Contradictory statuses of one child for one school year in one file: a conflict, both lines named.
  FileReport school = Import("school", "contra.csv",
                             std::string(kSchoolHeader) + kXiaoming + ",张小明,小学,辍学,2025-2026,,\n" + kXiaoming +
                                 ",张小明,小学,在校,2025-2026,,\n");
  EXPECT_EQ(school.accepted, 0);
  ASSERT_EQ(school.rejected, 2);
  EXPECT_EQ(school.rows[0].kind, "key_conflict");
  // Both keep their whole row, the earlier one (decided only when the later one came) too.
  EXPECT_EQ(Rows("SELECT line, cells FROM rejects WHERE import_id = " + std::to_string(school.import_id) + " ORDER BY line"),
            (std::vector<std::string>{"2|[\"" + kXiaoming + "\",\"张小明\",\"小学\",\"辍学\",\"2025-2026\",\"\",\"\"]",
                                      "3|[\"" + kXiaoming + "\",\"张小明\",\"小学\",\"在校\",\"2025-2026\",\"\",\"\"]"}));
}

// Cells as department spreadsheets export them: an ID from a numeric column with ".0" (its
// check character proving the 18 digits whole), amounts grouped by spaces; a month where a
// date is asked for is refused, its day never guessed.
TEST_F(FeedImportTest, CellsAsSpreadsheetsExportThem) {
  const std::string bad_check = kLi.substr(0, 17) + (kLi[17] == '1' ? "2" : "1");
  FileReport r = Import("social-assistance", "cells.csv",
                        "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n" +
                            kAbdulla + ".0,阿卜杜拉·艾买提,低保,2025-02-01,,1 200.50\n" +
                            kZhang + ".00,张建国,低保,2025-02-01,,\"1\u00A0234\"\n" +
                            kLi + ",李秀兰,低保,2025年2月,,300\n" +
                            bad_check + ".0,李秀兰,低保,2025-02-01,,300\n" +
                            "6.53221197805E+17,李秀兰,低保,2025-02-01,,300\n" +
                            kMamatX + ",买买提·吐尔逊,低保,2025-02-01,,12 34\n");
  ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
  EXPECT_EQ(r.accepted, 2) << "linked by their 18 digits";
  EXPECT_EQ(Rows("SELECT amount_fen FROM events WHERE import_id = " + std::to_string(r.import_id) + " ORDER BY source_line"),
            (std::vector<std::string>{"120050", "123400"}));
  ASSERT_EQ(r.rejected, 4);
  std::vector<std::string> problems;
  for (const RejectRecord& p : r.rows) problems.push_back(std::to_string(p.line) + " " + p.kind + " " + p.column);
  EXPECT_EQ(problems, (std::vector<std::string>{"4 date_month_only 开始日期", "5 id_spreadsheet_number 证件号码",
                                                "6 id_spreadsheet_number 证件号码", "7 money_format 月金额"}));
}

// A year's status holds from 1 January, or from the day its list arrived when that is earlier:
// next year's uninsured, listed during the autumn enrolment drive, count now.
TEST_F(FeedImportTest, NextYearsListCountsFromTheDayItArrived) {
  FileReport now = Import("medical-enrolment", "2025.csv", std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2025,参保,\n",
                          Date::FromCivil(2025, 1, 5));
  FileReport next = Import("medical-enrolment", "2026.csv", std::string(kEnrolmentHeader) + kAbdulla + ",阿卜杜拉·艾买提,2026,未参保,\n",
                           Date::FromCivil(2025, 11, 20));
  ASSERT_EQ(now.inserted, 1);
  ASSERT_EQ(next.inserted, 1);
  auto effective = [&](int64_t import_id) {
    return One("SELECT effective_date FROM events WHERE import_id = " + std::to_string(import_id));
  };
  EXPECT_EQ(effective(now.import_id), std::to_string(Date::FromCivil(2025, 1, 5).days()));
  EXPECT_EQ(effective(next.import_id), std::to_string(Date::FromCivil(2025, 11, 20).days()));
}

// Values as departments spell them end as the definition's canonical value; spaces inside a
// cell (a wrapped cell, "低 保") do not matter.
TEST_F(FeedImportTest, EnumerationsAsDepartmentsSpellThem) {
  struct Case {
    std::string kind, header, row, field, want;
  };
  const std::string assistance = "证件号码,姓名,救助类型,开始日期,结束日期,月金额\n";
  const std::vector<Case> cases = {
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,城乡低保,2025-01-01,,500\n", "type", "低保"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低 保,2025-01-02,,500\n", "type", "低保"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,分散供养特困人员,2025-01-03,,500\n", "type", "特困"},
      {"water", kWaterHeader, kAbdulla + ",阿卜杜拉·艾买提,,2025-03-10,√,×,基本达标,✓\n", "quantity", "达标"},
      {"water", kWaterHeader, kAbdulla + ",阿卜杜拉·艾买提,,2025-03-11,√,×,基本达标,✓\n", "quality", "不达标"},
      {"disability", kDisabilityHeader, kAbdulla + ",阿卜杜拉·艾买提,肢体残疾,Ⅱ级,2025-02-20,新办\n", "grade", "二级"},
      {"disability", kDisabilityHeader, kAbdulla + ",阿卜杜拉·艾买提,肢体,三级残疾,2025-02-20,新办\n", "grade", "三级"},
      {"school", kSchoolHeader, kXiaoming + ",张小明,小学阶段,在读,2025-2026,,\n", "status", "在校"},
      {"medical-enrolment", kEnrolmentHeader, kAbdulla + ",阿卜杜拉·艾买提,2025,断保,\n", "status", "停保"},
      {"employment", kEmploymentHeader, kAbdulla + ",阿卜杜拉·艾买提,外出务工,乌鲁木齐,3000,2025-03-01,,公益岗位\n", "status", "就业"},
      // Without 务工地点 and 岗位类型 (a file of 就业状态 only): the rest is still a fact.
      {"employment", "证件号码,姓名,就业状态,月收入,开始日期\n", kAbdulla + ",阿卜杜拉·艾买提,务工,3000,2025-03-02\n", "status",
       "就业"},
      {"housing", "户主证件号码,户主姓名,鉴定时间,鉴定结论\n", kAbdulla + ",阿卜杜拉·艾买提,2025-03-10,C级（局部危房）\n", "grade", "C"},
      {"housing", "户主证件号码,户主姓名,鉴定时间,鉴定结论\n", kAbdulla + ",阿卜杜拉·艾买提,2025-03-11,D级(整栋危房)\n", "grade", "D"},
      {"disability", kDisabilityHeader, kAbdulla + ",阿卜杜拉·艾买提,肢体,肆级,2025-02-21,补证\n", "grade", "四级"},
      {"disability", kDisabilityHeader, kAbdulla + ",阿卜杜拉·艾买提,肢体,叁级,2025-02-22,补证\n", "certificate_type", "补办"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,一类低保,2025-01-04,,500\n", "type", "低保"},
      // A monthly amount that names its rate.
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-11,,650元/月\n", "monthly", "65000"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-12,,６５０／月\n", "monthly", "65000"},
      {"employment", kEmploymentHeader, kAbdulla + ",阿卜杜拉·艾买提,务工,乌鲁木齐,3000元每月,2025-03-03,,\n", "monthly_income",
       "300000"},
      // A qualifier in brackets the definition does not know of.
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,农村低保（A类）,2025-01-09,,500\n", "type", "低保"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,特困(分散),2025-01-10,,500\n", "type", "特困"},
      // An end date offices leave open in words: the grant runs on, as with an empty cell.
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-05,长期,500\n", "type", "低保"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-06,至今,500\n", "type", "低保"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-07,/,500\n", "type", "低保"},
      {"social-assistance", assistance, kAbdulla + ",阿卜杜拉·艾买提,低保,2025-01-08,—,500\n", "type", "低保"},
      // Terms named after the school year, or the calendar year (spring: the year begun before).
      {"school", kSchoolHeader, kXiaoming + ",张小明,小学,在校,2024-2025学年第二学期,,\n", "status", "在校"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.kind + ": " + c.row);
    FileReport r = Import(c.kind, "spelling" + std::to_string(++n) + ".csv", c.header + c.row);
    ASSERT_TRUE(r.refusal.ok()) << r.refusal.ToString();
    ASSERT_EQ(r.rejected, 0) << (r.rows.empty() ? "" : r.rows[0].hint);
    const std::string payload = One("SELECT payload FROM events WHERE import_id = " + std::to_string(r.import_id));
    // Text is quoted, an amount (in fen) is not.
    const bool text = payload.find("\"" + c.field + "\":\"" + c.want + "\"") != std::string::npos;
    const bool number = payload.find("\"" + c.field + "\":" + c.want + ",") != std::string::npos ||
                        payload.find("\"" + c.field + "\":" + c.want + "}") != std::string::npos;
    EXPECT_TRUE(text || number) << payload;
  }
}

// A definition's value is matched as its synonyms are: a value written with full-width brackets
// takes a cell with half-width ones, or with a space before them.
TEST_F(FeedImportTest, DefinitionValuesAreFoldedAsCellsAre) {
  std::ifstream in(kDataDir / "feeds" / "disability.toml", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t at = text.find("\"多重\""); at != std::string::npos; at = text.find("\"多重\"", at)) {
    text.replace(at, std::string_view("\"多重\"").size(), "\"多重（综合）\"");
  }
  fs::create_directories(dir_ / "data" / "feeds");
  std::ofstream(dir_ / "data" / "feeds" / "disability.toml", std::ios::binary) << text;
  auto spec = LoadFeedSpecForKind(dir_ / "data", "disability");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  specs_["disability"] = *spec;
  FileReport r = Import("disability", "folded.csv",
                        std::string(kDisabilityHeader) + kAbdulla + ",阿卜杜拉·艾买提,多重(综合),二级,2025-02-20,新办\n" + kAbdulla +
                            ",阿卜杜拉·艾买提,多重 （综合）,二级,2025-02-21,新办\n" + kAbdulla + ",阿卜杜拉·艾买提,多重残疾,二级,2025-02-22,新办\n");
  ASSERT_EQ(r.accepted, 3) << (r.rows.empty() ? "" : r.rows[0].hint);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE import_id = " + std::to_string(r.import_id) +
                  " AND payload LIKE '%\"category\":\"多重（综合）\"%'"),
            3);
}

// A problem row names its column as the file heads it, so that the department finds the cell.
TEST_F(FeedImportTest, ProblemColumnIsNamedAsTheFileHeadsIt) {
  FileReport r = Import("housing", "heads.csv",
                        "户主身份证号,户主姓名,鉴定时间,鉴定结论\n" + kAbdulla + ",阿卜杜拉·艾买提,2025-03-10,E级\n");
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(r.rows[0].column, "鉴定结论");
  EXPECT_EQ(One("SELECT column_name FROM rejects WHERE import_id = " + std::to_string(r.import_id)), "鉴定结论");
}

// A school year as offices write it, terms included: a spring term named by its calendar year
// is in the school year begun the autumn before.
TEST_F(FeedImportTest, SchoolYearsAndTheirTerms) {
  const struct {
    const char* written;
    int year;
  } cases[] = {
      {"2025-2026", 2025},          {"2025-2026学年第二学期", 2025}, {"2025年秋季学期", 2025},
      {"2026年春季学期", 2025},     {"2025学年第一学期", 2025},      {"2025/26学年上学期", 2025},
      {"2026春季", 2025},           {"2026春季学期", 2025},          {"2025学年春季学期", 2025},
      {"2026春", 2025},             {"2025秋", 2025},                {"2026年春", 2025},
      {"2025秋季", 2025},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.written);
    ++n;
    FileReport r = Import("school", "year" + std::to_string(n) + ".csv",
                          std::string(kSchoolHeader) + kXiaoming + ",张小明,小学,在校," + c.written + "," + std::to_string(n * 100) + ",\n",
                          Date::FromCivil(2026, 4, 5));
    ASSERT_EQ(r.accepted, 1) << (r.rows.empty() ? "" : r.rows[0].hint);
    const std::string payload = One("SELECT payload FROM events WHERE import_id = " + std::to_string(r.import_id));
    EXPECT_NE(payload.find("\"school_year\":" + std::to_string(c.year)), std::string::npos) << payload;
  }
  FileReport bad = Import("school", "year-bad.csv", std::string(kSchoolHeader) + kXiaoming + ",张小明,小学,在校,2025-2027学年,,\n",
                          Date::FromCivil(2026, 4, 5));
  EXPECT_EQ(bad.rejected, 1);
}

// LibreOffice's XLSX of tests/fixtures/feeds/medical-claims_for_xlsx.csv, made in the test: with
// the ID column (1) imported as text it must import cleanly; without, the IDs become numbers
// that lost their last digits and every one of them must be refused, never accepted wrong.
// Rows of cells as one sheet holds them, written as CSV (cells without commas) or as a workbook's
// one sheet (every cell as text; empty cells left out).
void WriteSheet(const fs::path& path, const std::vector<std::vector<std::string>>& rows) {
  if (path.extension() != ".xlsx") {
    std::ofstream out(path, std::ios::binary);
    for (const std::vector<std::string>& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) out << (c == 0 ? "" : ",") << row[c];
      out << "\n";
    }
    return;
  }
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(book, "3月");
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), rows[r][c].c_str(), nullptr);
    }
  }
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
}

// Sets workbookPr date1904 in a workbook libxlsxwriter wrote (it has no option for it), as a
// workbook saved by older Mac Excel has it.
void SetDate1904(const fs::path& path) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), 0, &error);
  ASSERT_NE(zip, nullptr);
  const zip_int64_t index = zip_name_locate(zip, "xl/workbook.xml", 0);
  ASSERT_GE(index, 0);
  zip_stat_t st;
  ASSERT_EQ(zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st), 0);
  std::string xml(static_cast<size_t>(st.size), '\0');
  zip_file_t* f = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(zip_fread(f, xml.data(), st.size), static_cast<zip_int64_t>(st.size));
  zip_fclose(f);
  const size_t at = xml.find("<workbookPr");
  ASSERT_NE(at, std::string::npos) << xml;
  xml.insert(at + std::string_view("<workbookPr").size(), " date1904=\"1\"");
  static std::string kept;  // zip_source_buffer reads it at zip_close
  kept = xml;
  zip_source_t* src = zip_source_buffer(zip, kept.data(), kept.size(), 0);
  ASSERT_NE(src, nullptr);
  ASSERT_EQ(zip_file_replace(zip, static_cast<zip_uint64_t>(index), src, 0), 0);
  ASSERT_EQ(zip_close(zip), 0);
}

// Dates a spreadsheet holds as plain numbers (no date style) in a workbook of the 1904 date
// system are days of that system: 43894 there is 2024-03-05, not 2020-03-04.
TEST_F(FeedImportTest, PlainNumberDatesOfA1904WorkbookCountFrom1904) {
  const fs::path path = dir_ / "in" / "mac.xlsx";
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(book, "3月");
  const std::vector<std::string> header = {"证件号码", "姓名", "就诊类型", "入院日期", "出院日期", "医疗总费用",
                                           "基本医保报销", "大病保险报销", "医疗救助", "个人自付"};
  for (size_t c = 0; c < header.size(); ++c) worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), nullptr);
  worksheet_write_string(sheet, 1, 0, kAbdulla.c_str(), nullptr);
  worksheet_write_string(sheet, 1, 1, "阿卜杜拉·艾买提", nullptr);
  worksheet_write_string(sheet, 1, 2, "住院", nullptr);
  worksheet_write_number(sheet, 1, 3, 43894, nullptr);  // 2024-03-05 in the 1904 system
  worksheet_write_number(sheet, 1, 4, 43898, nullptr);  // 2024-03-09
  const double amounts[] = {1000, 600, 0, 0, 400};
  for (int c = 0; c < 5; ++c) worksheet_write_number(sheet, 1, static_cast<lxw_col_t>(5 + c), amounts[c], nullptr);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
  SetDate1904(path);
  FileReport f = ImportPath("medical-claims", path, Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
  ASSERT_EQ(f.accepted, 1) << (f.rows.empty() ? "" : f.rows[0].hint);
  EXPECT_EQ(One("SELECT effective_date FROM events WHERE type = 'medical.claim'"),
            std::to_string(Date::FromCivil(2024, 3, 9).days()))
      << "the discharge date, counted from 1904";
  EXPECT_NE(One("SELECT payload FROM events WHERE type = 'medical.claim'").find("2024-03-05"), std::string::npos);
}

// One sheet, two tables (住院, then 门诊慢特病) whose headers place the columns differently: the
// second names the ID column by an alias and puts it second, and swaps 个人自付 and 医疗救助. Each
// row is read by its own table's columns: the amounts stored as the file says, a row held in a
// batch decided under the columns it was read by, a problem row's cell named as its table heads
// it; the second table's header repeated on a later page is skipped.
TEST_F(FeedImportTest, TablesOnOneSheetAreEachReadByTheirOwnColumns) {
  const std::vector<std::string> second_header = {"姓名", "身份证号", "就诊类型", "入院日期", "出院日期",
                                                  "医疗总费用", "基本医保报销", "大病保险报销", "个人自付", "医疗救助"};
  const std::vector<std::vector<std::string>> rows = {
      {"一、住院"},                                                                                             // 1
      {"证件号码", "姓名", "就诊类型", "入院日期", "出院日期", "医疗总费用", "基本医保报销", "大病保险报销", "医疗救助",
       "个人自付"},                                                                                             // 2
      {kAbdulla, "阿卜杜拉·艾买提", "住院", "2025-03-01", "2025-03-05", "1000", "600", "0", "0", "400"},           // 3
      {kStranger, "无名氏", "住院", "2025-03-01", "2025-03-05", "1000", "600", "0", "0", "400"},                   // 4
      {"小计", "", "", "", "", "2000", "1200", "0", "0", "800"},                                                 // 5
      {"二、门诊慢特病"},                                                                                       // 6
      second_header,                                                                                            // 7
      {"张建国", kZhang, "门诊", "2025-03-10", "2025-03-10", "1000", "200", "0", "700", "100"},                    // 8
      {"李秀兰", kLi, "门诊", "2025-03-11", "2025-03-11", "1000", "200", "0", "七百", "100"},                      // 9
      second_header,                                                                                            // 10
      {"买买提·吐尔逊", kMamatX, "门诊", "2025-03-12", "2025-03-12", "1000", "200", "0", "600", "200"},            // 11
  };
  for (const std::string name : {"two_tables.csv", "two_tables.xlsx"}) {
    const fs::path path = dir_ / "in" / name;
    WriteSheet(path, rows);
    FileReport f = ImportPath("medical-claims", path, Date::FromCivil(2025, 4, 5));
    ASSERT_TRUE(f.refusal.ok()) << name << ": " << f.refusal.ToString();
    EXPECT_EQ(f.read, 5) << name;
    EXPECT_EQ(f.accepted, 3) << name;
    EXPECT_EQ(f.unmatched, 1) << name;
    EXPECT_EQ(f.rejected, 1) << name;
    EXPECT_EQ(f.header_rows_skipped, 2) << name;
    EXPECT_EQ(f.table_header_rows, std::vector<int64_t>{7}) << name;
    ASSERT_EQ(f.rows.size(), 2u) << name;
    // Held in the batch when the second table began: decided under the first table's columns.
    EXPECT_EQ(f.rows[0].line, 4);
    EXPECT_EQ(f.rows[0].kind, "person_unknown");
    EXPECT_EQ(f.rows[0].column, "证件号码");
    EXPECT_EQ(f.rows[0].raw, kStranger);
    // Under the second table's columns: its 个人自付 is column I.
    EXPECT_EQ(f.rows[1].line, 9);
    EXPECT_EQ(f.rows[1].column, "个人自付");
    EXPECT_EQ(f.rows[1].raw, "七百");
    EXPECT_EQ(f.rows[1].cells[8], "七百");
    const std::string events = "SELECT source_line || ':' || person_id_number || ':' || amount_fen FROM events WHERE import_id = " +
                               std::to_string(f.import_id) + " ORDER BY source_line";
    EXPECT_EQ(Rows(events), (std::vector<std::string>{"3:" + kAbdulla + ":40000", "8:" + kZhang + ":70000",
                                                      "11:" + kMamatX + ":60000"}))
        << name << ": 个人自付 is the amount, as each table heads it";
    EXPECT_NE(One("SELECT payload FROM events WHERE source_line = 8 AND import_id = " + std::to_string(f.import_id))
                  .find("\"assistance\":10000"),
              std::string::npos)
        << name;
    ASSERT_TRUE(UndoImport(*store_, f.import_id, {}, clock_).ok()) << name;
  }
}

TEST_F(FeedImportTest, ALaterTableWithoutTheIdColumnRefusesTheFile) {
  const std::vector<std::vector<std::string>> rows = {
      {"证件号码", "姓名", "就诊类型", "入院日期", "出院日期", "医疗总费用", "基本医保报销", "大病保险报销", "医疗救助", "个人自付"},
      {kAbdulla, "阿卜杜拉·艾买提", "住院", "2025-03-01", "2025-03-05", "1000", "600", "0", "0", "400"},
      {"二、门诊慢特病"},
      {"姓名", "就诊类型", "入院日期", "出院日期", "医疗总费用", "基本医保报销", "大病保险报销", "个人自付", "医疗救助"},
      {"张建国", "门诊", "2025-03-10", "2025-03-10", "1000", "200", "0", "700", "100"},
  };
  for (const std::string name : {"no_id.csv", "no_id.xlsx"}) {
    const fs::path path = dir_ / "in" / name;
    WriteSheet(path, rows);
    const auto before = Totals();
    FileReport f = ImportPath("medical-claims", path, Date::FromCivil(2025, 4, 5));
    EXPECT_EQ(f.refusal.kind(), "missing_columns") << name;
    EXPECT_NE(f.refusal.message().find("line 4 is the header of another table"), std::string::npos)
        << name << ": " << f.refusal.message();
    EXPECT_NE(f.refusal.message().find("lacks required columns: 证件号码"), std::string::npos) << f.refusal.message();
    EXPECT_EQ(Totals(), before) << name << ": nothing of the file is written";
  }
}

TEST_F(FeedImportTest, LibreOfficeXlsxWithIdsAsTextAndAsNumbers) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) {
    FAIL() << "soffice (LibreOffice) is not on PATH: run scripts/install-deps, which installs libreoffice-calc-nogui. "
              "This test converts a CSV fixture to XLSX with it and must not be skipped.";
  }
  const fs::path source = kFixtures / "medical-claims_for_xlsx.csv";
  const fs::path text_dir = dir_ / "xlsx-text", number_dir = dir_ / "xlsx-number";
  auto convert = [&](const std::string& filter, const fs::path& out, const std::string& profile) {
    // A profile of its own per run (no lock on a shared one), and a writable HOME.
    return "HOME=" + (dir_ / profile).string() + " soffice -env:UserInstallation=file://" + (dir_ / profile).string() +
           " --headless --infilter=\"" + filter + "\" --convert-to xlsx --outdir " + out.string() + " " + source.string() +
           " >" + (dir_ / (profile + ".log")).string() + " 2>&1";
  };
  for (const char* profile : {"lo-text", "lo-number"}) fs::create_directories(dir_ / profile);
  std::string both = "(" + convert("CSV:44,34,76,1,1/2", text_dir, "lo-text") + ") & (" +
                     convert("CSV:44,34,76,1", number_dir, "lo-number") + ") & wait";
  ASSERT_EQ(std::system(both.c_str()), 0) << both;
  const fs::path as_text = text_dir / "medical-claims_for_xlsx.xlsx", as_number = number_dir / "medical-claims_for_xlsx.xlsx";
  ASSERT_TRUE(fs::exists(as_text)) << both;
  ASSERT_TRUE(fs::exists(as_number)) << both;

  std::set<std::string> registered;
  for (const std::string& row : Rows("SELECT id_number FROM persons")) registered.insert(row);
  ASSERT_EQ(registered.size(), 24u);

  FileReport text = ImportPath("medical-claims", as_text, Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(text.refusal.ok()) << text.refusal.ToString();
  EXPECT_EQ(text.read, 24);
  EXPECT_EQ(text.accepted, 24) << (text.rows.empty() ? "" : text.rows[0].kind + ": " + text.rows[0].hint);
  EXPECT_TRUE(text.rows.empty());
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT person_id_number) FROM events WHERE import_id = " + std::to_string(text.import_id)), 24);

  FileReport number = ImportPath("medical-claims", as_number, Date::FromCivil(2025, 4, 5));
  ASSERT_TRUE(number.refusal.ok()) << number.refusal.ToString();
  EXPECT_EQ(number.read, 24);
  // The three IDs ending in X stayed text; the 21 others were stored as numbers.
  EXPECT_EQ(number.rejected, 21);
  EXPECT_EQ(number.rejected_by_kind["id_spreadsheet_number"], 21);
  EXPECT_EQ(number.duplicate, 3) << "the X rows are the facts the text version gave";
  EXPECT_EQ(number.accepted, 0);
  for (const RejectRecord& p : number.rows) {
    EXPECT_EQ(p.kind, "id_spreadsheet_number") << p.line << ": " << p.hint;
    EXPECT_EQ(p.column, "证件号码");
  }
  // Never a wrong ID: every event names a registered person.
  for (const std::string& person : Rows("SELECT DISTINCT person_id_number FROM events WHERE type = 'medical.claim'")) {
    EXPECT_TRUE(registered.contains(person)) << person;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE type = 'medical.claim'"), 24);
}

}  // namespace
}  // namespace hearth
