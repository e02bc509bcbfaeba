// The driver's incremental runs: a database written once, then the same articles again
// (nothing re-written), one article changed (it alone), the knowledge changed (all); on
// one thread and on several. And the stamps they rest on: the content hash and the data
// version.
#include "pipeline/runner.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/paths.h"
#include "output/extracted_index.h"
#include "output/record_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/test_pipeline.h"
#include "read/reader.h"

namespace sitrep {
namespace {

namespace fs = std::filesystem;
using testing::SharedPipeline;

const char* const kArticles[] = {
    "KYIV, June 3 (Reuters) - Russian forces shelled Kupiansk overnight, the regional governor "
    "said. Ukrainian troops recaptured the village of Synkivka.\n",
    "KHARKIV, May 12 (Reuters) - Russian troops withdrew from the villages north of Kharkiv, "
    "Ukraine's General Staff said on Thursday.\n",
    "ODESA, July 20 - A Russian missile strike hit the port of Odesa overnight, the governor said. "
    "Air defence shot down 12 drones.\n",
};

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() /
              ("sitrep_runner_test_" + std::to_string(::getpid()) + "_" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteFile(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Every row of the document tables, with SQLite's rowids: a row written again (INSERT
// OR REPLACE, DELETE and INSERT) gets a new rowid even when its values are the same.
std::string Dump(const std::string& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string out;
  for (const char* sql : {"SELECT rowid, * FROM documents ORDER BY doc_id",
                          "SELECT rowid, * FROM events ORDER BY id",
                          "SELECT rowid, * FROM places ORDER BY doc_id, seq",
                          "SELECT rowid, * FROM quantities ORDER BY rowid"}) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* v = sqlite3_column_text(stmt, i);
        out += v != nullptr ? reinterpret_cast<const char*>(v) : "NULL";
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

std::string Column(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string out = "<none>";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* v = sqlite3_column_text(stmt, 0);
    out = v != nullptr ? reinterpret_cast<const char*>(v) : "<null>";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

class RunnerIncremental : public ::testing::TestWithParam<int> {
 protected:
  RunnerIncremental() : dir_("articles_" + std::to_string(GetParam())), db_(dir_.path().string() + ".db") {
    fs::create_directories(dir_.path() / "in");
    for (size_t i = 0; i < std::size(kArticles); ++i) {
      WriteFile(dir_.path() / "in" / ("a" + std::to_string(i) + ".txt"), kArticles[i]);
    }
  }
  ~RunnerIncremental() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db_ + suffix).c_str());
  }

  // extract in/ --db db_: skipping what the database holds unchanged when incremental
  // (as extract does unless --force).
  RunStats Run(const Pipeline& pipeline, bool incremental) {
    ExtractedIndex index;
    const Result loaded = LoadSqliteIndex(db_, &index);
    EXPECT_TRUE(loaded.ok()) << loaded.message();
    std::unique_ptr<RecordSink> sink;
    const Result opened = OpenSqliteSink(db_, SqliteOptions{}, &sink);
    EXPECT_TRUE(opened.ok()) << opened.message();
    DocumentReader reader({(dir_.path() / "in").string()});
    RunOptions options;
    options.threads = GetParam();
    if (incremental) {
      options.unchanged = [&](const Document& doc) {
        return index.Claim(doc.doc_id, doc.content_hash, doc.data_version);
      };
    }
    RunStats stats = RunExtraction(reader, pipeline, *sink, options, [](const std::string& m) {
      ADD_FAILURE() << m;
    });
    EXPECT_TRUE(stats.output.ok()) << stats.output.message();
    const Result finished = sink->Finish();
    EXPECT_TRUE(finished.ok()) << finished.message();
    return stats;
  }

  TempDir dir_;
  std::string db_;
};

INSTANTIATE_TEST_SUITE_P(Threads, RunnerIncremental, ::testing::Values(1, 3),
                         [](const auto& info) { return "j" + std::to_string(info.param); });

TEST_P(RunnerIncremental, ARerunSkipsEveryDocumentAndRewritesNoRow) {
  const RunStats first = Run(SharedPipeline(), true);
  EXPECT_EQ(first.documents, 3u);
  EXPECT_EQ(first.unchanged, 0u);
  EXPECT_GT(first.events, 0u);
  const std::string before = Dump(db_);
  EXPECT_EQ(Column(db_, "SELECT count(*) FROM documents WHERE data_version = '" +
                            SharedPipeline().data_version() + "'"),
            "3");

  const RunStats again = Run(SharedPipeline(), true);
  EXPECT_EQ(again.documents, 0u);
  EXPECT_EQ(again.unchanged, 3u);
  EXPECT_EQ(again.events, 0u);
  EXPECT_EQ(Dump(db_), before);

  // Without skipping (--force), every row is written again: new rowids.
  const RunStats forced = Run(SharedPipeline(), false);
  EXPECT_EQ(forced.documents, 3u);
  EXPECT_EQ(forced.unchanged, 0u);
  EXPECT_NE(Dump(db_), before);
}

TEST_P(RunnerIncremental, AChangedArticleAloneIsExtractedAgain) {
  Run(SharedPipeline(), true);
  const std::string a0 = Column(db_, "SELECT rowid || json FROM documents WHERE doc_id = 'a0'");
  const std::string a2 = Column(db_, "SELECT rowid || json FROM documents WHERE doc_id = 'a2'");
  const std::string hash = Column(db_, "SELECT content_hash FROM documents WHERE doc_id = 'a1'");
  WriteFile(dir_.path() / "in" / "a1.txt",
            std::string(kArticles[1]) + "Russian forces shelled Vovchansk, the governor said.\n");

  const RunStats stats = Run(SharedPipeline(), true);
  EXPECT_EQ(stats.documents, 1u);
  EXPECT_EQ(stats.unchanged, 2u);
  EXPECT_EQ(Column(db_, "SELECT rowid || json FROM documents WHERE doc_id = 'a0'"), a0);
  EXPECT_EQ(Column(db_, "SELECT rowid || json FROM documents WHERE doc_id = 'a2'"), a2);
  EXPECT_NE(Column(db_, "SELECT content_hash FROM documents WHERE doc_id = 'a1'"), hash);
  EXPECT_NE(Column(db_, "SELECT text FROM documents WHERE doc_id = 'a1'").find("Vovchansk"), std::string::npos);
}

// The knowledge changed (a line added to a lexicon, in a copy of data/): a new data
// version, and every document is extracted again.
TEST_P(RunnerIncremental, AChangedLexiconExtractsEverythingAgain) {
  Run(SharedPipeline(), true);
  EXPECT_EQ(Run(SharedPipeline(), true).unchanged, 3u) << "the same knowledge: skipped";
  TempDir data("data_" + std::to_string(GetParam()));
  fs::copy(DataDir(), data.path(), fs::copy_options::recursive);
  std::ofstream(data.path() / "lexicons" / "weapons.tsv", std::ios::app) << "# a line added by runner_test\n";
  PipelineOptions options;
  options.data_dir = data.path().string();
  std::string error;
  const std::unique_ptr<Pipeline> changed = Pipeline::Load(options, &error);
  ASSERT_NE(changed, nullptr) << error;
  EXPECT_NE(changed->data_version(), SharedPipeline().data_version());

  const RunStats stats = Run(*changed, true);
  EXPECT_EQ(stats.documents, 3u);
  EXPECT_EQ(stats.unchanged, 0u);
  EXPECT_EQ(Column(db_, "SELECT count(*) FROM documents WHERE data_version = '" + changed->data_version() + "'"),
            "3");
  // And back: the original knowledge is another version again.
  EXPECT_EQ(Run(SharedPipeline(), true).documents, 3u);
}

TEST(PipelineStamp, TheDataVersionIsStableAndCheap) {
  const Pipeline& pipeline = SharedPipeline();
  const std::string& version = pipeline.data_version();
  ASSERT_EQ(version.size(), 16u);
  EXPECT_EQ(version.find_first_not_of("0123456789abcdef"), std::string::npos) << version;
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  const std::string again = DataVersion(DataDir(), pipeline.gazetteer(), &error);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(again, version) << error;
  EXPECT_LT(ms, 200) << "hashing data/ should take milliseconds";
  RecordProperty("data_version_us", static_cast<int>(ms * 1000));
  // The gazetteer's identity leaves out when and where it was built.
  const std::string id = GazetteerIdentity(pipeline.gazetteer());
  EXPECT_EQ(id.find("built="), std::string::npos) << id;
  EXPECT_NE(id.find("entries="), std::string::npos) << id;
  EXPECT_EQ(id.find("/"), std::string::npos) << id;
}

TEST(PipelineStamp, TheContentHashCoversTextAndMetadataNotIdentity) {
  Document doc;
  doc.doc_id = "x";
  doc.text = "Russian forces shelled Kupiansk.";
  const uint64_t base = ContentHash(doc);
  auto changed = [&](auto edit) {
    Document d = doc;
    edit(d);
    return ContentHash(d) != base;
  };
  EXPECT_TRUE(changed([](Document& d) { d.text += " "; }));
  EXPECT_TRUE(changed([](Document& d) { d.meta_title = "Kupiansk"; }));
  EXPECT_TRUE(changed([](Document& d) { d.meta_title = ""; })) << "an empty title is a title";
  EXPECT_TRUE(changed([](Document& d) { d.meta_published = CivilDate{2022, 9, 10}; }));
  EXPECT_TRUE(changed([](Document& d) { d.url = "https://example.org/"; }));
  EXPECT_FALSE(changed([](Document& d) { d.doc_id = "y"; }));
  EXPECT_FALSE(changed([](Document& d) { d.origin.line = 7; }));
  EXPECT_FALSE(changed([](Document& d) { d.origin.path = "elsewhere.jsonl"; }));

  SharedPipeline().Stamp(doc);
  EXPECT_EQ(doc.content_hash, base);
  EXPECT_EQ(doc.data_version, SharedPipeline().data_version());
}

}  // namespace
}  // namespace sitrep
