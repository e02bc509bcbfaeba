#include "output/sqlite_fusion.h"

#include <simdjson.h>
#include <sqlite3.h>

#include <optional>

#include "base/civil_date.h"
#include "output/fusion_records.h"
#include "output/record_sink.h"

namespace sitrep {
namespace {

constexpr int kBusyTimeoutMs = 10000;
// New articles are fused again with the events this many days around theirs: more than
// a cluster's reach in time (fusion/fuser.cc: dates within a few days, expiry at 14).
constexpr int kRefuseMarginDays = 30;

constexpr const char* kFusionSchema = R"sql(
CREATE TABLE IF NOT EXISTS clusters (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL, side TEXT NOT NULL, status TEXT NOT NULL,
  lat REAL, lon REAL, location_name TEXT, date TEXT, date_end TEXT,
  n_members INTEGER NOT NULL, independent_sources INTEGER NOT NULL,
  json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cluster_members (
  cluster_id TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS control (
  id TEXT PRIMARY KEY,
  settlement_id TEXT, name TEXT NOT NULL, side TEXT NOT NULL, "from" TEXT NOT NULL,
  background INTEGER NOT NULL, contested INTEGER NOT NULL,
  json TEXT NOT NULL);
-- Covering, for serve: an event's cluster, and the clusters filtered by their sources
-- (/api/clusters?min_sources: 48 ms at 75,000 clusters, 80 without it).
CREATE INDEX IF NOT EXISTS cluster_members_event ON cluster_members(event_id, cluster_id);
CREATE INDEX IF NOT EXISTS clusters_sources ON clusters(id, independent_sources);
CREATE INDEX IF NOT EXISTS cluster_members_cluster ON cluster_members(cluster_id);
CREATE INDEX IF NOT EXISTS control_settlement ON control(settlement_id, "from");
)sql";

class Db {
 public:
  explicit Db(std::string path) : path_(std::move(path)) {}
  ~Db() {
    for (sqlite3_stmt* s : stmts_) sqlite3_finalize(s);
    if (db_ != nullptr) sqlite3_close(db_);
  }
  Result Open() {
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      return Fail("cannot open");
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    return Result::Ok();
  }
  Result Exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      const std::string m = msg != nullptr ? msg : "error";
      sqlite3_free(msg);
      return Result::Error(path_ + ": " + m);
    }
    return Result::Ok();
  }
  Result Prepare(const char* sql, sqlite3_stmt** out) {
    if (sqlite3_prepare_v2(db_, sql, -1, out, nullptr) != SQLITE_OK) return Fail("cannot prepare");
    stmts_.push_back(*out);
    return Result::Ok();
  }
  Result Fail(const char* what) {
    return Result::Error(path_ + ": " + what + ": " + (db_ != nullptr ? sqlite3_errmsg(db_) : "no database"));
  }
  sqlite3* db() { return db_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> stmts_;
};

void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  if (v.empty()) {
    sqlite3_bind_null(s, i);
  } else {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
}

std::string Day(bool known, int64_t day) { return known ? FormatIsoDate(CivilFromDays(day)) : ""; }

// Reads the records the queries select (each returns one json column), documents first.
Result ReadRecords(Db& db, FusionInput* in, const char* documents_sql, const char* events_sql) {
  RecordParser parser(in);
  // Documents first: an undated event takes its article's publication date.
  for (const char* sql : {documents_sql, events_sql}) {
    sqlite3_stmt* q = nullptr;
    if (Result r = db.Prepare(sql, &q); !r.ok()) return r;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      const int n = sqlite3_column_bytes(q, 0);
      if (text != nullptr) parser.Add(std::string_view(text, static_cast<size_t>(n)));
    }
    if (rc != SQLITE_DONE) return db.Fail("cannot read");
  }
  return Result::Ok();
}

std::string_view Str(simdjson::dom::element e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? s : std::string_view();
}

// A cluster record back into a Cluster, as far as control needs it (no members).
std::optional<Cluster> ParseCluster(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::object o;
  if (parser.parse(json.data(), json.size(), true).get(o) != simdjson::SUCCESS) return std::nullopt;
  Cluster c;
  c.id = std::string(Str(o["id"]));
  const auto type = ParseEventType(Str(o["type"]));
  if (!type) return std::nullopt;
  c.type = *type;
  c.side = ParseSide(Str(o["side"])).value_or(Side::kUnknown);
  c.status = ParseStatus(Str(o["status"])).value_or(Status::kAsserted);
  bool negated = false;
  if (o["negated"].get(negated) != simdjson::SUCCESS) negated = false;
  c.negative = negated || c.status == Status::kDenied;
  simdjson::dom::object loc;
  if (o["location"].get(loc) == simdjson::SUCCESS) {
    ReportPlace p;
    p.name = std::string(Str(loc["name"]));
    p.id = std::string(Str(loc["id"]));
    p.admin1 = std::string(Str(loc["admin1"]));
    p.country = std::string(Str(loc["country"]));
    p.feature = ParsePlaceFeature(Str(loc["feature"])).value_or(PlaceFeature::kSettlement);
    double v = 0;
    if (loc["lat"].get(v) == simdjson::SUCCESS) p.lat = v;
    if (loc["lon"].get(v) == simdjson::SUCCESS) p.lon = v;
    if (loc["radius_km"].get(v) == simdjson::SUCCESS) p.radius_km = static_cast<float>(v);
    c.place = std::move(p);
  }
  simdjson::dom::object time;
  if (o["time"].get(time) == simdjson::SUCCESS) {
    if (const auto from = ParseIsoDate(Str(time["value"]))) {
      c.dated = true;
      c.day_from = c.day_to = DaysFromCivil(*from);
      if (const auto to = ParseIsoDate(Str(time["end"]))) c.day_to = DaysFromCivil(*to);
    }
  }
  simdjson::dom::array arr;
  if (o["sources"].get(arr) == simdjson::SUCCESS) {
    for (simdjson::dom::element e : arr) c.sources.emplace_back(Str(e));
  }
  return c;
}

}  // namespace

