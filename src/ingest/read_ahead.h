// Reading a table ahead on a second thread: while the importer checks, links and stores a batch
// of rows, the next ones are already being decoded (an XLSX sheet's XML is about a third of a
// feed import's time on one core). The rows come out in the same order, with the same errors at
// the same place, and at most `batches` batches of rows are held, whatever the file's size.
#pragma once

#include <memory>

#include "ingest/table.h"

namespace hearth {

//! Wraps `reader`, which from now on is read only by the wrapper's thread. `batch_rows` rows are
//! handed over at a time, and up to `batches` batches are read ahead (by default 8,192 rows: two
//! of the feed import's batches, so that reading goes on while a whole batch is being stored).
std::unique_ptr<TableReader> ReadAhead(std::unique_ptr<TableReader> reader, size_t batch_rows = 1024,
                                       size_t batches = 8);

}  // namespace hearth
