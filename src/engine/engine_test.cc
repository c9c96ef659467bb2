// Data-driven cases: a household's facts → the features, the rules that fire, the category,
// the risk types and the explanation, under the default policy. Boundaries are exact: at the
// line and one fen below, at a trigger and one fen under it.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <optional>

#include "core/messages.h"
#include "engine/explain.h"
#include "engine/payload.h"

namespace hearth {
namespace {

Date D(int y, int m, int d) { return Date::FromCivil(y, m, d); }

class EngineCase : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto policy = LoadDefaultPolicy(std::string(HEARTH_TEST_SRCDIR) + "/data");
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = new Policy(std::move(*policy));
    std::vector<PolicyProblem> problems;
    auto rules = RuleSet::Compile(*policy_, &problems);
    ASSERT_TRUE(rules.has_value()) << (problems.empty() ? "" : problems.front().message);
    rules_ = new RuleSet(std::move(*rules));
  }

  // A household in a Kashgar village with `n` ordinary members and the 2024 net income `net_fen`.
  static HouseholdFacts Household(bool tuopin, int n, int64_t net_fen) {
    HouseholdFacts f;
    f.household_ref = ++next_ref_;
    f.household.household_code = "H" + std::to_string(f.household_ref);
    f.household.village_code = "653101100201";
    f.household.type = tuopin ? HouseholdType::kTuopin : HouseholdType::kGeneral;
    for (int i = 0; i < n; ++i) {
      PersonRecord p;
      p.ref = f.household_ref * 100 + i;
      p.name = "成员" + std::to_string(i);
      p.id_number = "65310119800101" + std::to_string(1000 + i);
      p.birth_date = D(1980, 1, 1);
      p.relation = i == 0 ? Relation::kHead : Relation::kSpouse;
      f.members.push_back(p);
    }
    IncomeRecord income;
    income.year = 2024;
    income.wage = Money::FromFen(net_fen);
    f.incomes.push_back(income);
    return f;
  }

  static EventRecord Event(const HouseholdFacts& f, std::string type, Date effective, int64_t amount_fen,
                           std::string payload, int member = 0) {
    EventRecord e;
    e.id = ++next_event_;
    e.type = std::move(type);
    e.household_code = f.household.household_code;
    e.person_id_number = f.members[static_cast<size_t>(member)].id_number;
    e.effective = effective;
    e.amount = Money::FromFen(amount_fen);
    e.payload = std::move(payload);
    return e;
  }

  struct Outcome {
    FeatureRow row;
    Decision decision;
    WarningRecord warning;
    std::string text;
  };

  static Outcome Screen(const HouseholdFacts& f, Date as_of = D(2025, 1, 31)) {
    Engine engine(*rules_, EngineOptions{as_of, std::nullopt, "", {}});
    Outcome out;
    out.decision = engine.Update(f);
    out.row = engine.Row(out.decision.row);
    if (out.decision.category >= 0) {
      out.warning = engine.Warning(out.decision);
      out.text = RenderExplanation(out.warning, *policy_, [](int64_t ref) { return "P" + std::to_string(ref); });
    }
    return out;
  }

  static std::string Category(const Outcome& o) { return o.decision.category < 0 ? "" : o.warning.category; }

  static inline Policy* policy_ = nullptr;
  static inline RuleSet* rules_ = nullptr;
  static inline int64_t next_ref_ = 0;
  static inline int64_t next_event_ = 0;
};

// The line is 6,000 yuan (600,000 fen) per person in 2025; "within the range" is strictly below.
TEST_F(EngineCase, IncomeAgainstTheLineIsExactToTheFen) {
  struct {
    bool tuopin;
    int members;
    int64_t net_fen;
    std::string category;
  } const cases[] = {
      {true, 1, 600000, ""},           // at the line: not within the range
      {true, 1, 599999, "unstable"},   // one fen below
      {false, 2, 1200000, ""},         // 6,000.00 per person
      {false, 2, 1199999, "edge"},     // 5,999.995 per person: below, exactly
      {false, 3, 1799997, "edge"},
      {false, 3, 1800000, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.members << " members, " << c.net_fen << " fen");
    Outcome o = Screen(Household(c.tuopin, c.members, c.net_fen));
    EXPECT_EQ(Category(o), c.category);
    EXPECT_EQ(o.row.Get(Feature::kLine), 600000);
    EXPECT_EQ(o.row.Get(Feature::kIncome12m), c.net_fen);
    EXPECT_EQ(o.row.Get(Feature::kIncomePc12m), c.net_fen / c.members);
  }
}

