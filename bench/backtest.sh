#!/usr/bin/env bash
# The backtest on a generated population, as docs/BACKTEST.md reports it:
#   bench/backtest.sh [HOUSEHOLDS] [SEED] [MONTHS]      (default 100000 1 12)
# Generates the population (reused when present), imports the registry and every month's
# department files on the day each was received (the 5th of the next month), then replays the
# months with `hearth backtest` (tables on stdout, JSON beside the data).
set -euo pipefail
cd "$(dirname "$0")/.."
households="${1:-100000}"; seed="${2:-1}"; months="${3:-12}"
hearth=build/src/cli/hearth
dir="${HEARTH_BENCH_DIR:-/tmp/hearth-bench}/backtest-$households-$seed-$months"
mkdir -p "$dir"
if [[ ! -f "$dir/pop/manifest.json" ]]; then
  "$hearth" generate --households "$households" --seed "$seed" --months "$months" --out "$dir/pop" >/dev/null
fi
if [[ ! -f "$dir/hearth.db" ]]; then
  "$hearth" init --db "$dir/hearth.db.tmp" >/dev/null
  "$hearth" import registry "$dir/pop/registry" --db "$dir/hearth.db.tmp" >/dev/null
  python3 - "$dir/pop/manifest.json" <<'PY' | while read -r kind path received; do
import json, sys
files = [f for f in json.load(open(sys.argv[1]))["files"] if "received" in f]
files.sort(key=lambda f: (f["month"], f["kind"] != "household-registration"))
for f in files:
    print(f["kind"], f["path"], f["received"])
PY
    "$hearth" import feed "$kind" "$dir/pop/$path" --received "$received" --no-screen --db "$dir/hearth.db.tmp" >/dev/null
  done
  mv "$dir/hearth.db.tmp" "$dir/hearth.db"
fi
"$hearth" backtest --db "$dir/hearth.db" --truth "$dir/pop/truth.csv" --format json > "$dir/backtest.json"
"$hearth" backtest --db "$dir/hearth.db" --truth "$dir/pop/truth.csv"
echo "JSON: $dir/backtest.json"
