#include "ingest/table_import.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <fstream>

#include "core/id_number.h"
#include "core/messages.h"
#include "core/text.h"
#include "ingest/read_ahead.h"
#include "ingest/row_cells.h"
#include "ingest/xlsx_reader.h"

namespace hearth {
namespace {

constexpr size_t kMaxRawBytes = 256;
constexpr size_t kMaxHintBytes = 1024;
constexpr size_t kMaxKeptCells = 64;  // of a problem row, each cut to kMaxRawBytes

// Throttles progress callbacks to a few per second.
class ProgressTicker {
 public:
  ProgressTicker(const ImportProgress& progress, std::string_view file) : progress_(progress), file_(file) {}
  void Tick(const TableReader& reader, bool force = false) {
    if (!progress_) return;
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    progress_(reader.BytesRead(), reader.TotalBytes(), file_);
  }

 private:
  const ImportProgress& progress_;
  std::string_view file_;
  std::chrono::steady_clock::time_point last_{};
};

void CountOutcome(UpsertOutcome outcome, FileReport* report) {
  ++report->accepted;
  switch (outcome) {
    case UpsertOutcome::kInserted: ++report->inserted; break;
    case UpsertOutcome::kUpdated: ++report->updated; break;
    case UpsertOutcome::kUnchanged: ++report->unchanged; break;
    case UpsertOutcome::kRemoved:
      ++report->updated;
      ++report->removed;
      break;
  }
}

// A problem's column as the file heads it (别名 included: "身份证号", "鉴定结论"), so that the
// department finds the cell it must correct; the definition's name when the file has no such
// column (a problem about a column missing).
std::string ColumnName(const TableImportSpec& spec, const HeaderMatch& header, int column) {
  if (column < 0) return "";
  const auto c = static_cast<size_t>(column);
  if (header.Has(c) && static_cast<size_t>(header.index[c]) < header.found.size()) {
    const std::string& found = header.found[static_cast<size_t>(header.index[c])];
    if (!found.empty()) return found;
  }
  return spec.columns[c].name;
}

RejectRecord ToReject(const std::string& file, const TableImportSpec& spec, const HeaderMatch& header,
                      const TableRow& row, const RowProblem& p) {
  std::string column = ColumnName(spec, header, p.column);
  // A runaway cell (megabytes pasted into one field) must not flood the report.
  RejectRecord r{file, row.line, column, TruncateUtf8(p.raw, kMaxRawBytes), p.status.kind(),
                 TruncateUtf8(p.status.message(), kMaxHintBytes), p.outcome, {}};
  size_t kept = std::min(row.cells.size(), kMaxKeptCells);
  r.cells.reserve(kept);
  for (size_t i = 0; i < kept; ++i) r.cells.push_back(TruncateUtf8(row.cells[i], kMaxRawBytes));
  return r;
}

// A RowHandler as a batch of one.
class RowByRow : public BatchRowHandler {
 public:
  explicit RowByRow(const RowHandler& handler) : handler_(handler) {}
  Status Add(const HeaderMatch& header, const TableRow& row, ImportTransaction& tx, const RowSink& sink) override {
    HEARTH_ASSIGN_OR_RETURN(RowResult result, handler_(header, row, tx));
    return sink(row, std::move(result));
  }
  Status Flush(ImportTransaction&, const RowSink&) override { return Status::Ok(); }

