// The SQLite backend, the engine's side: reading households' facts (one, or all in one ordered
// scan), and the warnings with the policy versions they were made under.
#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <unordered_set>

#include "core/clock.h"
#include "core/messages.h"
#include "store/common_sql.h"
#include "store/record_rules.h"
#include "store/row_readers.h"
#include "store/sqlite/sqlite_internal.h"

namespace hearth::sqlite_impl {
namespace {

// Feed facts (which have a key) and retractions; the in-force decision is made in C++
// (KeepInForce) so that it can respect a known-at time.
constexpr std::string_view kEventColumns =
    "e.id, e.type, COALESCE(e.person_id_number, ''), e.effective_date, e.recorded_at, COALESCE(e.import_id, 0), "
    "COALESCE(e.source_line, 0), e.amount_fen, e.payload, COALESCE(e.event_key, ''), COALESCE(e.supersedes, 0), "
    "COALESCE(e.village_code, '')";
constexpr std::string_view kFactEvent = "(e.event_key IS NOT NULL OR e.type = 'retraction')";

EventRecord ReadEvent(const Stmt& q, int c) {
  EventRecord e;
  store_rules::ReadEventInto(q, c, &e);
  return e;
}

constexpr std::string_view kWarningColumns =
    "w.id, w.household_id, h.household_code, w.village_code, w.category, w.rules, w.risks, w.severity, w.score, "
    "w.explanation, w.policy_digest, w.as_of, w.opened_date, w.closed_date";

WarningRecord ReadWarning(const Stmt& q) {
  WarningRecord w;
  w.id = q.Int(0);
  w.household_ref = q.Int(1);
  w.household_code = q.Text(2);
  w.village_code = q.Text(3);
  w.category = q.Text(4);
  w.rules = SplitIds(q.Text(5));
  w.risks = SplitIds(q.Text(6));
  w.severity = static_cast<int>(q.Int(7));
  w.score = q.Int(8);
  w.explanation = q.Text(9);
  w.policy_digest = q.Text(10);
  w.as_of = Date::FromDays(static_cast<int32_t>(q.Int(11)));
  w.opened = Date::FromDays(static_cast<int32_t>(q.Int(12)));
  if (auto closed = q.OptInt(13)) w.closed = Date::FromDays(static_cast<int32_t>(*closed));
  return w;
}

// The smallest string above every string starting with `prefix` (for prefix range scans).
std::string PrefixEnd(const std::string& prefix) { return prefix + "\xff"; }

}  // namespace

Status FactsReader::Prepare(Db& db) {
  struct {
    Stmt* stmt;
    std::string sql;
  } const statements[] = {
      {&household_, "SELECT id, " + std::string(kHouseholdColumns) + " FROM households WHERE household_code = ?"},
      {&members_, "SELECT " + std::string(kPersonColumns) + " FROM persons p WHERE p.household_id = ?"},
      {&incomes_, "SELECT year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen "
                  "FROM incomes WHERE household_id = ? ORDER BY year"},
      {&events_, "SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.household_id = ? AND " +
                     std::string(kFactEvent)},
      {&village_events_, "SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.household_id IS NULL AND "
                         "e.village_code = ? AND " + std::string(kFactEvent)},
      {&member_elsewhere_, MemberElsewhereEventsSql(kEventColumns)},
  };
  for (const auto& s : statements) {
    HEARTH_ASSIGN_OR_RETURN(*s.stmt, db.Prepare(s.sql));
  }
  return Status::Ok();
}

StatusOr<HouseholdFacts> FactsReader::Load(const std::string& household_code) {
  HouseholdFacts facts;
  household_.Bind(1, household_code);
  HEARTH_RETURN_IF_ERROR(household_.ForEachRow([&] {
    facts.household_ref = household_.Int(0);
    facts.household = ReadHousehold(household_, 1);
  }));
  if (facts.household_ref == 0) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, household_code);
  members_.Bind(1, facts.household_ref);
  HEARTH_RETURN_IF_ERROR(members_.ForEachRow([&] { facts.members.push_back(ReadPerson(members_, 0)); }));
  incomes_.Bind(1, facts.household_ref);
  HEARTH_RETURN_IF_ERROR(incomes_.ForEachRow([&] { facts.incomes.push_back(ReadIncome(incomes_, 0)); }));
  events_.Bind(1, facts.household_ref);
  HEARTH_RETURN_IF_ERROR(events_.ForEachRow([&] { facts.events.push_back(ReadEvent(events_, 0)); }));
  village_events_.Bind(1, facts.household.village_code);
  HEARTH_RETURN_IF_ERROR(village_events_.ForEachRow([&] { facts.events.push_back(ReadEvent(village_events_, 0)); }));
  std::vector<EventRecord> deaths;
  member_elsewhere_.Bind(1, household_code);
  HEARTH_RETURN_IF_ERROR(member_elsewhere_.ForEachRow([&] { deaths.push_back(ReadEvent(member_elsewhere_, 0)); }));
  store_rules::KeepMembersGone(&deaths, std::nullopt);
  facts.events.insert(facts.events.end(), deaths.begin(), deaths.end());
  Finish(&facts, std::nullopt);
  return facts;
}

