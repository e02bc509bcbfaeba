// The PostgreSQL export: a SQLite database written by the SQLite sink and fused, exported
// to the test server, must come out row for row the same (plus geometries); exporting
// again changes nothing; a document exported again with fewer events leaves no stale rows;
// documents of several files fuse together. Suites named Pg* need the server
// (output/pg_test_util.h).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <map>

#include "base/paths.h"
#include "output/output_test_util.h"
#include "output/pg_export.h"
#include "output/pg_test_util.h"
#include "output/record_sink.h"
#include "output/sqlite_fusion.h"
#include "output/sqlite_test_util.h"

namespace sitrep {
namespace {

using testing::PgTest;

using testing::Fusion;
using testing::LoadFusion;
using testing::OtherSourceDocument;
using testing::TempDb;
using testing::WriteFused;

PgExportSummary Export(const std::string& path, const std::string& url, size_t batch = 256) {
  const Fusion& fusion = LoadFusion();
  PgExportSummary summary;
  PgExportOptions options;
  options.batch = batch;
  const Result r = ExportToPostgres(path, url, *fusion.fuser, *fusion.weights, options, &summary);
  EXPECT_TRUE(r.ok()) << r.message();
  return summary;
}

// Strings that need escaping in COPY's text format: backslash, tab, newline, carriage
// return, a control character, quotes, Cyrillic and U+2028 (valid UTF-8 throughout).
Document EscapesDocument() {
  Document doc = testing::TrickyDocument();
  doc.text = "He said \"retreat\"\\now\n\x01 \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 \xE2\x80\xA8 tab\there\r\nend\\N";
  doc.title = "a\\b\tc";
  doc.body = Span{0, static_cast<uint32_t>(doc.text.size())};
  return doc;
}

// Each table's columns and the order that makes a dump of it deterministic.
struct Dumped {
  const char* table;
  const char* columns;
  const char* order;
};
constexpr Dumped kDumped[] = {
    {"documents",
     "doc_id, source, title, url, published, published_basis, body_begin, body_end, text, "
     "credibility_score, n_events, json",
     "doc_id"},
    {"events",
     "id, doc_id, seq, type, family, side, status, negated, date, date_end, date_precision, lat, "
     "lon, location_name, admin1, country, source_name, source_kind, trigger_begin, trigger_end, "
     "evidence_begin, evidence_end, evidence_text, confidence, json, independent_sources",
     "id"},
    {"places", "doc_id, seq, text, \"begin\", \"end\", name, gid, lat, lon, admin1, country, feature",
     "doc_id, seq"},
    {"quantities", "event_id, doc_id, value, approx, unit, what, side, text", "event_id, value"},
    {"clusters",
     "id, type, side, status, lat, lon, location_name, date, date_end, n_members, "
     "independent_sources, json",
     "id"},
    {"cluster_members", "cluster_id, event_id", "cluster_id, event_id"},
    {"control", "id, settlement_id, name, side, \"from\", background, contested, json", "id"},
};

std::string Real(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A table as lines of tab-separated values, reals printed so that equal means equal.
std::vector<std::string> DumpSqlite(const std::string& path, const Dumped& t) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const std::string sql = std::string("SELECT ") + t.columns + " FROM " + t.table + " ORDER BY " + t.order;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::vector<std::string> rows;
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      if (i > 0) row += '\t';
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL: row += "<null>"; break;
        case SQLITE_INTEGER: row += std::to_string(sqlite3_column_int64(stmt, i)); break;
        case SQLITE_FLOAT: row += Real(sqlite3_column_double(stmt, i)); break;
        default:
          row.append(static_cast<const char*>(sqlite3_column_blob(stmt, i)),
                     static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

std::vector<std::string> DumpPg(PGconn* conn, const Dumped& t) {
  const std::string sql = std::string("SELECT ") + t.columns + " FROM " + t.table + " ORDER BY " + t.order;
  PGresult* r = PQexec(conn, sql.c_str());
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << sql << ": " << PQresultErrorMessage(r);
  std::vector<std::string> rows;
  for (int row = 0; row < PQntuples(r); ++row) {
    std::string line;
    for (int i = 0; i < PQnfields(r); ++i) {
      if (i > 0) line += '\t';
      if (PQgetisnull(r, row, i)) {
        line += "<null>";
      } else if (PQftype(r, i) == 701) {  // double precision
        line += Real(std::strtod(PQgetvalue(r, row, i), nullptr));
      } else {
        line.append(PQgetvalue(r, row, i), static_cast<size_t>(PQgetlength(r, row, i)));
      }
    }
    rows.push_back(line);
  }
  PQclear(r);
  return rows;
}

std::map<std::string, std::vector<std::string>> DumpAllPg(PGconn* conn) {
  std::map<std::string, std::vector<std::string>> all;
  for (const Dumped& t : kDumped) all[t.table] = DumpPg(conn, t);
  return all;
}

TEST(PostgresUrl, PasswordsAreHidden) {
  const std::pair<const char*, const char*> cases[] = {
      {"postgresql://ann:s3cret@db.example:5432/sitrep", "postgresql://ann:***@db.example:5432/sitrep"},
      {"postgres://ann:p@ss@db/sitrep", "postgres://ann:***@db/sitrep"},
      {"postgresql://ann@db/sitrep", "postgresql://ann@db/sitrep"},
      {"postgresql://db/sitrep?user=ann&password=s3cret&sslmode=require",
       "postgresql://db/sitrep?user=ann&password=***&sslmode=require"},
      {"host=db user=ann password=s3cret dbname=sitrep", "host=db user=ann password=*** dbname=sitrep"},
      {"host=db password = 'it\\'s a secret' dbname=sitrep", "host=db password = *** dbname=sitrep"},
      {"host=db dbname=sitrep", "host=db dbname=sitrep"},
      {"postgresql://db/sitrep?sslpassword=k3y&sslmode=verify-full",
       "postgresql://db/sitrep?sslpassword=***&sslmode=verify-full"},
  };
  for (const auto& [url, redacted] : cases) EXPECT_EQ(RedactPostgresUrl(url), redacted) << url;
}

TEST(PostgresExport, ABadUrlIsAClearErrorWithoutThePassword) {
  TempDb file("pg_bad_url.db");
  WriteFused(file.path(), {testing::SampleDocument()});
  const Fusion& fusion = LoadFusion();
  PgExportSummary summary;
  // Port 1 on the loopback: nothing listens there.
  const Result r = ExportToPostgres(file.path(), "postgresql://ann:s3cret@127.0.0.1:1/sitrep",
                                    *fusion.fuser, *fusion.weights, PgExportOptions{}, &summary);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("postgresql://ann:***@127.0.0.1:1/sitrep: cannot connect"), std::string::npos)
      << r.message();
  EXPECT_EQ(r.message().find("s3cret"), std::string::npos) << r.message();

  const Result missing = ExportToPostgres(file.path() + ".absent", "postgresql://127.0.0.1:1/x",
                                          *fusion.fuser, *fusion.weights, PgExportOptions{}, &summary);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(file.path() + ".absent"), std::string::npos) << missing.message();
}

class PgExport : public PgTest {};

TEST_F(PgExport, TheRecordArrivesRowForRowWithGeometries) {
  TempDb file("pg_rows.db");
  WriteFused(file.path(), {testing::SampleDocument(), OtherSourceDocument(), EscapesDocument()});
  // Batches of two: the three documents take two transactions.
  const PgExportSummary summary = Export(file.path(), url(), 2);
  EXPECT_EQ(summary.documents, 3u);
  EXPECT_EQ(summary.events, 8u);
  EXPECT_EQ(summary.quantities, 2u);
  EXPECT_EQ(summary.replaced_bytes, 0u);
  EXPECT_EQ(summary.fusion.documents, 3u);

  // Every table the same, row for row and byte for byte; the fusion of the PostgreSQL
  // record is the file's fusion.
  for (const Dumped& t : kDumped) {
    const std::vector<std::string> lite = DumpSqlite(file.path(), t);
    EXPECT_EQ(DumpPg(conn(), t), lite) << t.table;
    EXPECT_FALSE(lite.empty()) << t.table;
  }
  // A cluster holds the two shellings of Kupiansk, from two sources.
  EXPECT_EQ(Text("SELECT independent_sources FROM clusters WHERE id = 'c:004_test#1'"), "2");
  EXPECT_EQ(Int("SELECT count(*) FROM cluster_members WHERE cluster_id = 'c:004_test#1'"), 2);

  // A point wherever there are coordinates, exactly them.
  for (const char* table : {"events", "places", "clusters", "control"}) {
    const std::string t = table;
    EXPECT_GT(Int("SELECT count(*) FROM " + t + " WHERE geom IS NOT NULL"), 0) << t;
    EXPECT_EQ(Int("SELECT count(*) FROM " + t + " WHERE (geom IS NULL) <> (lat IS NULL) OR "
                  "ST_X(geom) <> lon OR ST_Y(geom) <> lat OR ST_SRID(geom) <> 4326"),
              0)
        << t;
  }
  EXPECT_EQ(Text("SELECT ST_AsText(geom) FROM events WHERE id = '004_test#1'"), "POINT(37.616 49.71)");
  // control's coordinates come from its json.
  EXPECT_EQ(Int("SELECT count(*) FROM control WHERE lat IS NULL"),
            Int("SELECT count(*) FROM control WHERE json LIKE '%\"lat\":null%'"));
  EXPECT_EQ(Int("SELECT count(*) FROM control WHERE lat IS NOT NULL AND "
                "abs(lat - (json::jsonb #>> '{settlement,lat}')::float8) > 1e-9"),
            0);

  // The spatial indexes, and the planner using one for a box.
  EXPECT_EQ(Int("SELECT count(*) FROM pg_indexes WHERE indexname IN ('events_geom', 'places_geom', "
                "'clusters_geom', 'control_geom') AND indexdef LIKE '%USING gist%'"),
            4);
  // (Analysed, a table this small is cheapest read whole; the plan is one JSON row.)
  Text("SET enable_seqscan = off");
  EXPECT_NE(Text("EXPLAIN (FORMAT JSON) SELECT id FROM events WHERE geom && ST_MakeEnvelope(37, 49, 38, 50, 4326)")
                .find("events_geom"),
            std::string::npos);
}

TEST_F(PgExport, EventFiltersAreAnsweredFromOneIndexAlone) {
  TempDb file("pg_serve_index.db");
  WriteFused(file.path(), {testing::SampleDocument(), OtherSourceDocument()});
  Export(file.path(), url());
  // Every column sitrep serve filters and pages events on is in events_serve, and the
  // export vacuumed: an index-only scan (the table is small, so sequential scans are off).
  Text("SET enable_seqscan = off");
  const std::string plan = Text(
      "EXPLAIN (FORMAT JSON) SELECT e.id, count(*) OVER () FROM events e WHERE e.type IN ('shelling') "
      "AND e.side IN ('RU') AND e.status IN ('asserted') AND e.family IN ('remote') AND e.negated = 0 "
      "AND e.lon BETWEEN 30 AND 40 AND e.lat BETWEEN 44 AND 53 AND e.independent_sources >= 2 "
      "AND e.source_name = 'x' AND e.date >= '2022-01-01' ORDER BY e.date, e.id");
  EXPECT_NE(plan.find("\"Index Only Scan\""), std::string::npos) << plan;
  EXPECT_NE(plan.find("\"events_serve\""), std::string::npos) << plan;
  EXPECT_EQ(Int("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'events' AND last_vacuum IS NOT NULL"),
            1);
}

TEST_F(PgExport, EveryColumnOfTheSqliteSchemaIsInPostgres) {
  TempDb file("pg_schema.db");
  WriteFused(file.path(), {testing::SampleDocument()});
  Export(file.path(), url());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(file.path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT m.name, p.name, p.type FROM sqlite_master m, "
                               "pragma_table_info(m.name) p WHERE m.type = 'table'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  const std::map<std::string, std::string> pg_type = {
      {"TEXT", "text"}, {"INTEGER", "bigint"}, {"REAL", "double precision"}};
  int columns = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const std::string table = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const std::string column = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    const std::string type = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2));
    EXPECT_EQ(Text("SELECT data_type || ' ' || coalesce(collation_name, '-') FROM "
                   "information_schema.columns WHERE table_schema = current_schema() AND table_name = '" +
                   table + "' AND column_name = '" + column + "'"),
              pg_type.at(type) + (type == "TEXT" ? " C" : " -"))
        << table << "." << column;
    ++columns;
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_GT(columns, 80);
}

