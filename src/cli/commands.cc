#include "cli/commands.h"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <filesystem>
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

CLI::Validator NotBlank() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.find_first_not_of(" \t") == std::string::npos ? Tr(Msg::kCliBlankValue) : std::string();
      },
      "TEXT");
}

void AddFormatOption(CLI::App* cmd, OutputOptions* out, bool xlsx_allowed) {
  out->xlsx_allowed = xlsx_allowed;
  cmd->add_option("--format", out->format, Tr(xlsx_allowed ? Msg::kCliOptFormatXlsx : Msg::kCliOptFormat))
      ->default_val("table");
  if (xlsx_allowed) cmd->add_option("--output,-o", out->output, Tr(Msg::kCliOptOutput));
}

namespace {

bool NamesWorkbook(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".xlsx";
}

}  // namespace

StatusOr<Format> ParseFormat(const OutputOptions& out) {
  const bool xlsx = out.xlsx_allowed && (out.format == "xlsx" || (out.format == "table" && !out.output.empty()));
  if (out.format == "table" && out.output.empty()) return Format::kTable;
  if (out.format == "json") {
    if (!out.output.empty()) return Error(StatusCode::kInvalidArgument, Msg::kCliOutputWithJson, out.output);
    return Format::kJson;
  }
  if (xlsx) {
    // --output names a workbook; --format table with it writes one too.
    if (out.output.empty()) return Error(StatusCode::kInvalidArgument, Msg::kCliOutputMissing);
    if (!NamesWorkbook(out.output)) return Error(StatusCode::kInvalidArgument, Msg::kCliOutputNotXlsx, out.output);
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

namespace {

// "HH:MM" or "HH:MM:SS" at the start of `text`; the characters read in `*used`.
bool ReadClock(std::string_view text, int* hour, int* minute, int* second, size_t* used) {
  auto two = [&](size_t at, int* out) {
    if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
      return false;
    }
    *out = (text[at] - '0') * 10 + (text[at + 1] - '0');
    return true;
  };
  *second = 0;
  if (!two(0, hour) || text.size() < 5 || text[2] != ':' || !two(3, minute)) return false;
  *used = 5;
  if (text.size() >= 8 && text[5] == ':') {
    if (!two(6, second)) return false;
    *used = 8;
  }
  return *hour <= 23 && *minute <= 59 && *second <= 59;
}

// "Z", "+08", "+0800", "+08:00", "-03:30": minutes east of UTC.
std::optional<int> ReadOffset(std::string_view text) {
  if (text == "Z" || text == "z") return 0;
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  std::string digits;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == ':' && i == 3) continue;
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    digits += text[i];
  }
  if (digits.size() != 2 && digits.size() != 4) return std::nullopt;
  const int hours = std::stoi(digits.substr(0, 2));
  const int minutes = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
  if (hours > 14 || minutes > 59) return std::nullopt;
  return (text[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}

}  // namespace

StatusOr<std::optional<int64_t>> ParseKnownAt(const std::string& text) {
  if (text.empty()) return std::optional<int64_t>();
  auto invalid = [&] { return Error(StatusCode::kInvalidArgument, Msg::kCliKnownAtInvalid, text); };
  const size_t t = text.find_first_of("T ");
  StatusOr<Date> day = ParseDate(text.substr(0, t));
  if (!day.ok()) return invalid();
  if (t == std::string::npos) return std::optional<int64_t>(Clock::StartOfDayMicros(Date::FromDays(day->days() + 1)) - 1);
  const std::string_view rest = std::string_view(text).substr(t + 1);
  int hour = 0, minute = 0, second = 0;
  size_t used = 0;
  if (!ReadClock(rest, &hour, &minute, &second, &used)) return invalid();
  int offset_minutes = 8 * 60;  // UTC+8 unless the text says otherwise
  if (used < rest.size()) {
    std::optional<int> offset = ReadOffset(rest.substr(used));
    if (!offset) return invalid();
    offset_minutes = *offset;
  }
  const int64_t local = ((hour * 60LL + minute) * 60 + second) * 1'000'000LL;
  // StartOfDayMicros is the day's start in UTC+8: a time given at another offset moves by the
  // difference.
  return std::optional<int64_t>(Clock::StartOfDayMicros(*day) + local + (8 * 60 - offset_minutes) * 60'000'000LL);
}

}  // namespace hearth::cli
