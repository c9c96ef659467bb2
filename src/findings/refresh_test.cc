// RefreshFindings against a real store (SQLite, or PostgreSQL under pg.*): open, unchanged, updated,
// closed; idempotent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/id_number.h"
#include "core/testing/temp_dir.h"
#include "findings/findings.h"
#include "store/testing/areas.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

std::string Id(std::string_view prefix17) { return std::string(prefix17) + IdCheckCharacter(prefix17); }

const std::string kHead = Id("65322119800102001");
const std::string kChild = Id("65322120140901003");

class RefreshFindingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
    ASSERT_TRUE(store_->LoadAreas(testing::HotanAreas()).ok());
    policy_.lines = {{"65", 2024, Money::FromYuan(6000), "test"}};
    policy_.findings.assistance_income_factor = Decimal{15, 1};
    LoadRegistry(Money::FromYuan(30000));
  }

  static ImportRecord Import(std::string kind, Date received) {
    ImportRecord r;
    r.kind = std::move(kind);
    r.file_name = "-";
    r.digest = "-";
    r.received = received;
    return r;
  }

  void LoadRegistry(Money net) {
    auto tx = std::move(store_->BeginImport(Import("registry-persons", Date::FromCivil(2025, 1, 1))).value());
    HouseholdRecord h;
    h.household_code = "H1";
    h.village_code = "653221100201";
    h.housing_grade = 'B';
    ASSERT_TRUE(tx->UpsertHousehold(h, 2, nullptr).ok());
    for (const auto& [id, relation, birth] : {std::tuple{kHead, Relation::kHead, Date::FromCivil(1980, 1, 2)},
                                              std::tuple{kChild, Relation::kChild, Date::FromCivil(2014, 9, 1)}}) {
      PersonRecord p;
      p.household_code = "H1";
      p.id_number = id;
      p.name = id == kHead ? "阿卜杜拉" : "小明";
      p.relation = relation;
      p.birth_date = birth;
      ASSERT_TRUE(tx->UpsertPerson(p, 2, nullptr).ok());
    }
    IncomeRecord i;
    i.household_code = "H1";
    i.year = 2024;
    i.wage = net;
    ASSERT_TRUE(tx->UpsertIncome(i, 2, nullptr).ok());
    ASSERT_TRUE(tx->Commit({3, 3, 0}).ok());
  }

  void AddEvent(const std::string& type, const std::string& person, Date on, const nlohmann::json& payload) {
    auto tx = std::move(store_->BeginImport(Import("test-feed", on)).value());
    EventRecord e;
    e.type = type;
    e.household_code = "H1";
    e.person_id_number = person;
    e.effective = on;
    e.payload = payload.dump();
    e.event_key = "k" + std::to_string(++events_);
    ASSERT_TRUE(tx->AppendEvent(e).ok());
    ASSERT_TRUE(tx->Commit({1, 1, 0}).ok());
  }

  RefreshCounts Refresh(Date as_of) {
    auto tx = std::move(store_->BeginImport(Import("findings-refresh", as_of)).value());
    auto counts = RefreshFindings(*tx, {"H1"}, policy_, as_of);
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    EXPECT_TRUE(tx->Commit({1, 1, 0, 0, 0, 0, "653221100201"}).ok());
    return counts.ok() ? *counts : RefreshCounts{};
  }

  std::vector<FindingRecord> All() { return store_->ListFindings({"6532", false, "", 0}).value(); }

  hearth::testing::ScopedTempDir tmp_{"hearth_refresh_test"};
  hearth::testing::TestDb db_{tmp_.path()};
  std::unique_ptr<Store> store_;
  Policy policy_;
  int events_ = 0;
};

struct Expected {
  int64_t opened, updated, closed, unchanged;
};

void ExpectCounts(const RefreshCounts& got, Expected want, const std::string& step) {
  EXPECT_EQ(got.households, 1) << step;
  EXPECT_EQ(got.opened, want.opened) << step;
  EXPECT_EQ(got.updated, want.updated) << step;
  EXPECT_EQ(got.closed, want.closed) << step;
  EXPECT_EQ(got.unchanged, want.unchanged) << step;
}

