// Input formats and how the reader recognises them: by file extension, or, for
// stdin and unknown extensions, by sniffing the first bytes of the content.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sitrep {

enum class Format : uint8_t { kUnknown, kText, kHtml, kJsonl, kWarc };

// "txt", "html", "jsonl", "warc"; "" for kUnknown. Origin::format adds ".gz" or ".zst"
// when inflated.
std::string_view FormatName(Format format);

// From a file name (a path is fine): .txt, .html/.htm, .jsonl/.ndjson, .warc, each
// optionally followed by .gz or .zst; case-insensitive. kUnknown for anything else.
Format FormatFromName(std::string_view name);

// From the first bytes of the content (already inflated): "WARC/1." at the very start
// means WARC; after a BOM and whitespace, '{' means JSON Lines, '<' followed somewhere in the head by an html/head/body/p/div
// (or similar) tag means HTML, anything else is text.
Format SniffFormat(std::string_view head);

// How much of the content SniffFormat wants to see.
constexpr size_t kSniffBytes = 4096;

// The document id a file gives: its name without directories and without the format
// extensions ("seeds/000_abc.txt.gz" -> "000_abc", "crawl.warc.zst" -> "crawl"). An unknown extension is dropped
// as well ("notes.md" -> "notes"); "-" gives "stdin".
std::string DocIdFromName(std::string_view path);

}  // namespace sitrep
