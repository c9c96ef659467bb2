// The parser: tokens -> syntax tree, by precedence climbing.
//
// Precedence, low to high: || ; && ; == != ; < <= > >= (not chainable) ; + - ; * / ;
// unary ! - ; primaries (literals, names, calls, parentheses). Binary operators associate to
// the left. `/` is parsed (so that the binder can say why it is refused), not evaluated.
#pragma once

#include <string_view>
#include <vector>

#include "engine/expr/ast.h"
#include "engine/expr/expr.h"
#include "engine/expr/lexer.h"

namespace hearth::expr {

//! The deepest tree (and the deepest nesting of parentheses and unary operators) accepted.
inline constexpr int kMaxDepth = 100;

struct ParseResult {
  NodePtr root;                   //!< null when there is a problem
  std::vector<Problem> problems;  //!< at most one: the first syntax error ("expr_syntax", "expr_too_deep")
};

//! Parses `tokens` (a LexResult without problems; the tree points into the text they came
//! from). A syntax error says what was expected and quotes what was found.
ParseResult Parse(const std::vector<Token>& tokens);

}  // namespace hearth::expr
