// The output stage: writers that take finished Documents and write records (JSONL
// per ../shared/spec/schema.md, ACLED-style CSV, GeoJSON, SQLite). Each writer is a
// RecordSink, the way ripgrep's printers implement its Sink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "doc/stage.h"

namespace sitrep {

class AcledMap;
class ExtractedIndex;

// A sink is not thread-safe: the pipeline calls it from the one thread that
// writes results in input order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Writes one document and its events. An error names the output and the cause.
  virtual Result Write(const Document& doc) = 0;
  // A document the run did not extract again because its records are already where
  // they go (unchanged since: runner.h, RunOptions::unchanged); only its identity is
  // set. A database has nothing to do; a JSON Lines file with a previous version
  // (SinkOptions::previous) copies the document's lines from it; a stream carries only
  // what the run extracted. The default does nothing.
  virtual Result WriteUnchanged(const Document& doc) { return Result::Ok(); }
  // Makes what was written so far reach its reader: the runner calls it whenever it
  // has nothing more to write for now, so that a pipe's reader gets the records of the
  // documents done while the input stalls. The default does nothing (a database
  // commits by batches).
  virtual Result Flush() { return Result::Ok(); }
  // Flushes, closes, commits. Returns the first write error the sink met, so a
  // caller that checks only Finish still learns of a failed write. Call it once;
  // Write after Finish is an error.
  virtual Result Finish() = 0;
};

enum class OutputFormat : uint8_t { kJsonl, kCsv, kGeoJson, kSqlite };

std::string_view OutputFormatName(OutputFormat format);  // "jsonl", "csv", "geojson", "sqlite"
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
// Guesses from the extension: .jsonl/.ndjson, .csv, .geojson, .sqlite/.sqlite3/.db;
// nullopt for anything else (".json" is ambiguous between JSONL and GeoJSON).
std::optional<OutputFormat> OutputFormatFromPath(std::string_view path);

constexpr size_t kDefaultSqliteBatch = 256;

struct SinkOptions {
  OutputFormat format = OutputFormat::kJsonl;
  std::string path = "-";                     // "-" is stdout (not for SQLite)
  size_t sqlite_batch = kDefaultSqliteBatch;  // documents per transaction
  bool sqlite_store_text = true;              // documents.text holds the full text
  std::string acled_map;                      // "" = <data>/output/acled_map.tsv
  // JSON Lines: the previous version of the file (LoadJsonlIndex), from which
  // WriteUnchanged copies a document's lines. It must stay in place until Finish.
  std::shared_ptr<const ExtractedIndex> previous;
};

// Opens the sink options describe; on failure *sink is untouched.
Result OpenSink(const SinkOptions& options, std::unique_ptr<RecordSink>* sink);

// Stream writers over a FILE* the caller owns; Finish flushes it but leaves it open.
std::unique_ptr<RecordSink> MakeJsonlSink(std::FILE* out);
std::unique_ptr<RecordSink> MakeGeoJsonSink(std::FILE* out);
std::unique_ptr<RecordSink> MakeCsvSink(std::FILE* out, std::shared_ptr<const AcledMap> map);

// Writers that open (and own) a file; "-" is stdout. previous: as SinkOptions::previous.
Result OpenJsonlSink(const std::string& path, std::unique_ptr<RecordSink>* sink,
                     std::shared_ptr<const ExtractedIndex> previous = nullptr);
Result OpenGeoJsonSink(const std::string& path, std::unique_ptr<RecordSink>* sink);
// map_path "" loads <data>/output/acled_map.tsv.
Result OpenCsvSink(const std::string& path, const std::string& map_path,
                   std::unique_ptr<RecordSink>* sink);

struct SqliteOptions {
  size_t batch = kDefaultSqliteBatch;  // documents per transaction (0 is taken as 1)
  bool store_text = true;
  bool create = true;  // false: the file must exist
};
// Creates or opens the database at path (tables, indexes, meta) and prepares the
// statements. Documents already in it are replaced by doc_id.
Result OpenSqliteSink(const std::string& path, const SqliteOptions& options,
                      std::unique_ptr<RecordSink>* sink);

// Writes every document to each sink in turn; Finish finishes them all. Returns the
// first error, after giving every sink the document.
std::unique_ptr<RecordSink> MakeTeeSink(std::vector<std::unique_ptr<RecordSink>> sinks);

}  // namespace sitrep
