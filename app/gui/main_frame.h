// The workbench window: sources and codebook on the left, the transcript with its stripes in the
// middle, the selected coding and codebook entry on the right, analysis panes below (wxAUI, the
// layout remembered per user). Every edit is a command through the open ProjectStore (journaled
// before it shows); the search index follows each one. Shows the model and nothing more: counts,
// marks and commands come from the core. Main thread only.
#pragma once

#include <wx/aui/framemanager.h>
#include <wx/frame.h>
#include <wx/treebase.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "labels.h"
#include "long_work.h"
#include "marginalia/coding_operations.h"
#include "marginalia/project_store.h"
#include "marginalia/search.h"
#include "marginalia/transcript.h"
#include "pane_host.h"
#include "transcript_view.h"

class wxAuiNotebook;
class wxConfigBase;
class wxFileHistory;
class wxListCtrl;
class wxListEvent;
class wxSearchCtrl;
class wxSimplebook;
class wxStaticText;
class wxTextCtrl;
class wxTimer;
class wxTreeCtrl;
class wxTreeEvent;
class wxButton;

namespace marginalia::gui {

class AnalysisPane;

class MainFrame : public wxFrame, public PaneHost {
 public:
  // Tells the person something went wrong; a modal wxMessageBox unless a test plugs in its own.
  using ErrorReporter = std::function<void(const wxString& message)>;
  // Asks for a project folder; nullopt when cancelled. A wxDirDialog unless a test plugs in its
  // own.
  using FolderChooser = std::function<std::optional<std::filesystem::path>()>;
  // Asks who is coding, given the project's coders and a suggestion; nullopt keeps the suggestion.
  using CoderChooser = std::function<std::optional<std::string>(
      const std::vector<std::string>& coders, const std::string& suggestion)>;
  // Asks which transcript files to import; empty when cancelled.
  using FilesChooser = std::function<std::vector<std::filesystem::path>()>;
  // Shows the import dialog for `files`; false when cancelled. Fills the role map and encodings.
  struct ImportChoices;
  // Asks for the key (1-9) to pin a code to, given its name and its key now; 0 takes it off its
  // key, nullopt when cancelled. A number dialog unless a test plugs in its own.
  using KeyChooser =
      std::function<std::optional<int>(const std::string& code_name, std::optional<int> current)>;
  using ImportConfirmer =
      std::function<bool(const std::vector<std::filesystem::path>& files, ImportChoices& choices)>;

  // Where the layout, recent projects and the last coder are kept: the user's config folder, or
  // $MARGINALIA_CONFIG_DIR when set (tests point it at a temporary folder).
  static std::filesystem::path config_file();

  MainFrame();
  ~MainFrame() override;

  void set_error_reporter(ErrorReporter report_error) { report_error_ = std::move(report_error); }
  void set_folder_chooser(FolderChooser choose_folder) {
    choose_folder_ = std::move(choose_folder);
  }
  // For File > New Project: an empty or new folder; a wxDirDialog unless a test plugs in its own.
  void set_new_folder_chooser(FolderChooser choose) { choose_new_folder_ = std::move(choose); }
  // For File > Open REFI Project: a .qdpx (or .qde) file.
  void set_qdpx_chooser(FolderChooser choose) { choose_qdpx_ = std::move(choose); }
  // Tells the person something worth knowing (what an import left out); a message box by default.
  void set_informer(ErrorReporter inform) { inform_ = std::move(inform); }
  void set_coder_chooser(CoderChooser choose_coder) { choose_coder_ = std::move(choose_coder); }
  void set_files_chooser(FilesChooser choose_files) { choose_files_ = std::move(choose_files); }
  void set_import_confirmer(ImportConfirmer confirm) { confirm_import_ = std::move(confirm); }
  void set_key_chooser(KeyChooser choose_key) { choose_key_ = std::move(choose_key); }

  // Opens the project for writing (taking its lock) with its search index, asks who is coding and
  // shows it. On failure reports the core's one-line message, keeps whatever was shown before and
  // returns false; never throws.
  bool open_project(const std::filesystem::path& folder);
  // Snapshots and releases the project; a running import is cancelled first.
  void close_project();
  // Creates a project named after the folder (which must be new or empty) and opens it.
  bool new_project(const std::filesystem::path& folder);
  // Reads another tool's .qdpx (or .qde) on a background thread, creates a project folder from it
  // beside the file (named after it) and opens it; `done` says whether it opened. What was left out
  // or looks wrong is told through the informer.
  void open_qdpx(const std::filesystem::path& file, std::function<void(bool opened)> done = {});

  // nullptr when no project is open.
  const Project* project() const;

  // --- PaneHost
  ProjectStore& store() override { return *store_; }
  SearchIndex& index() override { return *index_; }
  std::string current_coder() const override { return coder_; }
  void show_passage(const std::string& source_guid, int64_t start, int64_t end) override;
  void run_long_work(const wxString& title, std::function<void(ProgressSink&)> work,
                     std::function<void(bool finished)> done) override;
  void project_changed() override;

  // The bottom notebook's parent window for new panes, and adding one as a tab.
  wxWindow* pane_parent() const;
  void add_pane(wxWindow* pane, const wxString& label);
  // Opens (or brings forward) the analysis pane `kind`, the position of its item in the Analyze
  // menu; nullptr without a project.
  AnalysisPane* open_pane(size_t kind);
  void close_panes();

