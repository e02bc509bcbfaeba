// Reading the knowledge files in data/: tab-separated, a header row naming the
// columns, '#' comment lines and blank lines ignored. Errors name file and line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep {

class TsvTable {
 public:
  struct Row {
    size_t line = 0;  // 1-based line in the file
    std::vector<std::string> cells;
  };

  // Loads path; on failure returns nullopt and sets *error to "path:line: reason".
  static std::optional<TsvTable> Load(const std::string& path, std::string* error);
  // Parses text already in memory (path is only used in messages).
  static std::optional<TsvTable> Parse(std::string_view text, const std::string& path,
                                       std::string* error);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<Row>& rows() const { return rows_; }
  // Column index by name, or -1.
  int Column(std::string_view name) const;
  // The cell of row in column name; "" when the column is absent or the row short.
  std::string_view Get(const Row& row, std::string_view name) const;
  // Keeps only the rows for which keep returns true.
  template <typename F>
  void Filter(F keep) {
    std::vector<Row> kept;
    for (Row& row : rows_) {
      if (keep(row)) kept.push_back(std::move(row));
    }
    rows_ = std::move(kept);
  }

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<Row> rows_;
};

// Expands brace alternatives: "{pull,pulled} back" -> {"pull back", "pulled back"}.
// "{,s}" gives an empty alternative. Nested braces are not supported.
std::vector<std::string> ExpandBraces(std::string_view pattern);

// Splits on a delimiter, keeping empty fields.
std::vector<std::string> Split(std::string_view text, char delimiter);

// Reads a whole file; false on failure.
bool ReadFile(const std::string& path, std::string* contents);

}  // namespace sitrep
