// Fusion inside a sitrep SQLite database: the events stored by `extract --db` are read
// back (their JSON records), fused, and the clusters, their members and the control
// records stored in tables of their own (clusters, cluster_members, control), replacing
// the previous fusion in one transaction.
#pragma once

#include <cstddef>
#include <string>

#include "doc/stage.h"
#include "fusion/fuser.h"

namespace sitrep {

struct DatabaseFusion {
  size_t documents = 0, events = 0, clusters = 0, corroborated = 0, contradicting = 0, control = 0;
};

// Reads the document and event records of a sitrep SQLite database into in.
Result ReadDatabase(const std::string& path, FusionInput* in);

Result FuseDatabase(const std::string& path, const Fuser& fuser, DatabaseFusion* summary);

}  // namespace sitrep
