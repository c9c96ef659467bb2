#include "ingest/table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/messages.h"
#include "core/testing/temp_dir.h"
#include "ingest/csv_reader.h"

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

TEST(IsHeaderAgainTest, Cases) {
  HeaderMatch header;
  header.found = {"序号", "证件号码", "姓名", "救助类型"};
  header.index = {1, 2, 3};  // 证件号码, 姓名, 救助类型
  struct Case {
    std::vector<std::string> cells;
    bool want;
  };
  for (const Case& c : std::vector<Case>{{{"序号", "证件号码", "姓名", "救助类型"}, true},
                                         {{"", " 证件号码 ", "姓名", ""}, true},
                                         {{"3", "证件号码", "", ""}, false},
                                         {{"1", "653221197001010015", "姓名", "低保"}, false},
                                         {{"1", "653221197001010015", "张三", "低保"}, false}}) {
    EXPECT_EQ(IsHeaderAgain(header, Row(c.cells)), c.want) << ::testing::PrintToString(c.cells);
  }
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
                                         {{"", ""}, false}}) {
    EXPECT_EQ(IsTotalRow(Row(c.cells)), c.want) << ::testing::PrintToString(c.cells);
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
      {TempFile("fake.xlsx", "序号,姓名\n"), "xlsx_corrupt", "fake.xlsx"},
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
  EXPECT_EQ(reader.status().kind(), "io_open");
}

}  // namespace
}  // namespace hearth
