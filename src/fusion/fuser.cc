#include "fusion/fuser.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include "base/civil_date.h"
#include "base/geo.h"
#include "base/tsv.h"
#include "fusion/fingerprint.h"

namespace sitrep {
namespace {

// Near duplicates: the sketch's 64 bins in 16 bands of 4; sketches of Jaccard 0.75
// share a band with probability 1 - (1 - 0.75^4)^16 > 0.99, so only band-mates are
// compared.
constexpr size_t kBands = 16;
constexpr size_t kBandBins = kSketchBins / kBands;
constexpr size_t kMaxBucketCompare = 64;  // a band value shared by very many: compare the first

// Places: a grid per precision level, so a village meets the villages around it and
// the oblast around it without comparing with every place.
constexpr float kSpotRadiusKm = 30;    // a settlement or facility
constexpr float kAreaRadiusKm = 200;   // an oblast, a district, a direction
constexpr double kCellDegrees[3] = {0.25, 2.0, 10.0};
constexpr double kSameSpotKm = 5;      // two settlement-precise reports name one place
constexpr double kAreaSlackKm = 10;    // a place at the edge of an area is in it
constexpr size_t kMaxClusterPlaces = 8;  // places a cluster is found by

// Time: a report dated by its own words is good to a day either way; one dated only
// by its article's publication already spans the days before it.
constexpr int64_t kOwnDateSlackDays = 1;
constexpr int64_t kExpireDays = 14;    // a cluster this far behind takes no more reports
constexpr int64_t kContestedDays = 3;  // the other side's claim this close contests a change
constexpr double kLossRatio = 1.5;     // loss figures further apart than this disagree

int LevelOf(float radius_km) { return radius_km <= kSpotRadiusKm ? 0 : radius_km <= kAreaRadiusKm ? 1 : 2; }

// Fusion's families: ground combat and remote strikes are one, since one outlet's
// "attack" is another's "missile strike" and a third's "assault"; the compatible types
// (data/fusion/compatible_types.tsv) say which of them may meet.
int FusionFamily(EventType t) {
  const EventFamily f = FamilyOf(t);
  return static_cast<int>(f == EventFamily::kCombat ? EventFamily::kRemote : f);
}

bool Negative(const Report& r) { return r.negated || r.status == Status::kDenied; }

bool Realis(Status s) {
  return s != Status::kDenied && s != Status::kExpected && s != Status::kHypothetical;
}

// How sure, strongest first: what the text asserts, a party claims, media report ...
int Strength(Status s) {
  switch (s) {
    case Status::kAsserted: return 0;
    case Status::kClaimed: return 1;
    case Status::kReported: return 2;
    case Status::kUnverified: return 3;
    case Status::kExpected: return 4;
    case Status::kHypothetical: return 5;
    case Status::kDenied: return 6;
  }
  return 6;
}

bool IsSpot(const ReportPlace& p) { return p.radius_km <= kSpotRadiusKm; }

// How coarse a place is: 0 a settlement or site, 1 a region, district, river or sea,
// 2 a country, 3 anything vaster (a continent, "Eastern Europe").
int Coarseness(const ReportPlace& p) {
  if (p.radius_km > kVastRadiusKm) return 3;
  switch (p.feature) {
    case PlaceFeature::kSettlement:
    case PlaceFeature::kFacility: return 0;
    case PlaceFeature::kCountry: return 2;
    default: return 1;
  }
}

bool PlacesMatch(const ReportPlace& a, const ReportPlace& b) {
  // Two countries are one place only when they are the same country (Belarus is not
  // Ukraine, though their areas touch); a place in another country is not in this one.
  const bool ca = a.feature == PlaceFeature::kCountry, cb = b.feature == PlaceFeature::kCountry;
  if (ca && cb) return a.id == b.id && a.name == b.name;
  if ((ca || cb) && !a.country.empty() && !b.country.empty() && a.country != b.country) return false;
  const double d = DistanceKm(a.lat, a.lon, b.lat, b.lon);
  if (IsSpot(a) && IsSpot(b))
    return (!a.id.empty() && a.id == b.id) || d <= kSameSpotKm;
  return d <= std::max(a.radius_km, b.radius_km) + kAreaSlackKm;
}

struct Window {
  int64_t from, to;
};

Window WindowOf(const Report& r) {
  const int64_t slack = r.own_date ? kOwnDateSlackDays : 0;
  return {r.day_from - slack, r.day_to + slack};
}

bool Overlap(Window a, Window b) { return a.from <= b.to && b.from <= a.to; }

// "Reuters", "reuters.com", "www.reuters.co.uk" -> "reuters" (suffixes from
// data/fusion/url_suffixes.tsv).
std::string OutletKey(std::string_view name, const std::vector<std::string>& suffixes) {
  std::string s;
  for (char c : name) s += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (s.starts_with("the ")) s.erase(0, 4);
  if (s.find('.') == std::string::npos || s.find(' ') != std::string::npos) return s;
  std::vector<std::string> labels;
  size_t start = 0;
  for (size_t dot; (dot = s.find('.', start)) != std::string::npos; start = dot + 1)
    labels.push_back(s.substr(start, dot - start));
  labels.push_back(s.substr(start));
  while (labels.size() > 1 && std::find(suffixes.begin(), suffixes.end(), labels.back()) != suffixes.end())
    labels.pop_back();
  return labels.back();
}

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the first document is the root
  }
};

uint64_t CellKey(int level, int64_t cx, int64_t cy, int family, bool negative) {
  return (static_cast<uint64_t>(level) << 60) ^ (static_cast<uint64_t>(negative) << 59) ^
         (static_cast<uint64_t>(family) << 56) ^ (static_cast<uint64_t>(cx & 0xFFFFFFF) << 28) ^
         static_cast<uint64_t>(cy & 0xFFFFFFF);
}

int64_t CellOf(double degrees, int level) {
  return static_cast<int64_t>(std::floor(degrees / kCellDegrees[level]));
}

// Working state of a cluster while reports arrive.
struct Open {
  EventType first_type;
  Side side;
  bool negative;
  std::vector<ReportPlace> places;  // every place its reports name (up to kMaxClusterPlaces)
  bool dated;
  Window anchor;          // the window reports must meet: the first, or the own-dated one
  bool anchor_own = false;
  int64_t first_day = 0;  // the earliest day of its reports (a lasting happening grows from it)
  bool spot = false;      // its first report named a settlement or a site
  bool lasts = false;     // a lasting happening at a place fine enough to last at
  int finest = 4;         // the finest Coarseness of its places
  uint32_t dup_group = 0; // its first report's document's near-duplicate group
};

// A cluster whose reports name no place of their own ("Russia says it is pulling back
// troops") joins the one placed cluster of its type and side on its days, when there is
// exactly one; with several it cannot tell which, and stays apart. Clusters are looked up
// by (family, side, negative) and scanned in time order, never all pairs.
template <typename CompatibleFn>
void JoinPlaceless(const FusionInput& in, std::vector<Open>& open, FusionResult& out,
                   CompatibleFn&& compatible) {
  auto placeless = [&](uint32_t ci) {
    for (uint32_t m : out.clusters[ci].members) {
      for (const ReportPlace& p : in.reports[m].places) {
        if (!p.inferred) return false;
      }
    }
    return true;
  };
  std::map<std::tuple<int, int, bool>, std::vector<uint32_t>> placed;  // by anchor start
  std::vector<uint32_t> loose;
  for (uint32_t ci = 0; ci < open.size(); ++ci) {
    if (!open[ci].dated || out.clusters[ci].members.empty()) continue;
    if (placeless(ci)) {
      if (Known(open[ci].side)) loose.push_back(ci);
    } else if (Known(open[ci].side)) {
      placed[{FusionFamily(open[ci].first_type), static_cast<int>(open[ci].side), open[ci].negative}]
          .push_back(ci);
    }
  }
  for (auto& [key, list] : placed) {
    std::sort(list.begin(), list.end(),
              [&](uint32_t a, uint32_t b) { return open[a].anchor.from < open[b].anchor.from; });
  }
  for (uint32_t li : loose) {
    const Open& l = open[li];
    auto it = placed.find({FusionFamily(l.first_type), static_cast<int>(l.side), l.negative});
    if (it == placed.end()) continue;
    uint32_t only = UINT32_MAX;
    int found = 0;
    for (uint32_t ci : it->second) {
      const Open& c = open[ci];
      if (c.anchor.from > l.anchor.to) break;
      if (!Overlap(c.anchor, l.anchor) || !compatible(c.first_type, l.first_type)) continue;
      only = ci;
      if (++found > 1) break;
    }
    if (found != 1) continue;
    auto& from = out.clusters[li].members;
    auto& to = out.clusters[only].members;
    for (uint32_t m : from) out.cluster_of[m] = only;
    to.insert(to.end(), from.begin(), from.end());
    from.clear();
  }
  std::erase_if(out.clusters, [](const ::sitrep::Cluster& c) { return c.members.empty(); });
  for (uint32_t ci = 0; ci < out.clusters.size(); ++ci) {
    for (uint32_t m : out.clusters[ci].members) out.cluster_of[m] = ci;
  }
}

}  // namespace

std::unique_ptr<Fuser> Fuser::Load(const std::string& data_dir, std::string* error) {
  std::unique_ptr<Fuser> f(new Fuser());
  const std::string path = data_dir + "/fusion/compatible_types.tsv";
  auto table = TsvTable::Load(path, error);
  if (!table) return nullptr;
  for (const TsvTable::Row& row : table->rows()) {
    const auto a = ParseEventType(table->Get(row, "a"));
    const auto b = ParseEventType(table->Get(row, "b"));
    if (!a || !b) {
      *error = path + ":" + std::to_string(row.line) + ": unknown event type";
      return nullptr;
    }
    f->compatible_.emplace_back(*a, *b);
  }
  const std::string dpath = data_dir + "/fusion/durations.tsv";
  auto durations = TsvTable::Load(dpath, error);
  if (!durations) return nullptr;
  for (const TsvTable::Row& row : durations->rows()) {
    const auto t = ParseEventType(durations->Get(row, "type"));
    const std::string days(durations->Get(row, "extra_days"));
    if (!t || days.empty()) {
      *error = dpath + ":" + std::to_string(row.line) + ": needs a known type and extra_days";
      return nullptr;
    }
    f->extra_days_[static_cast<size_t>(*t)] = std::stoi(days);
    const std::string span(durations->Get(row, "max_days"));
    f->max_days_[static_cast<size_t>(*t)] = span.empty() ? 0 : std::stoi(span);
    const std::string_view coarsest = durations->Get(row, "coarsest");
    int rank = coarsest == "settlement" ? 0 : coarsest == "region" ? 1 : coarsest == "country" ? 2 : -1;
    if (!span.empty() && rank < 0) {
      *error = dpath + ":" + std::to_string(row.line) + ": coarsest must be settlement, region or country";
      return nullptr;
    }
    f->coarsest_[static_cast<size_t>(*t)] = rank;
  }
  const std::string upath = data_dir + "/fusion/url_suffixes.tsv";
  auto suffixes = TsvTable::Load(upath, error);
  if (!suffixes) return nullptr;
  for (const TsvTable::Row& row : suffixes->rows()) f->url_suffixes_.emplace_back(suffixes->Get(row, "suffix"));
  if (!(f->background_ = ControlBackground::Load(data_dir, error))) return nullptr;
  return f;
}

