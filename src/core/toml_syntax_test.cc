// What an editor did to a TOML file that does not parse: each case the position toml++ gives
// and what must be told.
#include "core/toml_syntax.h"

#include <gtest/gtest.h>

namespace hearth {
namespace {

TEST(TomlSyntaxTest, ExplainsWhatAnEditorDid) {
  const struct {
    const char* label;
    std::string text;
    int64_t line, column;  // the parser's position
    TomlSyntaxCause::Kind kind;
    int64_t want_line, want_column;
    std::string full_width;
  } cases[] = {
      {"full-width comma", "a = 1\nb = [\"x\"，\"y\"]\n", 2, 9, TomlSyntaxCause::kFullWidth, 2, 9, "，→ ,"},
      {"full-width quotes", "a = “x”\n", 1, 5, TomlSyntaxCause::kFullWidth, 1, 5, "“→ \"  ”→ \""},
      {"full-width equals and colon, each once", "a ＝ 1 ： 2 ＝\n", 1, 3, TomlSyntaxCause::kFullWidth, 1, 3,
       "＝→ =  ：→ ="},
      {"inside a string is no cause", "a = \"甲，乙\" x\n", 1, 13, TomlSyntaxCause::kOther, 1, 13, ""},
      {"in a comment is no cause", "a = = 1 # 注：说明\n", 1, 5, TomlSyntaxCause::kOther, 1, 5, ""},
      {"a plain error", "[a\n", 1, 3, TomlSyntaxCause::kOther, 1, 3, ""},
      {"GBK: where the first bad byte is", "a = 1\nb = \"\xD5\xFE\"\n", 2, 5, TomlSyntaxCause::kNotUtf8, 2, 6, ""},
      {"UTF-16 with its BOM", std::string("\xFF\xFE" "a\0 \0=\0", 8), 1, 1, TomlSyntaxCause::kNotUtf8, 1, 1, ""},
      {"CRLF line", "a = 1\r\nb ＝ 2\r\n", 2, 3, TomlSyntaxCause::kFullWidth, 2, 3, "＝→ ="},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    TomlSyntaxCause cause = ExplainTomlSyntaxError(c.text, c.line, c.column);
    EXPECT_EQ(cause.kind, c.kind);
    EXPECT_EQ(cause.line, c.want_line);
    EXPECT_EQ(cause.column, c.want_column);
    EXPECT_EQ(cause.full_width, c.full_width);
  }
}

TEST(TomlSyntaxTest, LineAt) {
  EXPECT_EQ(LineAt("a\r\nb\nc", 1), "a");
  EXPECT_EQ(LineAt("a\r\nb\nc", 2), "b");
  EXPECT_EQ(LineAt("a\r\nb\nc", 3), "c");
  EXPECT_EQ(LineAt("a\r\nb\nc", 4), "");
}

}  // namespace
}  // namespace hearth
