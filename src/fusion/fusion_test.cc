// Fusion on articles we wrote: each runs through the whole pipeline, its records are
// written as `sitrep extract` writes them and read back, then fused.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "base/civil_date.h"
#include "base/paths.h"
#include "fusion/fingerprint.h"
#include "fusion/fuser.h"
#include "output/records.h"
#include "pipeline/test_pipeline.h"

namespace sitrep {
namespace {

struct Article {
  std::string id;
  std::string text;  // begins with "date YYYY-MM-DD"
  std::string url;
};

// Extracts the articles, writes their records to a file and reads them back.
FusionInput Extract(const std::vector<Article>& articles) {
  std::string jsonl;
  for (const Article& a : articles) {
    const Document doc = testing::Extract(a.text, a.id, a.url);
    AppendDocumentJson(doc, jsonl);
    jsonl += '\n';
    for (size_t i = 0; i < doc.events.size(); ++i) {
      AppendEventJson(doc, i, jsonl);
      jsonl += '\n';
    }
  }
  const std::string path = ::testing::TempDir() + "fusion_" + std::to_string(::getpid()) + ".jsonl";
  std::ofstream(path) << jsonl;
  FusionInput in;
  std::vector<std::string> warnings;
  std::string error;
  EXPECT_TRUE(ReadRecords(path, &in, &warnings, &error)) << error;
  EXPECT_TRUE(warnings.empty());
  std::remove(path.c_str());
  return in;
}

std::unique_ptr<Fuser> LoadFuser() {
  std::string error;
  auto f = Fuser::Load(DataDir(), &error);
  EXPECT_NE(f, nullptr) << error;
  return f;
}

// The cluster of the first event of this type in this document.
const Cluster* ClusterOf(const FusionInput& in, const FusionResult& out, const std::string& doc,
                         EventType type) {
  for (uint32_t i = 0; i < in.reports.size(); ++i) {
    if (in.docs[in.reports[i].doc].doc_id == doc && in.reports[i].type == type)
      return &out.clusters[out.cluster_of[i]];
  }
  return nullptr;
}

const std::string kWire =
    "Russian forces captured the town of Marinka after months of fighting, the Russian Defence "
    "Ministry said on Monday. The ministry said its troops had taken full control of the town, "
    "which lies on the western edge of Donetsk. Ukrainian officials did not immediately comment on "
    "the claim, and the fighting in the area continued through the weekend according to local "
    "residents who spoke to reporters by telephone from nearby villages.\n";

TEST(Fusion, ASyndicatedCopyCountsAsOneSource) {
  const auto fuser = LoadFuser();
  // The same wire story twice (a re-post with another headline), and one outlet's own
  // report of the same capture.
  FusionInput in = Extract({
      {"wire", "date 2023-12-25\n\nRussia says it took Marinka\n\n" + kWire, ""},
      {"repost", "date 2023-12-25\n\nMarinka falls, Moscow claims\n\n" + kWire, ""},
      {"own",
       "date 2023-12-26\n\nRussian troops have captured Marinka, a town west of Donetsk, according to "
       "the ISW, which said footage showed Russian flags over the town centre.\n",
       ""},
  });
  const FusionResult out = fuser->Fuse(in);
  ASSERT_EQ(out.near_duplicates.size(), 1u) << "the re-post is a near duplicate of the wire story";
  EXPECT_EQ(out.near_duplicates[0].size(), 2u);
  const Cluster* c = ClusterOf(in, out, "wire", EventType::kCapture);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c, ClusterOf(in, out, "repost", EventType::kCapture));
  EXPECT_EQ(c, ClusterOf(in, out, "own", EventType::kCapture));
  // The ministry (relayed by both copies) and the ISW: two, not three.
  EXPECT_EQ(c->sources.size(), 2u);
  EXPECT_EQ(c->type, EventType::kCapture);
  EXPECT_EQ(c->side, Side::kRU);
}

TEST(Fusion, UndatedReportsMeetOnlyTheirOwnCopies) {
  const auto fuser = LoadFuser();
  // No publication date and no date in the text: a re-post is the same report, but
  // another article's capture of Marinka may be of any day.
  FusionInput in = Extract({
      {"wire", "Russia says it took Marinka\n\n" + kWire, ""},
      {"repost", "Marinka falls, Moscow claims\n\n" + kWire, ""},
      {"other",
       "Russian troops have captured Marinka, a town west of Donetsk, according to the ISW, which "
       "said footage showed Russian flags over the town centre.\n",
       ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* c = ClusterOf(in, out, "wire", EventType::kCapture);
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->dated);
  EXPECT_EQ(c, ClusterOf(in, out, "repost", EventType::kCapture));
  EXPECT_NE(c, ClusterOf(in, out, "other", EventType::kCapture));
}

uint64_t Mixed(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

TEST(Fusion, NearDuplicatesAreFoundByTheirFingerprints) {
  std::vector<uint64_t> a, b, other;
  for (uint64_t i = 0; i < 400; ++i) {
    a.push_back(Mixed(i));
    b.push_back(i < 380 ? Mixed(i) : Mixed(i + 5000));  // a re-post: 20 of 400 shingles differ
    other.push_back(Mixed(i + 100000));                  // another story
  }
  const Sketch sa = *MinHashSketch(a), sb = *MinHashSketch(b), so = *MinHashSketch(other);
  EXPECT_GE(EstimateJaccard(sa, sb), kNearDuplicateJaccard);  // true Jaccard 380/420 = 0.90
  EXPECT_LT(EstimateJaccard(sa, so), 0.2);
  EXPECT_EQ(SketchFromHex(SketchToHex(sa)), sa);
  EXPECT_FALSE(SketchFromHex("zz"));
}

TEST(Fusion, AClaimAndItsDenialContradictEachOther) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"claim", "date 2023-08-10\n\nThe Russian Defence Ministry said its forces captured Synkivka in the Kharkiv region.\n", ""},
      {"denial",
       "date 2023-08-11\n\nUkraine's General Staff denied that Russian forces had captured Synkivka in the "
       "Kharkiv region, saying the village remained under Ukrainian control.\n",
       ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* claim = ClusterOf(in, out, "claim", EventType::kCapture);
  const Cluster* denial = ClusterOf(in, out, "denial", EventType::kCapture);
  ASSERT_NE(claim, nullptr);
  ASSERT_NE(denial, nullptr);
  ASSERT_NE(claim, denial) << "a denial is not a second report of the claim";
  EXPECT_EQ(denial->status, Status::kDenied);
  const auto idx = [&](const Cluster* c) { return static_cast<uint32_t>(c - out.clusters.data()); };
  EXPECT_EQ(claim->contradicts, std::vector<uint32_t>{idx(denial)});
  EXPECT_EQ(denial->contradicts, std::vector<uint32_t>{idx(claim)});
}

TEST(Fusion, ADenialMeetsTheClaimByAnyOfTheClaimsPlaces) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      // One withdrawal at two places, Kursk the most specific.
      {"claim",
       "date 2022-02-15\n\nRussian troops were pulling back from the border with Ukraine, the ministry "
       "said. Units of the Western Military District were returning to their bases near Kursk, it said.\n",
       ""},
      {"denial",
       "date 2022-02-16\n\n\"There are no signs of the withdrawal of Russian troops from the border with "
       "Ukraine,\" the NATO secretary general said.\n",
       ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* claim = ClusterOf(in, out, "claim", EventType::kWithdrawal);
  const Cluster* denial = ClusterOf(in, out, "denial", EventType::kWithdrawal);
  ASSERT_NE(claim, nullptr);
  ASSERT_NE(denial, nullptr);
  ASSERT_NE(claim, denial);
  const auto idx = [&](const Cluster* c) { return static_cast<uint32_t>(c - out.clusters.data()); };
  EXPECT_EQ(denial->contradicts, std::vector<uint32_t>{idx(claim)});
}

TEST(Fusion, AHappeningInARegionDoesNotDriftThroughACoarserArea) {
  const auto fuser = LoadFuser();
  // The second report places the Crimea blasts in southern Ukraine too; the shelling of
  // Zaporizhzhia, in southern Ukraine but not in Crimea, is another happening.
  FusionInput in = Extract({
      {"crimea", "date 2022-08-16\n\nUkrainian forces attacked Russian bases in Crimea on Tuesday.\n", ""},
      {"south",
       "date 2022-08-16\n\nUkrainian forces attacked Russian bases in Crimea and in southern Ukraine on Tuesday.\n",
       ""},
      {"plant", "date 2022-08-16\n\nUkrainian forces attacked Russian positions in Zaporizhzhia on Tuesday.\n", ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* crimea = ClusterOf(in, out, "crimea", EventType::kAttack);
  ASSERT_NE(crimea, nullptr);
  EXPECT_EQ(crimea, ClusterOf(in, out, "south", EventType::kAttack));
  EXPECT_NE(crimea, ClusterOf(in, out, "plant", EventType::kAttack));
}

TEST(Fusion, ACaptureThenARecaptureFlipsControlBackWithBothDates) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"a", "date 2022-06-20\n\nRussian forces captured Kupiansk on Sunday, June 19, 2022, officials said.\n", ""},
      {"b", "date 2022-09-11\n\nUkrainian troops recaptured Kupiansk on Saturday, September 10, 2022.\n", ""},
  });
  const FusionResult out = fuser->Fuse(in);
  std::vector<const ControlChange*> kupiansk;
  for (const ControlChange& k : out.control) {
    if (k.name == "Kupiansk") kupiansk.push_back(&k);
  }
  ASSERT_EQ(kupiansk.size(), 2u);
  EXPECT_EQ(kupiansk[0]->side, Side::kRU);
  EXPECT_EQ(FormatIsoDate(CivilFromDays(kupiansk[0]->from)), "2022-06-19");
  EXPECT_EQ(kupiansk[1]->side, Side::kUA);
  EXPECT_EQ(FormatIsoDate(CivilFromDays(kupiansk[1]->from)), "2022-09-10");
  EXPECT_FALSE(kupiansk[0]->background);
  const ControlChange* july = Fuser::HolderOn(out.control, kupiansk[0]->place_id,
                                              DaysFromCivil(CivilDate{2022, 7, 1}));
  ASSERT_NE(july, nullptr);
  EXPECT_EQ(july->side, Side::kRU);
  const ControlChange* october = Fuser::HolderOn(out.control, kupiansk[0]->place_id,
                                                 DaysFromCivil(CivilDate{2022, 10, 1}));
  ASSERT_NE(october, nullptr);
  EXPECT_EQ(october->side, Side::kUA);
}

TEST(Fusion, TheBackgroundHoldsWhereNoReportSaysOtherwise) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({{"x", "date 2022-04-02\n\nRussian forces shelled Kharkiv overnight.\n", ""}});
  const FusionResult out = fuser->Fuse(in);
  const ControlChange* donetsk = nullptr;
  for (const ControlChange& k : out.control) {
    if (k.name == "Donetsk") donetsk = &k;
  }
  ASSERT_NE(donetsk, nullptr);
  EXPECT_TRUE(donetsk->background);
  EXPECT_EQ(donetsk->side, Side::kRU);
  EXPECT_EQ(Fuser::HolderOn(out.control, donetsk->place_id, DaysFromCivil(CivilDate{2014, 1, 1})), nullptr);
}

TEST(Fusion, StrikesOnOnePlaceWeeksApartStayApart) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"april", "date 2022-04-28\n\nRussian missiles struck Kyiv on Thursday, officials said.\n", ""},
      {"april2", "date 2022-04-29\n\nA Russian missile strike hit a residential building in Kyiv on Thursday.\n", ""},
      {"june", "date 2022-06-26\n\nRussian missiles struck Kyiv on Sunday, the mayor said.\n", ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* a = ClusterOf(in, out, "april", EventType::kMissileStrike);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, ClusterOf(in, out, "april2", EventType::kMissileStrike));
  EXPECT_NE(a, ClusterOf(in, out, "june", EventType::kMissileStrike));
}

