// The CSV reader behind OpenTable (internal to ingest; use OpenTable).
//
// RFC 4180 with the leniency offices need: LF, CRLF or lone CR line ends; a last line
// without a newline; a quote inside an unquoted cell, or text after a closing quote, is kept
// as text. The bytes are read in chunks, decoded (GBK chunk by chunk) and cut into cells by a
// state machine that appends whole spans, so memory stays bounded by the chunk size and the
// longest row.
//
// A quoted cell may hold line breaks (an address on two lines), but a stray quote that opens a
// cell and is never closed would swallow the rest of the file into that cell. A quoted cell is
// taken for such a stray quote (TableRow::open_quote_cell) when, running over a line break, it
// holds a line with as many delimiters as half the cells of the row before (at least 3) — the
// rest of its own row or a whole row after it —, or text follows its closing quote, or it
// spans more than kMaxQuotedLines lines, or the file ends inside it. Its row then ends at its
// line, the quote read as text, and the lines after it are read again as rows of their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/status.h"
#include "core/text.h"
#include "ingest/table.h"

namespace hearth {

//! A source of bytes: a file, or memory in tests.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  //! Reads up to `n` bytes into `buffer`; 0 at the end. Errors: "io_read".
  virtual StatusOr<size_t> Read(char* buffer, size_t n) = 0;
  //! Size in bytes of the whole source.
  virtual uint64_t Size() const = 0;
};

//! Opens a file for reading. Errors: "io_open".
StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(const std::filesystem::path& path);
//! A source over bytes held in memory.
std::unique_ptr<ByteSource> MakeStringSource(std::string bytes);

constexpr size_t kCsvChunkSize = 256 * 1024;
//! Lines a quoted cell may span before its quote is taken for a stray one.
constexpr int kMaxQuotedLines = 100;

//! Reads one CSV source; use from one thread at a time.
class CsvReader final : public TableReader {
 public:
  //! Reads from `source`; `name` names it in messages. `chunk_size` bytes are read at a time
  //! (the encoding is detected on the first chunk's first 64 KiB).
  CsvReader(std::unique_ptr<ByteSource> source, std::string name, const TableOptions& options,
            size_t chunk_size = kCsvChunkSize);
  ~CsvReader() override;
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  //! Reads the first chunk and settles the encoding. Call once before Next.
  Status Start();

  StatusOr<bool> Next(TableRow* row) override;
  uint64_t BytesRead() const override { return bytes_read_; }
  uint64_t TotalBytes() const override { return source_->Size(); }
  Encoding encoding() const override { return encoding_; }
  std::string_view format() const override { return "csv"; }
  std::string_view name() const override { return name_; }

  //! Bytes held by the reader's buffers (for tests that check memory stays bounded).
  size_t BufferCapacity() const;

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuotedAfterCr, kQuoteInQuoted };

  StatusOr<bool> EnsureText();
  //! More text, false at the end; an error names the line and `column` (of the row being read).
  StatusOr<bool> Refill(size_t column = 0);
  Status ReadChunk();
  void SetWindow();
  void SetWindowUtf8();
  void SetWindowGbk();
  Status SkipLineFeedAfterCr();

  State StepFieldStart();
  bool ScanUnquoted(std::string* cell);
  void ScanQuoted(std::string* cell, State* state);
  void StepQuoted(std::string* cell, State* state);
  void NoteQuotedLineBreak(const std::string& cell);
  void ReadQuotedAgainAsText(std::string* cell, bool closed);
  bool EndRow(size_t fields, TableRow* row);

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  Encoding encoding_;
  size_t chunk_size_;
  char delimiter_;
  bool special_[256] = {};  // bytes that end an unquoted span: delimiter, CR, LF

  std::string raw_;       // the bytes of the current chunk, after a carried UTF-8 tail
  size_t raw_size_ = 0;   // valid bytes in raw_
  size_t carry_ = 0;      // bytes of a cut-off UTF-8 character at the end of raw_
  std::string decoded_;   // the current chunk as UTF-8, for GBK input
  std::unique_ptr<GbkDecoder> decoder_;
  const char* pos_ = nullptr;  // the unparsed text of the current chunk
  const char* end_ = nullptr;
  bool at_start_ = true;       // no text seen yet (a BOM may follow)
  bool source_done_ = false;
  bool bad_bytes_ = false;     // undecodable bytes follow the current text
  bool bad_gbk_is_utf8_ = false;  // the undecodable chunk was valid UTF-8 (GBK forced on a UTF-8 file)
  bool utf8_text_seen_ = false;   // detected as UTF-8 on text beyond ASCII: the file is no GBK one
  bool skip_lf_ = false;       // the last row ended with CR: a following LF belongs to it

  int64_t line_ = 1;           // physical line at pos_
  int64_t quote_line_ = 0;     // line where the open quoted cell started
  size_t quoted_line_start_ = 0;  // where in the open quoted cell its current line begins
  int quoted_breaks_ = 0;         // line breaks in the open quoted cell
  bool stray_quote_ = false;      // the open quoted cell was taken for a stray quote
  size_t last_row_cells_ = 0;     // cells of the row read before

  // Text read again (a stray quote's cell) before the rest of the chunk, which waits in saved_*.
  std::string replay_;
  bool replaying_ = false;
  const char* saved_pos_ = nullptr;
  const char* saved_end_ = nullptr;
  uint64_t bytes_read_ = 0;
};

//! Opens a CSV file. `options.delimiter` and `options.encoding` apply.
StatusOr<std::unique_ptr<TableReader>> OpenCsvFile(const std::filesystem::path& path,
                                                   const TableOptions& options);

}  // namespace hearth
