// Segmentation: sentences (ICU's sentence BreakIterator with English abbreviation
// suppressions, plus sitrep's own abbreviation fixes), tokens and quotation spans.
// Reads: doc.text, doc.removed. Writes: doc.sentences, doc.tokens, doc.folded, doc.quotes.
// Removed spans (page chrome, comments) are not segmented at all.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "doc/stage.h"

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace sitrep {

class Segmenter final : public Stage {
 public:
  enum class AbbrevClass : uint8_t { kTitle, kMonth, kInitialism, kOther };

  // Loads data/lexicons/abbreviations.tsv and sentence_starters.tsv.
  static std::unique_ptr<Segmenter> Load(const std::string& data_dir, std::string* error);
  ~Segmenter() override;

  std::string_view Name() const override { return "segment"; }
  Result Process(Document& doc) const override;

 private:
  Segmenter() = default;
  icu::BreakIterator* ThreadIterator() const;
  void SegmentBlock(Document& doc, uint32_t begin, uint32_t end, uint32_t paragraph,
                    bool single_line) const;
  // True when the boundary after `last` (a token index) is a false sentence end.
  bool IsFalseEnd(const Document& doc, uint32_t last, uint32_t next) const;
  // True when token k is a sentence-ending mark glued to the words on both sides
  // ("Ukraine.However").
  bool GluedEnd(const Document& doc, uint32_t k) const;
  void FindQuotes(Document& doc) const;

  std::unique_ptr<icu::BreakIterator> prototype_;
  std::unordered_map<std::string, AbbrevClass> abbreviations_;  // "Gen." -> title
  std::unordered_set<uint64_t> sentence_starters_;               // FoldHash of the word
};

}  // namespace sitrep
