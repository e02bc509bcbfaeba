#include "pipeline/runner.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "output/record_sink.h"
#include "pipeline/pipeline.h"
#include "read/reader.h"

namespace sitrep {
namespace {

constexpr size_t kInFlightPerThread = 16;
constexpr double kProgressInterval = 0.2;

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Where(const Document& doc) {
  std::string where = doc.origin.path;
  if (doc.origin.line > 0) where += ":" + std::to_string(doc.origin.line);
  return where;
}

void Count(const Document& doc, RunStats& stats) {
  ++stats.documents;
  stats.bytes += doc.text.size();
  stats.events += doc.events.size();
  for (const Event& ev : doc.events) ++stats.events_by_type[std::string(Name(ev.type))];
  for (const Place& p : doc.places) {
    if (!p.reportable) continue;
    ++stats.places;
    ++stats.places_by_name[p.name];
  }
}

}  // namespace

void Progress::Update(uint64_t documents, uint64_t bytes_done, uint64_t bytes_total,
                      double seconds) {
  if (!enabled_ || seconds - last_ < kProgressInterval) return;
  last_ = seconds;
  const double rate = seconds > 0 ? documents / seconds : 0;
  const double mbs = seconds > 0 ? bytes_done / seconds / 1e6 : 0;
  char eta[32] = "";
  if (bytes_total > 0 && bytes_done > 0 && bytes_done < bytes_total) {
    const double left = (bytes_total - bytes_done) / (bytes_done / seconds);
    std::snprintf(eta, sizeof eta, "  ETA %d:%02d", static_cast<int>(left) / 60,
                  static_cast<int>(left) % 60);
  }
  const double pct = bytes_total > 0 ? 100.0 * bytes_done / bytes_total : 0;
  std::fprintf(stderr, "\r\033[Ksitrep: %llu docs  %.0f docs/s  %.1f MB/s", 
               static_cast<unsigned long long>(documents), rate, mbs);
  if (bytes_total > 0) std::fprintf(stderr, "  %.0f%%%s", pct, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

RunStats RunExtraction(DocumentReader& reader, const Pipeline& pipeline, RecordSink& sink,
                       const RunOptions& options,
                       const std::function<void(const std::string&)>& report) {
  RunStats stats;
  const auto start = Clock::now();
  Progress progress(options.progress);
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::thread::hardware_concurrency());
  if (threads < 1) threads = 1;

  auto finish_one = [&](Document& doc, const Result& processed, bool unchanged) {
    if (unchanged) {
      if (!stats.output.ok()) return;
      Result written = sink.WriteUnchanged(doc);
      if (!written.ok()) {
        stats.output = written;
        return;
      }
      ++stats.unchanged;
      return;
    }
    if (!processed.ok()) {
      ++stats.failed;
      report(Where(doc) + ": " + processed.message());
      return;
    }
    if (!stats.output.ok()) return;
    Result written = sink.Write(doc);
    if (!written.ok()) {
      stats.output = written;
      return;
    }
    Count(doc, stats);
  };
  // What was written goes out to its reader (see the header).
  auto flush = [&] {
    if (!stats.output.ok()) return;
    if (Result r = sink.Flush(); !r.ok()) stats.output = r;
  };
  // The stamp, and whether the document's records are stored already.
  auto skip = [&](Document& doc) {
    pipeline.Stamp(doc);
    return options.unchanged && options.unchanged(doc);
  };

  if (threads == 1) {
    Document doc;
    while (stats.output.ok() && reader.Next(&doc)) {
      if (skip(doc)) {
        finish_one(doc, Result::Ok(), true);
      } else {
        const Result r = pipeline.Process(doc);
        finish_one(doc, r, false);
        flush();  // the next document may be slow to come
      }
      progress.Update(stats.documents + stats.unchanged, reader.bytes_consumed(), reader.total_bytes(),
                      Since(start));
      doc = Document();
    }
    flush();
    progress.Finish();
    stats.seconds = Since(start);
    return stats;
  }

  // Reader (this thread) -> work queue -> workers -> ordered results -> writer thread.
  struct Slot {
    std::unique_ptr<Document> doc;
    Result result;
    bool done = false;
    bool unchanged = false;  // not processed: its records are stored already
  };
  const size_t max_in_flight =
      options.max_in_flight > 0 ? options.max_in_flight : kInFlightPerThread * threads;
  std::mutex mu;
  std::condition_variable work_cv, done_cv, space_cv;
  std::deque<std::pair<uint64_t, std::unique_ptr<Document>>> work;
  std::deque<Slot> window;  // slot i holds document first_seq + i
  uint64_t first_seq = 0;
  uint64_t next_seq = 0;
  bool eof = false;
  bool stop = false;

  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (true) {
        std::pair<uint64_t, std::unique_ptr<Document>> item;
        {
          std::unique_lock<std::mutex> lock(mu);
          work_cv.wait(lock, [&] { return !work.empty() || eof || stop; });
          if (work.empty()) return;
          item = std::move(work.front());
          work.pop_front();
        }
        Result r = pipeline.Process(*item.second);
        {
          std::lock_guard<std::mutex> lock(mu);
          Slot& slot = window[item.first - first_seq];
          slot.doc = std::move(item.second);
          slot.result = std::move(r);
          slot.done = true;
        }
        done_cv.notify_one();
      }
    });
  }

  uint64_t bytes_consumed = 0;
  std::thread writer([&] {
    bool dirty = false;  // written since the last flush
    auto ready = [&] { return (!window.empty() && window.front().done) || (eof && window.empty()); };
    while (true) {
      Slot slot;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (dirty && !ready()) {
          // Nothing more to write for now: out with what was written.
          lock.unlock();
          flush();
          dirty = false;
          lock.lock();
          if (!stats.output.ok()) {
            stop = true;
            space_cv.notify_one();
          }
        }
        done_cv.wait(lock, ready);
        if (window.empty()) return;
        slot = std::move(window.front());
        window.pop_front();
        ++first_seq;
      }
      space_cv.notify_one();
      finish_one(*slot.doc, slot.result, slot.unchanged);
      dirty = true;
      uint64_t consumed;
      {
        std::lock_guard<std::mutex> lock(mu);
        consumed = bytes_consumed;
        if (!stats.output.ok()) stop = true;
      }
      if (stop) space_cv.notify_one();
      progress.Update(stats.documents + stats.unchanged, consumed, reader.total_bytes(), Since(start));
    }
  });

  while (true) {
    auto doc = std::make_unique<Document>();
    if (!reader.Next(doc.get())) break;
    const bool unchanged = skip(*doc);
    std::unique_lock<std::mutex> lock(mu);
    bytes_consumed = reader.bytes_consumed();
    space_cv.wait(lock, [&] { return window.size() < max_in_flight || stop; });
    if (stop) break;
    if (unchanged) {
      // Straight to the writer, in its place in the input order.
      Slot& slot = window.emplace_back();
      slot.doc = std::move(doc);
      slot.done = slot.unchanged = true;
      ++next_seq;
      lock.unlock();
      done_cv.notify_one();
      continue;
    }
    window.emplace_back();
    work.emplace_back(next_seq++, std::move(doc));
    lock.unlock();
    work_cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    eof = true;
  }
  work_cv.notify_all();
  done_cv.notify_all();
  for (std::thread& w : workers) w.join();
  done_cv.notify_all();
  writer.join();
  progress.Finish();
  stats.seconds = Since(start);
  return stats;
}

}  // namespace sitrep
