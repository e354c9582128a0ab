// The code editor: a code's name, colour and the four parts of its description (definition, use
// when, do not use when, example). It edits copies; the window turns them into one command.
#pragma once

#include <wx/dialog.h>

#include "marginalia/coding_operations.h"
#include "marginalia/model.h"

class wxColourPickerCtrl;
class wxTextCtrl;

namespace marginalia::gui {

class CodeEditor : public wxDialog {
 public:
  CodeEditor(wxWindow* parent, const Code& code);
  Code code() const;  // the code with the name and colour as edited
  CodeDescription description() const;

 private:
  Code code_;
  CodeDescription original_;
  wxTextCtrl* name_ = nullptr;
  wxColourPickerCtrl* colour_ = nullptr;
  wxTextCtrl* definition_ = nullptr;
  wxTextCtrl* use_when_ = nullptr;
  wxTextCtrl* not_when_ = nullptr;
  wxTextCtrl* example_ = nullptr;
};

}  // namespace marginalia::gui
