// Parsing a TOML file a province edits (the policy, feed definitions): toml++'s one throwing
// call, with a syntax error that a Chinese editor explains (saved as GBK or UTF-16, full-width
// punctuation: toml_syntax.h) said so in the reader's language, toml++'s own words as the detail.
// Header-only: it needs toml++, which only its users link.
//
//   HEARTH_ASSIGN_OR_RETURN(toml::table doc, ParseTomlFile(bytes, file, {Msg::kPolicyNotUtf8, ...}));
#pragma once

#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "core/messages.h"
#include "core/status.h"
#include "core/toml_syntax.h"

namespace hearth {

//! The messages of one kind of file, each given (file, line, column, toml++'s detail); the
//! full-width one (file, line, column, the character, detail).
struct TomlSyntaxMessages {
  Msg not_utf8, full_width, other;
};

inline StatusOr<toml::table> ParseTomlFile(std::string_view bytes, const std::string& file, const TomlSyntaxMessages& m) {
  try {
    return toml::parse(bytes, file);
  } catch (const toml::parse_error& e) {
    const std::string detail = TomlErrorInWords(e.description());
    const TomlSyntaxCause cause = ExplainTomlSyntaxError(bytes, e.source().begin.line, e.source().begin.column);
    switch (cause.kind) {
      case TomlSyntaxCause::kNotUtf8:
        return Error(StatusCode::kInvalidArgument, m.not_utf8, file, cause.line, cause.column, detail);
      case TomlSyntaxCause::kFullWidth:
        return Error(StatusCode::kInvalidArgument, m.full_width, file, cause.line, cause.column, cause.full_width, detail);
      case TomlSyntaxCause::kOther: break;
    }
    return Error(StatusCode::kInvalidArgument, m.other, file, cause.line, cause.column, detail);
  }
}

}  // namespace hearth
