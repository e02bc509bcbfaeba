// The tokenizer shared by the segmenter, the gazetteer builder and every lexicon
// loader, so that text and knowledge are cut and folded the same way.
// Words keep internal apostrophes ("Luk'yantsi") but split off a possessive "'s";
// hyphenated compounds become separate tokens with kTokHyphenBefore ("Kleban-Byk");
// numbers keep their separators ("17,800"); every other character is its own token.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"

namespace sitrep {

// Appends the tokens of text to tokens (spans offset by base) and their folded
// forms to folded.
void Tokenize(std::string_view text, uint32_t base, std::string& folded,
              std::vector<Token>& tokens);

// Parses a number token ("17,800", "21.7", "1.5") into a value; false if not a number.
bool ParseNumberToken(std::string_view token, double* value);

}  // namespace sitrep
