// The in-memory aids of a large feed on SQLite: the ID number's integer form and the key set.
// (Their answers against the probes': StoreTest.FeedLookupsAnswerTheSameFromMemoryAsByProbe.)
#include "store/sqlite/feed_lookup.h"

#include <gtest/gtest.h>

#include <string>

#include "store/record_rules.h"

namespace hearth::sqlite_impl {
namespace {

TEST(PersonIndexTest, EncodesOnlyNormalisedIdNumbersInTheirTextOrder) {
  struct Case {
    const char* id;
    bool encodes;
  };
  const Case cases[] = {
      {"653221198001020011", true}, {"65322119800102001X", true}, {"000000000000000000", true},
      {"99999999999999999X", true}, {"65322119800102001x", false},  // normalised IDs have upper-case X
      {"6532211980010200", false},  {"6532211980010200111", false}, {"65322119800102X011", false},
      {"", false},                  {"653221 98001020011", false},
  };
  for (const Case& c : cases) EXPECT_EQ(PersonIndex::Encode(c.id).has_value(), c.encodes) << c.id;
  // Sorted as text, sorted as integers: the persons_link index's order is the index's.
  const std::string ordered[] = {"000000000000000000", "653221198001020011", "653221198001020019",
                                 "65322119800102001X", "653221198001020020", "99999999999999999X"};
  for (size_t i = 1; i < std::size(ordered); ++i) {
    EXPECT_LT(*PersonIndex::Encode(ordered[i - 1]), *PersonIndex::Encode(ordered[i])) << ordered[i];
  }
}

// events.key_hash is stored: these values may never change (a changed hash would hide every
// stored fact from its corrections and duplicates).
TEST(EventKeyHashTest, IsTheStoredHashOfAKey) {
  const struct {
    const char* key;
    int64_t hash;
  } cases[] = {
      {"", -1166397803181037274},
      {"a", -9033471704281723301},
      {"653221198001020011|2025-03-01", -3251037785876929434},
      {"653226198403285261|2025-05-17|2025-05-29|3233338", 8375243606826913322},
      {"村|653221100201|2025-03", 6880845979149969116},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(store_rules::EventKeyHash(c.key), c.hash) << c.key;
    EXPECT_EQ(KeyHashSet::Hash(c.key), KeyHashSet::FromStored(c.hash)) << c.key;
  }
  EXPECT_EQ(KeyHashSet::FromStored(0), 1u) << "0 marks an empty slot";
}

TEST(KeyHashSetTest, HoldsEveryInsertedHashAcrossGrowth) {
  // Grown insert by insert, and reserved part way (the keys held before moved, not lost).
  for (size_t reserve_at : {size_t{0}, size_t{100}, size_t{4999}}) {
    SCOPED_TRACE(reserve_at);
    KeyHashSet set;
    EXPECT_FALSE(set.MayContain(KeyHashSet::Hash("a")));
    for (int i = 0; i < 5000; ++i) {
      if (reserve_at > 0 && static_cast<size_t>(i) == reserve_at) set.Reserve(set.size() + 20000);
      set.Insert(KeyHashSet::Hash("key" + std::to_string(i)));
    }
    EXPECT_EQ(set.size(), 5000u);
    for (int i = 0; i < 5000; ++i) EXPECT_TRUE(set.MayContain(KeyHashSet::Hash("key" + std::to_string(i)))) << i;
    set.Reserve(10);  // smaller than held: nothing changes
    EXPECT_EQ(set.size(), 5000u);
    EXPECT_TRUE(set.MayContain(KeyHashSet::Hash("key4999")));
  }
  KeyHashSet set;
  for (int i = 0; i < 5000; ++i) set.Insert(KeyHashSet::Hash("key" + std::to_string(i)));
  set.Insert(KeyHashSet::Hash("key7"));  // again: no second entry
  EXPECT_EQ(set.size(), 5000u);
  for (int i = 0; i < 5000; ++i) EXPECT_TRUE(set.MayContain(KeyHashSet::Hash("key" + std::to_string(i)))) << i;
  int absent_found = 0;
  for (int i = 5000; i < 10000; ++i) absent_found += set.MayContain(KeyHashSet::Hash("key" + std::to_string(i)));
  EXPECT_EQ(absent_found, 0) << "64-bit hashes of 10,000 keys: a collision would be a 1 in 10^11 event";
  EXPECT_NE(KeyHashSet::Hash(""), 0u) << "0 marks an empty slot";
}

}  // namespace
}  // namespace hearth::sqlite_impl
