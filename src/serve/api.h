// The JSON API of `sitrep serve` (docs/api.md), apart from HTTP: a path and its query
// parameters in, a status and a body out. The server (server.h) and the tests call it
// alike; it holds no state between requests, so one instance serves every thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "serve/sql_source.h"

namespace sitrep {

struct ApiResponse {
  int status = 200;
  std::string body;
  // With a charset: cpp-httplib then leaves the answer uncompressed (server.cc).
  std::string content_type = "application/json; charset=utf-8";
};

// Query parameters by name (the last value wins when one repeats).
using ApiParams = std::map<std::string, std::string, std::less<>>;

class Api {
 public:
  explicit Api(const SqlSource& db) : db_(db) {}
  // path: "/api/events", "/api/documents/ID", ... (already URL-decoded).
  ApiResponse Get(std::string_view path, const ApiParams& params) const;

 private:
  const SqlSource& db_;
};

}  // namespace sitrep
