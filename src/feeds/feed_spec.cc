#include "feeds/feed_spec.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include <toml++/toml.h>

#include "core/messages.h"
#include "core/money.h"
#include "core/text.h"
#include "core/toml_parse.h"
#include "ingest/import_report.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;

constexpr std::pair<std::string_view, FieldType> kTypes[] = {
    {"id", FieldType::kId},           {"name", FieldType::kName},
    {"text", FieldType::kText},       {"enum", FieldType::kEnum},
    {"date", FieldType::kDate},       {"money", FieldType::kMoney},
    {"integer", FieldType::kInteger}, {"school_year", FieldType::kSchoolYear},
    {"village", FieldType::kVillage}, {"household_code", FieldType::kHouseholdCode},
};

// A field key that only some types use, and those types (as a definition names them).
struct TypedKey {
  std::string_view key;
  std::string_view types;
  FieldType first, second;
};
constexpr TypedKey kTypedKeys[] = {
    {"values", "\"enum\"", FieldType::kEnum, FieldType::kEnum},
    {"synonyms", "\"enum\"", FieldType::kEnum, FieldType::kEnum},
    {"min", "\"integer\"", FieldType::kInteger, FieldType::kInteger},
    {"max", "\"integer\" / \"money\"", FieldType::kInteger, FieldType::kMoney},
    {"allow_negative", "\"money\"", FieldType::kMoney, FieldType::kMoney},
    {"monthly", "\"money\"", FieldType::kMoney, FieldType::kMoney},
    {"not_after_received", "\"date\"", FieldType::kDate, FieldType::kDate},
    {"not_before_birth", "\"date\"", FieldType::kDate, FieldType::kDate},
};

// Import kinds and event types the system writes itself (the registry import, undo, findings).
bool IsReservedKind(std::string_view kind) {
  return kind.starts_with("registry") || kind == "undo" || kind == "findings-refresh";
}
bool IsReservedEvent(std::string_view event) {
  return event == "registry" || event.starts_with("registry.") || event == "retraction";
}

// A problem kind the system reports itself (a labelled row kind, or a message's kind).
bool IsSystemProblemKind(std::string_view kind) {
  if (KindLabel(kind) != kind) return true;
  for (int i = 0; i < static_cast<int>(Msg::kMessageCount); ++i) {
    if (MessageKind(static_cast<Msg>(i)) == kind) return true;
  }
  return false;
}

