// The compiled gazetteer file (sitrep.gaz): written by `sitrep gazetteer build`
// (gazetteer_builder.cc), memory-mapped by Gazetteer (gazetteer.cc). Little-endian,
// every section 8-byte aligned, every record fixed-size, so opening is one mmap.
#pragma once

#include <cstdint>

namespace sitrep::gaz {

constexpr char kMagic[8] = {'S', 'I', 'T', 'R', 'G', 'A', 'Z', '\0'};
// Bump whenever a record layout or a section's meaning changes.
constexpr uint32_t kVersion = 6;
constexpr uint32_t kNoIndex = UINT32_MAX;
constexpr uint16_t kNoAdmin = UINT16_MAX;

// File layout: Header, SectionRecord[section_count], then the sections.
struct Header {
  char magic[8];
  uint32_t version;
  uint32_t section_count;
  uint64_t file_size;
  uint32_t entry_count;
  uint32_t node_count;
  uint64_t reserved[4];
};
static_assert(sizeof(Header) == 64);

enum class SectionId : uint32_t {
  kStrings = 1,     // NUL-terminated UTF-8 strings; offset 0 is ""
  kEntries = 2,     // EntryRecord[entry_count]
  kAdmin1 = 3,      // Admin1Record[]
  kAdmin2 = 4,      // Admin2Record[]
  kNodes = 5,       // NodeRecord[node_count]: the name trie; node 0 is the root
  kEdges = 6,       // EdgeSlot[power of two]: open-addressing (parent, token hash) -> child
  kPostings = 7,    // Posting[]: the entries a trie node names
  kFuzzyNames = 8,  // FuzzyName[]: skeleton key of a name -> trie node
  kFuzzyIndex = 9,  // FuzzySlot[]: sorted by key_hash; a skeleton or one-deletion -> ids
  kFuzzyIds = 10,   // uint32_t[]: indices into kFuzzyNames
  kMeta = 11,       // build description, "key=value\n" lines
  kCommonWords = 12,  // uint64_t[], sorted: FoldHash of lower-case English dictionary words
  kStopWords = 13,    // uint64_t[], sorted: FoldHash of words never a place (demonyms, ...)
};

struct SectionRecord {
  uint32_t id;
  uint32_t reserved;
  uint64_t offset;
  uint64_t size;
};
static_assert(sizeof(SectionRecord) == 24);

enum EntryFlag : uint8_t {
  kEntryCurated = 1 << 0,   // from a curated supplement (countries, seas, facilities)
  kEntryCapital = 1 << 1,   // a national capital
  kEntryBorder = 1 << 2,    // Russia's border subjects or Belarus: the war's neighbourhood
  kEntryAdmin1Seat = 1 << 3,
};

struct EntryRecord {
  uint32_t geonameid;    // 0 when the entry has no GeoNames id
  uint32_t name;         // string offset: canonical English name
  uint32_t key;          // string offset: id for curated entries without a GeoNames id
  float lat;
  float lon;
  float radius_km;
  uint32_t population;
  uint16_t admin1;       // index into kAdmin1, kNoAdmin when none
  uint16_t admin2;       // index into kAdmin2, kNoAdmin when none
  char country[2];       // ISO 3166-1 alpha-2
  char feature_class;    // GeoNames class: P A H T L S; 'A' for countries
  uint8_t feature;       // PlaceFeature
  char feature_code[6];  // GeoNames code, NUL-padded: "PPLA2", "ADM1", "PCLI"
  uint8_t rank;          // prior between same-named entries, 0-10 (feature_codes.tsv)
  uint8_t flags;         // EntryFlag
  uint32_t reserved;
};
static_assert(sizeof(EntryRecord) == 48);

struct Admin1Record {
  uint32_t code;      // "UA.07"
  uint32_t name;      // "Kharkiv Oblast"
  uint32_t entry;     // the unit's own entry, kNoIndex when none
  char country[2];
  uint16_t reserved;
  float lat;
  float lon;
  float radius_km;
  float bbox[4];      // south, west, north, east; all 0 when unknown
};
static_assert(sizeof(Admin1Record) == 44);

struct Admin2Record {
  uint32_t code;      // "UA.07.6312"
  uint32_t name;      // "Kharkiv Raion"
  uint32_t entry;     // the unit's own entry, kNoIndex when none
  uint16_t admin1;
  uint16_t reserved;
};
static_assert(sizeof(Admin2Record) == 16);

enum NodeFlag : uint8_t {
  kNodeCommonWord = 1 << 0,  // the name (one token) is a lower-case English dictionary word
};

struct NodeRecord {
  uint32_t posting_begin;
  uint16_t posting_count;
  uint8_t depth;  // tokens from the root
  uint8_t flags;  // NodeFlag
};
static_assert(sizeof(NodeRecord) == 8);

struct EdgeSlot {
  uint64_t token_hash;  // FoldHash of the folded token
  uint32_t parent;
  uint32_t child;       // 0 = empty slot (the root is nobody's child)
};
static_assert(sizeof(EdgeSlot) == 16);

enum NameFlag : uint16_t {
  kNamePrimary = 1 << 0,     // the source's own name (GeoNames name/asciiname, curated name)
  kNameAlternate = 1 << 1,   // a GeoNames alternate name
  kNameCyrillic = 1 << 2,    // written in Cyrillic
  kNameGenerated = 1 << 3,   // romanised from a Cyrillic name by the builder
  kNameNational = 1 << 4,    // the Ukrainian national romanisation (KMU 2010)
  kNameAbbrev = 1 << 5,      // an abbreviation: the text must be upper case ("UK", "US")
  kNameLowerTail = 1 << 6,   // words after the first may be lower case ("Kerch bridge")
  kNameCurated = 1 << 7,     // from a curated supplement
  kNameDisplay = 1 << 8,     // the entry's canonical English name
  kNameOwn = 1 << 9,         // spells the entry's own name (not an old name, not another place's)
};

struct Posting {
  uint32_t entry;
  uint16_t flags;  // NameFlag
  uint16_t reserved;
};
static_assert(sizeof(Posting) == 8);

struct FuzzyName {
  uint32_t skeleton;  // string offset
  uint32_t node;
};
static_assert(sizeof(FuzzyName) == 8);

struct FuzzySlot {
  uint64_t key_hash;  // FoldHash of a skeleton or of one of its one-letter deletions
  uint32_t begin;     // into kFuzzyIds; the ids run to the next slot's begin
  uint32_t reserved;
};
static_assert(sizeof(FuzzySlot) == 16);

// Slot of a (parent, token) edge in a table of mask+1 slots.
inline uint64_t EdgeHash(uint32_t parent, uint64_t token_hash) {
  uint64_t h = token_hash ^ (static_cast<uint64_t>(parent + 1) * 0x9E3779B97F4A7C15ull);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return h;
}
inline uint64_t SlotHash(uint64_t key) {
  key ^= key >> 33;
  key *= 0xFF51AFD7ED558CCDull;
  key ^= key >> 33;
  return key;
}

}  // namespace sitrep::gaz
