// Attribution: who says what each sentence says and how sure the text is. Finds the
// cue words (reporting verbs, "according to", hedges, "could not be verified",
// denials, modality, negation), the claimant of each reporting verb (its subject, an
// inverted subject, the object of "according to", the speaker of a quotation, a
// pronoun's antecedent), and the relays ("..., reported CNN" keeps CNN in `via`).
// Reads: doc.tokens, doc.sentences, doc.quotes, doc.sources, doc.actors, doc.places.
// Writes: doc.cues, doc.claims, and adds person claimants to doc.sources.
#pragma once

#include <memory>
#include <string>

#include "base/lexicon.h"
#include "doc/stage.h"

namespace sitrep {

class Attributor final : public Stage {
 public:
  // Loads data/lexicons/cues.tsv and function_words.tsv.
  static std::unique_ptr<Attributor> Load(const std::string& data_dir, std::string* error);

  std::string_view Name() const override { return "attribution"; }
  Result Process(Document& doc) const override;

  // True when token i is a word of the given class in function_words.tsv.
  bool IsWordClass(const Document& doc, uint32_t i, std::string_view cls) const;

 private:
  Attributor() = default;
  void FindCues(Document& doc) const;
  // The claimant of the reporting cue, as an index into doc.sources, or kNone.
  uint32_t ClaimantOf(Document& doc, const Cue& cue, uint32_t last_claimant) const;
  uint32_t SubjectBefore(Document& doc, uint32_t sentence, uint32_t at,
                         uint32_t last_claimant) const;
  // The source named before a colon that opens the sentence ("UK MoD: ..."), or kNone.
  uint32_t LeadClaimant(Document& doc, uint32_t sentence) const;
  uint32_t PhraseAfter(Document& doc, uint32_t sentence, uint32_t at) const;
  uint32_t SourceFromActor(Document& doc, uint32_t actor) const;
  uint32_t PersonAt(Document& doc, uint32_t sentence, uint32_t begin, uint32_t end) const;

  std::optional<Lexicon> cues_;
  std::optional<Lexicon> words_;
};

}  // namespace sitrep
