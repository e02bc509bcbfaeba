// Unit tests of the quantities stage's API and its number reader. Most sentence-level
// behaviour is in testdata/quantities.test (quantity_cases_test.cc).
#include "quantities/quantity_recogniser.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "quantities/number_reader.h"
#include "quantities/quantity_test_util.h"
#include "segment/segmenter.h"

namespace sitrep {
namespace {

using testing::MakeDocument;
using testing::Recognise;

const QuantityLexicon& Lexicon() {
  static const QuantityLexicon lex = [] {
    std::string error;
    std::optional<QuantityLexicon> l =
        QuantityLexicon::Load(testing::TestDataDir() + "/quantities", &error);
    if (!l) std::abort();
    return std::move(*l);
  }();
  return lex;
}

// The number read at the first token of text.
NumberExpr Read(const std::string& text) {
  const Document doc = MakeDocument({text});
  NumberExpr n;
  EXPECT_TRUE(ReadNumber(doc, Lexicon(), 0, 0, static_cast<uint32_t>(doc.tokens.size()), &n))
      << text;
  return n;
}

TEST(QuantityNumberReader, Digits) {
  EXPECT_EQ(Read("17,800 troops").value, 17800);
  EXPECT_EQ(Read("21.7 miles").value, 21.7);
  EXPECT_EQ(Read("1.5 million people").value, 1500000);
  EXPECT_EQ(Read("47.4m").value, 47400000);
  EXPECT_EQ(Read("12 thousand").value, 12000);
  EXPECT_FALSE(Read("12 soldiers").approx);
}

TEST(QuantityNumberReader, Words) {
  EXPECT_EQ(Read("seven boats").value, 7);
  EXPECT_EQ(Read("twenty-one drones").value, 21);
  EXPECT_EQ(Read("Two-and-a-half years").value, 2.5);
  EXPECT_EQ(Read("two and a half million").value, 2500000);
  EXPECT_EQ(Read("half a million").value, 500000);
  EXPECT_EQ(Read("a hundred").value, 100);
  EXPECT_EQ(Read("one hundred and five").value, 105);
  EXPECT_EQ(Read("three thousand four hundred").value, 3400);
  EXPECT_EQ(Read("a dozen tanks").value, 12);
  const NumberExpr several = Read("several hundred soldiers");
  EXPECT_EQ(several.value, 300);
  EXPECT_TRUE(several.approx);
  EXPECT_EQ(Read("a few thousand").value, 2000);
}

TEST(QuantityNumberReader, VaguePluralsTakeTheLeastTheyAllow) {
  const NumberExpr dozens = Read("dozens of children");
  EXPECT_EQ(dozens.value, 24);
  EXPECT_TRUE(dozens.vague);
  EXPECT_TRUE(dozens.approx);
  EXPECT_EQ(dozens.end, 2u);  // "dozens of" consumed
  EXPECT_EQ(Read("tens of thousands of people").value, 20000);
  EXPECT_EQ(Read("hundreds of thousands of soldiers").value, 200000);
  EXPECT_EQ(Read("thousands of civilians").value, 2000);
}

TEST(QuantityNumberReader, RangesTakeTheLowEnd) {
  const NumberExpr r = Read("1,400-1,500 requests");
  EXPECT_EQ(r.value, 1400);
  EXPECT_TRUE(r.range);
  EXPECT_TRUE(r.approx);
  EXPECT_EQ(Read("1.5 to 2 million").value, 1500000);
  EXPECT_EQ(Read("two or three").value, 2);
  // Not a range: the second number is smaller ("2023-11-09").
  EXPECT_FALSE(Read("2023-11-09").range);
}

TEST(QuantityNumberReader, Markers) {
  const Document doc = MakeDocument({"killed more than 300 and some 10,000+ more"});
  NumberExpr n;
  ASSERT_TRUE(ReadNumber(doc, Lexicon(), 0, 3, static_cast<uint32_t>(doc.tokens.size()), &n));
  EXPECT_EQ(n.span_begin, 1u);  // "more than"
  EXPECT_TRUE(n.approx);
  ASSERT_TRUE(ReadNumber(doc, Lexicon(), 0, 6, static_cast<uint32_t>(doc.tokens.size()), &n));
  EXPECT_EQ(n.span_begin, 5u);  // "some"
  EXPECT_EQ(n.end, 8u);         // "+" included
}

TEST(QuantityNumberReader, NotNumbers) {
  const Document doc = MakeDocument({"a soldier and m"});
  NumberExpr n;
  const auto limit = static_cast<uint32_t>(doc.tokens.size());
  EXPECT_FALSE(ReadNumber(doc, Lexicon(), 0, 0, limit, &n));  // "a" alone
  EXPECT_FALSE(ReadNumber(doc, Lexicon(), 0, 3, limit, &n));  // "m" alone
}

TEST(QuantityRecogniser, SpansSentenceAndOrder) {
  const Document doc = Recognise(
      {"Nothing to count here.", "Officials said approximately 17,800 Russian troops died."});
  ASSERT_EQ(doc.quantities.size(), 1u);
  const Quantity& q = doc.quantities[0];
  EXPECT_EQ(doc.Text(q.span), "approximately 17,800 Russian troops");
  EXPECT_EQ(doc.Text(q.number), "17,800");
  EXPECT_EQ(q.sentence, 1u);
  EXPECT_EQ(q.value, 17800);
  EXPECT_TRUE(q.approx);
  EXPECT_EQ(q.unit, Unit::kPersonnel);
  EXPECT_EQ(q.what, "killed");
  EXPECT_EQ(q.side, Side::kRU);
}

TEST(QuantityRecogniser, ProcessReplacesEarlierResults) {
  Document doc = MakeDocument({"Forces shot down 9 drones."});
  testing::Recogniser().Process(doc);
  testing::Recogniser().Process(doc);
  EXPECT_EQ(doc.quantities.size(), 1u);
}

TEST(QuantityRecogniser, SkipsRemovedText) {
  Document doc =
      MakeDocument({"Forces shot down 9 drones.", "Reader comment: 100,000 soldiers died."});
  doc.removed.push_back(RemovedSpan{doc.sentences[1].span, RemovedReason::kComments});
  testing::Recogniser().Process(doc);
  ASSERT_EQ(doc.quantities.size(), 1u);
  EXPECT_EQ(doc.quantities[0].value, 9);
}

TEST(QuantityRecogniser, NumbersDoNotCrossSentences) {
  const Document doc = Recognise({"The total reached 40.", "Soldiers were moved."});
  EXPECT_TRUE(doc.quantities.empty());
}

TEST(QuantityRecogniser, WorksOnSegmenterOutput) {
  std::string error;
  const std::unique_ptr<Segmenter> segmenter = Segmenter::Load(testing::TestDataDir(), &error);
  ASSERT_NE(segmenter, nullptr) << error;
  Document doc;
  doc.text =
      "Lt. Gen. Petrenko said on Monday that 1,200 residents had been evacuated. "
      "Russia launched 40 drones overnight; 35 were shot down.\n"
      "The 24th Brigade held its positions.";
  ASSERT_TRUE(segmenter->Process(doc).ok());
  ASSERT_TRUE(testing::Recogniser().Process(doc).ok());
  ASSERT_EQ(doc.quantities.size(), 3u);
  EXPECT_EQ(doc.quantities[0].value, 1200);
  EXPECT_EQ(doc.quantities[0].unit, Unit::kPeople);
  EXPECT_EQ(doc.quantities[0].what, "evacuated");
  EXPECT_EQ(doc.quantities[1].value, 40);
  EXPECT_EQ(doc.quantities[1].what, "launched");
  EXPECT_EQ(doc.quantities[2].value, 35);
  EXPECT_EQ(doc.quantities[2].unit, Unit::kDrones);
  EXPECT_EQ(doc.quantities[2].what, "intercepted");
  EXPECT_EQ(doc.quantities[2].sentence, doc.quantities[1].sentence);
}

TEST(QuantityRecogniser, EmptyDocument) {
  Document doc;
  EXPECT_TRUE(testing::Recogniser().Process(doc).ok());
  EXPECT_TRUE(doc.quantities.empty());
}

TEST(QuantityRecogniser, ThreadSafe) {
  const std::vector<std::string> lines = {
      "Ukraine said it destroyed 12 tanks, 9 howitzers and 4 helicopters.",
      "Air defences shot down 15 of 18 drones, and 3 were lost.",
      "There were 40 of us and six of us survived."};
  const Document expected = Recognise(lines);
  ASSERT_EQ(expected.quantities.size(), 8u);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const Document doc = Recognise(lines);
        if (doc.quantities.size() != expected.quantities.size()) {
          ++mismatches[t];
          continue;
        }
        for (size_t k = 0; k < doc.quantities.size(); ++k) {
          const Quantity& a = doc.quantities[k];
          const Quantity& b = expected.quantities[k];
          if (a.value != b.value || a.unit != b.unit || a.what != b.what || !(a.span == b.span))
            ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(QuantityRecogniser, LoadFailsWithFileAndLine) {
  std::string error;
  EXPECT_EQ(QuantityRecogniser::Load("/nonexistent", &error), nullptr);
  EXPECT_NE(error.find("/nonexistent/quantities/"), std::string::npos) << error;

  // A copy of the data with one bad unit name.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("sitrep_quantities_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "quantities");
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::TestDataDir() + "/quantities")) {
    std::filesystem::copy_file(entry.path(), dir / "quantities" / entry.path().filename());
  }
  {
    std::ofstream units(dir / "quantities" / "units.tsv", std::ios::app);
    units << "gizmos\tgizmo_units\tpl\n";
  }
  error.clear();
  EXPECT_EQ(QuantityRecogniser::Load(dir.string(), &error), nullptr);
  EXPECT_NE(error.find("units.tsv:"), std::string::npos) << error;
  EXPECT_NE(error.find("gizmo_units"), std::string::npos) << error;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sitrep
