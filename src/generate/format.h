// Fast text formatting for the generator's hot paths (millions of rows): integers and amounts
// appended to a buffer without allocating.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace hearth::gen {

inline void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

//! Appends fen as yuan with two decimals and no separators: 123456 -> "1234.56", -5 -> "-0.05".
inline void AppendFen(int64_t fen, std::string* out) {
  if (fen < 0) {
    out->push_back('-');
    fen = -fen;
  }
  AppendInt(fen / 100, out);
  const int cents = static_cast<int>(fen % 100);
  out->push_back('.');
  out->push_back(static_cast<char>('0' + cents / 10));
  out->push_back(static_cast<char>('0' + cents % 10));
}

//! Appends a number with at least `width` digits, zero-padded.
inline void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  for (int n = static_cast<int>(end - buf); n < width; ++n) out->push_back('0');
  out->append(buf, end);
}

}  // namespace hearth::gen
