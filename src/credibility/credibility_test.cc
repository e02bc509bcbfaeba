// Credibility signals on texts we wrote, through the whole pipeline.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "pipeline/test_pipeline.h"

namespace sitrep {
namespace {

using testing::Extract;

const CredibilitySignal* Signal(const Document& doc, const std::string& id) {
  for (const CredibilitySignal& s : doc.credibility.signals) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

TEST(Credibility, SurrenderOfAPlaceTheSideNeverHeldContradictsTheRecord) {
  const Document doc = Extract(
      "date 2023-05-20\n\nEarlier this week, an elite battalion of the Ukrainian Armed Forces was "
      "forced to surrender the settlement of Donetsk, a Ukrainian officer said.\n");
  const CredibilitySignal* s = Signal(doc, "contradicts_record");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 0.0);
  EXPECT_NE(s->detail.find("Donetsk held by RU since 2014"), std::string::npos) << s->detail;
  EXPECT_FALSE(s->evidence.empty());
  EXPECT_LE(doc.credibility.score, 0.3) << "the signal caps the score";
}

TEST(Credibility, CaptureByTheSideThatAlreadyHeldItContradictsTheRecord) {
  const Document doc = Extract("date 2022-06-01\n\nRussian forces captured Horlivka on Tuesday.\n");
  const CredibilitySignal* s = Signal(doc, "contradicts_record");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 0.0) << s->detail;
}

TEST(Credibility, ClaimsThatFitTheRecordDoNotLowerTheScore) {
  const Document doc = Extract(
      "date 2022-06-01\n\nRussian forces shelled Donetsk's outskirts, the city's Russian-installed "
      "mayor said. Ukrainian forces withdrew from Lysychansk, the General Staff said.\n");
  const CredibilitySignal* s = Signal(doc, "contradicts_record");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 1.0) << s->detail;
  EXPECT_GT(doc.credibility.score, 0.3);
}

TEST(Credibility, ADeniedClaimIsNoContradiction) {
  const Document doc = Extract(
      "date 2023-05-20\n\nThe Russian Defence Ministry denied that Russian forces had withdrawn "
      "from Crimea.\n");
  const CredibilitySignal* s = Signal(doc, "contradicts_record");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 1.0) << s->detail;
}

}  // namespace
}  // namespace sitrep
