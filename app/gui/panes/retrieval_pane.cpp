#include "retrieval_pane.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/clipbrd.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/weakref.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "marginalia/project_store.h"

namespace fs = std::filesystem;

namespace marginalia::gui {

namespace {

const Role kRoles[] = {Role::Interviewer, Role::Therapist, Role::Client, Role::Participant,
                       Role::Other};

}  // namespace

RetrievalPane::RetrievalPane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  code_ = new wxChoice(this, wxID_ANY);
  combination_ = new wxChoice(this, wxID_ANY);
  combination_->Append("alone");
  combination_->Append("AND (overlapping)");
  combination_->Append("but NOT");
  combination_->SetSelection(0);
  other_ = new wxChoice(this, wxID_ANY);
  other_->Disable();
  subcodes_ = new wxCheckBox(this, wxID_ANY, "with subcodes");
  role_ = new wxChoice(this, wxID_ANY);
  role_->Append("any speaker");
  for (Role role : kRoles) role_->Append(utf8(std::string(role_name(role)) + " turns"));
  role_->SetSelection(0);
  coder_ = new wxChoice(this, wxID_ANY);
  retrieve_ = new wxButton(this, wxID_ANY, "Retrieve");
  bar->Add(labelled(this, "Passages of", code_), wxSizerFlags().CenterVertical());
  bar->Add(combination_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(other_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(subcodes_, wxSizerFlags().CenterVertical().Border(wxLEFT, 2 * border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));
  auto* where = new wxBoxSizer(wxHORIZONTAL);
  where->Add(labelled(this, "in", role_), wxSizerFlags().CenterVertical());
  where->Add(labelled(this, "coded by", coder_),
             wxSizerFlags().CenterVertical().Border(wxLEFT, 2 * border));
  where->Add(retrieve_, wxSizerFlags().CenterVertical().Border(wxLEFT, 2 * border));
  sizer->Add(where, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, border));

  auto* status = new wxBoxSizer(wxHORIZONTAL);
  message_ = new wxStaticText(this, wxID_ANY, "Choose a code, or two, and Retrieve.");
  page_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("HTML report\u2026"));
  table_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Table\u2026"));
  copy_ = new wxButton(this, wxID_ANY, "Copy");
  copy_->SetToolTip("Copy the passages as quotes with speaker and source");
  status->Add(message_, wxSizerFlags(1).CenterVertical());
  for (wxButton* button : {page_, table_, copy_}) {
    button->Disable();
    status->Add(button, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  }
  sizer->Add(status, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, border));
  passages_ = new PassageList(this, host);
  sizer->Add(passages_, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  combination_->Bind(wxEVT_CHOICE,
                     [this](wxCommandEvent&) { other_->Enable(combination_->GetSelection() > 0); });
  retrieve_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { retrieve_now(); });
  page_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { export_page(); });
  table_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { export_table(); });
  copy_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { copy_quotes(); });
  fill_choices();
}

void RetrievalPane::fill_choices() {
  codes_.fill(code_, project());
  others_.fill(other_, project());
  const std::string previous =
      coder_->GetSelection() > 0 ? coders_[static_cast<size_t>(coder_->GetSelection())] : "";
  coder_->Clear();
  coders_.assign(1, "");
  coder_->Append("any coder");
  for (const Coder& coder : project().coders) {
    coder_->Append(utf8(coder.name));
    coders_.push_back(coder.guid);
  }
  const auto it = std::find(coders_.begin(), coders_.end(), previous);
  coder_->SetSelection(it == coders_.end() ? 0 : static_cast<int>(it - coders_.begin()));
}

RetrievalSpec RetrievalPane::spec() const {
  RetrievalSpec spec;
  spec.code = codes_.selected(code_);
  const int combination = combination_->GetSelection();
  spec.combination = combination == 1   ? Combination::Overlapping
                     : combination == 2 ? Combination::NotOverlapping
                                        : Combination::Only;
  if (spec.combination != Combination::Only) spec.other = others_.selected(other_);
  spec.subcodes = subcodes_->GetValue();
  if (const int role = role_->GetSelection(); role > 0) spec.role = kRoles[role - 1];
  if (const int coder = coder_->GetSelection(); coder > 0)
    spec.coder = coders_[static_cast<size_t>(coder)];
  return spec;
}

