// The publication date of every article in ../shared/data/{seeds,dev} against the
// hand-annotated gold in ../shared/eval/dev/*.gold.jsonl. Skipped when ../shared is not
// there. Targets: all of them right.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "time/time_test_util.h"

namespace sitrep::testing {
namespace {

std::filesystem::path SharedDir() {
  const char* env = std::getenv("SITREP_SHARED");
  return env != nullptr && *env != '\0' ? env : std::filesystem::path(SITREP_SOURCE_DATA_DIR) / ".." / ".." / "shared";
}

// doc_id -> gold published ("" for null).
std::map<std::string, std::string> ReadGold(const std::filesystem::path& path) {
  std::map<std::string, std::string> gold;
  std::ifstream in(path);
  simdjson::ondemand::parser parser;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc = parser.iterate(padded);
    const std::string_view id = doc["doc_id"].get_string();
    simdjson::ondemand::value published = doc["published"];
    gold[std::string(id)] = published.is_null() ? "" : std::string(published.get_string().value());
  }
  return gold;
}

void CheckSet(const std::string& set, const std::string& gold_file) {
  const std::filesystem::path shared = SharedDir();
  const std::filesystem::path dir = shared / "data" / set;
  const std::filesystem::path gold_path = shared / "eval" / "dev" / gold_file;
  if (!std::filesystem::is_directory(dir) || !std::filesystem::exists(gold_path)) {
    GTEST_SKIP() << "no " << dir;
  }
  const std::map<std::string, std::string> gold = ReadGold(gold_path);
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    const std::string id = entry.path().stem().string();
    auto it = gold.find(id);
    if (it == gold.end()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Document doc = MakeDocument(text.str());
    ASSERT_TRUE(Recogniser().Process(doc).ok());
    const std::string got = doc.published.value ? FormatIsoDate(*doc.published.value) : "";
    EXPECT_EQ(got, it->second) << set << "/" << id << ": " << doc.Text(doc.published.span);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(SharedArticles, SeedsPublicationDates) { CheckSet("seeds", "seeds.gold.jsonl"); }
TEST(SharedArticles, DevPublicationDates) { CheckSet("dev", "dev.gold.jsonl"); }

}  // namespace
}  // namespace sitrep::testing