bool Fuser::Compatible(EventType a, EventType b) const {
  if (a == b) return true;
  return std::any_of(compatible_.begin(), compatible_.end(), [&](const auto& p) {
    return (p.first == a && p.second == b) || (p.first == b && p.second == a);
  });
}

FusionResult Fuser::Fuse(FusionInput& in, bool read_out) const {
  FusionResult out;
  GroupNearDuplicates(in, out);
  Cluster(in, out);
  Summarise(in, out);
  LinkContradictions(in, out);
  if (read_out) {
    BuildControl(in, out);
    ReadOut(in, out);
  }
  return out;
}

void Fuser::GroupNearDuplicates(FusionInput& in, FusionResult& out) const {
  UnionFind uf(in.docs.size());
  // Candidates share a band of their sketches (LSH); the estimate then decides.
  std::unordered_map<uint64_t, std::vector<uint32_t>> buckets;
  for (uint32_t d = 0; d < in.docs.size(); ++d) {
    if (!in.docs[d].fingerprint) continue;
    const Sketch& fp = *in.docs[d].fingerprint;
    for (size_t b = 0; b < kBands; ++b) {
      uint64_t key = b;
      for (size_t k = 0; k < kBandBins; ++k) key = (key << 8) | fp[b * kBandBins + k];
      auto& bucket = buckets[key];
      for (size_t k = 0; k < bucket.size() && k < kMaxBucketCompare; ++k) {
        if (uf.Find(bucket[k]) != uf.Find(d) &&
            EstimateJaccard(*in.docs[bucket[k]].fingerprint, fp) >= kNearDuplicateJaccard)
          uf.Union(bucket[k], d);
      }
      bucket.push_back(d);
    }
  }
  std::map<uint32_t, std::vector<uint32_t>> groups;
  for (uint32_t d = 0; d < in.docs.size(); ++d) {
    in.docs[d].dup_group = uf.Find(d);
    groups[in.docs[d].dup_group].push_back(d);
  }
  for (auto& [root, members] : groups) {
    if (members.size() >= 2) out.near_duplicates.push_back(std::move(members));
  }
}

