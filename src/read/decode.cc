#include "read/decode.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <vector>

#include "base/utf8.h"

namespace sitrep {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr std::string_view kWindows1252 = "windows-1252";
constexpr std::string_view kUtf8 = "utf-8";
// Invalid bytes per valid multi-byte sequence above which a text is taken as Windows-1252.
constexpr uint64_t kLegacyRatio = 20;
// How far into a page to look for its charset declaration (the HTML standard says 1024;
// real pages put long <head>s before it).
constexpr size_t kCharsetPrescanBytes = 4096;

// 0x80..0x9F of Windows-1252; 0 marks the five unassigned bytes.
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

enum class Charset : uint8_t { kUtf8, kWindows1252, kIgnored, kOther };

// Labels the WHATWG Encoding standard folds into UTF-8 or Windows-1252 (Latin-1 and
// ASCII included: browsers read them as Windows-1252, and so does real content).
Charset ClassifyLabel(std::string_view label) {
  static constexpr std::array<std::string_view, 3> kUtf8Labels = {"utf-8", "utf8",
                                                                  "unicode-1-1-utf-8"};
  static constexpr std::array<std::string_view, 16> kWindows1252Labels = {
      "windows-1252", "cp1252",         "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1",
      "iso-ir-100",   "latin1",         "l1",       "ibm819",     "cp819",     "us-ascii",
      "ascii",        "ansi_x3.4-1968", "csisolatin1", "iso88591"};
  if (label.empty()) return Charset::kIgnored;
  for (std::string_view l : kUtf8Labels) {
    if (label == l) return Charset::kUtf8;
  }
  for (std::string_view l : kWindows1252Labels) {
    if (label == l) return Charset::kWindows1252;
  }
  if (label.starts_with("utf-16") || label.starts_with("utf16") || label == "unicode") {
    return Charset::kIgnored;
  }
  return Charset::kOther;
}

// Scans for the counts LooksLikeWindows1252 and the ICU label check need.
struct Utf8Census {
  uint64_t multibyte = 0;  // valid sequences of two or more bytes
  uint64_t invalid = 0;    // bytes that start no valid sequence
};

Utf8Census CensusUtf8(std::string_view raw) {
  Utf8Census census;
  size_t i = 0;
  while (i < raw.size()) {
    if (static_cast<unsigned char>(raw[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = 1;
    const char32_t cp = utf8::Decode(raw, i, &len);
    if (cp == utf8::kReplacement && len == 1) {
      ++census.invalid;
    } else {
      ++census.multibyte;
    }
    i += len;
  }
  return census;
}

bool HasHighBytes(std::string_view raw) {
  return std::any_of(raw.begin(), raw.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

struct SubstitutionCount {
  uint32_t bytes = 0;
};

// Counts what ICU substitutes, then lets ICU substitute U+FFFD as usual.
void CountingSubstitute(const void* context, UConverterToUnicodeArgs* args,
                        const char* code_units, int32_t length, UConverterCallbackReason reason,
                        UErrorCode* status) {
  if (reason <= UCNV_IRREGULAR) {
    auto* count = static_cast<SubstitutionCount*>(const_cast<void*>(context));
    count->bytes += static_cast<uint32_t>(length);
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, status);
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// The converter's standard name, lower-cased ("windows-1251", "koi8-r").
std::string ConverterName(UConverter* converter, std::string_view label) {
  UErrorCode status = U_ZERO_ERROR;
  const char* internal = ucnv_getName(converter, &status);
  if (U_FAILURE(status)) return LowerCopy(label);
  for (const char* standard : {"IANA", "MIME", "WINDOWS"}) {
    status = U_ZERO_ERROR;
    const char* name = ucnv_getStandardName(internal, standard, &status);
    if (U_SUCCESS(status) && name != nullptr) return LowerCopy(name);
  }
  return LowerCopy(label);
}

// Converts through ICU; false when ICU has no converter for the label.
bool ConvertWithIcu(std::string_view raw, const std::string& label, std::string* out,
                    DecodeInfo* info) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(label.c_str(), &status));
  if (U_FAILURE(status) || converter == nullptr) return false;
  SubstitutionCount count;
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), CountingSubstitute, &count, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;

  // One UTF-16 unit per input byte is enough for every ICU charset in practice; when it
  // is not, ICU tells us the size and we convert again with a fresh count.
  std::vector<UChar> units(raw.size() + 16);
  int32_t unit_count = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    status = U_ZERO_ERROR;
    count.bytes = 0;
    ucnv_resetToUnicode(converter.get());
    unit_count = ucnv_toUChars(converter.get(), units.data(), static_cast<int32_t>(units.size()),
                               raw.data(), static_cast<int32_t>(raw.size()), &status);
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
    units.resize(static_cast<size_t>(unit_count) + 16);
  }
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING) return false;

  out->resize(static_cast<size_t>(unit_count) * 3 + 4);
  int32_t out_len = 0;
  int32_t substitutions = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out->data(), static_cast<int32_t>(out->size()), &out_len, units.data(),
                     unit_count, utf8::kReplacement, &substitutions, &status);
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING) return false;
  out->resize(static_cast<size_t>(out_len));
  info->invalid_bytes = count.bytes + static_cast<uint32_t>(substitutions);
  info->encoding = ConverterName(converter.get(), label);
  return true;
}

