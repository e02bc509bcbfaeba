#include "quantities/quantity_recogniser.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "quantities/number_reader.h"

namespace sitrep {
namespace {

// How far the matcher looks, in tokens.
constexpr uint32_t kMaxModifierTokens = 8;   // "143 fighter, attack, and transport jets"
constexpr uint32_t kMaxLeftGap = 3;          // "killed a total of 30"
constexpr uint32_t kMaxRightGap = 4;         // "30 soldiers had reportedly been killed"
constexpr uint32_t kMaxClauseReach = 10;     // a verb governing a number further left
constexpr uint32_t kMaxInsertion = 12;       // ", including dozens of children,"
constexpr uint32_t kMaxComplement = 2;       // "1,150 square kilometres of territory"
constexpr uint32_t kMaxRunTokens = 24;       // a whitespace-free run ("https://...", "08:20")
constexpr uint32_t kPronounLookback = 3000;  // "70 of us": who "us" is, from earlier nouns
constexpr size_t kMinPluralLetters = 4;      // a word taken as an unknown plural noun

// Characters that make a whitespace-free run a time, a date, an address or a handle
// rather than a count: "08:20", "24/7", "03/05/2024", "a_b=1", "#5".
constexpr std::string_view kNonCountChars = "/:@=_#\\";

enum class WhatSource : uint8_t {
  kNone,
  kLeftAdjacent,  // "killed 30"
  kInSpan,        // "30 captured soldiers"
  kRight,         // "30 soldiers were killed"
  kLeftClause,    // "the death toll has risen to 45"
  kList,          // "destroyed 143 jets, 134 helicopters"
  kNoun,          // "30 dead"
  kTotal,         // M of "shot down N of M"
};

struct Candidate {
  uint32_t span_begin = 0;  // tokens
  uint32_t span_end = 0;
  uint32_t num_begin = 0;
  uint32_t num_end = 0;
  uint32_t noun_begin = 0;  // == noun_end when no noun
  uint32_t noun_end = 0;
  double value = 0;
  bool approx = false;
  Unit unit = Unit::kNone;
  Side side = Side::kUnknown;
  std::string_view what;
  WhatSource source = WhatSource::kNone;
  bool bare_trigger = false;  // the trigger that gave `what` keeps bare numbers
  bool bare = false;          // no noun: kept only when something vouches for it
  bool elided = false;        // no noun after list glue: "..., and three in Donetsk"
  bool pronoun = false;       // "70 of us"
  bool single = false;        // value one: kept only with a what
  bool total = false;         // M of "N of M"
  bool has_unit = false;      // a unit noun (or unknown plural noun) was found
  const UnitEntry* entry = nullptr;
};

struct NounScan {
  const UnitEntry* entry = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool fallback = false;  // an unknown plural noun ("four Russian airfields")
  Side side = Side::kUnknown;
  std::string_view weak_what;
};

bool IsHuman(Unit u) {
  return u == Unit::kPersonnel || u == Unit::kCivilians || u == Unit::kPeople ||
         u == Unit::kPrisoners;
}

// One sentence's worth of matching. Lives on the stack of Process: no shared state.
class SentenceScanner {
 public:
  SentenceScanner(const Document& doc, const QuantityLexicon& lex, const std::vector<bool>& removed,
                  uint32_t sentence)
      : doc_(doc),
        tokens_(doc.tokens),
        lex_(lex),
        removed_(removed),
        sentence_(sentence),
        sb_(doc.sentences[sentence].token_begin),
        se_(std::min<uint32_t>(doc.sentences[sentence].token_end,
                               static_cast<uint32_t>(doc.tokens.size()))),
        headline_(doc.sentences[sentence].headline) {}

