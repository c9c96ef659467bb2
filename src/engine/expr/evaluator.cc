// Evaluate and EvaluateRow (declared in expr.h): run a Plan's steps over chunks of rows.
#include <algorithm>
#include <cassert>
#include <memory>

#include "engine/expr/expr.h"
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

// Where the slots of one chunk are: rows [row, row + n) of the columns, the registers, and
// the output for those rows.
struct Frame {
  const Columns& cols;
  const Scratch& scratch;
  size_t row;
  uint8_t* out;

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
};

void RunChunk(const Plan& plan, const Frame& frame, size_t n) {
  for (const Step& step : plan.steps) {
    const KernelArgs args{frame.At(step.a), frame.At(step.b), frame.At(step.out), step.ka, step.kb, n};
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
    if (s.kind == SlotKind::kNumberColumn) assert(i < cols.numbers.size() && cols.numbers[i] != nullptr);
    if (s.kind == SlotKind::kBoolColumn) assert(i < cols.bools.size() && cols.bools[i] != nullptr);
  }
#endif
}

}  // namespace

void Evaluate(const Program& p, const Columns& cols, size_t begin, size_t end, uint8_t* out) {
  if (begin >= end) return;
  const Plan& plan = p.plan();
  AssertColumns(plan, cols, end);
  const Scratch scratch(plan.wide_registers, plan.byte_registers, end - begin);
  const size_t capacity = scratch.capacity();
  for (size_t row = begin; row < end; row += capacity) {
    const size_t n = std::min(capacity, end - row);
    RunChunk(plan, Frame{cols, scratch, row, out + (row - begin)}, n);
  }
}

void EvaluateAll(std::span<const Program> programs, const Columns& cols, size_t begin, size_t end,
                 std::span<uint8_t* const> outs) {
  assert(programs.size() == outs.size());
  if (begin >= end || programs.empty()) return;
  int wide_registers = 0;
  int byte_registers = 0;
  for (const Program& p : programs) {
    AssertColumns(p.plan(), cols, end);
    wide_registers = std::max(wide_registers, p.plan().wide_registers);
    byte_registers = std::max(byte_registers, p.plan().byte_registers);
  }
  const Scratch scratch(wide_registers, byte_registers, end - begin);
  const size_t capacity = scratch.capacity();
  for (size_t row = begin; row < end; row += capacity) {
    const size_t n = std::min(capacity, end - row);
    for (size_t i = 0; i < programs.size(); ++i) {
      RunChunk(programs[i].plan(), Frame{cols, scratch, row, outs[i] + (row - begin)}, n);
    }
  }
}

bool EvaluateRow(const Program& p, const Columns& cols, size_t row) {
  const Plan& plan = p.plan();
  AssertColumns(plan, cols, row + 1);
  const Scratch scratch(plan.wide_registers, plan.byte_registers, 1);
  uint8_t result = 0;
  RunChunk(plan, Frame{cols, scratch, row, &result}, 1);
  return result != 0;
}

}  // namespace hearth::expr
