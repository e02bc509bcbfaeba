// Byte spans into a document's text: [begin, end) UTF-8 offsets.
// Every annotation points back to the text it came from through a Span.
#pragma once

#include <cstdint>
#include <string_view>

namespace sitrep {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  constexpr uint32_t size() const { return end - begin; }
  constexpr bool empty() const { return end <= begin; }
  constexpr bool Contains(uint32_t offset) const { return offset >= begin && offset < end; }
  constexpr bool Contains(Span other) const { return other.begin >= begin && other.end <= end; }
  constexpr bool Overlaps(Span other) const { return begin < other.end && other.begin < end; }
  std::string_view Of(std::string_view text) const {
    if (begin >= text.size() || empty()) return {};
    return text.substr(begin, (end > text.size() ? text.size() : end) - begin);
  }
  friend constexpr bool operator==(Span a, Span b) { return a.begin == b.begin && a.end == b.end; }
};

}  // namespace sitrep
