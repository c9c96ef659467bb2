// What a Chinese editor does to a TOML file (a policy, a feed definition) that toml++ then cannot
// read: the file saved as GBK (ANSI) or UTF-16 (Unicode) rather than UTF-8, or full-width
// punctuation (，＝：“”【】) typed outside quotes by a Chinese input method. Pure text: the caller
// parses, and on a syntax error asks here what to tell the user in its own message.
//
//   catch (const toml::parse_error& e) {
//     TomlSyntaxCause cause = ExplainTomlSyntaxError(bytes, e.source().begin.line, e.source().begin.column);
//     if (cause.kind == TomlSyntaxCause::kNotUtf8) ... Error(..., Msg::kXNotUtf8, file, cause.line, cause.column, ...);
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hearth {

struct TomlSyntaxCause {
  enum Kind : int {
    kOther,      //!< nothing an editor is known to do: report the parser's own words
    kNotUtf8,    //!< the bytes are not UTF-8 from `line`:`column` on (GBK, UTF-16 ...)
    kFullWidth,  //!< the error's line holds full-width punctuation outside its strings
  };
  Kind kind = kOther;
  int64_t line = 0;        //!< kNotUtf8: the first byte that is not UTF-8; else the parser's position
  int64_t column = 0;      //!< in characters, as toml++ counts (1-based)
  std::string full_width;  //!< kFullWidth: each kind once, as "，→ ,  “→ \""
};

//! Why the TOML text `bytes` failed to parse at `line`:`column` (the parser's position).
TomlSyntaxCause ExplainTomlSyntaxError(std::string_view bytes, int64_t line, int64_t column);

//! Line `line` (1-based) of `text`, without its line break (and a '\r' before it); empty past
//! the end.
std::string_view LineAt(std::string_view text, int line);

//! The full-width punctuation of a TOML line outside its quoted strings and comment, each kind
//! once, as "，→ ,  “→ \"" (empty when there is none).
std::string FullWidthOutsideStrings(std::string_view line);

//! toml++'s description of a syntax error (English: "Error while parsing key-value pair:
//! expected '=', saw ':'") told in the current language: in Chinese, what the common errors mean
//! for someone editing the file and how to fix them, with toml++'s words after it in brackets;
//! in English, toml++'s words. An error it has no reading of keeps toml++'s words.
std::string TomlErrorInWords(std::string_view description);

}  // namespace hearth
