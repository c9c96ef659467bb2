// The in-memory model of one block of synthetic households: people, households, the events
// that departments see, and the true monthly money flows. Internal to src/generate.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/vocab.h"
#include "generate/geography.h"
#include "generate/names.h"
#include "generate/stats.h"

namespace hearth::gen {

enum class WorkPlace : uint8_t { kNone = 0, kInCounty = 1, kInRegion = 2, kOutOfRegion = 3 };
inline constexpr std::array<std::string_view, 4> kWorkPlaceLabels = {"", "县内", "县外区内", "区外"};

enum class JobType : uint8_t { kNone = 0, kEnterprise = 1, kFlexible = 2, kPublicWelfare = 3, kCasual = 4 };
inline constexpr std::array<std::string_view, 5> kJobTypeLabels = {"", "企业务工", "灵活就业", "公益性岗位", "零工"};

//! True for every schooling value but 非在校 and 失学/辍学.
inline bool InSchool(Schooling s) { return s != Schooling::kNotInSchool && s != Schooling::kOutOfSchool; }

//! One person, from the registry or appearing later (birth, marriage).
struct Person {
  int32_t household = 0;   //!< index into Block::households
  int32_t birth_days = 0;  //!< Date::days() of the birth date (may move by days when numbering)
  NameCode name;
  Relation relation = Relation::kHead;
  Health health = Health::kHealthy;
  Labour labour = Labour::kNone;
  Schooling schooling = Schooling::kNotInSchool;
  bool female = false;
  bool insured = true;
  bool in_registry = true;       //!< false for people born or married in during the run
  bool pension = false;          //!< receives the basic pension (60 or older at the start)
  uint8_t disability_grade = 0;  //!< 1..4, 0 = none
  uint8_t disability_kind = 0;   //!< index of params::kDisabilityKind
  uint8_t months_worked = 0;     //!< 务工月数 of the registry year
  WorkPlace place = WorkPlace::kNone;
  JobType job = JobType::kNone;
  uint16_t county = 0;     //!< index into Geography::counties(): region of first registration
  uint16_t id_seq = 0;     //!< the 3-digit sequence of the ID number (set by IdNumbering)
  int32_t wage_rate = 0;   //!< fen per month while working
  int32_t wage_month = 0;  //!< fen per month on average over the year (annual / 12)
};

//! Yearly income by component (fen), as the registry's 收入 table holds it.
struct AnnualIncome {
  int64_t wage = 0, business = 0, property = 0, transfer = 0, business_cost = 0;
  int64_t Net() const { return wage + business + property + transfer - business_cost; }
};

struct Household {
  int64_t global = 0;  //!< index of the household in the whole run
  VillageSlot slot;
  int32_t first_person = 0;   //!< index into Block::persons
  int32_t registry_size = 0;  //!< members in the registry: persons [first, first + size)
  bool tuopin = false;
  int16_t exit_year = 0;
  bool relocated = false;
  char housing = 'A';
  bool water_safe = true;
  bool dibao = false;
  bool tekun = false;
  uint8_t water_problems = 0;  //!< bits: 1 水量, 2 水质, 4 方便程度, 8 供水保证率
  // Monthly money streams of the registry year (fen); the registry's yearly income is 12 times
  // their sum with the members' wages, pensions and subsidies.
  int32_t farm_gross_month = 0, farm_cost_month = 0, property_month = 0, other_transfer_month = 0;
  int32_t dibao_month = 0, tekun_month = 0;
  AnnualIncome income;  //!< the registry year
};

//! The ten department feeds, in a fixed order (file index = month * kFeedKinds + kind).
enum class FeedKind : uint8_t {
  kMedicalClaims = 0,
  kMedicalEnrolment,
  kSchool,
  kSocialAssistance,
  kEmployment,
  kHousing,
  kWater,
  kDisaster,
  kDisability,
  kHouseholdRegistration,
};
inline constexpr int kFeedKinds = 10;

//! One fact a department records. The meaning of code1..3, dates and amounts depends on the
//! kind (see feeds.cc, which renders them).
struct FeedEvent {
  FeedKind kind = FeedKind::kMedicalClaims;
  uint8_t month = 0;  //!< index of the month of the run whose feed carries it
  uint8_t code1 = 0, code2 = 0, code3 = 0;
  int32_t person = 0;  //!< index into Block::persons
  int32_t date1 = 0, date2 = 0;
  std::array<int64_t, 5> amount{};
};
inline constexpr int32_t kNoDate = INT32_MIN;

//! The codes of FeedEvent by kind (feeds.cc renders them):
//! - kMedicalClaims: code1 kVisit*; date1 admission, date2 discharge; amount = total, basic
//!   insurance, critical-illness insurance, medical assistance, self-pay.
//! - kMedicalEnrolment: code1 kEnrol*; date1 the change; amount[0] the year of enrolment.
//! - kSchool: code1 the Schooling value; code2 kStudy*; amount[0] fees, amount[1] the first
//!   year of the school year.
//! - kSocialAssistance: code1 kAssist*; date1 start, date2 end; amount[0] monthly (or once).
//! - kEmployment: code1 kJob*; code2 WorkPlace; code3 JobType; amount[0] monthly wage;
//!   date1 start, date2 end (kNoDate: ongoing).
//! - kHousing: code1 the grade 'A'..'D'; date1 the appraisal. Person: the head.
//! - kWater: code1 problem bits (1 水量, 2 水质, 4 方便程度, 8 供水保证率); date1. Person: the head.
//! - kDisaster: code1 DisasterType; code2 severity 0..2; date1; amount[0] direct loss.
//! - kDisability: code1 kind index; code2 grade 1..4; code3 kCert*; date1 the certificate.
//! - kHouseholdRegistration: code1 kReg*; date1.
inline constexpr uint8_t kVisitOutpatient = 0, kVisitInpatient = 1;
inline constexpr uint8_t kEnrolJoined = 0, kEnrolMissing = 1, kEnrolStopped = 2;
inline constexpr uint8_t kStudyIn = 0, kStudyDropout = 1, kStudyLeave = 2;
inline constexpr uint8_t kAssistDibao = 0, kAssistTekun = 1, kAssistTemporary = 2;
inline constexpr uint8_t kJobStarted = 0, kJobLost = 1;
inline constexpr uint8_t kCertNew = 0, kCertRenewed = 1, kCertRegraded = 2;
inline constexpr uint8_t kRegDeath = 0, kRegMovedOut = 1, kRegMovedIn = 2, kRegBirth = 3;

using BlockStats = PopulationStats;

//! A fixed-size run of consecutive households with everything generated for them.
struct Block {
  int64_t index = 0;
  int64_t first_household = 0;
  int32_t count = 0;
  std::vector<Household> households;
  std::vector<Person> persons;
  std::vector<FeedEvent> events;
  //! Per household and month of the run: trailing 12-month net income and rigid spending per
  //! living member (fen); kNoTruth when the household has no member left.
  std::vector<int64_t> truth_income, truth_rigid;
  BlockStats stats;
};
inline constexpr int64_t kNoTruth = INT64_MIN;

}  // namespace hearth::gen
