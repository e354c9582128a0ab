// The main window on a real project built through the core, under a real X server (xvfb-run -a).
// wx is started lazily in the fixture, so listing the tests needs no display.
#include "main_frame.h"

#include <wx/stc/stc.h>

#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/evtloop.h>
#include <wx/init.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/settings.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/treectrl.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "sample_project.h"

namespace fs = std::filesystem;

namespace marginalia::gui {
namespace {

std::vector<wxString> child_labels(wxTreeCtrl* tree, const wxTreeItemId& parent) {
  std::vector<wxString> labels;
  wxTreeItemIdValue cookie;
  for (auto item = tree->GetFirstChild(parent, cookie); item.IsOk();
       item = tree->GetNextChild(parent, cookie))
    labels.push_back(tree->GetItemText(item));
  return labels;
}

wxTreeItemId find_item(wxTreeCtrl* tree, const wxTreeItemId& parent, const wxString& label) {
  wxTreeItemIdValue cookie;
  for (auto item = tree->GetFirstChild(parent, cookie); item.IsOk();
       item = tree->GetNextChild(parent, cookie)) {
    if (tree->GetItemText(item) == label) return item;
    if (auto found = find_item(tree, item, label); found.IsOk()) return found;
  }
  return {};
}

class MainFrameTest : public WxTest {
 protected:
  static void SetUpTestSuite() {
    WxTest::SetUpTestSuite();
    if (!skip_reason().empty()) return;
    sample_ = fresh_folder("sample");
    write_sample_project(sample_);
    empty_ = fresh_folder("empty");
    ProjectStore::create(empty_, "Nothing yet");
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(sample_, ignored);
    fs::remove_all(empty_, ignored);
  }

  void SetUp() override {
    WxTest::SetUp();
    if (IsSkipped()) return;
    frame_ = new MainFrame;
    frame_->set_error_reporter([this](const wxString& message) { errors_.push_back(message); });
    frame_->set_coder_chooser(
        [](const std::vector<std::string>&, const std::string&) { return std::string("ana"); });
    frame_->Show();
    settle();
  }

  void TearDown() override {
    if (!frame_) return;
    frame_->Close(true);
    settle();  // deletes the frame
  }

  void select_source(long row) {
    frame_->sources_list()->SetItemState(row, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    settle();
  }

  wxString transcript_text() const { return frame_->transcript()->text()->GetText(); }

  static inline fs::path sample_, empty_;

  MainFrame* frame_ = nullptr;
  std::vector<wxString> errors_;
};

TEST_F(MainFrameTest, StartsEmptyAndSaysWhatToDo) {
  EXPECT_EQ(frame_->GetTitle(), "Marginalia");
  EXPECT_EQ(frame_->centre_message(),
            utf8("No project open: File \u25b8 Open\u2026 a project folder"));
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 0);
  EXPECT_EQ(frame_->codebook_tree()->GetCount(), 0u);
  EXPECT_EQ(frame_->project(), nullptr);
}

TEST_F(MainFrameTest, TitleAndStatusBarNameTheProject) {
  ASSERT_TRUE(frame_->open_project(sample_));
  EXPECT_EQ(frame_->GetTitle(), utf8("GUI test \u2014 Marginalia"));
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(0), "Coder: ana");
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(1),
            utf8("3 sources \u00b7 7 codes \u00b7 8 codings \u00b7 2 coders"));
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(2), "All changes saved");
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(3), "Index ready");
  EXPECT_TRUE(errors_.empty());
}

TEST_F(MainFrameTest, SourcesListShowsNamesTurnsAndCodings) {
  ASSERT_TRUE(frame_->open_project(sample_));
  wxListCtrl* list = frame_->sources_list();
  ASSERT_EQ(list->GetItemCount(), 3);
  ASSERT_EQ(list->GetColumnCount(), 4);  // name, turns, codings, attributes
  const std::vector<std::vector<wxString>> expected = {
      {"d1_client_lena", "4", "4"},
      {"d1_therapist_maria", "3", "2"},
      {utf8("d2_client_zo\u00eb"), "2", "2"},
  };
  for (long row = 0; row < 3; ++row)
    for (int column = 0; column < 3; ++column)
      EXPECT_EQ(list->GetItemText(row, column), expected[row][column])
          << "row " << row << " column " << column;
}

