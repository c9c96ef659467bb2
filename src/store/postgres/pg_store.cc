#include "store/postgres/pg_store.h"

#include <utility>

#include <unordered_map>

#include "core/clock.h"
#include "core/messages.h"
#include "store/common_sql.h"
#include "store/migrations.h"
#include "store/postgres/pg_internal.h"
#include "store/row_readers.h"

namespace hearth {

bool IsPostgresUri(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string DisplayDatabase(const std::string& db) { return IsPostgresUri(db) ? pg::DisplayUri(db) : db; }

namespace pg_impl {
namespace {

// ---------------------------------------------------------------------------------------------
// Schema

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// The database named by `uri` (libpq's parse), or "" when it names none.
std::string DatabaseName(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  std::string name;
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "dbname" && o->val != nullptr) name = o->val;
  }
  if (options != nullptr) PQconninfoFree(options);
  return name;
}

// An SQL identifier in double quotes.
std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

Area ReadArea(const Result& q, int r) {
  return Area{q.Text(r, 0), q.Text(r, 1), static_cast<AreaLevel>(q.Int(r, 2)), q.Text(r, 3)};
}

std::vector<Area> CollectAreas(const Result& q) {
  std::vector<Area> out;
  out.reserve(static_cast<size_t>(q.rows()));
  for (int r = 0; r < q.rows(); ++r) out.push_back(ReadArea(q, r));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Row mapping

const std::string_view kHouseholdColumns =
    "household_code, village_code, household_type, exit_year, relocation_site, housing_grade, water_safe";

const std::string_view kPersonColumns =
    "p.name, p.id_number, p.sex, p.birth_date, p.id_from_15, p.relation, p.health, "
    "p.disability_grade, p.labour, p.schooling, p.insured, p.months_worked, p.id";

const std::string_view kIncomeColumns = "year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen";

const std::string_view kEventColumns =
    "e.id, e.type, COALESCE(e.person_id_number, ''), e.effective_date, e.recorded_at, COALESCE(e.import_id, 0), "
    "COALESCE(e.source_line, 0), e.amount_fen, e.payload, COALESCE(e.event_key, ''), COALESCE(e.supersedes, 0), "
    "COALESCE(e.village_code, '')";

std::optional<std::string> GradeText(const std::optional<char>& g) {
  if (!g) return std::nullopt;
  return std::string(1, *g);
}

std::optional<int64_t> OptBool(const std::optional<bool>& b) {
  if (!b) return std::nullopt;
  return *b ? 1 : 0;
}

HouseholdRecord ReadHousehold(const Result& q, int r, int c) {
  HouseholdRecord h;
  store_rules::ReadHouseholdInto(ResultRow{q, r}, c, &h);
  return h;
}

PersonRecord ReadPerson(const Result& q, int r, int c) {
  PersonRecord p;
  store_rules::ReadPersonInto(ResultRow{q, r}, c, &p);
  return p;
}

IncomeRecord ReadIncome(const Result& q, int r, int c) {
  IncomeRecord i;
  store_rules::ReadIncomeInto(ResultRow{q, r}, c, &i);
  return i;
}

EventRecord ReadEvent(const Result& q, int r, int c) {
  EventRecord e;
  store_rules::ReadEventInto(ResultRow{q, r}, c, &e);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Ids

StatusOr<int64_t> IdBlock::Next(Conn& conn) {
  if (next_ == ids_.size()) {
    HEARTH_ASSIGN_OR_RETURN(Result r, conn.Query("SELECT nextval($1::regclass) FROM generate_series(1, $2::int)",
                                                 Params().Add(sequence_).Add(block_)));
    ids_.clear();
    for (int i = 0; i < r.rows(); ++i) ids_.push_back(r.Int(i, 0));
    next_ = 0;
    block_ = std::min<int64_t>(block_ * 4, 65536);  // few round trips on a bulk load
    if (ids_.empty()) return Status::Internal("no ids from " + sequence_);
  }
  return ids_[next_++];
}

// ---------------------------------------------------------------------------------------------
// Opening, migrations

Status SetUpSession(Conn& conn) {
  // UTF-8 whatever the environment says (PGCLIENTENCODING); no server-side timeouts on a long
  // import or scan; no JIT for the short statements Hearth runs.
  return conn.Exec("SET client_encoding = 'UTF8'; SET statement_timeout = 0; "
                   "SET idle_in_transaction_session_timeout = 0; SET jit = off");
}

Status PgStore::Open(OpenMode mode) {
  HEARTH_RETURN_IF_ERROR(Connect(mode));
  HEARTH_ASSIGN_OR_RETURN(Result enc, conn_.Query("SHOW server_encoding"));
  if (enc.rows() != 1 || enc.View(0, 0) != "UTF8") {
    return Error(StatusCode::kFailedPrecondition, Msg::kPgEncoding, conn_.display(), enc.rows() ? enc.Text(0, 0) : "?");
  }
  HEARTH_RETURN_IF_ERROR(SetUpSession(conn_));
  HEARTH_RETURN_IF_ERROR(CheckIsHearthDatabase(mode));
  HEARTH_ASSIGN_OR_RETURN(version_, Migrate());
  return Status::Ok();
}

// Connects; when the database is missing, kExisting refuses ("db_missing") and kCreate creates
// it through the server's maintenance database (as a SQLite file is created).
Status PgStore::Connect(OpenMode mode) {
  Status first = conn_.Connect(uri_);
  if (first.ok()) return first;
  const std::string name = DatabaseName(uri_);
  Conn admin;
  if (name.empty() || name == "postgres" || !admin.Connect(uri_, "postgres").ok()) return first;
  auto exists = admin.Query("SELECT 1 FROM pg_database WHERE datname = $1", Params().Add(name));
  if (!exists.ok() || exists->rows() > 0) return first;  // it exists: the first error says why it failed
  if (mode == OpenMode::kExisting) return Error(StatusCode::kFailedPrecondition, Msg::kPgDbMissing, conn_.display());
  // Another process may create it at the same moment: then connecting works all the same.
  Status created = admin.Exec("CREATE DATABASE " + QuoteIdent(name) + " ENCODING 'UTF8' TEMPLATE template0");
  Status connected = conn_.Connect(uri_);
  if (!created.ok() && !connected.ok()) return Error(StatusCode::kFailedPrecondition, Msg::kPgDbMissing, conn_.display());
  return connected;
}

// Refuses another program's database (tables but no schema_migrations), and for commands that
// need an initialised database, one without Hearth's tables.
Status PgStore::CheckIsHearthDatabase(OpenMode mode) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "SELECT COUNT(*), COUNT(*) FILTER (WHERE c.relname = 'schema_migrations') FROM pg_class c "
      "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition"));
  int64_t tables = q.Int(0, 0);
  bool hearth = q.Int(0, 1) > 0;
  if (hearth || (tables == 0 && mode == OpenMode::kCreate)) return Status::Ok();
  if (tables == 0) return Error(StatusCode::kFailedPrecondition, Msg::kPgDbMissing, conn_.display());
  return Error(StatusCode::kFailedPrecondition, Msg::kPgNotHearth, conn_.display());
}

// Applies the missing migrations, each in its own transaction under the write lock, so that
// processes opening a new database at once migrate it once.
StatusOr<int> PgStore::Migrate() {
  HEARTH_ASSIGN_OR_RETURN(Result has, conn_.Query("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  int version = 0;
  if (has.Int(0, 0) != 0) {
    HEARTH_ASSIGN_OR_RETURN(Result v, conn_.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    version = static_cast<int>(v.Int(0, 0));
  }
  if (version > LatestSchemaVersion()) {
    return Error(StatusCode::kFailedPrecondition, Msg::kSchemaTooNew, conn_.display(), version, LatestSchemaVersion());
  }
  for (const Migration& m : SchemaMigrations()) {
    if (m.version <= version) continue;
    HEARTH_RETURN_IF_ERROR(BeginWrite());
    if (Status s = ApplyMigration(m); !s.ok()) {
      RollbackWrite();
      return s;
    }
    HEARTH_RETURN_IF_ERROR(CommitWrite());
    version = m.version;
  }
  return version;
}

// Inside a write transaction: `m`, unless another process applied it while this one waited.
Status PgStore::ApplyMigration(const Migration& m) {
  HEARTH_RETURN_IF_ERROR(conn_.Exec(kCreateMigrationsTable));
  HEARTH_ASSIGN_OR_RETURN(Result applied, conn_.Query("SELECT 1 FROM schema_migrations WHERE version = $1",
                                                      Params().Add(m.version)));
  if (applied.rows() > 0) return Status::Ok();
  HEARTH_RETURN_IF_ERROR(conn_.Exec(MigrationSql(m, Backend::kPostgres)));
  if (m.version == 5) HEARTH_RETURN_IF_ERROR(FillEventKeyHashes());
  return conn_.Query("INSERT INTO schema_migrations VALUES ($1, $2, $3)",
                     Params().Add(m.version).Add(m.description).Add(SystemClock().NowMicros()))
      .status();
}

// Migration 5 on PostgreSQL: the key hash of every event stored before it, computed here
// (store_rules::EventKeyHash; PostgreSQL has no such function), 10,000 events a statement.
Status PgStore::FillEventKeyHashes() {
  int64_t after = 0;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(Result page, conn_.Query("SELECT id, event_key FROM events WHERE event_key IS NOT NULL "
                                                     "AND id > $1 ORDER BY id LIMIT 10000",
                                                     Params().Add(after)));
    if (page.rows() == 0) return Status::Ok();
    std::vector<int64_t> ids, hashes;
    for (int r = 0; r < page.rows(); ++r) {
      ids.push_back(page.Int(r, 0));
      hashes.push_back(store_rules::EventKeyHash(page.View(r, 1)));
    }
    after = ids.back();
    HEARTH_RETURN_IF_ERROR(conn_.Query("UPDATE events e SET key_hash = v.h FROM unnest($1::bigint[], $2::bigint[]) "
                                       "AS v(id, h) WHERE e.id = v.id",
                                       Params().AddArray(ids).AddArray(hashes))
                               .status());
  }
}

Status PgStore::BeginWrite() {
  HEARTH_RETURN_IF_ERROR(conn_.Exec("BEGIN"));
  Status s = conn_.Query("SELECT pg_advisory_xact_lock($1::bigint)", Params().Add(kWriteLock)).status();
  if (!s.ok()) RollbackWrite();
  return s;
}

Status PgStore::CommitWrite() {
  if (Status rows = conn_.EndCopy(); !rows.ok()) {
    RollbackWrite();
    return rows;
  }
  Status s = conn_.Exec("COMMIT");
  if (!s.ok() && s.kind() == "db_connection_lost") {
    return Error(StatusCode::kIoError, Msg::kPgCommitUnknown, conn_.display(), s.message());
  }
  return s;
}

void PgStore::RollbackWrite() {
  (void)conn_.EndCopy();
  if (conn_.ok()) (void)conn_.Exec("ROLLBACK");
}

// ---------------------------------------------------------------------------------------------
// Partitions

MonthPartition PartitionFor(std::string_view table, int64_t micros) {
  constexpr int64_t kMicrosPerDay = int64_t{86400} * 1'000'000;
  const int64_t local = micros - Clock::StartOfDayMicros(Date::FromDays(0));  // since 1970-01-01 00:00 UTC+8
  Date day = Date::FromDays(static_cast<int32_t>(local / kMicrosPerDay - (local % kMicrosPerDay < 0 ? 1 : 0)));
  Date first = Date::FromCivil(day.year(), day.month(), 1);
  Date next = day.month() == 12 ? Date::FromCivil(day.year() + 1, 1, 1) : Date::FromCivil(day.year(), day.month() + 1, 1);
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "_p%04d%02d", day.year(), day.month());
  return {std::string(table) + suffix, Clock::StartOfDayMicros(first), Clock::StartOfDayMicros(next)};
}

Status PgStore::EnsurePartition(std::string_view table, int64_t micros, bool in_transaction) {
  const MonthPartition p = PartitionFor(table, micros);
  if (partitions_.contains(p.name)) return Status::Ok();
  // A table of that name: attached (relispartition), or one a DBA detached to archive the month.
  auto state = [&]() -> StatusOr<int> {  // 0 none, 1 attached, 2 detached
    HEARTH_ASSIGN_OR_RETURN(Result r, conn_.Query("SELECT c.relispartition FROM pg_class c WHERE c.oid = to_regclass($1)",
                                                  Params().Add(p.name)));
    if (r.rows() == 0) return 0;
    return r.Int(0, 0) != 0 ? 1 : 2;
  };
  auto detached = [&] { return Error(StatusCode::kFailedPrecondition, Msg::kPgPartitionDetached, p.name, std::string(table)); };
  HEARTH_ASSIGN_OR_RETURN(int found, state());
  if (found == 2) return detached();
  if (found == 1) {
    // Inside a transaction it may be this transaction's own, which a rollback would undo.
    if (!in_transaction) partitions_.insert(p.name);
    return Status::Ok();
  }
  // Processes making the same month's partition take turns on a lock of that name only, so a
  // reader's audit row never waits for an import to finish (the writers' lock is not needed).
  if (!in_transaction) HEARTH_RETURN_IF_ERROR(conn_.Exec("BEGIN"));
  Status s = conn_.Query("SELECT pg_advisory_xact_lock(hashtext($1))", Params().Add(p.name)).status();
  if (s.ok()) {  // another process may have made it while we waited for the lock
    StatusOr<int> again = state();
    s = again.status();
    found = again.ok() ? *again : 0;
    if (s.ok() && found == 2) s = detached();
  }
  if (s.ok() && found == 0) {
    // Made apart and attached: ATTACH takes a lock that lets readers of the other months go on
    // (CREATE TABLE ... PARTITION OF would lock the whole table against them).
    s = conn_.Exec("CREATE TABLE " + p.name + " (LIKE " + std::string(table) + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS); "
                   "ALTER TABLE " + std::string(table) + " ATTACH PARTITION " + p.name + " FOR VALUES FROM (" +
                   std::to_string(p.from) + ") TO (" + std::to_string(p.to) + ")");
  }
  if (in_transaction) return s;  // known for good once the transaction commits
  if (!s.ok()) {
    RollbackWrite();
    return s;
  }
  HEARTH_RETURN_IF_ERROR(CommitWrite());
  partitions_.insert(p.name);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Areas

Status PgStore::LoadAreas(const std::vector<Area>& areas) {
  HEARTH_RETURN_IF_ERROR(BeginWrite());
  CopyBuffer copy("areas_load (code, name, level, parent_code)");
  // A code given twice: the last one counts, as with SQLite's upsert row by row (one INSERT ...
  // ON CONFLICT may not change a row twice).
  std::unordered_map<std::string_view, size_t> last;
  for (size_t i = 0; i < areas.size(); ++i) last[areas[i].code] = i;
  for (size_t i = 0; i < areas.size(); ++i) {
    const Area& a = areas[i];
    if (last[a.code] != i) continue;
    copy.Field(a.code).Field(a.name).Field(static_cast<int>(a.level));
    if (a.parent_code.empty()) {
      copy.Null();
    } else {
      copy.Field(a.parent_code);
    }
    copy.EndRow();
  }
  Status s = conn_.Exec("CREATE TEMP TABLE areas_load (LIKE areas) ON COMMIT DROP");
  if (s.ok()) s = copy.Flush(conn_);
  if (s.ok()) {
    s = conn_.Exec(
        "INSERT INTO areas (code, name, level, parent_code) SELECT code, name, level, parent_code FROM areas_load "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code "
        "WHERE (areas.name, areas.level, areas.parent_code) IS DISTINCT FROM "
        "(excluded.name, excluded.level, excluded.parent_code)");
  }
  if (!s.ok()) {
    RollbackWrite();
    return s;
  }
  return CommitWrite();
}

StatusOr<Area> PgStore::GetArea(const std::string& code) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT code, name, level, COALESCE(parent_code, '') FROM areas "
                                                "WHERE code = $1", Params().Add(code)));
  if (q.rows() == 0) return Error(StatusCode::kNotFound, Msg::kAreaUnknown, code);
  return ReadArea(q, 0);
}

