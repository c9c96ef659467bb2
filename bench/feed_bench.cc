// Department-feed import benchmarks (`hearth import feed medical-claims FILE`) against a
// registry of HEARTH_BENCH_HOUSEHOLDS generated households (default 1,000,000):
//   BM_FeedImportCsv/ROWS           parse, validate, link, dedupe, commit (--no-screen)
//   BM_FeedImportXlsx/ROWS          the same rows as an XLSX workbook (shared strings, as Excel writes)
//   BM_FeedImportCsvScreened/ROWS   with findings screening on (RefreshFindings, default policy)
//   BM_FeedReimportCsvSame/ROWS     the identical file again (same digest: read and checked, nothing written)
//   BM_FeedReimportCsvDuplicates/ROWS  the same rows in a file with other bytes (another header
//                                      alias): every row looked up and found a known fact
// ROWS come from HEARTH_BENCH_FEED_ROWS (default "100000,1000000"). Every iteration imports
// into a fresh copy of the registry database (copied with the timer paused); the timed part is
// open + ImportFeed + close (the close checkpoints the WAL into the database file).
//
// Data, kept under HEARTH_BENCH_DIR (default /tmp/hearth-bench) and reused when present:
//   pop-N/                       `hearth generate --seed 1` of N households (as registry_bench)
//   feeds-N/registry.db          init + divisions + the generated registry
//   feeds-N/claims-ROWS.csv|.xlsx  medical claims of registered persons (read from the
//                                generated 家庭成员.csv), 0.2 % bad rows (see WriteFeeds)
//   feeds-N/claims-ROWS-dup.csv  the same rows under the header alias 身份证号
//   feeds-N/imported-ROWS.db     registry.db with claims-ROWS.csv imported (for the re-imports)
//
//   build-bench/bench/feed_bench --benchmark_counters_tabular=true
//   build-bench/bench/feed_bench --prepare   # only build the data above, print the paths
// bench/feed_compare.sh runs this, the memory script and the DuckDB peer; docs/BENCHMARKS.md.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <xlsxwriter.h>

#include <cinttypes>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_env.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/id_number.h"
#include "core/paths.h"
#include "feeds/feed_import.h"
#include "feeds/feed_spec.h"
#include "findings/findings.h"
#include "generate/generator.h"
#include "ingest/divisions.h"
#include "ingest/registry_import.h"
#include "ingest/table.h"
#include "policy/policy.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;
using bench::WorkDir;

constexpr const char* kKind = "medical-claims";
// The received date of every feed file (claims are dated in 2025).
const Date kReceived = Date::FromCivil(2026, 1, 5);

int64_t Households() { return bench::EnvInt("HEARTH_BENCH_HOUSEHOLDS", 1'000'000); }

std::vector<int64_t> FeedRowCounts() {
  const char* env = std::getenv("HEARTH_BENCH_FEED_ROWS");
  std::string text = env != nullptr ? env : "100000,1000000";
  std::vector<int64_t> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    if (int64_t n = std::atoll(text.substr(pos, comma - pos).c_str()); n > 0) out.push_back(n);
    pos = comma + 1;
  }
  return out;
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "feed_bench: %s\n", what.c_str());
  std::exit(1);
}

fs::path DataDir() {
  auto dir = FindDataDir("");
  if (!dir.ok()) Die(dir.status().ToString());
  return *dir;
}

fs::path PopulationDir() { return WorkDir() / ("pop-" + std::to_string(Households())); }
fs::path FeedDir() {
  fs::path dir = WorkDir() / ("feeds-" + std::to_string(Households()));
  fs::create_directories(dir);
  return dir;
}
fs::path RegistryDb() { return FeedDir() / "registry.db"; }
fs::path CsvFile(int64_t rows) { return FeedDir() / ("claims-" + std::to_string(rows) + ".csv"); }
fs::path DupCsvFile(int64_t rows) { return FeedDir() / ("claims-" + std::to_string(rows) + "-dup.csv"); }
fs::path XlsxFile(int64_t rows) { return FeedDir() / ("claims-" + std::to_string(rows) + ".xlsx"); }
fs::path ImportedDb(int64_t rows) { return FeedDir() / ("imported-" + std::to_string(rows) + ".db"); }