// Types whose values have an order that a [[check]]'s left/op/right can compare.
bool IsOrdered(FieldType t) {
  return t == FieldType::kMoney || t == FieldType::kInteger || t == FieldType::kDate || t == FieldType::kSchoolYear;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

std::string TypeNames() {
  std::vector<std::string> names;
  for (const auto& [name, type] : kTypes) names.emplace_back(name);
  return Join(names, ", ");
}

// A's problem lines, then B's (one Status of A's kind), or whichever is not OK.
Status Merge(const Status& a, const Status& b) {
  if (a.ok()) return b;
  if (b.ok()) return a;
  return Status(StatusCode::kInvalidArgument, a.kind(), a.message() + "\n" + b.message());
}

std::optional<std::string> ReadBytes(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return std::nullopt;
  return bytes.str();
}

// The definition file's TOML; a syntax error a Chinese editor explains said so (toml_parse.h).
StatusOr<toml::table> ParseDefinition(std::string_view bytes, const std::string& file) {
  return ParseTomlFile(bytes, file, {Msg::kFeedSpecNotUtf8, Msg::kFeedSpecSyntaxFullWidth, Msg::kFeedSpecSyntax});
}

// A string of the definition and where it is written.
struct Located {
  std::string text;
  toml::source_region where;
};

// Reads a definition's TOML into a FeedSpec, collecting every problem with its line and column.
class DefinitionReader {
 public:
  // `file` as messages name it; `file_kind` the file's name without .toml.
  DefinitionReader(std::string file, std::string file_kind) : file_(std::move(file)), file_kind_(std::move(file_kind)) {}

  //! The definition, when Result() is OK.
  FeedSpec Read(const toml::table& root) {
    spec_.source = file_;
    ReadRoot(root);
    return std::move(spec_);
  }

  //! OK, or kind "feed_spec_invalid" with one line per problem, in the file's order.
  Status Result() const {
    std::vector<Found> sorted = problems_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Found& a, const Found& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    Status out;
    for (const Found& f : sorted) {
      out = Merge(out, Error(StatusCode::kInvalidArgument, Msg::kFeedSpecInvalid, file_, f.line, f.column, f.text));
    }
    return out;
  }

 private:
  struct Found {
    int64_t line, column;
    std::string text;
  };

  template <typename... Args>
  void Problem(const toml::source_region& where, Msg detail, const Args&... args) {
    problems_.push_back({static_cast<int64_t>(where.begin.line), static_cast<int64_t>(where.begin.column),
                         Tr(detail, args...)});
  }

  // --- typed values -----------------------------------------------------------------------

  // The string at t[key]; a problem when it is not a string or is empty, or is missing and
  // `required` says what it is.
  std::optional<Located> String(const toml::table& t, std::string_view key, std::optional<Msg> required) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) Problem(t.source(), Msg::kFeedSpecMissing, key, Tr(*required));
      return std::nullopt;
    }
    std::optional<std::string> s = n->value<std::string>();
    if (!s) {
      Problem(n->source(), Msg::kFeedSpecNotString, key);
      return std::nullopt;
    }
    if (TrimSpace(*s).empty()) {
      Problem(n->source(), Msg::kFeedSpecEmpty, key);
      return std::nullopt;
    }
    return Located{std::move(*s), n->source()};
  }

  std::string Text(const toml::table& t, std::string_view key, std::optional<Msg> required) {
    std::optional<Located> s = String(t, key, required);
    return s ? s->text : std::string();
  }

  // The strings of the array t[key] (none when it is missing); empty strings are refused.
  std::vector<Located> Strings(const toml::table& t, std::string_view key) {
    std::vector<Located> out;
    const toml::node* n = t.get(key);
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      Problem(n->source(), Msg::kFeedSpecNotStrings, key);
      return out;
    }
    for (const toml::node& e : *a) {
      std::optional<std::string> s = e.value<std::string>();
      if (!s) {
        Problem(e.source(), Msg::kFeedSpecElementNotString, key);
      } else if (TrimSpace(*s).empty()) {
        Problem(e.source(), Msg::kFeedSpecElementEmpty, key);
      } else {
        out.push_back({std::move(*s), e.source()});
      }
    }
    return out;
  }

  bool Bool(const toml::table& t, std::string_view key, bool fallback) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return fallback;
    if (auto b = n->value<bool>()) return *b;
    Problem(n->source(), Msg::kFeedSpecNotBool, key);
    return fallback;
  }

  std::optional<int64_t> Int(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (auto i = n->value_exact<int64_t>()) return *i;
    Problem(n->source(), Msg::kFeedSpecNotInteger, key);
    return std::nullopt;
  }

  // A problem for each key of `t` not in `known`, with the key most likely meant.
  void OnlyKeys(const toml::table& t, std::initializer_list<std::string_view> known) {
    const std::vector<std::string_view> candidates(known);
    for (const auto& [key, node] : t) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      const std::string_view near = ClosestName(key.str(), candidates);
      std::vector<std::string> all(known.begin(), known.end());
      Problem(key.source(), Msg::kFeedSpecUnknownKey, key.str(),
              near.empty() ? Tr(Msg::kFeedSpecAllowed, Join(all, ", ")) : Tr(Msg::kFeedSpecDidYouMean, near));
    }
  }

  // --- references to fields ---------------------------------------------------------------

  const FieldSpec& Field(int i) const { return spec_.fields[static_cast<size_t>(i)]; }
  std::string TypeOf(int i) const { return std::string(FieldTypeName(Field(i).type)); }
  // False for a field whose type is unknown (told already): nothing is said about its type again.
  bool Typed(int i) const { return typed_[static_cast<size_t>(i)]; }

  // The field `name` names, or -1 and a problem at `where` saying what was meant.
  int Resolve(std::string_view key, const Located& name) {
    const int i = spec_.FieldIndex(name.text);
    if (i >= 0) return i;
    Problem(name.where, Msg::kFeedSpecUnknownFieldRef, key, name.text, UnknownFieldHint(name.text));
    return -1;
  }

  std::string UnknownFieldHint(std::string_view name) const {
    std::vector<std::string_view> names;
    for (size_t i = 0; i < spec_.fields.size(); ++i) {
      const FieldSpec& f = spec_.fields[i];
      names.push_back(f.name);
      const bool header = NormalizeHeader(f.column.name) == NormalizeHeader(name);
      const bool alias = std::any_of(f.column.aliases.begin(), f.column.aliases.end(),
                                     [&](const std::string& a) { return NormalizeHeader(a) == NormalizeHeader(name); });
      if (header || alias) return Tr(Msg::kFeedSpecHeaderNotName, name, f.name);
    }
    if (names.empty()) return "";
    const std::string_view near = ClosestName(name, names);
    if (!near.empty()) return Tr(Msg::kFeedSpecDidYouMean, near);
    return Tr(Msg::kFeedSpecFieldNames, Join(std::vector<std::string>(names.begin(), names.end()), ", "));
  }

  int FieldRef(const toml::table& t, std::string_view key, std::optional<Msg> required) {
    std::optional<Located> name = String(t, key, required);
    return name ? Resolve(key, *name) : -1;
  }

  // The fields t[key] names, each once; unknown ones are left out.
  std::vector<int> FieldRefs(const toml::table& t, std::string_view key) {
    std::vector<int> out;
    for (const Located& name : Strings(t, key)) {
      const int i = Resolve(key, name);
      if (i < 0) continue;
      if (std::find(out.begin(), out.end(), i) != out.end()) {
        Problem(name.where, Msg::kFeedSpecRefTwice, key, name.text);
        continue;
      }
      out.push_back(i);
    }
    return out;
  }

  // --- the file ---------------------------------------------------------------------------

  void ReadRoot(const toml::table& root) {
    OnlyKeys(root, {"kind", "department", "label", "event", "key", "key_when", "effective", "amount", "link", "field",
                    "check"});
    ReadKind(root);
    spec_.department = Text(root, "department", Msg::kFeedSpecWhatDepartment);
    spec_.label = Text(root, "label", Msg::kFeedSpecWhatLabel);
    ReadEvent(root);
    if (const toml::array* fields = root["field"].as_array()) {
      for (const toml::node& n : *fields) {
        if (const toml::table* t = n.as_table()) ReadField(*t);
      }
    }
    if (spec_.fields.empty()) Problem(root.source(), Msg::kFeedSpecNoFields);
    CheckHeadersDistinct();
    ReadKeyAndDates(root);
    if (const toml::node* link = root.get("link")) {
      if (const toml::table* t = link->as_table()) {
        ReadLink(*t);
      } else {
        Problem(link->source(), Msg::kFeedSpecNotTable, "link", "[link] person = \"id_number\"");
      }
    } else {
      Problem(root.source(), Msg::kFeedSpecMissing, "[link]", Tr(Msg::kFeedSpecWhatLink));
    }
    if (const toml::node* when = root.get("key_when")) {
      if (const toml::array* whens = when->as_array(); whens != nullptr && whens->is_array_of_tables()) {
        for (const toml::node& n : *whens) ReadKeyWhen(*n.as_table());
      } else {
        Problem(when->source(), Msg::kFeedSpecNotTable, "[[key_when]]",
                "[[key_when]] field = \"change\", values = [\"死亡\"], key = [\"id_number\", \"change\"]");
      }
    }
    if (const toml::array* checks = root["check"].as_array()) {
      for (const toml::node& n : *checks) {
        if (const toml::table* t = n.as_table()) ReadCheck(*t);
      }
    }
  }

  // [[key_when]]: another key for the rows whose enum field has one of the values.
  void ReadKeyWhen(const toml::table& t) {
    OnlyKeys(t, {"field", "values", "key"});
    KeyWhenSpec k;
    k.field = FieldRef(t, "field", Msg::kFeedSpecWhatField);
    const std::vector<Located> values = Strings(t, "values");
    if (values.empty()) Problem(t.source(), Msg::kFeedSpecMissing, "values", Tr(Msg::kFeedSpecWhatKeyWhenValues));
    k.key = FieldRefs(t, "key");
    if (k.key.empty()) Problem(t.source(), Msg::kFeedSpecKeyMissing);
    const int person = spec_.link.person;
    const bool person_in_key = std::find(spec_.key.begin(), spec_.key.end(), person) != spec_.key.end();
    if (person >= 0 && person_in_key && std::find(k.key.begin(), k.key.end(), person) == k.key.end()) {
      Problem(t.get("key") != nullptr ? t.get("key")->source() : t.source(), Msg::kFeedSpecKeyWhenPerson,
              Field(person).name);
    }
    if (k.field >= 0 && Typed(k.field)) {
      const FieldSpec& field = Field(k.field);
      if (field.type != FieldType::kEnum) {
        Problem(t.get("field")->source(), Msg::kFeedSpecKeyWhenNotEnum, field.name, TypeOf(k.field));
      } else {
        for (const Located& v : values) {
          if (std::find(field.values.begin(), field.values.end(), v.text) == field.values.end()) {
            Problem(v.where, Msg::kFeedSpecKeyWhenValue, v.text, field.name, Join(field.values, "、"));
          }
        }
      }
    }
    for (const Located& v : values) k.values.push_back(v.text);
    spec_.key_when.push_back(std::move(k));
  }

  void ReadKind(const toml::table& root) {
    std::optional<Located> kind = String(root, "kind", Msg::kFeedSpecWhatKind);
    if (!kind) return;
    spec_.kind = kind->text;
    if (IsReservedKind(kind->text)) Problem(kind->where, Msg::kFeedSpecKindReserved, kind->text);
    if (kind->text != file_kind_) Problem(kind->where, Msg::kFeedSpecKindFileName, kind->text, file_kind_);
  }

  void ReadEvent(const toml::table& root) {
    std::optional<Located> event = String(root, "event", Msg::kFeedSpecWhatEvent);
    if (!event) return;
    spec_.event_type = event->text;
    if (IsReservedEvent(event->text)) Problem(event->where, Msg::kFeedSpecEventReserved, event->text);
  }

  // --- fields -----------------------------------------------------------------------------

  void ReadField(const toml::table& t) {
    OnlyKeys(t, {"name", "header", "aliases", "type", "required", "nullable", "values", "synonyms", "min", "max",
                 "allow_negative", "monthly", "not_after_received", "not_before_birth"});
    FieldSpec f;
    f.name = Text(t, "name", Msg::kFeedSpecWhatField);
    std::vector<Located> headers;
    if (std::optional<Located> header = String(t, "header", Msg::kFeedSpecWhatHeader)) {
      f.column.name = header->text;
      headers.push_back(std::move(*header));
    }
    for (Located& alias : Strings(t, "aliases")) {
      f.column.aliases.push_back(alias.text);
      headers.push_back(std::move(alias));
    }
    f.column.required = Bool(t, "required", true);
    f.nullable = Bool(t, "nullable", !f.column.required);
    const std::optional<FieldType> type = ReadType(t);
    if (type) {
      f.type = *type;
      f.column.money = f.type == FieldType::kMoney;
      ReportKeysNotForType(t, f.type);
      if (f.type == FieldType::kEnum) ReadEnum(t, &f);
      if (f.type == FieldType::kInteger || f.type == FieldType::kMoney) ReadBounds(t, &f);
    }
    f.allow_negative = Bool(t, "allow_negative", false);
    f.monthly = Bool(t, "monthly", false);
    f.not_after_received = Bool(t, "not_after_received", false);
    f.not_before_birth = Bool(t, "not_before_birth", false);
    if (const int earlier = f.name.empty() ? -1 : spec_.FieldIndex(f.name); earlier >= 0) {
      Problem(t.source(), Msg::kFeedSpecFieldTwice, f.name, field_at_[static_cast<size_t>(earlier)].begin.line);
    }
    spec_.fields.push_back(std::move(f));
    typed_.push_back(type.has_value());
    field_at_.push_back(t.source());
    headers_.push_back(std::move(headers));
  }

  // The field's type; nullopt (after a problem naming the types) when it is not one.
  std::optional<FieldType> ReadType(const toml::table& t) {
    std::optional<Located> type = String(t, "type", Msg::kFeedSpecWhatType);
    if (!type) return std::nullopt;
    for (const auto& [name, value] : kTypes) {
      if (name == type->text) return value;
    }
    std::vector<std::string_view> names;
    for (const auto& [name, value] : kTypes) names.push_back(name);
    const std::string_view near = ClosestName(type->text, names);
    if (near.empty()) {
      Problem(type->where, Msg::kFeedSpecUnknownType, type->text, TypeNames());
    } else {
      Problem(type->where, Msg::kFeedSpecUnknownTypeNear, type->text, near, TypeNames());
    }
    return std::nullopt;
  }

  // A problem for each key of `t` that its type does not use.
  void ReportKeysNotForType(const toml::table& t, FieldType type) {
    for (const TypedKey& k : kTypedKeys) {
      const toml::node* n = t.get(k.key);
      if (n == nullptr || type == k.first || type == k.second) continue;
      if (k.key == "min" && type == FieldType::kMoney) {
        Problem(n->source(), Msg::kFeedSpecMoneyMin);
      } else {
        Problem(n->source(), Msg::kFeedSpecKeyNotForType, k.key, k.types, FieldTypeName(type));
      }
    }
  }

  void ReadEnum(const toml::table& t, FieldSpec* f) {
    const std::vector<Located> values = Strings(t, "values");
    if (values.empty()) {
      const toml::node* n = t.get("values");
      Problem(n != nullptr ? n->source() : t.source(), Msg::kFeedSpecEnumNoValues);
    }
    for (const Located& v : values) {
      std::string folded = FoldEnumSpelling(v.text);
      auto same = std::find(f->folded_values.begin(), f->folded_values.end(), folded);
      if (same != f->folded_values.end()) {
        const std::string& earlier = f->values[static_cast<size_t>(same - f->folded_values.begin())];
        if (earlier == v.text) {
          Problem(v.where, Msg::kFeedSpecValueRepeated, v.text);
        } else {
          Problem(v.where, Msg::kFeedSpecValueTwice, v.text, earlier);
        }
        continue;
      }
      f->values.push_back(v.text);
      f->folded_values.push_back(std::move(folded));
    }
    if (const toml::node* synonyms = t.get("synonyms")) {
      if (const toml::table* st = synonyms->as_table()) {
        ReadSynonyms(*st, f);
      } else {
        Problem(synonyms->source(), Msg::kFeedSpecNotTable, "synonyms", "synonyms = { \"spelling\" = \"value\" }");
      }
    }
  }

  void ReadSynonyms(const toml::table& synonyms, FieldSpec* f) {
    const std::string example = f->values.empty() ? "…" : f->values.front();
    std::vector<std::string> spellings;  // as written, parallel to f->synonyms
    for (const auto& [key, node] : synonyms) {
      const std::string spelling(key.str());
      std::optional<std::string> value = node.value<std::string>();
      if (TrimSpace(spelling).empty()) {
        Problem(key.source(), Msg::kFeedSpecElementEmpty, "synonyms");
        continue;
      }
      if (!value) {
        Problem(node.source(), Msg::kFeedSpecSynonymNotText, spelling, example);
        continue;
      }
      if (std::find(f->values.begin(), f->values.end(), *value) == f->values.end()) {
        Problem(node.source(), Msg::kFeedSpecSynonymTarget, spelling, *value, Join(f->values, "、"));
        continue;
      }
      std::string folded = FoldEnumSpelling(spelling);
      if (auto v = std::find(f->folded_values.begin(), f->folded_values.end(), folded); v != f->folded_values.end()) {
        const std::string& shadowing = f->values[static_cast<size_t>(v - f->folded_values.begin())];
        if (shadowing != *value) Problem(key.source(), Msg::kFeedSpecSynonymIsValue, spelling, shadowing, *value);
        continue;  // the same as its own value: nothing to add
      }
      auto twin = std::find_if(f->synonyms.begin(), f->synonyms.end(), [&](const auto& s) { return s.first == folded; });
      if (twin != f->synonyms.end()) {
        if (twin->second != *value) {
          Problem(key.source(), Msg::kFeedSpecSynonymTwice, spelling, spellings[static_cast<size_t>(twin - f->synonyms.begin())],
                  twin->second, *value);
        }
        continue;
      }
      f->synonyms.emplace_back(std::move(folded), std::move(*value));
      spellings.push_back(spelling);
    }
  }

  // min and max of an integer, max of a money field.
  void ReadBounds(const toml::table& t, FieldSpec* f) {
    if (f->type == FieldType::kInteger) f->min = Int(t, "min");
    f->max = Int(t, "max");
    if (f->min && f->max && *f->min > *f->max) Problem(t.get("min")->source(), Msg::kFeedSpecMinAboveMax, *f->min, *f->max);
    constexpr int64_t kMaxYuan = Money::kMaxFen / 100;
    if (f->type == FieldType::kMoney && f->max && (*f->max <= 0 || *f->max > kMaxYuan)) {
      Problem(t.get("max")->source(), Msg::kFeedSpecMoneyMax, *f->max, kMaxYuan);
      f->max.reset();
    }
  }

  // Two fields whose headers or aliases are one header once normalised as a file's are
  // (NormalizeHeader): a column would be taken for both.
  void CheckHeadersDistinct() {
    std::map<std::string, std::pair<size_t, const Located*>> owner;  // normalised -> field, as written
    for (size_t i = 0; i < headers_.size(); ++i) {
      for (const Located& h : headers_[i]) {
        const std::string normal = NormalizeHeader(h.text);
        auto [at, added] = owner.try_emplace(normal, i, &h);
        if (added || at->second.first == i) continue;
        const size_t other = at->second.first;
        const bool other_is_header = at->second.second == &headers_[other].front() &&
                                     !spec_.fields[other].column.name.empty();
        Problem(h.where, Msg::kFeedSpecHeaderTwice, h.text, spec_.fields[other].name,
                Tr(other_is_header ? Msg::kFeedSpecTheHeader : Msg::kFeedSpecTheAlias), at->second.second->text);
      }
    }
  }

  // --- what makes a fact ------------------------------------------------------------------

  void ReadKeyAndDates(const toml::table& root) {
    const toml::node* key = root.get("key");
    spec_.key = FieldRefs(root, "key");
    const toml::array* key_array = key != nullptr ? key->as_array() : nullptr;
    if (key == nullptr || (key_array != nullptr && key_array->empty())) {
      Problem(key != nullptr ? key->source() : root.source(), Msg::kFeedSpecKeyMissing);
    }
    spec_.effective = FieldRefs(root, "effective");
    for (int f : spec_.effective) {
      if (!Typed(f)) continue;
      const FieldType t = Field(f).type;
      if (t != FieldType::kDate && t != FieldType::kInteger && t != FieldType::kSchoolYear) {
        Problem(root.get("effective")->source(), Msg::kFeedSpecEffectiveType, Field(f).name, TypeOf(f));
      }
    }
    spec_.amount = FieldRef(root, "amount", std::nullopt);
    if (spec_.amount >= 0 && Typed(spec_.amount) && Field(spec_.amount).type != FieldType::kMoney) {
      Problem(root.get("amount")->source(), Msg::kFeedSpecAmountNotMoney, Field(spec_.amount).name, TypeOf(spec_.amount));
    }
  }

  void ReadLink(const toml::table& t) {
    OnlyKeys(t, {"person", "name", "household", "household_when", "village", "head"});
    LinkSpec& l = spec_.link;
    l.person = FieldRef(t, "person", Msg::kFeedSpecWhatField);
    l.name = FieldRef(t, "name", std::nullopt);
    l.household = FieldRef(t, "household", std::nullopt);
    l.village = FieldRef(t, "village", std::nullopt);
    l.head = Bool(t, "head", false);
    if (l.person >= 0 && Typed(l.person)) {
      const FieldSpec& person = Field(l.person);
      if (person.type != FieldType::kId) {
        Problem(t.get("person")->source(), Msg::kFeedSpecPersonNotId, person.name, TypeOf(l.person));
      } else if ((!person.column.required || person.nullable) && l.village < 0 && !t.contains("village")) {
        // Without an ID number a row can only be a fact about a village (Resolve in feed_import.cc).
        Problem(t.get("person")->source(), Msg::kFeedSpecPersonOptional, person.name);
      }
    }
    if (const toml::node* when = t.get("household_when")) ReadHouseholdWhen(t, *when);
  }

  void ReadHouseholdWhen(const toml::table& link, const toml::node& when) {
    const toml::table* wt = when.as_table();
    if (wt == nullptr) {
      Problem(when.source(), Msg::kFeedSpecNotTable, "household_when",
              "household_when = { field = \"change\", values = [\"迁入\", \"出生\"] }");
      return;
    }
    OnlyKeys(*wt, {"field", "values"});
    LinkSpec& l = spec_.link;
    if (!link.contains("household")) Problem(when.source(), Msg::kFeedSpecWhenWithoutHousehold);
    l.household_when_field = FieldRef(*wt, "field", Msg::kFeedSpecWhatField);
    const std::vector<Located> values = Strings(*wt, "values");
    if (values.empty()) Problem(wt->source(), Msg::kFeedSpecMissing, "values", Tr(Msg::kFeedSpecWhatWhenValues));
    if (l.household_when_field < 0 || !Typed(l.household_when_field)) return;
    const FieldSpec& field = Field(l.household_when_field);
    if (field.type != FieldType::kEnum) {
      Problem(wt->get("field")->source(), Msg::kFeedSpecWhenNotEnum, field.name, TypeOf(l.household_when_field));
      return;
    }
    for (const Located& v : values) {
      if (std::find(field.values.begin(), field.values.end(), v.text) == field.values.end()) {
        Problem(v.where, Msg::kFeedSpecWhenValue, v.text, field.name, Join(field.values, "、"));
      }
      l.household_when_values.push_back(v.text);
    }
  }

  // --- checks across fields ---------------------------------------------------------------

  void ReadCheck(const toml::table& t) {
    OnlyKeys(t, {"kind", "label", "label_en", "left", "op", "right", "any_of", "zh", "en"});
    CheckSpec c;
    if (std::optional<Located> kind = String(t, "kind", Msg::kFeedSpecWhatCheckKind)) {
      c.kind = kind->text;
      if (IsSystemProblemKind(c.kind)) Problem(kind->where, Msg::kFeedSpecCheckKindBuiltin, c.kind);
    }
    c.label = Text(t, "label", std::nullopt);
    c.label_en = Text(t, "label_en", std::nullopt);
    c.zh = Text(t, "zh", Msg::kFeedSpecWhatZh);
    c.en = Text(t, "en", Msg::kFeedSpecWhatEn);
    if (const toml::node* any_of = t.get("any_of")) {
      if (t.contains("left") || t.contains("op") || t.contains("right")) Problem(t.source(), Msg::kFeedSpecCheckBothForms);
      const size_t problems = problems_.size();
      c.any_of = FieldRefs(t, "any_of");
      if (c.any_of.empty() && problems_.size() == problems) Problem(any_of->source(), Msg::kFeedSpecAnyOfEmpty);
    } else {
      ReadComparison(t, &c);
    }
    spec_.checks.push_back(std::move(c));
  }

  void ReadComparison(const toml::table& t, CheckSpec* c) {
    c->left = FieldRef(t, "left", Msg::kFeedSpecWhatField);
    c->right = FieldRef(t, "right", Msg::kFeedSpecWhatField);
    if (std::optional<Located> op = String(t, "op", Msg::kFeedSpecWhatOp)) {
      c->op = op->text;
      if (c->op != "<=" && c->op != "<" && c->op != ">=" && c->op != ">") Problem(op->where, Msg::kFeedSpecOp, c->op);
    }
    bool ordered = true;
    for (auto [key, field] : {std::pair<std::string_view, int>{"left", c->left}, {"right", c->right}}) {
      if (field < 0 || !Typed(field) || IsOrdered(Field(field).type)) continue;
      Problem(t.get(key)->source(), Msg::kFeedSpecCompareNotOrdered, Field(field).name, TypeOf(field));
      ordered = false;
    }
    if (ordered && c->left >= 0 && c->right >= 0 && Typed(c->left) && Typed(c->right) &&
        Field(c->left).type != Field(c->right).type) {
      Problem(t.source(), Msg::kFeedSpecCompareTypes, Field(c->left).name, TypeOf(c->left), Field(c->right).name,
              TypeOf(c->right));
    }
  }

  std::string file_;
  std::string file_kind_;
  FeedSpec spec_;
  std::vector<bool> typed_;                    // each field's type was read, parallel to spec_.fields
  std::vector<toml::source_region> field_at_;  // each field's [[field]], parallel to spec_.fields
  std::vector<std::vector<Located>> headers_;  // each field's header (when given), then aliases
  std::vector<Found> problems_;
};

