#include "output/records.h"

#include <cmath>

#include "fusion/fingerprint.h"
#include "output/json_writer.h"

namespace sitrep {
namespace {

constexpr int kRadiusDecimals = 1;

// lat/lon as numbers, or both null when the place has none.
void WriteCoordinates(JsonWriter& w, const Place& place) {
  const bool known = HasCoordinates(place);
  w.Key("lat");
  known ? w.Decimal(place.lat, kCoordinateDecimals) : w.Null();
  w.Key("lon");
  known ? w.Decimal(place.lon, kCoordinateDecimals) : w.Null();
}

// The fields a document place and an event location share.
void WritePlaceFields(JsonWriter& w, const Document& doc, const Place& place) {
  w.Key("text").String(doc.Text(place.span));
  w.Key("span").SpanArray(place.span);
  w.Key("name").StringOrNull(place.name);
  w.Key("id").StringOrNull(place.id);
  WriteCoordinates(w, place);
  w.Key("admin1").StringOrNull(place.admin1);
  w.Key("country").StringOrNull(place.country);
  w.Key("feature").String(Name(place.feature));
  w.Key("radius_km").Decimal(place.radius_km, kRadiusDecimals);
  w.Key("qualifier").StringOrNull(place.qualifier);
}

void WritePublished(JsonWriter& w, const PublishedDate& published) {
  w.BeginObject();
  w.Key("value").Date(published.value);
  // The contract pairs basis `unknown` with a null value; keep the two consistent.
  w.Key("basis").String(published.value ? Name(published.basis) : Name(DateBasis::kUnknown));
  w.Key("span").SpanOrNull(published.span);
  w.EndObject();
}

void WriteCredibility(JsonWriter& w, const Credibility& credibility) {
  w.BeginObject();
  w.Key("score").Decimal(credibility.score, kScoreDecimals);
  w.Key("signals").BeginArray();
  for (const CredibilitySignal& signal : credibility.signals) {
    w.BeginObject();
    w.Key("id").String(signal.id);
    w.Key("value").Decimal(signal.value, kScoreDecimals);
    w.Key("detail").String(signal.detail);
    w.Key("evidence").BeginArray();
    for (Span s : signal.evidence) w.SpanArray(s);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteActor(JsonWriter& w, const Document& doc, const Event& event) {
  // Always an object: the scorer reads actor.side even when no actor was named.
  const Actor* actor = event.actor < doc.actors.size() ? &doc.actors[event.actor] : nullptr;
  w.BeginObject();
  w.Key("text");
  actor ? w.StringOrNull(doc.Text(actor->span)) : w.Null();
  w.Key("side").String(Name(event.side));
  w.Key("name");
  actor ? w.StringOrNull(actor->name) : w.Null();
  w.Key("span");
  actor ? w.SpanOrNull(actor->span) : w.Null();
  w.EndObject();
}

void WriteTarget(JsonWriter& w, const Document& doc, const std::optional<Target>& target) {
  if (!target) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("text").StringOrNull(!target->text.empty() ? std::string_view(target->text)
                                                   : doc.Text(target->span));
  w.Key("side").String(Name(target->side));
  w.Key("category").String(Name(target->category));
  w.Key("span").SpanOrNull(target->span);
  w.EndObject();
}

void WriteLocations(JsonWriter& w, const Document& doc, const Event& event) {
  w.BeginArray();
  for (const EventLocation& loc : event.locations) {
    if (loc.place >= doc.places.size()) continue;  // a dangling index has nothing to say
    w.BeginObject();
    WritePlaceFields(w, doc, doc.places[loc.place]);
    w.Key("role").String(Name(loc.role));
    w.Key("inferred").Bool(loc.inferred);
    w.EndObject();
  }
  w.EndArray();
}

void WriteTime(JsonWriter& w, const EventTime& time) {
  w.BeginObject();
  w.Key("text").StringOrNull(time.text);
  w.Key("span").SpanOrNull(time.span);
  w.Key("value").Date(time.value);
  w.Key("end").Date(time.end);
  w.Key("precision").String(Name(time.precision));
  w.Key("basis").String(Name(time.basis));
  w.EndObject();
}

void WriteSource(JsonWriter& w, const std::optional<EventSource>& source) {
  if (!source) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("text").StringOrNull(source->text);
  w.Key("span").SpanOrNull(source->span);
  w.Key("name").StringOrNull(source->name);
  w.Key("kind").String(Name(source->kind));
  w.Key("side").String(Name(source->side));
  w.Key("via").BeginArray();
  for (const std::string& v : source->via) w.String(v);
  w.EndArray();
  w.EndObject();
}

void WriteQuantities(JsonWriter& w, const Document& doc, const Event& event) {
  w.BeginArray();
  for (uint32_t qi : event.quantities) {
    if (qi >= doc.quantities.size()) continue;
    const Quantity& q = doc.quantities[qi];
    w.BeginObject();
    w.Key("value").Number(q.value);
    w.Key("approx").Bool(q.approx);
    w.Key("unit").StringOrNull(Name(q.unit));  // "" for Unit::kNone
    w.Key("what").StringOrNull(q.what);
    w.Key("side").String(Name(q.side));
    w.Key("text").String(doc.Text(q.span));
    w.Key("span").SpanArray(q.span);
    w.EndObject();
  }
  w.EndArray();
}

void WriteEvidence(JsonWriter& w, const Document& doc, const Event& event) {
  w.BeginObject();
  w.Key("text");
  event.evidence.empty() ? w.Null() : w.String(doc.Text(event.evidence));
  w.Key("span").SpanOrNull(event.evidence);
  w.Key("trigger");
  event.trigger.empty() ? w.Null() : w.String(doc.Text(event.trigger));
  w.Key("trigger_span").SpanOrNull(event.trigger);
  w.EndObject();
}

}  // namespace

bool HasCoordinates(const Place& place) {
  return std::isfinite(place.lat) && std::isfinite(place.lon) && std::fabs(place.lat) <= 90 &&
         std::fabs(place.lon) <= 180 && !(place.lat == 0 && place.lon == 0);
}

const EventLocation* PrimaryLocation(const Document& doc, const Event& event) {
  for (const EventLocation& loc : event.locations) {
    if (loc.place < doc.places.size() && HasCoordinates(doc.places[loc.place])) return &loc;
  }
  return nullptr;
}

const std::optional<std::string>& ReportedTitle(const Document& doc) {
  return doc.title ? doc.title : doc.meta_title;
}

std::string EventId(const Document& doc, size_t index) {
  std::string id = doc.doc_id;
  id.push_back('#');
  id += std::to_string(index + 1);
  return id;
}

void AppendDocumentJson(const Document& doc, std::string& out) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("kind").String("document");
  w.Key("doc_id").String(doc.doc_id);
  w.Key("source").StringOrNull(doc.origin.path);
  const std::optional<std::string>& title = ReportedTitle(doc);
  w.Key("title");
  title ? w.String(*title) : w.Null();
  w.Key("published");
  WritePublished(w, doc.published);
  w.Key("body").SpanArray(doc.body);
  w.Key("removed").BeginArray();
  for (const RemovedSpan& r : doc.removed) {
    w.BeginObject();
    w.Key("span").SpanArray(r.span);
    w.Key("reason").String(Name(r.reason));
    w.EndObject();
  }
  w.EndArray();
  w.Key("places").BeginArray();
  for (const Place& place : doc.places) {
    if (!place.reportable) continue;
    w.BeginObject();
    WritePlaceFields(w, doc, place);
    w.Key("as_actor").Bool(place.as_actor);
    w.Key("confidence").Decimal(place.confidence, kScoreDecimals);
    w.Key("fuzzy").Bool(place.fuzzy);
    w.EndObject();
  }
  w.EndArray();
  w.Key("credibility");
  WriteCredibility(w, doc.credibility);
  w.Key("events").Int(static_cast<int64_t>(doc.events.size()));
  // Extras beyond the contract.
  w.Key("title_span").SpanOrNull(doc.title_span);
  // MinHash sketch of the body (fusion/fingerprint.h), hex; null for a body too short.
  if (doc.fingerprint) {
    w.Key("fingerprint").String(SketchToHex(*doc.fingerprint));
  } else {
    w.Key("fingerprint").Null();
  }
  w.Key("url").StringOrNull(doc.url);
  w.Key("format").StringOrNull(doc.origin.format);
  w.Key("line");
  doc.origin.line != 0 ? w.Int(static_cast<int64_t>(doc.origin.line)) : w.Null();
  w.Key("encoding").String(doc.encoding);
  w.Key("invalid_bytes").Int(doc.invalid_bytes);
  // What it was extracted from and with (Pipeline::Stamp); null for a document that
  // never went through a pipeline. A re-run compares them to skip it (runner.h).
  w.Key("content_hash");
  doc.data_version.empty() ? w.Null() : w.String(ContentHashHex(doc));
  w.Key("data_version").StringOrNull(doc.data_version);
  w.EndObject();
}

std::string ContentHashHex(const Document& doc) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 0; i < 16; ++i) hex[15 - i] = kHex[(doc.content_hash >> (4 * i)) & 15];
  return hex;
}

void AppendEventJson(const Document& doc, size_t index, std::string& out) {
  const Event& event = doc.events[index];
  JsonWriter w(out);
  w.BeginObject();
  w.Key("kind").String("event");
  w.Key("id").String(EventId(doc, index));
  w.Key("doc_id").String(doc.doc_id);
  w.Key("type").String(Name(event.type));
  w.Key("family").String(Name(FamilyOf(event.type)));
  w.Key("actor");
  WriteActor(w, doc, event);
  w.Key("target");
  WriteTarget(w, doc, event.target);
  w.Key("locations");
  WriteLocations(w, doc, event);
  w.Key("time");
  WriteTime(w, event.time);
  w.Key("source");
  WriteSource(w, event.source);
  w.Key("status").String(Name(event.status));
  w.Key("negated").Bool(event.negated);
  w.Key("quantities");
  WriteQuantities(w, doc, event);
  w.Key("evidence");
  WriteEvidence(w, doc, event);
  w.Key("confidence").Decimal(event.confidence, kScoreDecimals);
  w.EndObject();
}

}  // namespace sitrep
