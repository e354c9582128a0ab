// decode_text, line endings and NFC: bytes built here, one encoding per test.
#include <gtest/gtest.h>

#include <string>

#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {
namespace {

using namespace std::string_literals;

std::string error_of(std::string_view bytes, std::optional<std::string> encoding = std::nullopt) {
  try {
    decode_text(bytes, "interview.txt", std::move(encoding));
  } catch (const BadInput& e) {
    return e.what();
  }
  return "no error";
}

TEST(DecodeText, PureAsciiIsUtf8) {
  const auto d = decode_text("Interviewer: Hello.\n", "a.txt");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.text, "Interviewer: Hello.\n");
  EXPECT_FALSE(d.had_bom);
  EXPECT_FALSE(d.had_crlf);
}

TEST(DecodeText, EmptyFileIsEmptyUtf8) {
  const auto d = decode_text("", "a.txt");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.text, "");
}

TEST(DecodeText, Utf8WithoutBom) {
  const auto d =
      decode_text("Lena: caf\xC3\xA9 \xE2\x80\x9Cyes\xE2\x80\x9D \xF0\x9F\x98\x80", "a.txt");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_FALSE(d.had_bom);
  EXPECT_EQ(d.text, "Lena: café “yes” 😀");
}

TEST(DecodeText, Utf8BomIsRemoved) {
  const auto d = decode_text("\xEF\xBB\xBFI: caf\xC3\xA9\n", "a.txt");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_TRUE(d.had_bom);
  EXPECT_EQ(d.text, "I: café\n");
}

TEST(DecodeText, Utf16LittleEndianWithBom) {
  // "I: é😀\n" in UTF-16LE: é is U+00E9, 😀 is the pair D83D DE00.
  const std::string bytes =
      "\xFF\xFE"
      "I\0:\0 \0\xE9\0\x3D\xD8\x00\xDE\n\0"s;
  const auto d = decode_text(bytes, "a.txt");
  EXPECT_EQ(d.encoding, "UTF-16LE");
  EXPECT_TRUE(d.had_bom);
  EXPECT_EQ(d.text, "I: é😀\n");
}

TEST(DecodeText, Utf16BigEndianWithBom) {
  const std::string bytes =
      "\xFE\xFF"
      "\0I\0:\0 \0\xE9\xD8\x3D\xDE\x00\0\r\0\n"s;
  const auto d = decode_text(bytes, "a.txt");
  EXPECT_EQ(d.encoding, "UTF-16BE");
  EXPECT_TRUE(d.had_bom);
  EXPECT_TRUE(d.had_crlf);
  EXPECT_EQ(d.text, "I: é😀\n");
}

TEST(DecodeText, Utf16WithoutBomIsDetected) {
  const std::string bytes = "I\0:\0 \0h\0e\0l\0l\0o\0 \0t\0h\0e\0r\0e\0\n\0"s;
  const auto d = decode_text(bytes, "a.txt");
  EXPECT_EQ(d.encoding, "UTF-16LE");
  EXPECT_EQ(d.text, "I: hello there\n");
}

TEST(DecodeText, Windows1252SmartQuotesSurvive) {
  const std::string bytes =
      "Lena: I said \x93no\x94 and didn\x92t mean it. The caf\xE9 was closed.\n"
      "Interviewer: And then?\n";
  const auto d = decode_text(bytes, "a.txt");
  EXPECT_EQ(d.encoding, "windows-1252");
  EXPECT_EQ(d.text,
            "Lena: I said “no” and didn’t mean it. The café was closed.\n"
            "Interviewer: And then?\n");
}

TEST(DecodeText, DetectedLatin1IsReadAsWindows1252) {
  // Plain Latin-1 letters (the detector says ISO-8859-1) and one 0x92 apostrophe.
  const std::string bytes =
      "Client: Ma m\xE8re \xE9tait na\xEFve, et le caf\xE9 \xE9tait ferm\xE9. "
      "C\x92\xE9tait l\xE0-bas, pr\xE8s de la gare, o\xF9 nous allions souvent.\n";
  const auto d = decode_text(bytes, "a.txt");
  EXPECT_EQ(d.encoding, "windows-1252");
  EXPECT_EQ(d.text,
            "Client: Ma mère était naïve, et le café était fermé. "
            "C’était là-bas, près de la gare, où nous allions souvent.\n");
}

TEST(DecodeText, ShortEightBitTextIsWindows1252) {
  const auto d = decode_text("caf\xE9", "a.txt");
  EXPECT_EQ(d.encoding, "windows-1252");
  EXPECT_EQ(d.text, "café");
  EXPECT_EQ(decode_text("I: 5\x80", "a.txt").text, "I: 5€");
}

TEST(DecodeText, CrlfAndLoneCrBecomeLf) {
  const auto d = decode_text("I: one\r\nC: two\rI: three\r\n\r\nend", "a.txt");
  EXPECT_TRUE(d.had_crlf);
  EXPECT_EQ(d.text, "I: one\nC: two\nI: three\n\nend");
}

