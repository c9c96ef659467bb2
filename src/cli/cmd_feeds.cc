// hearth feeds: the department feed kinds defined in data/feeds/ (or --data-dir), and
// `hearth feeds check [FILE...]` to check a definition a province wrote before using it (without a
// file: every definition of the data directory).
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/messages.h"
#include "core/paths.h"
#include "feeds/feed_spec.h"

namespace hearth::cli {
namespace {

namespace fs = std::filesystem;

struct FeedsArgs {
  std::vector<std::string> files;
  OutputOptions out;
};

void EmitFeeds(const std::vector<FeedSpec>& specs, Format format, const OutputOptions& out) {
  if (format == Format::kJson) {
    nlohmann::json json = nlohmann::json::array();
    for (const FeedSpec& s : specs) {
      nlohmann::json fields = nlohmann::json::array();
      for (const FieldSpec& f : s.fields) {
        fields.push_back({{"name", f.name}, {"header", f.column.name}, {"aliases", f.column.aliases},
                          {"type", FieldTypeName(f.type)}, {"required", f.column.required}, {"nullable", f.nullable}});
      }
      json.push_back({{"kind", s.kind}, {"department", s.department}, {"label", s.label}, {"event", s.event_type},
                      {"fields", fields}, {"digest", s.digest}});
    }
    std::cout << json.dump(2) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColKind), Tr(Msg::kColDepartment), Tr(Msg::kColLabel), Tr(Msg::kColEvent), Tr(Msg::kColColumns)});
  for (const FeedSpec& s : specs) {
    std::string columns;
    for (const FieldSpec& f : s.fields) columns += (columns.empty() ? "" : "、") + f.column.name;
    t.AddRow({s.kind, s.department, s.label, s.event_type, columns});
  }
  EmitTable(t, out, Tr(Msg::kCliFeedsHelp));
}

// The usable kinds; then each broken definition, named with its problems (exit status 1).
void ListFeeds(const GlobalOptions& global, const FeedsArgs& args) {
  Format format = Check(ParseFormat(args.out));
  fs::path data_dir = Check(FindDataDir(global.data_dir));
  std::vector<FeedSpec> specs;
  std::vector<const FeedDefinition*> broken;
  const std::vector<FeedDefinition> definitions = LoadFeedSpecs(data_dir);
  for (const FeedDefinition& d : definitions) {
    if (d.spec.ok()) {
      specs.push_back(*d.spec);
    } else {
      broken.push_back(&d);
    }
  }
  EmitFeeds(specs, format, args.out);
  for (const FeedDefinition* d : broken) std::cerr << Tr(Msg::kCliFeedBroken, d->kind, d->spec.status().message()) << '\n';
  if (!broken.empty()) throw CLI::RuntimeError(1);
}

// `file` alone and against the other kinds beside it and in the data directory (a draft checked
// before it is copied there): every problem.
StatusOr<FeedSpec> CheckDefinition(const fs::path& file, const std::optional<fs::path>& feeds_dir) {
  StatusOr<FeedSpec> spec = LoadFeedSpec(file);
  const fs::path beside = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::vector<Status> problems = {spec.status(), CheckAgainstOtherKinds(file, beside)};
  std::error_code ec;
  if (feeds_dir && !fs::equivalent(beside, *feeds_dir, ec)) problems.push_back(CheckAgainstOtherKinds(file, *feeds_dir));
  std::string message;
  for (const Status& s : problems) {
    if (!s.ok()) message += (message.empty() ? "" : "\n") + s.message();
  }
  if (message.empty()) return spec;
  const Status& first = *std::find_if(problems.begin(), problems.end(), [](const Status& s) { return !s.ok(); });
  return Status(first.code(), first.kind(), message);
}

void CheckFeeds(const GlobalOptions& global, const FeedsArgs& args) {
  StatusOr<fs::path> data_dir = FindDataDir(global.data_dir);
  std::optional<fs::path> feeds_dir;
  if (data_dir.ok()) feeds_dir = *data_dir / "feeds";
  std::vector<std::string> files = args.files;
  if (files.empty()) {
    // Without a file: every definition of the data directory.
    Check(data_dir.status());
    for (const std::string& kind : FeedKinds(*data_dir)) files.push_back((*feeds_dir / (kind + ".toml")).string());
    if (files.empty()) {
      std::cerr << Tr(Msg::kCliFeedsNone, feeds_dir->string()) << '\n';
      throw CLI::RuntimeError(1);
    }
    std::cout << Tr(Msg::kCliFeedsCheckAll, feeds_dir->string(), files.size()) << '\n';
  }
  bool failed = false;
  for (const std::string& file : files) {
    StatusOr<FeedSpec> spec = CheckDefinition(file, feeds_dir);
    if (!spec.ok()) {
      std::cerr << spec.status().message() << '\n';
      failed = true;
      continue;
    }
    std::cout << Tr(Msg::kCliFeedSpecOk, file, spec->kind, spec->fields.size()) << '\n';
  }
  if (failed) throw CLI::RuntimeError(1);
}

}  // namespace

void AddFeedsCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<FeedsArgs>();
  CLI::App* cmd = app.add_subcommand("feeds", Tr(Msg::kCliFeedsHelp));
  AddFormatOption(cmd, &args->out);
  CLI::App* check = cmd->add_subcommand("check", Tr(Msg::kCliFeedsCheckHelp));
  check->add_option("FILE", args->files, Tr(Msg::kCliOptFeedSpecFile));
  check->callback([&global, args] { CheckFeeds(global, *args); });
  cmd->callback([&global, args, cmd] {
    if (cmd->get_subcommands().empty()) ListFeeds(global, *args);
  });
}

}  // namespace hearth::cli
