// The XLSX reader behind OpenTable (internal to ingest; use OpenTable).
//
// The package is opened with libzip; the workbook, its relationships, the styles and the
// shared strings are read first (shared strings are held in memory, as one pool). The chosen
// worksheet's XML is then streamed through expat, which is suspended at the end of every row,
// so no more than one row and one chunk of XML are in memory at a time.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/table.h"

namespace hearth {

//! Opens the worksheet named `options.sheet` (Default: the first visible worksheet) of an
//! .xlsx file. Errors: "io_open", "format_xls" (an .xls or encrypted workbook named .xlsx),
//! "xlsx_corrupt", "xlsx_sheet_missing" (names the sheets).
StatusOr<std::unique_ptr<TableReader>> OpenXlsxFile(const std::filesystem::path& path,
                                                    const TableOptions& options);

//! The names of the visible worksheets of an .xlsx file, in workbook order. Errors as
//! OpenXlsxFile's.
StatusOr<std::vector<std::string>> XlsxSheetNames(const std::filesystem::path& path);

}  // namespace hearth
