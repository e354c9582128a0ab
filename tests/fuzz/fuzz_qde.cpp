// project.qde as a project is opened (REFI-QDA project XML, the source texts supplied): what is
// read must pass the project check's model rules for offsets and codes, and must write and read
// back without error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "marginalia/check.h"
#include "marginalia/error.h"
#include "storage/storage_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace marginalia;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Every source's text: a short transcript with a multi-byte character, so offsets past it and
  // inside it are both reachable.
  auto text = [](const std::string&, const std::string&) {
    return std::string("Client: Ich schämte mich 😳.\nTherapist: Mm, go on.\n");
  };
  Project project;
  try {
    project = storage::read_qde(bytes, "fuzz/project.qde", text);
  } catch (const BadInput&) {
    return 0;
  }
  for (const CheckFinding& f : check_model(project))
    if (f.area == "offsets") std::abort();  // the reader let a span outside its text through
  const std::string written = storage::write_qde(project);
  try {
    (void)storage::read_qde(written, "fuzz/written.qde", text);
  } catch (const BadInput&) {
    std::abort();  // we wrote what we cannot read
  }
  return 0;
}
