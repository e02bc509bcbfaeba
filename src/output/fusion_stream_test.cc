// Fusion a window of days at a time: the same clusters as fusing everything at once on
// articles we wrote, every record written once, control at the end.
#include "output/fusion_stream.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/paths.h"
#include "output/records.h"
#include "pipeline/test_pipeline.h"

namespace sitrep {
namespace {

struct Fused {
  std::map<std::string, std::string> cluster_of;          // event id -> cluster id
  std::set<std::set<std::string>> clusters;                // member sets
  std::map<std::string, int> documents;                    // doc id -> times written
  int control = 0;
  std::vector<std::string> kinds;                          // in output order
};

std::string WriteRecords(const std::vector<std::pair<std::string, std::string>>& articles) {
  std::string jsonl;
  for (const auto& [id, text] : articles) {
    const Document doc = testing::Extract(text, id, "");
    AppendDocumentJson(doc, jsonl);
    jsonl += '\n';
    for (size_t i = 0; i < doc.events.size(); ++i) {
      AppendEventJson(doc, i, jsonl);
      jsonl += '\n';
    }
  }
  const std::string path = ::testing::TempDir() + "stream_" + std::to_string(::getpid()) + ".jsonl";
  std::ofstream(path) << jsonl;
  return path;
}

Fused FuseIn(const std::string& input, int64_t window_days, size_t undated_docs = 250) {
  std::string error;
  auto fuser = Fuser::Load(DataDir(), &error);
  EXPECT_NE(fuser, nullptr) << error;
  auto weights = SignalWeights::Load(DataDir(), &error);
  EXPECT_TRUE(weights.has_value()) << error;
  const std::string out_path = input + ".fused." + std::to_string(window_days);
  std::unique_ptr<OutputFile> out;
  EXPECT_TRUE(OutputFile::Open(out_path, &out).ok());
  StreamFusionOptions options;
  options.window_days = window_days;
  options.undated_docs = undated_docs;
  options.temp_dir = ::testing::TempDir();
  std::vector<std::string> warnings;
  StreamFusionSummary summary;
  EXPECT_TRUE(FuseStream({input}, *fuser, *weights, options, out.get(), &warnings, &summary, &error)) << error;
  EXPECT_TRUE(out->Close().ok());
  EXPECT_TRUE(warnings.empty());
  Fused f;
  std::ifstream in(out_path);
  std::string line;
  simdjson::dom::parser parser;
  std::map<std::string, std::set<std::string>> members;
  while (std::getline(in, line)) {
    simdjson::dom::element root;
    EXPECT_EQ(parser.parse(line).get(root), simdjson::SUCCESS) << line;
    std::string_view kind, id, cluster;
    EXPECT_EQ(root["kind"].get(kind), simdjson::SUCCESS);
    f.kinds.emplace_back(kind);
    if (kind == "event") {
      EXPECT_EQ(root["id"].get(id), simdjson::SUCCESS);
      EXPECT_EQ(root["cluster"].get(cluster), simdjson::SUCCESS) << "an event without its cluster: " << line;
      f.cluster_of[std::string(id)] = std::string(cluster);
      members[std::string(cluster)].insert(std::string(id));
    } else if (kind == "document") {
      EXPECT_EQ(root["doc_id"].get(id), simdjson::SUCCESS);
      ++f.documents[std::string(id)];
    } else if (kind == "control") {
      ++f.control;
    }
  }
  for (auto& [c, m] : members) f.clusters.insert(m);
  std::remove(out_path.c_str());
  return f;
}

TEST(FusionStream, WindowsGiveTheClustersOfFusingAllAtOnce) {
  // Three happenings months apart, each reported by two outlets, and a capture then a
  // recapture of one village weeks apart (control changes twice).
  const std::string input = WriteRecords({
      {"jan-a", "date 2023-01-10\n\nRussian missiles struck Kharkiv on Monday, the governor said.\n"},
      {"jan-b", "date 2023-01-11\n\nA Russian missile strike hit Kharkiv on Monday, officials said.\n"},
      {"mar-a", "date 2023-03-20\n\nRussian forces captured the village of Robotyne on Sunday, Moscow said.\n"},
      {"mar-b", "date 2023-03-21\n\nMoscow said its troops took the village of Robotyne on Sunday.\n"},
      {"may-a", "date 2023-05-02\n\nUkrainian forces recaptured the village of Robotyne on Monday, the General Staff said.\n"},
      {"may-b", "date 2023-05-03\n\nUkraine retook the village of Robotyne on Monday.\n"},
      {"undated", "Ukrainian drones struck the port of Novorossiysk.\n"},
      // A deployment reported for three weeks: one cluster across 7-day windows.
      {"dep1", "date 2022-01-28\n\nRussia has deployed thousands of troops to Belarus for joint drills.\n"},
      {"dep2", "date 2022-02-04\n\nRussia has sent more than 10 battalion tactical groups to Belarus.\n"},
      {"dep3", "date 2022-02-11\n\nSome 30,000 Russian soldiers are taking part in exercises in Belarus.\n"},
      {"dep4", "date 2022-02-17\n\nRussia has deployed an additional 30,000 troops to neighboring Belarus.\n"},
  });
  const Fused all = FuseIn(input, 100000);
  for (int64_t days : {7, 28}) {
    const Fused windows = FuseIn(input, days);
    EXPECT_EQ(windows.clusters, all.clusters) << days << "-day windows";
    EXPECT_EQ(windows.cluster_of.size(), all.cluster_of.size());
    EXPECT_EQ(windows.control, all.control);
    EXPECT_EQ(windows.documents.size(), 11u);
    for (const auto& [id, n] : windows.documents) EXPECT_EQ(n, 1) << id << " written " << n << " times";
    // Control comes last.
    ASSERT_FALSE(windows.kinds.empty());
    EXPECT_EQ(windows.kinds.back(), "control");
  }
  // The two reports of each happening are one cluster.
  EXPECT_EQ(all.cluster_of.at("jan-a#1"), all.cluster_of.at("jan-b#1"));
  EXPECT_EQ(all.cluster_of.at("mar-a#1"), all.cluster_of.at("mar-b#1"));
  EXPECT_EQ(all.cluster_of.at("may-a#1"), all.cluster_of.at("may-b#1"));
  EXPECT_NE(all.cluster_of.at("mar-a#1"), all.cluster_of.at("may-a#1"));
  EXPECT_GE(all.control, 2);  // RU from March, UA from May
  for (const char* d : {"dep2#1", "dep3#1", "dep4#1"}) EXPECT_EQ(all.cluster_of.at("dep1#1"), all.cluster_of.at(d)) << d;
  std::remove(input.c_str());
}

TEST(FusionStream, UndatedDocumentsAreFusedAFewAtATime) {
  // No dates: a re-post meets its original (filed together), other articles meet nothing.
  const std::string story = "Russian forces captured the town of Marinka after months of fighting, the Russian "
                            "Defence Ministry said. The ministry said its troops had taken full control of the "
                            "town, which lies on the western edge of Donetsk, while fighting went on nearby.\n";
  const std::string input = WriteRecords({
      {"wire", "Russia says it took Marinka\n\n" + story},
      {"repost", "Marinka falls, Moscow claims\n\n" + story},
      {"other1", "Russian troops have captured Marinka, the ISW said.\n"},
      {"other2", "Ukrainian drones struck the port of Novorossiysk.\n"},
      {"other3", "Ukrainian drones struck the port of Novorossiysk, officials said.\n"},
  });
  const Fused all = FuseIn(input, 28);
  const Fused twos = FuseIn(input, 28, 2);
  EXPECT_EQ(twos.clusters, all.clusters);
  EXPECT_EQ(twos.documents.size(), 5u);
  for (const auto& [id, n] : twos.documents) EXPECT_EQ(n, 1) << id << " written " << n << " times";
  EXPECT_EQ(all.cluster_of.at("wire#1"), all.cluster_of.at("repost#1"));
  EXPECT_NE(all.cluster_of.at("wire#1"), all.cluster_of.at("other1#1"));
  EXPECT_NE(all.cluster_of.at("other2#1"), all.cluster_of.at("other3#1"));
  std::remove(input.c_str());
}

}  // namespace
}  // namespace sitrep
