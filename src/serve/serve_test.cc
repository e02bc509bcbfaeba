// The API of `sitrep serve` over a database made by the real pipeline from articles we
// wrote (serve_test_util.h), and the HTTP server in front of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "base/civil_date.h"
#include "doc/types.h"

#include "serve/api.h"
#include "serve/serve_test_util.h"
#include "serve/server.h"

namespace sitrep {
namespace {

using ::testing::HasSubstr;

// The fields of an /api/events row the tests look at.
struct Row {
  std::string id, doc_id, type, side, date;
  bool located = false;
  double lat = 0, lon = 0;
  int64_t sources = 0;
};

Row ToRow(simdjson::dom::element e) {
  Row r;
  r.id = std::string(std::string_view(e["id"]));
  r.doc_id = std::string(std::string_view(e["doc_id"]));
  r.type = std::string(std::string_view(e["type"]));
  r.side = std::string(std::string_view(e["side"]));
  if (!e["date"].is_null()) r.date = std::string(std::string_view(e["date"]));
  r.located = !e["lat"].is_null();
  if (r.located) {
    r.lat = double(e["lat"]);
    r.lon = double(e["lon"]);
  }
  r.sources = int64_t(e["independent_sources"]);
  return r;
}

std::string Str(simdjson::simdjson_result<simdjson::dom::element> e) {
  return std::string(std::string_view(e));
}

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { db_path_ = new std::string(BuildTestDatabase("api_test")); }
  static void TearDownTestSuite() {
    RemoveDatabase(*db_path_);
    delete db_path_;
  }
  void SetUp() override {
    ASSERT_FALSE(db_path_->empty()) << "the test database could not be built";
    Result r = OpenSqliteSource(*db_path_, &db_);
    ASSERT_TRUE(r.ok()) << r.message();
    api_ = std::make_unique<Api>(*db_);
  }

  Json Get(std::string_view path, const ApiParams& params = {}, int status = 200) {
    const ApiResponse r = api_->Get(path, params);
    EXPECT_EQ(r.status, status) << path << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
    return ParseJson(r.body);
  }

  // Every event the filters select, through every page.
  std::vector<Row> AllEvents(ApiParams params, int64_t limit = 2) {
    params["limit"] = std::to_string(limit);
    std::vector<Row> rows;
    int64_t offset = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      params["offset"] = std::to_string(offset);
      Json page = Get("/api/events", params);
      for (simdjson::dom::element e : page.doc["events"].get_array()) rows.push_back(ToRow(e));
      if (page.doc["next_offset"].is_null()) break;
      offset = int64_t(page.doc["next_offset"]);
    }
    return rows;
  }

  static std::string* db_path_;
  std::unique_ptr<SqlSource> db_;
  std::unique_ptr<Api> api_;
};

std::string* ApiTest::db_path_ = nullptr;

TEST_F(ApiTest, SummaryCountsWhatTheDatabaseHolds) {
  Json s = Get("/api/summary");
  EXPECT_EQ(int64_t(s.doc["documents"]), static_cast<int64_t>(TestArticles().size()));
  const int64_t events = int64_t(s.doc["events"]);
  EXPECT_GE(events, 6);
  int64_t by_type = 0;
  for (auto [key, value] : s.doc["types"].get_object()) by_type += int64_t(value);
  EXPECT_EQ(by_type, events);
  EXPECT_FALSE(s.doc["types"]["capture"].error());
  EXPECT_FALSE(s.doc["types"]["recapture"].error());
  EXPECT_FALSE(s.doc["sides"]["RU"].error());
  EXPECT_EQ(Str(s.doc["date_min"]), "2022-03-03");
  EXPECT_EQ(Str(s.doc["backend"]), "sqlite");
  EXPECT_GT(int64_t(s.doc["clusters"]), 0);
  EXPECT_GT(int64_t(s.doc["control"]), 0);
}

