// UTF-8 scanning shared by the text module's files (private to core/src/text/).
#pragma once

#include <cstdint>
#include <string_view>

namespace marginalia::text_detail {

// Length of the well-formed UTF-8 sequence starting at `pos` (1 to 4), or 0 when the bytes there
// are ill-formed: a stray continuation byte, a truncated sequence, an overlong form, a surrogate or
// a value above U+10FFFF.
inline int utf8_sequence_length(std::string_view s, size_t pos) {
  const auto at = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = at(pos);
  if (b0 < 0x80) return 1;
  const size_t left = s.size() - pos;
  const auto cont = [&](size_t i) { return pos + i < s.size() && (at(pos + i) & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return left >= 2 && cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !cont(1) || !cont(2)) return 0;
    const unsigned char b1 = at(pos + 1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    const unsigned char b1 = at(pos + 1);
    if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && b1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

struct Utf8Scan {
  int64_t first_invalid = -1;  // byte offset of the first ill-formed byte, -1 when none
  int64_t multi_byte = 0;      // well-formed sequences of 2 to 4 bytes
  int64_t first_nul = -1;      // byte offset of the first NUL, -1 when none
};

inline Utf8Scan scan_utf8(std::string_view s) {
  Utf8Scan scan;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b == 0 && scan.first_nul < 0) scan.first_nul = static_cast<int64_t>(i);
      ++i;
      continue;
    }
    const int len = utf8_sequence_length(s, i);
    if (len == 0) {
      if (scan.first_invalid < 0) scan.first_invalid = static_cast<int64_t>(i);
      ++i;
      continue;
    }
    ++scan.multi_byte;
    i += static_cast<size_t>(len);
  }
  return scan;
}

}  // namespace marginalia::text_detail
