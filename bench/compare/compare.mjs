// One peer of the 10M comparison (bench/compare/run): loads the tables exported from Hearth's
// SQLite file, computes the features and the default rules with the engine's SQL file, times
// each, and checks the warned households against Hearth's.
//
//   node compare.mjs --engine duckdb|postgres --sql features.sql --csv DIR --as-of 2025-12-31 \
//        --hearth hearth-warnings.csv --out duckdb.json [--repeat 3] [--show 10]
//
// PostgreSQL is reached through the usual PGHOST, PGPORT, PGUSER, PGDATABASE variables.
// Steps of the SQL file ("-- @step NAME"): schema + load + prepare are timed together as the
// load; then `repeat` times: reset (drops the previous run's tables, not timed), features (the
// statements ending in CREATE TABLE features AS ...) and rules (CREATE TABLE decisions AS ...),
// each timed on its own (the best and every run are reported).
// The check (not timed): Hearth's open warnings (household_code, category, severity, score,
// rules, explanation) are loaded as table `hearth` and joined with `decisions`; every
// household where they differ is a difference, and the first `show` are printed with the peer's
// features and Hearth's explanation (the features its fired rules name). Exit status 0 when
// identical, 3 when not, 1 on an error.
import { readFileSync, writeFileSync } from 'node:fs';

const args = { repeat: 3, show: 10 };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['engine', 'sql', 'csv', 'as-of', 'hearth', 'out']) {
  if (!args[k]) {
    console.error(`compare.mjs: --${k} is required`);
    process.exit(1);
  }
}
const repeat = Number(args.repeat);
const show = Number(args.show);

// The SQL file's steps, placeholders filled, split into statements (a statement ends with ';'
// at the end of a line that is not a comment).
function steps(file) {
  const text = readFileSync(file, 'utf8').replaceAll('{{CSV}}', args.csv).replaceAll('{{AS_OF}}', args['as-of']);
  const out = {};
  let name = null;
  for (let line of text.split('\n')) {
    // `--@ENGINE text`: text for that engine only.
    const dialect = line.match(/^--@(\w+) (.*)$/);
    if (dialect) {
      if (dialect[1] !== args.engine) continue;
      line = dialect[2];
    }
    const m = line.match(/^-- @step (\w+)/);
    if (m) {
      name = m[1];
      out[name] = [''];
      continue;
    }
    if (name === null) continue;
    const stmts = out[name];
    stmts[stmts.length - 1] += line + '\n';
    if (!/^\s*--/.test(line) && /;\s*$/.test(line)) stmts.push('');
  }
  for (const k of Object.keys(out)) {
    out[k] = out[k].map((s) => s.replace(/^(\s*--[^\n]*\n)+/, '').trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s));
  }
  return out;
}

