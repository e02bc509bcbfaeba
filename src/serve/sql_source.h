// A read-only SQL database the API queries: the embedded SQLite file or a PostgreSQL
// server. The API builds its SQL once, in one portable dialect, and formats the rows
// itself, so both back ends give the same answers; a back end only runs statements.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "doc/stage.h"

namespace sitrep {

// A bound parameter: NULL, an integer, a real or text. Never pasted into SQL.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

// One row of an answer, read by column index (0-based).
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  virtual bool IsNull(int column) const = 0;
  virtual std::string_view Text(int column) const = 0;  // "" for NULL
  virtual int64_t Int(int column) const = 0;           // 0 for NULL
  virtual double Double(int column) const = 0;         // 0 for NULL
};

class SqlSource {
 public:
  virtual ~SqlSource() = default;
  // "sqlite" or "postgresql".
  virtual std::string_view Backend() const = 0;
  // Runs one SELECT. Placeholders are written ?1, ?2, ... (each number may repeat);
  // params[i] binds ?(i+1). Calls on_row for each row, in order. Thread-safe: the
  // server calls it from its worker threads.
  virtual Result Query(std::string_view sql, const std::vector<SqlValue>& params,
                       const std::function<void(const SqlRow&)>& on_row) const = 0;
};

// Opens an SQLite database read-only. Fails when the file is missing or has no sitrep
// tables (an error naming the path).
Result OpenSqliteSource(const std::string& path, std::unique_ptr<SqlSource>* out);
// Opens a PostgreSQL database (a postgresql:// or postgres:// URL, or a libpq
// "key=value" string) for reading. Fails naming the URL (password hidden).
Result OpenPostgresSource(const std::string& url, std::unique_ptr<SqlSource>* out);
// Either of the above, by the shape of `db`.
Result OpenSqlSource(const std::string& db, std::unique_ptr<SqlSource>* out);
bool IsPostgresUrl(std::string_view db);

}  // namespace sitrep
