#include "output/pg_export.h"

#include <simdjson.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "base/utf8.h"
#include "output/extracted_index.h"

namespace sitrep {
namespace {

// libpq's type oids (server/catalog/pg_type_d.h, which libpq-dev does not ship).
constexpr Oid kInt2Oid = 21, kInt4Oid = 23, kInt8Oid = 20;
constexpr Oid kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// Every export into a database holds this advisory lock from start to end, so that two
// exports never interleave their batches or their fusion.
constexpr int64_t kExportLockKey = 0x5349545245500001;  // "SITREP" 1
constexpr size_t kCopyFlushBytes = size_t{1} << 20;
constexpr const char* kConnectTimeoutSeconds = "10";

// The sitrep schema in PostgreSQL: the SQLite tables (output/sqlite_writer.cc,
// output/sqlite_fusion.cc) column for column — INTEGER as bigint, REAL as double
// precision, TEXT (json included, kept byte for byte) as text in the "C" collation so
// that text sorts and compares as in SQLite — plus a PostGIS point (WGS 84) where a
// row has coordinates, with a GiST index. control's coordinates, inside its json in
// SQLite, are columns here.
constexpr const char* kPgSchema = R"sql(
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS meta (
  key text COLLATE "C" PRIMARY KEY,
  value text COLLATE "C" NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  doc_id text COLLATE "C" PRIMARY KEY,
  source text COLLATE "C", title text COLLATE "C", url text COLLATE "C",
  published text COLLATE "C", published_basis text COLLATE "C",
  body_begin bigint, body_end bigint,
  text text COLLATE "C",
  credibility_score double precision,
  n_events bigint NOT NULL,
  json text COLLATE "C" NOT NULL,
  content_hash text COLLATE "C", data_version text COLLATE "C");
-- Schema version 3 added what a document was extracted from and with.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS content_hash text COLLATE "C";
ALTER TABLE documents ADD COLUMN IF NOT EXISTS data_version text COLLATE "C";
CREATE TABLE IF NOT EXISTS events (
  id text COLLATE "C" PRIMARY KEY,
  doc_id text COLLATE "C" NOT NULL, seq bigint NOT NULL,
  type text COLLATE "C" NOT NULL, family text COLLATE "C" NOT NULL, side text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL, negated bigint NOT NULL,
  date text COLLATE "C", date_end text COLLATE "C", date_precision text COLLATE "C",
  lat double precision, lon double precision, location_name text COLLATE "C",
  admin1 text COLLATE "C", country text COLLATE "C",
  source_name text COLLATE "C", source_kind text COLLATE "C",
  trigger_begin bigint, trigger_end bigint,
  evidence_begin bigint, evidence_end bigint, evidence_text text COLLATE "C",
  confidence double precision,
  json text COLLATE "C" NOT NULL,
  geom geometry(Point, 4326),
  independent_sources bigint NOT NULL DEFAULT 1);
-- Schema version 1 had no independent_sources (the cluster's, written by fusion).
ALTER TABLE events ADD COLUMN IF NOT EXISTS independent_sources bigint NOT NULL DEFAULT 1;
CREATE TABLE IF NOT EXISTS places (
  doc_id text COLLATE "C" NOT NULL, seq bigint NOT NULL,
  text text COLLATE "C", "begin" bigint, "end" bigint,
  name text COLLATE "C", gid text COLLATE "C", lat double precision, lon double precision,
  admin1 text COLLATE "C", country text COLLATE "C", feature text COLLATE "C",
  geom geometry(Point, 4326));
CREATE TABLE IF NOT EXISTS quantities (
  event_id text COLLATE "C" NOT NULL, doc_id text COLLATE "C" NOT NULL,
  value double precision, approx bigint, unit text COLLATE "C", what text COLLATE "C",
  side text COLLATE "C", text text COLLATE "C");
CREATE TABLE IF NOT EXISTS clusters (
  id text COLLATE "C" PRIMARY KEY,
  type text COLLATE "C" NOT NULL, side text COLLATE "C" NOT NULL, status text COLLATE "C" NOT NULL,
  lat double precision, lon double precision, location_name text COLLATE "C",
  date text COLLATE "C", date_end text COLLATE "C",
  n_members bigint NOT NULL, independent_sources bigint NOT NULL,
  json text COLLATE "C" NOT NULL,
  geom geometry(Point, 4326));
CREATE TABLE IF NOT EXISTS cluster_members (
  cluster_id text COLLATE "C" NOT NULL, event_id text COLLATE "C" NOT NULL);
CREATE TABLE IF NOT EXISTS control (
  id text COLLATE "C" PRIMARY KEY,
  settlement_id text COLLATE "C", name text COLLATE "C" NOT NULL, side text COLLATE "C" NOT NULL,
  "from" text COLLATE "C" NOT NULL,
  background bigint NOT NULL, contested bigint NOT NULL,
  json text COLLATE "C" NOT NULL,
  lat double precision, lon double precision,
  geom geometry(Point, 4326));
CREATE INDEX IF NOT EXISTS events_doc_id ON events(doc_id);
-- events_serve (kServeIndex) replaces the single-column indexes of earlier versions,
-- which led the planner to read the wide rows.
DROP INDEX IF EXISTS events_type;
DROP INDEX IF EXISTS events_date;
DROP INDEX IF EXISTS events_lat_lon;
CREATE INDEX IF NOT EXISTS places_doc_id ON places(doc_id);
CREATE INDEX IF NOT EXISTS places_gid ON places(gid);
CREATE INDEX IF NOT EXISTS quantities_event_id ON quantities(event_id);
CREATE INDEX IF NOT EXISTS quantities_doc_id ON quantities(doc_id);
CREATE INDEX IF NOT EXISTS cluster_members_event ON cluster_members(event_id);
CREATE INDEX IF NOT EXISTS cluster_members_cluster ON cluster_members(cluster_id);
CREATE INDEX IF NOT EXISTS control_settlement ON control(settlement_id, "from");
CREATE INDEX IF NOT EXISTS events_geom ON events USING gist (geom);
CREATE INDEX IF NOT EXISTS places_geom ON places USING gist (geom);
CREATE INDEX IF NOT EXISTS clusters_geom ON clusters USING gist (geom);
CREATE INDEX IF NOT EXISTS control_geom ON control USING gist (geom);
)sql";

// What sitrep serve filters, pages and aggregates on, in date order: its queries are
// index-only scans of this (the export vacuums, so that they need no heap fetch). Made
// at the end of an export when missing: built over the loaded rows it is a quarter
// smaller than grown row by row (28 MB against 38 at 124,000 events), and the first
// load goes faster without it.
constexpr const char* kServeIndex =
    "CREATE INDEX IF NOT EXISTS events_serve ON events(date, id) INCLUDE (type, side, status, family, "
    "negated, lat, lon, doc_id, source_name, independent_sources)";

// A table copied row for row: its columns (as both databases name them) and, when its
// rows get a geometry, the 0-based positions of lat and lon among them.
struct Table {
  const char* name;
  const char* columns;
  int lat = -1, lon = -1;
};

// The document tables, child tables first (the order rows are deleted in).
constexpr Table kQuantities{"quantities", "event_id, doc_id, value, approx, unit, what, side, text"};
constexpr Table kEvents{
    "events",
    "id, doc_id, seq, type, family, side, status, negated, date, date_end, date_precision, lat, "
    "lon, location_name, admin1, country, source_name, source_kind, trigger_begin, trigger_end, "
    "evidence_begin, evidence_end, evidence_text, confidence, json, independent_sources",
    11, 12};
constexpr Table kPlaces{
    "places",
    "doc_id, seq, text, \"begin\", \"end\", name, gid, lat, lon, admin1, country, feature", 7, 8};
constexpr Table kDocuments{
    "documents",
    "doc_id, source, title, url, published, published_basis, body_begin, body_end, text, "
    "credibility_score, n_events, json, content_hash, data_version"};
// What fusion reads of the documents: all but the text.
constexpr Table kDocumentsForFusion{
    "documents",
    "doc_id, source, title, url, published, published_basis, body_begin, body_end, "
    "credibility_score, n_events, json"};
constexpr Table kClusters{
    "clusters",
    "id, type, side, status, lat, lon, location_name, date, date_end, n_members, "
    "independent_sources, json",
    4, 5};
constexpr Table kClusterMembers{"cluster_members", "cluster_id, event_id"};
// control's coordinates come from its json (settlement.lat/lon): see CopyControl.
constexpr const char* kControlColumns =
    "id, settlement_id, name, side, \"from\", background, contested, json";


// One PostgreSQL session; errors name the (redacted) URL.
class Pg {
 public:
  Pg(PGconn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}
  PGconn* conn() const { return conn_; }

