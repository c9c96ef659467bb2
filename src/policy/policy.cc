#include "policy/policy.h"

#include <sodium.h>

#include <fstream>
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

}  // namespace

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

StatusOr<Policy> LoadPolicy(const std::filesystem::path& file) {
  const std::string name = file.string();
  HEARTH_ASSIGN_OR_RETURN(std::string bytes, ReadBytes(file));
  HEARTH_ASSIGN_OR_RETURN(toml::table doc, ParseToml(bytes, name));
  Policy policy;
  policy.file = name;
  policy.digest = Sha256Digest(bytes);
  policy.name = doc["policy"]["name"].value_or(std::string());
  policy.region = doc["policy"]["region"].value_or(std::string());
  HEARTH_ASSIGN_OR_RETURN(policy.lines, ReadLines(doc, name));
  HEARTH_ASSIGN_OR_RETURN(policy.findings, ReadFindings(doc, name));
  return policy;
}

StatusOr<Policy> LoadDefaultPolicy(const std::string& data_dir_override) {
  HEARTH_ASSIGN_OR_RETURN(std::filesystem::path dir, FindDataDir(data_dir_override));
  return LoadPolicy(dir / "policy" / "default.toml");
}

}  // namespace hearth
