// For tests: the whole pipeline, loaded once per test binary from the source tree's
// data/ and the built gazetteer, and a document run through it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "pipeline/pipeline.h"

namespace sitrep::testing {

inline const Pipeline& SharedPipeline() {
  static std::unique_ptr<Pipeline> p = [] {
    std::string error;
    auto pipeline = Pipeline::Load(PipelineOptions{}, &error);
    EXPECT_NE(pipeline, nullptr) << error;
    return pipeline;
  }();
  return *p;
}

// The document of this text after every stage.
inline Document Extract(const std::string& text, const std::string& doc_id = "t",
                        const std::string& url = "") {
  Document doc;
  doc.doc_id = doc_id;
  doc.text = text;
  doc.url = url;
  const Result r = SharedPipeline().Process(doc);
  EXPECT_TRUE(r.ok()) << r.message();
  return doc;
}

}  // namespace sitrep::testing