TEST_F(ApiTest, EventsComeInDateOrderAndPagesJoinUp) {
  Json whole = Get("/api/events", {{"limit", "5000"}});
  const int64_t total = int64_t(whole.doc["total"]);
  EXPECT_TRUE(whole.doc["next_offset"].is_null());
  const std::vector<Row> paged = AllEvents({}, 2);
  ASSERT_EQ(static_cast<int64_t>(paged.size()), total);
  std::vector<std::string> whole_ids;
  for (simdjson::dom::element e : whole.doc["events"].get_array()) whole_ids.push_back(Str(e["id"]));
  std::string last_date;
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].id, whole_ids[i]);
    if (!paged[i].date.empty()) {
      EXPECT_LE(last_date, paged[i].date);
      last_date = paged[i].date;
    }
  }
  Json first = Get("/api/events", {{"limit", "2"}});
  EXPECT_EQ(first.doc["events"].get_array().size(), 2u);
  EXPECT_EQ(int64_t(first.doc["next_offset"]), 2);
}

TEST_F(ApiTest, FiltersSelectOnlyMatchingEvents) {
  Json s = Get("/api/summary");
  const std::vector<Row> shelling = AllEvents({{"type", "shelling"}});
  EXPECT_EQ(static_cast<int64_t>(shelling.size()), int64_t(s.doc["types"]["shelling"]));
  for (const Row& e : shelling) EXPECT_EQ(e.type, "shelling");

  const std::vector<Row> two = AllEvents({{"type", "capture,recapture"}});
  EXPECT_EQ(static_cast<int64_t>(two.size()),
            int64_t(s.doc["types"]["capture"]) + int64_t(s.doc["types"]["recapture"]));

  for (const Row& e : AllEvents({{"side", "UA"}})) EXPECT_EQ(e.side, "UA");
  EXPECT_FALSE(AllEvents({{"side", "UA"}, {"type", "recapture"}}).empty());
  const std::vector<Row> september = AllEvents({{"from", "2022-09-01"}, {"to", "2022-09-30"}});
  EXPECT_FALSE(september.empty());
  for (const Row& e : september) {
    EXPECT_GE(e.date, "2022-09-01");
    EXPECT_LE(e.date, "2022-09-30");
  }
  const std::vector<Row> one_doc = AllEvents({{"doc", "delta-1"}});
  ASSERT_EQ(one_doc.size(), 1u);
  EXPECT_EQ(one_doc[0].type, "withdrawal");
}

TEST_F(ApiTest, BoundingBoxKeepsEventsInside) {
  // Around Kharkiv city (50.0 N, 36.2 E): its shelling, not Kherson's withdrawal.
  const std::vector<Row> inside = AllEvents({{"bbox", "35.9,49.8,36.5,50.1"}});
  ASSERT_FALSE(inside.empty());
  for (const Row& e : inside) {
    EXPECT_GE(e.lon, 35.9);
    EXPECT_LE(e.lat, 50.1);
    EXPECT_NE(e.type, "withdrawal");
  }
  EXPECT_TRUE(AllEvents({{"bbox", "-10,-10,-9,-9"}}).empty());
}

TEST_F(ApiTest, MinSourcesKeepsCorroboratedEvents) {
  // A governor and a mayor report the shelling of Kharkiv: one cluster, two sources.
  const std::vector<Row> corroborated = AllEvents({{"min_sources", "2"}});
  ASSERT_FALSE(corroborated.empty());
  std::set<std::string> docs;
  for (const Row& e : corroborated) {
    EXPECT_GE(e.sources, 2);
    EXPECT_EQ(e.type, "shelling");
    docs.insert(e.doc_id);
  }
  EXPECT_EQ(docs, (std::set<std::string>{"alpha-1", "beta-1"}));
  EXPECT_LT(corroborated.size(), AllEvents({}).size());
}

TEST_F(ApiTest, BadParametersAreRefusedNamingThem) {
  for (const auto& [params, named] : std::vector<std::pair<ApiParams, std::string>>{
           {{{"bbox", "1,2,3"}}, "bbox"},
           {{{"bbox", "3,2,1,4"}}, "bbox"},
           {{{"from", "2022-13-01"}}, "from"},
           {{{"to", "yesterday"}}, "to"},
           {{{"limit", "0"}}, "limit"},
           {{{"limit", "100000"}}, "limit"},
           {{{"offset", "-1"}}, "offset"},
           {{{"min_sources", "many"}}, "min_sources"},
           {{{"tpye", "shelling"}}, "tpye"}}) {
    Json r = Get("/api/events", params, 400);
    EXPECT_THAT(Str(r.doc["error"]), HasSubstr(named));
  }
  EXPECT_THAT(Str(Get("/api/grid", {{"cell", "0"}}, 400).doc["error"]), HasSubstr("cell"));
  EXPECT_THAT(Str(Get("/api/timeline", {{"bucket", "year"}}, 400).doc["error"]), HasSubstr("bucket"));
  EXPECT_THAT(Str(Get("/api/control", {}, 400).doc["error"]), HasSubstr("date"));
  Get("/api/nothing", {}, 404);
}

