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
  int64_t total_rows_skipped = 0;                    //!< trailing 合计 rows recognised
  int64_t note_rows_skipped = 0;                     //!< notes such as 制表人：… or 注：… (IsNoteRow), section titles (IsSectionTitle)
  int64_t header_rows_skipped = 0;                   //!< the header row repeated (IsHeaderAgain)
  std::map<std::string, int64_t> rejected_by_kind;
  std::map<std::string, int64_t> flagged_by_kind;  //!< e.g. name_mismatch
  std::vector<RejectRecord> rows;             //!< every problem row (rejected, unmatched, in-file duplicate, flagged)
  std::vector<std::string> header;            //!< the header row as found
  //! Set when the same file (same kind and digest) was imported before and nothing was written.
  int64_t same_as_import = 0;
  std::vector<SharedPerson> shared_persons;   //!< persons registered in more than one household

  //! Records a problem row and counts it by its outcome.
  void Reject(RejectRecord r);
};

struct ImportReport {
  std::vector<FileReport> files;
  //! True when any file was refused.
  bool AnyRefused() const;
  int64_t Sum(int64_t FileReport::*field) const;
};

//! The JSON report: {"counts": {"read", "accepted", "rejected", "rejected_by_kind", "unmatched",
//! "duplicate", "name_mismatch", ...}, "files": [...], "rows": [{"file", "line", "column", "raw",
//! "kind", "hint", "outcome"}],
//! "shared_persons": [...]}.
nlohmann::json ReportToJson(const ImportReport& report);

//! "sha256:<hex>" of a file's bytes (streamed). Kind "io_open"/"io_read".
StatusOr<std::string> FileDigest(const std::filesystem::path& path);

}  // namespace hearth
