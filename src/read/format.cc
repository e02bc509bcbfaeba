#include "read/format.h"

#include <array>

namespace sitrep {
namespace {

// Compression suffixes InputStream undoes (it goes by the content's magic, not the name).
constexpr std::array<std::string_view, 2> kCompressionSuffixes = {".gz", ".zst"};

struct Extension {
  std::string_view suffix;
  Format format;
};
constexpr std::array<Extension, 6> kExtensions = {{
    {".txt", Format::kText},
    {".html", Format::kHtml},
    {".htm", Format::kHtml},
    {".jsonl", Format::kJsonl},
    {".ndjson", Format::kJsonl},
    {".warc", Format::kWarc},
}};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  const std::string_view tail = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (Lower(tail[i]) != suffix[i]) return false;
  }
  return true;
}

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Strips ".gz" or ".zst" when present; returns the rest.
std::string_view WithoutCompression(std::string_view name) {
  for (std::string_view suffix : kCompressionSuffixes) {
    if (EndsWithNoCase(name, suffix)) {
      name.remove_suffix(suffix.size());
      break;
    }
  }
  return name;
}

// The length of the recognised format extension at the end of name, or 0.
size_t FormatSuffixLength(std::string_view name, Format* format) {
  for (const Extension& ext : kExtensions) {
    if (EndsWithNoCase(name, ext.suffix) && name.size() > ext.suffix.size()) {
      *format = ext.format;
      return ext.suffix.size();
    }
  }
  *format = Format::kUnknown;
  return 0;
}

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// True when the head contains "<name" followed by a delimiter, case-insensitively.
bool HasTag(std::string_view lower_head, std::string_view name) {
  size_t pos = 0;
  while ((pos = lower_head.find(name, pos)) != std::string_view::npos) {
    const size_t end = pos + name.size();
    if (pos > 0 && lower_head[pos - 1] == '<' &&
        (end == lower_head.size() || lower_head[end] == '>' || lower_head[end] == '/' ||
         IsSpace(static_cast<unsigned char>(lower_head[end])))) {
      return true;
    }
    pos = end;
  }
  return false;
}

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kText: return "txt";
    case Format::kHtml: return "html";
    case Format::kJsonl: return "jsonl";
    case Format::kWarc: return "warc";
    case Format::kUnknown: break;
  }
  return "";
}

Format FormatFromName(std::string_view name) {
  Format format = Format::kUnknown;
  FormatSuffixLength(WithoutCompression(BaseName(name)), &format);
  return format;
}

Format SniffFormat(std::string_view head) {
  if (head.starts_with("WARC/1.")) return Format::kWarc;
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (head.substr(0, kUtf8Bom.size()) == kUtf8Bom) head.remove_prefix(kUtf8Bom.size());
  size_t i = 0;
  while (i < head.size() && IsSpace(static_cast<unsigned char>(head[i]))) ++i;
  if (i == head.size()) return Format::kText;
  if (head[i] == '{') return Format::kJsonl;
  if (head[i] != '<') return Format::kText;
  std::string lower(head.substr(i, kSniffBytes));
  for (char& c : lower) c = Lower(c);
  if (lower.starts_with("<!doctype html")) return Format::kHtml;
  static constexpr std::array<std::string_view, 10> kTags = {
      "html", "head", "body", "p", "div", "meta", "title", "article", "section", "span"};
  for (std::string_view tag : kTags) {
    if (HasTag(lower, tag)) return Format::kHtml;
  }
  return Format::kText;
}

std::string DocIdFromName(std::string_view path) {
  if (path == "-") return "stdin";
  std::string_view name = BaseName(path);
  const std::string_view inner = WithoutCompression(name);
  Format format = Format::kUnknown;
  const size_t suffix = FormatSuffixLength(inner, &format);
  if (suffix > 0) return std::string(inner.substr(0, inner.size() - suffix));
  // An unknown extension ("notes.md", "archive.gz"): drop the last one, but keep
  // names that are only an extension (".profile").
  const size_t dot = inner.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) return std::string(inner.substr(0, dot));
  if (inner.empty()) return std::string(name);
  return std::string(inner);
}

}  // namespace sitrep
