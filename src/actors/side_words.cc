#include "actors/side_words.h"

namespace sitrep {

std::optional<SideWords> SideWords::Load(const std::string& data_dir, std::string* error) {
  SideWords words;
  if (!(words.lexicon_ = Lexicon::Load(data_dir, "lexicons/side_words.tsv", error))) return std::nullopt;
  return words;
}

int SideWords::At(const Document& doc, uint32_t i, uint32_t limit, Side* side) const {
  const PhraseTrie::Match m = lexicon_->LongestAt(doc.tokens, i, limit);
  if (m.payloads == nullptr) return 0;
  *side = ParseSide(lexicon_->Get(m.payloads->front(), "side")).value_or(Side::kUnknown);
  return static_cast<int>(m.end - m.begin);
}

}  // namespace sitrep
