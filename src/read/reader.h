// The read stage: files, directories and stdin in; decoded UTF-8 documents out, one at
// a time, in a deterministic order, with memory bounded by the largest document.
// Formats: plain text, HTML, JSON Lines, WARC (one document per HTML or text response:
// warc.h), each optionally gzip'd or zstd'd (see format.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "doc/stage.h"

namespace sitrep {

struct ReadOptions {
  // A document bigger than this (a text or HTML file after gunzip, one JSONL line, the
  // HTTP body of one WARC record, before and after its Content-Encoding is undone) is
  // reported and skipped, never truncated. It also bounds the reader's memory.
  uint64_t max_document_bytes = uint64_t{64} << 20;
  // Follow symbolic links met inside directories; loops are found by (device, inode)
  // and reported. Links named as arguments are always followed.
  bool follow_symlinks = true;
  // Read entries of directories whose names start with '.' (left out silently by default).
  bool include_hidden = false;
};

struct ReadStats {
  uint64_t files = 0;      // files opened (stdin counts as one)
  uint64_t documents = 0;  // documents Next returned
  uint64_t bytes = 0;      // content bytes read: after gunzip, before decoding
  uint64_t errors = 0;     // messages sent to the error handler
  uint64_t skipped = 0;    // directory entries passed over silently: unsupported
                           // extension, not a regular file, link not followed,
                           // directory already read through another link; WARC
                           // records that are not pages (warcinfo, request,
                           // metadata, revisit, responses other than 2xx HTML or
                           // plain text)
};

class DocumentReader {
 public:
  // Inputs are files, directories (read recursively, entries sorted by name) and "-"
  // for stdin, read in the order given. Directories are listed here (to know
  // total_bytes); problems found while listing are reported by Next in input order.
  // Next is for one thread; total_bytes and stats may be read from another between calls.
  explicit DocumentReader(std::vector<std::string> inputs, ReadOptions options = {});
  ~DocumentReader();
  DocumentReader(DocumentReader&&) noexcept;
  DocumentReader& operator=(DocumentReader&&) noexcept;

  // Fills *doc with the next document (resetting every other field of it, but reusing
  // its text buffer); false at the end. Never throws on bad input: an unreadable file,
  // a malformed JSONL line, an empty or oversized document is reported through the
  // error handler as "path:line: reason", "path: record N at offset X: reason" (WARC;
  // X counts bytes of the inflated content) or "path: reason" and skipped. A WARC file
  // whose record is truncated or malformed is reported there and read no further
  // (records are walked by their Content-Length); the documents before it are kept.
  bool Next(Document* doc);
  // The default handler writes each message and a newline to stderr.
  void SetErrorHandler(std::function<void(const std::string& message)> handler);

  uint64_t bytes_consumed() const;  // raw (compressed) input bytes read so far
  uint64_t total_bytes() const;     // sum of the input files' sizes; stdin adds nothing
  const ReadStats& stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds one document from content already in memory, as a file called `name` would
// give it (the extension picks text or HTML; otherwise the content is sniffed; JSONL,
// WARC and compression are not handled here). Errors are "name: reason".
Result ReadDocumentFromMemory(std::string_view content, std::string_view name, Document* doc);

}  // namespace sitrep
