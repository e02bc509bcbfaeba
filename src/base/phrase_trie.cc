#include "base/phrase_trie.h"

#include <string>

#include "base/tokenizer.h"

namespace sitrep {

PhraseTrie::PhraseTrie() { nodes_.emplace_back(); }

bool PhraseTrie::Add(std::string_view phrase, uint32_t payload) {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(phrase, 0, folded, tokens);
  if (tokens.empty()) return false;
  uint32_t node = 0;
  for (const Token& t : tokens) {
    const std::string_view form = std::string_view(folded).substr(t.fold_begin, t.fold_len);
    if (form == "*") {
      if (nodes_[node].wildcard == 0) {
        nodes_[node].wildcard = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = nodes_[node].wildcard;
      continue;
    }
    const uint64_t key = Key(node, t.hash);
    auto it = edges_.find(key);
    if (it == edges_.end()) {
      const auto child = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      edges_.emplace(key, child);
      node = child;
    } else {
      node = it->second;
    }
  }
  if (nodes_[node].terminal < 0) {
    nodes_[node].terminal = static_cast<int32_t>(payloads_.size());
    payloads_.emplace_back();
  }
  payloads_[nodes_[node].terminal].push_back(payload);
  ++phrases_;
  return true;
}

uint32_t PhraseTrie::Child(uint32_t node, uint64_t hash) const {
  auto it = edges_.find(Key(node, hash));
  return it == edges_.end() ? 0 : it->second;
}

void PhraseTrie::Walk(const std::vector<Token>& tokens, uint32_t node, uint32_t at,
                      uint32_t begin, uint32_t limit,
                      const std::function<void(const Match&)>& f) const {
  if (at >= limit) return;
  const Token& tok = tokens[at];
  if (const uint32_t child = Child(node, tok.hash); child != 0) {
    if (nodes_[child].terminal >= 0) f(Match{begin, at + 1, &payloads_[nodes_[child].terminal]});
    Walk(tokens, child, at + 1, begin, limit, f);
  }
  if (const uint32_t wild = nodes_[node].wildcard; wild != 0 && (tok.flags & kTokWord)) {
    if (nodes_[wild].terminal >= 0) f(Match{begin, at + 1, &payloads_[nodes_[wild].terminal]});
    Walk(tokens, wild, at + 1, begin, limit, f);
  }
}

void PhraseTrie::MatchesAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                           const std::function<void(const Match&)>& f) const {
  Walk(tokens, 0, at, at, limit, f);
}

PhraseTrie::Match PhraseTrie::LongestAt(const std::vector<Token>& tokens, uint32_t at,
                                        uint32_t limit) const {
  Match best;
  MatchesAt(tokens, at, limit, [&](const Match& m) {
    if (best.payloads == nullptr || m.end > best.end) best = m;
  });
  return best;
}

std::vector<PhraseTrie::Match> PhraseTrie::LongestMatches(const std::vector<Token>& tokens,
                                                          uint32_t begin, uint32_t end) const {
  std::vector<Match> out;
  uint32_t i = begin;
  while (i < end) {
    const Match m = LongestAt(tokens, i, end);
    if (m.payloads != nullptr) {
      out.push_back(m);
      i = m.end;
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace sitrep
