// What earlier runs extracted, per doc_id: the content hash and data version its records
// were extracted with (Pipeline::Stamp) — read from a sitrep SQLite database (its
// documents table), a PostgreSQL one (LoadPostgresIndex, pg_export.h) or a JSON Lines
// output of extract (its document records, with where each document's lines are, so
// that they can be copied) — so that a re-run skips the documents that are unchanged.
//
// Memory: one hash-table node per document, keyed by a 64-bit hash of the doc_id (not
// the id itself): about 60 bytes a document with the table's buckets, 60 MB for a
// million. Two ids of one hash (odds of 1 in 2^64 per pair) share an entry: a document
// is then extracted again (its content hash differs), never skipped by mistake.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "doc/stage.h"

namespace sitrep {

class ExtractedIndex {
 public:
  struct Entry {
    uint64_t content_hash = 0;
    uint64_t offset = 0;   // a JSON Lines file: where the document line starts
    uint32_t length = 0;   // and the bytes of it and its event lines
    uint16_t version = 0;  // into versions_
    bool claimed = false;  // asked for by Claim once already
  };

  // Adds doc_id's entry (replacing an earlier one: the last record of a doc_id wins).
  void Add(std::string_view doc_id, uint64_t content_hash, std::string_view data_version,
           uint64_t offset = 0, uint32_t length = 0);
  // Whether doc_id is stored with this content hash and data version — the first time
  // it is asked for; later calls for the same doc_id say false, so that a doc_id the
  // input repeats is extracted again (as without an index: the last one wins).
  bool Claim(std::string_view doc_id, uint64_t content_hash, std::string_view data_version);
  // The entry of doc_id, or nullptr. Safe to call from another thread while Claim runs.
  const Entry* Find(std::string_view doc_id) const;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void Clear();
  // The file the index was read from ("" when none).
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::unordered_map<uint64_t, Entry> entries_;
  std::vector<std::string> versions_;  // few: one per data version seen (at most 65,535)
  std::string source_;
};

// 16 hex digits to a hash; false when s is not that.
bool ParseContentHash(std::string_view s, uint64_t* hash);

// The documents table of a sitrep SQLite database. A file that does not exist, or has no
// documents table, gives an empty index; rows written before schema version 3 have no
// content hash and are left out (they are extracted again).
Result LoadSqliteIndex(const std::string& path, ExtractedIndex* index);

// The document records of a JSON Lines file extract wrote: each document's line and the
// event lines after it, up to the next document line. A file that does not exist gives
// an empty index; one holding other records (cluster, control: a fused output) or lines
// that are not records is an error (its lines cannot be copied as extract's), as is one
// that cannot be read. Document records without content_hash are left out.
Result LoadJsonlIndex(const std::string& path, ExtractedIndex* index);

}  // namespace sitrep
