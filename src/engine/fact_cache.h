// The engine's copy of every household's facts (事实缓存), compactly encoded, so that an event
// is decided without reading the store (Engine::Apply; EngineOptions::keep_facts).
//
// One byte arena holds, per household, a length-prefixed record of what ComputeFeatures reads:
// the household's fields, its members (ID numbers packed into 8 bytes, small fields into bits),
// its incomes, and its own feed events in force (dates and ids as deltas, payloads as interned
// keys and values). Village-wide events are kept once per village. Strings that repeat (payload
// keys, values such as "住院" or a date, event types) are interned in one pool.
//
// Not kept (ComputeFeatures does not read them): names, household codes, events' keys, import
// ids, source lines and recorded-at times. Decoding gives back every other field exactly; the
// engine's tests check that the features of the decoded facts equal those of the store's.
//
// Replacing a household's record appends the new record; the arena is compacted when more
// than half of it is records replaced.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/records.h"

namespace hearth {

//! Hashes text for maps looked up by string_view.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

//! The strings a fact cache interns (payload keys and values, event types, ...). One pool may be
//! shared by the caches of an engine's parts while they are built at once (Engine::Build):
//! interning locks; reading does not, and must not overlap another thread's interning.
class StringPool {
 public:
  uint32_t Intern(std::string_view text);
  const std::vector<std::string>& strings() const { return strings_; }
  size_t bytes() const;

 private:
  std::mutex mu_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> ids_;
  size_t string_bytes_ = 0;
};

class FactCache {
 public:
  FactCache() : pool_(std::make_shared<StringPool>()) {}
  //! Interns into `pool` from now on (before anything is put): the caches of an engine's parts
  //! built at once share one pool, so that their records can be joined by Append. Until
  //! Shrink, each keeps the strings it has met beside, so that it rarely takes the pool's lock.
  void SharePool(std::shared_ptr<StringPool> pool) {
    pool_ = std::move(pool);
    sharing_ = true;
  }
  //! Takes over the records of `other` (same pool): its row r becomes row `first_row` + r, its
  //! village v becomes `village_of[v]` (a village this cache already has keeps its record).
  void Append(FactCache&& other, uint32_t first_row, const std::vector<uint32_t>& village_of);

  //! Stores the facts of household `row` (rows are dense: 0, 1, ... in the order first put).
  //! Events with a village code (village-wide) are not part of the household's record: keep
  //! them with PutVillageEvents.
  void Put(uint32_t row, const HouseholdFacts& facts);
  //! The facts of `row` as put (household code, village code and household_ref left to the
  //! caller), with its village's events merged in (by effective date, then id).
  //! Precondition: `row` was put.
  void Get(uint32_t row, uint32_t village, HouseholdFacts* facts) const;
  //! True when `row` has been put.
  bool Has(uint32_t row) const { return row < offset_.size() && offset_[row] != kNone; }

  //! Replaces the village-wide events of village `village` (an index chosen by the caller).
  void PutVillageEvents(uint32_t village, const std::vector<EventRecord>& events);
  //! The village-wide events of `village`.
  std::vector<EventRecord> VillageEvents(uint32_t village) const;
  //! True when the village's events have been put (possibly none).
  bool HasVillage(uint32_t village) const { return village < village_.size() && village_known_[village]; }

  // --- the raw encoding, for engine images (engine/image.h) ---
  //! Stores a record as Record gave it, from a cache whose strings() this cache's pool begins
  //! with, in the same order (an engine image's).
  void PutRecord(uint32_t row, std::string_view record);
  //! The encoded record of `row` (which was put); valid until the next Put.
  std::string_view Record(uint32_t row) const;
  //! The encoded events of `village` ("" when it has none or is unknown).
  std::string_view VillageRecord(uint32_t village) const {
    return village < village_.size() ? std::string_view(village_[village]) : std::string_view();
  }
  //! The interned strings the records refer to.
  const std::vector<std::string>& strings() const { return pool_->strings(); }
  //! Decodes a record as Record gives it, with the village events `village_record` encodes
  //! (their village_code set to `village_code`, as the store gives them), against the strings
  //! the encoding referred to. Precondition: both came from a FactCache whose strings() are
  //! `strings`.
  static void Decode(std::string_view record, std::string_view village_record, std::string_view village_code,
                     const std::vector<std::string>& strings, HouseholdFacts* facts);

  //! Bytes held: the arena, offsets, village records and the string pool.
  size_t bytes() const;
  //! Releases unused capacity (after a build), and stops sharing the pool's lookaside.
  void Shrink();

 private:
  static constexpr uint64_t kNone = ~uint64_t{0};

  uint32_t Intern(std::string_view text);
  //! Stores `rec` as the record of `row` (replacing any, whose bytes become garbage).
  void StoreRecord(uint32_t row, std::string_view rec);
  void EncodeEvents(const std::vector<EventRecord>& events, const std::vector<PersonRecord>& members,
                    bool village, std::string* out);
  void EncodePayload(std::string_view json, std::string* out);
  void Compact();

  std::string arena_;               //!< records: varint length, then the record
  std::vector<uint64_t> offset_;    //!< per row: where its record starts, kNone when absent
  size_t garbage_ = 0;              //!< bytes of replaced records in the arena
  std::vector<std::string> village_;     //!< per village: its events, encoded
  std::vector<uint8_t> village_known_;
  std::shared_ptr<StringPool> pool_;
  bool sharing_ = false;
  //! While sharing the pool: the strings this cache has interned, so that it rarely locks.
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> seen_;
  std::string scratch_;       //!< the record being encoded
  std::string fields_;        //!< a payload's fields being encoded
};

}  // namespace hearth
