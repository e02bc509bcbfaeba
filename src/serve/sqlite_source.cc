// SqlSource over the embedded SQLite file, opened read-only.
#include <sqlite3.h>

#include <mutex>

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

class SqliteSource final : public SqlSource {
 public:
  explicit SqliteSource(std::string path) : path_(std::move(path)) {}
  ~SqliteSource() override {
    if (db_ != nullptr) sqlite3_close(db_);
  }

  Result Open() {
    // Read-only and never created: a mistyped path is an error, not an empty database.
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      return Result::Error(path_ + ": cannot open: " + sqlite3_errmsg(db_));
    }
    sqlite3_busy_timeout(db_, 5000);
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
    std::lock_guard<std::mutex> lock(mutex_);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return Result::Error(path_ + ": " + sqlite3_errmsg(db_));
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
                                      : Result::Error(path_ + ": " + sqlite3_errmsg(db_));
    sqlite3_finalize(stmt);
    return result;
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

}  // namespace

Result OpenSqliteSource(const std::string& path, std::unique_ptr<SqlSource>* out) {
  auto source = std::make_unique<SqliteSource>(path);
  if (Result r = source->Open(); !r.ok()) return r;
  *out = std::move(source);
  return Result::Ok();
}

}  // namespace sitrep
