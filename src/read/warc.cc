#include "read/warc.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace sitrep {
namespace {

constexpr size_t kChunk = 64 << 10;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A decimal Content-Length: digits only, no sign, no overflow.
bool ParseLength(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// Grows *out by up to `room` bytes for a decompressor to write into; returns where.
char* Grow(std::string* out, size_t room) {
  const size_t have = out->size();
  out->resize(have + room);
  return out->data() + have;
}

bool Inflate(std::string_view body, int window_bits, uint64_t limit, std::string* out,
             std::string* reason, bool* too_large) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) {
    *reason = "cannot initialise zlib";
    return false;
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  out->clear();
  while (true) {
    const size_t room = kChunk;
    char* to = Grow(out, room);
    zs.next_out = reinterpret_cast<Bytef*>(to);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(out->size() - zs.avail_out);
    if (out->size() > limit) {
      *too_large = true;
      return false;
    }
    if (rc == Z_STREAM_END) {
      // gzip allows several members; anything else after the end is ignored.
      if (zs.avail_in >= 2 && zs.next_in[0] == 0x1F && zs.next_in[1] == 0x8B) {
        inflateReset(&zs);
        continue;
      }
      return true;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      *reason = "truncated compressed body";
      return false;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      *reason = std::string("corrupt compressed body: ") + (zs.msg != nullptr ? zs.msg : "inflate failed");
      return false;
    }
  }
}

bool Unzstd(std::string_view body, uint64_t limit, std::string* out, std::string* reason,
            bool* too_large) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (ctx == nullptr) {
    *reason = "cannot initialise zstd";
    return false;
  }
  ZSTD_inBuffer in{body.data(), body.size(), 0};
  out->clear();
  while (true) {
    const size_t room = kChunk;
    char* to = Grow(out, room);
    ZSTD_outBuffer buf{to, room, 0};
    const size_t rc = ZSTD_decompressStream(ctx.get(), &buf, &in);
    out->resize(out->size() - room + buf.pos);
    if (ZSTD_isError(rc)) {
      *reason = std::string("corrupt compressed body: ") + ZSTD_getErrorName(rc);
      return false;
    }
    if (out->size() > limit) {
      *too_large = true;
      return false;
    }
    // 0: a frame ended and all of it was written out; another frame may follow.
    if (in.pos == in.size && rc == 0) return true;
    // All input taken, room left, the frame not ended: it stops short.
    if (in.pos == in.size && buf.pos < room) {
      *reason = "truncated compressed body";
      return false;
    }
  }
}

}  // namespace

// --- WarcReader -----------------------------------------------------------------

WarcReader::WarcReader(size_t max_header) : max_header_(max_header) {}

void WarcReader::Reset(InputStream* in) {
  in_ = in;
  buf_.clear();
  pos_ = 0;
  consumed_ = 0;
  remaining_ = 0;
  number_ = 0;
  record_offset_ = 0;
  record_length_ = 0;
  in_record_ = false;
  error_.clear();
}

bool WarcReader::Fill() {
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const size_t have = buf_.size();
  buf_.resize(have + kChunk);
  const size_t got = in_->Read(buf_.data() + have, kChunk);
  buf_.resize(have + got);
  return got > 0;
}

void WarcReader::Fail(uint64_t number, uint64_t offset, const std::string& reason) {
  error_ = "record " + std::to_string(number) + " at offset " + std::to_string(offset) + ": " +
           reason;
}

// The next line without its terminator ("\n" or "\r\n"); false when the data ends
// first or the line is longer than limit (then nothing is consumed).
bool WarcReader::NextLine(std::string_view* line, size_t limit) {
  size_t scan = pos_;
  while (true) {
    const size_t nl = buf_.find('\n', scan);
    if (nl != std::string::npos) {
      if (nl - pos_ > limit) return false;
      size_t len = nl - pos_;
      if (len > 0 && buf_[pos_ + len - 1] == '\r') --len;
      *line = std::string_view(buf_).substr(pos_, len);
      consumed_ += nl + 1 - pos_;
      pos_ = nl + 1;
      return true;
    }
    if (buf_.size() - pos_ > limit) return false;
    scan = buf_.size() - pos_;  // relative: Fill moves the data to the front
    if (!Fill()) return false;
    scan += pos_;
  }
}

bool WarcReader::Discard(uint64_t n) {
  while (n > 0) {
    if (pos_ == buf_.size() && !Fill()) return false;
    const size_t take = static_cast<size_t>(std::min<uint64_t>(n, buf_.size() - pos_));
    pos_ += take;
    consumed_ += take;
    remaining_ -= take;
    n -= take;
  }
  return true;
}

