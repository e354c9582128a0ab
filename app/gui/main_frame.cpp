#include "main_frame.h"
#include "wx_text.h"

#include <wx/aboutdlg.h>
#include <wx/aui/auibook.h>
#include <wx/button.h>
#include <wx/choicdlg.h>
#include <wx/dirdlg.h>
#include <wx/dnd.h>
#include <wx/fileconf.h>
#include <wx/filedlg.h>
#include <wx/filehistory.h>
#include <wx/imaglist.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/numdlg.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/stc/stc.h>
#include <wx/stdpaths.h>
#include <wx/textctrl.h>
#include <wx/textdlg.h>
#include <wx/timer.h>
#include <wx/treectrl.h>
#include <wx/utils.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "code_editor.h"
#include "import_dialog.h"
#include "marginalia/error.h"
#include "marginalia/pins.h"
#include "marginalia/qdpx.h"
#include "panes/agreement_pane.h"
#include "panes/concordance_pane.h"
#include "panes/cooccurrence_pane.h"
#include "panes/frequencies_pane.h"
#include "panes/matrix_pane.h"
#include "panes/retrieval_pane.h"
#include "panes/search_pane.h"
#include "panes/words_pane.h"

namespace marginalia::gui {
namespace {

enum SourceColumn { kSourceName, kSourceTurns, kSourceCodings, kSourceAttributes };
enum CentrePage { kMessagePage, kTranscriptPage };
enum StatusField { kCoderField, kSummaryField, kSavedField, kIndexField, kStatusFields };
enum MenuId {
  kImportId = wxID_HIGHEST + 100,
  kOpenQdpxId,
  kApplyCodeId,
  kInVivoId,
  kCodeTurnId,
  kRemoveCodingId,
  kNewCodeId,
  kEditCodeId,
  kPinCodeId,
  kBlindId,
  kCompareId,
  kSnapId,
  kFindId,
  kFindNextId,
  kZoomInId,
  kZoomOutId,
  kNextTurnId,
  kPreviousTurnId,
  kPinnedFirstId,                             // Apply Code 1..9
  kCodeMenuFirstId = kPinnedFirstId + 9,      // context menu: one per codable code
  kAnalyzeFirstId = kCodeMenuFirstId + 1000,  // Analyze menu: one per pane of kPanes
};

// The analysis panes, in the order of the Analyze menu; each opens once per project, in the
// bottom notebook.
struct PaneKind {
  const char* menu;
  const char* tab;
  AnalysisPane* (*make)(wxWindow* parent, PaneHost& host);
};
template <class P>
AnalysisPane* make_pane(wxWindow* parent, PaneHost& host) {
  return new P(parent, host);
}
const PaneKind kPanes[] = {
    {"&Search\tCtrl+Shift+F", "Search", make_pane<SearchPane>},
    {"&Retrieve Coded Passages", "Retrieval", make_pane<RetrievalPane>},
    {"&Frequencies", "Frequencies", make_pane<FrequenciesPane>},
    {"Code \u00d7 Source &Matrix", "Matrix", make_pane<MatrixPane>},
    {"&Co-occurrence", "Co-occurrence", make_pane<CooccurrencePane>},
    {"Con&cordance (KWIC)", "Concordance", make_pane<ConcordancePane>},
    {"&Word Frequencies", "Words", make_pane<WordsPane>},
    {"&Agreement", "Agreement", make_pane<AgreementPane>},
};

const wxString kAppName = "Marginalia";
// Non-ASCII text goes through FromUTF8: a narrow literal is decoded in the C locale otherwise.
const wxString kNoProject =
    wxString::FromUTF8("No project open: File \u25b8 Open\u2026 a project folder");
const wxString kNoSources = wxString::FromUTF8(
    "No transcripts yet: drag files here, or File \u25b8 Import Transcripts\u2026");
const int kSnapshotDelayMs = 2000;

class CodeItem : public wxTreeItemData {
 public:
  explicit CodeItem(std::string guid) : guid_(std::move(guid)) {}
  const std::string& guid() const { return guid_; }

 private:
  std::string guid_;
};

// A small square in the code's colour with a darker rim, so light colours stay visible.
wxBitmap colour_square(const wxColour& colour, int size) {
  wxImage image(size, size);
  const wxColour rim = colour.ChangeLightness(70);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const bool edge = x == 0 || y == 0 || x == size - 1 || y == size - 1;
      const wxColour& c = edge ? rim : colour;
      image.SetRGB(x, y, c.Red(), c.Green(), c.Blue());
    }
  }
  return wxBitmap(image);
}

// A titled panel: "Sources" above its list, "Codebook" above its tree.
wxPanel* titled(wxWindow* parent, const wxString& title) {
  auto* panel = new wxPanel(parent);
  auto* heading = new wxStaticText(panel, wxID_ANY, title);
  heading->SetFont(heading->GetFont().Bold());
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  sizer->Add(heading, wxSizerFlags().Border(wxLEFT | wxTOP | wxRIGHT, panel->FromDIP(6)));
  panel->SetSizer(sizer);
  return panel;
}
void add_body(wxPanel* panel, wxWindow* body) {
  panel->GetSizer()->Add(body, wxSizerFlags(1).Expand().Border(wxALL, panel->FromDIP(4)));
}

// Files dropped on the window are imported.
class FileDrop : public wxFileDropTarget {
 public:
  explicit FileDrop(MainFrame* frame) : frame_(frame) {}
  bool OnDropFiles(wxCoord, wxCoord, const wxArrayString& names) override {
    if (!frame_->project()) return false;
    std::vector<std::filesystem::path> files;
    for (const wxString& name : names) files.emplace_back(name.utf8_string());
    frame_->CallAfter([frame = frame_, files] { frame->import_files(files); });
    return true;
  }

 private:
  MainFrame* frame_;
};

// Text dragged from the transcript onto a code codes the transcript's selection with it.
class SelectionDrop : public wxTextDropTarget {
 public:
  SelectionDrop(MainFrame* frame, wxTreeCtrl* tree) : frame_(frame), tree_(tree) {}
  wxDragResult OnDragOver(wxCoord x, wxCoord y, wxDragResult) override {
    int flags = 0;
    const wxTreeItemId item = tree_->HitTest(wxPoint(x, y), flags);
    if (item.IsOk()) tree_->SelectItem(item);
    return item.IsOk() ? wxDragCopy : wxDragNone;
  }
  bool OnDropText(wxCoord x, wxCoord y, const wxString&) override {
    int flags = 0;
    const wxTreeItemId item = tree_->HitTest(wxPoint(x, y), flags);
    const std::string code = item.IsOk() ? frame_->code_of_item(item) : std::string();
    if (code.empty()) return false;
    // The drag's own loop is still running: code once it has ended.
    frame_->CallAfter([frame = frame_, code] { frame->apply_code(code); });
    return true;
  }

 private:
  MainFrame* frame_;
  wxTreeCtrl* tree_;
};

std::string login_name() {
  if (const char* coder = std::getenv("MARGINALIA_CODER"); coder && *coder) return coder;
  return wxGetUserId().utf8_string();
}

}  // namespace

std::filesystem::path MainFrame::config_file() {
  if (const char* dir = std::getenv("MARGINALIA_CONFIG_DIR"); dir && *dir)
    return std::filesystem::path(dir) / "marginalia.ini";
  return std::filesystem::path(wxStandardPaths::Get().GetUserConfigDir().utf8_string()) /
         ".config" / "marginalia" / "marginalia.ini";
}

