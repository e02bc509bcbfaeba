#include "serve/api.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>

#include "base/civil_date.h"
#include "doc/types.h"
#include "output/json_writer.h"

namespace sitrep {
namespace {

constexpr int64_t kDefaultLimit = 200;
constexpr int64_t kMaxLimit = 5000;
constexpr double kDefaultCell = 0.5;
constexpr double kMinCell = 0.01;
constexpr double kMaxCell = 10;

struct BadRequest {
  std::string message;
};

ApiResponse Error(int status, std::string_view message) {
  ApiResponse r;
  r.status = status;
  JsonWriter(r.body).BeginObject().Key("error").String(message).EndObject();
  return r;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string_view item = s.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string ParseDate(const ApiParams& params, std::string_view name) {
  const auto it = params.find(name);
  if (it == params.end()) return {};
  const auto date = ParseIsoDate(it->second);
  if (!date || it->second.size() != 10) {
    throw BadRequest{std::string(name) + ": expected YYYY-MM-DD, not '" + it->second + "'"};
  }
  return it->second;
}

// bbox=minlon,minlat,maxlon,maxlat, when given.
std::optional<std::array<double, 4>> ParseBox(const ApiParams& params) {
  const auto it = params.find("bbox");
  if (it == params.end()) return std::nullopt;
  const std::vector<std::string> parts = SplitList(it->second);
  std::array<double, 4> box{};
  size_t n = 0;
  for (const std::string& p : parts) {
    const std::optional<double> v = ParseDouble(p);
    if (!v || n == 4) break;
    box[n++] = *v;
  }
  if (parts.size() != 4 || n != 4 || box[0] > box[2] || box[1] > box[3]) {
    throw BadRequest{"bbox: expected minlon,minlat,maxlon,maxlat, not '" + it->second + "'"};
  }
  return box;
}

int64_t IntParam(const ApiParams& params, std::string_view name, int64_t fallback, int64_t min,
                 int64_t max) {
  const auto it = params.find(name);
  if (it == params.end()) return fallback;
  const auto v = ParseInt(it->second);
  if (!v || *v < min || *v > max) {
    throw BadRequest{std::string(name) + ": expected an integer from " + std::to_string(min) +
                     " to " + std::to_string(max) + ", not '" + it->second + "'"};
  }
  return *v;
}

constexpr std::string_view kDocumentJoin = " JOIN documents d ON d.doc_id = e.doc_id";
// An event's cluster (if fused); its sources are on the event (events.independent_sources).
constexpr std::string_view kClusterJoin = " LEFT JOIN cluster_members m ON m.event_id = e.id";

// Which table the filters read: an event row (e, its document d and its cluster c) or a
// cluster row (c).
enum class Subject { kEvent, kCluster };

// The WHERE clause of the filters and its bound values. Placeholders are numbered in
// the order they are added.
class Where {
 public:
  Where(const SqlSource& db, const ApiParams& params, Subject subject,
        std::initializer_list<std::string_view> extra_allowed)
      : db_(db) {
    static const std::set<std::string, std::less<>> kEventFilters = {
        "bbox", "from", "to", "type", "family", "side", "status", "source", "outlet", "doc",
        "min_sources", "negated"};
    static const std::set<std::string, std::less<>> kClusterFilters = {
        "bbox", "from", "to", "type", "side", "status", "min_sources"};
    const auto& allowed = subject == Subject::kEvent ? kEventFilters : kClusterFilters;
    for (const auto& [key, value] : params) {
      if (allowed.count(key) != 0) continue;
      if (std::find(extra_allowed.begin(), extra_allowed.end(), key) != extra_allowed.end()) {
        continue;
      }
      throw BadRequest{"unknown parameter '" + key + "'"};
    }
    const std::string_view t = subject == Subject::kEvent ? "e" : "c";
    if (const std::optional<std::array<double, 4>> box = ParseBox(params)) {
      const int first = Bind((*box)[0]);
      for (int i = 1; i < 4; ++i) Bind((*box)[i]);
      // On lat and lon, on both back ends: the scan of events_serve tests them in the
      // index. (PostgreSQL's geom and its GiST index are for a team's own spatial SQL;
      // testing geom && box cost more per row than the test itself.)
      const std::string a(t);
      auto p = [](int n) { return "?" + std::to_string(n); };
      Add(a + ".lon BETWEEN " + p(first) + " AND " + p(first + 2) + " AND " + a + ".lat BETWEEN " +
          p(first + 1) + " AND " + p(first + 3));
    }
    if (std::string from = ParseDate(params, "from"); !from.empty()) {
      Add(std::string(t) + ".date >= ?" + std::to_string(Bind(std::move(from))));
    }
    if (std::string to = ParseDate(params, "to"); !to.empty()) {
      Add(std::string(t) + ".date <= ?" + std::to_string(Bind(std::move(to))));
    }
    AddList(params, "type", std::string(t) + ".type");
    AddList(params, "side", std::string(t) + ".side");
    AddList(params, "status", std::string(t) + ".status");
    if (subject == Subject::kEvent) {
      AddList(params, "family", "e.family");
      AddExact(params, "source", "e.source_name");
      if (params.count("outlet") != 0) needs_document_ = true;
      AddExact(params, "outlet", "d.source");
      AddExact(params, "doc", "e.doc_id");
      if (params.count("negated") != 0) {
        Add("e.negated = ?" + std::to_string(Bind(IntParam(params, "negated", 0, 0, 1))));
      }
    }
    if (params.count("min_sources") != 0) {
      // Every event has at least one source, so only n > 1 selects. An event holds its
      // cluster's count (written by fusion), in the index the event queries walk.
      const int64_t n = IntParam(params, "min_sources", 1, 0, 1000000);
      if (subject == Subject::kCluster || n > 1) {
        Add(std::string(t) + ".independent_sources >= ?" + std::to_string(Bind(n)));
      }
    }
  }

  int Bind(SqlValue v) {
    params_.push_back(std::move(v));
    return static_cast<int>(params_.size());
  }
  void Add(std::string condition) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += condition;
  }
  const std::string& sql() const { return sql_; }
  std::vector<SqlValue>& params() { return params_; }
  // The joins an event query needs for these filters: none, or the document.
  std::string EventFrom() const {
    std::string from = " FROM events e";
    if (needs_document_) from += kDocumentJoin;
    return from;
  }

 private:
  void AddList(const ApiParams& params, std::string_view name, const std::string& column) {
    const auto it = params.find(name);
    if (it == params.end()) return;
    const std::vector<std::string> items = SplitList(it->second);
    if (items.empty()) throw BadRequest{std::string(name) + ": empty list"};
    std::string in = column + " IN (";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) in += ", ";
      in += "?" + std::to_string(Bind(items[i]));
    }
    Add(in + ")");
  }
  void AddExact(const ApiParams& params, std::string_view name, const std::string& column) {
    const auto it = params.find(name);
    if (it == params.end()) return;
    Add(column + " = ?" + std::to_string(Bind(it->second)));
  }

