// The extraction pipeline: the stages in order over one document, built once from
// the knowledge in data/ and the compiled gazetteer, shared by every worker thread.
//   clean → segment → time → places → actors → quantities → attribution → events
//   → credibility
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "doc/stage.h"

namespace sitrep {

class Gazetteer;

struct PipelineOptions {
  std::string data_dir;        // "" = DataDir()
  std::string gazetteer_path;  // "" = GazetteerPath()
};

class Pipeline {
 public:
  // Loads every stage; nullptr with a message naming the file at fault on failure.
  static std::unique_ptr<Pipeline> Load(const PipelineOptions& options, std::string* error);
  ~Pipeline();

  // Sets doc's content_hash and data_version (Process does it too): what a re-run
  // compares with the stored ones to skip a document (runner.h).
  void Stamp(Document& doc) const;
  // Stamps doc, then runs every stage on it; an error names the stage.
  Result Process(Document& doc) const;

  // The version of the knowledge this pipeline extracts with, 16 hex digits: a hash of
  // sitrep's version, every file under the data directory (path, size, content) and the
  // compiled gazetteer's identity (GazetteerIdentity). Computed once by Load.
  const std::string& data_version() const { return data_version_; }

  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }
  // The stage with this name, or nullptr.
  const Stage* Find(std::string_view name) const;
  const Gazetteer& gazetteer() const { return *gazetteer_; }

 private:
  Pipeline() = default;
  std::unique_ptr<Gazetteer> gazetteer_;
  std::string data_version_;
  std::vector<std::unique_ptr<Stage>> stages_;
};

// A fast 64-bit hash (XXH3) of what a document's records are extracted from: its
// text, and the title, publication date and URL its metadata gave. Not its doc_id (the
// key it is stored under) nor where it was read from (a file, a line of a JSONL file:
// a line inserted above it does not change it).
uint64_t ContentHash(const Document& doc);

// The data version of a data directory and gazetteer (what Load computes); error set and
// "" when the directory cannot be read.
std::string DataVersion(const std::string& data_dir, const Gazetteer& gazetteer, std::string* error);
// What identifies a compiled gazetteer build, cheaply: its size, entry and trie node
// counts, and its build description (format version, name/fuzzy counts, source file
// names) without the build time, so that rebuilding it from the same inputs keeps it.
std::string GazetteerIdentity(const Gazetteer& gazetteer);

}  // namespace sitrep
