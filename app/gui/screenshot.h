// Saves what a window shows as a PNG, for tests and documentation. Main thread only.
#pragma once

#include <filesystem>

class wxWindow;

namespace marginalia::gui {

// Copies the window's rectangle from the screen into a PNG: for a frame its menu bar, panes and
// status bar (and its decorations when a window manager draws them on screen).
// Returns false when the file can't be written; the window must be shown and painted.
bool save_screenshot(wxWindow& window, const std::filesystem::path& file);

}  // namespace marginalia::gui
