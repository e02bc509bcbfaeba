// `sitrep extract`: articles in, records out (JSONL, CSV, GeoJSON, SQLite).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace sitrep {

struct ExtractArgs {
  std::vector<std::string> inputs;
  std::string output = "-";
  std::string format;   // "" = from the output's extension, else jsonl
  std::string db;       // SQLite database, "" = none
  int jobs = 0;         // 0 = every core
  std::string progress = "auto";
  bool quiet = false;
  bool fuse = false;    // also run `sitrep fuse` over the records (JSON Lines only)
  // Documents stored unchanged (same content hash and data version) are skipped when
  // the run writes a database; --incremental does it for a JSON Lines output file
  // alone. force: none is skipped.
  bool force = false;
  bool incremental = false;
  std::string data_dir;
  std::string gazetteer;
};

// Runs the extraction; returns the process exit status (0 ok; 1 when nothing could
// be read or the output could not be written; 2 for bad arguments).
int RunExtract(const ExtractArgs& args);

// Adds the `extract` subcommand to app. When it runs, exit_code is set to its status.
CLI::App* AddExtractCommand(CLI::App& app, int& exit_code);

}  // namespace sitrep
