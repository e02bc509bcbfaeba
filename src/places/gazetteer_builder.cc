#include "places/gazetteer_builder.h"

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/fold.h"
#include "base/paths.h"
#include "base/tokenizer.h"
#include "base/tsv.h"
#include "doc/types.h"
#include "places/gazetteer_format.h"
#include "places/romanize.h"

namespace sitrep {
namespace {

// Rows kept from a full GeoNames dump (a user's cities500.txt, RU.txt): the same policy
// tools/make_gazetteer_world.py applies to the vendored world file.
constexpr uint32_t kWorldMinPopulation = 50000;
constexpr uint32_t kRussiaMinPopulation = 5000;
// Russia's subjects on the Ukrainian border (GeoNames admin1 codes): every place kept.
constexpr std::string_view kBorderAdmin1[] = {"RU.09", "RU.10", "RU.41", "RU.86", "RU.61", "RU.38"};
// Admin-1 radius: the equal-area radius undersells elongated oblasts.
constexpr float kAdminRadiusFactor = 1.5f;
// The fuzzy index holds names of at least this many letters (shorter ones collide).
constexpr size_t kFuzzyMinLetters = 7;
constexpr size_t kMaxNameTokens = 8;
constexpr size_t kMaxNameBytes = 80;

// --- reading ------------------------------------------------------------------------

// Reads a plain or gzip'd text file line by line (zlib reads both).
class LineReader {
 public:
  explicit LineReader(const std::string& path) : gz_(gzopen(path.c_str(), "rb")) {
    if (gz_ != nullptr) gzbuffer(gz_, 1 << 17);
  }
  ~LineReader() {
    if (gz_ != nullptr) gzclose(gz_);
  }
  bool ok() const { return gz_ != nullptr; }
  bool Next(std::string* line) {
    line->clear();
    char buf[8192];
    while (gzgets(gz_, buf, sizeof buf) != nullptr) {
      line->append(buf);
      if (!line->empty() && line->back() == '\n') {
        line->pop_back();
        if (!line->empty() && line->back() == '\r') line->pop_back();
        return true;
      }
    }
    return !line->empty();
  }

 private:
  gzFile gz_;
};

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

template <typename T>
T ParseNum(std::string_view s, T fallback) {
  if (s.empty()) return fallback;
  try {
    if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(std::stod(std::string(s)));
    } else {
      return static_cast<T>(std::stoll(std::string(s)));
    }
  } catch (...) {
    return fallback;
  }
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// The first existing file among names in dir (each plain or .gz).
std::string FindIn(const std::string& dir, std::initializer_list<std::string_view> names) {
  if (dir.empty()) return {};
  for (std::string_view n : names) {
    for (const char* ext : {"", ".gz"}) {
      std::string p = dir + "/" + std::string(n) + ext;
      if (FileExists(p)) return p;
    }
  }
  return {};
}

// --- the entries being built ----------------------------------------------------------

struct FeatureRule {
  PlaceFeature feature = PlaceFeature::kSettlement;
  uint8_t rank = 0;
  float radius_km = 0;
  bool include = false;
};

struct BuildName {
  std::string text;
  uint16_t flags = 0;
};

struct BuildEntry {
  uint32_t geonameid = 0;
  std::string name;
  std::string key;
  double lat = 0, lon = 0;
  float radius_km = 10;
  uint32_t population = 0;
  uint16_t admin1 = gaz::kNoAdmin;
  uint16_t admin2 = gaz::kNoAdmin;
  char country[2] = {' ', ' '};
  char feature_class = 'P';
  std::string feature_code;
  PlaceFeature feature = PlaceFeature::kSettlement;
  uint8_t rank = 0;
  uint8_t flags = 0;
  std::vector<BuildName> names;
};

struct BuildAdmin1 {
  std::string code, name;
  uint32_t geonameid = 0;
  uint32_t entry = gaz::kNoIndex;
  float lat = 0, lon = 0, radius_km = 0;
  float bbox[4] = {0, 0, 0, 0};
  std::vector<std::string> alt_names;
  bool curated = false;
};

struct BuildAdmin2 {
  std::string code, name;
  uint16_t admin1 = gaz::kNoAdmin;
  uint32_t entry = gaz::kNoIndex;
};

float SettlementRadius(uint32_t population) {
  if (population >= 1000000) return 25;
  if (population >= 200000) return 20;
  if (population >= 50000) return 15;
  if (population >= 10000) return 10;
  if (population >= 1000) return 7;
  return 5;
}

class Builder {
 public:
  Builder(const GazetteerBuildOptions& options, GazetteerBuildStats* stats)
      : opt_(options), stats_(stats) {}

  bool Run(std::string* error);