  void Run(std::vector<Quantity>* out) {
    uint32_t i = sb_;
    while (i < se_) {
      const Token& t = tokens_[i];
      if (Removed(i) || !(t.Is(kTokNumber) || lex_.Number(t) != nullptr)) {
        ++i;
        continue;
      }
      NumberExpr n;
      if (!ReadNumber(doc_, lex_, sb_, i, se_, &n)) {
        ++i;
        continue;
      }
      i = std::max(Analyse(n), i + 1);
    }
    if (cands_.empty()) return;
    AssignWhat();
    Emit(out);
  }

 private:
  bool Removed(uint32_t i) const { return !removed_.empty() && removed_[i]; }
  std::string_view Folded(uint32_t i) const { return doc_.Folded(tokens_[i]); }
  bool IsChar(uint32_t i, char c) const {
    if (i >= se_ || !tokens_[i].Is(kTokPunct)) return false;
    const std::string_view f = Folded(i);
    return f.size() == 1 && f[0] == c;
  }
  bool Is(uint32_t i, WordClass cls) const { return i < se_ && lex_.Is(tokens_[i], cls); }

  // --- numbers that are not counts ----------------------------------------------

  // The whitespace-free run around [b, e) holds a time, date, address or handle.
  bool InNonCountRun(uint32_t b, uint32_t e) const {
    uint32_t first = b;
    while (first > sb_ && !tokens_[first].Is(kTokSpaceBefore) && b - first < kMaxRunTokens) --first;
    uint32_t last = e;
    while (last < se_ && !tokens_[last].Is(kTokSpaceBefore) && last - e < kMaxRunTokens) ++last;
    for (uint32_t k = first; k < last; ++k) {
      const Token& t = tokens_[k];
      if (t.Is(kTokPunct)) {
        const std::string_view f = Folded(k);
        if (f.size() == 1 && kNonCountChars.find(f[0]) != std::string_view::npos) return true;
      } else if (t.Is(kTokWord) && lex_.Is(t, kWordUrl)) {
        return true;
      }
    }
    return false;
  }

  bool Skipped(const NumberExpr& n) const {
    // "Su-34", "T-72", the second part of "2023-11-09".
    if (tokens_[n.begin].Is(kTokHyphenBefore)) return true;
    if (n.digits) {
      if (InNonCountRun(n.begin, n.end)) return true;
      if (n.end < se_) {
        const Token& next = tokens_[n.end];
        // "2023-11-09" (not a range), phone numbers, "2023 08:21".
        if (next.Is(kTokNumber)) return true;
        // "1945's": a decade or an organisation's name, not a count.
        if (next.Is(kTokQuoteMark) && !next.Is(kTokSpaceBefore) && n.end + 1 < se_ &&
            !tokens_[n.end + 1].Is(kTokSpaceBefore))
          return true;
        // "4d", "3xWw4a": letters glued to the digits that are no unit ("5km" is).
        uint32_t e = 0;
        if (next.Is(kTokWord) && !next.Is(kTokSpaceBefore) && !next.Is(kTokHyphenBefore) &&
            lex_.UnitAt(tokens_, n.end, se_, &e) == nullptr)
          return true;
      }
      if (n.begin > sb_ && tokens_[n.begin - 1].Is(kTokNumber)) return true;
    }
    // "March 23", "Group 13", "$65 million", "aged 45", "day 38".
    uint32_t b = 0;
    if (lex_.WordEndingAt(tokens_, sb_, n.begin, kWordSkipBefore, &b)) return true;
    if (n.span_begin != n.begin &&
        lex_.WordEndingAt(tokens_, sb_, n.span_begin, kWordSkipBefore, &b))
      return true;
    // A restatement in other units: "35 kilometers (21.7 miles)".
    if (n.span_begin > sb_ && IsChar(n.span_begin - 1, '(') && !cands_.empty() &&
        cands_.back().span_end + 1 == n.span_begin)
      return true;
    return false;
  }

  // --- the counted noun ---------------------------------------------------------

