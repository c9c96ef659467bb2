// The PostgreSQL backend, the import transaction: buffered writes (COPY for new rows, pipelined
// statements for updates) and the registry upserts, decided from windows of stored rows (see
// pg_internal.h).
#include <algorithm>
#include <functional>
#include <set>
#include <type_traits>

#include "core/messages.h"
#include "store/common_sql.h"
#include "store/postgres/pg_internal.h"

namespace hearth::pg_impl {
namespace {

// A table's buffered rows are sent when they reach this many bytes, and updates when this many
// wait. Small pieces keep both sides busy: the server stores rows while the client reads the
// next ones, and a socket holds only a few hundred kilobytes, so a larger piece would leave
// the client waiting for the server to take most of it.
constexpr size_t kStreamBytes = size_t{64} << 10;
constexpr size_t kMaxQueuedUpdates = 5000;
// Window sizes (household codes per fetch) adapt between these: large while the file lists
// households in code order, small when it jumps about.
constexpr int64_t kMinWindow = 32;
constexpr int64_t kMaxWindow = 32768;
// A window grown by the transaction's own inserts past this many codes is dropped (and fetched
// again when needed), so that a first load does not keep every household in memory.
constexpr size_t kMaxWindowEntries = 4 * kMaxWindow;

constexpr std::string_view kHouseholdCopy =
    "households (id, household_code, village_code, household_type, exit_year, relocation_site, housing_grade, "
    "water_safe, updated_import, created_import, created_line)";
constexpr std::string_view kPersonCopy =
    "persons (id, household_id, name, id_number, sex, birth_date, id_from_15, relation, health, disability_grade, labour, "
    "schooling, insured, months_worked, updated_import, created_import, created_line)";
constexpr std::string_view kIncomeCopy =
    "incomes (household_id, year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen, "
    "updated_import, created_import, created_line)";
constexpr std::string_view kEventCopy =
    "events (id, type, household_id, person_id_number, effective_date, recorded_at, import_id, source_line, "
    "amount_fen, payload, event_key, supersedes, village_code, key_hash)";
constexpr std::string_view kRejectCopy = "rejects (import_id, line, column_name, raw, kind, hint, outcome, cells, sheet)";
constexpr std::string_view kFindingCopy =
    "findings (id, type, severity, household_id, village_code, person_id_number, subject, params, opened_date, "
    "import_id)";

struct Statement {
  const char* name;
  std::string_view sql;
};

const Statement kStatements[] = {
    {"household_update",
     "UPDATE households SET village_code = $2, household_type = $3, exit_year = $4, relocation_site = $5, "
     "housing_grade = $6, water_safe = $7, updated_import = $8 WHERE id = $1"},
    {"household_move_findings", kMoveOpenFindingsSql},
    {"household_move_warnings", kMoveOpenWarningsSql},
    {"person_update",
     "UPDATE persons SET name = $3, sex = $4, birth_date = $5, id_from_15 = $6, relation = $7, health = $8, "
     "disability_grade = $9, labour = $10, schooling = $11, insured = $12, months_worked = $13, updated_import = $14 "
     "WHERE household_id = $1 AND id_number = $2"},
    {"person_delete", "DELETE FROM persons WHERE household_id = $1 AND id_number = $2"},
    {"income_update",
     "UPDATE incomes SET wage_fen = $3, business_fen = $4, property_fen = $5, transfer_fen = $6, "
     "business_cost_fen = $7, updated_import = $8 WHERE household_id = $1 AND year = $2"},
    {"finding_update", "UPDATE findings SET severity = $1, params = $2 WHERE id = $3 AND closed_date IS NULL"},
    {"finding_close",
     "UPDATE findings SET closed_date = $1, closed_import = $2 WHERE id = $3 AND closed_date IS NULL"},
    {"household_id", "SELECT id FROM households WHERE household_code = $1"},
};

std::optional<std::string> OptText(const std::string& t) {
  if (t.empty()) return std::nullopt;
  return t;
}

// The row of `rows` with the key of `row` (ID number or year), or null.
PersonRecord* FindRow(std::vector<PersonRecord>& rows, const PersonRecord& p) {
  for (PersonRecord& r : rows) {
    if (r.id_number == p.id_number) return &r;
  }
  return nullptr;
}

IncomeRecord* FindRow(std::vector<IncomeRecord>& rows, const IncomeRecord& i) {
  for (IncomeRecord& r : rows) {
    if (r.year == i.year) return &r;
  }
  return nullptr;
}

// Sets the row of `rows` with the key of `row` to `row`, adding it when missing.
template <typename Row>
void PutRow(std::vector<Row>& rows, const Row& row) {
  if (Row* found = FindRow(rows, row)) {
    *found = row;
  } else {
    rows.push_back(row);
  }
}

// Grows the next window while the last one served the file's rows, shrinks it when the file
// jumps about (each lookup then fetches little).
template <typename Entry>
void AdaptWindow(CodeWindow<Entry>* w) {
  if (!w->valid) return;
  if (w->served * 2 >= w->size) {
    w->size = std::min(kMaxWindow, w->size * 2);
  } else if (w->served * 8 < w->size) {
    w->size = std::max(kMinWindow, w->size / 4);
  }
}

template <typename Entry>
void CapWindow(CodeWindow<Entry>* w) {
  if (w->entries.size() > kMaxWindowEntries) w->valid = false;
}

}  // namespace

PgImportTransaction::PgImportTransaction(PgStore& store, Conn& conn, int64_t import_id, int64_t recorded_at)
    : store_(store),
      conn_(conn),
      import_id_(import_id),
      recorded_at_(recorded_at),
      households_copy_(std::string(kHouseholdCopy)),
      persons_copy_(std::string(kPersonCopy)),
      incomes_copy_(std::string(kIncomeCopy)),
      rejects_copy_(std::string(kRejectCopy)),
      findings_copy_(std::string(kFindingCopy)) {}

PgImportTransaction::~PgImportTransaction() {
  if (!done_) {
    ClearBuffers();
    store_.RollbackWrite();
  }
  store_.EndImport();
}

Status PgImportTransaction::Prepare() {
  for (const Statement& s : kStatements) HEARTH_RETURN_IF_ERROR(conn_.Prepare(s.name, s.sql));
  HEARTH_RETURN_IF_ERROR(PrepareFactStatements(conn_));
  HEARTH_RETURN_IF_ERROR(PrepareFeedStatements(conn_));
  return LoadVillages();
}

Status PgImportTransaction::LoadVillages() {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT code FROM areas WHERE level = 5"));
  villages_.reserve(static_cast<size_t>(q.rows()));
  for (int r = 0; r < q.rows(); ++r) villages_.insert(q.Text(r, 0));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Buffers

Status PgImportTransaction::Flush(unsigned mask) {
  // Every other table refers to households: they go first.
  if (mask & (kPersonsBit | kIncomesBit | kEventsBit | kFindingsBit)) mask |= kHouseholdsBit;
  if (mask & kHouseholdsBit) HEARTH_RETURN_IF_ERROR(FlushHouseholds());
  if (mask & kPersonsBit) HEARTH_RETURN_IF_ERROR(FlushRows(persons_copy_, person_updates_));
  if (mask & kIncomesBit) HEARTH_RETURN_IF_ERROR(FlushRows(incomes_copy_, income_updates_));
  if (mask & kEventsBit) HEARTH_RETURN_IF_ERROR(FlushEvents());
  if (mask & kRejectsBit) HEARTH_RETURN_IF_ERROR(rejects_copy_.Flush(conn_));
  if (mask & kFindingsBit) HEARTH_RETURN_IF_ERROR(FlushRows(findings_copy_, finding_updates_));
  return Status::Ok();
}

Status PgImportTransaction::FlushIfFull() {
  // Rows go to the server in small pieces, so that it stores them while the file is still
  // being read (the COPY stays open between pieces).
  unsigned full = 0;
  if (households_copy_.bytes() > kStreamBytes) full |= kHouseholdsBit;
  if (persons_copy_.bytes() > kStreamBytes) full |= kPersonsBit;
  if (incomes_copy_.bytes() > kStreamBytes) full |= kIncomesBit;
  if (events_bytes_ > kStreamBytes) full |= kEventsBit;
  if (rejects_copy_.bytes() > kStreamBytes) full |= kRejectsBit;
  if (findings_copy_.bytes() > kStreamBytes) full |= kFindingsBit;
  size_t updates = household_updates_.size() + person_updates_.size() + income_updates_.size() + finding_updates_.size();
  if (updates > kMaxQueuedUpdates) full |= kAllTables;
  return full == 0 ? Status::Ok() : Flush(full);
}

Status PgImportTransaction::FlushHouseholds() { return FlushRows(households_copy_, household_updates_); }

// New rows first, then the updates (which may concern rows of the same flush).
Status PgImportTransaction::FlushRows(CopyBuffer& copy, std::vector<Conn::Queued>& updates) {
  HEARTH_RETURN_IF_ERROR(copy.Flush(conn_));
  if (updates.empty()) return Status::Ok();
  Status s = conn_.RunPipelined(updates);
  updates.clear();
  return s;
}

Status PgImportTransaction::FlushEvents() {
  if (events_.empty()) return Status::Ok();
  CopyBuffer copy{std::string(kEventCopy)};
  for (const PendingEvent& p : events_) {
    const EventRecord& e = p.record;
    copy.Field(p.id).Field(e.type);
    if (p.household_id != 0) {
      copy.Field(p.household_id);
    } else {
      copy.Null();
    }
    copy.Field(OptText(e.person_id_number)).Field(e.effective.days()).Field(e.recorded_at).Field(import_id_);
    copy.Field(e.source_line);
    if (e.amount) {
      copy.Field(e.amount->fen());
    } else {
      copy.Null();
    }
    copy.Field(e.payload.empty() ? std::string_view("{}") : std::string_view(e.payload)).Field(OptText(e.event_key));
    if (e.supersedes != 0) {
      copy.Field(e.supersedes);
    } else {
      copy.Null();
    }
    copy.Field(OptText(e.village_code));
    if (!e.event_key.empty()) {
      copy.Field(store_rules::EventKeyHash(e.event_key));
    } else {
      copy.Null();
    }
    copy.EndRow();
  }
  events_.clear();
  events_bytes_ = 0;
  HEARTH_RETURN_IF_ERROR(copy.Flush(conn_));
  // Every own event is now where a query sees it.
  own_event_keys_.clear();
  own_events_local_ = true;
  own_events_introduce_ = false;
  return Status::Ok();
}

void PgImportTransaction::ClearBuffers() {
  for (CopyBuffer* b : {&households_copy_, &persons_copy_, &incomes_copy_, &rejects_copy_, &findings_copy_}) b->Clear();
  household_updates_.clear();
  person_updates_.clear();
  income_updates_.clear();
  finding_updates_.clear();
  events_.clear();
}

// ---------------------------------------------------------------------------------------------
// Registry lookups

// A window is fetched after this transaction's rows of the table were sent, so that it holds
// them too; from then on the transaction's writes in its range go to it as well.
Status PgImportTransaction::FetchHouseholdWindow(const std::string& from) {
  HEARTH_RETURN_IF_ERROR(Flush(kHouseholdsBit));
  CodeWindow<StoredHousehold>& w = household_window_;
  AdaptWindow(&w);
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT id, " + std::string(kHouseholdColumns) +
                                                " FROM households WHERE household_code >= $1 "
                                                "ORDER BY household_code LIMIT $2::bigint",
                                                Params().Add(from).Add(w.size)));
  w.Reset(from);
  w.served = 0;
  for (int r = 0; r < q.rows(); ++r) {
    StoredHousehold h{q.Int(r, 0), ReadHousehold(q, r, 1)};
    w.entries.emplace(h.record.household_code, std::move(h));
  }
  if (q.rows() >= w.size) w.hi = q.Text(q.rows() - 1, 1);
  return Status::Ok();
}

