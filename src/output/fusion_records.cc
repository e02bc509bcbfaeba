#include "output/fusion_records.h"

#include <simdjson.h>

#include <algorithm>

#include "base/civil_date.h"
#include "output/json_writer.h"

namespace sitrep {
namespace {

void Day(JsonWriter& w, bool known, int64_t day) {
  if (known) {
    w.String(FormatIsoDate(CivilFromDays(day)));
  } else {
    w.Null();
  }
}

}  // namespace

void AppendClusterRecord(std::string& out, const FusionInput& in, const FusionResult& result,
                         const Cluster& c) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("kind").String("cluster");
  w.Key("id").String(c.id);
  w.Key("type").String(Name(c.type));
  w.Key("side").String(Name(c.side));
  w.Key("location");
  if (c.place) {
    w.BeginObject();
    w.Key("name").String(c.place->name);
    w.Key("id").StringOrNull(c.place->id);
    w.Key("lat").Decimal(c.place->lat, kCoordinateDecimals);
    w.Key("lon").Decimal(c.place->lon, kCoordinateDecimals);
    w.Key("admin1").StringOrNull(c.place->admin1);
    w.Key("country").StringOrNull(c.place->country);
    w.Key("feature").String(Name(c.place->feature));
    w.Key("radius_km").Decimal(c.place->radius_km, 1);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("places").BeginArray();
  for (const ReportPlace& p : c.places) {
    w.BeginObject();
    w.Key("name").String(p.name);
    w.Key("id").StringOrNull(p.id);
    w.Key("lat").Decimal(p.lat, kCoordinateDecimals);
    w.Key("lon").Decimal(p.lon, kCoordinateDecimals);
    w.Key("radius_km").Decimal(p.radius_km, 1);
    w.EndObject();
  }
  w.EndArray();
  w.Key("time").BeginObject();
  w.Key("value");
  Day(w, c.dated, c.day_from);
  w.Key("end");
  Day(w, c.dated && c.day_to != c.day_from, c.day_to);
  w.EndObject();
  w.Key("members").BeginArray();
  for (uint32_t m : c.members) w.String(in.reports[m].id);
  w.EndArray();
  w.Key("docs").BeginArray();
  std::vector<uint32_t> docs;
  for (uint32_t m : c.members) {
    const uint32_t d = in.reports[m].doc;
    if (std::find(docs.begin(), docs.end(), d) == docs.end()) {
      docs.push_back(d);
      w.String(in.docs[d].doc_id);
    }
  }
  w.EndArray();
  w.Key("sources").BeginArray();
  for (const std::string& s : c.sources) w.String(s);
  w.EndArray();
  w.Key("independent_sources").Int(static_cast<int64_t>(c.sources.size()));
  w.Key("status").String(Name(c.status));
  w.Key("negated").Bool(c.negative && c.status != Status::kDenied);
  w.Key("contradicts").BeginArray();
  for (uint32_t o : c.contradicts) w.String(result.clusters[o].id);
  w.EndArray();
  w.EndObject();
  out += '\n';
}

void AppendControlRecord(std::string& out, const FusionResult& result, const ControlChange& k,
                         size_t index) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("kind").String("control");
  w.Key("id").String("k" + std::to_string(index + 1));
  w.Key("settlement").BeginObject();
  w.Key("id").StringOrNull(k.place_id);
  w.Key("name").String(k.name);
  if (k.has_coordinates) {
    w.Key("lat").Decimal(k.lat, kCoordinateDecimals);
    w.Key("lon").Decimal(k.lon, kCoordinateDecimals);
  } else {
    w.Key("lat").Null();
    w.Key("lon").Null();
  }
  w.Key("admin1").StringOrNull(k.admin1);
  w.EndObject();
  w.Key("side").String(Name(k.side));
  w.Key("from");
  Day(w, true, k.from);
  w.Key("background").Bool(k.background);
  w.Key("basis").BeginArray();
  for (const ControlBasis& b : k.basis) {
    const Cluster& c = result.clusters[b.cluster];
    w.BeginObject();
    w.Key("cluster").String(c.id);
    w.Key("type").String(Name(c.type));
    w.Key("status").String(Name(c.status));
    w.Key("independent_sources").Int(static_cast<int64_t>(c.sources.size()));
    w.Key("from");
    Day(w, c.dated, c.day_from);
    w.EndObject();
  }
  w.EndArray();
  w.Key("status");
  if (k.background) {
    w.Null();
  } else {
    w.String(Name(k.status));
  }
  w.Key("independent_sources").Int(k.independent_sources);
  w.Key("contested").Bool(k.contested);
  w.Key("source");
  if (k.background) {
    w.String("data/control/background.tsv");
  } else {
    w.Null();
  }
  w.EndObject();
  out += '\n';
}

