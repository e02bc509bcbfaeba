#include "base/civil_date.h"

#include <cstdio>

namespace sitrep {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(CivilDate date) {
  int64_t y = date.year;
  const int m = date.month;
  const int d = date.day;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(y + (m <= 2)), m, d};
}

int Weekday(CivilDate date) {
  const int64_t days = DaysFromCivil(date);
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool IsValid(CivilDate date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

CivilDate AddDays(CivilDate date, int64_t days) {
  return CivilFromDays(DaysFromCivil(date) + days);
}

std::optional<CivilDate> ParseIsoDate(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto digits = [&](size_t pos, size_t n) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text[4] != '-' || text[7] != '-') return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  CivilDate date{digits(0, 4), digits(5, 2), digits(8, 2)};
  if (!IsValid(date)) return std::nullopt;
  return date;
}

std::optional<CivilDate> ParseMetadataDate(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (std::optional<CivilDate> iso = ParseIsoDate(text)) return iso;
  // RFC 2822: an optional "Thu, " before the day.
  if (const size_t comma = text.find(','); comma != std::string_view::npos && comma <= 9) {
    bool letters = comma > 0;
    for (size_t i = 0; i < comma; ++i) letters = letters && ((text[i] | 32) >= 'a' && (text[i] | 32) <= 'z');
    if (letters) {
      text.remove_prefix(comma + 1);
      while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    }
  }
  // Day, separator, month abbreviation, the same separator, four-digit year, then the
  // end or a blank.
  size_t i = 0;
  int day = 0;
  while (i < text.size() && i < 2 && text[i] >= '0' && text[i] <= '9') day = day * 10 + (text[i++] - '0');
  if (i == 0 || i + 9 > text.size()) return std::nullopt;
  const char sep = text[i];
  if (sep != '-' && sep != ' ') return std::nullopt;
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  int month = 0;
  for (int m = 0; m < 12; ++m) {
    bool same = true;
    for (size_t k = 0; k < 3; ++k) same = same && (text[i + 1 + k] | 32) == kMonths[m][k];
    if (same) month = m + 1;
  }
  if (month == 0 || text[i + 4] != sep) return std::nullopt;
  int year = 0;
  for (size_t k = i + 5; k < i + 9; ++k) {
    if (text[k] < '0' || text[k] > '9') return std::nullopt;
    year = year * 10 + (text[k] - '0');
  }
  if (i + 9 < text.size() && text[i + 9] != ' ' && text[i + 9] != 'T') return std::nullopt;
  const CivilDate date{year, month, day};
  if (!IsValid(date)) return std::nullopt;
  return date;
}

std::string FormatIsoDate(CivilDate date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

}  // namespace sitrep
