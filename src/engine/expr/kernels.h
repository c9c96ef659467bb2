// The vector kernels: tight loops over one chunk of rows, one per operation and operand form,
// written so that the compiler vectorises them. No kernel allocates, branches per row on the
// operation, or keeps state; the evaluator calls one per step per chunk.
//
// The loops (kernels_impl.h) are compiled at -O3 for three instruction-set levels and the best
// one the CPU has is chosen at run time: the project's -O2 does not vectorise them (GCC's
// "very-cheap" cost model), and without AVX2 int64 compares barely vectorise at all.
//
// Operands: int64 units (numbers, money) or bytes (bools: 0 false, anything else true; every
// kernel writes 0 or 1). An output may be the same buffer as an input of its own width.
// Arithmetic saturates at +-(2^63 - 1) (INT64_MIN for negative overflow) instead of wrapping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::expr {

struct KernelArgs {
  const void* a = nullptr;  //!< first operand vector
  const void* b = nullptr;  //!< second operand vector, for the vector-vector form
  void* out = nullptr;
  int64_t ka = 1;           //!< multiplier of a (a scale alignment), when scaled
  int64_t kb = 1;           //!< multiplier of b, or the constant of the vector-constant form
  size_t n = 0;             //!< rows
};

using Kernel = void (*)(const KernelArgs&);

enum class KernelOp : uint8_t {
  // bytes -> bytes
  kAnd, kOr, kBoolEq, kBoolNe, kNot, kCopy,
  kFill,  // out[i] = kb, no input
  // int64 x int64 -> bytes
  kEq, kNe, kLt, kLe, kGt, kGe,
  // int64 x int64 -> int64
  kAdd, kSub, kSubFrom /* b - a */, kMul, kMin, kMax,
  // int64 -> int64
  kNeg, kAbs,
};

enum class Form : uint8_t {
  kUnary,           //!< out = f(a)
  kVectorVector,    //!< out = f(a, b)
  kVectorConstant,  //!< out = f(a, kb)
};

enum class Scaled : uint8_t {
  kNone,
  kA,  //!< a[i] * ka is used in place of a[i] (saturating)
  kB,  //!< b[i] * kb is used in place of b[i]; vector-vector form only
};

//! The instruction sets the kernels are compiled for. The same loops, so the same results.
enum class KernelLevel : uint8_t {
  kBaseline,  //!< x86-64 (SSE2) or whatever the target is
  kAvx2,      //!< x86-64-v3
  kAvx512,    //!< x86-64-v4, 512-bit vectors
};

//! The best level both this build and this CPU support (checked once).
KernelLevel BestKernelLevel();
//! "baseline", "avx2", "avx512".
std::string_view KernelLevelName(KernelLevel level);

//! The kernel for `op` in `form` with `scaled` at `level` (<= BestKernelLevel()); nullptr for
//! a combination that does not exist (e.g. kAnd with a constant: the binder folds those away).
Kernel FindKernel(KernelOp op, Form form, Scaled scaled, KernelLevel level);
//! The same at BestKernelLevel().
Kernel FindKernel(KernelOp op, Form form, Scaled scaled);

//! The kernel for `op` in `form` with `scaled` whose operand `a` holds signed integers of
//! `width` bytes (1, 2 or 4) rather than int64, with the same results as FindKernel's on
//! those values as int64: unary (neg, abs) and vector-constant forms of the int64 operations
//! (a narrow column compared with a constant is compared at its own width). nullptr for other
//! combinations: the evaluator widens the column (FindWidener) and runs FindKernel's.
Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width, KernelLevel level);
//! The same at BestKernelLevel().
Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width);

//! Copies `n` signed integers of some narrower width to int64: out[i] = in[i]. The evaluator
//! runs it on a chunk of a narrow column (Columns::narrow) before a kernel reads the chunk.
using Widener = void (*)(const void* in, int64_t* out, size_t n);

//! The widener from signed integers of `width` bytes (1, 2 or 4) at `level` (<=
//! BestKernelLevel()); nullptr for any other width.
Widener FindWidener(int width, KernelLevel level);
//! The same at BestKernelLevel().
Widener FindWidener(int width);

//! "and", "lt", "sub_from" ...
std::string_view KernelOpName(KernelOp op);

}  // namespace hearth::expr