  // --- What the person does, as the menus, keys and mouse do it (tests call these too).
  // Codes the transcript's selection (snapped to words when that is on); false when nothing is
  // selected or nothing changed.
  bool apply_code(const std::string& code_guid);
  // The code on key 1-9 (marginalia::pinned_code).
  std::optional<std::string> pinned_code(int key) const;
  bool code_whole_turn(const std::string& code_guid);
  bool code_in_vivo();
  void select_coding(const std::string& coding_guid);
  bool remove_selected_coding();
  bool change_selected_coding(const std::string& code_guid);
  bool set_selected_coding_memo(const std::string& memo);
  bool undo();
  bool redo();
  // Puts the caret at the start of the next (+1) or previous (-1) turn.
  void go_to_turn(int step);
  void set_blind_mode(bool on);
  void set_compare_mode(bool on);
  bool blind_mode() const { return blind_; }
  bool compare_mode() const { return compare_; }
  // Imports the files on a background thread behind a progress dialog (each file journaled as it
  // is decoded); `done` runs when all are in or the import stopped.
  void import_files(const std::vector<std::filesystem::path>& files,
                    std::function<void(bool finished)> done = {});
  bool importing() const;

  // What a person sees, for tests.
  wxListCtrl* sources_list() const { return sources_; }
  wxSearchCtrl* sources_filter() const { return source_filter_; }
  wxTreeCtrl* codebook_tree() const { return codebook_; }
  TranscriptView* transcript() const { return transcript_; }
  wxTextCtrl* memo_editor() const { return memo_; }
  wxStaticText* selection_details() const { return details_; }
  wxAuiManager& layout() { return aui_; }
  // The centre's message when no text is shown, else empty.
  wxString centre_message() const;
  // The source shown, or empty.
  std::string shown_source() const;
  // The tree item of a code.
  wxTreeItemId code_item(const std::string& code_guid) const;
  // The code a tree item stands for, or empty.
  std::string code_of_item(const wxTreeItemId& item) const;
  // Moves a code as dropping it on `target` does: in its upper part before it, else inside it.
  bool drop_code(const std::string& code_guid, const wxTreeItemId& target, bool inside);
  bool edit_code(const std::string& code_guid, const Code& changed, const CodeDescription& parts);
  // Code > Pin Code to Key: asks the key chooser for the code selected in the tree and pins it
  // (one undoable step); false when nothing changed.
  bool pin_selected_code();

 private:
  struct Recent;
  void build_menus();
  void build_layout();
  void show_project();
  void show_empty_state(const wxString& message);
  void fill_sources();
  void fill_codebook();
  void show_source_guid(const std::string& guid);
  void refresh_after_edit();
  void refresh_details();
  void update_status();
  void update_edit_menu();
  MarkOptions mark_options() const;
  bool execute(Command command);
  std::string coder_guid();
  std::string selected_code() const;
  wxString hover_text(int64_t at) const;
  void add_recent(const std::filesystem::path& folder);
  void on_close(wxCloseEvent& event);
  void on_tree_drag_begin(wxTreeEvent& event);
  void on_tree_drag_end(wxTreeEvent& event);
  void choose_and_import();
  void commit_imports();
  void show_context_menu();
  void edit_code_dialog(const std::string& code_guid);
  void new_code_dialog();

  ErrorReporter report_error_;
  FolderChooser choose_folder_;
  FolderChooser choose_new_folder_;
  FolderChooser choose_qdpx_;
  ErrorReporter inform_;
  CoderChooser choose_coder_;
  FilesChooser choose_files_;
  ImportConfirmer confirm_import_;
  KeyChooser choose_key_;
  std::unique_ptr<wxConfigBase> config_;
  std::unique_ptr<wxFileHistory> recent_;
  std::unique_ptr<ProjectStore> store_;
  std::unique_ptr<SearchIndex> index_;
  std::unique_ptr<LongWorkRunner> long_work_;
  CodebookCounts counts_;
  std::string coder_;
  std::string shown_source_;
  std::string selected_coding_;
  std::string dragged_code_;
  std::vector<std::string> visible_sources_;  // guids, in the list's order
  bool blind_ = false;
  bool compare_ = false;
  bool snap_to_words_ = true;
  int import_remaining_ = 0;
  std::vector<Source> pending_imports_;  // decoded by the import thread, not yet journaled

  wxAuiManager aui_;
  wxSearchCtrl* source_filter_ = nullptr;
  wxListCtrl* sources_ = nullptr;
  wxTreeCtrl* codebook_ = nullptr;
  wxSimplebook* centre_ = nullptr;
  wxStaticText* centre_message_ = nullptr;
  TranscriptView* transcript_ = nullptr;
  wxSearchCtrl* find_ = nullptr;
  wxStaticText* details_ = nullptr;
  wxTextCtrl* memo_ = nullptr;
  wxButton* save_memo_ = nullptr;
  wxButton* remove_coding_ = nullptr;
  wxButton* change_code_ = nullptr;
  wxTextCtrl* code_entry_ = nullptr;
  wxAuiNotebook* analysis_ = nullptr;
  std::vector<std::pair<size_t, AnalysisPane*>> panes_;  // open analysis panes, by kind
  std::unique_ptr<wxTimer> snapshot_timer_;
};

// What the import dialog settles before anything is committed.
struct MainFrame::ImportChoices {
  RoleMap roles = RoleMap::defaults();
  std::map<std::string, std::string> encodings;  // file path -> forced encoding
};

}  // namespace marginalia::gui
