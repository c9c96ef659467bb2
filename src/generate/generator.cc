#include "generate/generator.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "core/hand_over.h"
#include "core/messages.h"
#include "core/paths.h"
#include "generate/context.h"
#include "generate/feeds.h"
#include "generate/geography.h"
#include "generate/ids.h"
#include "generate/manifest.h"
#include "generate/model.h"
#include "generate/output.h"
#include "generate/population.h"
#include "generate/registry_text.h"
#include "generate/simulate.h"

namespace hearth {
namespace {

namespace fs = std::filesystem;
using namespace gen;  // NOLINT: the generator's own parts

// Households per block (each block has its own random streams: part of the output's
// definition) and blocks per wave (how much is in flight: does not change the output).
constexpr int64_t kBlockSize = 1024;
constexpr int64_t kWaveBlocks = 16;
constexpr int kFirstStartYear = 2021, kLastStartYear = 2099;

Status Validate(const GenerateOptions& o) {
  if (o.households < 1 || o.households > GenerateOptions::kMaxHouseholds) {
    return Error(StatusCode::kInvalidArgument, Msg::kGenBadHouseholds, o.households, GenerateOptions::kMaxHouseholds);
  }
  if (o.months < 1 || o.months > GenerateOptions::kMaxMonths) {
    return Error(StatusCode::kInvalidArgument, Msg::kGenBadMonths, o.months, GenerateOptions::kMaxMonths);
  }
  if (o.start.year() < kFirstStartYear || o.start.year() > kLastStartYear) {
    return Error(StatusCode::kInvalidArgument, Msg::kGenBadStart, o.start.ToYearMonth(),
                 std::to_string(kFirstStartYear) + "-01", std::to_string(kLastStartYear) + "-12");
  }
  if (o.threads < 0) return Error(StatusCode::kInvalidArgument, Msg::kGenBadThreads, o.threads);
  return Status::Ok();
}

// Creates `out`, or clears an earlier output there; refuses a directory holding other things.
Status PrepareOutput(const fs::path& out) {
  std::error_code ec;
  if (out.empty()) return Error(StatusCode::kInvalidArgument, Msg::kGenOutDirMissing);
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) return Error(StatusCode::kFailedPrecondition, Msg::kGenOutDirNotDirectory, out.string());
    if (!fs::is_empty(out, ec)) {
      if (!fs::exists(out / "manifest.json", ec)) {
        return Error(StatusCode::kFailedPrecondition, Msg::kGenOutDirNotEmpty, out.string());
      }
      for (const char* name : {"registry", "feeds", "truth.csv", "manifest.json"}) fs::remove_all(out / name, ec);
    }
  }
  fs::create_directories(out / "registry", ec);
  if (ec) return Error(StatusCode::kIoError, Msg::kGenOutDirCreate, out.string(), ec.message());
  return Status::Ok();
}

std::string FeedRelativePath(const RunContext& ctx, int file, const FileVariant& v) {
  const int month = file / kFeedKinds;
  const FeedSpec& spec = SpecOf(static_cast<FeedKind>(file % kFeedKinds));
  return "feeds/" + ctx.MonthStart(month).ToYearMonth() + "/" + std::string(spec.slug) + "." +
         std::string(FileFormatName(v.format));
}

// Every file of a run, open for appending.
struct Outputs {
  std::unique_ptr<TextFile> households, members, incomes, truth;
  std::vector<std::unique_ptr<FeedFile>> feeds;
};

StatusOr<std::unique_ptr<TextFile>> CreateWithHeader(const fs::path& path, std::string_view header) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<TextFile> file, TextFile::Create(path));
  HEARTH_RETURN_IF_ERROR(file->Write(header));
  return file;
}