// The rows of households from `from` on, by code: persons or incomes (households without any
// are there with no rows, so that the window also knows which households exist).
template <typename Row>
Status PgImportTransaction::FetchRowsWindow(const std::string& from, bool persons, CodeWindow<HouseholdRows<Row>>* w) {
  HEARTH_RETURN_IF_ERROR(Flush(persons ? kPersonsBit : kIncomesBit));  // with the households they refer to
  AdaptWindow(w);
  // LATERAL ... OFFSET 0 (which the planner may not flatten into a join): one index lookup per
  // household of the window, never a scan of the whole table.
  const std::string rows = persons ? "SELECT h.household_code, h.id, " + std::string(kPersonColumns) +
                                         " FROM h LEFT JOIN LATERAL (SELECT * FROM persons x WHERE x.household_id = h.id OFFSET 0) p ON true"
                                   : "SELECT h.household_code, h.id, c.year, c.wage_fen, c.business_fen, "
                                     "c.property_fen, c.transfer_fen, c.business_cost_fen FROM h LEFT JOIN LATERAL "
                                     "(SELECT * FROM incomes x WHERE x.household_id = h.id OFFSET 0) c ON true";
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("WITH h AS (SELECT id, household_code FROM households WHERE "
                                                "household_code >= $1 ORDER BY household_code LIMIT $2::bigint) " +
                                                rows + " ORDER BY h.household_code",
                                                Params().Add(from).Add(w->size)));
  w->Reset(from);
  w->served = 0;
  std::string last;
  int64_t codes = 0;
  for (int r = 0; r < q.rows(); ++r) {
    std::string code = q.Text(r, 0);
    HouseholdRows<Row>& entry = w->entries[code];
    entry.household_id = q.Int(r, 1);
    if (code != last) ++codes;
    last = code;
    if (q.IsNull(r, 2)) continue;  // a household without rows
    if constexpr (std::is_same_v<Row, PersonRecord>) {
      entry.rows.push_back(ReadPerson(q, r, 2));
    } else {
      entry.rows.push_back(ReadIncome(q, r, 2));
    }
  }
  if (codes >= w->size) w->hi = last;
  return Status::Ok();
}

