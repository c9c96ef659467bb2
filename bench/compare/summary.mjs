// The table of bench/compare/run: reads what the run left in OUT (hearth-screen.txt,
// engine_bench.json, duckdb.json, postgres.json, prepare.json, export.json), prints the
// comparison, writes OUT/compare.json, and puts the printed report into docs/BENCHMARKS.md
// between the markers `<!-- bench/compare/run HOUSEHOLDS: begin ... -->` and `... end -->`
// (replaced by the next run of that size; appended at the end of the file the first time).
// BENCHMARKS_MD names another file; SKIP_DOC=1 leaves it alone.
//
//   node summary.mjs OUT HOUSEHOLDS AS_OF
//
// Hearth's columns: features = the engine build from SQLite (every household's facts scanned
// and its 30 features computed), rules = rule evaluation + decisions (category, severity, score
// of every household), as `hearth screen` prints them; the peers': the features query and the
// rules query from loaded tables (compare.mjs). Best of the runs for each.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const [out, households, asOf] = process.argv.slice(2);
const read = (name) => (existsSync(`${out}/${name}`) ? JSON.parse(readFileSync(`${out}/${name}`, 'utf8')) : null);

// hearth screen's own report, one block per run.
function hearthRuns() {
  const text = readFileSync(`${out}/hearth-screen.txt`, 'utf8');
  const runs = [];
  let run = {};
  for (const line of text.split('\n')) {
    let m = line.match(/^Screened ([\d,]+) households .*?: ([\d,]+) at risk; .*\(by category: (\d+) \/ (\d+) \/ (\d+)\)/);
    if (m) {
      run.households = Number(m[1].replaceAll(',', ''));
      run.warned = Number(m[2].replaceAll(',', ''));
      run.by_category = { unstable: Number(m[3]), edge: Number(m[4]), sudden: Number(m[5]) };
    }
    m = line.match(/^Time: features ([\d.]+) ms, rules ([\d.]+) ms, decisions ([\d.]+) ms, saving ([\d.]+) ms; (\d+) bytes per household/);
    if (m) {
      Object.assign(run, { features_ms: +m[1], rules_ms: +m[2], decisions_ms: +m[3], saving_ms: +m[4], bytes_per_household: +m[5] });
    }
    m = line.match(/^wall_s ([\d.]+) peak_rss_kb (\d+)/);
    if (m) {
      run.wall_s = Number(m[1]);
      run.peak_rss_mb = Number(m[2]) / 1024;
      runs.push(run);
      run = {};
    }
  }
  return runs;
}

const runs = hearthRuns();
const min = (xs) => Math.min(...xs);
const hearth = {
  engine: 'hearth',
  runs,
  households: runs[0]?.households,
  warned: runs[0]?.warned,
  by_category: runs[0]?.by_category,
  features_s: min(runs.map((r) => r.features_ms)) / 1000,
  rules_s: min(runs.map((r) => (r.rules_ms + r.decisions_ms))) / 1000,
  rule_evaluation_s: min(runs.map((r) => r.rules_ms)) / 1000,
  saving_s: min(runs.map((r) => r.saving_ms)) / 1000,
  wall_s: min(runs.map((r) => r.wall_s)),
  peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
  bytes_per_household: runs[0]?.bytes_per_household,
};
hearth.full_screen_s = hearth.features_s + hearth.rules_s;

