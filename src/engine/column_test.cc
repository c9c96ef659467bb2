#include "engine/column.h"

#include <gtest/gtest.h>

namespace hearth {
namespace {

TEST(NumberColumnTest, PushesAtTheNarrowestWidthAndWidensOnDemand) {
  struct {
    std::vector<int64_t> values;
    int width;
  } const cases[] = {
      {{0, 1, -128, 127}, 1},
      {{0, 128}, 2},
      {{-32769, 5}, 4},
      {{600000, -600000}, 4},
      {{INT32_MAX, INT32_MIN}, 4},
      {{int64_t{INT32_MAX} + 1}, 8},
      {{INT64_MIN, 0}, 8},
  };
  for (const auto& c : cases) {
    NumberColumn col;
    for (int64_t v : c.values) col.Push(v);
    EXPECT_EQ(col.width(), c.width);
    for (size_t r = 0; r < c.values.size(); ++r) EXPECT_EQ(col.Get(r), c.values[r]);
    EXPECT_EQ(col.wide() == nullptr, c.width != 8);
  }
  NumberColumn col;
  for (int64_t v : {1, 2, 3}) col.Push(v);
  ASSERT_EQ(col.width(), 1);
  col.Set(1, 70000);  // does not fit one byte: the column widens, nothing is truncated
  EXPECT_EQ(col.width(), 4);
  col.Push(-5'000'000'000);
  EXPECT_EQ(col.width(), 8);
  EXPECT_EQ(col.Get(0), 1);
  EXPECT_EQ(col.Get(1), 70000);
  EXPECT_EQ(col.Get(2), 3);
  EXPECT_EQ(col.Get(3), -5'000'000'000);
}

TEST(NumberColumnTest, AppendKeepsEveryValueWhateverTheWidths) {
  struct {
    std::vector<int64_t> first, second;
  } const cases[] = {
      {{1, -2}, {3, 4}},                        // same narrow width
      {{1, 2}, {70000, -3}},                     // the second is wider
      {{70000}, {1, 2, 3}},                      // the second is narrower
      {{}, {5'000'000'000, 1}},                  // into an empty column
      {{INT64_MIN}, {}},                         // nothing appended
      {{-128, 127}, {int64_t{INT32_MAX} + 1}},   // 1 byte, then 8
  };
  for (const auto& c : cases) {
    NumberColumn a, b;
    for (int64_t v : c.first) a.Push(v);
    for (int64_t v : c.second) b.Push(v);
    a.Append(b);
    std::vector<int64_t> want = c.first;
    want.insert(want.end(), c.second.begin(), c.second.end());
    ASSERT_EQ(a.size(), want.size());
    for (size_t r = 0; r < want.size(); ++r) EXPECT_EQ(a.Get(r), want[r]) << r;
  }
}

}  // namespace
}  // namespace hearth