void Fuser::Cluster(const FusionInput& in, FusionResult& out) const {
  const auto& reports = in.reports;
  out.cluster_of.assign(reports.size(), 0);
  // Reports in time order, so that the index holds only the clusters still open.
  std::vector<uint32_t> order(reports.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const int64_t da = reports[a].dated ? reports[a].day_from : LLONG_MAX;
    const int64_t db = reports[b].dated ? reports[b].day_from : LLONG_MAX;
    return da < db;
  });
  std::vector<Open> open;
  std::unordered_map<uint64_t, std::vector<uint32_t>> index;  // cell -> clusters
  // Reports with no place meet only their kind on the same days: key by type and day.
  auto placeless_key = [](const Report& r) {
    return (uint64_t{1} << 63) ^ (static_cast<uint64_t>(r.type) << 50) ^
           (static_cast<uint64_t>(Negative(r)) << 49) ^
           static_cast<uint64_t>((r.dated ? r.day_from : 0) & 0xFFFFFFFFFFFF);
  };
  for (uint32_t ri : order) {
    const Report& r = reports[ri];
    const bool neg = Negative(r);
    const int family = FusionFamily(r.type);
    Window w = WindowOf(r);
    if (r.dated && !r.own_date) w.from -= extra_days_[static_cast<size_t>(r.type)];
    // The report's places meet the cluster's if any two match: "troops to Poland and
    // Romania" and "troops to Romania" are one deployment.
    auto places_meet = [&](const Open& c) {
      // When both name a settlement or a site, those must be one: a strike on Dzhankoi is
      // not the strike on Saky because both are in Crimea.
      // (Only a cluster founded on a settlement or site: a country-wide deployment that
      // some report placed in Moscow too is no happening at Moscow.)
      bool spots = false, spot_met = false;
      for (const ReportPlace& a : c.places) {
        if (!c.spot) break;
        for (const ReportPlace& b : r.places) {
          if (!IsSpot(a) || !IsSpot(b)) continue;
          spots = true;
          spot_met |= PlacesMatch(a, b);
        }
      }
      if (spots) return spot_met;
      for (const ReportPlace& a : c.places) {
        for (const ReportPlace& b : r.places) {
          if (PlacesMatch(a, b)) return true;
        }
      }
      return false;
    };
    auto fits = [&](uint32_t ci) {
      const Open& c = open[ci];
      if (c.negative != neg || FusionFamily(c.first_type) != family || !Compatible(c.first_type, r.type))
        return false;
      if (Known(c.side) && Known(r.side) && c.side != r.side) return false;
      if (c.dated != r.dated) return false;
      // With no date, two reports may be of any two days: only copies of one article
      // (syndicated, re-posted) report the same happening.
      if (!r.dated && c.dup_group != in.docs[r.doc].dup_group) return false;
      if (r.dated) {
        // A lasting happening goes on after its last report: its window reaches
        // extra_days past it (up to max_days from its first).
        Window reach = c.anchor;
        if (const int64_t max_days = max_days_[static_cast<size_t>(c.first_type)]; max_days > 0 && c.lasts)
          reach.to = std::max(reach.to, std::min(reach.to + extra_days_[static_cast<size_t>(c.first_type)],
                                                 c.first_day + max_days));
        if (!Overlap(reach, w)) return false;
      }
      if (c.places.empty() != r.places.empty()) return false;
      if (r.places.empty()) return c.first_type == r.type && Known(r.side) && c.side == r.side && r.own_date;
      return places_meet(c);
    };
    auto score = [&](uint32_t ci) {
      const Open& c = open[ci];
      double s = c.first_type == r.type ? 0 : 100;
      double nearest = 0;
      bool any = false;
      for (const ReportPlace& a : c.places) {
        for (const ReportPlace& b : r.places) {
          const double d = DistanceKm(a.lat, a.lon, b.lat, b.lon);
          if (!any || d < nearest) nearest = d;
          any = true;
        }
      }
      s += nearest;
      if (r.dated) s += static_cast<double>(std::llabs(c.anchor.from - w.from));
      return s;
    };
    uint32_t best = UINT32_MAX;
    double best_score = 0;
    auto consider = [&](std::vector<uint32_t>& bucket) {
      // Drop the clusters left behind in time as we pass.
      std::erase_if(bucket, [&](uint32_t ci) {
        return r.dated && open[ci].dated && open[ci].anchor.to + kExpireDays < w.from;
      });
      for (uint32_t ci : bucket) {
        if (!fits(ci)) continue;
        const double s = score(ci);
        if (best == UINT32_MAX || s < best_score) {
          best = ci;
          best_score = s;
        }
      }
    };
    if (!r.places.empty()) {
      std::vector<uint64_t> seen;
      for (const ReportPlace& p : r.places) {
        for (int level = 0; level < 3; ++level) {
          const int64_t cx = CellOf(p.lat, level), cy = CellOf(p.lon, level);
          for (int64_t dx = -1; dx <= 1; ++dx) {
            for (int64_t dy = -1; dy <= 1; ++dy) {
              const uint64_t key = CellKey(level, cx + dx, cy + dy, family, neg);
              if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
              seen.push_back(key);
              auto it = index.find(key);
              if (it != index.end()) consider(it->second);
            }
          }
        }
      }
    } else {
      auto it = index.find(placeless_key(r));
      if (it != index.end()) consider(it->second);
    }
    auto register_at = [&](uint32_t ci, const ReportPlace* p) {
      uint64_t key;
      if (p != nullptr) {
        const int level = LevelOf(p->radius_km);
        key = CellKey(level, CellOf(p->lat, level), CellOf(p->lon, level), family, neg);
      } else {
        key = placeless_key(r);
      }
      auto& bucket = index[key];
      if (std::find(bucket.begin(), bucket.end(), ci) == bucket.end()) bucket.push_back(ci);
    };
    if (best == UINT32_MAX) {
      Open c{r.type, r.side, neg, {}, r.dated, w, r.own_date, w.from};
      c.spot = std::any_of(r.places.begin(), r.places.end(), [](const ReportPlace& p) { return IsSpot(p); });
      // "Fighting in Ukraine" goes on for years and is no one happening: a type lasts
      // only at a place as fine as durations.tsv's `coarsest` allows.
      int finest = 4;
      for (const ReportPlace& p : r.places) finest = std::min(finest, Coarseness(p));
      c.finest = finest;
      c.dup_group = in.docs[r.doc].dup_group;
      c.lasts = max_days_[static_cast<size_t>(r.type)] > 0 && finest <= coarsest_[static_cast<size_t>(r.type)];
      for (const ReportPlace& p : r.places) {
        if (c.places.size() < kMaxClusterPlaces) c.places.push_back(p);
      }
      open.push_back(std::move(c));
      out.clusters.emplace_back();
      best = static_cast<uint32_t>(open.size() - 1);
      out.clusters[best].members.push_back(ri);
      out.cluster_of[ri] = best;
      if (open[best].places.empty()) register_at(best, nullptr);
      for (const ReportPlace& p : open[best].places) register_at(best, &p);
      continue;
    }
    Open& c = open[best];
    out.clusters[best].members.push_back(ri);
    out.cluster_of[ri] = best;
    if (!Known(c.side)) c.side = r.side;
    // A report dated by its own words pins the cluster's days; a more precise one
    // ("on Tuesday" after "last week") pins them closer.
    if (r.own_date && w.to - w.from < c.anchor.to - c.anchor.from) {
      c.anchor = w;
      c.anchor_own = true;
    }
    // A happening that lasts (a deployment, a siege, an offensive) goes on while reports
    // of it keep coming: its window follows the newest report, up to the type's
    // max_days from its first (durations.tsv).
    if (const int64_t max_days = max_days_[static_cast<size_t>(c.first_type)]; max_days > 0 && c.lasts && r.dated) {
      c.anchor.to = std::max(c.anchor.to, std::min(w.to, c.first_day + max_days));
      c.anchor.from = std::min(c.anchor.from, w.from);
    }
    // Places it adds: the cluster is found from their cells too. Only places that meet
    // the cluster's own: a report of troops "at the border with Ukraine, as well as in
    // Belarus" joins the Belarus deployment without making the border one of its places
    // (which would draw every report from the border in after it). And a happening at a
    // settlement or in a region takes on only settlements and sites: "southern Ukraine"
    // in a report of the Crimea strikes would draw in every strike from Kherson to
    // Zaporizhzhia after it (only a country-wide or vaster one, a deployment to Poland and
    // Romania, grows by areas).
    std::vector<ReportPlace> adding;
    for (const ReportPlace& p : r.places) {
      const bool meets = std::any_of(c.places.begin(), c.places.end(),
                                     [&](const ReportPlace& q) { return PlacesMatch(q, p); });
      if (meets && (c.finest >= 2 || Coarseness(p) == 0)) adding.push_back(p);
    }
    for (const ReportPlace& p : adding) {
      if (c.places.size() >= kMaxClusterPlaces) break;
      const bool known = std::any_of(c.places.begin(), c.places.end(), [&](const ReportPlace& q) {
        return q.name == p.name && q.lat == p.lat && q.lon == p.lon;
      });
      if (known) continue;
      c.places.push_back(p);
      register_at(best, &c.places.back());
    }
  }
  JoinPlaceless(in, open, out, [&](EventType a, EventType b) { return Compatible(a, b); });
  // Members in input order; clusters numbered by their first report.
  for (auto& cl : out.clusters) std::sort(cl.members.begin(), cl.members.end());
  std::vector<uint32_t> by_first(out.clusters.size());
  std::iota(by_first.begin(), by_first.end(), 0);
  std::sort(by_first.begin(), by_first.end(), [&](uint32_t a, uint32_t b) {
    return out.clusters[a].members.front() < out.clusters[b].members.front();
  });
  std::vector<::sitrep::Cluster> sorted;
  std::vector<uint32_t> renumber(out.clusters.size());
  for (uint32_t k = 0; k < by_first.size(); ++k) {
    renumber[by_first[k]] = k;
    sorted.push_back(std::move(out.clusters[by_first[k]]));
    // Stable across runs and databases: named after its first report.
    sorted.back().id = "c:" + in.reports[sorted.back().members.front()].id;
  }
  out.clusters = std::move(sorted);
  for (uint32_t& c : out.cluster_of) c = renumber[c];
}

