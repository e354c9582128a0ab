// project.qde as a project is opened, and as another tool's file is imported (REFI-QDA project XML,
// the source texts supplied): what is read must keep every span inside its text, and must write
// and read back without error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "marginalia/check.h"
#include "marginalia/error.h"
#include "marginalia/qdpx.h"
#include "storage/storage_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace marginalia;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Every source's text: a short transcript with a multi-byte character, so offsets past it and
  // inside it are both reachable.
  storage::QdeInput input;
  input.load_text = [](const std::string&, const std::string&) -> std::optional<std::string> {
    return std::string("Client: Ich schämte mich 😳.\nTherapist: Mm, go on.\n");
  };
  // Read as our own project folder (every problem throws) and as another tool's file (problems
  // reported, what they concern skipped).
  QdpxReport report;
  for (QdpxReport* foreign : {static_cast<QdpxReport*>(nullptr), &report}) {
    input.report = foreign;
    Project project;
    try {
      project = storage::read_qde(bytes, "fuzz/project.qde", input);
    } catch (const BadInput&) {
      continue;
    }
    for (const CheckFinding& f : check_model(project))
      if (f.area == "offsets") std::abort();  // the reader let a span outside its text through
    const std::string written = storage::write_qde(project);
    input.report = nullptr;
    try {
      (void)storage::read_qde(written, "fuzz/written.qde", input);
    } catch (const BadInput&) {
      std::abort();  // we wrote what we cannot read
    }
  }
  return 0;
}
