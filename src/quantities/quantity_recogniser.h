// Quantities: reads doc.tokens, doc.sentences and doc.removed; writes doc.quantities,
// every number that counts something in the war (value, approx, unit, what, side),
// in text order. Knowledge comes from data/quantities/ (see quantity_lexicon.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "doc/stage.h"
#include "quantities/quantity_lexicon.h"

namespace sitrep {

class QuantityRecogniser final : public Stage {
 public:
  // data_dir is the data/ folder; the stage reads data_dir/quantities/*.tsv.
  static std::unique_ptr<QuantityRecogniser> Load(const std::string& data_dir, std::string* error);

  std::string_view Name() const override { return "quantities"; }
  Result Process(Document& doc) const override;

 private:
  explicit QuantityRecogniser(QuantityLexicon lexicon) : lex_(std::move(lexicon)) {}

  QuantityLexicon lex_;
};

}  // namespace sitrep