  const SqlSource& db_;
  std::string sql_;
  std::vector<SqlValue> params_;
  bool needs_document_ = false;
};

// Runs a query; a database error becomes a 500 answer (thrown as Failure).
struct Failure {
  std::string message;
};

void Run(const SqlSource& db, const std::string& sql, const std::vector<SqlValue>& params,
         const std::function<void(const SqlRow&)>& on_row) {
  if (Result r = db.Query(sql, params, on_row); !r.ok()) throw Failure{r.message()};
}

int64_t Count(const SqlSource& db, const std::string& sql, const std::vector<SqlValue>& params) {
  int64_t n = 0;
  Run(db, sql, params, [&](const SqlRow& row) { n = row.Int(0); });
  return n;
}

void TextOrNull(JsonWriter& w, const SqlRow& row, int column) {
  if (row.IsNull(column)) {
    w.Null();
  } else {
    w.String(row.Text(column));
  }
}

void RealOrNull(JsonWriter& w, const SqlRow& row, int column, int decimals) {
  if (row.IsNull(column)) {
    w.Null();
  } else {
    w.Decimal(row.Double(column), decimals);
  }
}

// The joins every event row reads through: its document and its cluster (if any).
const std::string kEventFrom =
    " FROM events e" + std::string(kDocumentJoin) + std::string(kClusterJoin);

