#include "ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/messages.h"
#include "ingest/row_cells.h"

namespace hearth {
namespace {

constexpr size_t kDetectBytes = 64 * 1024;
constexpr size_t kMaxUtf8Carry = 3;

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size, std::string name) : fd_(fd), size_(size), name_(std::move(name)) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  StatusOr<size_t> Read(char* buffer, size_t n) override {
    while (true) {
      ssize_t got = ::read(fd_, buffer, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return Error(StatusCode::kIoError, Msg::kIoRead, name_, std::strerror(errno));
    }
  }
  uint64_t Size() const override { return size_; }

 private:
  int fd_;
  uint64_t size_;
  std::string name_;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}

  StatusOr<size_t> Read(char* buffer, size_t n) override {
    size_t count = std::min(n, bytes_.size() - offset_);
    std::memcpy(buffer, bytes_.data() + offset_, count);
    offset_ += count;
    return count;
  }
  uint64_t Size() const override { return bytes_.size(); }

 private:
  std::string bytes_;
  size_t offset_ = 0;
};

}  // namespace

StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(StatusCode::kIoError, Msg::kIoOpen, path.string(), std::strerror(errno));
  struct stat info;
  int error = ::fstat(fd, &info) != 0 ? errno : (S_ISDIR(info.st_mode) ? EISDIR : 0);
  if (error == EISDIR) {
    ::close(fd);
    return Error(StatusCode::kInvalidArgument, Msg::kIoDirectory, path.string());
  }
  if (error != 0) {
    ::close(fd);
    return Error(StatusCode::kIoError, Msg::kIoOpen, path.string(), std::strerror(error));
  }
  return std::unique_ptr<ByteSource>(
      std::make_unique<FileSource>(fd, static_cast<uint64_t>(info.st_size), path.string()));
}

std::unique_ptr<ByteSource> MakeStringSource(std::string bytes) {
  return std::make_unique<StringSource>(std::move(bytes));
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, std::string name,
                     const TableOptions& options, size_t chunk_size)
    : source_(std::move(source)),
      name_(std::move(name)),
      encoding_(options.encoding),
      chunk_size_(std::max<size_t>(chunk_size, 1)),
      delimiter_(options.delimiter) {
  for (unsigned char c : {static_cast<unsigned char>(options.delimiter),
                          static_cast<unsigned char>('\r'), static_cast<unsigned char>('\n')}) {
    special_[c] = true;
  }
  raw_.resize(chunk_size_ + kMaxUtf8Carry);
}

CsvReader::~CsvReader() = default;

size_t CsvReader::BufferCapacity() const { return raw_.capacity() + decoded_.capacity(); }

Status CsvReader::Start() {
  HEARTH_RETURN_IF_ERROR(ReadChunk());
  // Excel's and WPS's "Unicode 文本" is UTF-16 (a BOM FF FE or FE FF first): refused by name.
  if (raw_size_ >= 2 && ((static_cast<unsigned char>(raw_[0]) == 0xFF && static_cast<unsigned char>(raw_[1]) == 0xFE) ||
                         (static_cast<unsigned char>(raw_[0]) == 0xFE && static_cast<unsigned char>(raw_[1]) == 0xFF))) {
    return Error(StatusCode::kInvalidArgument, Msg::kCsvUtf16, name_);
  }
  if (encoding_ == Encoding::kAuto) {
    const std::string_view head(raw_.data(), std::min(raw_size_, kDetectBytes));
    encoding_ = DetectEncoding(head);
    // UTF-8 beyond ASCII read: bad bytes later are no GBK file's (a line pasted in GBK, say).
    const std::string_view utf8 = head.substr(0, Utf8ValidPrefix(head));
    utf8_text_seen_ = encoding_ == Encoding::kUtf8 &&
                      std::any_of(utf8.begin(), utf8.end(), [](char c) { return (c & 0x80) != 0; });
  }
  if (encoding_ == Encoding::kGbk) {
    decoder_ = std::make_unique<GbkDecoder>();
    decoded_.reserve(chunk_size_ + chunk_size_ / 2 + 32);  // GBK grows by at most half
  }
  SetWindow();
  return Status::Ok();
}

Status CsvReader::ReadChunk() {
  std::memmove(raw_.data(), raw_.data() + raw_size_ - carry_, carry_);
  size_t filled = carry_;
  const size_t want = carry_ + chunk_size_;
  while (filled < want) {
    HEARTH_ASSIGN_OR_RETURN(size_t got, source_->Read(raw_.data() + filled, want - filled));
    if (got == 0) {
      source_done_ = true;
      break;
    }
    filled += got;
  }
  bytes_read_ += filled - carry_;
  raw_size_ = filled;
  return Status::Ok();
}

