// The API of `sitrep serve` over a large database: each benchmark is one request, as the
// page sends it. The database comes from $SITREP_API_BENCH_DB (an SQLite file, or a
// postgresql:// URL after `sitrep export`), made by bench/api_db.sh (about 125,000 events);
// without it the benchmarks are skipped. The budget: a filtered query < 50 ms.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "serve/api.h"
#include "serve/sql_source.h"

namespace sitrep {
namespace {

const SqlSource* BenchDb() {
  static std::unique_ptr<SqlSource> db = [] {
    std::unique_ptr<SqlSource> out;
    const char* path = std::getenv("SITREP_API_BENCH_DB");
    if (path != nullptr && *path != '\0') {
      if (Result r = OpenSqlSource(path, &out); !r.ok()) {
        std::fprintf(stderr, "api_bench: %s\n", r.message().c_str());
        out.reset();
      }
    }
    return out;
  }();
  return db.get();
}

void Request(benchmark::State& state, const std::string& path, const ApiParams& params) {
  const SqlSource* db = BenchDb();
  if (db == nullptr) {
    state.SkipWithError("set SITREP_API_BENCH_DB (bench/api_db.sh makes one)");
    return;
  }
  const Api api(*db);
  size_t bytes = 0;
  for (auto _ : state) {
    const ApiResponse r = api.Get(path, params);
    if (r.status != 200) {
      state.SkipWithError(r.body.c_str());
      return;
    }
    bytes += r.body.size();
    benchmark::DoNotOptimize(r.body.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

// The page's first view: every event of the whole record, aggregated.
void BM_ApiGridAll(benchmark::State& s) { Request(s, "/api/grid", {{"cell", "0.5"}}); }
BENCHMARK(BM_ApiGridAll)->Unit(benchmark::kMillisecond);

void BM_ApiTimelineAll(benchmark::State& s) { Request(s, "/api/timeline", {}); }
BENCHMARK(BM_ApiTimelineAll)->Unit(benchmark::kMillisecond);

void BM_ApiSummary(benchmark::State& s) { Request(s, "/api/summary", {}); }
BENCHMARK(BM_ApiSummary)->Unit(benchmark::kMillisecond);

// Filters as the page sends them. The worst case has no dates: every event is a
// candidate (type, side and a box over the east).
const ApiParams kFiltered = {{"type", "shelling,airstrike,missile_strike,drone_strike,attack"},
                             {"side", "RU"},
                             {"bbox", "30,44,41,53"},
                             {"limit", "200"}};
// A brushed span of the timeline (the bench copies follow one another, ~1,250 events per
// three years), with the same filters.
const ApiParams kBrushed = {{"from", "2060-01-01"}, {"to", "2069-12-31"},
                            {"type", "shelling,airstrike,missile_strike,drone_strike,attack"},
                            {"side", "RU"}, {"bbox", "30,44,41,53"}, {"limit", "200"}};

void BM_ApiEventsFiltered(benchmark::State& s) { Request(s, "/api/events", kFiltered); }
BENCHMARK(BM_ApiEventsFiltered)->Unit(benchmark::kMillisecond);

void BM_ApiEventsBrushed(benchmark::State& s) { Request(s, "/api/events", kBrushed); }
BENCHMARK(BM_ApiEventsBrushed)->Unit(benchmark::kMillisecond);

void BM_ApiEventsByStatus(benchmark::State& s) {
  Request(s, "/api/events", {{"status", "asserted,claimed"}, {"family", "remote,combat"}, {"limit", "200"}});
}
BENCHMARK(BM_ApiEventsByStatus)->Unit(benchmark::kMillisecond);

void BM_ApiEventsAllFirstPage(benchmark::State& s) { Request(s, "/api/events", {{"limit", "200"}}); }
BENCHMARK(BM_ApiEventsAllFirstPage)->Unit(benchmark::kMillisecond);

void BM_ApiEventsDeepPage(benchmark::State& s) {
  Request(s, "/api/events", {{"limit", "200"}, {"offset", "100000"}});
}
BENCHMARK(BM_ApiEventsDeepPage)->Unit(benchmark::kMillisecond);

void BM_ApiEventsCorroborated(benchmark::State& s) {
  Request(s, "/api/events", {{"min_sources", "2"}, {"limit", "200"}});
}
BENCHMARK(BM_ApiEventsCorroborated)->Unit(benchmark::kMillisecond);

void BM_ApiGridFiltered(benchmark::State& s) {
  ApiParams p = kFiltered;
  p.erase("limit");
  p["cell"] = "0.25";
  Request(s, "/api/grid", p);
}
BENCHMARK(BM_ApiGridFiltered)->Unit(benchmark::kMillisecond);

void BM_ApiTimelineFiltered(benchmark::State& s) {
  Request(s, "/api/timeline", {{"type", "shelling,airstrike"}, {"status", "asserted,claimed"}});
}
BENCHMARK(BM_ApiTimelineFiltered)->Unit(benchmark::kMillisecond);

void BM_ApiControl(benchmark::State& s) { Request(s, "/api/control", {{"date", "2023-06-01"}}); }
BENCHMARK(BM_ApiControl)->Unit(benchmark::kMillisecond);

void BM_ApiClustersCorroborated(benchmark::State& s) {
  Request(s, "/api/clusters", {{"min_sources", "3"}, {"limit", "200"}});
}
BENCHMARK(BM_ApiClustersCorroborated)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sitrep
