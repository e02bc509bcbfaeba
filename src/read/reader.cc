#include "read/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "read/decode.h"
#include "read/format.h"
#include "read/html_text.h"
#include "read/input_stream.h"
#include "read/input_walk.h"
#include "read/jsonl_record.h"
#include "read/warc.h"

namespace sitrep {
namespace {

static_assert(LineReader::kLinePadding >= simdjson::SIMDJSON_PADDING,
              "JSONL lines are parsed in place and need simdjson's padding");

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr size_t kDefaultReadSize = 64 << 10;
// How much of a WARC response block is read to find the end of its HTTP head.
constexpr size_t kHttpHeadStep = 8 << 10;
constexpr size_t kMaxHttpHead = 64 << 10;

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

// Clears every field for the next document but keeps the text buffer's capacity.
// Rebuilt in place: assigning a fresh temporary costs a second construction and a
// member-wise move, a tenth of the JSONL read time.
void ResetDocument(Document* doc) {
  std::string text = std::move(doc->text);
  std::destroy_at(doc);
  std::construct_at(doc);
  text.clear();
  doc->text = std::move(text);
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != Lower(prefix[i])) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

void ReportToStderr(const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); }

// Decodes a text or HTML document's bytes into doc (text, meta fields, encoding).
// charset is what the transport declares (an HTTP Content-Type's charset), which beats
// a page's own <meta>; "" for none. scratch is a reusable buffer. Returns "" or the
// reason the document is rejected.
std::string BuildDocument(std::string_view raw, Format format, std::string_view charset,
                          HtmlExtractor* html, std::string* scratch, HtmlContent* content,
                          Document* doc) {
  DecodeInfo info;
  if (format == Format::kHtml) {
    DecodeToUtf8(raw, charset.empty() ? DeclaredCharset(raw) : std::string(charset), scratch,
                 &info);
    if (!html->Extract(*scratch, content)) return "unparsable HTML";
    doc->text.swap(content->text);
    doc->meta_title = std::move(content->title);
    doc->meta_published = content->published;
    doc->url = std::move(content->url);
  } else {
    DecodeToUtf8(raw, charset, &doc->text, &info);
  }
  doc->invalid_bytes = info.invalid_bytes;
  doc->encoding = std::move(info.encoding);
  if (IsBlank(doc->text)) return "empty document";
  return "";
}

std::string TooLarge(uint64_t limit) {
  return "document larger than " + std::to_string(limit) + " bytes, skipped";
}

}  // namespace

class DocumentReader::Impl {
 public:
  Impl(std::vector<std::string> inputs, ReadOptions options)
      : options_(options),
        lines_(static_cast<size_t>(options.max_document_bytes)),
        handler_(ReportToStderr) {
    WalkOptions walk;
    walk.follow_symlinks = options_.follow_symlinks;
    walk.include_hidden = options_.include_hidden;
    WalkResult result = ExpandInputs(inputs, walk);
    entries_ = std::move(result.entries);
    stats_.skipped += result.skipped;
    total_bytes_ = result.total_bytes;
  }

  bool Next(Document* doc) {
    const bool got = NextDocument(doc);
    stats_.bytes = content_done_ + (stream_.is_open() ? stream_.content_bytes() : 0);
    if (got) ++stats_.documents;
    return got;
  }

  void SetErrorHandler(std::function<void(const std::string&)> handler) {
    handler_ = handler ? std::move(handler) : ReportToStderr;
  }

  uint64_t bytes_consumed() const {
    return consumed_done_ + (stream_.is_open() ? stream_.raw_bytes() : 0);
  }

  uint64_t total_bytes() const { return total_bytes_; }

  const ReadStats& stats() const { return stats_; }

 private:
  bool NextDocument(Document* doc) {
    while (true) {
      if (in_jsonl_) {
        if (NextJsonl(doc)) return true;
        continue;
      }
      if (in_warc_) {
        if (NextWarc(doc)) return true;
        continue;
      }
      if (next_entry_ >= entries_.size()) return false;
      current_ = &entries_[next_entry_++];
      if (current_->kind == InputEntry::Kind::kError) {
        Report(current_->path);
        continue;
      }
      if (StartFile(doc)) return true;
    }
  }

  void Report(const std::string& message) {
    ++stats_.errors;
    handler_(message);
  }

