// The publication date of an article. Reads doc.meta_published, the raw lines of
// doc.text (not the segmenter's tokens) and doc.removed (reader comments); returns what
// doc.published should hold and which rule gave it.
#pragma once

#include <cstdint>
#include <string_view>

#include "doc/document.h"
#include "time/date_scanner.h"

namespace sitrep {

// In order of trust; the first that applies wins.
enum class PublishedSource : uint8_t {
  kNone,          // unknown: value null
  kMetadata,      // doc.meta_published (basis metadata, no span)
  kDatePrefix,    // the text opens with "date 2023-11-09"
  kDateline,      // "KYIV, June 3, 2023 (Reuters) -", "UNITED NATIONS (Sputnik - 30th August, 2022)"
  kStampLine,     // a date stamp among the first lines: "Friday, 2 June 2023, 21:29"
  kLabelledLine,  // a short "Published 12 May 2022" line further down
  kDayCount,      // "on day 38 of the invasion" among the first lines (inferred)
  kComments,      // the earliest dated reader comment (inferred)
};

std::string_view Name(PublishedSource source);

struct PublishedFinding {
  PublishedDate date;
  PublishedSource source = PublishedSource::kNone;
};

// The rules, in order:
//  1. metadata; 2. a leading "date YYYY-MM-DD";
//  3. a dateline at the start of one of the first lines: place words, then ", <date>"
//     followed by a dash or an "(Agency)" and a dash, or "(<agency> - <date>)". A
//     dateline without a year ("GENEVA, Jan 20 (Reuters) -") takes the year that puts it
//     nearest the best date found by rules 4-5 (basis explicit) or 6-7 (inferred); with
//     none it gives nothing;
//  4. a stamp line before the story starts (its first prose paragraph, unless that sits
//     under a title with the stamp just below it: a standfirst), a few lines in at most:
//     a short line with a full date and otherwise only times, zones, weekdays, labels,
//     punctuation, a byline or a few capitalised name words. A "Published" one
//     beats an unlabelled one, which beats an "Updated" one; then the earliest line;
//  5. a short line anywhere outside comments with a "Published" label and a full date;
//  6. "day N of the invasion/war" among the first lines: day 1 = the anchor (inferred);
//  7. the earliest full date in a comments span of doc.removed (inferred).
// Dates inside a sentence of the story, captions, "4 days ago" and links never count.
PublishedFinding FindPublishedDate(const Document& doc, const DateScanner& scanner);

}  // namespace sitrep
