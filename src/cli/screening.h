// Re-screening after an import: the hook that `hearth import feed` and `hearth import undo`
// hand to the feed import, which calls it for the households a file touched, inside the
// file's transaction. Today it refreshes the comparison findings (src/findings); the engine's
// per-household screening joins it when the engine lands.
#pragma once

#include <string>

#include "cli/commands.h"
#include "feeds/feed_import.h"

namespace hearth::cli {

struct ScreenCounts {
  int64_t households = 0;
  int64_t opened = 0, updated = 0, closed = 0;
};

//! The hook, with the policy from `policy_path` (empty: the default policy of the data dir);
//! counts what it did into `*counts`. Fails (exit 1) when the policy cannot be read.
ScreenHook MakeScreenHook(const GlobalOptions& global, const std::string& policy_path, ScreenCounts* counts);

}  // namespace hearth::cli
