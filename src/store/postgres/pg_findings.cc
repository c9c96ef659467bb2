// The PostgreSQL backend, findings: the facts a household's findings are derived from, and the
// findings themselves (opened, updated while the cause stays, closed; never deleted).
#include "core/messages.h"
#include "store/common_sql.h"
#include "store/postgres/pg_internal.h"
#include "store/row_readers.h"

namespace hearth::pg_impl {
namespace {

// Feed facts (which have a key) and retractions; which are in force is decided in C++
// (store_rules::KeepInForce) so that it can respect a known-at time.
constexpr std::string_view kFactEvent = "(e.event_key IS NOT NULL OR e.type = 'retraction')";

struct Statement {
  const char* name;
  std::string sql;
};

// The statements of one household's facts, each by household code, so that they can be sent
// together (one round trip).
const std::vector<Statement>& FactStatements() {
  static const std::vector<Statement> statements = {
      {"facts_household", "SELECT id, " + std::string(kHouseholdColumns) + " FROM households WHERE household_code = $1"},
      {"facts_members", "SELECT " + std::string(kPersonColumns) + " FROM persons p JOIN households h "
                        "ON h.id = p.household_id WHERE h.household_code = $1"},
      {"facts_incomes", "SELECT c.year, c.wage_fen, c.business_fen, c.property_fen, c.transfer_fen, "
                        "c.business_cost_fen FROM incomes c JOIN households h ON h.id = c.household_id "
                        "WHERE h.household_code = $1 ORDER BY c.year"},
      {"facts_events", "SELECT " + std::string(kEventColumns) + " FROM events e JOIN households h "
                       "ON h.id = e.household_id WHERE h.household_code = $1 AND " + std::string(kFactEvent)},
      {"facts_village_events", "SELECT " + std::string(kEventColumns) + " FROM events e WHERE e.household_id IS NULL "
                               "AND e.village_code = (SELECT village_code FROM households WHERE household_code = $1) "
                               "AND " + std::string(kFactEvent)},
      {"facts_member_elsewhere", MemberElsewhereEventsSql(kEventColumns)},
      {"facts_shared", "SELECT p.id_number, p.name, h2.household_code FROM persons p "
                       "JOIN persons p2 ON p2.id_number = p.id_number AND p2.household_id <> p.household_id "
                       "JOIN households h2 ON h2.id = p2.household_id WHERE p.household_id = $1 "
                       "ORDER BY p.id_number, h2.household_code"},
      {"findings_open", "SELECT " + std::string(kFindingColumns) + " FROM findings f JOIN households h "
                        "ON h.id = f.household_id WHERE f.household_id = $1 AND f.closed_date IS NULL ORDER BY f.id"},
  };
  return statements;
}

}  // namespace

Status PrepareFactStatements(Conn& conn) {
  for (const Statement& s : FactStatements()) HEARTH_RETURN_IF_ERROR(conn.Prepare(s.name, s.sql));
  return Status::Ok();
}

StatusOr<HouseholdFacts> LoadHouseholdFacts(Conn& conn, const std::string& household_code) {
  std::vector<Conn::Queued> statements;
  for (const char* name : {"facts_household", "facts_members", "facts_incomes", "facts_events", "facts_village_events",
                           "facts_member_elsewhere"}) {
    statements.push_back({name, Params().Add(household_code)});
  }
  std::vector<Result> results;
  HEARTH_RETURN_IF_ERROR(conn.RunPipelined(statements, &results));
  if (results.size() != statements.size()) return Status::Internal("facts: missing results");
  HouseholdFacts facts;
  const Result& household = results[0];
  if (household.rows() == 0) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, household_code);
  facts.household_ref = household.Int(0, 0);
  facts.household = ReadHousehold(household, 0, 1);
  for (int r = 0; r < results[1].rows(); ++r) facts.members.push_back(ReadPerson(results[1], r, 0));
  for (int r = 0; r < results[2].rows(); ++r) facts.incomes.push_back(ReadIncome(results[2], r, 0));
  for (int r = 0; r < results[3].rows(); ++r) facts.events.push_back(ReadEvent(results[3], r, 0));
  for (int r = 0; r < results[4].rows(); ++r) facts.events.push_back(ReadEvent(results[4], r, 0));
  std::vector<EventRecord> deaths;
  for (int r = 0; r < results[5].rows(); ++r) deaths.push_back(ReadEvent(results[5], r, 0));
  store_rules::KeepMembersGone(&deaths, std::nullopt);
  facts.events.insert(facts.events.end(), deaths.begin(), deaths.end());
  store_rules::FinishFacts(&facts, std::nullopt);
  return facts;
}

