#include "matrix_pane.h"

#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/stattext.h>

#include <algorithm>

#include "marginalia/retrieval.h"

namespace marginalia::gui {

MatrixPane::MatrixPane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  message_ = new wxStaticText(this, wxID_ANY,
                              "Codings per code and source. Click a cell for its passages.");
  export_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export table\u2026"));
  bar->Add(message_, wxSizerFlags(1).CenterVertical());
  bar->Add(export_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));
  auto* split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                     wxSP_LIVE_UPDATE | wxSP_3DSASH);
  grid_ = new ShadedGrid(split);
  passages_ = new PassageList(split, host);
  split->SetMinimumPaneSize(FromDIP(80));
  split->SetSashGravity(0.6);
  split->SplitHorizontally(grid_, passages_);
  sizer->Add(split, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  grid_->Bind(wxEVT_GRID_CELL_LEFT_CLICK, [this](wxGridEvent& event) {
    open_cell(event.GetRow(), event.GetCol());
    event.Skip();
  });
  export_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    save_table(
        [this](const std::string& format) {
          return code_source_table(
              matrix_, format == "csv" || format == "json" ? TableLayout::Long : TableLayout::Wide);
        },
        "code-source-matrix");
  });
  refresh();
}

void MatrixPane::refresh() {
  guarded([this] {
    matrix_ = code_source_matrix(project());
    std::vector<wxString> rows, columns;
    std::vector<std::vector<double>> values;
    for (const auto& row : matrix_.rows) {
      rows.push_back(utf8(row.path + (row.scope == CodeScope::Subtree ? " (with subcodes)" : "")));
      std::vector<double> cells(row.codings.begin(), row.codings.end());
      cells.push_back(static_cast<double>(row.total));
      values.push_back(std::move(cells));
    }
    for (const std::string& name : matrix_.source_names) columns.push_back(utf8(name));
    columns.push_back("Total");
    // The totals would swamp the shading of the cells: they are shaded on their own scale.
    double cell_max = 0, total_max = 0;
    for (const auto& row : matrix_.rows) {
      for (int64_t v : row.codings) cell_max = std::max(cell_max, static_cast<double>(v));
      total_max = std::max(total_max, static_cast<double>(row.total));
    }
    std::vector<std::vector<wxString>> text;
    for (auto& cells : values) {
      text.emplace_back();
      for (double v : cells) text.back().push_back(wxString::Format("%.0f", v));
      if (total_max > 0) cells.back() *= cell_max / total_max;
    }
    grid_->show(rows, columns, values, text);
  });
  passages_->show({});
}

void MatrixPane::open_cell(int row, int column) {
  if (row < 0 || static_cast<size_t>(row) >= matrix_.rows.size() || column < 0) return;
  const auto& r = matrix_.rows[static_cast<size_t>(row)];
  RetrievalSpec spec;
  spec.code = r.code;
  spec.subcodes = r.scope == CodeScope::Subtree;
  const auto c = static_cast<size_t>(column);
  if (c < matrix_.sources.size()) spec.source = matrix_.sources[c];
  guarded([&] {
    auto found = retrieve(project(), spec);
    const int64_t codings = c < r.codings.size() ? r.codings[c] : r.total;
    message_->SetLabel(wxString::Format("%lld %s, %zu %s: ", static_cast<long long>(codings),
                                        codings == 1 ? "coding" : "codings", found.size(),
                                        found.size() == 1 ? "passage" : "passages") +
                       utf8(describe_retrieval(project(), spec)));
    passages_->show(std::move(found));
  });
}

}  // namespace marginalia::gui
