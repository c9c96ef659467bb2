// One file in, one transaction out: the loop every import shares. Opens the file, finds the
// header (in a workbook, on every sheet that has it: OpenTableAtHeader), reads every data row
// (blank rows, 合计 rows, notes and rows hidden in Excel skipped and counted), hands each to a
// row handler, keeps every rejected row, and commits the accepted rows and the rejects
// together. Any file-level fault (unreadable file, missing columns, a database error) refuses
// the whole file: nothing of it is written.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/date.h"
#include "ingest/import_report.h"
#include "ingest/table.h"
#include "store/store.h"

namespace hearth {

//! Why one row was rejected: the column (index into the spec's columns; -1 for the whole row),
//! the raw text, and the failure (its kind and message become the reject's kind and hint).
struct RowProblem {
  int column = -1;
  std::string raw;
  Status status;
  //! Or kUnmatched, kDuplicate (the row added nothing). A kDuplicate with an OK status (a fact
  //! known from an earlier file) is only counted, not listed among the problem rows.
  RowOutcome outcome = RowOutcome::kRejected;
};

//! An accepted row with a remark (outcome kFlagged), e.g. a name that differs from the registry's.
struct FlaggedRow {
  UpsertOutcome outcome;
  RowProblem remark;
};

//! What a handler did with a row: an upsert outcome, a problem row that added nothing, or an
//! accepted row with a remark.
using RowResult = std::variant<UpsertOutcome, RowProblem, FlaggedRow>;

//! Parses and writes one data row. A non-OK StatusOr is a file-level fault (e.g. the database
//! failed) and refuses the file.
using RowHandler =
    std::function<StatusOr<RowResult>(const HeaderMatch&, const TableRow&, ImportTransaction&)>;

//! Receives the decision on each row of a batch, in file order.
using RowSink = std::function<Status(const TableRow&, RowResult)>;

//! Where a file's table was found: the header of each sheet read (a text file: its one header)
//! and, for a workbook, the sheets read and those passed over.
struct TableLayout {
  std::vector<HeaderMatch> headers;   //!< per sheet read, in order; never empty
  std::vector<std::string> sheets;    //!< XLSX: the names of the sheets read, in workbook order
  std::vector<SkippedSheet> skipped;  //!< XLSX: the sheets not read, in workbook order

