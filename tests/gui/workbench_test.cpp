// The workbench as a researcher uses it, under Xvfb: coding through real mouse and key events,
// undo and redo, a kill and a reopen, what the screenshot shows in plain, blind and compare mode,
// the stripes, the codebook, imports on a background thread.
#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/aui/auibook.h>
#include <wx/aui/framemanager.h>
#include <wx/dnd.h>
#include <wx/image.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/settings.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/stc/stc.h>
#include <wx/textctrl.h>
#include <wx/treectrl.h>
#include <wx/uiaction.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "code_editor.h"
#include "import_dialog.h"
#include "long_work.h"
#include "main_frame.h"
#include "marginalia/project_store.h"
#include "marginalia/qdpx.h"
#include "marginalia/text.h"
#include "sample_project.h"
#include "screenshot.h"

namespace fs = std::filesystem;

namespace marginalia::gui {
namespace {

const Code& code_named(const Project& project, const std::string& name) {
  const auto found = std::find_if(project.codes.begin(), project.codes.end(),
                                  [&](const Code& code) { return code.name == name; });
  if (found == project.codes.end()) throw std::logic_error("no code " + name);
  return *found;
}

// Code points of the first occurrence of `words` in the source's text.
std::pair<int64_t, int64_t> span_of(const Source& source, const std::string& words) {
  const size_t at = source.text.find(words);
  if (at == std::string::npos) throw std::logic_error("no \"" + words + "\" in " + source.name);
  const int64_t start = count_code_points(std::string_view(source.text).substr(0, at));
  return {start, start + count_code_points(words)};
}

std::vector<const Coding*> codings_of(const Project& project, const std::string& code,
                                      int64_t start, int64_t end) {
  std::vector<const Coding*> found;
  for (const Coding& coding : project.codings)
    if (coding.code == code && coding.start == start && coding.end == end) found.push_back(&coding);
  return found;
}

// The colour a span of `colour` takes over the window background (indicator alpha 80 of 255).
wxColour tint(const wxColour& colour) {
  const wxColour back = wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW);
  const auto mix = [](int fore, int back) { return back + (fore - back) * 80 / 255; };
  return wxColour(mix(colour.Red(), back.Red()), mix(colour.Green(), back.Green()),
                  mix(colour.Blue(), back.Blue()));
}

int pixels_near(const wxImage& image, wxRect area, const wxColour& colour, int tolerance = 14) {
  area.Intersect(wxRect(0, 0, image.GetWidth(), image.GetHeight()));
  int n = 0;
  for (int y = area.GetTop(); y <= area.GetBottom(); ++y)
    for (int x = area.GetLeft(); x <= area.GetRight(); ++x)
      if (std::abs(image.GetRed(x, y) - colour.Red()) <= tolerance &&
          std::abs(image.GetGreen(x, y) - colour.Green()) <= tolerance &&
          std::abs(image.GetBlue(x, y) - colour.Blue()) <= tolerance)
        ++n;
  return n;
}

class WorkbenchTest : public WxTest {
 protected:
  void SetUp() override {
    WxTest::SetUp();
    if (IsSkipped()) return;
    folder_ = fresh_folder("workbench");
    write_sample_project(folder_);
    frame_ = new MainFrame;
    frame_->set_error_reporter([this](const wxString& message) { errors_.push_back(message); });
    frame_->set_coder_chooser(
        [](const std::vector<std::string>&, const std::string&) { return std::string("ana"); });
    frame_->SetPosition(wxPoint(0, 0));
    frame_->SetSize(wxSize(1200, 760));
    frame_->Show();
    frame_->Raise();
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
  // A menu item as the person reads it, without its key.
  wxString menu_label(int id) const {
    return frame_->GetMenuBar()->FindItem(id)->GetItemLabelText();
  }
  const Source& lena() const { return project().sources.at(0); }

  // The screen point at the middle of the line where code point `at` starts.
  wxPoint screen_point(int64_t at) const {
    wxStyledTextCtrl* text = frame_->transcript()->text();
    const wxPoint p = frame_->transcript()->point_of(at);
    const int line = text->LineFromPosition(text->GetCurrentPos());
    return text->ClientToScreen(p + wxPoint(1, text->TextHeight(line) / 2));
  }

  // Where code points [start, end) (on one line) are in a screenshot of the frame.
  wxRect image_rect(int64_t start, int64_t end) const {
    wxStyledTextCtrl* text = frame_->transcript()->text();
    const wxPoint a = text->ClientToScreen(frame_->transcript()->point_of(start));
    const wxPoint b = text->ClientToScreen(frame_->transcript()->point_of(end));
    const wxPoint origin = frame_->GetScreenPosition();
    return wxRect(a.x - origin.x, a.y - origin.y, b.x - a.x, text->TextHeight(0));
  }

  wxImage screenshot(const std::string& name) {
    frame_->Refresh();
    frame_->Update();
    // The X server paints asynchronously: give it a moment, handling its events meanwhile.
    for (int i = 0; i < (std::getenv("SLOW") ? 150 : 15); ++i) {
      settle(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fs::create_directories(MARGINALIA_GUI_ARTIFACTS);
    const fs::path file = fs::path(MARGINALIA_GUI_ARTIFACTS) / (name + ".png");
    EXPECT_TRUE(save_screenshot(*frame_, file));
    wxImage image;
    if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG)) wxImage::AddHandler(new wxPNGHandler);
    EXPECT_TRUE(image.LoadFile(wxString::FromUTF8(file.string()), wxBITMAP_TYPE_PNG));
    return image;
  }

  void drag_select(int64_t start, int64_t end) {
    wxUIActionSimulator sim;
    sim.MouseMove(screen_point(start));
    settle();
    sim.MouseDown();
    settle();
    sim.MouseMove(screen_point(end));
    settle();
    sim.MouseUp();
    settle();
  }

  fs::path folder_;
  MainFrame* frame_ = nullptr;
  std::vector<wxString> errors_;
};

TEST_F(WorkbenchTest, MouseSelectionAndDoubleClickOnACodeCodeItAndUndoRedoByKeys) {
  const Code& confrontation = code_named(project(), "Confrontation");
  const auto [start, end] = span_of(lena(), "sat in the car");
  drag_select(start, end);
  ASSERT_EQ(frame_->transcript()->selection(), std::make_pair(start, end))
      << "the simulated drag did not select the words";

  wxTreeCtrl* tree = frame_->codebook_tree();
  const wxTreeItemId item = frame_->code_item(confrontation.guid);
  ASSERT_TRUE(item.IsOk());
  wxRect rect;
  ASSERT_TRUE(tree->GetBoundingRect(item, rect, true));
  wxUIActionSimulator sim;
  sim.MouseMove(
      tree->ClientToScreen(rect.GetPosition() + wxPoint(rect.width / 2, rect.height / 2)));
  settle();
  sim.MouseDblClick();
  settle(10);

  ASSERT_EQ(codings_of(project(), confrontation.guid, start, end).size(), 1u);
  EXPECT_EQ(project().coder(codings_of(project(), confrontation.guid, start, end)[0]->coder)->name,
            "ana");
  EXPECT_EQ(tree->GetItemText(frame_->code_item(confrontation.guid)), "4  Confrontation (2)");
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Code \"Confrontation\""));
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(2), "All changes saved");

  // Ctrl+Z with the transcript focused undoes it; Ctrl+Y and Ctrl+Shift+Z redo.
  frame_->transcript()->text()->SetFocus();
  settle();
  sim.Char('z', wxMOD_CONTROL);
  settle(10);
  EXPECT_TRUE(codings_of(project(), confrontation.guid, start, end).empty());
  EXPECT_EQ(menu_label(wxID_REDO), utf8("Redo Code \"Confrontation\""));
  sim.Char('y', wxMOD_CONTROL);
  settle(10);
  EXPECT_EQ(codings_of(project(), confrontation.guid, start, end).size(), 1u);
  sim.Char('z', wxMOD_CONTROL);
  settle(10);
  sim.Char('z', wxMOD_CONTROL | wxMOD_SHIFT);
  settle(10);
  EXPECT_EQ(codings_of(project(), confrontation.guid, start, end).size(), 1u);
  EXPECT_TRUE(errors_.empty()) << errors_.front();
}

