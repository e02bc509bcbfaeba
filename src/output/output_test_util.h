// Test helpers for the output writers: hand-built Documents and an in-memory FILE*.
// Header-only, included by the *_test.cc files only.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"

namespace sitrep::testing {

// The span of the n-th (0-based) occurrence of needle in text; fails the test if absent.
inline Span Find(std::string_view text, std::string_view needle, int nth = 0) {
  size_t pos = text.find(needle);
  for (int i = 0; i < nth && pos != std::string_view::npos; ++i) pos = text.find(needle, pos + 1);
  EXPECT_NE(pos, std::string_view::npos) << "'" << needle << "' not in the test text";
  if (pos == std::string_view::npos) return {};
  return Span{static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + needle.size())};
}

inline Place MakePlace(const Document& doc, std::string_view words, std::string name, double lat,
                       double lon, std::string admin1, PlaceFeature feature, std::string id) {
  Place p;
  p.span = Find(doc.text, words);
  p.name = std::move(name);
  p.lat = lat;
  p.lon = lon;
  p.admin1 = std::move(admin1);
  p.country = "UA";
  p.feature = feature;
  p.id = std::move(id);
  return p;
}

// An article with a title, a dateline, three body sentences and a comment section.
// Places: 0 Kupiansk, 1 Ukraine (inside an organisation name: not reportable),
// 2 Bakhmut, 3 Klishchiivka. Events: 0 shelling (RU, claimed), 1 losses (UA, with a
// quantity, no date), 2 recapture (UA, no actor mention, a date range), 3 attack with
// no location, a civilian target and negated.
inline Document SampleDocument() {
  Document doc;
  doc.doc_id = "004_test";
  doc.origin.path = "seeds/004_test.txt";
  doc.origin.format = "txt";
  doc.url = "https://example.org/a";
  doc.text =
      "Russia shells Kupiansk\n"
      "November 9, 2023\n"
      "Russian forces shelled Kupiansk on Tuesday, Ukraine's General Staff said.\n"
      "Ukraine says it has killed approximately 17,800 Russian troops near Bakhmut.\n"
      "Ukrainian troops recaptured Klishchiivka between November 1 and 5, reportedly.\n"
      "A hospital was not attacked, officials said.\n"
      "Comments\nGreat article!\n";
  const std::string& t = doc.text;
  doc.title = "Russia shells Kupiansk";
  doc.title_span = Find(t, "Russia shells Kupiansk");
  doc.published.value = CivilDate{2023, 11, 9};
  doc.published.basis = DateBasis::kExplicit;
  doc.published.span = Find(t, "November 9, 2023");
  const Span comments = Find(t, "Comments\nGreat article!\n");
  doc.body = Span{Find(t, "Russian forces").begin, comments.begin};
  doc.removed.push_back({comments, RemovedReason::kComments});

  doc.places.push_back(MakePlace(doc, "Kupiansk on", "Kupiansk", 49.71, 37.616,
                                 "Kharkiv Oblast", PlaceFeature::kSettlement, "geonames:703656"));
  doc.places[0].span.end -= 3;  // "Kupiansk" without " on"
  doc.places.push_back(MakePlace(doc, "Ukraine's", "Ukraine", 49.0, 32.0, "",
                                 PlaceFeature::kCountry, "geonames:690791"));
  doc.places[1].span.end -= 2;
  doc.places[1].reportable = false;
  doc.places.push_back(MakePlace(doc, "Bakhmut", "Bakhmut", 48.59556, 38.00028,
                                 "Donetsk Oblast", PlaceFeature::kSettlement, "geonames:712451"));
  doc.places[2].qualifier = "near";
  doc.places.push_back(MakePlace(doc, "Klishchiivka", "Klishchiivka", 48.5297, 37.9636,
                                 "Donetsk Oblast", PlaceFeature::kSettlement, ""));

  Actor russian;
  russian.span = Find(t, "Russian forces");
  russian.side = Side::kRU;
  russian.name = "Russian forces";
  russian.military = true;
  doc.actors.push_back(russian);
  Actor ukraine;
  ukraine.span = Find(t, "Ukraine says");
  ukraine.span.end -= 5;  // "Ukraine"
  ukraine.side = Side::kUA;
  ukraine.kind = ActorKind::kState;
  ukraine.name = "Ukraine";
  doc.actors.push_back(ukraine);

  Quantity killed;
  killed.span = Find(t, "approximately 17,800 Russian troops");
  killed.number = Find(t, "17,800");
  killed.value = 17800;
  killed.approx = true;
  killed.unit = Unit::kPersonnel;
  killed.what = "killed";
  killed.side = Side::kRU;
  doc.quantities.push_back(killed);

  Event shelling;
  shelling.type = EventType::kShelling;
  shelling.side = Side::kRU;
  shelling.actor = 0;
  shelling.locations.push_back({0, LocationRole::kAt});
  shelling.time.text = "on Tuesday";
  shelling.time.span = Find(t, "on Tuesday");
  shelling.time.value = CivilDate{2023, 11, 7};
  shelling.time.precision = DatePrecision::kDay;
  shelling.time.basis = DateBasis::kRelative;
  shelling.source = EventSource{"Ukraine's General Staff",
                                "General Staff of the Armed Forces of Ukraine",
                                SourceKind::kMilitary, Side::kUA, {}, {}};
  shelling.status = Status::kClaimed;
  shelling.evidence = Find(t, "Russian forces shelled Kupiansk on Tuesday, Ukraine's General Staff said.");
  shelling.trigger = Find(t, "shelled");
  shelling.confidence = 0.8f;
  doc.events.push_back(shelling);

  Event losses;
  losses.type = EventType::kLosses;
  losses.side = Side::kUA;
  losses.actor = 1;
  losses.locations.push_back({2, LocationRole::kNear});
  losses.source = EventSource{"Ukraine", "Ukraine", SourceKind::kGovernment, Side::kUA,
                              {"Reuters"}, {}};
  losses.status = Status::kClaimed;
  losses.quantities.push_back(0);
  losses.evidence = Find(t, "Ukraine says it has killed approximately 17,800 Russian troops near Bakhmut.");
  losses.trigger = Find(t, "killed");
  losses.confidence = 0.7f;
  doc.events.push_back(losses);

  Event recapture;
  recapture.type = EventType::kRecapture;
  recapture.side = Side::kUA;
  recapture.locations.push_back({3, LocationRole::kAt});
  recapture.time.text = "between November 1 and 5";
  recapture.time.span = Find(t, "between November 1 and 5");
  recapture.time.value = CivilDate{2023, 11, 1};
  recapture.time.end = CivilDate{2023, 11, 5};
  recapture.time.precision = DatePrecision::kRange;
  recapture.time.basis = DateBasis::kExplicit;
  recapture.status = Status::kReported;
  recapture.evidence = Find(t, "Ukrainian troops recaptured Klishchiivka between November 1 and 5, reportedly.");
  recapture.trigger = Find(t, "recaptured");
  recapture.confidence = 0.6f;
  doc.events.push_back(recapture);

  Event attack;
  attack.type = EventType::kAttack;
  attack.target = Target{"A hospital", Find(t, "A hospital"), Side::kUA, TargetCategory::kCivilian};
  attack.negated = true;
  attack.evidence = Find(t, "A hospital was not attacked, officials said.");
  attack.trigger = Find(t, "attacked");
  doc.events.push_back(attack);

  doc.credibility.score = 0.62;
  doc.credibility.signals.push_back(
      {"anonymous_sources", 0.0, "0 of 2 quotes anonymous", {Find(t, "reportedly")}});
  return doc;
}

