#include "frequencies_pane.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/splitter.h>

#include <algorithm>
#include <set>

namespace marginalia::gui {

namespace {

// Attribute names that the built-in fields take; such an attribute is asked for as case.NAME.
const std::set<std::string> kBuiltIn = {"role", "speaker", "source", "code", "coder"};

}  // namespace

FrequenciesPane::FrequenciesPane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  by_ = new wxChoice(this, wxID_ANY);
  export_table_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export table\u2026"));
  export_chart_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export chart\u2026"));
  bar->Add(labelled(this, "Frequencies", by_), wxSizerFlags().CenterVertical());
  bar->AddStretchSpacer();
  bar->Add(export_table_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  bar->Add(export_chart_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  sizer->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));

  auto* split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                     wxSP_LIVE_UPDATE | wxSP_3DSASH);
  table_ = new TableList(split);
  chart_ = new BarChartView(split);
  split->SetMinimumPaneSize(FromDIP(150));
  split->SetSashGravity(0.6);
  split->SplitVertically(table_, chart_);
  sizer->Add(split, wxSizerFlags(1).Expand().Border(wxALL, border));
  SetSizer(sizer);

  by_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { refresh(); });
  export_table_->Bind(wxEVT_BUTTON,
                      [this](wxCommandEvent&) { save_table(table_->table(), "frequencies"); });
  export_chart_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    std::string svg;
    if (!guarded([&] { svg = render_bar_chart_svg(chart_->data(), figure_style()); })) return;
    save_text("Export chart", "frequencies.svg", "SVG figure (*.svg)|*.svg", svg);
  });
  refresh();
}

void FrequenciesPane::fill_breakdowns() {
  const std::string previous = breakdown();
  by_->Clear();
  by_values_.clear();
  const auto add = [this](const wxString& label, const std::string& value) {
    by_->Append(label);
    by_values_.push_back(value);
  };
  add("overall", "");
  add("by coder", "coder");
  add("by speaker role", "role");
  add("by source", "source");
  std::set<std::string> attributes;
  for (const Case& c : project().cases)
    for (const auto& [name, value] : c.attributes) attributes.insert(name);
  for (const std::string& name : attributes)
    add(utf8("by participant\u2019s " + name), kBuiltIn.contains(name) ? "case." + name : name);
  const auto it = std::find(by_values_.begin(), by_values_.end(), previous);
  by_->SetSelection(it == by_values_.end() ? 0 : static_cast<int>(it - by_values_.begin()));
}

std::string FrequenciesPane::breakdown() const {
  const int at = by_->GetSelection();
  return at == wxNOT_FOUND || static_cast<size_t>(at) >= by_values_.size()
             ? std::string()
             : by_values_[static_cast<size_t>(at)];
}

void FrequenciesPane::refresh() {
  fill_breakdowns();
  guarded([this] {
    report_ = code_frequencies(project(), {breakdown(), {}});
    table_->show(frequency_table(report_));
    BarChartData data = frequency_bar_chart(project(), report_);
    data.value_label = "Codings (all coders)";
    chart_->show(data);
  });
}

}  // namespace marginalia::gui
