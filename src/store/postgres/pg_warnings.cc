// The PostgreSQL backend, the engine's side: reading households' facts (one, or all in one
// ordered scan over server-side cursors), and the warnings with the policy versions they were
// made under.
#include <algorithm>
#include <array>
#include <atomic>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/clock.h"
#include "core/messages.h"
#include "store/common_sql.h"
#include "store/postgres/pg_internal.h"
#include "store/row_readers.h"

namespace hearth::pg_impl {
namespace {

constexpr std::string_view kFactEvent = "(e.event_key IS NOT NULL OR e.type = 'retraction')";

constexpr std::string_view kWarningColumns =
    "w.id, w.household_id, h.household_code, w.village_code, w.category, w.rules, w.risks, w.severity, w.score, "
    "w.explanation, w.policy_digest, w.as_of, w.opened_date, w.closed_date";

WarningRecord ReadWarning(const Result& q, int r) {
  WarningRecord w;
  w.id = q.Int(r, 0);
  w.household_ref = q.Int(r, 1);
  w.household_code = q.Text(r, 2);
  w.village_code = q.Text(r, 3);
  w.category = q.Text(r, 4);
  w.rules = store_rules::SplitIds(q.Text(r, 5));
  w.risks = store_rules::SplitIds(q.Text(r, 6));
  w.severity = static_cast<int>(q.Int(r, 7));
  w.score = q.Int(r, 8);
  w.explanation = q.Text(r, 9);
  w.policy_digest = q.Text(r, 10);
  w.as_of = Date::FromDays(static_cast<int32_t>(q.Int(r, 11)));
  w.opened = Date::FromDays(static_cast<int32_t>(q.Int(r, 12)));
  if (auto closed = q.OptInt(r, 13)) w.closed = Date::FromDays(static_cast<int32_t>(*closed));
  return w;
}

// One cursor of the merge: rows ordered by household id, fetched in batches. A cursor alone
// on its connection (`prefetch`) asks for the next batch as soon as one arrives, so that the
// server reads it while this process decodes the one before.
class Cursor {
 public:
  Cursor(Conn& conn, std::string name, int batch, bool prefetch)
      : conn_(conn), name_(std::move(name)), batch_(batch), prefetch_(prefetch) {}
  ~Cursor() {
    if (in_flight_) (void)conn_.ReceiveFetch(name_);  // leave the connection idle
  }
  Status Start() {
    if (prefetch_) {
      HEARTH_RETURN_IF_ERROR(conn_.SendFetch(name_, batch_));
      in_flight_ = true;
    }
    return Advance();
  }
  // Calls `read(result, row)` for every row of `household_id` (column 0), skipping lower ids.
  template <typename Fn>
  Status Take(int64_t household_id, Fn read) {
    while (has_row_ && rows_.Int(row_, 0) < household_id) HEARTH_RETURN_IF_ERROR(Advance());
    while (has_row_ && rows_.Int(row_, 0) == household_id) {
      read(rows_, row_);
      HEARTH_RETURN_IF_ERROR(Advance());
    }
    return Status::Ok();
  }
  // Walking the cursor row by row: the current row (while has_row) and the step to the next.
  bool has_row() const { return has_row_; }
  const Result& rows() const { return rows_; }
  int row() const { return row_; }
  Status Step() { return Advance(); }

 private:
  Status Advance() {
    if (has_row_ && row_ + 1 < rows_.rows()) {
      ++row_;
      return Status::Ok();
    }
    if (done_) {
      has_row_ = false;
      return Status::Ok();
    }
    if (prefetch_) {
      in_flight_ = false;
      HEARTH_ASSIGN_OR_RETURN(rows_, conn_.ReceiveFetch(name_));
    } else {
      HEARTH_ASSIGN_OR_RETURN(rows_, conn_.Fetch(name_, batch_));
    }
    row_ = 0;
    has_row_ = rows_.rows() > 0;
    done_ = rows_.rows() < batch_;
    if (prefetch_ && !done_) {
      HEARTH_RETURN_IF_ERROR(conn_.SendFetch(name_, batch_));
      in_flight_ = true;
    }
    return Status::Ok();
  }

