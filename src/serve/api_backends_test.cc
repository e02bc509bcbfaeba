// The API over SQLite and over PostgreSQL, against each other (RE2's tester.h: two
// implementations of one thing): a database made by the real pipeline, exported to the
// test server, and every endpoint of docs/api.md asked on both with filters, paging,
// boxes, dates and unknown ids. The answers must be the same byte for byte, apart from
// /api/summary's "backend". Needs the PostgreSQL test server (output/pg_test_util.h).
#include <gtest/gtest.h>

#include <set>

#include "base/paths.h"
#include "output/pg_export.h"
#include "output/pg_test_util.h"
#include "output/sqlite_fusion.h"
#include "serve/api.h"
#include "serve/serve_test_util.h"

namespace sitrep {
namespace {

struct Request {
  std::string path;
  ApiParams params;
};

std::string Describe(const Request& r) {
  std::string s = r.path;
  char sep = '?';
  for (const auto& [k, v] : r.params) {
    s += sep + k + "=" + v;
    sep = '&';
  }
  return s;
}

class PgApiBackends : public testing::PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    path_ = BuildTestDatabase("api_backends");
    ASSERT_FALSE(path_.empty());
    std::string error;
    auto fuser = Fuser::Load(DataDir(), &error);
    ASSERT_NE(fuser, nullptr) << error;
    auto weights = SignalWeights::Load(DataDir(), &error);
    ASSERT_TRUE(weights) << error;
    // extract --db fuses what each run adds; the export fuses the whole record. Fusing the
    // whole file too makes the two records the same, which is what is compared here.
    DatabaseFusion fused;
    Result r = FuseDatabase(path_, *fuser, *weights, nullptr, &fused);
    ASSERT_TRUE(r.ok()) << r.message();
    PgExportSummary summary;
    r = ExportToPostgres(path_, url(), *fuser, *weights, PgExportOptions{}, &summary);
    ASSERT_TRUE(r.ok()) << r.message();
    r = OpenSqliteSource(path_, &sqlite_);
    ASSERT_TRUE(r.ok()) << r.message();
    r = OpenPostgresSource(url(), &pg_);
    ASSERT_TRUE(r.ok()) << r.message();
  }
  void TearDown() override {
    pg_.reset();
    sqlite_.reset();
    RemoveDatabase(path_);
    PgTest::TearDown();
  }

  // Asks both; expects the same status and body. Returns SQLite's answer.
  ApiResponse Both(const Request& request) {
    const ApiResponse lite = Api(*sqlite_).Get(request.path, request.params);
    const ApiResponse pg = Api(*pg_).Get(request.path, request.params);
    EXPECT_EQ(pg.status, lite.status) << Describe(request) << "\n" << pg.body;
    EXPECT_EQ(pg.content_type, lite.content_type) << Describe(request);
    std::string expected = lite.body;
    if (request.path == "/api/summary") {
      const std::string from = "\"backend\":\"sqlite\"", to = "\"backend\":\"postgresql\"";
      const size_t at = expected.find(from);
      EXPECT_NE(at, std::string::npos) << lite.body;
      if (at != std::string::npos) expected.replace(at, from.size(), to);
    }
    EXPECT_EQ(pg.body, expected) << Describe(request);
    ++asked_;
    return lite;
  }

  // The "total" of an answer that must be a 200.
  int64_t Total(const Request& request) {
    const ApiResponse r = Both(request);
    EXPECT_EQ(r.status, 200) << Describe(request) << ": " << r.body;
    Json json = ParseJson(r.body);
    int64_t total = -1;
    EXPECT_EQ(json.doc["total"].get(total), simdjson::SUCCESS) << Describe(request) << ": " << r.body;
    return total;
  }

  std::string path_;
  std::unique_ptr<SqlSource> sqlite_, pg_;
  int asked_ = 0;
};

