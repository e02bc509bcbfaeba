// When did the event that a trigger names happen: the time stage's answer for the
// events stage. Reads doc.dates, doc.published, doc.tokens and doc.sentences (after
// DateRecogniser has run); writes nothing.
#pragma once

#include <cstdint>

#include "doc/document.h"

namespace sitrep {

// The date mention in the trigger's sentence nearest to the trigger, counted in tokens,
// where each clause boundary in between (; : ( ) dashes) weighs kClausePenalty tokens
// and a mention without a value kUnresolvedPenalty more, so a resolved date in the same
// clause wins. The EventTime copies the mention: text and span of its words, value, end,
// precision, and basis (explicit or relative; a war-day count, inferred, is explicit
// here). *mention (when given) receives its index in doc.dates, so the caller can read
// past_reference.
//
// With no mention in the sentence: value = the publication date, precision unknown,
// basis document, text and span empty, *mention = kNone; with no publication date
// either, value null and basis unknown.
EventTime ResolveEventTime(const Document& doc, uint32_t sentence, Span trigger,
                           uint32_t* mention = nullptr);

constexpr int kClausePenalty = 20;
constexpr int kUnresolvedPenalty = 10;

}  // namespace sitrep