TEST_F(MainFrameTest, CodebookNestsCodesUnderFoldersWithCounts) {
  ASSERT_TRUE(frame_->open_project(sample_));
  wxTreeCtrl* tree = frame_->codebook_tree();
  const wxTreeItemId root = tree->GetRootItem();
  EXPECT_EQ(child_labels(tree, root),
            (std::vector<wxString>{"Formation (4)", "Ruptures (3)", "5  Humour (1)"}));

  const wxTreeItemId formation = find_item(tree, root, "Formation (4)");
  const wxTreeItemId ruptures = find_item(tree, root, "Ruptures (3)");
  ASSERT_TRUE(formation.IsOk() && ruptures.IsOk());
  EXPECT_EQ(child_labels(tree, formation),
            (std::vector<wxString>{"1  Early anxiety (3)", "2  Fears about therapy (1)"}));
  EXPECT_EQ(child_labels(tree, ruptures),
            (std::vector<wxString>{"3  Withdrawal (2)", "4  Confrontation (1)"}));
  EXPECT_TRUE(tree->IsExpanded(formation));

  // Each colour has its own square; codes and folders without one share the grey square.
  const int grey = tree->GetItemImage(find_item(tree, root, "5  Humour (1)"));
  const int anxiety = tree->GetItemImage(find_item(tree, root, "1  Early anxiety (3)"));
  const int fears = tree->GetItemImage(find_item(tree, root, "2  Fears about therapy (1)"));
  EXPECT_EQ(tree->GetItemImage(formation), grey);
  EXPECT_NE(anxiety, grey);
  EXPECT_NE(fears, grey);
  EXPECT_NE(anxiety, fears);
  ASSERT_NE(tree->GetImageList(), nullptr);
  EXPECT_EQ(tree->GetImageList()->GetImageCount(), 5);  // grey and four colours

  EXPECT_EQ(tree->GetItemTextColour(formation), wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
}

TEST_F(MainFrameTest, SelectingASourceShowsItsText) {
  ASSERT_TRUE(frame_->open_project(sample_));
  EXPECT_TRUE(transcript_text().StartsWith("INTERVIEWER: What was it like"));
  EXPECT_TRUE(frame_->centre_message().empty());

  select_source(2);
  const wxString text = transcript_text();
  EXPECT_TRUE(text.Contains(utf8("ZO\u00cb: I laughed it off"))) << text;
  EXPECT_TRUE(frame_->transcript()->text()->IsShownOnScreen());
  EXPECT_TRUE(frame_->transcript()->text()->GetReadOnly());
}

TEST_F(MainFrameTest, AFolderThatIsNoProjectShowsAnErrorAndKeepsTheWindowUsable) {
  ASSERT_TRUE(frame_->open_project(sample_));
  EXPECT_FALSE(frame_->open_project(fresh_folder("nowhere")));
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_FALSE(errors_[0].empty());
  EXPECT_FALSE(errors_[0].Contains("\n")) << errors_[0];

  // What was open stays open, and the window still works.
  EXPECT_EQ(frame_->GetTitle(), utf8("GUI test \u2014 Marginalia"));
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 3);
  select_source(1);
  EXPECT_TRUE(transcript_text().Contains("She was guarded."));
  EXPECT_TRUE(frame_->open_project(empty_));
  EXPECT_EQ(frame_->GetTitle(), utf8("Nothing yet \u2014 Marginalia"));
}

TEST_F(MainFrameTest, FileMenuOpensAndClosesThroughItsCommands) {
  frame_->set_folder_chooser([] { return std::optional<fs::path>(sample_); });
  ASSERT_TRUE(frame_->ProcessCommand(wxID_OPEN));
  settle();
  EXPECT_EQ(frame_->GetTitle(), utf8("GUI test \u2014 Marginalia"));
  EXPECT_TRUE(frame_->GetMenuBar()->IsEnabled(wxID_CLOSE));

  ASSERT_TRUE(frame_->ProcessCommand(wxID_CLOSE));
  settle();
  EXPECT_EQ(frame_->project(), nullptr);
  EXPECT_EQ(frame_->GetTitle(), "Marginalia");
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 0);
  EXPECT_EQ(frame_->centre_message(),
            utf8("No project open: File \u25b8 Open\u2026 a project folder"));
  EXPECT_FALSE(frame_->GetMenuBar()->IsEnabled(wxID_CLOSE));

  frame_->set_folder_chooser([] { return std::optional<fs::path>(); });  // cancelled
  ASSERT_TRUE(frame_->ProcessCommand(wxID_OPEN));
  EXPECT_EQ(frame_->project(), nullptr);
  EXPECT_TRUE(errors_.empty());
}

TEST_F(MainFrameTest, AProjectWithoutSourcesSaysHowToImport) {
  ASSERT_TRUE(frame_->open_project(empty_));
  EXPECT_EQ(frame_->centre_message(),
            utf8("No transcripts yet: drag files here, or File \u25b8 Import Transcripts\u2026"));
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 0);
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(1),
            utf8("0 sources \u00b7 0 codes \u00b7 0 codings \u00b7 0 coders"));
}

}  // namespace
}  // namespace marginalia::gui
