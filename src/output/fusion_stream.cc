#include "output/fusion_stream.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "output/fusion_records.h"
#include "output/json_writer.h"

namespace sitrep {
namespace {

// Records with no day at all come last, in windows of StreamFusionOptions::undated_docs
// documents: undated reports meet only copies of their own article (Fuser), which such a
// window still finds but for copies filed far apart.
constexpr int64_t kUndated = INT64_MAX - (int64_t{1} << 40);
bool IsUndated(int64_t w) { return w >= kUndated; }
// A cluster takes no more reports once the next window starts this many days after its
// last day (plus its type's extra days): a report's window reaches back at most the
// three days before publication, the type's extra days and a day of slack.
constexpr int64_t kSettleDays = 21;
constexpr size_t kFlushBytes = 1u << 20;
// The settled changes of a place an article is read against: its latest ones (who holds
// it when the article is written), not its whole history.
constexpr size_t kRecentChanges = 16;

// "…}" -> "…,"cluster":"c:…"}\n"
std::string WithCluster(std::string_view line, const std::string& cluster) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\n')) line.remove_suffix(1);
  std::string out(line.substr(0, line.size() - 1));
  out += ",\"cluster\":";
  AppendJsonString(out, cluster);
  out += "}\n";
  return out;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The window files: written in pass 1 through a few open streams (input in roughly
// time order touches few windows at once), read back one at a time in pass 2.
struct Files {
  static constexpr size_t kMaxOpen = 32;
  std::string dir;
  std::set<int64_t> windows;                               // every window with a file
  std::vector<std::pair<int64_t, std::FILE*>> open;        // most recently used last
  bool failed = false;
  ~Files() {
    CloseAll();
    for (int64_t w : windows) std::remove(Path(w).c_str());
    if (!dir.empty()) ::rmdir(dir.c_str());
  }
  std::string Path(int64_t w) const {
    return dir + "/" + (IsUndated(w) ? "undated-" + std::to_string(w - kUndated) : std::to_string(w)) +
           ".jsonl";
  }
  void CloseAll() {
    for (auto& [w, f] : open) failed |= std::fclose(f) != 0;
    open.clear();
  }
  std::FILE* Get(int64_t w) {
    for (size_t i = 0; i < open.size(); ++i) {
      if (open[i].first != w) continue;
      std::rotate(open.begin() + i, open.begin() + i + 1, open.end());
      return open.back().second;
    }
    if (open.size() >= kMaxOpen) {
      failed |= std::fclose(open.front().second) != 0;
      open.erase(open.begin());
    }
    std::FILE* f = std::fopen(Path(w).c_str(), windows.count(w) ? "ab" : "wb");
    if (f == nullptr) {
      failed = true;
      return nullptr;
    }
    windows.insert(w);
    open.emplace_back(w, f);
    return f;
  }
};

// A document of pass 1 with its events, filed when the next document begins.
struct Pending {
  std::string doc_id;
  std::string line;  // the document record, or "" when its events came without one
  std::optional<int64_t> published;
  std::vector<std::pair<int64_t, std::string>> events;  // window, record
};

// A document waiting to be written: all its events must be settled first.
struct OpenDoc {
  std::string line;
  int64_t last_window = 0;
  DocReadout readout;
};

}  // namespace

bool FuseStream(const std::vector<std::string>& paths, const Fuser& fuser, const SignalWeights& weights,
                const StreamFusionOptions& options, OutputFile* out, std::vector<std::string>* warnings,
                StreamFusionSummary* summary, std::string* error) {
  *summary = StreamFusionSummary{};
  const int64_t span = std::max<int64_t>(1, options.window_days);
  auto window_of = [&](std::optional<int64_t> day) { return day ? FloorDiv(*day, span) : kUndated; };
  std::string buf;
  auto flush = [&](bool force) {
    if (buf.empty() || (!force && buf.size() < kFlushBytes)) return true;
    const Result r = out->Write(buf);
    buf.clear();
    if (!r.ok()) *error = r.message();
    return r.ok();
  };

  Files files;
  {
    std::string tmp = options.temp_dir;
    if (tmp.empty()) {
      const char* env = std::getenv("TMPDIR");
      tmp = env != nullptr && *env != '\0' ? env : "/tmp";
    }
    std::string pattern = tmp + "/sitrep-fuse-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      *error = "cannot create a temporary directory in " + tmp;
      return false;
    }
    files.dir = pattern;
  }

