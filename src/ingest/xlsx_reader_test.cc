#include "ingest/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/testing/temp_dir.h"
#include "ingest/table.h"

namespace hearth {
namespace {

std::filesystem::path TempPath(std::string_view name) {
  static const hearth::testing::ProcessTempDir dir("hearth_xlsx_test");
  return dir.path() / name;
}

std::filesystem::path Fixture(std::string_view name) {
  return std::filesystem::path(HEARTH_TEST_SRCDIR) / "tests/fixtures/tables" / name;
}

// Rows as "line:cell|cell;line:cell", or "error <kind>: <message>" when reading fails.
std::string ReadAll(const std::filesystem::path& path, const TableOptions& options = {}) {
  StatusOr<std::unique_ptr<TableReader>> reader = OpenTable(path, options);
  if (!reader.ok()) return "error " + reader.status().ToString();
  std::string out;
  TableRow row;
  while (true) {
    StatusOr<bool> more = (*reader)->Next(&row);
    if (!more.ok()) return out + (out.empty() ? "error " : ";error ") + more.status().ToString();
    if (!*more) return out;
    if (!out.empty()) out += ';';
    out += std::to_string(row.line);
    out += ':';
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (i > 0) out += '|';
      out += row.cells[i];
    }
  }
}

// ---- Packages written by hand, to reach every branch of the format ----

using Parts = std::vector<std::pair<std::string, std::string>>;

void WriteZip(const std::filesystem::path& path, const Parts& parts) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(zip, nullptr);
  for (const auto& [name, content] : parts) {
    zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
    ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
  }
  ASSERT_EQ(zip_close(zip), 0);
}

constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRelNs[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Rel(std::string_view id, std::string_view type, std::string_view target) {
  return "<Relationship Id=\"" + std::string(id) + "\" Type=\"" + kRelNs + "/" + std::string(type) +
         "\" Target=\"" + std::string(target) + "\"/>";
}

std::string Rels(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas."
         "openxmlformats.org/package/2006/relationships\">" + body + "</Relationships>";
}

std::string Sheet(const std::string& sheet_data) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"") + kMain +
         "\"><dimension ref=\"A1\"/><sheetData>" + sheet_data +
         "</sheetData><mergeCells count=\"0\"/></worksheet>";
}

// A one-sheet package; fields left empty are left out of it.
struct Package {
  std::string sheet_xml;
  std::string shared_strings;  // <si> items
  std::string styles;          // the inside of <styleSheet>
  std::string workbook_pr;
  std::string sheet_target = "worksheets/sheet1.xml";
};

Parts PackageParts(const Package& p) {
  Parts parts = {
      {"_rels/.rels", Rels(Rel("rId1", "officeDocument", "xl/workbook.xml"))},
      {"xl/workbook.xml", std::string("<workbook xmlns=\"") + kMain + "\" xmlns:r=\"" + kRelNs +
                              "\">" + p.workbook_pr +
                              "<sheets><sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
                              "</workbook>"},
      {"xl/_rels/workbook.xml.rels",
       Rels(Rel("rId1", "worksheet", p.sheet_target) + Rel("rId2", "sharedStrings", "sharedStrings.xml") +
            Rel("rId3", "styles", "styles.xml"))},
      {"xl/worksheets/sheet1.xml", p.sheet_xml},
  };
  if (!p.shared_strings.empty()) {
    parts.push_back({"xl/sharedStrings.xml",
                     std::string("<sst xmlns=\"") + kMain + "\" uniqueCount=\"9\">" + p.shared_strings + "</sst>"});
  }
  if (!p.styles.empty()) {
    parts.push_back({"xl/styles.xml", std::string("<styleSheet xmlns=\"") + kMain + "\">" + p.styles + "</styleSheet>"});
  }
  return parts;
}