TEST(Fusion, ClaimsOfOneClaimantRelayedByManyOutletsCountOnce) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"a", "date 2023-05-01\n\nUkraine's General Staff said its forces repelled attacks near Bakhmut.\n",
       "https://www.reuters.com/world/x"},
      {"b", "date 2023-05-01\n\nUkrainian forces repelled attacks near Bakhmut, the General Staff said.\n",
       "https://edition.cnn.com/y"},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* c = ClusterOf(in, out, "a", EventType::kArmedClash);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c, ClusterOf(in, out, "b", EventType::kArmedClash));
  EXPECT_EQ(c->sources.size(), 1u) << "one claimant, two outlets";
}

TEST(Fusion, AMonthDateSpansItsMonthAndAnArticleDateIsNoEventDate) {
  FusionInput in;
  RecordParser parser(&in);
  EXPECT_EQ(parser.Add(R"({"kind":"document","doc_id":"d","published":{"value":"2022-04-20"}})"), "");
  EXPECT_EQ(parser.Add(R"({"kind":"event","id":"d#1","doc_id":"d","type":"capture","actor":{"side":"RU"},)"
                       R"("status":"claimed","negated":false,"locations":[],)"
                       R"("time":{"value":"2022-03-01","end":null,"precision":"month","basis":"explicit"}})"),
            "");
  EXPECT_EQ(parser.Add(R"({"kind":"event","id":"d#2","doc_id":"d","type":"capture","actor":{"side":"RU"},)"
                       R"("status":"claimed","negated":false,"locations":[],)"
                       R"("time":{"value":"2022-04-20","end":null,"precision":"unknown","basis":"document"}})"),
            "");
  EXPECT_NE(parser.Add("{not json"), "");
  ASSERT_EQ(in.reports.size(), 2u);
  // March is vaguer than ten days: the publication window places it better.
  EXPECT_FALSE(in.reports[0].own_date);
  EXPECT_EQ(in.reports[0].day_to, DaysFromCivil(CivilDate{2022, 4, 20}));
  EXPECT_FALSE(in.reports[1].own_date);
  EXPECT_EQ(in.reports[1].day_from, DaysFromCivil(CivilDate{2022, 4, 17}));
}

