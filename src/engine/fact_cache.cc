#include "engine/fact_cache.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace hearth {
namespace {

// --- bytes ---------------------------------------------------------------------------------

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t Zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t Unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutSigned(std::string* out, int64_t v) { PutVarint(out, Zigzag(v)); }

class Reader {
 public:
  explicit Reader(const char* p) : p_(reinterpret_cast<const uint8_t*>(p)) {}
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t b = *p_++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  }
  int64_t Signed() { return Unzigzag(Varint()); }
  int Int() { return static_cast<int>(Varint()); }
  std::string_view Bytes(size_t n) {
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  const char* position() const { return reinterpret_cast<const char*>(p_); }

 private:
  const uint8_t* p_;
};

// --- resident ID numbers ---------------------------------------------------------------------
// An ID number is area (6 digits), birth date (8), sequence (3) and check character (digit or X).
// A member's record keeps the area only when it differs from the previous member's, and the
// birth date once when the ID's equals the member's birth date: 3 to 6 bytes instead of 18.

struct IdParts {
  int area = 0;
  Date birth;
  int tail = 0;  //!< sequence * 11 + check (X = 10)
};

std::optional<IdParts> SplitIdNumber(std::string_view id) {
  if (id.size() != 18) return std::nullopt;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return std::nullopt;
  }
  if (id[17] != 'X' && (id[17] < '0' || id[17] > '9')) return std::nullopt;
  auto number = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (id[i] - '0');
    return v;
  };
  const int y = number(6, 4), m = number(10, 2), d = number(12, 2);
  if (!Date::IsValidCivil(y, m, d)) return std::nullopt;
  return IdParts{number(0, 6), Date::FromCivil(y, m, d), number(14, 3) * 11 + (id[17] == 'X' ? 10 : id[17] - '0')};
}

std::string JoinIdNumber(const IdParts& p) {
  std::string id(18, '0');
  auto put = [&](size_t from, size_t n, int v) {
    for (size_t i = from + n; i-- > from; v /= 10) id[i] = static_cast<char>('0' + v % 10);
  };
  put(0, 6, p.area);
  put(6, 4, p.birth.year());
  put(10, 2, p.birth.month());
  put(12, 2, p.birth.day());
  put(14, 3, p.tail / 11);
  const int check = p.tail % 11;
  id[17] = check == 10 ? 'X' : static_cast<char>('0' + check);
  return id;
}

// Flags of a member's ID header (low 3 bits): not a standard ID (the pool id follows instead of
// the tail), area as the previous member's, ID birth date = the member's birth date.
constexpr uint64_t kIdOther = 1, kIdSameArea = 2, kIdSameBirth = 4;

// --- a member's small fields in one varint ---------------------------------------------------
// bit 0: 0 = packed as below, 1 = each field follows as its own varint (a value out of range).
// Then sex (2 bits), relation (4), health (3), labour (3), schooling (4), insured (1),
// converted from 15 digits (1), disability grade + 1 (4; 0 none), months worked + 1 (5; 0 none).

struct Field {
  int64_t value;
  int bits;
};

std::array<Field, 9> MemberFields(const PersonRecord& p) {
  return {{{static_cast<int64_t>(p.sex), 2},
          {static_cast<int64_t>(p.relation), 4},
          {static_cast<int64_t>(p.health), 3},
          {static_cast<int64_t>(p.labour), 3},
          {static_cast<int64_t>(p.schooling), 4},
          {p.insured ? 1 : 0, 1},
          {p.id_converted_from_15 ? 1 : 0, 1},
          {p.disability_grade ? *p.disability_grade + 1 : 0, 4},
          {p.months_worked ? *p.months_worked + 1 : 0, 5}}};
}

void SetMemberFields(PersonRecord* p, const int64_t (&v)[9]) {
  p->sex = static_cast<Sex>(v[0]);
  p->relation = static_cast<Relation>(v[1]);
  p->health = static_cast<Health>(v[2]);
  p->labour = static_cast<Labour>(v[3]);
  p->schooling = static_cast<Schooling>(v[4]);
  p->insured = v[5] != 0;
  p->id_converted_from_15 = v[6] != 0;
  p->disability_grade = v[7] == 0 ? std::nullopt : std::optional<int>(static_cast<int>(v[7] - 1));
  p->months_worked = v[8] == 0 ? std::nullopt : std::optional<int>(static_cast<int>(v[8] - 1));
}

