#include "quantities/number_reader.h"

#include "base/tokenizer.h"

namespace sitrep {
namespace {

// Years written as four plain digits.
constexpr double kFirstYear = 1800;
constexpr double kLastYear = 2100;
constexpr size_t kYearDigits = 4;

// A number without range or markers: digits with their scale, or a run of number words.
struct Bare {
  uint32_t end = 0;
  double value = 0;
  double multiplier = 1;
  bool digits = false;
  bool vague = false;
  bool approx = false;
};

bool IsKind(const NumberWord* w, NumberWordKind k) { return w != nullptr && w->kind == k; }

bool ReadDigits(const Document& doc, const QuantityLexicon& lex, uint32_t at, uint32_t limit,
                Bare* out) {
  const std::vector<Token>& tokens = doc.tokens;
  double value = 0;
  if (!ParseNumberToken(doc.Folded(tokens[at]), &value)) return false;
  uint32_t j = at + 1;
  double multiplier = 1;
  // "47.4m", "5bn": a scale suffix written against the digits.
  if (j < limit && !tokens[j].Is(kTokSpaceBefore) && !tokens[j].Is(kTokHyphenBefore)) {
    if (const NumberWord* w = lex.Number(tokens[j]); IsKind(w, NumberWordKind::kGlued)) {
      multiplier = w->value;
      ++j;
    }
  }
  // "1.5 million", "17 thousand".
  while (j < limit && !tokens[j].Is(kTokHyphenBefore)) {
    const NumberWord* w = lex.Number(tokens[j]);
    if (!IsKind(w, NumberWordKind::kScale) && !IsKind(w, NumberWordKind::kHundred)) break;
    multiplier *= w->value;
    ++j;
  }
  out->end = j;
  out->value = value * multiplier;
  out->multiplier = multiplier;
  out->digits = true;
  return true;
}

bool IsOf(const QuantityLexicon& lex, const Token& t) {
  return t.Is(kTokWord) && lex.Is(t, kWordPartitive);
}

// "dozens of", "tens of thousands of": the smallest value the plural allows.
bool ReadVague(const Document& doc, const QuantityLexicon& lex, uint32_t at, uint32_t limit,
               const NumberWord& first, Bare* out) {
  const std::vector<Token>& tokens = doc.tokens;
  uint32_t j = at + 1;
  if (j >= limit || !IsOf(lex, tokens[j])) return false;
  ++j;
  double value = first.value;
  // "tens of thousands (of)": the second plural is a plain scale (its value is twice it).
  if (j < limit) {
    if (const NumberWord* w = lex.Number(tokens[j]); IsKind(w, NumberWordKind::kVague)) {
      value *= w->value / 2;
      ++j;
      if (j >= limit || !IsOf(lex, tokens[j])) {
        out->end = j;
      } else {
        out->end = j + 1;
      }
      out->value = value;
      out->vague = true;
      return true;
    }
  }
  out->end = j;
  out->value = value;
  out->vague = true;
  return true;
}

// Adds number word w to a running value: total holds finished thousands/millions,
// current the group being built. False when w cannot continue the number ("two three").
bool Combine(const NumberWord& w, bool any, NumberWordKind last, double* total, double* current,
             double* multiplier) {
  switch (w.kind) {
    case NumberWordKind::kUnit:
      if (any &&
          (last == NumberWordKind::kUnit || last == NumberWordKind::kDozen ||
           last == NumberWordKind::kFraction || (last == NumberWordKind::kTens && w.value >= 10)))
        return false;
      *current += w.value;
      return true;
    case NumberWordKind::kTens:
      if (any && (last == NumberWordKind::kUnit || last == NumberWordKind::kTens ||
                  last == NumberWordKind::kFraction))
        return false;
      *current += w.value;
      return true;
    case NumberWordKind::kHundred:
      if (any && last == NumberWordKind::kHundred) return false;
      *current = (*current == 0 ? 1 : *current) * w.value;
      *multiplier = w.value;
      return true;
    case NumberWordKind::kScale:
      *total += (*current == 0 ? 1 : *current) * w.value;
      *current = 0;
      *multiplier = w.value;
      return true;
    case NumberWordKind::kDozen:
      *current = (*current == 0 ? 1 : *current) * w.value;
      return true;
    default:
      return false;
  }
}

bool ReadWords(const Document& doc, const QuantityLexicon& lex, uint32_t at, uint32_t limit,
               Bare* out) {
  const std::vector<Token>& tokens = doc.tokens;
  const NumberWord* first = lex.Number(tokens[at]);
  if (first == nullptr) return false;
  if (first->kind == NumberWordKind::kGlued) return false;
  if (first->kind == NumberWordKind::kVague) return ReadVague(doc, lex, at, limit, *first, out);

  double total = 0;
  double current = 0;
  uint32_t j = at;
  if (first->kind == NumberWordKind::kFraction) {
    // "half a million", "half a dozen".
    if (j + 2 >= limit || !IsKind(lex.Number(tokens[j + 1]), NumberWordKind::kArticle))
      return false;
    const NumberWord* scale = lex.Number(tokens[j + 2]);
    if (!IsKind(scale, NumberWordKind::kScale) && !IsKind(scale, NumberWordKind::kDozen) &&
        !IsKind(scale, NumberWordKind::kHundred))
      return false;
    out->end = j + 3;
    out->value = first->value * scale->value;
    out->multiplier = scale->value;
    return true;
  }
  bool approx = false;
  if (first->kind == NumberWordKind::kArticle) {
    // "a hundred", "a dozen", "a million", "a few thousand"; a lone "a" is no number.
    if (j + 1 >= limit) return false;
    const NumberWord* next = lex.Number(tokens[j + 1]);
    if (IsKind(next, NumberWordKind::kFew)) {
      first = next;
      ++j;
    } else if (!IsKind(next, NumberWordKind::kHundred) && !IsKind(next, NumberWordKind::kScale) &&
               !IsKind(next, NumberWordKind::kDozen)) {
      return false;
    } else {
      current = 1;
      ++j;
    }
  }
  if (first->kind == NumberWordKind::kFew) {
    // "several hundred": a count only before a scale word.
    if (j + 1 >= limit) return false;
    const NumberWord* next = lex.Number(tokens[j + 1]);
    if (!IsKind(next, NumberWordKind::kHundred) && !IsKind(next, NumberWordKind::kScale) &&
        !IsKind(next, NumberWordKind::kDozen))
      return false;
    current = first->value;
    approx = true;
    ++j;
  }

  NumberWordKind last = NumberWordKind::kArticle;
  const bool led = current != 0;  // "a" or "several" already stands for the count
  bool any = led;
  double multiplier = 1;
  const uint32_t j0 = j;
  uint32_t end = j;
  while (j < limit) {
    const Token& t = tokens[j];
    if (const NumberWord* w = lex.Number(t); w != nullptr) {
      if (!Combine(*w, any, last, &total, &current, &multiplier)) break;
      last = w->kind;
      any = true;
      ++j;
      end = j;
      continue;
    }
    // "one hundred and twenty", "two and a half (million)".
    if (!any || !t.Is(kTokWord) || !lex.Is(t, kWordNumberAnd) || j + 1 >= limit) break;
    const NumberWord* next = lex.Number(tokens[j + 1]);
    if ((IsKind(next, NumberWordKind::kUnit) || IsKind(next, NumberWordKind::kTens)) &&
        (last == NumberWordKind::kHundred || last == NumberWordKind::kScale)) {
      ++j;
      continue;
    }
    if (!IsKind(next, NumberWordKind::kArticle) || j + 2 >= limit) break;
    const NumberWord* frac = lex.Number(tokens[j + 2]);
    if (!IsKind(frac, NumberWordKind::kFraction)) break;
    current += frac->value;
    last = NumberWordKind::kFraction;
    j += 3;
    end = j;
  }
  if (end == at || (led && end == j0)) return false;
  out->end = end;
  out->approx = approx;
  out->value = total + current;
  out->multiplier = multiplier;
  return true;
}

bool ReadBare(const Document& doc, const QuantityLexicon& lex, uint32_t at, uint32_t limit,
              Bare* out) {
  if (at >= limit) return false;
  const Token& t = doc.tokens[at];
  if (t.Is(kTokNumber)) return ReadDigits(doc, lex, at, limit, out);
  if (t.Is(kTokWord)) return ReadWords(doc, lex, at, limit, out);
  return false;
}

}  // namespace

bool ReadNumber(const Document& doc, const QuantityLexicon& lex, uint32_t floor, uint32_t at,
                uint32_t limit, NumberExpr* out) {
  const std::vector<Token>& tokens = doc.tokens;
  Bare low;
  if (!ReadBare(doc, lex, at, limit, &low)) return false;
  NumberExpr n;
  n.span_begin = at;
  n.begin = at;
  n.end = low.end;
  n.value = low.value;
  n.multiplier = low.multiplier;
  n.digits = low.digits;
  n.vague = low.vague;
  n.approx = low.vague || low.approx;
  if (low.digits && low.end == at + 1) {
    const std::string_view text = doc.Folded(tokens[at]);
    n.year_like = text.size() == kYearDigits && low.value >= kFirstYear && low.value <= kLastYear &&
                  text.find_first_not_of("0123456789") == std::string_view::npos;
  }

  uint32_t marker = at;
  if (lex.WordEndingAt(tokens, floor, at, kWordApprox, &marker)) {
    n.span_begin = marker;
    n.approx = true;
  }

  // Ranges: "1,400-1,500", "two to three", "between 20 and 30" -> the low end.
  if (!n.vague && n.end < limit) {
    uint32_t high_at = 0;
    const Token& next = tokens[n.end];
    if (next.Is(kTokHyphenBefore) && (next.Is(kTokNumber) || lex.Number(next) != nullptr)) {
      high_at = n.end;  // joined by a hyphen the tokenizer dropped
    } else if (next.Is(kTokPunct) || next.Is(kTokWord)) {
      uint32_t e = 0;
      const bool from_before = n.span_begin > floor && lex.Is(tokens[n.span_begin - 1], kWordFrom);
      if (lex.WordAt(tokens, n.end, limit, kWordRange, &e) && !from_before) {
        high_at = e;
      } else if (next.Is(kTokWord) && lex.Is(next, kWordNumberAnd) && n.span_begin > floor &&
                 lex.Is(tokens[n.span_begin - 1], kWordRangeOpen)) {
        high_at = n.end + 1;
      }
    }
    Bare high;
    if (high_at != 0 && ReadBare(doc, lex, high_at, limit, &high) && !high.vague &&
        high.digits == low.digits) {
      // "1.5 to 2 million": the scale written once applies to both ends.
      double low_value = low.value;
      if (low.multiplier == 1 && high.multiplier > 1) low_value *= high.multiplier;
      if (high.value > low_value) {
        n.value = low_value;
        n.multiplier = high.multiplier;
        n.end = high.end;
        n.range = true;
        n.approx = true;
        n.year_like = false;
      }
    }
  }

  // "10,000+", "30-odd", "50 or so".
  if (uint32_t e = 0; n.end < limit && lex.WordAt(tokens, n.end, limit, kWordApproxAfter, &e)) {
    const Token& t = tokens[n.end];
    // A marker word must be glued ("10,000+", "30-odd") or a phrase ("or so").
    if (e > n.end + 1 || !t.Is(kTokSpaceBefore) || t.Is(kTokHyphenBefore)) {
      n.end = e;
      n.approx = true;
    }
  }
  *out = n;
  return true;
}

}  // namespace sitrep
