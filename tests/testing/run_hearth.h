// Running the real `hearth` binary from an end-to-end test: one command line, its exit code and
// what it printed (stdout and stderr together), with the language fixed.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace hearth::testing {

struct CmdResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

//! `s` quoted for /bin/sh.
inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

//! Runs `binary --lang LANG ARGS` (ARGS already quoted as needed) with LANG/LC_ALL cleared.
inline CmdResult RunHearth(const std::string& binary, const std::string& args, const std::string& lang) {
  std::string cmd = std::string("LANG= LC_ALL= ") + Quote(binary) + " --lang " + lang + " " + args + " 2>&1";
  CmdResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace hearth::testing
