// The SQLite backend, findings: the facts a household's findings are derived from, and the
// findings themselves (opened, updated while the cause stays, closed; never deleted).
#include "core/messages.h"
#include "store/common_sql.h"
#include "store/row_readers.h"
#include "store/sqlite/sqlite_internal.h"

namespace hearth::sqlite_impl {

Status SqliteImportTransaction::PrepareFindings() {
  struct {
    Stmt* stmt;
    std::string sql;
  } const statements[] = {
      {&facts_shared_, "SELECT p.id_number, p.name, h2.household_code FROM persons p "
                       "JOIN persons p2 ON p2.id_number = p.id_number AND p2.household_id <> p.household_id "
                       "JOIN households h2 ON h2.id = p2.household_id WHERE p.household_id = ? "
                       "ORDER BY p.id_number, h2.household_code"},
      {&findings_open_, "SELECT " + std::string(kFindingColumns) + " FROM findings f JOIN households h "
                        "ON h.id = f.household_id WHERE f.household_id = ? AND f.closed_date IS NULL ORDER BY f.id"},
      {&finding_insert_, "INSERT INTO findings (type, severity, household_id, village_code, person_id_number, "
                         "subject, params, opened_date, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"},
      {&finding_update_, "UPDATE findings SET severity = ?, params = ? WHERE id = ? AND closed_date IS NULL"},
      {&finding_close_, "UPDATE findings SET closed_date = ?, closed_import = ? WHERE id = ? AND closed_date IS NULL"},
  };
  for (const auto& s : statements) {
    HEARTH_ASSIGN_OR_RETURN(*s.stmt, db_.Prepare(s.sql));
  }
  return facts_.Prepare(db_);
}

StatusOr<HouseholdFacts> SqliteImportTransaction::LoadFacts(const std::string& household_code) {
  HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, facts_.Load(household_code));
  facts_shared_.Bind(1, facts.household_ref);
  HEARTH_RETURN_IF_ERROR(facts_shared_.ForEachRow([&] {
    const Stmt& q = facts_shared_;
    if (facts.shared.empty() || facts.shared.back().id_number != q.Text(0)) {
      facts.shared.push_back({q.Text(0), q.Text(1), {}});
    }
    facts.shared.back().household_codes.push_back(q.Text(2));
  }));
  return facts;
}

StatusOr<std::vector<FindingRecord>> SqliteImportTransaction::OpenFindings(const std::string& household_code) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> id, HouseholdId(household_code));
  std::vector<FindingRecord> out;
  if (!id) return out;
  findings_open_.Bind(1, *id);
  HEARTH_RETURN_IF_ERROR(findings_open_.ForEachRow([&] { out.push_back(store_rules::ReadFinding(findings_open_)); }));
  return out;
}

StatusOr<int64_t> SqliteImportTransaction::InsertFinding(const FindingRecord& f) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> id, HouseholdId(f.household_code));
  if (!id) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, f.household_code);
  Stmt& s = finding_insert_;
  s.Bind(1, f.type).Bind(2, f.severity).Bind(3, *id).Bind(4, f.village_code).Bind(5, f.person_id_number);
  s.Bind(6, f.subject).Bind(7, f.params.empty() ? std::string("{}") : f.params).Bind(8, f.opened.days());
  s.Bind(9, import_id_);
  HEARTH_RETURN_IF_ERROR(s.Run());
  return db_.LastInsertRowId();
}

Status SqliteImportTransaction::UpdateFinding(int64_t id, int severity, const std::string& params) {
  return finding_update_.Bind(1, severity).Bind(2, params).Bind(3, id).Run();
}

Status SqliteImportTransaction::CloseFinding(int64_t id, Date on) {
  return finding_close_.Bind(1, on.days()).Bind(2, import_id_).Bind(3, id).Run();
}

// ---------------------------------------------------------------------------------------------
// The store

StatusOr<std::vector<FindingRecord>> SqliteStore::ListFindings(const FindingFilter& filter) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      "SELECT " + std::string(kFindingColumns) + " FROM findings f JOIN households h ON h.id = f.household_id "
      "WHERE f.village_code >= ?1 AND f.village_code < ?1 || ':' AND (?2 = 0 OR f.closed_date IS NULL) "
      "AND (?3 = '' OR f.type = ?3) ORDER BY f.severity, f.village_code, h.household_code, f.id "
      "LIMIT CASE WHEN ?4 > 0 THEN ?4 ELSE -1 END"));
  q.Bind(1, filter.area).Bind(2, filter.open_only ? 1 : 0).Bind(3, filter.type).Bind(4, filter.limit);
  std::vector<FindingRecord> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back(store_rules::ReadFinding(q)); }));
  return out;
}

StatusOr<std::vector<std::string>> SqliteStore::HouseholdCodes(const std::string& area) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT household_code FROM households WHERE village_code >= ?1 "
                                              "AND village_code < ?1 || ':' ORDER BY household_code"));
  q.Bind(1, area);
  std::vector<std::string> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back(q.Text(0)); }));
  return out;
}

StatusOr<std::vector<std::string>> SqliteStore::HouseholdsOfImports(const std::vector<int64_t>& import_ids) {
  // events_import gives each import's events; the households' codes by their ids.
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      "SELECT h.household_code FROM households h WHERE h.id IN ("
      "  SELECT e.household_id FROM events e WHERE e.import_id IN (SELECT value FROM json_each(?1))) "
      "ORDER BY h.household_code"));
  q.Bind(1, JsonIds(import_ids));
  std::vector<std::string> out;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { out.push_back(q.Text(0)); }));
  return out;
}

}  // namespace hearth::sqlite_impl
