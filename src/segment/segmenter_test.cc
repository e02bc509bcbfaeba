#include "segment/segmenter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "base/paths.h"

namespace sitrep {
namespace {

std::unique_ptr<Segmenter> LoadSegmenter() {
  std::string error;
  auto seg = Segmenter::Load(DataDir(), &error);
  EXPECT_NE(seg, nullptr) << error;
  return seg;
}

std::vector<std::string> Sentences(const std::string& text,
                                   std::vector<RemovedSpan> removed = {}) {
  static auto seg = LoadSegmenter();
  Document doc;
  doc.text = text;
  doc.removed = std::move(removed);
  EXPECT_TRUE(seg->Process(doc).ok());
  std::vector<std::string> out;
  for (const Sentence& s : doc.sentences) out.emplace_back(doc.Text(s.span));
  return out;
}

TEST(Segmenter, SplitsSentencesAndKeepsTitleAbbreviations) {
  EXPECT_EQ(Sentences("Gen. Valery Gerasimov met troops near Bakhmut. They withdrew."),
            (std::vector<std::string>{"Gen. Valery Gerasimov met troops near Bakhmut.",
                                      "They withdrew."}));
}

TEST(Segmenter, MonthAbbreviationBeforeDayIsNotAnEnd) {
  EXPECT_EQ(Sentences("He died on Nov. 9 in a car accident. Nobody was hurt."),
            (std::vector<std::string>{"He died on Nov. 9 in a car accident.",
                                      "Nobody was hurt."}));
}

TEST(Segmenter, InitialismEndsSentenceOnlyBeforeASentenceStarter) {
  EXPECT_EQ(Sentences("Aid came from the U.S. Army depots. The convoy left the U.S. The end."),
            (std::vector<std::string>{"Aid came from the U.S. Army depots.",
                                      "The convoy left the U.S.", "The end."}));
}

TEST(Segmenter, LinesWithoutPunctuationAreHeadlines) {
  Document doc;
  doc.text = "Troops Pull Back From Kherson\n\nUkrainian forces advanced on Friday.\n";
  std::string error;
  auto seg = Segmenter::Load(DataDir(), &error);
  ASSERT_TRUE(seg->Process(doc).ok());
  ASSERT_EQ(doc.sentences.size(), 2u);
  EXPECT_TRUE(doc.sentences[0].headline);
  EXPECT_FALSE(doc.sentences[1].headline);
  EXPECT_NE(doc.sentences[0].paragraph, doc.sentences[1].paragraph);
}

TEST(Segmenter, JoinsHardWrappedLines) {
  EXPECT_EQ(Sentences("Russian forces shelled the village of Petrivka\nthroughout the night, "
                      "officials said.\nA second paragraph starts here.\n"),
            (std::vector<std::string>{
                "Russian forces shelled the village of Petrivka\nthroughout the night, "
                "officials said.",
                "A second paragraph starts here."}));
}

TEST(Segmenter, SkipsRemovedSpans) {
  const std::string text = "Share this article\nDrones hit the port of Odesa.\n";
  const auto sentences = Sentences(text, {RemovedSpan{Span{0, 18}, RemovedReason::kNavigation}});
  EXPECT_EQ(sentences, (std::vector<std::string>{"Drones hit the port of Odesa."}));
}

TEST(Segmenter, TokensPointIntoTheText) {
  Document doc;
  doc.text = "Kharkiv’s mayor said Kleban-Byk was hit.";
  std::string error;
  auto seg = Segmenter::Load(DataDir(), &error);
  ASSERT_TRUE(seg->Process(doc).ok());
  std::vector<std::string> folded;
  for (const Token& t : doc.tokens) folded.emplace_back(doc.Folded(t));
  EXPECT_EQ(folded, (std::vector<std::string>{"kharkiv", "'s", "mayor", "said", "kleban", "byk",
                                              "was", "hit", "."}));
  EXPECT_EQ(doc.Text(doc.tokens[4].span), "Kleban");
  EXPECT_TRUE(doc.tokens[5].Is(kTokHyphenBefore));
  EXPECT_TRUE(doc.tokens[1].Is(kTokApostropheS));
}

TEST(Segmenter, FindsQuotations) {
  Document doc;
  doc.text = "“It makes no sense to stay,” Hayday said. He added: ‘We were ready.’";
  std::string error;
  auto seg = Segmenter::Load(DataDir(), &error);
  ASSERT_TRUE(seg->Process(doc).ok());
  ASSERT_EQ(doc.quotes.size(), 2u);
  EXPECT_EQ(doc.Text(doc.quotes[0].inner), "It makes no sense to stay,");
  EXPECT_EQ(doc.Text(doc.quotes[1].inner), "We were ready.");
  EXPECT_EQ(doc.quotes[1].sentence, 1u);
}

}  // namespace
}  // namespace sitrep