MainFrame::MainFrame() : wxFrame(nullptr, wxID_ANY, kAppName) {
  report_error_ = [this](const wxString& message) {
    wxMessageBox(message, kAppName, wxOK | wxICON_ERROR, this);
  };
  choose_folder_ = [this]() -> std::optional<std::filesystem::path> {
    wxDirDialog dialog(this, "Open a Marginalia project folder", wxEmptyString,
                       wxDD_DEFAULT_STYLE | wxDD_DIR_MUST_EXIST);
    if (dialog.ShowModal() != wxID_OK) return std::nullopt;
    return std::filesystem::path(dialog.GetPath().utf8_string());
  };
  choose_new_folder_ = [this]() -> std::optional<std::filesystem::path> {
    wxDirDialog dialog(this, "Choose an empty folder for the new project", wxEmptyString,
                       wxDD_DEFAULT_STYLE | wxDD_NEW_DIR_BUTTON);
    if (dialog.ShowModal() != wxID_OK) return std::nullopt;
    return std::filesystem::path(dialog.GetPath().utf8_string());
  };
  choose_qdpx_ = [this]() -> std::optional<std::filesystem::path> {
    wxFileDialog dialog(this, "Open a REFI-QDA project", wxEmptyString, wxEmptyString,
                        "REFI-QDA projects (*.qdpx;*.qde)|*.qdpx;*.qde|All files|*",
                        wxFD_OPEN | wxFD_FILE_MUST_EXIST);
    if (dialog.ShowModal() != wxID_OK) return std::nullopt;
    return std::filesystem::path(dialog.GetPath().utf8_string());
  };
  inform_ = [this](const wxString& message) {
    wxMessageBox(message, kAppName, wxOK | wxICON_INFORMATION, this);
  };
  choose_coder_ = [this](const std::vector<std::string>& coders,
                         const std::string& suggestion) -> std::optional<std::string> {
    std::string known;
    for (const std::string& name : coders) known += (known.empty() ? "" : ", ") + name;
    const wxString message =
        utf8("Who is coding? Your codings are recorded under this name." +
             (known.empty() ? std::string() : "\nCoders in this project: " + known));
    wxTextEntryDialog dialog(this, message, "Coder", utf8(suggestion));
    if (dialog.ShowModal() != wxID_OK || dialog.GetValue().Trim().empty()) return std::nullopt;
    return dialog.GetValue().Trim().Trim(false).utf8_string();
  };
  choose_key_ = [this](const std::string& code_name,
                       std::optional<int> current) -> std::optional<int> {
    const long key = wxGetNumberFromUser(
        utf8("Press this key (1-9) to apply \"" + code_name + "\". 0 takes it off its key."),
        "Key:", "Pin Code to Key", current.value_or(1), 0, 9, this);
    if (key < 0) return std::nullopt;
    return static_cast<int>(key);
  };
  choose_files_ = [this] {
    std::vector<std::filesystem::path> files;
    wxFileDialog dialog(this, "Import transcripts", wxEmptyString, wxEmptyString,
                        "Transcripts (*.txt)|*.txt|All files|*",
                        wxFD_OPEN | wxFD_MULTIPLE | wxFD_FILE_MUST_EXIST);
    if (dialog.ShowModal() != wxID_OK) return files;
    wxArrayString paths;
    dialog.GetPaths(paths);
    for (const wxString& path : paths) files.emplace_back(path.utf8_string());
    return files;
  };
  confirm_import_ = [this](const std::vector<std::filesystem::path>& files,
                           ImportChoices& choices) {
    ImportDialog dialog(this, files);
    if (dialog.ShowModal() != wxID_OK) return false;
    choices.roles = dialog.roles();
    choices.encodings = dialog.encodings();
    return true;
  };

  const std::filesystem::path config = config_file();
  std::error_code ignored;
  std::filesystem::create_directories(config.parent_path(), ignored);
  config_ = std::make_unique<wxFileConfig>(kAppName, wxEmptyString, utf8(config.string()),
                                           wxEmptyString, wxCONFIG_USE_LOCAL_FILE);
  recent_ = std::make_unique<wxFileHistory>(9);
  long_work_ = std::make_unique<LongWorkRunner>(
      this, [this](const wxString& message) { report_error_(message); });
  snapshot_timer_ = std::make_unique<wxTimer>();
  snapshot_timer_->Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
    // Idle for a moment: write the snapshot so other tools reading project.qde see current work.
    if (!store_) return;
    try {
      store_->snapshot();
    } catch (const std::exception& error) {
      report_error_(utf8(error.what()));
    }
  });

  SetSize(FromDIP(wxSize(1280, 800)));
  SetMinSize(FromDIP(wxSize(700, 450)));
  build_menus();
  CreateStatusBar(kStatusFields);
  const int widths[kStatusFields] = {FromDIP(180), -1, FromDIP(150), FromDIP(120)};
  SetStatusWidths(kStatusFields, widths);
  build_layout();
  show_empty_state(kNoProject);
  Bind(wxEVT_CLOSE_WINDOW, &MainFrame::on_close, this);
  SetDropTarget(new FileDrop(this));
}

MainFrame::~MainFrame() {
  long_work_.reset();  // threads stopped before the store they read goes
  aui_.UnInit();
}