// A document whose strings need escaping: quotes, backslash, newline, a control
// character, Cyrillic, U+2028 and an invalid byte. No date, no places, no events.
inline Document TrickyDocument() {
  Document doc;
  doc.doc_id = "tricky \"7\"";
  doc.origin.path = "in\\dir/tricky.txt";
  doc.text = "He said \"retreat\"\\now\n\x01 \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 \xE2\x80\xA8 end\xFF";
  doc.title = doc.text;
  doc.body = Span{0, static_cast<uint32_t>(doc.text.size())};
  return doc;
}

// A FILE* writing into memory (open_memstream); contents() flushes and reads it.
class MemoryFile {
 public:
  MemoryFile() : file_(open_memstream(&data_, &size_)) {}
  ~MemoryFile() {
    if (file_ != nullptr) std::fclose(file_);
    std::free(data_);
  }
  std::FILE* get() { return file_; }
  std::string contents() {
    std::fflush(file_);
    return std::string(data_ != nullptr ? data_ : "", size_);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

inline std::vector<std::string> SplitLines(std::string_view text, std::string_view eol = "\n") {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(eol, start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + eol.size();
  }
  return lines;
}

// A parsed JSON value that keeps its parser alive.
struct Json {
  std::unique_ptr<simdjson::dom::parser> parser = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
};

inline Json Parse(const std::string& text) {
  Json json;
  simdjson::error_code error = json.parser->parse(text).get(json.root);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << " in: " << text;
  return json;
}

inline std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/sitrep_output_test_" +
         std::to_string(::getpid()) + "_" + name;
}

}  // namespace sitrep::testing
