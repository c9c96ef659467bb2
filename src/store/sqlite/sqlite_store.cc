#include "store/sqlite/sqlite_store.h"

#include <filesystem>
#include <set>
#include <unordered_set>
#include <utility>

#include "core/clock.h"
#include "core/messages.h"
#include "store/common_sql.h"
#include "store/migrations.h"
#include "store/sqlite/db.h"
#include "store/row_readers.h"
#include "store/sqlite/sqlite_internal.h"

namespace hearth {
namespace sqlite_impl {
namespace {


// ---------------------------------------------------------------------------------------------
// Schema

StatusOr<int> CurrentVersion(Db& db) {
  HEARTH_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  HEARTH_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<int>(q.Int(0)) : 0;
}

Status ApplyMigration(Db& db, const Migration& m) {
  HEARTH_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status s = db.Exec(MigrationSql(m, Backend::kSqlite));
  if (s.ok()) {
    auto ins = db.Prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)");
    s = ins.ok() ? ins->Bind(1, m.version).Bind(2, m.description).Bind(3, SystemClock().NowMicros()).Run()
                 : ins.status();
  }
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

// hearth_key_hash(key): store_rules::EventKeyHash in SQL, for migration 5 (NULL for NULL).
void KeyHashFunction(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  int bytes = sqlite3_value_bytes(argv[0]);
  sqlite3_result_int64(ctx, store_rules::EventKeyHash(std::string_view(text, static_cast<size_t>(bytes))));
}

Status RegisterFunctions(Db& db) {
  int rc = sqlite3_create_function_v2(db.raw(), "hearth_key_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      &KeyHashFunction, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : db.ErrorStatus("db_function", "hearth_key_hash");
}

StatusOr<int> Migrate(Db& db, const std::string& path) {
  HEARTH_ASSIGN_OR_RETURN(int version, CurrentVersion(db));
  if (version > LatestSchemaVersion()) {
    return Error(StatusCode::kFailedPrecondition, Msg::kSchemaTooNew, path, version, LatestSchemaVersion());
  }
  for (const Migration& m : SchemaMigrations()) {
    if (m.version <= version) continue;
    HEARTH_RETURN_IF_ERROR(ApplyMigration(db, m));
    version = m.version;
  }
  return version;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Row mapping

std::optional<std::string> GradeText(const std::optional<char>& g) {
  if (!g) return std::nullopt;
  return std::string(1, *g);
}

std::optional<int64_t> OptBool(const std::optional<bool>& b) {
  if (!b) return std::nullopt;
  return *b ? 1 : 0;
}

HouseholdRecord ReadHousehold(const Stmt& q, int c) {
  HouseholdRecord h;
  store_rules::ReadHouseholdInto(q, c, &h);
  return h;
}

const std::string_view kHouseholdColumns =
    "household_code, village_code, household_type, exit_year, relocation_site, housing_grade, water_safe";

constexpr std::string_view kPersonInsert =
    "INSERT INTO persons (household_id, name, id_number, sex, birth_date, id_from_15, relation, health, "
    "disability_grade, labour, schooling, insured, months_worked, updated_import, created_import, created_line) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?14, ?15)";

constexpr std::string_view kIncomeInsert =
    "INSERT INTO incomes (household_id, year, wage_fen, business_fen, property_fen, transfer_fen, "
    "business_cost_fen, updated_import, created_import, created_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?8, ?9)";

const std::string_view kPersonColumns =
    "p.name, p.id_number, p.sex, p.birth_date, p.id_from_15, p.relation, p.health, "
    "p.disability_grade, p.labour, p.schooling, p.insured, p.months_worked, p.id";

PersonRecord ReadPerson(const Stmt& q, int c) {
  PersonRecord p;
  store_rules::ReadPersonInto(q, c, &p);
  return p;
}

IncomeRecord ReadIncome(const Stmt& q, int c) {
  IncomeRecord i;
  store_rules::ReadIncomeInto(q, c, &i);
  return i;
}

Area ReadArea(const Stmt& q) {
  Area a;
  a.code = q.Text(0);
  a.name = q.Text(1);
  a.level = static_cast<AreaLevel>(q.Int(2));
  a.parent_code = q.Text(3);
  return a;
}

StatusOr<std::vector<Area>> CollectAreas(Stmt& q) {
  std::vector<Area> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    out.push_back(ReadArea(q));
  }));
  q.Reset();
  return out;
}

// ---------------------------------------------------------------------------------------------
// The import transaction


Status SqliteImportTransaction::Prepare() {
  struct {
    Stmt* stmt;
    std::string sql;
  } const statements[] = {
      {&household_id_, "SELECT id FROM households WHERE household_code = ?"},
      {&household_get_, "SELECT id, " + std::string(kHouseholdColumns) + " FROM households WHERE household_code = ?"},
      {&household_insert_, "INSERT INTO households (" + std::string(kHouseholdColumns) +
                               ", updated_import, created_import, created_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?8, ?9) "
                               "ON CONFLICT (household_code) DO NOTHING"},
      {&household_update_, "UPDATE households SET household_code = ?, village_code = ?, household_type = ?, "
                           "exit_year = ?, relocation_site = ?, housing_grade = ?, water_safe = ?, "
                           "updated_import = ? WHERE id = ?"},
      {&person_get_, "SELECT p.id, " + std::string(kPersonColumns) +
                         " FROM persons p WHERE p.household_id = ? AND p.id_number = ?"},
      {&person_insert_new_, std::string(kPersonInsert) + " ON CONFLICT (household_id, id_number) DO NOTHING"},
      {&person_update_, std::string(kPersonInsert) +
                            " ON CONFLICT (household_id, id_number) DO UPDATE SET name = excluded.name, "
                            "sex = excluded.sex, birth_date = excluded.birth_date, id_from_15 = excluded.id_from_15, "
                            "relation = excluded.relation, health = excluded.health, "
                            "disability_grade = excluded.disability_grade, labour = excluded.labour, "
                            "schooling = excluded.schooling, insured = excluded.insured, "
                            "months_worked = excluded.months_worked, updated_import = excluded.updated_import"},
      {&income_get_, "SELECT year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen "
                     "FROM incomes WHERE household_id = ? AND year = ?"},
      {&income_insert_new_, std::string(kIncomeInsert) + " ON CONFLICT (household_id, year) DO NOTHING"},
      {&income_update_, std::string(kIncomeInsert) +
                            " ON CONFLICT (household_id, year) DO UPDATE SET wage_fen = excluded.wage_fen, "
                            "business_fen = excluded.business_fen, property_fen = excluded.property_fen, "
                            "transfer_fen = excluded.transfer_fen, business_cost_fen = excluded.business_cost_fen, "
                            "updated_import = excluded.updated_import"},
      {&event_insert_, "INSERT INTO events (type, household_id, person_id_number, effective_date, recorded_at, "
                       "import_id, source_line, amount_fen, payload, event_key, supersedes, village_code, key_hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
      {&reject_insert_, "INSERT INTO rejects (import_id, line, column_name, raw, kind, hint, outcome, cells, sheet) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"},
  };
  for (const auto& s : statements) {
    HEARTH_ASSIGN_OR_RETURN(*s.stmt, db_.Prepare(s.sql));
  }
  HEARTH_RETURN_IF_ERROR(PrepareFeeds());
  HEARTH_RETURN_IF_ERROR(PrepareFindings());
  return LoadVillages();
}

Status SqliteImportTransaction::LoadVillages() {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT code FROM areas WHERE level = 5"));
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    villages_.insert(q.Text(0));
  }));
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> SqliteImportTransaction::HouseholdId(const std::string& code) {
  // Files list a household's rows together, so the last household looked up is usually next.
  if (last_household_.second != 0 && last_household_.first == code) return std::optional<int64_t>(last_household_.second);
  household_id_.Bind(1, code);
  StatusOr<bool> row = household_id_.Step();
  std::optional<int64_t> id;
  if (row.ok() && *row) id = household_id_.Int(0);
  household_id_.Reset();
  if (!row.ok()) return row.status();
  if (id) last_household_ = {code, *id};
  return id;
}

Status SqliteImportTransaction::WriteHousehold(Stmt& stmt, const HouseholdRecord& h, int64_t line_or_id) {
  stmt.Bind(1, h.household_code).Bind(2, h.village_code).Bind(3, static_cast<int>(h.type));
  stmt.Bind(4, h.exit_year).Bind(5, h.relocation_site).Bind(6, GradeText(h.housing_grade));
  stmt.Bind(7, OptBool(h.water_safe)).Bind(8, import_id_).Bind(9, line_or_id);
  return stmt.Run();
}

// Each upsert tries the insert first (one statement on a first load) and only on a conflict
// reads the stored row, compares, and updates.
StatusOr<UpsertOutcome> SqliteImportTransaction::UpsertHousehold(const HouseholdRecord& h, int64_t line,
                                                                 HouseholdRecord* previous) {
  registry_changed_ = true;
  if (!villages_.contains(h.village_code)) {
    return Error(StatusCode::kInvalidArgument, Msg::kVillageUnknown, h.village_code);
  }
  HEARTH_RETURN_IF_ERROR(WriteHousehold(household_insert_, h, line));
  if (db_.Changes() == 1) {
    last_household_ = {h.household_code, db_.LastInsertRowId()};
    return UpsertOutcome::kInserted;
  }
  household_get_.Bind(1, h.household_code);
  HEARTH_ASSIGN_OR_RETURN(bool exists, household_get_.Step());
  if (!exists) return Status::Internal("household vanished: " + h.household_code);
  int64_t id = household_get_.Int(0);
  HouseholdRecord old = ReadHousehold(household_get_, 1);
  household_get_.Reset();
  last_household_ = {h.household_code, id};
  HouseholdRecord merged = MergeKept(h, old);
  if (SameHousehold(old, merged)) return UpsertOutcome::kUnchanged;
  HEARTH_RETURN_IF_ERROR(WriteHousehold(household_update_, merged, id));
  if (merged.village_code != old.village_code) {
    for (std::string_view sql : {kMoveOpenFindingsSql, kMoveOpenWarningsSql}) {
      HEARTH_ASSIGN_OR_RETURN(Stmt move, db_.Prepare(sql));
      HEARTH_RETURN_IF_ERROR(move.Bind(1, id).Run());
    }
  }
  if (previous != nullptr) *previous = std::move(old);
  return UpsertOutcome::kUpdated;
}

Status SqliteImportTransaction::WritePerson(Stmt& stmt, int64_t household_id, const PersonRecord& p,
                                            int64_t line) {
  stmt.Bind(1, household_id).Bind(2, p.name).Bind(3, p.id_number).Bind(4, static_cast<int>(p.sex));
  stmt.Bind(5, p.birth_date.days()).Bind(6, p.id_converted_from_15 ? 1 : 0);
  stmt.Bind(7, static_cast<int>(p.relation)).Bind(8, static_cast<int>(p.health));
  stmt.Bind(9, p.disability_grade).Bind(10, static_cast<int>(p.labour));
  stmt.Bind(11, static_cast<int>(p.schooling)).Bind(12, p.insured ? 1 : 0);
  stmt.Bind(13, p.months_worked).Bind(14, import_id_).Bind(15, line);
  return stmt.Run();
}

StatusOr<UpsertOutcome> SqliteImportTransaction::UpsertPerson(const PersonRecord& p, int64_t line,
                                                              PersonRecord* previous) {
  registry_changed_ = true;
  HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> household_id, HouseholdId(p.household_code));
  if (!household_id) return Error(StatusCode::kInvalidArgument, Msg::kHouseholdUnknown, p.household_code);
  HEARTH_RETURN_IF_ERROR(WritePerson(person_insert_new_, *household_id, p, line));
  if (db_.Changes() == 1) return UpsertOutcome::kInserted;
  person_get_.Bind(1, *household_id).Bind(2, p.id_number);
  HEARTH_ASSIGN_OR_RETURN(bool exists, person_get_.Step());
  if (!exists) return Status::Internal("person vanished: " + p.id_number);
  PersonRecord old = ReadPerson(person_get_, 1);
  person_get_.Reset();
  PersonRecord merged = MergeKept(p, old);
  if (SamePerson(old, merged)) return UpsertOutcome::kUnchanged;
  HEARTH_RETURN_IF_ERROR(WritePerson(person_update_, *household_id, merged, line));
  if (previous != nullptr) *previous = std::move(old);
  return UpsertOutcome::kUpdated;
}