StatusOr<std::vector<Area>> PgStore::FindAreasByName(const std::string& text, int limit) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT code, name, level, COALESCE(parent_code, '') FROM areas "
                                                "WHERE strpos(name, $1) > 0 ORDER BY code LIMIT $2::int",
                                                Params().Add(text).Add(limit)));
  return CollectAreas(q);
}

StatusOr<std::vector<Area>> PgStore::Descendants(const std::string& code) {
  // Codes nest by prefix, so the subtree is a range scan of the primary key.
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT code, name, level, COALESCE(parent_code, '') FROM areas "
                                                "WHERE code > $1::text AND code < $1::text || ':' ORDER BY code",
                                                Params().Add(code)));
  return CollectAreas(q);
}

// ---------------------------------------------------------------------------------------------
// Imports

StatusOr<std::unique_ptr<ImportTransaction>> PgStore::BeginImport(const ImportRecord& record) {
  HEARTH_RETURN_IF_ERROR(BeginWrite());
  int64_t recorded_at = record.recorded_at != 0 ? record.recorded_at : SystemClock().NowMicros();
  // 'pending' until Commit: a department file counts as imported (FindImportByDigest) only once
  // its import is committed.
  auto inserted = conn_.Query("INSERT INTO imports (kind, file_name, digest, received, recorded_at, status) "
                              "VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id",
                              Params().Add(record.kind).Add(record.file_name).Add(record.digest)
                                  .Add(record.received.days()).Add(recorded_at));
  if (!inserted.ok()) {
    RollbackWrite();
    return inserted.status();
  }
  // The import's lookups are by key, on tables this very transaction may be filling (a month's
  // event partition made minutes ago): their cached plans must keep to the indexes whatever
  // the statistics said when the plans were made.
  if (Status s = conn_.Exec("SET LOCAL enable_seqscan = off"); !s.ok()) {
    RollbackWrite();
    return s;
  }
  auto tx = std::make_unique<PgImportTransaction>(*this, conn_, inserted->Int(0, 0), recorded_at);
  import_open_ = true;
  HEARTH_RETURN_IF_ERROR(tx->Prepare());  // on failure tx's destructor rolls back
  return std::unique_ptr<ImportTransaction>(std::move(tx));
}

