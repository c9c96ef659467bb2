// Helpers shared by the table readers (internal to ingest).
#pragma once

#include <cstddef>
#include <string>

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

}  // namespace hearth