StatusOr<std::optional<PersonRecord>> SqliteImportTransaction::RemovePerson(const std::string& household_code,
                                                                            const std::string& id_number) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> household_id, HouseholdId(household_code));
  if (!household_id) return Error(StatusCode::kInvalidArgument, Msg::kHouseholdUnknown, household_code);
  person_get_.Bind(1, *household_id).Bind(2, id_number);
  HEARTH_ASSIGN_OR_RETURN(bool exists, person_get_.Step());
  if (!exists) {
    person_get_.Reset();
    return std::optional<PersonRecord>();
  }
  const int64_t person_id = person_get_.Int(0);
  PersonRecord old = ReadPerson(person_get_, 1);
  person_get_.Reset();
  registry_changed_ = true;
  HEARTH_ASSIGN_OR_RETURN(Stmt remove, db_.Prepare("DELETE FROM persons WHERE id = ?"));
  HEARTH_RETURN_IF_ERROR(remove.Bind(1, person_id).Run());
  old.ref = person_id;
  old.household_code = household_code;
  return std::optional<PersonRecord>(std::move(old));
}

Status SqliteImportTransaction::WriteIncome(Stmt& stmt, int64_t household_id, const IncomeRecord& i,
                                            int64_t line) {
  stmt.Bind(1, household_id).Bind(2, i.year).Bind(3, i.wage.fen()).Bind(4, i.business.fen());
  stmt.Bind(5, i.property.fen()).Bind(6, i.transfer.fen()).Bind(7, i.business_cost.fen());
  stmt.Bind(8, import_id_).Bind(9, line);
  return stmt.Run();
}

