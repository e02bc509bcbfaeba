#include "read/input_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "read/test_files.h"

namespace sitrep {
namespace {

using testing_files::Gzip;
using testing_files::ScratchDir;
using testing_files::Zstd;

std::string ReadAll(InputStream* in) {
  std::string out;
  char buf[7];  // small on purpose: exercises every refill path
  while (size_t n = in->Read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

TEST(ReaderStream, PlainFile) {
  ScratchDir dir;
  const std::string path = dir.Write("a.txt", "Front line quiet overnight.\n");
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(path, &error)) << error;
  EXPECT_FALSE(in.gzip());
  EXPECT_EQ(ReadAll(&in), "Front line quiet overnight.\n");
  EXPECT_TRUE(in.error().empty());
  EXPECT_EQ(in.raw_bytes(), 28u);
  EXPECT_EQ(in.content_bytes(), 28u);
}

TEST(ReaderStream, MissingFile) {
  ScratchDir dir;
  InputStream in;
  std::string error;
  EXPECT_FALSE(in.Open(dir / "absent.txt", &error));
  EXPECT_EQ(error, "No such file or directory");
}

TEST(ReaderStream, GzipMultiMember) {
  ScratchDir dir;
  const std::string one = "First member: shelling reported.\n";
  const std::string two = "Second member: convoy seen.\n";
  const std::string packed = Gzip(one) + Gzip(two);
  const std::string path = dir.Write("a.txt.gz", packed);
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(path, &error));
  EXPECT_TRUE(in.gzip());
  EXPECT_EQ(ReadAll(&in), one + two);
  EXPECT_TRUE(in.error().empty()) << in.error();
  EXPECT_EQ(in.raw_bytes(), packed.size());
  EXPECT_EQ(in.content_bytes(), one.size() + two.size());
}

TEST(ReaderStream, GzipTrailingZerosIgnored) {
  ScratchDir dir;
  const std::string path = dir.Write("a.gz", Gzip("padded archive") + std::string(512, '\0'));
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(path, &error));
  EXPECT_EQ(ReadAll(&in), "padded archive");
  EXPECT_TRUE(in.error().empty());
}

TEST(ReaderStream, GzipTruncatedAndCorrupt) {
  ScratchDir dir;
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "Line " + std::to_string(i * 7919 % 1000) + " of text.\n";
  const std::string packed = Gzip(big);
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(dir.Write("cut.gz", packed.substr(0, packed.size() / 2)), &error));
  ReadAll(&in);
  EXPECT_EQ(in.error(), "truncated gzip data");

  std::string damaged = packed;
  for (size_t i = 20; i < 60; ++i) damaged[i] = static_cast<char>(0xFF);
  ASSERT_TRUE(in.Open(dir.Write("bad.gz", damaged), &error));
  ReadAll(&in);
  EXPECT_TRUE(in.error().starts_with("corrupt gzip data")) << in.error();
}

TEST(ReaderStream, PeekDoesNotConsume) {
  ScratchDir dir;
  const std::string path = dir.Write("a.gz", Gzip("{\"text\": \"peeked\"}\n"));
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(path, &error));
  EXPECT_EQ(in.Peek(4), "{\"te");
  EXPECT_EQ(in.Peek(100), "{\"text\": \"peeked\"}\n");
  EXPECT_EQ(in.content_bytes(), 0u);
  EXPECT_EQ(ReadAll(&in), "{\"text\": \"peeked\"}\n");
}

TEST(ReaderStream, ZstdMultiFrame) {
  ScratchDir dir;
  std::string big;
  for (int i = 0; i < 50000; ++i) big += "Line " + std::to_string(i) + " of a long report.\n";
  const std::string one = "First frame: shelling reported.\n";
  // A skippable frame (magic 0x184D2A50, 4-byte length, payload) between data frames.
  const std::string skippable = std::string("\x50\x2A\x4D\x18\x03\x00\x00\x00xyz", 11);
  const std::string packed = Zstd(one) + skippable + Zstd(big, 1) + Zstd("");
  const std::string path = dir.Write("a.txt.zst", packed);
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(path, &error)) << error;
  EXPECT_TRUE(in.zstd());
  EXPECT_FALSE(in.gzip());
  EXPECT_STREQ(in.compression_suffix(), ".zst");
  EXPECT_EQ(ReadAll(&in), one + big);
  EXPECT_TRUE(in.error().empty()) << in.error();
  EXPECT_EQ(in.raw_bytes(), packed.size());
  EXPECT_EQ(in.content_bytes(), one.size() + big.size());
}

