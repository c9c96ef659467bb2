// The report of one import run, shared by the registry import and the feed imports: per file,
// the counts (read, accepted, rejected with a breakdown by kind) and every problem row.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "store/records.h"

namespace hearth {

//! Called while a file is read: bytes done and in all, and the file's name.
using ImportProgress = std::function<void(uint64_t done, uint64_t total, std::string_view file)>;

//! When an import reads several sheets of a workbook, a row of the sheet read `sheet`-th (from
//! 0) has the line kSheetLineStride * sheet + its row number, so that one line names one row of
//! the file, across sheets as across rows (in-file duplicates and conflicts, rereading a row,
//! an event's source line). The first sheet's lines are its row numbers; a sheet has at most
//! 1,048,576 rows. Only a report that read several sheets (FileReport::sheets) has such lines.
constexpr int64_t kSheetLineStride = 10'000'000;
constexpr int64_t LineOfSheetRow(size_t sheet, int64_t row) {
  return static_cast<int64_t>(sheet) * kSheetLineStride + row;
}
constexpr size_t SheetOfLine(int64_t line) { return static_cast<size_t>(line / kSheetLineStride); }
constexpr int64_t RowOfLine(int64_t line) { return line % kSheetLineStride; }

//! A worksheet of a workbook that an import did not read, and why.
struct SkippedSheet {
  enum class Reason : int {
    kHidden = 0,     //!< hidden in the workbook
    kByName = 1,     //!< its name says it holds instructions or a sample (填表说明, 示例, 模板 …)
    kNoHeader = 2,   //!< the header was not found on it
  };
  std::string name;
  Reason reason = Reason::kNoHeader;
};

//! "hidden", "instructions_or_sample", "no_header" (JSON reports).
std::string_view SkipReasonName(SkippedSheet::Reason reason);

struct FileReport {
  std::string file;          //!< file name as given
  std::string kind;          //!< "registry-households" ...
  int64_t import_id = 0;     //!< 0 when the file was refused
  Status refusal;            //!< not OK when the whole file was refused (a file-level fault)
  int64_t read = 0;          //!< data rows read (blank and total rows excluded)
  int64_t accepted = 0;
  int64_t rejected = 0;
  int64_t unmatched = 0;     //!< feed rows whose person is not in the registry (kept, not linked)
  int64_t duplicate = 0;     //!< feed rows that repeated a known fact (added nothing)
  int64_t flagged = 0;       //!< accepted rows with a remark (subset of accepted)
  int64_t inserted = 0, updated = 0, unchanged = 0;  //!< what accepted rows did (feeds: new, corrected, -)
  int64_t removed = 0;                               //!< persons removed from their household (减员; subset of updated)
  int64_t total_rows_skipped = 0;                    //!< trailing 合计 rows recognised
  int64_t note_rows_skipped = 0;                     //!< notes such as 制表人：… or 注：… (IsNoteRow), section titles (IsSectionTitle)
  int64_t header_rows_skipped = 0;                   //!< header rows among the data: repeated, or another table's (HeaderRowFinder)
  //! The lines of the header rows that began another table, read by its own columns (a second
  //! table on the sheet whose columns stand elsewhere), in file order.
  std::vector<int64_t> table_header_rows;
  int64_t hidden_rows_skipped = 0;                   //!< XLSX data rows hidden in Excel (filtered out or hidden by hand): not imported
  std::vector<int64_t> hidden_rows;                  //!< their lines, in file order
  std::vector<std::string> sheets;                   //!< XLSX: the worksheets read, in workbook order
  std::vector<SkippedSheet> sheets_skipped;          //!< XLSX: the worksheets not read, in workbook order
  std::map<std::string, int64_t> rejected_by_kind;
  std::map<std::string, int64_t> flagged_by_kind;  //!< e.g. name_mismatch, not_household_head
  std::vector<RejectRecord> rows;             //!< every problem row (rejected, unmatched, in-file duplicate, flagged)
  std::vector<std::string> header;            //!< the header row as found
  //! Set when the same file (same kind and digest) was imported before and nothing was written.
  int64_t same_as_import = 0;
  std::vector<SharedPerson> shared_persons;   //!< persons registered in more than one household
  //! Households whose members name no head (户主), or two or more (a persons file only).
  std::vector<HouseholdHeads> households_without_one_head;

  //! Records a problem row and counts it by its outcome.
  void Reject(RejectRecord r);
  //! The sheet a line was read from when several sheets were read (see kSheetLineStride), else "".
  std::string_view SheetOf(int64_t line) const;
  //! The row number of a line within its sheet (the line itself unless several sheets were read).
  int64_t RowOf(int64_t line) const;
};

struct ImportReport {
  std::vector<FileReport> files;
  //! True when any file was refused.
  bool AnyRefused() const;
  int64_t Sum(int64_t FileReport::*field) const;
};

//! The JSON report: {"counts": {"read", "accepted", "rejected", "rejected_by_kind", "unmatched",
//! "duplicate", "name_mismatch", "not_household_head", "flagged_by_kind", "hidden_rows_skipped", ...},
//! "files": [{..., "hidden_rows_skipped",
//! "hidden_rows": [{"line"} or {"sheet", "line"}], "sheets": [...], "sheets_skipped": [{"sheet",
//! "reason"}]}], "rows": [{"file", "line", "column", "raw", "kind", "hint", "outcome"}, and "sheet"
//! when the file's rows came from several sheets ("line" is then the row within the sheet)],
//! "shared_persons": [...]}.
nlohmann::json ReportToJson(const ImportReport& report);

//! "sha256:<hex>" of a file's bytes (streamed). Kind "io_open"/"io_read".
StatusOr<std::string> FileDigest(const std::filesystem::path& path);

}  // namespace hearth
