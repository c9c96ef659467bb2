// The PostgreSQL backend's classes, shared by its source files: pg_store.cc (connection,
// schema, areas, registry reads, audit, partitions), pg_import.cc (the import transaction:
// buffers, registry upserts), pg_feeds.cc (feed linking, the event in force, retraction,
// imports), pg_findings.cc (facts and findings) and pg_warnings.cc (the engine's scan,
// warnings). Not part of the store's interface: use store.h.
//
// How writes work. Every write transaction (an import, LoadAreas, SaveWarnings, a migration)
// first takes one transaction-level advisory lock (kWriteLock), so Hearth's
// writers take turns as SQLite's single writer does, and each decision (insert or update, the
// event in force for a key, the file seen before) is made on data no other writer can change
// until commit. A new month's partition is made under a lock of its name only. Readers are
// never blocked. Inside an import, new rows are buffered in COPY's
// text format and streamed in small pieces through a COPY that stays open while the file is
// read (the server stores rows while the client parses); ids are drawn from the tables'
// sequences in blocks, so that a buffered row has its id at once. Updates are queued and sent
// pipelined. Before a statement reads a table, the buffers it needs are sent (households before
// the tables that refer to them), and the open COPY ends. Registry upserts decide from a window
// of stored rows fetched by household code (files list households in code order, so one fetch
// serves thousands of rows); the transaction's writes in the window's range go to it too, and
// its rows are sent before the next fetch. Lookups keep to their indexes (enable_seqscan is off
// in an import: a cached plan made while a month's partition was nearly empty must not scan it).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/migrations.h"
#include "store/postgres/pg.h"
#include "store/postgres/pg_copy.h"
#include "store/record_rules.h"
#include "store/store.h"

namespace hearth::pg_impl {

using pg::Conn;
using pg::CopyBuffer;
using pg::Params;
using pg::Result;
using store_rules::CellsFromJson;
using store_rules::CellsToJson;

//! The advisory lock every write transaction holds (pg_advisory_xact_lock): "Hearth" in ASCII.
inline constexpr int64_t kWriteLock = 0x4865617274680001;

// An event (aliased e) is in force unless an event that is itself in force supersedes it (see
// sqlite_internal.h: the same rule).
inline constexpr std::string_view kInForce =
    "NOT EXISTS (SELECT 1 FROM events s WHERE s.supersedes = e.id AND NOT EXISTS ("
    "SELECT 1 FROM events r WHERE r.supersedes = s.id AND r.type = 'retraction'))";
inline constexpr std::string_view kNotRetracted =
    "NOT EXISTS (SELECT 1 FROM events r WHERE r.supersedes = e.id AND r.type = 'retraction')";

// Row mapping: columns in the order of the k*Columns lists, starting at column `c` of row `r`.
extern const std::string_view kHouseholdColumns;
extern const std::string_view kPersonColumns;  // of persons aliased p; ends with p.id
extern const std::string_view kIncomeColumns;  // year, wage_fen, ... business_cost_fen
extern const std::string_view kEventColumns;   // of events aliased e
//! Row `r` of `q` as store/row_readers.h reads a row.
struct ResultRow {
  const Result& q;
  int r;
  int64_t Int(int c) const { return q.Int(r, c); }
  std::optional<int64_t> OptInt(int c) const { return q.OptInt(r, c); }
  std::string_view View(int c) const { return q.View(r, c); }
};
HouseholdRecord ReadHousehold(const Result& q, int r, int c);
PersonRecord ReadPerson(const Result& q, int r, int c);
IncomeRecord ReadIncome(const Result& q, int r, int c);
EventRecord ReadEvent(const Result& q, int r, int c);
std::optional<std::string> GradeText(const std::optional<char>& g);
std::optional<int64_t> OptBool(const std::optional<bool>& b);

//! The month partition (UTC+8 calendar month) of `table` holding time `micros`.
struct MonthPartition {
  std::string name;  //!< table_pYYYYMM
  int64_t from = 0, to = 0;  //!< [from, to) in micros
};
MonthPartition PartitionFor(std::string_view table, int64_t micros);

//! The facts of one household (HouseholdFacts without `shared`), read in one pipelined round
//! trip. Kind "household_unknown".
StatusOr<HouseholdFacts> LoadHouseholdFacts(Conn& conn, const std::string& household_code);
//! The session settings every connection of the store runs with (UTF-8, no timeouts, no JIT).
Status SetUpSession(Conn& conn);
//! Prepares the statements LoadHouseholdFacts and the findings run (once per connection).
Status PrepareFactStatements(Conn& conn);
//! Prepares the statements of feed linking and the event in force.
Status PrepareFeedStatements(Conn& conn);

//! Store::SaveWarnings inside the caller's transaction (which holds the write lock).
//! `held`: households whose warnings stay as they are (store_rules::PlanWarnings).
StatusOr<WarningCounts> SaveWarningsIn(Conn& conn, const WarningBatch& batch, const std::vector<int64_t>& held = {});

//! Ids drawn from a sequence in blocks (one round trip per block). The ids of a transaction
//! that rolls back are lost, as with any sequence.
class IdBlock {
 public:
  explicit IdBlock(std::string sequence) : sequence_(std::move(sequence)) {}
  StatusOr<int64_t> Next(Conn& conn);