  void ReportFile(const std::string& reason) { Report(current_->display + ": " + reason); }

  void ReportLine(uint64_t line, const std::string& reason) {
    Report(current_->display + ":" + std::to_string(line) + ": " + reason);
  }

  void FinishFile() {
    consumed_done_ += current_->size_known ? current_->size : stream_.raw_bytes();
    content_done_ += stream_.content_bytes();
    stream_.Close();
    in_jsonl_ = false;
    in_warc_ = false;
  }

  std::string FormatName(Format format) const {
    std::string name(sitrep::FormatName(format));
    name += stream_.compression_suffix();
    return name;
  }

  // Opens the current entry. Returns true when it was a single document, now in *doc;
  // for JSON Lines and WARC it only sets up the line or record reader.
  // Enough of the content's head to sniff its format, without waiting for more than it
  // takes: a pipe that has sent one short JSON line is JSON Lines now, not after 4 KB.
  std::string_view SniffHead() {
    std::string_view head = stream_.PeekMore(kSniffBytes);
    while (head.size() < kSniffBytes) {
      size_t i = 0;
      if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
      while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
      // '{' is JSON Lines; "WARC/1." is WARC; anything else needs the head's tags.
      if (i < head.size() && head[i] == '{') break;
      if (head.substr(i).starts_with("WARC/1.")) break;
      const std::string_view more = stream_.PeekMore(kSniffBytes);
      if (more.size() == head.size()) break;  // the end
      head = more;
    }
    return head;
  }

  bool StartFile(Document* doc) {
    std::string error;
    if (!stream_.Open(current_->path, &error)) {
      ReportFile(error);
      consumed_done_ += current_->size_known ? current_->size : 0;
      return false;
    }
    ++stats_.files;
    const uint64_t limit = options_.max_document_bytes;
    Format format = current_->format;
    if (format == Format::kUnknown) format = SniffFormat(SniffHead());

    if (format == Format::kJsonl) {
      lines_.Reset(&stream_);
      in_jsonl_ = true;
      jsonl_stem_ = DocIdFromName(current_->display);
      jsonl_format_ = FormatName(format);
      return false;
    }

    if (format == Format::kWarc) {
      warc_.Reset(&stream_);
      in_warc_ = true;
      warc_stem_ = DocIdFromName(current_->display);
      warc_format_ = FormatName(format);
      return false;
    }

    if (!stream_.compressed() && current_->size_known && current_->size > limit) {
      ReportFile(TooLarge(limit));
      FinishFile();
      return false;
    }
    bool too_large = false;
    ReadAll(limit, &too_large);
    if (too_large) {
      ReportFile(TooLarge(limit));
      FinishFile();
      return false;
    }
    if (!stream_.error().empty()) {
      ReportFile(stream_.error());
      FinishFile();
      return false;
    }
    ResetDocument(doc);
    const std::string reason =
        BuildDocument(raw_, format, "", &html_, &scratch_, &html_content_, doc);
    const std::string format_name = FormatName(format);
    FinishFile();
    if (!reason.empty()) {
      ReportFile(reason);
      return false;
    }
    doc->doc_id = current_->kind == InputEntry::Kind::kStdin ? "stdin"
                                                              : DocIdFromName(current_->display);
    doc->origin.path = current_->display;
    doc->origin.line = 0;
    doc->origin.format = format_name;
    return true;
  }

  // Reads the whole stream into raw_, stopping as soon as it exceeds limit.
  void ReadAll(uint64_t limit, bool* too_large) {
    const size_t cap = static_cast<size_t>(limit) + 1;
    size_t want = current_->size_known && !stream_.compressed()
                      ? static_cast<size_t>(current_->size) + 1
                      : kDefaultReadSize;
    raw_.resize(std::min(want, cap));
    size_t len = 0;
    while (true) {
      if (len == raw_.size()) {
        if (len >= cap) break;
        raw_.resize(std::min(cap, raw_.size() * 2));
      }
      const size_t got = stream_.Read(raw_.data() + len, raw_.size() - len);
      if (got == 0) break;
      len += got;
    }
    *too_large = len > limit;
    raw_.resize(len);
  }

