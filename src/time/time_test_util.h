// Helpers the time stage's tests share: the recogniser loaded once from the source
// tree's data/, documents built from text with one sentence per line, and a one-line
// dump of a mention or a publication date to compare against.
#pragma once

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "base/tokenizer.h"
#include "doc/document.h"
#include "time/date_recogniser.h"
#include "time/published_date.h"

namespace sitrep::testing {

inline std::string TimeDataDir() {
  const char* env = std::getenv("SITREP_DATA");
  return env != nullptr && *env != '\0' ? env : SITREP_SOURCE_DATA_DIR;
}

inline const DateRecogniser& Recogniser() {
  static const std::unique_ptr<DateRecogniser> recogniser = [] {
    std::string error;
    std::unique_ptr<DateRecogniser> r = DateRecogniser::Load(TimeDataDir(), &error);
    if (!r) ADD_FAILURE() << "cannot load data/time: " << error;
    return r;
  }();
  return *recogniser;
}

// Tokens for the whole text and one Sentence per non-empty line.
inline Document MakeDocument(std::string text, std::optional<CivilDate> published = {}) {
  Document doc;
  doc.text = std::move(text);
  doc.meta_published = published;
  Tokenize(doc.text, 0, doc.folded, doc.tokens);
  uint32_t t = 0;
  while (t < doc.tokens.size()) {
    const uint32_t begin = t++;
    while (t < doc.tokens.size() && !doc.tokens[t].Is(kTokLineStart)) ++t;
    Sentence s;
    s.token_begin = begin;
    s.token_end = t;
    s.span = Span{doc.tokens[begin].span.begin, doc.tokens[t - 1].span.end};
    s.paragraph = static_cast<uint32_t>(doc.sentences.size());
    doc.sentences.push_back(s);
  }
  return doc;
}

inline std::string DateText(const std::optional<CivilDate>& d) {
  return d ? FormatIsoDate(*d) : "null";
}

// "Thursday<TAB>2023-03-23<TAB>-<TAB>day<TAB>relative" (+ "<TAB>past").
inline std::string Dump(const Document& doc, const DateMention& m) {
  std::string out(doc.Text(m.span));
  out += "\t" + DateText(m.value) + "\t" + (m.end ? FormatIsoDate(*m.end) : "-") + "\t" +
         std::string(Name(m.precision)) + "\t" + std::string(Name(m.basis));
  if (m.past_reference) out += "\tpast";
  return out;
}

// "2023-06-03<TAB>explicit<TAB>dateline<TAB>June 3, 2023".
inline std::string Dump(const Document& doc, const PublishedFinding& f) {
  return DateText(f.date.value) + "\t" + std::string(Name(f.date.basis)) + "\t" +
         std::string(Name(f.source)) + "\t" + std::string(doc.Text(f.date.span));
}

}  // namespace sitrep::testing
