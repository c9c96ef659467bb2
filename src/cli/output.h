// Output helpers for the command line: aligned text tables (CJK characters count two
// columns), number formatting, and a progress bar for long work on a terminal.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::cli {

//! Display width of UTF-8 text in a terminal (East Asian wide characters count 2).
int DisplayWidth(std::string_view utf8);

//! A table printed with aligned columns. Numeric columns are right-aligned.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  //! Right-aligns column `column`.
  void AlignRight(size_t column);
  void Print(std::ostream& out) const;
  //! Writes the table as an Excel workbook with one sheet: a bold, frozen header row; cells
  //! of right-aligned columns that hold numbers ("1,234.50" too) written as numbers. Kind
  //! "xlsx_write_failed".
  Status WriteXlsx(const std::string& path, const std::string& sheet) const;
  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> right_;
};

//! 1234567 -> "1,234,567".
std::string Thousands(int64_t n);

//! A one-line progress bar on stderr, drawn only when stderr is a terminal.
class ProgressBar {
 public:
  ProgressBar();
  ~ProgressBar();
  //! Redraws with `done` of `total` for `label`.
  void Update(uint64_t done, uint64_t total, std::string_view label);
  //! Clears the line.
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace hearth::cli
