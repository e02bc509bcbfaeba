// Micro benchmarks of the hot path: tokenizing, segmenting, opening the gazetteer,
// and the whole pipeline on one article-sized text we wrote.
#include <benchmark/benchmark.h>

#include <string>

#include "base/paths.h"
#include "base/tokenizer.h"
#include "pipeline/pipeline.h"
#include "places/gazetteer.h"
#include "segment/segmenter.h"

namespace sitrep {
namespace {

std::string Article() {
  const std::string paragraph =
      "Russian forces shelled Kupiansk and the nearby village of Petropavlivka overnight, the "
      "Kharkiv regional governor said on Thursday, as Moscow's troops pushed toward the town. "
      "Ukraine's General Staff said its forces repelled 14 attacks in the Kupiansk direction "
      "and destroyed 12 of 15 drones. Ukrainian troops recaptured the village of Synkivka after "
      "heavy fighting, while regional authorities said they would evacuate 2,000 residents.\n\n";
  std::string text;
  for (int i = 0; i < 8; ++i) text += paragraph;
  return text;
}

void BM_Tokenize(benchmark::State& state) {
  const std::string text = Article();
  for (auto _ : state) {
    std::string folded;
    std::vector<Token> tokens;
    Tokenize(text, 0, folded, tokens);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_Tokenize);

void BM_Segment(benchmark::State& state) {
  std::string error;
  auto seg = Segmenter::Load(DataDir(), &error);
  if (!seg) {
    state.SkipWithError(error.c_str());
    return;
  }
  const std::string text = Article();
  for (auto _ : state) {
    Document doc;
    doc.text = text;
    benchmark::DoNotOptimize(seg->Process(doc).ok());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_Segment);

void BM_GazetteerOpen(benchmark::State& state) {
  for (auto _ : state) {
    std::string error;
    auto gaz = Gazetteer::Open(GazetteerPath(), &error);
    if (!gaz) {
      state.SkipWithError(error.c_str());
      return;
    }
    benchmark::DoNotOptimize(gaz->size());
  }
}
BENCHMARK(BM_GazetteerOpen)->Unit(benchmark::kMillisecond);

void BM_Pipeline(benchmark::State& state) {
  std::string error;
  auto pipeline = Pipeline::Load(PipelineOptions{}, &error);
  if (!pipeline) {
    state.SkipWithError(error.c_str());
    return;
  }
  const std::string text = Article();
  for (auto _ : state) {
    Document doc;
    doc.text = text;
    benchmark::DoNotOptimize(pipeline->Process(doc).ok());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_Pipeline);

}  // namespace
}  // namespace sitrep