  Conn& conn_;
  std::string name_;
  int batch_;
  bool prefetch_;
  bool in_flight_ = false;
  Result rows_;
  int row_ = 0;
  bool has_row_ = false;
  bool done_ = false;
};

constexpr int kCursorBatch = 20000;

}  // namespace

// ---------------------------------------------------------------------------------------------
// The ordered scan

namespace {

std::string KnownClause(const FactsScan& scan) {
  // The time as a literal, so that the plan prunes the event partitions recorded after it.
  return scan.known_at ? " AND e.recorded_at <= " + std::to_string(*scan.known_at) : "";
}

StatusOr<store_rules::ScanExtraEvents> ExtraEvents(Conn& conn, const FactsScan& scan) {
  store_rules::ScanExtraEvents out;
  HEARTH_ASSIGN_OR_RETURN(Result q, conn.Query("SELECT " + std::string(kEventColumns) + " FROM events e WHERE "
                                               "e.household_id IS NULL AND e.village_code IS NOT NULL AND " +
                                               std::string(kFactEvent) + KnownClause(scan)));
  for (int r = 0; r < q.rows(); ++r) {
    EventRecord e = ReadEvent(q, r, 0);
    out.by_village[e.village_code].push_back(std::move(e));
  }
  HEARTH_ASSIGN_OR_RETURN(Result deaths, conn.Query(AllMemberElsewhereEventsSql(kEventColumns)));
  for (int r = 0; r < deaths.rows(); ++r) out.member_elsewhere[deaths.Int(r, 0)].push_back(ReadEvent(deaths, r, 1));
  out.FinishMembersGone(scan.known_at);
  return out;
}

// The households of `scan` whose ids lie in [from, to) (nullopt: all), in id order, inside the
// snapshot every connection given holds: the households' cursor on `conn`, the members',
// incomes' and events' on `streams` (each alone on its connection, so that the server reads the
// four at once and each next batch while this process decodes the last), or all on `conn` when
// null. Stops early, without error, once `stop` is set (another part failed).
Status ScanRange(Conn& conn, std::array<Conn*, 3> streams, const FactsScan& scan,
                 std::optional<std::pair<int64_t, int64_t>> range, const store_rules::ScanExtraEvents& extra,
                 const std::atomic<bool>* stop, const std::function<Status(HouseholdFacts&)>& fn) {
  const std::string known = KnownClause(scan);
  const std::string area = " h.village_code >= $1::text AND h.village_code < $1::text || ':'";
  // Only the households listed, when they are (ids: an array literal of integers).
  const std::string listed = scan.households.empty() ? "" : "'{" + store_rules::JoinIds(scan.households) + "}'::bigint[]";
  auto in_range = [&](std::string_view column) {
    std::string clause = range ? " AND " + std::string(column) + " >= " + std::to_string(range->first) + " AND " +
                                     std::string(column) + " < " + std::to_string(range->second)
                               : std::string();
    if (!listed.empty()) clause += " AND " + std::string(column) + " = ANY(" + listed + ")";
    return clause;
  };
  // Rows of the area's households only (a join), by household id.
  const std::string in_area = scan.area.empty() ? "" : " JOIN households h ON h.id = x.household_id AND" + area;
  const bool parallel = streams[0] != nullptr;
  Conn& person_conn = parallel ? *streams[0] : conn;
  Conn& income_conn = parallel ? *streams[1] : conn;
  Conn& event_conn = parallel ? *streams[2] : conn;
  Params area_param;
  area_param.Add(scan.area);
  Params none;
  const Params& params = scan.area.empty() ? none : area_param;
  HEARTH_RETURN_IF_ERROR(conn.Query("DECLARE scan_households NO SCROLL CURSOR FOR SELECT h.id, " +
                                    std::string(kHouseholdColumns) + " FROM households h WHERE" + area +
                                    in_range("h.id") + " ORDER BY h.id", area_param).status());
  HEARTH_RETURN_IF_ERROR(person_conn.Query("DECLARE scan_persons NO SCROLL CURSOR FOR SELECT p.household_id, " +
                                           std::string(kPersonColumns) + " FROM persons p" +
                                           (scan.area.empty() ? "" : " JOIN households h ON h.id = p.household_id AND" + area) +
                                           " WHERE TRUE" + in_range("p.household_id") +
                                           " ORDER BY p.household_id", params).status());
  HEARTH_RETURN_IF_ERROR(income_conn.Query("DECLARE scan_incomes NO SCROLL CURSOR FOR SELECT x.household_id, x.year, "
                                           "x.wage_fen, x.business_fen, x.property_fen, x.transfer_fen, x.business_cost_fen "
                                           "FROM incomes x" + in_area + " WHERE TRUE" + in_range("x.household_id") +
                                           " ORDER BY x.household_id, x.year", params).status());
  HEARTH_RETURN_IF_ERROR(event_conn.Query("DECLARE scan_events NO SCROLL CURSOR FOR SELECT e.household_id, " +
                                          std::string(kEventColumns) + " FROM events e" +
                                          (scan.area.empty() ? "" : " JOIN households h ON h.id = e.household_id AND" + area) +
                                          " WHERE e.household_id IS NOT NULL AND " + std::string(kFactEvent) + known +
                                          in_range("e.household_id") + " ORDER BY e.household_id", params).status());
  Cursor households(conn, "scan_households", kCursorBatch, parallel);
  Cursor persons(person_conn, "scan_persons", kCursorBatch, parallel);
  Cursor incomes(income_conn, "scan_incomes", kCursorBatch, parallel);
  Cursor events(event_conn, "scan_events", kCursorBatch, parallel);
  for (Cursor* c : {&households, &persons, &incomes, &events}) HEARTH_RETURN_IF_ERROR(c->Start());
  // One record set for all households, read into again and again (row_readers.h).
  HouseholdFacts facts;
  store_rules::FactsSlots slots;
  while (households.has_row()) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) return Status::Ok();
    slots.Recycle(&facts);
    facts.household_ref = households.rows().Int(households.row(), 0);
    store_rules::ReadHouseholdInto(ResultRow{households.rows(), households.row()}, 1, &facts.household);
    const int64_t id = facts.household_ref;
    HEARTH_RETURN_IF_ERROR(persons.Take(id, [&](const Result& q, int row) {
      store_rules::ReadPersonInto(ResultRow{q, row}, 1, &slots.members.Next(facts.members));
    }));
    HEARTH_RETURN_IF_ERROR(incomes.Take(id, [&](const Result& q, int row) {
      store_rules::ReadIncomeInto(ResultRow{q, row}, 1, &slots.incomes.Next(facts.incomes));
    }));
    HEARTH_RETURN_IF_ERROR(events.Take(id, [&](const Result& q, int row) {
      store_rules::ReadEventInto(ResultRow{q, row}, 1, &slots.events.Next(facts.events));
    }));
    extra.AddTo(&facts);
    store_rules::FinishFacts(&facts, scan.known_at);
    HEARTH_RETURN_IF_ERROR(fn(facts));
    HEARTH_RETURN_IF_ERROR(households.Step());
  }
  return Status::Ok();
}

}  // namespace