void FactsReader::Finish(HouseholdFacts* facts, std::optional<int64_t> known_at) {
  store_rules::FinishFacts(facts, known_at);
}

// --- the ordered scan ----------------------------------------------------------------------

namespace {

// One cursor of the merge: rows ordered by household id, read as they are needed.
class Cursor {
 public:
  Cursor(Stmt stmt, int id_column) : stmt_(std::move(stmt)), id_column_(id_column) {}
  Status Start() { return Advance(); }
  // Calls `read(stmt)` for every row of `household_id`, skipping rows of lower ids.
  template <typename Fn>
  Status Take(int64_t household_id, Fn read) {
    while (has_row_ && stmt_.Int(id_column_) < household_id) HEARTH_RETURN_IF_ERROR(Advance());
    while (has_row_ && stmt_.Int(id_column_) == household_id) {
      read(stmt_);
      HEARTH_RETURN_IF_ERROR(Advance());
    }
    return Status::Ok();
  }

 private:
  Status Advance() {
    HEARTH_ASSIGN_OR_RETURN(has_row_, stmt_.Step());
    return Status::Ok();
  }
  Stmt stmt_;
  int id_column_;
  bool has_row_ = false;
};

// The households of `scan` whose ids lie in [from, to), in id order, read through `db` inside
// the read transaction it holds. Stops early, without error, once `stop` is set (another part
// failed).
Status ScanRange(Db& db, const FactsScan& scan, int64_t from, int64_t to, const store_rules::ScanExtraEvents& extra,
                 const std::atomic<bool>* stop, const std::function<Status(HouseholdFacts&)>& fn) {
  const std::string known = scan.known_at ? " AND e.recorded_at <= " + std::to_string(*scan.known_at) : "";
  // Only the households listed (as a JSON array, looked up by their ids), when they are.
  const std::string listed = scan.households.empty() ? "" : "[" + store_rules::JoinIds(scan.households) + "]";
  auto only_listed = [&](std::string_view column, int param) {
    return listed.empty() ? std::string()
                          : " AND " + std::string(column) + " IN (SELECT value FROM json_each(?" + std::to_string(param) + "))";
  };
  // Every household: the table in id order. An area: its households by the village index, then
  // sorted (SQLite would otherwise take the index for every household and sort them all).
  HEARTH_ASSIGN_OR_RETURN(Stmt households, db.Prepare("SELECT id, " + std::string(kHouseholdColumns) +
                                                      " FROM households WHERE " +
                                                      (scan.area.empty() ? "id >= ?3 AND id < ?4"
                                                                         : "village_code >= ?1 AND village_code < ?2 "
                                                                           "AND +id >= ?3 AND +id < ?4") +
                                                      only_listed("id", 5) + " ORDER BY id"));
  if (!scan.area.empty()) households.Bind(1, scan.area).Bind(2, PrefixEnd(scan.area));
  households.Bind(3, from).Bind(4, to);
  if (!listed.empty()) households.Bind(5, listed);
  HEARTH_ASSIGN_OR_RETURN(Stmt persons, db.Prepare("SELECT p.household_id, " + std::string(kPersonColumns) +
                                                   " FROM persons p WHERE p.household_id >= ?1 AND p.household_id < ?2" +
                                                   only_listed("p.household_id", 3) + " ORDER BY p.household_id"));
  persons.Bind(1, from).Bind(2, to);
  if (!listed.empty()) persons.Bind(3, listed);
  HEARTH_ASSIGN_OR_RETURN(Stmt incomes, db.Prepare("SELECT household_id, year, wage_fen, business_fen, property_fen, "
                                                   "transfer_fen, business_cost_fen FROM incomes WHERE "
                                                   "household_id >= ?1 AND household_id < ?2" + only_listed("household_id", 3) +
                                                   " ORDER BY household_id, year"));
  incomes.Bind(1, from).Bind(2, to);
  if (!listed.empty()) incomes.Bind(3, listed);
  HEARTH_ASSIGN_OR_RETURN(Stmt events, db.Prepare("SELECT e.household_id, " + std::string(kEventColumns) +
                                                  " FROM events e WHERE e.household_id >= ?1 AND e.household_id < ?2 AND " +
                                                  std::string(kFactEvent) + known + only_listed("e.household_id", 3) +
                                                  " ORDER BY e.household_id"));
  events.Bind(1, from).Bind(2, to);
  if (!listed.empty()) events.Bind(3, listed);
  Cursor person_cursor(std::move(persons), 0), income_cursor(std::move(incomes), 0), event_cursor(std::move(events), 0);
  HEARTH_RETURN_IF_ERROR(person_cursor.Start());
  HEARTH_RETURN_IF_ERROR(income_cursor.Start());
  HEARTH_RETURN_IF_ERROR(event_cursor.Start());
  Status failed;
  bool stopped = false;
  // One record set for all households, read into again and again (row_readers.h).
  HouseholdFacts facts;
  store_rules::FactsSlots slots;
  HEARTH_RETURN_IF_ERROR(households.ForEachRow([&] {
    if (!failed.ok() || stopped) return;
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
      stopped = true;
      return;
    }
    slots.Recycle(&facts);
    facts.household_ref = households.Int(0);
    store_rules::ReadHouseholdInto(households, 1, &facts.household);
    const int64_t id = facts.household_ref;
    Status s = person_cursor.Take(id, [&](const Stmt& q) { store_rules::ReadPersonInto(q, 1, &slots.members.Next(facts.members)); });
    if (s.ok()) s = income_cursor.Take(id, [&](const Stmt& q) { store_rules::ReadIncomeInto(q, 1, &slots.incomes.Next(facts.incomes)); });
    if (s.ok()) s = event_cursor.Take(id, [&](const Stmt& q) { store_rules::ReadEventInto(q, 1, &slots.events.Next(facts.events)); });
    extra.AddTo(&facts);
    FactsReader::Finish(&facts, scan.known_at);
    if (s.ok()) s = fn(facts);
    failed = s;
  }));
  return failed;
}

