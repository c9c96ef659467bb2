#include "findings/findings.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "core/id_number.h"
#include "core/messages.h"

namespace hearth {
namespace {

using Json = nlohmann::json;

const std::string kA = "653221198001020011";  // head
const std::string kB = "653221198203040021";  // spouse
const std::string kC = "653221201409010031";  // child
const Date kAsOf = Date::FromCivil(2025, 6, 30);

Date D(int y, int m, int d) { return Date::FromCivil(y, m, d); }

Policy TestPolicy() {
  Policy p;
  p.name = "test";
  p.lines = {{"65", 2021, Money::FromYuan(6000), "t"}, {"65", 2024, Money::FromYuan(6000), "t"}};
  p.findings.assistance_income_factor = Decimal{15, 1};
  return p;
}

PersonRecord Person(const std::string& id, Relation relation, Date birth, Schooling schooling) {
  PersonRecord p;
  p.household_code = "H1";
  p.id_number = id;
  p.name = id == kA ? "阿卜杜拉" : id == kB ? "布再乃普" : "小明";
  p.birth_date = birth;
  p.relation = relation;
  p.schooling = schooling;
  return p;
}

// Three living members, 2024 net income 30,000 yuan (10,000 per person: above the line of
// 6,000 and below 1.5 x 6,000), house B, no feed events.
HouseholdFacts BaseFacts() {
  HouseholdFacts f;
  f.household.household_code = "H1";
  f.household.village_code = "653221100201";
  f.household.housing_grade = 'B';
  f.members = {Person(kA, Relation::kHead, D(1980, 1, 2), Schooling::kNotInSchool),
               Person(kB, Relation::kSpouse, D(1982, 3, 4), Schooling::kNotInSchool),
               Person(kC, Relation::kChild, D(2014, 9, 1), Schooling::kPrimary)};
  IncomeRecord i;
  i.household_code = "H1";
  i.year = 2024;
  i.wage = Money::FromYuan(30000);
  f.incomes = {i};
  return f;
}

void AddEvent(HouseholdFacts& f, std::string type, std::string person, Date effective, Json payload) {
  EventRecord e;
  e.id = static_cast<int64_t>(f.events.size()) + 1;
  e.type = std::move(type);
  e.household_code = "H1";
  e.person_id_number = std::move(person);
  e.effective = effective;
  e.payload = payload.dump();
  e.event_key = "k" + std::to_string(e.id);
  f.events.push_back(std::move(e));
  std::stable_sort(f.events.begin(), f.events.end(),
                   [](const EventRecord& a, const EventRecord& b) { return a.effective < b.effective; });
}

void Death(HouseholdFacts& f, const std::string& person, Date on) {
  AddEvent(f, "registration.change", person, on, {{"change", "死亡"}, {"changed", on.ToIso()}});
}

// 公安's move out; `elsewhere`: as the store gives a move into another household (KeepMembersGone).
void MoveOut(HouseholdFacts& f, const std::string& person, Date on, bool elsewhere = false) {
  Json p = {{"change", "迁出"}, {"changed", on.ToIso()}};
  if (elsewhere) p["moved_in_elsewhere"] = true;
  AddEvent(f, "registration.change", person, on, p);
}

void Grant(HouseholdFacts& f, const std::string& person, const std::string& type, Date start,
           std::optional<Date> end) {
  Json p = {{"type", type}, {"start", start.ToIso()}, {"monthly", 50000}};
  p["end"] = end ? Json(end->ToIso()) : Json();
  AddEvent(f, "assistance.grant", person, start, p);
}

void School(HouseholdFacts& f, const std::string& person, Date on, const std::string& status,
            const std::string& stage = "小学") {
  AddEvent(f, "school.status", person, on, {{"stage", stage}, {"status", status}, {"school_year", 2024}});
}

void Enrolment(HouseholdFacts& f, const std::string& person, Date on, const std::string& status) {
  AddEvent(f, "medical.enrolment", person, on, {{"year", 2025}, {"status", status}});
}

void Appraisal(HouseholdFacts& f, Date on, const std::string& grade) {
  AddEvent(f, "housing.appraisal", "", on, {{"appraised", on.ToIso()}, {"grade", grade}});
}

void SetNet(HouseholdFacts& f, int64_t fen) { f.incomes[0].wage = Money::FromFen(fen); }

void SetChildBirth(HouseholdFacts& f, Date birth) { f.members[2].birth_date = birth; }

// "A", "B", "C" for the members' ID numbers; anything else as it is.
std::string Who(const std::string& id) {
  if (id == kA) return "A";
  if (id == kB) return "B";
  return id == kC ? "C" : id;
}

std::string Key(const FindingRecord& f) { return f.type + "|" + Who(f.person_id_number) + "|" + Who(f.subject); }

struct Case {
  std::string name;
  std::function<void(HouseholdFacts&)> setup;
  std::set<std::string> want;
  Date as_of = kAsOf;
};

const Date kSchoolDay = D(2025, 3, 1);

std::vector<Case> Cases() {
  return {
      {"nothing", [](HouseholdFacts&) {}, {}},
      // --- deaths ---
      {"dead_still_member", [](HouseholdFacts& f) { Death(f, kA, D(2025, 3, 12)); },
       {"dead_still_member|A|"}},
      {"death_after_as_of_ignored", [](HouseholdFacts& f) { Death(f, kA, D(2025, 7, 1)); }, {}},
      {"death_of_non_member_is_no_member_finding", [](HouseholdFacts& f) { Death(f, "653221195001010012", D(2025, 1, 1)); },
       {}},
      {"dead_with_ongoing_grant",
       [](HouseholdFacts& f) {
         Grant(f, kA, "低保", D(2024, 1, 1), std::nullopt);
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|", "dead_receiving_assistance|A|低保|2024-01-01"}},
      {"dead_grant_ended_after_death",
       [](HouseholdFacts& f) {
         Grant(f, kA, "临时救助", D(2025, 1, 1), D(2025, 3, 13));
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|", "dead_receiving_assistance|A|临时救助|2025-01-01"}},
      {"dead_grant_ended_on_death_day",
       [](HouseholdFacts& f) {
         Grant(f, kA, "特困", D(2024, 1, 1), D(2025, 3, 12));
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|"}},
      // 低保 and 特困 are paid for the month of the death and stop from the next.
      {"dead_grant_stopped_at_end_of_death_month",
       [](HouseholdFacts& f) {
         Grant(f, kA, "低保", D(2024, 1, 1), D(2025, 3, 31));
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|"}},
      {"dead_grant_ran_into_the_next_month",
       [](HouseholdFacts& f) {
         Grant(f, kA, "低保", D(2024, 1, 1), D(2025, 4, 1));
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|", "dead_receiving_assistance|A|低保|2024-01-01"}},
      {"dead_grant_started_after_death",
       [](HouseholdFacts& f) {
         Death(f, kA, D(2025, 3, 12));
         Grant(f, kA, "临时救助", D(2025, 4, 1), D(2025, 4, 1));
       },
       {"dead_still_member|A|", "dead_receiving_assistance|A|临时救助|2025-04-01"}},
      {"dead_one_off_temporary_assistance_paid_before_death",  // no end date: paid once, on 2025-03-01
       [](HouseholdFacts& f) {
         Grant(f, kA, "临时救助", D(2025, 3, 1), std::nullopt);
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|"}},
      {"dead_one_off_temporary_assistance_paid_after_death",
       [](HouseholdFacts& f) {
         Grant(f, kA, "临时救助", D(2025, 3, 20), std::nullopt);
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|", "dead_receiving_assistance|A|临时救助|2025-03-20"}},
      {"moved_out_still_member", [](HouseholdFacts& f) { MoveOut(f, kA, D(2025, 3, 12)); },
       {"moved_out_still_member|A|"}},
      {"moved_into_another_household_still_member", [](HouseholdFacts& f) { MoveOut(f, kA, D(2025, 3, 12), true); },
       {"moved_out_still_member|A|"}},
      {"moved_out_after_as_of", [](HouseholdFacts& f) { MoveOut(f, kA, D(2025, 7, 1)); }, {}},
      {"moved_out_and_back",  // the latest change decides: here again, nothing to fix
       [](HouseholdFacts& f) {
         MoveOut(f, kA, D(2025, 3, 1));
         AddEvent(f, "registration.change", kA, D(2025, 4, 1), {{"change", "迁入"}, {"changed", "2025-04-01"}});
       },
       {}},
      {"moved_back_after_as_of",
       [](HouseholdFacts& f) {
         MoveOut(f, kA, D(2025, 3, 1));
         AddEvent(f, "registration.change", kA, D(2025, 7, 1), {{"change", "迁入"}, {"changed", "2025-07-01"}});
       },
       {"moved_out_still_member|A|"}},
      {"newborn_moved_out_and_back_uninsured",
       [](HouseholdFacts& f) {
         AddEvent(f, "registration.change", "NEWBORN", D(2025, 2, 1), {{"change", "出生"}, {"changed", "2025-02-01"}});
         MoveOut(f, "NEWBORN", D(2025, 3, 1));
         AddEvent(f, "registration.change", "NEWBORN", D(2025, 4, 1), {{"change", "迁入"}, {"changed", "2025-04-01"}});
         Enrolment(f, "NEWBORN", D(2025, 5, 1), "未参保");
       },
       {"member_uninsured|NEWBORN|"}},
      {"moved_out_then_died",  // the death says it all
       [](HouseholdFacts& f) {
         MoveOut(f, kA, D(2025, 3, 1));
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|"}},
      // A newborn 公安 placed here, not registered yet, reported uninsured: found too.
      {"newborn_not_registered_uninsured",
       [](HouseholdFacts& f) {
         AddEvent(f, "registration.change", "NEWBORN", D(2025, 2, 1), {{"change", "出生"}, {"changed", "2025-02-01"}});
         Enrolment(f, "NEWBORN", D(2025, 3, 1), "未参保");
       },
       {"member_uninsured|NEWBORN|"}},
      {"newborn_died_not_uninsured",
       [](HouseholdFacts& f) {
         AddEvent(f, "registration.change", "NEWBORN", D(2025, 2, 1), {{"change", "出生"}, {"changed", "2025-02-01"}});
         Enrolment(f, "NEWBORN", D(2025, 3, 1), "未参保");
         Death(f, "NEWBORN", D(2025, 4, 1));
       },
       {}},
      {"dead_person_not_uninsured",
       [](HouseholdFacts& f) {
         Enrolment(f, kA, D(2025, 1, 1), "停保");
         Death(f, kA, D(2025, 3, 12));
       },
       {"dead_still_member|A|"}},
      // --- school: age at the report's date; registry says in school ---
      {"age_5_not_compulsory",
       [](HouseholdFacts& f) { SetChildBirth(f, D(2019, 3, 2)); School(f, kC, kSchoolDay, "辍学"); }, {}},
      {"age_6", [](HouseholdFacts& f) { SetChildBirth(f, D(2019, 3, 1)); School(f, kC, kSchoolDay, "辍学"); },
       {"child_out_of_school|C|"}},
      {"age_15", [](HouseholdFacts& f) { SetChildBirth(f, D(2009, 3, 2)); School(f, kC, kSchoolDay, "辍学"); },
       {"child_out_of_school|C|"}},
      {"age_15_in_junior_middle",
       [](HouseholdFacts& f) { SetChildBirth(f, D(2009, 3, 2)); School(f, kC, kSchoolDay, "辍学", "初中"); },
       {"child_out_of_school|C|"}},
      {"age_15_leaving_vocational_school_is_not_compulsory",
       [](HouseholdFacts& f) { SetChildBirth(f, D(2009, 3, 2)); School(f, kC, kSchoolDay, "辍学", "中职"); }, {}},
      {"age_15_leaving_senior_high_is_not_compulsory",
       [](HouseholdFacts& f) { SetChildBirth(f, D(2009, 3, 2)); School(f, kC, kSchoolDay, "辍学", "高中"); }, {}},
      {"age_7_leaving_preschool_is_not_compulsory",
       [](HouseholdFacts& f) { SetChildBirth(f, D(2018, 1, 1)); School(f, kC, kSchoolDay, "辍学", "学前"); }, {}},
      {"age_16_not_compulsory",
       [](HouseholdFacts& f) { SetChildBirth(f, D(2009, 3, 1)); School(f, kC, kSchoolDay, "辍学"); }, {}},
      {"registry_says_out_of_school",
       [](HouseholdFacts& f) {
         f.members[2].schooling = Schooling::kOutOfSchool;
         School(f, kC, kSchoolDay, "辍学");
       },
       {}},
      {"returned_to_school",
       [](HouseholdFacts& f) {
         School(f, kC, kSchoolDay, "辍学");
         School(f, kC, D(2025, 4, 1), "在校");
       },
       {}},
      {"return_after_as_of_ignored",
       [](HouseholdFacts& f) {
         School(f, kC, kSchoolDay, "辍学");
         School(f, kC, D(2025, 9, 1), "在校");
       },
       {"child_out_of_school|C|"}},
      {"suspended_is_not_dropout", [](HouseholdFacts& f) { School(f, kC, kSchoolDay, "休学"); }, {}},
      // --- insurance ---
      {"uninsured", [](HouseholdFacts& f) { Enrolment(f, kB, D(2025, 1, 1), "未参保"); },
       {"member_uninsured|B|"}},
      {"stopped", [](HouseholdFacts& f) { Enrolment(f, kB, D(2025, 1, 1), "停保"); }, {"member_uninsured|B|"}},
      {"enrolled_again",
       [](HouseholdFacts& f) {
         Enrolment(f, kB, D(2025, 1, 1), "停保");
         Enrolment(f, kB, D(2025, 2, 1), "参保");
       },
       {}},
      // --- housing ---
      {"house_c", [](HouseholdFacts& f) { Appraisal(f, D(2025, 2, 1), "C"); }, {"house_unsafe||"}},
      {"house_d", [](HouseholdFacts& f) { Appraisal(f, D(2025, 2, 1), "D"); }, {"house_unsafe||"}},
      {"house_b", [](HouseholdFacts& f) { Appraisal(f, D(2025, 2, 1), "B"); }, {}},
      // Two rows of one day (one under a member's ID number): the worst grade stands, in either order.
      {"house_d_then_b_same_day",
       [](HouseholdFacts& f) {
         Appraisal(f, D(2025, 2, 1), "D");
         Appraisal(f, D(2025, 2, 1), "B");
       },
       {"house_unsafe||"}},
      {"house_b_then_c_same_day",
       [](HouseholdFacts& f) {
         Appraisal(f, D(2025, 2, 1), "B");
         Appraisal(f, D(2025, 2, 1), "C");
       },
       {"house_unsafe||"}},
      {"house_repaired",
       [](HouseholdFacts& f) {
         Appraisal(f, D(2024, 2, 1), "D");
         Appraisal(f, D(2025, 2, 1), "A");
       },
       {}},
      // --- income against the line (3 living members, line 6,000) ---
      {"exactly_at_line", [](HouseholdFacts& f) { SetNet(f, 1'800'000); }, {}},
      // 17,999.99 / 3 rounds to 6,000.00: dividing would miss it, multiplying does not.
      {"one_fen_below_line", [](HouseholdFacts& f) { SetNet(f, 1'799'999); }, {"below_line_no_assistance||"}},
      {"below_line_with_dibao_ending_today",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "低保", D(2024, 1, 1), kAsOf);
       },
       {}},
      {"below_line_dibao_ended_yesterday",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "低保", D(2024, 1, 1), D(2025, 6, 29));
       },
       {"below_line_no_assistance||"}},
      {"below_line_recent_temporary_assistance",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "临时救助", D(2024, 7, 1), D(2024, 7, 1));
       },
       {}},
      {"below_line_old_temporary_assistance",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "临时救助", D(2024, 6, 1), D(2024, 6, 29));
       },
       {"below_line_no_assistance||"}},
      // 临时救助 is paid once: without an end date it counts on its start date, not for ever.
      {"below_line_old_temporary_assistance_without_end",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "临时救助", D(2024, 6, 1), std::nullopt);
       },
       {"below_line_no_assistance||"}},
      {"below_line_recent_temporary_assistance_without_end",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "临时救助", D(2024, 7, 1), std::nullopt);
       },
       {}},
      {"below_line_future_dibao_ignored",
       [](HouseholdFacts& f) {
         SetNet(f, 1'000'000);
         Grant(f, kA, "低保", D(2025, 7, 1), std::nullopt);
       },
       {"below_line_no_assistance||"}},
      {"dead_member_not_counted",  // 17,000 over 2 living members is 8,500: not below
       [](HouseholdFacts& f) {
         SetNet(f, 1'700'000);
         Death(f, kA, D(2025, 1, 5));
       },
       {"dead_still_member|A|"}},
      {"no_line_for_income_year",
       [](HouseholdFacts& f) {
         SetNet(f, 100);
         f.incomes[0].year = 2019;
       },
       {}},
      {"income_year_after_as_of_ignored",
       [](HouseholdFacts& f) {
         SetNet(f, 100);
         f.incomes[0].year = 2026;
       },
       {}},
      // --- assistance while income is high (factor 1.5: 9,000 per person, 27,000 in all) ---
      {"factor_times_line_exactly",
       [](HouseholdFacts& f) {
         SetNet(f, 2'700'000);
         Grant(f, kB, "低保", D(2024, 1, 1), std::nullopt);
       },
       {}},
      {"one_fen_above_factor",
       [](HouseholdFacts& f) {
         SetNet(f, 2'700'001);
         Grant(f, kB, "低保", D(2024, 1, 1), std::nullopt);
       },
       {"assistance_income_high|B|低保"}},
      {"tekun_ending_today_is_active",
       [](HouseholdFacts& f) {
         SetNet(f, 5'000'000);
         Grant(f, kB, "特困", D(2024, 1, 1), kAsOf);
       },
       {"assistance_income_high|B|特困"}},
      {"grant_ended_before_as_of",
       [](HouseholdFacts& f) {
         SetNet(f, 5'000'000);
         Grant(f, kB, "低保", D(2024, 1, 1), D(2025, 6, 29));
       },
       {}},
      {"temporary_assistance_not_checked_against_income",
       [](HouseholdFacts& f) {
         SetNet(f, 5'000'000);
         Grant(f, kB, "临时救助", D(2025, 6, 1), std::nullopt);
       },
       {}},
      // --- registry ---
      {"in_two_households", [](HouseholdFacts& f) { f.shared = {{kB, "布再乃普", {"H1", "H2"}}}; },
       {"person_in_two_households|B|B"}},
  };
}

TEST(DeriveFindingsTest, EveryTypeAndBoundary) {
  const Policy policy = TestPolicy();
  for (const Case& c : Cases()) {
    HouseholdFacts facts = BaseFacts();
    c.setup(facts);
    std::set<std::string> got;
    for (const FindingRecord& f : DeriveFindings(facts, policy, c.as_of)) {
      got.insert(Key(f));
      EXPECT_EQ(f.household_code, "H1") << c.name;
      EXPECT_EQ(f.village_code, "653221100201") << c.name;
      EXPECT_EQ(f.opened, c.as_of) << c.name;
      EXPECT_TRUE(Json::parse(f.params).is_object()) << c.name;
      EXPECT_TRUE(IsFindingType(f.type)) << c.name;
    }
    EXPECT_EQ(got, c.want) << c.name;
  }
}

TEST(DeriveFindingsTest, SeverityAndParamsHoldBothSources) {
  HouseholdFacts facts = BaseFacts();
  SetNet(facts, 2'700'001);
  Grant(facts, kB, "低保", D(2024, 1, 1), std::nullopt);
  Death(facts, kA, D(2025, 3, 12));  // two living members now: 13,500.005 per person
  Appraisal(facts, D(2025, 2, 1), "D");
  std::vector<FindingRecord> found = DeriveFindings(facts, TestPolicy(), kAsOf);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].type, "dead_still_member");
  EXPECT_EQ(found[0].severity, 1);
  Json dead = Json::parse(found[0].params);
  EXPECT_EQ(dead["died"], "2025-03-12");
  EXPECT_EQ(dead["registry_relation"], "head");
  EXPECT_EQ(found[1].type, "house_unsafe");
  EXPECT_EQ(found[1].severity, 1);
  EXPECT_EQ(found[1].person_id_number, "");
  Json house = Json::parse(found[1].params);
  EXPECT_EQ(house["grade"], "D");
  EXPECT_EQ(house["registry_housing_grade"], "B");
  EXPECT_EQ(found[2].type, "assistance_income_high");
  EXPECT_EQ(found[2].severity, 2);
  Json high = Json::parse(found[2].params);
  EXPECT_EQ(high["grant_type"], "低保");
  EXPECT_EQ(high["start"], "2024-01-01");
  EXPECT_TRUE(high["end"].is_null());
  EXPECT_EQ(high["net_fen"], 2'700'001);
  EXPECT_EQ(high["members"], 2);
  EXPECT_EQ(high["line_fen"], 600'000);
  EXPECT_EQ(high["threshold_fen"], 900'000);
  EXPECT_EQ(high["factor"], "1.5");
  // Deterministic: the same facts give the same findings, byte for byte.
  std::vector<FindingRecord> again = DeriveFindings(facts, TestPolicy(), kAsOf);
  ASSERT_EQ(again.size(), found.size());
  for (size_t i = 0; i < found.size(); ++i) EXPECT_EQ(again[i].params, found[i].params);
}

TEST(DeriveFindingsTest, ThresholdsComeFromThePolicy) {
  Policy policy = TestPolicy();
  policy.findings.assistance_income_factor = Decimal{2, 0};
  policy.findings.school_age_to = 16;
  policy.lines.push_back({"653221", 2024, Money::FromYuan(7000), "county override"});
  HouseholdFacts facts = BaseFacts();
  SetNet(facts, 2'099'999);  // 6,999.99... per person: below the county's 7,000
  SetChildBirth(facts, D(2009, 3, 1));
  School(facts, kC, kSchoolDay, "辍学");
  std::set<std::string> got;
  for (const FindingRecord& f : DeriveFindings(facts, policy, kAsOf)) got.insert(Key(f));
  EXPECT_EQ(got, (std::set<std::string>{"child_out_of_school|C|", "below_line_no_assistance||"}));
}

std::string Label(const std::string& id) { return "阿卜杜拉（" + MaskIdNumber(id) + "）"; }

// An enrolment status holds since the day 医保 gave, else as of the file it came in: the day a
// file arrived is never told as the day the status began.
TEST(RenderFindingTest, UninsuredSinceTheDayGivenElseAsOfTheFile) {
  for (const bool dated : {true, false}) {
    HouseholdFacts facts = BaseFacts();
    Json payload = {{"year", 2025}, {"status", "停保"}};
    if (dated) payload["changed"] = "2025-01-15";
    AddEvent(facts, "medical.enrolment", kB, D(2025, 2, 1), payload);
    std::vector<FindingRecord> found = DeriveFindings(facts, TestPolicy(), kAsOf);
    ASSERT_EQ(found.size(), 1u);
    SetLanguage(Lang::kZh);
    const std::string text = RenderFinding(found[0], Label);
    EXPECT_NE(text.find(dated ? "停保（自 2025-01-15 起）" : "停保（截至 2025-02-01）"), std::string::npos) << text;
  }
}

// The worst grade of a day stands, whatever the order the rows were stored in; a one-off
// 临时救助 after a death is told as one payment, not as a monthly grant to stop.
TEST(DeriveFindingsTest, WorstGradeOfADayAndAOneOffPaymentAfterADeath) {
  HouseholdFacts facts = BaseFacts();
  Appraisal(facts, D(2025, 2, 1), "D");
  Appraisal(facts, D(2025, 2, 1), "B");
  Death(facts, kA, D(2025, 3, 12));
  Grant(facts, kA, "临时救助", D(2025, 3, 20), std::nullopt);
  bool house = false, paid = false;
  for (const FindingRecord& f : DeriveFindings(facts, TestPolicy(), kAsOf)) {
    if (f.type == "house_unsafe") {
      house = true;
      EXPECT_NE(f.params.find("\"grade\":\"D\""), std::string::npos) << f.params;
    }
    if (f.type == "dead_receiving_assistance") {
      paid = true;
      SetLanguage(Lang::kZh);
      const std::string text = RenderFinding(f, Label);
      EXPECT_NE(text.find("在其死亡之后向其发放了临时救助（2025-03-20"), std::string::npos) << text;
      EXPECT_EQ(text.find("每月"), std::string::npos) << text;
      EXPECT_EQ(text.find("停发"), std::string::npos) << text;
    }
  }
  EXPECT_TRUE(house);
  EXPECT_TRUE(paid);
}

TEST(RenderFindingTest, SentencesInBothLanguages) {
  HouseholdFacts facts = BaseFacts();
  Death(facts, kA, D(2025, 3, 12));
  SetNet(facts, 1'000'000);  // 5,000 per living member
  facts.shared = {{kB, "布再乃普", {"H1", "H2"}}};
  std::vector<FindingRecord> found = DeriveFindings(facts, TestPolicy(), kAsOf);
  ASSERT_EQ(found.size(), 3u);
  struct Case {
    Lang lang;
    size_t index;
    std::vector<std::string> parts;
  } const cases[] = {
      {Lang::kZh, 0, {"公安户籍变动：阿卜杜拉（653221********0011） 于 2025-03-12 死亡", "户 H1", "户主", "减员"}},
      {Lang::kEn, 0, {"died on 2025-03-12", "household H1", "(head)"}},
      {Lang::kZh, 1, {"户 H1 2024 年", "5,000.00 元（2 人）", "监测线 6,000.00 元", "12 个月"}},
      {Lang::kEn, 1, {"5,000.00 yuan (members: 2)", "6,000.00 yuan"}},
      {Lang::kZh, 2, {"同时登记在户 H1 和户 H2"}},
  };
  for (const Case& c : cases) {
    SetLanguage(c.lang);
    std::string text = RenderFinding(found[c.index], Label);
    for (const std::string& part : c.parts) EXPECT_NE(text.find(part), std::string::npos) << text << " lacks " << part;
  }
  SetLanguage(Lang::kEn);
  EXPECT_EQ(FindingTypeLabel("house_unsafe"), "unsafe house");
  EXPECT_EQ(SeverityLabel(1), "high");
  SetLanguage(Lang::kZh);
  EXPECT_EQ(FindingTypeLabel("house_unsafe"), "住房不安全");
  EXPECT_EQ(FindingTypeLabel("no_such_type"), "no_such_type");
  for (std::string_view type : FindingTypes()) EXPECT_NE(FindingTypeLabel(type), type);
}

TEST(RenderFindingTest, EveryTypeRendersWithAmountsInYuan) {
  HouseholdFacts facts = BaseFacts();
  SetNet(facts, 3'000'000'00);
  Grant(facts, kB, "低保", D(2024, 1, 1), std::nullopt);
  Grant(facts, kA, "特困", D(2024, 1, 1), std::nullopt);
  Death(facts, kA, D(2025, 3, 12));
  School(facts, kC, kSchoolDay, "辍学");
  Enrolment(facts, kB, D(2025, 1, 1), "未参保");
  Appraisal(facts, D(2025, 2, 1), "C");
  facts.shared = {{kB, "布再乃普", {"H0", "H1"}}};
  MoveOut(facts, kC, D(2025, 4, 1), true);
  std::vector<FindingRecord> found = DeriveFindings(facts, TestPolicy(), kAsOf);
  std::set<std::string> types;
  for (const FindingRecord& f : found) {
    types.insert(f.type);
    std::string text = RenderFinding(f, Label);
    EXPECT_EQ(text.find("{"), std::string::npos) << text;
    EXPECT_EQ(text.find("未登记"), std::string::npos) << text;
    if (f.type == "assistance_income_high") {
      EXPECT_NE(text.find("1,500,000.00 元"), std::string::npos) << text;  // 3,000,000 / 2
      EXPECT_NE(text.find("每月 500.00 元"), std::string::npos) << text;
      EXPECT_NE(text.find("1.5 倍（9,000.00 元）"), std::string::npos) << text;
    }
    if (f.type == "child_out_of_school") {
      EXPECT_NE(text.find("2024-2025 学年"), std::string::npos) << text;
    }
    if (f.type == "moved_out_still_member") {
      EXPECT_NE(text.find("于 2025-04-01 迁出（迁入另一户），但仍登记为户"), std::string::npos) << text;
    }
  }
  EXPECT_EQ(types.size(), 8u) << "every type but below_line_no_assistance";
}

}  // namespace
}  // namespace hearth