  Result Fail(std::string_view what, const PGresult* r = nullptr) const {
    const char* message = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    std::string text = name_ + ": " + std::string(what);
    if (message != nullptr && *message != '\0') text += ": " + TrimPgMessage(message);
    return Result::Error(text);
  }

  // Runs statements that return no rows (several, ';'-separated, when no params).
  Result Exec(const char* sql, const std::vector<std::string>& params = {}) const {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PgResult r(params.empty() ? PQexec(conn_, sql)
                              : PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr,
                                             values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Fail(FirstLine(sql), r.get());
    return Result::Ok();
  }

  // Runs one query and keeps its rows in *out.
  Result Query(const char* sql, const std::vector<std::string>& params, PgResult* out) const {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    out->reset(PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                            nullptr, nullptr, 0));
    if (PQresultStatus(out->get()) != PGRES_TUPLES_OK) return Fail(FirstLine(sql), out->get());
    return Result::Ok();
  }

  void Rollback() const { PgResult(PQexec(conn_, "ROLLBACK")); }

 private:
  static std::string FirstLine(std::string_view sql) {
    while (!sql.empty() && (sql.front() == '\n' || sql.front() == ' ')) sql.remove_prefix(1);
    const size_t end = sql.find('\n');
    std::string line(sql.substr(0, end));
    if (line.size() > 60) line = line.substr(0, 57) + "...";
    return line;
  }

