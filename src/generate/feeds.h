// The department feeds as offices send them: columns of each kind (the Chinese headers of the
// department-feeds issue), the shape of each monthly file (CSV in UTF-8, UTF-8 with BOM or
// GBK, or XLSX; with or without a title row and a 合计 row; how dates and amounts are
// written), the rendering of events into rows, and the deliberate faults.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "generate/context.h"
#include "generate/model.h"
#include "generate/rng.h"

namespace hearth::gen {

enum class CellType : uint8_t { kText, kId, kName, kDate, kMoney, kInt };

struct FeedColumn {
  std::string_view name;
  CellType type;
};

struct FeedSpec {
  FeedKind kind;
  std::string_view slug;        //!< file name without extension: "medical-claims"
  std::string_view department;  //!< 医保, 教育 ...
  std::string_view title;       //!< title row after "2025年3月": "住院及门诊慢特病结算明细"
  std::vector<FeedColumn> columns;
};

const FeedSpec& SpecOf(FeedKind kind);

enum class FileFormat : uint8_t { kCsvUtf8, kCsvUtf8Bom, kCsvGbk, kXlsx };
enum class DateStyle : uint8_t { kIso, kSlash, kCompact, kChinese, kDotted, kExcelDate, kExcelSerial };

std::string_view FileFormatName(FileFormat f);  //!< "csv", "xlsx"
std::string_view EncodingNameOf(FileFormat f);  //!< "utf-8", "utf-8-bom", "gbk", "xlsx"
std::string_view DateStyleName(DateStyle d);    //!< "iso", "slash", ... "excel_serial"

//! The shape of one feed file, drawn from the seed.
struct FileVariant {
  FileFormat format = FileFormat::kCsvUtf8;
  bool title_row = false;
  bool total_row = false;
  DateStyle dates = DateStyle::kIso;
  bool thousands = false;    //!< amounts written "1,234.50"
  bool lowercase_x = false;  //!< ID numbers ending in X written with x
  int dot_variant = 0;       //!< the middle dot of names (0: U+00B7)

  bool xlsx() const { return format == FileFormat::kXlsx; }
};

//! The variant of file `file_index` (month * kFeedKinds + kind) of a run. XLSX is left out
//! when the run has more than params::kXlsxMaxHouseholds households.
FileVariant ChooseVariant(uint64_t seed, int file_index, int64_t households);

//! One cell before formatting: text for kText/kId/kName, `value` for the others (fen, days
//! since 1970-01-01 or kNoDate, an integer).
struct Cell {
  CellType type = CellType::kText;
  std::string text;
  int64_t value = 0;
};

enum class FaultKind : uint8_t { kIdChecksum = 0, kNameMismatch, kUnknownPerson, kDuplicateRow };
inline constexpr int kFaultKinds = 4;
//! "id_checksum", "name_mismatch", "unknown_person", "duplicate_row".
std::string_view FaultKindName(FaultKind kind);

//! The rows of one feed file contributed by one block.
struct FeedChunk {
  std::string text;         //!< CSV: the encoded lines
  std::vector<Cell> cells;  //!< XLSX: the cells, row-major
  int64_t rows = 0;
  std::vector<std::pair<int64_t, FaultKind>> faults;  //!< (row within the chunk, kind)
  std::vector<int64_t> sums;                          //!< per column: total of money columns

  bool empty() const { return rows == 0; }
};

//! Renders the events of `block` into one chunk per feed file (index month * kFeedKinds +
//! kind), drawing faults from `faults_rng`. `variants` has one entry per file.
Status RenderFeeds(const RunContext& ctx, const Block& block, const std::vector<FileVariant>& variants, Rng& faults_rng,
                   std::vector<FeedChunk>* chunks);

//! Formats one row of cells as a CSV line (UTF-8, with "\n") in the style of `variant`.
void AppendCsvRow(const std::vector<Cell>& cells, const FileVariant& variant, std::string* out);

//! A date in a CSV style ("2025-03-05", "2025/3/5", "20250305", "2025年3月5日", "2025.03.05").
std::string FormatDate(int32_t days, DateStyle style);

//! The title of a file: "2025年3月住院及门诊慢特病结算明细".
std::string FileTitle(const FeedSpec& spec, Date month);

}  // namespace hearth::gen