 private:
  const RowHandler& handler_;
};

// Counts a decided row and keeps it when it is a problem row.
Status Record(const TableImportSpec& spec, const HeaderMatch& header, const TableRow& row, RowResult result,
              ImportTransaction& tx, FileReport* report) {
  if (auto* outcome = std::get_if<UpsertOutcome>(&result)) {
    CountOutcome(*outcome, report);
    return Status::Ok();
  }
  RowProblem* problem = std::get_if<RowProblem>(&result);
  if (problem != nullptr && problem->outcome == RowOutcome::kDuplicate && problem->status.ok()) {
    ++report->duplicate;  // a fact already known from an earlier file: counted, not listed
    return Status::Ok();
  }
  if (auto* flagged = std::get_if<FlaggedRow>(&result)) {
    CountOutcome(flagged->outcome, report);
    flagged->remark.outcome = RowOutcome::kFlagged;
    problem = &flagged->remark;
  }
  RejectRecord reject = ToReject(report->file, spec, header, row, *problem);
  reject.sheet = std::string(report->SheetOf(row.line));
  HEARTH_RETURN_IF_ERROR(tx.AddReject(reject));
  report->Reject(std::move(reject));
  return Status::Ok();
}

// What a row read after the header is.
enum class RowKind { kBlank, kTotal, kNote, kHeader, kData };

RowKind ClassifyRow(const HeaderRowFinder& headers, const HeaderMatch& header, const TableRow& row) {
  if (IsBlankRow(row)) return RowKind::kBlank;
  if (IsTotalRow(row)) return RowKind::kTotal;
  if (IsNoteRow(row) || IsSectionTitle(row)) return RowKind::kNote;
  if (headers.MayBeHeader(header, row)) return RowKind::kHeader;
  return RowKind::kData;
}

// The header each row of an opened table is read under: its sheet's, until a header row that
// places the columns elsewhere begins another table on the sheet, whose header then holds until
// the next. The headers stay where they are while it lives (a batch handler holds pointers).
class HeaderInForce {
 public:
  HeaderInForce(const TableLayout& layout, const std::vector<ColumnSpec>& columns, std::string_view file)
      : layout_(layout), finder_(columns), file_(file) {
    for (const HeaderMatch& header : layout.headers) finder_.Learn(header);
  }

  const HeaderMatch& current() const { return *current_; }
  const HeaderRowFinder& finder() const { return finder_; }
  //! True when `row` is the first of a sheet other than the current one (or the very first).
  bool NewSheet(const TableRow& row) const { return current_ == nullptr || &layout_.HeaderOf(row.line) != sheet_; }
  //! True once a row has been read under some header.
  bool started() const { return current_ != nullptr; }
  //! Reads `row` under its sheet's header.
  void EnterSheetOf(const TableRow& row) { current_ = sheet_ = &layout_.HeaderOf(row.line); }

  //! Reads a header row (ClassifyRow's kHeader) under the current header: the header of the
  //! table it begins, or nullopt when it repeats the current one. Errors: HeaderRowFinder::Read's.
  StatusOr<std::optional<HeaderMatch>> ReadHeaderRow(const TableRow& row) const {
    HeaderMatch next;
    HEARTH_ASSIGN_OR_RETURN(HeaderRowKind kind, finder_.Read(*current_, row, file_, layout_.Where(row.line), &next));
    if (kind == HeaderRowKind::kAgain) return std::optional<HeaderMatch>();
    return std::optional<HeaderMatch>(std::move(next));
  }
  //! Reads the rows from here on under `header` (ReadHeaderRow's).
  void BeginTable(HeaderMatch header) {
    finder_.Learn(header);
    current_ = &tables_.emplace_back(std::move(header));
  }

