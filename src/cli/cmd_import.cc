// hearth import registry DIR: load 家庭, 家庭成员 and 收入 files.
// hearth import feed KIND FILE: one department file (see src/feeds/feed_import.h).
// hearth import undo IMPORT_ID: retract a department file's import.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/id_number.h"
#include "core/messages.h"
#include "cli/problem_rows.h"
#include "cli/screening.h"
#include "core/paths.h"
#include "feeds/feed_import.h"
#include "ingest/registry_import.h"

namespace hearth::cli {
namespace {

constexpr size_t kRejectsShown = 10;

struct FeedArgs {
  std::string kind;
  std::string file;
  std::string report;
  std::string xlsx_report;
  std::string encoding = "auto";
  std::string received;
  std::string policy;
  bool no_screen = false;
};

struct UndoArgs {
  int64_t import_id = 0;
  std::string policy;
  bool no_screen = false;
};

struct RegistryArgs {
  std::string dir;
  std::string report;
  std::string encoding = "auto";
  std::string received;
};

constexpr size_t kLineRangesShown = 20;

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(separator);
    out.append(item);
  }
  return out;
}

// "第 5、7-9 行", or "工作表“3月”第 5 行；工作表“4月”第 2-3 行" when several sheets were read: the
// lines as ranges of consecutive rows, at most kLineRangesShown of them.
std::string DescribeLines(const FileReport& f, const std::vector<int64_t>& lines) {
  const bool zh = CurrentLanguage() == Lang::kZh;
  std::vector<std::string> per_sheet;
  size_t i = 0, ranges = 0;
  while (i < lines.size() && ranges < kLineRangesShown) {
    const std::string_view sheet = f.SheetOf(lines[i]);
    std::vector<std::string> spans;
    while (i < lines.size() && f.SheetOf(lines[i]) == sheet && ranges < kLineRangesShown) {
      size_t last = i;
      while (last + 1 < lines.size() && lines[last + 1] == lines[last] + 1) ++last;
      const int64_t from = f.RowOf(lines[i]), to = f.RowOf(lines[last]);
      spans.push_back(from == to ? std::to_string(from) : std::to_string(from) + "-" + std::to_string(to));
      ++ranges;
      i = last + 1;
    }
    const std::string list = Join(spans, zh ? "、" : ", ");
    per_sheet.push_back(sheet.empty() ? Tr(Msg::kIngestRows, list) : Tr(Msg::kIngestRowsOfSheet, sheet, list));
  }
  std::string out = Join(per_sheet, zh ? "；" : "; ");
  if (i < lines.size()) out += "……";
  return out;
}

// Which sheets of a workbook of several were read and which were not, and the rows Excel hides.
void PrintSheetsAndHiddenRows(const FileReport& f) {
  if (f.sheets.size() + f.sheets_skipped.size() > 1) {
    std::vector<std::string> read, skipped;
    for (const std::string& sheet : f.sheets) read.push_back(Tr(Msg::kIngestSheetName, sheet));
    for (const SkippedSheet& sheet : f.sheets_skipped) {
      const Msg why = sheet.reason == SkippedSheet::Reason::kHidden   ? Msg::kIngestSheetHidden
                      : sheet.reason == SkippedSheet::Reason::kByName ? Msg::kIngestSheetByName
                                                                      : Msg::kIngestSheetNoHeader;
      skipped.push_back(Tr(why, sheet.name));
    }
    const std::string_view separator = CurrentLanguage() == Lang::kZh ? "、" : ", ";
    std::cout << Tr(Msg::kIngestSheetsRead, Join(read, separator)) << '\n';
    if (!skipped.empty()) std::cout << Tr(Msg::kIngestSheetsSkipped, Join(skipped, separator)) << '\n';
  }
  if (f.hidden_rows_skipped > 0) {
    std::cout << Tr(Msg::kIngestHiddenRows, Thousands(f.hidden_rows_skipped), DescribeLines(f, f.hidden_rows)) << '\n';
  }
  if (!f.table_header_rows.empty()) {
    std::cout << Tr(Msg::kIngestTableHeaderRows, DescribeLines(f, f.table_header_rows)) << '\n';
  }
}