void Fuser::Summarise(const FusionInput& in, FusionResult& out) const {
  for (::sitrep::Cluster& c : out.clusters) {
    const Report& first = in.reports[c.members.front()];
    c.negative = Negative(first);
    // The type most reports give; on a tie, the more specific (not the generic attack).
    std::map<EventType, int> types;
    std::map<Side, int> sides;
    for (uint32_t m : c.members) {
      ++types[in.reports[m].type];
      if (Known(in.reports[m].side)) ++sides[in.reports[m].side];
    }
    int best = -1;
    for (uint32_t m : c.members) {
      const EventType t = in.reports[m].type;
      const int n = types[t] * 2 + (t != EventType::kAttack);
      if (n > best) {
        best = n;
        c.type = t;
      }
    }
    int side_n = 0;
    for (const auto& [s, n] : sides) {
      if (n > side_n) {
        side_n = n;
        c.side = s;
      }
    }
    // The most specific place a report names itself; an inferred one only failing that.
    for (uint32_t m : c.members) {
      const auto& p = in.reports[m].place;
      if (!p) continue;
      const bool better = !c.place || (c.place->inferred && !p->inferred) ||
                          (c.place->inferred == p->inferred && p->radius_km < c.place->radius_km);
      if (better) c.place = p;
    }
    for (uint32_t m : c.members) {
      for (const ReportPlace& p : in.reports[m].places) {
        if (c.places.size() >= kMaxClusterPlaces) break;
        const bool known = std::any_of(c.places.begin(), c.places.end(), [&](const ReportPlace& q) {
          return q.name == p.name && q.lat == p.lat && q.lon == p.lon;
        });
        if (!known) c.places.push_back(p);
      }
    }
    // Days: those the reports' own dates give, else their publication windows. A
    // happening of one day takes the most precise of them ("on Tuesday" over "in recent
    // days"); a lasting one (durations.tsv max_days) spans them all.
    bool own = false;
    for (uint32_t m : c.members) own |= in.reports[m].own_date;
    const bool lasting = max_days_[static_cast<size_t>(c.type)] > 0;
    int64_t narrowest = LLONG_MAX;
    for (uint32_t m : c.members) {
      const Report& r = in.reports[m];
      if (r.dated && (!own || r.own_date)) narrowest = std::min(narrowest, r.day_to - r.day_from);
    }
    for (uint32_t m : c.members) {
      const Report& r = in.reports[m];
      if (!r.dated || (own && !r.own_date)) continue;
      if (!lasting && r.day_to - r.day_from > narrowest) continue;
      if (!c.dated) {
        c.day_from = r.day_from;
        c.day_to = r.day_to;
        c.dated = true;
      } else {
        c.day_from = std::min(c.day_from, r.day_from);
        c.day_to = std::max(c.day_to, r.day_to);
      }
    }
    // Status: the strongest any report gives; a negative cluster is denied if any
    // report says so.
    c.status = Status::kDenied;
    for (uint32_t m : c.members) {
      const Status s = in.reports[m].status;
      if (c.negative) {
        if (s == Status::kDenied || c.status != Status::kDenied) c.status = s;
        if (s == Status::kDenied) break;
      } else if (Strength(s) < Strength(c.status)) {
        c.status = s;
      }
    }
    // Independent sources: a party's claim counts once however many outlets relay it;
    // an article's own reporting counts once for its outlet, or for its group of near
    // duplicates when the outlet is not known.
    std::vector<std::string> keys;
    for (uint32_t m : c.members) {
      const Report& r = in.reports[m];
      const DocInfo& d = in.docs[r.doc];
      std::string key, name;
      if (!r.source.empty() && r.source_kind != SourceKind::kMedia &&
          r.source_kind != SourceKind::kAnonymous) {
        key = "claimant:" + OutletKey(r.source, url_suffixes_);
        name = r.source;
      } else if (!r.source.empty() && r.source_kind == SourceKind::kMedia) {
        key = "outlet:" + OutletKey(r.source, url_suffixes_);
        name = r.source;
      } else if (!d.outlet.empty()) {
        key = "outlet:" + OutletKey(d.outlet, url_suffixes_);
        name = d.outlet;
      } else {
        key = "article:" + std::to_string(d.dup_group);
        name = in.docs[d.dup_group].doc_id;
      }
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        keys.push_back(key);
        c.sources.push_back(name);
      }
    }
  }
}