// An explanation names a threshold by its trigger: the sentence follows the policy's value.
TEST_F(EngineCase, TriggerPlaceholdersShowThePolicysValues) {
  const struct {
    std::string placeholder;
    std::optional<std::string> text;
  } cases[] = {
      {"trigger.medical_selfpay_tuopin", "5,000"}, {"trigger.schooling_cost", "10,000"},
      {"trigger.rigid_share%", "50"},              {"trigger.income_kept_share", "0.7"},
      {"trigger.income_kept_share%", "70"},        {"trigger.medical_selfpay_tuopin%", std::nullopt},
      {"trigger.no_such", std::nullopt},           {"income_pc_12m", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(TriggerText(*policy_, c.placeholder), c.text) << c.placeholder;

  Policy changed = *policy_;
  for (Trigger& t : changed.triggers) {
    if (t.name == "medical_selfpay_tuopin") t.value = Decimal{123455, 1};  // 12,345.5 yuan
  }
  WarningRecord w;
  w.explanation = R"([{"rule":"medical_selfpay_tuopin","params":{"medical_selfpay_12m":1300000}}])";
  SetLanguage(Lang::kZh);
  EXPECT_EQ(RenderExplanation(w, changed, [](int64_t) { return std::string("?"); }),
            "脱贫户近12个月医疗自付合计 13,000 元，达到 12,345.50 元");
  EXPECT_EQ(RenderExplanation(w, *policy_, [](int64_t) { return std::string("?"); }),
            "脱贫户近12个月医疗自付合计 13,000 元，达到 5,000 元");
}

TEST_F(EngineCase, MedicalTriggersAndTheLargestStayExplained) {
  struct {
    bool tuopin;
    int64_t selfpay_fen;
    std::string visit;
    std::vector<std::string> rules;
  } const cases[] = {
      // Income 10,000 yuan for one person: what remains after rigid spending falls below the
      // 6,000 line from 4,000.01 yuan of self-pay on (rigid_below_line).
      {false, 400000, "门诊", {}},
      {false, 400001, "门诊", {"rigid_below_line"}},
      {true, 500000, "门诊", {"rigid_below_line", "medical_selfpay_tuopin"}},  // >= 5,000 for 脱贫 people
      {true, 499999, "门诊", {"rigid_below_line"}},
      {false, 500001, "住院", {"stay_over_income", "rigid_below_line"}},     // > 50 % of last year's 10,000
      {false, 500000, "住院", {"rigid_below_line"}},
      {true, 600001, "住院", {"stay_over_income", "rigid_below_line", "medical_selfpay_tuopin", "hospital_stay_large"}},
      {false, 2000000, "门诊", {"rigid_below_line", "medical_selfpay_general"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.selfpay_fen << " " << c.visit);
    HouseholdFacts f = Household(c.tuopin, 1, 1000000);
    f.events.push_back(Event(f, "medical.claim", D(2025, 1, 10), c.selfpay_fen,
                             R"({"visit_type":")" + c.visit + R"(","admitted":"2025-01-02","discharged":"2025-01-10"})"));
    Outcome o = Screen(f);
    EXPECT_EQ(o.warning.rules, c.rules);
    if (c.rules.empty()) continue;
    EXPECT_EQ(o.warning.category, "sudden");
    EXPECT_EQ(o.warning.risks, std::vector<std::string>{"illness"});
  }
  HouseholdFacts f = Household(false, 1, 1000000);
  f.events.push_back(Event(f, "medical.claim", D(2025, 1, 10), 3520000, R"({"visit_type":"住院"})"));
  Outcome o = Screen(f);
  EXPECT_NE(o.text.find("成员 P" + std::to_string(f.members[0].ref) + " 2025-01 住院自付 35,200 元，超过家庭上年纯收入 10,000 元的 50%"),
            std::string::npos)
      << o.text;
  // A claim discharged after the as-of date does not count yet.
  EXPECT_EQ(Category(Screen(f, D(2025, 1, 9))), "");
  // No stay, and a loss last year (business costs above income): "a stay above half of last
  // year's income" needs a stay.
  HouseholdFacts loss = Household(false, 1, -200000);
  const Outcome no_stay = Screen(loss);
  EXPECT_EQ(no_stay.row.Get(Feature::kMaxStaySelfpay), 0);
  EXPECT_LT(no_stay.row.Get(Feature::kIncomePrev12m), 0);
  EXPECT_EQ(std::count(no_stay.warning.rules.begin(), no_stay.warning.rules.end(), "stay_over_income"), 0);
}

TEST_F(EngineCase, DisasterJobLossAndMarkers) {
  {  // losses of 30 % of the previous 12 months' income, and one fen less
    HouseholdFacts f = Household(false, 1, 1000000);
    f.events.push_back(Event(f, "disaster.loss", D(2024, 9, 1), 300000, R"({"disaster_type":"洪涝"})"));
    // The loss is also subtracted from income: 7,000 left is exactly 0.7 of the previous 10,000.
    EXPECT_EQ(Screen(f).warning.rules, (std::vector<std::string>{"disaster_loss", "income_drop"}));
    f.events.back().amount = Money::FromFen(299999);
    EXPECT_EQ(Category(Screen(f)), "");
  }
  {  // a migrant worker lost a 4,000-yuan job on 2024-08-01 and found none: about 6 months lost
    HouseholdFacts f = Household(false, 1, 6000000);
    f.events.push_back(Event(f, "employment.status", D(2024, 2, 1), 400000,
                             R"({"status":"失业","start":"2023-03-01","end":"2024-08-01"})"));
    Outcome o = Screen(f);
    EXPECT_EQ(o.row.Get(Feature::kJoblessMembers), 1);
    EXPECT_EQ(o.row.Get(Feature::kIncome12m), 6000000 - 400000LL * 183 * 12 / 365);
    // 60,000 yuan before, 35,934.25 after: down 40 %, at most 0.7 of the previous 12 months.
    EXPECT_EQ(o.warning.rules, std::vector<std::string>{"income_drop_job_loss"}) << o.text;
    EXPECT_EQ(o.warning.risks, std::vector<std::string>{"unstable_employment"});
    // Re-employed on 2024-09-01: one month lost, no warning.
    f.events.push_back(Event(f, "employment.status", D(2024, 9, 1), 400000, R"({"status":"就业","start":"2024-09-01"})"));
    Outcome back = Screen(f);
    EXPECT_EQ(back.row.Get(Feature::kJoblessMembers), 0);
    EXPECT_EQ(back.row.Get(Feature::kIncome12m), 6000000 - 400000LL * 30 * 12 / 365);
    EXPECT_EQ(Category(back), "");
  }
  {  // a risk marker alone raises nothing; beside a below-line rule it adds its risk type
    HouseholdFacts f = Household(false, 2, 2000000);
    f.members[1].birth_date = D(2014, 5, 1);
    f.events.push_back(Event(f, "school.status", D(2024, 9, 10), 0, R"({"status":"辍学","stage":"小学"})", 1));
    Outcome alone = Screen(f);
    EXPECT_EQ(alone.row.Get(Feature::kDropouts), 1);
    EXPECT_EQ(Category(alone), "");
    f.incomes[0].wage = Money::FromFen(1000000);
    Outcome both = Screen(f);
    EXPECT_EQ(both.warning.category, "edge");
    EXPECT_EQ(both.warning.risks, std::vector<std::string>{"schooling"});
    EXPECT_NE(both.text.find("1 名义务教育阶段子女失学辍学"), std::string::npos) << both.text;
  }
  {  // a member who died leaves the count: income per person divides by the living
    HouseholdFacts f = Household(false, 2, 1300000);
    EXPECT_EQ(Category(Screen(f)), "");
    f.events.push_back(Event(f, "registration.change", D(2025, 1, 20), 0, R"({"change":"死亡"})", 1));
    Outcome o = Screen(f);
    EXPECT_EQ(o.row.Get(Feature::kMembers), 1);
  }
  {  // 公安's latest change of a person decides: moved out and back counts again; a newborn
     // placed here and then moved away does not
    HouseholdFacts f = Household(false, 2, 1300000);
    f.events.push_back(Event(f, "registration.change", D(2024, 11, 1), 0, R"({"change":"迁出"})", 1));
    EXPECT_EQ(Screen(f).row.Get(Feature::kMembers), 1);
    f.events.push_back(Event(f, "registration.change", D(2025, 1, 5), 0, R"({"change":"迁入"})", 1));
    EXPECT_EQ(Screen(f).row.Get(Feature::kMembers), 2);
    EventRecord born = Event(f, "registration.change", D(2024, 12, 1), 0, R"({"change":"出生"})");
    born.person_id_number = "653221202412010011";
    f.events.push_back(born);
    EXPECT_EQ(Screen(f).row.Get(Feature::kMembers), 3);
    EventRecord away = Event(f, "registration.change", D(2025, 1, 10), 0, R"({"change":"迁出"})");
    away.person_id_number = born.person_id_number;
    f.events.push_back(away);
    EXPECT_EQ(Screen(f).row.Get(Feature::kMembers), 2);
  }
}

// Every risk marker and the schooling trigger, one household each, beside a below-line income
// (markers raise nothing alone).
TEST_F(EngineCase, MarkersAndSchoolingCost) {
  struct {
    std::string what;
    std::function<void(HouseholdFacts&)> edit;
    std::vector<std::string> rules;
    std::vector<std::string> risks;
  } const cases[] = {
      {"no labour", [](HouseholdFacts& f) { for (auto& p : f.members) p.labour = Labour::kNone; },
       {"general_below_line", "no_labour"}, {"lack_of_labour"}},
      {"ill", [](HouseholdFacts& f) { f.members[0].health = Health::kSerious; },
       {"general_below_line", "serious_illness"}, {"illness"}},
      {"disabled", [](HouseholdFacts& f) { f.members[0].disability_grade = 2; },
       {"general_below_line", "disability"}, {"disability"}},
      {"certified disabled", [](HouseholdFacts& f) {
         f.events.push_back(Event(f, "disability.certificate", D(2024, 12, 1), 0, R"({"grade":"二级"})"));
       }, {"general_below_line", "disability"}, {"disability"}},
      {"schooling", [](HouseholdFacts& f) {
         f.incomes[0].wage = Money::FromFen(5000000);
         f.events.push_back(Event(f, "school.status", D(2024, 9, 1), 1000001, R"({"status":"在校","stage":"本科"})"));
       }, {"schooling_cost_high"}, {"schooling"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    HouseholdFacts f = Household(false, 2, 1000000);
    c.edit(f);
    Outcome o = Screen(f);
    EXPECT_EQ(o.warning.rules, c.rules) << o.text;
    EXPECT_EQ(o.warning.risks, c.risks);
  }
  HouseholdFacts f = Household(false, 2, 5000000);  // 10,000 yuan of schooling is not above 10,000
  f.events.push_back(Event(f, "school.status", D(2024, 9, 1), 1000000, R"({"status":"在校"})"));
  EXPECT_EQ(Category(Screen(f)), "");
}

// A job loss takes away registered wages only. The day of a window uses a registered year
// (YearFor: that year, else the latest before it); a job that started after that year's end added
// nothing to its income, so losing it removes nothing over that day. Nor is more removed than the
// registered wages of the window.
TEST_F(EngineCase, JobLossRemovesOnlyTheRegisteredWages) {
  // One member earning 3,000 yuan a month lost the job on 2025-06-30 and found none: 184 days to
  // the end of 2025 (as of 2025-12-31, the window is 2025-01 … 2025-12).
  constexpr int64_t kFull = 300000LL * 184 * 12 / 365;  // 18,147.94 yuan
  const std::string kLostFrom2023 = R"({"status":"失业","start":"2023-03-01","end":"2025-06-30"})";
  struct Year {
    int year;
    int64_t wage_fen;  // and 20,000 yuan of business income
  };
  struct {
    std::string what;
    std::vector<Year> registry;
    std::string loss;                // payload of the 失业 report
    std::vector<std::string> jobs;   // starts of the member's 就业 reports
    Date as_of;
    int64_t registered;              // income_12m without the loss
    int64_t removed;
  } const cases[] = {
      {"job of 2023, part of the 2024 income", {{2024, 3600000}}, kLostFrom2023, {}, D(2025, 12, 31), 5600000, kFull},
      {"job started on the registered year's last day", {{2024, 3600000}},
       R"({"status":"失业","start":"2024-12-31","end":"2025-06-30"})", {}, D(2025, 12, 31), 5600000, kFull},
      {"job started the day after: never registered", {{2024, 3600000}},
       R"({"status":"失业","start":"2025-01-01","end":"2025-06-30"})", {}, D(2025, 12, 31), 5600000, 0},
      {"job of 2025 against the 2024 registry", {{2024, 3600000}},
       R"({"status":"失业","start":"2025-03-10","end":"2025-06-30"})", {}, D(2025, 12, 31), 5600000, 0},
      {"loss without an end: the job is the latest 就业 report, of 2025", {{2024, 3600000}},
       R"({"status":"失业","start":"2025-06-30"})", {"2024-05-01", "2025-02-01"}, D(2025, 12, 31), 5600000, 0},
      {"loss without an end: the latest 就业 report is of 2024", {{2024, 3600000}},
       R"({"status":"失业","start":"2025-06-30"})", {"2024-05-01"}, D(2025, 12, 31), 5600000, kFull},
      {"loss without an end and no 就业 report: counted as registered", {{2024, 3600000}},
       R"({"status":"失业","start":"2025-06-30"})", {}, D(2025, 12, 31), 5600000, kFull},
      {"never more than the registered wages", {{2024, 1000000}}, kLostFrom2023, {}, D(2025, 12, 31), 3000000, 1000000},
      {"no registered wages: nothing to remove", {{2024, 0}}, kLostFrom2023, {}, D(2025, 12, 31), 2000000, 0},
      {"no registered income at all", {}, kLostFrom2023, {}, D(2025, 12, 31), 0, 0},
      {"a 2025 registry holds the job of 2025", {{2024, 3600000}, {2025, 3600000}},
       R"({"status":"失业","start":"2025-03-10","end":"2025-06-30"})", {}, D(2025, 12, 31), 5600000, kFull},
      // Window 2024-04 … 2025-03, lost 2024-09-30: 92 days of 2024 use the 2023 registry, 90 days
      // of 2025 the 2025 one.
      {"days of a year whose registry predates the job", {{2023, 3600000}, {2025, 3600000}},
       R"({"status":"失业","start":"2024-03-01","end":"2024-09-30"})", {}, D(2025, 3, 31), 5600000,
       300000LL * 90 * 12 / 365},
      {"a job older than both registries counts every day", {{2023, 3600000}, {2025, 3600000}},
       R"({"status":"失业","start":"2022-03-01","end":"2024-09-30"})", {}, D(2025, 3, 31), 5600000,
       300000LL * 182 * 12 / 365},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    HouseholdFacts f = Household(false, 1, 0);
    f.incomes.clear();
    for (const Year& y : c.registry) {
      IncomeRecord income;
      income.year = y.year;
      income.wage = Money::FromFen(y.wage_fen);
      income.business = Money::FromFen(2000000);
      f.incomes.push_back(income);
    }
    for (const std::string& start : c.jobs) {
      const Date d = *ParseDate(start);
      f.events.push_back(Event(f, "employment.status", d, 300000, R"({"status":"就业","start":")" + start + R"("})"));
    }
    const Date effective = *PayloadDate(c.loss, "start");
    f.events.push_back(Event(f, "employment.status", effective, 300000, c.loss));
    const FeatureRow row = Screen(f, c.as_of).row;
    EXPECT_EQ(row.Get(Feature::kIncome12m), c.registered - c.removed);
    EXPECT_EQ(row.Get(Feature::kIncomePc12m), c.registered - c.removed);
    EXPECT_EQ(row.Get(Feature::kJoblessMembers), 1);
  }
}

// The QA case (household 6529281062050001): 2,722.92 yuan of 2024 wages, a 2,607.61-yuan job that
// started 2025-03-10 and was lost 2025-06-06; screened on 2026-01-05 the income stays the
// registered 24,530.52 yuan and no income_drop fires.
TEST_F(EngineCase, AJobStartedAfterTheRegistryYearRaisesNoIncomeDrop) {
  HouseholdFacts f = Household(false, 1, 0);
  f.incomes[0].wage = Money::FromFen(272292);
  f.incomes[0].business = Money::FromFen(2788260);
  f.incomes[0].property = Money::FromFen(59688);
  f.incomes[0].transfer = Money::FromFen(265932);
  f.incomes[0].business_cost = Money::FromFen(933120);
  f.events.push_back(Event(f, "employment.status", D(2025, 3, 10), 260761, R"({"status":"就业","start":"2025-03-10"})"));
  f.events.push_back(Event(f, "employment.status", D(2025, 3, 10), 260761,
                           R"({"status":"失业","start":"2025-03-10","end":"2025-06-06"})"));
  f.events.push_back(Event(f, "employment.status", D(2025, 12, 14), 285987, R"({"status":"就业","start":"2025-12-14"})"));
  const Outcome o = Screen(f, D(2026, 1, 5));
  EXPECT_EQ(o.row.Get(Feature::kIncomePc12m), 2453052);
  EXPECT_EQ(o.row.Get(Feature::kIncomePcPrev12m), 2453052);
  EXPECT_EQ(Category(o), "") << o.text;
}

// docs/POLICY.md's feature table is written from FeatureDefs(): each feature's row holds its
// definition word for word.
TEST(FeatureDefsTest, PolicyDocListsEveryFeatureAsDefined) {
  std::ifstream in(std::string(HEARTH_TEST_SRCDIR) + "/docs/POLICY.md");
  ASSERT_TRUE(in) << "docs/POLICY.md";
  std::map<std::string, std::string> rows;  // name -> line
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("| `")) continue;
    const size_t end = line.find('`', 3);
    if (end != std::string::npos) rows[line.substr(3, end - 3)] = line;
  }
  for (const FeatureDef& d : FeatureDefs()) {
    SCOPED_TRACE(std::string(d.name));
    auto it = rows.find(std::string(d.name));
    ASSERT_NE(it, rows.end()) << "no row in docs/POLICY.md";
    EXPECT_TRUE(it->second.ends_with("| " + std::string(d.definition) + " |")) << it->second;
    EXPECT_NE(it->second.find("| " + std::string(d.label_zh) + " |"), std::string::npos) << it->second;
  }
}

TEST(PayloadTest, ReadsFlatJson) {
  const std::string j = R"({"status":"失业","n":12, "end":"2025-01-04","x":null,"q":"a\"b"})";
  EXPECT_EQ(PayloadText(j, "status"), "失业");
  EXPECT_EQ(PayloadInt(j, "n"), 12);
  EXPECT_EQ(PayloadDate(j, "end"), Date::FromCivil(2025, 1, 4));
  EXPECT_EQ(PayloadText(j, "x"), "");
  EXPECT_EQ(PayloadText(j, "q"), "a\\\"b");
  EXPECT_EQ(PayloadText(j, "missing"), "");
  EXPECT_EQ(PayloadText("not json", "a"), "");
  EXPECT_FALSE(PayloadDate(j, "status").has_value());
}

}  // namespace
}  // namespace hearth
