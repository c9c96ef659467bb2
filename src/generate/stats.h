// Counts of a generated population that tests and docs/GENERATOR.md use to check the
// distributions against their stated sources.
#pragma once

#include <cstdint>

namespace hearth::gen {

struct PopulationStats {
  // The registry at the start.
  int64_t households = 0, persons = 0, tuopin = 0, relocated = 0, tuopin_persons = 0;
  int64_t net_income_fen = 0, tuopin_net_income_fen = 0;  //!< registry year, all households / 脱贫户
  int64_t wage_fen = 0, business_net_fen = 0, property_fen = 0, transfer_fen = 0;
  int64_t disabled = 0, insured = 0, dibao = 0;  //!< dibao: households on 低保 or 特困
  // The months of the run.
  int64_t person_months = 0, admissions = 0, deaths = 0, births = 0;
  int64_t later_persons = 0;  //!< born or married in during the run
  int64_t disaster_households = 0, job_losses = 0, dropouts = 0, business_failures = 0;
  // Households by their truth (income per person over 12 months) in the first and last month.
  int64_t below_6000_start = 0, below_8000_start = 0, below_6000_end = 0, below_8000_end = 0;
  int64_t rigid_over_income_end = 0;  //!< rigid spending above income in the last month

  void Add(const PopulationStats& o) {
    households += o.households;
    persons += o.persons;
    tuopin += o.tuopin;
    relocated += o.relocated;
    tuopin_persons += o.tuopin_persons;
    net_income_fen += o.net_income_fen;
    tuopin_net_income_fen += o.tuopin_net_income_fen;
    wage_fen += o.wage_fen;
    business_net_fen += o.business_net_fen;
    property_fen += o.property_fen;
    transfer_fen += o.transfer_fen;
    disabled += o.disabled;
    insured += o.insured;
    dibao += o.dibao;
    person_months += o.person_months;
    admissions += o.admissions;
    deaths += o.deaths;
    births += o.births;
    later_persons += o.later_persons;
    disaster_households += o.disaster_households;
    job_losses += o.job_losses;
    dropouts += o.dropouts;
    business_failures += o.business_failures;
    below_6000_start += o.below_6000_start;
    below_8000_start += o.below_8000_start;
    below_6000_end += o.below_6000_end;
    below_8000_end += o.below_8000_end;
    rigid_over_income_end += o.rigid_over_income_end;
  }
};

}  // namespace hearth::gen
