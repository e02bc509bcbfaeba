#include "segment/segmenter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <vector>

#include "base/fold.h"
#include "base/tokenizer.h"
#include "base/tsv.h"
#include "base/utf8.h"

namespace sitrep {
namespace {

// A hard-wrapped line shorter than this is a line of its own, not a wrapped one.
constexpr size_t kMinWrappedLine = 30;

bool IsSentenceFinal(char c) {
  return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '"' || c == ')';
}

bool EndsSentence(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
    line.remove_suffix(1);
  if (line.empty()) return true;
  if (IsSentenceFinal(line.back())) return true;
  // Closing curly quotes and ellipsis end sentences too.
  return line.ends_with("\xE2\x80\x9D") || line.ends_with("\xE2\x80\x99") ||
         line.ends_with("\xE2\x80\xA6");
}

bool StartsLowerOrDigit(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return false;
  const char c = line[i];
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

}  // namespace

Segmenter::~Segmenter() = default;

std::unique_ptr<Segmenter> Segmenter::Load(const std::string& data_dir, std::string* error) {
  std::unique_ptr<Segmenter> seg(new Segmenter());
  UErrorCode status = U_ZERO_ERROR;
  seg->prototype_.reset(
      icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
  if (U_FAILURE(status) || !seg->prototype_) {
    *error = std::string("ICU sentence break iterator: ") + u_errorName(status);
    return nullptr;
  }
  auto abbrevs = TsvTable::Load(data_dir + "/lexicons/abbreviations.tsv", error);
  if (!abbrevs) return nullptr;
  for (const auto& row : abbrevs->rows()) {
    const std::string_view cls = abbrevs->Get(row, "class");
    AbbrevClass c = AbbrevClass::kOther;
    if (cls == "title") c = AbbrevClass::kTitle;
    else if (cls == "month") c = AbbrevClass::kMonth;
    else if (cls == "initialism") c = AbbrevClass::kInitialism;
    seg->abbreviations_.emplace(std::string(abbrevs->Get(row, "abbreviation")), c);
  }
  auto starters = TsvTable::Load(data_dir + "/lexicons/sentence_starters.tsv", error);
  if (!starters) return nullptr;
  for (const auto& row : starters->rows()) {
    seg->sentence_starters_.insert(FoldHash(Fold(starters->Get(row, "word"))));
  }
  return seg;
}

icu::BreakIterator* Segmenter::ThreadIterator() const {
  // BreakIterator is not thread-safe: each thread clones the prototype once.
  thread_local std::unordered_map<const Segmenter*, std::unique_ptr<icu::BreakIterator>> cache;
  std::unique_ptr<icu::BreakIterator>& it = cache[this];
  if (!it) it.reset(prototype_->clone());
  return it.get();
}

bool Segmenter::IsFalseEnd(const Document& doc, uint32_t last, uint32_t next) const {
  const Token& end_tok = doc.tokens[last];
  std::string key;
  if (doc.Text(end_tok.span) == "." && last > 0) {
    const Token& word = doc.tokens[last - 1];
    if (word.span.end != end_tok.span.begin || !(word.flags & kTokWord)) return false;
    key = std::string(doc.Text(word.span)) + ".";
  } else if (end_tok.flags & kTokWord) {
    key = std::string(doc.Text(end_tok.span));
    if (key.empty() || key.back() != '.') return false;
  } else {
    return false;
  }
  auto it = abbreviations_.find(key);
  if (it == abbreviations_.end()) return false;
  if (next >= doc.tokens.size()) return false;
  const Token& nt = doc.tokens[next];
  switch (it->second) {
    case AbbrevClass::kTitle:
      return true;
    case AbbrevClass::kMonth:
      return (nt.flags & kTokNumber) != 0;
    case AbbrevClass::kInitialism:
      if (nt.flags & kTokCapitalized) return sentence_starters_.count(nt.hash) == 0;
      return (nt.flags & kTokCapitalized) == 0;
    case AbbrevClass::kOther:
      return (nt.flags & kTokNumber) != 0 ||
             ((nt.flags & kTokWord) != 0 && (nt.flags & kTokCapitalized) == 0);
  }
  return false;
}

bool Segmenter::GluedEnd(const Document& doc, uint32_t k) const {
  const Token& mark = doc.tokens[k];
  const std::string_view m = doc.Text(mark.span);
  if (m != "." && m != "?" && m != "!") return false;
  const Token& word = doc.tokens[k - 1];
  const Token& next = doc.tokens[k + 1];
  // word.Next: the mark touches both words; the word before ends in a lower-case
  // letter (not "U.S" or "3.5"), the word after is capitalised but not an initialism.
  if (word.span.end != mark.span.begin || next.span.begin != mark.span.end) return false;
  if (!(word.flags & kTokWord) || (word.flags & kTokAllCaps) || word.span.size() < 2) return false;
  const char last = doc.text[word.span.end - 1];
  if (last < 'a' || last > 'z') return false;
  if (!(next.flags & kTokWord) || !(next.flags & kTokCapitalized) || (next.flags & kTokAllCaps) ||
      next.span.size() < 2)
    return false;
  return !IsFalseEnd(doc, k, k + 1);
}

void Segmenter::SegmentBlock(Document& doc, uint32_t begin, uint32_t end, uint32_t paragraph,
                             bool single_line) const {
  std::string_view block(doc.text.data() + begin, end - begin);
  // ICU breaks at every line feed; a hard-wrapped paragraph is segmented from a copy
  // with its line feeds turned into spaces (same length, so offsets still hold).
  std::string unwrapped;
  if (!single_line && block.find('\n') != std::string_view::npos) {
    unwrapped.assign(block);
    std::replace(unwrapped.begin(), unwrapped.end(), '\n', ' ');
    block = unwrapped;
  }
  const auto first_token = static_cast<uint32_t>(doc.tokens.size());
  Tokenize(std::string_view(doc.text.data() + begin, end - begin), begin, doc.folded, doc.tokens);
  const auto last_token = static_cast<uint32_t>(doc.tokens.size());
  if (first_token == last_token) return;

  // ICU boundaries over the block, as UTF-8 offsets.
  std::vector<uint32_t> bounds;
  UErrorCode status = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, block.data(), static_cast<int64_t>(block.size()), &status);
  icu::BreakIterator* bi = ThreadIterator();
  if (U_SUCCESS(status)) {
    bi->setText(&ut, status);
    for (int32_t b = bi->next(); b != icu::BreakIterator::DONE; b = bi->next()) {
      bounds.push_back(begin + static_cast<uint32_t>(b));
    }
  }
  utext_close(&ut);
  if (bounds.empty() || bounds.back() != end) bounds.push_back(end);

  // Assign tokens to ICU pieces, then merge pieces split after an abbreviation.
  std::vector<std::pair<uint32_t, uint32_t>> pieces;  // token ranges
  uint32_t t = first_token;
  for (uint32_t bound : bounds) {
    const uint32_t start = t;
    while (t < last_token && doc.tokens[t].span.begin < bound) ++t;
    if (t > start) pieces.emplace_back(start, t);
  }
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  for (const auto& piece : pieces) {
    if (!merged.empty() && IsFalseEnd(doc, merged.back().second - 1, piece.first)) {
      merged.back().second = piece.second;
    } else {
      merged.push_back(piece);
    }
  }
  // "attack Ukraine.However, since autumn": a sentence end with no space after it (text
  // pasted or translated without one), which ICU does not break at.
  std::vector<std::pair<uint32_t, uint32_t>> split;
  for (const auto& [tb, te] : merged) {
    uint32_t from = tb;
    for (uint32_t k = tb + 1; k + 1 < te; ++k) {
      if (GluedEnd(doc, k)) {
        split.emplace_back(from, k + 1);
        from = k + 1;
      }
    }
    split.emplace_back(from, te);
  }
  merged.swap(split);
  for (const auto& [tb, te] : merged) {
    Sentence s;
    s.token_begin = tb;
    s.token_end = te;
    s.span = Span{doc.tokens[tb].span.begin, doc.tokens[te - 1].span.end};
    s.paragraph = paragraph;
    s.headline = single_line && merged.size() == 1 && !EndsSentence(doc.Text(s.span));
    doc.tokens[tb].flags |= kTokSentenceStart;
    doc.sentences.push_back(s);
  }
}

Result Segmenter::Process(Document& doc) const {
  doc.sentences.clear();
  doc.tokens.clear();
  doc.folded.clear();
  doc.quotes.clear();
  doc.tokens.reserve(doc.text.size() / 5);
  doc.folded.reserve(doc.text.size());

  // The kept ranges: the text minus the removed spans (sorted, non-overlapping).
  std::vector<RemovedSpan> removed = doc.removed;
  std::sort(removed.begin(), removed.end(),
            [](const RemovedSpan& a, const RemovedSpan& b) { return a.span.begin < b.span.begin; });
  std::vector<Span> kept;
  uint32_t pos = 0;
  const auto n = static_cast<uint32_t>(doc.text.size());
  for (const RemovedSpan& r : removed) {
    if (r.span.begin > pos) kept.push_back(Span{pos, std::min(r.span.begin, n)});
    pos = std::max(pos, r.span.end);
  }
  if (pos < n) kept.push_back(Span{pos, n});

  // Blocks: runs of lines that belong together (hard-wrapped paragraphs are joined).
  uint32_t paragraph = 0;
  for (const Span& range : kept) {
    uint32_t block_begin = range.begin;
    uint32_t line_begin = range.begin;
    int lines_in_block = 0;
    std::string_view prev_line;
    auto flush = [&](uint32_t block_end) {
      if (lines_in_block > 0 && block_end > block_begin) {
        SegmentBlock(doc, block_begin, block_end, paragraph++, lines_in_block == 1);
      }
      lines_in_block = 0;
    };
    while (line_begin < range.end) {
      uint32_t line_end = line_begin;
      while (line_end < range.end && doc.text[line_end] != '\n') ++line_end;
      const std::string_view line(doc.text.data() + line_begin, line_end - line_begin);
      if (IsBlank(line)) {
        flush(line_begin);
        block_begin = line_end + 1;
        prev_line = {};
      } else {
        const bool joins = lines_in_block > 0 && prev_line.size() >= kMinWrappedLine &&
                           !EndsSentence(prev_line) && StartsLowerOrDigit(line);
        if (!joins) {
          flush(line_begin);
          block_begin = line_begin;
        }
        ++lines_in_block;
        prev_line = line;
      }
      line_begin = line_end + 1;
    }
    flush(range.end);
  }

  // A token is at a line start when only blanks separate it from a newline.
  for (Token& tok : doc.tokens) {
    tok.flags &= ~kTokLineStart;
    uint32_t i = tok.span.begin;
    while (i > 0 && (doc.text[i - 1] == ' ' || doc.text[i - 1] == '\t')) --i;
    if (i == 0 || doc.text[i - 1] == '\n') tok.flags |= kTokLineStart;
  }
  FindQuotes(doc);
  return Result::Ok();
}

void Segmenter::FindQuotes(Document& doc) const {
  // Directional marks pair up; straight marks toggle; a quote left open closes at
  // the end of its paragraph.
  struct Open {
    uint32_t token;
    char32_t close;
  };
  std::vector<Open> stack;
  uint32_t paragraph = kNone;
  auto close_at = [&](uint32_t open_tok, Span closing) {
    const Token& o = doc.tokens[open_tok];
    Quote q;
    q.span = Span{o.span.begin, closing.end};
    q.inner = Span{o.span.end, closing.begin};
    q.sentence = doc.SentenceAt(o.span.begin);
    if (!q.inner.empty()) doc.quotes.push_back(q);
  };
  for (const Sentence& s : doc.sentences) {
    if (s.paragraph != paragraph) {
      if (!stack.empty() && s.token_begin > 0) {
        const Token& last = doc.tokens[s.token_begin - 1];
        close_at(stack.front().token, Span{last.span.end, last.span.end});
      }
      stack.clear();
      paragraph = s.paragraph;
    }
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      const Token& tok = doc.tokens[t];
      if (!(tok.flags & kTokQuoteMark)) continue;
      size_t len = 0;
      const char32_t cp = utf8::Decode(doc.text, tok.span.begin, &len);
      const bool glued_left = !(tok.flags & kTokSpaceBefore) && !(tok.flags & kTokLineStart) &&
                              t > s.token_begin;
      const bool glued_right = t + 1 < s.token_end &&
                               !(doc.tokens[t + 1].flags & kTokSpaceBefore);
      const bool opens_like = !glued_left || (t > 0 && (doc.tokens[t - 1].flags & kTokPunct) &&
                                              !(doc.tokens[t - 1].flags & kTokQuoteMark));
      if (!stack.empty() && stack.back().close == cp) {
        close_at(stack.back().token, tok.span);
        stack.pop_back();
        continue;
      }
      switch (cp) {
        case 0x201C:  // “
          stack.push_back({t, 0x201D});
          break;
        case 0x00AB:  // «
          stack.push_back({t, 0x00BB});
          break;
        case 0x201E:  // „
          stack.push_back({t, 0x201C});
          break;
        case '"':
          if (opens_like && glued_right) stack.push_back({t, '"'});
          break;
        case 0x2018:  // ‘
          if (opens_like) stack.push_back({t, 0x2019});
          break;
        case '\'':
          if (opens_like && glued_right) stack.push_back({t, '\''});
          break;
        case 0x201D:  // ” without an opener: a quote running from the paragraph start
          break;
        default:
          break;
      }
    }
  }
  if (!stack.empty() && !doc.tokens.empty()) {
    const Token& last = doc.tokens.back();
    close_at(stack.front().token, Span{last.span.end, last.span.end});
  }
  std::sort(doc.quotes.begin(), doc.quotes.end(),
            [](const Quote& a, const Quote& b) { return a.span.begin < b.span.begin; });
}

}  // namespace sitrep
