// hearth findings: the comparison findings (比对发现) of an area, and `hearth findings refresh`,
// which re-derives them for every household of the area under the policy in one transaction.
// Names and ID numbers are masked unless --reveal; every listing of personal data is audited.
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/policy_loading.h"
#include "cli/screening.h"
#include "core/clock.h"
#include "core/id_number.h"
#include "core/messages.h"
#include "findings/findings.h"
#include "policy/policy.h"
#include "store/record_rules.h"

namespace hearth::cli {
namespace {

struct FindingsArgs {
  std::string area;
  std::string type;
  bool all = false;
  int64_t top = 0;
  bool reveal = false;
  OutputOptions out;
  // refresh
  std::string as_of;
  std::string policy;
};

std::string KnownTypes() {
  std::string out;
  for (std::string_view t : FindingTypes()) out += (out.empty() ? "" : ", ") + std::string(t);
  return out;
}

// Person labels ("name（masked ID）"), looking names up in the households' registered members.
class PersonNames {
 public:
  PersonNames(Store& store, bool reveal) : store_(store), reveal_(reveal) {}

  std::string Label(const std::string& household_code, const std::string& id) {
    std::string name = NameOf(household_code, id);
    std::string shown = reveal_ ? id : MaskIdNumber(id);
    return name.empty() ? shown : name + "（" + shown + "）";
  }
  //! The registered member's name (also of one since removed, 减员); for a person 公安 placed in the household (born, moved in)
  //! and not registered yet, the name its change gave, else 新生儿 or 新迁入人员.
  std::string NameOf(const std::string& household_code, const std::string& id) {
    auto [it, inserted] = households_.try_emplace(household_code);
    if (inserted) {
      StatusOr<HouseholdView> view = store_.GetHousehold(household_code);
      if (view.ok()) it->second = std::move(*view);
    }
    for (const PersonRecord& p : it->second.members) {
      if (p.id_number == id) return p.name;
    }
    for (const EventRecord& e : it->second.events) {  // removed from the household (减员): as registered
      if (e.type == "registry.person_removed" && e.person_id_number == id) {
        nlohmann::json p = nlohmann::json::parse(e.payload, nullptr, false);
        if (p.is_object() && p.contains("person") && p["person"].is_object()) return p["person"].value("name", "");
      }
    }
    for (const EventRecord& e : it->second.events) {  // newest first
      if (e.type == "registration.change" && e.person_id_number == id) {
        return store_rules::JoinedPerson(0, id, e.payload).name;
      }
    }
    return "";
  }
  std::string Id(const std::string& id) const { return reveal_ ? id : MaskIdNumber(id); }

