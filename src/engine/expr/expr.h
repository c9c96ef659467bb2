// The policy expression language: small boolean rules over per-household feature columns.
//
// A rule in the policy file is an expression such as
//   is_tuopin && income_pc_12m < line
//   medical_selfpay_12m > 0.5 * income_prev_12m && !has_assistance
//   income_pc_12m < 0.7 * income_pc_prev_12m || disaster_loss_12m >= yuan(10000)
// Compile takes it through these stages, one file each:
//   lexer.h    text -> tokens (byte offsets kept for every token)
//   parser.h   tokens -> syntax tree (precedence climbing)
//   binder.h   syntax tree + Catalog -> typed tree (names, types, exact constant folding)
//   planner.h  typed tree -> a flat list of vector steps (the Program)
//   evaluator  runs the steps over chunks of 1024 rows (kernels.h holds the tight loops)
//
// Language (low to high precedence): `||`; `&&`; `==` `!=`; `<` `<=` `>` `>=` (not
// chainable: `a < b < c` is a syntax error); `+` `-`; `*`; unary `!` `-`; parentheses.
// Literals: 6000, 0.5, true, false. Names: [A-Za-z_][A-Za-z0-9_.]*, resolved in a Catalog.
// Functions: yuan(number) -> money, min(a, b), max(a, b), abs(a). There is no `/`: division is
// not exact, so a rule multiplies the other side instead (`a > 0.5 * b`).
//
// Types: bool, number, money. Numbers and money are exact decimals `units / 10^scale` held in
// int64; money is a number of yuan (a money column holds fen, scale 2). Money and plain numbers
// do not mix in + - min max and comparisons (write yuan(6000), not 6000), except that a number
// exactly 0 is also zero yuan (`income > 0`). number * money is money, money * money an error.
// `0.5 * money` is money with scale 3, kept exact, never rounded. Nothing is ever a binary
// floating point value.
//
// Exact range: every intermediate value, in units of its scale (for + - min max and
// comparisons the larger scale of the two operands, for * the sum of the scales, at most 18),
// must stay within int64 (|v| <= 9.2e18). For money that is ample: 1e14 fen (Money::kMaxFen)
// times a factor with up to three decimals below 9 (0.7, 1.5, 2.25) stays inside. Constant
// subtrees are folded at compile time, where an overflow is the error "expr_number_range". At
// run time arithmetic saturates at +-(2^63 - 1) instead of wrapping around, so a value out of
// range never changes sign and compares beyond every in-range value but the limit itself. A
// comparison with a constant never multiplies at all (10v < 25 runs as v < 3) and is exact for
// every input. Saturation is compares and selects inside the vector loops; measured end to end
// it costs nothing visible (the evaluator is bound by memory bandwidth).
//
// Speed: compiled programs run as a few vector steps over chunks of 1024 rows, with kernels
// built for AVX-512, AVX2 and plain x86-64 and picked by the CPU at run time (kernels.h).
// `is_tuopin && income_pc_12m < line` takes about 0.5 ms per million rows; a rule costs
// roughly the time to read its columns from memory, so run a policy's rules together with
// EvaluateAll, which reads each column once, and hold number and money columns at the
// narrowest width that holds their values (Columns::narrow: int8, int16 or int32 instead of
// int64), which cuts the bytes read by two to eight times for the same exact results.
//
// Usage:
//   expr::Catalog catalog;
//   catalog.AddColumn("is_tuopin", expr::Type::kBool, 0, 0);
//   catalog.AddColumn("income_pc_12m", expr::Type::kMoney, 2, 1);
//   catalog.AddConstant("line", expr::Type::kMoney, 600000, 2);   // 6000.00 yuan
//   auto compiled = expr::Compile("is_tuopin && income_pc_12m < line", catalog);
//   if (auto* problems = std::get_if<std::vector<expr::Problem>>(&compiled)) { ... report ... }
//   const expr::Program& rule = std::get<expr::Program>(compiled);
//   expr::Columns cols{rows, {nullptr, income.data()}, {tuopin.data(), nullptr}};
//   // or, with income held as int32 fen:  cols.numbers[1] = nullptr;
//   //                                     cols.narrow = {{}, {income32.data(), 4}};
//   std::vector<uint8_t> hit(rows);
//   expr::Evaluate(rule, cols, 0, rows, hit.data());
//   bool one = expr::EvaluateRow(rule, cols, 17);                     // one household
//
// Thread safety: a Catalog is not synchronised (build it, then share it read-only). A Program
// is immutable; any number of threads may evaluate the same Program at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hearth::expr {

//! The type of a value. Stored values: do not renumber.
enum class Type : uint8_t { kBool = 0, kNumber = 1, kMoney = 2 };

//! "bool", "number", "money".
std::string_view TypeName(Type t);
//! The type in the current language, for messages: "布尔值（条件）", "数值", "金额" (or "a bool" ...).
std::string TypeLabel(Type t);

//! A feature column a rule may name. Numbers are exact decimals: value = units / 10^scale
//! (scale 0..9). Money is yuan held in fen: always scale 2. `index` is the position of the
//! column in the Columns the evaluator gets.
struct ColumnRef {
  std::string name;
  Type type = Type::kNumber;
  int scale = 0;
  int index = 0;
};

//! A named constant (a monitoring line, a threshold): value = units / 10^scale; bools are
//! 0 or 1 with scale 0.
struct Constant {
  std::string name;
  Type type = Type::kNumber;
  int64_t units = 0;
  int scale = 0;
};

