// The early-warning engine at scale (issue targets at 1,000,000 households: full screen
// <= 100 ms, rule evaluation <= 10 ms, event -> decision p99 <= 50 us, <= 300 bytes/household):
//   BM_EngineBuild            Engine::Build from SQLite: scan every household's facts, compute features
//   BM_EngineBuildForScreen   the same without kept facts, as `hearth screen` builds (one pass)
//   BM_EngineImageSave        the engine saved as the store's engine image (image.cc)
//   BM_EngineBuildFromImage   Engine::Build from that image (/1 with kept facts, /0 as `hearth
//                             screen`), features checked equal to the full build's
//   BM_StoreScan              only the store's part of a build: every household's facts read
//                             (Store::ScanFacts, one thread; the build reads in parts, one per core)
//   BM_EngineRules            every default rule over every household (the fired bits)
//   BM_EngineScreen           rules + the decisions (category, severity, score) of every household
//   BM_EngineWarnings         the warning records (explanations as data) of the households at risk
//   BM_EventToDecision        one new claim applied to the engine's kept facts (keep_facts), the
//                             household's features recomputed, its rules re-evaluated, decided
//                             (counters p50_us, p99_us)
//   BM_CorrectionToDecision   a correction of each of those claims
//   BM_EventToDecisionStoreRead  the same decision with the facts read from SQLite instead
//   BM_FactsRead              only the read of one household's facts from SQLite
//   BM_EventToDecisionInMemory  the same with the facts already read (the engine's own part)
// The database is feeds-N/imported-1000000.db of feed_bench (N = HEARTH_BENCH_HOUSEHOLDS,
// default 1,000,000: the generated registry plus 1,000,000 medical claims), copied once to
// engine-N.db, or HEARTH_BENCH_ENGINE_DB. As of 2025-01-31, or HEARTH_BENCH_AS_OF (YYYY-MM-DD).
//
//   build-bench/bench/feed_bench --prepare && build-bench/bench/engine_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

#include "bench/bench_env.h"
#include "engine/engine.h"

namespace hearth::bench {
namespace {

namespace fs = std::filesystem;

struct Fixture {
  std::unique_ptr<Store> store;
  Policy policy;
  std::unique_ptr<RuleSet> rules;
  std::unique_ptr<Engine> engine;
  ImportsSeen imports;  // committed before the build (the image's)
  double build_seconds = 0;
};

fs::path Database() {
  if (const char* env = std::getenv("HEARTH_BENCH_ENGINE_DB")) return env;
  const int64_t n = EnvInt("HEARTH_BENCH_HOUSEHOLDS", 1'000'000);
  const fs::path dir = WorkDir() / ("feeds-" + std::to_string(n));
  const fs::path copy = WorkDir() / ("engine-" + std::to_string(n) + ".db");
  if (!fs::exists(copy)) fs::copy_file(dir / "imported-1000000.db", copy);
  return copy;
}

Fixture& Shared() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    fx->store = std::move(OpenStore(Database().string(), OpenMode::kExisting).value());
    fx->policy = std::move(LoadDefaultPolicy(HEARTH_SOURCE_DATA_DIR_FOR_BENCH).value());
    std::vector<PolicyProblem> problems;
    fx->rules = std::make_unique<RuleSet>(std::move(*RuleSet::Compile(fx->policy, &problems)));
    auto start = std::chrono::steady_clock::now();
    Date as_of = Date::FromCivil(2025, 1, 31);
    if (const char* env = std::getenv("HEARTH_BENCH_AS_OF")) as_of = ParseDate(env).value();
    EngineOptions options{as_of, std::nullopt, "", {}, /*keep_facts=*/true};
    options.use_image = false;  // every household from the registry tables (BM_EngineBuildFromImage: the image)
    fx->imports = fx->store->CommittedImports().value();
    fx->engine = std::move(Engine::Build(*fx->store, *fx->rules, options).value());
    fx->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fx->engine->EvaluateRules();
    return fx;
  }();
  return *f;
}

