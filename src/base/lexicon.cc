#include "base/lexicon.h"

namespace sitrep {

std::optional<Lexicon> Lexicon::Load(const std::string& data_dir, const std::string& relative_path,
                                     std::string* error) {
  auto table = TsvTable::Load(data_dir + "/" + relative_path, error);
  if (!table) return std::nullopt;
  return FromTable(std::move(*table), error);
}

std::optional<Lexicon> Lexicon::FromTable(TsvTable table, std::string* error) {
  Lexicon lex;
  lex.trie_ = std::make_shared<PhraseTrie>();
  if (table.Column("pattern") < 0) {
    *error = table.path() + ":1: no 'pattern' column";
    return std::nullopt;
  }
  for (size_t i = 0; i < table.rows().size(); ++i) {
    const auto& row = table.rows()[i];
    const std::string_view pattern = table.Get(row, "pattern");
    for (const std::string& p : ExpandBraces(pattern)) {
      if (!lex.trie_->Add(p, static_cast<uint32_t>(i)) && !pattern.empty()) {
        // An alternative may be empty ("{their,}"): the rest of the phrase still counts.
        continue;
      }
    }
  }
  lex.table_ = std::move(table);
  return lex;
}

bool Lexicon::HasAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                    std::string_view column, std::string_view value, uint32_t* end) const {
  if (at >= limit) return false;
  const PhraseTrie::Match m = trie_->LongestAt(tokens, at, limit);
  if (m.payloads == nullptr) return false;
  for (uint32_t row : *m.payloads) {
    if (Get(row, column) == value) {
      if (end != nullptr) *end = m.end;
      return true;
    }
  }
  return false;
}

}  // namespace sitrep
