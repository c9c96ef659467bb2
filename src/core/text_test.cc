#include "core/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth {
namespace {

TEST(ParseEncodingTest, KnownNames) {
  struct Case {
    std::string_view name;
    Encoding want;
  };
  for (const Case& c : std::vector<Case>{{"auto", Encoding::kAuto},
                                         {"", Encoding::kAuto},
                                         {"utf-8", Encoding::kUtf8},
                                         {"UTF8", Encoding::kUtf8},
                                         {" gbk ", Encoding::kGbk},
                                         {"GB18030", Encoding::kGbk},
                                         {"gb2312", Encoding::kGbk},
                                         {"cp936", Encoding::kGbk}}) {
    StatusOr<Encoding> e = ParseEncoding(c.name);
    ASSERT_TRUE(e.ok()) << c.name;
    EXPECT_EQ(*e, c.want) << c.name;
  }
}

TEST(ParseEncodingTest, UnknownNamesFail) {
  for (std::string_view name : {"latin1", "utf-16", "big5", "gbk2"}) {
    StatusOr<Encoding> e = ParseEncoding(name);
    ASSERT_FALSE(e.ok()) << name;
    EXPECT_EQ(e.status().kind(), "encoding_unknown");
    EXPECT_NE(e.status().message().find(name), std::string::npos);
  }
}

TEST(EncodingNameTest, RoundTrips) {
  for (Encoding e : {Encoding::kAuto, Encoding::kUtf8, Encoding::kGbk}) {
    StatusOr<Encoding> parsed = ParseEncoding(EncodingName(e));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, e);
  }
}

TEST(Utf8Test, Validity) {
  struct Case {
    std::string bytes;
    bool valid;
    bool valid_with_tail;
    size_t prefix;
  };
  const std::vector<Case> cases = {
      {"", true, true, 0},
      {"plain ascii, longer than eight bytes", true, true, 36},
      {"张三", true, true, 6},
      {"\xF0\x9F\x98\x80", true, true, 4},            // U+1F600
      {"ab\xE5\xBC", false, true, 2},                 // 张 cut off
      {"ab\xF0\x9F\x98", false, true, 2},             // emoji cut off
      {"ab\xC3", false, true, 2},                     // é cut off
      {"ab\x80", false, false, 2},                    // lone continuation byte
      {"\xC0\xAF", false, false, 0},                  // overlong '/'
      {"\xE0\x80\xAF", false, false, 0},              // overlong
      {"\xED\xA0\x80", false, false, 0},              // surrogate U+D800
      {"\xF4\x90\x80\x80", false, false, 0},          // above U+10FFFF
      {"\xFF", false, false, 0},
      {"\xD5\xC5\xC8\xFD", false, false, 0},          // 张三 in GBK
      {"abcdefgh\xE5\xBC\xA0x\xE5", false, true, 12}, // tail after a valid char
      {"\xE5\xBC" "a", false, false, 0},              // cut-off sequence not at the end
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.bytes), c.valid) << c.bytes;
    EXPECT_EQ(IsValidUtf8(c.bytes, true), c.valid_with_tail) << c.bytes;
    EXPECT_EQ(Utf8ValidPrefix(c.bytes), c.prefix) << c.bytes;
  }
}

TEST(DetectEncodingTest, Cases) {
  struct Case {
    std::string head;
    Encoding want;
  };
  const std::vector<Case> cases = {
      {"\xEF\xBB\xBF姓名,证件号码\n", Encoding::kUtf8},
      {"\xEF\xBB\xBF\xD5\xC5", Encoding::kUtf8},  // a BOM wins
      {"姓名,证件号码\n张三,1\n", Encoding::kUtf8},
      {"name,id\n", Encoding::kUtf8},
      {"姓名,证件号码\n\xE5\xBC", Encoding::kUtf8},  // cut in the middle of 张
      {"\xD0\xD5\xC3\xFB,\xD6\xA4\xBC\xFE\n", Encoding::kGbk},  // 姓名,证件 in GBK
      // Neither reads it all: the one that reads more lines first (the reader then fails on the
      // line at fault).
      {"姓名,证件号码\n张三,1\n\xD5\xC5\xC8\xFD,2\n", Encoding::kUtf8},  // 张三 in GBK on line 3
      {"\xD0\xD5\xC3\xFB,\xD6\xA4\xBC\xFE\n\xD5\xC5,1\n张三,2\n", Encoding::kGbk},  // 张三 in UTF-8 on line 3
      {"\xFF\xFF\n", Encoding::kGbk},  // neither reads a line
  };
  for (const Case& c : cases) EXPECT_EQ(DetectEncoding(c.head), c.want) << c.head;
}

