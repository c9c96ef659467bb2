// hearth screen: a full screen of an area as of a date (and, for replays, as known at a time);
// hearth warnings: the ranked queue with its explanations; hearth policy check|features.
// Names and ID numbers in explanations are masked unless --reveal; listings are audited.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/policy_loading.h"
#include "core/clock.h"
#include "core/id_number.h"
#include "core/messages.h"
#include "core/paths.h"
#include "engine/engine.h"
#include "engine/explain.h"
#include "policy/policy.h"

namespace hearth::cli {
namespace {

struct ScreenArgs {
  std::string policy;
  std::string area;
  std::string as_of;
  std::string known_at;
  bool no_image = false;
};

struct WarningsArgs {
  std::string area;
  int64_t top = 0;
  bool open = false;
  bool all = false;
  bool reveal = false;
  OutputOptions out;
};

struct PolicyArgs {
  std::string file;
};

// Milliseconds to a tenth: the rules over a village take well under one.
double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void RunScreen(const GlobalOptions& global, const ScreenArgs& args) {
  const Date as_of = ParseAsOf(args.as_of);
  const std::optional<int64_t> known_at = Check(ParseKnownAt(args.known_at));
  UsablePolicy used = LoadPolicyOrFail(global, args.policy);
  const Policy& policy = *used.policy;
  const RuleSet* rules = used.rules.get();
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  const std::string area = AreaOf(*store, args.area);
  // The stored queue holds as of its latest screening: a screen as of an earlier day would close
  // warnings before the day they were opened. A look back is a replay (--known-at), not stored.
  if (!known_at) {
    if (std::optional<Date> latest = Check(store->LatestWarningOpened(area)); latest && as_of < *latest) {
      Fail(Error(StatusCode::kFailedPrecondition, Msg::kCliScreenBeforeLatest, as_of.ToIso(), latest->ToIso()));
    }
  }
  EngineOptions options{as_of, known_at, area, {}};
  options.use_image = !args.no_image;
  ProgressBar bar;
  options.progress = [&bar](int64_t done) { bar.Update(static_cast<uint64_t>(done), 0, "screen"); };
  auto start = std::chrono::steady_clock::now();
  // The imports committed before the facts are read: those committed later are told apart when
  // the warnings are saved (WarningBatch::facts_seen).
  const ImportsSeen seen = Check(store->CommittedImports());
  std::unique_ptr<Engine> engine = Check(Engine::Build(*store, *rules, options));
  bar.Finish();
  const double build_ms = MillisSince(start);
  if (const BuildSource& source = engine->source(); source.image) {
    std::cout << Tr(Msg::kCliScreenFromImage, source.image_id, source.imports_since, Thousands(source.reread)) << '\n';
  } else if (!source.not_used.empty()) {
    std::cout << Tr(Msg::kCliScreenImageNotUsed, source.not_used) << '\n';
  }
  start = std::chrono::steady_clock::now();
  engine->EvaluateRules();
  const double rules_ms = MillisSince(start);
  start = std::chrono::steady_clock::now();
  const std::vector<Decision> decisions = engine->Decide();
  const double decide_ms = MillisSince(start);
  std::map<int, int64_t> by_category;
  for (const Decision& d : decisions) ++by_category[d.category];
  if (known_at) {
    // What was known then, as of that day: shown, never stored over the current queue.
    std::cout << Tr(Msg::kCliScreenReplay, Thousands(static_cast<int64_t>(engine->size())), as_of.ToIso(),
                    args.known_at, policy.name.empty() ? policy.file : policy.name,
                    Thousands(static_cast<int64_t>(decisions.size())), by_category[0], by_category[1], by_category[2])
              << '\n';
    return;
  }
  start = std::chrono::steady_clock::now();
  WarningBatch batch = engine->Warnings(decisions);
  batch.facts_seen = seen;
  const WarningCounts counts = Check(store->SaveWarnings(batch));
  const double save_ms = MillisSince(start);
  if (counts.held > 0) std::cout << Tr(Msg::kCliScreenHeld, Thousands(counts.held)) << '\n';
  std::cout << Tr(Msg::kCliScreenDone, Thousands(static_cast<int64_t>(engine->size())), as_of.ToIso(),
                  policy.name.empty() ? policy.file : policy.name, Thousands(static_cast<int64_t>(decisions.size())),
                  by_category[0], by_category[1], by_category[2], counts.opened, counts.updated, counts.unchanged,
                  counts.closed)
            << '\n';
  std::cout << Tr(Msg::kCliScreenTimes, build_ms, rules_ms, decide_ms, save_ms,
                  static_cast<int64_t>(engine->BytesPerHousehold()))
            << '\n';
}

// The policy versions and person names a listing needs, loaded once each.
class WarningContext {
 public:
  WarningContext(Store& store, const Policy& current, bool reveal) : store_(store), current_(current), reveal_(reveal) {}

