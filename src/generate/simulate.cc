#include "generate/simulate.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/money.h"
#include "generate/params.h"
#include "generate/population.h"

namespace hearth::gen {
namespace {

// Monthly probabilities, computed once from the yearly rates of params.h.
struct Hazards {
  std::array<double, 121> death{};  // by age
  std::array<double, 6> admission{}, onset{};
  std::array<double, 3> disability_onset{}, fertility{};
  double maternity, upgrade, renewal, daughter_out, son_out, wife_in;
  double dropout_junior, dropout_upper, business_failure, house_damage;
};

Hazards MakeHazards() {
  Hazards h;
  for (int age = 0; age <= 120; ++age) {
    double annual = age == 0 ? params::kDeathInfant : params::kDeathYoung;
    if (age >= 40) annual = params::kDeathAt40 * std::exp(params::kDeathGompertz * (age - 40));
    h.death[static_cast<size_t>(age)] = MonthlyFromAnnual(std::min(annual, 0.6));
  }
  for (size_t i = 0; i < 6; ++i) {
    h.admission[i] = MonthlyFromAnnual(params::kAdmissionByAge[i]);
    h.onset[i] = MonthlyFromAnnual(params::kSeriousOnsetByAge[i]);
  }
  for (size_t i = 0; i < 3; ++i) {
    h.disability_onset[i] = MonthlyFromAnnual(params::kDisabilityOnset[i]);
    h.fertility[i] = MonthlyFromAnnual(params::kFertility[i]);
  }
  h.maternity = MonthlyFromAnnual(params::kAdmissionMaternity);
  h.upgrade = MonthlyFromAnnual(params::kDisabilityUpgrade);
  h.renewal = MonthlyFromAnnual(params::kDisabilityRenewal);
  h.daughter_out = MonthlyFromAnnual(params::kDaughterMarriesOut);
  h.son_out = MonthlyFromAnnual(params::kSonMarriesOut);
  h.wife_in = MonthlyFromAnnual(params::kWifeMovesIn);
  h.dropout_junior = MonthlyFromAnnual(params::kDropoutJunior);
  h.dropout_upper = MonthlyFromAnnual(params::kDropoutUpper);
  h.business_failure = MonthlyFromAnnual(params::kBusinessFailure);
  h.house_damage = MonthlyFromAnnual(params::kHouseDamage);
  return h;
}

const Hazards& GetHazards() {
  static const Hazards kHazards = MakeHazards();
  return kHazards;
}

// A member's state as it changes during the run (the Person keeps the registry's view).
struct Member {
  int32_t person = 0;
  bool present = true;    // alive and still in the household
  bool employed = false;  // earns wage_month this month
  bool seeking = false;   // lost a job and looks for one
  bool on_leave = false;  // 休学
  Schooling school = Schooling::kNotInSchool;
  Health health = Health::kHealthy;
  uint8_t grade = 0;
  WorkPlace place = WorkPlace::kNone;
  JobType job = JobType::kNone;
  int32_t wage_month = 0, wage_rate = 0, job_start = 0;
  double season = 1.0;  // share of the year a migrant works
  int64_t chronic_self_pay = 0;
  Coverage cover;
  int cover_year = 0;
};

bool StudiesForFees(Schooling s) {
  return s == Schooling::kSenior || s == Schooling::kVocationalSecondary || s == Schooling::kVocationalCollege ||
         s == Schooling::kBachelorOrAbove;
}

int64_t Fen(double yuan) { return YuanToFen(yuan); }

class HouseholdSim {
 public:
  HouseholdSim(const RunContext& ctx, Rng& rng, int32_t h, Block* block)
      : ctx_(ctx), rng_(rng), h_(h), block_(block), hz_(GetHazards()), scale_(ctx.income_scale) {
    const Household& hh = household();
    village_ = hh.slot.village;
    township_ = ctx.geo->villages()[static_cast<size_t>(village_)].township;
    county_ = ctx.geo->townships()[static_cast<size_t>(township_)].county;
    housing_ = hh.housing;
    water_problems_ = hh.water_problems;
    dibao_ = hh.dibao;
    tekun_ = hh.tekun;
    dibao_month_ = hh.dibao_month;
    pension_fen_ = PensionMonth(scale_);
  }

  void Run() {
    InitMembers();
    RegistryStats();
    BurnIn();
    for (int m = 0; m < ctx_.months; ++m) Month(m);
  }

 private:
  Household& household() { return block_->households[static_cast<size_t>(h_)]; }
  Person& person(const Member& mem) { return block_->persons[static_cast<size_t>(mem.person)]; }
  int Age(const Member& mem, int m) { return AgeYears(person(mem).birth_days, ctx_.FirstDay(m)); }
  int32_t RandomDay(int m) {
    return ctx_.FirstDay(m) + static_cast<int32_t>(rng_.UniformInt(0, ctx_.DaysInMonth(m) - 1));
  }
  int32_t LastDay(int m) const { return ctx_.FirstDay(m + 1) - 1; }
  bool Tuopin() { return household().tuopin; }

