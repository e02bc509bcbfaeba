// The gazetteer: romanisation and skeletons, the builder on a tiny GeoNames fixture,
// the file reader's checks, and (when $SITREP_GAZETTEER exists) the real file.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/fold.h"
#include "places/gazetteer.h"
#include "places/places_test_util.h"
#include "places/romanize.h"

namespace sitrep {
namespace {

using testing::FixtureGazetteer;

// --- romanisation and skeletons ---------------------------------------------------

TEST(Romanize, NationalSystemFollowsTheTable) {
  std::string error;
  auto kmu = NationalRomanizer::Load(testing::SourceData() + "/gazetteer/kmu2010.tsv", &error);
  ASSERT_TRUE(kmu) << error;
  EXPECT_EQ(kmu->Romanize("Костянтинівка"), "Kostiantynivka");
  EXPECT_EQ(kmu->Romanize("Харків"), "Kharkiv");
  EXPECT_EQ(kmu->Romanize("Запоріжжя"), "Zaporizhzhia");
  EXPECT_EQ(kmu->Romanize("Київ"), "Kyiv");
  EXPECT_EQ(kmu->Romanize("Куп'янськ"), "Kupiansk");
  EXPECT_EQ(kmu->Romanize("Згурівка"), "Zghurivka");       // зг -> zgh
  EXPECT_EQ(kmu->Romanize("Юрківка"), "Yurkivka");         // initial ю -> yu
  EXPECT_EQ(kmu->Romanize("Руські Тишки"), "Ruski Tyshky");  // each word capitalised
  EXPECT_EQ(kmu->Romanize("Клебан-Бик"), "Kleban-Byk");
  EXPECT_EQ(kmu->Romanize("Їжаківка"), "Yizhakivka");       // initial ї -> yi
}

TEST(Romanize, IcuTransliteratorsAreAvailable) {
  IcuRomanizer icu;
  ASSERT_TRUE(icu.ok());
  EXPECT_EQ(icu.Russian("Константиновка"), "Konstantinovka");
  EXPECT_EQ(Fold(icu.Ukrainian("Костянтинівка")), "kostyantynivka");
}

TEST(Romanize, ScriptAndLanguage) {
  EXPECT_EQ(ScriptOf("Kharkiv"), Script::kLatin);
  EXPECT_EQ(ScriptOf("Харків"), Script::kCyrillic);
  EXPECT_EQ(ScriptOf("Kharkiv Харків"), Script::kMixed);
  EXPECT_EQ(ScriptOf("哈尔科夫"), Script::kOther);
  EXPECT_EQ(DetectCyrillicLanguage("Костянтинівка"), CyrillicLanguage::kUkrainian);
  EXPECT_EQ(DetectCyrillicLanguage("Ивантеевка Подъём"), CyrillicLanguage::kRussian);
  EXPECT_EQ(DetectCyrillicLanguage("Бахмут"), CyrillicLanguage::kUnknown);
}

TEST(Romanize, SkeletonsOfSpellingVariantsAreCloseOrEqual) {
  EXPECT_EQ(SkeletonKey("kupiansk"), SkeletonKey("kupyansk"));
  EXPECT_EQ(SkeletonKey("kharkiv"), SkeletonKey("harkiv"));
  EXPECT_EQ(SkeletonKey("zaporizhzhia"), SkeletonKey("zaporizzia"));
  EXPECT_LE(OsaDistance(SkeletonKey("klebanbyka"), SkeletonKey("klebanbyk"), 1), 1);
  EXPECT_LE(OsaDistance(SkeletonKey("dovvehnke"), SkeletonKey("dovhenke"), 1), 1);
  EXPECT_LE(OsaDistance(SkeletonKey("ruskityshiki"), SkeletonKey("ruskityshky"), 1), 1);
  EXPECT_GT(OsaDistance(SkeletonKey("bakhmut"), SkeletonKey("soledar"), 1), 1);
  EXPECT_EQ(SkeletonKey("харків"), "");  // Latin only
}

TEST(Romanize, OsaDistance) {
  EXPECT_EQ(OsaDistance("abc", "abc", 1), 0);
  EXPECT_EQ(OsaDistance("abc", "acb", 1), 1);  // transposition
  EXPECT_EQ(OsaDistance("abc", "abxc", 1), 1);
  EXPECT_EQ(OsaDistance("abc", "xyz", 1), 2);   // capped at limit + 1
  EXPECT_EQ(OsaDistance("kitten", "sitting", 3), 3);
}

// --- the fixture gazetteer -----------------------------------------------------------

class FixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(FixtureGazetteer::Get().ok()) << FixtureGazetteer::Get().error();
  }
  const Gazetteer& g() const { return FixtureGazetteer::Get().gazetteer(); }

