#include "read/reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "read/test_files.h"

namespace sitrep {
namespace {

using testing_files::Gzip;
using testing_files::ScratchDir;
using testing_files::Zstd;

struct ReadResult {
  std::vector<Document> docs;
  std::vector<std::string> errors;
  ReadStats stats;
  uint64_t consumed = 0;
  uint64_t total = 0;
};

ReadResult ReadAll(std::vector<std::string> inputs, ReadOptions options = {}) {
  ReadResult result;
  DocumentReader reader(std::move(inputs), options);
  reader.SetErrorHandler([&](const std::string& message) { result.errors.push_back(message); });
  result.total = reader.total_bytes();
  Document doc;
  while (reader.Next(&doc)) result.docs.push_back(doc);
  result.stats = reader.stats();
  result.consumed = reader.bytes_consumed();
  return result;
}

// Points stdin at a file for the lifetime of the object.
class StdinFrom {
 public:
  explicit StdinFrom(const std::string& path) : saved_(dup(STDIN_FILENO)) {
    const int fd = open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
  }
  ~StdinFrom() {
    dup2(saved_, STDIN_FILENO);
    close(saved_);
  }

 private:
  int saved_;
};

constexpr std::string_view kArticle =
    "Shelling in the east\n\nLocal officials said two districts lost power overnight.\n";

constexpr std::string_view kHtmlPage =
    "<!DOCTYPE html><html><head><title>Power cut in two districts</title>"
    "<meta property=\"article:published_time\" content=\"2024-01-15T07:00:00Z\">"
    "<link rel=\"canonical\" href=\"https://example.org/power\"></head><body>"
    "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
    "<article><h1>Power cut in two districts</h1>"
    "<p>Local officials said two districts   lost power overnight.</p>"
    "<p>Repairs began <b>at dawn</b>.</p></article>"
    "<footer>All rights reserved</footer><script>track()</script></body></html>";

constexpr std::string_view kJsonl =
    "{\"id\": \"a-1\", \"title\": \"Bridge hit\", \"published\": \"2023-05-02T10:00:00Z\", "
    "\"url\": \"https://example.org/a1\", \"text\": \"A bridge was hit.\\nTraffic stopped.\"}\n"
    "{\"id\": 42, \"text\": \"Numbered id.\", \"date\": \"2023-05-03\"}\n"
    "\n"
    "{\"text\": \"No id here.\", \"date\": \"03-MAY-1987 10:00:00.00\"}\n"
    "not json at all\n"
    "{\"id\": \"a-5\", \"title\": \"no text\"}\n"
    "{\"id\": \"a-6\", \"text\": 17}\n"
    "[\"an\", \"array\"]\n"
    "   \t\n"
    "{\"id\": \"a-9\", \"text\": \"   \"}\n"
    "{\"id\": \"a-10\", \"text\": \"Last one, no newline.\"}";

TEST(Reader, TextFile) {
  ScratchDir dir;
  const std::string path = dir.Write("000_abc.txt", kArticle);
  const ReadResult r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 1u);
  const Document& doc = r.docs[0];
  EXPECT_EQ(doc.doc_id, "000_abc");
  EXPECT_EQ(doc.origin.path, path);
  EXPECT_EQ(doc.origin.line, 0u);
  EXPECT_EQ(doc.origin.format, "txt");
  EXPECT_EQ(doc.text, kArticle);
  EXPECT_EQ(doc.encoding, "utf-8");
  EXPECT_EQ(doc.invalid_bytes, 0u);
  EXPECT_FALSE(doc.meta_title.has_value());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.stats.files, 1u);
  EXPECT_EQ(r.stats.documents, 1u);
  EXPECT_EQ(r.stats.bytes, kArticle.size());
  EXPECT_EQ(r.total, kArticle.size());
  EXPECT_EQ(r.consumed, kArticle.size());
}

TEST(Reader, HtmlFile) {
  ScratchDir dir;
  const ReadResult r = ReadAll({dir.Write("page.html", kHtmlPage)});
  ASSERT_EQ(r.docs.size(), 1u);
  const Document& doc = r.docs[0];
  EXPECT_EQ(doc.doc_id, "page");
  EXPECT_EQ(doc.origin.format, "html");
  EXPECT_EQ(doc.text,
            "Power cut in two districts\n"
            "Local officials said two districts lost power overnight.\n"
            "Repairs began at dawn.");
  EXPECT_EQ(doc.meta_title.value_or(""), "Power cut in two districts");
  EXPECT_EQ(doc.meta_published, (CivilDate{2024, 1, 15}));
  EXPECT_EQ(doc.url, "https://example.org/power");
}

