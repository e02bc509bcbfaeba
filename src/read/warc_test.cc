#include "read/warc.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "read/reader.h"
#include "read/test_files.h"

namespace sitrep {
namespace {

using testing_files::Gzip;
using testing_files::ScratchDir;
using testing_files::Zstd;

// --- fixtures: WARC records written by hand --------------------------------------

// One record: version line, WARC-Type, the given header lines (each ending "\r\n"),
// Content-Length, the block and the two CRLFs that close it.
std::string Record(std::string_view type, std::string_view fields, std::string_view block) {
  return "WARC/1.0\r\nWARC-Type: " + std::string(type) + "\r\n" + std::string(fields) +
         "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + std::string(block) +
         "\r\n\r\n";
}

std::string ResponseFields(std::string_view uri, std::string_view id,
                           std::string_view date = "2024-03-05T08:15:00Z") {
  return "WARC-Target-URI: " + std::string(uri) + "\r\nWARC-Date: " + std::string(date) +
         "\r\nWARC-Record-ID: <urn:uuid:" + std::string(id) +
         ">\r\nContent-Type: application/http; msgtype=response\r\n";
}

std::string Response(std::string_view uri, std::string_view id, std::string_view http) {
  return Record("response", ResponseFields(uri, id), http);
}

std::string Http(std::string_view status, std::string_view headers, std::string_view body) {
  return "HTTP/1.1 " + std::string(status) + "\r\n" + std::string(headers) + "\r\n" +
         std::string(body);
}

const std::string kWarcinfo = Record(
    "warcinfo",
    "WARC-Date: 2024-03-05T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
    "Content-Type: application/warc-fields\r\n",
    "software: hand-written\r\nformat: WARC File Format 1.0\r\n");

const std::string kRequest = Record(
    "request",
    "WARC-Target-URI: https://news.example/kupiansk\r\nWARC-Record-ID: <urn:uuid:r-1>\r\n"
    "Content-Type: application/http; msgtype=request\r\n",
    "GET /kupiansk HTTP/1.1\r\nHost: news.example\r\n\r\n");

// A page in UTF-8 with its own publication date; its text mentions a WARC line, which a
// reader that looked for the next record by scanning would trip over.
const std::string kPage1 =
    "<!DOCTYPE html><html><head><title>Shelling near Kupiansk</title>"
    "<meta property=\"article:published_time\" content=\"2024-03-04T18:00:00Z\"></head>"
    "<body><nav>Home</nav><article><p>Russian forces shelled Kupiansk overnight, "
    "officials said.</p>\n<p>WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5</p>"
    "</article></body></html>";

// Windows-1251 bytes; the page's own meta claims ISO-8859-1, the HTTP header is right.
const std::string kPage2 =
    "<html><head><meta charset=\"iso-8859-1\"><title>x</title></head><body><p>"
    "\xD5\xE0\xF0\xFC\xEA\xEE\xE2 \xEE\xE1\xF1\xF2\xF0\xB3\xEB\xFF\xEB\xE8</p></body></html>";

std::string ChunkedBody(std::string_view body) {
  // Two chunks with an extension on the first, then the last chunk and a trailer.
  const size_t half = body.size() / 2;
  char size1[32];
  char size2[32];
  std::snprintf(size1, sizeof size1, "%zx", half);
  std::snprintf(size2, sizeof size2, "%zX", body.size() - half);
  return std::string(size1) + ";name=value\r\n" + std::string(body.substr(0, half)) + "\r\n" +
         size2 + "\r\n" + std::string(body.substr(half)) + "\r\n0\r\nX-Trailer: 1\r\n\r\n";
}

const std::string kPage3 =
    "<html><body><p>A convoy was seen on the road to Izium.</p></body></html>";
const std::string kPage4 = "<html><body><p>Air defence was active over Kyiv.</p></body></html>";

// The records of a small crawl, in order, with what each should give.
std::vector<std::string> CrawlRecords() {
  return {
      kWarcinfo,                                                                     // 1 skipped
      kRequest,                                                                      // 2 skipped
      Response("https://news.example/kupiansk", "11111111-aaaa-bbbb-cccc-000000000001",
               Http("200 OK", "Content-Type: text/html; charset=UTF-8\r\n", kPage1)),  // 3 doc
      Record("metadata",
             "WARC-Target-URI: https://news.example/kupiansk\r\nWARC-Record-ID: <urn:uuid:m-1>\r\n"
             "Content-Type: application/warc-fields\r\n",
             "fetchTimeMs: 120\r\n"),                                                // 4 skipped
      Response("https://ru.example/harkov", "11111111-aaaa-bbbb-cccc-000000000002",
               Http("200 OK", "Content-Type: text/html;charset=\"windows-1251\"\r\n", kPage2)),  // 5 doc
      Response("https://news.example/gone", "11111111-aaaa-bbbb-cccc-000000000003",
               Http("404 Not Found", "Content-Type: text/html\r\n",
                    "<html><body><p>Page not found, but words.</p></body></html>")),  // 6 skipped
      Response("https://news.example/izium", "11111111-aaaa-bbbb-cccc-000000000004",
               Http("200 OK",
                    "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                    "Content-Encoding: gzip\r\n",
                    ChunkedBody(Gzip(kPage3)))),                                     // 7 doc
      Response("https://news.example/logo.png", "11111111-aaaa-bbbb-cccc-000000000005",
               Http("200 OK", "Content-Type: image/png\r\n", "\x89PNG\r\n\x1A\n")),  // 8 skipped
      Record("revisit",
             "WARC-Target-URI: https://news.example/kupiansk\r\nWARC-Record-ID: <urn:uuid:v-1>\r\n"
             "WARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\n"
             "Content-Type: application/http; msgtype=response\r\n",
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),                   // 9 skipped
      Response("https://wire.example/kyiv.txt", "11111111-aaaa-bbbb-cccc-000000000006",
               Http("200 OK",
                    "Content-Type: text/plain; charset=iso-8859-1\r\n"
                    "X-Crawler-Content-Encoding: gzip\r\n",
                    "Caf\xE9 near the Maidan was damaged.")),                          // 10 doc
      Response("https://news.example/redirect", "11111111-aaaa-bbbb-cccc-000000000007",
               Http("301 Moved Permanently", "Location: https://news.example/\r\n", "")),  // 11 skipped
      Response("https://news.example/kyiv", "11111111-aaaa-bbbb-cccc-000000000008",
               Http("200 OK", "Content-Encoding: deflate\r\n", "")),  // 12: replaced below
  };
}

std::string Crawl() {
  std::vector<std::string> records = CrawlRecords();
  // Record 12: no Content-Type (sniffed as HTML), a zlib-wrapped deflate body.
  std::string deflated(compressBound(kPage4.size()), '\0');
  uLongf len = deflated.size();
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(deflated.data()), &len,
                     reinterpret_cast<const Bytef*>(kPage4.data()), kPage4.size()),
            Z_OK);
  deflated.resize(len);
  records.back() = Response("https://news.example/kyiv", "11111111-aaaa-bbbb-cccc-000000000008",
                            Http("200 OK", "Content-Encoding: deflate\r\n", deflated));
  std::string out;
  for (const std::string& r : records) out += r;
  return out;
}

