// The time stage: the publication date of each article and every date expression in
// its sentences, resolved. Reads doc.meta_published, doc.text, doc.removed,
// doc.tokens, doc.sentences. Writes doc.published and doc.dates.
#pragma once

#include <memory>
#include <string>

#include "doc/stage.h"
#include "time/date_lexicon.h"
#include "time/date_scanner.h"

namespace sitrep {

// doc.dates holds one DateMention per expression, in text order, with:
//  - the span of the words that say it ("Thursday", "March 23, 2023", "last week",
//    "between March 1 and 3", "day 38 of the invasion"); "on"/"in" are left out;
//  - value/end/precision/basis per ResolveExpr (date_resolver.h);
//  - past_reference when it points well before publication: its last day is more than
//    kPastReferenceDays before it, or it is a whole earlier year ("in 2023" in 2024), or
//    the data says so ("last year"). Without a publication date the latest full date the
//    article writes stands in for it, and with none either, "before the invasion".
// Tokens inside doc.removed spans are skipped, and the date that doc.published was read
// from is not repeated as a mention.
class DateRecogniser final : public Stage {
 public:
  static constexpr int kPastReferenceDays = 60;

  // Loads data_dir/time/*.tsv. On failure returns null and sets *error.
  static std::unique_ptr<DateRecogniser> Load(const std::string& data_dir, std::string* error);

  std::string_view Name() const override { return "time"; }
  Result Process(Document& doc) const override;

  const DateLexicon& lexicon() const { return *lexicon_; }
  const DateScanner& scanner() const { return scanner_; }

 private:
  explicit DateRecogniser(std::unique_ptr<DateLexicon> lexicon)
      : lexicon_(std::move(lexicon)), scanner_(*lexicon_) {}
  void MarkPastReferences(Document& doc) const;
  // Drops a publication date the text contradicts (cues.tsv, role begun).
  void DropImpossiblePublished(Document& doc) const;

  std::unique_ptr<DateLexicon> lexicon_;
  DateScanner scanner_;
};

}  // namespace sitrep
