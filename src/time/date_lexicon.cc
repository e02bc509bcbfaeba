#include "time/date_lexicon.h"

#include <charconv>

#include "base/fold.h"
#include "base/tokenizer.h"
#include "base/tsv.h"

namespace sitrep {
namespace {

// Cues are short; a cue ending before a token starts at most this many tokens back.
constexpr uint32_t kMaxCueTokens = 4;

std::string Where(const TsvTable& table, const TsvTable::Row& row) {
  return table.path() + ":" + std::to_string(row.line) + ": ";
}

bool ParseInt(std::string_view s, int* value) {
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, *value);
  return ec == std::errc() && ptr == end && begin != end;
}

bool HasFlag(std::string_view flags, std::string_view flag) {
  for (const std::string& f : Split(flags, ',')) {
    if (f == flag) return true;
  }
  return false;
}

// The folded hash of a name that must be a single token.
bool SingleTokenHash(std::string_view name, uint64_t* hash) {
  std::string folded;
  std::vector<Token> tokens;
  Tokenize(name, 0, folded, tokens);
  if (tokens.size() != 1) return false;
  *hash = tokens[0].hash;
  return true;
}

std::optional<TsvTable> LoadTable(const std::string& dir, const char* name,
                                  std::initializer_list<const char*> columns,
                                  std::string* error) {
  std::optional<TsvTable> table = TsvTable::Load(dir + "/" + name, error);
  if (!table) return std::nullopt;
  for (const char* column : columns) {
    if (table->Column(column) < 0) {
      *error = table->path() + ":1: missing column '" + column + "'";
      return std::nullopt;
    }
  }
  return table;
}

std::optional<CueRole> ParseCueRole(std::string_view s) {
  static constexpr std::pair<std::string_view, CueRole> kRoles[] = {
      {"month_prefix", CueRole::kMonthPrefix},
      {"year_prefix", CueRole::kYearPrefix},
      {"since", CueRole::kSince},
      {"range_start", CueRole::kRangeStart},
      {"range_join", CueRole::kRangeJoin},
      {"range_dash", CueRole::kRangeDash},
      {"modifier", CueRole::kModifier},
      {"future", CueRole::kFuture},
      {"part_of_day", CueRole::kPartOfDay},
      {"war_noun", CueRole::kWarNoun},
      {"war_filler", CueRole::kWarFiller},
      {"link_of", CueRole::kLinkOf},
      {"date_prefix", CueRole::kDatePrefix},
      {"label_published", CueRole::kLabelPublished},
      {"label_updated", CueRole::kLabelUpdated},
      {"header_word", CueRole::kHeaderWord},
      {"byline", CueRole::kByline},
      {"agency", CueRole::kAgency},
      {"dateline_end", CueRole::kDatelineEnd},
      {"not_date", CueRole::kNotDate},
      {"begun", CueRole::kBegun},
      {"if_word", CueRole::kIfWord},
  };
  for (const auto& [name, role] : kRoles) {
    if (name == s) return role;
  }
  return std::nullopt;
}

std::optional<RelativeOp> ParseRelativeOp(std::string_view s) {
  static constexpr std::pair<std::string_view, RelativeOp> kOps[] = {
      {"day", RelativeOp::kDay},
      {"night", RelativeOp::kNight},
      {"week", RelativeOp::kWeek},
      {"week_to_date", RelativeOp::kWeekToDate},
      {"weekend", RelativeOp::kWeekend},
      {"month", RelativeOp::kMonth},
      {"month_to_date", RelativeOp::kMonthToDate},
      {"year", RelativeOp::kYear},
      {"year_to_date", RelativeOp::kYearToDate},
      {"recent", RelativeOp::kRecent},
      {"ago", RelativeOp::kAgo},
      {"window", RelativeOp::kWindow},
      {"since", RelativeOp::kSince},
      {"anchor", RelativeOp::kAnchor},
      {"narrative", RelativeOp::kNarrative},
      {"narrative_count", RelativeOp::kNarrativeCount},
  };
  for (const auto& [name, op] : kOps) {
    if (name == s) return op;
  }
  return std::nullopt;
}

std::optional<TimeUnit> ParseTimeUnit(std::string_view s) {
  static constexpr std::pair<std::string_view, TimeUnit> kUnits[] = {
      {"hour", TimeUnit::kHour}, {"day", TimeUnit::kDay},   {"week", TimeUnit::kWeek},
      {"month", TimeUnit::kMonth}, {"year", TimeUnit::kYear},
  };
  for (const auto& [name, unit] : kUnits) {
    if (name == s) return unit;
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<DateLexicon> DateLexicon::Load(const std::string& dir, std::string* error) {
  std::unique_ptr<DateLexicon> lex(new DateLexicon());
  // Anchors first: relative phrases and war nouns name them.
  if (!lex->LoadAnchors(dir, error) || !lex->LoadMonths(dir, error) ||
      !lex->LoadWeekdays(dir, error) || !lex->LoadSeasons(dir, error) ||
      !lex->LoadUnits(dir, error) || !lex->LoadNumbers(dir, error) ||
      !lex->LoadRelative(dir, error) || !lex->LoadCues(dir, error)) {
    return nullptr;
  }
  for (const auto& [hash, _] : lex->months_) lex->starts_.Add(hash);
  for (const auto& [hash, _] : lex->weekdays_) lex->starts_.Add(hash);
  for (const auto& [hash, _] : lex->seasons_) lex->starts_.Add(hash);
  for (const auto& [hash, _] : lex->units_) lex->starts_.Add(hash);
  for (const auto& [hash, _] : lex->numbers_) lex->starts_.Add(hash);
  lex->starts_.Merge(lex->relative_.first_filter());
  for (const PhraseTrie& cue : lex->cues_) lex->starts_.Merge(cue.first_filter());
  return lex;
}

bool DateLexicon::LoadMonths(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table = LoadTable(dir, "months.tsv", {"name", "month"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    MonthName m;
    uint64_t hash = 0;
    if (!ParseInt(table->Get(row, "month"), &m.month) || m.month < 1 || m.month > 12 ||
        !SingleTokenHash(table->Get(row, "name"), &hash)) {
      *error = Where(*table, row) + "want a one-word name and a month 1..12";
      return false;
    }
    const std::string_view flags = table->Get(row, "flags");
    m.needs_capital = HasFlag(flags, "cap");
    m.abbreviation = HasFlag(flags, "abbr");
    months_[hash] = m;
  }
  return true;
}

bool DateLexicon::LoadWeekdays(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table =
      LoadTable(dir, "weekdays.tsv", {"name", "weekday"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    WeekdayName w;
    uint64_t hash = 0;
    if (!ParseInt(table->Get(row, "weekday"), &w.weekday) || w.weekday < 0 || w.weekday > 6 ||
        !SingleTokenHash(table->Get(row, "name"), &hash)) {
      *error = Where(*table, row) + "want a one-word name and a weekday 0..6";
      return false;
    }
    const std::string_view flags = table->Get(row, "flags");
    w.needs_capital = HasFlag(flags, "cap");
    w.header_only = HasFlag(flags, "header");
    w.abbreviation = HasFlag(flags, "abbr");
    weekdays_[hash] = w;
  }
  return true;
}

bool DateLexicon::LoadSeasons(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table =
      LoadTable(dir, "seasons.tsv", {"name", "first_month", "last_month"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    SeasonName s;
    uint64_t hash = 0;
    if (!ParseInt(table->Get(row, "first_month"), &s.first_month) ||
        !ParseInt(table->Get(row, "last_month"), &s.last_month) || s.first_month < 1 ||
        s.first_month > 12 || s.last_month < 1 || s.last_month > 12 ||
        !SingleTokenHash(table->Get(row, "name"), &hash)) {
      *error = Where(*table, row) + "want a one-word name and months 1..12";
      return false;
    }
    seasons_[hash] = s;
  }
  return true;
}

bool DateLexicon::LoadUnits(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table =
      LoadTable(dir, "units.tsv", {"name", "unit", "multiple"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    UnitName u;
    uint64_t hash = 0;
    const std::optional<TimeUnit> unit = ParseTimeUnit(table->Get(row, "unit"));
    if (!unit || !ParseInt(table->Get(row, "multiple"), &u.multiple) || u.multiple < 1 ||
        !SingleTokenHash(table->Get(row, "name"), &hash)) {
      *error = Where(*table, row) + "want a one-word name, a unit and a multiple >= 1";
      return false;
    }
    u.unit = *unit;
    units_[hash] = u;
  }
  return true;
}

bool DateLexicon::LoadNumbers(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table = LoadTable(dir, "numbers.tsv", {"name", "value"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    int value = 0;
    uint64_t hash = 0;
    if (!ParseInt(table->Get(row, "value"), &value) ||
        !SingleTokenHash(table->Get(row, "name"), &hash)) {
      *error = Where(*table, row) + "want a one-word name and a number";
      return false;
    }
    numbers_[hash] = value;
  }
  return true;
}

bool DateLexicon::LoadAnchors(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table = LoadTable(dir, "anchors.tsv", {"name", "date"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    const std::optional<CivilDate> date = ParseIsoDate(table->Get(row, "date"));
    const std::string name(table->Get(row, "name"));
    if (!date || name.empty()) {
      *error = Where(*table, row) + "want a name and a YYYY-MM-DD date";
      return false;
    }
    anchors_[name] = *date;
    if (table->Get(row, "background") == "yes") background_before_ = *date;
  }
  return true;
}

bool DateLexicon::LoadRelative(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table =
      LoadTable(dir, "relative.tsv", {"phrase", "op", "n"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    RelativeRule rule;
    const std::optional<RelativeOp> op = ParseRelativeOp(table->Get(row, "op"));
    if (!op || !ParseInt(table->Get(row, "n"), &rule.n)) {
      *error = Where(*table, row) + "unknown op or bad n";
      return false;
    }
    rule.op = *op;
    rule.past = table->Get(row, "past") == "yes";
    const std::string_view arg = table->Get(row, "arg");
    if (!arg.empty()) {
      auto it = anchors_.find(std::string(arg));
      if (it == anchors_.end()) {
        *error = Where(*table, row) + "unknown anchor '" + std::string(arg) + "'";
        return false;
      }
      rule.anchor = it->second;
    }
    if ((rule.op == RelativeOp::kSince || rule.op == RelativeOp::kAnchor) && !rule.anchor) {
      *error = Where(*table, row) + "since/anchor need an anchor in arg";
      return false;
    }
    const auto index = static_cast<uint32_t>(rules_.size());
    rules_.push_back(rule);
    for (const std::string& phrase : ExpandBraces(table->Get(row, "phrase"))) {
      if (!relative_.Add(phrase, index)) {
        *error = Where(*table, row) + "empty phrase";
        return false;
      }
    }
  }
  return true;
}

bool DateLexicon::LoadCues(const std::string& dir, std::string* error) {
  const std::optional<TsvTable> table = LoadTable(dir, "cues.tsv", {"phrase", "role"}, error);
  if (!table) return false;
  for (const TsvTable::Row& row : table->rows()) {
    const std::optional<CueRole> role = ParseCueRole(table->Get(row, "role"));
    if (!role) {
      *error = Where(*table, row) + "unknown role '" + std::string(table->Get(row, "role")) + "'";
      return false;
    }
    CueArg arg;
    const std::string_view arg_text = table->Get(row, "arg");
    if (*role == CueRole::kWarNoun || *role == CueRole::kBegun) {
      auto it = anchors_.find(std::string(arg_text));
      if (it == anchors_.end()) {
        *error = Where(*table, row) + "a war noun or begun cue needs a known anchor in arg";
        return false;
      }
      arg.anchor = it->second;
      if (*role == CueRole::kBegun && (!latest_begun_ || *latest_begun_ < it->second))
        latest_begun_ = it->second;
    } else if (!arg_text.empty() && !ParseInt(arg_text, &arg.n)) {
      *error = Where(*table, row) + "arg is not a number";
      return false;
    }
    const auto index = static_cast<uint32_t>(cue_args_.size());
    cue_args_.push_back(arg);
    for (const std::string& phrase : ExpandBraces(table->Get(row, "phrase"))) {
      if (!cues_[static_cast<int>(*role)].Add(phrase, index)) {
        *error = Where(*table, row) + "empty phrase";
        return false;
      }
    }
  }
  return true;
}

const MonthName* DateLexicon::Month(const Token& token) const {
  if (!token.Is(kTokWord)) return nullptr;
  auto it = months_.find(token.hash);
  if (it == months_.end()) return nullptr;
  if (it->second.needs_capital && !token.Is(kTokCapitalized)) return nullptr;
  return &it->second;
}

const WeekdayName* DateLexicon::Weekday(const Token& token) const {
  if (!token.Is(kTokWord)) return nullptr;
  auto it = weekdays_.find(token.hash);
  if (it == weekdays_.end()) return nullptr;
  if (it->second.needs_capital && !token.Is(kTokCapitalized)) return nullptr;
  return &it->second;
}

const SeasonName* DateLexicon::Season(const Token& token) const {
  if (!token.Is(kTokWord)) return nullptr;
  auto it = seasons_.find(token.hash);
  return it == seasons_.end() ? nullptr : &it->second;
}

const UnitName* DateLexicon::Unit(const Token& token) const {
  if (!token.Is(kTokWord)) return nullptr;
  auto it = units_.find(token.hash);
  return it == units_.end() ? nullptr : &it->second;
}

std::optional<int> DateLexicon::NumberWord(const Token& token) const {
  if (!token.Is(kTokWord)) return std::nullopt;
  auto it = numbers_.find(token.hash);
  if (it == numbers_.end()) return std::nullopt;
  return it->second;
}

uint32_t DateLexicon::CueAt(const std::vector<Token>& tokens, uint32_t at, uint32_t limit,
                            CueRole role, CueArg* arg) const {
  if (at >= limit) return 0;
  const PhraseTrie::Match m = cues_[static_cast<int>(role)].LongestAt(tokens, at, limit);
  if (m.payloads == nullptr) return 0;
  if (arg != nullptr) *arg = cue_args_[m.payloads->front()];
  return m.end;
}

uint32_t DateLexicon::CueBefore(const std::vector<Token>& tokens, uint32_t floor, uint32_t at,
                                CueRole role) const {
  const PhraseTrie& trie = cues_[static_cast<int>(role)];
  for (uint32_t len = 1; len <= kMaxCueTokens && len <= at; ++len) {
    const uint32_t start = at - len;
    if (start < floor) break;
    bool found = false;
    trie.MatchesAt(tokens, start, at, [&](const PhraseTrie::Match& m) {
      if (m.end == at) found = true;
    });
    if (found) return start;
  }
  return kNone;
}


bool DateLexicon::MayHoldCue(std::string_view raw, CueRole role) const {
  const TokenFilter& filter = cues_[static_cast<int>(role)].first_filter();
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto alnum = [&](char c) { return lower(c) || upper(c) || (c >= '0' && c <= '9'); };
  for (size_t i = 0; i < raw.size();) {
    const char c = raw[i];
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\'' || c == '`') return true;
    if (!alnum(c)) {
      // A punctuation mark is a token of its own, and may start a cue.
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
          filter.MayContain((14695981039346656037ull ^ static_cast<unsigned char>(c)) * 1099511628211ull))
        return true;
      ++i;
      continue;
    }
    size_t e = i + 1;
    while (e < raw.size() && alnum(raw[e])) ++e;
    // The word, and its parts at camel-case seams ("PublishedMarch", "BBCNews").
    size_t part = i;
    for (size_t p = i + 1; p <= e; ++p) {
      const bool seam = p < e && ((lower(raw[p - 1]) && upper(raw[p])) ||
                                  (p >= i + 2 && upper(raw[p - 2]) && upper(raw[p - 1]) &&
                                   upper(raw[p]) && p + 1 < e && lower(raw[p + 1])));
      if (p < e && !seam) continue;
      for (const size_t from : {part, i}) {
        uint64_t h = 14695981039346656037ull;
        for (size_t k = from; k < p; ++k) {
          h ^= static_cast<unsigned char>(upper(raw[k]) ? raw[k] + 32 : raw[k]);
          h *= 1099511628211ull;
        }
        if (filter.MayContain(h)) return true;
      }
      part = p;
    }
    i = e;
  }
  return false;
}

}  // namespace sitrep
