// The planner: typed tree -> Plan, a flat list of vector steps. Each step is one kernel
// (kernels.h) applied to column data, scratch registers or constants, writing a register or,
// for the last step, the caller's output. Registers are reused as soon as their value has
// been read, so a rule needs only a few chunk-sized buffers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/expr/binder.h"
#include "engine/expr/kernels.h"

namespace hearth::expr {

enum class SlotKind : uint8_t {
  kNone,
  kNumberColumn,  //!< Columns::numbers[index]
  kBoolColumn,    //!< Columns::bools[index]
  kWide,          //!< int64 scratch register `index`
  kByte,          //!< byte scratch register `index`
  kOutput,        //!< the caller's output bytes
};

struct Slot {
  SlotKind kind = SlotKind::kNone;
  int index = 0;
};

struct Step {
  KernelOp op = KernelOp::kFill;
  Form form = Form::kUnary;
  Scaled scaled = Scaled::kNone;
  Kernel kernel = nullptr;
  Slot a;
  Slot b;               //!< kNone unless form is kVectorVector
  Slot out;
  int64_t ka = 1;       //!< see KernelArgs
  int64_t kb = 1;
  //! When a is a number column held narrow (Columns::narrow) of width 1, 2, 4: the kernel
  //! reading it as is (FindNarrowKernel, by log2 of the width), or nullptr to widen it first.
  Kernel narrow[3] = {nullptr, nullptr, nullptr};
};

struct Plan {
  std::vector<Step> steps;       //!< the last one writes kOutput
  int wide_registers = 0;
  int byte_registers = 0;
  std::vector<Slot> columns;     //!< every column slot the steps read, once
  std::vector<std::string> names;
};

//! The plan computing the bool `root` (as the binder made it) into the output.
Plan MakePlan(const BoundNode& root, std::vector<std::string> names);

//! One line per step: "lt n1, #600000 -> out", "and b0, y0 -> out", "gt n2*10, w0 -> y0".
std::string FormatPlan(const Plan& plan);

}  // namespace hearth::expr
