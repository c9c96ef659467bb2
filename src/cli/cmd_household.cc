// hearth household show 户编号: a household's members, incomes and events.
// ID numbers are masked unless --reveal; every view of personal data is audited.
#include <algorithm>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/id_number.h"
#include "core/messages.h"
#include "core/paths.h"
#include "feeds/feed_describe.h"
#include "ingest/registry_import.h"

namespace hearth::cli {
namespace {

using FeedSpecs = std::map<std::string, FeedSpec>;

struct ShowArgs {
  std::string household_code;
  OutputOptions out;
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

// The birth date with --reveal; else the age today: a masked ID number hides exactly the birth
// date's digits, and showing the date beside it would give them back.
std::string BirthShown(const PersonRecord& p, bool reveal, Date today) {
  return reveal ? p.birth_date.ToIso() : std::to_string(std::max(0, p.birth_date.YearsUntil(today)));
}

nlohmann::json PersonJson(const PersonRecord& p, bool reveal, Date today) {
  nlohmann::json j = {{"name", p.name}, {"id_number", IdShown(p.id_number, reveal)},
                      {"sex", p.sex == Sex::kMale ? "male" : "female"},
                      {"age", std::max(0, p.birth_date.YearsUntil(today))},
                      {"relation", RelationVocab().KeyEn(static_cast<int>(p.relation))},
                      {"health", HealthVocab().KeyEn(static_cast<int>(p.health))},
                      {"labour", LabourVocab().KeyEn(static_cast<int>(p.labour))},
                      {"schooling", SchoolingVocab().KeyEn(static_cast<int>(p.schooling))},
                      {"insured", p.insured}, {"id_converted_from_15", p.id_converted_from_15}};
  if (reveal) j["birth_date"] = p.birth_date.ToIso();
  j["disability_grade"] = p.disability_grade ? nlohmann::json(*p.disability_grade) : nlohmann::json();
  j["months_worked"] = p.months_worked ? nlohmann::json(*p.months_worked) : nlohmann::json();
  return j;
}

nlohmann::json IncomeJson(const IncomeRecord& i, size_t members) {
  nlohmann::json j = {{"year", i.year}, {"wage_fen", i.wage.fen()}, {"business_fen", i.business.fen()},
                      {"property_fen", i.property.fen()}, {"transfer_fen", i.transfer.fen()},
                      {"business_cost_fen", i.business_cost.fen()}, {"net_fen", i.Net().fen()}};
  if (members > 0) j["net_per_person_fen"] = i.Net().DividedByRoundingDown(static_cast<int64_t>(members)).fen();
  return j;
}

// The household's events no longer in force, each with the event that ended it. An event is in
// force unless an event in force supersedes it: a later file's correction, or the retraction of
// its file (an undone correction puts the fact it corrected back in force).
std::map<int64_t, const EventRecord*> EndedEvents(const std::vector<EventRecord>& events) {
  std::map<int64_t, std::vector<const EventRecord*>> superseders;
  for (const EventRecord& e : events) {
    if (e.supersedes != 0 && e.supersedes < e.id) superseders[e.supersedes].push_back(&e);
  }
  std::map<int64_t, const EventRecord*> ended;
  std::map<int64_t, bool> in_force;
  // Events in id order: a superseder is always later than what it supersedes, so decided after it.
  std::vector<const EventRecord*> by_id;
  for (const EventRecord& e : events) by_id.push_back(&e);
  std::sort(by_id.begin(), by_id.end(), [](const EventRecord* a, const EventRecord* b) { return a->id > b->id; });
  for (const EventRecord* e : by_id) {  // latest first
    bool force = true;
    if (auto it = superseders.find(e->id); it != superseders.end()) {
      for (const EventRecord* s : it->second) {
        if (in_force[s->id]) {
          force = false;
          ended[e->id] = s;
          break;
        }
      }
    }
    in_force[e->id] = force;
  }
  return ended;
}

std::string EventSource(const EventRecord& e) {
  return e.import_id > 0 ? "#" + std::to_string(e.import_id) + ":" + std::to_string(e.source_line) : "";
}

nlohmann::json EventJson(const EventRecord& e, bool reveal, const EventRecord* ended_by) {
  nlohmann::json j = {{"type", e.type}, {"effective_date", e.effective.ToIso()},
                      {"recorded_at", FormatTimestamp(e.recorded_at)},
                      {"person_id_number", e.person_id_number.empty() ? "" : IdShown(e.person_id_number, reveal)},
                      {"import_id", e.import_id}, {"source_line", e.source_line},
                      {"payload", nlohmann::json::parse(e.payload, nullptr, false)}};
  if (e.id != 0) j["id"] = e.id;
  if (e.supersedes != 0) j["supersedes"] = e.supersedes;  // the event it corrects or retracts
  j["in_force"] = ended_by == nullptr;
  if (ended_by != nullptr) j["ended_by"] = ended_by->id;
  return j;
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
  out["members"] = nlohmann::json::array();
  out["incomes"] = nlohmann::json::array();
  out["events"] = nlohmann::json::array();
  const Date today = SystemClock().Today();
  for (const auto& p : v.members) out["members"].push_back(PersonJson(p, reveal, today));
  for (const auto& i : v.incomes) out["incomes"].push_back(IncomeJson(i, v.members.size()));
  const std::map<int64_t, const EventRecord*> ended = EndedEvents(v.events);
  for (const auto& e : v.events) {
    auto it = ended.find(e.id);
    out["events"].push_back(EventJson(e, reveal, it == ended.end() ? nullptr : it->second));
  }
  std::cout << out.dump(2) << '\n';
}

void PrintMembers(const HouseholdView& v, bool reveal) {
  std::cout << '\n' << Tr(Msg::kHouseholdMembers, v.members.size()) << '\n';
  const Date today = SystemClock().Today();
  TextTable t({Tr(Msg::kColPersonName), Tr(Msg::kColIdNumber), Tr(Msg::kColSex), Tr(reveal ? Msg::kColBirth : Msg::kColAge),
               Tr(Msg::kColRelation), Tr(Msg::kColHealth), Tr(Msg::kColDisability), Tr(Msg::kColLabour),
               Tr(Msg::kColSchooling), Tr(Msg::kColInsured), Tr(Msg::kColMonthsWorked)});
  for (const PersonRecord& p : v.members) {
    t.AddRow({p.name, IdShown(p.id_number, reveal), Tr(p.sex == Sex::kMale ? Msg::kSexMale : Msg::kSexFemale),
              BirthShown(p, reveal, today), std::string(Label(RelationVocab(), static_cast<int>(p.relation))),
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
              members > 0 ? i.Net().DividedByRoundingDown(members).ToString() : "-"});
  }
  t.Print(std::cout);
}

// The column label of a field named in an update event's payload.
std::string FieldLabel(const std::string& key) {
  static const std::pair<std::string_view, Msg> kLabels[] = {
      {"village_code", Msg::kColVillageCode}, {"household_type", Msg::kColHouseholdType},
      {"exit_year", Msg::kColExitYear}, {"relocation_site", Msg::kColRelocationSite},
      {"housing_grade", Msg::kColHousingGrade}, {"water_safe", Msg::kColWaterSafe},
      {"name", Msg::kColPersonName}, {"relation", Msg::kColRelation}, {"health", Msg::kColHealth},
      {"labour", Msg::kColLabour}, {"schooling", Msg::kColSchooling}, {"insured", Msg::kColInsured},
      {"disability_grade", Msg::kColDisability}, {"months_worked", Msg::kColMonthsWorked},
      {"wage_fen", Msg::kColWage}, {"business_fen", Msg::kColBusiness}, {"property_fen", Msg::kColProperty},
      {"transfer_fen", Msg::kColTransfer}, {"business_cost_fen", Msg::kColBusinessCost}};
  for (const auto& [name, msg] : kLabels) {
    if (name == key) return Tr(msg);
  }
  return key;
}

// A value of an update event as the tables above show it: labels, 是/否, yuan.
std::string FieldValue(const std::string& key, const nlohmann::json& v) {
  static const std::pair<std::string_view, const Vocabulary& (*)()> kVocabs[] = {
      {"household_type", &HouseholdTypeVocab}, {"relation", &RelationVocab}, {"health", &HealthVocab},
      {"labour", &LabourVocab}, {"schooling", &SchoolingVocab}};
  if (v.is_null()) return Tr(Msg::kNone);
  if (v.is_boolean()) return YesNo(v.get<bool>());
  if (key.ends_with("_fen") && v.is_number_integer()) return Money::FromFen(v.get<int64_t>()).ToString();
  if (!v.is_string()) return v.dump();
  for (const auto& [name, vocab] : kVocabs) {
    if (name != key) continue;
    if (std::optional<int> value = vocab().Parse(v.get<std::string>())) return std::string(Label(vocab(), *value));
  }
  return v.get<std::string>();
}

// A readable sentence for an event; the raw payload stays in --format json. A department's fact
// is told with its definition's column headers (data/feeds/), a correction as such.
std::string DescribeEvent(const EventRecord& e, const HouseholdView& v, const FeedSpecs& feeds) {
  if (auto spec = feeds.find(e.type); spec != feeds.end()) {
    std::string facts = DescribeFeedPayload(spec->second, e.payload);
    return e.supersedes != 0 ? Tr(Msg::kEventCorrection, facts) : facts;
  }
  nlohmann::json p = nlohmann::json::parse(e.payload, nullptr, false);
  if (e.type == "retraction") {
    const int64_t import_id = p.is_object() ? p.value("retracts_import", int64_t{0}) : 0;
    return Tr(Msg::kEventRetraction, import_id);
  }
  if (p.is_object() && p.contains("after")) {
    std::string changes;
    const nlohmann::json& before = p["before"];
    const nlohmann::json& after = p["after"];
    for (const auto& [key, value] : after.items()) {
      if (key == "year") continue;
      if (!changes.empty()) changes += "；";
      changes += FieldLabel(key) + " " + FieldValue(key, before.value(key, nlohmann::json())) + " → " +
                 FieldValue(key, value);
    }
    std::string year = p.contains("year") ? std::to_string(p["year"].get<int>()) + " " : "";
    return year + Tr(Msg::kEventUpdated, changes);
  }
  if (e.type == "registry.person_removed" && p.is_object()) {
    const int status = MemberStatusVocab().Parse(p.value("status", "")).value_or(static_cast<int>(MemberStatus::kRemovedOther));
    const nlohmann::json person = p.value("person", nlohmann::json::object());
    std::string note = p.value("note", "");
    return Tr(Msg::kEventPersonRemoved, person.is_object() ? person.value("name", "") : "",
              Label(MemberStatusVocab(), status), note.empty() ? "" : "：" + note);
  }
  if (e.type == "registry.household") return Tr(Msg::kEventHouseholdNew);
  if (e.type == "registry.income") return Tr(Msg::kEventIncomeNew, p.is_object() ? p.value("year", 0) : 0);
  if (e.type == "registry.person") {
    for (const PersonRecord& m : v.members) {
      if (m.id_number == e.person_id_number) return Tr(Msg::kEventPersonNew, m.name);
    }
    return Tr(Msg::kEventPersonNew, "");
  }
  return e.payload;
}

// The event's kind as people name it: the department and its list for a feed's fact.
std::string EventTypeLabel(const EventRecord& e, const FeedSpecs& feeds) {
  if (auto spec = feeds.find(e.type); spec != feeds.end()) return FeedEventLabel(spec->second);
  if (e.type.starts_with("registry.")) {
    return Tr(Msg::kEventTypeRegistry);
  }
  if (e.type == "retraction") return Tr(Msg::kEventTypeRetraction);
  return e.type;
}

void PrintEvents(const HouseholdView& v, bool reveal, const FeedSpecs& feeds) {
  std::cout << '\n' << Tr(Msg::kHouseholdEvents, v.events.size()) << '\n';
  TextTable t({Tr(Msg::kColDate), Tr(Msg::kColEventType), Tr(Msg::kColIdNumber), Tr(Msg::kColSource),
               Tr(Msg::kColDetail)});
  const std::map<int64_t, const EventRecord*> ended = EndedEvents(v.events);
  for (const EventRecord& e : v.events) {
    std::string detail = DescribeEvent(e, v, feeds);
    if (auto it = ended.find(e.id); it != ended.end()) {
      const EventRecord& by = *it->second;
      detail += Tr(by.type == "retraction" ? Msg::kEventRetractedBy : Msg::kEventCorrectedBy, EventSource(by));
    }
    t.AddRow({e.effective.ToIso(), EventTypeLabel(e, feeds),
              e.person_id_number.empty() ? "" : IdShown(e.person_id_number, reveal), EventSource(e), std::move(detail)});
  }
  t.Print(std::cout);
}

void PrintTable(const HouseholdView& v, bool reveal, const FeedSpecs& feeds) {
  const HouseholdRecord& h = v.household;
  std::cout << Tr(Msg::kHouseholdHeader, h.household_code, AreaPath(v), h.village_code) << '\n';
  std::cout << Label(HouseholdTypeVocab(), static_cast<int>(h.type)) << "　"
            << Tr(Msg::kHouseholdFacts, OrNone(h.exit_year),
                  h.relocation_site.empty() ? Tr(Msg::kNone) : h.relocation_site, OrNone(h.housing_grade),
                  OrNone(h.water_safe))
            << '\n';
  PrintMembers(v, reveal);
  PrintIncomes(v);
  PrintEvents(v, reveal, feeds);
}

void RunShow(const GlobalOptions& global, const ShowArgs& args) {
  Format format = Check(ParseFormat(args.out));
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  HouseholdView view = Check(store->GetHousehold(NormalizeHouseholdCode(args.household_code)));
  Check(store->Audit(LocalPrincipal(), args.reveal ? "household.show.reveal" : "household.show",
                     "household:" + view.household.household_code));  // as stored, however it was typed
  if (format == Format::kJson) return PrintJson(view, args.reveal);
  // Without the feed definitions (no data directory), facts are shown as stored.
  StatusOr<std::filesystem::path> data_dir = FindDataDir(global.data_dir);
  PrintTable(view, args.reveal, data_dir.ok() ? FeedSpecsByEventType(*data_dir) : FeedSpecs());
}

}  // namespace

void AddHouseholdCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* household = app.add_subcommand("household", Tr(Msg::kCliHouseholdHelp));
  household->require_subcommand(1);
  auto args = std::make_shared<ShowArgs>();
  CLI::App* show = household->add_subcommand("show", Tr(Msg::kCliHouseholdShowHelp));
  show->add_option("HOUSEHOLD_CODE", args->household_code)->required();
  show->add_flag("--reveal", args->reveal, Tr(Msg::kCliOptReveal));
  AddFormatOption(show, &args->out, /*xlsx_allowed=*/false);
  show->callback([&global, args] { RunShow(global, *args); });
}

}  // namespace hearth::cli
