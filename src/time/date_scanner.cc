#include "time/date_scanner.h"

#include <algorithm>

#include "base/fold.h"
#include "base/tokenizer.h"

namespace sitrep {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2099;
constexpr int kMaxDayOfMonth = 31;
constexpr int kMaxWarDay = 5000;         // "day 38 of the invasion"
constexpr int kMaxCount = 999;           // "24 hours ago"
constexpr uint32_t kFutureWindow = 6;    // tokens back from a weekday to a "will"
constexpr uint32_t kMaxWarFillers = 6;   // "day 38 of the Russian full-scale invasion"
constexpr uint32_t kMaxTitleFillers = 4; // "Russia-Ukraine war live: day 38"
constexpr uint32_t kMaxNameBack = 3;     // a name phrase starts this far before a weekday
constexpr size_t kYearDigits = 4;
// Checking a yearless day against a leap year lets 29 February through.
constexpr int kLeapYear = 2024;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int DigitsValue(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// "3rd", "24th": the tokenizer keeps an ordinal as one word that starts with digits.
// Returns the number, or 0.
int OrdinalValue(const Token& tok, std::string_view raw) {
  if (!tok.Is(kTokWord) || raw.empty() || raw[0] < '0' || raw[0] > '9') return 0;
  size_t digits = 0;
  while (digits < raw.size() && raw[digits] >= '0' && raw[digits] <= '9') ++digits;
  // Two suffix letters: "st", "nd", "rd", "th" ("1990s" has one and is a decade).
  if (raw.size() - digits != 2 || digits > 4) return 0;
  return DigitsValue(raw.substr(0, digits));
}

bool PlausibleYear(int y) { return y >= kMinYear && y <= kMaxYear; }

// Is a <= b, comparing only the parts both give?
bool NotAfter(const PartialDate& a, const PartialDate& b) {
  if (a.year != b.year) return a.year < b.year;
  if (a.month != b.month) return a.month < b.month;
  return a.day <= b.day;
}

}  // namespace

struct DateScanner::Ctx {
  const std::vector<Token>& toks;
  std::string_view text;
  uint32_t begin;
  uint32_t end;
  ScanMode mode;