  bool LooksPlural(const Token& t) const {
    if (!t.Is(kTokWord) || t.Is(kTokAllCaps)) return false;
    if (t.Is(kTokCapitalized) && !headline_) return false;
    const std::string_view f = doc_.Folded(t);
    if (f.size() < kMinPluralLetters || f.back() != 's') return false;
    const char before = f[f.size() - 2];
    return before != 's' && before != 'u' && before != 'i' && before != '\'';
  }

  // Scans the modifiers after a number for the noun it counts.
  NounScan ScanNoun(uint32_t from, bool plural) const {
    NounScan r;
    const UnitEntry* weak = nullptr;
    uint32_t weak_begin = 0;
    uint32_t weak_end = 0;
    bool in_list = false;  // past a comma or "and" inside the modifiers
    uint32_t k = from;
    for (uint32_t count = 0; k < se_ && count < kMaxModifierTokens; ++count) {
      if (Removed(k)) break;
      const Token& t = tokens_[k];
      uint32_t e = 0;
      if (const UnitEntry* u = lex_.UnitAt(tokens_, k, se_, &e)) {
        if (u->weak && !u->skip) {
          if (!in_list && weak == nullptr) {
            weak = u;
            weak_begin = k;
            weak_end = e;
          }
          k = e;
          continue;
        }
        if (u->form == NounForm::kSingular && plural && !u->skip) {
          k = e;  // a noun used as a modifier: "143 fighter, attack, and transport jets"
          continue;
        }
        r.entry = u;
        r.begin = k;
        r.end = e;
        if (weak != nullptr) r.weak_what = weak->what;
        return r;
      }
      if (t.Is(kTokNumber)) {
        if (t.Is(kTokHyphenBefore) && k > from) {  // "Kh-101 missiles"
          ++k;
          continue;
        }
        break;
      }
      if (t.Is(kTokApostropheS)) {  // "Russia's"
        ++k;
        continue;
      }
      if (t.Is(kTokPunct)) {
        if (IsChar(k, ',') && k > from && k + 1 < se_ && tokens_[k + 1].Is(kTokWord) &&
            !Is(k + 1, kWordStop)) {
          in_list = true;
          ++k;
          continue;
        }
        break;
      }
      const uint32_t cls = lex_.ClassesOf(t);
      if ((cls & kWordNumberAnd) != 0) {
        if (k == from) break;  // "killed 9 and injured 31"
        in_list = true;
        ++k;
        continue;
      }
      if ((cls & kWordStop) != 0) break;
      if (const NumberWord* w = lex_.Number(t);
          w != nullptr && w->kind != NumberWordKind::kArticle && w->kind != NumberWordKind::kGlued)
        break;
      if (r.side == Side::kUnknown) {
        if (std::optional<Side> s = lex_.SideAt(tokens_, k, se_, &e)) {
          r.side = *s;
          k = e;
          continue;
        }
      }
      if (!in_list && LooksPlural(t)) {
        r.fallback = true;
        r.begin = k;
        r.end = k + 1;
        break;
      }
      ++k;
    }
    if (weak != nullptr) {
      r.entry = weak;
      r.begin = weak_begin;
      r.end = weak_end;
      r.fallback = false;
      r.weak_what = weak->what;
    }
    return r;
  }

  // Whose: "of the Russian army" after the noun, "Russia's 30 tanks" before the number.
  Side SideAround(uint32_t span_begin, uint32_t noun_end) const {
    uint32_t e = 0;
    if (noun_end < se_ && Is(noun_end, kWordPartitive) &&
        lex_.WordAt(tokens_, noun_end, se_, kWordPartitive, &e)) {
      uint32_t k = e;
      if (Is(k, kWordDeterminer)) ++k;
      if (k < se_) {
        if (std::optional<Side> s = lex_.SideAt(tokens_, k, se_, &e)) return *s;
      }
    }
    if (span_begin >= sb_ + 2 && tokens_[span_begin - 1].Is(kTokApostropheS)) {
      if (std::optional<Side> s = lex_.SideAt(tokens_, span_begin - 2, span_begin - 1, &e))
        return *s;
    }
    return Side::kUnknown;
  }

