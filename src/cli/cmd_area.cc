// hearth area show|find|list: look up administrative divisions.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/messages.h"

namespace hearth::cli {
namespace {

struct AreaArgs {
  std::string code;
  std::string name;
  std::string level;
  int64_t top = 200;
  OutputOptions out;
};

StatusOr<std::optional<AreaLevel>> ParseLevel(const std::string& text) {
  if (text.empty()) return std::optional<AreaLevel>();
  for (AreaLevel l : {AreaLevel::kProvince, AreaLevel::kPrefecture, AreaLevel::kCounty, AreaLevel::kTownship,
                      AreaLevel::kVillage}) {
    if (AreaLevelName(l) == text) return std::optional<AreaLevel>(l);
  }
  return Error(StatusCode::kInvalidArgument, Msg::kCliLevelInvalid, text);
}

void PrintAreas(const std::vector<Area>& areas, Format format, const OutputOptions& out) {
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const Area& a : areas) {
      out.push_back({{"code", a.code}, {"name", a.name}, {"level", AreaLevelName(a.level)}, {"parent_code", a.parent_code}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  if (areas.empty() && format == Format::kTable) {
    std::cout << Tr(Msg::kCliNoAreas) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColCode), Tr(Msg::kColName), Tr(Msg::kColLevel)});
  for (const Area& a : areas) t.AddRow({a.code, a.name, AreaLevelLabel(a.level)});
  EmitTable(t, out, Tr(Msg::kCliAreaHelp));
}

std::string NormalizedCode(const std::string& text) { return Check(AreaCode::Parse(text)).str(); }

void RunShow(const GlobalOptions& global, const AreaArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  PrintAreas(Check(store->PathToRoot(NormalizedCode(args.code))), format, args.out);
}

void RunFind(const GlobalOptions& global, const AreaArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  // One more than asked for tells whether the list is cut short.
  std::vector<Area> found = Check(store->FindAreasByName(args.name, static_cast<int>(args.top + 1)));
  const bool more = static_cast<int64_t>(found.size()) > args.top;
  if (more) found.pop_back();
  PrintAreas(found, format, args.out);
  if (more) std::cerr << Tr(Msg::kCliAreaFindMore, args.top, args.name) << '\n';
}

void RunList(const GlobalOptions& global, const AreaArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::optional<AreaLevel> level = Check(ParseLevel(args.level));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  std::string code = args.code.empty() ? "" : NormalizedCode(args.code);
  if (!code.empty()) Check(store->GetArea(code));
  std::vector<Area> areas = Check(store->Descendants(code));
  if (level) std::erase_if(areas, [&](const Area& a) { return a.level != *level; });
  PrintAreas(areas, format, args.out);
}

}  // namespace

void AddAreaCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* area = app.add_subcommand("area", Tr(Msg::kCliAreaHelp));
  area->require_subcommand(1);
  auto args = std::make_shared<AreaArgs>();
  CLI::App* show = area->add_subcommand("show", Tr(Msg::kCliAreaShowHelp));
  show->add_option("CODE", args->code)->required();
  AddFormatOption(show, &args->out);
  show->callback([&global, args] { RunShow(global, *args); });
  CLI::App* find = area->add_subcommand("find", Tr(Msg::kCliAreaFindHelp));
  find->add_option("NAME", args->name)->required()->check(NotBlank());
  find->add_option("--top", args->top, Tr(Msg::kCliOptAreaTop))->check(PositiveCount())->default_val(200);
  AddFormatOption(find, &args->out);
  find->callback([&global, args] { RunFind(global, *args); });
  CLI::App* list = area->add_subcommand("list", Tr(Msg::kCliAreaListHelp));
  list->add_option("--area", args->code, Tr(Msg::kCliOptArea));
  list->add_option("--level", args->level, Tr(Msg::kCliOptLevel));
  AddFormatOption(list, &args->out);
  list->callback([&global, args] { RunList(global, *args); });
}

}  // namespace hearth::cli
