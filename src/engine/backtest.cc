#include "engine/backtest.h"

#include <algorithm>
#include <fstream>
#include <unordered_map>

#include "core/clock.h"
#include "core/messages.h"
#include "core/text.h"
#include "engine/engine.h"

namespace hearth {
namespace {

constexpr int kHorizonMonths = 3;  // a warning is real when the case is below within 3 months
constexpr int kMaxMonths = 60;

std::vector<std::string_view> SplitCsv(std::string_view line) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  while (true) {
    const size_t comma = line.find(',', begin);
    out.push_back(line.substr(begin, comma == std::string_view::npos ? std::string_view::npos : comma - begin));
    if (comma == std::string_view::npos) return out;
    begin = comma + 1;
  }
}

// One household's months, as bits (bit i: month i of the range).
struct Track {
  std::string village;
  uint64_t below = 0;         // truly below the line
  uint64_t flagged_rules = 0;
  uint64_t flagged_bare = 0;
};

struct Listed {
  uint32_t track;
  int64_t rank_key;  // higher first
};

uint64_t Window(int from, int count) {
  uint64_t bits = 0;
  for (int i = from; i < from + count && i < 64; ++i) bits |= uint64_t{1} << i;
  return bits;
}

bool RealAt(const Track& t, int month) { return (t.below & Window(month, kHorizonMonths)) != 0; }

void ScoreTopN(std::vector<Listed>& listed, const std::vector<Track>& tracks, int month, BacktestScores* s) {
  // By county, highest rank first.
  std::sort(listed.begin(), listed.end(), [&](const Listed& a, const Listed& b) {
    const std::string_view ca = std::string_view(tracks[a.track].village).substr(0, 6);
    const std::string_view cb = std::string_view(tracks[b.track].village).substr(0, 6);
    if (ca != cb) return ca < cb;
    return a.rank_key > b.rank_key;
  });
  size_t begin = 0;
  while (begin < listed.size()) {
    size_t end = begin;
    const std::string_view county = std::string_view(tracks[listed[begin].track].village).substr(0, 6);
    while (end < listed.size() && std::string_view(tracks[listed[end].track].village).substr(0, 6) == county) ++end;
    for (size_t k = begin; k < end && k < begin + 50; ++k) {
      const bool real = RealAt(tracks[listed[k].track], month);
      if (k < begin + 10) {
        ++s->top10_listed;
        s->top10_real += real;
      }
      ++s->top50_listed;
      s->top50_real += real;
    }
    begin = end;
  }
}

void ScoreCases(const std::vector<Track>& tracks, bool rules, BacktestResult* r) {
  BacktestScores& s = rules ? r->rules : r->bare;
  for (const Track& t : tracks) {
    const uint64_t flagged = rules ? t.flagged_rules : t.flagged_bare;
    if (flagged != 0) {
      ++s.flagged_households;
      bool real = false;
      for (uint64_t bits = flagged; bits != 0 && !real; bits &= bits - 1) real = RealAt(t, __builtin_ctzll(bits));
      s.real_flagged += real;
    }
    if (t.below == 0) continue;
    const int fall = __builtin_ctzll(t.below);
    const uint64_t by_fall = flagged & Window(0, fall + 1);
    if (by_fall == 0) continue;
    ++s.caught_in_time;
    const int first = __builtin_ctzll(by_fall);
    s.caught_ahead += first < fall;
    ++s.lead_months[fall - first];
  }
}

}  // namespace

StatusOr<Truth> ReadTruth(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(StatusCode::kNotFound, Msg::kTruthMissing, file.string());
  std::string line;
  std::getline(in, line);
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != "户编号,月份,人均纯收入_12月_分,人均刚性支出_12月_分") {
    return Error(StatusCode::kInvalidArgument, Msg::kTruthHeader, file.string(), line);
  }
  Truth truth;
  truth.file = file.string();
  for (int64_t n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string_view> cells = SplitCsv(line);
    if (cells.size() != 4) return Error(StatusCode::kInvalidArgument, Msg::kTruthRow, file.string(), n, line);
    StatusOr<Date> month = ParseYearMonth(cells[1]);
    StatusOr<int64_t> income = ParseWholeNumber(cells[2]), rigid = ParseWholeNumber(cells[3]);
    if (!month.ok() || !income.ok() || !rigid.ok()) {
      return Error(StatusCode::kInvalidArgument, Msg::kTruthRow, file.string(), n, line);
    }
    auto [it, added] = truth.households[std::string(cells[0])].try_emplace(month->days(), Truth::Month{*income, *rigid, n});
    if (!added) {
      return Error(StatusCode::kInvalidArgument, Msg::kTruthDuplicate, file.string(), it->second.line, n, cells[0],
                   month->ToYearMonth());
    }
    if (truth.rows == 0 || *month < truth.first_month) truth.first_month = *month;
    if (truth.rows == 0 || *month > truth.last_month) truth.last_month = *month;
    ++truth.rows;
  }
  if (truth.rows == 0) return Error(StatusCode::kInvalidArgument, Msg::kTruthEmpty, file.string());
  return truth;
}

