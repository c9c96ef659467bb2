#include "core/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "core/messages.h"

namespace hearth {
namespace {

std::filesystem::path ExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

bool LooksLikeDataDir(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p / "admin-divisions", ec);
}

}  // namespace

StatusOr<std::filesystem::path> FindDataDir(const std::string& override_dir) {
  std::vector<std::filesystem::path> candidates;
  if (!override_dir.empty()) {
    candidates.emplace_back(override_dir);
  } else {
    if (const char* env = std::getenv("HEARTH_DATA"); env != nullptr && *env != '\0') {
      candidates.emplace_back(env);
    }
    auto exe_dir = ExecutableDir();
    if (!exe_dir.empty()) {
      candidates.push_back(exe_dir / ".." / "data");
      candidates.push_back(exe_dir / ".." / "share" / "hearth" / "data");
    }
#ifdef HEARTH_SOURCE_DATA_DIR
    candidates.emplace_back(HEARTH_SOURCE_DATA_DIR);
#endif
  }
  std::string tried;
  for (const auto& c : candidates) {
    if (LooksLikeDataDir(c)) return std::filesystem::weakly_canonical(c);
    if (!tried.empty()) tried += ", ";
    tried += c.string();
  }
  return Error(StatusCode::kNotFound, Msg::kDataDirMissing, tried);
}

}  // namespace hearth
