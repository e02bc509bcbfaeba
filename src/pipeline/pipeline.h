// The extraction pipeline: the stages in order over one document, built once from
// the knowledge in data/ and the compiled gazetteer, shared by every worker thread.
//   clean → segment → time → places → actors → quantities → attribution → events
//   → credibility
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "doc/stage.h"

namespace sitrep {

class Gazetteer;

struct PipelineOptions {
  std::string data_dir;        // "" = DataDir()
  std::string gazetteer_path;  // "" = GazetteerPath()
};

class Pipeline {
 public:
  // Loads every stage; nullptr with a message naming the file at fault on failure.
  static std::unique_ptr<Pipeline> Load(const PipelineOptions& options, std::string* error);
  ~Pipeline();

  // Runs every stage on doc; an error names the stage.
  Result Process(Document& doc) const;

  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }
  // The stage with this name, or nullptr.
  const Stage* Find(std::string_view name) const;
  const Gazetteer& gazetteer() const { return *gazetteer_; }

 private:
  Pipeline() = default;
  std::unique_ptr<Gazetteer> gazetteer_;
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace sitrep
