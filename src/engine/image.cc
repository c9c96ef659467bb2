// Engine images (引擎快照): the facts an engine keeps (fact_cache.h), for every household, saved in
// the store as a few large blobs, so that the next build reads those instead of every registry
// row, and re-reads from the store only the households that imports since then changed.
//
// Why: at 10 M households a build from the registry tables reads some 60 M rows (45 s on
// SQLite, 95 s on PostgreSQL on 2 cores); the image is about 110 bytes per household and is
// read and decoded in parts at once (docs/BENCHMARKS.md).
//
// What makes it safe:
//  - The image is of facts, not features: features depend on the as-of date and the policy, and
//    are computed afresh from the decoded facts on every build exactly as from the store's.
//  - It records which imports were committed before its scan began (Store::CommittedImports).
//    An import committed later is "since": its events name the households it changed (new
//    facts, corrections, retractions; a village-wide event every household of its village),
//    and those are re-read from the store. An import that inserted or updated registry rows
//    (imports.registry_changed) makes the image unusable: the build reads every household.
//  - Only the latest image exists; a newer one replaces it in one transaction. Each chunk
//    carries a checksum and the image a format number: a chunk that is missing (replaced
//    meanwhile) or does not check, or another format, also means a build from the store.
//
// Layout. Chunk 0: format, the interned strings, the villages (code and encoded village-wide
// events), each household chunk's first and last village code (an area's build reads only the
// chunks that may hold it). Chunks 1..n: up to 65,536 households each, in row order: reference,
// code, village index, encoded facts. Every chunk starts with the FNV-1a 64 checksum of the rest.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "core/messages.h"
#include "engine/engine.h"

namespace hearth {
namespace {

constexpr size_t kHouseholdsPerChunk = 65536;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutBytes(std::string* out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out->append(bytes);
}

uint64_t Checksum(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A chunk begins with 8 bytes of room for its checksum.
std::string NewChunk() { return std::string(8, '\0'); }

std::string Seal(std::string chunk) {
  const uint64_t sum = Checksum(std::string_view(chunk).substr(8));
  std::memcpy(chunk.data(), &sum, 8);
  return chunk;
}

// Reads a chunk's framing with bounds checked (a corrupt chunk is reported, never overrun).
class ChunkReader {
 public:
  explicit ChunkReader(std::string_view data) : data_(data) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      const uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return true;
    }
    return false;
  }
  bool Bytes(std::string_view* out) {
    uint64_t n = 0;
    if (!Varint(&n) || n > data_.size() - pos_) return false;
    *out = data_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return true;
  }
  bool done() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

Status Corrupt(int64_t image, int64_t seq, std::string_view what) {
  return Error(StatusCode::kDataLoss, Msg::kEngineImageCorrupt, image, seq, std::string(what));
}

// The body of a chunk after its checksum is verified.
StatusOr<std::string_view> Open(std::string_view chunk, int64_t image, int64_t seq) {
  if (chunk.size() < 8) return Corrupt(image, seq, "short");
  uint64_t sum = 0;
  std::memcpy(&sum, chunk.data(), 8);
  if (sum != Checksum(chunk.substr(8))) return Corrupt(image, seq, "checksum");
  return chunk.substr(8);
}

struct Village {
  std::string code;
  std::string events;  // encoded (FactCache::VillageRecord)
};

// Chunk 0.
struct ImageHeadData {
  std::vector<std::string> strings;
  std::vector<Village> villages;
  //! Per household chunk (1..n): the first and last village code of its households, as
  //! indexes into `villages` (an area's build reads only the chunks that may hold it).
  std::vector<std::pair<uint32_t, uint32_t>> chunk_villages;
};

StatusOr<ImageHeadData> ReadHeadData(std::string_view chunk, int64_t image) {
  HEARTH_ASSIGN_OR_RETURN(std::string_view body, Open(chunk, image, 0));
  ChunkReader r(body);
  ImageHeadData head;
  uint64_t format = 0, n = 0;
  if (!r.Varint(&format) || format != static_cast<uint64_t>(kEngineImageFormat)) return Corrupt(image, 0, "format");
  if (!r.Varint(&n) || n > body.size()) return Corrupt(image, 0, "strings");
  head.strings.resize(static_cast<size_t>(n));
  for (std::string& s : head.strings) {
    std::string_view v;
    if (!r.Bytes(&v)) return Corrupt(image, 0, "strings");
    s = v;
  }
  if (!r.Varint(&n) || n > body.size()) return Corrupt(image, 0, "villages");
  head.villages.resize(static_cast<size_t>(n));
  for (Village& v : head.villages) {
    std::string_view code, events;
    if (!r.Bytes(&code) || !r.Bytes(&events)) return Corrupt(image, 0, "villages");
    v.code = code;
    v.events = events;
  }
  if (!r.Varint(&n) || n > body.size()) return Corrupt(image, 0, "chunks");
  head.chunk_villages.resize(static_cast<size_t>(n));
  for (auto& [low, high] : head.chunk_villages) {
    uint64_t a = 0, b = 0;
    if (!r.Varint(&a) || !r.Varint(&b) || a >= head.villages.size() || b >= head.villages.size()) {
      return Corrupt(image, 0, "chunks");
    }
    low = static_cast<uint32_t>(a);
    high = static_cast<uint32_t>(b);
  }
  if (!r.done()) return Corrupt(image, 0, "trailing bytes");
  return head;
}

// A bounded queue of chunks from the reading thread to one part's thread.
class ChunkQueue {
 public:
  // False when the queue was closed (the reader stops).
  bool Push(std::string chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return chunks_.size() < 2 || closed_; });
    if (closed_) return false;
    chunks_.push_back(std::move(chunk));
    ready_.notify_one();
    return true;
  }
  // False when closed and empty.
  bool Pop(std::string* chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return !chunks_.empty() || closed_; });
    if (chunks_.empty()) return false;
    *chunk = std::move(chunks_.front());
    chunks_.pop_front();
    space_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_all();
    space_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<std::string> chunks_;
  bool closed_ = false;
};