 private:
  const TableLayout& layout_;
  HeaderRowFinder finder_;
  std::string file_;
  std::deque<HeaderMatch> tables_;  // the headers of the tables begun by a header row, in file order
  const HeaderMatch* sheet_ = nullptr;
  const HeaderMatch* current_ = nullptr;
};

// What the data rows of the table being read were like so far: their usual number of cells (to
// tell a row split at an unquoted comma) and their columns' sums (to tell a totals row without
// a label).
struct RowsSoFar {
  explicit RowsSoFar(const HeaderMatch& header) : widths(header.found.size()) {}
  UsualWidth widths;
  ColumnSums sums;
};

// A CSV row with a cell opened by a quote that never closed: refused whole, or nullopt.
std::optional<RowProblem> UnbalancedQuote(const HeaderMatch& header, const TableRow& row) {
  constexpr size_t kQuotedBytes = 60;
  if (row.open_quote_cell < 0) return std::nullopt;
  const auto at = static_cast<size_t>(row.open_quote_cell);
  const std::string& cell = at < row.cells.size() ? row.cells[at] : std::string();
  const auto spec = std::find(header.index.begin(), header.index.end(), row.open_quote_cell);
  const int column = spec == header.index.end() ? -1 : static_cast<int>(spec - header.index.begin());
  return RowProblem{column, cell,
                    Error(StatusCode::kInvalidArgument, Msg::kRowUnbalancedQuote, row.line,
                          ColumnLetters(row.open_quote_cell), TruncateUtf8(cell, kQuotedBytes))};
}

// A row of more cells than the table's rows have, in CSV: refused whole, or nullopt.
std::optional<RowProblem> ExtraCells(const HeaderMatch& header, const TableRow& row, size_t usual_cells) {
  const int extra = CellBeyond(row, header, usual_cells);
  if (extra < 0) return std::nullopt;
  const std::string& cell = row.cells[static_cast<size_t>(extra)];
  return RowProblem{-1, cell,
                    Error(StatusCode::kInvalidArgument, Msg::kRowExtraCells, FilledWidth(row), HeaderWidth(header),
                          extra + 1, cell)};
}

// A CSV row that cannot be read cell by cell (a stray quote, an unquoted comma), or nullopt.
// A row that can is counted towards the usual width.
std::optional<RowProblem> BrokenCsvRow(const HeaderMatch& header, const TableRow& row, UsualWidth* widths) {
  if (std::optional<RowProblem> quote = UnbalancedQuote(header, row)) return quote;
  if (std::optional<RowProblem> extra = ExtraCells(header, row, widths->cells())) return extra;
  widths->Add(row.cells.size());
  return std::nullopt;
}

// Reads every data row of an opened file into `tx`. Returns a file-level fault, if any.
Status ReadRows(TableReader& reader, const TableLayout& layout, const TableImportSpec& spec, BatchRowHandler& handler,
                ImportTransaction& tx, ProgressTicker& ticker, FileReport* report) {
  HeaderInForce headers(layout, spec.columns, report->file);
  // Every row reaches the sink under the header it was read by: the rows a handler holds are
  // decided before another sheet or table begins.
  const RowSink sink = [&](const TableRow& row, RowResult result) {
    return Record(spec, headers.current(), row, std::move(result), tx, report);
  };
  // In CSV a row of more cells than the table's split at an unquoted comma, and a stray quote
  // ends its row at its line: every value after it sits under the wrong column, and taking the
  // row would store wrong amounts without a word. (A spreadsheet's cells cannot shift so; a
  // value in an unnamed XLSX column is left alone.)
  const bool csv = reader.format() == "csv";
  std::optional<RowsSoFar> so_far;  // of the table being read
  TableRow row;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(bool more, reader.Next(&row));
    if (!more) break;
    ticker.Tick(reader);
    if (headers.NewSheet(row)) {
      if (headers.started()) HEARTH_RETURN_IF_ERROR(handler.Flush(tx, sink));
      headers.EnterSheetOf(row);
      so_far.emplace(headers.current());
    }
    switch (ClassifyRow(headers.finder(), headers.current(), row)) {
      case RowKind::kBlank: continue;
      case RowKind::kTotal: ++report->total_rows_skipped; continue;
      case RowKind::kNote: ++report->note_rows_skipped; continue;
      case RowKind::kHeader: {
        HEARTH_ASSIGN_OR_RETURN(std::optional<HeaderMatch> next, headers.ReadHeaderRow(row));
        ++report->header_rows_skipped;
        if (next) {
          HEARTH_RETURN_IF_ERROR(handler.Flush(tx, sink));  // the rows held were read by the header above
          headers.BeginTable(std::move(*next));
          so_far.emplace(headers.current());
          report->table_header_rows.push_back(row.line);
        }
        continue;
      }
      case RowKind::kData: break;
    }
    if (std::optional<RowProblem> broken = csv ? BrokenCsvRow(headers.current(), row, &so_far->widths) : std::nullopt) {
      ++report->read;
      HEARTH_RETURN_IF_ERROR(sink(row, std::move(*broken)));
      continue;
    }
    // A totals row without a label: it holds the sums of the rows above.
    if (so_far->sums.IsTotal(row)) {
      ++report->total_rows_skipped;
      continue;
    }
    so_far->sums.Add(row);
    ++report->read;
    HEARTH_RETURN_IF_ERROR(handler.Add(headers.current(), row, tx, sink));
  }
  HEARTH_RETURN_IF_ERROR(handler.Flush(tx, sink));
  ticker.Tick(reader, /*force=*/true);
  return Status::Ok();
}

// ---- Finding the table: a text file's delimiter, a workbook's sheets ----

// A fault found on one sheet of several, its message prefixed with the sheet's name.
Status OnSheet(const Status& status, std::string_view sheet) {
  return Status(status.code(), std::string(status.kind()), Tr(Msg::kIngestOnSheet, sheet, status.message()));
}

// The data rows of a workbook's data sheets, one sheet after another, each from after its
// header row. A row of the sheet read i-th has the line LineOfSheetRow(i, row). A row that Excel
// hides and that would be data is withheld and its line added to `hidden`. Runs on whichever
// thread reads it (ReadAhead's); TotalBytes() may be asked from another.
class SheetsReader final : public TableReader {
 public:
  SheetsReader(std::unique_ptr<XlsxWorkbook> book, std::vector<size_t> sheets, std::vector<HeaderMatch> headers,
               const std::vector<ColumnSpec>& columns, std::unique_ptr<XlsxSheetReader> first,
               std::shared_ptr<std::vector<int64_t>> hidden)
      : book_(std::move(book)),
        sheets_(std::move(sheets)),
        headers_(std::move(headers)),
        finder_(columns),
        current_(std::move(first)),
        hidden_(std::move(hidden)),
        total_bytes_(current_->TotalBytes()),
        name_(current_->name()) {
    for (size_t index : sheets_) xml_bytes_ += book_->sheets()[index].xml_bytes;
    for (const HeaderMatch& header : headers_) finder_.Learn(header);
  }

