#include "pipeline/pipeline.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <system_error>

#include "actors/actor_recogniser.h"
#include "attribution/attributor.h"
#include "base/paths.h"
#include "clean/cleaner.h"
#include "credibility/credibility.h"
#include "events/event_finder.h"
#include "fusion/fingerprint.h"
#include "places/gazetteer.h"
#include "places/place_recogniser.h"
#include "quantities/quantity_recogniser.h"
#include "segment/segmenter.h"
#include "time/date_recogniser.h"

#ifndef SITREP_VERSION
#define SITREP_VERSION "unknown"
#endif

namespace sitrep {
namespace {

// One field of a hash: its length, then its bytes, so that ("ab", "c") and ("a", "bc")
// differ.
void HashField(XXH3_state_t* state, std::string_view bytes) {
  const uint64_t size = bytes.size();
  XXH3_64bits_update(state, &size, sizeof size);
  XXH3_64bits_update(state, bytes.data(), bytes.size());
}

struct StateFree {
  void operator()(XXH3_state_t* s) const { XXH3_freeState(s); }
};
using HashState = std::unique_ptr<XXH3_state_t, StateFree>;

HashState NewState() {
  HashState state(XXH3_createState());
  if (state) XXH3_64bits_reset(state.get());
  return state;
}

// Adds a file's content to state; false when it cannot be read.
bool HashFile(XXH3_state_t* state, const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char buf[64 * 1024];
  HashState content = NewState();
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) XXH3_64bits_update(content.get(), buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  const uint64_t h = XXH3_64bits_digest(content.get());
  XXH3_64bits_update(state, &h, sizeof h);
  return ok;
}

std::string HashToHex(uint64_t hash) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

uint64_t ContentHash(const Document& doc) {
  HashState state = NewState();
  HashField(state.get(), doc.text);
  const uint8_t has_title = doc.meta_title ? 1 : 0;
  XXH3_64bits_update(state.get(), &has_title, 1);
  if (doc.meta_title) HashField(state.get(), *doc.meta_title);
  HashField(state.get(), doc.meta_published ? FormatIsoDate(*doc.meta_published) : std::string());
  HashField(state.get(), doc.url);
  return XXH3_64bits_digest(state.get());
}

std::string GazetteerIdentity(const Gazetteer& gazetteer) {
  std::string id = "size=" + std::to_string(gazetteer.file_size()) +
                   "\nentries=" + std::to_string(gazetteer.size()) +
                   "\ntrie_nodes=" + std::to_string(gazetteer.node_count()) + "\n";
  std::string_view meta = gazetteer.meta();
  while (!meta.empty()) {
    const size_t end = std::min(meta.find('\n'), meta.size());
    std::string_view line = meta.substr(0, end);
    meta.remove_prefix(std::min(end + 1, meta.size()));
    if (line.starts_with("built=")) continue;  // the same inputs rebuilt: the same gazetteer
    if (line.starts_with("source=")) {
      // Where the build read its sources (another build directory, another checkout) is
      // not what it read: their names are kept; their content is in the data directory.
      const size_t slash = line.rfind('/');
      if (slash != std::string_view::npos) line = line.substr(slash + 1);
      id += "source=";
    }
    id.append(line);
    id += '\n';
  }
  return id;
}

std::string DataVersion(const std::string& data_dir, const Gazetteer& gazetteer, std::string* error) {
  namespace fs = std::filesystem;
  // Every regular file under the directory, hidden ones (an editor's swap file) left
  // out, in an order that does not depend on the file system.
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(data_dir, fs::directory_options::follow_directory_symlink, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    *error = data_dir + ": cannot list the data directory: " + ec.message();
    return "";
  }
  std::sort(files.begin(), files.end());
  HashState state = NewState();
  HashField(state.get(), "sitrep " SITREP_VERSION);
  for (const fs::path& file : files) {
    HashField(state.get(), file.lexically_relative(data_dir).generic_string());
    if (!HashFile(state.get(), file)) {
      *error = file.string() + ": cannot read";
      return "";
    }
  }
  HashField(state.get(), GazetteerIdentity(gazetteer));
  return HashToHex(XXH3_64bits_digest(state.get()));
}

Pipeline::~Pipeline() = default;

std::unique_ptr<Pipeline> Pipeline::Load(const PipelineOptions& options, std::string* error) {
  std::unique_ptr<Pipeline> p(new Pipeline());
  const std::string data = options.data_dir.empty() ? DataDir() : options.data_dir;
  if (data.empty()) {
    *error = "no data directory found (set --data or SITREP_DATA to sitrep's data/)";
    return nullptr;
  }
  const std::string gaz = options.gazetteer_path.empty() ? GazetteerPath() : options.gazetteer_path;
  p->gazetteer_ = Gazetteer::Open(gaz, error);
  if (!p->gazetteer_) {
    *error += " (build it with `sitrep gazetteer build`)";
    return nullptr;
  }
  auto add = [&](std::unique_ptr<Stage> stage) {
    if (!stage) return false;
    p->stages_.push_back(std::move(stage));
    return true;
  };
  if (!add(Cleaner::Load(data, error))) return nullptr;
  if (!add(Segmenter::Load(data, error))) return nullptr;
  if (!add(DateRecogniser::Load(data, error))) return nullptr;
  if (!add(PlaceRecogniser::Load(*p->gazetteer_, data, error))) return nullptr;
  if (!add(ActorRecogniser::Load(data, error))) return nullptr;
  if (!add(QuantityRecogniser::Load(data, error))) return nullptr;
  if (!add(Attributor::Load(data, error))) return nullptr;
  if (!add(EventFinder::Load(data, error))) return nullptr;
  if (!add(CredibilityScorer::Load(data, error))) return nullptr;
  if (!add(Fingerprinter::Load(error))) return nullptr;
  p->data_version_ = DataVersion(data, *p->gazetteer_, error);
  if (p->data_version_.empty()) return nullptr;
  return p;
}

void Pipeline::Stamp(Document& doc) const {
  doc.content_hash = ContentHash(doc);
  doc.data_version = data_version_;
}

Result Pipeline::Process(Document& doc) const {
  Stamp(doc);
  for (const auto& stage : stages_) {
    try {
      Result r = stage->Process(doc);
      if (!r.ok()) return Result::Error(std::string(stage->Name()) + ": " + r.message());
    } catch (const std::exception& e) {
      return Result::Error(std::string(stage->Name()) + ": " + e.what());
    }
  }
  return Result::Ok();
}

const Stage* Pipeline::Find(std::string_view name) const {
  for (const auto& stage : stages_) {
    if (stage->Name() == name) return stage.get();
  }
  return nullptr;
}

}  // namespace sitrep