StatusOr<Outputs> OpenOutputs(const RunContext& ctx, const fs::path& out, const std::vector<FileVariant>& variants) {
  Outputs o;
  HEARTH_ASSIGN_OR_RETURN(o.households, CreateWithHeader(out / "registry" / "家庭.csv", kHouseholdsHeader));
  HEARTH_ASSIGN_OR_RETURN(o.members, CreateWithHeader(out / "registry" / "家庭成员.csv", kMembersHeader));
  HEARTH_ASSIGN_OR_RETURN(o.incomes, CreateWithHeader(out / "registry" / "收入.csv", kIncomesHeader));
  HEARTH_ASSIGN_OR_RETURN(o.truth, CreateWithHeader(out / "truth.csv", kTruthHeader));
  for (int file = 0; file < static_cast<int>(variants.size()); ++file) {
    const Date month = ctx.MonthStart(file / kFeedKinds);
    const FeedSpec& spec = SpecOf(static_cast<FeedKind>(file % kFeedKinds));
    const std::string relative = FeedRelativePath(ctx, file, variants[static_cast<size_t>(file)]);
    std::error_code ec;
    fs::create_directories((out / relative).parent_path(), ec);
    HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<FeedFile> feed,
                            FeedFile::Open(out / relative, relative, spec, variants[static_cast<size_t>(file)],
                                           FileTitle(spec, month), ReceivedDate(month)));
    o.feeds.push_back(std::move(feed));
  }
  return o;
}

