#include "credibility/credibility.h"

#include <algorithm>
#include <climits>
#include <set>

#include "base/civil_date.h"
#include "base/tokenizer.h"
#include "base/tsv.h"

namespace sitrep {
namespace {

std::string Percent(size_t part, size_t whole) {
  return std::to_string(part) + " of " + std::to_string(whole);
}

}  // namespace

std::unique_ptr<CredibilityScorer> CredibilityScorer::Load(const std::string& data_dir,
                                                           std::string* error) {
  std::unique_ptr<CredibilityScorer> c(new CredibilityScorer());
  if (!(c->sensational_ = Lexicon::Load(data_dir, "credibility/sensational.tsv", error)))
    return nullptr;
  if (!(c->weights_ = SignalWeights::Load(data_dir, error))) return nullptr;
  if (!(c->background_ = ControlBackground::Load(data_dir, error))) return nullptr;
  return c;
}

Result CredibilityScorer::Process(Document& doc) const {
  Credibility cred;
  auto add = [&](std::string id, double value, std::string detail, std::vector<Span> evidence) {
    cred.signals.push_back(
        CredibilitySignal{std::move(id), std::clamp(value, 0.0, 1.0), std::move(detail),
                          std::move(evidence)});
  };

  // Anonymous sourcing: claims whose claimant names nobody.
  size_t attributed = 0, anonymous = 0;
  std::vector<Span> anonymous_spans;
  std::set<std::string> claimants;
  for (const Claim& claim : doc.claims) {
    if (claim.source == kNone) continue;
    ++attributed;
    const Source& src = doc.sources[claim.source];
    claimants.insert(src.name);
    if (src.anonymous || src.kind == SourceKind::kAnonymous) {
      ++anonymous;
      anonymous_spans.push_back(src.span);
    }
  }
  add("anonymous_sources", attributed == 0 ? 1.0 : 1.0 - double(anonymous) / attributed,
      Percent(anonymous, attributed) + " attributed claims anonymous", anonymous_spans);

  // Quotations without a named speaker.
  size_t unattributed = 0;
  std::vector<Span> quote_spans;
  for (const Quote& q : doc.quotes) {
    const uint32_t s = doc.SentenceAt(q.inner.begin);
    const bool has_claim = std::any_of(doc.claims.begin(), doc.claims.end(), [&](const Claim& c) {
      return c.sentence == s && c.source != kNone && !doc.sources[c.source].anonymous;
    });
    if (!has_claim && q.inner.size() > 40) {
      ++unattributed;
      quote_spans.push_back(q.span);
    }
  }
  add("unattributed_quotes", doc.quotes.empty() ? 1.0 : 1.0 - double(unattributed) / doc.quotes.size(),
      Percent(unattributed, doc.quotes.size()) + " quotations without a named speaker", quote_spans);

  // Hedged or unverified claims.
  std::set<uint32_t> hedged_sentences;
  std::vector<Span> hedge_spans;
  for (const Cue& cue : doc.cues) {
    if (cue.kind == CueKind::kReportedly || cue.kind == CueKind::kUnverified) {
      hedged_sentences.insert(cue.sentence);
      hedge_spans.push_back(cue.span);
    }
  }
  const size_t sentences = std::max<size_t>(1, doc.sentences.size());
  add("hedged_claims", 1.0 - std::min(1.0, 3.0 * hedged_sentences.size() / sentences),
      Percent(hedged_sentences.size(), doc.sentences.size()) + " sentences hedge or cannot verify",
      hedge_spans);

  // A sensational headline over a body that hedges.
  if (doc.title) {
    std::string folded;
    std::vector<Token> tokens;
    Tokenize(*doc.title, doc.title_span.empty() ? 0 : doc.title_span.begin, folded, tokens);
    std::vector<Span> hits;
    size_t caps = 0;
    for (uint32_t i = 0; i < tokens.size(); ++i) {
      const auto m = sensational_->LongestAt(tokens, i, static_cast<uint32_t>(tokens.size()));
      if (m.payloads != nullptr) {
        hits.push_back(Span{tokens[m.begin].span.begin, tokens[m.end - 1].span.end});
        i = m.end - 1;
      }
      if ((tokens[i].flags & kTokAllCaps) && tokens[i].span.size() > 3) ++caps;
    }
    if (doc.title_span.empty()) hits.clear();  // no span to point at for a metadata title
    const size_t score = hits.size() + caps + (doc.title->find('!') != std::string::npos);
    const bool hedged = !hedged_sentences.empty() || anonymous > 0;
    const double value = score == 0 ? 1.0 : hedged ? 0.3 : 0.7;
    add("sensational_headline", value,
        std::to_string(score) + " sensational words in the headline" +
            (hedged ? ", over a body that hedges" : ""),
        hits);
  } else {
    add("sensational_headline", 1.0, "no headline", {});
  }

  // Page chrome and comments mixed into the page.
  size_t removed_bytes = 0;
  std::vector<Span> removed_spans;
  bool comments = false;
  for (const RemovedSpan& r : doc.removed) {
    removed_bytes += r.span.size();
    removed_spans.push_back(r.span);
    comments |= r.reason == RemovedReason::kComments;
  }
  const double share = doc.text.empty() ? 0.0 : double(removed_bytes) / doc.text.size();
  add("page_chrome", 1.0 - std::min(1.0, share * 2),
      std::to_string(doc.removed.size()) + " removed spans (" +
          std::to_string(static_cast<int>(share * 100)) + "% of the text)" +
          (comments ? ", reader comments included" : ""),
      removed_spans);

  if (doc.published.dropped) {
    // Dated before a day it says has passed: the date is wrong, and so may be more.
    add("missing_date", 0.3,
        "dated " + FormatIsoDate(*doc.published.dropped) + " but says \"" +
            std::string(doc.Text(doc.published.contradiction)) + "\": the date cannot be right",
        {doc.published.contradiction});
  } else {
    add("missing_date", doc.published.value ? 1.0 : 0.5,
        doc.published.value ? "publication date " + std::string(sitrep::Name(doc.published.basis))
                            : "no publication date in the text",
        doc.published.span.empty() ? std::vector<Span>{} : std::vector<Span>{doc.published.span});
  }

  add("single_source", claimants.size() >= 2 || attributed == 0 ? 1.0 : 0.6,
      std::to_string(claimants.size()) + " distinct claimants", {});

  // Claims that contradict the record: "a Ukrainian battalion surrendered Donetsk" in
  // 2023, when Donetsk has been held by Russian-controlled forces since 2014.
  std::string contradiction;
  std::vector<Span> contradiction_spans;
  size_t contradicting = 0;
  for (const Event& ev : doc.events) {
    if (ev.negated || ev.status == Status::kDenied || ev.status == Status::kExpected ||
        ev.status == Status::kHypothetical)
      continue;
    const std::optional<CivilDate> when = ev.time.value ? ev.time.value : doc.published.value;
    // Undated: war reporting, after every date the background file holds.
    const int64_t day = when ? DaysFromCivil(*when) : INT64_MAX / 2;
    for (const EventLocation& l : ev.locations) {
      if (l.inferred || (l.role != LocationRole::kAt && l.role != LocationRole::kFrom)) continue;
      const Place& p = doc.places[l.place];
      const Holding* h = background_->Find(p.id, p.feature == PlaceFeature::kSettlement ? p.admin1 : "");
      if (h == nullptr) continue;
      const std::string why = ContradictsHolding(ev.type, ev.side, *h, day);
      if (why.empty()) continue;
      if (contradiction.empty())
        contradiction = std::string(sitrep::Name(ev.type)) + " by " + std::string(sitrep::Name(ev.side)) + " at " +
                        std::string(doc.Text(p.span)) + " is " + why;
      contradiction_spans.push_back(ev.evidence);
      ++contradicting;
      break;
    }
  }
  add("contradicts_record", contradicting == 0 ? 1.0 : 0.0,
      contradicting == 0 ? "no claim contradicts the record of who held what"
                         : std::to_string(contradicting) + " claim(s) contradict the record: " + contradiction,
      contradiction_spans);

  std::vector<std::pair<std::string_view, double>> values;
  for (const CredibilitySignal& s : cred.signals) values.emplace_back(s.id, s.value);
  cred.score = weights_->Score(values);
  doc.credibility = std::move(cred);
  return Result::Ok();
}

}  // namespace sitrep
