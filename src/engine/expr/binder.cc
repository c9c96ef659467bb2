#include "engine/expr/binder.h"

#include <algorithm>
#include <array>
#include <utility>

#include "engine/expr/decimal.h"
#include "engine/expr/problems.h"

namespace hearth::expr {
namespace {

struct Function {
  std::string_view name;
  int arity;
  std::string_view usage;
};

constexpr std::array<Function, 4> kFunctions = {{
    {"yuan", 1, "yuan(6000)"},
    {"min", 2, "min(a, b)"},
    {"max", 2, "max(a, b)"},
    {"abs", 1, "abs(a)"},
}};

const Function* FindFunction(std::string_view name) {
  for (const Function& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string> FunctionNames() {
  std::vector<std::string> names;
  for (const Function& f : kFunctions) names.emplace_back(f.name);
  return names;
}

CmpOp ToCmpOp(Op op) {
  switch (op) {
    case Op::kEq: return CmpOp::kEq;
    case Op::kNe: return CmpOp::kNe;
    case Op::kLt: return CmpOp::kLt;
    case Op::kLe: return CmpOp::kLe;
    case Op::kGt: return CmpOp::kGt;
    default: return CmpOp::kGe;
  }
}

// The operator with its operands swapped: a < b is b > a.
CmpOp Flip(CmpOp op) {
  switch (op) {
    case CmpOp::kLt: return CmpOp::kGt;
    case CmpOp::kLe: return CmpOp::kGe;
    case CmpOp::kGt: return CmpOp::kLt;
    case CmpOp::kGe: return CmpOp::kLe;
    default: return op;
  }
}

// Whether `a op b` holds, given sign = -1, 0, 1 for a < b, a == b, a > b.
bool Holds(CmpOp op, int sign) {
  switch (op) {
    case CmpOp::kEq: return sign == 0;
    case CmpOp::kNe: return sign != 0;
    case CmpOp::kLt: return sign < 0;
    case CmpOp::kLe: return sign <= 0;
    case CmpOp::kGt: return sign > 0;
    case CmpOp::kGe: return sign >= 0;
  }
  return false;
}

BoundPtr NewNode(BoundKind kind, Type type, int scale) {
  auto node = std::make_unique<BoundNode>();
  node->kind = kind;
  node->type = type;
  node->scale = scale;
  return node;
}

BoundPtr BoolConstant(bool value) {
  BoundPtr node = NewNode(BoundKind::kConstant, Type::kBool, 0);
  node->value = value ? 1 : 0;
  return node;
}

// A constant exactly at `scale` (an operand of an aligned operation).
BoundPtr ConstantAt(Type type, int64_t units, int scale) {
  BoundPtr node = NewNode(BoundKind::kConstant, type, scale);
  node->value = units;
  return node;
}

// A constant at its smallest scale: 6000.00 is (6000, 0).
BoundPtr NumericConstant(Type type, Exact value) {
  const Exact v = Normalize(value);
  return ConstantAt(type, v.units, v.scale);
}

BoundPtr Operator(BoundKind kind, Type type, int scale, BoundPtr a, BoundPtr b = nullptr) {
  BoundPtr node = NewNode(kind, type, scale);
  node->args.push_back(std::move(a));
  if (b != nullptr) node->args.push_back(std::move(b));
  return node;
}

BoundPtr CompareNode(CmpOp op, BoundPtr a, BoundPtr b) {
  BoundPtr node = Operator(BoundKind::kCompare, Type::kBool, 0, std::move(a), std::move(b));
  node->cmp = op;
  return node;
}

Exact ValueOf(const BoundNode& constant) { return Exact{constant.value, constant.scale}; }

// !a, with constants folded and double negation removed.
BoundPtr Not(BoundPtr a) {
  if (a->is_constant()) return BoolConstant(a->value == 0);
  if (a->kind == BoundKind::kNot) return std::move(a->args[0]);
  return Operator(BoundKind::kNot, Type::kBool, 0, std::move(a));
}

// a && b or a || b, with constant operands simplified away.
BoundPtr Logical(BoundKind kind, BoundPtr a, BoundPtr b) {
  const bool is_and = kind == BoundKind::kAnd;
  if (a->is_constant()) std::swap(a, b);
  if (a->is_constant()) return BoolConstant(is_and ? (a->value && b->value) : (a->value || b->value));
  if (!b->is_constant()) return Operator(kind, Type::kBool, 0, std::move(a), std::move(b));
  if ((b->value != 0) == is_and) return a;  // x && true, x || false
  return BoolConstant(!is_and);              // x && false, x || true
}

// a == b or a != b over bools, with constant operands simplified away.
BoundPtr BoolEquality(CmpOp op, BoundPtr a, BoundPtr b) {
  const bool eq = op == CmpOp::kEq;
  if (a->is_constant()) std::swap(a, b);
  if (a->is_constant()) return BoolConstant((a->value == b->value) == eq);
  if (!b->is_constant()) return CompareNode(op, std::move(a), std::move(b));
  return (b->value != 0) == eq ? std::move(a) : Not(std::move(a));
}

// v * m `op` c for integers v, c and m = 10^k > 1, as v `op'` c' without the multiplication,
// exactly: 10v < 25 is v < 3, 10v <= 25 is v <= 2, 10v == 25 is false.
BoundPtr CompareScaledColumn(CmpOp op, BoundPtr v, Wide c, Wide m) {
  const bool divides = c % m == 0;
  if (op == CmpOp::kEq && !divides) return BoolConstant(false);
  if (op == CmpOp::kNe && !divides) return BoolConstant(true);
  const bool ceiling = op == CmpOp::kLt || op == CmpOp::kGe;
  const Wide q = ceiling ? CeilDiv(c, m) : FloorDiv(c, m);  // |q| <= |c|: fits int64
  BoundPtr constant = ConstantAt(v->type, static_cast<int64_t>(q), v->scale);
  return CompareNode(op, std::move(v), std::move(constant));
}

// v `op` c for a non-constant v and a constant c of the same numeric type. The constant is
// brought to v's scale exactly; when it is beyond int64 there, every row gives one answer.
BoundPtr CompareWithConstant(CmpOp op, BoundPtr v, const BoundNode& c) {
  if (c.scale > v->scale) {
    return CompareScaledColumn(op, std::move(v), c.value, Pow10(c.scale - v->scale));
  }
  const Wide aligned = Rescale(c.value, c.scale, v->scale);
  if (!FitsInt64(aligned)) return BoolConstant(Holds(op, aligned > 0 ? -1 : 1));
  BoundPtr constant = ConstantAt(v->type, static_cast<int64_t>(aligned), v->scale);
  return CompareNode(op, std::move(v), std::move(constant));
}

// a `op` b over two numbers or two money values.
BoundPtr NumericCompare(CmpOp op, BoundPtr a, BoundPtr b) {
  if (a->is_constant() && b->is_constant()) return BoolConstant(Holds(op, Compare(ValueOf(*a), ValueOf(*b))));
  if (a->is_constant()) {
    std::swap(a, b);
    op = Flip(op);
  }
  if (b->is_constant()) return CompareWithConstant(op, std::move(a), *b);
  return CompareNode(op, std::move(a), std::move(b));
}

class Binder {
 public:
  Binder(std::string_view text, const Catalog& catalog) : text_(text), catalog_(catalog) {}

  BindResult Run(const Node& root) {
    BoundPtr bound = Bind(root);
    if (bound != nullptr && bound->type != Type::kBool) {
      Report(root.span, Msg::kExprNotBool, TypeLabel(bound->type), Snip(root));
    }
    if (!problems_.empty()) bound.reset();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) { return a.offset < b.offset; });
    return BindResult{std::move(bound), std::move(problems_), std::move(names_)};
  }

 private:
  // Each Bind* returns null after reporting a problem inside the node.
  BoundPtr Bind(const Node& n) {
    switch (n.kind) {
      case NodeKind::kNumber: return BindNumber(n);
      case NodeKind::kBool: return BoolConstant(n.text == "true");
      case NodeKind::kName: return BindName(n);
      case NodeKind::kUnary: return BindUnary(n);
      case NodeKind::kBinary: return BindBinary(n);
      case NodeKind::kCall: return BindCall(n);
    }
    return nullptr;
  }

  BoundPtr BindNumber(const Node& n) {
    Exact value;
    switch (ParseLiteral(n.text, &value)) {
      case LiteralError::kNone: return NumericConstant(Type::kNumber, value);
      case LiteralError::kTooManyDecimals:
        return Fail(n.span, Msg::kExprTooManyDecimals, n.text, n.text.size() - n.text.find('.') - 1);
      case LiteralError::kTooLarge: return Fail(n.span, Msg::kExprNumberTooLarge, n.text);
    }
    return nullptr;
  }

  BoundPtr BindName(const Node& n) {
    if (const ColumnRef* column = catalog_.FindColumn(n.text)) {
      Use(n.text);
      BoundPtr node = NewNode(BoundKind::kColumn, column->type, column->type == Type::kBool ? 0 : column->scale);
      node->column = column->index;
      return node;
    }
    if (const Constant* constant = catalog_.FindConstant(n.text)) {
      Use(n.text);
      if (constant->type == Type::kBool) return BoolConstant(constant->units != 0);
      return NumericConstant(constant->type, Exact{constant->units, constant->scale});
    }
    const std::string suggestion = Suggest(n.text, catalog_.Names());
    if (suggestion.empty()) return Fail(n.span, Msg::kExprUnknownName, n.text);
    return Fail(n.span, Msg::kExprUnknownNameSuggest, n.text, suggestion);
  }

  BoundPtr BindUnary(const Node& n) {
    BoundPtr a = Bind(*n.args[0]);
    if (a == nullptr) return nullptr;
    if (n.op == Op::kNot) {
      if (!CheckBool(n, *a, *n.args[0])) return nullptr;
      return Not(std::move(a));
    }
    if (!CheckNumeric(n, *a, *n.args[0])) return nullptr;
    return Negate(n, std::move(a));
  }

  BoundPtr BindBinary(const Node& n) {
    BoundPtr a = Bind(*n.args[0]);
    BoundPtr b = Bind(*n.args[1]);
    switch (n.op) {
      case Op::kOr:
      case Op::kAnd: return BindLogical(n, std::move(a), std::move(b));
      case Op::kEq:
      case Op::kNe: return BindEquality(n, std::move(a), std::move(b));
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: return BindOrdering(n, std::move(a), std::move(b));
      case Op::kAdd:
      case Op::kSub: return BindAdditive(n, std::move(a), std::move(b));
      case Op::kMul: return BindMultiply(n, std::move(a), std::move(b));
      default: return Fail(n.op_span, Msg::kExprDivision);
    }
  }

  BoundPtr BindLogical(const Node& n, BoundPtr a, BoundPtr b) {
    const bool a_ok = a != nullptr && CheckBool(n, *a, *n.args[0]);
    const bool b_ok = b != nullptr && CheckBool(n, *b, *n.args[1]);
    if (!a_ok || !b_ok) return nullptr;
    return Logical(n.op == Op::kAnd ? BoundKind::kAnd : BoundKind::kOr, std::move(a), std::move(b));
  }

  BoundPtr BindEquality(const Node& n, BoundPtr a, BoundPtr b) {
    if (a == nullptr || b == nullptr) return nullptr;
    if (a->type == Type::kBool && b->type == Type::kBool) {
      return BoolEquality(ToCmpOp(n.op), std::move(a), std::move(b));
    }
    if (a->type == Type::kBool || b->type == Type::kBool) {
      return Fail(n.span, Msg::kExprTypesDiffer, n.text, Snip(*n.args[0]), TypeLabel(a->type), Snip(*n.args[1]),
                  TypeLabel(b->type));
    }
    if (!CheckSameType(n, *a, *b)) return nullptr;
    return NumericCompare(ToCmpOp(n.op), std::move(a), std::move(b));
  }

  BoundPtr BindOrdering(const Node& n, BoundPtr a, BoundPtr b) {
    if (!CheckNumericPair(n, a.get(), b.get())) return nullptr;
    return NumericCompare(ToCmpOp(n.op), std::move(a), std::move(b));
  }

  BoundPtr BindAdditive(const Node& n, BoundPtr a, BoundPtr b) {
    if (!CheckNumericPair(n, a.get(), b.get())) return nullptr;
    const BoundKind kind = n.op == Op::kAdd ? BoundKind::kAdd : BoundKind::kSub;
    if (a->is_constant() && b->is_constant()) {
      const int scale = std::max(a->scale, b->scale);
      const Wide x = Rescale(a->value, a->scale, scale);
      const Wide y = Rescale(b->value, b->scale, scale);
      return Folded(n, a->type, kind == BoundKind::kAdd ? x + y : x - y, scale);
    }
    return Aligned(n, kind, std::move(a), std::move(b));
  }

  BoundPtr BindMultiply(const Node& n, BoundPtr a, BoundPtr b) {
    const bool a_ok = a != nullptr && CheckNumeric(n, *a, *n.args[0]);
    const bool b_ok = b != nullptr && CheckNumeric(n, *b, *n.args[1]);
    if (!a_ok || !b_ok) return nullptr;
    if (a->type == Type::kMoney && b->type == Type::kMoney) {
      return Fail(n.span, Msg::kExprMoneyTimesMoney, Snip(*n.args[0]), Snip(*n.args[1]));
    }
    const Type type = a->type == Type::kMoney || b->type == Type::kMoney ? Type::kMoney : Type::kNumber;
    const int scale = a->scale + b->scale;
    if (a->is_constant() && b->is_constant()) {
      return Folded(n, type, static_cast<Wide>(a->value) * b->value, scale);
    }
    if (scale > kMaxScale) return Fail(n.span, Msg::kExprScaleTooLarge, Snip(n), scale);
    return Operator(BoundKind::kMul, type, scale, std::move(a), std::move(b));
  }

  BoundPtr BindCall(const Node& n) {
    std::vector<BoundPtr> args;
    bool args_ok = true;
    for (const NodePtr& arg : n.args) {
      args.push_back(Bind(*arg));
      args_ok = args_ok && args.back() != nullptr;
    }
    const Function* function = FindFunction(n.text);
    if (function == nullptr) return FailUnknownFunction(n);
    if (static_cast<int>(args.size()) != function->arity) {
      return Fail(n.span, Msg::kExprArity, function->name, function->arity, args.size(), function->usage);
    }
    if (!args_ok) return nullptr;
    if (function->name == "yuan") return BindYuan(n, std::move(args[0]));
    if (function->name == "abs") return BindAbs(n, std::move(args[0]));
    return BindMinMax(n, std::move(args[0]), std::move(args[1]));
  }

  BoundPtr FailUnknownFunction(const Node& n) {
    const std::string suggestion = Suggest(n.text, FunctionNames());
    if (suggestion.empty()) return Fail(n.op_span, Msg::kExprUnknownFunction, n.text);
    return Fail(n.op_span, Msg::kExprUnknownFunctionSuggest, n.text, suggestion);
  }

  // yuan(x): a number of yuan as money, with at most two decimals (fen).
  BoundPtr BindYuan(const Node& n, BoundPtr a) {
    const Node& arg = *n.args[0];
    if (a->type != Type::kNumber) {
      return Fail(arg.span, Msg::kExprArgumentType, "yuan", Snip(arg), TypeLabel(a->type), TypeLabel(Type::kNumber));
    }
    if (a->scale > 2) return Fail(arg.span, Msg::kExprYuanPrecision, Snip(arg), a->scale);
    a->type = Type::kMoney;
    return a;
  }

  BoundPtr BindAbs(const Node& n, BoundPtr a) {
    if (!CheckNumeric(n, *a, *n.args[0])) return nullptr;
    if (a->is_constant()) return Folded(n, a->type, a->value < 0 ? -static_cast<Wide>(a->value) : a->value, a->scale);
    const Type type = a->type;
    const int scale = a->scale;
    return Operator(BoundKind::kAbs, type, scale, std::move(a));
  }

  BoundPtr BindMinMax(const Node& n, BoundPtr a, BoundPtr b) {
    if (!CheckNumericPair(n, a.get(), b.get())) return nullptr;
    const bool is_min = n.text == "min";
    if (a->is_constant() && b->is_constant()) {
      const bool a_first = Compare(ValueOf(*a), ValueOf(*b)) < 0;
      return std::move(a_first == is_min ? a : b);
    }
    return Aligned(n, is_min ? BoundKind::kMin : BoundKind::kMax, std::move(a), std::move(b));
  }

  BoundPtr Negate(const Node& n, BoundPtr a) {
    if (a->is_constant()) return Folded(n, a->type, -static_cast<Wide>(a->value), a->scale);
    const Type type = a->type;
    const int scale = a->scale;
    return Operator(BoundKind::kNeg, type, scale, std::move(a));
  }

  // An add, sub, min or max node at the larger scale of its args, a constant arg brought to
  // that scale (an overflow there is a problem).
  BoundPtr Aligned(const Node& n, BoundKind kind, BoundPtr a, BoundPtr b) {
    const int scale = std::max(a->scale, b->scale);
    for (BoundPtr* arg : {&a, &b}) {
      if (!(*arg)->is_constant() || (*arg)->scale == scale) continue;
      const Wide aligned = Rescale((*arg)->value, (*arg)->scale, scale);
      if (!FitsInt64(aligned)) return Fail(n.span, Msg::kExprConstantOverflow, Snip(n));
      *arg = ConstantAt((*arg)->type, static_cast<int64_t>(aligned), scale);
    }
    const Type type = a->type;
    return Operator(kind, type, scale, std::move(a), std::move(b));
  }

  // The constant units / 10^scale computed for node `n`, at its smallest scale; a problem
  // when it needs more than kMaxScale decimals or does not fit in int64.
  BoundPtr Folded(const Node& n, Type type, Wide units, int scale) {
    while (scale > 0 && units % 10 == 0) {
      units /= 10;
      --scale;
    }
    if (scale > kMaxScale) return Fail(n.span, Msg::kExprScaleTooLarge, Snip(n), scale);
    if (!FitsInt64(units)) return Fail(n.span, Msg::kExprConstantOverflow, Snip(n));
    return ConstantAt(type, static_cast<int64_t>(units), scale);
  }

  // Checks: each reports its problem and returns false.
  bool CheckBool(const Node& op, const BoundNode& v, const Node& operand) {
    if (v.type == Type::kBool) return true;
    Report(operand.span, Msg::kExprNeedBool, op.text, Snip(operand), TypeLabel(v.type));
    return false;
  }

  bool CheckNumeric(const Node& op, const BoundNode& v, const Node& operand) {
    if (v.type != Type::kBool) return true;
    Report(operand.span, Msg::kExprNeedNumeric, op.text, Snip(operand));
    return false;
  }

  // Both args present, numeric and of one type (two numbers or two money values).
  bool CheckNumericPair(const Node& n, BoundNode* a, BoundNode* b) {
    const bool a_ok = a != nullptr && CheckNumeric(n, *a, *n.args[0]);
    const bool b_ok = b != nullptr && CheckNumeric(n, *b, *n.args[1]);
    return a_ok && b_ok && CheckSameType(n, *a, *b);
  }

  // Two numbers or two money values; a number that is exactly 0 (the literal 0) is zero
  // yuan as well and becomes money, so that `income > 0` needs no yuan(0).
  bool CheckSameType(const Node& n, BoundNode& a, BoundNode& b) {
    if (a.type == b.type) return true;
    for (BoundNode* v : {&a, &b}) {
      if (v->is_constant() && v->value == 0) {
        v->type = Type::kMoney;
        return true;
      }
    }
    const bool a_is_money = a.type == Type::kMoney;
    const Node& money = a_is_money ? *n.args[0] : *n.args[1];
    const Node& number = a_is_money ? *n.args[1] : *n.args[0];
    Report(n.span, Msg::kExprMoneyVsNumber, n.text, Snip(money), Snip(number));
    return false;
  }

  void Use(std::string_view name) {
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.emplace_back(name);
  }

  std::string Snip(const Node& n) const { return Snippet(text_, n.span); }

  template <typename... Args>
  void Report(Span span, Msg id, const Args&... args) {
    problems_.push_back(MakeProblem(span, id, args...));
  }

  template <typename... Args>
  BoundPtr Fail(Span span, Msg id, const Args&... args) {
    Report(span, id, args...);
    return nullptr;
  }

  std::string_view text_;
  const Catalog& catalog_;
  std::vector<Problem> problems_;
  std::vector<std::string> names_;
};

}  // namespace

BindResult Bind(std::string_view text, const Node& root, const Catalog& catalog) {
  return Binder(text, catalog).Run(root);
}

}  // namespace hearth::expr
