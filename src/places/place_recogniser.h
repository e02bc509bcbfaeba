// The places stage: finds toponyms in doc.tokens (by the gazetteer's name trie, then
// by transliteration skeletons for misspellings) and resolves each to one gazetteer
// entry using the words around it and the other places of the document.
// Reads doc.tokens, doc.sentences, doc.removed; writes doc.places (text order).
#pragma once

#include <memory>
#include <string>
#include <cstdint>
#include <string_view>

#include "doc/stage.h"
#include "places/gazetteer.h"
#include "places/place_cues.h"

namespace sitrep {

class PlaceRecogniser final : public Stage {
 public:
  // gazetteer must outlive the recogniser. data_dir holds places/*.tsv.
  static std::unique_ptr<PlaceRecogniser> Load(const Gazetteer& gazetteer, const std::string& data_dir,
                                               std::string* error);

  std::string_view Name() const override { return "places"; }
  Result Process(Document& doc) const override;

  const Gazetteer& gazetteer() const { return gaz_; }

 private:
  PlaceRecogniser(const Gazetteer& gazetteer, std::unique_ptr<PlaceCues> cues, uint32_t front_country)
      : gaz_(gazetteer), cues_(std::move(cues)), front_country_(front_country) {}

  const Gazetteer& gaz_;
  std::unique_ptr<PlaceCues> cues_;
  // The country "the southern front" lies in (Ukraine's entry), kNone when absent.
  uint32_t front_country_;
};

}  // namespace sitrep
