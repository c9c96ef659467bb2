#include "generate/feeds.h"

#include <array>

#include "core/money.h"
#include "core/text.h"
#include "generate/format.h"
#include "generate/ids.h"
#include "generate/names.h"
#include "generate/params.h"

namespace hearth::gen {
namespace {

using C = CellType;

const std::array<FeedSpec, kFeedKinds> kSpecs = {{
    {FeedKind::kMedicalClaims,
     "medical-claims",
     "医保",
     "住院及门诊慢特病结算明细",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"就诊类型", C::kText},
      {"入院日期", C::kDate},
      {"出院日期", C::kDate},
      {"医疗总费用", C::kMoney},
      {"基本医保报销", C::kMoney},
      {"大病保险报销", C::kMoney},
      {"医疗救助", C::kMoney},
      {"个人自付", C::kMoney}}},
    {FeedKind::kMedicalEnrolment,
     "medical-enrolment",
     "医保",
     "城乡居民基本医疗保险参保变动名单",
     {{"证件号码", C::kId}, {"姓名", C::kName}, {"参保年度", C::kInt}, {"参保状态", C::kText}, {"变动日期", C::kDate}}},
    {FeedKind::kSchool,
     "school",
     "教育",
     "学生在校状态及学费信息",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"学段", C::kText},
      {"在校状态", C::kText},
      {"学年", C::kText},
      {"学费及其他费用", C::kMoney},
      {"登记日期", C::kDate}}},
    {FeedKind::kSocialAssistance,
     "social-assistance",
     "民政",
     "新增社会救助对象名单",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"救助类型", C::kText},
      {"开始日期", C::kDate},
      {"结束日期", C::kDate},
      {"月金额", C::kMoney}}},
    {FeedKind::kEmployment,
     "employment",
     "人社",
     "农村劳动力就业失业变动名单",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"就业状态", C::kText},
      {"务工地点", C::kText},
      {"月收入", C::kMoney},
      {"开始日期", C::kDate},
      {"结束日期", C::kDate},
      {"岗位类型", C::kText}}},
    {FeedKind::kHousing,
     "housing",
     "住建",
     "农村住房安全鉴定结果",
     {{"户主证件号码", C::kId}, {"户主姓名", C::kName}, {"鉴定日期", C::kDate}, {"安全等级", C::kText}}},
    {FeedKind::kWater,
     "water",
     "水利",
     "农村饮水安全排查问题清单",
     {{"户主证件号码", C::kId},
      {"户主姓名", C::kName},
      {"村代码", C::kText},
      {"评估日期", C::kDate},
      {"水量", C::kText},
      {"水质", C::kText},
      {"方便程度", C::kText},
      {"供水保证率", C::kText}}},
    {FeedKind::kDisaster,
     "disaster",
     "应急管理",
     "自然灾害受灾人员名单",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"灾害类型", C::kText},
      {"发生日期", C::kDate},
      {"直接经济损失", C::kMoney},
      {"受灾程度", C::kText}}},
    {FeedKind::kDisability,
     "disability",
     "残联",
     "残疾人证核发名单",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"残疾类别", C::kText},
      {"残疾等级", C::kText},
      {"发证日期", C::kDate},
      {"办证类型", C::kText}}},
    {FeedKind::kHouseholdRegistration,
     "household-registration",
     "公安",
     "户籍变动人员名单",
     {{"证件号码", C::kId},
      {"姓名", C::kName},
      {"变动类型", C::kText},
      {"变动日期", C::kDate},
      {"户编号", C::kText},
      {"与户主关系", C::kText}}},
}};

constexpr std::array<std::string_view, 2> kVisit = {"门诊", "住院"};
constexpr std::array<std::string_view, 3> kEnrolStatus = {"参保", "未参保", "停保"};
constexpr std::array<std::string_view, 3> kStudyStatus = {"在校", "辍学", "休学"};
constexpr std::array<std::string_view, 3> kAssistance = {"低保", "特困", "临时救助"};
constexpr std::array<std::string_view, 2> kJobStatus = {"就业", "失业"};
constexpr std::array<std::string_view, 6> kDisasterType = {"洪涝", "风雹", "大风沙尘", "低温冷冻", "旱灾", "地震"};
constexpr std::array<std::string_view, 3> kSeverity = {"轻度", "中度", "重度"};
constexpr std::array<std::string_view, 7> kDisabilityKind = {"视力", "听力", "言语", "肢体", "智力", "精神", "多重"};
constexpr std::array<std::string_view, 5> kGrade = {"", "一级", "二级", "三级", "四级"};
constexpr std::array<std::string_view, 3> kCertificate = {"新办", "换领", "等级变更"};
constexpr std::array<std::string_view, 4> kRegistration = {"死亡", "迁出", "迁入", "出生"};
constexpr std::array<std::string_view, 4> kWaterAspects = {"水量", "水质", "方便程度", "供水保证率"};

