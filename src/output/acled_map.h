// The mapping from sitrep events to ACLED's categories and actor names, loaded
// from data/output/acled_map.tsv (see the notes at the top of that file).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/types.h"

namespace sitrep {

struct AcledCategory {
  std::string disorder_type;
  std::string event_type;
  std::string sub_event_type;
};

// What a `type` row's `when` column asks of an event.
enum class AcledCondition : uint8_t { kAny, kHome, kAbroad, kCivilianTarget };

// Facts about one event that the conditions test.
struct AcledFacts {
  EventType type = EventType::kAttack;
  Side side = Side::kUnknown;
  std::string_view location_country;  // "" when no located place
  bool civilian_target = false;
};

class AcledMap {
 public:
  // Loads and checks the file: known types, sides and conditions, and a `*` row for
  // every type. On failure returns nullopt and sets *error to "path:line: reason".
  static std::optional<AcledMap> Load(const std::string& path, std::string* error);
  static std::optional<AcledMap> Parse(std::string_view text, const std::string& path,
                                       std::string* error);
  // <data>/output/acled_map.tsv
  static std::string DefaultPath();

  // The first row of the event's type whose condition holds.
  const AcledCategory& Categorise(const AcledFacts& facts) const;
  // ACLED's actor name for a side; "" when the file gives none.
  std::string_view ActorName(Side side) const { return SideRow(side).actor; }
  std::string_view HomeCountry(Side side) const { return SideRow(side).country; }
  std::optional<Side> Opponent(Side side) const { return SideRow(side).opponent; }
  // The civilians actor for a country (falls back to the `*` row, then "").
  std::string_view CiviliansActor(std::string_view country) const;

 private:
  struct TypeRow {
    AcledCondition when = AcledCondition::kAny;
    AcledCategory category;
  };
  struct SideInfo {
    std::string actor;
    std::string country;
    std::optional<Side> opponent;
  };
  static constexpr size_t kSideCount = 4;

  const SideInfo& SideRow(Side side) const { return sides_[static_cast<size_t>(side)]; }

  std::array<std::vector<TypeRow>, kEventTypeCount> types_;
  std::array<SideInfo, kSideCount> sides_;
  std::vector<std::pair<std::string, std::string>> civilians_;  // country -> actor
};

}  // namespace sitrep
