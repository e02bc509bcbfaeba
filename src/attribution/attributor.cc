#include "attribution/attributor.h"

#include <algorithm>

namespace sitrep {
namespace {

constexpr uint32_t kMaxAdverbs = 3;       // "the ministry has also previously said"
constexpr uint32_t kMaxAppositive = 30;   // tokens between the commas of an appositive
constexpr uint32_t kMaxPersonTokens = 4;  // "Oleksandr Syrskyi", "Jens Laerke"
constexpr uint32_t kPersonContext = 6;    // tokens before a name that may give its side
constexpr uint32_t kMaxLeadTokens = 6;    // "Russian state media: ...", "UK Defence Ministry: ..."
constexpr uint32_t kMinLeadClaimWords = 3;   // words after the colon that make a claim
constexpr uint32_t kSentenceFinalWords = 4;  // "..., the ministry said on Thursday."

std::optional<CueKind> ParseCue(std::string_view v) {
  if (v == "say") return CueKind::kSay;
  if (v == "according") return CueKind::kAccording;
  if (v == "reportedly") return CueKind::kReportedly;
  if (v == "unverified") return CueKind::kUnverified;
  if (v == "deny") return CueKind::kDeny;
  if (v == "expected") return CueKind::kExpected;
  if (v == "condition") return CueKind::kCondition;
  if (v == "negation") return CueKind::kNegation;
  if (v == "attempt") return CueKind::kAttempt;
  return std::nullopt;
}

SourceKind KindOfActor(ActorKind k) {
  switch (k) {
    case ActorKind::kForce:
      return SourceKind::kMilitary;
    case ActorKind::kState:
      return SourceKind::kGovernment;
    case ActorKind::kOfficial:
      return SourceKind::kOfficial;
    case ActorKind::kPerson:
      return SourceKind::kPerson;
    case ActorKind::kGroup:
      return SourceKind::kUnknown;
    case ActorKind::kMedia:
      return SourceKind::kMedia;
    case ActorKind::kOrganisation:
      return SourceKind::kNgo;
  }
  return SourceKind::kUnknown;
}

bool IsComma(const Document& doc, uint32_t i) { return doc.Folded(doc.tokens[i]) == ","; }

}  // namespace

std::unique_ptr<Attributor> Attributor::Load(const std::string& data_dir, std::string* error) {
  std::unique_ptr<Attributor> a(new Attributor());
  if (!(a->cues_ = Lexicon::Load(data_dir, "lexicons/cues.tsv", error))) return nullptr;
  if (!(a->words_ = Lexicon::Load(data_dir, "lexicons/function_words.tsv", error))) return nullptr;
  for (size_t i = 0; i < a->cues_->size(); ++i) {
    if (!ParseCue(a->cues_->Get(static_cast<uint32_t>(i), "cue"))) {
      *error = a->cues_->table().path() + ":" + std::to_string(a->cues_->row(i).line) +
               ": unknown cue '" + std::string(a->cues_->Get(static_cast<uint32_t>(i), "cue")) +
               "'";
      return nullptr;
    }
  }
  return a;
}

bool Attributor::IsWordClass(const Document& doc, uint32_t i, std::string_view cls) const {
  return i < doc.tokens.size() && words_->HasAt(doc.tokens, i, i + 1, "class", cls);
}

void Attributor::FindCues(Document& doc) const {
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    const Sentence& sent = doc.sentences[s];
    for (uint32_t i = sent.token_begin; i < sent.token_end; ++i) {
      const auto m = cues_->LongestAt(doc.tokens, i, sent.token_end);
      if (m.payloads == nullptr) continue;
      const CueKind kind = *ParseCue(cues_->Get(m.payloads->front(), "cue"));
      // "the report", "these claims": a noun, not a reporting verb.
      if (kind == CueKind::kSay && i > sent.token_begin && IsWordClass(doc, i - 1, "determiner")) {
        continue;
      }
      Cue cue;
      cue.kind = kind;
      cue.token_begin = m.begin;
      cue.token_end = m.end;
      cue.sentence = s;
      cue.span = Span{doc.tokens[m.begin].span.begin, doc.tokens[m.end - 1].span.end};
      doc.cues.push_back(cue);
      i = m.end - 1;
    }
  }
}

