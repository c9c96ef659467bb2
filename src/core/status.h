// Status and StatusOr<T>: the one error model of Hearth.
//
// Every expected failure is returned, never thrown: a function that can fail returns
// `[[nodiscard]] Status` or `StatusOr<T>`. A Status has
//   - a code (a short list, as in abseil: InvalidArgument = the input is wrong,
//     FailedPrecondition = fix the state first, NotFound, IoError, DataLoss ...),
//   - a kind: a stable snake_case key such as "id_checksum" that programs and reports use
//     (rejected rows are grouped by kind), and
//   - a message in the user's language (see messages.h) that says what was wrong, where,
//     and how to fix it.
//
// Usage:
//   StatusOr<Money> m = ParseMoney(cell);
//   if (!m.ok()) return m.status();
//   HEARTH_ASSIGN_OR_RETURN(Money fee, ParseMoney(cell));
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hearth {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // the input is malformed; fix the input
  kNotFound = 2,            // a named thing does not exist
  kAlreadyExists = 3,
  kFailedPrecondition = 4,  // the system is not in a state that allows this; fix the state first
  kOutOfRange = 5,          // a value is outside its allowed range
  kIoError = 6,             // a file or database could not be read or written
  kDataLoss = 7,            // stored data is corrupt or would be lost
  kUnimplemented = 8,
  kInternal = 9,            // a bug: an invariant broke
};

//! Returns the English name of a code ("invalid_argument" ...).
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  //! An OK status.
  Status() = default;
  Status(StatusCode code, std::string kind, std::string message)
      : code_(code), kind_(std::move(kind)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string kind, std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(kind), std::move(message));
  }
  static Status NotFound(std::string kind, std::string message) {
    return Status(StatusCode::kNotFound, std::move(kind), std::move(message));
  }
  static Status AlreadyExists(std::string kind, std::string message) {
    return Status(StatusCode::kAlreadyExists, std::move(kind), std::move(message));
  }
  static Status FailedPrecondition(std::string kind, std::string message) {
    return Status(StatusCode::kFailedPrecondition, std::move(kind), std::move(message));
  }
  static Status OutOfRange(std::string kind, std::string message) {
    return Status(StatusCode::kOutOfRange, std::move(kind), std::move(message));
  }
  static Status IoError(std::string kind, std::string message) {
    return Status(StatusCode::kIoError, std::move(kind), std::move(message));
  }
  static Status DataLoss(std::string kind, std::string message) {
    return Status(StatusCode::kDataLoss, std::move(kind), std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, "internal", std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  //! Stable snake_case key of the failure ("id_checksum"); empty when ok.
  const std::string& kind() const { return kind_; }
  //! Human message in the language that was current when the status was made.
  const std::string& message() const { return message_; }
  //! "kind: message", or "ok".
  std::string ToString() const;

  //! Returns a copy whose message is prefixed with `context` and ": ".
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string kind_;
  std::string message_;
};

//! Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "StatusOr built from an OK status");
  }
  StatusOr(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

  const T& value() const& { assert(ok()); return std::get<T>(data_); }
  T& value() & { assert(ok()); return std::get<T>(data_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace hearth

#define HEARTH_CONCAT_INNER_(a, b) a##b
#define HEARTH_CONCAT_(a, b) HEARTH_CONCAT_INNER_(a, b)

//! Returns early from the enclosing function when `expr` is not OK.
#define HEARTH_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::hearth::Status hearth_status_ = (expr);        \
    if (!hearth_status_.ok()) return hearth_status_; \
  } while (0)

#define HEARTH_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

//! `HEARTH_ASSIGN_OR_RETURN(T x, F())` declares x from F() or returns its error.
#define HEARTH_ASSIGN_OR_RETURN(lhs, expr) \
  HEARTH_ASSIGN_OR_RETURN_IMPL_(HEARTH_CONCAT_(hearth_or_, __LINE__), lhs, expr)
