// The output contract's records (../shared/spec/schema.md) as JSON text: one
// `document` record and its `event` records. Every writer that stores JSON (JSONL,
// SQLite) calls these, so a database row's json column equals the JSONL line.
#pragma once

#include <cstddef>
#include <string>

#include "doc/document.h"

namespace sitrep {

// Appends doc's `document` record, without a newline.
void AppendDocumentJson(const Document& doc, std::string& out);
// Appends the `event` record of doc.events[index], without a newline.
void AppendEventJson(const Document& doc, size_t index, std::string& out);

// doc.content_hash as 16 lower-case hex digits (as records and databases store it).
std::string ContentHashHex(const Document& doc);

// "<doc_id>#<n>", n counting from 1 in document order.
std::string EventId(const Document& doc, size_t index);

// Whether a place has usable coordinates: finite, in range, and not the (0,0)
// a place the resolver could not place would carry.
bool HasCoordinates(const Place& place);
// The event's first location that points at a place with coordinates, or nullptr.
// Writers that want one point per event (GeoJSON, CSV, SQLite) use it.
const EventLocation* PrimaryLocation(const Document& doc, const Event& event);
// The title to report: the cleaned title, else the one given by metadata.
const std::optional<std::string>& ReportedTitle(const Document& doc);

}  // namespace sitrep