TEST_F(PgExport, ExportingTwiceChangesNothing) {
  TempDb file("pg_twice.db");
  WriteFused(file.path(), {testing::SampleDocument(), OtherSourceDocument(), EscapesDocument()});
  Export(file.path(), url());
  const auto first = DumpAllPg(conn());
  const PgExportSummary again = Export(file.path(), url(), 1);
  EXPECT_EQ(again.documents, 3u);
  EXPECT_EQ(again.credibility_updated, 0u);
  EXPECT_EQ(DumpAllPg(conn()), first);
  EXPECT_EQ(Int("SELECT count(*) FROM documents"), 3);
  EXPECT_EQ(Int("SELECT count(*) FROM events"), 8);
}

TEST_F(PgExport, ADocumentExportedAgainWithFewerEventsLeavesNoStaleRows) {
  TempDb first("pg_fewer_1.db"), second("pg_fewer_2.db");
  WriteFused(first.path(), {testing::SampleDocument(), OtherSourceDocument()});
  Export(first.path(), url());
  ASSERT_EQ(Int("SELECT count(*) FROM events WHERE doc_id = '004_test'"), 4);
  ASSERT_EQ(Int("SELECT count(*) FROM quantities WHERE doc_id = '004_test'"), 1);

  // 004_test again, now with its shelling only (no losses, so no quantity) and one place.
  Document fewer = testing::SampleDocument();
  fewer.events.resize(1);
  fewer.places.resize(1);
  WriteFused(second.path(), {fewer});
  const PgExportSummary summary = Export(second.path(), url());
  EXPECT_EQ(summary.documents, 1u);

  EXPECT_EQ(Int("SELECT count(*) FROM events WHERE doc_id = '004_test'"), 1);
  EXPECT_EQ(Int("SELECT count(*) FROM quantities WHERE doc_id = '004_test'"), 0);
  EXPECT_EQ(Int("SELECT count(*) FROM places WHERE doc_id = '004_test'"), 1);
  EXPECT_EQ(Text("SELECT n_events FROM documents WHERE doc_id = '004_test'"), "1");
  // 005_test, only in the first file, is kept, and still fused with 004_test's shelling.
  EXPECT_EQ(Int("SELECT count(*) FROM events WHERE doc_id = '005_test'"), 4);
  EXPECT_EQ(Text("SELECT independent_sources FROM clusters WHERE id = 'c:004_test#1'"), "2");
  // No member of a cluster is an event that is gone.
  EXPECT_EQ(Int("SELECT count(*) FROM cluster_members m LEFT JOIN events e ON e.id = m.event_id "
                "WHERE e.id IS NULL"),
            0);
  EXPECT_EQ(Int("SELECT count(*) FROM cluster_members"), Int("SELECT count(*) FROM events"));
}

