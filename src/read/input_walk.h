// Expands the reader's arguments (files, directories, "-") into the ordered list of
// inputs to read: directories recursively, entries sorted by name, hidden entries
// left out, symbolic-link loops caught by (device, inode).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "read/format.h"

namespace sitrep {

struct InputEntry {
  enum class Kind : uint8_t {
    kFile,   // a file (or anything that is not a directory) named or found
    kStdin,  // "-"
    kError,  // a problem found while expanding, reported when the reader reaches it
  };
  Kind kind = Kind::kFile;
  std::string path;     // to open; for kError the whole message
  std::string display;  // Origin::path: as given, or relative to a directory's parent
  Format format = Format::kUnknown;  // from the name; kUnknown means sniff
  uint64_t size = 0;
  bool size_known = false;  // a regular file whose size was known up front
};

struct WalkOptions {
  bool follow_symlinks = true;
  bool include_hidden = false;
};

struct WalkResult {
  std::vector<InputEntry> entries;
  uint64_t skipped = 0;      // entries of walked directories passed over
  uint64_t total_bytes = 0;  // sum of the sizes known up front
};

WalkResult ExpandInputs(const std::vector<std::string>& inputs, const WalkOptions& options);

// The prefix a directory argument gives the files inside it: its own name and a slash
// ("../shared/data/seeds/" -> "seeds/"); "." and ".." use the real name; "/" gives "".
std::string DirectoryDisplayPrefix(const std::string& dir);

}  // namespace sitrep
