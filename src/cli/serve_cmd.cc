#include "cli/serve_cmd.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "base/paths.h"
#include "output/pg_export.h"
#include "serve/server.h"
#include "serve/sql_source.h"

namespace sitrep {

std::string FindWebDir(const std::string& given) {
  if (!given.empty()) return given;
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SITREP_WEB"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  candidates.push_back(ExecutableDir() + "/web");
#ifdef SITREP_BUILD_WEB
  candidates.emplace_back(SITREP_BUILD_WEB);
#endif
  for (const std::string& dir : candidates) {
    if (FileExists(dir + "/index.html")) return dir;
  }
  return "";
}

int RunServe(const ServeArgs& args) {
  std::unique_ptr<SqlSource> db;
  if (Result r = OpenSqlSource(args.db, &db); !r.ok()) {
    std::fprintf(stderr, "sitrep serve: %s\n", r.message().c_str());
    return 1;
  }
  ServeOptions options;
  options.host = args.host;
  options.port = args.port;
  options.threads = args.threads;
  options.web_dir = FindWebDir(args.web_dir);
  if (options.web_dir.empty()) {
    std::fprintf(stderr,
                 "sitrep serve: the page is not built (cmake --build build --target web); "
                 "serving the API alone\n");
  }
  // SIGINT and SIGTERM are taken by a thread of their own, which stops the server:
  // the server's threads never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  Server server(*db, options);
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.Stop();
  });
  const Result r = server.Run([&](const std::string& address) {
    std::printf("sitrep serve: %s (%s, %s); Ctrl-C stops\n", address.c_str(),
                std::string(db->Backend()).c_str(), RedactPostgresUrl(args.db).c_str());
    std::fflush(stdout);
  });
  if (!r.ok()) {
    std::fprintf(stderr, "sitrep serve: %s\n", r.message().c_str());
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 1;
  }
  waiter.join();
  return 0;
}

CLI::App* AddServeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "The page (map, timeline, evidence) and a JSON API over a database");
  cmd->add_option("--db", args->db, "sitrep SQLite file or postgresql:// URL")->required();
  cmd->add_option("--host", args->host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", args->port, "port (0: any free one)")->capture_default_str()->check(CLI::Range(0, 65535));
  cmd->add_option("--web", args->web_dir, "the built page's folder (default: web/ beside the binary)");
  cmd->add_option("--threads", args->threads, "worker threads, one per open connection (0: 16)");
  cmd->footer(
      "The API is described in docs/api.md.\n\n"
      "Examples:\n"
      "  sitrep serve --db out/sitrep.db                 then open http://127.0.0.1:8080/\n"
      "  sitrep serve --db postgresql://me@db.example/sitrep --host 0.0.0.0");
  cmd->callback([args, &exit_code] { exit_code = RunServe(*args); });
  return cmd;
}

}  // namespace sitrep
