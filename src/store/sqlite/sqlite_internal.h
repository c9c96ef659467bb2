// The SQLite backend's classes, shared by its source files: sqlite_store.cc (schema, areas,
// registry), sqlite_feeds.cc (feed linking, deduplication, retraction, imports) and
// sqlite_findings.cc (facts and findings). Not part of the store's interface: use store.h.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/record_rules.h"
#include "store/sqlite/db.h"
#include "store/sqlite/feed_lookup.h"
#include "store/store.h"

namespace hearth::sqlite_impl {

//! A JSON array of ids, for json_each.
inline std::string JsonIds(const std::vector<int64_t>& ids) { return "[" + store_rules::JoinIds(ids) + "]"; }

using sqlite::Db;
using sqlite::Stmt;

// An event (aliased e) is in force unless an event that is itself in force supersedes it; a
// retraction is never superseded, so two levels decide: e is out of force when some s
// supersedes it and s is not retracted. The IS NOT NULL terms let SQLite use the partial index
// on supersedes without looking at bound values (which would re-prepare the statement on
// every step).
// The index that links feed rows to persons (migration 2, with the relation since migration 7),
// as a first load of the persons builds it again after the rows.
inline constexpr std::string_view kPersonsLinkIndex =
    "CREATE INDEX persons_link ON persons(id_number, household_id, name, relation)";

inline constexpr std::string_view kInForce =
    "NOT EXISTS (SELECT 1 FROM events s WHERE s.supersedes = e.id AND s.supersedes IS NOT NULL AND NOT EXISTS ("
    "SELECT 1 FROM events r WHERE r.supersedes = s.id AND r.supersedes IS NOT NULL AND r.type = 'retraction'))";

// An event (aliased e) not retracted (it may still be superseded by a correction).
inline constexpr std::string_view kNotRetracted =
    "NOT EXISTS (SELECT 1 FROM events r WHERE r.supersedes = e.id AND r.supersedes IS NOT NULL AND "
    "r.type = 'retraction')";

// Row mapping (columns in the order of the k*Columns lists, starting at column `c`).
extern const std::string_view kHouseholdColumns;
extern const std::string_view kPersonColumns;  // of persons aliased p
HouseholdRecord ReadHousehold(const Stmt& q, int c);
PersonRecord ReadPerson(const Stmt& q, int c);
IncomeRecord ReadIncome(const Stmt& q, int c);  // year, wage_fen, business_fen, property_fen, transfer_fen, business_cost_fen
// Shared with the PostgreSQL backend (store/record_rules.h): record equality, the in-force rule
// decided in memory (that of kInForce), the JSON form of a row's cells.
using store_rules::CellsFromJson;
using store_rules::CellsToJson;
using store_rules::JoinIds;
using store_rules::KeepInForce;
using store_rules::SameHousehold;
using store_rules::SameIncome;
using store_rules::SamePerson;
using store_rules::SameWarning;
using store_rules::SplitIds;

//! Reads one household's facts (HouseholdFacts without `shared`) with prepared statements.
class FactsReader {
 public:
  Status Prepare(Db& db);
  //! Kind "household_unknown".
  StatusOr<HouseholdFacts> Load(const std::string& household_code);
  //! Orders members, fills household codes, keeps the events in force as known at `known_at`.
  static void Finish(HouseholdFacts* facts, std::optional<int64_t> known_at);

 private:
  Stmt household_, members_, incomes_, events_, village_events_, member_elsewhere_;
};

//! Store::SaveWarnings inside the caller's transaction.
//! `held`: households whose warnings stay as they are (store_rules::PlanWarnings).
StatusOr<WarningCounts> SaveWarningsIn(Db& db, const WarningBatch& batch, const std::vector<int64_t>& held = {});

class SqliteImportTransaction : public ImportTransaction {
 public:
  SqliteImportTransaction(Db& db, int64_t import_id, int64_t recorded_at)
      : db_(db), import_id_(import_id), recorded_at_(recorded_at) {}
  ~SqliteImportTransaction() override {
    if (!done_) (void)db_.Exec("ROLLBACK");
    if (!foreign_keys_checked_) (void)db_.Exec("PRAGMA foreign_keys = ON");
  }
  //! A department feed's transaction writes only references it resolved itself, in this same
  //! write transaction (households it linked, its own import, events it found in force), so
  //! SQLite's check of each row's references (a probe per reference, ~6 µs an event) is
  //! switched off for it. Called before BEGIN (the pragma is ignored inside a transaction);
  //! the connection checks references again once the transaction ends.
  void SkipForeignKeyChecks() { foreign_keys_checked_ = false; }