TEST_F(ApiTest, ValuesAreBoundNotPastedIntoSql) {
  EXPECT_EQ(int64_t(Get("/api/events", {{"type", "shelling') OR 1=1 --"}}).doc["total"]), 0);
  EXPECT_THAT(Str(Get("/api/documents/x' OR '1'='1", {}, 404).doc["error"]),
              HasSubstr("no document"));
  EXPECT_GT(int64_t(Get("/api/summary").doc["events"]), 0);
}

TEST_F(ApiTest, DocumentCarriesTextAndSpansIntoIt) {
  Json d = Get("/api/documents/alpha-1");
  const std::string text = Str(d.doc["text"]);
  EXPECT_THAT(text, HasSubstr("Kozacha Lopan"));
  EXPECT_EQ(Str(d.doc["published"]), "2022-03-05");
  EXPECT_EQ(Str(d.doc["document"]["doc_id"]), "alpha-1");
  auto span_text = [&](simdjson::dom::element span) {
    const uint64_t b = uint64_t(span.at(0)), e = uint64_t(span.at(1));
    return text.substr(b, e - b);
  };
  ASSERT_GE(d.doc["events"].get_array().size(), 2u);
  std::set<std::string> triggers;
  int claimants = 0;
  for (simdjson::dom::element e : d.doc["events"].get_array()) {
    const std::string trigger = Str(e["evidence"]["trigger"]);
    EXPECT_EQ(span_text(e["evidence"]["trigger_span"]), trigger);
    triggers.insert(trigger);
    EXPECT_FALSE(e["cluster_id"].error());
    EXPECT_FALSE(e["independent_sources"].error());
    for (simdjson::dom::element l : e["locations"].get_array()) {
      EXPECT_EQ(span_text(l["span"]), Str(l["text"]));
    }
    // The claimant's words, to highlight ("the General Staff of the Armed Forces ...").
    if (e["source"].is_object()) {
      ASSERT_TRUE(e["source"]["span"].is_array());
      EXPECT_EQ(span_text(e["source"]["span"]), Str(e["source"]["text"]));
      ++claimants;
    }
  }
  EXPECT_EQ(claimants, 2);
  EXPECT_EQ(triggers.count("captured"), 1u);
  Get("/api/documents/no-such-doc", {}, 404);
}

TEST_F(ApiTest, EventRecordAndItsCluster) {
  const std::vector<Row> shelling = AllEvents({{"type", "shelling"}, {"doc", "beta-1"}});
  ASSERT_EQ(shelling.size(), 1u);
  const std::string id = shelling[0].id;
  Json e = Get("/api/events/" + id);
  EXPECT_EQ(Str(e.doc["kind"]), "event");
  EXPECT_EQ(Str(e.doc["id"]), id);
  ASSERT_TRUE(e.doc["cluster_id"].is_string());
  Json c = Get("/api/clusters/" + Str(e.doc["cluster_id"]));
  EXPECT_EQ(Str(c.doc["kind"]), "cluster");
  EXPECT_EQ(int64_t(c.doc["independent_sources"]), 2);
  std::set<std::string> members;
  for (simdjson::dom::element m : c.doc["events"].get_array()) members.insert(Str(m["doc_id"]));
  EXPECT_EQ(members, (std::set<std::string>{"alpha-1", "beta-1"}));
  Get("/api/events/nope#1", {}, 404);
  Get("/api/clusters/nope", {}, 404);
}

