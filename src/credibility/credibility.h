// Credibility: explainable signals about how far an article can be trusted —
// anonymous sourcing, quotes without a named speaker, hedged or unverified claims, a
// sensational headline over a hedged body, page chrome and comments mixed into the
// page, a missing date, a single claimant, a claim that contradicts the record of who
// held what (data/control/background.tsv) — each with a value in [0,1] (1 = more
// trustworthy), a human-readable detail and its evidence spans; the score is their
// weighted mean (weights in data/credibility/signals.tsv).
// Reads: title, removed, published, sentences, quotes, sources, cues, claims, events.
// Writes: doc.credibility.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "base/lexicon.h"
#include "credibility/signal_weights.h"
#include "doc/stage.h"
#include "fusion/background.h"

namespace sitrep {

class CredibilityScorer final : public Stage {
 public:
  static std::unique_ptr<CredibilityScorer> Load(const std::string& data_dir, std::string* error);

  std::string_view Name() const override { return "credibility"; }
  Result Process(Document& doc) const override;

 private:
  CredibilityScorer() = default;
  std::optional<Lexicon> sensational_;
  std::optional<SignalWeights> weights_;
  std::optional<ControlBackground> background_;
};

}  // namespace sitrep