TEST_F(PgApiBackends, EveryEndpointAnswersTheSameOnBothBackEnds) {
  // What the record holds, to ask about it.
  const ApiResponse summary = Both({"/api/summary", {}});
  Json s = ParseJson(summary.body);
  ASSERT_GT(int64_t(s.doc["documents"]), 0);
  ASSERT_GT(int64_t(s.doc["events"]), 5);
  ASSERT_GT(int64_t(s.doc["clusters"]), 0);
  ASSERT_GT(int64_t(s.doc["control"]), 0);

  std::set<std::string> event_ids, doc_ids, cluster_ids, sources, outlets;
  {
    Json all = ParseJson(Both({"/api/events", {{"limit", "5000"}}}).body);
    for (simdjson::dom::element e : all.doc["events"].get_array()) {
      event_ids.insert(std::string(std::string_view(e["id"])));
      doc_ids.insert(std::string(std::string_view(e["doc_id"])));
      if (!e["cluster_id"].is_null()) cluster_ids.insert(std::string(std::string_view(e["cluster_id"])));
      if (!e["source_name"].is_null()) sources.insert(std::string(std::string_view(e["source_name"])));
      if (!e["outlet"].is_null()) outlets.insert(std::string(std::string_view(e["outlet"])));
    }
  }
  ASSERT_FALSE(sources.empty());
  ASSERT_FALSE(outlets.empty());

  // The event list: paging, every filter alone and together.
  const int64_t all = Total({"/api/events", {}});
  EXPECT_EQ(all, int64_t(s.doc["events"]));
  for (const char* limit : {"1", "2", "3", "200"}) {
    for (const char* offset : {"0", "1", "4", "100"}) {
      Total({"/api/events", {{"limit", limit}, {"offset", offset}}});
    }
  }
  const std::vector<ApiParams> filters = {
      {{"bbox", "35,49,37,51"}},                       // Kharkiv
      {{"bbox", "22,44,41,53"}},                       // all of Ukraine
      {{"bbox", "36.2,49.9,36.3,50.1"}},               // a few kilometres
      {{"bbox", "0,0,1,1"}},                           // nothing
      {{"from", "2022-03-01"}, {"to", "2022-03-31"}},
      {{"from", "2022-06-01"}},
      {{"to", "2022-06-01"}},
      {{"type", "shelling"}},
      {{"type", "capture,recapture,withdrawal"}},
      {{"family", "combat"}},
      {{"family", "territory,humanitarian"}},
      {{"side", "RU"}},
      {{"side", "UA,RU"}},
      {{"status", "asserted,claimed"}},
      {{"status", "reported"}},
      {{"source", *sources.begin()}},
      {{"outlet", *outlets.begin()}},
      {{"doc", *doc_ids.begin()}},
      {{"min_sources", "1"}},
      {{"min_sources", "2"}},
      {{"min_sources", "3"}},
      {{"negated", "0"}},
      {{"negated", "1"}},
      {{"side", "RU"}, {"type", "shelling"}, {"min_sources", "2"}, {"from", "2022-03-01"},
       {"to", "2022-03-31"}, {"bbox", "35,49,37,51"}},
      {{"family", "territory"}, {"side", "RU,UA"}, {"negated", "0"}},
  };
  for (const ApiParams& f : filters) {
    Total({"/api/events", f});
    ApiParams paged = f;
    paged["limit"] = "1";
    paged["offset"] = "1";
    Total({"/api/events", paged});
    for (const char* cell : {"0.01", "0.5", "2", "10"}) {
      ApiParams p = f;
      p["cell"] = cell;
      Total({"/api/grid", p});
    }
    for (const char* bucket : {"day", "week", "month"}) {
      ApiParams p = f;
      p["bucket"] = bucket;
      Total({"/api/timeline", p});
    }
    ApiParams cluster_filter;
    for (const auto& [k, v] : f) {
      if (k == "bbox" || k == "from" || k == "to" || k == "type" || k == "side" || k == "status" ||
          k == "min_sources")
        cluster_filter[k] = v;
    }
    Total({"/api/clusters", cluster_filter});
    cluster_filter["limit"] = "2";
    cluster_filter["offset"] = "1";
    Total({"/api/clusters", cluster_filter});
  }
  // Not trivial: these select something.
  EXPECT_GT(Total({"/api/events", {{"type", "shelling"}}}), 0);
  EXPECT_GT(Total({"/api/events", {{"min_sources", "2"}}}), 0);
  EXPECT_GT(Total({"/api/events", {{"bbox", "35,49,37,51"}}}), 0);
  EXPECT_LT(Total({"/api/events", {{"bbox", "35,49,37,51"}}}), all);
  EXPECT_GT(Total({"/api/events", {{"from", "2022-03-01"}, {"to", "2022-03-31"}}}), 0);
  EXPECT_GT(Total({"/api/grid", {{"cell", "0.5"}}}), 0);
  EXPECT_GT(Total({"/api/timeline", {{"bucket", "week"}}}), 0);
  EXPECT_GT(Total({"/api/clusters", {{"min_sources", "2"}}}), 0);
  for (const char* limit : {"1", "3"}) {
    for (const char* offset : {"0", "2", "50"}) Total({"/api/clusters", {{"limit", limit}, {"offset", offset}}});
  }

  // Every record by its id, and ids that are not there.
  for (const std::string& id : event_ids) Both({"/api/events/" + id, {}});
  for (const std::string& id : doc_ids) Both({"/api/documents/" + id, {}});
  for (const std::string& id : cluster_ids) Both({"/api/clusters/" + id, {}});
  for (const std::string path : {"/api/events/nope#1", "/api/documents/nope", "/api/clusters/c:nope"}) {
    EXPECT_EQ(Both({path, {}}).status, 404) << path;
  }

  // Who held what, on days before, between and after the captures, in boxes.
  int settlements = 0;
  for (const char* date : {"2014-01-01", "2022-02-23", "2022-03-10", "2022-04-02", "2022-09-20", "2023-01-01"}) {
    for (const ApiParams& box : std::vector<ApiParams>{{}, {{"bbox", "35,49,38,51"}}, {{"bbox", "0,0,1,1"}}}) {
      ApiParams p = box;
      p["date"] = date;
      Json control = ParseJson(Both({"/api/control", p}).body);
      settlements += static_cast<int>(control.doc["settlements"].get_array().size());
    }
  }
  EXPECT_GT(settlements, 0);

  // Refusals are the same too.
  for (const Request& bad : std::vector<Request>{{"/api/events", {{"limit", "x"}}},
                                                 {"/api/events", {{"bbox", "1,2,3"}}},
                                                 {"/api/events", {{"colour", "red"}}},
                                                 {"/api/grid", {{"cell", "100"}}},
                                                 {"/api/control", {{"date", "soon"}}},
                                                 {"/api/nothing", {}}}) {
    EXPECT_GE(Both(bad).status, 400) << Describe(bad);
  }
  EXPECT_GT(asked_, 300);
}

}  // namespace
}  // namespace sitrep
