#include "agreement_pane.h"

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/splitter.h>
#include <wx/stattext.h>
#include <wx/weakref.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "marginalia/error.h"
#include "marginalia/project_store.h"
#include "marginalia/text.h"

namespace marginalia::gui {

namespace {

const AgreementUnit kUnits[] = {AgreementUnit::Utterance, AgreementUnit::Sentence,
                                AgreementUnit::Character, AgreementUnit::Segment,
                                AgreementUnit::Unitized};
const char* kUnitLabels[] = {"speaker turns", "sentences", "characters",
                             "segments (overlap at least 0.9)", "unitized alpha (characters)"};
const char* kUnitNames[] = {"utterance", "sentence", "character", "segment", "unitized"};
constexpr double kOverlap = 0.9;
constexpr uint64_t kSeed = 1;

// The unit's name in the table, as `marginalia-cli agree` writes it.
std::string unit_name(AgreementUnit unit) {
  for (size_t i = 0; i < std::size(kUnits); ++i)
    if (kUnits[i] == unit) {
      if (unit != AgreementUnit::Segment) return kUnitNames[i];
      std::ostringstream s;
      s << "segment, overlap >= " << kOverlap;
      return s.str();
    }
  return {};
}

}  // namespace

AgreementPane::AgreementPane(wxWindow* parent, PaneHost& host) : AnalysisPane(parent, host) {
  const int border = FromDIP(4);
  auto* sizer = new wxBoxSizer(wxHORIZONTAL);

  // Left: what to compare.
  auto* choices = new wxBoxSizer(wxVERTICAL);
  choices->Add(new wxStaticText(this, wxID_ANY, "Coders"), wxSizerFlags().Border(wxTOP, border));
  coders_ = new wxCheckListBox(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(200, 80)));
  choices->Add(coders_, wxSizerFlags().Expand());
  choices->Add(new wxStaticText(this, wxID_ANY, "Codes"), wxSizerFlags().Border(wxTOP, border));
  codes_ = new wxCheckListBox(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(200, 160)));
  choices->Add(codes_, wxSizerFlags(1).Expand());
  unit_ = new wxChoice(this, wxID_ANY);
  for (const char* label : kUnitLabels) unit_->Append(label);
  unit_->SetSelection(0);
  choices->Add(labelled(this, "Unit:", unit_), wxSizerFlags().Border(wxTOP, border));
  bootstrap_ = new wxSpinCtrl(this, wxID_ANY, "1000", wxDefaultPosition, wxDefaultSize,
                              wxSP_ARROW_KEYS, 0, 100000, 1000);
  bootstrap_->SetToolTip("Bootstrap resamples for the 95% intervals (0: none)");
  choices->Add(labelled(this, "Resamples:", bootstrap_), wxSizerFlags().Border(wxTOP, border));
  compute_ = new wxButton(this, wxID_ANY, "Compute");
  choices->Add(compute_, wxSizerFlags().Expand().Border(wxTOP, border));
  sizer->Add(choices, wxSizerFlags().Expand().Border(wxALL, border));

  // Right: the coefficients above, the disagreements below.
  auto* right = new wxBoxSizer(wxVERTICAL);
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  message_ = new wxStaticText(this, wxID_ANY, "Choose coders, codes and a unit, then Compute.");
  export_table_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("Export table\u2026"));
  bar->Add(message_, wxSizerFlags(1).CenterVertical());
  bar->Add(export_table_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  right->Add(bar, wxSizerFlags().Expand().Border(wxALL, border));
  auto* split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                     wxSP_LIVE_UPDATE | wxSP_3DSASH);
  table_ = new TableList(split);
  auto* lower = new wxPanel(split);
  auto* lower_sizer = new wxBoxSizer(wxVERTICAL);
  auto* actions = new wxBoxSizer(wxHORIZONTAL);
  accept_ = new wxChoice(lower, wxID_ANY);
  accept_button_ = new wxButton(lower, wxID_ANY, "Accept into consensus");
  export_list_ = new wxButton(lower, wxID_ANY, wxString::FromUTF8("Export list\u2026"));
  actions->Add(new wxStaticText(lower, wxID_ANY, "Disagreements: take"),
               wxSizerFlags().CenterVertical());
  actions->Add(accept_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  actions->Add(accept_button_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  actions->AddStretchSpacer();
  actions->Add(export_list_, wxSizerFlags().CenterVertical().Border(wxLEFT, border));
  lower_sizer->Add(actions, wxSizerFlags().Expand().Border(wxALL, border));
  list_ = new RichList(lower);
  lower_sizer->Add(list_, wxSizerFlags(1).Expand());
  lower->SetSizer(lower_sizer);
  split->SetMinimumPaneSize(FromDIP(100));
  split->SetSashGravity(0.45);
  split->SplitHorizontally(table_, lower);
  right->Add(split, wxSizerFlags(1).Expand().Border(wxALL, border));
  sizer->Add(right, wxSizerFlags(1).Expand());
  SetSizer(sizer);

  for (wxButton* button : {accept_button_, export_table_, export_list_}) button->Disable();
  compute_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { compute(); });
  accept_button_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { accept_selected(); });
  list_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent& event) {
    const int at = event.GetSelection();
    if (at < 0 || static_cast<size_t>(at) >= disagreements_.size()) return;
    const UnitSpan& span = disagreements_[static_cast<size_t>(at)].span;
    this->host().show_passage(span.source, span.start, span.end);
  });
  export_table_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    save_table(
        [this](const std::string& format) {
          return table_for(format == "csv" || format == "json");
        },
        "agreement");
  });
  export_list_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    if (!result_) return;
    save_table(disagreement_table(project(), result_->reliability, disagreements_),
               "disagreements");
  });
  fill_choices();
}

