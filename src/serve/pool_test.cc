// The connection pool: opens as needed up to its maximum, lends each connection to one
// borrower at a time, makes a borrower wait while all are out, and reports (and does
// not count) a connection that could not be opened.
#include "serve/pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

namespace sitrep {
namespace {

using Conn = std::unique_ptr<int>;

TEST(Pool, OpensAsNeededUpToItsMaximumAndReusesWhatIsReturned) {
  int made = 0;
  Pool<Conn> pool(2, [&](Conn* c) {
    *c = std::make_unique<int>(++made);
    return Result::Ok();
  });
  {
    Pool<Conn>::Lease a, b;
    ASSERT_TRUE(pool.Borrow(&a).ok());
    ASSERT_TRUE(pool.Borrow(&b).ok());
    EXPECT_NE(*a.get(), *b.get());
    EXPECT_EQ(pool.opened(), 2u);
  }
  std::set<int> seen;
  for (int i = 0; i < 5; ++i) {
    Pool<Conn>::Lease c;
    ASSERT_TRUE(pool.Borrow(&c).ok());
    seen.insert(*c.get());
  }
  EXPECT_EQ(made, 2);  // returned connections are lent again, none opened anew
  EXPECT_TRUE(seen.count(1) + seen.count(2) >= 1);
}

TEST(Pool, ABorrowerWaitsWhileAllAreOut) {
  Pool<Conn> pool(1, [](Conn* c) {
    *c = std::make_unique<int>(7);
    return Result::Ok();
  });
  auto held = std::make_unique<Pool<Conn>::Lease>();
  ASSERT_TRUE(pool.Borrow(held.get()).ok());
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    Pool<Conn>::Lease l;
    EXPECT_TRUE(pool.Borrow(&l).ok());
    EXPECT_EQ(*l.get(), 7);
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());  // the only connection is still out
  held.reset();              // returned: the waiter gets it
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(pool.opened(), 1u);
}

TEST(Pool, AConnectionThatCannotBeOpenedIsReportedAndNotCounted) {
  bool fail = true;
  Pool<Conn> pool(1, [&](Conn* c) {
    if (fail) return Result::Error("server down");
    *c = std::make_unique<int>(1);
    return Result::Ok();
  });
  Pool<Conn>::Lease l;
  const Result r = pool.Borrow(&l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "server down");
  EXPECT_EQ(pool.opened(), 0u);
  fail = false;  // the next borrower tries again
  EXPECT_TRUE(pool.Borrow(&l).ok());
  EXPECT_EQ(pool.opened(), 1u);
}

}  // namespace
}  // namespace sitrep