void BM_EngineBuild(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) state.SetIterationTime(f.build_seconds);
  state.counters["households"] = static_cast<double>(f.engine->size());
  state.counters["bytes_per_household"] = f.engine->BytesPerHousehold();
  state.counters["of_which_facts"] = f.engine->FactBytesPerHousehold();
}
BENCHMARK(BM_EngineBuild)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_EngineBuildForScreen(benchmark::State& state) {
  Fixture& f = Shared();
  size_t households = 0;
  double bytes = 0;
  for (auto _ : state) {
    EngineOptions options = f.engine->options();
    options.keep_facts = false;
    StatusOr<std::unique_ptr<Engine>> engine = Engine::Build(*f.store, *f.rules, options);
    if (!engine.ok()) {
      state.SkipWithError(engine.status().message().c_str());
      return;
    }
    households = (*engine)->size();
    bytes = (*engine)->BytesPerHousehold();
  }
  state.counters["households"] = static_cast<double>(households);
  state.counters["bytes_per_household"] = bytes;
}
BENCHMARK(BM_EngineBuildForScreen)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_EngineImageSave(benchmark::State& state) {
  Fixture& f = Shared();
  EngineImageHead head;
  for (auto _ : state) {
    StatusOr<EngineImageHead> saved = f.engine->SaveImage(*f.store, f.imports);
    if (!saved.ok()) {
      state.SkipWithError(saved.status().message().c_str());
      return;
    }
    head = *saved;
  }
  state.counters["households"] = static_cast<double>(head.households);
  state.counters["chunks"] = static_cast<double>(head.chunks);
  state.counters["bytes_per_household"] = static_cast<double>(head.bytes) / static_cast<double>(std::max<int64_t>(1, head.households));
}
BENCHMARK(BM_EngineImageSave)->Iterations(1)->Unit(benchmark::kMillisecond);

// The build from the image just saved (nothing changed since), with kept facts as the fixture's
// (range 1) and without, as `hearth screen` builds (range 0).
void BM_EngineBuildFromImage(benchmark::State& state) {
  Fixture& f = Shared();
  size_t households = 0;
  bool from_image = false;
  int64_t differ = 0;
  for (auto _ : state) {
    EngineOptions options = f.engine->options();
    options.keep_facts = state.range(0) != 0;
    options.use_image = true;
    StatusOr<std::unique_ptr<Engine>> engine = Engine::Build(*f.store, *f.rules, options);
    if (!engine.ok()) {
      state.SkipWithError(engine.status().message().c_str());
      return;
    }
    state.PauseTiming();
    households = (*engine)->size();
    from_image = (*engine)->source().image;
    differ = 0;
    for (uint32_t row = 0; row < households; ++row) differ += (*engine)->Row(row) != f.engine->Row(row);
    state.ResumeTiming();
  }
  state.counters["households"] = static_cast<double>(households);
  state.counters["from_image"] = from_image ? 1 : 0;
  state.counters["features_differ"] = static_cast<double>(differ);
}
BENCHMARK(BM_EngineBuildFromImage)->Arg(1)->Arg(0)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_StoreScan(benchmark::State& state) {
  Fixture& f = Shared();
  int64_t households = 0, members = 0, events = 0;
  const FactsScan scan{"", f.engine->options().known_at};
  for (auto _ : state) {
    households = members = events = 0;
    Status s = f.store->ScanFacts(scan, [&](HouseholdFacts& facts) {
      ++households;
      members += static_cast<int64_t>(facts.members.size());
      events += static_cast<int64_t>(facts.events.size());
      return Status::Ok();
    });
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.counters["households"] = static_cast<double>(households);
  state.counters["members"] = static_cast<double>(members);
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_StoreScan)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_EngineRules(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) f.engine->EvaluateRules();
  state.counters["rules"] = static_cast<double>(f.rules->rules().size());
  state.counters["households"] = static_cast<double>(f.engine->size());
}
BENCHMARK(BM_EngineRules)->Unit(benchmark::kMillisecond);

