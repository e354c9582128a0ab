// Text in, and the one place offsets are converted. Implemented in core/src/text/ (the only module
// that includes ICU).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marginalia {

struct DecodedText {
  std::string text;      // UTF-8, LF line endings, no BOM, NFC
  std::string encoding;  // canonical name: "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252", ...
  bool had_bom = false;
  bool had_crlf = false;  // CRLF or lone CR line endings were converted
};

// Decodes a transcript file's bytes. `encoding` forces an encoding (any ICU converter name, e.g.
// "UTF-8", "windows-1252", "ISO-8859-1"); otherwise a BOM decides, else ICU's detector (ISO-8859-1
// is read as windows-1252, as browsers do; a forced "ISO-8859-1" is taken literally). Throws
// BadInput naming `file_name` and the byte offset when text that claims UTF-8 has invalid bytes
// (valid multi-byte sequences next to invalid bytes claim UTF-8), for a NUL byte (a binary file)
// and for an unknown encoding name.
DecodedText decode_text(std::string_view bytes, std::string_view file_name,
                        std::optional<std::string> encoding = std::nullopt);

// CRLF and lone CR become LF.
std::string normalize_line_endings(std::string_view text);
// Unicode NFC of valid UTF-8.
std::string to_nfc(std::string_view utf8);
// Number of code points in valid UTF-8.
int64_t count_code_points(std::string_view utf8);
// Unicode case folding of valid UTF-8 ("ÉLODIE" and "élodie" fold alike), for comparing labels.
std::string fold_case(std::string_view utf8);

// Maps positions in one UTF-8 text between code points, UTF-8 bytes and UTF-16 units. Built once
// per text in O(n); queries are O(log n). Positions may equal the length (end of text).
class OffsetMap {
 public:
  OffsetMap() = default;
  explicit OffsetMap(std::string_view utf8);

  int64_t code_points() const { return code_points_; }
  int64_t bytes() const { return bytes_; }
  int64_t utf16_units() const { return utf16_units_; }

  // Each throws BadInput when the position is out of range or (for bytes and UTF-16 units) not on a
  // code point boundary, e.g. inside a surrogate pair.
  int64_t byte_of(int64_t code_point) const;
  int64_t code_point_of_byte(int64_t byte) const;
  int64_t utf16_of(int64_t code_point) const;
  int64_t code_point_of_utf16(int64_t unit) const;

 private:
  // Only code points that are not ASCII are recorded; ASCII runs between them are implied, so a
  // mostly-ASCII transcript costs little and every lookup is one binary search over these vectors.
  std::vector<int64_t> multi_cp_;     // code point indices of non-ASCII code points, ascending
  std::vector<int64_t> multi_bytes_;  // their byte lengths minus 1, cumulative
  std::vector<int64_t> multi_units_;  // their UTF-16 lengths minus 1 (0 or 1), cumulative
  int64_t code_points_ = 0;
  int64_t bytes_ = 0;
  int64_t utf16_units_ = 0;
};

// The substring of `utf8` from code point `start` to `end` (clamped to the text).
std::string substring_cp(std::string_view utf8, int64_t start, int64_t end);

// Appends one code point (at most U+10FFFF, not a surrogate) to UTF-8 text.
inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace marginalia

// --- Segmentation (core/src/text/segmentation.cpp): ICU break iterators over UTF-8 via UText ---

namespace marginalia {

// [start, end) in code points of the text that was segmented.
struct TextRange {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const TextRange&) const = default;
};

// The sentences of `utf8` as ICU's sentence BreakIterator finds them for `language` (ISO 639-1,
// e.g. "en"). English uses ICU's English abbreviation list ("Mr. Smith", "e.g. this" stay in one
// sentence) plus "Dr." and "Drs.", which that list lacks; other languages ICU's plain rules
// (ICU's German list also suppresses breaks after ordinary words). "I think... I was" breaks
// after the dots, "sort of… dropped" does not; a closing quote stays with its sentence; a line
// break ends a sentence. Each range is trimmed of the white space around it. In text order, not
// overlapping. Throws BadInput for invalid UTF-8.
std::vector<TextRange> sentence_ranges(std::string_view utf8, std::string_view language = "en");

struct WordToken {
  TextRange range;     // code points
  std::string folded;  // case-folded (ICU full case folding), typographic apostrophes made '\''
};

// The words of `utf8` by ICU's word BreakIterator: runs of letters, kana or ideographs ("don't"
// and "café's" are one word each, "self-esteem" two); numbers, words with digits ("3rd"),
// punctuation and white space are no words. Throws BadInput for invalid UTF-8.
std::vector<WordToken> word_tokens(std::string_view utf8, std::string_view language = "en");

}  // namespace marginalia
