#include "engine/expr/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "engine/expr/decimal.h"

namespace hearth::expr {
namespace {

KernelOp CompareOp(CmpOp op) {
  switch (op) {
    case CmpOp::kEq: return KernelOp::kEq;
    case CmpOp::kNe: return KernelOp::kNe;
    case CmpOp::kLt: return KernelOp::kLt;
    case CmpOp::kLe: return KernelOp::kLe;
    case CmpOp::kGt: return KernelOp::kGt;
    case CmpOp::kGe: return KernelOp::kGe;
  }
  return KernelOp::kEq;
}

// The operation with its operands swapped: sub becomes sub_from, lt becomes gt.
KernelOp Reversed(KernelOp op) {
  switch (op) {
    case KernelOp::kSub: return KernelOp::kSubFrom;
    case KernelOp::kLt: return KernelOp::kGt;
    case KernelOp::kLe: return KernelOp::kGe;
    case KernelOp::kGt: return KernelOp::kLt;
    case KernelOp::kGe: return KernelOp::kLe;
    default: return op;
  }
}

bool IsRegister(Slot s) { return s.kind == SlotKind::kWide || s.kind == SlotKind::kByte; }

class Planner {
 public:
  Plan Run(const BoundNode& root, std::vector<std::string> names) {
    Lower(root, /*root=*/true);
    plan_.names = std::move(names);
    return std::move(plan_);
  }

 private:
  // Emits the steps computing `n` and returns where its value is: a column, a register, or
  // the output when `root`.
  Slot Lower(const BoundNode& n, bool root) {
    switch (n.kind) {
      case BoundKind::kColumn: return LowerColumn(n, root);
      case BoundKind::kConstant: return LowerConstant(n);
      case BoundKind::kNot: return LowerUnary(KernelOp::kNot, n, root);
      case BoundKind::kNeg: return LowerUnary(KernelOp::kNeg, n, root);
      case BoundKind::kAbs: return LowerUnary(KernelOp::kAbs, n, root);
      case BoundKind::kAnd: return LowerBinary(KernelOp::kAnd, n, root, false);
      case BoundKind::kOr: return LowerBinary(KernelOp::kOr, n, root, false);
      case BoundKind::kCompare: return LowerCompare(n, root);
      case BoundKind::kAdd: return LowerBinary(KernelOp::kAdd, n, root, true);
      case BoundKind::kSub: return LowerBinary(KernelOp::kSub, n, root, true);
      case BoundKind::kMin: return LowerBinary(KernelOp::kMin, n, root, true);
      case BoundKind::kMax: return LowerBinary(KernelOp::kMax, n, root, true);
      case BoundKind::kMul: return LowerBinary(KernelOp::kMul, n, root, false);
    }
    return Slot{};
  }

  Slot LowerColumn(const BoundNode& n, bool root) {
    const SlotKind kind = n.type == Type::kBool ? SlotKind::kBoolColumn : SlotKind::kNumberColumn;
    const Slot column{kind, n.column};
    const auto same = [&](Slot s) { return s.kind == column.kind && s.index == column.index; };
    if (std::none_of(plan_.columns.begin(), plan_.columns.end(), same)) plan_.columns.push_back(column);
    if (!root) return column;
    return Emit(Step{KernelOp::kCopy, Form::kUnary, Scaled::kNone, nullptr, column, {}, Output(true, n.type)});
  }

  // A whole expression folded to a constant; constant operands are taken by their parents.
  Slot LowerConstant(const BoundNode& n) {
    Step step{KernelOp::kFill, Form::kVectorConstant, Scaled::kNone, nullptr, {}, {}, Output(true, Type::kBool)};
    step.kb = n.value;
    return Emit(step);
  }

  Slot LowerUnary(KernelOp op, const BoundNode& n, bool root) {
    const Slot a = Lower(*n.args[0], false);
    Release(a);
    return Emit(Step{op, Form::kUnary, Scaled::kNone, nullptr, a, {}, Output(root, n.type)});
  }

  Slot LowerCompare(const BoundNode& n, bool root) {
    if (n.args[0]->type == Type::kBool) {
      const KernelOp op = n.cmp == CmpOp::kEq ? KernelOp::kBoolEq : KernelOp::kBoolNe;
      return LowerBinary(op, n, root, false);
    }
    return LowerBinary(CompareOp(n.cmp), n, root, true);
  }

