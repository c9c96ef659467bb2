// The registry import: `hearth import registry DIR`. Loads 家庭 (households), 家庭成员 (persons)
// and 收入 (yearly incomes), each as .csv or .xlsx, in that order, each file in its own
// transaction (see table_import.h). Re-import upserts by 户编号, (户编号, 证件号码) and
// (户编号, 年度); rows absent from a later file are never deleted. A 家庭成员 row whose
// optional 成员状态 is not 正常 removes the member (减员): the row is deleted and the event
// registry.person_removed keeps it. Every change to the registry is also appended to the event
// log (types registry.household, registry.person, registry.income, registry.person_removed) so
// that a household's history can be replayed.
#pragma once

#include <filesystem>

#include "core/clock.h"
#include "ingest/import_report.h"
#include "ingest/table_import.h"
#include "store/store.h"

namespace hearth {

struct RegistryImportOptions {
  Encoding encoding = Encoding::kAuto;  //!< CSV text encoding; Default: detect
  std::optional<Date> received;         //!< Default: today (clock)
  const Clock* clock = &SystemClock();  //!< today's date for ID checks and defaults
  ImportProgress progress;
};

//! 户编号 as offices type it, normalised: width folded, trimmed, without Excel's leading '.
std::string NormalizeHouseholdCode(std::string_view cell);
//! Checks a normalised 户编号: kinds "household_code_empty", "code_spreadsheet_number",
//! "household_code_invalid".
Status ValidateHouseholdCode(std::string_view code);

//! The column specs of each registry file (Chinese headers with accepted aliases).
const TableImportSpec& HouseholdFileSpec();
const TableImportSpec& PersonFileSpec();
const TableImportSpec& IncomeFileSpec();

//! Imports whichever of 家庭, 家庭成员, 收入 are in `dir`. Fails (kind
//! "registry_files_missing" or "registry_file_ambiguous") only when the directory itself is
//! unusable; a refused file is reported in its FileReport and the other files still load.
StatusOr<ImportReport> ImportRegistry(Store& store, const std::filesystem::path& dir,
                                      const RegistryImportOptions& options);

}  // namespace hearth