// One gzip member per record, as Common Crawl writes .warc.gz.
std::string CrawlGz() {
  const std::string plain = Crawl();
  std::string out;
  size_t pos = 0;
  while (pos < plain.size()) {
    const size_t next = plain.find("\r\n\r\nWARC/1.0\r\nWARC-Type:", pos);
    const size_t end = next == std::string::npos ? plain.size() : next + 4;
    out += Gzip(plain.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

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

void ExpectCrawlDocuments(const ReadResult& r, std::string_view format) {
  ASSERT_EQ(r.docs.size(), 5u) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];

  const Document& d1 = r.docs[0];
  EXPECT_EQ(d1.doc_id, "11111111-aaaa-bbbb-cccc-000000000001");
  EXPECT_EQ(d1.url, "https://news.example/kupiansk");
  EXPECT_EQ(d1.meta_title.value_or(""), "Shelling near Kupiansk");
  // The page's own date beats the day it was fetched.
  EXPECT_EQ(d1.meta_published, (CivilDate{2024, 3, 4}));
  EXPECT_EQ(d1.text,
            "Russian forces shelled Kupiansk overnight, officials said.\n"
            "WARC/1.0 WARC-Type: response Content-Length: 5");
  EXPECT_EQ(d1.origin.format, format);
  EXPECT_EQ(d1.origin.line, 0u);

  const Document& d2 = r.docs[1];
  EXPECT_EQ(d2.doc_id, "11111111-aaaa-bbbb-cccc-000000000002");
  EXPECT_EQ(d2.encoding, "windows-1251");  // the HTTP header, not the page's meta
  EXPECT_EQ(d2.text, "\xD0\xA5\xD0\xB0\xD1\x80\xD1\x8C\xD0\xBA\xD0\xBE\xD0\xB2 "
                     "\xD0\xBE\xD0\xB1\xD1\x81\xD1\x82\xD1\x80\xD1\x96\xD0\xBB\xD1\x8F\xD0\xBB\xD0\xB8");
  EXPECT_EQ(d2.meta_published, (CivilDate{2024, 3, 5}));  // WARC-Date: the page has none

  const Document& d3 = r.docs[2];
  EXPECT_EQ(d3.doc_id, "11111111-aaaa-bbbb-cccc-000000000004");
  EXPECT_EQ(d3.text, "A convoy was seen on the road to Izium.");  // de-chunked, gunzipped
  EXPECT_EQ(d3.url, "https://news.example/izium");

  const Document& d4 = r.docs[3];
  EXPECT_EQ(d4.url, "https://wire.example/kyiv.txt");
  EXPECT_EQ(d4.text, "Caf\xC3\xA9 near the Maidan was damaged.");  // text/plain, Latin-1
  EXPECT_EQ(d4.invalid_bytes, 0u);

  const Document& d5 = r.docs[4];
  EXPECT_EQ(d5.doc_id, "11111111-aaaa-bbbb-cccc-000000000008");
  EXPECT_EQ(d5.text, "Air defence was active over Kyiv.");  // no Content-Type, deflate

  // warcinfo, request, metadata, 404, image, revisit, 301.
  EXPECT_EQ(r.stats.skipped, 7u);
  EXPECT_EQ(r.stats.documents, 5u);
  EXPECT_EQ(r.stats.errors, 0u);
}

// --- the reader on whole files ----------------------------------------------------

TEST(ReaderWarc, ResponsesBecomeDocuments) {
  ScratchDir dir;
  const std::string crawl = Crawl();
  const ReadResult r = ReadAll({dir.Write("CC-NEWS-1.warc", crawl)});
  ExpectCrawlDocuments(r, "warc");
  EXPECT_EQ(r.stats.bytes, crawl.size());
  EXPECT_EQ(r.consumed, r.total);
}

TEST(ReaderWarc, GzipMemberPerRecord) {
  ScratchDir dir;
  const std::string packed = CrawlGz();
  // More than one member, or the test proves nothing about members.
  ASSERT_GT(packed.size(), Gzip(Crawl()).size());
  const ReadResult r = ReadAll({dir.Write("CC-NEWS-1.warc.gz", packed)});
  ExpectCrawlDocuments(r, "warc.gz");
  EXPECT_EQ(r.consumed, packed.size());
}

TEST(ReaderWarc, Zstd) {
  ScratchDir dir;
  const ReadResult r = ReadAll({dir.Write("crawl.warc.zst", Zstd(Crawl()))});
  ExpectCrawlDocuments(r, "warc.zst");
}

TEST(ReaderWarc, SniffedWhateverTheName) {
  ScratchDir dir;
  ExpectCrawlDocuments(ReadAll({dir.Write("crawl.bin", Crawl())}), "warc");
  ExpectCrawlDocuments(ReadAll({dir.Write("crawl.dat", CrawlGz())}), "warc.gz");
  // stdin
  const std::string path = dir.Write("stdin.warc.gz", CrawlGz());
  const int saved = dup(STDIN_FILENO);
  const int fd = open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  dup2(fd, STDIN_FILENO);
  close(fd);
  const ReadResult r = ReadAll({"-"});
  dup2(saved, STDIN_FILENO);
  close(saved);
  ExpectCrawlDocuments(r, "warc.gz");
  EXPECT_EQ(r.docs[0].origin.path, "-");
}

TEST(ReaderWarc, DirectoryPicksUpWarcFiles) {
  ScratchDir dir;
  dir.Write("crawl/a.warc.gz", CrawlGz());
  dir.Write("crawl/b.warc", Crawl());
  dir.Write("crawl/c.warc.cdx", "not read");
  const ReadResult r = ReadAll({dir / "crawl"});
  ASSERT_EQ(r.docs.size(), 10u);
  EXPECT_EQ(r.docs[0].origin.path, "crawl/a.warc.gz");
  EXPECT_EQ(r.docs[5].origin.path, "crawl/b.warc");
  EXPECT_EQ(r.stats.skipped, 1u + 14u);  // the .cdx file; 7 records in each crawl
}

TEST(ReaderWarc, RecordWithoutIdNamedByFileAndNumber) {
  ScratchDir dir;
  const std::string warc =
      kWarcinfo + Record("response", "WARC-Target-URI: <https://old.example/a>\r\n",
                         Http("200 OK", "Content-Type: text/html\r\n", kPage3));
  const ReadResult r = ReadAll({dir.Write("old.warc", warc)});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].doc_id, "old-2");
  EXPECT_EQ(r.docs[0].url, "https://old.example/a");  // WARC/1.0's angle brackets dropped
  EXPECT_FALSE(r.docs[0].meta_published.has_value());
}