size_t WarcReader::ReadBlock(size_t n, std::string* out) {
  const size_t want = static_cast<size_t>(std::min<uint64_t>(n, remaining_));
  size_t done = std::min(want, buf_.size() - pos_);
  out->append(buf_, pos_, done);
  pos_ += done;
  while (done < want) {
    const size_t have = out->size();
    out->resize(have + (want - done));
    const size_t got = in_->Read(out->data() + have, want - done);
    out->resize(have + got);
    if (got == 0) break;
    done += got;
  }
  consumed_ += done;
  remaining_ -= done;
  if (done < want) {
    Fail(number_, record_offset_,
         !in_->error().empty()
             ? in_->error()
             : "truncated: its block has " + std::to_string(record_length_ - remaining_) +
                   " of " + std::to_string(record_length_) + " bytes");
  }
  return done;
}

WarcReader::Status WarcReader::Next(WarcHeader* header) {
  if (!error_.empty()) return Status::kError;
  if (in_record_) {
    in_record_ = false;
    if (!Discard(remaining_)) {
      Fail(number_, record_offset_,
           !in_->error().empty()
               ? in_->error()
               : "truncated: its block has " + std::to_string(record_length_ - remaining_) +
                     " of " + std::to_string(record_length_) + " bytes");
      return Status::kError;
    }
  }
  // The block is followed by two CRLFs; any number of line ends is let through.
  while (true) {
    while (pos_ < buf_.size() && (buf_[pos_] == '\r' || buf_[pos_] == '\n')) {
      ++pos_;
      ++consumed_;
    }
    if (pos_ < buf_.size()) break;
    if (!Fill()) {
      if (!in_->error().empty()) {
        Fail(number_ + 1, consumed_, in_->error());
        return Status::kError;
      }
      return Status::kEnd;
    }
  }

  ++number_;
  record_offset_ = consumed_;
  *header = WarcHeader();
  header->number = number_;
  header->offset = record_offset_;
  const uint64_t start = consumed_;
  auto incomplete = [&]() {
    if (!in_->error().empty()) {
      Fail(number_, record_offset_, in_->error());
    } else if (consumed_ - start + (buf_.size() - pos_) > max_header_) {
      Fail(number_, record_offset_,
           "record header longer than " + std::to_string(max_header_) + " bytes");
    } else {
      Fail(number_, record_offset_, "truncated in its header");
    }
    return Status::kError;
  };
  std::string_view line;
  if (!NextLine(&line, max_header_)) return incomplete();
  if (!line.starts_with("WARC/")) {
    Fail(number_, record_offset_,
         "no \"WARC/\" version line where a record should start (a wrong Content-Length "
         "before it?)");
    return Status::kError;
  }
  header->version = std::string(Trim(line));
  bool have_length = false;
  std::string* last = nullptr;  // the value a continuation line extends
  while (true) {
    const uint64_t used = consumed_ - start;
    if (used > max_header_ || !NextLine(&line, max_header_ - used)) return incomplete();
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (last != nullptr) *last += " " + std::string(Trim(line));
      continue;
    }
    last = nullptr;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      Fail(number_, record_offset_, "malformed header line (no ':')");
      return Status::kError;
    }
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsNoCase(name, "Content-Length")) {
      if (!ParseLength(value, &header->content_length)) {
        Fail(number_, record_offset_, "bad Content-Length '" + std::string(value) + "'");
        return Status::kError;
      }
      have_length = true;
    } else if (EqualsNoCase(name, "WARC-Type")) {
      last = &header->type;
    } else if (EqualsNoCase(name, "WARC-Target-URI")) {
      last = &header->target_uri;
    } else if (EqualsNoCase(name, "WARC-Date")) {
      last = &header->date;
    } else if (EqualsNoCase(name, "WARC-Record-ID")) {
      last = &header->record_id;
    } else if (EqualsNoCase(name, "Content-Type")) {
      last = &header->content_type;
    }
    if (last != nullptr) last->assign(value);
  }
  if (!have_length) {
    Fail(number_, record_offset_, "no Content-Length");
    return Status::kError;
  }
  // WARC/1.0 wrote the URI in angle brackets; 1.1 does not.
  std::string& uri = header->target_uri;
  if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>') uri = uri.substr(1, uri.size() - 2);
  remaining_ = record_length_ = header->content_length;
  in_record_ = true;
  return Status::kRecord;
}

// --- HTTP -----------------------------------------------------------------------

size_t HttpHeadLength(std::string_view data) {
  size_t pos = 0;
  while (true) {
    const size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) return 0;
    // The line from pos to nl: empty (or "\r") ends the head, except the status line.
    if (pos > 0 && (nl == pos || (nl == pos + 1 && data[pos] == '\r'))) return nl + 1;
    pos = nl + 1;
  }
}