std::string_view StageLabel(int schooling) {
  switch (static_cast<Schooling>(schooling)) {
    case Schooling::kPreschool:
      return "学前";
    case Schooling::kPrimary:
      return "小学";
    case Schooling::kJunior:
      return "初中";
    case Schooling::kSenior:
      return "高中";
    case Schooling::kVocationalSecondary:
      return "中职";
    case Schooling::kVocationalCollege:
      return "高职";
    case Schooling::kBachelorOrAbove:
      return "本科";
    default:
      return "其他";
  }
}

// Builds the cells of one event's row.
class RowBuilder {
 public:
  RowBuilder(const RunContext& ctx, const Block& block) : ctx_(ctx), block_(block) {}

  void Build(const FeedEvent& e, std::vector<Cell>* cells) {
    cells_ = cells;
    cells_->clear();
    const Person& p = block_.persons[static_cast<size_t>(e.person)];
    Add(C::kId, IdNumberOf(*ctx_.geo, p));
    Add(C::kName, NameText(p.name));
    switch (e.kind) {
      case FeedKind::kMedicalClaims:
        return Claim(e);
      case FeedKind::kMedicalEnrolment:
        return Enrolment(e);
      case FeedKind::kSchool:
        return School(e);
      case FeedKind::kSocialAssistance:
        return Assistance(e);
      case FeedKind::kEmployment:
        return Employment(e);
      case FeedKind::kHousing:
        return Housing(e);
      case FeedKind::kWater:
        return Water(e, p);
      case FeedKind::kDisaster:
        return DisasterRow(e);
      case FeedKind::kDisability:
        return Disability(e);
      case FeedKind::kHouseholdRegistration:
        return Registration(e, p);
    }
  }

 private:
  void Add(CellType type, std::string_view text, int64_t value = 0) {
    cells_->push_back(Cell{type, std::string(text), value});
  }
  void AddDate(int32_t days) { Add(C::kDate, "", days); }
  void AddMoney(int64_t fen) { Add(C::kMoney, "", fen); }

  void Claim(const FeedEvent& e) {
    Add(C::kText, kVisit[e.code1]);
    AddDate(e.date1);
    AddDate(e.date2);
    for (int64_t amount : e.amount) AddMoney(amount);
  }
  void Enrolment(const FeedEvent& e) {
    Add(C::kInt, "", e.amount[0]);
    Add(C::kText, kEnrolStatus[e.code1]);
    AddDate(e.date1);
  }
  void School(const FeedEvent& e) {
    Add(C::kText, StageLabel(e.code1));
    Add(C::kText, kStudyStatus[e.code2]);
    Add(C::kText, std::to_string(e.amount[1]) + "-" + std::to_string(e.amount[1] + 1));
    AddMoney(e.amount[0]);
    AddDate(e.date1);
  }
  void Assistance(const FeedEvent& e) {
    Add(C::kText, kAssistance[e.code1]);
    AddDate(e.date1);
    AddDate(e.date2);
    AddMoney(e.amount[0]);
  }
  void Employment(const FeedEvent& e) {
    Add(C::kText, kJobStatus[e.code1]);
    Add(C::kText, kWorkPlaceLabels[e.code2]);
    AddMoney(e.amount[0]);
    AddDate(e.date1);
    AddDate(e.date2);
    Add(C::kText, kJobTypeLabels[e.code3]);
  }
  void Housing(const FeedEvent& e) {
    AddDate(e.date1);
    Add(C::kText, std::string(1, static_cast<char>(e.code1)));
  }
  void Water(const FeedEvent& e, const Person& head) {
    const Household& h = block_.households[static_cast<size_t>(head.household)];
    Add(C::kText, ctx_.geo->villages()[static_cast<size_t>(h.slot.village)].code);
    AddDate(e.date1);
    for (size_t bit = 0; bit < kWaterAspects.size(); ++bit) {
      Add(C::kText, (e.code1 >> bit) & 1 ? "不达标" : "达标");
    }
  }
  void DisasterRow(const FeedEvent& e) {
    Add(C::kText, kDisasterType[e.code1]);
    AddDate(e.date1);
    AddMoney(e.amount[0]);
    Add(C::kText, kSeverity[e.code2]);
  }
  void Disability(const FeedEvent& e) {
    Add(C::kText, kDisabilityKind[e.code1]);
    Add(C::kText, kGrade[e.code2]);
    AddDate(e.date1);
    Add(C::kText, kCertificate[e.code3]);
  }
  void Registration(const FeedEvent& e, const Person& p) {
    Add(C::kText, kRegistration[e.code1]);
    AddDate(e.date1);
    Add(C::kText, HouseholdCodeOf(*ctx_.geo, block_.households[static_cast<size_t>(p.household)]));
    Add(C::kText, RelationVocab().LabelZh(static_cast<int>(p.relation)));
  }