  // The next document of the current JSON Lines stream; false at its end.
  bool NextJsonl(Document* doc) {
    std::string_view line;
    while (true) {
      switch (lines_.Next(&line)) {
        case LineReader::Status::kEnd:
          FinishFile();
          return false;
        case LineReader::Status::kError:
          ReportLine(lines_.line_number() + 1, stream_.error());
          FinishFile();
          return false;
        case LineReader::Status::kTooLong:
          ReportLine(lines_.line_number(), TooLarge(options_.max_document_bytes));
          continue;
        case LineReader::Status::kLine:
          break;
      }
      const uint64_t number = lines_.line_number();
      if (number == 1 && line.starts_with(kUtf8Bom)) line.remove_prefix(kUtf8Bom.size());
      if (IsBlank(line)) continue;
      ResetDocument(doc);
      std::string reason;
      if (!jsonl_.Parse(line, LineReader::kLinePadding, doc, &reason)) {
        ReportLine(number, reason);
        continue;
      }
      if (IsBlank(doc->text)) {
        ReportLine(number, "empty document");
        continue;
      }
      if (doc->doc_id.empty()) doc->doc_id = jsonl_stem_ + "-" + std::to_string(number);
      doc->origin.path = current_->display;
      doc->origin.line = number;
      doc->origin.format = jsonl_format_;
      return true;
    }
  }

  void ReportRecord(const WarcHeader& header, const std::string& reason) {
    ReportFile("record " + std::to_string(header.number) + " at offset " +
               std::to_string(header.offset) + ": " + reason);
  }

  // The next document of the current WARC stream; false at its end (or at a record
  // that ends the walk: truncated, malformed). See warc.h for what becomes a document.
  bool NextWarc(Document* doc) {
    const uint64_t limit = options_.max_document_bytes;
    WarcHeader header;
    while (true) {
      switch (warc_.Next(&header)) {
        case WarcReader::Status::kEnd:
          FinishFile();
          return false;
        case WarcReader::Status::kError:
          ReportFile(warc_.error());
          FinishFile();
          return false;
        case WarcReader::Status::kRecord:
          break;
      }
      if (!EqualsNoCase(header.type, "response") ||
          (!header.content_type.empty() && !StartsWithNoCase(header.content_type, "application/http"))) {
        ++stats_.skipped;  // warcinfo, request, metadata, revisit, dns: responses ...
        continue;
      }
      // The HTTP head: read until its blank line (a body is read along with it).
      raw_.clear();
      size_t head_len = 0;
      while ((head_len = HttpHeadLength(raw_)) == 0 && warc_.block_remaining() > 0 &&
             raw_.size() < kMaxHttpHead) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(kHttpHeadStep, warc_.block_remaining()));
        if (warc_.ReadBlock(want, &raw_) < want) {
          ReportFile(warc_.error());
          FinishFile();
          return false;
        }
      }
      if (head_len == 0) {
        if (warc_.block_remaining() > 0) {
          ReportRecord(header, "HTTP head longer than " + std::to_string(kMaxHttpHead) + " bytes");
          continue;
        }
        head_len = raw_.size();  // a head and no body
      }
      HttpHead http;
      std::string reason;
      if (!ParseHttpHead(std::string_view(raw_).substr(0, head_len), &http, &reason)) {
        ReportRecord(header, reason);
        continue;
      }
      // Pages only: 2xx with content (not 204 No Content, not 206 a part of one).
      if (http.status < 200 || http.status > 299 || http.status == 204 || http.status == 206) {
        ++stats_.skipped;
        continue;
      }
      Format format = Format::kUnknown;  // no Content-Type: sniffed below
      if (http.has_content_type) {
        if (http.media_type == "text/html" || http.media_type == "application/xhtml+xml") {
          format = Format::kHtml;
        } else if (http.media_type == "text/plain") {
          format = Format::kText;
        } else {
          ++stats_.skipped;  // images, PDFs, scripts, feeds ...
          continue;
        }
      }
      if (header.content_length - head_len > limit) {
        ReportRecord(header, TooLarge(limit));
        continue;
      }
      const size_t rest = static_cast<size_t>(warc_.block_remaining());
      if (warc_.ReadBlock(rest, &raw_) < rest) {
        ReportFile(warc_.error());
        FinishFile();
        return false;
      }
      std::string_view body = std::string_view(raw_).substr(head_len);
      if (!http.transfer_encoding.empty() && http.transfer_encoding != "identity") {
        if (http.transfer_encoding != "chunked") {
          ReportRecord(header, "Transfer-Encoding '" + http.transfer_encoding + "' not supported");
          continue;
        }
        if (!Dechunk(body, &dechunked_, &reason)) {
          ReportRecord(header, reason);
          continue;
        }
        body = dechunked_;
      }
      if (!http.content_encoding.empty() && http.content_encoding != "identity") {
        bool too_large = false;
        if (!DecodeContentEncoding(http.content_encoding, body, limit, &decoded_, &reason,
                                   &too_large)) {
          ReportRecord(header, too_large ? TooLarge(limit) : reason);
          continue;
        }
        body = decoded_;
      }
      if (format == Format::kUnknown) {
        if (SniffFormat(body.substr(0, kSniffBytes)) != Format::kHtml) {
          ++stats_.skipped;
          continue;
        }
        format = Format::kHtml;
      }
      ResetDocument(doc);
      reason = BuildDocument(body, format, http.charset, &html_, &scratch_, &html_content_, doc);
      if (!reason.empty()) {
        ReportRecord(header, reason);
        continue;
      }
      doc->doc_id = WarcDocId(header.record_id);
      if (doc->doc_id.empty()) doc->doc_id = warc_stem_ + "-" + std::to_string(header.number);
      if (!header.target_uri.empty()) doc->url = header.target_uri;
      // The page's own date first; else the day it was fetched.
      if (!doc->meta_published) doc->meta_published = WarcDay(header.date);
      doc->origin.path = current_->display;
      doc->origin.line = 0;
      doc->origin.format = warc_format_;
      return true;
    }
  }

  ReadOptions options_;
  std::vector<InputEntry> entries_;
  size_t next_entry_ = 0;
  const InputEntry* current_ = nullptr;

  InputStream stream_;
  LineReader lines_;
  JsonlRecordParser jsonl_;
  HtmlExtractor html_;
  bool in_jsonl_ = false;
  std::string jsonl_stem_;
  std::string jsonl_format_;
  WarcReader warc_;
  bool in_warc_ = false;
  std::string warc_stem_;
  std::string warc_format_;

  // Reused between documents.
  std::string raw_;
  std::string scratch_;
  std::string dechunked_;
  std::string decoded_;
  HtmlContent html_content_;

  uint64_t total_bytes_ = 0;
  uint64_t consumed_done_ = 0;
  uint64_t content_done_ = 0;
  ReadStats stats_;
  std::function<void(const std::string&)> handler_;
};

