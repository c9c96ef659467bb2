#include "generate/output.h"

#include <xlsxwriter.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "core/messages.h"
#include "core/text.h"

namespace hearth::gen {
namespace {

constexpr size_t kBufferBytes = 1 << 20;
constexpr int64_t kXlsxMaxRows = 1'048'576;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// libxlsxwriter writes a workbook's creation time at close through gmtime(), whose result lives
// in one buffer shared by the whole process: two workbooks closing at once on two threads could
// swap their dates, and the same seed would no longer give the same bytes. Closes take turns.
std::mutex& XlsxCloseMutex() {
  static std::mutex mutex;
  return mutex;
}

Status WriteError(const std::filesystem::path& path, std::string_view why) {
  return Error(StatusCode::kIoError, Msg::kGenWrite, path.string(), why);
}

// A CSV feed file: UTF-8 (with or without BOM) or GBK.
class CsvFeedFile : public FeedFile {
 public:
  CsvFeedFile(std::unique_ptr<TextFile> file, std::string relative, const FeedSpec& spec, const FileVariant& v)
      : FeedFile(std::move(relative), spec, v), file_(std::move(file)) {}

  Status Begin(const std::string& title) {
    std::string head;
    if (variant_.format == FileFormat::kCsvUtf8Bom) head.append(kUtf8Bom);
    if (variant_.title_row) {
      head += title;
      head.append(spec_.columns.size() - 1, ',');
      head += '\n';
      header_line_ = 2;
    }
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (i > 0) head += ',';
      head += spec_.columns[i].name;
    }
    head += '\n';
    return WriteText(head);
  }

  Status Append(const FeedChunk& chunk) override {
    Count(chunk);
    return file_->Write(chunk.text);  // already encoded
  }

  Status Close() override {
    if (variant_.total_row) {
      std::string line;
      AppendCsvRow(TotalRow(), variant_, &line);
      HEARTH_RETURN_IF_ERROR(WriteText(line));
    }
    return file_->Close();
  }

 private:
  Status WriteText(const std::string& utf8) {
    if (variant_.format != FileFormat::kCsvGbk) return file_->Write(utf8);
    HEARTH_ASSIGN_OR_RETURN(std::string gbk, Utf8ToGbk(utf8));
    return file_->Write(gbk);
  }

  std::unique_ptr<TextFile> file_;
};

// An XLSX feed file (libxlsxwriter in constant-memory mode: rows stream to a temporary file).
class XlsxFeedFile : public FeedFile {
 public:
  XlsxFeedFile(std::filesystem::path path, std::string relative, const FeedSpec& spec, const FileVariant& v)
      : FeedFile(std::move(relative), spec, v), path_(std::move(path)) {}
  ~XlsxFeedFile() override {
    if (book_ == nullptr) return;
    std::lock_guard<std::mutex> lock(XlsxCloseMutex());
    workbook_close(book_);
  }

  Status Begin(const std::string& title, Date received) {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    options.use_zip64 = LXW_TRUE;
    book_ = workbook_new_opt(path_.c_str(), &options);
    if (book_ == nullptr) return WriteError(path_, "cannot create the workbook");
    // A fixed creation time keeps the bytes the same for the same seed.
    properties_.created = static_cast<time_t>(received.days()) * 86400;
    workbook_set_properties(book_, &properties_);
    sheet_ = workbook_add_worksheet(book_, "Sheet1");
    date_format_ = workbook_add_format(book_);
    format_set_num_format(date_format_, "yyyy-mm-dd");
    money_format_ = workbook_add_format(book_);
    format_set_num_format(money_format_, variant_.thousands ? "#,##0.00" : "0.00");
    lxw_format* title_format = workbook_add_format(book_);
    format_set_bold(title_format);
    format_set_align(title_format, LXW_ALIGN_CENTER);
    if (variant_.title_row) {
      worksheet_merge_range(sheet_, 0, 0, 0, static_cast<lxw_col_t>(spec_.columns.size() - 1), title.c_str(),
                            title_format);
      header_line_ = 2;
    }
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      std::string name(spec_.columns[i].name);
      worksheet_write_string(sheet_, Row(0), static_cast<lxw_col_t>(i), name.c_str(), nullptr);
    }
    return Status::Ok();
  }

  Status Append(const FeedChunk& chunk) override {
    if (header_line_ + rows_ + chunk.rows + 1 > kXlsxMaxRows)
      return WriteError(path_, "more rows than an XLSX sheet holds");
    const size_t width = spec_.columns.size();
    for (int64_t r = 0; r < chunk.rows; ++r) {
      for (size_t c = 0; c < width; ++c)
        WriteCell(Row(rows_ + r + 1), c, chunk.cells[static_cast<size_t>(r) * width + c]);
    }
    Count(chunk);
    return Status::Ok();
  }