StatusOr<const PgImportTransaction::StoredHousehold*> PgImportTransaction::FindHousehold(const std::string& code) {
  if (!household_window_.Covers(code)) HEARTH_RETURN_IF_ERROR(FetchHouseholdWindow(code));
  ++household_window_.served;
  auto it = household_window_.entries.find(code);
  return it == household_window_.entries.end() ? nullptr : &it->second;
}

StatusOr<HouseholdRows<PersonRecord>*> PgImportTransaction::PersonsOf(const std::string& code) {
  if (!person_window_.Covers(code)) HEARTH_RETURN_IF_ERROR(FetchRowsWindow(code, true, &person_window_));
  ++person_window_.served;
  auto it = person_window_.entries.find(code);
  return it == person_window_.entries.end() ? nullptr : &it->second;
}

StatusOr<HouseholdRows<IncomeRecord>*> PgImportTransaction::IncomesOf(const std::string& code) {
  if (!income_window_.Covers(code)) HEARTH_RETURN_IF_ERROR(FetchRowsWindow(code, false, &income_window_));
  ++income_window_.served;
  auto it = income_window_.entries.find(code);
  return it == income_window_.entries.end() ? nullptr : &it->second;
}

StatusOr<int64_t> PgImportTransaction::HouseholdId(const std::string& code) {
  if (last_household_.second != 0 && last_household_.first == code) return last_household_.second;
  int64_t id = 0;
  bool known = true;
  if (household_window_.Covers(code)) {
    auto e = household_window_.entries.find(code);
    id = e == household_window_.entries.end() ? 0 : e->second.id;
  } else if (person_window_.Covers(code)) {
    auto e = person_window_.entries.find(code);
    id = e == person_window_.entries.end() ? 0 : e->second.household_id;
  } else if (income_window_.Covers(code)) {
    auto e = income_window_.entries.find(code);
    id = e == income_window_.entries.end() ? 0 : e->second.household_id;
  } else {
    known = false;
  }
  if (!known) {
    HEARTH_RETURN_IF_ERROR(Flush(kHouseholdsBit));
    HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Run("household_id", Params().Add(code)));
    id = q.rows() > 0 ? q.Int(0, 0) : 0;
  }
  if (id != 0) last_household_ = {code, id};
  return id;
}