  FeedEvent& Emit(FeedKind kind, int m, int32_t person, int32_t date1, int32_t date2 = kNoDate) {
    FeedEvent e;
    e.kind = kind;
    e.month = static_cast<uint8_t>(m);
    e.person = person;
    e.date1 = date1;
    e.date2 = date2;
    block_->events.push_back(e);
    return block_->events.back();
  }

  // The first member still present (the head, or who stands in for the head).
  const Member* Head() const {
    for (const Member& mem : members_) {
      if (mem.present) return &mem;
    }
    return nullptr;
  }

  int PresentCount() const {
    int n = 0;
    for (const Member& mem : members_) n += mem.present ? 1 : 0;
    return n;
  }

  Member MemberOf(int32_t index) {
    const Person& p = block_->persons[static_cast<size_t>(index)];
    Member mem;
    mem.person = index;
    mem.school = p.schooling;
    mem.health = p.health;
    mem.grade = p.disability_grade;
    mem.place = p.place;
    mem.job = p.job;
    mem.wage_month = p.wage_month;
    mem.wage_rate = p.wage_rate;
    mem.employed = p.wage_month > 0;
    mem.season = p.months_worked > 0 ? p.months_worked / 12.0 : 1.0;
    mem.job_start = ctx_.start.days() - static_cast<int32_t>(rng_.UniformInt(30, 900));
    mem.cover = Coverage{p.insured, household().tuopin, dibao_, tekun_, 0, 0};
    if (p.health == Health::kChronic) {
      mem.chronic_self_pay = Fen(rng_.Uniform(params::kChronicSelfPayLow, params::kChronicSelfPayHigh) * scale_);
    }
    return mem;
  }

  void InitMembers() {
    const Household& hh = household();
    for (int32_t i = 0; i < hh.registry_size; ++i) members_.push_back(MemberOf(hh.first_person + i));
    income_.assign(static_cast<size_t>(ctx_.months + 12), 0);
    rigid_.assign(static_cast<size_t>(ctx_.months + 12), 0);
    const int64_t net = hh.income.Net();
    for (int i = 0; i < 12; ++i) income_[static_cast<size_t>(i)] = net / 12;  // net is a multiple of 12
  }

  void RegistryStats() {
    const Household& hh = household();
    BlockStats& s = block_->stats;
    s.households += 1;
    s.persons += hh.registry_size;
    s.net_income_fen += hh.income.Net();
    s.wage_fen += hh.income.wage;
    s.business_net_fen += hh.income.business - hh.income.business_cost;
    s.property_fen += hh.income.property;
    s.transfer_fen += hh.income.transfer;
    s.tuopin += hh.tuopin ? 1 : 0;
    s.relocated += hh.relocated ? 1 : 0;
    s.dibao += hh.dibao || hh.tekun ? 1 : 0;
    if (hh.tuopin) {
      s.tuopin_net_income_fen += hh.income.Net();
      s.tuopin_persons += hh.registry_size;
    }
    for (const Member& mem : members_) {
      s.disabled += mem.grade > 0 ? 1 : 0;
      s.insured += mem.cover.insured ? 1 : 0;
    }
  }

  // ---- medical ------------------------------------------------------------------------

  void ResetYear(Member& mem, int m) {
    if (mem.cover_year == ctx_.Year(m)) return;
    mem.cover_year = ctx_.Year(m);
    mem.cover.critical_ytd = 0;
    mem.cover.assistance_ytd = 0;
  }

  double AdmissionChance(const Member& mem, int age) {
    double p = hz_.admission[static_cast<size_t>(AgeBand6(age))];
    if (mem.health == Health::kChronic) p *= params::kAdmissionChronic;
    if (mem.health == Health::kSerious) p *= params::kAdmissionSerious;
    if (mem.health == Health::kDisabled) p *= params::kAdmissionDisabled;
    if (person(mem).female && age >= 20 && age < 40) p += hz_.maternity;
    return p;
  }

  // A hospital stay in month m (emitting the 医保 claim when the person is insured and the
  // month is inside the run); returns the self-pay.
  int64_t HospitalStay(int m, Member& mem, bool onset) {
    ResetYear(mem, m);
    double median = params::kStayMedian, sigma = params::kStaySigma;
    if (mem.health == Health::kSerious) median = params::kSeriousStayMedian, sigma = params::kSeriousStaySigma;
    if (onset) median = params::kOnsetStayMedian, sigma = params::kOnsetStaySigma;
    const int64_t total = Fen(rng_.LogNormal(median, sigma) * scale_);
    mem.cover.dibao = dibao_;
    mem.cover.tekun = tekun_;
    const Settlement s =
        Settle(total, true, rng_.Uniform(params::kInPolicyLow, params::kInPolicyHigh), scale_, &mem.cover);
    const int days = ctx_.DaysInMonth(m);
    const int stay =
        std::min(days - 1, static_cast<int>(rng_.UniformInt(2, mem.health == Health::kSerious || onset ? 25 : 14)));
    const int32_t admit = ctx_.FirstDay(m) + static_cast<int32_t>(rng_.UniformInt(0, days - 1 - stay));
    if (m >= 0 && mem.cover.insured) EmitClaim(m, mem, kVisitInpatient, admit, admit + stay, s);
    if (m >= 0) block_->stats.admissions += 1;
    return s.self_pay;
  }