  // Who "us" or "them" is: the previous quantity of the sentence, else the people the
  // document has been counting most (soldiers in a soldier's story), else people.
  void Antecedent(uint32_t at, Unit* unit, Side* side) const {
    if (!cands_.empty() && cands_.back().has_unit) {
      *unit = cands_.back().unit;
      *side = cands_.back().side;
      return;
    }
    std::vector<std::pair<PhraseTrie::Match, const UnitEntry*>> matches;
    const uint32_t from = at > kPronounLookback ? at - kPronounLookback : 0;
    lex_.UnitMatches(tokens_, from, at, &matches);
    std::array<uint32_t, 256> counts{};
    Unit best = Unit::kPeople;
    uint32_t best_count = 0;
    for (const auto& [m, e] : matches) {
      if (e->skip || !IsHuman(e->unit)) continue;
      const uint32_t c = ++counts[static_cast<uint8_t>(e->unit)];
      if (c >= best_count) {
        best_count = c;
        best = e->unit;
      }
    }
    *unit = best;
    *side = Side::kUnknown;
  }

  // "tanks — 8,100 (+5)", "UAVs: 41": the noun before a dash or colon (the General
  // Staff's loss lists). Returns nullptr when there is none; *begin gets the noun's start.
  const UnitEntry* UnitBeforeDash(uint32_t span_begin, uint32_t* begin) const {
    if (span_begin < sb_ + 2) return nullptr;
    const uint32_t dash = span_begin - 1;
    if (!IsChar(dash, '-') && !IsChar(dash, ':')) return nullptr;
    constexpr uint32_t kMaxPhraseTokens = 4;
    const uint32_t first = dash > sb_ + kMaxPhraseTokens ? dash - kMaxPhraseTokens : sb_;
    for (uint32_t start = first; start < dash; ++start) {
      uint32_t e = 0;
      const UnitEntry* u = lex_.UnitAt(tokens_, start, dash, &e);
      if (u != nullptr && e == dash && !u->skip && !u->weak) {
        *begin = start;
        return u;
      }
    }
    return nullptr;
  }

  Candidate FromNumber(const NumberExpr& n) const {
    Candidate c;
    c.span_begin = n.span_begin;
    c.span_end = n.end;
    c.num_begin = n.begin;
    c.num_end = n.end;
    c.noun_begin = n.end;
    c.noun_end = n.end;
    c.value = n.value;
    c.approx = n.approx;
    c.single = n.value == 1 && !n.approx;
    return c;
  }

  void TakeNoun(const NounScan& r, Candidate* c) const {
    c->noun_begin = r.begin;
    c->noun_end = r.end;
    c->span_end = r.end;
    c->has_unit = true;
    c->side = r.side;
    if (r.entry != nullptr) {
      c->entry = r.entry;
      c->unit = r.entry->unit;
      if (c->side == Side::kUnknown) c->side = r.entry->side;
    }
    if (c->side == Side::kUnknown) c->side = SideAround(c->span_begin, c->noun_end);
  }

