// SQLite: documents, events, places and quantities tables, one transaction per batch
// of documents, prepared statements reused. A document already in the database is
// replaced (its child rows deleted, then inserted again), so re-runs do not duplicate.
#include <sqlite3.h>

#include <utility>

#include "output/record_sink.h"
#include "output/records.h"

#ifndef SITREP_VERSION
#define SITREP_VERSION "unknown"
#endif

namespace sitrep {
namespace {

// Bump when a table changes; a database written with another version is refused, but
// for the versions Migrate brings up to date.
constexpr std::string_view kSchemaVersion = "3";
constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY,
  source TEXT, title TEXT, url TEXT,
  published TEXT, published_basis TEXT,
  body_begin INTEGER, body_end INTEGER,
  text TEXT,
  credibility_score REAL,
  n_events INTEGER NOT NULL,
  json TEXT NOT NULL,
  -- What the rows were extracted from and with (16 hex digits; the pipeline's data
  -- version): a re-run skips the document when both are the same. NULL before version 3.
  content_hash TEXT, data_version TEXT);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
  type TEXT NOT NULL, family TEXT NOT NULL, side TEXT NOT NULL,
  status TEXT NOT NULL, negated INTEGER NOT NULL,
  date TEXT, date_end TEXT, date_precision TEXT,
  lat REAL, lon REAL, location_name TEXT, admin1 TEXT, country TEXT,
  source_name TEXT, source_kind TEXT,
  trigger_begin INTEGER, trigger_end INTEGER,
  evidence_begin INTEGER, evidence_end INTEGER, evidence_text TEXT,
  confidence REAL,
  json TEXT NOT NULL,
  -- Written by fusion: the independent sources of the event's cluster (1 until fused).
  independent_sources INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS places (
  doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
  text TEXT, "begin" INTEGER, "end" INTEGER,
  name TEXT, gid TEXT, lat REAL, lon REAL, admin1 TEXT, country TEXT, feature TEXT);
CREATE TABLE IF NOT EXISTS quantities (
  event_id TEXT NOT NULL, doc_id TEXT NOT NULL,
  value REAL, approx INTEGER, unit TEXT, what TEXT, side TEXT, text TEXT);
)sql";

// After Migrate: a version 1 events table has no independent_sources to index.
constexpr const char* kIndexes = R"sql(
CREATE INDEX IF NOT EXISTS events_doc_id ON events(doc_id);
-- What sitrep serve filters, pages and aggregates on, in one covering index: its
-- queries read this, not the rows with their JSON. It replaces the single-column
-- indexes of earlier databases, which led SQLite's planner to read the rows.
DROP INDEX IF EXISTS events_type;
DROP INDEX IF EXISTS events_date;
DROP INDEX IF EXISTS events_lat_lon;
CREATE INDEX IF NOT EXISTS events_serve ON events(date, id, type, side, status, family, negated,
  lat, lon, doc_id, source_name, independent_sources);
CREATE INDEX IF NOT EXISTS places_doc_id ON places(doc_id);
CREATE INDEX IF NOT EXISTS places_gid ON places(gid);
CREATE INDEX IF NOT EXISTS quantities_event_id ON quantities(event_id);
CREATE INDEX IF NOT EXISTS quantities_doc_id ON quantities(doc_id);
)sql";

constexpr const char* kDeleteQuantities = "DELETE FROM quantities WHERE doc_id = ?1";
constexpr const char* kDeleteEvents = "DELETE FROM events WHERE doc_id = ?1";
constexpr const char* kDeletePlaces = "DELETE FROM places WHERE doc_id = ?1";
constexpr const char* kInsertDocument =
    "INSERT OR REPLACE INTO documents (doc_id, source, title, url, published, published_basis, "
    "body_begin, body_end, text, credibility_score, n_events, json, content_hash, data_version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr const char* kInsertEvent =
    "INSERT OR REPLACE INTO events (id, doc_id, seq, type, family, side, status, negated, date, "
    "date_end, date_precision, lat, lon, location_name, admin1, country, source_name, "
    "source_kind, trigger_begin, trigger_end, evidence_begin, evidence_end, evidence_text, "
    "confidence, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)";
