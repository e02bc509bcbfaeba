// Test helpers for the places stage: a tiny GeoNames-format fixture compiled into a
// gazetteer in a temporary directory, and documents built with the shared tokenizer
// (one sentence per line). Header-only: used by the *_test.cc files of this folder.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/tokenizer.h"
#include "base/tsv.h"
#include "doc/document.h"
#include "places/gazetteer.h"
#include "places/gazetteer_builder.h"
#include "places/place_recogniser.h"

namespace sitrep::testing {

// The repository's data/ (knowledge tables: kmu2010.tsv, places/*.tsv).
inline std::string SourceData() {
  const char* env = std::getenv("SITREP_DATA");
  if (env != nullptr && *env != '\0') return env;
#ifdef SITREP_SOURCE_DATA_DIR
  return SITREP_SOURCE_DATA_DIR;
#else
  return "data";
#endif
}

// The gazetteer the build compiled: $SITREP_GAZETTEER, else <build>/sitrep.gaz seen from
// the test binary in <build>/src/places/. "" when there is none.
inline std::string RealGazetteerPath() {
  const char* env = std::getenv("SITREP_GAZETTEER");
  if (env != nullptr && *env != '\0') return std::filesystem::exists(env) ? env : "";
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const std::filesystem::path p = exe.parent_path() / ".." / ".." / "sitrep.gaz";
  return std::filesystem::exists(p) ? p.lexically_normal().string() : "";
}

inline void WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// One GeoNames row (19 columns).
inline std::string Row(int id, std::string_view name, std::string_view alternates, double lat, double lon,
                       char fclass, std::string_view fcode, std::string_view admin1, std::string_view admin2,
                       long population, std::string_view country = "UA") {
  char buf[2048];
  std::snprintf(buf, sizeof buf, "%d\t%.*s\t%.*s\t%.*s\t%.5f\t%.5f\t%c\t%.*s\t%.*s\t\t%.*s\t%.*s\t\t\t%ld\t\t100\tEurope/Kyiv\t2024-01-01\n",
                id, static_cast<int>(name.size()), name.data(), static_cast<int>(name.size()), name.data(),
                static_cast<int>(alternates.size()), alternates.data(), lat, lon, fclass,
                static_cast<int>(fcode.size()), fcode.data(), static_cast<int>(country.size()), country.data(),
                static_cast<int>(admin1.size()), admin1.data(), static_cast<int>(admin2.size()), admin2.data(),
                population);
  return buf;
}

// The fixture: a handful of Ukrainian places with the ambiguities the recogniser must
// handle (Kharkiv city/oblast, three Petrivkas, a common-word town, a misspelt village).
inline std::string FixtureUa() {
  std::string s;
  s += Row(706483, "Kharkiv", "Kharkov,Charkiw,Харків,Харьков", 49.98081, 36.25272, 'P', "PPLA", "07", "6312", 1421125);
  s += Row(706482, "Kharkivs'ka Oblast'", "Kharkiv,Kharkiv Oblast,Kharkovskaya Oblast,Харківська область", 49.5, 36.5,
           'A', "ADM1", "07", "", 2598961);
  s += Row(709717, "Donetsk", "Donetsk,Донецьк,Донецк", 48.023, 37.80224, 'P', "PPLA", "05", "1408", 901645);
  s += Row(709716, "Donets'ka Oblast'", "Donetsk,Donetsk Oblast,Донецька область", 48.0, 37.5, 'A', "ADM1", "05", "",
           4059372);
  s += Row(705104, "Kostyantynivka", "Konstantinovka,Kostjantynivka,Костянтинівка,Константиновка", 48.52731, 37.70592,
           'P', "PPL", "05", "1412", 67350);
  s += Row(703656, "Kupyansk", "Kupiansk,Kup'yans'k,Куп'янськ,Купянск", 49.71003, 37.61581, 'P', "PPLA2", "07",
           "6308", 27169);
  s += Row(707292, "Izyum", "Izium,Ізюм,Изюм", 49.20697, 37.27679, 'P', "PPLA2", "07", "6304", 45884);
  s += Row(697401, "Petrivka", "Petrovka,Петрівка,Петровка", 50.11222, 36.52318, 'P', "PPL", "07", "6312", 0);
  s += Row(697384, "Petrivka", "Petrovka,Петрівка", 46.9106, 30.7203, 'P', "PPLA3", "17", "5106", 4595);
  s += Row(712934, "Petrivka", "Petrovka,Петрівка", 47.7369, 35.2136, 'P', "PPL", "26", "2306", 5850);
  s += Row(691637, "Ternova", "Ternovaya,Тернова", 50.1923, 36.6748, 'P', "PPL", "07", "6312", 0);
  s += Row(695101, "Ruski Tyshky", "Russkiye Tishki,Руські Тишки,Русские Тишки", 50.1377, 36.40252, 'P', "PPL", "07",
           "6312", 750);
  s += Row(709827, "Dovhenke", "Dolgen'koye,Довгеньке", 49.0193, 37.3177, 'P', "PPL", "07", "6304", 0);
  s += Row(705687, "Kleban-Byk", "Kleban-Bik,Клебан-Бик", 48.42598, 37.76498, 'P', "PPL", "05", "1412", 468);
  s += Row(713174, "Bakhmut", "Artemivsk,Artemovsk,Бахмут", 48.59441, 37.99983, 'P', "PPLA2", "05", "1402", 72310);
  s += Row(713172, "Bakhmutskyi Raion", "Bakhmut Raion", 48.58, 38.0, 'A', "ADM2", "05", "1402", 0);
  s += Row(712861, "Bar", "Bar,Бар", 49.0736, 27.674, 'P', "PPL", "23", "0502", 15337);
  s += Row(690791, "Ukraine", "Ukraina,Україна", 49.0, 32.0, 'A', "PCLI", "00", "", 41000000);
  return s;
}

// Builds the fixture gazetteer once per process into a temporary directory.
class FixtureGazetteer {
 public:
  static const FixtureGazetteer& Get() {
    static const FixtureGazetteer fixture;
    return fixture;
  }
  const Gazetteer& gazetteer() const { return *gaz_; }
  const std::string& data_dir() const { return data_; }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }
  bool ok() const { return gaz_ != nullptr; }