void MainFrame::build_menus() {
  auto* file = new wxMenu;
  file->Append(wxID_NEW, wxString::FromUTF8("&New Project\u2026\tCtrl+N"),
               "Create a project in a new or empty folder");
  file->Append(wxID_OPEN, wxString::FromUTF8("&Open\u2026\tCtrl+O"), "Open a project folder");
  auto* recent_menu = new wxMenu;
  file->AppendSubMenu(recent_menu, "Open &Recent");
  file->Append(kOpenQdpxId, wxString::FromUTF8("Open &REFI Project (.qdpx)\u2026"),
               "Create a project from another tool's .qdpx and open it");
  file->Append(kImportId, wxString::FromUTF8("&Import Transcripts\u2026\tCtrl+I"));
  file->AppendSeparator();
  file->Append(wxID_CLOSE, "&Close\tCtrl+W", "Close the project");
  file->Append(wxID_EXIT, "&Quit\tCtrl+Q");

  auto* edit = new wxMenu;
  edit->Append(wxID_UNDO, "&Undo\tCtrl+Z");
  edit->Append(wxID_REDO, "&Redo\tCtrl+Shift+Z");
  edit->AppendSeparator();
  edit->Append(kFindId, wxString::FromUTF8("&Find in Transcript\u2026\tCtrl+F"));
  edit->Append(kFindNextId, "Find &Next\tF3");

  auto* code = new wxMenu;
  for (int key = 1; key <= 9; ++key)
    code->Append(kPinnedFirstId + key - 1, wxString::Format("Apply Code %d (key %d)", key, key));
  code->AppendSeparator();
  code->Append(kApplyCodeId, "&Apply Selected Code\tCtrl+K");
  code->Append(kInVivoId, "&In-Vivo Code\tCtrl+Shift+V");
  code->Append(kCodeTurnId, "Code Whole &Turn\tCtrl+T");
  // Delete is no menu accelerator: it would take the key from the memo and filter fields. The
  // transcript handles it.
  code->Append(kRemoveCodingId, "&Remove Coding (Delete)");
  code->AppendSeparator();
  code->Append(kNewCodeId, wxString::FromUTF8("&New Code\u2026\tCtrl+Shift+N"));
  code->Append(kEditCodeId, wxString::FromUTF8("&Edit Code\u2026"));
  code->Append(kPinCodeId, wxString::FromUTF8("&Pin Code to Key\u2026"));
  code->AppendSeparator();
  code->AppendCheckItem(kSnapId, "&Snap to Words");
  code->Check(kSnapId, snap_to_words_);

  auto* view = new wxMenu;
  view->AppendCheckItem(kBlindId, "&Blind Mode (hide other coders)");
  view->AppendCheckItem(kCompareId, "&Compare Coders");
  view->AppendSeparator();
  view->Append(kNextTurnId, "&Next Turn\tAlt+Down");
  view->Append(kPreviousTurnId, "&Previous Turn\tAlt+Up");
  view->AppendSeparator();
  view->Append(kZoomInId, "Zoom &In\tCtrl+=");
  view->Append(kZoomOutId, "Zoom &Out\tCtrl+-");

  auto* analyze = new wxMenu;
  for (size_t i = 0; i < std::size(kPanes); ++i)
    analyze->Append(kAnalyzeFirstId + static_cast<int>(i), wxString::FromUTF8(kPanes[i].menu));

  auto* help = new wxMenu;
  help->Append(wxID_ABOUT, "&About");
  auto* bar = new wxMenuBar;
  bar->Append(file, "&File");
  bar->Append(edit, "&Edit");
  bar->Append(code, "&Code");
  bar->Append(view, "&View");
  bar->Append(analyze, "&Analyze");
  bar->Append(help, "&Help");
  SetMenuBar(bar);

  recent_->UseMenu(recent_menu);
  recent_->Load(*config_);

  // Ctrl+Y redoes too, as on Windows.
  wxAcceleratorEntry keys[] = {{wxACCEL_CTRL, 'Y', wxID_REDO}};
  SetAcceleratorTable(wxAcceleratorTable(1, keys));

  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        if (auto folder = choose_folder_()) open_project(*folder);
      },
      wxID_OPEN);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent& event) {
        if (!open_pane(static_cast<size_t>(event.GetId() - kAnalyzeFirstId)))
          report_error_(wxString::FromUTF8("Open a project first: File \u25b8 Open\u2026"));
      },
      kAnalyzeFirstId, kAnalyzeFirstId + static_cast<int>(std::size(kPanes)) - 1);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent& event) {
        const wxString path = recent_->GetHistoryFile(event.GetId() - wxID_FILE1);
        open_project(std::filesystem::path(path.utf8_string()));
      },
      wxID_FILE1, wxID_FILE9);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        if (auto folder = choose_new_folder_()) new_project(*folder);
      },
      wxID_NEW);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { go_to_turn(+1); }, kNextTurnId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { go_to_turn(-1); }, kPreviousTurnId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { choose_and_import(); }, kImportId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { close_project(); }, wxID_CLOSE);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { undo(); }, wxID_UNDO);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { redo(); }, wxID_REDO);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        find_->Show();
        find_->GetParent()->Layout();
        find_->SetFocus();
        find_->SelectAll();
      },
      kFindId);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        if (!find_->GetValue().empty()) transcript_->find_next(find_->GetValue());
      },
      kFindNextId);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent& event) {
        if (auto code = pinned_code(event.GetId() - kPinnedFirstId + 1)) apply_code(*code);
      },
      kPinnedFirstId, kPinnedFirstId + 8);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        const std::string code = selected_code();
        if (!code.empty()) apply_code(code);
      },
      kApplyCodeId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { code_in_vivo(); }, kInVivoId);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        const std::string code = selected_code();
        if (!code.empty()) code_whole_turn(code);
      },
      kCodeTurnId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { remove_selected_coding(); }, kRemoveCodingId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { new_code_dialog(); }, kNewCodeId);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        const std::string code = selected_code();
        if (!code.empty()) edit_code_dialog(code);
      },
      kEditCodeId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { pin_selected_code(); }, kPinCodeId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent& event) { snap_to_words_ = event.IsChecked(); }, kSnapId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent& event) { set_blind_mode(event.IsChecked()); }, kBlindId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent& event) { set_compare_mode(event.IsChecked()); },
      kCompareId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { transcript_->text()->ZoomIn(); }, kZoomInId);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { transcript_->text()->ZoomOut(); }, kZoomOutId);
  Bind(
      wxEVT_MENU,
      [this](wxCommandEvent&) {
        wxAboutDialogInfo info;
        info.SetName(kAppName);
        info.SetDescription("Coding qualitative interviews.");
        wxAboutBox(info, this);
      },
      wxID_ABOUT);
}

