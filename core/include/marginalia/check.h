// Is a project folder whole? `marginalia-cli check`: the journal readable, the snapshot readable,
// every offset inside its text, every code, coder and source a coding names present, and the search
// index consistent with the project. Repair rebuilds derived data only (the search index, leftover
// temporary files); it never deletes or changes a coding.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

struct CheckFinding {
  enum class Severity { Problem, Note };
  Severity severity = Severity::Problem;
  // "journal", "snapshot", "offsets", "references", "index", "files"
  std::string area;
  std::string message;  // one line, naming the file or the item
  bool operator==(const CheckFinding&) const = default;
};

struct CheckReport {
  std::vector<CheckFinding> findings;
  std::vector<std::string> repairs;  // what repair did, one line each
  // No problem found (notes allowed).
  bool ok() const;
};

// Checks the project in `folder` without changing it; with `repair`, first rebuilds what is derived
// (takes the project's write lock for that) and then checks. Throws only when the folder cannot be
// looked at; everything wrong with the project is a finding.
CheckReport check_project(const std::filesystem::path& folder, bool repair = false);

// The model on its own: offsets of codings and turns inside their text, every source, code, coder,
// parent, case source, memo target and done mark's coder and source that a thing names present,
// GUIDs unique, codings on codable codes.
std::vector<CheckFinding> check_model(const Project& project);

}  // namespace marginalia
