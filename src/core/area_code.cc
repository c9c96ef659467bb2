#include "core/area_code.h"

#include <array>

#include "core/messages.h"
#include "core/text.h"

namespace hearth {
namespace {

constexpr size_t kPaddedDigits = 12;
constexpr std::array<size_t, 5> kLevelDigits = {2, 4, 6, 9, 12};

bool AllDigits(std::string_view s) { return s.find_first_not_of("0123456789") == std::string_view::npos; }

bool IsLevelLength(size_t n) {
  for (size_t digits : kLevelDigits) {
    if (digits == n) return true;
  }
  return false;
}

// The short form of a (possibly padded) code: trailing all-zero level segments dropped, so
// "653200000000" and "653200" are "6532". Real codes never have an all-zero segment.
std::string_view ShortForm(std::string_view code) {
  for (size_t i = kLevelDigits.size(); i-- > 1;) {
    const size_t keep = kLevelDigits[i - 1];
    if (code.size() < kLevelDigits[i]) continue;
    if (code.substr(keep).find_first_not_of('0') != std::string_view::npos) break;
    code = code.substr(0, keep);
  }
  return code;
}

}  // namespace

int AreaLevelDigits(AreaLevel level) { return static_cast<int>(kLevelDigits[static_cast<size_t>(level) - 1]); }

std::string_view AreaLevelName(AreaLevel level) {
  switch (level) {
    case AreaLevel::kProvince: return "province";
    case AreaLevel::kPrefecture: return "prefecture";
    case AreaLevel::kCounty: return "county";
    case AreaLevel::kTownship: return "township";
    case AreaLevel::kVillage: return "village";
  }
  return "province";
}

StatusOr<AreaCode> AreaCode::Parse(std::string_view text) {
  const std::string folded = FoldWidth(text);
  const std::string_view digits = TrimSpace(folded);
  if (!AllDigits(digits)) return Error(StatusCode::kInvalidArgument, Msg::kAreaNotDigits, text);
  if (!IsLevelLength(digits.size())) {
    return Error(StatusCode::kInvalidArgument, Msg::kAreaLength, text, digits.size());
  }
  const std::string_view short_form = ShortForm(digits);
  if (short_form.starts_with("00")) return Error(StatusCode::kInvalidArgument, Msg::kAreaZeroProvince, text);
  return AreaCode(std::string(short_form));
}

std::string AreaCode::Padded() const {
  std::string padded = code_;
  padded.resize(kPaddedDigits, '0');
  return padded;
}

AreaLevel AreaCode::level() const {
  for (size_t i = 0; i < kLevelDigits.size(); ++i) {
    if (code_.size() <= kLevelDigits[i]) return static_cast<AreaLevel>(i + 1);
  }
  return AreaLevel::kVillage;
}

std::optional<AreaCode> AreaCode::Parent() const {
  if (level() == AreaLevel::kProvince) return std::nullopt;
  return AncestorAt(static_cast<AreaLevel>(static_cast<int>(level()) - 1));
}

std::optional<AreaCode> AreaCode::AncestorAt(AreaLevel level) const {
  if (level > this->level()) return std::nullopt;
  return AreaCode(code_.substr(0, static_cast<size_t>(AreaLevelDigits(level))));
}

std::string AreaLevelLabel(AreaLevel level) {
  static constexpr Msg kLabels[] = {Msg::kLevelProvince, Msg::kLevelPrefecture, Msg::kLevelCounty,
                                    Msg::kLevelTownship, Msg::kLevelVillage};
  return Tr(kLabels[static_cast<int>(level) - 1]);
}

std::string CommonAreaCode(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  for (size_t len : {12u, 9u, 6u, 4u, 2u}) {
    if (n >= len) return std::string(a.substr(0, len));
  }
  return "";
}

bool AreaCode::Contains(const AreaCode& other) const { return other.code_.starts_with(code_); }

}  // namespace hearth
