#include "places/place_cues.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "base/fold.h"
#include "base/tokenizer.h"
#include "base/tsv.h"

namespace sitrep {
namespace {

constexpr std::string_view kDirections[] = {"N", "NE", "E", "SE", "S", "SW", "W", "NW", "C"};

std::string ShiftKey(std::string_view target, uint8_t direction) {
  std::string k(target);
  k.push_back('/');
  k.push_back(static_cast<char>('0' + direction));
  return k;
}

double Number(std::string_view s) {
  const std::string str(s);
  return str.empty() ? 0.0 : std::strtod(str.c_str(), nullptr);
}

}  // namespace

uint8_t ParseDirection(std::string_view s) {
  for (uint8_t i = 0; i < std::size(kDirections); ++i) {
    if (kDirections[i] == s) return i;
  }
  return kNoDirection;
}

void CueLexicon::Add(std::string_view phrase, CueClass cls, uint32_t payload, bool lower_only) {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(phrase, 0, folded, tokens);
  Phrase p;
  for (const Token& t : tokens) {
    if (t.fold_len == 0 || p.size >= kMaxTokens) continue;
    if (t.flags & kTokCapitalized) p.capitalised |= static_cast<uint8_t>(1u << p.size);
    p.hashes[p.size++] = t.hash;
  }
  if (p.size == 0) return;
  p.cls = cls;
  p.payload = payload;
  p.lower_only = lower_only;
  phrases_.push_back(p);
}

CueLexicon::Index CueLexicon::BuildIndex(const std::vector<std::pair<uint64_t, uint32_t>>& pairs) {
  Index index;
  std::vector<std::pair<uint64_t, uint32_t>> sorted = pairs;
  std::sort(sorted.begin(), sorted.end());
  size_t distinct = 0;
  for (size_t i = 0; i < sorted.size(); ++i) distinct += i == 0 || sorted[i].first != sorted[i - 1].first;
  size_t size = 16;
  while (size < distinct * 2) size <<= 1;
  index.slots.assign(size, Slot{});
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
    size_t at = (sorted[i].first * 0x9E3779B97F4A7C15ull >> 32) & (size - 1);
    while (index.slots[at].count != 0) at = (at + 1) & (size - 1);
    index.slots[at] = Slot{sorted[i].first, static_cast<uint32_t>(index.ids.size()), static_cast<uint32_t>(j - i)};
    for (size_t k = i; k < j; ++k) index.ids.push_back(sorted[k].second);
    i = j;
  }
  return index;
}

const CueLexicon::Slot* CueLexicon::Index::Find(uint64_t hash) const {
  if (slots.empty()) return nullptr;
  const size_t mask = slots.size() - 1;
  for (size_t at = (hash * 0x9E3779B97F4A7C15ull >> 32) & mask;; at = (at + 1) & mask) {
    const Slot& s = slots[at];
    if (s.count == 0) return nullptr;
    if (s.hash == hash) return &s;
  }
}

void CueLexicon::Finalize() {
  std::vector<std::pair<uint64_t, uint32_t>> first, last;
  for (uint32_t id = 0; id < phrases_.size(); ++id) {
    first.emplace_back(phrases_[id].hashes[0], id);
    last.emplace_back(phrases_[id].hashes[phrases_[id].size - 1], id);
  }
  by_first_ = BuildIndex(first);
  by_last_ = BuildIndex(last);
}

bool CueLexicon::Matches(const Phrase& p, const std::vector<Token>& tokens, uint32_t at) const {
  if (at + p.size > tokens.size()) return false;
  for (uint8_t k = 0; k < p.size; ++k) {
    const Token& t = tokens[at + k];
    if (t.hash != p.hashes[k]) return false;
    if ((p.capitalised >> k & 1) && !t.Is(kTokCapitalized)) return false;
    if (p.lower_only && t.Is(kTokCapitalized)) return false;
  }
  return true;
}