  int64_t SpecialOutpatient(int m, Member& mem) {
    ResetYear(mem, m);
    const int64_t total = Fen(rng_.LogNormal(params::kOutpatientMedian, params::kOutpatientSigma) * scale_);
    mem.cover.dibao = dibao_;
    mem.cover.tekun = tekun_;
    const Settlement s =
        Settle(total, false, rng_.Uniform(params::kInPolicyLow, params::kInPolicyHigh), scale_, &mem.cover);
    const int32_t day = RandomDay(m);
    if (m >= 0 && mem.cover.insured) EmitClaim(m, mem, kVisitOutpatient, day, day, s);
    return s.self_pay;
  }

  void EmitClaim(int m, const Member& mem, uint8_t visit, int32_t from, int32_t to, const Settlement& s) {
    // A baby born this month is treated after its birth, as a department's file has it.
    const int32_t born = person(mem).birth_days;
    if (from < born) {
      to = std::min(born + (to - from), ctx_.FirstDay(m) + ctx_.DaysInMonth(m) - 1);
      from = born;
    }
    FeedEvent& e = Emit(FeedKind::kMedicalClaims, m, mem.person, from, to);
    e.code1 = visit;
    e.amount = {s.total, s.basic, s.critical, s.assistance, s.self_pay};
  }

  // Medical spending of a member in month m (also used before the start, without events).
  int64_t MedicalSpending(int m, Member& mem, int age) {
    int64_t self_pay = mem.chronic_self_pay;
    if (rng_.Bernoulli(AdmissionChance(mem, age))) self_pay += HospitalStay(m, mem, false);
    if (mem.health == Health::kSerious && rng_.Bernoulli(params::kSpecialOutpatient))
      self_pay += SpecialOutpatient(m, mem);
    return self_pay;
  }

  void BurnIn() {
    for (int m = -12; m < 0; ++m) {
      int64_t rigid = 0;
      for (Member& mem : members_) rigid += MedicalSpending(m, mem, Age(mem, m));
      rigid_[static_cast<size_t>(m + 12)] = rigid + SchoolFees(m);
    }
  }

  // ---- the months of the run ------------------------------------------------------------

  void Month(int m) {
    month_self_pay_ = 0;
    month_rigid_ = 0;
    crop_loss_ = 0;
    one_off_loss_ = 0;
    month_temp_ = 0;
    PayPendingAssistance(m);
    Births(m);
    for (size_t i = 0; i < members_.size(); ++i) MemberMonth(m, i);
    members_.insert(members_.end(), arrivals_.begin(), arrivals_.end());
    arrivals_.clear();
    Disasters(m);
    Business(m);
    Housing(m);
    Water(m);
    month_rigid_ += SchoolFees(m);
    CloseMonth(m);
  }

  void MemberMonth(int m, size_t i) {
    if (!members_[i].present) return;
    Member& mem = members_[i];
    const int age = Age(mem, m);
    Enrolment(m, mem);
    const int64_t medical = MedicalSpending(m, mem, age);
    month_self_pay_ += medical;
    month_rigid_ += medical;
    if (medical >= Fen(3000 * scale_)) last_shock_ = m;
    SeriousOnset(m, mem, age);
    Disability(m, mem, age);
    Work(m, mem, age);
    School(m, mem, age);
    Marriage(m, mem, age);
    if (mem.present) Death(m, mem, age);
    block_->stats.person_months += mem.present ? 1 : 0;
  }

  void SeriousOnset(int m, Member& mem, int age) {
    if (mem.health == Health::kSerious || !rng_.Bernoulli(hz_.onset[static_cast<size_t>(AgeBand6(age))])) return;
    const int64_t self_pay = HospitalStay(m, mem, true);
    mem.health = Health::kSerious;
    month_self_pay_ += self_pay;
    month_rigid_ += self_pay;
    last_shock_ = m;
    mem.employed = false;
    mem.seeking = false;
    if (InSchool(mem.school) && mem.school != Schooling::kPreschool && !mem.on_leave) {
      mem.on_leave = true;
      EmitSchool(m, mem, kStudyLeave, 0);
    }
  }

