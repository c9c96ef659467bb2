// hearth household show 户编号: a household's members, incomes and events.
// ID numbers are masked unless --reveal; every view of personal data is audited.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/id_number.h"
#include "core/messages.h"

namespace hearth::cli {
namespace {

struct ShowArgs {
  std::string household_code;
  std::string format;
  bool reveal = false;
};

std::string_view Label(const Vocabulary& v, int value) {
  return CurrentLanguage() == Lang::kEn ? v.KeyEn(value) : v.LabelZh(value);
}

std::string YesNo(bool b) { return std::string(Label(YesNoVocab(), b ? 1 : 0)); }

template <typename T>
std::string OrNone(const std::optional<T>& v) {
  if (!v) return Tr(Msg::kNone);
  if constexpr (std::is_same_v<T, char>) return std::string(1, *v);
  else if constexpr (std::is_same_v<T, bool>) return YesNo(*v);
  else return std::to_string(*v);
}

std::string AreaPath(const HouseholdView& v) {
  std::string path;
  for (const Area& a : v.path) path += a.name;
  return path;
}

std::string IdShown(const std::string& id, bool reveal) { return reveal ? id : MaskIdNumber(id); }

nlohmann::json PersonJson(const PersonRecord& p, bool reveal) {
  nlohmann::json j = {{"name", p.name}, {"id_number", IdShown(p.id_number, reveal)},
                      {"sex", p.sex == Sex::kMale ? "male" : "female"}, {"birth_date", p.birth_date.ToIso()},
                      {"relation", RelationVocab().KeyEn(static_cast<int>(p.relation))},
                      {"health", HealthVocab().KeyEn(static_cast<int>(p.health))},
                      {"labour", LabourVocab().KeyEn(static_cast<int>(p.labour))},
                      {"schooling", SchoolingVocab().KeyEn(static_cast<int>(p.schooling))},
                      {"insured", p.insured}, {"id_converted_from_15", p.id_converted_from_15}};
  j["disability_grade"] = p.disability_grade ? nlohmann::json(*p.disability_grade) : nlohmann::json();
  j["months_worked"] = p.months_worked ? nlohmann::json(*p.months_worked) : nlohmann::json();
  return j;
}

nlohmann::json IncomeJson(const IncomeRecord& i, size_t members) {
  nlohmann::json j = {{"year", i.year}, {"wage_fen", i.wage.fen()}, {"business_fen", i.business.fen()},
                      {"property_fen", i.property.fen()}, {"transfer_fen", i.transfer.fen()},
                      {"business_cost_fen", i.business_cost.fen()}, {"net_fen", i.Net().fen()}};
  if (members > 0) j["net_per_person_fen"] = i.Net().DividedBy(static_cast<int64_t>(members)).fen();
  return j;
}

nlohmann::json EventJson(const EventRecord& e, bool reveal) {
  return {{"type", e.type}, {"effective_date", e.effective.ToIso()}, {"recorded_at", FormatTimestamp(e.recorded_at)},
          {"person_id_number", e.person_id_number.empty() ? "" : IdShown(e.person_id_number, reveal)},
          {"import_id", e.import_id}, {"source_line", e.source_line},
          {"payload", nlohmann::json::parse(e.payload, nullptr, false)}};
}

void PrintJson(const HouseholdView& v, bool reveal) {
  const HouseholdRecord& h = v.household;
  nlohmann::json out = {{"household_code", h.household_code}, {"village_code", h.village_code},
                        {"area_path", nlohmann::json::array()},
                        {"household_type", HouseholdTypeVocab().KeyEn(static_cast<int>(h.type))},
                        {"relocation_site", h.relocation_site}};
  for (const Area& a : v.path) out["area_path"].push_back({{"code", a.code}, {"name", a.name}});
  out["exit_year"] = h.exit_year ? nlohmann::json(*h.exit_year) : nlohmann::json();
  out["housing_grade"] = h.housing_grade ? nlohmann::json(std::string(1, *h.housing_grade)) : nlohmann::json();
  out["water_safe"] = h.water_safe ? nlohmann::json(*h.water_safe) : nlohmann::json();
  for (const auto& p : v.members) out["members"].push_back(PersonJson(p, reveal));
  for (const auto& i : v.incomes) out["incomes"].push_back(IncomeJson(i, v.members.size()));
  for (const auto& e : v.events) out["events"].push_back(EventJson(e, reveal));
  std::cout << out.dump(2) << '\n';
}

void PrintMembers(const HouseholdView& v, bool reveal) {
  std::cout << '\n' << Tr(Msg::kHouseholdMembers, v.members.size()) << '\n';
  TextTable t({Tr(Msg::kColPersonName), Tr(Msg::kColIdNumber), Tr(Msg::kColSex), Tr(Msg::kColBirth),
               Tr(Msg::kColRelation), Tr(Msg::kColHealth), Tr(Msg::kColDisability), Tr(Msg::kColLabour),
               Tr(Msg::kColSchooling), Tr(Msg::kColInsured), Tr(Msg::kColMonthsWorked)});
  for (const PersonRecord& p : v.members) {
    t.AddRow({p.name, IdShown(p.id_number, reveal), Tr(p.sex == Sex::kMale ? Msg::kSexMale : Msg::kSexFemale),
              p.birth_date.ToIso(), std::string(Label(RelationVocab(), static_cast<int>(p.relation))),
              std::string(Label(HealthVocab(), static_cast<int>(p.health))), OrNone(p.disability_grade),
              std::string(Label(LabourVocab(), static_cast<int>(p.labour))),
              std::string(Label(SchoolingVocab(), static_cast<int>(p.schooling))), YesNo(p.insured),
              OrNone(p.months_worked)});
  }
  t.Print(std::cout);
}

void PrintIncomes(const HouseholdView& v) {
  std::cout << '\n' << Tr(Msg::kHouseholdIncomes) << '\n';
  TextTable t({Tr(Msg::kColYear), Tr(Msg::kColWage), Tr(Msg::kColBusiness), Tr(Msg::kColProperty),
               Tr(Msg::kColTransfer), Tr(Msg::kColBusinessCost), Tr(Msg::kColNet), Tr(Msg::kColNetPerPerson)});
  for (size_t c = 1; c < 8; ++c) t.AlignRight(c);
  int64_t members = static_cast<int64_t>(v.members.size());
  for (const IncomeRecord& i : v.incomes) {
    t.AddRow({std::to_string(i.year), i.wage.ToString(), i.business.ToString(), i.property.ToString(),
              i.transfer.ToString(), i.business_cost.ToString(), i.Net().ToString(),
              members > 0 ? i.Net().DividedBy(members).ToString() : "-"});
  }
  t.Print(std::cout);
}

// A readable sentence for an event; the raw payload stays in --format json.
std::string DescribeEvent(const EventRecord& e) {
  nlohmann::json p = nlohmann::json::parse(e.payload, nullptr, false);
  if (!p.is_object()) return "";
  std::string change = Tr(p.value("change", "") == "inserted" ? Msg::kChangeInserted : Msg::kChangeUpdated);
  auto label = [&](const Vocabulary& v, const char* field) {
    std::optional<int> value = v.Parse(p.value(field, ""));
    return value ? std::string(Label(v, *value)) : std::string();
  };
  if (e.type == "registry.household") {
    return Tr(Msg::kEventHousehold, change, label(HouseholdTypeVocab(), "household_type"), p.value("village_code", ""));
  }
  if (e.type == "registry.person") {
    return Tr(Msg::kEventPerson, change, p.value("name", ""), label(RelationVocab(), "relation"));
  }
  if (e.type == "registry.income") {
    int64_t net = p.value("wage_fen", 0LL) + p.value("business_fen", 0LL) + p.value("property_fen", 0LL) +
                  p.value("transfer_fen", 0LL) - p.value("business_cost_fen", 0LL);
    return Tr(Msg::kEventIncome, change, p.value("year", 0), Money::FromFen(net).ToString());
  }
  return e.payload;
}

void PrintEvents(const HouseholdView& v, bool reveal) {
  std::cout << '\n' << Tr(Msg::kHouseholdEvents, v.events.size()) << '\n';
  TextTable t({Tr(Msg::kColDate), Tr(Msg::kColEventType), Tr(Msg::kColIdNumber), Tr(Msg::kColSource),
               Tr(Msg::kColDetail)});
  for (const EventRecord& e : v.events) {
    std::string source = e.import_id > 0 ? "#" + std::to_string(e.import_id) + ":" + std::to_string(e.source_line) : "";
    t.AddRow({e.effective.ToIso(), e.type, e.person_id_number.empty() ? "" : IdShown(e.person_id_number, reveal),
              source, DescribeEvent(e)});
  }
  t.Print(std::cout);
}

void PrintTable(const HouseholdView& v, bool reveal) {
  const HouseholdRecord& h = v.household;
  std::cout << Tr(Msg::kHouseholdHeader, h.household_code, AreaPath(v), h.village_code) << '\n';
  std::cout << Label(HouseholdTypeVocab(), static_cast<int>(h.type)) << "　"
            << Tr(Msg::kHouseholdFacts, OrNone(h.exit_year),
                  h.relocation_site.empty() ? Tr(Msg::kNone) : h.relocation_site, OrNone(h.housing_grade),
                  OrNone(h.water_safe))
            << '\n';
  PrintMembers(v, reveal);
  PrintIncomes(v);
  PrintEvents(v, reveal);
}

void RunShow(const GlobalOptions& global, const ShowArgs& args) {
  Format format = Check(ParseFormat(args.format));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  HouseholdView view = Check(store->GetHousehold(args.household_code));
  Check(store->Audit(LocalPrincipal(), args.reveal ? "household.show.reveal" : "household.show",
                     "household:" + args.household_code));
  if (format == Format::kJson) return PrintJson(view, args.reveal);
  PrintTable(view, args.reveal);
}

}  // namespace

void AddHouseholdCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* household = app.add_subcommand("household", Tr(Msg::kCliHouseholdHelp));
  household->require_subcommand(1);
  auto args = std::make_shared<ShowArgs>();
  CLI::App* show = household->add_subcommand("show", Tr(Msg::kCliHouseholdShowHelp));
  show->add_option("HOUSEHOLD_CODE", args->household_code)->required();
  show->add_flag("--reveal", args->reveal, Tr(Msg::kCliOptReveal));
  AddFormatOption(show, &args->format);
  show->callback([&global, args] { RunShow(global, *args); });
}

}  // namespace hearth::cli