StatusOr<store_rules::ScanExtraEvents> ExtraEvents(Db& db, const FactsScan& scan) {
  const std::string known = scan.known_at ? " AND e.recorded_at <= " + std::to_string(*scan.known_at) : "";
  store_rules::ScanExtraEvents out;
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT " + std::string(kEventColumns) + " FROM events e WHERE "
                                             "e.household_id IS NULL AND e.village_code IS NOT NULL AND " +
                                             std::string(kFactEvent) + known));
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    EventRecord e = ReadEvent(q, 0);
    out.by_village[e.village_code].push_back(std::move(e));
  }));
  HEARTH_ASSIGN_OR_RETURN(Stmt deaths, db.Prepare(AllMemberElsewhereEventsSql(kEventColumns)));
  HEARTH_RETURN_IF_ERROR(deaths.ForEachRow([&] { out.member_elsewhere[deaths.Int(0)].push_back(ReadEvent(deaths, 1)); }));
  out.FinishMembersGone(scan.known_at);
  return out;
}

// The whole registry is read once: through a memory map, without copying each page into the
// page cache. Only for these scans: elsewhere (imports, one household's reads) the mapped pages
// would only add to the process's resident memory, which then grows with the file imported.
constexpr std::string_view kMapForScan = "PRAGMA mmap_size = 2147483648";

}  // namespace