  void Disability(int m, Member& mem, int age) {
    const size_t band = age < 45 ? 0 : age < 65 ? 1 : 2;
    if (mem.grade == 0 && rng_.Bernoulli(hz_.disability_onset[band])) {
      mem.grade = static_cast<uint8_t>(rng_.Pick(params::kDisabilityGrade) + 1);
      mem.health = Health::kDisabled;
      EmitCertificate(m, mem, static_cast<uint8_t>(rng_.Pick(params::kDisabilityKind)), kCertNew);
      if (mem.grade <= 2 && mem.employed) {
        mem.employed = false;
        last_shock_ = m;
      }
      return;
    }
    if (mem.grade > 1 && rng_.Bernoulli(hz_.upgrade)) {
      mem.grade = static_cast<uint8_t>(mem.grade - 1);
      EmitCertificate(m, mem, person(mem).disability_kind, kCertRegraded);
    } else if (mem.grade > 0 && rng_.Bernoulli(hz_.renewal)) {
      EmitCertificate(m, mem, person(mem).disability_kind, kCertRenewed);
    }
  }

  void EmitCertificate(int m, const Member& mem, uint8_t kind, uint8_t what) {
    FeedEvent& e = Emit(FeedKind::kDisability, m, mem.person, RandomDay(m));
    e.code1 = kind;
    e.code2 = mem.grade;
    e.code3 = what;
  }

  void Death(int m, Member& mem, int age) {
    double p = hz_.death[static_cast<size_t>(std::clamp(age, 0, 120))];
    if (mem.health == Health::kSerious) p *= params::kDeathSeriousFactor;
    if (mem.grade > 0 && mem.grade <= 2) p *= params::kDeathSevereDisabilityFactor;
    if (!rng_.Bernoulli(p)) return;
    mem.present = false;
    if (mem.employed && mem.wage_month > 0) last_shock_ = m;
    const int32_t day = RandomDay(m);
    Emit(FeedKind::kHouseholdRegistration, m, mem.person, day).code1 = kRegDeath;
    if (mem.cover.insured) EmitEnrolment(m, mem, kEnrolStopped, day);
    block_->stats.deaths += 1;
  }

  // ---- work -------------------------------------------------------------------------------

  double EpidemicWageFactor(const Member& mem) const {
    return mem.place == WorkPlace::kInCounty ? params::kEpidemicWageHome : params::kEpidemicWageAway;
  }

  void Work(int m, Member& mem, int age) {
    const bool away_job = mem.job == JobType::kEnterprise || mem.job == JobType::kFlexible;
    if (mem.employed && away_job) {
      const double factor = ctx_.epidemic.Hits(county_, m) ? params::kEpidemicJobLossFactor : 1.0;
      if (rng_.Bernoulli(params::kJobLossMonthly * factor)) LoseJob(m, mem);
    } else if (mem.seeking) {
      if (rng_.Bernoulli(params::kReemployMonthly)) FindJob(m, mem);
    } else if (mem.employed && mem.job == JobType::kCasual && age <= 55) {
      if (rng_.Bernoulli(params::kNewJobMonthly)) StartAwayJob(m, mem);
    }
  }

  void EmitJob(int m, const Member& mem, uint8_t what, int32_t from, int32_t to) {
    FeedEvent& e = Emit(FeedKind::kEmployment, m, mem.person, from, to);
    e.code1 = what;
    e.code2 = static_cast<uint8_t>(mem.place);
    e.code3 = static_cast<uint8_t>(mem.job);
    e.amount[0] = mem.wage_rate;
  }

  void LoseJob(int m, Member& mem) {
    EmitJob(m, mem, kJobLost, mem.job_start, RandomDay(m));
    mem.employed = false;
    mem.seeking = true;
    last_shock_ = m;
    block_->stats.job_losses += 1;
  }

  void FindJob(int m, Member& mem) {
    const int32_t day = RandomDay(m);
    mem.seeking = false;
    mem.employed = true;
    mem.job_start = day;
    if (Tuopin() && rng_.Bernoulli(params::kPublicPostOnReemploy)) {
      mem.job = JobType::kPublicWelfare;
      mem.place = WorkPlace::kInCounty;
      mem.wage_rate =
          static_cast<int32_t>(Fen(rng_.Uniform(params::kPublicPostPayLow, params::kPublicPostPayHigh) * scale_));
      mem.wage_month = mem.wage_rate;
      EmitJob(m, mem, kJobStarted, day, Date::FromDays(day).AddMonths(12).days() - 1);
      return;
    }
    mem.wage_rate = static_cast<int32_t>(std::llround(mem.wage_rate * rng_.Uniform(0.8, 1.15)));
    mem.wage_month = static_cast<int32_t>(std::llround(mem.wage_rate * mem.season));
    EmitJob(m, mem, kJobStarted, day, kNoDate);
  }

  void StartAwayJob(int m, Member& mem) {
    const int32_t day = RandomDay(m);
    mem.job = JobType::kEnterprise;
    mem.place = static_cast<WorkPlace>(rng_.Pick(params::kWorkPlace) + 1);
    mem.season = 0.75;
    mem.wage_rate = static_cast<int32_t>(Fen(rng_.LogNormal(params::kWageMedian[0], params::kWageSigma) * scale_));
    mem.wage_month = static_cast<int32_t>(std::llround(mem.wage_rate * mem.season));
    mem.job_start = day;
    EmitJob(m, mem, kJobStarted, day, kNoDate);
  }