  Status Prepare();
  int64_t import_id() const override { return import_id_; }
  StatusOr<UpsertOutcome> UpsertHousehold(const HouseholdRecord& h, int64_t line, HouseholdRecord* previous) override;
  StatusOr<UpsertOutcome> UpsertPerson(const PersonRecord& p, int64_t line, PersonRecord* previous) override;
  StatusOr<std::optional<PersonRecord>> RemovePerson(const std::string& household_code,
                                                     const std::string& id_number) override;
  StatusOr<UpsertOutcome> UpsertIncome(const IncomeRecord& i, int64_t line, IncomeRecord* previous) override;
  StatusOr<int64_t> AppendEvent(const EventRecord& e) override;
  Status AddReject(const RejectRecord& r) override;
  StatusOr<std::vector<SharedPerson>> SharedPersons() override;
  StatusOr<std::vector<HouseholdHeads>> HouseholdsWithoutOneHead() override;
  Status Commit(const ImportTotals& totals) override;

  // sqlite_feeds.cc
  StatusOr<std::vector<std::vector<PersonLink>>> FindPersons(const std::vector<std::string>& id_numbers) override;
  //! A first load of the persons: the index by ID number is built after the rows (see .cc).
  Status DeferPersonsLinkIfEmpty();
  StatusOr<std::optional<std::string>> HouseholdVillage(const std::string& household_code) override;
  bool IsVillage(const std::string& code) override { return villages_.contains(code); }
  StatusOr<std::vector<std::optional<ActiveEvent>>> ActiveEventsByKey(
      const std::string& type, const std::vector<std::string>& event_keys) override;
  void ExpectRows(int64_t rows) override { expected_rows_ = rows; }
  Status DropEvent(int64_t event_id) override;
  void ConfirmFact(const std::string& type, const std::string& key) override { confirmations_.Confirm(type, key); }
  StatusOr<std::optional<Date>> ConfirmedAfter(const std::string& type, const std::string& key, Date received) override;
  StatusOr<std::vector<std::string>> TouchedHouseholds(int64_t* after_event, int limit) override;
  StatusOr<std::vector<std::string>> RetractImport(int64_t import_id) override;

  // sqlite_findings.cc
  StatusOr<HouseholdFacts> LoadFacts(const std::string& household_code) override;
  StatusOr<std::vector<FindingRecord>> OpenFindings(const std::string& household_code) override;
  StatusOr<int64_t> InsertFinding(const FindingRecord& f) override;
  Status UpdateFinding(int64_t id, int severity, const std::string& params) override;
  Status CloseFinding(int64_t id, Date on) override;

  // sqlite_warnings.cc
  StatusOr<int64_t> HouseholdRef(const std::string& household_code) override;
  StatusOr<WarningCounts> SaveWarnings(const WarningBatch& batch) override;

 private:
  store_rules::FactConfirmations confirmations_;
  StatusOr<std::optional<int64_t>> HouseholdId(const std::string& code);
  Status LoadVillages();
  Status PrepareFeeds();
  Status PrepareFindings();
  // Binds a record; the last parameter is the source line (inserts) or the row id (updates).
  Status WriteHousehold(Stmt& stmt, const HouseholdRecord& h, int64_t line_or_id);
  Status WritePerson(Stmt& stmt, int64_t household_id, const PersonRecord& p, int64_t line);
  Status WriteIncome(Stmt& stmt, int64_t household_id, const IncomeRecord& i, int64_t line);

  Db& db_;
  int64_t import_id_;
  int64_t recorded_at_;
  bool done_ = false;
  bool foreign_keys_checked_ = true;  //!< see SkipForeignKeyChecks
  bool registry_changed_ = false;  //!< a household, person or income was upserted (imports.registry_changed)
  bool persons_link_deferred_ = false;  //!< persons_link dropped for a first load, built before commit
  Status BuildDeferredIndexes();
  std::unordered_set<std::string> villages_;
  std::vector<bool> touched_seen_;  //!< TouchedHouseholds: household ids already returned
  std::pair<std::string, int64_t> last_household_{"", 0};  //!< (code, id) of the last household seen
  Stmt household_id_, household_get_, household_insert_, household_update_;
  Stmt person_get_, person_insert_new_, person_update_;
  Stmt income_get_, income_insert_new_, income_update_;
  Stmt event_insert_, reject_insert_;
  // sqlite_feeds.cc: the probes, and the in-memory aids once a feed asks many (feed_lookup.h)
  int64_t IndexAfter();  //!< lookups by probe before the aids are built
  int64_t index_after_ = -1;
  int64_t expected_rows_ = 0;  //!< ExpectRows: lookups to come
  StatusOr<bool> UsePersonIndex(size_t lookups);
  StatusOr<bool> UseKeyFilter(const std::string& type, size_t lookups);
  std::unique_ptr<PersonIndex> person_index_;
  int64_t person_lookups_ = 0;
  std::string key_filter_type_;
  std::unique_ptr<KeyHashSet> key_filter_;
  int64_t key_lookups_ = 0;
  Stmt person_find_, person_introduced_, household_village_, event_by_key_, event_drop_, touched_;
  // sqlite_findings.cc
  FactsReader facts_;
  Stmt facts_shared_;
  Stmt findings_open_, finding_insert_, finding_update_, finding_close_;
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}

