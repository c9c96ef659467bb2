// The feed import: `hearth import feed KIND FILE`. Reads a department's file through the
// shared table import (one file, one transaction), and turns each data row into exactly one of:
// - accepted: a new fact (an event of the kind's type), or a correction of a fact an earlier
//   file gave (same key, new values: a new event that supersedes the old one, which is kept);
//   a name that differs from the registry's is accepted and flagged (name_mismatch);
// - rejected: a value that cannot be right (kind and hint say which and how to fix it), or two
//   rows of the file with the same key and different values (both rejected, each naming the
//   other line);
// - unmatched: the person is not in the registry (kept with the row, not linked);
// - duplicate: the same key with the same values as a fact already known (adds nothing).
// Feeds never edit the registry: a death reported by 公安 is an event; findings and the engine
// read it. Importing the same file twice changes nothing. An import can be undone (UndoImport):
// retraction events are appended, nothing is deleted.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "feeds/feed_spec.h"
#include "ingest/import_report.h"
#include "store/store.h"

namespace hearth {

//! Re-screens households an import touched (findings now, the engine's warnings later), inside
//! the import's transaction; `as_of` is the file's received date. Called with chunks of
//! household codes.
using ScreenHook =
    std::function<Status(ImportTransaction& tx, const std::vector<std::string>& household_codes, Date as_of)>;

struct FeedImportOptions {
  Encoding encoding = Encoding::kAuto;
  std::optional<Date> received;         //!< the date the file arrived; Default: today
  const Clock* clock = &SystemClock();  //!< today's date (ID checks, default received date)
  ImportProgress progress;              //!< may be empty
  ScreenHook screen;                    //!< empty: no re-screening (--no-screen)
};

//! Imports one feed file. The report's refusal is set when the file as a whole was refused
//! (missing columns, unreadable); its same_as_import when the identical file was imported
//! before (nothing is written then).
FileReport ImportFeed(Store& store, const FeedSpec& spec, const std::filesystem::path& file,
                      const FeedImportOptions& options);

//! What `hearth import undo` did.
struct UndoReport {
  int64_t undo_import_id = 0;       //!< the import record of the undo itself
  ImportRecord retracted;           //!< the import as it was
  int64_t households = 0;           //!< households whose facts changed
  //! Later committed imports of the same kind that found rows already known (duplicates, not
  //! written again). Facts of the undone file that they repeated are retracted too: importing
  //! such a file again writes them back (ImportFeed takes a known file that would add facts).
  std::vector<ImportRecord> later_with_duplicates;
};

//! Retracts import `import_id`: appends a retraction for each of its events still in force,
//! marks it retracted, and re-screens the households concerned. Kinds "import_unknown",
//! "import_retracted", "import_not_feed".
StatusOr<UndoReport> UndoImport(Store& store, int64_t import_id, const ScreenHook& screen, const Clock& clock);

//! The date households are screened as of after a feed import, an undo or a registry change:
//! the latest date a department file still in force arrived (at least `floor`), not counting
//! undo records, registry files and the import `except`, nor earlier than the latest findings
//! refresh or screening. A file that arrives late (received before files already imported)
//! must not judge, as of its own date, what later files' facts opened; nor may a file reopen,
//! as of its date, what a refresh or `hearth screen` as of a later day closed (or close what it
//! opened).
Date ScreeningAsOf(Store& store, Date floor, int64_t except);

//! Calls `screen` for every household the transaction's events concern, in chunks.
Status ScreenTouched(ImportTransaction& tx, const ScreenHook& screen, Date as_of);

}  // namespace hearth