StatusOr<UpsertOutcome> SqliteImportTransaction::UpsertIncome(const IncomeRecord& i, int64_t line,
                                                              IncomeRecord* previous) {
  registry_changed_ = true;
  HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> household_id, HouseholdId(i.household_code));
  if (!household_id) return Error(StatusCode::kInvalidArgument, Msg::kHouseholdUnknown, i.household_code);
  HEARTH_RETURN_IF_ERROR(WriteIncome(income_insert_new_, *household_id, i, line));
  if (db_.Changes() == 1) return UpsertOutcome::kInserted;
  income_get_.Bind(1, *household_id).Bind(2, i.year);
  HEARTH_ASSIGN_OR_RETURN(bool exists, income_get_.Step());
  if (!exists) return Status::Internal("income vanished: " + i.household_code);
  IncomeRecord old = ReadIncome(income_get_, 0);
  income_get_.Reset();
  if (SameIncome(old, i)) return UpsertOutcome::kUnchanged;
  HEARTH_RETURN_IF_ERROR(WriteIncome(income_update_, *household_id, i, line));
  if (previous != nullptr) {
    *previous = std::move(old);
    previous->household_code = i.household_code;
  }
  return UpsertOutcome::kUpdated;
}

StatusOr<int64_t> SqliteImportTransaction::AppendEvent(const EventRecord& e) {
  std::optional<int64_t> household_id;
  if (e.household_ref != 0) {
    household_id = e.household_ref;
  } else if (!e.household_code.empty()) {
    HEARTH_ASSIGN_OR_RETURN(household_id, HouseholdId(e.household_code));
  }
  Stmt& s = event_insert_;
  // Text is bound as it is (an empty text as NULL), not copied first: a feed appends a million.
  auto bind_text = [&s](int i, const std::string& t) { t.empty() ? s.BindNull(i) : s.Bind(i, std::string_view(t)); };
  s.Bind(1, e.type).Bind(2, household_id);
  bind_text(3, e.person_id_number);
  s.Bind(4, e.effective.days()).Bind(5, e.recorded_at != 0 ? e.recorded_at : recorded_at_);
  s.Bind(6, import_id_).Bind(7, e.source_line);
  s.Bind(8, e.amount ? std::optional<int64_t>(e.amount->fen()) : std::nullopt);
  s.Bind(9, e.payload.empty() ? std::string_view("{}") : std::string_view(e.payload));
  bind_text(10, e.event_key);
  s.Bind(11, e.supersedes != 0 ? std::optional<int64_t>(e.supersedes) : std::nullopt);
  bind_text(12, e.village_code);
  std::optional<int64_t> key_hash;
  if (!e.event_key.empty()) key_hash = store_rules::EventKeyHash(e.event_key);
  s.Bind(13, key_hash);
  HEARTH_RETURN_IF_ERROR(s.Run());
  if (key_filter_ && key_hash && e.type == key_filter_type_) key_filter_->Insert(KeyHashSet::FromStored(*key_hash));
  return db_.LastInsertRowId();
}

