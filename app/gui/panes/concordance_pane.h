// Keyword in context: every match of a query with the words around it inside the speaker's turn,
// one line each (concordance.h); a double-click shows the match in the transcript; export as CSV,
// Markdown, LaTeX, HTML or JSON.
#pragma once

#include "marginalia/concordance.h"
#include "pane_common.h"

class wxButton;
class wxSpinCtrl;
class wxStaticText;
class wxTextCtrl;

namespace marginalia::gui {

class ConcordancePane : public AnalysisPane {
 public:
  ConcordancePane(wxWindow* parent, PaneHost& host);
  bool run();  // as Enter in the query box does; false when the query is malformed (reported)
  void refresh() override;

  const std::vector<ConcordanceLine>& lines() const { return lines_; }
  wxTextCtrl* query_box() const { return query_; }
  wxSpinCtrl* width_box() const { return width_; }
  TableList* list() const { return list_; }
  wxButton* export_button() const { return export_; }
  wxStaticText* message() const { return message_; }

 private:
  void compute();
  std::string query_text_;
  std::vector<ConcordanceLine> lines_;
  wxTextCtrl* query_ = nullptr;
  wxSpinCtrl* width_ = nullptr;
  TableList* list_ = nullptr;
  wxButton* export_ = nullptr;
  wxStaticText* message_ = nullptr;
};

}  // namespace marginalia::gui