  StatusOr<bool> Next(TableRow* row) override {
    while (true) {
      if (!current_) {
        if (at_ + 1 >= sheets_.size()) return false;
        ++at_;
        HEARTH_ASSIGN_OR_RETURN(current_, book_->OpenSheet(sheets_[at_]));
      }
      StatusOr<bool> more = current_->Next(row);
      if (!more.ok()) return sheets_.size() > 1 ? OnSheet(more.status(), CurrentSheet().name) : more.status();
      if (!*more) {
        done_bytes_ += CurrentSheet().xml_bytes;
        current_.reset();
        continue;
      }
      if (row->line <= headers_[at_].line) continue;  // a reopened sheet's title rows and header
      const bool hidden = current_->RowHidden();
      row->line = LineOfSheetRow(at_, row->line);
      for (int64_t& from : row->merged_from) from = from > 0 ? LineOfSheetRow(at_, from) : 0;
      // A hidden header row is passed on: the import decides which table it begins.
      if (hidden && ClassifyRow(finder_, headers_[at_], *row) == RowKind::kData) {
        hidden_->push_back(row->line);
        continue;
      }
      return true;
    }
  }

  uint64_t BytesRead() const override {
    if (!current_) return at_ + 1 >= sheets_.size() ? total_bytes_ : Scaled(done_bytes_);
    const double fraction = total_bytes_ == 0 ? 0 : static_cast<double>(current_->BytesRead()) / total_bytes_;
    return Scaled(done_bytes_ + static_cast<uint64_t>(fraction * static_cast<double>(CurrentSheet().xml_bytes)));
  }
  uint64_t TotalBytes() const override { return total_bytes_; }
  Encoding encoding() const override { return Encoding::kUtf8; }
  std::string_view format() const override { return "xlsx"; }
  std::string_view name() const override { return name_; }

 private:
  const XlsxWorkbook::Sheet& CurrentSheet() const { return book_->sheets()[sheets_[at_]]; }

  // Bytes of the file for bytes of the sheets' XML read.
  uint64_t Scaled(uint64_t xml) const {
    if (xml_bytes_ == 0) return 0;
    return static_cast<uint64_t>(static_cast<double>(total_bytes_) * static_cast<double>(xml) / xml_bytes_);
  }