TEST(Reader, HtmlDeclaredCharset) {
  ScratchDir dir;
  const std::string page =
      "<html><head><meta charset=\"windows-1251\"></head><body><p>\xD5\xE0\xF0\xFC\xEA\xEE\xE2"
      "</p></body></html>";
  const ReadResult r = ReadAll({dir.Write("ru.htm", page)});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, "\xD0\xA5\xD0\xB0\xD1\x80\xD1\x8C\xD0\xBA\xD0\xBE\xD0\xB2");
  EXPECT_EQ(r.docs[0].encoding, "windows-1251");
}

TEST(Reader, HtmlLegacyBytes) {
  ScratchDir dir;
  const ReadResult r = ReadAll(
      {dir.Write("undeclared.html", "<p>He said \x93" "enough\x94.</p>"),
       dir.Write("latin.html", "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                               "charset=ISO-8859-1\"><p>Caf\xE9 shelled.</p>")});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].text, "He said \xE2\x80\x9C" "enough\xE2\x80\x9D.");
  EXPECT_EQ(r.docs[0].encoding, "windows-1252");
  EXPECT_EQ(r.docs[1].text, "Caf\xC3\xA9 shelled.");
  EXPECT_EQ(r.docs[1].encoding, "windows-1252");
}

TEST(Reader, JsonlRecordsAndErrors) {
  ScratchDir dir;
  const std::string path = dir.Write("feed.jsonl", kJsonl);
  const ReadResult r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 4u);

  EXPECT_EQ(r.docs[0].doc_id, "a-1");
  EXPECT_EQ(r.docs[0].text, "A bridge was hit.\nTraffic stopped.");
  EXPECT_EQ(r.docs[0].meta_title.value_or(""), "Bridge hit");
  EXPECT_EQ(r.docs[0].meta_published, (CivilDate{2023, 5, 2}));
  EXPECT_EQ(r.docs[0].url, "https://example.org/a1");
  EXPECT_EQ(r.docs[0].origin.path, path);
  EXPECT_EQ(r.docs[0].origin.line, 1u);
  EXPECT_EQ(r.docs[0].origin.format, "jsonl");

  EXPECT_EQ(r.docs[1].doc_id, "42");
  EXPECT_EQ(r.docs[1].meta_published, (CivilDate{2023, 5, 3}));
  EXPECT_FALSE(r.docs[1].meta_title.has_value());
  EXPECT_EQ(r.docs[1].origin.line, 2u);

  EXPECT_EQ(r.docs[2].doc_id, "feed-4");  // no id: file stem and line
  EXPECT_EQ(r.docs[2].meta_published, (CivilDate{1987, 5, 3}));  // Reuters' form
  EXPECT_EQ(r.docs[2].origin.line, 4u);

  EXPECT_EQ(r.docs[3].doc_id, "a-10");
  EXPECT_EQ(r.docs[3].text, "Last one, no newline.");
  EXPECT_EQ(r.docs[3].origin.line, 11u);

  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_TRUE(r.errors[0].starts_with(path + ":5: invalid JSON")) << r.errors[0];
  EXPECT_EQ(r.errors[1], path + ":6: no \"text\" field");
  EXPECT_EQ(r.errors[2], path + ":7: \"text\" is not a string");
  EXPECT_EQ(r.errors[3], path + ":8: not a JSON object");
  EXPECT_EQ(r.errors[4], path + ":10: empty document");
  EXPECT_EQ(r.stats.errors, 5u);
  EXPECT_EQ(r.stats.documents, 4u);
  EXPECT_EQ(r.consumed, kJsonl.size());
}

