#include "time/calendar.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

constexpr CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

TEST(Calendar, MondayOfCrossesMonthAndYear) {
  EXPECT_EQ(MondayOf(D(2023, 3, 23)), D(2023, 3, 20));
  EXPECT_EQ(MondayOf(D(2023, 3, 20)), D(2023, 3, 20));
  EXPECT_EQ(MondayOf(D(2023, 3, 26)), D(2023, 3, 20));  // Sunday ends the week
  EXPECT_EQ(MondayOf(D(2024, 1, 2)), D(2024, 1, 1));
  EXPECT_EQ(MondayOf(D(2023, 1, 1)), D(2022, 12, 26));
}

TEST(Calendar, WeekdayOnOrBeforeAndAfter) {
  // 2023-03-23 is a Thursday (3).
  EXPECT_EQ(WeekdayOnOrBefore(D(2023, 3, 23), 3, false), D(2023, 3, 23));
  EXPECT_EQ(WeekdayOnOrBefore(D(2023, 3, 23), 3, true), D(2023, 3, 16));
  EXPECT_EQ(WeekdayOnOrBefore(D(2023, 3, 23), 4, false), D(2023, 3, 17));
  EXPECT_EQ(WeekdayOnOrAfter(D(2023, 3, 23), 3, false), D(2023, 3, 23));
  EXPECT_EQ(WeekdayOnOrAfter(D(2023, 3, 23), 3, true), D(2023, 3, 30));
  EXPECT_EQ(WeekdayOnOrAfter(D(2023, 12, 30), 0, false), D(2024, 1, 1));
  EXPECT_EQ(WeekdayOnOrBefore(D(2024, 1, 2), 4, false), D(2023, 12, 29));
}

TEST(Calendar, ShiftMonthWrapsYears) {
  EXPECT_EQ(ShiftMonth(D(2024, 1, 15), -1), D(2023, 12, 1));
  EXPECT_EQ(ShiftMonth(D(2023, 12, 31), 1), D(2024, 1, 1));
  EXPECT_EQ(ShiftMonth(D(2023, 3, 5), -14), D(2022, 1, 1));
  EXPECT_EQ(LastDayOfMonth(2024, 2), D(2024, 2, 29));
  EXPECT_EQ(LastDayOfMonth(2023, 2), D(2023, 2, 28));
}

TEST(Calendar, YearNearPrefersTheClosestThenThePast) {
  EXPECT_EQ(YearNear(12, 28, D(2024, 1, 5), false), 2023);
  EXPECT_EQ(YearNear(1, 3, D(2024, 12, 30), false), 2025);
  EXPECT_EQ(YearNear(3, 17, D(2023, 3, 23), false), 2023);
  EXPECT_EQ(YearNear(11, 9, D(2023, 3, 23), false), 2022);
  // A month: September is six months either side of March; the past wins the tie.
  EXPECT_EQ(YearNear(9, 0, D(2024, 3, 5), false), 2023);
  // Forward: the first on or after the reference.
  EXPECT_EQ(YearNear(3, 17, D(2023, 3, 23), true), 2024);
  EXPECT_EQ(YearNear(3, 23, D(2023, 3, 23), true), 2023);
  EXPECT_EQ(YearNear(2, 0, D(2023, 3, 23), true), 2024);
  // 29 February only exists in leap years.
  EXPECT_EQ(YearNear(2, 29, D(2023, 3, 1), false), 2024);
}

TEST(Calendar, Seasons) {
  const DateRange winter = SeasonIn(12, 2, 2023);
  EXPECT_EQ(winter.first, D(2023, 12, 1));
  EXPECT_EQ(winter.last, D(2024, 2, 29));
  // In season.
  EXPECT_EQ(SeasonNear(12, 2, D(2024, 1, 10), 0).first, D(2023, 12, 1));
  // "this winter" in April is the one just over; in October the one to come.
  EXPECT_EQ(SeasonNear(12, 2, D(2023, 4, 10), 0).first, D(2022, 12, 1));
  EXPECT_EQ(SeasonNear(12, 2, D(2023, 10, 10), 0).first, D(2023, 12, 1));
  // "last summer" in October is this year's; in August last year's.
  EXPECT_EQ(SeasonNear(6, 8, D(2023, 10, 1), -1).first, D(2023, 6, 1));
  EXPECT_EQ(SeasonNear(6, 8, D(2023, 8, 1), -1).first, D(2022, 6, 1));
  EXPECT_EQ(SeasonNear(3, 5, D(2023, 3, 23), 1).first, D(2024, 3, 1));
}

}  // namespace
}  // namespace sitrep
