// The code x source matrix (frequencies.h code_source_matrix): codings per code and source, each
// cell shaded by its count; a click on a cell lists that code's passages in that source (a click on
// the total, in every source), a click on a passage shows it. Export as a table, wide to read or
// long (tidy) for CSV and JSON.
#pragma once

#include "marginalia/frequencies.h"
#include "pane_common.h"

class wxButton;
class wxStaticText;

namespace marginalia::gui {

class MatrixPane : public AnalysisPane {
 public:
  MatrixPane(wxWindow* parent, PaneHost& host);
  void refresh() override;
  // What a click on the cell does: lists the passages behind it.
  void open_cell(int row, int column);

  const CodeSourceMatrix& matrix() const { return matrix_; }
  ShadedGrid* grid() const { return grid_; }
  PassageList* passages() const { return passages_; }
  wxStaticText* message() const { return message_; }
  wxButton* export_button() const { return export_; }

 private:
  CodeSourceMatrix matrix_;
  ShadedGrid* grid_ = nullptr;
  PassageList* passages_ = nullptr;
  wxStaticText* message_ = nullptr;
  wxButton* export_ = nullptr;
};

}  // namespace marginalia::gui
