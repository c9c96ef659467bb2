// What the brackets of a header cell say (表头括号). Department files write a column's unit
// (单位), a note to whoever fills the form in (填写说明) or whose value the column holds (角色)
// in brackets — half-width (), full-width （）, ［］ and 【】 — after the column's name:
//
//   金额（万元）        unit: a plain number counts ten thousands of yuan; matched as 金额
//   出生日期（格式：2025-01-01）, 姓名（必填）, 身份证号（18位）   note: dropped for matching
//   身份证号（监护人）   role: the guardian's ID number, matched as 监护人身份证号 — never as the
//                       person's own 身份证号
//
// and state a unit for the whole table in a title row above the header (单位：万元, 金额单位：元,
// （单位：千元）). FindHeader (table.h) matches headers by ReadHeader's key and keeps the units in
// the HeaderMatch; an amount column takes its own unit, else the table's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"

namespace hearth {

//! What a unit measures.
enum class UnitKind : uint8_t {
  kMoney,     //!< renminbi as Hearth reads it: 元, 百元, 千元, 万元, 万, 亿元, 人民币元, 元/月 …
  kCurrency,  //!< money Hearth does not read: another currency (美元, 港币, 万美元) or a part of the
              //!< yuan (角, 分)
  kMeasure,   //!< not money: 岁, 亩, 人, 户, 斤, 公斤, 个月, 天, % …
};

//! A unit as a header or a title row names it.
struct Unit {
  std::string text;                    //!< as written, width folded, no spaces: "万元", "元/月", "美元"
  UnitKind kind = UnitKind::kMeasure;
  MoneyUnit money = MoneyUnit::kYuan;  //!< kMoney only: what a plain number counts (元/月: yuan)

  bool operator==(const Unit&) const = default;
};

//! Reads `text` as one unit: "万元", "人民币元", "元/人/月" (a rate: its first part decides), "万美元",
//! "斤", "单位：千元", "以万元为单位". Width and spaces do not matter. nullopt when it is not a unit
//! Hearth knows of ("住院", "2025年").
std::optional<Unit> ReadUnit(std::string_view text);

//! What one bracket of a header says.
enum class BracketKind : uint8_t {
  kUnit,   //!< a unit ReadUnit reads: 元, 万元, 岁, 美元
  kNote,   //!< a note to whoever fills the form in: 必填, 选填, 格式：2025-01-01, 18位, 如：张三, 是/否
  kRole,   //!< whose value the column holds, when it is not the row's person: 监护人, 户主, 配偶,
           //!< 代领人, 法定代理人 …
  kOther,  //!< anything else (住院, 含自费): dropped for matching, as a note is
};

//! Classifies the text inside a bracket (without the brackets).
BracketKind ClassifyBracket(std::string_view content);

//! A header cell read for matching.
struct HeaderReading {
  //! What the cell is matched by: width folded, spaces and '*' marks removed, its brackets read —
  //! a unit, note or other bracket dropped, a role made a prefix (身份证号（监护人） ->
  //! 监护人身份证号). A cell that is only a bracket ("（元）") stays as it is.
  std::string key;
  std::string role;           //!< the role a bracket named ("监护人"), or ""
  std::optional<Unit> unit;   //!< the unit a bracket named (the last one written), or none
  std::vector<std::string> dropped;  //!< the notes and other brackets dropped, inside text only
  bool bracket_read = false;  //!< a bracket was read: the key is not the cell as written
};

//! Reads a header cell's brackets: those at its end ("金额（万元）（必填）"), and a note or role
//! in front ("【必填】姓名", "（监护人）身份证号").
HeaderReading ReadHeader(std::string_view cell);

//! A header cell as compared exactly: width folded, spaces (newlines too) and leading or trailing
//! '*' (required-field marks) removed; brackets kept.
std::string FoldHeader(std::string_view cell);

//! A unit a title-area cell states for the whole table: "单位：万元", "金额单位：元",
//! "（单位：千元）", "计量单位:元", among other text ("2025年3月  单位：万元"); where several are
//! listed (单位：户、人、万元) the money one. Not "填报单位：某县民政局" (an office) or "单位名称".
std::optional<Unit> StatedUnitOf(std::string_view cell);

}  // namespace hearth
