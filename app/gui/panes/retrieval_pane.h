// Retrieval: all passages of a code, or of a combination (A and B overlapping, A but not B), in
// one role's turns or one coder's codings (retrieval.h); each with its turn as context, a click
// shows it in the transcript; export as an HTML page, a table (CSV, ...) or quotes on the
// clipboard with source and speaker.
#pragma once

#include "marginalia/retrieval.h"
#include "pane_common.h"

class wxButton;
class wxCheckBox;
class wxChoice;
class wxStaticText;

namespace marginalia::gui {

class RetrievalPane : public AnalysisPane {
 public:
  RetrievalPane(wxWindow* parent, PaneHost& host);
  // Retrieves what the controls say (as the Retrieve button does); false when they are incomplete.
  bool retrieve_now();
  void refresh() override;
  // Sets the controls to `spec` and retrieves: how other panes (the matrix) and the host open it.
  void show_spec(const RetrievalSpec& spec);
  RetrievalSpec spec() const;

  wxChoice* code_choice() const { return code_; }
  wxChoice* combination_choice() const { return combination_; }
  wxChoice* other_choice() const { return other_; }
  wxCheckBox* subcodes_box() const { return subcodes_; }
  wxChoice* role_choice() const { return role_; }
  wxChoice* coder_choice() const { return coder_; }
  wxButton* retrieve_button() const { return retrieve_; }
  PassageList* passages() const { return passages_; }
  wxStaticText* message() const { return message_; }
  wxButton* page_button() const { return page_; }
  wxButton* table_button() const { return table_; }
  wxButton* copy_button() const { return copy_; }

 private:
  void fill_choices();
  void export_page();
  void export_table();
  void copy_quotes();

  bool shown_ = false;  // something was retrieved: refresh retrieves again
  CodeChoices codes_, others_;
  std::vector<std::string> coders_;  // parallel to coder_'s items; "" for all
  wxChoice* code_ = nullptr;
  wxChoice* combination_ = nullptr;
  wxChoice* other_ = nullptr;
  wxCheckBox* subcodes_ = nullptr;
  wxChoice* role_ = nullptr;
  wxChoice* coder_ = nullptr;
  wxButton* retrieve_ = nullptr;
  PassageList* passages_ = nullptr;
  wxStaticText* message_ = nullptr;
  wxButton* page_ = nullptr;
  wxButton* table_ = nullptr;
  wxButton* copy_ = nullptr;
};

}  // namespace marginalia::gui
