// `sitrep gazetteer build|update|lookup|info`: compiles the gazetteer file from GeoNames
// dumps and the curated supplements in data/gazetteer/, refreshes the dumps from
// download.geonames.org, and looks names up in a compiled file.
#pragma once

#include <CLI/CLI.hpp>

namespace sitrep {

// Adds the `gazetteer` subcommand to app. When it runs, exit_code is set to its status.
CLI::App* AddGazetteerCommand(CLI::App& app, int& exit_code);

}  // namespace sitrep