void AgreementPane::fill_choices() {
  // Keep what the person unticked; new coders and codes come ticked.
  std::vector<std::string> unticked;
  for (unsigned i = 0; i < coders_->GetCount(); ++i)
    if (!coders_->IsChecked(i)) unticked.push_back(coder_guids_[i]);
  for (unsigned i = 0; i < codes_->GetCount(); ++i)
    if (!codes_->IsChecked(i)) unticked.push_back(code_guids_[i]);
  const auto ticked = [&](const std::string& guid) {
    return std::find(unticked.begin(), unticked.end(), guid) == unticked.end();
  };

  coders_->Clear();
  coder_guids_.clear();
  std::vector<std::string> default_coders;
  try {
    default_coders = agreement_coders(project(), {});
  } catch (const std::exception&) {  // fewer than two coders: list them all, unticked
  }
  for (const Coder& coder : project().coders) {
    coders_->Append(utf8(coder.name));
    coder_guids_.push_back(coder.guid);
    const bool by_default =
        std::find(default_coders.begin(), default_coders.end(), coder.guid) != default_coders.end();
    coders_->Check(coders_->GetCount() - 1, by_default && ticked(coder.guid));
  }
  codes_->Clear();
  code_guids_.clear();
  std::vector<std::string> default_codes;
  try {
    default_codes = agreement_codes(project(), {});
  } catch (const std::exception&) {
  }
  for (const std::string& guid : default_codes) {
    codes_->Append(utf8(project().code_path(*project().code(guid))));
    code_guids_.push_back(guid);
    codes_->Check(codes_->GetCount() - 1, ticked(guid));
  }
  accept_->Clear();
  for (unsigned i = 0; i < coders_->GetCount(); ++i)
    if (coders_->IsChecked(i))
      accept_->Append(coders_->GetString(i) + wxString::FromUTF8("\u2019s coding"));
  accept_->Append("every coder's codings");
  accept_->Append("no coding");
  accept_->SetSelection(0);
}

