// Column data for the catalog of test_catalog.h, for the evaluator tests of this folder.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <utility>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/expr/expr.h"
#include "engine/expr/test_catalog.h"

namespace hearth::expr::testing {

inline constexpr int kColumnCount = 10;

//! Which columns of HouseholdCatalog() are bools.
inline bool IsBoolColumn(int index) { return index == 0 || index == 5; }

//! `rows` rows of every HouseholdCatalog() column, zero-filled.
struct Table {
  explicit Table(size_t rows) : rows(rows), numbers(kColumnCount), bools(kColumnCount) {
    for (int i = 0; i < kColumnCount; ++i) {
      if (IsBoolColumn(i)) {
        bools[i].assign(rows, 0);
      } else {
        numbers[i].assign(rows, 0);
      }
    }
  }

  //! The view the evaluator reads. Invalidated when the vectors are resized.
  Columns View() const {
    Columns cols;
    cols.rows = rows;
    for (int i = 0; i < kColumnCount; ++i) {
      cols.numbers.push_back(IsBoolColumn(i) ? nullptr : numbers[i].data());
      cols.bools.push_back(IsBoolColumn(i) ? bools[i].data() : nullptr);
    }
    return cols;
  }

  size_t rows;
  std::vector<std::vector<int64_t>> numbers;
  std::vector<std::vector<uint8_t>> bools;
};

//! Whether every value of `column` fits a signed integer of `width` bytes (1, 2, 4 or 8).
inline bool FitsWidth(const std::vector<int64_t>& column, int width) {
  if (width >= 8) return true;
  const int64_t max = (int64_t{1} << (8 * width - 1)) - 1;
  for (int64_t v : column) {
    if (v < -max - 1 || v > max) return false;
  }
  return true;
}

//! The smallest width (1, 2, 4 or 8) that holds every value of `column`.
inline int NarrowestWidth(const std::vector<int64_t>& column) {
  for (int width : {1, 2, 4}) {
    if (FitsWidth(column, width)) return width;
  }
  return 8;
}

//! A Table's number columns presented narrower: column i at widths[i] bytes (1, 2 or 4; 8 or
//! 0 keeps it int64, as do bool columns). Each narrowed column must fit its width.
struct NarrowTable {
  NarrowTable(const Table& table, std::vector<int> widths) : table(table), widths(std::move(widths)), data(kColumnCount) {
    for (int i = 0; i < kColumnCount; ++i) {
      const int width = Width(i);
      if (width == 8) continue;
      EXPECT_TRUE(FitsWidth(table.numbers[i], width)) << "column " << i << " width " << width;
      data[i].resize(table.rows * static_cast<size_t>(width) + 1);  // never empty: data() is not null
      for (size_t r = 0; r < table.rows; ++r) {
        const int64_t v = table.numbers[i][r];
        if (width == 1) Store(i, r, static_cast<int8_t>(v));
        if (width == 2) Store(i, r, static_cast<int16_t>(v));
        if (width == 4) Store(i, r, static_cast<int32_t>(v));
      }
    }
  }

  //! The width column i is presented at: 1, 2, 4 or 8.
  int Width(int i) const {
    if (IsBoolColumn(i) || static_cast<size_t>(i) >= widths.size()) return 8;
    const int w = widths[static_cast<size_t>(i)];
    return w == 1 || w == 2 || w == 4 ? w : 8;
  }

  //! The view the evaluator reads: narrowed columns have numbers[i] == nullptr.
  Columns View() const {
    Columns cols = table.View();
    cols.narrow.resize(kColumnCount);
    for (int i = 0; i < kColumnCount; ++i) {
      if (Width(i) == 8) continue;
      cols.numbers[i] = nullptr;
      cols.narrow[i] = Columns::Narrow{data[i].data(), Width(i)};
    }
    return cols;
  }

  template <typename T>
  void Store(int i, size_t r, T v) {
    std::memcpy(data[i].data() + r * sizeof(T), &v, sizeof(T));
  }

  const Table& table;
  std::vector<int> widths;
  std::vector<std::vector<char>> data;
};

//! Compiles a rule that must compile; otherwise fails the current test and returns `true`.
inline Program MustCompile(std::string_view text, const Catalog& catalog) {
  auto result = Compile(text, catalog);
  if (auto* problems = std::get_if<std::vector<Problem>>(&result)) {
    ADD_FAILURE() << text << ": " << (*problems)[0].message;
    return std::get<Program>(Compile("true", catalog));
  }
  return std::get<Program>(std::move(result));
}

}  // namespace hearth::expr::testing
