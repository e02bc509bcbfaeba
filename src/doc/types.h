// The closed vocabularies of the output contract (../shared/spec/ontology.md and
// schema.md): event types and families, sides, status, source kinds, roles, units.
// Each enum has a Name() giving the contract's spelling and a Parse() for data files.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sitrep {

enum class EventType : uint8_t {
  kAdvance,
  kCapture,
  kRecapture,
  kWithdrawal,
  kRedeployment,
  kEncirclement,
  kSurrender,
  kArmedClash,
  kAttack,
  kShelling,
  kAirstrike,
  kMissileStrike,
  kDroneStrike,
  kAirDefence,
  kDemolition,
  kCivilianEvacuation,
  kHumanitarian,
  kLosses,
  kPrisonerExchange,
};
constexpr int kEventTypeCount = 19;

enum class EventFamily : uint8_t { kTerritory, kCombat, kRemote, kCivilians, kLosses, kOther };

enum class Side : uint8_t { kUnknown, kRU, kUA, kOther };

enum class Status : uint8_t {
  kAsserted,
  kClaimed,
  kReported,
  kUnverified,
  kDenied,
  kExpected,
  kHypothetical,
};

enum class SourceKind : uint8_t {
  kUnknown,
  kGovernment,
  kMilitary,
  kOfficial,
  kMedia,
  kNgo,
  kAnalyst,
  kAnonymous,
  kPerson,
};

enum class TargetCategory : uint8_t { kUnknown, kMilitary, kCivilian, kInfrastructure, kMixed };

enum class LocationRole : uint8_t { kAt, kFrom, kTo, kToward, kNear, kBetween, kInRegion };

enum class PlaceFeature : uint8_t {
  kSettlement,
  kDistrict,
  kRegion,
  kCountry,
  kRiver,
  kSea,
  kWater,
  kLandform,
  kFacility,
};

enum class Unit : uint8_t {
  kNone,
  kPersonnel,
  kCivilians,
  kPeople,
  kPrisoners,
  kBodies,
  kTanks,
  kAircraft,
  kHelicopters,
  kArtillery,
  kArmouredVehicles,
  kVehicles,
  kMlrs,
  kAirDefence,
  kDrones,
  kMissiles,
  kBombs,
  kBoats,
  kShips,
  kSettlements,
  kAttacks,
  kAirstrikes,
  kKm2,
  kKm,
};

enum class DateBasis : uint8_t { kUnknown, kExplicit, kMetadata, kInferred, kRelative, kDocument };

enum class DatePrecision : uint8_t { kUnknown, kDay, kRange, kMonth };

enum class RemovedReason : uint8_t { kBoilerplate, kNavigation, kByline, kComments, kRelated };

std::string_view Name(EventType t);
std::string_view Name(EventFamily f);
std::string_view Name(Side s);
std::string_view Name(Status s);
std::string_view Name(SourceKind k);
std::string_view Name(TargetCategory c);
std::string_view Name(LocationRole r);
std::string_view Name(PlaceFeature f);
std::string_view Name(Unit u);  // "" for kNone (written as null)
std::string_view Name(DateBasis b);
std::string_view Name(DatePrecision p);
std::string_view Name(RemovedReason r);

EventFamily FamilyOf(EventType t);
// A side the text gives (RU, UA or OTHER).
inline bool Known(Side s) { return s != Side::kUnknown; }

// Parse the contract spelling back; nullopt for an unknown word.
std::optional<EventType> ParseEventType(std::string_view s);
std::optional<Side> ParseSide(std::string_view s);
std::optional<Status> ParseStatus(std::string_view s);
std::optional<SourceKind> ParseSourceKind(std::string_view s);
std::optional<TargetCategory> ParseTargetCategory(std::string_view s);
std::optional<LocationRole> ParseLocationRole(std::string_view s);
std::optional<PlaceFeature> ParsePlaceFeature(std::string_view s);
std::optional<Unit> ParseUnit(std::string_view s);
std::optional<RemovedReason> ParseRemovedReason(std::string_view s);

}  // namespace sitrep
