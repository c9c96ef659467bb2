#include "generate/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

namespace hearth::gen {
namespace {

TEST(RngTest, SameSeedStreamAndIndexGiveTheSameNumbers) {
  Rng a(7, Stream::kHouseholds, 3), b(7, Stream::kHouseholds, 3);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next());
}

TEST(RngTest, StreamsDiffer) {
  struct Case {
    uint64_t seed;
    Stream stream;
    uint64_t index;
  };
  const std::vector<Case> cases = {{7, Stream::kHouseholds, 3}, {8, Stream::kHouseholds, 3},
                                   {7, Stream::kFaults, 3},     {7, Stream::kHouseholds, 4},
                                   {0, Stream::kVillages, 0},   {0, Stream::kDisasters, 0}};
  std::vector<uint64_t> firsts;
  for (const Case& c : cases) firsts.push_back(Rng(c.seed, c.stream, c.index).Next());
  for (size_t i = 0; i < firsts.size(); ++i) {
    for (size_t j = i + 1; j < firsts.size(); ++j) EXPECT_NE(firsts[i], firsts[j]) << i << " " << j;
  }
}

// The raw stream is part of the output's definition: a change here changes every file.
TEST(RngTest, RawStreamIsFixed) {
  Rng rng(1, Stream::kHouseholds, 0);
  const uint64_t first = rng.Next();
  Rng again(1, Stream::kHouseholds, 0);
  EXPECT_EQ(again.Next(), first);
  EXPECT_EQ(Mix64(0), 0xE220A8397B1DCDAFULL);  // splitmix64 reference value
}

TEST(RngTest, DistributionsHaveTheirMoments) {
  Rng rng(99, Stream::kIds, 0);
  const int n = 200000;
  double sum = 0, sum_sq = 0, log_sum = 0;
  int heads = 0;
  std::array<int, 3> picks{};
  int64_t lo = 100, hi = -100;
  for (int i = 0; i < n; ++i) {
    const double z = rng.Normal();
    sum += z;
    sum_sq += z * z;
    log_sum += std::log(rng.LogNormal(1000.0, 0.5));
    heads += rng.Bernoulli(0.3) ? 1 : 0;
    picks[static_cast<size_t>(rng.Pick(std::array<double, 3>{1, 2, 7}))] += 1;
    const int64_t k = rng.UniformInt(-3, 5);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.02);
  EXPECT_NEAR(std::exp(log_sum / n), 1000.0, 10.0);  // the median
  EXPECT_NEAR(heads / static_cast<double>(n), 0.3, 0.005);
  EXPECT_NEAR(picks[2] / static_cast<double>(n), 0.7, 0.005);
  EXPECT_EQ(lo, -3);
  EXPECT_EQ(hi, 5);
}

TEST(RngTest, MonthlyFromAnnualCompoundsToTheYear) {
  for (double annual : {0.0, 0.01, 0.175, 0.5, 1.0}) {
    const double monthly = MonthlyFromAnnual(annual);
    EXPECT_NEAR(1.0 - std::pow(1.0 - monthly, 12), annual, 1e-12) << annual;
  }
}

TEST(RngTest, YuanToFenRoundsHalfAwayFromZero) {
  struct Case {
    double yuan;
    int64_t fen;
  };
  for (const Case& c : std::vector<Case>{{0.0, 0}, {12.345, 1235}, {1234.5, 123450}, {-0.005, -1}, {0.004, 0}}) {
    EXPECT_EQ(YuanToFen(c.yuan), c.fen) << c.yuan;
  }
}

}  // namespace
}  // namespace hearth::gen