const char kSharedStrings[] =
    "<si><t>张三</t></si>"
    "<si><r><t>阿卜杜拉</t></r><r><rPr><b/></rPr><t>·艾买提</t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh><phoneticPr fontId=\"1\"/></si>"
    "<si><t xml:space=\"preserve\">a_x000D__x000A_b _x005F_x0041_</t></si>";

// cellXfs: 0 General, 1 built-in 14, 2 custom yyyy/m/d, 3 custom 0.00"天" (not a date),
// 4 custom h:mm (a time), 5 built-in 22 (date and time), 6 custom [$-804]m"月" (m only),
// 7 custom [h]:mm (elapsed time).
const char kStyles[] =
    "<numFmts count=\"4\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot;天&quot;\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"h:mm\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"[$-804]m&quot;月&quot;\"/>"
    "<numFmt numFmtId=\"168\" formatCode=\"[h]:mm\"/></numFmts>"
    "<cellStyleXfs count=\"2\"><xf numFmtId=\"14\"/><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"22\"/><xf numFmtId=\"167\"/>"
    "<xf numFmtId=\"168\"/></cellXfs>";

struct HandMadeCase {
  std::string name;
  Package package;
  std::string want;
};

std::vector<HandMadeCase> HandMadeCases() {
  return {
      {"cell types",
       {Sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
              "<c r=\"C1\" t=\"inlineStr\"><is><t>内联</t></is></c>"
              "<c r=\"D1\" t=\"str\"><f>A1&amp;\"\"</f><v>公式</v></c>"
              "<c r=\"E1\" t=\"b\"><v>1</v></c><c r=\"F1\" t=\"b\"><v>0</v></c>"
              "<c r=\"G1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
              "<c r=\"H1\"><v>6.53221E+17</v></c><c r=\"I1\" t=\"n\"><v>653221199001011000</v></c>"
              "<c r=\"L1\"><v>653221199001011234</v></c><c r=\"M1\"><v>653221199001011200</v></c>"
              "<c r=\"J1\" t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is></c>"
              "<c r=\"K1\" t=\"s\"><v>2</v></c></row>"),
        kSharedStrings},
       "1:张三|阿卜杜拉·艾买提|内联|公式|TRUE|FALSE|#DIV/0!|6.53221E+17|6.53221199001011E+17|富文本|"
       "a\r\nb _x0041_|653221199001011234|6.53221199001011E+17"},
      {"cells placed by reference; gaps and style-only cells",
       {Sheet("<row r=\"2\"><c r=\"C2\"><v>3</v></c></row>"
              "<row r=\"5\" s=\"1\" customFormat=\"1\"/>"
              "<row r=\"6\"><c r=\"A6\" s=\"1\"/><c r=\"B6\" s=\"1\"/></row>"
              "<row r=\"7\"><c r=\"A7\" s=\"1\"/><c r=\"B7\"><v>1</v></c><c r=\"Z7\" s=\"1\"/></row>"
              "<row r=\"1048576\"><c r=\"AA1048576\"><v>end</v></c></row>")},
       "2:||3;7:|1;1048576:" + std::string(26, '|') + "end"},
      {"formulas without a saved result read as the formula, never as empty",
       {Sheet("<row r=\"1\"><c r=\"A1\"><f>DATE(2025,3,31)</f></c><c r=\"B1\"><f t=\"shared\" si=\"0\"/></c>"
              "<c r=\"C1\"><f>1+1</f><v>2</v></c><c r=\"D1\" t=\"str\"><f>A1&amp;\"x\"</f></c>"
              "<c r=\"E1\" t=\"str\"><f>\"\"</f><v></v></c><c r=\"F1\"><f>F1+G1</f><v></v></c></row>")},
       "1:=DATE(2025,3,31)|=?|2|=A1&\"x\"||=F1+G1"},
      {"a merged range's text in every row it spans, in its first column only; a number not (an amount is once)",
       {std::string("<?xml version=\"1.0\"?><worksheet xmlns=\"") + kMain + "\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>title</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\"><v>10</v></c>"
        "<c r=\"C2\" t=\"inlineStr\"><is><t>低保</t></is></c></row>"
        "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"B3\"><v>20</v></c><c r=\"C3\"/></row>"
        "<row r=\"4\"><c r=\"A4\"><v>3</v></c></row>"
        "<row r=\"5\"><c r=\"A5\"><v>9</v></c></row>"
        "<row r=\"6\"><c r=\"C6\"><v>7</v></c></row><row r=\"7\"><c r=\"A7\"><v>8</v></c></row>"
        "</sheetData><mergeCells count=\"3\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"C2:C4\"/>"
        "<mergeCell ref=\"A5:B6\"/></mergeCells></worksheet>"},
       "1:title;2:1|10|低保;3:2|20|低保;4:3||低保;5:9;6:||7;7:8"},
      {"no r attributes",
       {Sheet("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c><c r=\"D2\"><v>4</v></c>"
              "<c><v>5</v></c></row>")},
       "1:1|2;2:3|||4|5"},
      {"namespace prefixes",
       {std::string("<x:worksheet xmlns:x=\"") + kMain + "\"><x:sheetData><x:row r=\"1\">"
        "<x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r=\"B1\"><x:v>2</x:v></x:c>"
        "</x:row></x:sheetData></x:worksheet>"},
       "1:前缀|2"},
      {"date styles",
       {Sheet("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>45356</v></c><c r=\"B1\" s=\"2\"><v>45356.75</v></c>"
              "<c r=\"C1\" s=\"3\"><v>45356</v></c><c r=\"D1\" s=\"4\"><v>0.5</v></c>"
              "<c r=\"E1\" s=\"5\"><v>45356.5</v></c><c r=\"F1\" s=\"1\"><v>-5</v></c>"
              "<c r=\"G1\" s=\"99\"><v>1</v></c><c r=\"H1\" s=\"6\"><v>45356</v></c>"
              "<c r=\"I1\" s=\"1\" t=\"s\"><v>0</v></c><c r=\"J1\" s=\"0\"><v>45356</v></c>"
              "<c r=\"K1\" s=\"7\"><v>1.25</v></c></row>"),
        kSharedStrings, kStyles},
       "1:2024-03-05|2024-03-05|45356|0.5|2024-03-05|-5|1|2024-03-05|张三|45356|1.25"},
      {"1904 date system",
       {Sheet("<row r=\"3\"><c r=\"A3\" s=\"1\"><v>43894</v></c></row>"), "", kStyles,
        "<workbookPr date1904=\"1\"/>"},
       "3:2024-03-05"},
      {"absolute target",
       {Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), "", "", "", "/xl/worksheets/sheet1.xml"},
       "1:1"},
      {"relative target with dots",
       {Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), "", "", "", "./worksheets/../worksheets/sheet1.xml"},
       "1:1"},
      {"bad shared string index",
       {Sheet("<row r=\"4\"><c r=\"B4\" t=\"s\"><v>7</v></c></row>"), kSharedStrings},
       "error xlsx_corrupt: 文件 PATH 第 4 行的单元格 B4 引用了不存在的共享文本（编号 7）"},
      {"broken sheet XML",
       {Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></row>")},
       "1:1;error xlsx_corrupt: 文件 PATH 中的 xl/worksheets/sheet1.xml 第 1 行无法解析（XML 格式错误，expat 错误代码 7）"},
      {"missing sheet part",
       {Sheet(""), "", "", "", "worksheets/nothere.xml"},
       "error xlsx_corrupt: 文件 PATH 缺少工作簿的组成部分 xl/worksheets/nothere.xml"},
  };
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(XlsxReaderTest, HandMadePackages) {
  int n = 0;
  for (const HandMadeCase& c : HandMadeCases()) {
    std::filesystem::path path = TempPath("hand" + std::to_string(n++) + ".xlsx");
    WriteZip(path, PackageParts(c.package));
    std::string got = ReadAll(path);
    std::string want = Replace(c.want, "PATH", path.string());
    if (want.find("error") != std::string::npos) {
      EXPECT_EQ(got.substr(0, want.size()), want) << c.name << "\n got: " << got;
    } else {
      EXPECT_EQ(got, want) << c.name;
    }
  }
}

