#include "cli_commands.h"

namespace marginalia::cli {

Session open_for_writing(const std::string& folder) {
  return Session{ProjectStore::open(folder), nullptr};
}

}  // namespace marginalia::cli
