#include "engine/expr/binder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/messages.h"
#include "engine/expr/expr.h"
#include "engine/expr/test_catalog.h"

namespace hearth::expr {
namespace {

using testing::HouseholdCatalog;

class BinderTest : public testing::ZhMessagesTest {
 protected:

  std::vector<Problem> Problems(std::string_view text) {
    auto result = Compile(text, catalog_);
    if (std::holds_alternative<Program>(result)) return {};
    return std::get<std::vector<Problem>>(result);
  }

  // The plan of a rule that must compile, or the first problem's message.
  std::string Plan(std::string_view text) {
    auto result = Compile(text, catalog_);
    if (auto* problems = std::get_if<std::vector<Problem>>(&result)) return "problem: " + (*problems)[0].message;
    return std::get<Program>(result).DebugString();
  }

  const Catalog catalog_ = HouseholdCatalog();
};

TEST_F(BinderTest, ReportsNameAndTypeProblemsWithTheirSpans) {
  struct Case {
    std::string_view text;
    std::string_view kind;
    int offset;
    int length;
    std::string_view message_part;
  };
  const Case cases[] = {
      {"incme_pc_12m < line", "expr_unknown_name", 0, 12, "未知的特征名 \"incme_pc_12m\"，是否要写 \"income_pc_12m\"？"},
      {"is_tuopin && Has_Assistance", "expr_unknown_name", 13, 14, "是否要写 \"has_assistance\""},
      {"is_tuopin && foo", "expr_unknown_name", 13, 3, "未知的特征名 \"foo\"。请核对拼写"},
      {"income_pc_12m < 0.01", "expr_type_mismatch", 0, 20, "请写成 yuan(0.01)"},
      {"income_pc_12m < 6000", "expr_type_mismatch", 0, 20,
       "\"<\" 不能混用金额和数值：\"income_pc_12m\" 是金额，\"6000\" 是数值。若 6000 是以元计的金额，请写成 yuan(6000)。"},
      {"6000 >= income_pc_12m", "expr_type_mismatch", 0, 21, "请写成 yuan(6000)"},
      {"is_tuopin && members + income_pc_12m > line", "expr_type_mismatch", 13, 23, "\"members\" 是数值"},
      {"min(income_pc_12m, 5) > line", "expr_type_mismatch", 0, 21, "\"min\" 不能混用金额和数值"},
      {"is_tuopin + 1 > 0", "expr_type_mismatch", 0, 9, "\"+\" 只能用于数值或金额，但 \"is_tuopin\" 是布尔值"},
      {"is_tuopin < members", "expr_type_mismatch", 0, 9, "\"<\" 只能用于数值或金额"},
      {"-is_tuopin", "expr_type_mismatch", 1, 9, "\"-\" 只能用于数值或金额"},
      {"abs(is_tuopin) > 0", "expr_type_mismatch", 4, 9, "\"abs\" 只能用于数值或金额"},
      {"is_tuopin == 1", "expr_type_mismatch", 0, 14, "\"==\" 两边的类型不同：\"is_tuopin\" 是布尔值（条件），\"1\" 是数值"},
      {"income_pc_12m && is_tuopin", "expr_type_mismatch", 0, 13,
       "\"&&\" 只能用于条件（布尔值），但 \"income_pc_12m\" 是金额。请写成比较，如 income_pc_12m > 0。"},
      {"!members", "expr_type_mismatch", 1, 7, "\"!\" 只能用于条件"},
      {"is_tuopin || (members + 1)", "expr_type_mismatch", 13, 13, "\"(members + 1)\" 是数值"},
      {"income_pc_12m * income_prev_12m > line", "expr_type_mismatch", 0, 31,
       "金额不能与金额相乘：\"income_pc_12m\" 和 \"income_prev_12m\" 都是金额"},
      {"yuan(income_pc_12m) > line", "expr_type_mismatch", 5, 13, "函数 yuan 的参数 \"income_pc_12m\" 是金额，应为数值"},
      {"income_pc_12m", "expr_not_bool", 0, 13, "规则必须是一个条件（布尔值），但这个表达式是金额"},
      {"members + 1", "expr_not_bool", 0, 11, "这个表达式是数值。请写成比较，如 members + 1 > 0"},
      {"income_pc_12m / members > 0.5", "expr_division", 14, 1, "不支持除法 \"/\""},
      {"maxx(members, 1) > 1", "expr_unknown_function", 0, 4, "未知的函数 \"maxx\"，是否要写 \"max\"？"},
      {"Yuan(6000) < line", "expr_unknown_function", 0, 4, "是否要写 \"yuan\""},
      {"average(members, 1) > 1", "expr_unknown_function", 0, 7, "未知的函数 \"average\"。可用的函数有"},
      {"max(members) > 1", "expr_arity", 0, 12, "函数 max 需要 2 个参数，这里给了 1 个。用法：max(a, b)。"},
      {"yuan() < line", "expr_arity", 0, 6, "函数 yuan 需要 1 个参数，这里给了 0 个"},
      {"abs(members, 1, 2) > 1", "expr_arity", 0, 18, "给了 3 个"},
      {"yuan(6000.123) > income_pc_12m", "expr_yuan_precision", 5, 8, "\"6000.123\" 有 3 位小数"},
      {"yuan(ratio) > income_pc_12m", "expr_yuan_precision", 5, 5, "\"ratio\" 有 3 位小数"},
      {"members > 0.1234567891", "expr_number_range", 10, 12, "有 10 位小数，最多只能有 9 位"},
      {"members > 99999999999999999999", "expr_number_range", 10, 20, "太大"},
      {"members > 9223372036854775807 * 2", "expr_number_range", 10, 23, "超出了精确计算的范围"},
      {"members > -9223372036854775807 - 2", "expr_number_range", 10, 24, "超出了精确计算的范围"},
      {"members * 0.000000001 * 0.000000001 * 0.1 > 0", "expr_number_range", 0, 41, "有 19 位小数"},
      {"0.000000001 * 0.000000001 * 0.3 > 0", "expr_number_range", 0, 31, "有 19 位小数"},
      {"ratio + 9223372036854775807 > 0", "expr_number_range", 0, 27, "超出了精确计算的范围"},
  };
  for (const Case& c : cases) {
    const std::vector<Problem> problems = Problems(c.text);
    ASSERT_EQ(problems.size(), 1u) << c.text << (problems.size() > 1 ? "\n" + problems[1].message : "");
    const Problem& p = problems[0];
    EXPECT_EQ(p.kind, c.kind) << c.text << "\n" << p.message;
    EXPECT_EQ(p.offset, c.offset) << c.text;
    EXPECT_EQ(p.length, c.length) << c.text;
    EXPECT_NE(p.message.find(c.message_part), std::string::npos) << c.text << "\n" << p.message;
  }
}

TEST_F(BinderTest, ReportsIndependentProblemsTogetherInTextOrder) {
  const std::vector<Problem> problems =
      Problems("incme_pc_12m < line && income_pc_12m < 6000 || x / members > 1 && yaun(3) > 0");
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0].kind, "expr_unknown_name");
  EXPECT_EQ(problems[0].offset, 0);
  EXPECT_EQ(problems[1].kind, "expr_type_mismatch");
  EXPECT_EQ(problems[1].offset, 23);
  EXPECT_EQ(problems[2].kind, "expr_unknown_name");  // x
  EXPECT_EQ(problems[2].offset, 47);
  EXPECT_EQ(problems[3].kind, "expr_division");
  EXPECT_EQ(problems[3].offset, 49);
  EXPECT_EQ(problems[4].kind, "expr_unknown_function");
  EXPECT_EQ(problems[4].offset, 66);
}