TEST(ReaderWarc, TruncatedLastRecordKeepsWhatCameBefore) {
  ScratchDir dir;
  const std::string crawl = Crawl();
  // Cut inside the block of the last record (12).
  const size_t last = crawl.rfind("WARC/1.0\r\nWARC-Type: response");
  const size_t body = crawl.find("\r\n\r\nHTTP/1.1", last) + 4;
  const std::string path = dir.Write("cut.warc", crawl.substr(0, body + 30));
  const ReadResult r = ReadAll({path, dir.Write("after.txt", "Read after the cut file.")});
  ASSERT_EQ(r.docs.size(), 5u);  // four of the crawl, then the next input
  EXPECT_EQ(r.docs[3].url, "https://wire.example/kyiv.txt");
  EXPECT_EQ(r.docs[4].text, "Read after the cut file.");
  const size_t length_at = crawl.find("Content-Length: ", last) + 16;
  const std::string block = crawl.substr(length_at, crawl.find("\r\n", length_at) - length_at);
  ASSERT_EQ(std::stoull(block), crawl.size() - 4 - body);  // the last record's block
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], path + ": record 12 at offset " + std::to_string(last) +
                             ": truncated: its block has 30 of " + block + " bytes");

  // Cut inside a record header.
  const std::string head_cut = dir.Write("head.warc", crawl.substr(0, last + 25));
  const ReadResult h = ReadAll({head_cut});
  EXPECT_EQ(h.docs.size(), 4u);
  EXPECT_EQ(h.errors, (std::vector<std::string>{head_cut + ": record 12 at offset " +
                                                std::to_string(last) +
                                                ": truncated in its header"}));

  // Cut inside a skipped record's block: reported as well.
  const size_t meta = crawl.find("WARC-Type: metadata");
  const std::string skip_cut =
      dir.Write("skip.warc", crawl.substr(0, crawl.find("fetchTimeMs", meta) + 5));
  const ReadResult s = ReadAll({skip_cut});
  EXPECT_EQ(s.docs.size(), 1u);
  EXPECT_EQ(s.errors, (std::vector<std::string>{skip_cut + ": record 4 at offset " +
                                                std::to_string(meta - 10) +
                                                ": truncated: its block has 5 of 18 bytes"}));
}

