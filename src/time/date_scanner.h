// Finds date expressions in a run of tokens (a sentence, or one raw line of the page):
// explicit dates and ranges, weekdays, relative phrases, counted spans ("two days ago"),
// war-day counts. Reads tokens and their text only; date_resolver.h turns the
// expressions into calendar dates.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "time/date_lexicon.h"

namespace sitrep {

// A date as written: 0 for a part the text does not give.
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;

  bool Full() const { return year != 0 && month != 0 && day != 0; }
  friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

enum class ExprKind : uint8_t {
  kCalendar,   // `start` (and `finish` for a range) as written
  kSince,      // "since" + a calendar date: from it to publication
  kWeekday,    // a weekday, maybe with last/this/next
  kMonthName,  // last/this/next + a month name: "last March"
  kSeason,     // a season with last/this/next, or with a year
  kRelative,   // a relative.tsv phrase
  kCounted,    // a relative.tsv ago/window/narrative_count phrase with a count and a unit
  kDayCount,   // "day 38 of the invasion"
};

struct DateExpr {
  ExprKind kind = ExprKind::kCalendar;
  uint32_t begin = 0;  // token indices in the scanned vector
  uint32_t end = 0;
  Span span;
  PartialDate start;
  PartialDate finish;  // for ranges
  bool range = false;
  int weekday = -1;         // kWeekday (0 = Monday)
  int month = 0;            // kMonthName
  SeasonName season;        // kSeason
  bool has_modifier = false;
  int modifier = 0;         // last -1, this 0, next +1
  uint32_t rule = kNone;    // kRelative, kCounted: into the lexicon's rules
  int count = 0;            // kCounted; 0 when the text gives none ("days ago")
  UnitName unit;            // kCounted
  int day_number = 0;       // kDayCount
  CivilDate anchor;         // kDayCount: day 1
  bool future = false;      // a future cue ("will") shortly before
};

// Sentences never take header-only names (the weekday abbreviation "Sat" is a word).
enum class ScanMode : uint8_t { kSentence, kHeader };

class DateScanner {
 public:
  explicit DateScanner(const DateLexicon& lexicon) : lex_(lexicon) {}

  // Every expression in tokens[begin, end), left to right, longest first, not
  // overlapping. Spans point into `text` (the text the tokens were cut from).
  std::vector<DateExpr> Scan(const std::vector<Token>& tokens, std::string_view text,
                             uint32_t begin, uint32_t end, ScanMode mode) const;

  // A calendar date (day, month and/or year, or a numeric form) starting exactly at
  // token `at`, bare months and years included, ranges not. For datelines and date
  // prefixes, where the position itself is the cue.
  std::optional<DateExpr> CalendarAt(const std::vector<Token>& tokens, std::string_view text,
                                     uint32_t at, uint32_t end, ScanMode mode) const;

  const DateLexicon& lexicon() const { return lex_; }

 private:
  struct Ctx;
  struct Atom {
    uint32_t begin = 0;
    uint32_t end = 0;
    PartialDate date;
  };
  std::optional<Atom> AtomAt(const Ctx& c, uint32_t i, bool allow_bare_day) const;
  std::optional<DateExpr> ExprAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> DayCountAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> CountedAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> RelativeAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> RangeAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> ModifiedAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> WeekdayAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> SeasonYearAt(const Ctx& c, uint32_t i) const;
  std::optional<DateExpr> CalendarExprAt(const Ctx& c, uint32_t i) const;
  const WeekdayName* WeekdayOk(const Ctx& c, uint32_t i) const;
  // Token i is inside a name that holds a date word ("Good Friday", "Sunday Times").
  bool InNamePhrase(const Ctx& c, uint32_t i) const;
  uint32_t SkipFillers(const Ctx& c, uint32_t i, uint32_t max) const;
  bool FutureBefore(const Ctx& c, uint32_t at) const;
  bool UnitDay(const Ctx& c, uint32_t i) const;
  int CountAt(const Ctx& c, uint32_t i) const;

  const DateLexicon& lex_;
};

// Tokenises one raw line of page text for date scanning: the shared tokenizer, then
// words glued by a missing space are split where a capital follows lower case
// ("MazurenkoFriday", "UTCUpdated"), and a year glued to a time or a date ("20221:20",
// "3 Jun 20223 Jun 2022") is split.
void TokenizeLine(std::string_view text, uint32_t base, std::string& folded,
                  std::vector<Token>& tokens);

}  // namespace sitrep
