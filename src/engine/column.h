// A number or money feature column held at the narrowest signed width that stores every value
// exactly (1, 2, 4 or 8 bytes): the rules are bound by memory bandwidth, and most features
// (counts, per-person amounts in fen) fit in 16 or 32 bits. A column starts at one byte; a value
// that does not fit widens the whole column, so nothing is ever truncated, and a column only
// appended to is always at the narrowest width for its values.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace hearth {

class NumberColumn {
 public:
  size_t size() const { return width_ == 8 ? wide_.size() : narrow_.size() / static_cast<size_t>(width_); }
  int width() const { return width_; }
  int64_t Get(size_t row) const;
  //! Appends a value (widening the column when it does not fit).
  void Push(int64_t v);
  //! Appends every value of `other` (widening this column to `other`'s width when narrower).
  void Append(const NumberColumn& other);
  //! Replaces a value (widening the column when it does not fit).
  void Set(size_t row, int64_t v);
  //! Releases unused capacity.
  void ShrinkToFit() {
    wide_.shrink_to_fit();
    narrow_.shrink_to_fit();
  }
  const int64_t* wide() const { return width_ == 8 ? wide_.data() : nullptr; }
  const void* narrow() const { return width_ == 8 ? nullptr : narrow_.data(); }
  size_t Bytes() const { return wide_.capacity() * sizeof(int64_t) + narrow_.capacity(); }

 private:
  static int WidthFor(int64_t v);
  void Recode(int width);
  void Write(size_t row, int64_t v);

  int width_ = 1;
  std::vector<int64_t> wide_;   // width 8
  std::vector<uint8_t> narrow_;  // widths 1, 2, 4: size() * width bytes
};

}  // namespace hearth
