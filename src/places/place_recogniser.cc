#include "places/place_recogniser.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "places/romanize.h"

namespace sitrep {
namespace {

constexpr uint32_t kNoNode = Gazetteer::kNoNode;
constexpr uint32_t kMaxNameTokens = 8;
constexpr uint32_t kMaxFuzzyRun = 3;
constexpr size_t kFuzzyMinLetters = 7;
// A settlement this big is a name writers use without further context.
constexpr uint32_t kStrongPopulation = 10000;
constexpr uint32_t kStrongWorldPopulation = 50000;
constexpr uint32_t kMajorPopulation = 100000;
constexpr uint32_t kPopulationFloor = 500;
constexpr uint32_t kTinyPopulation = 1000;
constexpr uint32_t kTownPopulation = 20000;
// The prior between same-named entries (added to the entry's rank, 0-10).
constexpr float kPopulationWeight = 2.0f;  // per factor of ten in population
constexpr float kTownBonus = 2.0f;         // population >= kTownPopulation
constexpr float kUkraineBonus = 3.0f;
constexpr float kBorderBonus = 1.5f;       // Russia's border subjects, Belarus
constexpr float kWarCountryBonus = 0.5f;   // the rest of Russia
constexpr float kCuratedBonus = 1.0f;
constexpr float kOwnNameBonus = 3.0f;      // the place's own name in any spelling
constexpr float kAliasPenalty = 2.0f;      // an old name, another place's name kept by mistake
constexpr float kFuzzyPenalty = 2.0f;      // per edit
constexpr float kCountryProminence = 14;
constexpr float kSizePenalty = 4;
// Context: an admin-1 unit the document names (same sentence, within two, anywhere),
// one implied by the document's confident places.
constexpr float kUnitSameSentence = 5.0f;
constexpr float kUnitNearby = 4.0f;
constexpr float kUnitInDocument = 3.0f;
constexpr float kUnitImplied = 1.5f;
// Evidence a weak or fuzzy name needs from its context.
constexpr float kSupportScore = 2.5f;
constexpr float kFuzzySupportScore = 4.0f;
// Radius a region or district gets when only its seat was found ("Moscow region").
constexpr float kDerivedAdmin1Km = 120;
constexpr float kDerivedAdmin2Km = 40;

// Distance in km by the equirectangular approximation: within the few hundred km
// that matter here it is within 1% of the great circle and needs no trigonometry per
// pair (cos_lat is the cosine of a latitude near both points).
inline double Km(double lat1, double lon1, double lat2, double lon2, double cos_lat) {
  constexpr double kKmPerDegree = 111.195;
  const double dy = lat2 - lat1;
  const double dx = (lon2 - lon1) * cos_lat;
  return kKmPerDegree * std::sqrt(dx * dx + dy * dy);
}

double CosLat(double lat) { return std::cos(lat * 3.14159265358979323846 / 180.0); }

// Unit vector of a direction code (N NE E SE S SW W NW C) as (north, east).
void DirectionVector(uint8_t d, double* north, double* east) {
  static constexpr double kN[] = {1, 0.707, 0, -0.707, -1, -0.707, 0, 0.707, 0};
  static constexpr double kE[] = {0, 0.707, 1, 0.707, 0, -0.707, -1, -0.707, 0};
  *north = d < 9 ? kN[d] : 0;
  *east = d < 9 ? kE[d] : 0;
}

// The war's countries: their places are named in every spelling and need less proof.
bool AtWar(const gaz::EntryRecord& e) {
  return (e.country[0] == 'U' && e.country[1] == 'A') || (e.country[0] == 'R' && e.country[1] == 'U') ||
         (e.country[0] == 'B' && e.country[1] == 'Y');
}

bool IsCyrillicToken(std::string_view folded) {
  if (folded.empty()) return false;
  const auto b = static_cast<unsigned char>(folded[0]);
  return b >= 0xD0 && b <= 0xD3;
}

struct Cand {
  uint32_t entry = 0;
  uint16_t name_flags = 0;
  uint8_t dist = 0;             // fuzzy distance
  PlaceUnit derived = PlaceUnit::kAny;  // a region or district known only by its seat
  float prior = 0;
  float score = 0;
  float cos_lat = 1;  // of the entry's latitude, for distances
};

struct Mention {
  uint32_t begin = 0, end = 0;            // the name's tokens
  uint32_t span_begin = 0, span_end = 0;  // the reported words
  uint32_t sentence = kNone;
  uint32_t node = kNoNode;
  uint32_t cand_begin = 0, cand_count = 0;
  PlaceUnit want = PlaceUnit::kAny;
  SizeHint size = SizeHint::kAny;
  const Qualifier* qual = nullptr;
  bool qual_the = false;                  // "the east of Ukraine"
  uint8_t part_dir = kNoDirection;        // "Ukraine's east"
  bool article = false;
  bool common = false;
  bool month = false;
  bool locative = false;
  bool cue = false;
  bool org = false;
  bool actor = false;
  bool person = false;
  bool initial = false;
  bool fuzzy = false;
  bool drop = false;
  bool admin_after = false;               // ", Zaporizhzhia Oblast" follows
  bool glued = false;                     // a capitalised word before or after: a longer name
  bool compound = false;                  // dropped as part of a hyphenated compound
  bool modifier = false;                  // a lower-case word follows: "the Sevastopol base"
  bool speaks = false;                    // a verb of saying follows ("Melnikov said")
  bool front = false;                     // "the southern front": a part of the front, no name
  uint32_t list = kNone;
  int chosen = -1;
  float confidence = 0;
};

struct Raw {
  uint32_t entry;
  uint16_t flags;
};

// A place the document resolved, as evidence for its neighbours. One per entry.
struct Anchor {
  double lat, lon;
  float weight;    // confidence x specificity (a village says more than a city)
  uint32_t entry;
};

struct NamedUnit {
  uint16_t admin1;
  std::vector<uint32_t> sentences;  // sorted
};

class DocResolver {
 public:
  DocResolver(const Gazetteer& gaz, const PlaceCues& cues, Document& doc, uint32_t front_country)
      : gaz_(gaz), cues_(cues), doc_(doc), toks_(doc.tokens), front_country_(front_country) {}

  void Run();

 private:
  // Scanning.
  void Scan();
  void ScanFront(uint32_t sentence, uint32_t token);
  bool CaseOk(uint32_t begin, uint32_t end, uint32_t node, bool shouting) const;
  bool Shouting(const Sentence& s) const;
  bool TitleCase(const Sentence& s) const;
  // index: the mention's place in mentions_ (mentions_.size() for one not yet added).
  void Analyse(Mention& m, uint32_t index);
  void FindLists();
  // Applies f to the mentions coordinated before mention `me` in its sentence
  // ("Kherson and Zaporizhzhia regions"), nearest first.
  template <typename F>
  void CoverList(uint32_t me, F&& f);
  void BuildCandidates(Mention& m);
  void AddCand(Mention& m, uint32_t entry, uint16_t flags, uint8_t dist, PlaceUnit derived);
  float Prior(const Cand& c) const;

  // Resolution.
  void Resolve(int pass);
  float Context(const Mention& m, const Cand& c, bool use_anchors) const;
  void CollectContext(bool anchors);
  bool Strong(const Cand& c) const;
  bool Major(const Cand& c) const;
  bool Supported(const Mention& m, const Cand& c) const;
  void Filter();
  void Fuzzy();
  void Emit();
  void Dump() const;  // $SITREP_PLACES_DEBUG: every mention and its candidates, to stderr

