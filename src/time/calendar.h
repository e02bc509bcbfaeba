// Calendar arithmetic the time stage resolves expressions with: weeks (Monday first),
// weekends, month and year shifts, seasons, and the year a yearless date most
// plausibly falls in. Pure functions over CivilDate.
#pragma once

#include <optional>

#include "base/civil_date.h"

namespace sitrep {

struct DateRange {
  CivilDate first;
  CivilDate last;
};

// The Monday of the week containing date.
CivilDate MondayOf(CivilDate date);
// The latest `weekday` (0 = Monday) on or before date; strictly before when `strict`.
CivilDate WeekdayOnOrBefore(CivilDate date, int weekday, bool strict);
// The earliest `weekday` on or after date; strictly after when `strict`.
CivilDate WeekdayOnOrAfter(CivilDate date, int weekday, bool strict);

// The first day of the month `months` away from date's month.
CivilDate ShiftMonth(CivilDate date, int months);
CivilDate LastDayOfMonth(int year, int month);

// The year that puts month/day (day 0 = the whole month) closest to reference; with
// `forward`, the first occurrence on or after the reference's day (or month).
int YearNear(int month, int day, CivilDate reference, bool forward);

// The occurrence of a season (first..last month, wrapping over the new year when
// last < first) that starts in `year`.
DateRange SeasonIn(int first_month, int last_month, int year);
// Relative to reference: offset 0 = the occurrence containing it, else the one that
// starts in its year (for a wrapping season before it starts: the one that ended in
// it); -1 = the latest that ended before it; +1 = the earliest that starts after it.
DateRange SeasonNear(int first_month, int last_month, CivilDate reference, int offset);

}  // namespace sitrep