TEST_F(WorkbenchTest, NumberKeysApplyPinnedCodesAndSnapToWholeWords) {
  const Code& humour = code_named(project(), "Humour");
  ASSERT_EQ(frame_->pinned_code(5), humour.guid);
  const auto [start, end] = span_of(lena(), "ten minutes");
  // "n minu": the selection grows to the two words it touches.
  drag_select(start + 2, end - 2);
  frame_->transcript()->text()->SetFocus();
  settle();
  wxUIActionSimulator sim;
  sim.Char('5');
  settle(10);
  EXPECT_EQ(codings_of(project(), humour.guid, start, end).size(), 1u);
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Code \"Humour\""));
}

TEST_F(WorkbenchTest, PinCodeToKeyPutsTheSelectedCodeOnTheKeyItsNumberApplies) {
  const Code& humour = code_named(project(), "Humour");
  const std::string was_on_two = frame_->pinned_code(2).value_or("");
  ASSERT_NE(was_on_two, humour.guid);
  wxTreeCtrl* tree = frame_->codebook_tree();
  tree->SelectItem(frame_->code_item(humour.guid));
  std::vector<std::string> asked;
  frame_->set_key_chooser([&](const std::string& name, std::optional<int> current) {
    asked.push_back(name + " " + std::to_string(current.value_or(0)));
    return std::optional<int>(2);
  });
  const int pin = frame_->GetMenuBar()->FindMenuItem("Code", utf8("Pin Code to Key\u2026"));
  ASSERT_NE(pin, wxNOT_FOUND);
  ASSERT_TRUE(frame_->ProcessCommand(pin));
  settle();
  EXPECT_EQ(asked, std::vector<std::string>{"Humour 5"});
  EXPECT_EQ(frame_->pinned_code(2), humour.guid);
  EXPECT_TRUE(tree->GetItemText(frame_->code_item(humour.guid)).StartsWith("2  Humour"));
  EXPECT_FALSE(tree->GetItemText(frame_->code_item(was_on_two)).StartsWith("2  "));
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Pin \"Humour\" to key 2"));

  const auto [start, end] = span_of(lena(), "ten minutes");
  drag_select(start, end);
  frame_->transcript()->text()->SetFocus();
  settle();
  wxUIActionSimulator sim;
  sim.Char('2');
  settle(10);
  EXPECT_EQ(codings_of(project(), humour.guid, start, end).size(), 1u);
  EXPECT_TRUE(codings_of(project(), was_on_two, start, end).empty());
  EXPECT_TRUE(errors_.empty()) << errors_.front();
}

