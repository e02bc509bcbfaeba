// The document model: one article and every annotation the pipeline adds to it.
// The reader fills the identity and `text`; each later stage appends its own typed
// vector. Annotations point into `text` by byte Span and at each other by index,
// never by pointer. A field that could not be resolved is an empty optional.
#pragma once

#include <cstdint>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_date.h"
#include "doc/span.h"
#include "doc/types.h"

namespace sitrep {

constexpr uint32_t kNone = UINT32_MAX;

// --- read ---------------------------------------------------------------------

// Where a document came from, for error messages and the `source` field.
struct Origin {
  std::string path;     // as displayed: "seeds/004.txt", "corpus.jsonl", "-"
  uint64_t line = 0;    // 1-based line for JSONL inputs, 0 otherwise
  std::string format;   // "txt", "html", "jsonl" (+ ".gz")
};

// --- clean --------------------------------------------------------------------

struct RemovedSpan {
  Span span;
  RemovedReason reason = RemovedReason::kBoilerplate;
};

// --- segment ------------------------------------------------------------------

enum TokenFlag : uint16_t {
  kTokWord = 1 << 0,         // starts with a letter
  kTokNumber = 1 << 1,       // digits, with , or . separators ("17,800", "21.7")
  kTokPunct = 1 << 2,        // a single punctuation or symbol character
  kTokCapitalized = 1 << 3,  // first letter upper case
  kTokAllCaps = 1 << 4,      // every letter upper case, at least two letters
  kTokHyphenBefore = 1 << 5, // joined to the previous token by a hyphen ("Kleban-Byk")
  kTokSpaceBefore = 1 << 6,  // whitespace precedes it
  kTokLineStart = 1 << 7,    // first token of a line
  kTokSentenceStart = 1 << 8,
  kTokQuoteMark = 1 << 9,    // an opening or closing quotation mark
  kTokApostropheS = 1 << 10, // the possessive "'s" split off a word
};

struct Token {
  Span span;                // in doc.text
  uint32_t fold_begin = 0;  // folded form: doc.folded.substr(fold_begin, fold_len)
  uint32_t fold_len = 0;
  uint64_t hash = 0;        // FoldHash of the folded form (see base/fold.h)
  uint16_t flags = 0;