  // Pass 1: file every record by its window.
  bool wrote = true;
  size_t undated_docs = 0;
  auto file = [&](Pending& p) {
    if (p.doc_id.empty()) return;
    std::set<int64_t> ws;
    for (const auto& [w, line] : p.events) ws.insert(w);
    if (ws.empty()) ws.insert(window_of(p.published));
    // The undated ones to the undated window of this document's turn.
    if (IsUndated(*ws.rbegin())) {
      const int64_t chunk = kUndated + static_cast<int64_t>(undated_docs++ / std::max<size_t>(1, options.undated_docs));
      ws.erase(kUndated);
      ws.insert(chunk);
      for (auto& [w, line] : p.events) {
        if (w == kUndated) w = chunk;
      }
    }
    const int64_t last = *ws.rbegin();
    for (int64_t w : ws) {
      std::FILE* f = files.Get(w);
      if (f == nullptr) {
        wrote = false;
        continue;
      }
      std::fprintf(f, "D\t%lld\t%s\n", static_cast<long long>(last), p.line.c_str());
      for (const auto& [ew, line] : p.events) {
        if (ew == w) std::fprintf(f, "E\t%s\n", line.c_str());
      }
      wrote = wrote && !std::ferror(f);
    }
    p = Pending{};
  };
  RecordKeyReader keys;
  for (const std::string& path : paths) {
    Pending pending;
    const bool read = ForEachRecordLine(path, warnings, error, [&](std::string_view line, size_t padding) {
      RecordKey key;
      if (std::string why = keys.Read(line, padding, pending.published, &key); !why.empty()) return why;
      if (key.kind == "cluster" || key.kind == "control") return std::string();
      if (key.kind == "document") {
        file(pending);
        pending.doc_id = key.doc_id;
        pending.line = std::string(line);
        pending.published = key.day;
      } else if (key.kind == "event") {
        if (key.doc_id != pending.doc_id) {
          // Events without their document record right before: filed on their own, dated
          // by themselves.
          file(pending);
          pending.doc_id = key.doc_id;
          keys.Read(line, padding, std::nullopt, &key);
        }
        pending.events.emplace_back(window_of(key.day), std::string(line));
      } else if (!key.kind.empty() || line.find_first_not_of(" \t\r") != std::string_view::npos) {
        // Records of other kinds pass through.
        buf.append(line);
        buf += '\n';
        if (!flush(false)) return std::string("cannot write the output");
      }
      return std::string();
    });
    if (!read) return false;
    file(pending);
  }
  files.CloseAll();
  if (!wrote || files.failed) {
    *error = "cannot write the temporary window files in " + files.dir;
    return false;
  }

