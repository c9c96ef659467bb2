// Helpers shared by the table readers and header matching (internal to ingest).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/messages.h"
#include "ingest/table.h"

namespace hearth {

//! The cell `index` of `row`, emptied; reuses the string (and its capacity) left by an earlier
//! row when there is one, else appends. `index` is at most row->cells.size().
inline std::string* ResetCell(TableRow* row, size_t index) {
  if (index < row->cells.size()) {
    row->cells[index].clear();
  } else {
    row->cells.emplace_back();
  }
  return &row->cells[index];
}

//! The spreadsheet letters of a 0-based column index: 0 -> "A", 25 -> "Z", 26 -> "AA".
inline std::string ColumnLetters(int index) {
  std::string letters;
  for (int n = index + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

//! Joins names for a message: "a、b" in Chinese, "a, b" in English.
inline std::string JoinList(const std::vector<std::string>& items) {
  std::string_view separator = CurrentLanguage() == Lang::kZh ? "、" : ", ";
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(separator);
    out.append(item);
  }
  return out;
}

}  // namespace hearth