void CsvReader::SetWindow() {
  if (encoding_ == Encoding::kGbk) {
    SetWindowGbk();
  } else {
    SetWindowUtf8();
  }
  if (at_start_ && pos_ != end_) {
    at_start_ = false;
    pos_ += Utf8BomLength(std::string_view(pos_, end_ - pos_));
  }
}

void CsvReader::SetWindowUtf8() {
  std::string_view bytes(raw_.data(), raw_size_);
  size_t valid = Utf8ValidPrefix(bytes);
  carry_ = 0;
  if (valid < bytes.size()) {
    std::string_view tail = bytes.substr(valid);
    bool cut_char = !source_done_ && tail.size() <= kMaxUtf8Carry && IsValidUtf8(tail, true);
    if (cut_char) {
      carry_ = tail.size();
    } else {
      bad_bytes_ = true;
    }
  }
  pos_ = raw_.data();
  end_ = raw_.data() + valid;
}

void CsvReader::SetWindowGbk() {
  decoded_.clear();
  Status s = decoder_->Decode(std::string_view(raw_.data(), raw_size_), source_done_, &decoded_);
  if (!s.ok()) {
    bad_bytes_ = true;
    // Not GBK but valid UTF-8: the file is UTF-8 and GBK was asked for (--encoding gbk).
    bad_gbk_is_utf8_ = IsValidUtf8(std::string_view(raw_.data(), raw_size_), !source_done_);
  }
  pos_ = decoded_.data();
  end_ = decoded_.data() + decoded_.size();
}

StatusOr<bool> CsvReader::Refill(size_t column) {
  if (replaying_) {
    replaying_ = false;
    pos_ = saved_pos_;
    end_ = saved_end_;
    if (pos_ != end_) return true;
  }
  while (true) {
    if (bad_bytes_) {
      // The bad bytes follow the text read: they are in the row's cell `column` (0-based).
      const std::string letters = ColumnLetters(static_cast<int>(column));
      // Advice to "use gbk" only helps when GBK was not what failed.
      if (encoding_ == Encoding::kGbk || utf8_text_seen_) {
        if (bad_gbk_is_utf8_) return Error(StatusCode::kInvalidArgument, Msg::kCsvGbkButUtf8, name_, line_);
        return Error(StatusCode::kInvalidArgument, Msg::kCsvEncodingInvalidGbk, name_, line_, letters);
      }
      return Error(StatusCode::kInvalidArgument, Msg::kCsvEncodingInvalid, name_, line_, EncodingName(encoding_),
                   letters);
    }
    if (source_done_) return false;
    HEARTH_RETURN_IF_ERROR(ReadChunk());
    SetWindow();
    if (pos_ != end_) return true;
  }
}

StatusOr<bool> CsvReader::EnsureText() {
  if (pos_ != end_) return true;
  return Refill();
}

Status CsvReader::SkipLineFeedAfterCr() {
  if (!skip_lf_) return Status::Ok();
  HEARTH_ASSIGN_OR_RETURN(bool has_text, EnsureText());
  if (has_text && *pos_ == '\n') ++pos_;
  skip_lf_ = false;
  return Status::Ok();
}

CsvReader::State CsvReader::StepFieldStart() {
  if (*pos_ != '"') return State::kUnquoted;
  ++pos_;
  quote_line_ = line_;
  quoted_line_start_ = 0;
  quoted_breaks_ = 0;
  return State::kQuoted;
}

// A line break was appended to the open quoted cell: the line it ends is looked at.
void CsvReader::NoteQuotedLineBreak(const std::string& cell) {
  const size_t enough = std::max<size_t>(3, last_row_cells_ / 2);
  const auto line = std::string_view(cell).substr(quoted_line_start_);
  const auto delimiters = static_cast<size_t>(std::count(line.begin(), line.end(), delimiter_));
  quoted_line_start_ = cell.size();
  ++quoted_breaks_;
  if (delimiters >= enough || quoted_breaks_ > kMaxQuotedLines) stray_quote_ = true;
}