  bool IsLowerElsewhere(uint64_t hash) const {
    return std::binary_search(lower_words_.begin(), lower_words_.end(), hash);
  }
  bool TokenIs(uint32_t i, std::string_view folded) const {
    return i < toks_.size() && doc_.Folded(toks_[i]) == folded;
  }
  uint32_t MentionAt(uint32_t token) const;

  const Gazetteer& gaz_;
  const PlaceCues& cues_;
  Document& doc_;
  const std::vector<Token>& toks_;
  std::vector<Mention> mentions_;
  std::vector<Cand> cands_;
  std::vector<uint64_t> lower_words_;
  std::vector<uint32_t> token_mention_;  // token -> mention index, kNone
  // Context from the document: admin-1 units named explicitly (with the sentence),
  // and places resolved with confidence.
  std::vector<NamedUnit> admin1_named_;
  std::vector<uint16_t> admin1_implied_;  // sorted
  std::vector<Anchor> anchors_;
  std::vector<Raw> raw_;  // scratch for BuildCandidates
  const uint32_t front_country_;
};

uint32_t DocResolver::MentionAt(uint32_t token) const {
  return token < token_mention_.size() ? token_mention_[token] : kNone;
}

// A headline in title case ("Heavy Fighting Continues In Avdiivka As Russia Presses
// Offensive"): capitals there say nothing about names.
bool DocResolver::TitleCase(const Sentence& s) const {
  uint32_t words = 0, caps = 0;
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    if (!toks_[i].Is(kTokWord)) continue;
    ++words;
    caps += toks_[i].Is(kTokCapitalized);
  }
  return words >= 4 && caps * 10 >= words * 8;
}

bool DocResolver::Shouting(const Sentence& s) const {
  uint32_t words = 0, caps = 0;
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    if (!toks_[i].Is(kTokWord)) continue;
    ++words;
    caps += toks_[i].Is(kTokAllCaps);
  }
  return words >= 3 && caps * 10 >= words * 6;
}

// Latin names are capitalised in text: every word, except connectors ("Rostov-on-Don"),
// parts after a hyphen, and words after the first of names that allow a lower-case tail
// ("Kerch bridge").
bool DocResolver::CaseOk(uint32_t begin, uint32_t end, uint32_t node, bool shouting) const {
  const Token& first = toks_[begin];
  const bool cyr = IsCyrillicToken(doc_.Folded(first));
  if (!cyr && !first.Is(kTokCapitalized)) return false;
  bool need_tail = false;
  for (uint32_t k = begin + 1; k < end; ++k) {
    const Token& t = toks_[k];
    if (t.Is(kTokCapitalized) || t.Is(kTokHyphenBefore) || t.Is(kTokPunct) || !t.Is(kTokWord) ||
        IsCyrillicToken(doc_.Folded(t))) {
      continue;
    }
    if (cues_.lexicon.Starting(toks_, k, k + 1, CueMask(CueClass::kConnector)).ok()) continue;
    need_tail = true;
  }
  const std::span<const gaz::Posting> postings = gaz_.Postings(node);
  const bool all_caps = first.Is(kTokAllCaps);
  const bool short_caps = all_caps && first.fold_len <= 3 && end == begin + 1 && !shouting;
  bool any = false;
  for (const gaz::Posting& p : postings) {
    if (need_tail && !(p.flags & gaz::kNameLowerTail)) continue;
    if ((p.flags & gaz::kNameAbbrev) && !all_caps) continue;
    if (short_caps && !(p.flags & gaz::kNameAbbrev)) continue;
    any = true;
    break;
  }
  return any;
}

// "the southern front": no name, but a part of the war's front (in Ukraine). Not a
// toponym to report; events may still use it as a location.
void DocResolver::ScanFront(uint32_t si, uint32_t i) {
  if (front_country_ == kNone || i == 0) return;
  if (std::find(cues_.front_words.begin(), cues_.front_words.end(), toks_[i].hash) == cues_.front_words.end()) return;
  const Sentence& s = doc_.sentences[si];
  const CueLexicon::Hit h = cues_.lexicon.Ending(toks_, i, s.token_begin, CueMask(CueClass::kQualifierBefore));
  if (!h.ok() || cues_.qualifiers[h.payload].kind != QualifierKind::kPart || MentionAt(h.begin) != kNone) return;
  Mention m;
  m.begin = m.span_begin = h.begin;
  m.end = m.span_end = i + 1;
  m.sentence = si;
  m.front = true;
  m.org = true;  // not reportable
  m.qual = &cues_.qualifiers[h.payload];
  for (uint32_t k = m.begin; k < m.end; ++k) token_mention_[k] = static_cast<uint32_t>(mentions_.size());
  mentions_.push_back(m);
}

void DocResolver::Scan() {
  token_mention_.assign(toks_.size(), kNone);
  for (uint32_t si = 0; si < doc_.sentences.size(); ++si) {
    const Sentence& s = doc_.sentences[si];
    const bool shouting = Shouting(s);
    uint32_t first_word = s.token_begin;
    while (first_word < s.token_end && !toks_[first_word].Is(kTokWord)) ++first_word;
    for (uint32_t i = s.token_begin; i < s.token_end;) {
      const Token& t = toks_[i];
      if (!t.Is(kTokWord) || (!t.Is(kTokCapitalized) && !IsCyrillicToken(doc_.Folded(t)))) {
        if (t.Is(kTokWord)) ScanFront(si, i);
        ++i;
        continue;
      }
      uint32_t node = Gazetteer::Root();
      uint32_t best_end = 0, best_node = kNoNode;
      for (uint32_t j = i; j < s.token_end && j - i < kMaxNameTokens; ++j) {
        node = gaz_.Child(node, toks_[j].hash);
        if (node == kNoNode) break;
        if (gaz_.Postings(node).empty()) continue;
        if (!CaseOk(i, j + 1, node, shouting)) continue;
        best_end = j + 1;
        best_node = node;
      }
      if (best_node == kNoNode) {
        ++i;
        continue;
      }
      Mention m;
      m.begin = m.span_begin = i;
      m.end = m.span_end = best_end;
      m.sentence = si;
      m.node = best_node;
      m.initial = i == first_word;
      m.drop = doc_.IsRemoved(Span{toks_[i].span.begin, toks_[best_end - 1].span.end});
      for (uint32_t k = i; k < best_end; ++k) token_mention_[k] = static_cast<uint32_t>(mentions_.size());
      mentions_.push_back(m);
      i = best_end;
    }
  }
}

