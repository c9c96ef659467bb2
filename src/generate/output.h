// The files a run writes, appended to block by block in order: plain UTF-8 text files
// (registry, truth) and the monthly feed files (CSV or XLSX in the shape of their variant).
// Not thread-safe: one thread at a time uses a file (different files may be written by
// different threads).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "generate/feeds.h"

namespace hearth::gen {

//! A buffered output file. Errors: kind "gen_write" naming the path.
class TextFile {
 public:
  static StatusOr<std::unique_ptr<TextFile>> Create(const std::filesystem::path& path);
  ~TextFile();
  TextFile(const TextFile&) = delete;
  TextFile& operator=(const TextFile&) = delete;

  Status Write(std::string_view bytes);
  //! Flushes and closes; further writes fail.
  Status Close();
  const std::filesystem::path& path() const { return path_; }

 private:
  TextFile(std::filesystem::path path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  std::filesystem::path path_;
  std::FILE* file_;
};

//! A deliberate fault as the manifest lists it.
struct FaultRecord {
  std::string file;  //!< relative to the output directory, '/' separated
  int64_t line = 0;  //!< 1-based: CSV line or XLSX row
  FaultKind kind = FaultKind::kIdChecksum;
};

//! One monthly feed file.
class FeedFile {
 public:
  virtual ~FeedFile() = default;
  //! Creates the file and writes the title row (if any) and the header. `received` becomes
  //! the creation time inside an XLSX file (never the clock: the bytes depend on the seed only).
  static StatusOr<std::unique_ptr<FeedFile>> Open(const std::filesystem::path& path, std::string relative,
                                                  const FeedSpec& spec, const FileVariant& variant,
                                                  const std::string& title, Date received);
  //! Appends the rows of one block; records its faults with their lines.
  virtual Status Append(const FeedChunk& chunk) = 0;
  //! Writes the 合计 row (if any) and closes the file.
  virtual Status Close() = 0;

  int64_t rows() const { return rows_; }
  int64_t header_line() const { return header_line_; }
  const std::string& relative() const { return relative_; }
  //! The deliberate faults written so far, by line.
  const std::vector<FaultRecord>& faults() const { return faults_; }

 protected:
  FeedFile(std::string relative, const FeedSpec& spec, const FileVariant& variant)
      : relative_(std::move(relative)), spec_(spec), variant_(variant), sums_(spec.columns.size(), 0) {}
  void Count(const FeedChunk& chunk);
  //! The cells of the 合计 row: "合计", the number of rows, and the sums of money columns.
  std::vector<Cell> TotalRow() const;

  std::string relative_;
  const FeedSpec& spec_;
  FileVariant variant_;
  int64_t header_line_ = 1;
  int64_t rows_ = 0;
  std::vector<int64_t> sums_;
  std::vector<FaultRecord> faults_;
};

}  // namespace hearth::gen
