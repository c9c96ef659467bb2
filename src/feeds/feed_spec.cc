#include "feeds/feed_spec.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "core/messages.h"
#include "core/text.h"
#include "ingest/import_report.h"

namespace hearth {
namespace {

constexpr std::pair<std::string_view, FieldType> kTypes[] = {
    {"id", FieldType::kId},           {"name", FieldType::kName},
    {"text", FieldType::kText},       {"enum", FieldType::kEnum},
    {"date", FieldType::kDate},       {"money", FieldType::kMoney},
    {"integer", FieldType::kInteger}, {"school_year", FieldType::kSchoolYear},
    {"village", FieldType::kVillage}, {"household_code", FieldType::kHouseholdCode},
};

// Collects every problem of one definition file, each with its line and column.
class SpecReader {
 public:
  explicit SpecReader(std::string file) : file_(std::move(file)) {}

  // A problem at `node` (its source position), with the explanation in both languages.
  void Problem(const toml::source_region& where, std::string_view zh, std::string_view en) {
    Status s = Error(StatusCode::kInvalidArgument, Msg::kFeedSpecInvalid, file_, where.begin.line, where.begin.column,
                     CurrentLanguage() == Lang::kZh ? zh : en);
    problem_ = problem_.ok() ? s : Status(StatusCode::kInvalidArgument, problem_.kind(),
                                          problem_.message() + "\n" + s.message());
  }
  //! OK, or kind "feed_spec_invalid" with one line per problem.
  const Status& problem() const { return problem_; }

  std::string String(const toml::table& t, std::string_view key, bool required, std::string_view what_zh) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) Problem(t.source(), fmt::format("缺少 {}（{}）", key, what_zh), fmt::format("{} is missing", key));
      return {};
    }
    if (auto s = n->value<std::string>()) return *s;
    Problem(n->source(), fmt::format("{} 应为字符串", key), fmt::format("{} must be a string", key));
    return {};
  }

  std::vector<std::string> Strings(const toml::table& t, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      Problem(n->source(), fmt::format("{} 应为字符串数组", key), fmt::format("{} must be an array of strings", key));
      return out;
    }
    for (const toml::node& e : *a) {
      if (auto s = e.value<std::string>()) {
        out.push_back(*s);
      } else {
        Problem(e.source(), fmt::format("{} 的元素应为字符串", key), fmt::format("the elements of {} must be strings", key));
      }
    }
    return out;
  }

  bool Bool(const toml::table& t, std::string_view key, bool fallback) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return fallback;
    if (auto b = n->value<bool>()) return *b;
    Problem(n->source(), fmt::format("{} 应为 true 或 false", key), fmt::format("{} must be true or false", key));
    return fallback;
  }

  std::optional<int64_t> Int(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (auto i = n->value_exact<int64_t>()) return *i;
    Problem(n->source(), fmt::format("{} 应为整数", key), fmt::format("{} must be an integer", key));
    return std::nullopt;
  }

  // Keys of `t` not in `known`.
  void OnlyKeys(const toml::table& t, std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : t) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      Problem(node.source(), fmt::format("未知的键 {}", key.str()), fmt::format("unknown key {}", key.str()));
    }
  }

  // The field named by the string at `t[key]` (-1 and a problem when unknown).
  int FieldRef(const FeedSpec& spec, const toml::table& t, std::string_view key, bool required) {
    std::string name = String(t, key, required, "字段名");
    if (name.empty()) return -1;
    int i = spec.FieldIndex(name);
    if (i < 0) {
      Problem(t.get(key)->source(), fmt::format("{} 引用了未定义的字段 {}", key, name),
              fmt::format("{} names {}, which is not a field", key, name));
    }
    return i;
  }

  std::vector<int> FieldRefs(const FeedSpec& spec, const toml::table& t, std::string_view key) {
    std::vector<int> out;
    for (const std::string& name : Strings(t, key)) {
      int i = spec.FieldIndex(name);
      if (i < 0) {
        Problem(t.get(key)->source(), fmt::format("{} 引用了未定义的字段 {}", key, name),
                fmt::format("{} names {}, which is not a field", key, name));
      }
      out.push_back(i);
    }
    return out;
  }

 private:
  std::string file_;
  Status problem_;
};