 private:
  FixtureGazetteer() {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("sitrep-places-test-" + std::to_string(::getpid()));
    fs::remove_all(root);
    const fs::path geo = root / "geonames";
    const fs::path data = root / "data";
    WriteFile(geo / "UA.txt", FixtureUa());
    WriteFile(geo / "admin1CodesASCII.txt",
              "UA.05\tDonetsk\tDonetsk\t709716\nUA.07\tKharkiv\tKharkiv\t706482\nUA.17\tOdesa\tOdesa\t698738\n"
              "UA.23\tVinnytsia\tVinnytsia\t689559\nUA.26\tZaporizhzhia\tZaporizhzhia\t687699\n");
    WriteFile(geo / "admin2Codes.txt",
              "UA.05.1402\tBakhmut Raion\tBakhmut Raion\t713172\nUA.07.6312\tKharkiv Raion\tKharkiv Raion\t9114284\n");
    WriteFile(data / "gazetteer" / "admin1.tsv",
              "code\tiso\tgeonameid\tname\talt_names\tlat\tlon\tradius_km\tarea_km2\tbbox\n"
              "UA.05\tUA-14\t709716\tDonetsk Oblast\tDonetsk\t48.145\t37.7933\t92\t26521\t\n"
              "UA.07\tUA-63\t706482\tKharkiv Oblast\tKharkiv\t49.4655\t36.4612\t100\t31286\t\n"
              "UA.17\tUA-51\t698738\tOdesa Oblast\t\t46.03\t29.75\t103\t33085\t\n"
              "UA.23\tUA-05\t689559\tVinnytsia Oblast\t\t48.96\t28.72\t92\t26583\t\n"
              "UA.26\tUA-23\t687699\tZaporizhzhia Oblast\t\t47.33\t35.71\t93\t27006\t\n");
    WriteFile(data / "gazetteer" / "countries.tsv",
              "iso2\tiso3\tname\talt_names\tdemonyms\tlat\tlon\tarea_km2\tradius_km\tcapital\n"
              "GB\tGBR\tUnited Kingdom\tGreat Britain\tBritish\t54\t-2\t242900\t278\tLondon\n"
              "RU\tRUS\tRussia\tRussian Federation|Россия\tRussian\t60\t100\t17098242\t2333\tMoscow\n"
              "UA\tUKR\tUkraine\tУкраїна\tUkrainian\t49\t32\t603500\t438\tKyiv\n");
    WriteFile(data / "gazetteer" / "country_names.tsv", "iso2\tname\tflags\nGB\tUK\tabbrev\nGB\tBritain\t\n");
    WriteFile(data / "gazetteer" / "features.tsv",
              "key\tname\talt_names\tfeature\tlat\tlon\tradius_km\tcountry\tadmin1\tgeonameid\trank\n"
              "black-sea\tBlack Sea\tЧорне море\tsea\t43.4\t34.3\t450\tUA\t\t0\t9\n");
    WriteFile(data / "gazetteer" / "stop_names.tsv", "name\twhy\nIndependent\tnewspaper\n");
    WriteFile(data / "gazetteer" / "feature_codes.tsv",
              "code\tfeature\trank\tradius_km\tinclude\nP.*\tsettlement\t5\t0\tyes\nP.PPLA\tsettlement\t9\t0\tyes\n"
              "P.PPLA2\tsettlement\t8\t0\tyes\nP.PPLA3\tsettlement\t6\t0\tyes\nA.*\tregion\t2\t50\tno\n"
              "A.PCLI\tcountry\t10\t0\tyes\nA.ADM1\tregion\t7\t0\tyes\nA.ADM2\tdistrict\t5\t40\tyes\n");
    // Knowledge tables that are not gazetteer data: the real ones.
    std::string kmu;
    ReadFile(SourceData() + "/gazetteer/kmu2010.tsv", &kmu);
    WriteFile(data / "gazetteer" / "kmu2010.tsv", kmu);
    for (const char* f : {"region_words.tsv", "qualifiers.tsv", "region_shifts.tsv", "context_cues.tsv",
                          "person_cues.tsv"}) {
      std::string text;
      ReadFile(SourceData() + "/places/" + f, &text);
      WriteFile(data / "places" / f, text);
    }
    WriteFile(root / "words.txt", "bar\nmay\nthe\nmirror\nindependent\nseveral\nmarch\n");

    GazetteerBuildOptions opt;
    opt.geonames_dir = geo.string();
    opt.data_dir = data.string();
    opt.words_path = (root / "words.txt").string();
    opt.output = (root / "fixture.gaz").string();
    GazetteerBuildStats stats;
    data_ = data.string();
    path_ = opt.output;
    if (!BuildGazetteer(opt, &stats, &error_)) return;
    gaz_ = Gazetteer::Open(opt.output, &error_);
  }

