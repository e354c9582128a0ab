// The main window on a real project built through the core, under a real X server (xvfb-run -a).
// wx is started lazily in the fixture, so listing the tests needs no display.
#include "main_frame.h"

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

namespace fs = std::filesystem;

namespace marginalia::gui {
namespace {

int64_t code_points(std::string_view text) {
  int64_t n = 0;
  for (unsigned char byte : text) n += (byte & 0xC0) != 0x80;
  return n;
}

struct Turn {
  std::string speaker;
  std::string words;
};

Source make_source(const std::string& name, const std::vector<Turn>& turns) {
  Source source;
  source.guid = new_guid();
  source.name = name;
  source.origin_file = name + ".txt";
  source.origin_format = "text/plain; speaker turns Name:";
  source.encoding = "UTF-8";
  source.created = now_iso8601();
  for (const Turn& turn : turns) {
    source.text += turn.speaker + ": ";
    Utterance utterance;
    utterance.speaker = turn.speaker;
    utterance.role = turn.speaker == "INTERVIEWER" ? Role::Interviewer : Role::Participant;
    utterance.start = code_points(source.text);
    source.text += turn.words;
    utterance.end = code_points(source.text);
    source.text += "\n";
    source.utterances.push_back(utterance);
  }
  return source;
}

Code make_code(const std::string& name, const std::string& color, const std::string& parent = "",
               bool codable = true) {
  Code code;
  code.guid = new_guid();
  code.name = name;
  code.color = color;
  code.parent = parent;
  code.codable = codable;
  return code;
}

// A coding of `words` (the first place they occur) in `source`.
Coding make_coding(const Source& source, std::string_view words, const Code& code,
                   const Coder& coder) {
  const size_t at = source.text.find(words);
  if (at == std::string::npos) throw std::logic_error("sample text lacks the coded words");
  Coding coding;
  coding.guid = new_guid();
  coding.source = source.guid;
  coding.start = code_points(std::string_view(source.text).substr(0, at));
  coding.end = coding.start + code_points(words);
  coding.code = code.guid;
  coding.coder = coder.guid;
  coding.created = now_iso8601();
  return coding;
}

// Three sources, two folders with two codes each and a loose code, eight codings by two coders.
//   Formation (4): Early anxiety (3), Fears about therapy (1)
//   Ruptures (3):  Withdrawal (2), Confrontation (1)
//   Humour (1), no colour
void write_sample_project(const fs::path& folder) {
  ProjectStore::create(folder, "GUI test");
  auto store = ProjectStore::open(folder, OpenMode::Write);

  const Coder ana{new_guid(), "ana"}, ben{new_guid(), "ben"};
  store->execute({AddCoder{ana}, "Add coder ana"});
  store->execute({AddCoder{ben}, "Add coder ben"});

  const Code formation = make_code("Formation", "", "", false);
  const Code anxiety = make_code("Early anxiety", "#E69F00", formation.guid);
  const Code fears = make_code("Fears about therapy", "#56B4E9", formation.guid);
  const Code ruptures = make_code("Ruptures", "", "", false);
  const Code withdrawal = make_code("Withdrawal", "#009E73", ruptures.guid);
  const Code confrontation = make_code("Confrontation", "#D55E00", ruptures.guid);
  const Code humour = make_code("Humour", "");
  store->execute(
      {AddCodes{{formation, anxiety, fears, ruptures, withdrawal, confrontation, humour}},
       "Load codebook"});

  const Source lena = make_source(
      "d1_client_lena",
      {{"INTERVIEWER", "What was it like, coming to the first session?"},
       {"LENA", "Honestly I was frightened. I sat in the car for ten minutes before I went in."},
       {"INTERVIEWER", "What were you afraid of?"},
       {"LENA", "That she would think I was making a fuss about nothing."}});
  const Source maria = make_source(
      "d1_therapist_maria",
      {{"INTERVIEWER", "How did the first weeks go?"},
       {"MARIA", "She was guarded. She answered questions but offered nothing."},
       {"MARIA", "Then in the fourth session she told me I did not understand her, and left."}});
  const Source zoe = make_source(
      "d2_client_zo\u00eb",
      {{"INTERVIEWER", "Can you tell me about a difficult moment?"},
       {"ZO\u00cb", "I laughed it off, the way I always do, and then I went quiet for a week."}});
  for (const Source& source : {lena, maria, zoe})
    store->execute({AddSource{source}, "Import " + source.origin_file});

  store->execute(
      {AddCodings{{
           make_coding(lena, "Honestly I was frightened.", anxiety, ana),
           make_coding(lena, "Honestly I was frightened. I sat in the car", anxiety, ben),
           make_coding(lena, "making a fuss about nothing", fears, ana),
           make_coding(lena, "That she would think", anxiety, ana),
           make_coding(maria, "She was guarded.", withdrawal, ana),
           make_coding(maria, "she told me I did not understand her", confrontation, ana),
           make_coding(zoe, "I laughed it off", humour, ana),
           make_coding(zoe, "I went quiet for a week", withdrawal, ben),
       }},
       "Code sample"});
  store->snapshot();
}

// A unique empty path under the temporary folder.
fs::path fresh_folder(const std::string& stem) {
  static int counter = 0;
  return fs::temp_directory_path() /
         ("marginalia-gui-" + std::to_string(::getpid()) + "-" + stem + std::to_string(counter++));
}

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

wxString utf8(const char* text) {
  return wxString::FromUTF8(text);
}

class MainFrameTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
      skip_reason_ = "no display: run under xvfb-run -a";
      return;
    }
    wxApp::SetInstance(new wxApp);
    static int argc = 1;
    static char name[] = "marginalia_gui_tests";
    static char* argv[] = {name, nullptr};
    if (!wxEntryStart(argc, argv)) {
      skip_reason_ = "wxWidgets could not start (no usable display?)";
      return;
    }
    // wxYield needs an active loop; the tests drive it instead of running one.
    loop_ = new wxEventLoop;
    wxEventLoopBase::SetActive(loop_);

