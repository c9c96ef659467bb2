#include "core/text.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "core/messages.h"

namespace hearth {
namespace {

constexpr size_t kSequenceInvalid = 0;
constexpr size_t kSequenceIncomplete = static_cast<size_t>(-1);

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The allowed range of the second byte of a sequence led by `lead` (RFC 3629 table), which
// excludes overlong forms, surrogates and code points above U+10FFFF. Returns the sequence
// length, or 0 for a byte that cannot lead.
size_t LeadInfo(unsigned char lead, unsigned char* lo, unsigned char* hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (lead == 0xE0) *lo = 0xA0;
    if (lead == 0xED) *hi = 0x9F;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (lead == 0xF0) *lo = 0x90;
    if (lead == 0xF4) *hi = 0x8F;
    return 4;
  }
  return 0;
}

// Checks the multi-byte sequence at p (avail > 0 bytes available). Returns its length when
// complete and valid, kSequenceIncomplete when valid so far but cut off, else kSequenceInvalid.
size_t CheckSequence(const unsigned char* p, size_t avail) {
  unsigned char lo, hi;
  size_t length = LeadInfo(p[0], &lo, &hi);
  if (length == 0) return kSequenceInvalid;
  for (size_t i = 1; i < length; ++i) {
    if (i >= avail) return kSequenceIncomplete;
    bool ok = i == 1 ? (p[i] >= lo && p[i] <= hi) : IsContinuation(p[i]);
    if (!ok) return kSequenceInvalid;
  }
  return length;
}

// Skips ASCII eight bytes at a time; returns the index of the first non-ASCII byte from i.
size_t SkipAscii(const unsigned char* p, size_t i, size_t n) {
  while (i + 8 <= n) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// Decodes the code point of a valid sequence of `length` bytes.
char32_t DecodeValid(const unsigned char* p, size_t length) {
  if (length == 1) return p[0];
  char32_t cp = p[0] & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) cp = (cp << 6) | (p[i] & 0x3F);
  return cp;
}

// Calls `fn(code_point, raw_bytes)` for each character of `utf8`; an invalid byte is passed
// on as itself with code point U+FFFD so that nothing is lost.
template <typename Fn>
void ForEachChar(std::string_view utf8, Fn fn) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  size_t n = utf8.size();
  size_t i = 0;
  while (i < n) {
    size_t length = p[i] < 0x80 ? 1 : CheckSequence(p + i, n - i);
    bool valid = length != kSequenceInvalid && length != kSequenceIncomplete;
    if (!valid) length = 1;
    fn(valid ? DecodeValid(p + i, length) : char32_t{0xFFFD}, utf8.substr(i, length));
    i += length;
  }
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Length of a space (ASCII whitespace, U+3000, U+00A0) at the start of s, or 0.
size_t LeadingSpaceLength(std::string_view s) {
  if (!s.empty() && IsAsciiSpace(s[0])) return 1;
  if (s.starts_with("\u3000")) return 3;
  if (s.starts_with("\u00A0")) return 2;
  return 0;
}

size_t TrailingSpaceLength(std::string_view s) {
  if (!s.empty() && IsAsciiSpace(s.back())) return 1;
  if (s.ends_with("\u3000")) return 3;
  if (s.ends_with("\u00A0")) return 2;
  return 0;
}

bool IsNameSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         cp == 0x00A0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0xFEFF;
}

bool IsMiddleDotVariant(char32_t cp) {
  switch (cp) {
    case 0x00B7: case 0x2022: case 0x002E: case 0x30FB: case 0xFF65:
    case 0x2027: case 0x2219: case 0x22C5: case 0x25CF: case 0x3002:
      return true;
    default:
      return false;
  }
}

// An iconv conversion descriptor, closed on destruction.
class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;

  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// Outcome of one Convert call.
struct ConvertResult {
  size_t consumed = 0;  // input bytes converted
  int error = 0;        // 0, EILSEQ (bad input at `consumed`) or EINVAL (cut-off tail)
};

// Converts as much of `in` as possible, appending to `out`.
ConvertResult Convert(iconv_t cd, std::string_view in, std::string* out) {
  char* in_ptr = const_cast<char*>(in.data());
  size_t in_left = in.size();
  size_t used = out->size();
  // GB18030 <-> UTF-8 grows text by at most half (2 bytes <-> 3); E2BIG covers the rest.
  out->resize(used + in.size() + in.size() / 2 + 16);
  int error = 0;
  while (in_left > 0) {
    char* out_ptr = out->data() + used;
    size_t out_left = out->size() - used;
    size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    used = out_ptr - out->data();
    if (r != static_cast<size_t>(-1)) break;
    if (errno != E2BIG) {
      error = errno;
      break;
    }
    out->resize(out->size() * 2);
  }
  out->resize(used);
  return {in.size() - in_left, error};
}