// ---------------------------------------------------------------------------------------------
// Registry reads

StatusOr<std::vector<AreaCount>> PgStore::CountByArea(const std::string& area, AreaLevel level) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "SELECT a.code, a.name, c.households, c.persons, c.tuopin, c.relocated FROM ("
      "  SELECT substr(h.village_code, 1, $1::int) AS code, COUNT(*) AS households, "
      "    SUM((SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id)) AS persons, "
      "    COUNT(*) FILTER (WHERE h.household_type = 1) AS tuopin, "
      "    COUNT(*) FILTER (WHERE h.relocation_site IS NOT NULL AND h.relocation_site <> '') AS relocated "
      "  FROM households h WHERE h.village_code >= $2::text AND h.village_code < $2::text || ':' GROUP BY 1"
      ") c JOIN areas a ON a.code = c.code ORDER BY a.code",
      Params().Add(AreaLevelDigits(level)).Add(area)));
  std::vector<AreaCount> out;
  for (int r = 0; r < q.rows(); ++r) {
    out.push_back({q.Text(r, 0), q.Text(r, 1), q.Int(r, 2), q.Int(r, 3), q.Int(r, 4), q.Int(r, 5)});
  }
  return out;
}

Status PgStore::LoadMembers(int64_t household_id, HouseholdView* view) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT " + std::string(kPersonColumns) +
                                                " FROM persons p WHERE p.household_id = $1 "
                                                "ORDER BY p.relation, p.birth_date, p.id",
                                                Params().Add(household_id)));
  for (int r = 0; r < q.rows(); ++r) {
    view->members.push_back(ReadPerson(q, r, 0));
    view->members.back().household_code = view->household.household_code;
  }
  return Status::Ok();
}

