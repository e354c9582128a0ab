// The scenario on the real sample study (scripts/build-sample-study, built by the
// gui_sample_study test, which names it in MARGINALIA_SAMPLE_STUDY): open it, open a transcript
// with a click, select a passage with the mouse and code it by double-clicking a code, code
// another with its number key, undo and redo by keys, kill a second app process that has coded
// and reopen: the coding is there; the screenshot shows the code's colour on the coded words.
#include <gtest/gtest.h>
#include <wx/image.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/settings.h>
#include <wx/stc/stc.h>
#include <wx/treectrl.h>
#include <wx/uiaction.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "main_frame.h"
#include "marginalia/text.h"
#include "sample_project.h"
#include "screenshot.h"

namespace fs = std::filesystem;

namespace marginalia::gui {
namespace {

class SampleStudyTest : public WxTest {
 protected:
  void SetUp() override {
    WxTest::SetUp();
    if (IsSkipped()) return;
    const char* study = std::getenv("MARGINALIA_SAMPLE_STUDY");
    if (!study) GTEST_SKIP() << "MARGINALIA_SAMPLE_STUDY is not set (ctest -R gui_sample_study)";
    folder_ = fresh_folder("study");
    fs::copy(study, folder_, fs::copy_options::recursive);
    frame_ = new MainFrame;
    frame_->set_error_reporter([this](const wxString& message) { errors_.push_back(message); });
    frame_->set_coder_chooser(
        [](const std::vector<std::string>&, const std::string&) { return std::string("Ana"); });
    frame_->SetPosition(wxPoint(0, 0));
    frame_->SetSize(wxSize(1280, 800));
    frame_->Show();
    settle();
    ASSERT_TRUE(frame_->open_project(folder_));
    settle();
  }
  void TearDown() override {
    if (frame_) {
      frame_->Close(true);
      settle();
    }
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  const Project& project() const { return *frame_->project(); }
  const Source& source_named(const std::string& name) const {
    for (const Source& source : project().sources)
      if (source.name == name) return source;
    throw std::logic_error("no source " + name);
  }
  const Code& code_named(const std::string& name) const {
    for (const Code& code : project().codes)
      if (code.name == name) return code;
    throw std::logic_error("no code " + name);
  }
  std::pair<int64_t, int64_t> span_of(const Source& source, const std::string& words) const {
    const size_t at = source.text.find(words);
    if (at == std::string::npos) throw std::logic_error("no \"" + words + "\"");
    const int64_t start = count_code_points(std::string_view(source.text).substr(0, at));
    return {start, start + count_code_points(words)};
  }
  size_t codings(const std::string& code, std::pair<int64_t, int64_t> span) const {
    size_t n = 0;
    for (const Coding& c : project().codings)
      n += c.code == code && c.start == span.first && c.end == span.second;
    return n;
  }
  wxPoint screen_point(int64_t at) const {
    wxStyledTextCtrl* text = frame_->transcript()->text();
    return text->ClientToScreen(frame_->transcript()->point_of(at) +
                                wxPoint(1, text->TextHeight(0) / 2));
  }
  void drag_select(std::pair<int64_t, int64_t> span) {
    frame_->transcript()->select(span.first, span.first);  // scrolled into view
    settle();
    wxUIActionSimulator sim;
    sim.MouseMove(screen_point(span.first));
    settle();
    sim.MouseDown();
    settle();
    sim.MouseMove(screen_point(span.second));
    settle();
    sim.MouseUp();
    settle();
  }
  static void wait_for_paint() {
    for (int i = 0; i < 15; ++i) {
      settle(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  fs::path folder_;
  MainFrame* frame_ = nullptr;
  std::vector<wxString> errors_;
};

TEST_F(SampleStudyTest, CodeByMouseAndKeyUndoRedoKillReopenAndSeeIt) {
  // Open Tomas's interview with a click on its row.
  wxListCtrl* list = frame_->sources_list();
  long row = -1;
  for (long i = 0; i < list->GetItemCount(); ++i)
    if (list->GetItemText(i) == "d1_therapist_tomas") row = i;
  ASSERT_GE(row, 0);
  wxRect rect;
  ASSERT_TRUE(list->GetItemRect(row, rect));
  wxUIActionSimulator sim;
  sim.MouseMove(list->ClientToScreen(rect.GetPosition() + wxPoint(20, rect.height / 2)));
  settle();
  sim.MouseClick();
  settle(10);
  const Source& tomas = source_named("d1_therapist_tomas");
  ASSERT_EQ(frame_->shown_source(), tomas.guid);

  // Select "something about the rain" with the mouse; double-click "Warmth" in the codebook.
  const Code warmth = code_named("Warmth");  // a copy: the project is reopened below
  const auto rain = span_of(tomas, "something about the rain");
  drag_select(rain);
  ASSERT_EQ(frame_->transcript()->selection(), rain);
  wxTreeCtrl* tree = frame_->codebook_tree();
  tree->EnsureVisible(frame_->code_item(warmth.guid));
  settle();
  ASSERT_TRUE(tree->GetBoundingRect(frame_->code_item(warmth.guid), rect, true));
  sim.MouseMove(
      tree->ClientToScreen(rect.GetPosition() + wxPoint(rect.width / 2, rect.height / 2)));
  settle();
  sim.MouseDblClick();
  settle(10);
  ASSERT_EQ(codings(warmth.guid, rain), 1u);

  // "She's funny, actually" with the key of the code pinned to 1.
  const std::string pinned = *frame_->pinned_code(1);
  const auto funny = span_of(tomas, "She's funny, actually");
  drag_select(funny);
  frame_->transcript()->text()->SetFocus();
  settle();
  sim.Char('1');
  settle(10);
  ASSERT_EQ(codings(pinned, funny), 1u);

  // Undo both by Ctrl+Z, redo both by Ctrl+Y and Ctrl+Shift+Z.
  sim.Char('z', wxMOD_CONTROL);
  settle(10);
  sim.Char('z', wxMOD_CONTROL);
  settle(10);
  EXPECT_EQ(codings(pinned, funny), 0u);
  EXPECT_EQ(codings(warmth.guid, rain), 0u);
  sim.Char('y', wxMOD_CONTROL);
  settle(10);
  sim.Char('z', wxMOD_CONTROL | wxMOD_SHIFT);
  settle(10);
  EXPECT_EQ(codings(warmth.guid, rain), 1u);
  EXPECT_EQ(codings(pinned, funny), 1u);

  // The screenshot: Warmth's colour (translucent) over the coded words, not over the line above.
  // Deselected, the coded words three lines below the top.
  frame_->transcript()->select(rain.first, rain.first);
  {
    wxStyledTextCtrl* text = frame_->transcript()->text();
    const int line = text->LineFromPosition(text->GetCurrentPos());
    text->SetFirstVisibleLine(std::max(0, text->VisibleFromDocLine(line) - 3));
  }
  wait_for_paint();
  fs::create_directories(MARGINALIA_GUI_ARTIFACTS);
  const fs::path shot = fs::path(MARGINALIA_GUI_ARTIFACTS) / "sample_study_coded.png";
  ASSERT_TRUE(save_screenshot(*frame_, shot));
  wxImage image(wxString::FromUTF8(shot.string()), wxBITMAP_TYPE_PNG);
  ASSERT_TRUE(image.IsOk());
  const wxColour colour(wxString::FromUTF8(warmth.color));
  const wxColour back = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW);
  const auto mix = [](int fore, int back) { return back + (fore - back) * 80 / 255; };
  const wxColour tint(mix(colour.Red(), back.Red()), mix(colour.Green(), back.Green()),
                      mix(colour.Blue(), back.Blue()));
  wxStyledTextCtrl* text = frame_->transcript()->text();
  const wxPoint origin = frame_->GetScreenPosition();
  const wxPoint a = text->ClientToScreen(frame_->transcript()->point_of(rain.first)) - origin;
  const wxPoint b = text->ClientToScreen(frame_->transcript()->point_of(rain.first + 5)) - origin;
  int near = 0, above = 0;
  for (int y = a.y; y < a.y + text->TextHeight(0); ++y)
    for (int x = a.x; x < b.x; ++x) {
      const auto close = [&](int yy) {
        return std::abs(image.GetRed(x, yy) - tint.Red()) < 14 &&
               std::abs(image.GetGreen(x, yy) - tint.Green()) < 14 &&
               std::abs(image.GetBlue(x, yy) - tint.Blue()) < 14;
      };
      near += close(y);
      const int other = y - 3 * text->TextHeight(0);  // a line of the question above
      if (other >= 0) above += close(other);
    }
  EXPECT_GT(near, 30) << "no " << warmth.color << " tint over the coded words in " << shot;
  EXPECT_EQ(above, 0);

  // A second app codes "the whole bus ride" in Lena's interview and is killed before any snapshot.
  frame_->close_project();
  char self[4096] = {};
  ASSERT_GT(::readlink("/proc/self/exe", self, sizeof self - 1), 0);
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::execl(self, self, "--code-and-wait", folder_.c_str(), "the whole bus ride", nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  std::string said;
  char buffer[64];
  for (ssize_t n;
       said.find("coded") == std::string::npos && (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
    said.append(buffer, n);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(out[0]);
  ASSERT_NE(said.find("coded"), std::string::npos);

  ASSERT_TRUE(frame_->open_project(folder_));
  const auto bus = span_of(source_named("d1_client_lena"), "the whole bus ride");
  EXPECT_EQ(codings(*frame_->pinned_code(1), bus), 1u);
  EXPECT_EQ(codings(warmth.guid, rain), 1u);
  EXPECT_EQ(codings(pinned, funny), 1u);
  EXPECT_TRUE(errors_.empty()) << errors_.front();
}

}  // namespace
}  // namespace marginalia::gui
