// The policy file (政策配置, data/policy/*.toml): monitoring lines per area and year, and the
// thresholds of the comparison findings. Policy is data: a province or county edits the file,
// never the code.
//
//   HEARTH_ASSIGN_OR_RETURN(Policy policy, LoadDefaultPolicy(global.data_dir));
//   std::optional<Money> line = policy.LineFor("653221100201", 2025);   // the village's line
//
// A Policy is an immutable value once loaded; share it freely between threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace hearth {

//! One [[monitoring_line]]: net income per person per year below `amount` is within the
//! monitoring range, for `area` and everything inside it.
struct MonitoringLine {
  std::string area;     //!< short area code: "65", "6532", "653221"
  int year = 0;
  Money amount;         //!< the line, per person per year
  std::string source;   //!< where the value comes from
};

//! The [findings] section: thresholds of the comparison findings (src/findings).
struct FindingsPolicy {
  //! 低保/特困 granted while registered net income per person is above this factor times the
  //! line is a finding ("assistance_income_factor", required).
  Decimal assistance_income_factor{15, 1};
  //! A 临时救助 received within this many months before the as-of date counts as assistance
  //! ("temporary_assistance_months"). Default: 12.
  int temporary_assistance_months = 12;
  //! Compulsory-schooling ages, inclusive ("school_age_from", "school_age_to"). Default: 6, 15.
  int school_age_from = 6;
  int school_age_to = 15;
  std::string source;   //!< why these values
};

struct Policy {
  std::string name;     //!< [policy] name
  std::string region;   //!< [policy] region (short area code), may be empty
  std::string file;     //!< the file it was read from
  std::string digest;   //!< "sha256:<hex>" of the file's bytes
  std::vector<MonitoringLine> lines;  //!< as in the file
  FindingsPolicy findings;

  //! The monitoring line for an area (any level; a 12-digit village code too) and a year: the
  //! lines of the latest year <= `year` among the lines whose area contains `area_code`, and of
  //! those the most specific area (county over prefecture over province). So a county override
  //! applies to its own year (and later years until a broader area sets a newer line).
  //! nullopt when no line applies (an area outside every line, or a year before all lines).
  std::optional<Money> LineFor(std::string_view area_code, int year) const;
};

//! Reads and checks a policy file. Failures (each a kind of its own, the message naming the
//! file and, where there is one, the line): "policy_missing", "policy_read", "policy_syntax"
//! (with line and column), "policy_field" (a monitoring line's area/year/yuan/source missing
//! or mistyped), "policy_line_amount" (non-positive line), "policy_line_duplicate",
//! "policy_no_lines", "policy_findings_missing", "policy_findings_key_unknown",
//! "policy_findings_value" (e.g. a factor written as a TOML float).
StatusOr<Policy> LoadPolicy(const std::filesystem::path& file);

//! Loads <data dir>/policy/default.toml, the data dir found by FindDataDir(data_dir_override).
//! Failures: those of FindDataDir and LoadPolicy.
StatusOr<Policy> LoadDefaultPolicy(const std::string& data_dir_override);

}  // namespace hearth
