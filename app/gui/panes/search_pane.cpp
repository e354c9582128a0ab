#include "search_pane.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/radiobox.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "marginalia/project_store.h"
#include "marginalia/report.h"

namespace marginalia::gui {

namespace {

const char* kSyntax =
    "Words match their stems (felt finds feel); \"a phrase\"; AND, OR, NOT and brackets; "
    "distan* for prefixes; NEAR/5 and ADJ/3 for words close together.\n"
    "Filters: speaker:Lena  role:client  source:d1_client_lena  code:Withdrawal  coder:ana  "
    "time:00:05..00:10, and case attributes (outcome:poor).\n"
    "Example: frightened role:client NOT code:\"Early anxiety\"";

// Hits shown at most; the counts always cover every hit.
constexpr size_t kShownHits = 500;

}  // namespace

// ---- CodeAllHitsDialog -------------------------------------------------------------------------

CodeAllHitsDialog::CodeAllHitsDialog(wxWindow* parent, const Project& project, size_t hits,
                                     const std::string& coder)
    : wxDialog(parent, wxID_ANY, wxString::FromUTF8("Code all hits\u2026")) {
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  const int border = FromDIP(8);
  sizer->Add(new wxStaticText(
                 this, wxID_ANY,
                 wxString::Format(wxString::FromUTF8("Code every hit of the search (%zu %s) in one "
                                                     "step; Edit \u25b8 Undo takes it back."),
                                  hits, hits == 1 ? "turn" : "turns")),
             wxSizerFlags().Border(wxALL, border));
  code_ = new wxChoice(this, wxID_ANY);
  codes_.fill(code_, project);
  sizer->Add(AnalysisPane::labelled(this, "Code:", code_), wxSizerFlags().Border(wxALL, border));
  const wxString scopes[] = {"The matched words", "Their sentences", "The whole turns"};
  scope_ = new wxRadioBox(this, wxID_ANY, "Code", wxDefaultPosition, wxDefaultSize, 3, scopes, 1);
  sizer->Add(scope_, wxSizerFlags().Expand().Border(wxALL, border));
  coder_ = new wxTextCtrl(this, wxID_ANY, utf8(coder));
  sizer->Add(AnalysisPane::labelled(this, "As coder:", coder_),
             wxSizerFlags().Border(wxALL, border));
  sizer->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL),
             wxSizerFlags().Expand().Border(wxALL, border));
  SetSizerAndFit(sizer);
}

AutocodeScope CodeAllHitsDialog::scope() const {
  switch (scope_->GetSelection()) {
    case 1:
      return AutocodeScope::Sentence;
    case 2:
      return AutocodeScope::Utterance;
    default:
      return AutocodeScope::Match;
  }
}

std::string CodeAllHitsDialog::coder() const {
  return to_utf8(coder_->GetValue().Strip(wxString::both));
}

// ---- SearchPane --------------------------------------------------------------------------------

SearchPane::SearchPane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);

  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  query_ = new wxComboBox(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, 0,
                          nullptr, wxTE_PROCESS_ENTER);
  query_->SetHint(
      wxString::FromUTF8("Search: words, \"phrases\", role:client, code:Withdrawal\u2026"));
  search_button_ = new wxButton(this, wxID_ANY, "Search");
  syntax_button_ =
      new wxButton(this, wxID_ANY, "?", wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
  syntax_button_->SetToolTip("Query syntax");
  code_all_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Code all hits\u2026"));
  code_all_->Disable();
  bar->Add(query_, wxSizerFlags(1).CenterVertical());
  bar->Add(syntax_button_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(search_button_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(code_all_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));

  syntax_ = new wxStaticText(this, wxID_ANY, kSyntax);
  syntax_->SetForegroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_GRAYTEXT));
  syntax_->Hide();
  sizer->Add(syntax_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, border));

  auto* status = new wxBoxSizer(wxHORIZONTAL);
  message_ = new wxStaticText(this, wxID_ANY, "Type a query and press Enter.");
  undo_ = new wxButton(this, wxID_ANY, "Undo", wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
  undo_->Hide();
  status->Add(message_, wxSizerFlags(1).CenterVertical());
  status->Add(undo_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(status, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, border));

  auto* split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                     wxSP_LIVE_UPDATE | wxSP_3DSASH);
  hits_ = new RichList(split);
  counts_ = new TableList(split);
  split->SetMinimumPaneSize(FromDIP(120));
  split->SetSashGravity(1.0);
  split->SplitVertically(hits_, counts_, -FromDIP(260));
  sizer->Add(split, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  query_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { search(); });
  query_->Bind(wxEVT_COMBOBOX, [this](wxCommandEvent&) { search(); });
  search_button_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { search(); });
  syntax_button_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    syntax_->Show(!syntax_->IsShown());
    Layout();
  });
  code_all_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { code_all_hits(); });
  undo_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { undo_coding(); });
  hits_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& event) { on_hit(event.GetSelection()); });
}