Status SqliteStore::ScanFacts(const FactsScan& scan, const std::function<Status(HouseholdFacts&)>& fn) {
  HEARTH_RETURN_IF_ERROR(db_.Exec(kMapForScan));
  Status s = db_.Exec("BEGIN");  // one read snapshot for all cursors
  if (s.ok()) {
    StatusOr<store_rules::ScanExtraEvents> extra = ExtraEvents(db_, scan);
    s = extra.ok() ? ScanRange(db_, scan, INT64_MIN, INT64_MAX, *extra, nullptr, fn) : extra.status();
    (void)db_.Exec("COMMIT");
  }
  (void)db_.Exec("PRAGMA mmap_size = 0");
  return s;
}

// Each part reads through a connection of its own. One snapshot for all: the parts' read
// transactions begin while this connection holds the write lock, so that no writer can commit
// between them; the lock is released as soon as they have begun (a writer waits a moment, not
// for the scan). When the lock cannot be had at once (an import is writing), one part.
Status SqliteStore::ScanFactsInParts(const FactsScan& scan, int parts,
                                     const std::function<Status(int part, HouseholdFacts&)>& fn) {
  auto one_part = [&] { return ScanFacts(scan, [&](HouseholdFacts& facts) { return fn(0, facts); }); };
  if (parts < 2 || sqlite3_get_autocommit(db_.raw()) == 0) return one_part();
  std::vector<Db> readers(static_cast<size_t>(parts));
  for (Db& reader : readers) {
    if (!reader.Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX).ok() ||
        !reader.Exec("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY").ok() || !reader.Exec(kMapForScan).ok()) {
      return one_part();
    }
  }
  sqlite3_busy_timeout(db_.raw(), 250);
  const bool locked = db_.Exec("BEGIN IMMEDIATE").ok();
  sqlite3_busy_timeout(db_.raw(), 10'000);
  if (!locked) return one_part();
  bool began = true;
  for (Db& reader : readers) {
    began = began && reader.Exec("BEGIN").ok() && reader.Exec("SELECT count(*) FROM schema_migrations").ok();
  }
  (void)db_.Exec("ROLLBACK");
  auto end_all = [&] {
    for (Db& reader : readers) (void)reader.Exec("COMMIT");
  };
  if (!began) {
    end_all();
    return one_part();
  }
  // Equal ranges of ids between the first and the last household of the scan.
  int64_t low = 0, high = -1;
  {
    // Two subqueries: SQLite reads min() or max() alone from the end of the table, but both at
    // once by a scan of it (4 s at 10M households).
    const std::string where = scan.area.empty() ? "" : " WHERE village_code >= ?1 AND village_code < ?2";
    StatusOr<Stmt> q = readers[0].Prepare("SELECT (SELECT min(id) FROM households" + where +
                                          "), (SELECT max(id) FROM households" + where + ")");
    Status s = q.status();
    if (s.ok()) {
      if (!scan.area.empty()) q->Bind(1, scan.area).Bind(2, PrefixEnd(scan.area));
      s = q->ForEachRow([&] {
        if (q->IsNull(0)) return;
        low = q->Int(0);
        high = q->Int(1);
      });
    }
    if (!s.ok()) {
      end_all();
      return s;
    }
  }
  StatusOr<store_rules::ScanExtraEvents> extra = ExtraEvents(readers[0], scan);
  if (!extra.ok() || high < low) {
    end_all();
    return extra.status();
  }
  Status read = store_rules::ReadInParts(parts, low, high, [&](int p, int64_t from, int64_t to, const std::atomic<bool>* stop) {
    return ScanRange(readers[static_cast<size_t>(p)], scan, from, to, *extra, stop,
                     [&](HouseholdFacts& facts) { return fn(p, facts); });
  });
  end_all();
  return read;
}