TEST(XlsxReaderTest, WorkbookWithoutWorksheetsFails) {
  Parts parts = PackageParts({Sheet("")});
  parts[1].second = std::string("<workbook xmlns=\"") + kMain + "\"><sheets/></workbook>";
  std::filesystem::path path = TempPath("nosheet.xlsx");
  WriteZip(path, parts);
  EXPECT_EQ(ReadAll(path).substr(0, 18), "error xlsx_corrupt");
}

TEST(XlsxReaderTest, WorkbookPartFoundThroughPackageRels) {
  Parts parts = PackageParts({Sheet("<row r=\"1\"><c r=\"A1\"><v>9</v></c></row>")});
  parts[0].second = Rels(Rel("rId1", "officeDocument", "/book/wb.xml"));
  parts[1].first = "book/wb.xml";
  parts[2].first = "book/_rels/wb.xml.rels";
  parts[2].second = Rels(Rel("rId1", "worksheet", "../xl/worksheets/sheet1.xml"));
  std::filesystem::path path = TempPath("moved.xlsx");
  WriteZip(path, parts);
  EXPECT_EQ(ReadAll(path), "1:9");
}

// ---- Workbooks written by libxlsxwriter ----

std::filesystem::path WriteWorkbook() {
  std::filesystem::path path = TempPath("written.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_format* date = workbook_add_format(book);
  format_set_num_format(date, "yyyy年m月d日");
  lxw_worksheet* notes = workbook_add_worksheet(book, "说明");
  worksheet_write_string(notes, 0, 0, "本表由医保局导出", nullptr);
  lxw_worksheet* list = workbook_add_worksheet(book, "名单");
  worksheet_merge_range(list, 0, 0, 0, 4, "2025年3月医保高额自付名单", nullptr);
  const char* headers[] = {"序号", "姓名", "证件号码", "自付金额（元）", "结算日期"};
  for (int col = 0; col < 5; ++col) worksheet_write_string(list, 1, col, headers[col], nullptr);
  worksheet_write_number(list, 2, 0, 1, nullptr);
  worksheet_write_string(list, 2, 1, "张三", nullptr);
  worksheet_write_string(list, 2, 2, "653221199001011234", nullptr);
  worksheet_write_number(list, 2, 3, 12345.6, nullptr);
  lxw_datetime when = {2025, 3, 5, 0, 0, 0};
  worksheet_write_datetime(list, 2, 4, &when, date);
  worksheet_write_number(list, 3, 0, 2, nullptr);
  worksheet_write_string(list, 3, 1, "张三", nullptr);
  worksheet_write_number(list, 3, 2, 653221199001011234.0, nullptr);
  worksheet_write_boolean(list, 3, 3, 1, nullptr);
  worksheet_write_formula_str(list, 3, 4, "=B4", nullptr, "张三");
  worksheet_write_string(list, 6, 0, "合计", nullptr);
  worksheet_write_number(list, 6, 3, 12345.6, nullptr);
  EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
  return path;
}

TEST(XlsxReaderTest, LibxlsxwriterWorkbook) {
  std::filesystem::path path = WriteWorkbook();
  TableOptions options;
  options.sheet = "名单";
  EXPECT_EQ(ReadAll(path, options),
            "1:2025年3月医保高额自付名单;"
            "2:序号|姓名|证件号码|自付金额（元）|结算日期;"
            "3:1|张三|653221199001011234|12345.6|2025-03-05;"
            "4:2|张三|6.53221199001011E+17|TRUE|张三;"
            "7:合计|||12345.6");
  EXPECT_EQ(ReadAll(path), "1:本表由医保局导出");
}

TEST(XlsxReaderTest, SheetNamesIgnoreAsciiCase) {
  std::filesystem::path path = TempPath("case.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  workbook_add_worksheet(book, "Sheet1");
  worksheet_write_string(workbook_add_worksheet(book, "Data"), 0, 0, "x", nullptr);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
  TableOptions options;
  options.sheet = " data ";
  EXPECT_EQ(ReadAll(path, options), "1:x");
}

TEST(XlsxReaderTest, TruncatedFileFails) {
  std::filesystem::path whole = WriteWorkbook();
  std::string bytes(std::filesystem::file_size(whole), '\0');
  std::ifstream(whole, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::filesystem::path cut = TempPath("cut.xlsx");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string got = ReadAll(cut);
  EXPECT_EQ(got.substr(0, 18), "error xlsx_corrupt") << got;
  EXPECT_NE(got.find("没有下载完整"), std::string::npos) << got;
  // The zip library's reason in the reader's language, not its English.
  EXPECT_NE(got.find("压缩包"), std::string::npos) << got;
  EXPECT_EQ(got.find("archive"), std::string::npos) << got;
}

TEST(XlsxReaderTest, MissingSheetListsTheSheets) {
  std::filesystem::path path = WriteWorkbook();
  TableOptions options;
  options.sheet = "名单2";
  std::string got = ReadAll(path, options);
  EXPECT_NE(got.find("error xlsx_sheet_missing"), std::string::npos) << got;
  EXPECT_NE(got.find("“名单2”"), std::string::npos) << got;
  EXPECT_NE(got.find("说明、名单"), std::string::npos) << got;
}

TEST(XlsxReaderTest, HiddenFirstSheetIsPassedOver) {
  std::filesystem::path path = TempPath("hidden.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* hidden = workbook_add_worksheet(book, "配置");
  worksheet_write_string(hidden, 0, 0, "hidden", nullptr);
  lxw_worksheet* visible = workbook_add_worksheet(book, "数据");
  worksheet_write_string(visible, 0, 0, "visible", nullptr);
  worksheet_activate(visible);
  worksheet_hide(hidden);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
  EXPECT_EQ(ReadAll(path), "1:visible");
  TableOptions options;
  options.sheet = "配置";
  EXPECT_EQ(ReadAll(path, options), "1:hidden");
}

TEST(XlsxReaderTest, FindHeaderAndTotals) {
  std::filesystem::path path = WriteWorkbook();
  TableOptions options;
  options.sheet = "名单";
  auto reader = std::move(OpenTable(path, options)).value();
  EXPECT_EQ(reader->format(), "xlsx");
  EXPECT_EQ(reader->encoding(), Encoding::kUtf8);
  const std::vector<ColumnSpec> columns = {{"姓名", {}}, {"证件号码", {"身份证号"}}};
  StatusOr<HeaderMatch> header = FindHeader(*reader, columns);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->line, 2);
  TableRow row;
  std::vector<std::string> ids;
  while (*reader->Next(&row)) {
    if (IsTotalRow(row)) continue;
    ids.emplace_back(header->Cell(row, 1));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"653221199001011234", "6.53221199001011E+17"}));
  EXPECT_EQ(reader->BytesRead(), reader->TotalBytes());
}

// ---- Files made by LibreOffice from tests/fixtures/tables/medical_title.csv ----

TEST(XlsxReaderTest, LibreOfficeFixtures) {
  struct Case {
    std::string file;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"medical_title_text_ids.xlsx",
       "1:2025年3月医保高额自付名单;2:序号|姓名|证件号码|自付金额（元）|结算日期;"
       "3:1|张三|653221199001011234|12345.6|2025-03-05;"
       "4:2|阿卜杜拉·艾买提|65322119850315002X|8800|2025-03-18;"
       "5:3|李四|653221200512310018|15000.5|2025-03-31;6:合计|||36146.1"},
      {"medical_title_number_ids.xlsx",
       "1:2025年3月医保高额自付名单;2:序号|姓名|证件号码|自付金额（元）|结算日期;"
       "3:1|张三|6.53221199001011E+17|12345.6|2025-03-05;"
       "4:2|阿卜杜拉·艾买提|65322119850315002X|8800|2025-03-18;"
       "5:3|李四|6.5322120051231E+17|15000.5|2025-03-31;6:合计|||36146.1"},
  };
  for (const Case& c : cases) EXPECT_EQ(ReadAll(Fixture(c.file)), c.want) << c.file;
}

