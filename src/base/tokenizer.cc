#include "base/tokenizer.h"

#include <unicode/uchar.h>

#include <array>
#include <cstdlib>

#include "base/fold.h"
#include "base/utf8.h"

namespace sitrep {
namespace {

bool IsLetter(char32_t cp) {
  if (cp < 0x80) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  return u_isalpha(static_cast<UChar32>(cp));
}
bool IsMark(char32_t cp) {
  if (cp < 0x300) return false;
  const int8_t t = u_charType(static_cast<UChar32>(cp));
  return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}
bool IsDigit(char32_t cp) { return cp >= '0' && cp <= '9'; }
bool IsSpace(char32_t cp) {
  if (cp < 0x80)
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
  return u_isUWhiteSpace(static_cast<UChar32>(cp)) || cp == 0x200B || cp == 0xFEFF;
}
bool IsInvisible(char32_t cp) {
  return (cp < 0x20 && cp != '\n') || cp == 0x7F || cp == 0x00AD || cp == 0x200C || cp == 0x200D ||
         cp == 0x2060;
}
bool IsUpper(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  return u_isupper(static_cast<UChar32>(cp)) || u_istitle(static_cast<UChar32>(cp));
}
bool IsLower(char32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return u_islower(static_cast<UChar32>(cp));
}
bool IsQuoteMark(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x00AB ||
         cp == 0x00BB || cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x2039 ||
         cp == 0x203A;
}

// Character classes of ASCII bytes for the tokenizer's fast path.
constexpr uint8_t kAsciiLetter = 1;
constexpr uint8_t kAsciiDigit = 2;
constexpr auto kAsciiClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kAsciiLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kAsciiLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kAsciiDigit;
  return t;
}();

struct Cursor {
  std::string_view text;
  char32_t At(size_t pos, size_t* len) const {
    if (pos >= text.size()) {
      *len = 0;
      return 0;
    }
    return utf8::Decode(text, pos, len);
  }
  char32_t Peek(size_t pos) const {
    size_t len;
    return At(pos, &len);
  }
};

void FoldPunct(char32_t cp, std::string& out) {
  if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x00AB || cp == 0x00BB) {
    out.push_back('"');
  } else if (IsApostrophe(cp) || cp == 0x201A || cp == 0x2039 || cp == 0x203A) {
    out.push_back('\'');
  } else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2012 || cp == 0x2015 || cp == 0x2212) {
    out.push_back('-');
  } else {
    utf8::Append(out, cp);
  }
}

}  // namespace