 private:
  std::string sequence_;
  std::vector<int64_t> ids_;
  size_t next_ = 0;
  int64_t block_ = 16;
};

//! Rows of one kind (persons, incomes) of one household, as stored when fetched plus the
//! transaction's own writes since; see PgImportTransaction.
template <typename Row>
struct HouseholdRows {
  int64_t household_id = 0;
  std::vector<Row> rows;
};

//! A window of stored rows by household code: every stored code in [lo, hi] (hi unbounded
//! when the fetch returned fewer codes than asked) is in `entries`; a code of the window that
//! is not there is not stored.
template <typename Entry>
struct CodeWindow {
  bool valid = false;
  std::string lo;
  std::optional<std::string> hi;
  std::unordered_map<std::string, Entry> entries;
  int64_t size = 256;    //!< codes asked for by the next fetch (adapts to the file's order)
  int64_t served = 0;    //!< lookups the current window answered

  bool Covers(const std::string& code) const { return valid && code >= lo && (!hi || code <= *hi); }
  void Reset(std::string from) {
    valid = true;
    lo = std::move(from);
    hi.reset();
    entries.clear();
  }
};

//! Tables with buffered writes; Flush(mask) sends those of the mask (and the households,
//! which the others refer to).
enum TableBit : unsigned {
  kHouseholdsBit = 1u << 0,
  kPersonsBit = 1u << 1,
  kIncomesBit = 1u << 2,
  kEventsBit = 1u << 3,
  kRejectsBit = 1u << 4,
  kFindingsBit = 1u << 5,
  kAllTables = 0x3f,
};

class PgStore;

class PgImportTransaction : public ImportTransaction {
 public:
  PgImportTransaction(PgStore& store, Conn& conn, int64_t import_id, int64_t recorded_at);
  ~PgImportTransaction() override;

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

  // pg_feeds.cc
  StatusOr<std::vector<std::vector<PersonLink>>> FindPersons(const std::vector<std::string>& id_numbers) override;
  StatusOr<std::optional<std::string>> HouseholdVillage(const std::string& household_code) override;
  bool IsVillage(const std::string& code) override { return villages_.contains(code); }
  StatusOr<std::vector<std::optional<ActiveEvent>>> ActiveEventsByKey(
      const std::string& type, const std::vector<std::string>& event_keys) override;
  Status DropEvent(int64_t event_id) override;
  void ConfirmFact(const std::string& type, const std::string& key) override { confirmations_.Confirm(type, key); }
  StatusOr<std::optional<Date>> ConfirmedAfter(const std::string& type, const std::string& key, Date received) override;
  StatusOr<std::vector<std::string>> TouchedHouseholds(int64_t* after_event, int limit) override;
  StatusOr<std::vector<std::string>> RetractImport(int64_t import_id) override;