void BM_EngineScreen(benchmark::State& state) {
  Fixture& f = Shared();
  size_t at_risk = 0;
  for (auto _ : state) {
    f.engine->EvaluateRules();
    std::vector<Decision> decisions = f.engine->Decide();
    at_risk = decisions.size();
    benchmark::DoNotOptimize(decisions.data());
  }
  state.counters["at_risk"] = static_cast<double>(at_risk);
}
BENCHMARK(BM_EngineScreen)->Unit(benchmark::kMillisecond);

void BM_EngineWarnings(benchmark::State& state) {
  Fixture& f = Shared();
  const std::vector<Decision> decisions = f.engine->Decide();
  for (auto _ : state) {
    WarningBatch batch = f.engine->Warnings(decisions);
    benchmark::DoNotOptimize(batch.warnings.data());
  }
  state.counters["warnings"] = static_cast<double>(decisions.size());
}
BENCHMARK(BM_EngineWarnings)->Unit(benchmark::kMillisecond);

// Random households' codes (the events' households).
std::vector<std::string> SampleHouseholds(Store& store, size_t n) {
  std::vector<std::string> codes = store.HouseholdCodes("").value();
  std::mt19937_64 rng(7);
  std::shuffle(codes.begin(), codes.end(), rng);
  codes.resize(std::min(n, codes.size()));
  return codes;
}

void Percentiles(benchmark::State& state, std::vector<double>& micros) {
  std::sort(micros.begin(), micros.end());
  if (micros.empty()) return;
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
}

// One new 住院 claim of a member of each household of `codes`, with ids above the store's
// (the events a department file would bring; `supersede` makes each a correction of the
// event of the same household in `previous`).
std::vector<EventRecord> Claims(Store& store, const std::vector<std::string>& codes, int64_t first_id,
                                const std::vector<EventRecord>* previous) {
  std::vector<EventRecord> out;
  for (size_t i = 0; i < codes.size(); ++i) {
    const HouseholdFacts facts = store.HouseholdFactsOf(codes[i]).value();
    EventRecord e;
    e.id = first_id + static_cast<int64_t>(i);
    e.type = "medical.claim";
    e.household_code = codes[i];
    e.person_id_number = facts.members.empty() ? "" : facts.members.front().id_number;
    e.effective = Date::FromCivil(2025, 1, 20);
    const int64_t selfpay = previous ? 6'000'000 : 3'500'000;
    e.amount = Money::FromFen(selfpay);
    e.payload = R"({"visit_type":"住院","admitted":"2025-01-12","discharged":"2025-01-20","total":)" +
                std::to_string(selfpay * 2) + R"(,"basic":)" + std::to_string(selfpay) +
                R"(,"critical":0,"assistance":0,"selfpay":)" + std::to_string(selfpay) + "}";
    e.event_key = e.person_id_number + "|2025-01-12|bench";
    if (previous) e.supersedes = (*previous)[i].id;
    out.push_back(std::move(e));
  }
  return out;
}

// The kept facts of every household give the features the build computed from the store's
// (counter kept_facts_differ: households whose features differ; must be 0).
void BM_KeptFactsCheck(benchmark::State& state) {
  Fixture& f = Shared();
  int64_t differ = 0;
  for (auto _ : state) {
    differ = 0;
    for (uint32_t row = 0; row < f.engine->size(); ++row) {
      differ += ComputeFeatures(*f.engine->KeptFacts(row), f.policy, f.engine->options().as_of) != f.engine->Row(row);
    }
  }
  state.counters["kept_facts_differ"] = static_cast<double>(differ);
  state.counters["households"] = static_cast<double>(f.engine->size());
}
BENCHMARK(BM_KeptFactsCheck)->Iterations(1)->Unit(benchmark::kMillisecond);

