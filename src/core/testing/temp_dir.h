// Test support: a fresh directory for one test, removed when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace hearth::testing {

//! <tmp>/<prefix>_<pid>_<test name, "/" as "_">, created empty; removed with everything in it on
//! destruction.
class ScopedTempDir {
 public:
  explicit ScopedTempDir(const std::string& prefix) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info != nullptr ? info->name() : "none";
    std::replace(test.begin(), test.end(), '/', '_');  // a parameterised test is "Name/3"
    path_ = std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()) + "_" + test);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScopedTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

//! <tmp>/<prefix>_<pid>, created once for the whole test program and removed with everything
//! in it when the program ends: for helpers that hand out paths outside any one test.
//!
//!   std::filesystem::path TempPath(std::string_view name) {
//!     static const ProcessTempDir dir("hearth_xlsx_test");
//!     return dir.path() / name;
//!   }
class ProcessTempDir {
 public:
  explicit ProcessTempDir(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ProcessTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ProcessTempDir(const ProcessTempDir&) = delete;
  ProcessTempDir& operator=(const ProcessTempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace hearth::testing