  Status Open(OpenMode mode);
  int SchemaVersion() const override { return version_; }
  Status LoadAreas(const std::vector<Area>& areas) override;
  StatusOr<Area> GetArea(const std::string& code) override;
  StatusOr<std::vector<Area>> FindAreasByName(const std::string& text, int limit) override;
  StatusOr<std::vector<Area>> Descendants(const std::string& code) override;
  StatusOr<std::unique_ptr<ImportTransaction>> BeginImport(const ImportRecord& record) override;
  StatusOr<std::vector<AreaCount>> CountByArea(const std::string& area, AreaLevel level) override;
  StatusOr<HouseholdView> GetHousehold(const std::string& household_code) override;
  Status Audit(const std::string& principal, const std::string& action, const std::string& subject) override;

  // sqlite_feeds.cc
  StatusOr<std::vector<ImportRecord>> ListImports(const ImportFilter& filter) override;
  StatusOr<ImportRecord> GetImport(int64_t import_id) override;
  StatusOr<std::optional<int64_t>> FindImportByDigest(const std::string& kind, const std::string& digest) override;
  StatusOr<std::vector<RejectRecord>> ListRejects(int64_t import_id) override;

  // sqlite_findings.cc
  StatusOr<std::vector<FindingRecord>> ListFindings(const FindingFilter& filter) override;
  StatusOr<std::vector<std::string>> HouseholdCodes(const std::string& area) override;
  StatusOr<std::vector<std::string>> HouseholdsOfImports(const std::vector<int64_t>& import_ids) override;

  // sqlite_warnings.cc
  Status ScanFacts(const FactsScan& scan, const std::function<Status(HouseholdFacts&)>& fn) override;
  Status ScanFactsInParts(const FactsScan& scan, int parts,
                          const std::function<Status(int part, HouseholdFacts&)>& fn) override;
  StatusOr<HouseholdFacts> HouseholdFactsOf(const std::string& household_code) override;
  StatusOr<WarningCounts> SaveWarnings(const WarningBatch& batch) override;
  StatusOr<std::vector<WarningRecord>> ListWarnings(const WarningFilter& filter) override;
  StatusOr<std::optional<Date>> LatestWarningOpened(const std::string& area) override;
  StatusOr<std::optional<Date>> LatestScreeningDate() override;
  StatusOr<std::optional<std::string>> PolicyText(const std::string& digest) override;
  StatusOr<std::vector<PersonName>> PersonsByRef(const std::vector<int64_t>& refs) override;
  StatusOr<std::vector<std::pair<int64_t, std::string>>> HouseholdRefs(const std::string& area) override;

  // sqlite_image.cc
  StatusOr<ImportsSeen> CommittedImports() override;
  StatusOr<ImageChanges> ChangesSince(const ImportsSeen& seen) override;
  StatusOr<EngineImageHead> SaveEngineImage(
      EngineImageHead head, const std::function<StatusOr<std::optional<std::string>>()>& next) override;
  StatusOr<std::optional<EngineImageHead>> LatestEngineImage() override;
  StatusOr<std::string> EngineImageChunk(int64_t image_id, int64_t seq) override;

 private:
  Status CheckIsHearthDatabase(OpenMode mode);
  Status LoadMembers(int64_t household_id, HouseholdView* view);
  Status LoadIncomes(int64_t household_id, HouseholdView* view);
  Status LoadEvents(int64_t household_id, HouseholdView* view);

  std::string path_;
  Db db_;
  int version_ = 0;
  FactsReader facts_;
  bool facts_prepared_ = false;
};

}  // namespace hearth::sqlite_impl
