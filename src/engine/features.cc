#include "engine/features.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/payload.h"
#include "store/membership.h"

namespace hearth {
namespace {

using K = FeatureKind;
using F = Feature;

constexpr std::array<FeatureDef, kFeatureCount> kDefs = {{
    {F::kIncome12m, "income_12m", K::kMoney, 2, "元", "近12个月", "家庭近12个月纯收入", "household net income over 12 months",
     "Net income of the 12 months ending with the as-of month: registry years spread by month, adjusted by the events; a lost job's wage is removed only over days whose registered year it was part of (it started by that year's end), and lost jobs and deaths never remove more than the registered wages of the window."},
    {F::kIncomePrev12m, "income_prev_12m", K::kMoney, 2, "元", "前12个月", "家庭前12个月纯收入",
     "household net income over the previous 12 months", "The same for the 12 months before those."},
    {F::kIncomePc12m, "income_pc_12m", K::kMoney, 2, "元/人", "近12个月", "近12个月人均纯收入",
     "net income per person over 12 months", "income_12m divided by members, rounded down to the fen."},
    {F::kIncomePcPrev12m, "income_pc_prev_12m", K::kMoney, 2, "元/人", "前12个月", "前12个月人均纯收入",
     "net income per person over the previous 12 months", "income_prev_12m divided by members, rounded down to the fen."},
    {F::kIncomeChangePct, "income_change_pct", K::kNumber, 1, "%", "近12个月比前12个月", "人均纯收入变化率",
     "change of income per person", "(income_pc_12m - income_pc_prev_12m) / income_pc_prev_12m in percent, to 0.1, rounded down; 0 when the previous is not positive."},
    {F::kMedicalSelfpay12m, "medical_selfpay_12m", K::kMoney, 2, "元", "近12个月", "医疗个人自付合计",
     "medical self-pay over 12 months", "Sum of self-pay of the 医保 claims discharged in the window."},
    {F::kMaxStaySelfpay, "max_stay_selfpay", K::kMoney, 2, "元", "近12个月", "单次住院最高自付",
     "largest self-pay of one hospital stay", "Largest self-pay of one 住院 claim discharged in the window."},
    {F::kSchoolingCost12m, "schooling_cost_12m", K::kMoney, 2, "元", "近12个月", "教育支出合计", "schooling costs over 12 months",
     "Sum of fees of the 教育 reports registered in the window."},
    {F::kDisasterLoss12m, "disaster_loss_12m", K::kMoney, 2, "元", "近12个月", "受灾直接经济损失", "disaster losses over 12 months",
     "Sum of the direct losses of the 应急管理 reports that occurred in the window."},
    {F::kAssistance12m, "assistance_12m", K::kMoney, 2, "元", "近12个月", "社会救助收入", "assistance received over 12 months",
     "低保 and 特困 pro rata over the days they ran in the window, plus 临时救助 granted in it."},
    {F::kRigid12m, "rigid_12m", K::kMoney, 2, "元", "近12个月", "刚性支出合计", "rigid spending over 12 months",
     "medical_selfpay_12m + schooling_cost_12m."},
    {F::kLine, "line", K::kMoney, 2, "元/人", "评估年度", "监测线", "monitoring line",
     "The policy's line in force in the as-of year (the latest year at or before it) for the household's most specific area; 0 when no line applies."},
    {F::kMembers, "members", K::kNumber, 0, "人", "评估日", "在世家庭成员数", "members living",
     "Registered members less those dead or moved out by the as-of date, plus those born or moved in."},
    {F::kMembersLabour, "members_labour", K::kNumber, 0, "人", "评估日", "劳动力人数", "members able to work",
     "Living members with 普通劳动力 or 技能劳动力."},
    {F::kMembersWeakLabour, "members_weak_labour", K::kNumber, 0, "人", "评估日", "弱劳动力或半劳动力人数",
     "members with weak working capacity", "Living members with 弱劳动力或半劳动力."},
    {F::kMembersNoLabour, "members_no_labour", K::kNumber, 0, "人", "评估日", "无劳动能力人数", "members unable to work",
     "Living members with 丧失劳动力 or 无劳动力."},
    {F::kMembersIll, "members_ill", K::kNumber, 0, "人", "评估日", "患大病或慢性病人数", "members seriously or chronically ill",
     "Living members registered with 患有大病 or 长期慢性病."},
    {F::kMembersDisabled, "members_disabled", K::kNumber, 0, "人", "评估日", "残疾人数", "members with a disability",
     "Living members registered 残疾 or with a grade, or with a 残联 certificate issued by the as-of date."},
    {F::kDependencyRatio, "dependency_ratio", K::kNumber, 2, "", "评估日", "抚养比", "dependency ratio",
     "Members not able to work (members - members_labour) / members, to 0.01, rounded down; 0 without members."},
    {F::kMonthsWorked, "months_worked", K::kNumber, 0, "月", "登记年度", "务工月数合计", "months worked",
     "Sum of the registered months worked of the living members."},
    {F::kJoblessMembers, "jobless_members", K::kNumber, 0, "人", "评估日", "失业人数", "members who lost their job",
     "Living members whose latest 人社 report by the as-of date is a job loss not followed by a new job."},
    {F::kDropouts, "dropouts", K::kNumber, 0, "人", "评估日", "义务教育阶段失学辍学人数", "children out of compulsory school",
     "Living children of compulsory-school age (policy [findings] ages) registered 失学/辍学 or last reported 辍学 by 教育."},
    {F::kUninsuredMembers, "uninsured_members", K::kNumber, 0, "人", "评估日", "未参加基本医疗保险人数", "members uninsured",
     "Living members not insured: the latest 医保 enrolment report, or else the registry."},
    {F::kIsTuopin, "is_tuopin", K::kBool, 0, "", "", "脱贫户", "household that left poverty", "户类型 is 脱贫户."},
    {F::kIsRelocated, "is_relocated", K::kBool, 0, "", "", "易地搬迁户", "relocated household", "The household has a 易地搬迁安置点."},
    {F::kHasAssistance, "has_assistance", K::kBool, 0, "", "评估日", "享受低保或特困", "receives 低保 or 特困",
     "A 低保 or 特困 grant runs on the as-of date."},
    {F::kLacksSchool, "lacks_school", K::kBool, 0, "", "评估日", "义务教育未保障", "compulsory schooling not secured", "dropouts > 0."},
    {F::kLacksMedical, "lacks_medical", K::kBool, 0, "", "评估日", "基本医疗未保障", "basic medical insurance not secured",
     "uninsured_members > 0."},
    {F::kLacksHousing, "lacks_housing", K::kBool, 0, "", "评估日", "住房安全未保障", "housing not safe",
     "The latest 住建 appraisal, or else the registry, grades the house C or D."},
    {F::kLacksWater, "lacks_water", K::kBool, 0, "", "评估日", "饮水安全未保障", "drinking water not secured",
     "The latest 水利 assessment of the household or its village fails an aspect, or else the registry says unsafe."},
}};

constexpr std::string_view kMedicalClaim = "medical.claim";
constexpr std::string_view kSchoolStatus = "school.status";
constexpr std::string_view kAssistanceGrant = "assistance.grant";
constexpr std::string_view kEmployment = "employment.status";
constexpr std::string_view kDisaster = "disaster.loss";
constexpr std::string_view kRegistration = "registration.change";
constexpr std::string_view kEnrolment = "medical.enrolment";
constexpr std::string_view kHousing = "housing.appraisal";
constexpr std::string_view kWater = "water.assessment";
constexpr std::string_view kDisability = "disability.certificate";

// A span of days, both ends included.
struct Window {
  Date from, to;
  int64_t OverlapDays(Date a, Date b) const {
    const int32_t lo = std::max(a.days(), from.days()), hi = std::min(b.days(), to.days());
    return hi < lo ? 0 : hi - lo + 1;
  }
  bool Holds(Date d) const { return d >= from && d <= to; }
};

int64_t ProRata(int64_t monthly_fen, int64_t days) {
  const __int128 v = static_cast<__int128>(monthly_fen) * days * 12;
  __int128 q = v / 365;
  if (v % 365 != 0 && v < 0) --q;
  return static_cast<int64_t>(q);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Date FirstOfMonth(Date d) { return Date::FromCivil(d.year(), d.month(), 1); }

// What happened to one registered member by the as-of date.
struct MemberState {
  const PersonRecord* person = nullptr;
  std::optional<Date> left;  // died or moved out
  bool died = false;
  bool works = false;        // counted among the earners of the registered wage income
};

class Calculator {
 public:
  Calculator(const HouseholdFacts& facts, const Policy& policy, Date as_of)
      : facts_(facts), policy_(policy), as_of_(as_of) {
    const Date month = FirstOfMonth(as_of);
    current_ = {month.AddMonths(-11), as_of};
    previous_ = {month.AddMonths(-23), Date::FromDays(current_.from.days() - 1)};
  }

  FeatureRow Run() {
    TrackMembers();
    row_.Set(F::kIsTuopin, facts_.household.type == HouseholdType::kTuopin);
    row_.Set(F::kIsRelocated, !facts_.household.relocation_site.empty());
    row_.Set(F::kLine, policy_.LineFor(facts_.household.village_code, as_of_.year()).value_or(Money()).fen());
    CountMembers();
    Incomes();
    Spending();
    Flags();
    return row_;
  }

 private:
  bool Effective(const EventRecord& e) const { return e.effective <= as_of_; }

  int MemberIndex(const std::string& id_number) const {
    for (size_t i = 0; i < members_.size(); ++i) {
      if (members_[i].person->id_number == id_number) return static_cast<int>(i);
    }
    return -1;
  }

  void TrackMembers() {
    for (const PersonRecord& p : facts_.members) {
      MemberState m{&p};
      m.works = p.labour == Labour::kOrdinary || p.labour == Labour::kSkilled || p.labour == Labour::kWeak;
      workers_ += m.works;
      members_.push_back(m);
    }
    // 公安's changes: the latest of each person's decides (moved out and back is a member again).
    for (const auto& [id_number, state] : LatestRegistrations(facts_.events, as_of_)) {
      const int i = MemberIndex(id_number);
      const bool in = state.where == RegistrationState::Where::kIn;
      if (i < 0) {
        joined_ += in;  // born or moved in, not yet registered
        if (in) joined_refs_[id_number] = -state.event_id;
      } else if (!in) {
        members_[static_cast<size_t>(i)].left = state.since;
        members_[static_cast<size_t>(i)].died = state.where == RegistrationState::Where::kDied;
      }
    }
  }

  bool Living(const MemberState& m) const { return !m.left; }

  void CountMembers() {
    int64_t living = joined_, labour = 0, weak = 0, none = 0, ill = 0, disabled = 0, months = 0;
    for (const MemberState& m : members_) {
      if (!Living(m)) continue;
      const PersonRecord& p = *m.person;
      ++living;
      labour += p.labour == Labour::kOrdinary || p.labour == Labour::kSkilled;
      weak += p.labour == Labour::kWeak;
      none += p.labour == Labour::kLost || p.labour == Labour::kNone;
      ill += p.health == Health::kSerious || p.health == Health::kChronic;
      disabled += p.health == Health::kDisabled || p.disability_grade.has_value() || CertifiedDisabled(p);
      months += p.months_worked.value_or(0);
    }
    row_.Set(F::kMembers, living);
    row_.Set(F::kMembersLabour, labour);
    row_.Set(F::kMembersWeakLabour, weak);
    row_.Set(F::kMembersNoLabour, none);
    row_.Set(F::kMembersIll, ill);
    row_.Set(F::kMembersDisabled, disabled);
    row_.Set(F::kMonthsWorked, months);
    row_.Set(F::kDependencyRatio, living == 0 ? 0 : (living - labour) * 100 / living);
  }

  bool CertifiedDisabled(const PersonRecord& p) const {
    return std::any_of(facts_.events.begin(), facts_.events.end(), [&](const EventRecord& e) {
      return e.type == kDisability && Effective(e) && e.person_id_number == p.id_number;
    });
  }

  // --- income ---

  // The registered net income of the year that month `m` uses.
  const IncomeRecord* YearFor(int year) const {
    const IncomeRecord* best = nullptr;
    for (const IncomeRecord& r : facts_.incomes) {
      if (r.year <= year && (best == nullptr || r.year > best->year)) best = &r;
    }
    if (best == nullptr && !facts_.incomes.empty()) best = &facts_.incomes.front();
    return best;
  }

  // A registered amount over the 12 months starting with `first` (floor of the sum / 12): the
  // net income, or with `wage_only` its wage income (工资性收入).
  int64_t Registered(Date first, bool wage_only = false) const {
    int64_t twelfths = 0;
    const int year = first.year(), month0 = first.month() - 1;  // months counted without dates
    for (int k = 0; k < 12; ++k) {
      const IncomeRecord* r = YearFor(year + (month0 + k) / 12);
      if (r != nullptr) twelfths += wage_only ? r->wage.fen() : r->Net().fen();
    }
    return FloorDiv(twelfths, 12);
  }

  // The monthly registered wage of one earner, from the latest year by the window's end.
  int64_t WageShareMonthly(const Window& w) const {
    const IncomeRecord* r = YearFor(w.to.year());
    if (r == nullptr || workers_ == 0) return 0;
    return FloorDiv(r->wage.fen(), 12 * workers_);
  }

  // When the member's next job after `day` starts; nullopt when none by the as-of date.
  std::optional<Date> NextJobStart(const std::string& id_number, Date day) const {
    std::optional<Date> next;
    for (const EventRecord& e : facts_.events) {
      if (e.type != kEmployment || !Effective(e) || e.person_id_number != id_number) continue;
      if (PayloadText(e.payload, "status") != "就业") continue;
      std::optional<Date> start = PayloadDate(e.payload, "start");
      if (start && *start > day && (!next || *start < *next)) next = start;
    }
    return next;
  }

  // The day a job-loss report says the job was lost: its end date, else its start.
  static std::optional<Date> LostOn(const EventRecord& e) {
    if (auto end = PayloadDate(e.payload, "end")) return end;
    if (auto start = PayloadDate(e.payload, "start")) return start;
    return e.effective;
  }

  // When the job a job-loss report ends began: its start when it also gives the end; else the
  // start of the member's latest job (就业) report begun by the loss; nullopt when unknown.
  std::optional<Date> JobStart(const EventRecord& loss, Date lost) const {
    if (PayloadDate(loss.payload, "end")) return PayloadDate(loss.payload, "start").value_or(loss.effective);
    std::optional<Date> start;
    for (const EventRecord& e : facts_.events) {
      if (e.type != kEmployment || !Effective(e) || e.person_id_number != loss.person_id_number) continue;
      if (PayloadText(e.payload, "status") != "就业") continue;
      const Date s = PayloadDate(e.payload, "start").value_or(e.effective);
      if (s <= lost && (!start || s > *start)) start = s;
    }
    return start;
  }

  int64_t Adjustments(const Window& w, int64_t* assistance) const {
    int64_t delta = 0, wage_lost = 0;
    for (const EventRecord& e : facts_.events) {
      if (!Effective(e)) continue;
      const int64_t amount = e.amount ? e.amount->fen() : 0;
      if (e.type == kAssistanceGrant) {
        const int64_t add = AssistanceIn(e, w, amount);
        delta += add;
        *assistance += add;
      } else if (e.type == kEmployment) {
        delta += PublicWelfareWageIn(e, w, amount);
        wage_lost += JobLossIn(e, w, amount);
      } else if (e.type == kDisaster && w.Holds(e.effective)) {
        delta -= amount;
      } else if (e.type == kRegistration && PayloadText(e.payload, "change") == "死亡") {
        const int i = MemberIndex(e.person_id_number);
        if (i >= 0 && members_[i].works) wage_lost += ProRata(WageShareMonthly(w), w.OverlapDays(e.effective, w.to));
      }
    }
    // Lost jobs and deaths take away registered wages: never more than the window holds.
    return delta - std::min(wage_lost, std::max<int64_t>(0, Registered(w.from, /*wage_only=*/true)));
  }

  int64_t AssistanceIn(const EventRecord& e, const Window& w, int64_t monthly) const {
    std::string_view type = PayloadText(e.payload, "type");
    const Date start = PayloadDate(e.payload, "start").value_or(e.effective);
    if (type == "临时救助") return w.Holds(start) ? monthly : 0;
    const Date end = std::min(PayloadDate(e.payload, "end").value_or(as_of_), as_of_);
    return ProRata(monthly, w.OverlapDays(start, end));
  }

  // A public-welfare post's (公益性岗位) wage over the days it ran in the window.
  int64_t PublicWelfareWageIn(const EventRecord& e, const Window& w, int64_t monthly) const {
    if (PayloadText(e.payload, "status") != "就业" || PayloadText(e.payload, "post_type") != "公益性岗位") return 0;
    const Date start = PayloadDate(e.payload, "start").value_or(e.effective);
    const Date end = std::min(PayloadDate(e.payload, "end").value_or(as_of_), as_of_);
    return ProRata(monthly, w.OverlapDays(start, end));
  }

  // The registered wage a job loss takes away in the window (a positive amount): the job's
  // monthly wage (else the member's share of the registered wages) pro rata over the days from
  // the loss until the next job starts or the member leaves, counting only the days whose
  // registered year (YearFor) the job was part of: a job that started after that year's end
  // added nothing to its income, so losing it takes nothing away.
  int64_t JobLossIn(const EventRecord& e, const Window& w, int64_t monthly) const {
    if (PayloadText(e.payload, "status") != "失业") return 0;
    const int i = MemberIndex(e.person_id_number);
    const Date lost = *LostOn(e);
    const std::optional<Date> job_start = JobStart(e, lost);
    const Date from = std::max(Date::FromDays(lost.days() + 1), w.from);
    Date until = std::min(as_of_, w.to);
    if (std::optional<Date> next = NextJobStart(e.person_id_number, lost)) until = std::min(until, Date::FromDays(next->days() - 1));
    if (i >= 0 && members_[i].left) until = std::min(until, Date::FromDays(members_[i].left->days() - 1));
    int64_t days = 0;
    for (int year = from.year(); year <= until.year(); ++year) {
      const IncomeRecord* r = YearFor(year);
      if (r == nullptr || (job_start && job_start->year() > r->year)) continue;
      days += w.OverlapDays(std::max(from, Date::FromCivil(year, 1, 1)), std::min(until, Date::FromCivil(year, 12, 31)));
    }
    const int64_t wage = monthly > 0 ? monthly : WageShareMonthly(w);
    return ProRata(wage, days);
  }

  void Incomes() {
    int64_t assistance = 0, ignored = 0;
    const int64_t current = Registered(current_.from) + Adjustments(current_, &assistance);
    const int64_t previous = Registered(previous_.from) + Adjustments(previous_, &ignored);
    const int64_t members = row_.Get(F::kMembers);
    const int64_t pc = members > 0 ? FloorDiv(current, members) : current;
    const int64_t pc_prev = members > 0 ? FloorDiv(previous, members) : previous;
    row_.Set(F::kIncome12m, current);
    row_.Set(F::kIncomePrev12m, previous);
    row_.Set(F::kIncomePc12m, pc);
    row_.Set(F::kIncomePcPrev12m, pc_prev);
    row_.Set(F::kAssistance12m, assistance);
    row_.Set(F::kIncomeChangePct,
             pc_prev > 0 ? static_cast<int64_t>(FloorDiv128(static_cast<__int128>(pc - pc_prev) * 1000, pc_prev)) : 0);
  }

  static __int128 FloorDiv128(__int128 a, int64_t b) {
    __int128 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  }

  // --- spending ---

  void Spending() {
    int64_t selfpay = 0, schooling = 0, disaster = 0;
    for (const EventRecord& e : facts_.events) {
      if (!Effective(e) || !current_.Holds(e.effective)) continue;
      const int64_t amount = e.amount ? e.amount->fen() : 0;
      if (e.type == kMedicalClaim) {
        selfpay += amount;
        if (PayloadText(e.payload, "visit_type") == "住院") LargestStay(e, amount);
      } else if (e.type == kSchoolStatus) {
        schooling += amount;
      } else if (e.type == kDisaster) {
        disaster += amount;
      }
    }
    row_.Set(F::kMedicalSelfpay12m, selfpay);
    row_.Set(F::kSchoolingCost12m, schooling);
    row_.Set(F::kDisasterLoss12m, disaster);
    row_.Set(F::kRigid12m, selfpay + schooling);
  }

  void LargestStay(const EventRecord& e, int64_t selfpay) {
    if (selfpay <= row_.Get(F::kMaxStaySelfpay)) return;
    row_.Set(F::kMaxStaySelfpay, selfpay);
    const int i = MemberIndex(e.person_id_number);
    const auto joined = joined_refs_.find(e.person_id_number);
    row_.max_stay_person = i >= 0 ? members_[i].person->ref : joined != joined_refs_.end() ? joined->second : 0;
    row_.max_stay_date = e.effective;
  }

  // --- 三保障, water, assistance, jobs ---

  // The latest effective event of `type` about the member (by effective date, then id).
  const EventRecord* Latest(std::string_view type, const std::string& id_number) const {
    const EventRecord* best = nullptr;
    for (const EventRecord& e : facts_.events) {
      if (e.type != type || !Effective(e) || (!id_number.empty() && e.person_id_number != id_number)) continue;
      if (best == nullptr || e.effective > best->effective || (e.effective == best->effective && e.id > best->id)) best = &e;
    }
    return best;
  }

  void Flags() {
    int64_t dropouts = 0, uninsured = 0, jobless = 0;
    for (const MemberState& m : members_) {
      if (!Living(m)) continue;
      dropouts += OutOfSchool(*m.person);
      uninsured += !Insured(*m.person);
      jobless += Jobless(*m.person);
    }
    row_.Set(F::kDropouts, dropouts);
    row_.Set(F::kUninsuredMembers, uninsured);
    row_.Set(F::kJoblessMembers, jobless);
    row_.Set(F::kLacksSchool, dropouts > 0);
    row_.Set(F::kLacksMedical, uninsured > 0);
    row_.Set(F::kLacksHousing, HouseUnsafe());
    row_.Set(F::kLacksWater, WaterUnsafe());
    row_.Set(F::kHasAssistance, AssistanceRuns());
  }

  bool OutOfSchool(const PersonRecord& p) const {
    const int age = p.birth_date.YearsUntil(as_of_);
    if (age < policy_.findings.school_age_from || age > policy_.findings.school_age_to) return false;
    if (const EventRecord* e = Latest(kSchoolStatus, p.id_number)) return PayloadText(e->payload, "status") == "辍学";
    return p.schooling == Schooling::kOutOfSchool;
  }

  bool Insured(const PersonRecord& p) const {
    if (const EventRecord* e = Latest(kEnrolment, p.id_number)) return PayloadText(e->payload, "status") == "参保";
    return p.insured;
  }

  bool Jobless(const PersonRecord& p) const {
    const EventRecord* e = Latest(kEmployment, p.id_number);
    if (e == nullptr || PayloadText(e->payload, "status") != "失业") return false;
    return !NextJobStart(p.id_number, *LostOn(*e)).has_value();
  }

  bool HouseUnsafe() const {
    if (const EventRecord* e = Latest(kHousing, "")) {
      std::string_view grade = PayloadText(e->payload, "grade");
      return grade == "C" || grade == "D";
    }
    const std::optional<char> grade = facts_.household.housing_grade;
    return grade == 'C' || grade == 'D';
  }

  bool WaterUnsafe() const {
    if (const EventRecord* e = Latest(kWater, "")) {
      for (std::string_view aspect : {"quantity", "quality", "convenience", "assurance"}) {
        if (PayloadText(e->payload, aspect) == "不达标") return true;
      }
      return false;
    }
    return facts_.household.water_safe == false;
  }

  bool AssistanceRuns() const {
    return std::any_of(facts_.events.begin(), facts_.events.end(), [&](const EventRecord& e) {
      if (e.type != kAssistanceGrant || !Effective(e)) return false;
      std::string_view type = PayloadText(e.payload, "type");
      if (type != "低保" && type != "特困") return false;
      const Date start = PayloadDate(e.payload, "start").value_or(e.effective);
      const std::optional<Date> end = PayloadDate(e.payload, "end");
      return start <= as_of_ && (!end || *end >= as_of_);
    });
  }

  const HouseholdFacts& facts_;
  const Policy& policy_;
  const Date as_of_;
  Window current_, previous_;
  std::vector<MemberState> members_;
  int64_t workers_ = 0;
  int64_t joined_ = 0;
  // Persons born or moved in and not yet registered: the reference that names them (Store::PersonsByRef).
  std::map<std::string, int64_t> joined_refs_;
  FeatureRow row_;
};

}  // namespace

const std::array<FeatureDef, kFeatureCount>& FeatureDefs() { return kDefs; }

const FeatureDef* FindFeature(std::string_view name) {
  for (const FeatureDef& d : kDefs) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::optional<Witness> FindWitness(std::string_view name) {
  if (name == "max_stay_person") return Witness::kMaxStayPerson;
  if (name == "max_stay_month") return Witness::kMaxStayMonth;
  return std::nullopt;
}

FeatureRow ComputeFeatures(const HouseholdFacts& facts, const Policy& policy, Date as_of) {
  return Calculator(facts, policy, as_of).Run();
}

}  // namespace hearth