  std::vector<uint32_t> Entries(std::string_view name) const {
    std::vector<uint32_t> out;
    const uint32_t node = g().FindName(name);
    if (node == Gazetteer::kNoNode) return out;
    for (const gaz::Posting& p : g().Postings(node)) out.push_back(p.entry);
    return out;
  }
  bool Names(std::string_view name, uint32_t geonameid) const {
    for (uint32_t e : Entries(name)) {
      if (g().Entry(e).geonameid == geonameid) return true;
    }
    return false;
  }
};

TEST_F(FixtureTest, IndexesPrimaryAlternateAndCyrillicNames) {
  EXPECT_TRUE(Names("Kharkiv", 706483));
  EXPECT_TRUE(Names("Kharkov", 706483));
  EXPECT_TRUE(Names("Харків", 706483));
  EXPECT_TRUE(Names("Харьков", 706483));
  EXPECT_TRUE(Names("KHARKIV", 706483));  // folded
  EXPECT_TRUE(Names("Kupyansk", 703656));
  EXPECT_TRUE(Names("Kupiansk", 703656));
  EXPECT_TRUE(Names("Kup’yans’k", 703656));  // apostrophes fold away
  EXPECT_EQ(g().FindName("Nowhereville"), Gazetteer::kNoNode);
}

TEST_F(FixtureTest, GeneratesRomanisationsOfCyrillicNames) {
  // The fixture row has only "Kostyantynivka", "Konstantinovka" and Cyrillic: the
  // national form comes from Костянтинівка, and it becomes the canonical name.
  EXPECT_TRUE(Names("Kostiantynivka", 705104));
  EXPECT_TRUE(Names("Konstantinovka", 705104));
  EXPECT_TRUE(Names("Костянтинівка", 705104));
  const std::vector<uint32_t> e = Entries("Kostiantynivka");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(g().Name(e[0]), "Kostiantynivka");
  EXPECT_EQ(g().Id(e[0]), "geonames:705104");
  EXPECT_EQ(g().Admin1Name(e[0]), "Donetsk Oblast");
  // Клебан-Бик -> Kleban-Byk (hyphen kept, both parts capitalised).
  EXPECT_TRUE(Names("Kleban-Byk", 705687));
  EXPECT_TRUE(Names("Kleban Byk", 705687));  // the tokenizer cuts the hyphen either way
}

TEST_F(FixtureTest, AdminUnitsHaveEnglishNamesAndEntries) {
  const uint16_t a = g().FindAdmin1("UA.07");
  ASSERT_NE(a, gaz::kNoAdmin);
  EXPECT_EQ(g().Str(g().Admin1(a).name), "Kharkiv Oblast");
  const uint32_t unit = g().Admin1(a).entry;
  ASSERT_NE(unit, gaz::kNoIndex);
  EXPECT_EQ(g().Entry(unit).geonameid, 706482u);
  EXPECT_EQ(g().Feature(unit), PlaceFeature::kRegion);
  EXPECT_EQ(g().Name(unit), "Kharkiv Oblast");
  EXPECT_NEAR(g().Entry(unit).radius_km, 150, 1);  // 100 km equal-area radius x 1.5
  EXPECT_TRUE(Names("Kharkiv Oblast", 706482));
  EXPECT_TRUE(Names("Kharkiv", 706482));  // the bare name reaches the oblast too
}

