#include "base/civil_date.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

TEST(ParseMetadataDate, Iso) {
  EXPECT_EQ(ParseMetadataDate("2023-11-09"), (CivilDate{2023, 11, 9}));
  EXPECT_EQ(ParseMetadataDate("2023-11-09T10:00:00Z"), (CivilDate{2023, 11, 9}));
}

TEST(ParseMetadataDate, DayMonthYearWithHyphens) {
  EXPECT_EQ(ParseMetadataDate("26-FEB-1987 15:01:01.79"), (CivilDate{1987, 2, 26}));
  EXPECT_EQ(ParseMetadataDate(" 3-mar-1987"), (CivilDate{1987, 3, 3}));
}

TEST(ParseMetadataDate, Rfc2822) {
  EXPECT_EQ(ParseMetadataDate("Thu, 26 Feb 1987 15:01:01 GMT"), (CivilDate{1987, 2, 26}));
  EXPECT_EQ(ParseMetadataDate("5 Oct 2023"), (CivilDate{2023, 10, 5}));
}

TEST(ParseMetadataDate, NothingElse) {
  EXPECT_FALSE(ParseMetadataDate("31-FEB-1987"));       // no such day
  EXPECT_FALSE(ParseMetadataDate("26-FEB 1987"));       // mixed separators
  EXPECT_FALSE(ParseMetadataDate("26-FEBRUARY-1987"));  // not an abbreviation
  EXPECT_FALSE(ParseMetadataDate("26-FEB-19871"));
  EXPECT_FALSE(ParseMetadataDate("yesterday"));
  EXPECT_FALSE(ParseMetadataDate(""));
}

}  // namespace
}  // namespace sitrep
