#include "base/tsv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sitrep {

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *contents = ss.str();
  return !in.bad();
}

std::vector<std::string> Split(std::string_view text, char delimiter) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t pos = text.find(delimiter, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      return out;
    }
    out.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::optional<TsvTable> TsvTable::Load(const std::string& path, std::string* error) {
  std::string contents;
  if (!ReadFile(path, &contents)) {
    *error = path + ": cannot read: " + std::strerror(errno);
    return std::nullopt;
  }
  return Parse(contents, path, error);
}

std::optional<TsvTable> TsvTable::Parse(std::string_view text, const std::string& path,
                                        std::string* error) {
  TsvTable table;
  table.path_ = path;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
      if (pos > text.size()) break;
      continue;
    }
    std::vector<std::string> cells = Split(line, '\t');
    for (std::string& c : cells) {
      while (!c.empty() && c.back() == ' ') c.pop_back();
      size_t lead = c.find_first_not_of(' ');
      c = lead == std::string::npos ? std::string() : c.substr(lead);
    }
    if (table.header_.empty()) {
      table.header_ = std::move(cells);
    } else {
      if (cells.size() > table.header_.size()) {
        *error = path + ":" + std::to_string(line_no) + ": " + std::to_string(cells.size()) +
                 " fields, the header has " + std::to_string(table.header_.size());
        return std::nullopt;
      }
      table.rows_.push_back(Row{line_no, std::move(cells)});
    }
    if (pos > text.size()) break;
  }
  if (table.header_.empty()) {
    *error = path + ":1: no header row";
    return std::nullopt;
  }
  return table;
}

int TsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view TsvTable::Get(const Row& row, std::string_view name) const {
  const int c = Column(name);
  if (c < 0 || static_cast<size_t>(c) >= row.cells.size()) return {};
  return row.cells[c];
}

std::vector<std::string> ExpandBraces(std::string_view pattern) {
  const size_t open = pattern.find('{');
  if (open == std::string_view::npos) return {std::string(pattern)};
  const size_t close = pattern.find('}', open);
  if (close == std::string_view::npos) return {std::string(pattern)};
  const std::string prefix(pattern.substr(0, open));
  const std::vector<std::string> alternatives =
      Split(pattern.substr(open + 1, close - open - 1), ',');
  std::vector<std::string> out;
  for (const std::string& rest : ExpandBraces(pattern.substr(close + 1))) {
    for (const std::string& alt : alternatives) out.push_back(prefix + alt + rest);
  }
  return out;
}

}  // namespace sitrep
