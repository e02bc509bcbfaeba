// One JSON Lines record to a document's identity and text: `text` (required), `id`
// (string or number), `title`, `published` or `date`, `url`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "doc/document.h"

namespace sitrep {

class JsonlRecordParser {
 public:
  JsonlRecordParser();
  ~JsonlRecordParser();
  JsonlRecordParser(const JsonlRecordParser&) = delete;
  JsonlRecordParser& operator=(const JsonlRecordParser&) = delete;

  // Parses line into doc: doc_id (left empty when the record has no id), text,
  // meta_title, meta_published (ISO dates only), url, invalid_bytes, encoding.
  // `padding` is how many readable bytes follow the line in memory; with at least
  // SIMDJSON_PADDING the line is parsed in place. A line that is not valid UTF-8 is
  // decoded like a text file first (U+FFFD, or Windows-1252). Returns false with
  // *reason set for a line that is not a JSON object with a string `text`.
  bool Parse(std::string_view line, size_t padding, Document* doc, std::string* reason);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitrep
