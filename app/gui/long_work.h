// Long work off the main thread (STYLE.md habit 6): the work runs on its own thread with a progress
// sink and an atomic cancel; a wxProgressDialog with Cancel shows it; every widget update, and the
// `done` callback, runs on the main thread through CallAfter. The runner is owned by a window and
// used from the main thread only.
#pragma once

#include <wx/string.h>

#include <functional>
#include <memory>
#include <vector>

#include "marginalia/progress.h"

class wxWindow;

namespace marginalia::gui {

class LongWorkRunner {
 public:
  // Reports a failure of the work (an exception other than Cancelled) in words.
  using ErrorReporter = std::function<void(const wxString& message)>;

  // `parent` owns the progress dialogs; `report_error` is called on the main thread.
  LongWorkRunner(wxWindow* parent, ErrorReporter report_error);
  // Cancels whatever still runs and waits for its thread: no callback runs afterwards.
  ~LongWorkRunner();

  // Starts `work` on a new thread behind a progress dialog titled `title`. `work` must touch no
  // widget and no state the main thread edits; to hand results over while it runs it can use
  // post(). `done(finished)` runs on the main thread afterwards: finished is false when the work
  // was cancelled or failed (a failure is already reported).
  void start(const wxString& title, std::function<void(ProgressSink&)> work,
             std::function<void(bool finished)> done);

  // Runs `action` on the main thread soon, unless the runner is gone by then. Any thread.
  void post(std::function<void()> action);

  // Cancels every running work (each stops at its next check) and waits for the threads.
  void cancel_all_and_wait();
  // Tests and Close: is anything running?
  bool busy() const;

  struct Task;

 private:
  wxWindow* parent_;
  ErrorReporter report_error_;
  std::shared_ptr<bool> alive_;  // main thread only; false once the runner is gone
  std::vector<std::shared_ptr<Task>> tasks_;
};

}  // namespace marginalia::gui
