// Text: UTF-8 inside. Encodings of incoming files, width folding, and name comparison.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth {

enum class Encoding : int { kAuto = 0, kUtf8 = 1, kGbk = 2 /* read as GB18030, a superset */ };

//! Parses "auto", "utf-8"/"utf8", "gbk"/"gb18030"/"gb2312". Kind "encoding_unknown".
StatusOr<Encoding> ParseEncoding(std::string_view name);
std::string_view EncodingName(Encoding e);

//! True when the bytes are valid UTF-8. `allow_truncated_tail` accepts an incomplete
//! multi-byte sequence at the very end (for a prefix of a file).
bool IsValidUtf8(std::string_view bytes, bool allow_truncated_tail = false);

//! Length of the longest prefix of `bytes` made of complete, valid UTF-8 sequences
//! (bytes.size() when all of it is valid). Readers use it to find where bad bytes start.
size_t Utf8ValidPrefix(std::string_view bytes);

//! Appends the UTF-8 encoding of a code point (U+0000..U+10FFFF, not a surrogate) to `out`.
void AppendUtf8(char32_t code_point, std::string* out);

//! Guesses the encoding of a file from its first bytes: a UTF-8 BOM -> kUtf8; valid UTF-8
//! -> kUtf8; otherwise kGbk, unless most of its lines beyond ASCII are valid UTF-8 (a UTF-8 file
//! with a line pasted in GBK: kUtf8, so that the reader fails on the line at fault).
Encoding DetectEncoding(std::string_view head);

//! Number of bytes of a UTF-8 BOM at the start of `bytes` (0 or 3).
size_t Utf8BomLength(std::string_view bytes);

//! Streaming GB18030 -> UTF-8 conversion (iconv). Feed chunks in order; an incomplete
//! multi-byte sequence at the end of a chunk is kept for the next one.
class GbkDecoder {
 public:
  GbkDecoder();
  ~GbkDecoder();
  GbkDecoder(const GbkDecoder&) = delete;
  GbkDecoder& operator=(const GbkDecoder&) = delete;

  //! Appends the UTF-8 of `chunk` to `out`. `last` marks the final chunk (a dangling partial
  //! sequence is then an error). Kind "encoding_invalid" with the byte offset on bad input;
  //! `out` then holds the conversion of every byte before the bad one, and the decoder
  //! must not be fed again.
  Status Decode(std::string_view chunk, bool last, std::string* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! Converts a whole GB18030 string to UTF-8.
StatusOr<std::string> GbkToUtf8(std::string_view gbk);
//! Converts a UTF-8 string to GB18030 (for writing GBK test and department files).
StatusOr<std::string> Utf8ToGbk(std::string_view utf8);

//! Folds full-width ASCII forms (U+FF01..U+FF5E) to ASCII and the ideographic space U+3000
//! to ' '.
std::string FoldWidth(std::string_view utf8);

//! ASCII letters lowered, every other byte kept (file extensions, codes).
std::string LowerAscii(std::string_view s);

//! Trims ASCII whitespace, U+3000 and U+00A0 from both ends.
std::string_view TrimSpace(std::string_view utf8);

//! Drops ASCII whitespace, U+00A0, U+200B and the BOM anywhere in the text ("低 保", a header
//! wrapped onto two lines in its cell). U+3000 is folded to a space by FoldWidth first.
std::string RemoveSpaces(std::string_view utf8);

//! Edit distance: insertions, deletions, substitutions and swaps of two neighbours count one
//! edit each; ASCII case is ignored.
int EditDistance(std::string_view a, std::string_view b);

//! The candidate most likely meant by a mistyped `name`: the first of those with the fewest
//! edits (EditDistance), if that is at most 1 edit for names up to 4 bytes, 2 up to 8, 3
//! beyond. Empty when none is that close. For "did you mean …?" hints.
std::string_view ClosestName(std::string_view name, const std::vector<std::string_view>& candidates);

//! Normalises a person's name for comparison: width folded, all spaces removed, and the
//! middle-dot variants of transliterated names (· U+00B7, • U+2022, . U+002E, ・ U+30FB,
//! ･ U+FF65, ‧ U+2027, ∙ U+2219, ⋅ U+22C5, ● U+25CF, 。U+3002) unified to U+00B7.
//! "阿卜杜拉 • 艾买提" and "阿卜杜拉·艾买提" normalise alike.
std::string NormalizeName(std::string_view utf8);

//! A whole number as offices type it: width folded, trimmed, and spreadsheets' "2019.0" accepted.
//! Anything else (empty, a fraction, text, out of int64 range) is kind "int_format".
StatusOr<int64_t> ParseWholeNumber(std::string_view text);

//! True when two names are equal after NormalizeName.
bool SameName(std::string_view a, std::string_view b);

//! At most `max_bytes` bytes of `utf8`, cut at a character boundary, with "…" appended when
//! anything was cut (for quoting user input in messages and reports).
std::string TruncateUtf8(std::string_view utf8, size_t max_bytes);

//! Number of characters (code points) of UTF-8 text.
size_t CountUtf8Chars(std::string_view utf8);

//! Masks a name for display: keeps the first character ("阿***", "张*").
std::string MaskName(std::string_view utf8);

}  // namespace hearth
