// The text of the registry files (家庭, 家庭成员, 收入: CSV, UTF-8, the foundation issue's
// headers) and of truth.csv, rendered block by block.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generate/context.h"
#include "generate/model.h"

namespace hearth::gen {

inline constexpr std::string_view kHouseholdsHeader =
    "户编号,村代码,户类型,脱贫年度,易地搬迁安置点,住房安全等级,饮水安全\n";
inline constexpr std::string_view kMembersHeader =
    "户编号,姓名,证件号码,与户主关系,健康状况,劳动技能,在校生状况,是否参加基本医疗保险,残疾等级,务工月数\n";
inline constexpr std::string_view kIncomesHeader =
    "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n";
inline constexpr std::string_view kTruthHeader = "户编号,月份,人均纯收入_12月_分,人均刚性支出_12月_分\n";

//! The text one block adds to each file.
struct BlockText {
  std::string households, members, incomes, truth;
};

//! Renders the registry rows and truth rows of `block` (its persons numbered already).
void RenderBlockText(const RunContext& ctx, const Block& block, BlockText* out);

//! The site name of a relocated household of a township: "<乡镇>易地扶贫搬迁安置点".
std::string RelocationSiteName(const Township& township);

}  // namespace hearth::gen
