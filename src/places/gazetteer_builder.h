// Compiles the gazetteer file from GeoNames dumps (a user's own or the vendored copy in
// data/gazetteer/) and the curated supplements beside them (countries, admin-1 names,
// seas, rivers, regions, facilities). Reads data/gazetteer/*; writes one sitrep.gaz.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep {

struct GazetteerBuildOptions {
  // Directory with the user's GeoNames dumps (UA.txt, admin1CodesASCII.txt,
  // admin2Codes.txt, cities500.txt, RU.txt, BY.txt; plain or .gz). Empty: the vendored
  // copy in <data_dir>/gazetteer. Files missing here are taken from the vendored copy.
  std::string geonames_dir;
  std::string data_dir;  // sitrep's data/ directory
  // English word list: names that are lower-case words are marked (see NodeFlag).
  std::string words_path = "/usr/share/dict/american-english";
  std::string output;
  // Progress messages; none when empty.
  std::function<void(std::string_view)> log;
};

struct GazetteerBuildStats {
  uint32_t entries = 0;
  uint32_t names = 0;      // (name, entry) pairs indexed
  uint32_t nodes = 0;      // trie nodes
  uint32_t fuzzy_names = 0;
  uint32_t fuzzy_keys = 0;
  uint32_t common_words = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  std::vector<std::string> sources;  // the files read
};

// Builds options.output. False and *error on a missing or malformed input.
bool BuildGazetteer(const GazetteerBuildOptions& options, GazetteerBuildStats* stats,
                    std::string* error);

}  // namespace sitrep