// ---------------------------------------------------------------------------------------------
// Registry writes

void PgImportTransaction::QueueHouseholdInsert(const HouseholdRecord& h, int64_t id, int64_t line) {
  households_copy_.Field(id).Field(h.household_code).Field(h.village_code).Field(static_cast<int>(h.type));
  households_copy_.Field(h.exit_year).Field(h.relocation_site).Field(GradeText(h.housing_grade));
  households_copy_.Field(OptBool(h.water_safe)).Field(import_id_).Field(import_id_).Field(line);
  households_copy_.EndRow();
  StoredHousehold stored{id, h};
  stored.record.keep_stored = 0;
  if (household_window_.Covers(h.household_code)) {
    household_window_.entries[h.household_code] = stored;
    CapWindow(&household_window_);
  }
  // The windows of persons and incomes learn that the household now exists.
  if (person_window_.Covers(h.household_code)) person_window_.entries[h.household_code].household_id = id;
  if (income_window_.Covers(h.household_code)) income_window_.entries[h.household_code].household_id = id;
  CapWindow(&person_window_);
  CapWindow(&income_window_);
}

void PgImportTransaction::QueueHouseholdUpdate(const HouseholdRecord& h, int64_t id) {
  Params p;
  p.Add(id).Add(h.village_code).Add(static_cast<int>(h.type)).Add(h.exit_year).Add(h.relocation_site);
  p.Add(GradeText(h.housing_grade)).Add(OptBool(h.water_safe)).Add(import_id_);
  household_updates_.push_back({"household_update", std::move(p)});
  StoredHousehold stored{id, h};
  stored.record.keep_stored = 0;
  if (household_window_.Covers(h.household_code)) household_window_.entries[h.household_code] = stored;
}