CueLexicon::Hit CueLexicon::Starting(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                                     uint32_t mask) const {
  Hit best;
  if (at >= limit || at >= tokens.size()) return best;
  const Slot* slot = by_first_.Find(tokens[at].hash);
  if (slot == nullptr) return best;
  for (uint32_t k = slot->begin; k < slot->begin + slot->count; ++k) {
    const uint32_t id = by_first_.ids[k];
    const Phrase& p = phrases_[id];
    if ((mask & CueMask(p.cls)) == 0 || at + p.size > limit) continue;
    if (p.size <= best.end - best.begin || !Matches(p, tokens, at)) continue;
    best = Hit{at, at + p.size, p.cls, p.payload};
  }
  return best;
}

CueLexicon::Hit CueLexicon::Ending(const std::vector<Token>& tokens, uint32_t end, uint32_t floor,
                                   uint32_t mask) const {
  Hit best;
  if (end == 0 || end <= floor || end > tokens.size()) return best;
  const Slot* slot = by_last_.Find(tokens[end - 1].hash);
  if (slot == nullptr) return best;
  for (uint32_t k = slot->begin; k < slot->begin + slot->count; ++k) {
    const uint32_t id = by_last_.ids[k];
    const Phrase& p = phrases_[id];
    if ((mask & CueMask(p.cls)) == 0 || p.size > end - floor) continue;
    const uint32_t at = end - p.size;
    if (p.size <= best.end - best.begin || !Matches(p, tokens, at)) continue;
    best = Hit{at, end, p.cls, p.payload};
  }
  return best;
}

const RegionShift* PlaceCues::Shift(std::string_view target, uint8_t direction) const {
  auto it = shifts.find(ShiftKey(target, direction));
  return it == shifts.end() ? nullptr : &it->second;
}

