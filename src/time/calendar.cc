#include "time/calendar.h"

#include <cstdlib>

namespace sitrep {

CivilDate MondayOf(CivilDate date) { return AddDays(date, -Weekday(date)); }

CivilDate WeekdayOnOrBefore(CivilDate date, int weekday, bool strict) {
  int back = (Weekday(date) - weekday + 7) % 7;
  if (strict && back == 0) back = 7;
  return AddDays(date, -back);
}

CivilDate WeekdayOnOrAfter(CivilDate date, int weekday, bool strict) {
  int ahead = (weekday - Weekday(date) + 7) % 7;
  if (strict && ahead == 0) ahead = 7;
  return AddDays(date, ahead);
}

CivilDate ShiftMonth(CivilDate date, int months) {
  int index = date.year * 12 + (date.month - 1) + months;
  return CivilDate{index / 12, index % 12 + 1, 1};
}

CivilDate LastDayOfMonth(int year, int month) {
  return CivilDate{year, month, DaysInMonth(year, month)};
}

int YearNear(int month, int day, CivilDate reference, bool forward) {
  // Candidates the year before, of and after the reference; a 29 February that does
  // not exist in a candidate year is skipped.
  int best_year = reference.year;
  int64_t best_distance = INT64_MAX;
  const int64_t ref_days = DaysFromCivil(day == 0 ? CivilDate{reference.year, reference.month, 1}
                                                  : reference);
  for (int year = reference.year - 1; year <= reference.year + 1; ++year) {
    const CivilDate candidate{year, month, day == 0 ? 1 : day};
    if (!IsValid(candidate)) continue;
    const int64_t delta = DaysFromCivil(candidate) - ref_days;
    if (forward) {
      if (delta < 0) continue;
      if (delta < best_distance) {
        best_distance = delta;
        best_year = year;
      }
      continue;
    }
    // Ties go to the past: news reports what happened.
    const int64_t distance = std::llabs(delta) * 2 + (delta > 0 ? 1 : 0);
    if (distance < best_distance) {
      best_distance = distance;
      best_year = year;
    }
  }
  return best_year;
}

DateRange SeasonIn(int first_month, int last_month, int year) {
  const int last_year = last_month < first_month ? year + 1 : year;
  return DateRange{CivilDate{year, first_month, 1}, LastDayOfMonth(last_year, last_month)};
}

DateRange SeasonNear(int first_month, int last_month, CivilDate reference, int offset) {
  // Occurrences starting two years back to one year ahead cover every case.
  DateRange occurrences[4];
  for (int k = 0; k < 4; ++k) {
    occurrences[k] = SeasonIn(first_month, last_month, reference.year - 2 + k);
  }
  if (offset < 0) {
    for (int k = 3; k >= 0; --k) {
      if (occurrences[k].last < reference) return occurrences[k];
    }
    return occurrences[0];
  }
  if (offset > 0) {
    for (const DateRange& r : occurrences) {
      if (r.first > reference) return r;
    }
    return occurrences[3];
  }
  for (const DateRange& r : occurrences) {
    if (r.first <= reference && reference <= r.last) return r;
  }
  // Out of season, "this winter" in the first half of the year is the one that just
  // ended; otherwise it is the occurrence that starts in the reference's year.
  if (last_month < first_month && reference.month <= 6) {
    return SeasonIn(first_month, last_month, reference.year - 1);
  }
  return SeasonIn(first_month, last_month, reference.year);
}

}  // namespace sitrep