  PGconn* conn_;
  std::string name_;
};

// Appends s as a field of COPY's text format: backslash, tab, newline and carriage
// return escaped. Bytes a PostgreSQL text cannot hold are replaced one for one (NUL by
// a space, a byte that is not valid UTF-8 by '?') and counted.
void AppendCopyText(std::string& out, std::string_view s, size_t* replaced) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\0':
          out += ' ';
          ++*replaced;
          break;
        default: out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t len = 1;
    if (utf8::Decode(s, i, &len) == utf8::kReplacement && len == 1) {
      out += '?';
      ++*replaced;
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
}

// A double that reads back as the same double.
void AppendReal(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  out += buf;
}

// A PostGIS point in SRID 4326 as hex EWKB (little-endian), so the coordinates go in
// bit for bit.
void AppendPointEwkb(std::string& out, double lon, double lat) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "0101000020E6100000";  // byte order, type Point with SRID flag, SRID 4326
  for (const double v : {lon, lat}) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i) {
      const auto b = static_cast<uint8_t>(bits >> (8 * i));
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
}

// One COPY ... FROM STDIN in text format, rows built field by field and sent in chunks.
class CopyIn {
 public:
  CopyIn(const Pg& pg, size_t* replaced) : pg_(pg), replaced_(replaced) {}

  Result Begin(const std::string& table, const std::string& columns) {
    what_ = "COPY " + table;
    const std::string sql = "COPY " + table + " (" + columns + ") FROM STDIN";
    PgResult r(PQexec(pg_.conn(), sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_COPY_IN) return pg_.Fail(what_, r.get());
    buf_.clear();
    first_ = true;
    return Result::Ok();
  }
  void Null() { Sep() += "\\N"; }
  void Text(std::string_view s) { AppendCopyText(Sep(), s, replaced_); }
  void Int(int64_t v) { Sep() += std::to_string(v); }
  void Real(double v) { AppendReal(Sep(), v); }
  void Point(double lon, double lat) { AppendPointEwkb(Sep(), lon, lat); }
  Result EndRow() {
    buf_ += '\n';
    first_ = true;
    return buf_.size() >= kCopyFlushBytes ? Flush() : Result::Ok();
  }
  // Sends what is left and ends the COPY (error: the transaction is aborted).
  Result End() {
    if (Result r = Flush(); !r.ok()) return r;
    if (PQputCopyEnd(pg_.conn(), nullptr) != 1) return pg_.Fail(what_);
    return Finish();
  }

 private:
  std::string& Sep() {
    if (!first_) buf_ += '\t';
    first_ = false;
    return buf_;
  }
  Result Flush() {
    if (buf_.empty()) return Result::Ok();
    if (PQputCopyData(pg_.conn(), buf_.data(), static_cast<int>(buf_.size())) != 1) {
      Result failed = pg_.Fail(what_);
      PQputCopyEnd(pg_.conn(), "sitrep: cannot send");
      Finish();
      return failed;
    }
    buf_.clear();
    return Result::Ok();
  }
  Result Finish() {
    Result result = Result::Ok();
    while (PGresult* raw = PQgetResult(pg_.conn())) {
      PgResult r(raw);
      if (PQresultStatus(raw) != PGRES_COMMAND_OK && result.ok()) result = pg_.Fail(what_, raw);
    }
    return result;
  }

  const Pg& pg_;
  size_t* replaced_;
  std::string what_;
  std::string buf_;
  bool first_ = true;
};

// A SQLite database, the file exported or the temporary one fusion runs in.
class Lite {
 public:
  explicit Lite(std::string path) : path_(std::move(path)) {}
  ~Lite() { Close(); }
  Result Open(int flags) {
    if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK) return Fail("cannot open");
    sqlite3_busy_timeout(db_, 10000);
    return Result::Ok();
  }
  void Close() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  Result Fail(std::string_view what) const {
    return Result::Error(path_ + ": " + std::string(what) + ": " +
                         (db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
  }
  Result Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      return Result::Error(path_ + ": " + text);
    }
    return Result::Ok();
  }
  Result Prepare(const std::string& sql, sqlite3_stmt** stmt) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, stmt, nullptr) != SQLITE_OK) {
      *stmt = nullptr;
      return Fail("cannot prepare (is this a sitrep database?)");
    }
    return Result::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

std::string_view ColumnText(sqlite3_stmt* stmt, int i) {
  const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, i));
  return text != nullptr ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
                         : std::string_view();
}

