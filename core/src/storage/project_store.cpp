// The project folder: snapshot (project.qde + .marginalia/model.json), journal, lock.
#include "marginalia/project_store.h"

#include <functional>
#include <future>
#include <optional>
#include <set>
#include <string_view>

#include "marginalia/error.h"
#include "marginalia/transcript.h"
#include "storage/journal.h"
#include "storage/project_lock.h"
#include "storage/storage_io.h"

namespace marginalia {

namespace fs = std::filesystem;

struct ProjectStore::Journal : storage::JournalFile {
  using storage::JournalFile::JournalFile;
};
struct ProjectStore::Lock : storage::ProjectLock {
  using storage::ProjectLock::ProjectLock;
};

namespace {

constexpr size_t kUndoLimit = 1000;

fs::path qde_file(const fs::path& folder) {
  return folder / "project.qde";
}
fs::path sources_folder(const fs::path& folder) {
  return folder / "sources";
}
fs::path meta_folder(const fs::path& folder) {
  return folder / ".marginalia";
}
fs::path model_file(const fs::path& folder) {
  return meta_folder(folder) / "model.json";
}
fs::path journal_file(const fs::path& folder) {
  return meta_folder(folder) / "journal";
}
fs::path lock_file(const fs::path& folder) {
  return meta_folder(folder) / "lock";
}
// Written by a snapshot just before project.qde is replaced: the journal sequence the new
// project.qde reflects and its checksum (see snapshot()).
fs::path snapshot_marker(const fs::path& folder) {
  return meta_folder(folder) / "snapshot";
}

// The sequence of the last journal entry project.qde already reflects when a snapshot was cut
// short between project.qde and model.json, else nullopt. Only a marker whose checksum matches the
// project.qde on disk counts: an old project.qde, or one another tool changed, is replayed over.
std::optional<int64_t> qde_ahead_of_model(const fs::path& folder, std::string_view qde,
                                          int64_t model_sequence) {
  std::error_code ec;
  if (!fs::exists(snapshot_marker(folder), ec)) return std::nullopt;
  const nlohmann::json marker =
      nlohmann::json::parse(storage::read_file(snapshot_marker(folder)), nullptr, false);
  if (!marker.is_object() || !marker.contains("sequence") || !marker.contains("qde_crc32") ||
      !marker["sequence"].is_number_integer() || !marker["qde_crc32"].is_number_unsigned())
    return std::nullopt;
  const int64_t sequence = marker["sequence"].get<int64_t>();
  if (sequence <= model_sequence || marker["qde_crc32"].get<uint32_t>() != storage::crc32(qde))
    return std::nullopt;
  return sequence;
}

fs::path cache_file(const fs::path& folder) {
  return meta_folder(folder) / "model.cache";
}

// The derived copy of the snapshot just written (storage_io.h). Failing to write it costs the next
// opening its speed, never the snapshot: a stale copy no longer matches the files.
void write_cache(const fs::path& folder, const Project& project, const storage::History& history) {
  try {
    const auto qde = storage::stamp_of(qde_file(folder));
    const auto model = storage::stamp_of(model_file(folder));
    if (!qde || !model) return;
    storage::write_model_cache(cache_file(folder), project, storage::history_json(history.undo),
                               storage::history_json(history.redo), history.sequence, *qde, *model);
  } catch (const std::exception&) {
    std::error_code ignored;
    fs::remove(cache_file(folder), ignored);
  }
}

// The snapshot from the cache, with each source's text from its file as the snapshot had it; a
// text file missing or changed sends opening to project.qde, which says what is wrong.
std::optional<storage::CachedSnapshot> read_cache(const fs::path& folder) {
  const auto qde = storage::stamp_of(qde_file(folder));
  const auto model = storage::stamp_of(model_file(folder));
  if (!qde || !model) return std::nullopt;
  auto cached = storage::read_model_cache(cache_file(folder), *qde, *model);
  if (!cached || cached->text_hashes.size() != cached->project.sources.size()) return std::nullopt;
  for (size_t i = 0; i < cached->project.sources.size(); ++i) {
    Source& source = cached->project.sources[i];
    try {
      source.text = storage::read_file(sources_folder(folder) / (source.guid + ".txt"));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (storage::text_hash(source.text) != cached->text_hashes[i]) return std::nullopt;
  }
  return cached;
}

// Steps with nothing to undo (a new coder stays, like a user account) are not offered to Undo.
void push_undo(std::vector<Command>& stack, Command command) {
  if (is_empty(inverse(command))) return;
  stack.push_back(std::move(command));
  if (stack.size() > kUndoLimit) stack.erase(stack.begin());
}

}  // namespace

ProjectStore::ProjectStore(fs::path folder, OpenMode mode)
    : folder_(std::move(folder)), mode_(mode) {}

ProjectStore::~ProjectStore() = default;

void ProjectStore::create(const fs::path& folder, const std::string& name,
                          const std::string& language) {
  Project project;
  project.guid = new_guid();
  project.name = name;
  project.language = language;
  project.created = now_iso8601();
  create_from(folder, project);
}

void ProjectStore::create_from(const fs::path& folder, const Project& project) {
  std::error_code ec;
  if (fs::exists(folder, ec)) {
    if (!fs::is_directory(folder, ec))
      throw BadInput("cannot create a project at " + folder.string() + ": it is a file");
    if (!fs::is_empty(folder, ec))
      throw BadInput("cannot create a project in " + folder.string() + ": the folder is not empty");
  }
  storage::make_private_folder(sources_folder(folder));
  storage::make_private_folder(meta_folder(folder));
  for (const Source& source : project.sources)
    storage::write_file_atomic(sources_folder(folder) / (source.guid + ".txt"), source.text);
  storage::write_file_atomic(qde_file(folder), storage::write_qde(project));
  storage::write_file_atomic(model_file(folder),
                             storage::write_model_json(project, storage::History{}));
  storage::write_file_atomic(journal_file(folder), "");
  write_cache(folder, project, storage::History{});
  if (folder.has_parent_path()) storage::fsync_folder(folder.parent_path());
}

std::unique_ptr<ProjectStore> ProjectStore::open(const fs::path& folder, OpenMode mode,
                                                 bool read_snapshot_files) {
  std::error_code ec;
  if (!fs::exists(qde_file(folder), ec))
    throw BadInput(folder.string() + " is not a Marginalia project: it has no project.qde");
  std::unique_ptr<ProjectStore> store(new ProjectStore(folder, mode));
  if (mode == OpenMode::Write) {
    storage::make_private_folder(meta_folder(folder));
    store->lock_ = std::make_unique<Lock>(folder, lock_file(folder));
  }
  store->journal_ = std::make_unique<Journal>(journal_file(folder));

  Project& project = store->project_;
  storage::QdeInput input;
  input.load_text = [&](const std::string&, const std::string& path) -> std::optional<std::string> {
    return storage::read_file(sources_folder(folder) / storage::internal_name(path));
  };
  // History commands name sources that may since have been removed; their text files stay.
  auto history_text = [&](const std::string& guid) {
    if (const Source* source = project.source(guid)) return source->text;
    return storage::read_file(sources_folder(folder) / (guid + ".txt"));
  };

  std::set<std::string> without_metadata;
  std::optional<int64_t> in_qde;
  if (auto cached = read_snapshot_files ? std::nullopt : read_cache(folder)) {
    project = std::move(cached->project);
    store->undo_stack_ = storage::history_from_json(cached->undo_json, history_text);
    store->redo_stack_ = storage::history_from_json(cached->redo_json, history_text);
    store->sequence_ = cached->sequence;
    // The cache is written after both snapshot files are in place: project.qde cannot be ahead.
  } else {
    // model.json is parsed on a second thread while project.qde is read: the two are independent
    // until the model's metadata goes onto the project, and together they were most of opening.
    const bool has_model = fs::exists(model_file(folder), ec);
    std::future<nlohmann::json> model;
    if (has_model)
      model = std::async(std::launch::async, [file = model_file(folder)] {
        return storage::parse_model_json(storage::read_file(file), file);
      });
    const std::string qde_bytes = storage::read_file(qde_file(folder));
    project = storage::read_qde(qde_bytes, qde_file(folder), input);
    if (has_model) {
      std::vector<std::string> missing;
      storage::History history = storage::apply_model_json(model.get(), model_file(folder), project,
                                                           missing, history_text);
      without_metadata.insert(missing.begin(), missing.end());
      store->undo_stack_ = std::move(history.undo);
      store->redo_stack_ = std::move(history.redo);
      store->sequence_ = history.sequence;
    } else {
      // A folder copied without .marginalia/: REFI has the rest, the turns are parsed again.
      project.guid = storage::derived_guid("project:" + project.name + "|" + project.created);
      for (const Source& source : project.sources) without_metadata.insert(source.guid);
    }
    // Entries up to here are in project.qde already: they rebuild the undo history and the turns
    // of new sources but are not applied again, which could reorder codes and codings.
    in_qde = qde_ahead_of_model(folder, qde_bytes, store->sequence_);
  }

  for (const storage::JournalEntry& entry : store->journal_->read()) {
    if (entry.sequence <= store->sequence_) continue;  // already in the snapshot
    const bool apply_entry = !in_qde || entry.sequence > *in_qde;
    try {
      if (entry.op == "do") {
        Command command = storage::command_from_json(entry.command, history_text);
        if (apply_entry) apply(project, command, &store->coding_lookup_);
        // A snapshot interrupted between project.qde and model.json leaves sources in the qde that
        // model.json does not describe yet; their AddSource entry does.
        if (const auto* add = std::get_if<AddSource>(&command.action);
            add && without_metadata.erase(add->source.guid)) {
          for (Source& source : project.sources)
            if (source.guid == add->source.guid) {
              const std::string text = std::move(source.text);
              source = add->source;
              source.text = text;
            }
        }
        push_undo(store->undo_stack_, std::move(command));
        store->redo_stack_.clear();
      } else if (entry.op == "undo" && !store->undo_stack_.empty()) {
        Command command = std::move(store->undo_stack_.back());
        store->undo_stack_.pop_back();
        if (apply_entry) apply(project, inverse(command), &store->coding_lookup_);
        store->redo_stack_.push_back(std::move(command));
      } else if (entry.op == "redo" && !store->redo_stack_.empty()) {
        Command command = std::move(store->redo_stack_.back());
        store->redo_stack_.pop_back();
        if (apply_entry) apply(project, command, &store->coding_lookup_);
        push_undo(store->undo_stack_, std::move(command));
      }
    } catch (const BadInput& e) {
      throw BadInput(journal_file(folder).string() + ": line " + std::to_string(entry.line) + ": " +
                     e.what());
    }
    store->sequence_ = entry.sequence;
  }

  for (Source& source : project.sources)
    if (without_metadata.count(source.guid))
      source.utterances = parse_turns(source.text, RoleMap::defaults()).utterances;
  return store;
}

namespace {
void require_writable(const fs::path& folder, OpenMode mode) {
  if (mode != OpenMode::Write)
    throw EnvironmentError("project " + folder.string() + " is open read-only");
}
}  // namespace

namespace {
// A source's text is on disk before the journal entry that adds it, also inside a batch (merge).
void write_added_texts(const fs::path& folder, const Action& action) {
  if (const auto* add = std::get_if<AddSource>(&action)) {
    storage::make_private_folder(sources_folder(folder));
    storage::write_file_atomic(sources_folder(folder) / (add->source.guid + ".txt"),
                               add->source.text);
  } else if (const auto* batch = std::get_if<Batch>(&action)) {
    for (const Action& inner : batch->actions) write_added_texts(folder, inner);
  }
}
}  // namespace

bool ProjectStore::execute(Command command) {
  require_writable(folder_, mode_);
  Command prepared = prepare(project_, std::move(command), &coding_lookup_);
  if (is_empty(prepared)) return false;
  write_added_texts(folder_, prepared.action);
  journal_->append(
      {{"seq", sequence_ + 1}, {"op", "do"}, {"command", storage::command_to_json(prepared)}});
  // Durable from here on: only now does the model change.
  ++sequence_;
  apply(project_, prepared, &coding_lookup_);
  if (listener_) listener_->edited(project_, prepared);
  push_undo(undo_stack_, std::move(prepared));
  redo_stack_.clear();
  return true;
}

bool ProjectStore::undo() {
  require_writable(folder_, mode_);
  if (undo_stack_.empty()) return false;
  journal_->append({{"seq", sequence_ + 1}, {"op", "undo"}});
  ++sequence_;
  Command command = std::move(undo_stack_.back());
  undo_stack_.pop_back();
  const Command undone = inverse(command);
  apply(project_, undone, &coding_lookup_);
  if (listener_) listener_->edited(project_, undone);
  redo_stack_.push_back(std::move(command));
  return true;
}

bool ProjectStore::redo() {
  require_writable(folder_, mode_);
  if (redo_stack_.empty()) return false;
  journal_->append({{"seq", sequence_ + 1}, {"op", "redo"}});
  ++sequence_;
  Command command = std::move(redo_stack_.back());
  redo_stack_.pop_back();
  apply(project_, command, &coding_lookup_);
  if (listener_) listener_->edited(project_, command);
  push_undo(undo_stack_, std::move(command));
  return true;
}

std::optional<std::string> ProjectStore::undo_label() const {
  if (undo_stack_.empty()) return std::nullopt;
  return undo_stack_.back().label;
}

std::optional<std::string> ProjectStore::redo_label() const {
  if (redo_stack_.empty()) return std::nullopt;
  return redo_stack_.back().label;
}

// Order: the marker .marginalia/snapshot (the sequence the new project.qde reflects and its
// checksum), project.qde, then model.json, then the journal is emptied. Each file is replaced whole
// (temporary, fsync, rename, fsync folder), and model.json carries the number of the last journal
// entry it includes, so at any crash:
//   before project.qde's rename: the old snapshot plus the whole journal: replay restores all (the
//     marker's checksum does not match the old project.qde, so it is ignored).
//   between the two renames: the new project.qde, which the marker vouches for, with the old
//     model.json (old sequence, old undo history). The journal tail is not applied again (which
//     could put codes and codings back in another order), only read to rebuild the history from
//     the old one and to give new sources their turns from their AddSource entry; entries after the
//     marker's sequence (edits made after such a crash) are applied.
//   after model.json's rename: entries up to its sequence are skipped, whether or not the journal
//     was emptied yet.
// model.json first would be unsafe: a new sequence beside an old project.qde loses edits.
void ProjectStore::snapshot() {
  require_writable(folder_, mode_);
  try {
    const std::string qde = storage::write_qde(project_);
    storage::write_file_atomic(
        snapshot_marker(folder_),
        nlohmann::json{{"sequence", sequence_}, {"qde_crc32", storage::crc32(qde)}}.dump() + "\n");
    storage::write_file_atomic(qde_file(folder_), qde);
    const storage::History history{undo_stack_, redo_stack_, sequence_};
    storage::write_file_atomic(model_file(folder_), storage::write_model_json(project_, history));
    write_cache(folder_, project_, history);
    journal_->clear();
  } catch (const EnvironmentError& e) {
    // Say what a person most needs to know: nothing acknowledged is lost.
    throw EnvironmentError(std::string(e.what()) + "; every edit made is kept in the journal " +
                           journal_file(folder_).string() + " and replayed when the project opens");
  }
}

std::string ProjectStore::coder_guid(const std::string& name) {
  if (const Coder* coder = project_.coder_named(name)) return coder->guid;
  execute(Command{AddCoder{Coder{new_guid(), name}}, "Add coder \"" + name + "\""});
  return project_.coder_named(name)->guid;
}

}  // namespace marginalia
