// The SQLite backend of Store: one file, WAL journal, foreign keys on, one writer.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace hearth {

//! Opens or creates a SQLite store; see OpenStore in store.h.
StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, OpenMode mode);

}  // namespace hearth