bool ParseHttpHead(std::string_view head, HttpHead* out, std::string* reason) {
  *out = HttpHead();
  size_t nl = head.find('\n');
  std::string_view status_line = Trim(head.substr(0, nl));
  // "HTTP/1.1 200 OK", "HTTP/2 200"
  const size_t space = status_line.find(' ');
  if (!status_line.starts_with("HTTP/") || space == std::string_view::npos ||
      status_line.size() < space + 4) {
    *reason = "no HTTP status line";
    return false;
  }
  int status = 0;
  for (size_t i = space + 1; i < space + 4; ++i) {
    const char c = status_line[i];
    if (c < '0' || c > '9') {
      *reason = "no HTTP status line";
      return false;
    }
    status = status * 10 + (c - '0');
  }
  out->status = status;
  while (nl != std::string_view::npos) {
    const size_t begin = nl + 1;
    nl = head.find('\n', begin);
    const std::string_view line = Trim(head.substr(begin, nl == std::string_view::npos ? nl : nl - begin));
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsNoCase(name, "Content-Type") && !out->has_content_type) {
      out->has_content_type = true;
      const size_t semi = value.find(';');
      out->media_type = ToLower(Trim(value.substr(0, semi)));
      if (semi == std::string_view::npos) continue;
      const std::string params = ToLower(value.substr(semi));
      const size_t at = params.find("charset=");
      if (at == std::string::npos) continue;
      std::string_view cs = std::string_view(params).substr(at + 8);
      cs = cs.substr(0, cs.find(';'));
      cs = Trim(cs);
      if (cs.size() >= 2 && (cs.front() == '"' || cs.front() == '\'')) {
        cs = cs.substr(1, cs.size() - 2);
      }
      out->charset = std::string(Trim(cs));
    } else if (EqualsNoCase(name, "Content-Encoding")) {
      out->content_encoding = ToLower(value);
    } else if (EqualsNoCase(name, "Transfer-Encoding")) {
      out->transfer_encoding = ToLower(value);
    }
  }
  return true;
}

bool Dechunk(std::string_view body, std::string* out, std::string* reason) {
  out->clear();
  size_t pos = 0;
  while (true) {
    // A body that stops right after a chunk, without the last (zero) chunk, is kept.
    if (pos == body.size()) return true;
    const size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) {
      *reason = "incomplete chunked body";
      return false;
    }
    std::string_view size_text = Trim(body.substr(pos, nl - pos));
    size_text = Trim(size_text.substr(0, size_text.find(';')));
    if (size_text.empty() || size_text.size() > 15) {
      *reason = "malformed chunked body";
      return false;
    }
    uint64_t size = 0;
    for (char c : size_text) {
      const char l = Lower(c);
      int digit = 0;
      if (l >= '0' && l <= '9') {
        digit = l - '0';
      } else if (l >= 'a' && l <= 'f') {
        digit = l - 'a' + 10;
      } else {
        *reason = "malformed chunked body";
        return false;
      }
      size = size * 16 + static_cast<uint64_t>(digit);
    }
    pos = nl + 1;
    if (size == 0) return true;  // trailers, if any, are not needed
    if (size > body.size() - pos) {
      *reason = "incomplete chunked body";
      return false;
    }
    out->append(body.substr(pos, static_cast<size_t>(size)));
    pos += static_cast<size_t>(size);
    if (body.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (body.substr(pos, 1) == "\n") {
      pos += 1;
    } else if (pos != body.size()) {
      *reason = "malformed chunked body";
      return false;
    }
  }
}

bool DecodeContentEncoding(std::string_view coding, std::string_view body, uint64_t limit,
                           std::string* out, std::string* reason, bool* too_large) {
  *too_large = false;
  if (coding.empty() || coding == "identity") {
    if (body.size() > limit) {
      *too_large = true;
      return false;
    }
    out->assign(body);
    return true;
  }
  constexpr int kGzipOrZlib = 15 + 32;
  constexpr int kZlib = 15;
  constexpr int kRawDeflate = -15;
  if (coding == "gzip" || coding == "x-gzip") {
    return Inflate(body, kGzipOrZlib, limit, out, reason, too_large);
  }
  if (coding == "deflate") {
    // The standard says zlib; some servers send raw deflate.
    if (Inflate(body, kZlib, limit, out, reason, too_large) || *too_large) return !*too_large;
    reason->clear();
    return Inflate(body, kRawDeflate, limit, out, reason, too_large);
  }
  if (coding == "zstd") return Unzstd(body, limit, out, reason, too_large);
  *reason = "Content-Encoding '" + std::string(coding) + "' not supported";
  return false;
}

std::string WarcDocId(std::string_view record_id) {
  record_id = Trim(record_id);
  if (record_id.size() >= 2 && record_id.front() == '<' && record_id.back() == '>') {
    record_id = record_id.substr(1, record_id.size() - 2);
  }
  constexpr std::string_view kUuid = "urn:uuid:";
  if (record_id.size() > kUuid.size() && EqualsNoCase(record_id.substr(0, kUuid.size()), kUuid)) {
    record_id.remove_prefix(kUuid.size());
  }
  return std::string(record_id);
}

std::optional<CivilDate> WarcDay(std::string_view warc_date) {
  return ParseIsoDate(Trim(warc_date));
}

}  // namespace sitrep
