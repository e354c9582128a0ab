#include "pane_long_work.h"

#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/gauge.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/timer.h>
#include <wx/utils.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "marginalia/error.h"

namespace marginalia::gui {

namespace {

// What the worker tells the dialog; everything behind the mutex or atomic.
class SharedProgress : public ProgressSink {
 public:
  void progress(int64_t done, int64_t total, std::string_view what) override {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = done;
    total_ = total;
    what_.assign(what);
  }
  bool cancelled() const override { return cancel.load(); }

  // Permille done (-1 when unknown) and the latest label.
  std::pair<int, wxString> read() const {
    std::lock_guard<std::mutex> lock(mutex_);
    const int permille =
        total_ > 0 ? static_cast<int>(1000 * std::min(done_, total_) / total_) : -1;
    return {permille, wxString::FromUTF8(what_.data(), what_.size())};
  }

  std::atomic<bool> cancel{false};

 private:
  mutable std::mutex mutex_;
  int64_t done_ = 0, total_ = 0;
  std::string what_;
};

// A small modeless dialog: what is being done, a gauge, Cancel. The rest of the app is disabled
// while it shows (as a modal dialog would) but the event loop stays the app's own, so the window
// keeps painting.
class ProgressWindow : public wxDialog {
 public:
  ProgressWindow(wxWindow* parent, const wxString& title)
      : wxDialog(parent, wxID_ANY, title, wxDefaultPosition, wxDefaultSize, wxCAPTION) {
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    label_ =
        new wxStaticText(this, wxID_ANY, title + wxString::FromUTF8("\u2026"), wxDefaultPosition,
                         FromDIP(wxSize(360, -1)), wxST_ELLIPSIZE_END | wxST_NO_AUTORESIZE);
    gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, FromDIP(wxSize(360, -1)));
    cancel_ = new wxButton(this, wxID_CANCEL, "Cancel");
    sizer->Add(label_, wxSizerFlags().Expand().Border(wxALL, FromDIP(10)));
    sizer->Add(gauge_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, FromDIP(10)));
    sizer->Add(cancel_, wxSizerFlags().Right().Border(wxALL, FromDIP(10)));
    SetSizerAndFit(sizer);
    CentreOnParent();
  }
  void show(int permille, const wxString& what) {
    if (permille < 0)
      gauge_->Pulse();
    else
      gauge_->SetValue(permille);
    if (!what.empty() && what != label_->GetLabel()) label_->SetLabel(what);
  }
  wxButton* cancel_button() const { return cancel_; }

 private:
  wxStaticText* label_;
  wxGauge* gauge_;
  wxButton* cancel_;
};

// Owns the thread, the dialog and the timer; deletes itself when the work has ended.
class Run : public wxEvtHandler {
 public:
  Run(wxWindow* parent, const wxString& title, std::function<void(ProgressSink&)> work,
      std::function<void(bool)> done, std::function<void(const wxString&)> report_error)
      : done_(std::move(done)), report_error_(std::move(report_error)) {
    dialog_ = new ProgressWindow(parent, title);
    dialog_->cancel_button()->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
      sink_.cancel = true;
      dialog_->cancel_button()->Disable();
    });
    dialog_->Show();
    disabler_ = std::make_unique<wxWindowDisabler>(dialog_);
    timer_.SetOwner(this);
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { update(); });
    timer_.Start(100);
    thread_ = std::thread([this, work = std::move(work)] {
      bool ok = false;
      std::string error;
      try {
        work(sink_);
        ok = true;
      } catch (const Cancelled&) {
      } catch (const std::exception& e) {
        error = e.what();
      }
      // wxEvtHandler::CallAfter queues an event: safe from this thread.
      CallAfter([this, ok, error] { finish(ok, error); });
    });
  }

 private:
  void update() {
    const auto [permille, what] = sink_.read();
    dialog_->show(permille, what);
  }

  void finish(bool ok, const std::string& error) {
    timer_.Stop();
    thread_.join();
    disabler_.reset();
    dialog_->Destroy();
    if (!error.empty() && report_error_) report_error_(wxString::FromUTF8(error));
    if (done_) done_(ok);
    delete this;
  }

  std::function<void(bool)> done_;
  std::function<void(const wxString&)> report_error_;
  SharedProgress sink_;
  ProgressWindow* dialog_ = nullptr;
  std::unique_ptr<wxWindowDisabler> disabler_;
  wxTimer timer_;
  std::thread thread_;
};

}  // namespace

void run_with_progress_dialog(wxWindow* parent, const wxString& title,
                              std::function<void(ProgressSink&)> work,
                              std::function<void(bool finished)> done,
                              std::function<void(const wxString& message)> report_error) {
  new Run(parent, title, std::move(work), std::move(done), std::move(report_error));
}

}  // namespace marginalia::gui