Status PgStore::LoadIncomes(int64_t household_id, HouseholdView* view) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT " + std::string(kIncomeColumns) +
                                                " FROM incomes WHERE household_id = $1 ORDER BY year DESC",
                                                Params().Add(household_id)));
  for (int r = 0; r < q.rows(); ++r) {
    view->incomes.push_back(ReadIncome(q, r, 0));
    view->incomes.back().household_code = view->household.household_code;
  }
  return Status::Ok();
}

// The household's history: its change events, and the creation of each of its registry rows
// (kept on the rows themselves, see migrations.cc), newest first.
Status PgStore::LoadEvents(int64_t household_id, HouseholdView* view) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      std::string(kHouseholdHistorySql),
      Params().Add(household_id)));
  for (int r = 0; r < q.rows(); ++r) {
    EventRecord e{q.Int(r, 0), q.Text(r, 1), view->household.household_code, q.Text(r, 2),
                  Date::FromDays(static_cast<int32_t>(q.Int(r, 3))), q.Int(r, 4), q.Int(r, 5), q.Int(r, 6),
                  std::nullopt, q.Text(r, 8)};
    if (auto fen = q.OptInt(r, 7)) e.amount = Money::FromFen(*fen);
    e.supersedes = q.Int(r, 9);
    view->events.push_back(std::move(e));
  }
  return Status::Ok();
}

