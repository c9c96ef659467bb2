#include "ingest/table.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/messages.h"
#include "core/testing/temp_dir.h"
#include "ingest/csv_reader.h"
#include "ingest/table_import.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

std::filesystem::path Fixture(std::string_view name) {
  return std::filesystem::path(HEARTH_TEST_SRCDIR) / "tests/fixtures/tables" / name;
}

std::filesystem::path TempFile(std::string_view name, std::string_view bytes) {
  static const hearth::testing::ProcessTempDir dir("hearth_table_test");
  std::filesystem::path path = dir.path() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::unique_ptr<TableReader> CsvFromString(const std::string& text) {
  auto reader = std::make_unique<CsvReader>(MakeStringSource(text), "名单.csv", TableOptions{});
  EXPECT_TRUE(reader->Start().ok());
  return reader;
}

TableRow Row(std::vector<std::string> cells) { return TableRow{1, std::move(cells)}; }

// Messages in English while it lives (the default, Chinese, again after).
struct InEnglish {
  InEnglish() { SetLanguage(Lang::kEn); }
  ~InEnglish() { SetLanguage(Lang::kZh); }
  InEnglish(const InEnglish&) = delete;
  InEnglish& operator=(const InEnglish&) = delete;
};

TEST(NormalizeHeaderTest, Cases) {
  struct Case {
    std::string_view in;
    std::string_view want;
  };
  for (const Case& c : std::vector<Case>{{"证件号码", "证件号码"},
                                         {" 证件 号码 ", "证件号码"},
                                         {"身份证\n号码", "身份证号码"},
                                         {"\u3000姓名\u00A0", "姓名"},
                                         {"*姓名", "姓名"},
                                         {"姓名*", "姓名"},
                                         {"＊姓名", "姓名"},
                                         {"金额（元）", "金额"},
                                         {"金额(元)", "金额"},
                                         {"* 金额 （元） ", "金额"},
                                         {"金额(元)*", "金额"},
                                         {"ＩＤ", "ID"},
                                         {"（元）", "(元)"},
                                         {"金额（万元）（必填）", "金额"},
                                         {"身份证号（监护人）", "监护人身份证号"},
                                         {"【必填】姓名", "姓名"},
                                         {"**", ""},
                                         {"", ""}}) {
    EXPECT_EQ(NormalizeHeader(c.in), c.want) << c.in;
  }
}

const std::vector<ColumnSpec> kColumns = {
    {"姓名", {}},
    {"证件号码", {"身份证号", "身份证号码", "公民身份号码"}},
    {"自付金额", {"个人自付"}},
    {"备注", {}, /*required=*/false},
};

TEST(FindHeaderTest, SkipsTitleAndBlankRows) {
  auto reader = CsvFromString(
      "2025年3月医保高额自付名单,,,\n"
      ",,,\n"
      "序号,姓名,身份证号, 自付金额（元）\n"
      "1, 张三 ,653221199001011234,100\n"
      "合计,,,100\n");
  StatusOr<HeaderMatch> header = FindHeader(*reader, kColumns);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->line, 3);
  EXPECT_EQ(header->index, (std::vector<int>{1, 2, 3, -1}));
  EXPECT_EQ(header->found, (std::vector<std::string>{"序号", "姓名", "身份证号", "自付金额（元）"}));
  EXPECT_FALSE(header->Has(3));

  TableRow row;
  ASSERT_TRUE(*reader->Next(&row));
  EXPECT_EQ(row.line, 4);
  EXPECT_EQ(header->Cell(row, 0), "张三");
  EXPECT_EQ(header->Cell(row, 1), "653221199001011234");
  EXPECT_EQ(header->Cell(row, 3), "");
  ASSERT_TRUE(*reader->Next(&row));
  EXPECT_TRUE(IsTotalRow(row));
}

TEST(FindHeaderTest, CellOfShortRowIsEmpty) {
  HeaderMatch header;
  header.index = {0, 5};
  TableRow row = Row({" a "});
  EXPECT_EQ(header.Cell(row, 0), "a");
  EXPECT_EQ(header.Cell(row, 1), "");
  EXPECT_EQ(header.Cell(row, 7), "");
}

struct FailCase {
  std::string name;
  std::string csv;
  int max_scan;
  std::string want_kind;
  std::vector<std::string> want_in_message;
};

TEST(FindHeaderTest, FilesWithoutAHeaderFail) {
  const std::vector<FailCase> cases = {
      {"missing one column", "标题\n姓名,身份证号\n张三,1\n", 30, "missing_columns",
       {"名单.csv", "自付金额", "第 2 行", "姓名、身份证号"}},
      {"best row named", "姓名\n姓名,证件号码,金额\n", 30, "missing_columns",
       {"自付金额", "第 2 行", "姓名、证件号码、金额"}},
      {"no candidate", "a,b\n1,2\n", 30, "missing_columns", {"姓名、证件号码、自付金额"}},
      {"empty file", "", 30, "missing_columns", {"名单.csv", "是空的", "自付金额"}},
      {"header beyond max_scan", "t\n\n\n\n姓名,证件号码,自付金额\n", 3, "missing_columns",
       {"前 3 行"}},
      {"duplicate column", "姓名,身份证号,身份证号 ,自付金额\n", 30, "duplicate_column",
       {"名单.csv", "第 1 行", "B 列“身份证号”", "C 列“身份证号”", "“证件号码”"}},
      {"two aliases equally close", "姓名,身份证号码,公民身份号码,身份证号码,自付金额\n", 30, "duplicate_column",
       {"B 列“身份证号码”", "D 列“身份证号码”"}},
  };
  for (const FailCase& c : cases) {
    auto reader = CsvFromString(c.csv);
    StatusOr<HeaderMatch> header = FindHeader(*reader, kColumns, c.max_scan);
    ASSERT_FALSE(header.ok()) << c.name;
    EXPECT_EQ(header.status().kind(), c.want_kind) << c.name;
    for (const std::string& part : c.want_in_message) {
      EXPECT_NE(header.status().message().find(part), std::string::npos)
          << c.name << ": " << header.status().message();
    }
  }
}

// Two cells naming one column (a housing file's 户主身份证号 and a member's 身份证号): the closer
// name wins, the column's own name first, then its aliases in their order.
TEST(FindHeaderTest, TheCloserOfTwoNamesForAColumnWins) {
  const struct {
    std::string csv;
    int id_column;
  } cases[] = {
      {"姓名,身份证号,证件号码,自付金额\n", 2},
      {"姓名,证件号码,身份证号,自付金额\n", 1},
      {"姓名,公民身份号码,身份证号,自付金额\n", 2},
      {"姓名,身份证号,公民身份号码,身份证号码,自付金额\n", 1},
  };
  for (const auto& c : cases) {
    auto reader = CsvFromString(c.csv);
    StatusOr<HeaderMatch> header = FindHeader(*reader, kColumns);
    ASSERT_TRUE(header.ok()) << c.csv << header.status().ToString();
    EXPECT_EQ(header->index[1], c.id_column) << c.csv;
  }
}

TEST(FindHeaderTest, EnglishMessage) {
  SetLanguage(Lang::kEn);
  auto reader = CsvFromString("姓名,身份证号\n");
  StatusOr<HeaderMatch> header = FindHeader(*reader, kColumns);
  SetLanguage(Lang::kZh);
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.status().message().find("required columns are missing: 自付金额"),
            std::string::npos)
      << header.status().message();
  EXPECT_NE(header.status().message().find("姓名, 身份证号"), std::string::npos);
}

TEST(FindHeaderTest, StarsUnitsAndOptionalColumns) {
  auto reader = CsvFromString("*姓名,*公民身份号码,个人自付（元）,备注\n");
  StatusOr<HeaderMatch> header = FindHeader(*reader, kColumns);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->index, (std::vector<int>{0, 1, 2, 3}));
}

// An amount column (money = true) and a guardian's ID number beside the person's own.
const std::vector<ColumnSpec> kPay = {
    {"姓名", {}},
    {"证件号码", {"身份证号"}},
    {"自付金额", {"个人自付"}, /*required=*/true, /*money=*/true},
    {"监护人身份证号", {}, /*required=*/false},
};

