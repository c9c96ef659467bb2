// The SQLite backend's in-memory aids for a large department feed: a file of hundreds of
// thousands of rows asks, for every row, which registered persons carry an ID number
// (FindPersons) and which event is in force for a key (ActiveEventsByKey). Asked of SQLite one by
// one, each is a B-tree probe into a registry several times the page cache (~11 µs and ~3 µs a
// row). Once a transaction has asked enough of them, it reads the registry's persons once, in ID
// order, into a compact sorted index (PersonIndex), and the keys stored for the feed's event type
// into a set of hashes (KeyHashSet) that proves most keys new without a probe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace hearth::sqlite {
class Db;
}

namespace hearth::sqlite_impl {

//! The registered persons by ID number, with their households' codes and villages and their
//! relation to the head, as read in one pass over the persons_link index and one over the
//! households. About 33 bytes a person and 30 a household (0.15 GB for a registry of 1 M
//! households, 4 M persons).
class PersonIndex {
 public:
  //! Reads every person and household. The index answers only for a registry that does not
  //! change while it is used (a department feed never writes the registry).
  Status Load(sqlite::Db& db);
  //! The persons with `id_number`, ordered by household reference (as SQL's `ORDER BY
  //! household_id`); nullopt when the index cannot answer (not found: perhaps a person that a
  //! registration event introduced, which only SQL knows) and the caller asks SQL.
  std::optional<std::vector<PersonLink>> Find(std::string_view id_number) const;

  //! The 18-character ID number as one integer, in the same order as the text (the check
  //! character X after the digits); nullopt for anything else.
  static std::optional<uint64_t> Encode(std::string_view id_number);

 private:
  struct Household {
    uint32_t code_begin = 0, code_end = 0;
    uint32_t village = 0;  //!< index into villages_
  };
  size_t Slot(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_); }
  std::vector<uint64_t> keys_;         //!< sorted encoded ID numbers
  //! Open addressing over keys_: 1 + the position of a key's first entry, 0 for an empty slot
  //! (a binary search over 32 MB of keys missed the cache at every step: 2 µs a row).
  std::vector<uint32_t> slots_;
  int shift_ = 64;
  std::vector<int64_t> household_;     //!< keys_[i]'s household reference
  std::vector<uint32_t> name_end_;     //!< keys_[i]'s name is names_[name_end_[i-1], name_end_[i])
  std::vector<uint8_t> relation_;      //!< keys_[i]'s relation to the head (Relation's value)
  std::string names_;
  std::vector<Household> households_;  //!< by household reference (a dense rowid)
  std::string codes_;
  std::vector<std::string> villages_;
};

//! A set of 64-bit hashes of event keys (the stored events.key_hash, store_rules::EventKeyHash),
//! open addressing: 8 to 16 bytes a key. A key whose hash is absent was never stored; a key
//! whose hash is present may have been.
class KeyHashSet {
 public:
  static uint64_t Hash(std::string_view key);
  //! The slot value of a hash as stored in events.key_hash (Hash(key) == FromStored(stored)).
  static uint64_t FromStored(int64_t key_hash);
  void Insert(uint64_t hash);
  //! Room for `keys` keys in all without growing (a file's expected rows beside the stored keys).
  void Reserve(size_t keys);
  bool MayContain(uint64_t hash) const;
  size_t size() const { return size_; }

 private:
  void Grow();
  void Rehash(size_t slots);
  std::vector<uint64_t> slots_;  //!< 0: empty (a hash of 0 is stored as 1)
  size_t size_ = 0;
};

}  // namespace hearth::sqlite_impl