// The event type a definition file declares, and where; nullopt when it cannot be read.
struct EventDecl {
  std::string type;
  int64_t line = 0, column = 0;
};
std::optional<EventDecl> ReadEventDecl(const fs::path& file) {
  std::optional<std::string> bytes = ReadBytes(file);
  if (!bytes) return std::nullopt;
  StatusOr<toml::table> root = ParseDefinition(*bytes, file.string());
  if (!root.ok()) return std::nullopt;
  const toml::node* event = root->get("event");
  std::optional<std::string> type = event != nullptr ? event->value<std::string>() : std::nullopt;
  if (!type || type->empty()) return std::nullopt;
  return EventDecl{*type, static_cast<int64_t>(event->source().begin.line),
                   static_cast<int64_t>(event->source().begin.column)};
}

// The .toml files of `dir`, sorted.
std::vector<fs::path> DefinitionFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string_view FieldTypeName(FieldType t) {
  for (const auto& [name, type] : kTypes) {
    if (type == t) return name;
  }
  return "text";
}

std::string FoldEnumSpelling(std::string_view text) { return LowerAscii(RemoveSpaces(FoldWidth(text))); }

int FeedSpec::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<ColumnSpec> FeedSpec::Columns() const {
  std::vector<ColumnSpec> out;
  out.reserve(fields.size());
  for (const FieldSpec& f : fields) out.push_back(f.column);
  return out;
}

