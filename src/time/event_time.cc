#include "time/event_time.h"

#include <algorithm>
#include <cstdlib>

namespace sitrep {
namespace {

// Index of the first token that ends after offset.
uint32_t TokenAt(const Document& doc, uint32_t offset) {
  auto it = std::upper_bound(doc.tokens.begin(), doc.tokens.end(), offset,
                             [](uint32_t off, const Token& t) { return off < t.span.end; });
  return static_cast<uint32_t>(it - doc.tokens.begin());
}

// Punctuation that closes a clause; a comma does not ("On Monday, Russia struck").
bool ClauseBoundary(const Document& doc, const Token& t) {
  if (!t.Is(kTokPunct)) return false;
  const std::string_view f = doc.Folded(t);
  return f == ";" || f == ":" || f == "-" || f == "(" || f == ")";
}

DateBasis EventBasis(DateBasis mention_basis) {
  return mention_basis == DateBasis::kInferred ? DateBasis::kExplicit : mention_basis;
}

}  // namespace

EventTime ResolveEventTime(const Document& doc, uint32_t sentence, Span trigger,
                           uint32_t* mention) {
  if (mention != nullptr) *mention = kNone;
  const uint32_t trigger_token = TokenAt(doc, trigger.begin);
  uint32_t best = kNone;
  int best_score = 0;
  for (uint32_t k = 0; k < doc.dates.size(); ++k) {
    const DateMention& m = doc.dates[k];
    if (m.sentence != sentence) continue;
    const uint32_t first = TokenAt(doc, m.span.begin);
    const uint32_t last = TokenAt(doc, m.span.end > 0 ? m.span.end - 1 : 0);
    // Tokens strictly between the mention and the trigger.
    uint32_t lo = 0;
    uint32_t hi = 0;
    if (last < trigger_token) {
      lo = last + 1;
      hi = trigger_token;
    } else if (first > trigger_token) {
      lo = trigger_token + 1;
      hi = first;
    }
    int score = static_cast<int>(hi - lo);
    for (uint32_t t = lo; t < hi && t < doc.tokens.size(); ++t) {
      if (ClauseBoundary(doc, doc.tokens[t])) score += kClausePenalty;
    }
    if (!m.value) score += kUnresolvedPenalty;
    if (best == kNone || score < best_score) {
      best = k;
      best_score = score;
    }
  }

  EventTime time;
  if (best == kNone) {
    time.value = doc.published.value;
    time.precision = DatePrecision::kUnknown;
    time.basis = doc.published.value ? DateBasis::kDocument : DateBasis::kUnknown;
    return time;
  }
  const DateMention& m = doc.dates[best];
  time.text = std::string(doc.Text(m.span));
  time.span = m.span;
  time.value = m.value;
  time.end = m.end;
  time.precision = m.precision;
  time.basis = EventBasis(m.basis);
  if (mention != nullptr) *mention = best;
  return time;
}

}  // namespace sitrep
