// The driver: streams documents from a reader through the pipeline on N worker
// threads and hands them to a sink in input order. Memory stays flat: at most a
// bounded number of documents are in flight. A document that fails a stage is
// reported ("path:line: stage: reason") and skipped; the run goes on. A failed write
// stops the run: nothing more can be saved.
//
// Incremental runs: each document read is stamped (content hash, data version:
// Pipeline::Stamp) on the reading thread and, when RunOptions::unchanged says its
// records are already stored, it is not processed: the sink gets WriteUnchanged, in
// input order like the rest.
//
// As a filter (stdin to stdout, Spark's RDD.pipe, Hadoop Streaming): a document is
// handed to the workers as soon as it is read, and the sink is flushed whenever the
// writer has nothing more to write for now, so the records of what has been processed
// come out while the input stalls, not at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "doc/stage.h"

namespace sitrep {

class DocumentReader;
class Pipeline;
class RecordSink;

struct RunOptions {
  int threads = 0;          // worker threads; 0 = every core
  size_t max_in_flight = 0; // documents read but not yet written; 0 = 16 per thread
  bool progress = false;    // a progress line on stderr (the caller checks it is a terminal)
  // Asked of each document read, once stamped, on the reading thread in input order:
  // true when its records need not be written again. Empty: every document is processed.
  std::function<bool(const Document&)> unchanged;
};

struct RunStats {
  uint64_t documents = 0;   // written
  uint64_t failed = 0;      // skipped after a stage error
  uint64_t unchanged = 0;   // skipped as unchanged (RunOptions::unchanged)
  uint64_t events = 0;
  uint64_t places = 0;
  uint64_t bytes = 0;       // text bytes processed
  double seconds = 0;
  std::map<std::string, uint64_t> events_by_type;
  std::map<std::string, uint64_t> places_by_name;
  Result output;            // the first write error, if any
};

RunStats RunExtraction(DocumentReader& reader, const Pipeline& pipeline, RecordSink& sink,
                       const RunOptions& options,
                       const std::function<void(const std::string&)>& report);

// A one-line progress display on stderr: documents, documents/s, MB/s, ETA.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  // Redraws at most every 200 ms.
  void Update(uint64_t documents, uint64_t bytes_done, uint64_t bytes_total, double seconds);
  // Clears the line.
  void Finish();

 private:
  bool enabled_;
  double last_ = -1;
  bool drawn_ = false;
};

}  // namespace sitrep