void Fuser::LinkContradictions(const FusionInput& in, FusionResult& out) const {
  auto link = [&](uint32_t a, uint32_t b) {
    auto add = [](std::vector<uint32_t>& v, uint32_t x) {
      if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
    };
    add(out.clusters[a].contradicts, b);
    add(out.clusters[b].contradicts, a);
  };
  auto window = [](const ::sitrep::Cluster& c) { return Window{c.day_from - 1, c.day_to + 1}; };
  // A denial meets a claim when its most specific place meets any of the claim's ("no
  // signs of withdrawal" from "the border with Ukraine", and a claim placed at Moscow and
  // at the border); two claims meet by their most specific places. Index by the cells of
  // all their places (all levels), to meet only neighbours.
  auto denial_meets = [](const ::sitrep::Cluster& denial, const ::sitrep::Cluster& claim) {
    return std::any_of(claim.places.begin(), claim.places.end(),
                       [&](const ReportPlace& q) { return PlacesMatch(*denial.place, q); });
  };
  // Buckets by place cell and week of the window, so a long record (years of reports
  // naming "Ukraine") meets only the clusters of its own weeks. A hash collision between
  // two keys only adds candidates; each is checked below.
  auto week_key = [](uint64_t cell, int64_t week) {
    return cell ^ (static_cast<uint64_t>(week) * 0x9E3779B97F4A7C15ULL);
  };
  auto week_of = [](int64_t day) { return day >= 0 ? day / 7 : -((-day + 6) / 7); };
  auto weeks = [&](const Window& w) { return std::pair{week_of(w.from), week_of(w.to)}; };
  std::unordered_map<uint64_t, std::vector<uint32_t>> cells;
  std::map<std::pair<Side, int64_t>, std::vector<uint32_t>> losses;  // (side, week)
  for (uint32_t i = 0; i < out.clusters.size(); ++i) {
    const auto& c = out.clusters[i];
    if (!c.dated) continue;
    if (c.type == EventType::kLosses && !c.negative && Known(c.side)) losses[{c.side, c.day_from / 7}].push_back(i);
    const auto [first_week, last_week] = weeks(window(c));
    for (const ReportPlace& p : c.places) {
      const int level = LevelOf(p.radius_km);
      const uint64_t cell = CellKey(level, CellOf(p.lat, level), CellOf(p.lon, level), 0, false);
      for (int64_t week = first_week; week <= last_week; ++week) {
        auto& bucket = cells[week_key(cell, week)];
        if (bucket.empty() || bucket.back() != i) bucket.push_back(i);
      }
    }
  }
  // seen[j] == i + 1: cluster j was already considered for cluster i.
  std::vector<uint32_t> seen(out.clusters.size(), 0);
  std::vector<uint64_t> keys;
  for (uint32_t i = 0; i < out.clusters.size(); ++i) {
    const auto& a = out.clusters[i];
    if (!a.dated || !a.place) continue;
    const auto [first_week, last_week] = weeks(window(a));
    keys.clear();
    for (const ReportPlace& p : a.places) {
      for (int level = 0; level < 3; ++level) {
        const int64_t cx = CellOf(p.lat, level), cy = CellOf(p.lon, level);
        for (int64_t dx = -1; dx <= 1; ++dx) {
          for (int64_t dy = -1; dy <= 1; ++dy) {
            const uint64_t cell = CellKey(level, cx + dx, cy + dy, 0, false);
            for (int64_t week = first_week; week <= last_week; ++week) keys.push_back(week_key(cell, week));
          }
        }
      }
    }
    for (const uint64_t key : keys) {
      auto it = cells.find(key);
      if (it == cells.end()) continue;
      for (uint32_t j : it->second) {
        if (j <= i || seen[j] == i + 1) continue;
        seen[j] = i + 1;
        const auto& b = out.clusters[j];
        if (!Overlap(window(a), window(b)) || !a.place || !b.place) continue;
        // A claim and its denial (or the text's "did not happen").
        if (a.negative != b.negative) {
          if (Compatible(a.type, b.type) && (!Known(a.side) || !Known(b.side) || a.side == b.side) &&
              (a.negative ? denial_meets(a, b) : denial_meets(b, a)))
            link(i, j);
          continue;
        }
        if (!PlacesMatch(*a.place, *b.place)) continue;
        // Both sides taking the same place on the same days.
        const bool a_take = a.type == EventType::kCapture || a.type == EventType::kRecapture;
        const bool b_take = b.type == EventType::kCapture || b.type == EventType::kRecapture;
        if (!a.negative && !b.negative && a_take && b_take && Known(a.side) && Known(b.side) &&
            a.side != b.side && Realis(a.status) && Realis(b.status))
          link(i, j);
      }
    }
  }
  // Loss figures of one side on the same days that are far apart.
  for (auto& [key, list] : losses) {
    std::vector<uint32_t> near = list;
    auto next = losses.find({key.first, key.second + 1});
    if (next != losses.end()) near.insert(near.end(), next->second.begin(), next->second.end());
    for (uint32_t i : list) {
      for (uint32_t j : near) {
        if (j == i) continue;
        const auto& a = out.clusters[i];
        const auto& b = out.clusters[j];
        if (!Overlap(window(a), window(b))) continue;
        if (a.place && b.place && !PlacesMatch(*a.place, *b.place)) continue;
        bool disagree = false;
        for (uint32_t ma : a.members) {
          for (uint32_t mb : b.members) {
            for (const ReportQuantity& qa : in.reports[ma].quantities) {
              for (const ReportQuantity& qb : in.reports[mb].quantities) {
                if (qa.unit != qb.unit || qa.unit == Unit::kNone || qa.value <= 0 || qb.value <= 0) continue;
                const double ratio = std::max(qa.value, qb.value) / std::min(qa.value, qb.value);
                disagree |= ratio > kLossRatio;
              }
            }
          }
        }
        if (disagree) link(i, j);
      }
    }
  }
  for (auto& c : out.clusters) std::sort(c.contradicts.begin(), c.contradicts.end());
}

