#include "pipeline/pipeline.h"

#include <exception>

#include "actors/actor_recogniser.h"
#include "attribution/attributor.h"
#include "base/paths.h"
#include "clean/cleaner.h"
#include "credibility/credibility.h"
#include "events/event_finder.h"
#include "fusion/fingerprint.h"
#include "places/gazetteer.h"
#include "places/place_recogniser.h"
#include "quantities/quantity_recogniser.h"
#include "segment/segmenter.h"
#include "time/date_recogniser.h"

namespace sitrep {

Pipeline::~Pipeline() = default;

std::unique_ptr<Pipeline> Pipeline::Load(const PipelineOptions& options, std::string* error) {
  std::unique_ptr<Pipeline> p(new Pipeline());
  const std::string data = options.data_dir.empty() ? DataDir() : options.data_dir;
  if (data.empty()) {
    *error = "no data directory found (set --data or SITREP_DATA to sitrep's data/)";
    return nullptr;
  }
  const std::string gaz = options.gazetteer_path.empty() ? GazetteerPath() : options.gazetteer_path;
  p->gazetteer_ = Gazetteer::Open(gaz, error);
  if (!p->gazetteer_) {
    *error += " (build it with `sitrep gazetteer build`)";
    return nullptr;
  }
  auto add = [&](std::unique_ptr<Stage> stage) {
    if (!stage) return false;
    p->stages_.push_back(std::move(stage));
    return true;
  };
  if (!add(Cleaner::Load(data, error))) return nullptr;
  if (!add(Segmenter::Load(data, error))) return nullptr;
  if (!add(DateRecogniser::Load(data, error))) return nullptr;
  if (!add(PlaceRecogniser::Load(*p->gazetteer_, data, error))) return nullptr;
  if (!add(ActorRecogniser::Load(data, error))) return nullptr;
  if (!add(QuantityRecogniser::Load(data, error))) return nullptr;
  if (!add(Attributor::Load(data, error))) return nullptr;
  if (!add(EventFinder::Load(data, error))) return nullptr;
  if (!add(CredibilityScorer::Load(data, error))) return nullptr;
  if (!add(Fingerprinter::Load(error))) return nullptr;
  return p;
}

Result Pipeline::Process(Document& doc) const {
  for (const auto& stage : stages_) {
    try {
      Result r = stage->Process(doc);
      if (!r.ok()) return Result::Error(std::string(stage->Name()) + ": " + r.message());
    } catch (const std::exception& e) {
      return Result::Error(std::string(stage->Name()) + ": " + e.what());
    }
  }
  return Result::Ok();
}

const Stage* Pipeline::Find(std::string_view name) const {
  for (const auto& stage : stages_) {
    if (stage->Name() == name) return stage.get();
  }
  return nullptr;
}

}  // namespace sitrep
