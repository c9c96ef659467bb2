// Random numbers for the generator: reproducible by seed on every platform and library version.
//
// Every purpose draws from its own stream, derived from (seed, stream, index) with splitmix64,
// so that e.g. household block 17 always sees the same numbers whatever the number of threads,
// and adding a draw to one part never shifts another part. The generator is xoshiro256**;
// the distributions are written here from the raw 64-bit output (std:: distributions differ
// between standard libraries and must not be used).
//
//   Rng rng(seed, Stream::kHouseholds, block_index);
//   double income = rng.LogNormal(9000.0, 0.45);
//   if (rng.Bernoulli(0.26)) ...
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <span>

namespace hearth::gen {

//! One step of splitmix64: advances `state` and returns a well-mixed value.
constexpr uint64_t SplitMix64(uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

//! A stateless mix of one value (for hashing small keys deterministically).
constexpr uint64_t Mix64(uint64_t x) {
  uint64_t s = x;
  return SplitMix64(s);
}

//! The independent streams of one generation run. Fixed values: changing one changes outputs.
enum class Stream : uint64_t {
  kVillages = 1,    //!< village sizes
  kDisasters = 2,   //!< township disasters
  kEpidemic = 3,    //!< the epidemic-like episode
  kVariants = 4,    //!< file formats of the feeds (index: file)
  kHouseholds = 5,  //!< households, members and their months (index: block)
  kFaults = 6,      //!< deliberate faults in the feeds (index: block)
  kIds = 7,         //!< ID number details that no household owns
};

class Rng {
 public:
  Rng(uint64_t seed, Stream stream, uint64_t index) {
    uint64_t s = Mix64(seed) ^ Mix64(static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ULL) ^
                 Mix64(index * 0x8CB92BA72F3D8DD7ULL + 1);
    for (uint64_t& word : state_) word = SplitMix64(s);
  }

  //! The next raw 64 bits (xoshiro256**).
  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  //! Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  //! Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

  //! Uniform integer in [lo, hi] (inclusive), without modulo bias (Lemire's method).
  int64_t UniformInt(int64_t lo, int64_t hi) {
    const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
    if (range == 0) return static_cast<int64_t>(Next());  // the whole 64-bit range
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * range;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < range) {
      const uint64_t threshold = -range % range;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * range;
        low = static_cast<uint64_t>(m);
      }
    }
    return lo + static_cast<int64_t>(m >> 64);
  }

  //! True with probability p (p <= 0: never; p >= 1: always).
  bool Bernoulli(double p) { return Uniform() < p; }

  //! A standard normal deviate (Box-Muller, one value per call, no cached state).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }

  //! A log-normal deviate given its median (not mean) and the sigma of its logarithm.
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

  //! An index drawn with the given weights (need not sum to 1; all >= 0, not all 0).
  int Pick(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(weights.size()) - 1;
  }

  //! One element of a non-empty array, uniformly.
  template <typename T, size_t N>
  const T& Choose(const std::array<T, N>& items) {
    return items[static_cast<size_t>(UniformInt(0, static_cast<int64_t>(N) - 1))];
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_{};
};

//! The monthly probability of an event that happens with probability `annual` in a year.
inline double MonthlyFromAnnual(double annual) {
  if (annual >= 1.0) return 1.0;
  return 1.0 - std::pow(1.0 - annual, 1.0 / 12.0);
}

//! Rounds an amount in yuan to integer fen (half away from zero). The only place where a
//! drawn floating-point amount becomes money.
inline int64_t YuanToFen(double yuan) { return std::llround(yuan * 100.0); }

}  // namespace hearth::gen
