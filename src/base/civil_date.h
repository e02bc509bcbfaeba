// Calendar dates without time zones: conversion to day numbers, weekdays, ISO text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sitrep {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// Days since 1970-01-01 (proleptic Gregorian).
int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(int64_t days);
// 0 = Monday ... 6 = Sunday.
int Weekday(CivilDate date);
int DaysInMonth(int year, int month);
bool IsValid(CivilDate date);
CivilDate AddDays(CivilDate date, int64_t days);

// "YYYY-MM-DD"; also accepts a longer ISO timestamp ("2023-11-09T10:00:00Z").
std::optional<CivilDate> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(CivilDate date);
// A date in a corpus's metadata: ISO as above, "26-FEB-1987 15:01:01.79" (day, English
// month abbreviation, year, as Reuters and SQL dumps write it) and RFC 2822 / HTTP
// dates ("Thu, 26 Feb 1987 15:01:01 GMT", "26 Feb 1987"). Nothing else: a field that
// fits none of these is no date.
std::optional<CivilDate> ParseMetadataDate(std::string_view text);

}  // namespace sitrep
