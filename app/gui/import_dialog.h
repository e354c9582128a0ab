// The import dialog: before anything is committed it shows, for each chosen transcript file, the
// detected encoding (which can be overridden), the speakers found with their roles (editable) and a
// preview of the text. Decoding runs on the main thread for the one file shown; the import itself
// runs later on a background thread. Main thread only.
#pragma once

#include <wx/dialog.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "marginalia/transcript.h"

class wxChoice;
class wxListBox;
class wxListCtrl;
class wxListEvent;
class wxTextCtrl;
class wxStaticText;

namespace marginalia::gui {

class ImportDialog : public wxDialog {
 public:
  ImportDialog(wxWindow* parent, std::vector<std::filesystem::path> files);

  // After OK: the speaker roles as edited (defaults plus every change), and forced encodings by
  // file (only those changed from the detected one).
  const RoleMap& roles() const { return roles_; }
  const std::map<std::string, std::string>& encodings() const { return encodings_; }

  // For tests: the controls a person uses.
  wxListBox* files_list() const { return files_; }
  wxChoice* encoding_choice() const { return encoding_; }
  wxListCtrl* speakers_list() const { return speakers_; }
  wxTextCtrl* preview() const { return preview_; }
  wxStaticText* detected() const { return detected_; }
  // Sets the role of a speaker as the role menu does.
  void set_role(const std::string& speaker, Role role);
  // Shows the file at `index` (decoding it).
  void show_file(int index);

 private:
  void on_speaker_menu(wxListEvent& event);

  std::vector<std::filesystem::path> files_paths_;
  RoleMap roles_ = RoleMap::defaults();
  std::map<std::string, Role> changed_roles_;
  std::map<std::string, std::string> encodings_;
  int shown_ = -1;
  wxListBox* files_ = nullptr;
  wxStaticText* detected_ = nullptr;
  wxChoice* encoding_ = nullptr;
  wxListCtrl* speakers_ = nullptr;
  wxTextCtrl* preview_ = nullptr;
};

}  // namespace marginalia::gui
