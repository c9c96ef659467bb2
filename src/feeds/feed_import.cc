#include "feeds/feed_import.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/area_code.h"
#include "core/id_number.h"
#include "core/messages.h"
#include "core/money.h"
#include "core/text.h"
#include "core/vocab.h"
#include "ingest/registry_import.h"
#include "ingest/table_import.h"

namespace hearth {
namespace {

// ---------------------------------------------------------------------------------------------
// Cell values

// One parsed cell: canonical text (payload and key) and, for dates, money and numbers, the
// number (days, fen, the integer).
struct Value {
  bool present = false;  // the cell held a valid value
  bool filled = false;   // the cell was not empty (valid or not)
  std::string text;
  int64_t number = 0;
};

// "2025-2026", "2025/2026学年", "2025—2026", "2025学年", "2025" -> 2025.
StatusOr<int64_t> ParseSchoolYear(std::string_view raw) {
  std::string folded = FoldWidth(raw);
  std::string_view t = TrimSpace(folded);
  int64_t first = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), first);
  if (ec != std::errc() || end - t.data() != 4 || first < 1990 || first > 2100) {
    return Error(StatusCode::kInvalidArgument, Msg::kFeedSchoolYearInvalid, raw);
  }
  std::string_view rest(end, static_cast<size_t>(t.data() + t.size() - end));
  // A term named after the year: "2025-2026学年第一学期", "2025年秋季学期"; a spring term
  // named by its calendar year ("2026年春季学期", "2026春") belongs to the school year begun the
  // autumn before.
  bool spring = false;
  for (std::string_view term : {"第一学期", "第二学期", "上学期", "下学期", "秋季学期", "春季学期", "秋季", "春季", "秋", "春"}) {
    if (rest.ends_with(term)) {
      spring = term.starts_with("春");
      rest.remove_suffix(term.size());
      rest = TrimSpace(rest);
      break;
    }
  }
  // "2026年春季", "2026春季": a year alone names the calendar year; "2025学年春季" the school year.
  const bool calendar_year = rest == "年" || rest.empty();
  for (std::string_view suffix : {"学年度", "学年", "年度", "年"}) {
    if (rest.ends_with(suffix)) rest.remove_suffix(suffix.size());
  }
  if (rest.empty()) return spring && calendar_year ? first - 1 : first;
  for (std::string_view sep : {"-", "/", "—", "–", "~", "～", "至"}) {
    if (!rest.starts_with(sep)) continue;
    std::string_view second = rest.substr(sep.size());
    if (second == std::to_string(first + 1) || second == std::to_string((first + 1) % 100)) return first;
  }
  return Error(StatusCode::kInvalidArgument, Msg::kFeedSchoolYearInvalid, raw);
}

std::string JoinValues(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : "、") + v;
  return out;
}

// Appends `text` as a JSON string.
void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append(fmt::format("\\u{:04x}", static_cast<int>(c)));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

bool IsNumeric(FieldType t) {
  return t == FieldType::kDate || t == FieldType::kMoney || t == FieldType::kInteger || t == FieldType::kSchoolYear;
}

// ---------------------------------------------------------------------------------------------
// The row handler

// Rows are decided a batch at a time: each row is parsed and checked as it is read, then the
// batch's people are looked up at once (FindPersons), then the keys of the rows that linked
// (ActiveEventsByKey), and then every row is decided in file order. A row whose lookups an
// earlier row of the same batch could change (the same key again, or, in a feed of
// registration changes, the same person again) first has the batch decided, so every row sees
// exactly what it would see if the rows were taken one by one.
constexpr size_t kBatchRows = 4096;
// A batch also ends once its rows hold this many bytes of cells (a file of very wide rows or
// runaway cells); a slot that held a row larger than kSlotKeepBytes gives its memory back.
constexpr size_t kBatchBytes = 16 << 20;
constexpr size_t kSlotKeepBytes = 64 << 10;

// The kind of the status that rolls a file's first reading back to take it again (FeedRows::
// DamagedIdsFound); never reported.
// The longest text a cell of a text field may hold (an address, a note), in characters.
constexpr size_t kMaxTextChars = 300;


