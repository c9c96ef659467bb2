#include "engine/expr/parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "engine/expr/problems.h"

namespace hearth::expr {
namespace {

constexpr int kComparisonPrecedence = 4;

struct BinaryOperator {
  int precedence;
  Op op;
};

std::optional<BinaryOperator> BinaryOperatorOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kOrOr: return BinaryOperator{1, Op::kOr};
    case TokenKind::kAndAnd: return BinaryOperator{2, Op::kAnd};
    case TokenKind::kEq: return BinaryOperator{3, Op::kEq};
    case TokenKind::kNe: return BinaryOperator{3, Op::kNe};
    case TokenKind::kLt: return BinaryOperator{kComparisonPrecedence, Op::kLt};
    case TokenKind::kLe: return BinaryOperator{kComparisonPrecedence, Op::kLe};
    case TokenKind::kGt: return BinaryOperator{kComparisonPrecedence, Op::kGt};
    case TokenKind::kGe: return BinaryOperator{kComparisonPrecedence, Op::kGe};
    case TokenKind::kPlus: return BinaryOperator{5, Op::kAdd};
    case TokenKind::kMinus: return BinaryOperator{5, Op::kSub};
    case TokenKind::kStar: return BinaryOperator{6, Op::kMul};
    case TokenKind::kSlash: return BinaryOperator{6, Op::kDiv};
    default: return std::nullopt;
  }
}

class Parser {
 public:
  explicit Parser(const std::vector<Token>& tokens) : tokens_(tokens) {}

  ParseResult Run() {
    NodePtr root = ParseBinary(1);
    if (root != nullptr && Peek().kind != TokenKind::kEnd) root = FailExpected(Msg::kExprExpectOperator);
    return ParseResult{std::move(root), std::move(problems_)};
  }

 private:
  NodePtr ParseBinary(int min_precedence) {
    NodePtr left = ParseUnary();
    bool left_is_comparison = false;
    while (left != nullptr) {
      const Token& token = Peek();
      const std::optional<BinaryOperator> binary = BinaryOperatorOf(token.kind);
      if (!binary || binary->precedence < min_precedence) break;
      const bool comparison = binary->precedence == kComparisonPrecedence;
      if (comparison && left_is_comparison) return Fail(token.span, Msg::kExprChainedComparison, token.text);
      Advance();
      NodePtr right = ParseBinary(binary->precedence + 1);
      if (right == nullptr) return nullptr;
      left = Make(NodeKind::kBinary, binary->op, token, Args(std::move(left), std::move(right)));
      left_is_comparison = comparison;
    }
    return left;
  }

  NodePtr ParseUnary() {
    if (nesting_ >= kMaxDepth) return Fail(Peek().span, Msg::kExprTooDeep, kMaxDepth);
    const Token& token = Peek();
    if (token.kind != TokenKind::kBang && token.kind != TokenKind::kMinus) return ParsePrimary();
    Advance();
    ++nesting_;
    NodePtr operand = ParseUnary();
    --nesting_;
    if (operand == nullptr) return nullptr;
    const Op op = token.kind == TokenKind::kBang ? Op::kNot : Op::kNeg;
    return Make(NodeKind::kUnary, op, token, Args(std::move(operand)));
  }