Status SqliteImportTransaction::AddReject(const RejectRecord& r) {
  reject_insert_.Bind(1, import_id_).Bind(2, r.line).Bind(3, r.column).Bind(4, r.raw);
  reject_insert_.Bind(5, r.kind).Bind(6, r.hint).Bind(7, RowOutcomeName(r.outcome)).Bind(8, CellsToJson(r.cells));
  reject_insert_.Bind(9, r.sheet.empty() ? std::optional<std::string_view>() : std::optional<std::string_view>(r.sheet));
  return reject_insert_.Run();
}

StatusOr<std::vector<HouseholdHeads>> SqliteImportTransaction::HouseholdsWithoutOneHead() {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(kHouseholdsWithoutOneHeadSql));
  std::vector<HouseholdHeads> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    if (out.empty() || out.back().household_code != q.View(0)) out.push_back({q.Text(0), {}, {}});
    if (!q.IsNull(1)) {
      out.back().id_numbers.push_back(q.Text(1));
      out.back().names.push_back(q.Text(2));
    }
  }));
  return out;
}

StatusOr<std::vector<SharedPerson>> SqliteImportTransaction::SharedPersons() {
  HEARTH_RETURN_IF_ERROR(BuildDeferredIndexes());
  // One pass over the persons_link index (by ID number) finds the (few) shared ID numbers.
  HEARTH_ASSIGN_OR_RETURN(
      Stmt q, db_.Prepare("SELECT p.id_number, p.name, h.household_code FROM persons p "
                          "JOIN households h ON h.id = p.household_id WHERE p.id_number IN ("
                          "  SELECT id_number FROM persons GROUP BY id_number HAVING COUNT(*) > 1) "
                          "ORDER BY p.id_number, h.household_code"));
  std::vector<SharedPerson> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    if (out.empty() || out.back().id_number != q.Text(0)) out.push_back({q.Text(0), q.Text(1), {}});
    out.back().household_codes.push_back(q.Text(2));
  }));
  return out;
}

