#include "output/acled_map.h"

#include "base/paths.h"
#include "base/tsv.h"

namespace sitrep {
namespace {

std::optional<AcledCondition> ParseCondition(std::string_view s) {
  if (s.empty() || s == "*") return AcledCondition::kAny;
  if (s == "home") return AcledCondition::kHome;
  if (s == "abroad") return AcledCondition::kAbroad;
  if (s == "civilian_target") return AcledCondition::kCivilianTarget;
  return std::nullopt;
}

bool Holds(AcledCondition when, const AcledFacts& facts, std::string_view home) {
  switch (when) {
    case AcledCondition::kAny: return true;
    case AcledCondition::kHome:
      return !home.empty() && !facts.location_country.empty() && home == facts.location_country;
    case AcledCondition::kAbroad:
      return !home.empty() && !facts.location_country.empty() && home != facts.location_country;
    case AcledCondition::kCivilianTarget: return facts.civilian_target;
  }
  return false;
}

}  // namespace

std::string AcledMap::DefaultPath() { return DataDir() + "/output/acled_map.tsv"; }

std::optional<AcledMap> AcledMap::Load(const std::string& path, std::string* error) {
  std::string text;
  if (!ReadFile(path, &text)) {
    *error = path + ": cannot read the ACLED mapping";
    return std::nullopt;
  }
  return Parse(text, path, error);
}

std::optional<AcledMap> AcledMap::Parse(std::string_view text, const std::string& path,
                                        std::string* error) {
  std::optional<TsvTable> table = TsvTable::Parse(text, path, error);
  if (!table) return std::nullopt;
  for (std::string_view column : {"table", "key", "when", "disorder_type", "event_type",
                                  "sub_event_type", "actor", "country", "opponent"}) {
    if (table->Column(column) < 0) {
      *error = path + ":1: no column '" + std::string(column) + "'";
      return std::nullopt;
    }
  }
  AcledMap map;
  auto fail = [&](const TsvTable::Row& row, const std::string& why) {
    *error = path + ":" + std::to_string(row.line) + ": " + why;
    return std::nullopt;
  };
  for (const TsvTable::Row& row : table->rows()) {
    const std::string_view kind = table->Get(row, "table");
    const std::string_view key = table->Get(row, "key");
    if (kind == "type") {
      const std::optional<EventType> type = ParseEventType(key);
      if (!type) return fail(row, "unknown event type '" + std::string(key) + "'");
      const std::optional<AcledCondition> when = ParseCondition(table->Get(row, "when"));
      if (!when) return fail(row, "unknown condition '" + std::string(table->Get(row, "when")) + "'");
      TypeRow type_row;
      type_row.when = *when;
      type_row.category.disorder_type = table->Get(row, "disorder_type");
      type_row.category.event_type = table->Get(row, "event_type");
      type_row.category.sub_event_type = table->Get(row, "sub_event_type");
      if (type_row.category.event_type.empty() || type_row.category.sub_event_type.empty()) {
        return fail(row, "a type row needs event_type and sub_event_type");
      }
      map.types_[static_cast<size_t>(*type)].push_back(std::move(type_row));
    } else if (kind == "side") {
      const std::optional<Side> side = ParseSide(key);
      if (!side) return fail(row, "unknown side '" + std::string(key) + "'");
      SideInfo& info = map.sides_[static_cast<size_t>(*side)];
      info.actor = table->Get(row, "actor");
      info.country = table->Get(row, "country");
      const std::string_view opponent = table->Get(row, "opponent");
      if (!opponent.empty()) {
        info.opponent = ParseSide(opponent);
        if (!info.opponent) return fail(row, "unknown side '" + std::string(opponent) + "'");
      }
    } else if (kind == "civilians") {
      map.civilians_.emplace_back(std::string(key), std::string(table->Get(row, "actor")));
    } else {
      return fail(row, "unknown table '" + std::string(kind) + "' (type, side, civilians)");
    }
  }
  for (int t = 0; t < kEventTypeCount; ++t) {
    const std::vector<TypeRow>& rows = map.types_[t];
    if (rows.empty() || rows.back().when != AcledCondition::kAny) {
      *error = path + ": event type '" + std::string(Name(static_cast<EventType>(t))) +
               "' needs a last row with when '*'";
      return std::nullopt;
    }
  }
  return map;
}

const AcledCategory& AcledMap::Categorise(const AcledFacts& facts) const {
  const std::vector<TypeRow>& rows = types_[static_cast<size_t>(facts.type)];
  const std::string_view home = HomeCountry(facts.side);
  for (const TypeRow& row : rows) {
    if (Holds(row.when, facts, home)) return row.category;
  }
  return rows.back().category;  // Parse guarantees a last `*` row
}

std::string_view AcledMap::CiviliansActor(std::string_view country) const {
  std::string_view fallback;
  for (const auto& [key, actor] : civilians_) {
    if (!country.empty() && key == country) return actor;
    if (key == "*") fallback = actor;
  }
  return fallback;
}

}  // namespace sitrep