void MainFrame::build_layout() {
  aui_.SetManagedWindow(this);

  wxPanel* sources_pane = titled(this, "Sources");
  source_filter_ = new wxSearchCtrl(sources_pane, wxID_ANY);
  source_filter_->SetDescriptiveText("Filter by name or attribute");
  sources_pane->GetSizer()->Add(
      source_filter_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, FromDIP(4)));
  sources_ = new wxListCtrl(sources_pane, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                            wxLC_REPORT | wxLC_SINGLE_SEL);
  sources_->AppendColumn("Name", wxLIST_FORMAT_LEFT, FromDIP(150));
  sources_->AppendColumn("Turns", wxLIST_FORMAT_RIGHT, FromDIP(50));
  sources_->AppendColumn("Codings", wxLIST_FORMAT_RIGHT, FromDIP(60));
  sources_->AppendColumn("Attributes", wxLIST_FORMAT_LEFT, FromDIP(160));
  add_body(sources_pane, sources_);
  sources_->SetDropTarget(new FileDrop(this));

  wxPanel* codebook_pane = titled(this, "Codebook");
  codebook_ = new wxTreeCtrl(codebook_pane, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                             wxTR_DEFAULT_STYLE | wxTR_HIDE_ROOT | wxTR_SINGLE);
  add_body(codebook_pane, codebook_);
  codebook_->SetDropTarget(new SelectionDrop(this, codebook_));

  auto* centre_panel = new wxPanel(this);
  find_ = new wxSearchCtrl(centre_panel, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                           wxTE_PROCESS_ENTER);
  find_->SetDescriptiveText("Find in transcript");
  find_->ShowCancelButton(true);
  find_->Hide();
  centre_ = new wxSimplebook(centre_panel);
  auto* message_page = new wxPanel(centre_);
  centre_message_ = new wxStaticText(message_page, wxID_ANY, wxEmptyString, wxDefaultPosition,
                                     wxDefaultSize, wxALIGN_CENTRE_HORIZONTAL);
  centre_message_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
  auto* message_sizer = new wxBoxSizer(wxVERTICAL);
  message_sizer->AddStretchSpacer();
  message_sizer->Add(centre_message_, wxSizerFlags().Center().Border(wxALL, FromDIP(24)));
  message_sizer->AddStretchSpacer();
  message_page->SetSizer(message_sizer);
  message_page->SetDropTarget(new FileDrop(this));
  transcript_ = new TranscriptView(centre_);
  centre_->AddPage(message_page, "Message");
  centre_->AddPage(transcript_, "Transcript");
  auto* centre_sizer = new wxBoxSizer(wxVERTICAL);
  centre_sizer->Add(find_, wxSizerFlags().Expand().Border(wxALL, FromDIP(3)));
  centre_sizer->Add(centre_, wxSizerFlags(1).Expand());
  centre_panel->SetSizer(centre_sizer);

  wxPanel* details_pane = titled(this, "Selection");
  details_ = new wxStaticText(details_pane, wxID_ANY, "Select text to code it, or a coding.");
  details_pane->GetSizer()->Add(details_, wxSizerFlags().Expand().Border(wxALL, FromDIP(6)));
  memo_ = new wxTextCtrl(details_pane, wxID_ANY, wxEmptyString, wxDefaultPosition,
                         FromDIP(wxSize(-1, 90)), wxTE_MULTILINE);
  memo_->SetHint("Memo on the selected coding");
  details_pane->GetSizer()->Add(memo_,
                                wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, FromDIP(6)));
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  save_memo_ = new wxButton(details_pane, wxID_ANY, "Save Memo");
  change_code_ = new wxButton(details_pane, wxID_ANY, wxString::FromUTF8("Change Code\u2026"));
  remove_coding_ = new wxButton(details_pane, wxID_ANY, "Remove");
  buttons->Add(save_memo_);
  buttons->Add(change_code_, wxSizerFlags().Border(wxLEFT, FromDIP(4)));
  buttons->Add(remove_coding_, wxSizerFlags().Border(wxLEFT, FromDIP(4)));
  details_pane->GetSizer()->Add(buttons, wxSizerFlags().Border(wxALL, FromDIP(6)));
  auto* entry_heading = new wxStaticText(details_pane, wxID_ANY, "Codebook entry");
  entry_heading->SetFont(entry_heading->GetFont().Bold());
  details_pane->GetSizer()->Add(entry_heading, wxSizerFlags().Border(wxLEFT | wxTOP, FromDIP(6)));
  code_entry_ = new wxTextCtrl(details_pane, wxID_ANY, wxEmptyString, wxDefaultPosition,
                               wxDefaultSize, wxTE_MULTILINE | wxTE_READONLY | wxBORDER_NONE);
  code_entry_->SetBackgroundColour(details_pane->GetBackgroundColour());
  add_body(details_pane, code_entry_);

  analysis_ = new wxAuiNotebook(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                wxAUI_NB_TOP | wxAUI_NB_TAB_MOVE | wxAUI_NB_SCROLL_BUTTONS);

  aui_.AddPane(sources_pane, wxAuiPaneInfo()
                                 .Name("sources")
                                 .Caption("Sources")
                                 .Left()
                                 .Row(0)
                                 .Position(0)
                                 .BestSize(FromDIP(wxSize(330, 300)))
                                 .MinSize(FromDIP(wxSize(160, 100)))
                                 .CaptionVisible(false)
                                 .CloseButton(false));
  aui_.AddPane(codebook_pane, wxAuiPaneInfo()
                                  .Name("codebook")
                                  .Caption("Codebook")
                                  .Left()
                                  .Row(0)
                                  .Position(1)
                                  .BestSize(FromDIP(wxSize(330, 360)))
                                  .MinSize(FromDIP(wxSize(160, 100)))
                                  .CaptionVisible(false)
                                  .CloseButton(false));
  aui_.AddPane(centre_panel, wxAuiPaneInfo().Name("transcript").CenterPane());
  aui_.AddPane(details_pane, wxAuiPaneInfo()
                                 .Name("details")
                                 .Caption("Selection")
                                 .Right()
                                 .BestSize(FromDIP(wxSize(260, 400)))
                                 .MinSize(FromDIP(wxSize(160, 100)))
                                 .CaptionVisible(false)
                                 .CloseButton(false));
  aui_.AddPane(analysis_, wxAuiPaneInfo()
                              .Name("analysis")
                              .Caption("Analysis")
                              .Bottom()
                              .BestSize(FromDIP(wxSize(800, 220)))
                              .Hide());
  wxString perspective;
  if (config_->Read("/Layout/Perspective", &perspective)) aui_.LoadPerspective(perspective, false);
  // A pane may not be hidden for good: the analysis tabs show again when a pane is added.
  for (const char* name : {"sources", "codebook", "details"}) aui_.GetPane(name).Show();
  int width = 0, height = 0;
  if (config_->Read("/Layout/Width", &width) && config_->Read("/Layout/Height", &height) &&
      width > 200 && height > 200)
    SetSize(width, height);
  aui_.Update();

  sources_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& event) {
    const long row = event.GetIndex();
    if (row >= 0 && row < static_cast<long>(visible_sources_.size()))
      show_source_guid(visible_sources_[row]);
  });
  source_filter_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { fill_sources(); });
  codebook_->Bind(wxEVT_TREE_ITEM_ACTIVATED, [this](wxTreeEvent& event) {
    const std::string code = code_of_item(event.GetItem());
    if (!code.empty()) apply_code(code);
  });
  codebook_->Bind(wxEVT_TREE_SEL_CHANGED, [this](wxTreeEvent&) { refresh_details(); });
  codebook_->Bind(wxEVT_TREE_BEGIN_DRAG, &MainFrame::on_tree_drag_begin, this);
  codebook_->Bind(wxEVT_TREE_END_DRAG, &MainFrame::on_tree_drag_end, this);
  codebook_->Bind(wxEVT_TREE_ITEM_MENU, [this](wxTreeEvent& event) {
    codebook_->SelectItem(event.GetItem());
    wxMenu menu;
    menu.Append(kApplyCodeId, "Apply to Selection");
    menu.Append(kEditCodeId, wxString::FromUTF8("Edit Code\u2026"));
    menu.Append(kPinCodeId, wxString::FromUTF8("Pin Code to Key\u2026"));
    menu.Append(kNewCodeId, wxString::FromUTF8("New Code\u2026"));
    PopupMenu(&menu);
  });

  find_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
    if (!transcript_->find_next(find_->GetValue())) wxBell();
  });
  find_->Bind(wxEVT_SEARCHCTRL_CANCEL_BTN, [this](wxCommandEvent&) {
    find_->Hide();
    find_->GetParent()->Layout();
    transcript_->text()->SetFocus();
  });

  wxStyledTextCtrl* text = transcript_->text();
  // The transcript is read-only: its own keys for undo, transposing and cutting lines give way to
  // the menus'.
  for (int key : {'Z', 'Y', 'T', 'L', 'D', 'U'}) {
    text->CmdKeyClear(key, wxSTC_KEYMOD_CTRL);
    text->CmdKeyClear(key, wxSTC_KEYMOD_CTRL | wxSTC_KEYMOD_SHIFT);
  }
  text->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& event) {
    const int key = event.GetKeyCode();
    if (event.GetModifiers() == wxMOD_NONE && key >= '1' && key <= '9') {
      if (auto code = pinned_code(key - '0')) apply_code(*code);
      return;
    }
    // The menu's accelerators do not reach past a focused Scintilla under every GTK setup.
    if (event.GetModifiers() == wxMOD_CONTROL && key == 'Z') return void(undo());
    if ((event.GetModifiers() == (wxMOD_CONTROL | wxMOD_SHIFT) && key == 'Z') ||
        (event.GetModifiers() == wxMOD_CONTROL && key == 'Y'))
      return void(redo());
    if (event.GetModifiers() == wxMOD_NONE && (key == WXK_DELETE || key == WXK_BACK) &&
        !selected_coding_.empty()) {
      remove_selected_coding();
      return;
    }
    event.Skip();
  });
  text->UsePopUp(wxSTC_POPUP_NEVER);
  text->Bind(wxEVT_CONTEXT_MENU, [this](wxContextMenuEvent&) { show_context_menu(); });
  // Read-only, the transcript takes no dropped text: files dropped on it are imported.
  text->SetDropTarget(new FileDrop(this));
  transcript_->set_hover_text([this](int64_t at) { return hover_text(at); });
  transcript_->set_on_coding_clicked([this](const std::string& coding) { select_coding(coding); });

  save_memo_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    set_selected_coding_memo(memo_->GetValue().utf8_string());
  });
  remove_coding_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { remove_selected_coding(); });
  change_code_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    if (!store_ || selected_coding_.empty()) return;
    wxArrayString names;
    std::vector<std::string> guids;
    for (const Code& code : store_->project().codes)
      if (code.codable) {
        names.Add(utf8(store_->project().code_path(code)));
        guids.push_back(code.guid);
      }
    const int chosen =
        wxGetSingleChoiceIndex("Change the coding's code to:", "Change Code", names, this);
    if (chosen >= 0) change_selected_coding(guids[chosen]);
  });
}

// --- Opening and closing

bool MainFrame::open_project(const std::filesystem::path& folder) {
  std::unique_ptr<ProjectStore> store;
  std::unique_ptr<SearchIndex> index;
  try {
    store = ProjectStore::open(folder, OpenMode::Write);
    // A current index opens at once; a missing or outdated one is rebuilt before the window shows.
    index = SearchIndex::open(folder, *store);
  } catch (const Error& error) {
    report_error_(utf8(error.what()));
    return false;
  } catch (const std::exception& error) {  // a bug in the core; still no reason to die
    report_error_(
        wxString::Format("Could not open %s: %s", utf8(folder.string()), utf8(error.what())));
    return false;
  }
  close_project();
  store_ = std::move(store);
  index_ = std::move(index);
  store_->set_listener(index_.get());

  std::vector<std::string> coders;
  for (const Coder& coder : store_->project().coders) coders.push_back(coder.name);
  wxString last;
  const std::string suggestion =
      config_->Read("/Coder/Last", &last) && !last.empty() ? last.utf8_string() : login_name();
  coder_ = choose_coder_ ? choose_coder_(coders, suggestion).value_or(suggestion) : suggestion;
  config_->Write("/Coder/Last", utf8(coder_));
  add_recent(std::filesystem::absolute(folder));
  show_project();
  return true;
}

