#include "cli/fuse_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "base/civil_date.h"
#include "base/paths.h"
#include "fusion/fuser.h"
#include "output/fusion_records.h"
#include "output/json_writer.h"
#include "output/output_file.h"
#include "output/fusion_stream.h"
#include "output/sqlite_fusion.h"
#include "read/input_stream.h"

namespace sitrep {
namespace {

std::string TempName(const std::string& path) { return path + ".tmp-" + std::to_string(::getpid()); }

// Standard input is read twice (reports, then the records to pass on): spool it.
bool Spool(const std::string& input, std::string* path, std::string* error) {
  if (input != "-") {
    *path = input;
    return true;
  }
  char name[] = "/tmp/sitrep-fuse-XXXXXX";
  const int fd = ::mkstemp(name);
  if (fd < 0) {
    *error = "cannot create a temporary file for standard input";
    return false;
  }
  std::FILE* f = ::fdopen(fd, "wb");
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    if (std::fwrite(buf, 1, n, f) != n) {
      std::fclose(f);
      *error = "cannot spool standard input";
      return false;
    }
  }
  std::fclose(f);
  *path = name;
  return true;
}

}  // namespace

int RunFuse(const FuseArgs& args) {
  const std::string data = args.data_dir.empty() ? DataDir() : args.data_dir;
  std::string error;
  auto fuser = Fuser::Load(data, &error);
  if (!fuser) {
    std::fprintf(stderr, "sitrep fuse: %s\n", error.c_str());
    return 1;
  }
  if (!args.db.empty()) {
    if (!args.inputs.empty()) {
      std::fprintf(stderr, "sitrep fuse: give JSON Lines inputs or --db, not both\n");
      return 2;
    }
    DatabaseFusion summary;
    const auto weights = SignalWeights::Load(data, &error);
    if (!weights) {
      std::fprintf(stderr, "sitrep fuse: %s\n", error.c_str());
      return 1;
    }
    if (Result r = FuseDatabase(args.db, *fuser, *weights, args.touched, &summary); !r.ok()) {
      std::fprintf(stderr, "sitrep fuse: %s\n", r.message().c_str());
      return 1;
    }
    if (!args.quiet)
      std::fprintf(stderr,
                   "sitrep fuse: %zu events from %zu documents fused in %zu clusters (%zu with 2+ "
                   "independent sources; %zu contradicting); %zu control records, in %s\n",
                   summary.events, summary.documents, summary.clusters, summary.corroborated,
                   summary.contradicting, summary.control, args.db.c_str());
    return 0;
  }
  if (args.inputs.empty()) {
    std::fprintf(stderr, "sitrep fuse: no input (JSON Lines files, - for stdin, or --db FILE)\n");
    return 2;
  }
  std::vector<std::string> paths;
  std::vector<std::string> spooled;
  for (const std::string& in : args.inputs) {
    std::string path;
    if (!Spool(in, &path, &error)) {
      std::fprintf(stderr, "sitrep fuse: %s\n", error.c_str());
      return 1;
    }
    if (path != in) spooled.push_back(path);
    paths.push_back(path);
  }
  auto cleanup = [&] {
    for (const std::string& p : spooled) std::remove(p.c_str());
  };
  const auto weights = SignalWeights::Load(data, &error);
  if (!weights) {
    std::fprintf(stderr, "sitrep fuse: %s\n", error.c_str());
    cleanup();
    return 1;
  }
  const bool to_file = !WritesInPlace(args.output);
  const std::string temp = to_file ? TempName(args.output) : args.output;
  std::unique_ptr<OutputFile> out;
  if (Result r = OutputFile::Open(temp, &out); !r.ok()) {
    std::fprintf(stderr, "sitrep fuse: %s\n", r.message().c_str());
    cleanup();
    return 1;
  }
  // A window of days at a time, so that memory stays that of a window
  // (output/fusion_stream.h).
  StreamFusionOptions options;
  if (args.window_days > 0) options.window_days = args.window_days;
  StreamFusionSummary summary;
  std::vector<std::string> warnings;
  const bool ok = FuseStream(paths, *fuser, *weights, options, out.get(), &warnings, &summary, &error);
  for (std::string w : warnings) {
    // Standard input was spooled to a file: name it as the user gave it.
    for (const std::string& sp : spooled) {
      if (w.starts_with(sp + ":")) w = "-" + w.substr(sp.size());
    }
    std::fprintf(stderr, "sitrep fuse: %s\n", w.c_str());
  }
  const Result closed = out->Close();
  cleanup();
  if (!ok || !closed.ok()) {
    std::fprintf(stderr, "sitrep fuse: %s\n", !ok ? error.c_str() : closed.message().c_str());
    if (to_file) std::remove(temp.c_str());
    return 1;
  }
  if (to_file && std::rename(temp.c_str(), args.output.c_str()) != 0) {
    std::fprintf(stderr, "sitrep fuse: cannot rename %s to %s\n", temp.c_str(), args.output.c_str());
    return 1;
  }
  if (!args.quiet) {
    std::fprintf(stderr,
                 "sitrep fuse: %zu events from %zu documents in %zu clusters (%zu with 2+ independent "
                 "sources, at most %zu; %zu contradicting); %zu near-duplicate groups; %zu control records\n",
                 summary.events, summary.documents, summary.clusters, summary.corroborated, summary.max_sources,
                 summary.contradicting, summary.near_duplicate_groups, summary.control);
  }
  return 0;
}

