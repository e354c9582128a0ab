#include "words_pane.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>

#include <algorithm>

namespace marginalia::gui {

namespace {

const Role kRoles[] = {Role::Interviewer, Role::Therapist, Role::Client, Role::Participant,
                       Role::Other};

}  // namespace

WordsPane::WordsPane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  role_ = new wxChoice(this, wxID_ANY);
  role_->Append("every speaker");
  for (Role role : kRoles) role_->Append(utf8(role_name(role)));
  role_->SetSelection(0);
  code_ = new wxChoice(this, wxID_ANY);
  source_ = new wxChoice(this, wxID_ANY);
  top_ = new wxSpinCtrl(this, wxID_ANY, "50", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 0,
                        100000, 50);
  top_->SetToolTip("How many words to list (0: all)");
  export_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export\u2026"));
  bar->Add(labelled(this, "Said by:", role_), wxSizerFlags().CenterVertical());
  bar->Add(labelled(this, "Inside:", code_),
           wxSizerFlags().CenterVertical().Border(wxLEFT, 3 * border));
  bar->Add(labelled(this, "In:", source_),
           wxSizerFlags().CenterVertical().Border(wxLEFT, 3 * border));
  bar->Add(labelled(this, "Top:", top_),
           wxSizerFlags().CenterVertical().Border(wxLEFT, 3 * border));
  bar->AddStretchSpacer();
  bar->Add(export_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));
  message_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  sizer->Add(message_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, border));
  list_ = new TableList(this);
  sizer->Add(list_, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  for (wxChoice* choice : {role_, code_, source_})
    choice->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { refresh(); });
  top_->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { refresh(); });
  export_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { save_table(list_->table(), "words"); });
  refresh();
}

void WordsPane::fill_filters() {
  codes_.fill(code_, project(), "any text");
  const std::string previous =
      source_->GetSelection() > 0 ? sources_[static_cast<size_t>(source_->GetSelection())] : "";
  source_->Clear();
  sources_.assign(1, "");
  source_->Append("every source");
  for (const Source& source : project().sources) {
    source_->Append(utf8(source.name));
    sources_.push_back(source.guid);
  }
  const auto it = std::find(sources_.begin(), sources_.end(), previous);
  source_->SetSelection(it == sources_.end() ? 0 : static_cast<int>(it - sources_.begin()));
}

WordFilter WordsPane::filter() const {
  WordFilter filter;
  if (const int role = role_->GetSelection(); role > 0) filter.role = kRoles[role - 1];
  if (std::string code = codes_.selected(code_); !code.empty()) filter.code = code;
  if (const int source = source_->GetSelection(); source > 0)
    filter.source = sources_[static_cast<size_t>(source)];
  return filter;
}

void WordsPane::refresh() {
  fill_filters();
  guarded([this] {
    frequencies_ = word_frequencies(project(), filter(), static_cast<size_t>(top_->GetValue()));
    list_->show(word_frequency_table(frequencies_));
    message_->SetLabel(wxString::Format(
        "%zu words counted (speaker labels, numbers and [notes] left out); %zu distinct without "
        "stopwords.",
        frequencies_.total_words, frequencies_.distinct));
  });
}

}  // namespace marginalia::gui
