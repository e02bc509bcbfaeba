#include "serve/sql_source.h"

namespace sitrep {

bool IsPostgresUrl(std::string_view db) {
  // A URL, or a libpq "key=value" string (a file name has no '=' followed by a value
  // after "dbname").
  return db.starts_with("postgresql://") || db.starts_with("postgres://") ||
         db.starts_with("dbname=") || db.find(" dbname=") != std::string_view::npos;
}

Result OpenSqlSource(const std::string& db, std::unique_ptr<SqlSource>* out) {
  return IsPostgresUrl(db) ? OpenPostgresSource(db, out) : OpenSqliteSource(db, out);
}

}  // namespace sitrep
