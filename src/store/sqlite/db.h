// A thin RAII wrapper of the SQLite C API used by the SQLite store. Errors become Status.
// Not part of the Store interface: nothing outside src/store/sqlite/ includes it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::sqlite {

class Stmt;

//! An open database connection. Not thread-safe.
class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  //! Opens `path` (flags as sqlite3_open_v2). Kind "db_open" on failure.
  Status Open(const std::string& path, int flags);
  //! Runs one or more statements without results. Kind "db_exec" with SQLite's message.
  Status Exec(std::string_view sql);
  //! Prepares a statement. Kind "db_prepare".
  StatusOr<Stmt> Prepare(std::string_view sql);
  int64_t LastInsertRowId() const;
  //! Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  sqlite3* raw() const { return db_; }
  //! A Status of kind `kind` with SQLite's current error message and `what`.
  Status ErrorStatus(std::string_view kind, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
};

//! A prepared statement. Bind indexes are 1-based, column indexes 0-based.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindNull(int i);
  //! Binds bytes as a BLOB (no copy: `v` must outlive the next step).
  Stmt& BindBlob(int i, std::string_view v);
  template <typename T>
  Stmt& Bind(int i, const std::optional<T>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }

  //! Steps once: true when a row is available, false when done. Kind "db_step".
  StatusOr<bool> Step();
  //! Calls `fn()` for each row (read the row through this statement's column getters), then
  //! resets the statement for reuse.
  template <typename Fn>
  Status ForEachRow(Fn fn) {
    while (true) {
      StatusOr<bool> row = Step();
      if (!row.ok() || !*row) {
        Reset();
        return row.ok() ? Status::Ok() : row.status();
      }
      fn();
    }
  }
  //! Steps to completion (for statements without rows) and resets.
  Status Run();
  //! Resets for reuse and clears bindings.
  void Reset();

  int64_t Int(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::string Text(int col) const;
  //! The text of `col` ("" for NULL), valid until the statement steps or resets.
  std::string_view View(int col) const;
  bool IsNull(int col) const;
  //! The bytes of a BLOB column, valid until the statement steps or resets.
  std::string_view Blob(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace hearth::sqlite
