// The Store interface on the backend the tests run on (a SQLite file, or a PostgreSQL database
// when HEARTH_TEST_PG names a server: see store/testing/test_db.h).
#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "core/testing/temp_dir.h"
#include "store/migrations.h"
#include "store/record_rules.h"
#include "store/testing/areas.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> OpenWithAreas() {
    auto store = OpenStore(db_.uri(), OpenMode::kCreate);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_TRUE((*store)->LoadAreas(testing::HotanAreas()).ok());
    return std::move(store).value();
  }

  static HouseholdRecord Household(std::string code, std::string village = "653221100201") {
    HouseholdRecord h;
    h.household_code = std::move(code);
    h.village_code = std::move(village);
    h.type = HouseholdType::kTuopin;
    h.exit_year = 2019;
    h.housing_grade = 'B';
    h.water_safe = true;
    return h;
  }

  static PersonRecord Person(std::string household, std::string id, std::string name) {
    PersonRecord p;
    p.household_code = std::move(household);
    p.id_number = std::move(id);
    p.name = std::move(name);
    p.birth_date = Date::FromCivil(1980, 1, 2);
    p.relation = Relation::kHead;
    return p;
  }

  static EventRecord FeedFact(std::string type, std::string household, std::string person, Date effective,
                              std::string key, std::string payload) {
    EventRecord e;
    e.type = std::move(type);
    e.household_code = std::move(household);
    e.person_id_number = std::move(person);
    e.effective = effective;
    e.event_key = std::move(key);
    e.payload = std::move(payload);
    return e;
  }

  static ImportRecord Import(std::string kind) {
    ImportRecord r;
    r.kind = std::move(kind);
    r.file_name = "家庭.csv";
    r.digest = "sha256:00";
    r.received = Date::FromCivil(2025, 4, 5);
    return r;
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_store_test"};
  const fs::path dir_ = tmp_.path();
  hearth::testing::TestDb db_{dir_};
};

TEST_F(StoreTest, CreatesSchemaAndRefusesMissingDatabase) {
  hearth::testing::TestDb absent(dir_, "absent", hearth::testing::TestDb::Fresh::kAbsent);
  auto missing = OpenStore(absent.uri(), OpenMode::kExisting);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "db_missing");
  auto store = OpenStore(absent.uri(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->SchemaVersion(), LatestSchemaVersion());
  store = OpenStore(absent.uri(), OpenMode::kExisting);  // reopen: nothing to migrate
  ASSERT_TRUE(store.ok()) << store.status().ToString();
}

TEST_F(StoreTest, RefusesAnEmptyDatabaseUntilInitialised) {
  hearth::testing::TestDb empty(dir_, "empty", hearth::testing::TestDb::Fresh::kEmpty);
  auto missing = OpenStore(empty.uri(), OpenMode::kExisting);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), "db_missing");
  ASSERT_TRUE(OpenStore(empty.uri(), OpenMode::kCreate).ok());
  EXPECT_TRUE(OpenStore(empty.uri(), OpenMode::kExisting).ok());
}

TEST_F(StoreTest, RefusesNewerSchema) {
  { ASSERT_TRUE(OpenStore(db_.uri(), OpenMode::kCreate).ok()); }
  ASSERT_TRUE(db_.Exec("INSERT INTO schema_migrations VALUES (999, 'future', 0)"));
  db_.Disconnect();
  auto store = OpenStore(db_.uri(), OpenMode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().kind(), "schema_too_new");
  EXPECT_NE(store.status().message().find("999"), std::string::npos);
}

TEST_F(StoreTest, LeavesOtherDatabasesAlone) {
  hearth::testing::TestDb other(dir_, "other", hearth::testing::TestDb::Fresh::kEmpty);
  ASSERT_TRUE(other.Exec("CREATE TABLE accounts (id INTEGER)"));
  for (OpenMode mode : {OpenMode::kCreate, OpenMode::kExisting}) {
    auto store = OpenStore(other.uri(), mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().kind(), "db_not_hearth");
  }
  const char* tables = other.postgres() ? "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
                                        : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";
  EXPECT_EQ(other.Count(tables), 1) << "no Hearth table was added";
}

