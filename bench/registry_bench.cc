// Registry benchmarks on a generated population:
//   BM_Generate                `hearth generate` for N households x 12 months (registry, feeds, truth)
//   BM_RegistryImport          init + divisions + `hearth import registry` of those N households
//                              into a fresh SQLite file
//   BM_RegistryImportPostgres  the same into a fresh PostgreSQL database (hearth_registry_bench)
//                              on the server HEARTH_BENCH_PG names: a URI base such as
//                              postgresql://postgres@/postgres?host=/tmp/pg&port=5432, or the
//                              path of a file holding one (scripts/pg-test-server start DIR writes
//                              DIR/uri); skipped when unset
// N comes from HEARTH_BENCH_HOUSEHOLDS (default 1,000,000); the work directory from
// HEARTH_BENCH_DIR (default /tmp/hearth-bench). Each runs once (the sizes are large).
//   build/bench/registry_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

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

// The server's URI base from HEARTH_BENCH_PG (a URI, or a file holding one); empty when unset.
std::string PostgresServer() {
  const char* env = std::getenv("HEARTH_BENCH_PG");
  if (env == nullptr || *env == '\0') return "";
  std::string value = env;
  if (value.starts_with("postgres")) return value;
  std::ifstream in(value);
  std::string uri;
  std::getline(in, uri);
  return uri;
}

// `base` with its database replaced by `database`.
std::string WithDatabase(const std::string& base, const std::string& database) {
  size_t authority = base.find("://") + 3;
  size_t path = base.find_first_of("/?", authority);
  if (path == std::string::npos) return base + "/" + database;
  size_t query = base.find('?', path);
  return base.substr(0, path) + "/" + database + (query == std::string::npos ? "" : base.substr(query));
}

// Runs one statement on the server's maintenance database; the error text, or "".
std::string Admin(const std::string& server, const std::string& sql, std::string* value = nullptr) {
  PGconn* conn = PQconnectdb(WithDatabase(server, "postgres").c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
    if (value != nullptr && PQntuples(r) > 0) *value = PQgetvalue(r, 0, 0);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

void BM_RegistryImportPostgres(benchmark::State& state) {
  const std::string server = PostgresServer();
  if (server.empty()) {
    return state.SkipWithError("no PostgreSQL server: set HEARTH_BENCH_PG (e.g. scripts/pg-test-server start DIR, "
                               "then HEARTH_BENCH_PG=DIR/uri)");
  }
  fs::path dir = PopulationDir();
  if (!fs::exists(dir / "registry")) {
    GenerateOptions o;
    o.households = Households();
    o.seed = 1;
    o.out = dir;
    o.data_dir = FindDataDir("").value();
    if (Status s = Generate(o, {}, nullptr); !s.ok()) return state.SkipWithError(s.ToString().c_str());
  }
  const std::string database = "hearth_registry_bench";
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (std::string e = Admin(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"); !e.empty()) {
      return state.SkipWithError(e.c_str());
    }
    state.ResumeTiming();
    // Like `hearth init`: the database is created (it does not exist), migrated, divisions loaded.
    auto store = OpenStore(WithDatabase(server, database), OpenMode::kCreate);
    if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
    if (!LoadDivisions(**store, FindDataDir("").value() / "admin-divisions").ok()) return state.SkipWithError("divisions");
    auto report = ImportRegistry(**store, dir / "registry", RegistryImportOptions{});
    if (!report.ok()) return state.SkipWithError(report.status().ToString().c_str());
    for (const FileReport& f : report->files) {
      if (!f.refusal.ok()) return state.SkipWithError(f.refusal.ToString().c_str());
    }
    rows = report->Sum(&FileReport::accepted);
    if (report->Sum(&FileReport::rejected) != 0) state.SkipWithError("rejected rows in generated registry");
  }
  std::string bytes = "0";
  Admin(server, "SELECT pg_database_size('" + database + "')", &bytes);
  state.counters["households"] = static_cast<double>(Households());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["peak_rss_mb"] = PeakRssMb();
  state.counters["db_bytes_per_household"] = std::atof(bytes.c_str()) / static_cast<double>(Households());
}

BENCHMARK(BM_Generate)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_RegistryImport)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_RegistryImportPostgres)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace hearth

BENCHMARK_MAIN();
