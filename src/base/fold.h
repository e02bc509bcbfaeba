// Folding: the one normal form every matcher compares in. Lower case, accents and
// apostrophes removed (’ ' ʼ ` ´), Cyrillic kept as Cyrillic (lower case, й→и, ё→е,
// ї→і), ß→ss, ł→l. Hyphens never reach Fold: the tokenizer splits on them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sitrep {

// Folds one token's text, appending to out.
void FoldAppend(std::string_view token, std::string& out);
std::string Fold(std::string_view token);

// 64-bit hash of a folded form (FNV-1a). Token::hash holds it.
constexpr uint64_t FoldHash(std::string_view folded) {
  uint64_t h = 14695981039346656037ull;
  for (char c : folded) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Tokenises and folds a phrase: "Kleban-Byk" -> "kleban byk", "Kharkiv’s" -> "kharkiv s".
std::string FoldPhrase(std::string_view phrase);

// True when the code point is an apostrophe-like character that folding drops.
bool IsApostrophe(char32_t cp);
// True for hyphen-like characters that join the parts of a compound ("-", U+2010, U+2011).
bool IsJoiningHyphen(char32_t cp);

}  // namespace sitrep
