// Registry benchmarks on a generated population:
//   BM_Generate        `hearth generate` for N households x 12 months (registry, feeds, truth)
//   BM_RegistryImport  init + divisions + `hearth import registry` of those N households
// N comes from HEARTH_BENCH_HOUSEHOLDS (default 1,000,000); the work directory from
// HEARTH_BENCH_DIR (default /tmp/hearth-bench). Each runs once (the sizes are large).
//   build/bench/registry_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>

#include "bench/bench_env.h"
#include "core/clock.h"
#include "core/paths.h"
#include "generate/generator.h"
#include "ingest/divisions.h"
#include "ingest/registry_import.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

int64_t Households() { return bench::EnvInt("HEARTH_BENCH_HOUSEHOLDS", 1'000'000); }
using bench::WorkDir;

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

fs::path PopulationDir() { return WorkDir() / ("pop-" + std::to_string(Households())); }

void BM_Generate(benchmark::State& state) {
  GenerateOptions o;
  o.households = Households();
  o.seed = 1;
  o.out = PopulationDir();
  o.data_dir = FindDataDir("").value();
  for (auto _ : state) {
    fs::remove_all(o.out);
    GenerateSummary summary;
    Status s = Generate(o, {}, &summary);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    state.counters["persons"] = static_cast<double>(summary.persons);
    state.counters["feed_rows"] = static_cast<double>(summary.feed_rows);
  }
  state.counters["households"] = static_cast<double>(o.households);
  state.counters["peak_rss_mb"] = PeakRssMb();
}

void BM_RegistryImport(benchmark::State& state) {
  fs::path dir = PopulationDir();
  if (!fs::exists(dir / "registry")) {
    GenerateOptions o;
    o.households = Households();
    o.seed = 1;
    o.out = dir;
    o.data_dir = FindDataDir("").value();
    if (Status s = Generate(o, {}, nullptr); !s.ok()) return state.SkipWithError(s.ToString().c_str());
  }
  fs::path db = WorkDir() / "registry-bench.db";
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
    state.ResumeTiming();
    auto store = OpenStore(db.string(), OpenMode::kCreate);
    if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
    if (!LoadDivisions(**store, FindDataDir("").value() / "admin-divisions").ok()) return state.SkipWithError("divisions");
    auto report = ImportRegistry(**store, dir / "registry", RegistryImportOptions{});
    if (!report.ok()) return state.SkipWithError(report.status().ToString().c_str());
    rows = report->Sum(&FileReport::accepted);
    if (report->Sum(&FileReport::rejected) != 0) state.SkipWithError("rejected rows in generated registry");
  }
  state.counters["households"] = static_cast<double>(Households());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["peak_rss_mb"] = PeakRssMb();
  state.counters["db_bytes_per_household"] = static_cast<double>(fs::file_size(db)) / static_cast<double>(Households());
}

BENCHMARK(BM_Generate)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_RegistryImport)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace hearth

BENCHMARK_MAIN();