  const Policy& PolicyOf(const std::string& digest) {
    if (digest == current_.digest) return current_;
    auto it = versions_.find(digest);
    if (it == versions_.end()) {
      std::optional<Policy> parsed;
      StatusOr<std::optional<std::string>> text = store_.PolicyText(digest);
      std::vector<PolicyProblem> ignored;
      if (text.ok() && *text) {
        StatusOr<Policy> p = ParsePolicy(**text, digest, &ignored);
        if (p.ok()) parsed = std::move(*p);
      }
      it = versions_.emplace(digest, parsed ? std::move(*parsed) : current_).first;
    }
    return it->second;
  }

  std::string Person(int64_t ref) {
    auto it = persons_.find(ref);
    if (it == persons_.end()) {
      StatusOr<std::vector<PersonName>> names = store_.PersonsByRef({ref});
      PersonName name{ref, "?", ""};
      if (names.ok() && !names->empty()) name = names->front();
      it = persons_.emplace(ref, name).first;
    }
    const std::string id = reveal_ ? it->second.id_number : MaskIdNumber(it->second.id_number);
    return it->second.name + (id.empty() ? "" : "（" + id + "）");
  }

  std::string Explain(const WarningRecord& w) {
    return RenderExplanation(w, PolicyOf(w.policy_digest), [this](int64_t ref) { return Person(ref); });
  }

  std::string Risks(const WarningRecord& w) {
    std::string out;
    for (const std::string& r : w.risks) out += (out.empty() ? "" : "、") + RiskLabel(r);
    return out;
  }

 private:
  Store& store_;
  const Policy& current_;
  bool reveal_;
  std::map<std::string, Policy> versions_;
  std::map<int64_t, PersonName> persons_;
};

void RunWarnings(const GlobalOptions& global, const WarningsArgs& args) {
  Format format = Check(ParseFormat(args.out));
  const UsablePolicy used = LoadPolicyOrFail(global, "");
  const Policy& policy = *used.policy;
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  const std::string area = AreaOf(*store, args.area);
  const std::vector<WarningRecord> warnings = Check(store->ListWarnings({area, !args.all, args.top}));
  Check(store->Audit(LocalPrincipal(), args.reveal ? "warnings.list.reveal" : "warnings.list",
                     "area:" + (area.empty() ? std::string("*") : area)));
  WarningContext context(*store, policy, args.reveal);
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    int64_t rank = 0;
    for (const WarningRecord& w : warnings) {
      const Policy& p = context.PolicyOf(w.policy_digest);
      out.push_back({{"rank", ++rank}, {"id", w.id}, {"household_code", w.household_code},
                     {"village_code", w.village_code}, {"category", w.category},
                     {"category_label", CategoryLabel(p, w.category)}, {"risks", w.risks}, {"rules", w.rules},
                     {"severity", w.severity}, {"score", w.score}, {"explanation", context.Explain(w)},
                     {"policy_digest", w.policy_digest}, {"as_of", w.as_of.ToIso()}, {"opened", w.opened.ToIso()},
                     {"closed", w.closed ? nlohmann::json(w.closed->ToIso()) : nlohmann::json()}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  if (warnings.empty() && format == Format::kTable) {
    std::cout << Tr(Msg::kCliNoWarnings) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColRank), Tr(Msg::kColScore), Tr(Msg::kColCategory), Tr(Msg::kColRisks),
               Tr(Msg::kColVillage), Tr(Msg::kColHouseholdCode), Tr(Msg::kColExplanation), Tr(Msg::kColOpened),
               Tr(Msg::kColClosed)});
  t.AlignRight(0);  // rank and score: numbers in a workbook too, so that they sort and filter
  t.AlignRight(1);
  int64_t rank = 0;
  for (const WarningRecord& w : warnings) {
    t.AddRow({std::to_string(++rank), std::to_string(w.score), CategoryLabel(context.PolicyOf(w.policy_digest), w.category),
              context.Risks(w), w.village_code, w.household_code, context.Explain(w), w.opened.ToIso(),
              w.closed ? w.closed->ToIso() : ""});
  }
  EmitTable(t, args.out, Tr(Msg::kWarningsSheet));
}

void RunPolicyCheck(const GlobalOptions& global, const PolicyArgs& args) {
  std::vector<PolicyProblem> problems;
  const Policy policy = Check(ReadPolicy(args.file, &problems));
  CheckPolicyUse(global, policy, &problems);
  if (problems.empty()) {
    std::cout << Tr(Msg::kCliPolicyOk, policy.file, policy.lines.size(), policy.triggers.size(),
                    policy.categories.size(), policy.rules.size(), policy.digest)
              << '\n';
    return;
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const PolicyProblem& a, const PolicyProblem& b) { return a.line < b.line; });
  for (const PolicyProblem& p : problems) {
    // A problem of the whole file (a section missing) has no position to point at.
    std::cerr << args.file;
    if (p.line > 0) std::cerr << ':' << p.line << ':' << p.column;
    std::cerr << ": [" << p.kind << "] " << p.message << '\n';
  }
  std::cerr << Tr(Msg::kCliPolicyProblems, args.file, problems.size()) << '\n';
  throw CLI::RuntimeError(1);
}

std::string KindLabel(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::kMoney:
      return "money";
    case FeatureKind::kBool:
      return "bool";
    case FeatureKind::kNumber:
      break;
  }
  return "number";
}

void RunPolicyFeatures(const OutputOptions& out) {
  if (Check(ParseFormat(out)) == Format::kJson) {
    nlohmann::json all = nlohmann::json::array();
    for (const FeatureDef& f : FeatureDefs()) {
      all.push_back({{"name", f.name}, {"type", KindLabel(f.kind)}, {"scale", f.scale}, {"unit", f.unit},
                     {"window", f.window}, {"label_zh", f.label_zh}, {"label_en", f.label_en},
                     {"definition", f.definition}});
    }
    std::cout << all.dump(2) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColFeature), Tr(Msg::kColType), Tr(Msg::kColUnit), Tr(Msg::kColWindow), Tr(Msg::kColLabel),
               Tr(Msg::kColDefinition)});
  for (const FeatureDef& f : FeatureDefs()) {
    t.AddRow({std::string(f.name), KindLabel(f.kind), std::string(f.unit), std::string(f.window),
              std::string(CurrentLanguage() == Lang::kEn ? f.label_en : f.label_zh), std::string(f.definition)});
  }
  EmitTable(t, out, "features");
}

}  // namespace

void AddScreenCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<ScreenArgs>();
  CLI::App* cmd = app.add_subcommand("screen", Tr(Msg::kCliScreenHelp));
  cmd->add_option("--policy", args->policy, Tr(Msg::kCliOptPolicy));
  cmd->add_option("--area", args->area, Tr(Msg::kCliOptArea));
  cmd->add_option("--as-of", args->as_of, Tr(Msg::kCliOptScreenAsOf))->check(NotBlank());
  cmd->add_option("--known-at", args->known_at, Tr(Msg::kCliOptKnownAt))->check(NotBlank());
  cmd->add_flag("--no-image", args->no_image, Tr(Msg::kCliOptNoImage));
  cmd->callback([&global, args] { RunScreen(global, *args); });
}

void AddEngineCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("engine", Tr(Msg::kCliEngineHelp));
  cmd->require_subcommand(1);
  CLI::App* image = cmd->add_subcommand("image", Tr(Msg::kCliEngineImageHelp));
  image->callback([&global] {
    const UsablePolicy used = LoadPolicyOrFail(global, "");
    const RuleSet* rules = used.rules.get();
    std::unique_ptr<Store> store = Check(OpenExisting(global));
    // The imports committed before the scan: any committed later counts as "since" the image.
    const ImportsSeen seen = Check(store->CommittedImports());
    EngineOptions options{SystemClock().Today(), std::nullopt, "", {}};
    options.keep_facts = true;
    options.use_image = false;
    ProgressBar bar;
    options.progress = [&bar](int64_t done) { bar.Update(static_cast<uint64_t>(done), 0, "engine"); };
    auto start = std::chrono::steady_clock::now();
    std::unique_ptr<Engine> engine = Check(Engine::Build(*store, *rules, options));
    bar.Finish();
    const double build_s = MillisSince(start) / 1000;
    start = std::chrono::steady_clock::now();
    const EngineImageHead head = Check(engine->SaveImage(*store, seen));
    std::cout << Tr(Msg::kCliEngineImageSaved, head.id, Thousands(head.households), head.chunks,
                    static_cast<double>(head.bytes) / 1e6, build_s, MillisSince(start) / 1000,
                    head.households > 0 ? head.bytes / head.households : 0)
              << '\n';
  });
}

void AddWarningsCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<WarningsArgs>();
  CLI::App* cmd = app.add_subcommand("warnings", Tr(Msg::kCliWarningsHelp));
  cmd->add_option("--area", args->area, Tr(Msg::kCliOptArea));
  cmd->add_option("--top", args->top, Tr(Msg::kCliOptTopScore))->check(PositiveCount());
  auto* open = cmd->add_flag("--open", args->open, Tr(Msg::kCliOptWarningsOpen));
  cmd->add_flag("--all", args->all, Tr(Msg::kCliOptWarningsAll))->excludes(open);
  cmd->add_flag("--reveal", args->reveal, Tr(Msg::kCliOptReveal));
  AddFormatOption(cmd, &args->out);
  cmd->callback([&global, args] { RunWarnings(global, *args); });
}

void AddPolicyCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<PolicyArgs>();
  auto out = std::make_shared<OutputOptions>();
  CLI::App* cmd = app.add_subcommand("policy", Tr(Msg::kCliPolicyHelp));
  cmd->require_subcommand(1);
  CLI::App* check = cmd->add_subcommand("check", Tr(Msg::kCliPolicyCheckHelp));
  check->add_option("FILE", args->file, Tr(Msg::kCliOptPolicy))->required();
  check->callback([&global, args] { RunPolicyCheck(global, *args); });
  CLI::App* features = cmd->add_subcommand("features", Tr(Msg::kCliPolicyFeaturesHelp));
  AddFormatOption(features, out.get());
  features->callback([out] { RunPolicyFeatures(*out); });
}

}  // namespace hearth::cli
