// WARC files (ISO 28500, WARC/1.0 and 1.1), as web crawls write them: a walker over the
// records of an InputStream (a .warc.gz is one gzip member per record, which
// InputStream inflates transparently) that goes from record to record by each one's
// Content-Length, never by looking for the next "WARC/" line; and the HTTP side of a
// response record: status line, headers, chunked transfer coding, content codings.
//
// How the reader (reader.cc) makes documents of them: every `response` record whose
// HTTP status is 2xx (not 204 or 206) and whose Content-Type is HTML
// (text/html, application/xhtml+xml), text/plain, or absent with a body that sniffs as
// HTML becomes one document; other record types (warcinfo, request, metadata,
// revisit, ...), other statuses and other media types are skipped silently and counted
// in ReadStats::skipped. The document id is the record's WARC-Record-ID without its
// angle brackets and "urn:uuid:" prefix (unique per record by the standard, and the
// same every time the file is read); a record without one gets "<file stem>-<record
// number>". url is WARC-Target-URI; the publication date is the page's own
// (article:published_time, JSON-LD, ...) when it gives one, else the day of WARC-Date
// (when it was fetched: for a news crawl, close to publication).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/civil_date.h"
#include "read/input_stream.h"

namespace sitrep {

// The named fields of one WARC record header that the reader uses.
struct WarcHeader {
  uint64_t number = 0;          // 1-based position of the record in the file
  uint64_t offset = 0;          // content offset (after inflating) of its "WARC/" line
  uint64_t content_length = 0;  // bytes of the record block
  std::string version;          // "WARC/1.0"
  std::string type;             // WARC-Type, as written ("response", "request", ...)
  std::string target_uri;       // WARC-Target-URI, angle brackets removed
  std::string date;             // WARC-Date, as written
  std::string record_id;        // WARC-Record-ID, as written ("<urn:uuid:...>")
  std::string content_type;     // Content-Type of the block ("application/http; ...")
};

class WarcReader {
 public:
  enum class Status : uint8_t {
    kRecord,  // *header is the next record's; its block may be read with ReadBlock
    kEnd,     // the stream ended cleanly after a record
    kError,   // a truncated or malformed record, or the stream failed: error() says
              // which; the walk cannot go on (without a length there is no next record)
  };

  // max_header bounds the bytes of one record's header (a longer one is malformed).
  explicit WarcReader(size_t max_header = 1 << 20);

  void Reset(InputStream* in);
  // Skips what is left of the current record's block, then reads the next header.
  Status Next(WarcHeader* header);
  // Appends up to n bytes of the current block to *out; returns how many. Fewer than
  // min(n, block_remaining()) means the stream ended or failed: then error() is set.
  size_t ReadBlock(size_t n, std::string* out);
  uint64_t block_remaining() const { return remaining_; }
  // For kError and a short ReadBlock: "record N at offset X: reason".
  const std::string& error() const { return error_; }

 private:
  bool Fill();  // reads more content into buf_; false at the end
  bool NextLine(std::string_view* line, size_t limit);
  bool Discard(uint64_t n);
  void Fail(uint64_t number, uint64_t offset, const std::string& reason);
  uint64_t Position() const { return consumed_; }

  size_t max_header_;
  InputStream* in_ = nullptr;
  std::string buf_;
  size_t pos_ = 0;          // unconsumed data is buf_[pos_, buf_.size())
  uint64_t consumed_ = 0;   // content offset of buf_[pos_]
  uint64_t remaining_ = 0;  // unread bytes of the current block
  uint64_t number_ = 0;
  uint64_t record_offset_ = 0;
  uint64_t record_length_ = 0;
  bool in_record_ = false;
  std::string error_;
};

// The head of an HTTP response ("HTTP/1.1 200 OK" and its header lines).
struct HttpHead {
  int status = 0;
  std::string media_type;         // lower-cased, no parameters: "text/html"
  std::string charset;            // lower-cased charset parameter of Content-Type, or ""
  std::string content_encoding;   // lower-cased Content-Encoding, or ""
  std::string transfer_encoding;  // lower-cased Transfer-Encoding, or ""
  bool has_content_type = false;
};

// Finds the end of an HTTP head (the blank line) in data: the length of the head with
// its blank line, or 0 when data holds no complete head.
size_t HttpHeadLength(std::string_view data);

// Parses a head (without needing its blank line). Returns false with *reason for one
// that does not start with an HTTP status line.
bool ParseHttpHead(std::string_view head, HttpHead* out, std::string* reason);

// Undoes Transfer-Encoding: chunked (chunk extensions and trailers ignored). False with
// *reason for malformed or incomplete chunking.
bool Dechunk(std::string_view body, std::string* out, std::string* reason);

// Undoes a Content-Encoding: "", "identity", "gzip", "x-gzip", "deflate" (zlib or
// raw), "zstd". At most limit bytes are produced; more is an error (*too_large set).
// False with *reason for an unsupported coding or corrupt data.
bool DecodeContentEncoding(std::string_view coding, std::string_view body, uint64_t limit,
                           std::string* out, std::string* reason, bool* too_large);

// The document id a record gives: its WARC-Record-ID without angle brackets and
// without a "urn:uuid:" prefix; "" when it has none.
std::string WarcDocId(std::string_view record_id);

// The day of a WARC-Date ("2024-03-05T12:00:00Z"), if it is one.
std::optional<CivilDate> WarcDay(std::string_view warc_date);

}  // namespace sitrep