void EncodeMemberFields(const PersonRecord& p, std::string* out) {
  const std::array<Field, 9> fields = MemberFields(p);
  uint64_t packed = 0;
  int shift = 1;
  bool fits = true;
  for (const Field& f : fields) {
    fits = fits && f.value >= 0 && f.value < (int64_t{1} << f.bits);
    packed |= static_cast<uint64_t>(f.value) << shift;
    shift += f.bits;
  }
  const bool negative = (p.disability_grade && *p.disability_grade < 0) || (p.months_worked && *p.months_worked < 0);
  if (fits && !negative) {
    PutVarint(out, packed);
    return;
  }
  // Field by field: the enumerations and flags as they are, each optional as presence + value.
  PutVarint(out, 1);
  for (size_t i = 0; i < 7; ++i) PutSigned(out, fields[i].value);
  for (const std::optional<int>& v : {p.disability_grade, p.months_worked}) {
    PutVarint(out, v ? 1 : 0);
    if (v) PutSigned(out, *v);
  }
}

void DecodeMemberFields(Reader& r, PersonRecord* p) {
  const uint64_t packed = r.Varint();
  int64_t v[9];
  if (packed & 1) {
    for (int i = 0; i < 7; ++i) v[i] = r.Signed();
    v[7] = v[8] = 0;
    SetMemberFields(p, v);
    for (std::optional<int>* field : {&p->disability_grade, &p->months_worked}) {
      *field = r.Varint() == 0 ? std::nullopt : std::optional<int>(static_cast<int>(r.Signed()));
    }
    return;
  } else {
    static constexpr int kBits[9] = {2, 4, 3, 3, 4, 1, 1, 4, 5};
    int shift = 1;
    for (int i = 0; i < 9; ++i) {
      v[i] = static_cast<int64_t>((packed >> shift) & ((uint64_t{1} << kBits[i]) - 1));
      shift += kBits[i];
    }
  }
  SetMemberFields(p, v);
}

// --- flat JSON payloads ------------------------------------------------------------------------

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// The end of a string starting after its opening quote: the index of the closing quote.
size_t StringEnd(std::string_view s, size_t i) {
  while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
  return i;
}

