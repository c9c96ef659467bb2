// The PostgreSQL store: engine images (engine/image.h) and what the imports since one changed.
#include "core/clock.h"
#include "core/messages.h"
#include "store/postgres/pg_internal.h"
#include "store/record_rules.h"

namespace hearth::pg_impl {

StatusOr<ImportsSeen> PgStore::CommittedImports() {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query("SELECT id FROM imports ORDER BY id"));
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(q.rows()));
  for (int r = 0; r < q.rows(); ++r) ids.push_back(q.Int(r, 0));
  return store_rules::SeenFromIds(ids);
}

StatusOr<ImageChanges> PgStore::ChangesSince(const ImportsSeen& seen) {
  ImageChanges changes;
  HEARTH_RETURN_IF_ERROR(InOneSnapshot([&]() -> Status {
    HEARTH_ASSIGN_OR_RETURN(Result imports, conn_.Query(
        "SELECT id, registry_changed FROM imports WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id",
        Params().Add(seen.max_id).AddArray(seen.missing)));
    std::vector<int64_t> fresh;
    for (int r = 0; r < imports.rows(); ++r) {
      fresh.push_back(imports.Int(r, 0));
      changes.registry = changes.registry || imports.Int(r, 1) != 0;
    }
    changes.imports = static_cast<int64_t>(fresh.size());
    if (fresh.empty() || changes.registry) return Status::Ok();
    // The households with events of those imports (new facts, corrections, retractions), and
    // every household of a village with a village-wide one.
    HEARTH_ASSIGN_OR_RETURN(Result households, conn_.Query(
        "SELECT e.household_id FROM events e WHERE e.import_id = ANY($1::bigint[]) AND e.household_id IS NOT NULL "
        "UNION SELECT h.id FROM households h WHERE h.village_code IN ("
        "  SELECT e.village_code FROM events e WHERE e.import_id = ANY($1::bigint[]) "
        "  AND e.household_id IS NULL AND e.village_code IS NOT NULL) "
        "ORDER BY 1",
        Params().AddArray(fresh)));
    changes.households.reserve(static_cast<size_t>(households.rows()));
    for (int r = 0; r < households.rows(); ++r) changes.households.push_back(households.Int(r, 0));
    return Status::Ok();
  }));
  return changes;
}

StatusOr<EngineImageHead> PgStore::SaveEngineImage(
    EngineImageHead head, const std::function<StatusOr<std::optional<std::string>>()>& next) {
  // Not under the write lock of imports: an image changes no fact, and saving one must not hold
  // up the offices' imports.
  HEARTH_RETURN_IF_ERROR(conn_.Exec("BEGIN"));
  bool done = false;
  struct Rollback {
    Conn& conn;
    bool& done;
    ~Rollback() {
      if (!done && conn.ok()) (void)conn.Exec("ROLLBACK");
    }
  } rollback{conn_, done};
  if (head.created_at == 0) head.created_at = SystemClock().NowMicros();
  HEARTH_ASSIGN_OR_RETURN(Result inserted, conn_.Query(
      "INSERT INTO engine_images (created_at, format, households, chunks, bytes, max_import, missing_imports) "
      "VALUES ($1, $2, $3, 0, 0, $4, $5) RETURNING id",
      Params().Add(head.created_at).Add(head.format).Add(head.households).Add(head.imports.max_id)
          .Add(store_rules::JoinIds(head.imports.missing))));
  head.id = inserted.Int(0, 0);
  int64_t seq = 0;
  head.bytes = 0;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(std::optional<std::string> data, next());
    if (!data) break;
    HEARTH_RETURN_IF_ERROR(conn_.Query("INSERT INTO engine_image_chunks (image_id, seq, data) VALUES ($1, $2, $3)",
                                       Params().Add(head.id).Add(seq++).AddBytes(*data))
                               .status());
    head.bytes += static_cast<int64_t>(data->size());
  }
  head.chunks = seq > 0 ? seq - 1 : 0;
  HEARTH_RETURN_IF_ERROR(conn_.Query("UPDATE engine_images SET chunks = $1, bytes = $2 WHERE id = $3",
                                     Params().Add(head.chunks).Add(head.bytes).Add(head.id))
                             .status());
  // The image replaces every earlier one (derived data: nothing of the record is lost).
  HEARTH_RETURN_IF_ERROR(conn_.Query("DELETE FROM engine_image_chunks WHERE image_id <> $1", Params().Add(head.id)).status());
  HEARTH_RETURN_IF_ERROR(conn_.Query("DELETE FROM engine_images WHERE id <> $1", Params().Add(head.id)).status());
  done = true;
  HEARTH_RETURN_IF_ERROR(conn_.Exec("COMMIT"));
  return head;
}

StatusOr<std::optional<EngineImageHead>> PgStore::LatestEngineImage() {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.Query(
      "SELECT id, created_at, format, households, chunks, bytes, max_import, missing_imports "
      "FROM engine_images ORDER BY id DESC LIMIT 1"));
  if (q.rows() == 0) return std::optional<EngineImageHead>();
  EngineImageHead head;
  head.id = q.Int(0, 0);
  head.created_at = q.Int(0, 1);
  head.format = static_cast<int>(q.Int(0, 2));
  head.households = q.Int(0, 3);
  head.chunks = q.Int(0, 4);
  head.bytes = q.Int(0, 5);
  head.imports.max_id = q.Int(0, 6);
  HEARTH_ASSIGN_OR_RETURN(head.imports.missing, store_rules::ParseIds(q.View(0, 7)));
  return std::optional<EngineImageHead>(std::move(head));
}

StatusOr<std::string> PgStore::EngineImageChunk(int64_t image_id, int64_t seq) {
  HEARTH_ASSIGN_OR_RETURN(Result q, conn_.QueryBinary(
      "SELECT data FROM engine_image_chunks WHERE image_id = $1 AND seq = $2",
      Params().Add(image_id).Add(seq)));
  if (q.rows() == 0) return Error(StatusCode::kNotFound, Msg::kEngineImageMissing, image_id, seq);
  return q.Text(0, 0);
}

}  // namespace hearth::pg_impl