// Times `fn(item)` for the items in turn, one per iteration; p50/p99 as counters.
template <typename Item, typename Fn>
void TimeEach(benchmark::State& state, const std::vector<Item>& items, Fn fn) {
  std::vector<double> micros;
  size_t i = 0;
  for (auto _ : state) {
    const Item& item = items[i++ % items.size()];
    auto start = std::chrono::steady_clock::now();
    auto result = fn(item);
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    benchmark::DoNotOptimize(result);
  }
  Percentiles(state, micros);
}

void TimeApply(benchmark::State& state, Fixture& f, const std::vector<EventRecord>& events) {
  TimeEach(state, events, [&](const EventRecord& e) { return f.engine->Apply(e, *f.store); });
}

const std::vector<EventRecord>& NewClaims(Fixture& f) {
  static const std::vector<EventRecord> events = Claims(*f.store, SampleHouseholds(*f.store, 20000), 1'000'000'000, nullptr);
  return events;
}

// A new claim: applied to the engine's kept facts (no store read), features recomputed, rules
// re-evaluated, decided.
void BM_EventToDecision(benchmark::State& state) {
  Fixture& f = Shared();
  TimeApply(state, f, NewClaims(f));
}
BENCHMARK(BM_EventToDecision)->Iterations(20000)->Unit(benchmark::kMicrosecond);

// A correction of each of those claims (it replaces the claim it supersedes).
void BM_CorrectionToDecision(benchmark::State& state) {
  Fixture& f = Shared();
  const std::vector<EventRecord>& claims = NewClaims(f);
  for (const EventRecord& e : claims) benchmark::DoNotOptimize(f.engine->Apply(e, *f.store));
  static const std::vector<EventRecord> corrections = [&] {
    std::vector<std::string> codes;
    for (const EventRecord& e : claims) codes.push_back(e.household_code);
    return Claims(*f.store, codes, 1'100'000'000, &claims);
  }();
  TimeApply(state, f, corrections);
}
BENCHMARK(BM_CorrectionToDecision)->Iterations(20000)->Unit(benchmark::kMicrosecond);

// The same decision made from the store instead of kept facts: the household's facts read from
// SQLite, then Engine::Update (what an engine without keep_facts does).
void BM_EventToDecisionStoreRead(benchmark::State& state) {
  Fixture& f = Shared();
  static const std::vector<std::string> codes = SampleHouseholds(*f.store, 20000);
  TimeEach(state, codes, [&](const std::string& code) { return f.engine->Update(f.store->HouseholdFactsOf(code).value()); });
}
BENCHMARK(BM_EventToDecisionStoreRead)->Iterations(20000)->Unit(benchmark::kMicrosecond);

// Only the read of the household's facts from SQLite (the part of BM_EventToDecision outside
// the engine).
void BM_FactsRead(benchmark::State& state) {
  Fixture& f = Shared();
  static const std::vector<std::string> codes = SampleHouseholds(*f.store, 20000);
  TimeEach(state, codes, [&](const std::string& code) { return f.store->HouseholdFactsOf(code); });
}
BENCHMARK(BM_FactsRead)->Iterations(20000)->Unit(benchmark::kMicrosecond);

void BM_EventToDecisionInMemory(benchmark::State& state) {
  Fixture& f = Shared();
  static const std::vector<HouseholdFacts> facts = [&] {
    std::vector<HouseholdFacts> out;
    for (const std::string& code : SampleHouseholds(*f.store, 20000)) out.push_back(f.store->HouseholdFactsOf(code).value());
    return out;
  }();
  TimeEach(state, facts, [&](const HouseholdFacts& h) { return f.engine->Update(h); });
}
BENCHMARK(BM_EventToDecisionInMemory)->Iterations(20000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hearth::bench

BENCHMARK_MAIN();
