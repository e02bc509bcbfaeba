#include "base/phrase_trie.h"

#include <string>

#include "base/tokenizer.h"

namespace sitrep {

namespace {
constexpr size_t kInitialEdgeSlots = 64;
// Splits a key into well-spread bits for the table index.
inline size_t Slot(uint64_t key, size_t mask) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdull;
  key ^= key >> 33;
  return static_cast<size_t>(key) & mask;
}
}  // namespace

PhraseTrie::PhraseTrie() {
  nodes_.emplace_back();
  edge_keys_.assign(kInitialEdgeSlots, 0);
  edge_children_.assign(kInitialEdgeSlots, 0);
}

void PhraseTrie::Insert(uint64_t key, uint32_t child) {
  if ((edge_count_ + 1) * 2 > edge_keys_.size()) {
    std::vector<uint64_t> keys = std::move(edge_keys_);
    std::vector<uint32_t> children = std::move(edge_children_);
    edge_keys_.assign(keys.size() * 2, 0);
    edge_children_.assign(keys.size() * 2, 0);
    edge_count_ = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != 0) Insert(keys[i], children[i]);
    }
  }
  const size_t mask = edge_keys_.size() - 1;
  for (size_t i = Slot(key, mask);; i = (i + 1) & mask) {
    if (edge_keys_[i] == 0) {
      edge_keys_[i] = key;
      edge_children_[i] = child;
      ++edge_count_;
      return;
    }
  }
}

bool PhraseTrie::Add(std::string_view phrase, uint32_t payload) {
  // Lexicons add tens of thousands of phrases at start-up: the buffers are reused.
  thread_local std::string folded;
  thread_local std::vector<Token> tokens;
  folded.clear();
  tokens.clear();
  Tokenize(phrase, 0, folded, tokens);
  if (tokens.empty()) return false;
  uint32_t node = 0;
  {
    const std::string_view first = std::string_view(folded).substr(tokens[0].fold_begin, tokens[0].fold_len);
    if (first == "*") {
      first_.AddEverything();
    } else {
      first_.Add(tokens[0].hash);
    }
  }
  for (const Token& t : tokens) {
    const std::string_view form = std::string_view(folded).substr(t.fold_begin, t.fold_len);
    if (form == "*") {
      has_wildcards_ = true;
      if (nodes_[node].wildcard == 0) {
        nodes_[node].wildcard = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = nodes_[node].wildcard;
      continue;
    }
    const uint32_t existing = Child(node, t.hash);
    if (existing == 0) {
      const auto child = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      Insert(Key(node, t.hash), child);
      node = child;
    } else {
      node = existing;
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
  const uint64_t key = Key(node, hash);
  const size_t mask = edge_keys_.size() - 1;
  for (size_t i = Slot(key, mask);; i = (i + 1) & mask) {
    if (edge_keys_[i] == key) return edge_children_[i];
    if (edge_keys_[i] == 0) return 0;
  }
}

template <typename F>
void PhraseTrie::Visit(const std::vector<Token>& tokens, uint32_t at, uint32_t limit, F&& f) const {
  if (at >= limit || !MayStartWith(tokens[at])) return;
  if (!has_wildcards_) {
    // The common case: one path down the trie.
    uint32_t node = 0;
    for (uint32_t i = at; i < limit; ++i) {
      node = Child(node, tokens[i].hash);
      if (node == 0) return;
      if (nodes_[node].terminal >= 0) f(Match{at, i + 1, &payloads_[nodes_[node].terminal]});
    }
    return;
  }
  // With wildcards, a small explicit stack of (node, next token) states.
  struct State {
    uint32_t node;
    uint32_t next;
  };
  State stack[32];
  int top = 0;
  stack[top++] = State{0, at};
  while (top > 0) {
    const State st = stack[--top];
    if (st.next >= limit) continue;
    const Token& tok = tokens[st.next];
    if (const uint32_t wild = nodes_[st.node].wildcard; wild != 0 && (tok.flags & (kTokWord | kTokNumber)) && top < 31) {
      if (nodes_[wild].terminal >= 0) f(Match{at, st.next + 1, &payloads_[nodes_[wild].terminal]});
      stack[top++] = State{wild, st.next + 1};
    }
    if (const uint32_t child = Child(st.node, tok.hash); child != 0 && top < 31) {
      if (nodes_[child].terminal >= 0) f(Match{at, st.next + 1, &payloads_[nodes_[child].terminal]});
      stack[top++] = State{child, st.next + 1};
    }
  }
}

void PhraseTrie::MatchesAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                           const std::function<void(const Match&)>& f) const {
  Visit(tokens, at, limit, f);
}

PhraseTrie::Match PhraseTrie::LongestFrom(const std::vector<Token>& tokens, uint32_t at,
                                          uint32_t limit) const {
  Match best;
  Visit(tokens, at, limit, [&](const Match& m) {
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
