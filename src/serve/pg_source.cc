// SqlSource over PostgreSQL (the tables `sitrep export` writes, output/pg_export.h): one
// read-only session, shared by the server's threads under a mutex. The API's ?N
// placeholders become $N; values are sent as text with their types (bigint, double
// precision, text), reals in 17 digits so that nothing is lost on the way.
#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <type_traits>

#include "output/pg_export.h"
#include "serve/pool.h"
#include "serve/sql_source.h"

namespace sitrep {
namespace {

// libpq's type oids (server/catalog/pg_type_d.h, which libpq-dev does not ship).
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kTextOid = 25;
constexpr Oid kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// Every session: reads only; reals printed so that they read back exactly; no parallel
// workers (the server answers its clients in parallel already, and at 125,000 events a
// scan with workers took longer than one without: 38 ms against 27).
constexpr const char* kSessionSettings =
    "SET default_transaction_read_only = on; SET extra_float_digits = 3; "
    "SET client_min_messages = warning; SET max_parallel_workers_per_gather = 0";


// The SQL with each ?N as $N — not inside string literals, quoted names or comments.
// used[n] is set for each N that occurs (used grows as needed).
std::string DollarPlaceholders(std::string_view sql, std::vector<bool>* used) {
  std::string out;
  out.reserve(sql.size());
  for (size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or a quoted name; doubled quotes stay inside
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      end = std::min(end + 1, sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      size_t end = i + 1;
      size_t n = 0;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') n = n * 10 + (sql[end++] - '0');
      if (n >= used->size()) used->resize(n + 1, false);
      (*used)[n] = true;
      out += '$';
      out.append(sql.substr(i + 1, end - i - 1));
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

class PgRow final : public SqlRow {
 public:
  explicit PgRow(const PGresult* result) : result_(result) {}
  void At(int row) { row_ = row; }

  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  // A boolean reads as SQLite gives it: "1" or "0".
  std::string_view Text(int column) const override {
    if (IsNull(column)) return {};
    if (PQftype(result_, column) == kBoolOid) return Value(column) == "t" ? "1" : "0";
    return Value(column);
  }
  int64_t Int(int column) const override {
    if (IsNull(column)) return 0;
    switch (PQftype(result_, column)) {
      case kBoolOid: return Value(column) == "t" ? 1 : 0;
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid: return static_cast<int64_t>(std::strtod(PQgetvalue(result_, row_, column), nullptr));
      default: return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10);
    }
  }
  double Double(int column) const override {
    if (IsNull(column)) return 0;
    if (PQftype(result_, column) == kBoolOid) return Value(column) == "t" ? 1 : 0;
    return std::strtod(PQgetvalue(result_, row_, column), nullptr);
  }

 private:
  std::string_view Value(int column) const {
    return {PQgetvalue(result_, row_, column), static_cast<size_t>(PQgetlength(result_, row_, column))};
  }
  const PGresult* result_;
  int row_ = 0;
};

class PgSource final : public SqlSource {
 public:
  // first: a connection already made (it goes into the pool); more are made from url.
  PgSource(PgConn first, std::string url)
      : url_(std::move(url)), name_(RedactPostgresUrl(url_)),
        pool_(DefaultPoolSize(), [this](PgConn* c) { return Connect(c); }) {
    first_ = std::move(first);
  }

  Result Open() {
    bool tables = false;
    if (Result r = Query("SELECT to_regclass('documents') IS NOT NULL AND to_regclass('events') IS NOT NULL",
                         {}, [&](const SqlRow& row) { tables = row.Int(0) != 0; });
        !r.ok())
      return r;
    if (!tables) {
      return Result::Error(name_ + ": no sitrep tables (write them with: sitrep export --db URL FILE.db)");
    }
    bool current = false;
    if (Result r = Query("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                         "AND table_name = 'events' AND column_name = 'independent_sources'",
                         {}, [&](const SqlRow& row) { current = row.Int(0) == 1; });
        !r.ok())
      return r;
    if (!current) {
      return Result::Error(name_ + ": written by an older sitrep (schema version 1); bring it up to date "
                           "with: sitrep export --db URL FILE.db");
    }
    return Result::Ok();
  }

  std::string_view Backend() const override { return "postgresql"; }

  Result Query(std::string_view sql, const std::vector<SqlValue>& params,
               const std::function<void(const SqlRow&)>& on_row) const override {
    std::vector<bool> used;
    const std::string statement = DollarPlaceholders(sql, &used);
    // Typed parameters: bigint, double precision, text. Each is declared, used or not,
    // so that its number is known; an untyped NULL takes the type of where it is used.
    std::vector<Oid> types(params.size(), kTextOid);
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              if (i + 1 < used.size() && used[i + 1]) types[i] = 0;
            } else if constexpr (std::is_same_v<T, int64_t>) {
              types[i] = kInt8Oid;
              text[i] = std::to_string(v);
              values[i] = text[i].c_str();
            } else if constexpr (std::is_same_v<T, double>) {
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.17g", v);
              types[i] = kFloat8Oid;
              text[i] = buf;
              values[i] = text[i].c_str();
            } else {
              values[i] = v.c_str();
            }
          },
          params[i]);
    }
    Pool<PgConn>::Lease lease;
    if (Result r = pool_.Borrow(&lease); !r.ok()) return r;
    PGconn* conn = lease.get().get();
    PgResult result = Exec(conn, statement, types, values);
    // A connection lost (a server restart) is made again, once.
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK && PQstatus(conn) == CONNECTION_BAD) {
      PQreset(conn);
      if (PQstatus(conn) == CONNECTION_OK && Settings(conn).ok()) result = Exec(conn, statement, types, values);
    }
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
      const char* message = result != nullptr ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn);
      return Result::Error(name_ + ": " + TrimPgMessage(message));
    }
    PgRow row(result.get());
    const int n = PQntuples(result.get());
    for (int i = 0; i < n; ++i) {
      row.At(i);
      on_row(row);
    }
    return Result::Ok();
  }

 private:
  static PgResult Exec(PGconn* conn, const std::string& sql, const std::vector<Oid>& types,
                       const std::vector<const char*>& values) {
    return PgResult(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()),
                                 types.empty() ? nullptr : types.data(),
                                 values.empty() ? nullptr : values.data(), nullptr, nullptr, 0));
  }

  Result Settings(PGconn* conn) const {
    PgResult r(PQexec(conn, kSessionSettings));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return Result::Error(name_ + ": " + TrimPgMessage(PQresultErrorMessage(r.get())));
    }
    return Result::Ok();
  }

  // The pool's connections: the first one made by OpenPostgresSource, then new ones.
  Result Connect(PgConn* out) {
    PgConn conn;
    {
      std::lock_guard<std::mutex> lock(first_mutex_);
      conn = std::move(first_);
    }
    if (conn == nullptr) {
      if (Result r = ConnectPostgres(url_, &conn); !r.ok()) return r;
    }
    if (Result r = Settings(conn.get()); !r.ok()) return r;
    *out = std::move(conn);
    return Result::Ok();
  }

  const std::string url_;
  const std::string name_;
  std::mutex first_mutex_;
  PgConn first_;
  mutable Pool<PgConn> pool_;
};

}  // namespace

Result OpenPostgresSource(const std::string& url, std::unique_ptr<SqlSource>* out) {
  PgConn conn;
  if (Result r = ConnectPostgres(url, &conn); !r.ok()) return r;
  auto source = std::make_unique<PgSource>(std::move(conn), url);
  if (Result r = source->Open(); !r.ok()) return r;
  *out = std::move(source);
  return Result::Ok();
}

}  // namespace sitrep
