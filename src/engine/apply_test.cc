// Engine::Apply against a real store (each backend): after every event the store records (a new claim, a
// correction, retractions, a village-wide assessment, a household registered later, the same
// event twice), an engine that keeps facts (keep_facts) and one that reads the store both hold
// exactly the features and decisions of an engine built afresh from the store. Also the fact
// cache's encoding on its own: what goes in comes back.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "core/id_number.h"
#include "core/messages.h"
#include "core/testing/temp_dir.h"
#include "engine/engine.h"
#include "engine/fact_cache.h"
#include "engine/payload.h"
#include "store/testing/areas.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

std::string Id(std::string_view prefix17) { return std::string(prefix17) + IdCheckCharacter(prefix17); }
Date D(int y, int m, int d) { return Date::FromCivil(y, m, d); }

constexpr std::string_view kVillage = "653221100201";
constexpr std::string_view kOtherVillage = "653221100202";

class ApplyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto policy = LoadDefaultPolicy(std::string(HEARTH_TEST_SRCDIR) + "/data");
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = new Policy(std::move(*policy));
    std::vector<PolicyProblem> problems;
    rules_ = new RuleSet(std::move(*RuleSet::Compile(*policy_, &problems)));
  }

  void SetUp() override {
    store_ = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
    ASSERT_TRUE(store_->LoadAreas(testing::HotanAreas()).ok());
    // Numeric codes (packed in the engine's code index) and one that is not.
    Register({"6532211002010001", "6532211002010002", "6532211002010003"}, kVillage);
    Register({"HT-0004"}, kOtherVillage);
  }

  static ImportRecord Import(Date received) {
    ImportRecord r;
    r.kind = "test-feed";
    r.file_name = "-";
    r.digest = "-";
    r.received = received;
    return r;
  }

  // Households of three members each, 2024 net income 24,000 yuan (2,000 a month for three:
  // above the 6,000-yuan line until a large medical bill comes).
  void Register(const std::vector<std::string>& codes, std::string_view village) {
    auto tx = std::move(store_->BeginImport(Import(D(2025, 1, 1))).value());
    for (const std::string& code : codes) {
      HouseholdRecord h;
      h.household_code = code;
      h.village_code = std::string(village);
      h.type = HouseholdType::kTuopin;
      ASSERT_TRUE(tx->UpsertHousehold(h, 1, nullptr).ok());
      for (int m = 0; m < 3; ++m) {
        PersonRecord p;
        p.household_code = code;
        p.name = "成员" + std::to_string(m);
        p.id_number = Id("6532211980010" + std::to_string(1000 + next_person_++));
        p.birth_date = D(1980, 1, 1);
        p.relation = m == 0 ? Relation::kHead : Relation::kChild;
        ASSERT_TRUE(tx->UpsertPerson(p, 1, nullptr).ok());
        members_[code].push_back(p.id_number);
      }
      IncomeRecord i;
      i.household_code = code;
      i.year = 2024;
      i.wage = Money::FromYuan(24000);
      ASSERT_TRUE(tx->UpsertIncome(i, 1, nullptr).ok());
    }
    ASSERT_TRUE(tx->Commit({}).ok());
  }

  // Records `e` in its own import and returns it with its id.
  EventRecord Record(EventRecord e) {
    auto tx = std::move(store_->BeginImport(Import(D(2025, 1, 25))).value());
    StatusOr<int64_t> id = tx->AppendEvent(e);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(tx->Commit({}).ok());
    e.id = id.ok() ? *id : 0;
    return e;
  }

  EventRecord Claim(const std::string& code, int64_t selfpay_yuan, std::string key, int64_t supersedes = 0) {
    EventRecord e;
    e.type = "medical.claim";
    e.household_code = code;
    e.person_id_number = members_[code][0];
    e.effective = D(2025, 1, 20);
    e.amount = Money::FromYuan(selfpay_yuan);
    e.payload = R"({"visit_type":"住院","admitted":"2025-01-10","discharged":"2025-01-20","total":)" +
                std::to_string(selfpay_yuan * 200) + R"(,"selfpay":)" + std::to_string(selfpay_yuan * 100) + "}";
    e.event_key = std::move(key);
    e.supersedes = supersedes;
    return e;
  }

  static EventRecord Retraction(const EventRecord& of) {
    EventRecord e;
    e.type = "retraction";
    e.household_code = of.household_code;
    e.village_code = of.village_code;
    e.effective = of.effective;
    e.payload = R"({"retracts_import":1})";
    e.supersedes = of.id;
    return e;
  }

  EventRecord Water(std::string_view quality) {
    EventRecord e;
    e.type = "water.assessment";
    e.village_code = std::string(kVillage);
    e.effective = D(2025, 1, 15);
    e.payload = R"({"quantity":"达标","quality":")" + std::string(quality) + R"(","convenience":"达标","assurance":"达标"})";
    e.event_key = std::string(kVillage) + "|2025-01-15";
    return e;
  }

  std::unique_ptr<Engine> Build(bool keep_facts) {
    EngineOptions options{D(2025, 1, 31), std::nullopt, "", {}, keep_facts};
    auto engine = Engine::Build(*store_, *rules_, options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    (*engine)->EvaluateRules();
    return std::move(*engine);
  }

  // Every household's features and decision, by household reference.
  static std::map<int64_t, std::pair<FeatureRow, Decision>> State(const Engine& engine) {
    std::map<int64_t, std::pair<FeatureRow, Decision>> out;
    std::vector<Decision> at_risk = engine.Decide();
    for (uint32_t row = 0; row < engine.size(); ++row) {
      Decision d;
      d.row = row;
      for (const Decision& x : at_risk) {
        if (x.row == row) d = x;
      }
      d.row = 0;  // rows may differ between engines
      out[engine.household_ref(row)] = {engine.Row(row), d};
    }
    return out;
  }

  testing::ScopedTempDir tmp_{"hearth_apply_test"};
  testing::TestDb db_{tmp_.path()};  // SQLite, or PostgreSQL in the pg.* run
  std::unique_ptr<Store> store_;
  std::map<std::string, std::vector<std::string>> members_;
  int next_person_ = 0;
  static inline Policy* policy_ = nullptr;
  static inline RuleSet* rules_ = nullptr;
};

