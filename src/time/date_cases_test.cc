// Runs the case files in src/time/testdata/*.test. Each case is a command line, the
// input text (one sentence per line) up to "----", then the expected dump up to a blank
// line:
//   dates <YYYY-MM-DD|none>   the publication date given as metadata (none: the text's
//                             own, if any); expects one Dump(mention) line per mention
//   published                 expects one Dump(PublishedFinding) line
// Lines starting with '#' between cases are comments.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "time/time_test_util.h"

namespace sitrep::testing {
namespace {

struct Case {
  std::string file;
  int line = 0;
  std::string command;
  std::string input;
  std::vector<std::string> expected;
};

std::vector<Case> ReadCases(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::vector<Case> cases;
  size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].empty() || lines[i][0] == '#') {
      ++i;
      continue;
    }
    Case c;
    c.file = path.filename().string();
    c.line = static_cast<int>(i + 1);
    c.command = lines[i++];
    std::vector<std::string> input;
    while (i < lines.size() && lines[i] != "----") input.push_back(lines[i++]);
    ++i;  // "----"
    for (size_t k = 0; k < input.size(); ++k) c.input += (k ? "\n" : "") + input[k];
    while (i < lines.size() && !lines[i].empty()) c.expected.push_back(lines[i++]);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<std::string> RunCase(const Case& c) {
  std::vector<std::string> out;
  std::istringstream cmd(c.command);
  std::string verb;
  std::string arg;
  cmd >> verb >> arg;
  const DateRecogniser& rec = Recogniser();
  if (verb == "published") {
    const Document doc = MakeDocument(c.input);
    out.push_back(Dump(doc, FindPublishedDate(doc, rec.scanner())));
    return out;
  }
  if (verb == "dates") {
    std::optional<CivilDate> pub;
    if (arg != "none") pub = ParseIsoDate(arg);
    Document doc = MakeDocument(c.input, pub);
    EXPECT_TRUE(rec.Process(doc).ok());
    for (const DateMention& m : doc.dates) out.push_back(Dump(doc, m));
    return out;
  }
  ADD_FAILURE() << c.file << ":" << c.line << ": unknown command '" << c.command << "'";
  return out;
}

TEST(DateCases, AllFiles) {
  const std::filesystem::path dir =
      std::filesystem::path(SITREP_SOURCE_DATA_DIR) / ".." / "src" / "time" / "testdata";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  int cases = 0;
  for (const std::filesystem::path& file : files) {
    for (const Case& c : ReadCases(file)) {
      ++cases;
      SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + ": " + c.command);
      EXPECT_EQ(RunCase(c), c.expected) << "input:\n" << c.input;
    }
  }
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace sitrep::testing
