// Long work behind a progress dialog: the work runs on a std::thread, the dialog (with Cancel) is
// updated on the UI thread from a timer, and `done` runs on the UI thread through CallAfter. What
// PaneHost::run_long_work promises, for hosts to call. Main thread only (the work itself: any).
#pragma once

#include <wx/string.h>

#include <functional>

#include "marginalia/progress.h"

class wxWindow;

namespace marginalia::gui {

// Starts `work` and returns at once. A failure (an exception from `work`) goes to `report_error`
// with its message; `done(false)` follows it, and follows a cancel. No widget may be touched inside
// `work`.
void run_with_progress_dialog(wxWindow* parent, const wxString& title,
                              std::function<void(ProgressSink&)> work,
                              std::function<void(bool finished)> done,
                              std::function<void(const wxString& message)> report_error);

}  // namespace marginalia::gui