TEST_F(RefreshFindingsTest, OpensKeepsUpdatesAndCloses) {
  const Date day1 = Date::FromCivil(2025, 4, 1);
  ExpectCounts(Refresh(day1), {0, 0, 0, 0}, "nothing to find");
  EXPECT_TRUE(All().empty());

  AddEvent("registration.change", kHead, Date::FromCivil(2025, 3, 12), {{"change", "死亡"}, {"changed", "2025-03-12"}});
  AddEvent("housing.appraisal", "", Date::FromCivil(2025, 3, 20), {{"appraised", "2025-03-20"}, {"grade", "D"}});
  ExpectCounts(Refresh(day1), {2, 0, 0, 0}, "opened");
  std::vector<FindingRecord> open = All();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].type, "dead_still_member");
  EXPECT_EQ(open[0].person_id_number, kHead);
  EXPECT_EQ(open[0].opened, day1);
  EXPECT_EQ(open[1].type, "house_unsafe");
  EXPECT_GT(open[0].import_id, 0);

  const Date day2 = Date::FromCivil(2025, 5, 1);
  ExpectCounts(Refresh(day2), {0, 0, 0, 2}, "unchanged");
  ExpectCounts(Refresh(day2), {0, 0, 0, 2}, "idempotent");
  EXPECT_EQ(All().size(), 2u);
  EXPECT_EQ(All()[0].opened, day1) << "an unchanged finding keeps its opening date";

  // 10,000 over the one living member: below the line; then less, which updates it.
  LoadRegistry(Money::FromYuan(5000));
  ExpectCounts(Refresh(day2), {1, 0, 0, 2}, "below the line");
  LoadRegistry(Money::FromYuan(4000));
  ExpectCounts(Refresh(day2), {0, 1, 0, 2}, "income changed");
  ExpectCounts(Refresh(day2), {0, 0, 0, 3}, "idempotent after update");
  auto below = store_->ListFindings({"653221100201", true, "below_line_no_assistance", 0}).value();
  ASSERT_EQ(below.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(below[0].params)["net_fen"], 400'000);

  const Date day3 = Date::FromCivil(2025, 6, 1);
  AddEvent("housing.appraisal", "", Date::FromCivil(2025, 5, 20), {{"appraised", "2025-05-20"}, {"grade", "A"}});
  AddEvent("assistance.grant", kChild, Date::FromCivil(2025, 5, 25),
           {{"type", "低保"}, {"start", "2025-05-25"}, {"end", nullptr}, {"monthly", 30000}});
  ExpectCounts(Refresh(day3), {0, 0, 2, 1}, "house repaired, 低保 granted");
  ExpectCounts(Refresh(day3), {0, 0, 0, 1}, "idempotent after closing");
  std::vector<FindingRecord> all = All();
  ASSERT_EQ(all.size(), 3u);
  int closed = 0;
  for (const FindingRecord& f : all) {
    if (f.closed) {
      ++closed;
      EXPECT_EQ(*f.closed, day3) << f.type;
    }
  }
  EXPECT_EQ(closed, 2);
  EXPECT_EQ(store_->ListFindings({"6532", true, "", 0})->size(), 1u);

  // A refresh before the grant and the repair (as of day2) reopens what held then.
  ExpectCounts(Refresh(day2), {2, 0, 0, 1}, "as of an earlier day");
}

TEST_F(RefreshFindingsTest, UnknownHouseholdFailsAndWritesNothing) {
  LoadRegistry(Money::FromYuan(5000));  // H1 alone would open a finding
  {
    auto tx = std::move(store_->BeginImport(Import("findings-refresh", Date::FromCivil(2025, 4, 1))).value());
    auto counts = RefreshFindings(*tx, {"H1", "H9"}, policy_, Date::FromCivil(2025, 4, 1));
    ASSERT_FALSE(counts.ok());
    EXPECT_EQ(counts.status().kind(), "household_unknown");
  }  // dropped without commit
  EXPECT_TRUE(All().empty());
}

}  // namespace
}  // namespace hearth
