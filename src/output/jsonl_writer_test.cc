// The JSONL writer against schema.md: every contract field on every record, the
// right values, nulls where unknown, and escaping that survives a real JSON parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "output/output_test_util.h"
#include "output/record_sink.h"
#include "output/records.h"

namespace sitrep {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
using testing::SampleDocument;
using testing::TrickyDocument;

constexpr const char* kDocumentFields[] = {"kind",   "doc_id", "source",  "title",
                                           "published", "body", "removed", "places",
                                           "credibility", "events"};
constexpr const char* kEventFields[] = {"kind",     "id",       "doc_id",    "type",
                                        "actor",    "target",   "locations", "time",
                                        "source",   "status",   "negated",   "quantities",
                                        "evidence", "confidence"};

std::vector<testing::Json> WriteJsonl(const std::vector<Document>& docs, std::string* raw = nullptr) {
  testing::MemoryFile mem;
  std::unique_ptr<RecordSink> sink = MakeJsonlSink(mem.get());
  for (const Document& doc : docs) EXPECT_TRUE(sink->Write(doc).ok());
  EXPECT_TRUE(sink->Finish().ok());
  const std::string text = mem.contents();
  if (raw != nullptr) *raw = text;
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  std::vector<testing::Json> out;
  for (const std::string& line : testing::SplitLines(text)) out.push_back(testing::Parse(line));
  return out;
}

std::string_view Str(element e) { return std::string_view(e); }
int64_t Int(element e) { return int64_t(e); }
double Num(element e) { return double(e); }
std::pair<int64_t, int64_t> SpanOf(element e) {
  array a = e;
  EXPECT_EQ(a.size(), 2u);
  return {int64_t(a.at(0)), int64_t(a.at(1))};
}
std::pair<int64_t, int64_t> P(Span s) { return {s.begin, s.end}; }

TEST(OutputJsonl, OneDocumentLineThenItsEventLines) {
  const Document doc = SampleDocument();
  const auto lines = WriteJsonl({doc, TrickyDocument()});
  ASSERT_EQ(lines.size(), 1 + doc.events.size() + 1);
  EXPECT_EQ(Str(lines[0].root["kind"]), "document");
  for (size_t i = 1; i <= doc.events.size(); ++i) {
    EXPECT_EQ(Str(lines[i].root["kind"]), "event");
    EXPECT_EQ(Str(lines[i].root["id"]), "004_test#" + std::to_string(i));
    EXPECT_EQ(Str(lines[i].root["doc_id"]), "004_test");
  }
  EXPECT_EQ(Str(lines.back().root["kind"]), "document");
}

TEST(OutputJsonl, EveryContractFieldPresent) {
  const auto lines = WriteJsonl({SampleDocument(), TrickyDocument()});
  for (const testing::Json& line : lines) {
    const object rec = line.root;
    const bool is_doc = Str(line.root["kind"]) == "document";
    if (is_doc) {
      for (const char* f : kDocumentFields) EXPECT_EQ(rec[f].error(), simdjson::SUCCESS) << f;
      for (const char* f : {"value", "basis", "span"}) {
        EXPECT_EQ(rec["published"][f].error(), simdjson::SUCCESS) << f;
      }
      for (const char* f : {"score", "signals"}) {
        EXPECT_EQ(rec["credibility"][f].error(), simdjson::SUCCESS) << f;
      }
      for (element p : array(rec["places"])) {
        for (const char* f : {"text", "span", "name", "id", "lat", "lon", "admin1", "country",
                              "feature"}) {
          EXPECT_EQ(p[f].error(), simdjson::SUCCESS) << "place." << f;
        }
      }
      continue;
    }
    for (const char* f : kEventFields) EXPECT_EQ(rec[f].error(), simdjson::SUCCESS) << f;
    EXPECT_TRUE(rec["actor"].is_object());
    for (const char* f : {"text", "side"}) EXPECT_EQ(rec["actor"][f].error(), simdjson::SUCCESS);
    for (const char* f : {"text", "value", "end", "precision", "basis"}) {
      EXPECT_EQ(rec["time"][f].error(), simdjson::SUCCESS) << "time." << f;
    }
    for (const char* f : {"text", "span", "trigger", "trigger_span"}) {
      EXPECT_EQ(rec["evidence"][f].error(), simdjson::SUCCESS) << "evidence." << f;
    }
    for (element loc : array(rec["locations"])) {
      for (const char* f : {"text", "name", "lat", "lon", "admin1", "country", "feature", "role",
                            "id"}) {
        EXPECT_EQ(loc[f].error(), simdjson::SUCCESS) << "location." << f;
      }
    }
    for (element q : array(rec["quantities"])) {
      for (const char* f : {"value", "approx", "unit", "what", "side", "text"}) {
        EXPECT_EQ(q[f].error(), simdjson::SUCCESS) << "quantity." << f;
      }
    }
  }
}

TEST(OutputJsonl, DocumentRecordValues) {
  const Document doc = SampleDocument();
  const auto lines = WriteJsonl({doc});
  const element d = lines[0].root;
  EXPECT_EQ(Str(d["doc_id"]), "004_test");
  EXPECT_EQ(Str(d["source"]), "seeds/004_test.txt");
  EXPECT_EQ(Str(d["title"]), "Russia shells Kupiansk");
  EXPECT_EQ(Str(d["published"]["value"]), "2023-11-09");
  EXPECT_EQ(Str(d["published"]["basis"]), "explicit");
  EXPECT_EQ(SpanOf(d["published"]["span"]), P(doc.published.span));
  EXPECT_EQ(SpanOf(d["body"]), P(doc.body));
  array removed = d["removed"];
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(SpanOf(removed.at(0)["span"]), P(doc.removed[0].span));
  EXPECT_EQ(Str(removed.at(0)["reason"]), "comments");
  EXPECT_EQ(Int(d["events"]), 4);
  EXPECT_EQ(Str(d["url"]), "https://example.org/a");

  // Only reportable places, in text order; each span quotes the text.
  array places = d["places"];
  ASSERT_EQ(places.size(), 3u);
  const char* names[] = {"Kupiansk", "Bakhmut", "Klishchiivka"};
  size_t i = 0;
  for (element p : places) {
    EXPECT_EQ(Str(p["name"]), names[i]);
    auto [b, e] = SpanOf(p["span"]);
    EXPECT_EQ(doc.text.substr(b, e - b), Str(p["text"]));
    EXPECT_EQ(Str(p["country"]), "UA");
    EXPECT_EQ(Str(p["feature"]), "settlement");
    ++i;
  }
  EXPECT_DOUBLE_EQ(Num(places.at(0)["lat"]), 49.71);
  EXPECT_DOUBLE_EQ(Num(places.at(0)["lon"]), 37.616);
  EXPECT_EQ(Str(places.at(0)["id"]), "geonames:703656");
  EXPECT_EQ(Str(places.at(0)["admin1"]), "Kharkiv Oblast");
  EXPECT_TRUE(places.at(0)["qualifier"].is_null());
  EXPECT_EQ(Str(places.at(1)["qualifier"]), "near");
  EXPECT_TRUE(places.at(2)["id"].is_null());  // no gazetteer id: null, not ""

  EXPECT_DOUBLE_EQ(Num(d["credibility"]["score"]), 0.62);
  array signals = d["credibility"]["signals"];
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(Str(signals.at(0)["id"]), "anonymous_sources");
  EXPECT_EQ(Num(signals.at(0)["value"]), 0.0);
  EXPECT_EQ(Str(signals.at(0)["detail"]), "0 of 2 quotes anonymous");
  array evidence = signals.at(0)["evidence"];
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(SpanOf(evidence.at(0)), P(testing::Find(doc.text, "reportedly")));
}

TEST(OutputJsonl, EventRecordValues) {
  const Document doc = SampleDocument();
  const auto lines = WriteJsonl({doc});
  const element shelling = lines[1].root;
  EXPECT_EQ(Str(shelling["type"]), "shelling");
  EXPECT_EQ(Str(shelling["family"]), "remote");
  EXPECT_EQ(Str(shelling["actor"]["text"]), "Russian forces");
  EXPECT_EQ(Str(shelling["actor"]["side"]), "RU");
  EXPECT_TRUE(shelling["target"].is_null());
  array locs = shelling["locations"];
  ASSERT_EQ(locs.size(), 1u);
  EXPECT_EQ(Str(locs.at(0)["text"]), "Kupiansk");
  EXPECT_EQ(Str(locs.at(0)["name"]), "Kupiansk");
  EXPECT_EQ(Str(locs.at(0)["role"]), "at");
  EXPECT_EQ(Str(locs.at(0)["id"]), "geonames:703656");
  EXPECT_DOUBLE_EQ(Num(locs.at(0)["lat"]), 49.71);
  EXPECT_EQ(Str(shelling["time"]["text"]), "on Tuesday");
  EXPECT_EQ(Str(shelling["time"]["value"]), "2023-11-07");
  EXPECT_TRUE(shelling["time"]["end"].is_null());
  EXPECT_EQ(Str(shelling["time"]["precision"]), "day");
  EXPECT_EQ(Str(shelling["time"]["basis"]), "relative");
  EXPECT_EQ(Str(shelling["source"]["text"]), "Ukraine's General Staff");
  EXPECT_EQ(Str(shelling["source"]["name"]), "General Staff of the Armed Forces of Ukraine");
  EXPECT_EQ(Str(shelling["source"]["kind"]), "military");
  EXPECT_EQ(Str(shelling["source"]["side"]), "UA");
  EXPECT_EQ(array(shelling["source"]["via"]).size(), 0u);
  EXPECT_EQ(Str(shelling["status"]), "claimed");
  EXPECT_FALSE(bool(shelling["negated"]));
  EXPECT_EQ(array(shelling["quantities"]).size(), 0u);
  EXPECT_EQ(Str(shelling["evidence"]["text"]), doc.Text(doc.events[0].evidence));
  EXPECT_EQ(SpanOf(shelling["evidence"]["span"]), P(doc.events[0].evidence));
  EXPECT_EQ(Str(shelling["evidence"]["trigger"]), "shelled");
  EXPECT_EQ(SpanOf(shelling["evidence"]["trigger_span"]), P(doc.events[0].trigger));
  EXPECT_DOUBLE_EQ(Num(shelling["confidence"]), 0.8);

  const element losses = lines[2].root;
  EXPECT_EQ(Str(losses["actor"]["side"]), "UA");
  EXPECT_TRUE(losses["time"]["text"].is_null());
  EXPECT_TRUE(losses["time"]["value"].is_null());
  EXPECT_EQ(Str(losses["time"]["precision"]), "unknown");
  EXPECT_EQ(Str(losses["locations"].at(0)["role"]), "near");
  EXPECT_EQ(Str(losses["source"]["via"].at(0)), "Reuters");
  array qs = losses["quantities"];
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_EQ(Int(qs.at(0)["value"]), 17800);  // written as an integer
  EXPECT_TRUE(bool(qs.at(0)["approx"]));
  EXPECT_EQ(Str(qs.at(0)["unit"]), "personnel");
  EXPECT_EQ(Str(qs.at(0)["what"]), "killed");
  EXPECT_EQ(Str(qs.at(0)["side"]), "RU");
  EXPECT_EQ(Str(qs.at(0)["text"]), "approximately 17,800 Russian troops");

  const element recapture = lines[3].root;
  // No actor mention: text null, but the side is still there for the scorer.
  EXPECT_TRUE(recapture["actor"]["text"].is_null());
  EXPECT_EQ(Str(recapture["actor"]["side"]), "UA");
  EXPECT_EQ(Str(recapture["time"]["value"]), "2023-11-01");
  EXPECT_EQ(Str(recapture["time"]["end"]), "2023-11-05");
  EXPECT_EQ(Str(recapture["time"]["precision"]), "range");
  EXPECT_TRUE(recapture["source"].is_null());
  EXPECT_EQ(Str(recapture["status"]), "reported");

  const element attack = lines[4].root;
  EXPECT_EQ(Str(attack["actor"]["side"]), "UNKNOWN");
  EXPECT_EQ(array(attack["locations"]).size(), 0u);
  EXPECT_EQ(Str(attack["target"]["text"]), "A hospital");
  EXPECT_EQ(Str(attack["target"]["side"]), "UA");
  EXPECT_EQ(Str(attack["target"]["category"]), "civilian");
  EXPECT_TRUE(bool(attack["negated"]));
  EXPECT_EQ(Str(attack["time"]["basis"]), "unknown");
}

TEST(OutputJsonl, NullsWhenUnknown) {
  Document doc = SampleDocument();
  doc.title.reset();
  doc.published = PublishedDate{};
  doc.published.basis = DateBasis::kExplicit;  // a basis without a value is reported unknown
  doc.events[0].evidence = Span{};
  doc.events[0].trigger = Span{};
  doc.quantities[0].unit = Unit::kNone;
  doc.quantities[0].what.clear();
  doc.places[0].lat = 0;
  doc.places[0].lon = 0;  // unplaced
  const auto lines = WriteJsonl({doc});
  const element d = lines[0].root;
  EXPECT_TRUE(d["title"].is_null());
  EXPECT_TRUE(d["published"]["value"].is_null());
  EXPECT_EQ(Str(d["published"]["basis"]), "unknown");
  EXPECT_TRUE(d["published"]["span"].is_null());
  EXPECT_TRUE(d["places"].at(0)["lat"].is_null());
  EXPECT_TRUE(d["places"].at(0)["lon"].is_null());
  EXPECT_TRUE(lines[1].root["evidence"]["text"].is_null());
  EXPECT_TRUE(lines[1].root["evidence"]["span"].is_null());
  EXPECT_TRUE(lines[1].root["evidence"]["trigger"].is_null());
  EXPECT_TRUE(lines[1].root["evidence"]["trigger_span"].is_null());
  EXPECT_TRUE(lines[2].root["quantities"].at(0)["unit"].is_null());
  EXPECT_TRUE(lines[2].root["quantities"].at(0)["what"].is_null());
}

TEST(OutputJsonl, TitleFallsBackToMetadata) {
  Document doc = TrickyDocument();
  doc.title.reset();
  doc.meta_title = "From the feed";
  const auto lines = WriteJsonl({doc});
  EXPECT_EQ(Str(lines[0].root["title"]), "From the feed");
}

TEST(OutputJsonl, EscapingSurvivesAParser) {
  const Document doc = TrickyDocument();
  std::string raw;
  const auto lines = WriteJsonl({doc}, &raw);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(std::count(raw.begin(), raw.end(), '\n'), 1);  // the newline in the title is escaped
  EXPECT_EQ(raw.find('\x01'), std::string::npos);
  EXPECT_NE(raw.find("\\u0001"), std::string::npos);
  EXPECT_NE(raw.find("\\u2028"), std::string::npos);
  EXPECT_EQ(raw.find('\xFF'), std::string::npos);  // invalid byte replaced
  EXPECT_EQ(Str(lines[0].root["doc_id"]), "tricky \"7\"");
  EXPECT_EQ(Str(lines[0].root["source"]), "in\\dir/tricky.txt");
  EXPECT_EQ(Str(lines[0].root["title"]),
            "He said \"retreat\"\\now\n\x01 \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 \xE2\x80\xA8 end\xEF\xBF\xBD");
  EXPECT_TRUE(lines[0].root["published"]["value"].is_null());
  EXPECT_EQ(Int(lines[0].root["events"]), 0);
  EXPECT_EQ(array(lines[0].root["places"]).size(), 0u);
}

TEST(OutputJsonl, RecordFunctionsMatchTheLines) {
  const Document doc = SampleDocument();
  std::string raw;
  WriteJsonl({doc}, &raw);
  std::string expected;
  AppendDocumentJson(doc, expected);
  expected.push_back('\n');
  for (size_t i = 0; i < doc.events.size(); ++i) {
    AppendEventJson(doc, i, expected);
    expected.push_back('\n');
  }
  EXPECT_EQ(raw, expected);
}

TEST(OutputJsonl, DanglingIndexesAreSkipped) {
  Document doc = SampleDocument();
  doc.events[0].actor = 99;
  doc.events[0].locations.push_back({42, LocationRole::kFrom});
  doc.events[1].quantities.push_back(7);
  const auto lines = WriteJsonl({doc});
  EXPECT_TRUE(lines[1].root["actor"]["text"].is_null());
  EXPECT_EQ(Str(lines[1].root["actor"]["side"]), "RU");
  EXPECT_EQ(array(lines[1].root["locations"]).size(), 1u);
  EXPECT_EQ(array(lines[2].root["quantities"]).size(), 1u);
}

TEST(OutputJsonl, DevFullIsAnError) {
  std::FILE* full = std::fopen("/dev/full", "w");
  ASSERT_NE(full, nullptr);
  std::unique_ptr<RecordSink> sink = MakeJsonlSink(full);
  const Document doc = SampleDocument();
  Result write = sink->Write(doc);  // may succeed into the stdio buffer
  Result finish = sink->Finish();
  EXPECT_FALSE(finish.ok());
  EXPECT_NE(finish.message().find("No space left"), std::string::npos) << finish.message();
  std::fclose(full);
}

TEST(OutputJsonl, DevFullThroughPathIsAnError) {
  std::unique_ptr<RecordSink> sink;
  ASSERT_TRUE(OpenJsonlSink("/dev/full", &sink).ok());
  // Enough output to overflow the stdio buffer: the failure shows at Write too.
  Result first_error;
  const Document doc = SampleDocument();
  for (int i = 0; i < 200 && first_error.ok(); ++i) first_error = sink->Write(doc);
  EXPECT_FALSE(first_error.ok());
  EXPECT_NE(first_error.message().find("/dev/full"), std::string::npos);
  EXPECT_FALSE(sink->Finish().ok());  // the error sticks
}

TEST(OutputJsonl, UnwritablePathIsAnError) {
  std::unique_ptr<RecordSink> sink;
  Result r = OpenJsonlSink("/nonexistent-dir/x.jsonl", &sink);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("/nonexistent-dir/x.jsonl"), std::string::npos);
  EXPECT_EQ(sink, nullptr);
}

TEST(OutputJsonl, WriteAfterFinishIsAnError) {
  testing::MemoryFile mem;
  std::unique_ptr<RecordSink> sink = MakeJsonlSink(mem.get());
  EXPECT_TRUE(sink->Finish().ok());
  EXPECT_FALSE(sink->Write(SampleDocument()).ok());
}

}  // namespace
}  // namespace sitrep