TEST(Fusion, ABuildUpReportedForWeeksIsOneClusterAndItsNeighbourCountryAnother) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"jan", "date 2022-01-28\n\nRussia has deployed thousands of troops to Belarus for joint drills.\n", ""},
      {"feb1", "date 2022-02-04\n\nRussia has sent more than 10 battalion tactical groups to Belarus.\n", ""},
      {"feb2", "date 2022-02-11\n\nSome 30,000 Russian soldiers are taking part in exercises in Belarus.\n", ""},
      {"feb3", "date 2022-02-17\n\nRussia has deployed an additional 30,000 troops to neighboring Belarus.\n", ""},
      // Another country, though its area touches Belarus: another deployment.
      {"poland", "date 2022-02-04\n\nThe US has sent 1,700 troops to Poland.\n", ""},
      // The same deployment, five months on: no longer the same reports' happening.
      {"july", "date 2022-07-20\n\nRussia has deployed thousands of troops to Belarus.\n", ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* c = ClusterOf(in, out, "jan", EventType::kRedeployment);
  ASSERT_NE(c, nullptr);
  for (const char* d : {"feb1", "feb2", "feb3"}) EXPECT_EQ(c, ClusterOf(in, out, d, EventType::kRedeployment)) << d;
  EXPECT_NE(c, ClusterOf(in, out, "poland", EventType::kRedeployment));
  EXPECT_NE(c, ClusterOf(in, out, "july", EventType::kRedeployment));
}

