#include "core/id_number.h"

#include <gtest/gtest.h>

#include <string>

#include "core/messages.h"

namespace hearth {
namespace {

const Date kToday = Date::FromCivil(2025, 6, 1);

Date D(int y, int m, int d) { return Date::FromCivil(y, m, d); }

TEST(IdCheckCharacterTest, Iso7064Mod11_2) {
  struct Case {
    std::string_view first17;
    char expected;
  };
  const Case cases[] = {
      {"11010519491231002", 'X'}, {"65322119900101123", '6'}, {"44030420000229001", '4'},
      {"11010519491231000", '3'}, {"65322119850615000", 'X'}, {"65322119850615100", '2'},
      {"81000019800101001", '4'}, {"71000019800101002", '9'}, {"00000000000000000", '1'},
      {"1101051949123100", '?'},  {"110105194912310021", '?'}, {"1101051949123100X", '?'},
      {"", '?'},
  };
  for (const Case& c : cases) EXPECT_EQ(IdCheckCharacter(c.first17), c.expected) << c.first17;
}

TEST(NormalizeIdTextTest, RemovesWhatOfficesAdd) {
  struct Case {
    std::string_view raw;
    std::string_view normalized;
  };
  const Case cases[] = {
      {"11010519491231002X", "11010519491231002X"},
      {"11010519491231002x", "11010519491231002X"},
      {"  11010519491231002X  ", "11010519491231002X"},
      {"'11010519491231002X", "11010519491231002X"},
      {"\t11010519491231002X", "11010519491231002X"},
      {"\t'11010519491231002X", "11010519491231002X"},
      {"' 11010519491231002X", "11010519491231002X"},
      {"110105 19491231 002X", "11010519491231002X"},
      {"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"},
      {"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"},
      {"\xE3\x80\x80" "110105\xE3\x80\x80" "19491231002X", "11010519491231002X"},  // ideographic spaces
      {"＇11010519491231002X", "11010519491231002X"},  // full-width apostrophe
      {"11010519491231002X\r\n", "11010519491231002X"},
      {"", ""},
      {"'", ""},
      {"6.53221E+17", "6.53221E+17"},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeIdText(c.raw), c.normalized) << c.raw;
}

TEST(ParseResidentIdTest, AcceptsValidNumbers) {
  struct Case {
    std::string_view raw;
    std::string_view number;
    Date birth;
    Sex sex;
  };
  const Case cases[] = {
      {"11010519491231002X", "11010519491231002X", D(1949, 12, 31), Sex::kFemale},
      {"11010519491231002x", "11010519491231002X", D(1949, 12, 31), Sex::kFemale},
      {"'11010519491231002X", "11010519491231002X", D(1949, 12, 31), Sex::kFemale},
      {" 110105 19491231 002X\t", "11010519491231002X", D(1949, 12, 31), Sex::kFemale},
      {"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", D(1949, 12, 31), Sex::kFemale},
      {"653221199001011236", "653221199001011236", D(1990, 1, 1), Sex::kMale},
      {"653221199001011244", "653221199001011244", D(1990, 1, 1), Sex::kFemale},
      {"440304200002290014", "440304200002290014", D(2000, 2, 29), Sex::kMale},
      {"653221202403050013", "653221202403050013", D(2024, 3, 5), Sex::kMale},
      {"810000198001010014", "810000198001010014", D(1980, 1, 1), Sex::kMale},   // Hong Kong
      {"710000198001010029", "710000198001010029", D(1980, 1, 1), Sex::kFemale}, // Taiwan
      {"65322119850615000X", "65322119850615000X", D(1985, 6, 15), Sex::kFemale},
      {"110105194912310003", "110105194912310003", D(1949, 12, 31), Sex::kFemale},  // zeros, check fits
      {"653221190001010013", "653221190001010013", D(1900, 1, 1), Sex::kMale},
  };
  for (const Case& c : cases) {
    StatusOr<ResidentId> id = ParseResidentId(c.raw, kToday);
    ASSERT_TRUE(id.ok()) << c.raw << ": " << id.status().ToString();
    EXPECT_EQ(id->number, c.number) << c.raw;
    EXPECT_EQ(id->birth_date, c.birth) << c.raw;
    EXPECT_EQ(id->sex, c.sex) << c.raw;
    EXPECT_FALSE(id->converted_from_15) << c.raw;
    EXPECT_EQ(id->original, c.number) << c.raw;
  }
}

// A numeric column exported with a decimal part: the 18 digits are the ID when the check
// character proves them whole, whatever marks and widths surround them.
TEST(ParseResidentIdTest, WholeNumberWithZeroDecimalsIsTheId) {
  struct Case {
    std::string_view raw;
    std::string_view number;
  };
  const Case cases[] = {
      {"653221199001011236.0", "653221199001011236"},
      {"653221199001011236.00", "653221199001011236"},
      {" 653221199001011236.0 ", "653221199001011236"},
      {"'653221199001011236.0", "653221199001011236"},
      {"６５３２２１１９９００１０１１２３６．０", "653221199001011236"},
      {"110105194912310003.0", "110105194912310003"},  // zeros at the end, check fits
  };
  for (const Case& c : cases) {
    StatusOr<ResidentId> id = ParseResidentId(c.raw, kToday);
    ASSERT_TRUE(id.ok()) << c.raw << ": " << id.status().ToString();
    EXPECT_EQ(id->number, c.number) << c.raw;
    EXPECT_EQ(id->original, c.number) << c.raw;
    EXPECT_EQ(id->birth_date.year() > 1900, true) << c.raw;
  }
}

TEST(ParseResidentIdTest, BornTodayIsNotInTheFuture) {
  StatusOr<ResidentId> id = ParseResidentId("653221202403050013", D(2024, 3, 5));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(ParseResidentId("653221202403050013", D(2024, 3, 4)).status().kind(), "id_future_birth");
}

TEST(ParseResidentIdTest, ConvertsFirstGenerationNumbers) {
  struct Case {
    std::string_view raw;
    std::string_view original;
    std::string_view number;
    Date birth;
    Sex sex;
  };
  const Case cases[] = {
      {"110105491231002", "110105491231002", "11010519491231002X", D(1949, 12, 31), Sex::kFemale},
      {"653221900101123", "653221900101123", "653221199001011236", D(1990, 1, 1), Sex::kMale},
      {" '６５３２２１９００１０１１２３", "653221900101123", "653221199001011236", D(1990, 1, 1), Sex::kMale},
  };
  for (const Case& c : cases) {
    StatusOr<ResidentId> id = ParseResidentId(c.raw, kToday);
    ASSERT_TRUE(id.ok()) << c.raw << ": " << id.status().ToString();
    EXPECT_TRUE(id->converted_from_15) << c.raw;
    EXPECT_EQ(id->original, c.original) << c.raw;
    EXPECT_EQ(id->number, c.number) << c.raw;
    EXPECT_EQ(id->birth_date, c.birth) << c.raw;
    EXPECT_EQ(id->sex, c.sex) << c.raw;
  }
}

TEST(ParseResidentIdTest, RejectsEachProblemWithItsOwnKind) {
  struct Case {
    std::string_view raw;
    std::string_view kind;
  };
  const Case cases[] = {
      {"", "id_empty"},
      {"   ", "id_empty"},
      {"'", "id_empty"},
      {"\t", "id_empty"},
      // Stored as a number by a spreadsheet.
      {"6.53221E+17", "id_spreadsheet_number"},
      {"6.53221e+17", "id_spreadsheet_number"},
      {"6.53221199001011E+17", "id_spreadsheet_number"},
      {"6.5E17", "id_spreadsheet_number"},
      {"1.10105E+17", "id_spreadsheet_number"},
      {"6E+17", "id_spreadsheet_number"},
      {"'6.53221E+17", "id_spreadsheet_number"},
      {"６．５３２２１Ｅ＋１７", "id_spreadsheet_number"},
      {"653221199001011237.0", "id_spreadsheet_number"},  // a decimal part, and a check that fails
      {"653221199001011237.00", "id_spreadsheet_number"},
      {"653221199001011000.0", "id_spreadsheet_number"},
      {"653221199001011236.000", "id_spreadsheet_number"},  // only ".0" and ".00" are dropped
      {"653221199001011236.", "id_character"},
      {"653221199001011236.1", "id_character"},
      {"65322119900101123X.0", "id_character"},           // no number ends in X
      {"11010519491231002X.0", "id_character"},
      {"6532211990010112360", "id_length"},               // the point lost is not a decimal part
      {"653221900101123.0", "id_spreadsheet_number"},
      {"653221199001011000", "id_spreadsheet_number"},  // 15 significant digits kept
      {"440304200002290000", "id_spreadsheet_number"},
      // Wrong length.
      {"1", "id_length"},
      {"12345", "id_length"},
      {"65322119900101123", "id_length"},
      {"6532211990010112361", "id_length"},
      {"1101054912310", "id_length"},
      {"65322119900101123.6", "id_character"},
      {"张三", "id_character"},
      {"E", "id_character"},
      // Wrong characters.
      {"65322119900101123A", "id_character"},
      {"65322119900101123Y", "id_character"},
      {"6532211990010112X6", "id_character"},
      {"X53221199001011236", "id_character"},
      {"653221-19900101-12", "id_character"},
      {"11010549123100X", "id_character"},
      {"65322119900101一二三六", "id_character"},  // 18 characters, counted as characters
      {"6532211990010112３三", "id_character"},
      {"6532211990010112E6", "id_character"},
      // Province.
      {"003221199001011236", "id_province"},
      {"103221199001011236", "id_province"},
      {"163221199001011236", "id_province"},
      {"243221199001011236", "id_province"},
      {"383221199001011236", "id_province"},
      {"473221199001011236", "id_province"},
      {"553221199001011236", "id_province"},
      {"603221199001011236", "id_province"},
      {"663221199001011236", "id_province"},
      {"723221199001011236", "id_province"},
      {"833221199001011236", "id_province"},
      {"993221199001011236", "id_province"},
      {"993221900101123", "id_province"},
      // Birth date.
      {"653221199002301236", "id_birth_date"},
      {"653221199013011236", "id_birth_date"},
      {"653221199000011236", "id_birth_date"},
      {"653221199001001236", "id_birth_date"},
      {"653221190002291236", "id_birth_date"},   // 1900 was not a leap year
      {"653221189912311236", "id_birth_date"},   // before 1900
      {"653221000000001236", "id_birth_date"},
      {"653221000229001", "id_birth_date"},      // 15 digits: 1900-02-29
      {"653221901301123", "id_birth_date"},
      // Future.
      {"653221202511300016", "id_future_birth"},
      {"653221202506021236", "id_future_birth"},
      // Check character.
      {"653221199001011237", "id_checksum"},
      {"653221199001011230", "id_checksum"},   // one zero is not a lost-precision pattern
      {"653221199001011200", "id_checksum"},
      {"11010519491231000X", "id_checksum"},
      {"110105194912310020", "id_checksum"},
      {"653221199001011263", "id_checksum"},   // two digits swapped
  };
  for (const Case& c : cases) {
    StatusOr<ResidentId> id = ParseResidentId(c.raw, kToday);
    ASSERT_FALSE(id.ok()) << c.raw << " -> " << id->number;
    EXPECT_EQ(id.status().kind(), c.kind) << c.raw << ": " << id.status().message();
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << c.raw;
  }
}

class IdMessageTest : public ::testing::Test {
 protected:
  void TearDown() override { SetLanguage(Lang::kZh); }
  static std::string Message(std::string_view raw) { return ParseResidentId(raw, kToday).status().message(); }
};

TEST_F(IdMessageTest, MessagesQuoteTheInputAndSayHowToFixIt) {
  struct Case {
    Lang lang;
    std::string_view raw;
    std::string_view fragment;
  };
  const Case cases[] = {
      {Lang::kEn, "6.53221E+17", "\"6.53221E+17\""},
      {Lang::kEn, "6.53221E+17", "Format the column as text"},
      {Lang::kZh, "6.53221E+17", "将该列设置为文本格式后重新导出"},
      {Lang::kZh, "653221199001011000", "将该列设置为文本格式后重新导出"},
      {Lang::kEn, "12345", "\"12345\" has 5 characters"},
      {Lang::kZh, "12345", "有 5 位"},
      {Lang::kEn, "张三", "contains the character \"张\""},
      {Lang::kEn, "65322119900101123A", "\"A\""},
      {Lang::kEn, "653221-19900101-12", "\"-\""},
      {Lang::kZh, "65322119900101123Ａ", "“A”"},
      {Lang::kZh, "65322119900101一二三六", "“一”"},
      {Lang::kEn, "993221199001011236", "\"99\""},
      {Lang::kEn, "653221199002301236", "\"19900230\""},
      {Lang::kEn, "653221202511300016", "2025-11-30 in the resident ID number"},
      {Lang::kEn, "653221202511300016", "after 2025-06-01 (today, or the day the file arrived)"},
      {Lang::kEn, "653221199001011237", "should be \"6\" from the first 17 digits, but is \"7\""},
      {Lang::kZh, "653221199001011237", "应为“6”，实际是“7”"},
      {Lang::kZh, " 653221199001011237 ", "“653221199001011237”"},
      {Lang::kZh, "", "身份证号码为空"},
  };
  for (const Case& c : cases) {
    SetLanguage(c.lang);
    EXPECT_NE(Message(c.raw).find(c.fragment), std::string::npos) << c.raw << ": " << Message(c.raw);
  }
}

TEST(MaskIdNumberTest, MasksEveryIdNumberInAText) {
  const struct {
    std::string_view text, masked;
  } cases[] = {
      {"证件号码 653221199001011234 不在户籍登记中", "证件号码 653221********1234 不在户籍登记中"},
      {"65322119900101123X,65322119900101123x", "653221********123X,653221********123x"},
      {"旧号 653221900101123 已转换", "旧号 653221*****1123 已转换"},
      {"金额 1234567890123456789 元", "金额 1234567890123456789 元"},  // 19 digits: not an ID
      {"第 12 行和第 4002 行", "第 12 行和第 4002 行"},
      {"克热木塔依尔", "克热木塔依尔"},  // 18 bytes of name, no digits
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(MaskIdNumbersIn(c.text), c.masked) << c.text;
}

TEST(MaskIdNumberTest, KeepsFirstSixAndLastFour) {
  struct Case {
    std::string_view number;
    std::string_view masked;
  };
  const Case cases[] = {
      {"11010519491231002X", "110105********002X"},
      {"653221199001011236", "653221********1236"},
      {"110105491231002", "110105*****1002"},
      {"12345678901", "123456*8901"},
      {"1234567890", "**********"},
      {"12345", "*****"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(MaskIdNumber(c.number), c.masked) << c.number;
}

TEST(IdNumberTextTest, MarksAroundTheNumberAreRemoved) {
  const struct {
    std::string_view raw;
    std::string_view normalized;
  } cases[] = {
      {"\u2018653221199001011236", "653221199001011236"},            // Chinese-keyboard quote
      {"653221\u00A0199001011236", "653221199001011236"},           // no-break space inside
      {"=\"11010519491231002x\"", "11010519491231002X"},           // Excel text formula
      {"\uFEFF653221199001011236", "653221199001011236"},           // stray BOM
  };
  for (const auto& c : cases) EXPECT_EQ(NormalizeIdText(c.raw), c.normalized) << c.raw;
}

TEST(IdNumberTextTest, SpreadsheetNumberText) {
  const struct {
    std::string_view text;
    bool expected;
  } cases[] = {
      {"6.53221E+17", true}, {"6.52925203207e+15", true}, {"653221100201.0", true}, {"６.５E+11", true},
      {"653221100201", false}, {"H001", false}, {"2019", false}, {"12.5", false}, {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsSpreadsheetNumberText(c.text), c.expected) << c.text;
  EXPECT_TRUE(EndsLikeLostPrecision("653221199001011000"));
  EXPECT_FALSE(EndsLikeLostPrecision("65322119900101100X"));
  EXPECT_FALSE(EndsLikeLostPrecision("653221199001011236"));
}

}  // namespace
}  // namespace hearth