Status InvalidBytes(Encoding encoding, uint64_t offset) {
  return Error(StatusCode::kInvalidArgument, Msg::kEncodingInvalidBytes, EncodingName(encoding),
               offset + 1);
}

StatusOr<std::string> ConvertWhole(const char* to, const char* from, Encoding source,
                                   std::string_view in) {
  Iconv cd(to, from);
  if (!cd.ok()) return Error(StatusCode::kInternal, Msg::kInternalError, "iconv_open");
  std::string out;
  ConvertResult r = Convert(cd.get(), in, &out);
  if (r.error != 0) return InvalidBytes(source, r.consumed);
  return out;
}


// ASCII whitespace, NBSP, zero-width space and BOM: what RemoveSpaces drops.
size_t InvisibleLength(std::string_view s) {
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == '\v' || s[0] == '\f') {
    return 1;
  }
  for (std::string_view mark : {"\u00A0", "\u200B", "\uFEFF"}) {
    if (s.starts_with(mark)) return mark.size();
  }
  return 0;
}

}  // namespace

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    size_t skip = InvisibleLength(s);
    if (skip == 0) out.push_back(s[0]);
    s.remove_prefix(skip == 0 ? 1 : skip);
  }
  return out;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

StatusOr<Encoding> ParseEncoding(std::string_view name) {
  std::string lower = LowerAscii(TrimSpace(name));
  if (lower == "auto" || lower.empty()) return Encoding::kAuto;
  if (lower == "utf-8" || lower == "utf8") return Encoding::kUtf8;
  if (lower == "gbk" || lower == "gb18030" || lower == "gb2312" || lower == "cp936") {
    return Encoding::kGbk;
  }
  return Error(StatusCode::kInvalidArgument, Msg::kEncodingUnknown, name);
}

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kAuto: return "auto";
    case Encoding::kUtf8: return "utf-8";
    case Encoding::kGbk: return "gbk";
  }
  return "auto";
}

size_t Utf8ValidPrefix(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  size_t i = 0;
  while (true) {
    i = SkipAscii(p, i, n);
    if (i == n) return n;
    size_t length = CheckSequence(p + i, n - i);
    if (length == kSequenceInvalid || length == kSequenceIncomplete) return i;
    i += length;
  }
}

bool IsValidUtf8(std::string_view bytes, bool allow_truncated_tail) {
  size_t valid = Utf8ValidPrefix(bytes);
  if (valid == bytes.size()) return true;
  if (!allow_truncated_tail) return false;
  const auto* tail = reinterpret_cast<const unsigned char*>(bytes.data() + valid);
  return CheckSequence(tail, bytes.size() - valid) == kSequenceIncomplete;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t Utf8BomLength(std::string_view bytes) { return bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0; }

Encoding DetectEncoding(std::string_view head) {
  if (Utf8BomLength(head) > 0) return Encoding::kUtf8;
  if (IsValidUtf8(head, /*allow_truncated_tail=*/true)) return Encoding::kUtf8;
  // Of the lines beyond ASCII, those in UTF-8 and the others. (GBK text is hardly ever valid
  // UTF-8, while UTF-8 text often is valid GBK: only the lines tell the two apart.)
  int64_t utf8_lines = 0, other_lines = 0;
  while (!head.empty()) {
    const size_t end = head.find('\n');
    const std::string_view line = head.substr(0, end);
    head.remove_prefix(end == std::string_view::npos ? head.size() : end + 1);
    if (std::all_of(line.begin(), line.end(), [](char c) { return (c & 0x80) == 0; })) continue;
    ++(IsValidUtf8(line, /*allow_truncated_tail=*/end == std::string_view::npos) ? utf8_lines : other_lines);
  }
  return utf8_lines > other_lines ? Encoding::kUtf8 : Encoding::kGbk;
}

struct GbkDecoder::Impl {
  Iconv cd{"UTF-8", "GB18030"};
  std::string pending;   // a cut-off multi-byte sequence from the previous chunk
  uint64_t offset = 0;   // stream offset of pending's first byte (or of the next chunk)
};

GbkDecoder::GbkDecoder() : impl_(std::make_unique<Impl>()) {}
GbkDecoder::~GbkDecoder() = default;

Status GbkDecoder::Decode(std::string_view chunk, bool last, std::string* out) {
  if (!impl_->cd.ok()) return Error(StatusCode::kInternal, Msg::kInternalError, "iconv_open");
  std::string joined;
  std::string_view input = chunk;
  if (!impl_->pending.empty()) {
    joined = std::move(impl_->pending);
    joined.append(chunk);
    input = joined;
  }
  impl_->pending.clear();
  ConvertResult r = Convert(impl_->cd.get(), input, out);
  uint64_t error_offset = impl_->offset + r.consumed;
  impl_->offset = error_offset;
  if (r.error == EINVAL && !last) {
    impl_->pending.assign(input.substr(r.consumed));
    return Status::Ok();
  }
  if (r.error != 0) return InvalidBytes(Encoding::kGbk, error_offset);
  return Status::Ok();
}

StatusOr<std::string> GbkToUtf8(std::string_view gbk) {
  return ConvertWhole("UTF-8", "GB18030", Encoding::kGbk, gbk);
}

StatusOr<std::string> Utf8ToGbk(std::string_view utf8) {
  return ConvertWhole("GB18030", "UTF-8", Encoding::kUtf8, utf8);
}

std::string FoldWidth(std::string_view utf8) {
  // Full-width forms (EF BC 81..EF BD 9E) and U+3000 (E3 80 80) begin with EF or E3: text
  // without those bytes (all ASCII text, most names) is already folded.
  if (utf8.find_first_of("\xEF\xE3") == std::string_view::npos) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  ForEachChar(utf8, [&out](char32_t cp, std::string_view raw) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      out.push_back(static_cast<char>(cp - 0xFEE0));
    } else if (cp == 0x3000) {
      out.push_back(' ');
    } else {
      out.append(raw);
    }
  });
  return out;
}

