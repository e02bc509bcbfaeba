// Raw document bytes to valid UTF-8: byte-order marks, UTF-16, charsets declared by
// the document (through ICU), U+FFFD for invalid sequences, and a Windows-1252
// fallback for legacy text that is clearly not UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sitrep {

struct DecodeInfo {
  uint32_t invalid_bytes = 0;     // input bytes replaced by U+FFFD
  std::string encoding = "utf-8"; // lower-case name of the encoding used
};

// Decodes raw into *out (replacing its contents). declared_charset is a label the
// document gives for itself (an HTML meta charset), or empty. It is honoured unless
// the bytes are valid UTF-8 with at least one multi-byte sequence: pages re-saved as
// UTF-8 often keep their old declaration. UTF-16 labels are ignored (a page that can
// be read to find the label is not UTF-16). A BOM beats any label.
void DecodeToUtf8(std::string_view raw, std::string_view declared_charset, std::string* out,
                  DecodeInfo* info);

// True when raw is not valid UTF-8 and its invalid bytes outnumber its valid multi-byte
// sequences twenty to one: legacy single-byte text rather than damaged UTF-8.
bool LooksLikeWindows1252(std::string_view raw);

// Windows-1252 to UTF-8 by table. The five unassigned bytes (0x81 0x8D 0x8F 0x90 0x9D)
// become U+FFFD and are counted in *invalid.
void DecodeWindows1252(std::string_view raw, std::string* out, uint32_t* invalid);

// Copies raw to *out, replacing each byte that does not start a valid UTF-8 sequence
// by U+FFFD; returns the number of bytes replaced.
uint32_t RepairUtf8(std::string_view raw, std::string* out);

// The charset a page declares in its first bytes (<meta charset=...> or
// <meta http-equiv="Content-Type" content="...; charset=...">), lower-cased; "" if none.
std::string DeclaredCharset(std::string_view html);

}  // namespace sitrep