TEST_F(WorkbenchTest, ACodingSurvivesKillingTheAppWithoutASnapshot) {
  // This frame holds the project's lock: close it, then code in a second process and kill it.
  frame_->close_project();
  char self[4096] = {};
  ASSERT_GT(::readlink("/proc/self/exe", self, sizeof self - 1), 0);
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::execl(self, self, "--code-and-wait", folder_.c_str(), "frightened", nullptr);
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
  ASSERT_NE(said.find("coded"), std::string::npos) << "the child did not code: " << said;

  // Reopened (the dead writer's lock is taken over): the coding is there.
  ASSERT_TRUE(frame_->open_project(folder_));
  const Code& anxiety = code_named(project(), "Early anxiety");
  const auto [start, end] = span_of(lena(), "frightened");
  ASSERT_EQ(codings_of(project(), anxiety.guid, start, end).size(), 1u);
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Code \"Early anxiety\""));
}

TEST_F(WorkbenchTest, TheScreenshotShowsTheCodeColourWhereTheCodingIsAndBlindModeHidesBen) {
  // Lena: "Honestly I was frightened." is coded Early anxiety by ana and ben; ben's coding goes on
  // over " I sat in the car", which nobody else coded; the first line is not coded.
  const Code& anxiety = code_named(project(), "Early anxiety");
  const wxColour expected = tint(wxColour(wxString::FromUTF8(anxiety.color)));
  const auto both = span_of(lena(), "Honestly");
  const auto only_ben = span_of(lena(), "sat in the car");
  const auto nobody = span_of(lena(), "What was it like");

  wxImage image = screenshot("coded_transcript");
  ASSERT_TRUE(image.IsOk());
  EXPECT_GT(pixels_near(image, image_rect(both.first, both.second), expected), 40);
  EXPECT_GT(pixels_near(image, image_rect(only_ben.first, only_ben.second), expected), 40);
  EXPECT_EQ(pixels_near(image, image_rect(nobody.first, nobody.second), expected), 0);

  frame_->set_blind_mode(true);
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(0), "Coder: ana (blind)");
  image = screenshot("blind_mode");
  EXPECT_GT(pixels_near(image, image_rect(both.first, both.second), expected), 40);
  EXPECT_EQ(pixels_near(image, image_rect(only_ben.first, only_ben.second), expected), 0);
}

TEST_F(WorkbenchTest, CompareModeShowsAStripeColumnPerCoder) {
  const Code& anxiety = code_named(project(), "Early anxiety");
  const wxColour colour(wxString::FromUTF8(anxiety.color));
  StripeGutter* gutter = frame_->transcript()->gutter();
  // Columns in the screenshot holding the code's own colour, inside the gutter.
  const auto columns_in_colour = [&](const wxImage& image) {
    const wxPoint origin = gutter->GetScreenPosition() - frame_->GetScreenPosition();
    std::set<int> xs;
    for (int x = origin.x; x < origin.x + gutter->GetSize().x; ++x)
      if (pixels_near(image, wxRect(x, origin.y, 1, gutter->GetSize().y), colour, 6) > 10)
        xs.insert(x);
    int runs = 0;  // adjacent pixel columns are one stripe column
    for (int x : xs) runs += !xs.contains(x - 1);
    return runs;
  };
  EXPECT_EQ(columns_in_colour(screenshot("stripes")), 1);
  frame_->set_compare_mode(true);
  EXPECT_EQ(frame_->transcript()->marks().columns.size(), 3u);  // anxiety·ana, anxiety·ben, fears
  EXPECT_EQ(columns_in_colour(screenshot("compare_mode")), 2);
}

