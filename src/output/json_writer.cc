#include "output/json_writer.h"

#include <charconv>
#include <cmath>

#include "base/utf8.h"

namespace sitrep {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";
// Largest magnitude printed as an integer: doubles are exact integers up to 2^53.
constexpr double kMaxExactInteger = 9007199254740992.0;

void AppendUnicodeEscape(std::string& out, unsigned cp) {
  out += "\\u";
  out.push_back(kHex[(cp >> 12) & 0xF]);
  out.push_back(kHex[(cp >> 8) & 0xF]);
  out.push_back(kHex[(cp >> 4) & 0xF]);
  out.push_back(kHex[cp & 0xF]);
}

// Appends the shortest round-trip form of v (finite).
void AppendShortest(std::string& out, double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) {
    out += "null";
    return;
  }
  out.append(buf, end);
}

}  // namespace

void AppendValidUtf8(std::string& out, std::string_view s) {
  size_t run = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = 1;
    const char32_t cp = utf8::Decode(s, i, &len);
    // Decode reports an invalid sequence as U+FFFD of length 1; a real U+FFFD is 3 bytes.
    if (cp == utf8::kReplacement && len == 1) {
      out.append(s.data() + run, i - run);
      out += kReplacementUtf8;
      run = i + 1;
    }
    i += len;
  }
  out.append(s.data() + run, s.size() - run);
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  auto flush = [&](size_t upto) { out.append(s.data() + run, upto - run); };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t len = 1;
      const char32_t cp = utf8::Decode(s, i, &len);
      const bool invalid = cp == utf8::kReplacement && len == 1;
      if (!invalid && cp != 0x2028 && cp != 0x2029) {
        i += len;
        continue;
      }
      flush(i);
      if (invalid) {
        out += kReplacementUtf8;
      } else {
        AppendUnicodeEscape(out, static_cast<unsigned>(cp));
      }
      i += len;
      run = i;
      continue;
    }
    flush(i);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: AppendUnicodeEscape(out, c); break;
    }
    ++i;
    run = i;
  }
  flush(s.size());
  out.push_back('"');
}

void AppendDecimal(std::string& out, double v, int max_decimals) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, max_decimals);
  if (ec != std::errc()) {  // too large for the buffer in fixed notation
    AppendShortest(out, v);
    return;
  }
  std::string_view text(buf, static_cast<size_t>(end - buf));
  if (text.find('.') != std::string_view::npos) {
    while (text.back() == '0') text.remove_suffix(1);
    if (text.back() == '.') text.remove_suffix(1);
  }
  if (text == "-0") text = "0";  // a tiny negative rounded away
  out += text;
}

void AppendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  if (v == std::trunc(v) && std::fabs(v) <= kMaxExactInteger) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    out.append(buf, end);
    return;
  }
  AppendShortest(out, v);
}

void JsonWriter::Separate() {
  if (need_comma_) out_.push_back(',');
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_.push_back(':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::StringOrNull(std::string_view s) {
  return s.empty() ? Null() : String(s);
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  Separate();
  out_ += b ? "true" : "false";
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Decimal(double v, int max_decimals) {
  Separate();
  AppendDecimal(out_, v, max_decimals);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Number(double v) {
  Separate();
  AppendNumber(out_, v);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::SpanArray(Span s) {
  BeginArray();
  Int(s.begin);
  Int(s.end);
  return EndArray();
}

JsonWriter& JsonWriter::SpanOrNull(Span s) { return s.empty() ? Null() : SpanArray(s); }

JsonWriter& JsonWriter::Date(const std::optional<CivilDate>& date) {
  return date ? String(FormatIsoDate(*date)) : Null();
}

}  // namespace sitrep
