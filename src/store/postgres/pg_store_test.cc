// What only the PostgreSQL backend has: connection URIs, monthly partitions, text PostgreSQL
// would refuse, a connection lost in the middle of an import, and the registry upserts decided
// from windows of stored rows — checked against the SQLite backend on the same calls. The
// tests that need a server skip without one (they run as pg.* under CTest).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <random>

#include "core/messages.h"
#include "core/testing/temp_dir.h"
#include "store/migrations.h"
#include "store/postgres/pg.h"
#include "store/postgres/pg_store.h"
#include "store/testing/areas.h"
#include "store/testing/test_db.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;
using hearth::testing::TestDb;

#define SKIP_WITHOUT_SERVER() \
  if (!TestDb::UsingPostgres()) GTEST_SKIP() << "no PostgreSQL server (HEARTH_TEST_PG); runs as pg.* under CTest"

TEST(PgUriTest, RecognisesConnectionUris) {
  EXPECT_TRUE(IsPostgresUri("postgresql://hearth@db.example/hearth"));
  EXPECT_TRUE(IsPostgresUri("postgres:///hearth?host=/run/postgresql"));
  EXPECT_FALSE(IsPostgresUri("hearth.db"));
  EXPECT_FALSE(IsPostgresUri("/data/postgresql/hearth.db"));
  EXPECT_FALSE(IsPostgresUri("host=db dbname=hearth"));  // a key=value string is a file name to Hearth
}

TEST(PgUriTest, MasksPasswordsInMessages) {
  EXPECT_EQ(pg::DisplayUri("postgresql://hearth:s3cret@db:5432/hearth"), "postgresql://hearth:***@db:5432/hearth");
  EXPECT_EQ(pg::DisplayUri("postgresql://db/hearth?user=a&password=s3cret&sslmode=require"),
            "postgresql://db/hearth?user=a&password=***&sslmode=require");
  EXPECT_EQ(pg::DisplayUri("postgresql://hearth@db/hearth"), "postgresql://hearth@db/hearth");
  EXPECT_EQ(pg::DisplayUri("postgresql:///hearth?host=/tmp/a:b"), "postgresql:///hearth?host=/tmp/a:b");
}