void DocResolver::Analyse(Mention& m, uint32_t me) {
  const Sentence& s = doc_.sentences[m.sentence];
  const uint32_t sb = s.token_begin, se = s.token_end;

  // A part of a hyphenated compound ("Alexander-Kalininovo") is not a place by itself,
  // unless the other part is one too ("Russia-Ukraine").
  if (toks_[m.begin].Is(kTokHyphenBefore) && m.begin > sb && toks_[m.begin - 1].Is(kTokCapitalized) &&
      MentionAt(m.begin - 1) == kNone) {
    m.drop = m.compound = true;
  }
  if (m.end < se && toks_[m.end].Is(kTokHyphenBefore) && toks_[m.end].Is(kTokCapitalized) &&
      MentionAt(m.end) == kNone) {
    m.drop = m.compound = true;
  }
  // Part of a longer proper name the gazetteer does not know ("Olenegorsky Gornyak",
  // "Malaya Loknya"): a capitalised word glued to it, not a place and not a cue.
  const uint32_t glue_mask = CueMask(CueClass::kRegionAfter) | CueMask(CueClass::kQualifierAfter) |
                             CueMask(CueClass::kOrgAfter) | CueMask(CueClass::kQualifierBefore) |
                             CueMask(CueClass::kTitle) | CueMask(CueClass::kFirstName) |
                             CueMask(CueClass::kMonth) | CueMask(CueClass::kConnector);
  auto glue = [&](uint32_t k) {
    const Token& t = toks_[k];
    return t.Is(kTokWord) && t.Is(kTokCapitalized) && !t.Is(kTokAllCaps) && MentionAt(k) == kNone &&
           !gaz_.IsStopWord(t.hash) && !cues_.lexicon.Starting(toks_, k, k + 1, glue_mask).ok();
  };
  uint32_t first_word = sb;
  while (first_word < se && !toks_[first_word].Is(kTokWord)) ++first_word;
  const bool headline = TitleCase(s) || Shouting(s);
  if (!headline) {
    if (m.begin > first_word && glue(m.begin - 1) && !toks_[m.begin - 1].Is(kTokSentenceStart)) m.glued = true;
    if (m.end < se && glue(m.end)) m.glued = true;
  }
  if (m.end < se && toks_[m.end].Is(kTokWord) && !toks_[m.end].Is(kTokCapitalized) &&
      !IsCyrillicToken(doc_.Folded(toks_[m.end]))) {
    m.modifier = true;
  }

  // Common words and months need a cue.
  if (m.node != kNoNode && (gaz_.NodeFlags(m.node) & gaz::kNodeCommonWord)) m.common = true;
  if (m.end == m.begin + 1 && IsLowerElsewhere(toks_[m.begin].hash)) m.common = true;
  // Cyrillic names match in any case, but a lower-case word ("перемога", victory) is
  // a word first: it needs the same evidence as an English one.
  if (!toks_[m.begin].Is(kTokCapitalized) && IsCyrillicToken(doc_.Folded(toks_[m.begin]))) m.common = true;
  const CueLexicon::Hit month = cues_.lexicon.Starting(toks_, m.begin, m.end, CueMask(CueClass::kMonth));
  if (month.ok() && month.end == m.end) m.common = m.month = true;

  // The name itself a person ("Putin"), or after a title or a given name.
  const CueLexicon::Hit self = cues_.lexicon.Starting(toks_, m.begin, m.end, CueMask(CueClass::kPerson));
  if (self.ok() && self.end == m.end) m.person = true;

  // --- before ---
  uint32_t p = m.begin;
  if (cues_.lexicon.Ending(toks_, p, sb, CueMask(CueClass::kOrgBefore)).ok()) m.org = true;
  if (p > sb && TokenIs(p - 1, "the")) m.article = true;
  const uint32_t before_mask = CueMask(CueClass::kRegionBefore) | CueMask(CueClass::kQualifierBefore) |
                               CueMask(CueClass::kTitle) | CueMask(CueClass::kFirstName) |
                               CueMask(CueClass::kLocative) | CueMask(CueClass::kActorBefore);
  CueLexicon::Hit hit = cues_.lexicon.Ending(toks_, p, sb, before_mask);
  if (!hit.ok() && m.article) hit = cues_.lexicon.Ending(toks_, p - 1, sb, before_mask);
  if (hit.ok()) {
    switch (hit.cls) {
      case CueClass::kRegionBefore: {
        const RegionWord& w = cues_.region_words[hit.payload];
        // "the Kuibyshevsky district of Donetsk": a district of a city, the city.
        const uint32_t before = hit.begin - 1;
        // ("the eastern Ukrainian region of Luhansk" is the oblast: a demonym is no name.)
        const bool named_part = hit.begin > sb && toks_[before].Is(kTokCapitalized) &&
                                !TokenIs(before, "the") && before != first_word &&
                                !gaz_.IsStopWord(toks_[before].hash) &&
                                (w.unit == PlaceUnit::kAdmin2 || w.unit == PlaceUnit::kAdmin1);
        m.want = named_part ? PlaceUnit::kSettlement : w.unit;
        m.size = named_part ? SizeHint::kLarge : w.size;
        m.cue = true;
        if (w.in_span) m.span_begin = hit.begin;
        break;
      }
      case CueClass::kQualifierBefore: {
        const Qualifier& q = cues_.qualifiers[hit.payload];
        m.qual = &q;
        m.cue = q.kind != QualifierKind::kAround;
        m.locative = true;
        m.qual_the = hit.begin > sb && TokenIs(hit.begin - 1, "the");
        // "eastern Ukraine"; not "eastern Donetsk Oblast", whose text would no longer
        // start or end with the name.
        if (q.kind == QualifierKind::kPart && m.end == m.begin + 1) m.span_begin = hit.begin;
        break;
      }
      case CueClass::kTitle:
      case CueClass::kFirstName:
        // "President Zelensky", "Vladimir Putin" (not across "the").
        if (hit.end == m.begin) m.person = true;
        break;
      case CueClass::kLocative:
        m.locative = true;
        break;
      case CueClass::kActorBefore:
        m.actor = true;
        break;
      default:
        break;
    }
    // A locative before the cue: "in eastern Ukraine", "near the city of X".
    if (!m.locative) {
      uint32_t q = hit.begin;
      if (q > sb && TokenIs(q - 1, "the")) --q;
      if (cues_.lexicon.Ending(toks_, q, sb, CueMask(CueClass::kLocative)).ok()) m.locative = true;
    }
  }

  // --- after ---
  uint32_t e = m.end;
  if (e < se && toks_[e].Is(kTokApostropheS)) {
    const CueLexicon::Hit h = cues_.lexicon.Starting(
        toks_, e + 1, se,
        CueMask(CueClass::kOrgPossessive) | CueMask(CueClass::kActorPossessive) | CueMask(CueClass::kPartNoun));
    if (h.ok() && MentionAt(e + 1) == kNone) {
      if (h.cls == CueClass::kOrgPossessive) m.org = true;
      else if (h.cls == CueClass::kActorPossessive) m.actor = true;
      else if (h.cls == CueClass::kPartNoun) m.part_dir = cues_.part_nouns[h.payload];
    }
  } else if (e < se) {
    const CueLexicon::Hit h = cues_.lexicon.Starting(
        toks_, e, se,
        CueMask(CueClass::kRegionAfter) | CueMask(CueClass::kQualifierAfter) | CueMask(CueClass::kOrgAfter) |
            CueMask(CueClass::kActorAfter));
    if (h.ok()) {
      switch (h.cls) {
        case CueClass::kRegionAfter: {
          const RegionWord& w = cues_.region_words[h.payload];
          m.want = w.unit;
          m.size = w.size;
          m.cue = true;
          if (w.in_span) {
            m.span_end = h.end;
            m.span_begin = m.begin;
          }
          if (w.plural) CoverList(me, [&](Mention& o) {
            o.want = w.unit;
            o.cue = true;
          });
          break;
        }
        case CueClass::kQualifierAfter: {
          const Qualifier* q = &cues_.qualifiers[h.payload];
          m.qual = q;
          m.cue = true;
          m.span_end = h.end;
          m.span_begin = m.begin;
          if (q->plural) CoverList(me, [&](Mention& o) {
            o.qual = q;
            o.cue = true;
          });
          break;
        }
        case CueClass::kOrgAfter:
          if (MentionAt(e) == kNone) m.org = true;
          break;
        case CueClass::kActorAfter:
          m.actor = true;
          m.speaks = cues_.speech[h.payload];
          break;
        default:
          break;
      }
    }
    // A capitalised word right after: a surname after a given name ("Sofia Kovalenko")
    // or after anything when it ends like one.
    // (A given name stays one when the surname is itself some place's name: "Vladimir
    // Putin", whose "Putin" looks like a village.)
    if (!h.ok() && !headline && toks_[e].Is(kTokWord) && toks_[e].Is(kTokCapitalized) &&
        !toks_[e].Is(kTokAllCaps) && !toks_[e].Is(kTokHyphenBefore)) {
      const CueLexicon::Hit given = cues_.lexicon.Starting(toks_, m.begin, m.end, CueMask(CueClass::kFirstName));
      if (given.ok() && given.end == m.end) m.person = true;
    }
    if (!h.ok() && !headline && toks_[e].Is(kTokWord) && toks_[e].Is(kTokCapitalized) && !toks_[e].Is(kTokAllCaps) &&
        MentionAt(e) == kNone && !toks_[e].Is(kTokHyphenBefore)) {
      const std::string_view next = doc_.Folded(toks_[e]);
      if (next.size() >= 5) {
        for (const std::string& suffix : cues_.surname_suffixes) {
          if (next.size() > suffix.size() + 2 && next.ends_with(suffix)) {
            m.person = true;
            break;
          }
        }
      }
    }
    // ", Zaporizhzhia Oblast": the unit that places this name; ", a village in ...":
    // what kind of place it is.
    if (TokenIs(e, ",") && e + 1 < se) {
      const uint32_t o = MentionAt(e + 1);
      if (o != kNone && o > me) m.admin_after = true;
      const CueLexicon::Hit ap = cues_.lexicon.Starting(toks_, e + 1, se, CueMask(CueClass::kAppositive));
      if (ap.ok() && m.want == PlaceUnit::kAny) {
        const RegionWord& w = cues_.region_words[ap.payload];
        m.want = w.unit;
        m.size = w.size;
        m.cue = true;
      }
    }
  }
}

