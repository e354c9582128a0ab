// Private to core/src/storage: durable file writes, the REFI XML readers and writers, and the JSON
// forms of the model and of commands. Nothing outside storage/ includes this header.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "marginalia/codebook.h"
#include "marginalia/commands.h"
#include "marginalia/model.h"
#include "marginalia/qdpx.h"

namespace marginalia::storage {

// --- atomic_file.cpp
// -------------------------------------------------------------------------------

// The whole file; BadInput naming it when it is missing, EnvironmentError when it can't be read.
std::string read_file(const std::filesystem::path& file);
// Writes `bytes` to a temporary name beside `file`, fsyncs it, renames it into place and fsyncs the
// folder. Throws EnvironmentError naming the file and strerror; the old file stays as it was.
// Project files hold confidential transcripts: readable by their owner only unless `mode` says
// otherwise.
void write_file_atomic(const std::filesystem::path& file, std::string_view bytes,
                       mode_t mode = 0600);
// Creates the folder and its missing parents, each readable by its owner only (0700); an existing
// folder keeps its mode.
void make_private_folder(const std::filesystem::path& folder);
void fsync_folder(const std::filesystem::path& folder);
// "cannot write FILE: No space left on device" from errno.
[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& file, int err);

// --- utf8 helpers (qde_writer.cpp)
// ----------------------------------------------------------------

int64_t utf8_length(std::string_view text);
std::string utf8_prefix(std::string_view text, int64_t start, int64_t end);

// A GUID derived from a name, the same every time: the Coding element inside a selection takes one
// derived from the selection's GUID, so saving twice writes the same bytes.
std::string derived_guid(std::string_view name);

// --- codebook_file.cpp: colour and GUID normalisation shared with the qde reader
// ------------------

// "#RGB", "#RRGGBB", "#AARRGGBB", "#RRGGBBAA" in any case -> "#RRGGBB" uppercase; "" otherwise.
std::string normalize_color(std::string_view color);
// Lowercase without braces when it is a well-formed GUID; "" otherwise.
std::string checked_guid(std::string_view guid);

// A .qdc's bytes as load_codebook reads them; `file` names it in messages.
Codebook parse_codebook(std::string_view bytes, const std::filesystem::path& file);

// --- qde_writer.cpp / qde_reader.cpp -------------------------------------------------------------

// project.qde for the project: deterministic (only the model's own times are written).
std::string write_qde(const Project& project);

// What read_qde reads a project.qde with.
struct QdeInput {
  // The bytes of a source's text by its plainTextPath ("internal://x.txt", "relative://...",
  // a bare name; "internal://GUID.txt" when the element has none); nullopt when it is absent.
  std::function<std::optional<std::string>(const std::string& guid, const std::string& path)>
      load_text;
  // nullptr: our own project folder, where every problem throws. Otherwise another tool's file:
  // problems are reported here and what they concern is skipped.
  QdpxReport* report = nullptr;
  bool strict = false;  // with a report: missing text files throw, listing them
};

// Reads a project.qde: ours, or another tool's by that tool's conventions. Throws BadInput naming
// `file` (and pugixml's description and byte offset for broken XML).
Project read_qde(std::string_view bytes, const std::filesystem::path& file, const QdeInput& input);

// The file name inside the archive or sources folder that a plainTextPath names: "x.txt" for
// "internal://x.txt" or a bare "x.txt"; "" for relative:// and absolute:// paths (outside).
std::string internal_name(std::string_view path);

// --- model_json.cpp
// --------------------------------------------------------------------------------

struct History {
  std::vector<Command> undo;
  std::vector<Command> redo;
  int64_t sequence = 0;  // last journal entry included in the snapshot
};

// model.json: what REFI has no place for, the undo history and the journal sequence number.
std::string write_model_json(const Project& project, const History& history);
// Fills in what model.json holds on a project read from project.qde. Sources absent from model.json
// are returned in `sources_without_metadata`. Throws BadInput naming `file`.
History read_model_json(std::string_view bytes, const std::filesystem::path& file, Project& project,
                        std::vector<std::string>& sources_without_metadata,
                        const std::function<std::string(const std::string& guid)>& load_text);
// The same in two steps, so that the parse can run beside the reading of project.qde.
nlohmann::json parse_model_json(std::string_view bytes, const std::filesystem::path& file);
History apply_model_json(const nlohmann::json& model, const std::filesystem::path& file,
                         Project& project, std::vector<std::string>& sources_without_metadata,
                         const std::function<std::string(const std::string& guid)>& load_text);

// The undo or redo history alone, as model.json holds it: for the model cache.
std::string history_json(const std::vector<Command>& stack);
std::vector<Command> history_from_json(
    std::string_view text, const std::function<std::string(const std::string& guid)>& load_text);

// --- model_cache.cpp
// ---------------------------------------------------------------------------------

// .marginalia/model.cache: a derived copy of the snapshot, the project and history exactly as
// project.qde and model.json give them, in a form read without parsing or checks, so that a large
// project opens in about the time pugixml takes to parse its project.qde alone. Written beside
// each snapshot; used only when project.qde and model.json are the very files it was written with
// (size, inode, modification and change times) and its own checksum holds; otherwise the snapshot
// is read as before. Never the only copy of anything: deleting it costs one slower opening.
struct FileStamp {
  uint64_t size = 0;
  uint64_t inode = 0;
  int64_t modified_ns = 0;
  int64_t changed_ns = 0;
  bool operator==(const FileStamp&) const = default;
};
std::optional<FileStamp> stamp_of(const std::filesystem::path& file);
uint64_t text_hash(std::string_view text);

struct CachedSnapshot {
  Project project;  // without the sources' texts: the caller reads them and checks text_hashes
  std::vector<uint64_t> text_hashes;  // text_hash() of each source's text, in order
  std::string undo_json, redo_json;   // history_json()
  int64_t sequence = 0;
};
// Throws EnvironmentError when it cannot write.
void write_model_cache(const std::filesystem::path& file, const Project& project,
                       std::string_view undo_json, std::string_view redo_json, int64_t sequence,
                       const FileStamp& qde, const FileStamp& model);
// nullopt when missing, of other files, torn or of another format.
std::optional<CachedSnapshot> read_model_cache(const std::filesystem::path& file,
                                               const FileStamp& qde, const FileStamp& model);

// --- command_json.cpp
// ------------------------------------------------------------------------------

// A command as JSON. Source texts are left out: they live in sources/<guid>.txt.
nlohmann::json command_to_json(const Command& command);
// The reverse; `load_text` supplies each source's text by guid. Throws BadInput on a malformed
// command (the message says what is wrong, the caller adds the file).
Command command_from_json(const nlohmann::json& json,
                          const std::function<std::string(const std::string& guid)>& load_text);

nlohmann::json utterance_to_json(const Utterance& u);
Utterance utterance_from_json(const nlohmann::json& json);
// Project::done as [{"coder", "source"}, ...].
nlohmann::json done_marks_to_json(const std::vector<DoneMark>& marks);
std::vector<DoneMark> done_marks_from_json(const nlohmann::json& json);

}  // namespace marginalia::storage
