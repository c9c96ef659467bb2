#include "store/testing/test_db.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include "store/migrations.h"
#include "store/store.h"

namespace hearth::testing {
namespace {

namespace fs = std::filesystem;

constexpr Oid kBoolOid = 16;
constexpr int64_t kTemplateLock = 0x4865617274680002;  // one template build per server at a time

// A connection to a PostgreSQL database for test bookkeeping; null (and the test failed) when
// it cannot connect.
PGconn* ConnectPg(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to " << uri << ": " << PQerrorMessage(conn);
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return conn;
}

bool ExecPg(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  ExecStatusType s = PQresultStatus(r);
  bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  if (!ok) ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
  PQclear(r);
  return ok;
}

// The server's maintenance database, for creating and dropping test databases.
struct Admin {
  Admin() : conn(ConnectPg(TestDb::WithDatabase(TestDb::ServerUri(), "postgres"))) {}
  ~Admin() {
    if (conn != nullptr) PQfinish(conn);
  }
  bool Exec(const std::string& sql) const { return conn != nullptr && ExecPg(conn, sql); }
  PGconn* conn;
};

// The template every kToCreate database copies: the schema migrated, nothing else. Its name
// carries a digest of the PostgreSQL migrations, so that a changed schema gets a new template.
std::string TemplateName() {
  std::string all;
  for (const Migration& m : SchemaMigrations()) all += MigrationSql(m, Backend::kPostgres);
  char name[64];
  std::snprintf(name, sizeof name, "hearth_template_%016zx", std::hash<std::string>{}(all));
  return name;
}

// Builds the template once per server (processes of a parallel test run take turns on an
// advisory lock); it appears under its name only when complete.
const std::string& EnsureTemplate() {
  static const std::string name = TemplateName();
  static std::once_flag once;
  std::call_once(once, [] {
    Admin admin;
    if (admin.conn == nullptr) return;
    admin.Exec("SELECT pg_advisory_lock(" + std::to_string(kTemplateLock) + ")");
    PGresult* r = PQexecParams(admin.conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, nullptr,
                               std::vector<const char*>{name.c_str()}.data(), nullptr, nullptr, 0);
    bool exists = PQntuples(r) > 0;
    PQclear(r);
    if (!exists) {
      const std::string building = name + "_building";
      admin.Exec("DROP DATABASE IF EXISTS " + building);
      admin.Exec("CREATE DATABASE " + building);
      {
        auto store = OpenStore(TestDb::WithDatabase(TestDb::ServerUri(), building), OpenMode::kCreate);
        EXPECT_TRUE(store.ok()) << store.status().ToString();
      }
      admin.Exec("ALTER DATABASE " + building + " RENAME TO " + name);
    }
    admin.Exec("SELECT pg_advisory_unlock(" + std::to_string(kTemplateLock) + ")");
  });
  return name;
}

// A database name of [a-z0-9_], unique to this process and this TestDb, at most 63 bytes.
std::string DatabaseName(const std::string& name) {
  static std::atomic<int> counter{0};
  std::string out = "hearth_t" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_";
  for (char c : name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') ? l : '_');
  }
  return out.substr(0, 63);
}

}  // namespace

struct TestDb::Connection {
  ~Connection() {
    if (pg != nullptr) PQfinish(pg);
    if (lite != nullptr) sqlite3_close(lite);
  }
  PGconn* pg = nullptr;
  sqlite3* lite = nullptr;
};

bool TestDb::UsingPostgres() { return !ServerUri().empty(); }

std::string TestDb::ServerUri() {
  const char* env = std::getenv("HEARTH_TEST_PG");
  if (env == nullptr || *env == '\0') return "";
  std::string value = env;
  if (value.starts_with("postgres")) return value;
  std::ifstream in(value);  // a file holding the URI (scripts/pg-test-server writes DIR/uri)
  std::string uri;
  std::getline(in, uri);
  if (uri.empty()) ADD_FAILURE() << "HEARTH_TEST_PG names " << value << ", which holds no server URI";
  return uri;
}

std::string TestDb::WithDatabase(const std::string& base, const std::string& database) {
  size_t scheme = base.find("://");
  size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  size_t path = base.find_first_of("/?", authority);
  if (path == std::string::npos) return base + "/" + database;
  size_t query = base.find('?', path);
  return base.substr(0, path) + "/" + database + (query == std::string::npos ? "" : base.substr(query));
}

TestDb::TestDb(const fs::path& dir, const std::string& name, bool postgres)
    : dir_(dir), name_(name), postgres_(postgres) {
  if (postgres_) {
    database_ = DatabaseName(name);
    uri_ = WithDatabase(ServerUri(), database_);
  } else {
    uri_ = (dir / (name + ".db")).string();
  }
}

TestDb::TestDb(const fs::path& dir, const std::string& name, Fresh fresh) : TestDb(dir, name, UsingPostgres()) {
  if (!postgres_) {
    fs::remove(uri_);
    if (fresh == Fresh::kEmpty) std::ofstream(uri_, std::ios::binary);  // a zero-byte file is an empty database
    return;
  }
  Admin admin;
  admin.Exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  if (fresh == Fresh::kToCreate) admin.Exec("CREATE DATABASE " + database_ + " TEMPLATE " + EnsureTemplate());
  if (fresh == Fresh::kEmpty) admin.Exec("CREATE DATABASE " + database_);
}

TestDb::~TestDb() {
  connection_.reset();
  if (postgres_) {
    Admin admin;
    admin.Exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  }
}

TestDb::Connection& TestDb::Connect() const {
  if (connection_ == nullptr) {
    connection_ = std::make_unique<Connection>();
    if (postgres_) {
      connection_->pg = ConnectPg(uri_);
    } else if (sqlite3_open(uri_.c_str(), &connection_->lite) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << uri_;
    }
  }
  return *connection_;
}

void TestDb::Disconnect() const { connection_.reset(); }

bool TestDb::Exists() const {
  if (!postgres_) return fs::exists(uri_);
  Admin admin;
  if (admin.conn == nullptr) return false;
  PGresult* r = PQexecParams(admin.conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, nullptr,
                             std::vector<const char*>{database_.c_str()}.data(), nullptr, nullptr, 0);
  bool exists = PQntuples(r) > 0;
  PQclear(r);
  return exists;
}

std::vector<std::string> TestDb::Rows(const std::string& sql) const {
  std::vector<std::string> out;
  Connection& c = Connect();
  if (c.pg != nullptr) {
    PGresult* r = PQexec(c.pg, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    }
    for (int row = 0; row < PQntuples(r); ++row) {
      std::string line;
      for (int col = 0; col < PQnfields(r); ++col) {
        std::string cell = PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
        if (PQftype(r, col) == kBoolOid && !cell.empty()) cell = cell == "t" ? "1" : "0";
        line += (col > 0 ? "|" : "") + cell;
      }
      out.push_back(line);
    }
    PQclear(r);
    return out;
  }
  if (c.lite == nullptr) return out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(c.lite, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(c.lite);
    return out;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string line;
    for (int col = 0; col < sqlite3_column_count(stmt); ++col) {
      const unsigned char* t = sqlite3_column_text(stmt, col);
      line += (col > 0 ? "|" : "") + std::string(t != nullptr ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(line);
  }
  sqlite3_finalize(stmt);
  return out;
}

int64_t TestDb::Count(const std::string& sql) const {
  std::vector<std::string> rows = Rows(sql);
  if (rows.empty()) return -1;
  std::string first = rows[0].substr(0, rows[0].find('|'));
  return first.empty() ? 0 : std::atoll(first.c_str());
}

std::string TestDb::One(const std::string& sql) const {
  std::vector<std::string> rows = Rows(sql);
  EXPECT_EQ(rows.size(), 1u) << sql;
  return rows.size() == 1 ? rows[0] : "";
}

bool TestDb::Exec(const std::string& sql) const {
  Connection& c = Connect();
  if (c.pg != nullptr) return ExecPg(c.pg, sql);
  char* error = nullptr;
  if (c.lite == nullptr || sqlite3_exec(c.lite, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << (error != nullptr ? error : "no database");
    sqlite3_free(error);
    return false;
  }
  return true;
}

std::string TestDb::IntegrityCheck() const {
  if (!postgres_) {
    std::vector<std::string> rows = Rows("PRAGMA integrity_check");
    return rows.empty() ? "" : rows[0];
  }
  Connection& c = Connect();
  if (c.pg == nullptr || !ExecPg(c.pg, "CREATE EXTENSION IF NOT EXISTS amcheck")) return "no connection";
  PGresult* r = PQexec(c.pg,
                       "SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                       "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relkind = 'i' "
                       "AND c.relnamespace = 'public'::regnamespace");
  std::string result = PQresultStatus(r) == PGRES_TUPLES_OK ? "ok" : PQresultErrorMessage(r);
  PQclear(r);
  return result;
}

std::unique_ptr<TestDb> TestDb::Copy(const std::string& name) const {
  auto copy = std::unique_ptr<TestDb>(new TestDb(dir_, name, postgres_));
  if (!postgres_) {
    for (const char* suffix : {"", "-wal"}) {
      fs::remove(copy->uri_ + suffix);
      if (fs::exists(uri_ + suffix)) fs::copy_file(uri_ + suffix, copy->uri_ + suffix);
    }
    return copy;
  }
  Disconnect();
  Admin admin;
  admin.Exec("CREATE DATABASE " + copy->database_ + " TEMPLATE " + database_);
  return copy;
}

}  // namespace hearth::testing