  // pg_findings.cc
  StatusOr<HouseholdFacts> LoadFacts(const std::string& household_code) override;
  StatusOr<std::vector<FindingRecord>> OpenFindings(const std::string& household_code) override;
  StatusOr<int64_t> InsertFinding(const FindingRecord& f) override;
  Status UpdateFinding(int64_t id, int severity, const std::string& params) override;
  Status CloseFinding(int64_t id, Date on) override;

  // pg_warnings.cc
  StatusOr<int64_t> HouseholdRef(const std::string& household_code) override;
  StatusOr<WarningCounts> SaveWarnings(const WarningBatch& batch) override;

 private:
  store_rules::FactConfirmations confirmations_;
  struct StoredHousehold {
    int64_t id = 0;
    HouseholdRecord record;
  };
  struct PendingEvent {
    int64_t id = 0;
    int64_t household_id = 0;  // 0: none
    EventRecord record;
  };

  //! Sends the buffered writes of the tables in `mask` (households first).
  Status Flush(unsigned mask);
  //! Flushes a table whose buffer has grown past the batch size.
  Status FlushIfFull();
  Status FlushHouseholds();
  Status FlushRows(CopyBuffer& copy, std::vector<Conn::Queued>& updates);
  Status FlushEvents();
  void ClearBuffers();

  // Registry lookups (pg_import.cc).
  StatusOr<const StoredHousehold*> FindHousehold(const std::string& code);
  Status FetchHouseholdWindow(const std::string& from);
  template <typename Row>
  Status FetchRowsWindow(const std::string& from, bool persons, CodeWindow<HouseholdRows<Row>>* window);
  StatusOr<HouseholdRows<PersonRecord>*> PersonsOf(const std::string& code);
  StatusOr<HouseholdRows<IncomeRecord>*> IncomesOf(const std::string& code);
  //! The id of the household with this code (0 when none).
  StatusOr<int64_t> HouseholdId(const std::string& code);
  void QueueHouseholdInsert(const HouseholdRecord& h, int64_t id, int64_t line);
  void QueueHouseholdUpdate(const HouseholdRecord& h, int64_t id);
  void QueuePerson(const PersonRecord& p, int64_t household_id, int64_t line, bool insert);
  void QueueIncome(const IncomeRecord& i, int64_t household_id, int64_t line, bool insert);
  Status LoadVillages();
  //! Tells whether the own events not yet flushed can change which stored event is in force
  //! for a key other than their own (then every lookup flushes first).
  void NoteOwnEvent(const EventRecord& e);

  PgStore& store_;
  Conn& conn_;
  int64_t import_id_;
  int64_t recorded_at_;
  bool done_ = false;
  bool registry_changed_ = false;  //!< a household, person or income was upserted (imports.registry_changed)
  std::unordered_set<std::string> villages_;

  // Ids.
  IdBlock household_ids_{"households_id_seq"};
  IdBlock person_ids_{"persons_id_seq"};
  IdBlock event_ids_{"events_id_seq"};
  IdBlock finding_ids_{"findings_id_seq"};

  // Buffered writes, flushed in this order.
  CopyBuffer households_copy_, persons_copy_, incomes_copy_, rejects_copy_, findings_copy_;
  std::vector<Conn::Queued> household_updates_, person_updates_, income_updates_, finding_updates_;
  std::vector<PendingEvent> events_;       // not yet flushed, by id
  size_t events_bytes_ = 0;

  // What the registry upserts decide from: windows of stored rows by household code, fetched
  // once this transaction's rows of the table were sent, and kept up to date by its writes.
  CodeWindow<StoredHousehold> household_window_;
  CodeWindow<HouseholdRows<PersonRecord>> person_window_;
  CodeWindow<HouseholdRows<IncomeRecord>> income_window_;
  std::pair<std::string, int64_t> last_household_{"", 0};  //!< (code, id) of the last household seen