    sample_ = fresh_folder("sample");
    write_sample_project(sample_);
    empty_ = fresh_folder("empty");
    ProjectStore::create(empty_, "Nothing yet");
    wx_started_ = true;
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(sample_, ignored);
    fs::remove_all(empty_, ignored);
    if (!wx_started_) return;
    wxEventLoopBase::SetActive(nullptr);
    delete loop_;
    wxEntryCleanup();
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    frame_ = new MainFrame;
    frame_->set_error_reporter([this](const wxString& message) { errors_.push_back(message); });
    frame_->Show();
    settle();
  }

  void TearDown() override {
    if (!frame_) return;
    frame_->Destroy();
    wxTheApp->ProcessIdle();  // deletes the frame
  }

  static void settle() {
    for (int i = 0; i < 5; ++i) wxYield();
  }

  void select_source(long row) {
    frame_->sources_list()->SetItemState(row, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    settle();
  }

  static inline std::string skip_reason_;
  static inline bool wx_started_ = false;
  static inline wxEventLoop* loop_ = nullptr;
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
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(),
            utf8("3 sources \u00b7 7 codes \u00b7 8 codings \u00b7 2 coders"));
  EXPECT_TRUE(errors_.empty());
}

TEST_F(MainFrameTest, SourcesListShowsNamesTurnsAndCodings) {
  ASSERT_TRUE(frame_->open_project(sample_));
  wxListCtrl* list = frame_->sources_list();
  ASSERT_EQ(list->GetItemCount(), 3);
  ASSERT_EQ(list->GetColumnCount(), 3);
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
            (std::vector<wxString>{"Formation (4)", "Ruptures (3)", "Humour (1)"}));

  const wxTreeItemId formation = find_item(tree, root, "Formation (4)");
  const wxTreeItemId ruptures = find_item(tree, root, "Ruptures (3)");
  ASSERT_TRUE(formation.IsOk() && ruptures.IsOk());
  EXPECT_EQ(child_labels(tree, formation),
            (std::vector<wxString>{"Early anxiety (3)", "Fears about therapy (1)"}));
  EXPECT_EQ(child_labels(tree, ruptures),
            (std::vector<wxString>{"Withdrawal (2)", "Confrontation (1)"}));
  EXPECT_TRUE(tree->IsExpanded(formation));

  // Each colour has its own square; codes and folders without one share the grey square.
  const int grey = tree->GetItemImage(find_item(tree, root, "Humour (1)"));
  const int anxiety = tree->GetItemImage(find_item(tree, root, "Early anxiety (3)"));
  const int fears = tree->GetItemImage(find_item(tree, root, "Fears about therapy (1)"));
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
  EXPECT_TRUE(frame_->transcript()->GetValue().StartsWith("INTERVIEWER: What was it like"));
  EXPECT_TRUE(frame_->centre_message().empty());

  select_source(2);
  const wxString text = frame_->transcript()->GetValue();
  EXPECT_TRUE(text.Contains(utf8("ZO\u00cb: I laughed it off"))) << text;
  EXPECT_TRUE(frame_->transcript()->IsShownOnScreen());
  EXPECT_FALSE(frame_->transcript()->IsEditable());
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
  EXPECT_TRUE(frame_->transcript()->GetValue().Contains("She was guarded."));
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
  EXPECT_TRUE(
      frame_->centre_message().StartsWith("No transcripts yet: import them with "
                                          "marginalia-cli import "))
      << frame_->centre_message();
  EXPECT_EQ(frame_->sources_list()->GetItemCount(), 0);
  EXPECT_EQ(frame_->GetStatusBar()->GetStatusText(),
            utf8("0 sources \u00b7 0 codes \u00b7 0 codings \u00b7 0 coders"));
}

}  // namespace
}  // namespace marginalia::gui

// `marginalia_gui_tests --write-sample-project DIR` writes the sample project for the screenshot
// test.
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
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
