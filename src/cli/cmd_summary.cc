// hearth summary: households and persons by prefecture and county.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/messages.h"

namespace hearth::cli {
namespace {

struct SummaryArgs {
  std::string area;
  std::string format;
};

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

// Prefecture counts from county counts (one pass over the registry, not two).
std::vector<AreaCount> RollUp(Store& store, const std::vector<AreaCount>& counties) {
  std::vector<AreaCount> prefectures;
  for (const AreaCount& c : counties) {
    std::string code = c.code.substr(0, 4);
    if (prefectures.empty() || prefectures.back().code != code) {
      prefectures.push_back({code, Check(store.GetArea(code)).name, 0, 0, 0, 0});
    }
    prefectures.back().Add(c);
  }
  return prefectures;
}

void AddCountRow(TextTable& table, const AreaCount& c, const std::string& indent) {
  table.AddRow({indent + c.code, c.name, Thousands(c.households), Thousands(c.persons),
                Thousands(c.tuopin_households), Thousands(c.relocated_households)});
}

void PrintTable(const std::vector<AreaCount>& prefectures, const std::vector<AreaCount>& counties) {
  std::cout << Tr(Msg::kSummaryTitle) << "\n\n";
  TextTable table({Tr(Msg::kColCode), Tr(Msg::kColName), Tr(Msg::kColHouseholds), Tr(Msg::kColPersons),
                   Tr(Msg::kColTuopin), Tr(Msg::kColRelocated)});
  for (size_t c = 2; c < 6; ++c) table.AlignRight(c);
  for (const AreaCount& p : prefectures) {
    AddCountRow(table, p, "");
    for (const AreaCount& c : counties) {
      if (c.code.starts_with(p.code)) AddCountRow(table, c, "  ");
    }
  }
  AreaCount total = Total(prefectures);
  total.name = Tr(Msg::kColTotal);
  AddCountRow(table, total, "");
  table.Print(std::cout);
}

void PrintJson(const std::string& area, const std::vector<AreaCount>& prefectures,
               const std::vector<AreaCount>& counties) {
  nlohmann::json out = {{"area", area}, {"prefectures", nlohmann::json::array()}};
  for (const AreaCount& p : prefectures) {
    nlohmann::json pj = CountJson(p);
    pj["counties"] = nlohmann::json::array();
    for (const AreaCount& c : counties) {
      if (c.code.starts_with(p.code)) pj["counties"].push_back(CountJson(c));
    }
    out["prefectures"].push_back(pj);
  }
  nlohmann::json total = CountJson(Total(prefectures));
  total.erase("code");
  total.erase("name");
  out["total"] = total;
  std::cout << out.dump(2) << '\n';
}

void RunSummary(const GlobalOptions& global, const SummaryArgs& args) {
  Format format = Check(ParseFormat(args.format));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  std::string area;
  if (!args.area.empty()) area = Check(store->GetArea(Check(AreaCode::Parse(args.area)).str())).code;
  std::vector<AreaCount> counties = Check(store->CountByArea(area, AreaLevel::kCounty));
  std::vector<AreaCount> prefectures = RollUp(*store, counties);
  if (format == Format::kJson) return PrintJson(area, prefectures, counties);
  if (prefectures.empty()) {
    std::cout << Tr(Msg::kCliNoHouseholds) << '\n';
    return;
  }
  PrintTable(prefectures, counties);
}

}  // namespace

void AddSummaryCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<SummaryArgs>();
  CLI::App* cmd = app.add_subcommand("summary", Tr(Msg::kCliSummaryHelp));
  cmd->add_option("--area", args->area, Tr(Msg::kCliOptArea));
  AddFormatOption(cmd, &args->format);
  cmd->callback([&global, args] { RunSummary(global, *args); });
}

}  // namespace hearth::cli
