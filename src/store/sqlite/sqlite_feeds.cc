// The SQLite backend, department feeds: linking rows to registered persons, the event in force
// for a key, retraction of a whole import, and the import list with its problem rows.
#include <algorithm>
#include <cstdlib>

#include "core/messages.h"
#include "store/common_sql.h"
#include "store/sqlite/sqlite_internal.h"

namespace hearth::sqlite_impl {
namespace {

constexpr std::string_view kImportColumns =
    "id, kind, file_name, digest, received, recorded_at, read_rows, accepted, rejected, status, "
    "unmatched, duplicate, flagged, area_code, header";

ImportRecord ReadImport(const Stmt& q) {
  ImportRecord r;
  r.id = q.Int(0);
  r.kind = q.Text(1);
  r.file_name = q.Text(2);
  r.digest = q.Text(3);
  r.received = Date::FromDays(static_cast<int32_t>(q.Int(4)));
  r.recorded_at = q.Int(5);
  r.read = q.Int(6);
  r.accepted = q.Int(7);
  r.rejected = q.Int(8);
  r.status = q.Text(9);
  r.unmatched = q.Int(10);
  r.duplicate = q.Int(11);
  r.flagged = q.Int(12);
  r.area_code = q.Text(13);
  r.header = CellsFromJson(q.Text(14));
  return r;
}

}  // namespace

Status SqliteImportTransaction::PrepareFeeds() {
  HEARTH_ASSIGN_OR_RETURN(person_find_, db_.Prepare("SELECT h.household_code, h.village_code, p.name, h.id, p.relation FROM persons p "
                                                    "JOIN households h ON h.id = p.household_id "
                                                    "WHERE p.id_number = ? ORDER BY p.household_id"));
  HEARTH_ASSIGN_OR_RETURN(person_introduced_, db_.Prepare(
      "SELECT h.household_code, h.village_code, h.id FROM events e JOIN households h ON h.id = e.household_id "
      "WHERE e.person_id_number = ? AND e.type = 'registration.change' AND " + std::string(kInForce) +
      " ORDER BY e.effective_date DESC, e.id DESC LIMIT 1"));
  HEARTH_ASSIGN_OR_RETURN(household_village_, db_.Prepare("SELECT village_code FROM households WHERE household_code = ?"));
  HEARTH_ASSIGN_OR_RETURN(event_by_key_, db_.Prepare("SELECT e.id, COALESCE(e.import_id, 0), COALESCE(e.source_line, 0), "
                                                     "e.payload, COALESCE(e.supersedes, 0), e.recorded_at FROM events e WHERE e.type = ? AND e.key_hash = ? "
                                                     "AND e.event_key = ? AND " +
                                                     std::string(kInForce) + " ORDER BY e.id DESC LIMIT 1"));
  HEARTH_ASSIGN_OR_RETURN(event_drop_, db_.Prepare("DELETE FROM events WHERE id = ? AND import_id = ?"));
  HEARTH_ASSIGN_OR_RETURN(touched_, db_.Prepare("SELECT e.id, h.household_code, h.id FROM events e JOIN households h "
                                                "ON h.id = e.household_id WHERE e.import_id = ? AND e.id > ? "
                                                "ORDER BY e.id LIMIT ?"));
  return Status::Ok();
}

namespace {

// The positions of `items` in sorted order: probing an index in key order keeps the B-tree
// pages of neighbouring probes in the cache.
std::vector<size_t> SortedOrder(const std::vector<std::string>& items) {
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return items[a] < items[b]; });
  return order;
}

