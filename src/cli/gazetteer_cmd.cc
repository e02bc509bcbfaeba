#include "cli/gazetteer_cmd.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/fold.h"
#include "base/paths.h"
#include "base/tsv.h"
#include "places/gazetteer.h"
#include "places/gazetteer_builder.h"
#include "places/romanize.h"

extern char** environ;

namespace sitrep {
namespace {

constexpr const char* kGeoNamesBase = "https://download.geonames.org/export/dump/";
// What `gazetteer update` fetches; the zips hold one .txt each.
constexpr const char* kUpdateFiles[] = {"UA.zip", "RU.zip", "BY.zip", "cities500.zip",
                                        "admin1CodesASCII.txt", "admin2Codes.txt"};

struct GazetteerArgs {
  std::string geonames;
  std::string output;
  std::string data;
  std::string words = "/usr/share/dict/american-english";
  bool quiet = false;
  std::string dir;
  std::vector<std::string> names;
  std::string gazetteer;
  bool fuzzy = false;
  size_t limit = 10;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string ResolveData(const GazetteerArgs& a) {
  if (!a.data.empty()) return a.data;
  return DataDir();
}

int RunBuild(const GazetteerArgs& a) {
  GazetteerBuildOptions opt;
  opt.geonames_dir = !a.geonames.empty() ? a.geonames : Env("SITREP_GEONAMES");
  opt.data_dir = ResolveData(a);
  opt.words_path = a.words;
  opt.output = !a.output.empty() ? a.output : DefaultGazetteerOutput();
  if (!a.quiet) opt.log = [](std::string_view msg) { std::fprintf(stderr, "%.*s\n", static_cast<int>(msg.size()), msg.data()); };
  GazetteerBuildStats stats;
  std::string error;
  if (!BuildGazetteer(opt, &stats, &error)) {
    std::fprintf(stderr, "sitrep gazetteer build: %s\n", error.c_str());
    return 1;
  }
  if (!a.quiet) {
    std::fprintf(stderr,
                 "%s: %u entries, %u names, %u trie nodes, %u fuzzy keys (%u names), %u common-word "
                 "names; %.1f MB in %.1f s\n",
                 opt.output.c_str(), stats.entries, stats.names, stats.nodes, stats.fuzzy_keys,
                 stats.fuzzy_names, stats.common_words, stats.bytes / 1e6, stats.seconds);
  }
  return 0;
}

// --- update -------------------------------------------------------------------------

std::string FindProgram(const std::string& name) {
  const std::string path = Env("PATH");
  for (const std::string& dir : Split(path, ':')) {
    if (dir.empty()) continue;
    const std::string p = dir + "/" + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

int Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& s : argv) args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

uint32_t Le32(const std::string& b, size_t at) {
  if (at + 4 > b.size()) return 0;
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t Le16(const std::string& b, size_t at) {
  if (at + 2 > b.size()) return 0;
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}

// Extracts the .txt members of a zip (stored or deflated; GeoNames zips) into dir.
bool ExtractZip(const std::string& zip, const std::string& dir, std::string* error) {
  std::string b;
  if (!ReadFile(zip, &b)) {
    *error = zip + ": cannot read";
    return false;
  }
  size_t eocd = std::string::npos;
  for (size_t i = b.size() >= 22 ? b.size() - 22 : 0;; --i) {
    if (Le32(b, i) == 0x06054b50) {
      eocd = i;
      break;
    }
    if (i == 0 || b.size() - i > 70000) break;
  }
  if (eocd == std::string::npos) {
    *error = zip + ": not a zip file";
    return false;
  }
  const uint16_t count = Le16(b, eocd + 10);
  size_t p = Le32(b, eocd + 16);
  for (uint16_t k = 0; k < count; ++k) {
    if (Le32(b, p) != 0x02014b50) {
      *error = zip + ": corrupt central directory";
      return false;
    }
    const uint16_t method = Le16(b, p + 10);
    const uint32_t csize = Le32(b, p + 20), usize = Le32(b, p + 24);
    const uint16_t nlen = Le16(b, p + 28), xlen = Le16(b, p + 30), clen = Le16(b, p + 32);
    const uint32_t local = Le32(b, p + 42);
    const std::string name = b.substr(p + 46, nlen);
    p += 46 + nlen + xlen + clen;
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".txt") != 0 ||
        name.find('/') != std::string::npos) {
      continue;
    }
    const size_t data = local + 30 + Le16(b, local + 26) + Le16(b, local + 28);
    if (data + csize > b.size()) {
      *error = zip + ": truncated member " + name;
      return false;
    }
    std::string out;
    if (method == 0) {
      out = b.substr(data, csize);
    } else if (method == 8) {
      out.resize(usize);
      z_stream zs{};
      if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return false;
      zs.next_in = reinterpret_cast<Bytef*>(b.data() + data);
      zs.avail_in = csize;
      zs.next_out = reinterpret_cast<Bytef*>(out.data());
      zs.avail_out = usize;
      const int rc = inflate(&zs, Z_FINISH);
      inflateEnd(&zs);
      if (rc != Z_STREAM_END) {
        *error = zip + ": cannot inflate " + name;
        return false;
      }
    } else {
      *error = zip + ": unsupported compression in " + name;
      return false;
    }
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!f) {
      *error = dir + "/" + name + ": cannot write";
      return false;
    }
  }
  return true;
}

std::string DefaultGeoNamesDir() {
  std::string env = Env("SITREP_GEONAMES");
  if (!env.empty()) return env;
  std::string cache = Env("XDG_CACHE_HOME");
  if (cache.empty()) cache = Env("HOME").empty() ? "/tmp" : Env("HOME") + "/.cache";
  return cache + "/sitrep/geonames";
}

int RunUpdate(const GazetteerArgs& a) {
  const std::string dir = a.dir.empty() ? DefaultGeoNamesDir() : a.dir;
  const std::string curl = FindProgram("curl");
  if (curl.empty()) {
    std::fprintf(stderr,
                 "sitrep gazetteer update: the curl program is not installed (apt-get install curl); "
                 "or download the files listed in `sitrep gazetteer update --help` into %s and run "
                 "`sitrep gazetteer build --geonames %s`\n",
                 dir.c_str(), dir.c_str());
    return 1;
  }
  if (Spawn({"/bin/mkdir", "-p", dir}) != 0 || !IsDirectory(dir)) {
    std::fprintf(stderr, "sitrep gazetteer update: cannot create %s\n", dir.c_str());
    return 1;
  }
  for (const char* file : kUpdateFiles) {
    const std::string url = std::string(kGeoNamesBase) + file;
    const std::string dest = dir + "/" + file;
    const std::string part = dest + ".part";
    if (!a.quiet) std::fprintf(stderr, "fetching %s\n", url.c_str());
    const int rc = Spawn({curl, "-fsSL", "--retry", "2", "--connect-timeout", "20", "-o", part, url});
    if (rc != 0) {
      std::remove(part.c_str());
      std::fprintf(stderr,
                   "sitrep gazetteer update: could not download %s (curl exit status %d: no "
                   "network, a proxy, or the file moved). Nothing was changed; the current "
                   "gazetteer stays in use.\n",
                   url.c_str(), rc);
      return 1;
    }
    if (std::rename(part.c_str(), dest.c_str()) != 0) {
      std::fprintf(stderr, "sitrep gazetteer update: cannot write %s\n", dest.c_str());
      return 1;
    }
    std::string error;
    if (dest.size() > 4 && dest.compare(dest.size() - 4, 4, ".zip") == 0 &&
        !ExtractZip(dest, dir, &error)) {
      std::fprintf(stderr, "sitrep gazetteer update: %s\n", error.c_str());
      return 1;
    }
  }
  GazetteerArgs b = a;
  b.geonames = dir;
  return RunBuild(b);
}

// --- lookup ---------------------------------------------------------------------------

std::string NameFlags(uint16_t f) {
  std::string s;
  auto add = [&](uint16_t bit, const char* word) {
    if (f & bit) {
      if (!s.empty()) s.push_back(',');
      s += word;
    }
  };
  add(gaz::kNameDisplay, "display");
  add(gaz::kNamePrimary, "primary");
  add(gaz::kNameAlternate, "alternate");
  add(gaz::kNameCyrillic, "cyrillic");
  add(gaz::kNameGenerated, "romanised");
  add(gaz::kNameNational, "national");
  add(gaz::kNameAbbrev, "abbrev");
  add(gaz::kNameCurated, "curated");
  add(gaz::kNameOwn, "own");
  return s;
}

std::unique_ptr<Gazetteer> OpenFor(const GazetteerArgs& a) {
  const std::string path = !a.gazetteer.empty() ? a.gazetteer : GazetteerPath();
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Gazetteer> g = Gazetteer::Open(path, &error);
  if (!g) {
    std::fprintf(stderr, "sitrep gazetteer: %s\n", error.c_str());
    return nullptr;
  }
  if (!a.quiet) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%s: opened in %.2f ms\n", path.c_str(), ms);
  }
  return g;
}

void PrintEntry(const Gazetteer& g, uint32_t e, const std::string& how) {
  const gaz::EntryRecord& r = g.Entry(e);
  const std::string id = g.Id(e);
  std::printf("  %-22s %-28s %9.4f %9.4f  %-10s %-5s %.2s  %-24s %-26s pop %-8u r %-4.0f rank %u  %s\n",
              id.c_str(), std::string(g.Name(e)).c_str(), r.lat, r.lon,
              std::string(Name(g.Feature(e))).c_str(), std::string(g.FeatureCode(e)).c_str(),
              r.country, std::string(g.Admin1Name(e)).c_str(), std::string(g.Admin2Name(e)).c_str(),
              r.population, r.radius_km, r.rank, how.c_str());
}

int RunLookup(const GazetteerArgs& a) {
  std::unique_ptr<Gazetteer> g = OpenFor(a);
  if (!g) return 1;
  int found_all = 0;
  for (const std::string& name : a.names) {
    const uint32_t node = g->FindName(name);
    std::vector<std::pair<uint32_t, std::string>> hits;
    if (node != Gazetteer::kNoNode) {
      for (const gaz::Posting& p : g->Postings(node)) hits.emplace_back(p.entry, NameFlags(p.flags));
    }
    const bool common = node != Gazetteer::kNoNode && (g->NodeFlags(node) & gaz::kNodeCommonWord);
    std::sort(hits.begin(), hits.end(), [&](const auto& x, const auto& y) {
      const gaz::EntryRecord& ex = g->Entry(x.first);
      const gaz::EntryRecord& ey = g->Entry(y.first);
      if (ex.rank != ey.rank) return ex.rank > ey.rank;
      return ex.population > ey.population;
    });
    std::printf("%s: %zu candidate%s%s\n", name.c_str(), hits.size(), hits.size() == 1 ? "" : "s",
                common ? " (a common English word)" : "");
    for (size_t i = 0; i < hits.size() && i < a.limit; ++i) PrintEntry(*g, hits[i].first, hits[i].second);
    if (hits.size() > a.limit) std::printf("  ... %zu more (--limit)\n", hits.size() - a.limit);
    if (a.fuzzy) {
      const std::string sk = SkeletonKey(FoldPhrase(name));
      std::vector<uint32_t> nodes;
      std::vector<uint8_t> dist;
      g->FuzzyNodes(sk, &nodes, &dist);
      std::printf("  fuzzy (skeleton '%s'): %zu name%s\n", sk.c_str(), nodes.size(), nodes.size() == 1 ? "" : "s");
      size_t shown = 0;
      for (size_t k = 0; k < nodes.size() && shown < a.limit; ++k) {
        if (nodes[k] == node) continue;
        for (const gaz::Posting& p : g->Postings(nodes[k])) {
          if (shown++ >= a.limit) break;
          PrintEntry(*g, p.entry, "distance " + std::to_string(dist[k]));
        }
      }
    }
    found_all += hits.empty() ? 0 : 1;
  }
  return found_all == static_cast<int>(a.names.size()) ? 0 : 2;
}

int RunInfo(const GazetteerArgs& a) {
  std::unique_ptr<Gazetteer> g = OpenFor(a);
  if (!g) return 1;
  std::printf("entries %u, trie nodes %u, admin1 %u, admin2 %u, fuzzy names %zu, %.1f MB\n%.*s",
              g->size(), g->node_count(), g->admin1_count(), g->admin2_count(), g->fuzzy_name_count(),
              g->file_size() / 1e6, static_cast<int>(g->meta().size()), g->meta().data());
  return 0;
}

}  // namespace