TEST_F(WorkbenchTest, ClickingAStripeSelectsItsCodingForMemoChangeAndRemoval) {
  const Code& fears = code_named(project(), "Fears about therapy");
  const Code& humour = code_named(project(), "Humour");
  const auto span = span_of(lena(), "making a fuss about nothing");
  const auto fears_coding = codings_of(project(), fears.guid, span.first, span.second);
  ASSERT_EQ(fears_coding.size(), 1u);
  const std::string guid = fears_coding[0]->guid;

  StripeGutter* gutter = frame_->transcript()->gutter();
  const auto& stripes = frame_->transcript()->marks().stripes;
  const auto stripe = std::find_if(stripes.begin(), stripes.end(),
                                   [&](const CodingStripe& s) { return s.coding == guid; });
  ASSERT_NE(stripe, stripes.end());
  const wxRect rect = gutter->stripe_rect(*stripe);
  ASSERT_FALSE(rect.IsEmpty());
  wxUIActionSimulator sim;
  sim.MouseMove(gutter->ClientToScreen(wxPoint(rect.x + rect.width / 2, rect.y + rect.height / 2)));
  settle();
  sim.MouseClick();
  settle(10);
  ASSERT_EQ(frame_->transcript()->selected_coding(), guid);
  EXPECT_TRUE(frame_->selection_details()->GetLabel().Contains("Fears about therapy"));
  EXPECT_TRUE(frame_->memo_editor()->IsEnabled());
  EXPECT_TRUE(frame_->transcript()
                  ->hover_text_at(span.first + 1)
                  .Contains(utf8("Fears about therapy \u2014 ana")));

  ASSERT_TRUE(frame_->set_selected_coding_memo("She fears being a burden."));
  EXPECT_EQ(project().coding(guid)->memo, "She fears being a burden.");
  EXPECT_TRUE(frame_->transcript()->hover_text_at(span.first + 1).Contains("burden"));
  ASSERT_TRUE(frame_->change_selected_coding(humour.guid));
  EXPECT_EQ(project().coding(guid)->code, humour.guid);

  frame_->transcript()->text()->SetFocus();
  settle();
  sim.Char(WXK_DELETE);
  settle(10);
  EXPECT_EQ(project().coding(guid), nullptr);
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Remove coding \"Humour\""));
  ASSERT_TRUE(frame_->undo());
  EXPECT_NE(project().coding(guid), nullptr);
}

TEST_F(WorkbenchTest, WholeTurnInVivoAndFind) {
  const Code& withdrawal = code_named(project(), "Withdrawal");
  frame_->transcript()->select(span_of(lena(), "afraid").first, span_of(lena(), "afraid").first);
  ASSERT_TRUE(frame_->code_whole_turn(withdrawal.guid));
  const Utterance& turn = lena().utterances[2];  // "What were you afraid of?"
  EXPECT_EQ(codings_of(project(), withdrawal.guid, turn.start, turn.end).size(), 1u);

  ASSERT_TRUE(frame_->transcript()->find_next("making a fuss"));
  ASSERT_TRUE(frame_->code_in_vivo());
  const Code& invivo = code_named(project(), "making a fuss");
  const auto span = span_of(lena(), "making a fuss");
  EXPECT_EQ(codings_of(project(), invivo.guid, span.first, span.second).size(), 1u);
  EXPECT_TRUE(frame_->code_item(invivo.guid).IsOk());
  EXPECT_FALSE(frame_->transcript()->find_next("not in this text"));
}

TEST_F(WorkbenchTest, CodebookDragNestsAndReordersAndTheEditorChangesACode) {
  const std::string humour = code_named(project(), "Humour").guid;
  const std::string formation = code_named(project(), "Formation").guid;
  const std::string withdrawal = code_named(project(), "Withdrawal").guid;
  const std::string confrontation = code_named(project(), "Confrontation").guid;
  ASSERT_TRUE(frame_->drop_code(humour, frame_->code_item(formation), true));
  EXPECT_EQ(project().code(humour)->parent, formation);
  wxTreeCtrl* tree = frame_->codebook_tree();
  EXPECT_EQ(tree->GetItemParent(frame_->code_item(humour)), frame_->code_item(formation));
  EXPECT_EQ(tree->GetItemText(frame_->code_item(formation)), "Formation (5)");  // roll-up

  ASSERT_TRUE(frame_->drop_code(confrontation, frame_->code_item(withdrawal), false));
  wxTreeItemIdValue cookie;
  const wxTreeItemId ruptures = tree->GetItemParent(frame_->code_item(withdrawal));
  EXPECT_EQ(tree->GetFirstChild(ruptures, cookie), frame_->code_item(confrontation));

  Code changed = *project().code(withdrawal);
  changed.name = "Withdrawal rupture";
  changed.color = "#0072B2";
  CodeDescription parts;
  parts.definition = "The client moves away from the therapist or the work.";
  ASSERT_TRUE(frame_->edit_code(withdrawal, changed, parts))
      << (errors_.empty() ? wxString() : errors_.back());
  EXPECT_EQ(project().code(withdrawal)->name, "Withdrawal rupture");
  EXPECT_EQ(project().code(withdrawal)->color, "#0072B2");
  EXPECT_TRUE(tree->GetItemText(frame_->code_item(withdrawal)).Contains("Withdrawal rupture (2)"));
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Edit code \"Withdrawal\""));
  ASSERT_TRUE(frame_->undo());
  EXPECT_EQ(project().code(withdrawal)->name, "Withdrawal");
  EXPECT_TRUE(errors_.empty()) << errors_.front();
}