  NodePtr ParsePrimary() {
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kNumber: return Leaf(NodeKind::kNumber);
      case TokenKind::kTrue:
      case TokenKind::kFalse: return Leaf(NodeKind::kBool);
      case TokenKind::kName:
        if (PeekAt(1).kind == TokenKind::kLParen) return ParseCall();
        return Leaf(NodeKind::kName);
      case TokenKind::kLParen: return ParseParenthesized();
      default: return FailExpected(Msg::kExprExpectOperand);
    }
  }

  NodePtr ParseParenthesized() {
    const Token& open = Advance();
    ++nesting_;
    NodePtr inner = ParseBinary(1);
    --nesting_;
    if (inner == nullptr) return nullptr;
    if (Peek().kind != TokenKind::kRParen) return FailExpected(Msg::kExprExpectCloseParen);
    inner->span = Cover(open.span, Advance().span);
    return inner;
  }

  // name "(" [expression ("," expression)*] ")"
  NodePtr ParseCall() {
    const Token& name = Advance();
    Advance();  // "("
    std::vector<NodePtr> args;
    ++nesting_;
    const bool ok = ParseArguments(&args);
    --nesting_;
    if (!ok) return nullptr;
    NodePtr call = Make(NodeKind::kCall, Op::kOr, name, std::move(args));
    if (call != nullptr) call->span = Cover(name.span, Advance().span);
    return call;
  }

  // Parses arguments up to, not including, the ")". False after a syntax error.
  bool ParseArguments(std::vector<NodePtr>* args) {
    if (Peek().kind == TokenKind::kRParen) return true;
    while (true) {
      NodePtr arg = ParseBinary(1);
      if (arg == nullptr) return false;
      args->push_back(std::move(arg));
      if (Peek().kind == TokenKind::kRParen) return true;
      if (Peek().kind != TokenKind::kComma) {
        FailExpected(Msg::kExprExpectCommaOrParen);
        return false;
      }
      Advance();
    }
  }

  NodePtr Leaf(NodeKind kind) {
    const Token& token = Advance();
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->span = token.span;
    node->op_span = token.span;
    node->text = token.text;
    return node;
  }

  // An operator or call node over `args`, spanning them and `token`; null (a problem) when it
  // would be deeper than kMaxDepth.
  NodePtr Make(NodeKind kind, Op op, const Token& token, std::vector<NodePtr> args) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->op = op;
    node->op_span = token.span;
    node->text = token.text;
    int begin = token.span.offset;
    int end = token.span.end();
    for (const NodePtr& arg : args) {
      begin = std::min(begin, arg->span.offset);
      end = std::max(end, arg->span.end());
      node->depth = std::max(node->depth, arg->depth + 1);
    }
    node->span = Span{begin, end - begin};
    node->args = std::move(args);
    if (node->depth > kMaxDepth) return Fail(node->span, Msg::kExprTooDeep, kMaxDepth);
    return node;
  }

  static std::vector<NodePtr> Args(NodePtr a) {
    std::vector<NodePtr> args;
    args.push_back(std::move(a));
    return args;
  }
  static std::vector<NodePtr> Args(NodePtr a, NodePtr b) {
    std::vector<NodePtr> args = Args(std::move(a));
    args.push_back(std::move(b));
    return args;
  }

  // "Expected <what>, found <the next token>", at the next token.
  NodePtr FailExpected(Msg what) {
    const Token& found = Peek();
    const std::string found_text =
        found.kind == TokenKind::kEnd ? Tr(Msg::kExprFoundEnd) : "\"" + std::string(found.text) + "\"";
    return Fail(found.span, Msg::kExprExpected, Tr(what), found_text);
  }

  template <typename... Args>
  NodePtr Fail(Span span, Msg id, const Args&... args) {
    if (problems_.empty()) problems_.push_back(MakeProblem(span, id, args...));
    return nullptr;
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& PeekAt(size_t ahead) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& Advance() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }

  const std::vector<Token>& tokens_;
  size_t pos_ = 0;
  int nesting_ = 0;
  std::vector<Problem> problems_;
};

}  // namespace

std::string_view OpSymbol(Op op) {
  switch (op) {
    case Op::kOr: return "||";
    case Op::kAnd: return "&&";
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kAdd: return "+";
    case Op::kSub: return "-";
    case Op::kMul: return "*";
    case Op::kDiv: return "/";
    case Op::kNot: return "!";
    case Op::kNeg: return "-";
  }
  return "?";
}

ParseResult Parse(const std::vector<Token>& tokens) { return Parser(tokens).Run(); }

}  // namespace hearth::expr
