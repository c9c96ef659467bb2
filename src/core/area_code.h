// Administrative area codes (统计用区划代码) across the five levels (五级).
//
// Short form: the length gives the level: 2 province (自治区/省), 4 prefecture (地州市),
// 6 county (县市区), 9 township (乡镇), 12 village (村). Padded forms are normalised to the
// short form by dropping trailing all-zero level segments: the 12-digit "650000000000" and the
// GB/T 2260 6-digit "650000" are "65", "653221000000" is "653221" (no real code has an
// all-zero segment).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth {

enum class AreaLevel : int { kProvince = 1, kPrefecture = 2, kCounty = 3, kTownship = 4, kVillage = 5 };

//! Number of digits of a level's short code: 2, 4, 6, 9, 12.
int AreaLevelDigits(AreaLevel level);
//! "province", "prefecture", "county", "township", "village".
std::string_view AreaLevelName(AreaLevel level);
//! The name of an area level in the user's language (省级, 地州市, 县市区, 乡镇, 村), for messages.
std::string AreaLevelLabel(AreaLevel level);

//! The smallest area code (2, 4, 6, 9 or 12 digits) that both short codes lie in; empty when
//! they share no province.
std::string CommonAreaCode(std::string_view a, std::string_view b);

class AreaCode {
 public:
  AreaCode() = default;

  //! Parses a short or padded code (spaces around and full-width digits accepted).
  //! Failures: kind "area_format" (not digits, a length other than 2/4/6/9/12, or a
  //! province part "00"), with a message that quotes the input.
  static StatusOr<AreaCode> Parse(std::string_view text);

  //! The short form, e.g. "6532" or "653221100201".
  const std::string& str() const { return code_; }
  //! The 12-digit padded form.
  std::string Padded() const;
  AreaLevel level() const;
  //! The enclosing area, or nullopt for a province.
  std::optional<AreaCode> Parent() const;
  //! The ancestor at `level` (itself when at that level); nullopt when `level` is finer.
  std::optional<AreaCode> AncestorAt(AreaLevel level) const;
  //! True when `other` is this area or lies inside it (prefix relation).
  bool Contains(const AreaCode& other) const;

  bool operator==(const AreaCode&) const = default;
  auto operator<=>(const AreaCode&) const = default;

 private:
  explicit AreaCode(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

}  // namespace hearth
