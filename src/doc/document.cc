#include "doc/document.h"

#include <algorithm>

namespace sitrep {

bool Document::IsRemoved(Span s) const {
  for (const RemovedSpan& r : removed) {
    if (r.span.Overlaps(s)) return true;
  }
  return false;
}

uint32_t Document::SentenceAt(uint32_t offset) const {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), offset,
                             [](uint32_t off, const Sentence& s) { return off < s.span.begin; });
  if (it == sentences.begin()) return kNone;
  --it;
  if (!it->span.Contains(offset)) return kNone;
  return static_cast<uint32_t>(it - sentences.begin());
}

}  // namespace sitrep
