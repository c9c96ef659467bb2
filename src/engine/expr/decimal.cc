#include "engine/expr/decimal.h"

#include <cassert>
#include <limits>

namespace hearth::expr {

int64_t Pow10(int n) {
  assert(n >= 0 && n <= kMaxScale);
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

bool FitsInt64(Wide v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

Wide Rescale(int64_t units, int from, int to) {
  assert(to >= from);
  return static_cast<Wide>(units) * Pow10(to - from);
}

Exact Normalize(Exact v) {
  while (v.scale > 0 && v.units % 10 == 0) {
    v.units /= 10;
    --v.scale;
  }
  return v;
}

int Compare(Exact a, Exact b) {
  const int scale = a.scale > b.scale ? a.scale : b.scale;
  const Wide x = Rescale(a.units, a.scale, scale);
  const Wide y = Rescale(b.units, b.scale, scale);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Wide FloorDiv(Wide a, Wide b) {
  assert(b > 0);
  const Wide q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

Wide CeilDiv(Wide a, Wide b) {
  assert(b > 0);
  const Wide q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

LiteralError ParseLiteral(std::string_view digits, Exact* value) {
  const size_t dot = digits.find('.');
  const int scale = dot == std::string_view::npos ? 0 : static_cast<int>(digits.size() - dot - 1);
  if (scale > kMaxLiteralScale) return LiteralError::kTooManyDecimals;
  Wide units = 0;
  for (char c : digits) {
    if (c == '.') continue;
    units = units * 10 + (c - '0');
    if (!FitsInt64(units)) return LiteralError::kTooLarge;
  }
  *value = Exact{static_cast<int64_t>(units), scale};
  return LiteralError::kNone;
}

}  // namespace hearth::expr
