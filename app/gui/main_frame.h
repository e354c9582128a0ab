// The main window: a project's sources, its codebook and the selected source's text, read-only.
// Shows the model and nothing more: counts come from marginalia/codebook_counts.h. Main thread
// only.
#pragma once

#include <wx/frame.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "labels.h"
#include "marginalia/project_store.h"

class wxListCtrl;
class wxListEvent;
class wxSimplebook;
class wxStaticText;
class wxTextCtrl;
class wxTreeCtrl;

namespace marginalia::gui {

class MainFrame : public wxFrame {
 public:
  // Tells the person something went wrong; a modal wxMessageBox unless a test plugs in its own.
  using ErrorReporter = std::function<void(const wxString& message)>;
  // Asks for a project folder; nullopt when cancelled. A wxDirDialog unless a test plugs in its
  // own.
  using FolderChooser = std::function<std::optional<std::filesystem::path>()>;

  MainFrame();
  ~MainFrame() override;

  void set_error_reporter(ErrorReporter report_error) { report_error_ = std::move(report_error); }
  void set_folder_chooser(FolderChooser choose_folder) {
    choose_folder_ = std::move(choose_folder);
  }

  // Opens the project read-only and shows it. On failure reports the core's one-line message, keeps
  // whatever was shown before and returns false; never throws.
  bool open_project(const std::filesystem::path& folder);
  void close_project();

  // nullptr when no project is open.
  const Project* project() const;

  // What a person sees, for tests.
  wxListCtrl* sources_list() const { return sources_; }
  wxTreeCtrl* codebook_tree() const { return codebook_; }
  wxTextCtrl* transcript() const { return transcript_; }
  // The centre's message when no text is shown, else empty.
  wxString centre_message() const;

 private:
  void build_menus();
  void build_layout();
  void show_project();
  void show_empty_state(const wxString& message);
  void fill_sources();
  void fill_codebook();
  void show_source(long row);

  void on_open(wxCommandEvent& event);
  void on_source_selected(wxListEvent& event);

  ErrorReporter report_error_;
  FolderChooser choose_folder_;
  std::unique_ptr<ProjectStore> store_;
  CodebookCounts counts_;

  wxListCtrl* sources_ = nullptr;
  wxTreeCtrl* codebook_ = nullptr;
  wxSimplebook* centre_ = nullptr;
  wxStaticText* centre_message_ = nullptr;
  wxTextCtrl* transcript_ = nullptr;
};

}  // namespace marginalia::gui
