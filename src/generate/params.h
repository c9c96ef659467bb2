// Every rate and distribution of the synthetic population, in one place.
//
// docs/GENERATOR.md states each value with its source (a published statistic) or marks it as
// an estimate and says what it rests on. Change a value here and there together. Amounts are
// in yuan at the prices of the anchor year kIncomeAnchorYear (2024); the generator scales them
// by kNominalGrowth per year for other registry years. None of these values is tuned to any
// warning rule.
#pragma once

#include <array>

namespace hearth::gen::params {

// ---- Households -------------------------------------------------------------------------

//! P(household size = k + 1), k = 0..7; mean 3.98 persons (≈ 10 M people / 2.5 M households
//! in southern Xinjiang, DOMAIN.md §11).
inline constexpr std::array<double, 8> kHouseholdSize = {0.07, 0.13, 0.19, 0.24, 0.19, 0.11, 0.05, 0.02};
//! Share of 脱贫户 among rural households (estimate from 3.065 M people lifted out of poverty
//! in Xinjiang 2014-2020, most of them in the four southern prefectures, over ≈ 10 M rural).
inline constexpr double kTuopinShare = 0.26;
//! Year of leaving poverty, 2014..2020 (estimate; most exits came in 2018-2020 in the south).
inline constexpr std::array<double, 7> kExitYear = {0.04, 0.06, 0.08, 0.12, 0.22, 0.28, 0.20};
//! Share of 脱贫户 relocated to a 易地扶贫搬迁 site (169,200 relocated people / 3.065 M).
inline constexpr double kRelocatedShare = 0.055;
//! 住房安全等级 A, B, C, D at the registry date (estimate: C/D houses were rebuilt by 2020).
inline constexpr std::array<double, 4> kHousingGrade = {0.62, 0.37, 0.008, 0.002};
//! Share of households whose drinking water is not yet secure (estimate).
inline constexpr double kWaterUnsafe = 0.008;
//! Prior weight of a village's size: log-normal sigma (median 1) (estimate).
inline constexpr double kVillageSizeSigma = 0.45;

// ---- People ----------------------------------------------------------------------------

//! Share of male births.
inline constexpr double kMaleBirthShare = 0.51;
//! Disability prevalence by age band [0,15) [15,45) [45,60) [60,70) [70,∞) (2006 second
//! national sample survey on disability: 6.34% overall, rising steeply with age).
inline constexpr std::array<double, 5> kDisabilityByAge = {0.02, 0.045, 0.085, 0.15, 0.26};
//! Disability grade 1..4 (estimate: about a third severe, grades 1-2).
inline constexpr std::array<double, 4> kDisabilityGrade = {0.12, 0.20, 0.25, 0.43};
//! Disability kind: 视力, 听力, 言语, 肢体, 智力, 精神, 多重 (2006 survey shares).
inline constexpr std::array<double, 7> kDisabilityKind = {0.149, 0.242, 0.015, 0.291, 0.067, 0.074, 0.163};
//! 患有大病 prevalence by the same age bands (estimate).
inline constexpr std::array<double, 5> kSeriousByAge = {0.002, 0.004, 0.012, 0.02, 0.025};
//! 长期慢性病 prevalence by the same age bands (estimate).
inline constexpr std::array<double, 5> kChronicByAge = {0.01, 0.05, 0.18, 0.32, 0.38};
//! Basic medical insurance enrolment: 脱贫户 (应保尽保) and others (≥ 95% nationally).
inline constexpr double kInsuredTuopin = 0.995;
inline constexpr double kInsuredGeneral = 0.97;
//! Share of skilled labour among working-age people with full capacity (estimate).
inline constexpr double kSkilledShare = 0.18;
//! Upper secondary (15-17): 高中, 中职, left school (estimate; 15-year free education in the
//! south).
inline constexpr std::array<double, 3> kUpperSecondary = {0.55, 0.32, 0.13};
//! 18-22: 高职/大专, 本科及以上, not in school (estimate).
inline constexpr std::array<double, 3> kTertiary = {0.15, 0.10, 0.75};
//! Compulsory-age children recorded as 失学/辍学 at the registry date (控辍保学: near 0).
inline constexpr double kOutOfSchoolAtStart = 0.001;

// ---- Work and income (yuan, anchor year) -----------------------------------------------

inline constexpr int kIncomeAnchorYear = 2024;
//! Nominal growth per year (Xinjiang rural disposable income +6.3% in 2022, statistical
//! communiqué).
inline constexpr double kNominalGrowth = 0.063;
//! Share of people with labour capacity who work away (务工) for wages: ordinary, skilled,
//! weak (estimate).
inline constexpr std::array<double, 3> kMigrantShare = {0.40, 0.55, 0.10};
//! Monthly wage while working: median by ordinary, skilled, weak; log sigma (estimate).
inline constexpr std::array<double, 3> kWageMedian = {3300.0, 4400.0, 2300.0};
inline constexpr double kWageSigma = 0.25;
//! Where migrants work: 县内, 县外区内, 区外 (estimate; organised transfer is mostly inside
//! Xinjiang).
inline constexpr std::array<double, 3> kWorkPlace = {0.45, 0.45, 0.10};
//! Local casual work (零工) for those not away: annual median, log sigma (estimate).
inline constexpr double kCasualMedian = 2500.0;
inline constexpr double kCasualSigma = 0.6;
//! 脱贫户 against others: farm income, wage level, chance to work away (estimate: less land,
//! fewer skills).
inline constexpr double kTuopinFarm = 0.8, kTuopinWage = 0.92, kTuopinMigrant = 0.9;
//! A public-welfare post (公益性岗位) in the household: 脱贫户, 一般农户; monthly pay range.
inline constexpr double kPublicPostTuopin = 0.18;
inline constexpr double kPublicPostGeneral = 0.03;
inline constexpr double kPublicPostPayLow = 1200.0;
inline constexpr double kPublicPostPayHigh = 1600.0;
//! Gross farm and livestock income: base per household + per labour unit, log sigma; cost
//! share of gross (estimate, calibrated so that net income per person matches the anchors).
inline constexpr double kFarmBase = 6000.0;
inline constexpr double kFarmPerLabour = 24000.0;
inline constexpr double kFarmSigma = 0.40;
inline constexpr double kFarmCostLow = 0.30;
inline constexpr double kFarmCostHigh = 0.45;
//! Property income: land rent when the household has little labour; otherwise the chance
//! of some rent; 脱贫户 collective-asset dividends (estimate).
inline constexpr double kLandRentLow = 1500.0, kLandRentHigh = 4000.0;
inline constexpr double kSomeRentShare = 0.35;
inline constexpr double kDividendShare = 0.6, kDividendLow = 300.0, kDividendHigh = 1500.0;
//! Transfers: basic pension from 60 (per month); subsidies per household per year (farmland,
//! grain, ecological compensation; households with a farm); remittances of family members
//! living away (share; share when the head is 60 or older or nobody can farm; range)
//! (estimates from Xinjiang standards of 2023-2024).
inline constexpr double kPensionMonthly = 250.0;
inline constexpr int kPensionAge = 60;
inline constexpr double kSubsidyLow = 1000.0, kSubsidyHigh = 4000.0;
inline constexpr double kRemittanceShare = 0.50, kRemittanceShareElderly = 0.80;
inline constexpr double kRemittanceLow = 3000.0, kRemittanceHigh = 14000.0;
//! 低保: yearly standard per person (estimate of Xinjiang's rural standard), take-up, floor of
//! the monthly benefit per person; 特困 yearly support; disability subsidies per month.
inline constexpr double kDibaoStandard = 5800.0;
inline constexpr double kDibaoTakeUp = 0.85;
inline constexpr double kDibaoFloorMonthly = 80.0;
inline constexpr double kTekunYearly = 8000.0;
inline constexpr double kDisabilityLivingSubsidy = 100.0;  // 困难残疾人生活补贴
inline constexpr double kDisabilityCareSubsidy = 100.0;    // 重度残疾人护理补贴 (grade 1-2)

// ---- Health care ------------------------------------------------------------------------

//! Annual hospital admission rate by age band [0,5) [5,15) [15,45) [45,60) [60,70) [70,∞)
//! (shape: national pattern; level: calibrated to 17.5% of residents per year, 2022 national
//! statistical bulletin on health).
inline constexpr std::array<double, 6> kAdmissionByAge = {0.19, 0.055, 0.09, 0.16, 0.28, 0.40};
//! Extra admissions for women 20-39 (childbirth).
inline constexpr double kAdmissionMaternity = 0.05;
//! Multipliers for 长期慢性病, 患有大病, 残疾.
inline constexpr double kAdmissionChronic = 1.6, kAdmissionSerious = 3.0, kAdmissionDisabled = 1.3;
//! Total cost of one stay: log-normal median and sigma; ordinary stay and stay of a person with
//! 患有大病 (estimate; the national mean per stay was 10,860.6 yuan in 2022, rural residents
//! mostly use township and county hospitals, which are cheaper).
inline constexpr double kStayMedian = 3800.0, kStaySigma = 0.85;
inline constexpr double kSeriousStayMedian = 18000.0, kSeriousStaySigma = 0.8;
inline constexpr double kOnsetStayMedian = 35000.0, kOnsetStaySigma = 0.7;
//! Onset of a serious illness (患有大病) per year by the age bands of kAdmissionByAge (estimate).
inline constexpr std::array<double, 6> kSeriousOnsetByAge = {0.001, 0.001, 0.0015, 0.005, 0.010, 0.014};
//! Monthly outpatient treatment of serious illness (门诊慢特病): chance per month, cost (estimate).
inline constexpr double kSpecialOutpatient = 0.5;
inline constexpr double kOutpatientMedian = 1200.0, kOutpatientSigma = 0.6;
//! Monthly self-paid medicine of a chronic patient (not in any feed) (estimate).
inline constexpr double kChronicSelfPayLow = 30.0, kChronicSelfPayHigh = 150.0;
//! Share of the bill inside the insurance catalogue (政策范围内) (estimate).
inline constexpr double kInPolicyLow = 0.80, kInPolicyHigh = 0.92;
//! Basic insurance by hospital level (township, county, higher): deductible, rate of the
//! in-policy amount above it (Xinjiang resident insurance ≈ 70% on average in policy).
inline constexpr std::array<double, 3> kDeductible = {200.0, 500.0, 1000.0};
inline constexpr std::array<double, 3> kBasicRate = {0.85, 0.72, 0.60};
inline constexpr double kTuopinRateBonus = 0.05;
inline constexpr double kOutpatientRate = 0.60;
//! Critical-illness insurance: yearly threshold (about half of the income per person of the
//! previous year; halved for 脱贫/低保/特困), rate above it.
inline constexpr double kCriticalThreshold = 8000.0, kCriticalThresholdTuopin = 4000.0;
inline constexpr double kCriticalRate = 0.60, kCriticalRateTuopin = 0.65;
//! Medical assistance for 低保 (70%) and 特困 (100%) of the remaining in-policy self-pay,
//! yearly cap (estimate).
inline constexpr double kAssistDibao = 0.70, kAssistTekun = 1.0, kAssistCap = 30000.0;

// ---- Life events -------------------------------------------------------------------------

//! Death: yearly probability below 40 (infants separately), then Gompertz from 40 (estimate
//! giving a crude death rate of about 5 per mille for this young population).
inline constexpr double kDeathInfant = 0.006, kDeathYoung = 0.0008;
inline constexpr double kDeathAt40 = 0.0016, kDeathGompertz = 0.09;
inline constexpr double kDeathSeriousFactor = 6.0, kDeathSevereDisabilityFactor = 2.0;
//! Yearly births per woman 20-29, 30-34, 35-39 living with a husband (estimate, crude birth
//! rate about 10 per mille).
inline constexpr std::array<double, 3> kFertility = {0.11, 0.06, 0.025};
//! Marriage: a daughter (20-32) moves out; a son (22-35) brings a wife in (estimate).
inline constexpr double kDaughterMarriesOut = 0.08, kSonMarriesOut = 0.015;
inline constexpr double kWifeMovesIn = 0.07;
//! New disability per year by age band [0,45) [45,65) [65,∞); upgrade and renewal of an
//! existing certificate (estimate).
inline constexpr std::array<double, 3> kDisabilityOnset = {0.001, 0.003, 0.008};
inline constexpr double kDisabilityUpgrade = 0.01, kDisabilityRenewal = 0.05;

// ---- Work shocks ----------------------------------------------------------------------------

//! Monthly chance that a migrant loses the job; monthly chance of finding one again (estimate:
//! spells of about 3 months); share of 脱贫 job-seekers placed on a public-welfare post.
inline constexpr double kJobLossMonthly = 0.015;
inline constexpr double kReemployMonthly = 0.35;
inline constexpr double kPublicPostOnReemploy = 0.25;
//! Monthly chance that someone working locally starts a job away (estimate).
inline constexpr double kNewJobMonthly = 0.004;
//! Business failure per year for a household with farm/business income; income left (estimate).
inline constexpr double kBusinessFailure = 0.02;
inline constexpr double kBusinessLeftLow = 0.2, kBusinessLeftHigh = 0.6;

// ---- Schooling --------------------------------------------------------------------------------

//! Dropout per year: 初中, 高中/中职 (estimate; 九年义务教育巩固率 95.5% nationally in 2022).
inline constexpr double kDropoutJunior = 0.004, kDropoutUpper = 0.02;
//! Fees per school year (学费及其他费用): 高中/中职 (tuition free in the south), 高职/大专,
//! 本科 (estimate); grant for 脱贫/低保 students in higher education (国家助学金 ≈ 3,300).
inline constexpr std::array<double, 2> kFeeUpper = {300.0, 1200.0};
inline constexpr std::array<double, 2> kFeeCollege = {5000.0, 7500.0};
inline constexpr std::array<double, 2> kFeeBachelor = {5500.0, 8000.0};
inline constexpr double kStudentGrant = 3300.0;

// ---- Housing and water ------------------------------------------------------------------------

//! House damage outside disasters per year; share graded D (else C); routine checks per month.
inline constexpr double kHouseDamage = 0.002, kHouseDamageD = 0.3;
inline constexpr double kHouseRoutineCheck = 0.002;

// ---- Disasters (per township and month) -------------------------------------------------------

//! Types: 洪涝, 风雹, 大风沙尘, 低温冷冻, 旱灾, 地震. Monthly chance per township in the months
//! where the type occurs (estimate: about 30% of townships see a disaster with household losses
//! each year).
inline constexpr std::array<double, 6> kDisasterMonthly = {0.02, 0.025, 0.01, 0.02, 0.008, 0.002};
//! Median loss per affected household and log sigma (estimate).
inline constexpr std::array<double, 6> kDisasterLossMedian = {5000, 3000, 2000, 3500, 2500, 12000};
inline constexpr double kDisasterLossSigma = 0.9;
//! Share of the loss that is lost farm income (the rest: houses, animals, tools).
inline constexpr std::array<double, 6> kDisasterCropShare = {0.6, 1.0, 0.8, 1.0, 1.0, 0.2};
//! Share of a township's households affected: low, high (earthquakes: higher) (estimate).
inline constexpr double kAffectedLow = 0.10, kAffectedHigh = 0.60;
//! Temporary assistance after a severe loss: chance, amount range (estimate).
inline constexpr double kReliefChance = 0.5, kReliefLow = 1000.0, kReliefHigh = 3000.0;

// ---- Epidemic-like episode --------------------------------------------------------------------

//! Share of counties affected, length in months, wage factor away / at home, farm factor,
//! job-loss multiplier (estimate, shaped on the 2022 lockdowns in southern Xinjiang).
inline constexpr double kEpidemicCountyShare = 0.5;
inline constexpr int kEpidemicMonthsLow = 2, kEpidemicMonthsHigh = 3;
inline constexpr double kEpidemicWageAway = 0.4, kEpidemicWageHome = 0.7, kEpidemicFarm = 0.8;
inline constexpr double kEpidemicJobLossFactor = 4.0;

// ---- Social assistance dynamics -------------------------------------------------------------

//! Monthly chance that a household under the 低保 standard after a shock is granted 低保;
//! temporary assistance after a month with self-pay above the amount (chance, range) (estimate).
inline constexpr double kDibaoGrantMonthly = 0.25;
inline constexpr double kTempAssistSelfPay = 10000.0;
inline constexpr double kTempAssistChance = 0.3, kTempAssistLow = 1000.0, kTempAssistHigh = 5000.0;

// ---- Feeds ----------------------------------------------------------------------------------

//! Chance that a feed row carries a deliberate fault (bad checksum, name typo, unknown person,
//! duplicate).
inline constexpr double kFaultRate = 0.0015;
//! Feed files are XLSX only while the run has at most this many households (an XLSX sheet
//! holds 1,048,576 rows).
inline constexpr long kXlsxMaxHouseholds = 2'000'000;

}  // namespace hearth::gen::params