int RunControl(const ControlArgs& args) {
  const auto date = ParseIsoDate(args.date);
  if (!date) {
    std::fprintf(stderr, "sitrep control: --date needs YYYY-MM-DD, not '%s'\n", args.date.c_str());
    return 2;
  }
  const int64_t day = DaysFromCivil(*date);
  const std::string data = args.data_dir.empty() ? DataDir() : args.data_dir;
  std::string error;
  auto fuser = Fuser::Load(data, &error);
  if (!fuser) {
    std::fprintf(stderr, "sitrep control: %s\n", error.c_str());
    return 1;
  }
  FusionInput in;
  std::vector<std::string> warnings;
  if (args.inputs.empty() == args.db.empty()) {
    std::fprintf(stderr, "sitrep control: give JSON Lines inputs or --db FILE\n");
    return 2;
  }
  if (!args.db.empty()) {
    if (Result r = ReadDatabase(args.db, &in); !r.ok()) {
      std::fprintf(stderr, "sitrep control: %s\n", r.message().c_str());
      return 1;
    }
  }
  for (const std::string& p : args.inputs) {
    std::string path;
    if (!Spool(p, &path, &error) || !ReadRecords(path, &in, &warnings, &error)) {
      std::fprintf(stderr, "sitrep control: %s\n", error.c_str());
      return 1;
    }
    if (path != p) std::remove(path.c_str());
  }
  const FusionResult result = fuser->Fuse(in);
  // The last change on or before the day, per settlement.
  std::map<std::string, const ControlChange*> held;
  for (const ControlChange& k : result.control) {
    if (k.from > day) continue;
    if (!args.place.empty() && k.name.rfind(args.place, 0) != 0) continue;
    const ControlChange*& cur = held[k.place_id];
    if (cur == nullptr || k.from >= cur->from) cur = &k;
  }
  std::vector<const ControlChange*> rows;
  for (const auto& [id, k] : held) rows.push_back(k);
  std::sort(rows.begin(), rows.end(), [](const ControlChange* a, const ControlChange* b) {
    return a->admin1 != b->admin1 ? a->admin1 < b->admin1 : a->name < b->name;
  });
  std::string out;
  if (args.json) {
    for (const ControlChange* k : rows) {
      const size_t index = static_cast<size_t>(k - result.control.data());
      AppendControlRecord(out, result, *k, index);
    }
  } else {
    out += "who held what on " + args.date + " (by the record)\n";
    char line[512];
    std::snprintf(line, sizeof line, "%-28s %-22s %-5s %-11s %-9s %s\n", "settlement", "oblast", "side", "since",
                  "contested", "basis");
    out += line;
    for (const ControlChange* k : rows) {
      std::string basis;
      if (k->background) {
        basis = "background (data/control/background.tsv)";
      } else {
        for (const ControlBasis& b : k->basis) {
          const Cluster& c = result.clusters[b.cluster];
          if (!basis.empty()) basis += ", ";
          basis += c.id + " " + std::string(Name(c.type)) + " " + std::string(Name(c.status)) + " (" +
                   std::to_string(c.sources.size()) + " src)";
        }
      }
      std::snprintf(line, sizeof line, "%-28s %-22s %-5s %-11s %-9s ", k->name.c_str(),
                    k->admin1.empty() ? "-" : k->admin1.c_str(), std::string(Name(k->side)).c_str(),
                    FormatIsoDate(CivilFromDays(k->from)).c_str(), k->contested ? "yes" : "no");
      out += line + basis + "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

CLI::App* AddFuseCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FuseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fuse", "Cluster the events of many articles: one event, many reports, independent sources, "
              "contradictions, territorial control");
  cmd->add_option("inputs", args->inputs, "JSON Lines records of `sitrep extract` (\"-\" for stdin)");
  cmd->add_option("-o,--output", args->output, "Where to write the records (default: stdout)");
  cmd->add_option("--db", args->db,
                  "Fuse the events of this SQLite database (from `extract --db`) in place: tables "
                  "clusters, cluster_members, control");
  cmd->add_option("--data", args->data_dir, "sitrep's data/ directory");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->add_option("--window-days", args->window_days,
                  "Fuse this many days at a time (default 28): memory is that of a window");
  cmd->footer(
      "Writes the input records again (each event with its \"cluster\", each document with the\n"
      "fused credibility signals) and one `cluster` record per cluster, a window of days at a\n"
      "time in time order, then one `control` record per change of hands\n"
      "(docs/schema-extensions.md).\n"
      "Examples:\n"
      "  sitrep extract articles/ -o out/events.jsonl && sitrep fuse out/events.jsonl -o out/fused.jsonl\n"
      "  sitrep fuse --db out/sitrep.db   (extract --db does it by itself)");
  cmd->callback([args, &exit_code] { exit_code = RunFuse(*args); });
  return cmd;
}

CLI::App* AddControlCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ControlArgs>();
  CLI::App* cmd = app.add_subcommand("control", "Who held which settlement on a day, by the record");
  cmd->add_option("inputs", args->inputs, "JSON Lines records of `sitrep extract` or `sitrep fuse`");
  cmd->add_option("--db", args->db, "Or the events of this SQLite database");
  cmd->add_option("--date", args->date, "The day, YYYY-MM-DD")->required();
  cmd->add_option("--place", args->place, "Only settlements whose name starts with this");
  cmd->add_flag("--json", args->json, "control records as JSON Lines instead of a table");
  cmd->add_option("--data", args->data_dir, "sitrep's data/ directory");
  cmd->footer(
      "Examples:\n"
      "  sitrep control --date 2022-04-02 out/events.jsonl\n"
      "  sitrep control --date 2022-04-02 --db out/sitrep.db --place Kup");
  cmd->callback([args, &exit_code] { exit_code = RunControl(*args); });
  return cmd;
}

}  // namespace sitrep