// Brackets in headers: a unit or note dropped, a role made a prefix; an exact name wins over
// one read through brackets; a unit stated above the header serves amount columns without one.
TEST(FindHeaderTest, BracketsReadAsUnitsNotesAndRoles) {
  const struct {
    std::string csv;
    std::vector<int> index;
    MoneyUnit unit;
    std::string stated;  // the stated unit's text, "" for none
  } cases[] = {
      {"姓名,身份证号（监护人）,身份证号,自付金额\n", {0, 2, 3, 1}, MoneyUnit::kYuan, ""},
      {"姓名,身份证号,身份证号【监护人】,自付金额（万元）\n", {0, 1, 3, 2}, MoneyUnit::kTenThousandYuan, ""},
      {"姓名（必填）,身份证号（18位）,自付金额（元）（必填）\n", {0, 1, 2, -1}, MoneyUnit::kYuan, ""},
      {"姓名,证件号码,个人自付（千元）\n", {0, 1, 2, -1}, MoneyUnit::kThousandYuan, ""},
      {"姓名,证件号码,自付金额（亿元）\n", {0, 1, 2, -1}, MoneyUnit::kHundredMillionYuan, ""},
      {"姓名,证件号码,自付金额（元/月）\n", {0, 1, 2, -1}, MoneyUnit::kYuan, ""},
      // Exact before read through brackets, whatever the order, even an alias before the name.
      {"姓名,证件号码,自付金额,自付金额（万元）\n", {0, 1, 2, -1}, MoneyUnit::kYuan, ""},
      {"姓名,证件号码,自付金额（万元）,自付金额\n", {0, 1, 3, -1}, MoneyUnit::kYuan, ""},
      {"姓名,证件号码,个人自付,自付金额（千元）\n", {0, 1, 2, -1}, MoneyUnit::kYuan, ""},
      {"姓名,身份证号（户主）,证件号码,自付金额\n", {0, 2, 3, -1}, MoneyUnit::kYuan, ""},
      // A unit stated above the header; the column's own wins.
      {"2025年3月名单\n单位：万元\n姓名,证件号码,自付金额\n", {0, 1, 2, -1}, MoneyUnit::kTenThousandYuan, "万元"},
      {"2025年3月名单,,金额单位：千元\n姓名,证件号码,自付金额\n", {0, 1, 2, -1}, MoneyUnit::kThousandYuan, "千元"},
      {"（单位：千元）\n姓名,证件号码,自付金额（元）\n", {0, 1, 2, -1}, MoneyUnit::kYuan, "千元"},
      {"单位：元\n单位：万元\n姓名,证件号码,自付金额\n", {0, 1, 2, -1}, MoneyUnit::kTenThousandYuan, "万元"},
      {"单位：美元\n姓名,证件号码,自付金额（元）\n", {0, 1, 2, -1}, MoneyUnit::kYuan, "美元"},
      {"单位：人\n姓名,证件号码,自付金额\n", {0, 1, 2, -1}, MoneyUnit::kYuan, "人"},  // about the counts
      {"填报单位：某县民政局\n姓名,证件号码,自付金额\n", {0, 1, 2, -1}, MoneyUnit::kYuan, ""},
  };
  for (const auto& c : cases) {
    auto reader = CsvFromString(c.csv);
    StatusOr<HeaderMatch> header = FindHeader(*reader, kPay);
    ASSERT_TRUE(header.ok()) << c.csv << header.status().ToString();
    EXPECT_EQ(header->index, c.index) << c.csv;
    EXPECT_EQ(header->MoneyUnitOf(2), c.unit) << c.csv;
    EXPECT_EQ(header->stated_unit ? header->stated_unit->text : "", c.stated) << c.csv;
  }
}

TEST(FindHeaderTest, BracketsThatRefuseTheFile) {
  const std::vector<FailCase> cases = {
      {"a guardian's ID is not the person's", "姓名,身份证号（监护人）,自付金额\n", 30, "missing_columns",
       {"证件号码"}},
      {"two columns read alike", "姓名,证件号码,自付金额（元）,自付金额（必填）\n", 30, "duplicate_column",
       {"C 列“自付金额（元）”", "D 列“自付金额（必填）”"}},
      {"another currency", "姓名,证件号码,自付金额（美元）\n", 30, "money_unit_unsupported",
       {"名单.csv", "第 1 行", "C 列“自付金额（美元）”", "“美元”", "“自付金额（元）”"}},
      {"a part of the yuan", "姓名,证件号码,个人自付（分）\n", 30, "money_unit_unsupported",
       {"C 列“个人自付（分）”", "“分”"}},
      {"not money at all", "标题\n姓名,证件号码,自付金额【斤】\n", 30, "money_unit_unsupported",
       {"第 2 行", "“斤”"}},
      {"a currency stated above", "单位：港币\n姓名,证件号码,自付金额\n", 30, "money_unit_unsupported",
       {"第 1 行写明“单位：港币”", "第 2 行的表头中 C 列“自付金额”", "“单位：元”"}},
  };
  for (const FailCase& c : cases) {
    auto reader = CsvFromString(c.csv);
    StatusOr<HeaderMatch> header = FindHeader(*reader, kPay, c.max_scan);
    ASSERT_FALSE(header.ok()) << c.name;
    EXPECT_EQ(header.status().kind(), c.want_kind) << c.name;
    for (const std::string& part : c.want_in_message) {
      EXPECT_NE(header.status().message().find(part), std::string::npos) << c.name << ": " << header.status().message();
    }
  }
  const InEnglish english;
  auto reader = CsvFromString("姓名,证件号码,自付金额（美元）\n");
  const std::string message = FindHeader(*reader, kPay).status().message();
  EXPECT_NE(message.find("column C (\"自付金额（美元）\") is an amount (自付金额), but its unit is \"美元\""),
            std::string::npos)
      << message;
}

// A header over two rows (a group cell over columns named in the row below, the other columns
// named above with empty cells under them, as a merged header is saved as CSV) is read as one;
// a group's unit serves the columns under it that state none.
TEST(FindHeaderTest, AHeaderOverTwoRows) {
  const struct {
    std::string csv;
    int64_t line;
    std::vector<int> index;
    MoneyUnit unit;
  } cases[] = {
      {"序号,姓名,证件号码,费用情况\n,,,自付金额\n1,张三,653221197001010015,12\n", 2, {1, 2, 3, -1}, MoneyUnit::kYuan},
      {"2025年名单\n序号,姓名,证件号码,费用情况（元）,\n,,,自付金额,监护人身份证号\n", 3, {1, 2, 3, 4}, MoneyUnit::kYuan},
      {"姓名,证件号码,费用情况（万元）\n,,个人自付\n", 2, {0, 1, 2, -1}, MoneyUnit::kTenThousandYuan},
      {"姓名,费用（万元）,\n,证件号码,个人自付\n", 2, {0, 1, 2, -1}, MoneyUnit::kTenThousandYuan},
      {"姓名,证件号码,费用情况（万元）\n,,个人自付（元）\n", 2, {0, 1, 2, -1}, MoneyUnit::kYuan},
      // The lower row names every column itself: the group row above is a title.
      {"人员信息,,费用（万元）\n姓名,证件号码,自付金额\n", 2, {0, 1, 2, -1}, MoneyUnit::kYuan},
  };
  for (const auto& c : cases) {
    auto reader = CsvFromString(c.csv);
    StatusOr<HeaderMatch> header = FindHeader(*reader, kPay);
    ASSERT_TRUE(header.ok()) << c.csv << header.status().ToString();
    EXPECT_EQ(header->line, c.line) << c.csv;
    EXPECT_EQ(header->index, c.index) << c.csv;
    EXPECT_EQ(header->MoneyUnitOf(2), c.unit) << c.csv;
  }
  // Two rows apart (a blank row between), or a lower row that names no column, are no header.
  for (std::string csv : {"姓名,证件号码,费用\n\n,,自付金额\n", "姓名,证件号码,费用\n,,100\n"}) {
    auto reader = CsvFromString(csv);
    EXPECT_EQ(FindHeader(*reader, kPay).status().kind(), "missing_columns") << csv;
  }
}

// A later table keeps the unit stated above the first, and is refused for a unit of its own that
// is not renminbi.
TEST(HeaderRowFinderTest, LaterTablesAndUnits) {
  auto reader = CsvFromString("单位：万元\n证件号码,姓名,个人自付\n");
  HeaderMatch header = *FindHeader(*reader, kPay);
  ASSERT_EQ(header.MoneyUnitOf(2), MoneyUnit::kTenThousandYuan);
  HeaderRowFinder finder(kPay);
  finder.Learn(header);
  HeaderMatch next;
  // The header repeated; the same places in another unit are another table.
  TableRow row{9, {"证件号码", "姓名", "个人自付"}};
  ASSERT_TRUE(finder.MayBeHeader(header, row));
  EXPECT_EQ(*finder.Read(header, row, "名单.csv", "第 9 行", &next), HeaderRowKind::kAgain);
  row.cells = {"证件号码", "姓名", "个人自付（万元）"};
  EXPECT_EQ(*finder.Read(header, row, "名单.csv", "第 9 行", &next), HeaderRowKind::kAgain);
  row.cells = {"证件号码", "姓名", "个人自付（元）"};
  ASSERT_EQ(*finder.Read(header, row, "名单.csv", "第 9 行", &next), HeaderRowKind::kNew);
  EXPECT_EQ(next.MoneyUnitOf(2), MoneyUnit::kYuan);
  row.cells = {"姓名", "证件号码", "个人自付"};
  ASSERT_TRUE(finder.MayBeHeader(header, row));
  ASSERT_EQ(*finder.Read(header, row, "名单.csv", "第 9 行", &next), HeaderRowKind::kNew);
  EXPECT_EQ(next.MoneyUnitOf(2), MoneyUnit::kTenThousandYuan);
  row.cells = {"姓名", "证件号码", "个人自付（元）"};
  ASSERT_EQ(*finder.Read(header, row, "名单.csv", "第 9 行", &next), HeaderRowKind::kNew);
  EXPECT_EQ(next.MoneyUnitOf(2), MoneyUnit::kYuan);
  row.cells = {"姓名", "证件号码", "个人自付（美元）"};
  StatusOr<HeaderRowKind> refused = finder.Read(header, row, "名单.csv", "第 9 行", &next);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), "money_unit_unsupported");
  EXPECT_NE(refused.status().message().find("第 9 行的表头中，C 列“个人自付（美元）”"), std::string::npos)
      << refused.status().message();
}

TEST(IsBlankRowTest, Cases) {
  struct Case {
    std::vector<std::string> cells;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{{}, true},
                                         {{""}, true},
                                         {{" ", "\t", "\u3000"}, true},
                                         {{"", "x"}, false},
                                         {{"0"}, false},
                                         // A template's pre-numbered rows: only the 序号 filled in.
                                         {{"3", "", " "}, true},
                                         {{"12345"}, true},
                                         {{"123456", ""}, false},
                                         {{"007", ""}, false},
                                         {{"3", "x"}, false},
                                         {{"", "3"}, false},
                                         {{"3.5", ""}, false},
                                         {{"\x1A"}, true}}) {
    EXPECT_EQ(IsBlankRow(Row(c.cells)), c.want) << ::testing::PrintToString(c.cells);
  }
}

