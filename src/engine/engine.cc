#include "engine/engine.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "core/messages.h"

namespace hearth {
namespace {

constexpr size_t kChunk = 2048;

bool IsFlag(const FeatureDef& f) { return f.kind == FeatureKind::kBool; }

}  // namespace

Engine::Engine(const RuleSet& rules, EngineOptions options)
    : rules_(rules), options_(std::move(options)), numbers_(kFeatureCount), flags_(kFeatureCount) {}

StatusOr<std::unique_ptr<Engine>> Engine::Build(Store& store, const RuleSet& rules, EngineOptions options) {
  auto engine = std::make_unique<Engine>(rules, options);
  const Policy& policy = rules.policy();
  int64_t done = 0;
  FactsScan scan{options.area, options.known_at};
  HEARTH_RETURN_IF_ERROR(store.ScanFacts(scan, [&](HouseholdFacts& facts) {
    engine->Put(facts, ComputeFeatures(facts, policy, options.as_of));
    if (++done % 65536 == 0 && options.progress) options.progress(done);
    return Status::Ok();
  }));
  engine->fired_.assign(engine->size(), 0);
  for (auto& column : engine->numbers_) column.Compact();
  for (auto& column : engine->flags_) column.shrink_to_fit();
  return engine;
}

uint32_t Engine::Put(const HouseholdFacts& facts, const FeatureRow& row) {
  std::optional<uint32_t> existing = RowOf(facts.household_ref);
  const uint32_t r = existing ? *existing : static_cast<uint32_t>(household_ref_.size());
  const bool add = !existing;
  for (const FeatureDef& f : FeatureDefs()) {
    const size_t i = static_cast<size_t>(f.id);
    const int64_t v = row.values[i];
    if (IsFlag(f)) {
      if (add) flags_[i].push_back(static_cast<uint8_t>(v != 0));
      else flags_[i][r] = static_cast<uint8_t>(v != 0);
    } else {
      if (add) numbers_[i].Push(v);
      else numbers_[i].Set(r, v);
    }
  }
  if (add) {
    household_ref_.push_back(facts.household_ref);
    max_stay_person_.push_back(row.max_stay_person);
    max_stay_date_.push_back(row.max_stay_date.days());
    village_.push_back(0);
    fired_.push_back(0);
    if (static_cast<size_t>(facts.household_ref) >= row_of_ref_.size()) {
      row_of_ref_.resize(static_cast<size_t>(facts.household_ref) + 1, 0);
    }
    row_of_ref_[static_cast<size_t>(facts.household_ref)] = static_cast<int32_t>(r) + 1;
  } else {
    max_stay_person_[r] = row.max_stay_person;
    max_stay_date_[r] = row.max_stay_date.days();
  }
  auto [it, inserted] = village_index_.try_emplace(facts.household.village_code, static_cast<uint32_t>(villages_.size()));
  if (inserted) villages_.push_back(facts.household.village_code);
  village_[r] = it->second;
  return r;
}

std::optional<uint32_t> Engine::RowOf(int64_t household_ref) const {
  if (household_ref <= 0 || static_cast<size_t>(household_ref) >= row_of_ref_.size()) return std::nullopt;
  const int32_t r = row_of_ref_[static_cast<size_t>(household_ref)];
  if (r == 0) return std::nullopt;
  return static_cast<uint32_t>(r - 1);
}

expr::Columns Engine::ColumnsView() const {
  expr::Columns cols;
  cols.rows = size();
  cols.numbers.assign(kFeatureCount, nullptr);
  cols.bools.assign(kFeatureCount, nullptr);
  cols.narrow.assign(kFeatureCount, {});
  for (const FeatureDef& f : FeatureDefs()) {
    const size_t i = static_cast<size_t>(f.id);
    if (IsFlag(f)) cols.bools[i] = flags_[i].data();
    else if (numbers_[i].wide() != nullptr) cols.numbers[i] = numbers_[i].wide();
    else cols.narrow[i] = {numbers_[i].narrow(), numbers_[i].width()};
  }
  return cols;
}

void Engine::EvaluateRules() {
  // Two halves on two threads (the machines this targets have two cores); each is one pass
  // over its columns, every rule running on a chunk before the next chunk is read.
  const size_t half = (size() / 2 + kChunk - 1) / kChunk * kChunk;
  if (size() < 4 * kChunk) {
    EvaluateRange(0, size());
    return;
  }
  std::thread second([this, half] { EvaluateRange(half, size()); });
  EvaluateRange(0, half);
  second.join();
}

void Engine::EvaluateRange(size_t from, size_t to) {
  const expr::Columns cols = ColumnsView();
  const auto& rules = rules_.rules();
  std::vector<expr::Program> programs;
  for (const CompiledRule& r : rules) programs.push_back(r.program);
  std::vector<std::vector<uint8_t>> out(rules.size(), std::vector<uint8_t>(kChunk));
  std::vector<uint8_t*> outs;
  for (auto& o : out) outs.push_back(o.data());
  for (size_t begin = from; begin < to; begin += kChunk) {
    const size_t end = std::min(to, begin + kChunk);
    expr::EvaluateAll(programs, cols, begin, end, outs);
    // Rule by rule over the chunk (contiguous, vectorised), not row by row across 14 buffers.
    uint32_t* fired = fired_.data() + begin;
    const size_t n = end - begin;
    std::fill(fired, fired + n, 0u);
    for (size_t r = 0; r < rules.size(); ++r) {
      const uint8_t* hit = out[r].data();
      for (size_t i = 0; i < n; ++i) fired[i] |= static_cast<uint32_t>(hit[i] != 0) << r;
    }
  }
}

uint32_t Engine::EvaluateRow(uint32_t row) const {
  const expr::Columns cols = ColumnsView();
  uint32_t fired = 0;
  const auto& rules = rules_.rules();
  for (size_t r = 0; r < rules.size(); ++r) {
    if (expr::EvaluateRow(rules[r].program, cols, row)) fired |= 1u << r;
  }
  return fired;
}

Decision Engine::Update(const HouseholdFacts& facts) {
  const uint32_t row = Put(facts, ComputeFeatures(facts, rules_.policy(), options_.as_of));
  fired_[row] = EvaluateRow(row);
  return DecideRow(row, fired_[row]);
}

StatusOr<Decision> Engine::Apply(const EventRecord& event, hearth::Store& store) {
  HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, store.HouseholdFactsOf(event.household_code));
  return Update(facts);
}

