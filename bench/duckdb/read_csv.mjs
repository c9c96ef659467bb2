// The peer of the department-feed import benchmark (docs/BENCHMARKS.md): DuckDB's read_csv on
// the very same CSV file, parse only, one thread and the default threads.
//
//   cd bench/duckdb && npm ci && node read_csv.mjs FILE [--repeat 3] [--json]
//
// Queries, each timed `repeat` times in a fresh in-memory database (the best time is reported;
// the first run also reads the file into the page cache if it was not there):
//   varchar  SELECT count(*) FROM read_csv(FILE, header=true, all_varchar=true)
//   typed    SELECT count(*) FROM read_csv(FILE, header=true, ignore_errors=true)  (types sniffed;
//            rows that do not fit the sniffed types, e.g. a malformed amount, are skipped)
//   table    CREATE TABLE t AS SELECT * FROM read_csv(FILE, header=true, ignore_errors=true)
//            (parsed, converted and stored in memory: the nearest thing to an import)
// With --json one JSON object per measurement is printed instead of the table.
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';

const args = process.argv.slice(2);
let file = null;
let repeat = 3;
let json = false;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--repeat') repeat = Number(args[++i]);
  else if (args[i] === '--json') json = true;
  else file = args[i];
}
if (!file) {
  console.error('usage: node read_csv.mjs FILE [--repeat N] [--json]');
  process.exit(2);
}
const quoted = `'${file.replaceAll("'", "''")}'`;
const queries = {
  varchar: `SELECT count(*) AS n FROM read_csv(${quoted}, header=true, all_varchar=true)`,
  typed: `SELECT count(*) AS n FROM read_csv(${quoted}, header=true, ignore_errors=true)`,
  table: `CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(${quoted}, header=true, ignore_errors=true)`,
};
const bytes = statSync(file).size;

async function measure(threads, name) {
  let best = Infinity;
  let rows = 0;
  for (let r = 0; r < repeat; ++r) {
    const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
    const connection = await instance.connect();
    if (threads) await connection.run(`SET threads=${threads}`);
    const settings = await connection.runAndReadAll('SELECT current_setting(\'threads\') AS t');
    const used = Number(settings.getRows()[0][0]);
    const start = process.hrtime.bigint();
    await connection.runAndReadAll(queries[name]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (name === 'table') {
      rows = Number((await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0]);
    } else {
      rows = Number((await connection.runAndReadAll(queries[name])).getRows()[0][0]);
    }
    best = Math.min(best, seconds);
    connection.closeSync();
    instance.closeSync?.();
    threads = threads || used;
  }
  return { query: name, threads, rows, seconds: best, rows_per_s: rows / best, mb_per_s: bytes / 1e6 / best };
}

const results = [];
for (const threads of [1, 0]) {  // 0: DuckDB's default (one per core)
  for (const name of Object.keys(queries)) results.push(await measure(threads, name));
}
if (json) {
  for (const r of results) console.log(JSON.stringify({ file, bytes, ...r }));
} else {
  console.log(`DuckDB read_csv on ${file} (${(bytes / 1e6).toFixed(1)} MB), best of ${repeat}`);
  console.log('query    threads       rows   seconds      rows/s     MB/s');
  for (const r of results) {
    console.log(
      `${r.query.padEnd(8)} ${String(r.threads).padStart(7)} ${String(r.rows).padStart(10)} ${r.seconds.toFixed(3).padStart(9)} ` +
        `${Math.round(r.rows_per_s).toLocaleString('en-US').padStart(11)} ${r.mb_per_s.toFixed(0).padStart(8)}`,
    );
  }
}