  // Pass 2: fuse the windows in time order.
  struct Carried {
    std::string doc_id;
    std::vector<std::string> events;
  };
  std::vector<Carried> carry;
  std::unordered_map<std::string, OpenDoc> open_docs;
  std::vector<Cluster> territorial;  // settled clusters that may change who holds a place
  std::unordered_map<std::string, std::vector<uint32_t>> territorial_at;  // by place id
  const std::vector<int64_t> order(files.windows.begin(), files.windows.end());
  simdjson::dom::parser parser;
  for (size_t wi = 0; wi < order.size(); ++wi) {
    const int64_t w = order[wi];
    ++summary->windows;
    FusionInput in;
    RecordParser records(&in);
    std::vector<std::string> event_lines;  // per report
    auto add_doc = [&](const std::string& id, const std::string& line, int64_t last) {
      OpenDoc& d = open_docs[id];
      if (d.line.empty()) d.line = line;
      d.last_window = std::max(d.last_window, last);
      if (!d.line.empty()) records.Add(d.line);
    };
    auto add_event = [&](std::string line) {
      const size_t before = in.reports.size();
      records.Add(line);
      if (in.reports.size() > before) event_lines.push_back(std::move(line));
    };
    for (Carried& c : carry) {
      const OpenDoc& d = open_docs[c.doc_id];
      if (!d.line.empty()) records.Add(d.line);
      for (std::string& e : c.events) add_event(std::move(e));
    }
    summary->most_carried = std::max(summary->most_carried, in.reports.size());
    carry.clear();
    std::FILE* f = std::fopen(files.Path(w).c_str(), "rb");
    if (f == nullptr) {
      *error = "cannot read back " + files.Path(w);
      return false;
    }
    {
      std::string line;
      char chunk[1 << 16];
      bool done = false;
      while (!done) {
        line.clear();
        // One line of any length.
        for (;;) {
          if (std::fgets(chunk, sizeof chunk, f) == nullptr) {
            done = line.empty();
            break;
          }
          line += chunk;
          if (!line.empty() && line.back() == '\n') break;
        }
        if (done) break;
        if (!line.empty() && line.back() == '\n') line.pop_back();
        if (line.size() >= 2 && line[0] == 'E' && line[1] == '\t') {
          add_event(line.substr(2));
        } else if (line.size() >= 2 && line[0] == 'D' && line[1] == '\t') {
          const size_t tab = line.find('\t', 2);
          if (tab == std::string::npos) continue;
          const int64_t last = std::strtoll(line.c_str() + 2, nullptr, 10);
          std::string json = line.substr(tab + 1);
          std::string id;
          if (!json.empty()) {
            simdjson::dom::element root;
            std::string_view v;
            if (parser.parse(json).get(root) == simdjson::SUCCESS && root["doc_id"].get(v) == simdjson::SUCCESS)
              id = std::string(v);
          }
          if (!id.empty()) add_doc(id, json, last);
        }
      }
    }
    std::fclose(f);
    std::remove(files.Path(w).c_str());
    if (in.reports.empty() && in.docs.empty()) continue;
    FusionResult res = fuser.Fuse(in, /*read_out=*/false);

    // Settled: clusters that no later window can add to, with whatever contradicts them.
    const bool last_window = wi + 1 == order.size() || IsUndated(order[wi + 1]) || IsUndated(w);
    const int64_t next_start = last_window ? INT64_MAX : order[wi + 1] * span;
    std::vector<char> settled(res.clusters.size(), 0);
    for (size_t c = 0; c < res.clusters.size(); ++c) {
      const Cluster& cl = res.clusters[c];
      settled[c] = next_start == INT64_MAX || !cl.dated ||
                   cl.day_to + fuser.ExtraDays(cl.type) + kSettleDays < next_start;
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t c = 0; c < res.clusters.size(); ++c) {
        if (!settled[c]) continue;
        for (uint32_t o : res.clusters[c].contradicts) {
          if (!settled[o]) {
            settled[c] = 0;
            changed = true;
            break;
          }
        }
      }
    }
    // Control to read the articles against: the settled territorial clusters of the
    // places these reports name, then this window's clusters.
    std::vector<Cluster> all;
    {
      std::unordered_set<uint32_t> picked;
      for (const Report& r : in.reports) {
        if (!r.place || r.place->id.empty()) continue;
        auto it = territorial_at.find(r.place->id);
        if (it == territorial_at.end()) continue;
        // Filed in time order: who held it lately is in its last changes.
        const auto& at = it->second;
        for (size_t k = at.size() > kRecentChanges ? at.size() - kRecentChanges : 0; k < at.size(); ++k) {
          if (picked.insert(at[k]).second) all.push_back(territorial[at[k]]);
        }
      }
    }
    const auto offset = static_cast<uint32_t>(all.size());
    all.insert(all.end(), res.clusters.begin(), res.clusters.end());
    const std::vector<ControlChange> control = fuser.Control(all);