// How many lookups a transaction makes by probes before it reads what they look into once, in
// one pass (feed_lookup.h): a 64th of the registry's persons (62,500 at 1 M households). The pass
// costs about 0.3 µs a person and saves ~10 µs a lookup; a file expected to be that large
// (ExpectRows) reads at once. The environment variable HEARTH_SQLITE_FEED_INDEX_AFTER sets it
// (0: at once; the feed tests run again so, as indexed.*).
int64_t LookupsBeforeIndex(sqlite::Db& db) {
  if (const char* forced = std::getenv("HEARTH_SQLITE_FEED_INDEX_AFTER"); forced != nullptr && *forced != '\0') {
    return std::strtoll(forced, nullptr, 10);
  }
  int64_t persons = 0;
  if (auto q = db.Prepare("SELECT COALESCE(MAX(id), 0) FROM persons"); q.ok()) {
    if (StatusOr<bool> row = q->Step(); row.ok() && *row) persons = q->Int(0);
  }
  return std::max<int64_t>(20'000, persons / 64);
}

}  // namespace

int64_t SqliteImportTransaction::IndexAfter() {
  if (index_after_ < 0) index_after_ = LookupsBeforeIndex(db_);
  return index_after_;
}

StatusOr<bool> SqliteImportTransaction::UsePersonIndex(size_t lookups) {
  // The index is of the registry as read; a transaction that writes the registry never uses it.
  if (registry_changed_) {
    person_index_.reset();
    return false;
  }
  if (person_index_) return true;
  person_lookups_ += static_cast<int64_t>(lookups);
  if (std::max(person_lookups_, expected_rows_) < IndexAfter()) return false;
  auto index = std::make_unique<PersonIndex>();
  HEARTH_RETURN_IF_ERROR(index->Load(db_));
  person_index_ = std::move(index);
  return true;
}

StatusOr<std::vector<std::vector<PersonLink>>> SqliteImportTransaction::FindPersons(
    const std::vector<std::string>& id_numbers) {
  std::vector<std::vector<PersonLink>> out(id_numbers.size());
  HEARTH_ASSIGN_OR_RETURN(bool indexed, UsePersonIndex(id_numbers.size()));
  for (size_t i : SortedOrder(id_numbers)) {
    std::vector<PersonLink>& links = out[i];
    if (indexed) {
      if (std::optional<std::vector<PersonLink>> found = person_index_->Find(id_numbers[i])) {
        links = std::move(*found);
        continue;
      }
    }
    person_find_.Bind(1, id_numbers[i]);
    HEARTH_RETURN_IF_ERROR(person_find_.ForEachRow([&] {
      links.push_back({person_find_.Text(0), person_find_.Text(1), person_find_.Text(2), person_find_.Int(3),
                       static_cast<Relation>(person_find_.Int(4))});
    }));
    if (!links.empty()) continue;
    // Not registered: perhaps born or moved in, as 公安 reported (no name to compare then).
    person_introduced_.Bind(1, id_numbers[i]);
    HEARTH_RETURN_IF_ERROR(person_introduced_.ForEachRow([&] {
      links.push_back({person_introduced_.Text(0), person_introduced_.Text(1), "", person_introduced_.Int(2), std::nullopt});
    }));
  }
  return out;
}

StatusOr<std::optional<std::string>> SqliteImportTransaction::HouseholdVillage(const std::string& household_code) {
  household_village_.Bind(1, household_code);
  std::optional<std::string> village;
  HEARTH_RETURN_IF_ERROR(household_village_.ForEachRow([&] { village = household_village_.Text(0); }));
  return village;
}

StatusOr<bool> SqliteImportTransaction::UseKeyFilter(const std::string& type, size_t lookups) {
  if (key_filter_ && key_filter_type_ == type) return true;
  if (type != key_filter_type_) {  // a transaction looks up the keys of one type; start again if not
    key_filter_.reset();
    key_filter_type_ = type;
    key_lookups_ = 0;
  }
  key_lookups_ += static_cast<int64_t>(lookups);
  if (std::max(key_lookups_, expected_rows_) < IndexAfter()) return false;
  // Every key stored for the type, this transaction's too (AppendEvent adds those that follow).
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT key_hash FROM events WHERE type = ? AND key_hash IS NOT NULL"));
  q.Bind(1, type);
  auto filter = std::make_unique<KeyHashSet>();
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { filter->Insert(KeyHashSet::FromStored(q.Int(0))); }));
  filter->Reserve(filter->size() + static_cast<size_t>(std::max<int64_t>(expected_rows_, 0)));
  key_filter_ = std::move(filter);
  return true;
}