// engine_bench: its own as-of date (2025-01-31), the same database.
const bench = read('engine_bench.json');
if (bench) {
  // By name without Google Benchmark's suffixes ("/iterations:20000", "/manual_time").
  const by = Object.fromEntries(bench.benchmarks.map((b) => [b.name.split('/')[0], b]));
  const ms = (name) => (by[name] ? by[name].real_time * { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[by[name].time_unit] : null);
  hearth.engine_bench = {
    // HEARTH_BENCH_AS_OF is the run's date (engine_bench before it had one used 2025-01-31)
    as_of: asOf,
    build_s: ms('BM_EngineBuild') / 1000,
    bytes_per_household: by.BM_EngineBuild?.bytes_per_household,
    rules_ms: ms('BM_EngineRules'),
    full_screen_ms: ms('BM_EngineScreen'),
    at_risk: by.BM_EngineScreen?.at_risk,
    warning_records_ms: ms('BM_EngineWarnings'),
    // every benchmark with a latency distribution: p50/p99 in µs
    latency_us: Object.fromEntries(Object.entries(by).filter(([, b]) => b.p50_us != null)
      .map(([name, b]) => [name.replace(/^BM_/, ''), { p50: b.p50_us, p99: b.p99_us }])),
    context: bench.context,
  };
}

const peers = ['duckdb', 'postgres'].map((e) => read(`${e}.json`)).filter(Boolean);
const result = {
  households: hearth.households ?? Number(households),
  as_of: asOf,
  machine: {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    load: os.loadavg(),
  },
  date: new Date().toISOString(),
  data: { ...read('generate.json'), ...read('prepare.json'), ...read('export.json') },
  hearth,
  peers,
  identical: peers.every((p) => p.identical),
};
writeFileSync(`${out}/compare.json`, JSON.stringify(result, null, 2) + '\n');

const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(...line.split('\n'));
};
const f = (s) => (s == null ? '-' : s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);
const x = (a, b) => (a == null || !b ? '-' : `${(a / b).toFixed(1)}x`);
const n = (v) => (v == null ? '-' : Number(v).toLocaleString('en-US'));
const rows = [
  ['engine', 'load', 'features', 'rules', 'full screen', 'warned', 'vs Hearth: features', 'rules', 'full screen', 'same set'],
  ['Hearth', '(SQLite store)', f(hearth.features_s), f(hearth.rules_s), f(hearth.full_screen_s), n(hearth.warned), '1.0x', '1.0x', '1.0x', ''],
];
for (const p of peers) {
  rows.push([p.engine === 'duckdb' ? 'DuckDB' : 'PostgreSQL', f(p.load_s), f(p.features_s), f(p.rules_s), f(p.full_screen_s),
    n(p.warned), x(p.features_s, hearth.features_s), x(p.rules_s, hearth.rules_s), x(p.full_screen_s, hearth.full_screen_s),
    p.identical ? 'yes' : p.same_set ? 'set yes, details no' : 'NO']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
say(`\n${n(result.households)} households as of ${asOf}, best of ${runs.length} runs each` +
  ` (${result.machine.cores} cores, load ${result.machine.load.map((l) => l.toFixed(1)).join(' ')})`);
for (const r of rows) say(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
say(`\nHearth: features = engine build from SQLite; rules = rule evaluation ${f(hearth.rule_evaluation_s)} + decisions;` +
  ` saving the warnings ${f(hearth.saving_s)}; whole \`hearth screen\` ${f(hearth.wall_s)}, peak RSS ${hearth.peak_rss_mb?.toFixed(0)} MB,` +
  ` ${hearth.bytes_per_household} engine bytes per household.`);
if (hearth.engine_bench) {
  const b = hearth.engine_bench;
  say(`engine_bench (as of ${b.as_of}): build ${f(b.build_s)}, rules ${b.rules_ms?.toFixed(1)} ms, full screen ${b.full_screen_ms?.toFixed(1)} ms,` +
    ` ${b.bytes_per_household?.toFixed(0)} bytes per household; p50/p99: ` +
    Object.entries(b.latency_us).map(([k, v]) => `${k} ${v.p50?.toFixed(1)}/${v.p99?.toFixed(1)} µs`).join(', '));
}
for (const p of peers) {
  say(`${p.version}: load ${f(p.load_s)} (${Object.entries(p.rows).map(([k, v]) => `${k} ${n(v)}`).join(', ')});` +
    ` features runs ${p.features_runs_s.map(f).join(', ')}; rules runs ${p.rules_runs_s.map(f).join(', ')}`);
}
if (result.data.export_s) say(`CSV export from SQLite: ${f(result.data.export_s)}, ${n(result.data.csv_bytes)} bytes`);
say(`JSON: ${out}/compare.json`);

const doc = process.env.BENCHMARKS_MD ?? new URL('../../docs/BENCHMARKS.md', import.meta.url).pathname;
if (!process.env.SKIP_DOC && existsSync(doc)) {
  const begin = `<!-- bench/compare/run ${households}: begin (written by bench/compare/summary.mjs; edit outside the markers) -->`;
  const end = `<!-- bench/compare/run ${households}: end -->`;
  const block = [begin, '', `The report of the last \`bench/compare/run ${households}\` (${new Date().toISOString().slice(0, 16)} UTC; ` +
    `data in ${out}):`, '', '```text', ...lines.filter((l, k) => k > 0 || l !== ''), '```', '', end].join('\n');
  let text = readFileSync(doc, 'utf8');
  const at = text.indexOf(begin.slice(0, begin.indexOf(' (')));
  const stop = text.indexOf(end);
  text = at >= 0 && stop > at ? text.slice(0, at) + block + text.slice(stop + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(doc, text);
  console.log(`Report: ${doc}`);
}
process.exit(result.identical ? 0 : 3);
