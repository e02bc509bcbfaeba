// Test helpers for the SQLite database: a temporary path, a read connection, the
// fusion data loaded once, a file written and fused as `extract --db` does, and a
// second report of the sample's shelling (header-only, for tests).
#ifndef SITREP_OUTPUT_SQLITE_TEST_UTIL_H_
#define SITREP_OUTPUT_SQLITE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/paths.h"
#include "output/output_test_util.h"
#include "output/record_sink.h"
#include "output/sqlite_fusion.h"

namespace sitrep::testing {

// A temporary database path, removed (with its WAL files) before and after.
class TempDb {
 public:
  explicit TempDb(const std::string& name) : path_(TempPath(name)) { Remove(); }
  ~TempDb() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path_ + suffix).c_str());
  }
  std::string path_;
};

// A connection for checking what was written (read-only unless asked).
class Reader {
 public:
  explicit Reader(const std::string& path, bool write = false) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                              nullptr),
              SQLITE_OK);
  }
  ~Reader() { sqlite3_close(db_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The first column of the first row as text; "<null>" for NULL, "<none>" for no row.
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    std::string out = "<none>";
    if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "<null>";
    }
    sqlite3_finalize(stmt);
    return out;
  }
  int64_t Int(const std::string& sql) { return std::stoll(Text(sql)); }
  double Real(const std::string& sql) { return std::stod(Text(sql)); }
  // Statements that return no rows.
  void Exec(const std::string& sql) {
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << sql << ": " << (message != nullptr ? message : "");
    sqlite3_free(message);
  }

 private:
  sqlite3* db_ = nullptr;
};

struct Fusion {
  std::unique_ptr<Fuser> fuser;
  std::optional<SignalWeights> weights;
};

inline const Fusion& LoadFusion() {
  static const Fusion* fusion = [] {
    auto* f = new Fusion;
    std::string error;
    f->fuser = Fuser::Load(DataDir(), &error);
    EXPECT_NE(f->fuser, nullptr) << error;
    f->weights = SignalWeights::Load(DataDir(), &error);
    EXPECT_TRUE(f->weights.has_value()) << error;
    return f;
  }();
  return *fusion;
}

// Writes the documents with the SQLite sink, then fuses the file as extract --db does:
// the whole file, or (touched) only around the documents just written.
inline void WriteFused(const std::string& path, const std::vector<Document>& docs, bool touched = false) {
  std::unique_ptr<RecordSink> sink;
  Result r = OpenSqliteSink(path, SqliteOptions{}, &sink);
  ASSERT_TRUE(r.ok()) << r.message();
  std::vector<std::string> ids;
  for (const Document& doc : docs) {
    r = sink->Write(doc);
    ASSERT_TRUE(r.ok()) << r.message();
    ids.push_back(doc.doc_id);
  }
  r = sink->Finish();
  ASSERT_TRUE(r.ok()) << r.message();
  const Fusion& fusion = LoadFusion();
  DatabaseFusion summary;
  r = FuseDatabase(path, *fusion.fuser, *fusion.weights, touched ? &ids : nullptr, &summary);
  ASSERT_TRUE(r.ok()) << r.message();
}

// The sample article again under another id, its shelling claimed by another source:
// fusion puts the two shellings in one cluster of two independent sources.
inline Document OtherSourceDocument() {
  Document doc = SampleDocument();
  doc.doc_id = "005_test";
  doc.origin.path = "seeds/005_test.txt";
  doc.events[0].source = EventSource{"the UK Ministry of Defence", "UK Ministry of Defence",
                                     SourceKind::kGovernment, Side::kUnknown, {}, {}};
  return doc;
}

}  // namespace sitrep::testing

#endif  // SITREP_OUTPUT_SQLITE_TEST_UTIL_H_
