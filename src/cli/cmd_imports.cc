// hearth imports: every imported file (kind, received, digest, counts, area, status), and the
// problem rows of one (rejected, unmatched, duplicate, flagged), exportable to Excel.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/problem_rows.h"
#include "core/clock.h"
#include "core/messages.h"
#include "core/paths.h"
#include "feeds/feed_spec.h"
#include "ingest/import_report.h"

namespace hearth::cli {
namespace {

struct ImportsArgs {
  std::string kind;
  std::string area;
  int64_t rejects_of = 0;
  bool reveal = false;
  OutputOptions out;
};

std::string StatusLabel(const ImportRecord& i) {
  if (i.kind == "undo") return Tr(Msg::kCliStatusUndo);
  return i.status == "retracted" ? Tr(Msg::kCliStatusRetracted) : Tr(Msg::kCliStatusCommitted);
}

// A feed file none of whose rows linked to a household has no area: it is listed under every area.
std::string AreaLabel(const ImportRecord& i) {
  const bool feed_file = !i.kind.starts_with("registry-") && i.kind != "undo" && i.kind != "findings-refresh";
  return i.area_code.empty() && feed_file && i.read > 0 ? Tr(Msg::kCliAreaNotLinked) : i.area_code;
}

void PrintImports(const std::vector<ImportRecord>& imports, const std::string& area, Format format,
                  const OutputOptions& out) {
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const ImportRecord& i : imports) {
      out.push_back({{"import_id", i.id}, {"kind", i.kind}, {"file", i.file_name}, {"digest", i.digest},
                     {"received", i.received.ToIso()}, {"recorded_at", FormatTimestamp(i.recorded_at)},
                     {"read", i.read}, {"accepted", i.accepted}, {"rejected", i.rejected},
                     {"unmatched", i.unmatched}, {"duplicate", i.duplicate}, {"flagged", i.flagged},
                     {"area", i.area_code}, {"status", i.status}});
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  if (imports.empty() && format == Format::kTable) {
    std::cout << (area.empty() ? Tr(Msg::kCliNoImports) : Tr(Msg::kCliNoImportsInArea, area)) << '\n';
    return;
  }
  TextTable t({Tr(Msg::kColImportId), Tr(Msg::kColKind), Tr(Msg::kColFile), Tr(Msg::kColReceived), Tr(Msg::kColArea),
               Tr(Msg::kColRead), Tr(Msg::kColAccepted), Tr(Msg::kColRejected), Tr(Msg::kColUnmatched),
               Tr(Msg::kColDuplicate), Tr(Msg::kColStatus), Tr(Msg::kColDigest)});
  for (size_t c : {0, 5, 6, 7, 8, 9}) t.AlignRight(c);
  for (const ImportRecord& i : imports) {
    t.AddRow({std::to_string(i.id), i.kind, i.file_name, i.received.ToIso(), AreaLabel(i), Thousands(i.read),
              Thousands(i.accepted), Thousands(i.rejected), Thousands(i.unmatched), Thousands(i.duplicate),
              StatusLabel(i), i.digest.substr(0, 19)});
  }
  EmitTable(t, out, Tr(Msg::kCliImportsHelp));
}

void PrintRejects(const ImportRecord& import, const std::vector<RejectRecord>& rows, bool reveal, Format format,
                  const OutputOptions& out, const KindLabels& labels) {
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const RejectRecord& row : rows) {
      const RejectRecord r = reveal ? row : MaskedReject(row);
      nlohmann::json cells = nlohmann::json::object();
      for (size_t i = 0; i < r.cells.size(); ++i) {
        std::string name = i < import.header.size() && !import.header[i].empty() ? import.header[i] : "#" + std::to_string(i + 1);
        cells[name] = r.cells[i];
      }
      out.push_back({{"file", r.file}, {"line", RowOfLine(r.line)}, {"column", r.column}, {"raw", r.raw}, {"kind", r.kind},
                     {"hint", r.hint}, {"outcome", RowOutcomeName(r.outcome)}, {"cells", cells}});
      // A row of a workbook's second (third …) sheet read: which one, counted from 1.
      if (SheetOfLine(r.line) > 0) out.back()["sheet_number"] = SheetOfLine(r.line) + 1;
      if (!r.sheet.empty()) out.back()["sheet"] = r.sheet;
    }
    std::cout << out.dump(2) << '\n';
    return;
  }
  // ID numbers are masked in every format; --reveal (audited) gives them whole, as the
  // department that sent the file needs them to correct it.
  EmitTable(ProblemRowsTable(import.header, rows, reveal, labels), out, Tr(Msg::kCliSheetProblemRows));
}

void RunImports(const GlobalOptions& global, const ImportsArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  if (args.rejects_of > 0) {
    ImportRecord import = Check(store->GetImport(args.rejects_of));
    if (args.reveal || format != Format::kTable) {
      Check(store->Audit(LocalPrincipal(), "imports.rejects", std::to_string(args.rejects_of)));
    }
    // A feed's own check kinds are named by its definition, where the data directory has it.
    KindLabels labels;
    if (StatusOr<std::filesystem::path> dir = FindDataDir(global.data_dir); dir.ok()) {
      if (StatusOr<FeedSpec> spec = LoadFeedSpecForKind(*dir, import.kind); spec.ok()) labels = CheckKindLabels(*spec);
    }
    return PrintRejects(import, Check(store->ListRejects(args.rejects_of)), args.reveal, format, args.out, labels);
  }
  // An area that does not exist is named as such, as in every other listing.
  const std::string area = AreaOf(*store, args.area);
  if (!args.kind.empty()) {
    // A kind that names nothing is said so, rather than "no file imported yet".
    std::vector<std::string> known = {"registry", "undo", "findings-refresh"};
    if (StatusOr<std::filesystem::path> dir = FindDataDir(global.data_dir); dir.ok()) {
      for (const std::string& kind : FeedKinds(*dir)) known.push_back(kind);
    }
    const bool names_one = std::any_of(known.begin(), known.end(), [&](const std::string& k) {
      return k.starts_with(args.kind) || args.kind.starts_with(k);
    });
    if (!names_one) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : "、") + k;
      Fail(Error(StatusCode::kInvalidArgument, Msg::kCliImportKindUnknown, args.kind, list));
    }
  }
  PrintImports(Check(store->ListImports({args.kind, area})), area, format, args.out);
}

}  // namespace

void AddImportsCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<ImportsArgs>();
  CLI::App* cmd = app.add_subcommand("imports", Tr(Msg::kCliImportsHelp));
  cmd->add_option("--kind", args->kind, Tr(Msg::kCliOptKind));
  cmd->add_option("--area", args->area, Tr(Msg::kCliOptImportsArea));
  cmd->add_option("--rejects", args->rejects_of, Tr(Msg::kCliOptRejectsOf));
  cmd->add_flag("--reveal", args->reveal, Tr(Msg::kCliOptReveal));
  AddFormatOption(cmd, &args->out);
  cmd->callback([&global, args] { RunImports(global, *args); });
}

}  // namespace hearth::cli