TEST_F(ApiTest, ClustersFilterOnTheirOwnFields) {
  EXPECT_GT(int64_t(Get("/api/clusters", {{"limit", "5000"}}).doc["total"]), 0);
  Json corroborated = Get("/api/clusters", {{"min_sources", "2"}});
  ASSERT_EQ(int64_t(corroborated.doc["total"]), 1);
  EXPECT_EQ(Str(corroborated.doc["clusters"].at(0)["type"]), "shelling");
  EXPECT_EQ(int64_t(corroborated.doc["clusters"].at(0)["n_members"]), 2);
  EXPECT_THAT(Str(Get("/api/clusters", {{"outlet", "x"}}, 400).doc["error"]), HasSubstr("outlet"));
}

TEST_F(ApiTest, GridAndTimelineCountTheFilteredEvents) {
  size_t located = 0;
  for (const Row& e : AllEvents({}, 100)) located += e.located ? 1 : 0;
  Json grid = Get("/api/grid", {{"cell", "1"}});
  int64_t n = 0;
  for (simdjson::dom::element c : grid.doc["cells"].get_array()) {
    n += int64_t(c["n"]);
  }
  EXPECT_EQ(n, static_cast<int64_t>(located));
  EXPECT_EQ(int64_t(grid.doc["total"]), n);
  // Coarse cells merge what fine ones keep apart.
  EXPECT_LT(Get("/api/grid", {{"cell", "10"}}).doc["cells"].get_array().size(),
            Get("/api/grid", {{"cell", "0.05"}}).doc["cells"].get_array().size());

  Json day = Get("/api/timeline");
  Json week = Get("/api/timeline", {{"bucket", "week"}});
  EXPECT_EQ(int64_t(day.doc["total"]), int64_t(week.doc["total"]));
  for (simdjson::dom::element c : week.doc["counts"].get_array()) {
    const auto date = ParseIsoDate(Str(c["date"]));
    ASSERT_TRUE(date.has_value());
    EXPECT_EQ(Weekday(*date), 0) << Str(c["date"]);
  }
  Json september = Get("/api/timeline", {{"from", "2022-09-01"}, {"to", "2022-09-30"}});
  EXPECT_LT(int64_t(september.doc["total"]), int64_t(day.doc["total"]));
  EXPECT_GT(int64_t(september.doc["total"]), 0);
}

TEST_F(ApiTest, ControlFollowsCaptureAndRecapture) {
  auto holder = [&](const std::string& date) -> std::string {
    Json k = Get("/api/control", {{"date", date}});
    for (simdjson::dom::element s : k.doc["settlements"].get_array()) {
      if (Str(s["name"]) == "Kozacha Lopan") return Str(s["side"]);
    }
    return "";
  };
  EXPECT_EQ(holder("2022-03-01"), "");
  EXPECT_EQ(holder("2022-06-01"), "RU");
  EXPECT_EQ(holder("2022-10-01"), "UA");
  Json boxed = Get("/api/control", {{"date", "2022-06-01"}, {"bbox", "-10,-10,-9,-9"}});
  EXPECT_EQ(boxed.doc["settlements"].get_array().size(), 0u);
}

TEST_F(ApiTest, OntologyGivesEveryTypeOnceUnderItsFamily) {
  Json o = Get("/api/ontology");
  std::set<std::string> types;
  size_t listed = 0;
  std::string shelling_family;
  for (auto family : o.doc["families"].get_array()) {
    const std::string name{std::string_view(family["name"])};
    for (auto t : family["types"].get_array()) {
      const std::string type{std::string_view(t)};
      types.insert(type);
      ++listed;
      const std::optional<EventType> parsed = ParseEventType(type);
      ASSERT_TRUE(parsed.has_value()) << type;
      EXPECT_EQ(Name(FamilyOf(*parsed)), name) << type;
      if (type == "shelling") shelling_family = name;
    }
  }
  EXPECT_EQ(listed, static_cast<size_t>(kEventTypeCount));
  EXPECT_EQ(types.size(), listed);
  EXPECT_EQ(shelling_family, "remote");
  std::vector<std::string> sides;
  for (auto side : o.doc["sides"].get_array()) sides.emplace_back(std::string_view(side));
  EXPECT_EQ(sides, (std::vector<std::string>{"RU", "UA", "OTHER", "UNKNOWN"}));
  EXPECT_EQ(o.doc["statuses"].get_array().size(), 7u);
  Get("/api/ontology", {{"x", "1"}}, 400);
}