template <typename F>
void DocResolver::CoverList(uint32_t me, F&& f) {
  if (me >= mentions_.size()) return;
  for (uint32_t k = me; k-- > 0;) {
    Mention& o = mentions_[k];
    if (o.sentence != mentions_[me].sentence || o.want != PlaceUnit::kAny || o.qual != nullptr) break;
    bool joined = o.end < mentions_[k + 1].begin;
    for (uint32_t t = o.end; t < mentions_[k + 1].begin && joined; ++t) {
      const std::string_view fold = doc_.Folded(toks_[t]);
      joined = fold == "," || fold == "and" || fold == "or" || fold == "&";
    }
    if (!joined) break;
    f(o);
  }
}

void DocResolver::FindLists() {
  // Mentions joined only by commas, "and", "or" form a list; a preposition before the
  // first covers them all ("in Kursk, Voronezh and Nizhny Novgorod").
  for (Mention& m : mentions_) m.list = kNone;
  for (size_t k = 1; k < mentions_.size(); ++k) {
    Mention& a = mentions_[k - 1];
    Mention& b = mentions_[k];
    if (a.sentence != b.sentence || a.drop || b.drop) continue;
    bool joined = a.span_end < b.span_begin;
    for (uint32_t t = a.span_end; t < b.span_begin && joined; ++t) {
      const std::string_view f = doc_.Folded(toks_[t]);
      joined = f == "," || f == "and" || f == "or" || f == "&";
    }
    if (!joined) continue;
    if (a.list == kNone) a.list = static_cast<uint32_t>(k - 1);
    b.list = a.list;
    if (a.locative) b.locative = true;
  }
  // "the Lyman, Bakhmut and Avdiivka directions": a noun after the list makes every
  // member a modifier, and the article before it is the noun's.
  for (size_t k = mentions_.size(); k-- > 1;) {
    Mention& a = mentions_[k - 1];
    const Mention& b = mentions_[k];
    if (a.list != kNone && a.list == b.list && b.modifier) a.modifier = true;
  }
}

float DocResolver::Prior(const Cand& c) const {
  const gaz::EntryRecord& e = gaz_.Entry(c.entry);
  float s = e.rank;
  // GeoNames leaves most villages' population at 0 (unknown): below a floor, size
  // says nothing.
  if (e.feature_class == 'P' && c.derived == PlaceUnit::kAny) {
    s += kPopulationWeight * std::log10(static_cast<float>(std::max(e.population, kPopulationFloor)));
    // Towns are known by name: a namesake village needs strong evidence to win.
    if (e.population >= kTownPopulation) s += kTownBonus;
  }
  if (e.country[0] == 'U' && e.country[1] == 'A') s += kUkraineBonus;
  else if (e.flags & gaz::kEntryBorder) s += kBorderBonus;
  else if (AtWar(e)) s += kWarCountryBonus;
  if (e.flags & gaz::kEntryCurated) s += kCuratedBonus;
  // A country's name means the country, not a village called after it ("Moldova").
  if (static_cast<PlaceFeature>(e.feature) == PlaceFeature::kCountry) s += kCountryProminence;
  // A place's own name beats an old name, or an error, another place has kept.
  if (c.name_flags & gaz::kNameOwn) s += kOwnNameBonus;
  else s -= kAliasPenalty;
  s -= kFuzzyPenalty * c.dist;
  return s;
}

void DocResolver::AddCand(Mention& m, uint32_t entry, uint16_t flags, uint8_t dist, PlaceUnit derived) {
  for (uint32_t k = m.cand_begin; k < m.cand_begin + m.cand_count; ++k) {
    if (cands_[k].entry == entry && cands_[k].derived == derived) {
      cands_[k].name_flags |= flags;
      return;
    }
  }
  Cand c;
  c.entry = entry;
  c.name_flags = flags;
  c.dist = dist;
  c.derived = derived;
  c.prior = Prior(c);
  // "the village of X", "X, a city ...": a namesake of the wrong size is unlikely.
  const gaz::EntryRecord& e = gaz_.Entry(entry);
  if (e.feature_class == 'P' && derived == PlaceUnit::kAny) {
    // News calls settlements of up to some 15,000 people villages.
    if (m.size == SizeHint::kSmall && e.population >= kTownPopulation) c.prior -= kSizePenalty;
    else if (m.size == SizeHint::kSmall && e.population >= kStrongPopulation) c.prior -= kSizePenalty / 3;
    if (m.size == SizeHint::kLarge && e.population < kStrongPopulation) c.prior -= kSizePenalty;
  }
  c.cos_lat = static_cast<float>(CosLat(gaz_.Entry(entry).lat));
  cands_.push_back(c);
  ++m.cand_count;
}