TEST(Reader, JsonlBomCrlfAndRepairedLines) {
  ScratchDir dir;
  const std::string content =
      "\xEF\xBB\xBF{\"id\": \"b1\", \"text\": \"Byte order mark first.\"}\r\n"
      "{\"id\": \"b2\", \"text\": \"He said \x93no\x94.\"}\r\n"
      "{\"id\": \"b3\", \"text\": \"\xE2\x80\x9CMixed\xE2\x80\x9D \xE2\x80\x94 \xE2\x80\x9C" "bad\xE2\x80\x9D"
      " \xFF byte\"}\n";
  const ReadResult r = ReadAll({dir.Write("b.ndjson", content)});
  ASSERT_EQ(r.docs.size(), 3u) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.docs[0].text, "Byte order mark first.");
  EXPECT_EQ(r.docs[1].text, "He said \xE2\x80\x9Cno\xE2\x80\x9D.");
  EXPECT_EQ(r.docs[1].encoding, "windows-1252");
  EXPECT_EQ(r.docs[2].text, "\xE2\x80\x9CMixed\xE2\x80\x9D \xE2\x80\x94 \xE2\x80\x9C" "bad"
                            "\xE2\x80\x9D \xEF\xBF\xBD byte");
  EXPECT_EQ(r.docs[2].invalid_bytes, 1u);
  EXPECT_EQ(r.docs[2].encoding, "utf-8");
}

TEST(Reader, GzipOfEachFormat) {
  ScratchDir dir;
  const std::string jsonl = "{\"id\": \"g1\", \"text\": \"Compressed record.\"}\n";
  const ReadResult r = ReadAll({dir.Write("a.txt.gz", Gzip(kArticle)),
                                dir.Write("b.html.gz", Gzip(kHtmlPage)),
                                dir.Write("c.jsonl.gz", Gzip(jsonl))});
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].doc_id, "a");
  EXPECT_EQ(r.docs[0].text, kArticle);
  EXPECT_EQ(r.docs[0].origin.format, "txt.gz");
  EXPECT_EQ(r.docs[1].doc_id, "b");
  EXPECT_EQ(r.docs[1].meta_title.value_or(""), "Power cut in two districts");
  EXPECT_EQ(r.docs[1].origin.format, "html.gz");
  EXPECT_EQ(r.docs[2].doc_id, "g1");
  EXPECT_EQ(r.docs[2].origin.format, "jsonl.gz");
  EXPECT_EQ(r.stats.bytes, kArticle.size() + kHtmlPage.size() + jsonl.size());
  EXPECT_EQ(r.consumed, r.total);
}

TEST(Reader, ZstdOfEachFormat) {
  ScratchDir dir;
  const std::string jsonl = "{\"id\": \"z1\", \"text\": \"First frame.\"}\n";
  const std::string jsonl2 = "{\"id\": \"z2\", \"text\": \"Second frame.\"}\n";
  const std::string cut = Zstd(kArticle);
  const std::string cut_path = dir.Write("cut.txt.zst", cut.substr(0, cut.size() - 5));
  const ReadResult r = ReadAll({dir.Write("a.txt.zst", Zstd(kArticle)),
                                dir.Write("b.html.zst", Zstd(kHtmlPage)),
                                dir.Write("c.jsonl.zst", Zstd(jsonl) + Zstd(jsonl2)), cut_path});
  ASSERT_EQ(r.docs.size(), 4u);
  EXPECT_EQ(r.docs[0].doc_id, "a");
  EXPECT_EQ(r.docs[0].text, kArticle);
  EXPECT_EQ(r.docs[0].origin.format, "txt.zst");
  EXPECT_EQ(r.docs[1].doc_id, "b");
  EXPECT_EQ(r.docs[1].meta_title.value_or(""), "Power cut in two districts");
  EXPECT_EQ(r.docs[1].origin.format, "html.zst");
  EXPECT_EQ(r.docs[2].doc_id, "z1");
  EXPECT_EQ(r.docs[2].origin.format, "jsonl.zst");
  EXPECT_EQ(r.docs[3].doc_id, "z2");
  EXPECT_EQ(r.docs[3].origin.line, 2u);
  EXPECT_EQ(r.errors, (std::vector<std::string>{cut_path + ": truncated zstd data"}));
  EXPECT_EQ(r.consumed, r.total);
}

TEST(Reader, ZstdOversizedFromItsContentNotItsSize) {
  ScratchDir dir;
  ReadOptions options;
  options.max_document_bytes = 100;
  // 150 bytes of content compress to far fewer than 100: the limit is on the content.
  const std::string big = dir.Write("big.txt.zst", Zstd(std::string(150, 'a')));
  const ReadResult r = ReadAll({big, dir.Write("small.txt.zst", Zstd(std::string(90, 'b')))},
                               options);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, std::string(90, 'b'));
  EXPECT_EQ(r.errors,
            (std::vector<std::string>{big + ": document larger than 100 bytes, skipped"}));
}

