#include "engine/expr/kernels.h"

namespace hearth::expr {

// Each level's FindKernel, from kernels_impl.h.
namespace baseline {
Kernel FindKernel(KernelOp op, Form form, Scaled scaled);
Widener FindWidener(int width);
Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width);
}
#if HEARTH_EXPR_X86_LEVELS
namespace avx2 {
Kernel FindKernel(KernelOp op, Form form, Scaled scaled);
Widener FindWidener(int width);
Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width);
}
namespace avx512 {
Kernel FindKernel(KernelOp op, Form form, Scaled scaled);
Widener FindWidener(int width);
Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width);
}
#endif

namespace {

KernelLevel DetectLevel() {
#if HEARTH_EXPR_X86_LEVELS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return KernelLevel::kAvx512;
  if (__builtin_cpu_supports("x86-64-v3")) return KernelLevel::kAvx2;
#endif
  return KernelLevel::kBaseline;
}

}  // namespace

KernelLevel BestKernelLevel() {
  static const KernelLevel level = DetectLevel();
  return level;
}

std::string_view KernelLevelName(KernelLevel level) {
  switch (level) {
    case KernelLevel::kBaseline: return "baseline";
    case KernelLevel::kAvx2: return "avx2";
    case KernelLevel::kAvx512: return "avx512";
  }
  return "?";
}

Kernel FindKernel(KernelOp op, Form form, Scaled scaled, KernelLevel level) {
#if HEARTH_EXPR_X86_LEVELS
  if (level == KernelLevel::kAvx512) return avx512::FindKernel(op, form, scaled);
  if (level == KernelLevel::kAvx2) return avx2::FindKernel(op, form, scaled);
#endif
  (void)level;
  return baseline::FindKernel(op, form, scaled);
}

Kernel FindKernel(KernelOp op, Form form, Scaled scaled) { return FindKernel(op, form, scaled, BestKernelLevel()); }

Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width, KernelLevel level) {
#if HEARTH_EXPR_X86_LEVELS
  if (level == KernelLevel::kAvx512) return avx512::FindNarrowKernel(op, form, scaled, width);
  if (level == KernelLevel::kAvx2) return avx2::FindNarrowKernel(op, form, scaled, width);
#endif
  (void)level;
  return baseline::FindNarrowKernel(op, form, scaled, width);
}

Kernel FindNarrowKernel(KernelOp op, Form form, Scaled scaled, int width) {
  return FindNarrowKernel(op, form, scaled, width, BestKernelLevel());
}

Widener FindWidener(int width, KernelLevel level) {
#if HEARTH_EXPR_X86_LEVELS
  if (level == KernelLevel::kAvx512) return avx512::FindWidener(width);
  if (level == KernelLevel::kAvx2) return avx2::FindWidener(width);
#endif
  (void)level;
  return baseline::FindWidener(width);
}

Widener FindWidener(int width) { return FindWidener(width, BestKernelLevel()); }

std::string_view KernelOpName(KernelOp op) {
  switch (op) {
    case KernelOp::kAnd: return "and";
    case KernelOp::kOr: return "or";
    case KernelOp::kBoolEq: return "bool_eq";
    case KernelOp::kBoolNe: return "bool_ne";
    case KernelOp::kNot: return "not";
    case KernelOp::kCopy: return "copy";
    case KernelOp::kFill: return "fill";
    case KernelOp::kEq: return "eq";
    case KernelOp::kNe: return "ne";
    case KernelOp::kLt: return "lt";
    case KernelOp::kLe: return "le";
    case KernelOp::kGt: return "gt";
    case KernelOp::kGe: return "ge";
    case KernelOp::kAdd: return "add";
    case KernelOp::kSub: return "sub";
    case KernelOp::kSubFrom: return "sub_from";
    case KernelOp::kMul: return "mul";
    case KernelOp::kMin: return "min";
    case KernelOp::kMax: return "max";
    case KernelOp::kNeg: return "neg";
    case KernelOp::kAbs: return "abs";
  }
  return "?";
}

}  // namespace hearth::expr