TEST(Fusion, StrikesOnTwoSitesOfOneRegionStayApart) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"saky", "date 2022-08-10\n\nExplosions rocked a Russian air base near Saky in Crimea on Tuesday.\n", ""},
      {"dzhankoi", "date 2022-08-10\n\nExplosions rocked an ammunition depot near Dzhankoi in Crimea on Tuesday.\n", ""},
      {"crimea", "date 2022-08-10\n\nExplosions rocked a Russian air base near Saky, in Crimea, on Tuesday.\n", ""},
  });
  const FusionResult out = fuser->Fuse(in);
  const Cluster* saky = ClusterOf(in, out, "saky", EventType::kAttack);
  ASSERT_NE(saky, nullptr);
  EXPECT_EQ(saky, ClusterOf(in, out, "crimea", EventType::kAttack));
  EXPECT_NE(saky, ClusterOf(in, out, "dzhankoi", EventType::kAttack));
}

TEST(Fusion, AReportWithNoPlaceJoinsTheOnePlacedClusterOfItsKindAndDays) {
  const auto fuser = LoadFuser();
  FusionInput in = Extract({
      {"placed", "date 2022-02-15\n\nRussia said on Tuesday that some troops were withdrawing from Crimea.\n", ""},
      {"placeless", "date 2022-02-16\n\nRussia says its troops are pulling back after the drills.\n", ""},
  });
  FusionResult out = fuser->Fuse(in);
  const Cluster* c = ClusterOf(in, out, "placed", EventType::kWithdrawal);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->place.has_value());
  EXPECT_EQ(c, ClusterOf(in, out, "placeless", EventType::kWithdrawal));
  // With two placed candidates it cannot tell which, and stays apart.
  FusionInput two = Extract({
      {"placed", "date 2022-02-15\n\nRussia said on Tuesday that some troops were withdrawing from Crimea.\n", ""},
      {"other", "date 2022-02-15\n\nRussia said on Tuesday that some troops were withdrawing from Kursk.\n", ""},
      {"placeless", "date 2022-02-16\n\nRussia says its troops are pulling back after the drills.\n", ""},
  });
  out = fuser->Fuse(two);
  const Cluster* p = ClusterOf(two, out, "placeless", EventType::kWithdrawal);
  ASSERT_NE(p, nullptr);
  EXPECT_NE(p, ClusterOf(two, out, "placed", EventType::kWithdrawal));
  EXPECT_NE(p, ClusterOf(two, out, "other", EventType::kWithdrawal));
}

