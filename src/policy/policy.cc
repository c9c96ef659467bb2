#include "policy/policy.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <toml++/toml.h>

#include "core/area_code.h"
#include "core/messages.h"
#include "core/paths.h"
#include "core/text.h"
#include "core/toml_parse.h"

namespace hearth {
namespace {

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;

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

// The policy file's TOML; a syntax error a Chinese editor explains said so (toml_parse.h).
StatusOr<toml::table> ParseToml(std::string_view bytes, const std::string& file) {
  return ParseTomlFile(bytes, file, {Msg::kPolicyNotUtf8, Msg::kPolicySyntaxFullWidth, Msg::kPolicySyntax});
}

int64_t LineOf(const toml::node& node) { return static_cast<int64_t>(node.source().begin.line); }

// "yuan": an integer, or a string of yuan ("6000.50"); never a float.
std::optional<Money> LineAmount(const toml::node& node) {
  if (const auto* i = node.as_integer()) {
    if (i->get() > Money::kMaxFen / 100 || i->get() < -Money::kMaxFen / 100) return std::nullopt;
    return Money::FromYuan(i->get());
  }
  if (const auto* s = node.as_string()) {
    StatusOr<Money> m = ParseMoney(s->get());
    if (m.ok()) return *m;
  }
  return std::nullopt;
}

// "area": a province, prefecture or county code.
std::optional<AreaCode> LineArea(const toml::node& node) {
  const auto* text = node.as_string();
  if (text == nullptr) return std::nullopt;
  StatusOr<AreaCode> code = AreaCode::Parse(text->get());
  if (!code.ok() || code->level() > AreaLevel::kCounty) return std::nullopt;
  return *code;
}

// A positive exact decimal from a string ("1.5") or an integer; a float is refused.
std::optional<Decimal> Factor(const toml::node& node) {
  std::optional<Decimal> d;
  if (const auto* i = node.as_integer()) d = Decimal{i->get(), 0};
  if (const auto* s = node.as_string()) {
    StatusOr<Decimal> parsed = ParseDecimal(s->get());
    if (parsed.ok()) d = *parsed;
  }
  if (!d || d->units <= 0) return std::nullopt;
  return d;
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

// The keys a table of the policy file may hold. The reader reads every key through
// `operator()`, which does not compile for a key the list lacks; so the list an unknown key is
// told from (SectionReader::CheckKeys) is the list of the keys read, and cannot drift from it.
template <size_t N>
class TableKeys {
 public:
  template <typename... K>
  consteval explicit TableKeys(K... keys) : keys_{std::string_view(keys)...} {}

  //! `key`, checked at compile time to be in the list.
  consteval std::string_view operator()(std::string_view key) const {
    for (std::string_view k : keys_) {
      if (k == key) return k;
    }
    throw "a key the reader reads is missing from its table's list";  // not a constant: a compile error
  }

  bool Has(std::string_view key) const { return std::find(keys_.begin(), keys_.end(), key) != keys_.end(); }
  std::vector<std::string_view> List() const { return {keys_.begin(), keys_.end()}; }

 private:
  std::array<std::string_view, N> keys_;
};
template <typename... K>
TableKeys(K...) -> TableKeys<sizeof...(K)>;

// The top level: the sections. Those in kArraySections are arrays of tables ([[rule]]), the
// others tables ([score]).
constexpr TableKeys kSections("policy", "monitoring_line", "findings", "triggers", "category", "rule", "score");
constexpr std::array<std::string_view, 3> kArraySections = {"monitoring_line", "category", "rule"};

bool IsArraySection(std::string_view name) {
  return std::find(kArraySections.begin(), kArraySections.end(), name) != kArraySections.end();
}

// How a section is written in the file: "[[rule]]", "[score]", or "name" for a plain value.
std::string Written(std::string_view name, const toml::node& value) {
  if (value.is_array()) return "[[" + std::string(name) + "]]";
  if (value.is_table()) return "[" + std::string(name) + "]";
  return std::string(name);
}

// How a known section is to be written.
std::string Header(std::string_view name) {
  return IsArraySection(name) ? "[[" + std::string(name) + "]]" : "[" + std::string(name) + "]";
}

// [policy]
constexpr TableKeys kPolicyKeys("name", "region");

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string RiskTypesJoined() {
  std::string out;
  for (const RiskType& r : RiskTypes()) out += (out.empty() ? "" : "、") + std::string(r.label_zh);
  return out;
}

// Reads the sections of a policy file, recording every problem (with the line and column of
// the offending value, or of its table when a key is missing) rather than stopping at the first.
class SectionReader {
 public:
  SectionReader(std::string file, std::string_view text, std::vector<PolicyProblem>* problems)
      : file_(std::move(file)), text_(text), problems_(problems) {}

  // Every key and section of the file that none of the readers reads, and a section written
  // in the wrong form ([rule] for [[rule]]).
  void CheckSections(const toml::table& doc) {
    for (const auto& [key, value] : doc) {
      const std::string_view name = key.str();
      const int line = static_cast<int>(key.source().begin.line);
      if (!kSections.Has(name)) {
        std::vector<std::string> headers;
        for (std::string_view s : kSections.List()) headers.push_back(Header(s));
        const std::string_view near = ClosestName(name, kSections.List());
        const std::string hint = near.empty() ? Tr(Msg::kPolicyKeysAllowed, Join(headers))
                                              : Tr(Msg::kPolicyDidYouMean, Header(near));
        Add(key.source(),
            Error(StatusCode::kInvalidArgument, Msg::kPolicySectionUnknown, file_, line, Written(name, value), hint));
        continue;
      }
      const bool right = IsArraySection(name) ? value.is_array_of_tables() : value.is_table();
      if (!right) {
        Add(key.source(), Error(StatusCode::kInvalidArgument, Msg::kPolicySectionShape, file_, line,
                                Written(name, value), Header(name)));
      }
    }
  }

  void PolicySection(const toml::table& doc, Policy* policy) {
    const toml::table* t = doc[kSections("policy")].as_table();
    if (t == nullptr) return;
    CheckKeys(*t, kPolicyKeys, "[policy]");
    policy->name = Text(*t, kPolicyKeys("name"), "[policy]");
    policy->region = Text(*t, kPolicyKeys("region"), "[policy]");
  }

  // [[monitoring_line]]
  static constexpr TableKeys kLineKeys{"area", "year", "yuan", "source"};

  std::vector<MonitoringLine> Lines(const toml::table& doc) {
    std::vector<MonitoringLine> out;
    const toml::array* array = doc[kSections("monitoring_line")].as_array();
    if (array == nullptr || array->empty()) {
      AddInFile(Error(StatusCode::kInvalidArgument, Msg::kPolicyNoLines, file_));
      return out;
    }
    std::map<std::pair<std::string, int>, int> seen;  // (area, year) -> line in the file
    for (const toml::node& node : *array) {
      const toml::table* t = node.as_table();
      if (t == nullptr) {
        LineField(node, "area", Msg::kPolicyExpectArea);
        continue;
      }
      CheckKeys(*t, kLineKeys, "[[monitoring_line]]");
      std::optional<MonitoringLine> line = ReadLine(*t);
      if (!line) continue;
      auto [it, inserted] = seen.emplace(std::make_pair(line->area, line->year), line->line);
      if (!inserted) {
        const toml::node& year = *t->get(kLineKeys("year"));
        Add(year, Error(StatusCode::kInvalidArgument, Msg::kPolicyLineDuplicate, file_, LineOf(year), line->area,
                        line->year, it->second));
        continue;
      }
      out.push_back(std::move(*line));
    }
    return out;
  }

  // [findings]
  static constexpr TableKeys kFindingsKeys{"assistance_income_factor", "temporary_assistance_months",
                                           "school_age_from", "school_age_to", "source"};

  FindingsPolicy Findings(const toml::table& doc) {
    FindingsPolicy f;
    const toml::table* t = doc[kSections("findings")].as_table();
    if (t == nullptr || !t->contains(kFindingsKeys("assistance_income_factor"))) {
      const Status missing =
          Error(StatusCode::kInvalidArgument, Msg::kPolicyFindingsMissing, file_, "assistance_income_factor");
      if (t == nullptr) {
        AddInFile(missing);
        return f;
      }
      Add(*t, missing);
    }
    CheckKeys(*t, kFindingsKeys, "[findings]");
    if (const toml::node* n = t->get(kFindingsKeys("assistance_income_factor"))) {
      std::optional<Decimal> factor = Factor(*n);
      if (factor) f.assistance_income_factor = *factor;
      else FindingsError(*n, "assistance_income_factor", Msg::kPolicyExpectFactor);
    }
    FindingsInt(*t, kFindingsKeys("temporary_assistance_months"), 1, 120, Msg::kPolicyExpectMonths,
                &f.temporary_assistance_months);
    FindingsInt(*t, kFindingsKeys("school_age_from"), 0, 30, Msg::kPolicyExpectAge, &f.school_age_from);
    FindingsInt(*t, kFindingsKeys("school_age_to"), 0, 30, Msg::kPolicyExpectAge, &f.school_age_to);
    if (const toml::node* n = t->get(kFindingsKeys("source"))) {
      f.source = n->value_or(std::string());
      if (f.source.empty()) FindingsError(*n, "source", Msg::kPolicyExpectSource);
    }
    if (f.school_age_from > f.school_age_to) {
      const toml::node* from = t->get(kFindingsKeys("school_age_from"));
      FindingsError(from != nullptr ? *from : *t, "school_age_from", Msg::kPolicyExpectAge);
    }
    return f;
  }

  std::vector<Trigger> Triggers(const toml::table& doc) {
    std::vector<Trigger> out;
    const toml::table* t = doc[kSections("triggers")].as_table();
    if (t == nullptr) return out;
    for (const auto& [key, node] : *t) {
      std::optional<Trigger> trigger = ReadTrigger(std::string(key.str()), node);
      if (trigger) out.push_back(std::move(*trigger));
    }
    return out;
  }

  // [[category]]
  static constexpr TableKeys kCategoryKeys{"id", "label", "label_en"};

  std::vector<CategoryDef> Categories(const toml::table& doc) {
    std::vector<CategoryDef> out;
    const toml::array* array = doc[kSections("category")].as_array();
    if (array == nullptr) return out;
    for (const toml::node& node : *array) {
      CategoryDef c;
      c.line = static_cast<int>(LineOf(node));
      if (const toml::table* t = node.as_table()) {
        CheckKeys(*t, kCategoryKeys, "[[category]]");
        c.id = (*t)[kCategoryKeys("id")].value_or(std::string());
        c.label_zh = (*t)[kCategoryKeys("label")].value_or(std::string());
        c.label_en = (*t)[kCategoryKeys("label_en")].value_or(c.id);
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

  // [[rule]]
  static constexpr TableKeys kRuleKeys{"id",       "when",    "category",   "risks", "severity",
                                       "weight",   "explain", "explain_en", "source"};

  std::vector<RuleDef> Rules(const toml::table& doc, const Policy& policy) {
    std::vector<RuleDef> out;
    const toml::array* array = doc[kSections("rule")].as_array();
    if (array == nullptr || array->empty()) {
      // Without rules a screen opens no warning at all, silently: most likely the rules were
      // cut from the file by mistake.
      AddInFile(Error(StatusCode::kInvalidArgument, Msg::kPolicyNoRules, file_));
      return out;
    }
    std::map<std::string, int> seen;  // id -> line
    int index = 0;
    for (const toml::node& node : *array) {
      std::optional<RuleDef> rule = ReadRule(node, ++index, policy);
      if (!rule) continue;
      auto [it, inserted] = seen.emplace(rule->id, rule->line);
      if (!inserted) {
        const toml::node& id = *node.as_table()->get(kRuleKeys("id"));
        Add(id, Error(StatusCode::kInvalidArgument, Msg::kPolicyRuleDuplicate, file_, LineOf(id), rule->id, it->second));
        continue;
      }
      out.push_back(std::move(*rule));
    }
    if (out.size() == array->size() &&
        std::none_of(out.begin(), out.end(), [](const RuleDef& r) { return !r.category.empty(); })) {
      AddInFile(Error(StatusCode::kInvalidArgument, Msg::kPolicyNoWarningRules, file_, out.size()));
    }
    return out;
  }

  // [score]
  static constexpr TableKeys kScoreKeys{"severity_points", "shortfall_points", "rigid_points"};

  ScorePolicy Score(const toml::table& doc) {
    ScorePolicy score;
    const toml::table* t = doc[kSections("score")].as_table();
    if (t == nullptr) return score;
    CheckKeys(*t, kScoreKeys, "[score]");
    if (const toml::node* n = t->get(kScoreKeys("severity_points"))) {
      const toml::array* a = n->as_array();
      bool ok = a != nullptr && a->size() == 3;
      for (size_t i = 0; ok && i < 3; ++i) {
        std::optional<int64_t> v = Points(a->get(i));
        ok = v.has_value();
        if (ok) score.severity_points[i] = *v;
      }
      if (!ok) ScoreError(*n, "severity_points", Msg::kPolicyExpectSeverityPoints);
    }
    ReadPoints(*t, kScoreKeys("shortfall_points"), &score.shortfall_points);
    ReadPoints(*t, kScoreKeys("rigid_points"), &score.rigid_points);
    return score;
  }

 private:
  void Add(const toml::source_region& at, const Status& s) {
    problems_->push_back({static_cast<int>(at.begin.line), static_cast<int>(at.begin.column), s.kind(), s.message()});
  }
  void Add(const toml::node& at, const Status& s) { Add(at.source(), s); }

  // Records a problem for every key of `t` (the `table` of the file) that `keys` does not list,
  // at the key, with the listed key nearest in spelling ("did you mean …?"), or else the list.
  template <size_t N>
  void CheckKeys(const toml::table& t, const TableKeys<N>& keys, std::string_view table) {
    for (const auto& [key, value] : t) {
      if (keys.Has(key.str())) continue;
      const std::vector<std::string_view> known = keys.List();
      const std::string_view near = ClosestName(key.str(), known);
      const std::vector<std::string> names(known.begin(), known.end());
      const std::string hint =
          near.empty() ? Tr(Msg::kPolicyKeysAllowed, Join(names)) : Tr(Msg::kPolicyDidYouMean, near);
      Add(key.source(), Error(StatusCode::kInvalidArgument, Msg::kPolicyKeyUnknown, file_,
                              static_cast<int64_t>(key.source().begin.line), table, key.str(), hint));
    }
  }

  // An optional text value: empty when absent; any other type is a mistake said so, not
  // silently dropped (name = 2025 meant "2025").
  std::string Text(const toml::table& t, std::string_view key, std::string_view table) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return {};
    if (const auto* s = n->as_string()) return s->get();
    Add(*n, Error(StatusCode::kInvalidArgument, Msg::kPolicyField, file_, LineOf(*n), table, key,
                  Tr(Msg::kPolicyExpectText)));
    return {};
  }

  // A problem of the file as a whole (a section missing): no position.
  void AddInFile(const Status& s) { problems_->push_back({0, 0, s.kind(), s.message()}); }

  // Records a problem with one field of a monitoring line; always false.
  bool LineField(const toml::node& at, std::string_view field, Msg expected) {
    Add(at, Error(StatusCode::kInvalidArgument, Msg::kPolicyField, file_, LineOf(at), "[[monitoring_line]]", field,
                  Tr(expected)));
    return false;
  }

  std::optional<MonitoringLine> ReadLine(const toml::table& t) {
    MonitoringLine line;
    line.line = static_cast<int>(LineOf(t));
    bool ok = true;
    const toml::node* area = t.get(kLineKeys("area"));
    std::optional<AreaCode> code = area != nullptr ? LineArea(*area) : std::nullopt;
    if (code) {
      line.area = code->str();
      line.area_line = static_cast<int>(area->source().begin.line);
      line.area_column = static_cast<int>(area->source().begin.column);
    } else {
      ok = LineField(area != nullptr ? *area : t, "area", Msg::kPolicyExpectArea);
    }
    const toml::node* year = t.get(kLineKeys("year"));
    const auto* year_value = year != nullptr ? year->as_integer() : nullptr;
    if (year_value != nullptr && year_value->get() >= kMinYear && year_value->get() <= kMaxYear) {
      line.year = static_cast<int>(year_value->get());
    } else {
      ok = LineField(year != nullptr ? *year : t, "year", Msg::kPolicyExpectYear);
    }
    const toml::node* yuan = t.get(kLineKeys("yuan"));
    std::optional<Money> amount = yuan != nullptr ? LineAmount(*yuan) : std::nullopt;
    if (!amount) {
      ok = LineField(yuan != nullptr ? *yuan : t, "yuan", Msg::kPolicyExpectYuan);
    } else if (amount->fen() <= 0) {
      Add(*yuan, Error(StatusCode::kInvalidArgument, Msg::kPolicyLineAmount, file_, LineOf(*yuan), line.area,
                       line.year, amount->ToString()));
      ok = false;
    } else {
      line.amount = *amount;
    }
    const toml::node* source = t.get(kLineKeys("source"));
    line.source = source != nullptr ? source->value_or(std::string()) : std::string();
    if (line.source.empty()) ok = LineField(source != nullptr ? *source : t, "source", Msg::kPolicyExpectSource);
    if (!ok) return std::nullopt;
    return line;
  }

  void FindingsError(const toml::node& at, std::string_view key, Msg expected) {
    Add(at, Error(StatusCode::kInvalidArgument, Msg::kPolicyFindingsValue, file_, LineOf(at), key, Tr(expected)));
  }

  void FindingsInt(const toml::table& t, std::string_view key, int lo, int hi, Msg expected, int* out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    const auto* i = n->as_integer();
    if (i == nullptr || i->get() < lo || i->get() > hi) return FindingsError(*n, key, expected);
    *out = static_cast<int>(i->get());
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

  // [triggers.NAME]
  static constexpr TableKeys kTriggerKeys{"yuan", "value", "source"};

  std::optional<Trigger> ReadTrigger(std::string name, const toml::node& node) {
    Trigger t;
    t.name = std::move(name);
    t.line = static_cast<int>(LineOf(node));
    const toml::table* table = node.as_table();
    std::optional<Decimal> value;
    if (table != nullptr) {
      CheckKeys(*table, kTriggerKeys, "[triggers." + t.name + "]");
      t.source = (*table)[kTriggerKeys("source")].value_or(std::string());
      const toml::node* yuan = table->get(kTriggerKeys("yuan"));
      const toml::node* number = table->get(kTriggerKeys("value"));
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

  // `index`: the rule's position among the [[rule]] tables (1-based), which names a rule
  // without an id in messages.
  std::optional<RuleDef> ReadRule(const toml::node& node, int index, const Policy& policy) {
    RuleDef r;
    r.line = static_cast<int>(LineOf(node));
    const toml::table* t = node.as_table();
    rule_name_ = Tr(Msg::kPolicyRuleNth, index, r.line);
    if (t == nullptr) return FieldProblem(node, r, "id", Msg::kPolicyExpectRuleId);
    CheckKeys(*t, kRuleKeys, "[[rule]]");
    const toml::node* id = t->get(kRuleKeys("id"));
    r.id = id != nullptr ? id->value_or(std::string()) : std::string();
    const bool id_ok = IsRuleId(r.id);
    if (!r.id.empty()) rule_name_ = r.id;
    if (!id_ok) FieldProblem(id != nullptr ? *id : node, r, "id", Msg::kPolicyExpectRuleId);
    ReadWhen(*t, &r);
    ReadCategory(*t, policy, &r);
    ReadRisks(*t, &r);
    ReadSeverity(*t, policy, &r);
    ReadExplain(*t, &r);
    const toml::node* source = t->get(kRuleKeys("source"));
    r.source = source != nullptr ? source->value_or(std::string()) : std::string();
    if (r.source.empty()) FieldProblem(source != nullptr ? *source : node, r, "source", Msg::kPolicyExpectSource);
    // With its other fields' problems recorded, a rule whose expression is there is still
    // returned, so that `hearth policy check` also reports the expression's errors.
    if (!id_ok || r.when.empty()) return std::nullopt;
    return r;
  }

  // Records a problem with one field of the rule being read; always nullopt.
  std::optional<RuleDef> FieldProblem(const toml::node& at, const RuleDef&, std::string_view field, Msg expected) {
    Add(at, Error(StatusCode::kInvalidArgument, Msg::kPolicyRuleField, file_, LineOf(at), rule_name_, field,
                  Tr(expected)));
    return std::nullopt;
  }

  // "explain" (required) and "explain_en" (default: the Chinese template), with where each
  // template's characters start in the file.
  void ReadExplain(const toml::table& t, RuleDef* r) {
    const toml::node* zh = t.get(kRuleKeys("explain"));
    if (zh == nullptr || !zh->is_string() || zh->as_string()->get().empty()) {
      FieldProblem(zh != nullptr ? *zh : static_cast<const toml::node&>(t), *r, "explain", Msg::kPolicyExpectExplain);
    } else {
      r->explain_zh = zh->as_string()->get();
      std::tie(r->explain_line, r->explain_column) = StringContentStart(*zh);
    }
    r->explain_en = r->explain_zh;
    r->explain_en_line = r->explain_line;
    r->explain_en_column = r->explain_column;
    const toml::node* en = t.get(kRuleKeys("explain_en"));
    if (en == nullptr) return;
    if (!en->is_string() || en->as_string()->get().empty()) {
      FieldProblem(*en, *r, "explain_en", Msg::kPolicyExpectExplainEn);
      return;
    }
    r->explain_en = en->as_string()->get();
    std::tie(r->explain_en_line, r->explain_en_column) = StringContentStart(*en);
  }

  bool ReadWhen(const toml::table& t, RuleDef* r) {
    const toml::node* when = t.get(kRuleKeys("when"));
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

  std::string_view LineText(int line) const { return LineAt(text_, line); }

  bool ReadCategory(const toml::table& t, const Policy& policy, RuleDef* r) {
    const toml::node* node = t.get(kRuleKeys("category"));
    if (node == nullptr) return true;  // a risk marker
    r->category = node->value_or(std::string());
    for (const CategoryDef& c : policy.categories) {
      if (c.id == r->category) return true;
    }
    std::string defined;
    for (const CategoryDef& c : policy.categories) defined += (defined.empty() ? "" : ", ") + c.id;
    Add(*node, Error(StatusCode::kInvalidArgument, Msg::kPolicyCategoryUnknown, file_, LineOf(*node), rule_name_,
                     r->category, defined));
    return false;
  }

  bool ReadRisks(const toml::table& t, RuleDef* r) {
    const toml::node* node = t.get(kRuleKeys("risks"));
    if (node == nullptr) return true;
    const toml::array* a = node->as_array();
    if (a == nullptr || a->size() > 5) return FieldProblem(*node, *r, "risks", Msg::kPolicyExpectRisks).has_value();
    bool ok = true;
    for (const toml::node& item : *a) {
      std::string name = item.value_or(std::string());
      const RiskType* risk = FindRiskType(name);
      if (risk == nullptr) {
        Add(item, Error(StatusCode::kInvalidArgument, Msg::kPolicyRiskUnknown, file_, LineOf(item), rule_name_, name,
                        RiskTypesJoined()));
        ok = false;
        continue;
      }
      r->risks.emplace_back(risk->key);
    }
    return ok;
  }

  bool ReadSeverity(const toml::table& t, const Policy& policy, RuleDef* r) {
    const toml::node* node = t.get(kRuleKeys("severity"));
    const auto* severity = node != nullptr ? node->as_integer() : nullptr;
    if (severity == nullptr || severity->get() < 1 || severity->get() > 3) {
      return FieldProblem(node != nullptr ? *node : static_cast<const toml::node&>(t), *r, "severity",
                          Msg::kPolicyExpectSeverity).has_value();
    }
    r->severity = static_cast<int>(severity->get());
    r->weight = policy.score.severity_points[r->severity - 1];
    if (const toml::node* weight = t.get(kRuleKeys("weight"))) {
      std::optional<int64_t> v = Points(weight);
      if (!v) return FieldProblem(*weight, *r, "weight", Msg::kPolicyExpectPoints).has_value();
      r->weight = *v;
    }
    return true;
  }

  std::string file_;
  std::string_view text_;
  std::vector<PolicyProblem>* problems_;
  std::string rule_name_;  //!< the rule being read, as messages name it
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
  SectionReader reader{name, text, problems};
  reader.CheckSections(doc);
  reader.PolicySection(doc, &policy);
  policy.lines = reader.Lines(doc);
  policy.findings = reader.Findings(doc);
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
