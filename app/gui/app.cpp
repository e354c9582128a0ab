// marginalia [PROJECT_FOLDER] [--screenshot FILE.png]
#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/msgdlg.h>
#include <wx/timer.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "main_frame.h"
#include "screenshot.h"

namespace marginalia::gui {
namespace {

class App : public wxApp {
 public:
  bool OnInit() override {
    if (!wxApp::OnInit()) return false;  // parses the command line
    SetAppDisplayName("Marginalia");
    auto* frame = new MainFrame;
    if (screenshot_) {
      // Unattended: a modal box would wait for ever, so errors go to stderr and the exit code.
      frame->set_error_reporter([this](const wxString& message) {
        std::fprintf(stderr, "marginalia: %s\n", message.utf8_str().data());
        exit_code_ = 1;
      });
      // Nobody to ask who is coding: the suggestion ($MARGINALIA_CODER, the last coder, the
      // login name) stands.
      frame->set_coder_chooser(
          [](const std::vector<std::string>&, const std::string&) { return std::nullopt; });
    }
    frame->Show();
    if (project_folder_) frame->open_project(*project_folder_);
    if (screenshot_) {
      // Give GTK time to lay out and paint before copying the pixels.
      screenshot_timer_.Bind(wxEVT_TIMER, [this, frame](wxTimerEvent&) {
        if (!save_screenshot(*frame, *screenshot_)) exit_code_ = 1;
        frame->Destroy();
      });
      screenshot_timer_.StartOnce(500);
    }
    return true;
  }

  int OnRun() override {
    const int code = wxApp::OnRun();
    return exit_code_ != 0 ? exit_code_ : code;
  }

  void OnInitCmdLine(wxCmdLineParser& parser) override {
    wxApp::OnInitCmdLine(parser);
    parser.AddOption("", "screenshot", "save a PNG of the window after it is shown, then exit",
                     wxCMD_LINE_VAL_STRING);
    parser.AddParam("PROJECT_FOLDER", wxCMD_LINE_VAL_STRING, wxCMD_LINE_PARAM_OPTIONAL);
  }

  bool OnCmdLineParsed(wxCmdLineParser& parser) override {
    if (!wxApp::OnCmdLineParsed(parser)) return false;
    wxString value;
    if (parser.Found("screenshot", &value))
      screenshot_ = std::filesystem::path(value.utf8_string());
    if (parser.GetParamCount() > 0)
      project_folder_ = std::filesystem::path(parser.GetParam(0).utf8_string());
    return true;
  }

  // No exception may end the program silently from an event handler: say what happened.
  bool OnExceptionInMainLoop() override {
    try {
      throw;
    } catch (const std::exception& error) {
      wxMessageBox(wxString::FromUTF8(error.what()), "Marginalia", wxOK | wxICON_ERROR);
    }
    return true;
  }

 private:
  std::optional<std::filesystem::path> project_folder_;
  std::optional<std::filesystem::path> screenshot_;
  wxTimer screenshot_timer_;
  int exit_code_ = 0;
};

}  // namespace
}  // namespace marginalia::gui

wxIMPLEMENT_APP(marginalia::gui::App);
