#include "base/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <vector>

#include "base/tokenizer.h"
#include "base/utf8.h"

namespace sitrep {
namespace {

// Folds one code point with ICU: lower case, canonical decomposition, marks dropped.
std::string FoldCodePointSlow(char32_t cp) {
  std::string out;
  if (IsApostrophe(cp)) return out;
  switch (cp) {
    case 0x00AD:  // soft hyphen
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
      return out;
    case 0x00DF:
      return "ss";
    case 0x0131:
      return "i";
    case 0x0141:
    case 0x0142:
      return "l";
    case 0x0110:
    case 0x0111:
    case 0x00D0:
    case 0x00F0:
      return "d";
    case 0x00D8:
    case 0x00F8:
      return "o";
    case 0x00C6:
    case 0x00E6:
      return "ae";
    case 0x0152:
    case 0x0153:
      return "oe";
    case 0x00DE:
    case 0x00FE:
      return "th";
    default:
      break;
  }
  const UChar32 lower = u_tolower(static_cast<UChar32>(cp));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) {
    utf8::Append(out, static_cast<char32_t>(lower));
    return out;
  }
  icu::UnicodeString decomposed = nfd->normalize(icu::UnicodeString(lower), status);
  if (U_FAILURE(status)) {
    utf8::Append(out, static_cast<char32_t>(lower));
    return out;
  }
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK) continue;
    utf8::Append(out, static_cast<char32_t>(c));
  }
  return out;
}

// Precomputed folds for the code points news text is made of (Latin, Greek,
// Cyrillic, Latin Extended Additional, general punctuation).
class FoldTable {
 public:
  static const FoldTable& Get() {
    static const FoldTable table;
    return table;
  }
  // Returns nullptr when cp is outside the table.
  const std::string* Lookup(char32_t cp) const {
    if (cp < kLow) return &low_[cp];
    if (cp >= kExtBegin && cp < kExtEnd) return &ext_[cp - kExtBegin];
    return nullptr;
  }

 private:
  static constexpr char32_t kLow = 0x0530;
  static constexpr char32_t kExtBegin = 0x1E00;
  static constexpr char32_t kExtEnd = 0x2070;

  FoldTable() : low_(kLow), ext_(kExtEnd - kExtBegin) {
    for (char32_t cp = 0; cp < kLow; ++cp) {
      if (cp < 0x80) {
        low_[cp] = IsApostrophe(cp) ? std::string()
                                    : std::string(1, static_cast<char>(
                                                         cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
      } else {
        low_[cp] = FoldCodePointSlow(cp);
      }
    }
    for (char32_t cp = kExtBegin; cp < kExtEnd; ++cp) ext_[cp - kExtBegin] = FoldCodePointSlow(cp);
  }

  std::vector<std::string> low_;
  std::vector<std::string> ext_;
};

}  // namespace

bool IsApostrophe(char32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0x00B4 || cp == 0x2018 || cp == 0x2019 ||
         cp == 0x02BC || cp == 0x02B9 || cp == 0x02BB || cp == 0x2032;
}

bool IsJoiningHyphen(char32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

void FoldAppend(std::string_view token, std::string& out) {
  const FoldTable& table = FoldTable::Get();
  size_t i = 0;
  while (i < token.size()) {
    const auto b = static_cast<unsigned char>(token[i]);
    if (b < 0x80) {
      if (b >= 'A' && b <= 'Z') {
        out.push_back(static_cast<char>(b + 32));
      } else if (b != '\'' && b != '`') {
        out.push_back(static_cast<char>(b));
      }
      ++i;
      continue;
    }
    size_t len = 1;
    const char32_t cp = utf8::Decode(token, i, &len);
    i += len;
    if (const std::string* folded = table.Lookup(cp)) {
      out += *folded;
    } else {
      out += FoldCodePointSlow(cp);
    }
  }
}

std::string Fold(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  FoldAppend(token, out);
  return out;
}

std::string FoldPhrase(std::string_view phrase) {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(phrase, 0, folded, tokens);
  std::string out;
  for (const Token& t : tokens) {
    if (t.fold_len == 0) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(folded, t.fold_begin, t.fold_len);
  }
  return out;
}

}  // namespace sitrep