void PrintFile(const FileReport& f) {
  if (!f.refusal.ok()) {
    std::cout << Tr(Msg::kCliImportRefused, f.file, f.refusal.message()) << '\n';
    return;
  }
  std::cout << Tr(Msg::kCliImportFile, f.file, Thousands(f.read), Thousands(f.accepted), Thousands(f.inserted),
                  Thousands(f.updated), Thousands(f.unchanged), Thousands(f.rejected))
            << '\n';
  if (f.removed > 0) std::cout << Tr(Msg::kCliImportRemoved, Thousands(f.removed)) << '\n';
  PrintSheetsAndHiddenRows(f);
  for (size_t i = 0; i < f.rows.size() && i < kRejectsShown; ++i) {
    const RejectRecord& r = f.rows[i];
    const std::string& what = r.column.empty() ? r.kind : r.column;
    const std::string_view sheet = f.SheetOf(r.line);
    std::cout << (sheet.empty() ? Tr(Msg::kCliImportRejectLine, r.line, what, r.hint)
                                : Tr(Msg::kIngestRejectLineSheet, sheet, f.RowOf(r.line), what, r.hint))
              << '\n';
  }
  if (f.rows.size() > kRejectsShown) std::cout << Tr(Msg::kCliImportMoreRejects, f.rows.size() - kRejectsShown, f.import_id) << '\n';
  if (!f.shared_persons.empty()) {
    const SharedPerson& p = f.shared_persons.front();
    std::string codes;
    for (const auto& c : p.household_codes) codes += (codes.empty() ? "" : ", ") + c;
    std::cout << Tr(Msg::kCliSharedPersons, f.shared_persons.size(), p.name, codes) << '\n';
  }
  // Households without exactly one head: those with several first (each head named, ID masked),
  // then those with none.
  const HouseholdHeads* several = nullptr;
  const HouseholdHeads* none = nullptr;
  int64_t with_several = 0, without = 0;
  for (const HouseholdHeads& h : f.households_without_one_head) {
    if (h.id_numbers.empty()) {
      if (++without == 1) none = &h;
    } else if (++with_several == 1) {
      several = &h;
    }
  }
  if (several != nullptr) {
    std::string heads;
    for (size_t i = 0; i < several->id_numbers.size(); ++i) {
      heads += (heads.empty() ? "" : CurrentLanguage() == Lang::kZh ? "、" : ", ") + several->names[i] + " " +
               MaskIdNumber(several->id_numbers[i]);
    }
    std::cout << Tr(Msg::kCliHouseholdsWithSeveralHeads, Thousands(with_several), several->household_code, heads) << '\n';
  }
  if (none != nullptr) std::cout << Tr(Msg::kCliHouseholdsWithoutHead, Thousands(without), none->household_code) << '\n';
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
  // The comparison findings were derived from the registry as it was: once department files
  // have been compared with it, a changed registry calls for comparing again.
  if (report.Sum(&FileReport::inserted) + report.Sum(&FileReport::updated) > 0) {
    StatusOr<std::vector<ImportRecord>> imports = store->ListImports({});
    const bool compared = imports.ok() && std::any_of(imports->begin(), imports->end(), [](const ImportRecord& i) {
                            return !i.kind.starts_with("registry") && i.kind != "undo";
                          });
    if (compared) {
      // The households whose registry rows changed, and those of persons registered twice (a
      // change in one household makes or ends the finding of the other).
      std::vector<int64_t> changing;
      std::vector<std::string> changed;
      for (const FileReport& f : report.files) {
        if (f.import_id != 0 && f.inserted + f.updated > 0) changing.push_back(f.import_id);
        for (const SharedPerson& s : f.shared_persons) {
          changed.insert(changed.end(), s.household_codes.begin(), s.household_codes.end());
        }
      }
      std::vector<std::string> of_imports = Check(store->HouseholdsOfImports(changing));
      changed.insert(changed.end(), of_imports.begin(), of_imports.end());
      RefreshChangedHouseholds(global, *store, options.received.value_or(SystemClock().Today()), changed);
      std::cout << Tr(Msg::kCliRegistryChangedRefresh) << '\n';
    }
  }
  if (!args.report.empty()) WriteReport(args.report, report);
  if (report.AnyRefused()) throw CLI::RuntimeError(1);
}