TEST(PgUriTest, CleansTextPostgresWouldRefuse) {
  std::string scratch;
  EXPECT_EQ(pg::CleanText("阿卜杜拉", &scratch), "阿卜杜拉");
  EXPECT_EQ(pg::CleanText(std::string("a\0b", 3), &scratch), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(pg::CleanText("\xB0\xA1x", &scratch), "\xEF\xBF\xBD\xEF\xBF\xBDx") << "GBK bytes read as UTF-8";
}

TEST(PgUriTest, UnreachableServerIsAClearError) {
  SetLanguage(Lang::kEn);
  auto store = OpenStore("postgresql://hearth:pw@127.0.0.1:1/hearth?connect_timeout=2", OpenMode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().kind(), "db_connect");
  EXPECT_NE(store.status().message().find("Check that the database server is running"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find(":pw@"), std::string::npos) << "the password is not shown";
  SetLanguage(Lang::kZh);
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLanguage(Lang::kEn); }
  void TearDown() override { SetLanguage(Lang::kZh); }

  static ImportRecord Import(std::string kind, int64_t recorded_at = 0) {
    ImportRecord r;
    r.kind = std::move(kind);
    r.file_name = "f.csv";
    r.digest = "sha256:00";
    r.received = Date::FromCivil(2025, 4, 5);
    r.recorded_at = recorded_at;
    return r;
  }

  static HouseholdRecord Household(std::string code, std::string village = "653221100201") {
    HouseholdRecord h;
    h.household_code = std::move(code);
    h.village_code = std::move(village);
    return h;
  }

  hearth::testing::ScopedTempDir tmp_{"hearth_pg_store_test"};
  TestDb db_{tmp_.path()};
};

// Micros of 00:00 (UTC+8) of a date.
int64_t Midnight(Date d) { return (int64_t{d.days()} * 86400 - 8 * 3600) * 1'000'000; }

TEST_F(PgStoreTest, EventsGoToTheirMonthsPartition) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  ASSERT_TRUE(store->LoadAreas(testing::HotanAreas()).ok());
  // Two imports recorded in two months (the second at the first instant of February, UTC+8).
  const int64_t jan = Midnight(Date::FromCivil(2025, 1, 31)) + 1;
  const int64_t feb = Midnight(Date::FromCivil(2025, 2, 1));
  for (int64_t at : {jan, feb}) {
    auto tx = std::move(store->BeginImport(Import("registry-households", at)).value());
    ASSERT_TRUE(tx->UpsertHousehold(Household("H" + std::to_string(at)), 2, nullptr).ok());
    EventRecord e;
    e.type = "registry.household";
    e.household_code = "H" + std::to_string(at);
    e.effective = Date::FromCivil(2025, 1, 5);
    e.payload = "{}";
    ASSERT_TRUE(tx->AppendEvent(e).ok());
    ASSERT_TRUE(tx->Commit({1, 1, 0}).ok());
  }
  EXPECT_EQ(db_.Rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     "WHERE i.inhparent = 'events'::regclass ORDER BY 1"),
            (std::vector<std::string>{"events_p202501", "events_p202502"}));
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM events_p202501"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM events_p202502"), 1);
  // A rolled-back import leaves no partition behind, and the next one makes it again.
  const int64_t mar = Midnight(Date::FromCivil(2025, 3, 10));
  {
    auto tx = std::move(store->BeginImport(Import("registry-households", mar)).value());
    EventRecord e;
    e.type = "registry.household";
    e.effective = Date::FromCivil(2025, 3, 10);
    ASSERT_TRUE(tx->AppendEvent(e).ok());
  }
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM pg_class WHERE relname = 'events_p202503'"), 0);
  auto tx = std::move(store->BeginImport(Import("registry-households", mar)).value());
  EventRecord e;
  e.type = "registry.household";
  e.effective = Date::FromCivil(2025, 3, 10);
  ASSERT_TRUE(tx->AppendEvent(e).ok());
  ASSERT_TRUE(tx->Commit({}).ok());
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM events_p202503"), 1);
  // The audit log is partitioned the same way.
  ASSERT_TRUE(store->Audit("local:test", "household.show", "H1").ok());
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM audit_log"), 1);
  EXPECT_GE(db_.Count("SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'audit_log'::regclass"), 1);
}

