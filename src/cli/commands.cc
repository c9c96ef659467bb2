#include "cli/commands.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include "cli/output.h"
#include "core/clock.h"
#include "core/messages.h"

namespace hearth::cli {

CLI::Validator PositiveCount() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t n = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
        return error == std::errc() && end == text.data() + text.size() && n >= 1 ? std::string() : Tr(Msg::kCliPositiveCount, text);
      },
      "N>=1");
}

CLI::Validator NonNegativeWhole() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t n = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
        return error == std::errc() && end == text.data() + text.size() ? std::string() : Tr(Msg::kCliNonNegativeWhole, text);
      },
      "N>=0");
}

void AddFormatOption(CLI::App* cmd, OutputOptions* out, bool xlsx_allowed) {
  out->xlsx_allowed = xlsx_allowed;
  cmd->add_option("--format", out->format, Tr(xlsx_allowed ? Msg::kCliOptFormatXlsx : Msg::kCliOptFormat))
      ->default_val("table");
  if (xlsx_allowed) cmd->add_option("--output,-o", out->output, Tr(Msg::kCliOptOutput));
}

StatusOr<Format> ParseFormat(const OutputOptions& out) {
  if (out.format == "table" && out.output.empty()) return Format::kTable;
  if (out.format == "table" && out.xlsx_allowed) return Format::kXlsx;  // --output names a workbook
  if (out.format == "json") return Format::kJson;
  if (out.format == "xlsx" && out.xlsx_allowed) {
    if (out.output.empty()) return Error(StatusCode::kInvalidArgument, Msg::kCliOutputMissing);
    return Format::kXlsx;
  }
  return Error(StatusCode::kInvalidArgument, Msg::kCliFormatInvalid, out.format,
               out.xlsx_allowed ? "table, json, xlsx" : "table, json");
}

void EmitTable(const TextTable& table, const OutputOptions& out, const std::string& sheet) {
  if (out.output.empty()) {
    table.Print(std::cout);
    return;
  }
  Check(table.WriteXlsx(out.output, sheet));
  std::cout << Tr(Msg::kCliXlsxWritten, table.size(), out.output) << '\n';
}

StatusOr<std::unique_ptr<Store>> OpenExisting(const GlobalOptions& global) {
  return OpenStore(global.db, OpenMode::kExisting);
}

void Fail(const Status& status) {
  std::cerr << Tr(Msg::kCliError, status.message()) << " [" << status.kind() << "]\n";
  throw CLI::RuntimeError(1);
}

void Check(const Status& status) {
  if (!status.ok()) Fail(status);
}

std::string AreaLevelLabel(AreaLevel level) {
  static constexpr Msg kLabels[] = {Msg::kLevelProvince, Msg::kLevelPrefecture, Msg::kLevelCounty,
                                    Msg::kLevelTownship, Msg::kLevelVillage};
  return Tr(kLabels[static_cast<int>(level) - 1]);
}

std::string LocalPrincipal() {
  const char* user = std::getenv("USER");
  return "local:" + (user != nullptr && *user != '\0' ? std::string(user) : "uid" + std::to_string(::getuid()));
}

// The area given as a short or 12-digit code, checked against the divisions; empty: all.
std::string AreaOf(Store& store, const std::string& text) {
  if (text.empty()) return "";
  return Check(store.GetArea(Check(AreaCode::Parse(text)).str())).code;
}

// --as-of: a calendar date from 2000 to 2100; default today.
Date ParseAsOf(const std::string& text) {
  if (text.empty()) return SystemClock().Today();
  StatusOr<Date> date = ParseDate(text);
  if (!date.ok() || *date < Date::FromCivil(2000, 1, 1) || *date > Date::FromCivil(2100, 12, 31)) {
    Fail(Error(StatusCode::kInvalidArgument, Msg::kCliAsOfInvalid, text));
  }
  return *date;
}

}  // namespace hearth::cli