StatusOr<int64_t> ParseWholeNumber(std::string_view text) {
  std::string folded = FoldWidth(text);
  std::string_view t = TrimSpace(folded);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  std::string_view rest(end, static_cast<size_t>(t.data() + t.size() - end));
  bool whole = rest.empty() || (rest[0] == '.' && rest.find_first_not_of('0', 1) == std::string_view::npos);
  if (t.empty() || ec != std::errc() || !whole) return Status::InvalidArgument("int_format", std::string(text));
  return value;
}

std::string_view TrimSpace(std::string_view utf8) {
  while (size_t n = LeadingSpaceLength(utf8)) utf8.remove_prefix(n);
  while (size_t n = TrailingSpaceLength(utf8)) utf8.remove_suffix(n);
  return utf8;
}

std::string NormalizeName(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  ForEachChar(FoldWidth(utf8), [&out](char32_t cp, std::string_view raw) {
    if (IsNameSpace(cp)) return;
    if (IsMiddleDotVariant(cp)) {
      AppendUtf8(0x00B7, &out);
      return;
    }
    out.append(raw);
  });
  return out;
}

namespace {

// NormalizeName, but a space inside the name (between two of its characters) is the middle dot
// that separates a Uyghur given name from the father's: "亚森 赛买提" is 亚森·赛买提.
std::string NormalizeNameSpaceAsDot(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool gap = false;
  ForEachChar(FoldWidth(utf8), [&](char32_t cp, std::string_view raw) {
    if (IsNameSpace(cp)) {
      gap = !out.empty();
      return;
    }
    const bool dot = IsMiddleDotVariant(cp);
    if (gap && !dot && !out.ends_with("\u00B7")) AppendUtf8(0x00B7, &out);
    gap = false;
    if (dot) {
      if (!out.ends_with("\u00B7")) AppendUtf8(0x00B7, &out);
      return;
    }
    out.append(raw);
  });
  return out;
}

}  // namespace

bool SameName(std::string_view a, std::string_view b) {
  const std::string na = NormalizeName(a), nb = NormalizeName(b);
  if (na == nb) return true;
  // A space where the other has the dot: only when exactly one of them has spaces for it.
  return NormalizeNameSpaceAsDot(a) == nb || na == NormalizeNameSpaceAsDot(b);
}

std::string MaskName(std::string_view utf8) {
  std::string out;
  size_t chars = 0;
  ForEachChar(TrimSpace(utf8), [&](char32_t, std::string_view raw) {
    if (chars++ == 0) out.append(raw);
  });
  if (chars == 0) return out;
  out.append(chars > 1 ? chars - 1 : 1, '*');
  return out;
}

std::string TruncateUtf8(std::string_view utf8, size_t max_bytes) {
  if (utf8.size() <= max_bytes) return std::string(utf8);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
  return std::string(utf8.substr(0, end)) + "…";
}

size_t CountUtf8Chars(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

int EditDistance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string_view ClosestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  // How many edits still look like a typo of a name of this length.
  const int max_edits = name.size() <= 4 ? 1 : name.size() <= 8 ? 2 : 3;
  std::string_view best;
  int best_distance = max_edits + 1;
  for (std::string_view candidate : candidates) {
    const int distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace hearth
