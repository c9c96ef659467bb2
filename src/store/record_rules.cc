#include "store/record_rules.h"

#include <unordered_set>

#include <algorithm>
#include <charconv>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/text.h"

namespace hearth::store_rules {

bool SameHousehold(const HouseholdRecord& a, const HouseholdRecord& b) {
  return a.village_code == b.village_code && a.type == b.type && a.exit_year == b.exit_year &&
         a.relocation_site == b.relocation_site && a.housing_grade == b.housing_grade &&
         a.water_safe == b.water_safe;
}

bool SamePerson(const PersonRecord& a, const PersonRecord& b) {
  return SameName(a.name, b.name) && a.sex == b.sex && a.birth_date == b.birth_date &&
         a.id_converted_from_15 == b.id_converted_from_15 && a.relation == b.relation &&
         a.health == b.health && a.disability_grade == b.disability_grade && a.labour == b.labour &&
         a.schooling == b.schooling && a.insured == b.insured && a.months_worked == b.months_worked;
}

bool SameIncome(const IncomeRecord& a, const IncomeRecord& b) {
  return a.wage == b.wage && a.business == b.business && a.property == b.property &&
         a.transfer == b.transfer && a.business_cost == b.business_cost;
}

bool SameWarning(const WarningRecord& a, const WarningRecord& b) {
  return a.rules == b.rules && a.risks == b.risks && a.severity == b.severity && a.score == b.score &&
         a.explanation == b.explanation && a.policy_digest == b.policy_digest;
}

WarningPlan PlanWarnings(const WarningBatch& batch,
                         const std::unordered_map<int64_t, std::vector<WarningRecord>>& open_now,
                         const std::vector<int64_t>& held) {
  WarningPlan plan;
  std::unordered_set<int64_t> kept;  // ids of open warnings the batch still holds
  std::unordered_set<int64_t> held_seen;
  auto is_held = [&](int64_t household) {
    if (!std::binary_search(held.begin(), held.end(), household)) return false;
    held_seen.insert(household);
    return true;
  };
  for (const WarningRecord& w : batch.warnings) {
    if (is_held(w.household_ref)) continue;
    const WarningRecord* old = nullptr;
    if (auto it = open_now.find(w.household_ref); it != open_now.end()) {
      for (const WarningRecord& o : it->second) {
        if (o.category == w.category) old = &o;
      }
    }
    if (old == nullptr) {
      plan.open.push_back(&w);
      ++plan.counts.opened;
      continue;
    }
    kept.insert(old->id);
    if (SameWarning(*old, w)) {
      ++plan.counts.unchanged;
    } else {
      plan.update.emplace_back(old->id, &w);
      ++plan.counts.updated;
    }
  }
  for (const auto& [household, warnings] : open_now) {
    if (is_held(household)) continue;
    for (const WarningRecord& o : warnings) {
      if (kept.contains(o.id)) continue;
      plan.close.push_back(o.id);
      ++plan.counts.closed;
    }
  }
  plan.counts.held = static_cast<int64_t>(held_seen.size());
  return plan;
}

StatusOr<std::vector<int64_t>> HeldHouseholds(const StatusOr<ImageChanges>& changes) {
  if (!changes.ok()) return changes.status();
  if (changes->registry) return Error(StatusCode::kFailedPrecondition, Msg::kScreenRaced, changes->imports);
  return changes->households;
}

void KeepInForce(std::vector<EventRecord>* events, std::optional<int64_t> known_at) {
  if (known_at) {
    std::erase_if(*events, [&](const EventRecord& e) { return e.recorded_at > *known_at; });
  }
  // A household has a handful of events: sorted id lists beat hash sets (no allocation per id).
  std::vector<int64_t> retracted, superseded;
  for (const EventRecord& e : *events) {
    if (e.type == "retraction") retracted.push_back(e.supersedes);
  }
  std::sort(retracted.begin(), retracted.end());
  for (const EventRecord& e : *events) {
    if (e.supersedes != 0 && !std::binary_search(retracted.begin(), retracted.end(), e.id)) {
      superseded.push_back(e.supersedes);
    }
  }
  std::sort(superseded.begin(), superseded.end());
  std::erase_if(*events, [&](const EventRecord& e) {
    return e.type == "retraction" || std::binary_search(superseded.begin(), superseded.end(), e.id);
  });
  std::sort(events->begin(), events->end(), [](const EventRecord& a, const EventRecord& b) {
    return std::tie(a.effective, a.id) < std::tie(b.effective, b.id);
  });
}

void KeepMembersGone(std::vector<EventRecord>* events, std::optional<int64_t> known_at) {
  KeepInForce(events, known_at);
  std::erase_if(*events, [](EventRecord& e) {
    if (e.type != "registration.change") return true;
    nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
    const auto change = payload.is_object() ? payload.find("change") : payload.end();
    if (change == payload.end() || !change->is_string()) return true;
    if (change->get<std::string>() == "死亡") return false;
    if (change->get<std::string>() != "迁入") return true;
    payload["change"] = "迁出";
    payload["moved_in_elsewhere"] = true;
    e.payload = payload.dump();
    return false;
  });
}

void FinishFacts(HouseholdFacts* facts, std::optional<int64_t> known_at) {
  std::sort(facts->members.begin(), facts->members.end(), [](const PersonRecord& a, const PersonRecord& b) {
    return std::tie(a.relation, a.birth_date, a.ref) < std::tie(b.relation, b.birth_date, b.ref);
  });
  for (PersonRecord& p : facts->members) p.household_code = facts->household.household_code;
  for (IncomeRecord& i : facts->incomes) i.household_code = facts->household.household_code;
  for (EventRecord& e : facts->events) {
    if (e.village_code.empty() || e.household_code.empty()) e.household_code = facts->household.household_code;
  }
  KeepInForce(&facts->events, known_at);
}

int64_t EventKeyHash(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 33;  // MurmurHash3 fmix64
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<int64_t>(h);
}

std::vector<std::pair<std::string, std::string>> FactConfirmations::PendingRows() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [type, hashes] : pending_) {
    std::string hex;
    hex.reserve(hashes.size() * 16);
    for (int64_t h : hashes) {
      static constexpr char kDigits[] = "0123456789abcdef";
      for (int shift = 60; shift >= 0; shift -= 4) hex.push_back(kDigits[(static_cast<uint64_t>(h) >> shift) & 0xF]);
    }
    out.emplace_back(type, std::move(hex));
  }
  return out;
}