void DocResolver::BuildCandidates(Mention& m) {
  m.cand_begin = static_cast<uint32_t>(cands_.size());
  m.cand_count = 0;
  const bool all_caps = toks_[m.begin].Is(kTokAllCaps);
  bool lower_tail = false;
  for (uint32_t k = m.begin + 1; k < m.end; ++k) {
    const Token& t = toks_[k];
    if (t.Is(kTokWord) && !t.Is(kTokCapitalized) && !t.Is(kTokHyphenBefore) && !IsCyrillicToken(doc_.Folded(t)) &&
        !cues_.lexicon.Starting(toks_, k, k + 1, CueMask(CueClass::kConnector)).ok()) {
      lower_tail = true;
    }
  }
  std::vector<Raw>& raw = raw_;
  raw.clear();
  for (const gaz::Posting& p : gaz_.Postings(m.node)) {
    if ((p.flags & gaz::kNameAbbrev) && !all_caps) continue;
    if (lower_tail && !(p.flags & gaz::kNameLowerTail)) continue;
    raw.push_back(Raw{p.entry, p.flags});
  }
  auto feature = [&](uint32_t e) { return gaz_.Feature(e); };
  // "the Kupiansk direction": fronts are named after towns. After a country or a
  // region the word is something else ("U.S. Sector").
  if (m.qual != nullptr && m.qual->kind == QualifierKind::kAxis) {
    bool town = false;
    for (const Raw& r : raw) town |= feature(r.entry) == PlaceFeature::kSettlement;
    if (!town) {
      m.qual = nullptr;
      m.span_end = m.end;
    }
  }
  auto keep_if = [&](auto&& pred) {
    bool any = false;
    for (const Raw& r : raw) any |= pred(r.entry);
    if (!any) return false;
    for (const Raw& r : raw) {
      if (pred(r.entry)) AddCand(m, r.entry, r.flags, 0, PlaceUnit::kAny);
    }
    return true;
  };
  switch (m.want) {
    case PlaceUnit::kAdmin1: {
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kRegion; })) return;
      for (const Raw& r : raw) {
        const gaz::EntryRecord& e = gaz_.Entry(r.entry);
        if (e.feature_class != 'P') continue;
        const uint32_t unit = e.admin1 == gaz::kNoAdmin ? gaz::kNoIndex : gaz_.Admin1(e.admin1).entry;
        if (unit != gaz::kNoIndex) {
          AddCand(m, unit, r.flags, 0, PlaceUnit::kAny);
        } else {
          AddCand(m, r.entry, r.flags, 0, PlaceUnit::kAdmin1);
        }
      }
      if (m.cand_count > 0) return;
      break;
    }
    case PlaceUnit::kAdmin2: {
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kDistrict; })) return;
      for (const Raw& r : raw) {
        const gaz::EntryRecord& e = gaz_.Entry(r.entry);
        if (e.feature_class != 'P') continue;
        const uint32_t unit = e.admin2 == gaz::kNoAdmin ? gaz::kNoIndex : gaz_.Admin2(e.admin2).entry;
        // Districts are named after their seat (a PPLA2): only a seat names one.
        const std::string_view code = gaz_.FeatureCode(r.entry);
        const bool seat = code == "PPLA2" || code == "PPLA" || code == "PPLC";
        if (unit != gaz::kNoIndex && seat) {
          AddCand(m, unit, r.flags, 0, PlaceUnit::kAny);
        } else {
          AddCand(m, r.entry, r.flags, 0, PlaceUnit::kAdmin2);
        }
      }
      if (m.cand_count > 0) return;
      break;
    }
    case PlaceUnit::kSettlement:
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kSettlement; })) return;
      break;
    case PlaceUnit::kRiver:
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kRiver; })) return;
      break;
    case PlaceUnit::kWater:
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kWater; })) return;
      break;
    case PlaceUnit::kSea:
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kSea; })) return;
      break;
    case PlaceUnit::kFacility:
      if (keep_if([&](uint32_t e) { return feature(e) == PlaceFeature::kFacility; })) return;
      break;
    case PlaceUnit::kAny:
      // "the Dnipro" is the river; "the Moskva" a ship: an article before a name that
      // only settlements carry means it is not the settlement.
      if (m.article && !m.qual && !m.org && !m.modifier) {
        if (keep_if([&](uint32_t e) {
              const PlaceFeature f = feature(e);
              return f != PlaceFeature::kSettlement && f != PlaceFeature::kFacility;
            })) {
          return;
        }
      }
      break;
  }
  // No candidate is the unit the word asks for ("U.S. District Court", "Taiwan city"):
  // the word is not about this name.
  if (m.want != PlaceUnit::kAny) {
    m.want = PlaceUnit::kAny;
    m.span_end = m.end;
  }
  for (const Raw& r : raw) AddCand(m, r.entry, r.flags, 0, PlaceUnit::kAny);
}

bool DocResolver::Strong(const Cand& c) const {
  const gaz::EntryRecord& e = gaz_.Entry(c.entry);
  if (c.derived != PlaceUnit::kAny) return true;
  if (e.flags & gaz::kEntryCurated) return true;
  const PlaceFeature f = static_cast<PlaceFeature>(e.feature);
  if (f == PlaceFeature::kCountry || f == PlaceFeature::kRegion) return true;
  if (!AtWar(e)) {
    // Elsewhere only towns under their own name: alternates of world cities include
    // English words in other languages ("The", "Jan").
    const uint16_t own = gaz::kNamePrimary | gaz::kNameDisplay | gaz::kNameCurated | gaz::kNameOwn;
    if (!(c.name_flags & own)) return false;
    return e.feature_class == 'P' && (e.population >= kStrongWorldPopulation || e.rank >= 8);
  }
  // A name only an old map or an error gives the place ("Roy", "Bert"): no stronger
  // than a village.
  if (!(c.name_flags & (gaz::kNameOwn | gaz::kNameCurated)) && e.population < kMajorPopulation) return false;
  if (e.feature_class == 'P') return e.population >= kStrongPopulation || e.rank >= 8;
  return e.rank >= 7;
}

// Very strong: a name writers use bare, whatever surrounds it.
bool DocResolver::Major(const Cand& c) const {
  const gaz::EntryRecord& e = gaz_.Entry(c.entry);
  if (!Strong(c)) return false;
  const PlaceFeature f = static_cast<PlaceFeature>(e.feature);
  return (e.flags & gaz::kEntryCurated) || f == PlaceFeature::kCountry || e.population >= kMajorPopulation ||
         gaz_.FeatureCode(c.entry) == "ADM1";
}

// How much a resolved place says about its neighbourhood: a village pins a list of
// villages down, a city of a million is near everything.
float Specificity(const gaz::EntryRecord& e) {
  if (e.population >= kMajorPopulation) return 0.6f;
  if (e.population >= kTownPopulation) return 0.8f;
  return 1.0f;
}

// Evidence from a neighbour at this distance: a village 3 km away says far more than
// one 50 km away; beyond ~200 km nothing.
float ProximityBonus(double km) {
  constexpr double kMax = 6.0, kScaleKm = 50.0;
  return km >= 250 ? 0.0f : static_cast<float>(kMax * std::exp(-km / kScaleKm));
}

