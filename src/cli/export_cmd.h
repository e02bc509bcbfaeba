// `sitrep export --db postgresql://… FILE.db`: a sitrep SQLite database into a team's
// PostgreSQL/PostGIS database, by doc_id, and that whole record fused again
// (output/pg_export.h).
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

#include "output/record_sink.h"

namespace sitrep {

struct ExportArgs {
  std::string input;  // the SQLite database (from `extract --db`)
  std::string db;     // postgresql://user@host:port/dbname (or a libpq key=value string)
  size_t batch = kDefaultSqliteBatch;  // documents per transaction
  std::string data_dir;
  bool quiet = false;
};

// Returns the process exit status: 0 ok, 1 when the file cannot be read or the database
// written, 2 for bad arguments.
int RunExport(const ExportArgs& args);

CLI::App* AddExportCommand(CLI::App& app, int& exit_code);

}  // namespace sitrep
