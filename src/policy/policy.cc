#include "policy/policy.h"

#include <sodium.h>

#include <fstream>
#include <algorithm>
#include <map>
#include <sstream>
#include <toml++/toml.h>

#include "core/area_code.h"
#include "core/messages.h"
#include "core/paths.h"

namespace hearth {
namespace {

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
constexpr std::string_view kFindingsKeys =
    "assistance_income_factor, temporary_assistance_months, school_age_from, school_age_to, source";

std::string Sha256Digest(std::string_view bytes) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return "sha256:" + std::string(hex);
}

StatusOr<std::string> ReadBytes(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return Error(StatusCode::kNotFound, Msg::kPolicyMissing, file.string());
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return Error(StatusCode::kIoError, Msg::kPolicyRead, file.string(), "read error");
  return bytes.str();
}

// The only place toml++ may throw.
StatusOr<toml::table> ParseToml(std::string_view bytes, const std::string& file) {
  try {
    return toml::parse(bytes, file);
  } catch (const toml::parse_error& e) {
    return Error(StatusCode::kInvalidArgument, Msg::kPolicySyntax, file, e.source().begin.line,
                 e.source().begin.column, std::string(e.description()));
  }
}

int64_t LineOf(const toml::node& node) { return static_cast<int64_t>(node.source().begin.line); }

Status FieldError(const std::string& file, const toml::node& at, std::string_view what, std::string_view field,
                  Msg expected) {
  return Error(StatusCode::kInvalidArgument, Msg::kPolicyField, file, LineOf(at), what, field, Tr(expected));
}

// "yuan": an integer, or a string of yuan ("6000.50"); never a float.
std::optional<Money> LineAmount(const toml::node* node) {
  if (node == nullptr) return std::nullopt;
  if (const auto* i = node->as_integer()) {
    if (i->get() > Money::kMaxFen / 100 || i->get() < -Money::kMaxFen / 100) return std::nullopt;
    return Money::FromYuan(i->get());
  }
  if (const auto* s = node->as_string()) {
    StatusOr<Money> m = ParseMoney(s->get());
    if (m.ok()) return *m;
  }
  return std::nullopt;
}

// "area": a province, prefecture or county code.
std::optional<AreaCode> LineArea(const toml::table& t) {
  const auto* text = t["area"].as_string();
  if (text == nullptr) return std::nullopt;
  StatusOr<AreaCode> code = AreaCode::Parse(text->get());
  if (!code.ok() || code->level() > AreaLevel::kCounty) return std::nullopt;
  return *code;
}

StatusOr<MonitoringLine> ReadLine(const toml::table& t, const std::string& file) {
  const std::string what = "[[monitoring_line]]";
  MonitoringLine line;
  line.line = static_cast<int>(LineOf(t));
  std::optional<AreaCode> area = LineArea(t);
  if (!area) return FieldError(file, t, what, "area", Msg::kPolicyExpectArea);
  line.area = area->str();
  const auto* year = t["year"].as_integer();
  if (year == nullptr || year->get() < kMinYear || year->get() > kMaxYear) {
    return FieldError(file, t, what, "year", Msg::kPolicyExpectYear);
  }
  line.year = static_cast<int>(year->get());
  std::optional<Money> amount = LineAmount(t.get("yuan"));
  if (!amount) return FieldError(file, t, what, "yuan", Msg::kPolicyExpectYuan);
  if (amount->fen() <= 0) {
    return Error(StatusCode::kInvalidArgument, Msg::kPolicyLineAmount, file, LineOf(t), line.area, line.year,
                 amount->ToString());
  }
  line.amount = *amount;
  line.source = t["source"].value_or(std::string());
  if (line.source.empty()) return FieldError(file, t, what, "source", Msg::kPolicyExpectSource);
  return line;
}

StatusOr<std::vector<MonitoringLine>> ReadLines(const toml::table& doc, const std::string& file) {
  const toml::array* array = doc["monitoring_line"].as_array();
  if (array == nullptr || array->empty()) return Error(StatusCode::kInvalidArgument, Msg::kPolicyNoLines, file);
  std::vector<MonitoringLine> lines;
  std::map<std::pair<std::string, int>, int64_t> seen;  // (area, year) -> line in the file
  for (const toml::node& node : *array) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return FieldError(file, node, "[[monitoring_line]]", "area", Msg::kPolicyExpectArea);
    HEARTH_ASSIGN_OR_RETURN(MonitoringLine line, ReadLine(*t, file));
    auto [it, inserted] = seen.emplace(std::make_pair(line.area, line.year), LineOf(*t));
    if (!inserted) {
      return Error(StatusCode::kInvalidArgument, Msg::kPolicyLineDuplicate, file, LineOf(*t), line.area, line.year,
                   it->second);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

Status ValueError(const std::string& file, const toml::node& at, std::string_view key, Msg expected) {
  return Error(StatusCode::kInvalidArgument, Msg::kPolicyFindingsValue, file, LineOf(at), key, Tr(expected));
}

// A positive exact decimal from a string ("1.5") or an integer; a float is refused.
StatusOr<Decimal> ReadFactor(const toml::node& node, const std::string& file, std::string_view key) {
  std::optional<Decimal> d;
  if (const auto* i = node.as_integer()) d = Decimal{i->get(), 0};
  if (const auto* s = node.as_string()) {
    StatusOr<Decimal> parsed = ParseDecimal(s->get());
    if (parsed.ok()) d = *parsed;
  }
  if (!d || d->units <= 0) return ValueError(file, node, key, Msg::kPolicyExpectFactor);
  return *d;
}

StatusOr<int> ReadInt(const toml::node& node, const std::string& file, std::string_view key, int lo, int hi,
                      Msg expected) {
  const auto* i = node.as_integer();
  if (i == nullptr || i->get() < lo || i->get() > hi) return ValueError(file, node, key, expected);
  return static_cast<int>(i->get());
}

Status ReadFindingsKey(std::string_view key, const toml::node& value, const std::string& file, FindingsPolicy* f) {
  if (key == "assistance_income_factor") {
    HEARTH_ASSIGN_OR_RETURN(f->assistance_income_factor, ReadFactor(value, file, key));
  } else if (key == "temporary_assistance_months") {
    HEARTH_ASSIGN_OR_RETURN(f->temporary_assistance_months, ReadInt(value, file, key, 1, 120, Msg::kPolicyExpectMonths));
  } else if (key == "school_age_from") {
    HEARTH_ASSIGN_OR_RETURN(f->school_age_from, ReadInt(value, file, key, 0, 30, Msg::kPolicyExpectAge));
  } else if (key == "school_age_to") {
    HEARTH_ASSIGN_OR_RETURN(f->school_age_to, ReadInt(value, file, key, 0, 30, Msg::kPolicyExpectAge));
  } else if (key == "source") {
    f->source = value.value_or(std::string());
    if (f->source.empty()) return ValueError(file, value, key, Msg::kPolicyExpectSource);
  } else {
    return Error(StatusCode::kInvalidArgument, Msg::kPolicyFindingsKeyUnknown, file, LineOf(value), key, kFindingsKeys);
  }
  return Status::Ok();
}

StatusOr<FindingsPolicy> ReadFindings(const toml::table& doc, const std::string& file) {
  const toml::table* t = doc["findings"].as_table();
  if (t == nullptr || !t->contains("assistance_income_factor")) {
    return Error(StatusCode::kInvalidArgument, Msg::kPolicyFindingsMissing, file, "assistance_income_factor");
  }
  FindingsPolicy f;
  for (const auto& [key, value] : *t) HEARTH_RETURN_IF_ERROR(ReadFindingsKey(key.str(), value, file, &f));
  if (f.school_age_from > f.school_age_to) return ValueError(file, *t, "school_age_from", Msg::kPolicyExpectAge);
  return f;
}


// Keeps a section's value, or records its failure as a problem (the section keeps its default).
template <typename T>
void Keep(StatusOr<T> read, T* out, std::vector<PolicyProblem>* problems) {
  if (read.ok()) {
    *out = std::move(*read);
    return;
  }
  problems->push_back({0, 0, read.status().kind(), read.status().message()});
}

bool IsRuleId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string RiskTypesJoined() {
  std::string out;
  for (const RiskType& r : RiskTypes()) out += (out.empty() ? "" : "、") + std::string(r.label_zh);
  return out;
}

// Reads the engine's sections ([triggers], [[category]], [[rule]], [score]), recording every
// problem rather than stopping at the first.
class SectionReader {
 public:
  SectionReader(std::string file, std::string_view text, std::vector<PolicyProblem>* problems)
      : file_(std::move(file)), text_(text), problems_(problems) {}

  std::vector<Trigger> Triggers(const toml::table& doc) {
    std::vector<Trigger> out;
    const toml::table* t = doc["triggers"].as_table();
    if (t == nullptr) return out;
    for (const auto& [key, node] : *t) {
      std::optional<Trigger> trigger = ReadTrigger(std::string(key.str()), node);
      if (trigger) out.push_back(std::move(*trigger));
    }
    return out;
  }

  std::vector<CategoryDef> Categories(const toml::table& doc) {
    std::vector<CategoryDef> out;
    const toml::array* array = doc["category"].as_array();
    if (array == nullptr) return out;
    for (const toml::node& node : *array) {
      CategoryDef c;
      c.line = static_cast<int>(LineOf(node));
      if (const toml::table* t = node.as_table()) {
        c.id = (*t)["id"].value_or(std::string());
        c.label_zh = (*t)["label"].value_or(std::string());
        c.label_en = (*t)["label_en"].value_or(c.id);
      }
      bool unique = std::none_of(out.begin(), out.end(), [&](const CategoryDef& o) { return o.id == c.id; });
      if (!IsRuleId(c.id) || c.label_zh.empty() || !unique) {
        Add(node, Error(StatusCode::kInvalidArgument, Msg::kPolicyCategory, file_, c.line));
        continue;
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  std::vector<RuleDef> Rules(const toml::table& doc, const Policy& policy) {
    std::vector<RuleDef> out;
    const toml::array* array = doc["rule"].as_array();
    if (array == nullptr) return out;
    std::map<std::string, int> seen;  // id -> line
    for (const toml::node& node : *array) {
      std::optional<RuleDef> rule = ReadRule(node, policy);
      if (!rule) continue;
      auto [it, inserted] = seen.emplace(rule->id, rule->line);
      if (!inserted) {
        Add(node, Error(StatusCode::kInvalidArgument, Msg::kPolicyRuleDuplicate, file_, rule->line, rule->id, it->second));
        continue;
      }
      out.push_back(std::move(*rule));
    }
    return out;
  }

  ScorePolicy Score(const toml::table& doc) {
    ScorePolicy score;
    const toml::table* t = doc["score"].as_table();
    if (t == nullptr) return score;
    if (const toml::node* n = t->get("severity_points")) {
      const toml::array* a = n->as_array();
      bool ok = a != nullptr && a->size() == 3;
      for (size_t i = 0; ok && i < 3; ++i) {
        std::optional<int64_t> v = Points(a->get(i));
        ok = v.has_value();
        if (ok) score.severity_points[i] = *v;
      }
      if (!ok) ScoreError(*n, "severity_points", Msg::kPolicyExpectSeverityPoints);
    }
    ReadPoints(*t, "shortfall_points", &score.shortfall_points);
    ReadPoints(*t, "rigid_points", &score.rigid_points);
    return score;
  }

 private:
  void Add(const toml::node& at, const Status& s) {
    problems_->push_back({static_cast<int>(at.source().begin.line), static_cast<int>(at.source().begin.column),
                          s.kind(), s.message()});
  }

  static std::optional<int64_t> Points(const toml::node* n) {
    const auto* i = n == nullptr ? nullptr : n->as_integer();
    if (i == nullptr || i->get() < 0 || i->get() > 10000) return std::nullopt;
    return i->get();
  }

  void ScoreError(const toml::node& at, std::string_view key, Msg expected) {
    Add(at, Error(StatusCode::kInvalidArgument, Msg::kPolicyScore, file_, LineOf(at), key, Tr(expected)));
  }

  void ReadPoints(const toml::table& t, std::string_view key, int64_t* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    std::optional<int64_t> v = Points(n);
    if (!v) return ScoreError(*n, key, Msg::kPolicyExpectPoints);
    *out = *v;
  }

  std::optional<Trigger> ReadTrigger(std::string name, const toml::node& node) {
    Trigger t;
    t.name = std::move(name);
    t.line = static_cast<int>(LineOf(node));
    const toml::table* table = node.as_table();
    std::optional<Decimal> value;
    if (table != nullptr) {
      t.source = (*table)["source"].value_or(std::string());
      const toml::node* yuan = table->get("yuan");
      const toml::node* number = table->get("value");
      t.is_money = yuan != nullptr;
      if ((yuan == nullptr) != (number == nullptr)) value = ExactDecimal(yuan != nullptr ? *yuan : *number);
      if (value && t.is_money && value->scale > 2) value.reset();
    }
    if (!value || t.source.empty() || !IsRuleId(t.name)) {
      Add(node, Error(StatusCode::kInvalidArgument, Msg::kPolicyTrigger, file_, t.line, t.name));
      return std::nullopt;
    }
    t.value = *value;
    return t;
  }

  static std::optional<Decimal> ExactDecimal(const toml::node& node) {
    if (const auto* i = node.as_integer()) return Decimal{i->get(), 0};
    if (const auto* s = node.as_string()) {
      StatusOr<Decimal> d = ParseDecimal(s->get());
      if (d.ok()) return *d;
    }
    return std::nullopt;
  }

  std::optional<RuleDef> ReadRule(const toml::node& node, const Policy& policy) {
    RuleDef r;
    r.line = static_cast<int>(LineOf(node));
    const toml::table* t = node.as_table();
    if (t == nullptr) return FieldProblem(node, r, "id", Msg::kPolicyExpectRuleId);
    r.id = (*t)["id"].value_or(std::string());
    if (!IsRuleId(r.id)) return FieldProblem(node, r, "id", Msg::kPolicyExpectRuleId);
    ReadWhen(*t, &r);
    ReadCategory(*t, policy, &r);
    ReadRisks(*t, &r);
    ReadSeverity(*t, policy, &r);
    r.explain_zh = (*t)["explain"].value_or(std::string());
    r.explain_en = (*t)["explain_en"].value_or(r.explain_zh);
    r.source = (*t)["source"].value_or(std::string());
    if (r.explain_zh.empty()) FieldProblem(node, r, "explain", Msg::kPolicyExpectExplain);
    if (r.source.empty()) FieldProblem(node, r, "source", Msg::kPolicyExpectSource);
    // With its other fields' problems recorded, a rule whose expression is there is still
    // returned, so that `hearth policy check` also reports the expression's errors.
    if (r.when.empty()) return std::nullopt;
    return r;
  }

  // Records a problem with one field of a rule; always nullopt.
  std::optional<RuleDef> FieldProblem(const toml::node& at, const RuleDef& r, std::string_view field, Msg expected) {
    Add(at, Error(StatusCode::kInvalidArgument, Msg::kPolicyRuleField, file_, LineOf(at), r.id, field, Tr(expected)));
    return std::nullopt;
  }

  bool ReadWhen(const toml::table& t, RuleDef* r) {
    const toml::node* when = t.get("when");
    if (when == nullptr || !when->is_string() || when->as_string()->get().empty()) {
      return FieldProblem(when != nullptr ? *when : static_cast<const toml::node&>(t), *r, "when",
                          Msg::kPolicyExpectExpression).has_value();
    }
    r->when = when->as_string()->get();
    std::tie(r->when_line, r->when_column) = StringContentStart(*when);
    return true;
  }

  // Where the characters of a string value start in the file: after the opening quote (or after
  // the newline that directly follows a multi-line string's opening quotes).
  std::pair<int, int> StringContentStart(const toml::node& value) const {
    const int line = static_cast<int>(value.source().begin.line);
    const int column = static_cast<int>(value.source().begin.column);
    std::string_view rest = LineText(line).substr(std::min<size_t>(LineText(line).size(), column - 1));
    if (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
      if (rest.size() == 3) return {line + 1, 1};
      return {line, column + 3};
    }
    return {line, column + 1};
  }

  std::string_view LineText(int line) const {
    size_t begin = 0;
    for (int i = 1; i < line && begin != std::string_view::npos; ++i) {
      begin = text_.find('\n', begin);
      if (begin != std::string_view::npos) ++begin;
    }
    if (begin == std::string_view::npos) return {};
    size_t end = text_.find('\n', begin);
    std::string_view out = text_.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    if (out.ends_with('\r')) out.remove_suffix(1);
    return out;
  }

  bool ReadCategory(const toml::table& t, const Policy& policy, RuleDef* r) {
    const toml::node* node = t.get("category");
    if (node == nullptr) return true;  // a risk marker
    r->category = node->value_or(std::string());
    for (const CategoryDef& c : policy.categories) {
      if (c.id == r->category) return true;
    }
    std::string defined;
    for (const CategoryDef& c : policy.categories) defined += (defined.empty() ? "" : ", ") + c.id;
    Add(*node, Error(StatusCode::kInvalidArgument, Msg::kPolicyCategoryUnknown, file_, LineOf(*node), r->id,
                     r->category, defined));
    return false;
  }

  bool ReadRisks(const toml::table& t, RuleDef* r) {
    const toml::node* node = t.get("risks");
    if (node == nullptr) return true;
    const toml::array* a = node->as_array();
    if (a == nullptr || a->size() > 5) return FieldProblem(*node, *r, "risks", Msg::kPolicyExpectRisks).has_value();
    bool ok = true;
    for (const toml::node& item : *a) {
      std::string name = item.value_or(std::string());
      const RiskType* risk = FindRiskType(name);
      if (risk == nullptr) {
        Add(item, Error(StatusCode::kInvalidArgument, Msg::kPolicyRiskUnknown, file_, LineOf(item), r->id, name,
                        RiskTypesJoined()));
        ok = false;
        continue;
      }
      r->risks.emplace_back(risk->key);
    }
    return ok;
  }

  bool ReadSeverity(const toml::table& t, const Policy& policy, RuleDef* r) {
    const auto* severity = t["severity"].as_integer();
    if (severity == nullptr || severity->get() < 1 || severity->get() > 3) {
      return FieldProblem(t, *r, "severity", Msg::kPolicyExpectSeverity).has_value();
    }
    r->severity = static_cast<int>(severity->get());
    r->weight = policy.score.severity_points[r->severity - 1];
    if (const toml::node* weight = t.get("weight")) {
      std::optional<int64_t> v = Points(weight);
      if (!v) return FieldProblem(*weight, *r, "weight", Msg::kPolicyExpectPoints).has_value();
      r->weight = *v;
    }
    return true;
  }

  std::string file_;
  std::string_view text_;
  std::vector<PolicyProblem>* problems_;
};

}  // namespace

const std::vector<RiskType>& RiskTypes() {
  static const std::vector<RiskType> kTypes = {
      {"illness", "因病"},          {"schooling", "因学"},           {"disability", "因残"},
      {"disaster", "因自然灾害"},   {"accident", "因意外事故"},      {"business_failure", "因产业项目失败"},
      {"unstable_employment", "因务工就业不稳"}, {"lack_of_labour", "缺劳动力"}, {"other", "其他"},
  };
  return kTypes;
}

const RiskType* FindRiskType(std::string_view key_or_label) {
  for (const RiskType& r : RiskTypes()) {
    if (r.key == key_or_label || r.label_zh == key_or_label) return &r;
  }
  return nullptr;
}

std::optional<Money> Policy::LineFor(std::string_view area_code, int year) const {
  StatusOr<AreaCode> parsed = AreaCode::Parse(area_code);
  const std::string area = parsed.ok() ? parsed->str() : std::string(area_code);
  const MonitoringLine* best = nullptr;
  for (const MonitoringLine& l : lines) {
    if (l.year > year || !area.starts_with(l.area)) continue;
    if (best == nullptr || l.year > best->year || (l.year == best->year && l.area.size() > best->area.size())) {
      best = &l;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->amount;
}

StatusOr<Policy> ParsePolicy(std::string_view text, const std::string& name, std::vector<PolicyProblem>* problems) {
  HEARTH_ASSIGN_OR_RETURN(toml::table doc, ParseToml(text, name));
  Policy policy;
  policy.file = name;
  policy.digest = Sha256Digest(text);
  policy.text = std::string(text);
  policy.name = doc["policy"]["name"].value_or(std::string());
  policy.region = doc["policy"]["region"].value_or(std::string());
  SectionReader reader{name, text, problems};
  Keep(ReadLines(doc, name), &policy.lines, problems);
  Keep(ReadFindings(doc, name), &policy.findings, problems);
  policy.triggers = reader.Triggers(doc);
  policy.categories = reader.Categories(doc);
  policy.score = reader.Score(doc);  // before the rules: their default weights come from it
  policy.rules = reader.Rules(doc, policy);
  return policy;
}

StatusOr<Policy> ReadPolicy(const std::filesystem::path& file, std::vector<PolicyProblem>* problems) {
  HEARTH_ASSIGN_OR_RETURN(std::string bytes, ReadBytes(file));
  return ParsePolicy(bytes, file.string(), problems);
}

StatusOr<Policy> LoadPolicy(const std::filesystem::path& file) {
  std::vector<PolicyProblem> problems;
  HEARTH_ASSIGN_OR_RETURN(Policy policy, ReadPolicy(file, &problems));
  if (!problems.empty()) {
    return Status(StatusCode::kInvalidArgument, problems.front().kind, problems.front().message);
  }
  return policy;
}

StatusOr<Policy> LoadDefaultPolicy(const std::string& data_dir_override) {
  HEARTH_ASSIGN_OR_RETURN(std::filesystem::path dir, FindDataDir(data_dir_override));
  return LoadPolicy(dir / "policy" / "default.toml");
}

}  // namespace hearth
