// Participants (cases) with their attributes from a CSV table, as a paper's Table 1 lists them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "marginalia/model.h"

namespace marginalia {

// RFC 4180 records from CSV text (quoted fields, doubled quotes, LF or CRLF).
// Throws BadInput naming `file_name` and the line of an unterminated quote.
std::vector<std::vector<std::string>> parse_csv(std::string_view text, std::string_view file_name);

// Reads a participants table: the first column is the participant id (the case's name); a column
// named transcripts, transcript, sources, source, files or file lists that participant's sources
// (names or file names, separated by ';'); every other column is an attribute. The file is decoded
// like a transcript (UTF-8, Windows-1252 from Excel, ...). Cases already in the project keep their
// GUID. Throws BadInput naming the file, line and problem (an unknown source, a duplicate id, a row
// with the wrong number of fields).
std::vector<Case> read_participants(const std::filesystem::path& file, const Project& project);

}  // namespace marginalia