uint32_t Attributor::SourceFromActor(Document& doc, uint32_t actor) const {
  const Actor& a = doc.actors[actor];
  for (uint32_t i = 0; i < doc.sources.size(); ++i) {
    if (doc.sources[i].span == a.span) return i;
  }
  Source src;
  src.span = a.span;
  src.token_begin = a.token_begin;
  src.token_end = a.token_end;
  src.sentence = a.sentence;
  src.name = a.name.empty() ? std::string(doc.Text(a.span)) : a.name;
  src.kind = KindOfActor(a.kind);
  src.side = a.side;
  doc.sources.push_back(src);
  return static_cast<uint32_t>(doc.sources.size() - 1);
}

uint32_t Attributor::PersonAt(Document& doc, uint32_t sentence, uint32_t begin,
                              uint32_t end) const {
  // A run of capitalised words that is not a place: a named person.
  if (end <= begin || end - begin > kMaxPersonTokens) return kNone;
  for (uint32_t t = begin; t < end; ++t) {
    if (!(doc.tokens[t].flags & kTokCapitalized) || (doc.tokens[t].flags & kTokAllCaps))
      return kNone;
  }
  const Span span{doc.tokens[begin].span.begin, doc.tokens[end - 1].span.end};
  for (const Place& p : doc.places) {
    if (p.span.Overlaps(span)) return kNone;
  }
  // A single word at the start of a sentence is more often a function word than a name.
  if (end - begin == 1 && (doc.tokens[begin].flags & kTokSentenceStart)) return kNone;
  const std::string text(doc.Text(span));
  // The same person named again (or by surname): reuse.
  for (uint32_t i = 0; i < doc.sources.size(); ++i) {
    const Source& s = doc.sources[i];
    if (s.kind != SourceKind::kPerson) continue;
    if (s.name == text || (s.name.size() > text.size() && s.name.ends_with(" " + text))) return i;
  }
  Source src;
  src.span = span;
  src.token_begin = begin;
  src.token_end = end;
  src.sentence = sentence;
  src.name = text;
  src.kind = SourceKind::kPerson;
  // The words around the name tell whose side the person is on: "Ukrainian military
  // chief X", "X, the spokesperson for Ukraine's State Border Guard Service,".
  const Sentence& sent = doc.sentences[sentence];
  const uint32_t from =
      begin >= sent.token_begin + kPersonContext ? begin - kPersonContext : sent.token_begin;
  uint32_t to = end;
  if (to < sent.token_end && IsComma(doc, to)) {
    to = std::min(sent.token_end, to + kMaxAppositive);
    for (uint32_t t = end + 1; t < to; ++t) {
      if (IsComma(doc, t)) {
        to = t;
        break;
      }
    }
  }
  for (const Source& other : doc.sources) {
    if (other.sentence != sentence || other.side == Side::kUnknown) continue;
    const bool before = other.token_end <= begin && other.token_begin >= from;
    const bool after = other.token_begin >= end && other.token_end <= to;
    if (before || after) {
      src.side = other.side;
      if (other.kind != SourceKind::kPerson && other.kind != SourceKind::kUnknown &&
          other.kind != SourceKind::kAnonymous)
        src.kind = other.kind == SourceKind::kMedia ? SourceKind::kPerson : SourceKind::kOfficial;
      break;
    }
  }
  if (src.side == Side::kUnknown) {
    for (const Actor& a : doc.actors) {
      if (a.sentence != sentence || a.side == Side::kUnknown) continue;
      if ((a.token_end <= begin && a.token_begin >= from) ||
          (a.token_begin >= end && a.token_end <= to)) {
        src.side = a.side;
        break;
      }
    }
  }
  doc.sources.push_back(src);
  return static_cast<uint32_t>(doc.sources.size() - 1);
}

