// The ACLED-style CSV writer and the mapping file it reads.
#include <gtest/gtest.h>

#include "output/acled_map.h"
#include "output/output_test_util.h"
#include "output/record_sink.h"

namespace sitrep {
namespace {

using Row = std::vector<std::string>;

constexpr const char* kColumns[] = {
    "event_id_cnty", "event_date", "year",      "time_precision", "disorder_type",
    "event_type",    "sub_event_type", "actor1", "actor2",         "admin1",
    "admin2",        "location",   "latitude",  "longitude",      "geo_precision",
    "source",        "source_scale", "notes",   "fatalities"};

// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
std::vector<Row> ParseCsv(std::string_view text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field";
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR";
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "bare LF outside quotes";
      field.push_back(c);
    }
  }
  EXPECT_FALSE(quoted);
  EXPECT_TRUE(row.empty() && field.empty()) << "last record without CRLF";
  return rows;
}

std::shared_ptr<const AcledMap> DefaultMap() {
  std::string error;
  std::optional<AcledMap> map = AcledMap::Load(AcledMap::DefaultPath(), &error);
  EXPECT_TRUE(map.has_value()) << error;
  return map ? std::make_shared<const AcledMap>(std::move(*map)) : nullptr;
}

std::vector<Row> WriteCsv(const std::vector<Document>& docs) {
  testing::MemoryFile mem;
  std::unique_ptr<RecordSink> sink = MakeCsvSink(mem.get(), DefaultMap());
  for (const Document& doc : docs) EXPECT_TRUE(sink->Write(doc).ok());
  EXPECT_TRUE(sink->Finish().ok());
  return ParseCsv(mem.contents());
}

// The cell of a row by column name.
std::string Cell(const Row& row, std::string_view column) {
  for (size_t i = 0; i < std::size(kColumns); ++i) {
    if (kColumns[i] == column) return i < row.size() ? row[i] : "<missing>";
  }
  ADD_FAILURE() << "no column " << column;
  return "";
}

TEST(OutputCsv, HeaderIsAcledsColumnsInOrder) {
  const std::vector<Row> rows = WriteCsv({});
  ASSERT_EQ(rows.size(), 1u);  // an empty run still has its header
  ASSERT_EQ(rows[0].size(), std::size(kColumns));
  for (size_t i = 0; i < rows[0].size(); ++i) EXPECT_EQ(rows[0][i], kColumns[i]);
}

TEST(OutputCsv, OneRowPerEventWithMappedColumns) {
  const Document doc = testing::SampleDocument();
  const std::vector<Row> rows = WriteCsv({doc, testing::TrickyDocument()});
  ASSERT_EQ(rows.size(), 1 + doc.events.size());
  for (const Row& row : rows) EXPECT_EQ(row.size(), std::size(kColumns));

  const Row& shelling = rows[1];
  EXPECT_EQ(Cell(shelling, "event_id_cnty"), "004_test#1");
  EXPECT_EQ(Cell(shelling, "event_date"), "2023-11-07");
  EXPECT_EQ(Cell(shelling, "year"), "2023");
  EXPECT_EQ(Cell(shelling, "time_precision"), "1");
  EXPECT_EQ(Cell(shelling, "disorder_type"), "Political violence");
  EXPECT_EQ(Cell(shelling, "event_type"), "Explosions/Remote violence");
  EXPECT_EQ(Cell(shelling, "sub_event_type"), "Shelling/artillery/missile attack");
  EXPECT_EQ(Cell(shelling, "actor1"), "Military Forces of Russia (2000-)");
  EXPECT_EQ(Cell(shelling, "actor2"), "");
  EXPECT_EQ(Cell(shelling, "admin1"), "Kharkiv Oblast");
  EXPECT_EQ(Cell(shelling, "admin2"), "");
  EXPECT_EQ(Cell(shelling, "location"), "Kupiansk");
  EXPECT_EQ(Cell(shelling, "latitude"), "49.71");
  EXPECT_EQ(Cell(shelling, "longitude"), "37.616");
  EXPECT_EQ(Cell(shelling, "geo_precision"), "1");
  EXPECT_EQ(Cell(shelling, "source"), "General Staff of the Armed Forces of Ukraine");
  EXPECT_EQ(Cell(shelling, "source_scale"), "");
  EXPECT_EQ(Cell(shelling, "notes"), doc.Text(doc.events[0].evidence));
  EXPECT_EQ(Cell(shelling, "fatalities"), "0");

  const Row& losses = rows[2];
  EXPECT_EQ(Cell(losses, "event_date"), "2023-11-09");  // no event date: the publication's
  EXPECT_EQ(Cell(losses, "time_precision"), "2");
  EXPECT_EQ(Cell(losses, "event_type"), "Battles");
  EXPECT_EQ(Cell(losses, "sub_event_type"), "Armed clash");
  EXPECT_EQ(Cell(losses, "actor1"), "Military Forces of Ukraine (2019-)");
  EXPECT_EQ(Cell(losses, "actor2"), "Military Forces of Russia (2000-)");  // Battles: the opponent
  EXPECT_EQ(Cell(losses, "geo_precision"), "2");  // "near Bakhmut"
  EXPECT_EQ(Cell(losses, "source"), "Ukraine; Reuters");
  EXPECT_EQ(Cell(losses, "fatalities"), "17800");

  const Row& recapture = rows[3];
  EXPECT_EQ(Cell(recapture, "time_precision"), "2");  // a range
  EXPECT_EQ(Cell(recapture, "sub_event_type"), "Government regains territory");
  EXPECT_EQ(Cell(recapture, "source"), "");

  const Row& attack = rows[4];
  EXPECT_EQ(Cell(attack, "event_type"), "Violence against civilians");
  EXPECT_EQ(Cell(attack, "sub_event_type"), "Attack");
  EXPECT_EQ(Cell(attack, "actor1"), "");
  EXPECT_EQ(Cell(attack, "actor2"), "Civilians (Ukraine)");
  EXPECT_EQ(Cell(attack, "latitude"), "");
  EXPECT_EQ(Cell(attack, "geo_precision"), "");
}

