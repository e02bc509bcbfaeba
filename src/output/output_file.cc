#include "output/output_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace sitrep {

bool WritesInPlace(const std::string& path) {
  struct stat st;
  return path == "-" || (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode));
}

Result OutputFile::Open(const std::string& path, std::unique_ptr<OutputFile>* file) {
  if (path == "-") {
    file->reset(new OutputFile(stdout, "<stdout>", /*owned=*/false));
    return Result::Ok();
  }
  std::FILE* stream = std::fopen(path.c_str(), "wb");
  if (stream == nullptr) {
    return Result::Error(path + ": cannot open for writing: " + std::strerror(errno));
  }
  file->reset(new OutputFile(stream, path, /*owned=*/true));
  return Result::Ok();
}

std::unique_ptr<OutputFile> OutputFile::Borrow(std::FILE* stream, std::string name) {
  return std::unique_ptr<OutputFile>(new OutputFile(stream, std::move(name), /*owned=*/false));
}

OutputFile::~OutputFile() {
  if (owned_ && !closed_ && stream_ != nullptr) std::fclose(stream_);
}

Result OutputFile::Fail(std::string_view what, int err) {
  if (error_.ok()) {
    error_ = Result::Error(name_ + ": " + std::string(what) + ": " +
                           (err != 0 ? std::strerror(err) : "stream error"));
  }
  return error_;
}

Result OutputFile::Write(std::string_view bytes) {
  if (!error_.ok()) return error_;
  if (closed_) return Fail("write after close", 0);
  if (stream_ == nullptr) return Fail("no stream", 0);
  if (bytes.empty()) return Result::Ok();
  errno = 0;
  const size_t n = std::fwrite(bytes.data(), 1, bytes.size(), stream_);
  if (n != bytes.size() || std::ferror(stream_)) return Fail("write failed", errno);
  return Result::Ok();
}

Result OutputFile::Flush() {
  if (!error_.ok() || closed_ || stream_ == nullptr) return error_;
  errno = 0;
  if (std::fflush(stream_) != 0 || std::ferror(stream_)) return Fail("write failed", errno);
  return Result::Ok();
}

Result OutputFile::Close() {
  if (closed_) return error_;
  closed_ = true;
  if (stream_ == nullptr) return error_;
  errno = 0;
  if (std::fflush(stream_) != 0 || std::ferror(stream_)) Fail("write failed", errno);
  if (owned_) {
    errno = 0;
    if (std::fclose(stream_) != 0) Fail("close failed", errno);
  }
  stream_ = nullptr;
  return error_;
}

}  // namespace sitrep
