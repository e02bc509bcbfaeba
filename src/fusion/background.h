// Who held a place before the war's reporting starts (data/control/background.tsv):
// Crimea and the Donbas cities held by Russian-controlled forces since 2014. The
// starting point of territorial control, and the record a claim can contradict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/types.h"

namespace sitrep {

struct Holding {
  bool region = false;  // a first-level unit: every place inside it
  std::string id;       // "geonames:709717"
  std::string name;     // "Donetsk", or the unit's name ("Crimea")
  Side side = Side::kUnknown;
  int64_t since = 0;    // day number
  std::string admin1;   // the settlement's oblast ("" for a unit)
  std::optional<double> lat, lon;
};

class ControlBackground {
 public:
  static std::optional<ControlBackground> Load(const std::string& data_dir, std::string* error);

  // The holding of a place, by its gazetteer id or, failing that, by its first-level
  // unit's name; nullptr when the file says nothing of it.
  const Holding* Find(std::string_view place_id, std::string_view admin1) const;
  const std::vector<Holding>& holdings() const { return holdings_; }

 private:
  std::vector<Holding> holdings_;
};

// Why an event of this type by this side on this day contradicts the holding, or ""
// when it does not: a capture (or a recapture) of a place its captor already held, a
// surrender or a withdrawal of a place the side did not hold.
std::string ContradictsHolding(EventType type, Side side, const Holding& holding, int64_t day);

}  // namespace sitrep
