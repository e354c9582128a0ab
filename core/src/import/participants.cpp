#include "marginalia/participants.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "marginalia/error.h"
#include "marginalia/naming.h"
#include "marginalia/text.h"

namespace marginalia {

namespace {

bool names_sources(std::string header) {
  std::transform(header.begin(), header.end(), header.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  static const std::set<std::string> kNames{"transcripts", "transcript", "sources",
                                            "source",      "files",      "file"};
  return kNames.count(header) > 0;
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<std::vector<std::string>> parse_csv(std::string_view text, std::string_view file_name) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1, quote_line = 0;
  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    if (!(record.size() == 1 && record[0].empty() && !field_started)) records.push_back(record);
    record.clear();
    field_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && field.empty()) {
      quoted = field_started = true;
      quote_line = line;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted)
    throw BadInput(std::string(file_name) + ":" + std::to_string(quote_line) +
                   ": a quoted field is never closed");
  if (field_started || !field.empty() || !record.empty()) end_record();
  return records;
}

std::vector<Case> read_participants(const std::filesystem::path& file, const Project& project) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadInput("cannot read " + file.string());
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string name = file.filename().string();
  const auto rows = parse_csv(decode_text(bytes.str(), name).text, name);
  if (rows.size() < 2) throw BadInput(name + ": needs a header line and one row per participant");

  const auto& header = rows[0];
  std::vector<Case> cases;
  std::set<std::string> ids;
  for (size_t r = 1; r < rows.size(); ++r) {
    const std::string where = name + ":" + std::to_string(r + 1) + ": ";
    const auto& row = rows[r];
    if (row.size() != header.size())
      throw BadInput(where + "has " + std::to_string(row.size()) + " fields, the header has " +
                     std::to_string(header.size()));
    Case c;
    c.name = trim(row[0]);
    if (c.name.empty()) throw BadInput(where + "the participant id (first column) is empty");
    if (!ids.insert(c.name).second)
      throw BadInput(where + "participant " + c.name + " is listed twice");
    for (const auto& existing : project.cases)
      if (existing.name == c.name) c.guid = existing.guid;
    for (size_t i = 1; i < header.size(); ++i) {
      if (!names_sources(header[i])) {
        c.attributes[trim(header[i])] = trim(row[i]);
        continue;
      }
      std::stringstream list(row[i]);
      for (std::string source; std::getline(list, source, ';');) {
        source = trim(source);
        if (source.empty()) continue;
        try {
          c.sources.push_back(resolve_source(project, source));
        } catch (const BadInput& e) {
          throw BadInput(where + e.what());
        }
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace marginalia