// The ordered scan reads its streams over connections of their own; a server that allows this
// login no more connections gets the same facts over the one connection it has.
TEST_F(PgStoreTest, ScanGivesTheSameFactsOnOneConnection) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  ASSERT_TRUE(store->LoadAreas(testing::HotanAreas()).ok());
  {
    auto tx = std::move(store->BeginImport(Import("registry-households")).value());
    for (int h = 1; h <= 30; ++h) {
      const std::string code = "H" + std::to_string(100 + h);
      ASSERT_TRUE(tx->UpsertHousehold(Household(code), h, nullptr).ok());
      for (int m = 0; m < h % 4; ++m) {
        PersonRecord p;
        p.household_code = code;
        p.name = "成员" + std::to_string(m);
        p.id_number = "65322119800101" + std::to_string(1000 + h * 4 + m);
        p.birth_date = Date::FromCivil(1980, 1, 1);
        p.relation = m == 0 ? Relation::kHead : Relation::kChild;
        ASSERT_TRUE(tx->UpsertPerson(p, h, nullptr).ok());
      }
      if (h % 3 != 0) {
        IncomeRecord i;
        i.household_code = code;
        i.year = 2024;
        i.wage = Money::FromFen(100 * h);
        ASSERT_TRUE(tx->UpsertIncome(i, h, nullptr).ok());
      }
      if (h % 5 == 0) {
        EventRecord e;
        e.type = "medical.claim";
        e.household_code = code;
        e.effective = Date::FromCivil(2025, 1, 5);
        e.event_key = code + "|claim";
        e.payload = "{}";
        ASSERT_TRUE(tx->AppendEvent(e).ok());
      }
    }
    ASSERT_TRUE(tx->Commit({30, 30, 0}).ok());
  }
  auto scan = [](Store& s) {
    std::vector<std::string> out;
    Status st = s.ScanFacts({}, [&](HouseholdFacts& f) {
      std::string line = f.household.household_code + ":";
      for (const PersonRecord& p : f.members) line += p.id_number + ",";
      line += ":";
      for (const IncomeRecord& i : f.incomes) line += std::to_string(i.year) + "=" + std::to_string(i.wage.fen()) + ",";
      line += ":";
      for (const EventRecord& e : f.events) line += e.event_key + ",";
      out.push_back(line);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return out;
  };
  const std::vector<std::string> streams = scan(*store);
  ASSERT_EQ(streams.size(), 30u);
  EXPECT_EQ(streams[4], "H105:653221198001011020,:2024=500,:H105|claim,");
  // A reader allowed one connection (superusers have no limit): the scan's streams cannot
  // connect and share the one.
  ASSERT_TRUE(db_.Exec("DROP ROLE IF EXISTS hearth_one_conn"));
  ASSERT_TRUE(db_.Exec("CREATE ROLE hearth_one_conn LOGIN CONNECTION LIMIT 1 IN ROLE pg_read_all_data"));
  std::string uri = db_.uri();
  const size_t at = uri.find("postgres@");
  ASSERT_NE(at, std::string::npos) << uri;
  uri.replace(at, 8, "hearth_one_conn");
  {
    auto one = std::move(OpenStore(uri, OpenMode::kExisting).value());
    EXPECT_EQ(scan(*one), streams);
  }
  ASSERT_TRUE(db_.Exec("DROP ROLE hearth_one_conn"));
  // A server (here: this database) that exports no snapshot to the reader: one connection too.
  ASSERT_TRUE(db_.Exec("DROP ROLE IF EXISTS hearth_no_export"));
  ASSERT_TRUE(db_.Exec("CREATE ROLE hearth_no_export LOGIN IN ROLE pg_read_all_data"));
  ASSERT_TRUE(db_.Exec("REVOKE EXECUTE ON FUNCTION pg_export_snapshot() FROM PUBLIC"));
  uri = db_.uri();
  uri.replace(uri.find("postgres@"), 8, "hearth_no_export");
  {
    auto no_export = std::move(OpenStore(uri, OpenMode::kExisting).value());
    EXPECT_EQ(scan(*no_export), streams);
    // and the connection is fine afterwards (the failed export aborted nothing it kept)
    EXPECT_EQ(no_export->HouseholdFactsOf("H105").value().members.size(), 1u);
  }
  ASSERT_TRUE(db_.Exec("GRANT EXECUTE ON FUNCTION pg_export_snapshot() TO PUBLIC"));
  ASSERT_TRUE(db_.Exec("DROP ROLE hearth_no_export"));
}

// Making a month's partition takes a lock of that month's name, not the writers' lock: an
// audit row of a new month is written while an import holds the writers' lock.
TEST_F(PgStoreTest, NewMonthsAuditPartitionDoesNotWaitForAnImport) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  for (const std::string& part : db_.Rows("SELECT inhrelid::regclass::text FROM pg_inherits "
                                          "WHERE inhparent = 'audit_log'::regclass")) {
    ASSERT_TRUE(db_.Exec("DROP TABLE " + part));
  }
  auto importer = std::move(OpenStore(db_.uri(), OpenMode::kExisting).value());
  auto tx = std::move(importer->BeginImport(Import("registry-households")).value());  // holds the writers' lock
  auto audited = std::async(std::launch::async, [&] { return store->Audit("local:test", "household.show", "H1"); });
  const bool done = audited.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  EXPECT_TRUE(done) << "the audit waited for the import";
  tx.reset();  // rolls back; a waiting audit goes on
  EXPECT_TRUE(audited.get().ok());
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM audit_log"), 1);
}

