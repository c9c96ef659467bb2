#include "ingest/read_ahead.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace hearth {
namespace {

class ReadAheadReader : public TableReader {
 public:
  ReadAheadReader(std::unique_ptr<TableReader> inner, size_t batch_rows, size_t batches) : inner_(std::move(inner)) {
    bytes_read_ = inner_->BytesRead();
    for (size_t i = 0; i < std::max<size_t>(batches, 2); ++i) {  // one being read here, the others filled
      auto batch = std::make_unique<Batch>();
      batch->rows.resize(batch_rows == 0 ? 1 : batch_rows);
      free_.push_back(std::move(batch));
    }
    thread_ = std::thread([this] { Produce(); });
  }

  ~ReadAheadReader() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  StatusOr<bool> Next(TableRow* row) override {
    while (true) {
      if (current_ && pos_ < current_->count) {
        std::swap(*row, current_->rows[pos_++]);  // the slot keeps the caller's storage for reuse
        return true;
      }
      if (current_ && current_->end) {
        if (!current_->error.ok()) return current_->error;
        return false;
      }
      std::unique_lock<std::mutex> lock(mu_);
      if (current_) free_.push_back(std::move(current_));
      cv_.notify_all();
      cv_.wait(lock, [this] { return !full_.empty(); });
      current_ = std::move(full_.front());
      full_.pop_front();
      pos_ = 0;
    }
  }

  uint64_t BytesRead() const override { return bytes_read_.load(std::memory_order_relaxed); }
  uint64_t TotalBytes() const override { return inner_->TotalBytes(); }
  Encoding encoding() const override { return inner_->encoding(); }
  std::string_view format() const override { return inner_->format(); }
  std::string_view name() const override { return inner_->name(); }

 private:
  struct Batch {
    std::vector<TableRow> rows;
    size_t count = 0;
    bool end = false;  // the last batch: the table ended, or failed (error) after `count` rows
    Status error;
  };

  void Produce() {
    while (true) {
      std::unique_ptr<Batch> batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !free_.empty(); });
        if (stop_) return;
        batch = std::move(free_.front());
        free_.pop_front();
      }
      batch->count = 0;
      while (batch->count < batch->rows.size() && !batch->end) {
        StatusOr<bool> more = inner_->Next(&batch->rows[batch->count]);
        if (!more.ok()) {
          batch->error = more.status();
          batch->end = true;
        } else if (!*more) {
          batch->end = true;
        } else {
          ++batch->count;
        }
      }
      bytes_read_.store(inner_->BytesRead(), std::memory_order_relaxed);
      const bool end = batch->end;
      {
        std::lock_guard<std::mutex> lock(mu_);
        full_.push_back(std::move(batch));
      }
      cv_.notify_all();
      if (end) return;
    }
  }

  std::unique_ptr<TableReader> inner_;  // read by thread_ only, once it started
  std::atomic<uint64_t> bytes_read_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> free_, full_;  // guarded by mu_
  bool stop_ = false;                               // guarded by mu_
  std::unique_ptr<Batch> current_;                  // the consumer's
  size_t pos_ = 0;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<TableReader> ReadAhead(std::unique_ptr<TableReader> reader, size_t batch_rows, size_t batches) {
  return std::make_unique<ReadAheadReader>(std::move(reader), batch_rows, batches);
}

}  // namespace hearth
