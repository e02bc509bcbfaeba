// The interface every pipeline stage implements, and the status it returns.
// A stage keeps no per-document state: one instance serves every worker thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "doc/document.h"

namespace sitrep {

// An expected failure (a bad document, a missing file) as a value.
class Result {
 public:
  Result() = default;
  static Result Ok() { return Result(); }
  static Result Error(std::string message) {
    Result s;
    s.ok_ = false;
    s.message_ = std::move(message);
    return s;
  }
  bool ok() const { return ok_; }
  const std::string& message() const { return message_; }

 private:
  bool ok_ = true;
  std::string message_;
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view Name() const = 0;
  // Annotates doc in place. Returns an error for a document it cannot process.
  virtual Result Process(Document& doc) const = 0;
};

}  // namespace sitrep