TEST_F(WorkbenchTest, SourcesFilterMatchesNamesAndShowPassageSelectsIt) {
  wxListCtrl* list = frame_->sources_list();
  ASSERT_EQ(list->GetItemCount(), 3);
  frame_->sources_filter()->SetValue("maria");
  settle();
  ASSERT_EQ(list->GetItemCount(), 1);
  EXPECT_EQ(list->GetItemText(0), "d1_therapist_maria");

  const Source& zoe = project().sources.at(2);
  const auto span = span_of(zoe, "went quiet");
  frame_->show_passage(zoe.guid, span.first, span.second);
  settle();
  EXPECT_EQ(frame_->shown_source(), zoe.guid);
  EXPECT_EQ(frame_->transcript()->selection(), span);
  EXPECT_EQ(list->GetItemCount(), 3);  // the filter gave way to show the passage
}

TEST_F(WorkbenchTest, LongWorkReportsFinishingAndCancelling) {
  std::optional<bool> finished;
  frame_->run_long_work(
      "Counting",
      [](ProgressSink& progress) {
        for (int i = 0; i < 10; ++i) progress.progress(i, 10, "counting");
      },
      [&](bool done) { finished = done; });
  for (int i = 0; i < 200 && !finished; ++i) {
    settle(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(finished.has_value());
  EXPECT_TRUE(*finished);

  LongWorkRunner runner(frame_, [](const wxString&) {});
  std::atomic<bool> stopped{false};
  runner.start(
      "Waiting",
      [&](ProgressSink& progress) {
        while (!progress.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        stopped = true;
        throw Cancelled{};
      },
      [](bool) { ADD_FAILURE() << "no callback after cancel_all_and_wait"; });
  settle();
  EXPECT_TRUE(runner.busy());
  runner.cancel_all_and_wait();
  EXPECT_TRUE(stopped);
  EXPECT_FALSE(runner.busy());
  settle();
}

TEST_F(WorkbenchTest, AnalysisPanesGoInTheBottomNotebook) {
  EXPECT_FALSE(frame_->layout().GetPane("analysis").IsShown());
  auto* pane = new wxPanel(frame_->pane_parent());
  frame_->add_pane(pane, "Results");
  EXPECT_TRUE(frame_->layout().GetPane("analysis").IsShown());
  EXPECT_EQ(&frame_->store(), &frame_->store());
  EXPECT_EQ(frame_->current_coder(), "ana");
  EXPECT_GT(frame_->index().document_count(), 0u);
}

TEST_F(WorkbenchTest, EveryAnalyzeMenuItemOpensItsPaneOnceAndClosingTheProjectClosesThem) {
  wxMenuBar* bar = frame_->GetMenuBar();
  const int at = bar->FindMenu("Analyze");
  ASSERT_NE(at, wxNOT_FOUND);
  wxMenu* analyze = bar->GetMenu(at);
  auto* notebook = dynamic_cast<wxAuiNotebook*>(frame_->pane_parent());
  ASSERT_NE(notebook, nullptr);
  const size_t before = notebook->GetPageCount();
  std::vector<wxString> tabs;
  for (int round = 0; round < 2; ++round)  // the second round brings the same panes forward
    for (wxMenuItem* item : analyze->GetMenuItems()) {
      wxCommandEvent click(wxEVT_MENU, item->GetId());
      click.SetEventObject(frame_);
      frame_->ProcessWindowEvent(click);
      if (round == 0) tabs.push_back(notebook->GetPageText(notebook->GetSelection()));
    }
  EXPECT_EQ(notebook->GetPageCount(), before + 8);
  EXPECT_EQ(tabs, (std::vector<wxString>{"Search", "Retrieval", "Frequencies", "Matrix",
                                         "Co-occurrence", "Concordance", "Words", "Agreement"}));
  EXPECT_TRUE(frame_->layout().GetPane("analysis").IsShown());
  frame_->project_changed();  // every pane refreshes from the project without complaint
  EXPECT_TRUE(errors_.empty()) << errors_.front();
  frame_->close_project();
  EXPECT_EQ(notebook->GetPageCount(), before);
}

// --- Import

fs::path write_file(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

TEST_F(WorkbenchTest, TheImportDialogShowsEncodingSpeakersAndPreviewAndRolesCanBeChanged) {
  const fs::path dir = fresh_folder("import");
  fs::create_directories(dir);
  // Windows-1252: curly quotes and é as single bytes.
  const fs::path file = write_file(dir / "d3_client_amelie.txt",
                                   "Interviewer: How was the first session?\n"
                                   "Am\xe9lie: I was \x93terrified\x94, honestly.\n"
                                   "Interviewer: And later?\n"
                                   "Am\xe9lie: Later it was fine.\n");
  ImportDialog dialog(frame_, {file});
  EXPECT_TRUE(dialog.detected()->GetLabel().Contains("windows-1252"))
      << dialog.detected()->GetLabel();
  ASSERT_EQ(dialog.speakers_list()->GetItemCount(), 2);
  EXPECT_EQ(dialog.speakers_list()->GetItemText(1, 0), utf8("Am\u00e9lie"));
  EXPECT_EQ(dialog.speakers_list()->GetItemText(1, 2), "unknown");
  EXPECT_TRUE(dialog.preview()->GetValue().Contains(utf8("\u201cterrified\u201d")));
  dialog.set_role("Am\u00e9lie", Role::Client);
  EXPECT_EQ(dialog.speakers_list()->GetItemText(1, 2), "client");

  frame_->set_import_confirmer([&](const std::vector<fs::path>&, MainFrame::ImportChoices& c) {
    c.roles = dialog.roles();
    c.encodings = dialog.encodings();
    return true;
  });
  std::optional<bool> finished;
  frame_->import_files({file}, [&](bool done) { finished = done; });
  for (int i = 0; i < 400 && !finished; ++i) {
    settle(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(finished && *finished);
  ASSERT_EQ(project().sources.size(), 4u);
  const Source& amelie = project().sources.back();
  EXPECT_EQ(amelie.encoding, "windows-1252");
  EXPECT_EQ(amelie.utterances.at(1).role, Role::Client);
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 4);
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(3), "Index ready");
  fs::remove_all(dir);
}

TEST_F(WorkbenchTest, ClosingDuringABackgroundImportNeitherCrashesNorCorruptsTheProject) {
  const fs::path dir = fresh_folder("many");
  fs::create_directories(dir);
  std::string text;
  for (int turn = 0; turn < 400; ++turn)
    text += std::string(turn % 2 ? "Client" : "Interviewer") +
            ": and then I sat there for a long while, not saying anything at all\n";
  std::vector<fs::path> files;
  for (int i = 0; i < 300; ++i)
    files.push_back(write_file(dir / ("t" + std::to_string(i) + ".txt"), text));
  frame_->set_import_confirmer(
      [](const std::vector<fs::path>&, MainFrame::ImportChoices&) { return true; });
  frame_->import_files(files);
  EXPECT_TRUE(frame_->importing());
  // At once: a settle here could run the whole import, since the worker keeps posting results.
  frame_->Close(true);  // cancels the import and waits for its thread, then snapshots
  frame_ = nullptr;
  settle();

  auto store = ProjectStore::open(folder_, OpenMode::Write);
  const size_t sources = store->project().sources.size();
  EXPECT_GE(sources, 3u);
  EXPECT_LT(sources, 303u) << "the import was not cancelled";
  for (const Source& source : store->project().sources)
    EXPECT_EQ(source.utterances.empty(), false) << source.name;
  fs::remove_all(dir);
}

TEST_F(WorkbenchTest, TheLayoutIsRememberedBetweenRuns) {
  auto* pane = new wxPanel(frame_->pane_parent());
  frame_->add_pane(pane, "Results");
  frame_->Close(true);
  frame_ = nullptr;
  settle();
  auto* again = new MainFrame;
  EXPECT_TRUE(again->layout().GetPane("analysis").IsShown());
  again->layout().GetPane("analysis").Hide();
  again->layout().Update();
  again->Close(true);
  settle();
}

}  // namespace
}  // namespace marginalia::gui

namespace marginalia::gui {
namespace {

TEST_F(WorkbenchTest, FilesDroppedOnTheWindowAreImported) {
  const fs::path dir = fresh_folder("drop");
  fs::create_directories(dir);
  const fs::path file = dir / "d4_client_noor.txt";
  std::ofstream(file) << "Interviewer: Where shall we start?\nClient: With the silence.\n";
  std::vector<fs::path> asked;
  frame_->set_import_confirmer([&](const std::vector<fs::path>& files, MainFrame::ImportChoices&) {
    asked = files;
    return true;
  });
  // What GTK hands the drop target when a file manager drops a file on the window.
  auto* target = dynamic_cast<wxFileDropTarget*>(frame_->GetDropTarget());
  ASSERT_NE(target, nullptr);
  wxArrayString names;
  names.Add(wxString::FromUTF8(file.string()));
  ASSERT_TRUE(target->OnDropFiles(10, 10, names));
  for (int i = 0; i < 400 && project().sources.size() < 4; ++i) {
    settle(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(asked, std::vector<fs::path>{file});
  ASSERT_EQ(project().sources.size(), 4u);
  EXPECT_EQ(project().sources.back().name, "d4_client_noor");
  EXPECT_EQ(menu_label(wxID_UNDO), utf8("Undo Import d4_client_noor.txt"));
  fs::remove_all(dir);
}

TEST_F(WorkbenchTest, SelectionDraggedOntoACodeIsCodedWithIt) {
  const Code& withdrawal = code_named(project(), "Withdrawal");
  const auto [start, end] = span_of(lena(), "ten minutes");
  frame_->transcript()->select(start, end);
  wxTreeCtrl* tree = frame_->codebook_tree();
  wxRect rect;
  ASSERT_TRUE(tree->GetBoundingRect(frame_->code_item(withdrawal.guid), rect, true));
  // What the drop target receives when the selected text is dropped on the code's row.
  auto* target = dynamic_cast<wxTextDropTarget*>(tree->GetDropTarget());
  ASSERT_NE(target, nullptr);
  ASSERT_TRUE(target->OnDropText(rect.x + 5, rect.y + rect.height / 2, "ten minutes"));
  settle();
  EXPECT_EQ(codings_of(project(), withdrawal.guid, start, end).size(), 1u);
}

TEST_F(WorkbenchTest, OpenRecentListsTheProjectAndReopensIt) {
  wxMenuItem* recent = nullptr;
  for (wxMenuItem* item : frame_->GetMenuBar()->GetMenu(0)->GetMenuItems())
    if (item->GetItemLabelText() == "Open Recent") recent = item;
  ASSERT_NE(recent, nullptr);
  ASSERT_GE(recent->GetSubMenu()->GetMenuItemCount(), 1u);
  EXPECT_TRUE(recent->GetSubMenu()->FindItemByPosition(0)->GetItemLabelText().Contains(
      wxString::FromUTF8(folder_.filename().string())));
  frame_->close_project();
  ASSERT_TRUE(frame_->ProcessCommand(wxID_FILE1));
  settle();
  ASSERT_NE(frame_->project(), nullptr);
  EXPECT_EQ(frame_->project()->name, "GUI test");
}

TEST_F(WorkbenchTest, ZoomEnlargesTheTextAndTheStripesFollow) {
  const auto span = span_of(lena(), "That she would think");
  const int before = frame_->transcript()->point_of(span.first).y;
  ASSERT_TRUE(frame_->ProcessCommand(frame_->GetMenuBar()->FindMenuItem("View", "Zoom In")));
  ASSERT_TRUE(frame_->ProcessCommand(frame_->GetMenuBar()->FindMenuItem("View", "Zoom In")));
  settle();
  EXPECT_EQ(frame_->transcript()->text()->GetZoom(), 2);
  EXPECT_GT(frame_->transcript()->point_of(span.first).y, before);
  const auto& stripes = frame_->transcript()->marks().stripes;
  const auto stripe = std::find_if(stripes.begin(), stripes.end(), [&](const CodingStripe& s) {
    return s.begin == static_cast<int64_t>(lena().text.find("That she would think"));
  });
  ASSERT_NE(stripe, stripes.end());
  StripeGutter* gutter = frame_->transcript()->gutter();
  wxStyledTextCtrl* text = frame_->transcript()->text();
  // The stripe starts at the height of its line of text, zoomed.
  EXPECT_NEAR(gutter->stripe_rect(*stripe).y + gutter->GetScreenPosition().y,
              frame_->transcript()->point_of(span.first).y + text->GetScreenPosition().y, 2);
}

}  // namespace
}  // namespace marginalia::gui

namespace marginalia::gui {
namespace {

TEST_F(WorkbenchTest, NewProjectCreatesAndOpensAnEmptyProjectThatSaysHowToImport) {
  const fs::path folder = fresh_folder("new");
  frame_->set_new_folder_chooser([&] { return std::optional<fs::path>(folder); });
  ASSERT_TRUE(frame_->ProcessCommand(wxID_NEW));
  settle();
  ASSERT_NE(frame_->project(), nullptr);
  EXPECT_EQ(frame_->project()->name, folder.filename().string());
  EXPECT_EQ(frame_->centre_message(),
            utf8("No transcripts yet: drag files here, or File \u25b8 Import Transcripts\u2026"));
  // The sample project stays as it was, and a folder that is not empty is refused.
  frame_->set_new_folder_chooser([&] { return std::optional<fs::path>(folder_); });
  ASSERT_TRUE(frame_->ProcessCommand(wxID_NEW));
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_EQ(frame_->project()->name, folder.filename().string());
  frame_->close_project();
  fs::remove_all(folder);
}

TEST_F(WorkbenchTest, NextAndPreviousTurnMoveTheCaretToTheWordsOfTheTurn) {
  frame_->transcript()->select(0, 0);  // on the first speaker label, before any turn's words
  frame_->go_to_turn(+1);
  EXPECT_EQ(frame_->transcript()->caret(), lena().utterances[0].start);
  frame_->go_to_turn(+1);
  EXPECT_EQ(frame_->transcript()->caret(), lena().utterances[1].start);
  frame_->go_to_turn(-1);
  EXPECT_EQ(frame_->transcript()->caret(), lena().utterances[0].start);
  frame_->go_to_turn(-1);
  EXPECT_EQ(frame_->transcript()->caret(), lena().utterances[0].start);  // stays at the first
}

}  // namespace
}  // namespace marginalia::gui

namespace marginalia::gui {
namespace {

TEST_F(WorkbenchTest, TheCodeEditorShowsAndReturnsNameColourAndTheFourParts) {
  Code code = code_named(project(), "Withdrawal");
  code.description = "Definition: Moving away.\n\nExample: \"I went quiet.\"";
  CodeEditor editor(frame_, code);
  CodeDescription parts = editor.description();
  EXPECT_EQ(parts.definition, "Moving away.");
  EXPECT_EQ(parts.example, "\"I went quiet.\"");
  EXPECT_EQ(editor.code().name, "Withdrawal");
  EXPECT_EQ(editor.code().color, "#009E73");
  // A code without a colour keeps none when the picker was left alone.
  CodeEditor plain(frame_, code_named(project(), "Humour"));
  EXPECT_EQ(plain.code().color, "");
}

TEST_F(WorkbenchTest, ClosingSnapshotsSoTheJournalIsEmptyAndOtherToolsSeeTheCoding) {
  const Code& humour = code_named(project(), "Humour");
  const auto [start, end] = span_of(lena(), "ten minutes");
  frame_->transcript()->select(start, end);
  ASSERT_TRUE(frame_->apply_code(humour.guid));
  EXPECT_GT(fs::file_size(folder_ / ".marginalia" / "journal"), 0u);
  frame_->Close(true);
  frame_ = nullptr;
  settle();
  EXPECT_EQ(fs::file_size(folder_ / ".marginalia" / "journal"), 0u);
  std::ifstream qde(folder_ / "project.qde");
  const std::string xml((std::istreambuf_iterator<char>(qde)), {});
  EXPECT_NE(xml.find("startPosition=\"" + std::to_string(start) + "\""), std::string::npos);
}

}  // namespace
}  // namespace marginalia::gui

namespace marginalia::gui {
namespace {

TEST_F(WorkbenchTest, OpenRefiProjectCreatesAFolderBesideTheQdpxAndOpensIt) {
  const fs::path dir = fresh_folder("qdpx");
  fs::create_directories(dir);
  const fs::path file = dir / "exchange.qdpx";
  write_qdpx(project(), file);  // what another tool would hand over
  frame_->set_qdpx_chooser([&] { return std::optional<fs::path>(file); });
  std::vector<wxString> told;
  frame_->set_informer([&](const wxString& message) { told.push_back(message); });
  std::optional<bool> opened;
  frame_->open_qdpx(file, [&](bool ok) { opened = ok; });
  for (int i = 0; i < 600 && !opened; ++i) {
    settle(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(opened && *opened) << (errors_.empty() ? wxString() : errors_.back());
  EXPECT_TRUE(fs::exists(dir / "exchange" / "project.qde"));
  EXPECT_EQ(frame_->project()->sources.size(), 3u);
  EXPECT_EQ(frame_->project()->codings.size(), 8u);
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 3);
  EXPECT_TRUE(told.empty());

  // A damaged file: an error naming it, nothing created, the open project stays.
  const fs::path broken = dir / "broken.qdpx";
  std::ofstream(broken) << "not a zip";
  opened.reset();
  frame_->open_qdpx(broken, [&](bool ok) { opened = ok; });
  for (int i = 0; i < 600 && !opened; ++i) {
    settle(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(opened.has_value());
  EXPECT_FALSE(*opened);
  ASSERT_FALSE(errors_.empty());
  EXPECT_TRUE(errors_.back().Contains("broken.qdpx")) << errors_.back();
  EXPECT_FALSE(fs::exists(dir / "broken"));
  EXPECT_EQ(frame_->project()->sources.size(), 3u);
  frame_->close_project();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace marginalia::gui
