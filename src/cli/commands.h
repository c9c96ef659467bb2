// The `hearth` subcommands. Each Add*Command registers its subcommand on the app; callbacks
// call the services (store, ingest ...) and print. Failures print a message in the user's
// language and end with exit code 1; a command line CLI11 cannot parse (unknown option,
// missing argument) ends with 2.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "core/area_code.h"
#include "core/date.h"
#include "core/status.h"
#include "store/store.h"

namespace hearth::cli {

//! Options every command shares.
struct GlobalOptions {
  std::string db = "hearth.db";
  std::string lang;
  std::string data_dir;
};

enum class Format { kTable, kJson, kXlsx };

//! What --format and --output say.
struct OutputOptions {
  std::string format = "table";
  std::string output;  //!< the file for --format xlsx
  bool xlsx_allowed = true;
};

//! Adds `--format table|json[|xlsx]` and `--output FILE` to a command.
void AddFormatOption(CLI::App* cmd, OutputOptions* out, bool xlsx_allowed = true);
//! Checks an option that counts something (--top): a whole number of at least 1, with a message
//! in the user's language.
CLI::Validator PositiveCount();
//! A whole number 0 or more (a seed): "-1" is refused, not wrapped around.
CLI::Validator NonNegativeWhole();
//! An option given with empty text (`--as-of ""`, often an unset shell variable) is refused
//! rather than read as if it had not been given.
CLI::Validator NotBlank();
//! Parses --format with --output; kinds "format_invalid", "output_missing" (xlsx without
//! --output), "output_not_xlsx" (a workbook written under another name than *.xlsx),
//! "output_with_json" (--output with --format json: JSON goes to standard output).
StatusOr<Format> ParseFormat(const OutputOptions& out);

class TextTable;
//! Prints `table`, or writes it to the --output workbook as sheet `sheet` (--format xlsx).
void EmitTable(const TextTable& table, const OutputOptions& out, const std::string& sheet);

//! Opens the database named by --db, which must exist.
StatusOr<std::unique_ptr<Store>> OpenExisting(const GlobalOptions& global);

//! Prints the error and ends the command with exit code 1.
[[noreturn]] void Fail(const Status& status);
//! Fails when `status` is not OK.
void Check(const Status& status);
//! The value or Fail.
template <typename T>
T Check(StatusOr<T> value) {
  if (!value.ok()) Fail(value.status());
  return std::move(value).value();
}

//! The area given as a short or 12-digit code (--area), checked against the divisions; empty
//! for empty text. Fails (exit 1) on an unknown or malformed code.
std::string AreaOf(Store& store, const std::string& text);
//! --as-of: a date from 2000 to 2100; today (UTC+8) for empty text. Fails (exit 1) otherwise.
Date ParseAsOf(const std::string& text);
//! --known-at: a date (its end, 24:00 UTC+8), or a date and time (T or a space between; seconds
//! optional) in UTC+8 unless it ends in Z (UTC) or an offset (+05:00, -0300, +08). nullopt for
//! empty text. StatusOr: kind "known_at_invalid".
StatusOr<std::optional<int64_t>> ParseKnownAt(const std::string& text);

//! The person running the command, for the audit log ("local:<user>").
std::string LocalPrincipal();

void AddInitCommand(CLI::App& app, GlobalOptions& global);
void AddImportCommand(CLI::App& app, GlobalOptions& global);
void AddHouseholdCommand(CLI::App& app, GlobalOptions& global);
void AddSummaryCommand(CLI::App& app, GlobalOptions& global);
void AddAreaCommand(CLI::App& app, GlobalOptions& global);
void AddGenerateCommand(CLI::App& app, GlobalOptions& global);
void AddImportsCommand(CLI::App& app, GlobalOptions& global);
void AddFindingsCommand(CLI::App& app, GlobalOptions& global);
void AddFeedsCommand(CLI::App& app, GlobalOptions& global);
void AddScreenCommand(CLI::App& app, GlobalOptions& global);
//! hearth engine image: save the engine image (engine/image.cc).
void AddEngineCommand(CLI::App& app, GlobalOptions& global);
void AddWarningsCommand(CLI::App& app, GlobalOptions& global);
void AddPolicyCommand(CLI::App& app, GlobalOptions& global);
void AddBacktestCommand(CLI::App& app, GlobalOptions& global);

}  // namespace hearth::cli
