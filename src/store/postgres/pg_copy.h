// Rows buffered in COPY's text format, sent to the server in one COPY ... FROM STDIN.
// Not part of the Store interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/postgres/pg.h"

namespace hearth::pg {

//! The rows waiting for one table. Fields are added left to right, then EndRow().
class CopyBuffer {
 public:
  //! `table_and_columns`: "persons (household_id, name, ...)".
  explicit CopyBuffer(std::string table_and_columns) : target_(std::move(table_and_columns)) {}

  CopyBuffer& Field(int64_t v);
  CopyBuffer& Field(int v) { return Field(static_cast<int64_t>(v)); }
  CopyBuffer& Field(std::string_view v);
  CopyBuffer& Field(const std::string& v) { return Field(std::string_view(v)); }
  CopyBuffer& Field(const char* v) { return Field(std::string_view(v)); }
  CopyBuffer& Null();
  template <typename T>
  CopyBuffer& Field(const std::optional<T>& v) {
    return v ? Field(*v) : Null();
  }
  void EndRow();

  size_t rows() const { return rows_; }
  size_t bytes() const { return data_.size(); }
  bool empty() const { return rows_ == 0; }
  //! Sends the rows (if any) into the connection's COPY for this table (see Conn::CopyRows)
  //! and empties the buffer.
  Status Flush(Conn& conn);
  //! Forgets the rows (the transaction is rolled back).
  void Clear();

 private:
  void Separate();

  std::string target_;
  std::string data_;
  std::string scratch_;
  size_t rows_ = 0;
  bool row_open_ = false;
};

}  // namespace hearth::pg
