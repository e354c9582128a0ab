// OffsetMap: code points <-> UTF-8 bytes <-> UTF-16 units, recording only the non-ASCII code
// points.
#include <algorithm>
#include <string>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "text/utf8.h"

namespace marginalia {
namespace {

[[noreturn]] void out_of_range(const char* unit, int64_t position, int64_t length) {
  throw BadInput(std::string(unit) + " position " + std::to_string(position) +
                 " is out of range (text length " + std::to_string(length) + ")");
}

}  // namespace

OffsetMap::OffsetMap(std::string_view utf8) {
  size_t i = 0;
  int64_t cp = 0, extra_bytes = 0, extra_units = 0;
  const size_t n = utf8.size();
  while (i < n) {
    // Skip ASCII eight bytes at a time: most transcripts are mostly ASCII.
    while (i + 8 <= n) {
      uint64_t word = 0;
      for (int k = 0; k < 8; ++k)
        word |= uint64_t(static_cast<unsigned char>(utf8[i + k])) << (8 * k);
      if (word & 0x8080808080808080ull) break;
      i += 8;
      cp += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      ++i;
      ++cp;
      continue;
    }
    const int len = text_detail::utf8_sequence_length(utf8, i);
    if (len == 0) throw BadInput("offset map: invalid UTF-8 at byte " + std::to_string(i));
    extra_bytes += len - 1;
    extra_units += len == 4 ? 1 : 0;
    multi_cp_.push_back(cp);
    multi_bytes_.push_back(extra_bytes);
    multi_units_.push_back(extra_units);
    i += static_cast<size_t>(len);
    ++cp;
  }
  code_points_ = cp;
  bytes_ = static_cast<int64_t>(n);
  utf16_units_ = cp + extra_units;
}

int64_t OffsetMap::byte_of(int64_t code_point) const {
  if (code_point < 0 || code_point > code_points_) {
    out_of_range("code point", code_point, code_points_);
  }
  // Non-ASCII code points before this one.
  const auto k =
      std::lower_bound(multi_cp_.begin(), multi_cp_.end(), code_point) - multi_cp_.begin();
  return code_point + (k > 0 ? multi_bytes_[k - 1] : 0);
}

int64_t OffsetMap::utf16_of(int64_t code_point) const {
  if (code_point < 0 || code_point > code_points_) {
    out_of_range("code point", code_point, code_points_);
  }
  const auto k =
      std::lower_bound(multi_cp_.begin(), multi_cp_.end(), code_point) - multi_cp_.begin();
  return code_point + (k > 0 ? multi_units_[k - 1] : 0);
}

namespace {

// The code point at `position` in a unit (bytes or UTF-16 units) where the non-ASCII code point i
// starts at cp[i] + extra[i-1] and ends at cp[i] + 1 + extra[i].
int64_t code_point_at(const std::vector<int64_t>& cp, const std::vector<int64_t>& extra,
                      int64_t position, const char* unit) {
  const auto count = static_cast<int64_t>(cp.size());
  int64_t lo = 0, hi = count;  // first i whose end is beyond position
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (cp[mid] + 1 + extra[mid] <= position) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const int64_t before = lo > 0 ? extra[lo - 1] : 0;
  if (lo < count && cp[lo] + before < position) {
    throw BadInput(std::string(unit) + " position " + std::to_string(position) +
                   " is inside a character, not on a code point boundary");
  }
  return position - before;
}

}  // namespace

int64_t OffsetMap::code_point_of_byte(int64_t byte) const {
  if (byte < 0 || byte > bytes_) out_of_range("byte", byte, bytes_);
  return code_point_at(multi_cp_, multi_bytes_, byte, "byte");
}

int64_t OffsetMap::code_point_of_utf16(int64_t unit) const {
  if (unit < 0 || unit > utf16_units_) out_of_range("UTF-16", unit, utf16_units_);
  return code_point_at(multi_cp_, multi_units_, unit, "UTF-16");
}

}  // namespace marginalia
