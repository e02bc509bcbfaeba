#include "places/gazetteer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "base/fold.h"
#include "base/tokenizer.h"
#include "places/romanize.h"

namespace sitrep {

std::unique_ptr<Gazetteer> Gazetteer::Open(const std::string& path, std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": cannot open the gazetteer (" + std::strerror(errno) +
             "); build it with `sitrep gazetteer build`";
    return nullptr;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(sizeof(gaz::Header))) {
    ::close(fd);
    *error = path + ": not a sitrep gazetteer (too small)";
    return nullptr;
  }
  void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) {
    *error = path + ": mmap failed (" + std::strerror(errno) + ")";
    return nullptr;
  }
  auto g = std::unique_ptr<Gazetteer>(new Gazetteer());
  g->base_ = static_cast<const char*>(p);
  g->size_ = static_cast<uint64_t>(st.st_size);
  if (!g->Init(error)) {
    *error = path + ": " + *error;
    return nullptr;
  }
  return g;
}

Gazetteer::~Gazetteer() {
  if (base_ != nullptr) ::munmap(const_cast<char*>(base_), size_);
}

bool Gazetteer::Init(std::string* error) {
  gaz::Header h;
  std::memcpy(&h, base_, sizeof h);
  if (std::memcmp(h.magic, gaz::kMagic, sizeof h.magic) != 0) {
    *error = "not a sitrep gazetteer (bad magic)";
    return false;
  }
  if (h.version != gaz::kVersion) {
    *error = "gazetteer format version " + std::to_string(h.version) + ", this sitrep reads " +
             std::to_string(gaz::kVersion) + "; rebuild it with `sitrep gazetteer build`";
    return false;
  }
  if (h.file_size != size_) {
    *error = "truncated gazetteer (" + std::to_string(size_) + " of " + std::to_string(h.file_size) +
             " bytes)";
    return false;
  }
  const uint64_t table_end = sizeof h + uint64_t{h.section_count} * sizeof(gaz::SectionRecord);
  if (table_end > size_) {
    *error = "corrupt section table";
    return false;
  }
  const auto* sections = reinterpret_cast<const gaz::SectionRecord*>(base_ + sizeof h);
  auto get = [&](gaz::SectionId id, uint64_t record, const char** data, uint64_t* count) {
    for (uint32_t i = 0; i < h.section_count; ++i) {
      const gaz::SectionRecord& s = sections[i];
      if (s.id != static_cast<uint32_t>(id)) continue;
      if (s.offset > size_ || s.size > size_ - s.offset || s.size % record != 0 || s.offset % 8 != 0) {
        return false;
      }
      *data = base_ + s.offset;
      *count = s.size / record;
      return true;
    }
    *data = nullptr;
    *count = 0;
    return true;  // an absent section is empty
  };
  const char* d = nullptr;
  uint64_t n = 0;
#define SITREP_SECTION(id, type, field)                                         \
  if (!get(gaz::SectionId::id, sizeof(type), &d, &n)) {                         \
    *error = "corrupt section " #id;                                            \
    return false;                                                               \
  }                                                                             \
  field = std::span<const type>(reinterpret_cast<const type*>(d), static_cast<size_t>(n));
  SITREP_SECTION(kEntries, gaz::EntryRecord, entries_)
  SITREP_SECTION(kAdmin1, gaz::Admin1Record, admin1_)
  SITREP_SECTION(kAdmin2, gaz::Admin2Record, admin2_)
  SITREP_SECTION(kNodes, gaz::NodeRecord, nodes_)
  SITREP_SECTION(kEdges, gaz::EdgeSlot, edges_)
  SITREP_SECTION(kPostings, gaz::Posting, postings_)
  SITREP_SECTION(kFuzzyNames, gaz::FuzzyName, fuzzy_names_)
  SITREP_SECTION(kFuzzyIndex, gaz::FuzzySlot, fuzzy_index_)
  SITREP_SECTION(kFuzzyIds, uint32_t, fuzzy_ids_)
  SITREP_SECTION(kCommonWords, uint64_t, common_words_)
  SITREP_SECTION(kStopWords, uint64_t, stop_words_)
#undef SITREP_SECTION
  if (!get(gaz::SectionId::kStrings, 1, &d, &n)) {
    *error = "corrupt string section";
    return false;
  }
  strings_ = std::string_view(d == nullptr ? "" : d, static_cast<size_t>(n));
  if (!get(gaz::SectionId::kMeta, 1, &d, &n)) {
    *error = "corrupt meta section";
    return false;
  }
  meta_ = std::string_view(d == nullptr ? "" : d, static_cast<size_t>(n));
  if (nodes_.empty() || strings_.empty() || strings_.back() != '\0' ||
      (edges_.size() & (edges_.size() - 1)) != 0) {
    *error = "corrupt gazetteer (empty trie, string pool or table sizes)";
    return false;
  }
  return true;
}

