// The Python module `sitrep`: one document in, the records `sitrep extract` writes for
// it out. The document is built the way the reader builds a JSON Lines record
// (read/jsonl_record.h), runs through the same Pipeline, and is written by the same
// JSONL sink (output/record_sink.h) into memory; Python's json module turns the lines
// into dicts. So a result equals the CLI's output for the same record, by construction.
//
// The pipeline is loaded once per process, on first use or by sitrep.load(), under a
// mutex; extraction runs with the GIL released, so Python threads extract in parallel.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/paths.h"
#include "doc/document.h"
#include "output/json_writer.h"
#include "output/record_sink.h"
#include "pipeline/pipeline.h"
#include "read/format.h"
#include "read/jsonl_record.h"

namespace py = pybind11;

namespace sitrep {
namespace {

// ---- the pipeline, loaded once ----------------------------------------------------

struct Loaded {
  std::shared_ptr<const Pipeline> pipeline;
  std::string data;
  std::string gazetteer;
};

std::mutex g_load_mu;
Loaded g_loaded;  // guarded by g_load_mu

// Loads a pipeline from data/gazetteer ("" = found as the CLI finds them) and makes it
// the one extract uses. Call without the GIL: loading takes a while and a thread that
// holds the GIL may be waiting for g_load_mu.
Loaded LoadLocked(const std::string& data, const std::string& gazetteer) {
  Loaded loaded;
  loaded.data = data.empty() ? DataDir() : data;
  loaded.gazetteer = gazetteer.empty() ? GazetteerPath() : gazetteer;
  PipelineOptions options;
  options.data_dir = loaded.data;
  options.gazetteer_path = loaded.gazetteer;
  std::string error;
  std::unique_ptr<Pipeline> pipeline = Pipeline::Load(options, &error);
  if (!pipeline) throw std::runtime_error("sitrep: " + error);
  loaded.pipeline = std::move(pipeline);
  return loaded;
}

// The loaded pipeline, loading it with the defaults on first use. Without the GIL.
std::shared_ptr<const Pipeline> CurrentPipeline() {
  std::lock_guard<std::mutex> lock(g_load_mu);
  if (!g_loaded.pipeline) g_loaded = LoadLocked("", "");
  return g_loaded.pipeline;
}

// ---- arguments ----------------------------------------------------------------------

std::string TypeName(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

// A str argument as UTF-8. Lone surrogates raise UnicodeEncodeError, as str.encode does.
std::string Utf8(py::handle value) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();
  return std::string(data, static_cast<size_t>(size));
}

std::string RequiredStr(py::handle value, const char* function, const char* name) {
  if (!py::isinstance<py::str>(value)) {
    throw py::type_error(std::string(function) + ": " + name + " must be a str, not " +
                         TypeName(value));
  }
  return Utf8(value);
}

std::optional<std::string> OptionalStr(py::handle value, const char* function,
                                       const char* name) {
  if (value.is_none()) return std::nullopt;
  if (!py::isinstance<py::str>(value)) {
    throw py::type_error(std::string(function) + ": " + name + " must be a str or None, not " +
                         TypeName(value));
  }
  return Utf8(value);
}

// published: "YYYY-MM-DD" (what a JSONL record's `published` holds), a datetime.date
// (or datetime), or None.
std::optional<std::string> PublishedArg(py::handle value) {
  if (value.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(value)) return Utf8(value);
  const py::object date_type = py::module_::import("datetime").attr("date");
  if (py::isinstance(value, date_type)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", value.attr("year").cast<int>(),
                  value.attr("month").cast<int>(), value.attr("day").cast<int>());
    return std::string(buf);
  }
  throw py::type_error("sitrep.extract: published must be a str (YYYY-MM-DD), a "
                       "datetime.date or None, not " + TypeName(value));
}

std::optional<uint64_t> LineNumberArg(py::handle value, const char* function) {
  if (value.is_none()) return std::nullopt;
  if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value)) {
    throw py::type_error(std::string(function) + ": line_number must be an int or None, not " +
                         TypeName(value));
  }
  const long long n = value.cast<long long>();
  if (n < 1) throw py::value_error(std::string(function) + ": line_number must be >= 1");
  return static_cast<uint64_t>(n);
}

// ---- one document -------------------------------------------------------------------

struct Origin {
  std::optional<std::string> source;  // the input's name in `source`; None leaves it null
  std::optional<uint64_t> line;       // its line in that input
};

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