  const RunContext& ctx_;
  const Block& block_;
  std::vector<Cell>* cells_ = nullptr;
};

// Applies the office's habits that are not faults: lower-case x, another middle dot.
void StyleCells(const FileVariant& v, std::vector<Cell>* cells) {
  for (Cell& c : *cells) {
    if (c.type == C::kId && v.lowercase_x && !c.text.empty() && c.text.back() == 'X') c.text.back() = 'x';
    if (c.type == C::kName && v.dot_variant != 0) c.text = WithDotVariant(c.text, v.dot_variant);
  }
}

void ApplyFault(FaultKind kind, const Geography& geo, Rng& rng, std::vector<Cell>* cells) {
  Cell& id = (*cells)[0];
  Cell& name = (*cells)[1];
  switch (kind) {
    case FaultKind::kIdChecksum: {
      static constexpr std::string_view kChecks = "0123456789X";
      char wrong = id.text.back();
      while (wrong == id.text.back() || (wrong == 'X' && id.text.back() == 'x')) {
        wrong = kChecks[static_cast<size_t>(rng.UniformInt(0, 10))];
      }
      id.text.back() = wrong;
      break;
    }
    case FaultKind::kNameMismatch:
      name.text = MisspellName(name.text, rng);
      break;
    case FaultKind::kUnknownPerson:
      id.text = UnknownIdNumber(geo, rng);
      name.text = NameText(RandomName(rng, static_cast<NameStyle>(rng.UniformInt(0, 2)), rng.Bernoulli(0.5)));
      break;
    case FaultKind::kDuplicateRow:
      break;
  }
}

void AddRow(const std::vector<Cell>& cells, const FileVariant& v, FeedChunk* chunk) {
  if (chunk->sums.size() < cells.size()) chunk->sums.resize(cells.size(), 0);
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].type == C::kMoney) chunk->sums[i] += cells[i].value;
  }
  if (v.xlsx()) {
    chunk->cells.insert(chunk->cells.end(), cells.begin(), cells.end());
  } else {
    AppendCsvRow(cells, v, &chunk->text);
  }
  ++chunk->rows;
}

bool NeedsQuotes(std::string_view s) { return s.find_first_of(",\"\n\r") != std::string_view::npos; }

