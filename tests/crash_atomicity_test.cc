// Kill `hearth import registry` with SIGKILL at several points and check that the database is
// consistent and holds each file whole or not at all.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <fstream>
#include <thread>

#include "core/id_number.h"

namespace {

namespace fs = std::filesystem;

constexpr int kHouseholds = 40'000;
constexpr int kPersonsPerHousehold = 4;

// A registry whose rows are all valid, over one real village.
void WriteRegistry(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream h(dir / "家庭.csv"), p(dir / "家庭成员.csv");
  h << "户编号,村代码,户类型,脱贫年度\n";
  p << "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险\n";
  for (int i = 0; i < kHouseholds; ++i) {
    std::string code = "H" + std::to_string(100000 + i);
    h << code << ",653221100201," << (i % 2 ? "脱贫户,2019" : "一般农户,") << '\n';
    for (int k = 0; k < kPersonsPerHousehold; ++k) {
      char body[18];
      std::snprintf(body, sizeof body, "6532211980%02d%02d%03d", 1 + k, 1 + i % 28, (i / 28) % 1000);
      std::string id = std::string(body) + hearth::IdCheckCharacter(body);
      p << code << ",成员" << k << ',' << id << ',' << (k == 0 ? "户主" : "子女")
        << ",健康,普通劳动力,非在校,是\n";
    }
  }
}

int64_t Count(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  return n;
}

std::string IntegrityCheck(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  std::string result = sqlite3_step(stmt) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)) : "";
  sqlite3_finalize(stmt);
  return result;
}

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
  std::string full_db = (dir / "full.db").string();
  int status = 0;
  waitpid(Spawn({HEARTH_BIN, "init", "--db", full_db}), &status, 0);
  auto start = std::chrono::steady_clock::now();
  waitpid(Spawn({HEARTH_BIN, "import", "registry", (dir / "registry").string(), "--db", full_db}), &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  for (int percent : {10, 35, 60, 85}) {
    int delay_ms = static_cast<int>(full_ms * percent / 100);
    std::string db = (dir / ("k" + std::to_string(delay_ms) + ".db")).string();
    waitpid(Spawn({HEARTH_BIN, "init", "--db", db}), &status, 0);
    ASSERT_EQ(WEXITSTATUS(status), 0);
    pid_t pid = Spawn({HEARTH_BIN, "import", "registry", (dir / "registry").string(), "--db", db});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);

    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
    EXPECT_EQ(IntegrityCheck(conn), "ok") << delay_ms;
    int64_t households = Count(conn, "SELECT COUNT(*) FROM households");
    int64_t persons = Count(conn, "SELECT COUNT(*) FROM persons");
    int64_t imports = Count(conn, "SELECT COUNT(*) FROM imports");
    EXPECT_TRUE(households == 0 || households == kHouseholds) << delay_ms << "ms: " << households;
    EXPECT_TRUE(persons == 0 || persons == int64_t{kHouseholds} * kPersonsPerHousehold) << delay_ms << "ms: " << persons;
    EXPECT_EQ(imports, (households > 0) + (persons > 0)) << "an import record exists exactly for each file that is in";
    EXPECT_EQ(Count(conn, "SELECT COUNT(*) FROM persons WHERE created_import IS NULL OR created_line IS NULL"), 0)
        << "every registered row records its provenance";
    sqlite3_close(conn);
    std::printf("killed after %d ms: %lld households, %lld persons\n", delay_ms, static_cast<long long>(households),
                static_cast<long long>(persons));
    outcomes.insert(households + persons);
  }
  EXPECT_LT(*outcomes.begin(), int64_t{kHouseholds} * (1 + kPersonsPerHousehold))
      << "at least one kill must land before the import finished, or this test proves nothing";
  fs::remove_all(dir);
}

}  // namespace