std::unique_ptr<PlaceCues> PlaceCues::Load(const std::string& data_dir, std::string* error) {
  auto cues = std::make_unique<PlaceCues>();
  const std::string dir = data_dir + "/places/";
  auto load = [&](const char* name) -> std::optional<TsvTable> {
    return TsvTable::Load(dir + name, error);
  };

  std::optional<TsvTable> t = load("region_words.tsv");
  if (!t) return nullptr;
  for (const TsvTable::Row& row : t->rows()) {
    RegionWord w;
    const std::string_view unit = t->Get(row, "unit");
    if (unit == "admin1") w.unit = PlaceUnit::kAdmin1;
    else if (unit == "admin2") w.unit = PlaceUnit::kAdmin2;
    else if (unit == "settlement") w.unit = PlaceUnit::kSettlement;
    else if (unit == "river") w.unit = PlaceUnit::kRiver;
    else if (unit == "water") w.unit = PlaceUnit::kWater;
    else if (unit == "sea") w.unit = PlaceUnit::kSea;
    else if (unit == "facility") w.unit = PlaceUnit::kFacility;
    else {
      *error = t->path() + ":" + std::to_string(row.line) + ": unknown unit '" + std::string(unit) + "'";
      return nullptr;
    }
    w.plural = t->Get(row, "plural") == "yes";
    w.in_span = t->Get(row, "span") == "yes";
    const std::string_view size = t->Get(row, "size");
    w.size = size == "small" ? SizeHint::kSmall : size == "large" ? SizeHint::kLarge : SizeHint::kAny;
    const std::string_view position = t->Get(row, "position");
    const CueClass cls = position == "before"       ? CueClass::kRegionBefore
                         : position == "appositive" ? CueClass::kAppositive
                                                    : CueClass::kRegionAfter;
    cues->lexicon.Add(t->Get(row, "phrase"), cls, static_cast<uint32_t>(cues->region_words.size()));
    cues->region_words.push_back(w);
  }

  t = load("qualifiers.tsv");
  if (!t) return nullptr;
  for (const TsvTable::Row& row : t->rows()) {
    Qualifier q;
    const std::string_view kind = t->Get(row, "kind");
    if (kind == "offset") q.kind = QualifierKind::kOffset;
    else if (kind == "part") q.kind = QualifierKind::kPart;
    else if (kind == "around") q.kind = QualifierKind::kAround;
    else if (kind == "axis") q.kind = QualifierKind::kAxis;
    else {
      *error = t->path() + ":" + std::to_string(row.line) + ": unknown kind '" + std::string(kind) + "'";
      return nullptr;
    }
    q.direction = ParseDirection(t->Get(row, "direction"));
    q.radius_km = static_cast<float>(Number(t->Get(row, "radius_km")));
    q.text = std::string(t->Get(row, "qualifier"));
    q.plural = t->Get(row, "plural") == "yes";
    const std::string phrase(t->Get(row, "phrase"));
    if (q.kind == QualifierKind::kAxis && q.text == "front" && phrase.find(' ') == std::string::npos && !q.plural) {
      cues->front_words.push_back(FoldHash(Fold(phrase)));
    }
    const CueClass cls = t->Get(row, "position") == "after" ? CueClass::kQualifierAfter : CueClass::kQualifierBefore;
    cues->lexicon.Add(t->Get(row, "phrase"), cls, static_cast<uint32_t>(cues->qualifiers.size()),
                      t->Get(row, "case") == "lower");
    cues->qualifiers.push_back(std::move(q));
  }

  t = load("region_shifts.tsv");
  if (!t) return nullptr;
  for (const TsvTable::Row& row : t->rows()) {
    const uint8_t d = ParseDirection(t->Get(row, "direction"));
    if (d == kNoDirection) {
      *error = t->path() + ":" + std::to_string(row.line) + ": unknown direction";
      return nullptr;
    }
    RegionShift s;
    s.lat = Number(t->Get(row, "lat"));
    s.lon = Number(t->Get(row, "lon"));
    s.radius_km = static_cast<float>(Number(t->Get(row, "radius_km")));
    cues->shifts[ShiftKey(t->Get(row, "target"), d)] = s;
  }

  t = load("context_cues.tsv");
  if (!t) return nullptr;
  for (const TsvTable::Row& row : t->rows()) {
    const std::string_view c = t->Get(row, "class");
    CueClass cls;
    uint32_t payload = 0;
    if (c == "org_after") cls = CueClass::kOrgAfter;
    else if (c == "org_possessive") cls = CueClass::kOrgPossessive;
    else if (c == "org_before") cls = CueClass::kOrgBefore;
    else if (c == "actor_after") {
      cls = CueClass::kActorAfter;
      payload = static_cast<uint32_t>(cues->speech.size());
      cues->speech.push_back(t->Get(row, "value") == "speech");
    }
    else if (c == "actor_possessive") cls = CueClass::kActorPossessive;
    else if (c == "actor_before") cls = CueClass::kActorBefore;
    else if (c == "locative") cls = CueClass::kLocative;
    else if (c == "connector") cls = CueClass::kConnector;
    else if (c == "month") cls = CueClass::kMonth;
    else if (c == "part_noun") {
      cls = CueClass::kPartNoun;
      payload = static_cast<uint32_t>(cues->part_nouns.size());
      cues->part_nouns.push_back(ParseDirection(t->Get(row, "value")));
    } else {
      *error = t->path() + ":" + std::to_string(row.line) + ": unknown class '" + std::string(c) + "'";
      return nullptr;
    }
    cues->lexicon.Add(t->Get(row, "phrase"), cls, payload);
  }

  t = load("person_cues.tsv");
  if (!t) return nullptr;
  for (const TsvTable::Row& row : t->rows()) {
    const std::string_view c = t->Get(row, "class");
    const std::string_view phrase = t->Get(row, "phrase");
    if (c == "title") cues->lexicon.Add(phrase, CueClass::kTitle, 0);
    else if (c == "first_name") cues->lexicon.Add(phrase, CueClass::kFirstName, 0);
    else if (c == "person") cues->lexicon.Add(phrase, CueClass::kPerson, 0);
    else if (c == "surname_suffix") cues->surname_suffixes.push_back(Fold(phrase));
    else {
      *error = t->path() + ":" + std::to_string(row.line) + ": unknown class '" + std::string(c) + "'";
      return nullptr;
    }
  }
  cues->lexicon.Finalize();
  return cues;
}

}  // namespace sitrep