uint32_t Attributor::SubjectBefore(Document& doc, uint32_t sentence, uint32_t at,
                                   uint32_t last_claimant) const {
  const Sentence& sent = doc.sentences[sentence];
  uint32_t j = at;
  for (uint32_t k = 0; k < kMaxAdverbs && j > sent.token_begin && IsWordClass(doc, j - 1, "adverb");
       ++k)
    --j;
  auto ending_at = [&](uint32_t end) -> uint32_t {
    uint32_t best = kNone;
    for (uint32_t i = 0; i < doc.sources.size(); ++i) {
      const Source& s = doc.sources[i];
      if (s.sentence == sentence && s.token_end == end &&
          (best == kNone || s.token_begin < doc.sources[best].token_begin))
        best = i;
    }
    if (best != kNone) return best;
    for (uint32_t i = 0; i < doc.actors.size(); ++i) {
      const Actor& a = doc.actors[i];
      if (a.sentence == sentence && a.token_end == end) return SourceFromActor(doc, i);
    }
    return kNone;
  };
  auto person_ending_at = [&](uint32_t end) -> uint32_t {
    uint32_t begin = end;
    while (begin > sent.token_begin && end - begin < kMaxPersonTokens &&
           (doc.tokens[begin - 1].flags & kTokCapitalized) &&
           !(doc.tokens[begin - 1].flags & kTokAllCaps))
      --begin;
    return PersonAt(doc, sentence, begin, end);
  };
  if (j > sent.token_begin && IsComma(doc, j - 1)) {
    // An appositive: "Serhiy Hayday, a top military commander, said" or
    // "the spokesperson, Serhii Cherevatyi, said". A name right before the comma
    // is the subject; otherwise the subject stands before the appositive.
    const uint32_t close = j - 1;
    if (uint32_t named = ending_at(close);
        named != kNone && doc.sources[named].kind != SourceKind::kGovernment) {
      return named;
    }
    if (uint32_t person = person_ending_at(close); person != kNone) return person;
    uint32_t open = close;
    while (open > sent.token_begin && close - open < kMaxAppositive && !IsComma(doc, open - 1))
      --open;
    if (open == sent.token_begin || !IsComma(doc, open - 1)) return kNone;
    j = open - 1;
  }
  if (j == sent.token_begin) return kNone;
  if (uint32_t s = ending_at(j); s != kNone) return s;
  // "a Ukrainian commander near Bakhmut said", "the governor of Kharkiv said": a place
  // phrase after the claimant.
  for (const Place& p : doc.places) {
    if (p.sentence != sentence || p.token_end != j || p.token_begin < sent.token_begin + 2) continue;
    if (!IsWordClass(doc, p.token_begin - 1, "claimant_place")) break;
    // Only a speaker (a role, an official, a named source), not a force: "the
    // withdrawal of Ukrainian troops from Avdiivka was announced".
    for (uint32_t i = 0; i < doc.sources.size(); ++i) {
      const Source& src = doc.sources[i];
      if (src.sentence == sentence && src.token_end == p.token_begin - 1) return i;
    }
    break;
  }
  if (IsWordClass(doc, j - 1, "pronoun")) {
    // "he said": the last person named before; "they said": the last claimant.
    const std::string_view w = doc.Folded(doc.tokens[j - 1]);
    if (w == "he" || w == "she") {
      const uint32_t at_begin = doc.tokens[j - 1].span.begin;
      uint32_t person = kNone;
      for (uint32_t i = 0; i < doc.sources.size(); ++i) {
        const Source& s = doc.sources[i];
        if (s.span.begin >= at_begin) continue;
        const bool named = s.kind == SourceKind::kPerson ||
                           ((s.kind == SourceKind::kOfficial || s.kind == SourceKind::kMilitary) &&
                            (doc.tokens[s.token_end - 1].flags & kTokCapitalized));
        if (named && (person == kNone || s.span.begin > doc.sources[person].span.begin)) person = i;
      }
      if (person != kNone) return person;
    }
    return last_claimant;
  }
  return person_ending_at(j);
}

uint32_t Attributor::PhraseAfter(Document& doc, uint32_t sentence, uint32_t at) const {
  const Sentence& sent = doc.sentences[sentence];
  // "said that ...", "tweeting that ...": a clause follows, not a subject.
  if (at < sent.token_end && doc.Folded(doc.tokens[at]) == "that") return kNone;
  uint32_t j = at;
  while (j < sent.token_end && IsWordClass(doc, j, "determiner")) ++j;
  if (j >= sent.token_end) return kNone;
  for (uint32_t i = 0; i < doc.sources.size(); ++i) {
    const Source& s = doc.sources[i];
    if (s.sentence == sentence && (s.token_begin == j || s.token_begin == at)) return i;
  }
  for (uint32_t i = 0; i < doc.actors.size(); ++i) {
    const Actor& a = doc.actors[i];
    if (a.sentence == sentence && (a.token_begin == j || a.token_begin == at))
      return SourceFromActor(doc, i);
  }
  uint32_t end = j;
  while (end < sent.token_end && end - j < kMaxPersonTokens &&
         (doc.tokens[end].flags & kTokCapitalized))
    ++end;
  return PersonAt(doc, sentence, j, end);
}

