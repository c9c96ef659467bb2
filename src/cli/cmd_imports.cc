// hearth imports: every imported file (kind, received, digest, counts), and the rejected rows of one.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/messages.h"

namespace hearth::cli {
namespace {

struct ImportsArgs {
  std::string kind;
  std::string area;
  int64_t rejects_of = 0;
  OutputOptions out;
};

void PrintImports(const std::vector<ImportRecord>& imports, Format format, const OutputOptions& out) {
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const ImportRecord& i : imports) {
      out.push_back({{"import_id", i.id}, {"kind", i.kind}, {"file", i.file_name}, {"digest", i.digest},
                     {"received", i.received.ToIso()}, {"recorded_at", FormatTimestamp(i.recorded_at)},
                     {"read", i.read}, {"accepted", i.accepted}, {"rejected", i.rejected}, {"status", i.status}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  if (imports.empty() && format == Format::kTable) {
    std::cout << Tr(Msg::kCliNoImports) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColImportId), Tr(Msg::kColKind), Tr(Msg::kColFile), Tr(Msg::kColReceived), Tr(Msg::kColRead),
               Tr(Msg::kColAccepted), Tr(Msg::kColRejected), Tr(Msg::kColDigest)});
  for (size_t c : {0, 4, 5, 6}) t.AlignRight(c);
  for (const ImportRecord& i : imports) {
    t.AddRow({std::to_string(i.id), i.kind, i.file_name, i.received.ToIso(), Thousands(i.read), Thousands(i.accepted),
              Thousands(i.rejected), i.digest.substr(0, 19)});
  }
  EmitTable(t, out, Tr(Msg::kCliImportsHelp));
}

void PrintRejects(const std::vector<RejectRecord>& rows, Format format, const OutputOptions& out) {
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const RejectRecord& r : rows) {
      out.push_back({{"file", r.file}, {"line", r.line}, {"column", r.column}, {"raw", r.raw}, {"kind", r.kind},
                     {"hint", r.hint}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColLine), Tr(Msg::kColColumn), Tr(Msg::kColRaw), Tr(Msg::kColKind), Tr(Msg::kColHint)});
  t.AlignRight(0);
  for (const RejectRecord& r : rows) t.AddRow({std::to_string(r.line), r.column, r.raw, r.kind, r.hint});
  EmitTable(t, out, Tr(Msg::kColRejected));
}

void RunImports(const GlobalOptions& global, const ImportsArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  if (args.rejects_of > 0) {
    Check(store->GetImport(args.rejects_of));
    return PrintRejects(Check(store->ListRejects(args.rejects_of)), format, args.out);
  }
  PrintImports(Check(store->ListImports({args.kind, args.area})), format, args.out);
}

}  // namespace

void AddImportsCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<ImportsArgs>();
  CLI::App* cmd = app.add_subcommand("imports", Tr(Msg::kCliImportsHelp));
  cmd->add_option("--kind", args->kind, Tr(Msg::kCliOptKind));
  cmd->add_option("--rejects", args->rejects_of, Tr(Msg::kCliOptRejectsOf));
  AddFormatOption(cmd, &args->out);
  cmd->callback([&global, args] { RunImports(global, *args); });
}

}  // namespace hearth::cli
