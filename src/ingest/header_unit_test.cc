#include "ingest/header_unit.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth {
namespace {

TEST(ReadUnitTest, Units) {
  struct Case {
    std::string_view in;
    UnitKind kind;
    MoneyUnit money;
    std::string_view text;
  };
  const Case cases[] = {
      {"元", UnitKind::kMoney, MoneyUnit::kYuan, "元"},
      {"千元", UnitKind::kMoney, MoneyUnit::kThousandYuan, "千元"},
      {"万元", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "万元"},
      {"万", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "万"},
      {"亿元", UnitKind::kMoney, MoneyUnit::kHundredMillionYuan, "亿元"},
      {"亿", UnitKind::kMoney, MoneyUnit::kHundredMillionYuan, "亿"},
      {"百元", UnitKind::kMoney, MoneyUnit::kHundredYuan, "百元"},
      {"人民币元", UnitKind::kMoney, MoneyUnit::kYuan, "人民币元"},
      {"人民币", UnitKind::kMoney, MoneyUnit::kYuan, "人民币"},
      {"万元人民币", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "万元人民币"},
      {"人民币万元", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "人民币万元"},
      {"RMB", UnitKind::kMoney, MoneyUnit::kYuan, "RMB"},
      {"元/月", UnitKind::kMoney, MoneyUnit::kYuan, "元/月"},
      {"元/人/月", UnitKind::kMoney, MoneyUnit::kYuan, "元/人/月"},
      {"万元/年", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "万元/年"},
      {" 万 元 ", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "万元"},
      {"单位：千元", UnitKind::kMoney, MoneyUnit::kThousandYuan, "千元"},
      {"单位:元", UnitKind::kMoney, MoneyUnit::kYuan, "元"},
      {"以万元为单位", UnitKind::kMoney, MoneyUnit::kTenThousandYuan, "万元"},
      {"美元", UnitKind::kCurrency, MoneyUnit::kYuan, "美元"},
      {"万美元", UnitKind::kCurrency, MoneyUnit::kYuan, "万美元"},
      {"港币", UnitKind::kCurrency, MoneyUnit::kYuan, "港币"},
      {"USD", UnitKind::kCurrency, MoneyUnit::kYuan, "USD"},
      {"分", UnitKind::kCurrency, MoneyUnit::kYuan, "分"},
      {"角", UnitKind::kCurrency, MoneyUnit::kYuan, "角"},
      {"岁", UnitKind::kMeasure, MoneyUnit::kYuan, "岁"},
      {"亩", UnitKind::kMeasure, MoneyUnit::kYuan, "亩"},
      {"万亩", UnitKind::kMeasure, MoneyUnit::kYuan, "万亩"},
      {"人", UnitKind::kMeasure, MoneyUnit::kYuan, "人"},
      {"斤", UnitKind::kMeasure, MoneyUnit::kYuan, "斤"},
      {"斤/亩", UnitKind::kMeasure, MoneyUnit::kYuan, "斤/亩"},
      {"个月", UnitKind::kMeasure, MoneyUnit::kYuan, "个月"},
      {"％", UnitKind::kMeasure, MoneyUnit::kYuan, "%"},
      {"kg", UnitKind::kMeasure, MoneyUnit::kYuan, "kg"},
  };
  for (const Case& c : cases) {
    const std::optional<Unit> unit = ReadUnit(c.in);
    ASSERT_TRUE(unit.has_value()) << c.in;
    EXPECT_EQ(unit->kind, c.kind) << c.in;
    EXPECT_EQ(unit->money, c.money) << c.in;
    EXPECT_EQ(unit->text, c.text) << c.in;
  }
}

TEST(ReadUnitTest, NotUnits) {
  for (std::string_view in : {"", "住院", "2025年", "必填", "监护人", "元/", "/月", "单位", "单位名称", "元元", "公元"}) {
    EXPECT_FALSE(ReadUnit(in).has_value()) << in;
  }
}

TEST(ClassifyBracketTest, Kinds) {
  struct Case {
    std::string_view content;
    BracketKind kind;
  };
  const Case cases[] = {
      {"元", BracketKind::kUnit},          {"万元", BracketKind::kUnit},        {"元/月", BracketKind::kUnit},
      {"岁", BracketKind::kUnit},          {"美元", BracketKind::kUnit},        {"单位：元", BracketKind::kUnit},
      {"必填", BracketKind::kNote},        {"选填", BracketKind::kNote},        {"非必填", BracketKind::kNote},
      {"格式：2025-01-01", BracketKind::kNote}, {"18位", BracketKind::kNote},    {"18位数字", BracketKind::kNote},
      {"如：张三", BracketKind::kNote},    {"YYYY-MM-DD", BracketKind::kNote}, {"2025-01-01", BracketKind::kNote},
      {"是/否", BracketKind::kNote},       {"含自费", BracketKind::kNote},
      {"监护人", BracketKind::kRole},      {"户主", BracketKind::kRole},        {"配偶", BracketKind::kRole},
      {"代领人", BracketKind::kRole},      {"法定代理人", BracketKind::kRole},  {"监 护 人", BracketKind::kRole},
      {"住院", BracketKind::kOther},       {"患者", BracketKind::kOther},       {"", BracketKind::kOther},
      {"户主姓名", BracketKind::kOther},
  };
  for (const Case& c : cases) EXPECT_EQ(ClassifyBracket(c.content), c.kind) << c.content;
}

TEST(ReadHeaderTest, Cases) {
  struct Case {
    std::string_view cell;
    std::string_view key;
    std::string_view role;
    std::string_view unit;  // "" for none
    bool bracket_read;
  };
  const Case cases[] = {
      {"证件号码", "证件号码", "", "", false},
      {" 证件 号码 ", "证件号码", "", "", false},
      {"*姓名", "姓名", "", "", false},
      {"金额（元）", "金额", "", "元", true},
      {"金额(元)", "金额", "", "元", true},
      {"* 金额 （元） ", "金额", "", "元", true},
      {"金额(元)*", "金额", "", "元", true},
      {"医疗总费用（万元）", "医疗总费用", "", "万元", true},
      {"医疗总费用【万元】", "医疗总费用", "", "万元", true},
      {"医疗总费用［万元］", "医疗总费用", "", "万元", true},
      {"金额（单位：千元）", "金额", "", "千元", true},
      {"月收入（元/月）", "月收入", "", "元/月", true},
      {"年龄（岁）", "年龄", "", "岁", true},
      {"金额（美元）", "金额", "", "美元", true},
      {"姓名（必填）", "姓名", "", "", true},
      {"出生日期（格式：2025-01-01）", "出生日期", "", "", true},
      {"身份证号（18位）", "身份证号", "", "", true},
      {"金额（元）（必填）", "金额", "", "元", true},
      {"金额（必填）（元）", "金额", "", "元", true},
      {"身份证号（监护人）", "监护人身份证号", "监护人", "", true},
      {"身份证号（监护人）（必填）", "监护人身份证号", "监护人", "", true},
      {"姓名(户主)", "户主姓名", "户主", "", true},
      {"户主姓名（户主）", "户主姓名", "户主", "", true},
      {"（监护人）身份证号", "监护人身份证号", "监护人", "", true},
      {"【必填】姓名", "姓名", "", "", true},
      {"医疗费用（住院）", "医疗费用", "", "", true},
      {"费用（含（自费））", "费用", "", "", true},
      // Left as they are: a bracket alone, a leading unit or other text, a bracket inside.
      {"（元）", "(元)", "", "", false},
      {"(元)金额", "(元)金额", "", "", false},
      {"(一)住院", "(一)住院", "", "", false},
      {"收入(元)合计", "收入(元)合计", "", "", false},
      {"金额(元", "金额(元", "", "", false},
      {"**", "", "", "", false},
      {"", "", "", "", false},
  };
  for (const Case& c : cases) {
    const HeaderReading r = ReadHeader(c.cell);
    EXPECT_EQ(r.key, c.key) << c.cell;
    EXPECT_EQ(r.role, c.role) << c.cell;
    EXPECT_EQ(r.unit ? r.unit->text : "", c.unit) << c.cell;
    EXPECT_EQ(r.bracket_read, c.bracket_read) << c.cell;
  }
}

TEST(ReadHeaderTest, KeepsWhatItDrops) {
  const HeaderReading r = ReadHeader("出生日期（必填）（格式：2025-01-01）");
  EXPECT_EQ(r.key, "出生日期");
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"格式:2025-01-01", "必填"}));
}

