// The places stage on sentences written for these tests: against the fixture
// gazetteer (always) and the real one (when $SITREP_GAZETTEER exists), plus the
// case files in testdata/.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "base/tsv.h"
#include "places/place_recogniser.h"
#include "places/places_test_util.h"

namespace sitrep {
namespace {

using testing::Find;
using testing::FixtureGazetteer;
using testing::MakeDoc;

double Km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double h = std::pow(std::sin((lat2 - lat1) * kRad / 2), 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::pow(std::sin((lon2 - lon1) * kRad / 2), 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(h)));
}

class Recogniser : public ::testing::Test {
 protected:
  void SetUp() override {
    const FixtureGazetteer& f = FixtureGazetteer::Get();
    ASSERT_TRUE(f.ok()) << f.error();
    std::string error;
    rec_ = PlaceRecogniser::Load(f.gazetteer(), f.data_dir(), &error);
    ASSERT_TRUE(rec_) << error;
  }
  Document Run(std::string_view text) const {
    Document doc = MakeDoc(text);
    EXPECT_TRUE(rec_->Process(doc).ok());
    return doc;
  }
  std::unique_ptr<PlaceRecogniser> rec_;
};

TEST_F(Recogniser, FindsSpellingVariantsInTextOrder) {
  const Document doc = Run("Shelling hit Kharkov and Konstantinovka overnight, then Kupyansk.");
  ASSERT_EQ(doc.places.size(), 3u);
  EXPECT_EQ(doc.places[0].name, "Kharkiv");
  EXPECT_EQ(doc.places[0].id, "geonames:706483");
  EXPECT_EQ(doc.places[0].admin1, "Kharkiv Oblast");
  EXPECT_EQ(doc.places[0].country, "UA");
  EXPECT_EQ(doc.Text(doc.places[0].span), "Kharkov");
  EXPECT_EQ(doc.places[1].name, "Kostiantynivka");
  EXPECT_EQ(doc.places[2].name, "Kupiansk");
  EXPECT_LT(doc.places[0].span.begin, doc.places[1].span.begin);
}

TEST_F(Recogniser, CyrillicText) {
  const Document doc = Run("Обстріл Костянтинівки та Харкова.\nУ Костянтинівка сьогодні тихо.");
  // Inflected forms are not in the gazetteer; the nominative is.
  const auto k = Find(doc, "Костянтинівка");
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0]->name, "Kostiantynivka");
  // In lower case a name is a word first.
  EXPECT_TRUE(Run("слово бар тут.").places.empty());
}

TEST_F(Recogniser, RegionPhraseMeansTheOblast) {
  const Document doc = Run("Russian troops pulled back from the Kharkiv region last week.");
  const auto p = Find(doc, "Kharkiv region");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]->id, "geonames:706482");
  EXPECT_EQ(p[0]->feature, PlaceFeature::kRegion);
  EXPECT_EQ(p[0]->admin1, "Kharkiv Oblast");
  EXPECT_GE(p[0]->radius_km, 100);
}

TEST_F(Recogniser, CoordinatedRegionsShareTheWord) {
  const Document doc = Run("Officials in the Kharkiv and Donetsk regions ordered evacuations.");
  const auto kh = Find(doc, "Kharkiv");
  const auto dn = Find(doc, "Donetsk regions");
  ASSERT_EQ(kh.size(), 1u);
  ASSERT_EQ(dn.size(), 1u);
  EXPECT_EQ(kh[0]->feature, PlaceFeature::kRegion);
  EXPECT_EQ(dn[0]->feature, PlaceFeature::kRegion);
  EXPECT_EQ(dn[0]->admin1, "Donetsk Oblast");
}

TEST_F(Recogniser, DonetskCityOrOblast) {
  Document doc = Run("Fighting continued in the Donetsk region on Monday.");
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_EQ(doc.places[0].feature, PlaceFeature::kRegion);
  doc = Run("Troops withdrew from the city of Donetsk.");
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_EQ(doc.places[0].feature, PlaceFeature::kSettlement);
  EXPECT_EQ(doc.places[0].id, "geonames:709717");
  doc = Run("Explosions were heard in Donetsk overnight.");
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_EQ(doc.places[0].feature, PlaceFeature::kSettlement);  // bare: the city
}

TEST_F(Recogniser, DistrictPhrase) {
  const Document doc = Run("Shelling was reported in the Bakhmut district.");
  const auto p = Find(doc, "Bakhmut district");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]->feature, PlaceFeature::kDistrict);
  EXPECT_EQ(p[0]->id, "geonames:713172");
}

