// The GeoJSON writer: a valid FeatureCollection in every case, one Point per
// located event.
#include <gtest/gtest.h>

#include "output/output_test_util.h"
#include "output/record_sink.h"

namespace sitrep {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;

std::string WriteGeoJson(const std::vector<Document>& docs) {
  testing::MemoryFile mem;
  std::unique_ptr<RecordSink> sink = MakeGeoJsonSink(mem.get());
  for (const Document& doc : docs) EXPECT_TRUE(sink->Write(doc).ok());
  EXPECT_TRUE(sink->Finish().ok());
  return mem.contents();
}

TEST(OutputGeoJson, FeaturesForLocatedEventsOnly) {
  const Document doc = testing::SampleDocument();
  const testing::Json json = testing::Parse(WriteGeoJson({doc, testing::TrickyDocument()}));
  EXPECT_EQ(std::string_view(json.root["type"]), "FeatureCollection");
  array features = json.root["features"];
  ASSERT_EQ(features.size(), 3u);  // the attack has no location
  const element first = features.at(0);
  EXPECT_EQ(std::string_view(first["type"]), "Feature");
  EXPECT_EQ(std::string_view(first["geometry"]["type"]), "Point");
  array coordinates = first["geometry"]["coordinates"];
  EXPECT_DOUBLE_EQ(double(coordinates.at(0)), 37.616);  // longitude first
  EXPECT_DOUBLE_EQ(double(coordinates.at(1)), 49.71);
  const element p = first["properties"];
  EXPECT_EQ(std::string_view(p["id"]), "004_test#1");
  EXPECT_EQ(std::string_view(p["doc_id"]), "004_test");
  EXPECT_EQ(std::string_view(p["type"]), "shelling");
  EXPECT_EQ(std::string_view(p["side"]), "RU");
  EXPECT_EQ(std::string_view(p["status"]), "claimed");
  EXPECT_EQ(std::string_view(p["date"]), "2023-11-07");
  EXPECT_EQ(std::string_view(p["location"]), "Kupiansk");
  EXPECT_EQ(std::string_view(p["admin1"]), "Kharkiv Oblast");
  EXPECT_EQ(std::string_view(p["evidence"]), doc.Text(doc.events[0].evidence));
  EXPECT_EQ(std::string_view(p["source"]), "General Staff of the Armed Forces of Ukraine");
  EXPECT_DOUBLE_EQ(double(p["confidence"]), 0.8);
  EXPECT_EQ(std::string_view(features.at(2)["properties"]["id"]), "004_test#3");
  EXPECT_TRUE(features.at(1)["properties"]["date"].is_null());
  EXPECT_TRUE(features.at(2)["properties"]["source"].is_null());
}

TEST(OutputGeoJson, UsesTheFirstLocationWithCoordinates) {
  Document doc = testing::SampleDocument();
  doc.places[0].lat = doc.places[0].lon = 0;  // Kupiansk unplaced
  doc.events[0].locations.push_back({2, LocationRole::kNear});
  doc.events[2].locations.clear();
  const testing::Json json = testing::Parse(WriteGeoJson({doc}));
  array features = json.root["features"];
  ASSERT_EQ(features.size(), 2u);
  EXPECT_EQ(std::string_view(features.at(0)["properties"]["location"]), "Bakhmut");
}

TEST(OutputGeoJson, ValidWithNoEventsAndNoDocuments) {
  EXPECT_EQ(array(testing::Parse(WriteGeoJson({})).root["features"]).size(), 0u);
  EXPECT_EQ(array(testing::Parse(WriteGeoJson({testing::TrickyDocument()})).root["features"])
                .size(),
            0u);
}

TEST(OutputGeoJson, ValidWhenFinishedAfterAPipelineError) {
  // The pipeline stops after a failed document and still calls Finish.
  testing::MemoryFile mem;
  std::unique_ptr<RecordSink> sink = MakeGeoJsonSink(mem.get());
  ASSERT_TRUE(sink->Write(testing::SampleDocument()).ok());
  ASSERT_TRUE(sink->Finish().ok());
  EXPECT_FALSE(sink->Write(testing::SampleDocument()).ok());  // after Finish
  EXPECT_EQ(array(testing::Parse(mem.contents()).root["features"]).size(), 3u);
}

TEST(OutputGeoJson, DevFullIsAnError) {
  std::unique_ptr<RecordSink> sink;
  ASSERT_TRUE(OpenGeoJsonSink("/dev/full", &sink).ok());
  (void)sink->Write(testing::SampleDocument());
  const Result r = sink->Finish();
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("/dev/full"), std::string::npos) << r.message();
}

}  // namespace
}  // namespace sitrep