bool SearchPane::search() {
  const std::string query = to_utf8(query_->GetValue().Strip(wxString::both));
  if (query.empty()) return false;
  SearchResults results;
  const bool ok = guarded([&] {
    SearchOptions options;
    options.limit = kShownHits;
    options.order = HitOrder::Transcript;
    results = host().index().search(project(), query, options);
  });
  if (!ok) return false;
  query_text_ = query;
  results_ = std::move(results);
  // The history: most recent first, no repeats.
  const wxString entered = utf8(query);
  const int previous = query_->FindString(entered, true);
  if (previous != wxNOT_FOUND) query_->Delete(static_cast<unsigned>(previous));
  query_->Insert(entered, 0);
  query_->SetValue(entered);
  undo_->Hide();
  show_results();
  return true;
}

void SearchPane::refresh() {
  if (query_text_.empty()) return;
  try {
    SearchOptions options;
    options.limit = kShownHits;
    options.order = HitOrder::Transcript;
    results_ = host().index().search(project(), query_text_, options);
  } catch (const std::exception&) {
    results_ = {};
  }
  show_results();
}

void SearchPane::show_results() {
  std::vector<wxString> items;
  for (const SearchHit& hit : results_.hits) {
    wxString head = "<font color=\"#555555\"><b>" + html_text(hit.source_name) + "</b>" +
                    wxString::FromUTF8(" \u00b7 ") + html_text(hit.speaker) + " (" +
                    utf8(role_name(hit.role)) + ")";
    if (hit.timestamp_ms)
      head += wxString::FromUTF8(" \u00b7 ") + utf8(format_timestamp(*hit.timestamp_ms));
    head += "</font><br>";
    wxString snippet = html_text(hit.snippet);
    snippet.Replace("[[", "<b><font color=\"#08519c\">");
    snippet.Replace("]]", "</font></b>");
    items.push_back(head + snippet);
  }
  hits_->set_items(std::move(items));

  // Counts over every hit: per source in project order, then per code in codebook order.
  Table counts;
  counts.columns = {"Matching turns in", "Turns"};
  for (const Source& source : project().sources)
    if (auto it = results_.per_source.find(source.guid); it != results_.per_source.end())
      counts.rows.push_back(
          {TableCell::of(source.name), TableCell::number(static_cast<int64_t>(it->second))});
  for (const Code& code : project().codes)
    if (auto it = results_.per_code.find(code.guid); it != results_.per_code.end())
      counts.rows.push_back({TableCell::of("code " + project().code_path(code)),
                             TableCell::number(static_cast<int64_t>(it->second))});
  counts_->show(counts);

  wxString text = wxString::Format("%zu %s", results_.total,
                                   results_.total == 1 ? "turn matches" : "turns match");
  if (results_.hits.size() < results_.total)
    text += wxString::Format(" (the first %zu shown)", results_.hits.size());
  if (!undo_->IsShown()) say(text, false);
  code_all_->Enable(results_.total > 0);
}

void SearchPane::on_hit(int index) {
  if (index < 0 || static_cast<size_t>(index) >= results_.hits.size()) return;
  const SearchHit& hit = results_.hits[static_cast<size_t>(index)];
  const Span span = hit.matches.empty() ? hit.turn : hit.matches.front();
  host().show_passage(hit.source, span.start, span.end);
}

void SearchPane::code_all_hits() {
  if (query_text_.empty() || results_.total == 0) return;
  CodeAllHitsDialog dialog(this, project(), results_.total, host().current_coder());
  if (run_dialog(dialog) != wxID_OK) return;
  const std::string code = dialog.code();
  const std::string coder_name = dialog.coder();
  if (code.empty()) return report_error("Choose a code to apply.");
  if (coder_name.empty()) return report_error("Name the coder who codes the hits.");
  AutocodeResult result;
  std::string label;
  const bool ok = guarded([&] {
    ProjectStore& store = host().store();
    const std::string coder = store.coder_guid(coder_name);
    result = autocode(store, host().index(), query_text_, code, coder, dialog.scope());
    label = store.undo_label().value_or("");
  });
  if (!ok) return;
  host().project_changed();
  refresh();
  const Code* applied = project().code(code);
  const wxString name = applied ? utf8(project().code_path(*applied)) : wxString();
  say(wxString::Format(wxString::FromUTF8("Coded %zu %s as \u201c%s\u201d: %zu %s added, %zu "
                                          "already there."),
                       result.hits, result.hits == 1 ? "hit" : "hits", name, result.added,
                       result.added == 1 ? "coding" : "codings", result.already),
      result.added > 0);
  undo_label_ = result.added > 0 ? label : "";
}

void SearchPane::undo_coding() {
  ProjectStore& store = host().store();
  // Only the auto-coding this pane made, and only while it is still the last edit.
  if (undo_label_.empty() || store.undo_label() != undo_label_) {
    say(wxString::FromUTF8("That coding is no longer the last edit: use Edit \u25b8 Undo."), false);
    return;
  }
  if (!guarded([&] { store.undo(); })) return;
  undo_label_.clear();
  host().project_changed();
  refresh();
  say("Undone: the codings are removed.", false);
}

void SearchPane::say(const wxString& text, bool can_undo) {
  message_->SetLabel(text);
  undo_->Show(can_undo);
  Layout();
}

}  // namespace marginalia::gui
