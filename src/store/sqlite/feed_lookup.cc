#include "store/sqlite/feed_lookup.h"

#include <algorithm>
#include <unordered_map>

#include "store/record_rules.h"
#include "store/sqlite/db.h"

namespace hearth::sqlite_impl {

std::optional<uint64_t> PersonIndex::Encode(std::string_view id) {
  if (id.size() != 18) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(id[i] - '0');
  }
  uint64_t check;
  if (id[17] >= '0' && id[17] <= '9') {
    check = static_cast<uint64_t>(id[17] - '0');
  } else if (id[17] == 'X') {
    check = 10;
  } else {
    return std::nullopt;
  }
  return v * 11 + check;  // < 1.1e18: fits, and keeps the text's order ('0' < '9' < 'X')
}

namespace {

// The largest rowid a query gives (a table has about as many rows: rowids are dense), to size
// arrays once instead of growing them by copies. Reserved memory that is never written costs
// no page, so the text pools are reserved generously.
int64_t MaxRowId(sqlite::Db& db, const char* sql) {
  int64_t max = 0;
  if (auto q = db.Prepare(sql); q.ok()) {
    if (StatusOr<bool> row = q->Step(); row.ok() && *row) max = q->Int(0);
  }
  return std::clamp<int64_t>(max, 0, int64_t{1} << 32);
}

}  // namespace

Status PersonIndex::Load(sqlite::Db& db) {
  const auto households = static_cast<size_t>(MaxRowId(db, "SELECT COALESCE(MAX(id), 0) FROM households"));
  const auto persons = static_cast<size_t>(MaxRowId(db, "SELECT COALESCE(MAX(id), 0) FROM persons"));
  households_.resize(households + 1);
  codes_.reserve(households * 32);
  keys_.reserve(persons);
  household_.reserve(persons);
  name_end_.reserve(persons);
  relation_.reserve(persons);
  names_.reserve(persons * 24);
  {
    HEARTH_ASSIGN_OR_RETURN(sqlite::Stmt q, db.Prepare("SELECT id, household_code, village_code FROM households"));
    std::unordered_map<std::string, uint32_t> village_of;
    HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
      auto id = static_cast<size_t>(q.Int(0));
      if (id >= households_.size()) households_.resize(std::max(id + 1, households_.size() * 2));
      Household& h = households_[id];
      h.code_begin = static_cast<uint32_t>(codes_.size());
      codes_ += q.View(1);
      h.code_end = static_cast<uint32_t>(codes_.size());
      auto [it, added] = village_of.try_emplace(std::string(q.View(2)), static_cast<uint32_t>(villages_.size()));
      if (added) villages_.push_back(it->first);
      h.village = it->second;
    }));
  }
  // The persons_link index gives (ID number, household, name, relation) in ID order: the keys
  // arrive sorted.
  HEARTH_ASSIGN_OR_RETURN(sqlite::Stmt q, db.Prepare("SELECT id_number, household_id, name, relation FROM persons "
                                                     "ORDER BY id_number, household_id"));
  bool sorted = true, known = true;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] {
    std::optional<uint64_t> key = Encode(q.View(0));
    if (!key) return;  // only SQL answers for it (Find never looks it up)
    int64_t household = q.Int(1);
    if (household <= 0 || static_cast<size_t>(household) >= households_.size()) known = false;
    if (!keys_.empty() && *key < keys_.back()) sorted = false;
    keys_.push_back(*key);
    household_.push_back(household);
    names_ += q.View(2);
    name_end_.push_back(static_cast<uint32_t>(names_.size()));
    const int64_t relation = q.Int(3);
    if (relation < 1 || relation > UINT8_MAX) known = false;
    relation_.push_back(static_cast<uint8_t>(relation));
  }));
  if (!sorted || !known || codes_.size() > UINT32_MAX || names_.size() > UINT32_MAX || keys_.size() >= UINT32_MAX / 2) {
    return Status(StatusCode::kInternal, "person_index", "the persons could not be indexed in memory");
  }
  // A table of at least twice as many slots as keys (a power of two), multiplicative hashing.
  size_t bits = 1;
  while ((size_t{1} << bits) < keys_.size() * 2) ++bits;
  shift_ = 64 - static_cast<int>(bits);
  slots_.assign(size_t{1} << bits, 0);
  const size_t mask = slots_.size() - 1;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (i > 0 && keys_[i] == keys_[i - 1]) continue;  // the first of equal keys stands for them
    size_t slot = Slot(keys_[i]);
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<uint32_t>(i + 1);
  }
  return Status::Ok();
}

std::optional<std::vector<PersonLink>> PersonIndex::Find(std::string_view id_number) const {
  std::optional<uint64_t> key = Encode(id_number);
  if (!key) return std::nullopt;
  if (slots_.empty()) return std::nullopt;
  const size_t mask = slots_.size() - 1;
  size_t first = 0;
  for (size_t slot = Slot(*key);; slot = (slot + 1) & mask) {
    if (slots_[slot] == 0) return std::nullopt;
    if (keys_[slots_[slot] - 1] == *key) {
      first = slots_[slot] - 1;
      break;
    }
  }
  std::vector<PersonLink> links;
  for (size_t i = first; i < keys_.size() && keys_[i] == *key; ++i) {
    const Household& h = households_[static_cast<size_t>(household_[i])];
    uint32_t name_begin = i == 0 ? 0 : name_end_[i - 1];
    links.push_back({codes_.substr(h.code_begin, h.code_end - h.code_begin), villages_[h.village],
                     names_.substr(name_begin, name_end_[i] - name_begin), household_[i],
                     static_cast<Relation>(relation_[i])});
  }
  return links;
}

uint64_t KeyHashSet::Hash(std::string_view key) { return FromStored(store_rules::EventKeyHash(key)); }

uint64_t KeyHashSet::FromStored(int64_t key_hash) {
  auto h = static_cast<uint64_t>(key_hash);
  return h == 0 ? 1 : h;
}

void KeyHashSet::Insert(uint64_t hash) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i] == hash) return;
    if (slots_[i] == 0) {
      slots_[i] = hash;
      ++size_;
      return;
    }
  }
}

bool KeyHashSet::MayContain(uint64_t hash) const {
  if (slots_.empty()) return false;
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i] == hash) return true;
    if (slots_[i] == 0) return false;
  }
}

void KeyHashSet::Reserve(size_t keys) {
  size_t slots = 1024;
  while (slots < keys * 2) slots *= 2;
  if (slots > slots_.size()) Rehash(slots);
}

void KeyHashSet::Grow() { Rehash(std::max<size_t>(1024, slots_.size() * 2)); }

void KeyHashSet::Rehash(size_t slots) {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(slots, 0);
  size_ = 0;
  for (uint64_t h : old) {
    if (h != 0) Insert(h);
  }
}

}  // namespace hearth::sqlite_impl