void MainFrame::close_project() {
  long_work_->cancel_all_and_wait();
  close_panes();  // they hold the store
  import_remaining_ = 0;
  pending_imports_.clear();  // decoded, never journaled: as if the import had not reached them
  snapshot_timer_->Stop();
  if (store_) {
    try {
      store_->snapshot();
    } catch (const std::exception& error) {
      report_error_(utf8(error.what()));  // the journal still holds every edit
    }
    store_->set_listener(nullptr);
  }
  index_.reset();
  store_.reset();
  counts_ = {};
  shown_source_.clear();
  selected_coding_.clear();
  coder_.clear();
  show_empty_state(kNoProject);
}

void MainFrame::on_close(wxCloseEvent& event) {
  close_project();
  config_->Write("/Layout/Perspective", aui_.SavePerspective());
  if (!IsMaximized() && !IsIconized()) {
    config_->Write("/Layout/Width", GetSize().x);
    config_->Write("/Layout/Height", GetSize().y);
  }
  recent_->Save(*config_);
  config_->Flush();
  event.Skip();
}

void MainFrame::add_recent(const std::filesystem::path& folder) {
  recent_->AddFileToHistory(utf8(folder.lexically_normal().string()));
  recent_->Save(*config_);
  config_->Flush();
}

bool MainFrame::new_project(const std::filesystem::path& folder) {
  try {
    ProjectStore::create(folder, folder.filename().string());
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
    return false;
  }
  return open_project(folder);
}

void MainFrame::open_qdpx(const std::filesystem::path& file,
                          std::function<void(bool opened)> done) {
  // The new project folder goes beside the file, named after it: "study.qdpx" -> "study", or
  // "study 2", ... when that exists.
  std::filesystem::path folder = file.parent_path() / file.stem();
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(folder, ec); ++n)
    folder = file.parent_path() / (file.stem().string() + " " + std::to_string(n));
  auto imported = std::make_shared<QdpxImport>();
  // Reading and checking the archive is the long part; it touches nothing but its result.
  run_long_work(
      utf8("Reading " + file.filename().string() + "\u2026"),
      [file, imported](ProgressSink&) { *imported = read_qdpx(file); },
      [this, file, folder, imported, done](bool finished) {
        bool opened = false;
        if (finished) {
          try {
            ProjectStore::create_from(folder, imported->project);
            opened = open_project(folder);
          } catch (const std::exception& error) {
            std::error_code ignored;
            std::filesystem::remove_all(folder, ignored);  // nothing half-made stays behind
            report_error_(utf8(error.what()));
          }
        }
        if (opened && (!imported->report.skipped.empty() || !imported->report.warnings.empty()))
          inform_(utf8("Created " + folder.string() + " from " + file.filename().string() + ":\n" +
                       imported->report.summary()));
        if (done) done(opened);
      });
}

void MainFrame::go_to_turn(int step) {
  const Source* source = store_ ? store_->project().source(shown_source_) : nullptr;
  if (!source || source->utterances.empty()) return;
  const int64_t at = transcript_->caret();
  // The turn the caret is in (or the last one before it), then the next or previous one.
  int current = -1;
  for (size_t i = 0; i < source->utterances.size(); ++i)
    if (source->utterances[i].start <= at) current = static_cast<int>(i);
  const int count = static_cast<int>(source->utterances.size());
  const int target = std::clamp(current < 0 && step > 0 ? 0 : current + step, 0, count - 1);
  const Utterance& turn = source->utterances[target];
  transcript_->select(turn.start, turn.start);
}

const Project* MainFrame::project() const {
  return store_ ? &store_->project() : nullptr;
}

wxString MainFrame::centre_message() const {
  return centre_->GetSelection() == kMessagePage ? centre_message_->GetLabel() : wxString();
}

std::string MainFrame::shown_source() const {
  return shown_source_;
}

void MainFrame::show_empty_state(const wxString& message) {
  SetTitle(kAppName);
  sources_->DeleteAllItems();
  visible_sources_.clear();
  codebook_->DeleteAllItems();
  transcript_->clear();
  centre_message_->SetLabel(message);
  centre_->ChangeSelection(kMessagePage);
  centre_message_->GetParent()->Layout();
  for (int field = 0; field < kStatusFields; ++field) SetStatusText(wxEmptyString, field);
  GetMenuBar()->Enable(wxID_CLOSE, false);
  GetMenuBar()->Enable(kImportId, false);
  refresh_details();
  update_edit_menu();
}

void MainFrame::show_project() {
  const Project& project = store_->project();
  counts_ = count_codings(project);
  SetTitle(utf8(project.name) + wxString::FromUTF8(" \u2014 ") + kAppName);
  GetMenuBar()->Enable(wxID_CLOSE, true);
  GetMenuBar()->Enable(kImportId, true);
  fill_sources();
  fill_codebook();
  update_status();
  update_edit_menu();
  if (project.sources.empty()) {
    centre_message_->SetLabel(kNoSources);
    centre_->ChangeSelection(kMessagePage);
    centre_message_->GetParent()->Layout();
  } else if (!visible_sources_.empty()) {
    // Open on the first source, as a reader would.
    sources_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                           wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    show_source_guid(visible_sources_[0]);
  }
}

void MainFrame::update_status() {
  if (!store_) return;
  SetStatusText(utf8("Coder: " + coder_ + (blind_ ? " (blind)" : "")), kCoderField);
  SetStatusText(utf8(status_summary(store_->project())), kSummaryField);
  SetStatusText("All changes saved", kSavedField);
  SetStatusText(
      import_remaining_ > 0 ? wxString::FromUTF8("Importing\u2026") : wxString("Index ready"),
      kIndexField);
}

void MainFrame::update_edit_menu() {
  wxMenuBar* bar = GetMenuBar();
  const auto undo = store_ ? store_->undo_label() : std::nullopt;
  const auto redo = store_ ? store_->redo_label() : std::nullopt;
  bar->SetLabel(wxID_UNDO, (undo ? "&Undo " + utf8(*undo) : wxString("&Undo")) + "\tCtrl+Z");
  bar->SetLabel(wxID_REDO, (redo ? "&Redo " + utf8(*redo) : wxString("&Redo")) + "\tCtrl+Shift+Z");
  bar->Enable(wxID_UNDO, undo.has_value());
  bar->Enable(wxID_REDO, redo.has_value());
}