constexpr std::string_view kEventColumns =
    "SELECT e.id, e.doc_id, e.type, e.family, e.side, e.status, e.negated, e.date, e.date_end,"
    " e.lat, e.lon, e.location_name, e.admin1, e.source_name, m.cluster_id,"
    " e.independent_sources, e.confidence, d.title, d.source";

// Fixed order: dated events by date, undated last, then id.
constexpr std::string_view kEventOrder = " ORDER BY (e.date IS NULL), e.date, e.id";

// How a column of a row is written: text, text or null, a flag, an integer, a
// coordinate or a score (both decimals, or null).
enum class As { kText, kTextOrNull, kBool, kInt, kCoordinate, kScore };
struct Column {
  const char* key;
  As as;
};

// Writes the row's columns 0, 1, ... under the keys given, into the open object.
void Columns(JsonWriter& w, const SqlRow& row, std::initializer_list<Column> columns) {
  int i = 0;
  for (const Column& c : columns) {
    w.Key(c.key);
    switch (c.as) {
      case As::kText: w.String(row.Text(i)); break;
      case As::kTextOrNull: TextOrNull(w, row, i); break;
      case As::kBool: w.Bool(row.Int(i) != 0); break;
      case As::kInt: w.Int(row.Int(i)); break;
      case As::kCoordinate: RealOrNull(w, row, i, kCoordinateDecimals); break;
      case As::kScore: RealOrNull(w, row, i, kScoreDecimals); break;
    }
    ++i;
  }
}

// An /api/events row from the columns of kEventColumns.
void EventRow(JsonWriter& w, const SqlRow& row) {
  w.BeginObject();
  Columns(w, row,
          {{"id", As::kText}, {"doc_id", As::kText}, {"type", As::kText}, {"family", As::kText},
           {"side", As::kText}, {"status", As::kText}, {"negated", As::kBool},
           {"date", As::kTextOrNull}, {"date_end", As::kTextOrNull}, {"lat", As::kCoordinate},
           {"lon", As::kCoordinate}, {"location_name", As::kTextOrNull},
           {"admin1", As::kTextOrNull}, {"source_name", As::kTextOrNull},
           {"cluster_id", As::kTextOrNull}, {"independent_sources", As::kInt},
           {"confidence", As::kScore}, {"title", As::kTextOrNull}, {"outlet", As::kTextOrNull}});
  w.EndObject();
}

// A stored record with fields appended: {"kind":...,"x":1} + cluster_id → {...,"x":1,"cluster_id":...}.
void RecordWith(std::string& out, std::string_view json,
                const std::function<void(JsonWriter&)>& extra) {
  while (!json.empty() && (json.back() == '\n' || json.back() == ' ')) json.remove_suffix(1);
  if (json.size() < 2 || json.back() != '}') throw Failure{"a stored record is not a JSON object"};
  out.append(json.substr(0, json.size() - 1));
  std::string tail;
  JsonWriter w(tail);
  w.BeginObject();
  extra(w);
  w.EndObject();
  // tail is "{...}": splice its members after the record's own.
  if (tail.size() > 2) {
    if (json.size() > 2) out += ',';
    out.append(tail, 1, tail.size() - 2);
  }
  out += '}';
}

void PageFields(JsonWriter& w, int64_t total, int64_t offset, int64_t limit) {
  w.Key("total").Int(total);
  w.Key("offset").Int(offset);
  w.Key("limit").Int(limit);
  w.Key("next_offset");
  if (offset + limit < total) {
    w.Int(offset + limit);
  } else {
    w.Null();
  }
}

void Increment(std::map<std::string, int64_t, std::less<>>& counts, std::string_view key) {
  auto it = counts.find(key);
  if (it == counts.end()) it = counts.emplace(std::string(key), 0).first;
  ++it->second;
}

class Handler {
 public:
  Handler(const SqlSource& db, const ApiParams& params) : db_(db), params_(params) {}