// Copies the rows a SQLite statement selects into an open COPY, value for value, with
// the point of its (lat, lon) columns when the table has them.
Result CopyRows(sqlite3_stmt* stmt, const Table& table, CopyIn& copy, const Lite& lite, size_t* rows) {
  const int n = sqlite3_column_count(stmt);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL: copy.Null(); break;
        case SQLITE_INTEGER: copy.Int(sqlite3_column_int64(stmt, i)); break;
        case SQLITE_FLOAT: copy.Real(sqlite3_column_double(stmt, i)); break;
        default: copy.Text(ColumnText(stmt, i));
      }
    }
    if (table.lat >= 0) {
      if (sqlite3_column_type(stmt, table.lat) == SQLITE_NULL ||
          sqlite3_column_type(stmt, table.lon) == SQLITE_NULL) {
        copy.Null();
      } else {
        copy.Point(sqlite3_column_double(stmt, table.lon), sqlite3_column_double(stmt, table.lat));
      }
    }
    if (Result r = copy.EndRow(); !r.ok()) return r;
    ++*rows;
  }
  if (rc != SQLITE_DONE) return lite.Fail(std::string("cannot read ") + table.name);
  return Result::Ok();
}

std::string CopyColumns(const Table& table) {
  return std::string(table.columns) + (table.lat >= 0 ? ", geom" : "");
}

// The meta rows of a sitrep SQLite file (schema_version, sitrep_version).
Result FileMeta(Lite& lite, std::vector<std::pair<std::string, std::string>>* meta) {
  sqlite3_stmt* raw = nullptr;
  if (Result r = lite.Prepare("SELECT key, value FROM meta ORDER BY key", &raw); !r.ok()) return r;
  Stmt stmt(raw);
  while (sqlite3_step(raw) == SQLITE_ROW) {
    meta->emplace_back(ColumnText(raw, 0), ColumnText(raw, 1));
  }
  return Result::Ok();
}

// Step 1: tables and indexes, and the file's meta rows (the schema versions must agree).
Result CreateSchema(const Pg& pg, Lite& file) {
  std::vector<std::pair<std::string, std::string>> meta;
  if (Result r = FileMeta(file, &meta); !r.ok()) return r;
  std::string version;
  for (const auto& [key, value] : meta) {
    if (key == "schema_version") version = value;
  }
  if (version.empty()) return Result::Error(file.path() + ": not a sitrep database (no schema_version)");
  if (version == "1" || version == "2") {
    return Result::Error(file.path() + ": written by an older sitrep (schema version " + version +
                         "); bring it up to date with: sitrep fuse --db " + file.path());
  }
  if (Result r = pg.Exec(kPgSchema); !r.ok()) {
    return Result::Error(r.message() +
                         " (the postgis extension must be installed, and created in the database "
                         "by a user allowed to: CREATE EXTENSION postgis)");
  }
  PgResult found;
  if (Result r = pg.Query("SELECT value FROM meta WHERE key = 'schema_version'", {}, &found); !r.ok())
    return r;
  // Versions 1 and 2 are brought up to version 3 by kPgSchema (ALTER TABLE ... IF NOT
  // EXISTS); the documents exported before have no content hash (NULL).
  const std::string_view pg_version = PQntuples(found.get()) > 0 ? PQgetvalue(found.get(), 0, 0) : "";
  if (!pg_version.empty() && version != pg_version &&
      !(version == "3" && (pg_version == "1" || pg_version == "2"))) {
    return Result::Error(file.path() + " has schema version " + version +
                         ", the PostgreSQL database version " + PQgetvalue(found.get(), 0, 0));
  }
  for (const auto& [key, value] : meta) {
    if (Result r = pg.Exec("INSERT INTO meta (key, value) VALUES ($1, $2) "
                           "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                           {key, value});
        !r.ok())
      return r;
  }
  return Result::Ok();
}

// Step 2, one batch: the documents from first to last doc_id (in the file's order).
Result ExportBatch(const Pg& pg, Lite& file, const std::vector<std::string>& ids,
                   PgExportSummary* summary) {
  if (Result r = pg.Exec("BEGIN"); !r.ok()) return r;
  auto fail = [&](Result r) {
    pg.Rollback();
    return r;
  };
  CopyIn copy(pg, &summary->replaced_bytes);
  if (Result r = copy.Begin("sitrep_batch", "doc_id"); !r.ok()) return fail(r);
  for (const std::string& id : ids) {
    copy.Text(id);
    if (Result r = copy.EndRow(); !r.ok()) return fail(r);
  }
  if (Result r = copy.End(); !r.ok()) return fail(r);
  for (const Table* t : {&kQuantities, &kEvents, &kPlaces, &kDocuments}) {
    const std::string sql =
        std::string("DELETE FROM ") + t->name + " WHERE doc_id IN (SELECT doc_id FROM sitrep_batch)";
    if (Result r = pg.Exec(sql.c_str()); !r.ok()) return fail(r);
  }
  for (const auto& [t, count] : {std::pair{&kDocuments, &summary->documents},
                                 std::pair{&kEvents, &summary->events},
                                 std::pair{&kPlaces, &summary->places},
                                 std::pair{&kQuantities, &summary->quantities}}) {
    sqlite3_stmt* raw = nullptr;
    const std::string select = std::string("SELECT ") + t->columns + " FROM " + t->name +
                               " WHERE doc_id BETWEEN ?1 AND ?2";
    if (Result r = file.Prepare(select, &raw); !r.ok()) return fail(r);
    Stmt stmt(raw);
    sqlite3_bind_text(raw, 1, ids.front().data(), static_cast<int>(ids.front().size()), SQLITE_STATIC);
    sqlite3_bind_text(raw, 2, ids.back().data(), static_cast<int>(ids.back().size()), SQLITE_STATIC);
    if (Result r = copy.Begin(t->name, CopyColumns(*t)); !r.ok()) return fail(r);
    if (Result r = CopyRows(raw, *t, copy, file, count); !r.ok()) {
      copy.End();
      return fail(r);
    }
    if (Result r = copy.End(); !r.ok()) return fail(r);
  }
  if (Result r = pg.Exec("COMMIT"); !r.ok()) return fail(r);
  return Result::Ok();
}

// Step 2: every document of the file, batch by batch.
Result ExportDocuments(const Pg& pg, Lite& file, size_t batch, PgExportSummary* summary) {
  if (Result r = pg.Exec("CREATE TEMP TABLE IF NOT EXISTS sitrep_batch "
                         "(doc_id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DELETE ROWS");
      !r.ok())
    return r;
  sqlite3_stmt* raw = nullptr;
  if (Result r = file.Prepare("SELECT doc_id FROM documents ORDER BY doc_id", &raw); !r.ok()) return r;
  Stmt stmt(raw);
  std::vector<std::string> ids;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    ids.emplace_back(ColumnText(raw, 0));
    if (ids.size() >= batch) {
      if (Result r = ExportBatch(pg, file, ids, summary); !r.ok()) return r;
      ids.clear();
    }
  }
  if (rc != SQLITE_DONE) return file.Fail("cannot read documents");
  if (!ids.empty()) return ExportBatch(pg, file, ids, summary);
  return Result::Ok();
}