TEST(Reader, MultiMemberGzip) {
  ScratchDir dir;
  const std::string part1 = "{\"id\": \"m1\", \"text\": \"First member.\"}\n";
  const std::string part2 = "{\"id\": \"m2\", \"text\": \"Second member.\"}\n";
  const ReadResult r = ReadAll({dir.Write("m.jsonl.gz", Gzip(part1) + Gzip(part2)),
                                dir.Write("t.txt.gz", Gzip("Half one, ") + Gzip("half two."))});
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].doc_id, "m1");
  EXPECT_EQ(r.docs[1].doc_id, "m2");
  EXPECT_EQ(r.docs[1].origin.line, 2u);
  EXPECT_EQ(r.docs[2].text, "Half one, half two.");
}

TEST(Reader, CorruptGzipReported) {
  ScratchDir dir;
  const std::string packed = Gzip(std::string(kArticle));
  const std::string path = dir.Write("cut.txt.gz", packed.substr(0, packed.size() - 12));
  const ReadResult r = ReadAll({path, dir.Write("ok.txt", "Still read.")});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, "Still read.");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], path + ": truncated gzip data");
}

TEST(Reader, DirectoryRecursionOrderAndDisplayPaths) {
  ScratchDir dir;
  dir.Write("corpus/b.txt", "Second by name.");
  dir.Write("corpus/a.txt", "First by name.");
  dir.Write("corpus/sub/c.html", "<p>Nested page.</p>");
  dir.Write("corpus/sub/deeper/d.jsonl", "{\"text\": \"Nested record.\"}\n");
  dir.Write("corpus/Z.txt.gz", Gzip("Upper case sorts first."));
  dir.Write("corpus/.hidden.txt", "Never read.");
  dir.Write("corpus/.git/config.txt", "Never read either.");
  dir.Write("corpus/notes.md", "Unknown extension.");
  dir.Write("corpus/archive.gz", Gzip("Unknown inner extension."));
  const ReadResult r = ReadAll({dir / "corpus/"});
  ASSERT_EQ(r.docs.size(), 5u);
  EXPECT_EQ(r.docs[0].origin.path, "corpus/Z.txt.gz");
  EXPECT_EQ(r.docs[0].doc_id, "Z");
  EXPECT_EQ(r.docs[1].origin.path, "corpus/a.txt");
  EXPECT_EQ(r.docs[2].origin.path, "corpus/b.txt");
  EXPECT_EQ(r.docs[3].origin.path, "corpus/sub/c.html");
  EXPECT_EQ(r.docs[3].text, "Nested page.");
  EXPECT_EQ(r.docs[4].origin.path, "corpus/sub/deeper/d.jsonl");
  EXPECT_EQ(r.docs[4].doc_id, "d-1");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.stats.skipped, 2u);  // notes.md, archive.gz; hidden entries are not counted
  EXPECT_EQ(r.stats.files, 5u);
  EXPECT_EQ(r.consumed, r.total);
}

TEST(Reader, DirectoryArgumentShownFromItsParent) {
  ScratchDir dir;
  dir.Write("data/seeds/000_x.txt", "A seed article.");
  const ReadResult r = ReadAll({dir / "data/seeds"});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].origin.path, "seeds/000_x.txt");
  EXPECT_EQ(r.docs[0].doc_id, "000_x");
}

TEST(Reader, SymlinkLoopDetected) {
  ScratchDir dir;
  dir.Write("tree/a.txt", "Read once.");
  dir.Write("tree/sub/b.txt", "Also read once.");
  std::filesystem::create_directory_symlink("..", dir / "tree/sub/up");
  std::filesystem::create_directory_symlink(dir / "tree/sub", dir / "tree/sub2");
  std::filesystem::create_symlink(dir / "tree/missing.txt", dir / "tree/dangling.txt");
  const ReadResult r = ReadAll({dir / "tree"});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].origin.path, "tree/a.txt");
  EXPECT_EQ(r.docs[1].origin.path, "tree/sub/b.txt");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0], "tree/dangling.txt: broken symbolic link");
  EXPECT_EQ(r.errors[1], "tree/sub/up: symbolic link loop, not followed");
  EXPECT_EQ(r.stats.skipped, 1u);  // sub2: the same directory as sub, already read
}

TEST(Reader, SymlinksNotFollowedWhenAsked) {
  ScratchDir dir;
  dir.Write("elsewhere/x.txt", "Outside the tree.");
  dir.Write("tree/a.txt", "Inside the tree.");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "tree/link");
  ReadOptions options;
  options.follow_symlinks = false;
  ReadResult r = ReadAll({dir / "tree"}, options);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.stats.skipped, 1u);
  r = ReadAll({dir / "tree"});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[1].origin.path, "tree/link/x.txt");
}