  bool Is(TokenFlag f) const { return (flags & f) != 0; }
};

struct Sentence {
  Span span;
  uint32_t token_begin = 0;  // [token_begin, token_end) into doc.tokens
  uint32_t token_end = 0;
  uint32_t paragraph = 0;    // index of the line/paragraph it starts in
  bool headline = false;     // a title or a cross-head without final punctuation
};

struct Quote {
  Span span;       // including the quotation marks
  Span inner;      // without them
  uint32_t sentence = kNone;  // the sentence the quote opens in
};

// --- places -------------------------------------------------------------------

// A toponym found in the text and resolved against the gazetteer.
struct Place {
  Span span;                  // the words as written ("Kharkiv region", "Kupyansk")
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t sentence = kNone;
  uint32_t entry = kNone;     // gazetteer entry index
  std::string id;             // "geonames:703656"; empty when the entry has none
  std::string name;           // canonical English name
  double lat = 0;
  double lon = 0;
  float radius_km = 25;       // how far the place extends (settlement ~10-25, oblast ~150)
  std::string admin1;         // "Kharkiv Oblast"; empty when none
  std::string country;        // ISO 3166-1 alpha-2
  PlaceFeature feature = PlaceFeature::kSettlement;
  std::string qualifier;      // "north of", "eastern", "direction" ... when a phrase shifts it
  bool reportable = true;     // false inside organisation names ("UK's Ministry") and chrome
  bool as_actor = false;      // used as an actor ("Russia said", "Kyiv's forces")
  float confidence = 1.0f;    // resolver's certainty (ambiguity, fuzziness)
  bool fuzzy = false;         // matched with an edit, not exactly
};

// --- time ---------------------------------------------------------------------

struct DateMention {
  Span span;
  uint32_t sentence = kNone;
  std::optional<CivilDate> value;  // start
  std::optional<CivilDate> end;    // for ranges
  DatePrecision precision = DatePrecision::kUnknown;
  DateBasis basis = DateBasis::kUnknown;  // explicit | relative | inferred
  bool past_reference = false;     // refers to an earlier period ("last year", "in 2014")
};

struct PublishedDate {
  std::optional<CivilDate> value;
  DateBasis basis = DateBasis::kUnknown;
  Span span;  // empty for metadata
  // A date the document was given but cannot have: it says a day has passed that comes
  // after it ("since Russia launched its invasion" in a page dated 2022-02-10). Then
  // `value` is empty, `dropped` holds the date given and `contradiction` the words.
  std::optional<CivilDate> dropped;
  Span contradiction;
};

// --- actors and sources -------------------------------------------------------

enum class ActorKind : uint8_t {
  kForce,     // armed forces, troops, units, "Wagner"
  kState,     // a state or its capital used as an actor ("Moscow", "Ukraine")
  kOfficial,  // an official or a body of government
  kPerson,    // a named person
  kGroup,     // partisans, separatists, civilians' groups
  kMedia,
  kOrganisation,  // the UN, the ICRC, NGOs
};

struct Actor {
  Span span;
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t sentence = kNone;
  Side side = Side::kUnknown;
  ActorKind kind = ActorKind::kForce;
  std::string name;  // normalised name from the actor table ("Russian forces")
  bool military = false;  // a fighting force (can advance, capture, shell)
  bool enemy_of_speaker = false;  // "the enemy": the side opposite the claimant's
  bool anaphoric = false;         // "the troops", "its forces": a side from earlier mentions
  bool weapon = false;            // a weapon or platform ("Ukrainian drones", "a Russian warship")
};

// A party that can be quoted: a ministry, a governor, an outlet, "a Ukrainian colonel".
struct Source {
  Span span;
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t sentence = kNone;
  std::string name;  // normalised ("UK Ministry of Defence"); the text when unknown
  SourceKind kind = SourceKind::kUnknown;
  Side side = Side::kUnknown;
  bool anonymous = false;
  bool generic = false;  // "sources", "reports": nobody in particular (status reported)
};

// --- quantities ---------------------------------------------------------------

struct Quantity {
  Span span;           // number and what it counts ("approximately 17,800 Russian troops")
  Span number;         // the number alone
  uint32_t sentence = kNone;
  double value = 0;
  bool approx = false;
  Unit unit = Unit::kNone;
  std::string what;    // killed, wounded, destroyed, evacuated, launched, intercepted ...
  Side side = Side::kUnknown;  // whose people or equipment are counted
};

// --- attribution --------------------------------------------------------------

enum class CueKind : uint8_t {
  kSay,         // a reporting verb: "said", "claimed", "reported"
  kAccording,   // the claimant follows: "according to", "citing"
  kReportedly,  // an unsourced hedge: "reportedly", "is said to"
  kUnverified,  // "could not be independently verified"
  kDeny,        // "denied", "disagrees"
  kExpected,    // the future, a plan, a likelihood: "will", "plans to", "likely to"
  kCondition,   // "if", "unless"
  kNegation,    // "not", "never", "have yet to"
  kAttempt,     // "failed to", "tried to", "prevented"
};

// A cue word or phrase found by the attribution stage; the event finder reads the
// modality cues (expected, condition, negation, attempt) near each trigger.
struct Cue {
  Span span;
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t sentence = kNone;
  CueKind kind = CueKind::kSay;
};

// Who says what a sentence (or a stretch of it) says, and how sure the text is.
struct Claim {
  uint32_t sentence = kNone;
  Span scope;                     // the stretch of text the attribution covers
  uint32_t source = kNone;        // into doc.sources; kNone when unattributed
  std::vector<uint32_t> via;      // relaying sources (media), into doc.sources
  Span cue;                       // "said", "according to", "reportedly"
  Status status = Status::kAsserted;
  // A denial: events whose trigger lies in denied_scope are denied; when the
  // sentence denies what was said before ("These claims were denied"), the events of
  // the previous sentence are.
  Span denied_scope;
  bool denies_previous = false;
  // "This could not be verified": the sentence's events, or when it has none, the
  // claims it refers back to.
  bool unverified = false;
  // A hedge ("reportedly", "recent reports that ...") covers this stretch only: events
  // outside it keep the sentence's status.
  Span hedge_scope;
};

// --- events -------------------------------------------------------------------

struct EventLocation {
  uint32_t place = kNone;  // into doc.places
  LocationRole role = LocationRole::kAt;
  // Not named in the event's sentence: taken from the events just before it (the
  // place the passage is about). The place's own span is the evidence.
  bool inferred = false;
};

struct Target {
  std::string text;
  Span span;
  Side side = Side::kUnknown;
  TargetCategory category = TargetCategory::kUnknown;
};

struct EventTime {
  std::string text;        // the words that gave it ("on Thursday"); empty when none
  Span span;
  std::optional<CivilDate> value;
  std::optional<CivilDate> end;
  DatePrecision precision = DatePrecision::kUnknown;
  DateBasis basis = DateBasis::kUnknown;
};

struct EventSource {
  std::string text;
  std::string name;
  SourceKind kind = SourceKind::kUnknown;
  Side side = Side::kUnknown;
  std::vector<std::string> via;
  Span span;  // the claimant's words (text); empty when not in the text
};

struct Event {
  EventType type = EventType::kAttack;
  Side side = Side::kUnknown;
  uint32_t actor = kNone;              // into doc.actors
  std::optional<Target> target;
  std::vector<EventLocation> locations;
  EventTime time;
  std::optional<EventSource> source;
  Status status = Status::kAsserted;
  bool negated = false;
  std::vector<uint32_t> quantities;    // into doc.quantities
  uint32_t sentence = kNone;
  Span evidence;                       // the sentence
  Span trigger;                        // the trigger words
  float confidence = 0.5f;
};

// --- credibility --------------------------------------------------------------

struct CredibilitySignal {
  std::string id;
  double value = 1.0;  // in [0,1]; 1 = more trustworthy
  std::string detail;
  std::vector<Span> evidence;
};

struct Credibility {
  double score = 0.5;
  std::vector<CredibilitySignal> signals;
};

// --- the document -------------------------------------------------------------

struct Document {
  // Identity, filled by the reader.
  std::string doc_id;
  Origin origin;
  std::string url;                       // from metadata, when given
  std::optional<std::string> meta_title; // from metadata, when given
  std::optional<CivilDate> meta_published;
  std::string text;                      // decoded UTF-8; every Span points into it
  uint32_t invalid_bytes = 0;            // bytes replaced while decoding
  std::string encoding = "utf-8";        // "utf-8" or "windows-1252"
  // Set before the stages run (Pipeline::Stamp): a hash of what the records are
  // extracted from (text, metadata title, date and url: ContentHash) and the version of
  // the knowledge that extracts them (Pipeline::data_version). A re-run skips a document
  // stored with the same pair (pipeline/runner.h, output/extracted_index.h).
  uint64_t content_hash = 0;
  std::string data_version;

