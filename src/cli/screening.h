// Re-screening after an import: the hook that `hearth import feed` and `hearth import undo`
// hand to the feed import, which calls it for the households a file touched, inside the
// file's transaction. It refreshes the comparison findings (src/findings) and re-screens the
// warnings of those households with the engine (src/engine): the same feature function and
// rules as `hearth screen`, so one-shot imports and full screens agree.
#pragma once

#include <string>

#include "cli/commands.h"
#include "feeds/feed_import.h"
#include "findings/findings.h"
#include "policy/policy.h"

namespace hearth::cli {

struct ScreenCounts {
  int64_t households = 0;
  int64_t opened = 0, updated = 0, closed = 0;  //!< findings
  int64_t warnings_opened = 0, warnings_updated = 0, warnings_closed = 0;
};

//! The hook, with the policy from `policy_path` (empty: the default policy of the data dir);
//! counts what it did into `*counts`. Fails (exit 1) when the policy cannot be read or its
//! rules do not compile.
ScreenHook MakeScreenHook(const GlobalOptions& global, const std::string& policy_path, ScreenCounts* counts);

//! Prints what the hook did: findings and warnings opened, updated, closed.
void PrintScreened(const ScreenCounts& counts);

//! Re-derives the findings of `codes` as of `as_of` under `policy` in a transaction of its own,
//! recorded as a "findings-refresh" import (area `area_code`). Fails (exit 1) on a store error.
RefreshCounts RefreshAndRecord(Store& store, const std::vector<std::string>& codes, const Policy& policy, Date as_of,
                               const std::string& area_code);

//! After a registry import that changed the registry: the households it changed (`changed`) and
//! those with open findings are compared again (what the registry now says opens, updates or
//! closes findings: a dead member removed closes 死亡未减员, an income now below the line with no
//! assistance opens one), as of ScreeningAsOf(`received`), under the default policy, and what was
//! done is printed. Nothing when there is no such household.
void RefreshChangedHouseholds(const GlobalOptions& global, Store& store, Date received,
                              const std::vector<std::string>& changed);

}  // namespace hearth::cli
