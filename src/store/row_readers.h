// Reading records from a result row, the same for both backends. `Row` gives Int(c), OptInt(c)
// and View(c) (the text of column c, valid until the row moves on): sqlite::Stmt, or a row of a
// PostgreSQL result (pg_impl::ResultRow).
//
// Each reader overwrites every field of the record it is given, keeping only the buffers of its
// strings, so that a scan over millions of households can read each into the records of the one
// before (RecordSlots) instead of allocating new ones: a record carries nothing over.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/record_rules.h"
#include "store/records.h"

namespace hearth::store_rules {

//! Resets `r` to a default record, keeping the buffers (not the text) of the strings named.
template <typename T, typename... Keep>
void ResetKeepingBuffers(T& r, Keep... keep) {
  std::array<std::string, sizeof...(keep)> saved{std::move(r.*keep)...};
  r = T{};
  size_t i = 0;
  ((r.*keep = std::move(saved[i++]), (r.*keep).clear()), ...);
}

//! Records read household after household into the same vectors: the elements of the last
//! household (with their strings' buffers) are taken up again.
template <typename T>
class RecordSlots {
 public:
  //! Empties `v`, keeping its elements for Next.
  void Recycle(std::vector<T>& v) {
    for (T& x : v) spare_.push_back(std::move(x));
    v.clear();
  }
  //! A new last element of `v`: a kept one when there is one (to be overwritten by a reader).
  T& Next(std::vector<T>& v) {
    if (spare_.empty()) return v.emplace_back();
    v.push_back(std::move(spare_.back()));
    spare_.pop_back();
    return v.back();
  }

 private:
  std::vector<T> spare_;
};

//! The slots of a scan's facts: one HouseholdFacts read into household after household.
struct FactsSlots {
  RecordSlots<PersonRecord> members;
  RecordSlots<IncomeRecord> incomes;
  RecordSlots<EventRecord> events;
  //! Empties `facts` for the next household, keeping its records for the readers.
  void Recycle(HouseholdFacts* facts) {
    members.Recycle(facts->members);
    incomes.Recycle(facts->incomes);
    events.Recycle(facts->events);
    facts->shared.clear();
    facts->household_ref = 0;
  }
};

//! The events a scan adds to households beyond their own rows: those of their village (a water
//! assessment by 村代码) and the deaths of members that another household's rows carried
//! (MemberElsewhereEventsSql), read once before the scan.
struct ScanExtraEvents {
  std::unordered_map<std::string, std::vector<EventRecord>> by_village;
  std::unordered_map<int64_t, std::vector<EventRecord>> member_elsewhere;  //!< by household reference

