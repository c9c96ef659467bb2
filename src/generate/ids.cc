#include "generate/ids.h"

#include "core/id_number.h"
#include "core/messages.h"

namespace hearth::gen {
namespace {

constexpr int kMaleSequences = 500;    // 001, 003 ... 999
constexpr int kFemaleSequences = 499;  // 002, 004 ... 998
constexpr int kMaxShiftDays = 400;

// The k-th sequence given out on a day: a fixed permutation of the day's sequences, so that
// numbers do not all end in 001/002.
int SequenceFor(int k, bool female, uint64_t salt) {
  if (female) return 2 * static_cast<int>((static_cast<uint64_t>(k) * 337 + salt) % kFemaleSequences) + 2;
  return 2 * static_cast<int>((static_cast<uint64_t>(k) * 337 + salt) % kMaleSequences) + 1;
}

void AppendDigits(int value, int width, std::string* out) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

void AppendBirth(Date birth, std::string* out) {
  AppendDigits(birth.year(), 4, out);
  AppendDigits(birth.month(), 2, out);
  AppendDigits(birth.day(), 2, out);
}

}  // namespace

IdNumbering::IdNumbering(const Geography& geo, Date earliest, Date latest)
    : geo_(geo), first_day_(earliest.days()), days_(latest.days() - earliest.days() + 1) {
  used_.assign(geo.counties().size() * static_cast<size_t>(days_) * 2, 0);
}

size_t IdNumbering::Slot(int county, int32_t day, bool female) const {
  return (static_cast<size_t>(county) * static_cast<size_t>(days_) + static_cast<size_t>(day - first_day_)) * 2 +
         (female ? 1 : 0);
}

bool IdNumbering::TryAssign(Person* p, int32_t day) {
  if (day < first_day_ || day >= first_day_ + days_) return false;
  uint16_t& used = used_[Slot(p->county, day, p->female)];
  if (used >= (p->female ? kFemaleSequences : kMaleSequences)) return false;
  const uint64_t salt = Mix64(static_cast<uint64_t>(day) * 131 + p->county) % 997;
  p->id_seq = static_cast<uint16_t>(SequenceFor(used, p->female, salt));
  p->birth_days = day;
  ++used;
  return true;
}

Status IdNumbering::Assign(Block* block) {
  for (Person& p : block->persons) {
    const int32_t day = p.birth_days;
    bool done = false;
    for (int shift = 0; shift <= kMaxShiftDays && !done; ++shift) {
      done = TryAssign(&p, day - shift) || (shift > 0 && TryAssign(&p, day + shift));
    }
    if (!done) {
      return Error(StatusCode::kFailedPrecondition, Msg::kGenIdSpace, geo_.counties()[p.county].code,
                   Date::FromDays(day).ToIso());
    }
  }
  return Status::Ok();
}

std::string MakeIdNumber(std::string_view county6, Date birth, int sequence) {
  std::string id;
  id.reserve(18);
  id.append(county6);
  AppendBirth(birth, &id);
  AppendDigits(sequence, 3, &id);
  id.push_back(IdCheckCharacter(id));
  return id;
}

void AppendIdNumber(const Geography& geo, const Person& p, std::string* out) {
  const size_t start = out->size();
  out->append(geo.counties()[p.county].code);
  AppendBirth(Date::FromDays(p.birth_days), out);
  AppendDigits(p.id_seq, 3, out);
  out->push_back(IdCheckCharacter(std::string_view(*out).substr(start, 17)));
}

std::string IdNumberOf(const Geography& geo, const Person& p) {
  std::string id;
  id.reserve(18);
  AppendIdNumber(geo, p, &id);
  return id;
}

void AppendHouseholdCode(const Geography& geo, const Household& h, std::string* out) {
  out->append(geo.villages()[static_cast<size_t>(h.slot.village)].code);
  AppendDigits(h.slot.sequence, 4, out);
}

std::string HouseholdCodeOf(const Geography& geo, const Household& h) {
  std::string code;
  AppendHouseholdCode(geo, h, &code);
  return code;
}

std::string UnknownIdNumber(const Geography& geo, Rng& rng) {
  const Date birth = Date::FromDays(
      static_cast<int32_t>(rng.UniformInt(Date::FromCivil(1950, 1, 1).days(), Date::FromCivil(2005, 12, 31).days())));
  return MakeIdNumber(geo.outside_county(), birth, static_cast<int>(rng.UniformInt(1, 999)));
}

}  // namespace hearth::gen