void Tokenize(std::string_view text, uint32_t base, std::string& folded,
              std::vector<Token>& tokens) {
  const Cursor cur{text};
  bool space_before = true;
  bool line_start = true;
  bool hyphen_before = false;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // The fast path: ASCII blanks, and ASCII words that end in ASCII punctuation or a
    // blank, which is most of English news. Anything else takes the general path below.
    {
      const auto b = static_cast<unsigned char>(text[i]);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == '\v') {
        space_before = true;
        hyphen_before = false;
        ++i;
        continue;
      }
      if (kAsciiClass[b] & kAsciiLetter) {
        size_t e = i + 1;
        while (e < n && (kAsciiClass[static_cast<unsigned char>(text[e])] & (kAsciiLetter | kAsciiDigit))) ++e;
        const auto stop = e < n ? static_cast<unsigned char>(text[e]) : 0;
        // Not here: a non-ASCII letter or mark may continue the word, an apostrophe may
        // join or split it, "U.S." is one token.
        if (stop < 0x80 && stop != '\'' && stop != '`' && !(stop == '.' && e == i + 1)) {
          Token tok;
          tok.span = Span{base + static_cast<uint32_t>(i), base + static_cast<uint32_t>(e)};
          tok.fold_begin = static_cast<uint32_t>(folded.size());
          uint64_t h = 14695981039346656037ull;
          int upper = 0;
          for (size_t k = i; k < e; ++k) {
            const auto c = static_cast<unsigned char>(text[k]);
            const bool up = c >= 'A' && c <= 'Z';
            upper += up;
            const char f = static_cast<char>(up ? c + 32 : c);
            folded.push_back(f);
            h ^= static_cast<unsigned char>(f);
            h *= 1099511628211ull;
          }
          tok.fold_len = static_cast<uint32_t>(e - i);
          tok.hash = h;
          uint16_t flags = kTokWord;
          if (b >= 'A' && b <= 'Z') flags |= kTokCapitalized;
          // Digits are neither upper nor lower case.
          int lower = 0;
          if (upper >= 2) {
            for (size_t k = i; k < e; ++k) lower += text[k] >= 'a' && text[k] <= 'z';
            if (lower == 0) flags |= kTokAllCaps;
          }
          if (space_before) flags |= kTokSpaceBefore;
          if (line_start) flags |= kTokLineStart;
          if (hyphen_before) flags |= kTokHyphenBefore;
          tok.flags = flags;
          tokens.push_back(tok);
          space_before = false;
          line_start = false;
          hyphen_before = false;
          i = e;
          continue;
        }
      }
    }
    size_t len = 0;
    const char32_t cp = cur.At(i, &len);
    if (cp == '\n') {
      line_start = true;
      space_before = true;
      hyphen_before = false;
      i += len;
      continue;
    }
    if (IsSpace(cp) || IsInvisible(cp)) {
      space_before = true;
      hyphen_before = false;
      i += len;
      continue;
    }
    // A hyphen glued between two word characters joins a compound: drop it and mark
    // the next token.
    if (IsJoiningHyphen(cp) && !space_before && !tokens.empty() &&
        (tokens.back().flags & (kTokWord | kTokNumber)) != 0 &&
        tokens.back().span.end == base + i) {
      const char32_t next = cur.Peek(i + len);
      if (IsLetter(next) || IsDigit(next)) {
        hyphen_before = true;
        i += len;
        continue;
      }
    }

    const size_t start = i;
    size_t end = i + len;
    uint16_t flags = 0;
    bool possessive = false;
    if (IsLetter(cp)) {
      flags |= kTokWord;
      size_t letters = 1;
      while (end < n) {
        size_t l = 0;
        const char32_t c = cur.At(end, &l);
        if (IsLetter(c) || IsDigit(c) || IsMark(c)) {
          letters += IsLetter(c);
          end += l;
          continue;
        }
        if (IsApostrophe(c) && c != '`') {
          size_t l2 = 0;
          const char32_t next = cur.At(end + l, &l2);
          if (!IsLetter(next)) break;
          if ((next == 's' || next == 'S')) {
            const char32_t after = cur.Peek(end + l + l2);
            if (!IsLetter(after) && !IsDigit(after)) break;  // possessive: split it off
          }
          end += l;
          continue;
        }
        // Abbreviations written with dots: "U.S.", "U.N.", "e.g.".
        if (c == '.' && letters == 1 && end == start + len) {
          size_t l2 = 0;
          const char32_t next = cur.At(end + 1, &l2);
          if (IsLetter(next) && cur.Peek(end + 1 + l2) == '.') {
            end += 1 + l2 + 1;  // ".X."
            while (end < n) {   // further ".Y." groups
              size_t l3 = 0;
              const char32_t c3 = cur.At(end, &l3);
              if (IsLetter(c3) && cur.Peek(end + l3) == '.') {
                end += l3 + 1;
              } else {
                break;
              }
            }
            break;
          }
        }
        break;
      }
    } else if (IsDigit(cp)) {
      flags |= kTokNumber;
      while (end < n) {
        const char c = text[end];
        if (IsDigit(static_cast<unsigned char>(c))) {
          ++end;
        } else if ((c == ',' || c == '.') && end + 1 < n &&
                   IsDigit(static_cast<unsigned char>(text[end + 1]))) {
          ++end;
        } else {
          break;
        }
      }
      // Ordinals and decades stay one word: "93rd", "24th", "1990s".
      size_t k = end;
      while (k < n && IsLetter(static_cast<unsigned char>(text[k])) && k - end < 3) ++k;
      const std::string_view suffix = text.substr(end, k - end);
      const bool suffix_ends = k >= n || !IsLetter(cur.Peek(k));
      if (suffix_ends &&
          (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th" || suffix == "s")) {
        end = k;
        flags = kTokWord;
      }
    } else {
      flags |= kTokPunct;
      if (IsQuoteMark(cp)) flags |= kTokQuoteMark;
      // The possessive 's: an apostrophe then s, glued to the previous word (or one
      // space after it, as pages stitched from markup write "Ukraine ’s").
      const bool glued_or_one_space =
          !space_before || (start >= 1 && text[start - 1] == ' ' && !tokens.empty() &&
                            tokens.back().span.end == base + start - 1);
      if (IsApostrophe(cp) && cp != '`' && glued_or_one_space && !tokens.empty() &&
          (tokens.back().flags & kTokWord) != 0) {
        size_t l2 = 0;
        const char32_t next = cur.At(end, &l2);
        if ((next == 's' || next == 'S') && !IsLetter(cur.Peek(end + l2)) &&
            !IsDigit(cur.Peek(end + l2))) {
          end += l2;
          flags = kTokApostropheS;
          possessive = true;
        }
      }
    }

    Token tok;
    tok.span = Span{base + static_cast<uint32_t>(start), base + static_cast<uint32_t>(end)};
    tok.fold_begin = static_cast<uint32_t>(folded.size());
    const std::string_view word = text.substr(start, end - start);
    if (possessive) {
      folded += "'s";
    } else if (flags & kTokPunct) {
      FoldPunct(cp, folded);
    } else {
      FoldAppend(word, folded);
    }
    tok.fold_len = static_cast<uint32_t>(folded.size()) - tok.fold_begin;
    tok.hash = FoldHash(std::string_view(folded).substr(tok.fold_begin, tok.fold_len));
    if (flags & kTokWord) {
      if (IsUpper(cp)) flags |= kTokCapitalized;
      int upper = 0, lower = 0;
      for (size_t k = 0; k < word.size();) {
        size_t l = 0;
        const char32_t c = utf8::Decode(word, k, &l);
        upper += IsUpper(c);
        lower += IsLower(c);
        k += l;
      }
      if (upper >= 2 && lower == 0) flags |= kTokAllCaps;
    }
    if (space_before) flags |= kTokSpaceBefore;
    if (line_start) flags |= kTokLineStart;
    if (hyphen_before) flags |= kTokHyphenBefore;
    tok.flags = flags;
    tokens.push_back(tok);
    space_before = false;
    line_start = false;
    hyphen_before = false;
    i = end;
  }
}

bool ParseNumberToken(std::string_view token, double* value) {
  if (token.empty() || token[0] < '0' || token[0] > '9') return false;
  // A comma followed by exactly three digits groups thousands; a lone dot is decimal.
  std::string clean;
  clean.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (c >= '0' && c <= '9') {
      clean.push_back(c);
    } else if (c == ',') {
      size_t digits = 0;
      while (i + 1 + digits < token.size() && token[i + 1 + digits] >= '0' &&
             token[i + 1 + digits] <= '9')
        ++digits;
      if (digits == 3) continue;
      clean.push_back('.');  // "1,5" (decimal comma)
    } else if (c == '.') {
      clean.push_back('.');
    } else {
      return false;
    }
  }
  char* end = nullptr;
  *value = std::strtod(clean.c_str(), &end);
  return end != nullptr && *end == '\0';
}

}  // namespace sitrep
