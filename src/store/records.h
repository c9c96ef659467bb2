// The records that cross the Store interface: areas, the registry (households, persons,
// yearly incomes), imports with their rejected rows, and the append-only event log.
// Internal row ids never leave the store layer's callers' outputs: households are named by
// household_code (户编号) and persons by name and ID number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/area_code.h"
#include "core/date.h"
#include "core/id_number.h"
#include "core/money.h"
#include "core/vocab.h"

namespace hearth {

struct Area {
  std::string code;  //!< short form
  std::string name;
  AreaLevel level = AreaLevel::kProvince;
  std::string parent_code;  //!< empty for a province
};

//! Optional registry fields an upsert leaves as stored, because the file had no such column
//! (an empty cell clears a field; a missing column says nothing about it).
inline constexpr uint32_t kKeepRelocationSite = 1u << 0;
inline constexpr uint32_t kKeepHousingGrade = 1u << 1;
inline constexpr uint32_t kKeepWaterSafe = 1u << 2;
inline constexpr uint32_t kKeepDisabilityGrade = 1u << 3;
inline constexpr uint32_t kKeepMonthsWorked = 1u << 4;

struct HouseholdRecord {
  std::string household_code;  //!< 户编号
  std::string village_code;    //!< 村代码 (12 digits)
  HouseholdType type = HouseholdType::kGeneral;
  std::optional<int> exit_year;            //!< 脱贫年度
  std::string relocation_site;             //!< 易地搬迁安置点, empty when none
  std::optional<char> housing_grade;       //!< 'A'..'D'
  std::optional<bool> water_safe;          //!< 饮水安全
  uint32_t keep_stored = 0;                //!< kKeep* bits: fields an update leaves as stored
};

struct PersonRecord {
  std::string household_code;
  std::string name;
  std::string id_number;  //!< 18 characters, validated
  Sex sex = Sex::kMale;
  Date birth_date;
  bool id_converted_from_15 = false;
  Relation relation = Relation::kOther;
  Health health = Health::kHealthy;
  std::optional<int> disability_grade;  //!< 1..4
  Labour labour = Labour::kOrdinary;
  Schooling schooling = Schooling::kNotInSchool;
  bool insured = true;                  //!< 是否参加基本医疗保险
  std::optional<int> months_worked;     //!< 务工月数 0..12
  uint32_t keep_stored = 0;             //!< kKeep* bits: fields an update leaves as stored
  //! The store's internal reference of the person (read back only; 0 for a record not read
  //! from a store). Warnings name persons by it, so that names and ID numbers are shown
  //! according to the reader's rights when read.
  int64_t ref = 0;
};

struct IncomeRecord {
  std::string household_code;
  int year = 0;
  Money wage;           //!< 工资性收入
  Money business;       //!< 生产经营性收入
  Money property;       //!< 财产性收入
  Money transfer;       //!< 转移性收入
  Money business_cost;  //!< 生产经营性支出
  //! Net income of the household for the year.
  Money Net() const { return wage + business + property + transfer - business_cost; }
};

//! The record an update writes: the new one, with the fields it keeps taken from `stored`.
inline HouseholdRecord MergeKept(HouseholdRecord h, const HouseholdRecord& stored) {
  if (h.keep_stored & kKeepRelocationSite) h.relocation_site = stored.relocation_site;
  if (h.keep_stored & kKeepHousingGrade) h.housing_grade = stored.housing_grade;
  if (h.keep_stored & kKeepWaterSafe) h.water_safe = stored.water_safe;
  return h;
}

inline PersonRecord MergeKept(PersonRecord p, const PersonRecord& stored) {
  if (p.keep_stored & kKeepDisabilityGrade) p.disability_grade = stored.disability_grade;
  if (p.keep_stored & kKeepMonthsWorked) p.months_worked = stored.months_worked;
  return p;
}

//! What an upsert did.
//! kRemoved: a person removed from a household (减员); counted as an update, and on its own.
enum class UpsertOutcome : int { kInserted = 1, kUpdated = 2, kUnchanged = 3, kRemoved = 4 };

//! How a problem row of a file ended. A flagged row was accepted with a remark (e.g. a name
//! that differs from the registry's); the others added nothing.
enum class RowOutcome : int { kRejected = 1, kUnmatched = 2, kDuplicate = 3, kFlagged = 4 };

//! "rejected", "unmatched", "duplicate", "flagged" (stored and reported).
std::string_view RowOutcomeName(RowOutcome o);
//! The outcome named so; kRejected for anything else.
RowOutcome RowOutcomeFromName(std::string_view name);

//! A problem row (rejected, unmatched, duplicate or flagged): kept, reported and exportable.
struct RejectRecord {
  std::string file;
  int64_t line = 0;
  std::string column;
  std::string raw;
  std::string kind;
  std::string hint;
  RowOutcome outcome = RowOutcome::kRejected;
  std::vector<std::string> cells;  //!< the whole row as the file held it (for re-export); may be empty
  std::string sheet;               //!< the workbook sheet of the row when several were read; else ""
};

//! One imported file.
struct ImportRecord {
  int64_t id = 0;
  std::string kind;       //!< "registry-households", "registry-persons", "registry-incomes", feed kinds
  std::string file_name;  //!< as given
  std::string digest;     //!< "sha256:<hex>" of the file's bytes
  Date received;          //!< the date the file arrived
  int64_t recorded_at = 0;  //!< when Hearth took it (micros since epoch)
  int64_t read = 0;
  int64_t accepted = 0;
  int64_t rejected = 0;
  std::string status;     //!< "committed" or "retracted"
  int64_t unmatched = 0;  //!< feed rows whose person is not in the registry
  int64_t duplicate = 0;  //!< feed rows that repeated a known fact
  int64_t flagged = 0;    //!< accepted rows with a remark (name_mismatch, not_household_head, ...)
  //! The smallest area holding every household the file's accepted rows linked to (short code;
  //! empty when none), shown with the import. `hearth imports --area` filters on the import's
  //! villages (ImportTotals::villages), and on this only for imports that recorded none.
  std::string area_code;
  std::vector<std::string> header;  //!< the header row as found (for re-exporting problem rows)
};

//! What an import's rows came to, stored with the import at commit.
struct ImportTotals {
  int64_t read = 0, accepted = 0, rejected = 0, unmatched = 0, duplicate = 0, flagged = 0;
  std::string area_code;
  std::vector<std::string> header;
  //! A feed file's distinct village codes: of the rows that linked to a household (or a village)
  //! and were accepted, or kept as a problem for a reason found after linking (a duplicate, a
  //! conflict, a file older than the fact). Stored in import_villages (schema 8): what
  //! `hearth imports --area` lists the file under. Empty: none.
  std::vector<std::string> villages;
};

//! One fact in the append-only event log.
struct EventRecord {
  int64_t id = 0;
  std::string type;             //!< e.g. "registry.household", "registry.person", "registry.income"
  std::string household_code;   //!< may be empty for area-wide facts
  std::string person_id_number; //!< may be empty
  Date effective;               //!< when it happened
  int64_t recorded_at = 0;      //!< when Hearth learned it (micros)
  int64_t import_id = 0;        //!< 0 when not from a file
  int64_t source_line = 0;
  std::optional<Money> amount;
  std::string payload;          //!< JSON object
  //! Feed events: the kind's key values ("110101199003070019|2025-03-01|..."), the same for a
  //! fact and its corrections. Empty for registry events.
  std::string event_key;
  //! The event this one corrects (a newer version of the same fact) or retracts (type
  //! "retraction"); 0 when none. An event is in force unless an event that is itself in force
  //! supersedes it.
  int64_t supersedes = 0;
  //! Feed events about a village as a whole (e.g. a water assessment without a household).
  std::string village_code;
  //! The store's reference of `household_code` when the writer knows it (PersonLink), sparing
  //! AppendEvent the lookup; 0 otherwise.
  int64_t household_ref = 0;
};

//! The event in force for a key (see EventRecord::supersedes).
struct ActiveEvent {
  int64_t id = 0;
  int64_t import_id = 0;
  int64_t source_line = 0;
  std::string payload;
  int64_t supersedes = 0;
  int64_t recorded_at = 0;  //!< when it became known (its file's received time)
};

//! A registered person that a feed row names by ID number.
struct PersonLink {
  std::string household_code;
  std::string village_code;
  std::string name;
  int64_t household_ref = 0;  //!< the store's reference of the household
  //! The registry's relation to the head of that household (户主 for its head); nullopt for a
  //! person not registered whom only a registration event placed there.
  std::optional<Relation> relation;
};

//! A finding (比对发现): an inconsistency between a department's facts and the registry (or
//! between departments) that a county office must act on. Derived state: opened when its
//! condition first holds, closed (with the date) when it no longer does; never deleted.
struct FindingRecord {
  int64_t id = 0;
  std::string type;              //!< "dead_still_member", "house_unsafe", ...
  int severity = 2;              //!< 1 high, 2 medium, 3 low
  std::string household_code;
  std::string village_code;
  std::string person_id_number;  //!< may be empty
  //! Tells apart findings of one type for the same household and person (e.g. the year).
  std::string subject;
  //! Both sources' values, as a JSON object; the sentence is rendered from it when read, so
  //! names and ID numbers follow the reader's rights.
  std::string params;
  Date opened;                   //!< as-of date of the import that opened it
  std::optional<Date> closed;
  int64_t import_id = 0;         //!< the import that opened it
  int64_t closed_import = 0;     //!< the import that closed it (0 while open)
  //! Closed because the file whose facts raised it was undone (`hearth import undo`): withdrawn,
  //! not resolved. Read from the closing import's kind.
  bool withdrawn = false;
};

//! A person registered in more than one household.
struct SharedPerson {
  std::string id_number;
  std::string name;
  std::vector<std::string> household_codes;
};

//! A household whose members do not name exactly one head (户主): none, or two or more.
struct HouseholdHeads {
  std::string household_code;
  std::vector<std::string> id_numbers;  //!< its heads, by ID number (empty: none)
  std::vector<std::string> names;       //!< their names, in the same order
};

//! Everything the findings and the features of one household are derived from.
struct HouseholdFacts {
  int64_t household_ref = 0;  //!< the store's internal reference of the household
  HouseholdRecord household;
  std::vector<PersonRecord> members;
  std::vector<IncomeRecord> incomes;  //!< by year, ascending
  //! Feed events in force for the household (not superseded or retracted), and those about its
  //! village as a whole (e.g. water assessments), by effective date then id.
  std::vector<EventRecord> events;
  //! Members also registered in another household.
  std::vector<SharedPerson> shared;
};

//! A warning (预警): a household the engine found at risk, in one category, with the rules that
//! fired and how to explain them. Derived state: opened when first found, updated while the
//! same household stays in the same category, closed (with the date) when it no longer is.
struct WarningRecord {
  int64_t id = 0;
  int64_t household_ref = 0;
  std::string household_code;  //!< read back
  std::string village_code;
  std::string category;             //!< a policy category id ("unstable", "edge", "sudden")
  std::vector<std::string> rules;   //!< the fired rules, highest severity first
  std::vector<std::string> risks;   //!< risk type keys, at most 5
  int severity = 2;                 //!< the highest severity of the fired rules (1 high)
  int64_t score = 0;                //!< ranking points, higher first
  //! The explanation as data: a JSON array of {"rule": id, "params": {feature: value, ...}};
  //! persons appear by internal reference and are named when read, by the reader's rights.
  std::string explanation;
  std::string policy_digest;        //!< the policy version it was made under
  Date as_of;                       //!< of the screen that last set it
  Date opened;
  std::optional<Date> closed;
};

//! The imports committed at one moment: every import id up to `max_id` except `missing`
//! (imports still open then, or rolled back: their ids were taken but never committed).
struct ImportsSeen {
  int64_t max_id = 0;
  std::vector<int64_t> missing;
  bool operator==(const ImportsSeen&) const = default;
};

//! A screen's warnings, replacing the open warnings in its scope.
struct WarningBatch {
  //! The scope: the open warnings of the households listed (internal references), or when the
  //! list is empty, of every household in `area` (short code prefix; empty: all).
  std::vector<int64_t> households;
  std::string area;
  Date as_of;
  std::string policy_digest, policy_name, policy_text;  //!< the policy version, kept once
  std::vector<WarningRecord> warnings;  //!< at most one per (household_ref, category)
  //! The imports committed when the facts behind `warnings` were read (a full screen's). The
  //! households that imports committed since gave new facts keep their warnings as they are
  //! (their import re-screened them, or will): a screen never undoes what it did not see. A
  //! registry import since refuses the batch (kind "screen_raced"). Unset: no such check (an
  //! import's own re-screen, inside its transaction).
  std::optional<ImportsSeen> facts_seen;
};

//! What saving a batch did.
struct WarningCounts {
  int64_t opened = 0, updated = 0, unchanged = 0, closed = 0;
  int64_t held = 0;  //!< households left as they were: new facts arrived while screening
};

//! A person named by internal reference (for rendering explanations).
struct PersonName {
  int64_t ref = 0;
  std::string name;
  std::string id_number;
};

//! Counts for one area of the summary report.
struct AreaCount {
  std::string code;
  std::string name;
  int64_t households = 0;
  int64_t persons = 0;
  int64_t tuopin_households = 0;
  int64_t relocated_households = 0;