    std::unordered_set<uint32_t> unsettled_docs;
    for (size_t c = 0; c < res.clusters.size(); ++c) {
      const Cluster& cl = res.clusters[c];
      if (!settled[c]) {
        for (uint32_t m : cl.members) unsettled_docs.insert(in.reports[m].doc);
        continue;
      }
      for (uint32_t m : cl.members) {
        buf += WithCluster(event_lines[m], cl.id);
        fuser.ReadOutReport(in, res, m, control, offset, &open_docs[in.docs[in.reports[m].doc].doc_id].readout);
        ++summary->events;
      }
      AppendClusterRecord(buf, in, res, cl);
      ++summary->clusters;
      summary->corroborated += cl.members.size() >= 2 && cl.sources.size() >= 2;
      summary->contradicting += !cl.contradicts.empty();
      summary->max_sources = std::max(summary->max_sources, cl.sources.size());
      if (fuser.ChangesHands(cl)) {
        // What control reads of it, and no more: it is kept to the end.
        Cluster compact;
        compact.id = cl.id;
        compact.type = cl.type;
        compact.side = cl.side;
        compact.status = cl.status;
        compact.negative = cl.negative;
        compact.place = cl.place;
        compact.place->country.clear();
        compact.dated = cl.dated;
        compact.day_from = cl.day_from;
        compact.day_to = cl.day_to;
        compact.sources.resize(cl.sources.size());  // counted, not named
        // Control asks only whether anything contradicts it; the indices were this window's.
        if (!cl.contradicts.empty()) compact.contradicts = {0};
        territorial_at[cl.place->id].push_back(static_cast<uint32_t>(territorial.size()));
        territorial.push_back(std::move(compact));
      }
      if (!flush(false)) return false;
    }
    // Carry the rest, with their documents.
    std::unordered_map<uint32_t, size_t> carried_of;
    for (size_t c = 0; c < res.clusters.size(); ++c) {
      if (settled[c]) continue;
      for (uint32_t m : res.clusters[c].members) {
        const uint32_t d = in.reports[m].doc;
        auto [it, fresh] = carried_of.try_emplace(d, carry.size());
        if (fresh) carry.push_back(Carried{in.docs[d].doc_id, {}});
        carry[it->second].events.push_back(std::move(event_lines[m]));
      }
    }
    // Documents all of whose events are settled, and whose later windows have passed.
    for (const auto& group : res.near_duplicates) {
      if (!unsettled_docs.count(group.front())) ++summary->near_duplicate_groups;
    }
    for (uint32_t d = 0; d < in.docs.size(); ++d) {
      if (unsettled_docs.count(d)) continue;
      auto it = open_docs.find(in.docs[d].doc_id);
      if (it == open_docs.end() || (it->second.last_window > w && !IsUndated(w))) continue;
      if (!it->second.line.empty()) {
        simdjson::dom::element root;
        simdjson::dom::object o;
        if (parser.parse(it->second.line).get(root) == simdjson::SUCCESS && root.get(o) == simdjson::SUCCESS) {
          buf += RewriteDocumentRecord(o, it->second.readout, weights, nullptr);
          ++summary->documents;
        }
      }
      open_docs.erase(it);
      if (!flush(false)) return false;
    }
  }
  // Documents of events that never came (an event record with no document is filed on
  // its own, a document whose events were all invalid): written as they are.
  for (auto& [id, d] : open_docs) {
    if (d.line.empty()) continue;
    simdjson::dom::element root;
    simdjson::dom::object o;
    if (parser.parse(d.line).get(root) == simdjson::SUCCESS && root.get(o) == simdjson::SUCCESS) {
      buf += RewriteDocumentRecord(o, d.readout, weights, nullptr);
      ++summary->documents;
    }
  }
  FusionResult done;
  done.clusters = std::move(territorial);
  done.control = fuser.Control(done.clusters);
  for (size_t k = 0; k < done.control.size(); ++k) AppendControlRecord(buf, done, done.control[k], k);
  summary->control = done.control.size();
  return flush(true);
}

}  // namespace sitrep
