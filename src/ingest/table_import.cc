#include "ingest/table_import.h"

#include <chrono>

#include "core/id_number.h"
#include "core/messages.h"
#include "core/text.h"
#include "ingest/read_ahead.h"
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
  }
}

RejectRecord ToReject(const std::string& file, const TableImportSpec& spec, const TableRow& row,
                      const RowProblem& p) {
  std::string column = p.column >= 0 ? spec.columns[static_cast<size_t>(p.column)].name : "";
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
Status Record(const TableImportSpec& spec, const TableRow& row, RowResult result, ImportTransaction& tx,
              FileReport* report) {
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
  RejectRecord reject = ToReject(report->file, spec, row, *problem);
  HEARTH_RETURN_IF_ERROR(tx.AddReject(reject));
  report->Reject(std::move(reject));
  return Status::Ok();
}

// Reads every data row of an opened file into `tx`. Returns a file-level fault, if any.
Status ReadRows(TableReader& reader, const HeaderMatch& header, const TableImportSpec& spec,
                BatchRowHandler& handler, ImportTransaction& tx, ProgressTicker& ticker, FileReport* report) {
  const RowSink sink = [&](const TableRow& row, RowResult result) {
    return Record(spec, row, std::move(result), tx, report);
  };
  // In CSV a row of more cells than the header split at an unquoted comma: every value after
  // it sits under the wrong column, and taking it would store wrong amounts without a word.
  // (A spreadsheet's cells cannot shift so; a value in an unnamed XLSX column is left alone.)
  const size_t width = reader.format() == "csv" ? HeaderWidth(header) : SIZE_MAX;
  TableRow row;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(bool more, reader.Next(&row));
    if (!more) break;
    ticker.Tick(reader);
    if (IsBlankRow(row)) continue;
    if (IsTotalRow(row)) {
      ++report->total_rows_skipped;
      continue;
    }
    if (IsNoteRow(row) || IsSectionTitle(row)) {
      ++report->note_rows_skipped;
      continue;
    }
    if (IsHeaderAgain(header, row)) {
      ++report->header_rows_skipped;
      continue;
    }
    ++report->read;
    if (int extra = CellBeyond(row, width); extra >= 0) {
      const std::string& cell = row.cells[static_cast<size_t>(extra)];
      RowProblem problem{-1, cell, Error(StatusCode::kInvalidArgument, Msg::kRowExtraCells, extra + 1, width, cell)};
      HEARTH_RETURN_IF_ERROR(sink(row, std::move(problem)));
      continue;
    }
    HEARTH_RETURN_IF_ERROR(handler.Add(header, row, tx, sink));
  }
  HEARTH_RETURN_IF_ERROR(handler.Flush(tx, sink));
  ticker.Tick(reader, /*force=*/true);
  return Status::Ok();
}

// Opens the file at its header row. When the header is not where it is first looked for, the
// other likely layouts are tried, and the first that has it is read: in a workbook, the other
// visible sheets in order (a 填表说明 sheet often comes first); in a text file, columns separated
// by tabs (Excel's "文本文件（制表符分隔）" named .csv) or semicolons. If none has it, the first
// layout's error stands.
Status OpenAtHeader(const std::filesystem::path& path, const TableOptions& options, const std::vector<ColumnSpec>& columns,
                    std::unique_ptr<TableReader>* reader, HeaderMatch* header) {
  HEARTH_ASSIGN_OR_RETURN(*reader, OpenTable(path, options));
  StatusOr<HeaderMatch> found = FindHeader(**reader, columns);
  if (found.ok() || found.status().kind() != "missing_columns") {
    if (found.ok()) *header = std::move(*found);
    return found.status();
  }
  std::vector<TableOptions> others;
  if ((*reader)->format() == "xlsx") {
    StatusOr<std::vector<std::string>> sheets = XlsxSheetNames(path);
    for (size_t i = 1; sheets.ok() && i < sheets->size(); ++i) {
      others.push_back(options);
      others.back().sheet = (*sheets)[i];
    }
  } else if (options.delimiter == ',') {
    for (char delimiter : {'\t', ';'}) {
      others.push_back(options);
      others.back().delimiter = delimiter;
    }
  }
  for (const TableOptions& other : others) {
    StatusOr<std::unique_ptr<TableReader>> again = OpenTable(path, other);
    if (!again.ok()) continue;
    StatusOr<HeaderMatch> there = FindHeader(**again, columns);
    if (!there.ok()) continue;
    *reader = std::move(*again);
    *header = std::move(*there);
    return Status::Ok();
  }
  return found.status();
}

Status ImportInto(Store& store, const std::filesystem::path& path, const TableImportSpec& spec,
                  const TableImportOptions& options, BatchRowHandler& handler, FileReport* report) {
  std::string digest = options.digest;
  if (digest.empty()) {
    HEARTH_ASSIGN_OR_RETURN(digest, FileDigest(path));
  }
  TableOptions table_options;
  table_options.encoding = options.encoding;
  std::unique_ptr<TableReader> reader;
  HeaderMatch header;
  HEARTH_RETURN_IF_ERROR(OpenAtHeader(path, table_options, spec.columns, &reader, &header));
  // The data rows are decoded on a second thread while this one checks and stores them.
  reader = ReadAhead(std::move(reader));
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
  ProgressTicker ticker(options.progress, report->file);
  HEARTH_RETURN_IF_ERROR(ReadRows(*reader, header, spec, handler, *tx, ticker, report));
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
  std::unique_ptr<TableReader> reader;
  HeaderMatch header;
  HEARTH_RETURN_IF_ERROR(OpenAtHeader(path, options, columns, &reader, &header));
  TableRow row;
  while (out.size() < lines.size()) {
    HEARTH_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
    if (!more || row.line > *lines.rbegin()) break;
    if (lines.contains(row.line)) out.emplace(row.line, row.cells);
  }
  return out;
}

int64_t CountPrecisionDamage(const std::filesystem::path& path, Encoding encoding,
                             const std::vector<ColumnSpec>& columns, size_t id_column) {
  TableOptions options;
  options.encoding = encoding;
  auto reader = OpenTable(path, options);
  if (!reader.ok()) return 0;
  auto header = FindHeader(**reader, columns);
  if (!header.ok() || !header->Has(id_column)) return 0;
  PrecisionDamageCounter counter;
  TableRow row;
  for (auto more = (*reader)->Next(&row); more.ok() && *more; more = (*reader)->Next(&row)) {
    counter.Add(header->Cell(row, id_column));
  }
  return counter.Damaged();
}

void PrecisionDamageCounter::Add(std::string_view id_cell) {
  std::string id = NormalizeIdText(id_cell);
  ids_ += id.size() == 18;
  zeros_ += EndsLikeLostPrecision(id);
}

RowProblem ProblemAt(const HeaderMatch& header, const TableRow& row, int column, Status status) {
  std::string raw = column >= 0 ? std::string(header.Cell(row, static_cast<size_t>(column))) : "";
  return RowProblem{column, std::move(raw), std::move(status)};
}

}  // namespace hearth
