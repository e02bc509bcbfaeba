// A pool of database connections for the server's worker threads: each query borrows one
// connection for its duration, so queries run side by side (SQLite readers in WAL mode,
// PostgreSQL sessions) instead of queueing on one. Connections are opened as needed, up
// to a maximum, and kept open; a borrower waits while all are in use.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "doc/stage.h"

namespace sitrep {

// As many connections as cores (at least 2, at most 8): each query is CPU-bound.
inline size_t DefaultPoolSize() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 2, 8);
}

// Conn is a movable handle that closes its connection when destroyed (a unique_ptr).
template <typename Conn>
class Pool {
 public:
  using Open = std::function<Result(Conn*)>;
  Pool(size_t max, Open open) : max_(std::max<size_t>(1, max)), open_(std::move(open)) {}

  // A connection on loan, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& o) noexcept : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)) {}
    Lease& operator=(Lease&& o) noexcept {
      Return();
      pool_ = std::exchange(o.pool_, nullptr);
      conn_ = std::move(o.conn_);
      return *this;
    }
    ~Lease() { Return(); }
    Conn& get() { return conn_; }

   private:
    friend class Pool;
    void Return() {
      if (pool_ != nullptr) pool_->Give(std::move(conn_));
      pool_ = nullptr;
    }
    Pool* pool_ = nullptr;
    Conn conn_{};
  };

  // Borrows an idle connection, opens one if fewer than max are open, or waits.
  Result Borrow(Lease* out) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return !idle_.empty() || opened_ < max_; });
    if (!idle_.empty()) {
      out->conn_ = std::move(idle_.back());
      idle_.pop_back();
      out->pool_ = this;
      return Result::Ok();
    }
    ++opened_;
    lock.unlock();
    Conn conn{};
    if (Result r = open_(&conn); !r.ok()) {
      lock.lock();
      --opened_;
      cv_.notify_one();
      return r;
    }
    out->conn_ = std::move(conn);
    out->pool_ = this;
    return Result::Ok();
  }

  size_t opened() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return opened_;
  }

 private:
  void Give(Conn conn) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(conn));
    cv_.notify_one();
  }

  const size_t max_;
  Open open_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Conn> idle_;
  size_t opened_ = 0;
};

}  // namespace sitrep