// A connection with run(sql) and rows(sql) -> array of objects, for either engine.
async function connect(engine) {
  if (engine === 'duckdb') {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const version = (await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0].v;
    const threads = (await c.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t;
    return {
      version: `DuckDB ${version} (@duckdb/node-api, in memory)`,
      settings: { threads: Number(threads) },
      run: async (sql) => { await c.run(sql); },
      rows: async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJS(),
      close: async () => { c.closeSync(); },
    };
  }
  if (engine === 'postgres') {
    const pg = (await import('pg')).default;
    const client = new pg.Client();
    await client.connect();
    const version = (await client.query('SELECT version() AS v')).rows[0].v;
    const settings = {};
    for (const s of ['shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'jit', 'fsync', 'synchronous_commit', 'wal_level']) {
      settings[s] = (await client.query(`SELECT current_setting('${s}') AS v`)).rows[0].v;
    }
    return {
      version,
      settings,
      run: async (sql) => { await client.query(sql); },
      rows: async (sql) => (await client.query(sql)).rows,
      close: async () => { await client.end(); },
    };
  }
  throw new Error(`unknown engine ${engine}`);
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const plain = (v) => (typeof v === 'bigint' ? Number(v) : v);

async function main() {
  const sql = steps(args.sql);
  const db = await connect(args.engine);
  const result = { engine: args.engine, version: db.version, settings: db.settings, as_of: args['as-of'], repeat };
  const log = (msg) => process.stderr.write(`[${args.engine}] ${msg}\n`);

  // Load: the schema, COPY of every table, and the engine's preparation (statistics).
  let start = process.hrtime.bigint();
  for (const s of [...sql.schema, ...sql.load, ...(sql.prepare ?? [])]) await db.run(s);
  result.load_s = seconds(start);
  const counts = {};
  for (const t of ['households', 'persons', 'incomes', 'events']) {
    counts[t] = Number((await db.rows(`SELECT count(*) AS n FROM ${t}`))[0].n);
  }
  result.rows = counts;
  log(`loaded in ${result.load_s.toFixed(2)} s: ${JSON.stringify(counts)}`);

  result.features_runs_s = [];
  result.rules_runs_s = [];
  for (let r = 0; r < repeat; ++r) {
    for (const s of sql.reset ?? []) await db.run(s);
    start = process.hrtime.bigint();
    const stages = [];
    for (const s of sql.features) {
      const t = process.hrtime.bigint();
      await db.run(s);
      stages.push([s.split('\n')[0].replace(/ AS$/, ''), seconds(t)]);
    }
    result.features_runs_s.push(seconds(start));
    if (!result.features_stages_s || result.features_runs_s.at(-1) === Math.min(...result.features_runs_s)) {
      result.features_stages_s = Object.fromEntries(stages);
    }
    start = process.hrtime.bigint();
    for (const s of sql.rules) await db.run(s);
    result.rules_runs_s.push(seconds(start));
    log(`run ${r + 1}: features ${result.features_runs_s.at(-1).toFixed(3)} s (${stages.map(([k, v]) => `${k.replace(/^CREATE TABLE /, '')} ${v.toFixed(3)}`).join(', ')}), rules ${result.rules_runs_s.at(-1).toFixed(3)} s`);
  }
  result.features_s = Math.min(...result.features_runs_s);
  result.rules_s = Math.min(...result.rules_runs_s);
  result.full_screen_s = result.features_s + result.rules_s;
  result.households = Number((await db.rows('SELECT count(*) AS n FROM features'))[0].n);
  result.warned = Number((await db.rows('SELECT count(*) AS n FROM decisions'))[0].n);
  result.by_category = {};
  for (const row of await db.rows('SELECT category, count(*) AS n FROM decisions GROUP BY category ORDER BY category')) {
    result.by_category[row.category] = Number(row.n);
  }

  // The check against Hearth's warnings.
  await db.run(`CREATE TABLE hearth (household_code VARCHAR, category VARCHAR, severity INTEGER, score BIGINT,
                rules VARCHAR, explanation VARCHAR)`);
  await db.run(`COPY hearth FROM '${args.hearth}' (FORMAT csv, HEADER true)`);
  const differs = `FROM hearth h FULL OUTER JOIN decisions d ON d.household_code = h.household_code
    WHERE h.household_code IS NULL OR d.household_code IS NULL OR h.category <> d.category
       OR h.severity <> d.severity OR h.score <> d.score OR h.rules <> d.rules`;
  const summary = (await db.rows(`SELECT count(*) AS n,
      count(*) FILTER (WHERE h.household_code IS NULL) AS only_peer,
      count(*) FILTER (WHERE d.household_code IS NULL) AS only_hearth,
      count(*) FILTER (WHERE h.category <> d.category) AS category,
      count(*) FILTER (WHERE h.category = d.category AND (h.severity <> d.severity OR h.score <> d.score OR h.rules <> d.rules)) AS details
    ${differs}`))[0];
  const diff = Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, Number(v)]));
  result.hearth_warned = Number((await db.rows('SELECT count(*) AS n FROM hearth'))[0].n);
  result.differences = diff;
  result.same_set = diff.only_peer === 0 && diff.only_hearth === 0 && diff.category === 0;
  result.identical = diff.n === 0;
  if (!result.identical) {
    const first = await db.rows(`SELECT COALESCE(h.household_code, d.household_code) AS household_code,
        h.category AS hearth_category, d.category AS peer_category, h.severity AS hearth_severity,
        d.severity AS peer_severity, h.score AS hearth_score, d.score AS peer_score,
        h.rules AS hearth_rules, d.rules AS peer_rules, h.explanation AS hearth_explanation
      ${differs} ORDER BY 1 LIMIT ${show}`);
    result.first_differences = [];
    for (const row of first) {
      const features = (await db.rows(`SELECT * FROM features WHERE household_code = '${row.household_code}'`))[0] ?? {};
      const entry = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]));
      entry.peer_features = Object.fromEntries(Object.entries(features).map(([k, v]) => [k, plain(v)]));
      result.first_differences.push(entry);
      console.error(`\n${args.engine} differs on household ${row.household_code}:`);
      console.error(`  Hearth: ${row.hearth_category ?? '(not warned)'} severity ${plain(row.hearth_severity) ?? '-'} score ${plain(row.hearth_score) ?? '-'} rules ${row.hearth_rules ?? '-'}`);
      console.error(`  ${args.engine}: ${row.peer_category ?? '(not warned)'} severity ${plain(row.peer_severity) ?? '-'} score ${plain(row.peer_score) ?? '-'} rules ${row.peer_rules ?? '-'}`);
      if (row.hearth_explanation) {
        const named = {};
        for (const r of JSON.parse(row.hearth_explanation)) Object.assign(named, r.params);
        console.error(`  Hearth's features (those its fired rules name): ${JSON.stringify(named)}`);
      }
      console.error(`  ${args.engine}'s features: ${JSON.stringify(entry.peer_features)}`);
    }
    console.error(`\n${args.engine}: ${diff.n} households differ (only ${args.engine}: ${diff.only_peer}, only Hearth: ${diff.only_hearth}, category: ${diff.category}, severity/score/rules: ${diff.details})`);
  } else {
    log(`identical to Hearth: ${result.warned} households warned`);
  }
  await db.close();
  writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
  process.exit(result.identical ? 0 : 3);
}

main().catch((e) => {
  console.error(`[${args.engine}] ${e.stack ?? e}`);
  process.exit(1);
});
