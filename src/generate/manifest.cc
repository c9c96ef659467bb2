#include "generate/manifest.h"

#include <nlohmann/json.hpp>

#include "generate/output.h"

namespace hearth::gen {
namespace {

using Json = nlohmann::ordered_json;

Json FileJson(const ManifestFile& f) {
  Json j = {{"path", f.path}, {"kind", f.kind}, {"rows", f.rows}};
  if (!f.variant) return j;
  const FileVariant& v = *f.variant;
  j["department"] = f.department;
  j["month"] = f.month.ToYearMonth();
  j["received"] = f.received.ToIso();
  j["format"] = FileFormatName(v.format);
  j["encoding"] = EncodingNameOf(v.format);
  j["title_row"] = v.title_row;
  j["header_line"] = f.header_line;
  j["total_row"] = v.total_row;
  j["date_style"] = DateStyleName(v.dates);
  j["thousands_separators"] = v.thousands;
  j["lowercase_x"] = v.lowercase_x;
  j["name_dot_variant"] = v.dot_variant;
  return j;
}

Json StatsJson(const GenerateSummary& s) {
  const PopulationStats& p = s.stats;
  return {{"households", s.households},
          {"persons", s.persons},
          {"later_persons", s.later_persons},
          {"tuopin_households", p.tuopin},
          {"relocated_households", p.relocated},
          {"net_income_fen", p.net_income_fen},
          {"person_months", p.person_months},
          {"hospital_admissions", p.admissions},
          {"deaths", p.deaths},
          {"births", p.births},
          {"disaster_households", p.disaster_households},
          {"job_losses", p.job_losses},
          {"dropouts", p.dropouts},
          {"business_failures", p.business_failures},
          {"below_6000_first_month", p.below_6000_start},
          {"below_8000_first_month", p.below_8000_start},
          {"below_6000_last_month", p.below_6000_end},
          {"below_8000_last_month", p.below_8000_end},
          {"truth_rows", s.truth_rows},
          {"feed_rows", s.feed_rows},
          {"faults", s.faults}};
}

Json EventsJson(const RunContext& ctx) {
  Json counties = Json::array();
  for (size_t c = 0; c < ctx.epidemic.county.size(); ++c) {
    if (ctx.epidemic.county[c]) counties.push_back(ctx.geo->counties()[c].code);
  }
  return {{"epidemic",
           {{"first_month", ctx.MonthStart(ctx.epidemic.first).ToYearMonth()},
            {"last_month", ctx.MonthStart(ctx.epidemic.last).ToYearMonth()},
            {"counties", counties}}},
          {"township_disasters", ctx.disasters.size()}};
}

}  // namespace

Date ReceivedDate(Date month) {
  const Date next = Date::FromCivil(month.year(), month.month(), 1).AddMonths(1);
  return Date::FromCivil(next.year(), next.month(), 5);
}

Status WriteManifest(const std::filesystem::path& out, const GenerateOptions& options, const RunContext& ctx,
                     const std::vector<ManifestFile>& files, const std::vector<FaultRecord>& faults,
                     const GenerateSummary& summary) {
  Json j;
  j["generator"] = "hearth generate";
  j["format_version"] = 1;
  j["options"] = {{"households", options.households},
                  {"seed", options.seed},
                  {"months", options.months},
                  {"start", ctx.start.ToYearMonth()},
                  {"region", options.region}};
  j["income_year"] = ctx.income_year;
  j["counts"] = StatsJson(summary);
  j["events"] = EventsJson(ctx);
  Json file_list = Json::array();
  for (const ManifestFile& f : files) file_list.push_back(FileJson(f));
  j["files"] = std::move(file_list);
  Json fault_list = Json::array();
  for (const FaultRecord& f : faults) {
    fault_list.push_back({{"file", f.file}, {"line", f.line}, {"kind", FaultKindName(f.kind)}});
  }
  j["faults"] = std::move(fault_list);
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<TextFile> file, TextFile::Create(out / "manifest.json"));
  HEARTH_RETURN_IF_ERROR(file->Write(j.dump(1) + "\n"));
  return file->Close();
}

}  // namespace hearth::gen