StatusOr<HouseholdFacts> PgImportTransaction::LoadFacts(const std::string& household_code) {
  HEARTH_RETURN_IF_ERROR(Flush(kHouseholdsBit | kPersonsBit | kIncomesBit | kEventsBit));
  HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, LoadHouseholdFacts(conn_, household_code));
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Run("facts_shared", Params().Add(facts.household_ref)));
  for (int r = 0; r < q.rows(); ++r) {
    if (facts.shared.empty() || facts.shared.back().id_number != q.View(r, 0)) {
      facts.shared.push_back({q.Text(r, 0), q.Text(r, 1), {}});
    }
    facts.shared.back().household_codes.push_back(q.Text(r, 2));
  }
  return facts;
}

StatusOr<std::vector<FindingRecord>> PgImportTransaction::OpenFindings(const std::string& household_code) {
  HEARTH_ASSIGN_OR_RETURN(int64_t id, HouseholdId(household_code));
  std::vector<FindingRecord> out;
  if (id == 0) return out;
  HEARTH_RETURN_IF_ERROR(Flush(kFindingsBit));
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Run("findings_open", Params().Add(id)));
  for (int r = 0; r < q.rows(); ++r) out.push_back(store_rules::ReadFinding(ResultRow{q, r}));
  return out;
}

StatusOr<int64_t> PgImportTransaction::InsertFinding(const FindingRecord& f) {
  HEARTH_ASSIGN_OR_RETURN(int64_t household_id, HouseholdId(f.household_code));
  if (household_id == 0) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, f.household_code);
  HEARTH_ASSIGN_OR_RETURN(int64_t id, finding_ids_.Next(conn_));
  CopyBuffer& c = findings_copy_;
  c.Field(id).Field(f.type).Field(f.severity).Field(household_id).Field(f.village_code).Field(f.person_id_number);
  c.Field(f.subject).Field(f.params.empty() ? std::string_view("{}") : std::string_view(f.params));
  c.Field(f.opened.days()).Field(import_id_);
  c.EndRow();
  HEARTH_RETURN_IF_ERROR(FlushIfFull());
  return id;
}

Status PgImportTransaction::UpdateFinding(int64_t id, int severity, const std::string& params) {
  finding_updates_.push_back({"finding_update", Params().Add(severity).Add(params).Add(id)});
  return FlushIfFull();
}

Status PgImportTransaction::CloseFinding(int64_t id, Date on) {
  finding_updates_.push_back({"finding_close", Params().Add(on.days()).Add(import_id_).Add(id)});
  return FlushIfFull();
}

// ---------------------------------------------------------------------------------------------
// The store

StatusOr<std::vector<FindingRecord>> PgStore::ListFindings(const FindingFilter& filter) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "SELECT " + std::string(kFindingColumns) + " FROM findings f JOIN households h ON h.id = f.household_id "
      "WHERE f.village_code >= $1::text AND f.village_code < $1::text || ':' AND ($2::int = 0 OR f.closed_date IS NULL) "
      "AND ($3::text = '' OR f.type = $3::text) ORDER BY f.severity, f.village_code, h.household_code, f.id "
      "LIMIT NULLIF($4::bigint, 0)",
      Params().Add(filter.area).Add(filter.open_only ? 1 : 0).Add(filter.type).Add(std::max<int64_t>(filter.limit, 0))));
  std::vector<FindingRecord> out;
  for (int r = 0; r < q.rows(); ++r) out.push_back(store_rules::ReadFinding(ResultRow{q, r}));
  return out;
}

StatusOr<std::vector<std::string>> PgStore::HouseholdCodes(const std::string& area) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT household_code FROM households WHERE village_code >= $1::text "
                                                "AND village_code < $1::text || ':' ORDER BY household_code",
                                                Params().Add(area)));
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(q.rows()));
  for (int r = 0; r < q.rows(); ++r) out.push_back(q.Text(r, 0));
  return out;
}

StatusOr<std::vector<std::string>> PgStore::HouseholdsOfImports(const std::vector<int64_t>& import_ids) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "SELECT h.household_code FROM households h WHERE h.id IN ("
      "  SELECT e.household_id FROM events e WHERE e.import_id = ANY($1::bigint[])) "
      "ORDER BY h.household_code",
      Params().AddArray(import_ids)));
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(q.rows()));
  for (int r = 0; r < q.rows(); ++r) out.push_back(q.Text(r, 0));
  return out;
}

}  // namespace hearth::pg_impl
