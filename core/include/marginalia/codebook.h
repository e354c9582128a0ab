// REFI-QDA codebooks (.qdc): the code tree with folders, colours and descriptions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

struct Codebook {
  std::vector<Code> codes;  // parents before children, in file order
  std::string origin;       // the producing tool, as the file says
};

// Reads a .qdc (namespace urn:QDA-XML:codebook:1.0 or an older variant). GUIDs are normalised to
// lowercase without braces; colours to "#RRGGBB". Throws BadInput naming the file and the problem.
Codebook load_codebook(const std::filesystem::path& file);

// Writes a .qdc valid against Codebook.xsd, atomically (temporary file, sync, rename).
void save_codebook(const Codebook& codebook, const std::filesystem::path& file);

}  // namespace marginalia
