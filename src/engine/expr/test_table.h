// Column data for the catalog of test_catalog.h, for the evaluator tests of this folder.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
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