TEST(Reader, InvalidUtf8ReplacedAndCounted) {
  ScratchDir dir;
  const ReadResult r = ReadAll({dir.Write(
      "bad.txt",
      "\xE2\x80\x9CWe hold the line\xE2\x80\x9D, he said \xE2\x80\x94 \xC3\xA9lan \xFE\xFF end.")});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text,
            "\xE2\x80\x9CWe hold the line\xE2\x80\x9D, he said \xE2\x80\x94 \xC3\xA9lan "
            "\xEF\xBF\xBD\xEF\xBF\xBD end.");
  EXPECT_EQ(r.docs[0].invalid_bytes, 2u);
  EXPECT_EQ(r.docs[0].encoding, "utf-8");
  EXPECT_TRUE(r.errors.empty());
}

TEST(Reader, Windows1252Fallback) {
  ScratchDir dir;
  const ReadResult r =
      ReadAll({dir.Write("legacy.txt", "The governor said \x93the city is calm\x94 \x97 for now.")});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text,
            "The governor said \xE2\x80\x9Cthe city is calm\xE2\x80\x9D \xE2\x80\x94 for now.");
  EXPECT_EQ(r.docs[0].encoding, "windows-1252");
  EXPECT_EQ(r.docs[0].invalid_bytes, 0u);
}

TEST(Reader, BomAndUtf16) {
  ScratchDir dir;
  const ReadResult r =
      ReadAll({dir.Write("bom.txt", "\xEF\xBB\xBFWith a BOM."),
               dir.Write("wide.txt", std::string("\xFF\xFEO\0k\0", 6))});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].text, "With a BOM.");
  EXPECT_EQ(r.docs[1].text, "Ok");
  EXPECT_EQ(r.docs[1].encoding, "utf-16le");
}

TEST(Reader, EmptyDocumentsReported) {
  ScratchDir dir;
  const std::string empty = dir.Write("empty.txt", "");
  const std::string blank = dir.Write("blank.txt", " \n\t\n");
  const std::string chrome = dir.Write("chrome.html", "<nav>Home</nav><script>x()</script>");
  const ReadResult r = ReadAll({empty, blank, chrome, dir.Write("ok.txt", "Content.")});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.errors, (std::vector<std::string>{empty + ": empty document",
                                                blank + ": empty document",
                                                chrome + ": empty document"}));
}

TEST(Reader, OversizedDocumentsReported) {
  ScratchDir dir;
  ReadOptions options;
  options.max_document_bytes = 100;
  const std::string big = std::string(150, 'a') + "\n";
  const std::string big_txt = dir.Write("big.txt", big);
  const std::string big_gz = dir.Write("big.txt.gz", Gzip(big));
  const std::string lines = dir.Write(
      "lines.jsonl", "{\"text\": \"small\"}\n{\"text\": \"" + std::string(200, 'b') +
                         "\"}\n{\"text\": \"small again\"}\n");
  const ReadResult r =
      ReadAll({big_txt, big_gz, lines, dir.Write("fits.txt", std::string(100, 'c'))}, options);
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].text, "small");
  EXPECT_EQ(r.docs[1].text, "small again");
  EXPECT_EQ(r.docs[1].origin.line, 3u);
  EXPECT_EQ(r.docs[2].text, std::string(100, 'c'));
  const std::string reason = "document larger than 100 bytes, skipped";
  EXPECT_EQ(r.errors, (std::vector<std::string>{big_txt + ": " + reason, big_gz + ": " + reason,
                                                lines + ":2: " + reason}));
  EXPECT_EQ(r.consumed, r.total);
}

TEST(Reader, MissingInputReportedInOrder) {
  ScratchDir dir;
  const std::string missing = dir / "missing.txt";
  const ReadResult r =
      ReadAll({dir.Write("one.txt", "One."), missing, dir.Write("two.txt", "Two.")});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.errors, (std::vector<std::string>{missing + ": No such file or directory"}));
  EXPECT_EQ(r.stats.errors, 1u);
  EXPECT_EQ(r.stats.files, 2u);
}

