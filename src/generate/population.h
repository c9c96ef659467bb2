// Households and their members as the registry records them at the start of a run: family
// structure, ages, health, labour, schooling, insurance, work, and the yearly income of the
// year before, built bottom-up from the members (wages of those who work away, the farm of
// those at home, pensions, subsidies and assistance).
#pragma once

#include <cstdint>

#include "generate/context.h"
#include "generate/model.h"
#include "generate/rng.h"

namespace hearth::gen {

//! Appends household number `global` of the run, with its registry members, to `block`.
void BuildHousehold(const RunContext& ctx, Rng& rng, int64_t global, Block* block);

//! Whole years from a birth day to `day` (days since 1970-01-01), to within a day.
inline int AgeYears(int32_t birth_days, int32_t day) {
  return static_cast<int>((static_cast<int64_t>(day) - birth_days) * 10000 / 3652425);
}

//! Index into the 5 age bands of params (0-14, 15-44, 45-59, 60-69, 70+).
int AgeBand5(int age);
//! Index into the 6 age bands of the health-care params (0-4, 5-14, 15-44, 45-59, 60-69, 70+).
int AgeBand6(int age);

//! Monthly disability subsidies of a person (fen): care subsidy for grades 1-2, living
//! subsidy for members of 低保 households.
int64_t DisabilitySubsidyMonth(int grade, bool dibao, double scale);
//! Monthly basic pension (fen).
int64_t PensionMonth(double scale);
//! Monthly 低保 benefit of a household of `members` whose yearly net income per person
//! without it is `income_per_person` fen.
int64_t DibaoMonth(int64_t income_per_person, int members, double scale);

}  // namespace hearth::gen
