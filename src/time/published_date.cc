#include "time/published_date.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "time/calendar.h"

namespace sitrep {
namespace {

constexpr size_t kScanLines = 25;        // non-empty lines searched for datelines
constexpr size_t kMaxHeaderLines = 12;   // stamp lines only this far in, before the story
constexpr size_t kStandfirstGap = 2;     // a stamp under a standfirst is at most this far below
constexpr size_t kNoLine = SIZE_MAX;
constexpr size_t kDayCountLines = 15;    // "day N of the invasion" this far in
constexpr size_t kMaxStampBytes = 120;   // a date stamp line is short
constexpr size_t kProseMinBytes = 150;   // a story paragraph is long and punctuated
constexpr int kMaxNameWords = 4;         // "Alona Mazurenko" glued to a stamp
constexpr int kMaxBylineWords = 10;      // "by The Kyiv Independent news desk"
constexpr uint32_t kDatelinePlaceTokens = 8;   // "UNITED NATIONS", "KYIV, Ukraine"
constexpr uint32_t kDatelineParenTokens = 12;  // "(UrduPoint News / Sputnik - 30th August, 2022)"

struct Line {
  Span span;
  std::string folded;
  std::vector<Token> tokens;
  bool tokenized = false;
  bool prose = false;
  bool in_comments = false;
};

enum class Label : uint8_t { kNone, kPublished, kUpdated };

struct Stamp {
  Span span;
  CivilDate date;
  Label label = Label::kNone;
};

struct YearlessDateline {
  Span span;
  int month = 0;
  int day = 0;
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool LooksLikeProse(std::string_view s) {
  if (s.size() < kProseMinBytes) return false;
  if (s.find(". ") != std::string_view::npos) return true;
  const char last = s.back();
  return last == '.' || last == '!' || last == '?' || last == '"';
}

std::vector<Line> SplitLines(const Document& doc) {
  std::vector<Line> lines;
  const std::string_view text = doc.text;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    size_t b = pos;
    size_t e = eol;
    while (b < e && IsBlank(text[b])) ++b;
    while (e > b && IsBlank(text[e - 1])) --e;
    if (e > b) {
      Line line;
      line.span = Span{static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
      line.prose = LooksLikeProse(text.substr(b, e - b));
      for (const RemovedSpan& r : doc.removed) {
        if (r.reason == RemovedReason::kComments && r.span.Overlaps(line.span)) {
          line.in_comments = true;
        }
      }
      lines.push_back(std::move(line));
    }
    pos = eol + 1;
  }
  return lines;
}

const std::vector<Token>& TokensOf(const Document& doc, Line& line) {
  if (!line.tokenized) {
    TokenizeLine(line.span.Of(doc.text), line.span.begin, line.folded, line.tokens);
    line.tokenized = true;
  }
  return line.tokens;
}

CivilDate ToCivil(const PartialDate& d) { return CivilDate{d.year, d.month, d.day}; }

Span SpanOf(const std::vector<Token>& tokens, uint32_t begin, uint32_t end) {
  return Span{tokens[begin].span.begin, tokens[end - 1].span.end};
}

bool PunctIs(std::string_view text, const Token& t, char c) {
  if (!t.Is(kTokPunct)) return false;
  const std::string_view r = t.span.Of(text);
  return r.size() == 1 && r[0] == c;
}

bool HasCue(const std::vector<Token>& toks, const DateLexicon& lex, CueRole role) {
  const auto n = static_cast<uint32_t>(toks.size());
  for (uint32_t i = 0; i < n; ++i) {
    if (lex.CueAt(toks, i, n, role) != 0) return true;
  }
  return false;
}

// "date 2023-11-09" at the very start of the text.
std::optional<PublishedDate> DatePrefix(const Document& doc, Line& first,
                                        const DateScanner& scanner) {
  const std::vector<Token>& toks = TokensOf(doc, first);
  const DateLexicon& lex = scanner.lexicon();
  const auto n = static_cast<uint32_t>(toks.size());
  uint32_t at = lex.CueAt(toks, 0, n, CueRole::kDatePrefix);
  if (at == 0) return std::nullopt;
  if (at < n && PunctIs(doc.text, toks[at], ':')) ++at;
  const std::optional<DateExpr> date = scanner.CalendarAt(toks, doc.text, at, n, ScanMode::kHeader);
  if (!date || !date->start.Full()) return std::nullopt;
  return PublishedDate{ToCivil(date->start), DateBasis::kExplicit, SpanOf(toks, 0, date->end)};
}

// A dateline at the start of a line; the date may lack its year.
std::optional<DateExpr> Dateline(const Document& doc, Line& line, const DateScanner& scanner) {
  const std::vector<Token>& toks = TokensOf(doc, line);
  const DateLexicon& lex = scanner.lexicon();
  const auto n = static_cast<uint32_t>(toks.size());
  if (n < 3 || !toks[0].Is(kTokWord) || !toks[0].Is(kTokCapitalized)) return std::nullopt;
  const auto has_day = [](const std::optional<DateExpr>& d) {
    return d && d->start.month != 0 && d->start.day != 0;
  };
  for (uint32_t k = 1; k < n && k <= kDatelinePlaceTokens; ++k) {
    const Token& last = toks[k - 1];
    const bool place_word = last.Is(kTokWord) && last.Is(kTokCapitalized);
    const bool place_punct = PunctIs(doc.text, last, ',') || PunctIs(doc.text, last, '.') ||
                             PunctIs(doc.text, last, '[') || PunctIs(doc.text, last, ']');
    if (!place_word && !place_punct) return std::nullopt;
    // "KYIV, June 3, 2023 -", "GENEVA, Jan 20 (Reuters) -", "KYIV. March 5 (Interfax) -",
    // "MOSCOW, March 5. /TASS/.", "Kyiv [Ukraine], March 5 (ANI):".
    if (PunctIs(doc.text, toks[k], ',') || PunctIs(doc.text, toks[k], '.')) {
      std::optional<DateExpr> date =
          scanner.CalendarAt(toks, doc.text, k + 1, n, ScanMode::kHeader);
      if (has_day(date)) {
        uint32_t e = date->end;
        if (e < n && PunctIs(doc.text, toks[e], '.')) ++e;
        // An agency group, "(Reuters)" or "/TASS/", is a dateline by itself.
        bool agency = false;
        for (const auto& [open, close_char] : {std::pair{'(', ')'}, std::pair{'/', '/'}}) {
          if (e >= n || !PunctIs(doc.text, toks[e], open)) continue;
          bool named = false;
          uint32_t close = e + 1;
          while (close < n && close <= e + kDatelineParenTokens &&
                 !PunctIs(doc.text, toks[close], close_char)) {
            if (lex.CueAt(toks, close, n, CueRole::kAgency) != 0) named = true;
            ++close;
          }
          if (close < n && PunctIs(doc.text, toks[close], close_char)) {
            e = close + 1;
            agency = named;
          }
          break;
        }
        if (agency || lex.CueAt(toks, e, n, CueRole::kDatelineEnd) != 0) return date;
      }
    }
    // "UNITED NATIONS (UrduPoint News / Sputnik - 30th August, 2022)".
    if (PunctIs(doc.text, toks[k], '(')) {
      bool agency = toks[0].Is(kTokAllCaps);
      for (uint32_t j = k + 1; j < n && j <= k + kDatelineParenTokens; ++j) {
        if (PunctIs(doc.text, toks[j], ')')) break;
        if (lex.CueAt(toks, j, n, CueRole::kAgency) != 0) agency = true;
        std::optional<DateExpr> date = scanner.CalendarAt(toks, doc.text, j, n, ScanMode::kHeader);
        if (has_day(date) && date->end < n && PunctIs(doc.text, toks[date->end], ')') && agency) {
          return date;
        }
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// A date stamp line: a full date and otherwise only stamp furniture.
std::optional<Stamp> StampLine(const Document& doc, Line& line, const DateScanner& scanner) {
  if (line.span.size() > kMaxStampBytes) return std::nullopt;
  const std::vector<Token>& toks = TokensOf(doc, line);
  const DateLexicon& lex = scanner.lexicon();
  const auto n = static_cast<uint32_t>(toks.size());
  const std::vector<DateExpr> exprs = scanner.Scan(toks, doc.text, 0, n, ScanMode::kHeader);
  std::vector<const DateExpr*> dates;
  std::vector<int8_t> covered(n, 0);
  for (const DateExpr& x : exprs) {
    const bool full = x.kind == ExprKind::kCalendar && !x.range && x.start.Full();
    // A weekday alone ("Fri | 2 June 2023") and a page age ("Updated 2 hours ago") are
    // stamp furniture.
    if (!full && x.kind != ExprKind::kWeekday && x.kind != ExprKind::kCounted) continue;
    if (full) dates.push_back(&x);
    for (uint32_t i = x.begin; i < x.end; ++i) covered[i] = 1;
  }
  if (dates.empty()) return std::nullopt;

  const uint32_t first_date = dates.front()->begin;
  bool byline = false;
  int name_words = 0;
  int byline_words = 0;
  for (uint32_t i = 0; i < n;) {
    if (covered[i]) {
      ++i;
      continue;
    }
    const Token& t = toks[i];
    if (t.Is(kTokPunct) || t.Is(kTokApostropheS)) {
      ++i;
      continue;
    }
    const std::string_view raw = t.span.Of(doc.text);
    if (t.Is(kTokNumber)) {
      // Times ("21:29", "14.52"), counts ("3 min read") and a numeric twin of the date
      // ("03/05/2024 March 5, 2024").
      if (raw.size() <= 2 || raw.size() == 4 || (raw.size() == 5 && raw[2] == '.')) {
        ++i;
        continue;
      }
      return std::nullopt;
    }
    if (const uint32_t e = lex.CueAt(toks, i, n, CueRole::kByline)) {
      byline = true;
      i = e;
      continue;
    }
    uint32_t e = 0;
    for (CueRole role : {CueRole::kLabelPublished, CueRole::kLabelUpdated, CueRole::kHeaderWord}) {
      if ((e = lex.CueAt(toks, i, n, role)) != 0) break;
    }
    if (e != 0) {
      i = e;
      continue;
    }
    if (lex.Weekday(t) != nullptr) {
      ++i;
      continue;
    }
    if (byline) {
      if (++byline_words > kMaxBylineWords) return std::nullopt;
    } else if (i < first_date && t.Is(kTokCapitalized)) {
      if (++name_words > kMaxNameWords) return std::nullopt;
    } else {
      return std::nullopt;
    }
    ++i;
  }

  // Each date's label is the nearest label before it on the line.
  const auto label_before = [&](uint32_t at) {
    Label label = Label::kNone;
    for (uint32_t i = 0; i < at; ++i) {
      if (lex.CueAt(toks, i, at, CueRole::kLabelPublished) != 0) label = Label::kPublished;
      if (lex.CueAt(toks, i, at, CueRole::kLabelUpdated) != 0) label = Label::kUpdated;
    }
    return label;
  };
  const DateExpr* best = nullptr;
  Label best_label = Label::kUpdated;
  for (const DateExpr* d : dates) {
    const Label label = label_before(d->begin);
    const auto rank = [](Label l) { return l == Label::kPublished ? 0 : l == Label::kNone ? 1 : 2; };
    if (best == nullptr || rank(label) < rank(best_label)) {
      best = d;
      best_label = label;
    }
  }
  return Stamp{best->span, ToCivil(best->start), best_label};
}

// The earliest full date in the reader comments.
std::optional<PublishedDate> CommentDate(const Document& doc, std::vector<Line>& lines,
                                         const DateScanner& scanner) {
  std::optional<PublishedDate> best;
  for (Line& line : lines) {
    if (!line.in_comments) continue;
    const std::vector<Token>& toks = TokensOf(doc, line);
    for (const DateExpr& x : scanner.Scan(toks, doc.text, 0, static_cast<uint32_t>(toks.size()),
                                          ScanMode::kHeader)) {
      if (x.kind != ExprKind::kCalendar || x.range || !x.start.Full()) continue;
      const CivilDate d = ToCivil(x.start);
      if (!best || d < *best->value) best = PublishedDate{d, DateBasis::kInferred, x.span};
    }
  }
  return best;
}

std::optional<PublishedDate> DayCount(const Document& doc, std::vector<Line>& lines,
                                      const DateScanner& scanner) {
  for (size_t k = 0; k < lines.size() && k < kDayCountLines; ++k) {
    if (lines[k].in_comments) continue;
    const std::vector<Token>& toks = TokensOf(doc, lines[k]);
    for (const DateExpr& x : scanner.Scan(toks, doc.text, 0, static_cast<uint32_t>(toks.size()),
                                          ScanMode::kSentence)) {
      if (x.kind != ExprKind::kDayCount) continue;
      return PublishedDate{AddDays(x.anchor, x.day_number - 1), DateBasis::kInferred, x.span};
    }
  }
  return std::nullopt;
}

PublishedFinding Found(std::optional<CivilDate> value, DateBasis basis, Span span,
                       PublishedSource source) {
  PublishedFinding f;
  f.date.value = value;
  f.date.basis = basis;
  f.date.span = span;
  f.source = source;
  return f;
}

}  // namespace

std::string_view Name(PublishedSource source) {
  switch (source) {
    case PublishedSource::kNone: return "none";
    case PublishedSource::kMetadata: return "metadata";
    case PublishedSource::kDatePrefix: return "date_prefix";
    case PublishedSource::kDateline: return "dateline";
    case PublishedSource::kStampLine: return "stamp_line";
    case PublishedSource::kLabelledLine: return "labelled_line";
    case PublishedSource::kDayCount: return "day_count";
    case PublishedSource::kComments: return "comments";
  }
  return "none";
}

PublishedFinding FindPublishedDate(const Document& doc, const DateScanner& scanner) {
  if (doc.meta_published) {
    return Found(doc.meta_published, DateBasis::kMetadata, Span{}, PublishedSource::kMetadata);
  }
  std::vector<Line> lines = SplitLines(doc);
  if (lines.empty()) return PublishedFinding{};
  if (std::optional<PublishedDate> p = DatePrefix(doc, lines[0], scanner)) {
    return Found(p->value, p->basis, p->span, PublishedSource::kDatePrefix);
  }

  // A dateline with its year is trusted at once; without one it waits for a year.
  std::optional<YearlessDateline> yearless;
  for (size_t k = 0; k < lines.size() && k < kScanLines; ++k) {
    if (lines[k].in_comments) continue;
    std::optional<DateExpr> d = Dateline(doc, lines[k], scanner);
    if (!d) continue;
    if (d->start.year != 0) {
      return Found(ToCivil(d->start), DateBasis::kExplicit, d->span, PublishedSource::kDateline);
    }
    yearless = YearlessDateline{d->span, d->start.month, d->start.day};
    break;
  }
  // With a yearless dateline, a found date only lends its year.
  const auto finish = [&](CivilDate date, DateBasis basis, Span span, PublishedSource source) {
    if (!yearless) return Found(date, basis, span, source);
    const int year = YearNear(yearless->month, yearless->day, date, false);
    return Found(CivilDate{year, yearless->month, yearless->day}, basis, yearless->span,
                 PublishedSource::kDateline);
  };

  // Stamp lines: among the first lines, before the story proper. A prose paragraph
  // right under a title may be a standfirst, with the stamp just below it; otherwise
  // the first prose paragraph is the story.
  std::optional<Stamp> best;
  size_t standfirst = kNoLine;
  for (size_t k = 0; k < lines.size() && k < kMaxHeaderLines; ++k) {
    if (lines[k].in_comments) break;
    if (lines[k].prose) {
      if (k == 0 || standfirst != kNoLine) break;
      standfirst = k;
      continue;
    }
    if (standfirst != kNoLine && k > standfirst + kStandfirstGap) break;
    std::optional<Stamp> s = StampLine(doc, lines[k], scanner);
    if (!s) continue;
    if (!best || (best->label == Label::kUpdated && s->label != Label::kUpdated)) best = s;
  }
  if (best) return finish(best->date, DateBasis::kExplicit, best->span, PublishedSource::kStampLine);

  // "Published ..." lines anywhere else.
  for (Line& line : lines) {
    if (line.in_comments || line.span.size() > kMaxStampBytes) continue;
    if (!scanner.lexicon().MayHoldCue(line.span.Of(doc.text), CueRole::kLabelPublished)) continue;
    if (!HasCue(TokensOf(doc, line), scanner.lexicon(), CueRole::kLabelPublished)) continue;
    std::optional<Stamp> s = StampLine(doc, line, scanner);
    if (s && s->label == Label::kPublished) {
      return finish(s->date, DateBasis::kExplicit, s->span, PublishedSource::kLabelledLine);
    }
  }

  if (std::optional<PublishedDate> p = DayCount(doc, lines, scanner)) {
    return finish(*p->value, p->basis, p->span, PublishedSource::kDayCount);
  }
  if (std::optional<PublishedDate> p = CommentDate(doc, lines, scanner)) {
    return finish(*p->value, p->basis, p->span, PublishedSource::kComments);
  }
  return PublishedFinding{};
}

}  // namespace sitrep
