// The HTTP server of `sitrep serve`: the JSON API (api.h) under /api/ and the page's
// static files (the built web/ folder) under /. Read-only; GET only.
#pragma once

#include <functional>
#include <string>

#include "doc/stage.h"
#include "serve/sql_source.h"

namespace sitrep {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;       // 0: any free port
  std::string web_dir;   // the built page; empty or missing: the API alone
  int threads = 0;       // worker threads, one per open connection (0: 16)
};

// Binds, calls on_listening with the address ("http://127.0.0.1:8080/"), and serves
// until Stop() (from another thread or a signal handler) ends it. Fails when it cannot
// bind, naming the address.
class Server {
 public:
  Server(const SqlSource& db, ServeOptions options);
  ~Server();
  Result Run(const std::function<void(const std::string& address)>& on_listening);
  void Stop();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace sitrep
