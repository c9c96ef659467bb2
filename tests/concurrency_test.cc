// Several `hearth` processes writing one database at once, and a database server that stops in
// the middle of an import: no row lost or written twice, a clear message, and a rerun that
// completes the work. The concurrent imports run on both backends (SQLite's one writer,
// PostgreSQL's write lock); the server stop needs a server of its own and runs under pg.* only.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/id_number.h"
#include "core/testing/temp_dir.h"
#include "store/testing/test_db.h"
#include "testing/run_hearth.h"

namespace {

namespace fs = std::filesystem;
using hearth::testing::CmdResult;
using hearth::testing::Quote;
using hearth::testing::TestDb;

// Valid ID number of person k of household i.
std::string PersonId(int i, int k) {
  char body[32];
  std::snprintf(body, sizeof body, "6532211980%02d%02d%03d", 1 + k, 1 + i % 28, (i / 28) % 1000);
  return std::string(body) + hearth::IdCheckCharacter(body);
}

// A registry of `households` households of four persons over one village.
void WriteRegistry(const fs::path& dir, int households) {
  fs::create_directories(dir);
  std::ofstream h(dir / "家庭.csv"), p(dir / "家庭成员.csv");
  h << "户编号,村代码,户类型,脱贫年度\n";
  p << "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险\n";
  for (int i = 0; i < households; ++i) {
    std::string code = "H" + std::to_string(100000 + i);
    h << code << ",653221100201," << (i % 2 ? "脱贫户,2019" : "一般农户,") << '\n';
    for (int k = 0; k < 4; ++k) {
      p << code << ",成员" << k << ',' << PersonId(i, k) << ',' << (k == 0 ? "户主" : "子女") << ",健康,普通劳动力,非在校,是\n";
    }
  }
}

// A claims file with one claim per person of households [first, last), and one rejected row
// (a wrong check character) at the end.
void WriteClaims(const fs::path& path, int first, int last) {
  std::ofstream out(path);
  out << "证件号码,姓名,就诊类型,入院日期,出院日期,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n";
  for (int i = first; i < last; ++i) {
    for (int k = 0; k < 4; ++k) {
      out << PersonId(i, k) << ",成员" << k << ",住院,2025-03-01,2025-03-" << 2 + i % 27 << ',' << 1000 + i % 500
          << ".00,600.00,0.00,0.00," << 400 + i % 500 << ".00\n";
    }
  }
  std::string bad = PersonId(first, 0);
  bad[17] = bad[17] == '1' ? '2' : '1';
  out << bad << ",成员0,住院,2025-03-01,2025-03-02,1000.00,600.00,0.00,0.00,400.00\n";
}

// Starts `hearth ARGS` (already quoted) with its output going to `out`; returns the pid.
pid_t Start(const std::string& args, const fs::path& out) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string cmd = std::string("LANG= LC_ALL= exec ") + Quote(HEARTH_BIN) + " --lang en " + args + " > " +
                      Quote(out.string()) + " 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  CmdResult Hearth(const std::string& args) { return hearth::testing::RunHearth(HEARTH_BIN, args, "en"); }
  std::string Db() const { return " --db " + Quote(db_.uri()); }

  hearth::testing::ScopedTempDir tmp_{"hearth_concurrency_test"};
  const fs::path dir_ = tmp_.path();
  TestDb db_{dir_, "h"};
};

// Three processes at once: the same department file twice and a file that overlaps it by half.
// Each fact is written once; the identical file is committed once (the process that came second
// finds, once its turn to write has come, that the file is in, and writes nothing); the
// overlapping file adds only what the first did not have.
TEST_F(ConcurrencyTest, ConcurrentImportsOfOverlappingFeedFilesWriteEachFactOnce) {
  constexpr int kHouseholds = 1500;
  WriteRegistry(dir_ / "registry", kHouseholds);
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  CmdResult reg = Hearth("import registry " + Quote((dir_ / "registry").string()) + Db());
  ASSERT_EQ(reg.exit_code, 0) << reg.out;
  const fs::path a = dir_ / "claims-a.csv", b = dir_ / "claims-b.csv";
  WriteClaims(a, 0, 1000);     // 4,000 claims
  WriteClaims(b, 500, 1500);   // 4,000 claims, 2,000 of them also in a
  const std::string tail = " --received 2025-04-05 --no-screen" + Db();
  std::vector<pid_t> pids;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    const std::vector<std::string> files = {a.string(), a.string(), b.string()};
    pids.clear();
    for (size_t k = 0; k < files.size(); ++k) {
      pids.push_back(Start("import feed medical-claims " + Quote(files[k]) + tail, dir_ / ("out" + std::to_string(k))));
    }
    int identical = 0;
    for (size_t k = 0; k < pids.size(); ++k) {
      std::string out = ReadAll(dir_ / ("out" + std::to_string(k)));
      EXPECT_EQ(Wait(pids[k]), 0) << out;
      out = ReadAll(dir_ / ("out" + std::to_string(k)));
      identical += out.find("nothing was written") != std::string::npos;
    }
    // The first round: one of the two copies of a finds the other committed. The second round
    // repeats all three: every one of them is a file seen before.
    EXPECT_EQ(identical, round == 0 ? 1 : 3);
    EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports WHERE kind = 'medical-claims'"), 2)
        << "each file committed once";
    EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM events WHERE type = 'medical.claim'"), 6000) << "each claim once";
    EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM (SELECT event_key FROM events WHERE type = 'medical.claim' "
                        "GROUP BY event_key HAVING COUNT(*) > 1) d"),
              0);
    EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM rejects r JOIN imports i ON i.id = r.import_id "
                        "WHERE i.kind = 'medical-claims'"),
              2)
        << "one rejected row per file, kept once";
    EXPECT_EQ(db_.Count("SELECT SUM(accepted) FROM imports WHERE kind = 'medical-claims'"), 6000)
        << "rows known from the other file count as duplicates, not accepted";
  }
}