  // The event in force for a key: hashes of the (type, key) of this transaction's events, so
  // that only a lookup of such a key (rare: a file repeating a key) flushes the events first.
  std::unordered_set<uint64_t> own_event_keys_;
  bool own_events_local_ = true;      //!< own events supersede only events of their own key
  bool own_events_introduce_ = false; //!< own registration events wait in the buffer
  //! The events ActiveEventsByKey last returned, by hash of (type, key): a correction of one of
  //! them supersedes only its own key's event.
  std::unordered_map<uint64_t, int64_t> looked_up_active_;
  std::vector<bool> touched_seen_;  //!< TouchedHouseholds: household ids already returned
  std::unordered_set<std::string> partitions_ready_;  //!< event partitions this transaction made sure of
};

class PgStore : public Store {
 public:
  explicit PgStore(std::string uri) : uri_(std::move(uri)) {}

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

  // pg_feeds.cc
  StatusOr<std::vector<ImportRecord>> ListImports(const ImportFilter& filter) override;
  StatusOr<ImportRecord> GetImport(int64_t import_id) override;
  StatusOr<std::optional<int64_t>> FindImportByDigest(const std::string& kind, const std::string& digest) override;
  StatusOr<std::vector<RejectRecord>> ListRejects(int64_t import_id) override;

  // pg_findings.cc
  StatusOr<std::vector<FindingRecord>> ListFindings(const FindingFilter& filter) override;
  StatusOr<std::vector<std::string>> HouseholdCodes(const std::string& area) override;
  StatusOr<std::vector<std::string>> HouseholdsOfImports(const std::vector<int64_t>& import_ids) override;

  // pg_warnings.cc
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

  // pg_image.cc
  StatusOr<ImportsSeen> CommittedImports() override;
  StatusOr<ImageChanges> ChangesSince(const ImportsSeen& seen) override;
  StatusOr<EngineImageHead> SaveEngineImage(
      EngineImageHead head, const std::function<StatusOr<std::optional<std::string>>()>& next) override;
  StatusOr<std::optional<EngineImageHead>> LatestEngineImage() override;
  StatusOr<std::string> EngineImageChunk(int64_t image_id, int64_t seq) override;

  //! Creates the month's partition of `table` (events, audit_log) holding time `micros` unless
  //! it exists. Inside a write transaction (the lock held) when `in_transaction`, else in a
  //! transaction of its own.
  Status EnsurePartition(std::string_view table, int64_t micros, bool in_transaction);
  //! Starts a write transaction: BEGIN and the write lock.
  Status BeginWrite();
  //! COMMIT; a lost connection is kind "db_commit_unknown" (the outcome cannot be known).
  Status CommitWrite();
  //! ROLLBACK when the connection still works.
  void RollbackWrite();
  void EndImport() { import_open_ = false; }

 private:
  Status Connect(OpenMode mode);
  Status CheckIsHearthDatabase(OpenMode mode);
  StatusOr<int> Migrate();
  Status ApplyMigration(const Migration& m);
  Status FillEventKeyHashes();
  //! Opens `streams` on this transaction's snapshot (exported: it must be the transaction's
  //! first statement). False, with this connection in a fresh repeatable-read transaction and
  //! no stream open, when the server exports no snapshot or allows no more connections.
  bool OpenScanStreams(std::array<Conn, 3>& streams);
  //! Runs `reads` in one read-only snapshot (a transaction of its own unless one is open).
  Status InOneSnapshot(const std::function<Status()>& reads);
  Status LoadMembers(int64_t household_id, HouseholdView* view);
  Status LoadIncomes(int64_t household_id, HouseholdView* view);
  Status LoadEvents(int64_t household_id, HouseholdView* view);

  std::string uri_;
  Conn conn_;
  int version_ = 0;
  bool import_open_ = false;
  bool facts_prepared_ = false;
  std::unordered_set<std::string> partitions_;  //!< partitions known to exist
};

}  // namespace hearth::pg_impl
