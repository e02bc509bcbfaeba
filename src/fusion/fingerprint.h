// Fingerprints for near-duplicate articles: a 64-bit SimHash of the body's word
// 4-shingles (Charikar 2002). Syndicated wire copy and re-posts differ by a headline,
// a byline or a paragraph; their fingerprints then differ in a few bits, where two
// different stories differ in about half of them.
// Reads: tokens, body, removed. Writes: doc.fingerprint.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "doc/stage.h"

namespace sitrep {

// The SimHash of a set of feature hashes; 0 for none.
uint64_t SimHash(std::span<const uint64_t> features);
// The number of bits in which two fingerprints differ.
int HammingDistance(uint64_t a, uint64_t b);
// Near duplicates: at most this many bits apart (for 64-bit SimHash of 4-shingles).
constexpr int kNearDuplicateBits = 6;

class Fingerprinter final : public Stage {
 public:
  static std::unique_ptr<Fingerprinter> Load(std::string* error);
  std::string_view Name() const override { return "fingerprint"; }
  Result Process(Document& doc) const override;

 private:
  Fingerprinter() = default;
};

}  // namespace sitrep
