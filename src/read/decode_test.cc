#include "read/decode.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

std::string Decode(std::string_view raw, std::string_view declared, DecodeInfo* info) {
  std::string out;
  DecodeToUtf8(raw, declared, &out, info);
  return out;
}

TEST(ReaderDecode, ValidUtf8PassesThrough) {
  DecodeInfo info;
  EXPECT_EQ(Decode("Kupiansk \xE2\x80\x9Cheld\xE2\x80\x9D", "", &info),
            "Kupiansk \xE2\x80\x9Cheld\xE2\x80\x9D");
  EXPECT_EQ(info.invalid_bytes, 0u);
  EXPECT_EQ(info.encoding, "utf-8");
}

TEST(ReaderDecode, StripsUtf8Bom) {
  DecodeInfo info;
  EXPECT_EQ(Decode("\xEF\xBB\xBFOdesa port", "", &info), "Odesa port");
  EXPECT_EQ(info.encoding, "utf-8");
}

TEST(ReaderDecode, InvalidBytesReplacedAndCounted) {
  // Plenty of valid multi-byte text, two stray bytes: damaged UTF-8, not a legacy code page.
  DecodeInfo info;
  const std::string raw =
      "\xE2\x80\x9C" "Drones\xE2\x80\x9D hit \xFF depots \xE2\x80\x94 and \xC3" " fuel.";
  const std::string out = Decode(raw, "", &info);
  EXPECT_EQ(out, "\xE2\x80\x9C" "Drones\xE2\x80\x9D hit \xEF\xBF\xBD depots \xE2\x80\x94 and "
                 "\xEF\xBF\xBD fuel.");
  EXPECT_EQ(info.invalid_bytes, 2u);
  EXPECT_EQ(info.encoding, "utf-8");
}

TEST(ReaderDecode, Windows1252Fallback) {
  DecodeInfo info;
  const std::string out = Decode("The mayor said \x93we hold\x94 \x96 caf\xE9 closed.", "", &info);
  EXPECT_EQ(out, "The mayor said \xE2\x80\x9Cwe hold\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9 closed.");
  EXPECT_EQ(info.encoding, "windows-1252");
  EXPECT_EQ(info.invalid_bytes, 0u);
}

TEST(ReaderDecode, Windows1252UnassignedBytesAreInvalid) {
  uint32_t invalid = 0;
  std::string out;
  DecodeWindows1252("a\x81" "b", &out, &invalid);
  EXPECT_EQ(out, "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(invalid, 1u);
}

TEST(ReaderDecode, LooksLikeWindows1252) {
  EXPECT_FALSE(LooksLikeWindows1252("plain ascii"));
  EXPECT_FALSE(LooksLikeWindows1252("valid \xC3\xA9"));
  EXPECT_TRUE(LooksLikeWindows1252("\x93quoted\x94"));
  EXPECT_FALSE(LooksLikeWindows1252("\xC3\xA9\xC3\xA9\xC3\xA9 one bad \xFF"));
}

TEST(ReaderDecode, Utf16WithBom) {
  DecodeInfo info;
  EXPECT_EQ(Decode(std::string("\xFF\xFE\x4B\x00\x79\x00\x69\x00\x76\x00\x20\x00\x1C\x20\x78\x00"
                               "\x1D\x20", 18), "", &info),
            "Kyiv \xE2\x80\x9Cx\xE2\x80\x9D");
  EXPECT_EQ(info.encoding, "utf-16le");
  EXPECT_EQ(Decode(std::string("\xFE\xFF\x00\x4B\x00\x79\x00\x69\x00\x76", 10), "", &info), "Kyiv");
  EXPECT_EQ(info.encoding, "utf-16be");
  EXPECT_EQ(info.invalid_bytes, 0u);
}

TEST(ReaderDecode, DeclaredCharsets) {
  const std::string kharkov = "\xD0\xA5\xD0\xB0\xD1\x80\xD1\x8C\xD0\xBA\xD0\xBE\xD0\xB2";
  DecodeInfo info;
  EXPECT_EQ(Decode("\xE8\xC1\xD2\xD8\xCB\xCF\xD7", "KOI8-R", &info), kharkov);
  EXPECT_EQ(info.encoding, "koi8-r");
  EXPECT_EQ(Decode("\xD5\xE0\xF0\xFC\xEA\xEE\xE2", "windows-1251", &info), kharkov);
  EXPECT_EQ(info.encoding, "windows-1251");
  EXPECT_EQ(Decode("\xD5\xE0\xF0\xFC\xEA\xEE\xE2", "cp1251", &info), kharkov);
  EXPECT_EQ(Decode("caf\xE9", "iso-8859-1", &info), "caf\xC3\xA9");
  EXPECT_EQ(info.encoding, "windows-1252");
}

TEST(ReaderDecode, DeclaredCharsetLosesToRealUtf8) {
  // Re-saved pages keep their old declaration; valid multi-byte UTF-8 wins.
  DecodeInfo info;
  EXPECT_EQ(Decode("caf\xC3\xA9", "windows-1251", &info), "caf\xC3\xA9");
  EXPECT_EQ(info.encoding, "utf-8");
}

TEST(ReaderDecode, UnknownOrUtf16LabelIgnored) {
  DecodeInfo info;
  EXPECT_EQ(Decode("plain", "no-such-charset", &info), "plain");
  EXPECT_EQ(info.encoding, "utf-8");
  EXPECT_EQ(Decode("plain", "utf-16", &info), "plain");
  EXPECT_EQ(info.encoding, "utf-8");
}

TEST(ReaderDecode, DeclaredCharsetPrescan) {
  EXPECT_EQ(DeclaredCharset("<html><head><meta charset=\"KOI8-R\"><title>x</title>"), "koi8-r");
  EXPECT_EQ(DeclaredCharset("<meta http-equiv=\"Content-Type\" "
                            "content=\"text/html; charset=windows-1251\">"),
            "windows-1251");
  EXPECT_EQ(DeclaredCharset("<meta charset='utf-8' />"), "utf-8");
  EXPECT_EQ(DeclaredCharset("<html><body>no declaration; charset=x outside meta</body>"), "");
}

}  // namespace
}  // namespace sitrep
