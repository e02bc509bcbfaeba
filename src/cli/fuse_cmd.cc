#include "cli/fuse_cmd.h"

#include <simdjson.h>
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
#include "output/sqlite_fusion.h"
#include "read/input_stream.h"

namespace sitrep {
namespace {

constexpr size_t kMaxRecordLine = 64u << 20;

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

// Adds "cluster": id to an event record.
std::string WithCluster(std::string_view line, const std::string& cluster) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\n')) line.remove_suffix(1);
  std::string out(line.substr(0, line.size() - 1));
  out += ",\"cluster\":";
  AppendJsonString(out, cluster);
  out += "}\n";
  return out;
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
  FusionInput in;
  std::vector<std::string> warnings;
  for (const std::string& p : paths) {
    if (!ReadRecords(p, &in, &warnings, &error)) {
      std::fprintf(stderr, "sitrep fuse: %s\n", error.c_str());
      cleanup();
      return 1;
    }
  }
  for (const std::string& w : warnings) std::fprintf(stderr, "sitrep fuse: %s\n", w.c_str());
  const FusionResult result = fuser->Fuse(in);

  const bool to_file = args.output != "-";
  const std::string temp = to_file ? TempName(args.output) : "-";
  std::unique_ptr<OutputFile> out;
  if (Result r = OutputFile::Open(temp, &out); !r.ok()) {
    std::fprintf(stderr, "sitrep fuse: %s\n", r.message().c_str());
    cleanup();
    return 1;
  }
  std::unordered_map<std::string_view, uint32_t> report_of;
  for (uint32_t i = 0; i < in.reports.size(); ++i) report_of.emplace(in.reports[i].id, i);
  std::unordered_map<std::string_view, uint32_t> doc_of;
  for (uint32_t i = 0; i < in.docs.size(); ++i) doc_of.emplace(in.docs[i].doc_id, i);
  const auto weights = SignalWeights::Load(data, &error);
  if (!weights) {
    std::fprintf(stderr, "sitrep fuse: %s\n", error.c_str());
    cleanup();
    return 1;
  }
  simdjson::dom::parser parser;
  bool ok = true;
  // Pass 2: the input records again, each event with its cluster, each document with
  // the fused credibility; earlier fusion records are replaced.
  for (const std::string& p : paths) {
    InputStream stream;
    if (!stream.Open(p, &error)) {
      std::fprintf(stderr, "sitrep fuse: %s: %s\n", p.c_str(), error.c_str());
      ok = false;
      break;
    }
    LineReader lines(kMaxRecordLine);
    lines.Reset(&stream);
    std::string_view line;
    for (;;) {
      const LineReader::Status st = lines.Next(&line);
      if (st == LineReader::Status::kEnd || st == LineReader::Status::kError) break;
      if (st == LineReader::Status::kTooLong) continue;
      simdjson::dom::element root;
      simdjson::dom::object o;
      if (parser.parse(line.data(), line.size(), false).get(root) != simdjson::SUCCESS ||
          root.get(o) != simdjson::SUCCESS)
        continue;  // reported in pass 1
      std::string_view kind, id;
      if (o["kind"].get(kind) != simdjson::SUCCESS) kind = "";
      std::string rec;
      if (kind == "cluster" || kind == "control") continue;
      if (kind == "event" && o["id"].get(id) == simdjson::SUCCESS && report_of.count(id)) {
        rec = WithCluster(line, result.clusters[result.cluster_of[report_of[id]]].id);
      } else if (kind == "document" && o["doc_id"].get(id) == simdjson::SUCCESS && doc_of.count(id)) {
        rec = RewriteDocumentRecord(o, result.docs[doc_of[id]], *weights, nullptr);
      } else {
        rec = std::string(line) + "\n";
      }
      if (Result r = out->Write(rec); !r.ok()) {
        ok = false;
        break;
      }
    }
  }
  std::string buf;
  for (const Cluster& c : result.clusters) {
    AppendClusterRecord(buf, in, result, c);
    if (buf.size() > (1u << 20)) {
      ok = ok && out->Write(buf).ok();
      buf.clear();
    }
  }
  for (size_t k = 0; k < result.control.size(); ++k) AppendControlRecord(buf, result, result.control[k], k);
  ok = ok && out->Write(buf).ok();
  if (Result r = out->Close(); !r.ok() || !ok) {
    std::fprintf(stderr, "sitrep fuse: %s\n", r.ok() ? "cannot write the output" : r.message().c_str());
    if (to_file) std::remove(temp.c_str());
    cleanup();
    return 1;
  }
  cleanup();
  if (to_file && std::rename(temp.c_str(), args.output.c_str()) != 0) {
    std::fprintf(stderr, "sitrep fuse: cannot rename %s to %s\n", temp.c_str(), args.output.c_str());
    return 1;
  }
  if (!args.quiet) {
    size_t multi = 0, contradicting = 0, max_sources = 0;
    for (const Cluster& c : result.clusters) {
      multi += c.members.size() >= 2 && c.sources.size() >= 2;
      contradicting += !c.contradicts.empty();
      max_sources = std::max(max_sources, c.sources.size());
    }
    std::fprintf(stderr,
                 "sitrep fuse: %zu events from %zu documents in %zu clusters (%zu with 2+ independent "
                 "sources, at most %zu; %zu contradicting); %zu near-duplicate groups; %zu control records\n",
                 in.reports.size(), in.docs.size(), result.clusters.size(), multi, max_sources, contradicting,
                 result.near_duplicates.size(), result.control.size());
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
  cmd->footer(
      "Writes the input records again (each event with its \"cluster\", each document with the\n"
      "fused credibility signals), then one `cluster` record per cluster and one `control`\n"
      "record per change of hands (docs/schema-extensions.md).\n"
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
