// Line endings, NFC, code point counting and cutting: the small conversions of text.h.
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/normalizer2.h>
#include <unicode/stringoptions.h>

#include <memory>
#include <string>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "text/utf8.h"

namespace marginalia {
namespace {

void require_utf8(std::string_view utf8, const char* what) {
  const auto scan = text_detail::scan_utf8(utf8);
  if (scan.first_invalid >= 0) {
    throw BadInput(std::string(what) + ": invalid UTF-8 at byte " +
                   std::to_string(scan.first_invalid));
  }
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string normalize_line_endings(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return out;
}

std::string to_nfc(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  require_utf8(utf8, "to_nfc");
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw Error("ICU has no NFC data: " + std::string(u_errorName(status)));
  const icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  std::string out;
  out.reserve(utf8.size());
  icu::StringByteSink<std::string> sink(&out);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status))
    throw Error("NFC normalisation failed: " + std::string(u_errorName(status)));
  return out;
}

std::string fold_case(std::string_view utf8) {
  if (is_ascii(utf8)) {
    std::string out(utf8);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  require_utf8(utf8, "fold_case");
  UErrorCode status = U_ZERO_ERROR;
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT,
                         icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink,
                         nullptr, status);
  if (U_FAILURE(status)) return std::string(utf8);
  return out;
}

int64_t count_code_points(std::string_view utf8) {
  require_utf8(utf8, "count_code_points");
  int64_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string substring_cp(std::string_view utf8, int64_t start, int64_t end) {
  if (start < 0) start = 0;
  if (end <= start) return {};
  size_t begin_byte = utf8.size(), end_byte = utf8.size();
  int64_t cp = 0;
  for (size_t i = 0; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80) continue;
    if (cp == start) begin_byte = i;
    if (cp == end) {
      end_byte = i;
      break;
    }
    ++cp;
  }
  if (begin_byte >= end_byte) return {};
  return std::string(utf8.substr(begin_byte, end_byte - begin_byte));
}

}  // namespace marginalia