void Fuser::BuildControl(const FusionInput& in, FusionResult& out) const {
  out.control = Control(out.clusters);
}

std::vector<ControlChange> Fuser::Control(const std::vector<::sitrep::Cluster>& clusters) const {
  FusionResult out;  // only its control is filled
  struct Change {
    uint32_t cluster;
    Side holder;
    int64_t day;
  };
  std::map<std::string, std::vector<Change>> by_place;
  std::map<std::string, const ReportPlace*> where;
  for (uint32_t i = 0; i < clusters.size(); ++i) {
    const auto& c = clusters[i];
    if (!ChangesHands(c)) continue;
    Side holder;
    if (c.type == EventType::kCapture || c.type == EventType::kRecapture) {
      holder = c.side;
    } else if (c.type == EventType::kWithdrawal) {
      holder = c.side == Side::kRU ? Side::kUA : Side::kRU;
    } else {
      continue;
    }
    by_place[c.place->id].push_back({i, holder, c.day_from});
    where[c.place->id] = &*c.place;
  }
  // Background settlements and regions with no change in the reports hold all along.
  for (const Holding& h : background_->holdings()) {
    if (!h.region && by_place.count(h.id)) continue;
    ControlChange k;
    k.place_id = h.id;
    k.name = h.name;
    k.admin1 = h.region ? "" : h.admin1;
    if (h.lat && h.lon) {
      k.lat = *h.lat;
      k.lon = *h.lon;
      k.has_coordinates = true;
    }
    k.side = h.side;
    k.from = h.since;
    k.background = true;
    out.control.push_back(std::move(k));
  }
  for (auto& [id, changes] : by_place) {
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.day < b.day; });
    const ReportPlace& p = *where[id];
    const size_t first = out.control.size();
    ControlChange base;
    base.place_id = id;
    base.name = p.name;
    base.admin1 = p.admin1;
    base.lat = p.lat;
    base.lon = p.lon;
    base.has_coordinates = true;
    if (const Holding* h = background_->Find(id, p.admin1); h != nullptr && !h->region) {
      ControlChange k = base;
      k.side = h->side;
      k.from = h->since;
      k.background = true;
      out.control.push_back(std::move(k));
    }
    for (const Change& ch : changes) {
      const auto& c = clusters[ch.cluster];
      ControlChange* cur = out.control.size() > first ? &out.control.back() : nullptr;
      if (cur == nullptr || cur->side != ch.holder) {
        ControlChange k = base;
        k.side = ch.holder;
        k.from = ch.day;
        k.status = c.status;
        out.control.push_back(std::move(k));
        // The other side's claim a few days before: claims disagree.
        if (cur != nullptr && !cur->background && ch.day - cur->from <= kContestedDays) {
          out.control[out.control.size() - 2].contested = true;
          out.control.back().contested = true;
        }
        cur = &out.control.back();
      }
      cur->basis.push_back({ch.cluster, c.type});
      if (Strength(c.status) < Strength(cur->status)) cur->status = c.status;
      cur->independent_sources = std::max<uint32_t>(cur->independent_sources, c.sources.size());
      if (!c.contradicts.empty()) cur->contested = true;
    }
  }
  return std::move(out.control);
}

