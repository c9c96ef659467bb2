#include "store/postgres/pg.h"

#include <charconv>
#include <utility>

#include "core/messages.h"
#include "core/text.h"

namespace hearth::pg {
namespace {

// libpq's message on one line, without the final full stop (the catalogue's sentence follows).
std::string Trimmed(const char* message) {
  std::string s;
  for (const char* p = message != nullptr ? message : ""; *p != '\0'; ++p) {
    if (*p == '\n' || *p == '\t') {
      if (!s.empty() && s.back() != ' ') s.push_back(' ');
    } else {
      s.push_back(*p);
    }
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '.')) s.pop_back();
  return s;
}

// SQLSTATEs of a connection that is gone or going: connection exceptions (class 08), the
// server shutting down (57P01 admin, 57P02 crash) or not yet accepting (57P03).
bool IsConnectionState(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

// Statements are shown in messages by their first words only.
std::string_view Head(std::string_view sql) { return sql.substr(0, 80); }

// How many statements one pipelined batch holds: few enough that the results of a batch fit
// in the socket buffers while the batch is being sent (libpq blocks on a full buffer).
constexpr size_t kPipelineBatch = 500;

}  // namespace

std::string DisplayUri(std::string_view uri) {
  std::string out(uri);
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?", start);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    size_t value = p + 9;
    size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

std::string_view CleanText(std::string_view text, std::string* scratch) {
  if (text.find('\0') == std::string_view::npos && IsValidUtf8(text)) return text;
  scratch->clear();
  while (!text.empty()) {
    size_t n = Utf8ValidPrefix(text);
    for (char c : text.substr(0, n)) {
      if (c == '\0') {
        AppendUtf8(U'\uFFFD', scratch);
      } else {
        scratch->push_back(c);
      }
    }
    text.remove_prefix(n);
    if (!text.empty()) {
      AppendUtf8(U'\uFFFD', scratch);
      text.remove_prefix(1);
    }
  }
  return *scratch;
}

int64_t Result::Int(int row, int col) const {
  std::string_view v = View(row, col);
  if (v == "t") return 1;
  if (v == "f") return 0;
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

int64_t Result::Changed() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : nullptr;
  if (n == nullptr || *n == '\0') return 0;
  int64_t out = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), out);
  return out;
}

Params& Params::Add(int64_t v) {
  values_.push_back(std::to_string(v));
  null_.push_back(false);
  return *this;
}

Params& Params::Add(std::string_view v) {
  std::string scratch;
  values_.emplace_back(CleanText(v, &scratch));
  null_.push_back(false);
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back();
  null_.push_back(true);
  return *this;
}

Params& Params::AddArray(const std::vector<int64_t>& values) {
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) text += (i > 0 ? "," : "") + std::to_string(values[i]);
  return Add(text + "}");
}

Params& Params::AddArray(const std::vector<std::string>& values) {
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    text += i > 0 ? ",\"" : "\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return Add(text + "}");
}

Params& Params::AddBytes(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  binary_.resize(values_.size(), 0);
  binary_.back() = 1;
  return *this;
}

const int* Params::lengths() const {
  if (binary_.empty()) return nullptr;
  lengths_.resize(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) lengths_[i] = static_cast<int>(values_[i].size());
  return lengths_.data();
}

const int* Params::formats() const {
  if (binary_.empty()) return nullptr;
  binary_.resize(values_.size(), 0);
  return binary_.data();
}

const char* const* Params::values() const {
  pointers_.resize(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) pointers_[i] = null_[i] ? nullptr : values_[i].c_str();
  return pointers_.data();
}

Conn::~Conn() { Close(); }

void Conn::Close() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  copy_target_.clear();
}