// ---- Long numbers: the plain digits a spreadsheet shows ----

// A number cell holding a long integer (a 户编号, an ID number a spreadsheet stored as a number)
// reads in plain digits, never in scientific notation; an integer written out digit by digit
// stays exactly as it is; what is not a number is kept as it is, never guessed at.
TEST(XlsxReaderTest, LongNumbersReadInPlainDigitsUnlessDigitsMayBeLost) {
  struct Case {
    std::string stored;
    std::string want;
  };
  const std::vector<Case> cases = {
      // 16 digits ending in 0: Excel may have turned a typed 16th digit into it.
      {"6530221022030000", "6.53022102203E+15"},
      {"6.5302210220300003E+15", "6.53022102203E+15"},  // the same written to 17 digits
      {"6.53022102203E+15", "6.53022102203E+15"},
      {"6530221022030001", "6530221022030001"},         // exact below 2^53, whoever wrote it
      {"6.53221199001011E+17", "6.53221199001011E+17"},   // Excel: an ID typed as a number
      {"6.53221199001011E+017", "6.53221199001011E+17"},  // LibreOffice
      {"6.532211990010112E+17", "6.53221199001011E+17"},  // libxlsxwriter (%.16G)
      {"653221199001011200", "6.53221199001011E+17"},     // a double printed in full
      {"653221199001011000", "6.53221199001011E+17"},
      {"653221199001011234", "653221199001011234"},     // written out digit by digit: exact
      {"-6.53221199001011E+17", "-6.53221199001011E+17"},
      {"6.53221100201E+11", "653221100201"},            // a village code in scientific notation
      {"1E+2", "100"},
      {"0E+0", "0"},
      {"36001.200000000004", "36001.2"},                // a formula's binary noise
      {"45356", "45356"},
      {"12345.6", "12345.6"},
      {"0.1", "0.1"},
      {"1.5E-7", "1.5E-7"},                             // a small number: as stored
      {"1E+25", "1E+25"},                               // beyond plain digits: as stored
      {"abc", "abc"},
      {"1e", "1e"},
      {"6.53221199001011E+17x", "6.53221199001011E+17x"},
      {"", ""},
  };
  std::string rows;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string r = std::to_string(i + 1);
    rows += "<row r=\"" + r + "\"><c r=\"A" + r + "\" t=\"inlineStr\"><is><t>x</t></is></c><c r=\"B" + r +
            "\"><v>" + cases[i].stored + "</v></c></row>";
  }
  const std::filesystem::path path = TempPath("long_numbers.xlsx");
  WriteZip(path, PackageParts({Sheet(rows)}));
  auto reader = std::move(OpenTable(path, {})).value();
  TableRow row;
  for (const Case& c : cases) {
    ASSERT_TRUE(*reader->Next(&row)) << c.stored;
    EXPECT_EQ(row.cells.size() > 1 ? row.cells[1] : "", c.want) << c.stored;
  }
}

