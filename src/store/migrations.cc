#include "store/migrations.h"

namespace hearth {
namespace {

// Version 1: divisions, the registry, imports with their rejects, the event log, the audit log.
// A registry row records its own creation (created_import, created_line); every later change
// to it is an event carrying the changed fields before and after. Together they replay a
// household's history without one event row per registered row (bytes per household).
// Money columns are integer fen; dates are integer days since 1970-01-01; times are integer
// microseconds since the epoch (UTC).
constexpr std::string_view kV1 = R"sql(
CREATE TABLE areas (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  level       INTEGER NOT NULL,
  parent_code TEXT REFERENCES areas(code)
);
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE imports (
  id          {{id}},
  kind        TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  digest      TEXT NOT NULL,
  received    INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL,
  read_rows   BIGINT NOT NULL DEFAULT 0,
  accepted    BIGINT NOT NULL DEFAULT 0,
  rejected    BIGINT NOT NULL DEFAULT 0,
  status      TEXT NOT NULL
);
CREATE INDEX imports_kind ON imports(kind, id);

CREATE TABLE rejects (
  id          {{id}},
  import_id   BIGINT NOT NULL REFERENCES imports(id),
  line        BIGINT NOT NULL,
  column_name TEXT NOT NULL,
  raw         TEXT NOT NULL,
  kind        TEXT NOT NULL,
  hint        TEXT NOT NULL
);
CREATE INDEX rejects_import ON rejects(import_id);

CREATE TABLE households (
  id              {{id}},
  household_code  TEXT NOT NULL UNIQUE,
  village_code    TEXT NOT NULL REFERENCES areas(code),
  household_type  INTEGER NOT NULL,
  exit_year       INTEGER,
  relocation_site TEXT,
  housing_grade   TEXT,
  water_safe      INTEGER,
  created_import  BIGINT REFERENCES imports(id),
  created_line    BIGINT,
  updated_import  BIGINT REFERENCES imports(id)
);
CREATE INDEX households_village ON households(village_code);

CREATE TABLE persons (
  id               {{id}},
  household_id     BIGINT NOT NULL REFERENCES households(id),
  id_number        TEXT NOT NULL,
  name             TEXT NOT NULL,
  sex              INTEGER NOT NULL,
  birth_date       INTEGER NOT NULL,
  id_from_15       INTEGER NOT NULL,
  relation         INTEGER NOT NULL,
  health           INTEGER NOT NULL,
  disability_grade INTEGER,
  labour           INTEGER NOT NULL,
  schooling        INTEGER NOT NULL,
  insured          INTEGER NOT NULL,
  months_worked    INTEGER,
  created_import   BIGINT REFERENCES imports(id),
  created_line     BIGINT,
  updated_import   BIGINT REFERENCES imports(id),
  UNIQUE (household_id, id_number)
);
CREATE INDEX persons_id_number ON persons(id_number);

CREATE TABLE incomes (
  household_id      BIGINT NOT NULL REFERENCES households(id),
  year              INTEGER NOT NULL,
  wage_fen          BIGINT NOT NULL,
  business_fen      BIGINT NOT NULL,
  property_fen      BIGINT NOT NULL,
  transfer_fen      BIGINT NOT NULL,
  business_cost_fen BIGINT NOT NULL,
  created_import    BIGINT REFERENCES imports(id),
  created_line      BIGINT,
  updated_import    BIGINT REFERENCES imports(id),
  PRIMARY KEY (household_id, year)
);

CREATE TABLE events (
  id               {{id}},
  type             TEXT NOT NULL,
  household_id     BIGINT REFERENCES households(id),
  person_id_number TEXT,
  effective_date   INTEGER NOT NULL,
  recorded_at      BIGINT NOT NULL,
  import_id        BIGINT REFERENCES imports(id),
  source_line      BIGINT,
  amount_fen       BIGINT,
  payload          TEXT NOT NULL
);
CREATE INDEX events_household ON events(household_id, effective_date);

CREATE TABLE audit_log (
  id        {{id}},
  at        BIGINT NOT NULL,
  principal TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL
);
)sql";

// Version 2: department feeds and findings.
// - imports: the outcome counts of feed rows, the area the file concerned (the smallest area
//   holding every household it linked to) and the header row as found, for re-exports.
// - rejects hold every problem row: rejected, unmatched, duplicate (within one file) or flagged
//   (accepted with a remark), each with the whole row's cells as a JSON array.
// - events: a feed fact's key (the same for a fact and its corrections), the event it corrects
//   or retracts, and a village for facts about a village as a whole. Events are never updated:
//   an event is in force unless an event in force supersedes it. Persons that 公安 reports born
//   or moved in are known by their registration events until the registry lists them
//   (events_introduced), so later feed rows about them link to their household.
// - findings: derived state, opened and closed, never deleted.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE imports ADD COLUMN unmatched BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN duplicate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN flagged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN area_code TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN header TEXT NOT NULL DEFAULT '[]';
CREATE INDEX imports_digest ON imports(kind, digest);

ALTER TABLE rejects ADD COLUMN outcome TEXT NOT NULL DEFAULT 'rejected';
ALTER TABLE rejects ADD COLUMN cells TEXT NOT NULL DEFAULT '[]';

ALTER TABLE events ADD COLUMN event_key TEXT;
ALTER TABLE events ADD COLUMN supersedes BIGINT REFERENCES events(id);
ALTER TABLE events ADD COLUMN village_code TEXT;
CREATE INDEX events_key ON events(type, event_key) WHERE event_key IS NOT NULL;
CREATE INDEX events_supersedes ON events(supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX events_import ON events(import_id);
CREATE INDEX events_introduced ON events(person_id_number) WHERE type = 'registration.change';
-- Feed rows link by ID number: the index covers the lookup (no visit to the persons table).
CREATE INDEX persons_link ON persons(id_number, household_id, name);
DROP INDEX persons_id_number;

CREATE TABLE findings (
  id               {{id}},
  type             TEXT NOT NULL,
  severity         INTEGER NOT NULL,
  household_id     BIGINT NOT NULL REFERENCES households(id),
  village_code     TEXT NOT NULL,
  person_id_number TEXT NOT NULL DEFAULT '',
  subject          TEXT NOT NULL DEFAULT '',
  params           TEXT NOT NULL,
  opened_date      INTEGER NOT NULL,
  closed_date      INTEGER,
  import_id        BIGINT REFERENCES imports(id),
  closed_import    BIGINT REFERENCES imports(id)
);
CREATE INDEX findings_open ON findings(household_id) WHERE closed_date IS NULL;
CREATE INDEX findings_area ON findings(village_code, severity);
)sql";

// Version 3: the early-warning engine's output.
// - policies: the text of every policy version warnings were made under, by content digest, so
//   that a warning read years later is explained with the rules that raised it.
// - warnings: derived state like findings: one open warning per household and category,
//   updated while it holds, closed (with the date) when it no longer does; never deleted.
//   Rules and risk types are comma-separated ids; the explanation is JSON data (rule ids and
//   parameters, persons by internal reference), rendered when read.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE policies (
  digest     TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  content    TEXT NOT NULL,
  first_used BIGINT NOT NULL
);