// A month's partition a DBA detached (to archive it) is not written to by mistake, nor does a
// cryptic routing error come out: the import is refused with what to do.
TEST_F(PgStoreTest, DetachedMonthIsAClearError) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  ASSERT_TRUE(store->LoadAreas(testing::HotanAreas()).ok());
  const int64_t jan = Midnight(Date::FromCivil(2025, 1, 10));
  auto write = [&]() -> Status {
    HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<ImportTransaction> tx, store->BeginImport(Import("registry-households", jan)));
    EventRecord e;
    e.type = "registry.household";
    e.effective = Date::FromCivil(2025, 1, 10);
    e.payload = "{}";
    HEARTH_RETURN_IF_ERROR(tx->AppendEvent(e).status());
    return tx->Commit({});
  };
  ASSERT_TRUE(write().ok());
  ASSERT_TRUE(db_.Exec("ALTER TABLE events DETACH PARTITION events_p202501"));
  auto again = std::move(OpenStore(db_.uri(), OpenMode::kExisting).value());  // knows no partition yet
  store = std::move(again);
  Status s = write();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), "db_partition_detached");
  EXPECT_NE(s.message().find("events_p202501"), std::string::npos) << s.message();
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM events_p202501"), 1) << "the archived month is untouched";
}

// Divisions naming a code twice load as on SQLite: the last row counts.
TEST_F(PgStoreTest, AreaGivenTwiceKeepsTheLast) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  std::vector<Area> areas = testing::HotanAreas();
  Area again = areas.back();
  again.name = "改名村";
  areas.push_back(again);
  ASSERT_TRUE(store->LoadAreas(areas).ok());
  EXPECT_EQ(store->GetArea(again.code).value().name, "改名村");
}

TEST_F(PgStoreTest, KeepsTextPostgresWouldRefuse) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  auto tx = std::move(store->BeginImport(Import("registry-households")).value());
  RejectRecord r{"家庭.csv", 3, "户编号", std::string("H\0\xB0\xA1", 4), "x", "tab\there\nnewline\\back", RowOutcome::kRejected,
                 {"a\tb", "c\\d"}};
  ASSERT_TRUE(tx->AddReject(r).ok());
  int64_t id = tx->import_id();
  ASSERT_TRUE(tx->Commit({1, 0, 1}).ok());
  auto rejects = store->ListRejects(id);
  ASSERT_TRUE(rejects.ok()) << rejects.status().ToString();
  ASSERT_EQ(rejects->size(), 1u);
  EXPECT_EQ((*rejects)[0].raw, "H\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ((*rejects)[0].hint, "tab\there\nnewline\\back") << "COPY's escapes round-trip";
  EXPECT_EQ((*rejects)[0].cells, (std::vector<std::string>{"a\tb", "c\\d"}));
}

