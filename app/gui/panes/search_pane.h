// Search: a query box with a history and the syntax a click away; hits with source, speaker and a
// snippet, the matches in bold; a click shows the passage with the match selected; counts per
// source and code; "Code all hits…" (scope and coder) as one undoable command, with Undo beside
// the message that says what it did.
#pragma once

#include <wx/dialog.h>

#include <string>
#include <vector>

#include "marginalia/concordance.h"
#include "marginalia/search.h"
#include "pane_common.h"

class wxButton;
class wxComboBox;
class wxRadioBox;
class wxStaticText;
class wxTextCtrl;

namespace marginalia::gui {

// The question "Code all hits…" asks: which code, what to code, as whom.
class CodeAllHitsDialog : public wxDialog {
 public:
  CodeAllHitsDialog(wxWindow* parent, const Project& project, size_t hits,
                    const std::string& coder);
  std::string code() const { return codes_.selected(code_); }
  AutocodeScope scope() const;
  std::string coder() const;

  wxChoice* code_choice() const { return code_; }
  wxRadioBox* scope_box() const { return scope_; }
  wxTextCtrl* coder_box() const { return coder_; }

 private:
  CodeChoices codes_;
  wxChoice* code_ = nullptr;
  wxRadioBox* scope_ = nullptr;
  wxTextCtrl* coder_ = nullptr;
};

class SearchPane : public AnalysisPane {
 public:
  SearchPane(wxWindow* parent, PaneHost& host);

  // Runs the query in the box (as Enter does); false when it is malformed (reported).
  bool search();
  void refresh() override;

  const SearchResults& results() const { return results_; }
  wxComboBox* query_box() const { return query_; }
  wxButton* search_button() const { return search_button_; }
  wxButton* syntax_button() const { return syntax_button_; }
  wxStaticText* syntax_help() const { return syntax_; }
  RichList* hits_list() const { return hits_; }
  TableList* counts_list() const { return counts_; }
  wxButton* code_all_button() const { return code_all_; }
  wxStaticText* message() const { return message_; }
  wxButton* undo_button() const { return undo_; }

 private:
  void show_results();
  void on_hit(int index);
  void code_all_hits();
  void undo_coding();
  void say(const wxString& text, bool can_undo);

  std::string query_text_;  // the query the results are for
  SearchResults results_;
  std::string undo_label_;  // the command Undo beside the message undoes

  wxComboBox* query_ = nullptr;
  wxButton* search_button_ = nullptr;
  wxButton* syntax_button_ = nullptr;
  wxStaticText* syntax_ = nullptr;
  RichList* hits_ = nullptr;
  TableList* counts_ = nullptr;
  wxButton* code_all_ = nullptr;
  wxStaticText* message_ = nullptr;
  wxButton* undo_ = nullptr;
};

}  // namespace marginalia::gui