TEST(OutputCsv, CaptureDependsOnWhoseCountry) {
  Document doc = testing::SampleDocument();
  doc.events[2].type = EventType::kCapture;
  doc.events[2].side = Side::kRU;
  Document abroad = doc;
  abroad.doc_id = "abroad";
  abroad.events[2].side = Side::kUA;
  abroad.places[3].country = "RU";  // Ukrainian forces taking ground in Russia
  Document unknown = doc;
  unknown.doc_id = "unknown";
  unknown.events[2].side = Side::kUnknown;
  const std::vector<Row> rows = WriteCsv({doc, abroad, unknown});
  EXPECT_EQ(Cell(rows[3], "sub_event_type"), "Non-state actor overtakes territory");
  EXPECT_EQ(Cell(rows[3], "actor2"), "Military Forces of Ukraine (2019-)");
  EXPECT_EQ(Cell(rows[7], "sub_event_type"), "Non-state actor overtakes territory");
  EXPECT_EQ(Cell(rows[11], "sub_event_type"), "Armed clash");
  EXPECT_EQ(Cell(rows[11], "actor2"), "");
}

TEST(OutputCsv, QuotingAndOneLineNotes) {
  Document doc = testing::SampleDocument();
  doc.text += "He said \"we held, barely\"\nand left.";
  doc.events.resize(1);
  doc.events[0].evidence = testing::Find(doc.text, "He said \"we held, barely\"\nand left.");
  doc.events[0].source->name = "Staff, \"South\"";
  testing::MemoryFile mem;
  std::unique_ptr<RecordSink> sink = MakeCsvSink(mem.get(), DefaultMap());
  ASSERT_TRUE(sink->Write(doc).ok());
  ASSERT_TRUE(sink->Finish().ok());
  const std::string raw = mem.contents();
  EXPECT_NE(raw.find("\"Staff, \"\"South\"\"\""), std::string::npos) << raw;
  EXPECT_NE(raw.find("\"He said \"\"we held, barely\"\" and left.\""), std::string::npos) << raw;
  EXPECT_NE(raw.find(",Kupiansk,"), std::string::npos);  // unquoted when nothing to quote
  const std::vector<Row> rows = ParseCsv(raw);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Cell(rows[1], "source"), "Staff, \"South\"");
  EXPECT_EQ(Cell(rows[1], "notes"), "He said \"we held, barely\" and left.");
}

