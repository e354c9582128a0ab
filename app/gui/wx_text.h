// Text crossing between the core (UTF-8 std::string) and wx (wxString). A narrow literal or
// std::string given to wxString directly is decoded in the C locale, which mangles non-ASCII text.
#pragma once

#include <wx/string.h>

#include <string>
#include <string_view>

namespace marginalia::gui {

inline wxString utf8(std::string_view text) {
  return wxString::FromUTF8(text.data(), text.size());
}

inline std::string to_utf8(const wxString& text) {
  return text.utf8_string();
}

}  // namespace marginalia::gui
