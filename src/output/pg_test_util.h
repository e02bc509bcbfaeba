// Test helpers for PostgreSQL: the throw-away server of scripts/pg-test-server (ctest's
// "pg" fixture starts it) and a fresh database per test. Header-only, for *_test.cc.
//
// Test suites whose names begin with "Pg" need the server: CMake gives only them the
// fixture and SITREP_PG_URL_FILE (sitrep_stage in the top CMakeLists.txt). They are
// skipped only when that file is absent (PostgreSQL or PostGIS cannot be installed);
// when it exists they run, and a server that does not answer fails them.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "output/pg_export.h"

namespace sitrep::testing {

// The URL of the test server's database sitrep_test (which has postgis); "" with the
// reason in *why when there is none.
inline std::string PgTestServerUrl(std::string* why) {
  const char* file = std::getenv("SITREP_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    *why = "SITREP_PG_URL_FILE is not set (run the test through ctest, which starts the server)";
    return "";
  }
  std::ifstream in(file);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty()) {
    *why = std::string("no PostgreSQL test server: ") + file +
           " is absent (scripts/pg-test-server could not start one: PostgreSQL or PostGIS "
           "is not installed)";
    return "";
  }
  return url;
}

// The same server, another database.
inline std::string PgUrlWithDatabase(const std::string& url, const std::string& name) {
  const size_t slash = url.rfind('/');
  return url.substr(0, slash) + "/" + name;
}

// Runs one statement; the first column of the first row as text ("<null>", "<none>").
inline std::string PgText(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  std::string out = "<none>";
  const ExecStatusType status = PQresultStatus(r);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
  } else if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) {
    out = PQgetisnull(r, 0, 0) ? "<null>" : PQgetvalue(r, 0, 0);
  }
  PQclear(r);
  return out;
}

// A fixture: a database of the test's own, a copy of sitrep_test, dropped afterwards.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    server_ = PgTestServerUrl(&why);
    if (server_.empty()) GTEST_SKIP() << why;
    static std::atomic<int> counter{0};
    name_ = "sitrep_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    // CREATE DATABASE from a template nobody is connected to: work from database postgres.
    const Result r = ConnectPostgres(PgUrlWithDatabase(server_, "postgres"), &admin_);
    ASSERT_TRUE(r.ok()) << r.message();
    PgText(admin_.get(), "CREATE DATABASE " + name_ + " TEMPLATE sitrep_test");
    ASSERT_FALSE(HasFailure()) << "cannot create the test database";
    url_ = PgUrlWithDatabase(server_, name_);
    const Result c = ConnectPostgres(url_, &conn_);
    ASSERT_TRUE(c.ok()) << c.message();
    PgText(conn_.get(), "SET extra_float_digits = 3");
  }
  void TearDown() override {
    conn_.reset();
    if (admin_ != nullptr && !name_.empty()) {
      PgText(admin_.get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }

  const std::string& url() const { return url_; }
  PGconn* conn() const { return conn_.get(); }
  std::string Text(const std::string& sql) const { return PgText(conn_.get(), sql); }
  int64_t Int(const std::string& sql) const { return std::stoll(Text(sql)); }

 private:
  std::string server_, name_, url_;
  PgConn admin_, conn_;
};

}  // namespace sitrep::testing