// Copies the rows of a PostgreSQL table into the same table of a SQLite file, one row
// in memory at a time; integers and reals are bound as such, the rest as text.
Result PgToLite(const Pg& pg, Lite& lite, const Table& table) {
  const std::string select = std::string("SELECT ") + table.columns + " FROM " + table.name;
  if (PQsendQuery(pg.conn(), select.c_str()) != 1 || PQsetSingleRowMode(pg.conn()) != 1)
    return pg.Fail(select);
  std::string insert = std::string("INSERT INTO ") + table.name + " (" + table.columns + ") VALUES (";
  const std::string_view columns = table.columns;
  const size_t n_columns = static_cast<size_t>(std::count(columns.begin(), columns.end(), ',')) + 1;
  for (size_t i = 0; i < n_columns; ++i) insert += (i == 0 ? "?" : ", ?");
  insert += ")";
  sqlite3_stmt* raw = nullptr;
  Result result = lite.Prepare(insert, &raw);
  Stmt stmt(raw);
  // Every result is read, even after an error, so that the connection is free again.
  while (PGresult* got = PQgetResult(pg.conn())) {
    PgResult r(got);
    const ExecStatusType status = PQresultStatus(got);
    if (status == PGRES_TUPLES_OK) continue;  // the end of the rows
    if (status != PGRES_SINGLE_TUPLE) {
      if (result.ok()) result = pg.Fail(select, got);
      continue;
    }
    if (!result.ok()) continue;
    const int n = PQnfields(got);
    for (int i = 0; i < n; ++i) {
      if (PQgetisnull(got, 0, i)) {
        sqlite3_bind_null(raw, i + 1);
        continue;
      }
      const char* value = PQgetvalue(got, 0, i);
      switch (PQftype(got, i)) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid: sqlite3_bind_int64(raw, i + 1, std::strtoll(value, nullptr, 10)); break;
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid: sqlite3_bind_double(raw, i + 1, std::strtod(value, nullptr)); break;
        default:
          sqlite3_bind_text(raw, i + 1, value, PQgetlength(got, 0, i), SQLITE_TRANSIENT);
      }
    }
    if (sqlite3_step(raw) != SQLITE_DONE) result = lite.Fail(std::string("cannot write ") + table.name);
    sqlite3_reset(raw);
  }
  return result;
}

