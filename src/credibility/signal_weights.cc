#include "credibility/signal_weights.h"

#include <algorithm>

#include "base/tsv.h"

namespace sitrep {

std::optional<SignalWeights> SignalWeights::Load(const std::string& data_dir, std::string* error) {
  const std::string path = data_dir + "/credibility/signals.tsv";
  auto table = TsvTable::Load(path, error);
  if (!table) return std::nullopt;
  SignalWeights w;
  for (const auto& row : table->rows()) {
    const std::string id(table->Get(row, "id"));
    try {
      w.weight_[id] = std::stod(std::string(table->Get(row, "weight")));
      if (const std::string_view cap = table->Get(row, "cap"); !cap.empty()) w.cap_[id] = std::stod(std::string(cap));
    } catch (const std::exception&) {
      *error = path + ":" + std::to_string(row.line) + ": weight and cap must be numbers";
      return std::nullopt;
    }
  }
  return w;
}

double SignalWeights::Score(const std::vector<std::pair<std::string_view, double>>& values) const {
  double total = 0, weight = 0;
  for (const auto& [id, value] : values) {
    auto it = weight_.find(std::string(id));
    const double w = it == weight_.end() ? 1.0 : it->second;
    total += w * value;
    weight += w;
  }
  double score = weight > 0 ? total / weight : 0.5;
  for (const auto& [id, value] : values) {
    if (auto it = cap_.find(std::string(id)); it != cap_.end() && value == 0.0) score = std::min(score, it->second);
  }
  return score;
}

}  // namespace sitrep
