// Fusion inside a sitrep SQLite database: the events stored by `extract --db` are read
// back (their JSON records), fused, and the clusters, their members and the control
// records stored in tables of their own (clusters, cluster_members, control), replacing
// the previous fusion of what is fused again, in one transaction.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "doc/stage.h"
#include "credibility/signal_weights.h"
#include "fusion/fuser.h"

namespace sitrep {

struct DatabaseFusion {
  size_t documents = 0, events = 0, clusters = 0, corroborated = 0, contradicting = 0, control = 0;
};

// Reads the document and event records of a sitrep SQLite database into in.
Result ReadDatabase(const std::string& path, FusionInput* in);

// touched: the documents just written; then only the events within a month of theirs
// (and the clusters those belong to) are fused again, and control rebuilt from every
// cluster. nullptr: the whole database.
// The documents fused again get the fused credibility in their json and
// credibility_score (weights: data/credibility/signals.tsv).
Result FuseDatabase(const std::string& path, const Fuser& fuser, const SignalWeights& weights,
                    const std::vector<std::string>* touched, DatabaseFusion* summary);

}  // namespace sitrep
