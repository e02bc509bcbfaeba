// The sitrep command: subcommands extract, gazetteer, ... (see cli/*_cmd.h).
#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  CLI::App app{"sitrep: war reporting in, sourced and geolocated events out"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
