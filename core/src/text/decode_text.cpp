// decode_text: bytes of a transcript file -> UTF-8, LF, NFC. ICU converts and detects; its types
// and error codes stay in this file.
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "text/utf8.h"

namespace marginalia {
namespace {

using text_detail::scan_utf8;

struct ConverterClose {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterClose>;

struct DetectorClose {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};
using Detector = std::unique_ptr<UCharsetDetector, DetectorClose>;

std::string prefix(std::string_view file_name) {
  return std::string(file_name) + ": ";
}

// Opens an ICU converter by any of its names; nullptr when ICU does not know the name.
Converter open_converter(const std::string& name) {
  if (name.empty()) return nullptr;
  UErrorCode status = U_ZERO_ERROR;
  Converter converter(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status)) return nullptr;
  return converter;
}

// The name people know an encoding by: the MIME name, else the IANA one, else ICU's own.
std::string canonical_name(UConverter* converter) {
  UErrorCode status = U_ZERO_ERROR;
  const char* internal = ucnv_getName(converter, &status);
  if (U_FAILURE(status) || internal == nullptr) return "unknown";
  for (const char* standard : {"MIME", "IANA"}) {
    UErrorCode s = U_ZERO_ERROR;
    const char* name = ucnv_getStandardName(internal, standard, &s);
    if (U_SUCCESS(s) && name != nullptr) return name;
  }
  return internal;
}

bool is_utf8_name(std::string_view canonical) {
  return canonical == "UTF-8";
}

bool is_wide_name(std::string_view canonical) {
  return canonical.starts_with("UTF-16") || canonical.starts_with("UTF-32");
}

// Converts `bytes` with `converter` to UTF-8, stopping at the first byte sequence the encoding does
// not define. `base` is where `bytes` starts in the file, for the message.
std::string convert_to_utf8(UConverter* converter, std::string_view bytes, int64_t base,
                            std::string_view file_name, const std::string& encoding) {
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  status = U_ZERO_ERROR;
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  const char* source = bytes.data();
  const char* const source_end = bytes.data() + bytes.size();
  UChar buffer[4096];
  UChar pending_high = 0;  // a high surrogate whose low half is in the next chunk
  bool done = false;
  while (!done) {
    UChar* target = buffer;
    status = U_ZERO_ERROR;
    ucnv_toUnicode(converter, &target, buffer + std::size(buffer), &source, source_end, nullptr,
                   /*flush=*/true, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      status = U_ZERO_ERROR;
    } else if (U_FAILURE(status)) {
      char bad[32];
      int8_t bad_length = sizeof bad;
      UErrorCode s = U_ZERO_ERROR;
      ucnv_getInvalidChars(converter, bad, &bad_length, &s);
      if (U_FAILURE(s)) bad_length = 0;
      const int64_t at = base + (source - bytes.data()) - bad_length;
      throw BadInput(prefix(file_name) + "invalid " + encoding + " at byte " + std::to_string(at));
    } else {
      done = true;
    }
    for (const UChar* p = buffer; p < target; ++p) {
      const UChar u = *p;
      if (pending_high != 0) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
          append_utf8(out, 0x10000 + ((char32_t(pending_high) - 0xD800) << 10) + (u - 0xDC00));
          pending_high = 0;
          continue;
        }
        append_utf8(out, 0xFFFD);
        pending_high = 0;
      }
      if (u >= 0xD800 && u <= 0xDBFF) {
        pending_high = u;
      } else if (u >= 0xDC00 && u <= 0xDFFF) {
        append_utf8(out, 0xFFFD);  // a lone low surrogate cannot be UTF-8
      } else {
        append_utf8(out, u);
      }
    }
  }
  if (pending_high != 0) append_utf8(out, 0xFFFD);
  return out;
}

struct Guess {
  std::string name;
  int32_t confidence = 0;
};

// ICU's detector's best guess, empty when it has none.
Guess detect(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  Detector detector(ucsdet_open(&status));
  if (U_FAILURE(status)) return {};
  // The detector reads at most the first few KB usefully and takes an int32 length.
  const auto length = static_cast<int32_t>(std::min<size_t>(bytes.size(), 1 << 20));
  ucsdet_setText(detector.get(), bytes.data(), length, &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  if (U_FAILURE(status) || match == nullptr) return {};
  Guess guess;
  const char* name = ucsdet_getName(match, &status);
  guess.confidence = ucsdet_getConfidence(match, &status);
  if (U_FAILURE(status) || name == nullptr) return {};
  guess.name = name;
  return guess;
}

// UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte.
std::string guess_bomless_utf16(std::string_view bytes) {
  if (bytes.size() < 4 || bytes.size() % 2 != 0) return {};
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\0') ++(i % 2 == 0 ? even_nul : odd_nul);
  }
  const size_t pairs = bytes.size() / 2;
  if (odd_nul * 10 >= pairs * 6 && even_nul == 0) return "UTF-16LE";
  if (even_nul * 10 >= pairs * 6 && odd_nul == 0) return "UTF-16BE";
  return {};
}

