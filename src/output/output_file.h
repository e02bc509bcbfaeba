// A checked output stream for the text writers: every fwrite, fflush and fclose
// result is checked, and the first failure sticks, so a full disk is an error
// rather than a silently truncated file.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "doc/stage.h"

namespace sitrep {

// True for "-" and for an existing file that is not a regular one (/dev/null, a pipe):
// such an output is written in place; a temporary file renamed over it would replace
// the device itself.
bool WritesInPlace(const std::string& path);

class OutputFile {
 public:
  // Opens path for writing, truncating it; "-" is stdout (flushed, never closed).
  static Result Open(const std::string& path, std::unique_ptr<OutputFile>* file);
  // Wraps a stream the caller owns: Close flushes it and leaves it open.
  static std::unique_ptr<OutputFile> Borrow(std::FILE* stream, std::string name);

  ~OutputFile();  // closes an owned stream Close was not called for, ignoring errors
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Writes all of bytes or returns the (sticky) error.
  Result Write(std::string_view bytes);
  // Hands what is buffered to the operating system (a pipe's reader then sees it), or
  // returns the (sticky) error.
  Result Flush();
  // Flushes, and closes an owned stream. Returns the first error of the file's life;
  // later calls return the same result.
  Result Close();

  const std::string& name() const { return name_; }

 private:
  OutputFile(std::FILE* stream, std::string name, bool owned)
      : stream_(stream), name_(std::move(name)), owned_(owned) {}
  // Records "name: what: strerror(errno)" as the sticky error unless one is set.
  Result Fail(std::string_view what, int err);

  std::FILE* stream_;
  std::string name_;
  bool owned_;
  bool closed_ = false;
  Result error_;
};

}  // namespace sitrep
