// hearth generate: a synthetic population (registry, monthly feeds, ground truth).
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/messages.h"
#include "core/paths.h"
#include "generate/generator.h"

namespace hearth::cli {
namespace {

struct GenerateArgs {
  int64_t households = 0;
  uint64_t seed = 0;
  int months = 12;
  std::string start = "2025-01";
  std::string region;
  std::string out;
  int threads = 0;
};

void RunGenerate(const GlobalOptions& global, const GenerateArgs& args) {
  GenerateOptions o;
  o.households = args.households;
  o.seed = args.seed;
  o.months = args.months;
  o.start = Check(ParseYearMonth(args.start));
  // A population starting after this month could not be imported: its registry's incomes and its
  // files' received dates would lie in the future.
  if (const Date today = SystemClock().Today(); o.start > Date::FromCivil(today.year(), today.month(), 1)) {
    Fail(Error(StatusCode::kInvalidArgument, Msg::kGenStartInFuture, o.start.ToYearMonth(), today.ToYearMonth()));
  }
  o.region = args.region;
  o.out = args.out;
  o.threads = args.threads;
  o.data_dir = Check(FindDataDir(global.data_dir));
  ProgressBar bar;
  std::string label = Tr(Msg::kCliGenerating);
  GenerateSummary s;
  Check(Generate(o, [&](int64_t done, int64_t total) {
    bar.Update(static_cast<uint64_t>(done), static_cast<uint64_t>(total), label);
  }, &s));
  bar.Finish();
  std::cout << Tr(Msg::kCliGenerateDone, Thousands(s.households), Thousands(s.persons), Thousands(s.later_persons),
                  Thousands(s.feed_files), Thousands(s.feed_rows), Thousands(s.truth_rows), Thousands(s.faults),
                  args.out)
            << '\n';
}

}  // namespace

void AddGenerateCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", Tr(Msg::kCliGenerateHelp));
  cmd->add_option("--households", args->households, Tr(Msg::kCliOptHouseholds))->required();
  cmd->add_option("--seed", args->seed, Tr(Msg::kCliOptSeed))->required()->check(NonNegativeWhole());
  cmd->add_option("--months", args->months, Tr(Msg::kCliOptMonths));
  cmd->add_option("--start", args->start, Tr(Msg::kCliOptStart));
  cmd->add_option("--region", args->region, Tr(Msg::kCliOptRegion));
  cmd->add_option("--out", args->out, Tr(Msg::kCliOptOut))->required();
  cmd->add_option("--threads", args->threads, Tr(Msg::kCliOptThreads));
  cmd->callback([&global, args] { RunGenerate(global, *args); });
}

}  // namespace hearth::cli