TEST(Fusion, FightingAtATownGoesOnButFightingInACountryIsNoOneBattle) {
  const auto fuser = LoadFuser();
  std::vector<Article> articles;
  for (int week = 0; week < 4; ++week) {
    const std::string date = "date 2023-03-0" + std::to_string(1 + week * 2) + "\n\n";
    articles.push_back({"town" + std::to_string(week), date + "Heavy fighting continues near Bakhmut, Ukrainian officials said.\n", ""});
  }
  // The same wording weekly about the whole country: no chain from the first to the last.
  for (int week = 0; week < 4; ++week) {
    const std::string date = "date 2023-03-" + std::string(week < 2 ? "0" : "") + std::to_string(1 + week * 6) + "\n\n";
    articles.push_back({"country" + std::to_string(week), date + "Russian forces keep fighting in Ukraine.\n", ""});
  }
  FusionInput in = Extract(articles);
  const FusionResult out = fuser->Fuse(in);
  const Cluster* c = ClusterOf(in, out, "town0", EventType::kArmedClash);
  ASSERT_NE(c, nullptr);
  for (const char* d : {"town1", "town2", "town3"}) EXPECT_EQ(c, ClusterOf(in, out, d, EventType::kArmedClash)) << d;
  const Cluster* k = ClusterOf(in, out, "country0", EventType::kArmedClash);
  ASSERT_NE(k, nullptr);
  EXPECT_NE(k, ClusterOf(in, out, "country3", EventType::kArmedClash));
}

}  // namespace
}  // namespace sitrep
