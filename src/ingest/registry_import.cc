#include "ingest/registry_import.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_map>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/area_code.h"
#include "core/id_number.h"
#include "core/messages.h"
#include "core/text.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

// Column indexes into each spec (order of the spec's columns).
enum HouseholdColumn { kHhCode, kHhVillage, kHhType, kHhExitYear, kHhRelocation, kHhHousing, kHhWater };
enum PersonColumn {
  kPCode, kPName, kPId, kPRelation, kPHealth, kPLabour, kPSchooling, kPInsured, kPDisability, kPMonths,
  kPStatus, kPRemovedOn, kPRemovalNote
};
enum IncomeColumn { kICode, kIYear, kIWage, kIBusiness, kIProperty, kITransfer, kIBusinessCost };

ColumnSpec Col(std::string name, std::vector<std::string> aliases, bool required = true) {
  return ColumnSpec{std::move(name), std::move(aliases), required};
}

// An amount column: its header's unit (工资性收入（万元）) or the table's (单位：元) is read.
ColumnSpec MoneyCol(std::string name, std::vector<std::string> aliases) {
  return ColumnSpec{std::move(name), std::move(aliases), /*required=*/true, /*money=*/true};
}

const std::vector<std::string> kHouseholdCodeAliases = {"户码", "户号", "家庭编号", "家庭户编号", "户编码", "农户编号", "家庭户号"};

// ---------------------------------------------------------------------------------------------
// Field parsers. Each returns the value or the Status that rejects the row.

constexpr size_t kMaxNameChars = 50;

}  // namespace

std::string NormalizeHouseholdCode(std::string_view cell) {
  std::string code = FoldWidth(TrimSpace(cell));
  if (code.starts_with('\'')) code.erase(0, 1);
  return std::string(TrimSpace(code));
}

namespace {

StatusOr<int> ParseSmallInt(std::string_view text) {
  HEARTH_ASSIGN_OR_RETURN(int64_t value, ParseWholeNumber(text));
  if (value < INT32_MIN || value > INT32_MAX) return Status::InvalidArgument("int_format", std::string(text));
  return static_cast<int>(value);
}

Status CheckHouseholdCode(std::string_view code) {
  if (code.empty()) return Error(StatusCode::kInvalidArgument, Msg::kHouseholdCodeEmpty);
  if (IsSpreadsheetNumberText(code)) return Error(StatusCode::kInvalidArgument, Msg::kCodeSpreadsheetNumber, "户编号", code);
  bool ok = code.size() <= 40;
  for (char c : code) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (!ok) return Error(StatusCode::kInvalidArgument, Msg::kHouseholdCodeInvalid, code);
  return Status::Ok();
}

StatusOr<int> ParseVocab(const Vocabulary& vocab, std::string_view text) {
  if (text.empty()) return Error(StatusCode::kInvalidArgument, Msg::kValueMissing, vocab.name_zh(), vocab.LabelsJoined());
  std::optional<int> v = vocab.Parse(text);
  if (!v) return Error(StatusCode::kInvalidArgument, Msg::kValueInvalid, vocab.name_zh(), text, vocab.LabelsJoined());
  return *v;
}

StatusOr<std::string> ParseVillage(std::string_view text) {
  if (IsSpreadsheetNumberText(text)) return Error(StatusCode::kInvalidArgument, Msg::kCodeSpreadsheetNumber, "村代码", text);
  HEARTH_ASSIGN_OR_RETURN(AreaCode code, AreaCode::Parse(text));
  if (code.level() != AreaLevel::kVillage) {
    return Error(StatusCode::kInvalidArgument, Msg::kVillageCodeLevel, text, AreaLevelLabel(code.level()));
  }
  return code.str();
}

StatusOr<std::optional<int>> ParseExitYear(std::string_view text, HouseholdType type) {
  if (type == HouseholdType::kGeneral) {
    if (!text.empty()) return Error(StatusCode::kInvalidArgument, Msg::kExitYearUnexpected, text);
    return std::optional<int>();
  }
  if (text.empty()) return Error(StatusCode::kInvalidArgument, Msg::kExitYearMissing);
  StatusOr<int> year = ParseSmallInt(text);
  if (!year.ok() || *year < 2014 || *year > 2020) {
    return Error(StatusCode::kInvalidArgument, Msg::kExitYearInvalid, text);
  }
  return std::optional<int>(*year);
}

StatusOr<std::optional<char>> ParseHousingGrade(std::string_view text) {
  if (text.empty()) return std::optional<char>();
  std::string t = FoldWidth(text);
  if (t.ends_with("级")) t.resize(t.size() - std::string_view("级").size());
  if (t.size() == 1) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    if (c >= 'A' && c <= 'D') return std::optional<char>(c);
  }
  return Error(StatusCode::kInvalidArgument, Msg::kHousingGradeInvalid, text);
}

