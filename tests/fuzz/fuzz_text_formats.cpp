// The text transcript formats of other tools: WebVTT, SRT, Zoom's saved transcript and Markdown.
// The first byte picks the reader; the rest is the file, decoded first as import does (the readers
// take valid UTF-8). Each reader must return text whose turns lie inside it, or refuse with
// BadInput.
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
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  FormattedTranscript formatted;
  try {
    const std::string text = decode_text(bytes, "fuzz.txt", std::nullopt).text;
    switch (data[0] % 4) {
      case 0:
        formatted = parse_vtt(text);
        break;
      case 1:
        formatted = parse_srt(text);
        break;
      case 2:
        formatted = parse_zoom_text(text);
        break;
      default:
        formatted = parse_markdown(text);
        break;
    }
  } catch (const BadInput&) {
    return 0;  // refused with a message: fine
  }
  const Turns turns = parse_turns(formatted.text, RoleMap::defaults());
  const int64_t length = count_code_points(formatted.text);
  for (const Utterance& u : turns.utterances)
    if (u.start < 0 || u.start > u.end || u.end > length) std::abort();
  return 0;
}