TEST_F(StoreTest, AreaLookups) {
  auto store = OpenWithAreas();
  EXPECT_EQ(store->GetArea("653221")->name, "和田县");
  EXPECT_EQ(store->GetArea("659999").status().kind(), "area_unknown");
  EXPECT_EQ(store->Descendants("653221")->size(), 3u);
  EXPECT_EQ(store->Descendants("653221100201")->size(), 0u);
  auto path = store->PathToRoot("653221100202");
  ASSERT_TRUE(path.ok());
  ASSERT_EQ(path->size(), 5u);
  EXPECT_EQ((*path)[0].code, "65");
  EXPECT_EQ((*path)[4].name, "喀拉墩村");
  auto found = store->FindAreasByName("和田", 10);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ(store->Descendants("")->size(), 6u);
}

TEST_F(StoreTest, UpsertOutcomes) {
  auto store = OpenWithAreas();
  auto tx = store->BeginImport(Import("registry-households"));
  ASSERT_TRUE(tx.ok()) << tx.status().ToString();
  EXPECT_EQ(*(*tx)->UpsertHousehold(Household("H1"), 2, nullptr), UpsertOutcome::kInserted);
  EXPECT_EQ(*(*tx)->UpsertHousehold(Household("H1"), 2, nullptr), UpsertOutcome::kUnchanged);
  HouseholdRecord changed = Household("H1");
  changed.housing_grade = 'D';
  HouseholdRecord previous;
  EXPECT_EQ(*(*tx)->UpsertHousehold(changed, 2, &previous), UpsertOutcome::kUpdated);
  EXPECT_EQ(previous.housing_grade, 'B') << "an update hands back the record as it was";
  EXPECT_EQ((*tx)->UpsertHousehold(Household("H2", "653221100999"), 2, nullptr).status().kind(), "village_unknown");
  EXPECT_EQ((*tx)->UpsertHousehold(Household("H3", "653221100"), 2, nullptr).status().kind(), "village_unknown");
  EXPECT_EQ(*(*tx)->UpsertPerson(Person("H1", "11010519491231002X", "张三"), 2, nullptr), UpsertOutcome::kInserted);
  EXPECT_EQ(*(*tx)->UpsertPerson(Person("H1", "11010519491231002X", "张三"), 2, nullptr), UpsertOutcome::kUnchanged);
  EXPECT_EQ((*tx)->UpsertPerson(Person("H9", "11010519491231002X", "张三"), 2, nullptr).status().kind(), "household_unknown");
  IncomeRecord income{"H1", 2024, Money::FromYuan(1000), Money::FromYuan(2000), Money(), Money(), Money::FromYuan(100)};
  EXPECT_EQ(*(*tx)->UpsertIncome(income, 2, nullptr), UpsertOutcome::kInserted);
  income.wage = Money::FromYuan(1500);
  EXPECT_EQ(*(*tx)->UpsertIncome(income, 2, nullptr), UpsertOutcome::kUpdated);
  ASSERT_TRUE((*tx)->Commit({7, 5, 2}).ok());

  auto view = store->GetHousehold("H1");
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->household.housing_grade, 'D');
  ASSERT_EQ(view->members.size(), 1u);
  EXPECT_EQ(view->members[0].name, "张三");
  ASSERT_EQ(view->incomes.size(), 1u);
  EXPECT_EQ(view->incomes[0].Net(), Money::FromYuan(3400));
  EXPECT_EQ(view->path.size(), 5u);
  auto imports = store->ListImports({"registry"});
  ASSERT_EQ(imports->size(), 1u);
  EXPECT_EQ((*imports)[0].accepted, 5);
}