  // A binary step. With `align`, an operand at a smaller scale than the other is multiplied
  // by the power of ten between them inside the kernel.
  Slot LowerBinary(KernelOp op, const BoundNode& n, bool root, bool align) {
    const BoundNode* x = n.args[0].get();
    const BoundNode* y = n.args[1].get();
    const int common = align ? std::max(x->scale, y->scale) : 0;
    if (x->is_constant()) {
      std::swap(x, y);
      op = Reversed(op);
    }
    Step step{op, Form::kVectorVector, Scaled::kNone, nullptr, Lower(*x, false), {}, {}};
    if (align && x->scale < common) {
      step.scaled = Scaled::kA;
      step.ka = Pow10(common - x->scale);
    }
    if (y->is_constant()) {
      assert(!align || y->scale == common);
      step.form = Form::kVectorConstant;
      step.kb = y->value;
    } else {
      step.b = Lower(*y, false);
      if (align && y->scale < common) {
        step.scaled = Scaled::kB;
        step.kb = Pow10(common - y->scale);
      }
    }
    if (step.form == Form::kVectorVector && step.b.kind == SlotKind::kNumberColumn &&
        step.a.kind != SlotKind::kNumberColumn) {
      SwapOperands(&step);
    }
    Release(step.a);
    Release(step.b);
    step.out = Output(root, n.type);
    return Emit(step);
  }

  // A number column goes first: kernels read a narrow column as is only as operand a.
  static void SwapOperands(Step* step) {
    std::swap(step->a, step->b);
    step->op = Reversed(step->op);
    if (step->scaled == Scaled::kA) {
      step->scaled = Scaled::kB;
      step->kb = step->ka;
      step->ka = 1;
    } else if (step->scaled == Scaled::kB) {
      step->scaled = Scaled::kA;
      step->ka = step->kb;
      step->kb = 1;
    }
  }

  Slot Emit(Step step) {
    step.kernel = FindKernel(step.op, step.form, step.scaled);
    assert(step.kernel != nullptr && "the binder produced a node the planner cannot run");
    if (step.a.kind == SlotKind::kNumberColumn) {
      for (int log2 = 0; log2 < 3; ++log2) step.narrow[log2] = FindNarrowKernel(step.op, step.form, step.scaled, 1 << log2);
    }
    plan_.steps.push_back(step);
    return step.out;
  }

  Slot Output(bool root, Type type) {
    if (root) return Slot{SlotKind::kOutput, 0};
    if (type == Type::kBool) return Allocate(SlotKind::kByte, &free_bytes_, &plan_.byte_registers);
    return Allocate(SlotKind::kWide, &free_wides_, &plan_.wide_registers);
  }

  static Slot Allocate(SlotKind kind, std::vector<int>* free, int* count) {
    if (free->empty()) return Slot{kind, (*count)++};
    const int index = free->back();
    free->pop_back();
    return Slot{kind, index};
  }

  void Release(Slot s) {
    if (!IsRegister(s)) return;
    (s.kind == SlotKind::kWide ? free_wides_ : free_bytes_).push_back(s.index);
  }

  Plan plan_;
  std::vector<int> free_wides_;
  std::vector<int> free_bytes_;
};

std::string SlotName(Slot s) {
  switch (s.kind) {
    case SlotKind::kNone: return "-";
    case SlotKind::kNumberColumn: return fmt::format("n{}", s.index);
    case SlotKind::kBoolColumn: return fmt::format("b{}", s.index);
    case SlotKind::kWide: return fmt::format("w{}", s.index);
    case SlotKind::kByte: return fmt::format("y{}", s.index);
    case SlotKind::kOutput: return "out";
  }
  return "?";
}

std::string FormatStep(const Step& s) {
  std::string line(KernelOpName(s.op));
  if (s.form == Form::kVectorConstant && s.op == KernelOp::kFill) return fmt::format("{} #{} -> out", line, s.kb);
  line += " " + SlotName(s.a);
  if (s.scaled == Scaled::kA) line += fmt::format("*{}", s.ka);
  if (s.form == Form::kVectorConstant) line += fmt::format(", #{}", s.kb);
  if (s.form == Form::kVectorVector) line += ", " + SlotName(s.b);
  if (s.scaled == Scaled::kB) line += fmt::format("*{}", s.kb);
  return line + " -> " + SlotName(s.out);
}

}  // namespace

Plan MakePlan(const BoundNode& root, std::vector<std::string> names) { return Planner().Run(root, std::move(names)); }

std::string FormatPlan(const Plan& plan) {
  std::string text;
  for (const Step& step : plan.steps) text += FormatStep(step) + "\n";
  return text;
}

}  // namespace hearth::expr
