// The compiled gazetteer, memory-mapped read-only: entries (places with coordinates,
// feature, admin units), a trie of folded-token names, a fuzzy (skeleton) index.
// Reads the file `sitrep gazetteer build` writes; immutable, shared by every thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doc/types.h"
#include "places/gazetteer_format.h"

namespace sitrep {

class Gazetteer {
 public:
  static constexpr uint32_t kNoNode = gaz::kNoIndex;

  // Maps path. On failure returns nullptr and sets *error (missing file, bad magic,
  // wrong version, truncated section).
  static std::unique_ptr<Gazetteer> Open(const std::string& path, std::string* error);
  ~Gazetteer();
  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;

  // --- entries ---
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  const gaz::EntryRecord& Entry(uint32_t i) const { return entries_[i]; }
  std::string_view Str(uint32_t offset) const;
  std::string_view Name(uint32_t i) const { return Str(entries_[i].name); }
  // "geonames:703656", a curated key ("sitrep:black-sea"), or "".
  std::string Id(uint32_t i) const;
  PlaceFeature Feature(uint32_t i) const { return static_cast<PlaceFeature>(entries_[i].feature); }
  std::string_view FeatureCode(uint32_t i) const;
  std::string_view Country(uint32_t i) const { return {entries_[i].country, 2}; }
  // English name of the entry's first-level unit ("Kharkiv Oblast"), "" when none.
  std::string_view Admin1Name(uint32_t i) const;
  std::string_view Admin2Name(uint32_t i) const;

  // --- admin units ---
  uint32_t admin1_count() const { return static_cast<uint32_t>(admin1_.size()); }
  uint32_t admin2_count() const { return static_cast<uint32_t>(admin2_.size()); }
  const gaz::Admin1Record& Admin1(uint32_t i) const { return admin1_[i]; }
  const gaz::Admin2Record& Admin2(uint32_t i) const { return admin2_[i]; }
  // Index of an admin1 code ("UA.07"), gaz::kNoAdmin when unknown.
  uint16_t FindAdmin1(std::string_view code) const;

  // --- the name trie ---
  static constexpr uint32_t Root() { return 0; }
  // Child of node along a folded token's hash, kNoNode when none.
  uint32_t Child(uint32_t node, uint64_t token_hash) const;
  std::span<const gaz::Posting> Postings(uint32_t node) const;
  uint8_t NodeFlags(uint32_t node) const { return nodes_[node].flags; }
  uint8_t Depth(uint32_t node) const { return nodes_[node].depth; }
  uint32_t node_count() const { return static_cast<uint32_t>(nodes_.size()); }
  // The node an exact name reaches (tokenised and folded like text), kNoNode when the
  // name is not in the index.
  uint32_t FindName(std::string_view name) const;

  // --- fuzzy index ---
  // Trie nodes of names whose skeleton key (see romanize.h) is within distance 1
  // (one insertion, deletion, substitution or transposition) of skeleton. Appends to
  // *nodes, without repeats; dist[i] is the distance found for nodes[i].
  void FuzzyNodes(std::string_view skeleton, std::vector<uint32_t>* nodes,
                  std::vector<uint8_t>* dist) const;
  size_t fuzzy_name_count() const { return fuzzy_names_.size(); }

  // True when a folded token (by FoldHash) is a lower-case English dictionary word.
  bool IsCommonWord(uint64_t folded_hash) const;
  // True for words that are never a place (demonyms, stop_names.tsv).
  bool IsStopWord(uint64_t folded_hash) const;

  // Build description ("key=value" lines) and file size.
  std::string_view meta() const { return meta_; }
  uint64_t file_size() const { return size_; }

 private:
  Gazetteer() = default;
  bool Init(std::string* error);

  const char* base_ = nullptr;
  uint64_t size_ = 0;
  std::string_view strings_;
  std::span<const gaz::EntryRecord> entries_;
  std::span<const gaz::Admin1Record> admin1_;
  std::span<const gaz::Admin2Record> admin2_;
  std::span<const gaz::NodeRecord> nodes_;
  std::span<const gaz::EdgeSlot> edges_;
  std::span<const gaz::Posting> postings_;
  std::span<const gaz::FuzzyName> fuzzy_names_;
  std::span<const gaz::FuzzySlot> fuzzy_index_;
  std::span<const uint32_t> fuzzy_ids_;
  std::span<const uint64_t> common_words_;
  std::span<const uint64_t> stop_words_;
  std::string_view meta_;
};

}  // namespace sitrep