// `hearth imports --area`: the files one of whose villages lies in the area; of the imports
// without villages (made before schema 8, undo and findings-refresh records), those whose area
// holds the area or lies in it, and the feed files that linked no row (so may concern any area:
// every row rejected or unmatched). A registry file: the villages of the households its rows
// name, accepted or not (a code no household has adds nothing).
TEST_F(StoreTest, ImportsOfAnAreaAreTheFilesWithAVillageInIt) {
  auto store = OpenWithAreas();
  auto commit = [&](const std::string& kind, ImportTotals totals) {
    auto tx = store->BeginImport(Import(kind));
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    ASSERT_TRUE((*tx)->Commit(totals).ok());
  };
  {
    auto tx = store->BeginImport(Import("registry-households"));
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    ASSERT_TRUE((*tx)->UpsertHousehold(Household("H1"), 2, nullptr).ok());
    ASSERT_TRUE((*tx)->UpsertHousehold(Household("H2", "653221100202"), 3, nullptr).ok());
    for (const char* code : {"H1", "H1", "H2", "NOSUCH"}) (*tx)->NoteHousehold(code);
    ASSERT_TRUE((*tx)->Commit({5, 2, 3, 0, 0, 0, "", {}, {}}).ok());
  }
  commit("registry-persons", {5, 0, 5, 0, 0, 0, "", {}, {}});  // no household found: listed under none
  // Two counties: shown as the prefecture, listed under each county only.
  commit("medical-claims", {3, 3, 0, 0, 0, 0, "6532", {}, {"653221100201", "653222100201"}});
  // A county's file with rows in two of its townships' villages.
  commit("housing", {2, 2, 0, 0, 0, 0, "653221", {}, {"653221100201", "653221101201"}});
  commit("school", {4, 0, 3, 1, 0, 0, "", {}, {}});  // every row rejected or unmatched
  commit("social-assistance", {2, 0, 0, 0, 2, 0, "", {}, {"653221100202"}});  // all duplicates
  commit("water", {0, 0, 0, 0, 0, 0, "", {}, {}});  // no data row at all
  commit("employment", {1, 1, 0, 0, 0, 0, "653222", {}, {}});  // imported before schema 8
  commit("undo", {0, 0, 0, 0, 0, 0, "653221100201", {}, {}});
  commit("findings-refresh", {8, 8, 0, 0, 0, 0, "653221", {}, {}});
  const struct {
    std::string area;
    std::vector<std::string> kinds;  // newest first
  } cases[] = {
      {"653221", {"findings-refresh", "undo", "social-assistance", "school", "housing", "medical-claims",
                  "registry-households"}},
      {"653222", {"employment", "school", "medical-claims"}},
      {"653223", {"school"}},  // a third county: only the file that may concern anyone
      {"653221100202", {"findings-refresh", "social-assistance", "school", "registry-households"}},
      {"653221101201", {"findings-refresh", "school", "housing"}},  // no row of the registry's there
      {"6532", {"findings-refresh", "undo", "employment", "social-assistance", "school", "housing", "medical-claims",
                "registry-households"}},
      {"", {"findings-refresh", "undo", "employment", "water", "social-assistance", "school", "housing",
            "medical-claims", "registry-persons", "registry-households"}},
  };
  for (const auto& c : cases) {
    auto imports = store->ListImports({"", c.area});
    ASSERT_TRUE(imports.ok()) << imports.status().ToString();
    std::vector<std::string> kinds;
    for (const ImportRecord& i : *imports) kinds.push_back(i.kind);
    EXPECT_EQ(kinds, c.kinds) << c.area;
  }
  // The kind prefix still applies, and an import keeps its area to show.
  auto claims = store->ListImports({"medical", "653222"});
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  ASSERT_EQ(claims->size(), 1u);
  EXPECT_EQ((*claims)[0].area_code, "6532");
  // The registry file shows the smallest area holding its households' villages.
  auto registry = store->ListImports({"registry-households", ""});
  ASSERT_TRUE(registry.ok()) << registry.status().ToString();
  ASSERT_EQ(registry->size(), 1u);
  EXPECT_EQ((*registry)[0].area_code, "653221100");
}

TEST_F(StoreTest, UncommittedImportLeavesNothing) {
  auto store = OpenWithAreas();
  {
    auto tx = store->BeginImport(Import("registry-households"));
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->UpsertHousehold(Household("H1"), 2, nullptr).ok());
    ASSERT_TRUE((*tx)->AddReject({"家庭.csv", 3, "村代码", "x", "village_unknown", "hint"}).ok());
  }  // destroyed without Commit
  EXPECT_EQ(store->GetHousehold("H1").status().kind(), "household_unknown");
  EXPECT_TRUE(store->ListImports({})->empty());
}

