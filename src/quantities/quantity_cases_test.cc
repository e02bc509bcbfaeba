// Runs the cases of testdata/quantities.test (format described at the top of the file).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "quantities/quantity_test_util.h"

namespace sitrep {
namespace {

struct Expected {
  std::string line;  // as written, for messages
  double value = 0;
  bool approx = false;
  std::string unit;
  std::string what;
  std::string side;
  std::string text;  // empty: not checked
};

struct Case {
  size_t line = 0;
  std::vector<std::string> sentences;
  std::vector<Expected> expected;
  bool none = false;
};

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<Case> cases;
  std::string line;
  size_t no = 0;
  bool in_sentences = false;
  while (std::getline(in, line)) {
    ++no;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("> ", 0) == 0) {
      if (!in_sentences) cases.push_back(Case{no, {}, {}, false});
      cases.back().sentences.push_back(line.substr(2));
      in_sentences = true;
      continue;
    }
    in_sentences = false;
    if (cases.empty()) continue;
    if (Trim(line) == "none") {
      cases.back().none = true;
      continue;
    }
    Expected e;
    e.line = line;
    std::string fields = line;
    if (const size_t bar = line.find('|'); bar != std::string::npos) {
      e.text = Trim(line.substr(bar + 1));
      fields = line.substr(0, bar);
    }
    std::istringstream ss(fields);
    std::string approx;
    ss >> e.value >> approx >> e.unit >> e.what >> e.side;
    e.approx = approx == "~";
    if (e.unit == "null") e.unit.clear();
    if (e.what == "-") e.what.clear();
    cases.back().expected.push_back(e);
  }
  return cases;
}

TEST(QuantityCases, TestdataFile) {
  const std::string path = testing::TestDataDir() + "/../src/quantities/testdata/quantities.test";
  const std::vector<Case> cases = ReadCases(path);
  ASSERT_GT(cases.size(), 50u);
  for (const Case& c : cases) {
    const Document doc = testing::Recognise(c.sentences);
    std::ostringstream got;
    for (const Quantity& q : doc.quantities) {
      got << "\n    " << q.value << (q.approx ? " ~ " : " = ")
          << (Name(q.unit).empty() ? "null" : Name(q.unit)) << " "
          << (q.what.empty() ? "-" : q.what) << " " << Name(q.side) << " | " << doc.Text(q.span);
    }
    SCOPED_TRACE("quantities.test:" + std::to_string(c.line) + ": " + c.sentences.back() +
                 "\n  got:" + got.str());
    if (c.none) {
      EXPECT_TRUE(doc.quantities.empty());
      continue;
    }
    ASSERT_EQ(doc.quantities.size(), c.expected.size());
    for (size_t i = 0; i < c.expected.size(); ++i) {
      const Expected& e = c.expected[i];
      const Quantity& q = doc.quantities[i];
      SCOPED_TRACE("expected: " + e.line);
      EXPECT_EQ(q.value, e.value);
      EXPECT_EQ(q.approx, e.approx);
      EXPECT_EQ(Name(q.unit), e.unit);
      EXPECT_EQ(q.what, e.what);
      EXPECT_EQ(Name(q.side), e.side);
      if (!e.text.empty()) {
        EXPECT_EQ(doc.Text(q.span), e.text);
      }
    }
  }
}

}  // namespace
}  // namespace sitrep
