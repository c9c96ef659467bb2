// Feed definitions (部门数据定义): what a department's file holds and what each row becomes,
// read from data/feeds/KIND.toml so that a province adds or adjusts a feed without a new build.
// data/feeds/README.md documents the format.
//
//   HEARTH_ASSIGN_OR_RETURN(FeedSpec spec, LoadFeedSpecForKind(data_dir, "medical-claims"));
//   int total = spec.FieldIndex("total");
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "ingest/table.h"

namespace hearth {

enum class FieldType : int {
  kId,             //!< a resident ID number (normalised, validated; the precision check applies)
  kName,           //!< a person's name (compared with the registry after normalisation)
  kText,           //!< free text, trimmed
  kEnum,           //!< one of `values`, or a synonym of one
  kDate,           //!< any date form core/date.h reads, Excel serials included
  kMoney,          //!< yuan with up to 2 decimals, thousands separators allowed; stored in fen
  kInteger,        //!< within [min, max] when given
  kSchoolYear,     //!< "2025-2026", "2025/2026学年", "2025": the first year
  kVillage,        //!< a 12-digit village code known to the divisions
  kHouseholdCode,  //!< 户编号 (16 digits)
};

//! The type's name in definition files ("id", "money", ...).
std::string_view FieldTypeName(FieldType t);

struct FieldSpec {
  std::string name;        //!< in payloads, keys and rules: "selfpay"
  ColumnSpec column;       //!< header, aliases, whether the column must be present and holds money
  FieldType type = FieldType::kText;
  bool nullable = false;   //!< an empty cell is allowed
  std::vector<std::string> values;                            //!< kEnum: canonical values
  std::vector<std::string> folded_values;                     //!< kEnum: FoldEnumSpelling of each value
  std::vector<std::pair<std::string, std::string>> synonyms;  //!< kEnum: FoldEnumSpelling(spelling) -> value
  std::optional<int64_t> min, max;  //!< kInteger bounds; kMoney: max, in yuan (more cannot be right)
  bool allow_negative = false;                                //!< kMoney
  bool monthly = false;  //!< kMoney: an amount a month; a cell may say so ("650元/月", "650/月")
  bool not_after_received = false;  //!< kDate: an occurrence cannot postdate the file's arrival
  //! kDate: something that happened to the row's person cannot predate their birth (the date in
  //! the ID number); not for a status date, which may be the start of a year they were born in.
  bool not_before_birth = false;
};

//! A check across the fields of one row: `left op right` (both with values), or "at least one
//! of `any_of` has a value".
struct CheckSpec {
  std::string kind;
  std::string label, label_en;  //!< the kind's short name for problem-row lists (optional; empty: none given)
  int left = -1, right = -1;  //!< field indexes
  std::string op;             //!< "<=", "<", ">=", ">"
  std::vector<int> any_of;    //!< field indexes
  std::string zh, en;         //!< the message; {left} and {right} are replaced by the values
};

//! How a row finds its person and household.
struct LinkSpec {
  int person = -1;     //!< the ID-number field of the registered person
  int name = -1;       //!< the name compared with the registry's (-1: none)
  int household = -1;  //!< 户编号 field used when the person is not registered (-1: none)
  int household_when_field = -1;                  //!< ... only when this field ...
  std::vector<std::string> household_when_values; //!< ... has one of these values
  int village = -1;    //!< village-code field for facts about a whole village (-1: none)
  //! The person field names the household by its head (户主证件号码): the row links to the
  //! household the person heads; a person who heads none is linked as any person and flagged
  //! (not_household_head).
  bool head = false;
};

//! Rows whose enum `field` has one of `values` are one fact by `key` instead of the kind's key:
//! a person dies (or is born) once, so a second 死亡 with another date corrects the first (or
//! conflicts with it in one file) rather than adding a second death.
struct KeyWhenSpec {
  int field = -1;
  std::vector<std::string> values;
  std::vector<int> key;
};

struct FeedSpec {
  std::string kind;        //!< "medical-claims"
  std::string department;  //!< "医保"
  std::string label;       //!< "住院及门诊慢特病结算明细"
  std::string event_type;  //!< "medical.claim"
  std::vector<FieldSpec> fields;
  std::vector<int> key;        //!< fields that make a row the same fact
  std::vector<KeyWhenSpec> key_when;  //!< ... except for rows that one of these matches
  std::vector<int> effective;  //!< fields giving the fact's date, the first with a value
  int amount = -1;             //!< the money field stored as the event's amount
  LinkSpec link;
  std::vector<CheckSpec> checks;
  std::string source;          //!< the definition file
  std::string digest;          //!< "sha256:..." of the definition file

  //! The index of field `name`, or -1.
  int FieldIndex(std::string_view name) const;
  //! The ColumnSpecs of the fields, in field order (for FindHeader).
  std::vector<ColumnSpec> Columns() const;
};

//! How an enumeration cell, value or synonym is compared: full-width forms folded, every space
//! dropped, ASCII lowered ("Ａ 级" and "a级" are one spelling).
std::string FoldEnumSpelling(std::string_view text);

//! Reads and checks one definition file. Every problem is told, each at its line:column, in one
//! Status of kind "feed_spec_invalid": an unknown key or type (with the name meant), a reference
//! to no field, settings that contradict each other or that the type does not use, a `kind` that
//! is not the file's name or is reserved, an event type the system writes itself, two columns
//! sharing a header. A TOML syntax error is kind "feed_spec_syntax" (saying so when full-width
//! punctuation is the cause), a file that is not UTF-8 "feed_spec_encoding", a missing file
//! "feed_spec_missing". Other definitions are not looked at: see CheckAgainstOtherKinds.
StatusOr<FeedSpec> LoadFeedSpec(const std::filesystem::path& file);

//! The event type of definition `file` against the definitions of other kinds in `dir` that
//! LoadFeedSpec accepts: kind "feed_spec_invalid" at the line of `event`, naming both files, for
//! each that uses the same event type (the two kinds' facts would supersede each other). The
//! file's kind is its name; a definition of that name in `dir` (the file itself, or the
//! installed version of a draft) is passed over, and so is a file whose event cannot be read.
Status CheckAgainstOtherKinds(const std::filesystem::path& file, const std::filesystem::path& dir);

//! The definition of `kind` in `<data_dir>/feeds/`: the problems of LoadFeedSpec and of
//! CheckAgainstOtherKinds, all of them.
//! Kind "feed_kind_unknown" (naming the kinds that are defined) when there is no such file.
StatusOr<FeedSpec> LoadFeedSpecForKind(const std::filesystem::path& data_dir, std::string_view kind);

//! The kinds defined in `<data_dir>/feeds/` (the names of its .toml files), sorted.
std::vector<std::string> FeedKinds(const std::filesystem::path& data_dir);

//! One definition of a data directory, usable or not.
struct FeedDefinition {
  std::string kind;             //!< the file's name without .toml
  std::filesystem::path file;
  StatusOr<FeedSpec> spec;      //!< as LoadFeedSpecForKind gives it
};

//! Every definition in `<data_dir>/feeds/`, sorted by kind, each read as LoadFeedSpecForKind
//! reads it: a broken one is kept with its problem, so that the others still serve.
std::vector<FeedDefinition> LoadFeedSpecs(const std::filesystem::path& data_dir);

}  // namespace hearth
