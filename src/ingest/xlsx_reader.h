// The XLSX reader behind OpenTable (internal to ingest; use OpenTable, or XlsxWorkbook to read
// several sheets of one workbook).
//
// The package is opened with libzip; the workbook, its relationships, the styles and the
// shared strings are read first (shared strings are held in memory, as one pool). A worksheet's
// XML is then streamed through expat, which is suspended at the end of every row, so no more
// than one row and one chunk of XML are in memory at a time.
//
//   HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<XlsxWorkbook> book, XlsxWorkbook::Open(path));
//   for (size_t i = 0; i < book->sheets().size(); ++i) {
//     HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<XlsxSheetReader> sheet, book->OpenSheet(i));
//     ...  // sheet->Next(&row); sheet->RowHidden()
//   }
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
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

//! The rows of one worksheet, and what only the sheet knows about them.
class XlsxSheetReader : public TableReader {
 public:
  //! True when the row last returned by Next is hidden in the sheet (`<row hidden="1">`:
  //! filtered out by an AutoFilter, folded away in an outline, or hidden by hand).
  virtual bool RowHidden() const = 0;
};

struct XlsxWorkbookData;  // what the readers of one workbook's sheets share (xlsx_reader.cc)

//! A workbook opened once, so that its sheets are read one after another sharing the shared
//! strings and styles read by Open. Not thread-safe: the workbook and the readers of its sheets
//! are used by one thread at a time (libzip's archive is shared). A sheet reader keeps what it
//! needs of the workbook alive, so it may outlive the XlsxWorkbook.
class XlsxWorkbook {
 public:
  struct Sheet {
    std::string name;
    bool hidden = false;     //!< hidden (or very hidden) in the workbook
    uint64_t xml_bytes = 0;  //!< the sheet's XML, uncompressed (for progress)
  };

  //! Reads the workbook, its styles and shared strings. Errors as OpenXlsxFile's ("io_open",
  //! "format_xls", "xlsx_corrupt": not a zip, or no worksheet).
  static StatusOr<std::unique_ptr<XlsxWorkbook>> Open(const std::filesystem::path& path);
  ~XlsxWorkbook();
  XlsxWorkbook(const XlsxWorkbook&) = delete;
  XlsxWorkbook& operator=(const XlsxWorkbook&) = delete;

  //! Every worksheet (chart sheets aside), in workbook order; never empty.
  const std::vector<Sheet>& sheets() const;
  //! The index of the sheet named `name`, as Excel compares names (ASCII case and surrounding
  //! spaces ignored). Error "xlsx_sheet_missing", naming the sheets.
  StatusOr<size_t> FindSheet(std::string_view name) const;
  //! The first visible sheet, or the first sheet when every one is hidden.
  size_t FirstVisibleSheet() const;
  //! Opens sheet `index` (< sheets().size()) at its first row. Errors: "xlsx_corrupt".
  StatusOr<std::unique_ptr<XlsxSheetReader>> OpenSheet(size_t index) const;

 private:
  explicit XlsxWorkbook(std::shared_ptr<const XlsxWorkbookData> data);
  std::shared_ptr<const XlsxWorkbookData> data_;
  std::vector<Sheet> sheets_;
};

}  // namespace hearth