//! The names a rule may use. Adding a name that exists (as a column or a constant) replaces
//! the earlier entry. Not synchronised: build it, then share it read-only.
class Catalog {
 public:
  //! Adds a column. Preconditions: scale in 0..9, money has scale 2, bool has scale 0,
  //! index >= 0 (checked by assert in debug builds).
  void AddColumn(std::string name, Type type, int scale, int index);
  //! Adds a constant. Preconditions: scale in 0..18; a bool is 0 or 1 with scale 0.
  void AddConstant(std::string name, Type type, int64_t units, int scale);
  //! The column named `name`, or nullptr. The pointer lives until the next Add.
  const ColumnRef* FindColumn(std::string_view name) const;
  //! The constant named `name`, or nullptr. The pointer lives until the next Add.
  const Constant* FindConstant(std::string_view name) const;
  //! Every name (columns and constants), sorted; for "did you mean" suggestions.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, ColumnRef, std::less<>> columns_;
  std::map<std::string, Constant, std::less<>> constants_;
};

//! One error in one expression.
struct Problem {
  //! Byte offset in the expression text (0-based) where the problem starts. A problem at the
  //! end of the text ("a &&") has offset == text.size() and length 0.
  int offset = 0;
  //! Bytes it covers.
  int length = 1;
  //! Stable key: "expr_syntax", "expr_too_deep", "expr_too_long", "expr_unknown_name",
  //! "expr_unknown_function", "expr_arity", "expr_type_mismatch", "expr_not_bool",
  //! "expr_division", "expr_number_range", "expr_yuan_precision".
  std::string kind;
  //! What is wrong and how to fix it, in the current language (see core/messages.h). Quotes
  //! the offending token or operand; the caller adds the file position.
  std::string message;
};

struct Plan;  // planner.h

//! A bound, ready-to-run boolean expression. Immutable; cheap to copy (copies share the plan);
//! safe to evaluate from many threads at once.
class Program {
 public:
  explicit Program(std::shared_ptr<const Plan> plan) : plan_(std::move(plan)) {}

  //! The catalog names (columns and constants) the rule refers to, in first-use order, each
  //! once; constants folded away are still listed.
  const std::vector<std::string>& Names() const;
  //! One line per vector step, e.g. "lt n1, #600000 -> y0" then "and b0, y0 -> out" (n/b: number
  //! and bool columns, w/y: int64 and byte registers, #: a constant); for tests and debugging.
  std::string DebugString() const;
  const Plan& plan() const { return *plan_; }

 private:
  std::shared_ptr<const Plan> plan_;
};

//! Parses and binds `text` against `catalog`; the expression must be boolean. On failure
//! returns the problems found, ordered by offset: all bad characters, or the first syntax
//! error, or every independent name and type problem (an operand with a problem does not
//! cause further problems in the expressions around it).
std::variant<Program, std::vector<Problem>> Compile(std::string_view text, const Catalog& catalog);

//! The feature columns the evaluator reads: for each catalog column index, a pointer to
//! `rows` values. Number and money columns hold integer units at the column's scale, as int64
//! in `numbers` or, to save memory bandwidth, as narrower signed integers in `narrow`; bool
//! columns hold bytes (0 is false, anything else true).
struct Columns {
  size_t rows = 0;
  std::vector<const int64_t*> numbers;  //!< by index; nullptr for bool and narrow columns
  std::vector<const uint8_t*> bools;    //!< by index; nullptr for number/money columns
  //! Number/money columns held narrower than int64 (signed integers of `width` bytes: 1, 2 or 4),
  //! by index; used when numbers[i] is nullptr. May be empty (all int64). Values are exactly the
  //! int64 values they stand for (the same units and scale as the catalog says).
  struct Narrow { const void* data = nullptr; int width = 0; };
  std::vector<Narrow> narrow;
};

//! Evaluates the program for rows [begin, end) into out[0 .. end-begin) as 0/1 bytes.
//! Preconditions: begin <= end <= cols.rows; every column the program uses has a non-null
//! pointer of its kind: a bool column in `bools`, a number/money column in `numbers` or else in
//! `narrow` with width 1, 2 or 4 (checked by assert in debug builds); `out` does not overlap a
//! column. Results do not depend on how a column is held: a narrow column gives exactly what
//! the int64 column of the same values gives (each chunk of it is sign-extended to int64 in
//! L1 before the step that reads it).
//! Works in chunks of up to 1024 rows with scratch memory on the call's stack (32 KiB; the heap
//! only for rules with dozens of intermediate values), so calling it on small ranges, e.g.
//! chunk by chunk, is cheap too. Thread-safe.
void Evaluate(const Program& p, const Columns& cols, size_t begin, size_t end, uint8_t* out);

//! Evaluates several programs over rows [begin, end) in one pass, outs[i] receiving what
//! Evaluate(programs[i], ...) would write. Chunk by chunk, every program runs before the next
//! chunk is read, so a column several rules use comes from memory once: evaluation is bound by
//! memory bandwidth, so this is the way to run a policy's rules over a whole column set.
//! Preconditions as for Evaluate, for every program; programs.size() == outs.size().
void EvaluateAll(std::span<const Program> programs, const Columns& cols, size_t begin, size_t end,
                 std::span<uint8_t* const> outs);

//! The same for one row (the per-household path); never allocates. Preconditions as for
//! Evaluate, with row < cols.rows.
bool EvaluateRow(const Program& p, const Columns& cols, size_t row);

}  // namespace hearth::expr
