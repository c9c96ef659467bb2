#include "core/hand_over.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace hearth {
namespace {

// Items arrive in the order pushed, whatever the capacity, and Pop ends once Done.
TEST(HandOverTest, KeepsOrderAtEveryCapacity) {
  for (size_t capacity : {1u, 2u, 8u}) {
    HandOver<int> pipe(capacity);
    std::thread producer([&] {
      for (int i = 0; i < 10000; ++i) ASSERT_TRUE(pipe.Push(i));
      pipe.Done();
    });
    std::vector<int> got;
    while (std::optional<int> item = pipe.Pop()) got.push_back(*item);
    producer.join();
    ASSERT_EQ(got.size(), 10000u) << "capacity " << capacity;
    for (int i = 0; i < 10000; ++i) ASSERT_EQ(got[static_cast<size_t>(i)], i) << "capacity " << capacity;
  }
}

// The producer never has more than `capacity` items waiting.
TEST(HandOverTest, ProducerWaitsForRoom) {
  HandOver<int> pipe(3);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) {
      pipe.Push(i);
      ++pushed;
    }
    pipe.Done();
  });
  while (pushed.load() < 3) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(pushed.load(), 3);  // the fourth waits
  int n = 0;
  while (pipe.Pop()) ++n;
  producer.join();
  EXPECT_EQ(n, 5);
}

// A cancelled hand-over releases a waiting producer and refuses further items.
TEST(HandOverTest, CancelReleasesTheProducer) {
  HandOver<int> pipe(1);
  ASSERT_TRUE(pipe.Push(1));
  std::atomic<bool> refused{false};
  std::thread producer([&] { refused = !pipe.Push(2); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  pipe.Cancel();
  producer.join();
  EXPECT_TRUE(refused.load());
  EXPECT_FALSE(pipe.Push(3));
}

// An empty, finished hand-over gives nothing.
TEST(HandOverTest, DoneWithNothingPushed) {
  HandOver<std::vector<int>> pipe(4);
  pipe.Done();
  EXPECT_FALSE(pipe.Pop().has_value());
}

}  // namespace
}  // namespace hearth