StatusOr<std::optional<bool>> ParseOptionalYesNo(std::string_view text) {
  if (text.empty()) return std::optional<bool>();
  HEARTH_ASSIGN_OR_RETURN(int v, ParseVocab(YesNoVocab(), text));
  return std::optional<bool>(v != 0);
}

StatusOr<std::optional<int>> ParseDisabilityGrade(std::string_view text) {
  if (text.empty() || text == "无") return std::optional<int>();
  static const std::pair<std::string_view, int> kChinese[] = {{"一", 1}, {"二", 2}, {"三", 3}, {"四", 4}};
  std::string t = FoldWidth(text);
  if (t.ends_with("级")) t.resize(t.size() - std::string_view("级").size());
  for (const auto& [word, grade] : kChinese) {
    if (t == word) return std::optional<int>(grade);
  }
  StatusOr<int> grade = ParseSmallInt(t);
  if (grade.ok() && *grade >= 1 && *grade <= 4) return std::optional<int>(*grade);
  return Error(StatusCode::kInvalidArgument, Msg::kDisabilityGradeInvalid, text);
}

StatusOr<std::optional<int>> ParseMonthsWorked(std::string_view text) {
  if (text.empty()) return std::optional<int>();
  StatusOr<int> months = ParseSmallInt(text);
  if (months.ok() && *months >= 0 && *months <= 12) return std::optional<int>(*months);
  return Error(StatusCode::kInvalidArgument, Msg::kMonthsWorkedInvalid, text);
}