  // The ontology's families with their types, the sides and the statuses, in the
  // binary's own terms (doc/types.h): the page builds its filters and symbols from them.
  ApiResponse Ontology() {
    NoParams();
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject().Key("families").BeginArray();
    for (int f = 0; f <= static_cast<int>(EventFamily::kOther); ++f) {
      const auto family = static_cast<EventFamily>(f);
      w.BeginObject().Key("name").String(Name(family)).Key("types").BeginArray();
      for (int t = 0; t < kEventTypeCount; ++t) {
        const auto type = static_cast<EventType>(t);
        if (FamilyOf(type) == family) w.String(Name(type));
      }
      w.EndArray().EndObject();
    }
    w.EndArray().Key("sides").BeginArray();
    // The acting sides first.
    for (Side side : {Side::kRU, Side::kUA, Side::kOther, Side::kUnknown}) w.String(Name(side));
    w.EndArray().Key("statuses").BeginArray();
    for (int st = 0; st <= static_cast<int>(Status::kHypothetical); ++st) w.String(Name(static_cast<Status>(st)));
    w.EndArray().EndObject();
    return r;
  }

  ApiResponse Summary() {
    NoParams();
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject();
    w.Key("documents").Int(Count(db_, "SELECT count(*) FROM documents", {}));
    w.Key("events").Int(Count(db_, "SELECT count(*) FROM events", {}));
    w.Key("clusters").Int(Count(db_, "SELECT count(*) FROM clusters", {}));
    w.Key("control").Int(Count(db_, "SELECT count(*) FROM control", {}));
    // One walk of the covering index: dates, the box, the facets.
    std::unordered_map<std::string, int64_t> dates;
    std::map<std::string, int64_t, std::less<>> facets[4];
    double box[4] = {0, 0, 0, 0};  // minlon, minlat, maxlon, maxlat
    bool located = false;
    Run(db_, "SELECT type, family, side, status, date, lat, lon FROM events", {},
        [&](const SqlRow& row) {
          for (int i = 0; i < 4; ++i) Increment(facets[i], row.Text(i));
          if (!row.IsNull(4)) ++dates[std::string(row.Text(4))];
          if (!row.IsNull(5) && !row.IsNull(6)) {
            const double lat = row.Double(5), lon = row.Double(6);
            if (!located) box[0] = box[2] = lon, box[1] = box[3] = lat;
            box[0] = std::min(box[0], lon), box[1] = std::min(box[1], lat);
            box[2] = std::max(box[2], lon), box[3] = std::max(box[3], lat);
            located = true;
          }
        });
    std::vector<std::pair<std::string, int64_t>> by_date(dates.begin(), dates.end());
    std::sort(by_date.begin(), by_date.end());
    int64_t dated = 0;
    for (const auto& [date, n] : by_date) dated += n;
    // The dates at two ranks: the span holding the middle 98% of dated events, what a
    // timeline should show first (a few events are dated decades back, to the history an
    // article recalls).
    auto at_rank = [&](int64_t rank) {
      int64_t seen = 0;
      for (const auto& [date, n] : by_date) {
        seen += n;
        if (seen > rank) return date;
      }
      return std::string();
    };
    auto date_or_null = [&](const std::string& date) { date.empty() ? w.Null() : w.String(date); };
    w.Key("date_min");
    date_or_null(by_date.empty() ? "" : by_date.front().first);
    w.Key("date_max");
    date_or_null(by_date.empty() ? "" : by_date.back().first);
    w.Key("date_p01");
    date_or_null(dated > 0 ? at_rank(dated / 100) : "");
    w.Key("date_p99");
    date_or_null(dated > 0 ? at_rank(dated - 1 - dated / 100) : "");
    w.Key("bbox");
    if (located) {
      w.BeginArray();
      for (double v : box) w.Decimal(v, kCoordinateDecimals);
      w.EndArray();
    } else {
      w.Null();
    }
    const char* names[4] = {"types", "families", "sides", "statuses"};
    for (int i = 0; i < 4; ++i) {
      std::vector<std::pair<std::string, int64_t>> sorted(facets[i].begin(), facets[i].end());
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      w.Key(names[i]).BeginObject();
      for (const auto& [name, n] : sorted) w.Key(name).Int(n);
      w.EndObject();
    }
    w.Key("backend").String(db_.Backend());
    w.EndObject();
    return r;
  }