  Status Close() override {
    if (variant_.total_row) {
      const std::vector<Cell> total = TotalRow();
      for (size_t c = 0; c < total.size(); ++c) WriteCell(Row(rows_ + 1), c, total[c]);
    }
    lxw_error error;
    {
      std::lock_guard<std::mutex> lock(XlsxCloseMutex());
      error = workbook_close(book_);
    }
    book_ = nullptr;
    if (error != LXW_NO_ERROR) return WriteError(path_, lxw_strerror(error));
    return Status::Ok();
  }

 private:
  // The 0-based sheet row of 0-based data row `r` counted from the header (r = 0).
  lxw_row_t Row(int64_t r) const { return static_cast<lxw_row_t>(header_line_ - 1 + r); }

  void WriteCell(lxw_row_t row, size_t col, const Cell& cell) {
    const auto c = static_cast<lxw_col_t>(col);
    switch (cell.type) {
      case CellType::kMoney:
        worksheet_write_number(sheet_, row, c, static_cast<double>(cell.value) / 100.0, money_format_);
        break;
      case CellType::kInt:
        worksheet_write_number(sheet_, row, c, static_cast<double>(cell.value), nullptr);
        break;
      case CellType::kDate:
        WriteDate(row, c, static_cast<int32_t>(cell.value));
        break;
      default:
        if (!cell.text.empty()) worksheet_write_string(sheet_, row, c, cell.text.c_str(), nullptr);
        break;
    }
  }

  void WriteDate(lxw_row_t row, lxw_col_t col, int32_t days) {
    if (days == kNoDate) return;
    constexpr int32_t kExcelEpochOffset = 25569;  // serial of 1970-01-01 (1900 system)
    if (variant_.dates == DateStyle::kExcelSerial) {
      worksheet_write_number(sheet_, row, col, days + kExcelEpochOffset, nullptr);
    } else if (variant_.dates == DateStyle::kExcelDate) {
      const Date d = Date::FromDays(days);
      lxw_datetime dt = {d.year(), d.month(), d.day(), 0, 0, 0.0};
      worksheet_write_datetime(sheet_, row, col, &dt, date_format_);
    } else {
      worksheet_write_string(sheet_, row, col, FormatDate(days, variant_.dates).c_str(), nullptr);
    }
  }

  std::filesystem::path path_;
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* date_format_ = nullptr;
  lxw_format* money_format_ = nullptr;
  lxw_doc_properties properties_ = {};
};

}  // namespace

StatusOr<std::unique_ptr<TextFile>> TextFile::Create(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return WriteError(path, std::strerror(errno));
  std::setvbuf(f, nullptr, _IOFBF, kBufferBytes);
  return std::unique_ptr<TextFile>(new TextFile(path, f));
}

TextFile::~TextFile() {
  if (file_ != nullptr) std::fclose(file_);
}

Status TextFile::Write(std::string_view bytes) {
  if (file_ == nullptr) return WriteError(path_, "already closed");
  if (bytes.empty()) return Status::Ok();
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) return WriteError(path_, std::strerror(errno));
  return Status::Ok();
}

Status TextFile::Close() {
  if (file_ == nullptr) return Status::Ok();
  const bool ok = std::fflush(file_) == 0;
  const int error = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) return WriteError(path_, std::strerror(error));
  return Status::Ok();
}

void FeedFile::Count(const FeedChunk& chunk) {
  for (const auto& [row, kind] : chunk.faults) faults_.push_back({relative_, header_line_ + rows_ + row + 1, kind});
  for (size_t i = 0; i < chunk.sums.size() && i < sums_.size(); ++i) sums_[i] += chunk.sums[i];
  rows_ += chunk.rows;
}

std::vector<Cell> FeedFile::TotalRow() const {
  std::vector<Cell> cells(spec_.columns.size());
  cells[0] = Cell{CellType::kText, "合计", 0};
  cells[1] = Cell{CellType::kText, "共" + std::to_string(rows_) + "条", 0};
  for (size_t i = 2; i < cells.size(); ++i) {
    if (spec_.columns[i].type == CellType::kMoney) {
      cells[i] = Cell{CellType::kMoney, "", sums_[i]};
    } else {
      cells[i] = Cell{CellType::kText, "", 0};
    }
  }
  return cells;
}

StatusOr<std::unique_ptr<FeedFile>> FeedFile::Open(const std::filesystem::path& path, std::string relative,
                                                   const FeedSpec& spec, const FileVariant& variant,
                                                   const std::string& title, Date received) {
  if (variant.xlsx()) {
    auto file = std::make_unique<XlsxFeedFile>(path, std::move(relative), spec, variant);
    HEARTH_RETURN_IF_ERROR(file->Begin(title, received));
    return std::unique_ptr<FeedFile>(std::move(file));
  }
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<TextFile> text, TextFile::Create(path));
  auto file = std::make_unique<CsvFeedFile>(std::move(text), std::move(relative), spec, variant);
  HEARTH_RETURN_IF_ERROR(file->Begin(title));
  return std::unique_ptr<FeedFile>(std::move(file));
}

}  // namespace hearth::gen
