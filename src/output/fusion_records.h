// The records fusion adds (schema.md `cluster`; docs/schema-extensions.md `control`),
// one JSON object per line.
#pragma once

#include <string>

#include "fusion/fuser.h"

namespace sitrep {

void AppendClusterRecord(std::string& out, const FusionInput& in, const FusionResult& result,
                         const Cluster& cluster);
void AppendControlRecord(std::string& out, const FusionResult& result, const ControlChange& change,
                         size_t index);

}  // namespace sitrep
