// Evaluate and EvaluateRow (declared in expr.h): run a Plan's steps over chunks of rows.
#include <algorithm>
#include <cassert>
#include <memory>

#include "engine/expr/expr.h"
#include "engine/expr/kernels.h"
#include "engine/expr/planner.h"

namespace hearth::expr {
namespace {

// Rows per chunk: a chunk of int64 is 8 KiB, so a rule's registers stay in L1/L2.
constexpr size_t kChunkRows = 1024;
// Scratch kept on the stack (32 KiB): enough for 1024-row chunks of rules with up to three
// int64 and three byte registers; rules with more get smaller chunks, and only a rule with
// dozens of registers goes to the heap. So the usual call never allocates.
constexpr size_t kInlineWords = 4096;
// The smallest chunk worth running from the stack buffer.
constexpr size_t kMinInlineRows = 256;

// The registers of one evaluation: `wide_registers` int64 vectors and `byte_registers` byte
// vectors of capacity() rows each. Owned by one call, so calls never share state.
class Scratch {
 public:
  //! Registers for chunks of up to `rows` rows; capacity() may be smaller (at least
  //! min(rows, kMinInlineRows)).
  Scratch(int wide_registers, int byte_registers, size_t rows)
      : wide_registers_(static_cast<size_t>(wide_registers)), byte_registers_(static_cast<size_t>(byte_registers)) {
    capacity_ = std::min(rows, kChunkRows);
    int64_t* base = inline_;
    if (WordsFor(capacity_) > kInlineWords) {
      const size_t bytes_per_row = 8 * wide_registers_ + byte_registers_;
      const size_t fit = (kInlineWords * 8 / bytes_per_row) / 64 * 64;
      if (fit >= kMinInlineRows) {
        capacity_ = fit;
      } else {
        heap_ = std::make_unique_for_overwrite<int64_t[]>(WordsFor(capacity_));
        base = heap_.get();
      }
    }
    wide_ = base;
    bytes_ = reinterpret_cast<uint8_t*>(base + wide_registers_ * capacity_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  size_t capacity() const { return capacity_; }
  int64_t* wide(int index) const { return wide_ + static_cast<size_t>(index) * capacity_; }
  uint8_t* bytes(int index) const { return bytes_ + static_cast<size_t>(index) * capacity_; }

 private:
  size_t WordsFor(size_t rows) const { return wide_registers_ * rows + (byte_registers_ * rows + 7) / 8; }

  alignas(64) int64_t inline_[kInlineWords];
  std::unique_ptr<int64_t[]> heap_;
  size_t wide_registers_;
  size_t byte_registers_;
  size_t capacity_ = 0;
  int64_t* wide_ = nullptr;
  uint8_t* bytes_ = nullptr;
};

// Whether number column `index` is held narrower than int64 (Columns::narrow).
bool IsNarrow(const Columns& cols, int index) {
  const size_t i = static_cast<size_t>(index);
  return i >= cols.numbers.size() || cols.numbers[i] == nullptr;
}

// The int64 registers a chunk of `plan` needs for widening narrow columns: one per narrow
// column operand of a step, at most two.
int StagingFor(const Plan& plan, const Columns& cols) {
  if (cols.narrow.empty()) return 0;
  int staging = 0;
  for (const Step& step : plan.steps) {
    int n = 0;
    for (const Slot& s : {step.a, step.b}) n += s.kind == SlotKind::kNumberColumn && IsNarrow(cols, s.index);
    staging = std::max(staging, n);
  }
  return staging;
}

// The wideners of this CPU by width (1, 2, 4), found once.
struct Wideners {
  Wideners() {
    for (int width : {1, 2, 4}) by_width[width] = FindWidener(width);
  }
  Widener by_width[5] = {};
};

const Wideners& TheWideners() {
  static const Wideners wideners;
  return wideners;
}

// Where the slots of one chunk are: rows [row, row + n) of the columns, the registers, and
// the output for those rows. A narrow column operand is widened into one of the staging
// registers (wide registers `staging` and `staging + 1`, after the plan's own).
struct Frame {
  const Columns& cols;
  const Scratch& scratch;
  size_t row;
  uint8_t* out;
  int staging;

  void* At(Slot s) const {
    switch (s.kind) {
      case SlotKind::kNone: return nullptr;
      case SlotKind::kNumberColumn: return const_cast<int64_t*>(cols.numbers[s.index] + row);
      case SlotKind::kBoolColumn: return const_cast<uint8_t*>(cols.bools[s.index] + row);
      case SlotKind::kWide: return scratch.wide(s.index);
      case SlotKind::kByte: return scratch.bytes(s.index);
      case SlotKind::kOutput: return out;
    }
    return nullptr;
  }

  // The operand `s` of a step for `n` rows; a narrow column is widened into staging register
  // `*stage`, which then moves on.
  const void* Operand(Slot s, int* stage, size_t n) const {
    if (s.kind != SlotKind::kNumberColumn || !IsNarrow(cols, s.index)) return At(s);
    const Columns::Narrow& column = cols.narrow[static_cast<size_t>(s.index)];
    int64_t* wide = scratch.wide(staging + (*stage)++);
    TheWideners().by_width[column.width](static_cast<const char*>(column.data) + row * static_cast<size_t>(column.width),
                                         wide, n);
    return wide;
  }
};

int Log2(int width) { return width == 1 ? 0 : width == 2 ? 1 : 2; }

void RunChunk(const Plan& plan, const Frame& frame, size_t n) {
  for (const Step& step : plan.steps) {
    if (step.a.kind == SlotKind::kNumberColumn && IsNarrow(frame.cols, step.a.index)) {
      const Columns::Narrow& column = frame.cols.narrow[static_cast<size_t>(step.a.index)];
      const Kernel narrow = step.narrow[Log2(column.width)];
      if (narrow != nullptr) {
        const void* a = static_cast<const char*>(column.data) + frame.row * static_cast<size_t>(column.width);
        int stage = 0;
        const void* b = frame.Operand(step.b, &stage, n);
        narrow(KernelArgs{a, b, frame.At(step.out), step.ka, step.kb, n});
        continue;
      }
    }
    int stage = 0;
    const void* a = frame.Operand(step.a, &stage, n);
    const void* b = frame.Operand(step.b, &stage, n);
    const KernelArgs args{a, b, frame.At(step.out), step.ka, step.kb, n};
    step.kernel(args);
  }
}

// The preconditions on `cols` (debug builds only).
void AssertColumns([[maybe_unused]] const Plan& plan, [[maybe_unused]] const Columns& cols,
                   [[maybe_unused]] size_t end) {
#ifndef NDEBUG
  assert(end <= cols.rows);
  for (const Slot& s : plan.columns) {
    const size_t i = static_cast<size_t>(s.index);
    if (s.kind == SlotKind::kNumberColumn && IsNarrow(cols, s.index)) {
      assert(i < cols.narrow.size() && cols.narrow[i].data != nullptr);
      assert(cols.narrow[i].width == 1 || cols.narrow[i].width == 2 || cols.narrow[i].width == 4);
    }
    if (s.kind == SlotKind::kBoolColumn) assert(i < cols.bools.size() && cols.bools[i] != nullptr);
  }
#endif
}

}  // namespace

void Evaluate(const Program& p, const Columns& cols, size_t begin, size_t end, uint8_t* out) {
  if (begin >= end) return;
  const Plan& plan = p.plan();
  AssertColumns(plan, cols, end);
  const int staging = StagingFor(plan, cols);
  const Scratch scratch(plan.wide_registers + staging, plan.byte_registers, end - begin);
  const size_t capacity = scratch.capacity();
  for (size_t row = begin; row < end; row += capacity) {
    const size_t n = std::min(capacity, end - row);
    RunChunk(plan, Frame{cols, scratch, row, out + (row - begin), plan.wide_registers}, n);
  }
}

void EvaluateAll(std::span<const Program> programs, const Columns& cols, size_t begin, size_t end,
                 std::span<uint8_t* const> outs) {
  assert(programs.size() == outs.size());
  if (begin >= end || programs.empty()) return;
  int wide_registers = 0;
  int byte_registers = 0;
  int staging = 0;
  for (const Program& p : programs) {
    AssertColumns(p.plan(), cols, end);
    wide_registers = std::max(wide_registers, p.plan().wide_registers);
    byte_registers = std::max(byte_registers, p.plan().byte_registers);
    staging = std::max(staging, StagingFor(p.plan(), cols));
  }
  const Scratch scratch(wide_registers + staging, byte_registers, end - begin);
  const size_t capacity = scratch.capacity();
  for (size_t row = begin; row < end; row += capacity) {
    const size_t n = std::min(capacity, end - row);
    for (size_t i = 0; i < programs.size(); ++i) {
      RunChunk(programs[i].plan(), Frame{cols, scratch, row, outs[i] + (row - begin), wide_registers}, n);
    }
  }
}

bool EvaluateRow(const Program& p, const Columns& cols, size_t row) {
  const Plan& plan = p.plan();
  AssertColumns(plan, cols, row + 1);
  const Scratch scratch(plan.wide_registers + StagingFor(plan, cols), plan.byte_registers, 1);
  uint8_t result = 0;
  RunChunk(plan, Frame{cols, scratch, row, &result, plan.wide_registers}, 1);
  return result != 0;
}

}  // namespace hearth::expr
