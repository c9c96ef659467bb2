// Compile, Catalog and Program (expr.h); the stages are in lexer, parser, binder, planner.
#include "engine/expr/expr.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "engine/expr/binder.h"
#include "engine/expr/lexer.h"
#include "engine/expr/parser.h"
#include "engine/expr/planner.h"
#include "engine/expr/problems.h"

namespace hearth::expr {
namespace {

// Offsets are ints; policy rules are a line or two.
constexpr size_t kMaxTextBytes = 64 * 1024;

}  // namespace

std::string_view TypeName(Type t) {
  switch (t) {
    case Type::kBool: return "bool";
    case Type::kNumber: return "number";
    case Type::kMoney: return "money";
  }
  return "?";
}

std::string TypeLabel(Type t) {
  switch (t) {
    case Type::kBool: return Tr(Msg::kExprTypeBool);
    case Type::kNumber: return Tr(Msg::kExprTypeNumber);
    case Type::kMoney: return Tr(Msg::kExprTypeMoney);
  }
  return "?";
}

void Catalog::AddColumn(std::string name, Type type, int scale, int index) {
  assert(scale >= 0 && scale <= 9 && index >= 0);
  assert(type != Type::kMoney || scale == 2);
  assert(type != Type::kBool || scale == 0);
  constants_.erase(name);
  ColumnRef column{name, type, scale, index};
  columns_.insert_or_assign(std::move(name), std::move(column));
}

void Catalog::AddConstant(std::string name, Type type, int64_t units, int scale) {
  assert(scale >= 0 && scale <= 18);
  assert(type != Type::kBool || ((units == 0 || units == 1) && scale == 0));
  columns_.erase(name);
  Constant constant{name, type, units, scale};
  constants_.insert_or_assign(std::move(name), std::move(constant));
}

const ColumnRef* Catalog::FindColumn(std::string_view name) const {
  const auto it = columns_.find(name);
  return it == columns_.end() ? nullptr : &it->second;
}

const Constant* Catalog::FindConstant(std::string_view name) const {
  const auto it = constants_.find(name);
  return it == constants_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, column] : columns_) names.push_back(name);
  for (const auto& [name, constant] : constants_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

const std::vector<std::string>& Program::Names() const { return plan_->names; }

std::string Program::DebugString() const { return FormatPlan(*plan_); }

std::variant<Program, std::vector<Problem>> Compile(std::string_view text, const Catalog& catalog) {
  if (text.size() > kMaxTextBytes) {
    return std::vector<Problem>{MakeProblem(Span{0, 0}, Msg::kExprTooLong, text.size(), kMaxTextBytes)};
  }
  LexResult lexed = Lex(text);
  if (!lexed.problems.empty()) return std::move(lexed.problems);
  ParseResult parsed = Parse(lexed.tokens);
  if (!parsed.problems.empty()) return std::move(parsed.problems);
  BindResult bound = Bind(text, *parsed.root, catalog);
  if (!bound.problems.empty()) return std::move(bound.problems);
  return Program(std::make_shared<const Plan>(MakePlan(*bound.root, std::move(bound.names))));
}

}  // namespace hearth::expr
