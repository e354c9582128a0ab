// Word frequencies: the most frequent words in what people said (concordance.h word_frequencies),
// for one role, inside one code's codings or in one source; export as CSV, Markdown, LaTeX, HTML or
// JSON.
#pragma once

#include "marginalia/concordance.h"
#include "pane_common.h"

class wxButton;
class wxChoice;
class wxSpinCtrl;
class wxStaticText;

namespace marginalia::gui {

class WordsPane : public AnalysisPane {
 public:
  WordsPane(wxWindow* parent, PaneHost& host);
  void refresh() override;  // also what changing a filter does

  const WordFrequencies& frequencies() const { return frequencies_; }
  wxChoice* role_choice() const { return role_; }
  wxChoice* code_choice() const { return code_; }
  wxChoice* source_choice() const { return source_; }
  wxSpinCtrl* top_box() const { return top_; }
  TableList* list() const { return list_; }
  wxButton* export_button() const { return export_; }
  wxStaticText* message() const { return message_; }

 private:
  void fill_filters();
  WordFilter filter() const;

  WordFrequencies frequencies_;
  CodeChoices codes_;
  std::vector<std::string> sources_;  // parallel to source_'s items; "" for all
  wxChoice* role_ = nullptr;
  wxChoice* code_ = nullptr;
  wxChoice* source_ = nullptr;
  wxSpinCtrl* top_ = nullptr;
  TableList* list_ = nullptr;
  wxButton* export_ = nullptr;
  wxStaticText* message_ = nullptr;
};

}  // namespace marginalia::gui
