// Visible text and metadata from an HTML page, through libxml2's forgiving parser:
// scripts and page chrome dropped, block elements as line breaks (one paragraph, one
// line), and the title, publication date and URL the page declares about itself.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/civil_date.h"

namespace sitrep {

struct HtmlContent {
  std::string text;                       // visible text, paragraphs as lines
  std::optional<std::string> title;       // <title>, else og:title, else the first <h1>
  std::optional<CivilDate> published;     // article:published_time, JSON-LD, <time> ...
  std::string url;                        // og:url, else <link rel=canonical>
};

// One per thread: it keeps a JSON parser (for JSON-LD blocks) between pages.
class HtmlExtractor {
 public:
  HtmlExtractor();
  ~HtmlExtractor();
  HtmlExtractor(const HtmlExtractor&) = delete;
  HtmlExtractor& operator=(const HtmlExtractor&) = delete;

  // html must be UTF-8 (decode first; a meta charset in it is ignored). Returns false
  // only when libxml2 builds no tree at all.
  bool Extract(std::string_view html, HtmlContent* out);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitrep
