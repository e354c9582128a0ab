#include "cooccurrence_pane.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/stattext.h>

#include "marginalia/retrieval.h"

namespace marginalia::gui {

CooccurrencePane::CooccurrencePane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  unit_ = new wxChoice(this, wxID_ANY);
  unit_->Append("overlapping passages");
  unit_->Append("speaker turns");
  unit_->SetSelection(0);
  measure_ = new wxChoice(this, wxID_ANY);
  measure_->Append("count");
  measure_->Append(wxString::FromUTF8("Jaccard (both \u00f7 either)"));
  measure_->SetSelection(0);
  across_ = new wxCheckBox(this, wxID_ANY, "across coders");
  across_->SetToolTip(
      "Let one coder's code meet another coder's (default: each coder on their own)");
  export_table_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export table\u2026"));
  export_figure_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export heatmap\u2026"));
  bar->Add(labelled(this, "Codes meeting in", unit_), wxSizerFlags().CenterVertical());
  bar->Add(labelled(this, "as", measure_),
           wxSizerFlags().CenterVertical().Border(wxLEFT, 2 * border));
  bar->Add(across_, wxSizerFlags().CenterVertical().Border(wxLEFT, 2 * border));
  bar->AddStretchSpacer();
  bar->Add(export_table_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(export_figure_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));
  message_ = new wxStaticText(this, wxID_ANY, "Click a cell for the text coded with both codes.");
  sizer->Add(message_, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, border));
  auto* split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                     wxSP_LIVE_UPDATE | wxSP_3DSASH);
  grid_ = new ShadedGrid(split);
  passages_ = new PassageList(split, host);
  split->SetMinimumPaneSize(FromDIP(80));
  split->SetSashGravity(0.65);
  split->SplitHorizontally(grid_, passages_);
  sizer->Add(split, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  unit_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { refresh(); });
  measure_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { refresh(); });
  across_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { refresh(); });
  grid_->Bind(wxEVT_GRID_CELL_LEFT_CLICK, [this](wxGridEvent& event) {
    open_cell(event.GetRow(), event.GetCol());
    event.Skip();
  });
  export_table_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    save_table(
        [this](const std::string& format) {
          return cooccurrence_table(
              matrix_, format == "csv" || format == "json" ? TableLayout::Long : TableLayout::Wide);
        },
        "cooccurrence");
  });
  export_figure_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    std::string svg;
    if (!guarded([&] {
          svg = render_heatmap_svg(cooccurrence_heatmap(project(), matrix_, jaccard()),
                                   figure_style());
        }))
      return;
    save_text("Export heatmap", "cooccurrence.svg", "SVG figure (*.svg)|*.svg", svg);
  });
  refresh();
}

bool CooccurrencePane::jaccard() const {
  return measure_->GetSelection() == 1;
}

void CooccurrencePane::refresh() {
  guarded([this] {
    CooccurrenceOptions options;
    options.unit =
        unit_->GetSelection() == 1 ? CooccurrenceUnit::Utterance : CooccurrenceUnit::Passage;
    options.across_coders = across_->GetValue();
    matrix_ = code_cooccurrence(project(), options);
    const size_t n = matrix_.codes.size();
    // Codes numbered, as in the wide table: "3  Bond/Warmth" down the side, "3" across the top.
    std::vector<wxString> labels, numbers;
    for (size_t i = 0; i < n; ++i) {
      labels.push_back(wxString::Format("%zu  ", i + 1) + utf8(matrix_.paths[i]));
      numbers.push_back(wxString::Format("%zu", i + 1));
    }
    std::vector<std::vector<double>> values(n, std::vector<double>(n, 0.0));
    std::vector<std::vector<wxString>> text(n, std::vector<wxString>(n));
    for (const CooccurrencePair& pair : matrix_.pairs) {
      const double v = jaccard() ? pair.jaccard : static_cast<double>(pair.both);
      const wxString shown = jaccard()
                                 ? wxString::FromCDouble(pair.jaccard, 2)
                                 : wxString::Format("%lld", static_cast<long long>(pair.both));
      values[pair.a][pair.b] = values[pair.b][pair.a] = v;
      text[pair.a][pair.b] = text[pair.b][pair.a] = shown;
    }
    // The diagonal (units with the code) is written but not shaded: it is another quantity.
    for (size_t i = 0; i < n; ++i) {
      values[i][i] = 0;
      text[i][i] = jaccard()
                       ? wxString::FromUTF8("\u2014")
                       : wxString::Format("(%lld)", static_cast<long long>(matrix_.units_with[i]));
    }
    grid_->show(labels, numbers, values, text);
  });
  passages_->show({});
}

void CooccurrencePane::open_cell(int row, int column) {
  const auto n = static_cast<int>(matrix_.codes.size());
  if (row < 0 || column < 0 || row >= n || column >= n) return;
  RetrievalSpec spec;
  spec.code = matrix_.codes[static_cast<size_t>(row)];
  if (row != column) {
    spec.combination = Combination::Overlapping;
    spec.other = matrix_.codes[static_cast<size_t>(column)];
  }
  guarded([&] {
    auto found = retrieve(project(), spec);
    message_->SetLabel(
        wxString::Format("%zu %s coded ", found.size(),
                         found.size() == 1 ? "stretch of text" : "stretches of text") +
        utf8(describe_retrieval(project(), spec)) + " (any coder)");
    passages_->show(std::move(found));
  });
}

}  // namespace marginalia::gui
