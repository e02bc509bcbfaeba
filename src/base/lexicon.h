// A knowledge file compiled for matching: a TSV table whose `pattern` column (with
// '{a,b}' alternatives) is compiled into a PhraseTrie, each match giving the row.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/phrase_trie.h"
#include "base/tsv.h"

namespace sitrep {

class Lexicon {
 public:
  // Loads data_dir/relative_path; nullopt with "path:line: reason" on failure.
  static std::optional<Lexicon> Load(const std::string& data_dir, const std::string& relative_path,
                                     std::string* error);
  static std::optional<Lexicon> FromTable(TsvTable table, std::string* error);

  const TsvTable& table() const { return table_; }
  const PhraseTrie& trie() const { return *trie_; }
  const TsvTable::Row& row(uint32_t i) const { return table_.rows()[i]; }
  std::string_view Get(uint32_t row, std::string_view column) const {
    return table_.Get(table_.rows()[row], column);
  }
  size_t size() const { return table_.rows().size(); }

  // The longest match at token `at` (payloads == nullptr when none).
  PhraseTrie::Match LongestAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit) const {
    return trie_->LongestAt(tokens, at, limit);
  }

  // True when the longest phrase at token `at` (ending by `limit`) has a row whose
  // `column` is `value` ("class" = "determiner"); *end receives its end token.
  bool HasAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
             std::string_view column, std::string_view value, uint32_t* end = nullptr) const;

 private:
  TsvTable table_;
  std::shared_ptr<PhraseTrie> trie_;
};

}  // namespace sitrep