// A canonical integer literal that zigzags into 60 bits ("0", "-12", "3700", not "012" or "1e3").
std::optional<int64_t> CanonicalInt(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  const size_t digits = text[0] == '-' ? 1 : 0;
  if (digits == text.size() || (text[digits] == '0' && text.size() > digits + 1)) return std::nullopt;
  if (text == "-0") return std::nullopt;
  int64_t v = 0;
  if (std::from_chars(text.data(), text.data() + text.size(), v).ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// Value tags (low 2 bits of a field's value varint).
constexpr uint64_t kNull = 0, kString = 1, kInt = 2, kLiteral = 3;

}  // namespace

uint32_t StringPool::Intern(std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = ids_.find(text); it != ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(strings_.size());
  ids_.emplace(std::string(text), id);
  strings_.emplace_back(text);
  string_bytes_ += text.size();
  return id;
}

size_t StringPool::bytes() const {
  // Each string's characters (twice: the list and the index) and per-entry overhead.
  return strings_.capacity() * sizeof(std::string) + 2 * string_bytes_ +
         ids_.size() * (sizeof(std::string) + 2 * sizeof(void*) + sizeof(uint32_t)) +
         ids_.bucket_count() * sizeof(void*);
}

uint32_t FactCache::Intern(std::string_view text) {
  if (!sharing_) return pool_->Intern(text);
  if (auto it = seen_.find(text); it != seen_.end()) return it->second;
  const uint32_t id = pool_->Intern(text);
  seen_.emplace(std::string(text), id);
  return id;
}

void FactCache::Append(FactCache&& other, uint32_t first_row, const std::vector<uint32_t>& village_of) {
  const uint64_t shift = arena_.size();
  if (arena_.empty()) {
    arena_ = std::move(other.arena_);
  } else {
    arena_.reserve(arena_.size() + other.arena_.size());
    arena_.append(other.arena_);
  }
  garbage_ += other.garbage_;
  if (first_row + other.offset_.size() > offset_.size()) {
    offset_.reserve(first_row + other.offset_.size());
    offset_.resize(first_row + other.offset_.size(), kNone);
  }
  for (size_t r = 0; r < other.offset_.size(); ++r) {
    if (other.offset_[r] != kNone) offset_[first_row + r] = other.offset_[r] + shift;
  }
  for (size_t v = 0; v < other.village_.size(); ++v) {
    if (!other.village_known_[v]) continue;
    const uint32_t to = village_of[v];
    if (HasVillage(to)) continue;
    if (to >= village_.size()) {
      village_.resize(to + 1);
      village_known_.resize(to + 1, 0);
    }
    village_known_[to] = 1;
    village_[to] = std::move(other.village_[v]);
  }
  other = FactCache();
}

// Header varint: 2 * fields for a flat object, 2 * length + 1 for text kept as it is (anything
// that is not a flat object of strings, numbers, literals and nulls).
void FactCache::EncodePayload(std::string_view json, std::string* out) {
  std::string& fields = fields_;
  fields.clear();
  size_t count = 0;
  bool ok = true;
  size_t i = SkipSpace(json, 0);
  ok = i < json.size() && json[i] == '{';
  i = SkipSpace(json, i + 1);
  if (ok && i < json.size() && json[i] == '}') {
    i = SkipSpace(json, i + 1);
  } else {
    while (ok) {
      if (i >= json.size() || json[i] != '"') { ok = false; break; }
      const size_t key_end = StringEnd(json, i + 1);
      if (key_end >= json.size()) { ok = false; break; }
      const std::string_view key = json.substr(i + 1, key_end - i - 1);
      i = SkipSpace(json, key_end + 1);
      if (i >= json.size() || json[i] != ':') { ok = false; break; }
      i = SkipSpace(json, i + 1);
      if (i >= json.size()) { ok = false; break; }
      PutVarint(&fields, Intern(key));
      if (json[i] == '"') {
        const size_t end = StringEnd(json, i + 1);
        if (end >= json.size()) { ok = false; break; }
        PutVarint(&fields, (uint64_t{Intern(json.substr(i + 1, end - i - 1))} << 2) | kString);
        i = end + 1;
      } else {
        size_t end = i;
        while (end < json.size() && json[end] != ',' && json[end] != '}' && json[end] != ' ' && json[end] != '"' &&
               json[end] != '{' && json[end] != '[' && json[end] != '\t' && json[end] != '\n' && json[end] != '\r') {
          ++end;
        }
        const std::string_view literal = json.substr(i, end - i);
        if (literal.empty()) { ok = false; break; }
        if (literal == "null") {
          PutVarint(&fields, kNull);
        } else if (std::optional<int64_t> v = CanonicalInt(literal)) {
          PutVarint(&fields, (Zigzag(*v) << 2) | kInt);
        } else {
          PutVarint(&fields, (uint64_t{Intern(literal)} << 2) | kLiteral);
        }
        i = end;
      }
      ++count;
      i = SkipSpace(json, i);
      if (i < json.size() && json[i] == ',') {
        i = SkipSpace(json, i + 1);
        continue;
      }
      if (i < json.size() && json[i] == '}') {
        i = SkipSpace(json, i + 1);
        break;
      }
      ok = false;
    }
  }
  if (ok && i == json.size()) {
    PutVarint(out, count * 2);
    out->append(fields);
    return;
  }
  PutVarint(out, json.size() * 2 + 1);
  out->append(json);
}

namespace {

std::string DecodePayload(Reader& r, const std::vector<std::string>& strings) {
  const uint64_t header = r.Varint();
  if (header & 1) return std::string(r.Bytes(header >> 1));
  std::string out = "{";
  for (uint64_t i = 0; i < header / 2; ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += strings[r.Varint()];
    out += "\":";
    const uint64_t v = r.Varint();
    switch (v & 3) {
      case kNull: out += "null"; break;
      case kString: out += '"'; out += strings[v >> 2]; out += '"'; break;
      case kInt: out += std::to_string(Unzigzag(v >> 2)); break;
      default: out += strings[v >> 2]; break;
    }
  }
  out += '}';
  return out;
}

}  // namespace

// Per event: id (delta), type, person (0 none, 1 + member index, or 1 + members + pool id),
// effective date (delta), flags (1 amount, 2 supersedes), amount, supersedes (delta from the
// id), payload; a village event adds nothing else (its village is the record's).
void FactCache::EncodeEvents(const std::vector<EventRecord>& events, const std::vector<PersonRecord>& members,
                             bool village, std::string* out) {
  size_t count = 0;
  for (const EventRecord& e : events) count += e.village_code.empty() != village;
  PutVarint(out, count);
  int64_t id = 0, day = 0;
  for (const EventRecord& e : events) {
    if (e.village_code.empty() == village) continue;
    PutSigned(out, e.id - id);
    id = e.id;
    PutVarint(out, Intern(e.type));
    uint64_t person = 0;
    if (!e.person_id_number.empty()) {
      for (size_t m = 0; m < members.size() && person == 0; ++m) {
        if (members[m].id_number == e.person_id_number) person = 1 + m;
      }
      if (person == 0) person = 1 + members.size() + Intern(e.person_id_number);
    }
    PutVarint(out, person);
    PutSigned(out, e.effective.days() - day);
    day = e.effective.days();
    PutVarint(out, (e.amount ? 1u : 0u) | (e.supersedes != 0 ? 2u : 0u));
    if (e.amount) PutSigned(out, e.amount->fen());
    if (e.supersedes != 0) PutSigned(out, e.id - e.supersedes);
    EncodePayload(e.payload, out);
  }
}

namespace {

void DecodeEvents(Reader& r, const std::vector<PersonRecord>& members, const std::vector<std::string>& strings,
                  std::vector<EventRecord>* out) {
  const uint64_t count = r.Varint();
  int64_t id = 0, day = 0;
  for (uint64_t i = 0; i < count; ++i) {
    EventRecord e;
    id += r.Signed();
    e.id = id;
    e.type = strings[r.Varint()];
    const uint64_t person = r.Varint();
    if (person > 0 && person <= members.size()) e.person_id_number = members[person - 1].id_number;
    else if (person > members.size()) e.person_id_number = strings[person - 1 - members.size()];
    day += r.Signed();
    e.effective = Date::FromDays(static_cast<int32_t>(day));
    const uint64_t flags = r.Varint();
    if (flags & 1) e.amount = Money::FromFen(r.Signed());
    if (flags & 2) e.supersedes = e.id - r.Signed();
    e.payload = DecodePayload(r, strings);
    out->push_back(std::move(e));
  }
}

}  // namespace

void FactCache::Put(uint32_t row, const HouseholdFacts& facts) {
  std::string& rec = scratch_;
  rec.clear();
  const HouseholdRecord& h = facts.household;
  PutVarint(&rec, static_cast<uint64_t>(h.type));
  PutVarint(&rec, h.exit_year ? Zigzag(*h.exit_year) + 1 : 0);
  PutVarint(&rec, h.relocation_site.empty() ? 0 : uint64_t{Intern(h.relocation_site)} + 1);
  PutVarint(&rec, h.housing_grade ? static_cast<uint8_t>(*h.housing_grade) : 0);
  PutVarint(&rec, !h.water_safe ? 0 : *h.water_safe ? 2 : 1);
  PutVarint(&rec, facts.members.size());
  int64_t ref = 0;
  int area = 0;
  for (const PersonRecord& p : facts.members) {
    if (std::optional<IdParts> id = SplitIdNumber(p.id_number)) {
      const bool same_area = id->area == area, same_birth = id->birth == p.birth_date;
      PutVarint(&rec, (static_cast<uint64_t>(id->tail) << 3) | (same_area ? kIdSameArea : 0) | (same_birth ? kIdSameBirth : 0));
      if (!same_area) PutVarint(&rec, static_cast<uint64_t>(id->area));
      PutSigned(&rec, id->birth.days());
      if (!same_birth) PutSigned(&rec, p.birth_date.days());
      area = id->area;
    } else {
      PutVarint(&rec, (uint64_t{Intern(p.id_number)} << 3) | kIdOther);
      PutSigned(&rec, p.birth_date.days());
    }
    PutSigned(&rec, p.ref - ref);
    ref = p.ref;
    EncodeMemberFields(p, &rec);
  }
  PutVarint(&rec, facts.incomes.size());
  for (const IncomeRecord& i : facts.incomes) {
    PutSigned(&rec, i.year);
    for (Money m : {i.wage, i.business, i.property, i.transfer, i.business_cost}) PutSigned(&rec, m.fen());
  }
  EncodeEvents(facts.events, facts.members, false, &rec);
  StoreRecord(row, rec);
}

void FactCache::PutRecord(uint32_t row, std::string_view record) { StoreRecord(row, record); }

void FactCache::StoreRecord(uint32_t row, std::string_view rec) {
  if (row >= offset_.size()) offset_.resize(row + 1, kNone);
  if (offset_[row] != kNone) {
    Reader old(arena_.data() + offset_[row]);
    const uint64_t length = old.Varint();
    garbage_ += static_cast<size_t>(old.position() - (arena_.data() + offset_[row])) + length;
  }
  offset_[row] = arena_.size();
  PutVarint(&arena_, rec.size());
  arena_.append(rec);
  if (garbage_ > (1u << 20) && garbage_ * 2 > arena_.size()) Compact();
}

void FactCache::Get(uint32_t row, uint32_t village, HouseholdFacts* facts) const {
  Decode(Record(row), VillageRecord(village), "", pool_->strings(), facts);
}

std::string_view FactCache::Record(uint32_t row) const {
  Reader r(arena_.data() + offset_[row]);
  const uint64_t length = r.Varint();
  return std::string_view(r.position(), static_cast<size_t>(length));
}

void FactCache::Decode(std::string_view record, std::string_view village_record, std::string_view village_code,
                       const std::vector<std::string>& strings, HouseholdFacts* facts) {
  Reader r(record.data());
  HouseholdRecord& h = facts->household;
  h.type = static_cast<HouseholdType>(r.Int());
  const uint64_t exit = r.Varint();
  h.exit_year = exit == 0 ? std::nullopt : std::optional<int>(static_cast<int>(Unzigzag(exit - 1)));
  const uint64_t site = r.Varint();
  h.relocation_site = site == 0 ? std::string() : strings[site - 1];
  const uint64_t grade = r.Varint();
  h.housing_grade = grade == 0 ? std::nullopt : std::optional<char>(static_cast<char>(grade));
  const uint64_t water = r.Varint();
  h.water_safe = water == 0 ? std::nullopt : std::optional<bool>(water == 2);
  facts->members.resize(r.Varint());
  int64_t ref = 0;
  int area = 0;
  for (PersonRecord& p : facts->members) {
    const uint64_t header = r.Varint();
    if (header & kIdOther) {
      p.id_number = strings[header >> 3];
      p.birth_date = Date::FromDays(static_cast<int32_t>(r.Signed()));
    } else {
      IdParts id;
      id.tail = static_cast<int>(header >> 3);
      id.area = (header & kIdSameArea) ? area : static_cast<int>(r.Varint());
      area = id.area;
      id.birth = Date::FromDays(static_cast<int32_t>(r.Signed()));
      p.birth_date = (header & kIdSameBirth) ? id.birth : Date::FromDays(static_cast<int32_t>(r.Signed()));
      p.id_number = JoinIdNumber(id);
    }
    ref += r.Signed();
    p.ref = ref;
    DecodeMemberFields(r, &p);
  }
  facts->incomes.resize(r.Varint());
  for (IncomeRecord& i : facts->incomes) {
    i.year = static_cast<int>(r.Signed());
    for (Money* m : {&i.wage, &i.business, &i.property, &i.transfer, &i.business_cost}) *m = Money::FromFen(r.Signed());
  }
  facts->events.clear();
  DecodeEvents(r, facts->members, strings, &facts->events);
  if (!village_record.empty()) {
    Reader v(village_record.data());
    const size_t own = facts->events.size();
    DecodeEvents(v, {}, strings, &facts->events);
    for (size_t i = own; i < facts->events.size(); ++i) facts->events[i].village_code = village_code;
    std::sort(facts->events.begin(), facts->events.end(), [](const EventRecord& a, const EventRecord& b) {
      return std::tie(a.effective, a.id) < std::tie(b.effective, b.id);
    });
  }
}

void FactCache::PutVillageEvents(uint32_t village, const std::vector<EventRecord>& events) {
  if (village >= village_.size()) {
    village_.resize(village + 1);
    village_known_.resize(village + 1, 0);
  }
  village_known_[village] = 1;
  std::string rec;
  bool any = false;
  for (const EventRecord& e : events) any = any || !e.village_code.empty();
  if (any) EncodeEvents(events, {}, true, &rec);
  village_[village] = std::move(rec);
}

std::vector<EventRecord> FactCache::VillageEvents(uint32_t village) const {
  std::vector<EventRecord> out;
  if (village >= village_.size() || village_[village].empty()) return out;
  Reader r(village_[village].data());
  DecodeEvents(r, {}, pool_->strings(), &out);
  return out;
}

void FactCache::Compact() {
  std::string arena;
  arena.reserve(arena_.size() - garbage_);
  for (uint64_t& offset : offset_) {
    if (offset == kNone) continue;
    Reader r(arena_.data() + offset);
    const uint64_t length = r.Varint();
    const size_t size = static_cast<size_t>(r.position() - (arena_.data() + offset)) + length;
    const uint64_t moved = arena.size();
    arena.append(arena_, offset, size);
    offset = moved;
  }
  arena_ = std::move(arena);
  garbage_ = 0;
}

void FactCache::Shrink() {
  arena_.shrink_to_fit();
  offset_.shrink_to_fit();
  std::string().swap(scratch_);
  sharing_ = false;
  decltype(seen_)().swap(seen_);
}

size_t FactCache::bytes() const {
  size_t village = village_.capacity() * sizeof(std::string) + village_known_.capacity();
  for (const std::string& v : village_) village += v.capacity() > 15 ? v.capacity() : 0;
  return arena_.capacity() + offset_.capacity() * sizeof(uint64_t) + village + pool_->bytes();
}

}  // namespace hearth
