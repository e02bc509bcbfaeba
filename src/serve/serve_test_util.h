// Test helpers for serve/: a database made by the real pipeline (extract, then fusion)
// from a handful of articles we wrote, and parsed JSON answers. Header-only.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/extract_cmd.h"

namespace sitrep {

struct TestArticle {
  const char* id;
  const char* published;
  const char* text;
};

// Five short reports: a capture and a later recapture of one village, a shelling of
// Kharkiv told by two officials in two articles, a withdrawal, an evacuation.
inline const std::vector<TestArticle>& TestArticles() {
  static const std::vector<TestArticle> articles = {
      {"alpha-1", "2022-03-05",
       "Russian forces captured the village of Kozacha Lopan in the Kharkiv region on Thursday, "
       "the General Staff of the Armed Forces of Ukraine said. Russian troops shelled Kharkiv "
       "overnight, regional governor Oleh Synehubov said."},
      {"beta-1", "2022-03-05",
       "Russian artillery shelled Kharkiv overnight, the mayor of Kharkiv, Ihor Terekhov, said on "
       "Saturday."},
      {"gamma-1", "2022-09-12",
       "Ukrainian forces recaptured Kozacha Lopan on Sunday, the Ukrainian military said."},
      {"delta-1", "2022-11-11",
       "Russian troops withdrew from Kherson, the Russian Defence Ministry said on Friday."},
      {"eps-1", "2022-06-01",
       "More than 200 civilians were evacuated from Sievierodonetsk on Tuesday, Luhansk governor "
       "Serhiy Haidai said."},
  };
  return articles;
}

inline std::string TempDir(const std::string& name) {
  const char* base = std::getenv("TMPDIR");
  const std::string dir = std::string(base != nullptr ? base : "/tmp") + "/sitrep_serve_test_" +
                          std::to_string(::getpid()) + "_" + name;
  std::filesystem::create_directories(dir);
  return dir;
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Extracts TestArticles() into a fresh SQLite database (fused, as `extract --db` does) and
// returns its path; "" (and a test failure) when extraction fails.
inline std::string BuildTestDatabase(const std::string& name) {
  const std::string dir = TempDir(name);
  std::string jsonl;
  for (const TestArticle& a : TestArticles()) {
    jsonl += "{\"id\":" + JsonQuote(a.id) + ",\"published\":" + JsonQuote(a.published) +
             ",\"text\":" + JsonQuote(a.text) + "}\n";
  }
  WriteFile(dir + "/articles.jsonl", jsonl);
  ExtractArgs args;
  args.inputs = {dir + "/articles.jsonl"};
  args.output = dir + "/events.jsonl";
  args.db = dir + "/test.db";
  args.quiet = true;
  args.jobs = 1;
  std::filesystem::remove(args.db);
  const int status = RunExtract(args);
  EXPECT_EQ(status, 0) << "sitrep extract into " << args.db;
  return status == 0 ? args.db : "";
}

inline void RemoveDatabase(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(path).parent_path(), ec);
}

// A parsed answer that keeps its parser alive.
struct Json {
  std::unique_ptr<simdjson::dom::parser> parser = std::make_unique<simdjson::dom::parser>();
  simdjson::padded_string text;
  simdjson::dom::element doc;
};

inline Json ParseJson(const std::string& text) {
  Json json;
  json.text = simdjson::padded_string(text);
  const simdjson::error_code error = json.parser->parse(json.text).get(json.doc);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << " in: " << text;
  return json;
}

}  // namespace sitrep