StatusOr<BacktestResult> RunBacktest(Store& store, const RuleSet& rules, const Truth& truth, Date from, Date to,
                                     const std::function<void(Date)>& progress) {
  std::vector<Date> months;
  for (Date m = from; m <= to && months.size() <= kMaxMonths; m = m.AddMonths(1)) months.push_back(m);
  if (months.empty() || months.size() > kMaxMonths) {
    return Error(StatusCode::kInvalidArgument, Msg::kBacktestRange, from.ToYearMonth(), to.ToYearMonth(), kMaxMonths);
  }
  // A month without truth would count every warning of it as false, and no fall in it.
  if (truth.rows == 0 || from < truth.first_month || to > truth.last_month) {
    return Error(StatusCode::kInvalidArgument, Msg::kBacktestOutsideTruth, from.ToYearMonth(), to.ToYearMonth(),
                 truth.file, truth.first_month.ToYearMonth(), truth.last_month.ToYearMonth());
  }
  HEARTH_ASSIGN_OR_RETURN(auto refs, store.HouseholdRefs(""));
  std::unordered_map<int64_t, uint32_t> track_of;  // household ref -> track
  std::vector<Track> tracks;
  std::vector<const std::map<int32_t, Truth::Month>*> truth_of;
  for (const auto& [ref, code] : refs) {
    auto it = truth.households.find(code);
    if (it == truth.households.end()) continue;
    track_of[ref] = static_cast<uint32_t>(tracks.size());
    tracks.emplace_back();
    truth_of.push_back(&it->second);
  }
  const Policy& policy = rules.policy();
  BacktestResult result;
  result.months = static_cast<int>(months.size());
  std::vector<std::vector<Listed>> lists_rules(months.size()), lists_bare(months.size());
  for (size_t i = 0; i < months.size(); ++i) {
    if (progress) progress(months[i]);
    const Date as_of = Date::FromDays(months[i].AddMonths(1).days() - 1);
    EngineOptions options{as_of, Clock::StartOfDayMicros(Date::FromDays(as_of.days() + 1)) - 1, "", {}};
    HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Build(store, rules, options));
    engine->EvaluateRules();
    std::vector<Listed>& listed_rules = lists_rules[i];
    std::vector<Listed>& listed_bare = lists_bare[i];
    for (const Decision& d : engine->Decide()) {
      auto it = track_of.find(engine->household_ref(d.row));
      if (it == track_of.end()) continue;
      tracks[it->second].flagged_rules |= uint64_t{1} << i;
      listed_rules.push_back({it->second, d.score});
    }
    for (uint32_t row = 0; row < engine->size(); ++row) {
      auto it = track_of.find(engine->household_ref(row));
      if (it == track_of.end()) continue;
      Track& t = tracks[it->second];
      if (t.village.empty()) t.village = engine->village(row);
      const FeatureRow f = engine->Row(row);
      const int64_t line = f.Get(Feature::kLine), pc = f.Get(Feature::kIncomePc12m);
      if (line > 0 && pc < line) {
        t.flagged_bare |= uint64_t{1} << i;
        listed_bare.push_back({it->second, line - pc});
      }
      auto month = truth_of[it->second]->find(months[i].days());
      const std::optional<Money> true_line = policy.LineFor(t.village, months[i].year());
      if (month != truth_of[it->second]->end() && true_line &&
          month->second.income_pc - month->second.rigid_pc < true_line->fen()) {
        t.below |= uint64_t{1} << i;
      }
    }
  }
  // Real-or-not needs the following months' truth: score once every month is known.
  for (size_t i = 0; i < months.size(); ++i) {
    ScoreTopN(lists_rules[i], tracks, static_cast<int>(i), &result.rules);
    ScoreTopN(lists_bare[i], tracks, static_cast<int>(i), &result.bare);
  }
  ScoreCases(tracks, true, &result);
  ScoreCases(tracks, false, &result);
  result.households = static_cast<int64_t>(tracks.size());
  for (const Track& t : tracks) {
    if (t.below == 0) continue;
    ++result.true_cases;
    result.cases_after_first_month += (t.below & 1) == 0;
  }
  return result;
}

}  // namespace hearth
