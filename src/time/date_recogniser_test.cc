#include "time/date_recogniser.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "time/time_test_util.h"

namespace sitrep::testing {
namespace {

std::vector<std::string> Dumps(const Document& doc) {
  std::vector<std::string> out;
  for (const DateMention& m : doc.dates) out.push_back(Dump(doc, m));
  return out;
}

TEST(DateRecogniser, LoadFailsOnAMissingDirectory) {
  std::string error;
  EXPECT_EQ(DateRecogniser::Load("/nonexistent/sitrep-data", &error), nullptr);
  EXPECT_NE(error.find("/nonexistent/sitrep-data/time/"), std::string::npos) << error;
}

TEST(DateRecogniser, MetadataWinsOverTheText) {
  Document doc = MakeDocument("KYIV, June 3, 2023 (Reuters) - Shelling resumed on Friday.",
                              CivilDate{2023, 6, 4});
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_EQ(doc.published.value, (CivilDate{2023, 6, 4}));
  EXPECT_EQ(doc.published.basis, DateBasis::kMetadata);
  EXPECT_TRUE(doc.published.span.empty());
}

TEST(DateRecogniser, ADateBeforeTheInvasionTheTextSaysHasBegunIsDropped) {
  // A live page re-crawled with an old timestamp: it cannot be from before 24 Feb 2022.
  Document doc = MakeDocument(
      "Russian troops are bearing down on Kyiv.\nPutin launched a special military operation on Thursday.",
      CivilDate{2022, 2, 10});
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_FALSE(doc.published.value.has_value());
  EXPECT_EQ(doc.published.dropped, (CivilDate{2022, 2, 10}));
  EXPECT_EQ(doc.Text(doc.published.contradiction), "launched a special military operation");
  // Nothing is dated from the dropped date.
  EXPECT_EQ(Dumps(doc), std::vector<std::string>{"Thursday\tnull\t-\tunknown\trelative"});
}

TEST(DateRecogniser, AConditionOrALaterDateKeepsThePublicationDate) {
  Document cond = MakeDocument("She said that if Russia began the invasion, it would pay.", CivilDate{2022, 2, 19});
  ASSERT_TRUE(Recogniser().Process(cond).ok());
  EXPECT_EQ(cond.published.value, (CivilDate{2022, 2, 19}));
  Document later = MakeDocument("Putin launched a special military operation in February.", CivilDate{2022, 3, 10});
  ASSERT_TRUE(Recogniser().Process(later).ok());
  EXPECT_EQ(later.published.value, (CivilDate{2022, 3, 10}));
  EXPECT_FALSE(later.published.dropped.has_value());
}

TEST(DateRecogniser, ThePublicationDateIsNotRepeatedAsAMention) {
  Document doc = MakeDocument(" date 2023-03-23 Drones struck the port on Tuesday.");
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_EQ(doc.published.basis, DateBasis::kExplicit);
  EXPECT_EQ(Dumps(doc), std::vector<std::string>{"Tuesday\t2023-03-21\t-\tday\trelative"});
  EXPECT_EQ(doc.dates[0].sentence, 0u);
}

TEST(DateRecogniser, RemovedSpansAreSkipped) {
  const std::string story = "The depot burned on Monday.\n";
  const std::string chrome = "Related: Fighting on Friday near the river\n";
  Document doc = MakeDocument(story + chrome + "Crews worked through Tuesday.",
                              CivilDate{2023, 3, 23});
  doc.removed.push_back(RemovedSpan{
      Span{static_cast<uint32_t>(story.size()), static_cast<uint32_t>(story.size() + chrome.size())},
      RemovedReason::kRelated});
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_EQ(Dumps(doc), (std::vector<std::string>{"Monday\t2023-03-20\t-\tday\trelative",
                                                  "Tuesday\t2023-03-21\t-\tday\trelative"}));
  EXPECT_EQ(doc.dates[1].sentence, 2u);
}

TEST(DateRecogniser, EarliestCommentDateIsAnInferredPublicationDate) {
  const std::string story =
      "Troops pushed east on several fronts, the general staff said on Saturday.\n";
  const std::string comments =
      "Reader One\n    April 3, 2022 at 4:13 am\nGreat report.\n"
      "Reader Two\n    April 2, 2022 at 6:25 pm\nThanks.\n";
  Document doc = MakeDocument(story + comments);
  doc.removed.push_back(RemovedSpan{
      Span{static_cast<uint32_t>(story.size()), static_cast<uint32_t>(story.size() + comments.size())},
      RemovedReason::kComments});
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_EQ(doc.published.value, (CivilDate{2022, 4, 2}));
  EXPECT_EQ(doc.published.basis, DateBasis::kInferred);
  EXPECT_EQ(doc.Text(doc.published.span), "April 2, 2022");
  // The comments' own dates are not mentions; Saturday resolves against the inference.
  EXPECT_EQ(Dumps(doc), std::vector<std::string>{"Saturday\t2022-04-02\t-\tday\trelative"});
}

TEST(DateRecogniser, CommentDatesAreIgnoredWithoutACommentsSpan) {
  Document doc = MakeDocument(
      "Troops pushed east on several fronts, the general staff said on Saturday, and the "
      "ministry added that more villages had been retaken in the north of the region.\n"
      "Reader One\n    April 3, 2022 at 4:13 am\n");
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_FALSE(doc.published.value.has_value());
}

TEST(DateRecogniser, ProcessIsThreadSafe) {
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> results(kThreads);
  for (int k = 0; k < kThreads; ++k) {
    threads.emplace_back([k, &results] {
      for (int round = 0; round < 50; ++round) {
        Document doc = MakeDocument(
            "Published March 7, 2023\nShelling resumed yesterday and on Monday, two days ago.");
        EXPECT_TRUE(Recogniser().Process(doc).ok());
        results[k] = Dumps(doc);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int k = 0; k < kThreads; ++k) {
    EXPECT_EQ(results[k], (std::vector<std::string>{"yesterday\t2023-03-06\t-\tday\trelative",
                                                    "Monday\t2023-03-06\t-\tday\trelative",
                                                    "two days ago\t2023-03-05\t-\tday\trelative"}));
  }
}

TEST(DateRecogniser, ProcessReplacesEarlierResults) {
  Document doc = MakeDocument("It rained on Monday.", CivilDate{2023, 3, 23});
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  ASSERT_TRUE(Recogniser().Process(doc).ok());
  EXPECT_EQ(doc.dates.size(), 1u);
}

}  // namespace
}  // namespace sitrep::testing
