// The weights and caps of the credibility signals (data/credibility/signals.tsv) and the
// one rule that turns signal values into an article's score: their weighted mean, capped
// by any signal at 0 that has a cap. Extraction and fusion both score with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sitrep {

class SignalWeights {
 public:
  static std::optional<SignalWeights> Load(const std::string& data_dir, std::string* error);

  // values: (signal id, value in [0,1]). An unknown id weighs 1.
  double Score(const std::vector<std::pair<std::string_view, double>>& values) const;

 private:
  std::unordered_map<std::string, double> weight_, cap_;
};

}  // namespace sitrep