Status Conn::Connect(const std::string& uri, const char* dbname) {
  if (conn_ != nullptr) PQfinish(conn_);
  prepared_.clear();
  copy_target_.clear();
  display_ = DisplayUri(uri);
  // The URI is expanded as a connection string; a later `dbname` overrides its database.
  const char* keys[] = {"dbname", dbname != nullptr ? "dbname" : nullptr, nullptr};
  const char* values[] = {uri.c_str(), dbname, nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    return Error(StatusCode::kIoError, Msg::kPgConnect, display_, Trimmed(conn_ ? PQerrorMessage(conn_) : "out of memory"));
  }
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // NOTICEs are not for users
  return Status::Ok();
}

Status Conn::ErrorStatus(std::string_view kind, std::string_view what, const PGresult* result) const {
  std::string why = Trimmed(result != nullptr ? PQresultErrorMessage(result) : nullptr);
  if (why.empty()) why = Trimmed(conn_ != nullptr ? PQerrorMessage(conn_) : "no connection");
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  bool lost = conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD || (state != nullptr && IsConnectionState(state));
  if (lost) return Error(StatusCode::kIoError, Msg::kPgConnectionLost, display_, Head(what), why);
  return Status(StatusCode::kIoError, std::string(kind), Tr(Msg::kDbError, Head(what), why));
}

Status Conn::Exec(std::string_view sql) {
  HEARTH_RETURN_IF_ERROR(EndCopy());
  std::string text(sql);
  Result r(PQexec(conn_, text.c_str()));
  ExecStatusType s = PQresultStatus(r.raw());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return ErrorStatus("db_exec", sql, r.raw());
  return Status::Ok();
}

StatusOr<Result> Conn::Query(std::string_view sql, const Params& params) {
  HEARTH_RETURN_IF_ERROR(EndCopy());
  std::string text(sql);
  Result r(PQexecParams(conn_, text.c_str(), params.size(), nullptr, params.values(), params.lengths(),
                        params.formats(), 0));
  ExecStatusType s = PQresultStatus(r.raw());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return ErrorStatus("db_step", sql, r.raw());
  return r;
}

StatusOr<Result> Conn::QueryBinary(std::string_view sql, const Params& params) {
  HEARTH_RETURN_IF_ERROR(EndCopy());
  std::string text(sql);
  Result r(PQexecParams(conn_, text.c_str(), params.size(), nullptr, params.values(), params.lengths(),
                        params.formats(), 1));
  ExecStatusType s = PQresultStatus(r.raw());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return ErrorStatus("db_step", sql, r.raw());
  return r;
}