  ApiResponse Events() {
    Where where(db_, params_, Subject::kEvent, {"limit", "offset"});
    const int64_t limit = IntParam(params_, "limit", kDefaultLimit, 1, kMaxLimit);
    const int64_t offset = IntParam(params_, "offset", 0, 0, INT64_MAX / 2);
    const std::string from = where.EventFrom();
    int64_t total = 0, dated = 0;
    Run(db_, "SELECT count(*), count(e.date)" + from + where.sql(), where.params(),
        [&](const SqlRow& row) {
          total = row.Int(0);
          dated = row.Int(1);
        });
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject();
    PageFields(w, total, offset, limit);
    w.Key("events").BeginArray();
    // Dated events by date, then the undated: each part is a walk of the events_serve
    // index in its order, and the page's rows are read in full only once chosen.
    auto page = [&](bool with_date, int64_t part_limit, int64_t part_offset) {
      std::vector<SqlValue> params = where.params();
      std::string sql = where.sql();
      sql += sql.empty() ? " WHERE " : " AND ";
      sql += with_date ? "e.date IS NOT NULL" : "e.date IS NULL";
      params.emplace_back(part_limit);
      const std::string lp = "?" + std::to_string(params.size());
      params.emplace_back(part_offset);
      const std::string op = "?" + std::to_string(params.size());
      Run(db_,
          // CROSS JOIN keeps SQLite's planner reading the page first, then its rows;
          // without statistics it walked all events instead.
          std::string(kEventColumns) + " FROM (SELECT e.id AS id" + from + sql +
              " ORDER BY e.date, e.id LIMIT " + lp + " OFFSET " + op +
              ") p CROSS JOIN events e" + std::string(kDocumentJoin) + std::string(kClusterJoin) +
              " WHERE e.id = p.id ORDER BY e.date, e.id",
          params, [&](const SqlRow& row) { EventRow(w, row); });
    };
    if (offset < dated) page(true, std::min(limit, dated - offset), offset);
    if (offset + limit > dated && total > dated) {
      const int64_t skip = std::max<int64_t>(0, offset - dated);
      page(false, std::min(limit, offset + limit - dated), skip);
    }
    w.EndArray().EndObject();
    return r;
  }

  ApiResponse Grid() {
    Where where(db_, params_, Subject::kEvent, {"cell"});
    double cell = kDefaultCell;
    if (const auto it = params_.find("cell"); it != params_.end()) {
      const auto v = ParseDouble(it->second);
      if (!v || *v < kMinCell || *v > kMaxCell) {
        throw BadRequest{"cell: expected degrees from 0.01 to 10, not '" + it->second + "'"};
      }
      cell = *v;
    }
    where.Add("e.lat IS NOT NULL AND e.lon IS NOT NULL");
    // The rows are aggregated here, not by GROUP BY: a walk of the covering index is
    // several times quicker than SQLite's sorter, and both back ends then only select.
    struct Cell {
      int64_t n = 0;
      double lat = 0, lon = 0;
      std::map<std::string, int64_t, std::less<>> types, sides;
    };
    std::map<std::pair<int64_t, int64_t>, Cell> cells;
    int64_t total = 0;
    Run(db_, "SELECT e.lat, e.lon, e.type, e.side" + where.EventFrom() + where.sql(),
        where.params(), [&](const SqlRow& row) {
          const double lat = row.Double(0), lon = row.Double(1);
          Cell& k = cells[{static_cast<int64_t>(std::floor(lat / cell)),
                           static_cast<int64_t>(std::floor(lon / cell))}];
          ++k.n;
          k.lat += lat;
          k.lon += lon;
          Increment(k.types, row.Text(2));
          Increment(k.sides, row.Text(3));
          ++total;
        });
    auto most = [](const std::map<std::string, int64_t, std::less<>>& counts) {
      const std::string* best = nullptr;
      int64_t best_n = -1;
      for (const auto& [name, n] : counts) {  // alphabetical: ties keep the first
        if (n > best_n) best = &name, best_n = n;
      }
      return best != nullptr ? *best : std::string();
    };
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject();
    w.Key("cell").Number(cell);
    w.Key("total").Int(total);
    w.Key("cells").BeginArray();
    for (const auto& [key, k] : cells) {
      w.BeginObject();
      w.Key("lat").Decimal(k.lat / static_cast<double>(k.n), kCoordinateDecimals);
      w.Key("lon").Decimal(k.lon / static_cast<double>(k.n), kCoordinateDecimals);
      w.Key("n").Int(k.n);
      w.Key("type").String(most(k.types));
      w.Key("side").String(most(k.sides));
      w.EndObject();
    }
    w.EndArray().EndObject();
    return r;
  }