// A large feed's lookups are answered from memory on SQLite (store/sqlite/feed_lookup.h) once
// a transaction has made enough of them: the answers must be those of the probes, for a person
// registered twice, one whose ID number ends in X, one only a registration event placed, and keys
// stored before and within the transaction. HEARTH_SQLITE_FEED_INDEX_AFTER sets when (0: at once).
TEST_F(StoreTest, FeedLookupsAnswerTheSameFromMemoryAsByProbe) {
  auto store = OpenWithAreas();
  {
    auto tx = store->BeginImport(Import("registry-households"));
    for (const char* code : {"H1", "H2", "H3"}) ASSERT_TRUE((*tx)->UpsertHousehold(Household(code), 2, nullptr).ok());
    ASSERT_TRUE((*tx)->Commit({3, 3}).ok());
    tx = store->BeginImport(Import("registry-persons"));
    ASSERT_TRUE((*tx)->UpsertPerson(Person("H2", "653221198001020011", "艾力"), 2, nullptr).ok());
    ASSERT_TRUE((*tx)->UpsertPerson(Person("H1", "653221198001020011", "艾力·买买提"), 3, nullptr).ok());
    PersonRecord spouse = Person("H1", "65322119800102002X", "古丽");
    spouse.relation = Relation::kSpouse;
    ASSERT_TRUE((*tx)->UpsertPerson(spouse, 4, nullptr).ok());
    ASSERT_TRUE((*tx)->Commit({3, 3}).ok());
    tx = store->BeginImport(Import("household-registration"));
    ASSERT_TRUE((*tx)->AppendEvent(FeedFact("registration.change", "H3", "653221202501010033", Date::FromCivil(2025, 1, 1),
                                            "653221202501010033|出生", R"({"change":"出生"})")).ok());
    ASSERT_TRUE((*tx)->AppendEvent(FeedFact("medical.claim", "H1", "653221198001020011", Date::FromCivil(2025, 3, 1),
                                            "653221198001020011|2025-03-01", R"({"total":100})")).ok());
    ASSERT_TRUE((*tx)->Commit({2, 2}).ok());
  }
  const std::vector<std::string> ids = {"65322119800102002X", "653221198001020011", "653221202501010033",
                                        "110101199003070019", "65322119800102002x", "6532211980"};
  const std::vector<std::string> keys = {"653221198001020011|2025-03-01", "653221198001020011|2025-04-01"};
  auto lookups = [&](const char* after, std::vector<std::vector<PersonLink>>* persons,
                     std::vector<std::optional<int64_t>>* before, std::vector<std::optional<int64_t>>* after_own) {
    ::setenv("HEARTH_SQLITE_FEED_INDEX_AFTER", after, 1);
    auto tx = store->BeginImport(Import("medical-claims"));
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    auto found = (*tx)->FindPersons(ids);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    *persons = *found;
    auto ids_of = [](const std::vector<std::optional<ActiveEvent>>& events) {
      std::vector<std::optional<int64_t>> out;
      for (const auto& e : events) out.push_back(e ? std::optional<int64_t>(e->id) : std::nullopt);
      return out;
    };
    auto active = (*tx)->ActiveEventsByKey("medical.claim", keys);
    ASSERT_TRUE(active.ok()) << active.status().ToString();
    *before = ids_of(*active);
    ASSERT_TRUE((*tx)->AppendEvent(FeedFact("medical.claim", "H1", "653221198001020011", Date::FromCivil(2025, 4, 1),
                                            keys[1], R"({"total":200})")).ok());
    active = (*tx)->ActiveEventsByKey("medical.claim", keys);
    ASSERT_TRUE(active.ok()) << active.status().ToString();
    *after_own = ids_of(*active);
  };  // rolled back
  std::vector<std::vector<PersonLink>> probed, indexed;
  std::vector<std::optional<int64_t>> probed_before, probed_after, indexed_before, indexed_after;
  lookups("1000000000", &probed, &probed_before, &probed_after);
  lookups("0", &indexed, &indexed_before, &indexed_after);
  ::unsetenv("HEARTH_SQLITE_FEED_INDEX_AFTER");

  ASSERT_EQ(probed.size(), ids.size());
  ASSERT_EQ(probed[1].size(), 2u) << "registered in two households";
  EXPECT_EQ(probed[1][0].household_code, "H1");
  EXPECT_EQ(probed[1][0].name, "艾力·买买提");
  EXPECT_EQ(probed[1][1].household_code, "H2");
  EXPECT_EQ(probed[1][0].relation, Relation::kHead);
  ASSERT_EQ(probed[0].size(), 1u);
  EXPECT_EQ(probed[0][0].name, "古丽");
  EXPECT_EQ(probed[0][0].relation, Relation::kSpouse);
  EXPECT_EQ(probed[0][0].village_code, "653221100201");
  ASSERT_EQ(probed[2].size(), 1u) << "placed by a registration event";
  EXPECT_EQ(probed[2][0].household_code, "H3");
  EXPECT_EQ(probed[2][0].name, "");
  EXPECT_EQ(probed[2][0].relation, std::nullopt) << "not in the registry: no relation";
  EXPECT_TRUE(probed[3].empty());
  EXPECT_TRUE(probed[5].empty());
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(indexed[i].size(), probed[i].size()) << ids[i];
    for (size_t j = 0; j < probed[i].size(); ++j) {
      EXPECT_EQ(indexed[i][j].household_code, probed[i][j].household_code) << ids[i];
      EXPECT_EQ(indexed[i][j].village_code, probed[i][j].village_code) << ids[i];
      EXPECT_EQ(indexed[i][j].name, probed[i][j].name) << ids[i];
      EXPECT_EQ(indexed[i][j].household_ref, probed[i][j].household_ref) << ids[i];
      EXPECT_EQ(indexed[i][j].relation, probed[i][j].relation) << ids[i];
    }
  }
  EXPECT_TRUE(probed_before[0].has_value());
  EXPECT_FALSE(probed_before[1].has_value());
  EXPECT_TRUE(probed_after[1].has_value()) << "this transaction's own event";
  EXPECT_EQ(indexed_before, probed_before);
  ASSERT_EQ(indexed_after.size(), probed_after.size());
  for (size_t i = 0; i < probed_after.size(); ++i) {  // ids of rolled-back events may differ (PostgreSQL)
    EXPECT_EQ(indexed_after[i].has_value(), probed_after[i].has_value()) << keys[i];
  }
}