TEST(IsSectionTitleTest, Cases) {
  struct Case {
    std::vector<std::string> cells;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{{"二、特困供养人员"}, true},
                                         {{"", "十一、临时救助", ""}, true},
                                         {{"（二）分散供养"}, true},
                                         {{"(3)集中供养"}, true},
                                         {{"2、新增对象"}, true},
                                         {{"第二部分：公益性岗位"}, true},
                                         {{"", "第一部分 外出务工"}, true},
                                         {{"第三节新增对象"}, true},
                                         {{"第２部分（续）"}, true},
                                         {{"第十二章"}, true},
                                         {{"第二部分"}, true},
                                         {{"第二"}, false},
                                         {{"第二名"}, false},
                                         {{"第一二三四部分"}, false},
                                         {{"第部分"}, false},
                                         {{"第二部分：公益性岗位", "653221197001010015"}, false},
                                         {{"二、"}, false},
                                         {{"二、特困", "653221197001010015"}, false},
                                         {{"特困供养人员"}, false},
                                         {{"2025、"}, false},
                                         {{"2"}, false},
                                         {{"一二三四、太长的编号"}, false},
                                         {{}, false}}) {
    EXPECT_EQ(IsSectionTitle(Row(c.cells)), c.want) << ::testing::PrintToString(c.cells);
  }
}

const std::vector<ColumnSpec> kPeople = {{"姓名", {}}, {"证件号码", {"身份证号"}}};

const std::vector<ColumnSpec> kAid = {
    {"证件号码", {"身份证号"}},
    {"姓名", {}},
    {"救助类型", {}},
    {"救助金额", {"金额"}},
    {"备注", {}, /*required=*/false},
};

// A row among the data, read under the header 序号,证件号码,姓名,救助类型,救助金额（元）: "data",
// "again", "new <column index per spec>", or "error <kind>: <message>".
std::string HeaderRow(const std::vector<std::string>& cells) {
  auto reader = CsvFromString("序号,证件号码,姓名,救助类型,救助金额（元）\n");
  HeaderMatch header = *FindHeader(*reader, kAid);
  HeaderRowFinder finder(kAid);
  finder.Learn(header);
  TableRow row{9, cells};
  if (!finder.MayBeHeader(header, row)) return "data";
  HeaderMatch next;
  StatusOr<HeaderRowKind> kind = finder.Read(header, row, "名单.csv", "第 9 行", &next);
  if (!kind.ok()) return "error " + std::string(kind.status().kind()) + ": " + kind.status().message();
  if (*kind == HeaderRowKind::kAgain) return "again";
  std::string out = "new";
  for (int index : next.index) out += " " + std::to_string(index);
  EXPECT_EQ(next.line, 9);
  return out;
}

TEST(HeaderRowFinderTest, Cases) {
  struct Case {
    std::vector<std::string> cells;
    std::string want;  // or, for an error, its start
  };
  const std::vector<Case> cases = {
      // The header repeated on a printed page: as written, or only partly.
      {{"序号", "证件号码", "姓名", "救助类型", "救助金额（元）"}, "again"},
      {{"", " 证件号码 ", "姓名", "", ""}, "again"},
      {{"序号", "身份证号", "姓名", "救助类型", "金额"}, "again"},  // other names, same places
      {{"", "", "姓名", "救助类型", "救助金额"}, "again"},  // part of it, each where it was (a two-row header)
      // Another table whose columns stand elsewhere: read by its own columns.
      {{"序号", "身份证号", "姓名", "救助金额", "救助类型"}, "new 1 2 4 3 -1"},
      {{"姓名", "证件号码", "救助类型", "救助金额（元）", "备注"}, "new 1 0 2 3 4"},
      {{"序号", "证件号码", "姓名", "救助类型", "救助金额（元）", "备注"}, "new 1 2 3 4 5"},  // one column more
      // Such a table must have every required column, and tell its columns apart.
      {{"序号", "姓名", "证件号码", "", ""}, "error missing_columns: file 名单.csv: 第 9 行 is the header of another table"},
      {{"姓名", "证件号码", "救助类型", "金额", "金额"}, "error duplicate_column: file 名单.csv: 第 9 行"},
      // Data, however it looks.
      {{"1", "653221197001010015", "张三", "低保", "300"}, "data"},
      {{"1", "653221197001010015", "姓名", "低保", "300"}, "data"},  // one header word is not a header
      {{"3", "证件号码", "", "", ""}, "data"},
      {{}, "data"},
  };
  {
    const InEnglish english;
    for (const Case& c : cases) {
      const std::string got = HeaderRow(c.cells);
      if (c.want.starts_with("error")) {
        EXPECT_TRUE(got.starts_with(c.want)) << ::testing::PrintToString(c.cells) << "\n" << got;
      } else {
        EXPECT_EQ(got, c.want) << ::testing::PrintToString(c.cells);
      }
    }
  }
  const std::string zh = HeaderRow({"序号", "姓名", "证件号码", "", ""});
  EXPECT_NE(zh.find("第 9 行是另一张表的表头"), std::string::npos) << zh;
  EXPECT_NE(zh.find("缺少必需的列：救助类型、救助金额"), std::string::npos) << zh;
}

TEST(IsTotalRowTest, Cases) {
  struct Case {
    std::vector<std::string> cells;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{{"合计", "", "100"}, true},
                                         {{"", " 合 计 ", "100"}, true},
                                         {{"合\u3000计"}, true},
                                         {{"总计："}, true},
                                         {{"小计"}, true},
                                         {{"共计10户"}, true},
                                         {{"Total", "5"}, true},
                                         {{"TOTAL"}, true},
                                         {{"Ｔｏｔａｌ"}, true},
                                         {{"1", "合计"}, false},
                                         {{"张三", "合计"}, false},
                                         {{"合"}, false},
                                         {{"Tot"}, false},
                                         {{}, false},
                                         {{"", ""}, false},
                                         {{"本页小计", "", "2040"}, true},
                                         {{"累计", "3"}, true},
                                         {{"共3户3人", ""}, true},
                                         {{"共 12 人"}, true},
                                         {{"共青团员", "653221199001011234"}, false},
                                         // A total without its label.
                                         {{"", "", "", "2040"}, true},
                                         {{"", "3", "¥2,040.00", "2040元"}, true},
                                         {{"1", "", "", "680"}, false},  // a data row's number
                                         {{"", "653221199001011234", "680"}, false},  // an ID number
                                         {{"", "6532211002010001", "680"}, false},  // a household code
                                         {{"", "张三", "680"}, false},
                                         {{"", "2025-03-01", "680"}, false}}) {
    EXPECT_EQ(IsTotalRow(Row(c.cells)), c.want) << ::testing::PrintToString(c.cells);
  }
}

// A totals row without a label is told by its sums: each figure is the sum of its column over
// the rows above, with no ID number beside them.
TEST(ColumnSumsTest, Cases) {
  const std::string id1 = "653221197001010015", id2 = "653221197201010028";
  struct Case {
    std::string name;
    std::vector<std::vector<std::string>> rows;  // added, in order
    std::vector<std::string> candidate;
    bool want;
  };
  const std::vector<std::vector<std::string>> two = {{"张三", id1, "100.00", "2"}, {"李四", id2, "250.50", "1"}};
  const std::vector<std::vector<std::string>> three = {{"张三", id1, "低保", "2025-01-01", "100.00"},
                                                      {"李四", id2, "低保", "2025-01-01", "250.50"}};
  const std::vector<Case> cases = {
      {"the sums beside a word", two, {"全县", "", "350.50", "3"}, true},
      {"the sums under an empty first cell", two, {"", "", "350.5", "3"}, true},
      {"the sums with separators and 元", two, {"", "", "¥350.50", "3元"}, true},
      {"one sum only, the other cell empty", two, {"全县", "", "350.50", ""}, true},
      {"a figure that is not its column's sum", two, {"全县", "", "350.50", "4"}, false},
      {"a data row without its ID number", two, {"王五", "", "80.00", "1"}, false},
      {"the sums beside an ID number", two, {"王五", id1, "350.50", "3"}, false},
      {"a figure under the names", two, {"2", "", "350.50", "3"}, false},
      {"only zeros", {{"a", "0"}, {"b", "0"}}, {"", "0"}, false},
      {"one row above: a repeat, not a total", {{"张三", "100"}}, {"", "100"}, false},
      {"a copy of the one row above that is not 0", {{"张三", "0"}, {"李四", "100"}}, {"全村", "100"}, false},
      {"thousands separators", {{"a", "1,000.00"}, {"b", "2,000"}}, {"全村", "3,000.00"}, true},
      {"an accounting dash counts 0", {{"a", " -  "}, {"b", "5"}, {"c", "¥ -"}, {"d", "2"}}, {"全村", "7"}, true},
      {"negative figures", {{"a", "-5"}, {"b", "10.25"}}, {"全村", "5.25"}, true},
      {"a column whose cells are not all figures is not summed", {{"a", "100"}, {"b", "无"}}, {"全村", "100"}, false},
      {"a column beginning lower down", {{"a", "1"}, {"b", "2", "7"}}, {"", "3", "7"}, true},
      {"more than four decimals: not summed", {{"a", "0.00001"}, {"b", "0.00002"}}, {"", "0.00003"}, false},
      // A row whose ID number is missing: data, though its amount is the sum of those above.
      {"a name, a type and a date beside the sum", three, {"王五", "", "低保", "2025-01-01", "350.50"}, false},
      {"a name and a type beside the sum", three, {"王五", "", "低保", "", "350.50"}, false},
      {"a date beside the sum", three, {"", "", "", "2025-01-01", "350.50"}, false},
      {"the label alone beside the sum", three, {"全县", "", "", "", "350.50"}, true},
  };
  for (const Case& c : cases) {
    ColumnSums sums;
    for (const std::vector<std::string>& cells : c.rows) sums.Add(Row(cells));
    EXPECT_EQ(sums.IsTotal(Row(c.candidate)), c.want) << c.name;
    sums.Clear();
    EXPECT_FALSE(sums.IsTotal(Row(c.candidate))) << c.name << ": nothing added since Clear";
  }
}

