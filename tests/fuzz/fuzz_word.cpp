// Word .docx and OpenDocument .odt transcripts: a zip of XML. The first byte picks the reader; the
// rest is the file. A damaged or hostile file must be refused with BadInput, never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
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
    formatted = data[0] % 2 ? parse_odt(bytes, "fuzz.odt") : parse_docx(bytes, "fuzz.docx");
  } catch (const BadInput&) {
    return 0;
  }
  const Turns turns = parse_turns(formatted.text, RoleMap::defaults());
  const int64_t length = count_code_points(formatted.text);
  for (const Utterance& u : turns.utterances)
    if (u.start < 0 || u.start > u.end || u.end > length) std::abort();
  return 0;
}