void ReadField(SpecReader& r, const toml::table& t, FeedSpec* spec) {
  r.OnlyKeys(t, {"name", "header", "aliases", "type", "required", "nullable", "values", "synonyms", "min", "max",
                 "allow_negative", "not_after_received"});
  FieldSpec f;
  f.name = r.String(t, "name", true, "字段名");
  f.column.name = r.String(t, "header", true, "中文表头");
  f.column.aliases = r.Strings(t, "aliases");
  f.column.required = r.Bool(t, "required", true);
  f.nullable = r.Bool(t, "nullable", !f.column.required);
  std::string type = r.String(t, "type", true, "类型");
  auto it = std::find_if(std::begin(kTypes), std::end(kTypes), [&](const auto& p) { return p.first == type; });
  if (it == std::end(kTypes)) {
    if (!type.empty()) {
      r.Problem(t.get("type")->source(), fmt::format("未知的类型 {}", type), fmt::format("unknown type {}", type));
    }
  } else {
    f.type = it->second;
  }
  f.values = r.Strings(t, "values");
  if (f.type == FieldType::kEnum && f.values.empty()) {
    r.Problem(t.source(), "枚举字段需要 values", "an enum field needs values");
  }
  if (const toml::node* syn = t.get("synonyms")) {
    if (const toml::table* st = syn->as_table()) {
      for (const auto& [spelling, value] : *st) {
        std::string v = value.value_or(std::string());
        if (std::find(f.values.begin(), f.values.end(), v) == f.values.end()) {
          r.Problem(value.source(), fmt::format("同义词 {} 指向的 {} 不在 values 中", spelling.str(), v),
                    fmt::format("synonym {} maps to {}, which is not among the values", spelling.str(), v));
        }
        f.synonyms.emplace_back(RemoveSpaces(FoldWidth(spelling.str())), v);
      }
    } else {
      r.Problem(syn->source(), "synonyms 应为表", "synonyms must be a table");
    }
  }
  f.min = r.Int(t, "min");
  f.max = r.Int(t, "max");
  if (f.min && f.type == FieldType::kMoney) {
    r.Problem(t.get("min")->source(), "金额字段只能设 max（元）；负数由 allow_negative 决定",
              "a money field takes only max (yuan); allow_negative decides about negative amounts");
  }
  f.allow_negative = r.Bool(t, "allow_negative", false);
  f.not_after_received = r.Bool(t, "not_after_received", false);
  if (spec->FieldIndex(f.name) >= 0) {
    r.Problem(t.source(), fmt::format("字段 {} 重复定义", f.name), fmt::format("field {} is defined twice", f.name));
  }
  spec->fields.push_back(std::move(f));
}

void ReadCheck(SpecReader& r, const toml::table& t, FeedSpec* spec) {
  r.OnlyKeys(t, {"kind", "label", "label_en", "left", "op", "right", "any_of", "zh", "en"});
  CheckSpec c;
  c.kind = r.String(t, "kind", true, "问题类型");
  c.label = r.String(t, "label", false, "问题类型名称");
  c.label_en = r.String(t, "label_en", false, "English label");
  c.zh = r.String(t, "zh", true, "中文说明");
  c.en = r.String(t, "en", true, "English message");
  if (t.contains("any_of")) {
    c.any_of = r.FieldRefs(*spec, t, "any_of");
  } else {
    c.left = r.FieldRef(*spec, t, "left", true);
    c.right = r.FieldRef(*spec, t, "right", true);
    c.op = r.String(t, "op", true, "比较符");
    if (!c.op.empty() && c.op != "<=" && c.op != "<" && c.op != ">=" && c.op != ">") {
      r.Problem(t.get("op")->source(), "op 只能是 <=、<、>=、>", "op must be one of <=, <, >=, >");
    }
    if (c.left >= 0 && c.right >= 0 && spec->fields[static_cast<size_t>(c.left)].type !=
                                           spec->fields[static_cast<size_t>(c.right)].type) {
      r.Problem(t.source(), "比较的两个字段类型不同", "the two fields compared have different types");
    }
  }
  spec->checks.push_back(std::move(c));
}

void ReadLink(SpecReader& r, const toml::table& t, FeedSpec* spec) {
  r.OnlyKeys(t, {"person", "name", "household", "household_when", "village", "head"});
  LinkSpec& l = spec->link;
  l.person = r.FieldRef(*spec, t, "person", true);
  l.name = r.FieldRef(*spec, t, "name", false);
  l.household = r.FieldRef(*spec, t, "household", false);
  l.village = r.FieldRef(*spec, t, "village", false);
  l.head = r.Bool(t, "head", false);
  if (l.person >= 0 && spec->fields[static_cast<size_t>(l.person)].type != FieldType::kId) {
    r.Problem(t.get("person")->source(), "link.person 必须是 id 类型的字段", "link.person must be a field of type id");
  }
  if (const toml::node* when = t.get("household_when")) {
    if (const toml::table* wt = when->as_table()) {
      l.household_when_field = r.FieldRef(*spec, *wt, "field", true);
      l.household_when_values = r.Strings(*wt, "values");
    } else {
      r.Problem(when->source(), "household_when 应为表", "household_when must be a table");
    }
  }
}

}  // namespace

