#include "engine/column.h"

#include <algorithm>
#include <bit>

namespace hearth {

int NumberColumn::WidthFor(int64_t v) {
  if (v >= INT8_MIN && v <= INT8_MAX) return 1;
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

int64_t NumberColumn::Get(size_t row) const {
  const uint8_t* p = narrow_.data() + row * static_cast<size_t>(width_);
  switch (width_) {
    case 1: { int8_t v; std::memcpy(&v, p, 1); return v; }
    case 2: { int16_t v; std::memcpy(&v, p, 2); return v; }
    case 4: { int32_t v; std::memcpy(&v, p, 4); return v; }
    default: return wide_[row];
  }
}

void NumberColumn::Write(size_t row, int64_t v) {
  uint8_t* p = narrow_.data() + row * static_cast<size_t>(width_);
  switch (width_) {
    case 1: { const int8_t x = static_cast<int8_t>(v); std::memcpy(p, &x, 1); return; }
    case 2: { const int16_t x = static_cast<int16_t>(v); std::memcpy(p, &x, 2); return; }
    case 4: { const int32_t x = static_cast<int32_t>(v); std::memcpy(p, &x, 4); return; }
    default: wide_[row] = v;
  }
}

void NumberColumn::Push(int64_t v) {
  if (WidthFor(v) > width_) Recode(WidthFor(v));
  if (width_ == 8) {
    wide_.push_back(v);
    return;
  }
  // The value's low bytes (little-endian x86-64, as Write stores them), without zero-filling
  // first: a build pushes every feature of every household.
  static_assert(std::endian::native == std::endian::little);
  uint8_t bytes[8];
  std::memcpy(bytes, &v, sizeof v);
  narrow_.insert(narrow_.end(), bytes, bytes + width_);
}

void NumberColumn::Append(const NumberColumn& other) {
  if (other.width_ > width_) Recode(other.width_);
  const size_t at = size(), n = other.size();
  // Exactly the room needed: a column appended once (an engine's parts joined) is not doubled.
  if (width_ == 8) {
    wide_.reserve(at + n);
  } else {
    narrow_.reserve((at + n) * static_cast<size_t>(width_));
  }
  if (other.width_ == width_) {
    if (width_ == 8) wide_.insert(wide_.end(), other.wide_.begin(), other.wide_.end());
    else narrow_.insert(narrow_.end(), other.narrow_.begin(), other.narrow_.end());
    return;
  }
  if (width_ == 8) wide_.resize(at + n);
  else narrow_.resize((at + n) * static_cast<size_t>(width_));
  for (size_t r = 0; r < n; ++r) Write(at + r, other.Get(r));
}

void NumberColumn::Set(size_t row, int64_t v) {
  if (WidthFor(v) > width_) Recode(WidthFor(v));
  Write(row, v);
}

void NumberColumn::Recode(int width) {
  const size_t n = size();
  std::vector<int64_t> values(n);
  for (size_t r = 0; r < n; ++r) values[r] = Get(r);
  wide_.clear();
  narrow_.clear();
  width_ = width;
  if (width_ == 8) {
    wide_ = std::move(values);
    return;
  }
  narrow_.resize(n * static_cast<size_t>(width_));
  for (size_t r = 0; r < n; ++r) Write(r, values[r]);
}

}  // namespace hearth
