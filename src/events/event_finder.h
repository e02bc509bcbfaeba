// Events: typed events found from trigger lexicons, with their arguments linked
// inside the sentence — the actor and its side (subject, "by X", a side word before
// a noun, or the other party when only the target or the victims are named), the
// places with their roles, the time, the quantities — and their status from the
// attribution stage and the modality cues around the trigger. One event per (type,
// side, place) per document, keeping the best evidence.
// Reads: tokens, sentences, places, dates, actors, sources, quantities, cues, claims.
// Writes: doc.events.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/side_words.h"
#include "base/lexicon.h"
#include "doc/stage.h"

namespace sitrep {

class EventFinder final : public Stage {
 public:
  // Loads data/lexicons/{triggers,weapons,event_types,event_words,prepositions,
  // anaphora,side_words,function_words,claim_references,unit_types}.tsv.
  static std::unique_ptr<EventFinder> Load(const std::string& data_dir, std::string* error);
  ~EventFinder() override;

  std::string_view Name() const override { return "events"; }
  Result Process(Document& doc) const override;

  struct Trigger;  // a trigger lexicon row, compiled

 private:
  struct Context;  // per-document working state
  EventFinder() = default;

  void FindInSentence(Context& ctx, uint32_t sentence) const;
  // The trigger row for a match whose words are both a verb and a noun entry.
  uint32_t ChooseRow(const Document& doc, const std::vector<uint32_t>& rows, uint32_t begin) const;
  // True when a verb trigger is used as an adjective ("the withdrawn forces").
  bool AdjectiveUse(const Document& doc, const Sentence& s, uint32_t begin, uint32_t end) const;
  // Whether a place is named as where something was said or sits (venues.tsv).
  bool IsVenue(const Document& doc, const Sentence& s, const Place& p) const;
  // True when the words sit inside a tally of equipment or people ("143 attack jets").
  bool InsideTally(const Document& doc, uint32_t sentence, Span words) const;
  bool NeedsMet(const Context& ctx, uint32_t sentence, uint32_t begin, uint32_t end,
                const Trigger& trig) const;
  EventType RefineType(const Context& ctx, uint32_t sentence, uint32_t begin, uint32_t end,
                       EventType type, const Trigger& trig) const;
  // The side of the party named last before token `at` in the sentence (an actor, or a
  // country), for "their"/"its"; kUnknown when none.
  Side LastPartyBefore(const Document& doc, uint32_t sentence, uint32_t at) const;
  // Drops negated, expected and hypothetical events with no known side or no place of
  // their own.
  void DropVagueIrrealis(Context& ctx) const;
  // For each air-defence event of the sentence, the attacker's drone or missile strike.
  void AddInterceptedStrikes(Context& ctx, uint32_t sentence, std::vector<Event>& found,
                             std::vector<uint32_t>& starts) const;
  // The remote types of a list of means after the trigger ("with missiles and drones").
  std::vector<EventType> WeaponList(const Document& doc, const Sentence& s, uint32_t end) const;
  void ResolveSide(Context& ctx, uint32_t sentence, uint32_t begin, uint32_t end,
                   const Trigger& trig, Event& ev) const;
  void LinkPlaces(Context& ctx, uint32_t sentence, const std::vector<uint32_t>& trigger_starts,
                  std::vector<Event*>& events) const;
  void SetTime(const Context& ctx, Event& ev) const;
  void SetStatus(const Context& ctx, Event& ev, uint32_t begin) const;
  void AddTallyLosses(Context& ctx) const;
  void InheritPlaces(Context& ctx) const;
  void ResolveByCoreference(Context& ctx) const;
  void DebugPrint(const Context& ctx, const char* when) const;
  void ApplyCrossSentenceClaims(Context& ctx) const;
  void Merge(Context& ctx) const;

  bool HasClass(const Document& doc, const Lexicon& lex, uint32_t at, uint32_t limit,
                std::string_view column, std::string_view cls, uint32_t* end) const;
  bool WordClassIn(const Document& doc, uint32_t begin, uint32_t end, std::string_view cls) const;
  bool IsFunctionWord(const Document& doc, uint32_t i, std::string_view cls) const;
  bool IsPreposition(const Document& doc, uint32_t i) const;
  int SideWordAt(const Document& doc, uint32_t i, uint32_t limit, Side* side) const;

  std::optional<Lexicon> triggers_;
  std::optional<Lexicon> weapons_;
  std::optional<Lexicon> words_;
  std::optional<Lexicon> prepositions_;
  std::optional<Lexicon> anaphora_;
  std::optional<Lexicon> venues_;  // words before a place that make it a venue
  std::optional<SideWords> side_words_;
  std::optional<Lexicon> function_words_;
  std::optional<Lexicon> claim_references_;
  std::vector<Trigger> compiled_;
  struct TypeRule {
    bool passive_mover = false;
    int place_prior = 0;     // 0 none, 1 other, 2 own
    bool negatable = true;   // "failed to" unmakes it
    bool no_side = false;    // the type has no one side (a prisoner swap)
  };
  std::vector<TypeRule> type_rules_;  // by EventType
  std::vector<std::pair<Unit, EventType>> losses_by_unit_;  // unit_types.tsv
  bool debug_ = false;
};

}  // namespace sitrep
