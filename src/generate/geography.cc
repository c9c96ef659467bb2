#include "generate/geography.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <unordered_map>

#include "core/area_code.h"
#include "core/messages.h"
#include "generate/params.h"
#include "generate/rng.h"

namespace hearth::gen {
namespace {

// One line of the vendored division files: code,"name",... (names never hold commas).
struct DivisionLine {
  std::string code;
  std::string name;
  std::string parent;  // the third column: the enclosing code for townships and villages
};

std::string Unquote(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
  return std::string(cell);
}

std::vector<std::string_view> SplitComma(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      cells.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return cells;
}

StatusOr<std::vector<DivisionLine>> ReadDivisionFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error(StatusCode::kNotFound, Msg::kGenAdminData, path.string(), "missing");
  std::vector<DivisionLine> lines;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string_view> cells = SplitComma(line);
    if (cells.size() < 3) {
      return Error(StatusCode::kDataLoss, Msg::kGenAdminData, path.string(), "line \"" + line + "\"");
    }
    lines.push_back({Unquote(cells[0]), Unquote(cells[1]), Unquote(cells[2])});
  }
  return lines;
}

// A village committee (村委会) rather than an urban community: NBS codes 200-599 within a
// township are rural, and the name says 村.
bool IsRuralVillage(const DivisionLine& v) {
  if (v.code.size() != 12) return false;
  const int serial = std::stoi(v.code.substr(9));
  return serial >= 200 && serial < 600 && v.name.find("村") != std::string::npos;
}

StatusOr<std::string> RegionPrefix(std::string_view region) {
  if (region.empty()) return std::string();
  StatusOr<AreaCode> code = AreaCode::Parse(region);
  if (!code.ok() || !code->str().starts_with("65")) {
    return Error(StatusCode::kInvalidArgument, Msg::kGenRegion, region);
  }
  return code->str();
}

bool InRegion(std::string_view code, std::string_view prefix) {
  if (!prefix.empty()) return code.starts_with(prefix);
  for (std::string_view p : Geography::kSouthernPrefectures) {
    if (code.starts_with(p)) return true;
  }
  return false;
}

}  // namespace

StatusOr<Geography> Geography::Load(const std::filesystem::path& data_dir, std::string_view region) {
  HEARTH_ASSIGN_OR_RETURN(std::string prefix, RegionPrefix(region));
  const std::filesystem::path dir = data_dir / "admin-divisions";
  HEARTH_ASSIGN_OR_RETURN(std::vector<DivisionLine> counties, ReadDivisionFile(dir / "counties.csv"));
  HEARTH_ASSIGN_OR_RETURN(std::vector<DivisionLine> townships, ReadDivisionFile(dir / "townships.csv"));
  HEARTH_ASSIGN_OR_RETURN(std::vector<DivisionLine> villages, ReadDivisionFile(dir / "villages.csv"));

  Geography geo;
  std::unordered_map<std::string, int> county_index, township_index;
  // Villages decide which townships and counties are kept, so that every kept area has one.
  for (const DivisionLine& v : villages) {
    if (!IsRuralVillage(v) || !InRegion(v.code, prefix)) continue;
    const std::string county_code = v.code.substr(0, 6), township_code = v.code.substr(0, 9);
    if (!county_index.contains(county_code)) {
      auto it =
          std::find_if(counties.begin(), counties.end(), [&](const DivisionLine& c) { return c.code == county_code; });
      if (it == counties.end()) continue;
      county_index[county_code] = static_cast<int>(geo.counties_.size());
      geo.counties_.push_back({it->code, it->name});
    }
    if (!township_index.contains(township_code)) {
      auto it = std::find_if(townships.begin(), townships.end(),
                             [&](const DivisionLine& t) { return t.code == township_code; });
      if (it == townships.end()) continue;
      township_index[township_code] = static_cast<int>(geo.townships_.size());
      geo.townships_.push_back({it->code, it->name, county_index[county_code]});
    }
    geo.villages_.push_back({v.code, v.name, township_index[township_code]});
  }
  if (geo.villages_.empty()) {
    return Error(StatusCode::kInvalidArgument, Msg::kGenRegion, region.empty() ? "6529-6532" : region);
  }
  geo.label_ = region.empty() ? "6529-6532" : std::string(region);
  for (const DivisionLine& c : counties) {
    if (!county_index.contains(c.code)) {
      geo.outside_county_ = c.code;
      break;
    }
  }
  if (geo.outside_county_.empty()) geo.outside_county_ = "620102";  // 兰州市城关区 (Gansu)
  return geo;
}

std::vector<int64_t> ApportionWithCap(int64_t total, const std::vector<int64_t>& weights, int64_t cap) {
  const size_t n = weights.size();
  std::vector<int64_t> counts(n, 0);
  std::vector<bool> open(n, true);
  int64_t left = total;
  // Each round shares what is left among the villages below the cap; capped villages close.
  while (left > 0) {
    int64_t weight_sum = 0;
    for (size_t i = 0; i < n; ++i) weight_sum += open[i] ? weights[i] : 0;
    if (weight_sum == 0) break;
    std::vector<std::pair<int64_t, size_t>> remainders;  // (remainder, index)
    int64_t given = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!open[i]) continue;
      const __int128 share = static_cast<__int128>(left) * weights[i];
      const int64_t whole = static_cast<int64_t>(share / weight_sum);
      counts[i] += whole;
      given += whole;
      remainders.push_back({static_cast<int64_t>(share % weight_sum), i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t k = 0; k < remainders.size() && given < left; ++k, ++given) ++counts[remainders[k].second];
    left = 0;
    for (size_t i = 0; i < n; ++i) {
      if (counts[i] > cap) {
        left += counts[i] - cap;
        counts[i] = cap;
      }
      if (counts[i] >= cap) open[i] = false;
    }
  }
  return counts;
}

StatusOr<HouseholdLayout> HouseholdLayout::Make(const Geography& geo, int64_t households, uint64_t seed) {
  const int64_t villages = static_cast<int64_t>(geo.villages().size());
  if (households > kMaxPerVillage * villages) {
    return Error(StatusCode::kInvalidArgument, Msg::kGenRegionTooSmall, households, geo.label(), villages);
  }
  Rng rng(seed, Stream::kVillages, 0);
  std::vector<int64_t> weights;
  weights.reserve(geo.villages().size());
  for (int64_t i = 0; i < villages; ++i) {
    weights.push_back(std::max<int64_t>(1, std::llround(1000.0 * rng.LogNormal(1.0, params::kVillageSizeSigma))));
  }
  std::vector<int64_t> counts = ApportionWithCap(households, weights, kMaxPerVillage);
  HouseholdLayout layout;
  layout.first_.resize(counts.size() + 1, 0);
  std::partial_sum(counts.begin(), counts.end(), layout.first_.begin() + 1);
  return layout;
}

VillageSlot HouseholdLayout::At(int64_t g) const {
  auto it = std::upper_bound(first_.begin(), first_.end(), g);
  const int village = static_cast<int>(it - first_.begin()) - 1;
  return {village, static_cast<int>(g - first_[village]) + 1};
}

}  // namespace hearth::gen