TEST_F(ApplyTest, KeptFactsAndStoreReadsEqualAFreshBuildAfterEveryEvent) {
  std::unique_ptr<Engine> kept = Build(true);
  std::unique_ptr<Engine> read = Build(false);
  std::map<std::string, EventRecord> seen;  // events recorded so far, by step name

  struct Step {
    std::string name;
    std::function<EventRecord()> event;
    size_t households;  // decisions Apply returns
    int64_t store_reads;  // households the keeping engine reads from the store
  };
  const std::string h1 = "6532211002010001", h2 = "6532211002010002", h4 = "HT-0004";
  const Step steps[] = {
      {"claim on h1", [&] { return Record(Claim(h1, 30000, "a")); }, 1, 0},
      {"claim on h2", [&] { return Record(Claim(h2, 40000, "b")); }, 1, 0},
      {"correction of the h1 claim", [&] { return Record(Claim(h1, 5000, "a", seen["claim on h1"].id)); }, 1, 0},
      {"the correction retracted: the first claim is in force again (read from the store)",
       [&] { return Record(Retraction(seen["correction of the h1 claim"])); }, 1, 1},
      {"the h2 claim retracted", [&] { return Record(Retraction(seen["claim on h2"])); }, 1, 0},
      {"the h2 claim retracted again (no change)", [&] { return Record(Retraction(seen["claim on h2"])); }, 1, 0},
      {"village water unsafe", [&] { return Record(Water("不达标")); }, 3, 0},
      {"village water assessment corrected",
       [&] {
         EventRecord e = Water("达标");
         e.supersedes = seen["village water unsafe"].id;
         return Record(e);
       },
       3, 0},
      {"the correction retracted (read from the store)",
       [&] { return Record(Retraction(seen["village water assessment corrected"])); }, 3, 3},
      {"claim on a code that is not numeric", [&] { return Record(Claim(h4, 50000, "c")); }, 1, 0},
      {"the same event applied twice", [&] { return seen["claim on a code that is not numeric"]; }, 1, 0},
      {"a household registered after the build, then its claim",
       [&] {
         Register({"6532211002010009"}, kVillage);
         return Record(Claim("6532211002010009", 60000, "d"));
       },
       1, 1},
      {"a claim on it again", [&] { return Record(Claim("6532211002010009", 1000, "e")); }, 1, 0},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.name);
    const EventRecord e = step.event();
    seen[step.name] = e;
    const int64_t reads = kept->store_reads();
    for (Engine* engine : {kept.get(), read.get()}) {
      StatusOr<std::vector<Decision>> decisions = engine->Apply(e, *store_);
      ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();
      EXPECT_EQ(decisions->size(), step.households);
    }
    EXPECT_EQ(kept->store_reads() - reads, step.store_reads);
    const auto expected = State(*Build(false));
    EXPECT_EQ(State(*kept), expected);
    EXPECT_EQ(State(*read), expected);
  }
  // The claims made some household a warning at some point; the final state has one.
  EXPECT_FALSE(kept->Decide().empty());
}

