#include "generate/population.h"

#include <algorithm>
#include <span>
#include <vector>

#include "generate/params.h"

namespace hearth::gen {
namespace {

// One member of a household as planned before names and attributes are drawn.
struct Planned {
  Relation relation;
  int age;
  bool female;
};

int Clamp(int v, int lo, int hi) { return std::max(lo, std::min(hi, v)); }

int Int(Rng& rng, int lo, int hi) { return static_cast<int>(rng.UniformInt(lo, hi)); }

// Children of a parent aged `parent_age`: the eldest born when the parent was 21-30, then
// every 1-4 years.
void AddChildren(Rng& rng, int count, int parent_age, Relation relation, std::vector<Planned>* plan) {
  int age = parent_age - Int(rng, 21, 30);
  for (int i = 0; i < count; ++i) {
    plan->push_back({relation, std::max(0, age), rng.Bernoulli(1.0 - params::kMaleBirthShare)});
    age -= Int(rng, 1, 4);
  }
}

// Head, then spouse, parents, siblings, children, in-laws and grandchildren (the order of
// the registry's 家庭成员 rows).
std::vector<Planned> ComposeFamily(Rng& rng, int size) {
  std::vector<Planned> plan;
  const bool female_head = rng.Bernoulli(size == 1 ? 0.45 : 0.10);
  int remaining = size - 1;
  if (remaining == 0) {
    const int age = rng.Bernoulli(0.65) ? Int(rng, 60, 88) : Int(rng, 25, 59);
    plan.push_back({Relation::kHead, age, female_head});
    return plan;
  }
  if (remaining >= 3 && rng.Bernoulli(0.25)) {  // three generations: a married son lives with them
    const int head_age = Int(rng, 50, 72);
    plan.push_back({Relation::kHead, head_age, female_head});
    if (!female_head || rng.Bernoulli(0.3)) {
      plan.push_back({Relation::kSpouse, Clamp(head_age - Int(rng, 0, 6), 40, 90), !female_head});
      --remaining;
    }
    const int son_age = Clamp(head_age - Int(rng, 22, 30), 22, 50);
    plan.push_back({Relation::kChild, son_age, false});
    plan.push_back({Relation::kChildInLaw, Clamp(son_age - Int(rng, 0, 5), 20, 50), true});
    remaining -= 2;
    for (int i = 0; i < remaining; ++i) {
      plan.push_back({Relation::kGrandchild, Int(rng, 0, std::min(14, son_age - 20)),
                      rng.Bernoulli(1.0 - params::kMaleBirthShare)});
    }
    return plan;
  }
  int head_age = Clamp(static_cast<int>(rng.Normal(42.0, 10.0)), 22, 75);
  if (size == 2 && rng.Bernoulli(0.5)) head_age = Int(rng, 58, 82);
  plan.push_back({Relation::kHead, head_age, female_head});
  if (!female_head && rng.Bernoulli(0.92)) {
    plan.push_back({Relation::kSpouse, Clamp(head_age - Int(rng, 0, 6), 18, 90), true});
    --remaining;
  }
  if (remaining >= 3 && head_age <= 50 && rng.Bernoulli(0.3)) {
    const int parent_age = std::min(92, head_age + Int(rng, 22, 32));
    plan.push_back({Relation::kParent, parent_age, rng.Bernoulli(0.6)});
    --remaining;
  }
  if (remaining >= 2 && rng.Bernoulli(0.03)) {
    plan.push_back({Relation::kSibling, Clamp(head_age - Int(rng, -8, 12), 16, 80), rng.Bernoulli(0.4)});
    --remaining;
  }
  AddChildren(rng, remaining, head_age, Relation::kChild, &plan);
  return plan;
}

// Names that follow the family: the head's children carry the head's name (or, for a
// female head, that of an absent father), parents and siblings share the head's father.
void NameFamily(Rng& rng, NameStyle style, std::span<Person> members) {
  const NameCode head = RandomName(rng, style, members[0].female);
  const NameCode father = head.female ? RandomName(rng, style, false) : head;
  NameCode son_name = head;
  for (Person& p : members) {
    switch (p.relation) {
      case Relation::kHead:
        p.name = head;
        break;
      case Relation::kChild:
        p.name = ChildOf(rng, father, p.female);
        if (!p.female) son_name = p.name;
        break;
      case Relation::kParent:
        p.name = p.female ? RandomName(rng, style, true) : FatherOf(rng, head);
        break;
      case Relation::kSibling:
        p.name = SiblingOf(rng, head, p.female);
        break;
      case Relation::kGrandchild:
        p.name = ChildOf(rng, son_name, p.female);
        break;
      default:
        p.name = RandomName(rng, style, p.female);
        break;
    }
  }
}

void DrawHealth(Rng& rng, int age, Person* p) {
  const size_t band = static_cast<size_t>(AgeBand5(age));
  if (rng.Bernoulli(params::kDisabilityByAge[band])) {
    p->health = Health::kDisabled;
    p->disability_grade = static_cast<uint8_t>(rng.Pick(params::kDisabilityGrade) + 1);
    p->disability_kind = static_cast<uint8_t>(rng.Pick(params::kDisabilityKind));
  } else if (rng.Bernoulli(params::kSeriousByAge[band])) {
    p->health = Health::kSerious;
  } else if (rng.Bernoulli(params::kChronicByAge[band])) {
    p->health = Health::kChronic;
  }
}

Schooling DrawSchooling(Rng& rng, int age) {
  if (age >= 3 && age <= 5) return rng.Bernoulli(0.9) ? Schooling::kPreschool : Schooling::kNotInSchool;
  if (age >= 6 && age <= 14) {
    if (rng.Bernoulli(params::kOutOfSchoolAtStart)) return Schooling::kOutOfSchool;
    return age <= 11 ? Schooling::kPrimary : Schooling::kJunior;
  }
  if (age >= 15 && age <= 17) {
    constexpr Schooling kChoices[] = {Schooling::kSenior, Schooling::kVocationalSecondary, Schooling::kNotInSchool};
    return kChoices[rng.Pick(params::kUpperSecondary)];
  }
  if (age >= 18 && age <= 22) {
    constexpr Schooling kChoices[] = {Schooling::kVocationalCollege, Schooling::kBachelorOrAbove,
                                      Schooling::kNotInSchool};
    return kChoices[rng.Pick(params::kTertiary)];
  }
  return Schooling::kNotInSchool;
}

Labour DrawLabour(Rng& rng, int age, const Person& p) {
  if (age < 16 || age >= 75 || InSchool(p.schooling)) return Labour::kNone;
  if (p.health == Health::kSerious || (p.health == Health::kDisabled && p.disability_grade <= 2)) {
    return Labour::kLost;
  }
  if (age >= 65 || p.health == Health::kChronic || p.health == Health::kDisabled) return Labour::kWeak;
  return age < 50 && rng.Bernoulli(params::kSkilledShare) ? Labour::kSkilled : Labour::kOrdinary;
}

size_t LabourIndex(Labour l) { return l == Labour::kOrdinary ? 0 : l == Labour::kSkilled ? 1 : 2; }

bool CanWork(const Person& p, int age) {
  return (p.labour == Labour::kOrdinary || p.labour == Labour::kSkilled || p.labour == Labour::kWeak) && age >= 16 &&
         age <= 64;
}

void DrawWork(Rng& rng, double scale, int age, bool tuopin, Person* p) {
  if (!CanWork(*p, age)) return;
  const size_t k = LabourIndex(p->labour);
  const double share = params::kMigrantShare[k] * (p->female ? 0.8 : 1.0) * (tuopin ? params::kTuopinMigrant : 1.0);
  if (rng.Bernoulli(share)) {
    const int months = Int(rng, 5, 12);
    const double rate =
        rng.LogNormal(params::kWageMedian[k], params::kWageSigma) * scale * (tuopin ? params::kTuopinWage : 1.0);
    p->months_worked = static_cast<uint8_t>(months);
    p->wage_rate = static_cast<int32_t>(YuanToFen(rate));
    p->wage_month = static_cast<int32_t>(YuanToFen(rate * months / 12.0));
    p->place = static_cast<WorkPlace>(rng.Pick(params::kWorkPlace) + 1);
    p->job = rng.Bernoulli(0.8) ? JobType::kEnterprise : JobType::kFlexible;
    return;
  }
  const double median = params::kCasualMedian * (p->labour == Labour::kWeak ? 0.4 : 1.0);
  const double annual = rng.LogNormal(median, params::kCasualSigma) * scale;
  p->months_worked = static_cast<uint8_t>(Int(rng, 0, 3));
  p->wage_month = static_cast<int32_t>(YuanToFen(annual / 12.0));
  p->wage_rate = p->wage_month;
  p->place = WorkPlace::kInCounty;
  p->job = JobType::kCasual;
}

// A public-welfare post for one member at home who can work, if the household has one.
void MaybePublicPost(Rng& rng, double scale, bool tuopin, std::span<Person> members) {
  if (!rng.Bernoulli(tuopin ? params::kPublicPostTuopin : params::kPublicPostGeneral)) return;
  for (Person& p : members) {
    if (p.job != JobType::kCasual) continue;
    const double rate = rng.Uniform(params::kPublicPostPayLow, params::kPublicPostPayHigh) * scale;
    p.job = JobType::kPublicWelfare;
    p.months_worked = 12;
    p.wage_rate = static_cast<int32_t>(YuanToFen(rate));
    p.wage_month = p.wage_rate;
    return;
  }
}

// Labour units working the family farm: those at home count fully, those away a little.
double FarmLabour(std::span<const Person> members, int32_t today) {
  double units = 0;
  for (const Person& p : members) {
    const int age = AgeYears(p.birth_days, today);
    if (p.labour == Labour::kOrdinary || p.labour == Labour::kSkilled) {
      units += p.job == JobType::kEnterprise || p.job == JobType::kFlexible ? 0.4 : 1.0;
    } else if (p.labour == Labour::kWeak) {
      units += 0.5;
    } else if (p.labour == Labour::kNone && age >= 65 && age < 75) {
      units += 0.2;
    }
  }
  return units;
}

void DrawFarmAndProperty(Rng& rng, double scale, double units, bool elderly_head, Household* h) {
  if (units > 0) {
    const double gross = (params::kFarmBase + params::kFarmPerLabour * units) * rng.LogNormal(1.0, params::kFarmSigma) *
                         scale * (h->tuopin ? params::kTuopinFarm : 1.0);
    const double cost = gross * rng.Uniform(params::kFarmCostLow, params::kFarmCostHigh);
    h->farm_gross_month = static_cast<int32_t>(YuanToFen(gross / 12.0));
    h->farm_cost_month = static_cast<int32_t>(YuanToFen(cost / 12.0));
  }
  double property = 0;
  if (units < 0.5) {
    property += rng.Uniform(params::kLandRentLow, params::kLandRentHigh);
  } else if (rng.Bernoulli(params::kSomeRentShare)) {
    property += rng.Uniform(500.0, 3000.0);
  }
  if (h->tuopin && rng.Bernoulli(params::kDividendShare)) {
    property += rng.Uniform(params::kDividendLow, params::kDividendHigh);
  }
  h->property_month = static_cast<int32_t>(YuanToFen(property * scale / 12.0));
  double other = 0;
  if (units > 0) other += rng.Uniform(params::kSubsidyLow, params::kSubsidyHigh);
  const double remittance = elderly_head || units == 0 ? params::kRemittanceShareElderly : params::kRemittanceShare;
  if (rng.Bernoulli(remittance)) other += rng.Uniform(params::kRemittanceLow, params::kRemittanceHigh);
  h->other_transfer_month = static_cast<int32_t>(YuanToFen(other * scale / 12.0));
}

// Monthly net income of the household from all streams except 低保/特困 and the subsidies
// that depend on them.
int64_t MonthlyNetBeforeAssistance(const Household& h, std::span<const Person> members, double scale) {
  int64_t net = h.farm_gross_month - h.farm_cost_month + h.property_month + h.other_transfer_month;
  for (const Person& p : members) {
    net += p.wage_month;
    if (p.pension) net += PensionMonth(scale);
    net += DisabilitySubsidyMonth(p.disability_grade, /*dibao=*/false, scale);
  }
  return net;
}

// 特困 for a lone old person who cannot work; otherwise 低保 when the income per person is
// under the standard (not everyone eligible takes it up).
void DrawAssistance(Rng& rng, double scale, std::span<const Person> members, int32_t today, Household* h) {
  const int n = static_cast<int>(members.size());
  const int64_t per_person = MonthlyNetBeforeAssistance(*h, members, scale) * 12 / n;
  const int64_t standard = YuanToFen(params::kDibaoStandard * scale);
  if (per_person >= standard) return;
  const Person& head = members[0];
  if (n == 1 && AgeYears(head.birth_days, today) >= 60 && head.labour != Labour::kOrdinary &&
      head.labour != Labour::kSkilled) {
    h->tekun = true;
    h->tekun_month = static_cast<int32_t>(YuanToFen(params::kTekunYearly * scale / 12.0));
    return;
  }
  if (!rng.Bernoulli(params::kDibaoTakeUp)) return;
  h->dibao = true;
  h->dibao_month = static_cast<int32_t>(DibaoMonth(per_person, n, scale));
}

AnnualIncome YearlyIncome(const Household& h, std::span<const Person> members, double scale) {
  AnnualIncome in;
  int64_t transfer = h.other_transfer_month + h.dibao_month + h.tekun_month;
  for (const Person& p : members) {
    in.wage += p.wage_month;
    if (p.pension) transfer += PensionMonth(scale);
    transfer += DisabilitySubsidyMonth(p.disability_grade, h.dibao, scale);
  }
  in.wage *= 12;
  in.business = 12 * static_cast<int64_t>(h.farm_gross_month);
  in.business_cost = 12 * static_cast<int64_t>(h.farm_cost_month);
  in.property = 12 * static_cast<int64_t>(h.property_month);
  in.transfer = 12 * transfer;
  return in;
}

void DrawDwelling(Rng& rng, Household* h) {
  h->tuopin = rng.Bernoulli(params::kTuopinShare);
  if (h->tuopin) {
    h->exit_year = static_cast<int16_t>(2014 + rng.Pick(params::kExitYear));
    h->relocated = rng.Bernoulli(params::kRelocatedShare);
  }
  h->housing = static_cast<char>('A' + rng.Pick(params::kHousingGrade));
  if (rng.Bernoulli(params::kWaterUnsafe)) {
    h->water_safe = false;
    h->water_problems = static_cast<uint8_t>(rng.UniformInt(1, 15));
  }
}

// Fills the attributes of one planned member.
Person MakePerson(Rng& rng, const RunContext& ctx, const Planned& plan, int32_t household, int county, bool tuopin) {
  Person p;
  p.household = household;
  p.relation = plan.relation;
  p.female = plan.female;
  const int32_t today = ctx.start.days();
  p.birth_days = today - static_cast<int32_t>(plan.age * 3652425LL / 10000) - Int(rng, 1, 364);
  p.county = static_cast<uint16_t>(county);
  DrawHealth(rng, plan.age, &p);
  p.schooling = DrawSchooling(rng, plan.age);
  p.labour = DrawLabour(rng, plan.age, p);
  p.insured = rng.Bernoulli(tuopin ? params::kInsuredTuopin : params::kInsuredGeneral);
  p.pension = plan.age >= params::kPensionAge;
  DrawWork(rng, ctx.income_scale, plan.age, tuopin, &p);
  return p;
}

}  // namespace

int AgeBand5(int age) {
  if (age < 15) return 0;
  if (age < 45) return 1;
  if (age < 60) return 2;
  return age < 70 ? 3 : 4;
}

int AgeBand6(int age) {
  if (age < 5) return 0;
  if (age < 15) return 1;
  if (age < 45) return 2;
  if (age < 60) return 3;
  return age < 70 ? 4 : 5;
}

int64_t DisabilitySubsidyMonth(int grade, bool dibao, double scale) {
  if (grade == 0) return 0;
  int64_t fen = 0;
  if (grade <= 2) fen += YuanToFen(params::kDisabilityCareSubsidy * scale);
  if (dibao) fen += YuanToFen(params::kDisabilityLivingSubsidy * scale);
  return fen;
}

int64_t PensionMonth(double scale) { return YuanToFen(params::kPensionMonthly * scale); }

int64_t DibaoMonth(int64_t income_per_person, int members, double scale) {
  const int64_t standard = YuanToFen(params::kDibaoStandard * scale);
  const int64_t gap_month = std::max<int64_t>(0, standard - income_per_person) / 12;
  const int64_t floor_month = YuanToFen(params::kDibaoFloorMonthly * scale);
  return std::max(gap_month, floor_month) * members;
}

void BuildHousehold(const RunContext& ctx, Rng& rng, int64_t global, Block* block) {
  Household h;
  h.global = global;
  h.slot = ctx.layout->At(global);
  const Village& village = ctx.geo->villages()[static_cast<size_t>(h.slot.village)];
  const int county = ctx.geo->townships()[static_cast<size_t>(village.township)].county;
  DrawDwelling(rng, &h);
  const NameStyle style = PickNameStyle(rng, village.code.substr(0, 4));
  const int size = rng.Pick(params::kHouseholdSize) + 1;
  const int32_t index = static_cast<int32_t>(block->households.size());
  h.first_person = static_cast<int32_t>(block->persons.size());
  h.registry_size = size;
  for (const Planned& plan : ComposeFamily(rng, size)) {
    block->persons.push_back(MakePerson(rng, ctx, plan, index, county, h.tuopin));
  }
  std::span<Person> members(block->persons.data() + h.first_person, static_cast<size_t>(size));
  NameFamily(rng, style, members);
  MaybePublicPost(rng, ctx.income_scale, h.tuopin, members);
  const bool elderly_head = AgeYears(members[0].birth_days, ctx.start.days()) >= 60;
  DrawFarmAndProperty(rng, ctx.income_scale, FarmLabour(members, ctx.start.days()), elderly_head, &h);
  DrawAssistance(rng, ctx.income_scale, members, ctx.start.days(), &h);
  h.income = YearlyIncome(h, members, ctx.income_scale);
  block->households.push_back(h);
}

}  // namespace hearth::gen
