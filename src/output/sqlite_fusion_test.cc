// Fusion of a SQLite database in place: each event carries its cluster's independent
// sources (what sitrep serve filters on), after a whole fuse and an incremental one,
// and a database of an older sitrep (schema version 1) is brought up to date.
#include <gtest/gtest.h>

#include "output/output_test_util.h"
#include "output/record_sink.h"
#include "output/sqlite_fusion.h"
#include "output/sqlite_test_util.h"

namespace sitrep {
namespace {

using testing::LoadFusion;
using testing::OtherSourceDocument;
using testing::Reader;
using testing::TempDb;
using testing::WriteFused;

// Events whose independent_sources differs from their cluster's (1 when unclustered).
constexpr const char* kDisagreeing =
    "SELECT count(*) FROM events e LEFT JOIN cluster_members m ON m.event_id = e.id "
    "LEFT JOIN clusters c ON c.id = m.cluster_id "
    "WHERE e.independent_sources <> coalesce(c.independent_sources, 1)";

// The shelling of the sample article, as the two documents report it.
constexpr const char* kShellingSources =
    "SELECT group_concat(independent_sources, ',') FROM (SELECT independent_sources FROM events "
    "WHERE id IN ('004_test#1', '005_test#1') ORDER BY id)";

TEST(SqliteFusion, EachEventCarriesItsClustersSources) {
  TempDb db("fusion_sources.db");
  WriteFused(db.path(), {testing::SampleDocument(), OtherSourceDocument()});
  Reader r(db.path());
  EXPECT_EQ(r.Text(kShellingSources), "2,2");
  EXPECT_EQ(r.Int("SELECT count(*) FROM events WHERE independent_sources = 2"), 2);
  EXPECT_GT(r.Int("SELECT count(*) FROM events WHERE independent_sources = 1"), 0);
  EXPECT_EQ(r.Int(kDisagreeing), 0);
}

TEST(SqliteFusion, AnIncrementalFuseRaisesAndLowersTheSources) {
  TempDb db("fusion_incremental.db");
  WriteFused(db.path(), {testing::SampleDocument()});
  EXPECT_EQ(Reader(db.path()).Int("SELECT max(independent_sources) FROM events"), 1);
  // A second source arrives: the first article's shelling is corroborated.
  WriteFused(db.path(), {OtherSourceDocument()}, /*touched=*/true);
  {
    Reader r(db.path());
    EXPECT_EQ(r.Text(kShellingSources), "2,2");
    EXPECT_EQ(r.Int(kDisagreeing), 0);
  }
  // The second article is rewritten without its shelling: back to one source.
  Document fewer = OtherSourceDocument();
  fewer.events.erase(fewer.events.begin());
  WriteFused(db.path(), {fewer}, /*touched=*/true);
  Reader r(db.path());
  EXPECT_EQ(r.Text("SELECT independent_sources FROM events WHERE id = '004_test#1'"), "1");
  EXPECT_EQ(r.Int("SELECT max(independent_sources) FROM events"), 1);
  EXPECT_EQ(r.Int(kDisagreeing), 0);
}

// A fused database as sitrep wrote it before events had independent_sources.
void MakeVersion1(const std::string& path) {
  WriteFused(path, {testing::SampleDocument(), OtherSourceDocument()});
  Reader w(path, /*write=*/true);
  w.Exec("DROP INDEX events_serve;"
         "ALTER TABLE events DROP COLUMN independent_sources;"
         "ALTER TABLE documents DROP COLUMN content_hash;"
         "ALTER TABLE documents DROP COLUMN data_version;"
         "CREATE INDEX events_serve ON events(date, id, type, side, status, family, negated, lat, lon, "
         "doc_id, source_name);"
         "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  EXPECT_EQ(w.Int("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'independent_sources'"), 0);
}

// Brought up to the current version (3: through 2, which added independent_sources).
void ExpectVersion2(const std::string& path) {
  Reader r(path);
  EXPECT_EQ(r.Text("SELECT value FROM meta WHERE key = 'schema_version'"), "3");
  EXPECT_EQ(r.Text(kShellingSources), "2,2");
  EXPECT_EQ(r.Int(kDisagreeing), 0);
  EXPECT_EQ(r.Int("SELECT count(*) FROM pragma_index_info('events_serve') WHERE name = 'independent_sources'"),
            1);
}

TEST(SqliteFusion, OpeningAVersion1DatabaseBringsItUpToDate) {
  TempDb db("fusion_v1_open.db");
  MakeVersion1(db.path());
  std::unique_ptr<RecordSink> sink;
  Result r = OpenSqliteSink(db.path(), SqliteOptions{}, &sink);
  ASSERT_TRUE(r.ok()) << r.message();
  ASSERT_TRUE(sink->Finish().ok());
  ExpectVersion2(db.path());  // the sources come from the clusters already there
}

TEST(SqliteFusion, FusingAVersion1DatabaseBringsItUpToDate) {
  TempDb db("fusion_v1_fuse.db");
  MakeVersion1(db.path());
  const testing::Fusion& fusion = LoadFusion();
  DatabaseFusion summary;
  const Result r = FuseDatabase(db.path(), *fusion.fuser, *fusion.weights, nullptr, &summary);
  ASSERT_TRUE(r.ok()) << r.message();
  ExpectVersion2(db.path());
}

TEST(SqliteFusion, FusingAMissingFileCreatesNothing) {
  TempDb db("fusion_missing.db");
  const testing::Fusion& fusion = LoadFusion();
  DatabaseFusion summary;
  const Result r = FuseDatabase(db.path(), *fusion.fuser, *fusion.weights, nullptr, &summary);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find(db.path()), std::string::npos) << r.message();
  EXPECT_EQ(std::fopen(db.path().c_str(), "r"), nullptr);
}

}  // namespace
}  // namespace sitrep
