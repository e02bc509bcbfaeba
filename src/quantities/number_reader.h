// Reads one number expression from doc.tokens for the quantities stage: digits, scale and
// number words, vague plurals ("tens of thousands of"), ranges (the low end) and the
// approximation markers around it ("more than", "10,000+"). Writes nothing.
#pragma once

#include <cstdint>

#include "doc/document.h"
#include "quantities/quantity_lexicon.h"

namespace sitrep {

struct NumberExpr {
  uint32_t span_begin = 0;  // first token, a leading approximation marker included
  uint32_t begin = 0;       // first token of the number itself
  uint32_t end = 0;         // one past the last token (range, scale and trailing marker)
  double value = 0;
  double multiplier = 1;  // the scale applied ("million" -> 1e6)
  bool approx = false;
  bool digits = false;  // written with digits
  bool vague = false;   // "dozens of", "thousands of" (the "of" is consumed)
  bool range = false;
  bool year_like = false;  // four plain digits that could be a year ("2022")
};

// The number, if any, starting at token `at`, within [floor, limit): floor bounds the
// look-back for a leading marker (the sentence start). False when none starts there.
bool ReadNumber(const Document& doc, const QuantityLexicon& lex, uint32_t floor, uint32_t at,
                uint32_t limit, NumberExpr* out);

}  // namespace sitrep