  ApiResponse Timeline() {
    Where where(db_, params_, Subject::kEvent, {"bucket"});
    std::string bucket = "day";
    if (const auto it = params_.find("bucket"); it != params_.end()) {
      bucket = it->second;
      if (bucket != "day" && bucket != "week" && bucket != "month") {
        throw BadRequest{"bucket: expected day, week or month, not '" + bucket + "'"};
      }
    }
    where.Add("e.date IS NOT NULL");
    std::map<std::string, int64_t> counts;
    int64_t total = 0;
    // Dates come in index order: runs of one date are counted as they pass.
    std::string run_date;
    int64_t run = 0;
    auto flush = [&] {
      if (run == 0) return;
      if (const std::optional<CivilDate> date = ParseIsoDate(run_date)) {
        CivilDate key = *date;
        if (bucket == "week") key = AddDays(key, -Weekday(key));
        if (bucket == "month") key.day = 1;
        counts[FormatIsoDate(key)] += run;
        total += run;
      }
      run = 0;
    };
    Run(db_, "SELECT e.date" + where.EventFrom() + where.sql() + " ORDER BY e.date", where.params(),
        [&](const SqlRow& row) {
          const std::string_view date = row.Text(0);
          if (date != run_date) {
            flush();
            run_date = std::string(date);
          }
          ++run;
        });
    flush();
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject();
    w.Key("bucket").String(bucket);
    w.Key("total").Int(total);
    w.Key("counts").BeginArray();
    for (const auto& [date, n] : counts) {
      w.BeginObject().Key("date").String(date).Key("n").Int(n).EndObject();
    }
    w.EndArray().EndObject();
    return r;
  }

  ApiResponse Event(std::string_view id) {
    NoParams();
    ApiResponse r;
    bool found = false;
    Run(db_,
        "SELECT e.json, m.cluster_id, e.independent_sources" +
            kEventFrom + " WHERE e.id = ?1",
        {std::string(id)}, [&](const SqlRow& row) {
          found = true;
          RecordWith(r.body, row.Text(0), [&](JsonWriter& w) { ClusterFields(w, row, 1); });
        });
    if (!found) return Error(404, "no event '" + std::string(id) + "'");
    return r;
  }

  ApiResponse Document(std::string_view doc_id) {
    NoParams();
    ApiResponse r;
    JsonWriter w(r.body);
    bool found = false;
    Run(db_,
        "SELECT doc_id, title, source, url, published, text, body_begin, body_end,"
        " credibility_score, json FROM documents WHERE doc_id = ?1",
        {std::string(doc_id)}, [&](const SqlRow& row) {
          found = true;
          w.BeginObject();
          Columns(w, row,
                  {{"doc_id", As::kText}, {"title", As::kTextOrNull}, {"outlet", As::kTextOrNull},
                   {"url", As::kTextOrNull}, {"published", As::kTextOrNull},
                   {"text", As::kTextOrNull}});
          w.Key("body");
          if (row.IsNull(6)) {
            w.Null();
          } else {
            w.BeginArray().Int(row.Int(6)).Int(row.Int(7)).EndArray();
          }
          w.Key("credibility_score");
          RealOrNull(w, row, 8, kScoreDecimals);
          w.Key("document").Raw(row.Text(9));
        });
    if (!found) return Error(404, "no document '" + std::string(doc_id) + "'");
    w.Key("events").BeginArray();
    Run(db_,
        "SELECT e.json, m.cluster_id, e.independent_sources" +
            kEventFrom + " WHERE e.doc_id = ?1 ORDER BY e.seq",
        {std::string(doc_id)}, [&](const SqlRow& row) {
          std::string record;
          RecordWith(record, row.Text(0), [&](JsonWriter& x) { ClusterFields(x, row, 1); });
          w.Raw(record);
        });
    w.EndArray().EndObject();
    return r;
  }

