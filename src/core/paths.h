// Where Hearth finds its data files (admin divisions, default policy, feed definitions).
#pragma once

#include <filesystem>
#include <string>

#include "core/status.h"

namespace hearth {

//! The data directory, first of: `override_dir` when not empty; $HEARTH_DATA; <exe>/../data;
//! <exe>/../share/hearth/data; the source tree's data/ (builds run from a checkout).
//! Fails with kind "data_dir_missing" naming the places looked at.
StatusOr<std::filesystem::path> FindDataDir(const std::string& override_dir);

}  // namespace hearth