Status PgStore::ScanFacts(const FactsScan& scan, const std::function<Status(HouseholdFacts&)>& fn) {
  // One snapshot for every cursor; read-only, so it never waits for a writer.
  HEARTH_RETURN_IF_ERROR(conn_.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  std::array<Conn, 3> streams;
  const bool parallel = OpenScanStreams(streams);
  StatusOr<store_rules::ScanExtraEvents> extra = ExtraEvents(conn_, scan);
  const std::array<Conn*, 3> on = parallel ? std::array<Conn*, 3>{&streams[0], &streams[1], &streams[2]}
                                           : std::array<Conn*, 3>{nullptr, nullptr, nullptr};
  Status s = extra.ok() ? ScanRange(conn_, on, scan, std::nullopt, *extra, nullptr, fn) : extra.status();
  if (conn_.ok()) (void)conn_.Exec(s.ok() ? "COMMIT" : "ROLLBACK");
  return s;
}

// Each part: four connections of its own (households, members, incomes, events), all in the
// snapshot this connection exports, so that every part sees the same database. When the
// server exports no snapshot or allows no more connections, one part.
Status PgStore::ScanFactsInParts(const FactsScan& scan, int parts,
                                 const std::function<Status(int part, HouseholdFacts&)>& fn) {
  auto one_part = [&] { return ScanFacts(scan, [&](HouseholdFacts& facts) { return fn(0, facts); }); };
  if (parts < 2 || import_open_) return one_part();
  HEARTH_RETURN_IF_ERROR(conn_.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  StatusOr<Result> snapshot = conn_.Query("SELECT pg_export_snapshot()");
  std::vector<std::array<Conn, 4>> conns(static_cast<size_t>(parts));
  bool opened = snapshot.ok() && snapshot->rows() == 1;
  if (opened) {
    const std::string begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '" +
                              snapshot->Text(0, 0) + "'";
    for (auto& part : conns) {
      for (Conn& c : part) opened = opened && c.Connect(uri_).ok() && SetUpSession(c).ok() && c.Exec(begin).ok();
    }
  }
  auto end = [&](bool ok) {
    for (auto& part : conns) {
      for (Conn& c : part) c.Close();
    }
    if (conn_.ok()) (void)conn_.Exec(ok ? "COMMIT" : "ROLLBACK");
  };
  if (!opened) {
    end(false);
    return one_part();
  }
  // Equal ranges of ids between the first and the last household of the scan.
  Params area_param;
  area_param.Add(scan.area);
  StatusOr<Result> bounds_row = conn_.Query(
      "SELECT min(h.id), max(h.id) FROM households h" +
          std::string(scan.area.empty() ? "" : " WHERE h.village_code >= $1::text AND h.village_code < $1::text || ':'"),
      scan.area.empty() ? Params() : area_param);
  StatusOr<store_rules::ScanExtraEvents> extra = ExtraEvents(conn_, scan);
  if (!bounds_row.ok() || !extra.ok()) {
    end(false);
    return bounds_row.ok() ? extra.status() : bounds_row.status();
  }
  if (bounds_row->rows() == 0 || bounds_row->IsNull(0, 0)) {
    end(true);
    return Status::Ok();
  }
  const int64_t low = bounds_row->Int(0, 0), high = bounds_row->Int(0, 1);
  Status read = store_rules::ReadInParts(parts, low, high, [&](int p, int64_t from, int64_t to, const std::atomic<bool>* stop) {
    std::array<Conn, 4>& c = conns[static_cast<size_t>(p)];
    return ScanRange(c[0], {&c[1], &c[2], &c[3]}, scan, std::make_pair(from, to), *extra, stop,
                     [&](HouseholdFacts& facts) { return fn(p, facts); });
  });
  end(read.ok());
  return read;
}

// The members', incomes' and events' cursors each on a connection of its own that shares the
// scan's snapshot, so that the server reads the four streams at once and each next batch while
// this process decodes the last.
bool PgStore::OpenScanStreams(std::array<Conn, 3>& streams) {
  StatusOr<Result> snapshot = conn_.Query("SELECT pg_export_snapshot()");
  bool opened = snapshot.ok() && snapshot->rows() == 1;
  if (opened) {
    const std::string begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '" +
                              snapshot->Text(0, 0) + "'";
    for (Conn& c : streams) opened = opened && c.Connect(uri_).ok() && SetUpSession(c).ok() && c.Exec(begin).ok();
  }
  if (opened) return true;
  // One connection then: none of the streams holds a slot or the snapshot's horizon meanwhile,
  // and a failed export (which aborts the transaction) leaves a fresh one.
  for (Conn& c : streams) c.Close();
  if (conn_.ok() && !snapshot.ok()) {
    (void)conn_.Exec("ROLLBACK");
    (void)conn_.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  return false;
}

StatusOr<HouseholdFacts> PgStore::HouseholdFactsOf(const std::string& household_code) {
  if (!facts_prepared_) {
    HEARTH_RETURN_IF_ERROR(PrepareFactStatements(conn_));
    facts_prepared_ = true;
  }
  std::optional<StatusOr<HouseholdFacts>> facts;
  HEARTH_RETURN_IF_ERROR(InOneSnapshot([&] {
    facts = LoadHouseholdFacts(conn_, household_code);
    return facts->status();
  }));
  return std::move(*facts);
}

// ---------------------------------------------------------------------------------------------
// Warnings

StatusOr<WarningCounts> SaveWarningsIn(Conn& conn, const WarningBatch& batch, const std::vector<int64_t>& held) {
  const int64_t now = SystemClock().NowMicros();
  HEARTH_RETURN_IF_ERROR(conn.Query("INSERT INTO policies (digest, name, content, first_used) VALUES ($1, $2, $3, $4) "
                                    "ON CONFLICT (digest) DO NOTHING",
                                    Params().Add(batch.policy_digest).Add(batch.policy_name).Add(batch.policy_text)
                                        .Add(now)).status());
  // The open warnings of the scope, by household.
  const std::string select = "SELECT " + std::string(kWarningColumns) +
                             " FROM warnings w JOIN households h ON h.id = w.household_id WHERE w.closed_date IS NULL AND ";
  StatusOr<Result> open_rows =
      batch.households.empty()
          ? conn.Query(select + "w.village_code >= $1::text AND w.village_code < $1::text || ':'", Params().Add(batch.area))
          : conn.Query(select + "w.household_id = ANY($1::bigint[])", Params().AddArray(batch.households));
  if (!open_rows.ok()) return open_rows.status();
  std::unordered_map<int64_t, std::vector<WarningRecord>> open;
  for (int r = 0; r < open_rows->rows(); ++r) {
    WarningRecord w = ReadWarning(*open_rows, r);
    open[w.household_ref].push_back(std::move(w));
  }
  HEARTH_RETURN_IF_ERROR(conn.Prepare("warning_update",
                                      "UPDATE warnings SET rules = $1, risks = $2, severity = $3, score = $4, "
                                      "explanation = $5, policy_digest = $6, as_of = $7, updated_at = $8 WHERE id = $9"));
  HEARTH_RETURN_IF_ERROR(conn.Prepare("warning_close", "UPDATE warnings SET closed_date = $1, updated_at = $2 WHERE id = $3"));
  CopyBuffer inserts("warnings (household_id, village_code, category, rules, risks, severity, score, explanation, "
                     "policy_digest, as_of, opened_date, updated_at)");
  const store_rules::WarningPlan plan = store_rules::PlanWarnings(batch, open, held);
  std::vector<Conn::Queued> changes;
  for (const auto& [id, w] : plan.update) {
    changes.push_back({"warning_update", Params().Add(store_rules::JoinIds(w->rules)).Add(store_rules::JoinIds(w->risks))
                                             .Add(w->severity).Add(w->score).Add(w->explanation).Add(batch.policy_digest)
                                             .Add(batch.as_of.days()).Add(now).Add(id)});
  }
  for (const WarningRecord* w : plan.open) {
    inserts.Field(w->household_ref).Field(w->village_code).Field(w->category).Field(store_rules::JoinIds(w->rules));
    inserts.Field(store_rules::JoinIds(w->risks)).Field(w->severity).Field(w->score).Field(w->explanation);
    inserts.Field(batch.policy_digest).Field(batch.as_of.days()).Field(batch.as_of.days()).Field(now);
    inserts.EndRow();
  }
  for (int64_t id : plan.close) changes.push_back({"warning_close", Params().Add(batch.as_of.days()).Add(now).Add(id)});
  HEARTH_RETURN_IF_ERROR(inserts.Flush(conn));
  HEARTH_RETURN_IF_ERROR(conn.RunPipelined(changes));
  return plan.counts;
}

StatusOr<WarningCounts> PgStore::SaveWarnings(const WarningBatch& batch) {
  HEARTH_RETURN_IF_ERROR(BeginWrite());
  // Under the write lock: what imports committed while the screen read and decided.
  StatusOr<std::vector<int64_t>> held = std::vector<int64_t>();
  if (batch.facts_seen) held = store_rules::HeldHouseholds(ChangesSince(*batch.facts_seen));
  StatusOr<WarningCounts> counts = held.ok() ? SaveWarningsIn(conn_, batch, *held) : StatusOr<WarningCounts>(held.status());
  if (!counts.ok()) {
    RollbackWrite();
    return counts.status();
  }
  HEARTH_RETURN_IF_ERROR(CommitWrite());
  return counts;
}

StatusOr<std::vector<WarningRecord>> PgStore::ListWarnings(const WarningFilter& filter) {
  std::string sql = "SELECT " + std::string(kWarningColumns) +
                    " FROM warnings w JOIN households h ON h.id = w.household_id WHERE w.village_code >= $1::text AND "
                    "w.village_code < $1::text || ':'";
  if (filter.open_only) sql += " AND w.closed_date IS NULL";
  sql += " ORDER BY w.closed_date IS NOT NULL, w.score DESC, w.severity, w.id";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(sql, Params().Add(filter.area)));
  std::vector<WarningRecord> out;
  for (int r = 0; r < q.rows(); ++r) out.push_back(ReadWarning(q, r));
  return out;
}

StatusOr<std::optional<Date>> PgStore::LatestWarningOpened(const std::string& area) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT max(opened_date) FROM warnings WHERE closed_date IS NULL AND "
                                                "village_code >= $1::text AND village_code < $1::text || ':'",
                                                Params().Add(area)));
  if (q.rows() == 0 || q.IsNull(0, 0)) return std::optional<Date>();
  return std::optional<Date>(Date::FromDays(static_cast<int32_t>(q.Int(0, 0))));
}

