// hearth backtest: replays the months of a database as known at each month end and scores the
// warnings against the generator's truth, beside the bare rule "income per person < line".
// Stores nothing.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/policy_loading.h"
#include "core/messages.h"
#include "engine/backtest.h"
#include "policy/policy.h"

namespace hearth::cli {
namespace {

struct BacktestArgs {
  std::string truth;
  std::string policy;
  std::string from, to;
  OutputOptions out;
};

Date MonthOrFail(const std::string& text) {
  StatusOr<Date> d = ParseYearMonth(text);
  if (!d.ok()) Fail(d.status());
  return *d;
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string Leads(const BacktestScores& s) {
  std::string out;
  for (const auto& [months, cases] : s.lead_months) out += (out.empty() ? "" : " ") + fmt::format("{}:{}", months, cases);
  return out.empty() ? "-" : out;
}

nlohmann::json ScoresJson(const BacktestScores& s, const BacktestResult& r) {
  nlohmann::json leads = nlohmann::json::object();
  for (const auto& [months, cases] : s.lead_months) leads[std::to_string(months)] = cases;
  return {{"flagged_households", s.flagged_households}, {"real_flagged", s.real_flagged},
          {"caught_in_time", s.caught_in_time},         {"caught_ahead", s.caught_ahead},
          {"recall_in_time", r.true_cases ? double(s.caught_in_time) / double(r.true_cases) : 0.0},
          {"recall_ahead", r.cases_after_first_month ? double(s.caught_ahead) / double(r.cases_after_first_month) : 0.0},
          {"precision", s.flagged_households ? double(s.real_flagged) / double(s.flagged_households) : 0.0},
          {"top10_precision", s.top10_listed ? double(s.top10_real) / double(s.top10_listed) : 0.0},
          {"top50_precision", s.top50_listed ? double(s.top50_real) / double(s.top50_listed) : 0.0},
          {"lead_months", leads}};
}

void Run(const GlobalOptions& global, const BacktestArgs& args) {
  const Format format = Check(ParseFormat(args.out));
  UsablePolicy used = LoadPolicyOrFail(global, args.policy);
  const Policy& policy = *used.policy;
  const RuleSet* rules = used.rules.get();
  const Truth truth = Check(ReadTruth(args.truth));
  // Without a month given, the truth's own; a month given outside the truth's is refused.
  const Date from = args.from.empty() ? truth.first_month : MonthOrFail(args.from);
  const Date to = args.to.empty() ? truth.last_month : MonthOrFail(args.to);
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  const BacktestResult r = Check(RunBacktest(*store, *rules, truth, from, to, [](Date month) {
    std::cerr << Tr(Msg::kCliBacktestMonth, month.ToYearMonth()) << '\n';
  }));
  if (format == Format::kJson) {
    nlohmann::json out = {{"from", from.ToYearMonth()}, {"to", to.ToYearMonth()}, {"months", r.months},
                          {"households", r.households}, {"true_cases", r.true_cases},
                          {"cases_after_first_month", r.cases_after_first_month},
                          {"policy_digest", policy.digest}, {"rules", ScoresJson(r.rules, r)},
                          {"bare_rule", ScoresJson(r.bare, r)}};
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << Tr(Msg::kCliBacktestSummary, from.ToYearMonth(), to.ToYearMonth(), Thousands(r.households),
                  Thousands(r.true_cases), Thousands(r.cases_after_first_month))
            << '\n';
  TextTable t({Tr(Msg::kColMetric), Tr(Msg::kColRules), Tr(Msg::kColBareRule)});
  auto row = [&](Msg label, auto value) { t.AddRow({Tr(label), value(r.rules), value(r.bare)}); };
  row(Msg::kBtRecallInTime, [&](const BacktestScores& s) { return Percent(s.caught_in_time, r.true_cases); });
  row(Msg::kBtRecallAhead, [&](const BacktestScores& s) { return Percent(s.caught_ahead, r.cases_after_first_month); });
  row(Msg::kBtLeads, [&](const BacktestScores& s) { return Leads(s); });
  row(Msg::kBtFlagged, [&](const BacktestScores& s) { return Thousands(s.flagged_households); });
  row(Msg::kBtPrecision, [&](const BacktestScores& s) { return Percent(s.real_flagged, s.flagged_households); });
  row(Msg::kBtPerCase, [&](const BacktestScores& s) {
    return r.true_cases ? fmt::format("{:.2f}", double(s.flagged_households) / double(r.true_cases)) : std::string("-");
  });
  row(Msg::kBtTop10, [&](const BacktestScores& s) { return Percent(s.top10_real, s.top10_listed); });
  row(Msg::kBtTop50, [&](const BacktestScores& s) { return Percent(s.top50_real, s.top50_listed); });
  EmitTable(t, args.out, "backtest");
}

}  // namespace

void AddBacktestCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<BacktestArgs>();
  CLI::App* cmd = app.add_subcommand("backtest", Tr(Msg::kCliBacktestHelp));
  cmd->add_option("--truth", args->truth, Tr(Msg::kCliOptTruth))->required();
  cmd->add_option("--policy", args->policy, Tr(Msg::kCliOptPolicy));
  cmd->add_option("--from", args->from, Tr(Msg::kCliOptFromMonth));
  cmd->add_option("--to", args->to, Tr(Msg::kCliOptToMonth));
  AddFormatOption(cmd, &args->out);
  cmd->callback([&global, args] { Run(global, *args); });
}

}  // namespace hearth::cli