  //! The header a row of `line` is read under (see kSheetLineStride).
  const HeaderMatch& HeaderOf(int64_t line) const {
    return sheets.size() > 1 ? headers[SheetOfLine(line)] : headers.front();
  }
  //! Where a line is, in the current language: "第 4 行", or "工作表“4月”第 4 行" when several
  //! sheets are read ("line 4", "sheet "4月" line 4").
  std::string Where(int64_t line) const;
};

//! Where a line is when the sheets' names are not at hand (a line stored by an earlier import):
//! "第 4 行", or "第 2 张数据表第 4 行" for a row of a workbook's second sheet read.
std::string WhereInFile(int64_t line);

//! A handler that decides rows a batch at a time (e.g. to look a batch of rows up in the store
//! in one go). Add() takes each row (copy what you keep: the reader reuses it) and may decide
//! the rows so far, passing each to `sink`; Flush() decides every row still held. Every row
//! added reaches `sink` exactly once, in file order. A non-OK status is a file-level fault.
class BatchRowHandler {
 public:
  virtual ~BatchRowHandler() = default;
  //! Called once the file's table is found, before the first row; e.g. to name a row's sheet in
  //! the messages that cite another line (TableLayout::Where). Default: nothing.
  virtual void Start(const TableLayout& layout) { (void)layout; }
  virtual Status Add(const HeaderMatch& header, const TableRow& row, ImportTransaction& tx, const RowSink& sink) = 0;
  virtual Status Flush(ImportTransaction& tx, const RowSink& sink) = 0;
};

struct TableImportSpec {
  std::string kind;                //!< import kind stored with the file ("registry-persons")
  std::vector<ColumnSpec> columns;
  //! Runs after the last row, before commit (e.g. to add findings to the report, or to set the
  //! import's area in `totals`). May be empty.
  std::function<Status(ImportTransaction&, FileReport*, ImportTotals* totals)> before_commit;
  //! Runs once the transaction has begun (writers take turns from there on), before the first
  //! row; setting `*dry_run` makes the import read the file and write nothing (e.g. another
  //! process committed the same file while this one waited for its turn). May be empty.
  std::function<Status(ImportTransaction&, bool* dry_run)> after_begin;
};

struct TableImportOptions {
  Encoding encoding = Encoding::kAuto;
  Date received;              //!< the date the file arrived
  int64_t recorded_at = 0;    //!< when Hearth took it (micros); 0 = now
  ImportProgress progress;    //!< may be empty
  //! Reads and checks every row inside the transaction, then rolls it back: nothing is written
  //! and the report's import_id stays 0 (e.g. a file that was imported before).
  bool dry_run = false;
  //! The file's digest when the caller has computed it already (else it is computed here).
  std::string digest;
  //! XLSX: read only the sheet of this name. Default: every sheet with the header (OpenTableAtHeader).
  std::string sheet;
};

//! A file opened at its data.
struct OpenedTable {
  //! The data rows, after the header, of each sheet read in turn; when several sheets are read
  //! their lines name the sheet (kSheetLineStride). Rows hidden in a sheet that would be data
  //! are not returned but listed in `hidden_rows`.
  std::unique_ptr<TableReader> reader;
  TableLayout layout;
  //! The lines of the data rows withheld because Excel hides them, in file order. Written by
  //! whichever thread reads `reader`: read it once reader->Next has returned false.
  std::shared_ptr<std::vector<int64_t>> hidden_rows;
};

//! Opens a file at its table as an import reads it. A text file: the header found by FindHeader
//! (title rows above it skipped), or else the file read as tab- or semicolon-separated. A
//! workbook with `options.sheet` named: that sheet only. Any other workbook: every visible sheet
//! on which FindHeader finds the header, in workbook order, each under its own header; a sheet
//! whose name says it holds instructions (说明, 须知 …) is passed over, and so is one whose name
//! says it is a sample or template (示例, 样表, 模板 …) unless every visible sheet's name says
//! so. Errors: OpenTable's and FindHeader's (of the one sheet looked at); when several sheets
//! were looked at and none has the header, "missing_columns" naming them.
StatusOr<OpenedTable> OpenTableAtHeader(const std::filesystem::path& path, const TableOptions& options,
                                        const std::vector<ColumnSpec>& columns);

//! Imports one file; see the file comment. The report's refusal is set when the file was refused.
FileReport ImportTable(Store& store, const std::filesystem::path& path, const TableImportSpec& spec,
                       const TableImportOptions& options, const RowHandler& handler);
//! The same with a handler that decides rows in batches.
FileReport ImportTable(Store& store, const std::filesystem::path& path, const TableImportSpec& spec,
                       const TableImportOptions& options, BatchRowHandler& handler);

//! The rule of CountPrecisionDamage, for a reader that sees the ID cells as it goes: Add every
//! row's ID cell, then Damaged() is the number of damaged IDs, or 0.
class PrecisionDamageCounter {
 public:
  void Add(std::string_view id_cell);
  //! The IDs ending in 000 when there are too many for chance (real IDs end so about once in
  //! 11,000): at least 3 and over 1 % of the IDs, or two different ones and half of the IDs (a
  //! short list whose every ID ends so); else 0.
  int64_t Damaged() const {
    return (zeros_ >= 3 && zeros_ * 100 > ids_) || (two_zeros_ && zeros_ * 2 >= ids_) ? zeros_ : 0;
  }

 private:
  int64_t ids_ = 0, zeros_ = 0;
  std::string first_zero_;  // the first ID ending in 000
  bool two_zeros_ = false;  // another one, different, was seen
};

//! The cells of the rows at `lines` (as TableRow::line), read again from the file found at its
//! header as an import finds it. For a row decided only after it was read (the earlier row of
//! two that conflict), so that its reject keeps the whole row. Lines not found are absent.
StatusOr<std::map<int64_t, std::vector<std::string>>> ReadRowsAt(const std::filesystem::path& path, Encoding encoding,
                                                                 const std::vector<ColumnSpec>& columns,
                                                                 const std::set<int64_t>& lines);

//! Counts the file's 18-digit IDs (column `id_column` of `columns`) that end in 000. Real IDs
//! end so about once in 11,000; when more than 1 % of a file's IDs (and at least 3) do, a
//! spreadsheet truncated the column to 15 significant digits, and every such ID is damaged,
//! even the ones whose check digit happens to fit. Returns that count, or 0 when the column
//! looks sound (or cannot be read: the import itself then reports why). Reads the file once.
int64_t CountPrecisionDamage(const std::filesystem::path& path, Encoding encoding,
                             const std::vector<ColumnSpec>& columns, size_t id_column);

//! A problem for column `column` of `row` with the cell's raw text.
RowProblem ProblemAt(const HeaderMatch& header, const TableRow& row, int column, Status status);

}  // namespace hearth
