#include "read/input_stream.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sitrep {
namespace {

constexpr size_t kRawChunk = 256 << 10;
constexpr size_t kInitialLineBuffer = 1 << 20;
constexpr unsigned char kGzipMagic0 = 0x1F;
constexpr unsigned char kGzipMagic1 = 0x8B;
constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};  // little-endian 0xFD2FB528
// zlib's window bits for "gzip or zlib header, detected".
constexpr int kAutoHeaderWindowBits = 15 + 32;

}  // namespace

InputStream::InputStream() : raw_(new char[kRawChunk]) {}

InputStream::~InputStream() { Close(); }

bool InputStream::Open(const std::string& path, std::string* error) {
  Close();
  if (path == "-") {
    fd_ = STDIN_FILENO;
    own_fd_ = false;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      *error = std::strerror(errno);
      return false;
    }
    own_fd_ = true;
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  // Two bytes decide gzip, four zstd; a pipe may deliver them one at a time.
  while (RawAvailable() < 4 && FillRaw()) {
  }
  if (!error_.empty()) {
    *error = error_;
    Close();
    return false;
  }
  gzip_ = RawAvailable() >= 2 && static_cast<unsigned char>(raw_[raw_begin_]) == kGzipMagic0 &&
          static_cast<unsigned char>(raw_[raw_begin_ + 1]) == kGzipMagic1;
  if (gzip_) {
    zs_ = std::make_unique<z_stream>();
    if (inflateInit2(zs_.get(), kAutoHeaderWindowBits) != Z_OK) {
      *error = "cannot initialise zlib";
      Close();
      return false;
    }
    zs_ready_ = true;
  }
  zstd_ = !gzip_ && RawAvailable() >= 4 &&
          std::memcmp(raw_.get() + raw_begin_, kZstdMagic, sizeof kZstdMagic) == 0;
  if (zstd_) {
    zstd_ctx_ = ZSTD_createDCtx();
    if (zstd_ctx_ == nullptr) {
      *error = "cannot initialise zstd";
      Close();
      return false;
    }
  }
  return true;
}

void InputStream::Close() {
  if (zs_ready_) inflateEnd(zs_.get());
  zs_ready_ = false;
  zs_.reset();
  if (zstd_ctx_ != nullptr) ZSTD_freeDCtx(zstd_ctx_);
  zstd_ctx_ = nullptr;
  zstd_ = false;
  frame_open_ = false;
  if (fd_ >= 0 && own_fd_) ::close(fd_);
  fd_ = -1;
  own_fd_ = false;
  raw_eof_ = false;
  gzip_ = false;
  member_done_ = false;
  finished_ = false;
  raw_bytes_ = 0;
  content_bytes_ = 0;
  error_.clear();
  raw_begin_ = raw_end_ = 0;
  peek_.clear();
  peek_pos_ = 0;
}