// Reads the image's household chunks: part p gets a contiguous range of them, decoded on its
// own thread, while this thread reads the chunks from the store in turn for every part (the
// store's connection is used by one thread only).
// With `give_encoded`, each household's encoded record is passed on as it is (the engine's
// pool begins with the image's strings). `seqs`: the chunks to read, ascending.
Status ReadChunksInParts(Store& store, const EngineImageHead& image, const ImageHeadData& head,
                         const std::vector<int64_t>& seqs, const std::string& area, int parts, bool give_encoded,
                         const std::function<Status(int part, HouseholdFacts&, std::string_view)>& fn) {
  const int64_t chunks = static_cast<int64_t>(seqs.size());
  if (chunks == 0) return Status::Ok();
  const int used = static_cast<int>(std::min<int64_t>(parts, chunks));
  // Part p reads seqs[first[p]], ... seqs[first[p + 1] - 1].
  std::vector<int64_t> first(static_cast<size_t>(used) + 1);
  for (int p = 0; p <= used; ++p) first[static_cast<size_t>(p)] = chunks * p / used;
  std::vector<ChunkQueue> queues(static_cast<size_t>(used));
  std::vector<Status> failed(static_cast<size_t>(used));
  std::atomic<bool> stop{false};
  auto decode = [&](int p) {
    HouseholdFacts facts;
    std::string chunk;
    int64_t next = first[static_cast<size_t>(p)];
    while (queues[static_cast<size_t>(p)].Pop(&chunk)) {
      const int64_t seq = seqs[static_cast<size_t>(next++)];
      Status s = [&]() -> Status {
        HEARTH_ASSIGN_OR_RETURN(std::string_view body, Open(chunk, image.id, seq));
        ChunkReader r(body);
        uint64_t n = 0;
        if (!r.Varint(&n)) return Corrupt(image.id, seq, "count");
        for (uint64_t i = 0; i < n; ++i) {
          uint64_t ref = 0, village = 0;
          std::string_view code, record;
          if (!r.Varint(&ref) || !r.Bytes(&code) || !r.Varint(&village) || village >= head.villages.size() ||
              !r.Bytes(&record) || record.empty()) {
            return Corrupt(image.id, seq, "household " + std::to_string(i));
          }
          const Village& v = head.villages[static_cast<size_t>(village)];
          if (!area.empty() && !v.code.starts_with(area)) continue;
          facts.household_ref = static_cast<int64_t>(ref);
          facts.household.household_code = code;
          facts.household.village_code = v.code;
          FactCache::Decode(record, v.events, v.code, head.strings, &facts);
          HEARTH_RETURN_IF_ERROR(fn(p, facts, give_encoded ? record : std::string_view()));
        }
        if (!r.done()) return Corrupt(image.id, seq, "trailing bytes");
        return Status::Ok();
      }();
      if (!s.ok()) {
        failed[static_cast<size_t>(p)] = s;
        stop = true;
        for (ChunkQueue& q : queues) q.Close();
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int p = 0; p < used; ++p) threads.emplace_back(decode, p);
  Status read_failed;
  int64_t longest = 0;
  for (int p = 0; p < used; ++p) longest = std::max(longest, first[static_cast<size_t>(p) + 1] - first[static_cast<size_t>(p)]);
  for (int64_t k = 0; k < longest && !stop; ++k) {
    for (int p = 0; p < used && !stop; ++p) {
      const int64_t index = first[static_cast<size_t>(p)] + k;
      if (index >= first[static_cast<size_t>(p) + 1]) continue;
      StatusOr<std::string> chunk = store.EngineImageChunk(image.id, seqs[static_cast<size_t>(index)]);
      if (!chunk.ok()) {
        read_failed = chunk.status();
        stop = true;
        break;
      }
      queues[static_cast<size_t>(p)].Push(std::move(*chunk));
    }
  }
  for (ChunkQueue& q : queues) q.Close();  // each part finishes the chunks it holds
  for (std::thread& t : threads) t.join();
  if (!read_failed.ok()) return read_failed;
  for (const Status& s : failed) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

bool IsImageProblem(const Status& s) {
  return s.kind() == "engine_image_missing" || s.kind() == "engine_image_corrupt";
}

}  // namespace

StatusOr<std::unique_ptr<Engine>> Engine::BuildFromImage(Store& store, const RuleSet& rules,
                                                         const EngineOptions& options, std::string* not_used) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<EngineImageHead> image, store.LatestEngineImage());
  if (!image) return std::unique_ptr<Engine>();
  if (image->format != kEngineImageFormat) {
    *not_used = Tr(Msg::kEngineImageOtherFormat, image->format, kEngineImageFormat);
    return std::unique_ptr<Engine>();
  }
  HEARTH_ASSIGN_OR_RETURN(ImageChanges changes, store.ChangesSince(image->imports));
  if (changes.registry) {
    *not_used = Tr(Msg::kEngineImageRegistryChanged);
    return std::unique_ptr<Engine>();
  }
  // Re-reading a household costs about as much as decoding ten from the image (an ordered scan
  // of the changed ones by id): when a quarter of them (and more than a few thousand) changed,
  // the scan of every household is the cheaper way.
  const int64_t changed = static_cast<int64_t>(changes.households.size());
  if (changed * 4 > image->households && changed > 4096) {
    *not_used = std::to_string(changes.households.size()) + " households changed since";
    return std::unique_ptr<Engine>();
  }
  StatusOr<ImageHeadData> head = [&]() -> StatusOr<ImageHeadData> {
    HEARTH_ASSIGN_OR_RETURN(std::string zero, store.EngineImageChunk(image->id, 0));
    return ReadHeadData(zero, image->id);
  }();
  if (!head.ok()) {
    if (!IsImageProblem(head.status())) return head.status();
    *not_used = head.status().message();
    return std::unique_ptr<Engine>();
  }
  // With kept facts, the records are kept as the image has them (no decoding and encoding
  // again): the engine's strings begin with the image's, in its order.
  std::shared_ptr<StringPool> pool;
  if (options.keep_facts) {
    pool = std::make_shared<StringPool>();
    for (const std::string& text : head->strings) pool->Intern(text);
    if (pool->strings().size() != head->strings.size()) pool = nullptr;  // not an image's pool: encode afresh
  }
  // The chunks that may hold households of the area (all without one).
  std::vector<int64_t> seqs;
  const std::string area_end = options.area + ":";  // codes are digits: ':' follows '9'
  for (int64_t seq = 1; seq <= image->chunks; ++seq) {
    if (!options.area.empty() && static_cast<size_t>(seq) <= head->chunk_villages.size()) {
      const auto [low, high] = head->chunk_villages[static_cast<size_t>(seq) - 1];
      if (head->villages[high].code < options.area || head->villages[low].code >= area_end) continue;
    }
    seqs.push_back(seq);
  }
  StatusOr<std::unique_ptr<Engine>> built = BuildInParts(rules, options, [&](int parts, const PartFn& fn) {
    return ReadChunksInParts(store, *image, *head, seqs, options.area, parts, pool != nullptr, fn);
  }, pool);
  if (!built.ok()) {
    if (!IsImageProblem(built.status())) return built.status();
    *not_used = built.status().message();
    return std::unique_ptr<Engine>();
  }
  std::unique_ptr<Engine> engine = std::move(*built);
  engine->source_.image = true;
  engine->source_.chunks_read = static_cast<int64_t>(seqs.size());
  engine->source_.image_id = image->id;
  engine->source_.imports_since = changes.imports;
  // The households changed since, read by one ordered scan of just those (of the area).
  if (!changes.households.empty()) {
    FactsScan scan{options.area, std::nullopt, std::move(changes.households)};
    // In parts (features computed on each part's thread), put into the engine one at a time.
    // As Update, but not decided: EvaluateRules decides every household after the build.
    const Policy& policy = rules.policy();
    std::mutex mu;
    HEARTH_RETURN_IF_ERROR(store.ScanFactsInParts(scan, PartsFor(options), [&](int, HouseholdFacts& facts) {
      const FeatureRow features = ComputeFeatures(facts, policy, options.as_of);
      std::lock_guard<std::mutex> lock(mu);
      const size_t before = engine->size();
      const uint32_t row = engine->Put(facts, features);
      if (options.keep_facts) engine->Keep(row, facts, engine->size() > before);
      ++engine->source_.reread;
      return Status::Ok();
    }));
  }
  return engine;
}

