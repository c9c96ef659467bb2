#include "core/vocab.h"

#include "core/text.h"

namespace hearth {

Vocabulary::Vocabulary(std::string_view name_zh, std::vector<VocabEntry> entries)
    : name_zh_(name_zh), entries_(std::move(entries)) {
  for (const VocabEntry& e : entries_) {
    spellings_.emplace_back(FoldWidth(e.label_zh), e.value);
    spellings_.emplace_back(std::string(e.key_en), e.value);
    for (std::string_view alias : e.aliases) spellings_.emplace_back(FoldWidth(alias), e.value);
  }
}

std::optional<int> Vocabulary::Parse(std::string_view text) const {
  // Input and spellings are compared width-folded, so "中职（中专）" matches "中职(中专)".
  std::string folded = FoldWidth(TrimSpace(text));
  std::string_view t = TrimSpace(folded);
  for (const auto& [spelling, value] : spellings_) {
    if (t == spelling) return value;
  }
  return std::nullopt;
}

std::string_view Vocabulary::LabelZh(int value) const {
  for (const VocabEntry& e : entries_) {
    if (e.value == value) return e.label_zh;
  }
  return "";
}

std::string_view Vocabulary::KeyEn(int value) const {
  for (const VocabEntry& e : entries_) {
    if (e.value == value) return e.key_en;
  }
  return "";
}

std::string Vocabulary::LabelsJoined() const {
  std::string out;
  for (const VocabEntry& e : entries_) {
    if (!out.empty()) out += "、";
    out += e.label_zh;
  }
  return out;
}

const Vocabulary& HouseholdTypeVocab() {
  static const Vocabulary v("户类型", {
      {1, "脱贫户", "tuopin", {"脱贫户（含监测户）", "脱贫人口", "建档立卡户", "已脱贫户"}},
      {2, "一般农户", "general", {"一般户", "非贫困户", "普通农户", "农户"}},
  });
  return v;
}

const Vocabulary& RelationVocab() {
  static const Vocabulary v("与户主关系", {
      {1, "户主", "head", {"本人", "本人(户主)", "本人或户主"}},
      {2, "配偶", "spouse", {"妻", "夫", "妻子", "丈夫", "之妻", "之夫"}},
      {3, "子女", "child", {"子", "女", "儿子", "女儿", "之子", "之女", "长子", "长女", "次子", "次女", "三子", "三女",
                            "养子", "养女", "继子", "继女"}},
      {4, "父母", "parent", {"父亲", "母亲", "父", "母", "之父", "之母", "岳父", "岳母", "之岳父", "之岳母", "公公", "婆婆",
                             "之公公", "之婆婆"}},
      {5, "孙子女", "grandchild", {"孙子", "孙女", "外孙子", "外孙女", "外孙子女", "之孙子", "之孙女", "之外孙子", "之外孙女"}},
      {6, "兄弟姐妹", "sibling", {"兄", "弟", "姐", "妹", "兄弟", "姐妹", "之兄", "之弟", "之姐", "之妹", "之兄弟姐妹"}},
      {7, "儿媳女婿", "child_in_law", {"儿媳", "女婿", "媳妇", "之儿媳", "之女婿"}},
      {8, "祖父母", "grandparent", {"祖父", "祖母", "外祖父", "外祖母", "外祖父母", "之祖父", "之祖母", "之外祖父",
                                   "之外祖母"}},
      {9, "其他", "other", {"其他亲属", "其它", "其他关系"}},
  });
  return v;
}

const Vocabulary& HealthVocab() {
  static const Vocabulary v("健康状况", {
      {1, "健康", "healthy", {}},
      {2, "长期慢性病", "chronic", {"慢性病"}},
      {3, "患有大病", "serious", {"大病", "重大疾病"}},
      {4, "残疾", "disabled", {"残疾人"}},
  });
  return v;
}

const Vocabulary& LabourVocab() {
  static const Vocabulary v("劳动技能", {
      {1, "普通劳动力", "ordinary", {"普通劳力"}},
      {2, "技能劳动力", "skilled", {"技能劳力"}},
      {3, "弱劳动力或半劳动力", "weak", {"弱劳动力", "半劳动力", "弱劳力或半劳力"}},
      {4, "丧失劳动力", "lost", {"丧失劳动能力"}},
      {5, "无劳动力", "none", {"无劳动能力"}},
  });
  return v;
}

const Vocabulary& SchoolingVocab() {
  static const Vocabulary v("在校生状况", {
      {1, "学前", "preschool", {"学前教育", "幼儿园", "学前班"}},
      {2, "小学", "primary", {"小学在读", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "小学一年级",
                              "小学二年级", "小学三年级", "小学四年级", "小学五年级", "小学六年级"}},
      {3, "初中", "junior", {"初中在读", "七年级", "八年级", "九年级", "初一", "初二", "初三", "初中一年级", "初中二年级",
                             "初中三年级"}},
      {4, "高中", "senior", {"普通高中", "高中在读", "高一", "高二", "高三", "高中一年级", "高中二年级", "高中三年级"}},
      {5, "中职", "vocational_secondary", {"中职（中专）", "中专", "技校", "中职一年级", "中职二年级", "中职三年级"}},
      {6, "高职/大专", "vocational_college", {"高职", "大专", "高职大专", "高职一年级", "高职二年级", "高职三年级",
                                            "大专一年级", "大专二年级", "大专三年级"}},
      {7, "本科及以上", "bachelor_or_above", {"本科", "研究生", "硕士", "博士", "本科一年级", "本科二年级", "本科三年级",
                                            "本科四年级", "本科五年级", "硕士研究生", "博士研究生"}},
      {8, "失学/辍学", "out_of_school", {"失学", "辍学", "失学辍学"}},
      {9, "非在校", "not_in_school", {"非在校生", "不在校", "无"}},
  });
  return v;
}

const Vocabulary& MemberStatusVocab() {
  static const Vocabulary v("成员状态", {
      {1, "正常", "present", {"在户", "在册", "健在", "正常在户", "在世", "未减员", "否"}},
      {2, "死亡", "died", {"已死亡", "死亡减员", "去世", "已故", "已去世", "病故", "身故", "亡故"}},
      {3, "迁出", "moved_out", {"已迁出", "户口迁出", "迁出减员", "户籍迁出", "外迁"}},
      {4, "婚出", "married_out", {"出嫁", "婚嫁", "婚嫁迁出", "婚嫁减员", "外嫁"}},
      {5, "服兵役", "enlisted", {"参军", "入伍", "服役"}},
      {6, "服刑", "imprisoned", {"判刑收监", "服刑人员", "收监"}},
      {7, "其他减员", "removed", {"减员", "已减员", "自然减员", "注销", "已注销", "户籍注销", "是"}},
  });
  return v;
}

const Vocabulary& YesNoVocab() {
  static const Vocabulary v("是/否", {
      {1, "是", "yes", {"1", "Y", "y", "true", "TRUE", "已参保", "参加", "已参加", "参保"}},
      {0, "否", "no", {"0", "N", "n", "false", "FALSE", "未参保", "未参加", "不参加"}},
  });
  return v;
}

}  // namespace hearth
