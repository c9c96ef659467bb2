// SQL text that both backends of the store run as it is. SQLite numbers `$N` parameters in the
// order they first appear, PostgreSQL by N: each statement names `$1` before `$2`. Part of the
// store layer's implementation.
#pragma once

#include <string>
#include <string_view>

namespace hearth {

//! A household's history ($1: its internal reference): its change events, and the creation of
//! each of its registry rows (kept on the rows themselves, see migrations.cc), newest first, at
//! most 200. Columns: id, type, person ID number, effective date, recorded at, import, source
//! line, amount (fen, may be NULL), payload, the event it corrects or retracts (0: none).
inline constexpr std::string_view kHouseholdHistorySql =
    "SELECT id, type, person, effective_date, recorded_at, import_id, source_line, amount_fen, payload, "
    "  supersedes FROM ("
    "  SELECT id, type, COALESCE(person_id_number, '') AS person, effective_date, recorded_at, "
    "    COALESCE(import_id, 0) AS import_id, COALESCE(source_line, 0) AS source_line, amount_fen, payload, "
    "    COALESCE(supersedes, 0) AS supersedes FROM events WHERE household_id = $1 "
    "  UNION ALL SELECT 0, 'registry.household', '', i.received, i.recorded_at, i.id, h.created_line, NULL, '{}', 0 "
    "    FROM households h JOIN imports i ON i.id = h.created_import WHERE h.id = $1 "
    "  UNION ALL SELECT 0, 'registry.person', p.id_number, i.received, i.recorded_at, i.id, p.created_line, NULL, '{}', 0 "
    "    FROM persons p JOIN imports i ON i.id = p.created_import WHERE p.household_id = $1 "
    "  UNION ALL SELECT 0, 'registry.income', '', i.received, i.recorded_at, i.id, c.created_line, NULL, "
    "    '{\"year\":' || c.year || '}', 0 "
    "    FROM incomes c JOIN imports i ON i.id = c.created_import WHERE c.household_id = $1"
    ") AS history ORDER BY effective_date DESC, recorded_at DESC, import_id DESC, source_line DESC LIMIT 200";

//! The households whose members do not name exactly one head (relation 1, Relation::kHead): one
//! row for each head (id_number and name NULL for a household with none). Columns: household
//! code, ID number, name. One pass over the persons.
inline constexpr std::string_view kHouseholdsWithoutOneHeadSql =
    "SELECT h.household_code, p.id_number, p.name FROM ("
    "  SELECT household_id FROM persons GROUP BY household_id"
    "  HAVING SUM(CASE WHEN relation = 1 THEN 1 ELSE 0 END) <> 1) c "
    "JOIN households h ON h.id = c.household_id "
    "LEFT JOIN persons p ON p.household_id = c.household_id AND p.relation = 1 "
    "ORDER BY h.household_code, p.id_number";

//! The columns of a finding (store_rules::ReadFindingInto), from `findings f JOIN households h`:
//! withdrawn when the import that closed it was an undo.
inline constexpr std::string_view kFindingColumns =
    "f.id, f.type, f.severity, h.household_code, f.village_code, f.person_id_number, f.subject, f.params, "
    "f.opened_date, f.closed_date, COALESCE(f.import_id, 0), COALESCE(f.closed_import, 0), "
    "CASE WHEN EXISTS (SELECT 1 FROM imports ci WHERE ci.id = f.closed_import AND ci.kind = 'undo') THEN 1 ELSE 0 END";

//! The facts a file confirmed (ConfirmFact): $1 import, $2 event type, $3 the keys' hashes.
inline constexpr std::string_view kInsertConfirmationsSql =
    "INSERT INTO import_confirmations (import_id, type, keys) VALUES ($1, $2, $3)";
//! The hashes confirmed for type $1 by committed imports received after day $2, other than $3,
//! with the day each was received.
//! The ID number and payload of the registration change $1 (a person it placed in a household
//! before the registry lists them: Store::PersonsByRef's negative references).
inline constexpr std::string_view kJoinedPersonSql =
    "SELECT COALESCE(person_id_number, ''), payload FROM events WHERE id = $1 AND type = 'registration.change'";

inline constexpr std::string_view kConfirmationsAfterSql =
    "SELECT c.keys, i.received FROM import_confirmations c JOIN imports i ON i.id = c.import_id "
    "WHERE c.type = $1 AND i.received > $2 AND i.id <> $3 AND i.status = 'committed'";

//! The imports of ListImports ($1: kind prefix, $2: area short code, '' for every area), newest
//! first; see ImportFilter::area. An import with villages is listed where one lies (a village
//! code is digits, so the codes inside $2 are those from $2 up to $2 followed by ':'); one
//! without, by its area_code, or everywhere as a feed file whose rows linked to no one.
//! `columns`: the backend's import columns.
inline std::string ListImportsSql(std::string_view columns) {
  return "SELECT " + std::string(columns) + " FROM imports i "
         "WHERE substr(i.kind, 1, length(CAST($1 AS TEXT))) = $1 AND (CAST($2 AS TEXT) = '' "
         "OR i.id IN (SELECT v.import_id FROM import_villages v WHERE v.village_code >= $2 "
         "  AND v.village_code < $2 || ':') "
         "OR (NOT EXISTS (SELECT 1 FROM import_villages v WHERE v.import_id = i.id) AND ("
         "  (i.area_code <> '' AND (substr(i.area_code, 1, length($2)) = $2 "
         "    OR substr($2, 1, length(i.area_code)) = i.area_code)) "
         "  OR (COALESCE(i.area_code, '') = '' AND i.read_rows > 0 AND substr(i.kind, 1, 9) <> 'registry-')))) "
         "ORDER BY i.id DESC";
}

//! A household the registry moved to another village ($1: its reference) takes its open
//! findings and warnings along, so that the area now responsible lists them at once; closed ones
//! keep the area they were handled in. (One parameter: SQLite numbers `$N` by first appearance.)
inline constexpr std::string_view kMoveOpenFindingsSql =
    "UPDATE findings SET village_code = (SELECT h.village_code FROM households h WHERE h.id = $1) "
    "WHERE household_id = $1 AND closed_date IS NULL";
inline constexpr std::string_view kMoveOpenWarningsSql =
    "UPDATE warnings SET village_code = (SELECT h.village_code FROM households h WHERE h.id = $1) "
    "WHERE household_id = $1 AND closed_date IS NULL";

//! A person registered in two households (itself a finding) is one person: a death 公安 reports
//! ends them in both, though the row linked to one. The registration events about the members
//! of household $1 (its code) that another household's rows carried, with the events that
//! supersede them (corrections, retractions), so that the in-force rule can be applied to them
//! (store_rules::KeepMembersGone). `columns`: the backend's event columns (events aliased e).
inline std::string MemberElsewhereEventsSql(std::string_view columns) {
  const std::string cols(columns);
  return "WITH d AS (SELECT e.id FROM persons p JOIN events e ON e.person_id_number = p.id_number "
         "AND e.type = 'registration.change' WHERE p.household_id = (SELECT id FROM households WHERE "
         "household_code = $1) AND e.household_id <> p.household_id) "
         "SELECT " + cols + " FROM events e WHERE e.id IN (SELECT id FROM d) "
         "UNION ALL SELECT " + cols + " FROM events e WHERE e.supersedes IS NOT NULL AND e.supersedes IN (SELECT id FROM d)";
}

//! For an undo: the households that list the persons of import $1's registration events though
//! the rows linked to another (MemberElsewhereEventsSql: they saw those deaths too).
inline constexpr std::string_view kOtherHouseholdsOfRegistrationEvents =
    "SELECT h.household_code FROM events e JOIN persons p ON p.id_number = e.person_id_number "
    "JOIN households h ON h.id = p.household_id WHERE e.import_id = $1 AND e.type = 'registration.change' "
    "AND p.household_id <> e.household_id";

//! The same for every household at once, each row led by the id of the household it concerns.
inline std::string AllMemberElsewhereEventsSql(std::string_view columns) {
  const std::string cols(columns);
  return "WITH d AS (SELECT p.household_id AS hh, e.id FROM persons p JOIN events e ON e.person_id_number = "
         "p.id_number AND e.type = 'registration.change' WHERE e.household_id <> p.household_id) "
         "SELECT d.hh, " + cols + " FROM d JOIN events e ON e.id = d.id "
         "UNION ALL SELECT d.hh, " + cols + " FROM d JOIN events e ON e.supersedes = d.id AND e.supersedes IS NOT NULL";
}

//! The latest day a warning was screened, opened or closed as of (NULL: no warnings).
inline constexpr std::string_view kLatestScreeningDateSql =
    "SELECT max(d) FROM (SELECT max(as_of) AS d FROM warnings UNION ALL SELECT max(opened_date) FROM warnings "
    "UNION ALL SELECT max(closed_date) FROM warnings) AS x";

}  // namespace hearth