StatusOr<Money> ParseIncomeAmount(std::string_view text, std::string_view column, MoneyUnit unit) {
  if (text.empty()) return Money();  // an empty component is zero
  HEARTH_ASSIGN_OR_RETURN(Money m, ParseMoneyInUnit(text, unit));
  if (m < Money()) return Error(StatusCode::kInvalidArgument, Msg::kMoneyNegative, column, text);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys within one file: 64-bit hashes of keys with the first line that held them.

// Keys are kept as 64-bit hashes in a flat open-addressing table with the line that first held
// them: 12 bytes a slot, at most 70 % full, no allocation per key. A 40-million-row file (10
// million households) needs about 0.8 GB; a province's file, a few dozen megabytes.
class KeyLines {
 public:
  //! The line of the accepted row that held the key made of `parts`, or 0.
  int64_t Find(std::initializer_list<std::string_view> parts) const {
    if (hashes_.empty()) return 0;
    uint64_t h = Hash(parts);
    size_t i = Slot(h);
    return hashes_[i] == h ? lines_[i] : 0;
  }

  //! Remembers that the row at `line` (accepted) held the key made of `parts`.
  void Remember(std::initializer_list<std::string_view> parts, int64_t line) {
    uint64_t h = Hash(parts);
    if ((size_ + 1) * 10 > hashes_.size() * 7) Grow();
    size_t i = Slot(h);
    if (hashes_[i] == h) return;
    hashes_[i] = h;
    lines_[i] = static_cast<uint32_t>(std::min<int64_t>(line, UINT32_MAX));
    ++size_;
  }

 private:
  static uint64_t Hash(std::initializer_list<std::string_view> parts) {
    uint64_t h = 0;
    for (std::string_view p : parts) h = h * 0x9E3779B97F4A7C15ULL + std::hash<std::string_view>{}(p);
    return h | 1;  // 0 marks an empty slot
  }

  size_t Slot(uint64_t h) const {
    size_t mask = hashes_.size() - 1;
    size_t i = static_cast<size_t>(h * 0xFF51AFD7ED558CCDULL >> 20) & mask;
    while (hashes_[i] != 0 && hashes_[i] != h) i = (i + 1) & mask;
    return i;
  }

  void Grow() {
    std::vector<uint64_t> old_hashes = std::move(hashes_);
    std::vector<uint32_t> old_lines = std::move(lines_);
    size_t slots = old_hashes.empty() ? 1024 : old_hashes.size() * 2;
    hashes_.assign(slots, 0);
    lines_.assign(slots, 0);
    for (size_t k = 0; k < old_hashes.size(); ++k) {
      if (old_hashes[k] == 0) continue;
      size_t i = Slot(old_hashes[k]);
      hashes_[i] = old_hashes[k];
      lines_[i] = old_lines[k];
    }
  }

  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> lines_;
  size_t size_ = 0;
};

RowProblem DuplicateProblem(int64_t first_line, std::string key, std::string_view what) {
  return RowProblem{-1, key, Error(StatusCode::kInvalidArgument, Msg::kDuplicateKey, WhereInFile(first_line), key, what)};
}

// ---------------------------------------------------------------------------------------------
// Events: every change to the registry is a fact of its own.

// Appends the event of a registry update, carrying the changed fields before and after, so that
// walking back from the current state replays the history. An insert needs no event: the row
// records its own creation (import and line).
Status AppendUpdate(ImportTransaction& tx, std::string type, std::string household, std::string person,
                    int64_t line, Date received, const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json was = nlohmann::json::object(), now = nlohmann::json::object();
  for (const auto& [key, value] : after.items()) {
    if (!before.contains(key) || before[key] != value) now[key] = value;
  }
  for (const auto& [key, value] : before.items()) {
    if (after.contains(key) && after[key] == value) continue;
    was[key] = value;
    if (!after.contains(key)) now[key] = nullptr;  // a cleared field
  }
  for (const auto& [key, value] : now.items()) {
    if (!before.contains(key)) was[key] = nullptr;  // a field filled for the first time
  }
  EventRecord e;
  e.type = std::move(type);
  e.household_code = std::move(household);
  e.person_id_number = std::move(person);
  e.effective = received;
  e.source_line = line;
  nlohmann::json payload = {{"before", was}, {"after", now}};
  if (after.contains("year")) payload["year"] = after["year"];  // which year of income changed
  e.payload = payload.dump();
  return tx.AppendEvent(e).status();
}

nlohmann::json HouseholdPayload(const HouseholdRecord& h) {
  nlohmann::json j = {{"village_code", h.village_code},
                      {"household_type", HouseholdTypeVocab().KeyEn(static_cast<int>(h.type))}};
  if (h.exit_year) j["exit_year"] = *h.exit_year;
  if (!h.relocation_site.empty()) j["relocation_site"] = h.relocation_site;
  if (h.housing_grade) j["housing_grade"] = std::string(1, *h.housing_grade);
  if (h.water_safe) j["water_safe"] = *h.water_safe;
  return j;
}

nlohmann::json PersonPayload(const PersonRecord& p) {
  nlohmann::json j = {{"name", p.name},
                      {"relation", RelationVocab().KeyEn(static_cast<int>(p.relation))},
                      {"health", HealthVocab().KeyEn(static_cast<int>(p.health))},
                      {"labour", LabourVocab().KeyEn(static_cast<int>(p.labour))},
                      {"schooling", SchoolingVocab().KeyEn(static_cast<int>(p.schooling))},
                      {"insured", p.insured}};
  if (p.disability_grade) j["disability_grade"] = *p.disability_grade;
  if (p.months_worked) j["months_worked"] = *p.months_worked;
  if (p.id_converted_from_15) j["id_converted_from_15"] = true;
  return j;
}

IncomeRecord MergeKept(const IncomeRecord& i, const IncomeRecord&) { return i; }  // incomes keep nothing

nlohmann::json IncomePayload(const IncomeRecord& i) {
  return {{"year", i.year},
          {"wage_fen", i.wage.fen()},
          {"business_fen", i.business.fen()},
          {"property_fen", i.property.fen()},
          {"transfer_fen", i.transfer.fen()},
          {"business_cost_fen", i.business_cost.fen()}};
}

// ---------------------------------------------------------------------------------------------
// Row handlers

template <typename T>
bool Take(StatusOr<T> parsed, T* out, int column, const HeaderMatch& h, const TableRow& row,
          std::optional<RowProblem>* problem) {
  if (problem->has_value()) return false;
  if (!parsed.ok()) {
    *problem = ProblemAt(h, row, column, parsed.status());
    return false;
  }
  *out = std::move(parsed).value();
  return true;
}

StatusOr<RowResult> Reject(RowProblem p) { return RowResult(std::move(p)); }

bool Accepted(const StatusOr<RowResult>& result) {
  return result.ok() && std::holds_alternative<UpsertOutcome>(*result);
}

// Where a parsed row goes: its event type, the person it is about (may be empty), the column
// blamed when the store refuses the row (unknown village or household), and the received date.
struct RowTarget {
  const char* event_type;
  std::string person;
  int blame_column;
  Date received;
};

// Upserts one parsed record; a refusal by the store rejects the row, an update is appended to
// the event log with the changed fields.
template <typename Record>
StatusOr<RowResult> WriteRecord(const Record& r,
                                StatusOr<UpsertOutcome> (ImportTransaction::*upsert)(const Record&, int64_t, Record*),
                                nlohmann::json (*payload)(const Record&), const RowTarget& target,
                                ImportTransaction& tx, const HeaderMatch& h, const TableRow& row) {
  Record previous;
  StatusOr<UpsertOutcome> outcome = (tx.*upsert)(r, row.line, &previous);
  if (!outcome.ok() && outcome.status().code() == StatusCode::kInvalidArgument) {
    return Reject(ProblemAt(h, row, target.blame_column, outcome.status()));
  }
  if (!outcome.ok()) return outcome.status();
  if (*outcome == UpsertOutcome::kUpdated) {
    HEARTH_RETURN_IF_ERROR(AppendUpdate(tx, target.event_type, r.household_code, target.person, row.line,
                                        target.received, payload(previous), payload(MergeKept(r, previous))));
  }
  return RowResult(*outcome);
}

class HouseholdRows {
 public:
  explicit HouseholdRows(Date received) : received_(received) {}

  StatusOr<RowResult> operator()(const HeaderMatch& h, const TableRow& row, ImportTransaction& tx) {
    HouseholdRecord r;
    r.household_code = NormalizeHouseholdCode(h.Cell(row, kHhCode));
    if (Status s = CheckHouseholdCode(r.household_code); !s.ok()) return Reject(ProblemAt(h, row, kHhCode, s));
    tx.NoteHousehold(r.household_code);  // its village lists the file, whatever becomes of the row
    std::optional<RowProblem> problem;
    int type = 0;
    Take(ParseVillage(h.Cell(row, kHhVillage)), &r.village_code, kHhVillage, h, row, &problem);
    if (Take(ParseVocab(HouseholdTypeVocab(), h.Cell(row, kHhType)), &type, kHhType, h, row, &problem)) {
      r.type = static_cast<HouseholdType>(type);
    }
    Take(ParseExitYear(h.Cell(row, kHhExitYear), r.type), &r.exit_year, kHhExitYear, h, row, &problem);
    r.relocation_site = std::string(h.Cell(row, kHhRelocation));
    r.keep_stored = (h.Has(kHhRelocation) ? 0 : kKeepRelocationSite) | (h.Has(kHhHousing) ? 0 : kKeepHousingGrade) |
                    (h.Has(kHhWater) ? 0 : kKeepWaterSafe);
    Take(ParseHousingGrade(h.Cell(row, kHhHousing)), &r.housing_grade, kHhHousing, h, row, &problem);
    Take(ParseOptionalYesNo(h.Cell(row, kHhWater)), &r.water_safe, kHhWater, h, row, &problem);
    if (problem) return Reject(std::move(*problem));
    if (int64_t first = keys_.Find({r.household_code})) {
      return Reject(DuplicateProblem(first, r.household_code, "户编号"));
    }
    auto result = WriteRecord(r, &ImportTransaction::UpsertHousehold, HouseholdPayload,
                              {"registry.household", "", kHhVillage, received_}, tx, h, row);
    if (Accepted(result)) keys_.Remember({r.household_code}, row.line);
    return result;
  }

 private:
  Date received_;
  KeyLines keys_;
};

class PersonRows {
 public:
  //! `damaged_ids`: how many IDs of the file end in 000 when that many betrays a column that a
  //! spreadsheet stored as numbers (see CountPrecisionDamage); 0 otherwise.
  PersonRows(Date received, Date today, int64_t damaged_ids)
      : received_(received), today_(today), damaged_ids_(damaged_ids) {}

  StatusOr<RowResult> operator()(const HeaderMatch& h, const TableRow& row, ImportTransaction& tx) {
    PersonRecord r;
    r.household_code = NormalizeHouseholdCode(h.Cell(row, kPCode));
    if (Status s = CheckHouseholdCode(r.household_code); !s.ok()) return Reject(ProblemAt(h, row, kPCode, s));
    tx.NoteHousehold(r.household_code);  // its village lists the file, whatever becomes of the row
    r.name = std::string(h.Cell(row, kPName));
    if (r.name.empty()) return Reject(ProblemAt(h, row, kPName, Error(StatusCode::kInvalidArgument, Msg::kNameEmpty)));
    if (size_t n = CountUtf8Chars(r.name); n > kMaxNameChars) {
      return Reject(ProblemAt(h, row, kPName, Error(StatusCode::kInvalidArgument, Msg::kNameTooLong, n, kMaxNameChars)));
    }
    std::optional<RowProblem> problem;
    ResidentId id;
    Take(ParseResidentId(h.Cell(row, kPId), today_), &id, kPId, h, row, &problem);
    if (!problem && damaged_ids_ > 0 && EndsLikeLostPrecision(id.number)) {
      problem = ProblemAt(h, row, kPId, Error(StatusCode::kInvalidArgument, Msg::kIdPrecisionLost, id.number, damaged_ids_));
    }
    // 成员状态 other than 正常: the person leaves the household (减员); the other cells of the row
    // (relation, health, …) describe whom it was and are not checked.
    int status = static_cast<int>(MemberStatus::kPresent);
    if (h.Has(kPStatus) && !h.Cell(row, kPStatus).empty()) {
      Take(ParseVocab(MemberStatusVocab(), h.Cell(row, kPStatus)), &status, kPStatus, h, row, &problem);
    }
    if (status != static_cast<int>(MemberStatus::kPresent)) {
      if (problem) return Reject(std::move(*problem));
      return Remove(static_cast<MemberStatus>(status), id.number, r.household_code, h, row, tx);
    }
    ParseEnums(h, row, &r, &problem);
    Take(ParseDisabilityGrade(h.Cell(row, kPDisability)), &r.disability_grade, kPDisability, h, row, &problem);
    Take(ParseMonthsWorked(h.Cell(row, kPMonths)), &r.months_worked, kPMonths, h, row, &problem);
    r.keep_stored = (h.Has(kPDisability) ? 0 : kKeepDisabilityGrade) | (h.Has(kPMonths) ? 0 : kKeepMonthsWorked);
    if (problem) return Reject(std::move(*problem));
    r.id_number = id.number;
    r.sex = id.sex;
    r.birth_date = id.birth_date;
    r.id_converted_from_15 = id.converted_from_15;
    if (int64_t first = keys_.Find({r.household_code, r.id_number})) {
      return Reject(DuplicateProblem(first, r.household_code + " / " + r.id_number, "户编号和证件号码"));
    }
    auto result = WriteRecord(r, &ImportTransaction::UpsertPerson, PersonPayload,
                              {"registry.person", r.id_number, kPCode, received_}, tx, h, row);
    if (Accepted(result)) keys_.Remember({r.household_code, r.id_number}, row.line);
    if (r.relation == Relation::kHead && result.ok()) {
      // A household has one head (户主): a second in the same file is taken, and flagged.
      auto [head, first] = heads_.emplace(r.household_code, row.line);
      if (!first && head->second != row.line) {
        if (auto* outcome = std::get_if<UpsertOutcome>(&*result)) {
          return RowResult(FlaggedRow{*outcome, ProblemAt(h, row, kPRelation,
                                                          Error(StatusCode::kInvalidArgument, Msg::kRegistrySecondHead,
                                                                r.household_code, head->second))});
        }
      }
    }
    return result;
  }

 private:
  static void ParseEnums(const HeaderMatch& h, const TableRow& row, PersonRecord* r,
                         std::optional<RowProblem>* problem) {
    int v = 0;
    if (Take(ParseVocab(RelationVocab(), h.Cell(row, kPRelation)), &v, kPRelation, h, row, problem)) {
      r->relation = static_cast<Relation>(v);
    }
    if (Take(ParseVocab(HealthVocab(), h.Cell(row, kPHealth)), &v, kPHealth, h, row, problem)) {
      r->health = static_cast<Health>(v);
    }
    if (Take(ParseVocab(LabourVocab(), h.Cell(row, kPLabour)), &v, kPLabour, h, row, problem)) {
      r->labour = static_cast<Labour>(v);
    }
    if (Take(ParseVocab(SchoolingVocab(), h.Cell(row, kPSchooling)), &v, kPSchooling, h, row, problem)) {
      r->schooling = static_cast<Schooling>(v);
    }
    if (Take(ParseVocab(YesNoVocab(), h.Cell(row, kPInsured)), &v, kPInsured, h, row, problem)) {
      r->insured = v != 0;
    }
  }


  // A 减员 row: the member's row deleted, the event of it appended with what was registered.
  // Removing someone the household no longer has (a file imported again) changes nothing.
  StatusOr<RowResult> Remove(MemberStatus status, const std::string& id_number, const std::string& household_code,
                             const HeaderMatch& h, const TableRow& row, ImportTransaction& tx) {
    std::optional<Date> on;
    if (std::string_view cell = h.Cell(row, kPRemovedOn); !cell.empty()) {
      StatusOr<Date> date = ParseDate(cell, row.date1904 ? SerialDates::k1904 : SerialDates::k1900);
      if (!date.ok()) return Reject(ProblemAt(h, row, kPRemovedOn, date.status()));
      if (*date > received_) {
        return Reject(ProblemAt(h, row, kPRemovedOn, Error(StatusCode::kInvalidArgument, Msg::kFeedDateAfterReceived,
                                                           "减员日期", date->ToIso(), received_.ToIso())));
      }
      on = *date;
    }
    if (int64_t first = keys_.Find({household_code, id_number})) {
      return Reject(DuplicateProblem(first, household_code + " / " + id_number, "户编号和证件号码"));
    }
    StatusOr<std::optional<PersonRecord>> removed = tx.RemovePerson(household_code, id_number);
    if (!removed.ok() && removed.status().code() == StatusCode::kInvalidArgument) {
      return Reject(ProblemAt(h, row, kPCode, removed.status()));
    }
    if (!removed.ok()) return removed.status();
    keys_.Remember({household_code, id_number}, row.line);
    if (!removed->has_value()) return RowResult(UpsertOutcome::kUnchanged);
    EventRecord e;
    e.type = "registry.person_removed";
    e.household_code = household_code;
    e.person_id_number = id_number;
    e.effective = on.value_or(received_);
    e.source_line = row.line;
    nlohmann::json payload = {{"status", MemberStatusVocab().KeyEn(static_cast<int>(status))},
                              {"person", PersonPayload(**removed)}};
    if (on) payload["removed_on"] = on->ToIso();
    if (std::string_view note = h.Cell(row, kPRemovalNote); !note.empty()) payload["note"] = std::string(note);
    e.payload = payload.dump();
    HEARTH_RETURN_IF_ERROR(tx.AppendEvent(e).status());
    return RowResult(UpsertOutcome::kRemoved);
  }

  Date received_;
  Date today_;
  int64_t damaged_ids_;
  KeyLines keys_;
  std::unordered_map<std::string, int64_t> heads_;  // household code -> line of its first 户主
};

class IncomeRows {
 public:
  IncomeRows(Date received, Date today) : received_(received), today_(today) {}

  StatusOr<RowResult> operator()(const HeaderMatch& h, const TableRow& row, ImportTransaction& tx) {
    IncomeRecord r;
    r.household_code = NormalizeHouseholdCode(h.Cell(row, kICode));
    if (Status s = CheckHouseholdCode(r.household_code); !s.ok()) return Reject(ProblemAt(h, row, kICode, s));
    tx.NoteHousehold(r.household_code);  // its village lists the file, whatever becomes of the row
    StatusOr<int> year = ParseSmallInt(h.Cell(row, kIYear));
    if (!year.ok() || *year < 2000 || *year > today_.year()) {
      return Reject(ProblemAt(h, row, kIYear,
                              Error(StatusCode::kInvalidArgument, Msg::kYearInvalid, h.Cell(row, kIYear), today_.year())));
    }
    r.year = *year;
    std::optional<RowProblem> problem;
    const std::pair<int, Money*> amounts[] = {{kIWage, &r.wage},         {kIBusiness, &r.business},
                                              {kIProperty, &r.property}, {kITransfer, &r.transfer},
                                              {kIBusinessCost, &r.business_cost}};
    // An empty amount is zero, but a row with none filled in says nothing: taken, it would set
    // the year's income to nothing and put the household below the line.
    if (std::all_of(std::begin(amounts), std::end(amounts), [&](const auto& a) {
          return TrimSpace(h.Cell(row, static_cast<size_t>(a.first))).empty();
        })) {
      return Reject(ProblemAt(h, row, kIWage, Error(StatusCode::kInvalidArgument, Msg::kIncomeAmountsEmpty,
                                                    r.household_code, r.year)));
    }
    for (const auto& [column, out] : amounts) {
      const std::string& name = IncomeFileSpec().columns[static_cast<size_t>(column)].name;
      const auto spec = static_cast<size_t>(column);
      Take(ParseIncomeAmount(h.Cell(row, spec), name, h.MoneyUnitOf(spec)), out, column, h, row, &problem);
    }
    if (problem) return Reject(std::move(*problem));
    std::string year_text = std::to_string(r.year);
    if (int64_t first = keys_.Find({r.household_code, year_text})) {
      return Reject(DuplicateProblem(first, r.household_code + " / " + year_text, "户编号和年度"));
    }
    auto result = WriteRecord(r, &ImportTransaction::UpsertIncome, IncomePayload,
                              {"registry.income", "", kICode, received_}, tx, h, row);
    if (Accepted(result)) keys_.Remember({r.household_code, year_text}, row.line);
    return result;
  }

 private:
  Date received_;
  Date today_;
  KeyLines keys_;
};

// ---------------------------------------------------------------------------------------------
// Files of the directory

// Extensions of files that can hold a table (others, such as 家庭.bak, are not looked at).
bool IsTableExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".xlsx" || ext == ".xls" || ext == ".xlsm";
}