// Runs fn(0) .. fn(n - 1) on `threads` threads (the caller's included).
void ParallelFor(int64_t n, int threads, const std::function<void(int64_t)>& fn) {
  std::atomic<int64_t> next{0};
  auto work = [&] {
    for (int64_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

// A batch of consecutive blocks on its way from the generating threads to the writer.
struct Wave {
  std::vector<Block> blocks;
  std::vector<BlockText> texts;
  std::vector<std::vector<FeedChunk>> chunks;
  Status status;
};

// Waves from the producer thread to the writer, two at most waiting.
using WaveQueue = HandOver<std::unique_ptr<Wave>>;

// Generates the waves in order: households and their months in parallel, ID numbers in
// block order, then the text of every block in parallel.
class Producer {
 public:
  Producer(const RunContext& ctx, const std::vector<FileVariant>& variants, int64_t households, int threads)
      : ctx_(ctx),
        variants_(variants),
        households_(households),
        threads_(threads),
        numbering_(*ctx.geo, ctx.MonthStart(0).AddMonths(-12 * 115), ctx.MonthStart(ctx.months)) {}

  void Run(WaveQueue* queue) {
    const int64_t blocks = (households_ + kBlockSize - 1) / kBlockSize;
    for (int64_t first = 0; first < blocks; first += kWaveBlocks) {
      auto wave = std::make_unique<Wave>();
      MakeWave(first, std::min(kWaveBlocks, blocks - first), wave.get());
      const bool failed = !wave->status.ok();
      if (!queue->Push(std::move(wave)) || failed) break;
    }
    queue->Done();
  }

 private:
  void MakeWave(int64_t first, int64_t count, Wave* wave) {
    wave->blocks.resize(static_cast<size_t>(count));
    wave->texts.resize(static_cast<size_t>(count));
    wave->chunks.resize(static_cast<size_t>(count));
    ParallelFor(count, threads_, [&](int64_t i) { Generate(first + i, &wave->blocks[static_cast<size_t>(i)]); });
    for (Block& block : wave->blocks) {
      wave->status = numbering_.Assign(&block);
      if (!wave->status.ok()) return;
    }
    std::vector<Status> statuses(static_cast<size_t>(count));
    ParallelFor(count, threads_, [&](int64_t i) {
      const size_t k = static_cast<size_t>(i);
      statuses[k] = Render(&wave->blocks[k], &wave->texts[k], &wave->chunks[k]);
    });
    for (const Status& s : statuses) {
      if (!s.ok()) wave->status = s;
    }
  }

  void Generate(int64_t index, Block* block) {
    block->index = index;
    block->first_household = index * kBlockSize;
    block->count = static_cast<int32_t>(std::min(kBlockSize, households_ - block->first_household));
    Rng rng(ctx_.seed, Stream::kHouseholds, static_cast<uint64_t>(index));
    for (int32_t i = 0; i < block->count; ++i) BuildHousehold(ctx_, rng, block->first_household + i, block);
    const size_t rows = static_cast<size_t>(block->count) * static_cast<size_t>(ctx_.months);
    block->truth_income.assign(rows, 0);
    block->truth_rigid.assign(rows, 0);
    for (int32_t h = 0; h < block->count; ++h) SimulateHousehold(ctx_, rng, h, block);
  }

  Status Render(Block* block, BlockText* text, std::vector<FeedChunk>* chunks) {
    RenderBlockText(ctx_, *block, text);
    Rng faults(ctx_.seed, Stream::kFaults, static_cast<uint64_t>(block->index));
    Status s = RenderFeeds(ctx_, *block, variants_, faults, chunks);
    // Keep the counts; free the model.
    std::vector<Person>().swap(block->persons);
    std::vector<FeedEvent>().swap(block->events);
    std::vector<int64_t>().swap(block->truth_income);
    std::vector<int64_t>().swap(block->truth_rigid);
    return s;
  }

  const RunContext& ctx_;
  const std::vector<FileVariant>& variants_;
  const int64_t households_;
  const int threads_;
  IdNumbering numbering_;
};

int64_t CountLines(std::string_view text) { return static_cast<int64_t>(std::count(text.begin(), text.end(), '\n')); }

// Appends the wave's chunks of the feed files whose format is (or is not) XLSX.
Status WriteFeeds(const Wave& wave, const std::vector<FileVariant>& variants, bool xlsx, Outputs* out) {
  for (const std::vector<FeedChunk>& chunks : wave.chunks) {
    for (size_t f = 0; f < chunks.size(); ++f) {
      if (chunks[f].empty() || variants[f].xlsx() != xlsx) continue;
      HEARTH_RETURN_IF_ERROR(out->feeds[f]->Append(chunks[f]));
    }
  }
  return Status::Ok();
}

Status WriteTexts(const Wave& wave, Outputs* out, GenerateSummary* summary) {
  for (size_t b = 0; b < wave.blocks.size(); ++b) {
    const BlockText& text = wave.texts[b];
    HEARTH_RETURN_IF_ERROR(out->households->Write(text.households));
    HEARTH_RETURN_IF_ERROR(out->members->Write(text.members));
    HEARTH_RETURN_IF_ERROR(out->incomes->Write(text.incomes));
    HEARTH_RETURN_IF_ERROR(out->truth->Write(text.truth));
    summary->truth_rows += CountLines(text.truth);
    summary->stats.Add(wave.blocks[b].stats);
  }
  return Status::Ok();
}

// Writes one wave: XLSX sheets (slow: XML through libxlsxwriter) on a helper thread while
// this thread writes the text and CSV files. Each file is written by one thread, in order.
Status WriteWave(const Wave& wave, const std::vector<FileVariant>& variants, Outputs* out, GenerateSummary* summary) {
  Status xlsx_status;
  std::thread xlsx([&] { xlsx_status = WriteFeeds(wave, variants, /*xlsx=*/true, out); });
  Status status = WriteTexts(wave, out, summary);
  if (status.ok()) status = WriteFeeds(wave, variants, /*xlsx=*/false, out);
  xlsx.join();
  return status.ok() ? xlsx_status : status;
}

// Runs the producer on its own thread and writes its waves here, in order.
Status Pipeline(const RunContext& ctx, const std::vector<FileVariant>& variants, int64_t households, int threads,
                Outputs* out, const GenerateProgress& progress, GenerateSummary* summary) {
  Producer producer(ctx, variants, households, threads);
  WaveQueue queue(2);
  std::thread thread([&] { producer.Run(&queue); });
  Status status;
  int64_t done = 0;
  while (std::optional<std::unique_ptr<Wave>> next = queue.Pop()) {
    std::unique_ptr<Wave> wave = std::move(*next);
    if (status.ok()) status = wave->status;
    if (status.ok()) status = WriteWave(*wave, variants, out, summary);
    if (!status.ok()) {
      queue.Cancel();
      continue;
    }
    for (const Block& b : wave->blocks) done += b.count;
    if (progress) progress(done, households);
  }
  thread.join();
  return status;
}

// Closes every file; the feed files in parallel (closing an XLSX file compresses it).
StatusOr<std::vector<ManifestFile>> CloseOutputs(const RunContext& ctx, const std::vector<FileVariant>& variants,
                                                 const GenerateSummary& summary, int threads, Outputs* out) {
  HEARTH_RETURN_IF_ERROR(out->households->Close());
  HEARTH_RETURN_IF_ERROR(out->members->Close());
  HEARTH_RETURN_IF_ERROR(out->incomes->Close());
  HEARTH_RETURN_IF_ERROR(out->truth->Close());
  std::vector<Status> statuses(out->feeds.size());
  ParallelFor(static_cast<int64_t>(out->feeds.size()), threads,
              [&](int64_t f) { statuses[static_cast<size_t>(f)] = out->feeds[static_cast<size_t>(f)]->Close(); });
  for (const Status& s : statuses) HEARTH_RETURN_IF_ERROR(s);
  std::vector<ManifestFile> files;
  files.push_back({"registry/家庭.csv", "registry-households", summary.households});
  files.push_back({"registry/家庭成员.csv", "registry-persons", summary.persons});
  files.push_back({"registry/收入.csv", "registry-incomes", summary.households});
  files.push_back({"truth.csv", "truth", summary.truth_rows});
  for (size_t f = 0; f < out->feeds.size(); ++f) {
    const FeedFile& feed = *out->feeds[f];
    const FeedSpec& spec = SpecOf(static_cast<FeedKind>(f % kFeedKinds));
    ManifestFile m{feed.relative(), std::string(spec.slug), feed.rows()};
    m.variant = variants[f];
    m.department = std::string(spec.department);
    m.month = ctx.MonthStart(static_cast<int>(f) / kFeedKinds);
    m.received = ReceivedDate(m.month);
    m.header_line = feed.header_line();
    files.push_back(std::move(m));
  }
  return files;
}

}  // namespace

Status Generate(const GenerateOptions& options, const GenerateProgress& progress, GenerateSummary* summary) {
  HEARTH_RETURN_IF_ERROR(Validate(options));
  HEARTH_ASSIGN_OR_RETURN(fs::path data_dir, FindDataDir(options.data_dir.string()));
  HEARTH_ASSIGN_OR_RETURN(Geography geo, Geography::Load(data_dir, options.region));
  HEARTH_ASSIGN_OR_RETURN(HouseholdLayout layout, HouseholdLayout::Make(geo, options.households, options.seed));
  HEARTH_RETURN_IF_ERROR(PrepareOutput(options.out));
  const RunContext ctx = MakeRunContext(geo, layout, options.seed, options.start, options.months);
  std::vector<FileVariant> variants;
  for (int f = 0; f < options.months * kFeedKinds; ++f)
    variants.push_back(ChooseVariant(options.seed, f, options.households));
  HEARTH_ASSIGN_OR_RETURN(Outputs out, OpenOutputs(ctx, options.out, variants));
  const int threads = options.threads > 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  GenerateSummary local;
  HEARTH_RETURN_IF_ERROR(Pipeline(ctx, variants, options.households, threads, &out, progress, &local));
  local.households = local.stats.households;
  local.persons = local.stats.persons;
  local.later_persons = local.stats.later_persons;
  HEARTH_ASSIGN_OR_RETURN(std::vector<ManifestFile> files, CloseOutputs(ctx, variants, local, threads, &out));
  std::vector<FaultRecord> faults;
  for (const auto& feed : out.feeds) faults.insert(faults.end(), feed->faults().begin(), feed->faults().end());
  local.faults = static_cast<int64_t>(faults.size());
  for (const auto& feed : out.feeds) local.feed_rows += feed->rows();
  local.feed_files = static_cast<int64_t>(out.feeds.size());
  HEARTH_RETURN_IF_ERROR(WriteManifest(options.out, options, ctx, files, faults, local));
  if (summary != nullptr) *summary = local;
  return Status::Ok();
}

}  // namespace hearth