// The first load of the persons (a region's whole registry: 40 M rows at 10 M households) would
// insert every row into the index by ID number at a random place. Once that index outgrows the
// page cache, nearly every insert reads a page back from the growing write-ahead log of the one
// transaction, and the load slows down many times over. Into an empty table the index is
// dropped inside the transaction and built again, by one sort, before anything reads it
// (SharedPersons) or the transaction commits: a crash or an error rolls the drop back too.
Status SqliteImportTransaction::DeferPersonsLinkIfEmpty() {
  HEARTH_ASSIGN_OR_RETURN(Stmt any, db_.Prepare("SELECT 1 FROM persons LIMIT 1"));
  HEARTH_ASSIGN_OR_RETURN(bool has_rows, any.Step());
  any.Reset();
  if (has_rows) return Status::Ok();
  HEARTH_RETURN_IF_ERROR(db_.Exec("DROP INDEX IF EXISTS persons_link"));
  persons_link_deferred_ = true;
  return Status::Ok();
}

Status SqliteImportTransaction::BuildDeferredIndexes() {
  if (!persons_link_deferred_) return Status::Ok();
  persons_link_deferred_ = false;
  return db_.Exec(std::string(kPersonsLinkIndex));
}

Status SqliteImportTransaction::Commit(const ImportTotals& t) {
  HEARTH_RETURN_IF_ERROR(BuildDeferredIndexes());
  std::set<std::string> villages(t.villages.begin(), t.villages.end());
  std::string area = t.area_code;
  if (std::vector<std::string> noted = TakeNotedHouseholds(); !noted.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT village_code FROM households WHERE household_code = ?"));
    std::set<std::string> found;
    for (const std::string& code : noted) {
      HEARTH_RETURN_IF_ERROR(q.Bind(1, code).ForEachRow([&] { found.insert(q.Text(0)); }));
    }
    villages.merge(found);
    if (area.empty()) area = SmallestAreaHolding(villages);
  }
  HEARTH_ASSIGN_OR_RETURN(Stmt u, db_.Prepare("UPDATE imports SET read_rows = ?, accepted = ?, rejected = ?, "
                                              "unmatched = ?, duplicate = ?, flagged = ?, area_code = ?, "
                                              "header = ?, registry_changed = ? WHERE id = ?"));
  u.Bind(1, t.read).Bind(2, t.accepted).Bind(3, t.rejected).Bind(4, t.unmatched).Bind(5, t.duplicate);
  u.Bind(6, t.flagged).Bind(7, area).Bind(8, CellsToJson(t.header)).Bind(9, registry_changed_ ? 1 : 0);
  u.Bind(10, import_id_);
  HEARTH_RETURN_IF_ERROR(u.Run());
  for (const auto& [type, keys] : confirmations_.PendingRows()) {
    HEARTH_ASSIGN_OR_RETURN(Stmt c, db_.Prepare(kInsertConfirmationsSql));
    HEARTH_RETURN_IF_ERROR(c.Bind(1, import_id_).Bind(2, type).Bind(3, std::string_view(keys)).Run());
  }
  if (!villages.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Stmt v, db_.Prepare("INSERT INTO import_villages (import_id, village_code) VALUES (?, ?)"));
    for (const std::string& village : villages) HEARTH_RETURN_IF_ERROR(v.Bind(1, import_id_).Bind(2, village).Run());
  }
  HEARTH_RETURN_IF_ERROR(db_.Exec("COMMIT"));
  done_ = true;
  if (!foreign_keys_checked_) {
    foreign_keys_checked_ = true;
    return db_.Exec("PRAGMA foreign_keys = ON");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// The store


Status SqliteStore::Open(OpenMode mode) {
  std::error_code ec;
  if (mode == OpenMode::kExisting && !std::filesystem::exists(path_, ec)) {
    return Error(StatusCode::kFailedPrecondition, Msg::kDbMissing, path_);
  }
  HEARTH_RETURN_IF_ERROR(db_.Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX));
  HEARTH_RETURN_IF_ERROR(db_.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                  "PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144; "
                                  "PRAGMA temp_store = MEMORY;"));
  HEARTH_RETURN_IF_ERROR(CheckIsHearthDatabase(mode));
  HEARTH_RETURN_IF_ERROR(RegisterFunctions(db_));
  HEARTH_ASSIGN_OR_RETURN(version_, Migrate(db_, path_));
  return Status::Ok();
}