void PrintFeedFile(const FileReport& f, const FeedSpec& spec) {
  if (!f.refusal.ok()) {
    std::cout << Tr(Msg::kCliImportRefused, f.file, f.refusal.message()) << '\n';
    return;
  }
  int64_t mismatched = f.flagged_by_kind.contains("name_mismatch") ? f.flagged_by_kind.at("name_mismatch") : 0;
  std::cout << Tr(Msg::kCliImportFeedSummary, f.file, spec.label, Thousands(f.read), Thousands(f.accepted),
                  Thousands(f.inserted), Thousands(f.updated), Thousands(mismatched), Thousands(f.rejected),
                  Thousands(f.unmatched), Thousands(f.duplicate))
            << '\n';
  if (f.read == 0) std::cout << Tr(Msg::kCliImportFeedNoRows) << '\n';
  if (auto not_head = f.flagged_by_kind.find("not_household_head"); not_head != f.flagged_by_kind.end()) {
    std::cout << Tr(Msg::kCliImportFeedNotHead, Thousands(not_head->second)) << '\n';
  }
  if (f.same_as_import != 0) std::cout << Tr(Msg::kFeedAlreadyImported, f.same_as_import) << '\n';
  if (f.import_id != 0) std::cout << Tr(Msg::kCliImportFeedId, f.import_id) << '\n';
  PrintSheetsAndHiddenRows(f);
  for (size_t i = 0; i < f.rows.size() && i < kRejectsShown; ++i) {
    const RejectRecord& r = f.rows[i];
    const std::string column = r.column.empty() ? Tr(Msg::kCliWholeRow) : r.column;
    const std::string_view sheet = f.SheetOf(r.line);
    std::cout << (sheet.empty() ? Tr(Msg::kCliImportProblemLine, r.line, OutcomeLabel(r.outcome), column, r.hint)
                                : Tr(Msg::kIngestProblemLineSheet, sheet, f.RowOf(r.line), OutcomeLabel(r.outcome), column, r.hint))
              << '\n';
  }
  if (f.rows.size() > kRejectsShown) {
    std::cout << Tr(Msg::kCliImportMoreProblems, f.rows.size() - kRejectsShown, f.import_id) << '\n';
  }
}

// The problem rows for the department's workbook: when they came from several sheets, each row's
// line is its row in its sheet, and a sheet column comes first among the file's own cells.
void ProblemRowsBySheet(const FileReport& f, std::vector<std::string>* header, std::vector<RejectRecord>* rows) {
  if (f.sheets.size() <= 1) return;
  header->insert(header->begin(), Tr(Msg::kIngestColSheet));
  for (RejectRecord& r : *rows) {
    r.cells.insert(r.cells.begin(), std::string(f.SheetOf(r.line)));
    r.line = f.RowOf(r.line);
    r.sheet.clear();  // in its own column here
  }
}