  //! Keeps, of the member events read (AllMemberElsewhereEventsSql), the deaths in force.
  void FinishMembersGone(std::optional<int64_t> known_at) {
    for (auto it = member_elsewhere.begin(); it != member_elsewhere.end();) {
      KeepMembersGone(&it->second, known_at);
      it = it->second.empty() ? member_elsewhere.erase(it) : std::next(it);
    }
  }
  void AddTo(HouseholdFacts* facts) const {
    if (auto it = by_village.find(facts->household.village_code); it != by_village.end()) {
      facts->events.insert(facts->events.end(), it->second.begin(), it->second.end());
    }
    if (auto it = member_elsewhere.find(facts->household_ref); it != member_elsewhere.end()) {
      facts->events.insert(facts->events.end(), it->second.begin(), it->second.end());
    }
  }
};

// Columns: household_code, village_code, household_type, exit_year, relocation_site,
// housing_grade, water_safe.
template <typename Row>
void ReadHouseholdInto(const Row& q, int c, HouseholdRecord* h) {
  ResetKeepingBuffers(*h, &HouseholdRecord::household_code, &HouseholdRecord::village_code,
                      &HouseholdRecord::relocation_site);
  h->household_code.assign(q.View(c));
  h->village_code.assign(q.View(c + 1));
  h->type = static_cast<HouseholdType>(q.Int(c + 2));
  if (auto y = q.OptInt(c + 3)) h->exit_year = static_cast<int>(*y);
  h->relocation_site.assign(q.View(c + 4));
  if (std::string_view g = q.View(c + 5); !g.empty()) h->housing_grade = g[0];
  if (auto w = q.OptInt(c + 6)) h->water_safe = *w != 0;
}

// Columns: name, id_number, sex, birth_date, id_from_15, relation, health, disability_grade,
// labour, schooling, insured, months_worked, id.
template <typename Row>
void ReadPersonInto(const Row& q, int c, PersonRecord* p) {
  ResetKeepingBuffers(*p, &PersonRecord::household_code, &PersonRecord::name, &PersonRecord::id_number);
  p->name.assign(q.View(c));
  p->id_number.assign(q.View(c + 1));
  p->sex = static_cast<Sex>(q.Int(c + 2));
  p->birth_date = Date::FromDays(static_cast<int32_t>(q.Int(c + 3)));
  p->id_converted_from_15 = q.Int(c + 4) != 0;
  p->relation = static_cast<Relation>(q.Int(c + 5));
  p->health = static_cast<Health>(q.Int(c + 6));
  if (auto g = q.OptInt(c + 7)) p->disability_grade = static_cast<int>(*g);
  p->labour = static_cast<Labour>(q.Int(c + 8));
  p->schooling = static_cast<Schooling>(q.Int(c + 9));
  p->insured = q.Int(c + 10) != 0;
  if (auto m = q.OptInt(c + 11)) p->months_worked = static_cast<int>(*m);
  p->ref = q.Int(c + 12);
}

// Columns: kFindingColumns (common_sql.h).
template <typename Row>
FindingRecord ReadFinding(const Row& q) {
  FindingRecord f;
  f.id = q.Int(0);
  f.type.assign(q.View(1));
  f.severity = static_cast<int>(q.Int(2));
  f.household_code.assign(q.View(3));
  f.village_code.assign(q.View(4));
  f.person_id_number.assign(q.View(5));
  f.subject.assign(q.View(6));
  f.params.assign(q.View(7));
  f.opened = Date::FromDays(static_cast<int32_t>(q.Int(8)));
  if (auto closed = q.OptInt(9)) f.closed = Date::FromDays(static_cast<int32_t>(*closed));
  f.import_id = q.Int(10);
  f.closed_import = q.Int(11);
  f.withdrawn = q.Int(12) != 0;
  return f;
}

// Columns: year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen.
template <typename Row>
void ReadIncomeInto(const Row& q, int c, IncomeRecord* i) {
  ResetKeepingBuffers(*i, &IncomeRecord::household_code);
  i->year = static_cast<int>(q.Int(c));
  i->wage = Money::FromFen(q.Int(c + 1));
  i->business = Money::FromFen(q.Int(c + 2));
  i->property = Money::FromFen(q.Int(c + 3));
  i->transfer = Money::FromFen(q.Int(c + 4));
  i->business_cost = Money::FromFen(q.Int(c + 5));
}

// Columns: id, type, person_id_number, effective_date, recorded_at, import_id, source_line,
// amount_fen, payload, event_key, supersedes, village_code (NULLs as '' or 0 but the amount).
template <typename Row>
void ReadEventInto(const Row& q, int c, EventRecord* e) {
  ResetKeepingBuffers(*e, &EventRecord::type, &EventRecord::household_code, &EventRecord::person_id_number,
                      &EventRecord::payload, &EventRecord::event_key, &EventRecord::village_code);
  e->id = q.Int(c);
  e->type.assign(q.View(c + 1));
  e->person_id_number.assign(q.View(c + 2));
  e->effective = Date::FromDays(static_cast<int32_t>(q.Int(c + 3)));
  e->recorded_at = q.Int(c + 4);
  e->import_id = q.Int(c + 5);
  e->source_line = q.Int(c + 6);
  if (auto fen = q.OptInt(c + 7)) e->amount = Money::FromFen(*fen);
  e->payload.assign(q.View(c + 8));
  e->event_key.assign(q.View(c + 9));
  e->supersedes = q.Int(c + 10);
  e->village_code.assign(q.View(c + 11));
}

}  // namespace hearth::store_rules
