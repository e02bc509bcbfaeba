#include "places/romanize.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "base/tsv.h"
#include "base/utf8.h"

namespace sitrep {
namespace {

bool IsLetterCp(char32_t cp) {
  if (cp < 0x80) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  return u_isalpha(static_cast<UChar32>(cp));
}

std::u32string Decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    out.push_back(utf8::Decode(s, i, &len));
    i += len;
  }
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) utf8::Append(out, cp);
  return out;
}

// Upper-cases the first letter of each word (after start, space or hyphen).
std::string CapitalizeWords(std::string_view lower) {
  std::u32string cps = Decode(lower);
  bool start = true;
  for (char32_t& cp : cps) {
    if (IsLetterCp(cp)) {
      if (start) cp = static_cast<char32_t>(u_toupper(static_cast<UChar32>(cp)));
      start = false;
    } else if (cp == ' ' || cp == '-' || cp == 0x2010) {
      start = true;
    }
  }
  return Encode(cps);
}

}  // namespace

Script ScriptOf(std::string_view text) {
  bool latin = false, cyrillic = false, other = false;
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    const char32_t cp = utf8::Decode(text, i, &len);
    i += len;
    if (!IsLetterCp(cp)) continue;
    if (cp < 0x80) {
      latin = true;
      continue;
    }
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(static_cast<UChar32>(cp), &status);
    if (sc == USCRIPT_LATIN) {
      latin = true;
    } else if (sc == USCRIPT_CYRILLIC) {
      cyrillic = true;
    } else {
      other = true;
    }
  }
  if (other) return Script::kOther;
  if (latin && cyrillic) return Script::kMixed;
  if (latin) return Script::kLatin;
  if (cyrillic) return Script::kCyrillic;
  return Script::kNone;
}

CyrillicLanguage DetectCyrillicLanguage(std::string_view text) {
  bool uk = false, ru = false;
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    const char32_t cp = utf8::Decode(text, i, &len);
    i += len;
    switch (cp) {
      case U'і': case U'І': case U'ї': case U'Ї': case U'є': case U'Є': case U'ґ': case U'Ґ':
        uk = true;
        break;
      case U'ы': case U'Ы': case U'э': case U'Э': case U'ъ': case U'Ъ': case U'ё': case U'Ё':
        ru = true;
        break;
      default:
        break;
    }
  }
  if (uk == ru) return CyrillicLanguage::kUnknown;
  return uk ? CyrillicLanguage::kUkrainian : CyrillicLanguage::kRussian;
}

// --- NationalRomanizer -----------------------------------------------------------

std::unique_ptr<NationalRomanizer> NationalRomanizer::Load(const std::string& path,
                                                           std::string* error) {
  std::optional<TsvTable> table = TsvTable::Load(path, error);
  if (!table) return nullptr;
  if (table->Column("cyrillic") < 0 || table->Column("initial") < 0 || table->Column("other") < 0) {
    *error = path + ": needs columns cyrillic, initial, other";
    return nullptr;
  }
  auto r = std::unique_ptr<NationalRomanizer>(new NationalRomanizer());
  for (const TsvTable::Row& row : table->rows()) {
    const std::string key(table->Get(row, "cyrillic"));
    if (key.empty()) continue;
    r->rules_[key] = Rule{std::string(table->Get(row, "initial")), std::string(table->Get(row, "other"))};
    r->longest_ = std::max(r->longest_, Decode(key).size());
  }
  return r;
}

