// Settings every benchmark reads from the environment.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>

namespace hearth::bench {

//! The integer in environment variable `name`, or `fallback`.
inline int64_t EnvInt(const char* name, int64_t fallback) {
  const char* env = std::getenv(name);
  return env != nullptr ? std::atoll(env) : fallback;
}

//! Where benchmarks keep their generated data: $HEARTH_BENCH_DIR, default /tmp/hearth-bench
//! (created).
inline std::filesystem::path WorkDir() {
  const char* env = std::getenv("HEARTH_BENCH_DIR");
  std::filesystem::path dir = env != nullptr ? std::filesystem::path(env) : std::filesystem::path("/tmp/hearth-bench");
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace hearth::bench
