#include "long_work.h"

#include <wx/app.h>
#include <wx/progdlg.h>
#include <wx/timer.h>
#include <wx/window.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "marginalia/error.h"

namespace marginalia::gui {

struct LongWorkRunner::Task : ProgressSink {
  std::thread thread;
  std::atomic<bool> cancel{false};
  std::atomic<bool> update_pending{false};
  std::mutex mutex;  // guards the three below
  int64_t done = 0, total = 0;
  std::string what;
  wxProgressDialog* dialog = nullptr;  // main thread only

  void progress(int64_t d, int64_t t, std::string_view w) override {
    std::lock_guard lock(mutex);
    done = d;
    total = t;
    what.assign(w);
  }
  bool cancelled() const override { return cancel.load(); }
};

LongWorkRunner::LongWorkRunner(wxWindow* parent, ErrorReporter report_error)
    : parent_(parent),
      report_error_(std::move(report_error)),
      alive_(std::make_shared<bool>(true)) {}

LongWorkRunner::~LongWorkRunner() {
  cancel_all_and_wait();
  *alive_ = false;
}

void LongWorkRunner::post(std::function<void()> action) {
  std::weak_ptr<bool> alive = alive_;  // copying the control block is thread-safe
  wxTheApp->CallAfter([alive, action = std::move(action)] {
    if (auto flag = alive.lock(); flag && *flag) action();
  });
}

bool LongWorkRunner::busy() const {
  return !tasks_.empty();
}

void LongWorkRunner::cancel_all_and_wait() {
  for (auto& task : tasks_) task->cancel = true;
  for (auto& task : tasks_) {
    if (task->thread.joinable()) task->thread.join();
    if (task->dialog) task->dialog->Destroy();
    task->dialog = nullptr;
  }
  tasks_.clear();
  // Results the threads posted before they stopped must not arrive after this.
  *alive_ = false;
  alive_ = std::make_shared<bool>(true);
}

void LongWorkRunner::start(const wxString& title, std::function<void(ProgressSink&)> work,
                           std::function<void(bool finished)> done) {
  auto task = std::make_shared<Task>();
  task->dialog = new wxProgressDialog(
      title, title, 1000, parent_,
      wxPD_CAN_ABORT | wxPD_AUTO_HIDE | wxPD_ELAPSED_TIME | wxPD_REMAINING_TIME | wxPD_SMOOTH);
  tasks_.push_back(task);

  // The dialog is refreshed from a timer on the main thread: the worker only stores numbers.
  auto* timer = new wxTimer;
  std::weak_ptr<Task> weak = task;
  timer->Bind(wxEVT_TIMER, [weak, timer](wxTimerEvent&) {
    auto t = weak.lock();
    if (!t || !t->dialog) {
      timer->Stop();
      wxTheApp->CallAfter([timer] { delete timer; });
      return;
    }
    int64_t d, total;
    std::string what;
    {
      std::lock_guard lock(t->mutex);
      d = t->done;
      total = t->total;
      what = t->what;
    }
    const int value = total > 0 ? static_cast<int>(std::min<int64_t>(999, d * 1000 / total)) : 0;
    if (!t->dialog->Update(value, wxString::FromUTF8(what))) t->cancel = true;
  });
  timer->Start(100);

  std::weak_ptr<bool> weak_alive = alive_;
  task->thread = std::thread([this, task_raw = task.get(), weak_alive, work = std::move(work),
                              done = std::move(done)]() mutable {
    bool finished = false;
    std::string failure;
    try {
      work(*task_raw);
      finished = !task_raw->cancel.load();
    } catch (const Cancelled&) {
    } catch (const std::exception& error) {
      failure = error.what();
    } catch (...) {
      failure = "the work failed for an unknown reason";
    }
    wxTheApp->CallAfter([this, task_raw, weak_alive, finished, failure, done = std::move(done)] {
      auto flag = weak_alive.lock();
      if (!flag || !*flag) return;  // the runner was cancelled or is gone: nothing to finish
      auto found = std::find_if(tasks_.begin(), tasks_.end(),
                                [&](const auto& t) { return t.get() == task_raw; });
      if (found == tasks_.end()) return;
      const std::shared_ptr<Task> task = *found;
      tasks_.erase(found);
      if (task->thread.joinable()) task->thread.join();
      if (task->dialog) task->dialog->Destroy();
      task->dialog = nullptr;
      if (!failure.empty()) report_error_(wxString::FromUTF8(failure));
      if (done) done(finished);
    });
  });
}

}  // namespace marginalia::gui
