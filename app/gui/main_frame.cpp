#include "main_frame.h"

#include <wx/aboutdlg.h>
#include <wx/dirdlg.h>
#include <wx/imaglist.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/treectrl.h>

#include <map>

#include "marginalia/error.h"

namespace marginalia::gui {
namespace {

enum SourceColumn { kSourceName, kSourceTurns, kSourceCodings };
enum CentrePage { kMessagePage, kTranscriptPage };

const wxString kAppName = "Marginalia";
// Non-ASCII text goes through FromUTF8: a narrow literal is decoded in the C locale otherwise.
const wxString kNoProject =
    wxString::FromUTF8("No project open: File \u25b8 Open\u2026 a project folder");

wxString utf8(const std::string& text) {
  return wxString::FromUTF8(text.data(), text.size());
}

// Which code a tree item stands for, for later issues (editing, applying codes).
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

// A titled pane: "Sources" above its list, "Codebook" above its tree.
wxWindow* titled(wxWindow* parent, const wxString& title,
                 const std::function<wxWindow*(wxWindow*)>& make_body) {
  auto* panel = new wxPanel(parent);
  auto* heading = new wxStaticText(panel, wxID_ANY, title);
  heading->SetFont(heading->GetFont().Bold());
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  sizer->Add(heading, wxSizerFlags().Border(wxLEFT | wxTOP | wxRIGHT, panel->FromDIP(6)));
  sizer->Add(make_body(panel), wxSizerFlags(1).Expand().Border(wxALL, panel->FromDIP(4)));
  panel->SetSizer(sizer);
  return panel;
}

}  // namespace

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

  // Sized first, so that the splitters start from the real size and keep their sash positions.
  SetSize(FromDIP(wxSize(1100, 720)));
  SetMinSize(FromDIP(wxSize(600, 400)));
  build_menus();
  CreateStatusBar();
  build_layout();
  show_empty_state(kNoProject);
}

MainFrame::~MainFrame() = default;

void MainFrame::build_menus() {
  auto* file = new wxMenu;
  file->Append(wxID_OPEN, wxString::FromUTF8("&Open\u2026\tCtrl+O"), "Open a project folder");
  file->Append(wxID_CLOSE, "&Close\tCtrl+W", "Close the project");
  file->AppendSeparator();
  file->Append(wxID_EXIT, "&Quit\tCtrl+Q");
  auto* help = new wxMenu;
  help->Append(wxID_ABOUT, "&About");
  auto* bar = new wxMenuBar;
  bar->Append(file, "&File");
  bar->Append(help, "&Help");
  SetMenuBar(bar);

  Bind(wxEVT_MENU, &MainFrame::on_open, this, wxID_OPEN);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { close_project(); }, wxID_CLOSE);
  Bind(
      wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
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
  auto* main_split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                          wxSP_LIVE_UPDATE | wxSP_3DSASH);
  auto* left_split = new wxSplitterWindow(main_split, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                          wxSP_LIVE_UPDATE | wxSP_3DSASH);

  wxWindow* sources_pane = titled(left_split, "Sources", [this](wxWindow* parent) {
    sources_ = new wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                              wxLC_REPORT | wxLC_SINGLE_SEL);
    sources_->AppendColumn("Name", wxLIST_FORMAT_LEFT, FromDIP(170));
    sources_->AppendColumn("Turns", wxLIST_FORMAT_RIGHT, FromDIP(55));
    sources_->AppendColumn("Codings", wxLIST_FORMAT_RIGHT, FromDIP(65));
    return sources_;
  });
  wxWindow* codebook_pane = titled(left_split, "Codebook", [this](wxWindow* parent) {
    codebook_ = new wxTreeCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                               wxTR_DEFAULT_STYLE | wxTR_HIDE_ROOT | wxTR_SINGLE);
    return codebook_;
  });

  centre_ = new wxSimplebook(main_split);
  auto* message_page = new wxPanel(centre_);
  centre_message_ = new wxStaticText(message_page, wxID_ANY, wxEmptyString, wxDefaultPosition,
                                     wxDefaultSize, wxALIGN_CENTRE_HORIZONTAL);
  centre_message_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
  auto* message_sizer = new wxBoxSizer(wxVERTICAL);
  message_sizer->AddStretchSpacer();
  message_sizer->Add(centre_message_, wxSizerFlags().Center().Border(wxALL, FromDIP(24)));
  message_sizer->AddStretchSpacer();
  message_page->SetSizer(message_sizer);
  transcript_ = new wxTextCtrl(centre_, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                               wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2 | wxTE_BESTWRAP);
  centre_->AddPage(message_page, "Message");
  centre_->AddPage(transcript_, "Transcript");

  left_split->SetMinimumPaneSize(FromDIP(80));
  left_split->SetSashGravity(0.5);
  left_split->SplitHorizontally(sources_pane, codebook_pane, FromDIP(260));
  main_split->SetMinimumPaneSize(FromDIP(160));
  main_split->SetSashGravity(0.0);
  main_split->SplitVertically(left_split, centre_, FromDIP(330));

  auto* sizer = new wxBoxSizer(wxVERTICAL);
  sizer->Add(main_split, wxSizerFlags(1).Expand());
  SetSizer(sizer);
  Layout();
  left_split->SetSashPosition(FromDIP(260));

  sources_->Bind(wxEVT_LIST_ITEM_SELECTED, &MainFrame::on_source_selected, this);
}

