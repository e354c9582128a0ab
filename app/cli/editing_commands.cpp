// Registered by main(); the commands of this area are being written.
#include "cli_commands.h"

namespace marginalia::cli {

void add_editing_commands(CLI::App&, Runner&) {}

}  // namespace marginalia::cli
