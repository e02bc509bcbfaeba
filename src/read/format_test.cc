#include "read/format.h"

#include <gtest/gtest.h>

#include "read/input_walk.h"

namespace sitrep {
namespace {

TEST(ReaderFormat, FromName) {
  EXPECT_EQ(FormatFromName("a/b/000_x.txt"), Format::kText);
  EXPECT_EQ(FormatFromName("page.HTML"), Format::kHtml);
  EXPECT_EQ(FormatFromName("page.htm"), Format::kHtml);
  EXPECT_EQ(FormatFromName("corpus.jsonl"), Format::kJsonl);
  EXPECT_EQ(FormatFromName("corpus.ndjson"), Format::kJsonl);
  EXPECT_EQ(FormatFromName("corpus.jsonl.gz"), Format::kJsonl);
  EXPECT_EQ(FormatFromName("x.txt.GZ"), Format::kText);
  EXPECT_EQ(FormatFromName("x.html.gz"), Format::kHtml);
  EXPECT_EQ(FormatFromName("corpus.jsonl.zst"), Format::kJsonl);
  EXPECT_EQ(FormatFromName("x.TXT.ZST"), Format::kText);
  EXPECT_EQ(FormatFromName("crawl/CC-NEWS-20240305.warc"), Format::kWarc);
  EXPECT_EQ(FormatFromName("CC-NEWS-20240305.warc.gz"), Format::kWarc);
  EXPECT_EQ(FormatFromName("crawl.warc.zst"), Format::kWarc);
  EXPECT_EQ(FormatFromName("archive.zst"), Format::kUnknown);
  EXPECT_EQ(FormatFromName("x.gz.zst"), Format::kUnknown);
  EXPECT_EQ(FormatFromName("notes.md"), Format::kUnknown);
  EXPECT_EQ(FormatFromName("archive.gz"), Format::kUnknown);
  EXPECT_EQ(FormatFromName("README"), Format::kUnknown);
  EXPECT_EQ(FormatFromName(".txt"), Format::kUnknown);  // a hidden file, not an extension
  EXPECT_EQ(FormatFromName("dir.txt/file"), Format::kUnknown);
}

TEST(ReaderFormat, Sniff) {
  EXPECT_EQ(SniffFormat("{\"text\": \"a\"}\n"), Format::kJsonl);
  EXPECT_EQ(SniffFormat("\xEF\xBB\xBF  \n {\"id\": 1}"), Format::kJsonl);
  EXPECT_EQ(SniffFormat("<!DOCTYPE html><html><body>x</body></html>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("  <div class=\"a\">Shelling overnight.</div>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("<p>One paragraph.</p>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("<BODY>Upper case tags</BODY>"), Format::kHtml);
  EXPECT_EQ(SniffFormat("<unknown> is not a tag we know"), Format::kText);
  EXPECT_EQ(SniffFormat("<pre-dawn> strike, written oddly"), Format::kText);
  EXPECT_EQ(SniffFormat("Plain words, no markup."), Format::kText);
  EXPECT_EQ(SniffFormat(""), Format::kText);
  EXPECT_EQ(SniffFormat("   \n"), Format::kText);
  EXPECT_EQ(SniffFormat("WARC/1.0\r\nWARC-Type: warcinfo\r\n"), Format::kWarc);
  EXPECT_EQ(SniffFormat("WARC/1.1\r\n"), Format::kWarc);
  EXPECT_EQ(SniffFormat("WARC/2 is not a version we know"), Format::kText);
  EXPECT_EQ(SniffFormat(" WARC/1.0 indented is text"), Format::kText);
}

TEST(ReaderFormat, DocIdFromName) {
  EXPECT_EQ(DocIdFromName("seeds/000_abc.txt"), "000_abc");
  EXPECT_EQ(DocIdFromName("000_abc.txt.gz"), "000_abc");
  EXPECT_EQ(DocIdFromName("x/report.v2.html"), "report.v2");
  EXPECT_EQ(DocIdFromName("corpus.jsonl.gz"), "corpus");
  EXPECT_EQ(DocIdFromName("notes.md"), "notes");
  EXPECT_EQ(DocIdFromName("archive.gz"), "archive");
  EXPECT_EQ(DocIdFromName("corpus.jsonl.zst"), "corpus");
  EXPECT_EQ(DocIdFromName("crawl/CC-NEWS-20240305.warc.gz"), "CC-NEWS-20240305");
  EXPECT_EQ(DocIdFromName("README"), "README");
  EXPECT_EQ(DocIdFromName("-"), "stdin");
}

TEST(ReaderFormat, DirectoryDisplayPrefix) {
  EXPECT_EQ(DirectoryDisplayPrefix("../shared/data/seeds"), "seeds/");
  EXPECT_EQ(DirectoryDisplayPrefix("../shared/data/seeds///"), "seeds/");
  EXPECT_EQ(DirectoryDisplayPrefix("seeds"), "seeds/");
  EXPECT_EQ(DirectoryDisplayPrefix("/"), "");
  EXPECT_EQ(DirectoryDisplayPrefix("/tmp/.."), "");
  EXPECT_FALSE(DirectoryDisplayPrefix(".").empty());
  EXPECT_NE(DirectoryDisplayPrefix("."), "./");
}

}  // namespace
}  // namespace sitrep
