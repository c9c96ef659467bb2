// Building Problems from the message catalogue (core/messages/expr.inc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"
#include "engine/expr/ast.h"
#include "engine/expr/expr.h"

namespace hearth::expr {

//! A problem covering `span`, with the kind and current-language text of message `id`.
template <typename... Args>
Problem MakeProblem(Span span, Msg id, const Args&... args) {
  return Problem{span.offset, span.length, std::string(MessageKind(id)), Tr(id, args...)};
}

//! The text of `span` for quoting in a message, cut to about 40 bytes (at a UTF-8 character
//! boundary, ending in "…") when longer.
std::string Snippet(std::string_view text, Span span);

//! The candidate most likely meant by a mistyped `name` (ClosestName, core/text.h); empty when
//! none is that close.
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace hearth::expr
