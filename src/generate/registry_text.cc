#include "generate/registry_text.h"

#include <array>

#include "core/vocab.h"
#include "generate/format.h"
#include "generate/ids.h"

namespace hearth::gen {
namespace {

// Labels of a vocabulary by value (1..9), looked up once.
std::array<std::string_view, 10> Labels(const Vocabulary& vocab) {
  std::array<std::string_view, 10> labels{};
  for (int v = 1; v < 10; ++v) labels[static_cast<size_t>(v)] = vocab.LabelZh(v);
  return labels;
}

struct Vocabularies {
  std::array<std::string_view, 10> relation = Labels(RelationVocab());
  std::array<std::string_view, 10> health = Labels(HealthVocab());
  std::array<std::string_view, 10> labour = Labels(LabourVocab());
  std::array<std::string_view, 10> schooling = Labels(SchoolingVocab());
};

const Vocabularies& Vocab() {
  static const Vocabularies kVocab;
  return kVocab;
}

void AppendHousehold(const RunContext& ctx, const Household& h, const std::string& code, std::string* out) {
  const Village& village = ctx.geo->villages()[static_cast<size_t>(h.slot.village)];
  out->append(code);
  out->push_back(',');
  out->append(village.code);
  out->append(h.tuopin ? ",脱贫户," : ",一般农户,");
  if (h.tuopin) AppendInt(h.exit_year, out);
  out->push_back(',');
  if (h.relocated) out->append(RelocationSiteName(ctx.geo->townships()[static_cast<size_t>(village.township)]));
  out->push_back(',');
  out->push_back(h.housing);
  out->append(h.water_safe ? ",是\n" : ",否\n");
}

void AppendMember(const RunContext& ctx, const Person& p, const std::string& code, std::string* out) {
  const Vocabularies& v = Vocab();
  out->append(code);
  out->push_back(',');
  AppendName(p.name, out);
  out->push_back(',');
  AppendIdNumber(*ctx.geo, p, out);
  out->push_back(',');
  out->append(v.relation[static_cast<size_t>(p.relation)]);
  out->push_back(',');
  out->append(v.health[static_cast<size_t>(p.health)]);
  out->push_back(',');
  out->append(v.labour[static_cast<size_t>(p.labour)]);
  out->push_back(',');
  out->append(v.schooling[static_cast<size_t>(p.schooling)]);
  out->append(p.insured ? ",是," : ",否,");
  if (p.disability_grade > 0) AppendInt(p.disability_grade, out);
  out->push_back(',');
  const bool can_work = p.labour != Labour::kNone && p.labour != Labour::kLost;
  if (can_work || p.months_worked > 0) AppendInt(p.months_worked, out);
  out->push_back('\n');
}

void AppendIncome(const RunContext& ctx, const Household& h, const std::string& code, std::string* out) {
  out->append(code);
  out->push_back(',');
  AppendInt(ctx.income_year, out);
  for (int64_t amount :
       {h.income.wage, h.income.business, h.income.property, h.income.transfer, h.income.business_cost}) {
    out->push_back(',');
    AppendFen(amount, out);
  }
  out->push_back('\n');
}

void AppendTruth(const Block& block, size_t h, const std::string& code, const std::vector<std::string>& months,
                 std::string* out) {
  for (size_t m = 0; m < months.size(); ++m) {
    const size_t row = h * months.size() + m;
    if (block.truth_income[row] == kNoTruth) continue;  // nobody left in the household
    out->append(code);
    out->push_back(',');
    out->append(months[m]);
    out->push_back(',');
    AppendInt(block.truth_income[row], out);
    out->push_back(',');
    AppendInt(block.truth_rigid[row], out);
    out->push_back('\n');
  }
}

}  // namespace

std::string RelocationSiteName(const Township& township) { return township.name + "易地扶贫搬迁安置点"; }

void RenderBlockText(const RunContext& ctx, const Block& block, BlockText* out) {
  std::vector<std::string> months;
  for (int m = 0; m < ctx.months; ++m) months.push_back(ctx.MonthStart(m).ToYearMonth());
  out->households.reserve(block.households.size() * 64);
  out->members.reserve(block.persons.size() * 120);
  out->incomes.reserve(block.households.size() * 80);
  out->truth.reserve(block.households.size() * months.size() * 44);
  std::string code;
  for (size_t h = 0; h < block.households.size(); ++h) {
    const Household& hh = block.households[h];
    code.clear();
    AppendHouseholdCode(*ctx.geo, hh, &code);
    AppendHousehold(ctx, hh, code, &out->households);
    for (int32_t i = 0; i < hh.registry_size; ++i) {
      AppendMember(ctx, block.persons[static_cast<size_t>(hh.first_person + i)], code, &out->members);
    }
    AppendIncome(ctx, hh, code, &out->incomes);
    AppendTruth(block, h, code, months, &out->truth);
  }
}

}  // namespace hearth::gen
