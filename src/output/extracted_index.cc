#include "output/extracted_index.h"

#include <simdjson.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

namespace sitrep {
namespace {

uint64_t KeyOf(std::string_view doc_id) { return XXH3_64bits(doc_id.data(), doc_id.size()); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

constexpr std::string_view kDocumentPrefix = R"({"kind":"document",)";
constexpr std::string_view kEventPrefix = R"({"kind":"event",)";

}  // namespace

bool ParseContentHash(std::string_view s, uint64_t* hash) {
  if (s.size() != 16) return false;
  uint64_t h = 0;
  for (char c : s) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return false;
    h = (h << 4) | static_cast<uint64_t>(v);
  }
  *hash = h;
  return true;
}

void ExtractedIndex::Add(std::string_view doc_id, uint64_t content_hash, std::string_view data_version,
                         uint64_t offset, uint32_t length) {
  size_t v = 0;
  while (v < versions_.size() && versions_[v] != data_version) ++v;
  if (v == versions_.size()) {
    // More versions than an entry can name: the document is left out (extracted again).
    if (versions_.size() > std::numeric_limits<uint16_t>::max()) return;
    versions_.emplace_back(data_version);
  }
  Entry& e = entries_[KeyOf(doc_id)];
  e.content_hash = content_hash;
  e.offset = offset;
  e.length = length;
  e.version = static_cast<uint16_t>(v);
  e.claimed = false;
}

bool ExtractedIndex::Claim(std::string_view doc_id, uint64_t content_hash, std::string_view data_version) {
  auto it = entries_.find(KeyOf(doc_id));
  if (it == entries_.end()) return false;
  Entry& e = it->second;
  if (e.claimed) return false;
  e.claimed = true;
  return e.content_hash == content_hash && versions_[e.version] == data_version;
}

const ExtractedIndex::Entry* ExtractedIndex::Find(std::string_view doc_id) const {
  auto it = entries_.find(KeyOf(doc_id));
  return it == entries_.end() ? nullptr : &it->second;
}

void ExtractedIndex::Clear() {
  entries_.clear();
  versions_.clear();
}

Result LoadSqliteIndex(const std::string& path, ExtractedIndex* index) {
  index->set_source(path);
  if (!Exists(path)) return Result::Ok();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  if (rc != SQLITE_OK) {
    return Result::Error(path + ": cannot open: " + (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 5000);
  auto fail = [&](std::string_view what) {
    return Result::Error(path + ": " + std::string(what) + ": " + sqlite3_errmsg(raw));
  };
  // Before schema version 3 there are no hashes to compare: nothing is skipped.
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(raw,
                         "SELECT count(*) FROM pragma_table_info('documents') "
                         "WHERE name IN ('content_hash', 'data_version')",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return fail("cannot read the schema");
  }
  const bool current = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) == 2;
  sqlite3_finalize(stmt);
  if (!current) return Result::Ok();
  if (sqlite3_prepare_v2(raw,
                         "SELECT doc_id, content_hash, data_version FROM documents "
                         "WHERE content_hash IS NOT NULL AND data_version IS NOT NULL",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return fail("cannot read documents");
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> select(stmt, sqlite3_finalize);
  auto text = [&](int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
    return p != nullptr ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
                        : std::string_view();
  };
  int step;
  while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
    uint64_t hash = 0;
    if (!ParseContentHash(text(1), &hash)) continue;
    index->Add(text(0), hash, text(2));
  }
  if (step != SQLITE_DONE) return fail("cannot read documents");
  return Result::Ok();
}

Result LoadJsonlIndex(const std::string& path, ExtractedIndex* index) {
  index->set_source(path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return Result::Ok();
    return Result::Error(path + ": cannot open: " + std::strerror(errno));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(f, std::fclose);
  struct LineBuffer {
    char* data = nullptr;
    size_t capacity = 0;
    ~LineBuffer() { std::free(data); }
  } buffer;
  simdjson::dom::parser parser;
  simdjson::padded_string padded;
  uint64_t offset = 0;  // of the line being read
  uint64_t line_number = 0;
  // The document whose lines are being walked.
  std::string doc_id;
  uint64_t hash = 0, doc_offset = 0;
  std::string version;
  bool open = false;
  auto close = [&](uint64_t end) {
    if (open && end - doc_offset <= std::numeric_limits<uint32_t>::max()) {
      index->Add(doc_id, hash, version, doc_offset, static_cast<uint32_t>(end - doc_offset));
    }
    open = false;
  };
  auto refuse = [&](const std::string& why) {
    index->Clear();
    return Result::Error(path + ":" + std::to_string(line_number) + ": " + why);
  };
  ssize_t n;
  while ((n = ::getline(&buffer.data, &buffer.capacity, f)) > 0) {
    ++line_number;
    const std::string_view text(buffer.data, static_cast<size_t>(n));
    // A last line cut short (a file not written to the end): its document is left out.
    if (text.back() != '\n') {
      open = false;
      break;
    }
    const uint64_t start = offset;
    offset += static_cast<uint64_t>(n);
    if (text.starts_with(kEventPrefix)) continue;  // the open document's
    if (text == "\n") continue;
    if (!text.starts_with(kDocumentPrefix)) return refuse("not a record of sitrep extract");
    close(start);
    simdjson::dom::object record;
    padded = simdjson::padded_string(text);
    if (parser.parse(padded).get(record) != simdjson::SUCCESS) return refuse("not JSON");
    std::string_view id, content_hash, data_version;
    if (record["doc_id"].get(id) != simdjson::SUCCESS) return refuse("a document record without doc_id");
    // Written by an older sitrep (no hashes): its lines are extracted again.
    if (record["content_hash"].get(content_hash) != simdjson::SUCCESS ||
        record["data_version"].get(data_version) != simdjson::SUCCESS ||
        !ParseContentHash(content_hash, &hash)) {
      continue;
    }
    doc_id.assign(id);
    version.assign(data_version);
    doc_offset = start;
    open = true;
  }
  if (std::ferror(f)) {
    index->Clear();
    return Result::Error(path + ": cannot read: " + std::strerror(errno));
  }
  close(offset);
  return Result::Ok();
}

}  // namespace sitrep