TEST(Utf8BomLengthTest, Cases) {
  EXPECT_EQ(Utf8BomLength("\xEF\xBB\xBF" "a"), 3u);
  EXPECT_EQ(Utf8BomLength("\xEF\xBB"), 0u);
  EXPECT_EQ(Utf8BomLength("a"), 0u);
}

TEST(GbkTest, RoundTrip) {
  for (std::string_view text : {"", "abc", "姓名,证件号码\r\n张三,6532", "阿卜杜拉·艾买提", "𠀀㐀€"}) {
    StatusOr<std::string> gbk = Utf8ToGbk(text);
    ASSERT_TRUE(gbk.ok()) << text;
    StatusOr<std::string> back = GbkToUtf8(*gbk);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(*back, text);
  }
  EXPECT_EQ(*Utf8ToGbk("张三"), "\xD5\xC5\xC8\xFD");
}

TEST(GbkTest, InvalidInputFails) {
  struct Case {
    std::string gbk;
    std::string offset;  // 1-based byte number in the message
  };
  for (const Case& c : std::vector<Case>{{"ab\xFF", "3"},
                                         {"\xD5\xC5\x81\x20", "3"},
                                         {"\xD5", "1"}}) {
    StatusOr<std::string> r = GbkToUtf8(c.gbk);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), "encoding_invalid");
    EXPECT_NE(r.status().message().find("第 " + c.offset + " 个字节"), std::string::npos)
        << r.status().message();
  }
  StatusOr<std::string> bad_utf8 = Utf8ToGbk("a\xFF");
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.status().kind(), "encoding_invalid");
}

TEST(GbkDecoderTest, SplitsAtEveryByte) {
  const std::string text = "序号,姓名\n1,阿卜杜拉·艾买提\n2,𠀀\n";
  const std::string gbk = *Utf8ToGbk(text);
  for (size_t cut = 0; cut <= gbk.size(); ++cut) {
    GbkDecoder decoder;
    std::string out;
    ASSERT_TRUE(decoder.Decode(std::string_view(gbk).substr(0, cut), false, &out).ok());
    ASSERT_TRUE(decoder.Decode(std::string_view(gbk).substr(cut), true, &out).ok());
    EXPECT_EQ(out, text) << cut;
  }
}

TEST(GbkDecoderTest, ReportsStreamOffsetAndKeepsPrefix) {
  GbkDecoder decoder;
  std::string out;
  ASSERT_TRUE(decoder.Decode("abc\xD5", false, &out).ok());
  Status s = decoder.Decode("\xC5xy\xFFz", true, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), "encoding_invalid");
  EXPECT_NE(s.message().find("第 8 个字节"), std::string::npos) << s.message();
  EXPECT_EQ(out, "abc张xy");
}

TEST(GbkDecoderTest, DanglingTailAtEndFails) {
  GbkDecoder decoder;
  std::string out;
  ASSERT_TRUE(decoder.Decode("ab\xD5", false, &out).ok());
  EXPECT_FALSE(decoder.Decode("", true, &out).ok());
}

TEST(FoldWidthTest, Cases) {
  struct Case {
    std::string_view in;
    std::string_view want;
  };
  for (const Case& c : std::vector<Case>{{"ＡＢＣ１２３", "ABC123"},
                                         {"（元）", "(元)"},
                                         {"a\u3000b", "a b"},
                                         {"～！", "~!"},
                                         {"张三", "张三"},
                                         {"a\xFF" "b", "a\xFF" "b"}}) {
    EXPECT_EQ(FoldWidth(c.in), c.want) << c.in;
  }
}

TEST(TrimSpaceTest, Cases) {
  struct Case {
    std::string_view in;
    std::string_view want;
  };
  for (const Case& c : std::vector<Case>{{"  a b  ", "a b"},
                                         {"\u3000张三\u3000", "张三"},
                                         {"\u00A0\t x\r\n", "x"},
                                         {"", ""},
                                         {" \u3000 ", ""}}) {
    EXPECT_EQ(TrimSpace(c.in), c.want) << c.in;
  }
}

