#include "read/jsonl_record.h"

#include <simdjson.h>

#include <charconv>

#include "read/decode.h"

namespace sitrep {

class JsonlRecordParser::Impl {
 public:
  bool Parse(std::string_view line, size_t padding, Document* doc, std::string* reason) {
    simdjson::dom::element root;
    simdjson::error_code error =
        padding >= simdjson::SIMDJSON_PADDING
            ? parser_.parse(line.data(), line.size(), false).get(root)
            : parser_.parse(line.data(), line.size(), true).get(root);
    if (error == simdjson::UTF8_ERROR) {
      // Rare: repair the line as a whole; the JSON syntax is ASCII and survives.
      DecodeInfo info;
      DecodeToUtf8(line, "", &repaired_, &info);
      doc->invalid_bytes = info.invalid_bytes;
      doc->encoding = info.encoding;
      error = parser_.parse(repaired_).get(root);
    }
    if (error != simdjson::SUCCESS) {
      *reason = std::string("invalid JSON: ") + simdjson::error_message(error);
      return false;
    }
    simdjson::dom::object object;
    if (root.get(object) != simdjson::SUCCESS) {
      *reason = "not a JSON object";
      return false;
    }

    simdjson::dom::element text;
    if (object["text"].get(text) != simdjson::SUCCESS) {
      *reason = "no \"text\" field";
      return false;
    }
    std::string_view text_value;
    if (text.get(text_value) != simdjson::SUCCESS) {
      *reason = "\"text\" is not a string";
      return false;
    }

    simdjson::dom::element id;
    if (object["id"].get(id) == simdjson::SUCCESS && !SetId(id, &doc->doc_id)) {
      *reason = "\"id\" is not a string or a number";
      return false;
    }

    doc->text.assign(text_value);
    std::string_view value;
    if (object["title"].get(value) == simdjson::SUCCESS && !value.empty()) {
      doc->meta_title = std::string(value);
    }
    for (const char* key : {"published", "date"}) {
      if (doc->meta_published) break;
      if (object[key].get(value) == simdjson::SUCCESS) doc->meta_published = ParseMetadataDate(value);
    }
    if (object["url"].get(value) == simdjson::SUCCESS) doc->url.assign(value);
    return true;
  }

 private:
  // A string id as it is; a number as written in canonical form; null as no id.
  static bool SetId(simdjson::dom::element id, std::string* out) {
    std::string_view s;
    if (id.get(s) == simdjson::SUCCESS) {
      out->assign(s);
      return true;
    }
    int64_t i = 0;
    if (id.get(i) == simdjson::SUCCESS) {
      *out = std::to_string(i);
      return true;
    }
    uint64_t u = 0;
    if (id.get(u) == simdjson::SUCCESS) {
      *out = std::to_string(u);
      return true;
    }
    double d = 0;
    if (id.get(d) == simdjson::SUCCESS) {
      char buf[32];
      const auto result = std::to_chars(buf, buf + sizeof buf, d);
      out->assign(buf, result.ptr);
      return true;
    }
    return id.is_null();
  }

  simdjson::dom::parser parser_;
  std::string repaired_;
};

JsonlRecordParser::JsonlRecordParser() : impl_(std::make_unique<Impl>()) {}

JsonlRecordParser::~JsonlRecordParser() = default;

bool JsonlRecordParser::Parse(std::string_view line, size_t padding, Document* doc,
                              std::string* reason) {
  return impl_->Parse(line, padding, doc, reason);
}

}  // namespace sitrep
