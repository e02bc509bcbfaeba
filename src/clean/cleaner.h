// Cleaning: finds what on a scraped page is not the article — navigation, share and
// subscribe lines, image credits, bylines and author bios, related-story lists,
// reader comments — and records each as a removed span with its reason; detects the
// title and the body. The text itself is never changed.
// Reads: doc.text, doc.meta_title. Writes: doc.removed, doc.title, doc.title_span, doc.body.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "doc/stage.h"

namespace sitrep {

class Cleaner final : public Stage {
 public:
  // Loads data/lexicons/chrome.tsv.
  static std::unique_ptr<Cleaner> Load(const std::string& data_dir, std::string* error);

  std::string_view Name() const override { return "clean"; }
  Result Process(Document& doc) const override;

 private:
  enum class Match : uint8_t { kLine, kPrefix, kContains, kSuffix };
  enum class Scope : uint8_t { kLine, kRest };
  struct Pattern {
    std::string text;  // lower case; '#' = a run of digits
    Match match = Match::kLine;
    RemovedReason reason = RemovedReason::kBoilerplate;
    Scope scope = Scope::kLine;
    int max_words = 0;  // 0 = any length
  };

  Cleaner() = default;
  // The first pattern that matches a (lower-cased, trimmed) line, or nullptr.
  const Pattern* MatchLine(std::string_view lower, int words) const;

  std::vector<Pattern> patterns_;
};

}  // namespace sitrep