void DecodeUtf8(std::string_view raw, std::string* out, DecodeInfo* info) {
  info->encoding = std::string(kUtf8);
  if (simdjson::validate_utf8(raw.data(), raw.size())) {
    out->assign(raw);
    return;
  }
  if (LooksLikeWindows1252(raw)) {
    DecodeWindows1252(raw, out, &info->invalid_bytes);
    info->encoding = std::string(kWindows1252);
    return;
  }
  info->invalid_bytes = RepairUtf8(raw, out);
}

}  // namespace

bool LooksLikeWindows1252(std::string_view raw) {
  const Utf8Census census = CensusUtf8(raw);
  return census.invalid > 0 && census.multibyte * kLegacyRatio <= census.invalid;
}

void DecodeWindows1252(std::string_view raw, std::string* out, uint32_t* invalid) {
  out->clear();
  out->reserve(raw.size() + raw.size() / 8);
  for (char ch : raw) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out->push_back(ch);
    } else if (b < 0xA0) {
      const char16_t cp = kWindows1252High[b - 0x80];
      if (cp == 0) ++*invalid;
      utf8::Append(*out, cp == 0 ? utf8::kReplacement : cp);
    } else {
      utf8::Append(*out, b);
    }
  }
}

uint32_t RepairUtf8(std::string_view raw, std::string* out) {
  out->clear();
  out->reserve(raw.size() + raw.size() / 8);
  uint32_t replaced = 0;
  size_t i = 0;
  while (i < raw.size()) {
    // Copy the ASCII run in one go: it is almost all of any text.
    size_t run = i;
    while (run < raw.size() && static_cast<unsigned char>(raw[run]) < 0x80) ++run;
    out->append(raw.data() + i, run - i);
    i = run;
    if (i == raw.size()) break;
    size_t len = 1;
    const char32_t cp = utf8::Decode(raw, i, &len);
    if (cp == utf8::kReplacement && len == 1) {
      ++replaced;
      utf8::Append(*out, utf8::kReplacement);
    } else {
      out->append(raw.data() + i, len);
    }
    i += len;
  }
  return replaced;
}

void DecodeToUtf8(std::string_view raw, std::string_view declared_charset, std::string* out,
                  DecodeInfo* info) {
  *info = DecodeInfo();
  if (raw.starts_with(kUtf8Bom)) {
    DecodeUtf8(raw.substr(kUtf8Bom.size()), out, info);
    return;
  }
  if (raw.starts_with(kUtf16LeBom) || raw.starts_with(kUtf16BeBom)) {
    const bool little = raw.starts_with(kUtf16LeBom);
    if (ConvertWithIcu(raw.substr(2), little ? "UTF-16LE" : "UTF-16BE", out, info)) {
      info->encoding = little ? "utf-16le" : "utf-16be";
      return;
    }
  }
  const std::string label = LowerCopy(declared_charset);
  const Charset charset = ClassifyLabel(label);
  if (charset == Charset::kWindows1252 || charset == Charset::kOther) {
    const bool really_utf8 =
        HasHighBytes(raw) && simdjson::validate_utf8(raw.data(), raw.size());
    if (!really_utf8) {
      if (charset == Charset::kWindows1252) {
        DecodeWindows1252(raw, out, &info->invalid_bytes);
        info->encoding = std::string(kWindows1252);
        return;
      }
      if (ConvertWithIcu(raw, label, out, info)) return;
      *info = DecodeInfo();
    }
  }
  DecodeUtf8(raw, out, info);
}

std::string DeclaredCharset(std::string_view html) {
  const std::string head = LowerCopy(html.substr(0, kCharsetPrescanBytes));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const size_t end = head.find('>', pos);
    const std::string_view tag =
        std::string_view(head).substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos += 5;
    const size_t at = tag.find("charset");
    if (at == std::string_view::npos) continue;
    size_t i = at + 7;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t')) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '"' || tag[i] == '\'')) {
      ++i;
    }
    size_t j = i;
    while (j < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[j])) || tag[j] == '-' ||
                              tag[j] == '_' || tag[j] == '.' || tag[j] == ':')) {
      ++j;
    }
    if (j > i) return std::string(tag.substr(i, j - i));
  }
  return "";
}

}  // namespace sitrep
