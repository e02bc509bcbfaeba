#include "doc/types.h"

#include <array>

namespace sitrep {
namespace {

constexpr std::array<std::string_view, kEventTypeCount> kEventTypeNames = {
    "advance",   "capture",      "recapture",      "withdrawal",         "redeployment",
    "encirclement", "surrender", "armed_clash",    "attack",             "shelling",
    "airstrike", "missile_strike", "drone_strike", "air_defence",        "demolition",
    "civilian_evacuation", "humanitarian", "losses", "prisoner_exchange",
};
constexpr std::array<EventFamily, kEventTypeCount> kEventFamilies = {
    EventFamily::kTerritory, EventFamily::kTerritory, EventFamily::kTerritory,
    EventFamily::kTerritory, EventFamily::kTerritory, EventFamily::kTerritory,
    EventFamily::kTerritory, EventFamily::kCombat,    EventFamily::kCombat,
    EventFamily::kRemote,    EventFamily::kRemote,    EventFamily::kRemote,
    EventFamily::kRemote,    EventFamily::kRemote,    EventFamily::kRemote,
    EventFamily::kCivilians, EventFamily::kCivilians, EventFamily::kLosses,
    EventFamily::kOther,
};
constexpr std::array<std::string_view, 6> kFamilyNames = {"territory", "combat", "remote",
                                                          "civilians", "losses", "other"};
constexpr std::array<std::string_view, 4> kSideNames = {"UNKNOWN", "RU", "UA", "OTHER"};
constexpr std::array<std::string_view, 7> kStatusNames = {
    "asserted", "claimed", "reported", "unverified", "denied", "expected", "hypothetical"};
constexpr std::array<std::string_view, 9> kSourceKindNames = {
    "unknown", "government", "military", "official", "media",
    "ngo",     "analyst",    "anonymous", "person"};
constexpr std::array<std::string_view, 5> kTargetCategoryNames = {
    "unknown", "military", "civilian", "infrastructure", "mixed"};
constexpr std::array<std::string_view, 7> kRoleNames = {"at",      "from",    "to",       "toward",
                                                        "near",    "between", "in_region"};
constexpr std::array<std::string_view, 9> kFeatureNames = {
    "settlement", "district", "region", "country", "river", "sea", "water", "landform", "facility"};
constexpr std::array<std::string_view, 24> kUnitNames = {
    "",          "personnel", "civilians",  "people",       "prisoners",
    "bodies",    "tanks",     "aircraft",   "helicopters",  "artillery",
    "armoured_vehicles", "vehicles", "mlrs", "air_defence", "drones",
    "missiles",  "bombs",     "boats",      "ships",        "settlements",
    "attacks",   "airstrikes", "km2",       "km"};
constexpr std::array<std::string_view, 6> kBasisNames = {"unknown",  "explicit", "metadata",
                                                         "inferred", "relative", "document"};
constexpr std::array<std::string_view, 4> kPrecisionNames = {"unknown", "day", "range", "month"};
constexpr std::array<std::string_view, 5> kRemovedNames = {"boilerplate", "navigation", "byline",
                                                           "comments", "related"};

template <typename E, size_t N>
std::optional<E> ParseIn(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(EventType t) { return kEventTypeNames[static_cast<size_t>(t)]; }
std::string_view Name(EventFamily f) { return kFamilyNames[static_cast<size_t>(f)]; }
std::string_view Name(Side s) { return kSideNames[static_cast<size_t>(s)]; }
std::string_view Name(Status s) { return kStatusNames[static_cast<size_t>(s)]; }
std::string_view Name(SourceKind k) { return kSourceKindNames[static_cast<size_t>(k)]; }
std::string_view Name(TargetCategory c) { return kTargetCategoryNames[static_cast<size_t>(c)]; }
std::string_view Name(LocationRole r) { return kRoleNames[static_cast<size_t>(r)]; }
std::string_view Name(PlaceFeature f) { return kFeatureNames[static_cast<size_t>(f)]; }
std::string_view Name(Unit u) { return kUnitNames[static_cast<size_t>(u)]; }
std::string_view Name(DateBasis b) { return kBasisNames[static_cast<size_t>(b)]; }
std::string_view Name(DatePrecision p) { return kPrecisionNames[static_cast<size_t>(p)]; }
std::string_view Name(RemovedReason r) { return kRemovedNames[static_cast<size_t>(r)]; }

EventFamily FamilyOf(EventType t) { return kEventFamilies[static_cast<size_t>(t)]; }

std::optional<EventType> ParseEventType(std::string_view s) {
  return ParseIn<EventType>(kEventTypeNames, s);
}
std::optional<Side> ParseSide(std::string_view s) { return ParseIn<Side>(kSideNames, s); }
std::optional<Status> ParseStatus(std::string_view s) { return ParseIn<Status>(kStatusNames, s); }
std::optional<SourceKind> ParseSourceKind(std::string_view s) {
  return ParseIn<SourceKind>(kSourceKindNames, s);
}
std::optional<TargetCategory> ParseTargetCategory(std::string_view s) {
  return ParseIn<TargetCategory>(kTargetCategoryNames, s);
}
std::optional<LocationRole> ParseLocationRole(std::string_view s) {
  return ParseIn<LocationRole>(kRoleNames, s);
}
std::optional<PlaceFeature> ParsePlaceFeature(std::string_view s) {
  return ParseIn<PlaceFeature>(kFeatureNames, s);
}
std::optional<Unit> ParseUnit(std::string_view s) {
  if (s.empty() || s == "null") return Unit::kNone;
  return ParseIn<Unit>(kUnitNames, s);
}
std::optional<RemovedReason> ParseRemovedReason(std::string_view s) {
  return ParseIn<RemovedReason>(kRemovedNames, s);
}

}  // namespace sitrep