// Context: admin-1 units the document names, and proximity to its other places.
float DocResolver::Context(const Mention& m, const Cand& c, bool use_anchors) const {
  const gaz::EntryRecord& e = gaz_.Entry(c.entry);
  float ctx = 0;
  if (e.admin1 != gaz::kNoAdmin && static_cast<PlaceFeature>(e.feature) != PlaceFeature::kRegion) {
    for (const NamedUnit& u : admin1_named_) {
      if (u.admin1 != e.admin1) continue;
      // The nearest sentence naming the unit.
      auto it = std::lower_bound(u.sentences.begin(), u.sentences.end(), m.sentence);
      uint32_t gap = UINT32_MAX;
      if (it != u.sentences.end()) gap = *it - m.sentence;
      if (it != u.sentences.begin()) gap = std::min(gap, m.sentence - *(it - 1));
      ctx = gap == 0 ? kUnitSameSentence : gap <= 2 ? kUnitNearby : kUnitInDocument;
    }
    if (ctx == 0 && std::binary_search(admin1_implied_.begin(), admin1_implied_.end(), e.admin1)) {
      ctx = kUnitImplied;
    }
  }
  if (!use_anchors) return ctx;
  const PlaceFeature f = static_cast<PlaceFeature>(e.feature);
  if (f == PlaceFeature::kCountry || f == PlaceFeature::kSea || f == PlaceFeature::kRegion) return ctx;
  // The best supporting place counts fully, the next ones less: several neighbours
  // agreeing beat one.
  float b[3] = {0, 0, 0};
  auto take = [&b](float v) {
    if (v > b[0]) {
      b[2] = b[1];
      b[1] = b[0];
      b[0] = v;
    } else if (v > b[1]) {
      b[2] = b[1];
      b[1] = v;
    } else if (v > b[2]) {
      b[2] = v;
    }
  };
  const double cos_lat = c.cos_lat;
  // List-mates ("Dovhenke, Ternova and Petrivka") are the strongest evidence when they
  // are villages.
  constexpr size_t kMaxMates = 16;
  uint32_t mate_entries[kMaxMates];
  size_t mates = 0;
  if (m.list != kNone) {
    for (uint32_t k = m.list; k < mentions_.size() && mentions_[k].list == m.list; ++k) {
      const Mention& o = mentions_[k];
      if (&o == &m || o.drop || o.person || o.chosen < 0) continue;
      const gaz::EntryRecord& oe = gaz_.Entry(cands_[o.cand_begin + o.chosen].entry);
      if (oe.radius_km > 40 || cands_[o.cand_begin + o.chosen].entry == c.entry) continue;
      const float boost = oe.population < kTownPopulation ? 1.3f : 1.0f;
      take(ProximityBonus(Km(e.lat, e.lon, oe.lat, oe.lon, cos_lat)) * boost * Specificity(oe) *
           std::clamp(o.confidence, 0.3f, 1.0f));
      if (mates < kMaxMates) mate_entries[mates++] = cands_[o.cand_begin + o.chosen].entry;
    }
  }
  for (const Anchor& a : anchors_) {
    if (a.entry == c.entry) continue;
    if (std::find(mate_entries, mate_entries + mates, a.entry) != mate_entries + mates) continue;
    take(ProximityBonus(Km(e.lat, e.lon, a.lat, a.lon, cos_lat)) * a.weight);
  }
  return ctx + b[0] + 0.5f * b[1] + 0.25f * b[2];
}

void DocResolver::CollectContext(bool anchors) {
  admin1_named_.clear();
  admin1_implied_.clear();
  if (anchors) anchors_.clear();
  for (uint32_t k = 0; k < mentions_.size(); ++k) {
    const Mention& m = mentions_[k];
    if (m.drop || m.person || m.chosen < 0) continue;
    const Cand& c = cands_[m.cand_begin + m.chosen];
    const gaz::EntryRecord& e = gaz_.Entry(c.entry);
    const std::string_view code = gaz_.FeatureCode(c.entry);
    const bool unit = code == "ADM1" || c.derived == PlaceUnit::kAdmin1 || code == "ADM2" ||
                      c.derived == PlaceUnit::kAdmin2 || (m.want == PlaceUnit::kAdmin1 || m.want == PlaceUnit::kAdmin2);
    if (unit && e.admin1 != gaz::kNoAdmin && !m.org) {
      auto it = std::find_if(admin1_named_.begin(), admin1_named_.end(),
                             [&](const NamedUnit& u) { return u.admin1 == e.admin1; });
      if (it == admin1_named_.end()) {
        admin1_named_.push_back(NamedUnit{e.admin1, {}});
        it = admin1_named_.end() - 1;
      }
      if (it->sentences.empty() || it->sentences.back() != m.sentence) it->sentences.push_back(m.sentence);
      continue;
    }
    const PlaceFeature f = static_cast<PlaceFeature>(e.feature);
    if (f == PlaceFeature::kCountry || f == PlaceFeature::kSea || f == PlaceFeature::kRegion) continue;
    if (m.confidence >= 0.7f && e.admin1 != gaz::kNoAdmin && Strong(c)) admin1_implied_.push_back(e.admin1);
    if (anchors && !m.org && e.radius_km <= 40) {
      const float w = std::clamp(m.confidence, 0.3f, 1.0f) * Specificity(e);
      auto it = std::find_if(anchors_.begin(), anchors_.end(), [&](const Anchor& a) { return a.entry == c.entry; });
      if (it == anchors_.end()) {
        anchors_.push_back(Anchor{e.lat, e.lon, w, c.entry});
      } else {
        it->weight = std::max(it->weight, w);
      }
    }
  }
  std::sort(admin1_implied_.begin(), admin1_implied_.end());
  admin1_implied_.erase(std::unique(admin1_implied_.begin(), admin1_implied_.end()), admin1_implied_.end());
}

void DocResolver::Resolve(int pass) {
  for (Mention& m : mentions_) {
    if (m.drop || m.person || m.cand_count == 0 || m.fuzzy) continue;
    if (m.cand_count == 1) {  // nothing to choose between
      m.chosen = 0;
      cands_[m.cand_begin].score = cands_[m.cand_begin].prior;
      m.confidence = 1.0f - 0.5f * std::exp(-3.0f);
      continue;
    }
    float best = -1e9f, second = -1e9f;
    int best_k = -1;
    for (uint32_t k = 0; k < m.cand_count; ++k) {
      Cand& c = cands_[m.cand_begin + k];
      c.score = c.prior + (pass == 0 ? 0.0f : Context(m, c, pass >= 2));
      if (c.score > best) {
        second = best;
        best = c.score;
        best_k = static_cast<int>(k);
      } else if (c.score > second) {
        second = c.score;
      }
    }
    m.chosen = best_k;
    const float margin = m.cand_count == 1 ? 6.0f : best - second;
    m.confidence = 1.0f - 0.5f * std::exp(-margin / 2.0f);
    if (m.fuzzy) m.confidence *= 0.7f;
  }
}

bool DocResolver::Supported(const Mention& m, const Cand& c) const {
  return Context(m, c, true) >= kSupportScore;
}

// Names that need evidence: common words and months always; small or obscure places
// without a cue, a locative, a list, or support from the document's other places.
void DocResolver::Filter() {
  // Admin-1 units each sentence names: a list of villages "in the Kursk region" lies
  // there, not in some namesake oblast.
  std::vector<std::pair<uint32_t, uint16_t>> sentence_units;
  for (const NamedUnit& u : admin1_named_) {
    for (uint32_t sentence : u.sentences) sentence_units.emplace_back(sentence, u.admin1);
  }
  std::sort(sentence_units.begin(), sentence_units.end());
  for (Mention& m : mentions_) {
    if (m.drop || m.chosen < 0) continue;
    if (m.person) {
      m.drop = true;
      continue;
    }
    // Inside an organisation's name: kept, not reported, whatever its strength.
    if (m.front || m.org) continue;
    const Cand& c = cands_[m.cand_begin + m.chosen];
    const gaz::EntryRecord& e = gaz_.Entry(c.entry);
    const bool listed = m.list != kNone;
    if (m.common) {
      if (m.glued && !m.cue) {  // "Independence Square"
        m.drop = true;
        continue;
      }
      bool ok = m.cue || m.admin_after;
      if (!m.month && Major(c) && !m.initial) ok = true;
      if (!m.month && m.locative && Supported(m, c)) ok = true;
      if (!ok) m.drop = true;
      continue;
    }
    // "the Moskva" (a ship), "the Ivanovich": an article before a bare town name.
    if (m.article && !m.modifier && !m.cue && !m.qual && m.want == PlaceUnit::kAny &&
        static_cast<PlaceFeature>(e.feature) == PlaceFeature::kSettlement) {
      m.drop = true;
      continue;
    }
    if (m.glued && !Major(c) && !m.cue && !Supported(m, c)) {
      m.drop = true;
      continue;
    }
    // "Melnikov said": a small place does not speak; a person does.
    if (m.speaks && !Strong(c)) {
      m.drop = true;
      continue;
    }
    if (Strong(c)) continue;
    const bool near = (e.country[0] == 'U' && e.country[1] == 'A') || (e.flags & gaz::kEntryBorder);
    // A small or alternately named place far from the war: only where the text says
    // it is a place ("in Tempe", "the town of Tempe").
    if (!AtWar(e)) {
      if (!(m.cue || m.locative) || m.glued) m.drop = true;
      continue;
    }
    bool other_unit = false, same_unit = false;
    const auto lo = std::lower_bound(sentence_units.begin(), sentence_units.end(),
                                     std::make_pair(m.sentence, uint16_t{0}));
    for (auto it = lo; it != sentence_units.end() && it->first == m.sentence; ++it) {
      const uint16_t a = it->second;
      for (uint32_t k = 0; k < m.cand_count; ++k) {
        if (gaz_.Entry(cands_[m.cand_begin + k].entry).admin1 == a) same_unit = true;
      }
      other_unit = true;
    }
    if (near && other_unit && !same_unit) {
      m.drop = true;
      continue;
    }
    // A hamlet (or a place of unknown size) needs the document to place it: its oblast
    // named, or neighbours found. "near Pogrebki" alone may be a Russian village the
    // gazetteer lacks, not the Ukrainian namesake 200 km away.
    const bool tiny = e.feature_class == 'P' && e.population < kTinyPopulation;
    const bool ok = tiny ? (m.cue && m.want != PlaceUnit::kAny) || m.admin_after || Supported(m, c)
                         : m.cue || m.locative || listed || m.admin_after || Supported(m, c);
    if (!ok) m.drop = true;
  }
}