bool InputStream::FillRaw() {
  if (raw_eof_ || fd_ < 0) return false;
  if (raw_begin_ == raw_end_) raw_begin_ = raw_end_ = 0;
  if (raw_end_ == kRawChunk) {
    std::memmove(raw_.get(), raw_.get() + raw_begin_, RawAvailable());
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  while (true) {
    const ssize_t n = ::read(fd_, raw_.get() + raw_end_, kRawChunk - raw_end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = std::strerror(errno);
      raw_eof_ = true;
      return false;
    }
    if (n == 0) {
      raw_eof_ = true;
      return false;
    }
    raw_end_ += static_cast<size_t>(n);
    raw_bytes_ += static_cast<uint64_t>(n);
    return true;
  }
}

std::string_view InputStream::PeekMore(size_t n) {
  if (peek_pos_ > 0) {
    peek_.erase(0, peek_pos_);
    peek_pos_ = 0;
  }
  if (peek_.size() < n) {
    const size_t have = peek_.size();
    peek_.resize(n);
    const size_t got = ReadContent(peek_.data() + have, n - have);
    peek_.resize(have + got);
  }
  return std::string_view(peek_).substr(0, std::min(n, peek_.size()));
}

std::string_view InputStream::Peek(size_t n) {
  std::string_view head = PeekMore(n);
  while (head.size() < n) {
    const std::string_view more = PeekMore(n);
    if (more.size() == head.size()) break;  // the end
    head = more;
  }
  return head;
}

size_t InputStream::Read(char* out, size_t n) {
  if (peek_pos_ < peek_.size()) {
    const size_t take = std::min(n, peek_.size() - peek_pos_);
    std::memcpy(out, peek_.data() + peek_pos_, take);
    peek_pos_ += take;
    content_bytes_ += take;
    return take;
  }
  const size_t got = ReadContent(out, n);
  content_bytes_ += got;
  return got;
}

size_t InputStream::ReadContent(char* out, size_t n) {
  if (fd_ < 0 || finished_ || n == 0) return 0;
  if (gzip_) return ReadInflated(out, n);
  if (zstd_) return ReadZstd(out, n);
  if (RawAvailable() > 0) {
    const size_t take = std::min(n, RawAvailable());
    std::memcpy(out, raw_.get() + raw_begin_, take);
    raw_begin_ += take;
    return take;
  }
  if (raw_eof_) return 0;
  // Plain content goes straight from the kernel to the caller's buffer.
  while (true) {
    const ssize_t got = ::read(fd_, out, n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error_ = std::strerror(errno);
      finished_ = true;
      return 0;
    }
    if (got == 0) raw_eof_ = true;
    raw_bytes_ += static_cast<uint64_t>(got);
    return static_cast<size_t>(got);
  }
}

size_t InputStream::ReadInflated(char* out, size_t n) {
  z_stream& zs = *zs_;
  while (true) {
    if (member_done_) {
      // Another member follows only if the next bytes are the gzip magic; anything else
      // (tar padding, zeros) is trailing garbage and ignored, as gzip(1) does.
      while (RawAvailable() < 2 && FillRaw()) {
      }
      if (RawAvailable() < 2 || static_cast<unsigned char>(raw_[raw_begin_]) != kGzipMagic0 ||
          static_cast<unsigned char>(raw_[raw_begin_ + 1]) != kGzipMagic1) {
        finished_ = true;
        return 0;
      }
      inflateReset(&zs);
      member_done_ = false;
    }
    if (RawAvailable() == 0 && !FillRaw()) {
      if (error_.empty()) error_ = "truncated gzip data";
      finished_ = true;
      return 0;
    }
    zs.next_in = reinterpret_cast<Bytef*>(raw_.get() + raw_begin_);
    zs.avail_in = static_cast<uInt>(RawAvailable());
    zs.next_out = reinterpret_cast<Bytef*>(out);
    zs.avail_out = static_cast<uInt>(std::min<size_t>(n, UINT32_MAX));
    const uInt out_before = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    raw_begin_ = raw_end_ - zs.avail_in;
    const size_t produced = out_before - zs.avail_out;
    if (rc == Z_STREAM_END) {
      member_done_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error_ = std::string("corrupt gzip data: ") + (zs.msg != nullptr ? zs.msg : "inflate failed");
      finished_ = true;
      return produced;
    }
    if (produced > 0) return produced;
  }
}

size_t InputStream::ReadZstd(char* out, size_t n) {
  while (true) {
    if (RawAvailable() == 0 && !FillRaw()) {
      // The input may end only between frames.
      if (error_.empty() && frame_open_) error_ = "truncated zstd data";
      finished_ = true;
      return 0;
    }
    ZSTD_inBuffer in{raw_.get() + raw_begin_, RawAvailable(), 0};
    ZSTD_outBuffer to{out, n, 0};
    // Decodes one frame after another: after a frame's end (0) the next call starts
    // the next frame.
    const size_t rc = ZSTD_decompressStream(zstd_ctx_, &to, &in);
    raw_begin_ += in.pos;
    if (ZSTD_isError(rc)) {
      error_ = std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc);
      finished_ = true;
      return to.pos;
    }
    // 0: the frame is complete and flushed; more input (another frame) may follow.
    frame_open_ = rc != 0;
    if (to.pos > 0) return to.pos;
  }
}

LineReader::LineReader(size_t max_line) : max_line_(max_line) {}

LineReader::~LineReader() = default;

void LineReader::Reset(InputStream* in) {
  in_ = in;
  begin_ = scan_ = end_ = 0;
  eof_ = false;
  skipping_ = false;
  line_number_ = 0;
  if (buf_ == nullptr) {
    capacity_ = kInitialLineBuffer;
    buf_.reset(new char[capacity_ + kLinePadding]);
  }
}

bool LineReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    scan_ -= begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    // One line fills the buffer: grow, up to what the longest allowed line needs.
    const size_t grown = std::max(capacity_ * 2, capacity_ + 1);
    std::unique_ptr<char[]> bigger(new char[grown + kLinePadding]);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    capacity_ = grown;
  }
  const size_t got = in_->Read(buf_.get() + end_, capacity_ - end_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

LineReader::Status LineReader::Next(std::string_view* line) {
  while (true) {
    const char* data = buf_.get();
    const void* nl = scan_ < end_ ? std::memchr(data + scan_, '\n', end_ - scan_) : nullptr;
    if (nl != nullptr) {
      const size_t stop = static_cast<size_t>(static_cast<const char*>(nl) - data);
      const size_t start = begin_;
      begin_ = scan_ = stop + 1;
      ++line_number_;
      if (skipping_ || stop - start > max_line_) {
        skipping_ = false;
        return Status::kTooLong;
      }
      size_t len = stop - start;
      if (len > 0 && data[start + len - 1] == '\r') --len;
      *line = std::string_view(data + start, len);
      return Status::kLine;
    }
    scan_ = end_;
    if (!skipping_ && end_ - begin_ > max_line_) skipping_ = true;
    // A line being skipped is not kept: its bytes are dropped as they arrive.
    if (skipping_) begin_ = scan_ = end_ = 0;
    if (Fill()) continue;
    if (!in_->error().empty()) return Status::kError;
    if (skipping_) {
      skipping_ = false;
      ++line_number_;
      return Status::kTooLong;
    }
    if (begin_ < end_) {
      ++line_number_;
      size_t len = end_ - begin_;
      if (buf_[begin_ + len - 1] == '\r') --len;
      *line = std::string_view(buf_.get() + begin_, len);
      begin_ = scan_ = end_;
      return Status::kLine;
    }
    return Status::kEnd;
  }
}

}  // namespace sitrep
