// Fingerprints for near-duplicate articles: a MinHash sketch of the body's word
// 4-shingles (Broder 1997), one permutation hashed into 64 bins (Li, Owen & Zhang
// 2012) and kept as the low 8 bits of each bin's minimum (b-bit MinHash, Li & König
// 2010). Two sketches agree in a bin with probability J + (1 - J)/256 for shingle sets
// of Jaccard similarity J, so syndicated wire copy and re-posts (J near 1) agree in
// most bins and two different stories in almost none.
// Reads: tokens, body, removed. Writes: doc.fingerprint.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "doc/stage.h"

namespace sitrep {

constexpr size_t kSketchBins = 64;
using Sketch = std::array<uint8_t, kSketchBins>;

// The sketch of a set of shingle hashes (well mixed 64-bit values); nullopt for none.
std::optional<Sketch> MinHashSketch(std::span<const uint64_t> shingles);
// The Jaccard similarity two sketches estimate, in [0,1].
double EstimateJaccard(const Sketch& a, const Sketch& b);
// Near duplicates: estimated Jaccard similarity at least this.
constexpr double kNearDuplicateJaccard = 0.75;

// 128 hex digits, and back.
std::string SketchToHex(const Sketch& s);
std::optional<Sketch> SketchFromHex(std::string_view hex);

class Fingerprinter final : public Stage {
 public:
  static std::unique_ptr<Fingerprinter> Load(std::string* error);
  std::string_view Name() const override { return "fingerprint"; }
  Result Process(Document& doc) const override;

 private:
  Fingerprinter() = default;
};

}  // namespace sitrep