StatusOr<FeedSpec> LoadFeedSpec(const fs::path& file) {
  const std::string name = file.string();
  std::optional<std::string> bytes = ReadBytes(file);
  if (!bytes) return Error(StatusCode::kNotFound, Msg::kFeedSpecMissingFile, name);
  HEARTH_ASSIGN_OR_RETURN(toml::table root, ParseDefinition(*bytes, name));
  DefinitionReader reader(name, file.stem().string());
  FeedSpec spec = reader.Read(root);
  HEARTH_RETURN_IF_ERROR(reader.Result());
  HEARTH_ASSIGN_OR_RETURN(spec.digest, FileDigest(file));
  return spec;
}

Status CheckAgainstOtherKinds(const fs::path& file, const fs::path& dir) {
  const std::optional<EventDecl> own = ReadEventDecl(file);
  if (!own) return Status::Ok();
  const std::string kind = file.stem().string();
  Status problem;
  for (const fs::path& other : DefinitionFiles(dir)) {
    if (other.stem().string() == kind) continue;  // this kind (its file, or the installed one of a draft)
    const std::optional<EventDecl> theirs = ReadEventDecl(other);
    if (!theirs || theirs->type != own->type || !LoadFeedSpec(other).ok()) continue;
    problem = Merge(problem, Error(StatusCode::kInvalidArgument, Msg::kFeedSpecInvalid, file.string(), own->line,
                                   own->column, Tr(Msg::kFeedSpecEventShared, own->type, other.string(), other.stem().string(),
                                                   theirs->line)));
  }
  return problem;
}

