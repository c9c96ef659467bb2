#include "store/store.h"

#include <algorithm>

#include "core/area_code.h"

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace hearth {

std::string_view RowOutcomeName(RowOutcome o) {
  switch (o) {
    case RowOutcome::kRejected: return "rejected";
    case RowOutcome::kUnmatched: return "unmatched";
    case RowOutcome::kDuplicate: return "duplicate";
    case RowOutcome::kFlagged: return "flagged";
  }
  return "rejected";
}

RowOutcome RowOutcomeFromName(std::string_view name) {
  for (RowOutcome o : {RowOutcome::kUnmatched, RowOutcome::kDuplicate, RowOutcome::kFlagged}) {
    if (RowOutcomeName(o) == name) return o;
  }
  return RowOutcome::kRejected;
}

std::vector<std::string> ImportTransaction::TakeNotedHouseholds() {
  std::vector<std::string> codes = std::move(noted_households_);
  noted_households_.clear();
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

std::string ImportTransaction::SmallestAreaHolding(const std::set<std::string>& villages) {
  if (villages.empty()) return "";
  return CommonAreaCode(*villages.begin(), *villages.rbegin());  // sorted: the extremes share the least
}

StatusOr<std::vector<Area>> Store::PathToRoot(const std::string& code) {
  std::vector<Area> path;
  std::string current = code;
  while (!current.empty()) {
    HEARTH_ASSIGN_OR_RETURN(Area a, GetArea(current));
    current = a.parent_code;
    path.insert(path.begin(), std::move(a));
  }
  return path;
}

StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, OpenMode mode) {
  if (IsPostgresUri(path)) return OpenPostgresStore(path, mode);
  return OpenSqliteStore(path, mode);
}

}  // namespace hearth
