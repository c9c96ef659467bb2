// Where 公安's registration changes (户籍变动: 出生 birth, 迁入 move in, 迁出 move out, 死亡 death)
// leave each person of one household's facts, as of a date. The engine's member counts and the
// comparison findings both read it, so that they agree.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "store/records.h"

namespace hearth {

inline constexpr std::string_view kRegistrationChangeType = "registration.change";

struct RegistrationState {
  enum class Where { kIn, kOut, kDied };
  Where where = Where::kIn;
  Date since;                       //!< the effective date of the change that decided it
  bool moved_in_elsewhere = false;  //!< kOut: 公安 reported the move into another household
  int64_t event_id = 0;             //!< the change that decided it (EventRecord::id)
};

//! For each person named by a registration change effective by `as_of`: the latest change
//! decides (by effective date, then as recorded), so a person who moved out and back is in again,
//! and a birth reported and then a move out leaves the person out. A death is final: changes
//! after it do not bring the person back (they are data errors, told by the findings).
std::map<std::string, RegistrationState> LatestRegistrations(const std::vector<EventRecord>& events, Date as_of);

}  // namespace hearth
