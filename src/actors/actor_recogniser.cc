#include "actors/actor_recogniser.h"

#include "base/tsv.h"

namespace sitrep {
namespace {

// How far a force noun or a role may sit from its side word ("Russian battalion
// tactical groups", "Ukrainian special operations and conventional forces").
constexpr uint32_t kMaxModifierGap = 4;
constexpr uint32_t kMaxNameTokens = 3;  // "Andriy Demchenko", "Jens Laerke"
// How many sentences back "the troops" may find the force it refers to.
constexpr uint32_t kCorefSentences = 3;

bool ParseYes(std::string_view v) { return v == "yes" || v == "true" || v == "1"; }

ActorKind ParseActorKind(std::string_view v) {
  if (v == "state") return ActorKind::kState;
  if (v == "official") return ActorKind::kOfficial;
  if (v == "person") return ActorKind::kPerson;
  if (v == "group") return ActorKind::kGroup;
  if (v == "media") return ActorKind::kMedia;
  if (v == "organisation") return ActorKind::kOrganisation;
  return ActorKind::kForce;
}

std::string SideAdjective(Side side) {
  switch (side) {
    case Side::kRU:
      return "Russian";
    case Side::kUA:
      return "Ukrainian";
    case Side::kOther:
      return "foreign";
    case Side::kUnknown:
      break;
  }
  return "unidentified";
}

}  // namespace

std::unique_ptr<ActorRecogniser> ActorRecogniser::Load(const std::string& data_dir,
                                                       std::string* error) {
  std::unique_ptr<ActorRecogniser> r(new ActorRecogniser());
  if (!(r->actors_ = Lexicon::Load(data_dir, "lexicons/actors.tsv", error))) return nullptr;
  if (!(r->side_words_ = SideWords::Load(data_dir, error))) return nullptr;
  if (!(r->force_nouns_ = Lexicon::Load(data_dir, "lexicons/force_nouns.tsv", error))) return nullptr;
  if (!(r->sources_ = Lexicon::Load(data_dir, "lexicons/sources.tsv", error))) return nullptr;
  if (!(r->roles_ = Lexicon::Load(data_dir, "lexicons/roles.tsv", error))) return nullptr;
  if (!(r->anonymity_ = Lexicon::Load(data_dir, "lexicons/anonymity.tsv", error))) return nullptr;
  if (!(r->cues_ = Lexicon::Load(data_dir, "lexicons/cues.tsv", error))) return nullptr;
  if (!(r->prepositions_ = Lexicon::Load(data_dir, "lexicons/prepositions.tsv", error))) return nullptr;
  // Function words split into the two sets the noun phrase rules need.
  auto words = TsvTable::Load(data_dir + "/lexicons/function_words.tsv", error);
  if (!words) return nullptr;
  TsvTable determiners = *words, stops = *words, modifiers = *words;
  determiners.Filter([&](const TsvTable::Row& row) { return words->Get(row, "class") == "definite"; });
  modifiers.Filter([&](const TsvTable::Row& row) { return words->Get(row, "class") == "modifier"; });
  stops.Filter([&](const TsvTable::Row& row) {
    const std::string_view cls = words->Get(row, "class");
    return cls != "determiner" && cls != "modifier" && cls != "definite";
  });
  if (!(r->determiners_ = Lexicon::FromTable(std::move(determiners), error))) return nullptr;
  if (!(r->modifiers_ = Lexicon::FromTable(std::move(modifiers), error))) return nullptr;
  if (!(r->stop_words_ = Lexicon::FromTable(std::move(stops), error))) return nullptr;
  return r;
}

int ActorRecogniser::SideWordAt(const Document& doc, uint32_t i, uint32_t limit,
                                Side* side) const {
  return side_words_->At(doc, i, limit, side);
}

bool ActorRecogniser::NounModifier(const Document& doc, uint32_t i) const {
  const Token& tok = doc.tokens[i];
  if (!(tok.flags & (kTokWord | kTokNumber))) return false;
  if (stop_words_->LongestAt(doc.tokens, i, i + 1).payloads != nullptr) return false;
  // "Ukrainian officials said Russian forces": a reporting verb ends the phrase.
  if (cues_->LongestAt(doc.tokens, i, i + 1).payloads != nullptr) return false;
  // "Wagner lost thousands of fighters": a lower-case preposition ends it too.
  if (!(tok.flags & kTokCapitalized) && prepositions_->LongestAt(doc.tokens, i, i + 1).payloads != nullptr)
    return false;
  if (modifiers_->LongestAt(doc.tokens, i, i + 1).payloads != nullptr) return true;
  // A lower-case past tense or participle is a verb here ("fortifications and have
  // fired artillery", "Ukraine used Storm Shadow missiles").
  const std::string_view w = doc.Folded(tok);
  return (tok.flags & kTokCapitalized) || !(w.size() >= 4 && w.ends_with("ed"));
}

void ActorRecogniser::FindActors(Document& doc, const Sentence& s) const {
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    Actor best;
    uint32_t best_end = i;
    // A named actor from the table.
    if (const auto m = actors_->LongestAt(doc.tokens, i, s.token_end); m.payloads != nullptr) {
      const uint32_t row = m.payloads->front();
      best.side = ParseSide(actors_->Get(row, "side")).value_or(Side::kUnknown);
      best.kind = ParseActorKind(actors_->Get(row, "kind"));
      best.military = ParseYes(actors_->Get(row, "military"));
      best.name = std::string(actors_->Get(row, "name"));
      best.enemy_of_speaker = actors_->Get(row, "relative") == "opposite_of_source";
      best_end = m.end;
    }
    // A side word and a force noun: "Russian battalion tactical groups"; or a
    // determiner and a force noun, whose side earlier mentions tell: "the troops".
    Side side = Side::kUnknown;
    int len = SideWordAt(doc, i, s.token_end, &side);
    // "the Armed Forces of Ukraine" is named, not anaphoric: let the name start after "the".
    const bool named_next = i + 1 < s.token_end &&
                            actors_->LongestAt(doc.tokens, i + 1, s.token_end).payloads != nullptr;
    const bool anaphoric = len == 0 && !named_next &&
                           determiners_->LongestAt(doc.tokens, i, i + 1).payloads != nullptr;
    if (anaphoric) len = 1;
    if (len > 0) {
      const uint32_t from = i + static_cast<uint32_t>(len);
      for (uint32_t j = from; j < s.token_end && j <= from + kMaxModifierGap; ++j) {
        const Token& tok = doc.tokens[j];
        if (tok.flags & kTokApostropheS) continue;
        const auto m = force_nouns_->LongestAt(doc.tokens, j, s.token_end);
        if (m.payloads != nullptr) {
          if (m.end > best_end) {
            best.side = side;
            best.kind = ActorKind::kForce;
            best.military = true;
            best.anaphoric = anaphoric;
            best.weapon = ParseYes(force_nouns_->Get(m.payloads->front(), "weapon"));
            best.name = anaphoric ? std::string(doc.Text(Span{tok.span.begin, doc.tokens[m.end - 1].span.end}))
                                  : SideAdjective(side) + " forces";
            best_end = m.end;
          }
          break;
        }
        // Only modifiers may stand between: no punctuation, no verbs, no function words;
        // and a side word after "the" starts a phrase of its own ("the Russian forces").
        if (!NounModifier(doc, j)) break;
        Side inner = Side::kUnknown;
        if (SideWordAt(doc, j, s.token_end, &inner) > 0) break;
      }
    }
    if (best_end == i) continue;
    best.token_begin = i;
    best.token_end = best_end;
    best.span = Span{doc.tokens[i].span.begin, doc.tokens[best_end - 1].span.end};
    best.sentence = static_cast<uint32_t>(&s - doc.sentences.data());
    doc.actors.push_back(std::move(best));
    i = best_end - 1;
  }
}