TEST(Reader, UnknownExtensionArgumentIsSniffed) {
  ScratchDir dir;
  const ReadResult r = ReadAll({dir.Write("dump.dat", "{\"id\": \"s1\", \"text\": \"Sniffed.\"}\n"),
                                dir.Write("page.php", "<html><body><p>Sniffed page.</p></body></html>"),
                                dir.Write("README", "Sniffed text.")});
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].doc_id, "s1");
  EXPECT_EQ(r.docs[0].origin.format, "jsonl");
  EXPECT_EQ(r.docs[1].text, "Sniffed page.");
  EXPECT_EQ(r.docs[1].origin.format, "html");
  EXPECT_EQ(r.docs[2].doc_id, "README");
  EXPECT_EQ(r.docs[2].origin.format, "txt");
}

TEST(Reader, StdinSniffed) {
  ScratchDir dir;
  {
    StdinFrom in(dir.Write("in1", "{\"text\": \"From stdin.\"}\n{\"id\": 7, \"text\": \"Again.\"}\n"));
    const ReadResult r = ReadAll({"-"});
    ASSERT_EQ(r.docs.size(), 2u);
    EXPECT_EQ(r.docs[0].doc_id, "stdin-1");
    EXPECT_EQ(r.docs[0].origin.path, "-");
    EXPECT_EQ(r.docs[1].doc_id, "7");
    EXPECT_EQ(r.total, 0u);
    EXPECT_GT(r.consumed, 0u);
  }
  {
    StdinFrom in(dir.Write("in2", Gzip("<!DOCTYPE html><title>T</title><p>Zipped page.</p>")));
    const ReadResult r = ReadAll({"-"});
    ASSERT_EQ(r.docs.size(), 1u);
    EXPECT_EQ(r.docs[0].doc_id, "stdin");
    EXPECT_EQ(r.docs[0].text, "Zipped page.");
    EXPECT_EQ(r.docs[0].origin.format, "html.gz");
  }
  {
    // zstd is found by its magic, whatever the name.
    StdinFrom in(dir.Write("in4", Zstd("{\"id\": \"zs\", \"text\": \"Zstd on stdin.\"}\n")));
    const ReadResult r = ReadAll({"-"});
    ASSERT_EQ(r.docs.size(), 1u);
    EXPECT_EQ(r.docs[0].doc_id, "zs");
    EXPECT_EQ(r.docs[0].origin.format, "jsonl.zst");
  }
  {
    StdinFrom in(dir.Write("in3", "Just words on stdin."));
    const ReadResult r = ReadAll({"-"});
    ASSERT_EQ(r.docs.size(), 1u);
    EXPECT_EQ(r.docs[0].text, "Just words on stdin.");
    EXPECT_EQ(r.docs[0].origin.format, "txt");
  }
}

TEST(Reader, ReusedDocumentIsReset) {
  ScratchDir dir;
  DocumentReader reader({dir.Write("a.jsonl",
                                   "{\"id\": \"x\", \"title\": \"T\", \"url\": \"u\", \"text\": \"One.\"}\n"
                                   "{\"text\": \"Two.\"}\n")});
  Document doc;
  ASSERT_TRUE(reader.Next(&doc));
  EXPECT_EQ(doc.meta_title.value_or(""), "T");
  doc.title = "set by a later stage";
  doc.events.emplace_back();
  ASSERT_TRUE(reader.Next(&doc));
  EXPECT_EQ(doc.doc_id, "a-2");
  EXPECT_EQ(doc.text, "Two.");
  EXPECT_FALSE(doc.meta_title.has_value());
  EXPECT_TRUE(doc.url.empty());
  EXPECT_FALSE(doc.title.has_value());
  EXPECT_TRUE(doc.events.empty());
  EXPECT_FALSE(reader.Next(&doc));
  EXPECT_FALSE(reader.Next(&doc));
}

TEST(Reader, FromMemory) {
  Document doc;
  ASSERT_TRUE(ReadDocumentFromMemory("<p>In memory.</p>", "x.html", &doc).ok());
  EXPECT_EQ(doc.text, "In memory.");
  EXPECT_EQ(doc.doc_id, "x");
  ASSERT_TRUE(ReadDocumentFromMemory("<div>Sniffed.</div>", "-", &doc).ok());
  EXPECT_EQ(doc.text, "Sniffed.");
  EXPECT_EQ(ReadDocumentFromMemory("  ", "e.txt", &doc).message(), "e.txt: empty document");
}

TEST(Reader, NoInputs) {
  const ReadResult r = ReadAll({});
  EXPECT_TRUE(r.docs.empty());
  EXPECT_EQ(r.total, 0u);
}

}  // namespace
}  // namespace sitrep
