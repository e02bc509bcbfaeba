// Great-circle distance between two points on the Earth, for places and events.
#pragma once

#include <algorithm>
#include <cmath>

namespace sitrep {

constexpr double kEarthRadiusKm = 6371.0;

// Haversine distance in kilometres between (lat1, lon1) and (lat2, lon2), in degrees.
inline double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace sitrep