[[noreturn]] void throw_binary(std::string_view file_name, int64_t at) {
  throw BadInput(prefix(file_name) + "binary file, not text (NUL byte at byte " +
                 std::to_string(at) + ")");
}

[[noreturn]] void throw_invalid_utf8(std::string_view file_name, int64_t at) {
  throw BadInput(prefix(file_name) + "invalid UTF-8 at byte " + std::to_string(at));
}

// Bytes that claim UTF-8 (BOM already skipped; `base` is its length): valid or an error.
std::string checked_utf8(std::string_view bytes, int64_t base, std::string_view file_name) {
  const auto scan = scan_utf8(bytes);
  if (scan.first_invalid >= 0) throw_invalid_utf8(file_name, base + scan.first_invalid);
  if (scan.first_nul >= 0) throw_binary(file_name, base + scan.first_nul);
  return std::string(bytes);
}

struct Decoded {
  std::string utf8;
  std::string encoding;
  bool had_bom = false;
};

Decoded decode_as(std::string_view bytes, std::string_view file_name, const std::string& name) {
  Converter converter = open_converter(name);
  if (!converter) throw BadInput(prefix(file_name) + "unknown encoding '" + name + "'");
  const std::string canonical = canonical_name(converter.get());
  Decoded decoded;
  decoded.encoding = canonical;
  if (is_utf8_name(canonical)) {
    int64_t skip = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    decoded.had_bom = skip > 0;
    decoded.utf8 = checked_utf8(bytes.substr(skip), skip, file_name);
    return decoded;
  }
  if (!is_wide_name(canonical)) {
    const auto nul = bytes.find('\0');
    if (nul != std::string_view::npos) throw_binary(file_name, static_cast<int64_t>(nul));
  }
  decoded.utf8 = convert_to_utf8(converter.get(), bytes, 0, file_name, canonical);
  // The UTF-16 and UTF-32 converters keep or drop the BOM by name; U+FEFF at the start is one.
  if (decoded.utf8.starts_with("\xEF\xBB\xBF")) {
    decoded.utf8.erase(0, 3);
    decoded.had_bom = true;
  }
  if (decoded.utf8.find('\0') != std::string::npos) {
    throw BadInput(prefix(file_name) + "binary file, not text (NUL character after decoding " +
                   canonical + ")");
  }
  return decoded;
}

// Any 8-bit or East Asian charset the detector names with this much confidence is believed; below
// it, and for ISO-8859-1, the text is read as windows-1252.
constexpr int32_t kTrustedConfidence = 50;

Decoded detect_and_decode(std::string_view bytes, std::string_view file_name) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return decode_as(bytes, file_name, "UTF-8");
  if (bytes.starts_with(std::string_view("\xFF\xFE\0\0", 4))) {
    return decode_as(bytes, file_name, "UTF-32LE");
  }
  if (bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4))) {
    return decode_as(bytes, file_name, "UTF-32BE");
  }
  if (bytes.starts_with("\xFF\xFE")) return decode_as(bytes, file_name, "UTF-16LE");
  if (bytes.starts_with("\xFE\xFF")) return decode_as(bytes, file_name, "UTF-16BE");

  const auto scan = scan_utf8(bytes);
  if (scan.first_nul >= 0) {
    const Guess guess = detect(bytes);
    if (is_wide_name(guess.name)) return decode_as(bytes, file_name, guess.name);
    const std::string wide = guess_bomless_utf16(bytes);
    if (!wide.empty()) return decode_as(bytes, file_name, wide);
    throw_binary(file_name, scan.first_nul);
  }
  // Valid UTF-8 (pure ASCII included) is UTF-8.
  if (scan.first_invalid < 0) return {std::string(bytes), "UTF-8", false};
  // Well-formed multi-byte sequences next to ill-formed bytes: a damaged UTF-8 file, not 8-bit
  // text.
  if (scan.multi_byte > 0) throw_invalid_utf8(file_name, scan.first_invalid);

  // High bytes and no multi-byte sequence: 8-bit text. The detector's "UTF-8" for such bytes (it
  // says so for very short samples like "caf\xE9") is its fallback, not evidence.
  const Guess guess = detect(bytes);
  std::string name = "windows-1252";
  const bool other =
      !guess.name.empty() && guess.name != "ISO-8859-1" && guess.name != "windows-1252" &&
      !is_wide_name(guess.name) &&
      !guess.name.starts_with("IBM42");  // EBCDIC Hebrew and Arabic: never a transcript
  if (other && guess.confidence >= kTrustedConfidence) name = guess.name;
  return decode_as(bytes, file_name, name);
}

}  // namespace

DecodedText decode_text(std::string_view bytes, std::string_view file_name,
                        std::optional<std::string> encoding) {
  Decoded decoded =
      encoding ? decode_as(bytes, file_name, *encoding) : detect_and_decode(bytes, file_name);
  DecodedText result;
  result.encoding = std::move(decoded.encoding);
  result.had_bom = decoded.had_bom;
  result.had_crlf = decoded.utf8.find('\r') != std::string::npos;
  result.text = to_nfc(result.had_crlf ? normalize_line_endings(decoded.utf8) : decoded.utf8);
  return result;
}

}  // namespace marginalia
