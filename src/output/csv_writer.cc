// ACLED-style CSV: one row per event with ACLED's column names, in ACLED's order,
// RFC 4180 quoting and CRLF line ends. Categories and actor names come from
// data/output/acled_map.tsv; this file only derives the facts they are keyed on.
#include <cmath>
#include <utility>

#include "output/acled_map.h"
#include "output/json_writer.h"
#include "output/output_file.h"
#include "output/record_sink.h"
#include "output/records.h"

namespace sitrep {
namespace {

constexpr std::string_view kHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities\r\n";
constexpr std::string_view kCrlf = "\r\n";

// ACLED's time precision: 1 the day is known, 2 within about a week, 3 only the month
// or a wider period.
constexpr int kTimeDay = 1;
constexpr int kTimeWeek = 2;
constexpr int kTimeMonth = 3;
// ACLED's geo precision: 1 the settlement, 2 near it or a district, 3 a region or larger.
constexpr int kGeoSettlement = 1;
constexpr int kGeoNear = 2;
constexpr int kGeoRegion = 3;

// Appends one RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
void AppendField(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    AppendValidUtf8(out, value);
    return;
  }
  out.push_back('"');
  size_t start = 0;
  for (size_t q = value.find('"'); q != std::string_view::npos; q = value.find('"', start)) {
    AppendValidUtf8(out, value.substr(start, q + 1 - start));
    out.push_back('"');  // a quote inside a quoted field is doubled
    start = q + 1;
  }
  AppendValidUtf8(out, value.substr(start));
  out.push_back('"');
}

// ACLED notes are one line: fold line breaks and tabs into single spaces.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    const bool ws = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

int TimePrecision(const EventTime& time, bool from_event) {
  if (!from_event) return kTimeWeek;  // only the publication date: the days before it
  switch (time.precision) {
    case DatePrecision::kDay:
      // A date taken from the publication alone is the day it was reported, not done.
      return time.basis == DateBasis::kDocument ? kTimeWeek : kTimeDay;
    case DatePrecision::kRange: return kTimeWeek;
    case DatePrecision::kMonth:
    case DatePrecision::kUnknown: return kTimeMonth;
  }
  return kTimeMonth;
}

int GeoPrecision(const Place& place, LocationRole role) {
  int precision = kGeoRegion;
  switch (place.feature) {
    case PlaceFeature::kSettlement:
    case PlaceFeature::kFacility: precision = kGeoSettlement; break;
    case PlaceFeature::kDistrict:
    case PlaceFeature::kLandform: precision = kGeoNear; break;
    default: precision = kGeoRegion; break;
  }
  const bool shifted = !place.qualifier.empty() || role == LocationRole::kNear ||
                       role == LocationRole::kToward || role == LocationRole::kBetween;
  if (precision == kGeoSettlement && shifted) precision = kGeoNear;
  return precision;
}

// Deaths reported in the event's quantities: killed personnel, civilians or people.
int64_t Fatalities(const Document& doc, const Event& event) {
  double total = 0;
  for (uint32_t qi : event.quantities) {
    if (qi >= doc.quantities.size()) continue;
    const Quantity& q = doc.quantities[qi];
    if (q.what != "killed" || !std::isfinite(q.value) || q.value < 0) continue;
    if (q.unit == Unit::kPersonnel || q.unit == Unit::kCivilians || q.unit == Unit::kPeople) {
      total += q.value;
    }
  }
  return std::llround(total);
}

class CsvSink : public RecordSink {
 public:
  CsvSink(std::unique_ptr<OutputFile> file, std::shared_ptr<const AcledMap> map)
      : file_(std::move(file)), map_(std::move(map)) {}

  Result Write(const Document& doc) override {
    if (finished_) return Result::Error(file_->name() + ": write after finish");
    buffer_.clear();
    AppendHeaderOnce();
    for (size_t i = 0; i < doc.events.size(); ++i) AppendRow(doc, i);
    return file_->Write(buffer_);
  }

  // Rows are lines: what is written can go out (a pipe).
  Result Flush() override { return finished_ ? Result::Ok() : file_->Flush(); }

  Result Finish() override {
    if (finished_) return file_->Close();
    finished_ = true;
    buffer_.clear();
    AppendHeaderOnce();
    const Result written = file_->Write(buffer_);
    const Result closed = file_->Close();
    return written.ok() ? closed : written;
  }

 private:
  void AppendHeaderOnce() {
    if (header_written_) return;
    buffer_ += kHeader;
    header_written_ = true;
  }

