#include "engine/engine.h"

#include <algorithm>
#include <atomic>
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
  std::string not_used;
  if (options.use_image && !options.known_at) {
    HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, BuildFromImage(store, rules, options, &not_used));
    if (engine) return engine;
  }
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, BuildInParts(rules, options, [&](int parts, const PartFn& fn) {
    return store.ScanFactsInParts({options.area, options.known_at}, parts,
                                  [&](int p, HouseholdFacts& facts) { return fn(p, facts, {}); });
  }, nullptr));
  engine->source_.not_used = std::move(not_used);
  return engine;
}

int Engine::PartsFor(const EngineOptions& options) {
  if (options.parts > 0) return options.parts;
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

StatusOr<std::unique_ptr<Engine>> Engine::BuildInParts(const RuleSet& rules, const EngineOptions& options,
                                                       const PartReader& read, std::shared_ptr<StringPool> pool) {
  const Policy& policy = rules.policy();
  const int parts = PartsFor(options);
  // One engine per part, each filled on its part's thread with the households the store reads
  // for that part (a range of households, scanned through a connection of its own), then
  // joined in order. The store gives everything to part 0 when it cannot read in parts.
  std::vector<std::unique_ptr<Engine>> part(static_cast<size_t>(parts));
  const bool given_pool = pool != nullptr;
  if (!pool) pool = std::make_shared<StringPool>();
  for (auto& e : part) {
    e = std::make_unique<Engine>(rules, options);
    e->building_ = true;
    if (parts > 1 || given_pool) e->facts_.SharePool(pool);
  }
  // Households done, per part, each on a cache line of its own (no sharing per household).
  struct alignas(64) Count {
    std::atomic<int64_t> n{0};
  };
  std::vector<Count> done(static_cast<size_t>(parts));
  HEARTH_RETURN_IF_ERROR(read(parts, [&](int p, HouseholdFacts& facts, std::string_view encoded) {
    Engine& engine = *part[static_cast<size_t>(p)];
    const size_t before = engine.size();
    const uint32_t row = engine.Put(facts, ComputeFeatures(facts, policy, options.as_of));
    if (options.keep_facts) engine.Keep(row, facts, engine.size() > before, encoded);
    Count& mine = done[static_cast<size_t>(p)];
    mine.n.store(mine.n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    // Progress from one thread only (the callback need not be thread-safe), all parts counted.
    if (p == 0 && engine.size() % 65536 == 0 && options.progress) {
      int64_t all = 0;
      for (const Count& c : done) all += c.n.load(std::memory_order_relaxed);
      options.progress(all);
    }
    return Status::Ok();
  }));
  // Each part's household codes sorted on a thread of its own, then the sorted runs merged.
  if (options.keep_facts) {
    std::vector<std::thread> sorting;
    for (size_t p = 1; p < part.size(); ++p) sorting.emplace_back([&e = *part[p]] { e.SortCodes(); });
    part[0]->SortCodes();
    for (std::thread& t : sorting) t.join();
  }
  std::unique_ptr<Engine> engine = std::move(part[0]);
  for (size_t p = 1; p < part.size(); ++p) {
    const size_t sorted = engine->code_keys_.size();
    engine->Append(std::move(*part[p]));
    part[p].reset();
    engine->MergeCodes(sorted);
  }
  engine->building_ = false;
  if (options.keep_facts) {
    engine->code_keys_.shrink_to_fit();
    engine->code_rows_.shrink_to_fit();
    engine->facts_.Shrink();
  }
  engine->fired_.assign(engine->size(), 0);
  // Columns only appended to are at their narrowest width already (column.h).
  for (auto& column : engine->numbers_) column.ShrinkToFit();
  for (auto& column : engine->flags_) column.shrink_to_fit();
  return engine;
}

namespace {

// Appends `from` to `to` with exactly the room needed.
template <typename T>
void AppendAll(std::vector<T>& to, const std::vector<T>& from) {
  to.reserve(to.size() + from.size());
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

void Engine::SortCodes() {
  std::vector<std::pair<uint64_t, uint32_t>> codes(code_keys_.size());
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = {code_keys_[i], code_rows_[i]};
  std::sort(codes.begin(), codes.end());
  for (size_t i = 0; i < codes.size(); ++i) std::tie(code_keys_[i], code_rows_[i]) = codes[i];
}

void Engine::MergeCodes(size_t sorted) {
  std::vector<std::pair<uint64_t, uint32_t>> codes(code_keys_.size());
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = {code_keys_[i], code_rows_[i]};
  std::inplace_merge(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(sorted), codes.end());
  for (size_t i = 0; i < codes.size(); ++i) std::tie(code_keys_[i], code_rows_[i]) = codes[i];
}

void Engine::Append(Engine&& other) {
  const uint32_t first = static_cast<uint32_t>(size());
  std::vector<uint32_t> village_of(other.villages_.size());
  for (size_t v = 0; v < other.villages_.size(); ++v) {
    auto [it, inserted] = village_index_.try_emplace(other.villages_[v], static_cast<uint32_t>(villages_.size()));
    if (inserted) villages_.push_back(other.villages_[v]);
    village_of[v] = it->second;
  }
  for (const FeatureDef& f : FeatureDefs()) {
    const size_t i = static_cast<size_t>(f.id);
    if (IsFlag(f)) AppendAll(flags_[i], other.flags_[i]);
    else numbers_[i].Append(other.numbers_[i]);
  }
  AppendAll(max_stay_person_, other.max_stay_person_);
  AppendAll(max_stay_date_, other.max_stay_date_);
  AppendAll(household_ref_, other.household_ref_);
  AppendAll(fired_, other.fired_);
  village_.reserve(village_.size() + other.village_.size());
  for (uint32_t v : other.village_) village_.push_back(village_of[v]);
  if (other.row_of_ref_.size() > row_of_ref_.size()) row_of_ref_.resize(other.row_of_ref_.size(), 0);
  for (size_t r = 0; r < other.household_ref_.size(); ++r) {
    row_of_ref_[static_cast<size_t>(other.household_ref_[r])] = static_cast<int32_t>(first + r) + 1;
  }
  if (options_.keep_facts) {
    facts_.Append(std::move(other.facts_), first, village_of);
    AppendAll(code_keys_, other.code_keys_);
    code_rows_.reserve(code_rows_.size() + other.code_rows_.size());
    for (uint32_t r : other.code_rows_) code_rows_.push_back(first + r);
    for (const auto& [code, r] : other.other_codes_) other_codes_[code] = first + r;
  }
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
  const size_t before = size();
  const uint32_t row = Put(facts, ComputeFeatures(facts, rules_.policy(), options_.as_of));
  if (options_.keep_facts) Keep(row, facts, size() > before);
  fired_[row] = EvaluateRow(row);
  return DecideRow(row, fired_[row]);
}

namespace {

// Household codes of 1 to 17 digits as value * 32 + length (exact: leading zeros count).
std::optional<uint64_t> PackCode(std::string_view code) {
  if (code.empty() || code.size() > 17) return std::nullopt;
  uint64_t v = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v * 32 + code.size();
}

bool IsFeedFact(const EventRecord& e) { return !e.event_key.empty() || e.type == "retraction"; }

// Applies a feed event to a list of events in force (by effective date, then id), as the store's
// in-force rule would: a new fact joins, a correction replaces the event it supersedes, a
// retraction removes its event. False when the store must decide: a retraction of a correction
// may bring back the event the correction had replaced, which the list no longer holds.
bool ApplyToEvents(std::vector<EventRecord>* events, const EventRecord& e) {
  auto find = [&](int64_t id) {
    return std::find_if(events->begin(), events->end(), [&](const EventRecord& x) { return x.id == id; });
  };
  if (e.type == "retraction") {
    auto it = find(e.supersedes);
    if (it == events->end()) return true;  // not in force: nothing changes
    if (it->supersedes != 0) return false;
    events->erase(it);
    return true;
  }
  if (e.supersedes != 0) {
    if (auto it = find(e.supersedes); it != events->end()) events->erase(it);
  }
  if (auto it = find(e.id); it != events->end()) events->erase(it);  // the same event again
  auto at = std::upper_bound(events->begin(), events->end(), e, [](const EventRecord& a, const EventRecord& b) {
    return std::tie(a.effective, a.id) < std::tie(b.effective, b.id);
  });
  events->insert(at, e);
  return true;
}

constexpr uint32_t kNoVillage = ~uint32_t{0};

}  // namespace

void Engine::Keep(uint32_t row, const HouseholdFacts& facts, bool new_row, std::string_view encoded) {
  if (encoded.empty()) {
    facts_.Put(row, facts);
  } else {
    facts_.PutRecord(row, encoded);
  }
  // Every household of a village carries the village's events: while building, keep them once.
  if (!building_ || !facts_.HasVillage(village_[row])) facts_.PutVillageEvents(village_[row], facts.events);
  if (!new_row) return;
  const std::string& code = facts.household.household_code;
  const std::optional<uint64_t> key = PackCode(code);
  if (key && building_) {
    code_keys_.push_back(*key);
    code_rows_.push_back(row);
  } else {
    other_codes_[code] = row;
  }
}

std::optional<uint32_t> Engine::RowOfCode(const std::string& code) const {
  if (std::optional<uint64_t> key = PackCode(code)) {
    auto it = std::lower_bound(code_keys_.begin(), code_keys_.end(), *key);
    if (it != code_keys_.end() && *it == *key) return code_rows_[static_cast<size_t>(it - code_keys_.begin())];
  }
  if (auto it = other_codes_.find(code); it != other_codes_.end()) return it->second;
  return std::nullopt;
}

std::optional<HouseholdFacts> Engine::KeptFacts(uint32_t row) const {
  if (!options_.keep_facts || !facts_.Has(row)) return std::nullopt;
  HouseholdFacts facts;
  facts_.Get(row, village_[row], &facts);
  facts.household_ref = household_ref_[row];
  facts.household.village_code = villages_[village_[row]];
  return facts;
}

Decision Engine::Recompute(uint32_t row, HouseholdFacts& facts) {
  facts.household_ref = household_ref_[row];
  facts.household.village_code = villages_[village_[row]];
  Put(facts, ComputeFeatures(facts, rules_.policy(), options_.as_of));
  fired_[row] = EvaluateRow(row);
  return DecideRow(row, fired_[row]);
}

std::optional<std::vector<Decision>> Engine::ApplyKept(const EventRecord& event) {
  if (!IsFeedFact(event)) return std::nullopt;
  std::vector<Decision> out;
  if (event.household_code.empty()) {  // village-wide
    auto v = village_index_.find(event.village_code);
    if (v == village_index_.end()) return out;  // no household of that village is held
    std::vector<EventRecord> events = facts_.VillageEvents(v->second);
    if (!ApplyToEvents(&events, event)) return std::nullopt;
    facts_.PutVillageEvents(v->second, events);
    HouseholdFacts facts;
    for (uint32_t row = 0; row < size(); ++row) {
      if (village_[row] != v->second) continue;
      facts_.Get(row, v->second, &facts);
      out.push_back(Recompute(row, facts));
    }
    return out;
  }
  const std::optional<uint32_t> row = RowOfCode(event.household_code);
  if (!row) return std::nullopt;
  HouseholdFacts facts;
  facts_.Get(*row, kNoVillage, &facts);  // its own events
  if (!ApplyToEvents(&facts.events, event)) return std::nullopt;
  facts_.Put(*row, facts);
  std::vector<EventRecord> village = facts_.VillageEvents(village_[*row]);
  if (!village.empty()) {
    facts.events.insert(facts.events.end(), village.begin(), village.end());
    std::sort(facts.events.begin(), facts.events.end(), [](const EventRecord& a, const EventRecord& b) {
      return std::tie(a.effective, a.id) < std::tie(b.effective, b.id);
    });
  }
  out.push_back(Recompute(*row, facts));
  return out;
}

StatusOr<std::vector<Decision>> Engine::ApplyFromStore(const EventRecord& event, hearth::Store& store) {
  std::vector<Decision> out;
  if (!event.household_code.empty()) {
    ++store_reads_;
    HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, store.HouseholdFactsOf(event.household_code));
    out.push_back(Update(facts));
    return out;
  }
  if (event.village_code.empty()) return Error(StatusCode::kNotFound, Msg::kHouseholdUnknown, "");
  HEARTH_ASSIGN_OR_RETURN(auto households, store.HouseholdRefs(event.village_code));
  for (const auto& [ref, code] : households) {
    if (!RowOf(ref)) continue;  // the engine holds another area
    ++store_reads_;
    HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, store.HouseholdFactsOf(code));
    out.push_back(Update(facts));
  }
  return out;
}

StatusOr<std::vector<Decision>> Engine::Apply(const EventRecord& event, hearth::Store& store) {
  if (options_.keep_facts) {
    if (std::optional<std::vector<Decision>> kept = ApplyKept(event)) return std::move(*kept);
  }
  return ApplyFromStore(event, store);
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
  return static_cast<double>(bytes) / static_cast<double>(size()) + FactBytesPerHousehold();
}

double Engine::FactBytesPerHousehold() const {
  if (size() == 0) return 0;
  size_t bytes = facts_.bytes() + code_keys_.capacity() * sizeof(uint64_t) + code_rows_.capacity() * sizeof(uint32_t);
  bytes += other_codes_.size() * (sizeof(std::string) + 2 * sizeof(void*) + sizeof(uint32_t)) +
           other_codes_.bucket_count() * sizeof(void*);
  return static_cast<double>(bytes) / static_cast<double>(size());
}

}  // namespace hearth