TEST(ReaderWarc, TruncatedGzipMember) {
  ScratchDir dir;
  const std::string packed = CrawlGz();
  const std::string path = dir.Write("cut.warc.gz", packed.substr(0, packed.size() - 20));
  const ReadResult r = ReadAll({path});
  EXPECT_EQ(r.docs.size(), 4u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with(path + ": record 12 at offset ")) << r.errors[0];
  EXPECT_TRUE(r.errors[0].ends_with(": truncated gzip data")) << r.errors[0];
}

TEST(ReaderWarc, OversizedRecordSkippedAndTheWalkGoesOn) {
  ScratchDir dir;
  ReadOptions options;
  options.max_document_bytes = 200;
  const std::string big_page = "<html><body><p>" + std::string(300, 'x') + "</p></body></html>";
  // A small gzip body inflating past the limit is caught too.
  const std::string bomb = Gzip("<p>" + std::string(20000, 'y') + "</p>");
  ASSERT_LT(bomb.size(), 150u);
  const std::string warc =
      Response("https://a.example/big", "big", Http("200 OK", "Content-Type: text/html\r\n", big_page)) +
      Response("https://a.example/small", "small", Http("200 OK", "Content-Type: text/html\r\n", kPage3)) +
      Response("https://a.example/bomb", "bomb",
               Http("200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", bomb)) +
      // A big image is of no interest and not reported.
      Response("https://a.example/big.jpg", "img",
               Http("200 OK", "Content-Type: image/jpeg\r\n", std::string(5000, '\xFF'))) +
      Response("https://a.example/last", "last", Http("200 OK", "Content-Type: text/html\r\n", kPage4));
  const std::string path = dir.Write("big.warc", warc);
  const ReadResult r = ReadAll({path}, options);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].doc_id, "small");
  EXPECT_EQ(r.docs[1].doc_id, "last");
  const std::string reason = ": document larger than 200 bytes, skipped";
  const size_t third = warc.find("WARC/1.0", warc.find("urn:uuid:small"));
  EXPECT_EQ(r.errors, (std::vector<std::string>{path + ": record 1 at offset 0" + reason,
                                                path + ": record 3 at offset " +
                                                    std::to_string(third) + reason}));
  EXPECT_EQ(r.stats.skipped, 1u);
}