void RetrievalPane::show_spec(const RetrievalSpec& spec) {
  codes_.select(code_, spec.code);
  combination_->SetSelection(spec.combination == Combination::Overlapping      ? 1
                             : spec.combination == Combination::NotOverlapping ? 2
                                                                               : 0);
  other_->Enable(spec.combination != Combination::Only);
  others_.select(other_, spec.other);
  subcodes_->SetValue(spec.subcodes);
  role_->SetSelection(0);
  for (size_t i = 0; i < std::size(kRoles); ++i)
    if (spec.role == kRoles[i]) role_->SetSelection(static_cast<int>(i) + 1);
  coder_->SetSelection(0);
  for (size_t i = 1; i < coders_.size(); ++i)
    if (spec.coder == coders_[i]) coder_->SetSelection(static_cast<int>(i));
  retrieve_now();
}

bool RetrievalPane::retrieve_now() {
  const RetrievalSpec wanted = spec();
  if (wanted.code.empty()) {
    report_error("Choose the code whose passages you want.");
    return false;
  }
  std::vector<RetrievedPassage> found;
  std::string description;
  const bool ok = guarded([&] {
    found = retrieve(project(), wanted);
    description = describe_retrieval(project(), wanted);
  });
  if (!ok) return false;
  shown_ = true;
  message_->SetLabel(
      wxString::Format("%zu %s: ", found.size(), found.size() == 1 ? "passage" : "passages") +
      utf8(description));
  for (wxButton* button : {page_, table_, copy_}) button->Enable(!found.empty());
  passages_->show(std::move(found));
  return true;
}

void RetrievalPane::refresh() {
  fill_choices();
  if (!shown_) return;
  try {
    passages_->show(retrieve(project(), spec()));
  } catch (const std::exception&) {
    passages_->show({});  // a code went away: nothing to show until the person chooses again
  }
}

void RetrievalPane::export_page() {
  const auto file =
      choose_file("Export coded passages", "passages.html", "HTML page (*.html)|*.html");
  if (!file) return;
  // Rendering a large retrieval takes a moment: on a worker, from a copy of what it needs.
  auto project_copy = std::make_shared<Project>(project());
  auto passages = std::make_shared<std::vector<RetrievedPassage>>(passages_->passages());
  const RetrievalSpec wanted = spec();
  std::error_code ignored;
  const std::string location =
      fs::absolute(host().store().folder(), ignored).lexically_normal().string();
  const fs::path target = *file;
  host().run_long_work(
      "Writing the passages",
      [project_copy, passages, wanted, location, target](ProgressSink& progress) {
        progress.progress(0, 1, "Writing " + target.filename().string());
        const std::string html = render_retrieval_html(*project_copy, wanted, *passages, location);
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        out << html;
        out.close();
        if (!out) throw std::runtime_error("could not write " + target.string());
        progress.progress(1, 1, "Written");
      },
      [self = wxWeakRef<RetrievalPane>(this), target](bool finished) {
        if (self && finished) self->message_->SetLabel(utf8("Wrote " + target.string()));
      });
}

void RetrievalPane::export_table() {
  save_table(retrieval_table(project(), spec(), passages_->passages()), "passages");
}

void RetrievalPane::copy_quotes() {
  const std::string quotes = retrieval_quotes(passages_->passages());
  if (wxTheClipboard->Open()) {
    wxTheClipboard->SetData(new wxTextDataObject(utf8(quotes)));
    wxTheClipboard->Close();
    message_->SetLabel(wxString::Format("Copied %zu %s.", passages_->passages().size(),
                                        passages_->passages().size() == 1 ? "quote" : "quotes"));
  } else {
    report_error("The clipboard is busy; try again.");
  }
}

}  // namespace marginalia::gui