CREATE TABLE warnings (
  id            {{id}},
  household_id  BIGINT NOT NULL REFERENCES households(id),
  village_code  TEXT NOT NULL,
  category      TEXT NOT NULL,
  rules         TEXT NOT NULL,
  risks         TEXT NOT NULL,
  severity      INTEGER NOT NULL,
  score         BIGINT NOT NULL,
  explanation   TEXT NOT NULL,
  policy_digest TEXT NOT NULL REFERENCES policies(digest),
  as_of         INTEGER NOT NULL,
  opened_date   INTEGER NOT NULL,
  closed_date   INTEGER,
  updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX warnings_open ON warnings(household_id, category) WHERE closed_date IS NULL;
CREATE INDEX warnings_rank ON warnings(village_code, score) WHERE closed_date IS NULL;
-- Facts about a village as a whole (water assessments), read with each of its households.
CREATE INDEX events_village ON events(village_code) WHERE household_id IS NULL;
)sql";

// ---------------------------------------------------------------------------------------------
// PostgreSQL variants. The same tables, columns (in the same order) and meaning as the portable
// SQL above, with the differences a server database needs (docs/DEPLOYMENT.md explains them
// for DBAs):
// - Text that Hearth orders or scans by prefix (codes, ID numbers, keys) is COLLATE "C": byte
//   order, as SQLite compares, whatever the database's default collation; an area's rows are a
//   range of the index (village_code >= '6532' AND village_code < '6532:').
// - The tables that grow without bound, `events` and `audit_log`, are partitioned by RANGE of
//   their time (recorded_at, at: microseconds since the epoch) into one partition per calendar
//   month (UTC+8), named events_pYYYYMM and audit_log_pYYYYMM. Hearth attaches a month's
//   partition before it writes the month's first row. Old months can be detached, archived and
//   dropped without touching the rest; a replay of what was known at a time (--known-at)
//   reads only the months up to it. A primary key or unique index of a partitioned table must
//   include the partition key, so an event is identified by (id, recorded_at) — its id still
//   comes from one sequence and is unique on its own — and no foreign key can point at an
//   event: `supersedes` is kept right by Hearth under its write lock.
// - The keys that make imports idempotent live where a unique index can hold them: a department
//   file (kind, SHA-256) is committed once — imports_feed_file, on `imports`, which is not
//   partitioned — and within one import a fact's key appears once — events_key, the index
//   facts are looked up by, made unique with the import: an import's events share their
//   recorded time, so including the partition key costs nothing.
//   (An import is 'pending' on PostgreSQL until it commits, so that a file being read again
//   without writing, or rolled back, never holds the key.)
// - The tables that bulk loads fill row by row by the million (households, persons, incomes,
//   events) and the provenance columns (created_import, updated_import, closed_import) carry
//   no foreign key: PostgreSQL checks a foreign key with a trigger per row, which made a
//   registry load several times slower (measured: 4 M persons, 56 s without, 96 s with the
//   one key on household_id). Hearth writes those rows only under its write lock, after
//   looking the parent up in the same transaction, and never deletes a parent. Tables written
//   by the hundred or thousand (rejects, findings, warnings, areas) keep theirs.

constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE areas (
  code        TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT NOT NULL,
  level       INTEGER NOT NULL,
  parent_code TEXT COLLATE "C" REFERENCES areas(code)
);
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE imports (
  id          {{id}},
  kind        TEXT COLLATE "C" NOT NULL,
  file_name   TEXT NOT NULL,
  digest      TEXT COLLATE "C" NOT NULL,
  received    INTEGER NOT NULL,
  recorded_at BIGINT NOT NULL,
  read_rows   BIGINT NOT NULL DEFAULT 0,
  accepted    BIGINT NOT NULL DEFAULT 0,
  rejected    BIGINT NOT NULL DEFAULT 0,
  status      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX imports_kind ON imports(kind, id);

CREATE TABLE rejects (
  id          {{id}},
  import_id   BIGINT NOT NULL REFERENCES imports(id),
  line        BIGINT NOT NULL,
  column_name TEXT NOT NULL,
  raw         TEXT NOT NULL,
  kind        TEXT COLLATE "C" NOT NULL,
  hint        TEXT NOT NULL
);
CREATE INDEX rejects_import ON rejects(import_id);

CREATE TABLE households (
  id              {{id}},
  household_code  TEXT COLLATE "C" NOT NULL UNIQUE,
  village_code    TEXT COLLATE "C" NOT NULL,
  household_type  INTEGER NOT NULL,
  exit_year       INTEGER,
  relocation_site TEXT,
  housing_grade   TEXT,
  water_safe      INTEGER,
  created_import  BIGINT,
  created_line    BIGINT,
  updated_import  BIGINT
);
CREATE INDEX households_village ON households(village_code);

CREATE TABLE persons (
  id               {{id}},
  household_id     BIGINT NOT NULL,
  id_number        TEXT COLLATE "C" NOT NULL,
  name             TEXT NOT NULL,
  sex              INTEGER NOT NULL,
  birth_date       INTEGER NOT NULL,
  id_from_15       INTEGER NOT NULL,
  relation         INTEGER NOT NULL,
  health           INTEGER NOT NULL,
  disability_grade INTEGER,
  labour           INTEGER NOT NULL,
  schooling        INTEGER NOT NULL,
  insured          INTEGER NOT NULL,
  months_worked    INTEGER,
  created_import   BIGINT,
  created_line     BIGINT,
  updated_import   BIGINT,
  UNIQUE (household_id, id_number)
);
CREATE INDEX persons_id_number ON persons(id_number);

CREATE TABLE incomes (
  household_id      BIGINT NOT NULL,
  year              INTEGER NOT NULL,
  wage_fen          BIGINT NOT NULL,
  business_fen      BIGINT NOT NULL,
  property_fen      BIGINT NOT NULL,
  transfer_fen      BIGINT NOT NULL,
  business_cost_fen BIGINT NOT NULL,
  created_import    BIGINT,
  created_line      BIGINT,
  updated_import    BIGINT,
  PRIMARY KEY (household_id, year)
);

CREATE SEQUENCE events_id_seq AS BIGINT;
CREATE TABLE events (
  id               BIGINT NOT NULL DEFAULT nextval('events_id_seq'),
  type             TEXT COLLATE "C" NOT NULL,
  household_id     BIGINT,
  person_id_number TEXT COLLATE "C",
  effective_date   INTEGER NOT NULL,
  recorded_at      BIGINT NOT NULL,
  import_id        BIGINT,
  source_line      BIGINT,
  amount_fen       BIGINT,
  payload          TEXT NOT NULL,
  PRIMARY KEY (id, recorded_at)
) PARTITION BY RANGE (recorded_at);
ALTER SEQUENCE events_id_seq OWNED BY events.id;
CREATE INDEX events_household ON events(household_id, effective_date);

CREATE SEQUENCE audit_log_id_seq AS BIGINT;
CREATE TABLE audit_log (
  id        BIGINT NOT NULL DEFAULT nextval('audit_log_id_seq'),
  at        BIGINT NOT NULL,
  principal TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
)sql";

constexpr std::string_view kV2Postgres = R"sql(
ALTER TABLE imports ADD COLUMN unmatched BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN duplicate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN flagged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN area_code TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN header TEXT NOT NULL DEFAULT '[]';
CREATE INDEX imports_digest ON imports(kind, digest);
-- A department file (its digest is the file's SHA-256) is committed once: the key of the
-- digest check (ImportFeed). Registry files re-import by design; an undo keeps the digest of the
-- file it undid; imports of no file (findings-refresh) have no file digest.
CREATE UNIQUE INDEX imports_feed_file ON imports(kind, digest)
  WHERE status = 'committed' AND digest LIKE 'sha256:%' AND kind NOT LIKE 'registry-%' AND kind <> 'undo';

ALTER TABLE rejects ADD COLUMN outcome TEXT COLLATE "C" NOT NULL DEFAULT 'rejected';
ALTER TABLE rejects ADD COLUMN cells TEXT NOT NULL DEFAULT '[]';

ALTER TABLE events ADD COLUMN event_key TEXT COLLATE "C";
ALTER TABLE events ADD COLUMN supersedes BIGINT;
ALTER TABLE events ADD COLUMN village_code TEXT COLLATE "C";
-- The lookup of a fact by key, and a key that holds: within one import a fact's key appears
-- once (rows of a file that disagree are both rejected). Unique indexes of a partitioned table
-- include the partition key; an import's events share their recorded time.
CREATE UNIQUE INDEX events_key ON events(type, event_key, import_id, recorded_at) WHERE event_key IS NOT NULL;
CREATE INDEX events_supersedes ON events(supersedes) WHERE supersedes IS NOT NULL;
-- With the id: an import's events are read in order (TouchedHouseholds) from the index.
CREATE INDEX events_import ON events(import_id, id);
CREATE INDEX events_introduced ON events(person_id_number) WHERE type = 'registration.change';
CREATE INDEX persons_link ON persons(id_number, household_id, name);
DROP INDEX persons_id_number;

CREATE TABLE findings (
  id               {{id}},
  type             TEXT COLLATE "C" NOT NULL,
  severity         INTEGER NOT NULL,
  household_id     BIGINT NOT NULL REFERENCES households(id),
  village_code     TEXT COLLATE "C" NOT NULL,
  person_id_number TEXT COLLATE "C" NOT NULL DEFAULT '',
  subject          TEXT COLLATE "C" NOT NULL DEFAULT '',
  params           TEXT NOT NULL,
  opened_date      INTEGER NOT NULL,
  closed_date      INTEGER,
  import_id        BIGINT REFERENCES imports(id),
  closed_import    BIGINT
);
CREATE INDEX findings_open ON findings(household_id) WHERE closed_date IS NULL;
CREATE INDEX findings_area ON findings(village_code, severity);
)sql";

constexpr std::string_view kV3Postgres = R"sql(
CREATE TABLE policies (
  digest     TEXT COLLATE "C" PRIMARY KEY,
  name       TEXT NOT NULL,
  content    TEXT NOT NULL,
  first_used BIGINT NOT NULL
);

CREATE TABLE warnings (
  id            {{id}},
  household_id  BIGINT NOT NULL REFERENCES households(id),
  village_code  TEXT COLLATE "C" NOT NULL,
  category      TEXT COLLATE "C" NOT NULL,
  rules         TEXT NOT NULL,
  risks         TEXT NOT NULL,
  severity      INTEGER NOT NULL,
  score         BIGINT NOT NULL,
  explanation   TEXT NOT NULL,
  policy_digest TEXT COLLATE "C" NOT NULL REFERENCES policies(digest),
  as_of         INTEGER NOT NULL,
  opened_date   INTEGER NOT NULL,
  closed_date   INTEGER,
  updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX warnings_open ON warnings(household_id, category) WHERE closed_date IS NULL;
CREATE INDEX warnings_rank ON warnings(village_code, score) WHERE closed_date IS NULL;
CREATE INDEX events_village ON events(village_code) WHERE household_id IS NULL;
)sql";

// Version 4: the engine image (引擎快照, engine/image.h), derived data that lets the engine start
// from a few large blobs instead of every registry row, and what an import changed.
// - imports.registry_changed: the import inserted or updated households, persons or incomes
//   (an image is then rebuilt from the registry rather than patched).
// - engine_images: one row per image (normally one: saving an image replaces the last), with
//   the imports committed before its scan as max_import and the ids below it not committed
//   then (missing_imports, comma separated); engine_image_chunks: its blobs, chunk 0 the head
//   data (string pool, villages), chunks 1..n the households in reference order.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE imports ADD COLUMN registry_changed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE engine_images (
  id              {{id}},
  created_at      BIGINT NOT NULL,
  format          INTEGER NOT NULL,
  households      BIGINT NOT NULL,
  chunks          BIGINT NOT NULL,
  bytes           BIGINT NOT NULL,
  max_import      BIGINT NOT NULL,
  missing_imports TEXT NOT NULL
);
CREATE TABLE engine_image_chunks (
  image_id BIGINT NOT NULL REFERENCES engine_images(id),
  seq      BIGINT NOT NULL,
  data     {{bytes}} NOT NULL,
  PRIMARY KEY (image_id, seq)
);
)sql";

