#include "read/input_walk.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <utility>

namespace sitrep {
namespace {

using FileKey = std::pair<dev_t, ino_t>;

std::string StripTrailingSlashes(const std::string& path) {
  std::string out = path;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};

class Walker {
 public:
  Walker(const WalkOptions& options, WalkResult* result) : options_(options), result_(result) {}

  void WalkRoot(const std::string& dir, const struct stat& st) {
    const FileKey key{st.st_dev, st.st_ino};
    visited_.insert(key);
    ancestors_.insert(key);
    Walk(StripTrailingSlashes(dir), DirectoryDisplayPrefix(dir));
    ancestors_.erase(key);
  }

 private:
  void Error(const std::string& display, const std::string& reason) {
    InputEntry entry;
    entry.kind = InputEntry::Kind::kError;
    entry.path = display + ": " + reason;
    entry.display = display;
    result_->entries.push_back(std::move(entry));
  }

  void Walk(const std::string& dir, const std::string& display_prefix) {
    std::unique_ptr<DIR, DirCloser> handle(opendir(dir.c_str()));
    if (handle == nullptr) {
      const std::string shown = display_prefix.empty() ? dir : display_prefix;
      Error(StripTrailingSlashes(shown), std::string("cannot read directory: ") + std::strerror(errno));
      return;
    }
    std::vector<std::string> names;
    while (const struct dirent* ent = readdir(handle.get())) {
      const std::string_view name = ent->d_name;
      if (name == "." || name == "..") continue;
      if (name.front() == '.' && !options_.include_hidden) continue;
      names.emplace_back(name);
    }
    handle.reset();
    // Byte order, not locale order: the same tree reads the same everywhere.
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      Visit(JoinPath(dir, name), display_prefix + name);
    }
  }

  void Visit(const std::string& path, const std::string& display) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      Error(display, std::strerror(errno));
      return;
    }
    if (S_ISLNK(st.st_mode)) {
      if (!options_.follow_symlinks) {
        ++result_->skipped;
        return;
      }
      if (::stat(path.c_str(), &st) != 0) {
        Error(display, errno == ENOENT || errno == ELOOP
                           ? std::string("broken symbolic link")
                           : std::string(std::strerror(errno)));
        return;
      }
    }
    if (S_ISDIR(st.st_mode)) {
      const FileKey key{st.st_dev, st.st_ino};
      if (ancestors_.count(key) > 0) {
        Error(display, "symbolic link loop, not followed");
        return;
      }
      // Reached a second time through a link: its files have been listed already.
      if (!visited_.insert(key).second) {
        ++result_->skipped;
        return;
      }
      ancestors_.insert(key);
      Walk(path, display + "/");
      ancestors_.erase(key);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      ++result_->skipped;
      return;
    }
    const Format format = FormatFromName(path);
    if (format == Format::kUnknown) {
      ++result_->skipped;
      return;
    }
    InputEntry entry;
    entry.kind = InputEntry::Kind::kFile;
    entry.path = path;
    entry.display = display;
    entry.format = format;
    entry.size = static_cast<uint64_t>(st.st_size);
    entry.size_known = true;
    result_->total_bytes += entry.size;
    result_->entries.push_back(std::move(entry));
  }

  const WalkOptions& options_;
  WalkResult* result_;
  std::set<FileKey> visited_;
  std::set<FileKey> ancestors_;
};

}  // namespace

std::string DirectoryDisplayPrefix(const std::string& dir) {
  const std::string trimmed = StripTrailingSlashes(dir);
  if (trimmed == "/") return "";
  const size_t slash = trimmed.find_last_of('/');
  std::string base = slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
  if (base == "." || base == "..") {
    std::unique_ptr<char, decltype(&std::free)> real(realpath(trimmed.c_str(), nullptr), &std::free);
    if (real == nullptr) return "";
    const std::string resolved = real.get();
    if (resolved == "/") return "";
    base = resolved.substr(resolved.find_last_of('/') + 1);
  }
  return base + "/";
}

WalkResult ExpandInputs(const std::vector<std::string>& inputs, const WalkOptions& options) {
  WalkResult result;
  for (const std::string& input : inputs) {
    if (input == "-") {
      InputEntry entry;
      entry.kind = InputEntry::Kind::kStdin;
      entry.path = input;
      entry.display = input;
      result.entries.push_back(std::move(entry));
      continue;
    }
    struct stat st;
    if (input.empty() || ::stat(input.c_str(), &st) != 0) {
      InputEntry entry;
      entry.kind = InputEntry::Kind::kError;
      entry.path = input + ": " + (input.empty() ? "empty path" : std::strerror(errno));
      entry.display = input;
      result.entries.push_back(std::move(entry));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      Walker walker(options, &result);
      walker.WalkRoot(input, st);
      continue;
    }
    // A file named on the command line is read whatever its extension (sniffed when
    // unknown), and so is a pipe or device.
    InputEntry entry;
    entry.kind = InputEntry::Kind::kFile;
    entry.path = input;
    entry.display = input;
    entry.format = FormatFromName(input);
    if (S_ISREG(st.st_mode)) {
      entry.size = static_cast<uint64_t>(st.st_size);
      entry.size_known = true;
      result.total_bytes += entry.size;
    }
    result.entries.push_back(std::move(entry));
  }
  return result;
}

}  // namespace sitrep
