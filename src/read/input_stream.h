// Byte streams for the reader: a file or stdin, inflated on the fly when it starts
// with the gzip magic (any number of members) or the zstd magic (any number of frames,
// skippable frames included), and a line splitter on top that keeps memory flat however
// large the input is.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct z_stream_s;
struct ZSTD_DCtx_s;

namespace sitrep {

class InputStream {
 public:
  InputStream();
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Opens path; "-" reads standard input. On failure returns false with *error set to
  // the reason (no path in it).
  bool Open(const std::string& path, std::string* error);
  void Close();
  bool is_open() const { return fd_ >= 0; }

  // Reads up to n bytes of content (inflated when gzip'd or zstd'd). Returns 0 at the end, and
  // also on an error, which error() then describes.
  size_t Read(char* out, size_t n);
  // Looks at up to n bytes of content without consuming them; shorter at the end.
  std::string_view Peek(size_t n);
  // Like Peek, but reads at most once more: on a pipe, what has arrived so far (at least
  // one byte unless at the end). Call again to see more; the view is the whole head.
  std::string_view PeekMore(size_t n);

  bool gzip() const { return gzip_; }
  bool zstd() const { return zstd_; }
  bool compressed() const { return gzip_ || zstd_; }
  // ".gz", ".zst" or "": what Origin::format adds to the format's name.
  const char* compression_suffix() const { return gzip_ ? ".gz" : zstd_ ? ".zst" : ""; }
  uint64_t raw_bytes() const { return raw_bytes_; }          // read from the file so far
  uint64_t content_bytes() const { return content_bytes_; }  // handed out by Read so far
  const std::string& error() const { return error_; }

 private:
  size_t ReadContent(char* out, size_t n);
  size_t ReadInflated(char* out, size_t n);
  size_t ReadZstd(char* out, size_t n);
  // Reads more raw bytes into the raw buffer; false at the end or on an error.
  bool FillRaw();
  size_t RawAvailable() const { return raw_end_ - raw_begin_; }

  int fd_ = -1;
  bool own_fd_ = false;
  bool raw_eof_ = false;
  bool gzip_ = false;
  bool zstd_ = false;
  bool frame_open_ = false;  // a zstd frame has begun and not ended
  bool member_done_ = false;  // the current gzip member ended; another may follow
  bool finished_ = false;     // no more content (end or error)
  uint64_t raw_bytes_ = 0;
  uint64_t content_bytes_ = 0;
  std::string error_;
  std::unique_ptr<char[]> raw_;
  size_t raw_begin_ = 0;
  size_t raw_end_ = 0;
  std::unique_ptr<z_stream_s> zs_;
  bool zs_ready_ = false;
  ZSTD_DCtx_s* zstd_ctx_ = nullptr;
  std::string peek_;
  size_t peek_pos_ = 0;
};

// Splits an InputStream into lines, "\n" or "\r\n" terminated, the last one possibly
// unterminated. Each line returned is followed in memory by at least kLinePadding
// readable bytes, so simdjson can parse it in place.
class LineReader {
 public:
  static constexpr size_t kLinePadding = 64;

  enum class Status : uint8_t {
    kLine,     // *line is the next line
    kTooLong,  // the next line was longer than max_line bytes and has been skipped
    kEnd,      // no more lines
    kError,    // the stream failed; see InputStream::error()
  };

  explicit LineReader(size_t max_line);
  ~LineReader();

  void Reset(InputStream* in);
  Status Next(std::string_view* line);
  // 1-based number of the line Next last returned (or skipped).
  uint64_t line_number() const { return line_number_; }

 private:
  // Makes room for and reads more content; false when there is none.
  bool Fill();

  size_t max_line_;
  InputStream* in_ = nullptr;
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;  // usable bytes; kLinePadding more are allocated
  size_t begin_ = 0;     // start of the unreturned data
  size_t scan_ = 0;      // where the search for '\n' resumes
  size_t end_ = 0;       // end of the data
  bool eof_ = false;
  bool skipping_ = false;  // discarding a line that is too long
  uint64_t line_number_ = 0;
};

}  // namespace sitrep
