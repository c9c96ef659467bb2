#include "cli/output.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ostream>

#include "core/messages.h"
#include "core/text.h"

namespace hearth::cli {
namespace {

bool IsWide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

// Decodes one code point at `i` and advances `i`; invalid bytes count as one column.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  uint32_t cp = extra == 0 ? c : (c & (0x3F >> extra));
  ++i;
  for (int k = 0; k < extra && i < s.size(); ++k, ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

void Pad(std::ostream& out, int n) {
  for (int i = 0; i < n; ++i) out << ' ';
}

}  // namespace

int DisplayWidth(std::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) width += IsWide(NextCodePoint(utf8, i)) ? 2 : 1;
  return width;
}

void TextTable::AlignRight(size_t column) {
  if (right_.size() <= column) right_.resize(column + 1, false);
  right_[column] = true;
}

namespace {

// A cell on one line of the console: a line break or tab inside it (a header wrapped in its
// Excel cell, "户主\n姓名") becomes a space.
std::string OneLine(const std::string& cell) {
  if (cell.find_first_of("\r\n\t") == std::string::npos) return cell;
  std::string out;
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n') continue;
    out.push_back(cell[i] == '\r' || cell[i] == '\n' || cell[i] == '\t' ? ' ' : cell[i]);
  }
  return out;
}

std::vector<std::string> OneLine(const std::vector<std::string>& cells) {
  std::vector<std::string> out;
  out.reserve(cells.size());
  for (const std::string& cell : cells) out.push_back(OneLine(cell));
  return out;
}

}  // namespace

void TextTable::Print(std::ostream& out) const {
  std::vector<int> widths(headers_.size(), 0);
  const std::vector<std::string> headers = OneLine(headers_);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(rows_.size());
  for (const auto& r : rows_) rows.push_back(OneLine(r));
  auto measure = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(cells[c]));
  };
  measure(headers);
  for (const auto& r : rows) measure(r);
  auto print_row = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : std::string();
      int pad = widths[c] - DisplayWidth(cell);
      bool right = c < right_.size() && right_[c];
      if (right) Pad(out, pad);
      out << cell;
      if (c + 1 < widths.size()) {
        if (!right) Pad(out, pad);
        out << "  ";
      }
    }
    out << '\n';
  };
  print_row(headers);
  std::vector<std::string> rule;
  for (int w : widths) rule.push_back(std::string(static_cast<size_t>(w), '-'));
  print_row(rule);
  for (const auto& r : rows) print_row(r);
}

namespace {

// A cell of a numeric column as a number ("1,234.50" -> 1234.5); false for text ("-", "无").
bool AsNumber(const std::string& cell, double* value) {
  std::string digits;
  for (char c : cell) {
    if (c != ',') digits += c;
  }
  if (digits.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(digits.c_str(), &end);
  return end == digits.c_str() + digits.size();
}

}  // namespace

Status TextTable::WriteXlsx(const std::string& path, const std::string& sheet) const {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return Error(StatusCode::kIoError, Msg::kCliXlsxFailed, path, "workbook_new");
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t c = 0; c < headers_.size(); ++c) {
    auto col = static_cast<lxw_col_t>(c);
    worksheet_write_string(ws, 0, col, headers_[c].c_str(), bold);
    int width = DisplayWidth(headers_[c]);
    for (const auto& r : rows_) width = std::max(width, c < r.size() ? DisplayWidth(r[c]) : 0);
    worksheet_set_column(ws, col, col, std::min(width, 80) + 2, nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  for (size_t r = 0; r < rows_.size(); ++r) {
    for (size_t c = 0; c < rows_[r].size() && c < headers_.size(); ++c) {
      auto row = static_cast<lxw_row_t>(r + 1);
      auto col = static_cast<lxw_col_t>(c);
      double number = 0;
      bool numeric = c < right_.size() && right_[c] && AsNumber(rows_[r][c], &number);
      if (numeric) {
        worksheet_write_number(ws, row, col, number, nullptr);
      } else {
        // Indentation shows hierarchy on a terminal; in a workbook it would break lookups.
        std::string text(TrimSpace(rows_[r][c]));
        worksheet_write_string(ws, row, col, text.c_str(), nullptr);
      }
    }
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Error(StatusCode::kIoError, Msg::kCliXlsxFailed, path, lxw_strerror(err));
  return Status::Ok();
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

ProgressBar::ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}
ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t done, uint64_t total, std::string_view label) {
  if (!enabled_) return;
  int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
  int filled = percent * 30 / 100;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(30 - filled), '.');
  std::fprintf(stderr, "\r%.*s [%s] %3d%%  ", static_cast<int>(label.size()), label.data(), bar.c_str(), percent);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace hearth::cli