TEST_F(FixtureTest, CountriesCuratedFeaturesAndAbbreviations) {
  const std::vector<uint32_t> uk = Entries("UK");
  ASSERT_EQ(uk.size(), 1u);
  EXPECT_EQ(g().Feature(uk[0]), PlaceFeature::kCountry);
  EXPECT_EQ(g().Country(uk[0]), "GB");
  bool abbrev = false;
  for (const gaz::Posting& p : g().Postings(g().FindName("UK"))) abbrev |= (p.flags & gaz::kNameAbbrev) != 0;
  EXPECT_TRUE(abbrev);
  // Ukraine joins the GeoNames country entry and keeps its id.
  const std::vector<uint32_t> ua = Entries("Ukraine");
  ASSERT_EQ(ua.size(), 1u);
  EXPECT_EQ(g().Id(ua[0]), "geonames:690791");
  EXPECT_EQ(g().Name(ua[0]), "Ukraine");
  const std::vector<uint32_t> sea = Entries("Black Sea");
  ASSERT_EQ(sea.size(), 1u);
  EXPECT_EQ(g().Id(sea[0]), "sitrep:black-sea");
  EXPECT_EQ(g().Feature(sea[0]), PlaceFeature::kSea);
  EXPECT_TRUE(Names("Чорне море", 0) || !Entries("Чорне море").empty());
}

TEST_F(FixtureTest, DemonymsAndStopNamesAreNotIndexed) {
  EXPECT_EQ(g().FindName("Russian"), Gazetteer::kNoNode);
  EXPECT_EQ(g().FindName("Ukrainian"), Gazetteer::kNoNode);
  EXPECT_TRUE(g().IsStopWord(FoldHash("russian")));
  EXPECT_TRUE(g().IsStopWord(FoldHash("independent")));
}

TEST_F(FixtureTest, MarksCommonWords) {
  const uint32_t bar = g().FindName("Bar");
  ASSERT_NE(bar, Gazetteer::kNoNode);
  EXPECT_TRUE(g().NodeFlags(bar) & gaz::kNodeCommonWord);
  EXPECT_FALSE(g().NodeFlags(g().FindName("Kharkiv")) & gaz::kNodeCommonWord);
  EXPECT_TRUE(g().IsCommonWord(FoldHash("several")));
  EXPECT_FALSE(g().IsCommonWord(FoldHash("kharkiv")));
}

TEST_F(FixtureTest, FuzzyIndexFindsOneEditOnTheSkeleton) {
  std::vector<uint32_t> nodes;
  std::vector<uint8_t> dist;
  g().FuzzyNodes(SkeletonKey(FoldPhrase("Kleban-Byka")), &nodes, &dist);
  bool found = false;
  for (uint32_t n : nodes) {
    for (const gaz::Posting& p : g().Postings(n)) found |= g().Entry(p.entry).geonameid == 705687;
  }
  EXPECT_TRUE(found);
  nodes.clear();
  dist.clear();
  g().FuzzyNodes(SkeletonKey(FoldPhrase("Dovvehnke")), &nodes, &dist);
  found = false;
  for (uint32_t n : nodes) {
    for (const gaz::Posting& p : g().Postings(n)) found |= g().Entry(p.entry).geonameid == 709827;
  }
  EXPECT_TRUE(found);
  nodes.clear();
  dist.clear();
  g().FuzzyNodes(SkeletonKey(FoldPhrase("Zelenskyy")), &nodes, &dist);
  EXPECT_TRUE(nodes.empty());
}

// --- the file reader ---------------------------------------------------------------------