TEST_F(PgExport, DocumentsOfSeveralFilesFuseTogether) {
  TempDb ann("pg_ann.db"), bob("pg_bob.db"), both("pg_both.db");
  WriteFused(ann.path(), {testing::SampleDocument()});
  WriteFused(bob.path(), {OtherSourceDocument()});
  WriteFused(both.path(), {testing::SampleDocument(), OtherSourceDocument()});
  Export(ann.path(), url());
  EXPECT_EQ(Text("SELECT independent_sources FROM clusters WHERE id = 'c:004_test#1'"), "1");
  const PgExportSummary summary = Export(bob.path(), url());
  EXPECT_EQ(summary.fusion.documents, 2u);
  EXPECT_GT(summary.credibility_updated, 0u);  // 004_test is corroborated now
  EXPECT_EQ(Text("SELECT independent_sources FROM clusters WHERE id = 'c:004_test#1'"), "2");
  // Its events carry the count (serve filters on it), the others 1.
  EXPECT_EQ(Text("SELECT string_agg(DISTINCT e.independent_sources::text, ',') FROM events e "
                 "JOIN cluster_members m ON m.event_id = e.id WHERE m.cluster_id = 'c:004_test#1'"),
            "2");
  EXPECT_EQ(Int("SELECT count(*) FROM events WHERE independent_sources = 2"), 2);
  // The same record as one person's file with both documents.
  for (const Dumped& t : kDumped) EXPECT_EQ(DumpPg(conn(), t), DumpSqlite(both.path(), t)) << t.table;
}

