// A project folder on disk (DESIGN.md "A project on disk"):
//   project.qde            REFI-QDA project, valid against Project.xsd
//   sources/<guid>.txt     one UTF-8 LF text per source
//   .marginalia/model.json what REFI has no place for (utterances, language, undo history, ...)
//   .marginalia/journal    edits since the last snapshot, one checksummed line each
//   .marginalia/lock       names the writer holding the project
// Not thread-safe: one thread owns a ProjectStore.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "marginalia/commands.h"
#include "marginalia/model.h"

namespace marginalia {

enum class OpenMode { ReadOnly, Write };

// Told of every change to the model after it is durable: derived data (the search index) follows
// edits at once. `changed` is the command as applied (for an undo: the inverse). Called on the
// thread that edits; must not edit the store.
class EditListener {
 public:
  virtual ~EditListener() = default;
  virtual void edited(const Project& project, const Command& changed) = 0;
};

class ProjectStore {
 public:
  // Creates the folder (which must not exist or be empty) with an empty project and a first
  // snapshot. Throws BadInput when the folder holds other files, EnvironmentError when it can't
  // write.
  static void create(const std::filesystem::path& folder, const std::string& name,
                     const std::string& language = "en");

  // Writes `project` as a new project folder (which must not exist or be empty): its sources'
  // texts, project.qde, .marginalia/model.json and an empty journal. For importers (a .qdpx becomes
  // a folder) and tests. Same errors as create().
  static void create_from(const std::filesystem::path& folder, const Project& project);

  // Loads the snapshot and replays the journal. In Write mode takes the lock first: another live
  // writer -> EnvironmentError naming it (host, pid, program); a stale lock is taken over.
  // A folder with project.qde but no .marginalia/ opens too (utterances parsed again from the
  // text). The snapshot comes from .marginalia/model.cache when that matches it (README, A project
  // on disk); `read_snapshot_files` reads project.qde and model.json regardless, for `check`, which
  // vouches for the files themselves.
  static std::unique_ptr<ProjectStore> open(const std::filesystem::path& folder,
                                            OpenMode mode = OpenMode::Write,
                                            bool read_snapshot_files = false);

  ~ProjectStore();  // releases the lock; does not snapshot
  ProjectStore(const ProjectStore&) = delete;
  ProjectStore& operator=(const ProjectStore&) = delete;

  const Project& project() const { return project_; }
  const std::filesystem::path& folder() const { return folder_; }

  // Prepares the command (see prepare()), writes any source text it adds, appends it to the
  // journal, fdatasyncs, applies it and records it for undo (clearing redo). Returns false when
  // nothing would change. When this returns, the edit survives a crash.
  bool execute(Command command);

  // Undo and redo are journaled too, so the history survives a restart. Return false when there is
  // nothing to undo or redo.
  bool undo();
  bool redo();
  std::optional<std::string> undo_label() const;
  std::optional<std::string> redo_label() const;

  // Writes project.qde and model.json (temporary file, fsync, rename, fsync folder), then empties
  // the journal.
  void snapshot();

  // The coder with this name; added (journaled) when new.
  std::string coder_guid(const std::string& name);

  // The number of edits (and undos and redos) ever made to this project: grows by one with each,
  // survives snapshots and restarts. Derived data records the revision it reflects.
  int64_t revision() const { return sequence_; }

  // Not owned; nullptr to stop. One listener at a time.
  void set_listener(EditListener* listener) { listener_ = listener; }

 private:
  ProjectStore(std::filesystem::path folder, OpenMode mode);
  struct Journal;
  struct Lock;

  std::filesystem::path folder_;
  OpenMode mode_;
  Project project_;
  CodingLookup coding_lookup_;  // of project_'s codings, for prepare() and apply()
  std::vector<Command> undo_stack_;
  std::vector<Command> redo_stack_;
  int64_t sequence_ = 0;  // number of the last journal entry applied
  EditListener* listener_ = nullptr;
  std::unique_ptr<Lock> lock_;
  std::unique_ptr<Journal> journal_;
};

}  // namespace marginalia
