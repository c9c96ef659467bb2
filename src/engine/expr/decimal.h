// Exact decimal arithmetic for compile time: literals, constant folding, scale alignment.
// A value is `units / 10^scale`; intermediate results are computed in 128 bits so that an
// overflow of int64 is seen, never wrapped.
#pragma once

#include <cstdint>
#include <string_view>

namespace hearth::expr {

using Wide = __int128;

//! The most decimals a literal may have.
inline constexpr int kMaxLiteralScale = 9;
//! The most decimals any value may have (10^18 is the largest power of ten in int64).
inline constexpr int kMaxScale = 18;

struct Exact {
  int64_t units = 0;
  int scale = 0;
};

//! 10^n for n in 0..18.
int64_t Pow10(int n);
bool FitsInt64(Wide v);
//! `units` (at scale `from`) at scale `to` >= from; to - from <= 18, so it fits in Wide.
Wide Rescale(int64_t units, int from, int to);
//! The same value with trailing decimal zeros removed: (1500, 3) -> (15, 1).
Exact Normalize(Exact v);
//! -1, 0 or 1 as a < b, a == b, a > b, exactly.
int Compare(Exact a, Exact b);
//! Quotients rounded towards minus and plus infinity; b > 0.
Wide FloorDiv(Wide a, Wide b);
Wide CeilDiv(Wide a, Wide b);

enum class LiteralError : uint8_t { kNone, kTooManyDecimals, kTooLarge };

//! Reads a lexer number token ("6000", "0.50") exactly. kTooManyDecimals when it has more
//! than kMaxLiteralScale decimals as written; kTooLarge when its digits exceed int64.
LiteralError ParseLiteral(std::string_view digits, Exact* value);

}  // namespace hearth::expr