TEST_F(PgExport, BytesPostgresCannotHoldAreReplacedOneForOne) {
  TempDb file("pg_bytes.db");
  Document doc = testing::TrickyDocument();  // ends in an invalid byte
  doc.text += std::string("nul\0here", 8);
  doc.body = Span{0, static_cast<uint32_t>(doc.text.size())};
  WriteFused(file.path(), {doc});
  const PgExportSummary summary = Export(file.path(), url());
  EXPECT_EQ(summary.replaced_bytes, 3u);  // \xFF in the text and in the title, NUL in the text
  std::string expected = doc.text;
  expected[expected.find('\xFF')] = '?';
  expected[expected.find('\0')] = ' ';
  EXPECT_EQ(Text("SELECT text FROM documents"), expected);
  EXPECT_EQ(Int("SELECT octet_length(text) FROM documents"), static_cast<int64_t>(doc.text.size()));
}

TEST_F(PgExport, AnotherSchemaVersionIsRefused) {
  TempDb file("pg_version.db");
  WriteFused(file.path(), {testing::SampleDocument()});
  Export(file.path(), url());
  Text("UPDATE meta SET value = '0' WHERE key = 'schema_version'");
  const Fusion& fusion = LoadFusion();
  PgExportSummary summary;
  const Result r = ExportToPostgres(file.path(), url(), *fusion.fuser, *fusion.weights,
                                    PgExportOptions{}, &summary);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("schema version 3, the PostgreSQL database version 0"), std::string::npos)
      << r.message();
}

TEST_F(PgExport, AFileOfAnOlderSitrepIsRefusedSayingHowToUpdateIt) {
  TempDb file("pg_v1.db");
  WriteFused(file.path(), {testing::SampleDocument()});
  testing::Reader(file.path(), /*write=*/true).Exec("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  const Fusion& fusion = LoadFusion();
  PgExportSummary summary;
  const Result r = ExportToPostgres(file.path(), url(), *fusion.fuser, *fusion.weights, PgExportOptions{}, &summary);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("sitrep fuse --db " + file.path()), std::string::npos) << r.message();
}

}  // namespace
}  // namespace sitrep
