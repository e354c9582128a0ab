// .qdpx: project.qde and the source texts in a zip. The project.qde is read by the same reader as a
// project folder's (storage/qde_reader.cpp), in its other-tools mode.
#include "marginalia/qdpx.h"

#include <algorithm>
#include <cctype>

#include "interop/zip_archive.h"
#include "marginalia/error.h"
#include "marginalia/transcript.h"
#include "storage/storage_io.h"

namespace marginalia {

namespace fs = std::filesystem;

namespace {

// What REFI has no place for (utterances, language, origin of each source) travels beside
// project.qde, so a project we export comes back identical; other tools ignore the entry.
constexpr const char* kModelEntry = ".marginalia/model.json";

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         lower(std::string(s.substr(s.size() - suffix.size()))) == lower(std::string(suffix));
}

bool looks_like_xml(std::string_view bytes) {
  if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) bytes.remove_prefix(3);
  const size_t first = bytes.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && bytes[first] == '<';
}

void finish(QdpxImport& result, const fs::path& file, std::optional<std::string> model_json) {
  Project& project = result.project;
  QdpxReport& report = result.report;
  bool described = false;
  if (model_json && report.origin.rfind("Marginalia", 0) == 0) {
    std::vector<std::string> without;
    storage::read_model_json(
        *model_json, file / kModelEntry, project, without,
        [](const std::string& guid) -> std::string {
          throw BadInput("the model names a source " + guid + " that is not in the archive");
        });
    described = true;
    for (Source& source : project.sources)
      if (std::find(without.begin(), without.end(), source.guid) != without.end())
        source.utterances = parse_turns(source.text, RoleMap::defaults()).utterances;
  }
  if (!described) {
    project.guid = new_guid();
    for (Source& source : project.sources)
      source.utterances = parse_turns(source.text, RoleMap::defaults()).utterances;
  }
  if (project.name.empty()) project.name = file.stem().string();
  if (project.created.empty()) project.created = now_iso8601();
  report.sources = static_cast<int64_t>(project.sources.size());
  report.codes = static_cast<int64_t>(project.codes.size());
  report.codings = static_cast<int64_t>(project.codings.size());
  report.users = static_cast<int64_t>(project.coders.size());
  report.notes = static_cast<int64_t>(project.memos.size());
  report.cases = static_cast<int64_t>(project.cases.size());
  report.sets = static_cast<int64_t>(project.sets.size());
}

QdpxImport read_zip(std::string_view bytes, const fs::path& file, const QdpxOptions& options) {
  interop::ZipReader zip(bytes, file, options.max_expanded_bytes, options.max_entries);
  std::vector<std::string> qde;
  for (const std::string& name : zip.names())
    if (name.find_first_of("/\\") == std::string::npos && ends_with_nocase(name, ".qde"))
      qde.push_back(name);
  if (qde.size() > 1) {
    auto it = std::find_if(qde.begin(), qde.end(),
                           [](const std::string& n) { return lower(n) == "project.qde"; });
    if (it == qde.end())
      throw BadInput(file.string() + ": the archive holds " + std::to_string(qde.size()) +
                     " .qde files and none is project.qde");
    qde = {*it};
  }
  if (qde.empty())
    throw BadInput(file.string() + ": not a REFI-QDA project: the archive has no project.qde");

  QdpxImport result;
  storage::QdeInput input;
  input.report = &result.report;
  input.strict = options.strict;
  input.load_text = [&](const std::string&, const std::string& path) -> std::optional<std::string> {
    const std::string name = storage::internal_name(path);
    if (name.empty()) return std::nullopt;  // relative:// or absolute://: not in the archive
    for (const char* folder : {"sources/", ""})
      if (auto found = zip.read(folder + name)) return found;
    return std::nullopt;
  };
  const std::string qde_bytes = *zip.read(qde.front());
  result.project = storage::read_qde(qde_bytes, file / qde.front(), input);
  finish(result, file, zip.read(kModelEntry));
  return result;
}

QdpxImport read_bare_qde(std::string_view bytes, const fs::path& file, const QdpxOptions& options) {
  QdpxImport result;
  storage::QdeInput input;
  input.report = &result.report;
  input.strict = options.strict;
  // Texts beside the .qde, in sources/ or next to it; never elsewhere on disk.
  input.load_text = [&](const std::string&, const std::string& path) -> std::optional<std::string> {
    const std::string name = storage::internal_name(path);
    if (name.empty() || name.find_first_of("/\\") != std::string::npos || name == "..")
      return std::nullopt;
    const fs::path folder = file.parent_path();
    std::error_code ec;
    for (const fs::path& candidate :
         {folder / "sources" / name, folder / "Sources" / name, folder / name})
      if (fs::is_regular_file(candidate, ec)) return storage::read_file(candidate);
    return std::nullopt;
  };
  result.project = storage::read_qde(bytes, file, input);
  finish(result, file, std::nullopt);
  return result;
}

}  // namespace

std::string QdpxReport::summary() const {
  std::string out = std::to_string(sources) + " sources, " + std::to_string(codes) + " codes, " +
                    std::to_string(codings) + " codings, " + std::to_string(users) + " users, " +
                    std::to_string(notes) + " notes, " + std::to_string(cases) + " cases, " +
                    std::to_string(sets) + " sets";
  if (!origin.empty()) out += " (from " + origin + ")";
  out += "\n";
  auto section = [&](const char* title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    out += std::string(title) + " (" + std::to_string(lines.size()) + "):\n";
    for (const std::string& line : lines) out += "  " + line + "\n";
  };
  section("Offsets", offsets);
  section("Left out", skipped);
  section("Warnings", warnings);
  return out;
}

QdpxImport read_qdpx_bytes(std::string_view bytes, const fs::path& name,
                           const QdpxOptions& options) {
  if (interop::looks_like_zip(bytes)) return read_zip(bytes, name, options);
  if (looks_like_xml(bytes)) return read_bare_qde(bytes, name, options);
  throw BadInput(name.string() + ": neither a REFI-QDA project (.qdpx, a zip) nor a project.qde");
}

QdpxImport read_qdpx(const fs::path& file, const QdpxOptions& options) {
  const std::string bytes = storage::read_file(file);
  return read_qdpx_bytes(bytes, file, options);
}

std::string qdpx_bytes(const Project& project) {
  std::vector<std::pair<std::string, std::string>> entries;
  entries.emplace_back("project.qde", storage::write_qde(project));
  for (const Source& source : project.sources)
    entries.emplace_back("sources/" + source.guid + ".txt", source.text);
  entries.emplace_back(kModelEntry, storage::write_model_json(project, storage::History{}));
  return interop::write_zip(entries);
}

void write_qdpx(const Project& project, const fs::path& file) {
  storage::write_file_atomic(file, qdpx_bytes(project));
}

}  // namespace marginalia
