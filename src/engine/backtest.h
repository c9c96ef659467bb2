// The backtest (回测): replays the months of a database as they were known at each month end and
// scores the warnings against the generator's ground truth (truth.csv, docs/GENERATOR.md).
//
// For each month M from `from` to `to`: the engine is built as of M's last day with only the
// facts recorded by the end of that day (a file counts from the day it was received), the rules
// are evaluated, and the households at risk are compared with the truth under the policy's line:
//  - a true case is a household whose true net income per person less rigid spending per person
//    (both over 12 months) is below the line of M's year in some month of the range; its fall
//    month is the first such month;
//  - recall "in time": flagged no later than the fall month; "ahead": at least one month before
//    (counted over the cases whose fall month is after the first month); lead time = fall month
//    minus the first flagged month;
//  - a warning of month W is real when the household is a true case below the line in W or in
//    one of the two months after (a warning's horizon);
//  - precision = real warned households / warned households; warnings per true case;
//  - top-N precision per county: for each month and county, of the N highest-ranked warnings, how
//    many are real (summed over counties and months), N = 10 and 50.
// The same figures for the bare rule "income per person < line" (ranked by the shortfall) stand
// beside them. Nothing is stored.
//
//   HEARTH_ASSIGN_OR_RETURN(BacktestResult r, RunBacktest(*store, rules, truth, from, to));
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "engine/rules.h"
#include "store/store.h"

namespace hearth {

//! truth.csv: per household code, per month (first day), the true income and rigid spending per
//! person over 12 months, in fen.
struct Truth {
  struct Month {
    int64_t income_pc = 0;
    int64_t rigid_pc = 0;
    int64_t line = 0;  //!< of the file
  };
  std::map<std::string, std::map<int32_t, Month>> households;  //!< code -> month (days of the 1st) -> values
  int64_t rows = 0;
  std::string file;           //!< as named to ReadTruth, for messages
  Date first_month, last_month;  //!< the earliest and latest month of any row (first days)
};

//! Reads truth.csv (header 户编号,月份,人均纯收入_12月_分,人均刚性支出_12月_分). Kinds
//! "truth_missing", "truth_header" (naming the header found), "truth_row" (with the line),
//! "truth_empty" (no rows under the header), "truth_duplicate" (a household's month given twice,
//! naming both lines).
StatusOr<Truth> ReadTruth(const std::filesystem::path& file);

//! The scores of one way of flagging households (the rules, or the bare line rule).
struct BacktestScores {
  int64_t flagged_households = 0;   //!< warned in some month
  int64_t real_flagged = 0;         //!< of those, real (see the header)
  int64_t caught_in_time = 0;       //!< true cases flagged no later than their fall month
  int64_t caught_ahead = 0;         //!< flagged at least a month before their fall month
  std::map<int, int64_t> lead_months;  //!< lead time (months) -> cases, for cases caught in time
  int64_t top10_listed = 0, top10_real = 0;
  int64_t top50_listed = 0, top50_real = 0;
};

struct BacktestResult {
  int months = 0;
  int64_t households = 0;            //!< households in the truth and the database
  int64_t true_cases = 0;
  int64_t cases_after_first_month = 0;  //!< true cases whose fall month is after the first month
  BacktestScores rules;              //!< the policy's rules
  BacktestScores bare;               //!< income per person < line
};

//! Replays months [from, to] (first days of months). `progress(month)` is called before each.
//! Failures: the store's; "backtest_range" when to < from or the range is too long;
//! "backtest_outside_truth" when a month of the range is before the truth's first month or after
//! its last (nothing there to score against), naming the truth file's first and last month.
StatusOr<BacktestResult> RunBacktest(Store& store, const RuleSet& rules, const Truth& truth, Date from, Date to,
                                     const std::function<void(Date)>& progress);

}  // namespace hearth