  bool In(uint32_t i) const { return i >= begin && i < end; }
  std::string_view Raw(uint32_t i) const { return toks[i].span.Of(text); }
  bool Punct(uint32_t i, char c) const {
    if (!In(i) || !toks[i].Is(kTokPunct)) return false;
    const std::string_view r = Raw(i);
    return r.size() == 1 && r[0] == c;
  }
  bool Glued(uint32_t i) const { return In(i) && !toks[i].Is(kTokSpaceBefore); }
  // A plain number written in digits only ("17", "2023"), or -1.
  int Digits(uint32_t i, size_t max_len) const {
    if (!In(i) || !toks[i].Is(kTokNumber)) return -1;
    const std::string_view r = Raw(i);
    if (!AllDigits(r) || r.size() > max_len) return -1;
    return DigitsValue(r);
  }
  int Day(uint32_t i) const {
    if (!In(i)) return 0;
    int v = Digits(i, 2);
    if (v < 0) v = OrdinalValue(toks[i], Raw(i));
    return v >= 1 && v <= kMaxDayOfMonth ? v : 0;
  }
  // The number of a war day, "38" or "1,000"; 0 when the token is not one.
  int WarDay(uint32_t i) const {
    double v = 0;
    if (!In(i) || !toks[i].Is(kTokNumber) || !ParseNumberToken(Raw(i), &v)) return 0;
    if (v < 1 || v > kMaxWarDay || v != static_cast<int>(v)) return 0;
    return static_cast<int>(v);
  }
  int Year(uint32_t i) const {
    if (!In(i) || !toks[i].Is(kTokNumber)) return 0;
    const std::string_view r = Raw(i);
    if (r.size() != kYearDigits || !AllDigits(r)) return 0;
    const int y = DigitsValue(r);
    return PlausibleYear(y) ? y : 0;
  }
};

const WeekdayName* DateScanner::WeekdayOk(const Ctx& c, uint32_t i) const {
  if (!c.In(i)) return nullptr;
  const WeekdayName* w = lex_.Weekday(c.toks[i]);
  if (w == nullptr) return nullptr;
  if (w->header_only && c.mode != ScanMode::kHeader) return nullptr;
  return w;
}

bool DateScanner::UnitDay(const Ctx& c, uint32_t i) const {
  if (!c.In(i)) return false;
  const UnitName* u = lex_.Unit(c.toks[i]);
  return u != nullptr && u->unit == TimeUnit::kDay && u->multiple == 1;
}

int DateScanner::CountAt(const Ctx& c, uint32_t i) const {
  if (!c.In(i)) return 0;
  const int v = c.Digits(i, 3);
  if (v > 0 && v <= kMaxCount) return v;
  if (const std::optional<int> w = lex_.NumberWord(c.toks[i])) return *w;
  return 0;
}

uint32_t DateScanner::SkipFillers(const Ctx& c, uint32_t i, uint32_t max) const {
  for (uint32_t n = 0; n < max && c.In(i); ++n) {
    if (c.toks[i].Is(kTokApostropheS)) {
      ++i;
      continue;
    }
    const uint32_t e = lex_.CueAt(c.toks, i, c.end, CueRole::kWarFiller);
    if (e == 0) break;
    i = e;
  }
  return i;
}

bool DateScanner::FutureBefore(const Ctx& c, uint32_t at) const {
  // Only within the same clause: stop at punctuation.
  for (uint32_t k = 1; k <= kFutureWindow && at >= c.begin + k; ++k) {
    const uint32_t s = at - k;
    if (c.toks[s].Is(kTokPunct)) return false;
    if (lex_.CueAt(c.toks, s, at, CueRole::kFuture) != 0) return true;
  }
  return false;
}

std::optional<DateScanner::Atom> DateScanner::AtomAt(const Ctx& c, uint32_t i,
                                                     bool allow_bare_day) const {
  if (!c.In(i)) return std::nullopt;
  const auto month_end = [&](uint32_t m, const MonthName* name) {
    return name->abbreviation && c.Punct(m + 1, '.') && c.Glued(m + 1) ? m + 2 : m + 1;
  };
  // A year after a day or month: "2023" or ", 2023". Returns the end, or 0.
  const auto year_after = [&](uint32_t j, int* year) -> uint32_t {
    if ((*year = c.Year(j)) != 0) return j + 1;
    if (c.Punct(j, ',') && (*year = c.Year(j + 1)) != 0) return j + 2;
    return 0;
  };
  const auto valid = [](const PartialDate& d) {
    if (d.month == 0 || d.day == 0) return true;
    return d.day <= DaysInMonth(d.year != 0 ? d.year : kLeapYear, d.month);
  };

  // ISO: 2023-03-23 (the tokenizer drops the hyphens and flags the parts).
  if (const int y = c.Year(i); y != 0 && c.In(i + 2) &&
      c.toks[i + 1].Is(kTokHyphenBefore) && c.toks[i + 2].Is(kTokHyphenBefore)) {
    const int m = c.Digits(i + 1, 2);
    const int d = c.Digits(i + 2, 2);
    const PartialDate date{y, m, d};
    if (m >= 1 && m <= 12 && d >= 1 && valid(date)) return Atom{i, i + 3, date};
    return std::nullopt;
  }
  // Digits with dots, day first: 05.03.2024 (one number token).
  if (c.toks[i].Is(kTokNumber)) {
    const std::string_view r = c.Raw(i);
    const size_t dot1 = r.find('.');
    const size_t dot2 = dot1 == std::string_view::npos ? dot1 : r.find('.', dot1 + 1);
    if (dot2 != std::string_view::npos && r.find('.', dot2 + 1) == std::string_view::npos) {
      const std::string_view a = r.substr(0, dot1);
      const std::string_view b = r.substr(dot1 + 1, dot2 - dot1 - 1);
      const std::string_view y = r.substr(dot2 + 1);
      if (AllDigits(a) && AllDigits(b) && AllDigits(y) && a.size() <= 2 && b.size() <= 2 &&
          y.size() == kYearDigits) {
        const PartialDate date{DigitsValue(y), DigitsValue(b), DigitsValue(a)};
        if (PlausibleYear(date.year) && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
            valid(date)) {
          return Atom{i, i + 1, date};
        }
      }
      return std::nullopt;
    }
  }
  // Digits with slashes, year first: 2024/03/05.
  if (const int y = c.Year(i); y != 0 && c.Punct(i + 1, '/') && c.Glued(i + 1) &&
                               c.Glued(i + 2) && c.Punct(i + 3, '/') && c.Glued(i + 3) &&
                               c.Glued(i + 4)) {
    const PartialDate date{y, c.Digits(i + 2, 2), c.Digits(i + 4, 2)};
    if (date.month < 1 || date.month > 12 || date.day < 1 || !valid(date)) return std::nullopt;
    return Atom{i, i + 5, date};
  }
  // Digits with slashes: 03/05/2024. Taken only when the order is certain (one part
  // above 12, or both equal); "03/05/2024" alone could be March or May.
  if (const int a = c.Digits(i, 2); a > 0 && c.Punct(i + 1, '/') && c.Glued(i + 1) &&
                                     c.Glued(i + 2) && c.Punct(i + 3, '/') && c.Glued(i + 3) &&
                                     c.Glued(i + 4)) {
    const int b = c.Digits(i + 2, 2);
    const int y = c.Year(i + 4);
    if (b <= 0 || y == 0) return std::nullopt;
    PartialDate date{y, 0, 0};
    if (a > 12 && b <= 12) {
      date.day = a;
      date.month = b;
    } else if (b > 12 && a <= 12) {
      date.month = a;
      date.day = b;
    } else if (a == b && a <= 12) {
      date.month = date.day = a;
    } else {
      return std::nullopt;
    }
    if (!valid(date)) return std::nullopt;
    return Atom{i, i + 5, date};
  }
  // Day first: "3 April", "30th August, 2022", "3rd of April 2023".
  if (const int d = c.Day(i); d != 0) {
    uint32_t m = i + 1;
    if (const uint32_t e = lex_.CueAt(c.toks, m, c.end, CueRole::kLinkOf); e != 0 &&
        c.In(e) && lex_.Month(c.toks[e]) != nullptr) {
      m = e;
    }
    if (c.In(m)) {
      if (const MonthName* name = lex_.Month(c.toks[m])) {
        PartialDate date{0, name->month, d};
        uint32_t end = month_end(m, name);
        if (const uint32_t e = year_after(end, &date.year)) end = e;
        if (!valid(date)) return std::nullopt;
        return Atom{i, end, date};
      }
    }
    if (!allow_bare_day) return std::nullopt;
    // A range's end may carry the year: "March 1-3, 2023".
    PartialDate date{0, 0, d};
    uint32_t end = i + 1;
    if (c.Punct(i + 1, ',') && c.Year(i + 2) != 0) {
      date.year = c.Year(i + 2);
      end = i + 3;
    }
    return Atom{i, end, date};
  }
  // Month first: "March 23, 2023", "Nov. 9", "September 2023", "March".
  if (const MonthName* name = lex_.Month(c.toks[i])) {
    const uint32_t k = month_end(i, name);
    if (const int d = c.Day(k); d != 0 && !(c.Punct(k + 1, ':') && c.Glued(k + 1))) {
      PartialDate date{0, name->month, d};
      uint32_t end = k + 1;
      if (const uint32_t e = year_after(end, &date.year)) end = e;
      if (!valid(date)) return std::nullopt;
      return Atom{i, end, date};
    }
    PartialDate date{0, name->month, 0};
    if (const uint32_t e = year_after(k, &date.year)) return Atom{i, e, date};
    // A bare month ends before a full stop that is the sentence's, not the name's.
    return Atom{i, name->abbreviation ? k : i + 1, date};
  }
  if (const int y = c.Year(i); y != 0) return Atom{i, i + 1, PartialDate{y, 0, 0}};
  return std::nullopt;
}

std::optional<DateExpr> DateScanner::DayCountAt(const Ctx& c, uint32_t i) const {
  uint32_t j = 0;
  int n = 0;
  if (UnitDay(c, i) && (n = c.WarDay(i + 1)) > 0) {
    j = i + 2;  // "day 38 of the invasion"
  } else if ((n = c.In(i) ? OrdinalValue(c.toks[i], c.Raw(i)) : 0) > 0 && UnitDay(c, i + 1)) {
    j = i + 2;  // "the 38th day of the war"
  } else {
    // A live-blog title: "Russia-Ukraine war live: day 38".
    CueArg arg;
    const uint32_t e = lex_.CueAt(c.toks, i, c.end, CueRole::kWarNoun, &arg);
    if (e == 0) return std::nullopt;
    const uint32_t d = SkipFillers(c, e, kMaxTitleFillers);
    if (!UnitDay(c, d) || (n = c.WarDay(d + 1)) <= 0) return std::nullopt;
    DateExpr x;
    x.kind = ExprKind::kDayCount;
    x.begin = d;
    x.end = d + 2;
    x.day_number = n;
    x.anchor = *arg.anchor;
    return x;
  }
  if (n <= 0 || n > kMaxWarDay) return std::nullopt;
  const uint32_t of = lex_.CueAt(c.toks, j, c.end, CueRole::kLinkOf);
  if (of == 0) return std::nullopt;
  const uint32_t noun = SkipFillers(c, of, kMaxWarFillers);
  CueArg arg;
  const uint32_t e = lex_.CueAt(c.toks, noun, c.end, CueRole::kWarNoun, &arg);
  if (e == 0) return std::nullopt;
  DateExpr x;
  x.kind = ExprKind::kDayCount;
  x.begin = i;
  x.end = e;
  x.day_number = n;
  x.anchor = *arg.anchor;
  return x;
}

std::optional<DateExpr> DateScanner::CountedAt(const Ctx& c, uint32_t i) const {
  // [count] unit ago|later|earlier: "two days ago", "a week later", "days later".
  const int count = CountAt(c, i);
  const uint32_t u = count > 0 ? i + 1 : i;
  if (!c.In(u)) return std::nullopt;
  const UnitName* unit = lex_.Unit(c.toks[u]);
  if (unit == nullptr) return std::nullopt;
  const PhraseTrie::Match m = lex_.RelativeAt(c.toks, u + 1, c.end);
  if (m.payloads == nullptr) return std::nullopt;
  const uint32_t rule = m.payloads->front();
  const RelativeOp op = lex_.Rule(rule).op;
  if (op != RelativeOp::kAgo && op != RelativeOp::kNarrativeCount) return std::nullopt;
  DateExpr x;
  x.kind = ExprKind::kCounted;
  x.begin = i;
  x.end = m.end;
  x.rule = rule;
  x.count = count;
  x.unit = *unit;
  return x;
}

std::optional<DateExpr> DateScanner::RelativeAt(const Ctx& c, uint32_t i) const {
  const PhraseTrie::Match m = lex_.RelativeAt(c.toks, i, c.end);
  if (m.payloads == nullptr) return std::nullopt;
  const uint32_t rule = m.payloads->front();
  const RelativeOp op = lex_.Rule(rule).op;
  // These need a unit before them, which CountedAt has looked for.
  if (op == RelativeOp::kAgo || op == RelativeOp::kNarrativeCount) return std::nullopt;
  DateExpr x;
  x.begin = i;
  x.rule = rule;
  if (op != RelativeOp::kWindow) {
    x.kind = ExprKind::kRelative;
    x.end = m.end;
    return x;
  }
  // "over the past 24 hours", "in the last week": a count (1 when absent) and a unit.
  uint32_t j = m.end;
  int count = CountAt(c, j);
  if (count > 0) {
    ++j;
  } else {
    count = 1;
  }
  if (!c.In(j)) return std::nullopt;
  const UnitName* unit = lex_.Unit(c.toks[j]);
  if (unit == nullptr) return std::nullopt;
  x.kind = ExprKind::kCounted;
  x.end = j + 1;
  x.count = count;
  x.unit = *unit;
  return x;
}

std::optional<DateExpr> DateScanner::RangeAt(const Ctx& c, uint32_t i) const {
  uint32_t a_at = i;
  const uint32_t opener = lex_.CueAt(c.toks, i, c.end, CueRole::kRangeStart);
  if (opener != 0) a_at = opener;
  const std::optional<Atom> a = AtomAt(c, a_at, /*allow_bare_day=*/true);
  if (!a) return std::nullopt;
  // The join: a hyphen the tokenizer dropped ("1-3"), a dash, or a word ("between ...
  // and", "from ... to"). Without an opener a word joins only when one end is a bare
  // day, which cannot stand alone: "on 3 and 4 April", "March 3 and 4".
  uint32_t b_at = 0;
  bool word_join = false;
  if (c.In(a->end) && c.toks[a->end].Is(kTokHyphenBefore)) {
    b_at = a->end;
  } else if (const uint32_t e = lex_.CueAt(c.toks, a->end, c.end, CueRole::kRangeDash)) {
    b_at = e;
  } else {
    b_at = lex_.CueAt(c.toks, a->end, c.end, CueRole::kRangeJoin);
    word_join = true;
  }
  if (b_at == 0) return std::nullopt;
  const std::optional<Atom> b = AtomAt(c, b_at, /*allow_bare_day=*/true);
  if (!b) return std::nullopt;
  const auto bare_day = [](const PartialDate& d) { return d.day != 0 && d.month == 0; };
  if (word_join && opener == 0 && !bare_day(a->date) && !bare_day(b->date)) return std::nullopt;

  PartialDate s = a->date;
  PartialDate f = b->date;
  // Both ends at the same granularity: days, months or years.
  const bool days = s.day != 0 || f.day != 0;
  const bool months = s.month != 0 || f.month != 0;
  if (days && (s.day == 0 || f.day == 0)) return std::nullopt;
  if (!days && months && (s.month == 0 || f.month == 0)) return std::nullopt;
  if (!months && (s.year == 0 || f.year == 0)) return std::nullopt;
  if (days && !months) return std::nullopt;  // "from 1 to 5": days of no month
  if (s.month == 0) s.month = f.month;       // "1-3 March"
  if (f.month == 0) f.month = s.month;       // "March 1-3"
  bool start_year_borrowed = false;
  bool finish_year_borrowed = false;
  if (s.year == 0 && f.year != 0) {
    s.year = f.year;
    start_year_borrowed = true;
  }
  if (f.year == 0 && s.year != 0) {
    f.year = s.year;
    finish_year_borrowed = true;
  }
  if (!NotAfter(s, f)) {
    // Over a new year: "December 28 - January 3, 2023", "from December 2022 to
    // January". With no year at all the resolver places the start a year earlier.
    if (s.month <= f.month) return std::nullopt;
    if (start_year_borrowed) {
      --s.year;
    } else if (finish_year_borrowed) {
      ++f.year;
    } else if (s.year != 0) {
      return std::nullopt;
    }
  }
  if (s.day != 0 && s.day > DaysInMonth(s.year != 0 ? s.year : kLeapYear, s.month)) return std::nullopt;
  if (f.day != 0 && f.day > DaysInMonth(f.year != 0 ? f.year : kLeapYear, f.month)) return std::nullopt;
  DateExpr x;
  x.kind = ExprKind::kCalendar;
  x.begin = i;
  x.end = b->end;
  x.start = s;
  x.finish = f;
  x.range = true;
  return x;
}

std::optional<DateExpr> DateScanner::ModifiedAt(const Ctx& c, uint32_t i) const {
  CueArg arg;
  const uint32_t j = lex_.CueAt(c.toks, i, c.end, CueRole::kModifier, &arg);
  if (j == 0 || !c.In(j)) return std::nullopt;
  DateExpr x;
  x.begin = i;
  x.end = j + 1;
  x.has_modifier = true;
  x.modifier = arg.n;
  if (const WeekdayName* w = WeekdayOk(c, j)) {
    x.kind = ExprKind::kWeekday;
    x.weekday = w->weekday;
    if (const uint32_t e = lex_.CueAt(c.toks, x.end, c.end, CueRole::kPartOfDay)) x.end = e;
    return x;
  }
  if (const MonthName* m = lex_.Month(c.toks[j])) {
    x.kind = ExprKind::kMonthName;
    x.month = m->month;
    return x;
  }
  if (const SeasonName* s = lex_.Season(c.toks[j])) {
    x.kind = ExprKind::kSeason;
    x.season = *s;
    return x;
  }
  return std::nullopt;
}

bool DateScanner::InNamePhrase(const Ctx& c, uint32_t i) const {
  for (uint32_t back = 0; back <= kMaxNameBack && back <= i - c.begin; ++back) {
    if (lex_.CueAt(c.toks, i - back, c.end, CueRole::kNotDate) > i) return true;
  }
  return false;
}

std::optional<DateExpr> DateScanner::WeekdayAt(const Ctx& c, uint32_t i) const {
  const WeekdayName* w = WeekdayOk(c, i);
  if (w == nullptr || InNamePhrase(c, i)) return std::nullopt;
  uint32_t j = i + 1;
  if (w->abbreviation && c.Punct(j, '.') && c.Glued(j)) ++j;
  // A weekday that opens a full date: "Wednesday, 5 April", "Friday (June 2)".
  const auto dated = [](const std::optional<Atom>& a) {
    return a && a->date.month != 0 && a->date.day != 0;
  };
  const uint32_t k = c.Punct(j, ',') ? j + 1 : j;
  if (std::optional<Atom> a = AtomAt(c, k, false); dated(a)) {
    DateExpr x;
    x.kind = ExprKind::kCalendar;
    x.begin = i;
    x.end = a->end;
    x.start = a->date;
    return x;
  }
  if (c.Punct(j, '(')) {
    if (std::optional<Atom> a = AtomAt(c, j + 1, false); dated(a) && c.Punct(a->end, ')')) {
      DateExpr x;
      x.kind = ExprKind::kCalendar;
      x.begin = i;
      x.end = a->end + 1;
      x.start = a->date;
      return x;
    }
  }
  DateExpr x;
  x.kind = ExprKind::kWeekday;
  x.begin = i;
  x.end = i + 1;
  x.weekday = w->weekday;
  if (const uint32_t e = lex_.CueAt(c.toks, x.end, c.end, CueRole::kPartOfDay)) x.end = e;
  return x;
}

std::optional<DateExpr> DateScanner::SeasonYearAt(const Ctx& c, uint32_t i) const {
  if (!c.In(i)) return std::nullopt;
  const SeasonName* s = lex_.Season(c.toks[i]);
  if (s == nullptr) return std::nullopt;
  uint32_t j = i + 1;
  if (const uint32_t e = lex_.CueAt(c.toks, j, c.end, CueRole::kLinkOf)) j = e;
  const int y = c.Year(j);
  if (y == 0) return std::nullopt;
  DateExpr x;
  x.kind = ExprKind::kSeason;
  x.begin = i;
  x.end = j + 1;
  x.season = *s;
  x.start.year = y;
  return x;
}

std::optional<DateExpr> DateScanner::CalendarExprAt(const Ctx& c, uint32_t i) const {
  const std::optional<Atom> a = AtomAt(c, i, false);
  if (!a) return std::nullopt;
  const PartialDate& d = a->date;
  // A bare month or year is a date only after a cue ("in March", "since 2014").
  if (d.day == 0 && d.year == 0 &&
      lex_.CueBefore(c.toks, c.begin, i, CueRole::kMonthPrefix) == kNone) {
    return std::nullopt;
  }
  if (d.day == 0 && d.month == 0 &&
      lex_.CueBefore(c.toks, c.begin, i, CueRole::kYearPrefix) == kNone) {
    return std::nullopt;
  }
  DateExpr x;
  x.kind = lex_.CueBefore(c.toks, c.begin, i, CueRole::kSince) != kNone ? ExprKind::kSince
                                                                        : ExprKind::kCalendar;
  // "From September 6, the armed forces liberated ...": a sentence that opens with
  // "from" and a date (no end to the range) counts from it.
  if (x.kind == ExprKind::kCalendar && i == c.begin + 1 &&
      lex_.CueBefore(c.toks, c.begin, i, CueRole::kRangeStart) == c.begin &&
      c.toks[c.begin].Is(kTokCapitalized))
    x.kind = ExprKind::kSince;
  x.begin = a->begin;
  x.end = a->end;
  x.start = d;
  return x;
}

std::optional<DateExpr> DateScanner::ExprAt(const Ctx& c, uint32_t i) const {
  if (!lex_.MayStartDate(c.toks[i])) {
    bool digit = false;
    for (const char ch : c.toks[i].span.Of(c.text)) digit = digit || (ch >= '0' && ch <= '9');
    if (!digit) return std::nullopt;
  }
  std::optional<DateExpr> x;
  if (!(x = DayCountAt(c, i)) && !(x = CountedAt(c, i)) && !(x = RelativeAt(c, i)) &&
      !(x = RangeAt(c, i)) && !(x = ModifiedAt(c, i)) && !(x = WeekdayAt(c, i)) &&
      !(x = SeasonYearAt(c, i)) && !(x = CalendarExprAt(c, i))) {
    return std::nullopt;
  }
  // Dates inside a link ("/2023-03-05/") are not the text's.
  if ((x->begin > c.begin && c.Glued(x->begin) && c.Punct(x->begin - 1, '/')) ||
      (c.Glued(x->end) && c.Punct(x->end, '/'))) {
    return std::nullopt;
  }
  x->future = FutureBefore(c, x->begin);
  return x;
}

std::vector<DateExpr> DateScanner::Scan(const std::vector<Token>& tokens, std::string_view text,
                                        uint32_t begin, uint32_t end, ScanMode mode) const {
  const Ctx c{tokens, text, begin, std::min<uint32_t>(end, tokens.size()), mode};
  std::vector<DateExpr> out;
  for (uint32_t i = begin; i < c.end;) {
    std::optional<DateExpr> x = ExprAt(c, i);
    if (!x) {
      ++i;
      continue;
    }
    x->span = Span{tokens[x->begin].span.begin, tokens[x->end - 1].span.end};
    i = x->end;
    out.push_back(*x);
  }
  return out;
}

std::optional<DateExpr> DateScanner::CalendarAt(const std::vector<Token>& tokens,
                                                std::string_view text, uint32_t at,
                                                uint32_t end, ScanMode mode) const {
  const Ctx c{tokens, text, at, std::min<uint32_t>(end, tokens.size()), mode};
  const std::optional<Atom> a = AtomAt(c, at, false);
  if (!a) return std::nullopt;
  DateExpr x;
  x.begin = a->begin;
  x.end = a->end;
  x.start = a->date;
  x.span = Span{tokens[x.begin].span.begin, tokens[x.end - 1].span.end};
  return x;
}

namespace {

bool IsAsciiUpper(char ch) { return ch >= 'A' && ch <= 'Z'; }
bool IsAsciiLower(char ch) { return ch >= 'a' && ch <= 'z'; }

Token MakeToken(std::string_view part, uint32_t begin, bool space_before, bool line_start,
                std::string& folded) {
  Token t;
  t.span = Span{begin, begin + static_cast<uint32_t>(part.size())};
  t.fold_begin = static_cast<uint32_t>(folded.size());
  FoldAppend(part, folded);
  t.fold_len = static_cast<uint32_t>(folded.size()) - t.fold_begin;
  t.hash = FoldHash(std::string_view(folded).substr(t.fold_begin, t.fold_len));
  uint16_t flags = 0;
  const char first = part.empty() ? '\0' : part[0];
  if (first >= '0' && first <= '9') {
    flags |= kTokNumber;
  } else {
    flags |= kTokWord;
    if (IsAsciiUpper(first)) flags |= kTokCapitalized;
    int upper = 0;
    int lower = 0;
    for (char ch : part) {
      upper += IsAsciiUpper(ch);
      lower += IsAsciiLower(ch);
    }
    if (upper >= 2 && lower == 0) flags |= kTokAllCaps;
  }
  if (space_before) flags |= kTokSpaceBefore;
  if (line_start) flags |= kTokLineStart;
  t.flags = flags;
  return t;
}

}  // namespace

namespace {
// Where TokenizeLine cuts token n of toks[first..] (positions inside the token); empty
// for most tokens.
void CutsOf(std::string_view text, uint32_t base, const std::vector<Token>& raw, size_t first,
            size_t n, std::vector<size_t>& cuts) {
  cuts.clear();
  const Token& t = raw[n];
  const std::string_view s = text.substr(t.span.begin - base, t.span.size());
  if (t.Is(kTokWord)) {
    for (size_t p = 1; p < s.size(); ++p) {
      const bool camel = IsAsciiLower(s[p - 1]) && IsAsciiUpper(s[p]);
      const bool caps_word = p >= 2 && IsAsciiUpper(s[p - 2]) && IsAsciiUpper(s[p - 1]) &&
                             IsAsciiUpper(s[p]) && p + 1 < s.size() && IsAsciiLower(s[p + 1]);
      if (camel || caps_word) cuts.push_back(p);
    }
  } else if (t.Is(kTokNumber) && AllDigits(s) && s.size() > kYearDigits &&
             s.size() <= kYearDigits + 2 && n > first && n + 1 < raw.size() &&
             (raw[n - 1].Is(kTokWord) || raw[n - 1].Is(kTokPunct)) &&
             (raw[n + 1].Is(kTokWord) ||
              text.substr(raw[n + 1].span.begin - base, 1) == ":") &&
             PlausibleYear(DigitsValue(s.substr(0, kYearDigits)))) {
    // A year glued to what follows it: "June 3, 20221:20 PM", "3 Jun 20223 Jun 2022".
    cuts.push_back(kYearDigits);
  }
}
}  // namespace

void TokenizeLine(std::string_view text, uint32_t base, std::string& folded,
                  std::vector<Token>& tokens) {
  // Most lines need no cut: their tokens go straight into the output.
  const size_t first = tokens.size();
  const size_t folded_before = folded.size();
  Tokenize(text, base, folded, tokens);
  std::vector<size_t> cuts;
  size_t needs = tokens.size();
  for (size_t n = first; n < tokens.size(); ++n) {
    CutsOf(text, base, tokens, first, n, cuts);
    if (!cuts.empty()) {
      needs = n;
      break;
    }
  }
  if (needs == tokens.size()) return;
  const std::string raw_folded = folded;
  const std::vector<Token> raw(tokens.begin() + static_cast<std::ptrdiff_t>(first), tokens.end());
  tokens.resize(first);
  folded.resize(folded_before);
  for (size_t n = 0; n < raw.size(); ++n) {
    const Token& t = raw[n];
    const std::string_view s = text.substr(t.span.begin - base, t.span.size());
    CutsOf(text, base, raw, 0, n, cuts);
    if (cuts.empty()) {
      Token copy = t;
      copy.fold_begin = static_cast<uint32_t>(folded.size());
      folded.append(raw_folded, t.fold_begin, t.fold_len);
      tokens.push_back(copy);
      continue;
    }
    cuts.push_back(s.size());
    size_t from = 0;
    for (size_t cut : cuts) {
      tokens.push_back(MakeToken(s.substr(from, cut - from),
                                 t.span.begin + static_cast<uint32_t>(from),
                                 from == 0 && t.Is(kTokSpaceBefore),
                                 from == 0 && t.Is(kTokLineStart), folded));
      from = cut;
    }
  }
}

}  // namespace sitrep
