// hearth summary: households and persons of an area, in two levels: by prefecture and county
// for the whole region or a prefecture; by county and township for a county; by township and
// village for a township.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/messages.h"

namespace hearth::cli {
namespace {

struct SummaryArgs {
  std::string area;
  OutputOptions out;
};

// The two levels a summary of `area` shows.
struct Levels {
  AreaLevel top;
  AreaLevel sub;
};

Levels LevelsFor(const std::string& area) {
  if (area.empty()) return {AreaLevel::kPrefecture, AreaLevel::kCounty};
  AreaLevel level = Check(AreaCode::Parse(area)).level();
  if (level <= AreaLevel::kPrefecture) return {AreaLevel::kPrefecture, AreaLevel::kCounty};
  if (level == AreaLevel::kVillage) return {AreaLevel::kVillage, AreaLevel::kVillage};
  return {level, static_cast<AreaLevel>(static_cast<int>(level) + 1)};
}

nlohmann::json CountJson(const AreaCount& c) {
  return {{"code", c.code},           {"name", c.name},
          {"households", c.households}, {"persons", c.persons},
          {"tuopin_households", c.tuopin_households}, {"relocated_households", c.relocated_households}};
}

AreaCount Total(const std::vector<AreaCount>& rows) {
  AreaCount t;
  for (const AreaCount& r : rows) t.Add(r);
  return t;
}

// Upper-level counts from lower-level counts (one pass over the registry, not two).
std::vector<AreaCount> RollUp(Store& store, const std::vector<AreaCount>& lower, AreaLevel level) {
  std::vector<AreaCount> upper;
  for (const AreaCount& c : lower) {
    std::string code = c.code.substr(0, static_cast<size_t>(AreaLevelDigits(level)));
    if (upper.empty() || upper.back().code != code) upper.push_back({code, Check(store.GetArea(code)).name, 0, 0, 0, 0});
    upper.back().Add(c);
  }
  return upper;
}

void AddCountRow(TextTable& table, const AreaCount& c, const std::string& indent) {
  table.AddRow({indent + c.code, c.name, Thousands(c.households), Thousands(c.persons),
                Thousands(c.tuopin_households), Thousands(c.relocated_households)});
}

void PrintTable(Levels levels, const std::vector<AreaCount>& top, const std::vector<AreaCount>& sub,
                const OutputOptions& out) {
  std::string title = Tr(Msg::kSummaryTitle, AreaLevelLabel(levels.top), AreaLevelLabel(levels.sub));
  if (out.output.empty()) std::cout << title << "\n\n";
  TextTable table({Tr(Msg::kColCode), Tr(Msg::kColName), Tr(Msg::kColHouseholds), Tr(Msg::kColPersons),
                   Tr(Msg::kColTuopin), Tr(Msg::kColRelocated)});
  for (size_t c = 2; c < 6; ++c) table.AlignRight(c);
  for (const AreaCount& t : top) {
    AddCountRow(table, t, "");
    for (const AreaCount& s : sub) {
      if (s.code != t.code && s.code.starts_with(t.code)) AddCountRow(table, s, "  ");
    }
  }
  AreaCount total = Total(top);
  total.name = Tr(Msg::kColTotal);
  AddCountRow(table, total, "");
  EmitTable(table, out, Tr(Msg::kSummarySheet));
}

// {"area", "levels": [top, sub], "areas": [{..., "children": [...]}], "total": {...}}
void PrintJson(const std::string& area, Levels levels, const std::vector<AreaCount>& top,
               const std::vector<AreaCount>& sub) {
  nlohmann::json out = {{"area", area},
                        {"levels", {AreaLevelName(levels.top), AreaLevelName(levels.sub)}},
                        {"areas", nlohmann::json::array()}};
  for (const AreaCount& t : top) {
    nlohmann::json tj = CountJson(t);
    tj["children"] = nlohmann::json::array();
    for (const AreaCount& s : sub) {
      if (s.code != t.code && s.code.starts_with(t.code)) tj["children"].push_back(CountJson(s));
    }
    out["areas"].push_back(tj);
  }
  nlohmann::json total = CountJson(Total(top));
  total.erase("code");
  total.erase("name");
  out["total"] = total;
  std::cout << out.dump(2) << '\n';
}

void RunSummary(const GlobalOptions& global, const SummaryArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  std::string area;
  if (!args.area.empty()) area = Check(store->GetArea(Check(AreaCode::Parse(args.area)).str())).code;
  Levels levels = LevelsFor(area);
  std::vector<AreaCount> sub = Check(store->CountByArea(area, levels.sub));
  std::vector<AreaCount> top = RollUp(*store, sub, levels.top);
  if (format == Format::kJson) return PrintJson(area, levels, top, sub);
  if (top.empty() && format == Format::kTable) {
    std::cout << Tr(Msg::kCliNoHouseholds) << '\n';
    return;
  }
  PrintTable(levels, top, sub, args.out);
}

}  // namespace

void AddSummaryCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<SummaryArgs>();
  CLI::App* cmd = app.add_subcommand("summary", Tr(Msg::kCliSummaryHelp));
  cmd->add_option("--area", args->area, Tr(Msg::kCliOptArea));
  AddFormatOption(cmd, &args->out);
  cmd->callback([&global, args] { RunSummary(global, *args); });
}

}  // namespace hearth::cli