// Copies a table of the fused SQLite file into PostgreSQL (in the open transaction).
Result LiteToPg(const Pg& pg, Lite& lite, const Table& table, size_t* replaced) {
  sqlite3_stmt* raw = nullptr;
  if (Result r = lite.Prepare(std::string("SELECT ") + table.columns + " FROM " + table.name, &raw);
      !r.ok())
    return r;
  Stmt stmt(raw);
  CopyIn copy(pg, replaced);
  if (Result r = copy.Begin(table.name, CopyColumns(table)); !r.ok()) return r;
  size_t rows = 0;
  if (Result r = CopyRows(raw, table, copy, lite, &rows); !r.ok()) {
    copy.End();
    return r;
  }
  return copy.End();
}

// control, with the settlement's coordinates (in its json) as lat, lon and geom.
Result CopyControl(const Pg& pg, Lite& lite, size_t* replaced) {
  sqlite3_stmt* raw = nullptr;
  if (Result r = lite.Prepare(std::string("SELECT ") + kControlColumns + " FROM control", &raw); !r.ok())
    return r;
  Stmt stmt(raw);
  CopyIn copy(pg, replaced);
  if (Result r = copy.Begin("control", std::string(kControlColumns) + ", lat, lon, geom"); !r.ok())
    return r;
  simdjson::dom::parser parser;
  const int n = sqlite3_column_count(raw);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(raw, i)) {
        case SQLITE_NULL: copy.Null(); break;
        case SQLITE_INTEGER: copy.Int(sqlite3_column_int64(raw, i)); break;
        case SQLITE_FLOAT: copy.Real(sqlite3_column_double(raw, i)); break;
        default: copy.Text(ColumnText(raw, i));
      }
    }
    double lat = 0, lon = 0;
    simdjson::dom::element settlement;
    const std::string json(ColumnText(raw, n - 1));
    const bool located = parser.parse(json).at_key("settlement").get(settlement) == simdjson::SUCCESS &&
                         settlement["lat"].get(lat) == simdjson::SUCCESS &&
                         settlement["lon"].get(lon) == simdjson::SUCCESS;
    if (located) {
      copy.Real(lat);
      copy.Real(lon);
      copy.Point(lon, lat);
    } else {
      copy.Null();
      copy.Null();
      copy.Null();
    }
    if (Result r = copy.EndRow(); !r.ok()) return r;
  }
  if (rc != SQLITE_DONE) {
    copy.End();
    return lite.Fail("cannot read control");
  }
  return copy.End();
}

// Each event's independent sources (its cluster's) as fusion set them: only the rows
// that change are written.
Result CopySources(const Pg& pg, Lite& lite, size_t* replaced) {
  if (Result r = pg.Exec("CREATE TEMP TABLE sitrep_sources (id text COLLATE \"C\" PRIMARY KEY, "
                         "independent_sources bigint NOT NULL) ON COMMIT DROP");
      !r.ok())
    return r;
  const Table sources{"sitrep_sources", "id, independent_sources"};
  sqlite3_stmt* raw = nullptr;
  if (Result r = lite.Prepare("SELECT id, independent_sources FROM events WHERE independent_sources <> 1", &raw);
      !r.ok())
    return r;
  Stmt stmt(raw);
  CopyIn copy(pg, replaced);
  if (Result r = copy.Begin(sources.name, sources.columns); !r.ok()) return r;
  size_t rows = 0;
  if (Result r = CopyRows(raw, sources, copy, lite, &rows); !r.ok()) {
    copy.End();
    return r;
  }
  if (Result r = copy.End(); !r.ok()) return r;
  return pg.Exec(
      "UPDATE events e SET independent_sources = 1 WHERE e.independent_sources <> 1 AND "
      "NOT EXISTS (SELECT 1 FROM sitrep_sources s WHERE s.id = e.id);"
      "UPDATE events e SET independent_sources = s.independent_sources FROM sitrep_sources s "
      "WHERE s.id = e.id AND e.independent_sources <> s.independent_sources");
}

