// Resident ID numbers for the synthetic population: valid (GB 11643), with the real county
// code of first registration, the birth date, a sequence odd for men and even for women, and
// unique across the whole run.
//
// Uniqueness needs one counter per (county, birth day, sex), so numbering runs sequentially
// over the blocks in order (cheap: one counter step per person), which keeps the numbers
// independent of the number of threads. When the 500 sequences of a day are used up, the
// birth date moves to the nearest day with room.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "generate/geography.h"
#include "generate/model.h"
#include "generate/rng.h"

namespace hearth::gen {

class IdNumbering {
 public:
  //! Birth dates from `earliest` to `latest` (inclusive) can be numbered.
  IdNumbering(const Geography& geo, Date earliest, Date latest);

  //! Sets id_seq (and, rarely, moves birth_days) of every person of `block`. Must be called
  //! for the blocks in order. Error kind "gen_id_space" when a county runs out of numbers.
  Status Assign(Block* block);

 private:
  // Index of the counter of (county, day, sex).
  size_t Slot(int county, int32_t day, bool female) const;
  bool TryAssign(Person* p, int32_t day);

  const Geography& geo_;
  int32_t first_day_, days_;
  std::vector<uint16_t> used_;
};

//! Appends the 18-character ID number of `p` (county code of `geo`).
void AppendIdNumber(const Geography& geo, const Person& p, std::string* out);
std::string IdNumberOf(const Geography& geo, const Person& p);

//! Builds an ID number from its parts (the check character computed).
std::string MakeIdNumber(std::string_view county6, Date birth, int sequence);

//! Appends the household code (户编号): the 12-digit village code and the 4-digit sequence of
//! the household in the village, e.g. "6532211002010001".
void AppendHouseholdCode(const Geography& geo, const Household& h, std::string* out);
std::string HouseholdCodeOf(const Geography& geo, const Household& h);

//! A valid ID number of somebody outside the registry (for the deliberate "unknown person"
//! fault): a county outside the region, a random adult birth date, a random sequence.
std::string UnknownIdNumber(const Geography& geo, Rng& rng);

}  // namespace hearth::gen