void FactConfirmations::Load(const std::string& type, std::string_view keys, int32_t received_day) {
  std::unordered_map<int64_t, int32_t>& days = later_[type];
  for (size_t i = 0; i + 16 <= keys.size(); i += 16) {
    uint64_t h = 0;
    const auto [end, ec] = std::from_chars(keys.data() + i, keys.data() + i + 16, h, 16);
    if (ec != std::errc() || end != keys.data() + i + 16) continue;
    int32_t& day = days[static_cast<int64_t>(h)];
    day = std::max(day, received_day);
  }
}

std::optional<Date> FactConfirmations::LatestFor(const std::string& type, std::string_view key) const {
  auto t = later_.find(type);
  if (t == later_.end()) return std::nullopt;
  auto it = t->second.find(EventKeyHash(key));
  return it == t->second.end() ? std::nullopt : std::optional<Date>(Date::FromDays(it->second));
}

std::string CellsToJson(const std::vector<std::string>& cells) {
  if (cells.empty()) return "[]";
  // Cells are UTF-8 from the readers; replace rather than throw on anything else.
  return nlohmann::json(cells).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> CellsFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& cell : j) out.push_back(cell.is_string() ? cell.get<std::string>() : cell.dump());
  return out;
}

std::string JoinIds(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

Status ReadInParts(int parts, int64_t low, int64_t high,
                   const std::function<Status(int part, int64_t from, int64_t to, const std::atomic<bool>* stop)>& read) {
  std::vector<int64_t> bounds(static_cast<size_t>(parts) + 1);
  for (int p = 0; p <= parts; ++p) bounds[static_cast<size_t>(p)] = low + (high - low + 1) * p / parts;
  std::atomic<bool> stop{false};
  std::vector<Status> results(static_cast<size_t>(parts));
  auto run = [&](int p) {
    const size_t i = static_cast<size_t>(p);
    results[i] = read(p, bounds[i], bounds[i + 1], &stop);
    if (!results[i].ok()) stop = true;
  };
  std::vector<std::thread> threads;
  for (int p = 1; p < parts; ++p) threads.emplace_back(run, p);
  run(0);
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) HEARTH_RETURN_IF_ERROR(s);
  return Status::Ok();
}

ImportsSeen SeenFromIds(const std::vector<int64_t>& ids) {
  ImportsSeen seen;
  int64_t next = 1;
  for (int64_t id : ids) {
    for (; next < id; ++next) seen.missing.push_back(next);
    next = id + 1;
    seen.max_id = id;
  }
  return seen;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

StatusOr<std::vector<int64_t>> ParseIds(std::string_view text) {
  std::vector<int64_t> ids;
  if (text.empty()) return ids;
  for (size_t i = 0;;) {
    size_t end = text.find(',', i);
    if (end == std::string_view::npos) end = text.size();
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + end, v);
    if (ec != std::errc() || ptr != text.data() + end) {
      return Error(StatusCode::kDataLoss, Msg::kEngineImageCorrupt, 0, 0, std::string(text));
    }
    ids.push_back(v);
    if (end == text.size()) return ids;
    i = end + 1;
  }
}

PersonName JoinedPerson(int64_t ref, std::string id_number, std::string_view payload) {
  const nlohmann::json j = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  auto text = [&](const char* key) {
    auto it = j.is_object() ? j.find(key) : j.end();
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  // A feed's event keeps the facts, not the name the row gave: the change says who this is.
  std::string name = text("name");
  if (name.empty()) name = Tr(text("change") == "出生" ? Msg::kPersonNewborn : Msg::kPersonMovedIn);
  return {ref, std::move(name), std::move(id_number)};
}

}  // namespace hearth::store_rules
