// Resident ID numbers (公民身份号码, GB 11643-1999).
//
// 18 characters: 6-digit region of first registration, 8-digit birth date, 3-digit sequence
// (odd = male, even = female), and an ISO 7064 MOD 11-2 check character (0-9 or X).
// Offices type them with full-width digits, lower-case x, spaces, or an Excel text mark (a
// leading apostrophe or tab): ParseResidentId normalises first, then validates.
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"

namespace hearth {

enum class Sex : int { kMale = 1, kFemale = 2 };

struct ResidentId {
  std::string number;          //!< 18 characters, upper-case X
  Date birth_date;
  Sex sex = Sex::kMale;
  bool converted_from_15 = false;  //!< true when the input was a first-generation 15-digit number
  std::string original;        //!< the normalised input before conversion (15 digits when converted)
};

//! Removes what offices add around an ID number: surrounding spaces and tabs, inner spaces,
//! a leading apostrophe, full-width digits and letters, lower-case x -> X.
std::string NormalizeIdText(std::string_view raw);

//! True for text that a spreadsheet made of a long number: scientific notation
//! ("6.53221E+17") or a zero decimal part ("653221199001011234.0"). Such a value has lost
//! digits or may have: importers reject it with the hint to format the column as text.
bool IsSpreadsheetNumberText(std::string_view text);

//! True for an 18-digit number ending in "000": what a spreadsheet that kept 15 significant
//! digits leaves of an ID number (about 1 real ID in 11,000 also ends so).
bool EndsLikeLostPrecision(std::string_view normalized_id);

//! The ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of the first 17 digits; '?' when
//! `first17` is not exactly 17 digits.
char IdCheckCharacter(std::string_view first17);

//! Normalises and validates. A numeric column's export of a whole ID, 18 digits and a zero
//! decimal part ("653221199001011234.0", ".00"), is read as the 18 digits when their check
//! character is right. Each failure is its own kind:
//!  - "id_empty": nothing given;
//!  - "id_spreadsheet_number": a spreadsheet stored it as a number ("6.53221E+17"; a zero
//!     decimal part after digits whose check fails or that are not 18; or 18 digits ending in
//!     zeros where the check fails, typical of lost precision); the hint says to format the
//!     column as text and re-export; lost digits are never guessed;
//!  - "id_length": not 15 or 18 characters;
//!  - "id_character": a character other than digits (and a final X);
//!  - "id_province": the first two digits are not a GB/T 2260 province code;
//!  - "id_birth_date": the birth date is not a real date;
//!  - "id_future_birth": the birth date is after `today`;
//!  - "id_checksum": the check character does not match (the message names the expected one).
//! A 15-digit number is converted: "19" inserted before the 6-digit birth date, the check
//! character computed, converted_from_15 set.
StatusOr<ResidentId> ParseResidentId(std::string_view raw, Date today);

//! Masks an ID number for display to readers without the right to see it:
//! "653221********123X" (first 6 and last 4 kept).
std::string MaskIdNumber(std::string_view number);
//! `text` with every ID number in it masked as MaskIdNumber does: a run of 17 digits and a
//! digit or X, or of exactly 15 digits, not part of a longer run of digits ("证件号码
//! 653221199001011234 不在户籍登记中" -> "证件号码 653221********1234 不在户籍登记中").
std::string MaskIdNumbersIn(std::string_view text);

}  // namespace hearth