std::string NationalRomanizer::Romanize(std::string_view cyrillic) const {
  const std::u32string cps = Decode(cyrillic);
  std::string lower;
  bool word_start = true;
  for (size_t i = 0; i < cps.size();) {
    const char32_t cp = cps[i];
    if (!IsLetterCp(cp) && cp != '\'' && cp != 0x2019 && cp != 0x02BC) {
      utf8::Append(lower, cp);
      word_start = true;
      ++i;
      continue;
    }
    bool done = false;
    for (size_t n = std::min(longest_, cps.size() - i); n >= 1 && !done; --n) {
      std::string key;
      for (size_t k = 0; k < n; ++k)
        utf8::Append(key, static_cast<char32_t>(u_tolower(static_cast<UChar32>(cps[i + k]))));
      auto it = rules_.find(key);
      if (it == rules_.end()) continue;
      lower += word_start ? it->second.initial : it->second.other;
      i += n;
      done = true;
    }
    if (!done) {
      utf8::Append(lower, static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
      ++i;
    }
    word_start = false;
  }
  return CapitalizeWords(lower);
}

// --- IcuRomanizer ------------------------------------------------------------------

struct IcuRomanizer::Impl {
  std::unique_ptr<icu::Transliterator> uk;
  std::unique_ptr<icu::Transliterator> ru;
};

IcuRomanizer::IcuRomanizer() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->uk.reset(icu::Transliterator::createInstance("Ukrainian-Latin/BGN", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) impl_->uk.reset();
  status = U_ZERO_ERROR;
  impl_->ru.reset(icu::Transliterator::createInstance("Russian-Latin/BGN", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) impl_->ru.reset();
}

IcuRomanizer::~IcuRomanizer() = default;

bool IcuRomanizer::ok() const { return impl_->uk && impl_->ru; }

namespace {
std::string Run(const icu::Transliterator* t, std::string_view text) {
  if (t == nullptr) return {};
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  t->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}
}  // namespace

std::string IcuRomanizer::Ukrainian(std::string_view cyrillic) const { return Run(impl_->uk.get(), cyrillic); }
std::string IcuRomanizer::Russian(std::string_view cyrillic) const { return Run(impl_->ru.get(), cyrillic); }

// --- skeleton ------------------------------------------------------------------------

size_t LetterCount(std::string_view folded) {
  size_t n = 0;
  for (size_t i = 0; i < folded.size();) {
    size_t len = 1;
    const char32_t cp = utf8::Decode(folded, i, &len);
    i += len;
    n += IsLetterCp(cp);
  }
  return n;
}

std::string SkeletonKey(std::string_view folded) {
  // Letters only, ASCII only.
  std::string s;
  s.reserve(folded.size());
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return {};
    if (c >= 'a' && c <= 'z') s.push_back(c);
    else if (c >= 'A' && c <= 'Z') s.push_back(static_cast<char>(c + 32));
  }
  // Greedy longest-first replacements; upper-case letters are placeholders for sounds
  // written with several letters (W = shch, C = ch, S = sh).
  struct Rep {
    std::string_view from;
    std::string_view to;
  };
  static constexpr Rep kReps[] = {
      {"shch", "W"}, {"tsch", "C"}, {"sch", "W"}, {"shh", "W"}, {"szcz", "W"},
      {"tch", "C"},  {"zh", "z"},   {"kh", "h"},  {"gh", "h"},  {"ts", "c"},
      {"tz", "c"},   {"cz", "C"},   {"ch", "C"},  {"sh", "S"},  {"sz", "S"},
      {"ph", "f"},   {"ck", "k"},   {"x", "ks"},  {"w", "v"},   {"q", "k"},
      {"g", "h"},    {"y", "i"},    {"j", "i"},
  };
  std::string t;
  t.reserve(s.size() + 4);
  for (size_t i = 0; i < s.size();) {
    bool hit = false;
    for (const Rep& r : kReps) {
      if (s.compare(i, r.from.size(), r.from) == 0) {
        t.append(r.to);
        i += r.from.size();
        hit = true;
        break;
      }
    }
    if (!hit) t.push_back(s[i++]);
  }
  // ie/ye/je -> e (y and j are i by now), then doubled letters collapse.
  std::string u;
  u.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == 'i' && i + 1 < t.size() && t[i + 1] == 'e') continue;
    if (!u.empty() && u.back() == t[i]) continue;
    u.push_back(t[i]);
  }
  return u;
}

int OsaDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  if (n > 64 || m > 64) return a == b ? 0 : limit + 1;
  int d[65][65];
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = limit + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > limit) return limit + 1;
  }
  return std::min(d[n][m], limit + 1);
}

}  // namespace sitrep