 private:
  void Log(const std::string& msg) const {
    if (!opt_.log) return;
    char t[32];
    std::snprintf(t, sizeof t, "[%5.2fs] ", std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    opt_.log(t + msg);
  }
  std::string Vendored(std::initializer_list<std::string_view> names) const {
    return FindIn(opt_.data_dir + "/gazetteer", names);
  }
  // A user's file when they gave a directory holding it, else the vendored one.
  std::string Source(std::initializer_list<std::string_view> user,
                     std::initializer_list<std::string_view> vendored) const {
    std::string p = FindIn(opt_.geonames_dir, user);
    return p.empty() ? Vendored(vendored) : p;
  }

  bool LoadFeatureRules(std::string* error);
  bool LoadAdmin1Codes(const std::string& path, std::string* error);
  bool LoadAdmin2Codes(const std::string& path, std::string* error);
  bool LoadAdmin1Curated(std::string* error);
  bool LoadStopNames(std::string* error);
  bool LoadWords();
  enum class RowPolicy { kAll, kBorderAndRussia, kWorld };
  bool LoadGeoNames(const std::string& path, RowPolicy policy, std::string* error);
  bool AddAdmin1Entries();
  bool LoadCountries(std::string* error);
  bool LoadFeatures(std::string* error);
  void AddRomanisations();
  bool Write(std::string* error);

  const FeatureRule* Rule(char fclass, std::string_view code) const;
  uint16_t Admin1Index(std::string_view country, std::string_view code) const;
  uint16_t Admin2Index(std::string_view country, std::string_view a1, std::string_view a2) const;
  void AddName(BuildEntry& e, std::string_view text, uint16_t flags);
  bool UsefulWorldAlternate(std::string_view name) const;
  void MarkOwnNames(BuildEntry& e, const std::vector<std::pair<size_t, std::string>>& cyrillic_latin) const;

  const GazetteerBuildOptions& opt_;
  GazetteerBuildStats* stats_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::map<std::string, FeatureRule, std::less<>> rules_;
  std::vector<BuildAdmin1> admin1_;
  std::unordered_map<std::string, uint16_t> admin1_by_code_;
  std::vector<BuildAdmin2> admin2_;
  std::unordered_map<std::string, uint16_t> admin2_by_code_;
  std::vector<BuildEntry> entries_;
  std::unordered_map<uint32_t, uint32_t> by_geonameid_;
  std::unordered_set<std::string> stop_names_;  // folded
  std::unordered_set<std::string> words_;       // folded lower-case dictionary words
  std::unique_ptr<NationalRomanizer> kmu_;
  IcuRomanizer icu_;
};

const FeatureRule* Builder::Rule(char fclass, std::string_view code) const {
  std::string k(1, fclass);
  k.push_back('.');
  auto it = rules_.find(k + std::string(code));
  if (it != rules_.end()) return &it->second;
  it = rules_.find(k + "*");
  return it == rules_.end() ? nullptr : &it->second;
}

bool Builder::LoadFeatureRules(std::string* error) {
  const std::string path = opt_.data_dir + "/gazetteer/feature_codes.tsv";
  std::optional<TsvTable> t = TsvTable::Load(path, error);
  if (!t) return false;
  stats_->sources.push_back(path);
  for (const TsvTable::Row& row : t->rows()) {
    std::optional<PlaceFeature> f = ParsePlaceFeature(t->Get(row, "feature"));
    if (!f) {
      *error = path + ":" + std::to_string(row.line) + ": unknown feature '" +
               std::string(t->Get(row, "feature")) + "'";
      return false;
    }
    FeatureRule r;
    r.feature = *f;
    r.rank = ParseNum<uint8_t>(t->Get(row, "rank"), 0);
    r.radius_km = ParseNum<float>(t->Get(row, "radius_km"), 0);
    r.include = t->Get(row, "include") == "yes";
    rules_[std::string(t->Get(row, "code"))] = r;
  }
  return true;
}

bool Builder::LoadAdmin1Codes(const std::string& path, std::string* error) {
  LineReader in(path);
  if (!in.ok()) {
    *error = path + ": cannot read";
    return false;
  }
  stats_->sources.push_back(path);
  std::string line;
  while (in.Next(&line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> c = SplitTabs(line);
    if (c.size() < 4) continue;
    const std::string_view code = c[0];
    // Only the war's countries: world cities carry no admin-1 name.
    if (!(code.starts_with("UA.") || code.starts_with("RU.") || code.starts_with("BY."))) continue;
    if (admin1_by_code_.count(std::string(code))) continue;
    BuildAdmin1 a;
    a.code = std::string(code);
    a.name = std::string(c[2].empty() ? c[1] : c[2]);
    a.geonameid = ParseNum<uint32_t>(c[3], 0);
    admin1_by_code_[a.code] = static_cast<uint16_t>(admin1_.size());
    admin1_.push_back(std::move(a));
  }
  return true;
}

bool Builder::LoadAdmin2Codes(const std::string& path, std::string* error) {
  LineReader in(path);
  if (!in.ok()) {
    *error = path + ": cannot read";
    return false;
  }
  stats_->sources.push_back(path);
  std::string line;
  while (in.Next(&line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> c = SplitTabs(line);
    if (c.size() < 3) continue;
    const std::string_view code = c[0];
    if (!(code.starts_with("UA.") || code.starts_with("RU.") || code.starts_with("BY."))) continue;
    if (admin2_by_code_.count(std::string(code))) continue;
    BuildAdmin2 a;
    a.code = std::string(code);
    a.name = std::string(c[2].empty() ? c[1] : c[2]);
    const size_t dot = code.rfind('.');
    auto it = admin1_by_code_.find(std::string(code.substr(0, dot)));
    if (it != admin1_by_code_.end()) a.admin1 = it->second;
    admin2_by_code_[a.code] = static_cast<uint16_t>(admin2_.size());
    admin2_.push_back(std::move(a));
  }
  return true;
}

bool Builder::LoadAdmin1Curated(std::string* error) {
  const std::string path = opt_.data_dir + "/gazetteer/admin1.tsv";
  std::optional<TsvTable> t = TsvTable::Load(path, error);
  if (!t) return false;
  stats_->sources.push_back(path);
  for (const TsvTable::Row& row : t->rows()) {
    const std::string code(t->Get(row, "code"));
    auto it = admin1_by_code_.find(code);
    if (it == admin1_by_code_.end()) {
      BuildAdmin1 a;
      a.code = code;
      admin1_by_code_[code] = static_cast<uint16_t>(admin1_.size());
      admin1_.push_back(std::move(a));
      it = admin1_by_code_.find(code);
    }
    BuildAdmin1& a = admin1_[it->second];
    a.curated = true;
    a.name = std::string(t->Get(row, "name"));
    a.geonameid = ParseNum<uint32_t>(t->Get(row, "geonameid"), a.geonameid);
    a.lat = ParseNum<float>(t->Get(row, "lat"), 0);
    a.lon = ParseNum<float>(t->Get(row, "lon"), 0);
    a.radius_km = ParseNum<float>(t->Get(row, "radius_km"), 100) * kAdminRadiusFactor;
    const std::vector<std::string> bb = Split(t->Get(row, "bbox"), ',');
    if (bb.size() == 4) {
      for (int k = 0; k < 4; ++k) a.bbox[k] = ParseNum<float>(bb[k], 0);
    }
    for (const std::string& n : Split(t->Get(row, "alt_names"), '|')) {
      if (!Trim(n).empty()) a.alt_names.push_back(Trim(n));
    }
  }
  return true;
}

bool Builder::LoadStopNames(std::string* error) {
  const std::string path = opt_.data_dir + "/gazetteer/stop_names.tsv";
  std::optional<TsvTable> t = TsvTable::Load(path, error);
  if (!t) return false;
  stats_->sources.push_back(path);
  for (const TsvTable::Row& row : t->rows()) stop_names_.insert(FoldPhrase(t->Get(row, "name")));
  return true;
}

bool Builder::LoadWords() {
  LineReader in(opt_.words_path);
  if (opt_.words_path.empty() || !in.ok()) {
    Log("warning: no word list at " + opt_.words_path +
        " (install Debian's wamerican); common-word names are not marked");
    return false;
  }
  stats_->sources.push_back(opt_.words_path);
  std::string line;
  while (in.Next(&line)) {
    if (line.empty() || !(line[0] >= 'a' && line[0] <= 'z')) continue;
    if (line.find('\'') != std::string::npos) continue;
    words_.insert(Fold(line));
  }
  return true;
}

uint16_t Builder::Admin1Index(std::string_view country, std::string_view code) const {
  if (code.empty()) return gaz::kNoAdmin;
  std::string k(country);
  k.push_back('.');
  k.append(code);
  auto it = admin1_by_code_.find(k);
  return it == admin1_by_code_.end() ? gaz::kNoAdmin : it->second;
}

uint16_t Builder::Admin2Index(std::string_view country, std::string_view a1,
                              std::string_view a2) const {
  if (a1.empty() || a2.empty()) return gaz::kNoAdmin;
  std::string k(country);
  k.push_back('.');
  k.append(a1);
  k.push_back('.');
  k.append(a2);
  auto it = admin2_by_code_.find(k);
  return it == admin2_by_code_.end() ? gaz::kNoAdmin : it->second;
}

// Alternate names of places far from the war come in every language and include
// codes, nicknames and English words ("The town", "Aa", "White House", "Motown"):
// keep the ones that read as a name and are no English word.
bool Builder::UsefulWorldAlternate(std::string_view name) const {
  if (LetterCount(Fold(name)) < 4) return false;
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(name, 0, folded, tokens);
  size_t words = 0, english = 0;
  for (const Token& t : tokens) {
    if (!t.Is(kTokWord)) continue;
    ++words;
    const std::string f = folded.substr(t.fold_begin, t.fold_len);
    if (!t.Is(kTokCapitalized) && !t.Is(kTokHyphenBefore) && f.size() > 3) return false;
    english += words_.count(f) != 0;
  }
  // "White House", "But": every word English. "New York" keeps its "York".
  return words > 0 && english < words && tokens[0].Is(kTokCapitalized);
}

void Builder::AddName(BuildEntry& e, std::string_view raw, uint16_t flags) {
  std::string text = Trim(raw);
  // "the United States": the article is context, not name.
  if (text.size() > 4 && (text.compare(0, 4, "the ") == 0 || text.compare(0, 4, "The ") == 0)) {
    text.erase(0, 4);
  }
  if (text.empty() || text.size() > kMaxNameBytes) return;
  if (text.find_first_of("(),;/[]\"") != std::string::npos) return;
  for (BuildName& n : e.names) {
    if (n.text == text) {
      n.flags |= flags;
      return;
    }
  }
  e.names.push_back(BuildName{std::move(text), flags});
}

bool Builder::LoadGeoNames(const std::string& path, RowPolicy policy, std::string* error) {
  LineReader in(path);
  if (!in.ok()) {
    *error = path + ": cannot read";
    return false;
  }
  stats_->sources.push_back(path);
  std::string line;
  size_t kept = 0, lineno = 0;
  while (in.Next(&line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> c = SplitTabs(line);
    if (c.size() < 15) {
      *error = path + ":" + std::to_string(lineno) + ": expected 19 tab-separated GeoNames columns";
      return false;
    }
    const uint32_t id = ParseNum<uint32_t>(c[0], 0);
    if (id == 0 || by_geonameid_.count(id)) continue;
    const std::string_view fclass = c[6], fcode = c[7], country = c[8], a1 = c[10], a2 = c[11];
    if (fclass.size() != 1 || country.size() != 2) continue;
    const uint32_t population = ParseNum<uint32_t>(c[14], 0);
    if (policy != RowPolicy::kAll) {
      const std::string a1code = std::string(country) + "." + std::string(a1);
      const bool border = std::find(std::begin(kBorderAdmin1), std::end(kBorderAdmin1), a1code) !=
                          std::end(kBorderAdmin1);
      bool keep = false;
      if (country == "UA") {
        keep = false;  // UA.txt holds Ukraine with every alternate name
      } else if (country == "BY" || border) {
        keep = fclass == "P" || (fclass == "A" && (fcode == "ADM1" || fcode == "ADM2"));
      } else if (country == "RU") {
        keep = fclass == "P" && (population >= kRussiaMinPopulation || fcode == "PPLC" ||
                                 fcode == "PPLA");
      } else if (policy == RowPolicy::kWorld) {
        keep = fclass == "P" && (population >= kWorldMinPopulation || fcode == "PPLC");
      }
      if (!keep) continue;
    }
    const FeatureRule* rule = Rule(fclass[0], fcode);
    if (rule == nullptr || !rule->include) continue;

    BuildEntry e;
    e.geonameid = id;
    e.name = std::string(c[1]);
    e.lat = ParseNum<double>(c[4], 0);
    e.lon = ParseNum<double>(c[5], 0);
    e.population = population;
    e.country[0] = country[0];
    e.country[1] = country[1];
    e.feature_class = fclass[0];
    e.feature_code = std::string(fcode.substr(0, 5));
    e.feature = rule->feature;
    e.rank = rule->rank;
    e.radius_km = rule->radius_km > 0 ? rule->radius_km
                  : fclass == "P"     ? SettlementRadius(population)
                                      : 10;
    e.admin1 = Admin1Index(country, a1);
    e.admin2 = Admin2Index(country, a1, a2);
    if (fcode == "PPLC") e.flags |= gaz::kEntryCapital;
    if (fcode == "PPLA") e.flags |= gaz::kEntryAdmin1Seat;
    if (country == "BY") e.flags |= gaz::kEntryBorder;
    if (country == "RU" && e.admin1 != gaz::kNoAdmin) {
      const std::string& code = admin1_[e.admin1].code;
      if (std::find(std::begin(kBorderAdmin1), std::end(kBorderAdmin1), code) != std::end(kBorderAdmin1))
        e.flags |= gaz::kEntryBorder;
    }
    AddName(e, c[1], gaz::kNamePrimary);
    AddName(e, c[2], gaz::kNamePrimary);
    // Ukraine, Russia and Belarus keep every alternate: news spells them every way.
    const bool near = country == "UA" || country == "RU" || country == "BY";
    for (const std::string& alt : Split(c[3], ',')) {
      const Script s = ScriptOf(alt);
      if (s != Script::kLatin && s != Script::kCyrillic) continue;
      if (!near && s == Script::kLatin && !UsefulWorldAlternate(alt)) continue;
      // Short Latin alternates of Russian towns are codes and abbreviations ("Dlr").
      if (country == "RU" && !(e.flags & gaz::kEntryBorder) && s == Script::kLatin && LetterCount(Fold(alt)) < 4) {
        continue;
      }
      AddName(e, alt, gaz::kNameAlternate | (s == Script::kCyrillic ? gaz::kNameCyrillic : 0));
    }
    by_geonameid_[id] = static_cast<uint32_t>(entries_.size());
    entries_.push_back(std::move(e));
    ++kept;
  }
  Log(path + ": " + std::to_string(kept) + " entries");
  return true;
}

// Admin-1 units: the GeoNames ADM1 entry gains the English name and the Natural Earth
// label point; units no GeoNames file here has (Russia's border oblasts) get an entry.
bool Builder::AddAdmin1Entries() {
  const FeatureRule* rule = Rule('A', "ADM1");
  for (size_t i = 0; i < admin1_.size(); ++i) {
    BuildAdmin1& a = admin1_[i];
    uint32_t idx = gaz::kNoIndex;
    auto it = by_geonameid_.find(a.geonameid);
    if (it != by_geonameid_.end()) idx = it->second;
    if (idx == gaz::kNoIndex && !a.curated) continue;
    if (idx == gaz::kNoIndex) {
      BuildEntry e;
      e.geonameid = a.geonameid;
      e.country[0] = a.code[0];
      e.country[1] = a.code[1];
      e.feature_class = 'A';
      e.feature_code = "ADM1";
      e.feature = PlaceFeature::kRegion;
      e.rank = rule != nullptr ? rule->rank : 7;
      idx = static_cast<uint32_t>(entries_.size());
      if (a.geonameid != 0) by_geonameid_[a.geonameid] = idx;
      entries_.push_back(std::move(e));
    }
    BuildEntry& e = entries_[idx];
    e.admin1 = static_cast<uint16_t>(i);
    if (a.curated) {
      e.name = a.name;
      e.lat = a.lat;
      e.lon = a.lon;
      e.radius_km = a.radius_km;
      e.flags |= gaz::kEntryCurated;
      AddName(e, a.name, gaz::kNamePrimary | gaz::kNameCurated | gaz::kNameDisplay);
      for (const std::string& alt : a.alt_names) {
        const Script s = ScriptOf(alt);
        if (s != Script::kLatin && s != Script::kCyrillic) continue;
        AddName(e, alt, gaz::kNameAlternate | (s == Script::kCyrillic ? gaz::kNameCyrillic : 0));
      }
    } else if (e.name.empty()) {
      e.name = a.name;
    }
    if (e.country[0] == 'R' || e.country[0] == 'B') e.flags |= gaz::kEntryBorder;
    a.entry = idx;
  }
  // Admin-2 units: link the code to its (current, not historical) entry.
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    const BuildEntry& e = entries_[i];
    if (e.feature_class == 'A' && e.feature_code == "ADM2" && e.admin2 != gaz::kNoAdmin &&
        admin2_[e.admin2].entry == gaz::kNoIndex) {
      admin2_[e.admin2].entry = i;
    }
  }
  return true;
}

bool Builder::LoadCountries(std::string* error) {
  const std::string path = opt_.data_dir + "/gazetteer/countries.tsv";
  std::optional<TsvTable> t = TsvTable::Load(path, error);
  if (!t) return false;
  stats_->sources.push_back(path);
  const FeatureRule* rule = Rule('A', "PCLI");
  // A GeoNames dump holds its own country's entry (UA.txt: Ukraine, 690791): the
  // country row joins it and keeps its id.
  std::unordered_map<std::string, uint32_t> pcli;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    const BuildEntry& e = entries_[i];
    if (e.feature_class == 'A' && e.feature_code == "PCLI") pcli[std::string(e.country, 2)] = i;
  }
  std::unordered_map<std::string, uint32_t> by_iso;
  for (const TsvTable::Row& row : t->rows()) {
    const std::string iso(t->Get(row, "iso2"));
    if (iso.size() != 2) continue;
    BuildEntry e;
    auto own = pcli.find(iso);
    if (own != pcli.end()) {
      e = std::move(entries_[own->second]);
      e.names.clear();  // GeoNames' alternates of a country run to every language
    } else {
      e.key = "sitrep:country:" + iso;
    }
    e.name = std::string(t->Get(row, "name"));
    e.lat = ParseNum<double>(t->Get(row, "lat"), 0);
    e.lon = ParseNum<double>(t->Get(row, "lon"), 0);
    e.radius_km = ParseNum<float>(t->Get(row, "radius_km"), 100);
    e.country[0] = iso[0];
    e.country[1] = iso[1];
    e.feature_class = 'A';
    e.feature_code = "PCLI";
    e.feature = PlaceFeature::kCountry;
    e.rank = rule != nullptr ? rule->rank : 10;
    e.flags = gaz::kEntryCurated;
    AddName(e, e.name, gaz::kNamePrimary | gaz::kNameCurated | gaz::kNameDisplay);
    for (const std::string& n : Split(t->Get(row, "alt_names"), '|')) {
      const Script s = ScriptOf(n);
      if (s != Script::kLatin && s != Script::kCyrillic) continue;
      AddName(e, n, gaz::kNameAlternate | gaz::kNameCurated |
                        (s == Script::kCyrillic ? gaz::kNameCyrillic : 0));
    }
    // Demonyms are adjectives, never places.
    for (const std::string& d : Split(t->Get(row, "demonyms"), '|')) {
      if (!Trim(d).empty()) stop_names_.insert(FoldPhrase(d));
    }
    if (own != pcli.end()) {
      entries_[own->second] = std::move(e);
      by_iso[iso] = own->second;
    } else {
      by_iso[iso] = static_cast<uint32_t>(entries_.size());
      entries_.push_back(std::move(e));
    }
  }
  const std::string extra = opt_.data_dir + "/gazetteer/country_names.tsv";
  std::optional<TsvTable> x = TsvTable::Load(extra, error);
  if (!x) return false;
  stats_->sources.push_back(extra);
  for (const TsvTable::Row& row : x->rows()) {
    auto it = by_iso.find(std::string(x->Get(row, "iso2")));
    if (it == by_iso.end()) {
      *error = extra + ":" + std::to_string(row.line) + ": unknown country " +
               std::string(x->Get(row, "iso2"));
      return false;
    }
    const std::string_view name = x->Get(row, "name");
    uint16_t flags = gaz::kNameAlternate | gaz::kNameCurated;
    if (x->Get(row, "flags").find("abbrev") != std::string_view::npos) flags |= gaz::kNameAbbrev;
    if (ScriptOf(name) == Script::kCyrillic) flags |= gaz::kNameCyrillic;
    AddName(entries_[it->second], name, flags);
  }
  return true;
}

bool Builder::LoadFeatures(std::string* error) {
  const std::string path = opt_.data_dir + "/gazetteer/features.tsv";
  std::optional<TsvTable> t = TsvTable::Load(path, error);
  if (!t) return false;
  stats_->sources.push_back(path);
  for (const TsvTable::Row& row : t->rows()) {
    const std::string where = path + ":" + std::to_string(row.line);
    std::optional<PlaceFeature> f = ParsePlaceFeature(t->Get(row, "feature"));
    if (!f) {
      *error = where + ": unknown feature '" + std::string(t->Get(row, "feature")) + "'";
      return false;
    }
    const uint32_t gid = ParseNum<uint32_t>(t->Get(row, "geonameid"), 0);
    uint32_t idx = gaz::kNoIndex;
    if (gid != 0) {
      auto it = by_geonameid_.find(gid);
      if (it != by_geonameid_.end()) idx = it->second;
    }
    const bool has_coords = !t->Get(row, "lat").empty() && !t->Get(row, "lon").empty();
    if (idx == gaz::kNoIndex) {
      if (!has_coords) {
        // A GeoNames feature a user's smaller dump lacks: nothing to place it with.
        Log(where + ": geonameid " + std::to_string(gid) + " not in the sources; skipped");
        continue;
      }
      BuildEntry e;
      e.key = "sitrep:" + std::string(t->Get(row, "key"));
      e.geonameid = gid;
      const std::string_view country = t->Get(row, "country");
      e.country[0] = country.size() == 2 ? country[0] : ' ';
      e.country[1] = country.size() == 2 ? country[1] : ' ';
      e.feature_class = *f == PlaceFeature::kFacility ? 'S'
                        : *f == PlaceFeature::kRegion ? 'L'
                        : (*f == PlaceFeature::kLandform) ? 'T'
                                                          : 'H';
      e.feature_code = "CURAT";
      idx = static_cast<uint32_t>(entries_.size());
      if (gid != 0) by_geonameid_[gid] = idx;
      entries_.push_back(std::move(e));
    }
    BuildEntry& e = entries_[idx];
    e.name = std::string(t->Get(row, "name"));
    e.feature = *f;
    e.flags |= gaz::kEntryCurated;
    if (has_coords) {
      e.lat = ParseNum<double>(t->Get(row, "lat"), e.lat);
      e.lon = ParseNum<double>(t->Get(row, "lon"), e.lon);
    }
    e.radius_km = ParseNum<float>(t->Get(row, "radius_km"), e.radius_km);
    e.rank = ParseNum<uint8_t>(t->Get(row, "rank"), e.rank);
    const std::string_view a1 = t->Get(row, "admin1");
    if (!a1.empty()) {
      auto it = admin1_by_code_.find(std::string(a1));
      if (it != admin1_by_code_.end()) e.admin1 = it->second;
    }
    const uint16_t curated = gaz::kNameCurated | gaz::kNameLowerTail;
    AddName(e, e.name, gaz::kNamePrimary | gaz::kNameDisplay | curated);
    for (const std::string& n : Split(t->Get(row, "alt_names"), '|')) {
      const Script s = ScriptOf(n);
      if (s != Script::kLatin && s != Script::kCyrillic) continue;
      AddName(e, n, gaz::kNameAlternate | curated | (s == Script::kCyrillic ? gaz::kNameCyrillic : 0));
    }
  }
  return true;
}

// Romanisations of every Cyrillic name (national system for Ukrainian, BGN/PCGN for
// both languages), and the canonical English name of Ukrainian entries: the national
// romanisation of their Ukrainian name ("Kostiantynivka", not GeoNames' "Kostyantynivka").
void Builder::AddRomanisations() {
  std::unordered_map<std::string, std::string> kmu_cache, uk_cache, ru_cache;
  auto cached = [](std::unordered_map<std::string, std::string>& cache, const std::string& key,
                   auto&& f) -> const std::string& {
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    return cache.emplace(key, f(key)).first->second;
  };
  for (BuildEntry& e : entries_) {
    const bool ukrainian_entry = e.country[0] == 'U' && e.country[1] == 'A';
    // The canonical name: the national romanisation of the Ukrainian name that is
    // closest to GeoNames' own (alternates include old and other names).
    std::string national;
    int national_distance = INT32_MAX;
    const std::string primary_skeleton = SkeletonKey(Fold(e.name));
    const size_t n_names = e.names.size();
    std::vector<std::pair<size_t, std::string>> cyrillic_latin;  // a Cyrillic name, a romanisation
    for (size_t i = 0; i < n_names; ++i) {
      if ((e.names[i].flags & gaz::kNameCyrillic) == 0) continue;
      const std::string cyr = e.names[i].text;
      const CyrillicLanguage lang = DetectCyrillicLanguage(cyr);
      const bool maybe_uk = lang != CyrillicLanguage::kRussian && (ukrainian_entry || lang == CyrillicLanguage::kUkrainian);
      const bool maybe_ru = lang != CyrillicLanguage::kUkrainian;
      if (maybe_uk && kmu_) {
        const std::string& k = cached(kmu_cache, cyr, [&](const std::string& s) { return kmu_->Romanize(s); });
        AddName(e, k, gaz::kNameGenerated | gaz::kNameNational);
        cyrillic_latin.emplace_back(i, k);
        if (ukrainian_entry && !primary_skeleton.empty()) {
          const int limit = static_cast<int>(std::max<size_t>(2, primary_skeleton.size() / 3));
          // Russian-looking names lose ties to Ukrainian ones.
          const int d = 2 * OsaDistance(SkeletonKey(Fold(k)), primary_skeleton, limit) +
                        (lang == CyrillicLanguage::kUkrainian ? 0 : 1);
          if (d <= 2 * limit + 1 && d < national_distance) {
            national = k;
            national_distance = d;
          }
        }
      }
      if (maybe_uk && icu_.ok()) {
        const std::string& u = cached(uk_cache, cyr, [&](const std::string& s) { return icu_.Ukrainian(s); });
        AddName(e, u, gaz::kNameGenerated);
        cyrillic_latin.emplace_back(i, u);
      }
      if (maybe_ru && icu_.ok()) {
        const std::string& r = cached(ru_cache, cyr, [&](const std::string& s) { return icu_.Russian(s); });
        AddName(e, r, gaz::kNameGenerated);
        cyrillic_latin.emplace_back(i, r);
      }
    }
    if ((e.flags & gaz::kEntryCurated) == 0 && !national.empty() &&
        (e.feature_class == 'P' || e.feature_class == 'A')) {
      e.name = national;
    }
    AddName(e, e.name, gaz::kNameDisplay);
    MarkOwnNames(e, cyrillic_latin);
  }
}

// A name is the place's own when it spells the place's own name (display or
// GeoNames primary) some other way: "Kharkov", "Kupyansk", "Харків". GeoNames'
// alternates also hold old names and errors (Nikopol lists "Sloviansk"); those do
// not get the bonus a place's own name earns against its namesakes.
void Builder::MarkOwnNames(BuildEntry& e, const std::vector<std::pair<size_t, std::string>>& cyrillic_latin) const {
  std::vector<std::string> targets;
  for (const BuildName& n : e.names) {
    if (n.flags & (gaz::kNameDisplay | gaz::kNamePrimary)) targets.push_back(SkeletonKey(Fold(n.text)));
  }
  // A settlement's name is also its own without a generic word ("New York" for
  // "New York City"): every word of the shorter name is in the longer one.
  std::vector<std::string> target_phrases;
  if (e.feature_class == 'P') {
    for (const BuildName& n : e.names) {
      if (n.flags & (gaz::kNameDisplay | gaz::kNamePrimary)) target_phrases.push_back(" " + FoldPhrase(n.text) + " ");
    }
  }
  auto close = [&](const std::string& text) {
    const std::string phrase = FoldPhrase(text);
    if (phrase.find(' ') != std::string::npos) {
      for (const std::string& t : target_phrases) {
        if (t.find(" " + phrase + " ") != std::string::npos) return true;
      }
    }
    const std::string sk = SkeletonKey(Fold(text));
    if (sk.empty()) return false;
    const int limit = static_cast<int>(std::max<size_t>(2, sk.size() / 4));
    for (const std::string& t : targets) {
      if (!t.empty() && OsaDistance(sk, t, limit) <= limit) return true;
    }
    return false;
  };
  for (BuildName& n : e.names) {
    if (n.flags & (gaz::kNameDisplay | gaz::kNamePrimary | gaz::kNameCurated)) {
      n.flags |= gaz::kNameOwn;
    } else if (!(n.flags & gaz::kNameCyrillic) && close(n.text)) {
      n.flags |= gaz::kNameOwn;
    }
  }
  for (const auto& [index, latin] : cyrillic_latin) {
    if (index < e.names.size() && close(latin)) e.names[index].flags |= gaz::kNameOwn;
  }
}

// --- writing -------------------------------------------------------------------------

class StringPool {
 public:
  StringPool() { data_.push_back('\0'); }
  uint32_t Add(std::string_view s) {
    if (s.empty()) return 0;
    auto it = index_.find(std::string(s));
    if (it != index_.end()) return it->second;
    const uint32_t off = static_cast<uint32_t>(data_.size());
    data_.append(s);
    data_.push_back('\0');
    index_.emplace(std::string(s), off);
    return off;
  }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
  std::unordered_map<std::string, uint32_t> index_;
};

// Open-addressing table size: a power of two, at most 3/4 full.
size_t TableSize(size_t n) {
  size_t size = 16;
  while (size * 3 < n * 4) size <<= 1;
  return size;
}

bool Builder::Write(std::string* error) {
  StringPool pool;
  // Entries.
  std::vector<gaz::EntryRecord> entries(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    const BuildEntry& b = entries_[i];
    gaz::EntryRecord& r = entries[i];
    std::memset(&r, 0, sizeof r);
    r.geonameid = b.geonameid;
    r.name = pool.Add(b.name);
    r.key = pool.Add(b.key);
    r.lat = static_cast<float>(b.lat);
    r.lon = static_cast<float>(b.lon);
    r.radius_km = b.radius_km;
    r.population = b.population;
    r.admin1 = b.admin1;
    r.admin2 = b.admin2;
    r.country[0] = b.country[0];
    r.country[1] = b.country[1];
    r.feature_class = b.feature_class;
    r.feature = static_cast<uint8_t>(b.feature);
    std::strncpy(r.feature_code, b.feature_code.c_str(), sizeof r.feature_code - 1);
    r.rank = b.rank;
    r.flags = b.flags;
  }
  std::vector<gaz::Admin1Record> admin1(admin1_.size());
  for (size_t i = 0; i < admin1_.size(); ++i) {
    const BuildAdmin1& b = admin1_[i];
    gaz::Admin1Record& r = admin1[i];
    std::memset(&r, 0, sizeof r);
    r.code = pool.Add(b.code);
    r.name = pool.Add(b.name);
    r.entry = b.entry;
    r.country[0] = b.code.size() >= 2 ? b.code[0] : ' ';
    r.country[1] = b.code.size() >= 2 ? b.code[1] : ' ';
    r.lat = b.lat;
    r.lon = b.lon;
    r.radius_km = b.radius_km;
    std::memcpy(r.bbox, b.bbox, sizeof r.bbox);
    if (b.entry != gaz::kNoIndex && !b.curated) {
      r.lat = static_cast<float>(entries_[b.entry].lat);
      r.lon = static_cast<float>(entries_[b.entry].lon);
    }
  }
  std::vector<gaz::Admin2Record> admin2(admin2_.size());
  for (size_t i = 0; i < admin2_.size(); ++i) {
    gaz::Admin2Record& r = admin2[i];
    std::memset(&r, 0, sizeof r);
    r.code = pool.Add(admin2_[i].code);
    r.name = pool.Add(admin2_[i].name);
    r.entry = admin2_[i].entry;
    r.admin1 = admin2_[i].admin1;
  }

  // The name trie.
  struct Node {
    std::map<uint32_t, uint16_t> postings;  // entry -> name flags
    uint8_t depth = 0;
    uint8_t flags = 0;
    std::string folded;  // the name's folded tokens, space-separated
  };
  std::vector<Node> nodes(1);
  struct Edge {
    uint64_t token_hash;
    uint32_t parent, child;
  };
  std::vector<Edge> edges;
  // EdgeHash -> edge; a 64-bit collision between two different edges would be
  // astronomically rare, but is still checked and then kept apart.
  std::unordered_map<uint64_t, uint32_t> edge_index;
  std::map<std::pair<uint32_t, uint64_t>, uint32_t> edge_overflow;
  edge_index.reserve(1 << 19);
  auto child = [&](uint32_t parent, uint64_t h) -> uint32_t {
    const uint64_t key = gaz::EdgeHash(parent, h);
    auto it = edge_index.find(key);
    if (it != edge_index.end()) {
      const Edge& e = edges[it->second];
      if (e.parent == parent && e.token_hash == h) return e.child;
      auto o = edge_overflow.find({parent, h});
      if (o != edge_overflow.end()) return edges[o->second].child;
    }
    const uint32_t c = static_cast<uint32_t>(nodes.size());
    nodes.emplace_back();
    nodes[c].depth = static_cast<uint8_t>(std::min(255, nodes[parent].depth + 1));
    const uint32_t index = static_cast<uint32_t>(edges.size());
    edges.push_back(Edge{h, parent, c});
    if (it == edge_index.end()) {
      edge_index.emplace(key, index);
    } else {
      edge_overflow.emplace(std::make_pair(parent, h), index);
    }
    return c;
  };
  std::string folded;
  std::vector<Token> tokens;
  uint32_t names = 0;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    for (const BuildName& n : entries_[i].names) {
      folded.clear();
      tokens.clear();
      Tokenize(n.text, 0, folded, tokens);
      // Two variants: every token, and without punctuation ("St. Petersburg").
      for (int variant = 0; variant < 2; ++variant) {
        std::vector<const Token*> use;
        bool dropped = false;
        for (const Token& t : tokens) {
          if (t.fold_len == 0) continue;
          if (variant == 1 && (t.flags & kTokPunct)) {
            dropped = true;
            continue;
          }
          use.push_back(&t);
        }
        if (variant == 1 && !dropped) break;
        if (use.empty() || use.size() > kMaxNameTokens) continue;
        std::string joined;
        bool letters = false;
        for (const Token* t : use) {
          if (!joined.empty()) joined.push_back(' ');
          joined.append(folded, t->fold_begin, t->fold_len);
          letters |= (t->flags & kTokWord) != 0;
        }
        if (!letters || LetterCount(joined) < 2 || stop_names_.count(joined)) continue;
        uint32_t node = 0;
        for (const Token* t : use) node = child(node, t->hash);
        Node& nd = nodes[node];
        if (nd.folded.empty()) nd.folded = joined;
        auto [it, inserted] = nd.postings.emplace(i, n.flags);
        if (!inserted) it->second |= n.flags;
        names += inserted;
        if (use.size() == 1 && words_.count(joined)) nd.flags |= gaz::kNodeCommonWord;
      }
    }
  }
  Log("trie built");
  std::vector<gaz::NodeRecord> node_records(nodes.size());
  std::vector<gaz::Posting> postings;
  uint32_t common = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    gaz::NodeRecord& r = node_records[i];
    r.posting_begin = static_cast<uint32_t>(postings.size());
    r.posting_count = static_cast<uint16_t>(std::min<size_t>(nodes[i].postings.size(), UINT16_MAX));
    r.depth = nodes[i].depth;
    r.flags = nodes[i].flags;
    common += (r.flags & gaz::kNodeCommonWord) != 0;
    size_t k = 0;
    for (const auto& [entry, flags] : nodes[i].postings) {
      if (k++ >= UINT16_MAX) break;
      postings.push_back(gaz::Posting{entry, flags, 0});
    }
  }
  std::vector<gaz::EdgeSlot> edge_slots(TableSize(edges.size()));
  std::memset(edge_slots.data(), 0, edge_slots.size() * sizeof(gaz::EdgeSlot));
  for (const Edge& e : edges) {
    size_t slot = gaz::EdgeHash(e.parent, e.token_hash) & (edge_slots.size() - 1);
    while (edge_slots[slot].child != 0) slot = (slot + 1) & (edge_slots.size() - 1);
    edge_slots[slot] = gaz::EdgeSlot{e.token_hash, e.parent, e.child};
  }

