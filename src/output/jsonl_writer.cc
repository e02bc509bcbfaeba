// JSON Lines: per document one `document` line, then its `event` lines.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "output/extracted_index.h"
#include "output/output_file.h"
#include "output/record_sink.h"
#include "output/records.h"

namespace sitrep {
namespace {

class JsonlSink : public RecordSink {
 public:
  JsonlSink(std::unique_ptr<OutputFile> file, std::shared_ptr<const ExtractedIndex> previous)
      : file_(std::move(file)), previous_(std::move(previous)) {}

  ~JsonlSink() override {
    if (previous_fd_ >= 0) ::close(previous_fd_);
  }

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

  // The document's lines as the previous version of the file has them, byte for byte.
  Result WriteUnchanged(const Document& doc) override {
    if (finished_) return Result::Error(file_->name() + ": write after finish");
    if (!previous_) return Result::Ok();  // a stream: what this run extracted
    const ExtractedIndex::Entry* entry = previous_->Find(doc.doc_id);
    if (entry == nullptr) {
      return Result::Error(previous_->source() + ": no records of " + doc.doc_id + " to copy");
    }
    if (previous_fd_ < 0) {
      previous_fd_ = ::open(previous_->source().c_str(), O_RDONLY | O_CLOEXEC);
      if (previous_fd_ < 0) {
        return Result::Error(previous_->source() + ": cannot open: " + std::strerror(errno));
      }
    }
    buffer_.resize(entry->length);
    size_t done = 0;
    while (done < entry->length) {
      const ssize_t n = ::pread(previous_fd_, buffer_.data() + done, entry->length - done,
                                static_cast<off_t>(entry->offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return Result::Error(previous_->source() + ": cannot read the records of " + doc.doc_id +
                             (n < 0 ? std::string(": ") + std::strerror(errno) : ": file shortened"));
      }
      done += static_cast<size_t>(n);
    }
    return file_->Write(buffer_);
  }

  Result Flush() override { return finished_ ? Result::Ok() : file_->Flush(); }

  Result Finish() override {
    finished_ = true;
    return file_->Close();
  }

 private:
  std::unique_ptr<OutputFile> file_;
  std::shared_ptr<const ExtractedIndex> previous_;
  int previous_fd_ = -1;
  std::string buffer_;  // reused across documents
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<RecordSink> MakeJsonlSink(std::FILE* out) {
  return std::make_unique<JsonlSink>(OutputFile::Borrow(out, "<jsonl output>"), nullptr);
}

Result OpenJsonlSink(const std::string& path, std::unique_ptr<RecordSink>* sink,
                     std::shared_ptr<const ExtractedIndex> previous) {
  std::unique_ptr<OutputFile> file;
  if (Result r = OutputFile::Open(path, &file); !r.ok()) return r;
  *sink = std::make_unique<JsonlSink>(std::move(file), std::move(previous));
  return Result::Ok();
}

}  // namespace sitrep
