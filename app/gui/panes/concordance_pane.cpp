#include "concordance_pane.h"

#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace marginalia::gui {

ConcordancePane::ConcordancePane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  query_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize,
                          wxTE_PROCESS_ENTER);
  query_->SetHint(wxString::FromUTF8("Words in context: afraid, \"first session\", distan*\u2026"));
  width_ = new wxSpinCtrl(this, wxID_ANY, "40", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS,
                          5, 200, 40);
  auto* go = new wxButton(this, wxID_ANY, "Show");
  export_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export\u2026"));
  export_->Disable();
  bar->Add(query_, wxSizerFlags(1).CenterVertical());
  bar->Add(labelled(this, "Context:", width_),
           wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(go, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(export_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));
  message_ =
      new wxStaticText(this, wxID_ANY, "Every match with the words around it, inside the turn.");
  sizer->Add(message_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, border));
  list_ = new TableList(this);
  sizer->Add(list_, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  query_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { run(); });
  go->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { run(); });
  width_->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { refresh(); });
  export_->Bind(wxEVT_BUTTON,
                [this](wxCommandEvent&) { save_table(list_->table(), "concordance"); });
  list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& event) {
    const size_t row = list_->table_row(event.GetIndex());
    if (row < lines_.size())
      this->host().show_passage(lines_[row].source, lines_[row].match.start, lines_[row].match.end);
  });
}

bool ConcordancePane::run() {
  const std::string query = to_utf8(query_->GetValue().Strip(wxString::both));
  if (query.empty()) return false;
  const std::string previous = query_text_;
  query_text_ = query;
  if (!guarded([this] { compute(); })) {
    query_text_ = previous;
    return false;
  }
  return true;
}

void ConcordancePane::refresh() {
  if (query_text_.empty()) return;
  try {
    compute();
  } catch (const std::exception&) {
    lines_.clear();
    list_->show({});
  }
}

void ConcordancePane::compute() {
  SearchOptions options;
  options.limit = 0;
  options.order = HitOrder::Transcript;
  options.counts = false;
  const SearchResults results = host().index().search(project(), query_text_, options);
  lines_ = concordance(project(), results.hits, static_cast<size_t>(width_->GetValue()));
  list_->show(concordance_table(lines_, query_text_), {0});  // the left context ends at the match
  message_->SetLabel(wxString::Format("%zu %s in %zu %s", lines_.size(),
                                      lines_.size() == 1 ? "match" : "matches", results.hits.size(),
                                      results.hits.size() == 1 ? "turn" : "turns"));
  export_->Enable(!lines_.empty());
}

}  // namespace marginalia::gui