  // Analyses the number n; returns the token to continue from.
  uint32_t Analyse(const NumberExpr& n) {
    if (Skipped(n)) return n.end;
    Candidate c = FromNumber(n);
    const bool plural = !c.single || n.range;
    uint32_t j = n.end;

    // "a three-truck convoy", "a 35-kilometre front"; "a 4,754-ton tanker" is no count.
    if (j < se_ && tokens_[j].Is(kTokHyphenBefore) && tokens_[j].Is(kTokWord)) {
      uint32_t e = 0;
      const UnitEntry* u = lex_.UnitAt(tokens_, j, se_, &e);
      if (u == nullptr || u->skip) return j;
      NounScan r;
      r.entry = u;
      r.begin = j;
      r.end = e;
      TakeNoun(r, &c);
      c.single = false;
      cands_.push_back(c);
      return e;
    }

    NounScan r;
    uint32_t pe = 0;
    if (!n.vague && j < se_ && tokens_[j].Is(kTokWord) &&
        lex_.WordAt(tokens_, j, se_, kWordPartitive, &pe) && pe < se_) {
      // "shot down 15 of 18 drones": both numbers count, the second is the total.
      if (const uint32_t m = AnalyseTotal(n, pe, &c); m != 0) return m;
      if (c.single) return pe;     // "one of the reasons"
      if (Is(pe, kWordPronoun)) {  // "70 of us", "25 of which"
        Antecedent(n.begin, &c.unit, &c.side);
        c.pronoun = true;
        c.has_unit = true;
        c.span_end = pe + 1;
        c.noun_begin = pe;
        c.noun_end = pe + 1;
        cands_.push_back(c);
        return pe + 1;
      }
      uint32_t k = pe;
      if (Is(k, kWordDeterminer)) ++k;  // "three of his passengers"
      // "two of the 14 tanks"
      if (k != pe && k < se_) {
        if (const uint32_t m = AnalyseTotal(n, k, &c); m != 0) return m;
      }
      r = ScanNoun(k, plural);
    } else {
      r = ScanNoun(j, plural);
    }

    if (r.entry != nullptr && r.entry->skip) return std::max(r.end, n.end);
    if (n.year_like) {
      // A year unless it plainly counts a unit noun ("1990 troops", not "in 2022 Russian
      // troops").
      uint32_t b = 0;
      if (r.entry == nullptr || r.entry->unit == Unit::kNone) return n.end;
      if (lex_.WordEndingAt(tokens_, sb_, n.span_begin, kWordYearBefore, &b)) return n.end;
    }
    // "the bodies of 563 soldiers" counts bodies.
    if (uint32_t b = 0;
        const UnitEntry* before = lex_.UnitEndingAt(tokens_, sb_, c.span_begin, &b)) {
      if (r.entry != nullptr || r.fallback) TakeNoun(r, &c);
      c.span_begin = b;
      c.entry = before;
      c.unit = before->unit;
      c.has_unit = true;
      cands_.push_back(c);
      return c.span_end;
    }
    if (r.entry != nullptr || (r.fallback && !c.single)) {
      TakeNoun(r, &c);
      if (!r.weak_what.empty()) {
        c.what = r.weak_what;
        c.source = WhatSource::kInSpan;
      }
    } else if (uint32_t b = 0; const UnitEntry* u = UnitBeforeDash(c.span_begin, &b)) {
      c.span_begin = b;
      c.entry = u;
      c.unit = u->unit;
      c.side = u->side;
      c.has_unit = true;
    } else {
      c.bare = true;
      // "two villages in Luhansk, and three in Donetsk": the noun is left out.
      c.elided = !cands_.empty() && c.span_begin > sb_ &&
                 (IsChar(c.span_begin - 1, ',') || IsChar(c.span_begin - 1, ';') ||
                  Is(c.span_begin - 1, kWordGlue));
    }
    cands_.push_back(c);
    return c.span_end;
  }

  // "N of M <noun>": pushes N and M and returns the token after M, or 0 when the
  // partitive is not followed by a larger number.
  uint32_t AnalyseTotal(const NumberExpr& n, uint32_t at, Candidate* c) {
    const Token& t = tokens_[at];
    if (!t.Is(kTokNumber) && lex_.Number(t) == nullptr) return 0;
    NumberExpr m;
    if (!ReadNumber(doc_, lex_, at, at, se_, &m) || m.value < n.value || Skipped(m)) return 0;
    Candidate total = FromNumber(m);
    const NounScan r = ScanNoun(m.end, true);
    if (r.entry == nullptr && !r.fallback) return 0;
    if (r.entry != nullptr && r.entry->skip) return 0;
    TakeNoun(r, &total);
    total.total = true;
    total.single = false;
    c->unit = total.unit;
    c->side = total.side;
    c->entry = total.entry;
    c->has_unit = true;
    c->noun_begin = total.noun_begin;
    c->noun_end = total.noun_end;
    c->span_end = total.span_end;
    cands_.push_back(*c);
    cands_.push_back(total);
    return total.span_end;
  }

