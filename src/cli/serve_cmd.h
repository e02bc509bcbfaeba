// `sitrep serve`: the page and the JSON API (docs/api.md) over a sitrep database, the
// embedded SQLite file or a PostgreSQL URL. Read-only.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace sitrep {

struct ServeArgs {
  std::string db;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string web_dir;  // "": $SITREP_WEB, beside the executable (web/), the build's
  int threads = 0;
};

// The page's folder: the one given, else $SITREP_WEB, else web/ beside the executable,
// else the build tree's; "" when none holds index.html.
std::string FindWebDir(const std::string& given);

// Serves until SIGINT or SIGTERM. Returns the exit status (1 when the database cannot be
// opened or the address bound).
int RunServe(const ServeArgs& args);

CLI::App* AddServeCommand(CLI::App& app, int& exit_code);

}  // namespace sitrep