TEST(ReaderWarc, BadHttpRecordsReportedAndSkipped) {
  ScratchDir dir;
  const std::string warc =
      Response("https://a.example/br", "br",
               Http("200 OK", "Content-Type: text/html\r\nContent-Encoding: br\r\n", "\x1B\x03")) +
      Response("https://a.example/te", "te",
               Http("200 OK", "Content-Type: text/html\r\nTransfer-Encoding: gzip, chunked\r\n", "x")) +
      Response("https://a.example/chunks", "chunks",
               Http("200 OK", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                    "40\r\n<p>too short for its size</p>")) +
      Response("https://a.example/nohttp", "nohttp", "GARBAGE 200\r\n\r\n<p>x</p>") +
      Response("https://a.example/empty", "empty",
               Http("200 OK", "Content-Type: text/html\r\n", "<nav>Home</nav>")) +
      Response("https://a.example/ok", "ok", Http("200 OK", "Content-Type: text/html\r\n", kPage3));
  const std::string path = dir.Write("bad.warc", warc);
  const ReadResult r = ReadAll({path});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].doc_id, "ok");
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_TRUE(r.errors[0].starts_with(path + ": record 1 at offset 0: ")) << r.errors[0];
  EXPECT_TRUE(r.errors[0].ends_with(": Content-Encoding 'br' not supported")) << r.errors[0];
  EXPECT_TRUE(r.errors[1].ends_with(": Transfer-Encoding 'gzip, chunked' not supported"));
  EXPECT_TRUE(r.errors[2].ends_with(": incomplete chunked body")) << r.errors[2];
  EXPECT_TRUE(r.errors[3].ends_with(": no HTTP status line")) << r.errors[3];
  EXPECT_TRUE(r.errors[4].ends_with(": empty document")) << r.errors[4];
}

TEST(ReaderWarc, MalformedRecordEndsTheWalk) {
  ScratchDir dir;
  const std::string ok =
      Response("https://a.example/ok", "ok", Http("200 OK", "Content-Type: text/html\r\n", kPage3));
  // A Content-Length five bytes too long takes the two CRLFs after the block and the
  // 'W' of the next record: the walk finds "ARC/1.0" where a record should start.
  std::string off = ok;
  const size_t at = off.find("Content-Length: ");
  const size_t end = off.find("\r\n", at);
  const uint64_t n = std::stoull(off.substr(at + 16, end - at - 16));
  off.replace(at + 16, end - at - 16, std::to_string(n + 5));
  const std::string p1 = dir.Write("off.warc", ok + off + ok);
  const ReadResult r1 = ReadAll({p1});
  EXPECT_EQ(r1.docs.size(), 2u);  // the first and the (longer-read) second
  ASSERT_EQ(r1.errors.size(), 1u);
  EXPECT_EQ(r1.errors[0], p1 + ": record 3 at offset " + std::to_string(ok.size() + off.size() + 1) +
                              ": no \"WARC/\" version line where a record should start (a wrong "
                              "Content-Length before it?)");

  const std::string p2 = dir.Write(
      "nolen.warc", ok + "WARC/1.0\r\nWARC-Type: response\r\n\r\n" + ok);
  const ReadResult r2 = ReadAll({p2});
  EXPECT_EQ(r2.docs.size(), 1u);
  EXPECT_EQ(r2.errors, (std::vector<std::string>{p2 + ": record 2 at offset " +
                                                 std::to_string(ok.size()) +
                                                 ": no Content-Length"}));

  const std::string p3 = dir.Write("badlen.warc", "WARC/1.0\r\nContent-Length: 12x\r\n\r\n");
  EXPECT_EQ(ReadAll({p3}).errors,
            (std::vector<std::string>{p3 + ": record 1 at offset 0: bad Content-Length '12x'"}));
}

