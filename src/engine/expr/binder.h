// The binder: syntax tree + Catalog -> typed tree. Resolves names, checks types, folds
// constant subtrees exactly and aligns constants to the scale they are used at, reporting
// every independent problem with its span.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expr/ast.h"
#include "engine/expr/expr.h"

namespace hearth::expr {

enum class BoundKind : uint8_t {
  kConstant,  //!< `value` at `scale`; bools are 0 or 1
  kColumn,    //!< catalog column `column`
  kNot,
  kAnd,
  kOr,
  kCompare,   //!< args[0] `cmp` args[1]: two bools (== != only), two numbers or two money
  kNeg,
  kAbs,
  kAdd,
  kSub,
  kMul,
  kMin,
  kMax,
};

enum class CmpOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

//! A typed node. What the binder guarantees the planner:
//!   - no operator node has only constant args (those are folded);
//!   - kNot, kAnd, kOr and bool kCompare have no constant args (they are simplified away);
//!   - a numeric kCompare with a constant has it as args[1], at the scale of args[0];
//!   - kAdd, kSub, kMin, kMax have `scale` = the larger scale of their args, and a constant
//!     arg is already at that scale (a column arg may have a smaller one: the planner
//!     multiplies it by a power of ten);
//!   - kMul has `scale` = the sum of its args' scales, at most kMaxScale.
struct BoundNode {
  BoundKind kind = BoundKind::kConstant;
  Type type = Type::kBool;
  int scale = 0;              //!< numbers and money: value = units / 10^scale
  CmpOp cmp = CmpOp::kEq;     //!< kCompare
  int64_t value = 0;          //!< kConstant
  int column = 0;             //!< kColumn: the catalog index
  std::vector<std::unique_ptr<BoundNode>> args;

  bool is_constant() const { return kind == BoundKind::kConstant; }
};

using BoundPtr = std::unique_ptr<BoundNode>;

struct BindResult {
  BoundPtr root;                   //!< a bool expression; null when there are problems
  std::vector<Problem> problems;   //!< ordered by offset
  std::vector<std::string> names;  //!< catalog names used, in first-use order
};

//! Binds the tree `root` parsed from `text` against `catalog`. The whole expression must
//! be bool ("expr_not_bool"). An operand with a problem makes the expression around it
//! unchecked, so one mistake gives one problem.
BindResult Bind(std::string_view text, const Node& root, const Catalog& catalog);

}  // namespace hearth::expr
