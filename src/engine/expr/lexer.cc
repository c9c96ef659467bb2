#include "engine/expr/lexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "engine/expr/problems.h"

namespace hearth::expr {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c) || c == '.'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct Symbol {
  std::string_view text;
  TokenKind kind;
};

// Longest first, so that "<=" wins over "<".
constexpr std::array<Symbol, 17> kSymbols = {{
    {"||", TokenKind::kOrOr}, {"&&", TokenKind::kAndAnd}, {"==", TokenKind::kEq}, {"!=", TokenKind::kNe},
    {"<=", TokenKind::kLe},   {">=", TokenKind::kGe},     {"<", TokenKind::kLt},  {">", TokenKind::kGt},
    {"!", TokenKind::kBang},  {"+", TokenKind::kPlus},    {"-", TokenKind::kMinus}, {"*", TokenKind::kStar},
    {"/", TokenKind::kSlash}, {"(", TokenKind::kLParen},  {")", TokenKind::kRParen}, {",", TokenKind::kComma},
    {"", TokenKind::kEnd},
}};

// Characters people type for an operator they meant.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kHalfOperators = {{
    {"&", "&&"}, {"|", "||"}, {"=", "=="},
}};

// Full-width and typographic characters an input method produces, with what was meant.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kFullWidth = {{
    {"（", "("}, {"）", ")"}, {"，", ","}, {"＜", "<"}, {"＞", ">"}, {"＝", "=="}, {"！", "!"}, {"＋", "+"},
    {"－", "-"}, {"＊", "*"}, {"×", "*"}, {"≤", "<="}, {"≥", ">="}, {"≠", "!="}, {"　", " "}, {"．", "."},
}};

// Bytes of the UTF-8 character whose lead byte is `lead` (1 for a stray byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

// A number is digits, optionally '.' and digits; the lexer takes every name character after
// the first digit so that "1.2.3" and "6000yuan" are one bad token, not several.
bool IsWellFormedNumber(std::string_view s) {
  const size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  if (whole.empty()) return false;
  for (char c : whole) {
    if (!IsDigit(c)) return false;
  }
  if (dot == std::string_view::npos) return true;
  const std::string_view fraction = s.substr(dot + 1);
  if (fraction.empty()) return false;
  for (char c : fraction) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  LexResult Run() {
    while (SkipSpace()) Next();
    out_.tokens.push_back(Token{TokenKind::kEnd, Span{static_cast<int>(text_.size()), 0}, {}});
    return std::move(out_);
  }

 private:
  // Moves past white space; false at the end of the text.
  bool SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    return pos_ < text_.size();
  }

  void Next() {
    const char c = text_[pos_];
    if (IsDigit(c)) return LexNumber();
    if (IsNameStart(c)) return LexName();
    if (static_cast<unsigned char>(c) >= 0x80) return LexNonAscii();
    if (LexSymbol()) return;
    LexBadAscii();
  }

  size_t ScanNameChars(size_t from) const {
    while (from < text_.size() && IsNameChar(text_[from])) ++from;
    return from;
  }

  void LexNumber() {
    const size_t end = ScanNameChars(pos_);
    if (!IsWellFormedNumber(text_.substr(pos_, end - pos_))) {
      Report(end - pos_, Msg::kExprBadNumber, text_.substr(pos_, end - pos_));
      pos_ = end;
      return;
    }
    Emit(TokenKind::kNumber, end - pos_);
  }

  void LexName() {
    const size_t length = ScanNameChars(pos_) - pos_;
    const std::string_view word = text_.substr(pos_, length);
    TokenKind kind = TokenKind::kName;
    if (word == "true") kind = TokenKind::kTrue;
    if (word == "false") kind = TokenKind::kFalse;
    Emit(kind, length);
  }

  bool LexSymbol() {
    for (const Symbol& s : kSymbols) {
      if (s.text.empty() || !text_.substr(pos_).starts_with(s.text)) continue;
      Emit(s.kind, s.text.size());
      return true;
    }
    return false;
  }

  void LexBadAscii() {
    for (const auto& [bad, meant] : kHalfOperators) {
      if (text_.substr(pos_, 1) != bad) continue;
      Report(1, Msg::kExprSingleOperator, bad, meant);
      ++pos_;
      return;
    }
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    const bool control = c < 0x20 || c == 0x7F;
    Report(1, Msg::kExprBadCharacter, control ? fmt::format("\\x{:02X}", c) : std::string(1, text_[pos_]));
    ++pos_;
  }

  void LexNonAscii() {
    const size_t length = std::min(Utf8Length(static_cast<unsigned char>(text_[pos_])), text_.size() - pos_);
    const std::string_view ch = text_.substr(pos_, length);
    std::string_view meant;
    for (const auto& [wide, ascii] : kFullWidth) {
      if (ch == wide) meant = ascii;
    }
    if (length == 1) {
      Report(length, Msg::kExprNonAsciiCharacter, fmt::format("\\x{:02X}", static_cast<unsigned char>(ch[0])));
    } else if (meant.empty()) {
      Report(length, Msg::kExprNonAsciiCharacter, ch);
    } else {
      Report(length, Msg::kExprFullWidthCharacter, ch, meant);
    }
    pos_ += length;
  }

  void Emit(TokenKind kind, size_t length) {
    out_.tokens.push_back(Token{kind, Here(length), text_.substr(pos_, length)});
    pos_ += length;
  }

  template <typename... Args>
  void Report(size_t length, Msg id, const Args&... args) {
    out_.problems.push_back(MakeProblem(Here(length), id, args...));
  }

  Span Here(size_t length) const { return Span{static_cast<int>(pos_), static_cast<int>(length)}; }

  std::string_view text_;
  size_t pos_ = 0;
  LexResult out_;
};

}  // namespace

LexResult Lex(std::string_view text) { return Lexer(text).Run(); }

}  // namespace hearth::expr