void DocResolver::Fuzzy() {
  std::vector<uint32_t> nodes;
  std::vector<uint8_t> dist;
  std::string folded;
  for (uint32_t si = 0; si < doc_.sentences.size(); ++si) {
    const Sentence& s = doc_.sentences[si];
    if (TitleCase(s) || Shouting(s)) continue;  // every word capitalised: no evidence of a name
    uint32_t first_word = s.token_begin;
    while (first_word < s.token_end && !toks_[first_word].Is(kTokWord)) ++first_word;
    for (uint32_t i = s.token_begin; i < s.token_end;) {
      auto candidate_token = [&](uint32_t k) {
        const Token& t = toks_[k];
        if (!t.Is(kTokWord) || !t.Is(kTokCapitalized) || (t.Is(kTokAllCaps) && t.fold_len <= 4)) return false;
        const uint32_t at = MentionAt(k);
        if (at != kNone && !mentions_[at].compound) return false;
        if (gaz_.IsStopWord(t.hash)) return false;
        const std::string_view f = doc_.Folded(t);
        for (char ch : f) {
          if (static_cast<unsigned char>(ch) >= 0x80) return false;
        }
        return true;
      };
      if (!candidate_token(i)) {
        ++i;
        continue;
      }
      uint32_t j = i + 1;
      while (j < s.token_end && j - i < kMaxFuzzyRun && candidate_token(j)) ++j;
      const uint32_t run_end = j;
      // Evidence against a place: a person's context, a dictionary word, a verb of
      // saying after it.
      bool skip = false;
      const uint32_t person_mask = CueMask(CueClass::kTitle) | CueMask(CueClass::kFirstName) |
                                   CueMask(CueClass::kPerson);
      for (uint32_t k = i; k < run_end && !skip; ++k) {
        if (cues_.lexicon.Starting(toks_, k, k + 1, person_mask).ok()) skip = true;
        if (gaz_.IsCommonWord(toks_[k].hash) || IsLowerElsewhere(toks_[k].hash)) skip = true;
      }
      if (i > s.token_begin && cues_.lexicon.Ending(toks_, i, s.token_begin, person_mask).ok()) skip = true;
      if (run_end < s.token_end &&
          (cues_.lexicon.Starting(toks_, run_end, s.token_end, CueMask(CueClass::kActorAfter)).ok() ||
           toks_[run_end].Is(kTokApostropheS))) {
        skip = true;
      }
      if (i == first_word && run_end == i + 1) skip = true;
      if (doc_.IsRemoved(Span{toks_[i].span.begin, toks_[run_end - 1].span.end})) skip = true;
      if (skip) {
        i = run_end;
        continue;
      }
      folded.clear();
      for (uint32_t k = i; k < run_end; ++k) folded.append(doc_.Folded(toks_[k]));
      if (LetterCount(folded) < kFuzzyMinLetters) {
        i = run_end;
        continue;
      }
      nodes.clear();
      dist.clear();
      gaz_.FuzzyNodes(SkeletonKey(folded), &nodes, &dist);
      Mention m;
      m.begin = m.span_begin = i;
      m.end = m.span_end = run_end;
      m.sentence = si;
      m.fuzzy = true;
      m.cand_begin = static_cast<uint32_t>(cands_.size());
      for (size_t k = 0; k < nodes.size(); ++k) {
        for (const gaz::Posting& p : gaz_.Postings(nodes[k])) {
          const gaz::EntryRecord& e = gaz_.Entry(p.entry);
          const bool near = (e.country[0] == 'U' && e.country[1] == 'A') || (e.flags & gaz::kEntryBorder);
          if (!near || !(e.feature_class == 'P' || e.feature_class == 'A')) continue;
          if (p.flags & gaz::kNameAbbrev) continue;
          AddCand(m, p.entry, p.flags, std::max<uint8_t>(1, dist[k]), PlaceUnit::kAny);
        }
      }
      // Accepted only where the document supports it: the same oblast named, or near
      // the places already found.
      int best_k = -1;
      float best = -1e9f;
      for (uint32_t k = 0; k < m.cand_count; ++k) {
        Cand& c = cands_[m.cand_begin + k];
        const float ctx = Context(m, c, true);
        if (ctx < kFuzzySupportScore) continue;
        c.score = c.prior + ctx;
        if (c.score > best) {
          best = c.score;
          best_k = static_cast<int>(k);
        }
      }
      if (best_k < 0) {
        cands_.resize(m.cand_begin);
        i = run_end;
        continue;
      }
      for (uint32_t k = i; k < run_end; ++k) {
        const uint32_t at = MentionAt(k);
        if (at != kNone) token_mention_[k] = kNone;
      }
      m.chosen = best_k;
      m.confidence = 0.6f;
      m.node = kNoNode;
      Analyse(m, static_cast<uint32_t>(mentions_.size()));
      m.chosen = best_k;  // Analyse does not choose; keep the fuzzy pick
      if (m.person || m.org) {
        cands_.resize(m.cand_begin);
        i = run_end;
        continue;
      }
      for (uint32_t k = i; k < run_end; ++k) token_mention_[k] = static_cast<uint32_t>(mentions_.size());
      mentions_.push_back(m);
      i = run_end;
    }
  }
  std::sort(mentions_.begin(), mentions_.end(),
            [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
}

void DocResolver::Emit() {
  doc_.places.clear();
  for (const Mention& m : mentions_) {
    if (m.drop || m.person || m.chosen < 0) continue;
    const Cand& c = cands_[m.cand_begin + m.chosen];
    const gaz::EntryRecord& e = gaz_.Entry(c.entry);
    Place p;
    p.span = Span{toks_[m.span_begin].span.begin, toks_[m.span_end - 1].span.end};
    p.token_begin = m.span_begin;
    p.token_end = m.span_end;
    p.sentence = m.sentence;
    p.entry = c.entry;
    p.id = gaz_.Id(c.entry);
    p.name = std::string(gaz_.Name(c.entry));
    p.lat = e.lat;
    p.lon = e.lon;
    p.radius_km = e.radius_km;
    p.admin1 = std::string(gaz_.Admin1Name(c.entry));
    const std::string_view country = gaz_.Country(c.entry);
    if (country[0] != ' ') p.country = std::string(country);
    p.feature = gaz_.Feature(c.entry);
    if (c.derived == PlaceUnit::kAdmin1) {
      p.feature = PlaceFeature::kRegion;
      p.radius_km = kDerivedAdmin1Km;
      if (!p.admin1.empty()) p.name = p.admin1;
    } else if (c.derived == PlaceUnit::kAdmin2) {
      p.feature = PlaceFeature::kDistrict;
      p.radius_km = kDerivedAdmin2Km;
    }
    const bool area = p.feature == PlaceFeature::kCountry || p.feature == PlaceFeature::kRegion;
    // A part of a country or region: its own centre ("eastern Ukraine").
    uint8_t part = m.part_dir;
    if (m.qual && m.qual->kind == QualifierKind::kPart) part = m.qual->direction;
    // "the east of Ukraine", "north of Ukraine": a part of a country, not beyond it.
    if (m.qual && m.qual->kind == QualifierKind::kOffset && area) part = m.qual->direction;
    if (m.qual) p.qualifier = m.qual->text;
    if (part != kNoDirection && area && m.want == PlaceUnit::kAny) {
      const RegionShift* shift = nullptr;
      if (p.feature == PlaceFeature::kCountry) shift = cues_.Shift(p.country, part);
      else if (e.admin1 != gaz::kNoAdmin) shift = cues_.Shift(gaz_.Str(gaz_.Admin1(e.admin1).code), part);
      if (shift != nullptr) {
        p.lat = shift->lat;
        p.lon = shift->lon;
        p.radius_km = shift->radius_km;
      } else {
        double north, east;
        DirectionVector(part, &north, &east);
        const double km = 0.5 * p.radius_km;
        p.lat += north * km / 111.0;
        p.lon += east * km / (111.0 * std::max(0.2, std::cos(p.lat * 3.14159265358979 / 180.0)));
        p.radius_km *= 0.6f;
      }
      p.feature = PlaceFeature::kRegion;
      if (p.qualifier.empty() && m.part_dir != kNoDirection) {
        static constexpr std::string_view kAdj[] = {"northern", "northeastern", "eastern", "southeastern",
                                                    "southern", "southwestern", "western", "northwestern",
                                                    "central"};
        p.qualifier = std::string(kAdj[m.part_dir]);
      }
    } else if (m.qual && part == kNoDirection) {
      if (m.qual->kind == QualifierKind::kAxis) {
        p.radius_km = std::max(p.radius_km, m.qual->radius_km);
      } else {
        p.radius_km += m.qual->radius_km;
      }
    } else if (m.qual && !area) {
      // "eastern Kharkiv": a part of a town; the town's extent already covers it.
    } else if (m.qual && m.want != PlaceUnit::kAny) {
      // "northeastern Kharkiv region": the adjective places the region, not a part of it.
      p.qualifier.clear();
    }
    if (m.front) p.qualifier += " front";
    p.reportable = !m.org;
    p.as_actor = m.actor && (p.feature == PlaceFeature::kCountry || (e.flags & gaz::kEntryCapital)) &&
                 part == kNoDirection;
    p.confidence = m.confidence;
    p.fuzzy = m.fuzzy;
    doc_.places.push_back(std::move(p));
  }
}

void DocResolver::Dump() const {
  for (const Mention& m : mentions_) {
    std::fprintf(stderr, "[places] %s s%u '%.*s' drop=%d person=%d common=%d glued=%d art=%d loc=%d cue=%d list=%d want=%d fuzzy=%d conf=%.2f\n",
                 doc_.doc_id.c_str(), m.sentence,
                 static_cast<int>(toks_[m.span_end - 1].span.end - toks_[m.span_begin].span.begin),
                 doc_.text.data() + toks_[m.span_begin].span.begin, m.drop, m.person, m.common, m.glued, m.article,
                 m.locative, m.cue, m.list != kNone, static_cast<int>(m.want), m.fuzzy, m.confidence);
    std::vector<uint32_t> order;
    for (uint32_t k = 0; k < m.cand_count; ++k) order.push_back(k);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return cands_[m.cand_begin + a].score > cands_[m.cand_begin + b].score;
    });
    for (size_t r = 0; r < order.size() && r < 5; ++r) {
      const Cand& c = cands_[m.cand_begin + order[r]];
      const gaz::EntryRecord& e = gaz_.Entry(c.entry);
      std::fprintf(stderr, "    %s %-24s %-20s %.3f,%.3f prior %.2f score %.2f%s\n",
                   static_cast<int>(order[r]) == m.chosen ? "*" : " ", std::string(gaz_.Name(c.entry)).c_str(),
                   std::string(gaz_.Admin1Name(c.entry)).c_str(), e.lat, e.lon, c.prior, c.score,
                   Strong(c) ? " strong" : "");
    }
  }
}

