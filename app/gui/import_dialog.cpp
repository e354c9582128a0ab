#include "import_dialog.h"
#include "wx_text.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <set>

#include "marginalia/error.h"
#include "marginalia/text.h"

namespace marginalia::gui {
namespace {

const char* const kEncodings[] = {"UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252", "ISO-8859-1"};
const Role kRoles[] = {Role::Interviewer, Role::Therapist, Role::Client,
                       Role::Participant, Role::Other,     Role::Unknown};

}  // namespace

ImportDialog::ImportDialog(wxWindow* parent, std::vector<std::filesystem::path> files)
    : wxDialog(parent, wxID_ANY, wxString::FromUTF8("Import Transcripts"), wxDefaultPosition,
               wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      files_paths_(std::move(files)) {
  files_ = new wxListBox(this, wxID_ANY);
  for (const auto& file : files_paths_) files_->Append(utf8(file.filename().string()));
  detected_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  encoding_ = new wxChoice(this, wxID_ANY);
  encoding_->Append("Detected");
  for (const char* name : kEncodings) encoding_->Append(name);
  speakers_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(260, 160)),
                             wxLC_REPORT | wxLC_SINGLE_SEL);
  speakers_->AppendColumn("Speaker", wxLIST_FORMAT_LEFT, FromDIP(120));
  speakers_->AppendColumn("Turns", wxLIST_FORMAT_RIGHT, FromDIP(50));
  speakers_->AppendColumn("Role", wxLIST_FORMAT_LEFT, FromDIP(90));
  preview_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition,
                            FromDIP(wxSize(420, 260)), wxTE_MULTILINE | wxTE_READONLY);

  auto* left = new wxBoxSizer(wxVERTICAL);
  left->Add(new wxStaticText(this, wxID_ANY, "Files"));
  left->Add(files_, wxSizerFlags(1).Expand());
  auto* middle = new wxBoxSizer(wxVERTICAL);
  middle->Add(detected_, wxSizerFlags().Expand());
  auto* encoding_row = new wxBoxSizer(wxHORIZONTAL);
  encoding_row->Add(new wxStaticText(this, wxID_ANY, "Encoding:"), wxSizerFlags().Centre());
  encoding_row->Add(encoding_, wxSizerFlags().Border(wxLEFT));
  middle->Add(encoding_row, wxSizerFlags().Border(wxTOP | wxBOTTOM));
  middle->Add(new wxStaticText(this, wxID_ANY, "Speakers (right-click to set a role)"));
  middle->Add(speakers_, wxSizerFlags(1).Expand());
  auto* right = new wxBoxSizer(wxVERTICAL);
  right->Add(new wxStaticText(this, wxID_ANY, "Preview"));
  right->Add(preview_, wxSizerFlags(1).Expand());
  auto* columns = new wxBoxSizer(wxHORIZONTAL);
  columns->Add(left, wxSizerFlags(1).Expand().Border());
  columns->Add(middle, wxSizerFlags(1).Expand().Border());
  columns->Add(right, wxSizerFlags(2).Expand().Border());
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(columns, wxSizerFlags(1).Expand());
  top->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL), wxSizerFlags().Expand().Border());
  SetSizerAndFit(top);
  if (auto* ok = FindWindow(wxID_OK)) ok->SetLabel("Import");

  files_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& event) { show_file(event.GetSelection()); });
  encoding_->Bind(wxEVT_CHOICE, [this](wxCommandEvent& event) {
    if (shown_ < 0) return;
    const std::string file = files_paths_[shown_].string();
    if (event.GetSelection() <= 0)
      encodings_.erase(file);
    else
      encodings_[file] = encoding_->GetString(event.GetSelection()).utf8_string();
    show_file(shown_);
  });
  speakers_->Bind(wxEVT_LIST_ITEM_RIGHT_CLICK, &ImportDialog::on_speaker_menu, this);
  speakers_->Bind(wxEVT_LIST_ITEM_ACTIVATED, &ImportDialog::on_speaker_menu, this);
  if (!files_paths_.empty()) {
    files_->SetSelection(0);
    show_file(0);
  }
}

void ImportDialog::show_file(int index) {
  if (index < 0 || index >= static_cast<int>(files_paths_.size())) return;
  shown_ = index;
  const auto& file = files_paths_[index];
  speakers_->DeleteAllItems();
  auto forced = encodings_.find(file.string());
  try {
    const TranscriptImport imported = import_transcript(
        file, roles_,
        forced == encodings_.end() ? std::nullopt : std::optional<std::string>(forced->second));
    detected_->SetLabel(utf8("Encoding: " + imported.source.encoding +
                             " \u00b7 layout: " + imported.turns.layout + " \u00b7 " +
                             std::to_string(imported.turns.utterances.size()) + " turns"));
    std::map<std::string, std::pair<int, Role>> speakers;  // in first-seen order below
    std::vector<std::string> order;
    for (const Utterance& turn : imported.turns.utterances) {
      if (turn.speaker.empty()) continue;
      auto [it, added] = speakers.try_emplace(turn.speaker, 0, turn.role);
      if (added) order.push_back(turn.speaker);
      ++it->second.first;
    }
    long row = 0;
    for (const std::string& speaker : order) {
      speakers_->InsertItem(row, utf8(speaker));
      speakers_->SetItem(row, 1, wxString::Format("%d", speakers[speaker].first));
      speakers_->SetItem(row, 2, utf8(std::string(role_name(speakers[speaker].second))));
      ++row;
    }
    // A preview, not the whole file: the first few thousand characters.
    preview_->ChangeValue(utf8(substring_cp(imported.source.text, 0, 4000)));
  } catch (const std::exception& error) {
    detected_->SetLabel(utf8(error.what()));
    preview_->Clear();
  }
  encoding_->SetSelection(0);
  if (forced != encodings_.end()) encoding_->SetStringSelection(utf8(forced->second));
  Layout();
}

void ImportDialog::set_role(const std::string& speaker, Role role) {
  roles_.set(speaker, role);
  changed_roles_[speaker] = role;
  show_file(shown_);
}

void ImportDialog::on_speaker_menu(wxListEvent& event) {
  const std::string speaker = speakers_->GetItemText(event.GetIndex()).utf8_string();
  wxMenu menu;
  for (Role role : kRoles)
    menu.Append(wxID_HIGHEST + 1 + static_cast<int>(role), utf8(std::string(role_name(role))));
  const int chosen = GetPopupMenuSelectionFromUser(menu);
  if (chosen == wxID_NONE) return;
  set_role(speaker, static_cast<Role>(chosen - wxID_HIGHEST - 1));
}

}  // namespace marginalia::gui