TEST_F(Recogniser, PetrivkaResolvedByItsNeighbours) {
  // Three Petrivkas in the fixture; the one near Ternova and Kharkiv is meant.
  const Document doc = Run("Kharkiv was quiet.\nShells fell on Ternova and Petrivka.");
  const auto p = Find(doc, "Petrivka");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]->id, "geonames:697401");
  EXPECT_LT(Km(p[0]->lat, p[0]->lon, 50.112, 36.523), 1);
  // Alone, the most important one (a hromada seat, PPLA3) wins, with less confidence
  // than a resolved one.
  const Document alone = Run("Shells fell on the village of Petrivka.");
  ASSERT_EQ(alone.places.size(), 1u);
  EXPECT_EQ(alone.places[0].id, "geonames:697384");
  EXPECT_LT(alone.places[0].confidence, p[0]->confidence);
}

TEST_F(Recogniser, FuzzyNeedsContext) {
  // A misspelt village next to places of its oblast is found and marked fuzzy.
  Document doc = Run("Artillery hit Kharkiv, Ternova and Ruski Tyshiki on Sunday.");
  auto p = Find(doc, "Ruski Tyshiki");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0]->fuzzy);
  EXPECT_EQ(p[0]->id, "geonames:695101");
  EXPECT_LT(p[0]->confidence, 0.9f);
  doc = Run("Fighting near Konstantinovka and Kleban-Byka in the Donetsk region.");
  p = Find(doc, "Kleban-Byka");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]->name, "Kleban-Byk");
  // Without any support from the document, the same misspelling is not a place.
  doc = Run("Fighting near Kleban-Byka was reported.");
  EXPECT_TRUE(Find(doc, "Kleban-Byka").empty());
  doc = Run("The report by Ruski Tyshiki was published.");
  EXPECT_TRUE(doc.places.empty());
}

TEST_F(Recogniser, OrganisationsActorsPersonsAndWords) {
  Document doc = Run("The UK's Ministry of Defence said Russia had lost ground near Izium.");
  const auto uk = Find(doc, "UK");
  ASSERT_EQ(uk.size(), 1u);
  EXPECT_FALSE(uk[0]->reportable);
  const auto izium = Find(doc, "Izium");
  ASSERT_EQ(izium.size(), 1u);
  EXPECT_TRUE(izium[0]->reportable);

  doc = Run("Russia said the strike was a response.");
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_TRUE(doc.places[0].as_actor);
  doc = Run("Drones flew in from Russia overnight.");
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_FALSE(doc.places[0].as_actor);

  doc = Run("In May the front barely moved.\nThe bar was closed.");
  EXPECT_TRUE(doc.places.empty());
  doc = Run("A café in the town of Bar was damaged.");
  ASSERT_EQ(Find(doc, "Bar").size(), 1u);

  doc = Run("Russian and Ukrainian officials met.");
  EXPECT_TRUE(doc.places.empty());

  // A capitalised name after a title or a given name is a person's.
  doc = Run("Governor Kharkiv spoke.\nMykola Bakhmut answered.");
  EXPECT_TRUE(doc.places.empty());
  // A given name before a surname that looks like a village is still a person's.
  doc = Run("Modi met Vladimir Putin on Friday.");
  EXPECT_TRUE(doc.places.empty());
}

TEST_F(Recogniser, QualifiersAndParts) {
  Document doc = Run("Ukrainian forces advanced north of Kharkiv.");
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_EQ(doc.places[0].qualifier, "north of");
  EXPECT_NEAR(doc.places[0].lat, 49.98, 0.01);  // the place itself, a wider radius
  EXPECT_GT(doc.places[0].radius_km, 25);

  doc = Run("Heavy fighting raged in eastern Ukraine.");
  const auto east = Find(doc, "eastern Ukraine");
  ASSERT_EQ(east.size(), 1u);
  EXPECT_EQ(east[0]->feature, PlaceFeature::kRegion);
  EXPECT_EQ(east[0]->qualifier, "eastern");
  EXPECT_GT(east[0]->lon, 35);  // moved east of the country's centre (32 E)

  // A front without a name: kept for events, not reported as a toponym.
  doc = Run("Ukraine liberated two villages on the southern front.");
  const auto front = Find(doc, "southern front");
  ASSERT_EQ(front.size(), 1u);
  EXPECT_FALSE(front[0]->reportable);
  EXPECT_EQ(front[0]->qualifier, "southern front");
  EXPECT_EQ(front[0]->feature, PlaceFeature::kRegion);
  EXPECT_LT(front[0]->lat, 48.5);

  doc = Run("Attacks continued in the Kupiansk direction.");
  const auto axis = Find(doc, "Kupiansk direction");
  ASSERT_EQ(axis.size(), 1u);
  EXPECT_EQ(axis[0]->qualifier, "direction");
  EXPECT_GE(axis[0]->radius_km, 30);
}

