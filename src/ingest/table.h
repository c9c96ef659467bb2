// Tabular files as departments and offices make them: CSV (RFC 4180; UTF-8, UTF-8 with BOM,
// GBK/GB18030) and XLSX. Every import reads through this one interface.
//
// Readers stream: memory does not grow with the number of rows (XLSX shared strings aside).
//
//   HEARTH_ASSIGN_OR_RETURN(auto reader, OpenTable(path, {}));
//   HEARTH_ASSIGN_OR_RETURN(HeaderMatch header, FindHeader(*reader, kColumns));
//   TableRow row;
//   while (true) {
//     HEARTH_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
//     if (!more) break;
//     if (IsBlankRow(row) || IsTotalRow(row)) continue;
//     std::string_view id = header.Cell(row, kIdColumn);
//   }
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "core/text.h"
#include "ingest/header_unit.h"

namespace hearth {

//! One row of a table. Cells are UTF-8 and untrimmed, as the file holds them; XLSX numbers are
//! their stored text ("45356", "6.53221E+17"), XLSX cells styled as dates are ISO dates
//! ("2024-03-05"), booleans "TRUE"/"FALSE".
struct TableRow {
  int64_t line = 0;                //!< 1-based: CSV physical line where the row starts; XLSX row number
  std::vector<std::string> cells;  //!< reused between rows by readers: copy what you keep
  //! XLSX: per cell, the line of the row above whose merged cell spans this empty one and holds
  //! a number (an amount merged over a household's member rows, counted once, in that row);
  //! 0, or beyond the vector's end: none. Empty for CSV.
  std::vector<int64_t> merged_from;
  //! CSV: the cell whose opening quote is never closed on the row's line (a stray quote, as in
  //! `"张三,6532…`), or -1. Such a row ends at its line, the quote kept as text, and the lines
  //! after it are read as rows of their own; an import rejects it ("unbalanced_quote").
  int open_quote_cell = -1;
  //! XLSX: the workbook counts serial dates from 1904 (workbookPr date1904): a date cell without
  //! a date style holds a number of that system (ParseDate with SerialDates::k1904). Cells
  //! styled as dates are ISO dates already.
  bool date1904 = false;

  //! The line whose merged number spans cell `i`, or 0.
  int64_t MergedFrom(size_t i) const { return i < merged_from.size() ? merged_from[i] : 0; }
};

class TableReader {
 public:
  virtual ~TableReader() = default;
  //! Reads the next row into *row (reusing its storage). Returns false at the end of the
  //! table. Errors: kind "encoding_invalid", "xlsx_corrupt", "io_read", each naming the file
  //! and the line. (A CSV cell whose quote never closes is no error: see open_quote_cell.)
  virtual StatusOr<bool> Next(TableRow* row) = 0;
  //! Bytes of the underlying file consumed so far and in all (for progress bars).
  virtual uint64_t BytesRead() const = 0;
  virtual uint64_t TotalBytes() const = 0;
  //! The text encoding actually used (after detection); kUtf8 for XLSX.
  virtual Encoding encoding() const = 0;
  //! "csv" or "xlsx".
  virtual std::string_view format() const = 0;
  //! The file (path as given) for messages; Default: empty.
  virtual std::string_view name() const { return {}; }
};

struct TableOptions {
  Encoding encoding = Encoding::kAuto;  //!< CSV only; Default: detect (BOM, valid UTF-8, else GBK)
  std::string sheet;                    //!< XLSX only; Default: the first visible worksheet
  char delimiter = ',';                 //!< CSV only; Default: ','; OpenTable reads .tsv with '\t'.
};

//! Opens a CSV (.csv, .txt, .tsv) or XLSX (.xlsx, .xlsm) file, by extension (case-insensitive)
//! and then by what it holds: a .xls, .csv or .txt that is really a zip is read as .xlsx, an
//! .xlsx or .xlsm that is no zip but text is read as CSV.
//! Errors: "io_open" (missing/unreadable, with the path), "format_xls" (legacy .xls, or an HTML
//! table: save as .xlsx), "format_unknown", "format_not_table" (under a workbook's name, neither
//! a zip nor text), "xlsx_corrupt" (a damaged zip / no worksheet), "xlsx_sheet_missing" (names
//! the sheets found).
StatusOr<std::unique_ptr<TableReader>> OpenTable(const std::filesystem::path& path,
                                                 const TableOptions& options);

//! A column that an import expects: its Chinese header name and accepted aliases.
struct ColumnSpec {
  std::string name;                  //!< canonical Chinese header, e.g. "证件号码"
  std::vector<std::string> aliases;  //!< e.g. {"身份证号", "身份证号码", "公民身份号码"}
  bool required = true;
  //! The cells are amounts of money: the column's unit (its header's, else the table's stated
  //! one) must be renminbi as Hearth reads it, or the file is refused (FindHeader).
  bool money = false;
};

//! Normalises a header cell for matching (ReadHeader's key, header_unit.h): width folded,
//! spaces/newlines removed, a leading or trailing '*' (required-field marks) removed, its
//! brackets read — a unit, note or other bracket at the end removed ("金额（元）（必填）" ->
//! "金额"), a role made a prefix ("身份证号（监护人）" -> "监护人身份证号").
std::string NormalizeHeader(std::string_view cell);

//! Where each expected column is in the file.
struct HeaderMatch {
  int64_t line = 0;                       //!< line of the header row
  std::vector<int> index;                 //!< per ColumnSpec: cell index, or -1 when absent
  std::vector<std::string> found;         //!< the header cells as found (trimmed)
  //! Per ColumnSpec: the unit its header cell names in brackets (金额（万元）), or none.
  std::vector<std::optional<Unit>> units;
  //! The unit a title row above the header states for the whole table (单位：万元), or none;
  //! a later table on the sheet keeps the one of the table above.
  std::optional<Unit> stated_unit;
  int64_t stated_unit_line = 0;           //!< the line that states it