  // --- what happened to it --------------------------------------------------------

  bool ListGap(uint32_t b, uint32_t e) const {
    int depth = 0;
    for (uint32_t k = b; k < e; ++k) {
      if (IsChar(k, '(')) {
        ++depth;
        continue;
      }
      if (IsChar(k, ')')) {
        --depth;
        continue;
      }
      if (depth > 0 || IsChar(k, ',') || Is(k, kWordGlue)) continue;
      // "1,150 square kilometres of territory and 82 settlements"
      if (k == b && Is(k, kWordPartitive)) {
        uint32_t words = 0;
        while (k + 1 < e && words < kMaxComplement && tokens_[k + 1].Is(kTokWord) &&
               !Is(k + 1, kWordStop) && !Is(k + 1, kWordGlue)) {
          ++k;
          ++words;
        }
        if (words > 0) continue;
      }
      return false;
    }
    return depth == 0;
  }

  bool AllOf(uint32_t b, uint32_t e, WordClass cls) const {
    for (uint32_t k = b; k < e; ++k) {
      if (!Is(k, cls)) return false;
    }
    return true;
  }

  // The tokens between a counted noun and a trigger after it: auxiliaries, and an
  // insertion opened by a comma (", including dozens of children,").
  bool RightGap(uint32_t b, uint32_t e) const {
    uint32_t plain = 0;
    uint32_t k = b;
    // "2,300 soldiers of the Russian army were killed": the noun's complement.
    if (uint32_t pe = 0; k < e && lex_.WordAt(tokens_, k, e, kWordPartitive, &pe)) {
      k = pe;
      if (k < e && Is(k, kWordDeterminer)) ++k;
      uint32_t words = 0;
      while (k < e && words <= kMaxComplement && tokens_[k].Is(kTokWord) && !Is(k, kWordStop) &&
             !Is(k, kWordAux)) {
        ++k;
        ++words;
      }
    }
    for (; k < e; ++k) {
      if (IsChar(k, ',') && Is(k + 1, kWordInsert)) {
        uint32_t close = k + 1;
        while (close < e && close - k < kMaxInsertion && !IsChar(close, ',')) ++close;
        if (close >= e || !IsChar(close, ',')) return false;
        k = close;
        continue;
      }
      if (!Is(k, kWordAux)) return false;
      if (++plain > kMaxRightGap) return false;
    }
    return true;
  }

  // Whether a trigger reaches a number across [b, e). A verb does not reach across a
  // preposition ("wounded in attacks on 5 regions"); a noun that announces a number does
  // ("the death toll from the strike has risen to 45").
  bool ClauseGap(uint32_t b, uint32_t e, bool announces) const {
    for (uint32_t k = b; k < e; ++k) {
      const Token& t = tokens_[k];
      if (t.Is(kTokPunct) && !t.Is(kTokQuoteMark) && !IsChar(k, '(') && !IsChar(k, ')'))
        return false;
      if (Is(k, kWordClause)) return false;
      if (!announces && Is(k, kWordStop)) return false;
    }
    return true;
  }

  void SetWhat(Candidate& c, const PhraseTrie::Match& m, WhatSource source) const {
    const TriggerEntry& t = lex_.Trigger(m);
    c.what = t.what;
    c.source = source;
    // A bare number is vouched for by a trigger right next to it ("killed 12", "12 were
    // killed"), or by a noun trigger that announces a number ("the death toll has risen
    // to 45").
    c.bare_trigger =
        t.bare && (source == WhatSource::kLeftAdjacent || source == WhatSource::kRight ||
                   (source == WhatSource::kLeftClause && t.position == TriggerPosition::kBefore));
  }