TEST(OutputCsv, FatalitiesSumKilledPeople) {
  Document doc = testing::SampleDocument();
  Quantity civilians;
  civilians.value = 3;
  civilians.unit = Unit::kCivilians;
  civilians.what = "killed";
  Quantity wounded = civilians;
  wounded.what = "wounded";
  wounded.value = 10;
  Quantity tanks = civilians;
  tanks.unit = Unit::kTanks;
  tanks.what = "destroyed";
  doc.quantities.push_back(civilians);
  doc.quantities.push_back(wounded);
  doc.quantities.push_back(tanks);
  doc.events[1].quantities = {0, 1, 2, 3};
  const std::vector<Row> rows = WriteCsv({doc});
  EXPECT_EQ(Cell(rows[2], "fatalities"), "17803");
}

TEST(OutputCsv, DevFullIsAnError) {
  std::unique_ptr<RecordSink> sink;
  ASSERT_TRUE(OpenCsvSink("/dev/full", "", &sink).ok());
  (void)sink->Write(testing::SampleDocument());
  EXPECT_FALSE(sink->Finish().ok());
}

TEST(OutputCsv, MissingMapIsAnError) {
  std::unique_ptr<RecordSink> sink;
  Result r = OpenCsvSink(testing::TempPath("x.csv"), "/nonexistent/acled_map.tsv", &sink);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("/nonexistent/acled_map.tsv"), std::string::npos);
}

TEST(OutputAcledMap, DefaultFileCoversEveryType) {
  std::shared_ptr<const AcledMap> map = DefaultMap();
  ASSERT_NE(map, nullptr);
  for (int t = 0; t < kEventTypeCount; ++t) {
    AcledFacts facts;
    facts.type = static_cast<EventType>(t);
    const AcledCategory& c = map->Categorise(facts);
    EXPECT_FALSE(c.event_type.empty()) << Name(facts.type);
    EXPECT_FALSE(c.sub_event_type.empty()) << Name(facts.type);
    EXPECT_FALSE(c.disorder_type.empty()) << Name(facts.type);
  }
  EXPECT_EQ(map->ActorName(Side::kRU), "Military Forces of Russia (2000-)");
  EXPECT_EQ(map->ActorName(Side::kUA), "Military Forces of Ukraine (2019-)");
  EXPECT_EQ(map->HomeCountry(Side::kUA), "UA");
  EXPECT_EQ(map->Opponent(Side::kRU), Side::kUA);
  EXPECT_EQ(map->CiviliansActor("RU"), "Civilians (Russia)");
  EXPECT_EQ(map->CiviliansActor("PL"), "Civilians (International)");

  AcledFacts airstrike;
  airstrike.type = EventType::kAirstrike;
  EXPECT_EQ(map->Categorise(airstrike).sub_event_type, "Air/drone strike");
  AcledFacts intercept;
  intercept.type = EventType::kAirDefence;
  EXPECT_EQ(map->Categorise(intercept).event_type, "Strategic developments");
  EXPECT_EQ(map->Categorise(intercept).sub_event_type, "Disrupted weapons use");
}

TEST(OutputAcledMap, BadFilesAreRejectedWithTheLine) {
  const std::string header =
      "table\tkey\twhen\tdisorder_type\tevent_type\tsub_event_type\tactor\tcountry\topponent\n";
  std::string error;
  EXPECT_FALSE(AcledMap::Parse(header + "type\tbombing\t*\tP\tE\tS\n", "m.tsv", &error));
  EXPECT_NE(error.find("m.tsv:2"), std::string::npos) << error;
  EXPECT_NE(error.find("bombing"), std::string::npos) << error;
  EXPECT_FALSE(AcledMap::Parse(header + "type\tshelling\tsometimes\tP\tE\tS\n", "m.tsv", &error));
  EXPECT_NE(error.find("sometimes"), std::string::npos) << error;
  EXPECT_FALSE(AcledMap::Parse(header + "colour\tRU\n", "m.tsv", &error));
  EXPECT_FALSE(AcledMap::Parse(header + "side\tXX\n", "m.tsv", &error));
  // Only one type mapped: the others lack their `*` row.
  EXPECT_FALSE(AcledMap::Parse(header + "type\tshelling\t*\tP\tE\tS\n", "m.tsv", &error));
  EXPECT_NE(error.find("advance"), std::string::npos) << error;
  EXPECT_FALSE(AcledMap::Parse("table\tkey\n", "m.tsv", &error));
  EXPECT_NE(error.find("no column"), std::string::npos) << error;
}

}  // namespace
}  // namespace sitrep
