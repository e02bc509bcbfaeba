#include "events/event_finder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/geo.h"
#include "base/tsv.h"
#include "time/event_time.h"

namespace sitrep {

struct EventFinder::Trigger {
  std::vector<EventType> types;
  bool noun = false;     // pos noun or phrase: the side comes from a modifier
  bool patient = false;  // the subject (or modifier) is the one it happened to
  enum class Alt : uint8_t { kNone, kCivil, kMilitary, kInfra } alt = Alt::kNone;
  EventType alt_type = EventType::kAttack;
  bool needs_place = false;
  bool needs_object_place = false;
  bool needs_military = false;
  bool needs_not_counted = false;
  bool needs_aid = false;
  bool needs_quantity = false;
  bool needs_military_object = false;
  int passive = 0;  // 0 as the type says, 1 the passive subject is the patient, 2 the mover
  float conf = 0.5f;
};

namespace {

constexpr uint32_t kSubjectWindow = 25;  // how far left a subject may be
constexpr uint32_t kModifierWindow = 4;  // side word before a noun trigger
constexpr uint32_t kAdjunctWindow = 6;
constexpr uint32_t kAgentListWindow = 6;   // "by the US, Britain and France"   // "following a series of missile and drone attacks"
constexpr uint32_t kSideWordWindow = 8;  // a side word standing for the subject
constexpr uint32_t kWeaponBefore = 6;    // weapon words around a generic attack
constexpr uint32_t kWeaponAfter = 8;
constexpr uint32_t kModalWindow = 6;     // a modal or negation before its trigger
constexpr uint32_t kAltWindow = 5;       // civil/military/infrastructure objects
constexpr uint32_t kTargetWindow = 10;   // a target's side word after the trigger
constexpr uint32_t kAfterComma = 8;      // the main clause's subject after a gerund clause
constexpr uint32_t kCorefSentences = 2;  // "the bombardment" refers this far back
constexpr float kTownRadiusKm = 15;     // "the town", "the village": not a big city
constexpr uint32_t kFocusMentions = 2;  // mentions that make a place the article's focus
constexpr uint32_t kInheritBack = 4;    // sentences back an unplaced event looks for a place
constexpr uint32_t kFarPlace = 25;      // tokens after a trigger, past a comma, that end its reach
constexpr uint32_t kCountBeforePlace = 8;  // "two villages in the nearby Luhansk region" (x8 bytes)
constexpr uint32_t kParenthetical = 5;     // ", little by little," between a verb and its auxiliary
constexpr double kMergeSlackKm = 10;       // reports of one event may name places this far apart
constexpr float kSpecificRadiusKm = 50;    // a settlement or a facility, not a region

Side Opposite(Side s) {
  if (s == Side::kRU) return Side::kUA;
  if (s == Side::kUA) return Side::kRU;
  return Side::kUnknown;
}


bool IsPunct(const Token& t) { return (t.flags & kTokPunct) != 0; }

bool Participle(std::string_view w) {
  return w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn") || w == "held" ||
         w == "left" || w == "taken" || w == "fallen" || w == "struck" || w == "shot";
}

}  // namespace

struct EventFinder::Context {
  explicit Context(Document& d) : doc(d) {}
  Document& doc;
  std::vector<uint32_t> claim_of;  // per sentence: index into doc.claims or kNone
  std::vector<Event> events;
  std::vector<uint8_t> definite;  // per event: a noun trigger after "the"/"this" ("the attack")
};

EventFinder::~EventFinder() = default;

std::unique_ptr<EventFinder> EventFinder::Load(const std::string& data_dir, std::string* error) {
  std::unique_ptr<EventFinder> f(new EventFinder());
  if (!(f->triggers_ = Lexicon::Load(data_dir, "lexicons/triggers.tsv", error))) return nullptr;
  if (!(f->weapons_ = Lexicon::Load(data_dir, "lexicons/weapons.tsv", error))) return nullptr;
  if (!(f->words_ = Lexicon::Load(data_dir, "lexicons/event_words.tsv", error))) return nullptr;
  if (!(f->prepositions_ = Lexicon::Load(data_dir, "lexicons/prepositions.tsv", error)))
    return nullptr;
  if (!(f->anaphora_ = Lexicon::Load(data_dir, "lexicons/anaphora.tsv", error))) return nullptr;
  if (!(f->venues_ = Lexicon::Load(data_dir, "lexicons/venues.tsv", error))) return nullptr;
  if (!(f->side_words_ = SideWords::Load(data_dir, error))) return nullptr;
  if (!(f->function_words_ = Lexicon::Load(data_dir, "lexicons/function_words.tsv", error)))
    return nullptr;
  if (!(f->claim_references_ = Lexicon::Load(data_dir, "lexicons/claim_references.tsv", error)))
    return nullptr;
  {
    auto units = TsvTable::Load(data_dir + "/lexicons/unit_types.tsv", error);
    if (!units) return nullptr;
    for (const auto& row : units->rows()) {
      auto unit = ParseUnit(units->Get(row, "unit"));
      auto type = ParseEventType(units->Get(row, "type"));
      if (!unit || !type) {
        *error = units->path() + ":" + std::to_string(row.line) + ": unknown unit or type";
        return nullptr;
      }
      f->losses_by_unit_.emplace_back(*unit, *type);
    }
  }
  // SITREP_DEBUG_EVENTS=1 prints the events before merging, for error analysis.
  const char* debug = std::getenv("SITREP_DEBUG_EVENTS");
  f->debug_ = debug != nullptr && *debug != '\0' && *debug != '0';

  const Lexicon& trig = *f->triggers_;
  auto fail = [&](size_t row, const std::string& what) {
    *error = trig.table().path() + ":" + std::to_string(trig.row(row).line) + ": " + what;
    return nullptr;
  };
  for (size_t r = 0; r < trig.size(); ++r) {
    const auto row = static_cast<uint32_t>(r);
    Trigger t;
    for (const std::string& name : Split(trig.Get(row, "type"), '|')) {
      if (name == "-") continue;  // looks like a trigger, is none
      auto type = ParseEventType(name);
      if (!type) return fail(r, "unknown type '" + name + "'");
      t.types.push_back(*type);
    }
    const std::string_view pos = trig.Get(row, "pos");
    if (pos != "verb" && pos != "noun" && pos != "phrase") return fail(r, "unknown pos");
    t.noun = pos == "noun" || pos == "phrase";
    t.patient = trig.Get(row, "subj") == "patient";
    if (const std::string_view alt = trig.Get(row, "alt"); !alt.empty()) {
      const size_t colon = alt.find(':');
      if (colon == std::string_view::npos) return fail(r, "alt needs kind:type");
      const std::string_view kind = alt.substr(0, colon);
      auto type = ParseEventType(alt.substr(colon + 1));
      if (!type) return fail(r, "unknown alt type");
      t.alt_type = *type;
      if (kind == "civil")
        t.alt = Trigger::Alt::kCivil;
      else if (kind == "military")
        t.alt = Trigger::Alt::kMilitary;
      else if (kind == "infra")
        t.alt = Trigger::Alt::kInfra;
      else
        return fail(r, "unknown alt kind");
    }
    for (const std::string& need : Split(trig.Get(row, "needs"), ',')) {
      if (need.empty()) continue;
      if (need == "place")
        t.needs_place = true;
      else if (need == "object_place")
        t.needs_object_place = true;
      else if (need == "military")
        t.needs_military = true;
      else if (need == "not_counted")
        t.needs_not_counted = true;
      else if (need == "aid")
        t.needs_aid = true;
      else if (need == "quantity")
        t.needs_quantity = true;
      else if (need == "military_object")
        t.needs_military_object = true;
      else
        return fail(r, "unknown need '" + need + "'");
    }
    const std::string_view passive = trig.Get(row, "passive");
    t.passive = passive == "patient" ? 1 : passive == "mover" ? 2 : 0;
    const std::string_view conf = trig.Get(row, "conf");
    t.conf = conf.empty() ? 0.5f : std::stof(std::string(conf));
    f->compiled_.push_back(std::move(t));
  }

  auto types = TsvTable::Load(data_dir + "/lexicons/event_types.tsv", error);
  if (!types) return nullptr;
  f->type_rules_.assign(kEventTypeCount, TypeRule{});
  for (const auto& row : types->rows()) {
    auto type = ParseEventType(types->Get(row, "type"));
    if (!type) {
      *error = types->path() + ":" + std::to_string(row.line) + ": unknown type";
      return nullptr;
    }
    TypeRule& rule = f->type_rules_[static_cast<size_t>(*type)];
    rule.passive_mover = types->Get(row, "passive") == "mover";
    const std::string_view prior = types->Get(row, "place_prior");
    rule.place_prior = prior == "other" ? 1 : prior == "own" ? 2 : 0;
    rule.negatable = types->Get(row, "negation") != "no";
    rule.no_side = types->Get(row, "side") == "unknown";
  }
  return f;
}

bool EventFinder::HasClass(const Document& doc, const Lexicon& lex, uint32_t at, uint32_t limit,
                           std::string_view column, std::string_view cls, uint32_t* end) const {
  return lex.HasAt(doc.tokens, at, limit, column, cls, end);
}

bool EventFinder::WordClassIn(const Document& doc, uint32_t begin, uint32_t end,
                              std::string_view cls) const {
  for (uint32_t i = begin; i < end; ++i) {
    if (HasClass(doc, *words_, i, end, "class", cls, nullptr)) return true;
  }
  return false;
}

bool EventFinder::IsFunctionWord(const Document& doc, uint32_t i, std::string_view cls) const {
  return i < doc.tokens.size() && HasClass(doc, *function_words_, i, i + 1, "class", cls, nullptr);
}

bool EventFinder::IsPreposition(const Document& doc, uint32_t i) const {
  if (i >= doc.tokens.size()) return false;
  return prepositions_->LongestAt(doc.tokens, i, i + 1).payloads != nullptr;
}

int EventFinder::SideWordAt(const Document& doc, uint32_t i, uint32_t limit, Side* side) const {
  return side_words_->At(doc, i, limit, side);
}

uint32_t EventFinder::ChooseRow(const Document& doc, const std::vector<uint32_t>& rows,
                                uint32_t begin) const {
  if (rows.size() == 1) return rows.front();
  // "the retreat", "Russian shelling", "its capture": a noun; otherwise a verb. A
  // quotation mark between says nothing: their "terrorist attacks".
  auto word_before = [&](uint32_t at) -> uint32_t {
    while (at > 0 && (doc.tokens[at - 1].flags & kTokQuoteMark)) --at;
    return at > 0 ? at - 1 : kNone;
  };
  bool nouny = false;
  if (const uint32_t p1 = word_before(begin); p1 != kNone) {
    const Token& prev = doc.tokens[p1];
    Side side = Side::kUnknown;
    nouny = IsFunctionWord(doc, p1, "determiner") || (prev.flags & kTokApostropheS) ||
            (prev.flags & kTokNumber) ||
            (SideWordAt(doc, p1, p1 + 1, &side) > 0 && (prev.flags & kTokCapitalized));
    // "repelled attacks", "launched strikes": the object of a verb in the past.
    const std::string_view pw = doc.Folded(prev);
    if (!nouny && (prev.flags & kTokWord) && !(prev.flags & kTokCapitalized) && pw.size() >= 5 &&
        pw.ends_with("ed") && !IsFunctionWord(doc, p1, "be"))
      nouny = true;
    if (!nouny && HasClass(doc, *words_, p1, p1 + 1, "class", "repel", nullptr)) nouny = true;
    // "the quick capture of Kyiv", "Iran's massive attack": an adjective between the
    // article or possessive and the noun, or "of" after it.
    const uint32_t p2 = word_before(p1);
    if (!nouny && p2 != kNone &&
        (IsFunctionWord(doc, p2, "determiner") || (doc.tokens[p2].flags & kTokApostropheS)) &&
        (prev.flags & kTokWord) &&
        !(prev.flags & kTokCapitalized) && !IsFunctionWord(doc, p1, "be") &&
        !IsFunctionWord(doc, p1, "adverb"))
      nouny = true;
  }
  if (!nouny) {
    uint32_t end = begin + 1;
    while (end < doc.tokens.size() && end < begin + 4 && !(doc.tokens[end].flags & kTokPunct) &&
           doc.Folded(doc.tokens[end]) != "of")
      ++end;
    // Only the one-word rows: "capture of", "withdrawal of".
    if (end == begin + 1 && end < doc.tokens.size() && doc.Folded(doc.tokens[end]) == "of")
      nouny = true;
  }
  for (uint32_t row : rows) {
    if (compiled_[row].noun == nouny) return row;
  }
  return rows.front();
}

bool EventFinder::IsVenue(const Document& doc, const Sentence& s, const Place& p) const {
  uint32_t end = p.token_begin;
  if (end > s.token_begin && IsFunctionWord(doc, end - 1, "determiner")) --end;
  for (uint32_t back = 2; back <= 5 && end >= s.token_begin + back; ++back) {
    const auto m = venues_->LongestAt(doc.tokens, end - back, end);
    if (m.payloads != nullptr && m.end == end && venues_->Get(m.payloads->front(), "where") == "before")
      return true;
  }
  const auto m = venues_->LongestAt(doc.tokens, p.token_end, s.token_end);
  return m.payloads != nullptr && venues_->Get(m.payloads->front(), "where") == "after";
}

bool EventFinder::AdjectiveUse(const Document& doc, const Sentence& s, uint32_t begin,
                               uint32_t end) const {
  if (begin == s.token_begin || end >= s.token_end) return false;
  const Token& next = doc.tokens[end];
  if (!(next.flags & kTokWord) || IsPreposition(doc, end) || doc.Folded(next) == "by" ||
      IsFunctionWord(doc, end, "determiner") || IsFunctionWord(doc, end, "be") ||
      IsFunctionWord(doc, end, "adverb"))
    return false;
  const std::string_view word = doc.Folded(doc.tokens[end - 1]);
  // "the withdrawn forces", "several lost villages", "the advancing Russian troops".
  if (IsFunctionWord(doc, begin - 1, "determiner")) return true;
  // "of annexed Crimea", "against withdrawing Russian forces" — but a gerund after
  // "by", "of", "from", "despite" ... is a verb: "by pulling forces back".
  const std::string_view prev = doc.Folded(doc.tokens[begin - 1]);
  if (IsPreposition(doc, begin - 1) && prev != "to") {
    if (Participle(word)) return true;
    if (word.ends_with("ing") && !IsFunctionWord(doc, begin - 1, "subordinator") && prev != "of" &&
        prev != "for" && prev != "from" && prev != "in" && prev != "on")
      return true;
  }
  // "surrounded soldiers", "captured troops": a participle describing people.
  return Participle(word) && HasClass(doc, *words_, end, end + 1, "class", "military", nullptr) &&
         !IsFunctionWord(doc, begin - 1, "be");
}

bool EventFinder::InsideTally(const Document& doc, uint32_t sentence, Span words) const {
  for (const Quantity& q : doc.quantities) {
    if (q.sentence != sentence || !q.span.Contains(words)) continue;
    // "16 airstrikes", "559 attacks" count events; "143 attack jets" counts equipment.
    if (q.unit != Unit::kAttacks && q.unit != Unit::kAirstrikes) return true;
  }
  return false;
}

bool EventFinder::NeedsMet(const Context& ctx, uint32_t sentence, uint32_t begin, uint32_t end,
                           const Trigger& trig) const {
  const Document& doc = ctx.doc;
  const Sentence& s = doc.sentences[sentence];
  if (trig.needs_place || trig.needs_object_place) {
    bool place = false;
    bool object = false;
    for (const Place& p : doc.places) {
      if (p.sentence != sentence || !p.reportable) continue;
      place = true;
      // Right after the trigger, perhaps behind "the", "of", "the town of".
      if (p.token_begin < end || p.token_begin > end + 4) continue;
      bool direct = true;
      for (uint32_t t = end; t < p.token_begin && direct; ++t) {
        direct = IsFunctionWord(doc, t, "determiner") ||
                 HasClass(doc, *words_, t, t + 1, "class", "place_noun", nullptr);
      }
      object |= direct;
    }
    if (!object && trig.needs_object_place) {
      for (uint32_t i = end; i < std::min(s.token_end, end + 3); ++i) {
        if (anaphora_->LongestAt(doc.tokens, i, s.token_end).payloads != nullptr) object = true;
      }
    }
    if (trig.needs_place && !place) return false;
    if (trig.needs_object_place && !object) return false;
  }
  if (trig.needs_military) {
    bool military = false;
    for (const Actor& a : doc.actors) {
      if (a.sentence == sentence && a.military) military = true;
    }
    if (!military) military = WordClassIn(doc, s.token_begin, s.token_end, "military");
    if (!military) return false;
  }
  if (trig.needs_not_counted && begin > s.token_begin) {
    if (doc.tokens[begin - 1].flags & kTokNumber) return false;
    // "317 artillery pieces", "artillery systems": a tally of equipment.
    if (end < s.token_end) {
      const std::string_view next = doc.Folded(doc.tokens[end]);
      if (next == "pieces" || next == "systems" || next == "guns" || next == "shells") return false;
    }
  }
  if (trig.needs_aid && !WordClassIn(doc, s.token_begin, s.token_end, "aid")) return false;
  if (trig.needs_military_object) {
    // Troops, forces or a warship right after: "deployed troops", "sank a Russian ship".
    auto military_in = [&](uint32_t from, uint32_t to) {
      return WordClassIn(doc, from, to, "military") ||
             std::any_of(doc.actors.begin(), doc.actors.end(), [&](const Actor& a) {
               return a.sentence == sentence && a.token_begin >= from && a.token_end <= to && a.military;
             });
    };
    const uint32_t hi = std::min(s.token_end, end + kAltWindow);
    bool object = military_in(end, hi) || WordClassIn(doc, end, hi, "target");
    // In the passive the object comes first: "American soldiers were deployed to Poland"
    // (of the types whose passive subject is the mover, event_types.tsv).
    const bool mover = std::any_of(trig.types.begin(), trig.types.end(), [&](EventType t) {
      return trig.passive == 0 ? type_rules_[static_cast<size_t>(t)].passive_mover : trig.passive == 2;
    });
    if (!object && mover && begin > s.token_begin && IsFunctionWord(doc, begin - 1, "be"))
      object = military_in(begin > s.token_begin + kAltWindow ? begin - kAltWindow : s.token_begin, begin);
    if (!object) return false;
  }
  if (trig.needs_quantity &&
      std::none_of(doc.quantities.begin(), doc.quantities.end(),
                   [&](const Quantity& q) { return q.sentence == sentence; }))
    return false;
  return true;
}

EventType EventFinder::RefineType(const Context& ctx, uint32_t sentence, uint32_t begin,
                                  uint32_t end, EventType type, const Trigger& trig) const {
  const Document& doc = ctx.doc;
  const Sentence& s = doc.sentences[sentence];
  const uint32_t lo = begin > s.token_begin + kAltWindow ? begin - kAltWindow : s.token_begin;
  const uint32_t hi = std::min(s.token_end, end + kAltWindow);
  switch (trig.alt) {
    case Trigger::Alt::kCivil:
      if (WordClassIn(doc, lo, hi, "civil") && !WordClassIn(doc, lo, hi, "military"))
        return trig.alt_type;
      break;
    case Trigger::Alt::kMilitary: {
      if (WordClassIn(doc, end, hi, "military")) return trig.alt_type;
      // "some crew members were able to evacuate": the troops named before, no civilians.
      if (!WordClassIn(doc, lo, hi, "civil") && WordClassIn(doc, lo, begin, "military"))
        return trig.alt_type;
      // Troops as the ones evacuating, with no civilians named: a withdrawal.
      if (!WordClassIn(doc, end, hi, "civil")) {
        for (const Actor& a : doc.actors) {
          if (a.sentence == sentence && a.military && a.token_end <= begin &&
              a.token_begin + kSubjectWindow >= begin)
            return trig.alt_type;
        }
      }
      break;
    }
    case Trigger::Alt::kInfra:
      if (WordClassIn(doc, end, std::min(s.token_end, end + kAltWindow + 2), "infrastructure"))
        return trig.alt_type;
      break;
    case Trigger::Alt::kNone:
      break;
  }
  if (type != EventType::kAttack) return type;
  // A generic attack with its means named nearby becomes that kind of strike.
  const uint32_t wlo =
      begin > s.token_begin + kWeaponBefore ? begin - kWeaponBefore : s.token_begin;
  const uint32_t whi = std::min(s.token_end, end + kWeaponAfter);
  uint32_t best_distance = UINT32_MAX;
  EventType best = type;
  for (uint32_t i = wlo; i < whi; ++i) {
    const auto m = weapons_->LongestAt(doc.tokens, i, whi);
    if (m.payloads == nullptr) continue;
    const uint32_t distance = i < begin ? begin - i : i - end;
    if (auto t = ParseEventType(weapons_->Get(m.payloads->front(), "type"));
        t && distance < best_distance) {
      best = *t;
      best_distance = distance;
    }
    i = m.end - 1;
  }
  return best;
}

std::vector<EventType> EventFinder::WeaponList(const Document& doc, const Sentence& s,
                                              uint32_t end) const {
  // A list of means right after the trigger and its object: "with missiles and glide
  // bombs", "using drones, missiles and artillery".
  std::vector<EventType> out;
  const uint32_t hi = std::min(s.token_end, end + kWeaponAfter);
  uint32_t i = end;
  while (i < hi && doc.Folded(doc.tokens[i]) != "with" && doc.Folded(doc.tokens[i]) != "using") ++i;
  if (i >= hi) return out;
  ++i;
  while (i < s.token_end) {
    const auto m = weapons_->LongestAt(doc.tokens, i, s.token_end);
    if (m.payloads == nullptr) {
      // Adjectives and counts before a means: "with cruise missiles", "with 40 drones".
      if ((doc.tokens[i].flags & (kTokWord | kTokNumber)) && i + 1 < s.token_end && out.empty() &&
          !IsPreposition(doc, i) && i < end + kWeaponAfter) {
        ++i;
        continue;
      }
      break;
    }
    if (auto t = ParseEventType(weapons_->Get(m.payloads->front(), "type"));
        t && std::find(out.begin(), out.end(), *t) == out.end())
      out.push_back(*t);
    i = m.end;
    if (i < s.token_end && (doc.Folded(doc.tokens[i]) == "and" || doc.Folded(doc.tokens[i]) == ",")) {
      ++i;
      if (i < s.token_end && doc.Folded(doc.tokens[i]) == "and") ++i;
      // "missiles and Shahed drones": a word before the next means.
      if (i + 1 < s.token_end && weapons_->LongestAt(doc.tokens, i, s.token_end).payloads == nullptr &&
          weapons_->LongestAt(doc.tokens, i + 1, s.token_end).payloads != nullptr)
        ++i;
      continue;
    }
    break;
  }
  return out;
}

Side EventFinder::LastPartyBefore(const Document& doc, uint32_t sentence, uint32_t at) const {
  const Sentence& s = doc.sentences[sentence];
  // The sentence's subject, when a party stands first ("Moscow failed to reply to a
  // request from Ukraine to clarify its manoeuvres": "its" is Moscow's).
  auto subject = [&]() {
    uint32_t k = s.token_begin;
    while (k < at && IsFunctionWord(doc, k, "determiner")) ++k;
    for (const Actor& a : doc.actors) {
      if (a.sentence == sentence && a.token_begin == k && !a.anaphoric && Known(a.side)) return a.side;
    }
    return Side::kUnknown;
  };
  // A party inside a phrase "from/to/with/by X" is a complement; the subject binds first.
  auto found = [&](Side side, uint32_t begin) {
    if (begin > s.token_begin && IsFunctionWord(doc, begin - 1, "complement")) {
      if (const Side subj = subject(); Known(subj)) return subj;
    }
    return side;
  };
  for (uint32_t j = at; j-- > s.token_begin;) {
    for (const Actor& a : doc.actors) {
      if (a.sentence == sentence && a.token_end == j + 1 && !a.anaphoric && Known(a.side))
        return found(a.side, a.token_begin);
    }
    for (const Place& p : doc.places) {
      if (p.sentence == sentence && p.token_end == j + 1 && p.feature == PlaceFeature::kCountry)
        return found(p.country == "UA" ? Side::kUA : p.country == "RU" ? Side::kRU : Side::kUnknown,
                     p.token_begin);
    }
  }
  return Side::kUnknown;
}

void EventFinder::ResolveSide(Context& ctx, uint32_t sentence, uint32_t begin, uint32_t end,
                              const Trigger& trig, Event& ev) const {
  Document& doc = ctx.doc;
  const Sentence& s = doc.sentences[sentence];
  const TypeRule& rule = type_rules_[static_cast<size_t>(ev.type)];
  const bool passive_mover = trig.passive == 0 ? rule.passive_mover : trig.passive == 2;
  const uint32_t claim = ctx.claim_of[sentence];
  const Side speaker = claim != kNone && doc.claims[claim].source != kNone
                           ? doc.sources[doc.claims[claim].source].side
                           : Side::kUnknown;
  // "the enemy" is the speaker's enemy; "its forces" with nothing named before them
  // are the speaker's own ("The Russian Defence Ministry said its forces captured ...").
  auto side_of = [&](const Actor& a) {
    if (a.enemy_of_speaker) return Opposite(speaker);
    if (a.anaphoric && !Known(a.side) && (speaker == Side::kRU || speaker == Side::kUA))
      return speaker;
    return a.side;
  };
  auto actor_at = [&](uint32_t tok) -> uint32_t {
    for (uint32_t i = 0; i < doc.actors.size(); ++i) {
      if (doc.actors[i].sentence == sentence && doc.actors[i].token_begin == tok) return i;
    }
    return kNone;
  };
  auto is_word = [&](uint32_t i, std::string_view w) {
    return i < s.token_end && doc.Folded(doc.tokens[i]) == w;
  };
  // A state, person or organisation is a subject only where a subject can stand:
  // after a clause boundary or an article, not as the object of a verb.
  auto subject_eligible = [&](const Actor& a) {
    if (a.military || a.token_begin == s.token_begin) return true;
    // "missiles supplied by France and Britain": the agent of another verb.
    for (uint32_t j = a.token_begin, k = 0; j-- > s.token_begin && k < kAgentListWindow; ++k) {
      const std::string_view w = doc.Folded(doc.tokens[j]);
      if (w == "by") return false;
      const bool in_list = w == "and" || w == "," || IsFunctionWord(doc, j, "determiner") ||
                           std::any_of(doc.actors.begin(), doc.actors.end(), [&](const Actor& o) {
                             return o.sentence == sentence && o.token_begin <= j && j < o.token_end;
                           });
      if (!in_list) break;
    }
    const Token& prev = doc.tokens[a.token_begin - 1];
    if (IsPunct(prev)) return true;
    // "the General Staff said Russia had lost ...": the subject of the reported clause.
    for (const Cue& cue : doc.cues) {
      if (cue.sentence == sentence && cue.kind == CueKind::kSay && cue.token_end == a.token_begin)
        return true;
    }
    const std::string_view w = doc.Folded(prev);
    return w == "that" || w == "and" || w == "or" ||
           IsFunctionWord(doc, a.token_begin - 1, "boundary") ||
           IsFunctionWord(doc, a.token_begin - 1, "determiner");
  };
  auto take = [&](uint32_t actor, bool opposite) {
    ev.actor = actor;
    const Side side = side_of(doc.actors[actor]);
    ev.side = opposite ? Opposite(side) : side;
  };
  // Where a subject stands: at the start of the sentence or of a clause, perhaps
  // behind an article and adjectives — not after a verb or a preposition ("hit a
  // Russian warship").
  auto subject_position = [&](const Actor& a) {
    uint32_t j = a.token_begin;
    // "denied that Russian forces had ...": "that" opens a clause here, it is no determiner.
    if (j > s.token_begin && doc.Folded(doc.tokens[j - 1]) == "that") return true;
    // "Dozens of Russian missiles struck ...": a count of the subject before it.
    if (j >= s.token_begin + 2 && doc.Folded(doc.tokens[j - 1]) == "of" &&
        IsFunctionWord(doc, j - 2, "count_noun"))
      j -= 2;
    while (j > s.token_begin &&
           (IsFunctionWord(doc, j - 1, "determiner") ||
            ((doc.tokens[j - 1].flags & kTokWord) && (doc.tokens[j - 1].flags & kTokCapitalized) &&
             j - 1 == s.token_begin) ||
            (doc.tokens[j - 1].flags & kTokNumber)))
      --j;
    if (j == s.token_begin) return true;
    const Token& prev = doc.tokens[j - 1];
    const std::string_view w = doc.Folded(prev);
    if (IsPunct(prev)) return w != "(";
    // "the military said Russian forces are ...": the subject of the reported clause.
    for (const Cue& cue : doc.cues) {
      if (cue.sentence == sentence && cue.kind == CueKind::kSay && cue.token_end == j) return true;
    }
    return w == "that" || w == "and" || w == "or" || w == "but" ||
           IsFunctionWord(doc, j - 1, "boundary") || IsFunctionWord(doc, j - 1, "subordinator");
  };

  if (rule.no_side) return;
  // "fighting between Ukrainian and Russian forces": both sides.
  if (FamilyOf(ev.type) == EventFamily::kCombat && is_word(end, "between")) return;
  // "fell to Wagner fighters", "surrendered to Ukrainian troops": after "to" stands the
  // other party — the agent of a capture, the captor of a surrender.
  if (doc.Folded(doc.tokens[end - 1]) == "to" && end < s.token_end) {
    uint32_t k = end;
    while (k < s.token_end && IsFunctionWord(doc, k, "determiner")) ++k;
    if (uint32_t a = actor_at(k); a != kNone && Known(side_of(doc.actors[a]))) {
      take(a, false);
      return;
    }
  }
  const std::string_view verb = doc.Folded(doc.tokens[begin]);
  const bool verb_ing = verb.ends_with("ing");
  // Passive: "was captured by Ukrainian forces", "were shot down" (not "is attacking").
  bool passive = false;
  uint32_t before = begin;  // the first token before the trigger that is no adverb
  while (before > s.token_begin && IsFunctionWord(doc, before - 1, "adverb") &&
         !IsFunctionWord(doc, before - 1, "be"))
    --before;
  if (!trig.noun && !verb.ends_with("ing")) {
    // "were, little by little, pushed into": skip a parenthetical between commas.
    uint32_t aux = before;
    if (aux > s.token_begin && doc.Folded(doc.tokens[aux - 1]) == ",") {
      uint32_t k = aux - 1;
      while (k > s.token_begin && aux - k <= kParenthetical && doc.Folded(doc.tokens[k - 1]) != ",")
        --k;
      if (k > s.token_begin + 1 && doc.Folded(doc.tokens[k - 1]) == ",") aux = k - 1;
    }
    passive = aux > s.token_begin && IsFunctionWord(doc, aux - 1, "be");
    // "30 troops killed in the attack", "the largest Russian town captured since":
    // a participle right after a noun, with no object after it, is a passive.
    // ("which Russia illegally annexed in 2014" is active: an adverb, or an actor right
    // before, is the subject's — except for the dead and wounded: "Russian troops killed
    // in the strike".)
    bool actor_before = false;
    for (const Actor& a : doc.actors) {
      actor_before |= a.sentence == sentence && a.token_end == begin;
    }
    const bool adverb_before =
        begin > s.token_begin && doc.Folded(doc.tokens[begin - 1]).ends_with("ly");
    if (!passive && Participle(verb) && before == begin && begin > s.token_begin &&
        !adverb_before && (!actor_before || ev.type == EventType::kLosses) &&
        (doc.tokens[begin - 1].flags & kTokWord) && !IsFunctionWord(doc, begin - 1, "pronoun") &&
        !IsFunctionWord(doc, begin - 1, "determiner") &&
        (end >= s.token_end || IsPunct(doc.tokens[end]) || IsPreposition(doc, end) ||
         IsFunctionWord(doc, end, "subordinator") || doc.Folded(doc.tokens[end]) == "and"))
      passive = true;
    // "a town recently liberated by Ukrainian troops": a participle with its "by" agent
    // is passive, adverb or no.
    if (!passive && Participle(verb) && end < s.token_end && is_word(end, "by")) passive = true;
  }
  // "by X" after the trigger names the agent of a passive verb, a noun or a gerund
  // ("the intensified shelling by Russia").
  // (The trigger may end with it: "struck by two Russian missiles".)
  if (passive || trig.noun || verb_ing) {
    const uint32_t from = end > begin + 1 && is_word(end - 1, "by") ? end - 1 : end;
    for (uint32_t j = from; j < std::min(s.token_end, end + 2); ++j) {
      if (!is_word(j, "by")) continue;
      uint32_t k = j + 1;
      while (k < s.token_end && (IsFunctionWord(doc, k, "determiner") || (doc.tokens[k].flags & kTokNumber)))
        ++k;
      if (uint32_t a = actor_at(k); a != kNone && Known(side_of(doc.actors[a]))) {
        take(a, false);
        return;
      }
      // "damaged by a previous Ukrainian attack": a side word in the agent phrase.
      for (uint32_t m = k; m < std::min(s.token_end, k + 3); ++m) {
        Side side = Side::kUnknown;
        if (SideWordAt(doc, m, s.token_end, &side) > 0 &&
            (side == Side::kRU || side == Side::kUA)) {
          ev.side = side;
          return;
        }
      }
    }
  }
  // A side word inside the trigger itself: "under Russian control".
  for (uint32_t j = begin; j < end; ++j) {
    Side side = Side::kUnknown;
    if (SideWordAt(doc, j, end, &side) > 0 && (side == Side::kRU || side == Side::kUA)) {
      ev.side = side;
      return;
    }
  }
  // "repelled 14 attacks": the attacks are the other side's, the subject repelled them.
  if (trig.noun) {
    for (uint32_t j = begin; j-- > s.token_begin && begin - j <= kModifierWindow;) {
      if (IsPunct(doc.tokens[j])) break;
      if (!HasClass(doc, *words_, j, begin, "class", "repel", nullptr)) continue;
      uint32_t repeller = kNone;
      for (uint32_t i = 0; i < doc.actors.size(); ++i) {
        const Actor& a = doc.actors[i];
        if (a.sentence == sentence && a.token_end <= j && Known(side_of(a)) &&
            (repeller == kNone || a.token_begin > doc.actors[repeller].token_begin))
          repeller = i;
      }
      if (repeller != kNone) {
        ev.side = Opposite(side_of(doc.actors[repeller]));
        return;
      }
      break;
    }
  }
  // A noun's modifier: "Russian shelling", "Ukraine's capture", "Russian losses",
  // "U.N. convoy".
  if (trig.noun) {
    for (uint32_t j = begin; j-- > s.token_begin && begin - j <= kModifierWindow;) {
      const Token& t = doc.tokens[j];
      if (t.flags & kTokQuoteMark) continue;  // their "terrorist attacks"
      // "Iran's unprecedented attack": a state's possessive is its doer (a third state
      // is OTHER).
      if ((t.flags & kTokApostropheS) && j > s.token_begin) {
        for (const Place& p : doc.places) {
          if (p.sentence != sentence || p.token_end != j || p.feature != PlaceFeature::kCountry) continue;
          const Side owner = p.country == "UA" ? Side::kUA : p.country == "RU" ? Side::kRU : Side::kOther;
          ev.side = trig.patient ? Opposite(owner) : owner;
          return;
        }
      }
      if (IsPunct(t) || (IsPreposition(doc, j) && !(t.flags & kTokCapitalized))) break;
      Side side = Side::kUnknown;
      if (SideWordAt(doc, j, begin, &side) > 0 && Known(side)) {
        ev.side = trig.patient ? Opposite(side) : side;
        if (uint32_t a = actor_at(j); a != kNone) ev.actor = a;
        return;
      }
      // "warned Ukraine of retaliation for their attacks": a possessive pronoun is the
      // party named last before it.
      if (IsFunctionWord(doc, j, "possessive")) {
        if (const Side owner = LastPartyBefore(doc, sentence, j); Known(owner)) {
          ev.side = trig.patient ? Opposite(owner) : owner;
          return;
        }
        break;
      }
      if (uint32_t a = actor_at(j);
          a != kNone && Known(side_of(doc.actors[a])) && doc.actors[a].token_end == begin) {
        take(a, trig.patient);
        return;
      }
    }
    // "the withdrawal of Ukrainian troops", "an offensive from Ukraine": the mover;
    // "the capture of Russian soldiers": the patient.
    // ("a counter-offensive expected from Ukraine": a participle may stand between.)
    uint32_t from_at = end;
    if (end + 1 < s.token_end && Participle(doc.Folded(doc.tokens[end])) && is_word(end + 1, "from"))
      from_at = end + 1;
    if (is_word(from_at, "from") && passive_mover) {
      uint32_t k = from_at + 1;
      while (k < s.token_end && IsFunctionWord(doc, k, "determiner")) ++k;
      if (uint32_t a = actor_at(k); a != kNone && Known(side_of(doc.actors[a]))) {
        take(a, false);
        return;
      }
    }
    if (is_word(end, "of")) {
      uint32_t k = end + 1;
      while (k < s.token_end && IsFunctionWord(doc, k, "determiner")) ++k;
      if (uint32_t a = actor_at(k); a != kNone && Known(side_of(doc.actors[a]))) {
        // "the attacks of Russian forces on Kyiv": of fighting and strikes, the doer.
        const EventFamily f = FamilyOf(ev.type);
        const bool doer = f == EventFamily::kRemote || f == EventFamily::kCombat;
        take(a, !passive_mover && !doer);
        return;
      }
    }
  }
  if (!trig.noun && verb_ing) {
    auto actor_ending_at = [&](uint32_t tok) -> uint32_t {
      for (uint32_t i = 0; i < doc.actors.size(); ++i) {
        const Actor& a = doc.actors[i];
        if (a.sentence == sentence && a.token_end == tok && Known(side_of(a))) return i;
      }
      return kNone;
    };
    // "a convoy of Ukrainian troops leaving Sudzha", "preventing Ukrainian troops
    // from advancing": the people named right before the participle do it.
    uint32_t k = begin;
    if (k > s.token_begin && doc.Folded(doc.tokens[k - 1]) == "from") --k;
    if (uint32_t a = actor_ending_at(k); a != kNone) {
      take(a, false);
      return;
    }
    // "surrendering Russians", "advancing Ukrainian troops": an intransitive
    // participle describes the people right after it (a transitive one has them as
    // its object: "capturing Russian troops").
    if (passive_mover)
      if (uint32_t a = actor_at(end);
          a != kNone && Known(side_of(doc.actors[a])) && !doc.actors[a].weapon) {
        take(a, false);
        return;
      }
  }
  // "Russia assailed the United States for deploying troops", "accused Kyiv of shelling":
  // a gerund after "for"/"of" is the doing of the party named right before.
  if (verb.ends_with("ing") && begin > s.token_begin + 1) {
    if (IsFunctionWord(doc, begin - 1, "gerund_agent")) {
      for (uint32_t i = 0; i < doc.actors.size(); ++i) {
        const Actor& a = doc.actors[i];
        if (a.sentence == sentence && a.token_end + 1 == begin && Known(side_of(a))) {
          take(i, trig.patient);
          return;
        }
      }
    }
  }
  // "Despite encircling Kharkiv, Russian forces ...": the subject follows the clause.
  if (verb.ends_with("ing")) {
    uint32_t j = begin;
    while (j > s.token_begin && doc.Folded(doc.tokens[j - 1]).ends_with("ly")) --j;
    if (j > s.token_begin && IsFunctionWord(doc, j - 1, "subordinator")) {
      for (uint32_t c = end; c < s.token_end; ++c) {
        if (doc.Folded(doc.tokens[c]) != ",") continue;
        for (uint32_t k = c + 1; k < std::min(s.token_end, c + kAfterComma); ++k) {
          if (uint32_t a = actor_at(k); a != kNone && Known(side_of(doc.actors[a]))) {
            take(a, trig.patient);
            return;
          }
        }
        break;
      }
    }
  }
  // "following a series of missile and drone attacks": an event noun in a clause of
  // time or cause is not the subject's doing.
  // (Fighting is the subject's too: "secured a route after heavy fighting"; and "since
  // Moscow launched an offensive" names its own subject.)
  bool adjunct = false;
  if (trig.noun && (FamilyOf(ev.type) == EventFamily::kRemote || ev.type == EventType::kAttack)) {
    for (uint32_t j = begin; j-- > s.token_begin && begin - j <= kAdjunctWindow;) {
      const Token& t = doc.tokens[j];
      if (IsPunct(t) || IsFunctionWord(doc, j, "be")) break;
      const bool in_actor = std::any_of(doc.actors.begin(), doc.actors.end(), [&](const Actor& a) {
        return a.sentence == sentence && a.token_begin <= j && j < a.token_end;
      });
      if (in_actor) break;
      // "following", or "in response to" ending here.
      for (uint32_t k = j + 1; k-- > s.token_begin && j - k < 4 && !adjunct;) {
        uint32_t stop = 0;
        adjunct =
            HasClass(doc, *function_words_, k, begin, "class", "adjunct", &stop) && stop == j + 1;
      }
      if (adjunct) break;
      const std::string_view w = doc.Folded(t);
      if (IsPreposition(doc, j) && w != "of" && w != "and") break;
    }
  }
  // The subject: the nearest actor to the left that stands where a subject stands;
  // failing that, the nearest fighting force to the left.
  const uint32_t lo =
      begin > s.token_begin + kSubjectWindow ? begin - kSubjectWindow : s.token_begin;
  uint32_t subject = kNone;
  uint32_t fallback = kNone;
  for (uint32_t i = 0; i < doc.actors.size(); ++i) {
    const Actor& a = doc.actors[i];
    if (a.sentence != sentence || a.token_end > begin || a.token_begin < lo) continue;
    bool crosses = false;
    for (uint32_t t = a.token_end; t < begin; ++t) crosses |= doc.Folded(doc.tokens[t]) == ";";
    if (crosses || adjunct || !subject_eligible(a)) continue;
    if (subject_position(a)) {
      if (subject == kNone || a.token_begin > doc.actors[subject].token_begin) subject = i;
    } else if (a.military && !a.weapon &&
               (fallback == kNone || a.token_begin > doc.actors[fallback].token_begin)) {
      fallback = i;
    }
  }
  // An actor standing as an object ("hosted Russian occupation fighters") is only the
  // subject of a verb trigger that nothing else claims, and never of a noun.
  if ((subject == kNone || !Known(side_of(doc.actors[subject]))) && !trig.noun) {
    if (fallback != kNone) subject = fallback;
  }
  const bool subject_opposite = passive ? !passive_mover : trig.patient;
  // A passive's patient is the noun phrase right before it: "the largest Russian town
  // captured", "six Ukrainian drones were shot down".
  if (passive) {
    for (uint32_t j = before; j-- > s.token_begin && before - j <= kModifierWindow;) {
      if (IsPunct(doc.tokens[j])) break;
      Side side = Side::kUnknown;
      if (SideWordAt(doc, j, before, &side) > 0 && (side == Side::kRU || side == Side::kUA)) {
        ev.side = passive_mover ? side : Opposite(side);
        if (uint32_t a = actor_at(j); a != kNone) ev.actor = a;
        return;
      }
    }
  }
  if (subject != kNone && Known(side_of(doc.actors[subject]))) {
    take(subject, subject_opposite);
    return;
  }
  // A passive whose subject is a long noun phrase ("the Russian Sergei Kotov-class patrol
  // boat was damaged ..., but was destroyed by ..."): the side word that opens the clause.
  if (passive && subject == kNone) {
    uint32_t clause = s.token_begin;
    for (uint32_t t = begin; t-- > s.token_begin;) {
      const std::string_view w = doc.Folded(doc.tokens[t]);
      if (w == "that" || w == ";" || (w == ":" && t + 1 < begin)) {
        clause = t + 1;
        break;
      }
    }
    for (uint32_t j = clause; j < std::min(begin, clause + 3); ++j) {
      Side side = Side::kUnknown;
      if (SideWordAt(doc, j, begin, &side) > 0 && (side == Side::kRU || side == Side::kUA)) {
        ev.side = passive_mover ? side : Opposite(side);
        return;
      }
    }
  }
  // A side word before an event noun standing as the subject: "The Russian offensive
  // has targeted ...".
  for (uint32_t j = begin; j-- > s.token_begin && begin - j <= kSideWordWindow;) {
    if (doc.Folded(doc.tokens[j]) == ";" || doc.Folded(doc.tokens[j]) == ",") break;
    Side side = Side::kUnknown;
    const int len = SideWordAt(doc, j, begin, &side);
    if (len == 0 || (side != Side::kRU && side != Side::kUA) ||
        !(doc.tokens[j].flags & kTokCapitalized))
      continue;
    bool event_noun = false;
    for (uint32_t k = j + len; k < std::min(begin, j + len + 2) && !event_noun; ++k) {
      const auto m = triggers_->LongestAt(doc.tokens, k, begin);
      event_noun = m.payloads != nullptr && compiled_[m.payloads->front()].noun;
    }
    if (event_noun) {
      ev.side = subject_opposite ? Opposite(side) : side;
      return;
    }
  }
  // First person in a quotation: "they bombed our positions" (the speaker's enemy),
  // "we need to consolidate our forces" (the speaker's side).
  if (speaker == Side::kRU || speaker == Side::kUA) {
    for (uint32_t j = end; j < std::min(s.token_end, end + kTargetWindow); ++j) {
      const std::string_view w = doc.Folded(doc.tokens[j]);
      if (w == "our" || w == "us") {
        ev.side = passive_mover ? speaker : Opposite(speaker);
        return;
      }
    }
    if (before > s.token_begin && doc.Folded(doc.tokens[before - 1]) == "we") {
      ev.side = passive ? Opposite(speaker) : speaker;
      return;
    }
  }
  // "it/they/we" as the subject of a claimed event: the claimant's own side.
  if (before > s.token_begin) {
    uint32_t j = before;
    while (j > s.token_begin &&
           (IsFunctionWord(doc, j - 1, "be") || IsFunctionWord(doc, j - 1, "adverb")))
      --j;
    if (j > s.token_begin && (IsFunctionWord(doc, j - 1, "pronoun") || is_word(j - 1, "it")) &&
        (speaker == Side::kRU || speaker == Side::kUA)) {
      ev.side = speaker;
      return;
    }
  }
  // The target or the victims named after the trigger: the side is the other one
  // ("... hit a Russian landing ship", "attacks on Ukrainian positions").
  if (!passive_mover) {
    for (uint32_t j = end; j < std::min(s.token_end, end + kTargetWindow); ++j) {
      if (doc.Folded(doc.tokens[j]) == ";") break;
      Side side = Side::kUnknown;
      const int len = SideWordAt(doc, j, s.token_end, &side);
      if (len == 0 || (side != Side::kRU && side != Side::kUA)) continue;
      const uint32_t after = j + static_cast<uint32_t>(len);
      const uint32_t hi = std::min(s.token_end, after + 3);
      if (WordClassIn(doc, after, hi, "target") || WordClassIn(doc, after, hi, "military") ||
          WordClassIn(doc, after, hi, "civil")) {
        ev.side = Opposite(side);
        return;
      }
    }
    for (const Actor& a : doc.actors) {
      if (a.sentence != sentence || a.token_begin < end || !a.military ||
          (a.side != Side::kRU && a.side != Side::kUA) || subject_position(a))
        continue;
      // "the attempt of Ukrainian partisans", "by Russian forces": agents, not targets.
      const std::string_view prev =
          a.token_begin > s.token_begin ? doc.Folded(doc.tokens[a.token_begin - 1]) : "";
      if (prev == "of" || prev == "by") continue;
      ev.side = Opposite(a.side);
      return;
    }
  }
  // "The bombardment", "the attack": the same happening as an event of the same kind
  // just before, and so the same side.
  if (trig.noun && begin > s.token_begin && IsFunctionWord(doc, begin - 1, "determiner")) {
    for (auto it = ctx.events.rbegin(); it != ctx.events.rend(); ++it) {
      if (it->sentence + kCorefSentences < sentence) break;
      if (FamilyOf(it->type) == FamilyOf(ev.type) && Known(it->side)) {
        ev.side = it->side;
        return;
      }
    }
  }
  if (subject != kNone) {
    ev.actor = subject;
    return;
  }
  // "Zelenskyy announced plans to distribute aid": with no other party named before
  // the trigger, the claimant who is the sentence's subject is the actor.
  if (!passive && (speaker == Side::kRU || speaker == Side::kUA) && claim != kNone) {
    const Source& src = doc.sources[doc.claims[claim].source];
    bool other_side = false;
    for (uint32_t j = s.token_begin; j < begin; ++j) {
      Side side = Side::kUnknown;
      if (SideWordAt(doc, j, begin, &side) > 0 && side != speaker &&
          !src.span.Contains(doc.tokens[j].span))
        other_side = true;
    }
    const bool subject_is_claimant =
        src.sentence == sentence
            ? src.token_begin <= s.token_begin + 1
            : s.token_begin < doc.tokens.size() && IsFunctionWord(doc, s.token_begin, "pronoun");
    if (subject_is_claimant && !other_side && !adjunct) {
      ev.side = speaker;
      return;
    }
  }
  // Territory changing hands in a country: a capture is by the side that does not
  // hold it, a recapture by the side that does.
  // ("Kherson was liberated": a passive's place is its subject, before it.)
  if (rule.place_prior != 0) {
    for (const Place& p : doc.places) {
      if (p.sentence != sentence || !p.reportable || p.as_actor || (p.token_begin < end && !passive))
        continue;
      const Side owner = p.country == "UA"   ? Side::kUA
                         : p.country == "RU" ? Side::kRU
                                             : Side::kUnknown;
      if (!Known(owner)) continue;
      ev.side = rule.place_prior == 1 ? Opposite(owner) : owner;
      return;
    }
  }
}

void EventFinder::LinkPlaces(Context& ctx, uint32_t sentence,
                             const std::vector<uint32_t>& trigger_starts,
                             std::vector<Event*>& events) const {
  Document& doc = ctx.doc;
  const Sentence& s = doc.sentences[sentence];
  if (events.empty()) return;
  // Who says it, and how they are described, is not where it happened:
  // "Serhiy Hayday, a top military commander in east Ukraine, said ...".
  std::vector<Span> attribution;
  if (const uint32_t c = ctx.claim_of[sentence]; c != kNone && doc.claims[c].source != kNone) {
    const Source& src = doc.sources[doc.claims[c].source];
    const Span cue = doc.claims[c].cue;
    if (src.sentence == sentence && !cue.empty()) {
      attribution.push_back(
          Span{std::min(src.span.begin, cue.begin), std::max(src.span.end, cue.end)});
    }
  }
  auto excluded = [&](const Place& p) {
    if (!p.reportable || p.as_actor) return true;
    for (const Span& a : attribution) {
      if (a.Contains(p.span)) return true;
    }
    // "Moscow's plan", "Ukraine's Armed Forces": a possessor, not a place of events.
    // But "Ukraine's border" is near Ukraine.
    if (p.token_end < s.token_end && (doc.tokens[p.token_end].flags & kTokApostropheS) &&
        !IsFunctionWord(doc, p.token_end + 1, "border_noun"))
      return true;
    // "told reporters in Brussels", "the summit in Madrid": where it was said.
    if (IsVenue(doc, s, p)) return true;
    // A state named where a subject stands ("Russia Preparing To Flee", "..., and
    // Ukraine claimed") acts; after a verb or a preposition it is a place
    // ("encircle Kyiv", "in Ukraine").
    bool subject_position = p.token_begin == s.token_begin;
    if (!subject_position) {
      const Token& prev = doc.tokens[p.token_begin - 1];
      const std::string_view w = doc.Folded(prev);
      subject_position = (IsPunct(prev) && w != "(") || w == "and" || w == "that" || w == "but" ||
                         IsFunctionWord(doc, p.token_begin - 1, "boundary");
      // "to Romania, Poland and Germany": after another place of a list, a place still.
      if ((w == "," || w == "and" || w == "or") && p.token_begin >= s.token_begin + 2) {
        const uint32_t before_list = p.token_begin - 1;
        const bool place_before = std::any_of(doc.places.begin(), doc.places.end(), [&](const Place& q) {
          return q.sentence == sentence && q.token_end == before_list;
        });
        if (place_before) subject_position = false;
      }
    }
    // "caught Russia off guard", "warned Ukraine": a country as the object of a verb
    // that is no trigger is a party, not a place.
    if (p.feature == PlaceFeature::kCountry && p.token_begin > s.token_begin) {
      const uint32_t v = p.token_begin - 1;
      const Token& prev = doc.tokens[v];
      const bool verb_like = (prev.flags & kTokWord) && !(prev.flags & kTokCapitalized) &&
                             !IsPreposition(doc, v) && !IsFunctionWord(doc, v, "determiner") &&
                             !IsFunctionWord(doc, v, "boundary") && !IsFunctionWord(doc, v, "be") &&
                             !IsFunctionWord(doc, v, "place_adjective") &&
                             doc.Folded(prev) != "and" && doc.Folded(prev) != "or";
      const bool trigger = std::any_of(events.begin(), events.end(), [&](const Event* ev) {
        return ev->trigger.Contains(prev.span);
      });
      // "the border with Ukraine": a preposition phrase ending at the place.
      bool prep_phrase = false;
      for (uint32_t back = 2; back <= 4 && p.token_begin >= s.token_begin + back && !prep_phrase; ++back) {
        const auto m = prepositions_->LongestAt(doc.tokens, p.token_begin - back, p.token_begin);
        prep_phrase = m.payloads != nullptr && m.end == p.token_begin;
      }
      if (verb_like && !trigger && !prep_phrase) return true;
    }
    for (const Actor& a : doc.actors) {
      if (a.sentence != sentence || !a.span.Overlaps(p.span)) continue;
      // A place inside a longer actor phrase ("Kyiv's forces").
      if (a.span.size() > p.span.size() || subject_position) return true;
    }
    for (const Source& src : doc.sources) {
      if (src.sentence == sentence && src.span.Contains(p.span) && src.span.size() > p.span.size())
        return true;
    }
    return false;
  };
  auto role_before = [&](uint32_t tok) {
    // "to neighboring Belarus": the preposition before the describing word.
    if (tok > s.token_begin + 1 && IsFunctionWord(doc, tok - 1, "place_adjective")) --tok;
    for (uint32_t back = 1; back <= 4 && tok >= s.token_begin + back; ++back) {
      const uint32_t j = tok - back;
      const auto m = prepositions_->LongestAt(doc.tokens, j, tok);
      if (m.payloads != nullptr && m.end == tok) {
        return ParseLocationRole(prepositions_->Get(m.payloads->front(), "role"))
            .value_or(LocationRole::kAt);
      }
      if (!(doc.tokens[j].flags & kTokWord) || (doc.tokens[j].flags & kTokCapitalized)) continue;
    }
    return LocationRole::kAt;
  };
  // A comma or a conjunction followed by an actor starts a new clause with its own
  // subject; places after it do not belong to a trigger before it.
  auto new_clause_between = [&](uint32_t from, uint32_t to) {
    bool comma = false;
    for (uint32_t t = from; t < to; ++t) {
      const std::string_view w = doc.Folded(doc.tokens[t]);
      if (IsFunctionWord(doc, t, "clause_opener")) return true;
      // "withdrawing from the border - the first sign from Moscow of ...": a dash and a
      // noun phrase comment on what came before (unless it names places: "- the town of").
      if ((w == "-" || w == "\u2013" || w == "\u2014") && t + 2 < to &&
          IsFunctionWord(doc, t + 1, "determiner") &&
          !HasClass(doc, *words_, t + 2, t + 3, "class", "place_noun", nullptr))
        return true;
      if (w != "," && w != "and" && w != "as") continue;
      comma |= w == ",";
      // ", which borders the Kursk region": a relative clause about something else.
      if (w == "," && t + 1 < to) {
        const std::string_view next = doc.Folded(doc.tokens[t + 1]);
        if (next == "which" || next == "who" || next == "where" || next == "whose") return true;
      }
      // A new subject right after: "..., the Russian forces have shifted" — a subject,
      // so a verb follows it (not "between Ukrainian and Russian forces near ...").
      uint32_t k = t + 1;
      while (k < to && IsFunctionWord(doc, k, "determiner")) ++k;
      for (const Actor& a : doc.actors) {
        if (a.sentence != sentence || a.token_begin != k ||
            (!a.military && a.kind != ActorKind::kState))
          continue;
        const uint32_t after = a.token_end;
        const bool verb =
            after < s.token_end &&
            (IsFunctionWord(doc, after, "adverb") || IsFunctionWord(doc, after, "be") ||
             triggers_->LongestAt(doc.tokens, after, s.token_end).payloads != nullptr);
        // "to Romania, Poland and Germany": an item of a list, not a new subject.
        const std::string_view next = after < s.token_end ? doc.Folded(doc.tokens[after]) : "";
        const bool list_item = next == "," || next == "and" || next == "or";
        if (verb || (w == "," && !list_item)) return true;
      }
    }
    // Far after the trigger, past a comma: another matter.
    return comma && to - from > kFarPlace;
  };

  std::vector<uint32_t> assigned(events.size(), 0);
  for (uint32_t pi = 0; pi < doc.places.size(); ++pi) {
    const Place& p = doc.places[pi];
    if (p.sentence != sentence || excluded(p)) continue;
    // The nearest trigger to the place's left in the same clause; a place before
    // every trigger belongs to the first one ("Mariupol continues to be besieged").
    size_t owner = events.size();
    for (size_t e = 0; e < events.size(); ++e) {
      if (trigger_starts[e] <= p.token_begin &&
          (owner == events.size() || trigger_starts[e] >= trigger_starts[owner]))
        owner = e;
    }
    if (owner < events.size() && new_clause_between(trigger_starts[owner], p.token_begin)) {
      // Not the left trigger's: perhaps the next one's, when no clause boundary
      // separates them ("In Kharkiv, Russian forces shelled ..."); else no event's.
      owner = events.size();
      for (size_t e = 0; e < events.size(); ++e) {
        if (trigger_starts[e] > p.token_begin &&
            (owner == events.size() || trigger_starts[e] < trigger_starts[owner]))
          owner = e;
      }
      if (owner < events.size() && new_clause_between(p.token_end, trigger_starts[owner])) continue;
    }
    if (owner == events.size()) {
      owner = 0;
      for (size_t e = 0; e < events.size(); ++e) {
        if (trigger_starts[e] < trigger_starts[owner]) owner = e;
      }
      if (trigger_starts[owner] < p.token_begin) continue;  // only a new clause lies after
      // "Ministers in Munich are to discuss ... if refugees flee": the trigger is in
      // another clause.
      bool other_clause = false;
      for (uint32_t t = p.token_end; t < trigger_starts[owner] && !other_clause; ++t)
        other_clause = IsFunctionWord(doc, t, "clause_opener");
      if (other_clause) continue;
    }
    LocationRole role = role_before(p.token_begin);
    // "to Romania, Poland and Germany": the list shares its head's role.
    if (p.token_begin >= s.token_begin + 2) {
      const std::string_view w = doc.Folded(doc.tokens[p.token_begin - 1]);
      if (w == "," || w == "and" || w == "or") {
        for (const EventLocation& l : events[owner]->locations) {
          if (doc.places[l.place].token_end == p.token_begin - 1) role = l.role;
        }
      }
    }
    if (!p.qualifier.empty() && role == LocationRole::kAt) role = LocationRole::kNear;
    if (p.token_end + 1 < s.token_end && (doc.tokens[p.token_end].flags & kTokApostropheS) &&
        IsFunctionWord(doc, p.token_end + 1, "border_noun"))
      role = LocationRole::kNear;
    if ((p.feature == PlaceFeature::kRegion || p.feature == PlaceFeature::kDistrict) &&
        role == LocationRole::kAt)
      role = LocationRole::kInRegion;
    // Events triggered by the same words share their places ("air and artillery strikes").
    for (size_t e = 0; e < events.size(); ++e) {
      if (trigger_starts[e] == trigger_starts[owner]) {
        events[e]->locations.push_back(EventLocation{pi, role});
        ++assigned[e];
      }
    }
  }
  // "the city", "the region": the place named last before, when the event has none.
  for (size_t e = 0; e < events.size(); ++e) {
    if (assigned[e] > 0) continue;
    for (uint32_t i = trigger_starts[e]; i < s.token_end; ++i) {
      const auto m = anaphora_->LongestAt(doc.tokens, i, s.token_end);
      if (m.payloads == nullptr) continue;
      const std::string_view feature = anaphora_->Get(m.payloads->front(), "feature");
      // The last place of the right kind before it — preferring one an earlier event
      // happened at (what the story is about) to one merely mentioned.
      auto fits = [&](const Place& p) {
        if (p.span.begin >= doc.tokens[i].span.begin || !p.reportable || p.as_actor) return false;
        const bool settlement = p.feature == PlaceFeature::kSettlement;
        const bool town = settlement && p.radius_km <= kTownRadiusKm;
        const bool region =
            p.feature == PlaceFeature::kRegion || p.feature == PlaceFeature::kDistrict;
        return (feature == "town" && town) || (feature == "settlement" && settlement) ||
               (feature == "region" && region) || (feature == "any" && (settlement || region));
      };
      uint32_t ref = kNone;
      for (const Event& prev : ctx.events) {
        for (const EventLocation& l : prev.locations) {
          if (!l.inferred && fits(doc.places[l.place]) &&
              (ref == kNone || doc.places[l.place].span.begin > doc.places[ref].span.begin))
            ref = l.place;
        }
      }
      for (uint32_t pi = 0; pi < doc.places.size() && ref == kNone; ++pi) {
        if (fits(doc.places[pi])) ref = pi;
      }
      if (ref == kNone) {
        for (uint32_t pi = 0; pi < doc.places.size(); ++pi) {
          if (fits(doc.places[pi])) ref = pi;
        }
      }
      if (ref != kNone) {
        events[e]->locations.push_back(EventLocation{ref, role_before(i)});
        ++assigned[e];
      }
      break;
    }
  }
  // An event with no place of its own happened where its neighbour in the sentence did
  // ("advanced into villages south of the city, ... losses from Ukrainian artillery").
  for (size_t e = 0; e < events.size(); ++e) {
    if (!events[e]->locations.empty()) continue;
    size_t best = events.size();
    uint32_t best_distance = UINT32_MAX;
    for (size_t o = 0; o < events.size(); ++o) {
      if (o == e || assigned[o] == 0) continue;
      const uint32_t d = trigger_starts[o] > trigger_starts[e]
                             ? trigger_starts[o] - trigger_starts[e]
                             : trigger_starts[e] - trigger_starts[o];
      if (d < best_distance) {
        best = o;
        best_distance = d;
      }
    }
    if (best < events.size()) events[e]->locations = events[best]->locations;
  }
  // A whole country is no place of an event when a more precise place is named.
  for (Event* ev : events) {
    const bool precise =
        std::any_of(ev->locations.begin(), ev->locations.end(), [&](const EventLocation& l) {
          return doc.places[l.place].feature != PlaceFeature::kCountry;
        });
    if (!precise) continue;
    std::erase_if(ev->locations, [&](const EventLocation& l) {
      return doc.places[l.place].feature == PlaceFeature::kCountry;
    });
  }
}

void EventFinder::SetTime(const Context& ctx, Event& ev) const {
  uint32_t mention = kNone;
  ev.time = ResolveEventTime(ctx.doc, ev.sentence, ev.trigger, &mention);
  // Background ("captured Kherson in March 2022" in a 2024 article) is less likely
  // to be the news the article reports.
  if (mention != kNone && ctx.doc.dates[mention].past_reference) ev.confidence *= 0.6f;
}

void EventFinder::SetStatus(const Context& ctx, Event& ev, uint32_t begin) const {
  const Document& doc = ctx.doc;
  if (const uint32_t c = ctx.claim_of[ev.sentence]; c != kNone) {
    const Claim& claim = doc.claims[c];
    const bool covered = claim.scope.empty() || claim.scope.Contains(ev.trigger.begin);
    if (covered && (claim.source != kNone || claim.status != Status::kAsserted))
      ev.status = claim.status;
    // A hedge in a sentence makes what it covers reported, even within a party's claim.
    if (!claim.hedge_scope.empty()) {
      if (claim.hedge_scope.Contains(ev.trigger.begin)) {
        ev.status = Status::kReported;
      } else if (claim.source == kNone) {
        ev.status = Status::kAsserted;
      }
    }
    if (covered && claim.source != kNone) {
      const Source& src = doc.sources[claim.source];
      EventSource out;
      out.span = src.span;
      out.text = std::string(doc.Text(src.span));
      out.name = src.name;
      out.kind = src.kind;
      out.side = src.side;
      for (uint32_t v : claim.via) out.via.push_back(doc.sources[v].name);
      ev.source = std::move(out);
    }
    if (claim.unverified) ev.status = Status::kUnverified;
    if (!claim.denied_scope.empty() && claim.denied_scope.Contains(ev.trigger.begin))
      ev.status = Status::kDenied;
  }
  // Modality and negation close before the trigger, in the same clause.
  bool expected = false, condition = false, negation = false;
  for (const Cue& cue : doc.cues) {
    if (cue.sentence != ev.sentence || cue.token_end > begin) continue;
    bool crosses = false;
    for (uint32_t t = cue.token_end; t < begin; ++t) {
      const std::string_view w = doc.Folded(doc.tokens[t]);
      crosses |= w == ";" || (w == "," && cue.kind == CueKind::kCondition);
    }
    if (crosses) continue;
    const bool near = begin - cue.token_end <= kModalWindow;
    switch (cue.kind) {
      case CueKind::kExpected:
        expected |= near;
        break;
      case CueKind::kCondition:
        condition = true;
        break;
      case CueKind::kNegation:
        negation |= near;
        break;
      default:
        break;
    }
  }
  // "a counter-offensive expected from Ukraine", "the planned evacuation", "an
  // impending assault": a noun the words around put in the future.
  {
    uint32_t end = begin;
    while (end < doc.tokens.size() && doc.tokens[end].span.begin < ev.trigger.end) ++end;
    const Sentence& s = doc.sentences[ev.sentence];
    if (end < s.token_end && IsFunctionWord(doc, end, "expected_after") &&
        !(end + 1 < s.token_end && IsFunctionWord(doc, end + 1, "determiner")))
      expected = true;
    if (begin > s.token_begin && IsFunctionWord(doc, begin - 1, "expected_after")) expected = true;
  }
  // "failed to reach the city with a convoy" is still an aid attempt (ontology).
  if (negation && type_rules_[static_cast<size_t>(ev.type)].negatable) ev.negated = true;
  if (expected) ev.status = Status::kExpected;
  if (condition) ev.status = Status::kHypothetical;
}

void EventFinder::FindInSentence(Context& ctx, uint32_t sentence) const {
  Document& doc = ctx.doc;
  const Sentence& s = doc.sentences[sentence];
  const auto matches = triggers_->trie().LongestMatches(doc.tokens, s.token_begin, s.token_end);
  std::vector<Event> found;
  std::vector<uint32_t> starts;
  for (const auto& m : matches) {
    // The row that fits the context: a noun or a verb by the word before, then the
    // first whose conditions hold.
    const uint32_t preferred = ChooseRow(doc, *m.payloads, m.begin);
    const Trigger* chosen = nullptr;
    if (NeedsMet(ctx, sentence, m.begin, m.end, compiled_[preferred]))
      chosen = &compiled_[preferred];
    for (uint32_t row : *m.payloads) {
      if (chosen != nullptr) break;
      if (row != preferred && compiled_[row].noun == compiled_[preferred].noun &&
          NeedsMet(ctx, sentence, m.begin, m.end, compiled_[row]))
        chosen = &compiled_[row];
    }
    if (chosen == nullptr) continue;
    const Trigger& trig = *chosen;
    const Span words{doc.tokens[m.begin].span.begin, doc.tokens[m.end - 1].span.end};
    if (!trig.noun && AdjectiveUse(doc, s, m.begin, m.end)) continue;
    if (InsideTally(doc, sentence, words)) continue;
    // "(MLRS)": an abbreviation glossing the words before it.
    if (m.begin > s.token_begin && m.end < s.token_end &&
        doc.Text(doc.tokens[m.begin - 1].span) == "(" && doc.Text(doc.tokens[m.end].span) == ")")
      continue;
    // "struck Odesa with missiles and drones": one strike per means in the list.
    std::vector<EventType> types;
    for (EventType base : trig.types) {
      const std::vector<EventType> means =
          base == EventType::kAttack ? WeaponList(doc, s, m.end) : std::vector<EventType>{};
      if (means.size() >= 2) {
        for (EventType t : means) types.push_back(t);
      } else {
        types.push_back(RefineType(ctx, sentence, m.begin, m.end, base, trig));
      }
    }
    for (EventType type : types) {
      Event ev;
      ev.type = type;
      ev.sentence = sentence;
      ev.evidence = s.span;
      ev.trigger = words;
      ev.confidence = trig.conf;
      ResolveSide(ctx, sentence, m.begin, m.end, trig, ev);
      SetStatus(ctx, ev, m.begin);
      SetTime(ctx, ev);
      found.push_back(std::move(ev));
      starts.push_back(m.begin);
    }
  }
  if (found.empty()) return;
  // Remote strikes of unknown side in a sentence with a sided one are the same attack
  // ("The bombardment ... utilizing guided air bombs").
  for (Event& ev : found) {
    if (Known(ev.side) || FamilyOf(ev.type) != EventFamily::kRemote) continue;
    for (const Event& other : found) {
      if (&other != &ev && Known(other.side) && FamilyOf(other.type) == EventFamily::kRemote &&
          other.type != EventType::kAirDefence) {
        ev.side = other.side;
        break;
      }
    }
  }
  std::vector<Event*> ptrs;
  for (Event& ev : found) ptrs.push_back(&ev);
  LinkPlaces(ctx, sentence, starts, ptrs);
  // Quantities go to the event whose trigger is nearest.
  for (uint32_t q = 0; q < doc.quantities.size(); ++q) {
    if (doc.quantities[q].sentence != sentence) continue;
    size_t best = 0;
    uint32_t best_distance = UINT32_MAX;
    for (size_t e = 0; e < found.size(); ++e) {
      const Span t = found[e].trigger;
      const Span n = doc.quantities[q].span;
      const uint32_t d = n.begin >= t.end   ? n.begin - t.end
                         : t.begin >= n.end ? t.begin - n.end
                                            : 0;
      if (d < best_distance) {
        best = e;
        best_distance = d;
      }
    }
    found[best].quantities.push_back(q);
  }
  // "destroyed six Ukrainian drones": a losses event counting only what flies is air
  // defence (data/lexicons/unit_types.tsv).
  for (Event& ev : found) {
    if (ev.type != EventType::kLosses || ev.quantities.empty()) continue;
    std::optional<EventType> as;
    for (uint32_t q : ev.quantities) {
      std::optional<EventType> t;
      for (const auto& [unit, type] : losses_by_unit_) {
        if (doc.quantities[q].unit == unit) t = type;
      }
      if (!t || (as && *as != *t)) {
        as.reset();
        break;
      }
      as = t;
    }
    if (as) ev.type = *as;
  }
  AddInterceptedStrikes(ctx, sentence, found, starts);
  // "four settlements in the Kharkiv region, two villages in the Luhansk region, and
  // three in the Donetsk region": a count per place makes one event per place.
  for (size_t e = 0; e < found.size(); ++e) {
    Event& ev = found[e];
    if (ev.locations.size() < 2 || ev.quantities.size() < 2) continue;
    std::vector<std::pair<EventLocation, uint32_t>> pairs;
    for (const EventLocation& l : ev.locations) {
      const Place& p = doc.places[l.place];
      uint32_t own = kNone;
      for (uint32_t q : ev.quantities) {
        const Quantity& qty = doc.quantities[q];
        const uint32_t qtok = doc.SentenceAt(qty.number.begin) == sentence ? qty.number.begin : 0;
        if (qtok < p.span.begin && p.span.begin - qtok < kCountBeforePlace * 8 &&
            std::none_of(pairs.begin(), pairs.end(),
                         [&](const auto& pr) { return pr.second == q; }))
          own = q;  // the last count before the place
      }
      if (own == kNone) break;
      pairs.emplace_back(l, own);
    }
    if (pairs.size() != ev.locations.size()) continue;
    Event base = ev;
    ev.locations = {pairs[0].first};
    ev.quantities = {pairs[0].second};
    for (size_t k = 1; k < pairs.size(); ++k) {
      Event split = base;
      split.locations = {pairs[k].first};
      split.quantities = {pairs[k].second};
      found.push_back(std::move(split));
      starts.push_back(starts[e]);
    }
  }
  for (size_t e = 0; e < found.size(); ++e) {
    Event& ev = found[e];
    if (!Known(ev.side)) ev.confidence *= 0.8f;
    if (ev.locations.empty()) ev.confidence *= 0.8f;
    if (ev.negated) ev.confidence *= 0.6f;
    const uint32_t b = starts[e];
    ctx.definite.push_back(b > s.token_begin && IsFunctionWord(doc, b - 1, "definite"));
    ctx.events.push_back(std::move(ev));
  }
}

void EventFinder::AddInterceptedStrikes(Context& ctx, uint32_t sentence, std::vector<Event>& found,
                                        std::vector<uint32_t>& starts) const {
  // "shot down 15 of 18 Shahed drones launched by Russia": the defender's air defence
  // and the attacker's strike are two events (ontology, air_defence). The strike is
  // typed by the weapon shot down (drones, missiles) and is the other side's unless
  // the weapon's own words say whose ("two Ukrainian missiles").
  const Document& doc = ctx.doc;
  const Sentence& s = doc.sentences[sentence];
  const size_t n = found.size();
  for (size_t e = 0; e < n; ++e) {
    const Event& ad = found[e];
    if (ad.type != EventType::kAirDefence || ad.negated || !Known(ad.side) || ad.side == Side::kOther)
      continue;
    uint32_t t_end = starts[e];
    while (t_end < s.token_end && doc.tokens[t_end].span.begin < ad.trigger.end) ++t_end;
    const uint32_t hi = std::min(s.token_end, t_end + kTargetWindow);
    for (uint32_t i = t_end; i < hi; ++i) {
      if (doc.Folded(doc.tokens[i]) == ";" || doc.Folded(doc.tokens[i]) == ",") break;
      const auto m = weapons_->LongestAt(doc.tokens, i, hi);
      if (m.payloads == nullptr) continue;
      const auto t = ParseEventType(weapons_->Get(m.payloads->front(), "type"));
      if (!t || (*t != EventType::kDroneStrike && *t != EventType::kMissileStrike)) break;
      Side attacker = Opposite(ad.side);
      for (uint32_t j = t_end; j < i; ++j) {
        Side side = Side::kUnknown;
        if (SideWordAt(doc, j, i, &side) > 0 && (side == Side::kRU || side == Side::kUA)) attacker = side;
      }
      const bool exists = std::any_of(found.begin(), found.end(), [&](const Event& o) {
        return o.type == *t && o.side == attacker;
      });
      if (exists || attacker == ad.side) break;
      Event strike = ad;
      strike.type = *t;
      strike.side = attacker;
      strike.actor = kNone;
      strike.trigger = Span{doc.tokens[i].span.begin, doc.tokens[m.end - 1].span.end};
      strike.quantities.clear();
      strike.confidence = ad.confidence * 0.8f;
      found.push_back(std::move(strike));
      starts.push_back(i);
      break;
    }
  }
}

void EventFinder::AddTallyLosses(Context& ctx) const {
  // A tally of killed troops or destroyed equipment is a losses event even when no
  // trigger word was found for it ("17,800 troops, 631 tanks ... so far").
  Document& doc = ctx.doc;
  for (uint32_t q = 0; q < doc.quantities.size(); ++q) {
    const Quantity& qty = doc.quantities[q];
    if (qty.sentence == kNone) continue;
    if (qty.what != "killed" && qty.what != "wounded" && qty.what != "destroyed") continue;
    bool covered = false;
    for (const Event& ev : ctx.events) {
      if (std::find(ev.quantities.begin(), ev.quantities.end(), q) != ev.quantities.end())
        covered = true;
    }
    if (covered) continue;
    Event ev;
    ev.type = EventType::kLosses;
    ev.sentence = qty.sentence;
    ev.evidence = doc.sentences[qty.sentence].span;
    ev.trigger = qty.span;
    ev.side = Opposite(qty.side);
    ev.quantities.push_back(q);
    ev.confidence = 0.5f;
    SetStatus(ctx, ev, doc.sentences[qty.sentence].token_begin);
    SetTime(ctx, ev);
    ctx.events.push_back(std::move(ev));
    ctx.definite.push_back(false);
  }
}

void EventFinder::ResolveByCoreference(Context& ctx) const {
  // Events are found in text order; earlier ones tell what later mentions refer to.
  for (size_t i = 0; i < ctx.events.size(); ++i) {
    Event& ev = ctx.events[i];
    // "the attack", "the strike": the specific strike named just before it.
    if (ctx.definite[i] && ev.type == EventType::kAttack) {
      for (size_t j = i; j-- > 0;) {
        const Event& prev = ctx.events[j];
        if (prev.sentence + kInheritBack < ev.sentence) break;
        if (FamilyOf(prev.type) != EventFamily::kRemote || prev.type == EventType::kAirDefence)
          continue;
        if (Known(ev.side) && prev.side != ev.side) continue;
        ev.type = prev.type;
        ev.side = prev.side;
        break;
      }
    }
    // A side the sentence does not give: the side of the last event of the same type
    // (the same story goes on). Fighting stays two-sided (ANNOTATION.md).
    if (Known(ev.side) || ev.type == EventType::kArmedClash ||
        type_rules_[static_cast<size_t>(ev.type)].no_side)
      continue;
    const uint32_t window = ctx.definite[i] ? UINT32_MAX : kInheritBack;
    for (size_t j = i; j-- > 0;) {
      const Event& prev = ctx.events[j];
      if (window != UINT32_MAX && prev.sentence + window < ev.sentence) break;
      if (prev.type == ev.type && Known(prev.side)) {
        ev.side = prev.side;
        break;
      }
    }
    // A headline tells what the story then tells in full.
    if (!Known(ev.side) && ctx.doc.sentences[ev.sentence].headline) {
      for (size_t j = i + 1; j < ctx.events.size(); ++j) {
        if (ctx.events[j].type == ev.type && Known(ctx.events[j].side)) {
          ev.side = ctx.events[j].side;
          break;
        }
      }
    }
  }
}

void EventFinder::InheritPlaces(Context& ctx) const {
  // A sentence that names no place usually goes on about the place just named
  // ("... incursion into the Kursk region. Troops advanced 35 km, capturing 82
  // settlements."): an unplaced event takes the places of the most specifically
  // placed event of the nearest sentence before it (a few back at most), or of the
  // next sentence when it is the headline.
  const Document& doc = ctx.doc;
  auto explicit_places = [&](const Event& ev) {
    return !ev.locations.empty() &&
           std::none_of(ev.locations.begin(), ev.locations.end(),
                        [](const EventLocation& l) { return l.inferred; }) &&
           std::any_of(ev.locations.begin(), ev.locations.end(), [&](const EventLocation& l) {
             return doc.places[l.place].feature != PlaceFeature::kCountry;
           });
  };
  auto precision = [&](const Event& ev) {
    float best = 1e9f;
    for (const EventLocation& l : ev.locations)
      best = std::min(best, doc.places[l.place].radius_km);
    return best;
  };
  const size_t n = ctx.events.size();
  std::vector<std::vector<EventLocation>> found(n);
  // Ukraine, where the war is, says no more than no place: look for a better one. (Any
  // other country does: "370,000 citizens have fled Russia".)
  auto country_only = [&](const Event& ev) {
    return !ev.locations.empty() &&
           std::all_of(ev.locations.begin(), ev.locations.end(), [&](const EventLocation& l) {
             const Place& p = doc.places[l.place];
             // ("at the border with Ukraine" says where: near Ukraine's edge.)
             return p.feature == PlaceFeature::kCountry && p.country == "UA" &&
                    l.role != LocationRole::kNear;
           });
  };
  for (size_t i = 0; i < n; ++i) {
    const Event& ev = ctx.events[i];
    if (!ev.locations.empty() && !country_only(ev)) continue;
    const Event* from = nullptr;
    uint32_t from_sentence = kNone;
    // A tally of settlements or of square kilometres covers an area: the region named
    // before, not a town.
    const bool area = std::any_of(ev.quantities.begin(), ev.quantities.end(), [&](uint32_t q) {
      return doc.quantities[q].unit == Unit::kSettlements || doc.quantities[q].unit == Unit::kKm2;
    });
    for (size_t k = 0; k < n; ++k) {
      const Event& other = ctx.events[k];
      if (!explicit_places(other) || other.sentence >= ev.sentence ||
          (!area && other.sentence + kInheritBack < ev.sentence))
        continue;
      if (area && precision(other) <= kSpecificRadiusKm) continue;
      if (from == nullptr || other.sentence > from_sentence ||
          (other.sentence == from_sentence && precision(other) < precision(*from))) {
        from = &other;
        from_sentence = other.sentence;
      }
    }
    if (from == nullptr && doc.sentences[ev.sentence].headline) {
      for (size_t k = 0; k < n; ++k) {
        const Event& other = ctx.events[k];
        if (explicit_places(other) && other.sentence > ev.sentence &&
            other.sentence <= ev.sentence + 2 &&
            (from == nullptr || other.sentence < from->sentence))
          from = &other;
      }
    }
    if (from == nullptr) continue;
    found[i] = from->locations;
  }
  // Failing that, the place the article is about: the one it names most often (twice at
  // least; of two as often, the one named first), at its first mention. "The drones wiped almost
  // everyone out" in a story about Vovchansk happened there, as far as the text says.
  uint32_t focus = kNone;
  {
    std::vector<std::pair<uint32_t, uint32_t>> counts;  // entry, mentions
    // (A venue is no mention: a story told from a conference in Munich is not about Munich.)
    for (const Place& p : doc.places) {
      if (!p.reportable || p.as_actor || p.entry == kNone || p.feature == PlaceFeature::kCountry ||
          IsVenue(doc, doc.sentences[p.sentence], p))
        continue;
      auto it = std::find_if(counts.begin(), counts.end(),
                             [&](const auto& c) { return c.first == p.entry; });
      if (it == counts.end()) {
        counts.emplace_back(p.entry, 1);
      } else {
        ++it->second;
      }
    }
    // Counted in order of first mention: of two named as often, the first (the lead's).
    uint32_t best = 0, best_entry = kNone;
    for (const auto& [entry, n] : counts) {
      if (n > best) {
        best = n;
        best_entry = entry;
      }
    }
    if (best >= kFocusMentions) {
      for (uint32_t k = 0; k < doc.places.size(); ++k) {
        const Place& p = doc.places[k];
        if (p.entry == best_entry && p.reportable && !p.as_actor) {
          focus = k;
          break;
        }
      }
    }
  }
  if (focus != kNone) {
    for (size_t i = 0; i < n; ++i) {
      const Event& ev = ctx.events[i];
      if (!found[i].empty() || (!ev.locations.empty() && !country_only(ev))) continue;
      EventLocation l;
      l.place = focus;
      l.role = LocationRole::kAt;
      found[i].push_back(l);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (found[i].empty()) continue;
    if (country_only(ctx.events[i])) ctx.events[i].locations.clear();
    for (EventLocation l : found[i]) {
      l.inferred = true;
      ctx.events[i].locations.push_back(l);
    }
    ctx.events[i].confidence *= 0.8f;
  }
}

void EventFinder::ApplyCrossSentenceClaims(Context& ctx) const {
  Document& doc = ctx.doc;
  if (ctx.events.empty()) return;
  const EventType lead = ctx.events.front().type;
  for (const Claim& claim : doc.claims) {
    const uint32_t s = claim.sentence;
    bool own = false;
    for (const Event& ev : ctx.events) own |= ev.sentence == s;
    const Side denier = claim.source != kNone ? doc.sources[claim.source].side : Side::kUnknown;
    if (claim.denies_previous && s > 0) {
      for (Event& ev : ctx.events) {
        if (ev.sentence == s - 1 && (!Known(denier) || ev.side != denier))
          ev.status = Status::kDenied;
      }
    }
    if (claim.unverified && !own) {
      // "This could not be verified", "... unable to verify the reports": what came
      // just before, and when it points at the reports, the article's lead claim.
      const Sentence& sent = doc.sentences[s];
      bool refers = false;
      for (uint32_t t = sent.token_begin; t < sent.token_end && !refers; ++t)
        refers = claim_references_->LongestAt(doc.tokens, t, sent.token_end).payloads != nullptr;
      for (Event& ev : ctx.events) {
        const bool previous = s > 0 && ev.sentence == s - 1;
        const bool lead_claim = refers && ev.type == lead && ev.status != Status::kExpected &&
                                ev.status != Status::kHypothetical && ev.status != Status::kDenied;
        if (previous || lead_claim) ev.status = Status::kUnverified;
      }
    }
  }
}

void EventFinder::Merge(Context& ctx) const {
  // One event per (type, side, place): reports of the same event at the same or an
  // enclosing place merge, keeping the best evidence and every place named.
  Document& doc = ctx.doc;
  // A report whose side the text leaves open is no evidence of a second event: it joins
  // a report of the same type at the same place whose side is known.
  auto same_kind = [](const Event& a, const Event& b) {
    return a.type == b.type && a.negated == b.negated &&
           (a.side == b.side || !Known(a.side) || !Known(b.side));
  };
  // A count of its own ("16 airstrikes", "82 settlements") makes a report distinct.
  auto counts_own = [&](const Event& ev) {
    return std::any_of(ev.quantities.begin(), ev.quantities.end(), [&](uint32_t q) {
      const Unit u = doc.quantities[q].unit;
      return u == Unit::kAttacks || u == Unit::kAirstrikes || u == Unit::kSettlements ||
             u == Unit::kKm2;
    });
  };
  auto placed = [](const Event& ev) {
    return std::any_of(ev.locations.begin(), ev.locations.end(),
                       [](const EventLocation& l) { return !l.inferred; });
  };
  // Two reports are of one event when their most specific places are near: the
  // settlements when both name one, else whatever they name.
  auto specific = [&](const Event& ev) {
    std::vector<const Place*> out;
    for (const EventLocation& l : ev.locations) {
      if (doc.places[l.place].radius_km <= kSpecificRadiusKm) out.push_back(&doc.places[l.place]);
    }
    if (out.empty()) {
      for (const EventLocation& l : ev.locations) out.push_back(&doc.places[l.place]);
    }
    return out;
  };
  auto near = [&](const Event& a, const Event& b) {
    const auto sa = specific(a);
    const auto sb = specific(b);
    // One names only an area: the other's places inside it are its.
    const bool a_area = sa.front()->radius_km > kSpecificRadiusKm;
    const bool b_area = sb.front()->radius_km > kSpecificRadiusKm;
    if (a_area != b_area) {
      for (const Place* area : a_area ? sa : sb) {
        for (const Place* spot : a_area ? sb : sa) {
          if (DistanceKm(area->lat, area->lon, spot->lat, spot->lon) <= area->radius_km)
            return true;
        }
      }
      return false;
    }
    for (const Place* ppa : sa) {
      for (const Place* ppb : sb) {
        const Place& pa = *ppa;
        const Place& pb = *ppb;
        if (pa.entry != kNone && pa.entry == pb.entry) return true;
        const double d = DistanceKm(pa.lat, pa.lon, pb.lat, pb.lon);
        // Two different villages are two places, however close; a village and the area
        // around it may be one.
        const bool two_settlements =
            pa.feature == PlaceFeature::kSettlement && pb.feature == PlaceFeature::kSettlement;
        if (d <= std::min(pa.radius_km, pb.radius_km) + (two_settlements ? 0 : kMergeSlackKm))
          return true;
      }
    }
    return false;
  };
  auto compatible = [&](const Event& a, const Event& b) {
    // A generic attack with no place of its own retells a strike of the same side
    // ("the attack", "the warship had been hit").
    // ... and one of no known side, with no place of its own, retells whichever strike
    // the article is about ("multiple direct hits to the hull").
    if (a.negated == b.negated && a.type != b.type) {
      const bool a_loose = a.type == EventType::kAttack && !Known(a.side) && !placed(a);
      const bool b_loose = b.type == EventType::kAttack && !Known(b.side) && !placed(b);
      if ((a_loose && FamilyOf(b.type) == EventFamily::kRemote &&
           b.type != EventType::kAirDefence) ||
          (b_loose && FamilyOf(a.type) == EventFamily::kRemote && a.type != EventType::kAirDefence))
        return true;
    }
    if (a.side == b.side && a.negated == b.negated && Known(a.side)) {
      const bool same_sentence = a.sentence == b.sentence;
      const bool a_generic = a.type == EventType::kAttack && (!placed(a) || same_sentence);
      const bool b_generic = b.type == EventType::kAttack && (!placed(b) || same_sentence);
      if ((a_generic && FamilyOf(b.type) == EventFamily::kRemote &&
           b.type != EventType::kAirDefence) ||
          (b_generic && FamilyOf(a.type) == EventFamily::kRemote &&
           a.type != EventType::kAirDefence))
        return true;
    }
    if (!same_kind(a, b)) return false;
    if (counts_own(a) && counts_own(b)) return false;
    if (a.sentence == b.sentence) return true;
    // The headline retells the story.
    if (doc.sentences[a.sentence].headline || doc.sentences[b.sentence].headline) return true;
    if (a.locations.empty() || b.locations.empty()) {
      const Event& bare = a.locations.empty() ? a : b;
      return !counts_own(bare) || (a.locations.empty() && b.locations.empty());
    }
    if ((!placed(a) && counts_own(a)) || (!placed(b) && counts_own(b))) return false;
    return near(a, b);
  };
  // Located events first, so that a bare mention finds its located twin.
  std::vector<size_t> order(ctx.events.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return !ctx.events[a].locations.empty() && ctx.events[b].locations.empty();
  });
  std::vector<Event> merged;
  for (size_t idx : order) {
    Event& ev = ctx.events[idx];
    Event* into = nullptr;
    for (Event& m : merged) {
      if (compatible(m, ev)) {
        into = &m;
        break;
      }
    }
    if (into == nullptr) {
      merged.push_back(std::move(ev));
      continue;
    }
    // Keep the lead report as the evidence: a body sentence rather than the headline,
    // and the first the article gives; gather the places and quantities of both.
    const bool ev_head = doc.sentences[ev.sentence].headline;
    const bool into_head = doc.sentences[into->sentence].headline;
    // Among body reports, the one that names the place itself says what happened where.
    auto own_place = [](const Event& e) {
      return std::any_of(e.locations.begin(), e.locations.end(),
                         [](const EventLocation& l) { return !l.inferred; });
    };
    const bool ev_placed = own_place(ev), into_placed = own_place(*into);
    const bool better = ev_head != into_head       ? into_head
                        : ev_placed != into_placed ? ev_placed
                                                   : ev.sentence < into->sentence;
    Event& keep = *into;
    std::vector<EventLocation> locations = keep.locations;
    std::vector<uint32_t> quantities = keep.quantities;
    for (const EventLocation& l : ev.locations) {
      auto dup = std::find_if(locations.begin(), locations.end(), [&](const EventLocation& x) {
        return doc.places[x.place].entry == doc.places[l.place].entry &&
               doc.Text(doc.places[x.place].span) == doc.Text(doc.places[l.place].span);
      });
      if (dup == locations.end()) {
        locations.push_back(l);
      } else if (!l.inferred) {
        *dup = l;  // named in a sentence of its own beats taken from the passage
      }
    }
    for (uint32_t q : ev.quantities) {
      if (std::find(quantities.begin(), quantities.end(), q) == quantities.end())
        quantities.push_back(q);
    }
    const bool generic_into_specific =
        ev.type == EventType::kAttack && keep.type != EventType::kAttack;
    const Side kept_side = Known(keep.side) ? keep.side : ev.side;
    const bool specific_into_generic =
        keep.type == EventType::kAttack && ev.type != EventType::kAttack;
    if ((better && !generic_into_specific) || specific_into_generic) keep = std::move(ev);
    keep.locations = std::move(locations);
    keep.quantities = std::move(quantities);
    if (!Known(keep.side)) keep.side = kept_side;
  }
  ctx.events = std::move(merged);
}

void EventFinder::DropVagueIrrealis(Context& ctx) const {
  // What did not happen, or may happen, is worth a record only when it is specific: a
  // known side and a place named in its own sentence ("Russian forces failed to capture
  // Vuhledar"; for civilians, the place: "plans to evacuate 11,000 residents from
  // Kupiansk"). "Before launching a
  // counteroffensive", "to avoid encirclement" are talk, not events.
  std::erase_if(ctx.events, [&](const Event& ev) {
    const bool irrealis = ev.negated || ev.status == Status::kExpected || ev.status == Status::kHypothetical;
    if (!irrealis) return false;
    const bool placed = std::any_of(ev.locations.begin(), ev.locations.end(),
                                    [](const EventLocation& l) { return !l.inferred; });
    // Who evacuates or brings aid matters less than where: a plan to move civilians
    // needs only its place.
    const bool civilians = FamilyOf(ev.type) == EventFamily::kCivilians;
    return !placed || (!Known(ev.side) && !civilians);
  });
}

void EventFinder::DebugPrint(const Context& ctx, const char* when) const {
  const Document& doc = ctx.doc;
  std::fprintf(stderr, "== %s: %s\n", doc.doc_id.c_str(), when);
  for (const Event& ev : ctx.events) {
    std::fprintf(stderr, "  s%u %s %s «%.*s» @", ev.sentence,
                 std::string(sitrep::Name(ev.type)).c_str(),
                 std::string(sitrep::Name(ev.side)).c_str(), static_cast<int>(ev.trigger.size()),
                 doc.text.data() + ev.trigger.begin);
    for (const EventLocation& l : ev.locations)
      std::fprintf(stderr, "%s%s,", doc.places[l.place].name.c_str(), l.inferred ? "(inf)" : "");
    std::fprintf(stderr, " conf=%.2f%s\n", ev.confidence, ev.negated ? " NEG" : "");
  }
}

Result EventFinder::Process(Document& doc) const {
  doc.events.clear();
  Context ctx(doc);
  ctx.events.reserve(64);
  ctx.claim_of.assign(doc.sentences.size(), kNone);
  for (uint32_t c = 0; c < doc.claims.size(); ++c) {
    if (doc.claims[c].sentence < ctx.claim_of.size()) ctx.claim_of[doc.claims[c].sentence] = c;
  }
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) FindInSentence(ctx, s);
  ResolveByCoreference(ctx);
  AddTallyLosses(ctx);
  InheritPlaces(ctx);
  ApplyCrossSentenceClaims(ctx);
  if (debug_) DebugPrint(ctx, "before dropping vague irrealis");
  DropVagueIrrealis(ctx);
  if (debug_) DebugPrint(ctx, "before merge");
  Merge(ctx);
  if (debug_) DebugPrint(ctx, "after merge");
  std::stable_sort(ctx.events.begin(), ctx.events.end(), [](const Event& a, const Event& b) {
    return a.trigger.begin < b.trigger.begin;
  });
  doc.events = std::move(ctx.events);
  return Result::Ok();
}

}  // namespace sitrep
