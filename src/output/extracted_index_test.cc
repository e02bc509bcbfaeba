// What earlier runs extracted: the index read from a database or a JSON Lines output,
// what Claim says, and a JSON Lines file's lines copied through for unchanged documents.
#include "output/extracted_index.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "output/output_test_util.h"
#include "output/record_sink.h"
#include "output/records.h"
#include "output/sqlite_test_util.h"

namespace sitrep {
namespace {

using testing::Reader;
using testing::TempDb;

constexpr const char* kVersion = "0123456789abcdef";

// The sample documents as a pipeline would have stamped them.
Document Stamped(Document doc, uint64_t hash, std::string version = kVersion) {
  doc.content_hash = hash;
  doc.data_version = std::move(version);
  return doc;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spill(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void WriteJsonl(const std::string& path, const std::vector<Document>& docs) {
  std::unique_ptr<RecordSink> sink;
  ASSERT_TRUE(OpenJsonlSink(path, &sink).ok());
  for (const Document& doc : docs) ASSERT_TRUE(sink->Write(doc).ok());
  ASSERT_TRUE(sink->Finish().ok());
}

TEST(ExtractedIndex, ClaimSaysSameOnlyForTheSameHashAndVersionAndOnlyOnce) {
  ExtractedIndex index;
  index.Add("a", 1, "v1");
  index.Add("b", 2, "v1");
  index.Add("c", 3, "v2");
  EXPECT_TRUE(index.Claim("a", 1, "v1"));
  EXPECT_FALSE(index.Claim("a", 1, "v1")) << "a doc_id repeated in the input is extracted again";
  EXPECT_FALSE(index.Claim("b", 99, "v1")) << "changed content";
  EXPECT_FALSE(index.Claim("c", 3, "v1")) << "changed data version";
  EXPECT_FALSE(index.Claim("d", 4, "v1")) << "never extracted";
  EXPECT_EQ(index.size(), 3u);
  ASSERT_NE(index.Find("c"), nullptr);
  EXPECT_EQ(index.Find("c")->content_hash, 3u);
}

TEST(ExtractedIndex, ContentHashesAreSixteenHexDigits) {
  uint64_t h = 0;
  EXPECT_TRUE(ParseContentHash("00000000000000ff", &h));
  EXPECT_EQ(h, 255u);
  EXPECT_TRUE(ParseContentHash("FFFFFFFFFFFFFFFF", &h));
  EXPECT_EQ(h, ~uint64_t{0});
  EXPECT_FALSE(ParseContentHash("ff", &h));
  EXPECT_FALSE(ParseContentHash("000000000000000g", &h));
  Document doc;
  doc.content_hash = 0xabc;
  EXPECT_EQ(ContentHashHex(doc), "0000000000000abc");
}

TEST(ExtractedIndex, ReadFromADatabase) {
  TempDb db("index.sqlite");
  ExtractedIndex missing;
  ASSERT_TRUE(LoadSqliteIndex(db.path(), &missing).ok());
  EXPECT_TRUE(missing.empty());
  EXPECT_EQ(std::fopen(db.path().c_str(), "r"), nullptr) << "reading creates nothing";

  Document unstamped = testing::TrickyDocument();
  {
    std::unique_ptr<RecordSink> sink;
    ASSERT_TRUE(OpenSqliteSink(db.path(), SqliteOptions{}, &sink).ok());
    ASSERT_TRUE(sink->Write(Stamped(testing::SampleDocument(), 0x1234)).ok());
    ASSERT_TRUE(sink->Write(unstamped).ok());
    ASSERT_TRUE(sink->Finish().ok());
  }
  Reader r(db.path());
  EXPECT_EQ(r.Text("SELECT content_hash || ' ' || data_version FROM documents WHERE doc_id = '004_test'"),
            std::string("0000000000001234 ") + kVersion);
  EXPECT_EQ(r.Text("SELECT content_hash FROM documents WHERE doc_id = 'tricky \"7\"'"), "<null>");
  EXPECT_EQ(r.Text("SELECT json_extract(json, '$.content_hash') FROM documents WHERE doc_id = '004_test'"),
            "0000000000001234");

  ExtractedIndex index;
  ASSERT_TRUE(LoadSqliteIndex(db.path(), &index).ok());
  EXPECT_EQ(index.size(), 1u) << "a row without a content hash is extracted again";
  EXPECT_TRUE(index.Claim("004_test", 0x1234, kVersion));
}

// Document lines followed by their event lines, with where each document's lines are.
TEST(ExtractedIndex, ReadFromAJsonLinesOutput) {
  const std::string path = testing::TempPath("index.jsonl");
  const Document a = Stamped(testing::SampleDocument(), 7);
  Document b = Stamped(testing::TrickyDocument(), 8);
  Document old = testing::SampleDocument();  // an older sitrep's: no hashes
  old.doc_id = "old";
  WriteJsonl(path, {a, old, b});
  const std::string bytes = Slurp(path);

  ExtractedIndex index;
  const Result r = LoadJsonlIndex(path, &index);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Find("old"), nullptr);
  std::string a_lines;
  AppendDocumentJson(a, a_lines);
  a_lines += '\n';
  for (size_t i = 0; i < a.events.size(); ++i) {
    AppendEventJson(a, i, a_lines);
    a_lines += '\n';
  }
  const ExtractedIndex::Entry* ea = index.Find("004_test");
  ASSERT_NE(ea, nullptr);
  EXPECT_EQ(bytes.substr(ea->offset, ea->length), a_lines);
  const ExtractedIndex::Entry* eb = index.Find(b.doc_id);
  ASSERT_NE(eb, nullptr);
  EXPECT_EQ(eb->offset + eb->length, bytes.size()) << "the last document runs to the end";
  EXPECT_TRUE(index.Claim(b.doc_id, 8, kVersion));

  // A last line cut short: that document is left out.
  Spill(path, bytes.substr(0, bytes.size() - 1));
  ExtractedIndex cut;
  ASSERT_TRUE(LoadJsonlIndex(path, &cut).ok());
  EXPECT_NE(cut.Find("004_test"), nullptr);
  EXPECT_EQ(cut.Find(b.doc_id), nullptr);

  // A fused output (cluster records) is not extract's: refused, nothing kept.
  Spill(path, bytes + "{\"kind\":\"cluster\",\"id\":\"c1\"}\n");
  ExtractedIndex fused;
  const Result refused = LoadJsonlIndex(path, &fused);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find(path), std::string::npos) << refused.message();
  EXPECT_TRUE(fused.empty());

  std::remove(path.c_str());
  ExtractedIndex none;
  EXPECT_TRUE(LoadJsonlIndex(path, &none).ok());
  EXPECT_TRUE(none.empty());
}

// An unchanged document's lines come from the previous file, byte for byte: the new
// file is what writing every document would give.
TEST(ExtractedIndex, AJsonLinesSinkCopiesUnchangedDocumentsFromThePreviousFile) {
  const std::string before = testing::TempPath("before.jsonl");
  const std::string after = testing::TempPath("after.jsonl");
  const Document a = Stamped(testing::SampleDocument(), 7);
  const Document b = Stamped(testing::TrickyDocument(), 8);
  WriteJsonl(before, {a, b});
  auto index = std::make_shared<ExtractedIndex>();
  ASSERT_TRUE(LoadJsonlIndex(before, index.get()).ok());

  SinkOptions options;
  options.path = after;
  options.previous = index;
  std::unique_ptr<RecordSink> sink;
  ASSERT_TRUE(OpenSink(options, &sink).ok());
  Document identity;  // what the runner hands over for a skipped document
  identity.doc_id = a.doc_id;
  ASSERT_TRUE(sink->WriteUnchanged(identity).ok());
  ASSERT_TRUE(sink->Write(b).ok());
  identity.doc_id = "never-written";
  EXPECT_FALSE(sink->WriteUnchanged(identity).ok());
  ASSERT_TRUE(sink->Finish().ok());
  EXPECT_EQ(Slurp(after), Slurp(before));

  // A stream (no previous file) carries only what the run extracted.
  std::unique_ptr<RecordSink> stream;
  ASSERT_TRUE(OpenJsonlSink(after, &stream).ok());
  identity.doc_id = a.doc_id;
  ASSERT_TRUE(stream->WriteUnchanged(identity).ok());
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(Slurp(after), "");
  std::remove(before.c_str());
  std::remove(after.c_str());
}

}  // namespace
}  // namespace sitrep