TEST_F(ApplyTest, AnEventOfAnUnknownHouseholdFails) {
  std::unique_ptr<Engine> kept = Build(true);
  EventRecord e = Claim("6532211002010001", 100, "x");
  e.household_code = "6532211002019999";
  StatusOr<std::vector<Decision>> d = kept->Apply(e, *store_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().kind(), "household_unknown");
}

// --- built in parts ----------------------------------------------------------------------------

TEST_F(ApplyTest, ScanInPartsGivesEveryHouseholdOnceInRangesOfIds) {
  for (int i = 0; i < 20; ++i) Register({"65322110020101" + std::to_string(10 + i)}, i % 2 ? kVillage : kOtherVillage);
  for (int parts : {1, 2, 3, 7}) {
    SCOPED_TRACE(parts);
    std::mutex mu;
    std::vector<std::vector<int64_t>> seen(static_cast<size_t>(parts));
    Status s = store_->ScanFactsInParts({}, parts, [&](int p, HouseholdFacts& facts) {
      std::lock_guard<std::mutex> lock(mu);
      seen.at(static_cast<size_t>(p)).push_back(facts.household_ref);
      EXPECT_EQ(facts.members.size(), 3u);
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<int64_t> all;
    for (const auto& part : seen) {
      EXPECT_TRUE(std::is_sorted(part.begin(), part.end()));
      if (!all.empty() && !part.empty()) {
        EXPECT_LT(all.back(), part.front());
      }
      all.insert(all.end(), part.begin(), part.end());
    }
    EXPECT_EQ(all.size(), 24u);
    EXPECT_EQ(std::set<int64_t>(all.begin(), all.end()).size(), 24u);
    if (parts > 1) {
      EXPECT_FALSE(seen[1].empty()) << "the second part read nothing";
    }
  }
  // A failure in one part stops the scan and is returned.
  Status failed = store_->ScanFactsInParts({}, 2, [&](int p, HouseholdFacts&) {
    return p == 1 ? Error(StatusCode::kInternal, Msg::kDbError, "test", "stop") : Status::Ok();
  });
  EXPECT_FALSE(failed.ok());
  // An area: only its households.
  int in_area = 0;
  ASSERT_TRUE(store_->ScanFactsInParts({std::string(kOtherVillage), std::nullopt}, 2, [&](int, HouseholdFacts& facts) {
    EXPECT_EQ(facts.household.village_code, kOtherVillage);
    ++in_area;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(in_area, 11);
}

TEST_F(ApplyTest, ScanInPartsWhileAnotherProcessWrites) {
  // Another connection holds an import open (SQLite: the write lock): the scan still gives
  // every household once, in one snapshot (SQLite reads it in one part then), and the import's
  // uncommitted rows are not seen.
  auto other = std::move(OpenStore(db_.uri(), OpenMode::kExisting).value());
  auto tx = std::move(other->BeginImport(Import(D(2025, 1, 2))).value());
  HouseholdRecord h;
  h.household_code = "6532211002019998";
  h.village_code = std::string(kVillage);
  ASSERT_TRUE(tx->UpsertHousehold(h, 1, nullptr).ok());
  std::mutex mu;
  std::vector<int> per_part(2, 0);
  ASSERT_TRUE(store_->ScanFactsInParts({}, 2, [&](int p, HouseholdFacts&) {
    std::lock_guard<std::mutex> lock(mu);
    ++per_part.at(static_cast<size_t>(p));
    return Status::Ok();
  }).ok());
  EXPECT_EQ(per_part[0] + per_part[1], 4);
  if (!db_.postgres()) {
    EXPECT_EQ(per_part[1], 0);
  }
  tx.reset();
}

TEST_F(ApplyTest, BuiltInAnyNumberOfPartsEqualsBuiltInOne) {
  const std::string h1 = "6532211002010001", h4 = "HT-0004";
  for (int i = 0; i < 12; ++i) Register({"65322110020102" + std::to_string(10 + i)}, i % 2 ? kVillage : kOtherVillage);
  const EventRecord claim = Record(Claim(h1, 30000, "a"));
  Record(Claim(h1, 5000, "a", claim.id));
  const EventRecord other = Record(Claim(h4, 40000, "b"));
  Record(Retraction(other));
  Record(Claim("6532211002010215", 70000, "c"));
  Record(Water("不达标"));
  auto build = [&](int parts) {
    EngineOptions options{D(2025, 1, 31), std::nullopt, "", {}, true, parts};
    auto engine = Engine::Build(*store_, *rules_, options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    (*engine)->EvaluateRules();
    return std::move(*engine);
  };
  std::unique_ptr<Engine> one = build(1);
  ASSERT_EQ(one->size(), 16u);
  for (int parts : {2, 3, 5, 16}) {
    SCOPED_TRACE(parts);
    std::unique_ptr<Engine> many = build(parts);
    EXPECT_EQ(State(*many), State(*one));
    for (uint32_t row = 0; row < many->size(); ++row) {
      std::optional<uint32_t> there = one->RowOf(many->household_ref(row));
      ASSERT_TRUE(there);
      EXPECT_EQ(many->village(row), one->village(*there));
      HouseholdFacts a = *many->KeptFacts(row), b = *one->KeptFacts(*there);
      ASSERT_EQ(a.events.size(), b.events.size());
      for (size_t i = 0; i < a.events.size(); ++i) {
        EXPECT_EQ(a.events[i].id, b.events[i].id);
        EXPECT_EQ(a.events[i].payload, b.events[i].payload);
      }
      ASSERT_EQ(a.members.size(), b.members.size());
      for (size_t i = 0; i < a.members.size(); ++i) EXPECT_EQ(a.members[i].id_number, b.members[i].id_number);
    }
    // Codes are found across the parts: an event of each household applies from the kept facts.
    for (const std::string& code : {h1, h4, std::string("6532211002010215"), std::string("6532211002010211")}) {
      EventRecord e = Claim(code, 100, "z" + code + std::to_string(parts));
      e.id = 1'000'000 + parts;
      StatusOr<std::vector<Decision>> d = many->Apply(e, *store_);
      ASSERT_TRUE(d.ok()) << code << ": " << d.status().ToString();
      EXPECT_EQ(d->size(), 1u);
    }
    EXPECT_EQ(many->store_reads(), 0);
  }
}

// --- the encoding alone ------------------------------------------------------------------------

PersonRecord Person(std::string id, int64_t ref) {
  PersonRecord p;
  p.id_number = std::move(id);
  p.ref = ref;
  p.birth_date = D(1950, 6, 30);
  p.sex = Sex::kFemale;
  p.relation = Relation::kGrandchild;
  p.health = Health::kDisabled;
  p.labour = Labour::kNone;
  p.schooling = Schooling::kOutOfSchool;
  p.insured = false;
  p.id_converted_from_15 = true;
  p.disability_grade = 4;
  p.months_worked = 12;
  return p;
}

TEST(FactCache, WhatGoesInComesBack) {
  HouseholdFacts in;
  in.household.type = HouseholdType::kGeneral;
  in.household.exit_year = 2019;
  in.household.relocation_site = "安置点一";
  in.household.housing_grade = 'C';
  in.household.water_safe = false;
  // A standard ID, one whose birth digits differ from the recorded birth date and whose area
  // differs from the previous member's, one with no valid date in it, and one that is no ID.
  in.members = {Person(Id("65322119500630001"), 4000000), Person("65010119500630002X", 3999990),
                Person("653221199913450012", 3999991), Person("not-an-id", 7)};
  in.members[1].birth_date = D(1951, 1, 1);
  in.members[1].disability_grade = std::nullopt;
  in.members[1].months_worked = 0;
  in.members[3].disability_grade = 40;  // out of the packed range: kept field by field
  in.members[3].months_worked = -1;
  IncomeRecord income;
  income.year = 2024;
  income.wage = Money::FromFen(-5);
  income.business_cost = Money::FromFen(INT64_C(900000000000));
  in.incomes = {income};
  // Payloads as feeds write them, and text that is not a flat object (kept as it is).
  const std::string payloads[] = {
      R"({"visit_type":"住院","admitted":"2025-01-10","total":6187982,"selfpay":-3,"note":null})",
      R"({})",
      R"({ "a" : "x\"y" , "b":012, "c":1.5e3, "d":true })",
      R"({"nested":{"x":1}})",
      R"(not json)",
      R"()",
  };
  int64_t id = 100;
  for (const std::string& payload : payloads) {
    EventRecord e;
    e.id = id;
    e.type = id % 2 ? "medical.claim" : "assistance.grant";
    e.person_id_number = id == 101 ? in.members[1].id_number : id == 102 ? Id("11010119900307001") : "";
    e.effective = D(2025, 1, static_cast<int>(id - 99));
    if (id % 3 == 0) e.amount = Money::FromFen(id * 1000 - 500000);
    e.payload = payload;
    e.supersedes = id == 103 ? 17 : 0;
    in.events.push_back(e);
    id += 1;
  }
  FactCache cache;
  cache.Put(0, in);
  cache.Put(1, HouseholdFacts{});
  cache.Put(0, in);  // replaced: the arena keeps the newer record
  HouseholdFacts out;
  cache.Get(0, 99, &out);
  EXPECT_EQ(out.household.type, in.household.type);
  EXPECT_EQ(out.household.exit_year, in.household.exit_year);
  EXPECT_EQ(out.household.relocation_site, in.household.relocation_site);
  EXPECT_EQ(out.household.housing_grade, in.household.housing_grade);
  EXPECT_EQ(out.household.water_safe, in.household.water_safe);
  ASSERT_EQ(out.members.size(), in.members.size());
  for (size_t i = 0; i < in.members.size(); ++i) {
    SCOPED_TRACE(i);
    const PersonRecord &a = in.members[i], &b = out.members[i];
    EXPECT_EQ(b.id_number, a.id_number);
    EXPECT_EQ(b.ref, a.ref);
    EXPECT_EQ(b.birth_date, a.birth_date);
    EXPECT_EQ(b.sex, a.sex);
    EXPECT_EQ(b.relation, a.relation);
    EXPECT_EQ(b.health, a.health);
    EXPECT_EQ(b.labour, a.labour);
    EXPECT_EQ(b.schooling, a.schooling);
    EXPECT_EQ(b.insured, a.insured);
    EXPECT_EQ(b.id_converted_from_15, a.id_converted_from_15);
    EXPECT_EQ(b.disability_grade, a.disability_grade);
    EXPECT_EQ(b.months_worked, a.months_worked);
  }
  ASSERT_EQ(out.incomes.size(), 1u);
  EXPECT_EQ(out.incomes[0].year, 2024);
  EXPECT_EQ(out.incomes[0].Net(), in.incomes[0].Net());
  EXPECT_EQ(out.incomes[0].wage, in.incomes[0].wage);
  ASSERT_EQ(out.events.size(), in.events.size());
  for (size_t i = 0; i < in.events.size(); ++i) {
    SCOPED_TRACE(in.events[i].payload);
    const EventRecord &a = in.events[i], &b = out.events[i];
    EXPECT_EQ(b.id, a.id);
    EXPECT_EQ(b.type, a.type);
    EXPECT_EQ(b.person_id_number, a.person_id_number);
    EXPECT_EQ(b.effective, a.effective);
    EXPECT_EQ(b.amount, a.amount);
    EXPECT_EQ(b.supersedes, a.supersedes);
    // Flat objects come back without spaces; everything else exactly.
    for (std::string_view key : {"visit_type", "admitted", "total", "selfpay", "note", "a", "b", "c", "d", "x"}) {
      EXPECT_EQ(PayloadText(b.payload, key), PayloadText(a.payload, key)) << key;
    }
  }
  EXPECT_EQ(out.events[3].payload, in.events[3].payload);
  EXPECT_EQ(out.events[4].payload, in.events[4].payload);
  EXPECT_EQ(out.events[0].payload, in.events[0].payload);

  // Village events: kept once, merged into a household's events by date.
  EventRecord water;
  water.id = 50;
  water.type = "water.assessment";
  water.village_code = std::string(kVillage);
  water.effective = D(2025, 1, 3);
  water.payload = R"({"quality":"不达标"})";
  cache.PutVillageEvents(2, {in.events[0], water});  // the household's own event is not kept here
  EXPECT_TRUE(cache.HasVillage(2));
  EXPECT_FALSE(cache.HasVillage(3));
  ASSERT_EQ(cache.VillageEvents(2).size(), 1u);
  cache.Get(0, 2, &out);
  ASSERT_EQ(out.events.size(), in.events.size() + 1);
  EXPECT_EQ(out.events[2].id, 50);
  EXPECT_GT(cache.bytes(), 0u);
}

// A full screen saves what it decided only for the households whose facts it read: an import
// committed while it ran keeps the warnings its own re-screen made (else the stale screen would
// close them), and a registry import since refuses the save.
TEST_F(ApplyTest, AScreenLeavesTheHouseholdsOfAnImportCommittedWhileItRan) {
  const std::string h1 = "6532211002010001";
  auto open_warnings = [&] { return store_->ListWarnings(WarningFilter{}).value().size(); };
  // The screen reads: no claim, no warning.
  const ImportsSeen seen = *store_->CommittedImports();
  std::unique_ptr<Engine> stale = Build(false);
  ASSERT_TRUE(stale->Decide().empty());
  // Meanwhile an import brings a large claim on h1 and its re-screen opens h1's warning.
  Record(Claim(h1, 60000, "a"));
  std::unique_ptr<Engine> fresh = Build(false);
  ASSERT_EQ(fresh->Decide().size(), 1u);
  ASSERT_TRUE(store_->SaveWarnings(fresh->Warnings(fresh->Decide())).ok());
  ASSERT_EQ(open_warnings(), 1u);
  // The stale screen saves: h1 is held, its warning stays open.
  WarningBatch batch = stale->Warnings(stale->Decide());
  batch.facts_seen = seen;
  StatusOr<WarningCounts> counts = store_->SaveWarnings(batch);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->held, 1);
  EXPECT_EQ(counts->closed, 0);
  EXPECT_EQ(open_warnings(), 1u);
  // A registry import since: nothing saved, said so.
  Register({"6532211002010009"}, kVillage);
  StatusOr<WarningCounts> raced = store_->SaveWarnings(batch);
  ASSERT_FALSE(raced.ok());
  EXPECT_EQ(raced.status().kind(), "screen_raced");
  EXPECT_EQ(open_warnings(), 1u);
  // Without the imports it read (an import's own re-screen), the batch is saved as it is.
  batch.facts_seen.reset();
  counts = store_->SaveWarnings(batch);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->held, 0);
  EXPECT_EQ(counts->closed, 1);
  EXPECT_EQ(open_warnings(), 0u);
}

// --- engine images ------------------------------------------------------------------------------

class ImageTest : public ApplyTest {
 protected:
  std::unique_ptr<Engine> BuildWith(bool keep_facts, bool use_image, std::string area = "") {
    EngineOptions options{D(2025, 1, 31), std::nullopt, std::move(area), {}, keep_facts};
    options.use_image = use_image;
    options.parts = 2;
    auto engine = Engine::Build(*store_, *rules_, options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    (*engine)->EvaluateRules();
    return std::move(*engine);
  }

  // Saves the image of a build from the store that began with `seen`.
  void SaveImage(const ImportsSeen& seen) {
    std::unique_ptr<Engine> full = BuildWith(true, false);
    StatusOr<EngineImageHead> head = full->SaveImage(*store_, seen);
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    EXPECT_EQ(head->households, static_cast<int64_t>(full->size()));
  }

  // An engine built from the image holds what one built from the store holds, with and without
  // kept facts (whose decoded features are the engine's own), in the whole region and an area.
  void ExpectImageBuildEqualsStoreBuild(int64_t reread, const std::string& area = "") {
    for (bool keep : {true, false}) {
      SCOPED_TRACE(keep ? "kept facts" : "no kept facts");
      std::unique_ptr<Engine> from_image = BuildWith(keep, true, area);
      EXPECT_TRUE(from_image->source().image) << from_image->source().not_used;
      EXPECT_EQ(from_image->source().reread, reread);
      EXPECT_EQ(State(*from_image), State(*BuildWith(keep, false, area)));
      if (keep) {
        for (uint32_t row = 0; row < from_image->size(); ++row) {
          EXPECT_EQ(ComputeFeatures(*from_image->KeptFacts(row), *policy_, D(2025, 1, 31)), from_image->Row(row));
        }
      }
    }
  }
};

TEST_F(ImageTest, BuiltFromTheImageEqualsBuiltFromTheStoreAfterEveryChange) {
  const std::string h1 = "6532211002010001", h2 = "6532211002010002", h4 = "HT-0004";
  const EventRecord first = Record(Claim(h1, 30000, "a"));
  const EventRecord water = Record(Water("不达标"));
  SaveImage(*store_->CommittedImports());
  ExpectImageBuildEqualsStoreBuild(0);
  ExpectImageBuildEqualsStoreBuild(0, std::string(kOtherVillage));

  struct Step {
    std::string name;
    std::function<void()> change;
    int64_t reread;  // households changed since the image
  };
  EventRecord correction;
  const Step steps[] = {
      {"a claim on h2", [&] { Record(Claim(h2, 40000, "b")); }, 1},
      {"a correction of the h1 claim", [&] { correction = Record(Claim(h1, 5000, "a", first.id)); }, 2},
      {"the correction retracted", [&] { Record(Retraction(correction)); }, 2},
      {"the village's water corrected (every household of the village)",
       [&] {
         EventRecord e = Water("达标");
         e.supersedes = water.id;
         Record(e);
       },
       3},
      {"a claim on a household whose code is not numeric", [&] { Record(Claim(h4, 50000, "c")); }, 4},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.name);
    step.change();
    ExpectImageBuildEqualsStoreBuild(step.reread);
  }
  // An area: only its households, from the image, the changed ones re-read.
  ExpectImageBuildEqualsStoreBuild(1, std::string(kOtherVillage));
  // A new image: nothing since.
  SaveImage(*store_->CommittedImports());
  ExpectImageBuildEqualsStoreBuild(0);
}

TEST_F(ImageTest, AnEngineBuiltFromTheImageAppliesEventsAsOneBuiltFromTheStore) {
  const EventRecord water = Record(Water("不达标"));
  const EventRecord claim = Record(Claim("6532211002010001", 30000, "a"));
  SaveImage(*store_->CommittedImports());
  std::unique_ptr<Engine> kept = BuildWith(true, true);
  ASSERT_TRUE(kept->source().image);
  const int64_t reads = kept->store_reads();
  EventRecord corrected = Water("达标");
  corrected.supersedes = water.id;
  const std::function<EventRecord()> events[] = {
      [&] { return Record(corrected); },
      [&] { return Record(Claim("6532211002010002", 40000, "b")); },
      [&] { return Record(Claim("6532211002010001", 100, "a", claim.id)); },
  };
  for (const auto& event : events) {
    const EventRecord e = event();  // recorded, then applied
    StatusOr<std::vector<Decision>> decisions = kept->Apply(e, *store_);
    ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();
    EXPECT_EQ(State(*kept), State(*BuildWith(false, false))) << e.type << " " << e.payload;
  }
  // Each decided from the kept facts: the village's events were kept as the village's.
  EXPECT_EQ(kept->store_reads(), reads);
}

TEST_F(ImageTest, AnAreaIsBuiltFromTheChunksThatMayHoldIt) {
  Record(Claim("HT-0004", 50000, "c"));
  Record(Water("不达标"));
  // One household a chunk: the three of kVillage, then HT-0004 of kOtherVillage.
  ASSERT_TRUE(BuildWith(true, false)->SaveImage(*store_, *store_->CommittedImports(), 1).ok());
  EXPECT_EQ((*store_->LatestEngineImage())->chunks, 4);
  struct Case {
    std::string area;
    size_t households;
    int64_t chunks;
  };
  const Case cases[] = {{"", 4, 4}, {std::string(kOtherVillage), 1, 1}, {std::string(kVillage), 3, 3},
                        {"6532211002", 4, 4}, {"6532221", 0, 0}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.area);
    for (bool keep : {true, false}) {
      std::unique_ptr<Engine> engine = BuildWith(keep, true, c.area);
      ASSERT_TRUE(engine->source().image);
      EXPECT_EQ(engine->source().chunks_read, c.chunks);
      EXPECT_EQ(engine->size(), c.households);
      EXPECT_EQ(State(*engine), State(*BuildWith(keep, false, c.area)));
    }
  }
}

TEST_F(ImageTest, ARegistryChangeSinceTheImageMeansABuildFromTheStore) {
  SaveImage(*store_->CommittedImports());
  Register({"6532211002010009"}, kVillage);
  std::unique_ptr<Engine> engine = BuildWith(false, true);
  EXPECT_FALSE(engine->source().image);
  EXPECT_EQ(engine->source().not_used, Tr(Msg::kEngineImageRegistryChanged));
  EXPECT_EQ(engine->size(), 5u);
  EXPECT_EQ(State(*engine), State(*BuildWith(false, false)));
}

TEST_F(ImageTest, AnImportOpenWhenTheImageBeganCountsAsSince) {
  // Another process has an import open when the image's build begins; it commits after the
  // build read its snapshot. The image must not take that import as included.
  auto other = std::move(OpenStore(db_.uri(), OpenMode::kExisting).value());
  auto tx = std::move(other->BeginImport(Import(D(2025, 1, 25))).value());
  ASSERT_TRUE(tx->AppendEvent(Claim("6532211002010003", 60000, "late")).ok());
  const ImportsSeen seen = *store_->CommittedImports();
  std::unique_ptr<Engine> full = BuildWith(true, false);
  ASSERT_TRUE(tx->Commit({}).ok());
  tx.reset();
  ASSERT_TRUE(full->SaveImage(*store_, seen).ok());
  ExpectImageBuildEqualsStoreBuild(1);
}

TEST_F(ImageTest, OnlyAnEngineOfEveryHouseholdWithKeptFactsIsSaved) {
  const ImportsSeen seen = *store_->CommittedImports();
  for (auto [keep, area] : {std::pair{false, ""}, std::pair{true, "653221100202"}}) {
    StatusOr<EngineImageHead> head = BuildWith(keep, false, area)->SaveImage(*store_, seen);
    ASSERT_FALSE(head.ok());
    EXPECT_EQ(head.status().kind(), "engine_image_unfit");
  }
  EXPECT_FALSE(store_->LatestEngineImage()->has_value());
}

TEST_F(ImageTest, AReplacedImageLeavesOnlyTheNewOne) {
  SaveImage(*store_->CommittedImports());
  const int64_t old_id = (*store_->LatestEngineImage())->id;
  Record(Claim("6532211002010001", 30000, "a"));
  SaveImage(*store_->CommittedImports());
  const EngineImageHead head = **store_->LatestEngineImage();
  EXPECT_GT(head.id, old_id);
  EXPECT_EQ(head.format, kEngineImageFormat);
  EXPECT_EQ(store_->EngineImageChunk(old_id, 0).status().kind(), "engine_image_missing");
  EXPECT_TRUE(store_->EngineImageChunk(head.id, head.chunks).ok());
  EXPECT_EQ(store_->EngineImageChunk(head.id, head.chunks + 1).status().kind(), "engine_image_missing");
}

TEST_F(ImageTest, ACorruptOrMissingChunkMeansABuildFromTheStore) {
  if (db_.postgres()) GTEST_SKIP() << "the chunk is damaged through SQLite's own API";
  SaveImage(*store_->CommittedImports());
  const std::string damage[] = {
      "UPDATE engine_image_chunks SET data = substr(data, 1, 20) || x'00' || substr(data, 22) WHERE seq = 1",
      "UPDATE engine_image_chunks SET data = substr(data, 1, 8) WHERE seq = 0",
      "DELETE FROM engine_image_chunks WHERE seq = 1",
  };
  for (const std::string& sql : damage) {
    SCOPED_TRACE(sql);
    const EngineImageHead head = **store_->LatestEngineImage();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.uri().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
    std::unique_ptr<Engine> engine = BuildWith(true, true);
    EXPECT_FALSE(engine->source().image);
    EXPECT_NE(engine->source().not_used.find(std::to_string(head.id)), std::string::npos) << engine->source().not_used;
    EXPECT_EQ(State(*engine), State(*BuildWith(true, false)));
    SaveImage(*store_->CommittedImports());
  }
}

}  // namespace
}  // namespace hearth