StatusOr<std::vector<std::optional<ActiveEvent>>> SqliteImportTransaction::ActiveEventsByKey(
    const std::string& type, const std::vector<std::string>& event_keys) {
  std::vector<std::optional<ActiveEvent>> out(event_keys.size());
  HEARTH_ASSIGN_OR_RETURN(bool filtered, UseKeyFilter(type, event_keys.size()));
  std::vector<int64_t> hashes(event_keys.size());
  for (size_t i = 0; i < event_keys.size(); ++i) hashes[i] = store_rules::EventKeyHash(event_keys[i]);
  // In hash order: neighbouring probes then share the index's pages.
  std::vector<size_t> order(event_keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return hashes[a] < hashes[b]; });
  for (size_t i : order) {
    if (filtered && !key_filter_->MayContain(KeyHashSet::FromStored(hashes[i]))) continue;  // never stored
    event_by_key_.Bind(1, type).Bind(2, hashes[i]).Bind(3, event_keys[i]);
    HEARTH_RETURN_IF_ERROR(event_by_key_.ForEachRow([&] {
      out[i] = ActiveEvent{event_by_key_.Int(0), event_by_key_.Int(1), event_by_key_.Int(2), event_by_key_.Text(3),
                           event_by_key_.Int(4), event_by_key_.Int(5)};
    }));
  }
  return out;
}

StatusOr<std::optional<Date>> SqliteImportTransaction::ConfirmedAfter(const std::string& type, const std::string& key,
                                                                     Date received) {
  if (!confirmations_.Loaded(type)) {
    HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(kConfirmationsAfterSql));
    q.Bind(1, type).Bind(2, received.days()).Bind(3, import_id_);
    HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { confirmations_.Load(type, q.View(0), static_cast<int32_t>(q.Int(1))); }));
    confirmations_.MarkLoaded(type);
  }
  return confirmations_.LatestFor(type, key);
}

Status SqliteImportTransaction::DropEvent(int64_t event_id) {
  // Only this transaction's own events: committed facts are never removed.
  return event_drop_.Bind(1, event_id).Bind(2, import_id_).Run();
}