CLI::App* AddGazetteerCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<GazetteerArgs>();
  CLI::App* cmd = app.add_subcommand("gazetteer", "Build, refresh and query the compiled gazetteer");
  cmd->require_subcommand(1);
  cmd->footer(
      "The gazetteer is one binary file (sitrep.gaz) that extraction memory-maps. It is compiled\n"
      "from GeoNames dumps (CC BY 4.0) and the curated tables in data/gazetteer/.\n\n"
      "Examples:\n"
      "  sitrep gazetteer build                       # from the vendored copy in data/gazetteer\n"
      "  sitrep gazetteer build --geonames ~/geonames -o /tmp/sitrep.gaz\n"
      "  sitrep gazetteer update                      # download the newest dumps, then build\n"
      "  sitrep gazetteer lookup Kupyansk Petrivka 'Kharkiv Oblast'\n"
      "  sitrep gazetteer lookup --fuzzy Dovvehnke");

  CLI::App* build = cmd->add_subcommand("build", "Compile the gazetteer file");
  build->add_option("--geonames", args->geonames,
                    "Directory with your own GeoNames dumps (UA.txt, RU.txt, BY.txt, cities500.txt, "
                    "admin1CodesASCII.txt, admin2Codes.txt; plain or .gz). Default: $SITREP_GEONAMES, "
                    "else the vendored copy in data/gazetteer. Missing files come from the vendored copy.");
  build->add_option("-o,--output", args->output, "Output file (default: sitrep.gaz beside the sitrep binary)");
  build->add_option("--data", args->data, "sitrep data directory (default: $SITREP_DATA, then the installed data)");
  build->add_option("--words", args->words, "English word list marking common-word names (Debian wamerican)")
      ->capture_default_str();
  build->add_flag("-q,--quiet", args->quiet, "No progress messages");
  build->footer(
      "Examples:\n"
      "  sitrep gazetteer build --quiet -o build/sitrep.gaz\n"
      "  SITREP_GEONAMES=~/geonames sitrep gazetteer build");
  build->callback([args, &exit_code] { exit_code = RunBuild(*args); });

  CLI::App* update = cmd->add_subcommand(
      "update", "Download the newest GeoNames dumps with curl, then build from them");
  update->add_option("--dir", args->dir,
                     "Where to keep the dumps (default: $SITREP_GEONAMES, else ~/.cache/sitrep/geonames)");
  update->add_option("-o,--output", args->output, "Output file (default: sitrep.gaz beside the sitrep binary)");
  update->add_option("--data", args->data, "sitrep data directory");
  update->add_flag("-q,--quiet", args->quiet, "No progress messages");
  update->footer(
      "Downloads, with the curl program (it must be installed and the network reachable):\n"
      "  https://download.geonames.org/export/dump/UA.zip\n"
      "  https://download.geonames.org/export/dump/RU.zip\n"
      "  https://download.geonames.org/export/dump/BY.zip\n"
      "  https://download.geonames.org/export/dump/cities500.zip\n"
      "  https://download.geonames.org/export/dump/admin1CodesASCII.txt\n"
      "  https://download.geonames.org/export/dump/admin2Codes.txt\n"
      "unzips them into --dir, then runs `sitrep gazetteer build --geonames DIR`. On any failure\n"
      "nothing is replaced. Example:\n"
      "  sitrep gazetteer update --dir ~/geonames -o build/sitrep.gaz");
  update->callback([args, &exit_code] { exit_code = RunUpdate(*args); });

  CLI::App* lookup = cmd->add_subcommand("lookup", "Print the gazetteer's candidates for names");
  lookup->add_option("names", args->names, "Names as written in text")->required();
  lookup->add_option("--gazetteer", args->gazetteer, "Gazetteer file (default: $SITREP_GAZETTEER, ...)");
  lookup->add_option("--limit", args->limit, "Candidates shown per name")->capture_default_str();
  lookup->add_flag("--fuzzy", args->fuzzy, "Also show fuzzy (skeleton distance 1) candidates");
  lookup->add_flag("-q,--quiet", args->quiet, "No timing message");
  lookup->footer(
      "Exit status 0 when every name has a candidate, 2 otherwise. Examples:\n"
      "  sitrep gazetteer lookup Kharkov Konstantinovka Костянтинівка\n"
      "  sitrep gazetteer lookup --fuzzy 'Kleban-Byka'");
  lookup->callback([args, &exit_code] { exit_code = RunLookup(*args); });

  CLI::App* info = cmd->add_subcommand("info", "Print the gazetteer file's size, counts and sources");
  info->add_option("--gazetteer", args->gazetteer, "Gazetteer file");
  info->add_flag("-q,--quiet", args->quiet, "No timing message");
  info->callback([args, &exit_code] { exit_code = RunInfo(*args); });
  return cmd;
}

}  // namespace sitrep