// --- the parts --------------------------------------------------------------------

TEST(ReaderWarc, WalkerReadsHeadersAndBlocks) {
  ScratchDir dir;
  const std::string warc =
      "WARC/1.1\r\nwarc-type: response\r\nWARC-Target-URI: https://a.example/\r\n"
      "WARC-Record-ID: <urn:uuid:x>\r\nContent-Type: application/http;\r\n msgtype=response\r\n"
      "content-length: 10\r\n\r\n0123456789\r\n\r\n"
      "WARC/1.1\nWARC-Type: metadata\nContent-Length: 0\n\n\r\n\r\n";
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(dir.Write("w.warc", warc), &error));
  WarcReader walker;
  walker.Reset(&in);
  WarcHeader h;
  ASSERT_EQ(walker.Next(&h), WarcReader::Status::kRecord) << walker.error();
  EXPECT_EQ(h.number, 1u);
  EXPECT_EQ(h.offset, 0u);
  EXPECT_EQ(h.version, "WARC/1.1");
  EXPECT_EQ(h.type, "response");
  EXPECT_EQ(h.target_uri, "https://a.example/");
  EXPECT_EQ(h.record_id, "<urn:uuid:x>");
  EXPECT_EQ(h.content_type, "application/http; msgtype=response");  // continued line
  EXPECT_EQ(h.content_length, 10u);
  std::string block;
  EXPECT_EQ(walker.ReadBlock(4, &block), 4u);
  EXPECT_EQ(block, "0123");
  EXPECT_EQ(walker.block_remaining(), 6u);
  // The rest of the block is skipped by Next.
  ASSERT_EQ(walker.Next(&h), WarcReader::Status::kRecord) << walker.error();
  EXPECT_EQ(h.number, 2u);
  EXPECT_EQ(h.offset, warc.find("WARC/1.1\nWARC-Type: metadata"));
  EXPECT_EQ(h.type, "metadata");
  EXPECT_EQ(h.content_length, 0u);
  EXPECT_EQ(walker.Next(&h), WarcReader::Status::kEnd);
}

TEST(ReaderWarc, WalkerBoundsTheHeader) {
  ScratchDir dir;
  const std::string warc = "WARC/1.0\r\nX-Long: " + std::string(5000, 'a') + "\r\nContent-Length: 0\r\n\r\n";
  InputStream in;
  std::string error;
  ASSERT_TRUE(in.Open(dir.Write("w.warc", warc), &error));
  WarcReader walker(1024);
  walker.Reset(&in);
  WarcHeader h;
  EXPECT_EQ(walker.Next(&h), WarcReader::Status::kError);
  EXPECT_EQ(walker.error(), "record 1 at offset 0: record header longer than 1024 bytes");
}

TEST(ReaderWarc, HttpHead) {
  const std::string raw =
      "HTTP/1.1 200 OK\r\nContent-Type: Text/HTML; Charset=\"Windows-1251\"\r\n"
      "Content-Encoding: GZIP\r\nTransfer-Encoding: chunked\r\n\r\nbody";
  EXPECT_EQ(HttpHeadLength(raw), raw.size() - 4);
  EXPECT_EQ(HttpHeadLength("HTTP/1.0 200 OK\nA: b\n\nbody"), 22u);
  EXPECT_EQ(HttpHeadLength("HTTP/1.1 200 OK\r\nA: b\r\n"), 0u);
  HttpHead head;
  std::string reason;
  ASSERT_TRUE(ParseHttpHead(raw, &head, &reason));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.media_type, "text/html");
  EXPECT_EQ(head.charset, "windows-1251");
  EXPECT_EQ(head.content_encoding, "gzip");
  EXPECT_EQ(head.transfer_encoding, "chunked");
  ASSERT_TRUE(ParseHttpHead("HTTP/2 404\r\n\r\n", &head, &reason));
  EXPECT_EQ(head.status, 404);
  EXPECT_FALSE(head.has_content_type);
  EXPECT_FALSE(ParseHttpHead("HTTP/1.1 2xx OK\r\n", &head, &reason));
  EXPECT_FALSE(ParseHttpHead("<html>", &head, &reason));
  EXPECT_EQ(reason, "no HTTP status line");
}

