#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace hearth::cli {
namespace {

TEST(OutputTest, DisplayWidthCountsWideCharactersTwice) {
  const struct {
    std::string_view text;
    int width;
  } cases[] = {{"", 0}, {"abc", 3}, {"和田县", 6}, {"阿卜杜拉·艾买提", 15}, {"A１", 3}};
  for (const auto& c : cases) EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
}

TEST(OutputTest, ThousandsSeparators) {
  const struct {
    int64_t n;
    std::string_view text;
  } cases[] = {{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-1234, "-1,234"}};
  for (const auto& c : cases) EXPECT_EQ(Thousands(c.n), c.text);
}

TEST(OutputTest, TableAlignsMixedWidthText) {
  TextTable t({"代码", "名称", "户数"});
  t.AlignRight(2);
  t.AddRow({"6532", "和田地区", "12"});
  t.AddRow({"653221", "和田县", "3"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(),
            "代码    名称      户数\n"
            "------  --------  ----\n"
            "6532    和田地区    12\n"
            "653221  和田县       3\n");
}

TEST(OutputTest, CellsWrappedInTheirSpreadsheetCellPrintOnOneLine) {
  TextTable t({"户主\n姓名", "备注"});
  t.AddRow({"张三", "第一行\r\n第二行\t完"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(),
            "户主 姓名  备注\n"
            "---------  ----------------\n"
            "张三       第一行 第二行 完\n");
}

}  // namespace
}  // namespace hearth::cli