std::vector<std::string> Engine::CodesByRow() const {
  std::vector<std::string> codes(size());
  for (size_t i = 0; i < code_keys_.size(); ++i) {
    uint64_t key = code_keys_[i];
    std::string code(static_cast<size_t>(key % 32), '0');
    key /= 32;
    for (size_t j = code.size(); j-- > 0; key /= 10) code[j] = static_cast<char>('0' + key % 10);
    codes[code_rows_[i]] = std::move(code);
  }
  for (const auto& [code, row] : other_codes_) codes[row] = code;
  return codes;
}

StatusOr<EngineImageHead> Engine::SaveImage(Store& store, const ImportsSeen& imports,
                                            size_t households_per_chunk) const {
  if (!options_.keep_facts || !options_.area.empty() || options_.known_at) {
    return Error(StatusCode::kFailedPrecondition, Msg::kEngineImageUnfit);
  }
  const std::vector<std::string> codes = CodesByRow();
  if (households_per_chunk == 0) households_per_chunk = kHouseholdsPerChunk;
  // Each chunk's first and last village code (by code, as indexes into villages_).
  std::vector<std::pair<uint32_t, uint32_t>> chunk_villages;
  for (size_t from = 0; from < size(); from += households_per_chunk) {
    uint32_t low = village_[from], high = village_[from];
    for (size_t r = from; r < std::min(size(), from + households_per_chunk); ++r) {
      if (villages_[village_[r]] < villages_[low]) low = village_[r];
      if (villages_[high] < villages_[village_[r]]) high = village_[r];
    }
    chunk_villages.push_back({low, high});
  }
  EngineImageHead head;
  head.format = kEngineImageFormat;
  head.households = static_cast<int64_t>(size());
  head.imports = imports;
  bool head_written = false;
  size_t next = 0;
  return store.SaveEngineImage(head, [&]() -> StatusOr<std::optional<std::string>> {
    std::string out = NewChunk();
    if (!head_written) {
      head_written = true;
      PutVarint(&out, static_cast<uint64_t>(kEngineImageFormat));
      const std::vector<std::string>& strings = facts_.strings();
      PutVarint(&out, strings.size());
      for (const std::string& s : strings) PutBytes(&out, s);
      PutVarint(&out, villages_.size());
      for (size_t v = 0; v < villages_.size(); ++v) {
        PutBytes(&out, villages_[v]);
        PutBytes(&out, facts_.VillageRecord(static_cast<uint32_t>(v)));
      }
      PutVarint(&out, chunk_villages.size());
      for (const auto& [low, high] : chunk_villages) {
        PutVarint(&out, low);
        PutVarint(&out, high);
      }
      return std::optional<std::string>(Seal(std::move(out)));
    }
    if (next >= size()) return std::optional<std::string>();
    const size_t end = std::min(size(), next + households_per_chunk);
    PutVarint(&out, end - next);
    for (size_t r = next; r < end; ++r) {
      const uint32_t row = static_cast<uint32_t>(r);
      PutVarint(&out, static_cast<uint64_t>(household_ref_[r]));
      PutBytes(&out, codes[r]);
      PutVarint(&out, village_[r]);
      PutBytes(&out, facts_.Record(row));
    }
    next = end;
    return std::optional<std::string>(Seal(std::move(out)));
  });
}

}  // namespace hearth
