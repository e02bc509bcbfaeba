#include "quantities/quantity_lexicon.h"

#include <array>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "base/fold.h"
#include "base/tokenizer.h"
#include "base/tsv.h"

namespace sitrep {
namespace {

std::string Where(const TsvTable& t, const TsvTable::Row& row) {
  return t.path() + ":" + std::to_string(row.line) + ": ";
}

std::optional<TsvTable> LoadTable(const std::string& path,
                                  const std::vector<std::string_view>& columns,
                                  std::string* error) {
  std::optional<TsvTable> t = TsvTable::Load(path, error);
  if (!t) return std::nullopt;
  for (std::string_view c : columns) {
    if (t->Column(c) < 0) {
      *error = path + ":1: missing column '" + std::string(c) + "'";
      return std::nullopt;
    }
  }
  return t;
}

std::optional<NumberWordKind> ParseKind(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, NumberWordKind>, 10> kKinds = {{
      {"unit", NumberWordKind::kUnit},
      {"tens", NumberWordKind::kTens},
      {"hundred", NumberWordKind::kHundred},
      {"scale", NumberWordKind::kScale},
      {"dozen", NumberWordKind::kDozen},
      {"fraction", NumberWordKind::kFraction},
      {"article", NumberWordKind::kArticle},
      {"vague", NumberWordKind::kVague},
      {"glued", NumberWordKind::kGlued},
      {"few", NumberWordKind::kFew},
  }};
  for (const auto& [name, kind] : kKinds) {
    if (name == s) return kind;
  }
  return std::nullopt;
}

std::optional<WordClass> ParseClass(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, WordClass>, 18> kClasses = {{
      {"stop", kWordStop},
      {"glue", kWordGlue},
      {"aux", kWordAux},
      {"determiner", kWordDeterminer},
      {"pronoun", kWordPronoun},
      {"leftgap", kWordLeftGap},
      {"clause", kWordClause},
      {"insert", kWordInsert},
      {"approx", kWordApprox},
      {"approx_after", kWordApproxAfter},
      {"skip_before", kWordSkipBefore},
      {"year_before", kWordYearBefore},
      {"partitive", kWordPartitive},
      {"range", kWordRange},
      {"range_open", kWordRangeOpen},
      {"from", kWordFrom},
      {"number_and", kWordNumberAnd},
      {"url", kWordUrl},
  }};
  for (const auto& [name, cls] : kClasses) {
    if (name == s) return cls;
  }
  return std::nullopt;
}

// Adds every brace expansion of pattern to trie; false when one is empty.
bool AddExpanded(PhraseTrie& trie, std::string_view pattern, uint32_t payload) {
  for (const std::string& phrase : ExpandBraces(pattern)) {
    if (!trie.Add(phrase, payload)) return false;
  }
  return true;
}

}  // namespace

std::optional<QuantityLexicon> QuantityLexicon::Load(const std::string& dir, std::string* error) {
  QuantityLexicon lex;

  // numbers.tsv
  {
    auto t = LoadTable(dir + "/numbers.tsv", {"word", "value", "kind"}, error);
    if (!t) return std::nullopt;
    for (const TsvTable::Row& row : t->rows()) {
      const std::string word(t->Get(row, "word"));
      const std::string value(t->Get(row, "value"));
      char* end = nullptr;
      const double v = std::strtod(value.c_str(), &end);
      const std::optional<NumberWordKind> kind = ParseKind(t->Get(row, "kind"));
      if (word.empty() || value.empty() || *end != '\0' || !kind) {
        *error = Where(*t, row) + "bad number word row";
        return std::nullopt;
      }
      lex.numbers_[FoldHash(Fold(word))] = NumberWord{v, *kind};
    }
  }

  // units.tsv
  {
    auto t = LoadTable(dir + "/units.tsv", {"phrase", "unit", "form"}, error);
    if (!t) return std::nullopt;
    for (const TsvTable::Row& row : t->rows()) {
      UnitEntry e;
      const std::string_view unit = t->Get(row, "unit");
      if (unit == "skip") {
        e.skip = true;
      } else if (unit != "-") {
        const std::optional<Unit> u = ParseUnit(unit);
        if (!u || *u == Unit::kNone) {
          *error = Where(*t, row) + "unknown unit '" + std::string(unit) + "'";
          return std::nullopt;
        }
        e.unit = *u;
      }
      const std::string_view form = t->Get(row, "form");
      if (form == "sg") {
        e.form = NounForm::kSingular;
      } else if (form == "before") {
        e.form = NounForm::kBefore;
      } else if (form != "pl") {
        *error = Where(*t, row) + "form must be pl, sg or before";
        return std::nullopt;
      }
      if (const std::string_view side = t->Get(row, "side"); !side.empty()) {
        const std::optional<Side> s = ParseSide(side);
        if (!s) {
          *error = Where(*t, row) + "unknown side '" + std::string(side) + "'";
          return std::nullopt;
        }
        e.side = *s;
      }
      e.what = std::string(t->Get(row, "what"));
      e.weak = t->Get(row, "weak") == "1";
      const auto id = static_cast<uint32_t>(lex.unit_entries_.size());
      PhraseTrie& trie = e.form == NounForm::kBefore ? lex.units_before_ : lex.units_;
      lex.unit_entries_.push_back(std::move(e));
      if (!AddExpanded(trie, t->Get(row, "phrase"), id)) {
        *error = Where(*t, row) + "empty phrase";
        return std::nullopt;
      }
    }
  }

  // triggers.tsv
  {
    auto t = LoadTable(dir + "/triggers.tsv", {"phrase", "what", "position"}, error);
    if (!t) return std::nullopt;
    for (const TsvTable::Row& row : t->rows()) {
      TriggerEntry e;
      e.what = std::string(t->Get(row, "what"));
      const std::string_view pos = t->Get(row, "position");
      if (pos == "before") {
        e.position = TriggerPosition::kBefore;
      } else if (pos == "after") {
        e.position = TriggerPosition::kAfter;
      } else if (pos == "adjacent") {
        e.position = TriggerPosition::kAdjacent;
      } else if (pos != "both") {
        *error = Where(*t, row) + "position must be before, after, adjacent or both";
        return std::nullopt;
      }
      e.bare = t->Get(row, "bare") == "1";
      if (e.what.empty()) {
        *error = Where(*t, row) + "empty what";
        return std::nullopt;
      }
      const auto id = static_cast<uint32_t>(lex.triggers_.size());
      lex.triggers_.push_back(std::move(e));
      if (!AddExpanded(lex.triggers_trie_, t->Get(row, "phrase"), id)) {
        *error = Where(*t, row) + "empty phrase";
        return std::nullopt;
      }
    }
  }

  // what.tsv
  {
    auto t = LoadTable(dir + "/what.tsv", {"what", "of_total", "equipment", "people_only"}, error);
    if (!t) return std::nullopt;
    for (const TsvTable::Row& row : t->rows()) {
      WhatRule r;
      r.what = std::string(t->Get(row, "what"));
      r.of_total = std::string(t->Get(row, "of_total"));
      r.equipment = std::string(t->Get(row, "equipment"));
      r.people_only = t->Get(row, "people_only") == "1";
      if (r.what.empty()) {
        *error = Where(*t, row) + "empty what";
        return std::nullopt;
      }
      lex.what_rules_.push_back(std::move(r));
    }
  }

  // sides.tsv
  {
    auto t = LoadTable(dir + "/sides.tsv", {"phrase", "side"}, error);
    if (!t) return std::nullopt;
    for (const TsvTable::Row& row : t->rows()) {
      const std::optional<Side> s = ParseSide(t->Get(row, "side"));
      if (!s) {
        *error = Where(*t, row) + "unknown side";
        return std::nullopt;
      }
      const auto id = static_cast<uint32_t>(lex.side_values_.size());
      lex.side_values_.push_back(*s);
      if (!AddExpanded(lex.sides_, t->Get(row, "phrase"), id)) {
        *error = Where(*t, row) + "empty phrase";
        return std::nullopt;
      }
    }
  }

  // words.tsv
  {
    auto t = LoadTable(dir + "/words.tsv", {"phrase", "class"}, error);
    if (!t) return std::nullopt;
    for (const TsvTable::Row& row : t->rows()) {
      const std::optional<WordClass> cls = ParseClass(t->Get(row, "class"));
      if (!cls) {
        *error = Where(*t, row) + "unknown class '" + std::string(t->Get(row, "class")) + "'";
        return std::nullopt;
      }
      const auto id = static_cast<uint32_t>(lex.word_classes_.size());
      lex.word_classes_.push_back(*cls);
      for (const std::string& phrase : ExpandBraces(t->Get(row, "phrase"))) {
        if (!lex.words_.Add(phrase, id)) {
          *error = Where(*t, row) + "empty phrase";
          return std::nullopt;
        }
        std::string folded;
        std::vector<Token> tokens;
        Tokenize(phrase, 0, folded, tokens);
        if (tokens.size() == 1) lex.single_classes_[tokens[0].hash] |= *cls;
      }
    }
  }
  return lex;
}

const NumberWord* QuantityLexicon::Number(const Token& t) const {
  if (!t.Is(kTokWord)) return nullptr;
  auto it = numbers_.find(t.hash);
  return it == numbers_.end() ? nullptr : &it->second;
}

const UnitEntry* QuantityLexicon::UnitAt(const std::vector<Token>& tokens, uint32_t at,
                                         uint32_t limit, uint32_t* end) const {
  const PhraseTrie::Match m = units_.LongestAt(tokens, at, limit);
  if (m.payloads == nullptr) return nullptr;
  *end = m.end;
  return &unit_entries_[(*m.payloads)[0]];
}

const UnitEntry* QuantityLexicon::UnitEndingAt(const std::vector<Token>& tokens, uint32_t floor,
                                               uint32_t end, uint32_t* begin) const {
  constexpr uint32_t kMaxPhraseTokens = 4;
  const uint32_t first = end > floor + kMaxPhraseTokens ? end - kMaxPhraseTokens : floor;
  for (uint32_t start = first; start < end; ++start) {
    const UnitEntry* found = nullptr;
    units_before_.MatchesAt(tokens, start, end, [&](const PhraseTrie::Match& m) {
      if (m.end == end) found = &unit_entries_[(*m.payloads)[0]];
    });
    if (found != nullptr) {
      *begin = start;
      return found;
    }
  }
  return nullptr;
}

void QuantityLexicon::UnitMatches(
    const std::vector<Token>& tokens, uint32_t begin, uint32_t end,
    std::vector<std::pair<PhraseTrie::Match, const UnitEntry*>>* out) const {
  for (const PhraseTrie::Match& m : units_.LongestMatches(tokens, begin, end)) {
    out->emplace_back(m, &unit_entries_[(*m.payloads)[0]]);
  }
}

std::vector<PhraseTrie::Match> QuantityLexicon::Triggers(const std::vector<Token>& tokens,
                                                         uint32_t begin, uint32_t end) const {
  return triggers_trie_.LongestMatches(tokens, begin, end);
}

std::optional<Side> QuantityLexicon::SideAt(const std::vector<Token>& tokens, uint32_t at,
                                            uint32_t limit, uint32_t* end) const {
  const PhraseTrie::Match m = sides_.LongestAt(tokens, at, limit);
  if (m.payloads == nullptr) return std::nullopt;
  *end = m.end;
  return side_values_[(*m.payloads)[0]];
}

bool QuantityLexicon::WordAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                             WordClass cls, uint32_t* end) const {
  bool found = false;
  words_.MatchesAt(tokens, at, limit, [&](const PhraseTrie::Match& m) {
    for (uint32_t p : *m.payloads) {
      if ((word_classes_[p] & cls) != 0) {
        found = true;
        *end = m.end;  // matches come shortest first: the last one is the longest
      }
    }
  });
  return found;
}

bool QuantityLexicon::WordEndingAt(const std::vector<Token>& tokens, uint32_t floor, uint32_t end,
                                   WordClass cls, uint32_t* begin) const {
  // Phrases are short: try every start a few tokens back, earliest first.
  constexpr uint32_t kMaxPhraseTokens = 4;
  const uint32_t first = end > floor + kMaxPhraseTokens ? end - kMaxPhraseTokens : floor;
  for (uint32_t start = first; start < end; ++start) {
    bool found = false;
    words_.MatchesAt(tokens, start, end, [&](const PhraseTrie::Match& m) {
      if (m.end != end) return;
      for (uint32_t p : *m.payloads) found |= (word_classes_[p] & cls) != 0;
    });
    if (found) {
      *begin = start;
      return true;
    }
  }
  return false;
}

const WhatRule* QuantityLexicon::What(std::string_view what) const {
  if (what.empty()) return nullptr;
  for (const WhatRule& r : what_rules_) {
    if (r.what == what) return &r;
  }
  return nullptr;
}

uint32_t QuantityLexicon::ClassesOf(const Token& t) const {
  auto it = single_classes_.find(t.hash);
  return it == single_classes_.end() ? 0 : it->second;
}

}  // namespace sitrep