uint32_t Attributor::LeadClaimant(Document& doc, uint32_t sentence) const {
  const Sentence& sent = doc.sentences[sentence];
  uint32_t begin = sent.token_begin;
  while (begin < sent.token_end && IsWordClass(doc, begin, "determiner")) ++begin;
  uint32_t colon = kNone;
  for (uint32_t t = begin + 1; t < sent.token_end && t <= begin + kMaxLeadTokens; ++t) {
    if (doc.Folded(doc.tokens[t]) == ":") {
      colon = t;
      break;
    }
  }
  // At least a few words must follow: "Source: ..." credit lines are handled apart.
  if (colon == kNone || colon + kMinLeadClaimWords > sent.token_end) return kNone;
  for (uint32_t i = 0; i < doc.sources.size(); ++i) {
    const Source& src = doc.sources[i];
    if (src.sentence == sentence && src.token_begin == begin && src.token_end == colon) return i;
  }
  for (uint32_t i = 0; i < doc.actors.size(); ++i) {
    const Actor& a = doc.actors[i];
    // A state or a force before a colon is more often a topic ("Ukraine: ...") than a voice.
    if (a.sentence == sentence && a.token_begin == begin && a.token_end == colon &&
        (a.kind == ActorKind::kOfficial || a.kind == ActorKind::kPerson ||
         a.kind == ActorKind::kMedia))
      return SourceFromActor(doc, i);
  }
  return kNone;
}

uint32_t Attributor::ClaimantOf(Document& doc, const Cue& cue, uint32_t last_claimant) const {
  if (cue.kind == CueKind::kAccording) return PhraseAfter(doc, cue.sentence, cue.token_end);
  if (uint32_t s = SubjectBefore(doc, cue.sentence, cue.token_begin, last_claimant); s != kNone)
    return s;
  // "said the ministry", "reported CNN" — but "told Reuters" names the listener.
  const std::string_view verb = doc.Folded(doc.tokens[cue.token_begin]);
  if (verb == "told" || verb == "tell" || verb == "tells") return kNone;
  return PhraseAfter(doc, cue.sentence, cue.token_end);
}