// A CSV row split at an unquoted comma is judged against the usual width of the table's rows,
// not only the header's: trailing empty cells and remarks in a padded column are no split.
TEST(CellBeyondTest, Cases) {
  struct Case {
    std::string name;
    std::vector<std::string> header;
    size_t usual;
    std::vector<std::string> row;
    int want;
  };
  const std::vector<std::string> padded = {"姓名", "证件号码", "地址", "", ""};
  const std::vector<Case> cases = {
      {"as wide as the header", {"姓名", "证件号码", "地址"}, 3, {"张三", "1", "乡"}, -1},
      {"one cell more than the rows", {"姓名", "证件号码", "地址"}, 3, {"张", "三", "1", "乡"}, 3},
      {"trailing empty cells", {"姓名", "证件号码", "地址"}, 3, {"张三", "1", "乡", "", " ", ""}, -1},
      {"a remark under a padded header cell", padded, 5, {"张三", "1", "乡", "已死亡", ""}, -1},
      {"text shifted under a padded header cell", padded, 5, {"张", "三", "1", "乡", "", ""}, 3},
      {"a figure under a padded header cell", padded, 5, {"张三", "1", "乡", "300.00", ""}, 3},
      {"rows padded wider than the header: a remark", {"姓名", "证件号码", "地址"}, 5, {"张三", "1", "乡", "已死亡", ""}, -1},
      {"rows padded wider than the header: a split", {"姓名", "证件号码", "地址"}, 5, {"张", "三", "1", "乡", "已死亡", ""}, 3},
  };
  for (const Case& c : cases) {
    HeaderMatch header;
    header.found = c.header;
    EXPECT_EQ(CellBeyond(Row(c.row), header, c.usual), c.want) << c.name;
  }
  TableRow row = Row({"张", "三", "1", "乡", "", ""});
  EXPECT_EQ(FilledWidth(row), 4u);
}

TEST(UsualWidthTest, TheHeadersWidthHoldsUntilOutnumbered) {
  UsualWidth widths(3);
  EXPECT_EQ(widths.cells(), 3u);
  widths.Add(5);
  EXPECT_EQ(widths.cells(), 3u) << "one row of 5 against the header's 3";
  widths.Add(5);
  EXPECT_EQ(widths.cells(), 5u);
  widths.Add(6);
  widths.Add(100000);  // too wide to count
  EXPECT_EQ(widths.cells(), 5u);
}

// A file in which no row names a column: the refusal quotes the first non-empty rows, cut short,
// so that the sender sees what was sent (another table, a report).
TEST(FindHeaderTest, WithoutAHeaderTheFirstRowsAreQuoted) {
  const std::string text = "2025年低保资金发放汇总表\n\n乡镇,户数,金额\n一乡,3,900\n二乡,4,1200\n" + std::string(200, 'x') + "\n";
  for (Lang lang : {Lang::kZh, Lang::kEn}) {
    SetLanguage(lang);
    auto reader = CsvFromString(text);
    HeaderMiss miss;
    StatusOr<HeaderMatch> header = FindHeader(*reader, kPeople, 30, &miss);
    SetLanguage(Lang::kZh);
    ASSERT_FALSE(header.ok());
    EXPECT_EQ(header.status().kind(), "missing_columns");
    const std::string message = header.status().message();
    const std::vector<std::string> want =
        lang == Lang::kZh ? std::vector<std::string>{"第 1 行“2025年低保资金发放汇总表”；第 3 行“乡镇｜户数｜金额”；第 4 行“一乡｜3｜900”",
                                                    "它可能是另一张表"}
                          : std::vector<std::string>{"line 1 \"2025年低保资金发放汇总表\"; line 3 \"乡镇 | 户数 | 金额\"; line 4",
                                                    "another table"};
    for (const std::string& part : want) EXPECT_NE(message.find(part), std::string::npos) << message;
    EXPECT_EQ(message.find("二乡"), std::string::npos) << "three rows are quoted: " << message;
    EXPECT_EQ(miss.line, 0);
    EXPECT_EQ(miss.required, 2);
  }
  // A long row is cut short.
  auto reader = CsvFromString(std::string(300, 'y') + ",z\n");
  StatusOr<HeaderMatch> header = FindHeader(*reader, kPeople);
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.status().message().find(std::string(80, 'y') + "…"), std::string::npos) << header.status().message();
  EXPECT_EQ(header.status().message().find(std::string(81, 'y')), std::string::npos);
  // Blank rows only.
  auto blank = CsvFromString("\n,,\n");
  EXPECT_NE(FindHeader(*blank, kPeople).status().message().find("（只有空行）"), std::string::npos);
}

TEST(FindHeaderTest, TheClosestRowIsDescribed) {
  auto reader = CsvFromString("标题\n证件号码,姓名,电话\n1,张三,2\n");
  HeaderMiss miss;
  StatusOr<HeaderMatch> header = FindHeader(*reader, kAid, 30, &miss);
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(miss.line, 2);
  EXPECT_EQ(miss.named, 2);
  EXPECT_EQ(miss.required, 4);
  EXPECT_EQ(miss.required_named, 2);
  EXPECT_EQ(miss.missing, (std::vector<std::string>{"救助类型", "救助金额"}));
  EXPECT_EQ(miss.headers, (std::vector<std::string>{"证件号码", "姓名", "电话"}));
}

TEST(IsNoteRowTest, Cases) {
  struct Case {
    std::vector<std::string> cells;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{{"制表人：张三", "", "审核人：李四"}, true},
                                         {{"审核：李四"}, true},
                                         {{"", "填表说明：1.参保年度填写四位年份"}, true},
                                         {{"填报说明：见附件"}, true},
                                         {{"填报单位（盖章）：某某县医疗保障局"}, true},
                                         {{"注意：不得涂改"}, true},
                                         {{"注：本表由县医保局提供"}, true},
                                         {{"说明：本表数据截至2025年3月31日"}, true},
                                         {{"数据截至2025年3月31日"}, true},
                                         {{"联系电话：0998-1234567"}, true},
                                         // A lone line: the date or the office that made the table.
                                         {{"2025年3月31日", "", ""}, true},
                                         {{"", "某某县医疗保障局"}, true},
                                         {{"疏附县民政局（盖章）"}, true},
                                         // A lone date in any form ParseDate reads.
                                         {{"2025-03-31"}, true},
                                         {{"", "", "2025/4/1"}, true},
                                         {{"2025.04.01"}, true},
                                         {{"20250401"}, true},
                                         {{"2025-04-01 00:00:00"}, true},
                                         {{"２０２５－０４－０１"}, true},
                                         {{"45383"}, false},  // as text, a serial is as likely a figure
                                         {{"", "45383.0"}, false},
                                         {{"2025"}, false},
                                         {{"2025-02-30"}, false},
                                         {{"2025-04-01", "张三"}, false},
                                         {{"局"}, false},
                                         {{"2025年3月31日", "653221199001011234"}, false},
                                         {{"张三", "653221199001011234", "住院"}, false},
                                         {{"653221199001011234"}, false},
                                         {{"阿卜杜拉·艾买提"}, false},
                                         {{}, false}}) {
    EXPECT_EQ(IsNoteRow(Row(c.cells)), c.want) << ::testing::PrintToString(c.cells);
  }
}

std::string ReadRows(TableReader& reader) {
  std::string out;
  TableRow row;
  while (true) {
    StatusOr<bool> more = reader.Next(&row);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    out += std::to_string(row.line) + ":";
    for (const std::string& cell : row.cells) out += cell + "|";
    out += "\n";
  }
  return out;
}

const char kMedicalRows[] =
    "1:2025年3月医保高额自付名单|||||\n"
    "2:序号|姓名|证件号码|自付金额（元）|结算日期|\n"
    "3:1|张三|653221199001011234|12,345.60|2025-03-05|\n"
    "4:2|阿卜杜拉·艾买提|65322119850315002X|8800|2025-03-18|\n"
    "5:3|李四|653221200512310018|15000.5|2025-03-31|\n"
    "6:合计|||36,146.10||\n";

TEST(OpenTableTest, Utf8AndGbkFixturesReadAlike) {
  for (std::string_view name : {"medical_title.csv", "medical_title_gbk.csv"}) {
    StatusOr<std::unique_ptr<TableReader>> reader = OpenTable(Fixture(name), {});
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->format(), "csv");
    EXPECT_EQ(ReadRows(**reader), kMedicalRows) << name;
    EXPECT_EQ((*reader)->BytesRead(), (*reader)->TotalBytes());
  }
  EXPECT_EQ((*OpenTable(Fixture("medical_title_gbk.csv"), {}))->encoding(), Encoding::kGbk);
  EXPECT_EQ((*OpenTable(Fixture("medical_title.csv"), {}))->encoding(), Encoding::kUtf8);
}

TEST(OpenTableTest, FindHeaderOnGbkFixture) {
  auto reader = std::move(OpenTable(Fixture("medical_title_gbk.csv"), {})).value();
  StatusOr<HeaderMatch> header = FindHeader(*reader, kColumns);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->line, 2);
  TableRow row;
  int people = 0;
  while (*reader->Next(&row)) {
    if (IsBlankRow(row) || IsTotalRow(row)) continue;
    ++people;
  }
  EXPECT_EQ(people, 3);
}

