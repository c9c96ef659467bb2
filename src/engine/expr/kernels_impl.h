// The kernel loops, compiled once per instruction-set level: kernels_baseline.cc,
// kernels_avx2.cc and kernels_avx512.cc each define HEARTH_EXPR_KERNEL_LEVEL and include this
// file, with their own -march (see CMakeLists.txt). Everything here has internal linkage or
// lives in that level's namespace, so the linker never mixes code of different levels; for
// the same reason this file includes no header that defines out-of-line functions.
//
// The loops are written for the vectoriser: no early exits, no calls, saturation as selects.
#ifndef HEARTH_EXPR_KERNEL_LEVEL
#error "define HEARTH_EXPR_KERNEL_LEVEL before including kernels_impl.h"
#endif

#include <cstddef>
#include <cstdint>
#include <limits>

#include "engine/expr/kernels.h"

namespace hearth::expr::HEARTH_EXPR_KERNEL_LEVEL {
namespace {

constexpr int64_t kMax = INT64_MAX;
constexpr int64_t kMin = INT64_MIN;

// kMin when x < 0, else kMax: the saturated result of an add or sub overflow led by x.
inline int64_t LimitOfSign(int64_t x) { return (x >> 63) ^ kMax; }

inline int64_t WrapAdd(int64_t x, int64_t y) { return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y)); }
inline int64_t WrapSub(int64_t x, int64_t y) { return static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y)); }
inline int64_t WrapMul(int64_t x, int64_t y) { return static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y)); }

inline int64_t SatAdd(int64_t x, int64_t y) {
  const int64_t r = WrapAdd(x, y);
  return ((x ^ r) & (y ^ r)) < 0 ? LimitOfSign(x) : r;
}

inline int64_t SatSub(int64_t x, int64_t y) {
  const int64_t r = WrapSub(x, y);
  return ((x ^ y) & (x ^ r)) < 0 ? LimitOfSign(x) : r;
}

inline int64_t SatNeg(int64_t x) { return x == kMin ? kMax : -x; }

// x * y for two vectors: the overflow test needs the full product, so this one is scalar.
inline int64_t SatMul(int64_t x, int64_t y) {
  int64_t r;
  return __builtin_mul_overflow(x, y, &r) ? (((x ^ y) < 0) ? kMin : kMax) : r;
}

// x * k for a fixed k, saturated, as two compares and selects: x * k overflows exactly when
// x is outside [lo, hi].
struct Multiplier {
  explicit Multiplier(int64_t k) : k(k) {
    if (k == 0 || k == 1) return;
    if (k > 0) {
      lo = kMin / k;
      hi = kMax / k;
    } else if (k == -1) {
      lo = -kMax;
      below = kMax;
    } else {
      lo = kMax / k;
      hi = kMin / k;
      below = kMax;
      above = kMin;
    }
  }
  int64_t Apply(int64_t x) const {
    const int64_t r = WrapMul(x, k);
    const int64_t high = x > hi ? above : r;
    return x < lo ? below : high;
  }
  int64_t k;
  int64_t lo = kMin;
  int64_t hi = kMax;
  int64_t below = kMin;  // the result when x < lo
  int64_t above = kMax;  // the result when x > hi
};

// Functors: In is the operand type, Out the result type.
struct AndF { using In = uint8_t; using Out = uint8_t; static Out Apply(In x, In y) { return (x != 0) & (y != 0); } };
struct OrF { using In = uint8_t; using Out = uint8_t; static Out Apply(In x, In y) { return (x != 0) | (y != 0); } };
struct BoolEqF { using In = uint8_t; using Out = uint8_t; static Out Apply(In x, In y) { return (x != 0) == (y != 0); } };
struct BoolNeF { using In = uint8_t; using Out = uint8_t; static Out Apply(In x, In y) { return (x != 0) != (y != 0); } };
struct NotF { using In = uint8_t; using Out = uint8_t; static Out Apply(In x) { return x == 0; } };
struct CopyF { using In = uint8_t; using Out = uint8_t; static Out Apply(In x) { return x != 0; } };

