// The syntax tree of one expression, as the parser builds it: untyped, with the byte span of
// every node so that later stages can point at the text.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace hearth::expr {

//! A range of bytes of the expression text.
struct Span {
  int offset = 0;
  int length = 0;
  int end() const { return offset + length; }
};

//! The span from the start of `first` to the end of `last`.
inline Span Cover(Span first, Span last) { return Span{first.offset, last.end() - first.offset}; }

enum class NodeKind : uint8_t {
  kNumber,  //!< a decimal literal; `text` holds it
  kBool,    //!< true / false; `text` holds it
  kName,    //!< a column or constant; `text` holds the name
  kUnary,   //!< `op` applied to args[0]
  kBinary,  //!< args[0] `op` args[1]
  kCall,    //!< function `text` applied to args
};

enum class Op : uint8_t { kOr, kAnd, kEq, kNe, kLt, kLe, kGt, kGe, kAdd, kSub, kMul, kDiv, kNot, kNeg };

//! The operator as written: "||", "<=", "!" ...
std::string_view OpSymbol(Op op);
//! True for == != < <= > >=.
inline bool IsComparison(Op op) { return op >= Op::kEq && op <= Op::kGe; }

struct Node {
  NodeKind kind = NodeKind::kNumber;
  Op op = Op::kOr;
  Span span;                //!< the whole node, with its parentheses when it has them
  Span op_span;             //!< the operator token, the function name, or the literal/name itself
  std::string_view text;    //!< points into the expression text, which outlives the tree
  int depth = 1;            //!< 1 + the largest depth of the args
  std::vector<std::unique_ptr<Node>> args;
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace hearth::expr