DocumentReader::DocumentReader(std::vector<std::string> inputs, ReadOptions options)
    : impl_(std::make_unique<Impl>(std::move(inputs), options)) {}

DocumentReader::~DocumentReader() = default;
DocumentReader::DocumentReader(DocumentReader&&) noexcept = default;
DocumentReader& DocumentReader::operator=(DocumentReader&&) noexcept = default;

bool DocumentReader::Next(Document* doc) { return impl_->Next(doc); }

void DocumentReader::SetErrorHandler(std::function<void(const std::string& message)> handler) {
  impl_->SetErrorHandler(std::move(handler));
}

uint64_t DocumentReader::bytes_consumed() const { return impl_->bytes_consumed(); }

uint64_t DocumentReader::total_bytes() const { return impl_->total_bytes(); }

const ReadStats& DocumentReader::stats() const { return impl_->stats(); }

Result ReadDocumentFromMemory(std::string_view content, std::string_view name, Document* doc) {
  Format format = FormatFromName(name);
  if (format == Format::kUnknown) format = SniffFormat(content.substr(0, kSniffBytes));
  if (format == Format::kJsonl) {
    return Result::Error(std::string(name) + ": JSON Lines need DocumentReader");
  }
  if (format == Format::kWarc) return Result::Error(std::string(name) + ": WARC needs DocumentReader");
  ResetDocument(doc);
  HtmlExtractor html;
  std::string scratch;
  HtmlContent html_content;
  const std::string reason =
      BuildDocument(content, format, "", &html, &scratch, &html_content, doc);
  if (!reason.empty()) return Result::Error(std::string(name) + ": " + reason);
  doc->doc_id = DocIdFromName(name);
  doc->origin.path = std::string(name);
  doc->origin.format = std::string(FormatName(format));
  return Result::Ok();
}

}  // namespace sitrep
