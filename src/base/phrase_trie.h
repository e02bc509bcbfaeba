// A multi-phrase matcher over tokens: a trie whose edges are folded-token hashes,
// so a document is scanned once, each token looked up in O(1), whatever the number
// of phrases. Lexicons (triggers, actors, cues, units) compile into one of these.
// A phrase token "*" matches any single token.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "doc/document.h"

namespace sitrep {

// A set of folded-token hashes as a bit filter (one bit per hash bucket): false means
// the hash is surely not in the set, true that it may be. A few kilobytes, one probe.
class TokenFilter {
 public:
  void Add(uint64_t hash) { bits_[Bit(hash) / 64] |= uint64_t{1} << (Bit(hash) % 64); }
  void AddEverything() { everything_ = true; }
  void Merge(const TokenFilter& other) {
    everything_ = everything_ || other.everything_;
    for (size_t i = 0; i < bits_.size(); ++i) bits_[i] |= other.bits_[i];
  }
  bool MayContain(uint64_t hash) const {
    return everything_ || ((bits_[Bit(hash) / 64] >> (Bit(hash) % 64)) & 1);
  }

 private:
  static constexpr size_t kBits = size_t{1} << 14;
  static size_t Bit(uint64_t hash) { return (hash >> 20) & (kBits - 1); }
  std::array<uint64_t, kBits / 64> bits_{};
  bool everything_ = false;
};

class PhraseTrie {
 public:
  PhraseTrie();

  // Adds a phrase (tokenised and folded here) with a payload id. Returns false for an
  // empty phrase.
  bool Add(std::string_view phrase, uint32_t payload);

  struct Match {
    uint32_t begin = 0;  // token index
    uint32_t end = 0;    // one past the last token
    const std::vector<uint32_t>* payloads = nullptr;
  };

  // Calls f for every phrase that starts at token `at`, shortest first.
  void MatchesAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                 const std::function<void(const Match&)>& f) const;

  // Leftmost-longest, non-overlapping matches within [begin, end).
  std::vector<Match> LongestMatches(const std::vector<Token>& tokens, uint32_t begin,
                                    uint32_t end) const;

  // The longest match starting at `at`, or a match with payloads == nullptr.
  // Most tokens start no phrase: that is answered here, inline, by the filter.
  Match LongestAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit) const {
    if (at >= limit || !MayStartWith(tokens[at])) return Match{};
    return LongestFrom(tokens, at, limit);
  }

  size_t size() const { return phrases_; }

  // False when no phrase can start with this token (a quick filter; true may still
  // find nothing).
  bool MayStartWith(const Token& token) const { return first_.MayContain(token.hash); }
  // The filter MayStartWith asks, to merge with other lexicons' filters.
  const TokenFilter& first_filter() const { return first_; }

 private:
  struct Node {
    uint32_t wildcard = 0;  // child on "*", 0 when none
    int32_t terminal = -1;  // index into payloads_
  };
  static uint64_t Key(uint32_t node, uint64_t hash) {
    const uint64_t key = hash ^ (static_cast<uint64_t>(node + 1) * 0x9E3779B97F4A7C15ull);
    return key == 0 ? 1 : key;  // 0 marks an empty slot
  }
  uint32_t Child(uint32_t node, uint64_t hash) const;
  Match LongestFrom(const std::vector<Token>& tokens, uint32_t at, uint32_t limit) const;
  void Insert(uint64_t key, uint32_t child);
  // Visits every match starting at `at`, shortest first, without allocating.
  template <typename F>
  void Visit(const std::vector<Token>& tokens, uint32_t at, uint32_t limit, F&& f) const;

  std::vector<Node> nodes_;
  // Edges in an open-addressing table (key 0 = empty slot): one probe per token.
  std::vector<uint64_t> edge_keys_;
  std::vector<uint32_t> edge_children_;
  size_t edge_count_ = 0;
  bool has_wildcards_ = false;
  // The first tokens of the phrases: most tokens start no phrase, and this says so
  // without a probe into the edge table.
  TokenFilter first_;
  std::vector<std::vector<uint32_t>> payloads_;
  size_t phrases_ = 0;
};

}  // namespace sitrep
