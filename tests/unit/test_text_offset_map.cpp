// OffsetMap: code points <-> UTF-8 bytes <-> UTF-16 units.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia {
namespace {

std::string error_of(auto&& call) {
  try {
    call();
  } catch (const BadInput& e) {
    return e.what();
  }
  return "no error";
}

TEST(OffsetMap, Empty) {
  const OffsetMap map("");
  EXPECT_EQ(map.code_points(), 0);
  EXPECT_EQ(map.bytes(), 0);
  EXPECT_EQ(map.utf16_units(), 0);
  EXPECT_EQ(map.byte_of(0), 0);
  EXPECT_EQ(map.code_point_of_utf16(0), 0);
  EXPECT_THROW(map.byte_of(1), BadInput);
}

TEST(OffsetMap, Ascii) {
  const OffsetMap map("Interviewer: hello there, how are you?");
  EXPECT_EQ(map.code_points(), 38);
  EXPECT_EQ(map.bytes(), 38);
  EXPECT_EQ(map.utf16_units(), 38);
  for (int64_t i = 0; i <= 38; ++i) {
    EXPECT_EQ(map.byte_of(i), i);
    EXPECT_EQ(map.code_point_of_byte(i), i);
    EXPECT_EQ(map.utf16_of(i), i);
    EXPECT_EQ(map.code_point_of_utf16(i), i);
  }
}

TEST(OffsetMap, Emoji) {
  // U+1F600 is 4 bytes, 2 UTF-16 units, 1 code point.
  const OffsetMap map(
      "a\xF0\x9F\x98\x80"
      "b");
  EXPECT_EQ(map.code_points(), 3);
  EXPECT_EQ(map.bytes(), 6);
  EXPECT_EQ(map.utf16_units(), 4);
  EXPECT_EQ(map.byte_of(0), 0);
  EXPECT_EQ(map.byte_of(1), 1);
  EXPECT_EQ(map.byte_of(2), 5);
  EXPECT_EQ(map.byte_of(3), 6);
  EXPECT_EQ(map.utf16_of(2), 3);
  EXPECT_EQ(map.utf16_of(3), 4);
  EXPECT_EQ(map.code_point_of_byte(5), 2);
  EXPECT_EQ(map.code_point_of_byte(6), 3);
  EXPECT_EQ(map.code_point_of_utf16(3), 2);
  EXPECT_EQ(map.code_point_of_utf16(4), 3);
}

TEST(OffsetMap, InsideSurrogatePairOrSequenceIsRejected) {
  const OffsetMap map(
      "a\xF0\x9F\x98\x80"
      "b");
  for (int64_t byte : {2, 3, 4}) {
    const auto message = error_of([&] { map.code_point_of_byte(byte); });
    EXPECT_EQ(message, "byte position " + std::to_string(byte) +
                           " is inside a character, not on a code point boundary");
  }
  EXPECT_EQ(error_of([&] { map.code_point_of_utf16(2); }),
            "UTF-16 position 2 is inside a character, not on a code point boundary");
}

TEST(OffsetMap, OutOfRangeNamesThePosition) {
  const OffsetMap map("héllo");
  EXPECT_EQ(error_of([&] { map.byte_of(6); }),
            "code point position 6 is out of range (text length 5)");
  EXPECT_EQ(error_of([&] { map.byte_of(-1); }),
            "code point position -1 is out of range (text length 5)");
  EXPECT_EQ(error_of([&] { map.code_point_of_byte(7); }),
            "byte position 7 is out of range (text length 6)");
  EXPECT_EQ(error_of([&] { map.code_point_of_utf16(6); }),
            "UTF-16 position 6 is out of range (text length 5)");
  EXPECT_THROW(map.utf16_of(6), BadInput);
}

TEST(OffsetMap, CombiningMarksAreCodePointsOfTheirOwn) {
  // "e" + U+0301 (2 bytes, 1 unit) stays two code points: NFD text is not merged by the map.
  const OffsetMap map("e\xCC\x81x");
  EXPECT_EQ(map.code_points(), 3);
  EXPECT_EQ(map.bytes(), 4);
  EXPECT_EQ(map.utf16_units(), 3);
  EXPECT_EQ(map.byte_of(1), 1);
  EXPECT_EQ(map.byte_of(2), 3);
  EXPECT_THROW(map.code_point_of_byte(2), BadInput);
  EXPECT_EQ(map.code_point_of_utf16(2), 2);
}

TEST(OffsetMap, Cjk) {
  const OffsetMap map("中文字");  // three 3-byte code points
  EXPECT_EQ(map.code_points(), 3);
  EXPECT_EQ(map.bytes(), 9);
  EXPECT_EQ(map.utf16_units(), 3);
  for (int64_t i = 0; i <= 3; ++i) {
    EXPECT_EQ(map.byte_of(i), 3 * i);
    EXPECT_EQ(map.code_point_of_byte(3 * i), i);
    EXPECT_EQ(map.utf16_of(i), i);
  }
  EXPECT_THROW(map.code_point_of_byte(4), BadInput);
  EXPECT_THROW(map.code_point_of_byte(8), BadInput);
}

TEST(OffsetMap, MixedTextRoundTripsAgainstAWalk) {
  const std::string text = "I: 😀 café\n中文 — ok 🇩🇪 e\xCC\x81 end";
  const OffsetMap map(text);
  int64_t cp = 0, units = 0;
  for (size_t byte = 0; byte <= text.size(); ++byte) {
    const bool boundary =
        byte == text.size() || (static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80;
    if (!boundary) {
      EXPECT_THROW(map.code_point_of_byte(static_cast<int64_t>(byte)), BadInput) << byte;
      continue;
    }
    EXPECT_EQ(map.byte_of(cp), static_cast<int64_t>(byte));
    EXPECT_EQ(map.code_point_of_byte(static_cast<int64_t>(byte)), cp);
    EXPECT_EQ(map.utf16_of(cp), units);
    EXPECT_EQ(map.code_point_of_utf16(units), cp);
    if (byte < text.size()) {
      units += static_cast<unsigned char>(text[byte]) >= 0xF0 ? 2 : 1;
      ++cp;
    }
  }
  EXPECT_EQ(map.code_points(), cp);
  EXPECT_EQ(map.utf16_units(), units);
  EXPECT_EQ(map.bytes(), static_cast<int64_t>(text.size()));
}

TEST(OffsetMap, InvalidUtf8IsRejected) {
  EXPECT_THROW(OffsetMap("ab\xFF"), BadInput);
  EXPECT_THROW(OffsetMap("ab\xE4\xB8"), BadInput);
}

TEST(OffsetMap, BuildsALargeTranscriptQuickly) {
  // 2.4 MB, one non-ASCII character every ~40 bytes.
  std::string text;
  while (text.size() < 2'400'000)
    text += "Lena: I was frightened, caf\xC3\xA9 \xE2\x80\x9Cno\xE2\x80\x9D.\n";
  const auto begin = std::chrono::steady_clock::now();
  const OffsetMap map(text);
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(map.bytes(), static_cast<int64_t>(text.size()));
  EXPECT_EQ(map.byte_of(map.code_points()), map.bytes());
  // Generous for a sanitizer debug build; an optimised build takes a few ms.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 1000);
}

}  // namespace
}  // namespace marginalia