  std::unique_ptr<XlsxWorkbook> book_;
  std::vector<size_t> sheets_;         // the workbook's indexes of the sheets read
  std::vector<HeaderMatch> headers_;   // per sheet read
  HeaderRowFinder finder_;             // to tell a hidden header row from a hidden data row
  std::unique_ptr<XlsxSheetReader> current_;
  size_t at_ = 0;                      // the sheet read (index into sheets_)
  std::shared_ptr<std::vector<int64_t>> hidden_;
  const uint64_t total_bytes_;
  const std::string name_;
  uint64_t xml_bytes_ = 0, done_bytes_ = 0;
};

// What a sheet's name says it holds.
enum class SheetRole { kData, kInstructions, kSample };

SheetRole RoleOfSheetName(std::string_view name) {
  const std::string folded = LowerAscii(RemoveSpaces(FoldWidth(name)));
  for (std::string_view mark : {"说明", "须知", "填报要求", "填表要求", "注意事项", "指标解释", "readme", "instruction"}) {
    if (folded.find(mark) != std::string::npos) return SheetRole::kInstructions;
  }
  for (std::string_view mark : {"示例", "样例", "样表", "模板", "范例", "例表", "example", "sample", "template"}) {
    if (folded.find(mark) != std::string::npos) return SheetRole::kSample;
  }
  return SheetRole::kData;
}

// The sheets of a workbook an import looks at for its header, and those it passes over.
struct SheetChoice {
  std::vector<size_t> candidates;
  std::vector<SkippedSheet> skipped;
};

SheetChoice ChooseSheets(const XlsxWorkbook& book) {
  const std::vector<XlsxWorkbook::Sheet>& sheets = book.sheets();
  const bool any_visible = !sheets[book.FirstVisibleSheet()].hidden;
  bool all_aside = true;  // every visible sheet's name says instructions or sample
  for (const XlsxWorkbook::Sheet& sheet : sheets) {
    if (!sheet.hidden || !any_visible) all_aside = all_aside && RoleOfSheetName(sheet.name) != SheetRole::kData;
  }
  SheetChoice choice;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const SheetRole role = RoleOfSheetName(sheets[i].name);
    if (sheets[i].hidden && any_visible) {
      choice.skipped.push_back({sheets[i].name, SkippedSheet::Reason::kHidden});
    } else if (role == SheetRole::kInstructions || (role == SheetRole::kSample && !all_aside)) {
      choice.skipped.push_back({sheets[i].name, SkippedSheet::Reason::kByName});
    } else {
      choice.candidates.push_back(i);
    }
  }
  return choice;
}

// The sheets found to hold the header.
struct DataSheets {
  std::vector<size_t> indexes;
  std::vector<HeaderMatch> headers;
  std::unique_ptr<XlsxSheetReader> first;  // the first one's reader, after its header
};

// True when a sheet without the header holds the same table with a column or two missing: its
// closest row names at least two columns and at least half of the required ones. (An
// instruction, a chart's data or a pivot table names fewer.)
bool SameTableLacking(const HeaderMiss& miss) {
  return miss.line > 0 && miss.named >= 2 && 2 * miss.required_named >= miss.required;
}

// Looks for the header on sheet `index`: adds it to `found` when it is there, sets *missing
// (FindHeader's "missing_columns") when it is not. Other errors refuse the file, naming the
// sheet when there are `several` to look at; so does, among several, a sheet that holds the
// same table with required columns missing (its rows would be left out unseen).
Status LookAtSheet(const XlsxWorkbook& book, size_t index, bool several, const std::vector<ColumnSpec>& columns,
                   DataSheets* found, Status* missing) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<XlsxSheetReader> reader, book.OpenSheet(index));
  HeaderMiss miss;
  StatusOr<HeaderMatch> header = FindHeader(*reader, columns, /*max_scan=*/30, &miss);
  if (!header.ok()) {
    if (header.status().kind() != "missing_columns") {
      return several ? OnSheet(header.status(), book.sheets()[index].name) : header.status();
    }
    if (several && SameTableLacking(miss)) {
      return Error(StatusCode::kInvalidArgument, Msg::kIngestSheetLacksColumns, reader->name(),
                   book.sheets()[index].name, miss.line, miss.required_named, JoinList(miss.missing),
                   JoinList(miss.headers));
    }
    *missing = header.status();
    return Status::Ok();
  }
  found->indexes.push_back(index);
  found->headers.push_back(std::move(*header));
  if (!found->first) found->first = std::move(reader);
  return Status::Ok();
}

