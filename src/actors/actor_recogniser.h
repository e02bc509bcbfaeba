// Actors and sources: who acts in the war (forces, states, groups, with a side) and
// who can be quoted (ministries, general staffs, officials, outlets, anonymous
// officers). Named ones come from lexicons; others are composed from a side word and
// a force noun ("Russian battalion tactical groups") or a side word and a role
// ("a Ukrainian colonel").
// Reads: doc.tokens, doc.sentences. Writes: doc.actors, doc.sources.
#pragma once

#include <memory>
#include <string>

#include "actors/side_words.h"
#include "base/lexicon.h"
#include "doc/stage.h"

namespace sitrep {

class ActorRecogniser final : public Stage {
 public:
  // Loads data/lexicons/{actors,side_words,force_nouns,sources,roles,anonymity,cues,
  // function_words}.tsv.
  static std::unique_ptr<ActorRecogniser> Load(const std::string& data_dir, std::string* error);

  std::string_view Name() const override { return "actors"; }
  Result Process(Document& doc) const override;

  // The side word (Russian, Kyiv's, pro-Russian ...) at token i: its side and length
  // in tokens (0 when none). Shared with the event finder.
  int SideWordAt(const Document& doc, uint32_t i, uint32_t limit, Side* side) const;

 private:
  ActorRecogniser() = default;
  void FindActors(Document& doc, const Sentence& s) const;
  void FindSources(Document& doc, const Sentence& s) const;
  // True when token i can stand inside a noun phrase before its head noun.
  bool NounModifier(const Document& doc, uint32_t i) const;

  std::optional<Lexicon> actors_;
  std::optional<SideWords> side_words_;
  std::optional<Lexicon> force_nouns_;
  std::optional<Lexicon> sources_;
  std::optional<Lexicon> roles_;
  std::optional<Lexicon> anonymity_;
  std::optional<Lexicon> determiners_;  // function_words.tsv, class definite
  std::optional<Lexicon> stop_words_;   // function_words.tsv, the other classes
  std::optional<Lexicon> modifiers_;    // function_words.tsv, class modifier
  std::optional<Lexicon> cues_;
  std::optional<Lexicon> prepositions_;  // prepositions.tsv: a preposition ends it too
};

}  // namespace sitrep