// PostgreSQL: kV4, then the chunks stored as they are. They are already compact, and
// compressing 1 GB of them (TOAST's default) would cost more than it saves.
constexpr std::string_view kV4PostgresStorage = R"sql(
ALTER TABLE engine_image_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
)sql";

// Version 5: a feed fact's key indexed by its 64-bit hash (events.key_hash,
// store_rules::EventKeyHash), not by its text. The index entry is then 8 bytes and one integer
// comparison instead of a ~50-byte key compared byte by byte: a 1 M-row file's inserts into
// events_key cost ~0.5 s instead of ~5 s (docs/BENCHMARKS.md). A lookup names the hash and the
// text, so a collision only costs a probe. SQLite computes the hash of the events already
// stored with hearth_key_hash(), the function Hearth registers on its connection.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE events ADD COLUMN key_hash BIGINT;
UPDATE events SET key_hash = hearth_key_hash(event_key) WHERE event_key IS NOT NULL;
DROP INDEX events_key;
CREATE INDEX events_key ON events(type, key_hash) WHERE key_hash IS NOT NULL;
)sql";

// PostgreSQL: the column only. Its events_key stays on the key text (unique with the import and
// the partition key: it also guards that a key appears once in an import), and PgStore fills the
// hashes of the events already stored when it applies this version (FillEventKeyHashes).
// Also in version 5, on both backends in effect: a department file is no longer committed only
// once. The same bytes are taken again when they would now add facts (rows unmatched then whose
// person is registered now, a corrected received date: ImportFeed), so imports_feed_file, which
// held (kind, digest) unique, goes; ImportFeed's digest check under the write lock remains.
constexpr std::string_view kV5Postgres = R"sql(
ALTER TABLE events ADD COLUMN key_hash BIGINT;
DROP INDEX imports_feed_file;
)sql";

