// Agreement between coders (agreement.h): choose the coders, the codes and the unit; a table of
// coefficients per code and pooled, with bootstrap intervals and prevalence (computed on a worker
// behind a progress window); the disagreements listed side by side, each coder's coding marked on
// the same text, a click shows the unit; accept one coder's version (or both, or neither) into the
// consensus coder as one undoable step; export the table and the list.
#pragma once

#include "marginalia/agreement.h"
#include "pane_common.h"

class wxButton;
class wxCheckListBox;
class wxChoice;
class wxSpinCtrl;
class wxStaticText;

namespace marginalia::gui {

class AgreementPane : public AnalysisPane {
 public:
  AgreementPane(wxWindow* parent, PaneHost& host);
  void refresh() override;
  // What the Compute button does: the coefficients on a worker (bootstrap takes a while), then the
  // table and the disagreements. False when the choices are incomplete (reported).
  bool compute();
  // Accepts the consensus choice for the selected disagreement.
  bool accept_selected();

  wxCheckListBox* coders_list() const { return coders_; }
  wxCheckListBox* codes_list() const { return codes_; }
  wxChoice* unit_choice() const { return unit_; }
  wxSpinCtrl* bootstrap_box() const { return bootstrap_; }
  wxButton* compute_button() const { return compute_; }
  TableList* table() const { return table_; }
  RichList* disagreements_list() const { return list_; }
  wxChoice* accept_choice() const { return accept_; }
  wxButton* accept_button() const { return accept_button_; }
  wxButton* export_table_button() const { return export_table_; }
  wxButton* export_list_button() const { return export_list_; }
  wxStaticText* message() const { return message_; }
  const std::vector<Disagreement>& disagreement_items() const { return disagreements_; }

 private:
  // The result of one computation, made on a worker from a copy of the project.
  struct Result {
    AgreementOptions options;
    std::vector<std::string> coders, coder_names;
    ProjectReliability reliability;
    std::vector<AgreementRow> rows;
    std::vector<UnitizedRow> unitized;
    std::vector<Disagreement> disagreements;
  };

  void fill_choices();
  AgreementOptions options() const;
  void finish(bool finished, Result result, int64_t resamples);
  void show(Result result);
  void show_disagreements();
  Table table_for(bool long_layout) const;

  std::vector<std::string> coder_guids_, code_guids_;  // parallel to the check lists
  std::optional<Result> result_;
  std::vector<Disagreement> disagreements_;
  int64_t resamples_ = 0;

  wxCheckListBox* coders_ = nullptr;
  wxCheckListBox* codes_ = nullptr;
  wxChoice* unit_ = nullptr;
  wxSpinCtrl* bootstrap_ = nullptr;
  wxButton* compute_ = nullptr;
  TableList* table_ = nullptr;
  RichList* list_ = nullptr;
  wxChoice* accept_ = nullptr;
  wxButton* accept_button_ = nullptr;
  wxButton* export_table_ = nullptr;
  wxButton* export_list_ = nullptr;
  wxStaticText* message_ = nullptr;
};

}  // namespace marginalia::gui
