// `hearth generate`: a synthetic rural population of southern Xinjiang and its future.
//
// Writes, under options.out:
//   registry/家庭.csv, registry/家庭成员.csv, registry/收入.csv   the registry at the start (CSV,
//       UTF-8; income of the year before the start)
//   feeds/YYYY-MM/<kind>.csv|xlsx   what each department sends for each month of the run
//   truth.csv                       per household and month: true income and rigid spending
//                                   per person over the last 12 months (fen)
//   manifest.json                   every file with its shape and received date, and the
//                                   deliberate faults (file, line, kind)
// The bytes depend only on the options other than `threads` and `out` (never on the clock).
// docs/GENERATOR.md states the distributions and their sources.
//
//   GenerateOptions o;
//   o.households = 20000;
//   o.seed = 7;
//   o.out = "/tmp/pop";
//   GenerateSummary summary;
//   Status s = Generate(o, [](int64_t done, int64_t total) { ... }, &summary);
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/date.h"
#include "core/status.h"
#include "generate/stats.h"

namespace hearth {

struct GenerateOptions {
  int64_t households = 0;  //!< 1..kMaxHouseholds
  uint64_t seed = 0;
  int months = 12;  //!< 1..kMaxMonths
  //! First month of the run (its day is ignored). Default: 2025-01-01, fixed, never today.
  Date start = Date::FromCivil(2025, 1, 1);
  //! An area-code prefix of Xinjiang ("6532", "653221" ...). Default: "" = the four southern
  //! prefectures 6529, 6530, 6531, 6532.
  std::string region;
  std::filesystem::path out;       //!< created if missing; must be empty or an earlier output
  std::filesystem::path data_dir;  //!< the data directory (admin-divisions/); Default: FindDataDir
  int threads = 0;                 //!< 0 = one per hardware thread; does not change the output

  static constexpr int64_t kMaxHouseholds = 50'000'000;
  static constexpr int kMaxMonths = 120;
};

//! Called after each batch of households is written, from the calling thread.
using GenerateProgress = std::function<void(int64_t done, int64_t total)>;

//! What a run produced.
struct GenerateSummary {
  int64_t households = 0;
  int64_t persons = 0;        //!< in the registry
  int64_t later_persons = 0;  //!< born or married in during the run (only in the feeds)
  int64_t truth_rows = 0;
  int64_t feed_files = 0;
  int64_t feed_rows = 0;
  int64_t faults = 0;
  gen::PopulationStats stats;
};

//! Generates the population described by `options` (see the file comment). Errors: kinds
//! "gen_households", "gen_months", "gen_start", "gen_threads", "gen_region",
//! "gen_region_too_small", "gen_admin_data", "data_dir_missing", "gen_out_dir", "gen_write",
//! "gen_id_space". `progress` may be empty; `summary` may be null.
Status Generate(const GenerateOptions& options, const GenerateProgress& progress, GenerateSummary* summary = nullptr);

}  // namespace hearth
