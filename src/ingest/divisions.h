// Administrative divisions (五级区划) from the vendored NBS files in data/admin-divisions/:
// provinces.csv, prefectures.csv, counties.csv, townships.csv, villages.csv (code,name,...).
#pragma once

#include <filesystem>

#include "store/store.h"

namespace hearth {

struct DivisionCounts {
  int64_t provinces = 0, prefectures = 0, counties = 0, townships = 0, villages = 0;
};

//! Reads the five files of `dir` and loads them into the store in one transaction. Each code
//! must be well-formed, at the file's level, and inside an area loaded before it. Fails with
//! kind "divisions_invalid" naming file and line, or the readers' errors.
StatusOr<DivisionCounts> LoadDivisions(Store& store, const std::filesystem::path& dir);

}  // namespace hearth
