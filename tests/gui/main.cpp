// The GUI test binary, with two helper modes the tests and the screenshot test run it in:
//   --write-sample-project DIR   writes the sample project (for `marginalia DIR --screenshot`)
//   --code-and-wait DIR WORDS    opens DIR in the window as coder ana, codes the first occurrence
//   of
//                                WORDS in the first source with key 1, prints "coded", and waits
//                                to be killed (the kill test).
#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/evtloop.h>
#include <wx/init.h>
#include <wx/stc/stc.h>

#include <unistd.h>
#include <cstdio>
#include <string_view>

#include "main_frame.h"
#include "sample_project.h"

namespace {

int code_and_wait(const char* folder, const char* words) {
  wxApp::SetInstance(new wxApp);
  int argc = 1;
  char name[] = "marginalia_gui_tests";
  char* argv[] = {name, nullptr};
  if (!wxEntryStart(argc, argv)) return 2;
  wxEventLoop loop;
  wxEventLoopBase::SetActive(&loop);
  auto* frame = new marginalia::gui::MainFrame;
  frame->set_error_reporter(
      [](const wxString& message) { std::fprintf(stderr, "%s\n", message.utf8_str().data()); });
  frame->set_coder_chooser(
      [](const std::vector<std::string>&, const std::string&) { return std::string("ana"); });
  frame->Show();
  if (!frame->open_project(folder)) return 1;
  for (int i = 0; i < 5; ++i) wxYield();
  if (!frame->transcript()->find_next(wxString::FromUTF8(words))) return 1;
  if (!frame->pinned_code(1) || !frame->apply_code(*frame->pinned_code(1))) return 1;
  std::printf("coded\n");
  std::fflush(stdout);
  for (;;) ::pause();  // killed here, with nothing snapshotted and the lock held
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--write-sample-project") {
    try {
      marginalia::gui::write_sample_project(argv[2]);
      return 0;
    } catch (const std::exception& error) {
      std::fprintf(stderr, "marginalia_gui_tests: %s\n", error.what());
      return 1;
    }
  }
  if (argc == 4 && std::string_view(argv[1]) == "--code-and-wait")
    return code_and_wait(argv[2], argv[3]);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