StatusOr<UpsertOutcome> PgImportTransaction::UpsertHousehold(const HouseholdRecord& h, int64_t line,
                                                             HouseholdRecord* previous) {
  registry_changed_ = true;
  if (!villages_.contains(h.village_code)) {
    return Error(StatusCode::kInvalidArgument, Msg::kVillageUnknown, h.village_code);
  }
  HEARTH_ASSIGN_OR_RETURN(const StoredHousehold* stored, FindHousehold(h.household_code));
  if (stored == nullptr) {
    HEARTH_ASSIGN_OR_RETURN(int64_t id, household_ids_.Next(conn_));
    QueueHouseholdInsert(h, id, line);
    last_household_ = {h.household_code, id};
    HEARTH_RETURN_IF_ERROR(FlushIfFull());
    return UpsertOutcome::kInserted;
  }
  const int64_t id = stored->id;
  last_household_ = {h.household_code, id};
  HouseholdRecord merged = MergeKept(h, stored->record);
  if (store_rules::SameHousehold(stored->record, merged)) return UpsertOutcome::kUnchanged;
  HouseholdRecord old = stored->record;  // the caches are overwritten next
  QueueHouseholdUpdate(merged, id);
  if (merged.village_code != old.village_code) {
    for (const char* name : {"household_move_findings", "household_move_warnings"}) {
      household_updates_.push_back({name, Params().Add(id)});
    }
  }
  if (previous != nullptr) *previous = std::move(old);
  HEARTH_RETURN_IF_ERROR(FlushIfFull());
  return UpsertOutcome::kUpdated;
}