Decision Engine::DecideRow(uint32_t row, uint32_t fired) const {
  Decision d;
  d.row = row;
  d.fired = fired;
  const auto& rules = rules_.rules();
  for (uint32_t bits = fired; bits != 0; bits &= bits - 1) {
    const CompiledRule& r = rules[static_cast<size_t>(__builtin_ctz(bits))];
    if (r.category >= 0 && (d.category < 0 || r.category < d.category)) d.category = r.category;
    d.severity = std::min(d.severity, r.def->severity);
  }
  if (d.category >= 0) d.score = Score(row, fired);
  return d;
}

int64_t Engine::Score(uint32_t row, uint32_t fired) const {
  const ScorePolicy& score = rules_.policy().score;
  int64_t points = 0;
  for (uint32_t bits = fired; bits != 0; bits &= bits - 1) {
    points += rules_.rules()[static_cast<size_t>(__builtin_ctz(bits))].def->weight;
  }
  auto at = [&](Feature f) { return numbers_[static_cast<size_t>(f)].Get(row); };
  // The shortfall is measured on income per person after rigid spending: what is left to live on.
  const int64_t line = at(Feature::kLine), members = at(Feature::kMembers);
  const int64_t rigid = at(Feature::kRigid12m), prev = at(Feature::kIncomePrev12m);
  const __int128 left = static_cast<__int128>(at(Feature::kIncome12m)) - rigid;
  const __int128 pc = members > 0 ? (left >= 0 ? left / members : -((-left + members - 1) / members)) : left;
  if (line > 0 && pc < line) {
    const __int128 gap = std::min<__int128>(static_cast<__int128>(line) - pc, line);
    points += static_cast<int64_t>(score.shortfall_points * gap / line);
  }
  if (rigid > 0) {
    points += prev <= 0 ? score.rigid_points
                        : static_cast<int64_t>(static_cast<__int128>(score.rigid_points) * std::min(rigid, prev) / prev);
  }
  return points;
}