void ActorRecogniser::FindSources(Document& doc, const Sentence& s) const {
  const auto sentence = static_cast<uint32_t>(&s - doc.sentences.data());
  bool anonymous_cue = false;
  for (uint32_t i = s.token_begin; i < s.token_end && !anonymous_cue; ++i) {
    anonymous_cue = anonymity_->LongestAt(doc.tokens, i, s.token_end).payloads != nullptr;
  }
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    Source src;
    uint32_t begin = i;
    uint32_t end = i;
    if (const auto m = sources_->LongestAt(doc.tokens, i, s.token_end); m.payloads != nullptr) {
      const uint32_t row = m.payloads->front();
      src.name = std::string(sources_->Get(row, "name"));
      src.kind = ParseSourceKind(sources_->Get(row, "kind")).value_or(SourceKind::kUnknown);
      src.side = ParseSide(sources_->Get(row, "side")).value_or(Side::kUnknown);
      end = m.end;
    } else if (const auto r = roles_->LongestAt(doc.tokens, i, s.token_end); r.payloads != nullptr) {
      const uint32_t row = r.payloads->front();
      src.kind = ParseSourceKind(roles_->Get(row, "kind")).value_or(SourceKind::kUnknown);
      src.anonymous = ParseYes(roles_->Get(row, "anonymous"));
      src.generic = src.kind == SourceKind::kAnonymous;
      end = r.end;
      // A side word shortly before the role gives its side: "a Russian officer".
      const uint32_t lookback = i >= s.token_begin + kMaxModifierGap ? i - kMaxModifierGap : s.token_begin;
      for (uint32_t j = i; j-- > lookback;) {
        if (doc.tokens[j].flags & kTokPunct) break;
        Side side = Side::kUnknown;
        if (SideWordAt(doc, j, i, &side) > 0) {
          src.side = side;
          begin = j;
          break;
        }
      }
      // Articles and quantifiers belong to the description: "a", "one", "some".
      if (begin > s.token_begin) {
        const std::string_view prev = doc.Folded(doc.tokens[begin - 1]);
        if (prev == "a" || prev == "an" || prev == "one" || prev == "some" || prev == "the")
          --begin;
      }
      src.name = std::string(doc.Text(Span{doc.tokens[begin].span.begin,
                                           doc.tokens[end - 1].span.end}));
      // A title before a name names the person: "Colonel Andriy Demchenko".
      uint32_t name_end = end;
      while (name_end < s.token_end && name_end - end < kMaxNameTokens &&
             (doc.tokens[name_end].flags & kTokCapitalized) && !(doc.tokens[name_end].flags & kTokAllCaps) &&
             (doc.tokens[name_end].flags & kTokWord))
        ++name_end;
      if (name_end - end >= 2) {
        src.name = std::string(doc.Text(Span{doc.tokens[end].span.begin, doc.tokens[name_end - 1].span.end}));
        src.anonymous = false;
        if (src.kind == SourceKind::kAnonymous || src.kind == SourceKind::kUnknown) src.kind = SourceKind::kPerson;
        end = name_end;
      }
    } else {
      continue;
    }
    if (anonymous_cue && (src.kind == SourceKind::kMilitary || src.kind == SourceKind::kOfficial ||
                          src.kind == SourceKind::kPerson || src.kind == SourceKind::kAnonymous)) {
      src.anonymous = true;
    }
    if (src.anonymous) src.kind = SourceKind::kAnonymous;
    src.token_begin = begin;
    src.token_end = end;
    src.span = Span{doc.tokens[begin].span.begin, doc.tokens[end - 1].span.end};
    src.sentence = sentence;
    doc.sources.push_back(std::move(src));
    i = end - 1;
  }
}

Result ActorRecogniser::Process(Document& doc) const {
  doc.actors.clear();
  doc.sources.clear();
  for (const Sentence& s : doc.sentences) {
    FindActors(doc, s);
    FindSources(doc, s);
  }
  // "the troops", "its forces": the side of the last force named with one, a few
  // sentences back at most.
  for (size_t i = 0; i < doc.actors.size(); ++i) {
    Actor& a = doc.actors[i];
    if (!a.anaphoric) continue;
    for (size_t j = i; j-- > 0;) {
      const Actor& prev = doc.actors[j];
      if (prev.sentence + kCorefSentences < a.sentence) break;
      if (prev.anaphoric || prev.side == Side::kUnknown || prev.side == Side::kOther) continue;
      if (!prev.military && prev.kind != ActorKind::kState) continue;
      a.side = prev.side;
      a.name = SideAdjective(prev.side) + " forces";
      break;
    }
  }
  return Result::Ok();
}

}  // namespace sitrep
