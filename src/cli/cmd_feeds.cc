// hearth feeds: the department feed kinds defined in data/feeds/ (or --data-dir), and
// `hearth feeds check FILE...` to check a definition a province wrote before using it.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/messages.h"
#include "core/paths.h"
#include "feeds/feed_spec.h"

namespace hearth::cli {
namespace {

struct FeedsArgs {
  std::vector<std::string> files;
  OutputOptions out;
};

void ListFeeds(const GlobalOptions& global, const FeedsArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::filesystem::path data_dir = Check(FindDataDir(global.data_dir));
  std::vector<FeedSpec> specs;
  for (const std::string& kind : FeedKinds(data_dir)) specs.push_back(Check(LoadFeedSpecForKind(data_dir, kind)));
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const FeedSpec& s : specs) {
      nlohmann::json fields = nlohmann::json::array();
      for (const FieldSpec& f : s.fields) {
        fields.push_back({{"name", f.name}, {"header", f.column.name}, {"aliases", f.column.aliases},
                          {"type", FieldTypeName(f.type)}, {"required", f.column.required}, {"nullable", f.nullable}});
      }
      out.push_back({{"kind", s.kind}, {"department", s.department}, {"label", s.label}, {"event", s.event_type},
                     {"fields", fields}, {"digest", s.digest}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColKind), Tr(Msg::kColDepartment), Tr(Msg::kColLabel), Tr(Msg::kColEvent), Tr(Msg::kColColumns)});
  for (const FeedSpec& s : specs) {
    std::string columns;
    for (const FieldSpec& f : s.fields) columns += (columns.empty() ? "" : "、") + f.column.name;
    t.AddRow({s.kind, s.department, s.label, s.event_type, columns});
  }
  EmitTable(t, args.out, Tr(Msg::kCliFeedsHelp));
}

void CheckFeeds(const FeedsArgs& args) {
  bool failed = false;
  for (const std::string& file : args.files) {
    StatusOr<FeedSpec> spec = LoadFeedSpec(file);
    if (spec.ok()) {
      std::cout << Tr(Msg::kCliFeedSpecOk, file, spec->kind, spec->fields.size()) << '\n';
    } else {
      std::cerr << spec.status().message() << '\n';
      failed = true;
    }
  }
  if (failed) throw CLI::RuntimeError(1);
}

}  // namespace

void AddFeedsCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<FeedsArgs>();
  CLI::App* cmd = app.add_subcommand("feeds", Tr(Msg::kCliFeedsHelp));
  AddFormatOption(cmd, &args->out);
  CLI::App* check = cmd->add_subcommand("check", Tr(Msg::kCliFeedsCheckHelp));
  check->add_option("FILE", args->files)->required();
  check->callback([args] { CheckFeeds(*args); });
  cmd->callback([&global, args, cmd] {
    if (cmd->get_subcommands().empty()) ListFeeds(global, *args);
  });
}

}  // namespace hearth::cli