TEST_F(PgStoreTest, CreatesAMissingDatabase) {
  SKIP_WITHOUT_SERVER();
  TestDb absent(tmp_.path(), "created", TestDb::Fresh::kAbsent);
  auto refused = OpenStore(absent.uri(), OpenMode::kExisting);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), "db_missing");
  EXPECT_NE(refused.status().message().find("hearth init --db"), std::string::npos) << refused.status().message();
  auto store = OpenStore(absent.uri(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(absent.Count("SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
}

// The backend's pid, to end its connection from outside as a server restart would.
int BackendPid(const TestDb& db) {
  return static_cast<int>(db.Count("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid() AND backend_type = 'client backend' LIMIT 1"));
}

TEST_F(PgStoreTest, LostConnectionIsAClearErrorAndLosesNothingCommitted) {
  SKIP_WITHOUT_SERVER();
  auto store = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  ASSERT_TRUE(store->LoadAreas(testing::HotanAreas()).ok());
  {
    auto tx = std::move(store->BeginImport(Import("registry-households")).value());
    ASSERT_TRUE(tx->UpsertHousehold(Household("H1"), 2, nullptr).ok());
    ASSERT_TRUE(tx->Commit({1, 1, 0}).ok());
  }
  auto tx = std::move(store->BeginImport(Import("registry-households")).value());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(tx->UpsertHousehold(Household("H" + std::to_string(100 + i)), 2, nullptr).ok());
  int pid = BackendPid(db_);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(db_.Exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")"));
  Status s = tx->Commit({100, 100, 0});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), "db_connection_lost") << s.ToString();
  EXPECT_NE(s.message().find("run the command again"), std::string::npos) << s.message();
  tx.reset();
  store.reset();
  // What was committed is there; the rest is not.
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM households"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports"), 1);
  // The message in Chinese too.
  SetLanguage(Lang::kZh);
  auto again = std::move(OpenStore(db_.uri(), OpenMode::kExisting).value());
  auto tx2 = std::move(again->BeginImport(Import("registry-households")).value());
  ASSERT_TRUE(db_.Exec("SELECT pg_terminate_backend(" + std::to_string(BackendPid(db_)) + ")"));
  auto lost = tx2->UpsertHousehold(Household("H9"), 2, nullptr);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().kind(), "db_connection_lost");
  EXPECT_NE(lost.status().message().find("连接"), std::string::npos) << lost.status().message();
}

// --- the registry upserts, differential: PostgreSQL against SQLite ---------------------------

struct Step {
  int kind;  // 0 household, 1 person, 2 income
  HouseholdRecord h;
  PersonRecord p;
  IncomeRecord i;
};

// What one call returned, as text.
std::string Outcome(const StatusOr<UpsertOutcome>& o) {
  return o.ok() ? std::to_string(static_cast<int>(*o)) : o.status().kind();
}

// Runs `steps` in transactions of `per_tx` calls on `store`, and returns every outcome, every
// previous record handed back, and the households as stored at the end.
std::vector<std::string> Replay(Store& store, const std::vector<Step>& steps, size_t per_tx,
                                const std::vector<std::string>& codes) {
  std::vector<std::string> log;
  std::unique_ptr<ImportTransaction> tx;
  for (size_t k = 0; k < steps.size(); ++k) {
    if (tx == nullptr) {
      ImportRecord r;
      r.kind = "registry-mixed";
      r.file_name = "f";
      r.digest = "d";
      r.received = Date::FromCivil(2025, 1, 1);
      tx = std::move(store.BeginImport(r).value());
    }
    const Step& s = steps[k];
    if (s.kind == 0) {
      HouseholdRecord prev;
      auto o = tx->UpsertHousehold(s.h, static_cast<int64_t>(k), &prev);
      log.push_back("h " + s.h.household_code + " " + Outcome(o) + " " + prev.village_code +
                    (prev.housing_grade ? std::string(1, *prev.housing_grade) : "-"));
    } else if (s.kind == 1) {
      PersonRecord prev;
      auto o = tx->UpsertPerson(s.p, static_cast<int64_t>(k), &prev);
      log.push_back("p " + s.p.household_code + " " + s.p.id_number + " " + Outcome(o) + " " + prev.name +
                    (prev.months_worked ? std::to_string(*prev.months_worked) : "-"));
    } else {
      IncomeRecord prev;
      auto o = tx->UpsertIncome(s.i, static_cast<int64_t>(k), &prev);
      log.push_back("i " + s.i.household_code + " " + std::to_string(s.i.year) + " " + Outcome(o) + " " +
                    std::to_string(prev.wage.fen()));
    }
    if ((k + 1) % per_tx == 0) {
      EXPECT_TRUE(tx->Commit({}).ok());
      tx.reset();
    }
  }
  if (tx != nullptr) {
    EXPECT_TRUE(tx->Commit({}).ok());
  }
  for (const std::string& code : codes) {
    auto view = store.GetHousehold(code);
    if (!view.ok()) {
      log.push_back(code + " " + view.status().kind());
      continue;
    }
    std::string line = code + " " + view->household.village_code + (view->household.housing_grade ? std::string(1, *view->household.housing_grade) : "-");
    for (const PersonRecord& p : view->members) {
      line += " " + p.id_number + ":" + p.name + ":" + (p.months_worked ? std::to_string(*p.months_worked) : "-");
    }
    for (const IncomeRecord& i : view->incomes) line += " " + std::to_string(i.year) + ":" + std::to_string(i.wage.fen());
    log.push_back(line);
  }
  return log;
}

