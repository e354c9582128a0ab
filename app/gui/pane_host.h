// What an analysis pane (search, retrieval, frequencies, matrices, agreement: app/gui/panes/) needs
// from the window that hosts it. The workbench's MainFrame implements it; GUI tests implement it on
// a bare frame. Panes hold no logic the core lacks: they call the core and show what it returns.
#pragma once

#include <wx/string.h>

#include <cstdint>
#include <functional>
#include <string>

#include "marginalia/progress.h"

namespace marginalia {
class ProjectStore;
class SearchIndex;
}  // namespace marginalia

namespace marginalia::gui {

class PaneHost {
 public:
  virtual ~PaneHost() = default;
  // The open project, writable; every edit a pane makes goes through it as a command (undoable).
  virtual ProjectStore& store() = 0;
  // The project's search index; it follows every edit of store().
  virtual SearchIndex& index() = 0;
  // The name of the coder who is coding now (shown in the status bar).
  virtual std::string current_coder() const = 0;
  // Show this passage (code points, [start, end)) in the transcript view and select it.
  virtual void show_passage(const std::string& source_guid, int64_t start, int64_t end) = 0;
  // Runs `work` on a background thread behind a progress dialog with Cancel; `done` runs on the UI
  // thread afterwards with whether the work finished (false: cancelled or failed, already
  // reported). No widget may be touched inside `work`.
  virtual void run_long_work(const wxString& title, std::function<void(ProgressSink&)> work,
                             std::function<void(bool finished)> done) = 0;
  // A pane changed the project (e.g. coded all hits): the host refreshes its views.
  virtual void project_changed() = 0;
};

}  // namespace marginalia::gui