// A temporary SQLite file (and its WAL files), removed when dropped.
class TempDatabase {
 public:
  TempDatabase() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                          "/sitrep-pg-fuse-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TempDatabase() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Step 3: the whole PostgreSQL record fused again.
Result FuseRecord(const Pg& pg, const Fuser& fuser, const SignalWeights& weights,
                  PgExportSummary* summary) {
  TempDatabase temp;
  if (temp.path().empty()) return Result::Error("cannot create a temporary file for fusion");
  {
    // The sitrep schema, as extract --db writes it.
    std::unique_ptr<RecordSink> sink;
    if (Result r = OpenSqliteSink(temp.path(), SqliteOptions{}, &sink); !r.ok()) return r;
    if (Result r = sink->Finish(); !r.ok()) return r;
  }
  {
    Lite lite(temp.path());
    if (Result r = lite.Open(SQLITE_OPEN_READWRITE); !r.ok()) return r;
    // Which documents fusion rewrites: their fused credibility goes back.
    if (Result r = lite.Exec(
            "PRAGMA synchronous=OFF;"
            "CREATE TABLE sitrep_changed (doc_id TEXT PRIMARY KEY);"
            "CREATE TRIGGER sitrep_changed AFTER UPDATE ON documents "
            "WHEN old.json IS NOT new.json OR old.credibility_score IS NOT new.credibility_score "
            "BEGIN INSERT OR IGNORE INTO sitrep_changed (doc_id) VALUES (new.doc_id); END;"
            "BEGIN");
        !r.ok())
      return r;
    for (const Table* t : {&kDocumentsForFusion, &kEvents}) {
      if (Result r = PgToLite(pg, lite, *t); !r.ok()) return r;
    }
    if (Result r = lite.Exec("COMMIT"); !r.ok()) return r;
  }
  if (Result r = FuseDatabase(temp.path(), fuser, weights, nullptr, &summary->fusion); !r.ok()) return r;

  Lite lite(temp.path());
  if (Result r = lite.Open(SQLITE_OPEN_READONLY); !r.ok()) return r;
  if (Result r = pg.Exec("BEGIN"); !r.ok()) return r;
  auto fail = [&](Result r) {
    pg.Rollback();
    return r;
  };
  // DELETE, not TRUNCATE: readers (sitrep serve) go on seeing the old fusion meanwhile.
  if (Result r = pg.Exec("DELETE FROM cluster_members; DELETE FROM clusters; DELETE FROM control");
      !r.ok())
    return fail(r);
  for (const Table* t : {&kClusters, &kClusterMembers}) {
    if (Result r = LiteToPg(pg, lite, *t, &summary->replaced_bytes); !r.ok()) return fail(r);
  }
  if (Result r = CopyControl(pg, lite, &summary->replaced_bytes); !r.ok()) return fail(r);
  if (Result r = CopySources(pg, lite, &summary->replaced_bytes); !r.ok()) return fail(r);
  if (Result r = pg.Exec("CREATE TEMP TABLE sitrep_fused (doc_id text COLLATE \"C\" PRIMARY KEY, "
                         "credibility_score double precision, json text COLLATE \"C\") ON COMMIT DROP");
      !r.ok())
    return fail(r);
  const Table fused{"sitrep_fused", "doc_id, credibility_score, json"};
  sqlite3_stmt* raw = nullptr;
  if (Result r = lite.Prepare("SELECT d.doc_id, d.credibility_score, d.json FROM documents d "
                              "JOIN sitrep_changed c ON c.doc_id = d.doc_id",
                              &raw);
      !r.ok())
    return fail(r);
  Stmt stmt(raw);
  CopyIn copy(pg, &summary->replaced_bytes);
  if (Result r = copy.Begin(fused.name, fused.columns); !r.ok()) return fail(r);
  if (Result r = CopyRows(raw, fused, copy, lite, &summary->credibility_updated); !r.ok()) {
    copy.End();
    return fail(r);
  }
  if (Result r = copy.End(); !r.ok()) return fail(r);
  if (Result r = pg.Exec("UPDATE documents d SET json = f.json, credibility_score = f.credibility_score "
                         "FROM sitrep_fused f WHERE d.doc_id = f.doc_id");
      !r.ok())
    return fail(r);
  if (Result r = pg.Exec("COMMIT"); !r.ok()) return fail(r);
  return Result::Ok();
}

bool IsUrl(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// Replaces the value of every "password=..." (and "sslpassword=...") in s by ***; a value
// ends at '&' in a URL, at white space (or its closing quote) in a key=value string.
void RedactPasswordParameters(std::string& s, bool url) {
  size_t pos = 0;
  while ((pos = s.find("password", pos)) != std::string::npos) {
    size_t i = pos + std::strlen("password");
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || s[i] != '=') {  // (sslpassword too)
      pos = i;
      continue;
    }
    ++i;
    while (!url && i < s.size() && s[i] == ' ') ++i;
    size_t end = i;
    if (!url && end < s.size() && s[end] == '\'') {
      for (++end; end < s.size() && s[end] != '\''; ++end) {
        if (s[end] == '\\') ++end;
      }
      end = std::min(end + 1, s.size());
    } else {
      while (end < s.size() && (url ? s[end] != '&' : s[end] != ' ')) ++end;
    }
    s.replace(i, end - i, "***");
    pos = i + 3;
  }
}

}  // namespace

std::string RedactPostgresUrl(std::string_view url) {
  std::string s(url);
  if (IsUrl(s)) {
    // user:password@ in the authority (up to the first '/', '?' or '#' after "://").
    const size_t start = s.find("://") + 3;
    size_t end = s.find_first_of("/?#", start);
    if (end == std::string::npos) end = s.size();
    const size_t at = s.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = s.find(':', start);
      if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    RedactPasswordParameters(s, true);
  } else {
    RedactPasswordParameters(s, false);
  }
  return s;
}

