// Kill `hearth import registry` with SIGKILL at several points and check that the database is
// consistent and holds each file whole or not at all (a SQLite file, or a PostgreSQL database
// under pg.*: the server then sees its client vanish mid-transaction).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <fstream>
#include <memory>
#include <thread>

#include "core/id_number.h"
#include "store/testing/test_db.h"

namespace {

namespace fs = std::filesystem;

constexpr int kHouseholds = 40'000;
constexpr int kPersonsPerHousehold = 4;

// The ID number of person k of household i of WriteRegistry.
std::string PersonId(int i, int k) {
  char body[32];  // 17 characters; room for what the compiler cannot rule out
  std::snprintf(body, sizeof body, "6532211980%02d%02d%03d", 1 + k, 1 + i % 28, (i / 28) % 1000);
  return std::string(body) + hearth::IdCheckCharacter(body);
}

// A registry whose rows are all valid, over one real village.
void WriteRegistry(const fs::path& dir, int households = kHouseholds) {
  fs::create_directories(dir);
  std::ofstream h(dir / "家庭.csv"), p(dir / "家庭成员.csv");
  h << "户编号,村代码,户类型,脱贫年度\n";
  p << "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险\n";
  for (int i = 0; i < households; ++i) {
    std::string code = "H" + std::to_string(100000 + i);
    h << code << ",653221100201," << (i % 2 ? "脱贫户,2019" : "一般农户,") << '\n';
    for (int k = 0; k < kPersonsPerHousehold; ++k) {
      std::string id = PersonId(i, k);
      p << code << ",成员" << k << ',' << id << ',' << (k == 0 ? "户主" : "子女")
        << ",健康,普通劳动力,非在校,是\n";
    }
  }
}

using hearth::testing::TestDb;

pid_t Spawn(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

TEST(CrashAtomicityTest, KilledImportLeavesWholeFilesOnly) {
  fs::path dir = fs::temp_directory_path() / ("hearth_crash_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  WriteRegistry(dir / "registry");
  std::set<int64_t> outcomes;
  // Time one whole import, then kill others at fractions of that time (so the points fall
  // inside the import whatever the build: sanitizers are several times slower).
  TestDb full_db(dir, "full");
  int status = 0;
  waitpid(Spawn({HEARTH_BIN, "init", "--db", full_db.uri()}), &status, 0);
  auto start = std::chrono::steady_clock::now();
  waitpid(Spawn({HEARTH_BIN, "import", "registry", (dir / "registry").string(), "--db", full_db.uri()}), &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  for (int percent : {10, 35, 60, 85}) {
    int delay_ms = static_cast<int>(full_ms * percent / 100);
    TestDb db(dir, "k" + std::to_string(delay_ms));
    waitpid(Spawn({HEARTH_BIN, "init", "--db", db.uri()}), &status, 0);
    ASSERT_EQ(WEXITSTATUS(status), 0);
    pid_t pid = Spawn({HEARTH_BIN, "import", "registry", (dir / "registry").string(), "--db", db.uri()});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);

    EXPECT_EQ(db.IntegrityCheck(), "ok") << delay_ms;
    int64_t households = db.Count("SELECT COUNT(*) FROM households");
    int64_t persons = db.Count("SELECT COUNT(*) FROM persons");
    int64_t imports = db.Count("SELECT COUNT(*) FROM imports");
    EXPECT_TRUE(households == 0 || households == kHouseholds) << delay_ms << "ms: " << households;
    EXPECT_TRUE(persons == 0 || persons == int64_t{kHouseholds} * kPersonsPerHousehold) << delay_ms << "ms: " << persons;
    EXPECT_EQ(imports, (households > 0) + (persons > 0)) << "an import record exists exactly for each file that is in";
    EXPECT_EQ(db.Count("SELECT COUNT(*) FROM persons WHERE created_import IS NULL OR created_line IS NULL"), 0)
        << "every registered row records its provenance";
    std::printf("killed after %d ms: %lld households, %lld persons\n", delay_ms, static_cast<long long>(households),
                static_cast<long long>(persons));
    outcomes.insert(households + persons);
  }
  EXPECT_LT(*outcomes.begin(), int64_t{kHouseholds} * (1 + kPersonsPerHousehold))
      << "at least one kill must land before the import finished, or this test proves nothing";
  fs::remove_all(dir);
}

// --- department feeds -------------------------------------------------------------------------

constexpr int kFeedHouseholds = 8'000;  // 32,000 registered persons, one claim each

// A 医保 claims file: one claim per registered person, every 1,000th with a wrong check
// character (rejected), every 1,000th (offset 500) of a person nobody registered (unmatched).
int64_t WriteClaims(const fs::path& path) {
  std::ofstream out(path);
  out << "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n";
  int64_t rows = 0;
  for (int i = 0; i < kFeedHouseholds; ++i) {
    for (int k = 0; k < kPersonsPerHousehold; ++k, ++rows) {
      std::string id = PersonId(i, k);
      if (rows % 1000 == 0) id[17] = id[17] == '1' ? '2' : '1';
      if (rows % 1000 == 500) id = "110101" + id.substr(6, 11) + hearth::IdCheckCharacter("110101" + id.substr(6, 11));
      out << id << ",成员" << k << ",住院,2025-03-01,2025-03-" << 2 + i % 27 << ',' << 1000 + i % 500 << ".00,600.00,0.00,0.00,"
          << 400 + i % 500 << ".00\n";
    }
  }
  return rows;
}

int RunHearth(const std::vector<std::string>& args) {
  int status = 0;
  waitpid(Spawn(args), &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// What one feed import left in a database.
struct FeedState {
  int64_t imports = 0, events = 0, rejects = 0, accepted = -1, problem_rows = -1;
  std::string integrity;
};

FeedState ReadFeedState(const TestDb& db) {
  FeedState s;
  s.integrity = db.IntegrityCheck();
  s.imports = db.Count("SELECT COUNT(*) FROM imports WHERE kind = 'medical-claims'");
  s.events = db.Count("SELECT COUNT(*) FROM events WHERE type = 'medical.claim'");
  s.rejects = db.Count("SELECT COUNT(*) FROM rejects r JOIN imports i ON i.id = r.import_id WHERE i.kind = 'medical-claims'");
  if (s.imports == 1) {
    s.accepted = db.Count("SELECT accepted FROM imports WHERE kind = 'medical-claims'");
    s.problem_rows = db.Count("SELECT rejected + unmatched + flagged FROM imports WHERE kind = 'medical-claims'");
  }
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM events e LEFT JOIN imports i ON i.id = e.import_id WHERE i.id IS NULL"), 0)
      << "every event belongs to an import that is there";
  EXPECT_EQ(db.Count("SELECT COUNT(*) FROM rejects r LEFT JOIN imports i ON i.id = r.import_id WHERE i.id IS NULL"), 0);
  db.Disconnect();  // a PostgreSQL database is copied only when nobody is connected
  return s;
}

TEST(CrashAtomicityTest, KilledFeedImportLeavesTheWholeFileOrNothing) {
  fs::path dir = fs::temp_directory_path() / ("hearth_feed_crash_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  WriteRegistry(dir / "registry", kFeedHouseholds);
  const std::string claims = (dir / "claims.csv").string();
  const int64_t rows = WriteClaims(claims);
  TestDb base(dir, "base");
  ASSERT_EQ(RunHearth({HEARTH_BIN, "init", "--db", base.uri()}), 0);
  ASSERT_EQ(RunHearth({HEARTH_BIN, "import", "registry", (dir / "registry").string(), "--db", base.uri()}), 0);
  const std::vector<std::string> import_args = {"import", "feed", "medical-claims", claims, "--no-screen",
                                                "--received", "2025-04-05", "--db"};
  auto command = [&](const TestDb& db) {
    std::vector<std::string> args = {HEARTH_BIN};
    args.insert(args.end(), import_args.begin(), import_args.end());
    args.push_back(db.uri());
    return args;
  };

  // The whole import, timed; what it leaves is what a killed import may leave, or nothing.
  std::unique_ptr<TestDb> full = base.Copy("full");
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunHearth(command(*full)), 0);
  auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  const FeedState whole = ReadFeedState(*full);
  ASSERT_EQ(whole.imports, 1);
  ASSERT_EQ(whole.integrity, "ok");
  EXPECT_EQ(whole.events, rows - 2 * (rows / 1000)) << "one event per accepted row";
  EXPECT_EQ(whole.accepted, whole.events);
  EXPECT_EQ(whole.rejects, 2 * (rows / 1000));
  EXPECT_EQ(whole.problem_rows, whole.rejects);

  std::set<int64_t> outcomes;
  for (int percent : {10, 35, 60, 85}) {
    int delay_ms = static_cast<int>(full_ms * percent / 100);
    SCOPED_TRACE(std::to_string(delay_ms) + " ms");
    std::unique_ptr<TestDb> db = base.Copy("k" + std::to_string(percent));
    pid_t pid = Spawn(command(*db));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);

    FeedState killed = ReadFeedState(*db);
    EXPECT_EQ(killed.integrity, "ok");
    if (killed.imports == 0) {
      EXPECT_EQ(killed.events, 0) << "no import record, so no events";
      EXPECT_EQ(killed.rejects, 0) << "no import record, so no rejects";
    } else {
      EXPECT_EQ(killed.imports, 1);
      EXPECT_EQ(killed.events, whole.events) << "the import is there, so all of its events are";
      EXPECT_EQ(killed.rejects, whole.rejects);
      EXPECT_EQ(killed.accepted, whole.accepted);
    }
    std::printf("feed import killed after %d ms of %lld: %lld imports, %lld events, %lld rejects\n", delay_ms,
                static_cast<long long>(full_ms), static_cast<long long>(killed.imports),
                static_cast<long long>(killed.events), static_cast<long long>(killed.rejects));
    outcomes.insert(killed.events);

    // Then a normal import succeeds and leaves the whole file once.
    EXPECT_EQ(RunHearth(command(*db)), 0);
    FeedState after = ReadFeedState(*db);
    EXPECT_EQ(after.integrity, "ok");
    EXPECT_EQ(after.imports, 1);
    EXPECT_EQ(after.events, whole.events);
    EXPECT_EQ(after.rejects, whole.rejects);
  }
  EXPECT_EQ(*outcomes.begin(), 0) << "at least one kill must land before the import committed, or this test proves nothing";
  fs::remove_all(dir);
}

}  // namespace