// Why no sheet of a workbook was read. One sheet looked at, none passed over by name: its own
// FindHeader error, as for a one-sheet workbook.
Status NoDataSheet(const XlsxWorkbook& book, const std::string& file, const SheetChoice& choice,
                   const std::vector<Status>& missing) {
  std::vector<std::string> looked, by_name;
  for (size_t i : choice.candidates) looked.push_back(Tr(Msg::kIngestSheetName, book.sheets()[i].name));
  for (const SkippedSheet& s : choice.skipped) {
    if (s.reason == SkippedSheet::Reason::kByName) by_name.push_back(Tr(Msg::kIngestSheetName, s.name));
  }
  if (looked.size() == 1 && by_name.empty()) return missing.front();
  if (looked.empty()) return Error(StatusCode::kInvalidArgument, Msg::kIngestOnlyInstructionSheets, file, JoinList(by_name));
  return Error(StatusCode::kInvalidArgument, Msg::kIngestNoSheetWithHeader, file, JoinList(looked),
               by_name.empty() ? Tr(Msg::kIngestNoneWord) : JoinList(by_name), looked.front(), missing.front().message());
}

StatusOr<OpenedTable> OpenWorkbookAtHeader(const std::filesystem::path& path, const TableOptions& options,
                                           const std::vector<ColumnSpec>& columns) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<XlsxWorkbook> book, XlsxWorkbook::Open(path));
  SheetChoice choice;
  if (options.sheet.empty()) {
    choice = ChooseSheets(*book);
  } else {
    HEARTH_ASSIGN_OR_RETURN(size_t named, book->FindSheet(options.sheet));
    choice.candidates.push_back(named);
  }
  DataSheets found;
  std::vector<Status> missing;
  for (size_t index : choice.candidates) {
    Status why;
    HEARTH_RETURN_IF_ERROR(LookAtSheet(*book, index, choice.candidates.size() > 1, columns, &found, &why));
    if (why.ok()) continue;
    missing.push_back(std::move(why));
    choice.skipped.push_back({book->sheets()[index].name, SkippedSheet::Reason::kNoHeader});
  }
  if (found.indexes.empty()) return NoDataSheet(*book, path.string(), choice, missing);
  OpenedTable table;
  table.hidden_rows = std::make_shared<std::vector<int64_t>>();
  for (size_t index : found.indexes) table.layout.sheets.push_back(book->sheets()[index].name);
  for (const XlsxWorkbook::Sheet& sheet : book->sheets()) {  // in workbook order
    for (const SkippedSheet& s : choice.skipped) {
      if (s.name == sheet.name) table.layout.skipped.push_back(s);
    }
  }
  table.layout.headers = found.headers;
  table.reader = std::make_unique<SheetsReader>(std::move(book), std::move(found.indexes), std::move(found.headers),
                                                columns, std::move(found.first), table.hidden_rows);
  return table;
}

