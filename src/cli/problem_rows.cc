#include "cli/problem_rows.h"

#include <algorithm>

#include "core/id_number.h"
#include "core/messages.h"
#include "ingest/table_import.h"

namespace hearth::cli {
namespace {

// Masks a cell that holds an ID number (as validated or as typed, spaces and full-width digits
// included), and ID numbers within other text. A name is never taken for one by its length.
std::string MaskCell(const std::string& cell) {
  std::string id = NormalizeIdText(cell);
  const bool digits = !id.empty() && std::all_of(id.begin(), id.end() - 1, [](char c) { return c >= '0' && c <= '9'; }) &&
                      ((id.back() >= '0' && id.back() <= '9') || id.back() == 'X');
  if (digits && (id.size() == 18 || id.size() == 15)) return MaskIdNumber(id);
  return MaskIdNumbersIn(cell);
}

// The birth dates the ID numbers in `text` carry (digits 7–14 of an 18-digit number, 7–12 of a
// 15-digit one, 19YY), as "YYYYMMDD".
void BirthDigitsIn(std::string_view folded, std::vector<std::string>* out) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  while (i < folded.size()) {
    if (!digit(folded[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < folded.size() && digit(folded[end])) ++end;
    size_t run = end - i;
    if (run == 17 && end < folded.size() && (folded[end] == 'X' || folded[end] == 'x')) ++end, ++run;
    if (run == 18) out->emplace_back(folded.substr(i + 6, 8));
    if (run == 15) out->push_back("19" + std::string(folded.substr(i + 6, 6)));
    i = end;
  }
}

// `hint` without the birth dates of the row's ID numbers: a masked ID number hides exactly
// those digits, so a hint that says them ("入院日期早于出生日期 1977-12-13") would undo the mask.
std::string MaskBirthDates(std::string hint, const RejectRecord& r) {
  std::vector<std::string> births;
  BirthDigitsIn(NormalizeIdText(r.raw), &births);  // as typed: spaces, full-width digits
  BirthDigitsIn(r.hint, &births);
  for (const std::string& cell : r.cells) BirthDigitsIn(NormalizeIdText(cell), &births);
  for (const std::string& b : births) {
    const std::string iso = b.substr(0, 4) + "-" + b.substr(4, 2) + "-" + b.substr(6, 2);
    for (const auto& [form, mask] : {std::pair<std::string, std::string>{iso, "****-**-**"}, {b, "********"}}) {
      for (size_t at = hint.find(form); at != std::string::npos; at = hint.find(form, at + mask.size())) {
        hint.replace(at, form.size(), mask);
      }
    }
  }
  return hint;
}

}  // namespace

std::string OutcomeLabel(RowOutcome outcome) {
  switch (outcome) {
    case RowOutcome::kRejected: return Tr(Msg::kCliOutcomeRejected);
    case RowOutcome::kUnmatched: return Tr(Msg::kCliOutcomeUnmatched);
    case RowOutcome::kDuplicate: return Tr(Msg::kCliOutcomeDuplicate);
    case RowOutcome::kFlagged: return Tr(Msg::kCliOutcomeFlagged);
  }
  return "";
}

RejectRecord MaskedReject(const RejectRecord& r) {
  RejectRecord out = r;
  out.raw = MaskCell(r.raw);
  out.hint = MaskIdNumbersIn(MaskBirthDates(r.hint, r));
  for (std::string& cell : out.cells) cell = MaskCell(cell);
  return out;
}

KindLabels CheckKindLabels(const FeedSpec& spec) {
  KindLabels out;
  const bool en = CurrentLanguage() == Lang::kEn;
  for (const CheckSpec& c : spec.checks) {
    // The label in the reader's language, else the other one, else a generic name: never the code.
    const std::string& own = en ? c.label_en : c.label;
    const std::string& other = en ? c.label : c.label_en;
    out[c.kind] = !own.empty() ? own : !other.empty() ? other : Tr(Msg::kFeedSpecCheckLabel);
  }
  return out;
}

TextTable ProblemRowsTable(const std::vector<std::string>& header, const std::vector<RejectRecord>& rows, bool reveal,
                           const KindLabels& labels) {
  std::vector<std::string> columns = {Tr(Msg::kColLine), Tr(Msg::kColOutcome), Tr(Msg::kColKind),
                                      Tr(Msg::kColColumn), Tr(Msg::kColRaw), Tr(Msg::kColHint)};
  size_t width = header.size();
  for (const RejectRecord& r : rows) width = std::max(width, r.cells.size());
  for (size_t i = 0; i < width; ++i) columns.push_back(i < header.size() && !header[i].empty() ? header[i] : "#" + std::to_string(i + 1));
  TextTable t(std::move(columns));
  t.AlignRight(0);
  for (const RejectRecord& row : rows) {
    const RejectRecord r = reveal ? row : MaskedReject(row);
    const auto own = labels.find(r.kind);
    std::string kind = own != labels.end() ? own->second : std::string(KindLabel(r.kind));
    // A row of a workbook whose several sheets were read: "工作表“乡镇B”第 4 行" (older imports,
    // which kept no sheet name: "第 2 张数据表第 4 行").
    std::string line = !r.sheet.empty()           ? Tr(Msg::kIngestRowsOfSheet, r.sheet, RowOfLine(r.line))
                       : SheetOfLine(r.line) == 0 ? std::to_string(r.line)
                                                  : WhereInFile(r.line);
    std::vector<std::string> cells = {std::move(line), OutcomeLabel(r.outcome), std::move(kind), r.column, r.raw, r.hint};
    for (size_t i = 0; i < width; ++i) cells.push_back(i < r.cells.size() ? r.cells[i] : "");
    t.AddRow(std::move(cells));
  }
  return t;
}

}  // namespace hearth::cli
