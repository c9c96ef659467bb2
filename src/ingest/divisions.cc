#include "ingest/divisions.h"

#include <unordered_set>

#include "core/messages.h"
#include "ingest/table.h"

namespace hearth {
namespace {

struct DivisionFile {
  const char* name;
  AreaLevel level;
  int64_t DivisionCounts::*count;
};

constexpr DivisionFile kFiles[] = {
    {"provinces.csv", AreaLevel::kProvince, &DivisionCounts::provinces},
    {"prefectures.csv", AreaLevel::kPrefecture, &DivisionCounts::prefectures},
    {"counties.csv", AreaLevel::kCounty, &DivisionCounts::counties},
    {"townships.csv", AreaLevel::kTownship, &DivisionCounts::townships},
    {"villages.csv", AreaLevel::kVillage, &DivisionCounts::villages},
};

Status BadLine(const DivisionFile& f, int64_t line, std::string_view why) {
  return Error(StatusCode::kInvalidArgument, Msg::kDivisionsInvalid, f.name, line, why);
}

// Parses one row into an Area whose parent was already read.
StatusOr<Area> ReadDivision(const DivisionFile& f, const HeaderMatch& header, const TableRow& row,
                            const std::unordered_set<std::string>& known) {
  StatusOr<AreaCode> code = AreaCode::Parse(header.Cell(row, 0));
  if (!code.ok()) return BadLine(f, row.line, code.status().message());
  if (code->level() != f.level) return BadLine(f, row.line, code->str());
  Area area{code->str(), std::string(header.Cell(row, 1)), f.level, ""};
  if (auto parent = code->Parent()) {
    if (!known.contains(parent->str())) return BadLine(f, row.line, parent->str());
    area.parent_code = parent->str();
  }
  return area;
}

Status ReadFile(const std::filesystem::path& dir, const DivisionFile& f, std::vector<Area>* areas,
                std::unordered_set<std::string>* known, DivisionCounts* counts) {
  HEARTH_ASSIGN_OR_RETURN(auto reader, OpenTable(dir / f.name, TableOptions{}));
  HEARTH_ASSIGN_OR_RETURN(HeaderMatch header, FindHeader(*reader, {{"code", {"代码"}, true}, {"name", {"名称"}, true}}));
  TableRow row;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
    if (!more) break;
    if (IsBlankRow(row)) continue;
    HEARTH_ASSIGN_OR_RETURN(Area area, ReadDivision(f, header, row, *known));
    known->insert(area.code);
    areas->push_back(std::move(area));
    ++(counts->*f.count);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<DivisionCounts> LoadDivisions(Store& store, const std::filesystem::path& dir) {
  std::vector<Area> areas;
  std::unordered_set<std::string> known;
  DivisionCounts counts;
  for (const DivisionFile& f : kFiles) HEARTH_RETURN_IF_ERROR(ReadFile(dir, f, &areas, &known, &counts));
  HEARTH_RETURN_IF_ERROR(store.LoadAreas(areas));
  return counts;
}

}  // namespace hearth
