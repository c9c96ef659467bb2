// What every backend of the Store decides in C++ the same way, so that SQLite and PostgreSQL
// give the same answers: whether an upsert changed a record, which feed events are in force
// (as known at a time), the order of a household's members, and the text forms of the lists
// kept in one column. Part of the store layer's implementation (src/store/sqlite/,
// src/store/postgres/); other layers use store.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace hearth::store_rules {

//! Equal in every stored field (the key aside; names compared as SameName does).
bool SameHousehold(const HouseholdRecord& a, const HouseholdRecord& b);
bool SamePerson(const PersonRecord& a, const PersonRecord& b);
bool SameIncome(const IncomeRecord& a, const IncomeRecord& b);
//! Equal in what a screen sets (rules, risks, severity, score, explanation, policy).
bool SameWarning(const WarningRecord& a, const WarningRecord& b);

//! What saving a screen's warnings changes (Store::SaveWarnings): the batch's warnings matched
//! with the open warnings of its scope by (household, category).
struct WarningPlan {
  std::vector<const WarningRecord*> open;                         //!< new: opened
  std::vector<std::pair<int64_t, const WarningRecord*>> update;  //!< (open warning id, its new content)
  std::vector<int64_t> close;                                     //!< ids the batch no longer holds
  WarningCounts counts;                                           //!< unchanged ones counted too
};
//! `open_now`: the open warnings of the batch's scope, by household reference. `held`: the
//! households (ascending) whose warnings stay as they are (WarningBatch::facts_seen), counted
//! in `counts.held` when the batch or `open_now` names them.
WarningPlan PlanWarnings(const WarningBatch& batch,
                         const std::unordered_map<int64_t, std::vector<WarningRecord>>& open_now,
                         const std::vector<int64_t>& held = {});

//! The households a full screen's batch must leave as they are (WarningBatch::facts_seen): those
//! with new facts in `changes`; a registry import among them refuses the batch (kind
//! "screen_raced": every household may have changed; screen again).
StatusOr<std::vector<int64_t>> HeldHouseholds(const StatusOr<ImageChanges>& changes);

//! Drops the events recorded after `known_at` (when given), then the retractions and the events
//! no longer in force (superseded by an event that is not retracted), and orders the rest by
//! effective date and id. An event is in force unless an event that is itself in force
//! supersedes it; a retraction is never superseded, so two levels decide.
void KeepInForce(std::vector<EventRecord>* events, std::optional<int64_t> known_at);

//! Of `events` (a household's MemberElsewhereEventsSql rows: registration events about its members
//! that name another household, with the events that supersede them), those in force as known
//! at `known_at` that take the member away: a death (the person's, wherever registered), and a
//! move into the other household (迁入), kept as a move out of this one (迁出, with
//! "moved_in_elsewhere": true). The others (a move out of the other household) are dropped.
void KeepMembersGone(std::vector<EventRecord>* events, std::optional<int64_t> known_at);

//! Orders members (relation, birth date, reference), fills the household code of members,
//! incomes and household events, and keeps the events in force as known at `known_at`.
void FinishFacts(HouseholdFacts* facts, std::optional<int64_t> known_at);

//! How a scan in parts (Store::ScanFactsInParts) splits and runs: `read(part, from, to, stop)`
//! reads the households with ids in [from, to) for each of `parts` equal ranges of [low, high],
//! part 0 on the calling thread and the others on threads of their own, and returns early once
//! `stop` is set: a part that fails sets it for the others. The first failure, by part.
Status ReadInParts(int parts, int64_t low, int64_t high,
                   const std::function<Status(int part, int64_t from, int64_t to, const std::atomic<bool>* stop)>& read);

//! The stored 64-bit hash of a feed fact's key (events.key_hash): FNV-1a over the key's bytes,
//! then MurmurHash3's finaliser so that every bit depends on every byte. Stored, so it must
//! never change (EventKeyHashTest pins values); the key text stays beside it, compared on
//! every lookup, so a collision costs a probe, never a wrong answer.
int64_t EventKeyHash(std::string_view key);

//! The person a registration change placed in a household (kJoinedPersonSql's row), named by
//! the negative reference `ref`: a name its payload holds, else "新生儿" (born) or "新迁入人员"
//! (moved in) in the user's language.
PersonName JoinedPerson(int64_t ref, std::string id_number, std::string_view payload);

//! The facts an import confirmed (ImportTransaction::ConfirmFact) and those later imports did
//! (ConfirmedAfter), kept the same way by both backends.
class FactConfirmations {
 public:
  void Confirm(const std::string& type, std::string_view key) { pending_[type].push_back(EventKeyHash(key)); }
  //! Each type's confirmed hashes, as the keys column stores them.
  std::vector<std::pair<std::string, std::string>> PendingRows() const;
  //! True once `type`'s later confirmations were loaded (Load).
  bool Loaded(const std::string& type) const { return later_.contains(type); }
  //! Adds one stored row (its keys column, the day its import was received) to `type`'s.
  void Load(const std::string& type, std::string_view keys, int32_t received_day);
  void MarkLoaded(const std::string& type) { later_[type]; }
  std::optional<Date> LatestFor(const std::string& type, std::string_view key) const;

 private:
  std::map<std::string, std::vector<int64_t>> pending_;
  std::map<std::string, std::unordered_map<int64_t, int32_t>> later_;  // type -> hash -> latest day
};

//! A JSON array of strings, and back ([] for empty or malformed text).
std::string CellsToJson(const std::vector<std::string>& cells);
std::vector<std::string> CellsFromJson(const std::string& text);

//! Ids joined by commas, and back (rules and risk types of a warning).
std::string JoinIds(const std::vector<std::string>& items);
std::vector<std::string> SplitIds(const std::string& text);

//! The committed imports among `ids` (ascending, as read from the imports table): the largest,
//! and the ids below it that are absent.
ImportsSeen SeenFromIds(const std::vector<int64_t>& ids);
//! "3,7,12" and back (ImportsSeen::missing as stored); kind "engine_image_corrupt" on bad text.
std::string JoinIds(const std::vector<int64_t>& ids);
StatusOr<std::vector<int64_t>> ParseIds(std::string_view text);

}  // namespace hearth::store_rules