 private:
  Store& store_;
  bool reveal_;
  std::map<std::string, HouseholdView> households_;
};

std::string Sentence(const FindingRecord& f, PersonNames& names) {
  return RenderFinding(f, [&](const std::string& id) { return names.Label(f.household_code, id); });
}

nlohmann::json FindingJson(const FindingRecord& f, PersonNames& names) {
  nlohmann::json j = {{"id", f.id},
                      {"type", f.type},
                      {"type_label", FindingTypeLabel(f.type)},
                      {"severity", f.severity},
                      {"household_code", f.household_code},
                      {"village_code", f.village_code},
                      {"sentence", Sentence(f, names)},
                      {"params", nlohmann::json::parse(f.params, nullptr, false)},
                      {"opened", f.opened.ToIso()},
                      {"import_id", f.import_id}};
  j["closed"] = f.closed ? nlohmann::json(f.closed->ToIso()) : nlohmann::json();
  // Why it closed: its facts no longer hold (resolved), or the file that gave them was undone.
  j["closed_import"] = f.closed ? nlohmann::json(f.closed_import) : nlohmann::json();
  j["withdrawn"] = f.withdrawn;
  j["person"] = nlohmann::json();
  if (!f.person_id_number.empty()) {
    j["person"] = {{"name", names.NameOf(f.household_code, f.person_id_number)},
                   {"id_number", names.Id(f.person_id_number)}};
  }
  // The subject may be an ID number (person_in_two_households): shown as the person's is.
  j["subject"] = f.subject == f.person_id_number && !f.subject.empty() ? names.Id(f.subject) : f.subject;
  return j;
}

// The day a finding closed, and when the undo of its file closed it, that undo: "2025-02-03（已撤销，见 #5）".
std::string ClosedText(const FindingRecord& f) {
  if (!f.closed) return "";
  std::string text = f.closed->ToIso();
  if (f.withdrawn) text += Tr(Msg::kEventRetractedBy, "#" + std::to_string(f.closed_import));
  return text;
}

void PrintTable(const std::vector<FindingRecord>& findings, PersonNames& names, const OutputOptions& out) {
  TextTable t({Tr(Msg::kColSeverity), Tr(Msg::kColFindingType), Tr(Msg::kColVillage), Tr(Msg::kColHouseholdCode),
               Tr(Msg::kColPerson), Tr(Msg::kColFinding), Tr(Msg::kColOpened), Tr(Msg::kColClosed)});
  for (const FindingRecord& f : findings) {
    t.AddRow({SeverityLabel(f.severity), FindingTypeLabel(f.type), f.village_code, f.household_code,
              f.person_id_number.empty() ? "" : names.Label(f.household_code, f.person_id_number),
              Sentence(f, names), f.opened.ToIso(), ClosedText(f)});
  }
  EmitTable(t, out, Tr(Msg::kFindingsSheet));
}

void RunList(const GlobalOptions& global, const FindingsArgs& args) {
  Format format = Check(ParseFormat(args.out));
  if (!args.type.empty() && !IsFindingType(args.type)) {
    Fail(Error(StatusCode::kInvalidArgument, Msg::kCliFindingTypeUnknown, args.type, KnownTypes()));
  }
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  const std::string area = AreaOf(*store, args.area);
  std::vector<FindingRecord> findings = Check(store->ListFindings({area, !args.all, args.type, args.top}));
  Check(store->Audit(LocalPrincipal(), args.reveal ? "findings.list.reveal" : "findings.list",
                     "area:" + (area.empty() ? std::string("*") : area)));
  PersonNames names(*store, args.reveal);
  if (format == Format::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const FindingRecord& f : findings) out.push_back(FindingJson(f, names));
    std::cout << out.dump(2) << '\n';
    return;
  }
  if (findings.empty() && format == Format::kTable) {
    std::cout << Tr(Msg::kCliNoFindings) << '\n';
    return;
  }
  PrintTable(findings, names, args.out);
}

void RunRefresh(const GlobalOptions& global, const FindingsArgs& args) {
  const Date as_of = ParseAsOf(args.as_of);
  const UsablePolicy used = LoadPolicyOrFail(global, args.policy);
  const Policy& policy = *used.policy;
  std::unique_ptr<Store> store = Check(OpenExisting(global));
  // The stored findings hold as of the latest department file or refresh: going back before it
  // would close findings on a day before they were opened, and lose the day they were.
  for (const ImportRecord& i : Check(store->ListImports({}))) {
    const bool dated = i.status == "committed" && i.kind != "undo" && !i.kind.starts_with("registry");
    if (dated && i.received > as_of) Fail(Error(StatusCode::kFailedPrecondition, Msg::kCliRefreshBeforeLatest,
                                                as_of.ToIso(), i.received.ToIso(), i.id, i.kind));
  }
  const std::string area = AreaOf(*store, args.area);
  const std::vector<std::string> codes = Check(store->HouseholdCodes(area));
  const RefreshCounts counts = RefreshAndRecord(*store, codes, policy, as_of, area.empty() ? policy.region : area);
  std::cout << Tr(Msg::kCliFindingsRefreshDone, Thousands(counts.households), as_of.ToIso(),
                  policy.name.empty() ? policy.file : policy.name, counts.opened, counts.updated, counts.closed,
                  counts.unchanged)
            << '\n';
}

}  // namespace

void AddFindingsCommand(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<FindingsArgs>();
  CLI::App* cmd = app.add_subcommand("findings", Tr(Msg::kCliFindingsHelp));
  cmd->require_subcommand(0, 1);
  cmd->add_option("--area", args->area, Tr(Msg::kCliOptArea));
  cmd->add_option("--type", args->type, Tr(Msg::kCliOptFindingType, KnownTypes()));
  cmd->add_flag("--all", args->all, Tr(Msg::kCliOptFindingsAll));
  cmd->add_option("--top", args->top, Tr(Msg::kCliOptTop))->check(PositiveCount());
  cmd->add_flag("--reveal", args->reveal, Tr(Msg::kCliOptReveal));
  AddFormatOption(cmd, &args->out);

  CLI::App* refresh = cmd->add_subcommand("refresh", Tr(Msg::kCliFindingsRefreshHelp));
  refresh->add_option("--area", args->area, Tr(Msg::kCliOptArea));
  refresh->add_option("--as-of", args->as_of, Tr(Msg::kCliOptAsOf))->check(NotBlank());
  refresh->add_option("--policy", args->policy, Tr(Msg::kCliOptPolicy));
  refresh->callback([&global, args] { RunRefresh(global, *args); });
  cmd->callback([&global, args, refresh] {
    if (refresh->parsed()) return;
    RunList(global, *args);
  });
}

}  // namespace hearth::cli
