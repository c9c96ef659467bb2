// The monitoring and early-warning engine (监测预警): every household's features in memory, in
// columns, the policy's rules evaluated over them, and the decision per household (category,
// risk types, score, explanation).
//
// The engine is a projection of the store (DESIGN.md section 3): Build() reads every
// household's facts once (Store::ScanFacts) and computes its features with ComputeFeatures();
// Update() recomputes one household with the same function and re-decides it at once, so full
// and incremental screening agree. A long-running process keeps the engine and calls Apply()
// per event; a one-shot import re-screens the households it touched.
//
//   HEARTH_ASSIGN_OR_RETURN(auto engine, Engine::Build(*store, rules, {.as_of = day}));
//   engine->EvaluateRules();                       // every rule over every household
//   std::vector<Decision> decisions = engine->Decide();
//   WarningBatch batch = engine->Warnings(decisions);   // explanations as data
//
// Memory: features are fixed-width columns (money and counts as signed integers of the
// narrowest width that holds every value exactly, see column.h; flags one byte);
// BytesPerHousehold() reports the total. Not thread-safe: one thread at a time (EvaluateRules
// itself runs on two threads internally).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "engine/column.h"
#include "engine/fact_cache.h"
#include "engine/features.h"
#include "engine/rules.h"
#include "store/store.h"

namespace hearth {

//! The encoding of engine images (image.cc); raise it with any change of the image's layout or
//! of the fact cache's encoding (fact_cache.h): an image of another format is not read.
inline constexpr int kEngineImageFormat = 2;

struct EngineOptions {
  Date as_of;                      //!< facts effective by this date
  std::optional<int64_t> known_at; //!< only facts recorded by then (micros); nullopt: all
  std::string area;                //!< short area code; empty: every household
  //! Called every 65,536 households while building (households done so far); may be empty.
  std::function<void(int64_t)> progress;
  //! Keep every household's facts, compactly encoded (fact_cache.h), and an index of household
  //! codes, so that Apply decides a feed event without reading the store: for a long-running
  //! process that keeps the engine. Costs about 130 bytes per household.
  bool keep_facts = false;
  //! Build() reads and computes the households in this many parts at once, each on a thread
  //! of its own (Store::ScanFactsInParts); 0: one per core, at most 4.
  int parts = 0;
  //! Build() starts from the store's engine image when there is one that serves (image.h:
  //! every fact as of all time, so not with `known_at`), re-reading the households that imports
  //! since then changed; false: always read every household from the store.
  bool use_image = true;
};

//! Where Build() took the households from.
struct BuildSource {
  bool image = false;        //!< from an engine image (else every household from the store)
  int64_t image_id = 0;
  int64_t imports_since = 0; //!< imports committed after the image
  int64_t reread = 0;        //!< households re-read from the store since the image
  int64_t chunks_read = 0;   //!< of the image's household chunks (an area's build skips others)
  //! Why an image was not used ("" when there was none or use_image was off).
  std::string not_used;
};

//! What the rules decided for one household.
struct Decision {
  uint32_t row = 0;        //!< the household's dense index
  uint32_t fired = 0;      //!< bit i: rule i fired
  int category = -1;       //!< index into the policy's categories; -1: no warning
  int severity = 3;        //!< the highest severity among the fired rules (1 high)
  int64_t score = 0;
  bool operator==(const Decision&) const = default;
};

class Engine {
 public:
  //! Reads every household of `options.area` from the store and computes its features.
  //! `rules` must outlive the engine. Failures: the store's.
  static StatusOr<std::unique_ptr<Engine>> Build(Store& store, const RuleSet& rules, EngineOptions options);
  //! An empty engine (households added with Update), for tests and small screens.
  Engine(const RuleSet& rules, EngineOptions options);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  //! Households held.
  size_t size() const { return household_ref_.size(); }
  //! Adds the household or recomputes its features from `facts`, re-evaluates its rules and
  //! returns its decision (category -1 when it is not at risk).
  Decision Update(const HouseholdFacts& facts);
  //! Applies an event the store has just recorded (with its id) and returns the decisions of
  //! the households it concerns: its household's, or for a village-wide event every household
  //! of the village held. With `keep_facts`, a feed event (a new fact, a correction, a
  //! retraction) is applied to the kept facts; otherwise, and for registry events, households
  //! not held yet, and a retraction that may bring back an event it had corrected, the facts are
  //! read from `store`. Kind "household_unknown" for an event of an unknown household.
  StatusOr<std::vector<Decision>> Apply(const EventRecord& event, Store& store);

  //! Evaluates every rule over every household (the fired bits of each household).
  void EvaluateRules();
  //! The decisions of every household at risk, from the last EvaluateRules (and Updates since).
  std::vector<Decision> Decide() const;
  //! The warnings of `decisions`, explanations as data, ready for Store::SaveWarnings (scope:
  //! the engine's area).
  WarningBatch Warnings(const std::vector<Decision>& decisions) const;
  //! The warning of one decision (category >= 0).
  WarningRecord Warning(const Decision& d) const;