  // ---- school -----------------------------------------------------------------------------

  static int SchoolYear(int year, int calendar_month) { return calendar_month >= 9 ? year : year - 1; }

  void EmitSchool(int m, const Member& mem, uint8_t status, int64_t fee) {
    FeedEvent& e = Emit(FeedKind::kSchool, m, mem.person, RandomDay(m));
    e.code1 = static_cast<uint8_t>(mem.school);
    e.code2 = status;
    e.amount[0] = fee;
    e.amount[1] = SchoolYear(ctx_.Year(m), ctx_.CalendarMonth(m));
  }

  void School(int m, Member& mem, int age) {
    const int cm = ctx_.CalendarMonth(m);
    if (mem.on_leave || cm == 7 || cm == 8) return;
    double p = 0;
    if (mem.school == Schooling::kJunior && age >= 12) p = hz_.dropout_junior;
    if (mem.school == Schooling::kSenior || mem.school == Schooling::kVocationalSecondary) p = hz_.dropout_upper;
    if (p == 0 || !rng_.Bernoulli(p)) return;
    EmitSchool(m, mem, kStudyDropout, 0);
    mem.school = Schooling::kOutOfSchool;
    block_->stats.dropouts += 1;
  }

  int64_t Fee(Schooling s) {
    if (s == Schooling::kVocationalCollege)
      return Fen(rng_.Uniform(params::kFeeCollege[0], params::kFeeCollege[1]) * scale_);
    if (s == Schooling::kBachelorOrAbove)
      return Fen(rng_.Uniform(params::kFeeBachelor[0], params::kFeeBachelor[1]) * scale_);
    return Fen(rng_.Uniform(params::kFeeUpper[0], params::kFeeUpper[1]) * scale_);
  }

  // School fees of the new school year, paid in September; returns the rigid spending (fees
  // less the grants of 脱贫 and 低保 students in higher education).
  int64_t SchoolFees(int m) {
    if (ctx_.CalendarMonth(m) != 9) return 0;
    int64_t rigid = 0;
    for (Member& mem : members_) {
      if (!mem.present || mem.on_leave || !StudiesForFees(mem.school)) continue;
      const int64_t fee = Fee(mem.school);
      const bool higher = mem.school == Schooling::kVocationalCollege || mem.school == Schooling::kBachelorOrAbove;
      const int64_t grant = higher && (Tuopin() || dibao_) ? Fen(params::kStudentGrant * scale_) : 0;
      rigid += std::max<int64_t>(0, fee - grant);
      if (m >= 0) EmitSchool(m, mem, kStudyIn, fee);
    }
    return rigid;
  }

  // ---- members coming and going -------------------------------------------------------------

  void EmitEnrolment(int m, const Member& mem, uint8_t status, int32_t day) {
    FeedEvent& e = Emit(FeedKind::kMedicalEnrolment, m, mem.person, day);
    e.code1 = status;
    e.amount[0] = ctx_.Year(m);
  }

  // The January list of the uninsured, and those who enrol during the year.
  void Enrolment(int m, Member& mem) {
    if (mem.cover.insured) return;
    if (ctx_.CalendarMonth(m) == 1) EmitEnrolment(m, mem, kEnrolMissing, ctx_.FirstDay(m));
    if (rng_.Bernoulli(0.05)) {
      mem.cover.insured = true;
      // Enrolled after the day the January list named them uninsured: one day cannot hold both
      // (the feed's key is the person, year and date, and two statuses for it conflict).
      int32_t day = RandomDay(m);
      if (ctx_.CalendarMonth(m) == 1 && day == ctx_.FirstDay(m)) ++day;
      EmitEnrolment(m, mem, kEnrolJoined, day);
    }
  }

  int32_t AddPerson(const Person& p) {
    block_->stats.later_persons += 1;
    block_->persons.push_back(p);
    return static_cast<int32_t>(block_->persons.size()) - 1;
  }

  const Member* FindPresent(Relation relation, bool female) {
    for (const Member& mem : members_) {
      const Person& p = person(mem);
      if (mem.present && p.relation == relation && p.female == female) return &mem;
    }
    return nullptr;
  }

  void Births(int m) {
    if (m - last_birth_ < 15) return;
    for (size_t i = 0; i < members_.size(); ++i) {
      const Member& mother = members_[i];
      const Person& p = person(mother);
      if (!mother.present || !p.female || (p.relation != Relation::kSpouse && p.relation != Relation::kChildInLaw))
        continue;
      const int age = Age(mother, m);
      if (age < 20 || age >= 40) continue;
      const size_t band = age < 30 ? 0 : age < 35 ? 1 : 2;
      if (!rng_.Bernoulli(hz_.fertility[band])) continue;
      const Member* father =
          p.relation == Relation::kSpouse ? FindPresent(Relation::kHead, false) : FindPresent(Relation::kChild, false);
      if (father == nullptr) continue;
      const NameCode father_name = person(*father).name;
      Bear(m, father_name, p.relation == Relation::kSpouse ? Relation::kChild : Relation::kGrandchild);
      return;
    }
  }

