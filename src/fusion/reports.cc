#include "fusion/reports.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <memory>
#include <unordered_map>

#include "base/civil_date.h"
#include "fusion/fingerprint.h"
#include "read/input_stream.h"

namespace sitrep {
namespace {

static_assert(LineReader::kLinePadding >= simdjson::SIMDJSON_PADDING,
              "lines must be padded for simdjson");

constexpr size_t kMaxRecordLine = 64u << 20;  // a record line longer than this is skipped
// An event with no date of its own happened on the days up to its article's
// publication: news reports what happened in the last few days.
constexpr int64_t kReportedWithinDays = 3;
constexpr int64_t kVagueDateDays = 10;  // an own date spanning more than this is vague  // larger than a country like Ukraine: a continent, a vast region

std::string_view Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? s : std::string_view();
}

std::string_view Field(simdjson::dom::object o, const char* key) {
  simdjson::dom::element e;
  return o[key].get(e) == simdjson::SUCCESS ? Str(e) : std::string_view();
}

double Num(simdjson::dom::element e, double fallback) {
  double d = 0;
  if (e.get(d) == simdjson::SUCCESS) return d;
  int64_t i = 0;
  if (e.get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  return fallback;
}

std::optional<int64_t> DayOf(std::string_view iso) {
  if (iso.empty()) return std::nullopt;
  const auto d = ParseIsoDate(iso);
  if (!d) return std::nullopt;
  return DaysFromCivil(*d);
}

// One location record; nullopt without coordinates.
std::optional<ReportPlace> ParsePlace(simdjson::dom::element le) {
  simdjson::dom::object l;
  if (le.get(l) != simdjson::SUCCESS) return std::nullopt;
  double la = 0, lo = 0;
  if (l["lat"].get(la) != simdjson::SUCCESS || l["lon"].get(lo) != simdjson::SUCCESS) return std::nullopt;
  ReportPlace p;
  p.lat = la;
  p.lon = lo;
  p.name = std::string(Field(l, "name"));
  p.id = std::string(Field(l, "id"));
  p.admin1 = std::string(Field(l, "admin1"));
  p.country = std::string(Field(l, "country"));
  p.feature = ParsePlaceFeature(Field(l, "feature")).value_or(PlaceFeature::kSettlement);
  simdjson::dom::element r;
  if (l["radius_km"].get(r) == simdjson::SUCCESS) p.radius_km = static_cast<float>(Num(r, 25));
  bool inferred = false;
  if (l["inferred"].get(inferred) != simdjson::SUCCESS) inferred = false;
  p.inferred = inferred;
  return p;
}

// Every place named for a report; the inferred ones only when none is named; and a
// continent or a vast region ("Europe", "Eastern Europe") only when nothing smaller is:
// it would put every report of the type in one cluster.
std::vector<ReportPlace> PlacesOf(simdjson::dom::array locations) {
  std::vector<ReportPlace> named, inferred;
  for (simdjson::dom::element le : locations) {
    if (auto p = ParsePlace(le)) (p->inferred ? inferred : named).push_back(std::move(*p));
  }
  std::vector<ReportPlace> out = named.empty() ? std::move(inferred) : std::move(named);
  const bool smaller = std::any_of(out.begin(), out.end(), [](const ReportPlace& p) {
    return p.radius_km <= kVastRadiusKm;
  });
  if (smaller) std::erase_if(out, [](const ReportPlace& p) { return p.radius_km > kVastRadiusKm; });
  return out;
}

// The place a report is about: the most specific of them.
std::optional<ReportPlace> MostSpecific(const std::vector<ReportPlace>& places) {
  const ReportPlace* best = nullptr;
  for (const ReportPlace& p : places) {
    if (best == nullptr || p.radius_km < best->radius_km) best = &p;
  }
  return best != nullptr ? std::optional<ReportPlace>(*best) : std::nullopt;
}

// Parses one record line into *o: "" or why it is no record.
std::string ParseRecord(simdjson::dom::parser& parser, std::string_view line, size_t padding,
                        simdjson::dom::object* o) {
  simdjson::dom::element root;
  const auto parsed = padding >= simdjson::SIMDJSON_PADDING ? parser.parse(line.data(), line.size(), false)
                                                            : parser.parse(line.data(), line.size(), true);
  if (parsed.get(root) != simdjson::SUCCESS) return "not a JSON record, skipped";
  if (root.get(*o) != simdjson::SUCCESS) return "not a JSON object, skipped";
  return "";
}

// The days an event record speaks of, as fusion reads them: its own date, unless that
// is only the article's or vaguer than its publication; else the days before publication.
void DateReport(simdjson::dom::object o, std::optional<int64_t> published, Report* r) {
  simdjson::dom::object time;
  if (o["time"].get(time) == simdjson::SUCCESS) {
    const auto from = DayOf(Field(time, "value"));
    auto to = DayOf(Field(time, "end"));
    // "in January": the whole month, not its first day.
    if (from && !to && Field(time, "precision") == "month") {
      const CivilDate first = CivilFromDays(*from);
      to = DaysFromCivil(CivilDate{first.year, first.month, DaysInMonth(first.year, first.month)});
    }
    // A date that is only the article's own ("document") says nothing of the event's day.
    if (from && Field(time, "basis") != "document") {
      r->day_from = *from;
      r->day_to = to.value_or(*from);
      r->dated = r->own_date = true;
    }
  }
  // A vague date ("in 2022", "last month") places it less well than its publication.
  if (r->own_date && r->day_to - r->day_from > kVagueDateDays && published) r->dated = r->own_date = false;
  if (!r->dated && published) {
    r->day_from = *published - kReportedWithinDays;
    r->day_to = *published;
    r->dated = true;
  }
}

}  // namespace

std::string RecordKeyReader::Read(std::string_view line, size_t padding, std::optional<int64_t> published,
                                  RecordKey* key) {
  *key = RecordKey{};
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return "";
  simdjson::dom::object o;
  if (std::string why = ParseRecord(parser_, line, padding, &o); !why.empty()) return why;
  key->kind = std::string(Field(o, "kind"));
  key->doc_id = std::string(Field(o, "doc_id"));
  if (key->kind == "document") {
    if (key->doc_id.empty()) return "document record without doc_id, skipped";
    simdjson::dom::object pub;
    if (o["published"].get(pub) == simdjson::SUCCESS) key->day = DayOf(Field(pub, "value"));
  } else if (key->kind == "event") {
    if (key->doc_id.empty() || Field(o, "id").empty() || !ParseEventType(Field(o, "type")))
      return "event record without id, doc_id or a known type, skipped";
    Report r;
    DateReport(o, published, &r);
    if (r.dated) key->day = r.day_from;
  }
  return "";
}

std::string OutletOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/?#:"));
  if (host.starts_with("www.")) host.remove_prefix(4);
  std::string out;
  for (char c : host) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

class RecordParser::Impl {
 public:
  explicit Impl(FusionInput* in) : in_(in) {
    for (uint32_t i = 0; i < in_->docs.size(); ++i) doc_index_.emplace(in_->docs[i].doc_id, i);
  }