TEST(DecodeText, NfdBecomesNfc) {
  // "e" + COMBINING ACUTE ACCENT (U+0301) -> "é" (U+00E9).
  const auto d = decode_text("Rene\xCC\x81: cafe\xCC\x81", "a.txt");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.text, "Ren\xC3\xA9: caf\xC3\xA9");
}

TEST(DecodeText, InvalidUtf8NamesFileAndByteOffset) {
  // Valid multi-byte text with one stray byte: a damaged UTF-8 file, not windows-1252.
  const std::string bytes = "I: caf\xC3\xA9 ok\nC: bad \xFF here\n";
  EXPECT_EQ(error_of(bytes),
            "interview.txt: invalid UTF-8 at byte " + std::to_string(bytes.find('\xFF')));
}

TEST(DecodeText, InvalidUtf8OffsetCountsTheBom) {
  const std::string bytes = "\xEF\xBB\xBFI: ok \xC3(";
  EXPECT_EQ(error_of(bytes), "interview.txt: invalid UTF-8 at byte 9");
}

TEST(DecodeText, TruncatedAndOverlongSequencesAreInvalidUnderUtf8) {
  EXPECT_EQ(error_of("abc\xE2\x82", "UTF-8"), "interview.txt: invalid UTF-8 at byte 3");
  EXPECT_EQ(error_of("ab\xC0\xAF", "UTF-8"), "interview.txt: invalid UTF-8 at byte 2");
  EXPECT_EQ(error_of("a\xED\xA0\x80", "UTF-8"), "interview.txt: invalid UTF-8 at byte 1");
}

TEST(DecodeText, OverrideForcesTheEncoding) {
  // Valid UTF-8 bytes for "é" read as windows-1252 give "Ã©".
  const auto forced = decode_text("caf\xC3\xA9", "a.txt", "windows-1252");
  EXPECT_EQ(forced.encoding, "windows-1252");
  EXPECT_EQ(forced.text, "caf\xC3\x83\xC2\xA9");
  // ISO-8859-1 asked for is ISO-8859-1: 0x93 stays the C1 control U+0093.
  const auto latin1 = decode_text("\x93hi\x94", "a.txt", "latin1");
  EXPECT_EQ(latin1.encoding, "ISO-8859-1");
  EXPECT_EQ(latin1.text, "\xC2\x93hi\xC2\x94");
}

TEST(DecodeText, OverrideUtf8RejectsWindows1252Bytes) {
  EXPECT_EQ(error_of("I said \x93no\x94", "UTF-8"), "interview.txt: invalid UTF-8 at byte 7");
}

TEST(DecodeText, UnknownEncodingIsRejected) {
  EXPECT_EQ(error_of("abc", "xyz"), "interview.txt: unknown encoding 'xyz'");
  EXPECT_EQ(error_of("abc", ""), "interview.txt: unknown encoding ''");
}

TEST(DecodeText, NulByteMeansBinaryFile) {
  const std::string bytes = "I: hello\0\x01\x02 world"s;
  const auto message = error_of(bytes);
  EXPECT_NE(message.find("interview.txt: binary file"), std::string::npos) << message;
  EXPECT_NE(message.find("byte 8"), std::string::npos) << message;
}

TEST(TextNormalize, LineEndings) {
  EXPECT_EQ(normalize_line_endings("a\r\nb\rc\n\r\r\nd"), "a\nb\nc\n\n\nd");
  EXPECT_EQ(normalize_line_endings(""), "");
}

TEST(TextNormalize, NfcAndCounting) {
  EXPECT_EQ(to_nfc("A\xCC\x8A"), "\xC3\x85");  // A + ring above -> Å
  EXPECT_EQ(to_nfc("plain"), "plain");
  EXPECT_EQ(count_code_points("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"), 4);
  EXPECT_THROW(count_code_points("a\xFF"), BadInput);
}

TEST(TextNormalize, FoldCase) {
  EXPECT_EQ(fold_case("INTERVIEWER"), "interviewer");
  EXPECT_EQ(fold_case("\xC3\x89LODIE"), "\xC3\xA9lodie");  // ÉLODIE
}

TEST(TextSubstring, ByCodePoints) {
  const std::string text = "I: 😀 café 中文";
  EXPECT_EQ(substring_cp(text, 3, 4), "😀");
  EXPECT_EQ(substring_cp(text, 5, 9), "café");
  EXPECT_EQ(substring_cp(text, 10, 12), "中文");
  EXPECT_EQ(substring_cp(text, 10, 100), "中文");  // clamped
  EXPECT_EQ(substring_cp(text, -5, 1), "I");
  EXPECT_EQ(substring_cp(text, 7, 7), "");
  EXPECT_EQ(substring_cp(text, 9, 3), "");
  EXPECT_EQ(substring_cp(text, 50, 60), "");
}

}  // namespace
}  // namespace marginalia
