#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace hearth {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.kind(), "");
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(StatusTest, NamedConstructorsSetCodeKindAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
    std::string_view kind;
  };
  const Case cases[] = {
      {Status::InvalidArgument("k1", "m"), StatusCode::kInvalidArgument, "k1"},
      {Status::NotFound("k2", "m"), StatusCode::kNotFound, "k2"},
      {Status::AlreadyExists("k3", "m"), StatusCode::kAlreadyExists, "k3"},
      {Status::FailedPrecondition("k4", "m"), StatusCode::kFailedPrecondition, "k4"},
      {Status::OutOfRange("k5", "m"), StatusCode::kOutOfRange, "k5"},
      {Status::IoError("k6", "m"), StatusCode::kIoError, "k6"},
      {Status::DataLoss("k7", "m"), StatusCode::kDataLoss, "k7"},
      {Status::Internal("m"), StatusCode::kInternal, "internal"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok()) << c.kind;
    EXPECT_EQ(c.status.code(), c.code) << c.kind;
    EXPECT_EQ(c.status.kind(), c.kind);
    EXPECT_EQ(c.status.message(), "m") << c.kind;
  }
}

TEST(StatusTest, CodeNames) {
  struct Case {
    StatusCode code;
    std::string_view name;
  };
  const Case cases[] = {
      {StatusCode::kOk, "ok"},
      {StatusCode::kInvalidArgument, "invalid_argument"},
      {StatusCode::kNotFound, "not_found"},
      {StatusCode::kAlreadyExists, "already_exists"},
      {StatusCode::kFailedPrecondition, "failed_precondition"},
      {StatusCode::kOutOfRange, "out_of_range"},
      {StatusCode::kIoError, "io_error"},
      {StatusCode::kDataLoss, "data_loss"},
      {StatusCode::kUnimplemented, "unimplemented"},
      {StatusCode::kInternal, "internal"},
      {static_cast<StatusCode>(99), "unknown"},
  };
  for (const Case& c : cases) EXPECT_EQ(StatusCodeName(c.code), c.name);
}

TEST(StatusTest, ToStringJoinsKindAndMessage) {
  EXPECT_EQ(Status::InvalidArgument("id_checksum", "bad check").ToString(), "id_checksum: bad check");
}

TEST(StatusTest, WithContextPrefixesTheMessageOnly) {
  const Status s = Status::InvalidArgument("money_format", "bad amount").WithContext("line 3");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.kind(), "money_format");
  EXPECT_EQ(s.message(), "line 3: bad amount");
  EXPECT_EQ(s.WithContext("a.csv").message(), "a.csv: line 3: bad amount");
}

TEST(StatusTest, WithContextKeepsOkStatusOk) {
  const Status s = Status::Ok().WithContext("line 3");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
}

TEST(StatusOrTest, HoldsAValue) {
  StatusOr<std::string> v = std::string("hello");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v.status().ok());
  EXPECT_EQ(v.value(), "hello");
  EXPECT_EQ(*v, "hello");
  EXPECT_EQ(v->size(), 5u);
  v->append("!");
  EXPECT_EQ(*v, "hello!");
}

TEST(StatusOrTest, HoldsAnError) {
  StatusOr<int> v = Status::NotFound("thing_missing", "no thing");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(v.status().kind(), "thing_missing");
  EXPECT_EQ(v.status().message(), "no thing");
}

TEST(StatusOrTest, MovesOutMoveOnlyValues) {
  StatusOr<std::unique_ptr<int>> v = std::make_unique<int>(7);
  ASSERT_TRUE(v.ok());
  std::unique_ptr<int> p = std::move(v).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

Status FailIf(bool fail) { return fail ? Status::InvalidArgument("failed", "it failed") : Status::Ok(); }

StatusOr<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidArgument("odd", "odd number");
  return n / 2;
}

Status ReturnIfError(bool fail, int* reached) {
  HEARTH_RETURN_IF_ERROR(FailIf(fail));
  *reached = 1;
  return Status::Ok();
}

StatusOr<int> Quarter(int n) {
  HEARTH_ASSIGN_OR_RETURN(int half, Half(n));
  HEARTH_ASSIGN_OR_RETURN(int quarter, Half(half));  // two uses in one scope
  return quarter;
}

StatusOr<std::unique_ptr<int>> Boxed(int n) {
  HEARTH_ASSIGN_OR_RETURN(int half, Half(n));
  return std::make_unique<int>(half);
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsEarlyOnlyOnFailure) {
  int reached = 0;
  EXPECT_TRUE(ReturnIfError(false, &reached).ok());
  EXPECT_EQ(reached, 1);
  reached = 0;
  const Status s = ReturnIfError(true, &reached);
  EXPECT_EQ(s.kind(), "failed");
  EXPECT_EQ(reached, 0);
}

TEST(StatusMacrosTest, AssignOrReturn) {
  struct Case {
    int input;
    bool ok;
    int expected;
  };
  const Case cases[] = {{8, true, 2}, {4, true, 1}, {0, true, 0}, {6, false, 0}, {7, false, 0}};
  for (const Case& c : cases) {
    StatusOr<int> q = Quarter(c.input);
    ASSERT_EQ(q.ok(), c.ok) << c.input;
    if (c.ok) {
      EXPECT_EQ(*q, c.expected) << c.input;
    } else {
      EXPECT_EQ(q.status().kind(), "odd") << c.input;
    }
  }
}

TEST(StatusMacrosTest, AssignOrReturnIntoAMoveOnlyResult) {
  StatusOr<std::unique_ptr<int>> ok = Boxed(10);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(**ok, 5);
  EXPECT_EQ(Boxed(3).status().kind(), "odd");
}

}  // namespace
}  // namespace hearth