  //! One household's features (dense index `row`).
  FeatureRow Row(uint32_t row) const;
  //! The dense index of a household by internal reference; nullopt when not held.
  std::optional<uint32_t> RowOf(int64_t household_ref) const;
  int64_t household_ref(uint32_t row) const { return household_ref_[row]; }
  //! The household's village code.
  const std::string& village(uint32_t row) const { return villages_[village_[row]]; }
  //! Bytes the engine holds per household (columns, indexes, fired bits).
  double BytesPerHousehold() const;
  //! Of BytesPerHousehold, the kept facts and the code index (0 without keep_facts).
  double FactBytesPerHousehold() const;
  const EngineOptions& options() const { return options_; }
  //! The facts kept for `row` (with its village's events), as the next Apply will use them;
  //! nullopt without keep_facts.
  std::optional<HouseholdFacts> KeptFacts(uint32_t row) const;
  //! How many households Apply has read from the store (rather than from kept facts).
  int64_t store_reads() const { return store_reads_; }
  //! Where Build() took the households from.
  const BuildSource& source() const { return source_; }

  //! Saves this engine as the store's engine image (image.h), replacing the last. Requires an
  //! engine built with keep_facts over every household (no area, no known_at); `imports`: the
  //! store's CommittedImports() read before the build began. Kind "engine_image_unfit" else.
  //! `households_per_chunk`: 0 for the default (65,536).
  StatusOr<EngineImageHead> SaveImage(Store& store, const ImportsSeen& imports, size_t households_per_chunk = 0) const;

 private:
  //! What a part reader gives per household: its facts, and with keep_facts possibly their
  //! encoding already (an image's record, against the strings of `pool` given to BuildInParts).
  using PartFn = std::function<Status(int part, HouseholdFacts& facts, std::string_view encoded)>;
  using PartReader = std::function<Status(int parts, const PartFn& fn)>;
  //! How many parts a build reads at once: options.parts, or one per core (at most 4).
  static int PartsFor(const EngineOptions& options);
  //! Fills part engines from `read` (ScanFactsInParts or an image's chunks) and joins them.
  //! `pool`: the strings the encoded records refer to (nullptr: a new pool).
  static StatusOr<std::unique_ptr<Engine>> BuildInParts(const RuleSet& rules, const EngineOptions& options,
                                                        const PartReader& read, std::shared_ptr<StringPool> pool);
  //! Build from the store's engine image and the changes since (image.cc); nullptr (with the
  //! reason in `not_used`) when there is no image that serves.
  static StatusOr<std::unique_ptr<Engine>> BuildFromImage(Store& store, const RuleSet& rules,
                                                          const EngineOptions& options, std::string* not_used);
  //! The household code of every row (keep_facts only), from the code index.
  std::vector<std::string> CodesByRow() const;
  uint32_t Put(const HouseholdFacts& facts, const FeatureRow& row);
  //! Takes over the households of `other`, a part built beside this one (Build): its rows
  //! follow this engine's.
  void Append(Engine&& other);
  //! Sorts the packed household codes (with their rows beside).
  void SortCodes();
  //! Merges the packed codes' two sorted runs, [0, sorted) and [sorted, end).
  void MergeCodes(size_t sorted);
  //! With keep_facts: keeps the facts of `row` (and of its village) and indexes its code;
  //! `encoded`, when given, is their encoding already (against this engine's string pool).
  void Keep(uint32_t row, const HouseholdFacts& facts, bool new_row, std::string_view encoded = {});
  //! Recomputes `row` from `facts` (its own events and its village's) and decides it.
  Decision Recompute(uint32_t row, HouseholdFacts& facts);
  //! The row of a household code from the code index (keep_facts only).
  std::optional<uint32_t> RowOfCode(const std::string& code) const;
  //! Applies a feed event to the kept facts; nullopt when the store must be read instead.
  std::optional<std::vector<Decision>> ApplyKept(const EventRecord& event);
  StatusOr<std::vector<Decision>> ApplyFromStore(const EventRecord& event, Store& store);
  uint32_t EvaluateRow(uint32_t row) const;
  void EvaluateRange(size_t from, size_t to);
  Decision DecideRow(uint32_t row, uint32_t fired) const;
  int64_t Score(uint32_t row, uint32_t fired) const;
  expr::Columns ColumnsView() const;

  const RuleSet& rules_;
  EngineOptions options_;
  // Columns, one per feature: numbers and money in `numbers_` (each at its narrowest width),
  // flags in `flags_` (the other
  // vector of a feature stays empty).
  std::vector<NumberColumn> numbers_;
  std::vector<std::vector<uint8_t>> flags_;
  std::vector<int64_t> max_stay_person_;
  std::vector<int32_t> max_stay_date_;
  std::vector<int64_t> household_ref_;
  std::vector<uint32_t> village_;          //!< index into villages_
  std::vector<std::string> villages_;
  std::unordered_map<std::string, uint32_t> village_index_;
  std::vector<uint32_t> fired_;            //!< per household: bit i = rule i fired
  std::vector<int32_t> row_of_ref_;        //!< household_ref -> row + 1 (0: not held)
  // keep_facts only: the facts, and household codes to rows. Codes of up to 17 digits are
  // packed (value * 32 + length) into `code_keys_` (sorted, rows beside); other codes and
  // households added after the build are in `other_codes_`.
  FactCache facts_;
  std::vector<uint64_t> code_keys_;
  std::vector<uint32_t> code_rows_;
  std::unordered_map<std::string, uint32_t> other_codes_;
  bool building_ = false;
  BuildSource source_;
  int64_t store_reads_ = 0;  //!< inside Build: codes are packed unsorted, sorted at the end
};

}  // namespace hearth
