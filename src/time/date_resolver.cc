#include "time/date_resolver.h"

#include <algorithm>

#include "time/calendar.h"

namespace sitrep {
namespace {

constexpr int kDaysPerWeek = 7;
constexpr int kHoursPerDay = 24;
constexpr int kWeekSlackDays = 3;  // "two weeks ago" = that day give or take half a week
constexpr int kSaturday = 5;

void SetDay(DateMention& m, CivilDate d, DateBasis basis) {
  m.value = d;
  m.end.reset();
  m.precision = DatePrecision::kDay;
  m.basis = basis;
}

void SetRange(DateMention& m, CivilDate first, CivilDate last, DateBasis basis) {
  if (last < first) last = first;
  m.value = first;
  m.end = last;
  m.precision = first == last ? DatePrecision::kDay : DatePrecision::kRange;
  if (first == last) m.end.reset();
  m.basis = basis;
}

void SetMonth(DateMention& m, int year, int month, DateBasis basis) {
  m.value = CivilDate{year, month, 1};
  m.end.reset();
  m.precision = DatePrecision::kMonth;
  m.basis = basis;
}

void SetUnknown(DateMention& m, DateBasis basis) {
  m.value.reset();
  m.end.reset();
  m.precision = DatePrecision::kUnknown;
  m.basis = basis;
}

// The same day `months` months away, clamped to the month's length.
CivilDate SameDayMonthsAway(CivilDate d, int months) {
  const CivilDate first = ShiftMonth(d, months);
  return CivilDate{first.year, first.month,
                   std::min(d.day, DaysInMonth(first.year, first.month))};
}

// The first and last day of what a partial date with a known year covers.
DateRange Cover(const PartialDate& d) {
  if (d.month == 0) return DateRange{CivilDate{d.year, 1, 1}, CivilDate{d.year, 12, 31}};
  if (d.day == 0) return DateRange{CivilDate{d.year, d.month, 1}, LastDayOfMonth(d.year, d.month)};
  const CivilDate day{d.year, d.month, d.day};
  return DateRange{day, day};
}

// Fills a missing year from the reference; false when there is none to take.
bool CompleteYear(PartialDate& d, const ResolveContext& ctx, bool future) {
  if (d.year != 0) return true;
  const std::optional<CivilDate> ref = ctx.published ? ctx.published : ctx.year_reference;
  if (!ref || d.month == 0) return false;
  d.year = YearNear(d.month, d.day, *ref, future && ctx.published.has_value());
  return true;
}

void ResolveCalendar(const DateExpr& x, const ResolveContext& ctx, DateMention& m) {
  if (!x.range) {
    PartialDate d = x.start;
    if (!CompleteYear(d, ctx, x.future)) {
      SetUnknown(m, DateBasis::kExplicit);
      return;
    }
    if (d.month != 0 && d.day == 0) {
      SetMonth(m, d.year, d.month, DateBasis::kExplicit);
      return;
    }
    const DateRange r = Cover(d);
    SetRange(m, r.first, r.last, DateBasis::kExplicit);
    return;
  }
  PartialDate s = x.start;
  PartialDate f = x.finish;
  if (f.year == 0) {
    if (!CompleteYear(f, ctx, x.future)) {
      SetUnknown(m, DateBasis::kExplicit);
      return;
    }
    s.year = f.year;
    // A range over the new year: the start is in the year before.
    if (s.month > f.month) --s.year;
  }
  SetRange(m, Cover(s).first, Cover(f).last, DateBasis::kExplicit);
  m.precision = DatePrecision::kRange;
  if (!m.end) m.end = m.value;
}

void ResolveRelative(const DateExpr& x, const RelativeRule& rule, const ResolveContext& ctx,
                     DateMention& m) {
  if (rule.op == RelativeOp::kAnchor) {
    SetMonth(m, rule.anchor->year, rule.anchor->month, DateBasis::kExplicit);
    return;
  }
  if (rule.op == RelativeOp::kNarrative || rule.op == RelativeOp::kNarrativeCount) {
    SetUnknown(m, DateBasis::kRelative);
    return;
  }
  if (!ctx.published) {
    if (rule.op == RelativeOp::kSince) {
      m.value = *rule.anchor;
      m.precision = DatePrecision::kUnknown;
      m.basis = DateBasis::kExplicit;
      return;
    }
    SetUnknown(m, DateBasis::kRelative);
    return;
  }
  const CivilDate pub = *ctx.published;
  const DateBasis rel = DateBasis::kRelative;
  const int n = rule.n;
  switch (rule.op) {
    case RelativeOp::kDay:
      SetDay(m, AddDays(pub, n), rel);
      return;
    case RelativeOp::kNight:
      SetRange(m, AddDays(pub, n), AddDays(pub, n + 1), rel);
      return;
    case RelativeOp::kWeek: {
      const CivilDate monday = AddDays(MondayOf(pub), int64_t{kDaysPerWeek} * n);
      SetRange(m, monday, AddDays(monday, kDaysPerWeek - 1), rel);
      return;
    }
    case RelativeOp::kWeekToDate: {
      const CivilDate monday = MondayOf(pub);
      const CivilDate before = AddDays(pub, -1);
      SetRange(m, monday, before < monday ? monday : before, rel);
      return;
    }
    case RelativeOp::kWeekend: {
      const CivilDate saturday =
          AddDays(WeekdayOnOrBefore(pub, kSaturday, false), int64_t{kDaysPerWeek} * n);
      SetRange(m, saturday, AddDays(saturday, 1), rel);
      return;
    }
    case RelativeOp::kMonth: {
      const CivilDate first = ShiftMonth(pub, n);
      SetMonth(m, first.year, first.month, rel);
      return;
    }
    case RelativeOp::kMonthToDate:
      SetRange(m, CivilDate{pub.year, pub.month, 1}, pub, rel);
      return;
    case RelativeOp::kYear:
      SetRange(m, CivilDate{pub.year + n, 1, 1}, CivilDate{pub.year + n, 12, 31}, rel);
      return;
    case RelativeOp::kYearToDate:
      SetRange(m, CivilDate{pub.year, 1, 1}, pub, rel);
      return;
    case RelativeOp::kRecent:
      SetRange(m, AddDays(pub, n), pub, rel);
      return;
    case RelativeOp::kSince:
      // Like "since August 6": a written start, running to publication.
      SetRange(m, *rule.anchor, pub, DateBasis::kExplicit);
      return;
    case RelativeOp::kAgo: {
      if (x.count == 0) {
        SetUnknown(m, rel);
        return;
      }
      const int k = x.count * x.unit.multiple;
      switch (x.unit.unit) {
        case TimeUnit::kHour:
          SetDay(m, AddDays(pub, -(k / kHoursPerDay)), rel);
          return;
        case TimeUnit::kDay:
          SetDay(m, AddDays(pub, -k), rel);
          return;
        case TimeUnit::kWeek: {
          const CivilDate day = AddDays(pub, -int64_t{kDaysPerWeek} * k);
          const CivilDate last = AddDays(day, kWeekSlackDays);
          SetRange(m, AddDays(day, -kWeekSlackDays), last < pub ? last : pub, rel);
          return;
        }
        case TimeUnit::kMonth: {
          const CivilDate first = ShiftMonth(pub, -k);
          SetMonth(m, first.year, first.month, rel);
          return;
        }
        case TimeUnit::kYear:
          SetRange(m, CivilDate{pub.year - k, 1, 1}, CivilDate{pub.year - k, 12, 31}, rel);
          return;
      }
      return;
    }
    case RelativeOp::kWindow: {
      const int k = x.count * x.unit.multiple;
      CivilDate first = pub;
      switch (x.unit.unit) {
        case TimeUnit::kHour:
          first = AddDays(pub, -((k + kHoursPerDay - 1) / kHoursPerDay));
          break;
        case TimeUnit::kDay:
          first = AddDays(pub, -k);
          break;
        case TimeUnit::kWeek:
          first = AddDays(pub, -int64_t{kDaysPerWeek} * k);
          break;
        case TimeUnit::kMonth:
          first = SameDayMonthsAway(pub, -k);
          break;
        case TimeUnit::kYear:
          first = SameDayMonthsAway(pub, -12 * k);
          break;
      }
      SetRange(m, first, pub, rel);
      m.precision = DatePrecision::kRange;
      if (!m.end) m.end = m.value;
      return;
    }
    case RelativeOp::kAnchor:
    case RelativeOp::kNarrative:
    case RelativeOp::kNarrativeCount:
      return;  // handled above
  }
}

}  // namespace

DateMention ResolveExpr(const DateExpr& x, const DateLexicon& lexicon,
                        const ResolveContext& ctx) {
  DateMention m;
  m.span = x.span;
  switch (x.kind) {
    case ExprKind::kCalendar:
      ResolveCalendar(x, ctx, m);
      break;
    case ExprKind::kSince: {
      DateExpr start = x;
      start.range = false;
      ResolveCalendar(start, ctx, m);
      if (!m.value) break;
      if (ctx.published && *m.value <= *ctx.published) {
        SetRange(m, *m.value, *ctx.published, DateBasis::kExplicit);
        m.precision = DatePrecision::kRange;
        if (!m.end) m.end = m.value;
      } else {
        m.end.reset();
        m.precision = DatePrecision::kUnknown;
      }
      break;
    }
    case ExprKind::kWeekday: {
      if (!ctx.published) {
        SetUnknown(m, DateBasis::kRelative);
        break;
      }
      const CivilDate pub = *ctx.published;
      CivilDate d;
      if (x.has_modifier && x.modifier < 0) {
        d = WeekdayOnOrBefore(pub, x.weekday, true);
      } else if (x.has_modifier && x.modifier > 0) {
        d = WeekdayOnOrAfter(pub, x.weekday, true);
      } else if (x.has_modifier) {
        d = AddDays(MondayOf(pub), x.weekday);
      } else if (x.future) {
        d = WeekdayOnOrAfter(pub, x.weekday, false);
      } else {
        d = WeekdayOnOrBefore(pub, x.weekday, false);
      }
      SetDay(m, d, DateBasis::kRelative);
      break;
    }
    case ExprKind::kMonthName: {
      if (!ctx.published) {
        SetUnknown(m, DateBasis::kRelative);
        break;
      }
      const CivilDate pub = *ctx.published;
      int year = pub.year;
      if (x.modifier < 0 && x.month >= pub.month) --year;
      if (x.modifier > 0 && x.month <= pub.month) ++year;
      SetMonth(m, year, x.month, DateBasis::kRelative);
      break;
    }
    case ExprKind::kSeason: {
      if (x.start.year != 0) {
        const DateRange r = SeasonIn(x.season.first_month, x.season.last_month, x.start.year);
        SetRange(m, r.first, r.last, DateBasis::kExplicit);
        break;
      }
      if (!ctx.published) {
        SetUnknown(m, DateBasis::kRelative);
        break;
      }
      const DateRange r = SeasonNear(x.season.first_month, x.season.last_month,
                                     *ctx.published, x.modifier);
      SetRange(m, r.first, r.last, DateBasis::kRelative);
      break;
    }
    case ExprKind::kRelative:
    case ExprKind::kCounted: {
      const RelativeRule& rule = lexicon.Rule(x.rule);
      ResolveRelative(x, rule, ctx, m);
      m.past_reference = rule.past;
      break;
    }
    case ExprKind::kDayCount:
      SetDay(m, AddDays(x.anchor, x.day_number - 1), DateBasis::kInferred);
      break;
  }
  return m;
}

}  // namespace sitrep
