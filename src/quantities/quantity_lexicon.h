// The knowledge of the quantities stage, loaded from data/quantities/: number words,
// the nouns a number counts (units.tsv), what happened to them (triggers.tsv), side
// words and the function words the matcher needs (words.tsv). Read-only once loaded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/phrase_trie.h"
#include "doc/document.h"

namespace sitrep {

enum class NumberWordKind : uint8_t {
  kUnit,      // zero .. nineteen
  kTens,      // twenty .. ninety
  kHundred,   // hundred
  kScale,     // thousand, million, billion
  kDozen,     // dozen
  kFraction,  // half, quarter
  kArticle,   // a, an ("a hundred", "a dozen")
  kVague,     // dozens, hundreds, thousands (of)
  kGlued,     // m, bn, k written against the digits
  kFew,       // several, few: only before a scale ("several hundred"); approximate
};

struct NumberWord {
  double value = 0;
  NumberWordKind kind = NumberWordKind::kUnit;
};

enum class NounForm : uint8_t { kPlural, kSingular, kBefore };

struct UnitEntry {
  Unit unit = Unit::kNone;
  bool skip = false;  // not a count of war events (time, money, dates)
  NounForm form = NounForm::kPlural;
  Side side = Side::kUnknown;
  std::string what;   // implied by the noun itself ("dead" -> killed)
  bool weak = false;  // often an adjective: the head only if no other unit noun follows
};

// kAdjacent: before the number and right next to it ("attacked 30 villages"): words
// that are nouns as often as verbs ("shelling", "strikes") reach no further.
enum class TriggerPosition : uint8_t { kBoth, kBefore, kAfter, kAdjacent };

struct TriggerEntry {
  std::string what;
  TriggerPosition position = TriggerPosition::kBoth;
  bool bare = false;  // keeps a number with no noun ("killed 12")
};

// Rules on a `what` value (what.tsv).
struct WhatRule {
  std::string what;
  std::string of_total;   // what the total of "N of M" gets
  std::string equipment;  // what it becomes when equipment is counted
  bool people_only = false;
};

// Classes of words.tsv, as bits.
enum WordClass : uint32_t {
  kWordStop = 1u << 0,
  kWordGlue = 1u << 1,
  kWordAux = 1u << 2,
  kWordDeterminer = 1u << 3,
  kWordPronoun = 1u << 4,
  kWordLeftGap = 1u << 5,
  kWordClause = 1u << 6,
  kWordInsert = 1u << 7,
  kWordApprox = 1u << 8,
  kWordApproxAfter = 1u << 9,
  kWordSkipBefore = 1u << 10,
  kWordYearBefore = 1u << 11,
  kWordPartitive = 1u << 12,
  kWordRange = 1u << 13,
  kWordRangeOpen = 1u << 14,
  kWordFrom = 1u << 15,
  kWordNumberAnd = 1u << 16,  // joins number words ("one hundred and twenty")
  kWordUrl = 1u << 17,        // starts a web address
};

class QuantityLexicon {
 public:
  // Loads every file of dir (data/quantities); nullopt and *error ("file:line: why") on
  // failure.
  static std::optional<QuantityLexicon> Load(const std::string& dir, std::string* error);

  // A number word by the token's folded hash, or nullptr.
  const NumberWord* Number(const Token& t) const;

  // The unit noun phrase starting at token `at` (longest), or nullptr; *end gets one past
  // its last token.
  const UnitEntry* UnitAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                          uint32_t* end) const;
  // A unit phrase that precedes the number ("the bodies of") ending exactly at `end` and
  // starting at or after `floor`, or nullptr; *begin gets its first token.
  const UnitEntry* UnitEndingAt(const std::vector<Token>& tokens, uint32_t floor, uint32_t end,
                                uint32_t* begin) const;
  // Every unit noun of [begin, end), leftmost-longest, with its entry.
  void UnitMatches(const std::vector<Token>& tokens, uint32_t begin, uint32_t end,
                   std::vector<std::pair<PhraseTrie::Match, const UnitEntry*>>* out) const;
  // Every trigger of [begin, end), leftmost-longest.
  std::vector<PhraseTrie::Match> Triggers(const std::vector<Token>& tokens, uint32_t begin,
                                          uint32_t end) const;
  const TriggerEntry& Trigger(const PhraseTrie::Match& m) const {
    return triggers_[(*m.payloads)[0]];
  }
  // A side word at token `at`, or nullopt; *end gets one past it.
  std::optional<Side> SideAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                             uint32_t* end) const;

  // The rule for a what value, or nullptr (a handful of rules: a linear search).
  const WhatRule* What(std::string_view what) const;

  // True when a phrase of class `cls` starts at `at` (longest); *end gets its end.
  bool WordAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit, WordClass cls,
              uint32_t* end) const;
  // True when a phrase of class `cls` ends exactly at `end` (exclusive) and starts at or
  // after `floor`; *begin gets the earliest such start.
  bool WordEndingAt(const std::vector<Token>& tokens, uint32_t floor, uint32_t end, WordClass cls,
                    uint32_t* begin) const;
  // The classes of a single token (phrases of one word).
  uint32_t ClassesOf(const Token& t) const;
  bool Is(const Token& t, WordClass cls) const { return (ClassesOf(t) & cls) != 0; }

 private:
  std::unordered_map<uint64_t, NumberWord> numbers_;
  PhraseTrie units_;
  PhraseTrie units_before_;
  std::vector<UnitEntry> unit_entries_;
  PhraseTrie triggers_trie_;
  std::vector<TriggerEntry> triggers_;
  std::vector<WhatRule> what_rules_;
  PhraseTrie sides_;
  std::vector<Side> side_values_;
  PhraseTrie words_;
  std::vector<uint32_t> word_classes_;  // per payload
  std::unordered_map<uint64_t, uint32_t> single_classes_;
};

}  // namespace sitrep