  ApiResponse Clusters() {
    Where where(db_, params_, Subject::kCluster, {"limit", "offset"});
    const int64_t limit = IntParam(params_, "limit", kDefaultLimit, 1, kMaxLimit);
    const int64_t offset = IntParam(params_, "offset", 0, 0, INT64_MAX / 2);
    const int64_t total = Count(db_, "SELECT count(*) FROM clusters c" + where.sql(), where.params());
    const int lp = where.Bind(limit);
    const int op = where.Bind(offset);
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject();
    PageFields(w, total, offset, limit);
    w.Key("clusters").BeginArray();
    simdjson::ondemand::parser parser;
    Run(db_,
        "SELECT c.id, c.type, c.side, c.status, c.date, c.date_end, c.lat, c.lon,"
        " c.location_name, c.n_members, c.independent_sources, c.json FROM clusters c" +
            where.sql() + " ORDER BY (c.date IS NULL), c.date, c.id LIMIT ?" +
            std::to_string(lp) + " OFFSET ?" + std::to_string(op),
        where.params(), [&](const SqlRow& row) {
          w.BeginObject();
          Columns(w, row,
                  {{"id", As::kText}, {"type", As::kText}, {"side", As::kText},
                   {"status", As::kText}, {"date", As::kTextOrNull}, {"date_end", As::kTextOrNull},
                   {"lat", As::kCoordinate}, {"lon", As::kCoordinate},
                   {"location_name", As::kTextOrNull}, {"n_members", As::kInt},
                   {"independent_sources", As::kInt}});
          w.Key("contradicts").Int(Contradictions(parser, row.Text(11)));
          w.EndObject();
        });
    w.EndArray().EndObject();
    return r;
  }

  ApiResponse Cluster(std::string_view id) {
    NoParams();
    ApiResponse r;
    std::string record;
    Run(db_, "SELECT json FROM clusters WHERE id = ?1", {std::string(id)},
        [&](const SqlRow& row) { record = std::string(row.Text(0)); });
    if (record.empty()) return Error(404, "no cluster '" + std::string(id) + "'");
    std::string events;
    JsonWriter ew(events);
    ew.BeginArray();
    Run(db_,
        std::string(kEventColumns) + kEventFrom + " WHERE m.cluster_id = ?1" +
            std::string(kEventOrder),
        {std::string(id)}, [&](const SqlRow& row) { EventRow(ew, row); });
    ew.EndArray();
    RecordWith(r.body, record, [&](JsonWriter& w) { w.Key("events").Raw(events); });
    return r;
  }