// Refuses another program's database (tables but no schema_migrations), and for commands that
// need an initialised database, an empty file.
Status SqliteStore::CheckIsHearthDatabase(OpenMode mode) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT COUNT(*), COALESCE(SUM(name = 'schema_migrations'), 0) "
                                              "FROM sqlite_master WHERE type = 'table'"));
  HEARTH_ASSIGN_OR_RETURN(bool row, q.Step());
  int64_t tables = row ? q.Int(0) : 0;
  bool hearth = row && q.Int(1) > 0;
  if (hearth || (tables == 0 && mode == OpenMode::kCreate)) return Status::Ok();
  if (tables == 0) return Error(StatusCode::kFailedPrecondition, Msg::kDbMissing, path_);
  return Error(StatusCode::kFailedPrecondition, Msg::kDbNotHearth, path_);
}

Status SqliteStore::LoadAreas(const std::vector<Area>& areas) {
  HEARTH_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  auto insert = db_.Prepare(
      "INSERT INTO areas (code, name, level, parent_code) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, "
      "parent_code = excluded.parent_code");
  Status s = insert.status();
  for (size_t i = 0; s.ok() && i < areas.size(); ++i) {
    const Area& a = areas[i];
    insert->Bind(1, a.code).Bind(2, a.name).Bind(3, static_cast<int>(a.level));
    if (a.parent_code.empty()) {
      insert->BindNull(4);
    } else {
      insert->Bind(4, a.parent_code);
    }
    s = insert->Run();
  }
  if (!s.ok()) {
    (void)db_.Exec("ROLLBACK");
    return s;
  }
  return db_.Exec("COMMIT");
}