  std::unique_ptr<Gazetteer> gaz_;
  std::string data_, path_, error_;
};

// A document from text: the shared tokenizer, one sentence per line.
inline Document MakeDoc(std::string_view text) {
  Document doc;
  doc.text = std::string(text);
  Tokenize(doc.text, 0, doc.folded, doc.tokens);
  uint32_t line_start = 0;
  uint32_t tok = 0;
  for (uint32_t i = 0; i <= doc.text.size(); ++i) {
    if (i < doc.text.size() && doc.text[i] != '\n') continue;
    Sentence s;
    s.span = Span{line_start, i};
    s.token_begin = tok;
    while (tok < doc.tokens.size() && doc.tokens[tok].span.begin < i) ++tok;
    s.token_end = tok;
    if (s.token_end > s.token_begin) {
      doc.tokens[s.token_begin].flags |= kTokSentenceStart;
      doc.sentences.push_back(s);
    }
    line_start = i + 1;
  }
  doc.body = Span{0, static_cast<uint32_t>(doc.text.size())};
  return doc;
}

// The places whose text is exactly `text`.
inline std::vector<const Place*> Find(const Document& doc, std::string_view text) {
  std::vector<const Place*> out;
  for (const Place& p : doc.places) {
    if (doc.Text(p.span) == text) out.push_back(&p);
  }
  return out;
}

}  // namespace sitrep::testing