struct EqF {
  using In = int64_t; using Out = uint8_t;
  static constexpr bool kCompare = true;
  template <class T> static Out Apply(T x, T y) { return x == y; }
};
struct NeF {
  using In = int64_t; using Out = uint8_t;
  static constexpr bool kCompare = true;
  template <class T> static Out Apply(T x, T y) { return x != y; }
};
struct LtF {
  using In = int64_t; using Out = uint8_t;
  static constexpr bool kCompare = true;
  template <class T> static Out Apply(T x, T y) { return x < y; }
};
struct LeF {
  using In = int64_t; using Out = uint8_t;
  static constexpr bool kCompare = true;
  template <class T> static Out Apply(T x, T y) { return x <= y; }
};
struct GtF {
  using In = int64_t; using Out = uint8_t;
  static constexpr bool kCompare = true;
  template <class T> static Out Apply(T x, T y) { return x > y; }
};
struct GeF {
  using In = int64_t; using Out = uint8_t;
  static constexpr bool kCompare = true;
  template <class T> static Out Apply(T x, T y) { return x >= y; }
};

struct AddF { using In = int64_t; using Out = int64_t; static Out Apply(In x, In y) { return SatAdd(x, y); } };
struct SubF { using In = int64_t; using Out = int64_t; static Out Apply(In x, In y) { return SatSub(x, y); } };
struct SubFromF { using In = int64_t; using Out = int64_t; static Out Apply(In x, In y) { return SatSub(y, x); } };
struct MulF { using In = int64_t; using Out = int64_t; static Out Apply(In x, In y) { return SatMul(x, y); } };
struct MinF { using In = int64_t; using Out = int64_t; static Out Apply(In x, In y) { return x < y ? x : y; } };
struct MaxF { using In = int64_t; using Out = int64_t; static Out Apply(In x, In y) { return x < y ? y : x; } };
struct NegF { using In = int64_t; using Out = int64_t; static Out Apply(In x) { return SatNeg(x); } };
struct AbsF { using In = int64_t; using Out = int64_t; static Out Apply(In x) { return x < 0 ? SatNeg(x) : x; } };

// A is the element type of a: F::In, or a narrower signed integer widened on the fly.
template <class F, class A = typename F::In>
void UnaryKernel(const KernelArgs& g) {
  const auto* a = static_cast<const A*>(g.a);
  auto* out = static_cast<typename F::Out*>(g.out);
  const size_t n = g.n;
  for (size_t i = 0; i < n; ++i) out[i] = F::Apply(static_cast<typename F::In>(a[i]));
}

template <class F, Scaled kScaled, class A = typename F::In>
void VectorVectorKernel(const KernelArgs& g) {
  using In = typename F::In;
  const auto* a = static_cast<const A*>(g.a);
  const auto* b = static_cast<const In*>(g.b);
  auto* out = static_cast<typename F::Out*>(g.out);
  const Multiplier scale(kScaled == Scaled::kA ? g.ka : g.kb);
  const size_t n = g.n;
  for (size_t i = 0; i < n; ++i) {
    In x = static_cast<In>(a[i]);
    In y = b[i];
    if constexpr (kScaled == Scaled::kA) x = scale.Apply(x);
    if constexpr (kScaled == Scaled::kB) y = scale.Apply(y);
    out[i] = F::Apply(x, y);
  }
}

template <class F, Scaled kScaled, class A = typename F::In>
void VectorConstantKernel(const KernelArgs& g) {
  using In = typename F::In;
  const auto* a = static_cast<const A*>(g.a);
  auto* out = static_cast<typename F::Out*>(g.out);
  const Multiplier scale(g.ka);
  const In c = static_cast<In>(g.kb);
  const size_t n = g.n;
  for (size_t i = 0; i < n; ++i) {
    In x = static_cast<In>(a[i]);
    if constexpr (kScaled == Scaled::kA) x = scale.Apply(x);
    out[i] = F::Apply(x, c);
  }
}

// a * k for a constant k: vectorised through Multiplier rather than SatMul.
template <Scaled kScaled, class A = int64_t>
void MulConstantKernel(const KernelArgs& g) {
  const auto* a = static_cast<const A*>(g.a);
  auto* out = static_cast<int64_t*>(g.out);
  const Multiplier scale(g.ka);
  const Multiplier times(g.kb);
  const size_t n = g.n;
  for (size_t i = 0; i < n; ++i) {
    int64_t x = a[i];
    if constexpr (kScaled == Scaled::kA) x = scale.Apply(x);
    out[i] = times.Apply(x);
  }
}

