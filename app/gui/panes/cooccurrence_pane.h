// The code co-occurrence heatmap (frequencies.h code_cooccurrence): codes on both axes, each cell
// the units (passages or turns) carrying both codes, or their Jaccard, shaded; the diagonal the
// units carrying the code. A click on a cell lists the text coded with both. Export as a table and
// as the SVG heatmap of charts.h.
#pragma once

#include "marginalia/charts.h"
#include "marginalia/frequencies.h"
#include "pane_common.h"

class wxButton;
class wxCheckBox;
class wxChoice;
class wxStaticText;

namespace marginalia::gui {

class CooccurrencePane : public AnalysisPane {
 public:
  CooccurrencePane(wxWindow* parent, PaneHost& host);
  void refresh() override;  // also what changing an option does
  void open_cell(int row, int column);

  const CooccurrenceMatrix& matrix() const { return matrix_; }
  wxChoice* unit_choice() const { return unit_; }
  wxChoice* measure_choice() const { return measure_; }
  wxCheckBox* across_box() const { return across_; }
  ShadedGrid* grid() const { return grid_; }
  PassageList* passages() const { return passages_; }
  wxStaticText* message() const { return message_; }
  wxButton* export_table_button() const { return export_table_; }
  wxButton* export_figure_button() const { return export_figure_; }

 private:
  bool jaccard() const;

  CooccurrenceMatrix matrix_;
  wxChoice* unit_ = nullptr;
  wxChoice* measure_ = nullptr;
  wxCheckBox* across_ = nullptr;
  ShadedGrid* grid_ = nullptr;
  PassageList* passages_ = nullptr;
  wxStaticText* message_ = nullptr;
  wxButton* export_table_ = nullptr;
  wxButton* export_figure_ = nullptr;
};

}  // namespace marginalia::gui