StatusOr<Area> SqliteStore::GetArea(const std::string& code) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT code, name, level, parent_code FROM areas WHERE code = ?"));
  q.Bind(1, code);
  HEARTH_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Error(StatusCode::kNotFound, Msg::kAreaUnknown, code);
  return ReadArea(q);
}

StatusOr<std::vector<Area>> SqliteStore::FindAreasByName(const std::string& text, int limit) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT code, name, level, parent_code FROM areas "
                                              "WHERE instr(name, ?) > 0 ORDER BY code LIMIT ?"));
  q.Bind(1, text).Bind(2, limit);
  return CollectAreas(q);
}

StatusOr<std::vector<Area>> SqliteStore::Descendants(const std::string& code) {
  // Codes nest by prefix, so the subtree is a range scan of the primary key.
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT code, name, level, parent_code FROM areas "
                                              "WHERE code > ? AND code < ? || ':' ORDER BY code"));
  q.Bind(1, code).Bind(2, code);
  return CollectAreas(q);
}

StatusOr<std::unique_ptr<ImportTransaction>> SqliteStore::BeginImport(const ImportRecord& record) {
  const bool registry = record.kind.starts_with("registry-");
  if (!registry) HEARTH_RETURN_IF_ERROR(db_.Exec("PRAGMA foreign_keys = OFF"));
  if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    if (!registry) (void)db_.Exec("PRAGMA foreign_keys = ON");
    return begun;
  }
  int64_t recorded_at = record.recorded_at != 0 ? record.recorded_at : SystemClock().NowMicros();
  auto insert = db_.Prepare("INSERT INTO imports (kind, file_name, digest, received, recorded_at, status) "
                            "VALUES (?, ?, ?, ?, ?, 'committed')");
  Status s = insert.status();
  if (s.ok()) {
    s = insert->Bind(1, record.kind).Bind(2, record.file_name).Bind(3, record.digest)
            .Bind(4, record.received.days()).Bind(5, recorded_at).Run();
  }
  auto tx = std::make_unique<SqliteImportTransaction>(db_, db_.LastInsertRowId(), recorded_at);
  if (!registry) tx->SkipForeignKeyChecks();
  if (s.ok()) s = tx->Prepare();
  if (s.ok() && record.kind == "registry-persons") s = tx->DeferPersonsLinkIfEmpty();
  if (!s.ok()) return s;  // tx's destructor rolls back
  return std::unique_ptr<ImportTransaction>(std::move(tx));
}

