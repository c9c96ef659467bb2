#include "store/membership.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace hearth {

std::map<std::string, RegistrationState> LatestRegistrations(const std::vector<EventRecord>& events, Date as_of) {
  std::vector<const EventRecord*> changes;
  for (const EventRecord& e : events) {
    if (e.type == kRegistrationChangeType && !e.person_id_number.empty() && e.effective <= as_of) changes.push_back(&e);
  }
  std::stable_sort(changes.begin(), changes.end(), [](const EventRecord* a, const EventRecord* b) {
    if (a->effective != b->effective) return a->effective < b->effective;
    return a->recorded_at < b->recorded_at;
  });
  std::map<std::string, RegistrationState> out;
  for (const EventRecord* e : changes) {
    const nlohmann::json payload = nlohmann::json::parse(e->payload, nullptr, /*allow_exceptions=*/false);
    if (!payload.is_object()) continue;
    const auto change_at = payload.find("change");
    if (change_at == payload.end() || !change_at->is_string()) continue;
    const std::string change = change_at->get<std::string>();
    RegistrationState next;
    next.since = e->effective;
    next.event_id = e->id;
    if (change == "死亡") {
      next.where = RegistrationState::Where::kDied;
    } else if (change == "迁出") {
      next.where = RegistrationState::Where::kOut;
      const auto elsewhere = payload.find("moved_in_elsewhere");
      next.moved_in_elsewhere = elsewhere != payload.end() && elsewhere->is_boolean() && elsewhere->get<bool>();
    } else if (change == "迁入" || change == "出生") {
      next.where = RegistrationState::Where::kIn;
    } else {
      continue;
    }
    auto [it, first] = out.try_emplace(e->person_id_number, next);
    if (first) continue;
    if (it->second.where == RegistrationState::Where::kDied) continue;  // final; a second death report repeats it
    it->second = next;
  }
  return out;
}

}  // namespace hearth