Result Attributor::Process(Document& doc) const {
  doc.cues.clear();
  doc.claims.clear();
  FindCues(doc);

  std::vector<Claim> by_sentence(doc.sentences.size());
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) by_sentence[s].sentence = s;
  std::vector<bool> attributed(doc.sentences.size(), false);
  uint32_t last_claimant = kNone;
  size_t c = 0;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    Claim& claim = by_sentence[s];
    claim.scope = doc.sentences[s].span;
    std::vector<uint32_t> claimants;
    bool hedged = false;
    Span hedge_scope;            // empty: the hedge covers the sentence
    bool sentence_wide = false;  // the claim covers the whole sentence
    const Sentence& sent = doc.sentences[s];
    // "Russian state media: Partisans target ...", "Zelensky: ...": a source named
    // before a colon that opens the sentence claims the rest of it.
    if (uint32_t who = LeadClaimant(doc, s); who != kNone) {
      claimants.push_back(who);
      sentence_wide = true;
    }
    for (; c < doc.cues.size() && doc.cues[c].sentence == s; ++c) {
      const Cue& cue = doc.cues[c];
      switch (cue.kind) {
        case CueKind::kSay:
        case CueKind::kAccording: {
          const uint32_t who = ClaimantOf(doc, cue, last_claimant);
          if (who == kNone) {
            // "Tweeting that ..., the ministry added": a participle opening the
            // sentence reports for the subject named later.
            if (cue.token_begin == sent.token_begin) sentence_wide = true;
            break;
          }
          if (std::find(claimants.begin(), claimants.end(), who) == claimants.end()) {
            claimants.push_back(who);
            if (claim.cue.empty()) claim.cue = cue.span;
          }
          // "X said (that) A" covers what follows X; "A, X said." and "according to X,
          // A" cover the sentence.
          const Source& src = doc.sources[who];
          uint32_t rest = 0;
          for (uint32_t t = cue.token_end; t < sent.token_end; ++t)
            rest += (doc.tokens[t].flags & kTokWord) != 0;
          const bool subject_first = src.sentence == s && src.token_end <= cue.token_begin;
          if (cue.kind == CueKind::kAccording || !subject_first || rest <= kSentenceFinalWords) {
            sentence_wide = true;
          } else if (claim.scope == sent.span) {
            claim.scope = Span{src.span.begin, sent.span.end};
          }
          break;
        }
        case CueKind::kReportedly: {
          hedged = true;
          if (claim.cue.empty()) claim.cue = cue.span;
          // "recent reports that X, where Y": the hedge covers X, up to the next clause.
          uint32_t stop = sent.token_end;
          for (uint32_t t = cue.token_end; t + 1 < sent.token_end; ++t) {
            const std::string_view w = doc.Folded(doc.tokens[t]);
            const std::string_view next = doc.Folded(doc.tokens[t + 1]);
            if (w == ";" || (w == "," && (next == "where" || next == "which" || next == "while" ||
                                          next == "but" || next == "whereas"))) {
              stop = t;
              break;
            }
          }
          // ... and begins with the clause it stands in: "Tweeting that Ukrainian forces
          // have recaptured ..., the ministry added that Russian forces are reportedly
          // pulling back" hedges only the pulling back.
          uint32_t start = sent.token_begin;
          for (uint32_t t = cue.token_begin; t-- > sent.token_begin;) {
            const std::string_view w = doc.Folded(doc.tokens[t]);
            if (w == ";" || w == "," || w == "that") {
              start = t + 1;
              break;
            }
          }
          // A hedge opening the sentence ("Reportedly, ...") or closing it ("..., reports
          // say.") covers it.
          uint32_t words_from_start = 0;
          for (uint32_t t = start; t < sent.token_end; ++t)
            words_from_start += (doc.tokens[t].flags & kTokWord) != 0;
          if (cue.token_begin == sent.token_begin || words_from_start <= kSentenceFinalWords)
            start = sent.token_begin;
          const uint32_t scope_end =
              stop < sent.token_end ? doc.tokens[stop].span.begin : sent.span.end;
          if (start == sent.token_begin && stop == sent.token_end) {
            hedge_scope = Span{};
          } else {
            hedge_scope = Span{doc.tokens[start].span.begin, scope_end};
          }
          break;
        }
        case CueKind::kUnverified:
          claim.unverified = true;
          break;
        case CueKind::kDeny: {
          // "denied that Russian forces shelled ..." denies what follows; "These claims
          // were denied" denies what came before.
          const Sentence& sent = doc.sentences[s];
          bool forward = false;
          for (uint32_t t = cue.token_end; t < sent.token_end && t < cue.token_end + 3; ++t) {
            const std::string_view w = doc.Folded(doc.tokens[t]);
            if (w == "that" || w == "reports" || w == "claims") forward = true;
          }
          // Backward only when nothing follows the denial but a word pointing back
          // ("denied it", "denied the allegations") or when it is passive ("were denied").
          bool backward = false;
          uint32_t t = cue.token_end;
          while (t < sent.token_end && t < cue.token_end + 3 &&
                 (IsWordClass(doc, t, "determiner") || doc.Folded(doc.tokens[t]) == "any"))
            ++t;
          if (t >= sent.token_end || (doc.tokens[t].flags & kTokPunct) || IsWordClass(doc, t, "denied_object"))
            backward = true;
          if (cue.token_begin > sent.token_begin && IsWordClass(doc, cue.token_begin - 1, "be"))
            backward = true;
          if (forward) {
            claim.denied_scope = Span{cue.span.end, sent.span.end};
          } else if (backward) {
            claim.denies_previous = true;
          }
          break;
        }
        default:
          break;
      }
    }
    // The claimant is the party; outlets that relay it are `via`.
    uint32_t primary = kNone;
    for (uint32_t who : claimants) {
      if (doc.sources[who].kind != SourceKind::kMedia) {
        primary = who;
        break;
      }
    }
    if (primary == kNone && !claimants.empty()) primary = claimants.front();
    for (uint32_t who : claimants) {
      if (who != primary) claim.via.push_back(who);
    }
    claim.source = primary;
    if (sentence_wide) claim.scope = sent.span;
    if (primary != kNone) {
      attributed[s] = true;
      last_claimant = primary;
      // A party, an official, even an unnamed officer claims; an outlet or "sources"
      // report.
      const Source& src = doc.sources[primary];
      const bool media = src.kind == SourceKind::kMedia || src.generic;
      claim.status = media ? Status::kReported : Status::kClaimed;
      if (hedged && hedge_scope.empty()) claim.status = Status::kReported;
    } else if (hedged) {
      attributed[s] = true;
      claim.status = Status::kReported;
    }
    claim.hedge_scope = hedge_scope;
  }

  // "Source: Ivan Fedorov, on Telegram": a credit line names the claimant of the
  // article's unattributed sentences.
  uint32_t credit = kNone;
  for (uint32_t s = 0; s < doc.sentences.size() && credit == kNone; ++s) {
    const Sentence& sent = doc.sentences[s];
    if (sent.token_end - sent.token_begin < 3) continue;
    if (doc.Folded(doc.tokens[sent.token_begin]) == "source" &&
        doc.Folded(doc.tokens[sent.token_begin + 1]) == ":") {
      credit = PhraseAfter(doc, s, sent.token_begin + 2);
    }
  }
  if (credit != kNone) {
    for (uint32_t s = 0; s < by_sentence.size(); ++s) {
      if (attributed[s] || doc.sentences[s].headline) continue;
      by_sentence[s].source = credit;
      by_sentence[s].status =
          doc.sources[credit].kind == SourceKind::kMedia ? Status::kReported : Status::kClaimed;
      attributed[s] = true;
    }
  }
  // Reported speech goes on: a sentence with no attribution of its own right after one
  // that names its claimant, in the same paragraph, is still that claimant's ("..., the
  // ministry said. Thus far, Ukrainian forces have reclaimed 30 villages.").
  for (uint32_t s = 1; s < by_sentence.size(); ++s) {
    if (attributed[s] || !attributed[s - 1] || by_sentence[s - 1].source == kNone) continue;
    // A denial or a doubt is somebody else's voice, not the claim going on.
    const Claim& own = by_sentence[s];
    if (own.denies_previous || !own.denied_scope.empty() || own.unverified) continue;
    if (doc.sentences[s].paragraph != doc.sentences[s - 1].paragraph) continue;
    if (doc.sentences[s].headline || doc.sentences[s - 1].headline) continue;
    by_sentence[s].source = by_sentence[s - 1].source;
    by_sentence[s].via = by_sentence[s - 1].via;
    by_sentence[s].status = by_sentence[s - 1].status;
    attributed[s] = true;
  }
  // A quotation is its speaker's claim: every sentence it covers gets the claim of
  // the sentence that names the speaker (where the quote opens or closes).
  for (const Quote& q : doc.quotes) {
    const uint32_t first = doc.SentenceAt(q.inner.begin);
    const uint32_t last = q.inner.empty() ? first : doc.SentenceAt(q.inner.end - 1);
    if (first == kNone || last == kNone) continue;
    uint32_t speaker = kNone;
    const uint32_t after = doc.SentenceAt(q.span.end);
    for (uint32_t cand : {after, last, first, first > 0 ? first - 1 : kNone}) {
      if (cand != kNone && cand < by_sentence.size() && by_sentence[cand].source != kNone) {
        speaker = cand;
        break;
      }
    }
    if (speaker == kNone) continue;
    for (uint32_t s = first; s <= last; ++s) {
      if (attributed[s] && by_sentence[s].source != kNone) continue;
      const bool unverified = by_sentence[s].unverified;
      by_sentence[s].source = by_sentence[speaker].source;
      by_sentence[s].via = by_sentence[speaker].via;
      by_sentence[s].status = by_sentence[speaker].status;
      by_sentence[s].cue = by_sentence[speaker].cue;
      by_sentence[s].unverified = unverified;
      attributed[s] = true;
    }
  }

  for (uint32_t s = 0; s < by_sentence.size(); ++s) {
    Claim& claim = by_sentence[s];
    if (attributed[s] || claim.unverified || claim.denies_previous || !claim.denied_scope.empty())
      doc.claims.push_back(std::move(claim));
  }
  return Result::Ok();
}

}  // namespace sitrep