StatusOr<HouseholdFacts> SqliteStore::HouseholdFactsOf(const std::string& household_code) {
  if (!facts_prepared_) {
    HEARTH_RETURN_IF_ERROR(facts_.Prepare(db_));
    facts_prepared_ = true;
  }
  // One read transaction for the five statements: one consistent snapshot, and one lock
  // instead of five (half the time of a household's read).
  if (sqlite3_get_autocommit(db_.raw()) == 0) return facts_.Load(household_code);
  HEARTH_RETURN_IF_ERROR(db_.Exec("BEGIN"));
  StatusOr<HouseholdFacts> facts = facts_.Load(household_code);
  (void)db_.Exec("COMMIT");
  return facts;
}

// --- warnings --------------------------------------------------------------------------------

StatusOr<WarningCounts> SaveWarningsIn(Db& db, const WarningBatch& batch, const std::vector<int64_t>& held) {
  const int64_t now = SystemClock().NowMicros();
  HEARTH_ASSIGN_OR_RETURN(Stmt keep_policy, db.Prepare("INSERT INTO policies (digest, name, content, first_used) "
                                                       "VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING"));
  HEARTH_RETURN_IF_ERROR(keep_policy.Bind(1, batch.policy_digest).Bind(2, batch.policy_name)
                             .Bind(3, batch.policy_text).Bind(4, now).Run());
  // The open warnings of the scope, by (household, category).
  std::unordered_map<int64_t, std::vector<WarningRecord>> open;
  auto collect = [&](Stmt& q) { return q.ForEachRow([&] { WarningRecord w = ReadWarning(q); open[w.household_ref].push_back(w); }); };
  const std::string select = "SELECT " + std::string(kWarningColumns) +
                             " FROM warnings w JOIN households h ON h.id = w.household_id WHERE w.closed_date IS NULL AND ";
  if (batch.households.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Stmt q, db.Prepare(select + "w.village_code >= ?1 AND w.village_code < ?2"));
    q.Bind(1, batch.area).Bind(2, PrefixEnd(batch.area));
    HEARTH_RETURN_IF_ERROR(collect(q));
  } else {
    HEARTH_ASSIGN_OR_RETURN(Stmt q, db.Prepare(select + "w.household_id = ?"));
    for (int64_t h : batch.households) {
      q.Bind(1, h);
      HEARTH_RETURN_IF_ERROR(collect(q));
    }
  }
  HEARTH_ASSIGN_OR_RETURN(Stmt insert, db.Prepare(
      "INSERT INTO warnings (household_id, village_code, category, rules, risks, severity, score, explanation, "
      "policy_digest, as_of, opened_date, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?10, ?11)"));
  HEARTH_ASSIGN_OR_RETURN(Stmt update, db.Prepare(
      "UPDATE warnings SET rules = ?, risks = ?, severity = ?, score = ?, explanation = ?, policy_digest = ?, "
      "as_of = ?, updated_at = ? WHERE id = ?"));
  HEARTH_ASSIGN_OR_RETURN(Stmt close, db.Prepare("UPDATE warnings SET closed_date = ?, updated_at = ? WHERE id = ?"));
  const store_rules::WarningPlan plan = store_rules::PlanWarnings(batch, open, held);
  for (const auto& [id, w] : plan.update) {
    update.Bind(1, JoinIds(w->rules)).Bind(2, JoinIds(w->risks)).Bind(3, w->severity).Bind(4, w->score);
    update.Bind(5, w->explanation).Bind(6, batch.policy_digest).Bind(7, batch.as_of.days()).Bind(8, now);
    HEARTH_RETURN_IF_ERROR(update.Bind(9, id).Run());
  }
  for (const WarningRecord* w : plan.open) {
    insert.Bind(1, w->household_ref).Bind(2, w->village_code).Bind(3, w->category).Bind(4, JoinIds(w->rules));
    insert.Bind(5, JoinIds(w->risks)).Bind(6, w->severity).Bind(7, w->score).Bind(8, w->explanation);
    insert.Bind(9, batch.policy_digest).Bind(10, batch.as_of.days()).Bind(11, now);
    HEARTH_RETURN_IF_ERROR(insert.Run());
  }
  for (int64_t id : plan.close) {
    HEARTH_RETURN_IF_ERROR(close.Bind(1, batch.as_of.days()).Bind(2, now).Bind(3, id).Run());
  }
  return plan.counts;
}

