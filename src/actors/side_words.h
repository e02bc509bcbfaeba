// Side words: the adjectives and possessives that give a noun phrase its side
// ("Russian troops", "Kyiv's forces", "pro-Russian separatists"), from
// data/lexicons/side_words.tsv. Shared by the actor and event stages.
#pragma once

#include <optional>
#include <string>

#include "base/lexicon.h"
#include "doc/document.h"

namespace sitrep {

class SideWords {
 public:
  static std::optional<SideWords> Load(const std::string& data_dir, std::string* error);

  // The side word starting at token i (ending before limit): its length in tokens, 0
  // when there is none; *side receives its side.
  int At(const Document& doc, uint32_t i, uint32_t limit, Side* side) const;

 private:
  std::optional<Lexicon> lexicon_;
};

}  // namespace sitrep
