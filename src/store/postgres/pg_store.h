// The PostgreSQL backend of Store, for a prefecture or the region as a shared service: many
// concurrent Hearth processes, backups, replicas (docs/DEPLOYMENT.md). Chosen with a libpq
// connection URI (postgresql://user@host:port/database?...) wherever a SQLite file is named.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace hearth {

//! True when `db` names a PostgreSQL database (a postgresql:// or postgres:// URI).
bool IsPostgresUri(std::string_view db);

//! `db` as it may be shown (printed, logged): a PostgreSQL URI with its password masked; a file
//! name as it is.
std::string DisplayDatabase(const std::string& db);

//! Opens a PostgreSQL store; see OpenStore in store.h. With kCreate a missing database is
//! created (when the user may) and migrated. Kinds: "db_connect" (server unreachable,
//! authentication), "db_missing" (kExisting: no such database, or not initialised),
//! "db_not_hearth", "db_encoding", "schema_too_new", "db_connection_lost".
StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, OpenMode mode);

}  // namespace hearth
