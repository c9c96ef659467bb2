// The months of a household: shocks (illness and hospital bills, disability, death, births and
// marriages, township disasters, job loss and re-employment, business failure, dropout, house
// damage, the epidemic-like episode), the facts departments record about them, the help that
// follows (低保, 临时救助), and the true income and rigid spending of every month.
#pragma once

#include <cstdint>

#include "generate/context.h"
#include "generate/model.h"
#include "generate/rng.h"

namespace hearth::gen {

//! Runs the year before the start (rigid spending only: the registry gives that year's
//! income) and the months of the run for household `h` of `block`: appends its events and
//! later members to the block, fills its truth rows and adds to block->stats.
void SimulateHousehold(const RunContext& ctx, Rng& rng, int32_t h, Block* block);

//! One settlement of a medical bill (fen).
struct Settlement {
  int64_t total = 0, basic = 0, critical = 0, assistance = 0, self_pay = 0;
};

//! What the insurance schemes know of a person for settling a bill.
struct Coverage {
  bool insured = true;
  bool tuopin = false;       //!< 脱贫户: lower critical-illness threshold, higher rates
  bool dibao = false;        //!< 低保: lower threshold, 70% medical assistance
  bool tekun = false;        //!< 特困: lower threshold, full medical assistance
  int64_t critical_ytd = 0;  //!< in-policy self-pay counted this year towards the threshold
  int64_t assistance_ytd = 0;
};

//! Settles a bill of `total` fen: basic insurance by hospital level, then critical-illness
//! insurance above the yearly threshold, then medical assistance; updates the year-to-date
//! counters of `cover`. `in_policy_share` is the part of the bill inside the catalogue.
Settlement Settle(int64_t total, bool inpatient, double in_policy_share, double scale, Coverage* cover);

}  // namespace hearth::gen
