#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
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

}  // namespace
}  // namespace hearth::expr
