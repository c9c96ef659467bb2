#!/usr/bin/env bash
# Peak memory of the department-feed import: runs the real `hearth import feed medical-claims
# FILE --no-screen` as its own process under /usr/bin/time -v, on a fresh copy of the registry
# database, for each file size (default 100,000 and 1,000,000 rows: the 10x file against the
# 1x one) and each format (CSV, XLSX), and prints the maximum resident set sizes.
#
#   bench/feed_memory.sh                       # sizes from HEARTH_BENCH_FEED_ROWS, default 100000,1000000
#   BUILD=build-bench HEARTH_BENCH_HOUSEHOLDS=1000000 bench/feed_memory.sh --tsv /tmp/mem.tsv
#
# The data (registry database, feed files) is the one bench/feed_bench.cc builds under
# HEARTH_BENCH_DIR (default /tmp/hearth-bench); `feed_bench --prepare` is run first to build what
# is missing. docs/BENCHMARKS.md, "Department feed import".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
[[ $build = /* ]] || build=$root/$build
export HEARTH_BENCH_FEED_ROWS=${HEARTH_BENCH_FEED_ROWS:-100000,1000000}
formats=${FORMATS:-csv xlsx}
tsv=""
while (($#)); do
  case $1 in
    --tsv) tsv=$2; shift 2 ;;
    *) echo "usage: $0 [--tsv FILE]" >&2; exit 2 ;;
  esac
done

for exe in "$build/bench/feed_bench" "$build/src/cli/hearth"; do
  [[ -x $exe ]] || { echo "missing $exe: build with cmake --build $build" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

# Paths of the registry database and the feed files (built when missing).
declare -A path
while IFS='=' read -r key value; do path[$key]=$value; done < <("$build/bench/feed_bench" --prepare)

work=$(mktemp -d "${TMPDIR:-/tmp}/hearth-feed-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf '%-6s %10s %12s %10s %10s %10s\n' format rows "peak RSS MB" "wall s" "rows/s" accepted
[[ -z $tsv ]] || printf 'format\trows\tmax_rss_kb\twall_s\n' > "$tsv"
IFS=',' read -ra sizes <<< "$HEARTH_BENCH_FEED_ROWS"
for format in $formats; do
  for rows in "${sizes[@]}"; do
    file=${path[${format}_$rows]}
    cp "${path[registry_db]}" "$work/copy.db"
    /usr/bin/time -v -o "$work/time.txt" "$build/src/cli/hearth" --lang en --db "$work/copy.db" \
      import feed medical-claims "$file" --no-screen --received 2026-01-05 > "$work/out.txt" 2>&1 ||
      { cat "$work/out.txt" "$work/time.txt" >&2; exit 1; }
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" |
           awk -F: '{ s = 0; for (i = 1; i <= NF; ++i) s = s * 60 + $i; print s }')
    accepted=$(grep -o 'accepted [0-9,]*' "$work/out.txt" | head -1 | tr -dc '0-9')
    awk -v f="$format" -v n="$rows" -v kb="$rss_kb" -v s="$wall" -v a="${accepted:-?}" \
      'BEGIN { printf "%-6s %10s %12.1f %10.2f %10.0f %10s\n", f, n, kb / 1024, s, n / s, a }'
    [[ -z $tsv ]] || printf '%s\t%s\t%s\t%s\n' "$format" "$rows" "$rss_kb" "$wall" >> "$tsv"
    rm -f "$work"/copy.db*
  done
done