  bool Has(size_t spec) const { return index[spec] >= 0; }
  //! The cell of column `spec` in `row`, trimmed; "" when the column is absent or short.
  std::string_view Cell(const TableRow& row, size_t spec) const;
  //! What a plain number in the amount column `spec` counts: its own unit when its header names
  //! renminbi, else the stated unit when that is renminbi, else yuan. (FindHeader has refused a
  //! money column whose unit is any other money or a measure.)
  MoneyUnit MoneyUnitOf(size_t spec) const;
};

//! What FindHeader saw of a table without a complete header row, for a caller that decides
//! from it (a workbook's sheet that is the same table with a column missing refuses the file).
struct HeaderMiss {
  int64_t line = 0;                   //!< the row naming the most columns; 0: no row names one
  int named = 0;                      //!< the columns that row names, required or not
  int required = 0;                   //!< the required columns
  int required_named = 0;             //!< the required columns that row names
  std::vector<std::string> missing;   //!< the required columns it lacks
  std::vector<std::string> headers;   //!< its non-empty cells, trimmed
};

//! Reads rows until one holds every required column (title rows such as
//! "2025年3月医保高额自付名单" above it are skipped; at most `max_scan` rows are looked at).
//! Headers match a column's name or alias exactly (width, spaces and '*' aside), or once their
//! brackets are read (NormalizeHeader); when two cells stand for one column, an exact one wins
//! over one matched by reading brackets, then a name over its aliases in their order. A title
//! row's stated unit (单位：千元, StatedUnitOf) is kept in `stated_unit`.
//! Errors, each a file-level fault: "missing_columns" (no such row: naming the missing
//! required columns and the headers found in the best candidate row, or, when no row names any
//! column, the first non-empty rows read, each cut short, so that the sender sees what the file
//! holds instead; `*miss`, when given, is set then), "duplicate_column" (two cells equally close
//! to one column), "money_unit_unsupported" (a money column whose unit, its own or the stated
//! one, is not renminbi Hearth reads: 美元, 分, 斤 …; naming column and unit).
StatusOr<HeaderMatch> FindHeader(TableReader& reader, const std::vector<ColumnSpec>& columns,
                                 int max_scan = 30, HeaderMiss* miss = nullptr);

//! True when every cell is empty or whitespace, or only the first holds a row number (1 to 5
//! digits: a template's pre-numbered row left empty). A lone 0x1A (DOS's end-of-file mark) is
//! empty too.
bool IsBlankRow(const TableRow& row);
//! True for a total row: its first non-empty cell starts with 合计, 总计, 小计, 共计, 累计, 本页
//! (小计), 以上合计, 共<number> (共3户3人) or "Total"/"合 计"; or, without a label, its first cell
//! is empty and every other non-empty cell is a figure (digits, separators, ¥ or 元; at most 11
//! digits, so not an ID number or a code). A total with neither label nor empty first cell is
//! told by its sums: ColumnSums.
bool IsTotalRow(const TableRow& row);

//! Running sums of a table's columns of figures, to tell a totals row that has no 合计 label
//! (a row under the list holding only the column sums, perhaps beside a word such as 全县).
//! Cheap enough for every row of a million-row file: a column stops being summed at its first
//! cell that is not a figure (a name, an ID number, a date), and a row is compared with the
//! sums only until its first figure that differs.
//!
//!   ColumnSums sums;
//!   for (each data row) { if (sums.IsTotal(row)) skip; else sums.Add(row); }
class ColumnSums {
 public:
  //! True when `row` holds the sums of the rows added: every figure of the row stands in a
  //! summed column and equals its sum, and one of them sums two or more figures that are not 0
  //! (not a copy of the one row above that has any); no cell holds an ID number or another long
  //! code (12 or more digits). Words beside the figures (全县) do not matter.
  bool IsTotal(const TableRow& row) const;
  //! Adds a data row: its figures to their columns' sums (an empty cell, "-" or "¥ -" counts
  //! 0). A cell that is not a figure, or a sum beyond 64 bits, ends its column's summing.
  void Add(const TableRow& row);
  //! Forgets every row added (another table begins).
  void Clear();

