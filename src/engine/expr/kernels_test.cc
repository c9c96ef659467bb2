#include "engine/expr/kernels.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace hearth::expr {
namespace {

using Wide = __int128;

int64_t Clamp(Wide v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

// What each int64 operation means, saturated: the exact result clamped to int64.
int64_t Reference(KernelOp op, int64_t x, int64_t y) {
  const Wide a = x;
  const Wide b = y;
  switch (op) {
    case KernelOp::kEq: return a == b;
    case KernelOp::kNe: return a != b;
    case KernelOp::kLt: return a < b;
    case KernelOp::kLe: return a <= b;
    case KernelOp::kGt: return a > b;
    case KernelOp::kGe: return a >= b;
    case KernelOp::kAdd: return Clamp(a + b);
    case KernelOp::kSub: return Clamp(a - b);
    case KernelOp::kSubFrom: return Clamp(b - a);
    case KernelOp::kMul: return Clamp(a * b);
    case KernelOp::kMin: return Clamp(a < b ? a : b);
    case KernelOp::kMax: return Clamp(a < b ? b : a);
    case KernelOp::kNeg: return Clamp(-a);
    case KernelOp::kAbs: return Clamp(a < 0 ? -a : a);
    default: return 0;
  }
}

bool ProducesBytes(KernelOp op) { return op <= KernelOp::kGe; }

std::vector<int64_t> EdgyValues(size_t n, std::mt19937_64& rng) {
  const int64_t edges[] = {INT64_MIN, INT64_MIN + 1, -922337203685477581, -922337203685477580, -1000, -1, 0, 1, 7,
                           999, 922337203685477580, 922337203685477581, INT64_MAX - 1, INT64_MAX};
  std::vector<int64_t> v(n);
  for (int64_t& x : v) {
    const uint64_t r = rng();
    if (r % 3 == 0) {
      x = edges[(r >> 8) % std::size(edges)];
    } else if (r % 3 == 1) {
      x = static_cast<int64_t>(r >> 40) - (int64_t{1} << 23);
    } else {
      x = static_cast<int64_t>(rng());
    }
  }
  return v;
}

std::vector<KernelLevel> Levels() {
  std::vector<KernelLevel> levels;
  for (KernelLevel l : {KernelLevel::kBaseline, KernelLevel::kAvx2, KernelLevel::kAvx512}) {
    if (l <= BestKernelLevel()) levels.push_back(l);
  }
  return levels;
}

TEST(KernelsTest, NumericKernelsSaturateExactlyAtEveryLevel) {
  const KernelOp ops[] = {KernelOp::kEq,  KernelOp::kNe,  KernelOp::kLt,      KernelOp::kLe,  KernelOp::kGt,
                          KernelOp::kGe,  KernelOp::kAdd, KernelOp::kSub,     KernelOp::kSubFrom, KernelOp::kMul,
                          KernelOp::kMin, KernelOp::kMax};
  const int64_t factors[] = {1, 10, 1000, 1'000'000'000'000'000'000, 0, -1, -7, 3, INT64_MAX, INT64_MIN};
  constexpr size_t kRows = 1031;  // not a multiple of any vector width
  std::mt19937_64 rng(7);
  std::printf("[ kernels ] best level on this machine: %s\n", std::string(KernelLevelName(BestKernelLevel())).c_str());
  for (KernelLevel level : Levels()) {
    for (KernelOp op : ops) {
      for (Form form : {Form::kVectorVector, Form::kVectorConstant}) {
        for (Scaled scaled : {Scaled::kNone, Scaled::kA, Scaled::kB}) {
          const Kernel kernel = FindKernel(op, form, scaled, level);
          if (kernel == nullptr) continue;
          for (int64_t k : factors) {
            const std::vector<int64_t> a = EdgyValues(kRows, rng);
            const std::vector<int64_t> b = EdgyValues(kRows, rng);
            std::vector<int64_t> wide(kRows);
            std::vector<uint8_t> bytes(kRows);
            KernelArgs args{a.data(), b.data(), nullptr, 1, 1, kRows};
            if (scaled == Scaled::kA) args.ka = k;
            if (scaled == Scaled::kB) args.kb = k;
            if (form == Form::kVectorConstant) args.kb = scaled == Scaled::kA ? b[0] : k;
            args.out = ProducesBytes(op) ? static_cast<void*>(bytes.data()) : static_cast<void*>(wide.data());
            kernel(args);
            for (size_t i = 0; i < kRows; ++i) {
              int64_t x = a[i];
              int64_t y = form == Form::kVectorConstant ? args.kb : b[i];
              if (scaled == Scaled::kA) x = Clamp(Wide{x} * args.ka);
              if (scaled == Scaled::kB) y = Clamp(Wide{y} * args.kb);
              const int64_t got = ProducesBytes(op) ? bytes[i] : wide[i];
              ASSERT_EQ(got, Reference(op, x, y))
                  << KernelOpName(op) << " level " << KernelLevelName(level) << " form " << int(form) << " scaled "
                  << int(scaled) << " k " << k << " a " << a[i] << " b " << b[i];
            }
          }
        }
      }
    }
  }
}

TEST(KernelsTest, UnaryKernelsAndInPlaceOutput) {
  std::mt19937_64 rng(11);
  for (KernelLevel level : Levels()) {
    for (KernelOp op : {KernelOp::kNeg, KernelOp::kAbs}) {
      const std::vector<int64_t> a = EdgyValues(999, rng);
      std::vector<int64_t> inout = a;
      FindKernel(op, Form::kUnary, Scaled::kNone, level)(KernelArgs{inout.data(), nullptr, inout.data(), 1, 1, a.size()});
      for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(inout[i], Reference(op, a[i], 0)) << KernelOpName(op) << " " << a[i];
    }
    const std::vector<int64_t> a = EdgyValues(999, rng);
    std::vector<int64_t> inout = a;
    FindKernel(KernelOp::kAdd, Form::kVectorConstant, Scaled::kA, level)(
        KernelArgs{inout.data(), nullptr, inout.data(), 100, 5, a.size()});
    for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(inout[i], Clamp(Wide{Clamp(Wide{a[i]} * 100)} + 5)) << a[i];
  }
}

TEST(KernelsTest, BoolKernelsTreatNonZeroAsTrueAndWriteZeroOrOne) {
  struct Case {
    KernelOp op;
    Form form;
    bool (*expected)(bool, bool);
  };
  const Case cases[] = {
      {KernelOp::kAnd, Form::kVectorVector, [](bool x, bool y) { return x && y; }},
      {KernelOp::kOr, Form::kVectorVector, [](bool x, bool y) { return x || y; }},
      {KernelOp::kBoolEq, Form::kVectorVector, [](bool x, bool y) { return x == y; }},
      {KernelOp::kBoolNe, Form::kVectorVector, [](bool x, bool y) { return x != y; }},
      {KernelOp::kNot, Form::kUnary, [](bool x, bool) { return !x; }},
      {KernelOp::kCopy, Form::kUnary, [](bool x, bool) { return x; }},
  };
  std::mt19937_64 rng(5);
  std::vector<uint8_t> a(777);
  std::vector<uint8_t> b(777);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<uint8_t>(rng() % 4 == 0 ? 0 : rng());
    b[i] = static_cast<uint8_t>(rng() % 4 == 0 ? 0 : rng());
  }
  for (KernelLevel level : Levels()) {
    for (const Case& c : cases) {
      std::vector<uint8_t> out(a.size(), 9);
      FindKernel(c.op, c.form, Scaled::kNone, level)(KernelArgs{a.data(), b.data(), out.data(), 1, 1, a.size()});
      for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(out[i], c.expected(a[i] != 0, b[i] != 0) ? 1 : 0) << KernelOpName(c.op) << " " << int{a[i]};
      }
    }
    std::vector<uint8_t> out(100, 9);
    FindKernel(KernelOp::kFill, Form::kVectorConstant, Scaled::kNone, level)(KernelArgs{nullptr, nullptr, out.data(), 1, 5, 100});
    EXPECT_EQ(out, std::vector<uint8_t>(100, 1));
  }
}