StatusOr<WarningCounts> SqliteStore::SaveWarnings(const WarningBatch& batch) {
  HEARTH_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  // Under the write lock: what imports committed while the screen read and decided.
  StatusOr<std::vector<int64_t>> held = std::vector<int64_t>();
  if (batch.facts_seen) held = store_rules::HeldHouseholds(ChangesSince(*batch.facts_seen));
  StatusOr<WarningCounts> counts = held.ok() ? SaveWarningsIn(db_, batch, *held) : StatusOr<WarningCounts>(held.status());
  if (!counts.ok()) {
    (void)db_.Exec("ROLLBACK");
    return counts.status();
  }
  HEARTH_RETURN_IF_ERROR(db_.Exec("COMMIT"));
  return counts;
}

StatusOr<std::vector<WarningRecord>> SqliteStore::ListWarnings(const WarningFilter& filter) {
  std::string sql = "SELECT " + std::string(kWarningColumns) +
                    " FROM warnings w JOIN households h ON h.id = w.household_id WHERE w.village_code >= ?1 AND "
                    "w.village_code < ?2";
  if (filter.open_only) sql += " AND w.closed_date IS NULL";
  sql += " ORDER BY w.closed_date IS NOT NULL, w.score DESC, w.severity, w.id";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(sql));
  q.Bind(1, filter.area).Bind(2, PrefixEnd(filter.area));
  std::vector<WarningRecord> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back(ReadWarning(q)); }));
  return out;
}

StatusOr<std::optional<Date>> SqliteStore::LatestWarningOpened(const std::string& area) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT max(opened_date) FROM warnings WHERE closed_date IS NULL AND "
                                              "village_code >= ?1 AND village_code < ?2"));
  q.Bind(1, area).Bind(2, PrefixEnd(area));
  std::optional<Date> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    if (!q.IsNull(0)) out = Date::FromDays(static_cast<int32_t>(q.Int(0)));
  }));
  return out;
}

StatusOr<std::optional<Date>> SqliteStore::LatestScreeningDate() {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(kLatestScreeningDateSql));
  std::optional<Date> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    if (!q.IsNull(0)) out = Date::FromDays(static_cast<int32_t>(q.Int(0)));
  }));
  return out;
}

StatusOr<std::optional<std::string>> SqliteStore::PolicyText(const std::string& digest) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT content FROM policies WHERE digest = ?"));
  q.Bind(1, digest);
  std::optional<std::string> text;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { text = q.Text(0); }));
  return text;
}

StatusOr<std::vector<PersonName>> SqliteStore::PersonsByRef(const std::vector<int64_t>& refs) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT id, name, id_number FROM persons WHERE id = ?"));
  HEARTH_ASSIGN_OR_RETURN(Stmt joined, db_.Prepare(kJoinedPersonSql));
  std::vector<PersonName> out;
  for (int64_t ref : refs) {
    if (ref < 0) {
      joined.Bind(1, -ref);
      HEARTH_RETURN_IF_ERROR(joined.ForEachRow([&] { out.push_back(store_rules::JoinedPerson(ref, joined.Text(0), joined.Text(1))); }));
      continue;
    }
    q.Bind(1, ref);
    HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back({q.Int(0), q.Text(1), q.Text(2)}); }));
  }
  return out;
}

StatusOr<std::vector<std::pair<int64_t, std::string>>> SqliteStore::HouseholdRefs(const std::string& area) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT id, household_code FROM households WHERE village_code >= ?1 "
                                              "AND village_code < ?2 ORDER BY id"));
  q.Bind(1, area).Bind(2, PrefixEnd(area));
  std::vector<std::pair<int64_t, std::string>> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.emplace_back(q.Int(0), q.Text(1)); }));
  return out;
}

// --- inside an import's transaction ------------------------------------------------------

StatusOr<int64_t> SqliteImportTransaction::HouseholdRef(const std::string& household_code) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> id, HouseholdId(household_code));
  if (!id) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, household_code);
  return *id;
}

StatusOr<WarningCounts> SqliteImportTransaction::SaveWarnings(const WarningBatch& batch) {
  return SaveWarningsIn(db_, batch);
}

}  // namespace hearth::sqlite_impl
