// .qdpx archives (and bare .qde files) from other tools, as `open` imports them: the zip container
// with its limits, then the REFI reader with each tool's conventions. What is imported must keep
// every span inside its text and every coding on a code that exists.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "marginalia/check.h"
#include "marginalia/error.h"
#include "marginalia/qdpx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace marginalia;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  QdpxOptions options;
  options.max_expanded_bytes = int64_t(1) << 24;  // a zip bomb is refused, not followed
  QdpxImport imported;
  try {
    imported = read_qdpx_bytes(bytes, "fuzz.qdpx", options);
  } catch (const BadInput&) {
    return 0;
  }
  for (const CheckFinding& f : check_model(imported.project))
    if (f.area == "offsets" || f.message.find("names a code") != std::string::npos) std::abort();
  return 0;
}
