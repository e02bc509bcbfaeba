// The words around place names that the recogniser reads (data/places/*.tsv): region
// and district words, qualifiers ("north of", "direction"), organisation, actor and
// person cues. Loaded once; lookups are by folded-token hash, allocation-free.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "doc/document.h"

namespace sitrep {

enum class CueClass : uint8_t {
  kRegionAfter,      // "region", "district", "river" after a name
  kRegionBefore,     // "region of", "city of" before a name
  kAppositive,       // ", a village in ..." after a name
  kQualifierBefore,  // "north of", "outskirts of", "eastern"
  kQualifierAfter,   // "direction", "axis", "front"
  kOrgAfter,         // "Independent", "Times"
  kOrgPossessive,    // 's "Ministry of Defence"
  kOrgBefore,        // "Voice of" America
  kActorAfter,       // "said", "claimed"
  kActorPossessive,  // 's "forces"
  kActorBefore,      // "by"
  kLocative,         // "in", "near"
  kConnector,        // "on", "of" inside names
  kPartNoun,         // 's "east"
  kMonth,            // "May"
  kTitle,            // "President", "Gen."
  kFirstName,        // "Vladimir"
  kPerson,           // "Putin"
  kCount,
};

constexpr uint32_t CueMask(CueClass c) { return 1u << static_cast<uint32_t>(c); }

// What the unit word asks for.
enum class PlaceUnit : uint8_t { kAny, kAdmin1, kAdmin2, kSettlement, kRiver, kWater, kSea, kFacility };

// A size the words give a settlement: "the village of", "a city".
enum class SizeHint : uint8_t { kAny, kSmall, kLarge };

struct RegionWord {
  PlaceUnit unit = PlaceUnit::kAny;
  SizeHint size = SizeHint::kAny;
  bool plural = false;
  bool in_span = false;
};

enum class QualifierKind : uint8_t { kOffset, kPart, kAround, kAxis };

// 0..8 = N NE E SE S SW W NW, 9 = centre, 255 = none.
constexpr uint8_t kNoDirection = 255;
uint8_t ParseDirection(std::string_view s);

struct Qualifier {
  QualifierKind kind = QualifierKind::kAround;
  uint8_t direction = kNoDirection;
  float radius_km = 0;
  bool plural = false;  // covers a coordinated list before it
  std::string text;     // Place::qualifier
};

struct RegionShift {
  double lat = 0, lon = 0;
  float radius_km = 0;
};

class CueLexicon {
 public:
  struct Hit {
    uint32_t begin = 0;
    uint32_t end = 0;
    CueClass cls = CueClass::kCount;
    uint32_t payload = 0;
    bool ok() const { return cls != CueClass::kCount; }
  };

  // Adds a phrase, tokenised and folded like text. A phrase written with a capital
  // letter matches only capitalised text ("Independent", "President").
  // lower_only: the text must be in lower case ("east" but not "East Timor").
  void Add(std::string_view phrase, CueClass cls, uint32_t payload, bool lower_only = false);
  // Builds the lookup tables; call once after the last Add.
  void Finalize();

  // Longest phrase of a class in mask starting at token `at`, within [at, limit).
  Hit Starting(const std::vector<Token>& tokens, uint32_t at, uint32_t limit, uint32_t mask) const;
  // Longest phrase of a class in mask ending at token end-1, within [floor, end).
  Hit Ending(const std::vector<Token>& tokens, uint32_t end, uint32_t floor, uint32_t mask) const;

 private:
  static constexpr int kMaxTokens = 6;
  struct Phrase {
    uint64_t hashes[kMaxTokens];
    uint8_t size = 0;
    uint8_t capitalised = 0;  // bit k: token k must be capitalised in text
    bool lower_only = false;  // every token must be in lower case in text
    CueClass cls = CueClass::kCount;
    uint32_t payload = 0;
  };
  bool Matches(const Phrase& p, const std::vector<Token>& tokens, uint32_t at) const;

  // Open-addressing table from a token hash to the phrases it starts (or ends):
  // ids_[begin, begin + count).
  struct Slot {
    uint64_t hash = 0;
    uint32_t begin = 0;
    uint32_t count = 0;  // 0 = empty
  };
  struct Index {
    std::vector<Slot> slots;
    std::vector<uint32_t> ids;
    const Slot* Find(uint64_t hash) const;
  };
  static Index BuildIndex(const std::vector<std::pair<uint64_t, uint32_t>>& pairs);

  std::vector<Phrase> phrases_;
  Index by_first_;
  Index by_last_;
};

struct PlaceCues {
  CueLexicon lexicon;
  std::vector<RegionWord> region_words;   // payloads of kRegionAfter/kRegionBefore
  std::vector<Qualifier> qualifiers;      // payloads of kQualifierBefore/After
  std::vector<uint8_t> part_nouns;        // payloads of kPartNoun: directions
  std::vector<bool> speech;               // payloads of kActorAfter: a verb of saying
  std::vector<std::string> surname_suffixes;  // folded
  std::vector<uint64_t> front_words;  // FoldHash of one-word axis qualifiers meaning a front
  // Keyed by ISO2 or admin1 code, then direction.
  std::unordered_map<std::string, RegionShift> shifts;

  // Loads data_dir/places/*.tsv. nullptr and *error on failure.
  static std::unique_ptr<PlaceCues> Load(const std::string& data_dir, std::string* error);
  const RegionShift* Shift(std::string_view target, uint8_t direction) const;
};

}  // namespace sitrep