std::vector<Decision> Engine::Decide() const {
  std::vector<Decision> out;
  for (uint32_t row = 0; row < size(); ++row) {
    if (fired_[row] == 0) continue;
    Decision d = DecideRow(row, fired_[row]);
    if (d.category >= 0) out.push_back(d);
  }
  return out;
}

FeatureRow Engine::Row(uint32_t row) const {
  FeatureRow out;
  for (const FeatureDef& f : FeatureDefs()) {
    const size_t i = static_cast<size_t>(f.id);
    out.values[i] = IsFlag(f) ? flags_[i][row] : numbers_[i].Get(row);
  }
  out.max_stay_person = max_stay_person_[row];
  out.max_stay_date = Date::FromDays(max_stay_date_[row]);
  return out;
}

WarningRecord Engine::Warning(const Decision& d) const {
  const auto& rules = rules_.rules();
  // Fired rules, highest severity first, then in policy order.
  std::vector<const CompiledRule*> fired;
  for (uint32_t bits = d.fired; bits != 0; bits &= bits - 1) fired.push_back(&rules[static_cast<size_t>(__builtin_ctz(bits))]);
  std::stable_sort(fired.begin(), fired.end(),
                   [](const CompiledRule* a, const CompiledRule* b) { return a->def->severity < b->def->severity; });
  WarningRecord w;
  w.household_ref = household_ref_[d.row];
  w.village_code = villages_[village_[d.row]];
  w.category = rules_.policy().categories[static_cast<size_t>(d.category)].id;
  w.severity = d.severity;
  w.score = d.score;
  w.policy_digest = rules_.policy().digest;
  w.as_of = options_.as_of;
  nlohmann::json explanation = nlohmann::json::array();
  const FeatureRow row = Row(d.row);
  for (const CompiledRule* r : fired) {
    w.rules.push_back(r->def->id);
    for (const std::string& risk : r->def->risks) {
      if (w.risks.size() < 5 && std::find(w.risks.begin(), w.risks.end(), risk) == w.risks.end()) w.risks.push_back(risk);
    }
    nlohmann::json params = nlohmann::json::object();
    for (const std::string& name : r->placeholders) {
      if (const FeatureDef* f = FindFeature(name)) {
        params[name] = row.Get(f->id);
      } else if (FindWitness(name) == Witness::kMaxStayPerson) {
        params[name] = nlohmann::json{{"person", row.max_stay_person}};
      } else {
        params[name] = row.max_stay_date.ToYearMonth();
      }
    }
    explanation.push_back({{"rule", r->def->id}, {"params", std::move(params)}});
  }
  if (w.risks.empty()) w.risks.push_back("other");
  w.explanation = explanation.dump();
  return w;
}

WarningBatch Engine::Warnings(const std::vector<Decision>& decisions) const {
  WarningBatch batch;
  batch.area = options_.area;
  batch.as_of = options_.as_of;
  batch.policy_digest = rules_.policy().digest;
  batch.policy_name = rules_.policy().name;
  batch.policy_text = rules_.policy().text;
  batch.warnings.reserve(decisions.size());
  for (const Decision& d : decisions) batch.warnings.push_back(Warning(d));
  return batch;
}

double Engine::BytesPerHousehold() const {
  if (size() == 0) return 0;
  size_t bytes = 0;
  for (const auto& c : numbers_) bytes += c.Bytes();
  for (const auto& c : flags_) bytes += c.capacity();
  bytes += max_stay_person_.capacity() * sizeof(int64_t) + max_stay_date_.capacity() * sizeof(int32_t);
  bytes += household_ref_.capacity() * sizeof(int64_t) + village_.capacity() * sizeof(uint32_t);
  bytes += fired_.capacity() * sizeof(uint32_t) + row_of_ref_.capacity() * sizeof(int32_t);
  for (const std::string& v : villages_) bytes += 2 * (sizeof(std::string) + v.capacity()) + 16;  // list and index
  return static_cast<double>(bytes) / static_cast<double>(size());
}

}  // namespace hearth