// 64-bit FNV-1a: the id of a document given no id, no line: the same text, the same id.
std::string ContentId(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "doc-%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Errors a caller's input causes (ValueError) and errors of the pipeline (RuntimeError).
struct ExtractError {
  bool input;
  std::string message;
};

// One JSONL input record to the JSONL output records, as `sitrep extract` reads and
// writes them. Runs without the GIL. Throws ExtractError.
std::string ExtractLine(std::string_view line, const Origin& origin) {
  // Per thread: the simdjson parser inside is not to be shared.
  thread_local JsonlRecordParser parser;
  // Messages name the input as the CLI's do: "path:line: reason".
  std::string where;
  if (origin.source) {
    where = *origin.source;
    if (origin.line) where += ":" + std::to_string(*origin.line);
    where += ": ";
  }
  auto fail = [&](bool input, const std::string& reason) {
    return ExtractError{input, where + reason};
  };

  Document doc;
  std::string reason;
  if (!parser.Parse(line, 0, &doc, &reason)) throw fail(true, reason);
  if (IsBlank(doc.text)) throw fail(true, "empty document");
  // As the reader names and places a JSONL record (read/reader.cc, NextJsonl).
  if (doc.doc_id.empty()) {
    doc.doc_id = origin.line ? DocIdFromName(origin.source.value_or("-")) + "-" +
                                   std::to_string(*origin.line)
                             : ContentId(doc.text);
  }
  doc.origin.path = origin.source.value_or("");
  doc.origin.line = origin.line.value_or(0);
  doc.origin.format = std::string(FormatName(Format::kJsonl));

  const std::shared_ptr<const Pipeline> pipeline = CurrentPipeline();
  if (Result r = pipeline->Process(doc); !r.ok()) throw fail(false, r.message());

  // The CLI's JSONL sink, writing into memory.
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* memory = open_memstream(&buffer, &size);
  if (memory == nullptr) throw fail(false, "out of memory");
  Result written;
  {
    std::unique_ptr<RecordSink> sink = MakeJsonlSink(memory);
    written = sink->Write(doc);
    if (Result finished = sink->Finish(); written.ok()) written = finished;
  }
  std::fclose(memory);
  std::string out(buffer, size);
  std::free(buffer);
  if (!written.ok()) throw fail(false, written.message());
  return out;
}

// Runs ExtractLine with the GIL released; back under the GIL, the JSONL text as it is
// (raw) or as a list of dicts.
py::object Run(std::string line, const Origin& origin, bool raw) {
  std::string jsonl;
  std::optional<ExtractError> error;
  {
    py::gil_scoped_release release;
    try {
      jsonl = ExtractLine(line, origin);
    } catch (const ExtractError& e) {
      error = e;
    }
  }
  if (error) {
    if (error->input) throw py::value_error(error->message);
    throw std::runtime_error(error->message);
  }
  if (raw) return py::str(jsonl);
  const py::object loads = py::module_::import("json").attr("loads");
  py::list records;
  size_t begin = 0;
  while (begin < jsonl.size()) {
    size_t end = jsonl.find('\n', begin);
    if (end == std::string::npos) end = jsonl.size();
    records.append(loads(py::str(jsonl.data() + begin, end - begin)));
    begin = end + 1;
  }
  return records;
}

// The JSONL record the CLI would read for these fields.
std::string RecordLine(const std::string& text, const std::optional<std::string>& published,
                       const std::optional<std::string>& title,
                       const std::optional<std::string>& url,
                       const std::optional<std::string>& doc_id) {
  std::string line;
  line.reserve(text.size() + 64);
  line += "{";
  if (doc_id) {
    line += "\"id\":";
    AppendJsonString(line, *doc_id);
    line += ",";
  }
  if (title) {
    line += "\"title\":";
    AppendJsonString(line, *title);
    line += ",";
  }
  if (published) {
    line += "\"published\":";
    AppendJsonString(line, *published);
    line += ",";
  }
  if (url) {
    line += "\"url\":";
    AppendJsonString(line, *url);
    line += ",";
  }
  line += "\"text\":";
  AppendJsonString(line, text);
  line += "}";
  return line;
}

py::object Extract(py::handle text, py::handle published, py::handle title, py::handle url,
                   py::handle doc_id, py::handle source, py::handle line_number, bool raw) {
  constexpr const char* kFn = "sitrep.extract";
  const std::string body = RequiredStr(text, kFn, "text");
  Origin origin;
  origin.source = OptionalStr(source, kFn, "source");
  origin.line = LineNumberArg(line_number, kFn);
  std::string line = RecordLine(body, PublishedArg(published), OptionalStr(title, kFn, "title"),
                                OptionalStr(url, kFn, "url"), OptionalStr(doc_id, kFn, "doc_id"));
  return Run(std::move(line), origin, raw);
}

py::object ExtractJsonl(py::handle line, py::handle source, py::handle line_number, bool raw) {
  constexpr const char* kFn = "sitrep.extract_jsonl";
  std::string record;
  if (py::isinstance<py::str>(line)) {
    record = Utf8(line);
  } else if (py::isinstance<py::bytes>(line)) {
    record = line.cast<std::string>();  // bytes as the CLI reads them (invalid UTF-8 repaired)
  } else {
    throw py::type_error(std::string(kFn) + ": line must be a str or bytes, not " +
                         TypeName(line));
  }
  // A line as read from a file: without its line break.
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) record.pop_back();
  Origin origin;
  origin.source = OptionalStr(source, kFn, "source");
  origin.line = LineNumberArg(line_number, kFn);
  return Run(std::move(record), origin, raw);
}

