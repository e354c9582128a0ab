// Frequencies: the sortable table of code frequencies (frequencies.h) overall or by coder, role,
// source or a participant attribute, the bar chart of the same report beside it (charts.h), and
// both exported from the pane: the table as CSV, Markdown, LaTeX, HTML or JSON, the chart as SVG.
#pragma once

#include "marginalia/charts.h"
#include "marginalia/frequencies.h"
#include "pane_common.h"

class wxButton;
class wxChoice;

namespace marginalia::gui {

class FrequenciesPane : public AnalysisPane {
 public:
  FrequenciesPane(wxWindow* parent, PaneHost& host);
  void refresh() override;  // also what choosing a breakdown does

  // The breakdown as FrequencyOptions::by names it: "", "coder", "role", "source", an attribute.
  std::string breakdown() const;
  const FrequencyReport& report() const { return report_; }
  wxChoice* by_choice() const { return by_; }
  TableList* table() const { return table_; }
  BarChartView* chart() const { return chart_; }
  wxButton* export_table_button() const { return export_table_; }
  wxButton* export_chart_button() const { return export_chart_; }

 private:
  void fill_breakdowns();

  FrequencyReport report_;
  std::vector<std::string> by_values_;  // parallel to by_'s items
  wxChoice* by_ = nullptr;
  TableList* table_ = nullptr;
  BarChartView* chart_ = nullptr;
  wxButton* export_table_ = nullptr;
  wxButton* export_chart_ = nullptr;
};

}  // namespace marginalia::gui