  ApiResponse Control() {
    for (const auto& [key, value] : params_) {
      if (key != "date" && key != "bbox") throw BadRequest{"unknown parameter '" + key + "'"};
    }
    const std::string date = ParseDate(params_, "date");
    if (date.empty()) throw BadRequest{"date: required (YYYY-MM-DD)"};
    const std::optional<std::array<double, 4>> box = ParseBox(params_);
    // A settlement's latest record on or before the date; of two records on one day the
    // later written (the longer, then greater id: k9 < k10). Chosen here, in one pass over
    // the records up to the date (a correlated NOT EXISTS in SQL took 0.4 s at 2,000).
    struct Record {
      std::string id, settlement_id, name, side, from, json;
      bool has_settlement_id = false, contested = false, background = false;
    };
    auto later = [](const Record& a, const Record& b) {  // a written after b
      if (a.from != b.from) return a.from > b.from;
      if (a.id.size() != b.id.size()) return a.id.size() > b.id.size();
      return a.id > b.id;
    };
    std::unordered_map<std::string, Record> latest;
    Run(db_,
        "SELECT k.id, k.settlement_id, k.name, k.side, k.\"from\", k.contested, k.background, k.json"
        " FROM control k WHERE k.\"from\" <= ?1",
        {date}, [&](const SqlRow& row) {
          Record rec{std::string(row.Text(0)), std::string(row.Text(1)), std::string(row.Text(2)),
                     std::string(row.Text(3)), std::string(row.Text(4)), std::string(), !row.IsNull(1),
                     row.Int(5) != 0, row.Int(6) != 0};
          const std::string key = rec.has_settlement_id ? rec.settlement_id : rec.name;
          auto it = latest.find(key);
          if (it != latest.end() && !later(rec, it->second)) return;
          rec.json = std::string(row.Text(7));
          if (it == latest.end()) {
            latest.emplace(key, std::move(rec));
          } else {
            it->second = std::move(rec);
          }
        });
    std::vector<const Record*> shown;
    shown.reserve(latest.size());
    for (const auto& [key, rec] : latest) shown.push_back(&rec);
    std::sort(shown.begin(), shown.end(), [](const Record* a, const Record* b) {
      if (a->name != b->name) return a->name < b->name;
      if (a->id.size() != b->id.size()) return a->id.size() < b->id.size();
      return a->id < b->id;
    });
    ApiResponse r;
    JsonWriter w(r.body);
    w.BeginObject();
    w.Key("date").String(date);
    w.Key("settlements").BeginArray();
    simdjson::ondemand::parser parser;
    for (const Record* rec : shown) {
      std::optional<double> lat, lon;
      simdjson::padded_string json(rec->json);
      simdjson::ondemand::document doc;
      if (parser.iterate(json).get(doc) == simdjson::SUCCESS) {
        simdjson::ondemand::object settlement;
        if (doc["settlement"].get_object().get(settlement) == simdjson::SUCCESS) {
          double v;
          if (settlement["lat"].get_double().get(v) == simdjson::SUCCESS) lat = v;
          if (settlement["lon"].get_double().get(v) == simdjson::SUCCESS) lon = v;
        }
      }
      if (box && (!lat || !lon || *lon < (*box)[0] || *lat < (*box)[1] || *lon > (*box)[2] ||
                  *lat > (*box)[3])) {
        continue;
      }
      w.BeginObject();
      w.Key("id");
      rec->has_settlement_id ? w.String(rec->settlement_id) : w.Null();
      w.Key("name").String(rec->name);
      w.Key("lat");
      lat ? w.Decimal(*lat, kCoordinateDecimals) : w.Null();
      w.Key("lon");
      lon ? w.Decimal(*lon, kCoordinateDecimals) : w.Null();
      w.Key("side").String(rec->side);
      w.Key("from").String(rec->from);
      w.Key("contested").Bool(rec->contested);
      w.Key("background").Bool(rec->background);
      w.Key("control_id").String(rec->id);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return r;
  }

 private:
  void NoParams() const {
    if (!params_.empty()) throw BadRequest{"unknown parameter '" + params_.begin()->first + "'"};
  }

  static void ClusterFields(JsonWriter& w, const SqlRow& row, int column) {
    w.Key("cluster_id");
    TextOrNull(w, row, column);
    w.Key("independent_sources").Int(row.Int(column + 1));
  }

  static int64_t Contradictions(simdjson::ondemand::parser& parser, std::string_view record) {
    simdjson::padded_string json(record);
    simdjson::ondemand::document doc;
    if (parser.iterate(json).get(doc) != simdjson::SUCCESS) return 0;
    simdjson::ondemand::array list;
    if (doc["contradicts"].get_array().get(list) != simdjson::SUCCESS) return 0;
    size_t n = 0;
    if (list.count_elements().get(n) != simdjson::SUCCESS) return 0;
    return static_cast<int64_t>(n);
  }

  const SqlSource& db_;
  const ApiParams& params_;
};

// "/api/events/ID" → ID when path starts with prefix and has one more segment.
std::optional<std::string_view> Tail(std::string_view path, std::string_view prefix) {
  if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) return std::nullopt;
  return path.substr(prefix.size());
}

}  // namespace

ApiResponse Api::Get(std::string_view path, const ApiParams& params) const {
  Handler h(db_, params);
  try {
    if (path == "/api/summary") return h.Summary();
    if (path == "/api/ontology") return h.Ontology();
    if (path == "/api/events") return h.Events();
    if (path == "/api/grid") return h.Grid();
    if (path == "/api/timeline") return h.Timeline();
    if (path == "/api/clusters") return h.Clusters();
    if (path == "/api/control") return h.Control();
    if (auto id = Tail(path, "/api/events/")) return h.Event(*id);
    if (auto id = Tail(path, "/api/documents/")) return h.Document(*id);
    if (auto id = Tail(path, "/api/clusters/")) return h.Cluster(*id);
  } catch (const BadRequest& e) {
    return Error(400, e.message);
  } catch (const Failure& e) {
    return Error(500, e.message);
  }
  return Error(404, "no such endpoint: " + std::string(path) + " (see docs/api.md)");
}

}  // namespace sitrep