  void Bear(int m, NameCode father, Relation relation) {
    Person baby;
    baby.household = h_;
    baby.in_registry = false;
    baby.female = rng_.Bernoulli(1.0 - params::kMaleBirthShare);
    baby.name = ChildOf(rng_, father, baby.female);
    baby.relation = relation;
    baby.birth_days = RandomDay(m);
    baby.county = static_cast<uint16_t>(county_);
    baby.insured = rng_.Bernoulli(0.9);
    const int32_t index = AddPerson(baby);
    Member mem = MemberOf(index);
    members_.push_back(mem);
    Emit(FeedKind::kHouseholdRegistration, m, index, baby.birth_days).code1 = kRegBirth;
    if (baby.insured) EmitEnrolment(m, mem, kEnrolJoined, baby.birth_days);
    last_birth_ = m;
    block_->stats.births += 1;
  }

  void Marriage(int m, Member& mem, int age) {
    const Person& p = person(mem);
    if (p.relation != Relation::kChild || InSchool(mem.school)) return;
    const bool female = p.female;
    const NameStyle style = p.name.style;
    const bool daughter_out = p.female && age >= 20 && age <= 32 && rng_.Bernoulli(hz_.daughter_out);
    const bool son_out = !p.female && age >= 22 && age <= 35 && rng_.Bernoulli(hz_.son_out);
    if (daughter_out || son_out) {
      mem.present = false;
      Emit(FeedKind::kHouseholdRegistration, m, mem.person, RandomDay(m)).code1 = kRegMovedOut;
      return;
    }
    if (!female && age >= 22 && age <= 35 && arrivals_.empty() && FindPresent(Relation::kChildInLaw, true) == nullptr &&
        rng_.Bernoulli(hz_.wife_in)) {
      WifeMovesIn(m, style, age);
    }
  }

  void WifeMovesIn(int m, NameStyle style, int husband_age) {
    Person wife;
    wife.household = h_;
    wife.in_registry = false;
    wife.female = true;
    wife.name = RandomName(rng_, style, true);
    wife.relation = Relation::kChildInLaw;
    const int age = std::max(19, husband_age - static_cast<int>(rng_.UniformInt(0, 5)));
    wife.birth_days = ctx_.FirstDay(m) - static_cast<int32_t>(age * 3652425LL / 10000) -
                      static_cast<int32_t>(rng_.UniformInt(1, 364));
    wife.county = static_cast<uint16_t>(rng_.UniformInt(0, static_cast<int64_t>(ctx_.geo->counties().size()) - 1));
    wife.labour = Labour::kOrdinary;
    const int32_t index = AddPerson(wife);
    arrivals_.push_back(MemberOf(index));  // joins members_ after the loop over members
    Emit(FeedKind::kHouseholdRegistration, m, index, RandomDay(m)).code1 = kRegMovedIn;
  }

  // ---- the household --------------------------------------------------------------------------

  void Disasters(int m) {
    for (int32_t index : ctx_.township_disasters[static_cast<size_t>(township_)]) {
      const Disaster& d = ctx_.disasters[static_cast<size_t>(index)];
      if (d.month != m || !rng_.Bernoulli(d.affected_share)) continue;
      const Member* head = Head();
      if (head == nullptr) return;
      Hit(m, d, *head);
    }
  }

  void Hit(int m, const Disaster& d, const Member& head) {
    const size_t type = static_cast<size_t>(d.type);
    const int64_t loss = Fen(rng_.LogNormal(params::kDisasterLossMedian[type], params::kDisasterLossSigma) * scale_);
    const uint8_t severity = loss >= Fen(20000 * scale_) ? 2 : loss >= Fen(5000 * scale_) ? 1 : 0;
    const int32_t day = ctx_.FirstDay(m) + d.day - 1;
    FeedEvent& e = Emit(FeedKind::kDisaster, m, head.person, day);
    e.code1 = static_cast<uint8_t>(d.type);
    e.code2 = severity;
    e.amount[0] = loss;
    crop_loss_ += std::llround(static_cast<double>(loss) * params::kDisasterCropShare[type]);
    if (loss >= Fen(1000 * scale_)) last_shock_ = m;
    block_->stats.disaster_households += 1;
    if (severity < 2) return;
    const bool structural = d.type == DisasterType::kFlood || d.type == DisasterType::kEarthquake;
    if (structural) DamageHouse(m, head, std::min(day + static_cast<int32_t>(rng_.UniformInt(3, 10)), LastDay(m)));
    if (structural && rng_.Bernoulli(0.2)) BreakWater(m, head, day);
    if (rng_.Bernoulli(params::kReliefChance)) {
      pending_temp_ += Fen(rng_.Uniform(params::kReliefLow, params::kReliefHigh) * scale_);
    }
  }