void PgImportTransaction::QueuePerson(const PersonRecord& p, int64_t household_id, int64_t line, bool insert) {
  if (insert) {
    CopyBuffer& c = persons_copy_;
    c.Field(p.ref).Field(household_id).Field(p.name).Field(p.id_number).Field(static_cast<int>(p.sex));
    c.Field(p.birth_date.days());
    c.Field(p.id_converted_from_15 ? 1 : 0).Field(static_cast<int>(p.relation)).Field(static_cast<int>(p.health));
    c.Field(p.disability_grade).Field(static_cast<int>(p.labour)).Field(static_cast<int>(p.schooling));
    c.Field(p.insured ? 1 : 0).Field(p.months_worked).Field(import_id_).Field(import_id_).Field(line);
    c.EndRow();
  } else {
    Params q;
    q.Add(household_id).Add(p.id_number).Add(p.name).Add(static_cast<int>(p.sex)).Add(p.birth_date.days());
    q.Add(p.id_converted_from_15 ? 1 : 0).Add(static_cast<int>(p.relation)).Add(static_cast<int>(p.health));
    q.Add(p.disability_grade).Add(static_cast<int>(p.labour)).Add(static_cast<int>(p.schooling));
    q.Add(p.insured ? 1 : 0).Add(p.months_worked).Add(import_id_);
    person_updates_.push_back({"person_update", std::move(q)});
  }
  // The window covers the household (the upsert looked it up): it now holds the row as written.
  PersonRecord kept = p;
  kept.keep_stored = 0;
  kept.household_code.clear();  // the window's key
  HouseholdRows<PersonRecord>& entry = person_window_.entries[p.household_code];
  entry.household_id = household_id;
  PutRow(entry.rows, kept);
}

StatusOr<UpsertOutcome> PgImportTransaction::UpsertPerson(const PersonRecord& p, int64_t line, PersonRecord* previous) {
  registry_changed_ = true;
  HEARTH_ASSIGN_OR_RETURN(HouseholdRows<PersonRecord>* rows, PersonsOf(p.household_code));
  if (rows == nullptr || rows->household_id == 0) {
    return Error(StatusCode::kInvalidArgument, Msg::kHouseholdUnknown, p.household_code);
  }
  const int64_t household_id = rows->household_id;
  const PersonRecord* stored = FindRow(rows->rows, p);
  last_household_ = {p.household_code, household_id};
  if (stored == nullptr) {
    PersonRecord inserted = p;
    HEARTH_ASSIGN_OR_RETURN(inserted.ref, person_ids_.Next(conn_));
    QueuePerson(inserted, household_id, line, /*insert=*/true);
    HEARTH_RETURN_IF_ERROR(FlushIfFull());
    return UpsertOutcome::kInserted;
  }
  PersonRecord merged = MergeKept(p, *stored);
  if (store_rules::SamePerson(*stored, merged)) return UpsertOutcome::kUnchanged;
  PersonRecord old = *stored;  // the window is overwritten next
  merged.ref = old.ref;
  QueuePerson(merged, household_id, line, /*insert=*/false);
  if (previous != nullptr) *previous = std::move(old);
  HEARTH_RETURN_IF_ERROR(FlushIfFull());
  return UpsertOutcome::kUpdated;
}

StatusOr<std::optional<PersonRecord>> PgImportTransaction::RemovePerson(const std::string& household_code,
                                                                        const std::string& id_number) {
  HEARTH_ASSIGN_OR_RETURN(HouseholdRows<PersonRecord>* rows, PersonsOf(household_code));
  if (rows == nullptr || rows->household_id == 0) {
    return Error(StatusCode::kInvalidArgument, Msg::kHouseholdUnknown, household_code);
  }
  PersonRecord key;
  key.id_number = id_number;
  PersonRecord* stored = FindRow(rows->rows, key);
  if (stored == nullptr) return std::optional<PersonRecord>();
  registry_changed_ = true;
  last_household_ = {household_code, rows->household_id};
  PersonRecord old = std::move(*stored);
  rows->rows.erase(rows->rows.begin() + (stored - rows->rows.data()));
  person_updates_.push_back({"person_delete", Params().Add(rows->household_id).Add(id_number)});
  HEARTH_RETURN_IF_ERROR(FlushIfFull());
  old.household_code = household_code;
  return std::optional<PersonRecord>(std::move(old));
}