Result ReadDatabase(const std::string& path, FusionInput* in) {
  Db db(path);
  if (Result r = db.Open(); !r.ok()) return r;
  return ReadRecords(db, in, "SELECT json FROM documents ORDER BY doc_id",
                     "SELECT json FROM events ORDER BY doc_id, seq");
}

Result FuseDatabase(const std::string& path, const Fuser& fuser, const SignalWeights& weights,
                    const std::vector<std::string>* touched, DatabaseFusion* summary) {
  {
    // The sitrep schema brought up to date (a database of an older sitrep migrated).
    SqliteOptions existing;
    existing.create = false;
    std::unique_ptr<RecordSink> sink;
    if (Result r = OpenSqliteSink(path, existing, &sink); !r.ok()) return r;
    if (Result r = sink->Finish(); !r.ok()) return r;
  }
  Db db(path);
  if (Result r = db.Open(); !r.ok()) return r;
  if (Result r = db.Exec(kFusionSchema); !r.ok()) return r;
  if (Result r = db.Exec("BEGIN"); !r.ok()) return r;
  auto fail = [&](Result r) {
    db.Exec("ROLLBACK");
    return r;
  };
  // What to fuse again: everything, or — when documents were added — the events of the
  // days around theirs (a cluster never spans more than kRefuseMarginDays), with every
  // event of a cluster any of those belongs to.
  FusionInput in;
  bool incremental = touched != nullptr;
  if (incremental) {
    if (Result r = db.Exec("CREATE TEMP TABLE IF NOT EXISTS touched (doc_id TEXT PRIMARY KEY);"
                           "DELETE FROM touched;");
        !r.ok())
      return fail(r);
    sqlite3_stmt* ins = nullptr;
    if (Result r = db.Prepare("INSERT OR IGNORE INTO touched (doc_id) VALUES (?1)", &ins); !r.ok()) return fail(r);
    for (const std::string& id : *touched) {
      BindText(ins, 1, id);
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    const std::string margin = std::to_string(kRefuseMarginDays);
    const std::string select =
        "DROP TABLE IF EXISTS temp.sel;"
        "CREATE TEMP TABLE sel AS SELECT e.id AS id FROM events e JOIN documents d ON d.doc_id = e.doc_id "
        "WHERE e.doc_id IN (SELECT doc_id FROM touched) OR coalesce(e.date, d.published) IS NULL OR "
        "(coalesce(e.date, d.published) BETWEEN "
        " (SELECT date(min(coalesce(e2.date, d2.published)), '-" + margin + " days') FROM events e2 JOIN documents d2 "
        "  ON d2.doc_id = e2.doc_id WHERE e2.doc_id IN (SELECT doc_id FROM touched)) AND "
        " (SELECT date(max(coalesce(e2.date, d2.published)), '+" + margin + " days') FROM events e2 JOIN documents d2 "
        "  ON d2.doc_id = e2.doc_id WHERE e2.doc_id IN (SELECT doc_id FROM touched)));"
        "INSERT INTO sel SELECT DISTINCT m2.event_id FROM cluster_members m1 JOIN cluster_members m2 "
        "  ON m1.cluster_id = m2.cluster_id WHERE m1.event_id IN (SELECT id FROM sel) "
        "  AND m2.event_id NOT IN (SELECT id FROM sel);"
        "DROP TABLE IF EXISTS temp.old;"
        "CREATE TEMP TABLE old AS SELECT DISTINCT cluster_id FROM cluster_members "
        "  WHERE event_id IN (SELECT id FROM sel);";
    if (Result r = db.Exec(select.c_str()); !r.ok()) return fail(r);
    if (Result r = ReadRecords(db, &in,
                               "SELECT json FROM documents WHERE doc_id IN "
                               "(SELECT DISTINCT doc_id FROM events WHERE id IN (SELECT id FROM sel)) ORDER BY doc_id",
                               "SELECT json FROM events WHERE id IN (SELECT id FROM sel) ORDER BY doc_id, seq");
        !r.ok())
      return fail(r);
    for (const char* sql : {"DELETE FROM clusters WHERE id IN (SELECT cluster_id FROM old)",
                            "DELETE FROM cluster_members WHERE cluster_id IN (SELECT cluster_id FROM old)",
                            "DELETE FROM control",
                            "UPDATE events SET independent_sources = 1 WHERE independent_sources <> 1 "
                            "AND id IN (SELECT id FROM sel)"}) {
      if (Result r = db.Exec(sql); !r.ok()) return fail(r);
    }
  } else {
    if (Result r = ReadRecords(db, &in, "SELECT json FROM documents ORDER BY doc_id",
                               "SELECT json FROM events ORDER BY doc_id, seq");
        !r.ok())
      return fail(r);
    for (const char* sql : {"DELETE FROM clusters", "DELETE FROM cluster_members", "DELETE FROM control",
                            "UPDATE events SET independent_sources = 1 WHERE independent_sources <> 1"}) {
      if (Result r = db.Exec(sql); !r.ok()) return fail(r);
    }
  }
  FusionResult result = fuser.Fuse(in);
  sqlite3_stmt *ins_cluster = nullptr, *ins_member = nullptr, *ins_control = nullptr;
  if (Result r = db.Prepare(
          "INSERT INTO clusters (id, type, side, status, lat, lon, location_name, date, date_end, "
          "n_members, independent_sources, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
          &ins_cluster);
      !r.ok())
    return fail(r);
  if (Result r = db.Prepare("INSERT INTO cluster_members (cluster_id, event_id) VALUES (?1, ?2)", &ins_member);
      !r.ok())
    return fail(r);
  // Each event carries its cluster's sources, so that serve filters on them in one index.
  sqlite3_stmt* set_sources = nullptr;
  if (Result r = db.Prepare("UPDATE events SET independent_sources = ?1 WHERE id = ?2", &set_sources); !r.ok())
    return fail(r);
  if (Result r = db.Prepare(
          "INSERT INTO control (id, settlement_id, name, side, \"from\", background, contested, json) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
          &ins_control);
      !r.ok())
    return fail(r);
  auto step = [&](sqlite3_stmt* s) {
    const bool ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return ok;
  };
  std::string json;
  for (const Cluster& c : result.clusters) {
    json.clear();
    AppendClusterRecord(json, in, result, c);
    if (!json.empty() && json.back() == '\n') json.pop_back();
    BindText(ins_cluster, 1, c.id);
    BindText(ins_cluster, 2, std::string(Name(c.type)));
    BindText(ins_cluster, 3, std::string(Name(c.side)));
    BindText(ins_cluster, 4, std::string(Name(c.status)));
    if (c.place) {
      sqlite3_bind_double(ins_cluster, 5, c.place->lat);
      sqlite3_bind_double(ins_cluster, 6, c.place->lon);
      BindText(ins_cluster, 7, c.place->name);
    }
    BindText(ins_cluster, 8, Day(c.dated, c.day_from));
    BindText(ins_cluster, 9, Day(c.dated && c.day_to != c.day_from, c.day_to));
    sqlite3_bind_int64(ins_cluster, 10, static_cast<int64_t>(c.members.size()));
    sqlite3_bind_int64(ins_cluster, 11, static_cast<int64_t>(c.sources.size()));
    BindText(ins_cluster, 12, json);
    if (!step(ins_cluster)) return fail(db.Fail("cannot write a cluster"));
    for (uint32_t m : c.members) {
      BindText(ins_member, 1, c.id);
      BindText(ins_member, 2, in.reports[m].id);
      if (!step(ins_member)) return fail(db.Fail("cannot write a cluster member"));
      if (c.sources.size() > 1) {
        sqlite3_bind_int64(set_sources, 1, static_cast<int64_t>(c.sources.size()));
        BindText(set_sources, 2, in.reports[m].id);
        if (!step(set_sources)) return fail(db.Fail("cannot write an event's sources"));
      }
    }
    summary->corroborated += c.sources.size() >= 2;
    summary->contradicting += !c.contradicts.empty();
  }
  summary->clusters = result.clusters.size();  // before control replaces them below
  // Control follows from every cluster of the database, not only those fused again.
  if (incremental) {
    std::vector<Cluster> all;
    simdjson::dom::parser parser;
    sqlite3_stmt* q = nullptr;
    if (Result r = db.Prepare("SELECT json FROM clusters WHERE type IN ('capture', 'recapture', 'withdrawal') "
                              "ORDER BY date, id",
                              &q);
        !r.ok())
      return fail(r);
    while (sqlite3_step(q) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      if (text == nullptr) continue;
      if (auto c = ParseCluster(parser, std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(q, 0)))))
        all.push_back(std::move(*c));
    }
    result.clusters = std::move(all);
    result.control = fuser.Control(result.clusters);
  }
  for (size_t k = 0; k < result.control.size(); ++k) {
    const ControlChange& ch = result.control[k];
    json.clear();
    AppendControlRecord(json, result, ch, k);
    if (!json.empty() && json.back() == '\n') json.pop_back();
    BindText(ins_control, 1, "k" + std::to_string(k + 1));
    BindText(ins_control, 2, ch.place_id);
    BindText(ins_control, 3, ch.name);
    BindText(ins_control, 4, std::string(Name(ch.side)));
    BindText(ins_control, 5, FormatIsoDate(CivilFromDays(ch.from)));
    sqlite3_bind_int(ins_control, 6, ch.background ? 1 : 0);
    sqlite3_bind_int(ins_control, 7, ch.contested ? 1 : 0);
    BindText(ins_control, 8, json);
    if (!step(ins_control)) return fail(db.Fail("cannot write a control record"));
  }
  // The fused credibility of the documents fused again.
  {
    sqlite3_stmt *get = nullptr, *put = nullptr;
    if (Result r = db.Prepare("SELECT json FROM documents WHERE doc_id = ?1", &get); !r.ok()) return fail(r);
    if (Result r = db.Prepare("UPDATE documents SET json = ?1, credibility_score = ?2 WHERE doc_id = ?3", &put);
        !r.ok())
      return fail(r);
    simdjson::dom::parser parser;
    for (size_t d = 0; d < in.docs.size(); ++d) {
      BindText(get, 1, in.docs[d].doc_id);
      std::string old;
      if (sqlite3_step(get) == SQLITE_ROW && sqlite3_column_text(get, 0) != nullptr)
        old.assign(reinterpret_cast<const char*>(sqlite3_column_text(get, 0)),
                   static_cast<size_t>(sqlite3_column_bytes(get, 0)));
      sqlite3_reset(get);
      simdjson::dom::object o;
      if (old.empty() || parser.parse(old).get(o) != simdjson::SUCCESS) continue;
      double score = 0;
      std::string rewritten = RewriteDocumentRecord(o, result.docs[d], weights, &score);
      if (!rewritten.empty() && rewritten.back() == '\n') rewritten.pop_back();
      BindText(put, 1, rewritten);
      sqlite3_bind_double(put, 2, score);
      BindText(put, 3, in.docs[d].doc_id);
      if (!step(put)) return fail(db.Fail("cannot update a document's credibility"));
    }
  }
  if (Result r = db.Exec("COMMIT"); !r.ok()) return fail(r);
  // Statistics for the planner of what reads the database (sitrep serve): cheap, and
  // only where they changed much.
  if (Result r = db.Exec("PRAGMA optimize"); !r.ok()) return fail(r);
  summary->documents = in.docs.size();
  summary->events = in.reports.size();
  summary->control = result.control.size();
  return Result::Ok();
}

}  // namespace sitrep
