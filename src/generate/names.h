// Personal names of the synthetic population: Han names (surname + given name) and
// transliterated Uyghur and Kyrgyz names (given name · father's given name), consistent
// within a family: a child's second name is the father's first, a Han child keeps the
// father's surname. Names are stored as small codes and rendered on demand.
//
// No ethnicity is recorded anywhere (DOMAIN.md §12): the style is a property of a name only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "generate/rng.h"

namespace hearth::gen {

enum class NameStyle : uint8_t { kHan = 0, kUyghur = 1, kKyrgyz = 2 };

//! A compact name: for kHan, `family` is the surname; otherwise the father's given name.
struct NameCode {
  NameStyle style = NameStyle::kHan;
  bool female = false;
  uint16_t given = 0;   //!< index into the given names of the style and sex
  uint16_t family = 0;  //!< surname index (Han) or index into the male given names (others)
};

//! Draws the name style of a household in a prefecture ("6531" ...) (shares in GENERATOR.md).
NameStyle PickNameStyle(Rng& rng, std::string_view prefecture_code);

//! A new person's name with a random given name and a random family part.
NameCode RandomName(Rng& rng, NameStyle style, bool female);

//! The name of a child of `father` (the family part follows the father).
NameCode ChildOf(Rng& rng, const NameCode& father, bool female);

//! The name of the father of `child` (his given name is the child's family part).
NameCode FatherOf(Rng& rng, const NameCode& child);

//! A sibling of `person` (same father).
NameCode SiblingOf(Rng& rng, const NameCode& person, bool female);

//! Appends the UTF-8 name ("王建华", "阿卜杜拉·艾买提").
void AppendName(const NameCode& name, std::string* out);
std::string NameText(const NameCode& name);

//! A plausible typing mistake: one character replaced by a homophone or a near form, so that
//! the result differs from `name` even after NormalizeName. `name` is UTF-8.
std::string MisspellName(std::string_view name, Rng& rng);

//! The same name with its middle dot written as another character offices use (U+2022 •,
//! '.', U+30FB ・); `variant` 0 keeps U+00B7.
std::string WithDotVariant(std::string_view name, int variant);

}  // namespace hearth::gen