TEST(OpenTableTest, ExtensionsAndFormats) {
  std::filesystem::path tsv = TempFile("list.TSV", "a\tb,c\n");
  auto reader = std::move(OpenTable(tsv, {})).value();
  EXPECT_EQ(ReadRows(*reader), "1:a|b,c|\n");
  std::filesystem::path upper = TempFile("LIST.CSV", "a,b\n");
  EXPECT_EQ(ReadRows(*std::move(OpenTable(upper, {})).value()), "1:a|b|\n");
  // A system's export named .xls that is really text is read as text (the delimiter as asked).
  std::filesystem::path text_xls = TempFile("export.xls", "\xEF\xBB\xBF证件号码,姓名\n1,张三\n");
  EXPECT_EQ(ReadRows(*std::move(OpenTable(text_xls, {})).value()), "1:证件号码|姓名|\n2:1|张三|\n");
  TableOptions tabs;
  tabs.delimiter = '\t';
  std::filesystem::path tab_xls = TempFile("tabs.XLS", "a\tb\n");
  EXPECT_EQ(ReadRows(*std::move(OpenTable(tab_xls, tabs)).value()), "1:a|b|\n");
  // A workbook renamed .csv is read as the workbook.
  std::ifstream book(Fixture("medical_title_text_ids.xlsx"), std::ios::binary);
  std::filesystem::path renamed = TempFile("workbook.csv", std::string(std::istreambuf_iterator<char>(book), {}));
  auto as_book = std::move(OpenTable(renamed, {})).value();
  EXPECT_EQ(as_book->format(), "xlsx");
  EXPECT_EQ(ReadRows(*as_book), ReadRows(*std::move(OpenTable(Fixture("medical_title_text_ids.xlsx"), {})).value()));
  // And a text table named .xlsx or .xlsm is read as the text it is, in UTF-8 or GBK.
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"text.xlsx", "证件号码,姓名\n1,张三\n"},
           {"bom.XLSX", "\xEF\xBB\xBF证件号码,姓名\n1,张三\n"},
           {"gbk.xlsx", *Utf8ToGbk("证件号码,姓名\n1,张三\n")},
           {"text.xlsm", "证件号码,姓名\r\n1,张三\r\n"}}) {
    StatusOr<std::unique_ptr<TableReader>> text = OpenTable(TempFile(name, bytes), {});
    ASSERT_TRUE(text.ok()) << name << ": " << text.status().ToString();
    EXPECT_EQ((*text)->format(), "csv") << name;
    EXPECT_EQ(ReadRows(**text), "1:证件号码|姓名|\n2:1|张三|\n") << name;
  }
}

TEST(OpenTableTest, Failures) {
  struct Case {
    std::filesystem::path path;
    std::string want_kind;
    std::string want_in_message;
  };
  const std::vector<Case> cases = {
      {TempFile("report.doc", "x"), "format_unknown", ".doc"},
      {TempFile("noext", "x"), "format_unknown", "noext"},
      {TempFile("old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old"), "format_xls", ".xlsx"},
      {TempFile("page.xls", "\xEF\xBB\xBF\r\n<html><table><tr><td>证件号码</td></tr></table></html>"), "format_xls", "HTML"},
      {TempFile("binary.xls", std::string("ab\0cd", 5)), "format_xls", ".xlsx"},
      {TempFile("encrypted.xlsx", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 enc"), "format_xls", "密码"},
      {TempFile("fake.xlsx", std::string("\x01\x02\x03\0binary", 10)), "format_not_table", "既不是 Excel 工作簿"},
      {TempFile("fake.xlsm", "\x81\x20\x81\x20 neither UTF-8 nor GBK"), "format_not_table", "fake.xlsm"},
      {TempFile("page.xlsx", "<html><table><tr><td>证件号码</td></tr></table></html>"), "format_xls", "HTML"},
      {TempFile("cut.xlsx", std::string("PK\3\4", 4) + std::string(200, 'x')), "xlsx_corrupt", "不是 zip 压缩包"},
      {Fixture("does_not_exist.csv"), "io_open", "does_not_exist.csv"},
      {Fixture("does_not_exist.xlsx"), "io_open", "does_not_exist.xlsx"},
      {Fixture("does_not_exist.xls"), "io_open", "does_not_exist.xls"},
      {Fixture(""), "format_unknown", "tables"},
  };
  for (const Case& c : cases) {
    StatusOr<std::unique_ptr<TableReader>> reader = OpenTable(c.path, {});
    ASSERT_FALSE(reader.ok()) << c.path;
    EXPECT_EQ(reader.status().kind(), c.want_kind) << c.path << ": " << reader.status().message();
    EXPECT_NE(reader.status().message().find(c.want_in_message), std::string::npos)
        << reader.status().message();
  }
}

TEST(OpenTableTest, DirectoryNamedCsvFails) {
  hearth::testing::ScopedTempDir tmp("hearth_table_test");
  std::filesystem::path dir = tmp.path() / "dir.csv";
  std::filesystem::create_directories(dir);
  StatusOr<std::unique_ptr<TableReader>> reader = OpenTable(dir, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().kind(), "io_directory");
}

// ---- OpenTableAtHeader: every sheet of a workbook that has the header ----

struct SheetSpec {
  std::string name;
  std::vector<std::vector<std::string>> rows;  // from row 1; empty cells are left out
  bool hidden = false;
  std::vector<int> hidden_rows;                // 1-based
};

std::filesystem::path WriteBook(std::string_view name, const std::vector<SheetSpec>& sheets) {
  const std::filesystem::path path = TempFile(name, "");
  lxw_workbook* book = workbook_new(path.c_str());
  std::vector<lxw_worksheet*> added;
  for (const SheetSpec& s : sheets) {
    lxw_worksheet* ws = added.emplace_back(workbook_add_worksheet(book, s.name.c_str()));
    for (size_t r = 0; r < s.rows.size(); ++r) {
      for (size_t c = 0; c < s.rows[r].size(); ++c) {
        if (s.rows[r][c].empty()) continue;
        worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), s.rows[r][c].c_str(), nullptr);
      }
    }
    lxw_row_col_options hidden = {};
    hidden.hidden = LXW_TRUE;
    for (int r : s.hidden_rows) worksheet_set_row_opt(ws, static_cast<lxw_row_t>(r - 1), LXW_DEF_ROW_HEIGHT, nullptr, &hidden);
  }
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (!sheets[i].hidden) {
      worksheet_activate(added[i]);
      break;
    }
  }
  for (size_t i = 0; i < sheets.size(); ++i) {
    if (sheets[i].hidden) worksheet_hide(added[i]);
  }
  EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
  return path;
}


// A file under a workbook's name that is no zip is read as text when it is text; else refused
// in the reader's language, without the zip library's English.
TEST(OpenTableTest, NotAZipUnderAWorkbookName) {
  const std::filesystem::path semicolons = TempFile("名单.xlsx", "证件号码;姓名\n653221197001010015;张三\n");
  StatusOr<OpenedTable> table = OpenTableAtHeader(semicolons, {}, kPeople);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->reader->format(), "csv");
  TableRow row;
  ASSERT_TRUE(*table->reader->Next(&row));
  EXPECT_EQ(table->layout.headers.front().Cell(row, 0), "张三");

  for (const std::string name : {"cut.xlsx", "binary.xlsx"}) {
    const std::string bytes = name == "cut.xlsx" ? std::string("PK\3\4", 4) + std::string(100, 'x') : std::string("\0\1\2\3", 4);
    const std::filesystem::path path = TempFile(name, bytes);
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      SetLanguage(lang);
      StatusOr<OpenedTable> refused = OpenTableAtHeader(path, {}, kPeople);
      ASSERT_FALSE(refused.ok()) << name;
      const std::string message = refused.status().message();
      EXPECT_EQ(message.find("Not a zip"), std::string::npos) << message;
      if (lang == Lang::kZh) {
        // Only the file's name and the fix's format names are ASCII words.
        for (std::string_view english : {"archive", "zip archive", "error", "Error"}) {
          EXPECT_EQ(message.find(english), std::string::npos) << message;
        }
      }
    }
    SetLanguage(Lang::kZh);
  }
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// "read 3月,4月 | skipped 填表说明:instructions_or_sample | 3月!3 张三/1;4月!2 王五/3 | hidden 3月!5"
// (a line is "sheet!row" when several sheets are read), or "error <kind>: <message>".
std::string ReadAtHeader(const std::filesystem::path& path, const std::string& sheet = "") {
  TableOptions options;
  options.sheet = sheet;
  StatusOr<OpenedTable> table = OpenTableAtHeader(path, options, kPeople);
  if (!table.ok()) return "error " + table.status().ToString();
  FileReport where;
  where.sheets = table->layout.sheets;
  auto line = [&](int64_t l) {
    return where.SheetOf(l).empty() ? std::to_string(l) : std::string(where.SheetOf(l)) + "!" + std::to_string(where.RowOf(l));
  };
  std::string out = "read " + Joined(table->layout.sheets, ",");
  std::vector<std::string> skipped, rows, hidden;
  for (const SkippedSheet& s : table->layout.skipped) skipped.push_back(s.name + ":" + std::string(SkipReasonName(s.reason)));
  if (!skipped.empty()) out += " | skipped " + Joined(skipped, ",");
  TableRow row;
  while (true) {
    StatusOr<bool> more = table->reader->Next(&row);
    if (!more.ok()) return out + " | error " + more.status().ToString();
    if (!*more) break;
    const HeaderMatch& header = table->layout.HeaderOf(row.line);
    rows.push_back(line(row.line) + " " + std::string(header.Cell(row, 0)) + "/" + std::string(header.Cell(row, 1)));
  }
  out += " | " + Joined(rows, ";");
  for (int64_t l : *table->hidden_rows) hidden.push_back(line(l));
  if (!hidden.empty()) out += " | hidden " + Joined(hidden, ",");
  return out;
}

