// A thin RAII wrapper of libpq used by the PostgreSQL store. Errors become Status with
// messages from the catalogue; a lost connection has its own kind ("db_connection_lost").
// Not part of the Store interface: nothing outside src/store/postgres/ includes it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/status.h"

namespace hearth::pg {

//! `uri` as it may be shown to people: the password (in the user part or as a parameter) masked.
std::string DisplayUri(std::string_view uri);

//! Text as PostgreSQL accepts it: valid UTF-8 without NUL bytes. Invalid bytes become U+FFFD
//! (SQLite would store them as they are; PostgreSQL refuses them).
std::string_view CleanText(std::string_view text, std::string* scratch);

//! The result of one statement. Rows and columns are 0-based; values are read as text.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r) {}
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view View(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  std::string Text(int row, int col) const { return std::string(View(row, col)); }
  //! The integer value; 0 for NULL. A boolean reads as 1 or 0.
  int64_t Int(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const {
    if (IsNull(row, col)) return std::nullopt;
    return Int(row, col);
  }
  //! Rows changed by an INSERT, UPDATE or DELETE.
  int64_t Changed() const;
  PGresult* raw() const { return r_.get(); }

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> r_;
};

//! Parameters of a statement, sent as text ($1, $2, ... in order of Add).
class Params {
 public:
  Params& Add(int64_t v);
  Params& Add(int v) { return Add(static_cast<int64_t>(v)); }
  Params& Add(std::string_view v);
  Params& Add(const std::string& v) { return Add(std::string_view(v)); }
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& AddNull();
  template <typename T>
  Params& Add(const std::optional<T>& v) {
    return v ? Add(*v) : AddNull();
  }
  //! A bigint[] literal ({1,2,3}).
  Params& AddArray(const std::vector<int64_t>& values);
  //! A text[] literal ({"a","b"}), each element quoted.
  Params& AddArray(const std::vector<std::string>& values);
  //! Bytes sent as they are, in the binary format (a bytea parameter).
  Params& AddBytes(std::string_view v);

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const;
  //! Per parameter: its length and format (1 binary); nullptr when every one is text.
  const int* lengths() const;
  const int* formats() const;

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  mutable std::vector<int> binary_;  //!< per parameter: 1 when sent in the binary format (empty: none)
  mutable std::vector<const char*> pointers_;
  mutable std::vector<int> lengths_;
};

//! One connection. Not thread-safe.
class Conn {
 public:
  Conn() = default;
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  //! Connects to `uri`, or with `dbname` overriding the URI's database. Kinds "db_connect"
  //! (server unreachable, authentication), "db_missing" is left to the caller (see
  //! DatabaseExists).
  Status Connect(const std::string& uri, const char* dbname = nullptr);
  //! Ends the connection (the server rolls back what it had open).
  void Close();
  //! Runs one or more statements without parameters. Kind "db_exec".
  Status Exec(std::string_view sql);
  //! Runs one statement with parameters; its rows.
  StatusOr<Result> Query(std::string_view sql, const Params& params = Params());
  //! Query with every column of the result in the binary format (a bytea as its bytes).
  StatusOr<Result> QueryBinary(std::string_view sql, const Params& params);
  //! Prepares a named statement, unless this connection already has one of that name.
  Status Prepare(const std::string& name, std::string_view sql);
  //! Runs a prepared statement.
  StatusOr<Result> Run(const std::string& name, const Params& params);
  //! Sends rows in COPY's text format to `target` ("table (columns)"): continues the COPY ...
  //! FROM STDIN open for that target, or ends the open one and starts one. The COPY stays open
  //! so that the server stores the rows while the caller prepares more; it ends before any
  //! other statement on this connection, or with EndCopy. A failure of the rows (a broken
  //! constraint) surfaces when the COPY ends.
  Status CopyRows(const std::string& target, std::string_view data);
  //! Ends the open COPY, if any; its outcome.
  Status EndCopy();
  //! Prepared statements with their parameters, all sent before the first result is read
  //! (libpq's pipeline mode): one round trip for a batch of hundreds. Stops at the first
  //! failure. With `results`, receives each statement's result, in order.
  struct Queued {
    std::string statement;  //!< the name of a prepared statement
    Params params;
  };
  Status RunPipelined(const std::vector<Queued>& statements, std::vector<Result>* results = nullptr);
  //! The next `count` rows of a server-side cursor (FETCH FORWARD).
  StatusOr<Result> Fetch(const std::string& cursor, int count);
  //! Fetch in two halves: SendFetch asks for the rows and returns at once (the server reads them
  //! while the caller works); ReceiveFetch waits for them. Nothing else may run between.
  Status SendFetch(const std::string& cursor, int count);
  StatusOr<Result> ReceiveFetch(const std::string& cursor);

  //! True while the connection is usable.
  bool ok() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }
  //! The URI as shown in messages (password masked).
  const std::string& display() const { return display_; }
  PGconn* raw() const { return conn_; }
  //! A failure of `what` from `result` (may be null): kind "db_connection_lost" when the
  //! connection broke or the server is shutting down, else `kind` with the server's message.
  Status ErrorStatus(std::string_view kind, std::string_view what, const PGresult* result) const;

 private:
  PGconn* conn_ = nullptr;
  std::string display_;
  std::unordered_set<std::string> prepared_;
  std::string copy_target_;  //!< of the COPY open, if any
};

}  // namespace hearth::pg