TEST(ReaderWarc, Dechunking) {
  std::string out;
  std::string reason;
  ASSERT_TRUE(Dechunk(ChunkedBody("Hello, chunked world."), &out, &reason)) << reason;
  EXPECT_EQ(out, "Hello, chunked world.");
  ASSERT_TRUE(Dechunk("5\r\nHello\r\n", &out, &reason));  // no last chunk: kept
  EXPECT_EQ(out, "Hello");
  EXPECT_FALSE(Dechunk("zz\r\nHello\r\n0\r\n\r\n", &out, &reason));
  EXPECT_EQ(reason, "malformed chunked body");
  EXPECT_FALSE(Dechunk("5\r\nHelloX0\r\n\r\n", &out, &reason));
  EXPECT_EQ(reason, "malformed chunked body");
  EXPECT_FALSE(Dechunk("10\r\nHello\r\n", &out, &reason));
  EXPECT_EQ(reason, "incomplete chunked body");
}

TEST(ReaderWarc, ContentEncodings) {
  const std::string page = "<p>" + std::string(1000, 'k') + "</p>";
  std::string out;
  std::string reason;
  bool too_large = false;
  ASSERT_TRUE(DecodeContentEncoding("gzip", Gzip(page), 1 << 20, &out, &reason, &too_large));
  EXPECT_EQ(out, page);
  ASSERT_TRUE(DecodeContentEncoding("x-gzip", Gzip("a") + Gzip("b"), 1 << 20, &out, &reason,
                                    &too_large));
  EXPECT_EQ(out, "ab");
  ASSERT_TRUE(DecodeContentEncoding("zstd", Zstd(page), 1 << 20, &out, &reason, &too_large));
  EXPECT_EQ(out, page);
  // Raw deflate, which some servers send as "deflate".
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string raw(deflateBound(&zs, page.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(page.data()));
  zs.avail_in = static_cast<uInt>(page.size());
  zs.next_out = reinterpret_cast<Bytef*>(raw.data());
  zs.avail_out = static_cast<uInt>(raw.size());
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  raw.resize(zs.total_out);
  deflateEnd(&zs);
  ASSERT_TRUE(DecodeContentEncoding("deflate", raw, 1 << 20, &out, &reason, &too_large)) << reason;
  EXPECT_EQ(out, page);

  EXPECT_FALSE(DecodeContentEncoding("gzip", Gzip(page), 100, &out, &reason, &too_large));
  EXPECT_TRUE(too_large);
  EXPECT_FALSE(DecodeContentEncoding("zstd", Zstd(page), 100, &out, &reason, &too_large));
  EXPECT_TRUE(too_large);
  const std::string packed = Gzip(page);
  EXPECT_FALSE(DecodeContentEncoding("gzip", packed.substr(0, packed.size() / 2), 1 << 20, &out,
                                     &reason, &too_large));
  EXPECT_FALSE(too_large);
  EXPECT_EQ(reason, "truncated compressed body");
  const std::string z = Zstd(page);
  EXPECT_FALSE(DecodeContentEncoding("zstd", z.substr(0, z.size() - 3), 1 << 20, &out, &reason,
                                     &too_large));
  EXPECT_EQ(reason, "truncated compressed body");
  EXPECT_FALSE(DecodeContentEncoding("br", "x", 1 << 20, &out, &reason, &too_large));
  EXPECT_EQ(reason, "Content-Encoding 'br' not supported");
}

TEST(ReaderWarc, IdsAndDates) {
  EXPECT_EQ(WarcDocId("<urn:uuid:4f1c2f2e-9a8b-4c3d-8e7f-0a1b2c3d4e5f>"),
            "4f1c2f2e-9a8b-4c3d-8e7f-0a1b2c3d4e5f");
  EXPECT_EQ(WarcDocId("<urn:sha1:ABC>"), "urn:sha1:ABC");
  EXPECT_EQ(WarcDocId(""), "");
  EXPECT_EQ(WarcDay("2024-03-05T08:15:00Z"), (CivilDate{2024, 3, 5}));
  EXPECT_EQ(WarcDay("2024-03-05T08:15:00.123456Z"), (CivilDate{2024, 3, 5}));
  EXPECT_FALSE(WarcDay("yesterday").has_value());
}

}  // namespace
}  // namespace sitrep