std::string TrimPgMessage(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

Result ConnectPostgres(const std::string& url, PgConn* conn) {
  // Entries before the expanded dbname are defaults the URL may override.
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {kConnectTimeoutSeconds, url.c_str(), nullptr};
  PgConn c(PQconnectdbParams(keys, values, 1));
  if (c == nullptr) return Result::Error(RedactPostgresUrl(url) + ": out of memory");
  if (PQstatus(c.get()) != CONNECTION_OK) {
    return Result::Error(RedactPostgresUrl(url) + ": cannot connect: " + TrimPgMessage(PQerrorMessage(c.get())));
  }
  if (PQsetClientEncoding(c.get(), "UTF8") != 0) {
    return Result::Error(RedactPostgresUrl(url) + ": cannot set client encoding UTF8: " +
                         TrimPgMessage(PQerrorMessage(c.get())));
  }
  *conn = std::move(c);
  return Result::Ok();
}

Result LoadPostgresIndex(const std::string& url, ExtractedIndex* index) {
  index->set_source(RedactPostgresUrl(url));
  PgConn conn;
  if (Result r = ConnectPostgres(url, &conn); !r.ok()) return r;
  const Pg pg(conn.get(), RedactPostgresUrl(url));
  PgResult found;
  if (Result r = pg.Query("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                          "AND table_name = 'documents' AND column_name IN ('content_hash', 'data_version')",
                          {}, &found);
      !r.ok())
    return r;
  // No sitrep tables yet, or none of version 3: nothing to skip.
  if (PQntuples(found.get()) == 0 || std::string_view(PQgetvalue(found.get(), 0, 0)) != "2") return Result::Ok();
  const char* select = "SELECT doc_id, content_hash, data_version FROM documents "
                       "WHERE content_hash IS NOT NULL AND data_version IS NOT NULL";
  if (PQsendQuery(pg.conn(), select) != 1 || PQsetSingleRowMode(pg.conn()) != 1) return pg.Fail(select);
  Result result = Result::Ok();
  // Every result is read, even after an error, so that the connection is free again.
  while (PGresult* got = PQgetResult(pg.conn())) {
    PgResult r(got);
    const ExecStatusType status = PQresultStatus(got);
    if (status == PGRES_TUPLES_OK) continue;  // the end of the rows
    if (status != PGRES_SINGLE_TUPLE) {
      if (result.ok()) result = pg.Fail(select, got);
      continue;
    }
    uint64_t hash = 0;
    if (!ParseContentHash(std::string_view(PQgetvalue(got, 0, 1), PQgetlength(got, 0, 1)), &hash)) continue;
    index->Add(std::string_view(PQgetvalue(got, 0, 0), PQgetlength(got, 0, 0)), hash,
               std::string_view(PQgetvalue(got, 0, 2), PQgetlength(got, 0, 2)));
  }
  return result;
}

Result ExportToPostgres(const std::string& sqlite_path, const std::string& url, const Fuser& fuser,
                        const SignalWeights& weights, const PgExportOptions& options,
                        PgExportSummary* summary) {
  Lite file(sqlite_path);
  if (Result r = file.Open(SQLITE_OPEN_READONLY); !r.ok()) return r;
  PgConn conn;
  if (Result r = ConnectPostgres(url, &conn); !r.ok()) return r;
  const Pg pg(conn.get(), RedactPostgresUrl(url));
  const char* encoding = PQparameterStatus(conn.get(), "server_encoding");
  if (encoding == nullptr || std::string_view(encoding) != "UTF8") {
    return Result::Error(RedactPostgresUrl(url) + ": the database's encoding is " +
                         (encoding != nullptr ? encoding : "unknown") +
                         "; sitrep needs UTF8 (createdb -E UTF8)");
  }
  // Reals read back exactly; no notices ("already exists, skipping") on stderr.
  if (Result r = pg.Exec("SET extra_float_digits = 3; SET client_min_messages = warning"); !r.ok())
    return r;
  // Released when the connection closes, whatever happens.
  if (Result r = pg.Exec(("SELECT pg_advisory_lock(" + std::to_string(kExportLockKey) + ")").c_str());
      !r.ok())
    return r;
  if (Result r = CreateSchema(pg, file); !r.ok()) return r;
  if (Result r = ExportDocuments(pg, file, options.batch == 0 ? 1 : options.batch, summary); !r.ok())
    return r;
  file.Close();
  if (Result r = FuseRecord(pg, fuser, weights, summary); !r.ok()) return r;
  if (Result r = pg.Exec(kServeIndex); !r.ok()) return r;
  // The visibility map up to date, so that serve's scans of events_serve stay index-only,
  // and fresh statistics. Outside a transaction; it skips pages already all-visible.
  return pg.Exec("VACUUM (ANALYZE) events, cluster_members, clusters, control");
}

}  // namespace sitrep