  uint32_t DocOf(std::string_view id) {
    auto [it, inserted] = doc_index_.try_emplace(std::string(id), static_cast<uint32_t>(in_->docs.size()));
    if (inserted) {
      DocInfo d;
      d.doc_id = std::string(id);
      d.dup_group = it->second;
      in_->docs.push_back(std::move(d));
    }
    return it->second;
  }

  std::string Add(std::string_view line, size_t padding) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return "";
    simdjson::dom::object o;
    if (std::string why = ParseRecord(parser_, line, padding, &o); !why.empty()) return why;
    const std::string_view kind = Field(o, "kind");
    const std::string_view doc_id = Field(o, "doc_id");
    if (kind == "document") {
      if (doc_id.empty()) return "document record without doc_id, skipped";
      DocInfo& d = in_->docs[DocOf(doc_id)];
      simdjson::dom::object pub;
      if (o["published"].get(pub) == simdjson::SUCCESS) d.published = DayOf(Field(pub, "value"));
      d.fingerprint = SketchFromHex(Field(o, "fingerprint"));
      d.outlet = OutletOf(Field(o, "url"));
      return "";
    }
    if (kind != "event") return "";
    Report r;
    r.id = std::string(Field(o, "id"));
    const auto type = ParseEventType(Field(o, "type"));
    if (r.id.empty() || doc_id.empty() || !type) return "event record without id, doc_id or a known type, skipped";
    r.doc = DocOf(doc_id);
    r.type = *type;
    simdjson::dom::object actor;
    if (o["actor"].get(actor) == simdjson::SUCCESS)
      r.side = ParseSide(Field(actor, "side")).value_or(Side::kUnknown);
    r.status = ParseStatus(Field(o, "status")).value_or(Status::kAsserted);
    bool negated = false;
    simdjson::dom::element ne;
    if (o["negated"].get(ne) == simdjson::SUCCESS) if (ne.get(negated) != simdjson::SUCCESS) negated = false;
    r.negated = negated;
    simdjson::dom::array locations;
    if (o["locations"].get(locations) == simdjson::SUCCESS) {
      r.places = PlacesOf(locations);
      r.place = MostSpecific(r.places);
    }
    DateReport(o, in_->docs[r.doc].published, &r);
    simdjson::dom::object src;
    if (o["source"].get(src) == simdjson::SUCCESS) {
      r.source = std::string(Field(src, "name"));
      r.source_kind = ParseSourceKind(Field(src, "kind")).value_or(SourceKind::kUnknown);
      r.source_side = ParseSide(Field(src, "side")).value_or(Side::kUnknown);
      simdjson::dom::array via;
      if (src["via"].get(via) == simdjson::SUCCESS) {
        for (simdjson::dom::element v : via) r.via.emplace_back(Str(v));
      }
    }
    simdjson::dom::array qs;
    if (o["quantities"].get(qs) == simdjson::SUCCESS) {
      for (simdjson::dom::element qe : qs) {
        simdjson::dom::object q;
        if (qe.get(q) != simdjson::SUCCESS) continue;
        simdjson::dom::element value;
        if (q["value"].get(value) != simdjson::SUCCESS) continue;
        r.quantities.push_back({ParseUnit(Field(q, "unit")).value_or(Unit::kNone), Num(value, 0)});
      }
    }
    simdjson::dom::element conf;
    if (o["confidence"].get(conf) == simdjson::SUCCESS) r.confidence = static_cast<float>(Num(conf, 0));
    in_->reports.push_back(std::move(r));
    return "";
  }

