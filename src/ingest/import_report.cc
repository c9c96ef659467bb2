#include "ingest/import_report.h"

#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/messages.h"

namespace hearth {

void FileReport::Reject(RejectRecord r) {
  switch (r.outcome) {
    case RowOutcome::kRejected:
      ++rejected;
      ++rejected_by_kind[r.kind];
      break;
    case RowOutcome::kUnmatched: ++unmatched; break;
    case RowOutcome::kDuplicate: ++duplicate; break;
    case RowOutcome::kFlagged:
      ++flagged;
      ++flagged_by_kind[r.kind];
      break;
  }
  rows.push_back(std::move(r));
}

std::string_view FileReport::SheetOf(int64_t line) const {
  if (sheets.size() <= 1) return {};
  const size_t sheet = SheetOfLine(line);
  return sheet < sheets.size() ? std::string_view(sheets[sheet]) : std::string_view();
}

int64_t FileReport::RowOf(int64_t line) const { return sheets.size() <= 1 ? line : RowOfLine(line); }

std::string_view SkipReasonName(SkippedSheet::Reason reason) {
  switch (reason) {
    case SkippedSheet::Reason::kHidden: return "hidden";
    case SkippedSheet::Reason::kByName: return "instructions_or_sample";
    case SkippedSheet::Reason::kNoHeader: return "no_header";
  }
  return "no_header";
}

bool ImportReport::AnyRefused() const {
  for (const FileReport& f : files) {
    if (!f.refusal.ok()) return true;
  }
  return false;
}

int64_t ImportReport::Sum(int64_t FileReport::*field) const {
  int64_t total = 0;
  for (const FileReport& f : files) total += f.*field;
  return total;
}

namespace {

// A line as {"line"}, or {"sheet", "line"} (the row within the sheet) when several sheets were read.
nlohmann::json LineToJson(const FileReport& f, int64_t line) {
  nlohmann::json j = {{"line", f.RowOf(line)}};
  if (std::string_view sheet = f.SheetOf(line); !sheet.empty()) j["sheet"] = sheet;
  return j;
}

nlohmann::json RejectToJson(const FileReport& f, const RejectRecord& r) {
  nlohmann::json j = {{"file", r.file}, {"line", f.RowOf(r.line)}, {"column", r.column}, {"raw", r.raw},
                      {"kind", r.kind}, {"hint", r.hint}, {"outcome", RowOutcomeName(r.outcome)}};
  if (std::string_view sheet = f.SheetOf(r.line); !sheet.empty()) j["sheet"] = sheet;
  return j;
}

// The sheets read and skipped, and the hidden rows, of a workbook.
void AddSheetsToJson(const FileReport& f, nlohmann::json* j) {
  nlohmann::json hidden = nlohmann::json::array(), skipped = nlohmann::json::array();
  for (int64_t line : f.hidden_rows) hidden.push_back(LineToJson(f, line));
  for (const SkippedSheet& s : f.sheets_skipped) skipped.push_back({{"sheet", s.name}, {"reason", SkipReasonName(s.reason)}});
  (*j)["hidden_rows"] = std::move(hidden);
  nlohmann::json tables = nlohmann::json::array();
  for (int64_t line : f.table_header_rows) tables.push_back(LineToJson(f, line));
  (*j)["table_header_rows"] = std::move(tables);
  (*j)["sheets"] = f.sheets;
  (*j)["sheets_skipped"] = std::move(skipped);
}

nlohmann::json FileToJson(const FileReport& f) {
  nlohmann::json j = {{"file", f.file},         {"kind", f.kind},         {"import_id", f.import_id},         {"read", f.read},
                      {"accepted", f.accepted}, {"rejected", f.rejected}, {"inserted", f.inserted},
                      {"updated", f.updated},   {"unchanged", f.unchanged},
                      {"removed", f.removed},
                      {"total_rows_skipped", f.total_rows_skipped},
                      {"note_rows_skipped", f.note_rows_skipped},
                      {"header_rows_skipped", f.header_rows_skipped},
                      {"hidden_rows_skipped", f.hidden_rows_skipped},
                      {"rejected_by_kind", f.rejected_by_kind}, {"unmatched", f.unmatched},
                      {"duplicate", f.duplicate}, {"flagged_by_kind", f.flagged_by_kind}};
  AddSheetsToJson(f, &j);
  if (f.same_as_import != 0) j["same_as_import"] = f.same_as_import;
  j["refused"] = !f.refusal.ok();
  if (!f.refusal.ok()) j["refusal"] = {{"kind", f.refusal.kind()}, {"message", f.refusal.message()}};
  return j;
}

}  // namespace

nlohmann::json ReportToJson(const ImportReport& report) {
  std::map<std::string, int64_t> by_kind, flagged;
  nlohmann::json files = nlohmann::json::array(), rows = nlohmann::json::array(),
                 shared = nlohmann::json::array(), heads = nlohmann::json::array();
  for (const FileReport& f : report.files) {
    for (const auto& [kind, n] : f.rejected_by_kind) by_kind[kind] += n;
    for (const auto& [kind, n] : f.flagged_by_kind) flagged[kind] += n;
    files.push_back(FileToJson(f));
    for (const RejectRecord& r : f.rows) rows.push_back(RejectToJson(f, r));
    for (const SharedPerson& p : f.shared_persons) {
      shared.push_back({{"id_number", p.id_number}, {"name", p.name}, {"household_codes", p.household_codes}});
    }
    for (const HouseholdHeads& h : f.households_without_one_head) {
      nlohmann::json named = nlohmann::json::array();
      for (size_t i = 0; i < h.id_numbers.size(); ++i) named.push_back({{"id_number", h.id_numbers[i]}, {"name", h.names[i]}});
      heads.push_back({{"household_code", h.household_code}, {"heads", std::move(named)}});
    }
  }
  nlohmann::json counts = {{"read", report.Sum(&FileReport::read)},
                           {"accepted", report.Sum(&FileReport::accepted)},
                           {"rejected", report.Sum(&FileReport::rejected)},
                           {"rejected_by_kind", by_kind},
                           {"unmatched", report.Sum(&FileReport::unmatched)},
                           {"duplicate", report.Sum(&FileReport::duplicate)},
                           {"name_mismatch", flagged.contains("name_mismatch") ? flagged["name_mismatch"] : 0},
                           {"not_household_head", flagged.contains("not_household_head") ? flagged["not_household_head"] : 0},
                           {"flagged_by_kind", flagged},
                           {"hidden_rows_skipped", report.Sum(&FileReport::hidden_rows_skipped)},
                           {"files_refused", 0}};
  for (const FileReport& f : report.files) counts["files_refused"] = counts["files_refused"].get<int>() + !f.refusal.ok();
  return {{"counts", counts}, {"files", files}, {"rows", rows}, {"shared_persons", shared},
          {"households_without_one_head", heads}};
}

StatusOr<std::string> FileDigest(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return Error(StatusCode::kInvalidArgument, Msg::kIoDirectory, path.string());
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Error(StatusCode::kIoError, Msg::kIoOpen, path.string(), std::strerror(errno));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) crypto_hash_sha256_update(&state, buf.data(), n);
  if (std::ferror(f.get())) return Error(StatusCode::kIoError, Msg::kIoRead, path.string(), std::strerror(errno));
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, out);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return "sha256:" + std::string(hex);
}

}  // namespace hearth
