// The input of fusion: what `sitrep extract` wrote, read back from its JSON Lines
// records into compact reports (one per event record) and documents. Only what
// fusion needs is kept — ids, type, side, the most specific place, the dates, the
// claimant, the status and the counts — so a decade of events fits in memory where
// the articles never would.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "doc/types.h"

namespace sitrep {

struct DocInfo {
  std::string doc_id;
  std::optional<int64_t> published;  // day number (base/civil_date.h)
  std::optional<std::array<uint8_t, 64>> fingerprint;  // fusion/fingerprint.h
  std::string outlet;                // the url's host ("www.reuters.com" -> "reuters.com"), or ""
  uint32_t dup_group = 0;            // near-duplicate group: index of its first document
};

// Larger than a country like Ukraine: a continent, a vast region ("Eastern Europe").
constexpr float kVastRadiusKm = 600;

struct ReportPlace {
  std::string name;
  std::string id;      // "geonames:703656", or ""
  std::string admin1;  // "Kharkiv Oblast", or ""
  std::string country;
  PlaceFeature feature = PlaceFeature::kSettlement;
  double lat = 0;
  double lon = 0;
  float radius_km = 25;
  bool inferred = false;
};

struct ReportQuantity {
  Unit unit = Unit::kNone;
  double value = 0;
};

struct Report {
  std::string id;    // the event record's id
  uint32_t doc = 0;  // into FusionInput::docs
  EventType type = EventType::kAttack;
  Side side = Side::kUnknown;
  Status status = Status::kAsserted;
  bool negated = false;
  std::optional<ReportPlace> place;  // the most specific place named for it
  std::vector<ReportPlace> places;   // every place named for it (the inferred ones only
                                     // when it names none)
  // When it happened, as day numbers [from, to]: the event's own date, else the
  // days before publication; dated is false when neither is known.
  int64_t day_from = 0;
  int64_t day_to = 0;
  bool dated = false;
  bool own_date = false;  // from the event's own time expression
  std::string source;     // the claimant's normalised name, or ""
  SourceKind source_kind = SourceKind::kUnknown;
  Side source_side = Side::kUnknown;
  std::vector<std::string> via;
  std::vector<ReportQuantity> quantities;
  float confidence = 0;
};

struct FusionInput {
  std::vector<DocInfo> docs;
  std::vector<Report> reports;
};

// Parses records one at a time into in (a document record before its events, so that
// an undated event takes its publication date). Add returns "" or why the record was
// skipped. padding: readable bytes after line (simdjson reads ahead; copies when short).
class RecordParser {
 public:
  explicit RecordParser(FusionInput* in);
  ~RecordParser();
  std::string Add(std::string_view line, size_t padding = 0);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// What the streaming fuse needs to file a record by time: its kind, its document and
// its day (a document's publication; an event's first day as fusion dates it, given its
// document's publication).
struct RecordKey {
  std::string kind;
  std::string doc_id;
  std::optional<int64_t> day;
};

class RecordKeyReader {
 public:
  // "" or why the line is no record fusion can use (then *key is partial).
  std::string Read(std::string_view line, size_t padding, std::optional<int64_t> published, RecordKey* key);

 private:
  simdjson::dom::parser parser_;
};

// Calls f(line, padding) for each line of a JSON Lines file ("-" for stdin; gzip'd or
// not); what f returns, when not "", is a warning "FILE:LINE: what". Lines too long are
// warned of and skipped. False with *error when the file cannot be read.
bool ForEachRecordLine(const std::string& path, std::vector<std::string>* warnings, std::string* error,
                       const std::function<std::string(std::string_view line, size_t padding)>& f);

// Reads one JSON Lines file of sitrep records ("-" for stdin; gzip'd or not) into in.
// Records of other kinds (cluster, control) are skipped. A line that is no valid
// record is reported in *warnings ("FILE:LINE: reason") and skipped. Returns false
// with *error when the file cannot be read.
bool ReadRecords(const std::string& path, FusionInput* in, std::vector<std::string>* warnings,
                 std::string* error);

// The host of a URL without "www.": "https://www.bbc.co.uk/news/x" -> "bbc.co.uk".
std::string OutletOf(std::string_view url);

}  // namespace sitrep