  //! Adds another area's counts to these.
  void Add(const AreaCount& o) {
    households += o.households;
    persons += o.persons;
    tuopin_households += o.tuopin_households;
    relocated_households += o.relocated_households;
  }
};

//! A household with everything `hearth household show` prints.
struct HouseholdView {
  HouseholdRecord household;
  std::vector<Area> path;  //!< province .. village
  std::vector<PersonRecord> members;
  std::vector<IncomeRecord> incomes;
  std::vector<EventRecord> events;  //!< newest first
};


//! An engine image (引擎快照): every household's facts as the engine keeps them, saved in the
//! store so that the next build reads a few large blobs instead of every registry row
//! (engine/image.h). Derived data: replaced whole by the next image, never a source of facts.
struct EngineImageHead {
  int64_t id = 0;
  int64_t created_at = 0;   //!< micros since the epoch
  int format = 0;           //!< the encoding's version (engine/image.h kEngineImageFormat)
  int64_t households = 0;
  int64_t chunks = 0;       //!< household chunks, numbered 1..chunks (chunk 0: the image's head data)
  int64_t bytes = 0;        //!< of every chunk
  ImportsSeen imports;      //!< the imports committed before the image's scan began
};

//! What the imports committed since an image changed.
struct ImageChanges {
  int64_t imports = 0;       //!< imports committed since
  bool registry = false;     //!< one of them inserted or updated registry rows
  //! Households with events of those imports, and every household of a village with a
  //! village-wide one (internal references, ascending, each once); empty when `registry`.
  std::vector<int64_t> households;
  bool operator==(const ImageChanges&) const = default;
};

}  // namespace hearth
