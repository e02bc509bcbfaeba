// Turns a scanned date expression into dates: an explicit one as written (a yearless
// one takes the year nearest a reference), a relative one counted from the publication
// date. Reads a DateExpr; fills a DateMention's value, end, precision, basis and, from
// the data, past_reference (the recogniser adds the computed cases).
#pragma once

#include <optional>

#include "doc/document.h"
#include "time/date_lexicon.h"
#include "time/date_scanner.h"

namespace sitrep {

struct ResolveContext {
  std::optional<CivilDate> published;
  // For a yearless explicit date when there is no publication date: the latest full
  // date the article wrote before it ("On March 1, 2023 ... on March 5").
  std::optional<CivilDate> year_reference;
};

// Resolution rules (all dates are calendar days, no time zones):
//  - explicit: day precision for a full date; month precision (value = the 1st) for a
//    month with or without a year; a bare year and any written range are precision
//    range (1 January..31 December for a year). A yearless date or month takes the year
//    that puts it nearest the reference (the publication date, else year_reference),
//    ties going to the past; after a future cue ("will") the first one on or after it.
//    Without any reference: value null, precision unknown, basis explicit.
//  - weekdays: "on Thursday" is the latest Thursday on or before publication (the same
//    day counts); after a future cue the first on or after it; "last Thursday" strictly
//    before, "next Thursday" strictly after, "this Thursday" in publication's week.
//  - relative phrases: per relative.tsv; "N weeks ago" is a range of a week around the
//    day; "N months ago" a month; "N years ago" that whole year.
//  - "since X" (a written date, or an anchor: "since the start of the invasion"): X to
//    publication, precision range, basis explicit; with no publication date, value X
//    and precision unknown.
//  - "day N of the invasion": anchor + N - 1, basis inferred.
//  - anything that needs the publication date when there is none: value null, precision
//    unknown, basis relative (kept so the event finder knows a time was said).
DateMention ResolveExpr(const DateExpr& expr, const DateLexicon& lexicon,
                        const ResolveContext& context);

}  // namespace sitrep