TEST(RemoveSpacesTest, Cases) {
  struct Case {
    std::string_view in;
    std::string_view want;
  };
  for (const Case& c : std::vector<Case>{{" 低 保 ", "低保"},
                                         {"医疗\n总费用", "医疗总费用"},
                                         {"\u00A0A\u200B级\uFEFF", "A级"},
                                         {"\t\r\n", ""},
                                         {"", ""},
                                         {"\u3000", "\u3000"}}) {  // FoldWidth makes U+3000 a space first
    EXPECT_EQ(RemoveSpaces(c.in), c.want) << c.in;
  }
}

TEST(NormalizeNameTest, MiddleDotsAndSpaces) {
  const std::string want = "阿卜杜拉·艾买提";
  for (std::string_view in : {"阿卜杜拉·艾买提", "阿卜杜拉 • 艾买提", "阿卜杜拉.艾买提", "阿卜杜拉・艾买提",
                              "阿卜杜拉･艾买提", "阿卜杜拉‧艾买提", "阿卜杜拉∙艾买提", "阿卜杜拉⋅艾买提",
                              "阿卜杜拉●艾买提", "阿卜杜拉。艾买提", "阿卜杜拉．艾买提",
                              "\u3000阿卜杜拉 · 艾买提 "}) {
    EXPECT_EQ(NormalizeName(in), want) << in;
  }
  EXPECT_EQ(NormalizeName("张 三"), "张三");
  EXPECT_EQ(NormalizeName("ＬＩ　Ｍｉｎｇ"), "LIMing");
}

TEST(SameNameTest, Cases) {
  EXPECT_TRUE(SameName("阿卜杜拉 • 艾买提", "阿卜杜拉·艾买提"));
  EXPECT_TRUE(SameName("张三", " 张 三 "));
  EXPECT_FALSE(SameName("张三", "张山"));
  EXPECT_FALSE(SameName("阿卜杜拉艾买提", "阿卜杜拉·艾买提"));
  // A space for the dot, as some offices type it; never a dot where there was nothing.
  EXPECT_TRUE(SameName("亚森 赛买提", "亚森·赛买提"));
  EXPECT_TRUE(SameName("亚森·赛买提", " 亚森　 赛买提 "));
  EXPECT_TRUE(SameName("亚森 · 赛买提", "亚森·赛买提"));
  EXPECT_FALSE(SameName("亚森 赛买提", "亚森赛·买提"));
  EXPECT_FALSE(SameName("亚森 赛买提", "亚森·赛买"));
}

TEST(MaskNameTest, Cases) {
  struct Case {
    std::string_view in;
    std::string_view want;
  };
  for (const Case& c : std::vector<Case>{{"阿卜杜拉", "阿***"},
                                         {"张三", "张*"},
                                         {"张", "张*"},
                                         {" 李四 ", "李*"},
                                         {"", ""}}) {
    EXPECT_EQ(MaskName(c.in), c.want) << c.in;
  }
}

TEST(TruncateUtf8Test, CutsAtCharacterBoundaries) {
  const struct {
    std::string_view text;
    size_t max;
    std::string_view expected;
  } cases[] = {
      {"abc", 3, "abc"}, {"abcd", 3, "abc…"}, {"和田县", 9, "和田县"}, {"和田县", 8, "和田…"}, {"和田县", 1, "…"}, {"", 0, ""},
  };
  for (const auto& c : cases) EXPECT_EQ(TruncateUtf8(c.text, c.max), c.expected) << c.text << " " << c.max;
  EXPECT_EQ(CountUtf8Chars("阿卜杜拉·艾买提"), 8u);
  EXPECT_EQ(CountUtf8Chars("abc"), 3u);
}

TEST(ParseWholeNumberTest, AcceptsWhatOfficesType) {
  struct Case {
    const char* in;
    int64_t want;
  } const cases[] = {{"2025", 2025}, {" 2025 ", 2025}, {"２０２５", 2025}, {"2019.0", 2019}, {"2019.000", 2019}, {"-3", -3}, {"0", 0}};
  for (const Case& c : cases) {
    StatusOr<int64_t> n = ParseWholeNumber(c.in);
    ASSERT_TRUE(n.ok()) << c.in;
    EXPECT_EQ(*n, c.want) << c.in;
  }
}

TEST(ParseWholeNumberTest, RefusesTheRest) {
  for (const char* in : {"", " ", "2019.5", "20x", "x20", "1e3", "99999999999999999999", "2,025"}) {
    StatusOr<int64_t> n = ParseWholeNumber(in);
    ASSERT_FALSE(n.ok()) << in;
    EXPECT_EQ(n.status().kind(), "int_format") << in;
  }
}

}  // namespace
}  // namespace hearth
