#include "output/record_sink.h"

#include <array>
#include <utility>

namespace sitrep {
namespace {

constexpr std::array<std::string_view, 4> kFormatNames = {"jsonl", "csv", "geojson", "sqlite"};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class TeeSink : public RecordSink {
 public:
  explicit TeeSink(std::vector<std::unique_ptr<RecordSink>> sinks) : sinks_(std::move(sinks)) {}

  Result Write(const Document& doc) override {
    Result first;
    for (const auto& sink : sinks_) {
      Result r = sink->Write(doc);
      if (first.ok() && !r.ok()) first = std::move(r);
    }
    return first;
  }

  Result WriteUnchanged(const Document& doc) override {
    Result first;
    for (const auto& sink : sinks_) {
      Result r = sink->WriteUnchanged(doc);
      if (first.ok() && !r.ok()) first = std::move(r);
    }
    return first;
  }

  Result Flush() override {
    Result first;
    for (const auto& sink : sinks_) {
      Result r = sink->Flush();
      if (first.ok() && !r.ok()) first = std::move(r);
    }
    return first;
  }

  Result Finish() override {
    Result first;
    for (const auto& sink : sinks_) {
      Result r = sink->Finish();
      if (first.ok() && !r.ok()) first = std::move(r);
    }
    return first;
  }

 private:
  std::vector<std::unique_ptr<RecordSink>> sinks_;
};

}  // namespace

std::string_view OutputFormatName(OutputFormat format) {
  return kFormatNames[static_cast<size_t>(format)];
}

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  for (size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames[i] == name) return static_cast<OutputFormat>(i);
  }
  if (name == "ndjson") return OutputFormat::kJsonl;
  if (name == "sqlite3" || name == "db") return OutputFormat::kSqlite;
  return std::nullopt;
}

std::optional<OutputFormat> OutputFormatFromPath(std::string_view path) {
  if (EndsWith(path, ".jsonl") || EndsWith(path, ".ndjson")) return OutputFormat::kJsonl;
  if (EndsWith(path, ".csv")) return OutputFormat::kCsv;
  if (EndsWith(path, ".geojson")) return OutputFormat::kGeoJson;
  if (EndsWith(path, ".sqlite") || EndsWith(path, ".sqlite3") || EndsWith(path, ".db")) {
    return OutputFormat::kSqlite;
  }
  return std::nullopt;
}

Result OpenSink(const SinkOptions& options, std::unique_ptr<RecordSink>* sink) {
  switch (options.format) {
    case OutputFormat::kJsonl: return OpenJsonlSink(options.path, sink, options.previous);
    case OutputFormat::kCsv: return OpenCsvSink(options.path, options.acled_map, sink);
    case OutputFormat::kGeoJson: return OpenGeoJsonSink(options.path, sink);
    case OutputFormat::kSqlite: {
      SqliteOptions sqlite;
      sqlite.batch = options.sqlite_batch;
      sqlite.store_text = options.sqlite_store_text;
      return OpenSqliteSink(options.path, sqlite, sink);
    }
  }
  return Result::Error("unknown output format");
}

std::unique_ptr<RecordSink> MakeTeeSink(std::vector<std::unique_ptr<RecordSink>> sinks) {
  return std::make_unique<TeeSink>(std::move(sinks));
}

}  // namespace sitrep
