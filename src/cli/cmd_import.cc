// hearth import registry DIR: load 家庭, 家庭成员 and 收入 files.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/messages.h"
#include "ingest/registry_import.h"

namespace hearth::cli {
namespace {

constexpr size_t kRejectsShown = 10;

struct RegistryArgs {
  std::string dir;
  std::string report;
  std::string encoding = "auto";
  std::string received;
};

void PrintFile(const FileReport& f) {
  if (!f.refusal.ok()) {
    std::cout << Tr(Msg::kCliImportRefused, f.file, f.refusal.message()) << '\n';
    return;
  }
  std::cout << Tr(Msg::kCliImportFile, f.file, Thousands(f.read), Thousands(f.accepted), Thousands(f.inserted),
                  Thousands(f.updated), Thousands(f.unchanged), Thousands(f.rejected))
            << '\n';
  for (size_t i = 0; i < f.rows.size() && i < kRejectsShown; ++i) {
    const RejectRecord& r = f.rows[i];
    std::cout << Tr(Msg::kCliImportRejectLine, r.line, r.column.empty() ? r.kind : r.column, r.hint) << '\n';
  }
  if (f.rows.size() > kRejectsShown) std::cout << Tr(Msg::kCliImportMoreRejects, f.rows.size() - kRejectsShown, f.import_id) << '\n';
  if (!f.shared_persons.empty()) {
    const SharedPerson& p = f.shared_persons.front();
    std::string codes;
    for (const auto& c : p.household_codes) codes += (codes.empty() ? "" : ", ") + c;
    std::cout << Tr(Msg::kCliSharedPersons, f.shared_persons.size(), p.name, codes) << '\n';
  }
}

void WriteReport(const std::string& path, const ImportReport& report) {
  std::ofstream out(path);
  out << ReportToJson(report).dump(2) << '\n';
  if (!out) Fail(Error(StatusCode::kIoError, Msg::kCliReportWriteFailed, path));
  std::cout << Tr(Msg::kCliReportWritten, path) << '\n';
}

// --received: a calendar date from 2000 to today (a bare spreadsheet serial number is refused).
Date ParseReceived(const std::string& text) {
  bool serial = !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos && text.size() <= 7;
  StatusOr<Date> date = ParseDate(text);
  Date today = SystemClock().Today();
  if (serial || !date.ok() || *date < Date::FromCivil(2000, 1, 1) || *date > today) {
    Fail(Error(StatusCode::kInvalidArgument, Msg::kCliReceivedInvalid, text, today.ToIso()));
  }
  return *date;
}

void RunRegistryImport(const GlobalOptions& global, const RegistryArgs& args) {
  RegistryImportOptions options;  // options are checked before the database is touched
  options.encoding = Check(ParseEncoding(args.encoding));
  if (!args.received.empty()) options.received = ParseReceived(args.received);
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  ProgressBar bar;
  options.progress = [&bar](uint64_t done, uint64_t total, std::string_view file) { bar.Update(done, total, file); };
  ImportReport report = Check(ImportRegistry(*store, args.dir, options));
  bar.Finish();
  for (const FileReport& f : report.files) PrintFile(f);
  if (!args.report.empty()) WriteReport(args.report, report);
  if (report.AnyRefused()) throw CLI::RuntimeError(1);
}

}  // namespace

void AddImportCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* import = app.add_subcommand("import", Tr(Msg::kCliImportHelp));
  import->require_subcommand(1);
  auto args = std::make_shared<RegistryArgs>();
  CLI::App* registry = import->add_subcommand("registry", Tr(Msg::kCliImportRegistryHelp));
  registry->add_option("DIR", args->dir)->required();
  registry->add_option("--report", args->report, Tr(Msg::kCliOptReport));
  registry->add_option("--encoding", args->encoding, Tr(Msg::kCliOptEncoding));
  registry->add_option("--received", args->received, Tr(Msg::kCliOptReceived));
  registry->callback([&global, args] { RunRegistryImport(global, *args); });
}

}  // namespace hearth::cli
