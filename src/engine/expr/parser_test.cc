#include "engine/expr/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "core/messages.h"
#include "engine/expr/test_catalog.h"

namespace hearth::expr {
namespace {

// The tree as an S-expression: (&& a (< b 1)), (call max a b), (neg a).
std::string Sexpr(const Node& n) {
  switch (n.kind) {
    case NodeKind::kNumber:
    case NodeKind::kBool:
    case NodeKind::kName: return std::string(n.text);
    case NodeKind::kUnary: return "(" + std::string(n.op == Op::kNot ? "!" : "neg") + " " + Sexpr(*n.args[0]) + ")";
    case NodeKind::kBinary:
      return "(" + std::string(OpSymbol(n.op)) + " " + Sexpr(*n.args[0]) + " " + Sexpr(*n.args[1]) + ")";
    case NodeKind::kCall: {
      std::string s = "(call " + std::string(n.text);
      for (const NodePtr& arg : n.args) s += " " + Sexpr(*arg);
      return s + ")";
    }
  }
  return "?";
}

ParseResult ParseText(std::string_view text) {
  const LexResult lexed = Lex(text);
  EXPECT_TRUE(lexed.problems.empty()) << text;
  return Parse(lexed.tokens);
}

TEST(ParserTest, PrecedenceAndAssociativity) {
  struct Case {
    std::string_view text;
    std::string_view tree;
  };
  const Case cases[] = {
      {"a", "a"},
      {"a || b && c", "(|| a (&& b c))"},
      {"a && b || c", "(|| (&& a b) c)"},
      {"a || b || c", "(|| (|| a b) c)"},
      {"a && b && c", "(&& (&& a b) c)"},
      {"a == b && c != d", "(&& (== a b) (!= c d))"},
      {"a < b == c >= d", "(== (< a b) (>= c d))"},
      {"a == b == c", "(== (== a b) c)"},
      {"a + b < c * d", "(< (+ a b) (* c d))"},
      {"a - b - c", "(- (- a b) c)"},
      {"a - b + c", "(+ (- a b) c)"},
      {"a + b * c", "(+ a (* b c))"},
      {"a * b * c", "(* (* a b) c)"},
      {"(a + b) * c", "(* (+ a b) c)"},
      {"a - (b - c)", "(- a (- b c))"},
      {"-a * b", "(* (neg a) b)"},
      {"- -a", "(neg (neg a))"},
      {"!a && b", "(&& (! a) b)"},
      {"!(a && b)", "(! (&& a b))"},
      {"!!a", "(! (! a))"},
      {"!a == b", "(== (! a) b)"},
      {"a < -1", "(< a (neg 1))"},
      {"a / b > 0.5", "(> (/ a b) 0.5)"},
      {"max(a, b) >= trig_x", "(>= (call max a b) trig_x)"},
      {"yuan(6000)", "(call yuan 6000)"},
      {"f()", "(call f)"},
      {"min(a + 1, max(b, c * 2))", "(call min (+ a 1) (call max b (* c 2)))"},
      {"((a))", "a"},
      {"(a < b) < c", "(< (< a b) c)"},
      {"true || false", "(|| true false)"},
      {"is_tuopin && income_pc_12m < line", "(&& is_tuopin (< income_pc_12m line))"},
      {"income_pc_12m < 0.7 * income_pc_prev_12m || disaster_loss_12m >= yuan(10000)",
       "(|| (< income_pc_12m (* 0.7 income_pc_prev_12m)) (>= disaster_loss_12m (call yuan 10000)))"},
  };
  for (const Case& c : cases) {
    const ParseResult r = ParseText(c.text);
    ASSERT_TRUE(r.problems.empty()) << c.text << ": " << r.problems[0].message;
    ASSERT_NE(r.root, nullptr) << c.text;
    EXPECT_EQ(Sexpr(*r.root), c.tree) << c.text;
  }
}

TEST(ParserTest, SpansCoverTheNodeAndItsParentheses) {
  const ParseResult r = ParseText("x && (a + b) * max(c, 2)");
  ASSERT_NE(r.root, nullptr);
  const Node& product = *r.root->args[1];
  EXPECT_EQ(product.span.offset, 5);
  EXPECT_EQ(product.span.length, 19);
  EXPECT_EQ(product.op_span.offset, 13);
  EXPECT_EQ(product.args[0]->span.offset, 5);   // "(a + b)"
  EXPECT_EQ(product.args[0]->span.length, 7);
  EXPECT_EQ(product.args[1]->span.offset, 15);  // "max(c, 2)"
  EXPECT_EQ(product.args[1]->span.length, 9);
  EXPECT_EQ(product.args[1]->op_span.length, 3);
}

using ParserProblemTest = testing::ZhMessagesTest;

TEST_F(ParserProblemTest, SyntaxErrorsSayWhatWasExpectedAndFound) {
  using Case = testing::ProblemCase;
  const Case cases[] = {
      {"", 0, 0, "应为 一个值"},
      {"a &&", 4, 0, "实际为 表达式结尾"},
      {"a && ", 5, 0, "实际为 表达式结尾"},
      {"(a", 2, 0, "应为 与前面的 \"(\" 配对的 \")\"，实际为 表达式结尾"},
      {"(a && b || c", 12, 0, "\")\""},
      {"(a && b c)", 8, 1, "实际为 \"c\""},
      {"a < b < c", 6, 1, "比较不能连写：\"<\""},
      {"a <= b > c", 7, 1, "\">\""},
      {"a < b + 1 >= c", 10, 2, "\">=\""},
      {"a b", 2, 1, "应为 运算符（如 && 或 <）或表达式结尾，实际为 \"b\""},
      {"a && )", 5, 1, "实际为 \")\""},
      {"()", 1, 1, "应为 一个值"},
      {"max(a b)", 6, 1, "\",\" 或结尾的 \")\"，实际为 \"b\""},
      {"max(a,", 6, 0, "应为 一个值"},
      {"max(a, )", 7, 1, "实际为 \")\""},
      {"max(a", 5, 0, "\",\""},
      {"a * * b", 4, 1, "实际为 \"*\""},
      {"income_pc_12m < (line && x", 26, 0, "\")\""},
      {"a == == b", 5, 2, "实际为 \"==\""},
      {"1 2", 2, 1, "\"2\""},
      {"a !", 2, 1, "\"!\""},
  };
  for (const Case& c : cases) {
    const ParseResult r = ParseText(c.text);
    EXPECT_EQ(r.root, nullptr) << c.text;
    ASSERT_EQ(r.problems.size(), 1u) << c.text;
    const Problem& p = r.problems[0];
    EXPECT_EQ(p.kind, "expr_syntax") << c.text;
    EXPECT_EQ(p.offset, c.offset) << c.text;
    EXPECT_EQ(p.length, c.length) << c.text;
    EXPECT_NE(p.message.find(c.message_part), std::string::npos) << c.text << "\n" << p.message;
  }
}

TEST_F(ParserProblemTest, EnglishSyntaxError) {
  SetLanguage(Lang::kEn);
  const ParseResult r = ParseText("(a && b");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].message, "Expected \")\" to close the earlier \"(\", found the end of the expression.");
}

TEST_F(ParserProblemTest, DeepNestingIsRefusedNotACrash) {
  const std::string parens = std::string(5000, '(') + "a" + std::string(5000, ')');
  const std::string nots = std::string(5000, '!') + "a";
  std::string chain = "a";
  for (int i = 0; i < 5000; ++i) chain += " + a";
  for (const std::string& text : {parens, nots, chain}) {
    const ParseResult r = ParseText(text);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].kind, "expr_too_deep");
  }
  std::string fine = "a";
  for (int i = 0; i < kMaxDepth - 2; ++i) fine += " + a";
  EXPECT_TRUE(ParseText(fine).problems.empty());
}

}  // namespace
}  // namespace hearth::expr