void RemoveDb(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

// Copies a closed database (its WAL checkpointed) to `to`.
void CopyDb(const fs::path& from, const fs::path& to) {
  RemoveDb(to);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

// ---------------------------------------------------------------------------------------------
// The registry database

void EnsurePopulation() {
  if (fs::exists(PopulationDir() / "registry")) return;
  GenerateOptions o;  // the options of registry_bench, so that both share pop-N
  o.households = Households();
  o.seed = 1;
  o.out = PopulationDir();
  o.data_dir = DataDir();
  std::fprintf(stderr, "feed_bench: generating %" PRId64 " households in %s\n", o.households, o.out.c_str());
  fs::remove_all(o.out);
  if (Status s = Generate(o, {}, nullptr); !s.ok()) Die(s.ToString());
}

void EnsureRegistryDb() {
  if (fs::exists(RegistryDb())) return;
  EnsurePopulation();
  fs::path tmp = FeedDir() / "registry.db.building";
  RemoveDb(tmp);
  std::fprintf(stderr, "feed_bench: importing the registry into %s\n", RegistryDb().c_str());
  {
    auto store = OpenStore(tmp.string(), OpenMode::kCreate);
    if (!store.ok()) Die(store.status().ToString());
    if (auto n = LoadDivisions(**store, DataDir() / "admin-divisions"); !n.ok()) Die(n.status().ToString());
    auto report = ImportRegistry(**store, PopulationDir() / "registry", RegistryImportOptions{});
    if (!report.ok()) Die(report.status().ToString());
    if (report->AnyRefused()) Die("a registry file was refused");
  }  // closing checkpoints the WAL
  fs::rename(tmp, RegistryDb());
}

// ---------------------------------------------------------------------------------------------
// The feed files

struct Person {
  std::string id_number;
  std::string name;
};

// Every registered person (ID number and name), from the generated 家庭成员 file.
std::vector<Person> RegisteredPersons() {
  fs::path file = PopulationDir() / "registry" / "家庭成员.csv";
  if (!fs::exists(file)) file = PopulationDir() / "registry" / "家庭成员.xlsx";
  auto reader = OpenTable(file, TableOptions{});
  if (!reader.ok()) Die(reader.status().ToString());
  TableRow row;
  int id_col = -1, name_col = -1;
  std::vector<Person> out;
  for (auto more = (*reader)->Next(&row); more.ok() && *more; more = (*reader)->Next(&row)) {
    if (id_col < 0) {
      for (size_t c = 0; c < row.cells.size(); ++c) {
        if (row.cells[c] == "证件号码") id_col = static_cast<int>(c);
        if (row.cells[c] == "姓名") name_col = static_cast<int>(c);
      }
      if (id_col < 0 || name_col < 0) Die("no 证件号码/姓名 header in " + file.string());
      continue;
    }
    out.push_back({row.cells[static_cast<size_t>(id_col)], row.cells[static_cast<size_t>(name_col)]});
  }
  if (out.empty()) Die("no persons in " + file.string());
  return out;
}

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Yuan(int64_t fen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%02" PRId64, fen / 100, fen % 100);
  return buf;
}

// One claim row: the cells in header order, plus numbers for XLSX.
struct Claim {
  int64_t seq = 0;
  std::string id_number, name, visit_type;
  Date admitted, discharged;
  int64_t total = 0, basic = 0, critical = 0, assistance = 0, selfpay = 0;
  std::string bad_money;  // non-empty: written instead of the total (a malformed amount)
};

// Row i of the file. About 0.2 % of the rows are bad, in five kinds of equal share: an ID
// number with a wrong check digit (rejected), a well-formed ID of nobody registered
// (unmatched: the person's birth date and sequence under a Beijing area code), self-pay above the total (rejected), discharge before admission (rejected), a
// malformed total "1234.5O" (rejected).
Claim MakeClaim(const std::vector<Person>& persons, int64_t i) {
  uint64_t h = Mix(static_cast<uint64_t>(i) * 0x2545F4914F6CDD1DULL + 17);
  const Person& p = persons[h % persons.size()];
  Claim c;
  c.seq = i + 1;
  c.id_number = p.id_number;
  c.name = p.name;
  uint64_t h2 = Mix(h);
  int kind = static_cast<int>(h2 % 100);
  c.visit_type = kind < 70 ? "住院" : kind < 95 ? "门诊" : "门诊慢特病";
  bool inpatient = kind < 70;
  c.admitted = Date::FromDays(Date::FromCivil(2025, 1, 1).days() + static_cast<int32_t>((h2 >> 8) % 340));
  c.discharged = Date::FromDays(c.admitted.days() + (inpatient ? 1 + static_cast<int32_t>((h2 >> 20) % 20) : 0));
  c.total = 20000 + static_cast<int64_t>((h2 >> 28) % (inpatient ? 8'000'000 : 500'000));
  c.basic = c.total * 60 / 100;
  c.critical = c.total > 2'000'000 ? (c.total - 2'000'000) / 2 : 0;
  c.assistance = (h2 >> 50) % 4 == 0 ? (c.total - c.basic - c.critical) / 2 : 0;
  c.selfpay = c.total - c.basic - c.critical - c.assistance;

  uint64_t h3 = Mix(h2);
  if (h3 % 1000 < 2) {  // a bad row
    switch ((h3 >> 16) % 5) {
      case 0: {  // wrong check digit
        char& last = c.id_number.back();
        last = last == '0' ? '1' : (last == 'X' ? '0' : static_cast<char>(last == '9' ? 'X' : last + 1));
        break;
      }
      case 1: {  // a valid ID of nobody registered: the same birth date and sequence in Beijing
        std::string first17 = "110101" + c.id_number.substr(6, 11);
        c.id_number = first17 + IdCheckCharacter(first17);
        break;
      }
      case 2: c.selfpay = c.total + 100; break;
      case 3:
        c.discharged = c.admitted;
        c.admitted = Date::FromDays(c.admitted.days() + 3);
        break;
      default: c.bad_money = Yuan(c.total).substr(0, Yuan(c.total).size() - 1) + "O"; break;
    }
  }
  return c;
}

constexpr const char* kHeaders[] = {"序号", "证件号码", "姓名", "就诊类型", "入院日期", "出院日期",
                                    "医疗总费用", "基本医保报销", "大病保险报销", "医疗救助", "个人自付"};

void AppendCsvRow(const Claim& c, std::string* out) {
  *out += std::to_string(c.seq);
  for (const std::string* s : {&c.id_number, &c.name, &c.visit_type}) {
    out->push_back(',');
    *out += *s;
  }
  out->push_back(',');
  *out += c.admitted.ToIso();
  out->push_back(',');
  *out += c.discharged.ToIso();
  out->push_back(',');
  *out += c.bad_money.empty() ? Yuan(c.total) : c.bad_money;
  for (int64_t fen : {c.basic, c.critical, c.assistance, c.selfpay}) {
    out->push_back(',');
    *out += Yuan(fen);
  }
  out->push_back('\n');
}

void WriteCsv(const std::vector<Person>& persons, int64_t rows, const fs::path& path, const char* id_header) {
  fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    std::string chunk;
    for (const char* h : kHeaders) {
      if (!chunk.empty()) chunk.push_back(',');
      chunk += std::strcmp(h, "证件号码") == 0 ? id_header : h;
    }
    chunk.push_back('\n');
    for (int64_t i = 0; i < rows; ++i) {
      AppendCsvRow(MakeClaim(persons, i), &chunk);
      if (chunk.size() > (1 << 20)) {
        out << chunk;
        chunk.clear();
      }
    }
    out << chunk;
    if (!out) Die("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// As Excel saves a list: shared strings, the ID column as text, dates as date-formatted
// serials, amounts as numbers formatted 0.00, a malformed amount as text.
void WriteXlsx(const std::vector<Person>& persons, int64_t rows, const fs::path& path) {
  fs::path tmp = FeedDir() / ("tmp-" + path.filename().string());
  lxw_workbook_options options = {};
  options.use_zip64 = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(tmp.c_str(), &options);
  if (wb == nullptr) Die("cannot create " + tmp.string());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "结算明细");
  lxw_format* date_format = workbook_add_format(wb);
  format_set_num_format(date_format, "yyyy-mm-dd");
  lxw_format* money_format = workbook_add_format(wb);
  format_set_num_format(money_format, "0.00");
  for (lxw_col_t c = 0; c < 11; ++c) worksheet_write_string(ws, 0, c, kHeaders[c], nullptr);
  auto write_date = [&](lxw_row_t r, lxw_col_t col, Date d) {
    int y = 0, m = 0, day = 0;
    std::sscanf(d.ToIso().c_str(), "%d-%d-%d", &y, &m, &day);
    lxw_datetime dt = {y, m, day, 0, 0, 0};
    worksheet_write_datetime(ws, r, col, &dt, date_format);
  };
  for (int64_t i = 0; i < rows; ++i) {
    Claim c = MakeClaim(persons, i);
    auto r = static_cast<lxw_row_t>(i + 1);
    worksheet_write_number(ws, r, 0, static_cast<double>(c.seq), nullptr);
    worksheet_write_string(ws, r, 1, c.id_number.c_str(), nullptr);
    worksheet_write_string(ws, r, 2, c.name.c_str(), nullptr);
    worksheet_write_string(ws, r, 3, c.visit_type.c_str(), nullptr);
    write_date(r, 4, c.admitted);
    write_date(r, 5, c.discharged);
    if (c.bad_money.empty()) {
      worksheet_write_number(ws, r, 6, static_cast<double>(c.total) / 100.0, money_format);
    } else {
      worksheet_write_string(ws, r, 6, c.bad_money.c_str(), nullptr);
    }
    lxw_col_t col = 7;
    for (int64_t fen : {c.basic, c.critical, c.assistance, c.selfpay}) {
      worksheet_write_number(ws, r, col++, static_cast<double>(fen) / 100.0, money_format);
    }
  }
  if (lxw_error e = workbook_close(wb); e != LXW_NO_ERROR) Die(std::string("xlsx: ") + lxw_strerror(e));
  fs::rename(tmp, path);
}

const FeedSpec& Spec() {
  static const FeedSpec spec = [] {
    auto s = LoadFeedSpecForKind(DataDir(), kKind);
    if (!s.ok()) Die(s.status().ToString());
    return *s;
  }();
  return spec;
}

FeedImportOptions NoScreen() {
  FeedImportOptions o;
  o.received = kReceived;
  return o;
}

void EnsureFeeds(const std::vector<int64_t>& sizes) {
  EnsureRegistryDb();
  std::vector<Person> persons;
  for (int64_t rows : sizes) {
    for (const fs::path& f : {CsvFile(rows), DupCsvFile(rows), XlsxFile(rows)}) {
      if (fs::exists(f)) continue;
      if (persons.empty()) persons = RegisteredPersons();
      std::fprintf(stderr, "feed_bench: writing %s\n", f.c_str());
      if (f == XlsxFile(rows)) {
        WriteXlsx(persons, rows, f);
      } else {
        WriteCsv(persons, rows, f, f == CsvFile(rows) ? "证件号码" : "身份证号");
      }
    }
    if (!fs::exists(ImportedDb(rows))) {
      fs::path tmp = ImportedDb(rows).string() + ".building";
      CopyDb(RegistryDb(), tmp);
      {
        auto store = OpenStore(tmp.string(), OpenMode::kExisting);
        if (!store.ok()) Die(store.status().ToString());
        FileReport r = ImportFeed(**store, Spec(), CsvFile(rows), NoScreen());
        if (!r.refusal.ok()) Die(r.refusal.ToString());
      }
      fs::rename(tmp, ImportedDb(rows));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The benchmarks

ScreenHook FindingsHook(int64_t* households, int64_t* opened) {
  static const Policy policy = [] {
    auto p = LoadDefaultPolicy("");
    if (!p.ok()) Die(p.status().ToString());
    return *p;
  }();
  return [households, opened](ImportTransaction& tx, const std::vector<std::string>& codes, Date as_of) -> Status {
    HEARTH_ASSIGN_OR_RETURN(RefreshCounts n, RefreshFindings(tx, codes, policy, as_of));
    *households += n.households;
    *opened += n.opened;
    return Status::Ok();
  };
}

enum class Variant { kCsv, kXlsx, kCsvScreened, kReimportSame, kReimportDuplicates };

void RunImport(benchmark::State& state, Variant variant) {
  const int64_t rows = state.range(0);
  fs::path file = variant == Variant::kXlsx                 ? XlsxFile(rows)
                  : variant == Variant::kReimportDuplicates ? DupCsvFile(rows)
                                                            : CsvFile(rows);
  bool reimport = variant == Variant::kReimportSame || variant == Variant::kReimportDuplicates;
  fs::path base = reimport ? ImportedDb(rows) : RegistryDb();
  fs::path db = FeedDir() / "bench-copy.db";
  int64_t screened = 0, opened = 0;
  FeedImportOptions options = NoScreen();
  if (variant == Variant::kCsvScreened) options.screen = FindingsHook(&screened, &opened);
  FileReport report;
  double cpu_seconds = 0;  // of the timed part, this thread (the import runs on one thread)
  for (auto _ : state) {
    state.PauseTiming();
    CopyDb(base, db);
    screened = opened = 0;
    state.ResumeTiming();
    double cpu_start = ThreadCpuSeconds();
    {
      auto store = OpenStore(db.string(), OpenMode::kExisting);
      if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
      report = ImportFeed(**store, Spec(), file, options);
    }  // closing checkpoints the WAL
    cpu_seconds += ThreadCpuSeconds() - cpu_start;
    if (!report.refusal.ok()) return state.SkipWithError(report.refusal.ToString().c_str());
  }
  RemoveDb(db);
  state.counters["rows"] = static_cast<double>(report.read);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(report.read), benchmark::Counter::kIsIterationInvariantRate);
  // On a busy machine the wall-clock rate understates what one core does; this is per CPU second.
  state.counters["rows_per_cpu_s"] =
      static_cast<double>(report.read) * static_cast<double>(state.iterations()) / cpu_seconds;
  state.counters["MB_per_s"] = benchmark::Counter(static_cast<double>(fs::file_size(file)) / 1e6,
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["accepted"] = static_cast<double>(report.accepted);
  state.counters["rejected"] = static_cast<double>(report.rejected);
  state.counters["unmatched"] = static_cast<double>(report.unmatched);
  state.counters["duplicate"] = static_cast<double>(report.duplicate);
  if (variant == Variant::kCsvScreened) {
    state.counters["screened_hh"] = static_cast<double>(screened);
    state.counters["findings"] = static_cast<double>(opened);
  }
  state.counters["peak_rss_mb"] = PeakRssMb();
}

}  // namespace
}  // namespace hearth

int main(int argc, char** argv) {
  using namespace hearth;
  std::vector<int64_t> sizes = FeedRowCounts();
  bool prepare_only = false;
  for (int i = 1; i < argc; ++i) prepare_only |= std::strcmp(argv[i], "--prepare") == 0;
  if (prepare_only) {
    EnsureFeeds(sizes);
    std::printf("registry_db=%s\n", RegistryDb().c_str());
    for (int64_t rows : sizes) {
      std::printf("csv_%" PRId64 "=%s\nxlsx_%" PRId64 "=%s\n", rows, CsvFile(rows).c_str(), rows, XlsxFile(rows).c_str());
      if (fs::exists(ImportedDb(rows))) std::printf("imported_%" PRId64 "=%s\n", rows, ImportedDb(rows).c_str());
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  struct Entry {
    const char* name;
    Variant variant;
  };
  for (Entry e : {Entry{"BM_FeedImportCsv", Variant::kCsv}, Entry{"BM_FeedImportXlsx", Variant::kXlsx},
                  Entry{"BM_FeedImportCsvScreened", Variant::kCsvScreened},
                  Entry{"BM_FeedReimportCsvSame", Variant::kReimportSame},
                  Entry{"BM_FeedReimportCsvDuplicates", Variant::kReimportDuplicates}}) {
    for (int64_t rows : sizes) {
      benchmark::RegisterBenchmark(e.name, [v = e.variant](benchmark::State& s) { RunImport(s, v); })
          ->Arg(rows)
          ->Iterations(rows < 100'000 ? 3 : 1)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
  // The data is built before any timing (only when a benchmark will run).
  EnsureFeeds(sizes);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