// A narrow column (signed integers of type A) compared with an int64 constant, in A itself so
// that a vector holds 2 to 8 times as many values. A constant outside A's range gives every
// row the answer any in-range value (say 0) gives.
template <class F, class A>
void NarrowCompareConstantKernel(const KernelArgs& g) {
  const auto* a = static_cast<const A*>(g.a);
  auto* out = static_cast<uint8_t*>(g.out);
  const size_t n = g.n;
  if (g.kb < std::numeric_limits<A>::min() || g.kb > std::numeric_limits<A>::max()) {
    const uint8_t value = F::Apply(int64_t{0}, g.kb);
    for (size_t i = 0; i < n; ++i) out[i] = value;
    return;
  }
  const A c = static_cast<A>(g.kb);
  for (size_t i = 0; i < n; ++i) out[i] = F::Apply(a[i], c);
}

void FillKernel(const KernelArgs& g) {
  auto* out = static_cast<uint8_t*>(g.out);
  const uint8_t value = g.kb != 0;
  const size_t n = g.n;
  for (size_t i = 0; i < n; ++i) out[i] = value;
}

// A narrow column's chunk to int64 (sign extension; vectorises to vpmovsx*).
template <class T>
void WidenKernel(const void* in, int64_t* out, size_t n) {
  const auto* a = static_cast<const T*>(in);
  for (size_t i = 0; i < n; ++i) out[i] = a[i];
}

// The binary kernels of F over int64: every form and scaling.
template <class F>
Kernel NumericKernel(Form form, Scaled scaled) {
  if (form == Form::kVectorVector) {
    if (scaled == Scaled::kA) return &VectorVectorKernel<F, Scaled::kA>;
    if (scaled == Scaled::kB) return &VectorVectorKernel<F, Scaled::kB>;
    return &VectorVectorKernel<F, Scaled::kNone>;
  }
  if (form != Form::kVectorConstant || scaled == Scaled::kB) return nullptr;
  if (scaled == Scaled::kA) return &VectorConstantKernel<F, Scaled::kA>;
  return &VectorConstantKernel<F, Scaled::kNone>;
}

Kernel MulKernel(Form form, Scaled scaled) {
  if (form != Form::kVectorConstant) return NumericKernel<MulF>(form, scaled);
  if (scaled == Scaled::kA) return &MulConstantKernel<Scaled::kA>;
  if (scaled == Scaled::kNone) return &MulConstantKernel<Scaled::kNone>;
  return nullptr;
}

// The binary kernels of F over bytes: vector-vector only.
template <class F>
Kernel BoolKernel(Form form, Scaled scaled) {
  if (form != Form::kVectorVector || scaled != Scaled::kNone) return nullptr;
  return &VectorVectorKernel<F, Scaled::kNone>;
}

template <class F>
Kernel Unary(Form form, Scaled scaled) {
  if (form != Form::kUnary || scaled != Scaled::kNone) return nullptr;
  return &UnaryKernel<F>;
}

}  // namespace

// This level's FindKernel (kernels.h).
Kernel FindKernel(KernelOp op, Form form, Scaled scaled) {
  switch (op) {
    case KernelOp::kAnd: return BoolKernel<AndF>(form, scaled);
    case KernelOp::kOr: return BoolKernel<OrF>(form, scaled);
    case KernelOp::kBoolEq: return BoolKernel<BoolEqF>(form, scaled);
    case KernelOp::kBoolNe: return BoolKernel<BoolNeF>(form, scaled);
    case KernelOp::kNot: return Unary<NotF>(form, scaled);
    case KernelOp::kCopy: return Unary<CopyF>(form, scaled);
    case KernelOp::kFill: return form == Form::kVectorConstant && scaled == Scaled::kNone ? &FillKernel : nullptr;
    case KernelOp::kEq: return NumericKernel<EqF>(form, scaled);
    case KernelOp::kNe: return NumericKernel<NeF>(form, scaled);
    case KernelOp::kLt: return NumericKernel<LtF>(form, scaled);
    case KernelOp::kLe: return NumericKernel<LeF>(form, scaled);
    case KernelOp::kGt: return NumericKernel<GtF>(form, scaled);
    case KernelOp::kGe: return NumericKernel<GeF>(form, scaled);
    case KernelOp::kAdd: return NumericKernel<AddF>(form, scaled);
    case KernelOp::kSub: return NumericKernel<SubF>(form, scaled);
    case KernelOp::kSubFrom: return NumericKernel<SubFromF>(form, scaled);
    case KernelOp::kMul: return MulKernel(form, scaled);
    case KernelOp::kMin: return NumericKernel<MinF>(form, scaled);
    case KernelOp::kMax: return NumericKernel<MaxF>(form, scaled);
    case KernelOp::kNeg: return Unary<NegF>(form, scaled);
    case KernelOp::kAbs: return Unary<AbsF>(form, scaled);
  }
  return nullptr;
}

