// Romanisation of Cyrillic place names (the Ukrainian national system from a table in
// data/gazetteer/kmu2010.tsv; ICU's BGN/PCGN transliterators) and the transliteration
// "skeleton" that the fuzzy index compares. Used by the builder and the recogniser.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sitrep {

enum class Script : uint8_t { kNone, kLatin, kCyrillic, kMixed, kOther };

// The script of a name's letters: Latin, Cyrillic, both (kMixed), anything else (kOther).
Script ScriptOf(std::string_view text);

enum class CyrillicLanguage : uint8_t { kUnknown, kUkrainian, kRussian };

// Ukrainian by і ї є ґ, Russian by ы э ъ ё; kUnknown when neither shows.
CyrillicLanguage DetectCyrillicLanguage(std::string_view text);

// Ukrainian Cyrillic -> Latin by a letter table (KMU 2010: "Костянтинівка" ->
// "Kostiantynivka"). Capitals are restored at the start of each word.
class NationalRomanizer {
 public:
  // Loads a table with columns cyrillic, initial, other. nullptr and *error on failure.
  static std::unique_ptr<NationalRomanizer> Load(const std::string& path, std::string* error);
  std::string Romanize(std::string_view cyrillic) const;

 private:
  struct Rule {
    std::string initial;
    std::string other;
  };
  // Keyed by the lower-case Cyrillic letter or letter pair (UTF-8).
  std::unordered_map<std::string, Rule> rules_;
  size_t longest_ = 1;  // longest key in code points
};

// ICU transliterators ("Ukrainian-Latin/BGN", "Russian-Latin/BGN"). Not thread-safe:
// the builder owns one.
class IcuRomanizer {
 public:
  IcuRomanizer();
  ~IcuRomanizer();
  bool ok() const;
  std::string Ukrainian(std::string_view cyrillic) const;
  std::string Russian(std::string_view cyrillic) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The transliteration skeleton of a folded Latin name: letters only, the variants
// romanisations disagree on collapsed (y/i/j, kh/h/g, zh/z, ts/c/tz, ie/ye/e, w/v,
// x/ks, doubled letters). "" for text with non-Latin letters.
std::string SkeletonKey(std::string_view folded);
// Number of letters in a folded name (what the 7-letter threshold counts).
size_t LetterCount(std::string_view folded);

// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent
// transpositions), computed up to limit: returns limit + 1 when it is larger.
int OsaDistance(std::string_view a, std::string_view b, int limit);

}  // namespace sitrep
