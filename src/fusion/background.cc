#include "fusion/background.h"

#include "base/civil_date.h"
#include "base/tsv.h"

namespace sitrep {

std::optional<ControlBackground> ControlBackground::Load(const std::string& data_dir,
                                                          std::string* error) {
  const std::string path = data_dir + "/control/background.tsv";
  auto table = TsvTable::Load(path, error);
  if (!table) return std::nullopt;
  ControlBackground out;
  for (const TsvTable::Row& row : table->rows()) {
    Holding h;
    const std::string_view scope = table->Get(row, "scope");
    h.region = scope == "admin1";
    h.id = std::string(table->Get(row, "id"));
    h.name = std::string(table->Get(row, "name"));
    const auto side = ParseSide(table->Get(row, "side"));
    const auto since = ParseIsoDate(table->Get(row, "since"));
    if ((scope != "admin1" && scope != "settlement") || h.id.empty() || !side || !since) {
      *error = path + ":" + std::to_string(row.line) + ": needs scope (admin1|settlement), id, side, since";
      return std::nullopt;
    }
    h.side = *side;
    h.since = DaysFromCivil(*since);
    h.admin1 = std::string(table->Get(row, "admin1"));
    const std::string lat(table->Get(row, "lat")), lon(table->Get(row, "lon"));
    if (!lat.empty() && !lon.empty()) {
      h.lat = std::stod(lat);
      h.lon = std::stod(lon);
    }
    out.holdings_.push_back(std::move(h));
  }
  return out;
}

const Holding* ControlBackground::Find(std::string_view place_id, std::string_view admin1) const {
  if (!place_id.empty()) {
    for (const Holding& h : holdings_) {
      if (h.id == place_id) return &h;
    }
  }
  if (!admin1.empty()) {
    for (const Holding& h : holdings_) {
      if (h.region && h.name == admin1) return &h;
    }
  }
  return nullptr;
}

std::string ContradictsHolding(EventType type, Side side, const Holding& h, int64_t day) {
  if (day < h.since || (side != Side::kRU && side != Side::kUA)) return "";
  const bool holder = side == h.side;
  std::string what;
  if ((type == EventType::kCapture || type == EventType::kRecapture) && holder) {
    what = "a " + std::string(Name(type)) + " by the side that already held it";
  } else if ((type == EventType::kSurrender || type == EventType::kWithdrawal) && !holder) {
    what = "a " + std::string(Name(type)) + " by the side that did not hold it";
  } else {
    return "";
  }
  return what + ": " + h.name + " held by " + std::string(Name(h.side)) + " since " +
         FormatIsoDate(CivilFromDays(h.since)) + " (data/control/background.tsv)";
}

}  // namespace sitrep