  // At most one appraisal of the house and one water finding per household and month.
  void EmitHousing(int m, const Member& head, int32_t day) {
    if (housing_month_ == m) return;
    housing_month_ = m;
    Emit(FeedKind::kHousing, m, head.person, day).code1 = static_cast<uint8_t>(housing_);
  }

  void EmitWater(int m, const Member& head, int32_t day) {
    if (water_month_ == m) return;
    water_month_ = m;
    Emit(FeedKind::kWater, m, head.person, day).code1 = water_problems_;
  }

  void DamageHouse(int m, const Member& head, int32_t day) {
    housing_ = rng_.Bernoulli(params::kHouseDamageD) ? 'D' : 'C';
    EmitHousing(m, head, day);
  }

  void BreakWater(int m, const Member& head, int32_t day) {
    water_problems_ |= 8;
    EmitWater(m, head, std::min(day + 2, LastDay(m)));
  }

  void Business(int m) {
    const Household& hh = household();
    if (business_failed_ || hh.farm_gross_month == 0 || !rng_.Bernoulli(hz_.business_failure)) return;
    business_failed_ = true;
    business_factor_ = rng_.Uniform(params::kBusinessLeftLow, params::kBusinessLeftHigh);
    one_off_loss_ += std::llround(hh.farm_gross_month * rng_.Uniform(0.5, 2.0));
    last_shock_ = m;
    block_->stats.business_failures += 1;
  }

  void Housing(int m) {
    const Member* head = Head();
    if (head == nullptr) return;
    if (housing_ <= 'B' && rng_.Bernoulli(hz_.house_damage)) {
      DamageHouse(m, *head, RandomDay(m));
    } else if (housing_ >= 'C' && housing_month_ != m && rng_.Bernoulli(0.15)) {
      housing_ = 'B';  // rebuilt or repaired (危房改造)
      EmitHousing(m, *head, RandomDay(m));
    } else if (rng_.Bernoulli(params::kHouseRoutineCheck)) {
      EmitHousing(m, *head, RandomDay(m));
    }
  }

  // Each village is assessed once a year; households with a problem are listed. Problems are
  // fixed with some delay.
  void Water(int m) {
    const Member* head = Head();
    if (head == nullptr || water_problems_ == 0) return;
    const uint64_t assess_month = Mix64(ctx_.seed ^ (static_cast<uint64_t>(village_) * 0x9E37)) % 12 + 1;
    if (static_cast<int>(assess_month) == ctx_.CalendarMonth(m)) {
      EmitWater(m, *head, RandomDay(m));
    }
    if (rng_.Bernoulli(0.08)) water_problems_ = 0;
  }

  // ---- assistance and the month's accounts ----------------------------------------------

  void PayPendingAssistance(int m) {
    if (pending_temp_ == 0) return;
    const Member* head = Head();
    month_temp_ = pending_temp_;
    pending_temp_ = 0;
    if (head == nullptr) return;
    const int32_t day = RandomDay(m);
    FeedEvent& e = Emit(FeedKind::kSocialAssistance, m, head->person, day, day);
    e.code1 = kAssistTemporary;
    e.amount[0] = month_temp_;
  }

  int64_t MonthIncome(int m) {
    const Household& hh = household();
    const bool epidemic = ctx_.epidemic.Hits(county_, m);
    const double farm = business_factor_ * (epidemic ? params::kEpidemicFarm : 1.0);
    int64_t total = hh.property_month + hh.other_transfer_month + dibao_month_ + hh.tekun_month + month_temp_;
    total += std::llround(hh.farm_gross_month * farm) - std::llround(hh.farm_cost_month * business_factor_);
    total -= crop_loss_ + one_off_loss_;
    for (const Member& mem : members_) {
      if (!mem.present) continue;
      if (mem.employed) total += epidemic ? std::llround(mem.wage_month * EpidemicWageFactor(mem)) : mem.wage_month;
      if (person(mem).pension) total += pension_fen_;
      total += DisabilitySubsidyMonth(mem.grade, dibao_, scale_);
    }
    return total;
  }

  static int64_t PerPerson(int64_t fen, int n) { return Money::FromFen(fen).DividedBy(n).fen(); }

  void CloseMonth(int m) {
    const size_t at = static_cast<size_t>(m + 12);
    income_[at] = MonthIncome(m);
    rigid_[at] = month_rigid_;
    int64_t income = 0, rigid = 0;
    for (size_t i = at - 11; i <= at; ++i) {
      income += income_[i];
      rigid += rigid_[i];
    }
    const int n = PresentCount();
    const size_t row = static_cast<size_t>(h_) * static_cast<size_t>(ctx_.months) + static_cast<size_t>(m);
    block_->truth_income[row] = n > 0 ? PerPerson(income, n) : kNoTruth;
    block_->truth_rigid[row] = n > 0 ? PerPerson(rigid, n) : kNoTruth;
    if (n == 0) return;
    TruthStats(m, block_->truth_income[row], block_->truth_rigid[row]);
    DecideAssistance(m, block_->truth_income[row], n);
  }

