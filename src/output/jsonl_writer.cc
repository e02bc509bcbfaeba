// JSON Lines: per document one `document` line, then its `event` lines.
#include <utility>

#include "output/output_file.h"
#include "output/record_sink.h"
#include "output/records.h"

namespace sitrep {
namespace {

class JsonlSink : public RecordSink {
 public:
  explicit JsonlSink(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}

  Result Write(const Document& doc) override {
    if (finished_) return Result::Error(file_->name() + ": write after finish");
    // One fwrite per document: a document and its events reach the file together.
    buffer_.clear();
    AppendDocumentJson(doc, buffer_);
    buffer_.push_back('\n');
    for (size_t i = 0; i < doc.events.size(); ++i) {
      AppendEventJson(doc, i, buffer_);
      buffer_.push_back('\n');
    }
    return file_->Write(buffer_);
  }

  Result Finish() override {
    finished_ = true;
    return file_->Close();
  }

 private:
  std::unique_ptr<OutputFile> file_;
  std::string buffer_;  // reused across documents
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<RecordSink> MakeJsonlSink(std::FILE* out) {
  return std::make_unique<JsonlSink>(OutputFile::Borrow(out, "<jsonl output>"));
}

Result OpenJsonlSink(const std::string& path, std::unique_ptr<RecordSink>* sink) {
  std::unique_ptr<OutputFile> file;
  if (Result r = OutputFile::Open(path, &file); !r.ok()) return r;
  *sink = std::make_unique<JsonlSink>(std::move(file));
  return Result::Ok();
}

}  // namespace sitrep
