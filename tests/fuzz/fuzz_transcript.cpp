// Transcript files as import reads them: decoding (BOM, ICU's detector, forced encodings, NFC, line
// endings) and then speaker turns. The first byte picks how the encoding is chosen; the rest is the
// file. Every turn must lie inside the decoded text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "marginalia/error.h"
#include "marginalia/text.h"
#include "marginalia/transcript.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace marginalia;
  if (size == 0) return 0;
  static const char* const kEncodings[] = {"UTF-8", "windows-1252", "UTF-16LE", "ISO-8859-1"};
  std::optional<std::string> encoding;
  if (data[0] < 4) encoding = kEncodings[data[0]];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  DecodedText decoded;
  try {
    decoded = decode_text(bytes, "fuzz.txt", encoding);
  } catch (const BadInput&) {
    return 0;  // refused with a message: fine
  }
  const Turns turns = parse_turns(decoded.text, RoleMap::defaults());
  const int64_t length = count_code_points(decoded.text);
  const OffsetMap map(decoded.text);
  for (const Utterance& u : turns.utterances) {
    if (u.start < 0 || u.start > u.end || u.end > length) std::abort();
    // Every turn converts to bytes and UTF-16 and back through the one offset map.
    if (map.code_point_of_byte(map.byte_of(u.start)) != u.start ||
        map.code_point_of_utf16(map.utf16_of(u.end)) != u.end)
      std::abort();
  }
  return 0;
}
