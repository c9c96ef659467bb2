// The lexer: expression text -> tokens, each with its byte span.
#pragma once

#include <string_view>
#include <vector>

#include "engine/expr/ast.h"
#include "engine/expr/expr.h"

namespace hearth::expr {

enum class TokenKind : uint8_t {
  kEnd,     //!< after the last token; its span is {text.size(), 0}
  kNumber,  //!< digits with at most one '.' between digits: 6000, 0.5
  kName,    //!< [A-Za-z_][A-Za-z0-9_.]*
  kTrue,
  kFalse,
  kLParen,
  kRParen,
  kComma,
  kOrOr,
  kAndAnd,
  kBang,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kStar,
  kSlash,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  Span span;
  std::string_view text;  //!< the bytes of the token; empty for kEnd
};

struct LexResult {
  std::vector<Token> tokens;      //!< always ends with one kEnd token
  std::vector<Problem> problems;  //!< one per bad character or malformed number ("expr_syntax")
};

//! Splits `text` into tokens, skipping ASCII white space. Every bad character ("$", a
//! full-width "（", a lone "&") and every malformed number ("1.2.3", "6000yuan") is a
//! problem; lexing goes on after each so that all of them are reported at once.
LexResult Lex(std::string_view text);

}  // namespace hearth::expr