void PgImportTransaction::QueueIncome(const IncomeRecord& i, int64_t household_id, int64_t line, bool insert) {
  if (insert) {
    CopyBuffer& c = incomes_copy_;
    c.Field(household_id).Field(i.year).Field(i.wage.fen()).Field(i.business.fen()).Field(i.property.fen());
    c.Field(i.transfer.fen()).Field(i.business_cost.fen()).Field(import_id_).Field(import_id_).Field(line);
    c.EndRow();
  } else {
    Params q;
    q.Add(household_id).Add(i.year).Add(i.wage.fen()).Add(i.business.fen()).Add(i.property.fen());
    q.Add(i.transfer.fen()).Add(i.business_cost.fen()).Add(import_id_);
    income_updates_.push_back({"income_update", std::move(q)});
  }
  HouseholdRows<IncomeRecord>& entry = income_window_.entries[i.household_code];
  entry.household_id = household_id;
  PutRow(entry.rows, i);
}

StatusOr<UpsertOutcome> PgImportTransaction::UpsertIncome(const IncomeRecord& i, int64_t line, IncomeRecord* previous) {
  registry_changed_ = true;
  HEARTH_ASSIGN_OR_RETURN(HouseholdRows<IncomeRecord>* rows, IncomesOf(i.household_code));
  if (rows == nullptr || rows->household_id == 0) {
    return Error(StatusCode::kInvalidArgument, Msg::kHouseholdUnknown, i.household_code);
  }
  const int64_t household_id = rows->household_id;
  const IncomeRecord* stored = FindRow(rows->rows, i);
  last_household_ = {i.household_code, household_id};
  if (stored == nullptr) {
    QueueIncome(i, household_id, line, /*insert=*/true);
    HEARTH_RETURN_IF_ERROR(FlushIfFull());
    return UpsertOutcome::kInserted;
  }
  if (store_rules::SameIncome(*stored, i)) return UpsertOutcome::kUnchanged;
  IncomeRecord old = *stored;
  QueueIncome(i, household_id, line, /*insert=*/false);
  if (previous != nullptr) {
    *previous = std::move(old);
    previous->household_code = i.household_code;
  }
  HEARTH_RETURN_IF_ERROR(FlushIfFull());
  return UpsertOutcome::kUpdated;
}

// ---------------------------------------------------------------------------------------------
// Events, rejects, commit

StatusOr<int64_t> PgImportTransaction::AppendEvent(const EventRecord& e) {
  int64_t household_id = e.household_ref;
  if (household_id == 0 && !e.household_code.empty()) {
    HEARTH_ASSIGN_OR_RETURN(household_id, HouseholdId(e.household_code));
  }
  PendingEvent pending{0, household_id, e};
  pending.record.recorded_at = e.recorded_at != 0 ? e.recorded_at : recorded_at_;
  // The month's partition must exist before the event is sent.
  const MonthPartition partition = PartitionFor("events", pending.record.recorded_at);
  if (!partitions_ready_.contains(partition.name)) {
    HEARTH_RETURN_IF_ERROR(store_.EnsurePartition("events", pending.record.recorded_at, /*in_transaction=*/true));
    partitions_ready_.insert(partition.name);
  }
  HEARTH_ASSIGN_OR_RETURN(pending.id, event_ids_.Next(conn_));
  NoteOwnEvent(e);
  events_bytes_ += 96 + e.payload.size() + e.event_key.size() + e.type.size();
  events_.push_back(std::move(pending));
  const int64_t id = events_.back().id;
  HEARTH_RETURN_IF_ERROR(FlushIfFull());
  return id;
}

Status PgImportTransaction::AddReject(const RejectRecord& r) {
  rejects_copy_.Field(import_id_).Field(r.line).Field(r.column).Field(r.raw).Field(r.kind).Field(r.hint);
  rejects_copy_.Field(RowOutcomeName(r.outcome)).Field(CellsToJson(r.cells)).Field(r.sheet);
  rejects_copy_.EndRow();
  return FlushIfFull();
}

StatusOr<std::vector<HouseholdHeads>> PgImportTransaction::HouseholdsWithoutOneHead() {
  HEARTH_RETURN_IF_ERROR(Flush(kPersonsBit));
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(std::string(kHouseholdsWithoutOneHeadSql)));
  std::vector<HouseholdHeads> out;
  for (int r = 0; r < q.rows(); ++r) {
    if (out.empty() || out.back().household_code != q.View(r, 0)) out.push_back({q.Text(r, 0), {}, {}});
    if (!q.IsNull(r, 1)) {
      out.back().id_numbers.push_back(q.Text(r, 1));
      out.back().names.push_back(q.Text(r, 2));
    }
  }
  return out;
}