// A database made before version 5 (keys indexed by their text) gets the stored hash of every
// key it holds, and its facts are found by key afterwards, as corrections and duplicates need.
TEST_F(StoreTest, MigratesStoredEventKeysToTheirHashes) {
  hearth::testing::TestDb old(dir_, "v4", hearth::testing::TestDb::Fresh::kEmpty);
  const Backend backend = old.postgres() ? Backend::kPostgres : Backend::kSqlite;
  std::string sql = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                    "applied_at BIGINT NOT NULL);";
  for (const Migration& m : SchemaMigrations()) {
    if (m.version > 4) break;
    sql += MigrationSql(m, backend) + ";INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
           ", 'v', 0);";
  }
  if (old.postgres()) sql += "CREATE TABLE events_before PARTITION OF events FOR VALUES FROM (0) TO (1000);";
  const std::string key = "653221198001020011|2025-03-01";
  sql += "INSERT INTO events (type, effective_date, recorded_at, payload, event_key) VALUES "
         "('medical.claim', 20000, 1, '{}', '" + key + "'), ('medical.claim', 20001, 2, '{}', NULL), "
         "('school.status', 20002, 3, '{}', 'x|村');";
  ASSERT_TRUE(old.Exec(sql));
  old.Disconnect();

  auto store = OpenStore(old.uri(), OpenMode::kExisting);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(old.Rows("SELECT COALESCE(CAST(key_hash AS TEXT), 'null') FROM events ORDER BY effective_date"),
            (std::vector<std::string>{std::to_string(store_rules::EventKeyHash(key)), "null",
                                      std::to_string(store_rules::EventKeyHash("x|村"))}));
  for (const char* after : {"1000000000", "0"}) {  // probed, and with the keys in memory (SQLite)
    ::setenv("HEARTH_SQLITE_FEED_INDEX_AFTER", after, 1);
    auto tx = (*store)->BeginImport(Import("medical-claims"));
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    auto active = (*tx)->ActiveEventsByKey("medical.claim", {key, "x|村", "653221198001020011|2025-03-02"});
    ASSERT_TRUE(active.ok()) << active.status().ToString();
    ASSERT_EQ(active->size(), 3u);
    EXPECT_TRUE((*active)[0].has_value()) << after;
    EXPECT_FALSE((*active)[1].has_value()) << "another type's key: " << after;
    EXPECT_FALSE((*active)[2].has_value()) << after;
  }
  ::unsetenv("HEARTH_SQLITE_FEED_INDEX_AFTER");
}