std::vector<std::string> FeedKinds(const fs::path& data_dir) {
  std::vector<std::string> kinds;
  for (const fs::path& file : DefinitionFiles(data_dir / "feeds")) kinds.push_back(file.stem().string());
  return kinds;
}

StatusOr<FeedSpec> LoadFeedSpecForKind(const fs::path& data_dir, std::string_view kind) {
  std::vector<std::string> kinds = FeedKinds(data_dir);
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    return Error(StatusCode::kInvalidArgument, Msg::kFeedKindUnknown, kind, Join(kinds, ", "),
                 (data_dir / "feeds").string());
  }
  const fs::path file = data_dir / "feeds" / (std::string(kind) + ".toml");
  StatusOr<FeedSpec> spec = LoadFeedSpec(file);
  const Status shared = CheckAgainstOtherKinds(file, data_dir / "feeds");
  if (!spec.ok() || !shared.ok()) return Merge(spec.status(), shared);
  return spec;
}

std::vector<FeedDefinition> LoadFeedSpecs(const fs::path& data_dir) {
  std::vector<FeedDefinition> out;
  for (const std::string& kind : FeedKinds(data_dir)) {
    out.push_back({kind, data_dir / "feeds" / (kind + ".toml"), LoadFeedSpecForKind(data_dir, kind)});
  }
  return out;
}

}  // namespace hearth