AgreementOptions AgreementPane::options() const {
  AgreementOptions options;
  for (unsigned i = 0; i < coders_->GetCount(); ++i)
    if (coders_->IsChecked(i)) options.coders.push_back(coder_guids_[i]);
  bool every_code = true;
  for (unsigned i = 0; i < codes_->GetCount(); ++i) {
    if (codes_->IsChecked(i))
      options.codes.push_back(code_guids_[i]);
    else
      every_code = false;
  }
  if (every_code) options.codes.clear();  // the default: every code with a coding
  options.unit = kUnits[std::max(0, unit_->GetSelection())];
  options.overlap = kOverlap;
  return options;
}

void AgreementPane::refresh() {
  fill_choices();
  if (result_)
    message_->SetLabel(
        "The codings changed since these figures were computed: Compute again to update them.");
}

bool AgreementPane::compute() {
  const AgreementOptions chosen = options();
  if (chosen.coders.size() < 2) {
    report_error("Choose two or more coders to compare.");
    return false;
  }
  if (codes_->GetCount() > 0 && chosen.codes.empty()) {
    bool any = false;
    for (unsigned i = 0; i < codes_->GetCount(); ++i) any = any || codes_->IsChecked(i);
    if (!any) {
      report_error("Choose the codes to compare.");
      return false;
    }
  }
  const int64_t resamples = bootstrap_->GetValue();
  auto project_copy = std::make_shared<Project>(project());
  auto result = std::make_shared<Result>();
  result->options = chosen;
  compute_->Disable();
  message_->SetLabel(wxString::FromUTF8("Computing\u2026"));
  host().run_long_work(
      "Computing agreement",
      [project_copy, result, resamples](ProgressSink& progress) {
        const Project& p = *project_copy;
        const AgreementOptions& options = result->options;
        result->coders = agreement_coders(p, options);
        for (const std::string& guid : result->coders)
          result->coder_names.push_back(p.coder(guid)->name);
        const std::vector<std::string> codes = agreement_codes(p, options);
        if (codes.empty()) throw BadInput("no code has a coding yet");
        if (options.unit == AgreementUnit::Unitized) {
          for (const std::string& code : codes)
            result->unitized.push_back(
                {p.code_path(*p.code(code)),
                 unitized_alphas(project_continua(p, result->coders, {code}))});
          if (codes.size() > 1)
            result->unitized.push_back(
                {"All codes", unitized_alphas(project_continua(p, result->coders, codes))});
          return;
        }
        result->reliability = project_reliability(p, options);
        const BootstrapOptions b{resamples, kSeed};
        for (const CodeReliability& code : result->reliability.codes) {
          Coefficients c = compute_coefficients(code.data);
          bootstrap(code.data, c, b, &progress);
          result->rows.push_back({p.code_path(*p.code(code.code)), std::move(c)});
        }
        if (result->reliability.codes.size() > 1) {
          const ReliabilityData all = pooled(result->reliability);
          Coefficients c = compute_coefficients(all);
          bootstrap(all, c, b, &progress);
          result->rows.push_back({"All codes (pooled)", std::move(c)});
        }
        result->disagreements = disagreements(p, result->reliability);
      },
      // The pane may have been closed while the work ran.
      [self = wxWeakRef<AgreementPane>(this), result, resamples](bool finished) {
        if (!self) return;
        self->finish(finished, std::move(*result), resamples);
      });
  return true;
}

void AgreementPane::finish(bool finished, Result result, int64_t resamples) {
  compute_->Enable();
  if (!finished) {
    message_->SetLabel("Not computed.");
    return;
  }
  resamples_ = resamples;
  show(std::move(result));
}

Table AgreementPane::table_for(bool long_layout) const {
  if (!result_) return {};
  const std::vector<std::string>& names = result_->coder_names;
  if (result_->options.unit == AgreementUnit::Unitized)
    return unitized_table(result_->unitized, names, long_layout);
  Table t = agreement_table(result_->rows, unit_name(result_->options.unit),
                            describe_unit(result_->options.unit, kOverlap), names,
                            BootstrapOptions{resamples_, kSeed}, long_layout);
  if (result_->reliability.codes.size() > 1)
    t.notes.push_back("Pooled: every unit x code item of the codes above in one table.");
  return t;
}