  void FindWhat(size_t idx, const std::vector<PhraseTrie::Match>& triggers) {
    Candidate& c = cands_[idx];
    const uint32_t prev_end = idx > 0 ? cands_[idx - 1].span_end : sb_;
    const PhraseTrie::Match* left = nullptr;        // nearest, for adjacency
    const PhraseTrie::Match* left_reach = nullptr;  // nearest that reaches across a clause
    const PhraseTrie::Match* inside = nullptr;
    const PhraseTrie::Match* right = nullptr;
    for (const PhraseTrie::Match& m : triggers) {
      const TriggerPosition pos = lex_.Trigger(m).position;
      if (m.end <= c.span_begin) {
        if (pos != TriggerPosition::kAfter) left = &m;
        if (pos == TriggerPosition::kBoth || pos == TriggerPosition::kBefore) left_reach = &m;
      } else if (m.begin >= c.num_end && m.end <= c.noun_begin) {
        if (inside == nullptr) inside = &m;
      } else if (m.begin >= c.span_end && right == nullptr) {
        if (pos == TriggerPosition::kBoth || pos == TriggerPosition::kAfter) right = &m;
      }
    }
    const bool left_near = left != nullptr && c.span_begin - left->end <= kMaxLeftGap &&
                           AllOf(left->end, c.span_begin, kWordLeftGap);
    if (left_near && !c.total) {
      SetWhat(c, *left, WhatSource::kLeftAdjacent);
      return;
    }
    // The main verb beats a participle inside the span: "30 captured soldiers were
    // released" were released.
    if (right != nullptr && RightGap(c.span_end, right->begin)) {
      SetWhat(c, *right, WhatSource::kRight);
      return;
    }
    if (inside != nullptr) {
      SetWhat(c, *inside, WhatSource::kInSpan);
      return;
    }
    if (c.source == WhatSource::kInSpan) return;  // a weak noun: "30 dead"
    if (c.total) return;                          // set from N afterwards
    if (left_reach != nullptr && left_reach->end >= prev_end &&
        c.span_begin - left_reach->end <= kMaxClauseReach &&
        ClauseGap(left_reach->end, c.span_begin,
                  lex_.Trigger(*left_reach).position == TriggerPosition::kBefore)) {
      SetWhat(c, *left_reach, WhatSource::kLeftClause);
      return;
    }
    if (idx > 0 && !cands_[idx - 1].what.empty() &&
        ListGap(cands_[idx - 1].span_end, c.span_begin)) {
      c.what = cands_[idx - 1].what;
      c.source = WhatSource::kList;
      return;
    }
    if (c.entry != nullptr && !c.entry->what.empty()) {
      c.what = c.entry->what;
      c.source = WhatSource::kNoun;
    }
  }

  void AssignWhat() {
    const std::vector<PhraseTrie::Match> triggers = lex_.Triggers(tokens_, sb_, se_);
    for (size_t idx = 0; idx < cands_.size(); ++idx) {
      Candidate& c = cands_[idx];
      if (c.elided) Elide(idx);
      FindWhat(idx, triggers);
      // "shelled three villages in the north and two in the east": the verb too.
      if (c.elided && c.what.empty() && idx > 0) {
        c.what = cands_[idx - 1].what;
        c.source = WhatSource::kList;
      }
      if (c.total && idx > 0) {
        // "shot down 15 of 18 drones": 18 were launched.
        const WhatRule* rule = lex_.What(cands_[idx - 1].what);
        if (rule != nullptr && !rule->of_total.empty()) {
          c.what = rule->of_total;
          c.source = WhatSource::kTotal;
        }
      }
    }
    // "30 tanks and 40 vehicles were destroyed": a trigger after a list covers it all.
    for (size_t idx = cands_.size(); idx-- > 1;) {
      const Candidate& c = cands_[idx];
      Candidate& p = cands_[idx - 1];
      if (c.source != WhatSource::kRight || !p.what.empty() || p.total || c.total) continue;
      if (!ListGap(p.span_end, c.span_begin)) continue;
      p.what = c.what;
      p.source = WhatSource::kRight;
      p.bare_trigger = c.bare_trigger;
    }
  }

