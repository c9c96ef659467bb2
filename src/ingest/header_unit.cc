#include "ingest/header_unit.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/date.h"
#include "core/text.h"

namespace hearth {
namespace {

constexpr size_t npos = std::string_view::npos;

struct BracketPair {
  std::string_view open;
  std::string_view close;
};

// After FoldWidth: （）-> (), ［］-> []; 【】 and 〔〕 stay as they are.
constexpr std::array<BracketPair, 4> kBrackets = {{{"(", ")"}, {"[", "]"}, {"【", "】"}, {"〔", "〕"}}};

// Whose value a column holds when it is not the row's person.
constexpr std::string_view kRoles[] = {"监护人", "法定代理人", "委托代理人", "代理人", "户主", "配偶", "代领人",
                                       "代办人", "委托人", "受托人", "紧急联系人", "联系人", "经办人", "父亲",
                                       "母亲", "赡养人", "抚养人", "扶养人", "担保人"};

// How a note to whoever fills the form in begins.
constexpr std::string_view kNoteStarts[] = {
    "必填", "必选", "必须", "选填", "非必填", "可选", "可不填", "可空", "可为空", "不填", "不得", "格式", "例",
    "如", "示例", "样例", "填写", "请", "注", "说明", "备注", "不含", "含", "包括", "包含", "精确到", "保留",
    "多个", "多选", "单选", "下拉", "选择", "按", "不超过", "限", "仅", "只填", "需", "若", "没有", "有则",
    "是/否", "有/无", "是否", "男/女"};

// Renminbi, by the power of ten of yuan a plain number counts.
constexpr std::pair<std::string_view, MoneyUnit> kMoneyWords[] = {
    {"元", MoneyUnit::kYuan},           {"百元", MoneyUnit::kHundredYuan},
    {"千元", MoneyUnit::kThousandYuan}, {"万元", MoneyUnit::kTenThousandYuan},
    {"万", MoneyUnit::kTenThousandYuan}, {"亿元", MoneyUnit::kHundredMillionYuan},
    {"亿", MoneyUnit::kHundredMillionYuan}};

// Money Hearth does not read: other currencies, and parts of the yuan.
constexpr std::string_view kCurrencies[] = {"美元", "美金", "港币", "港元", "澳门元", "澳门币", "澳元", "欧元",
                                            "日元", "英镑", "韩元", "卢布", "新台币", "台币", "外币", "角",
                                            "分",   "厘",   "usd",  "hkd",  "eur",    "jpy",    "gbp",  "mop", "twd"};

// Units that are not money.
constexpr std::string_view kMeasures[] = {
    "岁", "周岁", "亩", "人", "人次", "户", "户次", "口", "个", "次", "间", "套", "头", "只", "匹", "株", "棵",
    "张", "台", "辆", "件", "份", "项", "斤", "公斤", "千克", "克", "吨", "kg", "米", "平方米", "平米", "㎡",
    "m2", "m²", "立方米", "公里", "千米", "公顷", "年", "个月", "月", "周", "日", "天", "小时", "分钟", "%",
    "‰", "度", "千瓦时"};

// A count of ten thousands (万人, 万亩) or thousands written before a unit.
constexpr std::string_view kScales[] = {"十", "百", "千", "万", "亿"};

bool Contains(const auto& list, std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool StartsWithAny(std::string_view text, const auto& list) {
  return std::any_of(std::begin(list), std::end(list), [&](std::string_view w) { return text.starts_with(w); });
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (!s->starts_with(prefix)) return false;
  s->remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (!s->ends_with(suffix)) return false;
  s->remove_suffix(suffix.size());
  return true;
}

void StripStars(std::string* s) {
  while (!s->empty() && s->back() == '*') s->pop_back();
  const size_t lead = s->find_first_not_of('*');
  s->erase(0, lead == std::string::npos ? s->size() : lead);
}

std::optional<MoneyUnit> RenminbiUnit(std::string_view word) {
  if (ConsumePrefix(&word, "人民币") && word.empty()) return MoneyUnit::kYuan;
  ConsumeSuffix(&word, "人民币");
  const std::string lower = LowerAscii(word);
  if (lower == "rmb" || lower == "cny") return MoneyUnit::kYuan;
  for (const auto& [name, unit] : kMoneyWords) {
    if (word == name) return unit;
  }
  return std::nullopt;
}

// The kind of a one-word unit (no rate), or nullopt.
std::optional<UnitKind> KindOfWord(std::string_view word) {
  if (RenminbiUnit(word)) return UnitKind::kMoney;
  std::string_view bare = word;
  for (std::string_view scale : kScales) {
    if (bare.size() > scale.size() && ConsumePrefix(&bare, scale)) break;
  }
  for (std::string_view w : {word, bare}) {
    const std::string lower = LowerAscii(w);
    if (Contains(kCurrencies, lower)) return UnitKind::kCurrency;
    if (Contains(kMeasures, lower)) return UnitKind::kMeasure;
  }
  return std::nullopt;
}

// "单位：千元", "以万元为单位", "单位为元" -> the unit named.
std::string_view StripUnitLabel(std::string_view t) {
  for (std::string_view label : {"计量单位:", "金额单位:", "货币单位:", "单位:", "单位为", "单位"}) {
    if (t.size() > label.size() && ConsumePrefix(&t, label)) return t;
  }
  if (t.starts_with("以") && t.ends_with("为单位")) {
    t.remove_prefix(std::string_view("以").size());
    t.remove_suffix(std::string_view("为单位").size());
  }
  return t;
}

// The position of the bracket that opens the one `s` ends with, or npos.
size_t MatchingOpen(std::string_view s, const BracketPair& pair) {
  int depth = 0;
  size_t end = s.size();
  while (true) {
    const std::string_view before = s.substr(0, end);
    const size_t open = before.rfind(pair.open);
    const size_t close = before.rfind(pair.close);
    if (close != npos && (open == npos || close > open)) {
      ++depth;
      end = close;
      continue;
    }
    if (open == npos) return npos;
    if (--depth == 0) return open;
    end = open;
  }
}

// The position just after the bracket that closes the one `s` begins with, or npos.
size_t MatchingClose(std::string_view s, const BracketPair& pair) {
  int depth = 0;
  size_t from = 0;
  while (true) {
    const size_t open = s.find(pair.open, from);
    const size_t close = s.find(pair.close, from);
    if (close == npos) return npos;
    if (open != npos && open < close) {
      ++depth;
      from = open + pair.open.size();
      continue;
    }
    if (--depth == 0) return close + pair.close.size();
    from = close + pair.close.size();
  }
}

// A bracket of `s`: its text inside and where the bracket lies.
struct Bracket {
  std::string_view content;
  size_t begin = 0;
  size_t end = 0;
};

// The bracket `s` ends with, when something stands before it.
std::optional<Bracket> TrailingBracket(std::string_view s) {
  for (const BracketPair& pair : kBrackets) {
    if (!s.ends_with(pair.close)) continue;
    const size_t open = MatchingOpen(s, pair);
    if (open == npos || open == 0) return std::nullopt;
    const size_t inside = open + pair.open.size();
    return Bracket{s.substr(inside, s.size() - pair.close.size() - inside), open, s.size()};
  }
  return std::nullopt;
}

// The bracket `s` begins with, when something stands after it.
std::optional<Bracket> LeadingBracket(std::string_view s) {
  for (const BracketPair& pair : kBrackets) {
    if (!s.starts_with(pair.open)) continue;
    const size_t end = MatchingClose(s, pair);
    if (end == npos || end == s.size()) return std::nullopt;
    return Bracket{s.substr(pair.open.size(), end - pair.close.size() - pair.open.size()), 0, end};
  }
  return std::nullopt;
}

// 18位, 18位数字: how many characters to write.
bool IsLengthNote(std::string_view t) {
  const size_t digits = t.find_first_not_of("0123456789");
  return digits != 0 && digits != npos && t.substr(digits).starts_with("位");
}

bool IsDateNote(std::string_view t) {
  const std::string lower = LowerAscii(t);
  for (std::string_view form : {"yyyy", "年-月-日", "年月日", "年/月/日"}) {
    if (lower.find(form) != npos) return true;
  }
  return ParseDate(t).ok();
}

// 户主姓名 read from 姓名（户主）; a header naming the role already keeps it once.
std::string WithRole(const std::string& base, std::string_view role) {
  if (role.empty() || base.starts_with(role)) return base;
  return std::string(role) + base;
}

// Takes one bracket's reading into `r`; false when the bracket is to stay part of the key.
bool TakeBracket(std::string_view content, bool leading, HeaderReading* r) {
  switch (ClassifyBracket(content)) {
    case BracketKind::kRole:
      if (r->role.empty()) r->role = std::string(content);
      return true;
    case BracketKind::kUnit:
      if (leading) return false;
      if (!r->unit) r->unit = ReadUnit(content);
      return true;
    case BracketKind::kNote:
      r->dropped.emplace_back(content);
      return true;
    case BracketKind::kOther:
      if (leading) return false;
      r->dropped.emplace_back(content);
      return true;
  }
  return false;
}

// Cuts what ends a stated unit: a space, a closing bracket, a comma or a full stop.
size_t StatedUnitEnd(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (std::string_view(" \t\r\n),;]").find(text[i]) != npos) return i;
    for (std::string_view stop : {"】", "〕", "。", "，", "；"}) {
      if (rest.starts_with(stop)) return i;
    }
  }
  return text.size();
}

// True when the 单位 at `at` begins a label: at the start of the text or after a space, an
// opening bracket or a separator, alone or after 金额, 计量, 货币 … (not 填报单位, 工作单位).
bool BeginsLabel(std::string_view text, size_t at) {
  std::string_view before = text.substr(0, at);
  for (std::string_view word : {"金额", "计量", "货币", "数据", "计价", "价格"}) {
    if (ConsumeSuffix(&before, word)) break;
  }
  if (before.empty()) return true;
  if (std::string_view(" \t\r\n([,;:").find(before.back()) != npos) return true;
  for (std::string_view mark : {"【", "〔", "、", "。", "，", "；"}) {
    if (before.ends_with(mark)) return true;
  }
  return false;
}

// The units listed after 单位： (户、人、万元): the first that is money, else the first.
std::optional<Unit> ListedUnit(std::string_view list) {
  std::optional<Unit> first;
  while (!list.empty()) {
    const size_t sep = list.find("、");
    std::optional<Unit> unit = ReadUnit(list.substr(0, sep));
    if (unit && unit->kind != UnitKind::kMeasure) return unit;
    if (!first) first = std::move(unit);
    list = sep == npos ? std::string_view() : list.substr(sep + std::string_view("、").size());
  }
  return first;
}

}  // namespace

std::optional<Unit> ReadUnit(std::string_view text) {
  const std::string folded = FoldHeader(text);
  const std::string_view t = StripUnitLabel(folded);
  const size_t slash = t.find('/');
  const std::string_view head = t.substr(0, slash);
  if (head.empty() || (slash != npos && slash + 1 == t.size())) return std::nullopt;
  const std::optional<UnitKind> kind = KindOfWord(head);
  if (!kind) return std::nullopt;
  Unit unit{std::string(t), *kind, MoneyUnit::kYuan};
  if (*kind == UnitKind::kMoney) unit.money = *RenminbiUnit(head);
  return unit;
}

BracketKind ClassifyBracket(std::string_view content) {
  const std::string t = FoldHeader(content);
  if (Contains(kRoles, t)) return BracketKind::kRole;
  if (ReadUnit(t)) return BracketKind::kUnit;
  if (StartsWithAny(t, kNoteStarts) || IsLengthNote(t) || IsDateNote(t)) return BracketKind::kNote;
  return BracketKind::kOther;
}

std::string FoldHeader(std::string_view cell) {
  std::string s = RemoveSpaces(FoldWidth(cell));
  StripStars(&s);
  return s;
}

HeaderReading ReadHeader(std::string_view cell) {
  HeaderReading r;
  std::string s = FoldHeader(cell);
  while (std::optional<Bracket> b = TrailingBracket(s)) {
    if (!TakeBracket(b->content, /*leading=*/false, &r)) break;
    s.resize(b->begin);
    StripStars(&s);
    r.bracket_read = true;
  }
  while (std::optional<Bracket> b = LeadingBracket(s)) {
    if (!TakeBracket(b->content, /*leading=*/true, &r)) break;
    s.erase(0, b->end);
    StripStars(&s);
    r.bracket_read = true;
  }
  r.key = WithRole(s, r.role);
  return r;
}

std::optional<Unit> StatedUnitOf(std::string_view cell) {
  const std::string text = FoldWidth(cell);
  constexpr std::string_view kLabel = "单位";
  for (size_t at = text.find(kLabel); at != npos; at = text.find(kLabel, at + kLabel.size())) {
    if (!BeginsLabel(text, at)) continue;
    size_t p = text.find_first_not_of(" \t", at + kLabel.size());
    if (p == npos) continue;
    if (text[p] == ':') {
      ++p;
    } else if (std::string_view(text).substr(p).starts_with("为")) {
      p += std::string_view("为").size();
    } else {
      continue;
    }
    p = std::min(text.size(), text.find_first_not_of(" \t", p));
    if (std::optional<Unit> unit = ListedUnit(std::string_view(text).substr(p, StatedUnitEnd(text, p) - p))) {
      return unit;
    }
  }
  return std::nullopt;
}

}  // namespace hearth
