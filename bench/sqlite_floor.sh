#!/usr/bin/env bash
# The storage floor of the department-feed import on SQLite: how fast SQLite alone can append a
# file's events, one row per event, as Hearth stores them, with nothing of Hearth's per-row work
# (no parsing, validation, linking or deduplication). Beside it, in the same run and on the same
# data, the real `hearth import feed medical-claims FILE --no-screen`, whose events it copies.
#
#   bench/sqlite_floor.sh                   # ROWS from HEARTH_BENCH_FEED_ROWS, default 1000000
#   BUILD=build HEARTH_BENCH_HOUSEHOLDS=1000000 bench/sqlite_floor.sh
#
# For each size it
#   1. imports claims-ROWS.csv into a fresh copy of the registry database (timed: the import);
#   2. copies that import's events, in event-id order, into other fresh copies of the registry
#      with `INSERT INTO events SELECT * FROM imported.events` in one transaction, under the
#      pragmas Hearth's connection uses (WAL, synchronous NORMAL, 256 MB cache, foreign keys
#      off as in a feed import), for three layouts of the events table:
#        schema     as Hearth's migrations leave it (the indexes a feed event enters:
#                   events_household, events_key, events_import, and the partial ones it skips)
#        no-index   without any secondary index on events (the rows alone)
#        no-payload without indexes and with the payload and key texts emptied (the row's
#                   fixed part: what is left when the bytes of the JSON are not written)
#      The INSERT and the COMMIT are timed apart (sqlite3's .timer), after one untimed read of
#      the source events so that both read it from the page cache.
# The data is feed_bench's (`feed_bench --prepare`, run first). docs/BENCHMARKS.md, "Department
# feed import" explains what the figures bound.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
[[ $build = /* ]] || build=$root/$build
export HEARTH_BENCH_FEED_ROWS=${HEARTH_BENCH_FEED_ROWS:-1000000}

for exe in "$build/bench/feed_bench" "$build/src/cli/hearth"; do
  [[ -x $exe ]] || { echo "missing $exe: build with cmake --build $build" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }

declare -A path
while IFS='=' read -r key value; do path[$key]=$value; done < <("$build/bench/feed_bench" --prepare)

work=$(mktemp -d "${TMPDIR:-/tmp}/hearth-sqlite-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT

fresh_copy() {  # a fresh copy of the registry database at $1
  cp "${path[registry_db]}" "$1"
  rm -f "$1-wal" "$1-shm"
}

# The real times of the statements sqlite3 timed, one per line.
real_times() { sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p'; }

printf '%-10s %9s %10s %10s %10s %12s\n' layout rows "insert s" "commit s" "total s" "rows/s"
IFS=',' read -ra sizes <<<"$HEARTH_BENCH_FEED_ROWS"
for rows in "${sizes[@]}"; do
  csv=${path[csv_$rows]:-}
  [[ -n $csv ]] || { echo "feed_bench did not prepare $rows rows" >&2; exit 1; }
  imported=$work/imported.db
  fresh_copy "$imported"
  start=$(date +%s.%N)
  "$build/src/cli/hearth" import feed medical-claims "$csv" --db "$imported" --no-screen --received 2026-01-05 >/dev/null
  end=$(date +%s.%N)
  events=$(sqlite3 "$imported" "SELECT count(*) FROM events")
  awk -v r="$rows" -v s="$start" -v e="$end" -v n="$events" \
    'BEGIN { printf "%-10s %9d %10s %10s %10.2f %12.0f   (hearth import feed: %d rows read, %d events)\n", "hearth", r, "-", "-", e - s, r / (e - s), r, n }'
  for layout in schema no-index no-payload; do
    db=$work/floor.db
    fresh_copy "$db"
    prepare=""
    select="SELECT * FROM imported.events ORDER BY id"
    if [[ $layout != schema ]]; then
      prepare="DROP INDEX IF EXISTS events_household; DROP INDEX IF EXISTS events_key; DROP INDEX IF EXISTS events_import;
               DROP INDEX IF EXISTS events_supersedes; DROP INDEX IF EXISTS events_introduced; DROP INDEX IF EXISTS events_village;"
    fi
    if [[ $layout == no-payload ]]; then
      select="SELECT id, type, household_id, person_id_number, effective_date, recorded_at, import_id, source_line,
                     amount_fen, '', NULL, supersedes, village_code, key_hash FROM imported.events ORDER BY id"
    fi
    out=$(sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;
$prepare
ATTACH '$imported' AS imported;
SELECT sum(length(payload)) FROM imported.events;
.timer on
BEGIN;
INSERT INTO main.events $select;
COMMIT;
SQL
)
    mapfile -t t < <(real_times <<<"$out")
    # t: BEGIN, INSERT, COMMIT
    awk -v l="$layout" -v r="$events" -v i="${t[1]}" -v c="${t[2]}" \
      'BEGIN { printf "%-10s %9d %10.2f %10.2f %10.2f %12.0f\n", l, r, i, c, i + c, r / (i + c) }'
  done
done