 private:
  struct Column {
    int64_t sum = 0;      // in units of 1/10,000
    int64_t nonzero = 0;  // figures added that are not 0
    bool summed = true;
  };
  std::vector<Column> columns_;
};

//! A note under (or inside) the table, not data: its first non-empty cell starts with a
//! signature or remark such as 制表人、填报单位、审核、联系电话、注：、注意、备注：、说明：、填表说明、
//! 数据截至; or it is the row's only cell and a date in a form ParseDate reads (2025年3月31日,
//! 2025-04-01, 2025/4/1, 20250401; not a bare serial such as 45383) or an office's name (…局,
//! …委员会, …办公室, …中心, …政府, …（盖章）).
bool IsNoteRow(const TableRow& row);
//! The title of a section of the table, the row's only cell: "二、特困供养人员", "（二）…", "2、…",
//! "第二部分：公益性岗位", "第三节 …" (第 and a number, then 部分, 节, 章 or 篇, alone or followed by
//! text).
bool IsSectionTitle(const TableRow& row);

//! A column's name or alias as header cells are matched against it: compared exactly
//! (FoldHeader), and once brackets are read (NormalizeHeader).
struct HeaderName {
  std::string exact;
  std::string read;
};

//! What a header row met among a table's rows is to the header in force.
enum class HeaderRowKind {
  kAgain,  //!< the header repeated (on each printed page): each column it names stands where it did
  kNew,    //!< the header of another table: it places a column elsewhere, or names one more
};

//! Finds the header rows among a table's rows: the header repeated on each printed page, and the
//! header of a second table on the sheet ("一、住院" … "二、门诊慢特病"), whose columns may stand
//! elsewhere, so that the rows under it are read by its own columns.
//!
//!   HeaderRowFinder finder(kColumns);
//!   finder.Learn(header);
//!   if (finder.MayBeHeader(header, row)) {
//!     HEARTH_ASSIGN_OR_RETURN(HeaderRowKind kind, finder.Read(header, row, file, where, &next));
//!     if (kind == HeaderRowKind::kNew) { finder.Learn(next); header = next; }
//!   }
class HeaderRowFinder {
 public:
  explicit HeaderRowFinder(const std::vector<ColumnSpec>& columns);
  //! Takes the cells of `header` that name a column, as written ("个人自付（元）"), as header text
  //! too. Call for every header that rows are read under.
  void Learn(const HeaderMatch& header);
  //! True when `row` may be a header row under `header`: at least two of its cells, and at least
  //! half as many as `header` has columns, are a column's name exactly as written (trimmed; a name
  //! or alias of a column, or a learned header cell). For every data row: no allocation.
  bool MayBeHeader(const HeaderMatch& header, const TableRow& row) const;
  //! Reads `row` as a header under `header`: kAgain when each column it names stands where
  //! `header` has it; else kNew, and *next holds its columns (its line is row.line). A file whose
  //! later table cannot be read by its header is refused: "missing_columns" (required columns
  //! missing from a row that places columns elsewhere), "duplicate_column" (two cells of it stand
  //! for one column), "money_unit_unsupported" (as FindHeader's; the stated unit is `header`'s);
  //! each names `file` and `where` (the row's place as the caller tells it).
  StatusOr<HeaderRowKind> Read(const HeaderMatch& header, const TableRow& row, std::string_view file,
                               std::string_view where, HeaderMatch* next) const;

 private:
  static constexpr size_t kMaxTextBytes = 64;  // longer cells are never taken as header text
  std::vector<ColumnSpec> columns_;
  std::vector<std::vector<HeaderName>> keys_;            // per column: its names, then its aliases
  std::vector<std::vector<std::string>> text_by_size_;   // header texts as written, by byte length
  void AddText(std::string_view text);
};
//! The index of the first cell of `row` beyond the header's named columns (HeaderWidth) that
//! holds something, when the row split into more cells than the table has, or -1. In a CSV
//! file rows are judged against the usual number of cells of the table's data rows
//! (`usual_cells`, see UsualWidth), not only the header's: exports often end every row with
//! empty cells. A row of more cells than usual with something beyond the named columns split
//! at an unquoted comma (in a name, an address, an amount); so did a row with a figure there
//! (an amount split as 12,345.60). Text beyond the named columns in a row of the usual width is
//! a remark (an Excel export pads the header above a column of remarks without a name,
//! 此人已死亡) and ignored; so are empty cells, however many.
int CellBeyond(const TableRow& row, const HeaderMatch& header, size_t usual_cells);
//! The number of cells up to the header's last non-empty one.
size_t HeaderWidth(const HeaderMatch& header);
//! The number of cells of `row` up to its last non-empty one.
size_t FilledWidth(const TableRow& row);

//! The usual number of cells of a table's data rows: the most frequent so far, the header's
//! count until data rows outnumber it. O(1) a row.
class UsualWidth {
 public:
  explicit UsualWidth(size_t header_cells) : usual_(header_cells) { Add(header_cells); }
  void Add(size_t cells);
  size_t cells() const { return usual_; }

 private:
  static constexpr size_t kMaxCounted = 1024;  // wider rows are not counted
  std::vector<int64_t> counts_ = std::vector<int64_t>(kMaxCounted + 1, 0);
  size_t usual_ = 0;
};

}  // namespace hearth
