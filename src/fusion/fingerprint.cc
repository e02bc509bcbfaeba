#include "fusion/fingerprint.h"

#include <bit>
#include <vector>

namespace sitrep {
namespace {

constexpr size_t kShingle = 4;     // words per shingle
constexpr size_t kMinWords = 20;   // fewer words in the body: no fingerprint

uint64_t Mix(uint64_t h) {  // splitmix64 finaliser: spreads a hash over all 64 bits
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

}  // namespace

uint64_t SimHash(std::span<const uint64_t> features) {
  if (features.empty()) return 0;
  int32_t weight[64] = {};
  for (uint64_t f : features) {
    for (int b = 0; b < 64; ++b) weight[b] += (f >> b) & 1 ? 1 : -1;
  }
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b) {
    if (weight[b] > 0) out |= uint64_t{1} << b;
  }
  return out;
}

int HammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

std::unique_ptr<Fingerprinter> Fingerprinter::Load(std::string* error) {
  return std::unique_ptr<Fingerprinter>(new Fingerprinter());
}

Result Fingerprinter::Process(Document& doc) const {
  // The body's words (folded), outside removed spans: page chrome and comments differ
  // between two copies of one story.
  std::vector<uint64_t> words;
  words.reserve(doc.tokens.size());
  size_t r = 0;
  for (const Token& t : doc.tokens) {
    if (!(t.flags & kTokWord) || !doc.body.Contains(t.span)) continue;
    while (r < doc.removed.size() && doc.removed[r].span.end <= t.span.begin) ++r;
    if (r < doc.removed.size() && doc.removed[r].span.Overlaps(t.span)) continue;
    words.push_back(t.hash);
  }
  doc.fingerprint = 0;
  if (words.size() < kMinWords) return Result::Ok();
  std::vector<uint64_t> shingles;
  shingles.reserve(words.size());
  for (size_t i = 0; i + kShingle <= words.size(); ++i) {
    uint64_t h = 0;
    for (size_t k = 0; k < kShingle; ++k) h = Mix(h ^ words[i + k]);
    shingles.push_back(h);
  }
  doc.fingerprint = SimHash(shingles);
  return Result::Ok();
}

}  // namespace sitrep