py::dict Load(py::handle data, py::handle gazetteer) {
  const std::string d = OptionalStr(data, "sitrep.load", "data").value_or("");
  const std::string g = OptionalStr(gazetteer, "sitrep.load", "gazetteer").value_or("");
  Loaded loaded;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(g_load_mu);
    g_loaded = LoadLocked(d, g);  // on failure the pipeline loaded before stays
    loaded = g_loaded;
  }
  py::dict out;
  out["data"] = loaded.data;
  out["gazetteer"] = loaded.gazetteer;
  return out;
}

py::object Paths() {
  Loaded loaded;
  {
    py::gil_scoped_release release;  // a load in progress holds the mutex
    std::lock_guard<std::mutex> lock(g_load_mu);
    loaded = g_loaded;
  }
  if (!loaded.pipeline) return py::none();
  py::dict out;
  out["data"] = loaded.data;
  out["gazetteer"] = loaded.gazetteer;
  return out;
}

}  // namespace
}  // namespace sitrep

PYBIND11_MODULE(sitrep, m) {
  using namespace pybind11::literals;
  m.doc() =
      "sitrep: events from war news articles.\n\n"
      "extract(text, ...) returns the records `sitrep extract` writes for one document\n"
      "(its `document` record, then its `event` records; ../shared/spec/schema.md) as\n"
      "dicts. The pipeline loads on first use (data/ and the gazetteer found as the CLI\n"
      "finds them: $SITREP_DATA, $SITREP_GAZETTEER, ...) or by load(). Extraction releases\n"
      "the GIL: threads run in parallel.";
  m.attr("__version__") = SITREP_VERSION;

  m.def("extract", &sitrep::Extract, "text"_a, "published"_a = py::none(),
        "title"_a = py::none(), "url"_a = py::none(), "doc_id"_a = py::none(), py::kw_only(),
        "source"_a = py::none(), "line_number"_a = py::none(), "raw"_a = false,
        "extract(text, published=None, title=None, url=None, doc_id=None, *, source=None, "
        "line_number=None, raw=False)\n\n"
        "The records `sitrep extract` writes for a JSON Lines record with these fields\n"
        "(`text`, `published`, `title`, `url`, `id`): a list of dicts, the `document`\n"
        "record first, then its `event` records; with raw=True the JSON Lines text itself.\n"
        "published: 'YYYY-MM-DD' or a datetime.date. source and line_number fill the\n"
        "document's `source` and `line` as if read from that file (else null). Without\n"
        "doc_id the id is '<source name>-<line_number>' as the CLI names a record without\n"
        "one, or 'doc-' and a hash of the text. TypeError for a text that is not a str;\n"
        "ValueError for an empty (or all-blank) text; RuntimeError if a stage fails.");
  m.def("extract_jsonl", &sitrep::ExtractJsonl, "line"_a, py::kw_only(),
        "source"_a = py::none(), "line_number"_a = py::none(), "raw"_a = false,
        "extract_jsonl(line, *, source=None, line_number=None, raw=False)\n\n"
        "The records for one line of a JSON Lines corpus (str or bytes; fields `text`,\n"
        "`id`, `title`, `published` or `date`, `url`), as `sitrep extract` reads it. With\n"
        "source and line_number set to the file and line, the records equal the CLI's\n"
        "byte for byte (raw=True). ValueError for a line the CLI would skip (invalid JSON,\n"
        "no text, empty text).");
  m.def("load", &sitrep::Load, "data"_a = py::none(), "gazetteer"_a = py::none(),
        "load(data=None, gazetteer=None) -> {'data': ..., 'gazetteer': ...}\n\n"
        "Loads the pipeline now, from these paths (None: found as the CLI finds them),\n"
        "replacing one loaded before. RuntimeError naming the file at fault.");
  m.def("paths", &sitrep::Paths,
        "paths() -> {'data': ..., 'gazetteer': ...}, or None before the pipeline is loaded.");
}
