// The sitrep command. Each subcommand lives in its own *_cmd.cc over a library
// function that the tests call directly.
#include <CLI/CLI.hpp>

#include "cli/export_cmd.h"
#include "cli/extract_cmd.h"
#include "cli/fuse_cmd.h"
#include "cli/gazetteer_cmd.h"
#include "cli/serve_cmd.h"

int main(int argc, char** argv) {
  CLI::App app{"sitrep: war reporting in; sourced, geolocated, de-duplicated events out"};
  app.set_version_flag("--version", std::string("sitrep ") + SITREP_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  sitrep gazetteer build                      compile the gazetteer (once)\n"
      "  sitrep extract examples/ -o out/events.jsonl --db out/sitrep.db\n"
      "  sitrep fuse out/events.jsonl -o out/fused.jsonl   one event from many reports\n"
      "  sitrep control --date 2022-04-02 out/fused.jsonl  who held what that day\n"
      "  sitrep serve --db out/sitrep.db             the page: map, timeline, evidence\n"
      "  sitrep export --db postgresql://host/db out/sitrep.db   into a team's PostgreSQL\n"
      "  sitrep extract --help                       every option of a command");
  int exit_code = 0;
  sitrep::AddExtractCommand(app, exit_code);
  sitrep::AddGazetteerCommand(app, exit_code);
  sitrep::AddFuseCommand(app, exit_code);
  sitrep::AddControlCommand(app, exit_code);
  sitrep::AddServeCommand(app, exit_code);
  sitrep::AddExportCommand(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