  // clean
  std::optional<std::string> title;
  Span title_span;                       // empty when the title came from metadata
  Span body;                             // the article proper
  std::vector<RemovedSpan> removed;      // sorted, non-overlapping

  // segment
  std::string folded;                    // folded token forms, back to back
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  std::vector<Quote> quotes;

  // recognise
  PublishedDate published;
  std::vector<Place> places;             // text order
  std::vector<DateMention> dates;
  std::vector<Actor> actors;
  std::vector<Source> sources;
  std::vector<Quantity> quantities;

  // attribute, events
  std::vector<Cue> cues;                 // text order
  std::vector<Claim> claims;             // at most one per sentence, sentence order
  std::vector<Event> events;

  // credibility
  Credibility credibility;

  // fusion: a MinHash sketch of the body's word shingles, for near-duplicate articles
  // (syndicated copies, re-posts); none when the body has too few words.
  std::optional<std::array<uint8_t, 64>> fingerprint;

  std::string_view Text(Span s) const { return s.Of(text); }
  std::string_view Folded(const Token& t) const {
    return std::string_view(folded).substr(t.fold_begin, t.fold_len);
  }
  bool IsRemoved(Span s) const;          // overlaps a removed span
  // The sentence containing a byte offset, or kNone.
  uint32_t SentenceAt(uint32_t offset) const;
};

}  // namespace sitrep