StatusOr<std::optional<Date>> PgStore::LatestScreeningDate() {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(std::string(kLatestScreeningDateSql)));
  if (q.rows() == 0 || q.IsNull(0, 0)) return std::optional<Date>();
  return std::optional<Date>(Date::FromDays(static_cast<int32_t>(q.Int(0, 0))));
}

StatusOr<std::optional<std::string>> PgStore::PolicyText(const std::string& digest) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT content FROM policies WHERE digest = $1", Params().Add(digest)));
  if (q.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0, 0));
}

StatusOr<std::vector<PersonName>> PgStore::PersonsByRef(const std::vector<int64_t>& refs) {
  std::vector<PersonName> out;
  if (refs.empty()) return out;
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT id, name, id_number FROM persons WHERE id = ANY($1::bigint[])",
                                                Params().AddArray(refs)));
  std::unordered_map<int64_t, int> row_of;
  for (int r = 0; r < q.rows(); ++r) row_of[q.Int(r, 0)] = r;
  for (int64_t ref : refs) {  // in the order asked, as one lookup per reference gives them
    if (ref < 0) {
      HEARTH_ASSIGN_OR_RETURN(Result j, conn_.Query(std::string(kJoinedPersonSql), Params().Add(-ref)));
      if (j.rows() > 0) out.push_back(store_rules::JoinedPerson(ref, j.Text(0, 0), j.Text(0, 1)));
      continue;
    }
    if (auto it = row_of.find(ref); it != row_of.end()) out.push_back({ref, q.Text(it->second, 1), q.Text(it->second, 2)});
  }
  return out;
}

StatusOr<std::vector<std::pair<int64_t, std::string>>> PgStore::HouseholdRefs(const std::string& area) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT id, household_code FROM households WHERE village_code >= $1::text "
                                                "AND village_code < $1::text || ':' ORDER BY id",
                                                Params().Add(area)));
  std::vector<std::pair<int64_t, std::string>> out;
  out.reserve(static_cast<size_t>(q.rows()));
  for (int r = 0; r < q.rows(); ++r) out.emplace_back(q.Int(r, 0), q.Text(r, 1));
  return out;
}

// --- inside an import's transaction ------------------------------------------------------

StatusOr<int64_t> PgImportTransaction::HouseholdRef(const std::string& household_code) {
  HEARTH_ASSIGN_OR_RETURN(int64_t id, HouseholdId(household_code));
  if (id == 0) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, household_code);
  return id;
}

StatusOr<WarningCounts> PgImportTransaction::SaveWarnings(const WarningBatch& batch) {
  HEARTH_RETURN_IF_ERROR(Flush(kHouseholdsBit));
  return SaveWarningsIn(conn_, batch);
}

}  // namespace hearth::pg_impl
