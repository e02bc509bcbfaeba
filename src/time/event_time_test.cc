#include "time/event_time.h"

#include <gtest/gtest.h>

#include "time/time_test_util.h"

namespace sitrep::testing {
namespace {

Span SpanOfWord(const Document& doc, std::string_view word, size_t from = 0) {
  const size_t at = doc.text.find(word, from);
  EXPECT_NE(at, std::string::npos) << word;
  return Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + word.size())};
}

Document Processed(std::string text, std::optional<CivilDate> pub) {
  Document doc = MakeDocument(std::move(text), pub);
  EXPECT_TRUE(Recogniser().Process(doc).ok());
  return doc;
}

TEST(EventTime, TheNearestMentionInTheSentence) {
  const Document doc = Processed(
      "Artillery shelled the depot on Monday, the governor said on Thursday.",
      CivilDate{2023, 3, 23});
  uint32_t mention = kNone;
  const EventTime t = ResolveEventTime(doc, 0, SpanOfWord(doc, "shelled"), &mention);
  EXPECT_EQ(t.text, "Monday");
  EXPECT_EQ(t.value, (CivilDate{2023, 3, 20}));
  EXPECT_EQ(t.precision, DatePrecision::kDay);
  EXPECT_EQ(t.basis, DateBasis::kRelative);
  EXPECT_EQ(mention, 0u);
  EXPECT_EQ(ResolveEventTime(doc, 0, SpanOfWord(doc, "said")).text, "Thursday");
}

TEST(EventTime, ACommaDoesNotSplitAClause) {
  const Document doc =
      Processed("On Monday, drones struck the port, officials said.", CivilDate{2023, 3, 23});
  EXPECT_EQ(ResolveEventTime(doc, 0, SpanOfWord(doc, "struck")).text, "Monday");
}

TEST(EventTime, TheSameClauseWinsOverACloserOneAcrossABoundary) {
  const Document doc = Processed(
      "On Tuesday drones struck the port of the city (the navy said they also hit a ferry on Friday).",
      CivilDate{2023, 3, 23});
  // "hit" is far from Tuesday but in Friday's clause.
  EXPECT_EQ(ResolveEventTime(doc, 0, SpanOfWord(doc, "hit")).text, "Friday");
  EXPECT_EQ(ResolveEventTime(doc, 0, SpanOfWord(doc, "struck")).text, "Tuesday");
}

TEST(EventTime, ExplicitRangesAndDayCountsKeepTheirPrecision) {
  const Document doc = Processed(
      "Fighting raged between March 1 and 3.\nOn day 38 of the invasion troops advanced.",
      CivilDate{2023, 3, 23});
  const EventTime range = ResolveEventTime(doc, 0, SpanOfWord(doc, "raged"));
  EXPECT_EQ(range.precision, DatePrecision::kRange);
  EXPECT_EQ(range.value, (CivilDate{2023, 3, 1}));
  EXPECT_EQ(range.end, (CivilDate{2023, 3, 3}));
  const EventTime day = ResolveEventTime(doc, 1, SpanOfWord(doc, "advanced"));
  EXPECT_EQ(day.value, (CivilDate{2022, 4, 2}));
  EXPECT_EQ(day.basis, DateBasis::kExplicit);
}

TEST(EventTime, PastReferenceIsReachableThroughTheMention) {
  const Document doc =
      Processed("Russia annexed the peninsula in 2014.", CivilDate{2024, 2, 14});
  uint32_t mention = kNone;
  ResolveEventTime(doc, 0, SpanOfWord(doc, "annexed"), &mention);
  ASSERT_NE(mention, kNone);
  EXPECT_TRUE(doc.dates[mention].past_reference);
}

TEST(EventTime, WithoutAMentionThePublicationDateWithBasisDocument) {
  const Document doc = Processed("Drones struck the port.\nIt burned on Monday.",
                                 CivilDate{2023, 3, 23});
  uint32_t mention = 7;
  const EventTime t = ResolveEventTime(doc, 0, SpanOfWord(doc, "struck"), &mention);
  EXPECT_EQ(t.value, (CivilDate{2023, 3, 23}));
  EXPECT_EQ(t.precision, DatePrecision::kUnknown);
  EXPECT_EQ(t.basis, DateBasis::kDocument);
  EXPECT_TRUE(t.text.empty());
  EXPECT_EQ(mention, kNone);
}

TEST(EventTime, NothingKnown) {
  const Document doc = Processed("Drones struck the port.", std::nullopt);
  const EventTime t = ResolveEventTime(doc, 0, SpanOfWord(doc, "struck"));
  EXPECT_FALSE(t.value.has_value());
  EXPECT_EQ(t.basis, DateBasis::kUnknown);
  EXPECT_EQ(t.precision, DatePrecision::kUnknown);
}

TEST(EventTime, AnUnresolvedWeekdayIsStillTheTime) {
  const Document doc =
      Processed("The ministry claimed on Thursday that troops had withdrawn.", std::nullopt);
  const EventTime t = ResolveEventTime(doc, 0, SpanOfWord(doc, "withdrawn"));
  EXPECT_EQ(t.text, "Thursday");
  EXPECT_FALSE(t.value.has_value());
  EXPECT_EQ(t.precision, DatePrecision::kUnknown);
  EXPECT_EQ(t.basis, DateBasis::kRelative);
}

}  // namespace
}  // namespace sitrep::testing