namespace {

// The kernels of F whose operand a is a narrow column of A (b, if any, is int64).
template <class F, class A>
Kernel NarrowNumericKernel(Form form, Scaled scaled) {
  if (form == Form::kVectorVector) {
    if (scaled == Scaled::kA) return &VectorVectorKernel<F, Scaled::kA, A>;
    if (scaled == Scaled::kB) return &VectorVectorKernel<F, Scaled::kB, A>;
    return &VectorVectorKernel<F, Scaled::kNone, A>;
  }
  if (form != Form::kVectorConstant) return nullptr;
  if (scaled == Scaled::kA) return &VectorConstantKernel<F, Scaled::kA, A>;
  if (scaled != Scaled::kNone) return nullptr;
  if constexpr (requires { F::kCompare; }) {
    return &NarrowCompareConstantKernel<F, A>;
  } else {
    return &VectorConstantKernel<F, Scaled::kNone, A>;
  }
}

template <class A>
Kernel NarrowKernel(KernelOp op, Form form, Scaled scaled) {
  switch (op) {
    case KernelOp::kEq: return NarrowNumericKernel<EqF, A>(form, scaled);
    case KernelOp::kNe: return NarrowNumericKernel<NeF, A>(form, scaled);
    case KernelOp::kLt: return NarrowNumericKernel<LtF, A>(form, scaled);
    case KernelOp::kLe: return NarrowNumericKernel<LeF, A>(form, scaled);
    case KernelOp::kGt: return NarrowNumericKernel<GtF, A>(form, scaled);
    case KernelOp::kGe: return NarrowNumericKernel<GeF, A>(form, scaled);
    case KernelOp::kAdd: return NarrowNumericKernel<AddF, A>(form, scaled);
    case KernelOp::kSub: return NarrowNumericKernel<SubF, A>(form, scaled);
    case KernelOp::kSubFrom: return NarrowNumericKernel<SubFromF, A>(form, scaled);
    case KernelOp::kMin: return NarrowNumericKernel<MinF, A>(form, scaled);
    case KernelOp::kMax: return NarrowNumericKernel<MaxF, A>(form, scaled);
    case KernelOp::kMul:
      if (form != Form::kVectorConstant) return NarrowNumericKernel<MulF, A>(form, scaled);
      if (scaled == Scaled::kA) return &MulConstantKernel<Scaled::kA, A>;
      return scaled == Scaled::kNone ? &MulConstantKernel<Scaled::kNone, A> : nullptr;
    case KernelOp::kNeg: return form == Form::kUnary && scaled == Scaled::kNone ? &UnaryKernel<NegF, A> : nullptr;
    case KernelOp::kAbs: return form == Form::kUnary && scaled == Scaled::kNone ? &UnaryKernel<AbsF, A> : nullptr;
    default: return nullptr;
  }
}

}  // namespace

// This level's FindNarrowKernel (kernels.h).
Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width) {
  switch (width) {
    case 1: return NarrowKernel<int8_t>(op, form, scaled);
    case 2: return NarrowKernel<int16_t>(op, form, scaled);
    case 4: return NarrowKernel<int32_t>(op, form, scaled);
    default: return nullptr;
  }
}

// This level's FindWidener (kernels.h).
Widener FindWidener(int width) {
  switch (width) {
    case 1: return &WidenKernel<int8_t>;
    case 2: return &WidenKernel<int16_t>;
    case 4: return &WidenKernel<int32_t>;
    default: return nullptr;
  }
}

}  // namespace hearth::expr::HEARTH_EXPR_KERNEL_LEVEL
