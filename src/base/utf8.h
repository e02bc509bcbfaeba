// Small UTF-8 helpers: decode one code point, encode one, validate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sitrep::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at text[pos]; sets len to the bytes it used (>= 1).
// Returns kReplacement (with len 1) for an invalid or truncated sequence.
inline char32_t Decode(std::string_view text, size_t pos, size_t* len) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  auto cont = [&](size_t i) -> int {
    if (pos + i >= text.size()) return -1;
    const auto b = static_cast<unsigned char>(text[pos + i]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  *len = 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    const int c1 = cont(1);
    if (c1 < 0) return kReplacement;
    *len = 2;
    return static_cast<char32_t>(((b0 & 0x1F) << 6) | c1);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const int c1 = cont(1), c2 = cont(2);
    if (c1 < 0 || c2 < 0) return kReplacement;
    const char32_t cp = static_cast<char32_t>(((b0 & 0x0F) << 12) | (c1 << 6) | c2);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacement;
    *len = 3;
    return cp;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const int c1 = cont(1), c2 = cont(2), c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return kReplacement;
    const char32_t cp = static_cast<char32_t>(((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3);
    if (cp < 0x10000 || cp > 0x10FFFF) return kReplacement;
    *len = 4;
    return cp;
  }
  return kReplacement;
}

inline void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace sitrep::utf8