  void TruthStats(int m, int64_t income, int64_t rigid) {
    BlockStats& s = block_->stats;
    if (m == 0) {
      s.below_6000_start += income < 600000 ? 1 : 0;
      s.below_8000_start += income < 800000 ? 1 : 0;
    }
    if (m == ctx_.months - 1) {
      s.below_6000_end += income < 600000 ? 1 : 0;
      s.below_8000_end += income < 800000 ? 1 : 0;
      s.rigid_over_income_end += rigid > income ? 1 : 0;
    }
  }

  // Help that follows hardship: 低保 for a household under the standard after a shock, and
  // temporary assistance after a month of heavy medical bills.
  void DecideAssistance(int m, int64_t income_per_person, int n) {
    if (month_self_pay_ >= Fen(params::kTempAssistSelfPay * scale_) && rng_.Bernoulli(params::kTempAssistChance)) {
      pending_temp_ += Fen(rng_.Uniform(params::kTempAssistLow, params::kTempAssistHigh) * scale_);
    }
    const int64_t standard = Fen(params::kDibaoStandard * scale_);
    if (dibao_ || tekun_ || income_per_person >= standard || m - last_shock_ > 3) return;
    if (!rng_.Bernoulli(params::kDibaoGrantMonthly)) return;
    const Member* head = Head();
    dibao_ = true;
    dibao_month_ = DibaoMonth(std::max<int64_t>(0, income_per_person), n, scale_);
    const int32_t day = RandomDay(m);
    FeedEvent& e =
        Emit(FeedKind::kSocialAssistance, m, head->person, day, Date::FromDays(day).AddMonths(12).days() - 1);
    e.code1 = kAssistDibao;
    e.amount[0] = dibao_month_;
  }

  const RunContext& ctx_;
  Rng& rng_;
  const int32_t h_;
  Block* block_;
  const Hazards& hz_;
  const double scale_;
  int village_ = 0, township_ = 0, county_ = 0;
  std::vector<Member> members_, arrivals_;
  std::vector<int64_t> income_, rigid_;  // index m + 12
  char housing_ = 'A';
  uint8_t water_problems_ = 0;
  bool dibao_ = false, tekun_ = false;
  int64_t dibao_month_ = 0, pension_fen_ = 0;
  double business_factor_ = 1.0;
  bool business_failed_ = false;
  int64_t crop_loss_ = 0, one_off_loss_ = 0, month_self_pay_ = 0, month_rigid_ = 0;
  int64_t pending_temp_ = 0, month_temp_ = 0;
  int last_shock_ = -100, last_birth_ = -100;
  int housing_month_ = -1, water_month_ = -1;
};

}  // namespace

Settlement Settle(int64_t total, bool inpatient, double in_policy_share, double scale, Coverage* cover) {
  Settlement s;
  s.total = total;
  s.self_pay = total;
  if (!cover->insured) return s;
  const int64_t in_policy = std::llround(static_cast<double>(total) * in_policy_share);
  const size_t level = total < YuanToFen(3000 * scale) ? 0 : total < YuanToFen(20000 * scale) ? 1 : 2;
  const bool favoured = cover->tuopin || cover->dibao || cover->tekun;
  if (inpatient) {
    const int64_t above = std::max<int64_t>(0, in_policy - YuanToFen(params::kDeductible[level] * scale));
    const double rate = params::kBasicRate[level] + (cover->tuopin ? params::kTuopinRateBonus : 0.0);
    s.basic = std::llround(static_cast<double>(above) * rate);
  } else {
    s.basic = std::llround(static_cast<double>(in_policy) * params::kOutpatientRate);
  }
  const int64_t remaining = in_policy - s.basic;
  const int64_t threshold =
      YuanToFen((favoured ? params::kCriticalThresholdTuopin : params::kCriticalThreshold) * scale);
  const int64_t before = cover->critical_ytd;
  cover->critical_ytd += remaining;
  const int64_t payable = std::max<int64_t>(0, cover->critical_ytd - std::max(before, threshold));
  s.critical =
      std::llround(static_cast<double>(payable) * (favoured ? params::kCriticalRateTuopin : params::kCriticalRate));
  if (cover->dibao || cover->tekun) {
    const double rate = cover->tekun ? params::kAssistTekun : params::kAssistDibao;
    const int64_t room = std::max<int64_t>(0, YuanToFen(params::kAssistCap * scale) - cover->assistance_ytd);
    s.assistance = std::min<int64_t>(room, std::llround(static_cast<double>(remaining - s.critical) * rate));
    cover->assistance_ytd += s.assistance;
  }
  s.self_pay = total - s.basic - s.critical - s.assistance;
  return s;
}

void SimulateHousehold(const RunContext& ctx, Rng& rng, int32_t h, Block* block) {
  HouseholdSim(ctx, rng, h, block).Run();
}

}  // namespace hearth::gen