// Version 6: the facts a file confirmed. A row repeating, in a file received later, a fact an
// earlier file gave is a duplicate and adds no event; its file is remembered here as having
// confirmed the fact (the keys' 64-bit hashes, store_rules::EventKeyHash, as hexadecimal text: one
// row per import and event type), so that a file received before it but imported after cannot
// overturn what it confirmed. Also: a problem row keeps the name of the workbook sheet it was read
// from (rejects.sheet), for the list sent back to the department.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE import_confirmations (
  import_id BIGINT NOT NULL REFERENCES imports(id),
  type      TEXT NOT NULL,
  keys      TEXT NOT NULL
);
CREATE INDEX import_confirmations_type ON import_confirmations(type, import_id);
ALTER TABLE rejects ADD COLUMN sheet TEXT;
)sql";

// Version 7: the index that links feed rows to persons covers the person's relation to the head
// too, so that a feed naming households by their head (housing, water: [link] head = true) finds
// the household the person heads without visiting the persons table, and SQLite's in-memory
// PersonIndex still reads it in one pass over the index.
constexpr std::string_view kV7 = R"sql(
DROP INDEX IF EXISTS persons_link;
CREATE INDEX persons_link ON persons(id_number, household_id, name, relation);
)sql";

// Version 8: the villages a feed file concerns (ImportTotals::villages): the distinct village
// codes of its rows that linked to a household or a village, one row each, written in the
// file's transaction. `hearth imports --area` lists a file under the areas holding one of them,
// not under every area inside the smallest area holding them all (imports.area_code, still
// shown). Imports made before this version have none and are listed by their area_code.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE import_villages (
  import_id    BIGINT NOT NULL REFERENCES imports(id),
  village_code TEXT NOT NULL,
  PRIMARY KEY (import_id, village_code)
);
CREATE INDEX import_villages_village ON import_villages(village_code, import_id);
)sql";

