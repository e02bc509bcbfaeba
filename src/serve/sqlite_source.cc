// SqlSource over the embedded SQLite file, opened read-only.
#include <sqlite3.h>

#include <memory>

#include "serve/pool.h"
#include "serve/sql_source.h"

namespace sitrep {
namespace {

class SqliteRow final : public SqlRow {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string_view Text(int column) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (text == nullptr) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const override { return sqlite3_column_double(stmt_, column); }

 private:
  sqlite3_stmt* stmt_;
};

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqliteConn = std::unique_ptr<sqlite3, SqliteCloser>;

class SqliteSource final : public SqlSource {
 public:
  explicit SqliteSource(std::string path)
      : path_(std::move(path)), pool_(DefaultPoolSize(), [this](SqliteConn* c) { return Connect(c); }) {}

  Result Open() {
    bool has_events = false;
    const Result r = Query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                           "('documents', 'events')",
                           {}, [&](const SqlRow& row) { has_events = row.Int(0) == 2; });
    if (!r.ok()) return r;
    if (!has_events) return Result::Error(path_ + ": not a sitrep database (no events table)");
    bool current = false;
    if (Result q = Query("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'independent_sources'",
                         {}, [&](const SqlRow& row) { current = row.Int(0) == 1; });
        !q.ok())
      return q;
    if (!current) {
      return Result::Error(path_ + ": written by an older sitrep (schema version 1); bring it up to "
                           "date with: sitrep fuse --db " + path_);
    }
    return Result::Ok();
  }

  std::string_view Backend() const override { return "sqlite"; }

  Result Query(std::string_view sql, const std::vector<SqlValue>& params,
               const std::function<void(const SqlRow&)>& on_row) const override {
    Pool<SqliteConn>::Lease lease;
    if (Result r = pool_.Borrow(&lease); !r.ok()) return r;
    sqlite3* db = lease.get().get();
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return Result::Error(path_ + ": " + sqlite3_errmsg(db));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              sqlite3_bind_int64(stmt, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              sqlite3_bind_double(stmt, index, v);
            } else {
              sqlite3_bind_text(stmt, index, v.data(), static_cast<int>(v.size()),
                                SQLITE_TRANSIENT);
            }
          },
          params[i]);
    }
    const SqliteRow row(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) on_row(row);
    Result result = rc == SQLITE_DONE ? Result::Ok()
                                      : Result::Error(path_ + ": " + sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    return result;
  }

 private:
  // Read-only and never created: a mistyped path is an error, not an empty database.
  // Each connection serves one thread at a time (the pool's lease), so no mutex of its own.
  Result Connect(SqliteConn* out) const {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    SqliteConn conn(raw);
    if (rc != SQLITE_OK) {
      return Result::Error(path_ + ": cannot open: " + (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
    }
    sqlite3_busy_timeout(raw, 5000);
    *out = std::move(conn);
    return Result::Ok();
  }

  std::string path_;
  mutable Pool<SqliteConn> pool_;
};

}  // namespace

Result OpenSqliteSource(const std::string& path, std::unique_ptr<SqlSource>* out) {
  auto source = std::make_unique<SqliteSource>(path);
  if (Result r = source->Open(); !r.ok()) return r;
  *out = std::move(source);
  return Result::Ok();
}

}  // namespace sitrep