const SheetSpec kMarch = {"3月", {{"2025年3月救助名单"}, {"姓名", "证件号码"}, {"张三", "1"}, {"李四", "2"}}};
const SheetSpec kApril = {"4月", {{"姓名", "证件号码"}, {"王五", "3"}}};
const SheetSpec kInstructions = {"填表说明", {{"填表说明：请按下表填写，一人一行"}, {"姓名", "证件号码"}, {"示例", "110101199003074477"}}};
const SheetSpec kList = {"救助名单", {{"姓名", "证件号码"}, {"张三", "1"}}};
const SheetSpec kNoHeader = {"统计", {{"本月共 1 人"}}};

TEST(OpenTableAtHeaderTest, WorkbookSheets) {
  SheetSpec april_other_order = {"4月", {{"序号", "身份证号", "姓名"}, {"1", "3", "王五"}}};
  SheetSpec hidden_list = {"字典", {{"姓名", "证件号码"}, {"赵六", "9"}}, /*hidden=*/true};
  SheetSpec april_hidden_row = kApril;
  april_hidden_row.rows.push_back({"赵六", "4"});
  april_hidden_row.hidden_rows = {2};
  SheetSpec filtered = {"名单",
                        {{"标题"}, {"姓名", "证件号码"}, {"张三", "1"}, {"李四", "2"}, {"合计", ""}, {"王五", "3"}, {"制表人：赵"}},
                        false,
                        {1, 4, 5, 7}};
  SheetSpec template_filled = {"模板", kList.rows};
  SheetSpec sample_filled = {"样表", kList.rows};
  SheetSpec sample = {"示例", kInstructions.rows};
  SheetSpec sheet1 = {"Sheet1", kList.rows};
  const struct {
    std::string name;
    std::vector<SheetSpec> sheets;
    std::string sheet;  // TableOptions::sheet
    std::string want;
  } cases[] = {
      {"months on separate sheets, each under its header", {kMarch, kApril}, "",
       "read 3月,4月 | 3月!3 张三/1;3月!4 李四/2;4月!2 王五/3"},
      {"填表说明 with a sample row first: passed over", {kInstructions, kList}, "",
       "read 救助名单 | skipped 填表说明:instructions_or_sample | 2 张三/1"},
      {"a sheet without the header and a hidden sheet are not read", {kList, kNoHeader, hidden_list}, "",
       "read 救助名单 | skipped 统计:no_header,字典:hidden | 2 张三/1"},
      {"a later sheet with its columns in another order", {kMarch, april_other_order}, "",
       "read 3月,4月 | 3月!3 张三/1;3月!4 李四/2;4月!2 王五/3"},
      {"a sample sheet beside the data", {sample, sheet1}, "", "read Sheet1 | skipped 示例:instructions_or_sample | 2 张三/1"},
      {"a template filled in, the only sheet: read", {template_filled}, "", "read 模板 | 2 张三/1"},
      {"instructions and a filled 样表: the 样表 is read", {kInstructions, sample_filled}, "",
       "read 样表 | skipped 填表说明:instructions_or_sample | 2 张三/1"},
      {"a sheet named: that sheet only", {kMarch, kApril}, "4月", "read 4月 | 2 王五/3"},
      {"a sheet named: read even when its name says instructions", {kInstructions, kList}, "填表说明",
       "read 填表说明 | 3 示例/110101199003074477"},
      {"hidden data rows are withheld and listed; hidden titles, totals and notes are not data", {filtered}, "",
       "read 名单 | 3 张三/1;5 合计/;6 王五/3;7 制表人：赵/ | hidden 4"},
      {"a hidden row of a later sheet names its sheet", {kMarch, april_hidden_row}, "",
       "read 3月,4月 | 3月!3 张三/1;3月!4 李四/2;4月!3 赵六/4 | hidden 4月!2"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::filesystem::path path = WriteBook("sheets" + std::to_string(n++) + ".xlsx", c.sheets);
    EXPECT_EQ(ReadAtHeader(path, c.sheet), c.want) << c.name;
  }
}

TEST(OpenTableAtHeaderTest, WorkbooksWithoutADataSheetFail) {
  SheetSpec list_missing_column = {"救助名单", {{"姓名", "电话"}, {"张三", "1"}}};
  SheetSpec april_duplicate = {"4月", {{"姓名", "证件号码", "身份证号", "证件号码"}, {"王五", "3", "3", "3"}}};
  const struct {
    std::string name;
    std::vector<SheetSpec> sheets;
    std::string sheet;
    std::vector<std::string> want;  // the kind, then parts of the message
  } cases[] = {
      {"no sheet has the header: the sheets looked at are named",
       {{"Sheet1", {{"a", "b"}}}, {"Sheet2", {{"姓名", "电话"}}}},
       "",
       {"missing_columns", "中没有一个工作表有完整的表头", "“Sheet1”、“Sheet2”", "证件号码", "工作表“Sheet1”的情况"}},
      {"the list lacks a column: refused, never the instruction sheet's sample read",
       {kInstructions, list_missing_column},
       "",
       {"missing_columns", "“救助名单”", "没有查看的：“填表说明”", "证件号码", "改名"}},
      {"one sheet without the header: its own error, as before", {kNoHeader}, "", {"missing_columns", "找不到表头"}},
      {"only an instruction sheet", {kInstructions}, "", {"missing_columns", "“填表说明”", "从名称看都是填表说明", "改名"}},
      {"a later sheet naming a column twice refuses the file", {kMarch, april_duplicate}, "",
       {"duplicate_column", "工作表“4月”：", "第 1 行"}},
      {"a sheet named that is not there", {kMarch}, "5月", {"xlsx_sheet_missing", "“5月”", "3月"}},
      {"a sheet named without the header: the others are not looked at", {kNoHeader, kList}, "统计",
       {"missing_columns", "找不到表头"}},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::filesystem::path path = WriteBook("nodata" + std::to_string(n++) + ".xlsx", c.sheets);
    TableOptions options;
    options.sheet = c.sheet;
    StatusOr<OpenedTable> table = OpenTableAtHeader(path, options, kPeople);
    ASSERT_FALSE(table.ok()) << c.name;
    EXPECT_EQ(table.status().kind(), c.want[0]) << c.name << ": " << table.status().ToString();
    for (size_t i = 1; i < c.want.size(); ++i) {
      EXPECT_NE(table.status().message().find(c.want[i]), std::string::npos) << c.name << ": " << table.status().message();
    }
  }
}

TEST(OpenTableAtHeaderTest, EnglishNamesTheSheets) {
  const std::filesystem::path path = WriteBook("english.xlsx", {{"Sheet1", {{"a"}}}, {"Sheet2", {{"b"}}}});
  const Lang saved = CurrentLanguage();
  SetLanguage(Lang::kEn);
  StatusOr<OpenedTable> table = OpenTableAtHeader(path, {}, kPeople);
  SetLanguage(saved);
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("Sheets looked at: \"Sheet1\", \"Sheet2\""), std::string::npos)
      << table.status().message();
}

// A later sheet damaged after its header: the file is refused, naming the sheet.
TEST(OpenTableAtHeaderTest, ADamagedLaterSheetFailsNamingIt) {
  const std::filesystem::path path = WriteBook("damaged.xlsx", {kMarch, kApril});
  const std::string broken =
      "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>姓名</t></is></c><c t=\"inlineStr\"><is><t>证件号码</t></is></c>"
      "</row><row r=\"2\"><c></row></sheetData></worksheet>";
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), 0, &error);
  ASSERT_NE(zip, nullptr);
  zip_source_t* source = zip_source_buffer(zip, broken.data(), broken.size(), 0);
  ASSERT_GE(zip_file_add(zip, "xl/worksheets/sheet2.xml", source, ZIP_FL_OVERWRITE), 0);
  ASSERT_EQ(zip_close(zip), 0);
  const std::string got = ReadAtHeader(path);
  EXPECT_NE(got.find("read 3月,4月 | error xlsx_corrupt: 工作表“4月”："), std::string::npos) << got;
}

// ---- ImportTable: several sheets are one file ----

class ImportTableSheetsTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value()); }

  // Accepts a row unless its name is 坏.
  FileReport Import(const std::filesystem::path& path) {
    TableImportSpec spec{"test-people", kPeople, {}, {}};
    TableImportOptions options;
    options.received = Date::FromCivil(2025, 4, 5);
    return ImportTable(*store_, path, spec, options,
                       [](const HeaderMatch& h, const TableRow& row, ImportTransaction&) -> StatusOr<RowResult> {
                         if (h.Cell(row, 0) != "坏") return RowResult(UpsertOutcome::kInserted);
                         return RowResult(ProblemAt(h, row, 0, Error(StatusCode::kInvalidArgument, Msg::kNameEmpty)));
                       });
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_table_import_test"};
  hearth::testing::TestDb db_{tmp_.path()};
  std::unique_ptr<Store> store_;
};

