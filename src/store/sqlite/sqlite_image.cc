// The SQLite store: engine images (engine/image.h) and what the imports since one changed.
#include "core/clock.h"
#include "core/messages.h"
#include "store/record_rules.h"
#include "store/sqlite/sqlite_internal.h"

namespace hearth::sqlite_impl {

StatusOr<ImportsSeen> SqliteStore::CommittedImports() {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT id FROM imports ORDER BY id"));
  std::vector<int64_t> ids;
  HEARTH_RETURN_IF_ERROR(q.ForEachRow([&] { ids.push_back(q.Int(0)); }));
  return store_rules::SeenFromIds(ids);
}

StatusOr<ImageChanges> SqliteStore::ChangesSince(const ImportsSeen& seen) {
  // One read transaction: the imports and their events as of one moment (within a write
  // transaction, as SaveWarnings asks, that one).
  const bool own = sqlite3_get_autocommit(db_.raw()) != 0;
  if (own) HEARTH_RETURN_IF_ERROR(db_.Exec("BEGIN"));
  struct EndRead {  // a read transaction: nothing to roll back
    Db& db;
    bool own;
    ~EndRead() {
      if (own) (void)db.Exec("COMMIT");
    }
  } end{db_, own};
  HEARTH_ASSIGN_OR_RETURN(Stmt imports, db_.Prepare(
      "SELECT id, registry_changed FROM imports WHERE id > ?1 OR id IN (SELECT value FROM json_each(?2)) ORDER BY id"));
  imports.Bind(1, seen.max_id).Bind(2, JsonIds(seen.missing));
  ImageChanges changes;
  std::vector<int64_t> fresh;
  HEARTH_RETURN_IF_ERROR(imports.ForEachRow([&] {
    fresh.push_back(imports.Int(0));
    changes.registry = changes.registry || imports.Int(1) != 0;
  }));
  changes.imports = static_cast<int64_t>(fresh.size());
  if (fresh.empty() || changes.registry) return changes;
  // The households with events of those imports (new facts, corrections, retractions), and
  // every household of a village with a village-wide one.
  HEARTH_ASSIGN_OR_RETURN(Stmt households, db_.Prepare(
      "SELECT e.household_id FROM events e WHERE e.import_id IN (SELECT value FROM json_each(?1)) "
      "  AND e.household_id IS NOT NULL "
      "UNION SELECT h.id FROM households h WHERE h.village_code IN ("
      "  SELECT e.village_code FROM events e WHERE e.import_id IN (SELECT value FROM json_each(?1)) "
      "  AND e.household_id IS NULL AND e.village_code IS NOT NULL) "
      "ORDER BY 1"));
  households.Bind(1, JsonIds(fresh));
  HEARTH_RETURN_IF_ERROR(households.ForEachRow([&] { changes.households.push_back(households.Int(0)); }));
  return changes;
}

StatusOr<EngineImageHead> SqliteStore::SaveEngineImage(
    EngineImageHead head, const std::function<StatusOr<std::optional<std::string>>()>& next) {
  HEARTH_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  bool done = false;
  struct Rollback {
    Db& db;
    bool& done;
    ~Rollback() {
      if (!done) (void)db.Exec("ROLLBACK");
    }
  } rollback{db_, done};
  if (head.created_at == 0) head.created_at = SystemClock().NowMicros();
  HEARTH_ASSIGN_OR_RETURN(Stmt insert, db_.Prepare(
      "INSERT INTO engine_images (created_at, format, households, chunks, bytes, max_import, missing_imports) "
      "VALUES (?, ?, ?, 0, 0, ?, ?)"));
  insert.Bind(1, head.created_at).Bind(2, head.format).Bind(3, head.households);
  insert.Bind(4, head.imports.max_id).Bind(5, store_rules::JoinIds(head.imports.missing));
  HEARTH_RETURN_IF_ERROR(insert.Run());
  head.id = db_.LastInsertRowId();
  HEARTH_ASSIGN_OR_RETURN(Stmt chunk, db_.Prepare("INSERT INTO engine_image_chunks (image_id, seq, data) VALUES (?, ?, ?)"));
  int64_t seq = 0;
  head.bytes = 0;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(std::optional<std::string> data, next());
    if (!data) break;
    chunk.Bind(1, head.id).Bind(2, seq++).BindBlob(3, *data);
    HEARTH_RETURN_IF_ERROR(chunk.Run());
    head.bytes += static_cast<int64_t>(data->size());
  }
  head.chunks = seq > 0 ? seq - 1 : 0;
  HEARTH_ASSIGN_OR_RETURN(Stmt finish, db_.Prepare("UPDATE engine_images SET chunks = ?, bytes = ? WHERE id = ?"));
  HEARTH_RETURN_IF_ERROR(finish.Bind(1, head.chunks).Bind(2, head.bytes).Bind(3, head.id).Run());
  // The image replaces every earlier one (derived data: nothing of the record is lost).
  HEARTH_ASSIGN_OR_RETURN(Stmt old_chunks, db_.Prepare("DELETE FROM engine_image_chunks WHERE image_id <> ?"));
  HEARTH_RETURN_IF_ERROR(old_chunks.Bind(1, head.id).Run());
  HEARTH_ASSIGN_OR_RETURN(Stmt old_heads, db_.Prepare("DELETE FROM engine_images WHERE id <> ?"));
  HEARTH_RETURN_IF_ERROR(old_heads.Bind(1, head.id).Run());
  HEARTH_RETURN_IF_ERROR(db_.Exec("COMMIT"));
  done = true;
  return head;
}

StatusOr<std::optional<EngineImageHead>> SqliteStore::LatestEngineImage() {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare(
      "SELECT id, created_at, format, households, chunks, bytes, max_import, missing_imports "
      "FROM engine_images ORDER BY id DESC LIMIT 1"));
  HEARTH_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<EngineImageHead>();
  EngineImageHead head;
  head.id = q.Int(0);
  head.created_at = q.Int(1);
  head.format = static_cast<int>(q.Int(2));
  head.households = q.Int(3);
  head.chunks = q.Int(4);
  head.bytes = q.Int(5);
  head.imports.max_id = q.Int(6);
  HEARTH_ASSIGN_OR_RETURN(head.imports.missing, store_rules::ParseIds(q.View(7)));
  return std::optional<EngineImageHead>(std::move(head));
}

StatusOr<std::string> SqliteStore::EngineImageChunk(int64_t image_id, int64_t seq) {
  HEARTH_ASSIGN_OR_RETURN(Stmt q, db_.Prepare("SELECT data FROM engine_image_chunks WHERE image_id = ? AND seq = ?"));
  q.Bind(1, image_id).Bind(2, seq);
  HEARTH_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return Error(StatusCode::kNotFound, Msg::kEngineImageMissing, image_id, seq);
  return std::string(q.Blob(0));
}

}  // namespace hearth::sqlite_impl