StatusOr<std::vector<AreaCount>> SqliteStore::CountByArea(const std::string& area, AreaLevel level) {
  // One pass over the households of the area (a range of village codes); persons are counted
  // per household through the (household_id, id_number) index.
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      "SELECT a.code, a.name, c.households, c.persons, c.tuopin, c.relocated FROM ("
      "  SELECT substr(h.village_code, 1, ?1) AS code, COUNT(*) AS households, "
      "    SUM((SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id)) AS persons, "
      "    SUM(h.household_type = 1) AS tuopin, "
      "    SUM(h.relocation_site IS NOT NULL AND h.relocation_site <> '') AS relocated "
      "  FROM households h WHERE h.village_code >= ?2 AND h.village_code < ?2 || ':' GROUP BY 1"
      ") c JOIN areas a ON a.code = c.code ORDER BY a.code"));
  q.Bind(1, AreaLevelDigits(level)).Bind(2, area);
  std::vector<AreaCount> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    out.push_back({q.Text(0), q.Text(1), q.Int(2), q.Int(3), q.Int(4), q.Int(5)});
  }));
  return out;
}

Status SqliteStore::LoadMembers(int64_t household_id, HouseholdView* view) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT " + std::string(kPersonColumns) +
                                              " FROM persons p WHERE p.household_id = ? "
                                              "ORDER BY p.relation, p.birth_date, p.id"));
  q.Bind(1, household_id);
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    view->members.push_back(ReadPerson(q, 0));
    view->members.back().household_code = view->household.household_code;
  }));
  return Status::Ok();
}

Status SqliteStore::LoadIncomes(int64_t household_id, HouseholdView* view) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      "SELECT year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen "
      "FROM incomes WHERE household_id = ? ORDER BY year DESC"));
  q.Bind(1, household_id);
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    view->incomes.push_back(ReadIncome(q, 0));
    view->incomes.back().household_code = view->household.household_code;
  }));
  return Status::Ok();
}

// The household's history: its change events, and the creation of each of its registry rows
// (kept on the rows themselves, see migrations.cc), newest first.
Status SqliteStore::LoadEvents(int64_t household_id, HouseholdView* view) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      kHouseholdHistorySql));
  q.Bind(1, household_id);
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    EventRecord e{q.Int(0), q.Text(1), view->household.household_code, q.Text(2),
                  Date::FromDays(static_cast<int32_t>(q.Int(3))), q.Int(4), q.Int(5), q.Int(6),
                  std::nullopt, q.Text(8)};
    if (auto fen = q.OptInt(7)) e.amount = Money::FromFen(*fen);
    e.supersedes = q.Int(9);
    view->events.push_back(std::move(e));
  }));
  return Status::Ok();
}

StatusOr<HouseholdView> SqliteStore::GetHousehold(const std::string& household_code) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT id, " + std::string(kHouseholdColumns) +
                                              " FROM households WHERE household_code = ?"));
  q.Bind(1, household_code);
  HEARTH_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, household_code);
  HouseholdView view;
  int64_t id = q.Int(0);
  view.household = ReadHousehold(q, 1);
  HEARTH_ASSIGN_OR_RETURN(view.path, PathToRoot(view.household.village_code));
  HEARTH_RETURN_IF_ERROR(LoadMembers(id, &view));
  HEARTH_RETURN_IF_ERROR(LoadIncomes(id, &view));
  HEARTH_RETURN_IF_ERROR(LoadEvents(id, &view));
  return view;
}

Status SqliteStore::Audit(const std::string& principal, const std::string& action, const std::string& subject) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("INSERT INTO audit_log (at, principal, action, subject) VALUES (?, ?, ?, ?)"));
  return q.Bind(1, SystemClock().NowMicros()).Bind(2, principal).Bind(3, action).Bind(4, subject).Run();
}

}  // namespace sqlite_impl

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, OpenMode mode) {
  auto store = std::make_unique<sqlite_impl::SqliteStore>(path);
  HEARTH_RETURN_IF_ERROR(store->Open(mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace hearth
