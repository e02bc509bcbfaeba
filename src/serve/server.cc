#include "serve/server.h"

#include <httplib.h>

#include <filesystem>
#include <thread>

#include "serve/api.h"

namespace sitrep {
namespace {
constexpr int kDefaultThreads = 16;
}  // namespace

struct Server::Impl {
  Impl(const SqlSource& db, ServeOptions o) : api(db), options(std::move(o)) {}
  Api api;
  ServeOptions options;
  httplib::Server http;
};

Server::Server(const SqlSource& db, ServeOptions options) : impl_(new Impl(db, std::move(options))) {}
Server::~Server() { delete impl_; }

void Server::Stop() { impl_->http.stop(); }

Result Server::Run(const std::function<void(const std::string& address)>& on_listening) {
  httplib::Server& http = impl_->http;
  const ServeOptions& o = impl_->options;
  // A worker serves one connection at a time, and a browser holds several open between
  // requests (keep-alive): the pool must outnumber them or the page stalls. Idle
  // connections are let go after a second.
  const int threads = o.threads > 0 ? o.threads : kDefaultThreads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_keep_alive_timeout(1);
  http.Get(R"(/api/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    ApiParams params;
    for (const auto& [key, value] : req.params) params[key] = value;
    const ApiResponse answer = impl_->api.Get(req.path, params);
    res.status = answer.status;
    // Answers change only when the database does; let the browser revalidate.
    res.set_header("Cache-Control", "no-cache");
    res.set_content(answer.body, answer.content_type.c_str());
  });
  bool page = false;
  if (!o.web_dir.empty() && std::filesystem::is_regular_file(std::filesystem::path(o.web_dir) / "index.html")) {
    page = http.set_mount_point("/", o.web_dir);
  }
  if (!page) {
    const std::string why = o.web_dir.empty() ? "no page folder given (--web)"
                                              : "the page is not built in " + o.web_dir;
    http.Get("/", [why](const httplib::Request&, httplib::Response& res) {
      res.set_content("<!doctype html><title>sitrep</title><p>sitrep serve: " + why +
                          " (cmake --build build --target web). The API answers under "
                          "<a href=\"/api/summary\">/api/summary</a> (docs/api.md).</p>",
                      "text/html; charset=utf-8");
    });
  }
  // cpp-httplib compresses text/* and exactly "application/json" or
  // "application/javascript" at its libraries' default (slowest) levels: a 400 KB answer
  // took 1.6 s as brotli and 16 ms as it is. On a loopback or a team's LAN sending is
  // cheaper, so the API's and the bundle's types carry a charset, which leaves them out.
  http.set_file_extension_and_mimetype_mapping("js", "application/javascript; charset=utf-8");
  http.set_file_extension_and_mimetype_mapping("geojson", "application/geo+json");
  int port = o.port;
  if (port == 0) {
    port = http.bind_to_any_port(o.host);
    if (port < 0) return Result::Error("cannot bind " + o.host + " to any port");
  } else if (!http.bind_to_port(o.host, port)) {
    return Result::Error("cannot bind " + o.host + ":" + std::to_string(port) +
                         " (in use? try --port 0 for any free port)");
  }
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  if (on_listening) on_listening("http://" + host + ":" + std::to_string(port) + "/");
  if (!http.listen_after_bind()) return Result::Error("the server stopped with an error");
  return Result::Ok();
}

}  // namespace sitrep
