#include "ingest/table.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include "core/date.h"
#include "core/messages.h"
#include "ingest/csv_reader.h"
#include "ingest/row_cells.h"
#include "ingest/xlsx_reader.h"

namespace hearth {
namespace {

// The first 4 KiB of a file, to tell what it holds.
StatusOr<std::string> FileHead(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return Error(StatusCode::kInvalidArgument, Msg::kIoDirectory, path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(StatusCode::kIoError, Msg::kIoOpen, path.string(), std::strerror(errno));
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

bool IsZip(std::string_view head) { return head.starts_with(std::string_view("PK\3\4", 4)); }

bool IsOle2(std::string_view head) { return head.starts_with("\xD0\xCF\x11\xE0"); }

bool IsUtf16(std::string_view head) { return head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF"); }

// A web page: its first text (after a BOM and blanks) is a tag.
bool IsHtml(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  head.remove_prefix(std::min(head.size(), head.find_first_not_of(" \t\r\n")));
  return head.starts_with('<');
}

// Text a table may be written in: UTF-8 or GBK (the head may end inside a character), and no
// control byte but tab, line ends, form feed and DOS's end-of-file mark.
bool IsText(std::string_view head) {
  for (char c : head) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\x1A') return false;
  }
  if (IsValidUtf8(head, /*allow_truncated_tail=*/true)) return true;
  GbkDecoder gbk;
  std::string decoded;
  return gbk.Decode(head, /*last=*/false, &decoded).ok();
}

// What a .xls really holds decides how it is read. A zip is an .xlsx renamed; the OLE2
// signature is the legacy binary format, which Hearth does not read; a web page (业务系统 often
// export an HTML table named .xls) is named as such; plain text (a system's tab- or
// comma-separated export named .xls, or UTF-16 "Unicode 文本", which the CSV reader names) is
// read as text.
StatusOr<std::unique_ptr<TableReader>> OpenLegacyXls(const std::filesystem::path& path,
                                                     const TableOptions& options) {
  HEARTH_ASSIGN_OR_RETURN(std::string head, FileHead(path));
  if (IsZip(head)) return OpenXlsxFile(path, options);
  if (IsOle2(head)) return Error(StatusCode::kInvalidArgument, Msg::kFormatXls, path.string());
  if (IsUtf16(head)) return OpenCsvFile(path, options);
  if (IsHtml(head)) return Error(StatusCode::kInvalidArgument, Msg::kFormatHtml, path.string(), ".xls");
  if (head.find('\0') != std::string::npos) {
    return Error(StatusCode::kInvalidArgument, Msg::kFormatXls, path.string());
  }
  return OpenCsvFile(path, options);
}

// What an .xlsx or .xlsm really holds decides how it is read: a zip is read as the workbook (a
// damaged one is named so), the legacy or encrypted format is named; text (a CSV renamed .xlsx, or
// UTF-16 "Unicode 文本", which the CSV reader names) is read as text; anything else is neither a
// workbook nor a table in text, and is refused saying so.
StatusOr<std::unique_ptr<TableReader>> OpenWorkbookNamed(const std::filesystem::path& path,
                                                         const TableOptions& options) {
  if (!std::filesystem::is_regular_file(path)) return OpenXlsxFile(path, options);  // it names what is wrong
  HEARTH_ASSIGN_OR_RETURN(std::string head, FileHead(path));
  if (IsZip(head) || IsOle2(head)) return OpenXlsxFile(path, options);
  const std::string ext = path.extension().string();
  if (IsUtf16(head)) return OpenCsvFile(path, options);
  if (IsHtml(head)) return Error(StatusCode::kInvalidArgument, Msg::kFormatHtml, path.string(), ext);
  if (IsText(head)) return OpenCsvFile(path, options);
  return Error(StatusCode::kInvalidArgument, Msg::kFormatNotTable, path.string(), ext);
}

// The names under which a spec may appear, in its order (its own name, then its aliases): each
// as compared exactly (FoldHeader) and once brackets are read (NormalizeHeader).
using SpecKeys = std::vector<std::vector<HeaderName>>;

SpecKeys MakeSpecKeys(const std::vector<ColumnSpec>& columns) {
  SpecKeys keys;
  for (const ColumnSpec& spec : columns) {
    std::vector<HeaderName>& k = keys.emplace_back();
    k.push_back({FoldHeader(spec.name), NormalizeHeader(spec.name)});
    for (const std::string& alias : spec.aliases) k.push_back({FoldHeader(alias), NormalizeHeader(alias)});
  }
  return keys;
}

// A match found only once brackets were read ranks after every exact one.
constexpr int kBracketReadRank = 1 << 16;

// The spec a header cell names.
struct CellMatch {
  int spec = -1;  // -1: none
  int rank = 0;   // how closely: the spec's own name 0, then each alias in its order; +kBracketReadRank
  std::optional<Unit> unit;
};

CellMatch SpecOfHeader(const SpecKeys& keys, std::string_view cell) {
  const std::string exact = FoldHeader(cell);
  if (exact.empty()) return {};
  for (size_t spec = 0; spec < keys.size(); ++spec) {
    for (size_t rank = 0; rank < keys[spec].size(); ++rank) {
      if (keys[spec][rank].exact == exact) return {static_cast<int>(spec), static_cast<int>(rank), ReadHeader(cell).unit};
    }
  }
  HeaderReading reading = ReadHeader(cell);
  if (!reading.bracket_read || reading.key.empty()) return {};
  for (size_t spec = 0; spec < keys.size(); ++spec) {
    for (size_t rank = 0; rank < keys[spec].size(); ++rank) {
      if (keys[spec][rank].read == reading.key) {
        return {static_cast<int>(spec), kBracketReadRank + static_cast<int>(rank), std::move(reading.unit)};
      }
    }
  }
  return {};
}

// A row read as a possible header.
struct Candidate {
  HeaderMatch match;
  int matched = 0;
  int duplicate_spec = -1;  // a spec named by two cells, and the second cell's index
  int duplicate_cell = -1;
};

Candidate MatchRow(const TableRow& row, const SpecKeys& keys) {
  Candidate c;
  c.match.line = row.line;
  c.match.index.assign(keys.size(), -1);
  c.match.units.assign(keys.size(), std::nullopt);
  // Two cells may name one spec: a housing file with both 户主身份证号 and 身份证号 (the head's
  // and a member's), or 金额 and 金额（元）. The closer name wins (an exact one before one read
  // through brackets; the spec's own, then the aliases in their order); two cells equally close
  // cannot be told apart and are refused (DuplicateError).
  std::vector<int> rank_of(keys.size(), 0);
  std::vector<int> tie_cell(keys.size(), -1);
  for (size_t i = 0; i < row.cells.size(); ++i) {
    c.match.found.emplace_back(TrimSpace(row.cells[i]));
    CellMatch m = SpecOfHeader(keys, row.cells[i]);
    if (m.spec < 0) continue;
    const auto spec = static_cast<size_t>(m.spec);
    if (c.match.index[spec] < 0) {
      ++c.matched;
    } else if (m.rank == rank_of[spec] && tie_cell[spec] < 0) {
      tie_cell[spec] = static_cast<int>(i);
      continue;
    } else if (m.rank >= rank_of[spec]) {
      continue;
    }
    c.match.index[spec] = static_cast<int>(i);
    c.match.units[spec] = std::move(m.unit);
    rank_of[spec] = m.rank;
    tie_cell[spec] = -1;
  }
  for (size_t spec = 0; spec < keys.size() && c.duplicate_spec < 0; ++spec) {
    if (tie_cell[spec] >= 0) {
      c.duplicate_spec = static_cast<int>(spec);
      c.duplicate_cell = tie_cell[spec];
    }
  }
  return c;
}

// The header of a table whose header takes two rows (表头两行), as one row: a group cell such as
// 费用情况（元） above the columns it spans, whose names are in the row below, beside columns the
// upper row names alone (their cells below empty: merged vertically, and saved as CSV without
// the merge). Each cell is the lower row's, else the upper one's; a name under a group takes the
// group's unit when it states none (医疗总费用 under 费用情况（万元）). The lower row's line.
TableRow TwoRowHeader(const TableRow& upper, const TableRow& lower) {
  TableRow out;
  out.line = lower.line;
  const size_t width = std::max(upper.cells.size(), lower.cells.size());
  out.cells.resize(width);
  std::optional<Unit> group_unit;  // of the upper cell spanning this one: the last non-empty to its left
  for (size_t i = 0; i < width; ++i) {
    const std::string_view up = i < upper.cells.size() ? TrimSpace(upper.cells[i]) : std::string_view();
    const std::string_view low = i < lower.cells.size() ? TrimSpace(lower.cells[i]) : std::string_view();
    if (!up.empty()) group_unit = ReadHeader(up).unit;
    if (low.empty()) {
      out.cells[i] = up;
      continue;
    }
    out.cells[i] = low;
    if (group_unit && !ReadHeader(low).unit) out.cells[i] += "（" + group_unit->text + "）";
  }
  return out;
}

// A unit an amount column may be read in.
bool IsRenminbi(const std::optional<Unit>& unit) { return unit && unit->kind == UnitKind::kMoney; }

// Refuses the file when a money column's unit is not renminbi Hearth reads: its own unit (any
// other money, or a measure: 金额（斤）), else the stated one when that is other money (a stated
// measure, 单位：亩, is about the table's other columns).
Status CheckMoneyUnits(const HeaderMatch& match, const std::vector<ColumnSpec>& columns, std::string_view file,
                       std::string_view where) {
  for (size_t spec = 0; spec < columns.size(); ++spec) {
    if (!columns[spec].money || !match.Has(spec)) continue;
    const int cell = match.index[spec];
    const std::string& header = match.found[static_cast<size_t>(cell)];
    const std::optional<Unit>& own = spec < match.units.size() ? match.units[spec] : std::nullopt;
    if (own && !IsRenminbi(own)) {
      return Error(StatusCode::kInvalidArgument, Msg::kMoneyUnitUnsupported, file, where, ColumnLetters(cell), header,
                   columns[spec].name, own->text);
    }
    if (!own && match.stated_unit && match.stated_unit->kind == UnitKind::kCurrency) {
      return Error(StatusCode::kInvalidArgument, Msg::kMoneyStatedUnitUnsupported, file, where, ColumnLetters(cell),
                   header, columns[spec].name, match.stated_unit->text, Tr(Msg::kIngestRows, match.stated_unit_line));
    }
  }
  return Status::Ok();
}

std::vector<std::string> MissingRequired(const HeaderMatch& match,
                                         const std::vector<ColumnSpec>& columns) {
  std::vector<std::string> missing;
  for (size_t spec = 0; spec < columns.size(); ++spec) {
    if (columns[spec].required && (match.index.empty() || !match.Has(spec))) {
      missing.push_back(columns[spec].name);
    }
  }
  return missing;
}

Status DuplicateError(const TableReader& reader, const Candidate& c,
                      const std::vector<ColumnSpec>& columns) {
  int first = c.match.index[c.duplicate_spec];
  int second = c.duplicate_cell;
  return Error(StatusCode::kInvalidArgument, Msg::kDuplicateColumn, reader.name(), c.match.line,
               ColumnLetters(first), c.match.found[first], ColumnLetters(second),
               c.match.found[second], columns[c.duplicate_spec].name);
}

// Rows quoted in a refusal, one after another ("；" in Chinese, "; " in English); "(blank rows
// only)" when there are none.
std::string JoinRows(const std::vector<std::string>& rows) {
  if (rows.empty()) return Tr(Msg::kIngestOnlyBlankRows);
  const std::string_view separator = CurrentLanguage() == Lang::kZh ? "；" : "; ";
  std::string out;
  for (const std::string& row : rows) {
    if (!out.empty()) out.append(separator);
    out.append(row);
  }
  return out;
}

// A row as a refusal quotes it: 第 3 行“a｜b｜c”, its non-empty cells joined, cut short.
std::string QuotedRow(const TableRow& row) {
  constexpr size_t kMaxRowBytes = 80;
  const std::string_view separator = CurrentLanguage() == Lang::kZh ? "｜" : " | ";
  std::string text;
  for (const std::string& cell : row.cells) {
    const std::string_view trimmed = TrimSpace(cell);
    if (trimmed.empty()) continue;
    if (!text.empty()) text.append(separator);
    text.append(trimmed);
    if (text.size() > kMaxRowBytes) break;
  }
  return Tr(Msg::kIngestQuotedRow, row.line, TruncateUtf8(text, kMaxRowBytes));
}

Status MissingError(const TableReader& reader, const Candidate* best, int scanned,
                    const std::vector<ColumnSpec>& columns, const std::vector<std::string>& first_rows) {
  if (scanned == 0) {
    return Error(StatusCode::kInvalidArgument, Msg::kTableEmpty, reader.name(),
                 JoinList(MissingRequired(HeaderMatch{}, columns)));
  }
  if (best == nullptr) {
    return Error(StatusCode::kInvalidArgument, Msg::kMissingColumnsNoCandidate, reader.name(),
                 scanned, JoinList(MissingRequired(HeaderMatch{}, columns)), JoinRows(first_rows));
  }
  std::vector<std::string> headers;
  for (const std::string& cell : best->match.found) {
    if (!cell.empty()) headers.push_back(cell);
  }
  return Error(StatusCode::kInvalidArgument, Msg::kMissingColumns, reader.name(),
               JoinList(MissingRequired(best->match, columns)), scanned, best->match.line,
               JoinList(headers));
}

// What FindHeader saw: the row closest to a header (`best`; none when null).
void DescribeMiss(const Candidate* best, const std::vector<ColumnSpec>& columns, HeaderMiss* miss) {
  *miss = HeaderMiss{};
  for (const ColumnSpec& spec : columns) miss->required += spec.required;
  if (best == nullptr) return;
  miss->line = best->match.line;
  miss->named = best->matched;
  miss->missing = MissingRequired(best->match, columns);
  miss->required_named = miss->required - static_cast<int>(miss->missing.size());
  for (const std::string& cell : best->match.found) {
    if (!cell.empty()) miss->headers.push_back(cell);
  }
}

bool IsHeader(const Candidate& c, const std::vector<ColumnSpec>& columns) {
  return c.matched > 0 && MissingRequired(c.match, columns).empty();
}

// True when the amount column `spec` of `row_header` counts what `header`'s does.
bool SameMoneyUnit(const HeaderMatch& row_header, const HeaderMatch& header, size_t spec) {
  const std::optional<Unit>& own = spec < row_header.units.size() ? row_header.units[spec] : std::nullopt;
  if (own && !IsRenminbi(own)) return false;
  return row_header.MoneyUnitOf(spec) == header.MoneyUnitOf(spec);
}

}  // namespace

StatusOr<std::unique_ptr<TableReader>> OpenTable(const std::filesystem::path& path,
                                                 const TableOptions& options) {
  std::string ext = LowerAscii(path.extension().string());
  if (ext == ".csv" || ext == ".txt") {
    // A workbook saved or renamed as .csv is read as the workbook it is.
    if (std::filesystem::is_regular_file(path)) {
      StatusOr<std::string> head = FileHead(path);
      if (head.ok() && IsZip(*head)) return OpenXlsxFile(path, options);
    }
    return OpenCsvFile(path, options);
  }
  if (ext == ".tsv") {
    TableOptions tsv = options;
    if (tsv.delimiter == ',') tsv.delimiter = '\t';
    return OpenCsvFile(path, tsv);
  }
  if (ext == ".xlsx" || ext == ".xlsm") return OpenWorkbookNamed(path, options);
  if (ext == ".xls") return OpenLegacyXls(path, options);
  return Error(StatusCode::kInvalidArgument, Msg::kFormatUnknown, path.string(), ext);
}

std::string NormalizeHeader(std::string_view cell) { return ReadHeader(cell).key; }

std::string_view HeaderMatch::Cell(const TableRow& row, size_t spec) const {
  if (spec >= index.size() || index[spec] < 0) return {};
  size_t i = static_cast<size_t>(index[spec]);
  if (i >= row.cells.size()) return {};
  return TrimSpace(row.cells[i]);
}

MoneyUnit HeaderMatch::MoneyUnitOf(size_t spec) const {
  if (spec < units.size() && units[spec]) return IsRenminbi(units[spec]) ? units[spec]->money : MoneyUnit::kYuan;
  return IsRenminbi(stated_unit) ? stated_unit->money : MoneyUnit::kYuan;
}

StatusOr<HeaderMatch> FindHeader(TableReader& reader, const std::vector<ColumnSpec>& columns,
                                 int max_scan, HeaderMiss* miss) {
  constexpr size_t kRowsQuoted = 3;  // of a file in which no row names a column
  const SpecKeys keys = MakeSpecKeys(columns);
  std::optional<Candidate> best;
  std::optional<Unit> stated;
  int64_t stated_line = 0;
  std::vector<std::string> first_rows;
  TableRow row;
  std::optional<TableRow> above;  // the row just above, when not blank
  int scanned = 0;
  while (scanned < max_scan) {
    HEARTH_ASSIGN_OR_RETURN(bool more, reader.Next(&row));
    if (!more) break;
    ++scanned;
    if (IsBlankRow(row)) {
      above.reset();
      continue;
    }
    if (first_rows.size() < kRowsQuoted) first_rows.push_back(QuotedRow(row));
    Candidate c = MatchRow(row, keys);
    if (!IsHeader(c, columns) && above && c.matched > 0) {
      // A header over two rows: the columns this row names with those the row above names.
      Candidate both = MatchRow(TwoRowHeader(*above, row), keys);
      if (IsHeader(both, columns) && both.matched > c.matched) c = std::move(both);
    }
    if (IsHeader(c, columns)) {
      if (c.duplicate_spec >= 0) return DuplicateError(reader, c, columns);
      c.match.stated_unit = std::move(stated);
      c.match.stated_unit_line = stated_line;
      HEARTH_RETURN_IF_ERROR(CheckMoneyUnits(c.match, columns, reader.name(), Tr(Msg::kIngestRows, c.match.line)));
      return std::move(c.match);
    }
    above = row;
    // A title row's unit for the table (单位：万元); the one nearest the header holds.
    for (const std::string& cell : row.cells) {
      if (std::optional<Unit> unit = StatedUnitOf(cell)) {
        stated = std::move(unit);
        stated_line = row.line;
        break;
      }
    }
    if (c.matched > 0 && (!best || c.matched > best->matched)) best = std::move(c);
  }
  if (miss != nullptr) DescribeMiss(best ? &*best : nullptr, columns, miss);
  return MissingError(reader, best ? &*best : nullptr, scanned, columns, first_rows);
}

bool IsBlankRow(const TableRow& row) {
  for (size_t i = 0; i < row.cells.size(); ++i) {
    std::string_view cell = TrimSpace(row.cells[i]);
    if (cell.empty() || cell == "\x1A") continue;  // 0x1A: DOS's end-of-file mark, left by old tools
    // A template's pre-numbered row: only its 序号 (1 to 5 digits, first column) filled in.
    const bool row_number = i == 0 && cell.size() <= 5 && cell[0] != '0' &&
                            cell.find_first_not_of("0123456789") == std::string_view::npos;
    if (!row_number) return false;
  }
  return true;
}

namespace {

// The only non-empty cell of a row, trimmed; empty when the row has none or several.
std::string_view LoneCell(const TableRow& row) {
  std::string_view only;
  for (const std::string& cell : row.cells) {
    std::string_view trimmed = TrimSpace(cell);
    if (trimmed.empty()) continue;
    if (!only.empty()) return {};
    only = trimmed;
  }
  return only;
}

// A figure as a total row holds it: digits with separators, a decimal point, a currency sign or
// 元; at most 11 digits (an ID number, a household or village code is longer).
bool IsFigure(std::string_view cell) {
  std::string text = RemoveSpaces(FoldWidth(cell));
  if (text.starts_with("¥")) text.erase(0, std::string_view("¥").size());
  if (text.ends_with("元")) text.resize(text.size() - std::string_view("元").size());
  if (text.starts_with('-')) text.erase(0, 1);
  int digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ',' && c != '.') {
      return false;
    }
  }
  return digits > 0 && digits <= 11;
}

// A date in a form ParseDate reads (2025年3月31日, 2025-04-01, 2025/4/1, 20250401 …), but not a
// bare Excel serial such as 45383: as text, that is as likely a figure.
bool IsLoneDate(std::string_view text) {
  const bool digits_only = text.find_first_not_of("0123456789.") == std::string_view::npos;
  if (digits_only && std::count_if(text.begin(), text.end(), [](char c) { return c != '.'; }) < 8) return false;
  return ParseDate(text).ok();
}

}  // namespace

bool IsTotalRow(const TableRow& row) {
  for (const std::string& cell : row.cells) {
    std::string_view trimmed = TrimSpace(cell);
    if (trimmed.empty()) continue;
    std::string text = RemoveSpaces(FoldWidth(trimmed.substr(0, 32)));  // the start is enough
    for (std::string_view mark : {"合计", "总计", "小计", "共计", "累计", "本页", "以上合计"}) {
      if (text.starts_with(mark)) return true;
    }
    // 共3户3人, 共 12 人.
    if (text.starts_with("共") && text.size() > 3 && text[3] >= '0' && text[3] <= '9') return true;
    if (LowerAscii(text.substr(0, 5)) == "total") return true;
    break;
  }
  // A total without its label: the first cell empty and every other cell a figure.
  if (row.cells.empty() || !TrimSpace(row.cells[0]).empty()) return false;
  bool figures = false;
  for (const std::string& cell : row.cells) {
    std::string_view trimmed = TrimSpace(cell);
    if (trimmed.empty()) continue;
    if (!IsFigure(trimmed)) return false;
    figures = true;
  }
  return figures;
}

bool IsNoteRow(const TableRow& row) {
  for (const std::string& cell : row.cells) {
    std::string_view trimmed = TrimSpace(cell);
    if (trimmed.empty()) continue;
    std::string text = RemoveSpaces(FoldWidth(trimmed.substr(0, 48)));
    // FoldWidth turns the full-width colon into ':'.
    for (std::string_view mark : {"制表", "填表人", "填表日期", "填表说明", "填表须知", "填报", "审核", "审批", "复核",
                                  "经办人", "统计人", "负责人", "单位负责人", "联系人", "联系电话", "注:", "注意", "备注:",
                                  "附注", "说明:", "数据来源", "数据截至", "截至", "打印", "导出时间", "签字", "签章",
                                  "(盖章)", "盖章", "本表"}) {
      if (text.starts_with(mark)) return true;
    }
    break;
  }
  // A line standing alone under the table: the date it was made (2025年3月31日) or the office
  // that made it (某某县医疗保障局).
  const std::string_view only = LoneCell(row);
  if (only.empty()) return false;
  if (IsLoneDate(FoldWidth(only.substr(0, 48)))) return true;
  const std::string text = RemoveSpaces(FoldWidth(only.substr(0, 96)));
  for (std::string_view office : {"局", "委员会", "办公室", "中心", "政府", "公司", "医院", "(盖章)", "盖章)"}) {
    if (text.ends_with(office) && text.size() > office.size() + 3) return true;
  }
  return false;
}

namespace {

// The length of the numbering at the start of `text`: 1 to 3 numerals, Arabic or Chinese
// (一 … 十); 0 when there is none or a longer one (2025、 is a year, not a section).
size_t NumberingLength(std::string_view text) {
  size_t length = 0;
  for (int numerals = 0;; ++numerals) {
    const std::string_view rest = text.substr(length);
    size_t step = !rest.empty() && rest[0] >= '0' && rest[0] <= '9' ? 1 : 0;
    for (std::string_view han : {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}) {
      if (step == 0 && rest.starts_with(han)) step = han.size();
    }
    if (step == 0) return numerals == 0 || numerals > 3 ? 0 : length;
    length += step;
  }
}

// 第一部分, 第二部分：公益性岗位, 第三节 新增对象: 第, a number, then 部分, 节, 章 or 篇, alone or
// followed by the section's name.
bool IsNumberedPart(std::string_view text) {
  if (!text.starts_with("第")) return false;
  text.remove_prefix(std::string_view("第").size());
  const size_t numbering = NumberingLength(text);
  if (numbering == 0) return false;
  text.remove_prefix(numbering);
  for (std::string_view part : {"部分", "节", "章", "篇"}) {
    if (text.starts_with(part)) return true;
  }
  return false;
}

}  // namespace

bool IsSectionTitle(const TableRow& row) {
  const std::string_view only = LoneCell(row);
  if (only.empty()) return false;
  const std::string text = FoldWidth(only.substr(0, 48));
  if (IsNumberedPart(text)) return true;
  // 一、 二、 … 十二、, (一) (二) …, 1、 2、 …: the numbering of a section, then its name.
  std::string_view rest = text;
  const bool parenthesised = rest.starts_with('(');
  if (parenthesised) rest.remove_prefix(1);
  const size_t numbering = NumberingLength(rest);
  if (numbering == 0) return false;
  rest.remove_prefix(numbering);
  if (parenthesised) return rest.starts_with(')') && rest.size() > 1;
  return rest.starts_with("、") && rest.size() > std::string_view("、").size();
}

HeaderRowFinder::HeaderRowFinder(const std::vector<ColumnSpec>& columns)
    : columns_(columns), keys_(MakeSpecKeys(columns)), text_by_size_(kMaxTextBytes + 1) {
  for (const ColumnSpec& spec : columns_) {
    AddText(spec.name);
    for (const std::string& alias : spec.aliases) AddText(alias);
  }
  for (const std::vector<HeaderName>& names : keys_) {
    for (const HeaderName& name : names) {
      AddText(name.exact);
      AddText(name.read);
    }
  }
}

void HeaderRowFinder::AddText(std::string_view text) {
  text = TrimSpace(text);
  if (text.empty() || text.size() > kMaxTextBytes) return;
  std::vector<std::string>& same_size = text_by_size_[text.size()];
  if (std::find(same_size.begin(), same_size.end(), text) == same_size.end()) same_size.emplace_back(text);
}

void HeaderRowFinder::Learn(const HeaderMatch& header) {
  for (int index : header.index) {
    if (index >= 0 && static_cast<size_t>(index) < header.found.size()) AddText(header.found[static_cast<size_t>(index)]);
  }
}

bool HeaderRowFinder::MayBeHeader(const HeaderMatch& header, const TableRow& row) const {
  size_t matched = 0;
  for (int index : header.index) matched += index >= 0;
  size_t named = 0;
  for (const std::string& cell : row.cells) {
    // Compared as written (trimmed), not normalised: this runs for every row of a million-row file.
    const std::string_view text = TrimSpace(cell);
    if (text.empty() || text.size() > kMaxTextBytes) continue;
    const std::vector<std::string>& same_size = text_by_size_[text.size()];
    named += std::find(same_size.begin(), same_size.end(), text) != same_size.end();
  }
  return named >= 2 && 2 * named >= matched;
}

StatusOr<HeaderRowKind> HeaderRowFinder::Read(const HeaderMatch& header, const TableRow& row, std::string_view file,
                                              std::string_view where, HeaderMatch* next) const {
  Candidate c = MatchRow(row, keys_);
  c.match.stated_unit = header.stated_unit;
  c.match.stated_unit_line = header.stated_unit_line;
  bool same = true;
  for (size_t spec = 0; spec < keys_.size(); ++spec) {
    const int at = c.match.index[spec];
    if (at >= 0 && (spec >= header.index.size() || header.index[spec] != at)) same = false;
    // An amount column headed in another unit (（元） above, （万元） here) is read anew.
    if (at >= 0 && columns_[spec].money && !SameMoneyUnit(c.match, header, spec)) same = false;
  }
  if (same) return HeaderRowKind::kAgain;
  if (c.duplicate_spec >= 0) {
    const int first = c.match.index[c.duplicate_spec];
    const int second = c.duplicate_cell;
    return Error(StatusCode::kInvalidArgument, Msg::kDuplicateColumnInTable, file, where, ColumnLetters(first),
                 c.match.found[first], ColumnLetters(second), c.match.found[second], columns_[c.duplicate_spec].name);
  }
  if (std::vector<std::string> missing = MissingRequired(c.match, columns_); !missing.empty()) {
    std::vector<std::string> cells;
    for (const std::string& cell : c.match.found) {
      if (!cell.empty()) cells.push_back(cell);
    }
    return Error(StatusCode::kInvalidArgument, Msg::kMissingColumnsInTable, file, where, JoinList(missing),
                 JoinList(cells));
  }
  HEARTH_RETURN_IF_ERROR(CheckMoneyUnits(c.match, columns_, file, where));
  *next = std::move(c.match);
  return HeaderRowKind::kNew;
}

int CellBeyond(const TableRow& row, const HeaderMatch& header, size_t usual_cells) {
  const size_t width = HeaderWidth(header);
  const bool wider = row.cells.size() > usual_cells;
  for (size_t i = width; i < row.cells.size(); ++i) {
    std::string_view cell = TrimSpace(row.cells[i]);
    if (cell.empty()) continue;
    // In a row of the usual width, text beyond the named columns is a remark; a figure is more
    // likely an amount split at an unquoted comma.
    if (wider || IsFigure(cell)) return static_cast<int>(i);
  }
  return -1;
}

size_t HeaderWidth(const HeaderMatch& header) {
  size_t width = header.found.size();
  while (width > 0 && header.found[width - 1].empty()) --width;
  return width;
}

size_t FilledWidth(const TableRow& row) {
  size_t width = row.cells.size();
  while (width > 0 && TrimSpace(row.cells[width - 1]).empty()) --width;
  return width;
}

void UsualWidth::Add(size_t cells) {
  if (cells > kMaxCounted) return;
  // Strictly more rows of a width than of the usual one make it the usual one: the header's
  // width holds until data rows of another outnumber it.
  ++counts_[cells];
  if (usual_ > kMaxCounted || counts_[cells] > counts_[usual_]) usual_ = cells;
}

// ---- ColumnSums ----

namespace {

constexpr int kSumDecimals = 4;  // figures are summed in units of 1/10,000

// A figure in units of 1/10,000 of text that holds only a sign, digits with thousands
// separators and a decimal point; nothing for more than 4 decimals or 12 or more digits.
std::optional<int64_t> PlainFigure(std::string_view text) {
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  int64_t value = 0;
  int digits = 0, decimals = -1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++digits > 11 || decimals >= kSumDecimals) return std::nullopt;
      value = value * 10 + (c - '0');
      if (decimals >= 0) ++decimals;
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else if (c != ',' || decimals >= 0) {
      return std::nullopt;
    }
  }
  if (digits == 0) return std::nullopt;
  for (int d = std::max(decimals, 0); d < kSumDecimals; ++d) value *= 10;
  return negative ? -value : value;
}

