// REFI-QDA projects from and to other tools: .qdpx (a zip of project.qde and the source texts) and
// a bare .qde. Reading follows what real files do (../shared/refi/README.md): each producing tool's
// offset convention, GUIDs in any case or braces, sources/ in any case, quotes in selection names
// checked against the text. Implemented in core/src/interop/ and core/src/storage/qde_reader.cpp
// (the same reader that opens a project folder).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

struct QdpxOptions {
  // Text sources whose file is missing from the archive: false imports the rest and warns;
  // true fails, listing them.
  bool strict = false;
  // The archive may expand to at most this many bytes in all (a zip bomb stops here).
  int64_t max_expanded_bytes = int64_t(1) << 31;
  int64_t max_entries = 100000;
};

struct QdpxReport {
  std::string origin;  // the producing tool, as project.qde says
  int64_t sources = 0, codes = 0, codings = 0, users = 0, notes = 0, cases = 0, sets = 0;
  // Per text source: the unit its offsets were read in and why ("UTF-16 units (NVivo)").
  std::vector<std::string> offsets;
  // What was left out and why, one line each (PDF and media sources by name, codings whose
  // offsets lie outside their text, ...).
  std::vector<std::string> skipped;
  // Imported, but a person should look: quotes that do not match, renamed duplicate GUIDs, ...
  std::vector<std::string> warnings;
  // Names of text sources whose text is not in the archive (also counted in `skipped`).
  std::vector<std::string> missing_texts;
  // "N sources, N codes, ..." then the offsets, skipped and warnings lines, each on its own line.
  std::string summary() const;
};

struct QdpxImport {
  Project project;  // new guid, ready for ProjectStore::create_from
  QdpxReport report;
};

// Reads a .qdpx, or a bare .qde (texts inline or in sources/ beside it), telling them apart by
// content. Throws BadInput naming the file: not a zip, a damaged or truncated zip, entry names
// with ../ or an absolute path, more than max_expanded_bytes, XML with a DOCTYPE, a root element
// outside the REFI namespace, duplicate GUIDs of codes, sources or users, and (strict) missing
// text files.
QdpxImport read_qdpx(const std::filesystem::path& file, const QdpxOptions& options = {});
// The same on bytes in memory (fuzzers, tests); `name` only names the file in messages.
QdpxImport read_qdpx_bytes(std::string_view bytes, const std::filesystem::path& name,
                           const QdpxOptions& options = {});

// Writes `project` as a .qdpx: project.qde (valid against Project.xsd, code-point offsets,
// lowercase GUIDs) and sources/<guid>.txt (UTF-8, LF, no BOM). Written to a temporary file and
// renamed into place. Throws EnvironmentError when it can't write.
void write_qdpx(const Project& project, const std::filesystem::path& file);
// The archive's bytes.
std::string qdpx_bytes(const Project& project);

}  // namespace marginalia
