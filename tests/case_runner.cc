// The case-file runner: every src/*/testdata/*.test file holds short texts we wrote,
// each followed by what the whole pipeline must (and must not) find in it. One
// GoogleTest test per case, named after its file and line, so ctest lists them.
//
// Format (blank lines separate cases, '#' lines are comments):
//   events
//   Russian forces withdrew from Kherson on Friday.
//   ----
//   withdrawal RU @Kherson status=asserted
//   !capture
// An expected line is `TYPE [SIDE] [@Place, Place] [status=S] [negated]`; the event must
// exist with that type and side, every listed place among its locations (canonical
// name or text as written), and the status/negation when given. A line starting with
// "!" says no event may match it. `places` cases list `Text -> Name` pairs that must be
// resolved, and `!Text` names that must not be reported as places.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "base/paths.h"
#include "base/tsv.h"
#include "pipeline/pipeline.h"

namespace sitrep {
namespace {

struct Case {
  std::string file;
  size_t line = 0;
  std::string kind;  // events | places
  std::string text;
  std::vector<std::string> expect;
};

const Pipeline* SharedPipeline(std::string* error) {
  static std::string load_error;
  static std::unique_ptr<Pipeline> pipeline = [] {
    PipelineOptions options;
    return Pipeline::Load(options, &load_error);
  }();
  *error = load_error;
  return pipeline.get();
}

std::vector<Case> ParseCases(const std::string& path) {
  std::vector<Case> cases;
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  Case current;
  enum { kIdle, kText, kExpect } state = kIdle;
  auto flush = [&] {
    if (state != kIdle && !current.kind.empty()) cases.push_back(current);
    current = Case();
    state = kIdle;
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      if (state == kExpect) flush();
      else if (state == kText) current.text += "\n";
      continue;
    }
    if (state == kIdle) {
      current.file = path;
      current.line = n;
      current.kind = line;
      state = kText;
    } else if (state == kText) {
      if (line == "----") {
        state = kExpect;
      } else {
        current.text += (current.text.empty() ? "" : "\n") + line;
      }
    } else {
      current.expect.push_back(line);
    }
  }
  flush();
  return cases;
}

std::string Dump(const Document& doc) {
  std::ostringstream out;
  for (const Event& ev : doc.events) {
    out << "  " << Name(ev.type) << " " << Name(ev.side);
    std::string sep = " @";
    for (const EventLocation& l : ev.locations) {
      out << sep << doc.places[l.place].name;
      sep = ",";
    }
    out << " status=" << Name(ev.status) << (ev.negated ? " negated" : "") << "  «"
        << doc.Text(ev.trigger) << "»\n";
  }
  out << "  places:";
  for (const Place& p : doc.places) {
    out << " " << doc.Text(p.span) << "->" << p.name << (p.reportable ? "" : "(not reported)");
  }
  return out.str();
}

bool HasPlace(const Document& doc, const Event& ev, const std::string& want) {
  return std::any_of(ev.locations.begin(), ev.locations.end(), [&](const EventLocation& l) {
    const Place& p = doc.places[l.place];
    return p.name == want || doc.Text(p.span) == want;
  });
}

// An expectation line: TYPE [SIDE] [@Place, Other Place] [status=S] [negated]. Place
// names may hold spaces; they run to the next "status=" or "negated". Without a side,
// any side matches.
struct Expectation {
  bool banned = false;
  std::string type, side, status;
  std::vector<std::string> places;
  bool negated = false;
};

Expectation ParseExpectation(const std::string& line) {
  Expectation e;
  std::string rest = line;
  if (!rest.empty() && rest[0] == '!') {
    e.banned = true;
    rest = rest.substr(1);
  }
  std::istringstream words(rest);
  std::string word;
  words >> e.type;
  std::vector<std::string> tail;
  while (words >> word) tail.push_back(word);
  // The side may be left out ("!air_defence status=asserted"): then any side.
  size_t first = 0;
  if (!tail.empty() && tail[0].rfind("status=", 0) != 0 && tail[0] != "negated" && tail[0][0] != '@') {
    e.side = tail[0];
    first = 1;
  }
  std::string place_text;
  bool in_places = false;
  for (size_t k = first; k < tail.size(); ++k) {
    word = tail[k];
    if (word.rfind("status=", 0) == 0) {
      e.status = word.substr(7);
      in_places = false;
    } else if (word == "negated") {
      e.negated = true;
      in_places = false;
    } else if (word[0] == '@') {
      in_places = true;
      place_text = word.substr(1);
    } else if (in_places) {
      place_text += " " + word;
    }
  }
  for (std::string p : Split(place_text, ',')) {
    while (!p.empty() && p.front() == ' ') p.erase(p.begin());
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (!p.empty()) e.places.push_back(p);
  }
  return e;
}

void CheckEvents(const Case& c, const Document& doc) {
  for (const std::string& line : c.expect) {
    const Expectation want = ParseExpectation(line);
    if (want.type.empty()) continue;
    auto matches = [&](const Event& ev) {
      if (Name(ev.type) != want.type) return false;
      if (!want.side.empty() && Name(ev.side) != want.side) return false;
      if (!std::all_of(want.places.begin(), want.places.end(),
                       [&](const std::string& p) { return HasPlace(doc, ev, p); }))
        return false;
      if (!want.status.empty() && Name(ev.status) != want.status) return false;
      return !want.negated || ev.negated;
    };
    if (want.banned) {
      for (const Event& ev : doc.events) {
        EXPECT_FALSE(matches(ev)) << "must not find " << line.substr(1) << "\n" << Dump(doc);
      }
      continue;
    }
    const bool found = std::any_of(doc.events.begin(), doc.events.end(), matches);
    EXPECT_TRUE(found) << "expected " << line << "\n" << Dump(doc);
  }
}

void CheckPlaces(const Case& c, const Document& doc) {
  for (const std::string& line : c.expect) {
    if (line[0] == '!') {
      const std::string banned = line.substr(1);
      for (const Place& p : doc.places) {
        EXPECT_FALSE(p.reportable && doc.Text(p.span) == banned)
            << "must not report " << banned << "\n" << Dump(doc);
      }
      continue;
    }
    const size_t arrow = line.find(" -> ");
    ASSERT_NE(arrow, std::string::npos) << c.file << ":" << c.line << ": bad line " << line;
    const std::string text = line.substr(0, arrow);
    const std::string name = line.substr(arrow + 4);
    const bool found = std::any_of(doc.places.begin(), doc.places.end(), [&](const Place& p) {
      return p.reportable && doc.Text(p.span) == text && p.name == name;
    });
    EXPECT_TRUE(found) << "expected " << line << "\n" << Dump(doc);
  }
}

class CaseTest : public testing::Test {
 public:
  explicit CaseTest(Case c) : case_(std::move(c)) {}
  void TestBody() override {
    std::string error;
    const Pipeline* pipeline = SharedPipeline(&error);
    if (pipeline == nullptr) GTEST_SKIP() << "pipeline not available: " << error;
    Document doc;
    doc.doc_id = "case";
    doc.text = case_.text;
    ASSERT_TRUE(pipeline->Process(doc).ok());
    if (case_.kind == "events") {
      CheckEvents(case_, doc);
    } else if (case_.kind == "places") {
      CheckPlaces(case_, doc);
    } else {
      FAIL() << case_.file << ":" << case_.line << ": unknown case kind '" << case_.kind << "'";
    }
  }