void RunFeedImport(const GlobalOptions& global, const FeedArgs& args) {
  FeedImportOptions options;  // options are checked before the database is touched
  options.encoding = Check(ParseEncoding(args.encoding));
  if (!args.received.empty()) options.received = ParseReceived(args.received);
  std::filesystem::path data_dir = Check(FindDataDir(global.data_dir));
  FeedSpec spec = Check(LoadFeedSpecForKind(data_dir, args.kind));
  ScreenCounts screened;
  if (!args.no_screen) options.screen = MakeScreenHook(global, args.policy, &screened);
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  ProgressBar bar;
  options.progress = [&bar](uint64_t done, uint64_t total, std::string_view file) { bar.Update(done, total, file); };
  FileReport file = ImportFeed(*store, spec, args.file, options);
  bar.Finish();
  PrintFeedFile(file, spec);
  if (file.same_as_import != 0) {
    // The same file under another date of receipt: a fact's recorded time is never rewritten, so
    // a wrong --received is mended by undoing the earlier import and taking the file again.
    StatusOr<ImportRecord> earlier = store->GetImport(file.same_as_import);
    const Date received = options.received.value_or(options.clock->Today());
    if (earlier.ok() && earlier->received != received) {
      std::cout << Tr(Msg::kCliSameFileOtherReceived, earlier->received.ToIso(), received.ToIso(),
                      file.same_as_import)
                << '\n';
    }
  }
  if (!args.no_screen && file.import_id != 0) {
    PrintScreened(screened);
  }
  ImportReport report;
  report.files.push_back(file);
  if (!args.report.empty()) WriteReport(args.report, report);
  if (!args.xlsx_report.empty()) {
    // The department's own rows, with full ID numbers so that it can correct them: audited. A
    // refused file's workbook holds why, as its one row.
    std::vector<std::string> header = file.header;
    std::vector<RejectRecord> rows = file.rows;
    ProblemRowsBySheet(file, &header, &rows);
    if (!file.refusal.ok()) {
      RejectRecord why;
      why.kind = std::string(file.refusal.kind());
      why.hint = file.refusal.message();
      why.outcome = RowOutcome::kRejected;
      rows.insert(rows.begin(), std::move(why));
    }
    Check(ProblemRowsTable(header, rows, /*reveal=*/true, CheckKindLabels(spec)).WriteXlsx(args.xlsx_report, Tr(Msg::kCliSheetProblemRows)));
    Check(store->Audit(LocalPrincipal(), "export_problem_rows", file.file));
    std::cout << Tr(Msg::kCliReportWritten, args.xlsx_report) << '\n';
  }
  if (report.AnyRefused()) throw CLI::RuntimeError(1);
}

void RunUndo(const GlobalOptions& global, const UndoArgs& args) {
  ScreenCounts screened;
  ScreenHook screen;
  if (!args.no_screen) screen = MakeScreenHook(global, args.policy, &screened);
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  UndoReport undo = Check(UndoImport(*store, args.import_id, screen, SystemClock()));
  std::cout << Tr(Msg::kCliImportUndone, args.import_id, undo.retracted.kind, undo.retracted.file_name,
                  Thousands(undo.households), undo.undo_import_id)
            << '\n';
  for (const ImportRecord& later : undo.later_with_duplicates) {
    std::cout << Tr(Msg::kCliUndoLaterDuplicates, later.id, later.file_name, later.received.ToIso(),
                    Thousands(later.duplicate), later.kind)
              << '\n';
  }
  if (!args.no_screen) {
    PrintScreened(screened);
  }
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
  registry->add_option("--received", args->received, Tr(Msg::kCliOptReceived))->check(NotBlank());
  registry->callback([&global, args] { RunRegistryImport(global, *args); });

  auto feed_args = std::make_shared<FeedArgs>();
  CLI::App* feed = import->add_subcommand("feed", Tr(Msg::kCliImportFeedHelp));
  feed->add_option("KIND", feed_args->kind, Tr(Msg::kCliOptFeedKind))->required();
  feed->add_option("FILE", feed_args->file)->required();
  feed->add_option("--report", feed_args->report, Tr(Msg::kCliOptReport));
  feed->add_option("--xlsx-report", feed_args->xlsx_report, Tr(Msg::kCliOptXlsxReport));
  feed->add_option("--encoding", feed_args->encoding, Tr(Msg::kCliOptEncoding));
  feed->add_option("--received", feed_args->received, Tr(Msg::kCliOptReceived))->check(NotBlank());
  feed->add_option("--policy", feed_args->policy, Tr(Msg::kCliOptPolicy));
  feed->add_flag("--no-screen", feed_args->no_screen, Tr(Msg::kCliOptNoScreen));
  feed->callback([&global, feed_args] { RunFeedImport(global, *feed_args); });

  auto undo_args = std::make_shared<UndoArgs>();
  CLI::App* undo = import->add_subcommand("undo", Tr(Msg::kCliImportUndoHelp));
  undo->add_option("IMPORT_ID", undo_args->import_id)->required();
  undo->add_option("--policy", undo_args->policy, Tr(Msg::kCliOptPolicy));
  undo->add_flag("--no-screen", undo_args->no_screen, Tr(Msg::kCliOptNoScreen));
  undo->callback([&global, undo_args] { RunUndo(global, *undo_args); });
}

}  // namespace hearth::cli
