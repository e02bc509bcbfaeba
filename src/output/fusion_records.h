// The records fusion adds (schema.md `cluster`; docs/schema-extensions.md `control`),
// one JSON object per line.
#pragma once

#include <string>

#include <simdjson.h>

#include "credibility/signal_weights.h"
#include "fusion/fuser.h"

namespace sitrep {

void AppendClusterRecord(std::string& out, const FusionInput& in, const FusionResult& result,
                         const Cluster& cluster);
void AppendControlRecord(std::string& out, const FusionResult& result, const ControlChange& change,
                         size_t index);

// The document record again (a parsed record of `extract`), with the fused signals in
// its credibility — corroboration, and contradicts_record against the fused record — and
// the score over every signal (also in *new_score when not null). Ends with a newline.
std::string RewriteDocumentRecord(simdjson::dom::object doc, const DocReadout& readout,
                                  const SignalWeights& weights, double* new_score);

}  // namespace sitrep
