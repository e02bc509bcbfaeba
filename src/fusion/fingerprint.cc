#include "fusion/fingerprint.h"

#include <vector>

namespace sitrep {
namespace {

constexpr size_t kShingle = 4;    // words per shingle
constexpr size_t kMinWords = 20;  // fewer words in the body: no fingerprint
constexpr int kBinBits = 6;       // 64 bins
static_assert(size_t{1} << kBinBits == kSketchBins);

uint64_t Mix(uint64_t h) {  // splitmix64 finaliser: spreads a hash over all 64 bits
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::optional<Sketch> MinHashSketch(std::span<const uint64_t> shingles) {
  if (shingles.empty()) return std::nullopt;
  constexpr uint64_t kEmpty = ~uint64_t{0};
  std::array<uint64_t, kSketchBins> min;
  min.fill(kEmpty);
  for (uint64_t h : shingles) {
    const size_t bin = h >> (64 - kBinBits);
    const uint64_t v = h & ((uint64_t{1} << (64 - kBinBits)) - 1);
    if (v < min[bin]) min[bin] = v;
  }
  // An empty bin borrows from the next filled one to its right (densification), mixed
  // with its own index so that two empty bins do not agree by construction.
  Sketch out;
  for (size_t b = 0; b < kSketchBins; ++b) {
    size_t k = b, steps = 0;
    while (min[k] == kEmpty) {
      k = (k + 1) % kSketchBins;
      ++steps;
    }
    const uint64_t v = steps == 0 ? Mix(min[k]) : Mix(min[k] ^ (steps * 0x9E3779B97F4A7C15ull));
    out[b] = static_cast<uint8_t>(v);
  }
  return out;
}

double EstimateJaccard(const Sketch& a, const Sketch& b) {
  size_t same = 0;
  for (size_t i = 0; i < kSketchBins; ++i) same += a[i] == b[i];
  const double p = double(same) / kSketchBins;
  constexpr double kChance = 1.0 / 256;  // 8-bit values agree by chance
  const double j = (p - kChance) / (1 - kChance);
  return j < 0 ? 0 : j;
}

std::string SketchToHex(const Sketch& s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * kSketchBins);
  for (uint8_t v : s) {
    out += kDigits[v >> 4];
    out += kDigits[v & 15];
  }
  return out;
}

std::optional<Sketch> SketchFromHex(std::string_view hex) {
  if (hex.size() != 2 * kSketchBins) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Sketch s;
  for (size_t i = 0; i < kSketchBins; ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    s[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return s;
}

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
  doc.fingerprint.reset();
  if (words.size() < kMinWords) return Result::Ok();
  std::vector<uint64_t> shingles;
  shingles.reserve(words.size());
  for (size_t i = 0; i + kShingle <= words.size(); ++i) {
    uint64_t h = 0;
    for (size_t k = 0; k < kShingle; ++k) h = Mix(h ^ words[i + k]);
    shingles.push_back(h);
  }
  doc.fingerprint = MinHashSketch(shingles);
  return Result::Ok();
}

}  // namespace sitrep