TEST(StatedUnitOfTest, Stated) {
  struct Case {
    std::string_view cell;
    std::string_view unit;
    MoneyUnit money;
  };
  const Case cases[] = {
      {"单位：万元", "万元", MoneyUnit::kTenThousandYuan},
      {"单位:元", "元", MoneyUnit::kYuan},
      {"单位 ： 千元", "千元", MoneyUnit::kThousandYuan},
      {"金额单位：元", "元", MoneyUnit::kYuan},
      {"（单位：千元）", "千元", MoneyUnit::kThousandYuan},
      {"(单位:万元)", "万元", MoneyUnit::kTenThousandYuan},
      {"【单位：万元】", "万元", MoneyUnit::kTenThousandYuan},
      {"计量单位：元", "元", MoneyUnit::kYuan},
      {"单位为万元", "万元", MoneyUnit::kTenThousandYuan},
      {"2025年3月医疗救助名单    单位：万元", "万元", MoneyUnit::kTenThousandYuan},
      {"填报单位：某县民政局  单位：千元", "千元", MoneyUnit::kThousandYuan},
      {"单位：户、人、万元", "万元", MoneyUnit::kTenThousandYuan},
      {"单位：万元，保留两位小数", "万元", MoneyUnit::kTenThousandYuan},
      {"单位：美元", "美元", MoneyUnit::kYuan},
      {"单位：人", "人", MoneyUnit::kYuan},
  };
  for (const Case& c : cases) {
    const std::optional<Unit> unit = StatedUnitOf(c.cell);
    ASSERT_TRUE(unit.has_value()) << c.cell;
    EXPECT_EQ(unit->text, c.unit) << c.cell;
    EXPECT_EQ(unit->money, c.money) << c.cell;
  }
}

TEST(StatedUnitOfTest, NotStated) {
  for (std::string_view cell : {"填报单位：某县民政局", "工作单位：县医院", "单位名称", "单位", "单位：", "单位：某县民政局",
                                "2025年3月医疗救助名单", "金额（万元）", "用人单位:元宝山区某公司", ""}) {
    EXPECT_FALSE(StatedUnitOf(cell).has_value()) << cell;
  }
}

}  // namespace
}  // namespace hearth
