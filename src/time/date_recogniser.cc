#include "time/date_recogniser.h"

#include <vector>

#include "time/calendar.h"
#include "time/date_resolver.h"
#include "time/published_date.h"

namespace sitrep {
namespace {

// Whether each token lies in a removed span (both lists are in text order).
std::vector<bool> RemovedTokens(const Document& doc) {
  std::vector<bool> removed(doc.tokens.size(), false);
  size_t r = 0;
  for (size_t i = 0; i < doc.tokens.size(); ++i) {
    const Span s = doc.tokens[i].span;
    while (r < doc.removed.size() && doc.removed[r].span.end <= s.begin) ++r;
    removed[i] = r < doc.removed.size() && doc.removed[r].span.Overlaps(s);
  }
  return removed;
}

bool WholeYear(const DateMention& m) {
  return m.value && m.end && m.value->month == 1 && m.value->day == 1 && m.end->month == 12 &&
         m.end->day == 31 && m.end->year == m.value->year;
}

}  // namespace

std::unique_ptr<DateRecogniser> DateRecogniser::Load(const std::string& data_dir,
                                                     std::string* error) {
  std::unique_ptr<DateLexicon> lexicon = DateLexicon::Load(data_dir + "/time", error);
  if (!lexicon) return nullptr;
  return std::unique_ptr<DateRecogniser>(new DateRecogniser(std::move(lexicon)));
}

Result DateRecogniser::Process(Document& doc) const {
  doc.published = FindPublishedDate(doc, scanner_).date;
  DropImpossiblePublished(doc);
  doc.dates.clear();

  const std::vector<bool> removed = RemovedTokens(doc);
  std::optional<CivilDate> year_reference;
  std::vector<Token> kept;
  for (uint32_t s = 0; s < doc.sentences.size(); ++s) {
    const Sentence& sentence = doc.sentences[s];
    kept.clear();
    for (uint32_t t = sentence.token_begin; t < sentence.token_end && t < doc.tokens.size(); ++t) {
      if (!removed[t]) kept.push_back(doc.tokens[t]);
    }
    for (const DateExpr& x : scanner_.Scan(kept, doc.text, 0, static_cast<uint32_t>(kept.size()),
                                           ScanMode::kSentence)) {
      if (!doc.published.span.empty() && doc.published.span.Overlaps(x.span)) continue;
      DateMention m = ResolveExpr(x, *lexicon_, ResolveContext{doc.published.value, year_reference});
      m.sentence = s;
      doc.dates.push_back(m);
      if (x.kind == ExprKind::kCalendar) {
        const PartialDate& last = x.range ? x.finish : x.start;
        if (last.Full()) year_reference = CivilDate{last.year, last.month, last.day};
      }
    }
  }
  MarkPastReferences(doc);
  return Result::Ok();
}

namespace {
constexpr uint32_t kIfWindow = 4;  // tokens before a begun cue searched for a condition
}  // namespace

void DateRecogniser::DropImpossiblePublished(Document& doc) const {
  if (!doc.published.value || !lexicon_->latest_begun() || *doc.published.value >= *lexicon_->latest_begun())
    return;
  const std::vector<bool> removed = RemovedTokens(doc);
  for (const Sentence& s : doc.sentences) {
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      if (removed[t]) continue;
      CueArg arg;
      const uint32_t end = lexicon_->CueAt(doc.tokens, t, s.token_end, CueRole::kBegun, &arg);
      if (end == 0 || !arg.anchor || *doc.published.value >= *arg.anchor) continue;
      // "if Russia began the invasion": a condition, which says nothing has begun.
      bool condition = false;
      for (uint32_t j = t > s.token_begin + kIfWindow ? t - kIfWindow : s.token_begin; j < t && !condition; ++j)
        condition = lexicon_->CueAt(doc.tokens, j, t, CueRole::kIfWord) != 0;
      if (condition) continue;
      doc.published.dropped = doc.published.value;
      doc.published.value.reset();
      doc.published.basis = DateBasis::kUnknown;
      doc.published.span = Span{};
      doc.published.contradiction = Span{doc.tokens[t].span.begin, doc.tokens[end - 1].span.end};
      return;
    }
  }
}

void DateRecogniser::MarkPastReferences(Document& doc) const {
  std::optional<CivilDate> reference = doc.published.value;
  if (!reference) {
    // The latest explicit day the article writes stands in for its publication.
    for (const DateMention& m : doc.dates) {
      if (m.basis != DateBasis::kExplicit || m.precision != DatePrecision::kDay) continue;
      if (!reference || *m.value > *reference) reference = m.value;
    }
  }
  for (DateMention& m : doc.dates) {
    if (m.past_reference || !m.value) continue;
    // The last day it covers: a month runs to its end.
    CivilDate last = m.end ? *m.end : *m.value;
    if (m.precision == DatePrecision::kMonth) last = LastDayOfMonth(last.year, last.month);
    if (reference) {
      m.past_reference = last < AddDays(*reference, -kPastReferenceDays) ||
                         (WholeYear(m) && m.value->year < reference->year);
    } else if (lexicon_->background_before()) {
      m.past_reference = last < *lexicon_->background_before();
    }
  }
}

}  // namespace sitrep