void MainFrame::fill_sources() {
  sources_->Freeze();
  sources_->DeleteAllItems();
  visible_sources_.clear();
  if (!store_) {
    sources_->Thaw();
    return;
  }
  const Project& project = store_->project();
  const wxString filter = source_filter_->GetValue().Lower();
  long row = 0;
  for (const Source& source : project.sources) {
    // A source's attributes are its own and those of the participants it belongs to.
    std::map<std::string, std::string> attributes = source.attributes;
    for (const Case& person : project.cases)
      if (std::find(person.sources.begin(), person.sources.end(), source.guid) !=
          person.sources.end())
        for (const auto& [name, value] : person.attributes) attributes.emplace(name, value);
    std::string shown;
    for (const auto& [name, value] : attributes)
      shown += (shown.empty() ? "" : "; ") + name + "=" + value;
    if (!filter.empty() && !utf8(source.name).Lower().Contains(filter) &&
        !utf8(shown).Lower().Contains(filter))
      continue;
    sources_->InsertItem(row, utf8(source.name));
    sources_->SetItem(row, kSourceTurns, wxString::Format("%zu", source.utterances.size()));
    sources_->SetItem(row, kSourceCodings,
                      wxString::Format("%lld", static_cast<long long>(CodebookCounts::get(
                                                   counts_.by_source, source.guid))));
    sources_->SetItem(row, kSourceAttributes, utf8(shown));
    if (source.guid == shown_source_)
      sources_->SetItemState(row, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    visible_sources_.push_back(source.guid);
    ++row;
  }
  sources_->Thaw();
}

void MainFrame::fill_codebook() {
  const Project& project = store_->project();
  const int side = FromDIP(12);
  const std::string keep = selected_code();

  // One square per colour in use; index 0 is grey for codes without one.
  auto* images = new wxImageList(side, side, false);
  images->Add(colour_square(wxColour(0xa0, 0xa0, 0xa0), side));
  std::map<std::string, int> image_of_colour;
  for (const Code& code : project.codes) {
    wxColour colour(utf8(code.color));
    if (code.color.empty() || !colour.IsOk() || image_of_colour.contains(code.color)) continue;
    image_of_colour[code.color] = images->Add(colour_square(colour, side));
  }

  std::map<std::string, int> key_of_code;
  for (int key = 1; key <= 9; ++key)
    if (auto code = pinned_code(key)) key_of_code[*code] = key;

  codebook_->Freeze();
  // Folded folders stay folded across a refresh.
  std::set<std::string> collapsed;
  std::function<void(const wxTreeItemId&)> remember = [&](const wxTreeItemId& parent) {
    wxTreeItemIdValue cookie;
    for (auto item = codebook_->GetFirstChild(parent, cookie); item.IsOk();
         item = codebook_->GetNextChild(parent, cookie)) {
      if (codebook_->ItemHasChildren(item) && !codebook_->IsExpanded(item))
        collapsed.insert(code_of_item(item));
      remember(item);
    }
  };
  if (codebook_->GetRootItem().IsOk()) remember(codebook_->GetRootItem());
  codebook_->DeleteAllItems();
  codebook_->AssignImageList(images);
  const wxTreeItemId root = codebook_->AddRoot("Codebook");
  std::map<std::string, wxTreeItemId> item_of_code;
  const wxColour folder_colour = wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT);
  for (const Code& code : project.codes) {  // parents come before their children
    auto parent = item_of_code.find(code.parent);
    auto image = image_of_colour.find(code.color);
    auto key = key_of_code.find(code.guid);
    const std::string label =
        (key == key_of_code.end() ? std::string() : std::to_string(key->second) + "  ") +
        code_label(code, counts_);
    const wxTreeItemId item = codebook_->AppendItem(
        parent == item_of_code.end() ? root : parent->second, utf8(label),
        image == image_of_colour.end() ? 0 : image->second, -1, new CodeItem(code.guid));
    if (!code.codable) codebook_->SetItemTextColour(item, folder_colour);
    item_of_code[code.guid] = item;
  }
  codebook_->ExpandAll();
  for (const std::string& guid : collapsed)
    if (auto found = item_of_code.find(guid); found != item_of_code.end())
      codebook_->Collapse(found->second);
  if (auto found = item_of_code.find(keep); found != item_of_code.end())
    codebook_->SelectItem(found->second);
  codebook_->Thaw();
}

wxTreeItemId MainFrame::code_item(const std::string& code_guid) const {
  std::function<wxTreeItemId(const wxTreeItemId&)> find = [&](const wxTreeItemId& parent) {
    wxTreeItemIdValue cookie;
    for (auto item = codebook_->GetFirstChild(parent, cookie); item.IsOk();
         item = codebook_->GetNextChild(parent, cookie)) {
      if (code_of_item(item) == code_guid) return item;
      if (auto found = find(item); found.IsOk()) return found;
    }
    return wxTreeItemId();
  };
  return codebook_->GetRootItem().IsOk() ? find(codebook_->GetRootItem()) : wxTreeItemId();
}

std::string MainFrame::code_of_item(const wxTreeItemId& item) const {
  if (!item.IsOk()) return {};
  auto* data = dynamic_cast<CodeItem*>(codebook_->GetItemData(item));
  return data ? data->guid() : std::string();
}

std::string MainFrame::selected_code() const {
  return code_of_item(codebook_->GetSelection());
}

std::optional<std::string> MainFrame::pinned_code(int key) const {
  if (!store_) return std::nullopt;
  return marginalia::pinned_code(store_->project(), key);
}

bool MainFrame::pin_selected_code() {
  if (!store_ || !choose_key_) return false;
  const std::string guid = selected_code();
  const Code* code = store_->project().code(guid);
  if (!code) return false;
  if (!code->codable) {
    report_error_(utf8("\"" + code->name + "\" is a folder: only codes can be pinned to a key."));
    return false;
  }
  const std::optional<int> current = pinned_key(store_->project(), guid);
  const std::optional<int> key = choose_key_(code->name, current);
  if (!key) return false;
  try {
    if (*key == 0) return current && execute(pin_code_command(store_->project(), "", *current));
    return execute(pin_code_command(store_->project(), guid, *key));
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
    return false;
  }
}

MarkOptions MainFrame::mark_options() const {
  MarkOptions options;
  options.column_per_coder = compare_;
  if (blind_ && store_) {
    // Blind: only my codings; before my first coding there is nothing to show.
    const Coder* me = store_->project().coder_named(coder_);
    options.coders.push_back(me ? me->guid : std::string("-"));
  }
  return options;
}

void MainFrame::show_source_guid(const std::string& guid) {
  if (!store_) return;
  const Source* source = store_->project().source(guid);
  if (!source) return;
  shown_source_ = guid;
  selected_coding_.clear();
  transcript_->show(store_->project(), *source, mark_options());
  centre_->ChangeSelection(kTranscriptPage);
  refresh_details();
}