constexpr const char* kInsertPlace =
    "INSERT INTO places (doc_id, seq, text, \"begin\", \"end\", name, gid, lat, lon, admin1, "
    "country, feature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr const char* kInsertQuantity =
    "INSERT INTO quantities (event_id, doc_id, value, approx, unit, what, side, text) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Binds parameters left to right. Text is bound SQLITE_STATIC: every statement is
// stepped and reset before the bound strings go away.
class Binder {
 public:
  explicit Binder(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Binder& Text(std::string_view s) {
    sqlite3_bind_text(stmt_, ++index_, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    return *this;
  }
  Binder& TextOrNull(std::string_view s) { return s.empty() ? Null() : Text(s); }
  Binder& Int(int64_t v) {
    sqlite3_bind_int64(stmt_, ++index_, v);
    return *this;
  }
  Binder& Real(double v) {
    sqlite3_bind_double(stmt_, ++index_, v);
    return *this;
  }
  Binder& Null() {
    sqlite3_bind_null(stmt_, ++index_);
    return *this;
  }

 private:
  sqlite3_stmt* stmt_;
  int index_ = 0;
};

std::string DateText(const std::optional<CivilDate>& date) {
  return date ? FormatIsoDate(*date) : std::string();
}

class SqliteSink : public RecordSink {
 public:
  SqliteSink(std::string path, const SqliteOptions& options)
      : path_(std::move(path)), options_(options) {
    if (options_.batch == 0) options_.batch = 1;
  }

  ~SqliteSink() override {
    // Without Finish the open batch is rolled back: sqlite3_close abandons it.
    Close();
  }

  Result Open() {
    if (sqlite3_open_v2(path_.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | (options_.create ? SQLITE_OPEN_CREATE : 0),
                        nullptr) != SQLITE_OK) {
      return Fail("cannot open");
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    if (Result r = Exec("PRAGMA journal_mode=WAL"); !r.ok()) return r;
    if (Result r = Exec("PRAGMA synchronous=NORMAL"); !r.ok()) return r;
    // The per-document savepoints journal into a temporary store: keep it off disk.
    if (Result r = Exec("PRAGMA temp_store=MEMORY"); !r.ok()) return r;
    if (Result r = Exec(kSchema); !r.ok()) return r;
    if (Result r = CheckAndWriteMeta(); !r.ok()) return r;
    if (Result r = Exec(kIndexes); !r.ok()) return r;
    for (auto [stmt, sql] : {std::pair{&delete_quantities_, kDeleteQuantities},
                             std::pair{&delete_events_, kDeleteEvents},
                             std::pair{&delete_places_, kDeletePlaces},
                             std::pair{&insert_document_, kInsertDocument},
                             std::pair{&insert_event_, kInsertEvent},
                             std::pair{&insert_place_, kInsertPlace},
                             std::pair{&insert_quantity_, kInsertQuantity}}) {
      if (Result r = Prepare(sql, stmt); !r.ok()) return r;
    }
    return Result::Ok();
  }

  Result Write(const Document& doc) override {
    if (db_ == nullptr) return Result::Error(path_ + ": write after finish");
    if (!fatal_.ok()) return fatal_;
    if (!in_transaction_) {
      if (Result r = Exec("BEGIN"); !r.ok()) return r;
      in_transaction_ = true;
    }
    // A savepoint per document: a failed document is undone alone, not its batch.
    if (Result r = Exec("SAVEPOINT doc"); !r.ok()) return Lost(r);
    Result written = WriteRows(doc);
    if (!written.ok()) {
      Exec("ROLLBACK TO doc");
      Exec("RELEASE doc");
      // SQLite rolls back the whole transaction itself on some errors (full disk, I/O).
      if (sqlite3_get_autocommit(db_)) return Lost(written);
      return written;
    }
    if (Result r = Exec("RELEASE doc"); !r.ok()) return Lost(r);
    if (++docs_in_batch_ >= options_.batch) return Commit();
    return Result::Ok();
  }

  Result Finish() override {
    if (db_ == nullptr) return fatal_;
    Result result = fatal_;
    if (result.ok() && in_transaction_) result = Commit();
    Result closed = Close();
    return result.ok() ? closed : result;
  }

 private:
  Result Fail(std::string_view what) {
    const char* message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    return Result::Error(path_ + ": " + std::string(what) + ": " + message);
  }

  // The open transaction is gone: documents written since the last commit are lost,
  // so every later call reports it.
  Result Lost(const Result& cause) {
    in_transaction_ = false;
    docs_in_batch_ = 0;
    fatal_ = Result::Error(cause.message() +
                           " (the documents of the uncommitted batch were not stored)");
    return fatal_;
  }

  Result Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      return Result::Error(path_ + ": " + text);
    }
    return Result::Ok();
  }

  Result Prepare(const char* sql, Statement* stmt) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
      return Fail("cannot prepare statement (is this a sitrep database?)");
    }
    stmt->reset(raw);
    return Result::Ok();
  }

  // Steps a statement to completion and resets it for the next use.
  Result Run(sqlite3_stmt* stmt) {
    const int rc = sqlite3_step(stmt);
    Result result = rc == SQLITE_DONE ? Result::Ok() : Fail("write failed");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
  }

  Result CheckAndWriteMeta() {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &raw,
                           nullptr) != SQLITE_OK) {
      return Fail("cannot read meta");
    }
    Statement select(raw);
    if (sqlite3_step(select.get()) == SQLITE_ROW) {
      const auto* found = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
      const std::string_view version = found != nullptr ? found : "";
      if (version == "1" || version == "2") {
        const bool from1 = version == "1";
        select.reset();
        if (from1) {
          if (Result r = MigrateFrom1(); !r.ok()) return r;
        }
        if (Result r = MigrateFrom2(); !r.ok()) return r;
      } else if (version != kSchemaVersion) {
        return Result::Error(path_ + ": database has schema version " + std::string(version) +
                             ", this sitrep writes version " + std::string(kSchemaVersion));
      }
    }
    select.reset();
    const std::string upsert = "INSERT OR REPLACE INTO meta (key, value) VALUES "
                               "('schema_version', '" + std::string(kSchemaVersion) +
                               "'), ('sitrep_version', '" SITREP_VERSION "')";
    return Exec(upsert.c_str());
  }

  // Version 2 added events.independent_sources (to the serve index too). Fused databases
  // get their events' values from the clusters already there.
  Result MigrateFrom1() {
    if (Result r = Exec("BEGIN;"
                        "ALTER TABLE events ADD COLUMN independent_sources INTEGER NOT NULL DEFAULT 1;"
                        "DROP INDEX IF EXISTS events_serve;");
        !r.ok()) {
      Exec("ROLLBACK");
      return r;
    }
    bool fused = false;
    {
      sqlite3_stmt* raw = nullptr;
      if (sqlite3_prepare_v2(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                             "('clusters', 'cluster_members')", -1, &raw, nullptr) != SQLITE_OK) {
        Exec("ROLLBACK");
        return Fail("cannot read the schema");
      }
      Statement count(raw);
      fused = sqlite3_step(raw) == SQLITE_ROW && sqlite3_column_int(raw, 0) == 2;
    }
    if (fused) {
      if (Result r = Exec("UPDATE events SET independent_sources = (SELECT max(c.independent_sources) "
                          "FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id "
                          "WHERE m.event_id = events.id) "
                          "WHERE id IN (SELECT event_id FROM cluster_members)");
          !r.ok()) {
        Exec("ROLLBACK");
        return r;
      }
    }
    if (Result r = Exec("UPDATE meta SET value = '2' WHERE key = 'schema_version'; COMMIT"); !r.ok()) {
      Exec("ROLLBACK");
      return r;
    }
    return Result::Ok();
  }

  // Version 3 added documents.content_hash and data_version. The rows already there have
  // none (NULL): what they were extracted with is not known, so the next run extracts
  // them again.
  Result MigrateFrom2() {
    std::string sql = "BEGIN;";
    for (const char* column : {"content_hash", "data_version"}) {
      if (!HasColumn("documents", column)) sql += std::string("ALTER TABLE documents ADD COLUMN ") + column + " TEXT;";
    }
    sql += "UPDATE meta SET value = '" + std::string(kSchemaVersion) + "' WHERE key = 'schema_version'; COMMIT";
    if (Result r = Exec(sql.c_str()); !r.ok()) {
      Exec("ROLLBACK");
      return r;
    }
    return Result::Ok();
  }

  bool HasColumn(const std::string& table, const std::string& column) {
    sqlite3_stmt* raw = nullptr;
    const std::string sql = "SELECT count(*) FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) return false;
    Statement count(raw);
    return sqlite3_step(raw) == SQLITE_ROW && sqlite3_column_int(raw, 0) > 0;
  }

  Result Commit() {
    in_transaction_ = false;
    docs_in_batch_ = 0;
    if (Result r = Exec("COMMIT"); !r.ok()) {
      if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK");
      return Lost(r);
    }
    return Result::Ok();
  }

  Result Close() {
    if (db_ == nullptr) return Result::Ok();
    for (Statement* stmt : {&delete_quantities_, &delete_events_, &delete_places_,
                            &insert_document_, &insert_event_, &insert_place_, &insert_quantity_}) {
      stmt->reset();
    }
    Result result = Result::Ok();
    if (sqlite3_close(db_) != SQLITE_OK) result = Fail("cannot close");
    db_ = nullptr;
    return result;
  }

  Result WriteRows(const Document& doc) {
    for (sqlite3_stmt* del : {delete_quantities_.get(), delete_events_.get(),
                              delete_places_.get()}) {
      Binder(del).Text(doc.doc_id);
      if (Result r = Run(del); !r.ok()) return r;
    }
    if (Result r = InsertDocument(doc); !r.ok()) return r;
    uint32_t seq = 0;
    for (const Place& place : doc.places) {
      if (!place.reportable) continue;  // the same places the JSONL record lists
      if (Result r = InsertPlace(doc, place, ++seq); !r.ok()) return r;
    }
    for (size_t i = 0; i < doc.events.size(); ++i) {
      if (Result r = InsertEvent(doc, i); !r.ok()) return r;
    }
    return Result::Ok();
  }

  Result InsertDocument(const Document& doc) {
    json_.clear();
    AppendDocumentJson(doc, json_);
    const std::optional<std::string>& title = ReportedTitle(doc);
    const std::string published = DateText(doc.published.value);
    Binder b(insert_document_.get());
    b.Text(doc.doc_id).TextOrNull(doc.origin.path);
    title ? b.Text(*title) : b.Null();
    b.TextOrNull(doc.url).TextOrNull(published);
    b.Text(published.empty() ? Name(DateBasis::kUnknown) : Name(doc.published.basis));
    b.Int(doc.body.begin).Int(doc.body.end);
    options_.store_text ? b.Text(doc.text) : b.Null();
    b.Real(doc.credibility.score).Int(static_cast<int64_t>(doc.events.size())).Text(json_);
    content_hash_ = ContentHashHex(doc);
    doc.data_version.empty() ? b.Null().Null() : b.Text(content_hash_).Text(doc.data_version);
    return Run(insert_document_.get());
  }

  Result InsertPlace(const Document& doc, const Place& place, uint32_t seq) {
    Binder b(insert_place_.get());
    b.Text(doc.doc_id).Int(seq).Text(doc.Text(place.span)).Int(place.span.begin).Int(place.span.end);
    b.TextOrNull(place.name).TextOrNull(place.id);
    HasCoordinates(place) ? b.Real(place.lat).Real(place.lon) : b.Null().Null();
    b.TextOrNull(place.admin1).TextOrNull(place.country).Text(Name(place.feature));
    return Run(insert_place_.get());
  }

  Result InsertEvent(const Document& doc, size_t index) {
    const Event& event = doc.events[index];
    const std::string id = EventId(doc, index);
    json_.clear();
    AppendEventJson(doc, index, json_);
    const EventLocation* loc = PrimaryLocation(doc, event);
    const Place* place = loc != nullptr ? &doc.places[loc->place] : nullptr;
    const std::string date = DateText(event.time.value);
    const std::string date_end = DateText(event.time.end);

    Binder b(insert_event_.get());
    b.Text(id).Text(doc.doc_id).Int(static_cast<int64_t>(index + 1));
    b.Text(Name(event.type)).Text(Name(FamilyOf(event.type))).Text(Name(event.side));
    b.Text(Name(event.status)).Int(event.negated ? 1 : 0);
    b.TextOrNull(date).TextOrNull(date_end).Text(Name(event.time.precision));
    if (place != nullptr) {
      b.Real(place->lat).Real(place->lon).TextOrNull(place->name).TextOrNull(place->admin1);
      b.TextOrNull(place->country);
    } else {
      b.Null().Null().Null().Null().Null();
    }
    if (event.source) {
      b.TextOrNull(!event.source->name.empty() ? event.source->name : event.source->text);
      b.Text(Name(event.source->kind));
    } else {
      b.Null().Null();
    }
    event.trigger.empty() ? b.Null().Null() : b.Int(event.trigger.begin).Int(event.trigger.end);
    if (event.evidence.empty()) {
      b.Null().Null().Null();
    } else {
      b.Int(event.evidence.begin).Int(event.evidence.end).Text(doc.Text(event.evidence));
    }
    b.Real(event.confidence).Text(json_);
    if (Result r = Run(insert_event_.get()); !r.ok()) return r;

    for (uint32_t qi : event.quantities) {
      if (qi >= doc.quantities.size()) continue;
      const Quantity& q = doc.quantities[qi];
      Binder qb(insert_quantity_.get());
      qb.Text(id).Text(doc.doc_id).Real(q.value).Int(q.approx ? 1 : 0);
      qb.TextOrNull(Name(q.unit)).TextOrNull(q.what).Text(Name(q.side)).Text(doc.Text(q.span));
      if (Result r = Run(insert_quantity_.get()); !r.ok()) return r;
    }
    return Result::Ok();
  }

  std::string path_;
  SqliteOptions options_;
  sqlite3* db_ = nullptr;
  Statement delete_quantities_, delete_events_, delete_places_;
  Statement insert_document_, insert_event_, insert_place_, insert_quantity_;
  std::string json_;  // reused; bound SQLITE_STATIC until the statement is reset
  std::string content_hash_;  // the same
  size_t docs_in_batch_ = 0;
  bool in_transaction_ = false;
  Result fatal_;
};

}  // namespace

Result OpenSqliteSink(const std::string& path, const SqliteOptions& options,
                      std::unique_ptr<RecordSink>* sink) {
  if (path.empty() || path == "-") {
    return Result::Error("sqlite output needs a file path, not '" + path + "'");
  }
  auto sqlite = std::make_unique<SqliteSink>(path, options);
  if (Result r = sqlite->Open(); !r.ok()) return r;
  *sink = std::move(sqlite);
  return Result::Ok();
}

}  // namespace sitrep
