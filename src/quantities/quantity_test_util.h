// Test helpers for the quantities stage: the loaded recogniser and documents built
// from lines of text, one sentence a line (the segmenter's job in the pipeline).
#pragma once

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/tokenizer.h"
#include "doc/document.h"
#include "quantities/quantity_recogniser.h"

namespace sitrep::testing {

inline std::string TestDataDir() {
  if (const char* env = std::getenv("SITREP_DATA"); env != nullptr && *env != '\0') return env;
  return SITREP_SOURCE_DATA_DIR;
}

// One recogniser for the whole test binary (loading is the slow part).
inline const QuantityRecogniser& Recogniser() {
  static const std::unique_ptr<QuantityRecogniser> rec = [] {
    std::string error;
    auto r = QuantityRecogniser::Load(TestDataDir(), &error);
    if (!r) std::abort();
    return r;
  }();
  return *rec;
}

// A document whose sentences are the given lines.
inline Document MakeDocument(const std::vector<std::string>& lines) {
  Document doc;
  for (const std::string& line : lines) {
    if (!doc.text.empty()) doc.text += '\n';
    const auto base = static_cast<uint32_t>(doc.text.size());
    doc.text += line;
    Sentence s;
    s.token_begin = static_cast<uint32_t>(doc.tokens.size());
    Tokenize(line, base, doc.folded, doc.tokens);
    s.token_end = static_cast<uint32_t>(doc.tokens.size());
    s.span = Span{base, static_cast<uint32_t>(doc.text.size())};
    s.paragraph = static_cast<uint32_t>(doc.sentences.size());
    doc.sentences.push_back(s);
  }
  return doc;
}

inline Document Recognise(const std::vector<std::string>& lines) {
  Document doc = MakeDocument(lines);
  Recogniser().Process(doc);
  return doc;
}

}  // namespace sitrep::testing