TEST(GazetteerFile, RejectsMissingCorruptAndOldFiles) {
  std::string error;
  EXPECT_FALSE(Gazetteer::Open("/nonexistent/sitrep.gaz", &error));
  EXPECT_NE(error.find("gazetteer build"), std::string::npos);

  const std::string path = std::filesystem::temp_directory_path() / "sitrep-bad.gaz";
  testing::WriteFile(path, std::string(200, 'x'));
  EXPECT_FALSE(Gazetteer::Open(path, &error));
  EXPECT_NE(error.find("bad magic"), std::string::npos);

  ASSERT_TRUE(FixtureGazetteer::Get().ok());
  std::string good;
  ASSERT_TRUE(ReadFile(FixtureGazetteer::Get().path(), &good));
  std::string old = good;
  old[8] = static_cast<char>(gaz::kVersion + 1);  // Header::version
  testing::WriteFile(path, old);
  EXPECT_FALSE(Gazetteer::Open(path, &error));
  EXPECT_NE(error.find("version"), std::string::npos);

  testing::WriteFile(path, good.substr(0, good.size() / 2));
  EXPECT_FALSE(Gazetteer::Open(path, &error));
  EXPECT_NE(error.find("truncated"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(GazetteerBuild, FailsClearlyWithoutSources) {
  GazetteerBuildOptions opt;
  opt.data_dir = "/nonexistent";
  opt.output = std::filesystem::temp_directory_path() / "sitrep-none.gaz";
  std::string error;
  EXPECT_FALSE(BuildGazetteer(opt, nullptr, &error));
  EXPECT_NE(error.find("data directory"), std::string::npos);
  opt.data_dir = FixtureGazetteer::Get().data_dir();
  opt.geonames_dir = "/nonexistent-geonames";
  EXPECT_FALSE(BuildGazetteer(opt, nullptr, &error));
  EXPECT_NE(error.find("not a directory"), std::string::npos);
}

// --- the real gazetteer (skipped when it has not been built) -------------------------------

class RealGazetteer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = testing::RealGazetteerPath();
    if (path.empty()) return;
    std::string error;
    const auto start = std::chrono::steady_clock::now();
    gaz_ = Gazetteer::Open(path, &error).release();
    open_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  static void TearDownTestSuite() {
    delete gaz_;
    gaz_ = nullptr;
  }
  void SetUp() override {
    if (gaz_ == nullptr) GTEST_SKIP() << "no built gazetteer at $SITREP_GAZETTEER";
  }
  // The best-ranked entry a name reaches (rank, then population).
  uint32_t Best(std::string_view name) const {
    const uint32_t node = gaz_->FindName(name);
    if (node == Gazetteer::kNoNode) return gaz::kNoIndex;
    uint32_t best = gaz::kNoIndex;
    for (const gaz::Posting& p : gaz_->Postings(node)) {
      const gaz::EntryRecord& e = gaz_->Entry(p.entry);
      if (best == gaz::kNoIndex || e.rank > gaz_->Entry(best).rank ||
          (e.rank == gaz_->Entry(best).rank && e.population > gaz_->Entry(best).population)) {
        best = p.entry;
      }
    }
    return best;
  }
  static Gazetteer* gaz_;
  static double open_ms_;
};
Gazetteer* RealGazetteer::gaz_ = nullptr;
double RealGazetteer::open_ms_ = 0;

TEST_F(RealGazetteer, OpensFast) {
  // Reported, not asserted: timing depends on the machine.
  RecordProperty("open_ms", std::to_string(open_ms_));
  std::printf("gazetteer: %u entries, %.1f MB, opened in %.3f ms\n", gaz_->size(), gaz_->file_size() / 1e6, open_ms_);
  EXPECT_GT(gaz_->size(), 40000u);
}

TEST_F(RealGazetteer, SpellingsOfTheSamePlace) {
  for (const char* n : {"Kharkiv", "Kharkov", "Харків", "Харьков"}) {
    const uint32_t e = Best(n);
    ASSERT_NE(e, gaz::kNoIndex) << n;
    EXPECT_EQ(gaz_->Entry(e).geonameid, 706483u) << n;
  }
  for (const char* n : {"Kupiansk", "Kupyansk", "Куп'янськ"}) {
    const uint32_t e = Best(n);
    ASSERT_NE(e, gaz::kNoIndex) << n;
    EXPECT_EQ(gaz_->Name(e), "Kupiansk") << n;
  }
  const uint32_t kyiv = Best("Kiev");
  ASSERT_NE(kyiv, gaz::kNoIndex);
  EXPECT_EQ(gaz_->Name(kyiv), "Kyiv");
  EXPECT_EQ(gaz_->Admin1Name(kyiv), "Kyiv City");
}

TEST_F(RealGazetteer, SupplementsAndNeighbours) {
  for (const char* n : {"Black Sea", "Sea of Azov", "Kerch Strait", "Donbas", "Crimea", "Azovstal",
                        "Zaporizhzhia Nuclear Power Plant", "Moscow", "Sudzha", "Kursk Oblast", "Geneva",
                        "United Kingdom", "Britain", "Taman Peninsula", "Siverskyi Donets"}) {
    EXPECT_NE(Best(n), gaz::kNoIndex) << n;
  }
  const uint32_t kursk = Best("Kursk Oblast");
  EXPECT_EQ(gaz_->Admin1Name(kursk), "Kursk Oblast");
  EXPECT_EQ(gaz_->Country(kursk), "RU");
}

}  // namespace
}  // namespace sitrep