StatusOr<std::vector<std::string>> SqliteImportTransaction::TouchedHouseholds(int64_t* after_event, int limit) {
  // Each household once per walk: a bitmap over household ids (1 bit per registered household)
  // remembers those already returned by earlier chunks.
  if (*after_event == 0) touched_seen_.clear();
  std::vector<std::string> codes;
  while (codes.empty()) {
    bool any = false;
    touched_.Bind(1, import_id_).Bind(2, *after_event).Bind(3, limit);
    HEARTH_RETURN_IF_ERROR(touched_.ForEachRow([&] {
      any = true;
      *after_event = touched_.Int(0);
      auto id = static_cast<size_t>(touched_.Int(2));
      if (id >= touched_seen_.size()) touched_seen_.resize(std::max(id + 1, touched_seen_.size() * 2));
      if (touched_seen_[id]) return;
      touched_seen_[id] = true;
      codes.push_back(touched_.Text(1));
    }));
    if (!any) break;
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

StatusOr<std::vector<std::string>> SqliteImportTransaction::RetractImport(int64_t import_id) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT kind, file_name, status FROM imports WHERE id = ?"));
  q.Bind(1, import_id);
  HEARTH_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return Error(StatusCode::kNotFound, Msg::kImportUnknown, import_id);
  std::string kind = q.Text(0), file = q.Text(1), status = q.Text(2);
  q.Reset();
  if (status == "retracted") return Error(StatusCode::kFailedPrecondition, Msg::kImportRetracted, import_id, file);
  if (kind.starts_with("registry-") || kind == "undo") {
    return Error(StatusCode::kFailedPrecondition, Msg::kImportNotFeed, import_id, kind);
  }
  HEARTH_ASSIGN_OR_RETURN(Stmt households, db_.Prepare(
      "SELECT h.household_code FROM events e JOIN households h ON h.id = e.household_id "
      "WHERE e.import_id = $1 AND e.type <> 'retraction' AND " + std::string(kNotRetracted) +
      " UNION " + std::string(kOtherHouseholdsOfRegistrationEvents) + " ORDER BY 1"));
  households.Bind(1, import_id);
  std::vector<std::string> codes;
  HEARTH_RETURN_IF_ERROR(households.ForEachRow([&] { codes.push_back(households.Text(0)); }));
  // One retraction per event not yet retracted, in one statement: also the events a later
  // file corrected, so that undoing that later file does not bring them back.
  HEARTH_ASSIGN_OR_RETURN(Stmt retract, db_.Prepare(
      "INSERT INTO events (type, household_id, person_id_number, effective_date, recorded_at, import_id, "
      "source_line, amount_fen, payload, event_key, supersedes, village_code) "
      "SELECT 'retraction', e.household_id, e.person_id_number, e.effective_date, ?1, ?2, e.source_line, NULL, "
      "'{\"retracts_import\":' || e.import_id || '}', NULL, e.id, e.village_code FROM events e "
      "WHERE e.import_id = ?3 AND e.type <> 'retraction' AND " + std::string(kNotRetracted) + " ORDER BY e.id"));
  HEARTH_RETURN_IF_ERROR(retract.Bind(1, recorded_at_).Bind(2, import_id_).Bind(3, import_id).Run());
  HEARTH_ASSIGN_OR_RETURN(Stmt mark, db_.Prepare("UPDATE imports SET status = 'retracted' WHERE id = ?"));
  HEARTH_RETURN_IF_ERROR(mark.Bind(1, import_id).Run());
  return codes;
}

// ---------------------------------------------------------------------------------------------
// The store: imports and their problem rows

StatusOr<std::vector<ImportRecord>> SqliteStore::ListImports(const ImportFilter& filter) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(ListImportsSql(kImportColumns)));
  q.Bind(1, filter.kind_prefix).Bind(2, filter.area);
  std::vector<ImportRecord> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back(ReadImport(q)); }));
  return out;
}

StatusOr<ImportRecord> SqliteStore::GetImport(int64_t import_id) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT " + std::string(kImportColumns) + " FROM imports WHERE id = ?"));
  q.Bind(1, import_id);
  std::optional<ImportRecord> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out = ReadImport(q); }));
  if (!out) return Error(StatusCode::kNotFound, Msg::kImportUnknown, import_id);
  return *out;
}

StatusOr<std::optional<int64_t>> SqliteStore::FindImportByDigest(const std::string& kind, const std::string& digest) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT id FROM imports WHERE kind = ? AND digest = ? "
                                              "AND status = 'committed' ORDER BY id LIMIT 1"));
  q.Bind(1, kind).Bind(2, digest);
  std::optional<int64_t> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out = q.Int(0); }));
  return out;
}

StatusOr<std::vector<RejectRecord>> SqliteStore::ListRejects(int64_t import_id) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      "SELECT i.file_name, r.line, r.column_name, r.raw, r.kind, r.hint, r.outcome, r.cells, COALESCE(r.sheet, '') FROM rejects r "
      "JOIN imports i ON i.id = r.import_id WHERE r.import_id = ? ORDER BY r.line, r.id"));
  q.Bind(1, import_id);
  std::vector<RejectRecord> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    out.push_back({q.Text(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5), RowOutcomeFromName(q.Text(6)),
                   CellsFromJson(q.Text(7)), q.Text(8)});
  }));
  return out;
}

}  // namespace hearth::sqlite_impl
