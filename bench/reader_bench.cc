// Reader benchmarks: parse-only throughput of the tabular readers on files on disk.
//   BM_Csv/utf8, BM_Csv/gbk   a department-style CSV of HEARTH_BENCH_ROWS rows (default 1,000,000)
//   BM_Xlsx                   the same rows as an XLSX workbook (200,000 rows)
// Files are written once under HEARTH_BENCH_DIR (default /tmp/hearth-bench).
//   build/bench/reader_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench/bench_env.h"
#include "core/text.h"
#include "ingest/table.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

int64_t Rows() { return bench::EnvInt("HEARTH_BENCH_ROWS", 1'000'000); }
using bench::WorkDir;

// One row of a 医保 claims list: ten cells, a quoted cell with a comma, Chinese text.
std::string Row(int64_t i) {
  return std::to_string(i) + ",阿卜杜拉·艾买提,65322119900101" + std::to_string(1000 + i % 9000) +
         ",住院,2025-03-05,2025-03-12,\"12,345.60\",8000.00,2000.00,2345.60\n";
}

constexpr const char* kHeader = "序号,姓名,证件号码,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,个人自付\n";

fs::path CsvFile(bool gbk) {
  fs::path path = WorkDir() / (std::string("claims-") + std::to_string(Rows()) + (gbk ? "-gbk" : "") + ".csv");
  if (fs::exists(path)) return path;
  std::ofstream out(path, std::ios::binary);
  std::string chunk = kHeader;
  for (int64_t i = 1; i <= Rows(); ++i) {
    chunk += Row(i);
    if (chunk.size() > (1 << 20) || i == Rows()) {
      out << (gbk ? Utf8ToGbk(chunk).value() : chunk);
      chunk.clear();
    }
  }
  return path;
}

fs::path XlsxFile(int64_t rows) {
  fs::path path = WorkDir() / ("claims-" + std::to_string(rows) + ".xlsx");
  if (fs::exists(path)) return path;
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "名单");
  const char* headers[] = {"序号", "姓名", "证件号码", "就诊类型", "入院日期", "出院日期", "医疗总费用", "个人自付"};
  for (lxw_col_t c = 0; c < 8; ++c) worksheet_write_string(ws, 0, c, headers[c], nullptr);
  for (int64_t i = 1; i <= rows; ++i) {
    auto r = static_cast<lxw_row_t>(i);
    worksheet_write_number(ws, r, 0, static_cast<double>(i), nullptr);
    worksheet_write_string(ws, r, 1, "阿卜杜拉·艾买提", nullptr);
    worksheet_write_string(ws, r, 2, ("65322119900101" + std::to_string(1000 + i % 9000)).c_str(), nullptr);
    worksheet_write_string(ws, r, 3, "住院", nullptr);
    worksheet_write_string(ws, r, 4, "2025-03-05", nullptr);
    worksheet_write_string(ws, r, 5, "2025-03-12", nullptr);
    worksheet_write_number(ws, r, 6, 12345.6, nullptr);
    worksheet_write_number(ws, r, 7, 2345.6, nullptr);
  }
  workbook_close(wb);
  return path;
}

void ReadAll(benchmark::State& state, const fs::path& path) {
  int64_t rows = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto reader = OpenTable(path, TableOptions{});
    if (!reader.ok()) return state.SkipWithError(reader.status().ToString().c_str());
    TableRow row;
    rows = 0;
    for (auto more = (*reader)->Next(&row); more.ok() && *more; more = (*reader)->Next(&row)) ++rows;
    bytes = (*reader)->TotalBytes();
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB_per_s"] =
      benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_CsvUtf8(benchmark::State& state) { ReadAll(state, CsvFile(false)); }
void BM_CsvGbk(benchmark::State& state) { ReadAll(state, CsvFile(true)); }
void BM_Xlsx(benchmark::State& state) { ReadAll(state, XlsxFile(200'000)); }

BENCHMARK(BM_CsvUtf8)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(BM_CsvGbk)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(BM_Xlsx)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);

}  // namespace
}  // namespace hearth

BENCHMARK_MAIN();
