// The Store interface: everything Hearth keeps, behind one interface with two backends:
// SQLite (embedded default: one file, WAL, one writer; src/store/sqlite/) and PostgreSQL
// (server, many concurrent processes; src/store/postgres/). SQL specifics stay behind it.
//
// Thread safety: a Store is used from one thread at a time; open one per thread.
//
//   HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore("hearth.db", OpenMode::kCreate));
//   HEARTH_ASSIGN_OR_RETURN(auto tx, store->BeginImport(record));
//   tx->UpsertHousehold(h); ... tx->AddReject(r); ...
//   HEARTH_RETURN_IF_ERROR(tx->Commit(counts));   // all of the file, or (on any failure) none
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace hearth {

enum class OpenMode : int {
  kCreate = 1,        //!< create the file if missing, migrate to the current schema
  kExisting = 2,      //!< the file must exist (else kind "db_missing": run `hearth init`); migrate
};

//! A write transaction for one imported file. Everything written through it becomes visible
//! at Commit, all together; destroying it without Commit rolls everything back.
class ImportTransaction {
 public:
  virtual ~ImportTransaction() = default;
  //! The id of the import record (valid before commit, for events).
  virtual int64_t import_id() const = 0;

  //! Inserts or updates a household by household_code. On kUpdated, `*previous` (when not
  //! null) receives the record as it was. Fails with kind "village_unknown" when the village
  //! code is not a known village.
  //! `line` is the row's line in the file, kept as the provenance of an inserted row.
  virtual StatusOr<UpsertOutcome> UpsertHousehold(const HouseholdRecord& h, int64_t line,
                                                  HouseholdRecord* previous) = 0;
  //! Inserts or updates a person by (household_code, id_number); `*previous` as above. Kind
  //! "household_unknown" when the household does not exist.
  virtual StatusOr<UpsertOutcome> UpsertPerson(const PersonRecord& p, int64_t line, PersonRecord* previous) = 0;
  //! Removes a person from a household (减员): the row of (household_code, id_number) is
  //! deleted from the registry (the caller appends the event that keeps it). Returns the
  //! person as stored, or nullopt when the household has no such member (nothing to do). Kind
  //! "household_unknown" when the household does not exist.
  virtual StatusOr<std::optional<PersonRecord>> RemovePerson(const std::string& household_code,
                                                             const std::string& id_number) = 0;
  //! Inserts or updates a household's income for a year; `*previous` as above. Kind
  //! "household_unknown".
  virtual StatusOr<UpsertOutcome> UpsertIncome(const IncomeRecord& i, int64_t line, IncomeRecord* previous) = 0;
  //! Appends an event; its import_id is this import's. Returns the event's id.
  virtual StatusOr<int64_t> AppendEvent(const EventRecord& e) = 0;
  //! Keeps a problem row (rejected, unmatched, duplicate or flagged).
  virtual Status AddReject(const RejectRecord& r) = 0;
  //! Every person (ID number) registered in more than one household, registry-wide and
  //! including this transaction's writes, ordered by ID number.
  virtual StatusOr<std::vector<SharedPerson>> SharedPersons() = 0;
  //! Every household with members but not exactly one head (户主) among them, registry-wide and
  //! including this transaction's writes, ordered by household code: a second head registered
  //! while the former one stays, or a head never named.
  virtual StatusOr<std::vector<HouseholdHeads>> HouseholdsWithoutOneHead() = 0;
  //! Stores the final counts and commits.
  virtual Status Commit(const ImportTotals& totals) = 0;
  //! Notes that a row of this file, accepted or not, names the household with this code, so that
  //! Commit also lists the import under that household's village (ImportTotals::villages; what
  //! `hearth imports --area` shows a county). A code no household has by then adds nothing.
  void NoteHousehold(std::string_view household_code) {
    if (noted_households_.empty() || noted_households_.back() != household_code) {
      noted_households_.emplace_back(household_code);
    }
  }

  // --- department feeds (linking, deduplication, retraction) ---
  //! The registered persons with each (normalised, 18-character) ID number, `out[i]` for
  //! `id_numbers[i]`: usually one, more when the registry holds the person in two households. A
  //! person not (yet) registered whom a registration event in force placed in a household (born,
  //! moved in) links to that household, with an empty name. Empty when unknown. A whole batch of
  //! a file's rows at once: one round trip on a server, probes in index order on SQLite.
  virtual StatusOr<std::vector<std::vector<PersonLink>>> FindPersons(const std::vector<std::string>& id_numbers) = 0;
  //! The household's village, or nullopt when no household has this code.
  virtual StatusOr<std::optional<std::string>> HouseholdVillage(const std::string& household_code) = 0;
  //! True when `code` (12 digits) is a known village.
  virtual bool IsVillage(const std::string& code) = 0;
  //! The event in force of `type` for each key (`out[i]` for `event_keys[i]`), including this
  //! transaction's, if any. A batch at once, as FindPersons.
  virtual StatusOr<std::vector<std::optional<ActiveEvent>>> ActiveEventsByKey(
      const std::string& type, const std::vector<std::string>& event_keys) = 0;
  //! A hint, given once before the rows: about how many rows the file holds (estimated from its
  //! size), so that a backend can choose how to answer a large file's lookups (the SQLite one
  //! reads the registry into memory at once instead of probing it row by row). Optional.
  virtual void ExpectRows(int64_t rows) { (void)rows; }
  //! Remembers that this file repeated, in a later file than the one that gave it, the fact of
  //! `type` with `key` (a duplicate): stored with the import at Commit, so that a file received
  //! before this one but imported after it cannot overturn what this one confirmed.
  virtual void ConfirmFact(const std::string& type, const std::string& key) = 0;
  //! The latest day a committed import received after `received` confirmed the fact of `type`
  //! with `key` (ConfirmFact); nullopt when none did. The same `received` on every call.
  virtual StatusOr<std::optional<Date>> ConfirmedAfter(const std::string& type, const std::string& key, Date received) = 0;
  //! Removes an event appended by this same transaction (a row found to conflict with a later
  //! row of the same file). Committed events are never removed.
  virtual Status DropEvent(int64_t event_id) = 0;
  //! The households of this transaction's events with an id above `*after_event` (at most
  //! `limit` events' worth), advancing `*after_event`; empty at the end. A walk starts with
  //! `*after_event` = 0 and returns each household once over all its calls, holding one bit per
  //! registered household rather than the list.
  virtual StatusOr<std::vector<std::string>> TouchedHouseholds(int64_t* after_event, int limit) = 0;
  //! Appends a retraction for every event of import `import_id` not yet retracted (also those a
  //! later file corrected, so that undoing the later file cannot revive them) and marks the
  //! import retracted. Returns the household codes those events concerned. Kind
  //! "import_unknown"; "import_retracted" when it already was.
  virtual StatusOr<std::vector<std::string>> RetractImport(int64_t import_id) = 0;

  // --- findings ---
  //! What the household's findings are derived from; kind "household_unknown".
  virtual StatusOr<HouseholdFacts> LoadFacts(const std::string& household_code) = 0;
  //! The household's open findings.
  virtual StatusOr<std::vector<FindingRecord>> OpenFindings(const std::string& household_code) = 0;
  //! Stores a new open finding (its import_id is this import's). Returns its id.
  virtual StatusOr<int64_t> InsertFinding(const FindingRecord& f) = 0;
  //! Replaces an open finding's params and severity (its facts changed, the cause is the same).
  virtual Status UpdateFinding(int64_t id, int severity, const std::string& params) = 0;
  //! Closes an open finding on `on`.
  virtual Status CloseFinding(int64_t id, Date on) = 0;

  // --- warnings ---
  //! The internal reference of a household; kind "household_unknown".
  virtual StatusOr<int64_t> HouseholdRef(const std::string& household_code) = 0;
  //! Replaces the open warnings of the batch's scope, inside this transaction (see
  //! Store::SaveWarnings).
  virtual StatusOr<WarningCounts> SaveWarnings(const WarningBatch& batch) = 0;

 protected:
  //! The codes NoteHousehold was given, each once, sorted (and forgotten).
  std::vector<std::string> TakeNotedHouseholds();
  //! The smallest area code holding every one of `villages` (empty when there is none).
  static std::string SmallestAreaHolding(const std::set<std::string>& villages);

 private:
  std::vector<std::string> noted_households_;  // consecutive repeats folded
};

//! Which imports `ListImports` returns.
struct ImportFilter {
  std::string kind_prefix;  //!< e.g. "registry-", "medical-claims"; empty: all
  //! Imports one of whose villages (ImportTotals::villages) lies inside this area (short code);
  //! of the imports that recorded no village, those whose area_code holds this area or lies
  //! inside it (imports made before schema 8, undo and findings-refresh records) and the feed
  //! files whose area is not known (no row linked to a household: every row rejected or
  //! unmatched), which may concern any area. A registry file's villages are those of the
  //! households its rows name (ImportTransaction::NoteHousehold). Empty: all.
  std::string area;
};

//! Which households ScanFacts visits and which facts it gives.
struct FactsScan {
  std::string area;  //!< short area code prefix; empty: all
  //! Only events recorded at or before this time (micros since the epoch) count, and "in
  //! force" is decided among them; nullopt: every event.
  std::optional<int64_t> known_at;
  //! Only these households (internal references, ascending); empty: every one.
  std::vector<int64_t> households;
};

//! Which warnings `ListWarnings` returns.
struct WarningFilter {
  std::string area;        //!< short area code prefix; empty: all
  bool open_only = true;
  int64_t limit = 0;       //!< 0: no limit
};

//! Which findings `ListFindings` returns.
struct FindingFilter {
  std::string area;        //!< short area code prefix; empty: all
  bool open_only = true;
  std::string type;        //!< empty: all types
  int64_t limit = 0;       //!< 0: no limit
};

class Store {
 public:
  virtual ~Store() = default;

  //! The schema version of the open database.
  virtual int SchemaVersion() const = 0;

  // --- administrative divisions ---
  //! Replaces the divisions with `areas` (parents before children). Idempotent.
  virtual Status LoadAreas(const std::vector<Area>& areas) = 0;
  //! The area with this code, or kind "area_unknown".
  virtual StatusOr<Area> GetArea(const std::string& code) = 0;
  //! Areas whose name contains `text`, at most `limit`, ordered by code.
  virtual StatusOr<std::vector<Area>> FindAreasByName(const std::string& text, int limit) = 0;
  //! Every area strictly inside `code`, ordered by code. Empty code: all areas.
  virtual StatusOr<std::vector<Area>> Descendants(const std::string& code) = 0;
  //! From the province down to the area itself.
  virtual StatusOr<std::vector<Area>> PathToRoot(const std::string& code);  // GetArea up to the root

  // --- imports ---
  //! Starts the transaction of one imported file; `record` gives kind, file, digest, received.
  virtual StatusOr<std::unique_ptr<ImportTransaction>> BeginImport(const ImportRecord& record) = 0;
  //! Imports matching `filter`, newest first.
  virtual StatusOr<std::vector<ImportRecord>> ListImports(const ImportFilter& filter) = 0;
  //! One import; kind "import_unknown".
  virtual StatusOr<ImportRecord> GetImport(int64_t import_id) = 0;
  //! The committed (not retracted) import of `kind` whose file had `digest`, if any.
  virtual StatusOr<std::optional<int64_t>> FindImportByDigest(const std::string& kind, const std::string& digest) = 0;
  //! The problem rows of an import, by line.
  virtual StatusOr<std::vector<RejectRecord>> ListRejects(int64_t import_id) = 0;

  // --- findings ---
  //! Findings matching `filter`, by severity, then area, then id.
  virtual StatusOr<std::vector<FindingRecord>> ListFindings(const FindingFilter& filter) = 0;
  //! Every household's internal reference and code, by reference, inside `area` (short code
  //! prefix; empty: all).
  virtual StatusOr<std::vector<std::pair<int64_t, std::string>>> HouseholdRefs(const std::string& area) = 0;
  //! Every household code, in code order (a full re-derivation walks them).
  virtual StatusOr<std::vector<std::string>> HouseholdCodes(const std::string& area) = 0;
  //! The codes of the households with events of these imports (a registry file's changes to
  //! them, a feed's facts), each once, ordered by code.
  virtual StatusOr<std::vector<std::string>> HouseholdsOfImports(const std::vector<int64_t>& import_ids) = 0;

  // --- the engine's inputs and outputs ---
  //! Calls `fn` with the facts of each household in `scan.area`, in internal reference order,
  //! within one read snapshot: members, incomes, and the feed events in force as known at
  //! `scan.known_at` (with the village-wide events of its village). `shared` stays empty.
  //! Stops at the first failure of `fn` and returns it.
  virtual Status ScanFacts(const FactsScan& scan, const std::function<Status(HouseholdFacts&)>& fn) = 0;
  //! ScanFacts split into `parts` parts read at once, each on a thread of its own (with a
  //! connection of its own), all in one snapshot: part p holds the households of one range of
  //! internal references, the ranges ascending with p, each in reference order; `fn(p, facts)`
  //! runs on part p's thread. Where the backend cannot give one snapshot to several readers at
  //! that moment (a writer holds the database, a transaction is open on this connection), every
  //! household goes to part 0 on the calling thread. Stops every part at the first failure of
  //! `fn` and returns it. This default: part 0 only.
  virtual Status ScanFactsInParts(const FactsScan& scan, int parts,
                                  const std::function<Status(int part, HouseholdFacts&)>& fn) {
    (void)parts;
    return ScanFacts(scan, [&](HouseholdFacts& facts) { return fn(0, facts); });
  }
  //! The facts of one household as ScanFacts gives them (for the engine's per-event update).
  virtual StatusOr<HouseholdFacts> HouseholdFactsOf(const std::string& household_code) = 0;
  //! The imports committed now (see ImportsSeen).
  virtual StatusOr<ImportsSeen> CommittedImports() = 0;
  //! What the imports committed now but not in `seen` changed.
  virtual StatusOr<ImageChanges> ChangesSince(const ImportsSeen& seen) = 0;
  //! Saves an engine image in one transaction, replacing any earlier one: `head` (id, chunks and
  //! bytes are filled in here), then the chunks `next` gives, numbered from 0, until it gives
  //! nullopt. Returns the head as saved.
  virtual StatusOr<EngineImageHead> SaveEngineImage(
      EngineImageHead head, const std::function<StatusOr<std::optional<std::string>>()>& next) = 0;
  //! The latest engine image's head; nullopt when there is none.
  virtual StatusOr<std::optional<EngineImageHead>> LatestEngineImage() = 0;
  //! Chunk `seq` of image `image_id`; kind "engine_image_missing" when it is gone (replaced
  //! meanwhile by a newer image).
  virtual StatusOr<std::string> EngineImageChunk(int64_t image_id, int64_t seq) = 0;
  //! Replaces the open warnings of the batch's scope in one transaction: a warning of the batch
  //! whose household already has an open warning of the same category updates it (counted
  //! unchanged when nothing differs), others are opened; open warnings of the scope that the
  //! batch no longer holds are closed on `batch.as_of`. The policy's text is kept once per
  //! digest, so that every warning can be explained with the rules it was made under.
  virtual StatusOr<WarningCounts> SaveWarnings(const WarningBatch& batch) = 0;
  //! Warnings matching `filter`, highest score first (then severity, then id).
  virtual StatusOr<std::vector<WarningRecord>> ListWarnings(const WarningFilter& filter) = 0;
  //! The latest day an open warning of `area` (a short code prefix; empty: all) was opened;
  //! nullopt when none is open.
  virtual StatusOr<std::optional<Date>> LatestWarningOpened(const std::string& area) = 0;
  //! The latest day any warning was screened, opened or closed as of (all areas); nullopt when
  //! there are none. Later screenings judge as of no earlier day (feeds: ScreeningAsOf).
  virtual StatusOr<std::optional<Date>> LatestScreeningDate() = 0;
  //! The text of a policy version kept with warnings; nullopt when unknown.
  virtual StatusOr<std::optional<std::string>> PolicyText(const std::string& digest) = 0;
  //! Names and ID numbers of persons by internal reference (unknown references are left out). A
  //! negative reference names a person not yet registered by the registration change (出生, 迁入)
  //! that placed them in a household: minus that event's id (FeatureRow::max_stay_person).
  virtual StatusOr<std::vector<PersonName>> PersonsByRef(const std::vector<int64_t>& refs) = 0;

  // --- registry reads ---
  //! Household counts by area at `level` (prefecture or county) inside `area` (empty: all).
  virtual StatusOr<std::vector<AreaCount>> CountByArea(const std::string& area, AreaLevel level) = 0;
  //! A household with members, incomes and its history: the change events, and the creation of
  //! its registry rows (type registry.*, empty payload); kind "household_unknown" when absent.
  virtual StatusOr<HouseholdView> GetHousehold(const std::string& household_code) = 0;

  // --- audit ---
  //! Records that `principal` read personal data of `subject` for `action`.
  virtual Status Audit(const std::string& principal, const std::string& action,
                       const std::string& subject) = 0;
};

//! Opens (and migrates) the database `path` names: a PostgreSQL database when it is a libpq
//! connection URI (postgresql://... or postgres://..., see store/postgres/pg_store.h), else a
//! SQLite database file. Kinds: "db_missing", "db_open", "schema_too_new" (the database was
//! written by a newer Hearth: upgrade the program); PostgreSQL adds "db_connect",
//! "db_connection_lost" and "db_commit_unknown".
StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, OpenMode mode);

}  // namespace hearth