void MainFrame::show_passage(const std::string& source_guid, int64_t start, int64_t end) {
  if (!store_ || !store_->project().source(source_guid)) return;
  if (source_guid != shown_source_) {
    source_filter_->ChangeValue(wxEmptyString);
    fill_sources();
    const auto row = std::find(visible_sources_.begin(), visible_sources_.end(), source_guid);
    if (row != visible_sources_.end()) {
      const long index = row - visible_sources_.begin();
      sources_->SetItemState(index, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
      sources_->EnsureVisible(index);
    }
    show_source_guid(source_guid);
  }
  transcript_->select(start, end);
  transcript_->text()->SetFocus();
}

// --- Editing

std::string MainFrame::coder_guid() {
  return store_->coder_guid(coder_);
}

bool MainFrame::execute(Command command) {
  if (!store_) return false;
  bool changed = false;
  try {
    changed = store_->execute(std::move(command));
  } catch (const std::exception& error) {  // BadInput says what to change; the project is as it was
    report_error_(utf8(error.what()));
    return false;
  }
  if (changed) refresh_after_edit();
  return changed;
}

void MainFrame::refresh_after_edit() {
  for (const auto& [kind, pane] : panes_) pane->refresh();
  counts_ = count_codings(store_->project());
  if (!store_->project().source(shown_source_)) shown_source_.clear();
  if (!selected_coding_.empty() && !store_->project().coding(selected_coding_))
    selected_coding_.clear();
  fill_sources();
  fill_codebook();
  if (const Source* source = store_->project().source(shown_source_)) {
    transcript_->refresh_marks(store_->project(), *source, mark_options());
    transcript_->mark_selected_coding(selected_coding_);
    centre_->ChangeSelection(kTranscriptPage);
  } else if (store_->project().sources.empty()) {
    transcript_->clear();
    centre_message_->SetLabel(kNoSources);
    centre_->ChangeSelection(kMessagePage);
  } else if (!visible_sources_.empty()) {
    sources_->SetItemState(0, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    show_source_guid(visible_sources_[0]);
  }
  update_status();
  update_edit_menu();
  refresh_details();
  snapshot_timer_->StartOnce(kSnapshotDelayMs);
}

void MainFrame::project_changed() {
  if (store_) refresh_after_edit();
}

bool MainFrame::apply_code(const std::string& code_guid) {
  if (!store_ || shown_source_.empty()) return false;
  const Code* code = store_->project().code(code_guid);
  if (!code) return false;
  if (!code->codable) {
    report_error_(utf8("\"" + code->name + "\" is a folder: choose a code inside it"));
    return false;
  }
  if (snap_to_words_) transcript_->snap_selection_to_words();
  const auto [start, end] = transcript_->selection();
  if (start >= end) {
    SetStatusText("Select text first, then apply a code", kSavedField);
    return false;
  }
  Coding coding;
  coding.source = shown_source_;
  coding.start = start;
  coding.end = end;
  coding.code = code_guid;
  coding.coder = coder_guid();
  return execute(Command{AddCodings{{coding}}, "Code \"" + code->name + "\""});
}

bool MainFrame::code_whole_turn(const std::string& code_guid) {
  if (!store_ || shown_source_.empty()) return false;
  const Source* source = store_->project().source(shown_source_);
  const int64_t at = transcript_->caret();
  for (size_t i = 0; i < source->utterances.size(); ++i) {
    const Utterance& turn = source->utterances[i];
    // The caret on the speaker label counts as in the turn.
    const bool last = i + 1 == source->utterances.size();
    if (at <= turn.end || last) {
      if (at < turn.start && i > 0 && at <= source->utterances[i - 1].end) continue;
      try {
        return execute(
            code_utterance(store_->project(), shown_source_, i, code_guid, coder_guid()));
      } catch (const std::exception& error) {
        report_error_(utf8(error.what()));
        return false;
      }
    }
  }
  return false;
}

bool MainFrame::code_in_vivo() {
  if (!store_ || shown_source_.empty()) return false;
  if (snap_to_words_) transcript_->snap_selection_to_words();
  const auto [start, end] = transcript_->selection();
  if (start >= end) return false;
  try {
    std::string parent;
    if (const Code* chosen = store_->project().code(selected_code()); chosen && !chosen->codable)
      parent = chosen->guid;  // a folder chosen in the tree takes the new code
    Created created = marginalia::code_in_vivo(store_->project(), shown_source_, start, end,
                                               coder_guid(), parent);
    return execute(std::move(created.command));
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
    return false;
  }
}

void MainFrame::select_coding(const std::string& coding_guid) {
  selected_coding_ = store_ && store_->project().coding(coding_guid) ? coding_guid : std::string();
  transcript_->mark_selected_coding(selected_coding_);
  if (const Coding* coding = store_ ? store_->project().coding(selected_coding_) : nullptr) {
    if (wxTreeItemId item = code_item(coding->code); item.IsOk()) codebook_->SelectItem(item);
  }
  refresh_details();
}

bool MainFrame::remove_selected_coding() {
  if (!store_ || selected_coding_.empty()) return false;
  const Coding coding = *store_->project().coding(selected_coding_);
  const Code* code = store_->project().code(coding.code);
  selected_coding_.clear();
  return execute(Command{RemoveCodings{{coding}},
                         "Remove coding \"" + (code ? code->name : std::string()) + "\""});
}

bool MainFrame::change_selected_coding(const std::string& code_guid) {
  if (!store_ || selected_coding_.empty()) return false;
  const Code* code = store_->project().code(code_guid);
  if (!code) return false;
  Coding coding = *store_->project().coding(selected_coding_);
  coding.code = code_guid;
  return execute(Command{UpdateCodings{{coding}}, "Change coding to \"" + code->name + "\""});
}

bool MainFrame::set_selected_coding_memo(const std::string& memo) {
  if (!store_ || selected_coding_.empty()) return false;
  try {
    return execute(set_memo(store_->project(), MemoTarget::Coding, selected_coding_, memo));
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
    return false;
  }
}

bool MainFrame::undo() {
  if (!store_) return false;
  bool done = false;
  try {
    done = store_->undo();
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
  }
  if (done) refresh_after_edit();
  return done;
}

bool MainFrame::redo() {
  if (!store_) return false;
  bool done = false;
  try {
    done = store_->redo();
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
  }
  if (done) refresh_after_edit();
  return done;
}

void MainFrame::set_blind_mode(bool on) {
  blind_ = on;
  GetMenuBar()->Check(kBlindId, on);
  if (store_) {
    if (const Source* source = store_->project().source(shown_source_))
      transcript_->refresh_marks(store_->project(), *source, mark_options());
    update_status();
  }
}

void MainFrame::set_compare_mode(bool on) {
  compare_ = on;
  GetMenuBar()->Check(kCompareId, on);
  if (store_)
    if (const Source* source = store_->project().source(shown_source_))
      transcript_->refresh_marks(store_->project(), *source, mark_options());
}

bool MainFrame::drop_code(const std::string& code_guid, const wxTreeItemId& target, bool inside) {
  if (!store_) return false;
  const std::string target_code = code_of_item(target);
  const Project& project = store_->project();
  const Code* over = project.code(target_code);
  if (!over || target_code == code_guid) return false;
  try {
    if (inside) return execute(move_code(project, code_guid, target_code));
    // Before `over`: its position among its siblings, not counting the moved code.
    size_t position = 0;
    for (const Code& code : project.codes) {
      if (code.guid == over->guid) break;
      if (code.parent == over->parent && code.guid != code_guid) ++position;
    }
    return execute(move_code(project, code_guid, over->parent, position));
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
    return false;
  }
}

void MainFrame::on_tree_drag_begin(wxTreeEvent& event) {
  dragged_code_ = code_of_item(event.GetItem());
  if (!dragged_code_.empty()) event.Allow();
}

void MainFrame::on_tree_drag_end(wxTreeEvent& event) {
  const std::string dragged = std::move(dragged_code_);
  dragged_code_.clear();
  int flags = 0;
  const wxTreeItemId target = codebook_->HitTest(event.GetPoint(), flags);
  if (dragged.empty() || !target.IsOk()) return;
  // Dropped on the upper half of a code: before it; on the lower half: inside it.
  drop_code(dragged, target, (flags & wxTREE_HITTEST_ONITEMUPPERPART) == 0);
}

bool MainFrame::edit_code(const std::string& code_guid, const Code& changed,
                          const CodeDescription& parts) {
  if (!store_) return false;
  const Project& project = store_->project();
  const Code* code = project.code(code_guid);
  if (!code) return false;
  try {
    // The core's operations check the new name (unique among siblings) and colour; the edit is
    // then one UpdateCodes, so that undo restores all three parts at once.
    Code updated = *code;
    if (changed.name != code->name) {
      rename_code(project, code_guid, changed.name);
      updated.name = changed.name;
    }
    if (changed.color != code->color) {
      recolour_code(project, code_guid, changed.color);
      updated.color = changed.color;
    }
    updated.description = join_description(parts);
    if (parts == split_description(code->description)) updated.description = code->description;
    if (updated == *code) return false;
    return execute(Command{UpdateCodes{{updated}}, "Edit code \"" + code->name + "\""});
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
    return false;
  }
}

void MainFrame::edit_code_dialog(const std::string& code_guid) {
  const Code* code = store_ ? store_->project().code(code_guid) : nullptr;
  if (!code) return;
  CodeEditor editor(this, *code);
  if (editor.ShowModal() == wxID_OK) edit_code(code_guid, editor.code(), editor.description());
}

void MainFrame::new_code_dialog() {
  if (!store_) return;
  wxString name = wxGetTextFromUser("Name of the new code:", "New Code", wxEmptyString, this);
  if (name.Trim().empty()) return;
  Code code;
  code.name = name.Trim().Trim(false).utf8_string();
  // Under the folder chosen in the tree, else beside the chosen code.
  if (const Code* chosen = store_->project().code(selected_code()))
    code.parent = chosen->codable ? chosen->parent : chosen->guid;
  try {
    Created created = new_code(store_->project(), code);
    if (execute(std::move(created.command)))
      if (wxTreeItemId item = code_item(created.guid); item.IsOk()) codebook_->SelectItem(item);
  } catch (const std::exception& error) {
    report_error_(utf8(error.what()));
  }
}

void MainFrame::show_context_menu() {
  if (!store_ || shown_source_.empty()) return;
  wxMenu menu;
  auto* apply = new wxMenu;
  std::vector<std::string> codes;
  for (const Code& code : store_->project().codes) {
    if (!code.codable) continue;
    apply->Append(kCodeMenuFirstId + static_cast<int>(codes.size()),
                  utf8(store_->project().code_path(code)));
    codes.push_back(code.guid);
  }
  menu.AppendSubMenu(apply, "Apply Code");
  menu.Append(kInVivoId, "In-Vivo Code\tCtrl+Shift+V");
  menu.Append(kCodeTurnId, "Code Whole Turn with Selected Code\tCtrl+T");
  if (!selected_coding_.empty()) menu.Append(kRemoveCodingId, "Remove Coding (Delete)");
  const int chosen = GetPopupMenuSelectionFromUser(menu);
  if (chosen >= kCodeMenuFirstId && chosen < kCodeMenuFirstId + static_cast<int>(codes.size()))
    apply_code(codes[chosen - kCodeMenuFirstId]);
  else if (chosen != wxID_NONE)
    ProcessCommand(chosen);
}

wxString MainFrame::hover_text(int64_t at) const {
  if (!store_) return {};
  const Project& project = store_->project();
  const Source* source = project.source(shown_source_);
  if (!source) return {};
  std::string text;
  for (const Coding* coding : codings_at(project, *source, at, mark_options())) {
    const Code* code = project.code(coding->code);
    const Coder* coder = project.coder(coding->coder);
    if (!text.empty()) text += "\n";
    text += (code ? code->name : "?") + " \u2014 " + (coder ? coder->name : "?");
    if (!coding->memo.empty()) text += ": " + coding->memo;
  }
  return utf8(text);
}

void MainFrame::refresh_details() {
  const Coding* coding =
      store_ && !selected_coding_.empty() ? store_->project().coding(selected_coding_) : nullptr;
  memo_->Enable(coding != nullptr);
  save_memo_->Enable(coding != nullptr);
  remove_coding_->Enable(coding != nullptr);
  change_code_->Enable(coding != nullptr);
  GetMenuBar()->Enable(kRemoveCodingId, coding != nullptr);
  if (coding) {
    const Project& project = store_->project();
    const Code* code = project.code(coding->code);
    const Coder* coder = project.coder(coding->coder);
    const Source* source = project.source(coding->source);
    std::string quote = source ? substring_cp(source->text, coding->start, coding->end) : "";
    if (count_code_points(quote) > 160) quote = substring_cp(quote, 0, 160) + "\u2026";
    details_->SetLabel(utf8((code ? project.code_path(*code) : std::string("?")) + "\nby " +
                            (coder ? coder->name : std::string("?")) + ", characters " +
                            std::to_string(coding->start) + "\u2013" + std::to_string(coding->end) +
                            "\n\u201c" + quote + "\u201d"));
    details_->Wrap(details_->GetParent()->GetClientSize().x - FromDIP(12));
    memo_->ChangeValue(utf8(coding->memo));
  } else {
    details_->SetLabel(store_ ? "Select text to code it, or click a coding or stripe."
                              : wxString());
    details_->Wrap(details_->GetParent()->GetClientSize().x - FromDIP(12));
    memo_->ChangeValue(wxEmptyString);
  }
  // The codebook entry of the chosen code.
  const Code* code = store_ ? store_->project().code(selected_code()) : nullptr;
  if (code) {
    const CodeDescription parts = split_description(code->description);
    std::string entry = store_->project().code_path(*code) + "\n";
    const auto add = [&entry](const char* heading, const std::string& text) {
      if (!text.empty()) entry += std::string("\n") + heading + " " + text + "\n";
    };
    add("", parts.other);
    add("Definition:", parts.definition);
    add("Use when:", parts.use_when);
    add("Do not use when:", parts.not_when);
    add("Example:", parts.example);
    code_entry_->ChangeValue(utf8(entry));
  } else {
    code_entry_->ChangeValue(wxEmptyString);
  }
  details_->GetParent()->Layout();
}

// --- Analysis panes

wxWindow* MainFrame::pane_parent() const {
  return analysis_;
}

AnalysisPane* MainFrame::open_pane(size_t kind) {
  if (!store_ || kind >= std::size(kPanes)) return nullptr;
  for (const auto& [k, pane] : panes_)
    if (k == kind) {
      analysis_->SetSelection(analysis_->GetPageIndex(pane));
      aui_.GetPane("analysis").Show();
      aui_.Update();
      return pane;
    }
  AnalysisPane* pane = kPanes[kind].make(pane_parent(), *this);
  pane->set_error_reporter(report_error_);
  panes_.emplace_back(kind, pane);
  add_pane(pane, utf8(kPanes[kind].tab));
  return pane;
}

void MainFrame::close_panes() {
  for (const auto& [kind, pane] : panes_) analysis_->DeletePage(analysis_->GetPageIndex(pane));
  panes_.clear();
}

void MainFrame::add_pane(wxWindow* pane, const wxString& label) {
  if (pane->GetParent() != analysis_) pane->Reparent(analysis_);
  analysis_->AddPage(pane, label, true);
  aui_.GetPane("analysis").Show();
  aui_.Update();
}

// --- Long work and imports

void MainFrame::run_long_work(const wxString& title, std::function<void(ProgressSink&)> work,
                              std::function<void(bool finished)> done) {
  long_work_->start(title, std::move(work), std::move(done));
}

bool MainFrame::importing() const {
  return long_work_->busy();
}

void MainFrame::commit_imports() {
  if (pending_imports_.empty() || !store_) return;
  std::vector<Source> sources = std::move(pending_imports_);
  pending_imports_.clear();
  if (sources.size() == 1) {
    const std::string label = "Import " + sources[0].origin_file;
    execute(Command{AddSource{std::move(sources[0])}, label});
    return;
  }
  const std::string label = "Import " + std::to_string(sources.size()) + " transcripts";
  Batch batch;
  for (Source& source : sources) batch.actions.push_back(AddSource{std::move(source)});
  execute(Command{std::move(batch), label});
}

void MainFrame::choose_and_import() {
  if (!store_) return;
  const auto files = choose_files_();
  if (!files.empty()) import_files(files);
}

void MainFrame::import_files(const std::vector<std::filesystem::path>& files,
                             std::function<void(bool finished)> done) {
  if (!store_ || files.empty()) return;
  ImportChoices choices;
  if (confirm_import_ && !confirm_import_(files, choices)) return;
  import_remaining_ += static_cast<int>(files.size());
  update_status();
  LongWorkRunner* runner = long_work_.get();
  // The worker only reads and decodes files; each decoded transcript is handed to the main thread,
  // which journals it. Closing the window stops the worker and drops what was not handed over.
  run_long_work(
      wxString::FromUTF8("Importing transcripts\u2026"),
      [this, runner, files, choices](ProgressSink& progress) {
        int64_t n = 0;
        for (const auto& file : files) {
          if (progress.cancelled()) throw Cancelled{};
          progress.progress(n, static_cast<int64_t>(files.size()), file.filename().string());
          auto forced = choices.encodings.find(file.string());
          std::optional<std::string> encoding;
          if (forced != choices.encodings.end()) encoding = forced->second;
          try {
            auto imported = std::make_shared<TranscriptImport>(
                import_transcript(file, choices.roles, encoding));
            runner->post([this, imported] {
              --import_remaining_;
              // Transcripts decoded while the window was busy go in as one step: one journal
              // entry and one index update instead of one per file.
              pending_imports_.push_back(imported->source);
              if (pending_imports_.size() == 1) CallAfter([this] { commit_imports(); });
            });
          } catch (const Error& error) {
            const std::string message = error.what();
            runner->post([this, message] {
              --import_remaining_;
              report_error_(utf8(message));
            });
          }
          ++n;
        }
        progress.progress(n, n, "done");
      },
      [this, done](bool finished) {
        commit_imports();
        import_remaining_ = 0;
        update_status();
        if (done) done(finished);
      });
}

}  // namespace marginalia::gui