TEST_F(BinderTest, AProblemInAnOperandIsNotReportedAgainAbove) {
  // Only the unknown name: the comparison and the && around it are not checked further.
  const std::vector<Problem> problems = Problems("is_tuopin && (foo + 1 < line)");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, "expr_unknown_name");
}

TEST_F(BinderTest, EnglishMessages) {
  SetLanguage(Lang::kEn);
  const std::vector<Problem> problems = Problems("incme_pc_12m < 6000");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "Unknown feature name \"incme_pc_12m\". Did you mean \"income_pc_12m\"?");
  const std::vector<Problem> mismatch = Problems("income_pc_12m < 6000");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0].message,
            "\"<\" cannot mix money and a plain number: \"income_pc_12m\" is money, \"6000\" is a number. If 6000 "
            "is an amount in yuan, write yuan(6000).");
}

TEST_F(BinderTest, FoldsConstantsAndAlignsScalesAtCompileTime) {
  struct Case {
    std::string_view text;
    std::string_view plan;
  };
  const Case cases[] = {
      {"is_tuopin && income_pc_12m < line", "lt n1, #600000 -> y0\nand b0, y0 -> out\n"},
      {"income_pc_12m < yuan(6000)", "lt n1, #600000 -> out\n"},
      {"income_pc_12m < yuan(5999.99)", "lt n1, #599999 -> out\n"},
      {"yuan(6000) > income_pc_12m", "lt n1, #600000 -> out\n"},
      {"medical_selfpay_12m > 0.5 * income_prev_12m", "mul n4, #5 -> w0\ngt n3*10, w0 -> out\n"},
      {"income_pc_12m < 0.70 * income_pc_prev_12m", "mul n2, #7 -> w0\nlt n1*10, w0 -> out\n"},
      {"ratio < 1", "lt n8, #1000 -> out\n"},
      {"members < 2.5", "lt n7, #3 -> out\n"},
      {"members <= 2.5", "le n7, #2 -> out\n"},
      {"members > 2.5", "gt n7, #2 -> out\n"},
      {"members >= 2.5", "ge n7, #3 -> out\n"},
      {"members < -2.5", "lt n7, #-2 -> out\n"},
      {"members > -2.5", "gt n7, #-3 -> out\n"},
      {"members == 2.5", "fill #0 -> out\n"},
      {"members != 2.5", "fill #1 -> out\n"},
      {"members == 2.0", "eq n7, #2 -> out\n"},
      {"2.5 > members", "lt n7, #3 -> out\n"},
      {"income_pc_12m < yuan(99999999999999999)", "fill #1 -> out\n"},
      {"income_pc_12m > yuan(99999999999999999)", "fill #0 -> out\n"},
      {"income_pc_12m > -yuan(99999999999999999)", "fill #1 -> out\n"},
      {"1 + 1 == 2", "fill #1 -> out\n"},
      {"0.1 + 0.2 == 0.3", "fill #1 -> out\n"},
      {"3 * 0.5 > 1.5", "fill #0 -> out\n"},
      {"min(2, 3) == 2 && max(-1, -2) == -1 && abs(-4) == 4", "fill #1 -> out\n"},
      {"true", "fill #1 -> out\n"},
      {"!true", "fill #0 -> out\n"},
      {"is_tuopin", "copy b0 -> out\n"},
      {"is_tuopin && true", "copy b0 -> out\n"},
      {"strict && is_tuopin", "copy b0 -> out\n"},
      {"is_tuopin || true", "fill #1 -> out\n"},
      {"is_tuopin && false", "fill #0 -> out\n"},
      {"is_tuopin == false", "not b0 -> out\n"},
      {"is_tuopin != false", "copy b0 -> out\n"},
      {"!!is_tuopin", "copy b0 -> out\n"},
      {"is_tuopin == has_assistance", "bool_eq b0, b5 -> out\n"},
      {"line - income_pc_12m > yuan(0)", "sub_from n1, #600000 -> w0\ngt w0, #0 -> out\n"},
      {"income_pc_12m + yuan(0.5) > line", "add n1, #50 -> w0\ngt w0, #600000 -> out\n"},
      {"ratio + members > 1", "add n8, n7*1000 -> w0\ngt w0, #1000 -> out\n"},
      {"max(income_pc_12m, income_prev_12m) >= trig_x", "max n1, n4 -> w0\nge w0, #10000 -> out\n"},
      {"min(members, 0.5) < 1", "min n7*10, #5 -> w0\nlt w0, #10 -> out\n"},
      {"-members < abs(ratio)", "neg n7 -> w0\nabs n8 -> w1\nlt w0*1000, w1 -> out\n"},
      {"members * factor > 3", "mul n7, #15 -> w0\ngt w0, #30 -> out\n"},
      {"(members > 1 && ratio > 0) || !has_assistance",
       "gt n7, #1 -> y0\ngt n8, #0 -> y1\nand y0, y1 -> y1\nnot b5 -> y0\nor y1, y0 -> out\n"},
      {"trigger.medical_selfpay > trig_x", "gt n9, #10000 -> out\n"},
      {"disaster_loss_12m >= yuan(10000)", "ge n6, #1000000 -> out\n"},
      {"income_pc_12m > 0", "gt n1, #0 -> out\n"},
      {"0 != income_pc_12m - income_prev_12m", "sub n1, n4 -> w0\nne w0, #0 -> out\n"},
      {"max(income_pc_12m, 0.00) == income_pc_12m + 0", "max n1, #0 -> w0\nadd n1, #0 -> w1\neq w0, w1 -> out\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(Plan(c.text), c.plan) << c.text;
}

TEST_F(BinderTest, NamesInFirstUseOrder) {
  auto result = Compile("income_pc_12m < line && is_tuopin && income_pc_12m > 0.5 * line && strict", catalog_);
  ASSERT_TRUE(std::holds_alternative<Program>(result));
  EXPECT_EQ(std::get<Program>(result).Names(),
            (std::vector<std::string>{"income_pc_12m", "line", "is_tuopin", "strict"}));
}

TEST(CatalogTest, FindsAndReplacesNames) {
  Catalog c;
  c.AddColumn("a", Type::kNumber, 1, 3);
  c.AddConstant("b", Type::kMoney, 100, 2);
  ASSERT_NE(c.FindColumn("a"), nullptr);
  EXPECT_EQ(c.FindColumn("a")->index, 3);
  EXPECT_EQ(c.FindConstant("a"), nullptr);
  EXPECT_EQ(c.FindConstant("b")->units, 100);
  c.AddConstant("a", Type::kNumber, 7, 0);  // replaces the column
  EXPECT_EQ(c.FindColumn("a"), nullptr);
  EXPECT_EQ(c.FindConstant("a")->units, 7);
  EXPECT_EQ(c.Names(), (std::vector<std::string>{"a", "b"}));
}

TEST(TypeTest, NamesAndLabels) {
  EXPECT_EQ(TypeName(Type::kBool), "bool");
  EXPECT_EQ(TypeName(Type::kNumber), "number");
  EXPECT_EQ(TypeName(Type::kMoney), "money");
  SetLanguage(Lang::kZh);
  EXPECT_EQ(TypeLabel(Type::kMoney), "金额");
  EXPECT_EQ(TypeLabel(Type::kNumber), "数值");
}

TEST(ExprMessagesTest, EveryTemplateRendersInBothLanguages) {
  int count = 0;
  for (int i = 0; i < static_cast<int>(Msg::kMessageCount); ++i) {
    const Msg id = static_cast<Msg>(i);
    if (!MessageKind(id).starts_with("expr_")) continue;
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      EXPECT_NO_THROW(EXPECT_FALSE(TrIn(lang, id, "a", "b", "c", "d", "e").empty())) << MessageKind(id);
    }
    ++count;
  }
  EXPECT_GE(count, 30);
}

TEST(CompileTest, RefusesAnOverlongText) {
  std::string text = "members > 1";
  while (text.size() <= 64 * 1024) text += " && members > 1";
  auto result = Compile(text, HouseholdCatalog());
  ASSERT_TRUE(std::holds_alternative<std::vector<Problem>>(result));
  EXPECT_EQ(std::get<std::vector<Problem>>(result)[0].kind, "expr_too_long");
}

}  // namespace
}  // namespace hearth::expr