TEST_F(Recogniser, RemovedSpansAreSkipped) {
  Document doc = MakeDoc("Shelling hit Kharkiv.\nComment: I was in Kupyansk once.");
  doc.removed.push_back(RemovedSpan{Span{22, static_cast<uint32_t>(doc.text.size())}, RemovedReason::kComments});
  ASSERT_TRUE(rec_->Process(doc).ok());
  ASSERT_EQ(doc.places.size(), 1u);
  EXPECT_EQ(doc.places[0].name, "Kharkiv");
}

TEST_F(Recogniser, EmptyAndPunctuationOnlyDocuments) {
  EXPECT_TRUE(Run("").places.empty());
  EXPECT_TRUE(Run("... !!! ---").places.empty());
}

// --- the real gazetteer ------------------------------------------------------------------

class RealRecogniser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = testing::RealGazetteerPath();
    if (path.empty()) return;
    std::string error;
    gaz_ = Gazetteer::Open(path, &error).release();
    if (gaz_ == nullptr) return;
    rec_ = PlaceRecogniser::Load(*gaz_, testing::SourceData(), &error).release();
  }
  static void TearDownTestSuite() {
    delete rec_;
    delete gaz_;
    rec_ = nullptr;
    gaz_ = nullptr;
  }
  void SetUp() override {
    if (rec_ == nullptr) GTEST_SKIP() << "no built gazetteer at $SITREP_GAZETTEER";
  }
  static Document Run(std::string_view text) {
    Document doc = MakeDoc(text);
    EXPECT_TRUE(rec_->Process(doc).ok());
    return doc;
  }
  static Gazetteer* gaz_;
  static PlaceRecogniser* rec_;
};
Gazetteer* RealRecogniser::gaz_ = nullptr;
PlaceRecogniser* RealRecogniser::rec_ = nullptr;

TEST_F(RealRecogniser, KeyCases) {
  Document doc = Run("Russian shelling hit Kharkov, Kupyansk and Konstantinovka, officials in Kyiv said.");
  ASSERT_EQ(Find(doc, "Kharkov").size(), 1u);
  EXPECT_EQ(Find(doc, "Kharkov")[0]->name, "Kharkiv");
  EXPECT_EQ(Find(doc, "Kupyansk")[0]->name, "Kupiansk");
  EXPECT_EQ(Find(doc, "Konstantinovka")[0]->admin1, "Donetsk Oblast");

  doc = Run("The UK's Ministry of Defence said Russia had moved troops to the Kursk region.");
  ASSERT_EQ(Find(doc, "UK").size(), 1u);
  EXPECT_FALSE(Find(doc, "UK")[0]->reportable);
  ASSERT_EQ(Find(doc, "Russia").size(), 1u);
  EXPECT_TRUE(Find(doc, "Russia")[0]->as_actor);
  ASSERT_EQ(Find(doc, "Kursk region").size(), 1u);
  EXPECT_EQ(Find(doc, "Kursk region")[0]->admin1, "Kursk Oblast");

  doc = Run("Sea drones struck a ship in the Black Sea near the Kerch Strait.");
  ASSERT_EQ(Find(doc, "Black Sea").size(), 1u);
  EXPECT_EQ(Find(doc, "Black Sea")[0]->feature, PlaceFeature::kSea);
  ASSERT_EQ(Find(doc, "Kerch Strait").size(), 1u);

  doc = Run("В Харкові та Костянтинівка лунали вибухи.");
  ASSERT_EQ(Find(doc, "Костянтинівка").size(), 1u);
}

TEST(PlacesThroughput, ReportsSpeed) {
  const std::string path = testing::RealGazetteerPath();
  if (path.empty()) GTEST_SKIP() << "no built gazetteer";
  std::string error;
  auto gaz = Gazetteer::Open(path, &error);
  ASSERT_TRUE(gaz) << error;
  auto rec = PlaceRecogniser::Load(*gaz, testing::SourceData(), &error);
  ASSERT_TRUE(rec) << error;
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text += "Russian forces shelled Kupiansk and Izium in the Kharkiv region on Tuesday, the governor said. ";
    text += "Ukraine's General Staff reported fighting near Bakhmut, Soledar and Konstantinovka.\n";
    text += "The ministry said the talks in Geneva would continue next week despite the attacks.\n";
  }
  Document doc = MakeDoc(text);
  const auto start = std::chrono::steady_clock::now();
  constexpr int kReps = 5;
  for (int r = 0; r < kReps; ++r) ASSERT_TRUE(rec->Process(doc).ok());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("places: %.1f MB/s on one thread (%zu places per pass)\n", text.size() * kReps / 1e6 / s,
              doc.places.size());
  EXPECT_GT(doc.places.size(), 1000u);
}

