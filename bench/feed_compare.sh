#!/usr/bin/env bash
# The department-feed import against its targets and its peer, on the same files:
#   1. bench/feed_bench (Google Benchmark): CSV and XLSX import, screening on, re-imports
#   2. bench/feed_memory.sh: peak RSS of `hearth import feed` on the 1x and the 10x file
#   3. bench/duckdb/read_csv.mjs: DuckDB read_csv on the same CSV files (parse only)
# and prints one table. Works from a fresh clone: configures and builds build-bench if needed,
# and runs `npm ci` in bench/duckdb when node_modules is missing (needs Node >= 20 and the npm
# registry).
#
#   bench/feed_compare.sh                                   # 1,000,000 households, 100k and 1M rows
#   HEARTH_BENCH_HOUSEHOLDS=20000 HEARTH_BENCH_FEED_ROWS=10000,100000 bench/feed_compare.sh   # quick
#
# Environment: BUILD (default build-bench), HEARTH_BENCH_DIR (default /tmp/hearth-bench),
# HEARTH_BENCH_HOUSEHOLDS (default 1000000), HEARTH_BENCH_FEED_ROWS (default 100000,1000000),
# FILTER (a --benchmark_filter; default all feed benchmarks), OUT (where the raw results go;
# default $HEARTH_BENCH_DIR/feed-compare).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
[[ $build = /* ]] || build=$root/$build
export BUILD=$build
export HEARTH_BENCH_DIR=${HEARTH_BENCH_DIR:-/tmp/hearth-bench}
export HEARTH_BENCH_HOUSEHOLDS=${HEARTH_BENCH_HOUSEHOLDS:-1000000}
export HEARTH_BENCH_FEED_ROWS=${HEARTH_BENCH_FEED_ROWS:-100000,1000000}
out=${OUT:-$HEARTH_BENCH_DIR/feed-compare}
mkdir -p "$out"

if [[ ! -x $build/bench/feed_bench || ! -x $build/src/cli/hearth ]]; then
  [[ -f $build/build.ninja ]] ||
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEARTH_BUILD_TESTS=OFF
  cmake --build "$build" --target feed_bench hearth
fi
if [[ ! -d $root/bench/duckdb/node_modules/@duckdb/node-api ]]; then
  (cd "$root/bench/duckdb" && npm ci --no-audit --no-fund)
fi

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== households $HEARTH_BENCH_HOUSEHOLDS, feed rows $HEARTH_BENCH_FEED_ROWS, data in $HEARTH_BENCH_DIR"

echo "== 1. feed_bench"
"$build/bench/feed_bench" --benchmark_counters_tabular=true ${FILTER:+--benchmark_filter="$FILTER"} \
  --benchmark_out="$out/feed_bench.json" --benchmark_out_format=json

echo "== 2. peak memory (feed_memory.sh)"
"$root/bench/feed_memory.sh" --tsv "$out/memory.tsv"

echo "== 3. DuckDB read_csv (bench/duckdb)"
: > "$out/duckdb.jsonl"
declare -A path
while IFS='=' read -r key value; do path[$key]=$value; done < <("$build/bench/feed_bench" --prepare)
IFS=',' read -ra sizes <<< "$HEARTH_BENCH_FEED_ROWS"
for rows in "${sizes[@]}"; do
  node "$root/bench/duckdb/read_csv.mjs" "${path[csv_$rows]}" --json | tee -a "$out/duckdb.jsonl"
done

echo "== summary (raw results in $out)"
node - "$out" <<'EOF'
const fs = require('node:fs');
const out = process.argv[2];
const bench = JSON.parse(fs.readFileSync(`${out}/feed_bench.json`, 'utf8')).benchmarks;
const memory = fs.readFileSync(`${out}/memory.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const duck = fs.readFileSync(`${out}/duckdb.jsonl`, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const rows = [];
for (const b of bench) {
  const [name, n] = b.name.split('/');
  rows.push([name, n, fmt(b.rows_per_s), (b.real_time / 1000).toFixed(2), `${fmt(b.rows_per_cpu_s)} rows/CPU-s; acc ${fmt(b.accepted)} rej ${fmt(b.rejected)} unm ${fmt(b.unmatched)} dup ${fmt(b.duplicate)}`]);
}
for (const d of duck) {
  rows.push([`DuckDB read_csv ${d.query} threads=${d.threads}`, d.file.match(/claims-(\d+)/)[1], fmt(d.rows_per_s), d.seconds.toFixed(2), `rows ${fmt(d.rows)}`]);
}
const w = [44, 9, 12, 9];
console.log(['what'.padEnd(w[0]), 'file rows'.padStart(w[1]), 'rows/s'.padStart(w[2]), 'seconds'.padStart(w[3]), 'notes'].join(' '));
for (const r of rows) console.log([r[0].padEnd(w[0]), r[1].padStart(w[1]), r[2].padStart(w[2]), r[3].padStart(w[3]), r[4]].join(' '));
console.log('\npeak RSS of `hearth import feed ... --no-screen` (own process):');
const by = {};
for (const [format, n, kb, wall] of memory) {
  console.log(`  ${format.padEnd(5)} ${n.padStart(9)} rows  ${(kb / 1024).toFixed(1).padStart(8)} MB  ${Number(wall).toFixed(2)} s`);
  (by[format] ??= []).push([Number(n), Number(kb)]);
}
for (const [format, list] of Object.entries(by)) {
  list.sort((a, b) => a[0] - b[0]);
  const [small, large] = [list[0], list[list.length - 1]];
  if (small !== large) {
    console.log(`  ${format}: ${large[0] / small[0]}x the rows -> ${(100 * (large[1] / small[1] - 1)).toFixed(1)} % more peak memory (target <= 10 %)`);
  }
}
EOF
