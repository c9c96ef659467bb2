// The Store interface: everything Hearth keeps, behind one interface with two backends:
// SQLite (embedded default: one file, WAL, one writer; src/store/sqlite/) and PostgreSQL
// (server; its own issue). SQL specifics stay behind it.
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
#include <string>
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
  //! Inserts or updates a household's income for a year; `*previous` as above. Kind
  //! "household_unknown".
  virtual StatusOr<UpsertOutcome> UpsertIncome(const IncomeRecord& i, int64_t line, IncomeRecord* previous) = 0;
  //! Appends an event; its import_id is this import's.
  virtual Status AppendEvent(const EventRecord& e) = 0;
  //! Keeps a rejected row.
  virtual Status AddReject(const RejectRecord& r) = 0;
  //! Every person (ID number) registered in more than one household, registry-wide and
  //! including this transaction's writes, ordered by ID number.
  virtual StatusOr<std::vector<SharedPerson>> SharedPersons() = 0;
  //! Stores the final counts and commits.
  virtual Status Commit(int64_t read, int64_t accepted, int64_t rejected) = 0;
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
  virtual StatusOr<std::vector<Area>> PathToRoot(const std::string& code) = 0;

  // --- imports ---
  //! Starts the transaction of one imported file; `record` gives kind, file, digest, received.
  virtual StatusOr<std::unique_ptr<ImportTransaction>> BeginImport(const ImportRecord& record) = 0;
  //! Imports whose kind starts with `kind_prefix`, newest first.
  virtual StatusOr<std::vector<ImportRecord>> ListImports(const std::string& kind_prefix) = 0;
  virtual StatusOr<std::vector<RejectRecord>> ListRejects(int64_t import_id) = 0;

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

//! Opens (and migrates) a SQLite database file. Kinds: "db_missing", "db_open",
//! "schema_too_new" (the file was written by a newer Hearth: upgrade the program).
StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, OpenMode mode);

}  // namespace hearth
