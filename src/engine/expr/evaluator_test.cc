#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/expr/expr.h"
#include "engine/expr/kernels.h"
#include "engine/expr/test_catalog.h"
#include "engine/expr/test_table.h"

namespace hearth::expr {
namespace {

using testing::HouseholdCatalog;
using testing::MustCompile;
using testing::Table;

// Column indexes of HouseholdCatalog().
enum Col : int {
  kTuopin = 0, kIncome = 1, kIncomePrev = 2, kMedical = 3, kIncomePrev12 = 4, kAssistance = 5,
  kLoss = 6, kMembers = 7, kRatio = 8, kTrigger = 9,
};

constexpr int64_t kMax = INT64_MAX;

struct Cell {
  int column;
  int64_t value;
};

// Evaluates `text` on one row holding `cells` (everything else 0), by both paths; they must
// agree, and each output byte must be 0 or 1.
bool EvalOneRow(std::string_view text, const std::vector<Cell>& cells) {
  Table table(1);
  for (const Cell& c : cells) {
    if (testing::IsBoolColumn(c.column)) {
      table.bools[c.column][0] = static_cast<uint8_t>(c.value);
    } else {
      table.numbers[c.column][0] = c.value;
    }
  }
  const Program program = MustCompile(text, HouseholdCatalog());
  uint8_t out = 7;
  Evaluate(program, table.View(), 0, 1, &out);
  EXPECT_TRUE(out == 0 || out == 1) << text << " wrote " << int{out};
  EXPECT_EQ(out != 0, EvaluateRow(program, table.View(), 0)) << text;
  return out != 0;
}

TEST(EvaluatorTest, ExactAtTheBoundaries) {
  struct Case {
    std::string_view text;
    std::vector<Cell> cells;
    bool expected;
  };
  const Case cases[] = {
      // Money against yuan: one fen decides.
      {"income_pc_12m < yuan(6000)", {{kIncome, 599999}}, true},
      {"income_pc_12m < yuan(6000)", {{kIncome, 600000}}, false},
      {"income_pc_12m <= yuan(6000)", {{kIncome, 600000}}, true},
      {"income_pc_12m < line", {{kIncome, 599999}}, true},
      {"income_pc_12m < line", {{kIncome, 600000}}, false},
      {"income_pc_12m == yuan(6000.01)", {{kIncome, 600001}}, true},
      // Half a fen is kept, never rounded: 0.5 * 3 fen = 1.5 fen.
      {"medical_selfpay_12m > 0.5 * income_prev_12m", {{kMedical, 1}, {kIncomePrev12, 3}}, false},
      {"medical_selfpay_12m > 0.5 * income_prev_12m", {{kMedical, 2}, {kIncomePrev12, 3}}, true},
      {"medical_selfpay_12m >= 0.5 * income_prev_12m", {{kMedical, 1}, {kIncomePrev12, 3}}, false},
      {"0.5 * income_prev_12m < medical_selfpay_12m", {{kMedical, 2}, {kIncomePrev12, 3}}, true},
      {"medical_selfpay_12m * 2 > income_prev_12m", {{kMedical, 1}, {kIncomePrev12, 3}}, false},
      {"income_pc_12m < 0.7 * income_pc_prev_12m", {{kIncome, 699}, {kIncomePrev, 1000}}, true},
      {"income_pc_12m < 0.7 * income_pc_prev_12m", {{kIncome, 700}, {kIncomePrev, 1000}}, false},
      {"income_pc_12m < 0.7 * income_pc_prev_12m", {{kIncome, 700}, {kIncomePrev, 1001}}, true},
      {"income_pc_12m * 10 < income_pc_prev_12m * 7", {{kIncome, 700}, {kIncomePrev, 1001}}, true},
      {"ratio * members > 7.5", {{kRatio, 2500}, {kMembers, 3}}, false},
      {"ratio * members > 7.5", {{kRatio, 2500}, {kMembers, 4}}, true},
      {"ratio == 2.5", {{kRatio, 2500}}, true},
      {"ratio + members == 4.5", {{kRatio, 2500}, {kMembers, 2}}, true},
      {"ratio - members == 0.5", {{kRatio, 2500}, {kMembers, 2}}, true},
      {"members - ratio == -0.5", {{kRatio, 2500}, {kMembers, 2}}, true},
      {"1 - ratio == -1.5", {{kRatio, 2500}}, true},
      // Negative numbers.
      {"members < -2.5", {{kMembers, -3}}, true},
      {"members < -2.5", {{kMembers, -2}}, false},
      {"members <= -3", {{kMembers, -3}}, true},
      {"-members > 2", {{kMembers, -3}}, true},
      {"abs(members) == 3", {{kMembers, -3}}, true},
      {"abs(ratio) == 2.5", {{kRatio, -2500}}, true},
      {"income_pc_12m - income_pc_prev_12m < yuan(-0.01)", {{kIncome, 100}, {kIncomePrev, 102}}, true},
      // min / max.
      {"min(members, ratio) == -3", {{kMembers, -3}, {kRatio, 2500}}, true},
      {"max(members, ratio) == 2.5", {{kMembers, -3}, {kRatio, 2500}}, true},
      {"max(members, 2.5) == 2.5", {{kMembers, 2}}, true},
      {"min(members, 2.5) == 2", {{kMembers, 2}}, true},
      {"max(income_pc_12m, income_prev_12m) >= trig_x", {{kIncome, 9999}, {kIncomePrev12, 10000}}, true},
      {"max(income_pc_12m, income_prev_12m) >= trig_x", {{kIncome, 9999}, {kIncomePrev12, 9998}}, false},
      // Bools: anything non-zero is true, outputs are 0/1.
      {"is_tuopin && !has_assistance", {{kTuopin, 1}}, true},
      {"is_tuopin && !has_assistance", {{kTuopin, 1}, {kAssistance, 1}}, false},
      {"is_tuopin", {{kTuopin, 2}}, true},
      {"is_tuopin == has_assistance", {{kTuopin, 2}, {kAssistance, 255}}, true},
      {"is_tuopin != has_assistance", {{kTuopin, 2}, {kAssistance, 0}}, true},
      {"!is_tuopin", {{kTuopin, 4}}, false},
      {"is_tuopin || has_assistance", {{kAssistance, 9}}, true},
      {"strict && is_tuopin", {{kTuopin, 1}}, true},
      {"true", {}, true},
      {"1 > 2", {}, false},
      {"trigger.medical_selfpay > trig_x", {{kTrigger, 10001}}, true},
      // Outside int64: saturation keeps values on the right side of in-range values.
      {"members > ratio", {{kMembers, 100'000'000'000'000'000}, {kRatio, 5'000'000'000'000'000'000}}, true},
      {"members < ratio", {{kMembers, -100'000'000'000'000'000}, {kRatio, -5'000'000'000'000'000'000}}, true},
      {"members * members > 0", {{kMembers, 4'000'000'000}}, true},
      {"members * members > 0", {{kMembers, -4'000'000'000}}, true},
      {"members * -members < 0", {{kMembers, 4'000'000'000}}, true},
      {"income_pc_12m - income_prev_12m > 0", {{kIncome, kMax - 1}, {kIncomePrev12, -1'000'000'000'000'000'000}}, true},
      {"income_pc_12m + income_prev_12m < 0", {{kIncome, -kMax}, {kIncomePrev12, -1'000'000'000'000'000'000}}, true},
      {"-members > 0", {{kMembers, INT64_MIN}}, true},
      {"abs(members) > 0", {{kMembers, INT64_MIN}}, true},
      {"members < 1.5", {{kMembers, kMax}}, false},
      {"members > -1.5", {{kMembers, INT64_MIN}}, false},
  };
  for (const Case& c : cases) EXPECT_EQ(EvalOneRow(c.text, c.cells), c.expected) << c.text;
}

// Rules with a reference written by hand in 128-bit arithmetic.
struct RuleWithReference {
  std::string_view text;
  std::function<bool(const Table&, size_t)> reference;
};

std::vector<RuleWithReference> RulesWithReferences() {
  using W = __int128;
  return {
      {"is_tuopin && income_pc_12m < line",
       [](const Table& t, size_t r) { return t.bools[kTuopin][r] != 0 && t.numbers[kIncome][r] < 600000; }},
      {"medical_selfpay_12m > 0.5 * income_prev_12m && !has_assistance",
       [](const Table& t, size_t r) {
         return W{t.numbers[kMedical][r]} * 10 > W{t.numbers[kIncomePrev12][r]} * 5 && t.bools[kAssistance][r] == 0;
       }},
      {"income_pc_12m < 0.7 * income_pc_prev_12m || disaster_loss_12m >= yuan(10000)",
       [](const Table& t, size_t r) {
         return W{t.numbers[kIncome][r]} * 10 < W{t.numbers[kIncomePrev][r]} * 7 || t.numbers[kLoss][r] >= 1000000;
       }},
      {"max(income_pc_12m, income_prev_12m) >= trig_x",
       [](const Table& t, size_t r) { return std::max(t.numbers[kIncome][r], t.numbers[kIncomePrev12][r]) >= 10000; }},
      {"ratio + members > 1.5",
       [](const Table& t, size_t r) { return W{t.numbers[kRatio][r]} + W{t.numbers[kMembers][r]} * 1000 > 1500; }},
      {"abs(members - 3) <= 2 && -ratio < 0",
       [](const Table& t, size_t r) {
         const W d = W{t.numbers[kMembers][r]} - 3;
         return (d < 0 ? -d : d) <= 2 && t.numbers[kRatio][r] > 0;
       }},
  };
}

// Random households: money up to 20,000 yuan (a tenth exactly at the line), small counts.
Table RandomTable(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Table t(rows);
  std::uniform_int_distribution<int64_t> money(-100000, 2000000);
  std::uniform_int_distribution<int64_t> small(-8, 8);
  for (size_t r = 0; r < rows; ++r) {
    for (int c = 0; c < testing::kColumnCount; ++c) {
      if (testing::IsBoolColumn(c)) {
        t.bools[c][r] = static_cast<uint8_t>(rng() % 3 == 0 ? 0 : rng() % 4);
      } else if (c == kMembers) {
        t.numbers[c][r] = small(rng);
      } else if (c == kRatio) {
        t.numbers[c][r] = small(rng) * 250;
      } else {
        t.numbers[c][r] = rng() % 10 == 0 ? 600000 : money(rng);
      }
    }
  }
  return t;
}

TEST(EvaluatorTest, AgreesWithTheReferenceAcrossChunkBoundaries) {
  const Catalog catalog = HouseholdCatalog();
  for (size_t rows : {size_t{1}, size_t{1023}, size_t{1024}, size_t{1025}, size_t{5000}}) {
    const Table table = RandomTable(rows, rows);
    for (const RuleWithReference& rule : RulesWithReferences()) {
      const Program program = MustCompile(rule.text, catalog);
      std::vector<uint8_t> all(rows, 9);
      Evaluate(program, table.View(), 0, rows, all.data());
      const size_t begin = rows / 3;
      std::vector<uint8_t> part(rows - begin + 1, 9);
      Evaluate(program, table.View(), begin, rows, part.data());
      EXPECT_EQ(part.back(), 9) << "wrote past the end";
      for (size_t r = 0; r < rows; ++r) {
        const bool expected = rule.reference(table, r);
        ASSERT_EQ(all[r], expected ? 1 : 0) << rule.text << " row " << r << " of " << rows;
        ASSERT_EQ(EvaluateRow(program, table.View(), r), expected) << rule.text << " row " << r;
        if (r >= begin) {
          ASSERT_EQ(part[r - begin], all[r]) << rule.text << " row " << r;
        }
      }
    }
  }
}

// (members * 1) + ((members * 2) + (... + (members * n))) keeps n intermediate values alive at
// once: enough registers to shrink the chunks (n = 12) or to need the heap (n = 45).
TEST(EvaluatorTest, RulesWithManyIntermediateValues) {
  const Table table = RandomTable(5000, 5);
  for (int n : {3, 12, 45}) {
    std::string sum = "(members * " + std::to_string(n) + ")";
    for (int k = n - 1; k >= 1; --k) sum = "(members * " + std::to_string(k) + ") + (" + sum + ")";
    const Program program = MustCompile(sum + " > 0", HouseholdCatalog());
    EXPECT_NE(program.DebugString().find("w" + std::to_string(n - 1) + " "), std::string::npos) << n;
    std::vector<uint8_t> out(5000);
    Evaluate(program, table.View(), 0, 5000, out.data());
    for (size_t r = 0; r < 5000; ++r) {
      ASSERT_EQ(out[r], table.numbers[kMembers][r] > 0 ? 1 : 0) << n << " row " << r;
      ASSERT_EQ(EvaluateRow(program, table.View(), r), table.numbers[kMembers][r] > 0) << n << " row " << r;
    }
  }
}

TEST(EvaluatorTest, EmptyRangeWritesNothing) {
  const Table table(4);
  const Program program = MustCompile("true", HouseholdCatalog());
  uint8_t out = 9;
  Evaluate(program, table.View(), 2, 2, &out);
  EXPECT_EQ(out, 9);
}

TEST(EvaluatorTest, ProgramsAreCopyableAndShareable) {
  const Table table = RandomTable(3000, 3);
  const Program a = MustCompile("is_tuopin && income_pc_12m < line", HouseholdCatalog());
  const Program b = a;  // NOLINT: the copy is the test
  std::vector<uint8_t> x(3000);
  std::vector<uint8_t> y(3000);
  Evaluate(a, table.View(), 0, 3000, x.data());
  Evaluate(b, table.View(), 0, 3000, y.data());
  EXPECT_EQ(x, y);
  EXPECT_EQ(a.DebugString(), b.DebugString());
}

TEST(EvaluatorTest, EvaluateAllMatchesEvaluate) {
  const Table table = RandomTable(5000, 9);
  std::vector<Program> programs;
  for (const RuleWithReference& rule : RulesWithReferences()) programs.push_back(MustCompile(rule.text, HouseholdCatalog()));
  programs.push_back(MustCompile("true", HouseholdCatalog()));
  const size_t begin = 17;
  const size_t rows = 5000 - begin;
  std::vector<std::vector<uint8_t>> together(programs.size(), std::vector<uint8_t>(rows + 1, 9));
  std::vector<uint8_t*> outs;
  for (auto& out : together) outs.push_back(out.data());
  EvaluateAll(programs, table.View(), begin, 5000, outs);
  for (size_t i = 0; i < programs.size(); ++i) {
    std::vector<uint8_t> alone(rows + 1, 9);
    Evaluate(programs[i], table.View(), begin, 5000, alone.data());
    EXPECT_EQ(together[i], alone) << programs[i].DebugString();
  }
}

// Rows whose number columns fill the range of a signed integer of widths[i] bytes: a third
// at its extremes and around zero (INT16_MIN, INT16_MIN + 1, -1, 0, 1, INT16_MAX - 1,
// INT16_MAX for width 2), the rest anywhere in it.
Table WidthFillingTable(size_t rows, const std::vector<int>& widths, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Table t = RandomTable(rows, seed);  // bools
  for (int c = 0; c < testing::kColumnCount; ++c) {
    if (testing::IsBoolColumn(c)) continue;
    const int width = widths[static_cast<size_t>(c)];
    const int64_t max = width >= 8 ? INT64_MAX : (int64_t{1} << (8 * width - 1)) - 1;
    const int64_t min = -max - 1;
    const int64_t edges[] = {min, min + 1, -1, 0, 1, max - 1, max};
    for (size_t r = 0; r < rows; ++r) {
      const uint64_t x = rng();
      if (x % 3 == 0) {
        t.numbers[c][r] = edges[(x >> 8) % std::size(edges)];
      } else if (width >= 8) {
        t.numbers[c][r] = static_cast<int64_t>(rng());
      } else {
        const uint64_t span = static_cast<uint64_t>(max) - static_cast<uint64_t>(min) + 1;
        t.numbers[c][r] = static_cast<int64_t>(static_cast<uint64_t>(min) + rng() % span);
      }
    }
  }
  return t;
}

// Rules over narrow columns: comparisons at the extremes of every width, arithmetic that
// leaves the narrow range, steps with two narrow operands, scaled operands.
constexpr const char* kNarrowRules[] = {
    "members < -128", "members <= -128", "members >= 127", "members > 127", "members == -1",
    "members == -32768", "members >= 32767", "members > 32767", "members < -32768",
    "members < -2147483648", "members <= -2147483648", "members == 2147483647", "members > 2147483647",
    "members > 0.5", "members < -0.5", "ratio < 0.127", "ratio >= -32.768", "ratio == 2147483.647",
    "-members > 0", "abs(members) >= 128", "abs(members) > 2147483647", "members * members > 16129",
    "members * ratio < 0", "min(members, ratio) == ratio", "max(members, ratio) > 100", "ratio * 3 > members",
    "ratio + members > 1.5", "members - ratio < -0.001", "members + members > members",
    "is_tuopin && income_pc_12m < line", "income_pc_12m < income_prev_12m",
    "medical_selfpay_12m > 0.5 * income_prev_12m && !has_assistance",
    "income_pc_12m < 0.7 * income_pc_prev_12m || disaster_loss_12m >= yuan(10000)",
    "max(income_pc_12m, income_prev_12m) >= trig_x", "income_pc_12m - income_prev_12m > 0",
    "income_pc_12m + income_prev_12m < yuan(-1)", "income_pc_12m * 10 < income_pc_prev_12m * 7",
    "trigger.medical_selfpay > trig_x && medical_selfpay_12m > yuan(5000)",
    "disaster_loss_12m == trigger.medical_selfpay || members == ratio",
};

// Narrow columns give exactly what the same values as int64 give: Evaluate (whole range and
// a part), EvaluateAll and EvaluateRow, at every width, across chunk boundaries.
TEST(EvaluatorTest, NarrowColumnsAgreeWithInt64AcrossChunkBoundaries) {
  struct Presentation {
    const char* name;
    std::vector<int> widths;  // by column; 8 keeps a column int64
  };
  const Presentation presentations[] = {
      {"all int8", std::vector<int>(testing::kColumnCount, 1)},
      {"all int16", std::vector<int>(testing::kColumnCount, 2)},
      {"all int32", std::vector<int>(testing::kColumnCount, 4)},
      {"mixed", {8, 1, 2, 4, 8, 8, 4, 2, 1, 4}},
      {"mixed, int64 extremes", {8, 8, 4, 2, 1, 8, 2, 8, 4, 1}},
  };
  const Catalog catalog = HouseholdCatalog();
  std::vector<Program> programs;
  for (const char* rule : kNarrowRules) programs.push_back(MustCompile(rule, catalog));
  for (const Presentation& p : presentations) {
    for (size_t rows : {size_t{1}, size_t{1023}, size_t{1024}, size_t{1025}, size_t{5000}}) {
      const Table table = WidthFillingTable(rows, p.widths, rows * 31 + p.widths[1]);
      const testing::NarrowTable narrow(table, p.widths);
      const Columns wide_cols = table.View();
      const Columns narrow_cols = narrow.View();
      std::vector<std::vector<uint8_t>> together(programs.size(), std::vector<uint8_t>(rows + 1, 9));
      std::vector<uint8_t*> outs;
      for (auto& out : together) outs.push_back(out.data());
      EvaluateAll(programs, narrow_cols, 0, rows, outs);
      const size_t begin = rows / 3;
      for (size_t i = 0; i < programs.size(); ++i) {
        const std::string where = std::string(p.name) + ", " + std::to_string(rows) + " rows: " + kNarrowRules[i];
        std::vector<uint8_t> expected(rows + 1, 9);
        Evaluate(programs[i], wide_cols, 0, rows, expected.data());
        std::vector<uint8_t> alone(rows + 1, 9);
        Evaluate(programs[i], narrow_cols, 0, rows, alone.data());
        ASSERT_EQ(alone, expected) << where;
        ASSERT_EQ(together[i], expected) << where;
        std::vector<uint8_t> part(rows - begin + 1, 9);
        Evaluate(programs[i], narrow_cols, begin, rows, part.data());
        ASSERT_TRUE(std::equal(part.begin(), part.end(), expected.begin() + static_cast<std::ptrdiff_t>(begin))) << where;
        for (size_t r = 0; r < rows; ++r) {
          ASSERT_EQ(EvaluateRow(programs[i], narrow_cols, r), expected[r] != 0) << where << " row " << r;
        }
      }
    }
  }
}

// A number column index past the end of Columns::numbers is narrow too.
TEST(EvaluatorTest, NarrowColumnsWithoutInt64Pointers) {
  const Table table = WidthFillingTable(3000, std::vector<int>(testing::kColumnCount, 2), 77);
  const testing::NarrowTable narrow(table, std::vector<int>(testing::kColumnCount, 2));
  Columns cols = narrow.View();
  cols.numbers.resize(1);  // column 0 is a bool: every number column is past the end
  const Program program = MustCompile("members >= -32767 && ratio * 2 < members", HouseholdCatalog());
  std::vector<uint8_t> expected(3000);
  std::vector<uint8_t> got(3000);
  Evaluate(program, table.View(), 0, 3000, expected.data());
  Evaluate(program, cols, 0, 3000, got.data());
  EXPECT_EQ(got, expected);
}

// Twelve rules of a policy, over the household columns.
constexpr const char* kTimedRules[] = {
    "is_tuopin && income_pc_12m < line",
    "medical_selfpay_12m > 0.5 * income_prev_12m && !has_assistance",
    "income_pc_12m < 0.7 * income_pc_prev_12m || disaster_loss_12m >= yuan(10000)",
    "max(income_pc_12m, income_prev_12m) >= trig_x",
    "!is_tuopin && income_pc_12m < 1.5 * line",
    "income_pc_12m < line && income_pc_prev_12m >= line",
    "disaster_loss_12m > 0.3 * income_prev_12m",
    "members >= 5 && income_pc_12m < yuan(8000)",
    "has_assistance && income_pc_12m > 2 * line",
    "income_pc_prev_12m - income_pc_12m > yuan(2000)",
    "trigger.medical_selfpay > trig_x && medical_selfpay_12m > yuan(5000)",
    "is_tuopin && ratio < 0.5",
};

// The best of seven runs of `f`, in milliseconds.
template <typename F>
double BestMs(F f) {
  double best = 1e9;
  for (int rep = 0; rep < 7; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    f();
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

// Prints, never asserts: timing depends on the machine (and on what else runs on it).
TEST(EvaluatorTimingTest, PrintsMillisecondsPerMillionRows) {
  constexpr size_t kRows = 1'000'000;
  const Table table = RandomTable(kRows, 42);
  const Columns cols = table.View();
  std::vector<Program> programs;
  for (const char* rule : kTimedRules) programs.push_back(MustCompile(rule, HouseholdCatalog()));
  std::printf("[ timing ] kernels: %s; %zu rows; a table of %d columns (%.0f MB)\n",
              std::string(KernelLevelName(BestKernelLevel())).c_str(), kRows, testing::kColumnCount,
              kRows * (8.0 * 8 + 2) / 1e6);

  std::vector<std::vector<uint8_t>> outs(programs.size(), std::vector<uint8_t>(kRows));
  double alone_ms = 0;
  for (size_t i = 0; i < programs.size(); ++i) {
    const double ms = BestMs([&] { Evaluate(programs[i], cols, 0, kRows, outs[i].data()); });
    alone_ms += ms;
    std::printf("[ timing ] %7.3f ms  %s\n", ms, kTimedRules[i]);
  }
  std::printf("[ timing ] %7.3f ms  the %zu rules one after the other\n", alone_ms, programs.size());

  // The way a caller that works chunk by chunk calls it: each rule on 2048 rows at a time.
  const double chunked_ms = BestMs([&] {
    for (size_t begin = 0; begin < kRows; begin += 2048) {
      for (size_t i = 0; i < programs.size(); ++i) {
        Evaluate(programs[i], cols, begin, std::min(kRows, begin + 2048), outs[i].data() + begin);
      }
    }
  });
  std::printf("[ timing ] %7.3f ms  the %zu rules, each called per 2048-row chunk\n", chunked_ms, programs.size());

  std::vector<uint8_t*> out_ptrs;
  for (auto& out : outs) out_ptrs.push_back(out.data());
  const double all_ms = BestMs([&] { EvaluateAll(programs, cols, 0, kRows, out_ptrs); });
  std::printf("[ timing ] %7.3f ms  the %zu rules in one pass (EvaluateAll)\n", all_ms, programs.size());

  // Cache-resident: the first 100,000 rows (0.8 MB a column) ten times, so compute shows.
  const double warm_ms = BestMs([&] {
    for (int pass = 0; pass < 10; ++pass) EvaluateAll(programs, cols, 0, kRows / 10, out_ptrs);
  });
  std::printf("[ timing ] %7.3f ms  the %zu rules in one pass over 10 x 100,000 cache-resident rows\n", warm_ms,
              programs.size());

  // The floor: reading every column the rules use once, and nothing else.
  int64_t sink = 0;
  const double read_ms = BestMs([&] {
    for (const auto& column : table.numbers) {
      for (int64_t v : column) sink += v;
    }
    for (const auto& column : table.bools) {
      for (uint8_t v : column) sink += v;
    }
  });
  std::printf("[ timing ] %7.3f ms  just reading those columns once (memory floor; %lld)\n", read_ms,
              static_cast<long long>(sink % 10));

  const Program& program = programs[1];
  size_t hits = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t r = 0; r < kRows; ++r) hits += EvaluateRow(program, cols, r);
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
  std::printf("[ timing ] %7.1f ns per row by EvaluateRow (%zu hits)  %s\n", took.count() / kRows, hits, kTimedRules[1]);
}

// The twelve rules and three more: a policy screen of fifteen rules.
std::vector<std::string> FifteenRules() {
  std::vector<std::string> rules(std::begin(kTimedRules), std::end(kTimedRules));
  rules.push_back("members <= 2 && disaster_loss_12m > yuan(3000)");
  rules.push_back("ratio >= 1.25 || income_prev_12m < 2 * line");
  rules.push_back("medical_selfpay_12m - trigger.medical_selfpay > 0 && !is_tuopin");
  return rules;
}

// EvaluateAll of `programs` over `cols` on `threads` threads, each taking a contiguous half.
void EvaluateOnThreads(const std::vector<Program>& programs, const Columns& cols, int threads,
                       std::vector<std::vector<uint8_t>>& outs) {
  const size_t rows = cols.rows;
  auto run = [&](size_t begin, size_t end) {
    std::vector<uint8_t*> ptrs;
    for (auto& out : outs) ptrs.push_back(out.data() + begin);
    EvaluateAll(programs, cols, begin, end, ptrs);
  };
  if (threads == 1) return run(0, rows);
  std::vector<std::thread> pool;
  const size_t per = (rows / threads + 1023) / 1024 * 1024;
  for (int t = 0; t < threads; ++t) {
    const size_t begin = std::min(rows, per * static_cast<size_t>(t));
    const size_t end = t + 1 == threads ? rows : std::min(rows, begin + per);
    pool.emplace_back(run, begin, end);
  }
  for (std::thread& th : pool) th.join();
}

// Prints, never asserts: fifteen rules over a million households, every number column int64
// against each at its narrowest width (int32 money, int8/int16 counts and ratios).
TEST(EvaluatorTimingTest, NarrowColumnsAgainstInt64) {
  constexpr size_t kRows = 1'000'000;
  const Table table = RandomTable(kRows, 43);
  std::vector<int> widths(testing::kColumnCount, 8);
  double narrow_bytes = 0;
  double wide_bytes = 0;
  for (int c = 0; c < testing::kColumnCount; ++c) {
    if (testing::IsBoolColumn(c)) continue;
    widths[static_cast<size_t>(c)] = testing::NarrowestWidth(table.numbers[c]);
    narrow_bytes += kRows * widths[static_cast<size_t>(c)];
    wide_bytes += kRows * 8.0;
  }
  const testing::NarrowTable narrow(table, widths);
  std::vector<Program> programs;
  for (const std::string& rule : FifteenRules()) programs.push_back(MustCompile(rule, HouseholdCatalog()));
  std::string width_list;
  for (int c = 0; c < testing::kColumnCount; ++c) {
    if (!testing::IsBoolColumn(c)) width_list += std::to_string(widths[static_cast<size_t>(c)]) + " ";
  }
  std::printf("[ timing ] kernels: %s; %zu rules over %zu rows; number column widths: %s(%.0f MB instead of %.0f MB)\n",
              std::string(KernelLevelName(BestKernelLevel())).c_str(), programs.size(), kRows, width_list.c_str(),
              narrow_bytes / 1e6, wide_bytes / 1e6);
  std::vector<std::vector<uint8_t>> wide_outs(programs.size(), std::vector<uint8_t>(kRows));
  std::vector<std::vector<uint8_t>> narrow_outs(programs.size(), std::vector<uint8_t>(kRows));
  for (int threads : {1, 2}) {
    const double wide_ms = BestMs([&] { EvaluateOnThreads(programs, table.View(), threads, wide_outs); });
    const double narrow_ms = BestMs([&] { EvaluateOnThreads(programs, narrow.View(), threads, narrow_outs); });
    std::printf("[ timing ] %d thread%s: %7.3f ms all int64, %7.3f ms narrow (EvaluateAll, best of 7)\n", threads,
                threads == 1 ? " " : "s", wide_ms, narrow_ms);
  }
  // Cache-resident (10 x the first 100,000 rows), so the compute shows.
  std::vector<uint8_t*> ptrs;
  for (auto& out : narrow_outs) ptrs.push_back(out.data());
  const Columns wide_cols = table.View();
  const Columns narrow_cols = narrow.View();
  const double warm_wide = BestMs([&] {
    for (int pass = 0; pass < 10; ++pass) EvaluateAll(programs, wide_cols, 0, kRows / 10, ptrs);
  });
  const double warm_narrow = BestMs([&] {
    for (int pass = 0; pass < 10; ++pass) EvaluateAll(programs, narrow_cols, 0, kRows / 10, ptrs);
  });
  std::printf("[ timing ] cache-resident 10 x 100,000 rows: %7.3f ms int64, %7.3f ms narrow\n", warm_wide, warm_narrow);
  EvaluateOnThreads(programs, table.View(), 1, wide_outs);
  EvaluateOnThreads(programs, narrow.View(), 1, narrow_outs);
  EXPECT_EQ(wide_outs, narrow_outs);
}

}  // namespace
}  // namespace hearth::expr
