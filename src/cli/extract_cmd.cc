#include "cli/extract_cmd.h"

#include "cli/export_cmd.h"
#include "cli/fuse_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>

#include "output/extracted_index.h"
#include "output/output_file.h"
#include "output/pg_export.h"
#include "output/record_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/runner.h"
#include "read/reader.h"
#include "serve/sql_source.h"

namespace sitrep {
namespace {

// Remembers the ids of the documents written.
class DocIdSink final : public RecordSink {
 public:
  explicit DocIdSink(std::shared_ptr<std::vector<std::string>> ids) : ids_(std::move(ids)) {}
  Result Write(const Document& doc) override {
    ids_->push_back(doc.doc_id);
    return Result::Ok();
  }
  Result Finish() override { return Result::Ok(); }

 private:
  std::shared_ptr<std::vector<std::string>> ids_;
};

constexpr size_t kSummaryTopPlaces = 5;

std::string TempName(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

void PrintSummary(const RunStats& stats, const ReadStats& read, const std::vector<std::string>& wrote) {
  const double mbs = stats.seconds > 0 ? stats.bytes / stats.seconds / 1e6 : 0;
  std::fprintf(stderr, "sitrep: %llu documents in %.2f s (%.1f MB/s)",
               static_cast<unsigned long long>(stats.documents), stats.seconds, mbs);
  if (stats.unchanged > 0)
    std::fprintf(stderr, ", %llu unchanged, skipped", static_cast<unsigned long long>(stats.unchanged));
  if (read.errors + stats.failed > 0)
    std::fprintf(stderr, ", %llu skipped with errors",
                 static_cast<unsigned long long>(read.errors + stats.failed));
  std::fprintf(stderr, "\n");
  std::vector<std::pair<uint64_t, std::string>> types;
  for (const auto& [type, n] : stats.events_by_type) types.emplace_back(n, type);
  std::sort(types.rbegin(), types.rend());
  std::fprintf(stderr, "  events: %llu", static_cast<unsigned long long>(stats.events));
  for (size_t i = 0; i < types.size(); ++i)
    std::fprintf(stderr, "%s%s %llu", i == 0 ? " (" : ", ", types[i].second.c_str(),
                 static_cast<unsigned long long>(types[i].first));
  std::fprintf(stderr, "%s\n", types.empty() ? "" : ")");
  std::vector<std::pair<uint64_t, std::string>> places;
  for (const auto& [name, n] : stats.places_by_name) places.emplace_back(n, name);
  std::sort(places.rbegin(), places.rend());
  std::fprintf(stderr, "  places: %llu mentions", static_cast<unsigned long long>(stats.places));
  for (size_t i = 0; i < places.size() && i < kSummaryTopPlaces; ++i)
    std::fprintf(stderr, "%s%s %llu", i == 0 ? "; most named: " : ", ", places[i].second.c_str(),
                 static_cast<unsigned long long>(places[i].first));
  std::fprintf(stderr, "\n");
  for (const std::string& w : wrote) std::fprintf(stderr, "  wrote %s\n", w.c_str());
}

int Extract(const ExtractArgs& args, std::shared_ptr<ExtractedIndex> db_index, uint64_t* written_to_db);

// --db postgresql://...: the records go to a temporary SQLite file, as for --db FILE,
// which is then exported (sitrep export) and removed. The documents PostgreSQL holds
// unchanged are skipped as a file's are (unless --force), so the file holds only what
// changed; nothing changed, nothing is exported.
int ExtractToPostgres(const ExtractArgs& args) {
  std::shared_ptr<ExtractedIndex> index;
  if (!args.force) {
    index = std::make_shared<ExtractedIndex>();
    if (Result r = LoadPostgresIndex(args.db, index.get()); !r.ok()) {
      std::fprintf(stderr, "sitrep extract: %s\n", r.message().c_str());
      return 1;
    }
  }
  ExtractArgs local = args;
  const char* tmp = std::getenv("TMPDIR");
  std::string name = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sitrep-extract-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    std::fprintf(stderr, "sitrep extract: cannot create a temporary database in %s\n", name.c_str());
    return 1;
  }
  ::close(fd);
  local.db = name;
  uint64_t written = 0;
  int status = Extract(local, index, &written);
  if (status == 0 && written == 0 && !args.quiet) {
    std::fprintf(stderr, "sitrep extract: nothing new for %s\n", RedactPostgresUrl(args.db).c_str());
  }
  if (status == 0 && written > 0) {
    ExportArgs out;
    out.input = local.db;
    out.db = args.db;
    out.data_dir = args.data_dir;
    out.quiet = args.quiet;
    status = RunExport(out);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((name + suffix).c_str());
  return status;
}

// The run itself. db_index: what the database holds already (read by the caller), or
// nullptr to read it from args.db; *written_to_db: the documents written to args.db.
int Extract(const ExtractArgs& args, std::shared_ptr<ExtractedIndex> db_index, uint64_t* written_to_db) {
  OutputFormat format = OutputFormat::kJsonl;
  if (!args.format.empty()) {
    auto f = ParseOutputFormat(args.format);
    if (!f || *f == OutputFormat::kSqlite) {
      std::fprintf(stderr, "sitrep extract: unknown --format '%s' (jsonl, csv, geojson)\n",
                   args.format.c_str());
      return 2;
    }
    format = *f;
  } else if (args.output != "-") {
    if (auto f = OutputFormatFromPath(args.output); f && *f != OutputFormat::kSqlite) format = *f;
  }

  std::string error;
  PipelineOptions popts;
  popts.data_dir = args.data_dir;
  popts.gazetteer_path = args.gazetteer;
  auto pipeline = Pipeline::Load(popts, &error);
  if (!pipeline) {
    std::fprintf(stderr, "sitrep extract: %s\n", error.c_str());
    return 1;
  }

  // Output folders are made as needed ("-o out/events.jsonl" on a fresh checkout).
  for (const std::string& path : {args.output, args.db}) {
    if (path.empty() || path == "-") continue;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      std::fprintf(stderr, "sitrep extract: cannot create %s: %s\n", parent.c_str(), ec.message().c_str());
      return 1;
    }
  }
  // Files are written under a temporary name and renamed when complete, so a failed
  // run never leaves a truncated file where a good one was.
  if (args.fuse && format != OutputFormat::kJsonl) {
    std::fprintf(stderr, "sitrep extract: --fuse needs JSON Lines output\n");
    return 2;
  }
  // With --fuse the records go to a temporary file that `fuse` then reads.
  // "-", /dev/null or a pipe is written in place (a rename would replace the device).
  const bool in_place = WritesInPlace(args.output);

  // Incremental runs: a document whose records are stored already, extracted from the same
  // content with the same data version, is not extracted again — when every output can
  // do without: the database keeps its rows, a JSON Lines file gets the document's lines
  // copied from its previous version, a stream carries only what this run extracts. A
  // CSV or GeoJSON file, or a fused output, cannot: everything is extracted then.
  std::shared_ptr<ExtractedIndex> file_index;
  bool skipping = false;
  if (!args.force && (!args.db.empty() || args.incremental)) {
    const bool whole_file = args.fuse || (!in_place && format != OutputFormat::kJsonl);
    if (args.incremental && args.db.empty() && (in_place || whole_file)) {
      std::fprintf(stderr, "sitrep extract: --incremental needs a JSON Lines output file (-o FILE.jsonl, "
                           "without --fuse) or --db\n");
      return 2;
    }
    if (whole_file) {
      if (!args.quiet) {
        std::fprintf(stderr, "sitrep extract: every document extracted again: %s\n",
                     args.fuse ? "--fuse makes its output from all of them"
                               : "only a JSON Lines output file can be kept whole by copying");
      }
    } else {
      skipping = true;
      if (!db_index && !args.db.empty()) {
        db_index = std::make_shared<ExtractedIndex>();
        if (Result r = LoadSqliteIndex(args.db, db_index.get()); !r.ok()) {
          std::fprintf(stderr, "sitrep extract: %s\n", r.message().c_str());
          return 1;
        }
      }
      if (!in_place) {
        file_index = std::make_shared<ExtractedIndex>();
        if (Result r = LoadJsonlIndex(args.output, file_index.get()); !r.ok() && !args.quiet) {
          std::fprintf(stderr, "sitrep extract: %s; every document written again\n", r.message().c_str());
        }
      }
    }
  }
  const bool to_file = !in_place || args.fuse;
  const std::string temp =
      args.fuse ? TempName(in_place ? "/tmp/sitrep-extract.jsonl" : args.output) + ".extract"
      : to_file ? TempName(args.output)
                : args.output;
  std::vector<std::unique_ptr<RecordSink>> sinks;
  SinkOptions sopts;
  sopts.format = format;
  sopts.path = temp;
  if (skipping) sopts.previous = file_index;
  std::unique_ptr<RecordSink> main_sink;
  if (Result r = OpenSink(sopts, &main_sink); !r.ok()) {
    std::fprintf(stderr, "sitrep extract: %s\n", r.message().c_str());
    return 1;
  }
  sinks.push_back(std::move(main_sink));
  if (!args.db.empty()) {
    std::unique_ptr<RecordSink> db;
    if (Result r = OpenSqliteSink(args.db, SqliteOptions{}, &db); !r.ok()) {
      std::fprintf(stderr, "sitrep extract: %s\n", r.message().c_str());
      if (to_file) std::remove(temp.c_str());
      return 1;
    }
    sinks.push_back(std::move(db));
  }
  // The documents this run writes to the database: fusion then revisits only what they touch.
  auto written = std::make_shared<std::vector<std::string>>();
  if (!args.db.empty()) sinks.push_back(std::make_unique<DocIdSink>(written));
  auto sink = MakeTeeSink(std::move(sinks));

  DocumentReader reader(args.inputs);
  auto report = [](const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); };
  // Reading stdin alone, as a filter does (Spark's RDD.pipe gives an empty partition an
  // empty stdin): a stdin of nothing but white space is nothing to do, not an error.
  const bool stdin_only = std::all_of(args.inputs.begin(), args.inputs.end(),
                                      [](const std::string& in) { return in == "-"; });
  bool blank_stdin = false;
  reader.SetErrorHandler([&](const std::string& message) {
    if (stdin_only && message == "-: empty document") {
      blank_stdin = true;
      return;
    }
    report(message);
  });
  RunOptions ropts;
  ropts.threads = args.jobs;
  ropts.progress = !args.quiet && (args.progress == "always" ||
                                   (args.progress == "auto" && ::isatty(STDERR_FILENO)));
  if (skipping) {
    ropts.unchanged = [&](const Document& doc) {
      // Every index is asked (each remembers the doc_ids asked for).
      bool same = true;
      if (db_index) same &= db_index->Claim(doc.doc_id, doc.content_hash, doc.data_version);
      if (file_index) same &= file_index->Claim(doc.doc_id, doc.content_hash, doc.data_version);
      return same;
    };
  }
  RunStats stats = RunExtraction(reader, *pipeline, *sink, ropts, report);
  Result finished = sink->Finish();
  Result output = stats.output.ok() ? finished : stats.output;
  if (!output.ok()) {
    std::fprintf(stderr, "sitrep extract: cannot write output: %s\n", output.message().c_str());
    if (to_file) std::remove(temp.c_str());
    return 1;
  }
  if (args.fuse) {
    FuseArgs fuse;
    fuse.inputs = {temp};
    fuse.output = args.output;
    fuse.data_dir = args.data_dir;
    fuse.quiet = args.quiet;
    const int status = RunFuse(fuse);
    std::remove(temp.c_str());
    if (status != 0) return status;
  } else if (to_file && std::rename(temp.c_str(), args.output.c_str()) != 0) {
    std::fprintf(stderr, "sitrep extract: cannot rename %s to %s\n", temp.c_str(),
                 args.output.c_str());
    return 1;
  }
  if (written_to_db != nullptr) *written_to_db = written->size();
  // A database is fused whenever it is written: its clusters and control follow its
  // events. Nothing written (every document unchanged), nothing to fuse again.
  if (!args.db.empty() && !written->empty()) {
    FuseArgs fuse;
    fuse.db = args.db;
    fuse.touched = written.get();
    fuse.data_dir = args.data_dir;
    fuse.quiet = args.quiet;
    if (const int status = RunFuse(fuse); status != 0) return status;
  }
  std::vector<std::string> wrote;
  if (args.output != "-") wrote.push_back(args.output);
  if (!args.db.empty()) wrote.push_back(args.db);
  if (!args.quiet) {
    ReadStats read = reader.stats();
    if (blank_stdin) --read.errors;  // not reported
    PrintSummary(stats, read, wrote);
  }
  if (stats.documents == 0 && stats.unchanged == 0 && !blank_stdin &&
      (reader.stats().errors > 0 || stats.failed > 0 || reader.stats().documents == 0)) {
    std::fprintf(stderr, "sitrep extract: no document could be read\n");
    return 1;
  }
  return 0;
}

}  // namespace

