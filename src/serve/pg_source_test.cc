// The PostgreSQL SqlSource, checked against the SQLite one over the same record: the same
// rows for the same statement and parameters, placeholders, boxes; read-only;
// shared by threads; a lost connection made again. Suites named Pg* need the test server
// (output/pg_test_util.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <thread>

#include "base/paths.h"
#include "output/output_test_util.h"
#include "output/pg_export.h"
#include "output/pg_test_util.h"
#include "output/record_sink.h"
#include "output/sqlite_fusion.h"
#include "serve/sql_source.h"

namespace sitrep {
namespace {

// The answer as lines, each value typed as the API reads it (Text, Int, Double, null).
std::vector<std::string> Answer(const SqlSource& db, const std::string& sql,
                                const std::vector<SqlValue>& params, const std::string& kinds) {
  std::vector<std::string> rows;
  const Result r = db.Query(sql, params, [&](const SqlRow& row) {
    std::string line;
    for (size_t i = 0; i < kinds.size(); ++i) {
      const int c = static_cast<int>(i);
      line += i == 0 ? "" : "|";
      if (row.IsNull(c)) {
        line += "null";
        continue;
      }
      char buf[32];
      switch (kinds[i]) {
        case 'i': line += std::to_string(row.Int(c)); break;
        case 'd':
          std::snprintf(buf, sizeof buf, "%.17g", row.Double(c));
          line += buf;
          break;
        default: line += row.Text(c);
      }
    }
    rows.push_back(line);
  });
  EXPECT_TRUE(r.ok()) << db.Backend() << ": " << r.message() << "\n" << sql;
  return rows;
}

TEST(PostgresSource, ABadUrlIsAClearErrorWithoutThePassword) {
  std::unique_ptr<SqlSource> db;
  const Result r = OpenPostgresSource("postgresql://ann:s3cret@127.0.0.1:1/sitrep", &db);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(db, nullptr);
  EXPECT_NE(r.message().find("postgresql://ann:***@127.0.0.1:1/sitrep: cannot connect"), std::string::npos)
      << r.message();
  EXPECT_EQ(r.message().find("s3cret"), std::string::npos) << r.message();
  // OpenSqlSource tells a URL from a path.
  const Result either = OpenSqlSource("postgres://127.0.0.1:1/sitrep", &db);
  ASSERT_FALSE(either.ok());
  EXPECT_NE(either.message().find("cannot connect"), std::string::npos) << either.message();
}

// The sample articles written to SQLite, fused, exported; both sources open on them.
class PgSourceTest : public testing::PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    path_ = testing::TempPath("pg_source.db");
    Remove();
    std::unique_ptr<RecordSink> sink;
    ASSERT_TRUE(OpenSqliteSink(path_, SqliteOptions{}, &sink).ok());
    Document other = testing::SampleDocument();
    other.doc_id = "005_test";
    ASSERT_TRUE(sink->Write(testing::SampleDocument()).ok());
    ASSERT_TRUE(sink->Write(other).ok());
    ASSERT_TRUE(sink->Finish().ok());
    std::string error;
    auto fuser = Fuser::Load(DataDir(), &error);
    ASSERT_NE(fuser, nullptr) << error;
    auto weights = SignalWeights::Load(DataDir(), &error);
    ASSERT_TRUE(weights) << error;
    DatabaseFusion fused;
    ASSERT_TRUE(FuseDatabase(path_, *fuser, *weights, nullptr, &fused).ok());
    PgExportSummary summary;
    const Result r = ExportToPostgres(path_, url(), *fuser, *weights, PgExportOptions{}, &summary);
    ASSERT_TRUE(r.ok()) << r.message();
    const Result lite = OpenSqliteSource(path_, &sqlite_);
    ASSERT_TRUE(lite.ok()) << lite.message();
    const Result pg = OpenPostgresSource(url(), &pg_);
    ASSERT_TRUE(pg.ok()) << pg.message();
  }
  void TearDown() override {
    pg_.reset();
    sqlite_.reset();
    Remove();
    PgTest::TearDown();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  std::string path_;
  std::unique_ptr<SqlSource> sqlite_, pg_;
};

TEST_F(PgSourceTest, AnswersAsSqliteDoesWithParameters) {
  EXPECT_EQ(pg_->Backend(), "postgresql");
  // ?1 twice; '?2' a literal, not a placeholder; a comment with ?3 in it.
  const std::string sql =
      "SELECT e.id, e.lat, e.negated, e.seq, e.date_end, e.location_name, '?2' AS literal,"
      " e.doc_id = ?1 AS mine -- not ?3\n"
      "FROM events e WHERE (e.doc_id = ?1 OR e.doc_id = ?4) AND coalesce(e.lat, 0) >= ?2"
      " AND e.seq <= ?3 ORDER BY e.id LIMIT ?5 OFFSET ?6";
  const std::vector<SqlValue> params = {std::string("004_test"), 48.0, int64_t{3},
                                        std::string("005_test"), int64_t{10}, int64_t{1}};
  const std::vector<std::string> lite = Answer(*sqlite_, sql, params, "tdiitttt");
  EXPECT_EQ(Answer(*pg_, sql, params, "tdiitttt"), lite);
  ASSERT_EQ(lite.size(), 5u) << "004_test#1..3 and 005_test#1..3 with a place, from the second on";
  char bakhmut[32];
  std::snprintf(bakhmut, sizeof bakhmut, "%.17g", 48.59556);
  EXPECT_EQ(lite[0], std::string("004_test#2|") + bakhmut + "|0|2|null|Bakhmut|?2|1");
  // Counting and grouping; a parameter the statement does not use is no error.
  const std::string count =
      "SELECT type, count(*), sum(seq), max(confidence) FROM events WHERE doc_id <> ?2 "
      "GROUP BY type ORDER BY type";
  const std::vector<SqlValue> two = {std::monostate{}, std::string("none")};
  EXPECT_EQ(Answer(*pg_, count, two, "tiid"), Answer(*sqlite_, count, two, "tiid"));
}

TEST_F(PgSourceTest, BoxesAgreeWithSqlite) {
  // Kupiansk (49.71, 37.616) exactly on the edge is inside; a hair beyond it is not:
  // the bound doubles compare as SQLite's do.
  const std::string sql =
      "SELECT e.id FROM events e WHERE e.lon BETWEEN ?1 AND ?3 AND e.lat BETWEEN ?2 AND ?4 ORDER BY e.id";
  for (const double maxlon : {37.616, 37.616 - 1e-12, 38.5}) {
    const std::vector<SqlValue> box = {37.0, 48.0, maxlon, 49.71};
    const std::vector<std::string> expected = Answer(*sqlite_, sql, box, "t");
    EXPECT_EQ(Answer(*pg_, sql, box, "t"), expected) << maxlon;
    EXPECT_EQ(expected.empty(), maxlon < 37.616) << maxlon;
  }
}

TEST_F(PgSourceTest, ReadsOnly) {
  const Result r = pg_->Query("DELETE FROM events", {}, [](const SqlRow&) {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("read-only"), std::string::npos) << r.message();
  EXPECT_EQ(Int("SELECT count(*) FROM events"), 8);
}

TEST_F(PgSourceTest, ServesThreadsAtOnce) {
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (size_t t = 0; t < good.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        int64_t n = -1;
        const Result r = pg_->Query("SELECT count(*) FROM events WHERE seq <= ?1",
                                    {static_cast<int64_t>(t + 1)},
                                    [&](const SqlRow& row) { n = row.Int(0); });
        good[t] += r.ok() && n == 2 * static_cast<int64_t>(t + 1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(good, std::vector<int>(4, 25));
}

TEST_F(PgSourceTest, ALostConnectionIsMadeAgain) {
  ASSERT_EQ(Answer(*pg_, "SELECT count(*) FROM documents", {}, "i"), std::vector<std::string>{"2"});
  // The server ends every other session of the database (a restart, as the source sees it).
  Text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
       "AND pid <> pg_backend_pid()");
  EXPECT_EQ(Answer(*pg_, "SELECT count(*) FROM documents", {}, "i"), std::vector<std::string>{"2"});
  // Still read-only.
  EXPECT_FALSE(pg_->Query("DELETE FROM events", {}, [](const SqlRow&) {}).ok());
}

class PgSourceOpen : public testing::PgTest {};

TEST_F(PgSourceOpen, ADatabaseWithoutSitrepTablesIsRefused) {
  std::unique_ptr<SqlSource> db;
  const Result r = OpenPostgresSource(url(), &db);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find(url() + ": no sitrep tables"), std::string::npos) << r.message();
}

TEST_F(PgSourceOpen, ADatabaseOfAnOlderSitrepIsRefusedSayingHowToUpdateIt) {
  // Schema version 1: events without independent_sources.
  Text("CREATE TABLE documents (doc_id text PRIMARY KEY); CREATE TABLE events (id text PRIMARY KEY)");
  std::unique_ptr<SqlSource> db;
  const Result r = OpenPostgresSource(url(), &db);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("older sitrep"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("sitrep export --db"), std::string::npos) << r.message();
}

}  // namespace
}  // namespace sitrep
