#include "generate/names.h"

#include <array>
#include <span>
#include <vector>

namespace hearth::gen {
namespace {

// Han surnames, most common first (drawn with weights 1/(rank + 4)).
constexpr std::string_view kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
    "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵"};

constexpr std::string_view kHanMale[] = {
    "建国", "建华", "志强", "伟",   "强",   "军",   "勇",   "磊",   "涛",   "明",   "超",   "斌",
    "鹏",   "辉",   "刚",   "健",   "波",   "平",   "海涛", "国强", "国庆", "文",   "浩",   "宇",
    "子轩", "浩然", "俊杰", "建军", "卫东", "新民", "志刚", "立新", "振华", "德明", "春生", "玉林",
    "长江", "小龙", "晓东", "宏伟", "成",   "杰",   "亮",   "龙",   "飞",   "兵",   "博",   "旭",
    "晨",   "阳",   "俊",   "峰",   "永刚", "金山", "保国", "天佑", "家豪", "一鸣", "思远", "子豪"};

constexpr std::string_view kHanFemale[] = {
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "芳",   "娜",   "敏",   "静",   "丽",   "艳",   "娟",   "霞",
    "英",   "玲",   "燕",   "红",   "梅",   "琳",   "雪",   "婷",   "慧",   "莉",   "兰",   "萍",   "丹",
    "洁",   "颖",   "倩",   "佳",   "欣悦", "玉梅", "春梅", "海燕", "小红", "晓燕", "淑珍", "凤英", "丽娟",
    "雪梅", "子涵", "梓涵", "雨欣", "思雨", "美玲", "金花", "秀珍", "桂香", "月琴", "文静"};

constexpr std::string_view kUyghurMale[] = {
    "艾买提", "买买提",   "阿不都",   "阿卜杜拉",     "吐尔逊",       "艾则孜",     "热合曼",   "依明",
    "阿力木", "艾力",     "麦麦提",   "阿迪力",       "艾合买提",     "吾买尔",     "肉孜",     "斯迪克",
    "图尔荪", "亚森",     "玉素甫",   "卡德尔",       "托合提",       "奥斯曼",     "赛买提",   "帕尔哈提",
    "吾斯曼", "居马",     "阿布拉",   "吐尔洪",       "克热木",       "米吉提",     "如则",     "沙比尔",
    "塔依尔", "亚库甫",   "阿不来提", "艾克拜尔",     "阿布都热依木", "努尔买买提", "买合木提", "伊斯马伊力",
    "司马义", "阿里木江", "艾尔肯",   "吐逊江",       "麦合木提",     "买买提明",   "阿吉",     "吐拉克",
    "喀迪尔", "赛迪克",   "铁木尔",   "纳斯尔",       "艾山",         "玉山",       "依不拉音", "吐尔地",
    "阿曼",   "热西提",   "努尔艾力", "阿卜杜热合曼", "依力哈木",     "阿合买提江", "库尔班",   "萨吾提",
    "乃比",   "木沙",     "尼亚孜",   "吾守尔"};

constexpr std::string_view kUyghurFemale[] = {
    "古丽",       "阿依古丽", "帕提古丽", "热依拉",   "努尔古丽",   "阿米娜",     "布维",     "海力其汗",
    "再努尔",     "阿依努尔", "迪丽努尔", "古丽努尔", "米热古丽",   "祖丽胡玛尔", "阿孜古丽", "热孜万古丽",
    "帕丽达",     "玛依拉",   "吐尼沙汗", "阿依先木", "佐日古丽",   "赛乃姆",     "阿丽米热", "古丽巴哈尔",
    "热娜",       "茹克亚",   "麦尔哈巴", "阿依夏木", "布合力其木", "米日阿依",   "阿依提拉", "帕夏",
    "吐尔逊古丽", "玛丽亚",   "则乃甫",   "努尔比亚", "阿曼古丽",   "帕太木",     "阿依木",   "萨拉",
    "夏木西努尔", "海丽且木", "如先古丽", "阿瓦汗",   "古再丽努尔", "玛依努尔",   "吐拉汗",   "比丽克孜",
    "凯丽比努尔", "迪娜拉",   "阿依丁",   "苏比努尔"};

constexpr std::string_view kKyrgyzMale[] = {
    "阿斯卡尔",   "玛纳斯",     "吐尔干",     "阿依提别克", "库尔曼别克", "努尔兰",     "托合托逊",   "阿扎马提",
    "别克吐尔",   "苏来曼",     "卡勒别克",   "朱马别克",   "吐尔地别克", "阿曼吐尔",   "加尔肯",     "巴特尔",
    "乌兰别克",   "阿勒玛别克", "沙德别克",   "吐鲁洪",     "克依木",     "托克托别克", "萨特瓦勒地", "阿布都卡德尔",
    "买买提别克", "阿克勒别克", "图尔逊别克", "别克苏力坦", "卡那别克",   "艾山别克"};

constexpr std::string_view kKyrgyzFemale[] = {"阿依努拉",   "古丽娜拉", "加娜尔",     "阿依加马丽", "库丽娜依",
                                              "阿勒腾古丽", "别吉",     "努尔加马丽", "卡丽曼",     "阿依彼丽",
                                              "古丽加马丽", "阿娜尔",   "塔吉古丽",   "阿克库丽",   "加米拉",
                                              "阿依夏",     "布比萨拉", "古丽沙",     "阿勒玛",     "娜孜古丽"};

// Homophones and near forms seen in mistyped names (each maps to a different character).
constexpr std::pair<std::string_view, std::string_view> kTypos[] = {
    {"买", "麦"}, {"麦", "买"}, {"提", "题"}, {"尔", "儿"}, {"古", "姑"}, {"丽", "莉"}, {"依", "伊"}, {"伊", "依"},
    {"艾", "爱"}, {"吐", "图"}, {"图", "吐"}, {"热", "惹"}, {"努", "奴"}, {"木", "穆"}, {"孜", "兹"}, {"拉", "啦"},
    {"汗", "罕"}, {"娜", "那"}, {"克", "可"}, {"斯", "思"}, {"江", "疆"}, {"明", "民"}, {"建", "健"}, {"华", "化"},
    {"国", "果"}, {"伟", "玮"}, {"芳", "方"}, {"英", "瑛"}, {"兰", "蓝"}, {"秀", "绣"}, {"阿", "啊"}, {"别", "拜"},
    {"玛", "马"}, {"曼", "满"}, {"燕", "艳"}, {"艳", "燕"}, {"静", "靜"}, {"军", "君"}, {"勇", "永"}, {"强", "祥"}};
constexpr std::string_view kTypoFallback[] = {"某", "明", "华", "丽"};

constexpr std::string_view kMiddleDot = "·";  // U+00B7
constexpr std::string_view kDotVariants[] = {"·", "•", ".", "・"};

using Names = std::span<const std::string_view>;

Names GivenNames(NameStyle style, bool female) {
  switch (style) {
    case NameStyle::kHan:
      return female ? Names(kHanFemale) : Names(kHanMale);
    case NameStyle::kUyghur:
      return female ? Names(kUyghurFemale) : Names(kUyghurMale);
    case NameStyle::kKyrgyz:
      return female ? Names(kKyrgyzFemale) : Names(kKyrgyzMale);
  }
  return kHanMale;
}

uint16_t PickIndex(Rng& rng, size_t size) {
  return static_cast<uint16_t>(rng.UniformInt(0, static_cast<int64_t>(size) - 1));
}

uint16_t PickSurname(Rng& rng) {
  static const std::vector<double> kWeights = [] {
    std::vector<double> w;
    for (size_t i = 0; i < std::size(kSurnames); ++i) w.push_back(1.0 / (static_cast<double>(i) + 4.0));
    return w;
  }();
  return static_cast<uint16_t>(rng.Pick(kWeights));
}

uint16_t PickFamily(Rng& rng, NameStyle style) {
  if (style == NameStyle::kHan) return PickSurname(rng);
  return PickIndex(rng, GivenNames(style, /*female=*/false).size());
}

// The length in bytes of the UTF-8 character starting with `lead`.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

NameStyle PickNameStyle(Rng& rng, std::string_view prefecture_code) {
  // Shares of Han, Uyghur-style, Kyrgyz-style names among rural households (estimate from the
  // prefectures' population composition in the 2020 census).
  std::array<double, 3> w = {0.60, 0.40, 0.0};
  if (prefecture_code == "6529") w = {0.15, 0.85, 0.0};
  if (prefecture_code == "6530") w = {0.05, 0.62, 0.33};
  if (prefecture_code == "6531") w = {0.08, 0.92, 0.0};
  if (prefecture_code == "6532") w = {0.04, 0.96, 0.0};
  return static_cast<NameStyle>(rng.Pick(w));
}

NameCode RandomName(Rng& rng, NameStyle style, bool female) {
  NameCode n;
  n.style = style;
  n.female = female;
  n.given = PickIndex(rng, GivenNames(style, female).size());
  n.family = PickFamily(rng, style);
  return n;
}

NameCode ChildOf(Rng& rng, const NameCode& father, bool female) {
  NameCode n = RandomName(rng, father.style, female);
  n.family = father.style == NameStyle::kHan ? father.family : father.given;
  return n;
}

NameCode FatherOf(Rng& rng, const NameCode& child) {
  NameCode n = RandomName(rng, child.style, /*female=*/false);
  if (child.style == NameStyle::kHan) {
    n.family = child.family;
  } else {
    n.given = child.family;
  }
  return n;
}

NameCode SiblingOf(Rng& rng, const NameCode& person, bool female) {
  NameCode n = RandomName(rng, person.style, female);
  n.family = person.family;
  return n;
}

void AppendName(const NameCode& name, std::string* out) {
  std::span<const std::string_view> given = GivenNames(name.style, name.female);
  if (name.style == NameStyle::kHan) {
    out->append(kSurnames[name.family % std::size(kSurnames)]);
    out->append(given[name.given % given.size()]);
    return;
  }
  std::span<const std::string_view> fathers = GivenNames(name.style, /*female=*/false);
  out->append(given[name.given % given.size()]);
  out->append(kMiddleDot);
  out->append(fathers[name.family % fathers.size()]);
}

std::string NameText(const NameCode& name) {
  std::string s;
  AppendName(name, &s);
  return s;
}

std::string MisspellName(std::string_view name, Rng& rng) {
  std::vector<size_t> starts;  // byte offsets of characters with a known typo
  for (size_t i = 0; i < name.size(); i += Utf8Length(static_cast<unsigned char>(name[i]))) {
    for (const auto& [from, to] : kTypos) {
      if (name.substr(i, from.size()) == from) starts.push_back(i);
    }
  }
  std::string out(name);
  if (!starts.empty()) {
    size_t at = starts[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(starts.size()) - 1))];
    for (const auto& [from, to] : kTypos) {
      if (name.substr(at, from.size()) == from) return out.replace(at, from.size(), to);
    }
  }
  // No known typo: replace the last character by a fallback that differs from it.
  size_t last = 0;
  for (size_t i = 0; i < name.size(); i += Utf8Length(static_cast<unsigned char>(name[i]))) last = i;
  std::string_view old = name.substr(last);
  for (std::string_view fallback : kTypoFallback) {
    if (fallback != old) return out.replace(last, old.size(), fallback);
  }
  return out;
}

std::string WithDotVariant(std::string_view name, int variant) {
  std::string out(name);
  std::string_view dot = kDotVariants[static_cast<size_t>(variant) % std::size(kDotVariants)];
  size_t at = out.find(kMiddleDot);
  if (at != std::string::npos) out.replace(at, kMiddleDot.size(), dot);
  return out;
}

}  // namespace hearth::gen
