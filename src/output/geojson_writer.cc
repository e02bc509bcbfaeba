// GeoJSON: a FeatureCollection streamed feature by feature, one Point per event
// that has coordinates. The opening is written on first use and the closing by
// Finish, so the file is valid JSON with no events and after a failed document.
#include <utility>

#include "output/json_writer.h"
#include "output/output_file.h"
#include "output/record_sink.h"
#include "output/records.h"

namespace sitrep {
namespace {

constexpr std::string_view kOpening = "{\"type\":\"FeatureCollection\",\"features\":[\n";
constexpr std::string_view kClosing = "\n]}\n";

class GeoJsonSink : public RecordSink {
 public:
  explicit GeoJsonSink(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}

  Result Write(const Document& doc) override {
    if (finished_) return Result::Error(file_->name() + ": write after finish");
    buffer_.clear();
    if (!opened_) {
      buffer_ += kOpening;
      opened_ = true;
    }
    for (size_t i = 0; i < doc.events.size(); ++i) {
      const EventLocation* loc = PrimaryLocation(doc, doc.events[i]);
      if (loc == nullptr) continue;
      if (features_ > 0) buffer_ += ",\n";
      AppendFeature(doc, i, doc.places[loc->place]);
      ++features_;
    }
    return file_->Write(buffer_);
  }

  Result Finish() override {
    if (finished_) return file_->Close();
    finished_ = true;
    buffer_.clear();
    if (!opened_) buffer_ += kOpening;
    opened_ = true;
    buffer_ += kClosing;
    // Close even when the write failed, and report the first error either met.
    const Result written = file_->Write(buffer_);
    const Result closed = file_->Close();
    return written.ok() ? closed : written;
  }

 private:
  void AppendFeature(const Document& doc, size_t index, const Place& place) {
    const Event& event = doc.events[index];
    JsonWriter w(buffer_);
    w.BeginObject();
    w.Key("type").String("Feature");
    w.Key("geometry").BeginObject();
    w.Key("type").String("Point");
    // GeoJSON orders a position longitude first (RFC 7946, 3.1.1).
    w.Key("coordinates").BeginArray();
    w.Decimal(place.lon, kCoordinateDecimals).Decimal(place.lat, kCoordinateDecimals);
    w.EndArray();
    w.EndObject();
    w.Key("properties").BeginObject();
    w.Key("id").String(EventId(doc, index));
    w.Key("doc_id").String(doc.doc_id);
    w.Key("type").String(Name(event.type));
    w.Key("family").String(Name(FamilyOf(event.type)));
    w.Key("side").String(Name(event.side));
    w.Key("status").String(Name(event.status));
    w.Key("negated").Bool(event.negated);
    w.Key("date").Date(event.time.value);
    w.Key("date_end").Date(event.time.end);
    w.Key("precision").String(Name(event.time.precision));
    w.Key("location").StringOrNull(place.name);
    w.Key("admin1").StringOrNull(place.admin1);
    w.Key("country").StringOrNull(place.country);
    w.Key("evidence");
    event.evidence.empty() ? w.Null() : w.String(doc.Text(event.evidence));
    w.Key("source");
    event.source ? w.StringOrNull(event.source->name) : w.Null();
    w.Key("confidence").Decimal(event.confidence, kScoreDecimals);
    w.EndObject();
    w.EndObject();
  }

  std::unique_ptr<OutputFile> file_;
  std::string buffer_;
  size_t features_ = 0;
  bool opened_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<RecordSink> MakeGeoJsonSink(std::FILE* out) {
  return std::make_unique<GeoJsonSink>(OutputFile::Borrow(out, "<geojson output>"));
}

Result OpenGeoJsonSink(const std::string& path, std::unique_ptr<RecordSink>* sink) {
  std::unique_ptr<OutputFile> file;
  if (Result r = OutputFile::Open(path, &file); !r.ok()) return r;
  *sink = std::make_unique<GeoJsonSink>(std::move(file));
  return Result::Ok();
}

}  // namespace sitrep
