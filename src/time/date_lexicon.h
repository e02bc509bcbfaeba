// The time stage's knowledge, loaded from data/time/*.tsv: month, weekday and season
// names, time units, number words, relative expressions, anchor dates and cue words.
// Read-only after Load, so one instance serves every thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/civil_date.h"
#include "base/phrase_trie.h"
#include "doc/document.h"

namespace sitrep {

enum class TimeUnit : uint8_t { kHour, kDay, kWeek, kMonth, kYear };

// What a relative.tsv phrase means; see the comment at the top of that file.
enum class RelativeOp : uint8_t {
  kDay,
  kNight,
  kWeek,
  kWeekToDate,
  kWeekend,
  kMonth,
  kMonthToDate,
  kYear,
  kYearToDate,
  kRecent,
  kAgo,
  kWindow,
  kSince,
  kAnchor,
  kNarrative,
  kNarrativeCount,
};

// The roles of cues.tsv; see the comment at the top of that file.
enum class CueRole : uint8_t {
  kMonthPrefix,
  kYearPrefix,
  kSince,
  kRangeStart,
  kRangeJoin,
  kRangeDash,
  kModifier,
  kFuture,
  kPartOfDay,
  kWarNoun,
  kWarFiller,
  kLinkOf,
  kDatePrefix,
  kLabelPublished,
  kLabelUpdated,
  kHeaderWord,
  kByline,
  kAgency,
  kDatelineEnd,
  kNotDate,
  kBegun,
  kIfWord,
};
constexpr int kCueRoleCount = 22;

struct MonthName {
  int month = 0;
  bool needs_capital = false;
  bool abbreviation = false;
};

struct WeekdayName {
  int weekday = 0;  // 0 = Monday
  bool needs_capital = false;
  bool header_only = false;
  bool abbreviation = false;
};

struct SeasonName {
  int first_month = 0;
  int last_month = 0;  // < first_month when the season wraps into the next year
};

struct UnitName {
  TimeUnit unit = TimeUnit::kDay;
  int multiple = 1;
};

struct RelativeRule {
  RelativeOp op = RelativeOp::kDay;
  int n = 0;
  bool past = false;
  std::optional<CivilDate> anchor;  // for kSince and kAnchor
};

// A cue's argument: the modifier's offset, or a war noun's anchor date.
struct CueArg {
  int n = 0;
  std::optional<CivilDate> anchor;
};

class DateLexicon {
 public:
  // Loads every table from dir (data/time). On failure returns null and sets *error.
  static std::unique_ptr<DateLexicon> Load(const std::string& dir, std::string* error);

  // Single-token lookups by the token's folded hash; null when the token is not one.
  // Capitalisation requirements are checked here.
  const MonthName* Month(const Token& token) const;
  const WeekdayName* Weekday(const Token& token) const;
  const SeasonName* Season(const Token& token) const;
  const UnitName* Unit(const Token& token) const;
  std::optional<int> NumberWord(const Token& token) const;
  // False when no date expression can start at this token: it holds no digit and is no
  // month, weekday, season, unit, number word, nor the first word of a relative phrase
  // or a cue (the caller checks the text for digits: "30th"). Lets the scanner skip most
  // words with a few lookups.
  bool MayStartDate(const Token& token) const {
    return (token.flags & kTokNumber) || starts_.MayContain(token.hash);
  }

  // The longest cue of `role` starting at token `at` (ending before `limit`): its end
  // token index, or 0 when none. *arg receives its argument.
  uint32_t CueAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit, CueRole role,
                 CueArg* arg = nullptr) const;
  // False when no cue of `role` can be in this raw text, found without tokenising it:
  // no word of it (cut as TokenizeLine cuts ASCII words, at camel-case seams too) may
  // start such a cue. Text with bytes beyond ASCII or apostrophes answers true.
  bool MayHoldCue(std::string_view raw, CueRole role) const;
  // The start of a cue of `role` that ends right before token `at` and starts at or
  // after `floor`, or kNone.
  uint32_t CueBefore(const std::vector<Token>& tokens, uint32_t floor, uint32_t at,
                     CueRole role) const;

  // The longest relative.tsv phrase starting at `at`.
  PhraseTrie::Match RelativeAt(const std::vector<Token>& tokens, uint32_t at,
                               uint32_t limit) const {
    return relative_.LongestAt(tokens, at, limit);
  }
  const RelativeRule& Rule(uint32_t index) const { return rules_[index]; }

  // Dates before this are background when there is no publication date to compare with.
  std::optional<CivilDate> background_before() const { return background_before_; }
  // The latest anchor a `begun` cue names: a publication date from it on contradicts none.
  std::optional<CivilDate> latest_begun() const { return latest_begun_; }

 private:
  DateLexicon() = default;
  bool LoadMonths(const std::string& dir, std::string* error);
  bool LoadWeekdays(const std::string& dir, std::string* error);
  bool LoadSeasons(const std::string& dir, std::string* error);
  bool LoadUnits(const std::string& dir, std::string* error);
  bool LoadNumbers(const std::string& dir, std::string* error);
  bool LoadAnchors(const std::string& dir, std::string* error);
  bool LoadRelative(const std::string& dir, std::string* error);
  bool LoadCues(const std::string& dir, std::string* error);

  std::unordered_map<uint64_t, MonthName> months_;
  std::unordered_map<uint64_t, WeekdayName> weekdays_;
  std::unordered_map<uint64_t, SeasonName> seasons_;
  std::unordered_map<uint64_t, UnitName> units_;
  std::unordered_map<uint64_t, int> numbers_;
  std::unordered_map<std::string, CivilDate> anchors_;
  std::optional<CivilDate> background_before_;
  std::optional<CivilDate> latest_begun_;
  PhraseTrie relative_;
  std::vector<RelativeRule> rules_;
  std::array<PhraseTrie, kCueRoleCount> cues_;
  std::vector<CueArg> cue_args_;
  // Every token a date expression may start with but numbers: the names above, and the
  // first words of the relative phrases and the cues (MayStartDate).
  TokenFilter starts_;
};

}  // namespace sitrep