void AppendQuoted(std::string_view s, std::string* out) {
  if (!NeedsQuotes(s)) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

const FeedSpec& SpecOf(FeedKind kind) { return kSpecs[static_cast<size_t>(kind)]; }

std::string_view FileFormatName(FileFormat f) { return f == FileFormat::kXlsx ? "xlsx" : "csv"; }

std::string_view EncodingNameOf(FileFormat f) {
  switch (f) {
    case FileFormat::kCsvUtf8:
      return "utf-8";
    case FileFormat::kCsvUtf8Bom:
      return "utf-8-bom";
    case FileFormat::kCsvGbk:
      return "gbk";
    case FileFormat::kXlsx:
      return "xlsx";
  }
  return "";
}

std::string_view DateStyleName(DateStyle d) {
  constexpr std::array<std::string_view, 7> kNames = {"iso",    "slash",      "compact",     "chinese",
                                                      "dotted", "excel_date", "excel_serial"};
  return kNames[static_cast<size_t>(d)];
}

std::string_view FaultKindName(FaultKind kind) {
  constexpr std::array<std::string_view, kFaultKinds> kNames = {"id_checksum", "name_mismatch", "unknown_person",
                                                                "duplicate_row"};
  return kNames[static_cast<size_t>(kind)];
}

FileVariant ChooseVariant(uint64_t seed, int file_index, int64_t households) {
  Rng rng(seed, Stream::kVariants, static_cast<uint64_t>(file_index));
  FileVariant v;
  const bool xlsx_allowed = households <= params::kXlsxMaxHouseholds;
  v.format = static_cast<FileFormat>(rng.Pick(std::array<double, 4>{0.25, 0.15, 0.30, xlsx_allowed ? 0.30 : 0.0}));
  v.title_row = rng.Bernoulli(0.4);
  v.total_row = rng.Bernoulli(0.35);
  v.dates = v.xlsx() ? std::array{DateStyle::kExcelDate, DateStyle::kExcelSerial, DateStyle::kIso}[rng.UniformInt(0, 2)]
                     : static_cast<DateStyle>(rng.UniformInt(0, 4));
  v.thousands = rng.Bernoulli(0.3);
  v.lowercase_x = rng.Bernoulli(0.3);
  v.dot_variant = rng.Bernoulli(0.7) ? 0 : static_cast<int>(rng.UniformInt(1, 3));
  return v;
}

std::string FormatDate(int32_t days, DateStyle style) {
  if (days == kNoDate) return "";
  const Date d = Date::FromDays(days);
  std::string out;
  const auto ymd = [&](std::string_view sep, int width) {
    AppendInt(d.year(), &out);
    out.append(sep);
    AppendPadded(d.month(), width, &out);
    out.append(sep);
    AppendPadded(d.day(), width, &out);
  };
  switch (style) {
    case DateStyle::kSlash:
      ymd("/", 1);
      break;
    case DateStyle::kCompact:
      ymd("", 2);
      break;
    case DateStyle::kDotted:
      ymd(".", 2);
      break;
    case DateStyle::kChinese:
      AppendInt(d.year(), &out);
      out += "年";
      AppendInt(d.month(), &out);
      out += "月";
      AppendInt(d.day(), &out);
      out += "日";
      break;
    default:
      ymd("-", 2);
      break;
  }
  return out;
}

void AppendCsvRow(const std::vector<Cell>& cells, const FileVariant& variant, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    const Cell& c = cells[i];
    switch (c.type) {
      case C::kDate:
        out->append(FormatDate(static_cast<int32_t>(c.value), variant.dates));
        break;
      case C::kInt:
        AppendInt(c.value, out);
        break;
      case C::kMoney:
        if (variant.thousands) {
          AppendQuoted(Money::FromFen(c.value).ToString(), out);
        } else {
          AppendFen(c.value, out);
        }
        break;
      default:
        AppendQuoted(c.text, out);
        break;
    }
  }
  out->push_back('\n');
}

std::string FileTitle(const FeedSpec& spec, Date month) {
  return std::to_string(month.year()) + "年" + std::to_string(month.month()) + "月" + std::string(spec.title);
}

Status RenderFeeds(const RunContext& ctx, const Block& block, const std::vector<FileVariant>& variants, Rng& faults_rng,
                   std::vector<FeedChunk>* chunks) {
  chunks->assign(variants.size(), FeedChunk{});
  RowBuilder builder(ctx, block);
  std::vector<Cell> cells;
  for (const FeedEvent& e : block.events) {
    const size_t file = static_cast<size_t>(e.month) * kFeedKinds + static_cast<size_t>(e.kind);
    const FileVariant& v = variants[file];
    FeedChunk& chunk = (*chunks)[file];
    builder.Build(e, &cells);
    StyleCells(v, &cells);
    // Rows that introduce a person (birth, moving in) define who is known: never faulty.
    const bool introduces =
        e.kind == FeedKind::kHouseholdRegistration && (e.code1 == kRegBirth || e.code1 == kRegMovedIn);
    if (!faults_rng.Bernoulli(params::kFaultRate) || introduces) {
      AddRow(cells, v, &chunk);
      continue;
    }
    const auto kind = static_cast<FaultKind>(faults_rng.UniformInt(0, kFaultKinds - 1));
    if (kind == FaultKind::kDuplicateRow) AddRow(cells, v, &chunk);
    ApplyFault(kind, *ctx.geo, faults_rng, &cells);
    chunk.faults.push_back({chunk.rows, kind});
    AddRow(cells, v, &chunk);
  }
  for (size_t file = 0; file < chunks->size(); ++file) {
    FeedChunk& chunk = (*chunks)[file];
    if (variants[file].format != FileFormat::kCsvGbk || chunk.text.empty()) continue;
    HEARTH_ASSIGN_OR_RETURN(chunk.text, Utf8ToGbk(chunk.text));
  }
  return Status::Ok();
}

}  // namespace hearth::gen
