// The PostgreSQL backend, department feeds: linking rows to registered persons, the event in
// force for a key, retraction of a whole import, and the import list with its problem rows.
#include <algorithm>
#include <functional>

#include "core/messages.h"
#include "store/common_sql.h"
#include "store/postgres/pg_internal.h"

namespace hearth::pg_impl {
namespace {

constexpr std::string_view kImportColumns =
    "id, kind, file_name, digest, received, recorded_at, read_rows, accepted, rejected, status, "
    "unmatched, duplicate, flagged, area_code, header";

ImportRecord ReadImport(const Result& q, int r) {
  ImportRecord i;
  i.id = q.Int(r, 0);
  i.kind = q.Text(r, 1);
  i.file_name = q.Text(r, 2);
  i.digest = q.Text(r, 3);
  i.received = Date::FromDays(static_cast<int32_t>(q.Int(r, 4)));
  i.recorded_at = q.Int(r, 5);
  i.read = q.Int(r, 6);
  i.accepted = q.Int(r, 7);
  i.rejected = q.Int(r, 8);
  i.status = q.Text(r, 9);
  i.unmatched = q.Int(r, 10);
  i.duplicate = q.Int(r, 11);
  i.flagged = q.Int(r, 12);
  i.area_code = q.Text(r, 13);
  i.header = CellsFromJson(q.Text(r, 14));
  return i;
}

struct Statement {
  const char* name;
  std::string sql;
};

const std::vector<Statement>& FeedStatements() {
  static const std::vector<Statement> statements = {
      {"person_find", "SELECT h.household_code, h.village_code, p.name, h.id, p.relation FROM persons p "
                      "JOIN households h ON h.id = p.household_id WHERE p.id_number = $1 ORDER BY p.household_id"},
      // "e.id + 0": never walk the primary key in id order hoping to meet the key soon (a plan
      // made while the month's partition was nearly empty would do that for every row).
      {"person_introduced",
       "SELECT h.household_code, h.village_code, h.id FROM events e JOIN households h ON h.id = e.household_id "
       "WHERE e.person_id_number = $1 AND e.type = 'registration.change' AND " + std::string(kInForce) +
           " ORDER BY e.effective_date DESC, e.id + 0 DESC LIMIT 1"},
      {"household_village", "SELECT village_code FROM households WHERE household_code = $1"},
      {"event_by_key", "SELECT e.id, COALESCE(e.import_id, 0), COALESCE(e.source_line, 0), e.payload, "
                       "COALESCE(e.supersedes, 0), e.recorded_at FROM events e WHERE e.type = $1 AND e.event_key = $2 AND " +
                           std::string(kInForce) + " ORDER BY e.id + 0 DESC LIMIT 1"},
      {"event_drop", "DELETE FROM events WHERE id = $1 AND import_id = $2"},
      {"touched", "SELECT e.id, h.household_code, h.id FROM events e JOIN households h ON h.id = e.household_id "
                  "WHERE e.import_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3"},
  };
  return statements;
}

uint64_t KeyHash(std::string_view type, std::string_view key) {
  return std::hash<std::string_view>{}(type) * 0x9E3779B97F4A7C15ULL + std::hash<std::string_view>{}(key);
}

}  // namespace

Status PrepareFeedStatements(Conn& conn) {
  for (const Statement& s : FeedStatements()) HEARTH_RETURN_IF_ERROR(conn.Prepare(s.name, s.sql));
  return Status::Ok();
}

void PgImportTransaction::NoteOwnEvent(const EventRecord& e) {
  if (!e.event_key.empty()) own_event_keys_.insert(KeyHash(e.type, e.event_key));
  if (e.type == "registration.change") own_events_introduce_ = true;
  // A correction supersedes the event just found in force for its own key; anything else (a
  // retraction, or an event superseding another key's) may change what is in force elsewhere.
  bool corrects_own_key = false;
  if (e.supersedes != 0 && !e.event_key.empty()) {
    auto it = looked_up_active_.find(KeyHash(e.type, e.event_key));
    corrects_own_key = it != looked_up_active_.end() && it->second == e.supersedes;
  }
  if (e.type == "retraction" || (e.supersedes != 0 && !corrects_own_key)) own_events_local_ = false;
}

StatusOr<std::vector<std::vector<PersonLink>>> PgImportTransaction::FindPersons(
    const std::vector<std::string>& id_numbers) {
  // Registration events not yet flushed may introduce a person.
  HEARTH_RETURN_IF_ERROR(Flush(kPersonsBit | (own_events_introduce_ || !own_events_local_ ? kEventsBit : 0u)));
  // Every lookup of the batch in one round trip, two per ID number; the second counts only when
  // the first finds nobody.
  std::vector<Conn::Queued> queued;
  queued.reserve(id_numbers.size() * 2);
  for (const std::string& id : id_numbers) {
    queued.push_back({"person_find", Params().Add(id)});
    queued.push_back({"person_introduced", Params().Add(id)});
  }
  std::vector<Result> results;
  HEARTH_RETURN_IF_ERROR(conn_.RunPipelined(queued, &results));
  if (results.size() != queued.size()) {
    return Status::Internal("person lookup: " + std::to_string(results.size()) + " results");
  }
  std::vector<std::vector<PersonLink>> out(id_numbers.size());
  for (size_t i = 0; i < id_numbers.size(); ++i) {
    const Result& found = results[2 * i];
    for (int r = 0; r < found.rows(); ++r) {
      out[i].push_back({found.Text(r, 0), found.Text(r, 1), found.Text(r, 2), found.Int(r, 3),
                        static_cast<Relation>(found.Int(r, 4))});
    }
    if (!out[i].empty()) continue;
    // Not registered: perhaps born or moved in, as 公安 reported (no name to compare then).
    const Result& introduced = results[2 * i + 1];
    for (int r = 0; r < introduced.rows(); ++r) {
      out[i].push_back({introduced.Text(r, 0), introduced.Text(r, 1), "", introduced.Int(r, 2), std::nullopt});
    }
  }
  return out;
}

StatusOr<std::optional<std::string>> PgImportTransaction::HouseholdVillage(const std::string& household_code) {
  HEARTH_RETURN_IF_ERROR(Flush(kHouseholdsBit));
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Run("household_village", Params().Add(household_code)));
  if (q.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0, 0));
}