 private:
  FusionInput* in_;
  simdjson::dom::parser parser_;
  std::unordered_map<std::string, uint32_t> doc_index_;
};

RecordParser::RecordParser(FusionInput* in) : impl_(std::make_unique<Impl>(in)) {}
RecordParser::~RecordParser() = default;
std::string RecordParser::Add(std::string_view line, size_t padding) { return impl_->Add(line, padding); }

bool ForEachRecordLine(const std::string& path, std::vector<std::string>* warnings, std::string* error,
                       const std::function<std::string(std::string_view line, size_t padding)>& f) {
  InputStream stream;
  if (!stream.Open(path, error)) {
    *error = path + ": " + *error;
    return false;
  }
  LineReader lines(kMaxRecordLine);
  lines.Reset(&stream);
  std::string_view line;
  for (;;) {
    const LineReader::Status st = lines.Next(&line);
    if (st == LineReader::Status::kEnd) break;
    if (st == LineReader::Status::kError) {
      *error = path + ": " + stream.error();
      return false;
    }
    const std::string where = path + ":" + std::to_string(lines.line_number());
    if (st == LineReader::Status::kTooLong) {
      warnings->push_back(where + ": line too long, skipped");
      continue;
    }
    if (const std::string w = f(line, LineReader::kLinePadding); !w.empty()) warnings->push_back(where + ": " + w);
  }
  return true;
}

bool ReadRecords(const std::string& path, FusionInput* in, std::vector<std::string>* warnings,
                 std::string* error) {
  // Events without a date of their own take their document's publication date, which
  // the document record (written first) gives.
  RecordParser parser(in);
  return ForEachRecordLine(path, warnings, error,
                           [&](std::string_view line, size_t padding) { return parser.Add(line, padding); });
}

}  // namespace sitrep
