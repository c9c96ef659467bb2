#include "engine/expr/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/messages.h"
#include "engine/expr/test_catalog.h"

namespace hearth::expr {
namespace {

// "kind@offset+length" for each token but the final kEnd.
std::string Describe(const std::vector<Token>& tokens) {
  std::string s;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kEnd) break;
    if (!s.empty()) s += " ";
    s += std::string(t.text) + "@" + std::to_string(t.span.offset) + "+" + std::to_string(t.span.length);
  }
  return s;
}

TEST(LexerTest, SplitsTokensWithTheirSpans) {
  struct Case {
    std::string_view text;
    std::string_view tokens;
  };
  const Case cases[] = {
      {"", ""},
      {"  \t\n", ""},
      {"a&&b", "a@0+1 &&@1+2 b@3+1"},
      {"is_tuopin && income_pc_12m < line", "is_tuopin@0+9 &&@10+2 income_pc_12m@13+13 <@27+1 line@29+4"},
      {"x<=1.25", "x@0+1 <=@1+2 1.25@3+4"},
      {"a>=b>c<d==e!=f", "a@0+1 >=@1+2 b@3+1 >@4+1 c@5+1 <@6+1 d@7+1 ==@8+2 e@10+1 !=@11+2 f@13+1"},
      {"!-a+b*c/d", "!@0+1 -@1+1 a@2+1 +@3+1 b@4+1 *@5+1 c@6+1 /@7+1 d@8+1"},
      {"max(a, yuan(6000))", "max@0+3 (@3+1 a@4+1 ,@5+1 yuan@7+4 (@11+1 6000@12+4 )@16+1 )@17+1"},
      {"trigger.medical_selfpay||_x2", "trigger.medical_selfpay@0+23 ||@23+2 _x2@25+3"},
      {"007 0.5", "007@0+3 0.5@4+3"},
  };
  for (const Case& c : cases) {
    const LexResult r = Lex(c.text);
    EXPECT_TRUE(r.problems.empty()) << c.text;
    EXPECT_EQ(Describe(r.tokens), c.tokens) << c.text;
    ASSERT_FALSE(r.tokens.empty());
    EXPECT_EQ(r.tokens.back().kind, TokenKind::kEnd);
    EXPECT_EQ(r.tokens.back().span.offset, static_cast<int>(c.text.size()));
  }
}

TEST(LexerTest, KeywordsAndKinds) {
  const LexResult r = Lex("true false truth (x)");
  ASSERT_EQ(r.tokens.size(), 7u);
  EXPECT_EQ(r.tokens[0].kind, TokenKind::kTrue);
  EXPECT_EQ(r.tokens[1].kind, TokenKind::kFalse);
  EXPECT_EQ(r.tokens[2].kind, TokenKind::kName);
  EXPECT_EQ(r.tokens[3].kind, TokenKind::kLParen);
  EXPECT_EQ(r.tokens[5].kind, TokenKind::kRParen);
}

using LexerProblemTest = testing::ZhMessagesTest;

TEST_F(LexerProblemTest, ReportsEveryBadCharacterWithItsSpan) {
  using Case = testing::ProblemCase;
  const Case cases[] = {
      {"a $ b", 2, 1, "无法识别的字符 \"$\""},
      {"1.2.3", 0, 5, "数字 \"1.2.3\" 的写法不对"},
      {"x > 6000yuan", 4, 8, "\"6000yuan\""},
      {"x > 1.", 4, 2, "\"1.\""},
      {"a & b", 2, 1, "\"&\" 不是运算符，请写成 \"&&\""},
      {"a | b", 2, 1, "请写成 \"||\""},
      {"a = b", 2, 1, "请写成 \"==\""},
      {"max（a, b)", 3, 3, "全角或中文符号 \"（\"，请改用半角符号 \"(\""},
      {"a，b", 1, 3, "\"，\""},
      {"收入 > 0", 0, 3, "不能使用字符 \"收\""},
      {"a # b", 2, 1, "\"#\""},
      {"a\x80", 1, 1, "\\x80"},
      {std::string_view("a \0 b", 5), 2, 1, "\"\\x00\""},
      {"a \x1b b", 2, 1, "\"\\x1B\""},
  };
  for (const Case& c : cases) {
    const LexResult r = Lex(c.text);
    ASSERT_FALSE(r.problems.empty()) << c.text;
    const Problem& p = r.problems[0];
    EXPECT_EQ(p.kind, "expr_syntax") << c.text;
    EXPECT_EQ(p.offset, c.offset) << c.text;
    EXPECT_EQ(p.length, c.length) << c.text;
    EXPECT_NE(p.message.find(c.message_part), std::string::npos) << c.text << "\n" << p.message;
  }
}

TEST_F(LexerProblemTest, KeepsGoingAfterABadCharacter) {
  const LexResult r = Lex("a $ b @ c");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].offset, 2);
  EXPECT_EQ(r.problems[1].offset, 6);
}

TEST_F(LexerProblemTest, SpeaksEnglishToo) {
  SetLanguage(Lang::kEn);
  const LexResult r = Lex("a = b");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].message, "\"=\" is not an operator; write \"==\".");
}

}  // namespace
}  // namespace hearth::expr
