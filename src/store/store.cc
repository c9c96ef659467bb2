#include "store/store.h"

#include "store/sqlite/sqlite_store.h"

namespace hearth {

StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, OpenMode mode) {
  return OpenSqliteStore(path, mode);
}

}  // namespace hearth
