#include "code_editor.h"
#include "wx_text.h"

#include <wx/clrpicker.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace marginalia::gui {
namespace {}  // namespace

CodeEditor::CodeEditor(wxWindow* parent, const Code& code)
    : wxDialog(parent, wxID_ANY, "Edit Code", wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      code_(code),
      original_(split_description(code.description)) {
  name_ = new wxTextCtrl(this, wxID_ANY, utf8(code.name));
  wxColour colour(utf8(code.color));
  colour_ = new wxColourPickerCtrl(this, wxID_ANY, colour.IsOk() ? colour : *wxLIGHT_GREY);
  const auto part = [this](const std::string& text) {
    return new wxTextCtrl(this, wxID_ANY, utf8(text), wxDefaultPosition, FromDIP(wxSize(380, 56)),
                          wxTE_MULTILINE);
  };
  definition_ = part(original_.definition);
  use_when_ = part(original_.use_when);
  not_when_ = part(original_.not_when);
  example_ = part(original_.example);

  auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(8, 6)));
  grid->AddGrowableCol(1);
  const auto row = [&](const wxString& label, wxWindow* field) {
    grid->Add(new wxStaticText(this, wxID_ANY, label), wxSizerFlags().Right().Top());
    grid->Add(field, wxSizerFlags(1).Expand());
  };
  row("Name:", name_);
  row("Colour:", colour_);
  row("Definition:", definition_);
  row("Use when:", use_when_);
  row("Do not use when:", not_when_);
  row("Example:", example_);
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(grid, wxSizerFlags(1).Expand().Border(wxALL, FromDIP(10)));
  top->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL), wxSizerFlags().Expand().Border());
  SetSizerAndFit(top);
}

Code CodeEditor::code() const {
  Code edited = code_;
  edited.name = name_->GetValue().utf8_string();
  // A code without a colour keeps none unless one was picked.
  if (!(code_.color.empty() && colour_->GetColour() == *wxLIGHT_GREY))
    edited.color = colour_->GetColour().GetAsString(wxC2S_HTML_SYNTAX).utf8_string();
  return edited;
}

CodeDescription CodeEditor::description() const {
  CodeDescription parts = original_;
  parts.definition = definition_->GetValue().utf8_string();
  parts.use_when = use_when_->GetValue().utf8_string();
  parts.not_when = not_when_->GetValue().utf8_string();
  parts.example = example_->GetValue().utf8_string();
  return parts;
}

}  // namespace marginalia::gui