// The file of `dir` whose name without extension is `stem`, whatever the extension (so that a
// 家庭.xls is found and refused with its own message, not silently skipped), or an empty path.
// Two such files (家庭.csv and 家庭.xlsx): kind "registry_file_ambiguous".
StatusOr<fs::path> FindRegistryFile(const fs::path& dir, std::string_view stem) {
  fs::path found;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || entry.path().stem() != stem || !IsTableExtension(entry.path())) continue;
    if (!found.empty()) return Error(StatusCode::kInvalidArgument, Msg::kRegistryFileAmbiguous, stem);
    found = entry.path();
  }
  return found;
}

// What an office may have called a registry file instead (家庭基本信息.xlsx, 家庭成员信息.csv,
// 2025年家庭收入.xlsx): the words its name holds and those it must not.
struct RegistryFileWords {
  std::string_view stem;  // the exact name
  std::vector<std::string_view> any, none;
};

bool NameFits(const std::string& stem, const RegistryFileWords& words) {
  auto has = [&](std::string_view w) { return stem.find(w) != std::string::npos; };
  return std::any_of(words.any.begin(), words.any.end(), has) && std::none_of(words.none.begin(), words.none.end(), has);
}

// The file of `dir` named `words.stem` (FindRegistryFile); else the one table file whose name
// fits the words (not an Excel lock file ~$…, not a hidden one); else an empty path. More than
// one that fits: kind "registry_file_ambiguous", naming them.
StatusOr<fs::path> FindRegistryFileLike(const fs::path& dir, const RegistryFileWords& words) {
  HEARTH_ASSIGN_OR_RETURN(fs::path exact, FindRegistryFile(dir, words.stem));
  if (!exact.empty()) return exact;
  std::vector<fs::path> fits;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string stem = entry.path().stem().string();
    if (!entry.is_regular_file(ec) || !IsTableExtension(entry.path()) || stem.starts_with("~$") || stem.starts_with(".")) {
      continue;
    }
    if (NameFits(stem, words)) fits.push_back(entry.path());
  }
  if (fits.size() > 1) {
    std::sort(fits.begin(), fits.end());
    std::string names;
    for (const fs::path& p : fits) names += (names.empty() ? "" : "、") + p.filename().string();
    return Error(StatusCode::kInvalidArgument, Msg::kRegistryFileGuessAmbiguous, words.stem, names);
  }
  return fits.empty() ? fs::path() : fits[0];
}

}  // namespace

