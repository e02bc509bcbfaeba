// Fusion over JSON Lines records in bounded memory: a decade of events is fused a time
// window at a time. Pass 1 files every record by its day into temporary window files
// (a document with each window its events fall in); pass 2 fuses the windows in time
// order, carrying into the next only the reports of clusters that may still grow (and
// their documents), and writes what is settled: its events with their cluster, its
// clusters, then its documents with the fused credibility once all their events are
// settled. Control records come last, from every territorial cluster (few). Memory is
// that of a window plus what it carries, whatever the length of the input.
//
// What differs from fusing everything at once: records come out in time order, not input
// order; near-duplicate articles are found within a window (a syndicated copy and its
// original on either side of a window's edge count as two sources).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "credibility/signal_weights.h"
#include "fusion/fuser.h"
#include "output/output_file.h"

namespace sitrep {

struct StreamFusionOptions {
  int64_t window_days = 28;  // the span of one window
  std::string temp_dir;      // where the window files go (default: $TMPDIR or /tmp)
  size_t undated_docs = 250;  // documents with no day at all are fused this many at a time
};

struct StreamFusionSummary {
  size_t events = 0;
  size_t documents = 0;
  size_t clusters = 0;
  size_t corroborated = 0;  // clusters of 2+ reports with 2+ independent sources
  size_t max_sources = 0;
  size_t contradicting = 0;
  size_t near_duplicate_groups = 0;
  size_t control = 0;
  size_t windows = 0;
  size_t most_carried = 0;  // the most reports carried from one window into the next
};

// Fuses the records of `paths` (sitrep extract's JSON Lines; earlier cluster and control
// records are dropped, records of other kinds passed on) into out. A line that is no
// record goes to *warnings ("FILE:LINE: reason") and is skipped. False with *error when
// an input cannot be read or the output or a temporary file cannot be written.
bool FuseStream(const std::vector<std::string>& paths, const Fuser& fuser, const SignalWeights& weights,
                const StreamFusionOptions& options, OutputFile* out, std::vector<std::string>* warnings,
                StreamFusionSummary* summary, std::string* error);

}  // namespace sitrep