// The open quoted cell, taken for a stray quote, is put back before the text still to read as
// the file has it (its opening quote, each quote inside doubled again, the closing one if
// `closed`), to be read again from its quote as unquoted text; the cell is emptied.
void CsvReader::ReadQuotedAgainAsText(std::string* cell, bool closed) {
  std::string text;
  text.reserve(cell->size() + 2 + (replaying_ ? static_cast<size_t>(end_ - pos_) : 0));
  text.push_back('"');
  for (char c : *cell) {
    text.push_back(c);
    if (c == '"') text.push_back('"');
  }
  if (closed) text.push_back('"');
  if (replaying_) {
    text.append(pos_, end_);  // the rest of an earlier replay; the chunk's rest stays saved
  } else {
    saved_pos_ = pos_;
    saved_end_ = end_;
    replaying_ = true;
  }
  replay_ = std::move(text);
  pos_ = replay_.data();
  end_ = replay_.data() + replay_.size();
  cell->clear();
  line_ = quote_line_;
  stray_quote_ = false;
}

bool CsvReader::ScanUnquoted(std::string* cell) {
  const char* p = pos_;
  while (p != end_ && !special_[static_cast<unsigned char>(*p)]) ++p;
  cell->append(pos_, p - pos_);
  pos_ = p;
  return p != end_;
}

void CsvReader::ScanQuoted(std::string* cell, State* state) {
  const char* p = pos_;
  while (p != end_ && *p != '"' && *p != '\r' && *p != '\n') ++p;
  cell->append(pos_, p - pos_);
  pos_ = p;
  if (p == end_) return;
  char c = *pos_++;
  if (c == '"') {
    *state = State::kQuoteInQuoted;
    return;
  }
  cell->push_back(c);
  ++line_;
  if (c == '\r') *state = State::kQuotedAfterCr;
  NoteQuotedLineBreak(*cell);
}

void CsvReader::StepQuoted(std::string* cell, State* state) {
  switch (*state) {
    case State::kQuoted:
      ScanQuoted(cell, state);
      return;
    case State::kQuotedAfterCr:
      if (*pos_ == '\n') {
        cell->push_back(*pos_++);
        quoted_line_start_ = cell->size();
      }
      *state = State::kQuoted;
      return;
    case State::kQuoteInQuoted:
      if (*pos_ == '"') {
        cell->push_back(*pos_++);
        *state = State::kQuoted;
      } else {
        *state = State::kUnquoted;  // text after the closing quote is kept as it is
        // ... but after a cell over several lines it means the quote closed was another cell's
        // opening one: the cell began at a stray quote.
        const bool cell_ends = *pos_ == delimiter_ || *pos_ == '\r' || *pos_ == '\n';
        if (quoted_breaks_ > 0 && !cell_ends) stray_quote_ = true;
      }
      return;
    default:
      return;
  }
}

bool CsvReader::EndRow(size_t fields, TableRow* row) {
  row->cells.resize(fields + 1);
  last_row_cells_ = fields + 1;
  return true;
}

StatusOr<bool> CsvReader::Next(TableRow* row) {
  HEARTH_RETURN_IF_ERROR(SkipLineFeedAfterCr());
  HEARTH_ASSIGN_OR_RETURN(bool has_text, EnsureText());
  if (!has_text) return false;
  row->line = line_;
  row->open_quote_cell = -1;
  size_t fields = 0;
  std::string* cell = ResetCell(row, 0);
  State state = State::kFieldStart;
  while (true) {
    if (pos_ == end_) {
      HEARTH_ASSIGN_OR_RETURN(bool more, Refill(fields));
      const bool in_quotes = state == State::kQuoted || state == State::kQuotedAfterCr;
      if (!more && !in_quotes) return EndRow(fields, row);
      if (!more) stray_quote_ = true;  // the file ended inside the quoted cell
    }
    if (stray_quote_) {
      ReadQuotedAgainAsText(cell, /*closed=*/state == State::kUnquoted);
      if (row->open_quote_cell < 0) row->open_quote_cell = static_cast<int>(fields);
      state = State::kUnquoted;
      continue;
    }
    if (state == State::kFieldStart) {
      state = StepFieldStart();
    } else if (state != State::kUnquoted) {
      StepQuoted(cell, &state);
    } else if (ScanUnquoted(cell)) {
      char c = *pos_++;
      if (c == delimiter_) {
        cell = ResetCell(row, ++fields);
        state = State::kFieldStart;
        continue;
      }
      ++line_;
      skip_lf_ = c == '\r';
      return EndRow(fields, row);
    }
  }
}

StatusOr<std::unique_ptr<TableReader>> OpenCsvFile(const std::filesystem::path& path,
                                                   const TableOptions& options) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  auto reader = std::make_unique<CsvReader>(std::move(source), path.string(), options);
  HEARTH_RETURN_IF_ERROR(reader->Start());
  return std::unique_ptr<TableReader>(std::move(reader));
}

}  // namespace hearth
