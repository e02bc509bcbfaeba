// `sitrep fuse`: the records of `sitrep extract` in, the same records out with each
// event's cluster and each article's corroboration, then `cluster` and `control`
// records (fusion/fuser.h). `sitrep control --date D`: who held what on a day.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace sitrep {

struct FuseArgs {
  std::vector<std::string> inputs;  // JSON Lines files of extract's records; "-" stdin
  std::string output = "-";
  std::string db;       // fuse the events of this SQLite database in place instead
  // With db: only these documents were added; fuse again what they touch (else all).
  const std::vector<std::string>* touched = nullptr;
  std::string data_dir;
  bool quiet = false;
  int window_days = 0;  // 0: the default (output/fusion_stream.h)
};

// Returns the process exit status: 0 ok, 1 when an input cannot be read or the output
// cannot be written.
int RunFuse(const FuseArgs& args);

struct ControlArgs {
  std::vector<std::string> inputs;  // records of extract or of fuse
  std::string date;                 // YYYY-MM-DD
  std::string place;                // only settlements whose name starts with this
  std::string db;                   // or the events of this SQLite database
  bool json = false;
  std::string data_dir;
};

int RunControl(const ControlArgs& args);

CLI::App* AddFuseCommand(CLI::App& app, int& exit_code);
CLI::App* AddControlCommand(CLI::App& app, int& exit_code);

}  // namespace sitrep
