#include "core/id_number.h"

#include <algorithm>
#include <array>

#include "core/messages.h"
#include "core/text.h"

namespace hearth {
namespace {

constexpr std::array<int, 17> kCheckWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCharacters = "10X98765432";  // indexed by the sum mod 11
// GB/T 2260 provinces, autonomous regions, municipalities, Taiwan, Hong Kong and Macao.
constexpr std::array<int, 34> kProvinceCodes = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                                35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                                53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
constexpr size_t kFirstGenerationLength = 15;
constexpr size_t kIdLength = 18;
constexpr int kEarliestBirthYear = 1900;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int DigitsValue(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Number of UTF-8 characters (bytes that do not continue a sequence).
size_t CountChars(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The whole UTF-8 character that starts at byte `i`.
std::string_view CharAt(std::string_view utf8, size_t i) {
  size_t end = i + 1;
  while (end < utf8.size() && (utf8[end] & 0xC0) == 0x80) ++end;
  return utf8.substr(i, end - i);
}

// "6", "6.53221" or "6.": the mantissa of a number in scientific notation, one digit before
// the point as spreadsheets show it.
bool IsMantissa(std::string_view s) {
  if (s.empty() || !IsDigit(s[0])) return false;
  s.remove_prefix(1);
  return s.empty() || s == "." || (s[0] == '.' && AllDigits(s.substr(1)));
}

// "6.53221E+17", "6.5322119900101e17": scientific notation as spreadsheets show long numbers.
bool IsScientificNotation(std::string_view s) {
  const size_t e = s.find_first_of("Ee");
  if (e == std::string_view::npos) return false;
  std::string_view exponent = s.substr(e + 1);
  if (exponent.starts_with('+') || exponent.starts_with('-')) exponent.remove_prefix(1);
  return IsMantissa(s.substr(0, e)) && AllDigits(exponent);
}

// "653221199001011234.0": a number cell exported with a decimal part of zeros.
bool HasZeroDecimalPart(std::string_view s) {
  const size_t dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view fraction = s.substr(dot + 1);
  return AllDigits(s.substr(0, dot)) && AllDigits(fraction) &&
         fraction.find_first_not_of('0') == std::string_view::npos;
}

// 18 digits whose check fails and that end in zeros: a spreadsheet kept 15 significant digits.
bool HasLostPrecision(std::string_view s) {
  return s.size() == kIdLength && AllDigits(s) && s.ends_with("000") &&
         IdCheckCharacter(s.substr(0, kIdLength - 1)) != s.back();
}

// "653221199001011234.0" or "...1234.00": a numeric column exported with its decimals whose 18
// digits are whole, as the check character proves; `id` keeps those 18 digits. Any other zero
// decimal part (a check that fails, 15 digits, "6.53E+17") is left for CheckForm to refuse.
void DropDecimalsOfWholeId(std::string* id) {
  const size_t size = id->size();
  if (size != kIdLength + 2 && size != kIdLength + 3) return;
  const std::string_view s(*id);
  if (s[kIdLength] != '.' || s.substr(kIdLength + 1).find_first_not_of('0') != std::string_view::npos) return;
  const std::string_view digits = s.substr(0, kIdLength);
  if (!AllDigits(digits) || IdCheckCharacter(digits.substr(0, kIdLength - 1)) != digits.back()) return;
  id->resize(kIdLength);
}

bool LooksLikeSpreadsheetNumber(std::string_view s) {
  return IsScientificNotation(s) || HasZeroDecimalPart(s) || HasLostPrecision(s);
}

// The first character that may not stand where it is, or "" when all are allowed.
std::string_view FirstBadCharacter(std::string_view id) {
  for (size_t i = 0; i < id.size(); ++i) {
    const bool check_place = id.size() == kIdLength && i == kIdLength - 1;
    if (!IsDigit(id[i]) && !(check_place && id[i] == 'X')) return CharAt(id, i);
  }
  return "";
}

Status CheckCharacters(std::string_view id, std::string_view quoted) {
  const std::string_view bad = FirstBadCharacter(id);
  if (bad.empty()) return Status::Ok();
  return Error(StatusCode::kInvalidArgument, Msg::kIdCharacter, quoted, bad);
}

std::string ConvertFrom15(std::string_view id15) {
  std::string id = std::string(id15.substr(0, 6)) + "19" + std::string(id15.substr(6));
  id.push_back(IdCheckCharacter(id));
  return id;
}

Status CheckProvince(std::string_view id, std::string_view quoted) {
  const int code = DigitsValue(id.substr(0, 2));
  if (std::find(kProvinceCodes.begin(), kProvinceCodes.end(), code) != kProvinceCodes.end()) return Status::Ok();
  return Error(StatusCode::kInvalidArgument, Msg::kIdProvince, quoted, id.substr(0, 2));
}

StatusOr<Date> CheckBirthDate(std::string_view id, Date today, std::string_view quoted) {
  const std::string_view digits = id.substr(6, 8);
  const int year = DigitsValue(digits.substr(0, 4));
  const int month = DigitsValue(digits.substr(4, 2));
  const int day = DigitsValue(digits.substr(6, 2));
  if (year < kEarliestBirthYear || !Date::IsValidCivil(year, month, day)) {
    return Error(StatusCode::kInvalidArgument, Msg::kIdBirthDate, quoted, digits);
  }
  const Date birth = Date::FromCivil(year, month, day);
  if (birth > today) {
    return Error(StatusCode::kInvalidArgument, Msg::kIdFutureBirth, quoted, birth.ToIso(), today.ToIso());
  }
  return birth;
}

Status CheckChecksum(std::string_view id, std::string_view quoted) {
  const char expected = IdCheckCharacter(id.substr(0, kIdLength - 1));
  if (expected == id.back()) return Status::Ok();
  return Error(StatusCode::kInvalidArgument, Msg::kIdChecksum, quoted, std::string(1, expected),
               std::string(1, id.back()));
}

// Validates the form of the normalised text before its content.
Status CheckForm(std::string_view id, std::string_view quoted) {
  if (id.empty()) return Error(StatusCode::kInvalidArgument, Msg::kIdEmpty);
  if (LooksLikeSpreadsheetNumber(id)) return Error(StatusCode::kInvalidArgument, Msg::kIdSpreadsheetNumber, quoted);
  // A stray character (a dash, a letter) is named before the length it also spoils.
  const size_t stray = id.find_first_not_of("0123456789X");
  if (stray != std::string_view::npos) {
    return Error(StatusCode::kInvalidArgument, Msg::kIdCharacter, quoted, CharAt(id, stray));
  }
  const size_t length = CountChars(id);
  if (length != kIdLength && length != kFirstGenerationLength) {
    return Error(StatusCode::kInvalidArgument, Msg::kIdLength, quoted, length);
  }
  return CheckCharacters(id, quoted);
}

}  // namespace

bool IsSpreadsheetNumberText(std::string_view text) {
  std::string folded = FoldWidth(TrimSpace(text));
  return IsScientificNotation(folded) || HasZeroDecimalPart(folded);
}

bool EndsLikeLostPrecision(std::string_view normalized_id) {
  return normalized_id.size() == kIdLength && AllDigits(normalized_id) && normalized_id.ends_with("000");
}

std::string NormalizeIdText(std::string_view raw) {
  std::string folded = FoldWidth(TrimSpace(raw));
  // Marks that spreadsheets and Chinese keyboards leave around or inside the number.
  for (std::string_view mark : {"\u00A0", "\u2018", "\u2019", "\u200B", "\uFEFF"}) {
    for (size_t pos = folded.find(mark); pos != std::string::npos; pos = folded.find(mark, pos)) {
      folded.erase(pos, mark.size());
    }
  }
  std::string out;
  for (char c : folded) {
    if (IsSpaceByte(c)) continue;
    out.push_back(c == 'x' ? 'X' : c);
  }
  if (out.starts_with('\'')) out.erase(0, 1);
  if (out.starts_with("=\"") && out.ends_with('"') && out.size() >= 3) out = out.substr(2, out.size() - 3);
  return out;
}

char IdCheckCharacter(std::string_view first17) {
  if (first17.size() != kCheckWeights.size() || !AllDigits(first17)) return '?';
  int sum = 0;
  for (size_t i = 0; i < kCheckWeights.size(); ++i) sum += (first17[i] - '0') * kCheckWeights[i];
  return kCheckCharacters[static_cast<size_t>(sum % 11)];
}

StatusOr<ResidentId> ParseResidentId(std::string_view raw, Date today) {
  std::string id = NormalizeIdText(raw);
  DropDecimalsOfWholeId(&id);
  const std::string_view quoted = TrimSpace(raw);
  HEARTH_RETURN_IF_ERROR(CheckForm(id, quoted));
  ResidentId result;
  result.original = id;
  result.converted_from_15 = id.size() == kFirstGenerationLength;
  result.number = result.converted_from_15 ? ConvertFrom15(id) : id;
  HEARTH_RETURN_IF_ERROR(CheckProvince(result.number, quoted));
  HEARTH_ASSIGN_OR_RETURN(result.birth_date, CheckBirthDate(result.number, today, quoted));
  HEARTH_RETURN_IF_ERROR(CheckChecksum(result.number, quoted));
  result.sex = (result.number[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return result;
}

std::string MaskIdNumber(std::string_view number) {
  constexpr size_t kKeptHead = 6;
  constexpr size_t kKeptTail = 4;
  if (number.size() <= kKeptHead + kKeptTail) return std::string(number.size(), '*');
  const size_t hidden = number.size() - kKeptHead - kKeptTail;
  return std::string(number.substr(0, kKeptHead)) + std::string(hidden, '*') +
         std::string(number.substr(number.size() - kKeptTail));
}

std::string MaskIdNumbersIn(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!digit(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && digit(text[end])) ++end;
    size_t run = end - i;
    if (run == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) ++end, ++run;
    if (run == 18 || run == 15) {
      out += MaskIdNumber(text.substr(i, run));
    } else {
      out.append(text.substr(i, run));
    }
    i = end;
  }
  return out;
}

}  // namespace hearth
