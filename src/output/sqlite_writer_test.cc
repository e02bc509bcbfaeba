// The SQLite writer: schema, row counts, idempotent re-writes, batching and errors,
// checked through a second connection as a reader would.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>

#include "output/output_test_util.h"
#include "output/record_sink.h"
#include "output/records.h"
#include "output/sqlite_test_util.h"

namespace sitrep {
namespace {

using testing::Reader;
using testing::TempDb;

std::unique_ptr<RecordSink> Open(const std::string& path, size_t batch = kDefaultSqliteBatch) {
  std::unique_ptr<RecordSink> sink;
  SqliteOptions options;
  options.batch = batch;
  const Result r = OpenSqliteSink(path, options, &sink);
  EXPECT_TRUE(r.ok()) << r.message();
  return sink;
}

void WriteAll(const std::string& path, const std::vector<Document>& docs) {
  std::unique_ptr<RecordSink> sink = Open(path);
  ASSERT_NE(sink, nullptr);
  for (const Document& doc : docs) {
    const Result r = sink->Write(doc);
    EXPECT_TRUE(r.ok()) << r.message();
  }
  const Result r = sink->Finish();
  EXPECT_TRUE(r.ok()) << r.message();
}

std::string Count(std::string_view table) { return "SELECT count(*) FROM " + std::string(table); }

TEST(OutputSqlite, TablesIndexesAndMeta) {
  TempDb db("schema.sqlite");
  WriteAll(db.path(), {});
  Reader r(db.path());
  for (const char* table : {"documents", "events", "places", "quantities", "meta"}) {
    EXPECT_EQ(r.Int(std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") +
                    table + "'"),
              1)
        << table;
  }
  // Each index by the columns it covers, whatever its name. Events: by document, and
  // the one covering index that sitrep serve reads in date order.
  const std::pair<const char*, const char*> indexes[] = {
      {"events", "doc_id"},
      {"events", "date,id,type,side,status,family,negated,lat,lon,doc_id,source_name,independent_sources"},
      {"places", "doc_id"},
      {"places", "gid"},
      {"quantities", "event_id"}};
  for (const auto& [table, columns] : indexes) {
    EXPECT_EQ(r.Int(std::string("SELECT count(*) FROM pragma_index_list('") + table +
                    "') AS l WHERE (SELECT group_concat(name, ',') FROM (SELECT name FROM "
                    "pragma_index_info(l.name) ORDER BY seqno)) = '" + columns + "'"),
              1)
        << table << "(" << columns << ")";
  }
  EXPECT_EQ(r.Text("SELECT value FROM meta WHERE key='schema_version'"), "3");
  EXPECT_NE(r.Text("SELECT value FROM meta WHERE key='sitrep_version'"), "<none>");
  EXPECT_EQ(r.Text("PRAGMA journal_mode"), "wal");
  for (const char* column : {"doc_id", "source", "title", "url", "published", "published_basis",
                             "body_begin", "body_end", "text", "credibility_score", "n_events",
                             "json", "content_hash", "data_version"}) {
    EXPECT_EQ(r.Int(std::string("SELECT count(*) FROM pragma_table_info('documents') WHERE name='") +
                    column + "'"),
              1)
        << column;
  }
}

TEST(OutputSqlite, RowsMatchTheDocument) {
  TempDb db("rows.sqlite");
  const Document doc = testing::SampleDocument();
  WriteAll(db.path(), {doc, testing::TrickyDocument()});
  Reader r(db.path());
  EXPECT_EQ(r.Int(Count("documents")), 2);
  EXPECT_EQ(r.Int(Count("events")), 4);
  EXPECT_EQ(r.Int(Count("places")), 3);  // reportable places only
  EXPECT_EQ(r.Int(Count("quantities")), 1);

  EXPECT_EQ(r.Text("SELECT published FROM documents WHERE doc_id='004_test'"), "2023-11-09");
  EXPECT_EQ(r.Text("SELECT published_basis FROM documents WHERE doc_id='004_test'"), "explicit");
  EXPECT_EQ(r.Text("SELECT url FROM documents WHERE doc_id='004_test'"), "https://example.org/a");
  EXPECT_EQ(r.Int("SELECT n_events FROM documents WHERE doc_id='004_test'"), 4);
  EXPECT_EQ(r.Int("SELECT body_begin FROM documents WHERE doc_id='004_test'"), doc.body.begin);
  EXPECT_EQ(r.Text("SELECT text FROM documents WHERE doc_id='004_test'"), doc.text);
  EXPECT_EQ(r.Text("SELECT published FROM documents WHERE doc_id='tricky \"7\"'"), "<null>");

  EXPECT_EQ(r.Int("SELECT seq FROM events WHERE id='004_test#3'"), 3);
  EXPECT_EQ(r.Text("SELECT type || '/' || family || '/' || side || '/' || status FROM events "
                   "WHERE id='004_test#1'"),
            "shelling/remote/RU/claimed");
  EXPECT_DOUBLE_EQ(r.Real("SELECT lat FROM events WHERE id='004_test#1'"), 49.71);
  EXPECT_EQ(r.Text("SELECT location_name || '|' || admin1 || '|' || country FROM events "
                   "WHERE id='004_test#1'"),
            "Kupiansk|Kharkiv Oblast|UA");
  EXPECT_EQ(r.Text("SELECT date FROM events WHERE id='004_test#1'"), "2023-11-07");
  EXPECT_EQ(r.Text("SELECT date_end FROM events WHERE id='004_test#3'"), "2023-11-05");
  EXPECT_EQ(r.Text("SELECT date_precision FROM events WHERE id='004_test#3'"), "range");
  EXPECT_EQ(r.Text("SELECT source_name || '/' || source_kind FROM events WHERE id='004_test#1'"),
            "General Staff of the Armed Forces of Ukraine/military");
  EXPECT_EQ(r.Int("SELECT trigger_begin FROM events WHERE id='004_test#1'"), doc.events[0].trigger.begin);
  EXPECT_EQ(r.Text("SELECT evidence_text FROM events WHERE id='004_test#1'"),
            doc.Text(doc.events[0].evidence));
  EXPECT_EQ(r.Int("SELECT negated FROM events WHERE id='004_test#4'"), 1);
  EXPECT_EQ(r.Text("SELECT lat FROM events WHERE id='004_test#4'"), "<null>");

  EXPECT_EQ(r.Text("SELECT group_concat(name, ',') FROM (SELECT name FROM places "
                   "WHERE doc_id='004_test' ORDER BY seq)"),
            "Kupiansk,Bakhmut,Klishchiivka");
  EXPECT_EQ(r.Text("SELECT gid FROM places WHERE seq=1"), "geonames:703656");
  EXPECT_EQ(r.Int("SELECT \"end\" - \"begin\" FROM places WHERE seq=1"), 8);
  EXPECT_EQ(r.Text("SELECT event_id || '/' || value || '/' || unit || '/' || what || '/' || side "
                   "FROM quantities"),
            "004_test#2/17800.0/personnel/killed/RU");
}

TEST(OutputSqlite, JsonColumnEqualsTheJsonlLine) {
  TempDb db("json.sqlite");
  const Document doc = testing::SampleDocument();
  const Document tricky = testing::TrickyDocument();
  WriteAll(db.path(), {doc, tricky});
  Reader r(db.path());
  std::string expected;
  AppendDocumentJson(doc, expected);
  EXPECT_EQ(r.Text("SELECT json FROM documents WHERE doc_id='004_test'"), expected);
  expected.clear();
  AppendDocumentJson(tricky, expected);
  EXPECT_EQ(r.Text("SELECT json FROM documents WHERE doc_id='tricky \"7\"'"), expected);
  for (size_t i = 0; i < doc.events.size(); ++i) {
    expected.clear();
    AppendEventJson(doc, i, expected);
    EXPECT_EQ(r.Text("SELECT json FROM events WHERE id='" + EventId(doc, i) + "'"), expected);
  }
  // And SQLite's own JSON functions read it.
  EXPECT_EQ(r.Text("SELECT json_extract(json, '$.actor.side') FROM events WHERE seq=1"), "RU");
}

TEST(OutputSqlite, RewritingADocumentReplacesItsRows) {
  TempDb db("idempotent.sqlite");
  Document doc = testing::SampleDocument();
  WriteAll(db.path(), {doc, testing::TrickyDocument()});
  WriteAll(db.path(), {doc, testing::TrickyDocument()});  // a re-run on the same input
  {
    Reader r(db.path());
    EXPECT_EQ(r.Int(Count("documents")), 2);
    EXPECT_EQ(r.Int(Count("events")), 4);
    EXPECT_EQ(r.Int(Count("places")), 3);
    EXPECT_EQ(r.Int(Count("quantities")), 1);
  }
  // The same doc_id twice in one run, changed: the later version wins, nothing is left over.
  std::unique_ptr<RecordSink> sink = Open(db.path());
  ASSERT_TRUE(sink->Write(doc).ok());
  doc.events.resize(1);
  doc.places.resize(1);
  doc.title = "Updated";
  ASSERT_TRUE(sink->Write(doc).ok());
  ASSERT_TRUE(sink->Finish().ok());
  Reader r(db.path());
  EXPECT_EQ(r.Int(Count("documents")), 2);
  EXPECT_EQ(r.Int(Count("events")), 1);
  EXPECT_EQ(r.Int(Count("places")), 1);
  EXPECT_EQ(r.Int(Count("quantities")), 0);
  EXPECT_EQ(r.Text("SELECT title FROM documents WHERE doc_id='004_test'"), "Updated");
  EXPECT_EQ(r.Int("SELECT n_events FROM documents WHERE doc_id='004_test'"), 1);
}

TEST(OutputSqlite, CommitsPerBatchAndAtFinish) {
  TempDb db("batch.sqlite");
  std::unique_ptr<RecordSink> sink = Open(db.path(), /*batch=*/2);
  ASSERT_NE(sink, nullptr);
  auto doc_n = [](int n) {
    Document doc = testing::SampleDocument();
    doc.doc_id = "doc" + std::to_string(n);
    return doc;
  };
  auto committed = [&] { return Reader(db.path()).Int(Count("documents")); };
  ASSERT_TRUE(sink->Write(doc_n(1)).ok());
  EXPECT_EQ(committed(), 0);  // inside the open batch
  ASSERT_TRUE(sink->Write(doc_n(2)).ok());
  EXPECT_EQ(committed(), 2);  // the batch is full: committed
  ASSERT_TRUE(sink->Write(doc_n(3)).ok());
  EXPECT_EQ(committed(), 2);
  ASSERT_TRUE(sink->Finish().ok());
  EXPECT_EQ(committed(), 3);  // Finish commits the last batch
  EXPECT_FALSE(sink->Write(doc_n(4)).ok());
}

TEST(OutputSqlite, WithoutFinishTheOpenBatchIsNotStored) {
  TempDb db("abandon.sqlite");
  {
    std::unique_ptr<RecordSink> sink = Open(db.path(), /*batch=*/2);
    ASSERT_TRUE(sink->Write(testing::SampleDocument()).ok());
  }
  EXPECT_EQ(Reader(db.path()).Int(Count("documents")), 0);
}

TEST(OutputSqlite, AFailedDocumentIsUndoneAloneAndTheBatchGoesOn) {
  TempDb db("rollback.sqlite");
  WriteAll(db.path(), {});
  {
    // A trigger makes inserting the events of one document fail half way through it.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.seq = 3 AND "
                           "NEW.doc_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  Document doc = testing::SampleDocument();
  std::unique_ptr<RecordSink> sink = Open(db.path());
  doc.doc_id = "a";
  ASSERT_TRUE(sink->Write(doc).ok());
  doc.doc_id = "poison";
  const Result failed = sink->Write(doc);
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find("poisoned"), std::string::npos) << failed.message();
  EXPECT_NE(failed.message().find(db.path()), std::string::npos) << failed.message();
  doc.doc_id = "b";
  EXPECT_TRUE(sink->Write(doc).ok());
  EXPECT_TRUE(sink->Finish().ok());
  Reader r(db.path());
  EXPECT_EQ(r.Text("SELECT group_concat(doc_id, ',') FROM (SELECT doc_id FROM documents "
                   "ORDER BY doc_id)"),
            "a,b");
  EXPECT_EQ(r.Int(Count("events")), 8);  // none of the poisoned document's first two
  EXPECT_EQ(r.Int(Count("places")), 6);
  EXPECT_EQ(r.Int(Count("quantities")), 2);
}

TEST(OutputSqlite, OpenErrorsNameThePathAndSqlitesMessage) {
  std::unique_ptr<RecordSink> sink;
  Result r = OpenSqliteSink("/nonexistent-dir/out.sqlite", SqliteOptions{}, &sink);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("/nonexistent-dir/out.sqlite"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("unable to open"), std::string::npos) << r.message();
  EXPECT_EQ(sink, nullptr);
  EXPECT_FALSE(OpenSqliteSink("-", SqliteOptions{}, &sink).ok());
}

TEST(OutputSqlite, RefusesAnotherSchemaVersion) {
  TempDb db("version.sqlite");
  WriteAll(db.path(), {});
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "UPDATE meta SET value='99' WHERE key='schema_version'", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  std::unique_ptr<RecordSink> sink;
  Result r = OpenSqliteSink(db.path(), SqliteOptions{}, &sink);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("schema version 99"), std::string::npos) << r.message();
}

// Version 2 had no content_hash and data_version: opening it adds them, the rows kept
// (with NULL: what they were extracted with is not known), and the next write fills them.
TEST(OutputSqlite, AVersion2DatabaseIsBroughtUpToDate) {
  TempDb db("version2.sqlite");
  WriteAll(db.path(), {testing::SampleDocument(), testing::TrickyDocument()});
  {
    Reader w(db.path(), /*write=*/true);
    w.Exec("ALTER TABLE documents DROP COLUMN content_hash;"
           "ALTER TABLE documents DROP COLUMN data_version;"
           "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    ASSERT_EQ(w.Int("SELECT count(*) FROM pragma_table_info('documents') WHERE name = 'content_hash'"), 0);
  }
  Document doc = testing::SampleDocument();
  doc.content_hash = 0xfeed;
  doc.data_version = "00000000000000aa";
  {
    std::unique_ptr<RecordSink> sink = Open(db.path());
    ASSERT_NE(sink, nullptr);
    Reader r(db.path());
    EXPECT_EQ(r.Text("SELECT value FROM meta WHERE key='schema_version'"), "3");
    EXPECT_EQ(r.Int(Count("documents")), 2);
    EXPECT_EQ(r.Int("SELECT count(*) FROM documents WHERE content_hash IS NULL AND data_version IS NULL"), 2);
    ASSERT_TRUE(sink->Write(doc).ok());
    ASSERT_TRUE(sink->Finish().ok());
  }
  Reader r(db.path());
  EXPECT_EQ(r.Text("SELECT content_hash || '/' || data_version FROM documents WHERE doc_id = '004_test'"),
            "000000000000feed/00000000000000aa");
  EXPECT_EQ(r.Int(Count("events")), 4);
}

TEST(OutputSqlite, NotADatabaseIsAnError) {
  TempDb db("garbage.sqlite");
  std::FILE* f = std::fopen(db.path().c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("this is not a database, just text long enough to fill a header page..........\n", f);
  std::fclose(f);
  std::unique_ptr<RecordSink> sink;
  Result r = OpenSqliteSink(db.path(), SqliteOptions{}, &sink);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find(db.path()), std::string::npos) << r.message();
}

TEST(OutputSqlite, OpenSinkDispatchesByFormat) {
  TempDb db("dispatch.sqlite");
  SinkOptions options;
  options.format = *OutputFormatFromPath(db.path());
  EXPECT_EQ(options.format, OutputFormat::kSqlite);
  options.path = db.path();
  std::unique_ptr<RecordSink> sink;
  ASSERT_TRUE(OpenSink(options, &sink).ok());
  ASSERT_TRUE(sink->Write(testing::SampleDocument()).ok());
  ASSERT_TRUE(sink->Finish().ok());
  EXPECT_EQ(Reader(db.path()).Int(Count("events")), 4);
}

TEST(OutputFormat, NamesAndExtensions) {
  EXPECT_EQ(ParseOutputFormat("geojson"), OutputFormat::kGeoJson);
  EXPECT_EQ(ParseOutputFormat("ndjson"), OutputFormat::kJsonl);
  EXPECT_FALSE(ParseOutputFormat("xml"));
  EXPECT_EQ(OutputFormatName(OutputFormat::kCsv), "csv");
  EXPECT_EQ(OutputFormatFromPath("out/events.csv"), OutputFormat::kCsv);
  EXPECT_EQ(OutputFormatFromPath("a.jsonl"), OutputFormat::kJsonl);
  EXPECT_EQ(OutputFormatFromPath("a.geojson"), OutputFormat::kGeoJson);
  EXPECT_FALSE(OutputFormatFromPath("a.json"));
}

TEST(OutputTeeSink, WritesEveryDocumentToEverySink) {
  TempDb db("tee.sqlite");
  testing::MemoryFile mem;
  std::vector<std::unique_ptr<RecordSink>> sinks;
  sinks.push_back(MakeJsonlSink(mem.get()));
  sinks.push_back(Open(db.path()));
  std::unique_ptr<RecordSink> tee = MakeTeeSink(std::move(sinks));
  ASSERT_TRUE(tee->Write(testing::SampleDocument()).ok());
  ASSERT_TRUE(tee->Finish().ok());
  EXPECT_EQ(testing::SplitLines(mem.contents()).size(), 5u);
  EXPECT_EQ(Reader(db.path()).Int(Count("events")), 4);
}

}  // namespace
}  // namespace sitrep