// Registry imports of one directory by two processes at once: the rows are there once, each
// process's report adds up, and the second found the first's rows unchanged.
TEST_F(ConcurrencyTest, ConcurrentRegistryImportsUpsertOnce) {
  WriteRegistry(dir_ / "registry", 3000);
  ASSERT_EQ(Hearth("init" + Db()).exit_code, 0);
  pid_t first = Start("import registry " + Quote((dir_ / "registry").string()) + Db(), dir_ / "out0");
  pid_t second = Start("import registry " + Quote((dir_ / "registry").string()) + Db(), dir_ / "out1");
  EXPECT_EQ(Wait(first), 0) << ReadAll(dir_ / "out0");
  EXPECT_EQ(Wait(second), 0) << ReadAll(dir_ / "out1");
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM households"), 3000);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM persons"), 12000);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM events"), 0) << "nothing changed, so no change events";
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM imports"), 4) << "two files, imported twice each";
  EXPECT_EQ(db_.Count("SELECT SUM(accepted) FROM imports"), 30000);
}

// --- a server that stops in the middle (PostgreSQL) -------------------------------------------

// A throw-away server of this test's own (scripts/pg-test-server), so that stopping it disturbs
// no other test.
class OwnServer {
 public:
  OwnServer() : dir_("/tmp/hearth-pgstop-" + std::to_string(::getpid())) {}
  ~OwnServer() { Script("stop"); }
  bool Script(const std::string& action) {
    std::string cmd = Quote(std::string(HEARTH_TEST_SRCDIR) + "/scripts/pg-test-server") + " " + action + " " +
                      Quote(dir_) + " > /dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
  }
  std::string Uri(const std::string& database) const {
    std::ifstream in(dir_ + "/uri");
    std::string base;
    std::getline(in, base);
    return TestDb::WithDatabase(base, database);
  }

 private:
  std::string dir_;
};

TEST(ServerFailureTest, ServerStoppedMidImportIsAClearErrorAndARerunCompletesIt) {
  if (!TestDb::UsingPostgres()) GTEST_SKIP() << "PostgreSQL only (runs as pg.* under CTest)";
  hearth::testing::ScopedTempDir tmp("hearth_server_failure_test");
  OwnServer server;
  ASSERT_TRUE(server.Script("start"));
  const std::string db = " --db " + Quote(server.Uri("hearth"));
  auto hearth = [&](const std::string& args) { return hearth::testing::RunHearth(HEARTH_BIN, args, "en"); };
  const int kHouseholds = 20000;
  WriteRegistry(tmp.path() / "registry", kHouseholds);
  ASSERT_EQ(hearth("init" + db).exit_code, 0);
  const std::string import = "import registry " + Quote((tmp.path() / "registry").string()) + db;

  // Stop the server (fast shutdown, as for a restart) while the persons file is being written:
  // once the households file is committed (another process sees its import), a little later.
  pid_t pid = Start(import, tmp.path() / "out");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (hearth("imports --format json" + db).out.find("registry-households") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(server.Script("halt"));
  EXPECT_EQ(Wait(pid), 1);
  const std::string out = ReadAll(tmp.path() / "out");
  EXPECT_NE(out.find("家庭成员.csv"), std::string::npos) << out;
  EXPECT_NE(out.find("was lost"), std::string::npos) << out;
  EXPECT_NE(out.find("Nothing this command had not committed was kept"), std::string::npos) << out;
  EXPECT_NE(out.find("run the command again"), std::string::npos) << out;

  // Back up: the households file (committed) is whole, the persons file is not there at all.
  ASSERT_TRUE(server.Script("start"));
  CmdResult summary = hearth("summary --format json" + db);
  ASSERT_EQ(summary.exit_code, 0) << summary.out;
  EXPECT_NE(summary.out.find("\"households\": " + std::to_string(kHouseholds)), std::string::npos) << summary.out;
  EXPECT_NE(summary.out.find("\"persons\": 0"), std::string::npos) << summary.out;
  CmdResult imports = hearth("imports --format json" + db);
  EXPECT_NE(imports.out.find("registry-households"), std::string::npos) << imports.out;
  EXPECT_EQ(imports.out.find("registry-persons"), std::string::npos) << imports.out;

  // The same command again completes the work.
  CmdResult again = hearth(import);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("unchanged 20,000"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("inserted 80,000"), std::string::npos) << again.out;
  summary = hearth("summary --format json" + db);
  EXPECT_NE(summary.out.find("\"persons\": 80000"), std::string::npos) << summary.out;

  // With the server down, a command says so.
  ASSERT_TRUE(server.Script("halt"));
  CmdResult down = hearth("summary" + db);
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.out.find("[db_connect]"), std::string::npos) << down.out;
  EXPECT_NE(down.out.find("Check that the database server is running"), std::string::npos) << down.out;
}

}  // namespace
