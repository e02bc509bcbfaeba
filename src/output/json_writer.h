// Hand-written JSON output into a std::string: escaped strings, locale-free numbers,
// and a small writer that places the commas. Output is valid UTF-8 whatever bytes
// it is given (invalid sequences become U+FFFD).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/civil_date.h"
#include "doc/span.h"

namespace sitrep {

// Decimals for coordinates (5 decimals is ~1 m) and for scores in [0,1].
constexpr int kCoordinateDecimals = 5;
constexpr int kScoreDecimals = 4;

// Appends s as a quoted JSON string: escapes quotes, backslashes and control
// characters, and U+2028/U+2029 so the line is also a valid JavaScript literal.
void AppendJsonString(std::string& out, std::string_view s);
// Appends s with every invalid UTF-8 sequence replaced by U+FFFD.
void AppendValidUtf8(std::string& out, std::string_view s);
// Appends v with at most max_decimals decimals, trailing zeros dropped ("49.71").
// Not-finite values append "null".
void AppendDecimal(std::string& out, double v, int max_decimals);
// Appends v as an integer when it is one, else in the shortest round-trip form.
void AppendNumber(std::string& out, double v);

// Streams one JSON value (usually an object) into a string. Commas are placed from
// a single flag: a value or key needs one unless it opens a container or follows a key.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& StringOrNull(std::string_view s);  // null when empty
  JsonWriter& Null();
  // A value already in JSON (a stored record), appended as it is.
  JsonWriter& Raw(std::string_view json);
  JsonWriter& Bool(bool b);
  JsonWriter& Int(int64_t v);
  JsonWriter& Decimal(double v, int max_decimals);
  JsonWriter& Number(double v);
  JsonWriter& SpanArray(Span s);    // [begin, end]
  JsonWriter& SpanOrNull(Span s);   // null when empty
  JsonWriter& Date(const std::optional<CivilDate>& date);  // "YYYY-MM-DD" or null

 private:
  void Separate();

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace sitrep
