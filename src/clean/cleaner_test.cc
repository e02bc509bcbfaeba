#include "clean/cleaner.h"

#include <gtest/gtest.h>

#include "base/paths.h"

namespace sitrep {
namespace {

Document Clean(const std::string& text) {
  std::string error;
  static auto cleaner = Cleaner::Load(DataDir(), &error);
  EXPECT_NE(cleaner, nullptr) << error;
  Document doc;
  doc.text = text;
  EXPECT_TRUE(cleaner->Process(doc).ok());
  return doc;
}

std::vector<std::pair<std::string, std::string>> Removed(const Document& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const RemovedSpan& r : doc.removed)
    out.emplace_back(std::string(Name(r.reason)), std::string(doc.Text(r.span)));
  return out;
}

TEST(Cleaner, RemovesNavigationAndCredits) {
  const Document doc = Clean(
      "Connect with us\n\nHi, what are you looking for?\n\nDrones Strike Odesa Port\n\n"
      "Shelled buildings in Odesa. Image Credit: Creative Commons.\n\n"
      "Russian drones struck the port of Odesa overnight, the governor said.\n");
  const auto removed = Removed(doc);
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0].first, "navigation");
  EXPECT_EQ(removed[0].second, "Connect with us\n\nHi, what are you looking for?");
  EXPECT_EQ(removed[1].first, "boilerplate");
  ASSERT_TRUE(doc.title.has_value());
  EXPECT_EQ(*doc.title, "Drones Strike Odesa Port");
  EXPECT_EQ(doc.Text(doc.body).substr(0, 24), "Drones Strike Odesa Port");
}

TEST(Cleaner, NumberedCommentsRunToTheEnd) {
  const std::string story = "Ukrainian forces recaptured the village on Monday, officials said.\n\n";
  const Document doc = Clean(story +
                             "  1. sunflower77\n\n    April 2, 2022 at 6:25 pm\n\n    Great news.\n\n"
                             "  2. Bob\n\n    April 3, 2022 at 4:13 am\n\n    Agreed.\n");
  ASSERT_EQ(doc.removed.size(), 1u);
  EXPECT_EQ(doc.removed[0].reason, RemovedReason::kComments);
  EXPECT_EQ(doc.Text(doc.removed[0].span).substr(0, 14), "1. sunflower77");
  EXPECT_EQ(doc.removed[0].span.end, doc.text.size());
  EXPECT_EQ(doc.Text(doc.body), story.substr(0, story.size() - 2));
}

TEST(Cleaner, CommentHeaderAndReplies) {
  const Document doc = Clean("Troops advanced near Bakhmut.\n\nComments / 12\n\nAnna\n4d ago\n\nNice.\n");
  ASSERT_EQ(doc.removed.size(), 1u);
  EXPECT_EQ(doc.removed[0].reason, RemovedReason::kComments);
}

TEST(Cleaner, BylinesButNotStorySentences) {
  const Document doc = Clean(
      "By Jane Doe\n\nBy Tuesday, Russian forces had pulled back from the town, officials said.\n");
  const auto removed = Removed(doc);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0], (std::pair<std::string, std::string>{"byline", "By Jane Doe"}));
}

TEST(Cleaner, LeadingDateLineIsMetadata) {
  const Document doc = Clean(" date 2023-11-09 Russian forces shelled Kupiansk on Tuesday.\n");
  ASSERT_EQ(doc.removed.size(), 1u);
  EXPECT_EQ(doc.Text(doc.removed[0].span), "date 2023-11-09 ");
  EXPECT_EQ(doc.Text(doc.body), "Russian forces shelled Kupiansk on Tuesday.");
  EXPECT_FALSE(doc.title.has_value());
}

TEST(Cleaner, RelatedStoriesRunToTheEnd) {
  const Document doc = Clean(
      "Kyiv says it downed 20 drones.\n\nMore Stories From World\n\nA headline\nAnother one\n");
  ASSERT_EQ(doc.removed.size(), 1u);
  EXPECT_EQ(doc.removed[0].reason, RemovedReason::kRelated);
}

TEST(Cleaner, MetadataTitleWins) {
  std::string error;
  auto cleaner = Cleaner::Load(DataDir(), &error);
  Document doc;
  doc.text = "Short Line Here\n\nBody text follows here.";
  doc.meta_title = "From the page";
  ASSERT_TRUE(cleaner->Process(doc).ok());
  EXPECT_EQ(*doc.title, "From the page");
  EXPECT_TRUE(doc.title_span.empty());
}

}  // namespace
}  // namespace sitrep