Status ValidateHouseholdCode(std::string_view code) { return CheckHouseholdCode(code); }

const TableImportSpec& HouseholdFileSpec() {
  static const TableImportSpec spec{
      "registry-households",
      {Col("户编号", kHouseholdCodeAliases), Col("村代码", {"行政村代码", "村级代码", "村编码", "所在村代码", "村区划代码", "所属村代码", "村行政区划代码"}),
       Col("户类型", {"户属性", "户类别", "农户类型", "农户属性", "农户类别", "家庭类型"}), Col("脱贫年度", {"脱贫年份", "脱贫时间", "脱贫年"}),
       Col("易地搬迁安置点", {"安置点", "搬迁安置点", "易地扶贫搬迁安置点"}, false),
       Col("住房安全等级", {"住房安全鉴定等级", "房屋安全等级", "住房等级"}, false),
       Col("饮水安全", {"饮水是否安全", "是否饮水安全"}, false)},
      {}};
  return spec;
}

const TableImportSpec& PersonFileSpec() {
  static const TableImportSpec spec{
      "registry-persons",
      {Col("户编号", kHouseholdCodeAliases), Col("姓名", {"成员姓名", "人员姓名", "家庭成员姓名"}),
       Col("证件号码", {"身份证号", "身份证号码", "公民身份号码", "身份证件号码", "证件号", "身份证", "居民身份证号码",
                         "公民身份证号码", "成员身份证号", "成员身份证号码", "成员证件号码", "人员证件号码"}), Col("与户主关系", {"与户主的关系", "家庭关系", "户主关系"}),
       Col("健康状况", {"健康状态", "健康情况", "身体状况"}), Col("劳动技能", {"劳动能力", "劳动力状况", "劳动技能状况", "劳动力类型"}), Col("在校生状况", {"在校状况", "在校生情况", "在校情况", "就学状况"}),
       Col("是否参加基本医疗保险", {"参加基本医疗保险", "是否参加城乡居民基本医疗保险", "是否参保", "基本医疗保险",
                                    "是否参加城乡居民医保", "是否参加医保", "参加城乡居民基本医疗保险"}),
       Col("残疾等级", {"残疾级别"}, false), Col("务工月数", {"务工时间（月）", "务工时间", "外出务工月数", "务工时长"}, false),
       Col("成员状态", {"人员状态", "减员状态", "是否减员", "减员类型", "成员变动类型"}, false),
       Col("减员日期", {"减员时间", "成员减员日期"}, false), Col("减员原因", {"减员说明", "减员备注"}, false)},
      [](ImportTransaction& tx, FileReport* report, ImportTotals*) -> Status {
        HEARTH_ASSIGN_OR_RETURN(report->shared_persons, tx.SharedPersons());
        HEARTH_ASSIGN_OR_RETURN(report->households_without_one_head, tx.HouseholdsWithoutOneHead());
        return Status::Ok();
      }};
  return spec;
}