TEST_F(PgStoreTest, RegistryUpsertsAgreeWithSqlite) {
  SKIP_WITHOUT_SERVER();
  // More households than a window holds at first, in code order and out of it, with persons
  // and incomes, repeated with changes: the windows move, shrink and grow, and the buffers
  // flush between them.
  std::mt19937 rng(7);
  std::vector<std::string> codes;
  for (int i = 0; i < 1500; ++i) codes.push_back("H" + std::to_string(100000 + i * 7));
  codes.push_back("H-unknown");
  std::vector<Step> steps;
  auto add_round = [&](bool shuffled, int variant) {
    std::vector<std::string> order(codes.begin(), codes.end() - 1);
    if (shuffled) {  // a few hundred households in no order (each then costs a fetch)
      std::shuffle(order.begin(), order.end(), rng);
      order.resize(400);
    }
    for (const std::string& code : order) {
      Step h{0};
      h.h = Household(code, rng() % 5 == 0 ? "653221100202" : "653221100201");
      if (variant > 0 && rng() % 3 == 0) h.h.housing_grade = static_cast<char>('A' + rng() % 4);
      if (variant == 2) h.h.keep_stored = kKeepHousingGrade;
      steps.push_back(h);
    }
    for (const std::string& code : order) {
      for (int k = 0; k < 3; ++k) {
        Step p{1};
        p.p.household_code = rng() % 50 == 0 ? "H-unknown" : code;
        p.p.id_number = "65322119800101" + std::to_string(1000 + k) + code.substr(1, 3);
        p.p.name = variant > 0 && rng() % 4 == 0 ? "李四" : "张三";
        p.p.birth_date = Date::FromCivil(1980, 1, 1);
        if (rng() % 3 == 0) p.p.months_worked = static_cast<int>(rng() % 12);
        if (variant == 2) p.p.keep_stored = kKeepMonthsWorked;
        steps.push_back(p);
      }
      Step i{2};
      i.i = IncomeRecord{code, 2024, Money::FromFen(static_cast<int64_t>(rng() % 3) * 100), Money(), Money(), Money(), Money()};
      steps.push_back(i);
    }
  };
  add_round(false, 0);
  add_round(true, 1);
  add_round(false, 2);

  auto pg = std::move(OpenStore(db_.uri(), OpenMode::kCreate).value());
  auto lite = std::move(OpenStore((tmp_.path() / "differential.db").string(), OpenMode::kCreate).value());
  for (Store* s : {pg.get(), lite.get()}) ASSERT_TRUE(s->LoadAreas(testing::HotanAreas()).ok());
  for (size_t per_tx : {steps.size(), size_t{2501}}) {
    SCOPED_TRACE(per_tx);
    std::vector<std::string> from_pg = Replay(*pg, steps, per_tx, codes);
    std::vector<std::string> from_lite = Replay(*lite, steps, per_tx, codes);
    ASSERT_EQ(from_pg.size(), from_lite.size());
    size_t differ = 0;
    for (size_t k = 0; k < from_pg.size(); ++k) {
      if (from_pg[k] != from_lite[k] && differ++ < 5) ADD_FAILURE() << k << ": pg " << from_pg[k] << " / sqlite " << from_lite[k];
    }
    EXPECT_EQ(differ, 0u);
  }
}

}  // namespace
}  // namespace hearth