Status Conn::Prepare(const std::string& name, std::string_view sql) {
  if (prepared_.contains(name)) return Status::Ok();
  HEARTH_RETURN_IF_ERROR(EndCopy());
  std::string text(sql);
  Result r(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
  if (PQresultStatus(r.raw()) != PGRES_COMMAND_OK) return ErrorStatus("db_prepare", sql, r.raw());
  prepared_.insert(name);
  return Status::Ok();
}

StatusOr<Result> Conn::Run(const std::string& name, const Params& params) {
  HEARTH_RETURN_IF_ERROR(EndCopy());
  Result r(PQexecPrepared(conn_, name.c_str(), params.size(), params.values(), nullptr, nullptr, 0));
  ExecStatusType s = PQresultStatus(r.raw());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return ErrorStatus("db_step", name, r.raw());
  return r;
}

Status Conn::CopyRows(const std::string& target, std::string_view data) {
  if (copy_target_ != target) {
    HEARTH_RETURN_IF_ERROR(EndCopy());
    const std::string sql = "COPY " + target + " FROM STDIN";
    Result start(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(start.raw()) != PGRES_COPY_IN) return ErrorStatus("db_copy", sql, start.raw());
    copy_target_ = target;
  }
  constexpr size_t kChunk = 1 << 20;
  for (size_t pos = 0; pos < data.size(); pos += kChunk) {
    size_t n = std::min(kChunk, data.size() - pos);
    if (PQputCopyData(conn_, data.data() + pos, static_cast<int>(n)) != 1) {
      copy_target_.clear();
      return ErrorStatus("db_copy", "COPY " + target, nullptr);
    }
  }
  return Status::Ok();
}

Status Conn::EndCopy() {
  if (copy_target_.empty()) return Status::Ok();
  const std::string what = "COPY " + copy_target_;
  copy_target_.clear();
  if (PQputCopyEnd(conn_, nullptr) != 1) return ErrorStatus("db_copy", what, nullptr);
  Status status;
  while (PGresult* raw = PQgetResult(conn_)) {
    Result r(raw);
    if (status.ok() && PQresultStatus(raw) != PGRES_COMMAND_OK) status = ErrorStatus("db_copy", what, raw);
  }
  if (status.ok() && PQstatus(conn_) != CONNECTION_OK) status = ErrorStatus("db_copy", what, nullptr);
  return status;
}

Status Conn::RunPipelined(const std::vector<Queued>& statements, std::vector<Result>* results) {
  if (results != nullptr) results->clear();
  HEARTH_RETURN_IF_ERROR(EndCopy());
  for (size_t begin = 0; begin < statements.size(); begin += kPipelineBatch) {
    size_t end = std::min(statements.size(), begin + kPipelineBatch);
    const std::string& first = statements[begin].statement;
    if (PQenterPipelineMode(conn_) != 1) return ErrorStatus("db_pipeline", first, nullptr);
    Status status;
    for (size_t i = begin; status.ok() && i < end; ++i) {
      const Params& p = statements[i].params;
      if (PQsendQueryPrepared(conn_, statements[i].statement.c_str(), p.size(), p.values(), nullptr, nullptr, 0) != 1) {
        status = ErrorStatus("db_pipeline", statements[i].statement, nullptr);
      }
    }
    if (PQpipelineSync(conn_) != 1) {
      // No sync point to wait for: the pipeline cannot be drained, nor the connection reused.
      if (status.ok()) status = ErrorStatus("db_pipeline", first, nullptr);
      Close();
      return status;
    }
    // Results: one per statement (each followed by a null), then the sync point.
    size_t index = begin;
    while (true) {
      PGresult* raw = PQgetResult(conn_);
      if (raw == nullptr) {
        if (PQstatus(conn_) != CONNECTION_OK) {
          if (status.ok()) status = ErrorStatus("db_pipeline", first, nullptr);
          break;
        }
        continue;
      }
      Result r(raw);
      ExecStatusType s = PQresultStatus(raw);
      if (s == PGRES_PIPELINE_SYNC) break;
      if (status.ok() && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        status = ErrorStatus("db_step", index < end ? statements[index].statement : first, raw);
      }
      if (results != nullptr && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)) results->push_back(std::move(r));
      ++index;
    }
    if (PQexitPipelineMode(conn_) != 1) {
      // Still in pipeline mode: every later statement would fail; end the connection instead.
      if (status.ok()) status = ErrorStatus("db_pipeline", first, nullptr);
      Close();
    }
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

StatusOr<Result> Conn::Fetch(const std::string& cursor, int count) {
  return Query("FETCH FORWARD " + std::to_string(count) + " FROM " + cursor);
}

Status Conn::SendFetch(const std::string& cursor, int count) {
  HEARTH_RETURN_IF_ERROR(EndCopy());
  const std::string sql = "FETCH FORWARD " + std::to_string(count) + " FROM " + cursor;
  if (PQsendQuery(conn_, sql.c_str()) != 1) return ErrorStatus("db_step", sql, nullptr);
  return Status::Ok();
}

StatusOr<Result> Conn::ReceiveFetch(const std::string& cursor) {
  // One statement sent: its result, then null.
  Result rows(PQgetResult(conn_));
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  if (PQresultStatus(rows.raw()) != PGRES_TUPLES_OK) return ErrorStatus("db_step", "FETCH FROM " + cursor, rows.raw());
  return rows;
}

}  // namespace hearth::pg