void AgreementPane::show(Result result) {
  result_ = std::move(result);
  disagreements_ = result_->disagreements;
  table_->show(table_for(false));
  show_disagreements();
  export_table_->Enable();
  export_list_->Enable(!disagreements_.empty());
  std::string unit = unit_name(result_->options.unit);
  message_->SetLabel(utf8("Unit: " + unit) + wxString::Format(", %zu %s", disagreements_.size(),
                                                              disagreements_.size() == 1
                                                                  ? "disagreement"
                                                                  : "disagreements"));
}

void AgreementPane::show_disagreements() {
  const Project& p = project();
  std::vector<wxString> items;
  for (const Disagreement& d : disagreements_) {
    const Source* source = p.source(d.span.source);
    const Code* code = p.code(d.code);
    wxString item = "<font color=\"#555555\"><b>" + html_text(source ? source->name : "") + "</b>" +
                    wxString::FromUTF8(" \u00b7 ") + html_text(d.speaker) +
                    wxString::FromUTF8(" \u00b7 ") + html_text(code ? p.code_path(*code) : "") +
                    "</font>";
    // Each coder's version of the same text: what they coded with this code in bold.
    for (size_t c = 0; c < result_->reliability.coders.size() && c < d.values.size(); ++c) {
      const Coder* coder = p.coder(result_->reliability.coders[c]);
      item += "<br><b>" + html_text(coder ? coder->name : "") + "</b>: ";
      if (d.values[c] == kMissing) {
        item += "<i>did not code this source</i>";
        continue;
      }
      std::vector<std::pair<int64_t, int64_t>> marks;
      for (const Coding& coding : p.codings)
        if (coding.coder == result_->reliability.coders[c] && coding.code == d.code &&
            coding.source == d.span.source && coding.start < d.span.end &&
            d.span.start < coding.end)
          marks.emplace_back(std::max(coding.start, d.span.start) - d.span.start,
                             std::min(coding.end, d.span.end) - d.span.start);
      std::sort(marks.begin(), marks.end());
      int64_t at = 0;
      const int64_t length = count_code_points(d.text);
      for (const auto& [from, to] : marks) {
        if (to <= at) continue;
        item += html_text(substring_cp(d.text, at, std::max(at, from)));
        item += "<b><font color=\"#08519c\">" +
                html_text(substring_cp(d.text, std::max(at, from), to)) + "</font></b>";
        at = to;
      }
      item += html_text(substring_cp(d.text, at, length));
      if (marks.empty()) item += " <i>(not coded)</i>";
    }
    items.push_back(item);
  }
  list_->set_items(std::move(items));
  accept_button_->Enable(!disagreements_.empty());
}

bool AgreementPane::accept_selected() {
  const int at = list_->GetSelection();
  if (!result_ || at < 0 || static_cast<size_t>(at) >= disagreements_.size()) {
    report_error("Select a disagreement to decide.");
    return false;
  }
  const Disagreement& d = disagreements_[static_cast<size_t>(at)];
  ConsensusChoice choice;
  choice.code = d.code;
  choice.span = d.span;
  const int accepted = accept_->GetSelection();
  const int coders = static_cast<int>(accept_->GetCount()) - 2;
  if (accepted == coders) {
    choice.accept = ConsensusChoice::Accept::All;
  } else if (accepted == coders + 1) {
    choice.accept = ConsensusChoice::Accept::None;
  } else {
    // The accept list names the ticked coders in order.
    int seen = -1;
    for (unsigned i = 0; i < coders_->GetCount(); ++i)
      if (coders_->IsChecked(i) && ++seen == accepted) choice.coder = coder_guids_[i];
    choice.accept = ConsensusChoice::Accept::Coder;
  }
  const bool ok = guarded([&] {
    host().store().execute(consensus_command(project(), result_->reliability.coders, {choice}));
  });
  if (!ok) return false;
  host().project_changed();
  // The consensus coder is new to the lists; it is not compared unless ticked.
  fill_choices();
  compute();
  return true;
}

}  // namespace marginalia::gui
