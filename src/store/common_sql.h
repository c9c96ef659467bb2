// SQL text that both backends of the store run as it is (SQLite binds `$1` as its first
// parameter, as PostgreSQL does). Part of the store layer's implementation.
#pragma once

#include <string_view>

namespace hearth {

//! A household's history ($1: its internal reference): its change events, and the creation of
//! each of its registry rows (kept on the rows themselves, see migrations.cc), newest first, at
//! most 200. Columns: id, type, person ID number, effective date, recorded at, import, source
//! line, amount (fen, may be NULL), payload.
inline constexpr std::string_view kHouseholdHistorySql =
    "SELECT id, type, person, effective_date, recorded_at, import_id, source_line, amount_fen, payload FROM ("
    "  SELECT id, type, COALESCE(person_id_number, '') AS person, effective_date, recorded_at, "
    "    COALESCE(import_id, 0) AS import_id, COALESCE(source_line, 0) AS source_line, amount_fen, payload "
    "    FROM events WHERE household_id = $1 "
    "  UNION ALL SELECT 0, 'registry.household', '', i.received, i.recorded_at, i.id, h.created_line, NULL, '{}' "
    "    FROM households h JOIN imports i ON i.id = h.created_import WHERE h.id = $1 "
    "  UNION ALL SELECT 0, 'registry.person', p.id_number, i.received, i.recorded_at, i.id, p.created_line, NULL, '{}' "
    "    FROM persons p JOIN imports i ON i.id = p.created_import WHERE p.household_id = $1 "
    "  UNION ALL SELECT 0, 'registry.income', '', i.received, i.recorded_at, i.id, c.created_line, NULL, "
    "    '{\"year\":' || c.year || '}' "
    "    FROM incomes c JOIN imports i ON i.id = c.created_import WHERE c.household_id = $1"
    ") AS history ORDER BY effective_date DESC, recorded_at DESC, import_id DESC, source_line DESC LIMIT 200";

}  // namespace hearth