  void Field(std::string_view value) {
    AppendField(buffer_, value);
    buffer_.push_back(',');
  }
  void IntField(int64_t v) {
    buffer_ += std::to_string(v);
    buffer_.push_back(',');
  }

  void AppendRow(const Document& doc, size_t index) {
    const Event& event = doc.events[index];
    const EventLocation* loc = PrimaryLocation(doc, event);
    const Place* place = loc != nullptr ? &doc.places[loc->place] : nullptr;

    // The event's date, else the publication date (ACLED rows always carry one).
    const bool dated_by_event = event.time.value.has_value();
    const std::optional<CivilDate> date = dated_by_event ? event.time.value : doc.published.value;

    AcledFacts facts;
    facts.type = event.type;
    facts.side = event.side;
    facts.location_country = place != nullptr ? std::string_view(place->country) : "";
    facts.civilian_target =
        event.target && event.target->category == TargetCategory::kCivilian;
    const AcledCategory& category = map_->Categorise(facts);

    Field(EventId(doc, index));
    Field(date ? FormatIsoDate(*date) : "");
    date ? IntField(date->year) : Field("");
    date ? IntField(TimePrecision(event.time, dated_by_event)) : Field("");
    Field(category.disorder_type);
    Field(category.event_type);
    Field(category.sub_event_type);
    Field(map_->ActorName(event.side));
    Field(SecondActor(event, category, facts));
    Field(place != nullptr ? std::string_view(place->admin1) : "");
    Field(place != nullptr && place->feature == PlaceFeature::kDistrict
              ? std::string_view(place->name) : "");
    Field(place != nullptr ? std::string_view(place->name) : "");
    if (place != nullptr) {
      AppendDecimal(buffer_, place->lat, kCoordinateDecimals);
      buffer_.push_back(',');
      AppendDecimal(buffer_, place->lon, kCoordinateDecimals);
      buffer_.push_back(',');
      IntField(GeoPrecision(*place, loc->role));
    } else {
      buffer_ += ",,,";
    }
    Field(SourceText(event));
    Field("");  // source_scale: ACLED's outlet reach, which sitrep does not know
    Field(event.evidence.empty() ? std::string() : OneLine(doc.Text(event.evidence)));
    buffer_ += std::to_string(Fatalities(doc, event));
    buffer_ += kCrlf;
  }

  // ACLED's actor2: the target's side (civilians by country), else for Battles the
  // opposing side, else none.
  std::string_view SecondActor(const Event& event, const AcledCategory& category,
                               const AcledFacts& facts) const {
    if (facts.civilian_target) {
      // Civilians are named by the country they are in; without a located place, by
      // the country of the side they belong to.
      const std::string_view country = !facts.location_country.empty()
                                            ? facts.location_country
                                            : map_->HomeCountry(event.target->side);
      return map_->CiviliansActor(country);
    }
    if (event.target && event.target->side != Side::kUnknown) {
      return map_->ActorName(event.target->side);
    }
    if (category.event_type == "Battles") {
      if (std::optional<Side> opponent = map_->Opponent(event.side)) {
        return map_->ActorName(*opponent);
      }
    }
    return "";
  }

  static std::string SourceText(const Event& event) {
    if (!event.source) return "";
    std::string text = !event.source->name.empty() ? event.source->name : event.source->text;
    for (const std::string& via : event.source->via) {
      if (!text.empty()) text += "; ";
      text += via;
    }
    return text;
  }

  std::unique_ptr<OutputFile> file_;
  std::shared_ptr<const AcledMap> map_;
  std::string buffer_;
  bool header_written_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<RecordSink> MakeCsvSink(std::FILE* out, std::shared_ptr<const AcledMap> map) {
  return std::make_unique<CsvSink>(OutputFile::Borrow(out, "<csv output>"), std::move(map));
}

Result OpenCsvSink(const std::string& path, const std::string& map_path,
                   std::unique_ptr<RecordSink>* sink) {
  std::string error;
  std::optional<AcledMap> map =
      AcledMap::Load(map_path.empty() ? AcledMap::DefaultPath() : map_path, &error);
  if (!map) return Result::Error(error);
  std::unique_ptr<OutputFile> file;
  if (Result r = OutputFile::Open(path, &file); !r.ok()) return r;
  *sink = std::make_unique<CsvSink>(std::move(file),
                                    std::make_shared<const AcledMap>(std::move(*map)));
  return Result::Ok();
}

}  // namespace sitrep
