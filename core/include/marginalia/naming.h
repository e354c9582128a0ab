// How people name things in commands: a GUID, a name, or a "Parent/Child" path. Ambiguous names are
// errors that list the candidates.
#pragma once

#include <string>
#include <string_view>

#include "marginalia/model.h"

namespace marginalia {

// Each returns the guid, or throws BadInput ("no code named ...", "code name "X" is ambiguous:
// ...").
std::string resolve_code(const Project& project, std::string_view reference);
std::string resolve_source(const Project& project, std::string_view reference);
std::string resolve_coding(const Project& project, std::string_view reference);

}  // namespace marginalia