// The document record again, with the fused signals in its credibility: corroboration
// (how much of what it reports others report too) and contradicts_record (now also
// against the fused record), and the score over every signal.
std::string RewriteDocumentRecord(simdjson::dom::object doc, const DocReadout& r, const SignalWeights& weights,
                                  double* new_score) {
  struct Sig {
    std::string id;
    double value;
    std::string json;  // the whole signal object
  };
  std::vector<Sig> signals;
  simdjson::dom::object cred;
  if (doc["credibility"].get(cred) == simdjson::SUCCESS) {
    simdjson::dom::array arr;
    if (cred["signals"].get(arr) == simdjson::SUCCESS) {
      for (simdjson::dom::element e : arr) {
        simdjson::dom::object s;
        if (e.get(s) != simdjson::SUCCESS) continue;
        std::string_view id;
        double v = 1;
        if (s["id"].get(id) != simdjson::SUCCESS) id = "";
        simdjson::dom::element ve;
        if (s["value"].get(ve) == simdjson::SUCCESS && ve.get(v) != simdjson::SUCCESS) {
          int64_t i = 0;
          if (ve.get(i) == simdjson::SUCCESS) v = static_cast<double>(i);
        }
        signals.push_back({std::string(id), v, simdjson::minify(e)});
      }
    }
  }
  auto put = [&](const std::string& id, double value, const std::string& detail) {
    std::string json;
    JsonWriter w(json);
    w.BeginObject();
    w.Key("id").String(id);
    w.Key("value").Decimal(value, kScoreDecimals);
    w.Key("detail").String(detail);
    w.Key("evidence").BeginArray().EndArray();
    w.EndObject();
    for (Sig& s : signals) {
      if (s.id == id) {
        s = {id, value, json};
        return;
      }
    }
    signals.push_back({id, value, json});
  };
  if (r.events == 0) {
    put("corroboration", 1.0, "no events to corroborate");
  } else {
    const double share = double(r.corroborated) / r.events;
    put("corroboration", 0.5 + 0.5 * share,
        std::to_string(r.corroborated) + " of " + std::to_string(r.events) +
            " events reported by other articles with other sources");
  }
  if (r.contradicted > 0) {
    put("contradicts_record", 0.0,
        std::to_string(r.contradicted) + " claim(s) contradict the record: " + r.contradiction);
  }
  std::vector<std::pair<std::string_view, double>> values;
  for (const Sig& s : signals) values.emplace_back(s.id, s.value);
  const double score = weights.Score(values);
  if (new_score != nullptr) *new_score = score;
  std::string out = "{";
  bool first = true;
  for (auto field : doc) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, field.key);
    out += ':';
    if (field.key == "credibility") {
      out += "{\"score\":";
      AppendDecimal(out, score, kScoreDecimals);
      out += ",\"signals\":[";
      for (size_t i = 0; i < signals.size(); ++i) {
        if (i) out += ',';
        out += signals[i].json;
      }
      out += "]}";
    } else {
      out += simdjson::minify(field.value);
    }
  }
  out += "}\n";
  return out;
}

}  // namespace sitrep
