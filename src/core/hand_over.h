// HandOver: a bounded, ordered hand-over of items from one producing thread to one consuming
// thread (the generator's waves to its writer, a store's scanned households to the engine).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace hearth {

template <typename T>
class HandOver {
 public:
  //! At most `capacity` items wait; the producer waits for room beyond that.
  explicit HandOver(size_t capacity) : capacity_(capacity) {}

  //! Hands an item over, waiting while the hand-over is full. False once the consumer has
  //! cancelled (the item is dropped).
  bool Push(T item) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return items_.size() < capacity_ || cancelled_; });
    if (cancelled_) return false;
    items_.push_back(std::move(item));
    cv_.notify_all();
    return true;
  }
  //! The next item in the order pushed; nullopt once the producer is done and all are taken.
  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !items_.empty() || done_; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    cv_.notify_all();
    return item;
  }
  //! The producer has pushed its last item.
  void Done() {
    std::lock_guard lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  //! The consumer gives up: the producer's waiting and further pushes return false.
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
  bool done_ = false, cancelled_ = false;
};

}  // namespace hearth