const TableImportSpec& IncomeFileSpec() {
  static const TableImportSpec spec{
      "registry-incomes",
      {Col("户编号", kHouseholdCodeAliases), Col("年度", {"年份", "收入年度", "收入年份", "统计年度"}), MoneyCol("工资性收入", {"工资收入"}),
       MoneyCol("生产经营性收入", {"生产经营收入", "经营性收入"}), MoneyCol("财产性收入", {"财产收入"}),
       MoneyCol("转移性收入", {"转移收入", "转移性收入合计"}), MoneyCol("生产经营性支出", {"生产经营支出", "经营性支出", "生产经营费用支出", "经营支出"})},
      {}};
  return spec;
}

StatusOr<ImportReport> ImportRegistry(Store& store, const fs::path& dir, const RegistryImportOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error(StatusCode::kInvalidArgument, Msg::kRegistryNotDirectory, dir.string());
  HEARTH_ASSIGN_OR_RETURN(fs::path households,
                          FindRegistryFileLike(dir, {"家庭", {"家庭", "农户", "户信息"}, {"成员", "收入", "人口"}}));
  HEARTH_ASSIGN_OR_RETURN(fs::path persons, FindRegistryFileLike(dir, {"家庭成员", {"成员", "人口"}, {"收入"}}));
  HEARTH_ASSIGN_OR_RETURN(fs::path incomes, FindRegistryFileLike(dir, {"收入", {"收入"}, {}}));
  if (households.empty() && persons.empty() && incomes.empty()) {
    return Error(StatusCode::kInvalidArgument, Msg::kRegistryFilesMissing, dir.string());
  }
  Date today = options.clock->Today();
  TableImportOptions table_options;
  table_options.encoding = options.encoding;
  table_options.received = options.received.value_or(today);
  table_options.recorded_at = options.clock->NowMicros();
  table_options.progress = options.progress;
  ImportReport report;
  if (!households.empty()) {
    report.files.push_back(ImportTable(store, households, HouseholdFileSpec(), table_options,
                                       HouseholdRows(table_options.received)));
  }
  // The file's dates are checked against the day it arrived (--received, at most today): a
  // file received in May 2024 cannot hold a birth or an income year after it.
  const Date checked_at = std::min(table_options.received, today);
  if (!persons.empty()) {
    report.files.push_back(ImportTable(store, persons, PersonFileSpec(), table_options,
                                       PersonRows(table_options.received, checked_at,
                                                  CountPrecisionDamage(persons, options.encoding, PersonFileSpec().columns, kPId))));
  }
  if (!incomes.empty()) {
    report.files.push_back(ImportTable(store, incomes, IncomeFileSpec(), table_options,
                                       IncomeRows(table_options.received, checked_at)));
  }
  return report;
}

}  // namespace hearth