StatusOr<std::vector<SharedPerson>> PgImportTransaction::SharedPersons() {
  HEARTH_RETURN_IF_ERROR(Flush(kPersonsBit));
  // Room to hash every person in memory rather than on disk (this transaction only).
  HEARTH_RETURN_IF_ERROR(conn_.Exec("SET LOCAL work_mem = '256MB'; SET LOCAL enable_seqscan = on"));
  // The (few) persons whose ID number another household also holds: one hash semi-join over
  // the persons (faster here than grouping 4 M ID numbers), then their households by index.
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "WITH shared AS MATERIALIZED (SELECT p.household_id, p.id_number, p.name FROM persons p WHERE EXISTS ("
      "  SELECT 1 FROM persons q WHERE q.id_number = p.id_number AND q.household_id <> p.household_id)) "
      "SELECT s.id_number, s.name, h.household_code FROM shared s CROSS JOIN LATERAL ("
      "  SELECT household_code FROM households x WHERE x.id = s.household_id OFFSET 0) h "
      "ORDER BY s.id_number, h.household_code"));
  HEARTH_RETURN_IF_ERROR(conn_.Exec("SET LOCAL enable_seqscan = off"));  // back to lookups by key
  std::vector<SharedPerson> out;
  for (int r = 0; r < q.rows(); ++r) {
    if (out.empty() || out.back().id_number != q.View(r, 0)) out.push_back({q.Text(r, 0), q.Text(r, 1), {}});
    out.back().household_codes.push_back(q.Text(r, 2));
  }
  return out;
}

Status PgImportTransaction::Commit(const ImportTotals& t) {
  HEARTH_RETURN_IF_ERROR(Flush(kAllTables));
  HEARTH_RETURN_IF_ERROR(conn_.EndCopy());
  for (const auto& [type, keys] : confirmations_.PendingRows()) {
    HEARTH_RETURN_IF_ERROR(
        conn_.Query(std::string(kInsertConfirmationsSql), Params().Add(import_id_).Add(type).Add(keys)).status());
  }
  if (!t.villages.empty()) {
    HEARTH_RETURN_IF_ERROR(conn_.Query("INSERT INTO import_villages (import_id, village_code) "
                                       "SELECT $1::bigint, unnest($2::text[])",
                                       Params().Add(import_id_).AddArray(t.villages))
                               .status());
  }
  std::string area = t.area_code;
  if (std::vector<std::string> noted = TakeNotedHouseholds(); !noted.empty()) {
    // The villages of the households the rows named, less those already listed above.
    HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("INSERT INTO import_villages (import_id, village_code) "
                                                  "SELECT DISTINCT $1::bigint, h.village_code FROM households h "
                                                  "WHERE h.household_code = ANY($2::text[]) "
                                                  "AND NOT (h.village_code = ANY($3::text[])) RETURNING village_code",
                                                  Params().Add(import_id_).AddArray(noted).AddArray(t.villages)));
    std::set<std::string> found(t.villages.begin(), t.villages.end());
    for (int r = 0; r < q.rows(); ++r) found.insert(q.Text(r, 0));
    if (area.empty()) area = SmallestAreaHolding(found);
  }
  HEARTH_RETURN_IF_ERROR(conn_.Query("UPDATE imports SET read_rows = $1, accepted = $2, rejected = $3, unmatched = $4, "
                                     "duplicate = $5, flagged = $6, area_code = $7, header = $8, status = 'committed', "
                                     "registry_changed = $10 WHERE id = $9",
                                     Params().Add(t.read).Add(t.accepted).Add(t.rejected).Add(t.unmatched)
                                         .Add(t.duplicate).Add(t.flagged).Add(area).Add(CellsToJson(t.header))
                                         .Add(import_id_).Add(registry_changed_ ? 1 : 0))
                             .status());
  done_ = true;  // whatever COMMIT says, there is nothing left to roll back
  return store_.CommitWrite();
}

}  // namespace hearth::pg_impl