bool Fuser::ChangesHands(const ::sitrep::Cluster& c) const {
  if (c.negative || !Realis(c.status) || !c.dated || !c.place || c.place->id.empty() ||
      c.place->feature != PlaceFeature::kSettlement || c.place->radius_km > kSpotRadiusKm)
    return false;
  if (c.side != Side::kRU && c.side != Side::kUA) return false;
  return c.type == EventType::kCapture || c.type == EventType::kRecapture || c.type == EventType::kWithdrawal;
}

const ControlChange* Fuser::HolderOn(const std::vector<ControlChange>& control, std::string_view place_id,
                                     int64_t day) {
  const ControlChange* best = nullptr;
  for (const ControlChange& k : control) {
    if (k.place_id != place_id || k.from > day) continue;
    if (best == nullptr || k.from >= best->from) best = &k;
  }
  return best;
}

void Fuser::ReadOut(const FusionInput& in, FusionResult& out) const {
  out.docs.assign(in.docs.size(), DocReadout{});
  for (uint32_t ri = 0; ri < in.reports.size(); ++ri)
    ReadOutReport(in, out, ri, out.control, 0, &out.docs[in.reports[ri].doc]);
}

void Fuser::ReadOutReport(const FusionInput& in, const FusionResult& out, uint32_t ri,
                          const std::vector<ControlChange>& control, uint32_t cluster_offset,
                          DocReadout* readout) const {
  {
    const Report& r = in.reports[ri];
    if (Negative(r) || !Realis(r.status)) return;
    DocReadout& d = *readout;
    const auto& c = out.clusters[out.cluster_of[ri]];
    ++d.events;
    // Corroborated: another article (not a near duplicate) and another source.
    bool other_article = false;
    for (uint32_t m : c.members) other_article |= in.docs[in.reports[m].doc].dup_group != in.docs[r.doc].dup_group;
    if (other_article && c.sources.size() >= 2) ++d.corroborated;
    // Contradicted: by a better-supported cluster, or by who held the place.
    std::string why;
    for (uint32_t o : c.contradicts) {
      const auto& other = out.clusters[o];
      if (other.sources.size() > c.sources.size()) {
        why = std::string(Name(c.type)) + " by " + std::string(Name(c.side)) +
              (c.place ? " at " + c.place->name : "") + " is contradicted by " + other.id + " (" +
              std::string(Name(other.type)) + " by " + std::string(Name(other.side)) + ", " +
              std::to_string(other.sources.size()) + " independent sources)";
        break;
      }
    }
    if (why.empty() && r.place && r.dated && !r.place->inferred) {
      const Holding* h = background_->Find(r.place->id, r.place->feature == PlaceFeature::kSettlement ? r.place->admin1 : "");
      if (h != nullptr) {
        const std::string bg = ContradictsHolding(r.type, r.side, *h, r.day_to);
        if (!bg.empty()) why = std::string(Name(r.type)) + " by " + std::string(Name(r.side)) + " at " + r.place->name + " is " + bg;
      } else if (!r.place->id.empty()) {
        // Held by the other record, on clusters other than this one.
        const ControlChange* k = HolderOn(control, r.place->id, r.day_from - 1);
        const bool own = k != nullptr && std::any_of(k->basis.begin(), k->basis.end(), [&](const ControlBasis& b) {
                           return b.cluster == cluster_offset + out.cluster_of[ri];
                         });
        if (k != nullptr && !own && !k->contested && k->independent_sources > c.sources.size()) {
          Holding held;
          held.id = k->place_id;
          held.name = k->name;
          held.side = k->side;
          held.since = k->from;
          const std::string rec = ContradictsHolding(r.type, r.side, held, r.day_to);
          if (!rec.empty())
            why = std::string(Name(r.type)) + " by " + std::string(Name(r.side)) + " at " + r.place->name + " is " +
                  rec.substr(0, rec.find(" (data/")) + " (by the fused record)";
        }
      }
    }
    if (!why.empty()) {
      ++d.contradicted;
      if (d.contradiction.empty()) d.contradiction = why;
    }
  }
}

}  // namespace sitrep