bool MainFrame::open_project(const std::filesystem::path& folder) {
  std::unique_ptr<ProjectStore> store;
  try {
    store = ProjectStore::open(folder, OpenMode::ReadOnly);
  } catch (const Error& error) {
    report_error_(utf8(error.what()));
    return false;
  } catch (const std::exception& error) {  // a bug in the core; still no reason to die
    report_error_(
        wxString::Format("Could not open %s: %s", utf8(folder.string()), utf8(error.what())));
    return false;
  }
  store_ = std::move(store);
  show_project();
  return true;
}

void MainFrame::close_project() {
  store_.reset();
  counts_ = {};
  show_empty_state(kNoProject);
}

const Project* MainFrame::project() const {
  return store_ ? &store_->project() : nullptr;
}

wxString MainFrame::centre_message() const {
  return centre_->GetSelection() == kMessagePage ? centre_message_->GetLabel() : wxString();
}

void MainFrame::show_empty_state(const wxString& message) {
  SetTitle(kAppName);
  sources_->DeleteAllItems();
  codebook_->DeleteAllItems();
  transcript_->Clear();
  centre_message_->SetLabel(message);
  centre_->ChangeSelection(kMessagePage);
  centre_message_->GetParent()->Layout();
  SetStatusText(wxEmptyString);
  GetMenuBar()->Enable(wxID_CLOSE, false);
}

void MainFrame::show_project() {
  const Project& project = store_->project();
  counts_ = count_codings(project);
  SetTitle(utf8(project.name) + wxString::FromUTF8(" \u2014 ") + kAppName);
  SetStatusText(utf8(status_summary(project)));
  GetMenuBar()->Enable(wxID_CLOSE, true);
  transcript_->Clear();
  fill_sources();
  fill_codebook();

  if (project.sources.empty()) {
    centre_message_->SetLabel(utf8("No transcripts yet: import them with marginalia-cli import " +
                                   store_->folder().string() + " FILE\u2026"));
    centre_->ChangeSelection(kMessagePage);
    centre_message_->GetParent()->Layout();
  } else {
    // Open on the first source, as a reader would.
    sources_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                           wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    show_source(0);
  }
}

void MainFrame::fill_sources() {
  const Project& project = store_->project();
  sources_->Freeze();
  sources_->DeleteAllItems();
  long row = 0;
  for (const Source& source : project.sources) {
    sources_->InsertItem(row, utf8(source.name));
    sources_->SetItem(row, kSourceTurns, wxString::Format("%zu", source.utterances.size()));
    sources_->SetItem(row, kSourceCodings,
                      wxString::Format("%lld", static_cast<long long>(CodebookCounts::get(
                                                   counts_.by_source, source.guid))));
    sources_->SetItemData(row, row);  // the index into project.sources
    ++row;
  }
  sources_->Thaw();
}

void MainFrame::fill_codebook() {
  const Project& project = store_->project();
  const int side = FromDIP(12);

  // One square per colour in use; index 0 is grey for codes without one.
  auto* images = new wxImageList(side, side, false);
  images->Add(colour_square(wxColour(0xa0, 0xa0, 0xa0), side));
  std::map<std::string, int> image_of_colour;
  for (const Code& code : project.codes) {
    wxColour colour(utf8(code.color));
    if (code.color.empty() || !colour.IsOk() || image_of_colour.contains(code.color)) continue;
    image_of_colour[code.color] = images->Add(colour_square(colour, side));
  }

  codebook_->Freeze();
  codebook_->DeleteAllItems();
  codebook_->AssignImageList(images);
  const wxTreeItemId root = codebook_->AddRoot("Codebook");
  std::map<std::string, wxTreeItemId> item_of_code;
  const wxColour folder_colour = wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT);
  for (const Code& code : project.codes) {  // parents come before their children
    auto parent = item_of_code.find(code.parent);
    auto image = image_of_colour.find(code.color);
    const wxTreeItemId item = codebook_->AppendItem(
        parent == item_of_code.end() ? root : parent->second, utf8(code_label(code, counts_)),
        image == image_of_colour.end() ? 0 : image->second, -1, new CodeItem(code.guid));
    if (!code.codable) codebook_->SetItemTextColour(item, folder_colour);
    item_of_code[code.guid] = item;
  }
  codebook_->ExpandAll();
  codebook_->Thaw();
}

void MainFrame::show_source(long row) {
  const Project* current = project();
  if (!current || row < 0) return;
  const auto index = static_cast<size_t>(sources_->GetItemData(row));
  if (index >= current->sources.size()) return;
  transcript_->ChangeValue(utf8(current->sources[index].text));
  transcript_->ShowPosition(0);
  centre_->ChangeSelection(kTranscriptPage);
}

void MainFrame::on_open(wxCommandEvent&) {
  if (auto folder = choose_folder_()) open_project(*folder);
}

void MainFrame::on_source_selected(wxListEvent& event) {
  show_source(event.GetIndex());
}

}  // namespace marginalia::gui
