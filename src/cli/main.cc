// hearth: the command line of the Hearth platform. See `hearth --help`.
#include <CLI/CLI.hpp>

#include <string_view>

#include "cli/commands.h"
#include "core/messages.h"

namespace {

// The language must be known before the help texts are built, so --lang is read first.
hearth::Lang EarlyLanguage(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    if (arg.starts_with("--lang=")) return hearth::ParseLanguage(arg.substr(7));
    if (arg == "--lang" && i + 1 < argc) return hearth::ParseLanguage(argv[i + 1]);
  }
  return hearth::LanguageFromEnvironment();
}

}  // namespace

int main(int argc, char** argv) {
  hearth::SetLanguage(EarlyLanguage(argc, argv));
  hearth::cli::GlobalOptions global;
  CLI::App app(hearth::Tr(hearth::Msg::kCliAbout), "hearth");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", global.db, hearth::Tr(hearth::Msg::kCliOptDb));
  app.add_option("--lang", global.lang, hearth::Tr(hearth::Msg::kCliOptLang));
  app.add_option("--data-dir", global.data_dir, hearth::Tr(hearth::Msg::kCliOptDataDir));
  hearth::cli::AddInitCommand(app, global);
  hearth::cli::AddImportCommand(app, global);
  hearth::cli::AddHouseholdCommand(app, global);
  hearth::cli::AddSummaryCommand(app, global);
  hearth::cli::AddAreaCommand(app, global);
  hearth::cli::AddGenerateCommand(app, global);
  hearth::cli::AddImportsCommand(app, global);
  hearth::cli::AddFindingsCommand(app, global);
  hearth::cli::AddFeedsCommand(app, global);
  hearth::cli::AddScreenCommand(app, global);
  hearth::cli::AddEngineCommand(app, global);
  hearth::cli::AddWarningsCommand(app, global);
  hearth::cli::AddPolicyCommand(app, global);
  hearth::cli::AddBacktestCommand(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command failed; it printed why
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? 0 : 2;
  }
  return 0;
}