StatusOr<std::vector<std::optional<ActiveEvent>>> PgImportTransaction::ActiveEventsByKey(
    const std::string& type, const std::vector<std::string>& event_keys) {
  // Stored events answer exactly unless this transaction's buffered events bear on a key.
  bool own = !own_events_local_;
  for (size_t i = 0; i < event_keys.size() && !own; ++i) own = own_event_keys_.contains(KeyHash(type, event_keys[i]));
  if (own) HEARTH_RETURN_IF_ERROR(Flush(kEventsBit));
  std::vector<Conn::Queued> queued;
  queued.reserve(event_keys.size());
  for (const std::string& key : event_keys) queued.push_back({"event_by_key", Params().Add(type).Add(key)});
  std::vector<Result> results;
  HEARTH_RETURN_IF_ERROR(conn_.RunPipelined(queued, &results));
  if (results.size() != queued.size()) {
    return Status::Internal("event lookup: " + std::to_string(results.size()) + " results");
  }
  looked_up_active_.clear();
  std::vector<std::optional<ActiveEvent>> out(event_keys.size());
  for (size_t i = 0; i < event_keys.size(); ++i) {
    const Result& q = results[i];
    if (q.rows() == 0) continue;
    out[i] = ActiveEvent{q.Int(0, 0), q.Int(0, 1), q.Int(0, 2), q.Text(0, 3), q.Int(0, 4), q.Int(0, 5)};
    looked_up_active_[KeyHash(type, event_keys[i])] = out[i]->id;
  }
  return out;
}

StatusOr<std::optional<Date>> PgImportTransaction::ConfirmedAfter(const std::string& type, const std::string& key,
                                                                 Date received) {
  if (!confirmations_.Loaded(type)) {
    HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(std::string(kConfirmationsAfterSql),
                                                  Params().Add(type).Add(received.days()).Add(import_id_)));
    for (int r = 0; r < q.rows(); ++r) confirmations_.Load(type, q.View(r, 0), static_cast<int32_t>(q.Int(r, 1)));
    confirmations_.MarkLoaded(type);
  }
  return confirmations_.LatestFor(type, key);
}

Status PgImportTransaction::DropEvent(int64_t event_id) {
  // Only this transaction's own events: committed facts are never removed.
  auto pending = std::find_if(events_.begin(), events_.end(), [&](const PendingEvent& p) { return p.id == event_id; });
  if (pending != events_.end()) {
    events_.erase(pending);
    return Status::Ok();
  }
  return conn_.Run("event_drop", Params().Add(event_id).Add(import_id_)).status();
}

