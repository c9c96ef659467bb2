#include "findings/findings.h"

#include <algorithm>
#include <map>
#include <set>
#include <optional>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "store/membership.h"

namespace hearth {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kDeadStillMember = "dead_still_member";
constexpr std::string_view kDeadReceivingAssistance = "dead_receiving_assistance";
constexpr std::string_view kMovedOutStillMember = "moved_out_still_member";
constexpr std::string_view kChildOutOfSchool = "child_out_of_school";
constexpr std::string_view kMemberUninsured = "member_uninsured";
constexpr std::string_view kHouseUnsafe = "house_unsafe";
constexpr std::string_view kAssistanceIncomeHigh = "assistance_income_high";
constexpr std::string_view kBelowLineNoAssistance = "below_line_no_assistance";
constexpr std::string_view kPersonInTwoHouseholds = "person_in_two_households";

// Feed event types and the labels their payloads use.
constexpr std::string_view kAssistanceGrant = "assistance.grant";
constexpr std::string_view kSchoolStatus = "school.status";
constexpr std::string_view kMedicalEnrolment = "medical.enrolment";
constexpr std::string_view kHousingAppraisal = "housing.appraisal";
constexpr std::string_view kDibao = "低保";
constexpr std::string_view kTekun = "特困";
constexpr std::string_view kTemporaryAssistance = "临时救助";
constexpr std::string_view kDroppedOut = "辍学";

// --- payload fields -----------------------------------------------------------------------

Json ParseObject(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_object() ? j : Json::object();
}

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> Int(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<Date> DateField(const Json& j, const char* key) {
  std::string text = Str(j, key);
  if (text.empty()) return std::nullopt;
  StatusOr<Date> d = ParseDate(text);
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}

Json DateJson(std::optional<Date> d) { return d ? Json(d->ToIso()) : Json(); }

std::string DecimalText(Decimal d) {
  std::string digits = std::to_string(d.units < 0 ? -d.units : d.units);
  if (d.scale > 0) {
    if (digits.size() <= static_cast<size_t>(d.scale)) digits.insert(0, static_cast<size_t>(d.scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(d.scale), ".");
  }
  return (d.units < 0 ? "-" : "") + digits;
}

// --- the facts of one household as of a date ------------------------------------------------

struct Grant {
  std::string type;
  std::string person;
  Date start;
  std::optional<Date> end;  // none: ongoing
  std::optional<int64_t> monthly_fen;

  bool ActiveOn(Date d) const { return start <= d && (!end || *end >= d); }
  Json ToJson() const {
    return {{"grant_type", type}, {"start", start.ToIso()}, {"end", DateJson(end)},
            {"monthly_fen", monthly_fen ? Json(*monthly_fen) : Json()}};
  }
};

class Context {
 public:
  Context(const HouseholdFacts& facts, const Policy& policy, Date as_of)
      : facts_(facts), policy_(policy), as_of_(as_of) {
    for (const EventRecord& e : facts.events) {
      if (e.effective > as_of) continue;
      events_.push_back(&e);
      if (e.type == kAssistanceGrant) AddGrant(e);
    }
    // 公安's changes: the latest of each person's decides (moved out and back is here again).
    for (const auto& [id_number, state] : LatestRegistrations(facts.events, as_of)) {
      switch (state.where) {
        case RegistrationState::Where::kDied: deaths_.emplace(id_number, state.since); break;
        case RegistrationState::Where::kOut: moves_out_.emplace(id_number, MoveOut{state.since, state.moved_in_elsewhere}); break;
        case RegistrationState::Where::kIn: joined_.insert(id_number); break;
      }
    }
  }

  const HouseholdFacts& facts() const { return facts_; }
  const FindingsPolicy& rules() const { return policy_.findings; }
  const Policy& policy() const { return policy_; }
  Date as_of() const { return as_of_; }
  const std::vector<Grant>& grants() const { return grants_; }

  struct MoveOut {
    Date on;
    bool moved_in_elsewhere;  // 公安 reported the person moving into another household
  };
  const MoveOut* MoveOutOf(const std::string& id) const {
    auto it = moves_out_.find(id);
    return it == moves_out_.end() ? nullptr : &it->second;
  }
  std::optional<Date> DeathOf(const std::string& id) const {
    auto it = deaths_.find(id);
    return it == deaths_.end() ? std::nullopt : std::optional<Date>(it->second);
  }
  bool IsMember(const std::string& id) const {
    return std::any_of(facts_.members.begin(), facts_.members.end(),
                       [&](const PersonRecord& p) { return p.id_number == id; });
  }
  //! Persons 公安 placed in this household (born, moved in) whom the registry does not list yet
  //! and who have not died or left since.
  std::vector<std::string> JoinedNotRegistered() const {
    std::vector<std::string> out;
    for (const std::string& id : joined_) {
      if (!IsMember(id) && !DeathOf(id) && MoveOutOf(id) == nullptr) out.push_back(id);
    }
    return out;
  }
  std::vector<const PersonRecord*> LivingMembers() const {
    std::vector<const PersonRecord*> out;
    for (const PersonRecord& p : facts_.members) {
      if (!DeathOf(p.id_number)) out.push_back(&p);
    }
    return out;
  }
  //! The events of `type` effective on `day`, in the order they were stored.
  std::vector<const EventRecord*> OfTypeOn(std::string_view type, Date day) const {
    std::vector<const EventRecord*> out;
    for (const EventRecord* e : events_) {
      if (e->type == type && e->effective == day) out.push_back(e);
    }
    return out;
  }
  //! The latest event of `type` (for `person`, or any person when empty) up to as_of.
  const EventRecord* Latest(std::string_view type, const std::string& person) const {
    for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
      if ((*it)->type == type && (person.empty() || (*it)->person_id_number == person)) return *it;
    }
    return nullptr;
  }

  FindingRecord Make(std::string_view type, int severity, std::string person, std::string subject,
                     const Json& params) const {
    FindingRecord f;
    f.type = std::string(type);
    f.severity = severity;
    f.household_code = facts_.household.household_code;
    f.village_code = facts_.household.village_code;
    f.person_id_number = std::move(person);
    f.subject = std::move(subject);
    f.params = params.dump();
    f.opened = as_of_;
    return f;
  }

 private:
  void AddGrant(const EventRecord& e) {
    Json p = ParseObject(e.payload);
    Grant g{Str(p, "type"), e.person_id_number, DateField(p, "start").value_or(e.effective), DateField(p, "end"),
            Int(p, "monthly")};
    if (!g.monthly_fen && e.amount) g.monthly_fen = e.amount->fen();
    grants_.push_back(std::move(g));
  }

  const HouseholdFacts& facts_;
  const Policy& policy_;
  Date as_of_;
  std::vector<const EventRecord*> events_;
  std::map<std::string, Date> deaths_;
  std::map<std::string, MoveOut> moves_out_;  // the first (earliest) move out of each person
  std::set<std::string> joined_;              // born or moved in, by 公安's registration events
  std::vector<Grant> grants_;
};

// --- the finding types --------------------------------------------------------------------

void DeathFindings(const Context& c, std::vector<FindingRecord>& out) {
  for (const PersonRecord& p : c.facts().members) {
    std::optional<Date> died = c.DeathOf(p.id_number);
    if (!died) continue;
    out.push_back(c.Make(kDeadStillMember, 1, p.id_number, "",
                         {{"died", died->ToIso()},
                          {"registry_relation", RelationVocab().KeyEn(static_cast<int>(p.relation))}}));
  }
  for (const Grant& g : c.grants()) {
    std::optional<Date> died = c.DeathOf(g.person);
    if (!died) continue;
    // A 临时救助 is paid once, on its start date, unless it names an end: paid after the death
    // only when that day is after it. A monthly grant is paid for the month of the death and
    // stops from the next (低保 and 特困: 次月停发): one that ends by that month's last day is
    // the usual stop.
    const bool one_off = g.type == kTemporaryAssistance;
    const std::optional<Date> end = one_off ? g.end.value_or(g.start) : g.end;
    const Date last_paid = one_off ? *died : Date::FromDays(Date::FromCivil(died->year(), died->month(), 1).AddMonths(1).days() - 1);
    if (end && *end <= last_paid && g.start <= *died) continue;
    Json params = g.ToJson();
    params["died"] = died->ToIso();
    out.push_back(c.Make(kDeadReceivingAssistance, 1, g.person, g.type + "|" + g.start.ToIso(), params));
  }
}

// 公安 reports a member moved out (or into another household), yet the registry still lists them
// here: the household's members, and what is worked out per person, are wrong until it is fixed.
void MoveOutFindings(const Context& c, std::vector<FindingRecord>& out) {
  for (const PersonRecord& p : c.facts().members) {
    const Context::MoveOut* moved = c.MoveOutOf(p.id_number);
    if (moved == nullptr || c.DeathOf(p.id_number)) continue;
    out.push_back(c.Make(kMovedOutStillMember, 2, p.id_number, "",
                         {{"moved_out", moved->on.ToIso()}, {"moved_in_elsewhere", moved->moved_in_elsewhere},
                          {"registry_relation", RelationVocab().KeyEn(static_cast<int>(p.relation))}}));
  }
}

void SchoolFindings(const Context& c, std::vector<FindingRecord>& out) {
  for (const PersonRecord* p : c.LivingMembers()) {
    if (p->schooling == Schooling::kOutOfSchool || p->schooling == Schooling::kNotInSchool) continue;
    const EventRecord* e = c.Latest(kSchoolStatus, p->id_number);
    if (e == nullptr) continue;
    Json payload = ParseObject(e->payload);
    const int age = p->birth_date.YearsUntil(e->effective);
    if (Str(payload, "status") != kDroppedOut || age < c.rules().school_age_from || age > c.rules().school_age_to) {
      continue;
    }
    // 义务教育 is 小学 and 初中: a 15-year-old leaving 高中 or 中职 has left no compulsory school,
    // nor has a child leaving 学前 (kindergarten).
    const std::string stage = Str(payload, "stage");
    if (stage == "学前" || stage == "高中" || stage == "中职" || stage == "高职" || stage == "大专" || stage == "本科" || stage == "研究生") {
      continue;
    }
    Json school_year = Int(payload, "school_year") ? Json(*Int(payload, "school_year")) : Json();
    out.push_back(c.Make(kChildOutOfSchool, 1, p->id_number, "",
                         {{"status", Str(payload, "status")}, {"stage", Str(payload, "stage")},
                          {"school_year", school_year}, {"reported", e->effective.ToIso()}, {"age", age},
                          {"registry_schooling", SchoolingVocab().KeyEn(static_cast<int>(p->schooling))}}));
  }
}

void InsuranceFindings(const Context& c, std::vector<FindingRecord>& out) {
  // The registered members, and those 公安 placed here (a newborn above all) not registered yet.
  auto check = [&](const std::string& id, const Json& registry_insured) {
    const EventRecord* e = c.Latest(kMedicalEnrolment, id);
    if (e == nullptr) return;
    Json payload = ParseObject(e->payload);
    const std::string status = Str(payload, "status");
    if (status != "未参保" && status != "停保") return;
    Json year = Int(payload, "year") ? Json(*Int(payload, "year")) : Json();
    out.push_back(c.Make(kMemberUninsured, 2, id, "",
                         {{"status", status}, {"year", year}, {"changed", DateJson(DateField(payload, "changed"))},
                          {"reported", e->effective.ToIso()}, {"registry_insured", registry_insured}}));
  };
  for (const PersonRecord* p : c.LivingMembers()) check(p->id_number, p->insured);
  for (const std::string& id : c.JoinedNotRegistered()) check(id, Json());
}

void HousingFindings(const Context& c, std::vector<FindingRecord>& out) {
  const EventRecord* latest = c.Latest(kHousingAppraisal, "");
  if (latest == nullptr) return;
  // Two rows of one day for the household (one under a member's ID number instead of the
  // head's, say): the worst grade stands, so that an unsafe house never hides behind a row
  // stored after it.
  const EventRecord* e = latest;
  Json payload = ParseObject(e->payload);
  std::string grade = Str(payload, "grade");
  for (const EventRecord* other : c.OfTypeOn(kHousingAppraisal, latest->effective)) {
    Json p = ParseObject(other->payload);
    if (std::string g = Str(p, "grade"); g > grade) {  // "D" > "C" > "B" > "A"
      e = other;
      payload = std::move(p);
      grade = std::move(g);
    }
  }
  if (grade != "C" && grade != "D") return;
  const std::optional<char> registry = c.facts().household.housing_grade;
  out.push_back(c.Make(kHouseUnsafe, 1, "", "",
                       {{"grade", grade},
                        {"appraised", DateJson(DateField(payload, "appraised").value_or(e->effective))},
                        {"registry_housing_grade", registry ? Json(std::string(1, *registry)) : Json()}}));
}

// The registered income the two income findings compare: the latest year up to as_of's year,
// over the living members, against that year's line for the village.
struct IncomeFacts {
  const IncomeRecord* income = nullptr;
  int64_t members = 0;
  Money line;

  //! Sign of (net / members) - (line x factor), computed exactly: net x 10^scale against
  //! line x units x members.
  int CompareWithLine(Decimal factor) const {
    __int128 scale = 1;
    for (int i = 0; i < factor.scale; ++i) scale *= 10;
    const __int128 lhs = static_cast<__int128>(income->Net().fen()) * scale;
    const __int128 rhs = static_cast<__int128>(line.fen()) * factor.units * members;
    return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
  }
  Json ToJson() const {
    return {{"income_year", income->year}, {"net_fen", income->Net().fen()}, {"members", members},
            {"net_per_person_fen", income->Net().DividedByRoundingDown(members).fen()}, {"line_fen", line.fen()}};
  }
};

std::optional<IncomeFacts> RegisteredIncome(const Context& c) {
  IncomeFacts f;
  for (const IncomeRecord& i : c.facts().incomes) {
    if (i.year <= c.as_of().year()) f.income = &i;
  }
  f.members = static_cast<int64_t>(c.LivingMembers().size());
  if (f.income == nullptr || f.members == 0) return std::nullopt;
  std::optional<Money> line = c.policy().LineFor(c.facts().household.village_code, f.income->year);
  if (!line) return std::nullopt;
  f.line = *line;
  return f;
}

bool IsSubsistence(const Grant& g) { return g.type == kDibao || g.type == kTekun; }

void HighIncomeFindings(const Context& c, const IncomeFacts& income, std::vector<FindingRecord>& out) {
  const Decimal factor = c.rules().assistance_income_factor;
  if (income.CompareWithLine(factor) <= 0) return;
  for (const Grant& g : c.grants()) {
    if (!IsSubsistence(g) || !g.ActiveOn(c.as_of()) || c.DeathOf(g.person)) continue;
    if (!g.person.empty() && !c.IsMember(g.person)) continue;
    Json params = income.ToJson();
    params.update(g.ToJson());
    params["factor"] = DecimalText(factor);
    params["threshold_fen"] = income.line.Times(factor).fen();
    out.push_back(c.Make(kAssistanceIncomeHigh, 2, g.person, g.type, params));
  }
}

void BelowLineFindings(const Context& c, const IncomeFacts& income, std::vector<FindingRecord>& out) {
  if (income.CompareWithLine(Decimal{1, 0}) >= 0) return;
  const int months = c.rules().temporary_assistance_months;
  const Date window_start = c.as_of().AddMonths(-months);
  for (const Grant& g : c.grants()) {
    if (IsSubsistence(g) && g.ActiveOn(c.as_of())) return;
    // 临时救助 is a one-off payment: without an end date it was paid on its start date (an
    // office leaves 结束日期 empty for it), not "ongoing".
    if (g.type == kTemporaryAssistance && g.start <= c.as_of() && g.end.value_or(g.start) >= window_start) return;
  }
  Json params = income.ToJson();
  params["temporary_assistance_months"] = months;
  out.push_back(c.Make(kBelowLineNoAssistance, 2, "", "", params));
}

void IncomeFindings(const Context& c, std::vector<FindingRecord>& out) {
  std::optional<IncomeFacts> income = RegisteredIncome(c);
  if (!income) return;
  HighIncomeFindings(c, *income, out);
  BelowLineFindings(c, *income, out);
}

void SharedFindings(const Context& c, std::vector<FindingRecord>& out) {
  const std::string& own = c.facts().household.household_code;
  for (const SharedPerson& s : c.facts().shared) {
    Json others = Json::array();
    for (const std::string& code : s.household_codes) {
      if (code != own) others.push_back(code);
    }
    out.push_back(c.Make(kPersonInTwoHouseholds, 2, s.id_number, s.id_number, {{"other_households", others}}));
  }
}

size_t TypeRank(std::string_view type) {
  const auto& types = FindingTypes();
  return static_cast<size_t>(std::find(types.begin(), types.end(), type) - types.begin());
}

auto Identity(const FindingRecord& f) { return std::tie(f.type, f.person_id_number, f.subject); }

void SortAndDeduplicate(std::vector<FindingRecord>& out) {
  std::stable_sort(out.begin(), out.end(), [](const FindingRecord& a, const FindingRecord& b) {
    return std::make_tuple(TypeRank(a.type), std::cref(a.person_id_number), std::cref(a.subject)) <
           std::make_tuple(TypeRank(b.type), std::cref(b.person_id_number), std::cref(b.subject));
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const FindingRecord& a, const FindingRecord& b) { return Identity(a) == Identity(b); }),
            out.end());
}

// --- refresh ------------------------------------------------------------------------------

using Key = std::tuple<std::string, std::string, std::string>;

Key KeyOf(const FindingRecord& f) { return {f.type, f.person_id_number, f.subject}; }

Status RefreshHousehold(ImportTransaction& tx, const std::string& code, const Policy& policy, Date as_of,
                        RefreshCounts& counts) {
  HEARTH_ASSIGN_OR_RETURN(HouseholdFacts facts, tx.LoadFacts(code));
  HEARTH_ASSIGN_OR_RETURN(std::vector<FindingRecord> open, tx.OpenFindings(code));
  std::map<Key, const FindingRecord*> stored;
  for (const FindingRecord& f : open) {
    if (!stored.emplace(KeyOf(f), &f).second) {  // a duplicate open finding: keep the first
      HEARTH_RETURN_IF_ERROR(tx.CloseFinding(f.id, std::max(as_of, f.opened)));
      ++counts.closed;
    }
  }
  for (const FindingRecord& f : DeriveFindings(facts, policy, as_of)) {
    auto it = stored.find(KeyOf(f));
    if (it == stored.end()) {
      HEARTH_RETURN_IF_ERROR(tx.InsertFinding(f).status());
      ++counts.opened;
      continue;
    }
    const FindingRecord& old = *it->second;
    if (old.params != f.params || old.severity != f.severity) {
      HEARTH_RETURN_IF_ERROR(tx.UpdateFinding(old.id, f.severity, f.params));
      ++counts.updated;
    } else {
      ++counts.unchanged;
    }
    stored.erase(it);
  }
  std::vector<const FindingRecord*> gone;
  for (const auto& [key, f] : stored) gone.push_back(f);
  std::sort(gone.begin(), gone.end(), [](const FindingRecord* a, const FindingRecord* b) { return a->id < b->id; });
  // Never closed before the day it was opened (a file that arrived late is screened as of the
  // latest one, but a finding may be newer still).
  for (const FindingRecord* f : gone) HEARTH_RETURN_IF_ERROR(tx.CloseFinding(f->id, std::max(as_of, f->opened)));
  counts.closed += static_cast<int64_t>(gone.size());
  return Status::Ok();
}

// --- rendering ----------------------------------------------------------------------------

// A feed's Chinese label in the current language (English keeps the label in brackets).
std::string Term(const std::string& zh) {
  static const std::map<std::string, std::string, std::less<>> kEnglish = {
      {"低保", "the subsistence allowance (低保)"}, {"特困", "extreme-poverty support (特困)"},
      {"临时救助", "temporary assistance (临时救助)"}, {"未参保", "not enrolled"}, {"停保", "suspended"},
      {"参保", "enrolled"}, {"辍学", "dropped out"}, {"学前", "preschool"}, {"小学", "primary school"},
      {"初中", "junior secondary school"}, {"高中", "senior secondary school"},
      {"中职", "secondary vocational school"}};
  if (CurrentLanguage() != Lang::kEn) return zh;
  auto it = kEnglish.find(zh);
  return it == kEnglish.end() ? zh : it->second;
}

std::string VocabLabel(const Vocabulary& v, const std::string& key) {
  std::optional<int> value = v.Parse(key);
  if (!value) return key.empty() ? Tr(Msg::kFindingNotRecorded) : key;
  return std::string(CurrentLanguage() == Lang::kEn ? v.KeyEn(*value) : v.LabelZh(*value));
}

std::string Yuan(const Json& p, const char* key) {
  std::optional<int64_t> fen = Int(p, key);
  return fen ? Money::FromFen(*fen).ToString() : Tr(Msg::kFindingNotRecorded);
}

std::string TextOr(const Json& p, const char* key) {
  auto it = p.find(key);
  if (it == p.end() || it->is_null()) return Tr(Msg::kFindingNotRecorded);
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// A school year as offices write it: 2024 -> "2024-2025".
std::string SchoolYearText(const Json& p) {
  if (std::optional<int64_t> year = Int(p, "school_year")) return fmt::format("{}-{}", *year, *year + 1);
  return TextOr(p, "school_year");
}

std::string GrantEnd(const Json& p) {
  std::string end = Str(p, "end");
  return end.empty() ? Tr(Msg::kFindingOngoing) : Tr(Msg::kFindingUntil, end);
}

std::string JoinedOthers(const Json& p) {
  std::string out;
  auto it = p.find("other_households");
  if (it == p.end() || !it->is_array()) return out;
  for (const Json& code : *it) {
    if (!out.empty()) out += Tr(Msg::kFindingListSeparator);
    out += code.is_string() ? code.get<std::string>() : code.dump();
  }
  return out;
}

std::string RenderIncome(const FindingRecord& f, const Json& p, const std::string& person) {
  if (f.type == kAssistanceIncomeHigh) {
    return Tr(Msg::kFindingAssistanceIncomeHigh, person, Term(Str(p, "grant_type")), TextOr(p, "start"),
              Yuan(p, "monthly_fen"), f.household_code, TextOr(p, "income_year"), Yuan(p, "net_per_person_fen"),
              TextOr(p, "members"), Yuan(p, "line_fen"), TextOr(p, "factor"), Yuan(p, "threshold_fen"), GrantEnd(p));
  }
  return Tr(Msg::kFindingBelowLineNoAssistance, f.household_code, TextOr(p, "income_year"),
            Yuan(p, "net_per_person_fen"), TextOr(p, "members"), Yuan(p, "line_fen"),
            TextOr(p, "temporary_assistance_months"));
}

}  // namespace

const std::vector<std::string_view>& FindingTypes() {
  static const std::vector<std::string_view> kTypes = {
      kDeadStillMember,       kDeadReceivingAssistance, kChildOutOfSchool,      kMemberUninsured,
      kHouseUnsafe,           kAssistanceIncomeHigh,    kBelowLineNoAssistance, kPersonInTwoHouseholds,
      kMovedOutStillMember};
  return kTypes;
}

bool IsFindingType(std::string_view type) { return TypeRank(type) < FindingTypes().size(); }

std::vector<FindingRecord> DeriveFindings(const HouseholdFacts& facts, const Policy& policy, Date as_of) {
  const Context c(facts, policy, as_of);
  std::vector<FindingRecord> out;
  DeathFindings(c, out);
  MoveOutFindings(c, out);
  SchoolFindings(c, out);
  InsuranceFindings(c, out);
  HousingFindings(c, out);
  IncomeFindings(c, out);
  SharedFindings(c, out);
  SortAndDeduplicate(out);
  return out;
}

StatusOr<RefreshCounts> RefreshFindings(ImportTransaction& tx, const std::vector<std::string>& household_codes,
                                        const Policy& policy, Date as_of) {
  RefreshCounts counts;
  for (const std::string& code : household_codes) {
    HEARTH_RETURN_IF_ERROR(RefreshHousehold(tx, code, policy, as_of, counts));
    ++counts.households;
  }
  return counts;
}

std::string RenderFinding(const FindingRecord& f, const PersonLabeler& person_label) {
  const Json p = ParseObject(f.params);
  const std::string person = f.person_id_number.empty() ? std::string() : person_label(f.person_id_number);
  if (f.type == kDeadStillMember) {
    return Tr(Msg::kFindingDeadStillMember, person, TextOr(p, "died"), f.household_code,
              VocabLabel(RelationVocab(), Str(p, "registry_relation")));
  }
  if (f.type == kMovedOutStillMember) {
    auto elsewhere = p.find("moved_in_elsewhere");
    const bool into_another = elsewhere != p.end() && elsewhere->is_boolean() && elsewhere->get<bool>();
    return Tr(Msg::kFindingMovedOutStillMember, person, TextOr(p, "moved_out"),
              into_another ? Tr(Msg::kFindingMovedIntoAnother) : std::string(), f.household_code,
              VocabLabel(RelationVocab(), Str(p, "registry_relation")));
  }
  if (f.type == kDeadReceivingAssistance) {
    if (Str(p, "grant_type") == kTemporaryAssistance) {
      return Tr(Msg::kFindingDeadTemporaryAssistance, person, TextOr(p, "died"), Term(Str(p, "grant_type")),
                TextOr(p, "start"), Yuan(p, "monthly_fen"));
    }
    return Tr(Msg::kFindingDeadReceivingAssistance, person, TextOr(p, "died"), Term(Str(p, "grant_type")),
              TextOr(p, "start"), GrantEnd(p), Yuan(p, "monthly_fen"));
  }
  if (f.type == kChildOutOfSchool) {
    return Tr(Msg::kFindingChildOutOfSchool, person, TextOr(p, "age"), SchoolYearText(p),
              Term(Str(p, "stage")), TextOr(p, "reported"), VocabLabel(SchoolingVocab(), Str(p, "registry_schooling")));
  }
  if (f.type == kMemberUninsured) {
    auto insured = p.find("registry_insured");
    const bool known = insured != p.end() && insured->is_boolean();
    const Msg registry = !known ? Msg::kFindingNotRegisteredYet
                                : insured->get<bool>() ? Msg::kFindingInsuredYes : Msg::kFindingInsuredNo;
    const std::string changed = Str(p, "changed");
    const std::string when = !changed.empty() ? Tr(Msg::kFindingSince, changed) : Tr(Msg::kFindingAsOf, TextOr(p, "reported"));
    return Tr(Msg::kFindingMemberUninsured, person, TextOr(p, "year"), Term(Str(p, "status")), when, Tr(registry));
  }
  if (f.type == kHouseUnsafe) {
    return Tr(Msg::kFindingHouseUnsafe, TextOr(p, "appraised"), f.household_code, TextOr(p, "grade"),
              TextOr(p, "registry_housing_grade"));
  }
  if (f.type == kAssistanceIncomeHigh || f.type == kBelowLineNoAssistance) return RenderIncome(f, p, person);
  if (f.type == kPersonInTwoHouseholds) {
    return Tr(Msg::kFindingPersonInTwoHouseholds, person, f.household_code, JoinedOthers(p));
  }
  return Tr(Msg::kFindingUnreadable, f.type, f.params);
}

std::string FindingTypeLabel(std::string_view type) {
  static const std::pair<std::string_view, Msg> kLabels[] = {
      {kDeadStillMember, Msg::kFindingTypeDeadStillMember},
      {kDeadReceivingAssistance, Msg::kFindingTypeDeadReceivingAssistance},
      {kChildOutOfSchool, Msg::kFindingTypeChildOutOfSchool},
      {kMemberUninsured, Msg::kFindingTypeMemberUninsured},
      {kHouseUnsafe, Msg::kFindingTypeHouseUnsafe},
      {kAssistanceIncomeHigh, Msg::kFindingTypeAssistanceIncomeHigh},
      {kBelowLineNoAssistance, Msg::kFindingTypeBelowLineNoAssistance},
      {kPersonInTwoHouseholds, Msg::kFindingTypePersonInTwoHouseholds},
      {kMovedOutStillMember, Msg::kFindingTypeMovedOutStillMember}};
  for (const auto& [name, msg] : kLabels) {
    if (name == type) return Tr(msg);
  }
  return std::string(type);
}

std::string SeverityLabel(int severity) {
  if (severity <= 1) return Tr(Msg::kSeverityHigh);
  return Tr(severity == 2 ? Msg::kSeverityMedium : Msg::kSeverityLow);
}

}  // namespace hearth