  // The fuzzy index: skeletons of the names of places in Ukraine and its neighbourhood
  // (long enough to be distinctive) and their one-letter deletions.
  std::vector<gaz::FuzzyName> fuzzy_names;
  for (uint32_t i = 1; i < nodes.size(); ++i) {
    const Node& nd = nodes[i];
    if (nd.postings.empty() || LetterCount(nd.folded) < kFuzzyMinLetters) continue;
    if (nd.flags & gaz::kNodeCommonWord) continue;
    bool useful = false;
    for (const auto& [entry, flags] : nd.postings) {
      const BuildEntry& e = entries_[entry];
      const bool near = (e.country[0] == 'U' && e.country[1] == 'A') || (e.flags & gaz::kEntryBorder);
      const bool kind = e.feature_class == 'P' || e.feature_class == 'A' || (e.flags & gaz::kEntryCurated);
      if (near && kind && (flags & gaz::kNameAbbrev) == 0) useful = true;
    }
    if (!useful) continue;
    const std::string sk = SkeletonKey(nd.folded);
    if (sk.size() < kFuzzyMinLetters - 2) continue;
    fuzzy_names.push_back(gaz::FuzzyName{pool.Add(sk), i});
  }
  // (key hash, fuzzy name) for every skeleton and each of its one-letter deletions.
  std::vector<std::pair<uint64_t, uint32_t>> fuzzy_pairs;
  fuzzy_pairs.reserve(fuzzy_names.size() * 12);
  std::vector<uint64_t> keys;
  std::string del;
  for (uint32_t f = 0; f < fuzzy_names.size(); ++f) {
    const std::string_view sk(pool.data().c_str() + fuzzy_names[f].skeleton);
    keys.clear();
    keys.push_back(FoldHash(sk));
    for (size_t k = 0; k < sk.size(); ++k) {
      del.assign(sk.substr(0, k));
      del.append(sk.substr(k + 1));
      keys.push_back(FoldHash(del));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (uint64_t h : keys) fuzzy_pairs.emplace_back(h, f);
  }
  std::sort(fuzzy_pairs.begin(), fuzzy_pairs.end());
  // Sorted by hash: the index is probed a few times per unknown capitalised word, so a
  // binary search costs nothing and the table needs no empty slots.
  std::vector<gaz::FuzzySlot> fuzzy_slots;
  std::vector<uint32_t> fuzzy_ids;
  fuzzy_ids.reserve(fuzzy_pairs.size());
  for (size_t k = 0; k < fuzzy_pairs.size(); ++k) {
    if (k == 0 || fuzzy_pairs[k].first != fuzzy_pairs[k - 1].first) {
      fuzzy_slots.push_back(gaz::FuzzySlot{fuzzy_pairs[k].first, static_cast<uint32_t>(fuzzy_ids.size()), 0});
    }
    fuzzy_ids.push_back(fuzzy_pairs[k].second);
  }

  Log("fuzzy index built");
  std::vector<uint64_t> stop_words;
  for (const std::string& w : stop_names_) {
    if (w.find(' ') == std::string::npos) stop_words.push_back(FoldHash(w));
  }
  std::sort(stop_words.begin(), stop_words.end());
  std::vector<uint64_t> common_words;
  common_words.reserve(words_.size());
  for (const std::string& w : words_) common_words.push_back(FoldHash(w));
  std::sort(common_words.begin(), common_words.end());
  common_words.erase(std::unique(common_words.begin(), common_words.end()), common_words.end());

  // Meta.
  char when[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::string meta = "format=" + std::to_string(gaz::kVersion) + "\nbuilt=" + when +
                     "\nentries=" + std::to_string(entries.size()) + "\nnames=" +
                     std::to_string(names) + "\nnodes=" + std::to_string(nodes.size()) +
                     "\nfuzzy_names=" + std::to_string(fuzzy_names.size()) + "\n";
  for (const std::string& s : stats_->sources) meta += "source=" + s + "\n";
  meta += "attribution=Contains data from GeoNames (geonames.org), licensed under CC BY 4.0; "
          "countries from world-countries (ODbL-1.0); admin-1 label points from Natural Earth\n";

  // Layout.
  struct Out {
    gaz::SectionId id;
    const void* data;
    uint64_t size;
  };
  const std::vector<Out> outs = {
      {gaz::SectionId::kStrings, pool.data().data(), pool.data().size()},
      {gaz::SectionId::kEntries, entries.data(), entries.size() * sizeof(gaz::EntryRecord)},
      {gaz::SectionId::kAdmin1, admin1.data(), admin1.size() * sizeof(gaz::Admin1Record)},
      {gaz::SectionId::kAdmin2, admin2.data(), admin2.size() * sizeof(gaz::Admin2Record)},
      {gaz::SectionId::kNodes, node_records.data(), node_records.size() * sizeof(gaz::NodeRecord)},
      {gaz::SectionId::kEdges, edge_slots.data(), edge_slots.size() * sizeof(gaz::EdgeSlot)},
      {gaz::SectionId::kPostings, postings.data(), postings.size() * sizeof(gaz::Posting)},
      {gaz::SectionId::kFuzzyNames, fuzzy_names.data(), fuzzy_names.size() * sizeof(gaz::FuzzyName)},
      {gaz::SectionId::kFuzzyIndex, fuzzy_slots.data(), fuzzy_slots.size() * sizeof(gaz::FuzzySlot)},
      {gaz::SectionId::kFuzzyIds, fuzzy_ids.data(), fuzzy_ids.size() * sizeof(uint32_t)},
      {gaz::SectionId::kMeta, meta.data(), meta.size()},
      {gaz::SectionId::kCommonWords, common_words.data(), common_words.size() * sizeof(uint64_t)},
      {gaz::SectionId::kStopWords, stop_words.data(), stop_words.size() * sizeof(uint64_t)},
  };
  auto align = [](uint64_t x) { return (x + 7) & ~uint64_t{7}; };
  gaz::Header h;
  std::memset(&h, 0, sizeof h);
  std::memcpy(h.magic, gaz::kMagic, sizeof h.magic);
  h.version = gaz::kVersion;
  h.section_count = static_cast<uint32_t>(outs.size());
  h.entry_count = static_cast<uint32_t>(entries.size());
  h.node_count = static_cast<uint32_t>(node_records.size());
  std::vector<gaz::SectionRecord> table(outs.size());
  uint64_t offset = align(sizeof h + table.size() * sizeof(gaz::SectionRecord));
  for (size_t i = 0; i < outs.size(); ++i) {
    table[i] = gaz::SectionRecord{static_cast<uint32_t>(outs[i].id), 0, offset, outs[i].size};
    offset = align(offset + outs[i].size);
  }
  h.file_size = offset;

  // Write to a temporary file, then rename: a reader never maps a half-written file.
  const std::string tmp = opt_.output + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    *error = opt_.output + ": cannot write (" + std::strerror(errno) + ")";
    return false;
  }
  bool ok = std::fwrite(&h, sizeof h, 1, f) == 1 &&
            std::fwrite(table.data(), sizeof(gaz::SectionRecord), table.size(), f) == table.size();
  uint64_t pos = sizeof h + table.size() * sizeof(gaz::SectionRecord);
  static const char kZeros[8] = {0};
  for (size_t i = 0; i < outs.size() && ok; ++i) {
    if (table[i].offset > pos) ok = std::fwrite(kZeros, 1, table[i].offset - pos, f) == table[i].offset - pos;
    pos = table[i].offset;
    if (ok && outs[i].size > 0) ok = std::fwrite(outs[i].data, 1, outs[i].size, f) == outs[i].size;
    pos += outs[i].size;
  }
  if (ok && h.file_size > pos) ok = std::fwrite(kZeros, 1, h.file_size - pos, f) == h.file_size - pos;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), opt_.output.c_str()) != 0) {
    std::remove(tmp.c_str());
    *error = opt_.output + ": write failed (" + std::strerror(errno) + ")";
    return false;
  }
  stats_->entries = h.entry_count;
  stats_->names = names;
  stats_->nodes = h.node_count;
  stats_->fuzzy_names = static_cast<uint32_t>(fuzzy_names.size());
  stats_->fuzzy_keys = static_cast<uint32_t>(fuzzy_slots.size());
  stats_->common_words = common;
  stats_->bytes = h.file_size;
  return true;
}