// PostgreSQL: kV8 with the codes in byte order, so that a prefix is a range of the index.
constexpr std::string_view kV8Postgres = R"sql(
CREATE TABLE import_villages (
  import_id    BIGINT NOT NULL REFERENCES imports(id),
  village_code TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (import_id, village_code)
);
CREATE INDEX import_villages_village ON import_villages(village_code, import_id);
)sql";

constexpr std::string_view kPostgresIdColumn = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";

}  // namespace

const std::vector<Migration>& SchemaMigrations() {
  static const std::string v4_postgres = std::string(kV4) + std::string(kV4PostgresStorage);
  static const std::vector<Migration> migrations = {
      {1, "divisions, registry, imports, rejects, events, audit", kV1, kV1Postgres},
      {2, "department feeds: outcomes, event keys and supersession; findings", kV2, kV2Postgres},
      {3, "early warning: policy versions and warnings", kV3, kV3Postgres},
      {4, "engine images; what an import changed", kV4, v4_postgres},
      {5, "feed fact keys indexed by their hash", kV5, kV5Postgres},
      {6, "the facts a file confirmed; the sheet of a problem row", kV6, ""},
      {7, "the person-link index covers the relation to the head", kV7, ""},
      {8, "the villages a feed file concerns", kV8, kV8Postgres},
  };
  return migrations;
}

int LatestSchemaVersion() { return SchemaMigrations().back().version; }

std::string RenderMigration(std::string_view sql, std::string_view id_column) {
  std::string out(sql);
  constexpr std::string_view kToken = "{{id}}";
  for (size_t pos = out.find(kToken); pos != std::string::npos; pos = out.find(kToken, pos)) {
    out.replace(pos, kToken.size(), id_column);
    pos += id_column.size();
  }
  return out;
}

std::string MigrationSql(const Migration& m, Backend backend) {
  const bool postgres = backend == Backend::kPostgres;
  std::string out = RenderMigration(postgres && !m.postgres_sql.empty() ? m.postgres_sql : m.sql,
                                    postgres ? kPostgresIdColumn : "INTEGER PRIMARY KEY");
  // {{bytes}}: the type of a column of bytes.
  constexpr std::string_view kBytes = "{{bytes}}";
  for (size_t pos = out.find(kBytes); pos != std::string::npos; pos = out.find(kBytes, pos)) {
    out.replace(pos, kBytes.size(), postgres ? "BYTEA" : "BLOB");
  }
  return out;
}

}  // namespace hearth