TEST_F(ImportTableSheetsTest, SheetsAreReadAsOneFile) {
  SheetSpec march = {"3月", {{"姓名", "证件号码"}, {"张三", "1"}, {"坏", "2"}, {"王五", "5"}}, false, {4}};
  SheetSpec april = {"4月", {{"2025年4月"}, {"姓名", "证件号码"}, {"李四", "3"}, {"坏", "4"}}};
  const std::filesystem::path path = WriteBook("import.xlsx", {kInstructions, march, april, kNoHeader});
  FileReport f = Import(path);
  ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
  EXPECT_GT(f.import_id, 0);
  EXPECT_EQ(f.read, 4);
  EXPECT_EQ(f.accepted, 2);
  EXPECT_EQ(f.rejected, 2);
  EXPECT_EQ(f.sheets, (std::vector<std::string>{"3月", "4月"}));
  ASSERT_EQ(f.sheets_skipped.size(), 2u);
  EXPECT_EQ(f.sheets_skipped[0].name, "填表说明");
  EXPECT_EQ(f.sheets_skipped[0].reason, SkippedSheet::Reason::kByName);
  EXPECT_EQ(f.sheets_skipped[1].reason, SkippedSheet::Reason::kNoHeader);
  EXPECT_EQ(f.hidden_rows_skipped, 1);
  EXPECT_EQ(f.hidden_rows, std::vector<int64_t>{4});
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.SheetOf(f.rows[0].line), "3月");
  EXPECT_EQ(f.RowOf(f.rows[0].line), 3);
  EXPECT_EQ(f.SheetOf(f.rows[1].line), "4月");
  EXPECT_EQ(f.RowOf(f.rows[1].line), 4);
  EXPECT_EQ(f.rows[1].cells, (std::vector<std::string>{"坏", "4"}));
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports"), 1) << "one file, one import";
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM rejects"), 2);

  ImportReport report;
  report.files.push_back(f);
  const nlohmann::json j = ReportToJson(report);
  EXPECT_EQ(j["counts"]["hidden_rows_skipped"], 1);
  EXPECT_EQ(j["files"][0]["hidden_rows_skipped"], 1);
  EXPECT_EQ(j["files"][0]["hidden_rows"], nlohmann::json::parse(R"([{"sheet": "3月", "line": 4}])"));
  EXPECT_EQ(j["files"][0]["sheets"], nlohmann::json::parse(R"(["3月", "4月"])"));
  EXPECT_EQ(j["files"][0]["sheets_skipped"][0]["reason"], "instructions_or_sample");
  EXPECT_EQ(j["rows"][1]["sheet"], "4月");
  EXPECT_EQ(j["rows"][1]["line"], 4);

  // A row read again by its line (the earlier row of an in-file conflict) comes from its sheet.
  auto again = ReadRowsAt(path, Encoding::kAuto, kPeople, {3, LineOfSheetRow(1, 3)});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)[3], (std::vector<std::string>{"坏", "2"}));
  EXPECT_EQ((*again)[LineOfSheetRow(1, 3)], (std::vector<std::string>{"李四", "3"}));
}

TEST_F(ImportTableSheetsTest, OneSheetKeepsItsLinesAndReportsNoSheet) {
  SheetSpec list = {"名单", {{"姓名", "证件号码"}, {"坏", "1"}}};
  FileReport f = Import(WriteBook("one.xlsx", {list}));
  ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
  ASSERT_EQ(f.rows.size(), 1u);
  EXPECT_EQ(f.rows[0].line, 2);
  EXPECT_EQ(f.SheetOf(2), "");
  ImportReport report;
  report.files.push_back(f);
  EXPECT_FALSE(ReportToJson(report)["rows"][0].contains("sheet"));
}

TEST_F(ImportTableSheetsTest, AFaultOnALaterSheetRefusesTheWholeFile) {
  SheetSpec april_duplicate = {"4月", {{"姓名", "证件号码", "证件号码"}, {"王五", "3", "3"}}};
  FileReport f = Import(WriteBook("refused.xlsx", {kMarch, april_duplicate}));
  EXPECT_EQ(f.refusal.kind(), "duplicate_column");
  EXPECT_EQ(f.import_id, 0);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports WHERE status = 'committed'"), 0);
}

// Holds every row until Flush, and notes what it saw.
class HoldingHandler : public BatchRowHandler {
 public:
  void Start(const TableLayout& layout) override { where = layout.Where(LineOfSheetRow(1, 2)); }
  Status Add(const HeaderMatch& header, const TableRow& row, ImportTransaction&, const RowSink&) override {
    held_.push_back({&header, row});
    return Status::Ok();
  }
  Status Flush(ImportTransaction&, const RowSink& sink) override {
    for (const auto& [header, row] : held_) {
      log += std::to_string(row.line) + ":" + std::string(header->Cell(row, 0)) + " ";
      HEARTH_RETURN_IF_ERROR(sink(row, UpsertOutcome::kInserted));
    }
    log += "| ";
    held_.clear();
    return Status::Ok();
  }
  std::string where, log;

 private:
  std::vector<std::pair<const HeaderMatch*, TableRow>> held_;
};

// The rows a batch handler holds are decided under their own sheet's header before the next
// sheet's first row is added.
TEST_F(ImportTableSheetsTest, ABatchIsDecidedBeforeTheNextSheet) {
  SheetSpec april = {"4月", {{"序号", "证件号码", "姓名"}, {"1", "3", "王五"}}};
  HoldingHandler handler;
  TableImportSpec spec{"test-people", kPeople, {}, {}};
  FileReport f = ImportTable(*store_, WriteBook("batches.xlsx", {kMarch, april}), spec, {}, handler);
  ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
  EXPECT_EQ(handler.log, "3:张三 4:李四 | 10000002:王五 | ");
  EXPECT_EQ(handler.where, Tr(Msg::kIngestRowsOfSheet, "4月", 2));
  EXPECT_EQ(f.accepted, 3);
}


// ---- A second table on a sheet, whose columns stand elsewhere ----

// Rows as a sheet holds them; written as CSV or as a one-sheet workbook.
using Rows = std::vector<std::vector<std::string>>;

std::filesystem::path WriteTable(const std::string& name, const Rows& rows) {
  if (name.ends_with(".xlsx")) return WriteBook(name, {{"名单", rows}});
  std::string text;
  for (const std::vector<std::string>& row : rows) text += Joined(row, ",") + "\n";
  return TempFile(name, text);
}

// 住院 under 姓名,证件号码; 门诊 under 序号,证件号码,姓名, its header repeated on a later page.
const Rows kTwoTables = {
    {"一、住院"},                  // 1
    {"姓名", "证件号码"},          // 2
    {"张三", "1"},                 // 3
    {"坏", "2"},                   // 4
    {"二、门诊慢特病"},            // 5
    {"序号", "身份证号", "姓名"},  // 6: another table
    {"1", "3", "李四"},            // 7
    {"2", "4", "坏"},              // 8
    {"序号", "身份证号", "姓名"},  // 9: its header again
    {"3", "5", "王五"},            // 10
};

TEST_F(ImportTableSheetsTest, ATableWhoseColumnsStandElsewhereIsReadByThem) {
  for (const std::string name : {"two_tables.csv", "two_tables.xlsx"}) {
    const std::filesystem::path path = WriteTable(name, kTwoTables);
    // The rows held under the first table's columns are decided before the second table's first.
    HoldingHandler handler;
    TableImportSpec spec{"test-people", kPeople, {}, {}};
    FileReport held = ImportTable(*store_, path, spec, {}, handler);
    ASSERT_TRUE(held.refusal.ok()) << name << ": " << held.refusal.ToString();
    EXPECT_EQ(handler.log, "3:张三 4:坏 | 7:李四 8:坏 10:王五 | ") << name;

    // Problem rows name the cell under the columns of their own table.
    FileReport f = Import(path);
    ASSERT_TRUE(f.refusal.ok()) << name << ": " << f.refusal.ToString();
    EXPECT_EQ(f.read, 5) << name;
    EXPECT_EQ(f.accepted, 3) << name;
    EXPECT_EQ(f.note_rows_skipped, 1) << name << ": the second section's title (the first is above the header)";
    EXPECT_EQ(f.header_rows_skipped, 2) << name;
    EXPECT_EQ(f.table_header_rows, std::vector<int64_t>{6}) << name;
    ASSERT_EQ(f.rows.size(), 2u) << name;
    EXPECT_EQ(f.rows[0].line, 4);
    EXPECT_EQ(f.rows[0].column, "姓名");
    EXPECT_EQ(f.rows[0].raw, "坏");
    EXPECT_EQ(f.rows[1].line, 8);
    EXPECT_EQ(f.rows[1].column, "姓名");
    EXPECT_EQ(f.rows[1].raw, "坏");
    EXPECT_EQ(f.rows[1].cells, (std::vector<std::string>{"2", "4", "坏"}));
    ImportReport report;
    report.files.push_back(f);
    EXPECT_EQ(ReportToJson(report)["files"][0]["table_header_rows"], nlohmann::json::parse(R"([{"line": 6}])")) << name;
  }
}

TEST_F(ImportTableSheetsTest, ALaterTableWithoutARequiredColumnRefusesTheFile) {
  struct Case {
    std::string name;
    std::vector<SheetSpec> sheets;  // one: also written as CSV
    std::string want_kind, want_in_message;
  };
  const std::vector<std::string> header = {"证件号码", "姓名", "救助类型", "救助金额"};
  const std::vector<std::string> row = {"653221197001010015", "张三", "低保", "300"};
  const Rows without_id = {header, row, {"姓名", "序号", "救助类型", "救助金额"}, {"李四", "1", "低保", "300"}};
  const Rows two_ids = {header, row, {"姓名", "身份证号", "救助类型", "救助金额", "身份证号"}, {"李四", "1", "低保", "300", "1"}};
  const std::vector<Case> cases = {
      {"without_id", {{"名单", without_id}}, "missing_columns",
       "line 3 is the header of another table (its columns stand elsewhere than under the header above), but it "
       "lacks required columns: 证件号码. That row's columns are: 姓名, 序号, 救助类型, 救助金额."},
      {"without_id_on_sheet_2", {{"3月", {header, row}}, {"4月", without_id}}, "missing_columns",
       "sheet \"4月\" line 3 is the header of another table"},
      {"two_ids", {{"名单", two_ids}}, "duplicate_column",
       "line 3 is the header of another table, and its column B (\"身份证号\") and column E (\"身份证号\") both stand for \"证件号码\""},
  };
  const InEnglish english;
  TableImportSpec spec{"test-aid", kAid, {}, {}};
  const RowHandler accept = [](const HeaderMatch&, const TableRow&, ImportTransaction&) -> StatusOr<RowResult> {
    return RowResult(UpsertOutcome::kInserted);
  };
  for (const Case& c : cases) {
    std::vector<std::filesystem::path> paths = {WriteBook(c.name + ".xlsx", c.sheets)};
    if (c.sheets.size() == 1) paths.push_back(WriteTable(c.name + ".csv", c.sheets[0].rows));
    for (const std::filesystem::path& path : paths) {
      FileReport f = ImportTable(*store_, path, spec, {}, accept);
      ASSERT_FALSE(f.refusal.ok()) << path;
      EXPECT_EQ(f.refusal.kind(), c.want_kind) << path;
      EXPECT_NE(f.refusal.message().find(c.want_in_message), std::string::npos) << path << ": " << f.refusal.message();
      EXPECT_EQ(f.import_id, 0);
    }
  }
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports WHERE status = 'committed'"), 0);
}