TEST_F(ApiTest, ThreadsAtOnceGetTheAnswersOfOneByOne) {
  // The server's workers share one source: its connections are lent one query at a time.
  const std::vector<std::pair<std::string, ApiParams>> requests = {
      {"/api/summary", {}},
      {"/api/events", {{"limit", "3"}}},
      {"/api/events", {{"type", "shelling"}, {"min_sources", "2"}}},
      {"/api/grid", {{"cell", "0.5"}}},
      {"/api/timeline", {{"bucket", "day"}}},
      {"/api/clusters", {}}};
  std::vector<std::string> expected;
  for (const auto& [path, params] : requests) expected.push_back(api_->Get(path, params).body);
  std::vector<std::thread> threads;
  std::vector<int> same(6, 0);
  for (size_t t = 0; t < same.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) {
        for (size_t i = 0; i < requests.size(); ++i) {
          const size_t k = (i + t) % requests.size();
          same[t] += api_->Get(requests[k].first, requests[k].second).body == expected[k];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(same, std::vector<int>(6, 10 * static_cast<int>(requests.size())));
}

TEST(SqliteSourceTest, RefusesWhatIsNotASitrepDatabase) {
  std::unique_ptr<SqlSource> db;
  Result missing = OpenSqliteSource("/nonexistent/dir/x.db", &db);
  EXPECT_FALSE(missing.ok());
  EXPECT_THAT(missing.message(), HasSubstr("/nonexistent/dir/x.db"));
}

TEST(SqliteSourceTest, RefusesADatabaseOfAnOlderSitrepSayingHowToUpdateIt) {
  const std::string path = BuildTestDatabase("sqlite_source_v1");
  ASSERT_FALSE(path.empty());
  {
    // Schema version 1: events without independent_sources.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "DROP INDEX events_serve; ALTER TABLE events DROP COLUMN independent_sources",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  std::unique_ptr<SqlSource> db;
  const Result r = OpenSqliteSource(path, &db);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message(), HasSubstr("older sitrep"));
  EXPECT_THAT(r.message(), HasSubstr("sitrep fuse --db " + path));
}

TEST(ServerTest, ServesTheApiAndThePageOverHttp) {
  const std::string path = BuildTestDatabase("server_test");
  ASSERT_FALSE(path.empty());
  std::unique_ptr<SqlSource> db;
  ASSERT_TRUE(OpenSqliteSource(path, &db).ok());
  const std::string web = TempDir("server_test_web");
  WriteFile(web + "/index.html", "<!doctype html><title>page</title>");
  ServeOptions options;
  options.port = 0;
  options.web_dir = web;
  Server server(*db, options);
  std::string address;
  std::mutex mu;
  std::condition_variable cv;
  std::thread t([&] {
    Result r = server.Run([&](const std::string& a) {
      std::lock_guard<std::mutex> lock(mu);
      address = a;
      cv.notify_all();
    });
    EXPECT_TRUE(r.ok()) << r.message();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return !address.empty(); });
  }
  const int port = std::stoi(address.substr(address.rfind(':') + 1));
  httplib::Client client("127.0.0.1", port);
  // A browser accepts compressed answers; they come uncompressed (quicker on a LAN).
  auto summary = client.Get("/api/summary", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->status, 200);
  EXPECT_FALSE(summary->has_header("Content-Encoding"));
  EXPECT_THAT(summary->body, HasSubstr("\"documents\":5"));
  // An id with '#', percent-encoded by the page.
  auto events = client.Get("/api/events?doc=delta-1");
  ASSERT_TRUE(events);
  Json list = ParseJson(events->body);
  ASSERT_EQ(list.doc["events"].get_array().size(), 1u);
  std::string id = Str(list.doc["events"].at(0)["id"]);
  ASSERT_NE(id.find('#'), std::string::npos);
  id.replace(id.find('#'), 1, "%23");
  auto one = client.Get("/api/events/" + id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 200) << one->body;
  auto bad = client.Get("/api/events?bbox=x");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body, HasSubstr("<title>page</title>"));
  // Read-only: nothing but GET.
  auto post = client.Post("/api/events", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_NE(post->status, 200);
  server.Stop();
  t.join();
  RemoveDatabase(path);
}

}  // namespace
}  // namespace sitrep
