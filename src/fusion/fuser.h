// Fusion: from one voice per article to what many articles say together.
//  - clusters: reports of the same happening (same family and compatible type, same
//    side, places within a distance their precision allows, dates within a window
//    their precision allows), found by blocking on a place grid and on time, never by
//    comparing all pairs;
//  - independent sources: the claimants behind a cluster, each counted once however
//    many outlets relay it, and near-duplicate articles (syndicated copy, re-posts,
//    found by their fingerprints) counted once;
//  - contradictions: clusters that cannot both be true, linked both ways (a capture
//    and the other side's capture or recapture of the same place on the same days; a
//    claim and its denial; loss figures far apart);
//  - territorial control: who holds each settlement from when, on the basis of the
//    capture, recapture and withdrawal clusters, from the background of
//    data/control/background.tsv;
//  - credibility read-out per article: how much of what it reports others
//    corroborate, and whether it contradicts the record.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "doc/types.h"
#include "fusion/background.h"
#include "fusion/reports.h"

namespace sitrep {

struct Cluster {
  std::string id;  // "c:" + the id of its first report ("c:000_c8acceed92a60b96#1")
  EventType type = EventType::kAttack;
  Side side = Side::kUnknown;
  Status status = Status::kAsserted;
  bool negative = false;              // denied or negated reports
  std::optional<ReportPlace> place;   // the most specific member place
  std::vector<ReportPlace> places;    // every place its reports name (up to a few)
  bool dated = false;
  int64_t day_from = 0, day_to = 0;
  std::vector<uint32_t> members;      // into FusionInput::reports, in input order
  std::vector<std::string> sources;   // the independent claimants, by name
  std::vector<uint32_t> contradicts;  // into FusionResult::clusters
};

struct ControlBasis {
  uint32_t cluster = 0;
  EventType type = EventType::kCapture;
};

// Who holds a settlement from a day on: one record per change of hands.
struct ControlChange {
  std::string place_id;  // "geonames:709717", or the unit's id for a background region
  std::string name;
  std::string admin1;
  double lat = 0, lon = 0;
  bool has_coordinates = false;
  Side side = Side::kUnknown;
  int64_t from = 0;                  // day number
  bool background = false;           // from data/control/background.tsv
  std::vector<ControlBasis> basis;   // the clusters behind it
  Status status = Status::kAsserted; // the strongest among the basis
  uint32_t independent_sources = 0;  // the most any cluster of the basis has
  bool contested = false;            // claims disagree (contradicting clusters, or the
                                     // other side's claim within a few days)
};

struct DocReadout {
  uint32_t events = 0;        // reports that count (not negated, not denied, dated)
  uint32_t corroborated = 0;  // ... in clusters with two or more independent sources
  uint32_t contradicted = 0;  // ... in clusters that contradict better-supported ones
  std::string contradiction;  // the first, in words
};

struct FusionResult {
  std::vector<Cluster> clusters;
  std::vector<uint32_t> cluster_of;  // per report, into clusters
  std::vector<ControlChange> control;
  std::vector<DocReadout> docs;      // per FusionInput::docs
  std::vector<std::vector<uint32_t>> near_duplicates;  // groups of 2+ documents
};

class Fuser {
 public:
  // Loads data/fusion/compatible_types.tsv, durations.tsv, url_suffixes.tsv and
  // data/control/background.tsv.
  static std::unique_ptr<Fuser> Load(const std::string& data_dir, std::string* error);

  // Groups near-duplicate documents (sets DocInfo::dup_group), then clusters the
  // reports, counts their sources, links contradictions and builds control.
  // read_out false: no control records nor article read-outs (the streaming fuse makes
  // its own, over more than one window).
  FusionResult Fuse(FusionInput& in, bool read_out = true) const;

  // The control records that these clusters and the background give (what Fuse puts
  // in FusionResult::control); ControlBasis::cluster indexes clusters.
  std::vector<ControlChange> Control(const std::vector<Cluster>& clusters) const;

  // One report's part in its article's read-out (ReadOut sums them): counted, corroborated,
  // contradicted. control: the control records to check it against, whose basis
  // indexes clusters shifted by cluster_offset (0 for out.control).
  void ReadOutReport(const FusionInput& in, const FusionResult& out, uint32_t report,
                     const std::vector<ControlChange>& control, uint32_t cluster_offset,
                     DocReadout* readout) const;

  // The days after a report's own window in which more reports of a type may still join
  // its cluster (data/fusion/durations.tsv extra_days).
  int ExtraDays(EventType type) const { return extra_days_[static_cast<size_t>(type)]; }

  // True when the cluster may change who holds a settlement (a realis capture,
  // recapture or withdrawal by RU or UA at a settlement): what Control reads.
  bool ChangesHands(const Cluster& cluster) const;

  // Who held the place on the day by the control records (nullptr when none says).
  static const ControlChange* HolderOn(const std::vector<ControlChange>& control,
                                       std::string_view place_id, int64_t day);

 private:
  Fuser() = default;
  bool Compatible(EventType a, EventType b) const;
  void GroupNearDuplicates(FusionInput& in, FusionResult& out) const;
  void Cluster(const FusionInput& in, FusionResult& out) const;
  void Summarise(const FusionInput& in, FusionResult& out) const;
  void LinkContradictions(const FusionInput& in, FusionResult& out) const;
  void BuildControl(const FusionInput& in, FusionResult& out) const;
  void ReadOut(const FusionInput& in, FusionResult& out) const;

  std::vector<std::pair<EventType, EventType>> compatible_;
  std::array<int, 32> extra_days_{};  // per EventType: data/fusion/durations.tsv
  std::array<int, 32> max_days_{};    // how long a lasting happening may go on (same file)
  std::array<int, 32> coarsest_{};    // the coarsest place it lasts at: 0 settlement, 1 region, 2 country
  std::vector<std::string> url_suffixes_;  // data/fusion/url_suffixes.tsv
  std::optional<ControlBackground> background_;
};

}  // namespace sitrep
