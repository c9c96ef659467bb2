// The registry's closed vocabularies (户类型, 与户主关系, 健康状况, 劳动技能, 在校生状况), with the
// Chinese labels offices write and stable English keys for JSON. Stored values are the
// enums' fixed integers: never renumber, only append.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth {

enum class HouseholdType : int { kTuopin = 1 /*脱贫户*/, kGeneral = 2 /*一般农户*/ };

enum class Relation : int {
  kHead = 1, kSpouse = 2, kChild = 3, kParent = 4, kGrandchild = 5, kSibling = 6,
  kChildInLaw = 7, kGrandparent = 8, kOther = 9,
};

enum class Health : int { kHealthy = 1, kChronic = 2 /*长期慢性病*/, kSerious = 3 /*患有大病*/, kDisabled = 4 };

enum class Labour : int {
  kOrdinary = 1 /*普通劳动力*/, kSkilled = 2 /*技能劳动力*/, kWeak = 3 /*弱劳动力或半劳动力*/,
  kLost = 4 /*丧失劳动力*/, kNone = 5 /*无劳动力*/,
};

//! 成员状态 (member status) in a 家庭成员 file: present, or removed from the household (减员) for
//! a reason. Removal deletes the person's row from the registry (the event log keeps it).
enum class MemberStatus : int {
  kPresent = 1 /*正常*/, kDied = 2 /*死亡*/, kMovedOut = 3 /*迁出*/, kMarriedOut = 4 /*婚出*/,
  kEnlisted = 5 /*服兵役*/, kImprisoned = 6 /*服刑*/, kRemovedOther = 7 /*其他减员*/,
};

enum class Schooling : int {
  kPreschool = 1, kPrimary = 2, kJunior = 3, kSenior = 4, kVocationalSecondary = 5,
  kVocationalCollege = 6 /*高职/大专*/, kBachelorOrAbove = 7, kOutOfSchool = 8 /*失学/辍学*/,
  kNotInSchool = 9 /*非在校*/,
};

//! One vocabulary entry: value, the Chinese label written back in outputs, the English key,
//! and the other spellings accepted on input.
struct VocabEntry {
  int value;
  std::string_view label_zh;
  std::string_view key_en;
  std::vector<std::string_view> aliases;
};

//! A closed list of values.
class Vocabulary {
 public:
  Vocabulary(std::string_view name_zh, std::vector<VocabEntry> entries);
  //! The value for a label, key or alias (after trimming and width folding); nullopt if none.
  std::optional<int> Parse(std::string_view text) const;
  std::string_view LabelZh(int value) const;
  std::string_view KeyEn(int value) const;
  //! "户主、配偶、子女…" for hints.
  std::string LabelsJoined() const;
  std::string_view name_zh() const { return name_zh_; }

 private:
  std::string_view name_zh_;
  std::vector<VocabEntry> entries_;
  //! Every accepted spelling, width-folded once, with its value (Parse runs per cell).
  std::vector<std::pair<std::string, int>> spellings_;
};

const Vocabulary& HouseholdTypeVocab();
const Vocabulary& RelationVocab();
const Vocabulary& HealthVocab();
const Vocabulary& LabourVocab();
const Vocabulary& SchoolingVocab();
//! 成员状态: 正常 or a reason of removal (死亡, 迁出, 婚出, 服兵役, 服刑, 其他减员).
const Vocabulary& MemberStatusVocab();
//! 是/否 (also 1/0, Y/N, true/false, 已参保/未参保, 参加/未参加).
const Vocabulary& YesNoVocab();

}  // namespace hearth
