#include "output/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "output/output_test_util.h"

namespace sitrep {
namespace {

std::string Escaped(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string Decimal(double v, int decimals) {
  std::string out;
  AppendDecimal(out, v, decimals);
  return out;
}

std::string Number(double v) {
  std::string out;
  AppendNumber(out, v);
  return out;
}

TEST(OutputJsonString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Escaped("plain"), "\"plain\"");
  EXPECT_EQ(Escaped("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Escaped("l1\nl2\r\t\b\f"), "\"l1\\nl2\\r\\t\\b\\f\"");
  EXPECT_EQ(Escaped(std::string_view("\x01\x1f\0", 3)), "\"\\u0001\\u001f\\u0000\"");
}

TEST(OutputJsonString, KeepsValidUtf8AndReplacesInvalid) {
  EXPECT_EQ(Escaped("\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2"), "\"\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2\"");
  EXPECT_EQ(Escaped("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");        // 4-byte emoji kept
  EXPECT_EQ(Escaped("\xEF\xBF\xBD"), "\"\xEF\xBF\xBD\"");                // a real U+FFFD kept
  EXPECT_EQ(Escaped("a\xFF" "b"), "\"a\xEF\xBF\xBD" "b\"");             // stray byte
  EXPECT_EQ(Escaped("\xD0"), "\"\xEF\xBF\xBD\"");                        // truncated sequence
  EXPECT_EQ(Escaped("x\xE2\x80\xA8y\xE2\x80\xA9"), "\"x\\u2028y\\u2029\"");  // JS line breaks
}

TEST(OutputJsonString, ValidUtf8Passthrough) {
  std::string out;
  AppendValidUtf8(out, "ok \xC3\xA9 \xC3");
  EXPECT_EQ(out, "ok \xC3\xA9 \xEF\xBF\xBD");
}

TEST(OutputJsonNumbers, DecimalsTrimmedAndRounded) {
  EXPECT_EQ(Decimal(49.71, 5), "49.71");
  EXPECT_EQ(Decimal(37.616, 5), "37.616");
  EXPECT_EQ(Decimal(48.595561234, 5), "48.59556");
  EXPECT_EQ(Decimal(30.0, 5), "30");
  EXPECT_EQ(Decimal(-0.000001, 5), "0");
  EXPECT_EQ(Decimal(-33.5, 5), "-33.5");
  EXPECT_EQ(Decimal(0.8f, 4), "0.8");  // a float's binary noise does not show
  EXPECT_EQ(Decimal(std::nan(""), 5), "null");
  EXPECT_EQ(Decimal(std::numeric_limits<double>::infinity(), 5), "null");
  EXPECT_EQ(Decimal(1e300, 5), "1e+300");  // too wide for fixed notation: shortest form
}

TEST(OutputJsonNumbers, IntegersAsIntegers) {
  EXPECT_EQ(Number(17800), "17800");
  EXPECT_EQ(Number(-3), "-3");
  EXPECT_EQ(Number(21.7), "21.7");
  EXPECT_EQ(Number(1e6), "1000000");
  EXPECT_EQ(Number(0.1), "0.1");
}

TEST(OutputJsonWriter, PlacesCommas) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("a").Int(1);
  w.Key("b").BeginArray().Int(1).BeginObject().EndObject().BeginArray().EndArray().Null().EndArray();
  w.Key("c").StringOrNull("");
  w.Key("d").SpanArray(Span{3, 7});
  w.Key("e").SpanOrNull(Span{});
  w.Key("f").Date(CivilDate{2023, 2, 24});
  w.Key("g").Bool(false);
  w.EndObject();
  EXPECT_EQ(out, R"({"a":1,"b":[1,{},[],null],"c":null,"d":[3,7],"e":null,"f":"2023-02-24","g":false})");
  testing::Parse(out);
}

}  // namespace
}  // namespace sitrep