// A cell's figure in units of 1/10,000: PlainFigure's, with spaces around, ¥ before or 元 after;
// "-" alone (an accounting zero) is 0. Nothing for anything else.
std::optional<int64_t> SumFigure(std::string_view cell) {
  if (std::optional<int64_t> plain = PlainFigure(cell)) return plain;  // the common case, for every row
  cell = TrimSpace(cell);
  if (cell.starts_with("¥") || cell.starts_with("￥")) cell = TrimSpace(cell.substr(cell.starts_with("¥") ? 2 : 3));
  if (cell.ends_with("元")) cell = TrimSpace(cell.substr(0, cell.size() - std::string_view("元").size()));
  if (cell == "-") return 0;
  return PlainFigure(cell);
}

// True when a cell holds 12 or more digits: an ID number, a household or village code.
bool HoldsLongCode(std::string_view cell) {
  int digits = 0;
  for (char c : cell) digits += c >= '0' && c <= '9';
  return digits >= 12;
}

}  // namespace

bool ColumnSums::IsTotal(const TableRow& row) const {
  // The summed columns first: a data row differs from the sums at its first figure there.
  bool sum_of_several = false;  // a figure the sum of two or more that are not 0
  const size_t summed = std::min(columns_.size(), row.cells.size());
  for (size_t i = 0; i < summed; ++i) {
    if (!columns_[i].summed || row.cells[i].empty()) continue;
    const std::optional<int64_t> figure = SumFigure(row.cells[i]);
    if (!figure) continue;  // a word, such as 全县
    if (*figure != columns_[i].sum) return false;
    sum_of_several = sum_of_several || (*figure != 0 && columns_[i].nonzero >= 2);
  }
  if (!sum_of_several) return false;
  // The other columns hold no figure that cannot be checked, and no ID number or code; of words,
  // at most one, the label (全县), and no date: a row with a name, a type and a date whose ID
  // number is missing is data, however its amounts add up.
  int words = 0;
  for (size_t i = 0; i < row.cells.size(); ++i) {
    const bool checked = i < columns_.size() && columns_[i].summed;
    const std::string_view cell = TrimSpace(row.cells[i]);
    if (cell.empty()) continue;
    const bool figure = SumFigure(cell).has_value();
    if ((!checked && figure) || HoldsLongCode(cell)) return false;
    if (!figure && (++words > 1 || ParseDate(cell).ok())) return false;
  }
  return true;
}

void ColumnSums::Add(const TableRow& row) {
  if (columns_.size() < row.cells.size()) {
    // A column that begins below the first rows was empty, so 0, in the rows above it.
    columns_.resize(row.cells.size());
  }
  for (size_t i = 0; i < row.cells.size(); ++i) {
    Column& column = columns_[i];
    if (!column.summed || row.cells[i].empty()) continue;
    const std::optional<int64_t> figure = SumFigure(row.cells[i]);
    column.summed = figure.has_value() || TrimSpace(row.cells[i]).empty();
    if (!figure || *figure == 0) continue;
    ++column.nonzero;
    if (__builtin_add_overflow(column.sum, *figure, &column.sum)) column.summed = false;
  }
}

void ColumnSums::Clear() {
  columns_.clear();
}

}  // namespace hearth