TEST_F(StoreTest, RejectsAndEventsAreKept) {
  auto store = OpenWithAreas();
  auto tx = store->BeginImport(Import("registry-households"));
  ASSERT_TRUE((*tx)->UpsertHousehold(Household("H1"), 2, nullptr).ok());
  ASSERT_TRUE((*tx)->AddReject({"家庭.csv", 3, "村代码", "653221100999", "village_unknown", "核对村代码"}).ok());
  EventRecord e;
  e.type = "registry.household";
  e.household_code = "H1";
  e.effective = Date::FromCivil(2025, 4, 5);
  e.source_line = 2;
  e.payload = R"({"village_code":"653221100201"})";
  ASSERT_TRUE((*tx)->AppendEvent(e).ok());
  int64_t id = (*tx)->import_id();
  ASSERT_TRUE((*tx)->Commit({2, 1, 1}).ok());
  auto rejects = store->ListRejects(id);
  ASSERT_EQ(rejects->size(), 1u);
  EXPECT_EQ((*rejects)[0].raw, "653221100999");
  EXPECT_EQ((*rejects)[0].file, "家庭.csv");
  auto view = store->GetHousehold("H1");
  ASSERT_EQ(view->events.size(), 2u) << "the appended event and the row's own creation";
  int with_payload = 0, creations = 0;
  for (const EventRecord& e : view->events) {
    EXPECT_EQ(e.type, "registry.household");
    EXPECT_EQ(e.source_line, 2);
    with_payload += e.payload.find("653221100201") != std::string::npos;
    creations += e.payload == "{}" && e.id == 0;
  }
  EXPECT_EQ(with_payload, 1);
  EXPECT_EQ(creations, 1);
}

TEST_F(StoreTest, SharedPersonsAndCounts) {
  auto store = OpenWithAreas();
  auto tx = store->BeginImport(Import("registry-persons"));
  ASSERT_TRUE((*tx)->UpsertHousehold(Household("H1"), 2, nullptr).ok());
  HouseholdRecord h2 = Household("H2", "653221100202");
  h2.type = HouseholdType::kGeneral;
  h2.relocation_site = "和田县安置区";
  ASSERT_TRUE((*tx)->UpsertHousehold(h2, 2, nullptr).ok());
  ASSERT_TRUE((*tx)->UpsertPerson(Person("H1", "11010519491231002X", "张三"), 2, nullptr).ok());
  ASSERT_TRUE((*tx)->UpsertPerson(Person("H2", "11010519491231002X", "张三"), 2, nullptr).ok());
  ASSERT_TRUE((*tx)->UpsertPerson(Person("H2", "653221198001020014", "李四"), 2, nullptr).ok());
  auto shared = (*tx)->SharedPersons();
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  ASSERT_EQ(shared->size(), 1u);
  EXPECT_EQ((*shared)[0].household_codes, (std::vector<std::string>{"H1", "H2"}));
  ASSERT_TRUE((*tx)->Commit({3, 3, 0}).ok());
  auto counts = store->CountByArea("", AreaLevel::kCounty);
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].households, 2);
  EXPECT_EQ((*counts)[0].persons, 3);
  EXPECT_EQ((*counts)[0].tuopin_households, 1);
  EXPECT_EQ((*counts)[0].relocated_households, 1);
  EXPECT_TRUE(store->CountByArea("6531", AreaLevel::kCounty)->empty());
}

// --- what an engine image needs: the imports committed, and what those since changed ---------

