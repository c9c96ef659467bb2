#include "store/postgres/pg_copy.h"

namespace hearth::pg {

void CopyBuffer::Separate() {
  if (row_open_) data_.push_back('\t');
  row_open_ = true;
}

CopyBuffer& CopyBuffer::Field(int64_t v) {
  Separate();
  data_ += std::to_string(v);
  return *this;
}

CopyBuffer& CopyBuffer::Field(std::string_view v) {
  Separate();
  // COPY's text format: backslash escapes for the delimiter, line ends and the backslash.
  for (char c : CleanText(v, &scratch_)) {
    switch (c) {
      case '\\': data_ += "\\\\"; break;
      case '\t': data_ += "\\t"; break;
      case '\n': data_ += "\\n"; break;
      case '\r': data_ += "\\r"; break;
      default: data_.push_back(c);
    }
  }
  return *this;
}

CopyBuffer& CopyBuffer::Null() {
  Separate();
  data_ += "\\N";
  return *this;
}

void CopyBuffer::EndRow() {
  data_.push_back('\n');
  row_open_ = false;
  ++rows_;
}

Status CopyBuffer::Flush(Conn& conn) {
  if (rows_ == 0) return Status::Ok();
  Status s = conn.CopyRows(target_, data_);
  Clear();
  return s;
}

void CopyBuffer::Clear() {
  data_.clear();
  rows_ = 0;
  row_open_ = false;
}

}  // namespace hearth::pg