std::string_view Gazetteer::Str(uint32_t offset) const {
  if (offset >= strings_.size()) return {};
  return std::string_view(strings_.data() + offset);
}

std::string Gazetteer::Id(uint32_t i) const {
  const gaz::EntryRecord& e = entries_[i];
  if (e.geonameid != 0) return "geonames:" + std::to_string(e.geonameid);
  return std::string(Str(e.key));
}

std::string_view Gazetteer::FeatureCode(uint32_t i) const {
  const char* c = entries_[i].feature_code;
  return std::string_view(c, strnlen(c, sizeof entries_[i].feature_code));
}

std::string_view Gazetteer::Admin1Name(uint32_t i) const {
  const uint16_t a = entries_[i].admin1;
  return a == gaz::kNoAdmin || a >= admin1_.size() ? std::string_view() : Str(admin1_[a].name);
}

std::string_view Gazetteer::Admin2Name(uint32_t i) const {
  const uint16_t a = entries_[i].admin2;
  return a == gaz::kNoAdmin || a >= admin2_.size() ? std::string_view() : Str(admin2_[a].name);
}

uint16_t Gazetteer::FindAdmin1(std::string_view code) const {
  for (uint32_t i = 0; i < admin1_.size(); ++i) {
    if (Str(admin1_[i].code) == code) return static_cast<uint16_t>(i);
  }
  return gaz::kNoAdmin;
}

bool Gazetteer::IsCommonWord(uint64_t folded_hash) const {
  return std::binary_search(common_words_.begin(), common_words_.end(), folded_hash);
}

bool Gazetteer::IsStopWord(uint64_t folded_hash) const {
  return std::binary_search(stop_words_.begin(), stop_words_.end(), folded_hash);
}

uint32_t Gazetteer::Child(uint32_t node, uint64_t token_hash) const {
  if (edges_.empty()) return kNoNode;
  const size_t mask = edges_.size() - 1;
  size_t slot = gaz::EdgeHash(node, token_hash) & mask;
  for (size_t probes = 0; probes <= mask; ++probes) {
    const gaz::EdgeSlot& e = edges_[slot];
    if (e.child == 0) return kNoNode;
    if (e.token_hash == token_hash && e.parent == node) return e.child;
    slot = (slot + 1) & mask;
  }
  return kNoNode;
}

std::span<const gaz::Posting> Gazetteer::Postings(uint32_t node) const {
  const gaz::NodeRecord& n = nodes_[node];
  if (n.posting_count == 0 || n.posting_begin + n.posting_count > postings_.size()) return {};
  return postings_.subspan(n.posting_begin, n.posting_count);
}

uint32_t Gazetteer::FindName(std::string_view name) const {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(name, 0, folded, tokens);
  uint32_t node = Root();
  bool any = false;
  for (const Token& t : tokens) {
    if (t.fold_len == 0) continue;
    node = Child(node, t.hash);
    if (node == kNoNode) return kNoNode;
    any = true;
  }
  return any && !Postings(node).empty() ? node : kNoNode;
}

void Gazetteer::FuzzyNodes(std::string_view skeleton, std::vector<uint32_t>* nodes,
                           std::vector<uint8_t>* dist) const {
  if (fuzzy_index_.empty() || skeleton.empty()) return;
  const size_t first = nodes->size();
  auto probe = [&](std::string_view key) {
    const uint64_t h = FoldHash(key);
    auto it = std::lower_bound(fuzzy_index_.begin(), fuzzy_index_.end(), h,
                               [](const gaz::FuzzySlot& s, uint64_t v) { return s.key_hash < v; });
    if (it == fuzzy_index_.end() || it->key_hash != h) return;
    const uint32_t end = it + 1 == fuzzy_index_.end() ? static_cast<uint32_t>(fuzzy_ids_.size())
                                                      : (it + 1)->begin;
    for (uint32_t k = it->begin; k < end && k < fuzzy_ids_.size(); ++k) {
      const gaz::FuzzyName& fn = fuzzy_names_[fuzzy_ids_[k]];
      const int d = OsaDistance(skeleton, Str(fn.skeleton), 1);
      if (d > 1) continue;
      bool seen = false;
      for (size_t j = first; j < nodes->size(); ++j) {
        if ((*nodes)[j] == fn.node) {
          seen = true;
          (*dist)[j] = std::min<uint8_t>((*dist)[j], static_cast<uint8_t>(d));
        }
      }
      if (!seen) {
        nodes->push_back(fn.node);
        dist->push_back(static_cast<uint8_t>(d));
      }
    }
  };
  // SymSpell: the index holds every skeleton and its one-letter deletions; a query's
  // own deletions meet them for any single edit.
  probe(skeleton);
  std::string del;
  for (size_t i = 0; i < skeleton.size(); ++i) {
    if (i > 0 && skeleton[i] == skeleton[i - 1]) continue;
    del.assign(skeleton.substr(0, i));
    del.append(skeleton.substr(i + 1));
    probe(del);
  }
}

}  // namespace sitrep