bool Builder::Run(std::string* error) {
  if (opt_.output.empty()) {
    *error = "no output file";
    return false;
  }
  if (!IsDirectory(opt_.data_dir + "/gazetteer")) {
    *error = "no data directory with gazetteer/ (looked in '" + opt_.data_dir +
             "'); set --data or $SITREP_DATA";
    return false;
  }
  if (!opt_.geonames_dir.empty() && !IsDirectory(opt_.geonames_dir)) {
    *error = opt_.geonames_dir + ": not a directory";
    return false;
  }
  kmu_ = NationalRomanizer::Load(opt_.data_dir + "/gazetteer/kmu2010.tsv", error);
  if (!kmu_) return false;
  if (!icu_.ok()) Log("warning: ICU has no Ukrainian-Latin/BGN or Russian-Latin/BGN transliterator");
  if (!LoadFeatureRules(error) || !LoadStopNames(error)) return false;
  LoadWords();

  const std::string a1 = Source({"admin1CodesASCII.txt", "admin1CodesASCII.UA-RU-BY.txt"},
                                {"admin1CodesASCII.UA-RU-BY.txt"});
  const std::string a2 = Source({"admin2Codes.txt", "admin2Codes.UA-RU-BY.txt"},
                                {"admin2Codes.UA-RU-BY.txt"});
  const std::string ua = Source({"UA.txt"}, {"UA.txt"});
  if (ua.empty() || a1.empty()) {
    *error = "no GeoNames UA.txt or admin1CodesASCII in '" +
             (opt_.geonames_dir.empty() ? opt_.data_dir + "/gazetteer" : opt_.geonames_dir) + "'";
    return false;
  }
  if (!LoadAdmin1Codes(a1, error) || !LoadAdmin1Curated(error)) return false;
  if (!a2.empty() && !LoadAdmin2Codes(a2, error)) return false;
  if (!LoadGeoNames(ua, RowPolicy::kAll, error)) return false;
  // Russia and Belarus: a user's full country dumps, else the vendored border subset.
  bool user_neighbours = false;
  for (std::string_view c : {"RU.txt", "BY.txt"}) {
    const std::string p = FindIn(opt_.geonames_dir, {c});
    if (p.empty()) continue;
    if (!LoadGeoNames(p, RowPolicy::kBorderAndRussia, error)) return false;
    user_neighbours = true;
  }
  const std::string user_cities = FindIn(opt_.geonames_dir, {"cities500.txt", "cities1000.txt",
                                                              "cities5000.txt", "cities15000.txt"});
  if (!user_cities.empty()) {
    if (!LoadGeoNames(user_cities, RowPolicy::kWorld, error)) return false;
  }
  if (!user_neighbours || user_cities.empty()) {
    const std::string border = Vendored({"cities500.RU-border-BY.txt"});
    if (!border.empty() && !LoadGeoNames(border, RowPolicy::kBorderAndRussia, error)) return false;
  }
  if (user_cities.empty()) {
    const std::string world = Vendored({"cities500.world.txt"});
    if (!world.empty() && !LoadGeoNames(world, RowPolicy::kWorld, error)) return false;
  }
  if (!AddAdmin1Entries() || !LoadCountries(error) || !LoadFeatures(error)) return false;
  Log("entries loaded");
  AddRomanisations();
  Log("romanised");
  return Write(error);
}

}  // namespace

bool BuildGazetteer(const GazetteerBuildOptions& options, GazetteerBuildStats* stats,
                    std::string* error) {
  const auto start = std::chrono::steady_clock::now();
  GazetteerBuildStats local;
  if (stats == nullptr) stats = &local;
  Builder b(options, stats);
  if (!b.Run(error)) return false;
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
}

}  // namespace sitrep
