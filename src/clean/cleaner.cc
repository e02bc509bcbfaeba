#include "clean/cleaner.h"

#include <algorithm>

#include "base/tsv.h"

namespace sitrep {
namespace {

constexpr int kTitleMinWords = 2;
constexpr int kTitleMaxWords = 25;
constexpr int kTitleSearchLines = 10;
constexpr int kIconSoupCount = 5;  // "icon" this often on one line: an icon font dump

struct Line {
  uint32_t begin = 0;  // trimmed
  uint32_t end = 0;
  bool blank = true;
};

bool IsBlankChar(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<Line> SplitLines(const std::string& text) {
  std::vector<Line> lines;
  uint32_t pos = 0;
  const auto n = static_cast<uint32_t>(text.size());
  while (pos <= n) {
    uint32_t eol = pos;
    while (eol < n && text[eol] != '\n') ++eol;
    Line line{pos, eol, true};
    while (line.begin < line.end && IsBlankChar(text[line.begin])) ++line.begin;
    while (line.end > line.begin && IsBlankChar(text[line.end - 1])) --line.end;
    // Non-breaking spaces (U+00A0) at the edges count as blanks too.
    while (line.end - line.begin >= 2 && text.compare(line.begin, 2, "\xC2\xA0") == 0)
      line.begin += 2;
    while (line.end - line.begin >= 2 && text.compare(line.end - 2, 2, "\xC2\xA0") == 0)
      line.end -= 2;
    line.blank = line.begin == line.end;
    lines.push_back(line);
    if (eol == n) break;
    pos = eol + 1;
  }
  return lines;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

int CountWords(std::string_view s) {
  int words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = IsBlankChar(c) || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Matches pattern at text[pos]; '#' matches a run of digits. Returns the end or npos.
size_t MatchAt(std::string_view text, size_t pos, std::string_view pattern) {
  for (char p : pattern) {
    if (p == '#') {
      if (pos >= text.size() || !IsDigit(text[pos])) return std::string_view::npos;
      while (pos < text.size() && IsDigit(text[pos])) ++pos;
      continue;
    }
    if (pos >= text.size() || text[pos] != p) return std::string_view::npos;
    ++pos;
  }
  return pos;
}

bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z'); }

// Patterns match whole words: "by" matches "by oliver" but not "bystanders".
bool BoundaryAt(std::string_view text, size_t begin, size_t end, std::string_view pattern) {
  if (end == std::string_view::npos) return false;
  if (IsAlnum(pattern.back()) && end < text.size() && IsAlnum(text[end])) return false;
  if (IsAlnum(pattern.front()) && begin > 0 && IsAlnum(text[begin - 1])) return false;
  return true;
}

bool ContainsPattern(std::string_view text, std::string_view pattern) {
  if (pattern[0] == '#') {
    for (size_t i = 0; i < text.size(); ++i) {
      if (BoundaryAt(text, i, MatchAt(text, i, pattern), pattern)) return true;
    }
    return false;
  }
  // Only where the first character is (memchr finds it).
  for (size_t i = text.find(pattern[0]); i != std::string_view::npos; i = text.find(pattern[0], i + 1)) {
    if (BoundaryAt(text, i, MatchAt(text, i, pattern), pattern)) return true;
  }
  return false;
}

// "  1. yellowstoneuk" — a numbered comment header (number, dot, a short handle).
bool IsNumberedHeader(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsDigit(line[i])) ++i;
  if (i == 0 || i > 4 || i >= line.size() || line[i] != '.') return false;
  const int words = CountWords(line.substr(i + 1));
  return words >= 1 && words <= 3 && line.back() != '.';
}

// "April 2, 2022 at 6:25 pm", "4d ago": a comment's time stamp line.
bool IsTimestampLine(std::string_view lower) {
  if (CountWords(lower) > 10) return false;
  if (lower.find(" ago") != std::string_view::npos) return true;
  for (size_t i = 0; i + 2 < lower.size(); ++i) {
    if (IsDigit(lower[i]) && lower[i + 1] == ':' && IsDigit(lower[i + 2])) return true;
  }
  return false;
}

bool LooksLikeUrl(std::string_view lower) {
  if (lower.find(' ') != std::string_view::npos) return false;
  return lower.starts_with("http://") || lower.starts_with("https://") ||
         lower.starts_with("www.") || lower.ends_with(".com") || lower.ends_with(".org") ||
         lower.ends_with(".net");
}

// "date 2023-11-09" at the start of the text: metadata written into the text.
size_t DatePrefixLength(std::string_view line) {
  if (!line.starts_with("date ")) return 0;
  size_t i = 5;
  while (i < line.size() && line[i] == ' ') ++i;
  const std::string_view d = line.substr(i);
  if (d.size() < 10 || !IsDigit(d[0]) || d[4] != '-' || d[7] != '-') return 0;
  i += 10;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

}  // namespace

std::unique_ptr<Cleaner> Cleaner::Load(const std::string& data_dir, std::string* error) {
  std::unique_ptr<Cleaner> cleaner(new Cleaner());
  auto table = TsvTable::Load(data_dir + "/lexicons/chrome.tsv", error);
  if (!table) return nullptr;
  for (const auto& row : table->rows()) {
    Pattern p;
    p.text = AsciiLower(table->Get(row, "pattern"));
    const std::string_view match = table->Get(row, "match");
    if (match == "line") p.match = Match::kLine;
    else if (match == "prefix") p.match = Match::kPrefix;
    else if (match == "contains") p.match = Match::kContains;
    else if (match == "suffix") p.match = Match::kSuffix;
    else {
      *error = table->path() + ":" + std::to_string(row.line) + ": unknown match '" +
               std::string(match) + "'";
      return nullptr;
    }
    auto reason = ParseRemovedReason(table->Get(row, "reason"));
    if (!reason) {
      *error = table->path() + ":" + std::to_string(row.line) + ": unknown reason";
      return nullptr;
    }
    p.reason = *reason;
    p.scope = table->Get(row, "scope") == "rest" ? Scope::kRest : Scope::kLine;
    const std::string_view max_words = table->Get(row, "max_words");
    p.max_words = max_words.empty() ? 0 : std::stoi(std::string(max_words));
    if (!p.text.empty()) cleaner->patterns_.push_back(std::move(p));
  }
  return cleaner;
}

const Cleaner::Pattern* Cleaner::MatchLine(std::string_view lower, int words) const {
  for (const Pattern& p : patterns_) {
    if (p.max_words > 0 && words > p.max_words) continue;
    // A byline or a credit is never a full sentence of the story.
    if (p.reason == RemovedReason::kByline && p.match != Match::kLine && lower.ends_with("."))
      continue;
    bool hit = false;
    switch (p.match) {
      case Match::kLine:
        hit = MatchAt(lower, 0, p.text) == lower.size();
        break;
      case Match::kPrefix:
        hit = BoundaryAt(lower, 0, MatchAt(lower, 0, p.text), p.text);
        break;
      case Match::kContains:
        hit = ContainsPattern(lower, p.text);
        break;
      case Match::kSuffix:
        hit = lower.size() >= p.text.size() &&
              lower.compare(lower.size() - p.text.size(), p.text.size(), p.text) == 0;
        break;
    }
    if (hit) return &p;
  }
  return nullptr;
}

Result Cleaner::Process(Document& doc) const {
  doc.removed.clear();
  std::vector<Line> lines = SplitLines(doc.text);
  const auto n = static_cast<uint32_t>(doc.text.size());
  auto remove = [&](uint32_t begin, uint32_t end, RemovedReason reason) {
    if (end <= begin) return;
    if (!doc.removed.empty() && doc.removed.back().reason == reason) {
      // Merge with the previous span when only blanks separate them.
      uint32_t gap = doc.removed.back().span.end;
      while (gap < begin && (IsBlankChar(doc.text[gap]) || doc.text[gap] == '\n')) ++gap;
      if (gap == begin) {
        doc.removed.back().span.end = end;
        return;
      }
    }
    doc.removed.push_back(RemovedSpan{Span{begin, end}, reason});
  };

  // Metadata written into the text ("date 2023-11-09 ...") is not article text.
  for (Line& line : lines) {
    if (line.blank) continue;
    const size_t prefix = DatePrefixLength(std::string_view(doc.text).substr(line.begin, line.end - line.begin));
    if (prefix > 0) {
      remove(line.begin, line.begin + static_cast<uint32_t>(prefix), RemovedReason::kBoilerplate);
      line.begin += static_cast<uint32_t>(prefix);
      line.blank = line.begin >= line.end;
    }
    break;
  }

  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.blank) continue;
    const std::string_view raw = std::string_view(doc.text).substr(line.begin, line.end - line.begin);
    const std::string lower = AsciiLower(raw);
    const int words = CountWords(raw);
    if (const Pattern* p = MatchLine(lower, words)) {
      if (p->scope == Scope::kRest) {
        remove(line.begin, n, p->reason);
        break;
      }
      remove(line.begin, line.end, p->reason);
      continue;
    }
    // Numbered reader comments: "1. name" followed by a time stamp line.
    if (IsNumberedHeader(lower)) {
      int seen = 0;
      for (size_t j = i + 1; j < lines.size() && seen < 2; ++j) {
        if (lines[j].blank) continue;
        ++seen;
        const std::string next = AsciiLower(std::string_view(doc.text).substr(
            lines[j].begin, lines[j].end - lines[j].begin));
        if (IsTimestampLine(next)) {
          remove(line.begin, n, RemovedReason::kComments);
          i = lines.size();
          break;
        }
      }
      if (i == lines.size()) break;
    }
    size_t icons = 0;
    for (size_t pos = lower.find("icon"); pos != std::string::npos; pos = lower.find("icon", pos + 4))
      ++icons;
    if (icons >= kIconSoupCount) {
      remove(line.begin, line.end, RemovedReason::kNavigation);
      continue;
    }
    if (LooksLikeUrl(lower)) remove(line.begin, line.end, RemovedReason::kBoilerplate);
  }

  // Title: metadata first, else the first short headline-like line near the top.
  doc.title.reset();
  doc.title_span = Span{};
  if (doc.meta_title && !doc.meta_title->empty()) {
    doc.title = doc.meta_title;
  } else {
    int looked = 0;
    for (size_t i = 0; i < lines.size() && looked < kTitleSearchLines; ++i) {
      const Line& line = lines[i];
      if (line.blank || doc.IsRemoved(Span{line.begin, line.end})) continue;
      ++looked;
      const std::string_view raw =
          std::string_view(doc.text).substr(line.begin, line.end - line.begin);
      const int words = CountWords(raw);
      if (words > kTitleMaxWords) break;  // the story has begun
      if (words < kTitleMinWords) continue;
      // A headline ending in a period stands alone: a blank line, then more text.
      const bool next_blank = i + 1 < lines.size() && lines[i + 1].blank;
      bool more_text = false;
      for (size_t j = i + 1; j < lines.size() && !more_text; ++j) more_text = !lines[j].blank;
      const bool final_period = raw.ends_with(".");
      if (final_period && !(next_blank && more_text && words <= 15)) break;
      size_t digits = 0;
      for (char c : raw) digits += IsDigit(c);
      if (digits >= 4 && words <= 8) continue;  // a date or time line
      doc.title = std::string(raw);
      doc.title_span = Span{line.begin, line.end};
      break;
    }
  }

  // Body: from the first kept line to the last one.
  doc.body = Span{};
  bool started = false;
  for (const Line& line : lines) {
    if (line.blank || doc.IsRemoved(Span{line.begin, line.end})) continue;
    if (!started) {
      doc.body.begin = line.begin;
      started = true;
    }
    doc.body.end = line.end;
  }
  return Result::Ok();
}

}  // namespace sitrep