TEST(ImportsSeenTest, FromIdsAndBack) {
  struct Case {
    std::vector<int64_t> ids;
    int64_t max_id;
    std::vector<int64_t> missing;
  };
  const Case cases[] = {
      {{}, 0, {}},
      {{1, 2, 3}, 3, {}},
      {{2, 5}, 5, {1, 3, 4}},
      {{1, 3, 4, 9}, 9, {2, 5, 6, 7, 8}},
  };
  for (const Case& c : cases) {
    const ImportsSeen seen = store_rules::SeenFromIds(c.ids);
    EXPECT_EQ(seen.max_id, c.max_id);
    EXPECT_EQ(seen.missing, c.missing);
    EXPECT_EQ(*store_rules::ParseIds(store_rules::JoinIds(c.missing)), c.missing);
  }
  for (const std::string bad : {"x", "3,,7", "3,", ",3", "3;7", "1e3", " 3"}) {
    StatusOr<std::vector<int64_t>> ids = store_rules::ParseIds(bad);
    ASSERT_FALSE(ids.ok()) << bad;
    EXPECT_EQ(ids.status().kind(), "engine_image_corrupt") << bad;
  }
}

TEST_F(StoreTest, ChangesSinceNameTheHouseholdsOfLaterImports) {
  auto store = OpenWithAreas();
  auto registry = [&](std::vector<HouseholdRecord> households) {
    auto tx = std::move(store->BeginImport(Import("registry-households")).value());
    for (const HouseholdRecord& h : households) ASSERT_TRUE(tx->UpsertHousehold(h, 2, nullptr).ok());
    ASSERT_TRUE(tx->Commit({}).ok());
  };
  int files = 0;
  auto feed = [&](std::vector<EventRecord> events, bool commit = true) {
    ImportRecord file = Import("water");
    file.digest = "sha256:" + std::to_string(++files);  // each a file of its own
    auto tx = std::move(store->BeginImport(file).value());
    for (const EventRecord& e : events) ASSERT_TRUE(tx->AppendEvent(e).ok());
    if (commit) {
      ASSERT_TRUE(tx->Commit({}).ok());
    }
  };
  auto event = [](std::string household, std::string village, std::string key) {
    EventRecord e;
    e.type = "water.assessment";
    e.household_code = std::move(household);
    e.village_code = std::move(village);
    e.effective = Date::FromCivil(2025, 4, 1);
    e.payload = "{}";
    e.event_key = std::move(key);
    return e;
  };
  registry({Household("H1"), Household("H2"), Household("H3", "653221100202")});
  feed({event("H1", "", "a")});
  const ImportsSeen seen = *store->CommittedImports();
  EXPECT_EQ(seen.max_id, 2);
  EXPECT_EQ(*store->ChangesSince(seen), ImageChanges{});

  feed({event("H3", "", "b")}, /*commit=*/false);  // rolled back: changes nothing
  feed({event("H3", "", "c")});
  ImageChanges changes = *store->ChangesSince(seen);
  EXPECT_EQ(changes.imports, 1);
  EXPECT_FALSE(changes.registry);
  std::map<std::string, int64_t> refs;
  StatusOr<std::vector<std::pair<int64_t, std::string>>> listed = store->HouseholdRefs("");
  ASSERT_TRUE(listed.ok());
  for (const auto& [id, code] : *listed) refs[code] = id;
  auto ref = [&](const std::string& code) { return refs.at(code); };
  EXPECT_EQ(changes.households, std::vector<int64_t>{ref("H3")});

  // A village-wide event: every household of its village.
  feed({event("", "653221100201", "d")});
  changes = *store->ChangesSince(seen);
  EXPECT_EQ(changes.imports, 2);
  EXPECT_EQ(changes.households, (std::vector<int64_t>{ref("H1"), ref("H2"), ref("H3")}));

  // An import that upserts registry rows (even one it leaves unchanged).
  registry({Household("H1")});
  changes = *store->ChangesSince(seen);
  EXPECT_EQ(changes.imports, 3);
  EXPECT_TRUE(changes.registry);
  EXPECT_TRUE(changes.households.empty());
  // Nothing since now.
  EXPECT_EQ(store->ChangesSince(*store->CommittedImports())->imports, 0);
}

}  // namespace
}  // namespace hearth