 private:
  Case case_;
};

std::vector<std::string> CaseFiles(const std::string& src) {
  std::vector<std::string> files;
  DIR* dir = ::opendir(src.c_str());
  if (dir == nullptr) return files;
  while (dirent* stage = ::readdir(dir)) {
    if (stage->d_name[0] == '.') continue;
    const std::string testdata = src + "/" + stage->d_name + "/testdata";
    DIR* td = ::opendir(testdata.c_str());
    if (td == nullptr) continue;
    while (dirent* f = ::readdir(td)) {
      const std::string name = f->d_name;
      if (name.size() > 5 && name.substr(name.size() - 5) == ".test")
        files.push_back(testdata + "/" + name);
    }
    ::closedir(td);
  }
  ::closedir(dir);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace
}  // namespace sitrep

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const std::string src = SITREP_SOURCE_DIR "/src";
  for (const std::string& file : sitrep::CaseFiles(src)) {
    const std::string suite = file.substr(src.size() + 1);
    for (const sitrep::Case& c : sitrep::ParseCases(file)) {
      if (c.kind == "places" || c.kind == "events") {
        // Cases of other kinds belong to a stage's own test binary.
      } else {
        continue;
      }
      const std::string name = "line" + std::to_string(c.line);
      testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, file.c_str(),
                            static_cast<int>(c.line),
                            [c]() -> testing::Test* { return new sitrep::CaseTest(c); });
    }
  }
  return RUN_ALL_TESTS();
}