std::string_view FieldTypeName(FieldType t) {
  for (const auto& [name, type] : kTypes) {
    if (type == t) return name;
  }
  return "text";
}

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

StatusOr<FeedSpec> LoadFeedSpec(const std::filesystem::path& file) {
  toml::table root;
  std::string name = file.string();
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error(StatusCode::kNotFound, Msg::kIoOpen, name, "not found");
  }
  try {
    root = toml::parse_file(name);
  } catch (const toml::parse_error& e) {
    return Error(StatusCode::kInvalidArgument, Msg::kFeedSpecSyntax, name, e.source().begin.line,
                 e.source().begin.column, e.description());
  }
  SpecReader r(name);
  r.OnlyKeys(root, {"kind", "department", "label", "event", "key", "effective", "amount", "link", "field", "check"});
  FeedSpec spec;
  spec.source = name;
  spec.kind = r.String(root, "kind", true, "数据类型");
  spec.department = r.String(root, "department", true, "部门");
  spec.label = r.String(root, "label", true, "名称");
  spec.event_type = r.String(root, "event", true, "事件类型");
  if (const toml::array* fields = root["field"].as_array()) {
    for (const toml::node& n : *fields) {
      if (const toml::table* t = n.as_table()) ReadField(r, *t, &spec);
    }
  }
  if (spec.fields.empty()) r.Problem(root.source(), "没有定义任何字段（[[field]]）", "no fields are defined ([[field]])");
  spec.key = r.FieldRefs(spec, root, "key");
  if (spec.key.empty() && r.problem().ok()) r.Problem(root.source(), "缺少 key（哪些字段决定同一事实）", "key is missing");
  spec.effective = r.FieldRefs(spec, root, "effective");
  for (size_t i = 0; i < spec.effective.size(); ++i) {
    int f = spec.effective[i];
    if (f < 0) continue;
    FieldType t = spec.fields[static_cast<size_t>(f)].type;
    if (t != FieldType::kDate && t != FieldType::kInteger && t != FieldType::kSchoolYear) {
      r.Problem(root.get("effective")->source(), "effective 只能引用日期、年度或学年字段",
                "effective may only name date, year or school-year fields");
    }
  }
  spec.amount = root.contains("amount") ? r.FieldRef(spec, root, "amount", true) : -1;
  if (spec.amount >= 0 && spec.fields[static_cast<size_t>(spec.amount)].type != FieldType::kMoney) {
    r.Problem(root.get("amount")->source(), "amount 必须是金额字段", "amount must name a money field");
  }
  if (const toml::table* link = root["link"].as_table()) {
    ReadLink(r, *link, &spec);
  } else {
    r.Problem(root.source(), "缺少 [link]（如何找到人员和家庭）", "[link] is missing (how rows find their person)");
  }
  if (const toml::array* checks = root["check"].as_array()) {
    for (const toml::node& n : *checks) {
      if (const toml::table* t = n.as_table()) ReadCheck(r, *t, &spec);
    }
  }
  if (!r.problem().ok()) return r.problem();
  HEARTH_ASSIGN_OR_RETURN(spec.digest, FileDigest(file));
  return spec;
}

std::vector<std::string> FeedKinds(const std::filesystem::path& data_dir) {
  std::vector<std::string> kinds;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir / "feeds", ec)) {
    if (entry.path().extension() == ".toml") kinds.push_back(entry.path().stem().string());
  }
  std::sort(kinds.begin(), kinds.end());
  return kinds;
}

StatusOr<FeedSpec> LoadFeedSpecForKind(const std::filesystem::path& data_dir, std::string_view kind) {
  std::vector<std::string> kinds = FeedKinds(data_dir);
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    std::string list;
    for (const std::string& k : kinds) list += (list.empty() ? "" : ", ") + k;
    return Error(StatusCode::kInvalidArgument, Msg::kFeedKindUnknown, kind, list, (data_dir / "feeds").string());
  }
  HEARTH_ASSIGN_OR_RETURN(FeedSpec spec, LoadFeedSpec(data_dir / "feeds" / (std::string(kind) + ".toml")));
  if (spec.kind != kind) {
    return Error(StatusCode::kInvalidArgument, Msg::kFeedSpecInvalid, spec.source, 1, 1,
                 fmt::format("kind = \"{}\" / {}.toml", spec.kind, kind));
  }
  return spec;
}

}  // namespace hearth