void DocResolver::Run() {
  if (toks_.empty() || doc_.sentences.empty()) return;
  for (const Token& t : toks_) {
    if (t.Is(kTokWord) && !t.Is(kTokCapitalized)) lower_words_.push_back(t.hash);
  }
  std::sort(lower_words_.begin(), lower_words_.end());
  lower_words_.erase(std::unique(lower_words_.begin(), lower_words_.end()), lower_words_.end());

  Scan();
  for (uint32_t k = 0; k < mentions_.size(); ++k) {
    if (!mentions_[k].front) Analyse(mentions_[k], k);
  }
  FindLists();
  cands_.reserve(mentions_.size() * 4);
  for (Mention& m : mentions_) {
    if (m.front) {
      m.cand_begin = static_cast<uint32_t>(cands_.size());
      AddCand(m, front_country_, gaz::kNameOwn, 0, PlaceUnit::kAny);
    } else if (!m.drop) {
      BuildCandidates(m);
    }
  }
  Resolve(0);
  CollectContext(false);
  Resolve(1);
  CollectContext(true);
  Resolve(2);
  CollectContext(true);
  Resolve(3);
  Filter();
  CollectContext(true);
  Fuzzy();
  FindLists();
  // The fuzzy finds are places too: resolve the ambiguous names once more with them.
  CollectContext(true);
  Resolve(3);
  if (std::getenv("SITREP_PLACES_DEBUG") != nullptr) Dump();
  Emit();
}

}  // namespace

std::unique_ptr<PlaceRecogniser> PlaceRecogniser::Load(const Gazetteer& gazetteer, const std::string& data_dir,
                                                       std::string* error) {
  std::unique_ptr<PlaceCues> cues = PlaceCues::Load(data_dir, error);
  if (!cues) return nullptr;
  uint32_t front_country = kNone;
  const uint32_t node = gazetteer.FindName("Ukraine");
  if (node != Gazetteer::kNoNode) {
    for (const gaz::Posting& p : gazetteer.Postings(node)) {
      if (gazetteer.Feature(p.entry) == PlaceFeature::kCountry && gazetteer.Country(p.entry) == "UA") {
        front_country = p.entry;
      }
    }
  }
  return std::unique_ptr<PlaceRecogniser>(new PlaceRecogniser(gazetteer, std::move(cues), front_country));
}

Result PlaceRecogniser::Process(Document& doc) const {
  DocResolver resolver(gaz_, *cues_, doc, front_country_);
  resolver.Run();
  return Result::Ok();
}

}  // namespace sitrep