// --- case files ---------------------------------------------------------------------------
//
// testdata/*.test: a line "> text" (one sentence per line; several "> " lines make one
// document), then the expected places, one a line:
//   TEXT | LAT LON | KM [| flag ...]   a place with this text within KM of LAT LON
//   !TEXT                              no place has this text
// Flags: actor, unreportable, fuzzy, feature=region, qualifier=north of.
// A blank line ends the case. Run against the real gazetteer.

struct Expect {
  std::string text;
  bool absent = false;
  double lat = 0, lon = 0, km = 0;
  std::vector<std::string> flags;
};
struct Case {
  std::string file;
  size_t line = 0;
  std::string text;
  std::vector<Expect> expect;
};

std::string Strip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  const std::filesystem::path dir = std::filesystem::path(__FILE__).parent_path() / "testdata";
  if (!std::filesystem::is_directory(dir)) return cases;
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".test") files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::string body;
    ReadFile(path.string(), &body);
    std::istringstream in(body);
    std::string line;
    size_t n = 0;
    Case cur;
    auto flush = [&] {
      if (!cur.text.empty()) cases.push_back(cur);
      cur = Case();
    };
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line[0] == '#') continue;
      if (Strip(line).empty()) {
        flush();
        continue;
      }
      if (line.rfind("> ", 0) == 0) {
        if (cur.text.empty()) {
          cur.file = path.filename().string();
          cur.line = n;
        } else {
          cur.text += "\n";
        }
        cur.text += line.substr(2);
        continue;
      }
      Expect e;
      std::vector<std::string> parts = Split(line, '|');
      for (std::string& p : parts) p = Strip(p);
      if (!parts[0].empty() && parts[0][0] == '!') {
        e.absent = true;
        e.text = Strip(parts[0].substr(1));
      } else {
        e.text = parts[0];
        if (parts.size() >= 3) {
          std::istringstream ll(parts[1]);
          ll >> e.lat >> e.lon;
          e.km = std::stod(parts[2]);
        }
        for (size_t k = 3; k < parts.size(); ++k) e.flags.push_back(parts[k]);
      }
      cur.expect.push_back(e);
    }
    flush();
  }
  return cases;
}

TEST_F(RealRecogniser, CaseFiles) {
  const std::vector<Case> cases = LoadCases();
  ASSERT_FALSE(cases.empty()) << "no testdata/*.test";
  int failures = 0;
  for (const Case& c : cases) {
    const Document doc = Run(c.text);
    const std::string where = c.file + ":" + std::to_string(c.line);
    for (const Expect& e : c.expect) {
      const std::vector<const Place*> got = Find(doc, e.text);
      if (e.absent) {
        if (!got.empty()) {
          ++failures;
          ADD_FAILURE() << where << ": '" << e.text << "' should not be a place (got " << got[0]->name << ")";
        }
        continue;
      }
      if (got.empty()) {
        ++failures;
        std::string all;
        for (const Place& p : doc.places) all += " [" + std::string(doc.Text(p.span)) + "]";
        ADD_FAILURE() << where << ": no place '" << e.text << "'; found:" << all;
        continue;
      }
      const Place& p = *got[0];
      if (e.km > 0 && Km(p.lat, p.lon, e.lat, e.lon) > e.km) {
        ++failures;
        ADD_FAILURE() << where << ": '" << e.text << "' placed at " << p.lat << "," << p.lon << " (" << p.name
                      << ", " << p.admin1 << "), expected within " << e.km << " km of " << e.lat << "," << e.lon;
      }
      for (const std::string& f : e.flags) {
        bool ok = true;
        if (f == "actor") ok = p.as_actor;
        else if (f == "unreportable") ok = !p.reportable;
        else if (f == "fuzzy") ok = p.fuzzy;
        else if (f.rfind("feature=", 0) == 0) ok = Name(p.feature) == f.substr(8);
        else if (f.rfind("qualifier=", 0) == 0) ok = p.qualifier == f.substr(10);
        else if (f.rfind("name=", 0) == 0) ok = p.name == f.substr(5);
        if (!ok) {
          ++failures;
          ADD_FAILURE() << where << ": '" << e.text << "' lacks " << f << " (name " << p.name << ", feature "
                        << Name(p.feature) << ", qualifier '" << p.qualifier << "', actor " << p.as_actor
                        << ", reportable " << p.reportable << ", fuzzy " << p.fuzzy << ")";
        }
      }
    }
  }
  std::printf("places case files: %zu cases, %d failed expectations\n", cases.size(), failures);
}

}  // namespace
}  // namespace sitrep