int RunExtract(const ExtractArgs& args) {
  if (IsPostgresUrl(args.db)) return ExtractToPostgres(args);
  return Extract(args, nullptr, nullptr);
}

CLI::App* AddExtractCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand(
      "extract", "Read articles and write their events, places, dates and sources");
  cmd->footer(
      "Inputs: files, directories (read recursively) and - for stdin; .txt, .html/.htm,\n"
      ".jsonl (fields id, text, optional title, published, url), .warc (each HTML or text\n"
      "response a document), and their .gz and .zst forms.\n\n"
      "Examples:\n"
      "  sitrep extract examples/ -o out/events.jsonl --db out/sitrep.db\n"
      "  sitrep extract corpus.jsonl.gz --format csv -o events.csv -j 2\n"
      "  cat article.txt | sitrep extract - > records.jsonl\n"
      "  sitrep extract site/ --format geojson -o events.geojson\n"
      "  sitrep extract corpus/ --fuse -o out/fused.jsonl\n"
      "  sitrep extract corpus/ --db postgresql://ann@db.example/sitrep\n"
      "  sitrep extract corpus/ -o out/events.jsonl --incremental\n"
      "  producer | sitrep extract - -q | consumer    # a filter: JSONL in, records out\n\n"
      "Re-runs: a document the database (--db) already holds, extracted from the same\n"
      "text, title, date and URL with the same data version (data/, gazetteer, sitrep\n"
      "version), is skipped; its records in -o FILE.jsonl are copied from the file's\n"
      "previous version. --force extracts everything again.");
  cmd->add_option("inputs", args->inputs, "Files, directories or - (stdin)")->required();
  cmd->add_option("-o,--output", args->output, "Output file (- = stdout)")->capture_default_str();
  cmd->add_option("--format", args->format,
                  "jsonl | csv | geojson (default: from the output's extension, else jsonl)");
  cmd->add_option("--db", args->db,
                  "Also write the records to this SQLite database, or to PostgreSQL "
                  "(postgresql://user@host/dbname, as `sitrep export`)");
  cmd->add_option("-j,--jobs", args->jobs, "Worker threads (default: every core)");
  cmd->add_option("--progress", args->progress, "auto | always | never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line and no summary");
  cmd->add_flag("--force", args->force,
                "Extract every document again, also those stored unchanged (--db, --incremental)");
  cmd->add_flag("--incremental", args->incremental,
                "Keep -o FILE.jsonl's records of the documents unchanged since (same content, "
                "same data version) instead of extracting them again (implied by --db)");
  cmd->add_flag("--fuse", args->fuse,
                "Also fuse the records (clusters, control; as `sitrep fuse`); JSON Lines only");
  cmd->add_option("--data", args->data_dir, "sitrep's data directory (default: found)");
  cmd->add_option("--gazetteer", args->gazetteer, "Compiled gazetteer file (default: found)");
  cmd->callback([args, &exit_code] { exit_code = RunExtract(*args); });
  return cmd;
}

}  // namespace sitrep