// A workbook's sheet that holds the same table with a column or two missing would leave its rows
// out unseen: the file is refused, naming the sheet, the columns missing and those found. Sheets
// that are plainly something else are passed over as before.
TEST_F(ImportTableSheetsTest, ASheetOfTheSameTableLackingAColumnRefusesTheFile) {
  const std::vector<ColumnSpec> payments = {
      {"姓名", {}}, {"证件号码", {"身份证号"}}, {"发放金额", {"金额"}}, {"发放月份", {}}};
  const SheetSpec march = {"3月", {{"姓名", "证件号码", "发放金额", "发放月份"}, {"张三", "1", "300", "2025-03"}}};
  const SheetSpec april_lacking = {"4月", {{"2025年4月"}, {"姓名", "身份证号", "发放金额"}, {"李四", "2", "300"}}};
  const SheetSpec april_lacking_two = {"4月", {{"姓名", "身份证号", "备注"}, {"李四", "2", "无"}}};
  const SheetSpec pivot = {"透视表", {{"行标签", "求和项:发放金额"}, {"一村", "600"}}};
  const SheetSpec chart_data = {"图表数据", {{"月份", "金额"}, {"3月", "300"}}};
  const SheetSpec contacts = {"联系人", {{"姓名", "电话"}, {"王五", "138"}}};
  const SheetSpec instructions = {"填表说明", {{"姓名", "身份证号", "发放金额"}, {"示例", "1", "0"}}};
  const RowHandler accept = [](const HeaderMatch&, const TableRow&, ImportTransaction&) -> StatusOr<RowResult> {
    return RowResult(UpsertOutcome::kInserted);
  };
  TableImportSpec spec{"test-payments", payments, {}, {}};
  struct Case {
    std::string name;
    std::vector<SheetSpec> sheets;
    std::vector<std::string> want_in_refusal;  // empty: read
  };
  const std::vector<Case> cases = {
      {"a month lacking 发放月份", {march, april_lacking},
       {"工作表“4月”第 2 行", "有所需列中的 3 列", "缺少必需的列：发放月份", "该行的列名是：姓名、身份证号、发放金额"}},
      {"lacking two of four: still the same table", {march, april_lacking_two}, {"工作表“4月”", "发放金额、发放月份"}},
      {"a pivot table, a chart's data, a contact list and the instructions are passed over",
       {instructions, march, pivot, chart_data, contacts}, {}},
  };
  for (const Case& c : cases) {
    FileReport f = ImportTable(*store_, WriteBook("lacking.xlsx", c.sheets), spec, {}, accept);
    if (c.want_in_refusal.empty()) {
      ASSERT_TRUE(f.refusal.ok()) << c.name << ": " << f.refusal.ToString();
      EXPECT_EQ(f.accepted, 1) << c.name;
      EXPECT_EQ(f.sheets_skipped.size(), 4u) << c.name;
      continue;
    }
    ASSERT_FALSE(f.refusal.ok()) << c.name;
    EXPECT_EQ(f.refusal.kind(), "missing_columns") << c.name;
    for (const std::string& part : c.want_in_refusal) {
      EXPECT_NE(f.refusal.message().find(part), std::string::npos) << c.name << ": " << f.refusal.message();
    }
  }
  // Named, the other sheet is read alone.
  TableImportOptions only_march;
  only_march.sheet = "3月";
  FileReport f = ImportTable(*store_, WriteBook("lacking.xlsx", {march, april_lacking}), spec, only_march, accept);
  ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
  EXPECT_EQ(f.accepted, 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports WHERE status = 'committed'"), 2);
}

// Rows as departments break them: a totals row without a label is skipped and counted; a stray
// quote and a name split at an unquoted comma reject their rows, and the rows after them are read.
TEST_F(ImportTableSheetsTest, RowsAsDepartmentsBreakThem) {
  const InEnglish english;
  const std::string text =
      "姓名,证件号码,金额,备注\n"                          // 1
      "张三,653221197001010015,100.00,\n"                  // 2
      "李四,653221197201010028,250.50,\n"                  // 3
      "\"王五,653221197403070010,80,\n"                    // 4: a stray quote
      "赵六,653221197805130020,70.00,已核实\n"             // 5: a remark in its column
      "钱,七,653221199001011234,30,已核实\n"               // 6: a name split at a comma
      "周九,653221199201011234,10,,,,\n"                   // 7: trailing empty cells
      "全村,,430.50,\n";                                   // 8: the sums of 2, 3, 5, 7
  FileReport f = Import(TempFile("broken_rows.csv", text));
  ASSERT_TRUE(f.refusal.ok()) << f.refusal.ToString();
  EXPECT_EQ(f.read, 6);
  EXPECT_EQ(f.accepted, 4);
  EXPECT_EQ(f.total_rows_skipped, 1);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].line, 4);
  EXPECT_EQ(f.rows[0].kind, "unbalanced_quote");
  EXPECT_EQ(f.rows[0].column, "姓名");
  EXPECT_EQ(f.rows[0].cells, (std::vector<std::string>{"\"王五", "653221197403070010", "80", ""}));
  EXPECT_NE(f.rows[0].hint.find("line 4, column A starts with a double quote"), std::string::npos) << f.rows[0].hint;
  EXPECT_EQ(f.rows[1].line, 6);
  EXPECT_EQ(f.rows[1].kind, "extra_cells");
  EXPECT_NE(f.rows[1].hint.find("This row has 5 cells, but the header has 4 (column 5 holds \"已核实\")"), std::string::npos)
      << f.rows[1].hint;
  EXPECT_NE(f.rows[1].hint.find("must be enclosed in double quotes"), std::string::npos) << f.rows[1].hint;

  // The same rows but for the totals row's figure: it is a data row (and here accepted).
  std::string off = text;
  off.replace(off.find("430.50"), 6, "430.00");
  FileReport g = Import(TempFile("not_sums.csv", off));
  ASSERT_TRUE(g.refusal.ok()) << g.refusal.ToString();
  EXPECT_EQ(g.read, 7);
  EXPECT_EQ(g.total_rows_skipped, 0);
}

TEST_F(ImportTableSheetsTest, ATotalsRowWithoutALabelIsSkippedInEitherFormat) {
  const Rows rows = {{"姓名", "证件号码", "金额", "人数"},
                     {"张三", "653221197001010015", "100", "2"},
                     {"李四", "653221197201010028", "250.5", "1"},
                     {"全村", "", "350.5", "3"}};
  for (const std::string name : {"sums.csv", "sums.xlsx"}) {
    FileReport f = Import(WriteTable(name, rows));
    ASSERT_TRUE(f.refusal.ok()) << name << ": " << f.refusal.ToString();
    EXPECT_EQ(f.read, 2) << name;
    EXPECT_EQ(f.total_rows_skipped, 1) << name;
  }
}

// A line pasted in GBK into a UTF-8 file is named with its cell, as the file's delimiter cuts it,
// even when the fault is met while the header is looked for.
TEST(OpenTableAtHeaderTest, AnEncodingFaultNamesItsLineAndCell) {
  const std::string gbk = *Utf8ToGbk("吐尔逊·阿卜杜拉");
  struct Case {
    std::string name, bytes, want;
  };
  const std::vector<Case> cases = {
      {"comma.csv", "姓名,证件号码\n张三,1\n2," + gbk + "\n", "第 3 行 B 列"},
      {"semicolon.csv", "姓名;证件号码;备注\n张三;1;无\n李四;2;" + gbk + "\n", "第 3 行 C 列"},
      {"title_then_fault.csv", "2025年名单\n序号;姓名;备注\n1;张三;" + gbk + "\n", "第 3 行 C 列"},
  };
  for (const Case& c : cases) {
    StatusOr<OpenedTable> table = OpenTableAtHeader(TempFile(c.name, c.bytes), {}, kPeople);
    Status status = table.ok() ? Status::Ok() : table.status();
    TableRow row;
    while (status.ok()) {
      StatusOr<bool> more = table->reader->Next(&row);
      if (!more.ok()) status = more.status();
      if (!more.ok() || !*more) break;
    }
    EXPECT_EQ(status.kind(), "encoding_invalid") << c.name;
    EXPECT_NE(status.message().find(c.want), std::string::npos) << c.name << ": " << status.message();
    EXPECT_NE(status.message().find("既不是 UTF-8 也不是 GBK"), std::string::npos) << c.name << ": " << status.message();
  }
}

TEST(CountPrecisionDamageTest, FollowsTheColumnsOfEachTable) {
  const std::filesystem::path path = WriteTable(
      "damage.csv", {{"姓名", "证件号码"},
                     {"张三", "653221199001011234"},
                     {"序号", "证件号码", "姓名"},
                     {"1", "653221198506015000", "李四"},
                     {"2", "653221198506023000", "王五"},
                     {"3", "653221198506031000", "赵六"}});
  EXPECT_EQ(CountPrecisionDamage(path, Encoding::kAuto, kPeople, 1), 3);
}

}  // namespace
}  // namespace hearth
