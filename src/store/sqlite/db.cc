#include "store/sqlite/db.h"

#include <utility>

#include "core/messages.h"

namespace hearth::sqlite {

Db::~Db() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

namespace {

// SQLite's memory statistics (on by default) take a global mutex around every allocation and
// free: 3 % of a large feed import's time, for counters Hearth never reads. Off, once, before
// SQLite initialises (a later call is refused and changes nothing).
void ConfigureOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Status Db::Open(const std::string& path, int flags) {
  ConfigureOnce();
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    return Error(StatusCode::kIoError, Msg::kDbOpen, path, why);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 10'000);
  // Plans must not depend on bound values: otherwise a statement whose WHERE clause meets a
  // partial index is re-prepared on every step with new bindings (measured: 85 % of a feed
  // import's time went to re-parsing one statement).
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_QPSG, 1, nullptr);
  return Status::Ok();
}

Status Db::ErrorStatus(std::string_view kind, std::string_view what) const {
  return Status(StatusCode::kIoError, std::string(kind),
                Tr(Msg::kDbError, what, db_ != nullptr ? sqlite3_errmsg(db_) : "no connection"));
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err != nullptr ? err : "";
    sqlite3_free(err);
    return Status(StatusCode::kIoError, "db_exec", Tr(Msg::kDbError, text.substr(0, 80), why));
  }
  return Status::Ok();
}

StatusOr<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return ErrorStatus("db_prepare", sql.substr(0, 80));
  }
  return Stmt(db_, stmt);
}

int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

Stmt::~Stmt() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindBlob(int i, std::string_view v) {
  sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

StatusOr<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s(StatusCode::kIoError, "db_step",
           Tr(Msg::kDbError, sqlite3_sql(stmt_) ? std::string(sqlite3_sql(stmt_)).substr(0, 80) : "",
              sqlite3_errmsg(db_)));
  sqlite3_reset(stmt_);
  return s;
}

Status Stmt::Run() {
  StatusOr<bool> r = Step();
  while (r.ok() && *r) r = Step();
  Reset();
  return r.ok() ? Status::Ok() : r.status();
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col));
}

std::string_view Stmt::View(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (p == nullptr) return {};
  return std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

}  // namespace hearth::sqlite