// A spreadsheet's error value, what a failed formula shows: #DIV/0!, #VALUE!, #N/A, ...
bool IsSpreadsheetError(std::string_view cell) {
  if (cell.empty() || cell.front() != '#') return false;
  for (std::string_view e : {"#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}) {
    if (cell == e) return true;
  }
  return false;
}

// What offices write in a date column that may stay empty (an end date) for "none yet": the
// cell then means what an empty one does (an ongoing grant), rather than an unreadable date.
bool MeansNoDate(std::string_view cell) {
  const std::string folded = RemoveSpaces(FoldWidth(cell));
  for (std::string_view none : {"/", "-", "--", "—", "——", "–", "无", "暂无", "长期", "至今", "永久", "无期限",
                                "未定", "待定", "未结束", "持续"}) {
    if (folded == none) return true;
  }
  return false;
}

constexpr std::string_view kTakeAgainKnowingTheDamage = "feed_take_again_knowing_the_damage";

class FeedRows : public BatchRowHandler {
 public:
  FeedRows(const FeedSpec& spec, Date received, Date today, int64_t damaged_ids, bool remember_duplicates)
      : spec_(spec),
        received_(received),
        today_(today),
        damaged_ids_(damaged_ids),
        remember_duplicates_(remember_duplicates),
        introduces_(spec.event_type == "registration.change"),
        // A feed of registration changes whose key does not name the person: a row's conflict
        // or correction may retract another person's placement, which a later row of the batch
        // was looked up against. Such a feed is decided row by row.
        batch_rows_(introduces_ && std::find(spec.key.begin(), spec.key.end(), spec.link.person) == spec.key.end()
                        ? 1
                        : kBatchRows),
        values_(spec.fields.size()) {}

  //! The file is identical (same digest) to import `id`: a row whose fact was corrected since
  //! is a duplicate, not a correction back to the old values.
  void set_identical_to(int64_t id, Date received) {
    identical_to_ = id;
    identical_received_ = received;
  }

  void Start(const TableLayout& layout) override { layout_ = layout; }

  Status Add(const HeaderMatch& h, const TableRow& row, ImportTransaction& tx, const RowSink& sink) override {
    header_ = &h;
    if (damaged_ids_ < 0 && spec_.link.person >= 0 && h.Has(static_cast<size_t>(spec_.link.person))) {
      id_damage_.Add(h.Cell(row, static_cast<size_t>(spec_.link.person)));
    }
    std::optional<RowProblem> problem = ParseAndCheck(h, row);
    const bool has_person = !problem && spec_.link.person >= 0 && Val(spec_.link.person).present;
    if (!problem) {
      BuildKeyAndPayload();
      bool depends = batch_keys_.contains(key_) ||
                     (introduces_ && has_person && batch_persons_.contains(Val(spec_.link.person).text));
      if (depends) HEARTH_RETURN_IF_ERROR(Flush(tx, sink));
    }
    Pending& p = NextSlot();
    p.row.line = row.line;
    p.row.cells = row.cells;
    p.bytes = 0;
    for (const std::string& cell : row.cells) p.bytes += cell.size();
    held_bytes_ += p.bytes;
    p.problem = std::move(problem);
    p.remark = std::move(merged_remark_);
    merged_remark_.reset();
    if (!p.problem) {
      if (introduces_ && has_person) batch_persons_.insert(Val(spec_.link.person).text);
      Exchange(p);
      batch_keys_.insert(p.key);
    }
    return used_ == batch_rows_ || held_bytes_ >= kBatchBytes ? Flush(tx, sink) : Status::Ok();
  }

  Status Flush(ImportTransaction& tx, const RowSink& sink) override {
    if (used_ == 0) return Status::Ok();
    // The batch's people, at once.
    const int person = spec_.link.person;
    ids_.clear();
    for (size_t i = 0; i < used_; ++i) {
      const Pending& p = batch_[i];
      if (!p.problem && person >= 0 && p.values[static_cast<size_t>(person)].present) {
        ids_.push_back(p.values[static_cast<size_t>(person)].text);
      }
    }
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    HEARTH_ASSIGN_OR_RETURN(std::vector<std::vector<PersonLink>> links, tx.FindPersons(ids_));
    // Each row linked (or unmatched); the keys of the linked rows, at once.
    keys_.clear();
    for (size_t i = 0; i < used_; ++i) {
      Pending& p = batch_[i];
      if (p.problem) continue;
      const std::vector<PersonLink>* persons = nullptr;
      if (person >= 0 && p.values[static_cast<size_t>(person)].present) {
        auto at = std::lower_bound(ids_.begin(), ids_.end(), p.values[static_cast<size_t>(person)].text);
        persons = &links[static_cast<size_t>(at - ids_.begin())];
      }
      Exchange(p);
      p.link = Link();
      StatusOr<std::optional<RowProblem>> unmatched = Resolve(*header_, p.row, tx, persons, &p.link);
      Exchange(p);
      if (!unmatched.ok()) return unmatched.status();
      if (*unmatched) {
        p.problem = std::move(**unmatched);
      } else {
        keys_.push_back(p.key);
      }
    }
    HEARTH_ASSIGN_OR_RETURN(std::vector<std::optional<ActiveEvent>> known, tx.ActiveEventsByKey(spec_.event_type, keys_));
    // Every row decided, in file order.
    size_t k = 0;
    for (size_t i = 0; i < used_; ++i) {
      Pending& p = batch_[i];
      if (p.problem) {
        HEARTH_RETURN_IF_ERROR(sink(p.row, RowResult(std::move(*p.problem))));
        continue;
      }
      Exchange(p);
      StatusOr<RowResult> result = Decide(p.row, p.link, p.remark, known[k++], tx);
      Exchange(p);
      if (!result.ok()) return result.status();
      HEARTH_RETURN_IF_ERROR(sink(p.row, std::move(*result)));
    }
    for (size_t i = 0; i < used_; ++i) {
      if (batch_[i].bytes > kSlotKeepBytes) std::vector<std::string>().swap(batch_[i].row.cells);
    }
    used_ = 0;
    held_bytes_ = 0;
    batch_keys_.clear();
    batch_persons_.clear();
    return Status::Ok();
  }

  //! Read with `damaged_ids` < 0 (not known), the rows were taken as if the ID column were
  //! sound while its IDs were counted; when it was not (see CountPrecisionDamage), the file must
  //! be taken again knowing it: the number of damaged IDs, else 0.
  int64_t DamagedIdsFound() const { return damaged_ids_ < 0 ? id_damage_.Damaged() : 0; }
  //! The other households of the persons the file named: those registered in two (a death counts
  //! in both) and those moving into another household (a move out of the one that lists them);
  //! MemberElsewhereEventsSql gives them the event, so they are screened too.
  const std::set<std::string>& OtherHouseholds() const { return other_households_; }

  //! Before commit: rejects the earlier lines of in-file conflicts, and sets the import's area
  //! and villages.
  //! Refuses (to be read again) a file found damaged (DamagedIdsFound).
  //! Reads the cells of given lines of the file again (ReadRowsAt).
  using Reread = std::function<StatusOr<std::map<int64_t, std::vector<std::string>>>(const std::set<int64_t>&)>;
  void set_reread(Reread reread) { reread_ = std::move(reread); }

  Status Finish(ImportTransaction& tx, FileReport* report, ImportTotals* totals) {
    if (DamagedIdsFound() > 0) {
      return Status(StatusCode::kFailedPrecondition, std::string(kTakeAgainKnowingTheDamage), "ID column damaged; read again");
    }
    // The earlier rows of in-file conflicts were read before anyone knew: their cells are read
    // again, so that their rejects keep the whole row as every other reject does.
    std::map<int64_t, std::vector<std::string>> earlier;
    if ((!retro_rejects_.empty() || !in_file_duplicates_.empty()) && reread_) {
      std::set<int64_t> lines;
      for (const RetroReject& r : retro_rejects_) lines.insert(r.first_line);
      for (const InFileDuplicate& d : in_file_duplicates_) lines.insert(d.line);
      // Best effort: the file read once already; if it cannot be read again, the rejects keep
      // their line, key and reason without the cells.
      if (auto again = reread_(lines); again.ok()) earlier = std::move(*again);
    }
    for (const RetroReject& r : retro_rejects_) {
      auto cells = earlier.find(r.first_line);
      RejectRecord reject{report->file, r.first_line, "", r.key, std::string(MessageKind(Msg::kFeedKeyConflict)),
                          Tr(Msg::kFeedKeyConflict, Where(r.first_line), Where(r.second_line), r.key), RowOutcome::kRejected,
                          cells != earlier.end() ? cells->second : std::vector<std::string>{}};
      if (auto all = conflicts_.find(r.key_code); all != conflicts_.end() && all->second.size() > 2) {
        // Three rows or more of one fact: the first names every other one (known only now).
        reject.hint = Tr(Msg::kFeedKeyConflictAgain, Where(r.first_line), OtherLines(all->second, r.first_line), r.key);
      }
      reject.sheet = std::string(report->SheetOf(r.first_line));
      HEARTH_RETURN_IF_ERROR(tx.AddReject(reject));
      switch (r.from) {
        case RetroReject::kFromNew: --report->accepted, --report->inserted; break;
        case RetroReject::kFromCorrection: --report->accepted, --report->updated; break;
        case RetroReject::kFromDuplicate: --report->duplicate; break;
      }
      report->Reject(std::move(reject));
    }
    for (InFileDuplicate& d : in_file_duplicates_) {
      auto cells = earlier.find(d.line);
      RejectRecord reject{report->file, d.line, "", d.key_text, d.why.kind(), d.why.message(), RowOutcome::kDuplicate,
                          cells != earlier.end() ? cells->second : std::vector<std::string>{}};
      reject.sheet = std::string(report->SheetOf(d.line));
      if (auto conflict = conflicts_.find(d.key); conflict != conflicts_.end()) {
        // It repeated a row that a later one contradicted: the fact was not taken.
        reject.kind = std::string(MessageKind(Msg::kFeedKeyConflictAgain));
        reject.hint = Tr(Msg::kFeedKeyConflictAgain, Where(d.line), OtherLines(conflict->second, d.line), d.key_text);
        reject.outcome = RowOutcome::kRejected;
      }
      HEARTH_RETURN_IF_ERROR(tx.AddReject(reject));
      --report->duplicate;  // counted when it was read; counted again as what it is now
      report->Reject(std::move(reject));
    }
    std::sort(report->rows.begin(), report->rows.end(),
              [](const RejectRecord& a, const RejectRecord& b) { return a.line < b.line; });
    totals->accepted = report->accepted;
    totals->rejected = report->rejected;
    totals->duplicate = report->duplicate;
    // The smallest area holding every household a row linked to, accepted or not (a file of
    // duplicates only is about its villages too).
    std::string area = area_;
    bool seen = area_seen_;
    for (const std::string& village : villages_) {
      area = seen ? CommonAreaCode(area, village) : village;
      seen = true;
    }
    totals->area_code = area;
    totals->villages.assign(villages_.begin(), villages_.end());
    std::sort(totals->villages.begin(), totals->villages.end());
    return Status::Ok();
  }

 private:
  struct Link {
    std::string person;     // ID number
    std::string household;  // code; empty for a village fact
    int64_t household_ref = 0;
    std::string village;
    std::optional<RowProblem> name_problem;
    std::string registered_name;  // with name_problem: the registry's name
    std::optional<RowProblem> head_problem;  // a feed by heads (link.head): the person heads no household
  };

  // A row read and checked, waiting for its batch's lookups.
  struct Pending {
    TableRow row;
    size_t bytes = 0;  // of the row's cells
    std::optional<RowProblem> problem;  // decided already: a bad cell, a failed check, unmatched
    std::optional<RowProblem> remark;   // to flag an accepted row with (an amount merged above)
    std::vector<Value> values;
    std::string key, payload;
    Link link;
  };

  // Exchanges a held row's values, key and payload with the current ones (values_, key_,
  // payload_), which the helpers read: once to make the row current, again to put it back.
  void Exchange(Pending& p) {
    std::swap(p.values, values_);
    std::swap(p.key, key_);
    std::swap(p.payload, payload_);
  }

  Pending& NextSlot() {
    if (used_ == batch_.size()) {
      batch_.emplace_back();
      batch_.back().values.resize(spec_.fields.size());
    }
    return batch_[used_++];
  }

  // Decides a linked row (values_, key_ and payload_ are the row's) given the event in force
  // for its key.
  StatusOr<RowResult> Decide(const TableRow& row, Link& link, std::optional<RowProblem>& remark,
                             const std::optional<ActiveEvent>& known, ImportTransaction& tx) {
    // The row concerns its village whatever it ends as from here on: taken, a duplicate, a
    // conflict or older than the fact in force.
    if (!link.village.empty()) villages_.insert(link.village);
    if (auto it = conflicts_.find(key_); it != conflicts_.end()) {
      // A third (or later) row of a fact already in conflict: it names every line before it.
      std::string lines = OtherLines(it->second, row.line);
      it->second.push_back(row.line);
      return RowResult(RowProblem{-1, KeyText(), Error(StatusCode::kInvalidArgument, Msg::kFeedKeyConflictAgain,
                                                        Where(row.line), lines, KeyText())});
    }
    UpsertOutcome outcome = UpsertOutcome::kInserted;
    int64_t supersedes = 0;
    if (known) {
      bool same = known->payload == payload_;
      bool this_file = known->import_id == tx.import_id();
      if (same && this_file) {
        // The same fact again; under another name than the registry's, it is not "the same
        // row": most likely the ID number was copied from the row above.
        Status why = link.name_problem ? Error(StatusCode::kInvalidArgument, Msg::kFeedDuplicateOtherName,
                                               Where(known->source_line), KeyText(), link.name_problem->raw, link.registered_name)
                                       : Error(StatusCode::kInvalidArgument, Msg::kFeedDuplicateRow,
                                               Where(known->source_line), KeyText());
        // Listed at the end: should a later row of the file contradict the row it repeats, it
        // is part of that conflict, not a duplicate of a fact that was never taken.
        in_file_duplicates_.push_back({row.line, key_, KeyText(), std::move(why)});
        return RowResult(RowProblem{-1, "", Status::Ok(), RowOutcome::kDuplicate});
      }
      if (same) {
        // Known from an earlier file: counted, not listed; remembered in case a later row of
        // this file gives the same key other values. A file received later than the one that
        // gave the fact confirms it: a file received between the two cannot overturn it.
        if (remember_duplicates_) seen_duplicates_.emplace(key_, row.line);
        if (Clock::DayOf(known->recorded_at) < received_) tx.ConfirmFact(spec_.event_type, key_);
        return RowResult(RowProblem{-1, "", Status::Ok(), RowOutcome::kDuplicate});
      }
      if (auto dup = seen_duplicates_.find(key_); dup != seen_duplicates_.end()) {
        // An earlier row of this file confirmed the known fact; this one contradicts it.
        conflicts_.emplace(key_, std::vector<int64_t>{dup->second, row.line});
        retro_rejects_.push_back({dup->second, row.line, RetroReject::kFromDuplicate, KeyText(), key_});
        return RowResult(ConflictProblem(dup->second, row.line));
      }
      if (this_file) {
        // Two rows of this file disagree about one fact: neither can be trusted.
        HEARTH_RETURN_IF_ERROR(tx.DropEvent(known->id));
        conflicts_.emplace(key_, std::vector<int64_t>{known->source_line, row.line});
        retro_rejects_.push_back({known->source_line, row.line,
                                  known->supersedes != 0 ? RetroReject::kFromCorrection : RetroReject::kFromNew,
                                  KeyText(), key_});
        return RowResult(ConflictProblem(known->source_line, row.line));
      }
      if (identical_to_ != 0 && known->import_id > identical_to_ &&
          Clock::DayOf(known->recorded_at) >= identical_received_) {
        // This very file was imported before (import identical_to_) and the fact has been
        // corrected since by a file no older than it: taking the file again must not put its old
        // values back. (A fact in force from before that import means this row was not taken
        // then, e.g. refused as older than a file since undone; a fact imported since from a file
        // received before that import's file was no correction of it, e.g. a late file taken
        // after that import was undone: both are decided now as any row.)
        return RowResult(RowProblem{-1, KeyText(), Error(StatusCode::kInvalidArgument, Msg::kFeedCorrectedSince,
                                                          identical_to_, Clock::DayOf(known->recorded_at).ToIso(),
                                                          known->import_id, WhereInFile(known->source_line), KeyText()),
                                    RowOutcome::kDuplicate});
      }
      if (Clock::DayOf(known->recorded_at) > received_) {
        // This file is older than the one that gave the fact in force (it arrived late, or is
        // replayed out of order): the newer values stand; this row is kept as a reject.
        return RowResult(RowProblem{-1, KeyText(), Error(StatusCode::kInvalidArgument, Msg::kFeedOlderThanStored,
                                                          Clock::DayOf(known->recorded_at).ToIso(), known->import_id,
                                                          WhereInFile(known->source_line), KeyText(), received_.ToIso())});
      }
      HEARTH_ASSIGN_OR_RETURN(std::optional<Date> confirmed, tx.ConfirmedAfter(spec_.event_type, key_, received_));
      if (confirmed) {
        return RowResult(RowProblem{-1, KeyText(), Error(StatusCode::kInvalidArgument, Msg::kFeedOlderThanConfirmed,
                                                          confirmed->ToIso(), KeyText(), received_.ToIso())});
      }
      outcome = UpsertOutcome::kUpdated;  // a correction of an earlier file's fact
      supersedes = known->id;
    }

    EventRecord e;
    e.type = spec_.event_type;
    e.household_code = link.household;
    e.household_ref = link.household_ref;
    e.person_id_number = link.person;
    e.village_code = link.household.empty() ? link.village : "";
    e.effective = Effective();
    e.source_line = row.line;
    if (spec_.amount >= 0 && values_[static_cast<size_t>(spec_.amount)].present) {
      e.amount = Money::FromFen(values_[static_cast<size_t>(spec_.amount)].number);
    }
    e.payload = payload_;
    e.event_key = key_;
    e.supersedes = supersedes;
    HEARTH_RETURN_IF_ERROR(tx.AppendEvent(e).status());
    area_ = area_seen_ ? CommonAreaCode(area_, link.village) : link.village;
    area_seen_ = true;
    // The first remark is the row's kind (a name that differs first, as it always was); the
    // others are told in its hint.
    std::vector<RowProblem> remarks;
    for (std::optional<RowProblem>* r : {&link.name_problem, &link.head_problem, &remark}) {
      if (*r) remarks.push_back(std::move(**r));
    }
    if (remarks.empty()) return RowResult(outcome);
    return RowResult(FlaggedRow{outcome, TellTogether(std::move(remarks))});
  }

  // The lines of `lines` other than `line`, as a list ("第 2 行、第 3 行").
  std::string OtherLines(const std::vector<int64_t>& lines, int64_t line) const {
    std::string out;
    for (int64_t l : lines) {
      if (l != line) out += (out.empty() ? "" : CurrentLanguage() == Lang::kZh ? "、" : ", ") + Where(l);
    }
    return out;
  }

  // A row that repeats an earlier row of the same file, listed at the end (Finish).
  struct InFileDuplicate {
    int64_t line;
    std::string key, key_text;
    Status why;
  };

  // The earlier row of an in-file conflict, rejected at the end; what it had been counted as.
  struct RetroReject {
    enum From { kFromNew, kFromCorrection, kFromDuplicate };
    int64_t first_line;
    int64_t second_line;
    From from;
    std::string key;       // as shown
    std::string key_code;  // key_, to find every line of the conflict (conflicts_)
  };

  const FieldSpec& Field(int i) const { return spec_.fields[static_cast<size_t>(i)]; }
  const Value& Val(int i) const { return values_[static_cast<size_t>(i)]; }

  // Parses every field of the row into values_, then runs the cross-field checks. The first
  // problem rejects the row; the others are told in its hint too, so that a department corrects
  // every fault of a row at once (a field that failed is absent to the checks).
  std::optional<RowProblem> ParseAndCheck(const HeaderMatch& h, const TableRow& row) {
    std::vector<RowProblem> problems;
    ParseFields(h, row, &problems);
    Check(h, row, &problems);
    if (problems.empty()) return std::nullopt;
    return TellTogether(std::move(problems));
  }

  // The first of a row's problems (not empty), its message followed by the others' (each with
  // its column), so that one problem row tells them all.
  RowProblem TellTogether(std::vector<RowProblem> problems) const {
    RowProblem first = std::move(problems.front());
    if (problems.size() == 1) return first;
    std::string also;
    for (size_t k = 1; k < problems.size(); ++k) {
      const RowProblem& p = problems[k];
      std::string column = p.column >= 0 ? spec_.fields[static_cast<size_t>(p.column)].column.name : "";
      std::string_view message = p.status.message();
      for (std::string_view end : {"。", "."}) {
        if (message.ends_with(end)) message.remove_suffix(end.size());
      }
      also += (k > 1 ? Tr(Msg::kFeedAlsoSeparator) : "") + Tr(Msg::kFeedAlsoItem, column, message);
    }
    first.status = Status(first.status.code(), std::string(first.status.kind()),
                          first.status.message() + Tr(Msg::kFeedAlsoInRow, also));
    return first;
  }

  void ParseFields(const HeaderMatch& h, const TableRow& row, std::vector<RowProblem>* problems) {
    if (money_unit_header_ != &h || money_unit_line_ != h.line) {
      // What a money column's cells count, from its header (直接经济损失（万元）) or the unit a
      // title row states (单位：千元); stored as fen like every other amount.
      money_unit_.assign(spec_.fields.size(), MoneyUnit::kYuan);
      for (size_t i = 0; i < spec_.fields.size(); ++i) {
        if (spec_.fields[i].type == FieldType::kMoney) money_unit_[i] = h.MoneyUnitOf(i);
      }
      money_unit_header_ = &h;
      money_unit_line_ = h.line;
    }
    for (size_t i = 0; i < spec_.fields.size(); ++i) {
      Value& v = values_[i];
      v.present = false;
      v.filled = false;
      v.text.clear();
      v.number = 0;
      if (!h.Has(i)) continue;
      std::string_view cell = h.Cell(row, i);
      const FieldSpec& f = spec_.fields[i];
      v.filled = !cell.empty();
      if (const int64_t from = cell.empty() && f.type == FieldType::kMoney ? row.MergedFrom(static_cast<size_t>(h.index[i])) : 0;
          from > 0) {
        // Under an amount merged over several rows (a household's, over its members): counted
        // once, in the row that holds it; here 0, and the row says so.
        v.present = v.filled = true;
        if (!merged_remark_) {
          merged_remark_ = RowProblem{static_cast<int>(i), "",
                                      Error(StatusCode::kInvalidArgument, Msg::kFeedMergedAmount, f.column.name, Where(from)),
                                      RowOutcome::kFlagged};
        }
        continue;
      }
      if (cell.empty() || (f.nullable && f.type == FieldType::kDate && MeansNoDate(cell))) {
        if (f.nullable) continue;
        Status missing = f.type == FieldType::kName   ? Error(StatusCode::kInvalidArgument, Msg::kNameEmpty)
                         : f.type == FieldType::kEnum ? Error(StatusCode::kInvalidArgument, Msg::kValueMissing,
                                                              f.column.name, JoinValues(f.values))
                                                      : Error(StatusCode::kInvalidArgument, Msg::kFeedValueEmpty,
                                                              f.column.name, ExpectedText(f));
        problems->push_back(ProblemAt(h, row, static_cast<int>(i), std::move(missing)));
        continue;
      }
      if (IsSpreadsheetError(cell)) {
        problems->push_back(ProblemAt(h, row, static_cast<int>(i),
                                      Error(StatusCode::kInvalidArgument, Msg::kFeedFormulaError, f.column.name, cell)));
        continue;
      }
      if (cell.starts_with('=') && !cell.starts_with("=\"")) {
        // A formula whose result the file does not hold (`="…"` is CSV's way to keep text).
        problems->push_back(ProblemAt(h, row, static_cast<int>(i),
                                      Error(StatusCode::kInvalidArgument, Msg::kFeedFormulaNotCalculated, f.column.name, cell)));
        continue;
      }
      if (Status s = ParseCell(f, money_unit_[i], row.date1904 ? SerialDates::k1904 : SerialDates::k1900, cell, &v);
          !s.ok()) {
        v.text.clear();
        problems->push_back(ProblemAt(h, row, static_cast<int>(i), std::move(s)));
        continue;
      }
      v.present = true;
    }
  }

  // What an empty cell of `f` should hold, in words a department understands.
  static std::string ExpectedText(const FieldSpec& f) {
    switch (f.type) {
      case FieldType::kId: return Tr(Msg::kFeedExpectId);
      case FieldType::kDate: return Tr(Msg::kFeedExpectDate);
      case FieldType::kMoney: return Tr(Msg::kFeedExpectMoney);
      case FieldType::kInteger:
        return Tr(Msg::kFeedExpectInteger, f.min && f.max ? fmt::format("（{}–{}）", *f.min, *f.max) : "");
      case FieldType::kSchoolYear: return Tr(Msg::kFeedExpectSchoolYear);
      case FieldType::kVillage: return Tr(Msg::kFeedExpectVillage);
      case FieldType::kHouseholdCode: return Tr(Msg::kFeedExpectHouseholdCode);
      case FieldType::kEnum: return JoinValues(f.values);
      case FieldType::kName:
      case FieldType::kText: break;
    }
    return Tr(Msg::kFeedExpectText);
  }

  Status ParseCell(const FieldSpec& f, MoneyUnit money_unit, SerialDates serials, std::string_view cell, Value* v) {
    switch (f.type) {
      case FieldType::kId: {
        // Nobody is in a file before being born: the birth date is checked against the day the
        // file arrived (a replayed past file included), not today.
        HEARTH_ASSIGN_OR_RETURN(ResidentId id, ParseResidentId(cell, std::min(received_, today_)));
        if (damaged_ids_ > 0 && EndsLikeLostPrecision(id.number)) {
          return Error(StatusCode::kInvalidArgument, Msg::kIdPrecisionLost, id.number, damaged_ids_);
        }
        v->text = std::move(id.number);
        v->number = id.birth_date.days();  // for the checks of dates against the birth
        return Status::Ok();
      }
      case FieldType::kName:
        v->text = std::string(TrimSpace(cell));
        return Status::Ok();
      case FieldType::kText: {
        // Kept whole, or refused: a fact is never stored cut short without a word.
        const std::string_view text = TrimSpace(cell);
        if (const size_t chars = CountUtf8Chars(text); chars > kMaxTextChars) {
          return Error(StatusCode::kInvalidArgument, Msg::kFeedTextTooLong, f.column.name, chars, kMaxTextChars);
        }
        v->text = std::string(text);
        return Status::Ok();
      }
      case FieldType::kEnum: {
        // The value as the definition spells it, as almost every row has it: no copies made.
        const std::string_view trimmed = TrimSpace(cell);
        for (const std::string& value : f.values) {
          if (trimmed == value) {
            v->text = value;
            return Status::Ok();
          }
        }
        // Width, spaces inside and ASCII case do not matter, in the cell as in the definition:
        // "Ｃ 级" and "c级" are "C级", "红枣(骏枣)" is "红枣（骏枣）".
        std::string folded = FoldEnumSpelling(cell);
        auto known = [&f, v](std::string_view spelling) {
          for (size_t i = 0; i < f.values.size(); ++i) {
            if (f.folded_values[i] == spelling) {
              v->text = f.values[i];
              return true;
            }
          }
          for (const auto& [synonym, value] : f.synonyms) {
            if (synonym == spelling) {
              v->text = value;
              return true;
            }
          }
          return false;
        };
        if (known(folded)) return Status::Ok();
        // A value qualified in brackets after it (folded to ASCII brackets), the qualifier
        // unknown to the definition: "农村低保（A类）", "住院(普通)" are 低保 and 住院.
        if (const size_t open = folded.rfind('('); open != std::string::npos && open > 0 && folded.ends_with(')')) {
          folded.resize(open);
          if (known(folded)) return Status::Ok();
        }
        return Error(StatusCode::kInvalidArgument, Msg::kFeedEnumInvalid, cell, f.column.name, JoinValues(f.values));
      }
      case FieldType::kDate: {
        HEARTH_ASSIGN_OR_RETURN(Date d, ParseDate(cell, serials));
        if (d < Date::FromCivil(1900, 1, 1)) {
          return Error(StatusCode::kInvalidArgument, Msg::kFeedDateTooEarly, f.column.name, d.ToIso());
        }
        if (f.not_after_received && d > received_) {
          return Error(StatusCode::kInvalidArgument, Msg::kFeedDateAfterReceived, f.column.name, d.ToIso(),
                       received_.ToIso());
        }
        v->number = d.days();
        v->text = d.ToIso();
        return Status::Ok();
      }
      case FieldType::kMoney: {
        // In a column headed （万元） (or under 单位：万元) a plain number is ten thousands of yuan,
        // to the fen; a cell that names its own unit ("1.5万", "15000元") says what it is. A
        // monthly amount may name its rate: "650元/月" is 650元.
        std::string per_month;
        if (f.monthly) {
          per_month = FoldWidth(TrimSpace(cell));
          for (std::string_view rate : {"/月", "每月"}) {
            if (per_month.ends_with(rate) && per_month.size() > rate.size()) {
              per_month.resize(per_month.size() - rate.size());
              cell = per_month;
              break;
            }
          }
        }
        HEARTH_ASSIGN_OR_RETURN(Money m, ParseMoneyInUnit(cell, money_unit));
        if (m < Money() && !f.allow_negative) {
          return Error(StatusCode::kInvalidArgument, Msg::kMoneyNegative, f.column.name, cell);
        }
        if (f.max && m.fen() > *f.max * 100) {
          return Error(StatusCode::kInvalidArgument, Msg::kFeedMoneyTooLarge, f.column.name, m.ToString(),
                       *f.max);
        }
        v->number = m.fen();
        v->text = std::to_string(m.fen());
        return Status::Ok();
      }
      case FieldType::kInteger: {
        // A unit after the number as offices write it: 2025年, 3个月, 45岁, 3亩; full-width
        // digits as typed with a Chinese input method.
        const std::string folded = FoldWidth(cell);
        std::string_view number = TrimSpace(folded);
        for (std::string_view unit : {"年度", "年", "个月", "月", "岁", "人", "天", "次", "亩", "户", "口", "间", "套"}) {
          if (number.size() > unit.size() && number.ends_with(unit)) {
            number = TrimSpace(number.substr(0, number.size() - unit.size()));
            break;
          }
        }
        StatusOr<int64_t> n = ParseWholeNumber(number);
        if (!n.ok()) {
          std::string range = f.min && f.max ? fmt::format("（{}–{}）", *f.min, *f.max) : "";
          return Error(StatusCode::kInvalidArgument, Msg::kFeedIntegerInvalid, f.column.name, cell, range);
        }
        if ((f.min && *n < *f.min) || (f.max && *n > *f.max)) {
          const std::string range = f.min && f.max ? fmt::format("{}–{}", *f.min, *f.max)
                                    : f.min        ? fmt::format("≥ {}", *f.min)
                                                   : fmt::format("≤ {}", *f.max);
          return Error(StatusCode::kInvalidArgument, Msg::kFeedIntegerOutOfRange, f.column.name, cell, range);
        }
        v->number = *n;
        v->text = std::to_string(*n);
        return Status::Ok();
      }
      case FieldType::kSchoolYear: {
        HEARTH_ASSIGN_OR_RETURN(v->number, ParseSchoolYear(cell));
        v->text = std::to_string(v->number);
        return Status::Ok();
      }
      case FieldType::kVillage: {
        std::string code = FoldWidth(TrimSpace(cell));
        if (IsSpreadsheetNumberText(code)) {
          return Error(StatusCode::kInvalidArgument, Msg::kCodeSpreadsheetNumber, f.column.name, cell);
        }
        if (code.find_first_not_of("0123456789") == std::string::npos && code.size() != 12) {
          return Error(StatusCode::kInvalidArgument, Msg::kFeedVillageCodeLength, cell, code.size());
        }
        if (code.size() != 12 || code.find_first_not_of("0123456789") != std::string::npos) {
          return Error(StatusCode::kInvalidArgument, Msg::kVillageUnknown, cell);
        }
        v->text = std::move(code);
        return Status::Ok();
      }
      case FieldType::kHouseholdCode: {
        std::string code = NormalizeHouseholdCode(cell);
        HEARTH_RETURN_IF_ERROR(ValidateHouseholdCode(code));
        v->text = std::move(code);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  // The cross-field checks of the definition: every one that fails.
  void Check(const HeaderMatch& h, const TableRow& row, std::vector<RowProblem>* problems) const {
    // Nothing happens to a person before their birth (the date in the ID number): a date of the
    // kind not_before_birth names before it is a typo. Not for a household named by its head,
    // whose house or water may be older than a young head.
    const int person = spec_.link.person;
    if (person >= 0 && !spec_.link.head && Val(person).present) {
      const Date born = Date::FromDays(static_cast<int32_t>(Val(person).number));
      for (size_t i = 0; i < spec_.fields.size(); ++i) {
        const FieldSpec& f = spec_.fields[i];
        const Value& v = values_[i];
        if (f.type != FieldType::kDate || !f.not_before_birth || !v.present) continue;
        const Date on = Date::FromDays(static_cast<int32_t>(v.number));
        if (on >= born) continue;
        problems->push_back(ProblemAt(h, row, static_cast<int>(i),
                                      Error(StatusCode::kInvalidArgument, Msg::kFeedDateBeforeBirth, f.column.name,
                                            on.ToIso(), born.ToIso(), Field(person).column.name)));
      }
    }
    for (const CheckSpec& c : spec_.checks) {
      bool failed = false;
      int column = -1;
      std::string left, right;
      if (!c.any_of.empty()) {
        // A filled cell that is not valid has its own problem already; "both empty" would be wrong.
        failed = std::none_of(c.any_of.begin(), c.any_of.end(), [&](int f) { return f >= 0 && Val(f).filled; });
        column = c.any_of.front();
      } else {
        const Value& l = Val(c.left);
        const Value& r = Val(c.right);
        if (!l.present || !r.present) continue;
        bool ok = c.op == "<=" ? l.number <= r.number
                  : c.op == "<" ? l.number < r.number
                  : c.op == ">=" ? l.number >= r.number
                                 : l.number > r.number;
        if (ok) continue;
        failed = true;
        column = c.left;
        left = Display(c.left);  // formatted only for the message: most rows pass
        right = Display(c.right);
      }
      if (!failed) continue;
      std::string message = CurrentLanguage() == Lang::kZh ? c.zh : c.en;
      for (auto [token, value] : {std::pair<std::string_view, std::string_view>{"{left}", left}, {"{right}", right}}) {
        for (size_t pos = message.find(token); pos != std::string::npos; pos = message.find(token, pos + value.size())) {
          message.replace(pos, token.size(), value);
        }
      }
      problems->push_back(ProblemAt(h, row, column, Status(StatusCode::kInvalidArgument, c.kind, message)));
    }
  }

  // A value as people read it (money in yuan).
  std::string Display(int field) const {
    const Value& v = Val(field);
    if (Field(field).type == FieldType::kMoney) return Money::FromFen(v.number).ToString();
    return v.text;
  }

  // Links the row (values_) to a person, household or village. `persons`: those registered
  // with the row's ID number (FindPersons), when it has one.
  StatusOr<std::optional<RowProblem>> Resolve(const HeaderMatch& h, const TableRow& row, ImportTransaction& tx,
                                               const std::vector<PersonLink>* found, Link* link) {
    const LinkSpec& ls = spec_.link;
    const Value& id = Val(ls.person);
    if (id.present) {
      link->person = id.text;
      const std::vector<PersonLink>& persons = *found;
      if (!persons.empty()) {
        // The first household the registry lists the person in (by reference); in a feed that
        // names households by their head, the one the person heads.
        const PersonLink* chosen = &persons.front();
        if (ls.head) {
          const auto heads = std::find_if(persons.begin(), persons.end(),
                                          [](const PersonLink& p) { return p.relation == Relation::kHead; });
          if (heads != persons.end()) {
            chosen = &*heads;
          } else {
            link->head_problem = NotHeadProblem(h, row, persons, id.text);
          }
        }
        for (const PersonLink& p : persons) {
          if (&p != chosen) other_households_.insert(p.household_code);
        }
        link->household = chosen->household_code;
        link->household_ref = chosen->household_ref;
        link->village = chosen->village_code;
        if (ls.name >= 0 && Val(ls.name).present && !chosen->name.empty() && !SameName(Val(ls.name).text, chosen->name)) {
          link->name_problem = ProblemAt(h, row, ls.name,
                                         Error(StatusCode::kInvalidArgument, Msg::kFeedNameMismatch, Val(ls.name).text,
                                               chosen->name, id.text));
          link->registered_name = chosen->name;
        }
        // A registered person moving in (公安's 迁入) to the household the row names: the fact
        // belongs to that household, not to the one the registry still lists them in.
        if (ls.household >= 0 && ls.household_when_field >= 0 && Val(ls.household).present && HouseholdFallbackApplies()) {
          const std::string& named = Val(ls.household).text;
          const auto there = std::find_if(persons.begin(), persons.end(),
                                          [&](const PersonLink& p) { return p.household_code == named; });
          if (there != persons.end()) {
            // Registered in two households, moving into one of them: the fact is that one's
            // (the other sees it as a move out of it).
            link->household = there->household_code;
            link->household_ref = there->household_ref;
            link->village = there->village_code;
            for (const PersonLink& p : persons) {
              if (p.household_code != named) other_households_.insert(p.household_code);
            }
          } else {
            HEARTH_ASSIGN_OR_RETURN(std::optional<std::string> village, tx.HouseholdVillage(named));
            if (village) {
              // The household the registry still lists the person in sees the move too (a
              // move out of it: MemberElsewhereEventsSql), so it is screened as well.
              for (const PersonLink& p : persons) other_households_.insert(p.household_code);
              link->household = named;
              link->household_ref = 0;
              link->village = *village;
            }
          }
        }
        return std::optional<RowProblem>();
      }
      if (ls.household >= 0 && Val(ls.household).present && HouseholdFallbackApplies()) {
        HEARTH_ASSIGN_OR_RETURN(std::optional<std::string> village, tx.HouseholdVillage(Val(ls.household).text));
        if (village) {
          link->household = Val(ls.household).text;
          link->village = *village;
          return std::optional<RowProblem>();
        }
        RowProblem p = ProblemAt(h, row, ls.household,
                                 Error(StatusCode::kNotFound, Msg::kFeedHouseholdUnknown, id.text, Val(ls.household).text));
        p.outcome = RowOutcome::kUnmatched;
        return std::optional<RowProblem>(std::move(p));
      }
      if (ls.household >= 0 && ls.household_when_field >= 0 && HouseholdFallbackApplies()) {
        // A newborn or a person moving in is linked by the household's number, and it is empty.
        RowProblem p = ProblemAt(h, row, ls.household,
                                 Error(StatusCode::kNotFound, Msg::kFeedHouseholdCodeNeeded, id.text,
                                       Val(ls.household_when_field).text, Field(ls.household).column.name));
        p.outcome = RowOutcome::kUnmatched;
        return std::optional<RowProblem>(std::move(p));
      }
      RowProblem p = ProblemAt(h, row, ls.person, Error(StatusCode::kNotFound, Msg::kFeedPersonUnknown, id.text));
      p.outcome = RowOutcome::kUnmatched;
      return std::optional<RowProblem>(std::move(p));
    }
    // No person given (the column is optional, or its cell empty): a fact about a village.
    if (ls.village >= 0 && Val(ls.village).present) {
      if (!tx.IsVillage(Val(ls.village).text)) {
        return std::optional<RowProblem>(
            ProblemAt(h, row, ls.village, Error(StatusCode::kInvalidArgument, Msg::kVillageUnknown, Val(ls.village).text)));
      }
      link->village = Val(ls.village).text;
      return std::optional<RowProblem>();
    }
    return std::optional<RowProblem>(
        ProblemAt(h, row, ls.person, Error(StatusCode::kInvalidArgument, Msg::kIdEmpty)));
  }

  // A row of a feed that names households by their head (link.head) whose person heads none
  // of the households the registry lists them in: it is linked to the first of them (as a row of
  // any feed), and says what the person is there and whose ID number belongs in the column.
  RowProblem NotHeadProblem(const HeaderMatch& h, const TableRow& row, const std::vector<PersonLink>& persons,
                            const std::string& id) const {
    const LinkSpec& ls = spec_.link;
    std::string name = persons.front().name;
    if (name.empty() && ls.name >= 0 && Val(ls.name).present) name = Val(ls.name).text;
    const bool zh = CurrentLanguage() == Lang::kZh;
    std::string registered;
    for (const PersonLink& p : persons) {
      registered += registered.empty() ? "" : zh ? "、" : ", ";
      registered += p.relation ? Tr(Msg::kFeedRegisteredAs, p.household_code,
                                    zh ? RelationVocab().LabelZh(static_cast<int>(*p.relation))
                                       : RelationVocab().KeyEn(static_cast<int>(*p.relation)))
                               : Tr(Msg::kFeedPlacedByRegistration, p.household_code);
    }
    const std::string person = name.empty() ? Tr(Msg::kFeedPersonById, id) : Tr(Msg::kFeedPersonByName, id, name);
    return ProblemAt(h, row, ls.person,
                     Error(StatusCode::kInvalidArgument, Msg::kFeedNotHouseholdHead, person, registered,
                           Field(ls.person).column.name, persons.front().household_code));
  }

  bool HouseholdFallbackApplies() const {
    const LinkSpec& ls = spec_.link;
    if (ls.household_when_field < 0) return true;
    const Value& v = Val(ls.household_when_field);
    return v.present && std::find(ls.household_when_values.begin(), ls.household_when_values.end(), v.text) !=
                            ls.household_when_values.end();
  }

  // key_: the key fields' canonical values joined by '|'; payload_: a JSON object of the
  // fields a rule may read (ID numbers and names are the event's person, not payload).
  // The fields that make this row's fact: the kind's key, or a [[key_when]]'s that matches it.
  const std::vector<int>& RowKey() const {
    for (const KeyWhenSpec& when : spec_.key_when) {
      const Value& v = Val(when.field);
      if (v.present && std::find(when.values.begin(), when.values.end(), v.text) != when.values.end()) return when.key;
    }
    return spec_.key;
  }

  void BuildKeyAndPayload() {
    key_.clear();
    const std::vector<int>& key = RowKey();
    for (size_t k = 0; k < key.size(); ++k) {
      if (k > 0) key_.push_back('|');
      key_ += Val(key[k]).text;
    }
    payload_.assign("{");
    for (size_t i = 0; i < spec_.fields.size(); ++i) {
      const FieldSpec& f = spec_.fields[i];
      const Value& v = values_[i];
      if (!v.present || f.type == FieldType::kId || f.type == FieldType::kName) continue;
      if (payload_.size() > 1) payload_.push_back(',');
      AppendJsonString(f.name, &payload_);
      payload_.push_back(':');
      if (IsNumeric(f.type) && f.type != FieldType::kDate) {
        payload_ += std::to_string(v.number);
      } else {
        AppendJsonString(v.text, &payload_);
      }
    }
    payload_.push_back('}');
  }

  // The key as people read it, for messages.
  std::string KeyText() const {
    std::string out;
    for (int k : RowKey()) {
      if (!Val(k).present) continue;
      out += (out.empty() ? "" : " / ") + Display(k);
    }
    return out;
  }

  // Where a line of this file is: "第 4 行", or "工作表“4月”第 4 行" when several sheets are read.
  std::string Where(int64_t line) const { return layout_.headers.empty() ? WhereInFile(line) : layout_.Where(line); }

  RowProblem ConflictProblem(int64_t first_line, int64_t line) const {
    return RowProblem{-1, KeyText(), Error(StatusCode::kInvalidArgument, Msg::kFeedKeyConflict, Where(first_line), Where(line), KeyText())};
  }

  Date Effective() const {
    for (int f : spec_.effective) {
      const Value& v = Val(f);
      if (!v.present) continue;
      switch (Field(f).type) {
        case FieldType::kDate: return Date::FromDays(static_cast<int32_t>(v.number));
        // A year's (or school year's) status without a date of its own holds from the day the
        // file arrived, as the department's latest word on it: so a later file's report (辍学)
        // outranks an earlier one's dated within the year (在校 on 2025-01-10). Next year's list
        // of the uninsured, sent during the autumn enrolment drive, is thus acted on now; a
        // list about a year already over holds from that year's last day.
        case FieldType::kInteger:
          return std::min(Date::FromCivil(static_cast<int>(v.number), 12, 31), received_);
        case FieldType::kSchoolYear:
          return std::min(Date::FromCivil(static_cast<int>(v.number) + 1, 8, 31), received_);
        default: break;
      }
    }
    return received_;
  }

  const FeedSpec& spec_;
  Date received_;
  Date today_;
  std::vector<MoneyUnit> money_unit_;  // per field: what a plain number in its cells counts
  const HeaderMatch* money_unit_header_ = nullptr;  // the header money_unit_ was read from, and its line
  int64_t money_unit_line_ = 0;
  int64_t damaged_ids_;  // < 0: not known yet, counted while reading (DamagedIdsFound)
  PrecisionDamageCounter id_damage_;  // while damaged_ids_ < 0
  bool remember_duplicates_;
  int64_t identical_to_ = 0;  // the earlier import of this very file (same digest), or 0
  Date identical_received_;   // ... and the date it was received then
  TableLayout layout_;        // the sheets read, to say where a line cited is
  std::optional<RowProblem> merged_remark_;  // the row being read: an amount merged above it
  bool introduces_;  // the feed's events may place persons not registered (FindPersons finds them)
  const size_t batch_rows_;
  // The columns the batch held was read by: ImportTable flushes before another sheet or table
  // begins (a second table on a sheet may place its columns elsewhere), and keeps each header
  // where it is until the file is read.
  const HeaderMatch* header_ = nullptr;
  std::vector<Value> values_;  // the row being read or decided
  std::vector<Pending> batch_;  // slots reused from batch to batch
  size_t used_ = 0;
  size_t held_bytes_ = 0;
  std::unordered_set<std::string> batch_keys_, batch_persons_;
  std::vector<std::string> ids_, keys_;
  std::string key_, payload_;
  std::map<std::string, std::vector<int64_t>> conflicts_;  // keys found conflicting in this file -> their lines
  // Keys of this file's rows that repeated a fact known from an earlier file -> line. Grows only
  // with such rows (a cumulative monthly list re-sent); not kept when the whole file is known.
  std::unordered_map<std::string, int64_t> seen_duplicates_;
  std::vector<RetroReject> retro_rejects_;
  std::vector<InFileDuplicate> in_file_duplicates_;
  Reread reread_;
  std::string area_;
  bool area_seen_ = false;
  std::unordered_set<std::string> villages_;  // of every row that linked (ImportTotals::villages)
  std::set<std::string> other_households_;
};

}  // namespace

Status ScreenTouched(ImportTransaction& tx, const ScreenHook& screen, Date as_of) {
  if (!screen) return Status::Ok();
  int64_t after = 0;
  while (true) {
    HEARTH_ASSIGN_OR_RETURN(std::vector<std::string> codes, tx.TouchedHouseholds(&after, 20000));
    if (codes.empty()) return Status::Ok();
    HEARTH_RETURN_IF_ERROR(screen(tx, codes, as_of));
  }
}

namespace {

// Screens `households` 20,000 at a time (what one screening call holds in memory).
Status ScreenInChunks(ImportTransaction& tx, const ScreenHook& screen, const std::vector<std::string>& households,
                      Date as_of) {
  if (!screen) return Status::Ok();
  constexpr size_t kChunk = 20000;
  for (size_t i = 0; i < households.size(); i += kChunk) {
    const auto from = households.begin() + static_cast<std::ptrdiff_t>(i);
    const auto to = households.begin() + static_cast<std::ptrdiff_t>(std::min(households.size(), i + kChunk));
    HEARTH_RETURN_IF_ERROR(screen(tx, std::vector<std::string>(from, to), as_of));
  }
  return Status::Ok();
}

// Households whose open findings rest on a fact that has ended by `as_of` (a grant's "end"
// date has passed), though this file did not touch them: screened again, so that such a
// finding closes once its fact ends rather than when a later file happens to name the household.
Status ScreenWhereFactsEnded(Store& store, ImportTransaction& tx, const ScreenHook& screen, Date as_of) {
  if (!screen) return Status::Ok();
  HEARTH_ASSIGN_OR_RETURN(std::vector<FindingRecord> open, store.ListFindings(FindingFilter{}));
  std::set<std::string> households;
  for (const FindingRecord& f : open) {
    const nlohmann::json params = nlohmann::json::parse(f.params, nullptr, /*allow_exceptions=*/false);
    if (!params.is_object() || !params.contains("end") || !params["end"].is_string()) continue;
    StatusOr<Date> end = ParseDate(params["end"].get<std::string>());
    if (end.ok() && *end < as_of) households.insert(f.household_code);
  }
  return ScreenInChunks(tx, screen, std::vector<std::string>(households.begin(), households.end()), as_of);
}

}  // namespace

FileReport ImportFeed(Store& store, const FeedSpec& spec, const std::filesystem::path& file,
                      const FeedImportOptions& options) {
  Date today = options.clock->Today();
  Date received = options.received.value_or(today);
  TableImportOptions table_options;
  table_options.encoding = options.encoding;
  table_options.received = received;
  table_options.progress = options.progress;
  // The file's events are known from the day it arrived (DESIGN.md section 2): a file received
  // today is known from now; one received earlier, from the start of that day (UTC+8), so that
  // past files replay faithfully.
  table_options.recorded_at = received < today ? Clock::StartOfDayMicros(received) : options.clock->NowMicros();

  // The identical file again: read it (so the report says what it holds), write nothing. Unless
  // it is no longer identical in effect: rows unmatched then whose person is registered now, or
  // a corrected --received date that lets rows in. Such a file is then taken as any other.
  int64_t same_as = 0;
  StatusOr<std::string> digest = FileDigest(file);
  if (digest.ok()) {
    if (auto known = store.FindImportByDigest(spec.kind, *digest); known.ok() && *known) same_as = **known;
  }
  table_options.dry_run = same_as != 0;
  const int64_t identical_to = same_as;  // stays when the file is taken again
  Date identical_received = received;
  if (same_as != 0) {
    if (StatusOr<ImportRecord> earlier = store.GetImport(same_as); earlier.ok()) identical_received = earlier->received;
  }
  // The households touched are screened as of the latest date a department file arrived: a
  // file that arrives late (received before files already imported) must not judge, as of its
  // own date, findings and warnings that later files' facts opened.
  const Date screen_as_of = options.screen ? ScreeningAsOf(store, received, 0) : received;

  bool taken_again = false;  // known, but no longer identical in effect
  // About how many rows the file holds (a claims row is ~115 bytes of CSV, ~75 of XLSX): the
  // store may prepare for a large file's lookups (ImportTransaction::ExpectRows).
  std::error_code size_error;
  const auto file_bytes = static_cast<int64_t>(std::filesystem::file_size(file, size_error));
  const bool xlsx = LowerAscii(file.extension().string()).starts_with(".xls");
  const int64_t expected_rows = size_error ? 0 : file_bytes / (xlsx ? 80 : 120);
  // Asked again once this import's turn to write has come: another process may have committed
  // the same file meanwhile (both asked before either committed). Only one of them writes it.
  auto recheck = [&](ImportTransaction& tx, bool* dry_run) -> Status {
    tx.ExpectRows(expected_rows);
    if (same_as != 0 || taken_again || !digest.ok()) return Status::Ok();
    HEARTH_ASSIGN_OR_RETURN(std::optional<int64_t> known, store.FindImportByDigest(spec.kind, *digest));
    if (known && *known != tx.import_id()) {
      same_as = *known;
      *dry_run = true;
    }
    return Status::Ok();
  };

  // One reading, normally: the ID column is taken as sound while its IDs are counted. Only a file
  // whose column a spreadsheet damaged is read a second time, knowing it (its first reading
  // rolled back, nothing of it written).
  auto take = [&](int64_t damaged, int64_t* damaged_found) {
    FeedRows rows(spec, received, today, damaged, /*remember_duplicates=*/same_as == 0);
    rows.set_identical_to(identical_to, identical_received);
    rows.set_reread([&](const std::set<int64_t>& lines) {
      return ReadRowsAt(file, options.encoding, spec.Columns(), lines);
    });
    TableImportSpec table_spec{spec.kind, spec.Columns(),
                               [&](ImportTransaction& tx, FileReport* report, ImportTotals* totals) -> Status {
                                 HEARTH_RETURN_IF_ERROR(rows.Finish(tx, report, totals));
                                 if (same_as != 0) return Status::Ok();
                                 HEARTH_RETURN_IF_ERROR(ScreenTouched(tx, options.screen, screen_as_of));
                                 const std::set<std::string>& others = rows.OtherHouseholds();
                                 HEARTH_RETURN_IF_ERROR(ScreenInChunks(tx, options.screen,
                                                                       {others.begin(), others.end()}, screen_as_of));
                                 return ScreenWhereFactsEnded(store, tx, options.screen, screen_as_of);
                               },
                               recheck};
    FileReport report = ImportTable(store, file, table_spec, table_options, rows);
    *damaged_found = rows.DamagedIdsFound();
    return report;
  };
  if (digest.ok()) table_options.digest = *digest;
  auto take_whole = [&] {
    int64_t damaged = 0;
    FileReport report = take(-1, &damaged);
    if (damaged > 0 && report.refusal.kind() == kTakeAgainKnowingTheDamage) {
      int64_t unused = 0;
      report = take(damaged, &unused);
    }
    return report;
  };
  FileReport report = take_whole();
  if (same_as != 0 && report.refusal.ok() && report.inserted + report.updated > 0) {
    same_as = 0;
    taken_again = true;
    table_options.dry_run = false;
    report = take_whole();
  }
  report.same_as_import = same_as;
  return report;
}

Date ScreeningAsOf(Store& store, Date floor, int64_t except) {
  Date as_of = floor;
  if (auto imports = store.ListImports({}); imports.ok()) {
    for (const ImportRecord& i : *imports) {
      const bool dated = i.status == "committed" && i.kind != "undo" && !i.kind.starts_with("registry") && i.id != except;
      if (dated) as_of = std::max(as_of, i.received);
    }
  }
  if (auto screened = store.LatestScreeningDate(); screened.ok() && *screened) as_of = std::max(as_of, **screened);
  return as_of;
}

StatusOr<UndoReport> UndoImport(Store& store, int64_t import_id, const ScreenHook& screen, const Clock& clock) {
  UndoReport out;
  HEARTH_ASSIGN_OR_RETURN(out.retracted, store.GetImport(import_id));
  // The households are screened as of the latest date a department file (still in force) arrived,
  // as an import screens them: not as of today, which would judge by facts of no file.
  const Date as_of = ScreeningAsOf(store, out.retracted.received, import_id);
  ImportRecord record;
  record.kind = "undo";
  record.file_name = out.retracted.file_name;
  record.digest = out.retracted.digest;
  record.received = clock.Today();
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<ImportTransaction> tx, store.BeginImport(record));
  HEARTH_ASSIGN_OR_RETURN(std::vector<std::string> households, tx->RetractImport(import_id));
  out.households = static_cast<int64_t>(households.size());
  if (screen) HEARTH_RETURN_IF_ERROR(ScreenInChunks(*tx, screen, households, as_of));
  out.undo_import_id = tx->import_id();
  ImportTotals totals;
  totals.area_code = out.retracted.area_code;
  HEARTH_RETURN_IF_ERROR(tx->Commit(totals));
  tx.reset();
  HEARTH_ASSIGN_OR_RETURN(std::vector<ImportRecord> same_kind, store.ListImports({out.retracted.kind, ""}));
  for (ImportRecord& later : same_kind) {
    if (later.kind == out.retracted.kind && later.id > import_id && later.status == "committed" && later.duplicate > 0) {
      out.later_with_duplicates.push_back(std::move(later));
    }
  }
  std::sort(out.later_with_duplicates.begin(), out.later_with_duplicates.end(),
            [](const ImportRecord& a, const ImportRecord& b) { return a.id < b.id; });
  return out;
}

}  // namespace hearth
