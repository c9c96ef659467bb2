// Test support: the database one test runs on, on either backend.
//
// By default a SQLite file in the test's directory. When the environment variable
// HEARTH_TEST_PG names a PostgreSQL server — a URI base such as
// postgresql://postgres@/postgres?host=/tmp/pg&port=5432, or the path of a file holding one (as
// `scripts/pg-test-server start DIR` writes DIR/uri) — a database of its own on that server,
// dropped when the test ends. CTest runs every test binary both ways (tests named pg.*: see
// the top-level CMakeLists.txt).
//
//   hearth::testing::TestDb db(tmp_.path());
//   auto store = OpenStore(db.uri(), OpenMode::kCreate);        // or: hearth init --db <uri>
//   EXPECT_EQ(db.Count("SELECT COUNT(*) FROM events"), 3);       // SQL both backends accept
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace hearth::testing {

class TestDb {
 public:
  enum class Fresh {
    //! As a database nobody created yet: no SQLite file; no PostgreSQL database either.
    kAbsent,
    //! An existing database without tables: an empty SQLite file; an empty PostgreSQL database.
    kEmpty,
    //! For a test that creates it first (OpenStore kCreate, `hearth init`): the same as
    //! kAbsent on SQLite; on PostgreSQL a copy of a template database already migrated, which
    //! spares every test the migrations.
    kToCreate,
  };

  //! `dir`: where the SQLite file goes (NAME.db); `name` also tells PostgreSQL databases apart.
  explicit TestDb(const std::filesystem::path& dir, const std::string& name = "t", Fresh fresh = Fresh::kToCreate);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  //! What OpenStore and `--db` take: the file's path, or the database's URI.
  const std::string& uri() const { return uri_; }
  bool postgres() const { return postgres_; }

  //! True when the database exists (the SQLite file; the PostgreSQL database).
  bool Exists() const;
  //! The rows of a query, each cell as text ("" for NULL, a boolean as 1 or 0) joined by '|'.
  //! The SQL must be valid on both backends.
  std::vector<std::string> Rows(const std::string& sql) const;
  //! The first cell of the first row as an integer; -1 when there is no row.
  int64_t Count(const std::string& sql) const;
  //! The only row of a query ("" when there is not exactly one; the test fails).
  std::string One(const std::string& sql) const;
  //! Runs a statement; false (and the test fails) when it fails.
  bool Exec(const std::string& sql) const;
  //! "ok" when the database's structures are sound: SQLite's integrity_check; on PostgreSQL
  //! every B-tree index verified with amcheck. Otherwise what is wrong.
  std::string IntegrityCheck() const;
  //! A copy of this database (nobody may be writing it) named `name`: the SQLite file copied,
  //! or CREATE DATABASE ... TEMPLATE this one.
  std::unique_ptr<TestDb> Copy(const std::string& name) const;
  //! Closes the connection the query methods keep (PostgreSQL copies need none open).
  void Disconnect() const;

  //! True when HEARTH_TEST_PG names a server.
  static bool UsingPostgres();
  //! The server's URI base from HEARTH_TEST_PG ("" when none).
  static std::string ServerUri();
  //! `base` with its database replaced by `database`.
  static std::string WithDatabase(const std::string& base, const std::string& database);

 private:
  struct Connection;
  TestDb(const std::filesystem::path& dir, const std::string& name, bool postgres);
  Connection& Connect() const;

  std::filesystem::path dir_;
  std::string name_;
  bool postgres_ = false;
  std::string database_;  // PostgreSQL
  std::string uri_;
  mutable std::unique_ptr<Connection> connection_;
};

}  // namespace hearth::testing
