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
  int line = 0;         //!< in the file
  int area_line = 0;    //!< file position of the area's value
  int area_column = 0;
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

//! A named threshold of the rules (触发条件), referred to in a rule as `trigger.NAME`.
struct Trigger {
  std::string name;
  bool is_money = true;  //!< written `yuan = ...` (money) or `value = ...` (a plain number)
  Decimal value;         //!< exact; money in yuan with at most 2 decimals
  std::string source;    //!< where the value comes from
  int line = 0;
};

//! One of the three categories of monitoring object (监测对象类别), in precedence order.
struct CategoryDef {
  std::string id;        //!< "unstable", "edge", "sudden"
  std::string label_zh;  //!< 脱贫不稳定户 ...
  std::string label_en;
  int line = 0;
};

//! A rule (预警规则): when its expression over the household features holds, the household is at
//! risk. The expression is compiled by the engine (src/engine); here it is text with the file
//! position where it starts, so errors point into the file.
struct RuleDef {
  std::string id;
  std::string when;          //!< the expression
  int when_line = 0;         //!< file line of the expression's first character
  int when_column = 0;       //!< file column (1-based) of the expression's first character
  //! The category the rule implies (a CategoryDef id); empty for a risk marker, which adds its
  //! risk types, score and explanation to a warning that another rule raised.
  std::string category;
  std::vector<std::string> risks;  //!< risk types (RiskTypes() keys), up to 5
  int severity = 2;                //!< 1 high, 2 medium, 3 low
  int64_t weight = 0;              //!< score points when it fires (default: by severity)
  std::string explain_zh;          //!< template with {feature} placeholders
  std::string explain_en;          //!< default: explain_zh
  int explain_line = 0;            //!< file position of explain_zh's first character
  int explain_column = 0;
  int explain_en_line = 0;         //!< file position of explain_en's first character
  int explain_en_column = 0;
  std::string source;
  int line = 0;
};

//! How a warning's score (排序分) is made: the fired rules' weights, plus points for how far
//! income per person lies below the line, plus points for rigid spending against income.
struct ScorePolicy {
  // The defaults are data/policy/default.toml's, so that a policy without [score] ranks as it.
  int64_t severity_points[3] = {100, 40, 10};  //!< default weight of a rule of severity 1, 2, 3
  //! x (line - income per person after rigid spending) / line, for households below the line
  int64_t shortfall_points = 200;
  int64_t rigid_points = 50;       //!< x min(1, rigid_12m / income_prev_12m)
};

//! A risk type (致贫/返贫风险类型, DOMAIN.md section 6).
struct RiskType {
  std::string_view key;       //!< "illness"
  std::string_view label_zh;  //!< "因病"
};
//! Every risk type, in the order of DOMAIN.md section 6.
const std::vector<RiskType>& RiskTypes();
//! The key of a risk type given by key or Chinese label; nullptr when unknown.
const RiskType* FindRiskType(std::string_view key_or_label);

//! One problem of a policy file, with its position (line and column 1-based; 0 when unknown).
struct PolicyProblem {
  int line = 0;
  int column = 0;
  std::string kind;
  std::string message;
};

struct Policy {
  std::string name;     //!< [policy] name
  std::string region;   //!< [policy] region (short area code), may be empty
  std::string file;     //!< the file it was read from
  std::string digest;   //!< "sha256:<hex>" of the file's bytes
  std::vector<MonitoringLine> lines;  //!< as in the file
  FindingsPolicy findings;
  std::vector<Trigger> triggers;      //!< [triggers.NAME]
  std::vector<CategoryDef> categories;  //!< [[category]], in precedence order
  std::vector<RuleDef> rules;         //!< [[rule]], in file order
  ScorePolicy score;                  //!< [score]
  std::string text;                   //!< the file's bytes (kept with stored warnings)

  //! The monitoring line for an area (any level; a 12-digit village code too) and a year: the
  //! lines of the latest year <= `year` among the lines whose area contains `area_code`, and of
  //! those the most specific area (county over prefecture over province). So a county override
  //! applies to its own year (and later years until a broader area sets a newer line).
  //! nullopt when no line applies (an area outside every line, or a year before all lines).
  std::optional<Money> LineFor(std::string_view area_code, int year) const;
};

//! Reads and checks a policy file: fails with the first problem ReadPolicy finds. Failures of
//! the file itself: "policy_missing", "policy_read", "policy_syntax" (with line and column; a
//! hint when the line holds full-width punctuation outside quotes), "policy_encoding" (not
//! UTF-8, e.g. saved as GBK).
StatusOr<Policy> LoadPolicy(const std::filesystem::path& file);

//! Reads a policy file collecting every problem (not only the first), each with the line and
//! column of the offending key or value (of its table's header when a key is missing; 0:0 for
//! a section missing from the file): "policy_section_unknown", "policy_section_shape" ([rule]
//! for [[rule]]), "policy_key_unknown" (a key no reader reads, with the key meant when one is
//! close in spelling, else the keys allowed), "policy_field" (a monitoring line's
//! area/year/yuan/source missing or mistyped), "policy_line_amount" (non-positive line),
//! "policy_line_duplicate", "policy_no_lines", "policy_findings_missing",
//! "policy_findings_value" (e.g. a factor written as a TOML float), "policy_rule_field",
//! "policy_trigger", "policy_category", "policy_risk_unknown", "policy_category_unknown",
//! "policy_rule_duplicate", "policy_score", "policy_no_rules", "policy_no_warning_rules". The rules' expressions are not compiled here (the
//! engine does that). Returns the policy as far as it was read; `problems` empty means valid.
StatusOr<Policy> ReadPolicy(const std::filesystem::path& file, std::vector<PolicyProblem>* problems);

//! Parses policy text (as read from `name`); as ReadPolicy. For policies kept in the database.
StatusOr<Policy> ParsePolicy(std::string_view text, const std::string& name, std::vector<PolicyProblem>* problems);

//! Loads <data dir>/policy/default.toml, the data dir found by FindDataDir(data_dir_override).
//! Failures: those of FindDataDir and LoadPolicy.
StatusOr<Policy> LoadDefaultPolicy(const std::string& data_dir_override);

}  // namespace hearth