StatusOr<std::vector<std::string>> PgImportTransaction::TouchedHouseholds(int64_t* after_event, int limit) {
  HEARTH_RETURN_IF_ERROR(Flush(kEventsBit));
  // Each household once per walk: a bitmap over household ids (1 bit per registered household)
  // remembers those already returned by earlier chunks.
  if (*after_event == 0) touched_seen_.clear();
  std::vector<std::string> codes;
  while (codes.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Run("touched", Params().Add(import_id_).Add(*after_event).Add(limit)));
    if (q.rows() == 0) break;
    for (int r = 0; r < q.rows(); ++r) {
      *after_event = q.Int(r, 0);
      auto id = static_cast<size_t>(q.Int(r, 2));
      if (id >= touched_seen_.size()) touched_seen_.resize(std::max(id + 1, touched_seen_.size() * 2));
      if (touched_seen_[id]) continue;
      touched_seen_[id] = true;
      codes.push_back(q.Text(r, 1));
    }
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

StatusOr<std::vector<std::string>> PgImportTransaction::RetractImport(int64_t import_id) {
  HEARTH_RETURN_IF_ERROR(Flush(kAllTables));
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT kind, file_name, status FROM imports WHERE id = $1",
                                                Params().Add(import_id)));
  if (q.rows() == 0) return Error(StatusCode::kNotFound, Msg::kImportUnknown, import_id);
  std::string kind = q.Text(0, 0), file = q.Text(0, 1), status = q.Text(0, 2);
  if (status == "retracted") return Error(StatusCode::kFailedPrecondition, Msg::kImportRetracted, import_id, file);
  if (kind.starts_with("registry-") || kind == "undo") {
    return Error(StatusCode::kFailedPrecondition, Msg::kImportNotFeed, import_id, kind);
  }
  HEARTH_ASSIGN_OR_RETURN(Result households, conn_.Query(
      "SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id "
      "WHERE e.import_id = $1 AND e.type <> 'retraction' AND " + std::string(kNotRetracted) +
      " UNION " + std::string(kOtherHouseholdsOfRegistrationEvents) + " ORDER BY 1",
      Params().Add(import_id)));
  std::vector<std::string> codes;
  for (int r = 0; r < households.rows(); ++r) codes.push_back(households.Text(r, 0));
  // One retraction per event not yet retracted, in one statement: also the events a later
  // file corrected, so that undoing that later file does not bring them back.
  const MonthPartition partition = PartitionFor("events", recorded_at_);
  if (!partitions_ready_.contains(partition.name)) {
    HEARTH_RETURN_IF_ERROR(store_.EnsurePartition("events", recorded_at_, /*in_transaction=*/true));
    partitions_ready_.insert(partition.name);
  }
  HEARTH_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO events (type, household_id, person_id_number, effective_date, recorded_at, import_id, "
      "source_line, amount_fen, payload, event_key, supersedes, village_code) "
      "SELECT 'retraction', e.household_id, e.person_id_number, e.effective_date, $1::bigint, $2::bigint, "
      "e.source_line, NULL, '{\"retracts_import\":' || e.import_id || '}', NULL, e.id, e.village_code FROM events e "
      "WHERE e.import_id = $3 AND e.type <> 'retraction' AND " + std::string(kNotRetracted) + " ORDER BY e.id",
      Params().Add(recorded_at_).Add(import_id_).Add(import_id)).status());
  HEARTH_RETURN_IF_ERROR(conn_.Query("UPDATE imports SET status = 'retracted' WHERE id = $1",
                                     Params().Add(import_id)).status());
  return codes;
}

// ---------------------------------------------------------------------------------------------
// The store: imports and their problem rows

StatusOr<std::vector<ImportRecord>> PgStore::ListImports(const ImportFilter& filter) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(ListImportsSql(kImportColumns),
                                                Params().Add(filter.kind_prefix).Add(filter.area)));
  std::vector<ImportRecord> out;
  for (int r = 0; r < q.rows(); ++r) out.push_back(ReadImport(q, r));
  return out;
}

StatusOr<ImportRecord> PgStore::GetImport(int64_t import_id) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT " + std::string(kImportColumns) + " FROM imports WHERE id = $1",
                                                Params().Add(import_id)));
  if (q.rows() == 0) return Error(StatusCode::kNotFound, Msg::kImportUnknown, import_id);
  return ReadImport(q, 0);
}

StatusOr<std::optional<int64_t>> PgStore::FindImportByDigest(const std::string& kind, const std::string& digest) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT id FROM imports WHERE kind = $1 AND digest = $2 "
                                                "AND status = 'committed' ORDER BY id LIMIT 1",
                                                Params().Add(kind).Add(digest)));
  if (q.rows() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(q.Int(0, 0));
}

StatusOr<std::vector<RejectRecord>> PgStore::ListRejects(int64_t import_id) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "SELECT i.file_name, r.line, r.column_name, r.raw, r.kind, r.hint, r.outcome, r.cells, COALESCE(r.sheet, '') FROM rejects r "
      "JOIN imports i ON i.id = r.import_id WHERE r.import_id = $1 ORDER BY r.line, r.id",
      Params().Add(import_id)));
  std::vector<RejectRecord> out;
  for (int r = 0; r < q.rows(); ++r) {
    out.push_back({q.Text(r, 0), q.Int(r, 1), q.Text(r, 2), q.Text(r, 3), q.Text(r, 4), q.Text(r, 5),
                   RowOutcomeFromName(q.Text(r, 6)), CellsFromJson(q.Text(r, 7)), q.Text(r, 8)});
  }
  return out;
}

}  // namespace hearth::pg_impl
