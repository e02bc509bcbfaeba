// PostgreSQL (with PostGIS) as a team's shared record: a sitrep SQLite database mirrored
// into it by doc_id — the same tables and columns, plus point geometries with spatial
// indexes — and the whole record fused again, so that clusters and control span every
// contributor's documents. Also the libpq plumbing `sitrep serve` shares (a connection
// whose errors never show a password).
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "credibility/signal_weights.h"
#include "doc/stage.h"
#include "fusion/fuser.h"
#include "output/record_sink.h"
#include "output/sqlite_fusion.h"

namespace sitrep {

struct PgConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgConnCloser>;
struct PgResultClear {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultClear>;

// libpq's message without its trailing newline.
std::string TrimPgMessage(std::string message);

// The URL or libpq "key=value" string with any password replaced by "***" (the
// user:password@ of a URL, a password= parameter of either form).
std::string RedactPostgresUrl(std::string_view url);

// Connects (10 s connect timeout unless the URL sets one) with client encoding UTF8.
// An error names the redacted URL and libpq's reason.
Result ConnectPostgres(const std::string& url, PgConn* conn);

struct PgExportOptions {
  size_t batch = kDefaultSqliteBatch;  // documents per transaction (0 is taken as 1)
};

struct PgExportSummary {
  // Rows copied from the file.
  size_t documents = 0, events = 0, places = 0, quantities = 0;
  // Bytes PostgreSQL cannot hold in text (NUL, invalid UTF-8) that were replaced, one
  // for one (a space, '?'), so byte offsets stay right. The reader never writes them.
  size_t replaced_bytes = 0;
  DatabaseFusion fusion;            // the fusion of the whole PostgreSQL record
  size_t credibility_updated = 0;   // documents whose fused credibility changed
};

// Mirrors the sitrep SQLite database at sqlite_path into the PostgreSQL database at url:
//  1. creates the tables, indexes and the postgis extension when missing (a database
//     written by another schema version is refused); copies the meta rows;
//  2. per batch of documents, in one transaction: deletes the batch's doc_ids from
//     documents, events, places and quantities, then COPYs the file's rows in. Exporting
//     again gives the same rows; documents only in PostgreSQL are kept;
//  3. fuses every document of PostgreSQL again (fusion/fuser.h, through a temporary
//     SQLite file and FuseDatabase) and, in one transaction, replaces clusters,
//     cluster_members and control and updates the documents whose fused credibility
//     changed.
// Exports into one database take turns (an advisory lock), so a team can run them at once.
Result ExportToPostgres(const std::string& sqlite_path, const std::string& url, const Fuser& fuser,
                        const SignalWeights& weights, const PgExportOptions& options,
                        PgExportSummary* summary);

class ExtractedIndex;
// What the documents of a sitrep PostgreSQL database were extracted from and with, as
// LoadSqliteIndex (extracted_index.h) reads a file: empty when the database has no
// sitrep tables, or none of schema version 3; rows without a content hash are left out.
Result LoadPostgresIndex(const std::string& url, ExtractedIndex* index);

}  // namespace sitrep