TEST(XlsxReaderTest, LongNumbersWrittenByLibxlsxwriter) {
  const std::filesystem::path path = TempPath("long_numbers_lxw.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(book, "名单");
  const double values[] = {6530221022030000.0, 653221199001011234.0, 653221100201.0, 12345.67, 0.5};
  for (int r = 0; r < 5; ++r) worksheet_write_number(sheet, r, 0, values[r], nullptr);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
  EXPECT_EQ(ReadAll(path), "1:6.53022102203E+15;2:6.53221199001011E+17;3:653221100201;4:12345.67;5:0.5");
}

// ---- Rows hidden in the sheet, sheets of a workbook ----

// "line:hidden" or "line:-" for each row the sheet's reader returns.
std::string RowsAndHidden(const std::filesystem::path& path, size_t sheet_index) {
  auto book = XlsxWorkbook::Open(path);
  if (!book.ok()) return "error " + book.status().ToString();
  auto sheet = (*book)->OpenSheet(sheet_index);
  if (!sheet.ok()) return "error " + sheet.status().ToString();
  std::string out;
  TableRow row;
  while (true) {
    StatusOr<bool> more = (*sheet)->Next(&row);
    if (!more.ok()) return out + ";error " + more.status().ToString();
    if (!*more) return out;
    out += (out.empty() ? "" : ";") + std::to_string(row.line) + ((*sheet)->RowHidden() ? ":hidden" : ":-");
  }
}

TEST(XlsxReaderTest, RowsHiddenInTheSheetAreMarked) {
  const std::string cell = "<c t=\"inlineStr\"><is><t>a</t></is></c>";
  const struct {
    std::string name;
    std::string rows;
    std::string want;
  } cases[] = {
      {"hidden=\"1\" and \"true\"; \"0\" and none are visible",
       "<row r=\"1\">" + cell + "</row><row r=\"2\" hidden=\"1\">" + cell + "</row><row r=\"3\" hidden=\"0\">" + cell +
           "</row><row r=\"4\" hidden=\"true\">" + cell + "</row><row r=\"5\">" + cell + "</row>",
       "1:-;2:hidden;3:-;4:hidden;5:-"},
      {"a hidden row without a value is not returned; the row after it is visible",
       "<row r=\"1\" hidden=\"1\"/><row r=\"2\">" + cell + "</row>", "2:-"},
      {"hidden rows with collapsed outline and zero height",
       "<row r=\"1\" outlineLevel=\"1\" hidden=\"1\" ht=\"0\" customHeight=\"1\">" + cell + "</row>", "1:hidden"},
      {"broken XML after a hidden row fails", "<row r=\"1\" hidden=\"1\">" + cell + "</row><row r=\"2\"><c>",
       "1:hidden;error xlsx_corrupt"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::filesystem::path path = TempPath("hidden_rows" + std::to_string(n++) + ".xlsx");
    WriteZip(path, PackageParts({Sheet(c.rows)}));
    const std::string got = RowsAndHidden(path, 0);
    EXPECT_EQ(got.substr(0, c.want.size()), c.want) << c.name << "\n got: " << got;
  }
}

TEST(XlsxReaderTest, RowsHiddenByAnAutoFilterAreMarked) {
  const std::filesystem::path path = TempPath("autofilter.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(book, "名单");
  const char* states[] = {"审核状态", "通过", "未通过", "通过", "未通过"};
  for (int r = 0; r < 5; ++r) worksheet_write_string(sheet, r, 0, states[r], nullptr);
  worksheet_autofilter(sheet, 0, 0, 4, 0);
  lxw_row_col_options hidden = {};
  hidden.hidden = LXW_TRUE;
  for (int r : {2, 4}) worksheet_set_row_opt(sheet, r, LXW_DEF_ROW_HEIGHT, nullptr, &hidden);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);
  EXPECT_EQ(RowsAndHidden(path, 0), "1:-;2:-;3:hidden;4:-;5:hidden");
}

TEST(XlsxWorkbookTest, SheetsInWorkbookOrder) {
  const std::filesystem::path path = TempPath("sheets.xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  worksheet_write_string(workbook_add_worksheet(book, "填表说明"), 0, 0, "说明", nullptr);
  worksheet_write_string(workbook_add_worksheet(book, "3月"), 0, 0, "三月", nullptr);
  lxw_worksheet* lists = workbook_add_worksheet(book, "Lists");
  worksheet_write_string(lists, 0, 0, "低保", nullptr);
  worksheet_hide(lists);
  worksheet_write_string(workbook_add_worksheet(book, "4月"), 0, 0, "四月", nullptr);
  ASSERT_EQ(workbook_close(book), LXW_NO_ERROR);

  std::unique_ptr<XlsxWorkbook> workbook = std::move(XlsxWorkbook::Open(path)).value();
  std::string sheets;
  for (const XlsxWorkbook::Sheet& sheet : workbook->sheets()) {
    sheets += sheet.name + (sheet.hidden ? "(hidden)" : "") + (sheet.xml_bytes > 0 ? ";" : "(empty);");
  }
  EXPECT_EQ(sheets, "填表说明;3月;Lists(hidden);4月;");
  EXPECT_EQ(workbook->FirstVisibleSheet(), 0u);
  EXPECT_EQ(*workbook->FindSheet(" 3月 "), 1u);
  EXPECT_EQ(*workbook->FindSheet("lists"), 2u);
  StatusOr<size_t> missing = workbook->FindSheet("5月");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "xlsx_sheet_missing");
  EXPECT_NE(missing.status().message().find("填表说明、3月、Lists、4月"), std::string::npos) << missing.status().message();

  // A sheet's reader keeps what it needs of the workbook.
  std::unique_ptr<XlsxSheetReader> april = std::move(workbook->OpenSheet(3)).value();
  workbook.reset();
  TableRow row;
  ASSERT_TRUE(*april->Next(&row));
  EXPECT_EQ(row.cells, std::vector<std::string>{"四月"});
  EXPECT_FALSE(*april->Next(&row));
}

TEST(XlsxWorkbookTest, FilesThatAreNotWorkbooksFail) {
  const std::filesystem::path text = TempPath("text.xlsx");
  std::ofstream(text) << "姓名,证件号码\n";
  const std::filesystem::path ole2 = TempPath("old.xlsx");
  std::ofstream(ole2, std::ios::binary) << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) << std::string(512, '\0');
  const struct {
    std::filesystem::path path;
    std::string kind;
  } cases[] = {{TempPath("absent.xlsx"), "io_open"}, {text, "xlsx_corrupt"}, {ole2, "format_xls"}};
  for (const auto& c : cases) {
    StatusOr<std::unique_ptr<XlsxWorkbook>> book = XlsxWorkbook::Open(c.path);
    ASSERT_FALSE(book.ok()) << c.path;
    EXPECT_EQ(book.status().kind(), c.kind) << c.path << ": " << book.status().ToString();
  }
}

// ---- Size ----

std::filesystem::path WriteBigWorkbook(int rows) {
  std::filesystem::path path = TempPath("big" + std::to_string(rows) + ".xlsx");
  if (std::filesystem::exists(path)) return path;
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* book = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* sheet = workbook_add_worksheet(book, "名单");
  for (int r = 0; r < rows; ++r) {
    worksheet_write_number(sheet, r, 0, r + 1, nullptr);
    worksheet_write_string(sheet, r, 1, "张三", nullptr);
    worksheet_write_string(sheet, r, 2, "653221199001011234", nullptr);
    worksheet_write_string(sheet, r, 3, "乌鲁木齐市天山区", nullptr);
    for (int col = 4; col < 10; ++col) worksheet_write_number(sheet, r, col, col * 1.5, nullptr);
  }
  EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
  return path;
}

TEST(XlsxReaderTest, ReadsManyRows) {
  constexpr int kRows = 30000;
  auto reader = std::move(OpenTable(WriteBigWorkbook(kRows), {})).value();
  TableRow row;
  int rows = 0;
  while (*reader->Next(&row)) {
    ++rows;
    ASSERT_EQ(row.line, rows);
    ASSERT_EQ(row.cells.size(), 10u);
  }
  EXPECT_EQ(rows, kRows);
  EXPECT_EQ(row.cells[3], "乌鲁木齐市天山区");
  EXPECT_EQ(row.cells[9], "13.5");
}

}  // namespace
}  // namespace hearth