Status PgStore::InOneSnapshot(const std::function<Status()>& reads) {
  // Inside a transaction (an import's) the reads see what it sees; else one read-only snapshot,
  // as SQLite's read transaction gives.
  if (PQtransactionStatus(conn_.raw()) != PQTRANS_IDLE) return reads();
  HEARTH_RETURN_IF_ERROR(conn_.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Status s = reads();
  if (conn_.ok()) (void)conn_.Exec(s.ok() ? "COMMIT" : "ROLLBACK");
  return s;
}

StatusOr<HouseholdView> PgStore::GetHousehold(const std::string& household_code) {
  HouseholdView view;
  HEARTH_RETURN_IF_ERROR(InOneSnapshot([&]() -> Status {
    HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT id, " + std::string(kHouseholdColumns) +
                                                  " FROM households WHERE household_code = $1",
                                                  Params().Add(household_code)));
    if (q.rows() == 0) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, household_code);
    int64_t id = q.Int(0, 0);
    view.household = ReadHousehold(q, 0, 1);
    HEARTH_ASSIGN_OR_RETURN(view.path, PathToRoot(view.household.village_code));
    HEARTH_RETURN_IF_ERROR(LoadMembers(id, &view));
    HEARTH_RETURN_IF_ERROR(LoadIncomes(id, &view));
    return LoadEvents(id, &view);
  }));
  return view;
}

Status PgStore::Audit(const std::string& principal, const std::string& action, const std::string& subject) {
  const int64_t at = SystemClock().NowMicros();
  HEARTH_RETURN_IF_ERROR(EnsurePartition("audit_log", at, import_open_));
  return conn_.Query("INSERT INTO audit_log (at, principal, action, subject) VALUES ($1, $2, $3, $4)",
                     Params().Add(at).Add(principal).Add(action).Add(subject))
      .status();
}

}  // namespace pg_impl

StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, OpenMode mode) {
  auto store = std::make_unique<pg_impl::PgStore>(uri);
  HEARTH_RETURN_IF_ERROR(store->Open(mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace hearth