// The delimiter a text file's first 4 KiB use most: comma, tab or semicolon (bytes that no GBK
// or UTF-8 character holds inside it).
char MostUsedDelimiter(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  char best = ',';
  size_t most = static_cast<size_t>(std::count(head.begin(), head.end(), ','));
  for (char d : {'\t', ';'}) {
    const auto n = static_cast<size_t>(std::count(head.begin(), head.end(), d));
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

// A text file at its header. When the header is not found, the file is read again as tab- or
// semicolon-separated (Excel's "文本文件（制表符分隔）" named .csv); if neither has it, the error
// of the reading by the delimiter the file uses most stands (it names the headers as they are).
// So does an encoding fault met while looking (it names the column as that delimiter cuts it).
StatusOr<OpenedTable> OpenTextAtHeader(const std::filesystem::path& path, const TableOptions& options,
                                       const std::vector<ColumnSpec>& columns) {
  OpenedTable table;
  table.hidden_rows = std::make_shared<std::vector<int64_t>>();
  HEARTH_ASSIGN_OR_RETURN(table.reader, OpenTable(path, options));
  StatusOr<HeaderMatch> found = FindHeader(*table.reader, columns);
  if (found.ok()) {
    table.layout.headers.push_back(std::move(*found));
    return table;
  }
  const bool missing = found.status().kind() == "missing_columns";
  if (options.delimiter != ',' || (!missing && found.status().kind() != "encoding_invalid")) return found.status();
  const char used = MostUsedDelimiter(path);
  Status error = found.status();
  for (char delimiter : {'\t', ';'}) {
    if (!missing && delimiter != used) continue;
    TableOptions other = options;
    other.delimiter = delimiter;
    StatusOr<std::unique_ptr<TableReader>> again = OpenTable(path, other);
    if (!again.ok()) continue;
    StatusOr<HeaderMatch> there = FindHeader(**again, columns);
    if (!there.ok()) {
      if (delimiter == used) error = there.status();
      continue;
    }
    table.reader = std::move(*again);
    table.layout.headers.push_back(std::move(*there));
    return table;
  }
  return error;
}

// True when OpenTable reads the file as a workbook: a zip named .xlsx, .xlsm, .xls, .csv or .txt
// (a renamed workbook), and an .xlsx or .xlsm in the legacy or encrypted format (which the
// workbook reader names). An .xlsx that is neither is text, or refused, as OpenTable decides.
bool ReadsAsWorkbook(const std::filesystem::path& path) {
  const std::string ext = LowerAscii(path.extension().string());
  const bool workbook_name = ext == ".xlsx" || ext == ".xlsm";
  if (!workbook_name && ext != ".xls" && ext != ".csv" && ext != ".txt") return false;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  const std::string_view head(magic, static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head == std::string_view("PK\3\4", 4) || (workbook_name && head == "\xD0\xCF\x11\xE0");
}

}  // namespace

std::string WhereInFile(int64_t line) {
  if (SheetOfLine(line) == 0) return Tr(Msg::kIngestRows, line);
  return Tr(Msg::kIngestRowsOfSheetNumber, SheetOfLine(line) + 1, RowOfLine(line));
}

std::string TableLayout::Where(int64_t line) const {
  if (sheets.size() <= 1) return Tr(Msg::kIngestRows, line);
  return Tr(Msg::kIngestRowsOfSheet, sheets[SheetOfLine(line)], RowOfLine(line));
}

StatusOr<OpenedTable> OpenTableAtHeader(const std::filesystem::path& path, const TableOptions& options,
                                        const std::vector<ColumnSpec>& columns) {
  if (ReadsAsWorkbook(path) && std::filesystem::is_regular_file(path)) return OpenWorkbookAtHeader(path, options, columns);
  return OpenTextAtHeader(path, options, columns);
}

namespace {

Status ImportInto(Store& store, const std::filesystem::path& path, const TableImportSpec& spec,
                  const TableImportOptions& options, BatchRowHandler& handler, FileReport* report) {
  std::string digest = options.digest;
  if (digest.empty()) {
    HEARTH_ASSIGN_OR_RETURN(digest, FileDigest(path));
  }
  TableOptions table_options;
  table_options.encoding = options.encoding;
  table_options.sheet = options.sheet;
  HEARTH_ASSIGN_OR_RETURN(OpenedTable table, OpenTableAtHeader(path, table_options, spec.columns));
  const HeaderMatch& header = table.layout.headers.front();
  // The data rows are decoded on a second thread while this one checks and stores them.
  std::unique_ptr<TableReader> reader = ReadAhead(std::move(table.reader));
  ImportRecord record;
  record.kind = spec.kind;
  record.file_name = report->file;
  record.digest = digest;
  record.received = options.received;
  record.recorded_at = options.recorded_at;
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<ImportTransaction> tx, store.BeginImport(record));
  bool dry_run = options.dry_run;
  if (spec.after_begin) HEARTH_RETURN_IF_ERROR(spec.after_begin(*tx, &dry_run));
  report->import_id = dry_run ? 0 : tx->import_id();
  report->header = header.found;
  report->sheets = table.layout.sheets;
  report->sheets_skipped = table.layout.skipped;
  ProgressTicker ticker(options.progress, report->file);
  handler.Start(table.layout);
  HEARTH_RETURN_IF_ERROR(ReadRows(*reader, table.layout, spec, handler, *tx, ticker, report));
  report->hidden_rows = std::move(*table.hidden_rows);  // the reading thread has finished
  report->hidden_rows_skipped = static_cast<int64_t>(report->hidden_rows.size());
  ImportTotals totals{report->read, report->accepted, report->rejected, report->unmatched,
                      report->duplicate, report->flagged, "", header.found};
  if (spec.before_commit) HEARTH_RETURN_IF_ERROR(spec.before_commit(*tx, report, &totals));
  if (dry_run) return Status::Ok();  // tx's destructor rolls back
  return tx->Commit(totals);
}

}  // namespace

FileReport ImportTable(Store& store, const std::filesystem::path& path, const TableImportSpec& spec,
                       const TableImportOptions& options, const RowHandler& handler) {
  RowByRow by_row(handler);
  return ImportTable(store, path, spec, options, by_row);
}

FileReport ImportTable(Store& store, const std::filesystem::path& path, const TableImportSpec& spec,
                       const TableImportOptions& options, BatchRowHandler& handler) {
  FileReport report;
  report.file = path.filename().string();
  report.kind = spec.kind;
  Status s = ImportInto(store, path, spec, options, handler, &report);
  if (!s.ok()) {
    // The transaction rolled back: nothing of this file was written.
    FileReport refused;
    refused.file = report.file;
    refused.kind = spec.kind;
    refused.refusal = s;
    return refused;
  }
  return report;
}

StatusOr<std::map<int64_t, std::vector<std::string>>> ReadRowsAt(const std::filesystem::path& path, Encoding encoding,
                                                                 const std::vector<ColumnSpec>& columns,
                                                                 const std::set<int64_t>& lines) {
  std::map<int64_t, std::vector<std::string>> out;
  if (lines.empty()) return out;
  TableOptions options;
  options.encoding = encoding;
  HEARTH_ASSIGN_OR_RETURN(OpenedTable table, OpenTableAtHeader(path, options, columns));
  TableRow row;
  while (out.size() < lines.size()) {
    HEARTH_ASSIGN_OR_RETURN(bool more, table.reader->Next(&row));
    if (!more || row.line > *lines.rbegin()) break;
    if (lines.contains(row.line)) out.emplace(row.line, row.cells);
  }
  return out;
}

int64_t CountPrecisionDamage(const std::filesystem::path& path, Encoding encoding,
                             const std::vector<ColumnSpec>& columns, size_t id_column) {
  TableOptions options;
  options.encoding = encoding;
  StatusOr<OpenedTable> table = OpenTableAtHeader(path, options, columns);
  if (!table.ok() || !table->layout.headers.front().Has(id_column)) return 0;
  PrecisionDamageCounter counter;
  HeaderInForce headers(table->layout, columns, path.filename().string());
  TableRow row;
  for (auto more = table->reader->Next(&row); more.ok() && *more; more = table->reader->Next(&row)) {
    if (headers.NewSheet(row)) headers.EnterSheetOf(row);
    if (headers.finder().MayBeHeader(headers.current(), row)) {
      // A later table's header: its own ID column from here on (a file refused for it is told so
      // by the import itself).
      StatusOr<std::optional<HeaderMatch>> next = headers.ReadHeaderRow(row);
      if (!next.ok()) return 0;
      if (*next) headers.BeginTable(std::move(**next));
      continue;
    }
    counter.Add(headers.current().Cell(row, id_column));
  }
  return counter.Damaged();
}

void PrecisionDamageCounter::Add(std::string_view id_cell) {
  std::string id = NormalizeIdText(id_cell);
  ids_ += id.size() == 18;
  if (!EndsLikeLostPrecision(id)) return;
  ++zeros_;
  if (first_zero_.empty()) {
    first_zero_ = std::move(id);
  } else if (id != first_zero_) {
    two_zeros_ = true;
  }
}

RowProblem ProblemAt(const HeaderMatch& header, const TableRow& row, int column, Status status) {
  std::string raw = column >= 0 ? std::string(header.Cell(row, static_cast<size_t>(column))) : "";
  return RowProblem{column, std::move(raw), std::move(status)};
}

}  // namespace hearth