  // A number with its noun left out takes the unit of the list item before it.
  void Elide(size_t idx) {
    Candidate& c = cands_[idx];
    if (idx == 0) return;
    const Candidate& p = cands_[idx - 1];
    if (!p.has_unit || p.bare) return;
    c.unit = p.unit;
    c.side = p.side;
    c.entry = p.entry;
    c.has_unit = true;
  }

  void Emit(std::vector<Quantity>* out) const {
    const Candidate* previous = nullptr;  // the last one emitted in this sentence
    for (const Candidate& c : cands_) {
      std::string_view what = c.what;
      Unit unit = c.unit;
      Side side = c.side;
      // "launched 30 drones and destroyed 25": the bare 25 counts drones too.
      if (c.bare && !c.elided && c.bare_trigger && previous != nullptr &&
          previous->unit != Unit::kNone) {
        unit = previous->unit;
        side = previous->side;
      }
      const WhatRule* rule = lex_.What(what);
      if ((c.elided || c.bare) && !IsHuman(unit) && rule != nullptr && rule->people_only) {
        unit = Unit::kNone;  // "30 drones, and 5 were killed": not drones
        side = Side::kUnknown;
      }
      const bool vouched = c.pronoun || (c.elided && c.has_unit) || c.bare_trigger;
      if (c.bare && !vouched) continue;
      if (c.single && what.empty()) continue;
      // Equipment is destroyed, not killed ("eliminated 30 tanks").
      if (rule != nullptr && !rule->equipment.empty() && unit != Unit::kNone &&
          unit != Unit::kBodies && !IsHuman(unit))
        what = rule->equipment;
      Quantity q;
      q.span = Span{tokens_[c.span_begin].span.begin, tokens_[c.span_end - 1].span.end};
      q.number = Span{tokens_[c.num_begin].span.begin, tokens_[c.num_end - 1].span.end};
      q.sentence = sentence_;
      q.value = c.value;
      q.approx = c.approx;
      q.unit = unit;
      q.what = std::string(what);
      q.side = side;
      out->push_back(std::move(q));
      previous = &c;
    }
  }

  const Document& doc_;
  const std::vector<Token>& tokens_;
  const QuantityLexicon& lex_;
  const std::vector<bool>& removed_;
  const uint32_t sentence_;
  const uint32_t sb_;
  const uint32_t se_;
  const bool headline_;
  std::vector<Candidate> cands_;
};

}  // namespace

std::unique_ptr<QuantityRecogniser> QuantityRecogniser::Load(const std::string& data_dir,
                                                             std::string* error) {
  std::optional<QuantityLexicon> lex = QuantityLexicon::Load(data_dir + "/quantities", error);
  if (!lex) return nullptr;
  return std::unique_ptr<QuantityRecogniser>(new QuantityRecogniser(std::move(*lex)));
}

Result QuantityRecogniser::Process(Document& doc) const {
  doc.quantities.clear();
  // Tokens inside removed spans (page chrome, comments) are never counted.
  std::vector<bool> removed;
  if (!doc.removed.empty()) {
    removed.assign(doc.tokens.size(), false);
    size_t r = 0;
    for (size_t i = 0; i < doc.tokens.size(); ++i) {
      const Span s = doc.tokens[i].span;
      while (r < doc.removed.size() && doc.removed[r].span.end <= s.begin) ++r;
      removed[i] = r < doc.removed.size() && doc.removed[r].span.Overlaps(s);
    }
  }
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    SentenceScanner scanner(doc, lex_, removed, s);
    scanner.Run(&doc.quantities);
  }
  return Result::Ok();
}

}  // namespace sitrep