TEST(ReaderStream, ZstdTruncatedAndCorrupt) {
  ScratchDir dir;
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "Line " + std::to_string(i * 7919 % 1000) + " of text.\n";
  const std::string packed = Zstd(big);
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(dir.Write("cut.zst", packed.substr(0, packed.size() / 2)), &error));
  ReadAll(&in);
  EXPECT_EQ(in.error(), "truncated zstd data");

  // Cut after a whole first frame: the first frame's content, then the error.
  ASSERT_TRUE(in.Open(dir.Write("cut2.zst", Zstd("whole frame. ") + packed.substr(0, 10)), &error));
  EXPECT_EQ(ReadAll(&in), "whole frame. ");
  EXPECT_EQ(in.error(), "truncated zstd data");

  std::string damaged = packed;
  for (size_t i = 4; i < 12; ++i) damaged[i] = static_cast<char>(0xFF);
  ASSERT_TRUE(in.Open(dir.Write("bad.zst", damaged), &error));
  ReadAll(&in);
  EXPECT_TRUE(in.error().starts_with("corrupt zstd data: ")) << in.error();

  // Bytes after the last frame that are no frame are an error too, as for zstd(1).
  ASSERT_TRUE(in.Open(dir.Write("trail.zst", Zstd("body") + "garbage!"), &error));
  EXPECT_EQ(ReadAll(&in), "body");
  EXPECT_TRUE(in.error().starts_with("corrupt zstd data: ")) << in.error();
}

TEST(ReaderStream, ZstdPeekAndLines) {
  ScratchDir dir;
  const std::string path = dir.Write("a.jsonl.zst", Zstd("{\"text\": \"one\"}\n") + Zstd("{\"text\": \"two\"}\n"));
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(path, &error));
  EXPECT_EQ(in.Peek(4), "{\"te");
  EXPECT_EQ(ReadAll(&in), "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
}

std::vector<std::string> Lines(const std::string& path, size_t max_line,
                               std::vector<uint64_t>* too_long = nullptr) {
  InputStream in;
  std::string error;
  EXPECT_TRUE(in.Open(path, &error));
  LineReader reader(max_line);
  reader.Reset(&in);
  std::vector<std::string> lines;
  std::string_view line;
  while (true) {
    const LineReader::Status status = reader.Next(&line);
    if (status == LineReader::Status::kEnd || status == LineReader::Status::kError) break;
    if (status == LineReader::Status::kTooLong) {
      if (too_long != nullptr) too_long->push_back(reader.line_number());
      continue;
    }
    lines.emplace_back(line);
  }
  return lines;
}

TEST(ReaderLines, TerminatorsAndLastLine) {
  ScratchDir dir;
  const std::string path = dir.Write("l.jsonl", "one\r\ntwo\n\nthree");
  EXPECT_EQ(Lines(path, 100), (std::vector<std::string>{"one", "two", "", "three"}));
}

TEST(ReaderLines, LongLineSkippedAndNumbered) {
  ScratchDir dir;
  const std::string path =
      dir.Write("l.jsonl", "short\n" + std::string(5000, 'x') + "\nafter\n" + std::string(300, 'y'));
  std::vector<uint64_t> too_long;
  EXPECT_EQ(Lines(path, 100, &too_long), (std::vector<std::string>{"short", "after"}));
  EXPECT_EQ(too_long, (std::vector<uint64_t>{2, 4}));
}

TEST(ReaderLines, ManyLinesAcrossBufferRefills) {
  ScratchDir dir;
  std::string content;
  std::vector<std::string> expected;
  // About 3 MiB with a few lines longer than the first buffer.
  for (int i = 0; i < 60000; ++i) {
    std::string line = "record " + std::to_string(i) + std::string(i % 97, '.');
    if (i % 20000 == 7) line += std::string(1500000, 'z');
    content += line + "\n";
    expected.push_back(line);
  }
  const std::string plain = dir.Write("big.jsonl", content);
  const std::string packed = dir.Write("big.jsonl.gz", Gzip(content));
  EXPECT_EQ(Lines(plain, 4 << 20), expected);
  EXPECT_EQ(Lines(packed, 4 << 20), expected);
  EXPECT_EQ(Lines(dir.Write("big.jsonl.zst", Zstd(content)), 4 << 20), expected);
}

}  // namespace
}  // namespace sitrep
