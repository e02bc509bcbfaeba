#include "cli/export_cmd.h"

#include <cstdio>
#include <memory>

#include "base/paths.h"
#include "fusion/fuser.h"
#include "output/pg_export.h"
#include "serve/sql_source.h"

namespace sitrep {

int RunExport(const ExportArgs& args) {
  if (!IsPostgresUrl(args.db)) {
    std::fprintf(stderr, "sitrep export: --db needs a PostgreSQL URL (postgresql://user@host:port/dbname), not '%s'\n",
                 RedactPostgresUrl(args.db).c_str());
    return 2;
  }
  const std::string data = args.data_dir.empty() ? DataDir() : args.data_dir;
  std::string error;
  const auto fuser = Fuser::Load(data, &error);
  const auto weights = fuser != nullptr ? SignalWeights::Load(data, &error) : std::nullopt;
  if (fuser == nullptr || !weights) {
    std::fprintf(stderr, "sitrep export: %s\n", error.c_str());
    return 1;
  }
  PgExportOptions options;
  options.batch = args.batch;
  PgExportSummary s;
  const Result r = ExportToPostgres(args.input, args.db, *fuser, *weights, options, &s);
  if (s.replaced_bytes > 0) {
    std::fprintf(stderr,
                 "sitrep export: %zu bytes PostgreSQL cannot hold in text (NUL, invalid UTF-8) "
                 "were replaced (by a space, '?')\n",
                 s.replaced_bytes);
  }
  if (!r.ok()) {
    std::fprintf(stderr, "sitrep export: %s\n", r.message().c_str());
    if (s.documents > 0) {
      std::fprintf(stderr, "sitrep export: %zu documents were stored before the error; run it again\n",
                   s.documents);
    }
    return 1;
  }
  if (!args.quiet) {
    std::fprintf(stderr,
                 "sitrep export: %zu documents (%zu events, %zu places, %zu quantities) from %s to %s\n"
                 "  the record fused again: %zu events from %zu documents in %zu clusters (%zu with 2+ "
                 "independent sources; %zu contradicting); %zu control records; %zu documents' "
                 "credibility changed\n",
                 s.documents, s.events, s.places, s.quantities, args.input.c_str(),
                 RedactPostgresUrl(args.db).c_str(), s.fusion.events, s.fusion.documents,
                 s.fusion.clusters, s.fusion.corroborated, s.fusion.contradicting, s.fusion.control,
                 s.credibility_updated);
  }
  return 0;
}

CLI::App* AddExportCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Copy a sitrep SQLite database into PostgreSQL/PostGIS (a team's shared record)");
  cmd->add_option("input", args->input, "The SQLite database (from `sitrep extract --db`)")->required();
  cmd->add_option("--db", args->db, "postgresql://user[:password]@host[:port]/dbname")->required();
  cmd->add_option("--batch", args->batch, "Documents per transaction")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--data", args->data_dir, "sitrep's data directory (default: found)");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary");
  cmd->footer(
      "Creates the tables (as in SQLite, plus PostGIS points with spatial indexes) when missing,\n"
      "replaces the file's documents by doc_id (documents only in PostgreSQL are kept), then\n"
      "fuses every document of the database again: clusters and control span everyone's files.\n"
      "The database needs the postgis extension (CREATE EXTENSION postgis, by a superuser).\n"
      "Examples:\n"
      "  sitrep export --db postgresql://ann@db.example/sitrep out/sitrep.db\n"
      "  sitrep extract articles/ --db postgresql://ann@db.example/sitrep   (the same, in one run)\n"
      "  sitrep serve --db postgresql://ann@db.example/sitrep");
  cmd->callback([args, &exit_code] { exit_code = RunExport(*args); });
  return cmd;
}

}  // namespace sitrep