// Narrow-operand kernels and wideners give what the int64 kernels give on the widened values,
// at every level and width, for constants inside, at and beyond the narrow range.
TEST(KernelsTest, NarrowKernelsMatchInt64KernelsAtEveryLevel) {
  const KernelOp ops[] = {KernelOp::kEq,  KernelOp::kNe,  KernelOp::kLt,      KernelOp::kLe,  KernelOp::kGt,
                          KernelOp::kGe,  KernelOp::kAdd, KernelOp::kSub,     KernelOp::kSubFrom, KernelOp::kMul,
                          KernelOp::kMin, KernelOp::kMax, KernelOp::kNeg,     KernelOp::kAbs};
  constexpr size_t kRows = 1031;
  std::mt19937_64 rng(13);
  for (KernelLevel level : Levels()) {
    for (int width : {1, 2, 4}) {
      const int64_t max = (int64_t{1} << (8 * width - 1)) - 1;
      const int64_t min = -max - 1;
      std::vector<int64_t> values(kRows);
      for (int64_t& v : values) {
        const uint64_t r = rng();
        const int64_t edges[] = {min, min + 1, -1, 0, 1, max - 1, max};
        v = r % 3 == 0 ? edges[(r >> 8) % 7] : static_cast<int64_t>((r >> 8) % static_cast<uint64_t>(max - min + 1)) + min;
      }
      std::vector<char> narrow(kRows * static_cast<size_t>(width));
      for (size_t i = 0; i < kRows; ++i) {
        const int8_t v8 = static_cast<int8_t>(values[i]);
        const int16_t v16 = static_cast<int16_t>(values[i]);
        const int32_t v32 = static_cast<int32_t>(values[i]);
        const void* src = width == 1 ? static_cast<const void*>(&v8) : width == 2 ? static_cast<const void*>(&v16) : &v32;
        std::memcpy(narrow.data() + i * static_cast<size_t>(width), src, static_cast<size_t>(width));
      }
      std::vector<int64_t> widened(kRows, 7);
      FindWidener(width, level)(narrow.data(), widened.data(), kRows);
      ASSERT_EQ(widened, values) << "width " << width << " level " << KernelLevelName(level);
      const std::vector<int64_t> b = EdgyValues(kRows, rng);
      const int64_t constants[] = {min - 1, min, min + 1, -1, 0, 1, max - 1, max, max + 1, INT64_MIN, INT64_MAX, 600000};
      for (KernelOp op : ops) {
        for (Form form : {Form::kUnary, Form::kVectorVector, Form::kVectorConstant}) {
          for (Scaled scaled : {Scaled::kNone, Scaled::kA, Scaled::kB}) {
            const Kernel kernel = FindNarrowKernel(op, form, scaled, width, level);
            if (kernel == nullptr) continue;
            const Kernel reference = FindKernel(op, form, scaled, level);
            ASSERT_NE(reference, nullptr);
            for (int64_t k : constants) {
              KernelArgs args{narrow.data(), b.data(), nullptr, scaled == Scaled::kA ? 1000 : 1, 1, kRows};
              if (form == Form::kVectorConstant || scaled == Scaled::kB) args.kb = scaled == Scaled::kB ? 100 : k;
              if (scaled == Scaled::kA) args.ka = k == 0 ? 10 : k;
              std::vector<int64_t> got(kRows, 5);
              std::vector<int64_t> want(kRows, 5);
              KernelArgs wide_args = args;
              wide_args.a = values.data();
              args.out = got.data();
              wide_args.out = want.data();
              kernel(args);
              reference(wide_args);
              ASSERT_EQ(got, want) << KernelOpName(op) << " width " << width << " form " << int(form) << " scaled "
                                   << int(scaled) << " k " << k << " level " << KernelLevelName(level);
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(FindWidener(8), nullptr);
  EXPECT_EQ(FindNarrowKernel(KernelOp::kLt, Form::kVectorConstant, Scaled::kNone, 8), nullptr);
  EXPECT_EQ(FindNarrowKernel(KernelOp::kAnd, Form::kVectorVector, Scaled::kNone, 2), nullptr);
}

TEST(KernelsTest, CombinationsThatDoNotExist) {
  EXPECT_EQ(FindKernel(KernelOp::kAnd, Form::kVectorConstant, Scaled::kNone), nullptr);
  EXPECT_EQ(FindKernel(KernelOp::kLt, Form::kVectorConstant, Scaled::kB), nullptr);
  EXPECT_EQ(FindKernel(KernelOp::kNeg, Form::kVectorVector, Scaled::kNone), nullptr);
  EXPECT_EQ(FindKernel(KernelOp::kNot, Form::kUnary, Scaled::kA), nullptr);
}

}  // namespace
}  // namespace hearth::expr
